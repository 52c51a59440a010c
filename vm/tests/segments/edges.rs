//! The bounds of every bulk operation, one edge at a time: a range ending
//! exactly at the end is in, one entry further is out, an empty range at
//! the end is in and past it is out, and offsets never wrap. A refused
//! operation writes nothing.

use crate::*;
use arenavm_vm::program::Val::{ExternRef, I32};

const OOB: Result<(), TrapKind> = Err(TrapKind::OutOfBounds);

/// `fill{t}(dst, v, len)`.
fn fill(bulk: &mut Bulk, t: usize, dst: u32, v: Option<u32>, len: u32) -> Result<(), TrapKind> {
    let args = [I32(dst as i32), ExternRef(v), I32(len as i32)];
    bulk.run(&format!("fill{t}"), &args).map(drop)
}

/// Runs `op` expecting an out-of-bounds trap that changes no table, no
/// memory byte.
#[track_caller]
fn refused(bulk: &mut Bulk, what: &str, op: impl FnOnce(&mut Bulk) -> Result<(), TrapKind>) {
    let before = (
        bulk.externs(0),
        bulk.externs(1),
        bulk.funcs(),
        bulk.memory(),
    );
    assert_eq!(op(bulk), OOB, "{what}");
    let after = (
        bulk.externs(0),
        bulk.externs(1),
        bulk.funcs(),
        bulk.memory(),
    );
    assert!(before == after, "{what}: a refused operation wrote");
}

/// Table `t` holding `Some(base + i)` at every index `i`.
fn numbered(bulk: &mut Bulk, t: usize, base: u32) {
    let size = bulk.externs(t).len() as u32;
    for i in 0..size {
        let args = [I32(i as i32), ExternRef(Some(base + i))];
        bulk.run(&format!("set{t}"), &args).unwrap();
    }
}

fn some(values: &[u32]) -> Vec<Option<u32>> {
    values.iter().map(|&v| Some(v)).collect()
}

#[test]
fn table_fill_bounds() {
    let mut bulk = Bulk::new();
    assert_eq!(fill(&mut bulk, 0, 5, Some(7), 3), Ok(()), "up to the end");
    assert_eq!(bulk.externs(0)[4..], [None, Some(7), Some(7), Some(7)]);
    assert_eq!(
        fill(&mut bulk, 0, 8, Some(1), 0),
        Ok(()),
        "empty at the end"
    );
    assert_eq!(fill(&mut bulk, 0, 0, None, 0), Ok(()));
    refused(&mut bulk, "one past the end", |b| fill(b, 0, 6, Some(1), 3));
    refused(&mut bulk, "empty past the end", |b| {
        fill(b, 0, 9, Some(1), 0)
    });
    refused(&mut bulk, "wrapping offset", |b| {
        fill(b, 0, u32::MAX, Some(1), 2)
    });
    refused(&mut bulk, "huge length", |b| {
        fill(b, 0, 1, Some(1), u32::MAX)
    });
    refused(&mut bulk, "whole table plus one", |b| {
        fill(b, 1, 0, Some(1), 6)
    });
    assert_eq!(fill(&mut bulk, 1, 0, None, 5), Ok(()), "the whole table");
    assert_eq!(fill(&mut bulk, 0, 0, Some(9), 8), Ok(()));
    assert_eq!(bulk.externs(0), vec![Some(9); 8]);
    assert_eq!(fill(&mut bulk, 0, 2, None, 2), Ok(()), "filling with null");
    assert_eq!(bulk.externs(0)[1..5], [Some(9), None, None, Some(9)]);
}

#[test]
fn table_copy_within_one_table_overlaps_both_ways() {
    let mut bulk = Bulk::new();
    numbered(&mut bulk, 0, 10);
    // Forwards, overlapping: like memmove, not a left-to-right loop.
    assert_eq!(bulk.bulk("copy00", [2, 0, 5]), Ok(()));
    assert_eq!(bulk.externs(0), some(&[10, 11, 10, 11, 12, 13, 14, 17]));
    numbered(&mut bulk, 0, 10);
    // Backwards, overlapping.
    assert_eq!(bulk.bulk("copy00", [0, 2, 5]), Ok(()));
    assert_eq!(bulk.externs(0), some(&[12, 13, 14, 15, 16, 15, 16, 17]));
    numbered(&mut bulk, 0, 10);
    assert_eq!(bulk.bulk("copy00", [3, 3, 5]), Ok(()), "onto itself");
    assert_eq!(bulk.externs(0), some(&[10, 11, 12, 13, 14, 15, 16, 17]));
    assert_eq!(bulk.bulk("copy00", [3, 0, 5]), Ok(()), "to the end");
    assert_eq!(bulk.bulk("copy00", [0, 3, 5]), Ok(()), "from the end");
    assert_eq!(bulk.bulk("copy00", [8, 8, 0]), Ok(()), "empty at the end");
    assert_eq!(bulk.bulk("copy00", [8, 0, 0]), Ok(()));
    assert_eq!(bulk.bulk("copy00", [0, 8, 0]), Ok(()));
    refused(&mut bulk, "destination one past", |b| {
        b.bulk("copy00", [4, 0, 5])
    });
    refused(&mut bulk, "source one past", |b| {
        b.bulk("copy00", [0, 4, 5])
    });
    refused(&mut bulk, "empty destination past", |b| {
        b.bulk("copy00", [9, 0, 0])
    });
    refused(&mut bulk, "empty source past", |b| {
        b.bulk("copy00", [0, 9, 0])
    });
    refused(&mut bulk, "wrapping source", |b| {
        b.bulk("copy00", [0, u32::MAX, 2])
    });
    refused(&mut bulk, "wrapping destination", |b| {
        b.bulk("copy00", [u32::MAX, 0, 2])
    });
}

#[test]
fn table_copy_between_two_tables() {
    let mut bulk = Bulk::new();
    numbered(&mut bulk, 0, 10);
    numbered(&mut bulk, 1, 50);
    // Into the smaller table, ending at both ends.
    assert_eq!(bulk.bulk("copy10", [0, 3, 5]), Ok(()));
    assert_eq!(bulk.externs(1), some(&[13, 14, 15, 16, 17]));
    assert_eq!(
        bulk.externs(0),
        some(&[10, 11, 12, 13, 14, 15, 16, 17]),
        "source kept"
    );
    numbered(&mut bulk, 1, 50);
    assert_eq!(bulk.bulk("copy01", [3, 0, 5]), Ok(()));
    assert_eq!(bulk.externs(0), some(&[10, 11, 12, 50, 51, 52, 53, 54]));
    // The source range fits but the destination does not, and the reverse.
    refused(&mut bulk, "destination past", |b| {
        b.bulk("copy10", [1, 3, 5])
    });
    refused(&mut bulk, "source past", |b| b.bulk("copy01", [0, 1, 5]));
    refused(&mut bulk, "empty past the source", |b| {
        b.bulk("copy01", [0, 6, 0])
    });
    assert_eq!(bulk.bulk("copy01", [8, 5, 0]), Ok(()), "empty at both ends");
}

#[test]
fn table_init_bounds_from_a_passive_segment_and_after_its_drop() {
    let mut bulk = Bulk::new();
    assert_eq!(
        bulk.bulk("init0", [3, 0, 5]),
        Ok(()),
        "whole segment to the end"
    );
    assert_eq!(bulk.externs(0)[3..], SEGMENT);
    assert_eq!(bulk.bulk("init1", [0, 2, 3]), Ok(()), "segment tail");
    assert_eq!(bulk.externs(1)[..3], SEGMENT[2..]);
    assert_eq!(bulk.bulk("init0", [8, 5, 0]), Ok(()), "empty at both ends");
    refused(&mut bulk, "destination past", |b| {
        b.bulk("init0", [4, 0, 5])
    });
    refused(&mut bulk, "source past", |b| b.bulk("init0", [0, 1, 5]));
    refused(&mut bulk, "empty past the segment", |b| {
        b.bulk("init0", [0, 6, 0])
    });
    refused(&mut bulk, "empty past the table", |b| {
        b.bulk("init0", [9, 0, 0])
    });
    refused(&mut bulk, "wrapping source", |b| {
        b.bulk("init0", [0, u32::MAX, 1])
    });
    // Dropped, the segment is empty: only empty ranges at 0 remain.
    assert_eq!(bulk.run("elem_drop", &[]), Ok(vec![]));
    assert_eq!(bulk.bulk("init0", [0, 0, 0]), Ok(()));
    assert_eq!(bulk.bulk("init0", [8, 0, 0]), Ok(()));
    refused(&mut bulk, "dropped", |b| b.bulk("init0", [0, 0, 1]));
    refused(&mut bulk, "dropped, empty at 1", |b| {
        b.bulk("init0", [0, 1, 0])
    });
    assert_eq!(bulk.run("elem_drop", &[]), Ok(vec![]), "dropping twice");
}

#[test]
fn memory_init_bounds_from_a_passive_segment_and_after_its_drop() {
    let mut bulk = Bulk::new();
    let len = DATA.len() as u32;
    assert_eq!(
        bulk.bulk("minit", [PAGE - len, 0, len]),
        Ok(()),
        "to the end"
    );
    assert_eq!(&bulk.memory()[(PAGE - len) as usize..], DATA);
    assert_eq!(bulk.bulk("minit", [10, 7, 5]), Ok(()), "segment tail");
    assert_eq!(&bulk.memory()[10..15], b"world");
    assert_eq!(
        bulk.bulk("minit", [PAGE, len, 0]),
        Ok(()),
        "empty at both ends"
    );
    assert_eq!(bulk.bulk("minit_empty", [PAGE, 0, 0]), Ok(()));
    refused(&mut bulk, "one past the memory", |b| {
        b.bulk("minit", [PAGE - len + 1, 0, len])
    });
    refused(&mut bulk, "one past the segment", |b| {
        b.bulk("minit", [0, 1, len])
    });
    refused(&mut bulk, "empty past the memory", |b| {
        b.bulk("minit", [PAGE + 1, 0, 0])
    });
    refused(&mut bulk, "empty past the segment", |b| {
        b.bulk("minit", [0, len + 1, 0])
    });
    refused(&mut bulk, "wrapping destination", |b| {
        b.bulk("minit", [u32::MAX, 0, 1])
    });
    refused(&mut bulk, "huge length", |b| {
        b.bulk("minit", [0, 0, u32::MAX])
    });
    refused(&mut bulk, "the empty segment", |b| {
        b.bulk("minit_empty", [0, 0, 1])
    });
    // Bounds follow the memory's growth.
    refused(&mut bulk, "the next page", |b| {
        b.bulk("minit", [PAGE, 0, 1])
    });
    assert_eq!(bulk.run("mgrow", &[I32(1)]), Ok(vec![I32(1)]));
    assert_eq!(bulk.bulk("minit", [2 * PAGE - len, 0, len]), Ok(()));
    assert_eq!(&bulk.memory()[(2 * PAGE - len) as usize..], DATA);
    // Dropped, the segment is empty.
    assert_eq!(bulk.run("data_drop", &[]), Ok(vec![]));
    assert_eq!(bulk.bulk("minit", [0, 0, 0]), Ok(()));
    refused(&mut bulk, "dropped", |b| b.bulk("minit", [0, 0, 1]));
    refused(&mut bulk, "dropped, empty at 1", |b| {
        b.bulk("minit", [0, 1, 0])
    });
    assert_eq!(bulk.run("data_drop", &[]), Ok(vec![]), "dropping twice");
}

#[test]
fn table_get_and_set_bounds() {
    let mut bulk = Bulk::new();
    assert_eq!(
        bulk.run("set0", &[I32(7), ExternRef(Some(3))]),
        Ok(vec![]),
        "the last entry"
    );
    assert_eq!(bulk.run("get0", &[I32(7)]), Ok(vec![ExternRef(Some(3))]));
    assert_eq!(bulk.run("get0", &[I32(8)]), Err(TrapKind::OutOfBounds));
    assert_eq!(bulk.run("get0", &[I32(-1)]), Err(TrapKind::OutOfBounds));
    refused(&mut bulk, "set past the end", |b| {
        b.run("set0", &[I32(8), ExternRef(Some(3))]).map(drop)
    });
}
