//! The typed inter-arena bulk copy.
//!
//! `Heap::copy(dst, dst_offset, src, src_offset, count)` copies `count`
//! source elements into the destination at `dst_offset` (in destination
//! elements). It is all-or-nothing: liveness, bounds, the table entry and
//! every conversion check (UTF-8, character boundaries, whole elements) are
//! decided before the first byte moves, and the write itself cannot fail.
//! Within one object the copy behaves like `memmove`.

use std::ops::Range;

use crate::cell::ArenaTag;
use crate::error::{AccessError, Result};
use crate::heap::Heap;
use crate::objects::{Bytes, F64Array, I64Array, Sequence, SequenceMut, Str, U8Array};
use crate::slab::{Pair, Slab};
use crate::slice::Span;

/// How a copy rule turns source elements into destination elements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conversion {
    /// Element-for-element, same type.
    Identity,
    /// Source elements written as their little-endian bytes.
    Encode,
    /// Bytes read back as little-endian elements; the byte count must be a
    /// whole number of elements.
    Decode,
    /// Bytes that must be valid UTF-8, into whole characters of a string.
    Utf8Checked,
}

/// One allowed (source, destination) pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CopyRule {
    pub from: ArenaTag,
    pub to: ArenaTag,
    pub conversion: Conversion,
}

const fn rule(from: ArenaTag, to: ArenaTag, conversion: Conversion) -> CopyRule {
    CopyRule {
        from,
        to,
        conversion,
    }
}

/// Every pair the bulk copy accepts; any other pair is refused with
/// [`AccessError::UnsupportedCopy`]. Maps take part in none.
pub const COPY_TABLE: &[CopyRule] = {
    use ArenaTag::*;
    use Conversion::*;
    &[
        rule(Bytes, Bytes, Identity),
        rule(Str, Str, Identity),
        rule(List, List, Identity),
        rule(U8Array, U8Array, Identity),
        rule(I64Array, I64Array, Identity),
        rule(F64Array, F64Array, Identity),
        rule(Bytes, Str, Utf8Checked),
        rule(Str, Bytes, Encode),
        rule(U8Array, Bytes, Encode),
        rule(I64Array, Bytes, Encode),
        rule(F64Array, Bytes, Encode),
        rule(Bytes, U8Array, Decode),
        rule(Bytes, I64Array, Decode),
        rule(Bytes, F64Array, Decode),
    ]
};

/// The rule for a pair, if any.
pub fn copy_rule(from: ArenaTag, to: ArenaTag) -> Option<CopyRule> {
    COPY_TABLE
        .iter()
        .copied()
        .find(|r| r.from == from && r.to == to)
}

/// A sequence with a fixed little-endian byte encoding per element.
trait Encoded: Sequence {
    const UNIT: u64;
    fn encode(&self, range: Range<usize>, out: &mut [u8]);
}

/// An encoded sequence that can also be written from bytes.
trait Decoded: Encoded + SequenceMut {
    fn decode(&mut self, range: Range<usize>, bytes: &[u8]);
}

impl Encoded for Str {
    const UNIT: u64 = 1;
    fn encode(&self, range: Range<usize>, out: &mut [u8]) {
        out.copy_from_slice(&self.as_str().as_bytes()[range]);
    }
}

/// Byte-sized and wide numeric element types share one encoding scheme.
macro_rules! le_encoded {
    ($($ty:ty, $elem:ty);* $(;)?) => {$(
        impl Encoded for $ty {
            const UNIT: u64 = std::mem::size_of::<$elem>() as u64;
            #[inline]
            fn encode(&self, range: Range<usize>, out: &mut [u8]) {
                let src = &self.as_slice()[range];
                if Self::UNIT == 1 {
                    for (o, e) in out.iter_mut().zip(src) {
                        *o = e.to_le_bytes()[0];
                    }
                } else {
                    for (chunk, e) in out.chunks_exact_mut(Self::UNIT as usize).zip(src) {
                        chunk.copy_from_slice(&e.to_le_bytes());
                    }
                }
            }
        }
        impl Decoded for $ty {
            #[inline]
            fn decode(&mut self, range: Range<usize>, bytes: &[u8]) {
                let dst = &mut self.as_mut_slice()[range];
                for (e, chunk) in dst.iter_mut().zip(bytes.chunks_exact(Self::UNIT as usize)) {
                    let mut le = [0; std::mem::size_of::<$elem>()];
                    le.copy_from_slice(chunk);
                    *e = <$elem>::from_le_bytes(le);
                }
            }
        }
    )*};
}

le_encoded! {
    U8Array, u8;
    I64Array, i64;
    F64Array, f64;
}

/// Source and destination located, checked and ready to write.
struct Plan {
    src: Range<usize>,
    dst: Range<usize>,
}

/// One copy as the caller asked for it.
struct Request {
    dst: Span,
    dst_offset: u64,
    src: Span,
    src_offset: u64,
    count: u64,
}

impl Request {
    /// Locates the source units and the matching destination units in
    /// objects currently `src_len` and `dst_len` elements long.
    fn plan(&self, src_len: usize, src_unit: u64, dst_len: usize, dst_unit: u64) -> Result<Plan> {
        let src = self.src.locate(src_len, self.src_offset, self.count)?;
        let bytes = self.count.checked_mul(src_unit).ok_or(AccessError::oob(
            self.src_offset,
            self.count,
            src_len as u64,
        ))?;
        if bytes % dst_unit != 0 {
            return Err(AccessError::PartialElement {
                bytes,
                element_size: dst_unit,
            });
        }
        let dst = self
            .dst
            .locate(dst_len, self.dst_offset, bytes / dst_unit)?;
        Ok(Plan { src, dst })
    }
}

impl Heap {
    /// Copies `count` elements of `src` from `src_offset` into `dst` at
    /// `dst_offset`, converting as [`COPY_TABLE`] says. All or nothing.
    pub fn copy(
        &mut self,
        dst: impl Into<Span>,
        dst_offset: u64,
        src: impl Into<Span>,
        src_offset: u64,
        count: u64,
    ) -> Result<()> {
        let r = Request {
            dst: dst.into(),
            dst_offset,
            src: src.into(),
            src_offset,
            count,
        };
        let (from, to) = (r.src.cell().arena(), r.dst.cell().arena());
        use ArenaTag as A;
        match (from, to) {
            (A::Bytes, A::Bytes) => same_arena::<Bytes, u8>(&mut self.bytes, &r),
            (A::List, A::List) => same_arena(&mut self.lists, &r),
            (A::U8Array, A::U8Array) => same_arena(&mut self.u8s, &r),
            (A::I64Array, A::I64Array) => same_arena(&mut self.i64s, &r),
            (A::F64Array, A::F64Array) => same_arena(&mut self.f64s, &r),
            (A::Str, A::Str) => str_to_str(&mut self.strings, &r),
            (A::Str, A::Bytes) => encode(&self.strings, &mut self.bytes, &r),
            (A::U8Array, A::Bytes) => encode(&self.u8s, &mut self.bytes, &r),
            (A::I64Array, A::Bytes) => encode(&self.i64s, &mut self.bytes, &r),
            (A::F64Array, A::Bytes) => encode(&self.f64s, &mut self.bytes, &r),
            (A::Bytes, A::U8Array) => decode(&self.bytes, &mut self.u8s, &r),
            (A::Bytes, A::I64Array) => decode(&self.bytes, &mut self.i64s, &r),
            (A::Bytes, A::F64Array) => decode(&self.bytes, &mut self.f64s, &r),
            (A::Bytes, A::Str) => bytes_to_str(&self.bytes, &mut self.strings, &r),
            _ => {
                // Refuse dead handles before refusing the pair, so a stale
                // Cell is reported as stale whatever it was used for.
                self.check(r.src.cell())?;
                self.check(r.dst.cell())?;
                Err(AccessError::UnsupportedCopy { from, to })
            }
        }
    }
}

/// Identity copy between two objects of one arena, or within one object.
fn same_arena<T, E>(slab: &mut Slab<T>, r: &Request) -> Result<()>
where
    T: SequenceMut<Window = [E]>,
    E: Copy,
{
    match slab.pair_mut(r.src.cell(), r.dst.cell())? {
        Pair::Same(object) => {
            let len = object.seq_len();
            let p = r.plan(len, 1, len, 1)?;
            object.window_mut(0..len).copy_within(p.src, p.dst.start);
        }
        Pair::Distinct(from, to) => {
            let p = r.plan(from.seq_len(), 1, to.seq_len(), 1)?;
            to.window_mut(p.dst).copy_from_slice(from.window(p.src)?);
        }
    }
    Ok(())
}

/// String to string: both ranges must be whole characters.
fn str_to_str(slab: &mut Slab<Str>, r: &Request) -> Result<()> {
    match slab.pair_mut(r.src.cell(), r.dst.cell())? {
        Pair::Same(object) => {
            let len = object.seq_len();
            let p = r.plan(len, 1, len, 1)?;
            object.check_boundaries(&p.dst)?;
            let text = object.window(p.src)?.to_owned();
            object.overwrite(p.dst, &text);
        }
        Pair::Distinct(from, to) => {
            let p = r.plan(from.seq_len(), 1, to.seq_len(), 1)?;
            let text = from.window(p.src)?;
            to.check_boundaries(&p.dst)?;
            to.overwrite(p.dst, text);
        }
    }
    Ok(())
}

/// Any encoded source into a bytes segment.
fn encode<S: Encoded>(from: &Slab<S>, to: &mut Slab<Bytes>, r: &Request) -> Result<()> {
    let source = from.get(r.src.cell())?;
    let target = to.get_mut(r.dst.cell())?;
    let p = r.plan(source.seq_len(), S::UNIT, target.seq_len(), 1)?;
    source.encode(p.src, target.window_mut(p.dst));
    Ok(())
}

/// A bytes segment into any decodable destination.
fn decode<D: Decoded>(from: &Slab<Bytes>, to: &mut Slab<D>, r: &Request) -> Result<()> {
    let source = from.get(r.src.cell())?;
    let target = to.get_mut(r.dst.cell())?;
    let p = r.plan(source.seq_len(), 1, target.seq_len(), D::UNIT)?;
    target.decode(p.dst, source.window(p.src)?);
    Ok(())
}

/// A bytes segment into a string: the bytes must be valid UTF-8 and the
/// destination range whole characters, which keeps the string valid.
fn bytes_to_str(from: &Slab<Bytes>, to: &mut Slab<Str>, r: &Request) -> Result<()> {
    let source = from.get(r.src.cell())?;
    let target = to.get_mut(r.dst.cell())?;
    let p = r.plan(source.seq_len(), 1, target.seq_len(), 1)?;
    let text =
        std::str::from_utf8(source.window(p.src)?).map_err(|e| AccessError::InvalidUtf8 {
            offset: e.valid_up_to() as u64,
        })?;
    target.check_boundaries(&p.dst)?;
    target.overwrite(p.dst, text);
    Ok(())
}
