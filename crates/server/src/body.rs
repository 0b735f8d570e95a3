//! Reading a request body into a workload's params and the run's [`Exec`], with the status
//! codes of DESIGN.md: 415 unless `application/json`; 413 over [`MAX_BODY_BYTES`]; 400 for a
//! body that is not well-formed JSON (syntax, empty, nested deeper than [`MAX_DEPTH`]); 422 for
//! JSON of the wrong shape or type, unknown or repeated fields, and numbers the field's type
//! cannot hold; 400 for values of the right type out of range (from the kernels' `validate()`).
//!
//! The body is split into its top-level fields first (refusing repeats, which a map would
//! silently merge), so every type error names its field: each field is tried alone against the
//! params type before all are read together.

use std::fmt;

use axum::body::Bytes;
use axum::http::{HeaderMap, header};
use parallax_kernels::{Exec, Variant};
use serde::de::{DeserializeOwned, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

use crate::error::ApiError;

/// Largest request body accepted, in bytes (params are a dozen fields).
pub const MAX_BODY_BYTES: usize = 16 * 1024;
/// Deepest nesting of arrays and objects accepted (params are one flat object).
pub const MAX_DEPTH: usize = 8;

/// A parsed run request.
#[derive(Debug)]
pub struct RunRequest<P> {
    /// The workload's params (defaults for missing fields).
    pub params: P,
    /// Variant, lanes and threads (threads defaults to the whole pool).
    pub exec: Exec,
}

/// Checks that the request says it carries JSON.
pub fn require_json(headers: &HeaderMap) -> Result<(), ApiError> {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let essence = content_type.split(';').next().unwrap_or("").trim();
    if essence.eq_ignore_ascii_case("application/json") {
        Ok(())
    } else {
        let shown = if content_type.is_empty() { "none".to_string() } else { format!("{content_type:?}") };
        Err(ApiError::new(
            axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!("Content-Type must be application/json (got {shown})"),
        ))
    }
}

/// Parses `body` into params and exec. `pool_threads` bounds `threads`.
pub fn parse<P: DeserializeOwned>(body: &Bytes, pool_threads: usize) -> Result<RunRequest<P>, ApiError> {
    let text = std::str::from_utf8(body).map_err(|_| ApiError::bad_request("the body is not UTF-8 text"))?;
    if text.trim().is_empty() {
        return Err(ApiError::bad_request("the body is empty: send a JSON object ({} runs the book's case)"));
    }
    check_depth(text)?;
    let Fields(fields) = serde_json::from_str::<Fields>(text).map_err(json_error)?;

    let mut exec = Exec { variant: Variant::Simd, lanes: None, threads: pool_threads };
    let mut params_json = String::from("{");
    for (name, value) in &fields {
        match name.as_str() {
            "variant" => exec.variant = field_value(name, value)?,
            "threads" => exec.threads = field_value::<u32>(name, value)? as usize,
            "lanes" => exec.lanes = field_value(name, value)?,
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
    let params = serde_json::from_str::<P>(&params_json).map_err(|e| ApiError::unprocessable(e.to_string()))?;
    if exec.threads == 0 || exec.threads > pool_threads {
        return Err(ApiError::bad_request(format!(
            "threads = {} is out of range: allowed an integer in [1, {pool_threads}] (the server's pool)",
            exec.threads
        ))
        .field("threads"));
    }
    exec.validate()?;
    Ok(RunRequest { params, exec })
}

fn field_value<T: DeserializeOwned>(name: &str, value: &RawValue) -> Result<T, ApiError> {
    serde_json::from_str(value.get()).map_err(|e| field_error(name, &e))
}

fn field_error(name: &str, e: &serde_json::Error) -> ApiError {
    // serde_json appends " at line 1 column N", which points into our re-serialised text.
    let text = e.to_string();
    let text = text.split(" at line ").next().unwrap_or(&text);
    let allowed = match name {
        "variant" => " (allowed: \"reference\" or \"simd\")",
        "threads" | "lanes" => " (allowed: a JSON integer)",
        _ => "",
    };
    ApiError::unprocessable(format!("{name}: {text}{allowed}")).field(name)
}

/// Syntax errors and truncated JSON are 400; well-formed JSON of the wrong shape (not an
/// object, a repeated field) is 422.
fn json_error(e: serde_json::Error) -> ApiError {
    use serde_json::error::Category;
    match e.classify() {
        Category::Syntax | Category::Eof | Category::Io => {
            ApiError::bad_request(format!("the body is not well-formed JSON: {e}"))
        }
        Category::Data => {
            let text = e.to_string();
            match text.strip_prefix("repeated field ") {
                Some(rest) => {
                    let field = rest.split('`').nth(1).unwrap_or("").to_string();
                    ApiError::unprocessable(format!("the field {field:?} appears more than once")).field(field)
                }
                None => ApiError::unprocessable(text),
            }
        }
    }
}

/// Refuses nesting deeper than [`MAX_DEPTH`] before any parser recurses into it.
fn check_depth(text: &str) -> Result<(), ApiError> {
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
                    return Err(ApiError::bad_request(format!(
                        "the body nests arrays or objects deeper than {MAX_DEPTH} levels"
                    )));
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
    use parallax_kernels::julia::JuliaParams;

    fn parse_julia(body: &str) -> Result<RunRequest<JuliaParams>, ApiError> {
        parse(&Bytes::from(body.to_string()), 2)
    }

    #[test]
    fn exec_fields_are_split_from_params() {
        let r = parse_julia(r#"{"width": 64, "variant": "reference", "threads": 1}"#).unwrap();
        assert_eq!(r.params.width, 64);
        assert_eq!(r.exec, Exec { variant: Variant::Reference, lanes: None, threads: 1 });
        let r = parse_julia("{}").unwrap();
        assert_eq!(r.exec.threads, 2);
    }

    #[test]
    fn errors_name_their_field_and_status() {
        let cases = [
            (r#"{"width": "wide"}"#, 422, Some("width")),
            (r#"{"width": 1, "width": 2}"#, 422, Some("width")),
            (r#"{"colour": 1}"#, 422, Some("colour")),
            (r#"{"c_re": 1e400}"#, 422, Some("c_re")),
            (r#"{"variant": "fast"}"#, 422, Some("variant")),
            (r#"{"threads": 3}"#, 400, Some("threads")),
            (r#"{"lanes": 16}"#, 400, Some("lanes")),
            (r#"[1, 2]"#, 422, None),
            (r#"{"width": "#, 400, None),
            ("", 400, None),
            ("[[[[[[[[[[1]]]]]]]]]]", 400, None),
        ];
        for (body, status, field) in cases {
            let e = parse_julia(body).unwrap_err();
            assert_eq!((e.status.as_u16(), e.field.as_deref()), (status, field), "{body}: {e:?}");
        }
    }
}
