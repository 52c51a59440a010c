//! arenavm's memory: typed arenas reached only through generation-checked
//! [`Cell`]s.
//!
//! Every heap object lives in the arena of its type and is reached through a
//! 64-bit Cell `(arena tag, generation, slot index)`. Every access checks the
//! tag, liveness, the generation (full equality) and bounds, in every build,
//! and refuses with an [`AccessError`] instead of panicking. On top of that:
//!
//! - [`Slice`]: an O(1) window onto part of an object that can only narrow,
//!   dies with its parent and cannot free;
//! - [`Heap::copy`]: one all-or-nothing bulk copy across arenas, with the
//!   conversions listed in [`COPY_TABLE`];
//! - a generation policy that retires a slot instead of wrapping, and a
//!   [`Heap::sweep`] that returns retired slots only after nulling every Cell
//!   that names them.
//!
//! The claims and the tests that enforce them are in `docs/mep-41/`.
//!
//! ```
//! use arenavm_arenas::{Heap, List, Str, Value, AccessError};
//!
//! let mut heap = Heap::default();
//! let s = heap.alloc(Str::from("hi"))?;
//! let list = heap.alloc(List::from(vec![Value::Cell(s), Value::I64(7)]))?;
//! assert_eq!(heap.get::<List>(list)?.get(0)?, Value::Cell(s));
//! heap.free(s)?;
//! assert!(matches!(heap.get::<Str>(s), Err(AccessError::Freed { .. })));
//! # Ok::<(), AccessError>(())
//! ```

#![forbid(unsafe_code)]

mod cell;
mod copy;
mod error;
mod heap;
mod objects;
mod slab;
mod slice;
mod sweep;
mod value;

pub use cell::{ArenaTag, Cell, GENERATION_FIELD_BITS, GenBits, SlotIndex};
pub use copy::{COPY_TABLE, Conversion, CopyRule, copy_rule};
pub use error::{AccessError, Result};
pub use heap::{Heap, HeapConfig, HeapStats};
pub use objects::{
    Bytes, Element, F64Array, I64Array, List, MAX_OBJECT_BYTES, Map, Object, Sequence, SequenceMut,
    Str, U8Array, Vector,
};
pub use slab::{FreeOutcome, SlabStats};
pub use slice::{Slice, Span};
pub use sweep::{RootVisitor, Roots, SweepReport};
pub use value::{MapKey, MapKeyRef, Value};

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
