//! Strategies: how programs are generated.

use arenavm_arenas::ArenaTag;
use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use proptest::sample::{Index, select};

use crate::contents::{Contents, Model};
use crate::program::{Amount, CopyStep, Op, Pick, SpanPick, Write};
use crate::words::{Elem, Word};
use crate::{MAX_OPS, PROLOGUE};

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
pub(crate) fn program() -> impl Strategy<Value = Vec<Op>> {
    let prologue = vec(contents().prop_map(Op::Alloc), 0..=PROLOGUE);
    let steps = vec(op(), 1..=MAX_OPS - PROLOGUE);
    (prologue, steps).prop_map(|(prologue, steps)| [prologue, steps].concat())
}
