//! Monte Carlo π: docs/workloads.md's check values, the same count for every variant, width and
//! thread count (property test against the reference on random sizes, seeds and starts), the
//! bounds of `samples`, cancellation.

use std::sync::Arc;
use std::time::Duration;

use parallax_kernels::pi::{self, PiParams, check_values, reference, simd};
use parallax_kernels::{Control, Error, Exec, Variant};
use proptest::prelude::*;

use crate::common::all_execs;

fn run(samples: u64, seed: u64, exec: &Exec) -> pi::PiOutput {
    pi::run(&PiParams { samples, seed }, exec, &Control::new()).unwrap()
}

#[test]
fn check_values_of_workloads_md_in_every_mode() {
    for exec in all_execs() {
        assert_eq!(run(1000, 0, &exec).inside, check_values::INSIDE_1000, "{exec:?}");
        let million = run(1_000_000, 0, &exec);
        assert_eq!(million.inside, check_values::INSIDE_MILLION, "{exec:?}");
        assert_eq!(million.summary.estimate, 3.142848);
        assert_eq!(million.summary.deviation, 3.142848 - std::f64::consts::PI);
    }
}

#[test]
fn chunks_of_several_workers_add_up_to_one_run() {
    // 3 chunks and a bit: every worker takes some, the last chunk is short.
    let samples = 3 * pi::CHUNK + 12_345;
    let one = run(samples, 42, &Exec::new(Variant::Reference));
    for exec in all_execs() {
        assert_eq!(run(samples, 42, &exec).inside, one.inside, "{exec:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any range of darts, anywhere (past 2³² too), any seed, any width: the simd count is the
    /// reference's. Lengths 0..100 are below, at and past every block (16 darts at 2 and 4 lanes,
    /// 32 at 8), so the reference's tail after the last whole block is exercised.
    #[test]
    fn simd_counts_equal_the_reference(seed in any::<u64>(), start in 0u64..(1 << 40), len in 0u64..100) {
        let end = start + len;
        let expected = reference::count(seed, start, end);
        for lanes in [2, 4, 8] {
            prop_assert_eq!(simd::count(lanes, seed, start, end), expected, "lanes {}", lanes);
        }
        // The form WebAssembly runs at 2 lanes (32-bit words, four darts a vector).
        prop_assert_eq!(simd::count_by_words(seed, start, end), expected, "by words");
    }

    #[test]
    fn runs_equal_the_reference_for_any_size_and_seed(samples in 1u64..5000, seed in any::<u64>()) {
        let expected = reference::count(seed, 0, samples);
        for exec in all_execs() {
            prop_assert_eq!(run(samples, seed, &exec).inside, expected, "{:?}", exec);
        }
    }
}

#[test]
fn samples_out_of_range_are_refused_with_the_field_and_range() {
    for samples in [0, pi::MAX_SAMPLES + 1] {
        let e = pi::run(&PiParams { samples, seed: 0 }, &Exec::default(), &Control::new()).unwrap_err();
        assert_eq!(e.field(), Some("samples"));
        assert!(e.to_string().contains("[1, 10000000000]"), "{e}");
    }
    assert!(PiParams { samples: pi::MAX_SAMPLES, seed: u64::MAX }.validate().is_ok());
}

#[test]
fn a_cancel_stops_a_long_run_within_seconds() {
    let control = Arc::new(Control::new());
    let c = Arc::clone(&control);
    let handle = std::thread::spawn(move || {
        pi::run(&PiParams { samples: pi::MAX_SAMPLES, seed: 0 }, &Exec::new(Variant::Reference), &c)
    });
    std::thread::sleep(Duration::from_millis(50));
    control.cancel();
    let started = std::time::Instant::now();
    while !handle.is_finished() {
        assert!(started.elapsed() < Duration::from_secs(10), "the run did not stop");
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(handle.join().unwrap().unwrap_err(), Error::Cancelled);
    let (done, total) = control.progress();
    assert!(done < total, "{done} of {total} chunks");
}
