//! Julia at the book's size (1000², 300 iterations) for each variant × lanes × threads 1/2.
//! Run: `cargo xtask bench julia` (or `cargo bench -p parallax-kernels --bench julia`).
//! Multi-threaded runs go through a dedicated rayon pool, as on the server.

use criterion::{Criterion, criterion_group, criterion_main};
use parallax_kernels::julia::{self, JuliaParams};
use parallax_kernels::{Control, Exec, Variant};

fn bench(c: &mut Criterion) {
    let params = JuliaParams::default();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
    let mut group = c.benchmark_group("julia_1000x1000_300");
    group.sample_size(20);
    let mut cases = vec![("reference".to_string(), Exec::new(Variant::Reference))];
    for lanes in [2, 4, 8] {
        cases.push((format!("simd_x{lanes}"), Exec::new(Variant::Simd).lanes(lanes)));
    }
    for (name, exec) in cases {
        for threads in [1, 2] {
            let exec = exec.threads(threads);
            group.bench_function(format!("{name}/t{threads}"), |b| {
                b.iter(|| {
                    let out = pool.install(|| julia::run(&params, &exec, &Control::new()).unwrap());
                    assert_eq!(out.checksum, julia::check_values::BOOK_SUM);
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
