//! The Python side's limits (`side: "python"`: the book's Python on Pyodide): which cases it
//! takes, which it refuses with the field and the scaled-down case, and that the scaled-down
//! case it offers is taken.

use parallax_kernels::registry;
use serde_json::{Value, json};

fn check(workload: &str, params: Value) -> Result<u64, (Option<String>, String)> {
    registry::find(workload).unwrap().check_python(&params.to_string()).map_err(|e| (e.field, e.message))
}

fn scaled(workload: &str) -> Value {
    let d = registry::descriptions().into_iter().find(|d| d.name == workload).unwrap();
    serde_json::to_value(d.python.expect("every workload has the book's Python")).unwrap()["scaled"].clone()
}

fn merged(mut params: Value, with: Value) -> Value {
    params.as_object_mut().unwrap().extend(with.as_object().unwrap().clone());
    params
}

#[test]
fn the_books_cases_that_finish_in_a_minute_are_taken() {
    assert_eq!(check("julia", json!({})), Ok(1_000_000 * 304), "the book's case: every pixel at max_iter, + 4 a pixel");
    assert_eq!(
        check("primes", json!({})),
        Ok(316_400_221 / 2),
        "⌊√100109100129100151⌋ = 316,400,221; half of them odd"
    );
    assert!(check("primes", json!({ "task": "range" })).is_ok());
    assert_eq!(check("pi", json!({ "samples": "100000" })), Ok(100_000));
}

#[test]
fn beyond_its_limit_it_names_the_field_and_offers_the_scaled_down_case_which_is_taken() {
    for (workload, params, field) in [
        ("diffusion", json!({}), "steps"),
        ("pi", json!({}), "samples"),
        ("julia", json!({ "width": 2000 }), "width"),
        ("primes", json!({ "task": "check", "n": "18446744073709551557" }), "n"),
        // Refused for another field than the one the scaled-down case sets: it sets that too.
        ("julia", json!({ "width": 100, "height": 100, "max_iter": 100000 }), "width"),
        ("diffusion", json!({ "width": 64, "height": 64, "steps": 100000 }), "steps"),
        // Few steps but a grid of millions of Python floats.
        ("diffusion", json!({ "width": 4096, "height": 4096, "steps": 1 }), "width"),
        ("julia", json!({ "width": 4096, "height": 4096, "max_iter": 10 }), "width"),
    ] {
        let (f, message) = check(workload, params.clone()).unwrap_err();
        assert_eq!(f.as_deref(), Some(field), "{workload}: {message}");
        assert!(message.contains("scaled-down case") && message.contains("allowed at most"), "{message}");
        let smaller = merged(params, scaled(workload));
        assert!(check(workload, smaller.clone()).is_ok(), "{workload}: the scaled-down case {smaller} is refused");
    }
}

#[test]
fn tasks_without_the_books_python_and_out_of_range_fields_are_refused_in_the_kernels_words() {
    let (field, message) = check("primes", json!({ "task": "count" })).unwrap_err();
    assert_eq!(field.as_deref(), Some("task"));
    assert!(message.contains("primesieve"), "{message}");
    assert_eq!(check("primes", json!({ "task": "miller_rabin" })).unwrap_err().0.as_deref(), Some("task"));
    // The kernels' own validation comes first.
    assert_eq!(check("julia", json!({ "width": 0 })).unwrap_err().0.as_deref(), Some("width"));
    assert_eq!(check("diffusion", json!({ "dt": 1.0 })).unwrap_err().0.as_deref(), Some("dt"));
}

#[test]
fn julia_in_f32_is_refused_on_the_python_side_in_words() {
    let (field, message) = check("julia", json!({ "precision": "f32", "width": 10, "height": 10 })).unwrap_err();
    assert_eq!(field.as_deref(), Some("precision"));
    assert!(message.contains("f64") && message.contains("Python"), "{message}");
    assert!(check("julia", json!({ "precision": "f64", "width": 10, "height": 10 })).is_ok());
}
