//! Programs: the steps a generated program is made of.

use arenavm_arenas::ArenaTag;
use proptest::sample::Index;

use crate::contents::Model;

/// A value to write. Lists and maps get a Cell copied from the held handle
/// `cell` selects (live or not) when there is one, otherwise `number` as an
/// integer; arrays and bytes get `number` as their element (i64, f64 bits,
/// low byte).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Write {
    pub(crate) number: u64,
    pub(crate) cell: Option<Pick>,
}

/// Chooses one of the held handles or slices that fit an operation. Most
/// picks are restricted to live objects so that operations get past the
/// handle check often; the rest choose among stale handles as well.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Pick {
    pub(crate) index: Index,
    pub(crate) live_only: bool,
}

impl Pick {
    /// The candidate this pick selects; a live-only pick considers only
    /// candidates that are `live`.
    pub(crate) fn choose<T: Copy>(
        self,
        candidates: impl Iterator<Item = T>,
        live: impl Fn(&T) -> bool,
    ) -> Option<T> {
        let candidates: Vec<T> = candidates.filter(|c| !self.live_only || live(c)).collect();
        (!candidates.is_empty()).then(|| *self.index.get(&candidates))
    }
}

/// An offset, length, count or index as a program asks for it.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Amount {
    /// A share of the room there is, from none to all of it, so that
    /// requests usually fit (an index equal to the room is one past the end).
    Share(Index),
    /// A number regardless of the operands: small ones that may or may not
    /// fit, and huge ones that test overflow checks.
    Exactly(u64),
}

impl Amount {
    /// The number this amount asks for where `room` is available.
    pub(crate) fn resolve(self, room: u64) -> u64 {
        self.resolve_in_steps(room, 1)
    }

    /// Like [`Amount::resolve`], but a share is a whole number of `step`s.
    pub(crate) fn resolve_in_steps(self, room: u64, step: u64) -> u64 {
        match self {
            Amount::Share(share) => share.index((room / step) as usize + 1) as u64 * step,
            Amount::Exactly(n) => n,
        }
    }
}

/// A bulk copy as a program asks for it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CopyStep {
    pub(crate) dst: SpanPick,
    pub(crate) dst_offset: Amount,
    /// `None` copies within the destination span itself.
    pub(crate) src: Option<SpanPick>,
    pub(crate) src_offset: Amount,
    pub(crate) count: Amount,
    /// Choose the destination among the spans the model's copy table lets
    /// the source be copied into, rather than among all spans (which tries
    /// unsupported pairs as well).
    pub(crate) table_pair: bool,
}

/// A copy operand: a whole object through a held handle, or a held slice.
#[derive(Clone, Copy, Debug)]
pub(crate) enum SpanPick {
    Whole(Pick),
    Window(Pick),
}

/// One step of a program. Handles and slices are chosen by [`Pick`] among
/// those currently held (of the fitting arenas); a step with nothing to
/// choose from does nothing.
#[derive(Clone, Debug)]
pub(crate) enum Op {
    /// Allocates an object holding these contents and holds its Cell.
    Alloc(Model),
    /// Frees through a handle, whether its object is live or not.
    Free(Pick),
    /// Allocates and frees an object with these contents `times` times.
    Churn {
        contents: Model,
        times: u8,
    },
    /// Reads element `index` (map key `index`); a Cell read from a list or
    /// map joins the held handles.
    Read {
        handle: Pick,
        index: Amount,
    },
    /// Accesses a handle as an object of another arena.
    ReadAs {
        handle: Pick,
        tag: ArenaTag,
    },
    /// Slices `len` elements at `start` of a handle's object.
    Slice {
        handle: Pick,
        start: Amount,
        len: Amount,
    },
    /// Narrows a held slice to `len` elements at `start` of its window.
    Subslice {
        slice: Pick,
        start: Amount,
        len: Amount,
    },
    /// `slice_get` on list and array slices, `slice_byte` on the others.
    SliceRead {
        slice: Pick,
        index: Amount,
    },
    /// `slice_set` on list and array slices, a `window_mut` byte on bytes.
    SliceWrite {
        slice: Pick,
        index: Amount,
        value: Write,
    },
    Copy(CopyStep),
    /// Pushes onto a list or array.
    Push {
        vector: Pick,
        value: Write,
    },
    /// Pops from a list or array.
    Pop {
        vector: Pick,
    },
    /// Inserts into a map under an integer key.
    Insert {
        map: Pick,
        key: i64,
        value: Write,
    },
    /// Sweeps with the held handles and slices as the roots.
    Sweep,
}
