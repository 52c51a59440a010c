//! Model test of the heap against a reference with unbounded generations.
//!
//! Random programs of allocations, frees (double and stale ones included),
//! churns of short-lived temporaries, element reads, wrong-arena accesses,
//! slices and subslices, slice reads and writes, bulk copies between any two
//! spans (whole objects or slices, any pair of arenas), pushes, pops and
//! inserts (of Cells too) into lists, arrays and maps, and sweeps run against
//! a [`Heap`] and against a model in which every allocation is a fresh object
//! that is never reused. In the model a handle is valid exactly while the
//! object it was minted for is live; the heap must agree although its slots
//! are reused, retired and reclaimed.
//!
//! After every step [`Harness::check_state`] checks that:
//! - every held handle is accepted iff its model object is live, and then
//!   reads back exactly the model's contents and length; a refusal for a
//!   dead object is temporal ([`AccessError::is_temporal`]), so a stale
//!   handle is never accepted;
//! - every held slice reads back the model's window of its object, or is
//!   refused as the model says;
//! - every Cell stored in a live list or map is accepted iff its object is live;
//! - the heap's live-object count equals the model's.
//!
//! Each operation also compares its own result with the model's prediction
//! (see [`agree`]). A refused operation changes nothing in the model, so the
//! full check after it proves the heap is all-or-nothing as well. Copies are
//! compared with [`Harness::reference_copy`], a deliberately simple
//! reimplementation of the conversions. Sweeps are checked only for
//! properties (whatever they null named a dead object; the report counts what
//! was nulled), never for the exact set they null, which depends on slot
//! retirement internals.
//!
//! The properties run at generation widths 1, 2, 3, 12 and 24 bits; at the
//! narrow widths slots retire and are reclaimed many times per program, which
//! [`generated_programs_reach_retirement_reclamation_and_every_copy_path`]
//! proves for the generated op mix.

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::ops::Range;

use arenavm_arenas::{
    AccessError, ArenaTag, Bytes, COPY_TABLE, Cell, Conversion, Element, F64Array, FreeOutcome,
    GenBits, Heap, HeapConfig, I64Array, List, Map, MapKey, Sequence, Slice, Span, Str, U8Array,
    Value, Vector, copy_rule,
};
use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::strategy::ValueTree;
use proptest::test_runner::{TestCaseError, TestCaseResult, TestRunner};

/// Longest generated program.
const MAX_OPS: usize = 200;
/// Most allocations a program starts with.
const PROLOGUE: usize = 21;
/// Programs per generation width: about 1.5 s of a debug build per width.
const CASES: u32 = 96;
/// Programs the coverage sanity test runs at each width.
const SANITY_PROGRAMS: usize = 40;
/// The generation widths the properties run at (one test each).
const WIDTHS: [u8; 5] = [1, 2, 3, 12, 24];

// ---------------------------------------------------------------------------
// Words and elements
// ---------------------------------------------------------------------------

/// Position of an object in the model: its allocation order, never reused.
type ObjId = usize;

/// One element as the test compares it. Floats are compared by their bits,
/// so NaN payloads and signed zeros must survive every copy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Word {
    Null,
    I64(i64),
    F64(u64),
    Byte(u8),
    Cell(Cell),
}

impl Word {
    /// The list or map value this word stands for; a byte is no such value.
    fn to_value(self) -> Option<Value> {
        match self {
            Word::Null => Some(Value::Null),
            Word::I64(v) => Some(Value::I64(v)),
            Word::F64(bits) => Some(Value::F64(f64::from_bits(bits))),
            Word::Cell(cell) => Some(Value::Cell(cell)),
            Word::Byte(_) => None,
        }
    }
}

impl From<Value> for Word {
    fn from(value: Value) -> Word {
        match value {
            Value::Null => Word::Null,
            Value::I64(v) => Word::I64(v),
            Value::F64(v) => Word::F64(v.to_bits()),
            Value::Cell(cell) => Word::Cell(cell),
        }
    }
}

/// A list element or map value in the model: the word the heap must hold
/// and, for a Cell, the model object the Cell was minted for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Elem {
    word: Word,
    target: Option<ObjId>,
}

impl Elem {
    fn data(word: Word) -> Elem {
        Elem { word, target: None }
    }

    fn cell(cell: Cell, target: ObjId) -> Elem {
        Elem {
            word: Word::Cell(cell),
            target: Some(target),
        }
    }
}

/// The element types of lists and arrays, seen as words.
trait TestElement: Element {
    fn to_word(self) -> Word;
    /// `None` if `word` is not of this element type.
    fn from_word(word: Word) -> Option<Self>;
    /// A window of these elements as the model's contents.
    fn observe(window: &[Self]) -> Observed;
}

impl TestElement for Value {
    fn to_word(self) -> Word {
        Word::from(self)
    }
    fn from_word(word: Word) -> Option<Self> {
        word.to_value()
    }
    fn observe(window: &[Self]) -> Observed {
        Contents::List(window.iter().map(|v| Word::from(*v)).collect())
    }
}

impl TestElement for i64 {
    fn to_word(self) -> Word {
        Word::I64(self)
    }
    fn from_word(word: Word) -> Option<Self> {
        match word {
            Word::I64(v) => Some(v),
            _ => None,
        }
    }
    fn observe(window: &[Self]) -> Observed {
        Contents::I64(window.to_vec())
    }
}

impl TestElement for f64 {
    fn to_word(self) -> Word {
        Word::F64(self.to_bits())
    }
    fn from_word(word: Word) -> Option<Self> {
        match word {
            Word::F64(bits) => Some(f64::from_bits(bits)),
            _ => None,
        }
    }
    fn observe(window: &[Self]) -> Observed {
        Contents::F64(window.iter().map(|v| v.to_bits()).collect())
    }
}

impl TestElement for u8 {
    fn to_word(self) -> Word {
        Word::Byte(self)
    }
    fn from_word(word: Word) -> Option<Self> {
        match word {
            Word::Byte(b) => Some(b),
            _ => None,
        }
    }
    fn observe(window: &[Self]) -> Observed {
        Contents::U8(window.to_vec())
    }
}

/// `word` as an element of type `E`; a mismatch is a bug in the model.
fn element_of<E: TestElement>(word: Word) -> Result<E, TestCaseError> {
    E::from_word(word).ok_or_else(|| {
        TestCaseError::fail(format!("model bug: {word:?} is no element of a {}", E::TAG))
    })
}

/// Runs `$body` with the type alias `$E` naming the element type of a list
/// or array arena; evaluates `$other` for every other arena.
macro_rules! with_element {
    ($tag:expr, |$E:ident| $body:expr, else $other:expr) => {
        match $tag {
            ArenaTag::List => {
                type $E = Value;
                $body
            }
            ArenaTag::I64Array => {
                type $E = i64;
                $body
            }
            ArenaTag::F64Array => {
                type $E = f64;
                $body
            }
            ArenaTag::U8Array => {
                type $E = u8;
                $body
            }
            _ => $other,
        }
    };
}

/// Runs `$body` with the type alias `$T` naming the object type of a
/// sequence arena; evaluates `$map` for maps.
macro_rules! with_sequence {
    ($tag:expr, |$T:ident| $body:expr, map => $map:expr) => {
        match $tag {
            ArenaTag::Bytes => {
                type $T = Bytes;
                $body
            }
            ArenaTag::Str => {
                type $T = Str;
                $body
            }
            ArenaTag::List => {
                type $T = List;
                $body
            }
            ArenaTag::I64Array => {
                type $T = I64Array;
                $body
            }
            ArenaTag::F64Array => {
                type $T = F64Array;
                $body
            }
            ArenaTag::U8Array => {
                type $T = U8Array;
                $body
            }
            ArenaTag::Map => $map,
        }
    };
}

/// True for the arenas whose objects are lists or arrays.
fn is_vector(tag: ArenaTag) -> bool {
    with_element!(tag, |_E| true, else false)
}

// ---------------------------------------------------------------------------
// Contents
// ---------------------------------------------------------------------------

/// One object's contents. `V` is a list element or map value: [`Elem`] in
/// the model, [`Word`] when read back from the heap.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Contents<V> {
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
type Model = Contents<Elem>;
/// Contents as read back from the heap.
type Observed = Contents<Word>;

/// Source elements as a bulk copy moves them.
#[derive(Debug)]
enum Payload {
    /// Little-endian bytes (strings by their UTF-8).
    Bytes(Vec<u8>),
    /// List elements, Cells included.
    Elems(Vec<Elem>),
}

impl<V: Clone> Contents<V> {
    fn tag(&self) -> ArenaTag {
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
    fn len(&self) -> usize {
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
    fn window(&self, range: Range<usize>) -> Option<Contents<V>> {
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
    fn observed(&self) -> Observed {
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
    fn element(&self, index: usize) -> Option<Elem> {
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
    fn lookup(&self, index: u64) -> Expected<Option<Elem>> {
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
    fn put(&mut self, index: usize, elem: Elem) {
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
    fn pop(&mut self) -> Option<Elem> {
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
    fn stored_cells(&self) -> Vec<(Cell, ObjId)> {
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
    fn read_payload(&self, range: Range<usize>) -> Payload {
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
    fn write_payload(&mut self, at: usize, payload: Payload) {
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
fn range_within(offset: u64, len: u64, bound: usize) -> Option<Range<usize>> {
    let end = offset.checked_add(len)?;
    (end <= bound as u64).then_some(offset as usize..end as usize)
}

/// The window `start..start+len` of `contents`, or why it is refused.
fn window_of(contents: &Model, start: u64, len: u64) -> Expected<Model> {
    range_within(start, len, contents.len())
        .and_then(|range| contents.window(range))
        .ok_or(Refusal::Invalid)
}

/// The model's own copy table, written independently of [`COPY_TABLE`]:
/// same arena is an identity copy, bytes turn into strings only as valid
/// UTF-8, and bytes exchange little-endian encodings with strings and
/// numeric arrays. Maps take part in no copy.
fn reference_conversion(from: ArenaTag, to: ArenaTag) -> Option<Conversion> {
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
fn unit_size(tag: ArenaTag) -> u64 {
    match tag {
        ArenaTag::I64Array | ArenaTag::F64Array => 8,
        _ => 1,
    }
}

// ---------------------------------------------------------------------------
// Reading the heap
// ---------------------------------------------------------------------------

/// Heap sequence types read back into the model's terms.
trait Observe: Sequence {
    fn observe(window: &Self::Window) -> Observed;
}

impl Observe for Bytes {
    fn observe(window: &[u8]) -> Observed {
        Contents::Bytes(window.to_vec())
    }
}

impl Observe for Str {
    fn observe(window: &str) -> Observed {
        Contents::Str(window.to_owned())
    }
}

impl<E: TestElement> Observe for Vector<E> {
    fn observe(window: &[E]) -> Observed {
        E::observe(window)
    }
}

/// Everything `cell` reaches, through the heap's checked accessors.
fn observe(heap: &Heap, cell: Cell) -> Result<Observed, AccessError> {
    with_sequence!(cell.arena(), |T| {
        let object = heap.get::<T>(cell)?;
        object.window(0..object.seq_len()).map(T::observe)
    }, map => {
        let entries = heap.get::<Map>(cell)?.iter().map(|(key, value)| match key {
            MapKey::Int(k) => (*k, Word::from(*value)),
            other => panic!("the test only inserts integer keys, found {other:?}"),
        });
        Ok(Contents::Map(entries.collect()))
    })
}

/// The window `slice` currently covers, through [`Heap::window`].
fn observe_window(heap: &Heap, slice: &Slice) -> Result<Observed, AccessError> {
    with_sequence!(slice.arena(), |T| heap.window::<T>(slice).map(T::observe),
        map => panic!("the heap made a slice of a map"))
}

/// Element `index` of a sequence, or the value under key `index` of a map,
/// through the object's own accessors.
fn read_element(heap: &Heap, cell: Cell, index: u64) -> Result<Option<Word>, AccessError> {
    with_element!(cell.arena(), |E| {
        heap.get::<Vector<E>>(cell)?.get(index).map(|e| Some(e.to_word()))
    }, else match cell.arena() {
        ArenaTag::Bytes => heap.get::<Bytes>(cell)?.read::<1>(index).map(|[b]| Some(Word::Byte(b))),
        ArenaTag::Str => heap.get::<Str>(cell)?.byte_at(index).map(|b| Some(Word::Byte(b))),
        _ => Ok(heap.get::<Map>(cell)?.get(&MapKey::Int(index as i64)).map(Word::from)),
    })
}

/// Overwrites byte `index` of a bytes slice through [`Heap::window_mut`].
fn write_byte(heap: &mut Heap, slice: &Slice, index: u64, byte: u8) -> Result<(), AccessError> {
    let window = heap.window_mut::<Bytes>(slice)?;
    let bound = window.len() as u64;
    let target = usize::try_from(index).ok().and_then(|i| window.get_mut(i));
    *target.ok_or(AccessError::OutOfBounds {
        offset: index,
        len: 1,
        bound,
    })? = byte;
    Ok(())
}

/// Allocates an object holding `contents`.
fn alloc_object(heap: &mut Heap, contents: &Model) -> Result<Cell, AccessError> {
    let value = |e: &Elem| e.word.to_value().expect("generated lists hold values");
    match contents {
        Contents::Bytes(v) => heap.alloc(Bytes::from_vec(v.clone(), Bytes::ABSOLUTE_MAX)?),
        Contents::Str(s) => heap.alloc(Str::from(s.as_str())),
        Contents::List(v) => heap.alloc(List::from(v.iter().map(value).collect::<Vec<_>>())),
        Contents::I64(v) => heap.alloc(I64Array::from(v.clone())),
        Contents::F64(v) => heap.alloc(F64Array::from(
            v.iter().map(|b| f64::from_bits(*b)).collect::<Vec<_>>(),
        )),
        Contents::U8(v) => heap.alloc(U8Array::from(v.clone())),
        Contents::Map(m) => {
            let mut map = Map::new();
            for (key, elem) in m {
                map.insert(MapKey::Int(*key), value(elem))?;
            }
            heap.alloc(map)
        }
    }
}

// ---------------------------------------------------------------------------
// Expectations
// ---------------------------------------------------------------------------

/// Why the model says an operation must be refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Refusal {
    /// An object involved is dead: the heap must refuse with a temporal error.
    Dead,
    /// Every object involved is live but the request is invalid (bounds,
    /// characters, UTF-8, element size, copy table, arena): the heap must
    /// refuse with a non-temporal error.
    Invalid,
}

/// The model's prediction for one operation.
type Expected<T> = Result<T, Refusal>;

/// Checks a heap result against the model's prediction: the same value on
/// success, or a refusal of the predicted class. Accepting what the model
/// refuses (a stale handle, say) is the failure this test exists to find.
fn agree<T: PartialEq + Debug>(
    what: &str,
    actual: &Result<T, AccessError>,
    expected: &Expected<T>,
) -> TestCaseResult {
    let agrees = match (actual, expected) {
        (Ok(got), Ok(want)) => got == want,
        (Err(e), Err(Refusal::Dead)) => e.is_temporal(),
        (Err(e), Err(Refusal::Invalid)) => !e.is_temporal(),
        _ => false,
    };
    prop_assert!(
        agrees,
        "{}: the heap gave {:?}, the model expects {:?}",
        what,
        actual,
        expected
    );
    Ok(())
}

// ---------------------------------------------------------------------------
// Programs
// ---------------------------------------------------------------------------

/// A value to write. Lists and maps get a Cell copied from the held handle
/// `cell` selects (live or not) when there is one, otherwise `number` as an
/// integer; arrays and bytes get `number` as their element (i64, f64 bits,
/// low byte).
#[derive(Clone, Copy, Debug)]
struct Write {
    number: u64,
    cell: Option<Pick>,
}

/// Chooses one of the held handles or slices that fit an operation. Most
/// picks are restricted to live objects so that operations get past the
/// handle check often; the rest choose among stale handles as well.
#[derive(Clone, Copy, Debug)]
struct Pick {
    index: Index,
    live_only: bool,
}

impl Pick {
    /// The candidate this pick selects; a live-only pick considers only
    /// candidates that are `live`.
    fn choose<T: Copy>(
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
enum Amount {
    /// A share of the room there is, from none to all of it, so that
    /// requests usually fit (an index equal to the room is one past the end).
    Share(Index),
    /// A number regardless of the operands: small ones that may or may not
    /// fit, and huge ones that test overflow checks.
    Exactly(u64),
}

impl Amount {
    /// The number this amount asks for where `room` is available.
    fn resolve(self, room: u64) -> u64 {
        self.resolve_in_steps(room, 1)
    }

    /// Like [`Amount::resolve`], but a share is a whole number of `step`s.
    fn resolve_in_steps(self, room: u64, step: u64) -> u64 {
        match self {
            Amount::Share(share) => share.index((room / step) as usize + 1) as u64 * step,
            Amount::Exactly(n) => n,
        }
    }
}

/// A bulk copy as a program asks for it.
#[derive(Clone, Copy, Debug)]
struct CopyStep {
    dst: SpanPick,
    dst_offset: Amount,
    /// `None` copies within the destination span itself.
    src: Option<SpanPick>,
    src_offset: Amount,
    count: Amount,
    /// Choose the destination among the spans the model's copy table lets
    /// the source be copied into, rather than among all spans (which tries
    /// unsupported pairs as well).
    table_pair: bool,
}

/// A copy operand: a whole object through a held handle, or a held slice.
#[derive(Clone, Copy, Debug)]
enum SpanPick {
    Whole(Pick),
    Window(Pick),
}

/// One step of a program. Handles and slices are chosen by [`Pick`] among
/// those currently held (of the fitting arenas); a step with nothing to
/// choose from does nothing.
#[derive(Clone, Debug)]
enum Op {
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
enum Event {
    /// A free refused because the object was already dead.
    RefusedFree,
    /// A successful copy of at least one element from one arena to another.
    Copied(ArenaTag, ArenaTag),
    /// A successful copy of at least one element within one object.
    CopiedWithin,
    /// A refused copy, by [`AccessError::kind`].
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
struct Coverage(BTreeMap<Event, u64>);

impl Coverage {
    fn record(&mut self, event: Event, times: u64) {
        *self.0.entry(event).or_default() += times;
    }

    fn count(&self, event: Event) -> u64 {
        self.0.get(&event).copied().unwrap_or(0)
    }
}

/// The heap, the handles and slices a program holds (the roots of every
/// sweep), and the model they are checked against.
struct Harness {
    heap: Heap,
    gen_bits: GenBits,
    handles: Vec<Option<Cell>>,
    /// The model object each handle was minted for, parallel to `handles`.
    handle_targets: Vec<ObjId>,
    slices: Vec<Option<Slice>>,
    /// Parallel to `slices`.
    slice_models: Vec<SliceModel>,
    /// Every object ever allocated, by [`ObjId`].
    objects: Vec<ModelObject>,
    coverage: Coverage,
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

    // --- operations ---

    /// Allocation always succeeds and mints a Cell no root or container
    /// still holds, at a generation inside the configured width.
    fn alloc(&mut self, contents: &Model) -> TestCaseResult {
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

    fn free(&mut self, pick: Pick) -> TestCaseResult {
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
    fn churn(&mut self, contents: &Model, times: u8) -> TestCaseResult {
        for _ in 0..times {
            self.alloc(contents)?;
            let obj = self.objects.len() - 1;
            self.free_cell(self.objects[obj].cell, obj)?;
        }
        Ok(())
    }

    fn read(&mut self, pick: Pick, index: Amount) -> TestCaseResult {
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
    fn read_as(&self, pick: Pick, tag: ArenaTag) -> TestCaseResult {
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
    fn slice(&mut self, pick: Pick, start: Amount, len: Amount) -> TestCaseResult {
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
    fn subslice(&mut self, pick: Pick, start: Amount, len: Amount) -> TestCaseResult {
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

    fn slice_read(&self, pick: Pick, index: Amount) -> TestCaseResult {
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

    fn slice_write(&mut self, pick: Pick, index: Amount, value: Write) -> TestCaseResult {
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

    /// A bulk copy, checked against [`Harness::reference_copy`]. Amounts
    /// resolve in order: the count within what both operands can hold (in
    /// whole destination elements), then each offset within the room the
    /// count leaves in its operand.
    fn copy(&mut self, step: CopyStep) -> TestCaseResult {
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

    fn push(&mut self, pick: Pick, value: Write) -> TestCaseResult {
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

    fn pop(&mut self, pick: Pick) -> TestCaseResult {
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

    fn insert(&mut self, pick: Pick, key: i64, value: Write) -> TestCaseResult {
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
            .and_then(|m| m.insert(MapKey::Int(key), value))
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

    /// A sweep with the held handles and slices as roots. It may null only
    /// roots and stored Cells that name dead objects, must leave every other
    /// root unchanged, must report exactly what it nulled, and must reclaim
    /// every retired slot. What it nulled is mirrored into the model.
    fn sweep(&mut self) -> TestCaseResult {
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
fn run_program(bits: u8, ops: &[Op]) -> Result<Harness, TestCaseError> {
    let mut harness = Harness::new(bits);
    for (step, op) in ops.iter().enumerate() {
        harness
            .apply(op)
            .map_err(|e| TestCaseError::fail(format!("step {step}, {op:?}: {e}")))?;
    }
    Ok(harness)
}

// ---------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------

fn pick() -> impl Strategy<Value = Pick> {
    (any::<Index>(), proptest::bool::weighted(0.85))
        .prop_map(|(index, live_only)| Pick { index, live_only })
}

/// An offset, length, count or index: mostly a share of the room there is,
/// sometimes a small number that may not fit, sometimes at the edge of `u64`.
fn amount() -> impl Strategy<Value = Amount> {
    prop_oneof![
        20 => any::<Index>().prop_map(Amount::Share),
        3 => (0u64..=16).prop_map(Amount::Exactly),
        1 => select(vec![u64::MAX, u64::MAX - 7, 1 << 63, (1 << 61) + 1]).prop_map(Amount::Exactly),
    ]
}

/// A copy's count: an [`Amount`], or a small number that is not a whole
/// number of 8-byte elements.
fn count() -> impl Strategy<Value = Amount> {
    prop_oneof![
        4 => amount(),
        1 => (1u64..8).prop_map(Amount::Exactly),
    ]
}

/// Text built from characters of every UTF-8 width, mostly ASCII so that
/// random offsets often fall on character boundaries.
fn text() -> impl Strategy<Value = String> {
    let character = prop_oneof![
        3 => select(vec!["a", "z", "\0"]),
        1 => select(vec!["é", "€", "😀"]),
    ];
    vec(character, 0..10).prop_map(|characters| characters.concat())
}

/// Bytes that are mostly valid UTF-8, with stray continuation and invalid
/// bytes mixed in.
fn text_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        4 => text().prop_map(String::into_bytes),
        1 => select(vec![0x80u8, 0xA9, 0xC3, 0xE2, 0xFF]).prop_map(|b| vec![b]),
    ];
    vec(piece, 0..5).prop_map(|pieces| pieces.concat())
}

/// A list element or map value holding no Cell.
fn data_elem() -> impl Strategy<Value = Elem> {
    prop_oneof![
        Just(Word::Null),
        any::<i64>().prop_map(Word::I64),
        any::<u64>().prop_map(Word::F64),
    ]
    .prop_map(Elem::data)
}

/// Initial contents of an object of any arena.
fn contents() -> impl Strategy<Value = Model> {
    prop_oneof![
        text_bytes().prop_map(Contents::Bytes),
        text().prop_map(Contents::Str),
        vec(data_elem(), 0..8).prop_map(Contents::List),
        vec(any::<i64>(), 0..8).prop_map(Contents::I64),
        vec(any::<u64>(), 0..8).prop_map(Contents::F64),
        vec(any::<u8>(), 0..16).prop_map(Contents::U8),
        btree_map(-4i64..4, data_elem(), 0..4).prop_map(Contents::Map),
    ]
}

fn write() -> impl Strategy<Value = Write> {
    (any::<u64>(), proptest::option::of(pick())).prop_map(|(number, cell)| Write { number, cell })
}

fn span() -> impl Strategy<Value = SpanPick> {
    prop_oneof![
        2 => pick().prop_map(SpanPick::Whole),
        1 => pick().prop_map(SpanPick::Window),
    ]
}

/// A copy between two spans (usually a pair the copy table allows) or, one
/// time in five, within one span.
fn copy_step() -> impl Strategy<Value = CopyStep> {
    let src = proptest::option::weighted(0.8, span());
    let table_pair = proptest::bool::weighted(0.7);
    (span(), amount(), src, amount(), count(), table_pair).prop_map(
        |(dst, dst_offset, src, src_offset, count, table_pair)| CopyStep {
            dst,
            dst_offset,
            src,
            src_offset,
            count,
            table_pair,
        },
    )
}

/// One step. Allocation and free dominate so that slots are reused, retired
/// and reclaimed many times per program at narrow generation widths.
fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        26 => contents().prop_map(Op::Alloc),
        16 => pick().prop_map(Op::Free),
        6 => (contents(), 1u8..=8).prop_map(|(contents, times)| Op::Churn { contents, times }),
        5 => (pick(), amount()).prop_map(|(handle, index)| Op::Read { handle, index }),
        2 => (pick(), select(ArenaTag::ALL.to_vec())).prop_map(|(handle, tag)| Op::ReadAs { handle, tag }),
        10 => (pick(), amount(), amount()).prop_map(|(handle, start, len)| Op::Slice { handle, start, len }),
        4 => (pick(), amount(), amount()).prop_map(|(slice, start, len)| Op::Subslice { slice, start, len }),
        5 => (pick(), amount()).prop_map(|(slice, index)| Op::SliceRead { slice, index }),
        5 => (pick(), amount(), write()).prop_map(|(slice, index, value)| Op::SliceWrite { slice, index, value }),
        22 => copy_step().prop_map(Op::Copy),
        8 => (pick(), write()).prop_map(|(vector, value)| Op::Push { vector, value }),
        3 => pick().prop_map(|vector| Op::Pop { vector }),
        3 => (pick(), -4i64..4, write()).prop_map(|(map, key, value)| Op::Insert { map, key, value }),
        4 => Just(Op::Sweep),
    ]
}

/// A program: a prologue of allocations, so that every arena usually has
/// objects to work on, then a random mix of steps.
fn program() -> impl Strategy<Value = Vec<Op>> {
    let prologue = vec(contents().prop_map(Op::Alloc), 0..=PROLOGUE);
    let steps = vec(op(), 1..=MAX_OPS - PROLOGUE);
    (prologue, steps).prop_map(|(prologue, steps)| [prologue, steps].concat())
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    /// Every slot retires at its first free: reclamation on every sweep.
    #[test]
    fn heap_matches_model_with_1_generation_bit(ops in program()) {
        run_program(1, &ops)?;
    }

    #[test]
    fn heap_matches_model_with_2_generation_bits(ops in program()) {
        run_program(2, &ops)?;
    }

    #[test]
    fn heap_matches_model_with_3_generation_bits(ops in program()) {
        run_program(3, &ops)?;
    }

    /// Retirement is rare; recycling through the free list dominates.
    #[test]
    fn heap_matches_model_with_12_generation_bits(ops in program()) {
        run_program(12, &ops)?;
    }

    /// The default width: no slot ever retires within a program.
    #[test]
    fn heap_matches_model_with_24_generation_bits(ops in program()) {
        run_program(24, &ops)?;
    }
}

/// The generated programs reach the paths the properties are about. At
/// each narrow width (1 to 3 bits) slots retire and are reclaimed, as
/// [`HeapStats`](arenavm_arenas::HeapStats) counts them; over all widths,
/// sweeps null roots and stored Cells, frees are refused, every pair of
/// [`COPY_TABLE`] copies successfully, and copies are refused for every
/// reason the heap has.
#[test]
fn generated_programs_reach_retirement_reclamation_and_every_copy_path() {
    let mut runner = TestRunner::deterministic();
    let strategy = program();
    let mut coverage = Coverage::default();
    for bits in WIDTHS {
        let (mut retirements, mut reclaimed) = (0, 0);
        for _ in 0..SANITY_PROGRAMS {
            let ops = strategy.new_tree(&mut runner).expect("a program").current();
            let harness = run_program(bits, &ops).unwrap_or_else(|e| panic!("{e}"));
            let total = harness.heap.stats().total();
            retirements += total.retirements;
            reclaimed += total.reclaimed;
            for (event, times) in harness.coverage.0 {
                coverage.record(event, times);
            }
        }
        if bits <= 3 {
            assert!(retirements > 0, "no slot retired at {bits} bits");
            assert!(
                reclaimed > 0,
                "no retired slot was reclaimed at {bits} bits"
            );
        }
    }
    let events = [
        Event::RefusedFree,
        Event::CopiedWithin,
        Event::CellStored,
        Event::RootNulled,
        Event::StoredCellNulled,
    ];
    let copies = COPY_TABLE
        .iter()
        .map(|rule| Event::Copied(rule.from, rule.to));
    let refusals = [
        "unsupported copy",
        "out of bounds",
        "invalid utf-8",
        "not a char boundary",
        "partial element",
        "freed",
        "stale handle",
        "retired",
    ]
    .map(Event::CopyRefused);
    for event in events.into_iter().chain(copies).chain(refusals) {
        assert!(
            coverage.count(event) > 0,
            "never reached {event:?}: {coverage:?}"
        );
    }
}

/// The model's independent copy table is exactly [`COPY_TABLE`], which
/// lists no pair twice.
#[test]
fn reference_conversions_match_copy_table() {
    for from in ArenaTag::ALL {
        for to in ArenaTag::ALL {
            let heap_rule = copy_rule(from, to).map(|rule| rule.conversion);
            assert_eq!(heap_rule, reference_conversion(from, to), "{from} -> {to}");
        }
    }
    let pairs: std::collections::BTreeSet<_> = COPY_TABLE.iter().map(|r| (r.from, r.to)).collect();
    assert_eq!(
        pairs.len(),
        COPY_TABLE.len(),
        "COPY_TABLE lists a pair twice"
    );
}

/// KNOWN BUG in `arenas/src/slice.rs`, `Heap::subslice`: the requested
/// window is checked against the slice's own length before the parent's
/// liveness, so a subslice of a slice whose object was freed is refused as
/// out of bounds instead of as freed. Every other access (and `Heap::copy`,
/// explicitly) reports a dead handle first. Fixed by checking the parent
/// (`self.check(slice.parent)?`) before the window in `Heap::subslice`.
/// The model properties above fail on the same bug.
#[test]
fn subslice_of_a_freed_object_is_refused_as_temporal() {
    let mut heap = Heap::default();
    let list = heap.alloc(List::from(vec![Value::Null; 4])).unwrap();
    let slice = heap.slice(list, 1, 2).unwrap();
    heap.free(list).unwrap();
    assert!(heap.subslice(&slice, 0, 1).unwrap_err().is_temporal());
    let out_of_window = heap.subslice(&slice, 1, 2).unwrap_err();
    assert!(
        out_of_window.is_temporal(),
        "a dead slice was refused with {out_of_window:?}"
    );
}
