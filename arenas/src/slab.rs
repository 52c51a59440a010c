//! One arena's slot storage and its generation policy.
//!
//! Invariants, per slot:
//! - live at generation `g`: exactly one generation of Cell, `g`, reaches
//!   the object.
//! - free at generation `g`: `g` is the generation the next allocation will
//!   carry; it is greater than every generation this slot has issued in its
//!   current epoch, so no issued Cell equals it.
//! - retired (generation 0): freed at the maximum generation; never
//!   reissued until [`Slab::reclaim_retired`], which a sweep calls only after
//!   nulling every Cell that names the slot. Generation 0 matches no Cell.
//!
//! Hence "generation equal and slot live" is exact: a Cell is accepted iff it
//! was minted by the allocation that produced the object now in its slot.
//!
//! Representation: each slot is a 64-bit `word` and a value.
//! - live: `word` is the Cell word `(tag, g, index)` of this arena, slot and
//!   generation; the value is the object.
//! - free: `word` is `(0, g, next)`: tag byte 0, the next generation, and
//!   the next slot of the free list; the value is an empty [`Vacant`]
//!   placeholder that owns nothing.
//! - retired: `word` is 0; the value is a placeholder.
//!
//! Every Cell has a non-zero tag byte and a non-zero generation, so a Cell
//! (from this heap or any other) equals `word` only if the slot is live, in
//! the Cell's arena, at the Cell's generation. Each access therefore does
//! two checks: the index against the slot vector (bounds), then the whole
//! Cell against `word` (tag, liveness and full generation equality in one
//! comparison). Nothing is skipped, and there is no `unsafe`.

use crate::cell::{ArenaTag, Cell, GENERATION_FIELD_BITS, GenBits, SlotIndex};
use crate::error::{AccessError, Result};
use crate::objects::{Bytes, Element, Map, Str, Vector};

const NO_SLOT: u32 = u32::MAX;
/// Slot indices run `0..MAX_SLOTS`; `u32::MAX` terminates the free list.
const MAX_SLOTS: usize = u32::MAX as usize;
/// Bits below the generation field in a Cell word: the slot index.
const GEN_SHIFT: u32 = u64::BITS - u8::BITS - GENERATION_FIELD_BITS;
/// Bits below the tag byte in a Cell word.
const TAG_SHIFT: u32 = GEN_SHIFT + GENERATION_FIELD_BITS;
const GEN_MASK: u64 = (1 << GENERATION_FIELD_BITS) - 1;
/// The word of a retired slot: tag 0, generation 0.
const RETIRED_WORD: u64 = 0;

/// The word of a live slot: the Cell word for `generation` of slot `index`
/// in the arena whose tag, shifted into place, is `tag_bits`.
#[inline(always)]
fn live_word(tag_bits: u64, generation: u32, index: u32) -> u64 {
    tag_bits | (u64::from(generation) & GEN_MASK) << GEN_SHIFT | u64::from(index)
}

/// The word of a free slot: tag byte 0 (no Cell has it), the generation the
/// next allocation will carry, and the next free slot.
#[inline(always)]
fn free_word(generation: u32, next: u32) -> u64 {
    (u64::from(generation) & GEN_MASK) << GEN_SHIFT | u64::from(next)
}

/// The generation field of a slot word.
#[inline(always)]
fn word_generation(word: u64) -> u32 {
    ((word >> GEN_SHIFT) & GEN_MASK) as u32
}

/// True for the word of a live slot (only live words carry a tag).
#[inline(always)]
fn word_is_live(word: u64) -> bool {
    word >> TAG_SHIFT != 0
}

/// A value that owns nothing, held by free and retired slots so that a live
/// slot's object can be read without matching on a slot state: the one
/// comparison with `word` has already decided liveness.
pub trait Vacant {
    /// The placeholder.
    fn vacant() -> Self;
}

impl Vacant for Bytes {
    #[inline]
    fn vacant() -> Bytes {
        match Bytes::from_vec(Vec::new(), 0) {
            Ok(bytes) => bytes,
            Err(_) => unreachable!("an empty segment fits any maximum"),
        }
    }
}

impl Vacant for Str {
    #[inline]
    fn vacant() -> Str {
        Str::default()
    }
}

impl<E: Element> Vacant for Vector<E> {
    #[inline]
    fn vacant() -> Vector<E> {
        Vector::default()
    }
}

impl Vacant for Map {
    #[inline]
    fn vacant() -> Map {
        Map::new()
    }
}

#[derive(Debug)]
struct Slot<T> {
    /// Live: the Cell word that reaches `value`. Free: `free_word`. Retired: 0.
    word: u64,
    /// The object while live; a [`Vacant`] placeholder otherwise.
    value: T,
}

/// What freeing a slot did to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FreeOutcome {
    /// The generation was bumped and the slot went back on the free list.
    Recycled,
    /// The generation was at its maximum: the slot is retired.
    Retired,
}

/// Two Cells resolved at once for a copy between objects of one arena.
pub(crate) enum Pair<'a, T> {
    /// Both Cells name the same live object.
    Same(&'a mut T),
    /// Distinct live objects: the source, then the destination.
    Distinct(&'a T, &'a mut T),
}

/// Counters a slab keeps about its own history.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SlabStats {
    /// Objects currently live.
    pub live: u64,
    /// Slot headers in existence (live, free and retired).
    pub slots: u64,
    /// Slots retired and not yet reclaimed.
    pub retired_now: u64,
    /// Retirements since the heap was created.
    pub retirements: u64,
    /// Retired slots a sweep returned to service.
    pub reclaimed: u64,
}

/// Slot storage for one arena. Objects are of type `T`; Cells carry `tag`.
#[derive(Debug)]
pub struct Slab<T> {
    slots: Vec<Slot<T>>,
    free_head: u32,
    tag: ArenaTag,
    /// `tag` shifted into the tag byte of a Cell word.
    tag_bits: u64,
    max_generation: u32,
    retired: Vec<u32>,
    live: u64,
    retirements: u64,
    reclaimed: u64,
}

impl<T> Slab<T> {
    pub(crate) fn new(tag: ArenaTag, bits: GenBits) -> Slab<T> {
        Slab {
            slots: Vec::new(),
            free_head: NO_SLOT,
            tag,
            tag_bits: u64::from(tag as u8) << TAG_SHIFT,
            max_generation: bits.max_generation(),
            retired: Vec::new(),
            live: 0,
            retirements: 0,
            reclaimed: 0,
        }
    }

    /// Stores `value` and mints the one Cell that reaches it.
    #[inline(always)]
    pub(crate) fn alloc(&mut self, value: T) -> Result<Cell> {
        let index = self.free_head;
        // `NO_SLOT` is never a slot index (there are at most `MAX_SLOTS`
        // slots, indices `0..u32::MAX`), so an empty free list misses here
        // and one bounds check serves both tests.
        if let Some(slot) = self.slots.get_mut(index as usize) {
            if word_is_live(slot.word) {
                unreachable!("the free list only links free slots");
            }
            let generation = word_generation(slot.word);
            self.free_head = slot.word as u32;
            slot.word = live_word(self.tag_bits, generation, index);
            // The placeholder owns nothing ([`Vacant`]): forgetting it leaks
            // nothing and keeps a drop call (and the spills around it) off
            // this path.
            std::mem::forget(std::mem::replace(&mut slot.value, value));
            self.live += 1;
            return Ok(Cell::new(self.tag, generation, index));
        }
        self.alloc_new_slot(value)
    }

    /// [`Slab::alloc`] with an empty free list: appends a slot at generation 1.
    #[inline(never)]
    fn alloc_new_slot(&mut self, value: T) -> Result<Cell> {
        if self.slots.len() >= MAX_SLOTS {
            return Err(AccessError::ArenaFull { arena: self.tag });
        }
        if self.slots.try_reserve(1).is_err() {
            return Err(AccessError::OutOfMemory {
                bytes: std::mem::size_of::<Slot<T>>() as u64,
            });
        }
        let index = self.slots.len() as u32;
        self.slots.push(Slot {
            word: live_word(self.tag_bits, 1, index),
            value,
        });
        self.live += 1;
        Ok(Cell::new(self.tag, 1, index))
    }

    /// The object `cell` reaches, after checking tag, liveness and generation.
    #[inline(always)]
    pub(crate) fn get(&self, cell: Cell) -> Result<&T> {
        match self.slots.get(cell.slot().0 as usize) {
            Some(slot) if slot.word == cell.to_bits() => Ok(&slot.value),
            _ => Err(self.diagnose(cell)),
        }
    }

    /// Mutable form of [`Slab::get`], with the same checks.
    #[inline(always)]
    pub(crate) fn get_mut(&mut self, cell: Cell) -> Result<&mut T> {
        let index = cell.slot().0 as usize;
        if self
            .slots
            .get(index)
            .is_none_or(|slot| slot.word != cell.to_bits())
        {
            return Err(self.diagnose(cell));
        }
        Ok(&mut self.slots[index].value)
    }

    /// Resolves a source and a destination Cell of this arena together.
    pub(crate) fn pair_mut(&mut self, src: Cell, dst: Cell) -> Result<Pair<'_, T>> {
        self.get(src)?;
        self.get(dst)?;
        let (s, d) = (src.slot().0 as usize, dst.slot().0 as usize);
        if s == d {
            // Both validated at the same slot and generation: one object.
            return self.get_mut(dst).map(Pair::Same);
        }
        match self.slots.get_disjoint_mut([s, d]) {
            Ok([a, b]) => Ok(Pair::Distinct(&a.value, &mut b.value)),
            _ => unreachable!("both slots were just validated as live and distinct"),
        }
    }

    /// Names the precise reason `cell` was refused. Off the hot path.
    #[cold]
    #[inline(never)]
    fn diagnose(&self, cell: Cell) -> AccessError {
        let (arena, slot) = (cell.arena(), cell.slot());
        if arena != self.tag {
            return AccessError::WrongArena {
                expected: self.tag,
                found: arena,
            };
        }
        match self.slots.get(slot.0 as usize).map(|s| s.word) {
            Some(RETIRED_WORD) => AccessError::Retired { arena, slot },
            Some(word)
                if !word_is_live(word)
                    && cell.generation().checked_add(1) == Some(word_generation(word)) =>
            {
                AccessError::Freed { arena, slot }
            }
            _ => AccessError::Stale { arena, slot },
        }
    }

    /// True if `index` is retired (so every Cell naming it must be nulled
    /// before the slot can be reclaimed).
    pub(crate) fn is_retired(&self, index: SlotIndex) -> bool {
        self.slots
            .get(index.0 as usize)
            .is_some_and(|slot| slot.word == RETIRED_WORD)
    }

    /// Number of slot headers, for sizing the sweep's retired-set bitmap.
    pub(crate) fn slot_count(&self) -> usize {
        self.slots.len()
    }

    /// Slots retired since the last reclamation.
    pub(crate) fn retired_slots(&self) -> &[u32] {
        &self.retired
    }

    /// Returns every retired slot to service at generation 1.
    ///
    /// Precondition (upheld by [`Heap::sweep`](crate::Heap::sweep)): no Cell
    /// naming a retired slot survives anywhere, so generation 1 is fresh.
    pub(crate) fn reclaim_retired(&mut self) -> u64 {
        let retired = std::mem::take(&mut self.retired);
        for &index in &retired {
            let slot = &mut self.slots[index as usize];
            debug_assert_eq!(slot.word, RETIRED_WORD);
            slot.word = free_word(1, self.free_head);
            self.free_head = index;
        }
        let count = retired.len() as u64;
        self.reclaimed += count;
        // Keep the allocation for the next round of retirements.
        self.retired = retired;
        self.retired.clear();
        count
    }

    /// Every live object, mutably (the sweep walks containers through this).
    pub(crate) fn live_mut(&mut self) -> impl Iterator<Item = &mut T> {
        self.slots
            .iter_mut()
            .filter(|slot| word_is_live(slot.word))
            .map(|slot| &mut slot.value)
    }

    /// Counters about this slab.
    pub fn stats(&self) -> SlabStats {
        SlabStats {
            live: self.live,
            slots: self.slots.len() as u64,
            retired_now: self.retired.len() as u64,
            retirements: self.retirements,
            reclaimed: self.reclaimed,
        }
    }

    /// The arena this slab serves.
    pub fn tag(&self) -> ArenaTag {
        self.tag
    }
}

impl<T: Vacant> Slab<T> {
    /// Frees the object `cell` reaches and returns it. Stale, double and
    /// foreign frees are refused without touching the slab.
    #[inline(always)]
    pub(crate) fn free(&mut self, cell: Cell) -> Result<(T, FreeOutcome)> {
        let index = cell.slot().0;
        let (max, next) = (self.max_generation, self.free_head);
        if let Some(slot) = self.slots.get_mut(index as usize)
            && slot.word == cell.to_bits()
        {
            let generation = word_generation(slot.word);
            if generation >= max {
                return Ok((self.retire(index), FreeOutcome::Retired));
            }
            slot.word = free_word(generation + 1, next);
            let value = std::mem::replace(&mut slot.value, T::vacant());
            self.free_head = index;
            self.live -= 1;
            return Ok((value, FreeOutcome::Recycled));
        }
        Err(self.diagnose(cell))
    }

    /// [`Slab::free`] of a live slot at the maximum generation: the slot is
    /// retired (word 0) instead of going back on the free list.
    #[cold]
    #[inline(never)]
    fn retire(&mut self, index: u32) -> T {
        let slot = &mut self.slots[index as usize];
        slot.word = RETIRED_WORD;
        let value = std::mem::replace(&mut slot.value, T::vacant());
        self.retired.push(index);
        self.retirements += 1;
        self.live -= 1;
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Vacant for u32 {
        fn vacant() -> u32 {
            0
        }
    }

    fn slab(bits: u8) -> Slab<u32> {
        Slab::new(ArenaTag::List, GenBits::new(bits).unwrap())
    }

    /// The per-slot cost that `docs/mep-41/arenas.md` quotes for a retired
    /// slot kept without sweeps.
    #[test]
    fn slot_header_sizes_are_as_documented() {
        use crate::objects::{I64Array, List};
        use std::mem::size_of;
        assert_eq!(size_of::<Slot<Str>>(), 32);
        assert_eq!(size_of::<Slot<List>>(), 32);
        assert_eq!(size_of::<Slot<I64Array>>(), 32);
        assert_eq!(size_of::<Slot<Bytes>>(), 40);
        assert_eq!(size_of::<Slot<Map>>(), 48);
    }

    #[test]
    fn alloc_get_free_and_reuse_bumps_generation() {
        let mut s = slab(24);
        let a = s.alloc(7).unwrap();
        assert_eq!(a.generation(), 1);
        assert_eq!(s.get(a), Ok(&7));
        assert_eq!(s.free(a).unwrap(), (7, FreeOutcome::Recycled));
        let b = s.alloc(8).unwrap();
        assert_eq!(b.slot(), a.slot(), "LIFO free list reuses the slot");
        assert_eq!(b.generation(), 2);
        assert!(matches!(s.get(a), Err(AccessError::Stale { .. })));
        assert_eq!(s.get(b), Ok(&8));
    }

    #[test]
    fn freed_double_free_and_wrong_arena_are_named() {
        let mut s = slab(24);
        let a = s.alloc(1).unwrap();
        s.free(a).unwrap();
        assert!(matches!(s.get(a), Err(AccessError::Freed { .. })));
        assert!(matches!(s.free(a), Err(AccessError::Freed { .. })));
        let mut other: Slab<u32> = Slab::new(ArenaTag::Map, GenBits::DEFAULT);
        let m = other.alloc(3).unwrap();
        assert_eq!(
            s.get(m),
            Err(AccessError::WrongArena {
                expected: ArenaTag::List,
                found: ArenaTag::Map
            })
        );
    }

    #[test]
    fn slot_retires_exactly_at_max_generation() {
        for bits in [1u8, 2, 3, 5, 12] {
            let mut s = slab(bits);
            let max = GenBits::new(bits).unwrap().max_generation();
            let mut issued = Vec::new();
            for g in 1..=max {
                let c = s.alloc(g).unwrap();
                assert_eq!(c.slot().get(), 0);
                assert_eq!(c.generation(), g);
                issued.push(c);
                let expected = if g == max {
                    FreeOutcome::Retired
                } else {
                    FreeOutcome::Recycled
                };
                assert_eq!(s.free(c).unwrap().1, expected);
            }
            let next = s.alloc(0).unwrap();
            assert_eq!(next.slot().get(), 1, "a retired slot is not reissued");
            for c in issued {
                assert!(s.get(c).is_err());
            }
            assert!(matches!(
                s.get(Cell::new(ArenaTag::List, max, 0)),
                Err(AccessError::Retired { .. })
            ));
            assert_eq!(s.stats().retired_now, 1);
        }
    }

    #[test]
    fn reclaim_restarts_at_generation_one() {
        let mut s = slab(1);
        let a = s.alloc(1).unwrap();
        assert_eq!(s.free(a).unwrap().1, FreeOutcome::Retired);
        assert_eq!(s.reclaim_retired(), 1);
        let b = s.alloc(2).unwrap();
        assert_eq!((b.slot(), b.generation()), (a.slot(), 1));
        assert_eq!(s.stats().reclaimed, 1);
    }

    #[test]
    fn live_word_is_the_cell_word_and_no_cell_is_a_free_or_retired_word() {
        for tag in ArenaTag::ALL {
            let s: Slab<u32> = Slab::new(tag, GenBits::DEFAULT);
            for generation in [1, 2, 0x7F_FFFF, 0xFF_FFFF] {
                for index in [0, 1, 0xFFFF, u32::MAX - 1] {
                    let cell = Cell::new(tag, generation, index);
                    let word = live_word(s.tag_bits, generation, index);
                    assert_eq!(word, cell.to_bits());
                    assert!(word_is_live(word));
                    assert_eq!(word_generation(word), generation);
                    for other in ArenaTag::ALL.into_iter().filter(|&t| t != tag) {
                        assert_ne!(word, Cell::new(other, generation, index).to_bits());
                    }
                    let free = free_word(generation, index);
                    assert!(!word_is_live(free));
                    assert_ne!(free, cell.to_bits());
                    assert_eq!(word_generation(free), generation);
                    assert_ne!(RETIRED_WORD, cell.to_bits());
                }
            }
        }
    }

    #[test]
    fn free_and_retired_slots_hold_only_placeholders() {
        let mut s = slab(1);
        let a = s.alloc(5).unwrap();
        let b = s.alloc(6).unwrap();
        assert_eq!(s.free(a).unwrap(), (5, FreeOutcome::Retired));
        assert!(s.is_retired(a.slot()));
        s.reclaim_retired();
        assert_eq!(s.live_mut().map(|v| *v).collect::<Vec<_>>(), vec![6]);
        assert!(matches!(s.get(a), Err(AccessError::Stale { .. })));
        assert_eq!(s.get(b), Ok(&6));
    }

    #[test]
    fn same_slot_and_generation_in_another_arena_is_refused() {
        let mut s = slab(24);
        let mut other: Slab<u32> = Slab::new(ArenaTag::I64Array, GenBits::DEFAULT);
        let a = s.alloc(1).unwrap();
        let m = other.alloc(2).unwrap();
        assert_eq!((a.slot(), a.generation()), (m.slot(), m.generation()));
        let refused = Err(AccessError::WrongArena {
            expected: ArenaTag::List,
            found: ArenaTag::I64Array,
        });
        assert_eq!(s.get(m).map(drop), refused);
        assert_eq!(s.get_mut(m).map(drop), refused);
        assert_eq!(s.free(m).map(drop), refused);
        assert_eq!(s.get(a), Ok(&1), "a refused free changes nothing");
        assert_eq!(s.stats().live, 1);
    }

    #[test]
    fn pair_mut_distinguishes_same_and_distinct() {
        let mut s = slab(24);
        let a = s.alloc(1).unwrap();
        let b = s.alloc(2).unwrap();
        assert!(matches!(s.pair_mut(a, a), Ok(Pair::Same(&mut 1))));
        match s.pair_mut(a, b) {
            Ok(Pair::Distinct(x, y)) => assert_eq!((*x, *y), (1, 2)),
            _ => panic!("expected distinct"),
        }
        s.free(b).unwrap();
        assert!(s.pair_mut(a, b).is_err());
    }
}
