//! Seamless slices: restricted handles onto a window of one object.
//!
//! A slice is its parent's Cell (with the generation it was made at) plus a
//! window `start..start+len`. Invariants:
//! - it is only made by [`Heap::slice`] or [`Heap::subslice`], which check the
//!   window against the parent's size (overflow-checked), so a slice only
//!   ever narrows;
//! - it never exposes its parent Cell, so it cannot free, grow or reach
//!   outside its window;
//! - every access re-checks the parent's generation (a freed parent kills
//!   every slice of it) and the window against the parent's current size.
//!
//! Non-amplification is enforced by types. This compiles:
//!
//! ```
//! # use arenavm_arenas::*;
//! let mut heap = Heap::default();
//! let list = heap.alloc(List::default()).unwrap();
//! let slice = heap.slice(list, 0, 0).unwrap();
//! heap.free(list).unwrap();
//! ```
//!
//! but a slice cannot be freed (`free` takes a Cell) ...
//!
//! ```compile_fail,E0308
//! # use arenavm_arenas::*;
//! let mut heap = Heap::default();
//! let list = heap.alloc(List::default()).unwrap();
//! let slice = heap.slice(list, 0, 0).unwrap();
//! heap.free(slice).unwrap();
//! ```
//!
//! ... nor turned back into its parent Cell:
//!
//! ```compile_fail,E0624
//! # use arenavm_arenas::*;
//! let mut heap = Heap::default();
//! let list = heap.alloc(List::default()).unwrap();
//! let slice = heap.slice(list, 0, 0).unwrap();
//! heap.free(slice.parent()).unwrap();
//! ```

use std::fmt;
use std::ops::Range;

use crate::cell::{ArenaTag, Cell};
use crate::error::{AccessError, Result};
use crate::heap::Heap;
use crate::objects::{
    Bytes, Element, F64Array, I64Array, List, Sequence, SequenceMut, Str, U8Array, Vector,
    checked_range,
};

/// A window onto a bytes segment, string, list or typed array.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Slice {
    parent: Cell,
    start: u64,
    len: u64,
}

impl Slice {
    /// Length of the window in the parent's elements.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// True for an empty window.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The arena of the parent object.
    pub fn arena(&self) -> ArenaTag {
        self.parent.arena()
    }

    /// The parent Cell: crate-private so that a slice cannot be widened
    /// back into its parent's full authority.
    pub(crate) fn parent(&self) -> Cell {
        self.parent
    }

    /// The window as a range inside a parent of `parent_len` elements.
    pub(crate) fn range_in(&self, parent_len: usize) -> Result<Range<usize>> {
        checked_range(self.start, self.len, parent_len)
    }
}

impl fmt::Debug for Slice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Slice({:?}[{}+{}])", self.parent, self.start, self.len)
    }
}

/// A readable or writable region for a bulk copy: a whole object (its
/// current length) or a slice's window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Span {
    Whole(Cell),
    Window(Slice),
}

impl Span {
    /// The Cell whose object the span lies in.
    pub(crate) fn cell(&self) -> Cell {
        match self {
            Span::Whole(cell) => *cell,
            Span::Window(slice) => slice.parent,
        }
    }

    /// The absolute range of `count` elements at `offset` within the span,
    /// for an object currently `seq_len` long.
    pub(crate) fn locate(&self, seq_len: usize, offset: u64, count: u64) -> Result<Range<usize>> {
        let window = match self {
            Span::Whole(_) => 0..seq_len,
            Span::Window(slice) => slice.range_in(seq_len)?,
        };
        let inner = checked_range(offset, count, window.len())?;
        Ok(window.start + inner.start..window.start + inner.end)
    }
}

impl From<Cell> for Span {
    fn from(cell: Cell) -> Span {
        Span::Whole(cell)
    }
}

impl From<Slice> for Span {
    fn from(slice: Slice) -> Span {
        Span::Window(slice)
    }
}

impl From<&Slice> for Span {
    fn from(slice: &Slice) -> Span {
        Span::Window(*slice)
    }
}

/// Checks that `start..start+len` is a window of `object`.
fn check_window<T: Sequence>(object: &T, start: u64, len: u64) -> Result<()> {
    let range = checked_range(start, len, object.seq_len())?;
    object.window(range).map(drop)
}

impl Heap {
    /// A slice onto `start..start+len` of the object `cell` reaches. O(1),
    /// copies nothing. Refused for maps, dead Cells and windows that do not
    /// fit (or, for strings, that split a character).
    pub fn slice(&self, cell: Cell, start: u64, len: u64) -> Result<Slice> {
        match cell.arena() {
            ArenaTag::Bytes => check_window(self.get::<Bytes>(cell)?, start, len)?,
            ArenaTag::Str => check_window(self.get::<Str>(cell)?, start, len)?,
            ArenaTag::List => check_window(self.get::<List>(cell)?, start, len)?,
            ArenaTag::I64Array => check_window(self.get::<I64Array>(cell)?, start, len)?,
            ArenaTag::F64Array => check_window(self.get::<F64Array>(cell)?, start, len)?,
            ArenaTag::U8Array => check_window(self.get::<U8Array>(cell)?, start, len)?,
            ArenaTag::Map => {
                self.check(cell)?;
                return Err(AccessError::Unsupported {
                    what: "slicing",
                    arena: ArenaTag::Map,
                });
            }
        }
        Ok(Slice {
            parent: cell,
            start,
            len,
        })
    }

    /// A narrower slice: `start..start+len` relative to `slice`'s window.
    /// The result always lies inside `slice`.
    pub fn subslice(&self, slice: &Slice, start: u64, len: u64) -> Result<Slice> {
        // A dead parent is reported as such before any window arithmetic.
        self.check(slice.parent)?;
        let inner = checked_range(start, len, usize::try_from(slice.len).unwrap_or(usize::MAX))?;
        // Cannot overflow: inner.end <= slice.len and slice.start + slice.len
        // was checked to fit in the parent when `slice` was made.
        let absolute = slice.start + inner.start as u64;
        let narrowed = self.slice(slice.parent, absolute, len)?;
        debug_assert!(absolute + len <= slice.start + slice.len);
        Ok(narrowed)
    }

    /// The elements a slice currently covers.
    pub fn window<T: Sequence>(&self, slice: &Slice) -> Result<&T::Window> {
        let object = self.get::<T>(slice.parent)?;
        object.window(slice.range_in(object.seq_len())?)
    }

    /// The elements a slice currently covers, writable (not for strings).
    pub fn window_mut<T: SequenceMut>(&mut self, slice: &Slice) -> Result<&mut T::Window> {
        let object = self.get_mut::<T>(slice.parent)?;
        let range = slice.range_in(object.seq_len())?;
        Ok(object.window_mut(range))
    }

    /// Element `index` of a list or array slice.
    #[inline]
    pub fn slice_get<E: Element>(&self, slice: &Slice, index: u64) -> Result<E> {
        let window = self.window::<Vector<E>>(slice)?;
        match usize::try_from(index).ok().and_then(|i| window.get(i)) {
            Some(e) => Ok(*e),
            None => Err(AccessError::oob(index, 1, slice.len)),
        }
    }

    /// Overwrites element `index` of a list or array slice.
    #[inline]
    pub fn slice_set<E: Element>(&mut self, slice: &Slice, index: u64, value: E) -> Result<()> {
        let window = self.window_mut::<Vector<E>>(slice)?;
        match usize::try_from(index).ok().and_then(|i| window.get_mut(i)) {
            Some(e) => {
                *e = value;
                Ok(())
            }
            None => Err(AccessError::oob(index, 1, slice.len)),
        }
    }

    /// Byte `index` of a bytes or string slice.
    pub fn slice_byte(&self, slice: &Slice, index: u64) -> Result<u8> {
        let bytes = match slice.arena() {
            ArenaTag::Str => self.window::<Str>(slice)?.as_bytes(),
            _ => self.window::<Bytes>(slice)?,
        };
        match usize::try_from(index).ok().and_then(|i| bytes.get(i)) {
            Some(b) => Ok(*b),
            None => Err(AccessError::oob(index, 1, slice.len)),
        }
    }
}
