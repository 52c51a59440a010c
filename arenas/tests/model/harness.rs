//! The harness: the heap, the handles and slices a program holds, and the
//! model they are checked against.

use std::collections::BTreeMap;
use std::ops::Range;

use arenavm_arenas::{ArenaTag, Cell, GenBits, Heap, HeapConfig, Slice, Span};
use proptest::prelude::*;
use proptest::test_runner::{TestCaseError, TestCaseResult};

use crate::contents::{Model, range_within, window_of};
use crate::expect::{Expected, Refusal, agree};
use crate::observe::{observe, observe_window};
use crate::program::{Op, Pick, SpanPick, Write};
use crate::words::{Elem, ObjId, Word};

mod copy;
mod operations;
mod sweep;

/// What the model knows about a held slice.
#[derive(Clone, Copy, Debug)]
struct SliceModel {
    obj: ObjId,
    start: u64,
    len: u64,
}

/// A resolved copy operand: the heap's span and the model's view of it.
#[derive(Clone, Copy, Debug)]
struct Operand {
    span: Span,
    obj: ObjId,
    /// `(start, len)` for a slice, `None` for a whole object.
    window: Option<(u64, u64)>,
}

/// One object of the model.
#[derive(Clone, Debug)]
struct ModelObject {
    /// The Cell its allocation minted; used only while the object is live.
    cell: Cell,
    contents: Model,
    live: bool,
}

/// Something the sanity test wants the generated programs to reach.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Event {
    /// A free refused because the object was already dead.
    RefusedFree,
    /// A successful copy of at least one element from one arena to another.
    Copied(ArenaTag, ArenaTag),
    /// A successful copy of at least one element within one object.
    CopiedWithin,
    /// A refused copy, by [`AccessError::kind`].
    ///
    /// [`AccessError::kind`]: arenavm_arenas::AccessError::kind
    CopyRefused(&'static str),
    /// A Cell stored into a list or map.
    CellStored,
    /// A root handle or slice nulled by a sweep.
    RootNulled,
    /// A Cell inside a list or map nulled by a sweep.
    StoredCellNulled,
}

/// How often each [`Event`] happened.
#[derive(Debug, Default)]
pub(crate) struct Coverage(pub(crate) BTreeMap<Event, u64>);

impl Coverage {
    pub(crate) fn record(&mut self, event: Event, times: u64) {
        *self.0.entry(event).or_default() += times;
    }

    pub(crate) fn count(&self, event: Event) -> u64 {
        self.0.get(&event).copied().unwrap_or(0)
    }
}

/// The heap, the handles and slices a program holds (the roots of every
/// sweep), and the model they are checked against.
pub(crate) struct Harness {
    pub(crate) heap: Heap,
    gen_bits: GenBits,
    handles: Vec<Option<Cell>>,
    /// The model object each handle was minted for, parallel to `handles`.
    handle_targets: Vec<ObjId>,
    slices: Vec<Option<Slice>>,
    /// Parallel to `slices`.
    slice_models: Vec<SliceModel>,
    /// Every object ever allocated, by [`ObjId`].
    objects: Vec<ModelObject>,
    pub(crate) coverage: Coverage,
}

impl Harness {
    fn new(bits: u8) -> Harness {
        let gen_bits = GenBits::new(bits).expect("a valid generation width");
        Harness {
            heap: Heap::new(HeapConfig { gen_bits }),
            gen_bits,
            handles: Vec::new(),
            handle_targets: Vec::new(),
            slices: Vec::new(),
            slice_models: Vec::new(),
            objects: Vec::new(),
            coverage: Coverage::default(),
        }
    }

    /// Runs one step against heap and model, then checks the whole state.
    fn apply(&mut self, op: &Op) -> TestCaseResult {
        self.run_op(op)?;
        self.check_state()
    }

    /// Runs one step against heap and model, checking its own result.
    fn run_op(&mut self, op: &Op) -> TestCaseResult {
        match *op {
            Op::Alloc(ref contents) => self.alloc(contents),
            Op::Free(handle) => self.free(handle),
            Op::Churn {
                ref contents,
                times,
            } => self.churn(contents, times),
            Op::Read { handle, index } => self.read(handle, index),
            Op::ReadAs { handle, tag } => self.read_as(handle, tag),
            Op::Slice { handle, start, len } => self.slice(handle, start, len),
            Op::Subslice { slice, start, len } => self.subslice(slice, start, len),
            Op::SliceRead { slice, index } => self.slice_read(slice, index),
            Op::SliceWrite {
                slice,
                index,
                value,
            } => self.slice_write(slice, index, value),
            Op::Copy(step) => self.copy(step),
            Op::Push { vector, value } => self.push(vector, value),
            Op::Pop { vector } => self.pop(vector),
            Op::Insert { map, key, value } => self.insert(map, key, value),
            Op::Sweep => self.sweep(),
        }
    }

    // --- choosing operands ---

    /// The held handle `pick` selects among those whose arena `accept`s.
    fn pick_handle(&self, pick: Pick, accept: impl Fn(ArenaTag) -> bool) -> Option<(Cell, ObjId)> {
        let held = self.handles.iter().zip(&self.handle_targets);
        let candidates = held.filter_map(|(handle, &obj)| handle.map(|cell| (cell, obj)));
        pick.choose(
            candidates.filter(|(cell, _)| accept(cell.arena())),
            |&(_, obj)| self.objects[obj].live,
        )
    }

    /// The held slice `pick` selects among those whose arena `accept`s.
    fn pick_slice(
        &self,
        pick: Pick,
        accept: impl Fn(ArenaTag) -> bool,
    ) -> Option<(Slice, SliceModel)> {
        let held = self.slices.iter().zip(&self.slice_models);
        let candidates = held.filter_map(|(slice, &model)| slice.map(|s| (s, model)));
        pick.choose(
            candidates.filter(|(slice, _)| accept(slice.arena())),
            |(_, model)| self.objects[model.obj].live,
        )
    }

    /// The copy operand `pick` selects among spans whose arena `accept`s.
    fn operand(&self, pick: SpanPick, accept: impl Fn(ArenaTag) -> bool) -> Option<Operand> {
        match pick {
            SpanPick::Whole(pick) => self.pick_handle(pick, accept).map(|(cell, obj)| Operand {
                span: Span::Whole(cell),
                obj,
                window: None,
            }),
            SpanPick::Window(pick) => self.pick_slice(pick, accept).map(|(slice, model)| Operand {
                span: Span::Window(slice),
                obj: model.obj,
                window: Some((model.start, model.len)),
            }),
        }
    }

    /// The element `value` writes into an object of arena `tag`.
    fn resolve_write(&self, tag: ArenaTag, value: Write) -> Elem {
        let held = value.cell.and_then(|pick| self.pick_handle(pick, |_| true));
        match (tag, held) {
            (ArenaTag::List | ArenaTag::Map, Some((cell, target))) => Elem::cell(cell, target),
            (ArenaTag::List | ArenaTag::Map | ArenaTag::I64Array, _) => {
                Elem::data(Word::I64(value.number as i64))
            }
            (ArenaTag::F64Array, _) => Elem::data(Word::F64(value.number)),
            _ => Elem::data(Word::Byte(value.number as u8)),
        }
    }

    // --- the model's view ---

    /// The model object `obj` if it is live; a [`Refusal::Dead`] otherwise.
    fn live_object(&self, obj: ObjId) -> Expected<&ModelObject> {
        let object = &self.objects[obj];
        if object.live {
            Ok(object)
        } else {
            Err(Refusal::Dead)
        }
    }

    /// The absolute range a slice covers in its object now (the object may
    /// have shrunk since the slice was made).
    fn slice_range(&self, model: SliceModel) -> Expected<Range<usize>> {
        let object = self.live_object(model.obj)?;
        range_within(model.start, model.len, object.contents.len()).ok_or(Refusal::Invalid)
    }

    /// What reading a slice's window returns; a string window must also be
    /// whole characters.
    fn slice_contents(&self, model: SliceModel) -> Expected<Model> {
        let object = self.live_object(model.obj)?;
        window_of(&object.contents, model.start, model.len)
    }

    /// The absolute range of `count` elements at `offset` within an operand.
    fn operand_range(&self, operand: &Operand, offset: u64, count: u64) -> Expected<Range<usize>> {
        let len = self.objects[operand.obj].contents.len();
        let outer = match operand.window {
            None => 0..len,
            Some((start, window_len)) => {
                range_within(start, window_len, len).ok_or(Refusal::Invalid)?
            }
        };
        let inner = range_within(offset, count, outer.len()).ok_or(Refusal::Invalid)?;
        Ok(outer.start + inner.start..outer.start + inner.end)
    }

    /// Length of an operand as the model last knew it: its window, or its
    /// whole object.
    fn operand_len(&self, operand: &Operand) -> u64 {
        match operand.window {
            Some((_, len)) => len,
            None => self.objects[operand.obj].contents.len() as u64,
        }
    }

    /// Every Cell held as a root or stored in a live container.
    fn held_cells(&self) -> impl Iterator<Item = Cell> + '_ {
        let roots = self.handles.iter().flatten().copied();
        let stored = self
            .objects
            .iter()
            .filter(|o| o.live)
            .flat_map(|o| o.contents.stored_cells())
            .map(|(cell, _)| cell);
        roots.chain(stored)
    }

    fn hold(&mut self, cell: Cell, obj: ObjId) {
        self.handles.push(Some(cell));
        self.handle_targets.push(obj);
    }

    // --- the full check ---

    /// Checks every property of the module docs against the whole state.
    fn check_state(&self) -> TestCaseResult {
        for (handle, &obj) in self.handles.iter().zip(&self.handle_targets) {
            if let Some(cell) = *handle {
                let object = self.live_object(obj);
                agree(
                    "access",
                    &observe(&self.heap, cell),
                    &object.map(|o| o.contents.observed()),
                )?;
                agree(
                    "len",
                    &self.heap.len(cell),
                    &object.map(|o| o.contents.len() as u64),
                )?;
                agree("check", &self.heap.check(cell), &object.map(drop))?;
            }
        }
        for (slice, &model) in self.slices.iter().zip(&self.slice_models) {
            if let Some(slice) = slice {
                let expected = self.slice_contents(model).map(|w| w.observed());
                agree(
                    "slice window",
                    &observe_window(&self.heap, slice),
                    &expected,
                )?;
            }
        }
        for object in self.objects.iter().filter(|o| o.live) {
            for (cell, target) in object.contents.stored_cells() {
                let expected = self.live_object(target).map(drop);
                agree("stored Cell", &self.heap.check(cell), &expected)?;
            }
        }
        let live = self.objects.iter().filter(|o| o.live).count() as u64;
        prop_assert_eq!(self.heap.stats().total().live, live, "live objects");
        Ok(())
    }
}

impl Operand {
    fn span_tag(&self) -> ArenaTag {
        match self.span {
            Span::Whole(cell) => cell.arena(),
            Span::Window(slice) => slice.arena(),
        }
    }
}

/// Runs `ops` against a fresh heap with `bits` generation bits and the
/// model, checking every property after every step.
pub(crate) fn run_program(bits: u8, ops: &[Op]) -> Result<Harness, TestCaseError> {
    let mut harness = Harness::new(bits);
    for (step, op) in ops.iter().enumerate() {
        harness
            .apply(op)
            .map_err(|e| TestCaseError::fail(format!("step {step}, {op:?}: {e}")))?;
    }
    Ok(harness)
}
