//! Typed errors shared by every stage; the code string crosses the ABI unchanged.

use std::fmt;

/// An error with a stable machine-readable code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MlError {
    pub code: &'static str,
    pub message: String,
}

impl MlError {
    pub fn new(code: &'static str, message: impl Into<String>) -> MlError {
        MlError {
            code,
            message: message.into(),
        }
    }
    pub fn empty() -> MlError {
        MlError::new("empty_input", "input is empty")
    }
    pub fn decode(message: impl Into<String>) -> MlError {
        MlError::new("decode_failed", message)
    }
    pub fn too_large(message: impl Into<String>) -> MlError {
        MlError::new("too_large", message)
    }
    pub fn unsupported(message: impl Into<String>) -> MlError {
        MlError::new("unsupported_format", message)
    }
    pub fn bad_dimensions(message: impl Into<String>) -> MlError {
        MlError::new("bad_dimensions", message)
    }
    pub fn invalid(message: impl Into<String>) -> MlError {
        MlError::new("invalid_argument", message)
    }
    pub fn no_detector() -> MlError {
        MlError::new("no_detector", "face detector weights are not loaded")
    }
}

impl fmt::Display for MlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

pub type MlResult<T> = Result<T, MlError>;
