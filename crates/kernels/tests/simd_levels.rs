//! The SIMD level kernels dispatch to: the CPU's best, capped by `PARALLAX_ISA` (the test
//! command runs the kernels' tests again at `avx2` and `sse2`, so an AVX-512 machine checks its
//! AVX2 and SSE2 copies against the reference too).

use parallax_kernels::simd::{FORCE_VARIABLE, Isa, widest_lanes};

#[test]
fn the_forced_level_caps_the_dispatch_and_the_default_width() {
    let hardware = Isa::hardware();
    match std::env::var(FORCE_VARIABLE).ok().and_then(|name| Isa::from_name(&name)) {
        Some(forced) => assert_eq!(Isa::detect(), forced.min(hardware)),
        None => assert_eq!(Isa::detect(), hardware),
    }
    assert_eq!(widest_lanes(), Isa::detect().f64_lanes());
}

#[test]
fn level_names_read_back() {
    for isa in [Isa::Scalar, Isa::V128, Isa::Avx2, Isa::Avx512] {
        assert_eq!(Isa::from_name(isa.name()), Some(isa));
    }
    assert_eq!(Isa::from_name("avx1024"), None);
}
