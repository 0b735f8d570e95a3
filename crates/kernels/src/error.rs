//! The crate's one error type. Both fronts show these words as they are (the server in its JSON
//! error body, the page next to the field), so a message names the field, the value it got and
//! the range it allows.

use std::fmt;

/// Why a kernel did not return a result.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// A parameter is outside what the kernel accepts.
    Invalid {
        /// The JSON field name (snake_case, as in docs/workloads.md).
        field: &'static str,
        /// The full sentence shown to the user: field, value, allowed range.
        message: String,
    },
    /// The run was cancelled through its [`Control`](crate::Control).
    Cancelled,
}

impl Error {
    /// An `Invalid` error for `field`, with a message that says what was given and what is allowed.
    pub fn invalid(field: &'static str, value: impl fmt::Display, allowed: impl fmt::Display) -> Self {
        Error::Invalid { field, message: format!("{field} = {value} is out of range: allowed {allowed}") }
    }

    /// The field this error is about, if it is about one.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Error::Invalid { field, .. } => Some(field),
            Error::Cancelled => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Invalid { message, .. } => f.write_str(message),
            Error::Cancelled => f.write_str("the run was cancelled"),
        }
    }
}

impl std::error::Error for Error {}

/// Checks that a float parameter is finite and within `[lo, hi]`.
pub(crate) fn check_f64(field: &'static str, v: f64, lo: f64, hi: f64) -> Result<(), Error> {
    if !v.is_finite() {
        return Err(Error::invalid(field, v, format!("a finite number in [{lo}, {hi}]")));
    }
    if v < lo || v > hi {
        return Err(Error::invalid(field, v, format!("[{lo}, {hi}]")));
    }
    Ok(())
}

/// Checks that an integer parameter is within `[lo, hi]`.
pub(crate) fn check_int<T>(field: &'static str, v: T, lo: T, hi: T) -> Result<(), Error>
where
    T: PartialOrd + fmt::Display + Copy,
{
    if v < lo || v > hi {
        return Err(Error::invalid(field, v, format!("an integer in [{lo}, {hi}]")));
    }
    Ok(())
}
