//! Runs each workload's book case once per variant and prints checksum, summary and time:
//! what README's run command shows until the server exists.
//! Run: `cargo run --release -p parallax-kernels --example book`.

use std::time::Instant;

use parallax_kernels::julia::{self, JuliaParams};
use parallax_kernels::{Control, Exec, Variant, simd};

fn main() {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("SIMD: {} ({} f64 lanes), {threads} threads", simd::Isa::detect().name(), simd::widest_lanes());
    let params = JuliaParams::default();
    for variant in [Variant::Reference, Variant::Simd] {
        for t in [1, threads] {
            let exec = Exec::new(variant).threads(t);
            let start = Instant::now();
            let out = julia::run(&params, &exec, &Control::new()).expect("the book's case is valid");
            let ms = start.elapsed().as_secs_f64() * 1e3;
            println!(
                "julia 1000x1000/300 {:>9} t{t}: checksum {} (book: {}), max {}, {ms:.1} ms",
                variant.as_str(),
                out.checksum,
                julia::check_values::BOOK_SUM,
                out.summary.max
            );
        }
    }
}
