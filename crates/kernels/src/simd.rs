//! Which vector width and instruction set a SIMD kernel uses on this machine.
//!
//! Kernels are written once with `std::simd` over a lane count `N`; natively each is compiled
//! a second time inside `#[target_feature(enable = "avx512f,…")]` wrappers and picked at run time
//! (the server binary runs on any x86-64). In wasm the module is built with `+simd128`, which
//! has 2 f64 lanes; wider requests are split by the compiler into several simd128 vectors.

/// Instruction-set level available for SIMD kernels on this machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Isa {
    /// No vector unit the kernels know (or a plain wasm build): `std::simd` lowers to scalars.
    Scalar,
    /// 128-bit: SSE2 natively, simd128 in wasm.
    V128,
    /// 256-bit AVX2.
    Avx2,
    /// 512-bit AVX-512 (F, VL, DQ).
    Avx512,
}

/// Caps the level kernels use: `PARALLAX_ISA=sse2|avx2|avx512` (read once, at the first
/// dispatch), so the tests run every native path a machine has (an AVX-512 machine runs its AVX2
/// and SSE2 copies too). A level above the hardware's, or an unknown name, changes nothing.
pub const FORCE_VARIABLE: &str = "PARALLAX_ISA";

impl Isa {
    /// The level kernels use: the best this machine runs, capped by [`FORCE_VARIABLE`].
    pub fn detect() -> Isa {
        static LEVEL: std::sync::OnceLock<Isa> = std::sync::OnceLock::new();
        *LEVEL.get_or_init(|| {
            let forced = std::env::var(FORCE_VARIABLE).ok().and_then(|name| Isa::from_name(&name));
            let hardware = Isa::hardware();
            forced.map_or(hardware, |f| f.min(hardware))
        })
    }

    /// The level called `name` (as [`Isa::name`] spells it), if there is one.
    pub fn from_name(name: &str) -> Option<Isa> {
        [Isa::Scalar, Isa::V128, Isa::Avx2, Isa::Avx512].into_iter().find(|isa| isa.name() == name)
    }

    /// The best level this machine's CPU runs.
    pub fn hardware() -> Isa {
        #[cfg(target_arch = "x86_64")]
        {
            if std::is_x86_feature_detected!("avx512f")
                && std::is_x86_feature_detected!("avx512vl")
                && std::is_x86_feature_detected!("avx512dq")
            {
                return Isa::Avx512;
            }
            if std::is_x86_feature_detected!("avx2") {
                return Isa::Avx2;
            }
            Isa::V128
        }
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        {
            Isa::V128
        }
        #[cfg(target_arch = "aarch64")]
        {
            Isa::V128
        }
        #[cfg(not(any(
            target_arch = "x86_64",
            target_arch = "aarch64",
            all(target_arch = "wasm32", target_feature = "simd128")
        )))]
        {
            Isa::Scalar
        }
    }

    /// The name shown on the page and in `/api/info`.
    pub fn name(self) -> &'static str {
        match self {
            Isa::Scalar => "scalar",
            Isa::V128 if cfg!(target_arch = "wasm32") => "simd128",
            Isa::V128 if cfg!(target_arch = "aarch64") => "neon",
            Isa::V128 => "sse2",
            Isa::Avx2 => "avx2",
            Isa::Avx512 => "avx512",
        }
    }

    /// f64 lanes of one native vector at this level.
    pub fn f64_lanes(self) -> u32 {
        match self {
            Isa::Scalar | Isa::V128 => 2,
            Isa::Avx2 => 4,
            Isa::Avx512 => 8,
        }
    }
}

/// f64 lanes of the widest vector this machine runs: the default width of `simd` runs.
pub fn widest_lanes() -> u32 {
    Isa::detect().f64_lanes()
}

/// Generates, from one `#[inline(always)]` generic kernel, a copy per instruction-set level and
/// a function that runs the best copy this machine supports. Keeps the `cfg`s and the `unsafe`
/// of runtime dispatch in one place for every workload.
///
/// `dispatch!(pub(crate) fn name<const N: usize>(args...) -> Ret => generic_fn);`
macro_rules! dispatch {
    (
        $vis:vis fn $name:ident<const $n:ident: usize>($($arg:ident: $ty:ty),* $(,)?) $(-> $ret:ty)? => $generic:ident
    ) => {
        $vis fn $name<const $n: usize>($($arg: $ty),*) $(-> $ret)?
        {
            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = "avx512f,avx512vl,avx512dq,avx2,avx")]
                unsafe fn avx512<const $n: usize>($($arg: $ty),*) $(-> $ret)?
                {
                    $generic::<$n>($($arg),*)
                }
                #[target_feature(enable = "avx2,avx")]
                unsafe fn avx2<const $n: usize>($($arg: $ty),*) $(-> $ret)?
                {
                    $generic::<$n>($($arg),*)
                }
                match $crate::simd::Isa::detect() {
                    // SAFETY: the CPU has the features these copies were compiled for.
                    $crate::simd::Isa::Avx512 => return unsafe { avx512::<$n>($($arg),*) },
                    // SAFETY: as above.
                    $crate::simd::Isa::Avx2 => return unsafe { avx2::<$n>($($arg),*) },
                    _ => {}
                }
            }
            $generic::<$n>($($arg),*)
        }
    };
}
pub(crate) use dispatch;

/// Lanes below 2⁵² as f64, exactly, without a lane conversion (simd128 has none from 64-bit
/// integers, and LLVM converts lane by lane through scalars): the bits of 2⁵² + x, minus 2⁵².
#[inline(always)]
pub(crate) fn below_2_52_to_f64<const N: usize>(x: std::simd::Simd<u64, N>) -> std::simd::Simd<f64, N> {
    use std::simd::Simd;
    use std::simd::prelude::SimdFloat;
    const TWO_52: f64 = (1u64 << 52) as f64;
    Simd::<f64, N>::from_bits(x | Simd::splat(TWO_52.to_bits())) - Simd::splat(TWO_52)
}
