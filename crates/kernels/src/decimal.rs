//! u64 values in JSON as decimal strings (docs/workloads.md): JavaScript numbers lose integers above
//! 2⁵³, and the book's primes are 18 digits long. Requests may send a decimal string or a JSON
//! integer; anything else (a sign, an exponent, a fraction, spaces, a value over 2⁶⁴ − 1) is
//! refused, so both fronts reject `"1e3"` and `"-1"` the same way.
//!
//! Use as `#[serde(with = "decimal")]` on a `u64` field, or `decimal::option` on `Option<u64>`.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserializer, Serializer};

/// Writes `v` as a decimal string.
pub fn serialize<S: Serializer>(v: &u64, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

/// Reads a u64 from a JSON integer or a string of decimal digits.
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    d.deserialize_any(DecimalU64)
}

/// Parses a string of 1–20 ASCII digits that fits in a u64.
fn parse(s: &str) -> Option<u64> {
    if s.is_empty() || s.len() > 20 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

struct DecimalU64;

impl Visitor<'_> for DecimalU64 {
    type Value = u64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer in [0, 18446744073709551615], as a JSON integer or a string of decimal digits")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<u64, E> {
        Ok(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<u64, E> {
        u64::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<u64, E> {
        parse(v).ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self))
    }
}

/// The same for `Option<u64>` (`null` ⇄ `None`).
pub mod option {
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes `Some(v)` as a decimal string and `None` as `null`.
    pub fn serialize<S: Serializer>(v: &Option<u64>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(v) => s.collect_str(v),
            None => s.serialize_none(),
        }
    }

    /// Reads `null` or a value [`super::deserialize`] accepts.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
        #[derive(Deserialize)]
        struct Wrap(#[serde(with = "super")] u64);
        Ok(Option::<Wrap>::deserialize(d)?.map(|Wrap(v)| v))
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Debug, Serialize, Deserialize, PartialEq)]
    struct T {
        #[serde(with = "super")]
        n: u64,
    }

    fn read(json: &str) -> Result<u64, String> {
        serde_json::from_str::<T>(json).map(|t| t.n).map_err(|e| e.to_string())
    }

    #[test]
    fn accepts_integers_and_digit_strings() {
        assert_eq!(read(r#"{"n": 42}"#), Ok(42));
        assert_eq!(read(r#"{"n": "18446744073709551615"}"#), Ok(u64::MAX));
        assert_eq!(read(r#"{"n": 18446744073709551615}"#), Ok(u64::MAX));
        assert_eq!(serde_json::to_string(&T { n: u64::MAX }).unwrap(), r#"{"n":"18446744073709551615"}"#);
    }

    #[test]
    fn refuses_what_is_not_a_u64() {
        for bad in [
            r#"{"n": -1}"#,
            r#"{"n": "-1"}"#,
            r#"{"n": "1e3"}"#,
            r#"{"n": 1e3}"#,
            r#"{"n": 1.5}"#,
            r#"{"n": "18446744073709551616"}"#,
            r#"{"n": 18446744073709551616}"#,
            r#"{"n": " 1"}"#,
            r#"{"n": "+1"}"#,
            r#"{"n": ""}"#,
            r#"{"n": null}"#,
            r#"{"n": true}"#,
        ] {
            assert!(read(bad).is_err(), "{bad} was accepted");
        }
    }
}
