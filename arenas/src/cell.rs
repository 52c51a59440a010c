//! The Cell: the only way to reach an arena object.
//!
//! Bit layout of the 64-bit word (see `docs/mep-41/arenas.md`):
//!
//! ```text
//!  63        56 55                     32 31                              0
//! +------------+-------------------------+--------------------------------+
//! | arena tag  |   generation (24 bits)  |       slot index (32 bits)     |
//! +------------+-------------------------+--------------------------------+
//! ```
//!
//! Invariants:
//! - the tag is a valid [`ArenaTag`] (never 0);
//! - the generation is in `1..=2^24-1` (never 0), so the word is never 0 and
//!   `Option<Cell>` is 8 bytes with `None` as the all-zero word;
//! - a `Cell` is only ever constructed inside this crate, by the slab that
//!   allocated the object: there is no public integer-to-Cell conversion.
//!
//! Safe code outside this crate cannot forge a Cell; neither the packing
//! constructor nor the field is reachable:
//!
//! ```compile_fail,E0624
//! # use arenavm_arenas::*;
//! let forged = Cell::new(ArenaTag::List, 1, 0);
//! ```
//!
//! ```compile_fail,E0423
//! # use arenavm_arenas::*;
//! let forged = Cell(std::num::NonZeroU64::new(1 << 56 | 1 << 32).unwrap());
//! ```

use std::fmt;
use std::num::NonZeroU64;

/// Width of the generation field in a Cell word.
pub const GENERATION_FIELD_BITS: u32 = 24;
const INDEX_BITS: u32 = 32;
const GEN_SHIFT: u32 = INDEX_BITS;
const TAG_SHIFT: u32 = INDEX_BITS + GENERATION_FIELD_BITS;
const GEN_MASK: u64 = (1 << GENERATION_FIELD_BITS) - 1;

/// The typed arena an object lives in. Each has its own tag; a Cell of one
/// arena is refused by every other.
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum ArenaTag {
    /// Growable byte segments (what Wasm linear memories become).
    Bytes = 1,
    /// UTF-8 strings.
    Str = 2,
    /// Lists of [`Value`](crate::Value)s; the only arena besides maps that holds Cells.
    List = 3,
    /// Arrays of `i64`.
    I64Array = 4,
    /// Arrays of `f64`.
    F64Array = 5,
    /// Arrays of `u8`.
    U8Array = 6,
    /// Hash maps from [`MapKey`](crate::MapKey) to [`Value`](crate::Value).
    Map = 7,
}

impl ArenaTag {
    /// Every arena, in tag order.
    pub const ALL: [ArenaTag; 7] = [
        ArenaTag::Bytes,
        ArenaTag::Str,
        ArenaTag::List,
        ArenaTag::I64Array,
        ArenaTag::F64Array,
        ArenaTag::U8Array,
        ArenaTag::Map,
    ];

    /// Number of arenas.
    pub const COUNT: usize = Self::ALL.len();

    /// Short lowercase name, as used in error messages and RON programs.
    pub const fn name(self) -> &'static str {
        match self {
            ArenaTag::Bytes => "bytes",
            ArenaTag::Str => "string",
            ArenaTag::List => "list",
            ArenaTag::I64Array => "i64-array",
            ArenaTag::F64Array => "f64-array",
            ArenaTag::U8Array => "u8-array",
            ArenaTag::Map => "map",
        }
    }

    /// Dense position in [`ArenaTag::ALL`].
    pub const fn ordinal(self) -> usize {
        self as usize - 1
    }

    const fn from_raw(raw: u8) -> Option<ArenaTag> {
        Some(match raw {
            1 => ArenaTag::Bytes,
            2 => ArenaTag::Str,
            3 => ArenaTag::List,
            4 => ArenaTag::I64Array,
            5 => ArenaTag::F64Array,
            6 => ArenaTag::U8Array,
            7 => ArenaTag::Map,
            _ => return None,
        })
    }
}

impl fmt::Display for ArenaTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Index of a slot in one arena's slab.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SlotIndex(pub(crate) u32);

impl SlotIndex {
    /// The index as a number, for display and diagnostics.
    pub const fn get(self) -> u32 {
        self.0
    }
}

impl fmt::Display for SlotIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// A handle to one object in one arena at one generation of its slot.
///
/// Copying a Cell copies authority over the object; it grants nothing once
/// the object is freed, because every access compares the generation.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
#[repr(transparent)]
pub struct Cell(NonZeroU64);

impl Cell {
    /// Packs a Cell. Only slabs call this, with `generation` in
    /// `1..=GEN_MASK`; that is what keeps the word non-zero and the tag valid.
    #[inline(always)]
    pub(crate) fn new(tag: ArenaTag, generation: u32, index: u32) -> Cell {
        debug_assert!(generation != 0 && u64::from(generation) <= GEN_MASK);
        let word = ((tag as u64) << TAG_SHIFT)
            | ((u64::from(generation) & GEN_MASK) << GEN_SHIFT)
            | u64::from(index);
        match NonZeroU64::new(word) {
            Some(nz) => Cell(nz),
            // The tag byte is never 0, so the word is never 0.
            None => unreachable!("a Cell word always has a non-zero tag"),
        }
    }

    /// The raw tag byte; compared against an arena's tag on every access.
    #[inline(always)]
    pub(crate) fn raw_tag(self) -> u8 {
        (self.0.get() >> TAG_SHIFT) as u8
    }

    /// The arena this Cell names.
    #[inline]
    pub fn arena(self) -> ArenaTag {
        match ArenaTag::from_raw(self.raw_tag()) {
            Some(tag) => tag,
            None => unreachable!("Cells are only minted with valid tags"),
        }
    }

    /// The generation this Cell was minted at (never 0).
    #[inline(always)]
    pub fn generation(self) -> u32 {
        ((self.0.get() >> GEN_SHIFT) & GEN_MASK) as u32
    }

    /// The slot this Cell names in its arena.
    #[inline(always)]
    pub fn slot(self) -> SlotIndex {
        SlotIndex(self.0.get() as u32)
    }

    /// The packed word, for hashing, logging and diagnostics. There is
    /// deliberately no inverse.
    #[inline]
    pub fn to_bits(self) -> u64 {
        self.0.get()
    }
}

impl fmt::Debug for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Cell({}{}@{})",
            self.arena(),
            self.slot(),
            self.generation()
        )
    }
}

impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// How many generation bits a heap uses: `1..=24`. A slot serves
/// `2^bits - 1` allocations (generations `1..=2^bits-1`) and then retires.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct GenBits(u8);

impl GenBits {
    /// The default and widest setting: 24 bits, 16,777,215 reuses per slot.
    pub const DEFAULT: GenBits = GenBits(GENERATION_FIELD_BITS as u8);
    /// The narrowest setting: every slot retires after one use.
    pub const MIN: u8 = 1;
    /// The widest setting.
    pub const MAX: u8 = GENERATION_FIELD_BITS as u8;

    /// Validates a width; `None` outside `1..=24`.
    pub const fn new(bits: u8) -> Option<GenBits> {
        if bits >= Self::MIN && bits <= Self::MAX {
            Some(GenBits(bits))
        } else {
            None
        }
    }

    /// The width in bits.
    pub const fn bits(self) -> u8 {
        self.0
    }

    /// The largest valid generation, `2^bits - 1`; a slot freed at this
    /// generation retires instead of wrapping.
    pub const fn max_generation(self) -> u32 {
        ((1u64 << self.0) - 1) as u32
    }
}

impl Default for GenBits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_and_option_cell_are_eight_bytes() {
        assert_eq!(std::mem::size_of::<Cell>(), 8);
        assert_eq!(std::mem::size_of::<Option<Cell>>(), 8);
    }

    #[test]
    fn fields_round_trip_at_their_extremes() {
        for tag in ArenaTag::ALL {
            for generation in [1, 2, 0x7F_FFFF, GEN_MASK as u32] {
                for index in [0, 1, 0xFFFF, u32::MAX] {
                    let cell = Cell::new(tag, generation, index);
                    assert_eq!(cell.arena(), tag);
                    assert_eq!(cell.generation(), generation);
                    assert_eq!(cell.slot().get(), index);
                    assert_eq!(cell.to_bits() >> 56, tag as u64);
                }
            }
        }
    }

    #[test]
    fn gen_bits_range_and_max() {
        assert_eq!(GenBits::new(0), None);
        assert_eq!(GenBits::new(25), None);
        assert_eq!(GenBits::new(1).map(GenBits::max_generation), Some(1));
        assert_eq!(GenBits::new(12).map(GenBits::max_generation), Some(4095));
        assert_eq!(GenBits::DEFAULT.max_generation(), 16_777_215);
    }

    #[test]
    fn tags_are_dense_and_named() {
        for (i, tag) in ArenaTag::ALL.iter().enumerate() {
            assert_eq!(tag.ordinal(), i);
            assert_eq!(ArenaTag::from_raw(*tag as u8), Some(*tag));
        }
        assert_eq!(ArenaTag::from_raw(0), None);
        assert_eq!(ArenaTag::from_raw(8), None);
    }
}
