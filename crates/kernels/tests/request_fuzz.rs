//! Arbitrary input to every workload's request parser and validation (the property-test half of
//! the fuzzing; the coverage-guided half is `crates/kernels/fuzz`, docs/hardening.md): any bytes
//! and any JSON object — the described field names and random ones, values of every JSON type,
//! huge and negative numbers, deep nesting — give a run or an error in words, never a panic; an
//! accepted request has its exec fields in range, and an error names a real field.

use parallax_kernels::registry;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// Any JSON value, a few levels deep.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        any::<f64>().prop_filter("JSON has no NaN or infinity", |x| x.is_finite()).prop_map(|x| json!(x)),
        any::<u64>().prop_map(|n| json!(n.to_string())),
        "[a-z0-9_.+-]{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(("[a-z_]{1,8}", inner), 0..4)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// A field name: one a workload describes or an exec field (most of the time), or any other.
fn field_name() -> impl Strategy<Value = String> {
    let mut known: Vec<String> = vec!["variant".into(), "threads".into(), "lanes".into(), "repeat".into()];
    for w in registry::all() {
        known.extend(w.describe().fields.iter().map(|f| f.name.to_string()));
    }
    prop_oneof![4 => prop::sample::select(known), 1 => "[a-z_]{1,10}"]
}

/// A body: an object of known and unknown fields with any values, exec values near their limits.
fn any_body() -> impl Strategy<Value = Value> {
    let exec_value =
        prop_oneof![Just(json!("simd")), Just(json!("reference")), (0u64..1100).prop_map(|n| json!(n)), any_json()];
    prop::collection::vec((field_name(), prop_oneof![exec_value, any_json()]), 0..8)
        .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_are_a_run_or_an_error(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let text = String::from_utf8_lossy(&bytes);
        for w in registry::all() {
            if let Err(e) = w.prepare(&text, 2) {
                prop_assert!(!e.message.is_empty());
            }
        }
    }

    #[test]
    fn any_json_body_is_a_run_or_a_named_error(body in any_body()) {
        let text = body.to_string();
        for w in registry::all() {
            match w.prepare(&text, 2) {
                Ok(prepared) => {
                    let exec = prepared.exec();
                    prop_assert!((1..=2).contains(&exec.threads) && (1..=1000).contains(&exec.repeat));
                }
                Err(e) => {
                    prop_assert!(!e.message.is_empty());
                    // An error about one field names a field the request had (an unknown one
                    // included) or one the workload describes (the other end of a relation,
                    // such as x_max against x_min).
                    if let Some(field) = &e.field {
                        let described = w.describe().fields.iter().any(|f| f.name == field.as_str());
                        prop_assert!(body.get(field).is_some() || described, "{field}: {text}");
                    }
                }
            }
        }
    }
}
