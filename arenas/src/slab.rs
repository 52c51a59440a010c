//! One arena's slot storage and its generation policy.
//!
//! Invariants, per slot:
//! - `Live(obj)` at generation `g`: exactly one generation of Cell, `g`, reaches `obj`.
//! - `Free` at generation `g`: `g` is the generation the next allocation will
//!   carry; it is greater than every generation this slot has issued in its
//!   current epoch, so no issued Cell equals it.
//! - `Retired` at generation 0: freed at the maximum generation; never
//!   reissued until [`Slab::reclaim_retired`], which a sweep calls only after
//!   nulling every Cell that names the slot. Generation 0 matches no Cell.
//!
//! Hence "generation equal and slot live" is exact: a Cell is accepted iff it
//! was minted by the allocation that produced the object now in its slot.

use crate::cell::{ArenaTag, Cell, GenBits, SlotIndex};
use crate::error::{AccessError, Result};

const NO_SLOT: u32 = u32::MAX;
/// Slot indices run `0..MAX_SLOTS`; `u32::MAX` terminates the free list.
const MAX_SLOTS: usize = u32::MAX as usize;

#[derive(Debug)]
enum Body<T> {
    Live(T),
    Free { next: u32 },
    Retired,
}

#[derive(Debug)]
struct Slot<T> {
    generation: u32,
    body: Body<T>,
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
            max_generation: bits.max_generation(),
            retired: Vec::new(),
            live: 0,
            retirements: 0,
            reclaimed: 0,
        }
    }

    /// Stores `value` and mints the one Cell that reaches it.
    #[inline]
    pub(crate) fn alloc(&mut self, value: T) -> Result<Cell> {
        let index = if self.free_head != NO_SLOT {
            let index = self.free_head;
            let slot = &mut self.slots[index as usize];
            match slot.body {
                Body::Free { next } => self.free_head = next,
                _ => unreachable!("the free list only links free slots"),
            }
            slot.body = Body::Live(value);
            index
        } else {
            if self.slots.len() >= MAX_SLOTS {
                return Err(AccessError::ArenaFull { arena: self.tag });
            }
            if self.slots.try_reserve(1).is_err() {
                return Err(AccessError::OutOfMemory {
                    bytes: std::mem::size_of::<Slot<T>>() as u64,
                });
            }
            self.slots.push(Slot {
                generation: 1,
                body: Body::Live(value),
            });
            (self.slots.len() - 1) as u32
        };
        self.live += 1;
        Ok(Cell::new(
            self.tag,
            self.slots[index as usize].generation,
            index,
        ))
    }

    /// The object `cell` reaches, after checking tag, liveness and generation.
    #[inline(always)]
    pub(crate) fn get(&self, cell: Cell) -> Result<&T> {
        if cell.raw_tag() == self.tag as u8
            && let Some(slot) = self.slots.get(cell.slot().0 as usize)
            && slot.generation == cell.generation()
            && let Body::Live(value) = &slot.body
        {
            return Ok(value);
        }
        Err(self.diagnose(cell))
    }

    /// Mutable form of [`Slab::get`], with the same checks.
    #[inline(always)]
    pub(crate) fn get_mut(&mut self, cell: Cell) -> Result<&mut T> {
        let index = cell.slot().0 as usize;
        let accepted = cell.raw_tag() == self.tag as u8
            && self.slots.get(index).is_some_and(|slot| {
                slot.generation == cell.generation() && matches!(slot.body, Body::Live(_))
            });
        if !accepted {
            return Err(self.diagnose(cell));
        }
        match &mut self.slots[index].body {
            Body::Live(value) => Ok(value),
            _ => unreachable!("checked live above"),
        }
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
            Ok(
                [
                    Slot {
                        body: Body::Live(a),
                        ..
                    },
                    Slot {
                        body: Body::Live(b),
                        ..
                    },
                ],
            ) => Ok(Pair::Distinct(a, b)),
            _ => unreachable!("both slots were just validated as live and distinct"),
        }
    }

    /// Frees the object `cell` reaches and returns it. Stale, double and
    /// foreign frees are refused without touching the slab.
    pub(crate) fn free(&mut self, cell: Cell) -> Result<(T, FreeOutcome)> {
        self.get(cell)?;
        let index = cell.slot().0;
        let max = self.max_generation;
        let slot = &mut self.slots[index as usize];
        let outcome = if slot.generation >= max {
            slot.generation = 0;
            FreeOutcome::Retired
        } else {
            slot.generation += 1;
            FreeOutcome::Recycled
        };
        let body = match outcome {
            FreeOutcome::Retired => Body::Retired,
            FreeOutcome::Recycled => Body::Free {
                next: self.free_head,
            },
        };
        let Body::Live(value) = std::mem::replace(&mut slot.body, body) else {
            unreachable!("validated live above");
        };
        match outcome {
            FreeOutcome::Retired => {
                self.retired.push(index);
                self.retirements += 1;
            }
            FreeOutcome::Recycled => self.free_head = index,
        }
        self.live -= 1;
        Ok((value, outcome))
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
        match self.slots.get(slot.0 as usize) {
            Some(Slot {
                body: Body::Retired,
                ..
            }) => AccessError::Retired { arena, slot },
            Some(Slot {
                generation,
                body: Body::Free { .. },
            }) if cell.generation().checked_add(1) == Some(*generation) => {
                AccessError::Freed { arena, slot }
            }
            _ => AccessError::Stale { arena, slot },
        }
    }

    /// True if `index` is retired (so every Cell naming it must be nulled
    /// before the slot can be reclaimed).
    pub(crate) fn is_retired(&self, index: SlotIndex) -> bool {
        matches!(
            self.slots.get(index.0 as usize),
            Some(Slot {
                body: Body::Retired,
                ..
            })
        )
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
            debug_assert!(matches!(slot.body, Body::Retired));
            slot.generation = 1;
            slot.body = Body::Free {
                next: self.free_head,
            };
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
            .filter_map(|slot| match &mut slot.body {
                Body::Live(value) => Some(value),
                _ => None,
            })
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

#[cfg(test)]
mod tests {
    use super::*;

    fn slab(bits: u8) -> Slab<u32> {
        Slab::new(ArenaTag::List, GenBits::new(bits).unwrap())
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
