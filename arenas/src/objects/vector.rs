//! Growable vectors of one element type: lists of values and typed arrays.
//! One generic implementation serves all four arenas.

use std::ops::Range;

use super::{Object, Sequence, SequenceMut, checked_range, try_filled, try_grow};
use crate::cell::ArenaTag;
use crate::error::{AccessError, Result};
use crate::value::Value;

/// An element type with an arena of vectors of its own. Sealed.
pub trait Element:
    Copy + Default + PartialEq + std::fmt::Debug + 'static + super::sealed::ElementSlab
{
    /// The arena for vectors of this element.
    const TAG: ArenaTag;
}

impl<E: Element> super::sealed::InHeap for Vector<E> {
    #[inline(always)]
    fn slab(heap: &crate::heap::Heap) -> &crate::slab::Slab<Self> {
        E::vector_slab(heap)
    }
    #[inline(always)]
    fn slab_mut(heap: &mut crate::heap::Heap) -> &mut crate::slab::Slab<Self> {
        E::vector_slab_mut(heap)
    }
}

impl Element for Value {
    const TAG: ArenaTag = ArenaTag::List;
}
impl Element for i64 {
    const TAG: ArenaTag = ArenaTag::I64Array;
}
impl Element for f64 {
    const TAG: ArenaTag = ArenaTag::F64Array;
}
impl Element for u8 {
    const TAG: ArenaTag = ArenaTag::U8Array;
}

/// A list of values; the arena whose elements may be Cells.
pub type List = Vector<Value>;
/// An array of `i64`.
pub type I64Array = Vector<i64>;
/// An array of `f64`.
pub type F64Array = Vector<f64>;
/// An array of `u8`.
pub type U8Array = Vector<u8>;

/// A growable vector of `E`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Vector<E: Element> {
    items: Vec<E>,
}

impl<E: Element> Vector<E> {
    /// `len` default elements (null, 0 or 0.0).
    pub fn with_len(len: u64) -> Result<Vector<E>> {
        Ok(Vector {
            items: try_filled(len, E::default())?,
        })
    }

    /// Length in elements.
    pub fn len(&self) -> u64 {
        self.items.len() as u64
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The element at `index`.
    #[inline]
    pub fn get(&self, index: u64) -> Result<E> {
        match usize::try_from(index).ok().and_then(|i| self.items.get(i)) {
            Some(e) => Ok(*e),
            None => Err(AccessError::oob(index, 1, self.len())),
        }
    }

    /// Overwrites the element at `index`.
    #[inline]
    pub fn set(&mut self, index: u64, value: E) -> Result<()> {
        let len = self.len();
        match usize::try_from(index)
            .ok()
            .and_then(|i| self.items.get_mut(i))
        {
            Some(e) => {
                *e = value;
                Ok(())
            }
            None => Err(AccessError::oob(index, 1, len)),
        }
    }

    /// Appends an element.
    pub fn push(&mut self, value: E) -> Result<()> {
        try_grow(&mut self.items, 1)?;
        self.items.push(value);
        Ok(())
    }

    /// Removes and returns the last element.
    pub fn pop(&mut self) -> Result<E> {
        self.items.pop().ok_or(AccessError::Empty { arena: E::TAG })
    }

    /// All elements.
    pub fn as_slice(&self) -> &[E] {
        &self.items
    }

    /// All elements, writable in place.
    pub fn as_mut_slice(&mut self) -> &mut [E] {
        &mut self.items
    }

    /// Moves `len` elements from `src` to `dst` within this vector, like
    /// `memmove`; bounds are checked first and nothing moves on error.
    pub fn copy_within(&mut self, src: u64, dst: u64, len: u64) -> Result<()> {
        let from = checked_range(src, len, self.items.len())?;
        let to = checked_range(dst, len, self.items.len())?;
        self.items.copy_within(from, to.start);
        Ok(())
    }
}

impl<E: Element> From<Vec<E>> for Vector<E> {
    fn from(items: Vec<E>) -> Vector<E> {
        Vector { items }
    }
}

impl<E: Element> Object for Vector<E> {
    const TAG: ArenaTag = E::TAG;
}

impl<E: Element> Sequence for Vector<E> {
    type Window = [E];
    fn seq_len(&self) -> usize {
        self.items.len()
    }
    fn window(&self, range: Range<usize>) -> Result<&[E]> {
        Ok(&self.items[range])
    }
}

impl<E: Element> SequenceMut for Vector<E> {
    fn window_mut(&mut self, range: Range<usize>) -> &mut [E] {
        &mut self.items[range]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn get_set_push_pop_with_errors() {
        let mut v = I64Array::with_len(2).unwrap();
        v.set(1, 9).unwrap();
        assert_eq!(v.get(1), Ok(9));
        assert_eq!(v.get(2), Err(AccessError::oob(2, 1, 2)));
        assert_eq!(v.set(u64::MAX, 1), Err(AccessError::oob(u64::MAX, 1, 2)));
        v.push(5).unwrap();
        assert_eq!(v.as_slice(), &[0, 9, 5]);
        assert_eq!(v.pop(), Ok(5));
        assert_eq!(v.pop(), Ok(9));
        assert_eq!(v.pop(), Ok(0));
        assert_eq!(
            v.pop(),
            Err(AccessError::Empty {
                arena: ArenaTag::I64Array
            })
        );
    }

    #[test]
    fn copy_within_is_memmove_and_atomic() {
        let mut v = U8Array::from(vec![1, 2, 3, 4, 5]);
        v.copy_within(0, 1, 4).unwrap();
        assert_eq!(v.as_slice(), &[1, 1, 2, 3, 4]);
        assert!(v.copy_within(2, 0, 4).is_err());
        assert_eq!(v.as_slice(), &[1, 1, 2, 3, 4]);
    }
}
