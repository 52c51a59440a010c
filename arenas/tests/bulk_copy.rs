//! The typed bulk copy: the table of allowed pairs, each conversion, and
//! all-or-nothing behaviour on every kind of refusal.

use arenavm_arenas::{
    AccessError, ArenaTag, Bytes, COPY_TABLE, Cell, Conversion, F64Array, Heap, I64Array, List,
    Map, Str, U8Array, Value, copy_rule,
};

/// One 64-element (or 64-byte) object of `tag`: room for 8 source
/// elements of any arena, converted.
fn one_of_each(heap: &mut Heap, tag: ArenaTag) -> Cell {
    match tag {
        ArenaTag::Bytes => heap.alloc(Bytes::from_vec((b'a'..).take(64).collect(), 64).unwrap()),
        ArenaTag::Str => heap.alloc(Str::from("abcdefgh".repeat(8))),
        ArenaTag::List => heap.alloc(List::with_len(64).unwrap()),
        ArenaTag::I64Array => heap.alloc(I64Array::with_len(64).unwrap()),
        ArenaTag::F64Array => heap.alloc(F64Array::with_len(64).unwrap()),
        ArenaTag::U8Array => heap.alloc(U8Array::with_len(64).unwrap()),
        ArenaTag::Map => heap.alloc(Map::new()),
    }
    .unwrap()
}

fn bytes(heap: &mut Heap, data: &[u8]) -> Cell {
    heap.alloc(Bytes::from_vec(data.to_vec(), 1 << 20).unwrap())
        .unwrap()
}

fn contents(heap: &Heap, cell: Cell) -> Vec<u8> {
    heap.get::<Bytes>(cell).unwrap().as_slice().to_vec()
}

#[test]
fn exactly_the_table_pairs_are_accepted() {
    for from in ArenaTag::ALL {
        for to in ArenaTag::ALL {
            let mut heap = Heap::default();
            let src = one_of_each(&mut heap, from);
            let dst = one_of_each(&mut heap, to);
            let result = heap.copy(dst, 0, src, 0, 8);
            match copy_rule(from, to) {
                Some(_) => assert_eq!(result, Ok(()), "{from} -> {to} is in the table"),
                None => assert_eq!(
                    result,
                    Err(AccessError::UnsupportedCopy { from, to }),
                    "{from} -> {to} is not in the table"
                ),
            }
        }
    }
    assert_eq!(COPY_TABLE.len(), 14);
    assert!(
        COPY_TABLE
            .iter()
            .all(|r| r.from != ArenaTag::Map && r.to != ArenaTag::Map)
    );
}

#[test]
fn refused_pairs_report_dead_handles_first() {
    let mut heap = Heap::default();
    let map = heap.alloc(Map::new()).unwrap();
    let seg = bytes(&mut heap, &[1, 2]);
    heap.free(map).unwrap();
    assert!(matches!(
        heap.copy(seg, 0, map, 0, 0),
        Err(AccessError::Freed { .. })
    ));
}

#[test]
fn bytes_to_bytes_between_objects_and_within_one_like_memmove() {
    let mut heap = Heap::default();
    let a = bytes(&mut heap, b"abcdefgh");
    let b = bytes(&mut heap, b"........");
    heap.copy(b, 2, a, 1, 4).unwrap();
    assert_eq!(contents(&heap, b), b"..bcde..");
    heap.copy(a, 2, a, 0, 6).unwrap(); // forward overlap
    assert_eq!(contents(&heap, a), b"ababcdef");
    heap.copy(a, 0, a, 2, 6).unwrap(); // backward overlap
    assert_eq!(contents(&heap, a), b"abcdefef");
    heap.copy(a, 8, a, 0, 0).unwrap(); // empty copy at the end is fine
}

#[test]
fn bytes_to_string_validates_utf8_and_character_boundaries() {
    let mut heap = Heap::default();
    let text = heap.alloc(Str::from("héllo")).unwrap(); // h é(2) l l o
    let good = bytes(&mut heap, "ñ".as_bytes());
    heap.copy(text, 1, good, 0, 2).unwrap();
    assert_eq!(heap.get::<Str>(text).unwrap().as_str(), "hñllo");

    let bad = bytes(&mut heap, &[b'x', 0xC3, 0x28]);
    assert_eq!(
        heap.copy(text, 3, bad, 0, 3),
        Err(AccessError::InvalidUtf8 { offset: 1 })
    );
    let half = bytes(&mut heap, "ñ".as_bytes());
    assert_eq!(
        heap.copy(text, 0, half, 0, 1),
        Err(AccessError::InvalidUtf8 { offset: 0 })
    );
    let ab = bytes(&mut heap, b"ab");
    assert_eq!(
        heap.copy(text, 2, ab, 0, 2),
        Err(AccessError::NotCharBoundary { offset: 2 }),
        "writing over half of ñ would break the string"
    );
    assert_eq!(
        heap.get::<Str>(text).unwrap().as_str(),
        "hñllo",
        "nothing written"
    );
}

#[test]
fn string_to_bytes_and_string_to_string() {
    let mut heap = Heap::default();
    let text = heap.alloc(Str::from("a€b")).unwrap();
    let seg = bytes(&mut heap, &[0; 6]);
    heap.copy(seg, 1, text, 0, 5).unwrap();
    assert_eq!(contents(&heap, seg), b"\0a\xE2\x82\xACb");
    // Raw bytes of a string may be copied out even mid-character.
    heap.copy(seg, 0, text, 2, 1).unwrap();
    assert_eq!(contents(&heap, seg)[0], 0x82);

    let other = heap.alloc(Str::from("xyz€")).unwrap();
    heap.copy(other, 0, text, 0, 1).unwrap();
    assert_eq!(heap.get::<Str>(other).unwrap().as_str(), "ayz€");
    assert_eq!(
        heap.copy(other, 0, text, 1, 1),
        Err(AccessError::NotCharBoundary { offset: 2 })
    );
    assert_eq!(heap.copy(other, 3, text, 1, 3), Ok(()));
    assert_eq!(heap.get::<Str>(other).unwrap().as_str(), "ayz€");
    heap.copy(text, 4, text, 0, 1).unwrap(); // within one string
    assert_eq!(heap.get::<Str>(text).unwrap().as_str(), "a€a");
}

#[test]
fn numeric_arrays_round_trip_through_bytes_little_endian() {
    let mut heap = Heap::default();
    let ints = heap.alloc(I64Array::from(vec![1, -2, i64::MIN])).unwrap();
    let seg = bytes(&mut heap, &[0; 24]);
    heap.copy(seg, 0, ints, 0, 3).unwrap();
    let mut expected = Vec::new();
    for v in [1i64, -2, i64::MIN] {
        expected.extend_from_slice(&v.to_le_bytes());
    }
    assert_eq!(contents(&heap, seg), expected);
    let back = heap.alloc(I64Array::with_len(3).unwrap()).unwrap();
    heap.copy(back, 0, seg, 0, 24).unwrap();
    assert_eq!(
        heap.get::<I64Array>(back).unwrap().as_slice(),
        &[1, -2, i64::MIN]
    );

    let nan = f64::from_bits(0x7FF8_0000_DEAD_BEEF);
    let floats = heap.alloc(F64Array::from(vec![-0.0, nan])).unwrap();
    heap.copy(seg, 8, floats, 0, 2).unwrap();
    let again = heap.alloc(F64Array::with_len(2).unwrap()).unwrap();
    heap.copy(again, 0, seg, 8, 16).unwrap();
    let bits: Vec<u64> = heap
        .get::<F64Array>(again)
        .unwrap()
        .as_slice()
        .iter()
        .map(|f| f.to_bits())
        .collect();
    assert_eq!(
        bits,
        vec![(-0.0f64).to_bits(), nan.to_bits()],
        "sign of zero and NaN payload survive"
    );

    let u8s = heap.alloc(U8Array::from(vec![9, 8, 7])).unwrap();
    heap.copy(seg, 0, u8s, 1, 2).unwrap();
    assert_eq!(&contents(&heap, seg)[..2], &[8, 7]);
    heap.copy(u8s, 0, seg, 0, 3).unwrap();
    assert_eq!(
        heap.get::<U8Array>(u8s).unwrap().as_slice(),
        &contents(&heap, seg)[..3]
    );
}

#[test]
fn partial_elements_are_refused() {
    let mut heap = Heap::default();
    let seg = bytes(&mut heap, &[0xFF; 16]);
    let ints = heap.alloc(I64Array::with_len(2).unwrap()).unwrap();
    assert_eq!(
        heap.copy(ints, 0, seg, 0, 12),
        Err(AccessError::PartialElement {
            bytes: 12,
            element_size: 8
        })
    );
    assert_eq!(heap.get::<I64Array>(ints).unwrap().as_slice(), &[0, 0]);
    let floats = heap.alloc(F64Array::with_len(2).unwrap()).unwrap();
    assert!(matches!(
        heap.copy(floats, 0, seg, 0, 1),
        Err(AccessError::PartialElement { .. })
    ));
}

#[test]
fn lists_copy_cells_as_cells() {
    let mut heap = Heap::default();
    let target = heap.alloc(Str::from("t")).unwrap();
    let src = heap
        .alloc(List::from(vec![
            Value::Cell(target),
            Value::I64(5),
            Value::F64(0.5),
        ]))
        .unwrap();
    let dst = heap.alloc(List::with_len(4).unwrap()).unwrap();
    heap.copy(dst, 1, src, 0, 3).unwrap();
    let copied = heap.get::<List>(dst).unwrap().as_slice().to_vec();
    assert_eq!(
        copied,
        vec![
            Value::Null,
            Value::Cell(target),
            Value::I64(5),
            Value::F64(0.5)
        ]
    );
    let cell = copied[1].as_cell().unwrap();
    assert_eq!(
        heap.get::<Str>(cell).unwrap().as_str(),
        "t",
        "still a working handle"
    );
    heap.copy(dst, 0, dst, 1, 3).unwrap();
    assert_eq!(
        heap.get::<List>(dst).unwrap().get(0),
        Ok(Value::Cell(target))
    );
}

#[test]
fn out_of_bounds_and_dead_handles_write_nothing() {
    let mut heap = Heap::default();
    let src = bytes(&mut heap, b"0123456789");
    let dst = bytes(&mut heap, b"abcdef");
    let before = contents(&heap, dst);
    let refusals = [
        heap.copy(dst, 0, src, 0, 7),
        heap.copy(dst, 5, src, 0, 2),
        heap.copy(dst, 0, src, 8, 3),
        heap.copy(dst, u64::MAX, src, 0, 1),
        heap.copy(dst, 0, src, u64::MAX, 2),
        heap.copy(dst, 0, src, 0, u64::MAX),
    ];
    for r in refusals {
        assert!(matches!(r, Err(AccessError::OutOfBounds { .. })), "{r:?}");
    }
    assert_eq!(contents(&heap, dst), before);
    let ints = heap.alloc(I64Array::with_len(1).unwrap()).unwrap();
    assert!(matches!(
        heap.copy(dst, 0, ints, 0, u64::MAX),
        Err(AccessError::OutOfBounds { .. })
    ));

    let dead = bytes(&mut heap, b"zz");
    heap.free(dead).unwrap();
    assert!(matches!(
        heap.copy(dst, 0, dead, 0, 1),
        Err(AccessError::Freed { .. })
    ));
    assert!(matches!(
        heap.copy(dead, 0, src, 0, 1),
        Err(AccessError::Freed { .. })
    ));
    assert_eq!(contents(&heap, dst), before);
}

#[test]
fn copies_through_slices_stay_inside_the_windows() {
    let mut heap = Heap::default();
    let src = bytes(&mut heap, b"0123456789");
    let dst = bytes(&mut heap, b"abcdefghij");
    let from = heap.slice(src, 2, 4).unwrap(); // "2345"
    let into = heap.slice(dst, 5, 3).unwrap(); // "fgh"
    heap.copy(into, 1, from, 1, 2).unwrap();
    assert_eq!(contents(&heap, dst), b"abcdef34ij");
    assert!(matches!(
        heap.copy(into, 0, from, 0, 4),
        Err(AccessError::OutOfBounds { .. })
    ));
    assert!(matches!(
        heap.copy(into, 2, from, 0, 2),
        Err(AccessError::OutOfBounds { .. })
    ));
    assert!(matches!(
        heap.copy(dst, 0, from, 3, 2),
        Err(AccessError::OutOfBounds { .. })
    ));
    assert_eq!(contents(&heap, dst), b"abcdef34ij");
    heap.free(src).unwrap();
    assert!(matches!(
        heap.copy(into, 0, from, 0, 1),
        Err(AccessError::Freed { .. })
    ));
}

#[test]
fn conversions_are_documented_per_pair() {
    use Conversion::*;
    for rule in COPY_TABLE {
        let expected = match (rule.from, rule.to) {
            (f, t) if f == t => Identity,
            (ArenaTag::Bytes, ArenaTag::Str) => Utf8Checked,
            (_, ArenaTag::Bytes) => Encode,
            (ArenaTag::Bytes, _) => Decode,
            (f, t) => panic!("unexpected pair {f} -> {t}"),
        };
        assert_eq!(rule.conversion, expected, "{} -> {}", rule.from, rule.to);
    }
}
