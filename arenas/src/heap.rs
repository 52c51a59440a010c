//! The heap: one slab per arena, and the checked operations on them.

use std::cmp::Ordering;

use crate::cell::{ArenaTag, Cell, GenBits};
use crate::error::{AccessError, Result};
use crate::objects::sealed::{ElementSlab, InHeap};
use crate::objects::{
    Bytes, F64Array, I64Array, List, MAX_OBJECT_BYTES, Map, Object, Str, U8Array, Vector,
};
use crate::slab::{FreeOutcome, Slab, SlabStats};
use crate::value::{MapKey, MapKeyRef, Value};

/// How a heap is set up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HeapConfig {
    /// Generation width; a slot retires after `2^bits - 1` allocations.
    pub gen_bits: GenBits,
}

/// All arenas of one VM instance. Every Cell it mints is checked by it on
/// every access; Cells are meaningful only to the heap that minted them.
#[derive(Debug)]
pub struct Heap {
    config: HeapConfig,
    pub(crate) bytes: Slab<Bytes>,
    pub(crate) strings: Slab<Str>,
    pub(crate) lists: Slab<List>,
    pub(crate) i64s: Slab<I64Array>,
    pub(crate) f64s: Slab<F64Array>,
    pub(crate) u8s: Slab<U8Array>,
    pub(crate) maps: Slab<Map>,
}

/// Connects each object type to its slab field.
macro_rules! arena_fields {
    ($($ty:ty => $field:ident),* $(,)?) => {
        $(impl InHeap for $ty {
            #[inline(always)]
            fn slab(heap: &Heap) -> &Slab<Self> { &heap.$field }
            #[inline(always)]
            fn slab_mut(heap: &mut Heap) -> &mut Slab<Self> { &mut heap.$field }
        })*
    };
}

arena_fields! {
    Bytes => bytes,
    Str => strings,
    Map => maps,
}

/// Connects each element type to the slab of its vectors.
macro_rules! element_fields {
    ($($elem:ty => $field:ident),* $(,)?) => {
        $(impl ElementSlab for $elem {
            #[inline(always)]
            fn vector_slab(heap: &Heap) -> &Slab<Vector<Self>> { &heap.$field }
            #[inline(always)]
            fn vector_slab_mut(heap: &mut Heap) -> &mut Slab<Vector<Self>> { &mut heap.$field }
        })*
    };
}

element_fields! {
    Value => lists,
    i64 => i64s,
    f64 => f64s,
    u8 => u8s,
}

/// Runs `$body` with `$slab` bound to the slab of `$tag` (any element type);
/// `with_slab!(mut heap, ...)` binds it mutably.
macro_rules! with_slab {
    (mut $heap:expr, $tag:expr, |$slab:ident| $body:expr) => {
        with_slab!(@[mut] $heap, $tag, |$slab| $body)
    };
    ($heap:expr, $tag:expr, |$slab:ident| $body:expr) => {
        with_slab!(@[] $heap, $tag, |$slab| $body)
    };
    (@[$($m:tt)?] $heap:expr, $tag:expr, |$slab:ident| $body:expr) => {
        match $tag {
            ArenaTag::Bytes => { let $slab = &$($m)? $heap.bytes; $body }
            ArenaTag::Str => { let $slab = &$($m)? $heap.strings; $body }
            ArenaTag::List => { let $slab = &$($m)? $heap.lists; $body }
            ArenaTag::I64Array => { let $slab = &$($m)? $heap.i64s; $body }
            ArenaTag::F64Array => { let $slab = &$($m)? $heap.f64s; $body }
            ArenaTag::U8Array => { let $slab = &$($m)? $heap.u8s; $body }
            ArenaTag::Map => { let $slab = &$($m)? $heap.maps; $body }
        }
    };
}
pub(crate) use with_slab;

/// The borrowed map key for `value`; string Cells are read from `strings`.
fn key_ref(strings: &Slab<Str>, value: Value) -> Result<MapKeyRef<'_>> {
    Ok(match value {
        Value::Null => MapKeyRef::Null,
        Value::I64(v) => MapKeyRef::Int(v),
        Value::F64(v) => MapKeyRef::FloatBits(v.to_bits()),
        Value::Cell(cell) if cell.arena() == ArenaTag::Str => {
            MapKeyRef::Str(strings.get(cell)?.as_str())
        }
        Value::Cell(cell) => {
            return Err(AccessError::UnhashableKey {
                arena: cell.arena(),
            });
        }
    })
}

/// Per-arena counters, indexed by [`ArenaTag::ordinal`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HeapStats {
    pub arenas: [SlabStats; ArenaTag::COUNT],
}

impl HeapStats {
    /// The counters of one arena.
    pub fn arena(&self, tag: ArenaTag) -> SlabStats {
        self.arenas[tag.ordinal()]
    }

    /// The counters summed over every arena.
    pub fn total(&self) -> SlabStats {
        self.arenas
            .iter()
            .fold(SlabStats::default(), |a, s| SlabStats {
                live: a.live + s.live,
                slots: a.slots + s.slots,
                retired_now: a.retired_now + s.retired_now,
                retirements: a.retirements + s.retirements,
                reclaimed: a.reclaimed + s.reclaimed,
            })
    }
}

impl Default for Heap {
    fn default() -> Heap {
        Heap::new(HeapConfig::default())
    }
}

impl Heap {
    /// An empty heap.
    pub fn new(config: HeapConfig) -> Heap {
        let bits = config.gen_bits;
        Heap {
            config,
            bytes: Slab::new(ArenaTag::Bytes, bits),
            strings: Slab::new(ArenaTag::Str, bits),
            lists: Slab::new(ArenaTag::List, bits),
            i64s: Slab::new(ArenaTag::I64Array, bits),
            f64s: Slab::new(ArenaTag::F64Array, bits),
            u8s: Slab::new(ArenaTag::U8Array, bits),
            maps: Slab::new(ArenaTag::Map, bits),
        }
    }

    /// The configuration this heap was made with.
    pub fn config(&self) -> HeapConfig {
        self.config
    }

    /// Moves `object` into its arena and returns the only Cell that reaches it.
    #[inline]
    pub fn alloc<T: Object>(&mut self, object: T) -> Result<Cell> {
        T::slab_mut(self).alloc(object)
    }

    /// The object `cell` reaches: tag, liveness and generation checked.
    #[inline(always)]
    pub fn get<T: Object>(&self, cell: Cell) -> Result<&T> {
        T::slab(self).get(cell)
    }

    /// Mutable form of [`Heap::get`].
    #[inline(always)]
    pub fn get_mut<T: Object>(&mut self, cell: Cell) -> Result<&mut T> {
        T::slab_mut(self).get_mut(cell)
    }

    /// Frees the object `cell` reaches, in whichever arena. A stale, double or
    /// retired free is refused and changes nothing.
    pub fn free(&mut self, cell: Cell) -> Result<FreeOutcome> {
        with_slab!(mut self, cell.arena(), |slab| slab.free(cell).map(|(_, outcome)| outcome))
    }

    /// [`Heap::free`] for a Cell whose arena the caller knows statically
    /// (as the VM does from its register types): the same checks, without
    /// dispatching on the tag. A Cell of another arena is refused with
    /// `WrongArena` and frees nothing.
    #[inline]
    pub fn free_as<T: Object>(&mut self, cell: Cell) -> Result<FreeOutcome> {
        T::slab_mut(self).free(cell).map(|(_, outcome)| outcome)
    }

    /// Checks that `cell` reaches a live object, in whichever arena.
    pub fn check(&self, cell: Cell) -> Result<()> {
        with_slab!(self, cell.arena(), |slab| slab.get(cell).map(drop))
    }

    /// Length of any object: bytes for segments and strings, elements for
    /// lists and arrays, entries for maps.
    pub fn len(&self, cell: Cell) -> Result<u64> {
        match cell.arena() {
            ArenaTag::Bytes => self.bytes.get(cell).map(Bytes::len),
            ArenaTag::Str => self.strings.get(cell).map(Str::len),
            ArenaTag::List => self.lists.get(cell).map(List::len),
            ArenaTag::I64Array => self.i64s.get(cell).map(I64Array::len),
            ArenaTag::F64Array => self.f64s.get(cell).map(F64Array::len),
            ArenaTag::U8Array => self.u8s.get(cell).map(U8Array::len),
            ArenaTag::Map => self.maps.get(cell).map(Map::len),
        }
    }

    /// A new string holding `a` followed by `b`.
    pub fn concat(&mut self, a: Cell, b: Cell) -> Result<Cell> {
        let (a, b) = (self.strings.get(a)?, self.strings.get(b)?);
        let bytes = a.len().saturating_add(b.len());
        if bytes > MAX_OBJECT_BYTES {
            return Err(AccessError::OutOfMemory { bytes });
        }
        let mut text = String::new();
        text.try_reserve_exact(a.as_str().len() + b.as_str().len())
            .map_err(|_| AccessError::OutOfMemory {
                bytes: a.len() + b.len(),
            })?;
        text.push_str(a.as_str());
        text.push_str(b.as_str());
        self.alloc(Str::from(text))
    }

    /// Byte-wise (hence code-point) order of two strings.
    pub fn compare_strings(&self, a: Cell, b: Cell) -> Result<Ordering> {
        Ok(self
            .strings
            .get(a)?
            .as_str()
            .cmp(self.strings.get(b)?.as_str()))
    }

    /// The map key for `value`: numbers by value, a string Cell by its
    /// contents. Other Cells are refused: keys never hold handles.
    pub fn map_key(&self, value: Value) -> Result<MapKey> {
        key_ref(&self.strings, value).map(MapKeyRef::to_owned_key)
    }

    /// The value under `key` (as [`Heap::map_key`] reads it) in map `map`.
    /// Never allocates.
    pub fn map_get(&self, map: Cell, key: Value) -> Result<Option<Value>> {
        let map = self.maps.get(map)?;
        Ok(map.get(key_ref(&self.strings, key)?))
    }

    /// Sets `key` to `value` in map `map`; returns the previous value. Only
    /// a new string key is copied.
    pub fn map_insert(&mut self, map: Cell, key: Value, value: Value) -> Result<Option<Value>> {
        let map = self.maps.get_mut(map)?;
        map.insert(key_ref(&self.strings, key)?, value)
    }

    /// Removes `key` from map `map`; returns its value.
    pub fn map_remove(&mut self, map: Cell, key: Value) -> Result<Option<Value>> {
        let map = self.maps.get_mut(map)?;
        Ok(map.remove(key_ref(&self.strings, key)?))
    }

    /// Counters for every arena.
    pub fn stats(&self) -> HeapStats {
        let mut stats = HeapStats::default();
        for tag in ArenaTag::ALL {
            stats.arenas[tag.ordinal()] = with_slab!(self, tag, |slab| slab.stats());
        }
        stats
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_arena_refuses_every_other_arenas_cells() {
        let mut heap = Heap::default();
        let cells = [
            heap.alloc(Bytes::zeroed(4, 4).unwrap()).unwrap(),
            heap.alloc(Str::from("x")).unwrap(),
            heap.alloc(List::with_len(1).unwrap()).unwrap(),
            heap.alloc(I64Array::with_len(1).unwrap()).unwrap(),
            heap.alloc(F64Array::with_len(1).unwrap()).unwrap(),
            heap.alloc(U8Array::with_len(1).unwrap()).unwrap(),
            heap.alloc(Map::new()).unwrap(),
        ];
        for (cell, tag) in cells.iter().zip(ArenaTag::ALL) {
            assert_eq!(cell.arena(), tag);
            assert!(heap.check(*cell).is_ok());
        }
        for cell in cells {
            let refused = |r: Result<()>, expected: ArenaTag| {
                if cell.arena() == expected {
                    assert!(r.is_ok());
                } else {
                    assert_eq!(
                        r,
                        Err(AccessError::WrongArena {
                            expected,
                            found: cell.arena()
                        })
                    );
                }
            };
            refused(heap.get::<Bytes>(cell).map(drop), ArenaTag::Bytes);
            refused(heap.get::<Str>(cell).map(drop), ArenaTag::Str);
            refused(heap.get::<List>(cell).map(drop), ArenaTag::List);
            refused(heap.get::<I64Array>(cell).map(drop), ArenaTag::I64Array);
            refused(heap.get::<F64Array>(cell).map(drop), ArenaTag::F64Array);
            refused(heap.get::<U8Array>(cell).map(drop), ArenaTag::U8Array);
            refused(heap.get::<Map>(cell).map(drop), ArenaTag::Map);
        }
    }

    fn alloc_one(heap: &mut Heap, tag: ArenaTag) -> Cell {
        match tag {
            ArenaTag::Bytes => heap.alloc(Bytes::zeroed(1, 1).unwrap()),
            ArenaTag::Str => heap.alloc(Str::from("s")),
            ArenaTag::List => heap.alloc(List::default()),
            ArenaTag::I64Array => heap.alloc(I64Array::default()),
            ArenaTag::F64Array => heap.alloc(F64Array::default()),
            ArenaTag::U8Array => heap.alloc(U8Array::default()),
            ArenaTag::Map => heap.alloc(Map::new()),
        }
        .unwrap()
    }

    #[test]
    fn free_validates_and_double_free_is_refused_in_every_arena() {
        let mut heap = Heap::default();
        for tag in ArenaTag::ALL {
            let cell = alloc_one(&mut heap, tag);
            assert!(heap.len(cell).is_ok());
            assert_eq!(heap.free(cell), Ok(FreeOutcome::Recycled));
            assert_eq!(
                heap.free(cell),
                Err(AccessError::Freed {
                    arena: tag,
                    slot: cell.slot()
                })
            );
            assert!(heap.len(cell).unwrap_err().is_temporal());
            let again = alloc_one(&mut heap, tag);
            assert_eq!(again.slot(), cell.slot());
            assert_eq!(
                heap.free(cell),
                Err(AccessError::Stale {
                    arena: tag,
                    slot: cell.slot()
                }),
                "a stale free must not free the slot's new owner"
            );
            assert!(heap.check(again).is_ok());
        }
        assert_eq!(heap.stats().total().live, ArenaTag::COUNT as u64);
    }

    #[test]
    fn typed_free_checks_like_free() {
        let mut heap = Heap::default();
        let list = heap.alloc(List::default()).unwrap();
        assert_eq!(
            heap.free_as::<Str>(list),
            Err(AccessError::WrongArena {
                expected: ArenaTag::Str,
                found: ArenaTag::List
            })
        );
        assert!(heap.check(list).is_ok(), "a refused free frees nothing");
        assert_eq!(heap.free_as::<List>(list), Ok(FreeOutcome::Recycled));
        assert!(matches!(
            heap.free_as::<List>(list),
            Err(AccessError::Freed { .. })
        ));
    }

    #[test]
    fn maps_through_the_heap_key_strings_by_contents() {
        let mut heap = Heap::default();
        let map = heap.alloc(Map::new()).unwrap();
        let (a, b) = (
            heap.alloc(Str::from("k")).unwrap(),
            heap.alloc(Str::from("k")).unwrap(),
        );
        assert_eq!(
            heap.map_insert(map, Value::Cell(a), Value::I64(1)),
            Ok(None)
        );
        assert_eq!(
            heap.map_insert(map, Value::Cell(b), Value::I64(2)),
            Ok(Some(Value::I64(1)))
        );
        assert_eq!(heap.map_get(map, Value::Cell(a)), Ok(Some(Value::I64(2))));
        assert_eq!(heap.map_get(map, Value::I64(7)), Ok(None));
        assert_eq!(
            heap.map_remove(map, Value::Cell(b)),
            Ok(Some(Value::I64(2)))
        );
        assert_eq!(heap.len(map), Ok(0));
        assert_eq!(
            heap.map_insert(map, Value::Cell(map), Value::Null),
            Err(AccessError::UnhashableKey {
                arena: ArenaTag::Map
            })
        );
        heap.free(a).unwrap();
        assert!(heap.map_get(map, Value::Cell(a)).unwrap_err().is_temporal());
    }

    #[test]
    fn strings_concat_compare_and_map_keys() {
        let mut heap = Heap::default();
        let a = heap.alloc(Str::from("ab")).unwrap();
        let b = heap.alloc(Str::from("é")).unwrap();
        let ab = heap.concat(a, b).unwrap();
        assert_eq!(heap.get::<Str>(ab).unwrap().as_str(), "abé");
        assert_eq!(heap.compare_strings(a, ab), Ok(Ordering::Less));
        assert_eq!(heap.map_key(Value::Cell(a)), Ok(MapKey::from("ab")));
        let list = heap.alloc(List::default()).unwrap();
        assert_eq!(
            heap.map_key(Value::Cell(list)),
            Err(AccessError::UnhashableKey {
                arena: ArenaTag::List
            })
        );
        heap.free(a).unwrap();
        assert!(heap.concat(a, b).unwrap_err().is_temporal());
        assert!(heap.map_key(Value::Cell(a)).unwrap_err().is_temporal());
    }
}
