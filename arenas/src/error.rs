//! The one error type every arena access returns. The VM turns each into a
//! trap of the matching kind; nothing in this crate panics on bad input.

use std::fmt;

use crate::cell::{ArenaTag, SlotIndex};

/// Why an arena operation was refused. Every variant leaves the heap as it
/// was before the call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AccessError {
    /// The Cell names a different arena than the operation needs.
    WrongArena { expected: ArenaTag, found: ArenaTag },
    /// The Cell's slot has been reused since the Cell was minted (or the Cell
    /// belongs to no slot of this heap).
    Stale { arena: ArenaTag, slot: SlotIndex },
    /// The object was freed and its slot not yet reused; double frees land here.
    Freed { arena: ArenaTag, slot: SlotIndex },
    /// The slot ran through every generation and was retired.
    Retired { arena: ArenaTag, slot: SlotIndex },
    /// An index or range outside the object (or slice window).
    OutOfBounds { offset: u64, len: u64, bound: u64 },
    /// A byte range that is not valid UTF-8; `offset` is where decoding failed,
    /// relative to the start of the range.
    InvalidUtf8 { offset: u64 },
    /// A string offset that falls inside a multi-byte character.
    NotCharBoundary { offset: u64 },
    /// The bulk copy table has no entry for this pair of arenas.
    UnsupportedCopy { from: ArenaTag, to: ArenaTag },
    /// A byte count that is not a whole number of destination elements.
    PartialElement { bytes: u64, element_size: u64 },
    /// Growing a bytes segment past its maximum length.
    SegmentLimit { requested: u64, max: u64 },
    /// The allocator could not provide the memory.
    OutOfMemory { bytes: u64 },
    /// The arena has no slot index left to give.
    ArenaFull { arena: ArenaTag },
    /// Pop from an empty list or array.
    Empty { arena: ArenaTag },
    /// Only integers, floats and strings can be map keys.
    UnhashableKey { arena: ArenaTag },
    /// An argument outside its allowed range (e.g. a slice on a map).
    Unsupported { what: &'static str, arena: ArenaTag },
}

impl AccessError {
    /// Short kind name, stable for traps and tests.
    pub fn kind(&self) -> &'static str {
        match self {
            AccessError::WrongArena { .. } => "wrong arena",
            AccessError::Stale { .. } => "stale handle",
            AccessError::Freed { .. } => "freed",
            AccessError::Retired { .. } => "retired",
            AccessError::OutOfBounds { .. } => "out of bounds",
            AccessError::InvalidUtf8 { .. } => "invalid utf-8",
            AccessError::NotCharBoundary { .. } => "not a char boundary",
            AccessError::UnsupportedCopy { .. } => "unsupported copy",
            AccessError::PartialElement { .. } => "partial element",
            AccessError::SegmentLimit { .. } => "segment limit",
            AccessError::OutOfMemory { .. } => "out of memory",
            AccessError::ArenaFull { .. } => "arena full",
            AccessError::Empty { .. } => "empty",
            AccessError::UnhashableKey { .. } => "unhashable key",
            AccessError::Unsupported { .. } => "unsupported",
        }
    }

    /// True for the temporal-safety refusals: the handle outlived its object.
    pub fn is_temporal(&self) -> bool {
        matches!(
            self,
            AccessError::Stale { .. } | AccessError::Freed { .. } | AccessError::Retired { .. }
        )
    }

    pub(crate) fn oob(offset: u64, len: u64, bound: u64) -> AccessError {
        AccessError::OutOfBounds { offset, len, bound }
    }
}

impl fmt::Display for AccessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AccessError::WrongArena { expected, found } => {
                write!(
                    f,
                    "wrong arena: expected a {expected} Cell, got a {found} Cell"
                )
            }
            AccessError::Stale { arena, slot } => {
                write!(f, "stale handle: {arena} slot {slot} was reused")
            }
            AccessError::Freed { arena, slot } => {
                write!(f, "freed: {arena} slot {slot} was freed")
            }
            AccessError::Retired { arena, slot } => {
                write!(f, "retired: {arena} slot {slot} exhausted its generations")
            }
            AccessError::OutOfBounds { offset, len, bound } => write!(
                f,
                "out of bounds: range {offset}+{len} exceeds length {bound}"
            ),
            AccessError::InvalidUtf8 { offset } => {
                write!(f, "invalid utf-8 at byte {offset} of the source range")
            }
            AccessError::NotCharBoundary { offset } => {
                write!(f, "string offset {offset} is not on a char boundary")
            }
            AccessError::UnsupportedCopy { from, to } => {
                write!(f, "no bulk copy from {from} to {to}")
            }
            AccessError::PartialElement {
                bytes,
                element_size,
            } => write!(
                f,
                "{bytes} bytes is not a whole number of {element_size}-byte elements"
            ),
            AccessError::SegmentLimit { requested, max } => write!(
                f,
                "segment limit: {requested} bytes requested, maximum {max}"
            ),
            AccessError::OutOfMemory { bytes } => {
                write!(f, "out of memory allocating {bytes} bytes")
            }
            AccessError::ArenaFull { arena } => {
                write!(f, "the {arena} arena has no free slot index")
            }
            AccessError::Empty { arena } => write!(f, "pop from an empty {arena}"),
            AccessError::UnhashableKey { arena } => {
                write!(f, "a {arena} Cell cannot be a map key")
            }
            AccessError::Unsupported { what, arena } => {
                write!(f, "{what} is not supported on a {arena}")
            }
        }
    }
}

impl std::error::Error for AccessError {}

/// Result of an arena operation.
pub type Result<T, E = AccessError> = std::result::Result<T, E>;
