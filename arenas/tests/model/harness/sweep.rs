//! Sweeps, checked only for properties and mirrored into the model.

use std::fmt::Debug;

use proptest::prelude::*;
use proptest::test_runner::{TestCaseError, TestCaseResult};

use super::{Event, Harness};
use crate::contents::Contents;
use crate::observe::observe;
use crate::words::{Elem, ObjId, Word};

impl Harness {
    /// A sweep with the held handles and slices as roots. It may null only
    /// roots and stored Cells that name dead objects, must leave every other
    /// root unchanged, must report exactly what it nulled, and must reclaim
    /// every retired slot. What it nulled is mirrored into the model.
    pub(super) fn sweep(&mut self) -> TestCaseResult {
        let (handles_before, slices_before) = (self.handles.clone(), self.slices.clone());
        let retired_before = self.heap.stats().total().retired_now;
        let report = self.heap.sweep(&mut (&mut self.handles, &mut self.slices));

        let nulled_handles =
            self.nulled_roots(&handles_before, &self.handles, &self.handle_targets)?;
        let slice_targets: Vec<ObjId> = self.slice_models.iter().map(|m| m.obj).collect();
        let nulled_slices = self.nulled_roots(&slices_before, &self.slices, &slice_targets)?;
        prop_assert_eq!(report.nulled_roots, nulled_handles + nulled_slices);

        let nulled_in_heap = self.mirror_nulled_stored_cells()?;
        prop_assert_eq!(report.nulled_in_heap, nulled_in_heap);
        prop_assert_eq!(report.reclaimed, retired_before);
        prop_assert_eq!(self.heap.stats().total().retired_now, 0);

        self.coverage.record(Event::RootNulled, report.nulled_roots);
        self.coverage
            .record(Event::StoredCellNulled, nulled_in_heap);
        Ok(())
    }

    /// Compares roots across a sweep: each is unchanged or became `None`,
    /// and only if it named a dead object. Returns how many became `None`.
    fn nulled_roots<T: Copy + PartialEq + Debug>(
        &self,
        before: &[Option<T>],
        after: &[Option<T>],
        targets: &[ObjId],
    ) -> Result<u64, TestCaseError> {
        prop_assert_eq!(before.len(), after.len());
        let mut nulled = 0;
        for ((before, after), &obj) in before.iter().zip(after).zip(targets) {
            match (before, after) {
                (Some(_), None) => {
                    prop_assert!(
                        !self.objects[obj].live,
                        "a sweep nulled {:?}, whose object is live",
                        before
                    );
                    nulled += 1;
                }
                _ => prop_assert_eq!(before, after, "a sweep changed a root"),
            }
        }
        Ok(nulled)
    }

    /// Finds the Cells a sweep turned into [`Value::Null`] inside live lists
    /// and maps, checks each named a dead object, and nulls them in the
    /// model too. Any other difference is left to [`Harness::check_state`].
    ///
    /// [`Value::Null`]: arenavm_arenas::Value::Null
    fn mirror_nulled_stored_cells(&mut self) -> Result<u64, TestCaseError> {
        let live: Vec<bool> = self.objects.iter().map(|o| o.live).collect();
        let mut nulled = 0;
        for object in self.objects.iter_mut().filter(|o| o.live) {
            let observed = observe(&self.heap, object.cell).map_err(|e| {
                TestCaseError::fail(format!("live container refused after a sweep: {e}"))
            })?;
            let pairs: Vec<(&mut Elem, Option<Word>)> = match (&mut object.contents, &observed) {
                (Contents::List(model), Contents::List(heap)) => model
                    .iter_mut()
                    .zip(heap.iter().map(|w| Some(*w)))
                    .collect(),
                (Contents::Map(model), Contents::Map(heap)) => model
                    .iter_mut()
                    .map(|(k, e)| (e, heap.get(k).copied()))
                    .collect(),
                _ => Vec::new(),
            };
            for (elem, now) in pairs {
                if let (Some(target), Some(Word::Null)) = (elem.target, now) {
                    prop_assert!(
                        !live[target],
                        "a sweep nulled {:?}, whose object is live",
                        elem.word
                    );
                    *elem = Elem::data(Word::Null);
                    nulled += 1;
                }
            }
        }
        Ok(nulled)
    }
}
