//! The reclamation sweep: the only way a retired slot returns to service.
//!
//! A retired slot's past Cells could match again once its generation
//! restarts, so a sweep first nulls every Cell that names a retired slot,
//! in the roots the embedder passes and inside every container in the heap
//! (list elements and map values; map keys never hold Cells), and only then
//! reclaims the slots. The embedder's duty: every Cell or slice held outside
//! the heap must be among the roots, or it must never be used again.

use crate::cell::{ArenaTag, Cell};
use crate::heap::{Heap, with_slab};
use crate::slice::Slice;
use crate::value::Value;

/// Which slots are retired right now, one bitmap per arena.
#[derive(Debug, Default)]
struct RetiredSet {
    bitmaps: [Vec<u64>; ArenaTag::COUNT],
}

impl RetiredSet {
    #[inline]
    fn contains(&self, cell: Cell) -> bool {
        let index = cell.slot().get() as usize;
        self.bitmaps[cell.arena().ordinal()]
            .get(index / 64)
            .is_some_and(|word| word & (1 << (index % 64)) != 0)
    }
}

/// Places outside the heap that hold Cells, for a sweep to visit.
pub trait Roots {
    /// Passes every Cell, value and slice the embedder holds to `visitor`.
    fn visit_roots(&mut self, visitor: &mut RootVisitor<'_>);
}

/// Nulls what a sweep must not leave behind.
#[derive(Debug)]
pub struct RootVisitor<'a> {
    retired: &'a RetiredSet,
    nulled: u64,
}

impl RootVisitor<'_> {
    /// Nulls `cell` if it names a retired slot.
    #[inline]
    pub fn cell(&mut self, cell: &mut Option<Cell>) {
        if cell.is_some_and(|c| self.retired.contains(c)) {
            *cell = None;
            self.nulled += 1;
        }
    }

    /// Turns `value` into [`Value::Null`] if it is a Cell naming a retired slot.
    #[inline]
    pub fn value(&mut self, value: &mut Value) {
        if let Value::Cell(c) = *value
            && self.retired.contains(c)
        {
            *value = Value::Null;
            self.nulled += 1;
        }
    }

    /// Nulls `slice` if its parent names a retired slot.
    #[inline]
    pub fn slice(&mut self, slice: &mut Option<Slice>) {
        if slice.is_some_and(|s| self.retired.contains(s.parent())) {
            *slice = None;
            self.nulled += 1;
        }
    }
}

impl Roots for [Option<Cell>] {
    fn visit_roots(&mut self, visitor: &mut RootVisitor<'_>) {
        self.iter_mut().for_each(|c| visitor.cell(c));
    }
}

impl Roots for [Value] {
    fn visit_roots(&mut self, visitor: &mut RootVisitor<'_>) {
        self.iter_mut().for_each(|v| visitor.value(v));
    }
}

impl Roots for [Option<Slice>] {
    fn visit_roots(&mut self, visitor: &mut RootVisitor<'_>) {
        self.iter_mut().for_each(|s| visitor.slice(s));
    }
}

impl<T> Roots for Vec<T>
where
    [T]: Roots,
{
    fn visit_roots(&mut self, visitor: &mut RootVisitor<'_>) {
        self.as_mut_slice().visit_roots(visitor);
    }
}

impl<R: Roots + ?Sized> Roots for &mut R {
    fn visit_roots(&mut self, visitor: &mut RootVisitor<'_>) {
        (**self).visit_roots(visitor);
    }
}

/// No roots: every Cell the embedder holds is dead to it.
impl Roots for () {
    fn visit_roots(&mut self, _: &mut RootVisitor<'_>) {}
}

macro_rules! tuple_roots {
    ($($name:ident),+) => {
        impl<$($name: Roots),+> Roots for ($($name,)+) {
            #[allow(non_snake_case)]
            fn visit_roots(&mut self, visitor: &mut RootVisitor<'_>) {
                let ($($name,)+) = self;
                $($name.visit_roots(visitor);)+
            }
        }
    };
}
tuple_roots!(A, B);
tuple_roots!(A, B, C);
tuple_roots!(A, B, C, D);

/// What one sweep did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SweepReport {
    /// Retired slots returned to service.
    pub reclaimed: u64,
    /// Root Cells, values and slices nulled.
    pub nulled_roots: u64,
    /// Cells nulled inside lists and maps.
    pub nulled_in_heap: u64,
}

impl Heap {
    /// Nulls every Cell naming a retired slot, in `roots` and in every
    /// container, then returns those slots to service at generation 1.
    ///
    /// Cells held outside the heap and not passed in `roots` must never be
    /// used again after this call: one naming a reclaimed slot could match
    /// that slot's next occupant. Costs O(slots + roots + container elements)
    /// when anything is retired, O(arenas) otherwise.
    pub fn sweep<R: Roots + ?Sized>(&mut self, roots: &mut R) -> SweepReport {
        let mut retired = RetiredSet::default();
        let mut any = false;
        for tag in ArenaTag::ALL {
            with_slab!(self, tag, |slab| {
                let indices = slab.retired_slots();
                if !indices.is_empty() {
                    any = true;
                    let bitmap = &mut retired.bitmaps[tag.ordinal()];
                    bitmap.resize(slab.slot_count().div_ceil(64), 0);
                    for &i in indices {
                        debug_assert!(slab.is_retired(crate::cell::SlotIndex(i)));
                        bitmap[i as usize / 64] |= 1 << (i % 64);
                    }
                }
            });
        }
        if !any {
            return SweepReport::default();
        }

        let mut visitor = RootVisitor {
            retired: &retired,
            nulled: 0,
        };
        roots.visit_roots(&mut visitor);
        let nulled_roots = std::mem::take(&mut visitor.nulled);
        for list in self.lists.live_mut() {
            list.as_mut_slice()
                .iter_mut()
                .for_each(|v| visitor.value(v));
        }
        for map in self.maps.live_mut() {
            map.values_mut().for_each(|v| visitor.value(v));
        }
        let nulled_in_heap = visitor.nulled;

        let mut reclaimed = 0;
        for tag in ArenaTag::ALL {
            reclaimed += with_slab!(mut self, tag, |slab| slab.reclaim_retired());
        }
        SweepReport {
            reclaimed,
            nulled_roots,
            nulled_in_heap,
        }
    }
}
