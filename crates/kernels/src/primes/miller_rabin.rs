//! Deterministic Miller–Rabin for every u64: the strong-probable-prime test to the seven bases
//! 2, 325, 9375, 28178, 450775, 9780504, 1795265022 (Jim Sinclair's set: no composite below 2⁶⁴
//! passes all seven). A base is reduced mod n first and skipped when it is a multiple of n — a
//! prime passes to every base it does not divide, so skipping keeps primes prime.
//!
//! - [`reference()`]: `a·b mod n` with a 128-bit product and a 128-bit remainder, written to be
//!   read.
//! - [`is_prime`]: trial division by the primes below 64 first (it settles most composites),
//!   then Montgomery multiplication (R = 2⁶⁴): no division in the exponentiations at all; base 2
//!   alone first, then the other six exponentiations interleaved.

use std::array;

/// The seven bases of the deterministic test.
pub const BASES: [u64; 7] = [2, 325, 9375, 28178, 450775, 9780504, 1795265022];

/// `n − 1 = d·2^s` with `d` odd (n odd, ≥ 3).
fn split(n: u64) -> (u64, u32) {
    let s = (n - 1).trailing_zeros();
    ((n - 1) >> s, s)
}

/// `a·b mod n` through a 128-bit product.
fn mul_mod(a: u64, b: u64, n: u64) -> u64 {
    ((a as u128 * b as u128) % n as u128) as u64
}

/// `a^e mod n`, square and multiply.
fn pow_mod(mut a: u64, mut e: u64, n: u64) -> u64 {
    let mut r = 1 % n;
    while e > 0 {
        if e & 1 == 1 {
            r = mul_mod(r, a, n);
        }
        a = mul_mod(a, a, n);
        e >>= 1;
    }
    r
}

/// The plain test: exact for every u64.
pub fn reference(n: u64) -> bool {
    if n < 4 {
        return n >= 2;
    }
    if n.is_multiple_of(2) {
        return false;
    }
    let (d, s) = split(n);
    'bases: for base in BASES {
        let a = base % n;
        if a == 0 {
            continue;
        }
        let mut x = pow_mod(a, d, n);
        if x == 1 || x == n - 1 {
            continue;
        }
        for _ in 1..s {
            x = mul_mod(x, x, n);
            if x == n - 1 {
                continue 'bases;
            }
        }
        return false;
    }
    true
}

/// The odd primes below 64: a division-free test by each settles 73 % of the odd numbers before
/// any exponentiation.
const SMALL_PRIMES: [u64; 17] = [3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61];

/// Arithmetic mod an odd `n` in Montgomery form (`a` is stored as `a·2⁶⁴ mod n`).
struct Montgomery {
    n: u64,
    /// `n⁻¹ mod 2⁶⁴`.
    inv: u64,
    /// 2⁶⁴ mod n: the form of 1.
    one: u64,
    /// 2¹²⁸ mod n: multiplying by it enters the form.
    r2: u64,
}

impl Montgomery {
    fn new(n: u64) -> Self {
        debug_assert!(n % 2 == 1 && n > 1);
        // 3n ⊕ 2 is n⁻¹ to 5 bits; each Newton step doubles that: 10, 20, 40, 80.
        let mut inv = n.wrapping_mul(3) ^ 2;
        for _ in 0..4 {
            inv = inv.wrapping_mul(2u64.wrapping_sub(n.wrapping_mul(inv)));
        }
        let one = (u64::MAX % n + 1) % n;
        let r2 = ((one as u128 * one as u128) % n as u128) as u64;
        Montgomery { n, inv, one, r2 }
    }

    /// `a·b·2⁻⁶⁴ mod n` for `a, b < n`: REDC by subtraction, which cannot overflow even for
    /// `n` near 2⁶⁴. With `m = lo·n⁻¹`, `m·n` has the low word `lo`, so
    /// `(a·b − m·n)/2⁶⁴ = hi − ⌊m·n/2⁶⁴⌋ ∈ (−n, n)`.
    #[inline(always)]
    fn mul(&self, a: u64, b: u64) -> u64 {
        let (lo, hi) = mul_wide(a, b);
        let m = lo.wrapping_mul(self.inv);
        let mn_hi = mul_wide(m, self.n).1;
        let (r, borrow) = hi.overflowing_sub(mn_hi);
        if borrow { r.wrapping_add(self.n) } else { r }
    }

    fn enter(&self, a: u64) -> u64 {
        self.mul(a % self.n, self.r2)
    }

    /// Whether `x = a^d` (in the form) makes n a strong probable prime to base a:
    /// `x = 1`, or `x^(2^j) = −1` for some `j < s`.
    fn passes(&self, mut x: u64, s: u32) -> bool {
        let minus_one = self.n - self.one;
        if x == self.one || x == minus_one {
            return true;
        }
        for _ in 1..s {
            x = self.mul(x, x);
            if x == minus_one {
                return true;
            }
        }
        false
    }

    fn pow(&self, a: u64, e: u64) -> u64 {
        let mut r = self.one;
        for bit in (0..64 - e.leading_zeros()).rev() {
            r = self.mul(r, r);
            if (e >> bit) & 1 == 1 {
                r = self.mul(r, a);
            }
        }
        r
    }
}

/// The fast test: exact for every u64, the same answers as [`reference()`].
pub fn is_prime(n: u64) -> bool {
    if n < 4 {
        return n >= 2;
    }
    if n.is_multiple_of(2) {
        return false;
    }
    for p in SMALL_PRIMES {
        // `n % p == 0` as a multiply and a compare (Granlund–Montgomery): no division.
        if n.wrapping_mul(inverse_u64(p)) <= u64::MAX / p {
            return n == p;
        }
    }
    if n < 64 * 64 {
        return true;
    }
    let mont = Montgomery::new(n);
    let (d, s) = split(n);
    // Base 2 alone first: it rejects all but a handful of composites (the base-2 strong
    // pseudoprimes), so a composite costs one exponentiation.
    let x = mont.pow(mont.enter(2), d);
    if !mont.passes(x, s) {
        return false;
    }
    // The other six together: independent chains of multiplications, interleaved so that each
    // one's latency hides behind the others' (a prime costs little more than one base).
    let rest: [u64; 6] = array::from_fn(|i| BASES[i + 1]);
    let a = rest.map(|b| mont.enter(b));
    let mut r = [mont.one; 6];
    for bit in (0..64 - d.leading_zeros()).rev() {
        for i in 0..6 {
            r[i] = mont.mul(r[i], r[i]);
        }
        if (d >> bit) & 1 == 1 {
            for i in 0..6 {
                r[i] = mont.mul(r[i], a[i]);
            }
        }
    }
    // A base that is a multiple of n is skipped, as in the reference.
    rest.iter().zip(r).all(|(&base, x)| base.is_multiple_of(n) || mont.passes(x, s))
}

/// `(low, high)` words of the 128-bit product `a·b`.
///
/// Natively one instruction (`mul` on x86-64). WebAssembly has no 64 × 64 → 128-bit multiply, and
/// LLVM lowers a `u128` product to a call of compiler-rt's `__multi3`: a full 128 × 128-bit
/// product whose result comes back through the shadow stack in memory, every time. In wasm the
/// product is built inline from four 32 × 32 → 64-bit products instead ([`mul_wide_halves`]).
#[inline(always)]
fn mul_wide(a: u64, b: u64) -> (u64, u64) {
    #[cfg(target_arch = "wasm32")]
    {
        mul_wide_halves(a, b)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let t = a as u128 * b as u128;
        (t as u64, (t >> 64) as u64)
    }
}

/// `(low, high)` of `a·b` from the four products of their 32-bit halves (schoolbook): what
/// [`mul_wide`] is in wasm. Compiled everywhere, so it is tested natively against `u128`.
#[inline(always)]
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn mul_wide_halves(a: u64, b: u64) -> (u64, u64) {
    const LOW: u64 = 0xffff_ffff;
    let (a0, a1, b0, b1) = (a & LOW, a >> 32, b & LOW, b >> 32);
    let (p00, p01, p10, p11) = (a0 * b0, a0 * b1, a1 * b0, a1 * b1);
    // The middle column: at most 3·(2³² − 1) < 2³⁴, no overflow.
    let mid = (p00 >> 32) + (p01 & LOW) + (p10 & LOW);
    ((mid << 32) | (p00 & LOW), p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32))
}

/// `p⁻¹ mod 2⁶⁴` for odd `p`, folded to a constant for the small primes.
const fn inverse_u64(p: u64) -> u64 {
    let mut inv = p.wrapping_mul(3) ^ 2;
    let mut i = 0;
    while i < 4 {
        inv = inv.wrapping_mul(2u64.wrapping_sub(p.wrapping_mul(inv)));
        i += 1;
    }
    inv
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn montgomery_agrees_with_u128_arithmetic() {
        for n in [3u64, 5, 101, 1 << 32 | 1, u64::MAX - 58, u64::MAX, (1 << 63) + 1] {
            let m = Montgomery::new(n);
            for (a, b) in [(0, 0), (1, 1), (2, n - 1), (n - 1, n - 1), (n / 2, n / 3 + 1)] {
                let got = m.mul(m.mul(m.enter(a), m.enter(b)), 1);
                assert_eq!(got, mul_mod(a % n, b % n, n), "n={n} a={a} b={b}");
            }
            assert_eq!(m.mul(m.pow(m.enter(7), 12345), 1), pow_mod(7 % n, 12345, n));
        }
    }

    #[test]
    fn the_products_halves_equal_u128_arithmetic() {
        let edges = [0u64, 1, 2, 0xffff_ffff, 1 << 32, (1 << 32) + 1, u64::MAX - 1, u64::MAX, 1 << 63];
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut values: Vec<u64> = edges.to_vec();
        for _ in 0..2000 {
            // xorshift: spread values, no dependency.
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            values.push(x);
        }
        for (i, &a) in values.iter().enumerate() {
            for &b in values.iter().skip(i % 7).step_by(97).chain(&edges) {
                let t = a as u128 * b as u128;
                assert_eq!(mul_wide_halves(a, b), (t as u64, (t >> 64) as u64), "{a} × {b}");
            }
        }
    }

    #[test]
    fn both_agree_below_ten_thousand() {
        for n in 0..10_000u64 {
            let plain = n >= 2 && (2..n).take_while(|d| d * d <= n).all(|d| !n.is_multiple_of(d));
            assert_eq!(reference(n), plain, "{n}");
            assert_eq!(is_prime(n), plain, "{n}");
        }
    }
}
