//! Two programs in one store: the consumer reaches the provider's
//! functions, memory, table and global through its imports, and what one
//! instance changes the other sees.

use crate::common::*;
use crate::{call, func, link, linked, store};
use arenavm_vm::exec::{ExecConfig, Extern, TrapKind};
use arenavm_vm::program::Val::{FuncRef, I32, I64};

#[test]
fn an_imported_function_runs_in_its_own_instance_and_returns_its_results() {
    let (mut store, a, b) = linked();
    assert_vals(
        &expect_ok(call(&mut store, b, "b_add1", &[I64(41)])),
        &[I64(42)],
        "b_add1 through a.add1",
    );
    // Calling a's function directly gives the same.
    assert_vals(
        &expect_ok(call(&mut store, a, "a_add1", &[I64(-1)])),
        &[I64(0)],
        "a_add1",
    );
}

#[test]
fn a_trap_inside_an_imported_function_names_that_function() {
    let (mut store, _, b) = linked();
    let trap = expect_trap(call(&mut store, b, "b_boom", &[]));
    assert_eq!(trap.kind, TrapKind::Unreachable);
    assert_eq!(trap.function, "a_boom", "the provider's function trapped");
    assert_eq!(trap.instruction, 1);
    // The store stays usable, in both instances.
    assert_vals(
        &expect_ok(call(&mut store, b, "b_add1", &[I64(1)])),
        &[I64(2)],
        "after the trap",
    );
}

#[test]
fn an_imported_memory_is_one_memory() {
    let (mut store, a, b) = linked();
    expect_ok(call(&mut store, b, "b_store", &[I32(8), I32(0x1234_5678)]));
    assert_vals(
        &expect_ok(call(&mut store, a, "a_load", &[I32(8)])),
        &[I32(0x1234_5678)],
        "a reads what b wrote",
    );
    expect_ok(call(&mut store, a, "a_store", &[I32(65532), I32(-7)]));
    assert_vals(
        &expect_ok(call(&mut store, b, "b_load", &[I32(65532)])),
        &[I32(-7)],
        "b reads what a wrote",
    );
    // Growth by one instance is seen by the other, and bounds move with it.
    let trap = expect_trap(call(&mut store, b, "b_load", &[I32(65536)]));
    assert_eq!(trap.kind, TrapKind::OutOfBounds);
    assert_vals(
        &expect_ok(call(&mut store, a, "a_grow", &[I32(1)])),
        &[I32(1)],
        "old size",
    );
    assert_vals(
        &expect_ok(call(&mut store, b, "b_size", &[])),
        &[I32(2)],
        "b sees the new size",
    );
    expect_ok(call(&mut store, b, "b_store", &[I32(65536), I32(99)]));
    assert_vals(
        &expect_ok(call(&mut store, a, "a_load", &[I32(65536)])),
        &[I32(99)],
        "in the new page",
    );
    // The host sees the same bytes through the store.
    let Some(Extern::Memory(m)) = store.export(a, "mem") else {
        panic!("mem is a memory")
    };
    assert_eq!(store.instance_memory(b, 0), Some(m));
    assert_eq!(store.memory_pages(m), Some((2, 3)));
    let bytes = store
        .heap()
        .get::<arenavm_vm::arenas::Bytes>(store.memory_cell(m))
        .unwrap()
        .as_slice()[8..12]
        .to_vec();
    assert_eq!(bytes, 0x1234_5678u32.to_le_bytes());
}

#[test]
fn an_imported_table_is_one_table_for_indirect_calls_both_ways() {
    let (mut store, a, b) = linked();
    // b's indirect call reaches a's function in a's table.
    assert_vals(
        &expect_ok(call(&mut store, b, "b_call_slot", &[I32(0), I64(9)])),
        &[I64(10)],
        "b calls a_add1 through the table",
    );
    // b puts its own function in the table; a's indirect call reaches it.
    expect_ok(call(&mut store, b, "b_put", &[I32(2)]));
    assert_vals(
        &expect_ok(call(&mut store, a, "a_call_slot", &[I32(2), I64(5)])),
        &[I64(15)],
        "a calls b_times3 through the table",
    );
    assert_vals(
        &expect_ok(call(&mut store, b, "b_call_slot", &[I32(2), I64(5)])),
        &[I64(15)],
        "and so does b",
    );
    // Entry 1 is `a_boom: () -> ()`: both callers check its type.
    for (inst, name) in [(a, "a_call_slot"), (b, "b_call_slot")] {
        let trap = expect_trap(call(&mut store, inst, name, &[I32(1), I64(0)]));
        assert_eq!(trap.kind, TrapKind::IndirectCallSignatureMismatch, "{name}");
        assert_eq!(trap.function, name);
        let trap = expect_trap(call(&mut store, inst, name, &[I32(3), I64(0)]));
        assert_eq!(trap.kind, TrapKind::NullElement, "{name}");
        let trap = expect_trap(call(&mut store, inst, name, &[I32(4), I64(0)]));
        assert_eq!(trap.kind, TrapKind::OutOfBounds, "{name}");
    }
    // The host sees the same entries.
    let Some(Extern::Table(t)) = store.export(a, "table") else {
        panic!("table is a table")
    };
    let times3 = func(&store, b, "b_times3");
    assert_eq!(store.table_get(t, 2), Some(FuncRef(Some(times3.index()))));
    assert_eq!(store.table_get(t, 3), Some(FuncRef(None)));
    assert_eq!(store.table_get(t, 4), None);
}

#[test]
fn an_imported_mutable_global_is_one_global() {
    let (mut store, a, b) = linked();
    assert_vals(
        &expect_ok(call(&mut store, b, "b_counter", &[])),
        &[I64(10)],
        "initial value",
    );
    expect_ok(call(&mut store, b, "b_set_counter", &[I64(-3)]));
    assert_vals(
        &expect_ok(call(&mut store, a, "a_counter", &[])),
        &[I64(-3)],
        "a sees b's write",
    );
    expect_ok(call(&mut store, a, "a_set_counter", &[I64(77)]));
    assert_vals(
        &expect_ok(call(&mut store, b, "b_counter", &[])),
        &[I64(77)],
        "b sees a's write",
    );
    let Some(Extern::Global(g)) = store.export(a, "counter") else {
        panic!("counter is a global")
    };
    assert_eq!(store.global_get(g), I64(77), "the host sees it");
    store.global_set(g, I64(5)).unwrap();
    for (inst, name) in [(a, "a_counter"), (b, "b_counter")] {
        assert_vals(
            &expect_ok(call(&mut store, inst, name, &[])),
            &[I64(5)],
            "after the host's write",
        );
    }
}

#[test]
fn a_function_reference_names_one_function_wherever_it_travels() {
    let (mut store, a, b) = linked();
    let add1 = func(&store, a, "a_add1");
    assert_eq!(store.export(a, "add1"), Some(Extern::Func(add1)));
    // A re-exported import is the provider's function itself.
    assert_eq!(store.export(b, "add1_again"), Some(Extern::Func(add1)));
    // `RefImport` in b gives the provider's function's reference.
    let got = expect_ok(call(&mut store, b, "b_ref_add1", &[]));
    assert_eq!(got, [FuncRef(Some(add1.index()))]);
    assert_eq!(store.func_name(add1), "a_add1");
    assert_eq!(store.func_type(add1), crate::unary_i64());
    // Invoking it by that reference runs it.
    let id = store.instance_func(a, 0).unwrap();
    assert_eq!(id, add1);
    assert_eq!(
        store.invoke(id, &[I64(1)], &ExecConfig::default()),
        Ok(vec![I64(2)])
    );
}

#[test]
fn two_consumers_of_one_provider_share_its_state() {
    let (mut store, a, b) = linked();
    let imports = link(&store, a, &crate::CONSUMER_IMPORTS);
    let c = crate::instantiate(&mut store, &crate::consumer(), &imports);
    expect_ok(call(&mut store, b, "b_set_counter", &[I64(123)]));
    assert_vals(
        &expect_ok(call(&mut store, c, "b_counter", &[])),
        &[I64(123)],
        "c sees b's write through a's global",
    );
    expect_ok(call(&mut store, c, "b_put", &[I32(3)]));
    // b calls c's `b_times3` (a different store function from b's own).
    assert_ne!(func(&store, b, "b_times3"), func(&store, c, "b_times3"));
    assert_vals(
        &expect_ok(call(&mut store, b, "b_call_slot", &[I32(3), I64(2)])),
        &[I64(6)],
        "b calls c's function",
    );
}

#[test]
fn instances_in_different_stores_share_nothing() {
    let (mut one, a1, b1) = linked();
    let (mut two, _, b2) = linked();
    expect_ok(call(&mut one, b1, "b_set_counter", &[I64(1)]));
    expect_ok(call(&mut two, b2, "b_set_counter", &[I64(2)]));
    assert_vals(
        &expect_ok(call(&mut one, a1, "a_counter", &[])),
        &[I64(1)],
        "store one",
    );
    let empty = store();
    assert!(format!("{empty:?}").contains("instances: 0"));
}
