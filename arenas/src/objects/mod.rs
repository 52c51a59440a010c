//! The object types, one per arena. Each type keeps its own invariants
//! (a string stays UTF-8, a segment stays within its maximum) so the heap
//! only has to check handles.

mod bytes;
mod map;
mod string;
mod vector;

pub use bytes::Bytes;
pub use map::Map;
pub use string::Str;
pub use vector::{Element, F64Array, I64Array, List, U8Array, Vector};

use std::ops::Range;

use crate::cell::ArenaTag;
use crate::error::{AccessError, Result};
use crate::heap::Heap;
use crate::slab::Slab;

/// A type that lives in an arena of its own. Sealed: the set of arenas is
/// fixed by this crate.
pub trait Object: sealed::InHeap + Sized + 'static {
    /// The tag every Cell of this type carries.
    const TAG: ArenaTag;
}

/// An object whose contents are a sequence that slices and bulk copy address
/// by element index.
pub trait Sequence: Object {
    /// What a window of the sequence looks like (`[u8]`, `str`, `[Value]`...).
    type Window: ?Sized;
    /// Current length in elements.
    fn seq_len(&self) -> usize;
    /// The elements in `range`, which the caller has bounds-checked.
    /// Strings also refuse ranges that split a character.
    fn window(&self, range: Range<usize>) -> Result<&Self::Window>;
}

/// A sequence whose elements can be overwritten in place. Strings are not:
/// writing arbitrary bytes could break UTF-8.
pub trait SequenceMut: Sequence {
    /// The elements in `range`, which the caller has bounds-checked.
    fn window_mut(&mut self, range: Range<usize>) -> &mut Self::Window;
}

pub(crate) mod sealed {
    use super::*;

    /// Where a type's slab sits in the heap. Private to the crate.
    pub trait InHeap: Sized + crate::slab::Vacant {
        fn slab(heap: &Heap) -> &Slab<Self>;
        fn slab_mut(heap: &mut Heap) -> &mut Slab<Self>;
    }

    /// Where the slab of vectors of an element type sits. Private to the crate.
    pub trait ElementSlab: Sized {
        fn vector_slab(heap: &Heap) -> &Slab<super::Vector<Self>>
        where
            Self: super::Element;
        fn vector_slab_mut(heap: &mut Heap) -> &mut Slab<super::Vector<Self>>
        where
            Self: super::Element;
    }
}

/// `offset..offset+len` as a range inside `bound`, or the out-of-bounds error.
/// Overflow-checked: a huge offset never wraps into range.
#[inline(always)]
pub(crate) fn checked_range(offset: u64, len: u64, bound: usize) -> Result<Range<usize>> {
    match offset.checked_add(len) {
        Some(end) if end <= bound as u64 => Ok(offset as usize..end as usize),
        _ => Err(AccessError::oob(offset, len, bound as u64)),
    }
}

/// The largest object any arena holds: 4 GiB of payload, the size of the
/// largest 32-bit WebAssembly memory. Checked before anything is allocated,
/// so a program asking for more gets `OutOfMemory` at once rather than an
/// allocation the system grants lazily and then cannot back.
pub const MAX_OBJECT_BYTES: u64 = 1 << 32;

/// The payload bytes of `len` elements of `T`, if within [`MAX_OBJECT_BYTES`].
fn within_limit<T>(len: u64) -> Result<usize> {
    let bytes = len.saturating_mul(std::mem::size_of::<T>() as u64);
    if bytes > MAX_OBJECT_BYTES {
        return Err(AccessError::OutOfMemory { bytes });
    }
    usize::try_from(len).map_err(|_| AccessError::OutOfMemory { bytes })
}

/// A vector of `len` copies of `fill`, or an error instead of an abort when
/// the size passes [`MAX_OBJECT_BYTES`] or the allocator refuses.
pub(crate) fn try_filled<T: Clone>(len: u64, fill: T) -> Result<Vec<T>> {
    let count = within_limit::<T>(len)?;
    let mut v = Vec::new();
    v.try_reserve_exact(count)
        .map_err(|_| AccessError::OutOfMemory {
            bytes: len.saturating_mul(std::mem::size_of::<T>() as u64),
        })?;
    v.resize(count, fill);
    Ok(v)
}

/// Makes room for `extra` more elements, within [`MAX_OBJECT_BYTES`], or
/// reports out-of-memory.
pub(crate) fn try_grow<T>(v: &mut Vec<T>, extra: usize) -> Result<()> {
    within_limit::<T>((v.len() as u64).saturating_add(extra as u64))?;
    v.try_reserve(extra).map_err(|_| AccessError::OutOfMemory {
        bytes: (extra as u64).saturating_mul(std::mem::size_of::<T>() as u64),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checked_range_refuses_overflow_and_overrun() {
        assert_eq!(checked_range(2, 3, 5), Ok(2..5));
        assert_eq!(checked_range(5, 0, 5), Ok(5..5));
        assert!(checked_range(3, 3, 5).is_err());
        assert!(checked_range(u64::MAX, 2, 5).is_err());
        assert!(checked_range(6, 0, 5).is_err());
    }

    #[test]
    fn objects_past_the_limit_are_refused_before_allocation() {
        let limit = MAX_OBJECT_BYTES;
        assert_eq!(
            try_filled(limit / 8 + 1, 0u64),
            Err(AccessError::OutOfMemory { bytes: limit + 8 })
        );
        let mut v = vec![0u64; 4];
        assert!(try_grow(&mut v, (limit / 8) as usize).is_err());
        assert!(try_grow(&mut v, 1).is_ok());
    }

    #[test]
    fn try_filled_reports_impossible_sizes() {
        assert!(matches!(
            try_filled(u64::MAX, 0u8),
            Err(AccessError::OutOfMemory { .. })
        ));
        assert_eq!(try_filled(3, 7u8), Ok(vec![7, 7, 7]));
    }
}
