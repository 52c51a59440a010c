//! Random sequences of table and memory operations against a model made of
//! `Vec`s: after every operation the interpreter and the model agree on
//! whether it trapped, on what it returned and on every table entry and
//! memory byte, so a trapping operation wrote nothing.

use std::ops::Range;

use proptest::prelude::*;

use crate::*;
use arenavm_vm::program::Val::{ExternRef, I32};

/// The most entries a table may have, whatever its declared maximum.
const TABLE_LIMIT: u64 = 10_000_000;

/// `start..start + len` if it lies within `0..size` (computed without
/// wrapping).
fn range(start: u32, len: u32, size: usize) -> Option<Range<usize>> {
    let end = u64::from(start) + u64::from(len);
    (end <= size as u64).then_some(start as usize..end as usize)
}

#[derive(Clone, Debug)]
enum TableOp {
    Fill {
        t: usize,
        dst: u32,
        value: Option<u32>,
        len: u32,
    },
    Copy {
        dt: usize,
        st: usize,
        dst: u32,
        src: u32,
        len: u32,
    },
    Init {
        t: usize,
        dst: u32,
        src: u32,
        len: u32,
    },
    Drop,
    Grow {
        t: usize,
        value: Option<u32>,
        delta: u32,
    },
    Set {
        t: usize,
        index: u32,
        value: Option<u32>,
    },
}

/// What an operation did: trapped out of bounds, or returned (`TableGrow`
/// returns its old size or -1).
type Outcome = Result<Option<i32>, ()>;

/// The two extern tables and element segment 0, as vectors.
#[derive(Debug)]
struct TableModel {
    tables: [Vec<Option<u32>>; 2],
    segment: Vec<Option<u32>>,
}

impl TableModel {
    fn new() -> TableModel {
        TableModel {
            tables: TABLES.map(|(min, _)| vec![None; min as usize]),
            segment: SEGMENT.to_vec(),
        }
    }

    fn apply(&mut self, op: &TableOp) -> Outcome {
        match *op {
            TableOp::Fill { t, dst, value, len } => {
                let span = range(dst, len, self.tables[t].len()).ok_or(())?;
                self.tables[t][span].fill(value);
            }
            TableOp::Copy {
                dt,
                st,
                dst,
                src,
                len,
            } => {
                let from = range(src, len, self.tables[st].len()).ok_or(())?;
                let to = range(dst, len, self.tables[dt].len()).ok_or(())?;
                let values = self.tables[st][from].to_vec();
                self.tables[dt][to].copy_from_slice(&values);
            }
            TableOp::Init { t, dst, src, len } => {
                let from = range(src, len, self.segment.len()).ok_or(())?;
                let to = range(dst, len, self.tables[t].len()).ok_or(())?;
                self.tables[t][to].copy_from_slice(&self.segment[from]);
            }
            TableOp::Drop => self.segment.clear(),
            TableOp::Grow { t, value, delta } => {
                let old = self.tables[t].len();
                let max = TABLES[t].1.map_or(TABLE_LIMIT, u64::from).min(TABLE_LIMIT);
                if old as u64 + u64::from(delta) > max {
                    return Ok(Some(-1));
                }
                self.tables[t].resize(old + delta as usize, value);
                return Ok(Some(old as i32));
            }
            TableOp::Set { t, index, value } => {
                let entry = self.tables[t].get_mut(index as usize).ok_or(())?;
                *entry = value;
            }
        }
        Ok(None)
    }
}

/// Runs `op` on the fixture.
fn run_table_op(bulk: &mut Bulk, op: &TableOp) -> Outcome {
    let i = |v: u32| I32(v as i32);
    let result = match *op {
        TableOp::Fill { t, dst, value, len } => {
            bulk.run(&format!("fill{t}"), &[i(dst), ExternRef(value), i(len)])
        }
        TableOp::Copy {
            dt,
            st,
            dst,
            src,
            len,
        } => bulk.run(&format!("copy{dt}{st}"), &[i(dst), i(src), i(len)]),
        TableOp::Init { t, dst, src, len } => {
            bulk.run(&format!("init{t}"), &[i(dst), i(src), i(len)])
        }
        TableOp::Drop => bulk.run("elem_drop", &[]),
        TableOp::Grow { t, value, delta } => {
            bulk.run(&format!("grow{t}"), &[ExternRef(value), i(delta)])
        }
        TableOp::Set { t, index, value } => {
            bulk.run(&format!("set{t}"), &[i(index), ExternRef(value)])
        }
    };
    match result {
        Ok(values) => match values[..] {
            [] => Ok(None),
            [I32(old)] => Ok(Some(old)),
            ref other => panic!("{op:?} returned {other:?}"),
        },
        Err(TrapKind::OutOfBounds) => Err(()),
        Err(kind) => panic!("{op:?} trapped {kind:?}"),
    }
}

/// Offsets: small ones, often exactly at or next to a table's or the
/// segment's size (5, 8 and their neighbours; grown tables reach 16),
/// sometimes at the top of the `u32` range where a careless sum would wrap.
fn offset() -> impl Strategy<Value = u32> {
    prop_oneof![
        6 => 0u32..=8,
        2 => 9u32..=18,
        4 => proptest::sample::select(vec![4u32, 5, 6, 7, 8, 9]),
        1 => (u32::MAX - 3)..=u32::MAX,
        1 => any::<u32>(),
    ]
}

/// Lengths: often 0 or 1, the edges of every bounds rule.
fn length() -> impl Strategy<Value = u32> {
    prop_oneof![
        3 => 0u32..=1,
        6 => 2u32..=8,
        1 => 9u32..=18,
        1 => (u32::MAX - 3)..=u32::MAX,
        1 => any::<u32>(),
    ]
}

fn reference() -> impl Strategy<Value = Option<u32>> {
    prop_oneof![
        4 => proptest::option::of(0u32..4),
        1 => Just(Some(u32::MAX)),
    ]
}

fn table_op() -> impl Strategy<Value = TableOp> {
    let t = 0usize..2;
    prop_oneof![
        3 => (t.clone(), offset(), reference(), length())
            .prop_map(|(t, dst, value, len)| TableOp::Fill { t, dst, value, len }),
        4 => (t.clone(), t.clone(), offset(), offset(), length())
            .prop_map(|(dt, st, dst, src, len)| TableOp::Copy { dt, st, dst, src, len }),
        3 => (t.clone(), offset(), offset(), length())
            .prop_map(|(t, dst, src, len)| TableOp::Init { t, dst, src, len }),
        1 => Just(TableOp::Drop),
        2 => (
            t.clone(),
            reference(),
            prop_oneof![6 => 0u32..=4, 1 => Just(u32::MAX), 1 => 10_000_000u32..=u32::MAX],
        )
            .prop_map(|(t, value, delta)| TableOp::Grow { t, value, delta }),
        3 => (t, offset(), reference())
            .prop_map(|(t, index, value)| TableOp::Set { t, index, value }),
    ]
}

#[derive(Clone, Debug)]
enum MemoryOp {
    /// `MemoryInit` from data segment 0 (or the empty segment 1).
    Init {
        empty: bool,
        dst: u32,
        src: u32,
        len: u32,
    },
    Drop,
    Grow {
        delta: u32,
    },
}

/// The memory and data segment 0.
#[derive(Debug)]
struct MemoryModel {
    memory: Vec<u8>,
    segment: Vec<u8>,
}

impl MemoryModel {
    fn apply(&mut self, op: &MemoryOp) -> Outcome {
        match *op {
            MemoryOp::Init {
                empty,
                dst,
                src,
                len,
            } => {
                let segment: &[u8] = if empty { &[] } else { &self.segment };
                let from = range(src, len, segment.len()).ok_or(())?;
                let to = range(dst, len, self.memory.len()).ok_or(())?;
                let bytes = segment[from].to_vec();
                self.memory[to].copy_from_slice(&bytes);
                Ok(None)
            }
            MemoryOp::Drop => {
                self.segment.clear();
                Ok(None)
            }
            MemoryOp::Grow { delta } => {
                let pages = self.memory.len() as u64 / u64::from(PAGE);
                if pages + u64::from(delta) > 2 {
                    return Ok(Some(-1));
                }
                let new = (pages + u64::from(delta)) as usize * PAGE as usize;
                self.memory.resize(new, 0);
                Ok(Some(pages as i32))
            }
        }
    }
}

fn run_memory_op(bulk: &mut Bulk, op: &MemoryOp) -> Outcome {
    let i = |v: u32| I32(v as i32);
    let result = match *op {
        MemoryOp::Init {
            empty,
            dst,
            src,
            len,
        } => {
            let name = if empty { "minit_empty" } else { "minit" };
            bulk.run(name, &[i(dst), i(src), i(len)])
        }
        MemoryOp::Drop => bulk.run("data_drop", &[]),
        MemoryOp::Grow { delta } => bulk.run("mgrow", &[i(delta)]),
    };
    match result {
        Ok(values) => match values[..] {
            [] => Ok(None),
            [I32(old)] => Ok(Some(old)),
            ref other => panic!("{op:?} returned {other:?}"),
        },
        Err(TrapKind::OutOfBounds) => Err(()),
        Err(kind) => panic!("{op:?} trapped {kind:?}"),
    }
}

/// Memory offsets: near 0 and near the end of each possible size.
fn address() -> impl Strategy<Value = u32> {
    prop_oneof![
        3 => 0u32..=20,
        3 => (PAGE - 20)..=(PAGE + 20),
        2 => proptest::sample::select(vec![PAGE - 12, PAGE - 11, PAGE, PAGE + 1]),
        2 => (2 * PAGE - 20)..=(2 * PAGE + 20),
        1 => (u32::MAX - 3)..=u32::MAX,
        1 => any::<u32>(),
    ]
}

fn count() -> impl Strategy<Value = u32> {
    prop_oneof![
        3 => 0u32..=1,
        3 => proptest::sample::select(vec![11u32, 12, 13]),
        5 => 0u32..=14,
        1 => Just(u32::MAX),
        1 => any::<u32>(),
    ]
}

fn memory_op() -> impl Strategy<Value = MemoryOp> {
    prop_oneof![
        8 => (proptest::bool::weighted(0.1), address(), count(), count())
            .prop_map(|(empty, dst, src, len)| MemoryOp::Init { empty, dst, src, len }),
        1 => Just(MemoryOp::Drop),
        1 => prop_oneof![0u32..=2, Just(u32::MAX)].prop_map(|delta| MemoryOp::Grow { delta }),
    ]
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn table_operations_match_a_model(
        start in (
            proptest::collection::vec(proptest::option::weighted(0.9, 0u32..1000), 8),
            proptest::collection::vec(proptest::option::weighted(0.9, 0u32..1000), 5),
        ),
        ops in proptest::collection::vec(table_op(), 1..12),
    ) {
        // Mostly distinct entries to start, so that a copy in the wrong
        // direction or from the wrong place shows.
        let mut bulk = Bulk::new();
        let mut model = TableModel::new();
        for (t, entries) in [start.0, start.1].into_iter().enumerate() {
            for (index, value) in entries.into_iter().enumerate() {
                let set = TableOp::Set { t, index: index as u32, value };
                prop_assert_eq!(run_table_op(&mut bulk, &set), model.apply(&set));
            }
        }
        for (step, op) in ops.iter().enumerate() {
            let want = model.apply(op);
            let got = run_table_op(&mut bulk, op);
            prop_assert_eq!(got, want, "step {}: {:?}", step, op);
            for t in 0..2 {
                prop_assert_eq!(
                    &bulk.externs(t), &model.tables[t],
                    "table {} after step {}: {:?}", t, step, op
                );
            }
        }
    }

    #[test]
    fn memory_init_matches_a_model(ops in proptest::collection::vec(memory_op(), 1..10)) {
        let mut bulk = Bulk::new();
        let mut model = MemoryModel {
            memory: vec![0; PAGE as usize],
            segment: DATA.to_vec(),
        };
        for (step, op) in ops.iter().enumerate() {
            let want = model.apply(op);
            let got = run_memory_op(&mut bulk, op);
            prop_assert_eq!(got, want, "step {}: {:?}", step, op);
            prop_assert!(bulk.memory() == model.memory, "memory after step {}: {:?}", step, op);
        }
    }
}
