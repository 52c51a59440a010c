//! `ReturnCallIndirect` across instances and into host functions: the
//! frame is reused whichever instance the callee belongs to, results reach
//! the right caller, and a host function in tail position returns at once.

use crate::*;
use arenavm_vm::exec::TrapKind;
use arenavm_vm::program::Val::I64;
use arenavm_vm::program::{ElemSegment, SegmentMode};

/// `name(n: i64) -> i64`: `n == 0 ? done : table[slot](n - 1)` as a tail
/// call through table 0 and type 0.
fn step(name: &str, slot: i32, done: i64) -> FunctionBuilder {
    let mut f = FunctionBuilder::new(name, &[Type::I64], &[Type::I64]);
    let n = f.param(0);
    let (zero, one, result) = (
        i64_const(&mut f, 0),
        i64_const(&mut f, 1),
        i64_const(&mut f, done),
    );
    let index = i32_const(&mut f, slot);
    let finish = f.label();
    f.push(Instr::BrI64Eq {
        a: n,
        b: zero,
        target: finish,
    });
    f.push(Instr::I64Sub {
        dst: n,
        a: n,
        b: one,
    });
    let args = f.list(&[n]);
    f.push(Instr::ReturnCallIndirect {
        table: 0,
        index,
        sig: 0,
        args,
    });
    f.bind(finish);
    f.ret(&[result]);
    f
}

/// `name(x: i64) -> i64 = callee(x) + 1`, a plain call.
fn plus_one_after(name: &str, callee: u32) -> FunctionBuilder {
    let mut f = FunctionBuilder::new(name, &[Type::I64], &[Type::I64]);
    let (x, out) = (f.param(0), f.scalar(ScalarType::I64));
    f.call(callee, &[x], &[out]);
    let one = i64_const(&mut f, 1);
    f.push(Instr::I64Add {
        dst: out,
        a: out,
        b: one,
    });
    f.ret(&[out]);
    f
}

/// `name(x: i64) -> i64`: tail-calls entry `slot` of table 0.
fn tail_through(name: &str, slot: i32) -> FunctionBuilder {
    let mut f = FunctionBuilder::new(name, &[Type::I64], &[Type::I64]);
    let x = f.param(0);
    let index = i32_const(&mut f, slot);
    let args = f.list(&[x]);
    f.push(Instr::ReturnCallIndirect {
        table: 0,
        index,
        sig: 0,
        args,
    });
    f
}

/// Instance `a` exports a table of 6 whose entry 0 is `a_step` (ends with
/// 1000); instance `b` imports it and, by an active element segment, puts
/// `b_step` (ends with 2000) in entry 1, the host's `env.triple` in entry
/// 2 and `b_nullary` (of another type) in entry 4.
fn ping_pong() -> (Store, InstanceId, InstanceId) {
    let mut store = store();
    let triple = store
        .define_host("env.triple", unary_i64(), |_, args| match args {
            [I64(x)] => Ok(vec![I64(3 * x)]),
            _ => Err("bad".into()),
        })
        .unwrap();
    let mut a = ProgramBuilder::new();
    a.func_type(unary_i64());
    a.table(TableDecl {
        min: 6,
        elements: vec![Some(0)],
        ..TableDecl::default()
    });
    a.function(step("a_step", 1, 1000));
    a.function(plus_one_after("a_outer", 0));
    a.export("table", ExternItem::Table(0));
    let a = instantiate(&mut store, &a.finish(), &Imports::default());

    let mut b = ProgramBuilder::new();
    b.func_type(unary_i64());
    b.function(step("b_step", 0, 2000));
    b.function(tail_through("b_tail_host", 2));
    b.function(plus_one_after("b_outer_host", 1));
    b.function(tail_through("b_tail_null", 3));
    b.function(tail_through("b_tail_wrong", 4));
    let mut nullary = FunctionBuilder::new("b_nullary", &[], &[]);
    nullary.ret(&[]);
    b.function(nullary);
    let mut b = b.finish();
    b.imports
        .push(func_import("triple", &[Type::I64], &[Type::I64]));
    b.table_imports
        .push(table_import("table", ScalarType::FuncRef, 6, None));
    b.elements.push(ElemSegment {
        ty: ScalarType::FuncRef,
        items: vec![expr(ConstOp::RefFunc(0)), expr(ConstOp::RefImport(0))],
        mode: active(0, 1),
    });
    b.elements.push(ElemSegment {
        ty: ScalarType::FuncRef,
        items: vec![expr(ConstOp::RefFunc(5))],
        mode: SegmentMode::Active {
            index: 0,
            offset: expr(ConstOp::I32(4)),
        },
    });
    let imports = Imports {
        funcs: vec![triple],
        tables: link(&store, a, &["table"]).tables,
        ..Imports::default()
    };
    let b = instantiate(&mut store, &b, &imports);
    (store, a, b)
}

#[test]
fn tail_calls_alternate_between_instances_without_growing_the_stack() {
    let (mut store, a, b) = ping_pong();
    let shallow = ExecConfig {
        max_call_depth: 2,
        ..ExecConfig::default()
    };
    for (n, want) in [(0, 1000), (1, 2000), (2, 1000), (100_001, 2000)] {
        let f = func(&store, a, "a_step");
        assert_eq!(
            store.invoke(f, &[I64(n)], &shallow),
            Ok(vec![I64(want)]),
            "a_step({n})"
        );
        let f = func(&store, b, "b_step");
        let want = if want == 1000 { 2000 } else { 1000 };
        assert_eq!(
            store.invoke(f, &[I64(n)], &shallow),
            Ok(vec![I64(want)]),
            "b_step({n})"
        );
    }
    // Under a plain call, the chain's result returns to a frame of the
    // caller's instance whichever instance ended it.
    assert_eq!(
        call(&mut store, a, "a_outer", &[I64(7)]),
        Ok(vec![I64(2001)])
    );
    assert_eq!(
        call(&mut store, a, "a_outer", &[I64(8)]),
        Ok(vec![I64(1001)])
    );
}

#[test]
fn a_host_function_in_tail_position_returns_at_once() {
    let (mut store, _, b) = ping_pong();
    assert_eq!(
        call(&mut store, b, "b_tail_host", &[I64(5)]),
        Ok(vec![I64(15)])
    );
    assert_eq!(
        call(&mut store, b, "b_outer_host", &[I64(5)]),
        Ok(vec![I64(16)]),
        "the host's result reaches the caller's frame"
    );
}

#[test]
fn tail_calls_through_a_table_check_the_entry() {
    let (mut store, _, b) = ping_pong();
    let trap = expect_trap(call(&mut store, b, "b_tail_null", &[I64(0)]));
    assert_eq!(trap.kind, TrapKind::NullElement);
    assert_eq!(trap.function, "b_tail_null");
    let trap = expect_trap(call(&mut store, b, "b_tail_wrong", &[I64(0)]));
    assert_eq!(trap.kind, TrapKind::IndirectCallSignatureMismatch);
    assert!(trap.detail.unwrap().contains("b_nullary"));
    // Still usable.
    assert_eq!(
        call(&mut store, b, "b_tail_host", &[I64(-2)]),
        Ok(vec![I64(-6)])
    );
}
