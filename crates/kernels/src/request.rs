//! A run request as both fronts receive it: one JSON object holding the workload's params and
//! the run's `variant`, `threads`, `lanes` and `repeat` (docs/api.md). Parsing lives here so
//! the server and the browser refuse the same input with the same words; each front maps the
//! [`RequestErrorKind`] to its own form (an HTTP status, a rejected promise).
//!
//! The body is split into its top-level fields first (refusing repeats, which a map would
//! silently merge), so every type error names its field: each field is tried alone against the
//! params type before all are read together. Pure computation on a string: no I/O.
//!
//! Why not `serde_path_to_error`: it names the field of a type error, but an unknown field and a
//! repeated one surface at the object's own path, and the repeat is not an error at all to a
//! serde map; the split below names the field in all three cases with one mechanism, on bodies
//! of a dozen fields at most (16 KiB), where parsing each field twice costs nothing measurable.

use std::fmt;

use serde::de::{DeserializeOwned, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

use crate::{Error, Exec, Variant};

/// Deepest nesting of arrays and objects accepted (params are one flat object).
pub const MAX_DEPTH: usize = 8;

/// What kind of wrong a request is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestErrorKind {
    /// Not well-formed JSON: a syntax error, an empty body, nesting deeper than [`MAX_DEPTH`].
    Malformed,
    /// JSON of the wrong shape or type: not an object, unknown or repeated fields, a value the
    /// field's type cannot hold (`"1e3"`, `-1`, 2⁶⁴ for a u64, a string for a number).
    Shape,
    /// A value of the right type outside its allowed range (the kernels' `validate()` words).
    Range,
    /// Not a refusal: the run was cancelled through its [`crate::Control`] before it finished.
    Cancelled,
}

/// Why a request was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestError {
    /// What kind of wrong.
    pub kind: RequestErrorKind,
    /// The field it is about, if any.
    pub field: Option<String>,
    /// Words for people.
    pub message: String,
}

impl RequestError {
    fn new(kind: RequestErrorKind, message: impl Into<String>) -> Self {
        RequestError { kind, field: None, message: message.into() }
    }

    fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }
}

impl From<Error> for RequestError {
    fn from(e: Error) -> Self {
        let kind = match e {
            Error::Invalid { .. } => RequestErrorKind::Range,
            Error::Cancelled => RequestErrorKind::Cancelled,
        };
        RequestError { kind, field: e.field().map(str::to_string), message: e.to_string() }
    }
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RequestError {}

/// A parsed run request.
#[derive(Debug)]
pub struct RunRequest<P> {
    /// The workload's params (defaults for missing fields).
    pub params: P,
    /// Variant, lanes, threads (default `max_threads`) and repeat (default 1).
    pub exec: Exec,
}

/// Parses a request body. `max_threads` (the front's pool size) bounds `threads` and is its
/// default. Validates the exec fields, not the params (some limits depend on the variant:
/// call the workload's validation next).
pub fn parse<P: DeserializeOwned>(text: &str, max_threads: usize) -> Result<RunRequest<P>, RequestError> {
    use RequestErrorKind::*;
    if text.trim().is_empty() {
        return Err(RequestError::new(Malformed, "the body is empty: send a JSON object ({} runs the book's case)"));
    }
    check_depth(text)?;
    let Fields(fields) = serde_json::from_str::<Fields>(text).map_err(json_error)?;

    let mut exec = Exec { variant: Variant::Simd, lanes: None, threads: max_threads, repeat: 1 };
    let mut params_json = String::from("{");
    for (name, value) in &fields {
        match name.as_str() {
            "variant" => exec.variant = field_value(name, value)?,
            "threads" => exec.threads = field_value::<u32>(name, value)? as usize,
            "lanes" => exec.lanes = field_value(name, value)?,
            "repeat" => exec.repeat = field_value(name, value)?,
            _ => {
                // Alone first, so that a wrong type is reported against its own field.
                let alone = format!("{{{}:{}}}", serde_json::to_string(name).unwrap_or_default(), value.get());
                serde_json::from_str::<P>(&alone).map_err(|e| field_error(name, &e))?;
                if params_json.len() > 1 {
                    params_json.push(',');
                }
                params_json.push_str(&alone[1..alone.len() - 1]);
            }
        }
    }
    params_json.push('}');
    let params = serde_json::from_str::<P>(&params_json).map_err(|e| RequestError::new(Shape, e.to_string()))?;
    if exec.threads == 0 || exec.threads > max_threads {
        return Err(RequestError::new(
            Range,
            format!("threads = {} is out of range: allowed an integer in [1, {max_threads}]", exec.threads),
        )
        .with_field("threads"));
    }
    exec.validate()?;
    Ok(RunRequest { params, exec })
}

fn field_value<T: DeserializeOwned>(name: &str, value: &RawValue) -> Result<T, RequestError> {
    serde_json::from_str(value.get()).map_err(|e| field_error(name, &e))
}

fn field_error(name: &str, e: &serde_json::Error) -> RequestError {
    // serde_json appends " at line 1 column N", which points into our re-serialised text.
    let text = e.to_string();
    let text = text.split(" at line ").next().unwrap_or(&text);
    let allowed = match name {
        "variant" => " (allowed: \"reference\" or \"simd\")",
        "threads" | "lanes" | "repeat" => " (allowed: a JSON integer)",
        _ => "",
    };
    RequestError::new(RequestErrorKind::Shape, format!("{name}: {text}{allowed}")).with_field(name)
}

/// Syntax errors and truncated JSON are `Malformed`; well-formed JSON of the wrong shape (not
/// an object, a repeated field) is `Shape`.
fn json_error(e: serde_json::Error) -> RequestError {
    use serde_json::error::Category;
    match e.classify() {
        Category::Syntax | Category::Eof | Category::Io => {
            RequestError::new(RequestErrorKind::Malformed, format!("the body is not well-formed JSON: {e}"))
        }
        Category::Data => {
            let text = e.to_string();
            match text.strip_prefix("repeated field ") {
                Some(rest) => {
                    let field = rest.split('`').nth(1).unwrap_or("").to_string();
                    RequestError::new(RequestErrorKind::Shape, format!("the field {field:?} appears more than once"))
                        .with_field(field)
                }
                None => RequestError::new(RequestErrorKind::Shape, text),
            }
        }
    }
}

/// Refuses nesting deeper than [`MAX_DEPTH`] before any parser recurses into it.
fn check_depth(text: &str) -> Result<(), RequestError> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for b in text.bytes() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(RequestError::new(
                        RequestErrorKind::Malformed,
                        format!("the body nests arrays or objects deeper than {MAX_DEPTH} levels"),
                    ));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// The top-level fields of a JSON object, in order, values kept as raw JSON text.
struct Fields(Vec<(String, Box<RawValue>)>);

impl<'de> Deserialize<'de> for Fields {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(FieldsVisitor)
    }
}

struct FieldsVisitor;

impl<'de> Visitor<'de> for FieldsVisitor {
    type Value = Fields;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object of params")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields, A::Error> {
        let mut fields: Vec<(String, Box<RawValue>)> = Vec::new();
        while let Some(name) = map.next_key::<String>()? {
            if fields.iter().any(|(n, _)| *n == name) {
                return Err(serde::de::Error::custom(format_args!("repeated field `{name}`")));
            }
            fields.push((name, map.next_value()?));
        }
        Ok(Fields(fields))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::julia::JuliaParams;

    fn parse_julia(body: &str) -> Result<RunRequest<JuliaParams>, RequestError> {
        parse(body, 2)
    }

    #[test]
    fn exec_fields_are_split_from_params() {
        let r = parse_julia(r#"{"width": 64, "variant": "reference", "threads": 1}"#).unwrap();
        assert_eq!(r.params.width, 64);
        assert_eq!(r.exec, Exec { variant: Variant::Reference, lanes: None, threads: 1, repeat: 1 });
        let r = parse_julia("{}").unwrap();
        assert_eq!((r.exec.threads, r.exec.repeat), (2, 1));
        assert_eq!(parse_julia(r#"{"repeat": 1000}"#).unwrap().exec.repeat, 1000);
    }

    #[test]
    fn errors_name_their_field_and_status() {
        use RequestErrorKind::*;
        let cases = [
            (r#"{"width": "wide"}"#, Shape, Some("width")),
            (r#"{"width": 1, "width": 2}"#, Shape, Some("width")),
            (r#"{"colour": 1}"#, Shape, Some("colour")),
            (r#"{"c_re": 1e400}"#, Shape, Some("c_re")),
            (r#"{"variant": "fast"}"#, Shape, Some("variant")),
            (r#"{"threads": 3}"#, Range, Some("threads")),
            (r#"{"lanes": 16}"#, Range, Some("lanes")),
            (r#"{"repeat": 0}"#, Range, Some("repeat")),
            (r#"{"repeat": 1001}"#, Range, Some("repeat")),
            (r#"{"repeat": 2.5}"#, Shape, Some("repeat")),
            (r#"[1, 2]"#, Shape, None),
            (r#"{"width": "#, Malformed, None),
            ("", Malformed, None),
            ("[[[[[[[[[[1]]]]]]]]]]", Malformed, None),
        ];
        for (body, kind, field) in cases {
            let e = parse_julia(body).unwrap_err();
            assert_eq!((e.kind, e.field.as_deref()), (kind, field), "{body}: {e:?}");
        }
    }
}
