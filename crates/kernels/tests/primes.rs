//! Primes: every value of docs/workloads.md section 3 for both variants, the variants and the sieve
//! against each other and against naive oracles (threads 1, 2 and 3), validation, and cancel.
//! Run in release: `cargo test --release -p parallax-kernels --test kernels -- primes::` (the full trial
//! divisions of the two 18-digit primes take seconds).

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use parallax_kernels::primes::check::Products;
use parallax_kernels::primes::{
    self, Primality, PrimesOutput, PrimesParams, PrimesSummary, Task, check, check_values, miller_rabin, range, sieve,
};
use parallax_kernels::{Control, Error, Exec, Variant, limits};
use proptest::prelude::*;

const VARIANTS: [Variant; 2] = [Variant::Reference, Variant::Simd];

/// A pool of three threads, so `threads = 3` really runs three workers on this 2-core machine.
fn pool() -> &'static rayon::ThreadPool {
    static POOL: OnceLock<rayon::ThreadPool> = OnceLock::new();
    POOL.get_or_init(|| rayon::ThreadPoolBuilder::new().num_threads(3).build().unwrap())
}

fn run(params: &PrimesParams, variant: Variant, threads: usize) -> Result<PrimesOutput, Error> {
    pool().install(|| primes::run(params, &Exec::new(variant).threads(threads), &Control::new()))
}

fn task(task: Task) -> PrimesParams {
    PrimesParams { task, ..PrimesParams::default() }
}

fn check_n(n: u64, variant: Variant, threads: usize) -> Primality {
    let out = run(&PrimesParams { n, ..task(Task::Check) }, variant, threads).unwrap();
    let PrimesSummary::Primality(p) = out.summary else { panic!("check returned {:?}", out.summary) };
    assert_eq!(out.checksum, p.is_prime as u64);
    assert!(out.primes.is_empty());
    p
}

fn miller_rabin_n(n: u64, variant: Variant) -> bool {
    let out = run(&PrimesParams { n, ..task(Task::MillerRabin) }, variant, 1).unwrap();
    let PrimesSummary::Primality(p) = out.summary else { panic!("miller_rabin returned {:?}", out.summary) };
    assert_eq!(p.factor, None, "miller_rabin reports no factor");
    p.is_prime
}

fn range_primes(start: u64, end: u64, variant: Variant, threads: usize) -> Vec<u64> {
    let out = run(&PrimesParams { start, end, ..task(Task::Range) }, variant, threads).unwrap();
    let sum = out.primes.iter().fold(0u64, |s, &p| s.wrapping_add(p));
    assert_eq!(out.checksum, sum);
    assert_eq!(
        out.summary,
        PrimesSummary::Range {
            count: out.primes.len() as u64,
            first: out.primes.first().copied(),
            last: out.primes.last().copied()
        }
    );
    out.primes
}

fn count(limit: u64, variant: Variant, threads: usize) -> u64 {
    let out = run(&PrimesParams { limit, ..task(Task::Count) }, variant, threads).unwrap();
    assert_eq!(out.summary, PrimesSummary::Count { count: out.checksum });
    out.checksum
}

/// The oracle: the smallest divisor > 1 by the plainest loop there is.
fn naive_smallest_factor(n: u64) -> Option<u64> {
    (2..).take_while(|d| d * d <= n).find(|&d| n.is_multiple_of(d))
}

fn naive_is_prime(n: u64) -> bool {
    n >= 2 && naive_smallest_factor(n).is_none()
}

/// The oracle's answer in the kernel's shape.
fn naive_primality(n: u64) -> Primality {
    match (n, naive_smallest_factor(n)) {
        (0 | 1, _) => Primality::NOT_PRIME,
        (_, Some(f)) => Primality::composite(f),
        (_, None) => Primality::PRIME,
    }
}

// ---- docs/workloads.md values ----

fn book_table(variant: Variant) {
    for (n, is_prime, factor) in check_values::CHECKS {
        let want = Primality { is_prime, factor };
        assert_eq!(check_n(n, variant, 2), want, "{n} ({variant:?})");
        if let Some(f) = factor {
            assert!(n.is_multiple_of(f), "the table itself: {f} divides {n}");
        }
    }
}

#[test]
fn book_table_by_reference_trial_division() {
    book_table(Variant::Reference);
}

#[test]
fn book_table_by_simd_trial_division() {
    book_table(Variant::Simd);
}

#[test]
fn the_default_params_are_the_book_prime() {
    let out = run(&PrimesParams::default(), Variant::Simd, 2).unwrap();
    assert_eq!(out.checksum, 1);
    assert_eq!(out.summary, PrimesSummary::Primality(Primality::PRIME));
}

#[test]
fn miller_rabin_values() {
    for variant in VARIANTS {
        for (n, prime) in
            check_values::MILLER_RABIN.into_iter().chain([(0, false), (1, false), (2, true), (u64::MAX, false)])
        {
            assert_eq!(miller_rabin_n(n, variant), prime, "{n} ({variant:?})");
        }
        for (n, is_prime, _) in check_values::CHECKS {
            assert_eq!(miller_rabin_n(n, variant), is_prime, "{n} ({variant:?})");
        }
    }
}

#[test]
fn small_numbers_and_edges_by_trial_division() {
    for variant in VARIANTS {
        for threads in [1, 2, 3] {
            for n in 0..2_000 {
                assert_eq!(check_n(n, variant, threads), naive_primality(n), "{n} ({variant:?}, {threads} threads)");
            }
            assert_eq!(check_n(u64::MAX, variant, threads), Primality::composite(3));
            assert_eq!(check_n(u64::MAX - 1, variant, threads), Primality::composite(2));
        }
    }
}

#[test]
fn the_square_of_the_largest_prime_below_two_to_the_32() {
    // Its only factor is the very last divisor, ⌊√n⌋ = 2³² − 5: 2³¹ divisors, ≈ 1 s with simd.
    let p = 4_294_967_291u64;
    assert_eq!(check_n(p * p, Variant::Simd, 2), Primality::composite(p));
    assert!(!miller_rabin_n(p * p, Variant::Simd));
}

#[test]
fn the_range_of_the_book() {
    for (variant, threads) in [(Variant::Reference, 2), (Variant::Simd, 1), (Variant::Simd, 2), (Variant::Simd, 3)] {
        let (start, end) = check_values::RANGE;
        let primes = range_primes(start, end, variant, threads);
        assert_eq!(primes.len() as u64, check_values::RANGE_COUNT, "{variant:?}, {threads} threads");
        assert_eq!(primes[0], check_values::RANGE_FIRST);
        assert_eq!(*primes.last().unwrap(), check_values::RANGE_LAST);
        assert_eq!(primes.iter().sum::<u64>(), check_values::RANGE_SUM);
    }
}

#[test]
fn pi_of_powers_of_ten() {
    for (k, &pi) in check_values::PI_POWERS_OF_TEN.iter().enumerate().skip(1) {
        let limit = 10u64.pow(k as u32);
        assert_eq!(count(limit, Variant::Simd, 2), pi, "π(10^{k}) simd");
        if limit <= limits::PRIMES_REFERENCE_MAX_LIMIT {
            assert_eq!(count(limit, Variant::Reference, 1), pi, "π(10^{k}) reference");
        }
    }
}

#[test]
fn count_and_range_at_the_smallest_limits() {
    for variant in VARIANTS {
        for (limit, pi) in [(0, 0), (1, 0), (2, 1), (3, 2), (4, 2), (5, 3)] {
            assert_eq!(count(limit, variant, 2), pi, "π({limit}) ({variant:?})");
        }
        assert_eq!(range_primes(0, 0, variant, 2), Vec::<u64>::new());
        assert_eq!(range_primes(0, 12, variant, 2), vec![2, 3, 5, 7, 11]);
        assert_eq!(range_primes(24, 29, variant, 2), Vec::<u64>::new());
    }
    // Far out and narrow: the fast path tests each number with Miller–Rabin.
    let top = range_primes(u64::MAX - 100, u64::MAX, Variant::Simd, 2);
    // The three largest primes below 2⁶⁴: 2⁶⁴ − 95, 2⁶⁴ − 83, 2⁶⁴ − 59.
    assert_eq!(top, vec![u64::MAX - 94, u64::MAX - 82, u64::MAX - 58]);
}

// ---- properties ----

/// Primes near 2³² and 2²⁰: building blocks of hard composites.
fn prime_at_or_after(mut x: u64) -> u64 {
    while !naive_is_prime(x) {
        x += 1;
    }
    x
}

fn prime_at_or_before(mut x: u64) -> u64 {
    while x > 2 && !naive_is_prime(x) {
        x -= 1;
    }
    x
}

fn hard_composite() -> impl Strategy<Value = u64> {
    prop_oneof![
        // squares of primes (the factor is ⌊√n⌋ itself, the last divisor)
        (3u64..1 << 20).prop_map(|x| prime_at_or_after(x).pow(2)),
        // products of two primes of 10..=26 bits
        ((1u64 << 10)..1 << 26, (1u64 << 10)..1 << 26).prop_map(|(a, b)| prime_at_or_after(a) * prime_at_or_after(b)),
        // any number below 2⁴⁰
        0u64..1 << 40,
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    /// `check` (both variants, every thread count) and `miller_rabin` (both) agree with the
    /// oracle.
    #[test]
    fn check_and_miller_rabin_agree_with_the_oracle(n in hard_composite(), threads in 1usize..=3) {
        let want = naive_primality(n);
        for variant in VARIANTS {
            prop_assert_eq!(check_n(n, variant, threads), want, "{} {:?} {}", n, variant, threads);
            prop_assert_eq!(miller_rabin_n(n, variant), want.is_prime);
        }
    }

    /// Products of two primes near 2³² and squares of primes near 2³², n up to 2⁶⁴: the simd
    /// divisibility test on windows around the factor (a full scan would take seconds), and
    /// Miller–Rabin.
    #[test]
    fn the_simd_test_finds_factors_near_two_to_the_32(
        a in (1u64 << 32) - (1 << 22)..(1 << 32) - 5,
        b in (1u64 << 31)..(1 << 32) - 5,
        square in any::<bool>(),
        before in 0u64..1 << 19,
        after in 0u64..1 << 19,
    ) {
        let p = prime_at_or_after(a);
        let q = if square { p } else { prime_at_or_after(b) };
        let n = p * q;
        let f = p.min(q);
        let (lo, hi) = ((f - before) | 1, (f + after).min(n.isqrt()));
        for lanes in [2, 4, 8] {
            for products in [Products::U64, Products::Words, Products::F64] {
                let found = check::scan_simd_with(lanes, n, lo, hi, products);
                prop_assert_eq!(found, Some(f), "n={} lanes={} {:?}", n, lanes, products);
            }
        }
        prop_assert_eq!(check::scan_reference(n, lo, hi), Some(f));
        prop_assert!(!miller_rabin::is_prime(n) && !miller_rabin::reference(n));
    }

    /// The simd scan and the reference scan agree on arbitrary windows of arbitrary odd n,
    /// across the 2¹⁶ and 2²² boundaries of the residue walk.
    #[test]
    fn the_scans_agree_on_any_window(
        n in any::<u64>(),
        lo in 3u64..1 << 26,
        len in 0u64..1 << 18,
        lanes in prop::sample::select(vec![2u32, 4, 8]),
    ) {
        let n = n | 1;
        let lo = lo | 1;
        let hi = (lo + len).min(n.isqrt()).min((1 << 32) - 1);
        let expected = check::scan_reference(n, lo, hi);
        for products in [Products::U64, Products::Words, Products::F64] {
            let found = check::scan_simd_with(lanes, n, lo, hi, products);
            prop_assert_eq!(found, expected, "n={} [{}, {}] {:?}", n, lo, hi, products);
        }
    }

    /// Divisors mostly above `n / 2³²` (q < 2³²), where the residue walk's one-product test runs (integer or
    /// f64 products): a planted odd factor `f` in a window around it, found by both tests as the
    /// reference finds it, and `n + 2` on the same window (mostly no factor there).
    #[test]
    fn the_one_product_tests_agree_above_n_hi(
        f in (1u64 << 17)..(1 << 30),
        q in 1u64..1 << 32,
        before in 0u64..1 << 18,
        after in 0u64..1 << 18,
        lanes in prop::sample::select(vec![2u32, 4, 8]),
    ) {
        let (f, q) = (f | 1, q | 1);
        let n = f * q;
        let (lo, hi) = ((f.saturating_sub(before)).max(3) | 1, (f + after).min(n.isqrt()).min((1 << 32) - 1));
        let expected = check::scan_reference(n, lo, hi);
        for products in [Products::U64, Products::Words, Products::F64] {
            let found = check::scan_simd_with(lanes, n, lo, hi, products);
            prop_assert_eq!(found, expected, "n={} [{}, {}] {:?}", n, lo, hi, products);
        }
        let m = n + 2;
        let expected = check::scan_reference(m, lo, hi);
        for products in [Products::U64, Products::Words, Products::F64] {
            prop_assert_eq!(check::scan_simd_with(lanes, m, lo, hi, products), expected, "n={} {:?}", m, products);
        }
    }

    /// The two Miller–Rabin implementations agree on every u64, and with trial division where
    /// it is affordable.
    #[test]
    fn miller_rabin_variants_agree(n in any::<u64>(), small in 0u64..1 << 36) {
        prop_assert_eq!(miller_rabin::is_prime(n), miller_rabin::reference(n), "{}", n);
        prop_assert_eq!(miller_rabin::is_prime(small), naive_is_prime(small), "{}", small);
    }

    /// `range` (both variants, every thread count), Miller–Rabin and the oracle give the same
    /// primes, with the range's ends on primes, squares of primes, or anywhere.
    #[test]
    fn range_agrees_with_miller_rabin_and_the_oracle(
        x in 0u64..1 << 30,
        len in 0u64..6_000,
        ends in 0usize..3,
        threads in 1usize..=3,
    ) {
        // Ends on a prime, on the square of a prime, or anywhere.
        let start = match ends {
            0 => prime_at_or_after(x),
            1 => prime_at_or_after(x.isqrt()).pow(2),
            _ => x,
        };
        let end = match ends {
            0 => prime_at_or_after(start + len),
            1 => start + len,
            _ => {
                let q = prime_at_or_before((start + len).isqrt());
                if q * q > start { q * q } else { start + len }
            }
        };
        let want: Vec<u64> = (start..end).filter(|&x| naive_is_prime(x)).collect();
        for variant in VARIANTS {
            prop_assert_eq!(&range_primes(start, end, variant, threads), &want, "[{}, {}) {:?}", start, end, variant);
        }
        let by_miller_rabin: Vec<u64> = (start..end).filter(|&x| miller_rabin::is_prime(x)).collect();
        prop_assert_eq!(&by_miller_rabin, &want);
        let direct = pool().install(|| sieve::primes_in(start, end, threads, &Control::new())).unwrap();
        prop_assert_eq!(&direct, &want);
    }

    /// π(limit) by both variants and every thread count equals the oracle's count, with the
    /// limit on a prime, on the square of a prime, just below one, or anywhere.
    #[test]
    fn count_agrees_with_the_oracle(x in 0u64..3_000_000, at in 0usize..4, threads in 1usize..=3) {
        let limit = match at {
            0 => prime_at_or_after(x),
            1 => prime_at_or_after(x.isqrt()).pow(2),
            2 => prime_at_or_after(x) - 1,
            _ => x,
        };
        let want = oracle_pi(limit);
        for variant in VARIANTS {
            prop_assert_eq!(count(limit, variant, threads), want, "π({}) {:?}", limit, variant);
        }
    }
}

/// π(limit) by a plain sieve, for the count property.
fn oracle_pi(limit: u64) -> u64 {
    let limit = limit as usize;
    let mut composite = vec![false; limit + 1];
    let mut pi = 0;
    for i in 2..=limit {
        if !composite[i] {
            pi += 1;
            for j in (i * i..=limit).step_by(i) {
                composite[j] = true;
            }
        }
    }
    pi
}

// ---- validation ----

fn field_of(params: &PrimesParams, exec: Exec) -> Option<&'static str> {
    primes::run(params, &exec, &Control::new()).err().and_then(|e| e.field())
}

#[test]
fn bad_values_are_refused_and_named() {
    let simd = Exec::new(Variant::Simd);
    let reference = Exec::new(Variant::Reference);
    let range = |start, end| PrimesParams { start, end, ..task(Task::Range) };
    let limit = |limit| PrimesParams { limit, ..task(Task::Count) };
    assert_eq!(field_of(&range(10, 9), simd), Some("end"));
    assert_eq!(field_of(&range(0, limits::PRIMES_MAX_SPAN + 1), simd), Some("end"));
    assert_eq!(field_of(&range(u64::MAX - limits::PRIMES_MAX_SPAN - 1, u64::MAX), simd), Some("end"));
    assert_eq!(field_of(&limit(limits::PRIMES_MAX_LIMIT + 1), simd), Some("limit"));
    assert_eq!(field_of(&limit(u64::MAX), simd), Some("limit"));
    // The reference variant's own bounds: the plain sieve's memory, trial division's time.
    assert_eq!(field_of(&limit(limits::PRIMES_REFERENCE_MAX_LIMIT + 1), reference), Some("limit"));
    assert_eq!(field_of(&range(1 << 60, (1 << 60) + 1_000_000), reference), Some("end"));
    assert!(range(1 << 60, (1 << 60) + 1_000_000).validate().is_ok(), "the simd variant may sieve it");
    // Exec.
    assert_eq!(field_of(&PrimesParams::default(), simd.threads(0)), Some("threads"));
    assert_eq!(field_of(&PrimesParams::default(), simd.lanes(3)), Some("lanes"));
    assert_eq!(field_of(&PrimesParams::default(), reference.lanes(4)), Some("lanes"));
    // Fields a task does not read are not checked.
    assert!(PrimesParams { limit: u64::MAX, start: 5, end: 1, ..task(Task::Check) }.validate().is_ok());
    // Messages name the field, the value and what is allowed.
    let message = primes::run(&limit(limits::PRIMES_MAX_LIMIT + 1), &simd, &Control::new()).unwrap_err().to_string();
    let (got, allowed) = ((limits::PRIMES_MAX_LIMIT + 1).to_string(), limits::PRIMES_MAX_LIMIT.to_string());
    assert!(message.starts_with(&format!("limit = {got} ")) && message.contains(&allowed), "{message}");
    let message = primes::run(&range(10, 9), &simd, &Control::new()).unwrap_err().to_string();
    assert!(message.contains("end = 9") && message.contains("start = 10"), "{message}");
}

#[test]
fn the_limits_hold_the_book_cases() {
    for task_ in [Task::Check, Task::MillerRabin, Task::Range, Task::Count] {
        for variant in VARIANTS {
            assert_eq!(task(task_).validate_for(variant), Ok(()), "{task_:?} {variant:?}");
        }
    }
    assert_eq!(PrimesParams { limit: 10_000_000_000, ..task(Task::Count) }.validate_for(Variant::Simd), Ok(()));
}

#[test]
fn json_in_and_out() {
    let read = |json: &str| serde_json::from_str::<PrimesParams>(json);
    assert_eq!(read("{}").unwrap(), PrimesParams::default());
    let p = read(r#"{"task": "range", "start": "100000000", "end": 101000000}"#).unwrap();
    assert_eq!((p.task, p.start, p.end), (Task::Range, 100_000_000, 101_000_000));
    assert_eq!(read(r#"{"task": "miller_rabin", "n": "18446744073709551557"}"#).unwrap().n, u64::MAX - 58);
    for field in ["n", "start", "end", "limit"] {
        for bad in
            [r#""-1""#, "-1", r#""1e3""#, "1e3", "1.5", "18446744073709551616", r#""18446744073709551616""#, "null"]
        {
            let json = format!(r#"{{"{field}": {bad}}}"#);
            assert!(read(&json).is_err(), "{json} was accepted");
        }
    }
    assert!(read(r#"{"task": "sieve"}"#).is_err());
    assert!(read(r#"{"nn": 5}"#).is_err(), "unknown fields are refused");

    let json = |summary: &PrimesSummary| serde_json::to_value(summary).unwrap();
    assert_eq!(
        json(&PrimesSummary::Primality(Primality::composite(95_362_951))),
        serde_json::json!({ "is_prime": false, "factor": "95362951" })
    );
    assert_eq!(
        json(&PrimesSummary::Primality(Primality::PRIME)),
        serde_json::json!({ "is_prime": true, "factor": null })
    );
    let out = run(&task(Task::Range), Variant::Simd, 2).unwrap();
    assert_eq!(out.checksum, check_values::RANGE_SUM);
    assert_eq!(json(&out.summary), serde_json::json!({ "count": "54208", "first": "100000007", "last": "100999993" }));
    assert_eq!(
        json(&PrimesSummary::Range { count: 0, first: None, last: None }),
        serde_json::json!({ "count": "0", "first": null, "last": null })
    );
    assert_eq!(json(&PrimesSummary::Count { count: 455_052_511 }), serde_json::json!({ "count": "455052511" }));
    assert_eq!(serde_json::to_value(Task::MillerRabin).unwrap(), serde_json::json!("miller_rabin"));
}

// ---- cancel and progress ----

/// Starts `params` on another thread, cancels it as soon as its progress shows it under way
/// (a fixed delay raced a fast machine: the book's 10⁸-wide simd range can finish in 50 ms), and
/// returns its result and how long it took to stop after the cancel.
fn cancel_once_started(params: PrimesParams, exec: Exec) -> (Result<PrimesOutput, Error>, Duration) {
    let control = Control::new();
    std::thread::scope(|s| {
        let job = s.spawn(|| pool().install(|| primes::run(&params, &exec, &control)));
        let waiting = Instant::now();
        while control.progress().0 == 0 && waiting.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_micros(100));
        }
        control.cancel();
        let cancelled = Instant::now();
        let result = job.join().unwrap();
        (result, cancelled.elapsed())
    })
}

#[test]
fn cancel_stops_a_long_check() {
    for variant in VARIANTS {
        // 2⁶⁴ − 59: 2³¹ divisors, seconds for either variant.
        let params = PrimesParams { n: u64::MAX - 58, ..task(Task::Check) };
        let (result, stop) = cancel_once_started(params, Exec::new(variant).threads(2));
        assert_eq!(result, Err(Error::Cancelled), "{variant:?}");
        // Generous: a chunk is milliseconds; this only catches a run that ignores the flag.
        assert!(stop < Duration::from_secs(2), "{variant:?} took {stop:?} to stop");
    }
}

#[test]
fn cancel_stops_range_and_count() {
    // The book's range by trial division: about a second.
    let (result, stop) = cancel_once_started(task(Task::Range), Exec::new(Variant::Reference).threads(2));
    assert_eq!(result, Err(Error::Cancelled));
    assert!(stop < Duration::from_secs(2), "range took {stop:?} to stop");
    let wide = PrimesParams { start: 1 << 40, end: (1 << 40) + limits::PRIMES_MAX_SPAN, ..task(Task::Range) };
    let (result, stop) = cancel_once_started(wide, Exec::new(Variant::Simd).threads(2));
    assert_eq!(result, Err(Error::Cancelled));
    assert!(stop < Duration::from_secs(2), "range took {stop:?} to stop");
    let (result, stop) = cancel_once_started(
        PrimesParams { limit: limits::PRIMES_MAX_LIMIT, ..task(Task::Count) },
        Exec::new(Variant::Simd).threads(2),
    );
    assert_eq!(result, Err(Error::Cancelled));
    assert!(stop < Duration::from_secs(2), "count took {stop:?} to stop");
}

#[test]
fn a_cancelled_control_runs_nothing() {
    let control = Control::new();
    control.cancel();
    for task_ in [Task::Check, Task::MillerRabin, Task::Range, Task::Count] {
        let r = primes::run(&task(task_), &Exec::new(Variant::Simd).threads(2), &control);
        assert_eq!(r, Err(Error::Cancelled), "{task_:?}");
    }
}

#[test]
fn progress_reaches_its_total() {
    for task_ in [Task::Check, Task::MillerRabin, Task::Range, Task::Count] {
        let control = Control::new();
        let params = PrimesParams { n: 100_109_100_129_100_369, limit: 10_000_000, ..task(task_) };
        pool().install(|| primes::run(&params, &Exec::new(Variant::Simd).threads(2), &control)).unwrap();
        let (done, total) = control.progress();
        assert!(total > 0 && done == total, "{task_:?}: {done}/{total}");
    }
}

#[test]
fn range_reference_work_is_what_the_limit_bounds() {
    assert_eq!(range::reference_work(100_000_000, 101_000_000), 1_000_000 * 10_049);
    assert_eq!(range::reference_work(5, 5), 0);
    assert_eq!(range::reference_work(0, u64::MAX), u64::MAX);
}
