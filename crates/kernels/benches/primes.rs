//! The four primes tasks for each variant × threads 1/2.
//! Run: `cargo bench -p parallax-kernels --bench primes` (add `-- --warm-up-time 1
//! --measurement-time 3` for a quick pass, or a filter such as `check`).
//! Multi-threaded runs go through a dedicated rayon pool, as on the server.
//!
//! Sizes are chosen so that one iteration takes about 0.1 s on the slower variant:
//! - `check`: 100109100129100369 (docs/workloads.md's table; smallest factor 95,362,951, so 47.7 M
//!   odd divisors), and the prime 2000000000000021 (√n ≈ 4.5·10⁷: 22.4 M odd divisors).
//! - `miller_rabin`: 2⁶⁴ − 59 (a prime: all seven bases) and 3825123056546413051 (a strong
//!   pseudoprime to every prime base up to 23: base 2 passes, a later one rejects), on the
//!   calling thread; and 1000 random odd u64 (time per number = median / 1000).
//! - `range`: [10⁸, 10⁸ + 2·10⁵), a fifth of the book's range.
//! - `count`: π(10⁸) = 5,761,455 (the reference sieve is single-threaded: threads 1 only).

use criterion::{Criterion, criterion_group, criterion_main};
use parallax_kernels::primes::{self, PrimesParams, Task};
use parallax_kernels::{Control, Exec, Variant};

const VARIANTS: [Variant; 2] = [Variant::Reference, Variant::Simd];

fn bench(c: &mut Criterion) {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
    let run =
        |c: &mut Criterion, group_name: &str, params: PrimesParams, checksum: u64, variants: &[(Variant, usize)]| {
            let mut group = c.benchmark_group(group_name);
            group.sample_size(10);
            for &(variant, threads) in variants {
                let exec = Exec::new(variant).threads(threads);
                group.bench_function(format!("{}/t{threads}", variant.as_str()), |b| {
                    b.iter(|| {
                        let out = pool.install(|| primes::run(&params, &exec, &Control::new()).unwrap());
                        assert_eq!(out.checksum, checksum);
                    })
                });
            }
            group.finish();
        };
    let all: Vec<(Variant, usize)> = VARIANTS.iter().flat_map(|&v| [(v, 1), (v, 2)]).collect();
    let check = |n| PrimesParams { task: Task::Check, n, ..PrimesParams::default() };
    run(c, "check_100109100129100369", check(100_109_100_129_100_369), 0, &all);
    run(c, "check_2000000000000021", check(2_000_000_000_000_021), 1, &all);
    // Microseconds: on the calling thread, as the kernel runs it (a pool hand-off would cost
    // more than the test).
    for (n, prime) in [(u64::MAX - 58, true), (3_825_123_056_546_413_051, false)] {
        let mut group = c.benchmark_group(format!("miller_rabin_{n}"));
        for variant in VARIANTS {
            let params = PrimesParams { task: Task::MillerRabin, n, ..PrimesParams::default() };
            let exec = Exec::new(variant);
            group.bench_function(variant.as_str(), |b| {
                b.iter(|| assert_eq!(primes::run(&params, &exec, &Control::new()).unwrap().checksum, prime as u64))
            });
        }
        group.finish();
    }
    // Per 64-bit number: 1000 random odd numbers (a fixed xorshift sequence), about 23 primes.
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    let odd: Vec<u64> = (0..1000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x | 1
        })
        .collect();
    let mut group = c.benchmark_group("miller_rabin_1000_random_odd_u64");
    let expected = odd.iter().filter(|&&n| primes::miller_rabin::reference(n)).count();
    for (name, test) in
        [("reference", primes::miller_rabin::reference as fn(u64) -> bool), ("simd", primes::miller_rabin::is_prime)]
    {
        group.bench_function(name, |b| b.iter(|| assert_eq!(odd.iter().filter(|&&n| test(n)).count(), expected)));
    }
    group.finish();
    let range = PrimesParams { task: Task::Range, start: 100_000_000, end: 100_200_000, ..PrimesParams::default() };
    let range_sum = (100_000_000u64..100_200_000).filter(|&x| primes::miller_rabin::is_prime(x)).sum();
    run(c, "range_1e8_2e5", range, range_sum, &all);
    let count = PrimesParams { task: Task::Count, limit: 100_000_000, ..PrimesParams::default() };
    run(c, "count_1e8", count, 5_761_455, &[(Variant::Reference, 1), (Variant::Simd, 1), (Variant::Simd, 2)]);
}

criterion_group!(benches, bench);
criterion_main!(benches);
