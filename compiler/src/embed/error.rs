//! Why an embedding call failed: one type for every refusal, so that a
//! host can tell a bad module from a missing import, a trap or its own
//! mistake without reading messages.

use std::fmt;

use arenavm_vm::exec::{InstantiateError, InvokeError, Trap};

use crate::wasm::TranslateError;

/// Every way an embedding operation can fail. No operation of
/// [`embed`](super) panics instead.
#[derive(Clone, Debug, PartialEq)]
pub enum Error {
    /// The bytes are not a valid module under the chosen features:
    /// WebAssembly text that does not parse (no `offset`), or a binary that
    /// is malformed or does not validate (`offset` is the byte wasmparser
    /// stopped at).
    InvalidModule {
        message: String,
        offset: Option<u64>,
    },
    /// The module is valid but uses what arenavm does not implement, or
    /// exceeds one of its limits.
    Unsupported { message: String, offset: u64 },
    /// The translator produced a program the verifier refused, or reported
    /// a state validation rules out: a bug in arenavm, not in the module.
    Internal(String),
    /// An import is missing or has the wrong type. Nothing was created.
    Link(String),
    /// The program trapped: during instantiation (a segment or the start
    /// function) or in a call.
    Trap(Trap),
    /// The store could not allocate a memory or table.
    Resource(String),
    /// The host's own request was wrong: arguments of the wrong number or
    /// type, a handle from another store, a typed signature that does not
    /// match, a value out of range.
    Usage(String),
}

impl Error {
    /// The trap, if the error is one.
    pub fn trap(&self) -> Option<&Trap> {
        match self {
            Error::Trap(trap) => Some(trap),
            _ => None,
        }
    }

    pub(crate) fn usage(message: impl Into<String>) -> Error {
        Error::Usage(message.into())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidModule {
                message,
                offset: Some(offset),
            } => write!(f, "invalid module at byte {offset:#x}: {message}"),
            Error::InvalidModule {
                message,
                offset: None,
            } => write!(f, "invalid module: {message}"),
            Error::Unsupported { message, offset } => {
                write!(f, "unsupported module at byte {offset:#x}: {message}")
            }
            Error::Internal(message) => write!(f, "internal error (an arenavm bug): {message}"),
            Error::Link(message) => write!(f, "link error: {message}"),
            Error::Trap(trap) => write!(f, "trap: {trap}"),
            Error::Resource(message) => write!(f, "out of resources: {message}"),
            Error::Usage(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {}

impl From<TranslateError> for Error {
    fn from(error: TranslateError) -> Error {
        match error {
            TranslateError::Text { message } => Error::InvalidModule {
                message,
                offset: None,
            },
            TranslateError::Invalid { message, offset } => Error::InvalidModule {
                message,
                offset: Some(offset),
            },
            TranslateError::Unsupported { message, offset }
            | TranslateError::TooLarge { message, offset } => {
                Error::Unsupported { message, offset }
            }
            TranslateError::Internal { message, offset } => {
                Error::Internal(format!("translator at byte {offset:#x}: {message}"))
            }
        }
    }
}

impl From<InstantiateError> for Error {
    fn from(error: InstantiateError) -> Error {
        match error {
            InstantiateError::Link(message) => Error::Link(message),
            InstantiateError::Trap(trap) => Error::Trap(trap),
            InstantiateError::Resource(message) => Error::Resource(message),
        }
    }
}

impl From<InvokeError> for Error {
    fn from(error: InvokeError) -> Error {
        match error {
            InvokeError::Trap(trap) => Error::Trap(trap),
            InvokeError::Invalid(message) => Error::Usage(message),
        }
    }
}

impl From<Trap> for Error {
    fn from(trap: Trap) -> Error {
        Error::Trap(trap)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arenavm_vm::exec::TrapKind;

    #[test]
    fn translator_errors_keep_their_offset_and_class() {
        let e: Error = TranslateError::Invalid {
            message: "bad magic".into(),
            offset: 3,
        }
        .into();
        assert_eq!(e.to_string(), "invalid module at byte 0x3: bad magic");
        let e: Error = TranslateError::Text {
            message: "expected `(`".into(),
        }
        .into();
        assert_eq!(e.to_string(), "invalid module: expected `(`");
        let e: Error = TranslateError::TooLarge {
            message: "too many registers".into(),
            offset: 16,
        }
        .into();
        assert!(matches!(e, Error::Unsupported { offset: 16, .. }));
    }

    #[test]
    fn traps_stay_traps() {
        let trap = Trap {
            kind: TrapKind::Unreachable,
            function: "f".into(),
            instruction: 2,
            detail: None,
        };
        let e: Error = InvokeError::Trap(trap.clone()).into();
        assert_eq!(e.trap(), Some(&trap));
        assert_eq!(e.to_string(), "trap: unreachable in `f` at instruction 2");
        let e: Error = InstantiateError::Link("unknown import a.b".into()).into();
        assert_eq!(e.to_string(), "link error: unknown import a.b");
        assert_eq!(e.trap(), None);
    }
}
