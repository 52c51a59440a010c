//! The single-object operations of a program (everything but bulk copies
//! and sweeps), each checked against the model's prediction.

use arenavm_arenas::{AccessError, ArenaTag, Cell, FreeOutcome, Map, MapKey, Slice, Vector};
use proptest::prelude::*;
use proptest::test_runner::{TestCaseError, TestCaseResult};

use super::{Event, Harness, ModelObject, SliceModel};
use crate::contents::{Contents, Model, range_within, window_of};
use crate::expect::{Expected, Refusal, agree};
use crate::observe::{alloc_object, read_element, write_byte};
use crate::program::{Amount, Pick, Write};
use crate::words::{Elem, ObjId, TestElement, Word, element_of, is_vector};

impl Harness {
    /// Allocation always succeeds and mints a Cell no root or container
    /// still holds, at a generation inside the configured width.
    pub(super) fn alloc(&mut self, contents: &Model) -> TestCaseResult {
        let cell = alloc_object(&mut self.heap, contents)
            .map_err(|e| TestCaseError::fail(format!("allocation refused: {e}")))?;
        prop_assert_eq!(cell.arena(), contents.tag());
        prop_assert!(
            (1..=self.gen_bits.max_generation()).contains(&cell.generation()),
            "{:?} is outside {:?}",
            cell,
            self.gen_bits
        );
        prop_assert!(
            !self.held_cells().any(|held| held == cell),
            "fresh {:?} equals a Cell still held: a stale handle would be accepted",
            cell
        );
        let obj = self.objects.len();
        self.objects.push(ModelObject {
            cell,
            contents: contents.clone(),
            live: true,
        });
        self.hold(cell, obj);
        Ok(())
    }

    pub(super) fn free(&mut self, pick: Pick) -> TestCaseResult {
        match self.pick_handle(pick, |_| true) {
            Some((cell, obj)) => self.free_cell(cell, obj),
            None => Ok(()),
        }
    }

    /// A free succeeds iff the object is live; the slot retires exactly when
    /// the Cell carries the widest generation.
    fn free_cell(&mut self, cell: Cell, obj: ObjId) -> TestCaseResult {
        let expected = self.live_object(obj).map(drop);
        let freed = self.heap.free(cell);
        agree("free", &freed.clone().map(drop), &expected)?;
        match freed {
            Ok(outcome) => {
                let retires = cell.generation() == self.gen_bits.max_generation();
                prop_assert_eq!(outcome == FreeOutcome::Retired, retires, "{:?}", outcome);
                self.objects[obj].live = false;
            }
            Err(_) => self.coverage.record(Event::RefusedFree, 1),
        }
        Ok(())
    }

    /// Allocates and at once frees an object `times` times, as a loop making
    /// temporaries does, so the slot at the head of the arena's free list
    /// runs through its generations. Every handle stays held, stale.
    pub(super) fn churn(&mut self, contents: &Model, times: u8) -> TestCaseResult {
        for _ in 0..times {
            self.alloc(contents)?;
            let obj = self.objects.len() - 1;
            self.free_cell(self.objects[obj].cell, obj)?;
        }
        Ok(())
    }

    pub(super) fn read(&mut self, pick: Pick, index: Amount) -> TestCaseResult {
        let Some((cell, obj)) = self.pick_handle(pick, |_| true) else {
            return Ok(());
        };
        let index = index.resolve(self.objects[obj].contents.len() as u64);
        let expected = self.live_object(obj).and_then(|o| o.contents.lookup(index));
        let actual = read_element(&self.heap, cell, index);
        let what = format!("read {index}");
        agree(&what, &actual, &expected.map(|e| e.map(|e| e.word)))?;
        if let Ok(Some(Elem {
            word: Word::Cell(loaded),
            target: Some(target),
        })) = expected
        {
            self.hold(loaded, target);
        }
        Ok(())
    }

    /// Any access as another arena's type is refused as a wrong-arena
    /// error, live object or not.
    pub(super) fn read_as(&self, pick: Pick, tag: ArenaTag) -> TestCaseResult {
        let Some((cell, _)) = self.pick_handle(pick, |arena| arena != tag) else {
            return Ok(());
        };
        let actual = with_sequence!(tag, |T| self.heap.get::<T>(cell).map(drop),
            map => self.heap.get::<Map>(cell).map(drop));
        let wrong_arena = AccessError::WrongArena {
            expected: tag,
            found: cell.arena(),
        };
        prop_assert_eq!(actual, Err(wrong_arena));
        Ok(())
    }

    /// A slice must lie inside its object's contents (on character
    /// boundaries for strings); maps cannot be sliced.
    pub(super) fn slice(&mut self, pick: Pick, start: Amount, len: Amount) -> TestCaseResult {
        let Some((cell, obj)) = self.pick_handle(pick, |_| true) else {
            return Ok(());
        };
        let room = self.objects[obj].contents.len() as u64;
        let len = len.resolve(room);
        let start = start.resolve(room.saturating_sub(len));
        let expected = self
            .live_object(obj)
            .and_then(|o| window_of(&o.contents, start, len))
            .map(|_| SliceModel { obj, start, len });
        let made = self.heap.slice(cell, start, len);
        self.record_slice(&format!("slice {start}+{len}"), made, expected)
    }

    /// A subslice must lie inside its slice and its object's current
    /// contents; like every access, it is refused as temporal once the
    /// object is dead, whatever window it asks for.
    pub(super) fn subslice(&mut self, pick: Pick, start: Amount, len: Amount) -> TestCaseResult {
        let Some((base, model)) = self.pick_slice(pick, |_| true) else {
            return Ok(());
        };
        let len = len.resolve(model.len);
        let start = start.resolve(model.len.saturating_sub(len));
        let expected = self.live_object(model.obj).and_then(|object| {
            let inner = range_within(start, len, model.len as usize).ok_or(Refusal::Invalid)?;
            let start = model.start + inner.start as u64;
            window_of(&object.contents, start, len)?;
            Ok(SliceModel {
                start,
                len,
                ..model
            })
        });
        let made = self.heap.subslice(&base, start, len);
        self.record_slice(&format!("subslice {start}+{len}"), made, expected)
    }

    /// Checks a made slice against the model's prediction and holds it.
    fn record_slice(
        &mut self,
        what: &str,
        made: Result<Slice, AccessError>,
        expected: Expected<SliceModel>,
    ) -> TestCaseResult {
        let made_shape = made.clone().map(|slice| (slice.arena(), slice.len()));
        let expected_shape = expected.map(|m| (self.objects[m.obj].contents.tag(), m.len));
        agree(what, &made_shape, &expected_shape)?;
        if let (Ok(slice), Ok(model)) = (made, expected) {
            self.slices.push(Some(slice));
            self.slice_models.push(model);
        }
        Ok(())
    }

    pub(super) fn slice_read(&self, pick: Pick, index: Amount) -> TestCaseResult {
        let Some((slice, model)) = self.pick_slice(pick, |_| true) else {
            return Ok(());
        };
        let index = index.resolve(model.len);
        let expected = self.slice_contents(model).and_then(|window| {
            let elem = usize::try_from(index).ok().and_then(|i| window.element(i));
            elem.map(|e| e.word).ok_or(Refusal::Invalid)
        });
        let heap = &self.heap;
        let actual = with_element!(slice.arena(), |E| heap.slice_get::<E>(&slice, index).map(E::to_word),
            else heap.slice_byte(&slice, index).map(Word::Byte));
        agree(&format!("slice read {index}"), &actual, &expected)?;
        if is_vector(slice.arena()) {
            let byte = heap.slice_byte(&slice, index);
            prop_assert!(
                matches!(byte, Err(AccessError::WrongArena { .. })),
                "slice_byte on a {} slice: {:?}",
                slice.arena(),
                byte
            );
        }
        Ok(())
    }

    pub(super) fn slice_write(
        &mut self,
        pick: Pick,
        index: Amount,
        value: Write,
    ) -> TestCaseResult {
        let Some((slice, model)) = self.pick_slice(pick, |_| true) else {
            return Ok(());
        };
        let index = index.resolve(model.len);
        let tag = slice.arena();
        if tag == ArenaTag::Str {
            // Strings have no element writes; only a checked copy changes them.
            return Ok(());
        }
        let elem = self.resolve_write(tag, value);
        let expected = self.slice_range(model).and_then(|range| {
            let inner = range_within(index, 1, range.len()).ok_or(Refusal::Invalid)?;
            Ok(range.start + inner.start)
        });
        let heap = &mut self.heap;
        let written = with_element!(tag, |E| heap.slice_set::<E>(&slice, index, element_of(elem.word)?),
            else write_byte(heap, &slice, index, element_of(elem.word)?));
        agree(
            &format!("slice write {index}"),
            &written,
            &expected.map(drop),
        )?;
        if let Ok(at) = expected {
            self.objects[model.obj].contents.put(at, elem);
            self.record_if_cell(elem);
        }
        Ok(())
    }

    pub(super) fn push(&mut self, pick: Pick, value: Write) -> TestCaseResult {
        let Some((cell, obj)) = self.pick_handle(pick, is_vector) else {
            return Ok(());
        };
        let elem = self.resolve_write(cell.arena(), value);
        let expected = self.live_object(obj).map(drop);
        let heap = &mut self.heap;
        let pushed = with_element!(cell.arena(), |E| {
            let e = element_of::<E>(elem.word)?;
            heap.get_mut::<Vector<E>>(cell).and_then(|v| v.push(e))
        }, else unreachable!("picked a vector"));
        agree("push", &pushed, &expected)?;
        if pushed.is_ok() {
            let contents = &mut self.objects[obj].contents;
            contents.put(contents.len(), elem);
            self.record_if_cell(elem);
        }
        Ok(())
    }

    pub(super) fn pop(&mut self, pick: Pick) -> TestCaseResult {
        let Some((cell, obj)) = self.pick_handle(pick, is_vector) else {
            return Ok(());
        };
        let expected = self.live_object(obj).and_then(|o| {
            let last = o
                .contents
                .len()
                .checked_sub(1)
                .and_then(|i| o.contents.element(i));
            last.map(|e| e.word).ok_or(Refusal::Invalid)
        });
        let heap = &mut self.heap;
        let popped = with_element!(cell.arena(), |E| {
            heap.get_mut::<Vector<E>>(cell).and_then(|v| v.pop()).map(E::to_word)
        }, else unreachable!("picked a vector"));
        agree("pop", &popped, &expected)?;
        if popped.is_ok() {
            self.objects[obj].contents.pop();
        }
        Ok(())
    }

    pub(super) fn insert(&mut self, pick: Pick, key: i64, value: Write) -> TestCaseResult {
        let Some((cell, obj)) = self.pick_handle(pick, |tag| tag == ArenaTag::Map) else {
            return Ok(());
        };
        let elem = self.resolve_write(ArenaTag::Map, value);
        let expected = self.live_object(obj).map(|o| match &o.contents {
            Contents::Map(m) => m.get(&key).map(|e| e.word),
            other => panic!("model bug: a map handle names a {}", other.tag()),
        });
        let value = elem.word.to_value().expect("map values are values");
        let inserted = self
            .heap
            .get_mut::<Map>(cell)
            .and_then(|m| m.insert(&MapKey::Int(key), value))
            .map(|previous| previous.map(Word::from));
        agree("insert", &inserted, &expected)?;
        if inserted.is_ok() {
            if let Contents::Map(m) = &mut self.objects[obj].contents {
                m.insert(key, elem);
            }
            self.record_if_cell(elem);
        }
        Ok(())
    }

    fn record_if_cell(&mut self, elem: Elem) {
        if matches!(elem.word, Word::Cell(_)) {
            self.coverage.record(Event::CellStored, 1);
        }
    }
}
