//! Diffusion: one chunk of 10 steps from the book's initial state at 256², 512², 1024² and 2048²,
//! for each variant × width × threads 1/2; divide the times by 10 for the time per step.
//! Run: `cargo bench -p parallax-kernels --bench diffusion` (add `-- --warm-up-time 1
//! --measurement-time 3` for a short run). Multi-threaded runs go through a dedicated rayon pool
//! of 2 threads, as on the server.
//!
//! Each measured chunk starts from a restarted state (the restart is not timed), so every sample
//! times the same steps 0–10: no subnormal numbers yet (they appear near step 310 at 1024²;
//! `examples/diffusion_measure.rs` measures what they cost). A 10-step chunk is also what the
//! page runs per animation frame, rayon scope included; from 512² simd takes it as a pass of 8
//! steps and one of 2 (temporal blocking, `src/diffusion/schedule.rs`).

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use parallax_kernels::diffusion::{Diffusion, DiffusionParams};
use parallax_kernels::{Control, Exec, Variant};

/// Steps per measured chunk.
const CHUNK: u32 = 10;

fn bench(c: &mut Criterion) {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
    let mut cases = vec![("reference".to_string(), Exec::new(Variant::Reference))];
    for lanes in [2, 4, 8] {
        cases.push((format!("simd_x{lanes}"), Exec::new(Variant::Simd).lanes(lanes)));
    }
    for n in [256, 512, 1024, 2048] {
        let params = DiffusionParams { width: n, height: n, steps: CHUNK, ..DiffusionParams::default() };
        let mut state = Diffusion::new(&params).unwrap();
        let mut group = c.benchmark_group(format!("diffusion_{n}x{n}_{CHUNK}steps"));
        group.sample_size(10);
        for (name, exec) in &cases {
            for threads in [1, 2] {
                let exec = exec.threads(threads);
                group.bench_function(format!("{name}/t{threads}"), |b| {
                    b.iter_custom(|iters| {
                        let mut total = Duration::ZERO;
                        for _ in 0..iters {
                            state.restart();
                            let start = Instant::now();
                            let steps = pool.install(|| state.step_chunk(CHUNK, &exec, &Control::new()).unwrap());
                            total += start.elapsed();
                            black_box((steps, state.grid()[0]));
                        }
                        total
                    })
                });
            }
        }
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
