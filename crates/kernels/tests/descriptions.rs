//! The descriptions tell the truth: every params field is described and every described field
//! is a params field, with the params' default; every preset is a valid request; each described
//! range is the one validation enforces (its ends pass, one past them is refused, naming the
//! field); the registry finds every workload by name and refuses others.

use parallax_kernels::registry::{self, AnyWorkload};
use parallax_kernels::request::RequestErrorKind;
use parallax_kernels::workload::{Field, Kind};
use serde_json::{Map, Value, json};

fn prepare(w: &dyn AnyWorkload, body: &Value) -> Result<(), parallax_kernels::request::RequestError> {
    w.prepare(&body.to_string(), 4).map(|_| ())
}

/// `{field: value}` plus the task the field applies to, if it is task-specific.
fn body_with(f: &Field, value: Value) -> Value {
    let mut body = Map::new();
    if let Some(tasks) = &f.tasks {
        body.insert("task".into(), json!(tasks[0]));
    }
    body.insert(f.name.into(), value);
    Value::Object(body)
}

/// One step past a bound, as the field's JSON type sends it; None when there is no such value.
fn beyond(f: &Field, bound: &Value, up: bool) -> Option<Value> {
    match f.kind {
        Kind::U64 => {
            let v: u64 = bound.as_str()?.parse().ok()?;
            let next = if up { v.checked_add(1)? } else { v.checked_sub(1)? };
            Some(json!(next.to_string()))
        }
        Kind::U32 => {
            let v = bound.as_u64()?;
            let next = if up { v + 1 } else { v.checked_sub(1)? };
            (next <= u32::MAX as u64).then(|| json!(next))
        }
        Kind::F64 => {
            let v = bound.as_f64()?;
            Some(json!(if up { v * 1.5 + 1.0 } else { v * 1.5 - 1.0 }))
        }
        Kind::Choice => None,
    }
}

#[test]
fn every_params_field_is_described_with_its_default() {
    for w in registry::all() {
        let d = w.describe();
        assert_eq!(d.name, w.name());
        let defaults = w.defaults();
        let defaults = defaults.as_object().expect("params are an object");
        let described: Vec<&str> = d.fields.iter().map(|f| f.name).collect();
        let params: Vec<&str> = defaults.keys().map(String::as_str).collect();
        let (mut a, mut b) = (described.clone(), params.clone());
        a.sort();
        b.sort();
        assert_eq!(a, b, "{}: described fields vs params fields", d.name);
        for f in &d.fields {
            assert_eq!(&f.default, &defaults[f.name], "{}.{}", d.name, f.name);
            assert!(!f.label.is_empty());
            if f.kind == Kind::Choice {
                assert!(f.options.iter().any(|o| Some(o.value) == f.default.as_str()), "{}.{}", d.name, f.name);
            }
        }
        assert!(
            !d.presets.is_empty() && d.presets[0].values == json!({}),
            "{}: the first preset is the book's case",
            d.name
        );
    }
}

#[test]
fn every_preset_is_a_valid_request_of_described_fields() {
    for w in registry::all() {
        let d = w.describe();
        for p in &d.presets {
            for key in p.values.as_object().expect("an object").keys() {
                assert!(d.field(key).is_some(), "{}: preset {:?} sets unknown {key}", d.name, p.label);
            }
            prepare(*w, &p.values).unwrap_or_else(|e| panic!("{}: preset {:?}: {e}", d.name, p.label));
        }
    }
}

#[test]
fn described_ranges_are_the_ones_validation_enforces() {
    for w in registry::all() {
        let d = w.describe();
        for f in &d.fields {
            for (bound, up) in [(&f.min, false), (&f.max, true)] {
                let Some(bound) = bound else { continue };
                // The bound itself passes (unless another field's relation forbids it alone).
                if f.note.is_none() {
                    prepare(*w, &body_with(f, bound.clone()))
                        .unwrap_or_else(|e| panic!("{}.{} = {bound}: {e}", d.name, f.name));
                }
                let Some(past) = beyond(f, bound, up) else { continue };
                let e = prepare(*w, &body_with(f, past.clone()))
                    .expect_err(&format!("{}.{} = {past} passed", d.name, f.name));
                assert_eq!(e.field.as_deref(), Some(f.name), "{}.{} = {past}: {e:?}", d.name, f.name);
                assert!(matches!(e.kind, RequestErrorKind::Range | RequestErrorKind::Shape), "{e:?}");
            }
            if let Some(max) = &f.reference_max {
                let past = beyond(f, max, true).unwrap();
                let mut body = body_with(f, past);
                body["variant"] = json!("reference");
                assert_eq!(prepare(*w, &body).unwrap_err().field.as_deref(), Some(f.name));
                body["variant"] = json!("simd");
                prepare(*w, &body).unwrap();
            }
        }
    }
}

#[test]
fn the_registry_finds_every_workload_and_refuses_others() {
    let names: Vec<&str> = registry::all().iter().map(|w| w.name()).collect();
    assert_eq!(names, ["julia", "diffusion", "primes", "pi"]);
    for name in names {
        assert_eq!(registry::find(name).unwrap().name(), name);
    }
    let e = registry::find("mandelbrot").err().unwrap();
    assert_eq!(e.field.as_deref(), Some("workload"));
    assert!(e.message.contains("\"pi\""), "{}", e.message);
}

#[test]
fn formats_follow_the_params() {
    let primes = registry::find("primes").unwrap();
    let range = primes.prepare(r#"{"task": "range", "end": "100000100"}"#, 1).unwrap();
    let check = primes.prepare(r#"{"task": "check", "n": 91}"#, 1).unwrap();
    assert!(range.has_raw() && !range.has_picture());
    assert!(!check.has_raw());
    let pi = registry::find("pi").unwrap().prepare(r#"{"samples": 1000}"#, 1).unwrap();
    assert!(pi.has_picture() && !pi.has_raw());
    let done = pi.run(&parallax_kernels::Control::new()).unwrap();
    assert_eq!(done.checksum(), 779);
    assert_eq!(done.summary()["inside"], json!("779"));
    assert_eq!(done.picture(Default::default()).map(|p| (p.width, p.height)), Some((512, 512)));
}

/// The task a preset runs: its own `task`, else the described default, else none.
fn preset_task(d: &parallax_kernels::workload::Description, values: &Value) -> Option<String> {
    let task = d.field("task")?;
    values.get("task").or(Some(&task.default)).and_then(Value::as_str).map(String::from)
}

#[test]
fn every_task_has_one_quick_preset_that_both_variants_run_and_repeat() {
    use parallax_kernels::Control;
    for w in registry::all() {
        let d = w.describe();
        let tasks: Vec<Option<String>> = match d.field("task") {
            Some(f) => f.options.iter().map(|o| Some(o.value.to_string())).collect(),
            None => vec![None],
        };
        for task in tasks {
            let quick: Vec<_> = d.presets.iter().filter(|p| p.quick && preset_task(&d, &p.values) == task).collect();
            assert_eq!(quick.len(), 1, "{} task {task:?}: one quick preset", d.name);
            let mut sums = Vec::new();
            for (variant, repeat) in [("reference", 1), ("simd", 1), ("simd", 3)] {
                let mut body = quick[0].values.clone();
                body["variant"] = json!(variant);
                body["repeat"] = json!(repeat);
                let prepared = w.prepare(&body.to_string(), 2).unwrap_or_else(|e| panic!("{}: {body}: {e}", d.name));
                assert_eq!(prepared.exec().repeat, repeat);
                let out = prepared.run(&Control::new()).unwrap();
                let answer = registry::answer(d.name, &prepared.exec(), out.as_ref());
                assert_eq!(answer["repeat"], json!(repeat));
                sums.push(out.checksum());
            }
            assert!(sums.windows(2).all(|p| p[0] == p[1]), "{} {task:?}: {sums:?}", d.name);
        }
    }
}

#[test]
fn a_cancelled_repeated_run_stops_before_its_next_repetition() {
    use parallax_kernels::Control;
    let w = registry::find("pi").map_err(|e| e.to_string()).unwrap();
    let prepared = w.prepare(r#"{"samples": "1000", "repeat": 1000}"#, 1).unwrap();
    let control = Control::new();
    control.cancel();
    assert!(prepared.run(&control).is_err());
}

/// Every bound a field's note states ("width × height ≤ 16,777,216 pixels") is one of its
/// workload's limits (limits.rs, as `GET /api/info` reports them): a limit changed in code
/// cannot leave its words behind.
#[test]
fn the_limits_the_notes_state_are_the_limits_enforced() {
    let mut checked = 0;
    for d in registry::descriptions() {
        let limits: Vec<String> =
            d.limits.values().map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string)).collect();
        for f in &d.fields {
            let Some(note) = &f.note else { continue };
            for part in note.split('≤').skip(1) {
                let number: String =
                    part.trim_start().chars().take_while(|c| c.is_ascii_digit() || ",.".contains(*c)).collect();
                let digits = number.trim_end_matches(['.', ',']).replace(',', "");
                if digits.is_empty() {
                    continue;
                }
                assert!(
                    limits.contains(&digits),
                    "{}.{}: its note says ≤ {digits}, not one of {:?}",
                    d.name,
                    f.name,
                    limits
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 5, "only {checked} stated bounds found");
}
