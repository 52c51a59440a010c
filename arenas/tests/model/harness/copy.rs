//! Bulk copies, checked against a deliberately simple reimplementation.

use std::ops::Range;

use arenavm_arenas::{ArenaTag, Conversion};
use proptest::test_runner::TestCaseResult;

use super::{Event, Harness, Operand};
use crate::contents::{Model, Payload, reference_conversion, unit_size};
use crate::expect::{Expected, Refusal, agree};
use crate::program::CopyStep;

impl Harness {
    /// A bulk copy, checked against [`Harness::reference_copy`]. Amounts
    /// resolve in order: the count within what both operands can hold (in
    /// whole destination elements), then each offset within the room the
    /// count leaves in its operand.
    pub(super) fn copy(&mut self, step: CopyStep) -> TestCaseResult {
        let operands = match step.src {
            None => self.operand(step.dst, |_| true).map(|span| (span, span)),
            Some(src) => self.operand(src, |_| true).and_then(|src| {
                let from = src.span_tag();
                let accept = |to| !step.table_pair || reference_conversion(from, to).is_some();
                self.operand(step.dst, accept).map(|dst| (dst, src))
            }),
        };
        let Some((dst, src)) = operands else {
            return Ok(());
        };
        let (src_room, dst_room) = (self.operand_len(&src), self.operand_len(&dst));
        let (src_unit, dst_unit) = (unit_size(src.span_tag()), unit_size(dst.span_tag()));
        let count_room = src_room.min(dst_room * dst_unit / src_unit);
        let count = step
            .count
            .resolve_in_steps(count_room, (dst_unit / src_unit).max(1));
        let src_offset = step.src_offset.resolve(src_room.saturating_sub(count));
        let dst_count = count.saturating_mul(src_unit) / dst_unit;
        let dst_offset = step.dst_offset.resolve(dst_room.saturating_sub(dst_count));

        let expected = self.reference_copy(&dst, dst_offset, &src, src_offset, count);
        let copied = self
            .heap
            .copy(dst.span, dst_offset, src.span, src_offset, count);
        let what = format!("copy {count} from {src_offset} to {dst_offset}");
        agree(&what, &copied, &expected.as_ref().map(drop).map_err(|r| *r))?;
        match (copied, expected) {
            (Ok(()), Ok(contents)) => {
                self.objects[dst.obj].contents = contents;
                if count > 0 {
                    let (from, to) = (src.span_tag(), dst.span_tag());
                    self.coverage.record(Event::Copied(from, to), 1);
                    if src.obj == dst.obj {
                        self.coverage.record(Event::CopiedWithin, 1);
                    }
                }
            }
            (Err(e), _) => self.coverage.record(Event::CopyRefused(e.kind()), 1),
            (Ok(()), Err(_)) => unreachable!("agree() refused this combination"),
        }
        Ok(())
    }

    /// The reference bulk copy: the destination's new contents, or why the
    /// copy must be refused. The whole source is read before anything is
    /// written, which gives `memmove` semantics within one object.
    fn reference_copy(
        &self,
        dst: &Operand,
        dst_offset: u64,
        src: &Operand,
        src_offset: u64,
        count: u64,
    ) -> Expected<Model> {
        let from = &self.live_object(src.obj)?.contents;
        let to = &self.live_object(dst.obj)?.contents;
        let conversion = reference_conversion(from.tag(), to.tag()).ok_or(Refusal::Invalid)?;
        let src_range = self.operand_range(src, src_offset, count)?;
        let bytes = count
            .checked_mul(unit_size(from.tag()))
            .ok_or(Refusal::Invalid)?;
        let dst_unit = unit_size(to.tag());
        if bytes % dst_unit != 0 {
            return Err(Refusal::Invalid);
        }
        let dst_range = self.operand_range(dst, dst_offset, bytes / dst_unit)?;
        // Strings only ever exchange whole characters with strings; bytes may
        // take any part of a string.
        let whole_characters =
            |contents: &Model, range: &Range<usize>| contents.window(range.clone()).is_some();
        if to.tag() == ArenaTag::Str
            && !(whole_characters(to, &dst_range) && whole_characters(from, &src_range))
        {
            return Err(Refusal::Invalid);
        }
        let payload = from.read_payload(src_range);
        if let (Conversion::Utf8Checked, Payload::Bytes(bytes)) = (conversion, &payload)
            && std::str::from_utf8(bytes).is_err()
        {
            return Err(Refusal::Invalid);
        }
        let mut written = to.clone();
        written.write_payload(dst_range.start, payload);
        Ok(written)
    }
}
