//! Store-wide resource limits ([`StoreLimits`]): the bytes of all memories,
//! the entries of all tables, and the numbers of memories, tables and
//! instances. Growing past a limit returns -1 (or a host error) and changes
//! nothing; creating past one is a resource error that creates nothing.

use crate::*;
use arenavm_vm::exec::{GrowError, MemoryId, StoreLimits, TableId};
use proptest::prelude::*;

const PAGE: u64 = 65_536;

/// A store with `limits`.
fn limited(limits: StoreLimits) -> Store {
    let mut store = store();
    store.set_limits(limits);
    store
}

/// A program with memories of `pages` pages each (unbounded), exporting
/// `grow`, `size`, `store` and `load` on memory 0 when it has one.
fn with_memories(pages: &[u32]) -> Program<Label> {
    let mut p = ProgramBuilder::new();
    for &n in pages {
        p.memory(mem(n, None));
    }
    if !pages.is_empty() {
        p.function(memory_grow("grow"));
        p.function(memory_size("size"));
        p.function(store_i32("store"));
        p.function(load_i32("load"));
    }
    p.finish()
}

/// A program with a table of `entries` null function references,
/// exporting it as `table`, `grow(delta) -> old or -1` and `size() ->
/// entries`.
fn with_table(entries: u32) -> Program<Label> {
    let mut p = ProgramBuilder::new();
    p.table(TableDecl {
        min: entries,
        ..TableDecl::default()
    });
    let mut grow = FunctionBuilder::new("grow", &[Type::I32], &[Type::I32]);
    let (delta, out, null) = (
        grow.param(0),
        grow.scalar(ScalarType::I32),
        grow.scalar(ScalarType::FuncRef),
    );
    grow.push(Instr::RefNull { dst: null });
    grow.push(Instr::TableGrow {
        dst: out,
        table: 0,
        init: null,
        delta,
    });
    grow.ret(&[out]);
    p.function(grow);
    let mut size = FunctionBuilder::new("size", &[], &[Type::I32]);
    let out = size.scalar(ScalarType::I32);
    size.push(Instr::TableSize { dst: out, table: 0 });
    size.ret(&[out]);
    p.function(size);
    p.export("table", ExternItem::Table(0));
    p.finish()
}

fn i32_of(result: Result<Vec<Val>, InvokeError>) -> i32 {
    match result.as_deref() {
        Ok([Val::I32(v)]) => *v,
        other => panic!("expected one i32, got {other:?}"),
    }
}

/// The resource error of a failed instantiation.
#[track_caller]
fn resource_error(result: Result<InstanceId, InstantiateError>) -> String {
    match result {
        Err(InstantiateError::Resource(m)) => m,
        other => panic!("expected a resource error, got {other:?}"),
    }
}

fn try_instantiate(
    store: &mut Store,
    program: &Program<Label>,
) -> Result<InstanceId, InstantiateError> {
    store.instantiate(rc(program), &Imports::default(), &ExecConfig::default())
}

#[test]
fn limits_default_to_unlimited_and_are_kept() {
    let mut store = store();
    assert_eq!(store.limits(), StoreLimits::default());
    assert_eq!(StoreLimits::default().memory_bytes, None);
    let limits = StoreLimits {
        memory_bytes: Some(PAGE),
        instances: Some(3),
        ..StoreLimits::default()
    };
    store.set_limits(limits);
    assert_eq!(store.limits(), limits);
}

#[test]
fn memory_grow_past_the_byte_limit_returns_minus_one_and_changes_nothing() {
    let mut store = limited(StoreLimits {
        memory_bytes: Some(2 * PAGE),
        ..StoreLimits::default()
    });
    let a = instantiate(&mut store, &with_memories(&[1]), &Imports::default());
    call(
        &mut store,
        a,
        "store",
        &[Val::I32(100), Val::I32(0x1234_5678)],
    )
    .unwrap();
    assert_eq!(store.memory_bytes(), PAGE);
    assert_eq!(i32_of(call(&mut store, a, "grow", &[Val::I32(2)])), -1);
    assert_eq!(i32_of(call(&mut store, a, "grow", &[Val::I32(1)])), 1);
    assert_eq!(store.memory_bytes(), 2 * PAGE);
    assert_eq!(i32_of(call(&mut store, a, "grow", &[Val::I32(1)])), -1);
    assert_eq!(i32_of(call(&mut store, a, "size", &[])), 2);
    assert_eq!(store.memory_bytes(), 2 * PAGE);
    assert_eq!(
        i32_of(call(&mut store, a, "load", &[Val::I32(100)])),
        0x1234_5678
    );
    // Growing by nothing is always within the limit.
    assert_eq!(i32_of(call(&mut store, a, "grow", &[Val::I32(0)])), 2);
}

#[test]
fn a_module_over_the_byte_limit_fails_to_instantiate_and_leaves_the_totals() {
    let mut store = limited(StoreLimits {
        memory_bytes: Some(3 * PAGE),
        ..StoreLimits::default()
    });
    let before = snapshot(&store);
    // The first memory fits, the second does not: both are undone.
    let message = resource_error(try_instantiate(&mut store, &with_memories(&[2, 2])));
    assert!(message.contains("memory_bytes"), "{message}");
    assert!(message.contains(&(2 * PAGE).to_string()), "{message}");
    assert!(message.contains(&(3 * PAGE).to_string()), "{message}");
    assert_eq!(store.memory_bytes(), 0);
    assert_eq!(snapshot(&store), before);
    let a = instantiate(&mut store, &with_memories(&[1, 2]), &Imports::default());
    assert_eq!(store.memory_bytes(), 3 * PAGE);
    assert_eq!(i32_of(call(&mut store, a, "size", &[])), 1);
}

#[test]
fn a_failed_table_undoes_the_memory_bytes_before_it() {
    let mut store = limited(StoreLimits {
        memory_bytes: Some(PAGE),
        table_elements: Some(5),
        ..StoreLimits::default()
    });
    let mut program = with_table(6);
    program.memories.push(mem(1, None));
    let message = resource_error(try_instantiate(&mut store, &program));
    assert!(message.contains("table_elements"), "{message}");
    assert!(message.contains("limit of 5"), "{message}");
    assert_eq!((store.memory_bytes(), store.table_elements()), (0, 0));
    let mut program = with_table(5);
    program.memories.push(mem(1, None));
    instantiate(&mut store, &program, &Imports::default());
    assert_eq!((store.memory_bytes(), store.table_elements()), (PAGE, 5));
}

#[test]
fn table_grow_past_the_element_limit_returns_minus_one() {
    let mut store = limited(StoreLimits {
        table_elements: Some(4),
        ..StoreLimits::default()
    });
    let a = instantiate(&mut store, &with_table(1), &Imports::default());
    let Some(Extern::Table(table)) = store.export(a, "table") else {
        panic!("no table export");
    };
    assert_eq!(i32_of(call(&mut store, a, "grow", &[Val::I32(4)])), -1);
    assert_eq!(i32_of(call(&mut store, a, "grow", &[Val::I32(3)])), 1);
    assert_eq!(store.table_elements(), 4);
    assert_eq!(i32_of(call(&mut store, a, "grow", &[Val::I32(1)])), -1);
    assert_eq!(i32_of(call(&mut store, a, "size", &[])), 4);
    assert_eq!(store.table_elements(), 4);
    assert_eq!(store.table_get(table, 3), Some(Val::FuncRef(None)));
    assert_eq!(store.table_get(table, 4), None);
}

#[test]
fn count_limits_refuse_one_more_memory_table_or_instance() {
    let mut store = limited(StoreLimits {
        memories: Some(1),
        tables: Some(1),
        instances: Some(1),
        ..StoreLimits::default()
    });
    store.alloc_memory(mem(0, None)).unwrap();
    let message = store.alloc_memory(mem(0, None)).unwrap_err();
    assert!(
        message.contains("memories") && message.contains("limit is 1"),
        "{message}"
    );
    let funcs = TableDecl::default();
    store.alloc_table(&funcs, Val::FuncRef(None)).unwrap();
    let message = store.alloc_table(&funcs, Val::FuncRef(None)).unwrap_err();
    assert!(
        message.contains("tables") && message.contains("limit is 1"),
        "{message}"
    );
    // A program defining a memory or a table is refused too.
    let message = resource_error(try_instantiate(&mut store, &with_memories(&[0])));
    assert!(message.contains("memories"), "{message}");
    let message = resource_error(try_instantiate(&mut store, &with_table(0)));
    assert!(message.contains("tables"), "{message}");
    instantiate(&mut store, &with_memories(&[]), &Imports::default());
    let message = resource_error(try_instantiate(&mut store, &with_memories(&[])));
    assert!(
        message.contains("instances") && message.contains("limit is 1"),
        "{message}"
    );
}

#[test]
fn limits_apply_across_instances_of_one_store() {
    let mut store = limited(StoreLimits {
        memory_bytes: Some(3 * PAGE),
        ..StoreLimits::default()
    });
    let a = instantiate(&mut store, &with_memories(&[2]), &Imports::default());
    resource_error(try_instantiate(&mut store, &with_memories(&[2])));
    let b = instantiate(&mut store, &with_memories(&[1]), &Imports::default());
    assert_eq!(store.memory_bytes(), 3 * PAGE);
    // Neither may grow now: the two memories sum to the limit.
    assert_eq!(i32_of(call(&mut store, a, "grow", &[Val::I32(1)])), -1);
    assert_eq!(i32_of(call(&mut store, b, "grow", &[Val::I32(1)])), -1);
    // Raising the limit lets them.
    store.set_limits(StoreLimits {
        memory_bytes: Some(4 * PAGE),
        ..StoreLimits::default()
    });
    assert_eq!(i32_of(call(&mut store, b, "grow", &[Val::I32(1)])), 1);
    assert_eq!(i32_of(call(&mut store, a, "grow", &[Val::I32(1)])), -1);
}

#[test]
fn host_grows_and_allocations_obey_the_limits() {
    let mut store = limited(StoreLimits {
        memory_bytes: Some(2 * PAGE),
        table_elements: Some(3),
        ..StoreLimits::default()
    });
    let m = store.alloc_memory(mem(1, Some(10))).unwrap();
    assert!(
        store
            .alloc_memory(mem(2, None))
            .unwrap_err()
            .contains("memory_bytes")
    );
    assert_eq!(store.grow_memory(m, 1), Ok(1));
    assert!(matches!(store.grow_memory(m, 1), Err(GrowError::Limit(_))));
    assert_eq!(store.memory_pages(m), Some((2, 10)));
    assert_eq!(store.memory_bytes(), 2 * PAGE);
    let t = store
        .alloc_table(
            &TableDecl {
                min: 2,
                ..TableDecl::default()
            },
            Val::FuncRef(None),
        )
        .unwrap();
    assert_eq!(store.grow_table(t, 1, Val::FuncRef(None)), Ok(2));
    assert!(matches!(
        store.grow_table(t, 1, Val::FuncRef(None)),
        Err(GrowError::Limit(_))
    ));
    assert_eq!(store.table_type(t).1, 3);
    assert_eq!(store.table_elements(), 3);
    // Past a declared maximum is still refused as such.
    store.set_limits(StoreLimits::default());
    assert!(matches!(
        store.grow_memory(m, 9),
        Err(GrowError::Refused(_))
    ));
    assert_eq!(store.memory_bytes(), 2 * PAGE);
}

/// One step of the model test.
#[derive(Clone, Debug)]
enum Op {
    AllocMemory(u32),
    GrowMemory(usize, u32),
    AllocTable(u32),
    GrowTable(usize, u32),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..4u32).prop_map(Op::AllocMemory),
        (any::<usize>(), 0..4u32).prop_map(|(i, d)| Op::GrowMemory(i, d)),
        (0..8u32).prop_map(Op::AllocTable),
        (any::<usize>(), 0..8u32).prop_map(|(i, d)| Op::GrowTable(i, d)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Against a model (sizes of each memory and table, and the limits):
    /// each step succeeds exactly when the model says it fits, the totals
    /// never exceed the limits, and a refusal leaves every size as it was.
    #[test]
    fn random_allocations_and_grows_never_exceed_the_limits(
        page_limit in 0..8u64,
        entry_limit in 0..16u64,
        count_limit in 0..4usize,
        ops in proptest::collection::vec(op(), 0..40),
    ) {
        let limits = StoreLimits {
            memory_bytes: Some(page_limit * PAGE),
            table_elements: Some(entry_limit),
            memories: Some(count_limit),
            tables: Some(count_limit),
            instances: None,
        };
        let mut store = limited(limits);
        // Each memory and table with its size (pages, entries).
        let mut memories: Vec<(MemoryId, u64)> = Vec::new();
        let mut tables: Vec<(TableId, u64)> = Vec::new();
        let null = Val::FuncRef(None);
        for op in ops {
            let pages: u64 = memories.iter().map(|m| m.1).sum();
            let entries: u64 = tables.iter().map(|t| t.1).sum();
            match op {
                Op::AllocMemory(n) => {
                    let fits = memories.len() < count_limit && pages + u64::from(n) <= page_limit;
                    let result = store.alloc_memory(mem(n, None));
                    prop_assert_eq!(result.is_ok(), fits, "{:?}", result);
                    if let Ok(m) = result {
                        memories.push((m, u64::from(n)));
                    }
                }
                Op::GrowMemory(i, d) if !memories.is_empty() => {
                    let len = memories.len();
                    let m = &mut memories[i % len];
                    let fits = pages + u64::from(d) <= page_limit;
                    let result = store.grow_memory(m.0, d);
                    if fits {
                        prop_assert_eq!(result, Ok(m.1 as u32));
                        m.1 += u64::from(d);
                    } else {
                        prop_assert!(matches!(result, Err(GrowError::Limit(_))));
                    }
                }
                Op::AllocTable(n) => {
                    let fits = tables.len() < count_limit && entries + u64::from(n) <= entry_limit;
                    let decl = TableDecl { min: n, ..TableDecl::default() };
                    let result = store.alloc_table(&decl, null);
                    prop_assert_eq!(result.is_ok(), fits, "{:?}", result);
                    if let Ok(t) = result {
                        tables.push((t, u64::from(n)));
                    }
                }
                Op::GrowTable(i, d) if !tables.is_empty() => {
                    let len = tables.len();
                    let t = &mut tables[i % len];
                    let fits = entries + u64::from(d) <= entry_limit;
                    let result = store.grow_table(t.0, d, null);
                    if fits {
                        prop_assert_eq!(result, Ok(t.1 as u32));
                        t.1 += u64::from(d);
                    } else {
                        prop_assert!(matches!(result, Err(GrowError::Limit(_))));
                    }
                }
                Op::GrowMemory(..) | Op::GrowTable(..) => {}
            }
            for &(m, n) in &memories {
                prop_assert_eq!(store.memory_pages(m).map(|p| u64::from(p.0)), Some(n));
            }
            for &(t, n) in &tables {
                prop_assert_eq!(u64::from(store.table_type(t).1), n);
            }
            let pages: u64 = memories.iter().map(|m| m.1).sum();
            let entries: u64 = tables.iter().map(|t| t.1).sum();
            prop_assert_eq!(store.memory_bytes(), pages * PAGE);
            prop_assert_eq!(store.table_elements(), entries);
            prop_assert!(pages <= page_limit && entries <= entry_limit);
        }
    }
}
