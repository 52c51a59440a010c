//! References of both types: null and non-null values through tables,
//! `RefNull`/`RefIsNull`, `TableGrow` with an initial value, and bulk
//! operations on a table of function references that `CallIndirect` then
//! calls.

use crate::*;
use arenavm_vm::exec::Instance;
use arenavm_vm::program::Val::{ExternRef, FuncRef, I32, I64};

#[test]
fn extern_tables_grow_with_their_initial_value_up_to_their_maximum() {
    let mut bulk = Bulk::new();
    assert_eq!(bulk.run("size0", &[]), Ok(vec![I32(8)]));
    assert_eq!(
        bulk.run("grow0", &[ExternRef(Some(4)), I32(3)]),
        Ok(vec![I32(8)]),
        "the old size"
    );
    assert_eq!(bulk.run("size0", &[]), Ok(vec![I32(11)]));
    assert_eq!(bulk.externs(0)[7..], [None, Some(4), Some(4), Some(4)]);
    assert_eq!(
        bulk.run("grow0", &[ExternRef(None), I32(0)]),
        Ok(vec![I32(11)]),
        "growing by nothing"
    );
    // Past the maximum of 16: refused, unchanged.
    assert_eq!(
        bulk.run("grow0", &[ExternRef(Some(1)), I32(6)]),
        Ok(vec![I32(-1)])
    );
    assert_eq!(bulk.externs(0).len(), 11);
    assert_eq!(
        bulk.run("grow0", &[ExternRef(Some(5)), I32(5)]),
        Ok(vec![I32(11)]),
        "exactly to the maximum"
    );
    assert_eq!(
        bulk.store.table_type(bulk.tables[0]),
        (ScalarType::ExternRef, 16, Some(16))
    );
    assert_eq!(bulk.run("get0", &[I32(15)]), Ok(vec![ExternRef(Some(5))]));
    // Without a declared maximum a table still has a limit.
    assert_eq!(
        bulk.run("grow1", &[ExternRef(None), I32(-1)]),
        Ok(vec![I32(-1)])
    );
    assert_eq!(
        bulk.run("grow1", &[ExternRef(None), I32(20_000_000)]),
        Ok(vec![I32(-1)])
    );
    assert_eq!(bulk.externs(1).len(), 5);
    // Grown entries take part in bulk operations like the others.
    assert_eq!(
        bulk.run("grow1", &[ExternRef(Some(9)), I32(2)]),
        Ok(vec![I32(5)])
    );
    assert_eq!(bulk.bulk("copy01", [0, 5, 2]), Ok(()));
    assert_eq!(bulk.externs(0)[..3], [Some(9), Some(9), None]);
}

/// `null_{type}() -> type`, `is_null_{type}(x: type) -> i32`, and
/// `pick(c: i32, a: externref, b: externref)` selecting between two
/// extern references, for both reference types.
fn nulls() -> arenavm_vm::VerifiedProgram {
    let mut functions = Vec::new();
    for (name, ty) in [
        ("extern", ScalarType::ExternRef),
        ("func", ScalarType::FuncRef),
    ] {
        let mut null = FunctionBuilder::new(format!("null_{name}"), &[], &[ty.into()]);
        let r = null.scalar(ty);
        null.push(Instr::RefNull { dst: r });
        null.ret(&[r]);
        functions.push(null);
        let mut is_null =
            FunctionBuilder::new(format!("is_null_{name}"), &[ty.into()], &[Type::I32]);
        let (x, out) = (is_null.param(0), is_null.scalar(ScalarType::I32));
        is_null.push(Instr::RefIsNull { dst: out, value: x });
        is_null.ret(&[out]);
        functions.push(is_null);
    }
    let mut pick = FunctionBuilder::new(
        "pick",
        &[Type::I32, Type::ExternRef, Type::ExternRef],
        &[Type::ExternRef],
    );
    let (c, a, b) = (pick.param(0), pick.param(1), pick.param(2));
    let out = pick.scalar(ScalarType::ExternRef);
    pick.push(Instr::Select {
        dst: out,
        cond: c,
        a,
        b,
    });
    pick.ret(&[out]);
    functions.push(pick);
    verified(&program(functions, &[]))
}

#[test]
fn ref_null_and_ref_is_null_on_both_reference_types() {
    let program = nulls();
    let mut instance = Instance::new(&program, Default::default()).unwrap();
    let mut run = |name: &str, args: &[Val]| {
        instance
            .invoke_by_name(name, args, &ExecConfig::default())
            .unwrap()
    };
    assert_eq!(run("null_extern", &[]), [ExternRef(None)]);
    assert_eq!(run("null_func", &[]), [FuncRef(None)]);
    for (v, null) in [(None, 1), (Some(0), 0), (Some(u32::MAX), 0)] {
        assert_eq!(run("is_null_extern", &[ExternRef(v)]), [I32(null)], "{v:?}");
    }
    // Function 0 exists; a reference to it is not null.
    for (v, null) in [(None, 1), (Some(0), 0), (Some(4), 0)] {
        assert_eq!(run("is_null_func", &[FuncRef(v)]), [I32(null)], "{v:?}");
    }
    let (a, b) = (ExternRef(Some(1)), ExternRef(None));
    assert_eq!(run("pick", &[I32(1), a, b]), [a]);
    assert_eq!(run("pick", &[I32(0), a, b]), [b]);
}

#[test]
fn bulk_operations_on_a_function_table_feed_indirect_calls() {
    let mut bulk = Bulk::new();
    let names = ["one", "two", "three"];
    let ids = names.map(|n| bulk.func(n));
    let reference = |bulk: &mut Bulk, k: i32| match bulk.run("ref", &[I32(k)]).unwrap()[..] {
        [v] => v,
        ref other => panic!("{other:?}"),
    };
    for k in 0..3 {
        assert_eq!(reference(&mut bulk, k), FuncRef(Some(ids[k as usize])));
    }
    assert_eq!(bulk.run("call2", &[I32(1)]), Ok(vec![I64(2)]));
    assert_eq!(bulk.run("call2", &[I32(2)]), Err(TrapKind::NullElement));
    // Fill entries 2 and 3 with `three`: exactly to the end.
    let three = reference(&mut bulk, 2);
    let fill = |bulk: &mut Bulk, dst: i32, f: Val, len: i32| {
        bulk.run("fill2", &[I32(dst), f, I32(len)]).map(drop)
    };
    assert_eq!(fill(&mut bulk, 2, three, 2), Ok(()));
    assert_eq!(bulk.run("call2", &[I32(3)]), Ok(vec![I64(3)]));
    assert_eq!(fill(&mut bulk, 3, three, 2), Err(TrapKind::OutOfBounds));
    // Copy within the table, overlapping: [one two three three] -> [two three three three].
    assert_eq!(bulk.bulk("copy22", [0, 1, 3]), Ok(()));
    assert_eq!(bulk.funcs(), [ids[1], ids[2], ids[2], ids[2]].map(Some));
    // Init from segment 1, `[two, three]`.
    assert_eq!(bulk.bulk("init2", [2, 0, 2]), Ok(()));
    assert_eq!(bulk.bulk("init2", [0, 1, 1]), Ok(()));
    assert_eq!(bulk.funcs(), [ids[2], ids[2], ids[1], ids[2]].map(Some));
    assert_eq!(bulk.bulk("init2", [3, 0, 2]), Err(TrapKind::OutOfBounds));
    assert_eq!(bulk.funcs(), [ids[2], ids[2], ids[1], ids[2]].map(Some));
    let calls: Vec<_> = (0..4)
        .map(|i| bulk.run("call2", &[I32(i)]).unwrap())
        .collect();
    assert_eq!(calls, [[I64(3)], [I64(3)], [I64(2)], [I64(3)]]);
    // Null entries written by a fill trap when called.
    assert_eq!(fill(&mut bulk, 0, FuncRef(None), 4), Ok(()));
    assert_eq!(bulk.funcs(), [None; 4]);
    assert_eq!(bulk.run("call2", &[I32(0)]), Err(TrapKind::NullElement));
    assert_eq!(bulk.run("get2", &[I32(0)]), Ok(vec![FuncRef(None)]));
}
