//! UTF-8 strings. Invariant: the contents are always valid UTF-8; the only
//! in-place write is a bulk copy that replaces whole characters with
//! validated text of the same byte length.

use std::ops::Range;

use super::{Object, Sequence, checked_range, try_filled};
use crate::cell::ArenaTag;
use crate::error::{AccessError, Result};

/// A string object.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Str {
    text: String,
}

impl Str {
    /// A string of `len` NUL characters: a destination for a bulk copy.
    pub fn zeroed(len: u64) -> Result<Str> {
        let bytes = try_filled(len, 0u8)?;
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Str { text }),
            Err(_) => unreachable!("NUL bytes are valid UTF-8"),
        }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Length in bytes.
    pub fn len(&self) -> u64 {
        self.text.len() as u64
    }

    /// True for the empty string.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The byte at `index`.
    pub fn byte_at(&self, index: u64) -> Result<u8> {
        let range = checked_range(index, 1, self.text.len())?;
        Ok(self.text.as_bytes()[range.start])
    }

    /// Checks that `range` (already in bounds) starts and ends on characters.
    pub(crate) fn check_boundaries(&self, range: &Range<usize>) -> Result<()> {
        for offset in [range.start, range.end] {
            if !self.text.is_char_boundary(offset) {
                return Err(AccessError::NotCharBoundary {
                    offset: offset as u64,
                });
            }
        }
        Ok(())
    }

    /// Replaces the characters in `range` with `text` of the same byte length.
    /// Callers have checked both boundaries, so UTF-8 is preserved.
    pub(crate) fn overwrite(&mut self, range: Range<usize>, text: &str) {
        debug_assert_eq!(range.len(), text.len());
        self.text.replace_range(range, text);
    }
}

impl From<&str> for Str {
    fn from(text: &str) -> Str {
        Str { text: text.into() }
    }
}

impl From<String> for Str {
    fn from(text: String) -> Str {
        Str { text }
    }
}

impl Object for Str {
    const TAG: ArenaTag = ArenaTag::Str;
}

impl Sequence for Str {
    type Window = str;
    fn seq_len(&self) -> usize {
        self.text.len()
    }
    fn window(&self, range: Range<usize>) -> Result<&str> {
        self.check_boundaries(&range)?;
        Ok(&self.text[range])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_refuse_split_characters() {
        let s = Str::from("aé€");
        assert_eq!(s.window(0..3), Ok("aé"));
        assert_eq!(
            s.window(0..2),
            Err(AccessError::NotCharBoundary { offset: 2 })
        );
        assert_eq!(
            s.window(2..6),
            Err(AccessError::NotCharBoundary { offset: 2 })
        );
        assert_eq!(s.byte_at(1), Ok(0xC3));
        assert!(s.byte_at(6).is_err());
    }

    #[test]
    fn zeroed_is_nul_text() {
        let s = Str::zeroed(3).unwrap();
        assert_eq!(s.as_str(), "\0\0\0");
    }
}
