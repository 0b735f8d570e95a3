//! Julia: the book's check values at full size, every variant × width × thread count against the
//! reference on random parameters, validation of each kind of bad input, cancellation.

use std::sync::Arc;
use std::time::Duration;

use num_complex::Complex64;
use parallax_kernels::julia::{self, JuliaParams, Precision, check_values, reference};
use parallax_kernels::{Control, Error, Exec, Variant};
use proptest::prelude::*;

use crate::common::all_execs;

fn run(p: &JuliaParams, exec: &Exec) -> julia::JuliaOutput {
    julia::run(p, exec, &Control::new()).unwrap()
}

#[test]
fn book_case_gives_the_books_values_in_every_mode() {
    let p = JuliaParams::default();
    for exec in all_execs() {
        let out = run(&p, &exec);
        assert_eq!(out.checksum, check_values::BOOK_SUM, "{exec:?}");
        assert_eq!(out.summary.iterations, check_values::BOOK_SUM);
        assert_eq!(out.summary.max, check_values::BOOK_MAX);
        assert_eq!(out.counts.iter().filter(|&&c| c == 300).count(), check_values::BOOK_AT_MAX, "{exec:?}");
        assert_eq!(out.counts.iter().filter(|&&c| c == 0).count(), check_values::BOOK_AT_ZERO, "{exec:?}");
    }
}

#[test]
fn book_case_at_640_by_480_and_500_iterations() {
    let p = JuliaParams { width: 640, height: 480, max_iter: 500, ..JuliaParams::default() };
    for exec in [Exec::new(Variant::Reference), Exec::new(Variant::Simd).threads(2)] {
        assert_eq!(run(&p, &exec).checksum, check_values::SUM_640_480_500, "{exec:?}");
    }
}

#[test]
fn single_points_of_the_book() {
    let c = Complex64::new(-0.62772, -0.42193);
    for ((re, im), count) in check_values::POINTS {
        assert_eq!(reference::escape_count(Complex64::new(re, im), c, 300), count, "{re} + {im}i");
    }
    // Row 0 is the top: the top-left pixel is -1.8 + 1.8i.
    let p = JuliaParams::default();
    assert_eq!((p.x(0), p.y(0)), (-1.8, 1.8));
    assert_eq!(run(&p, &Exec::new(Variant::Simd)).counts[0], 0);
    // The centre pixel (500, 500) is 0 + 0i, which never escapes.
    assert_eq!((p.x(500), p.y(500)), (0.0, 0.0));
    assert_eq!(run(&p, &Exec::new(Variant::Simd)).counts[500 * 1000 + 500], 300);
}

fn arb_params() -> impl Strategy<Value = JuliaParams> {
    (
        1u32..40,
        1u32..14,
        1u32..400,
        (-1.5f64..1.5, -1.5f64..1.5),
        (-2.5f64..2.0, 0.01f64..3.0),
        (-2.5f64..2.0, 0.01f64..3.0),
    )
        .prop_map(|(width, height, max_iter, (c_re, c_im), (x_min, dx), (y_min, dy))| JuliaParams {
            width,
            height,
            max_iter,
            c_re,
            c_im,
            x_min,
            x_max: x_min + dx,
            y_min,
            y_max: y_min + dy,
            precision: Precision::F64,
        })
}

#[test]
fn book_case_in_f32_gives_numpys_float32_values_in_every_mode() {
    let f32 = |p: JuliaParams| JuliaParams { precision: Precision::F32, ..p };
    let p = f32(JuliaParams::default());
    for exec in all_execs() {
        let out = run(&p, &exec);
        assert_eq!(out.checksum, check_values::BOOK_SUM_F32, "{exec:?}");
        assert_eq!(out.counts.iter().filter(|&&c| c == 300).count(), check_values::BOOK_AT_MAX_F32, "{exec:?}");
    }
    let p = f32(JuliaParams { width: 640, height: 480, max_iter: 500, ..JuliaParams::default() });
    for exec in [Exec::new(Variant::Reference), Exec::new(Variant::Simd).threads(2)] {
        assert_eq!(run(&p, &exec).checksum, check_values::SUM_640_480_500_F32, "{exec:?}");
    }
    // f32 is another computation, not a relabelling of f64.
    assert_ne!(check_values::BOOK_SUM_F32, check_values::BOOK_SUM);
}

#[test]
fn precision_is_a_described_choice_and_unknown_names_are_refused() {
    let p: JuliaParams = serde_json::from_value(serde_json::json!({ "precision": "f32" })).unwrap();
    assert_eq!(p.precision, Precision::F32);
    assert_eq!(JuliaParams::default().precision, Precision::F64);
    assert!(serde_json::from_value::<JuliaParams>(serde_json::json!({ "precision": "f16" })).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The f32 form: every variant, width (4, 8 and 16 f32 lanes) and thread count against the f32
    /// reference.
    #[test]
    fn every_f32_variant_width_and_thread_count_equals_the_f32_reference(p in arb_params()) {
        let p = JuliaParams { precision: Precision::F32, ..p };
        let expected = run(&p, &Exec::new(Variant::Reference));
        for exec in all_execs() {
            let out = run(&p, &exec);
            prop_assert_eq!(&out.counts, &expected.counts, "{:?}", exec);
        }
    }

    /// Widths 1..40 are below, at and past every multiple of 2, 4 and 8 lanes × 4 in flight.
    #[test]
    fn every_variant_width_and_thread_count_equals_the_reference(p in arb_params()) {
        let expected = run(&p, &Exec::new(Variant::Reference));
        for exec in all_execs() {
            let out = run(&p, &exec);
            prop_assert_eq!(&out.counts, &expected.counts, "{:?}", exec);
            prop_assert_eq!(out.checksum, expected.checksum);
        }
    }
}

fn invalid_field(p: JuliaParams) -> &'static str {
    match julia::run(&p, &Exec::default(), &Control::new()) {
        Err(e @ Error::Invalid { .. }) => {
            let field = e.field().unwrap();
            assert!(e.to_string().contains(field), "message names the field: {e}");
            field
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[test]
fn validation_refuses_each_kind_of_bad_input() {
    let d = JuliaParams::default;
    assert_eq!(invalid_field(JuliaParams { width: 0, ..d() }), "width");
    assert_eq!(invalid_field(JuliaParams { height: 0, ..d() }), "height");
    assert_eq!(invalid_field(JuliaParams { width: 100_000, ..d() }), "width");
    assert_eq!(invalid_field(JuliaParams { width: 8192, height: 8192, ..d() }), "height");
    assert_eq!(invalid_field(JuliaParams { max_iter: 0, ..d() }), "max_iter");
    assert_eq!(invalid_field(JuliaParams { max_iter: 10_000_000, ..d() }), "max_iter");
    assert_eq!(invalid_field(JuliaParams { width: 4096, height: 4096, max_iter: 100_000, ..d() }), "max_iter");
    assert_eq!(invalid_field(JuliaParams { c_re: f64::NAN, ..d() }), "c_re");
    assert_eq!(invalid_field(JuliaParams { c_im: f64::INFINITY, ..d() }), "c_im");
    assert_eq!(invalid_field(JuliaParams { x_min: f64::NEG_INFINITY, ..d() }), "x_min");
    assert_eq!(invalid_field(JuliaParams { y_max: 1e300, ..d() }), "y_max");
    assert_eq!(invalid_field(JuliaParams { x_min: 1.0, x_max: -1.0, ..d() }), "x_max");
    assert_eq!(invalid_field(JuliaParams { y_min: 0.5, y_max: 0.5, ..d() }), "y_max");
    let err = julia::run(&d(), &Exec::new(Variant::Simd).threads(0), &Control::new()).unwrap_err();
    assert_eq!(err.field(), Some("threads"));
    let err = julia::run(&d(), &Exec::new(Variant::Simd).lanes(3), &Control::new()).unwrap_err();
    assert_eq!(err.field(), Some("lanes"));
    let err = julia::run(&d(), &Exec::new(Variant::Reference).lanes(2), &Control::new()).unwrap_err();
    assert_eq!(err.field(), Some("lanes"));
}

#[test]
fn params_come_from_json_with_book_defaults_and_no_unknown_fields() {
    let p: JuliaParams = serde_json::from_str("{}").unwrap();
    assert_eq!(p, JuliaParams::default());
    let p: JuliaParams = serde_json::from_str(r#"{"width": 640, "max_iter": 500}"#).unwrap();
    assert_eq!((p.width, p.height, p.max_iter), (640, 1000, 500));
    for bad in [
        r#"{"widht": 640}"#,
        r#"{"width": -1}"#,
        r#"{"width": 1.5}"#,
        r#"{"width": "640"}"#,
        r#"{"width": 4294967296}"#,
        r#"{"width": 1, "width": 2}"#,
        r#"{"c_re": "NaN"}"#,
    ] {
        assert!(serde_json::from_str::<JuliaParams>(bad).is_err(), "{bad} was accepted");
    }
}

#[test]
fn cancel_stops_a_large_run_early() {
    // 4096² × 1000 iterations: tens of seconds if it ran to the end.
    let p = JuliaParams { width: 4096, height: 4096, max_iter: 1000, ..JuliaParams::default() };
    for exec in [Exec::new(Variant::Reference), Exec::new(Variant::Simd).threads(2)] {
        let control = Arc::new(Control::new());
        let canceller = {
            let control = Arc::clone(&control);
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(100));
                control.cancel();
            })
        };
        assert_eq!(julia::run(&p, &exec, &control), Err(Error::Cancelled));
        canceller.join().unwrap();
        let (done, total) = control.progress();
        assert!(total > 0);
        assert!(done < total, "{done} of {total} rows: the run did not stop early");
    }
}

#[test]
fn progress_counts_every_row_or_band() {
    let control = Control::new();
    let p = JuliaParams { width: 50, height: 37, ..JuliaParams::default() };
    julia::run(&p, &Exec::new(Variant::Reference).threads(3), &control).unwrap();
    assert_eq!(control.progress(), (37, 37));
    julia::run(&p, &Exec::new(Variant::Simd).threads(3), &control).unwrap();
    let bands = 37u64.div_ceil(julia::simd::BAND_ROWS as u64);
    assert_eq!(control.progress(), (bands, bands));
}
