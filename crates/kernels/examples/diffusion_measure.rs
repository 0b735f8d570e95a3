//! Measures what the diffusion benchmarks cannot show, in one run on one machine:
//! 1. time per step at 1024², steps 0–100 (the range the numpy peer times:
//!    the book's best numpy version at 1024², 100 steps), per variant × threads;
//! 2. time per step at 2048² against the time to stream the grid's bytes once (a plain copy of
//!    one grid into the other: read + write), so the step is seen as a fraction of memory speed;
//! 3. the cost of subnormal numbers at 1024²: steps 300–500 (where they appear; docs/workloads.md
//!    counts 4,084 subnormal cells at step 350 and 21,216 at step 500) against steps 0–200.
//!
//! Run: `cargo run --release -p parallax-kernels --example diffusion_measure`.
//! Times are medians of several repetitions; two threads run in a dedicated rayon pool of 2.

use std::time::Instant;

use parallax_kernels::diffusion::{Diffusion, DiffusionParams};
use parallax_kernels::{Control, Exec, Variant, simd};

const REPS: usize = 5;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn square(n: u32, steps: u32) -> Diffusion {
    Diffusion::new(&DiffusionParams { width: n, height: n, steps, ..DiffusionParams::default() }).unwrap()
}

/// Milliseconds per step of `steps` steps from the current state of `state`.
fn ms_per_step(pool: &rayon::ThreadPool, state: &mut Diffusion, steps: u32, exec: &Exec) -> f64 {
    let start = Instant::now();
    pool.install(|| state.step_chunk(steps, exec, &Control::new()).unwrap());
    start.elapsed().as_secs_f64() * 1e3 / steps as f64
}

/// Median milliseconds per step of steps `0..steps` from the initial state.
fn from_start(pool: &rayon::ThreadPool, n: u32, steps: u32, exec: &Exec) -> f64 {
    let mut state = square(n, steps);
    median(
        (0..REPS)
            .map(|_| {
                state.restart();
                ms_per_step(pool, &mut state, steps, exec)
            })
            .collect(),
    )
}

fn subnormals(grid: &[f64]) -> usize {
    grid.iter().filter(|v| v.is_subnormal()).count()
}

fn main() {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "SIMD: {} ({} f64 lanes); load average: {}",
        simd::Isa::detect().name(),
        simd::widest_lanes(),
        load.trim()
    );
    let execs = [
        ("reference t1", Exec::new(Variant::Reference)),
        ("reference t2", Exec::new(Variant::Reference).threads(2)),
        ("simd t1", Exec::new(Variant::Simd)),
        ("simd t2", Exec::new(Variant::Simd).threads(2)),
        ("simd x2 t1", Exec::new(Variant::Simd).lanes(2)),
    ];

    println!("\n1. 1024², steps 0-100, ms per step (median of {REPS}):");
    for (name, exec) in &execs {
        println!("   {name:>13}: {:.3}", from_start(&pool, 1024, 100, exec));
    }

    println!("\n2. 2048², ms per step (20-step chunks) vs one plain copy of the grid (32 MiB read + 32 MiB written):");
    let src = square(2048, 0).grid().to_vec();
    let mut dst = vec![1.0; src.len()];
    let copy_t1 = median(
        (0..4 * REPS)
            .map(|_| {
                let start = Instant::now();
                dst.copy_from_slice(&src);
                start.elapsed().as_secs_f64() * 1e3
            })
            .collect(),
    );
    let copy_t2 = median(
        (0..4 * REPS)
            .map(|_| {
                let start = Instant::now();
                let (a, b) = dst.split_at_mut(src.len() / 2);
                let (sa, sb) = src.split_at(src.len() / 2);
                pool.install(|| rayon::join(|| a.copy_from_slice(sa), || b.copy_from_slice(sb)));
                start.elapsed().as_secs_f64() * 1e3
            })
            .collect(),
    );
    std::hint::black_box(&dst);
    println!(
        "   copy t1: {copy_t1:.3} ms ({:.1} GB/s read+write); copy t2: {copy_t2:.3} ms ({:.1} GB/s)",
        2.0 * 33.554432 / copy_t1,
        2.0 * 33.554432 / copy_t2
    );
    for (name, exec) in &execs {
        let step = from_start(&pool, 2048, 20, exec);
        let copy = if exec.threads == 2 { copy_t2 } else { copy_t1 };
        println!("   {name:>13}: {step:.3} ms per step = {:.2} × one copy at the same thread count", step / copy);
    }

    println!("\n3. 1024², subnormal numbers: ms per step over steps 0-200 vs 300-500:");
    for (name, exec) in &execs[..4] {
        let mut state = square(1024, 500);
        let early = ms_per_step(&pool, &mut state, 200, exec);
        state.step_chunk(100, exec, &Control::new()).unwrap();
        let at_300 = subnormals(state.grid());
        let a = ms_per_step(&pool, &mut state, 50, exec);
        let at_350 = subnormals(state.grid());
        let b = ms_per_step(&pool, &mut state, 150, exec);
        let late = (50.0 * a + 150.0 * b) / 200.0;
        println!(
            "   {name:>13}: 0-200 {early:.3}, 300-500 {late:.3} (300-350 {a:.3}, 350-500 {b:.3}): ×{:.2}; subnormal cells at 300/350/500: {at_300}/{at_350}/{}",
            late / early,
            subnormals(state.grid())
        );
    }
}
