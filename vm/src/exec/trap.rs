//! Traps: how a running program stops abnormally. A trap is a value with a
//! kind and the place it happened; the interpreter never panics instead.

use std::fmt;

use arenavm_arenas::AccessError;

use crate::semantics::NumTrap;

/// What went wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TrapKind {
    Unreachable,
    IntegerDivideByZero,
    IntegerOverflow,
    InvalidConversion,
    OutOfBounds,
    /// Bytes copied into a string were not valid UTF-8, or would split a
    /// character.
    InvalidUtf8,
    StaleHandle,
    WrongArena,
    NullElement,
    /// A list element or map value of another kind than the read expects.
    ElementType,
    IndirectCallSignatureMismatch,
    CallStackExhausted,
    OutOfFuel,
    OutOfMemory,
    HostError,
}

impl TrapKind {
    /// The kind as printed after `trap: `.
    pub fn message(self) -> &'static str {
        match self {
            TrapKind::Unreachable => "unreachable",
            TrapKind::IntegerDivideByZero => "integer divide by zero",
            TrapKind::IntegerOverflow => "integer overflow",
            TrapKind::InvalidConversion => "invalid conversion to integer",
            TrapKind::OutOfBounds => "out of bounds",
            TrapKind::InvalidUtf8 => "invalid utf-8",
            TrapKind::StaleHandle => "stale handle",
            TrapKind::WrongArena => "wrong arena",
            TrapKind::NullElement => "null or undefined element",
            TrapKind::ElementType => "element of another type",
            TrapKind::IndirectCallSignatureMismatch => "indirect call signature mismatch",
            TrapKind::CallStackExhausted => "call stack exhausted",
            TrapKind::OutOfFuel => "out of fuel",
            TrapKind::OutOfMemory => "out of memory",
            TrapKind::HostError => "host error",
        }
    }
}

impl From<NumTrap> for TrapKind {
    fn from(trap: NumTrap) -> TrapKind {
        match trap {
            NumTrap::IntegerDivideByZero => TrapKind::IntegerDivideByZero,
            NumTrap::IntegerOverflow => TrapKind::IntegerOverflow,
            NumTrap::InvalidConversion => TrapKind::InvalidConversion,
        }
    }
}

impl From<&AccessError> for TrapKind {
    fn from(error: &AccessError) -> TrapKind {
        match error {
            e if e.is_temporal() => TrapKind::StaleHandle,
            AccessError::WrongArena { .. } => TrapKind::WrongArena,
            AccessError::InvalidUtf8 { .. } | AccessError::NotCharBoundary { .. } => {
                TrapKind::InvalidUtf8
            }
            AccessError::OutOfMemory { .. } | AccessError::ArenaFull { .. } => {
                TrapKind::OutOfMemory
            }
            _ => TrapKind::OutOfBounds,
        }
    }
}

/// A trap with the function and instruction (index in the code as
/// written) where it happened. A trap while instantiation applies an active
/// segment is located at `<element segment i>` or `<data segment i>`,
/// instruction 0.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trap {
    pub kind: TrapKind,
    pub function: String,
    pub instruction: usize,
    /// More about the cause, when there is more to say (e.g. the arena error).
    pub detail: Option<String>,
}

impl fmt::Display for Trap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} in `{}` at instruction {}",
            self.kind.message(),
            self.function,
            self.instruction
        )?;
        if let Some(detail) = &self.detail {
            write!(f, " ({detail})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Trap {}
