//! Seamless slices: O(1) windows that only narrow, die with their parent,
//! cannot free, and are checked against their window and the parent's
//! current size on every access.

use arenavm_arenas::{
    AccessError, ArenaTag, Bytes, Heap, I64Array, List, Map, Str, U8Array, Value,
};

fn oob(offset: u64, len: u64, bound: u64) -> AccessError {
    AccessError::OutOfBounds { offset, len, bound }
}

fn i64_array(heap: &mut Heap, items: &[i64]) -> arenavm_arenas::Cell {
    heap.alloc(I64Array::from(items.to_vec())).unwrap()
}

#[test]
fn a_slice_copies_nothing_and_sees_writes_to_its_parent() {
    let mut heap = Heap::default();
    let parent = i64_array(&mut heap, &[0, 1, 2, 3, 4, 5]);
    let slice = heap.slice(parent, 2, 3).unwrap();
    assert_eq!(heap.window::<I64Array>(&slice).unwrap(), &[2, 3, 4]);
    heap.get_mut::<I64Array>(parent)
        .unwrap()
        .set(3, 30)
        .unwrap();
    assert_eq!(
        heap.slice_get::<i64>(&slice, 1),
        Ok(30),
        "same storage, no copy"
    );
    heap.slice_set::<i64>(&slice, 2, 40).unwrap();
    assert_eq!(
        heap.get::<I64Array>(parent).unwrap().as_slice(),
        &[0, 1, 2, 30, 40, 5]
    );
}

#[test]
fn accesses_are_bounded_by_the_window_not_the_parent() {
    let mut heap = Heap::default();
    let parent = i64_array(&mut heap, &[0, 1, 2, 3, 4, 5]);
    let slice = heap.slice(parent, 1, 2).unwrap();
    assert_eq!(heap.slice_get::<i64>(&slice, 2), Err(oob(2, 1, 2)));
    assert_eq!(heap.slice_set::<i64>(&slice, 2, 9), Err(oob(2, 1, 2)));
    assert_eq!(
        heap.slice_get::<i64>(&slice, u64::MAX),
        Err(oob(u64::MAX, 1, 2))
    );
    assert_eq!(
        heap.get::<I64Array>(parent).unwrap().get(3),
        Ok(3),
        "index 2 of the slice is parent[3]: untouched"
    );
}

#[test]
fn slices_only_narrow() {
    let mut heap = Heap::default();
    let parent = i64_array(&mut heap, &(0..10).collect::<Vec<_>>());
    let outer = heap.slice(parent, 2, 6).unwrap(); // parent[2..8]
    let inner = heap.subslice(&outer, 1, 4).unwrap(); // parent[3..7]
    assert_eq!(heap.window::<I64Array>(&inner).unwrap(), &[3, 4, 5, 6]);
    let innermost = heap.subslice(&inner, 3, 1).unwrap();
    assert_eq!(heap.window::<I64Array>(&innermost).unwrap(), &[6]);
    // Anything reaching past the window is refused, even where the parent
    // has room, and overflowing arithmetic never wraps into range.
    assert!(matches!(
        heap.subslice(&outer, 1, 6),
        Err(AccessError::OutOfBounds { .. })
    ));
    assert!(matches!(
        heap.subslice(&inner, 4, 1),
        Err(AccessError::OutOfBounds { .. })
    ));
    assert!(matches!(
        heap.subslice(&inner, u64::MAX, 2),
        Err(AccessError::OutOfBounds { .. })
    ));
    assert!(matches!(
        heap.subslice(&inner, 1, u64::MAX),
        Err(AccessError::OutOfBounds { .. })
    ));
    assert!(matches!(
        heap.slice(parent, 8, 3),
        Err(AccessError::OutOfBounds { .. })
    ));
    assert!(matches!(
        heap.slice(parent, u64::MAX, 1),
        Err(AccessError::OutOfBounds { .. })
    ));
    assert_eq!(
        heap.subslice(&inner, 4, 0).map(|s| s.len()),
        Ok(0),
        "an empty window at the end is fine"
    );
}

#[test]
fn a_slice_dies_with_its_parent_and_stays_dead_after_reuse() {
    let mut heap = Heap::default();
    let parent = heap
        .alloc(List::from(vec![Value::I64(1), Value::I64(2)]))
        .unwrap();
    let slice = heap.slice(parent, 0, 2).unwrap();
    heap.free(parent).unwrap();
    assert!(matches!(
        heap.slice_get::<Value>(&slice, 0),
        Err(AccessError::Freed { .. })
    ));
    assert!(matches!(
        heap.subslice(&slice, 0, 1),
        Err(AccessError::Freed { .. })
    ));
    let successor = heap
        .alloc(List::from(vec![Value::I64(9), Value::I64(9)]))
        .unwrap();
    assert_eq!(successor.slot(), parent.slot(), "the slot was reused");
    assert!(matches!(
        heap.slice_get::<Value>(&slice, 0),
        Err(AccessError::Stale { .. })
    ));
    assert!(matches!(
        heap.slice_set::<Value>(&slice, 0, Value::Null),
        Err(AccessError::Stale { .. })
    ));
    assert_eq!(
        heap.get::<List>(successor).unwrap().get(0),
        Ok(Value::I64(9))
    );
}

#[test]
fn a_slice_is_checked_against_its_parents_current_size() {
    let mut heap = Heap::default();
    let parent = i64_array(&mut heap, &[1, 2, 3, 4]);
    let tail = heap.slice(parent, 2, 2).unwrap();
    heap.get_mut::<I64Array>(parent).unwrap().pop().unwrap();
    assert_eq!(
        heap.slice_get::<i64>(&tail, 0),
        Err(oob(2, 2, 3)),
        "the window no longer fits the shrunken parent"
    );
    heap.get_mut::<I64Array>(parent).unwrap().push(7).unwrap();
    assert_eq!(heap.window::<I64Array>(&tail).unwrap(), &[3, 7]);
}

#[test]
fn bytes_and_string_slices() {
    let mut heap = Heap::default();
    let seg = heap
        .alloc(Bytes::from_vec(b"hello".to_vec(), 64).unwrap())
        .unwrap();
    let s = heap.slice(seg, 1, 3).unwrap();
    assert_eq!(heap.window::<Bytes>(&s).unwrap(), b"ell");
    assert_eq!(heap.slice_byte(&s, 2), Ok(b'l'));
    assert!(heap.slice_byte(&s, 3).is_err());
    heap.window_mut::<Bytes>(&s)
        .unwrap()
        .copy_from_slice(b"ELL");
    assert_eq!(heap.get::<Bytes>(seg).unwrap().as_slice(), b"hELLo");

    let text = heap.alloc(Str::from("aé€z")).unwrap(); // a(1) é(2) €(3) z(1)
    let euro = heap.slice(text, 3, 3).unwrap();
    assert_eq!(heap.window::<Str>(&euro).unwrap(), "€");
    assert_eq!(heap.slice_byte(&euro, 0), Ok(0xE2));
    assert_eq!(
        heap.slice(text, 2, 2),
        Err(AccessError::NotCharBoundary { offset: 2 })
    );
    assert_eq!(
        heap.slice(text, 1, 3),
        Err(AccessError::NotCharBoundary { offset: 4 })
    );
    assert_eq!(
        heap.subslice(&euro, 1, 1),
        Err(AccessError::NotCharBoundary { offset: 4 })
    );
}

#[test]
fn maps_cannot_be_sliced_and_wrong_arena_windows_are_refused() {
    let mut heap = Heap::default();
    let map = heap.alloc(Map::new()).unwrap();
    assert_eq!(
        heap.slice(map, 0, 0),
        Err(AccessError::Unsupported {
            what: "slicing",
            arena: ArenaTag::Map
        })
    );
    let bytes = heap.alloc(U8Array::from(vec![1, 2, 3])).unwrap();
    let s = heap.slice(bytes, 0, 3).unwrap();
    assert_eq!(
        heap.slice_get::<i64>(&s, 0),
        Err(AccessError::WrongArena {
            expected: ArenaTag::I64Array,
            found: ArenaTag::U8Array
        })
    );
    assert_eq!(heap.slice_get::<u8>(&s, 1), Ok(2));
}
