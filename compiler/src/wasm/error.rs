//! Why a module was not translated.

use std::fmt;

/// Why [`translate`](super::translate) or
/// [`parse_wat_or_wasm`](super::parse_wat_or_wasm) refused its input.
///
/// Every refusal is one of these; no input makes the translator panic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TranslateError {
    /// The WebAssembly text did not parse (from the `wat` crate; its
    /// message names the line and column).
    Text { message: String },
    /// The binary is malformed or does not validate under the chosen
    /// features. `offset` is the byte offset wasmparser reported.
    Invalid { message: String, offset: u64 },
    /// The module is valid but uses something arenavm does not implement
    /// (a SIMD instruction, a 64-bit memory, a GC type...).
    Unsupported { message: String, offset: u64 },
    /// The module is valid but exceeds one of arenavm's limits, such as the
    /// 65,536 registers of a frame.
    TooLarge { message: String, offset: u64 },
    /// A state validation rules out. The translator reports it instead of
    /// panicking; seeing one is a translator bug.
    Internal { message: String, offset: u64 },
}

impl TranslateError {
    /// The byte offset in the binary, when there is one.
    pub fn offset(&self) -> Option<u64> {
        match self {
            TranslateError::Text { .. } => None,
            TranslateError::Invalid { offset, .. }
            | TranslateError::Unsupported { offset, .. }
            | TranslateError::TooLarge { offset, .. }
            | TranslateError::Internal { offset, .. } => Some(*offset),
        }
    }

    pub(crate) fn invalid(message: impl Into<String>, offset: u64) -> TranslateError {
        TranslateError::Invalid {
            message: message.into(),
            offset,
        }
    }

    pub(crate) fn unsupported(message: impl Into<String>, offset: u64) -> TranslateError {
        TranslateError::Unsupported {
            message: message.into(),
            offset,
        }
    }

    pub(crate) fn too_large(message: impl Into<String>, offset: u64) -> TranslateError {
        TranslateError::TooLarge {
            message: message.into(),
            offset,
        }
    }

    pub(crate) fn internal(message: impl Into<String>, offset: u64) -> TranslateError {
        TranslateError::Internal {
            message: message.into(),
            offset,
        }
    }
}

impl From<wasmparser::BinaryReaderError> for TranslateError {
    fn from(e: wasmparser::BinaryReaderError) -> TranslateError {
        TranslateError::Invalid {
            message: e.message().to_owned(),
            offset: e.offset(),
        }
    }
}

impl From<wat::Error> for TranslateError {
    fn from(e: wat::Error) -> TranslateError {
        TranslateError::Text {
            message: e.to_string(),
        }
    }
}

impl fmt::Display for TranslateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TranslateError::Text { message } => write!(f, "invalid WebAssembly text: {message}"),
            TranslateError::Invalid { message, offset } => {
                write!(f, "invalid module at byte {offset:#x}: {message}")
            }
            TranslateError::Unsupported { message, offset } => {
                write!(f, "unsupported at byte {offset:#x}: {message}")
            }
            TranslateError::TooLarge { message, offset } => {
                write!(f, "too large at byte {offset:#x}: {message}")
            }
            TranslateError::Internal { message, offset } => {
                write!(f, "translator bug at byte {offset:#x}: {message}")
            }
        }
    }
}

impl std::error::Error for TranslateError {}
