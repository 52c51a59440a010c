//! Contents: an object's contents in the model and as read back from the
//! heap, and the model's own copy table.

use std::collections::BTreeMap;
use std::ops::Range;

use arenavm_arenas::{ArenaTag, Cell, Conversion};

use crate::expect::{Expected, Refusal};
use crate::words::{Elem, ObjId, Word};

/// One object's contents. `V` is a list element or map value: [`Elem`] in
/// the model, [`Word`] when read back from the heap.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Contents<V> {
    Bytes(Vec<u8>),
    Str(String),
    List(Vec<V>),
    I64(Vec<i64>),
    /// Bit patterns.
    F64(Vec<u64>),
    U8(Vec<u8>),
    Map(BTreeMap<i64, V>),
}

/// Contents as the model keeps them.
pub(crate) type Model = Contents<Elem>;
/// Contents as read back from the heap.
pub(crate) type Observed = Contents<Word>;

/// Source elements as a bulk copy moves them.
#[derive(Debug)]
pub(crate) enum Payload {
    /// Little-endian bytes (strings by their UTF-8).
    Bytes(Vec<u8>),
    /// List elements, Cells included.
    Elems(Vec<Elem>),
}

impl<V: Clone> Contents<V> {
    pub(crate) fn tag(&self) -> ArenaTag {
        match self {
            Contents::Bytes(_) => ArenaTag::Bytes,
            Contents::Str(_) => ArenaTag::Str,
            Contents::List(_) => ArenaTag::List,
            Contents::I64(_) => ArenaTag::I64Array,
            Contents::F64(_) => ArenaTag::F64Array,
            Contents::U8(_) => ArenaTag::U8Array,
            Contents::Map(_) => ArenaTag::Map,
        }
    }

    /// Length as [`Heap::len`] reports it: bytes, elements or entries.
    ///
    /// [`Heap::len`]: arenavm_arenas::Heap::len
    pub(crate) fn len(&self) -> usize {
        match self {
            Contents::Bytes(v) | Contents::U8(v) => v.len(),
            Contents::Str(s) => s.len(),
            Contents::List(v) => v.len(),
            Contents::I64(v) => v.len(),
            Contents::F64(v) => v.len(),
            Contents::Map(m) => m.len(),
        }
    }

    /// The elements in `range`; `None` if it does not fit, splits a
    /// character of a string, or this is a map.
    pub(crate) fn window(&self, range: Range<usize>) -> Option<Contents<V>> {
        Some(match self {
            Contents::Bytes(v) => Contents::Bytes(v.get(range)?.to_vec()),
            Contents::Str(s) => Contents::Str(s.get(range)?.to_owned()),
            Contents::List(v) => Contents::List(v.get(range)?.to_vec()),
            Contents::I64(v) => Contents::I64(v.get(range)?.to_vec()),
            Contents::F64(v) => Contents::F64(v.get(range)?.to_vec()),
            Contents::U8(v) => Contents::U8(v.get(range)?.to_vec()),
            Contents::Map(_) => return None,
        })
    }
}

impl Model {
    /// What the heap must read back for these contents.
    pub(crate) fn observed(&self) -> Observed {
        match self {
            Contents::Bytes(v) => Contents::Bytes(v.clone()),
            Contents::Str(s) => Contents::Str(s.clone()),
            Contents::List(v) => Contents::List(v.iter().map(|e| e.word).collect()),
            Contents::I64(v) => Contents::I64(v.clone()),
            Contents::F64(v) => Contents::F64(v.clone()),
            Contents::U8(v) => Contents::U8(v.clone()),
            Contents::Map(m) => Contents::Map(m.iter().map(|(k, e)| (*k, e.word)).collect()),
        }
    }

    /// Element `index` of a sequence (bytes and string bytes as
    /// [`Word::Byte`]); `None` out of bounds and for maps.
    pub(crate) fn element(&self, index: usize) -> Option<Elem> {
        let byte = |bytes: &[u8]| bytes.get(index).map(|b| Elem::data(Word::Byte(*b)));
        match self {
            Contents::Bytes(v) | Contents::U8(v) => byte(v),
            Contents::Str(s) => byte(s.as_bytes()),
            Contents::List(v) => v.get(index).copied(),
            Contents::I64(v) => v.get(index).map(|x| Elem::data(Word::I64(*x))),
            Contents::F64(v) => v.get(index).map(|x| Elem::data(Word::F64(*x))),
            Contents::Map(_) => None,
        }
    }

    /// What reading `index` returns: a sequence's element (refused out of
    /// bounds), or the value under key `index` of a map, if any.
    pub(crate) fn lookup(&self, index: u64) -> Expected<Option<Elem>> {
        match self {
            Contents::Map(m) => Ok(m.get(&(index as i64)).copied()),
            _ => usize::try_from(index)
                .ok()
                .and_then(|i| self.element(i))
                .map(Some)
                .ok_or(Refusal::Invalid),
        }
    }

    /// Overwrites element `index` of a list or array (or a bytes segment's
    /// byte), or appends when `index` is the length.
    pub(crate) fn put(&mut self, index: usize, elem: Elem) {
        fn put<T>(v: &mut Vec<T>, index: usize, x: T) {
            if index == v.len() {
                v.push(x);
            } else {
                v[index] = x;
            }
        }
        match (self, elem.word) {
            (Contents::Bytes(v) | Contents::U8(v), Word::Byte(b)) => put(v, index, b),
            (Contents::I64(v), Word::I64(x)) => put(v, index, x),
            (Contents::F64(v), Word::F64(x)) => put(v, index, x),
            (Contents::List(v), _) => put(v, index, elem),
            (contents, word) => panic!("model bug: {word:?} written into a {}", contents.tag()),
        }
    }

    /// Removes and returns the last element of a list or array.
    pub(crate) fn pop(&mut self) -> Option<Elem> {
        let last = self.element(self.len().checked_sub(1)?)?;
        match self {
            Contents::List(v) => drop(v.pop()),
            Contents::I64(v) => drop(v.pop()),
            Contents::F64(v) => drop(v.pop()),
            Contents::U8(v) => drop(v.pop()),
            other => panic!("model bug: pop from a {}", other.tag()),
        }
        Some(last)
    }

    /// Every Cell stored in this list or map, with the object it names.
    pub(crate) fn stored_cells(&self) -> Vec<(Cell, ObjId)> {
        let elems: Vec<&Elem> = match self {
            Contents::List(v) => v.iter().collect(),
            Contents::Map(m) => m.values().collect(),
            _ => Vec::new(),
        };
        elems
            .into_iter()
            .filter_map(|e| match (e.word, e.target) {
                (Word::Cell(cell), Some(target)) => Some((cell, target)),
                _ => None,
            })
            .collect()
    }

    /// The elements in `range` as a copy reads them: list elements as
    /// themselves, everything else as little-endian bytes.
    pub(crate) fn read_payload(&self, range: Range<usize>) -> Payload {
        match self {
            Contents::Bytes(v) | Contents::U8(v) => Payload::Bytes(v[range].to_vec()),
            Contents::Str(s) => Payload::Bytes(s.as_bytes()[range].to_vec()),
            Contents::I64(v) => {
                Payload::Bytes(v[range].iter().flat_map(|x| x.to_le_bytes()).collect())
            }
            Contents::F64(v) => {
                Payload::Bytes(v[range].iter().flat_map(|x| x.to_le_bytes()).collect())
            }
            Contents::List(v) => Payload::Elems(v[range].to_vec()),
            Contents::Map(_) => panic!("model bug: maps take part in no copy"),
        }
    }

    /// Writes `payload` over the elements from `at`, decoding little-endian
    /// bytes into the destination's element type.
    pub(crate) fn write_payload(&mut self, at: usize, payload: Payload) {
        fn decode<const N: usize, T>(dst: &mut [T], bytes: &[u8], from_le: fn([u8; N]) -> T) {
            for (x, chunk) in dst.iter_mut().zip(bytes.chunks_exact(N)) {
                *x = from_le(chunk.try_into().expect("chunks are N bytes"));
            }
        }
        match (self, payload) {
            (Contents::Bytes(v) | Contents::U8(v), Payload::Bytes(b)) => {
                v[at..at + b.len()].copy_from_slice(&b);
            }
            (Contents::Str(s), Payload::Bytes(b)) => {
                let mut bytes = std::mem::take(s).into_bytes();
                bytes[at..at + b.len()].copy_from_slice(&b);
                *s = String::from_utf8(bytes).expect("model bug: a checked copy broke UTF-8");
            }
            (Contents::I64(v), Payload::Bytes(b)) => decode(&mut v[at..], &b, i64::from_le_bytes),
            (Contents::F64(v), Payload::Bytes(b)) => decode(&mut v[at..], &b, u64::from_le_bytes),
            (Contents::List(v), Payload::Elems(e)) => v[at..at + e.len()].copy_from_slice(&e),
            (contents, payload) => {
                panic!("model bug: {payload:?} written into a {}", contents.tag())
            }
        }
    }
}

/// `offset..offset+len` inside `0..bound`, overflow-checked.
pub(crate) fn range_within(offset: u64, len: u64, bound: usize) -> Option<Range<usize>> {
    let end = offset.checked_add(len)?;
    (end <= bound as u64).then_some(offset as usize..end as usize)
}

/// The window `start..start+len` of `contents`, or why it is refused.
pub(crate) fn window_of(contents: &Model, start: u64, len: u64) -> Expected<Model> {
    range_within(start, len, contents.len())
        .and_then(|range| contents.window(range))
        .ok_or(Refusal::Invalid)
}

/// The model's own copy table, written independently of [`COPY_TABLE`]:
/// same arena is an identity copy, bytes turn into strings only as valid
/// UTF-8, and bytes exchange little-endian encodings with strings and
/// numeric arrays. Maps take part in no copy.
///
/// [`COPY_TABLE`]: arenavm_arenas::COPY_TABLE
pub(crate) fn reference_conversion(from: ArenaTag, to: ArenaTag) -> Option<Conversion> {
    use ArenaTag::*;
    match (from, to) {
        (Map, _) | (_, Map) => None,
        _ if from == to => Some(Conversion::Identity),
        (Bytes, Str) => Some(Conversion::Utf8Checked),
        (Str | U8Array | I64Array | F64Array, Bytes) => Some(Conversion::Encode),
        (Bytes, U8Array | I64Array | F64Array) => Some(Conversion::Decode),
        _ => None,
    }
}

/// Size of one element of `tag` in a copy's byte accounting; lists count
/// elements, which only ever meet lists.
pub(crate) fn unit_size(tag: ArenaTag) -> u64 {
    match tag {
        ArenaTag::I64Array | ArenaTag::F64Array => 8,
        _ => 1,
    }
}
