//! Monte Carlo π natively, in nanoseconds per dart: reference and simd at every width × threads
//! 1 and 2, medians of 5 runs of 10⁷ darts (the size the book's peer is run at). The kernels
//! in-process, without the server: `cargo run --release -p parallax-kernels --example pi_measure`.

use std::time::Instant;

use parallax_kernels::pi::{self, PiParams};
use parallax_kernels::{Control, Exec, Variant, simd};

fn main() {
    let samples: u64 = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(10_000_000);
    let params = PiParams { samples, seed: 0 };
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().expect("a pool of 2");
    println!("{samples} darts, medians of 5; {} ({} lanes widest)", simd::Isa::detect().name(), simd::widest_lanes());
    let mut cases = vec![("reference".to_string(), Exec::new(Variant::Reference))];
    for lanes in [2, 4, 8] {
        cases.push((format!("simd x{lanes}"), Exec::new(Variant::Simd).lanes(lanes)));
    }
    for (name, exec) in cases {
        for threads in [1, 2] {
            let exec = exec.threads(threads);
            let mut ns: Vec<f64> = (0..6)
                .map(|_| {
                    let start = Instant::now();
                    let out = pool.install(|| pi::run(&params, &exec, &Control::new())).expect("a valid run");
                    std::hint::black_box(out);
                    start.elapsed().as_secs_f64() * 1e9 / samples as f64
                })
                .skip(1)
                .collect();
            ns.sort_by(f64::total_cmp);
            println!("{name:>10} t{threads}: {:.3} ns/dart", ns[2]);
        }
    }
}
