//! Reading the heap: objects, windows and elements read back into the
//! model's terms through the heap's checked accessors.

use arenavm_arenas::{
    AccessError, ArenaTag, Bytes, Cell, F64Array, Heap, I64Array, List, Map, MapKey, Sequence,
    Slice, Str, U8Array, Vector,
};

use crate::contents::{Contents, Model, Observed};
use crate::words::{Elem, TestElement, Word};

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
pub(crate) fn observe(heap: &Heap, cell: Cell) -> Result<Observed, AccessError> {
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
pub(crate) fn observe_window(heap: &Heap, slice: &Slice) -> Result<Observed, AccessError> {
    with_sequence!(slice.arena(), |T| heap.window::<T>(slice).map(T::observe),
        map => panic!("the heap made a slice of a map"))
}

/// Element `index` of a sequence, or the value under key `index` of a map,
/// through the object's own accessors.
pub(crate) fn read_element(
    heap: &Heap,
    cell: Cell,
    index: u64,
) -> Result<Option<Word>, AccessError> {
    with_element!(cell.arena(), |E| {
        heap.get::<Vector<E>>(cell)?.get(index).map(|e| Some(e.to_word()))
    }, else match cell.arena() {
        ArenaTag::Bytes => heap.get::<Bytes>(cell)?.read::<1>(index).map(|[b]| Some(Word::Byte(b))),
        ArenaTag::Str => heap.get::<Str>(cell)?.byte_at(index).map(|b| Some(Word::Byte(b))),
        _ => Ok(heap.get::<Map>(cell)?.get(&MapKey::Int(index as i64)).map(Word::from)),
    })
}

/// Overwrites byte `index` of a bytes slice through [`Heap::window_mut`].
pub(crate) fn write_byte(
    heap: &mut Heap,
    slice: &Slice,
    index: u64,
    byte: u8,
) -> Result<(), AccessError> {
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
pub(crate) fn alloc_object(heap: &mut Heap, contents: &Model) -> Result<Cell, AccessError> {
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
                map.insert(&MapKey::Int(*key), value(elem))?;
            }
            heap.alloc(map)
        }
    }
}
