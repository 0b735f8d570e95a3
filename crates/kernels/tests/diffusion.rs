//! Diffusion: every check value of docs/workloads.md (section 2) at full size, every variant × width ×
//! thread count against the reference (and the reference against the book's loop written out
//! with `%`) on random rectangular grids, chunked runs, validation, cancellation.

use std::sync::Arc;
use std::time::{Duration, Instant};

use parallax_kernels::diffusion::check_values::{self, Case};
use parallax_kernels::diffusion::{self, DiffusionOutput, DiffusionParams, DiffusionRun};
use parallax_kernels::{Control, Error, Exec, Variant};
use proptest::prelude::*;

use crate::common::all_execs;

fn params(width: u32, height: u32, steps: u32) -> DiffusionParams {
    DiffusionParams { width, height, steps, ..DiffusionParams::default() }
}

fn run(p: &DiffusionParams, exec: &Exec) -> DiffusionOutput {
    diffusion::run(p, exec, &Control::new()).unwrap()
}

fn bits(grid: &[f64]) -> Vec<u64> {
    grid.iter().map(|v| v.to_bits()).collect()
}

/// Sums compare with `==`: the sum is defined as one sequential order, so it has one value.
fn assert_case(case: &Case, exec: &Exec) -> DiffusionOutput {
    let out = run(&params(case.width, case.height, case.steps), exec);
    let what = format!("{}×{}×{}, {exec:?}", case.width, case.height, case.steps);
    assert_eq!(out.summary().sum, case.sum, "sum, {what}");
    assert_eq!(out.summary().max, case.max, "max, {what}");
    assert_eq!(out.checksum(), case.fnv, "FNV, {what}");
    assert_eq!(out.checksum(), diffusion::fnv1a64(&out.grid));
    for (of, row, col, value) in check_values::CELLS {
        if of == *case {
            assert_eq!(out.grid[row * case.width as usize + col].to_bits(), value.to_bits(), "[{row}][{col}], {what}");
        }
    }
    out
}

#[test]
fn check_values_at_256_and_300_by_200_in_every_mode() {
    for exec in all_execs() {
        for case in [check_values::C256_500, check_values::C256_100, check_values::C300_200_100] {
            assert_case(&case, &exec);
        }
    }
}

#[test]
fn check_values_at_512_and_1024_by_500_steps() {
    let simd = Exec::new(Variant::Simd);
    for exec in [Exec::new(Variant::Reference), simd.threads(2), simd.lanes(2).threads(3)] {
        assert_case(&check_values::C512_500, &exec);
    }
    assert_eq!(params(1024, 1024, 500), DiffusionParams::default(), "the book's case is the default");
    for exec in [Exec::new(Variant::Reference), simd, simd.threads(2)] {
        assert_case(&check_values::BOOK, &exec);
    }
}

/// Example 6-6 as the book writes it, indices wrapped with `%`: an oracle that shares no code.
fn book_step(g: &[f64], w: usize, h: usize, d: f64, dt: f64) -> Vec<f64> {
    let at = |i: usize, j: usize| g[(i % h) * w + j % w];
    let mut out = vec![0.0; w * h];
    for i in 0..h {
        for j in 0..w {
            let xx = at(i + 1, j) + at(i + h - 1, j) - 2.0 * at(i, j);
            let yy = at(i, j + 1) + at(i, j + w - 1) - 2.0 * at(i, j);
            out[i * w + j] = at(i, j) + d * (xx + yy) * dt;
        }
    }
    out
}

#[test]
fn sides_of_one_and_two_wrap_onto_themselves() {
    // 2 × 2: the block is the cell (0, 0); each cell has the same neighbour on both sides.
    let out = run(&DiffusionParams { width: 2, height: 2, steps: 1, ..DiffusionParams::default() }, &Exec::default());
    let (hot, r) = (0.005, 0.1);
    let corner = hot + (1.0 * ((0.0 - 2.0 * hot) + (0.0 - 2.0 * hot))) * r;
    let side = 0.0 + (1.0 * ((0.0 - 0.0) + ((hot + hot) - 0.0))) * r;
    assert_eq!(out.grid, vec![corner, side, side, 0.0]);
    // A side of 1 has an empty block (⌊0.4⌋ = ⌊0.5⌋ = 0), so those grids stay 0; the unit tests
    // of `simd` check such sides on random values.
    for (w, h) in [(1, 1), (1, 7), (7, 1)] {
        let p = params(w, h, 5);
        assert_eq!(run(&p, &Exec::default()).grid, p.initial_grid(), "{w} × {h}");
    }
}

fn arb_params() -> impl Strategy<Value = DiffusionParams> {
    // Widths below, at and past every vector width + the two edge columns; odd heights;
    // d·dt anywhere in (0, 0.25].
    (1u32..40, 1u32..24, 0u32..30, 0.05f64..4.0, 0.001f64..1.0)
        .prop_map(|(width, height, steps, d, f)| DiffusionParams { width, height, steps, d, dt: 0.25 / d * f })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn every_variant_width_and_thread_count_equals_the_reference(p in arb_params()) {
        let expected = run(&p, &Exec::new(Variant::Reference));
        let (w, h) = (p.width as usize, p.height as usize);
        let mut book = p.initial_grid();
        for _ in 0..p.steps {
            book = book_step(&book, w, h, p.d, p.dt);
        }
        prop_assert_eq!(bits(&expected.grid), bits(&book), "reference vs the book's loop");
        for exec in all_execs() {
            let out = run(&p, &exec);
            prop_assert_eq!(bits(&out.grid), bits(&expected.grid), "{:?}", exec);
            prop_assert_eq!(out.checksum(), expected.checksum());
        }
    }

    /// Chunks of any size, each with its own variant, width and thread count.
    #[test]
    fn chunked_runs_equal_one_run(
        p in arb_params(),
        chunks in proptest::collection::vec((0u32..8, 0usize..15), 1..12),
    ) {
        let expected = run(&p, &Exec::new(Variant::Simd));
        let execs = all_execs();
        let mut state = DiffusionRun::new(&p).unwrap();
        for (k, e) in chunks.iter().cycle().take(p.steps as usize + chunks.len()) {
            let before = state.steps_left();
            let taken = state.step_chunk(*k, &execs[*e], &Control::new()).unwrap();
            prop_assert_eq!(taken, (*k).min(before));
            if state.steps_left() == 0 {
                break;
            }
        }
        // The last chunk may run past the end: it takes only what is left.
        let rest = state.steps_left();
        prop_assert_eq!(state.step_chunk(rest + 5, &Exec::default(), &Control::new()).unwrap(), rest);
        prop_assert_eq!(state.steps_done(), p.steps);
        prop_assert_eq!(bits(state.grid()), bits(&expected.grid));
        prop_assert_eq!(state.into_output(), expected);
    }
}

/// At 1024² simd takes several steps per pass over memory: chunks that end inside a pass.
#[test]
fn chunked_runs_equal_one_run_where_simd_blocks_steps() {
    let p = params(1024, 1024, 60);
    let expected = run(&p, &Exec::new(Variant::Reference));
    let mut state = DiffusionRun::new(&p).unwrap();
    let simd = Exec::new(Variant::Simd);
    for (k, exec) in [(3, simd), (9, simd.threads(2)), (1, simd), (17, simd.lanes(2).threads(3)), (30, simd.lanes(4))] {
        assert_eq!(state.step_chunk(k, &exec, &Control::new()), Ok(k));
    }
    assert_eq!(state.into_output(), expected);
}

#[test]
fn restart_returns_to_the_initial_state() {
    let p = params(64, 48, 40);
    let mut state = DiffusionRun::new(&p).unwrap();
    state.step_chunk(17, &Exec::default(), &Control::new()).unwrap();
    state.restart();
    assert_eq!((state.steps_done(), state.grid()), (0, &p.initial_grid()[..]));
    state.step_chunk(40, &Exec::default().threads(2), &Control::new()).unwrap();
    assert_eq!(state.into_output(), run(&p, &Exec::new(Variant::Reference)));
}

fn invalid_field(p: DiffusionParams) -> &'static str {
    match diffusion::run(&p, &Exec::default(), &Control::new()) {
        Err(e @ Error::Invalid { .. }) => {
            let field = e.field().unwrap();
            assert!(e.to_string().contains(field), "message names the field: {e}");
            assert!(DiffusionRun::new(&p).is_err(), "the chunked API refuses it too");
            field
        }
        other => panic!("expected a validation error for {p:?}, got {other:?}"),
    }
}

#[test]
fn validation_refuses_each_kind_of_bad_input() {
    let d = DiffusionParams::default;
    assert_eq!(invalid_field(DiffusionParams { width: 0, ..d() }), "width");
    assert_eq!(invalid_field(DiffusionParams { height: 0, ..d() }), "height");
    assert_eq!(invalid_field(DiffusionParams { width: 8193, height: 1, ..d() }), "width");
    assert_eq!(invalid_field(DiffusionParams { height: 100_000, width: 1, ..d() }), "height");
    assert_eq!(invalid_field(DiffusionParams { width: 8192, height: 4096, steps: 1, ..d() }), "height");
    assert_eq!(invalid_field(DiffusionParams { width: 1, height: 1, steps: 1_000_001, ..d() }), "steps");
    assert_eq!(invalid_field(DiffusionParams { width: 4096, height: 4096, steps: 600, ..d() }), "steps");
    for bad in [0.0, -0.1, -0.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        assert_eq!(invalid_field(DiffusionParams { dt: bad, ..d() }), "dt", "dt = {bad}");
        assert_eq!(invalid_field(DiffusionParams { d: bad, ..d() }), "d", "d = {bad}");
    }
    assert_eq!(invalid_field(DiffusionParams { dt: 0.2501, ..d() }), "dt");
    assert_eq!(invalid_field(DiffusionParams { d: 2.0, dt: 0.2, ..d() }), "dt");
    let err = invalid_field(DiffusionParams { d: 1e300, dt: 1e300, ..d() });
    assert_eq!(err, "dt");
    // The edges of what is allowed.
    let ok = |p: DiffusionParams| p.validate().map_err(|e| e.to_string());
    assert_eq!(ok(DiffusionParams { d: 1.0, dt: 0.25, ..d() }), Ok(()));
    assert_eq!(ok(DiffusionParams { width: 4096, height: 4096, steps: 596, ..d() }), Ok(()));
    assert_eq!(ok(DiffusionParams { width: 1, height: 1, steps: 0, ..d() }), Ok(()));
    assert_eq!(ok(DiffusionParams { width: 8192, height: 2048, ..d() }), Ok(()));
    let message = DiffusionParams { d: 2.0, dt: 0.2, ..d() }.validate().unwrap_err().to_string();
    assert!(message.contains("0.4") && message.contains("0.25"), "{message}");
    let simd = Exec::new(Variant::Simd);
    for (exec, field) in
        [(simd.threads(0), "threads"), (simd.lanes(3), "lanes"), (Exec::new(Variant::Reference).lanes(2), "lanes")]
    {
        assert_eq!(diffusion::run(&d(), &exec, &Control::new()).unwrap_err().field(), Some(field));
        let mut state = DiffusionRun::new(&params(8, 8, 4)).unwrap();
        assert_eq!(state.step_chunk(4, &exec, &Control::new()).unwrap_err().field(), Some(field));
        assert_eq!(state.steps_done(), 0);
    }
}

#[test]
fn params_come_from_json_with_book_defaults_and_no_unknown_fields() {
    let p: DiffusionParams = serde_json::from_str("{}").unwrap();
    assert_eq!(p, DiffusionParams::default());
    assert_eq!((p.width, p.height, p.steps, p.dt, p.d), (1024, 1024, 500, 0.1, 1.0));
    let p: DiffusionParams = serde_json::from_str(r#"{"width": 300, "height": 200, "dt": 0.05}"#).unwrap();
    assert_eq!((p.width, p.height, p.steps, p.dt), (300, 200, 500, 0.05));
    for bad in [
        r#"{"D": 1.0}"#,
        r#"{"width": -1}"#,
        r#"{"steps": 1.5}"#,
        r#"{"height": "200"}"#,
        r#"{"width": 4294967296}"#,
        r#"{"dt": "0.1"}"#,
        r#"{"dt": 0.1, "dt": 0.2}"#,
    ] {
        assert!(serde_json::from_str::<DiffusionParams>(bad).is_err(), "{bad} was accepted");
    }
    let summary = run(&params(16, 16, 3), &Exec::default()).summary();
    let json = serde_json::to_value(summary).unwrap();
    assert_eq!((json["sum"].as_f64(), json["max"].as_f64()), (Some(summary.sum), Some(summary.max)));
}

#[test]
fn a_cancelled_control_stops_before_the_first_step() {
    let control = Control::new();
    control.cancel();
    for exec in [Exec::new(Variant::Reference), Exec::new(Variant::Simd).threads(3)] {
        assert_eq!(diffusion::run(&params(64, 64, 100), &exec, &control), Err(Error::Cancelled));
        assert_eq!(control.progress(), (0, 100));
        let mut state = DiffusionRun::new(&params(64, 64, 100)).unwrap();
        assert_eq!(state.step_chunk(10, &exec, &control), Err(Error::Cancelled));
        assert_eq!((state.steps_done(), state.grid()), (0, &params(64, 64, 100).initial_grid()[..]));
    }
}

#[test]
fn cancel_stops_a_long_run_early() {
    // 1024² × 9000 steps: tens of seconds natively if it ran to the end.
    let p = params(1024, 1024, 9000);
    for exec in
        [Exec::new(Variant::Reference), Exec::new(Variant::Simd).threads(2), Exec::new(Variant::Simd).threads(3)]
    {
        let control = Arc::new(Control::new());
        let canceller = {
            let control = Arc::clone(&control);
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(50));
                control.cancel();
            })
        };
        let start = Instant::now();
        assert_eq!(diffusion::run(&p, &exec, &control), Err(Error::Cancelled));
        canceller.join().unwrap();
        let (done, total) = control.progress();
        assert_eq!(total, 9000);
        assert!(done < 1000, "{done} of {total} steps, {:?}: the run did not stop early", start.elapsed());
    }
}

#[test]
fn a_cancelled_chunk_leaves_a_whole_step_to_resume_from() {
    // Long enough (minutes) that the watcher always cancels it, however loaded the machine;
    // simd at 512² runs several steps per pass over memory, and stops at a pass's end.
    let execs =
        [Exec::new(Variant::Reference), Exec::new(Variant::Simd).threads(2), Exec::new(Variant::Simd).threads(3)];
    for (p, exec) in [params(256, 192, 100_000), params(512, 512, 30_000)].iter().flat_map(|p| execs.map(|e| (p, e))) {
        let control = Arc::new(Control::new());
        let watcher = {
            let control = Arc::clone(&control);
            std::thread::spawn(move || {
                while control.progress().0 < 20 {
                    std::thread::yield_now();
                }
                control.cancel();
            })
        };
        let mut state = DiffusionRun::new(p).unwrap();
        assert_eq!(state.step_chunk(p.steps, &exec, &control), Err(Error::Cancelled));
        watcher.join().unwrap();
        let done = state.steps_done();
        assert!((20..10_000).contains(&done), "{done} steps done, {exec:?}");
        assert_eq!(control.progress().0, done as u64);
        let at = |steps: u32| run(&DiffusionParams { steps, ..p.clone() }, &Exec::default()).grid;
        assert_eq!(bits(state.grid()), bits(&at(done)), "the state is step {done}, {exec:?}");
        assert_eq!(state.step_chunk(7, &exec, &Control::new()), Ok(7));
        assert_eq!(bits(state.grid()), bits(&at(done + 7)), "resumed, {exec:?}");
    }
}

#[test]
fn more_threads_than_the_pool_has_never_hang() {
    let p = params(37, 29, 60);
    let expected = run(&p, &Exec::new(Variant::Reference));
    for pool_threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(pool_threads).build().unwrap();
        for threads in [3, 8, 64] {
            let exec = Exec::new(Variant::Simd).threads(threads);
            assert_eq!(pool.install(|| run(&p, &exec)), expected, "pool {pool_threads}, threads {threads}");
        }
    }
}

#[test]
fn progress_counts_every_step() {
    let control = Control::new();
    diffusion::run(&params(50, 37, 23), &Exec::new(Variant::Simd).threads(3), &control).unwrap();
    assert_eq!(control.progress(), (23, 23));
    let mut state = DiffusionRun::new(&params(50, 37, 23)).unwrap();
    state.step_chunk(5, &Exec::default().threads(2), &control).unwrap();
    assert_eq!(control.progress(), (5, 5), "a chunk's progress counts that chunk");
}
