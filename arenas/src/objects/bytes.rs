//! Growable byte segments: what Wasm linear memories become.

use std::ops::Range;

use super::{Object, Sequence, SequenceMut, checked_range, try_filled, try_grow};
use crate::cell::ArenaTag;
use crate::error::{AccessError, Result};

/// A byte segment. Invariant: `data.len() <= max_len`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bytes {
    data: Vec<u8>,
    max_len: u64,
}

impl Bytes {
    /// Largest segment a heap will create: [`MAX_OBJECT_BYTES`](super::MAX_OBJECT_BYTES),
    /// 4 GiB, what a 32-bit Wasm memory can reach.
    pub const ABSOLUTE_MAX: u64 = super::MAX_OBJECT_BYTES;

    /// A zero-filled segment of `len` bytes that may grow to `max_len`.
    pub fn zeroed(len: u64, max_len: u64) -> Result<Bytes> {
        let max_len = max_len.min(Self::ABSOLUTE_MAX);
        if len > max_len {
            return Err(AccessError::SegmentLimit {
                requested: len,
                max: max_len,
            });
        }
        Ok(Bytes {
            data: try_filled(len, 0)?,
            max_len,
        })
    }

    /// A segment holding `data` that may grow to `max_len`.
    pub fn from_vec(data: Vec<u8>, max_len: u64) -> Result<Bytes> {
        let max_len = max_len.min(Self::ABSOLUTE_MAX);
        if data.len() as u64 > max_len {
            return Err(AccessError::SegmentLimit {
                requested: data.len() as u64,
                max: max_len,
            });
        }
        Ok(Bytes { data, max_len })
    }

    /// Current length in bytes.
    pub fn len(&self) -> u64 {
        self.data.len() as u64
    }

    /// True for a zero-length segment.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The length the segment may grow to.
    pub fn max_len(&self) -> u64 {
        self.max_len
    }

    /// The whole contents.
    pub fn as_slice(&self) -> &[u8] {
        &self.data
    }

    /// The whole contents, writable in place (the length cannot change).
    pub fn as_mut_slice(&mut self) -> &mut [u8] {
        &mut self.data
    }

    /// Lends the contents out, leaving the segment empty until
    /// [`Bytes::restore`] gives them back: an interpreter keeps a memory's
    /// bytes at hand this way while it runs, with no lookup per access.
    pub fn lend(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.data)
    }

    /// Takes back contents lent by [`Bytes::lend`]. Refused (nothing
    /// changes, the contents are handed back) if they are longer than
    /// the segment may be.
    pub fn restore(&mut self, data: Vec<u8>) -> std::result::Result<(), Vec<u8>> {
        if data.len() as u64 > self.max_len {
            return Err(data);
        }
        self.data = data;
        Ok(())
    }

    /// `N` bytes at `offset` (a little-endian load reads these).
    #[inline]
    pub fn read<const N: usize>(&self, offset: u64) -> Result<[u8; N]> {
        let range = checked_range(offset, N as u64, self.data.len())?;
        let mut out = [0; N];
        out.copy_from_slice(&self.data[range]);
        Ok(out)
    }

    /// Writes `N` bytes at `offset`; nothing is written if any is out of bounds.
    #[inline]
    pub fn write<const N: usize>(&mut self, offset: u64, bytes: [u8; N]) -> Result<()> {
        let range = checked_range(offset, N as u64, self.data.len())?;
        self.data[range].copy_from_slice(&bytes);
        Ok(())
    }

    /// Sets `len` bytes from `offset` to `byte`, all or nothing.
    pub fn fill(&mut self, offset: u64, len: u64, byte: u8) -> Result<()> {
        let range = checked_range(offset, len, self.data.len())?;
        self.data[range].fill(byte);
        Ok(())
    }

    /// Grows by `delta` zero bytes and returns the old length. Refused (and
    /// nothing changes) past `max_len` or when memory runs out.
    pub fn grow(&mut self, delta: u64) -> Result<u64> {
        let old = self.len();
        let requested = old.saturating_add(delta);
        if requested > self.max_len {
            return Err(AccessError::SegmentLimit {
                requested,
                max: self.max_len,
            });
        }
        try_grow(&mut self.data, delta as usize)?;
        self.data.resize(requested as usize, 0);
        Ok(old)
    }
}

impl Object for Bytes {
    const TAG: ArenaTag = ArenaTag::Bytes;
}

impl Sequence for Bytes {
    type Window = [u8];
    fn seq_len(&self) -> usize {
        self.data.len()
    }
    fn window(&self, range: Range<usize>) -> Result<&[u8]> {
        Ok(&self.data[range])
    }
}

impl SequenceMut for Bytes {
    fn window_mut(&mut self, range: Range<usize>) -> &mut [u8] {
        &mut self.data[range]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_write_fill_are_bounds_checked() {
        let mut b = Bytes::zeroed(8, 8).unwrap();
        b.write(4, [1, 2, 3, 4]).unwrap();
        assert_eq!(b.read::<4>(4), Ok([1, 2, 3, 4]));
        assert!(b.read::<4>(5).is_err());
        assert!(b.write(5, [9, 9, 9, 9]).is_err());
        assert_eq!(
            b.as_slice(),
            &[0, 0, 0, 0, 1, 2, 3, 4],
            "failed write wrote nothing"
        );
        assert!(b.read::<8>(u64::MAX).is_err());
        assert!(b.fill(7, 2, 0xFF).is_err());
        b.fill(0, 2, 0xAA).unwrap();
        assert_eq!(&b.as_slice()[..3], &[0xAA, 0xAA, 0]);
    }

    #[test]
    fn grow_respects_max_and_zero_fills() {
        let mut b = Bytes::zeroed(2, 5).unwrap();
        b.as_mut_slice().fill(7);
        assert_eq!(b.grow(3), Ok(2));
        assert_eq!(b.as_slice(), &[7, 7, 0, 0, 0]);
        assert_eq!(
            b.grow(1),
            Err(AccessError::SegmentLimit {
                requested: 6,
                max: 5
            })
        );
        assert_eq!(b.grow(u64::MAX).unwrap_err().kind(), "segment limit");
        assert_eq!(b.len(), 5);
        assert!(Bytes::zeroed(6, 5).is_err());
        assert!(Bytes::from_vec(vec![0; 6], 5).is_err());
    }
}
