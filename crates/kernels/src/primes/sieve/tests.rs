//! The sieve against the known values of π, the plain reference, trial division and (near 2⁶⁴)
//! Miller–Rabin, for thread counts 1, 2, 3 and for sizes small enough that every byte is a
//! segment or block boundary.

use std::sync::Arc;
use std::time::Duration;

use super::*;

use crate::primes::check_values::{self, PI_POWERS_OF_TEN};

/// Sizes that put a segment boundary on every byte or every few bytes, with blocks smaller
/// still, and windows of the huge path small enough to have many of them.
const TINY: [Tuning; 4] = [
    Tuning { segment_bytes: 1, block_bytes: 1, root_max: 1 << 24, window_bytes: 8 << 20 },
    Tuning { segment_bytes: 6, block_bytes: 2, root_max: 1 << 24, window_bytes: 8 << 20 },
    Tuning { segment_bytes: 64, block_bytes: 16, root_max: 1 << 24, window_bytes: 8 << 20 },
    Tuning { segment_bytes: 4096, block_bytes: 1024, root_max: 1 << 24, window_bytes: 8 << 20 },
];

fn is_prime_naive(n: u64) -> bool {
    n >= 2 && (2..).take_while(|d| d * d <= n).all(|d| !n.is_multiple_of(d))
}

/// Deterministic Miller–Rabin for every u64 (the first 12 primes as bases suffice below 3.3·10²⁴).
fn is_prime_mr(n: u64) -> bool {
    const BASES: [u64; 12] = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37];
    if n < 2 {
        return false;
    }
    if let Some(&p) = BASES.iter().find(|&&p| n.is_multiple_of(p)) {
        return n == p;
    }
    let mul = |a: u64, b: u64| (u128::from(a) * u128::from(b) % u128::from(n)) as u64;
    let pow = |mut b: u64, mut e: u64| {
        let mut r = 1;
        while e > 0 {
            if e & 1 == 1 {
                r = mul(r, b);
            }
            b = mul(b, b);
            e >>= 1;
        }
        r
    };
    let s = (n - 1).trailing_zeros();
    let d = (n - 1) >> s;
    BASES.iter().all(|&a| {
        let mut x = pow(a, d);
        if x == 1 || x == n - 1 {
            return true;
        }
        (1..s).any(|_| {
            x = mul(x, x);
            x == n - 1
        })
    })
}

/// A small deterministic generator (SplitMix64), for reproducible random ranges.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[test]
fn small_limits_are_exact() {
    let c = Control::new();
    for (n, want) in
        [(0u64, 0u64), (1, 0), (2, 1), (3, 2), (4, 2), (5, 3), (6, 3), (7, 4), (29, 10), (30, 10), (31, 11)]
    {
        for threads in 1..=3 {
            assert_eq!(count(n, threads, &c), Ok(want), "π({n}), {threads} threads");
        }
        assert_eq!(count_reference(n, &c), Ok(want), "reference π({n})");
    }
}

#[test]
fn powers_of_ten_for_every_thread_count() {
    let c = Control::new();
    for (k, &want) in PI_POWERS_OF_TEN.iter().enumerate().skip(1) {
        let n = 10u64.pow(k as u32);
        for threads in 1..=3 {
            assert_eq!(count(n, threads, &c), Ok(want), "π(10^{k}), {threads} threads");
        }
        if k <= 8 {
            assert_eq!(count_reference(n, &c), Ok(want), "reference π(10^{k})");
        }
    }
}

// π(10¹⁰) = 455,052,511 is asserted through the `count` task in tests/primes.rs.

#[test]
fn count_agrees_with_reference_at_every_boundary() {
    let c = Control::new();
    let mut rng = Rng(1);
    // Limits on primes, next to them, on squares of primes and next to them.
    // 167 is the first prime not pre-sieved, 179 the next.
    let mut limits: Vec<u64> = (0..200).chain([169, 289, 361, 529, 841, 961, 27_889, 27_890, 32_041]).collect();
    limits.extend((0..30).map(|_| rng.below(300_000)));
    // Larger limits only with segments of 64 bytes or more: one-byte segments cost a visit of
    // every sieving prime per byte.
    let larger: Vec<u64> = (0..10).map(|_| rng.below(3_000_000)).collect();
    for &n in limits.iter().chain(&larger) {
        let want = count_reference(n, &c).unwrap();
        for (t, tuning) in TINY.iter().enumerate() {
            if n >= 300_000 && tuning.segment_bytes < 64 {
                continue;
            }
            let threads = 1 + t % 3;
            assert_eq!(count_with(n, threads, &c, *tuning), Ok(want), "π({n}) with {tuning:?}, {threads} threads");
        }
    }
}

#[test]
fn primes_in_matches_trial_division() {
    let c = Control::new();
    let primes: Vec<u64> = (0..2_000).filter(|&n| is_prime_naive(n)).collect();
    let mut ranges = vec![(0u64, 0u64), (0, 1), (0, 2), (0, 3), (2, 3), (5, 6), (6, 7), (0, 200), (7, 8), (163, 168)];
    // Ranges whose edges fall on primes and on squares of primes: [p, p + 1), [p, q), [p², q²),
    // [p² − 1, q² + 1).
    for w in primes.windows(2).step_by(7) {
        let (p, q) = (w[0], w[1]);
        ranges.extend([(p, p + 1), (p, q), (p * p, q * q), (p * p - 1, q * q + 1), (p * p, p * p + 1)]);
    }
    let mut rng = Rng(2);
    for _ in 0..30 {
        let start = rng.below(10_000_000);
        ranges.push((start, start + rng.below(20_000)));
    }
    for &(start, end) in &ranges {
        let want: Vec<u64> = (start..end).filter(|&n| is_prime_naive(n)).collect();
        for threads in 1..=3 {
            assert_eq!(primes_in(start, end, threads, &c).as_ref(), Ok(&want), "[{start}, {end}), {threads} threads");
        }
        for tuning in TINY {
            let threads = 1 + (start % 3) as usize;
            assert_eq!(
                primes_in_with(start, end, threads, &c, tuning).as_ref(),
                Ok(&want),
                "[{start}, {end}) with {tuning:?}"
            );
        }
    }
}

#[test]
fn the_book_range() {
    let (start, end) = check_values::RANGE;
    let primes = primes_in(start, end, 2, &Control::new()).unwrap();
    assert_eq!(primes.len() as u64, check_values::RANGE_COUNT);
    assert_eq!(primes.first(), Some(&check_values::RANGE_FIRST));
    assert_eq!(primes.last(), Some(&check_values::RANGE_LAST));
    assert_eq!(primes.iter().sum::<u64>(), check_values::RANGE_SUM);
}

/// The path for ranges past 2⁴⁸, forced on small ranges by a tiny `root_max`, with windows of a
/// few bytes, agrees with the fast path.
#[test]
fn huge_path_agrees_with_the_fast_path() {
    let c = Control::new();
    let mut rng = Rng(3);
    for (root_max, window_bytes) in [(10, 1), (100, 7), (200, 1000), (1000, 50)] {
        let tuning = Tuning { segment_bytes: 64, block_bytes: 16, root_max, window_bytes };
        for _ in 0..6 {
            let start = rng.below(50_000_000);
            let end = start + rng.below(3_000);
            let want = primes_in(start, end, 1, &c).unwrap();
            let threads = 1 + (start % 3) as usize;
            assert_eq!(
                primes_in_with(start, end, threads, &c, tuning).as_ref(),
                Ok(&want),
                "[{start}, {end}) {tuning:?}"
            );
        }
        let limit = rng.below(30 * 300 * window_bytes);
        assert_eq!(count_with(limit, 2, &c, tuning), count(limit, 1, &c), "π({limit}) {tuning:?}");
    }
}

/// At the top of u64 (sieving primes up to 2³²), with no overflow.
#[test]
fn primes_at_the_top_of_u64() {
    let c = Control::new();
    let start = u64::MAX - 3_000;
    let want: Vec<u64> = (start..=u64::MAX).filter(|&n| is_prime_mr(n)).collect();
    assert_eq!(want.last(), Some(&(u64::MAX - 58)), "2⁶⁴ − 59 is the largest u64 prime");
    assert_eq!(primes_in(start, u64::MAX, 2, &c).as_ref(), Ok(&want));
    // Just below 2⁴⁸, the largest range the fast path takes.
    let top = (1u64 << 48) - 1;
    let want: Vec<u64> = (top - 2_000..top).filter(|&n| is_prime_mr(n)).collect();
    assert_eq!(primes_in(top - 2_000, top, 2, &c).as_ref(), Ok(&want));
}

#[test]
fn progress_counts_every_segment() {
    let c = Control::new();
    let tuning = TINY[2];
    count_with(1_000_000, 2, &c, tuning).unwrap();
    let (done, total) = c.progress();
    assert_eq!(done, total);
    assert_eq!(total, (1_000_000 / 30 / 64 + 1) as u64);
}

#[test]
fn cancel_stops_a_long_count() {
    let control = Arc::new(Control::new());
    let canceller = {
        let control = Arc::clone(&control);
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            control.cancel();
        })
    };
    // π(10¹²) would take minutes.
    let started = std::time::Instant::now();
    assert_eq!(count(1_000_000_000_000, 2, &control), Err(Error::Cancelled));
    assert!(started.elapsed() < Duration::from_secs(5), "stopped after {:?}", started.elapsed());
    canceller.join().unwrap();
    let (done, total) = control.progress();
    assert!(done < total, "{done} of {total} segments");

    let cancelled = Control::new();
    cancelled.cancel();
    assert_eq!(count_reference(1_000_000_000, &cancelled), Err(Error::Cancelled));
    assert_eq!(primes_in(0, 1_000_000, 1, &cancelled), Err(Error::Cancelled));
}
