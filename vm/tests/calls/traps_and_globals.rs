//! Traps leaving the instance usable, globals, and host-side invocation
//! errors.

use crate::common::*;
use crate::{count, mix};
use arenavm_vm::builder::{FunctionBuilder, ProgramBuilder};
use arenavm_vm::exec::{ExecConfig, Instance, InvokeError, TrapKind};
use arenavm_vm::isa::Instr;
use arenavm_vm::program::Val::{F32, F64, FuncRef, I32, I64};
use arenavm_vm::program::{ConstExpr, ConstOp, GlobalDecl, Val};
use arenavm_vm::types::{ScalarType, Type};

// ---------------------------------------------------------------- traps

#[test]
fn a_trap_leaves_the_instance_usable() {
    let mut div = FunctionBuilder::new("div", &[Type::I32, Type::I32], &[Type::I32]);
    let (a, b) = (div.param(0), div.param(1));
    div.push(Instr::I32DivS { dst: a, a, b });
    div.ret(&[a]);
    // `count` calls function 0, so it comes first.
    let p = program(vec![count(false), div], &[]);
    let v = verified(&p);
    let mut instance = Instance::new(&v, Default::default()).unwrap();
    let cfg = ExecConfig::default();
    let trap = expect_trap(instance.invoke(1, &[I32(1), I32(0)], &cfg));
    assert_eq!(trap.kind, TrapKind::IntegerDivideByZero);
    assert_vals(
        &expect_ok(instance.invoke(1, &[I32(6), I32(3)], &cfg)),
        &[I32(2)],
        "after trap",
    );
    // After a trap deep in a call stack and after running out of fuel.
    let trap = expect_trap(instance.invoke(0, &[I64(50), I64(0)], &depth(20)));
    assert_eq!(trap.kind, TrapKind::CallStackExhausted);
    let trap = expect_trap(instance.invoke(0, &[I64(50), I64(0)], &fuel(30)));
    assert_eq!(trap.kind, TrapKind::OutOfFuel);
    assert_vals(
        &expect_ok(instance.invoke(0, &[I64(50), I64(0)], &cfg)),
        &[I64(50)],
        "count",
    );
    assert_vals(
        &expect_ok(instance.invoke(1, &[I32(-8), I32(2)], &cfg)),
        &[I32(-4)],
        "div",
    );
}

#[test]
fn a_trap_in_a_callee_names_the_callee() {
    let mut main = FunctionBuilder::new("main", &[], &[]);
    main.call(1, &[], &[]);
    main.ret(&[]);
    let mut bad = FunctionBuilder::new("bad", &[], &[]);
    let l = bad.label();
    bad.bind(l);
    bad.push(Instr::Unreachable {});
    let trap = expect_trap(run_program(
        &program(vec![main, bad], &[]),
        &[],
        &ExecConfig::default(),
    ));
    assert_eq!(trap.kind, TrapKind::Unreachable);
    assert_eq!((trap.function.as_str(), trap.instruction), ("bad", 1));
}

// ---------------------------------------------------------------- globals

#[test]
fn globals_get_set_and_persist_across_invocations() {
    let mut p = ProgramBuilder::new();
    let counter = p.global(GlobalDecl::new(I64(40), true).unwrap());
    let fixed = p.global(GlobalDecl::new(f64b(0x7ff4_0000_0000_0001), false).unwrap());
    // Program function 1 is store function 1: `Instance::new` defines no
    // host function before it.
    let fref = p.global(GlobalDecl {
        ty: ScalarType::FuncRef,
        mutable: true,
        init: ConstExpr(vec![ConstOp::RefFunc(1)]),
    });
    let f32g = p.global(GlobalDecl::new(F32(-0.0), true).unwrap());
    // bump() -> (i64, f64, funcref, f32): counter += 1; returns all globals.
    let mut f = FunctionBuilder::new(
        "bump",
        &[],
        &[Type::I64, Type::F64, Type::FuncRef, Type::F32],
    );
    let (c, one, k, r, x) = (
        f.scalar(ScalarType::I64),
        f.scalar(ScalarType::I64),
        f.scalar(ScalarType::F64),
        f.scalar(ScalarType::FuncRef),
        f.scalar(ScalarType::F32),
    );
    f.push(Instr::GlobalGet {
        dst: c,
        global: counter,
    });
    f.push(Instr::I64Const { dst: one, value: 1 });
    f.push(Instr::I64Add {
        dst: c,
        a: c,
        b: one,
    });
    f.push(Instr::GlobalSet {
        src: c,
        global: counter,
    });
    f.push(Instr::GlobalGet {
        dst: k,
        global: fixed,
    });
    f.push(Instr::GlobalGet {
        dst: r,
        global: fref,
    });
    f.push(Instr::GlobalGet {
        dst: x,
        global: f32g,
    });
    f.ret(&[c, k, r, x]);
    // clear(): fref = null (copied from a never-written FuncRef register).
    let mut g = FunctionBuilder::new("clear", &[], &[]);
    let null = g.scalar(ScalarType::FuncRef);
    g.push(Instr::GlobalSet {
        src: null,
        global: fref,
    });
    g.ret(&[]);
    p.function(f);
    p.function(g);
    let v = verified(&p.finish());
    let cfg = ExecConfig::default();
    let mut instance = Instance::new(&v, Default::default()).unwrap();
    let fixed_bits = f64b(0x7ff4_0000_0000_0001);
    let got = expect_ok(instance.invoke(0, &[], &cfg));
    assert_vals(
        &got,
        &[I64(41), fixed_bits, FuncRef(Some(1)), F32(-0.0)],
        "first",
    );
    expect_ok(instance.invoke(1, &[], &cfg));
    let got = expect_ok(instance.invoke(0, &[], &cfg));
    assert_vals(
        &got,
        &[I64(42), fixed_bits, FuncRef(None), F32(-0.0)],
        "second",
    );
    // A fresh instance starts from the initial values.
    let mut fresh = Instance::new(&v, Default::default()).unwrap();
    let got = expect_ok(fresh.invoke(0, &[], &cfg));
    assert_vals(
        &got,
        &[I64(41), fixed_bits, FuncRef(Some(1)), F32(-0.0)],
        "fresh",
    );
}

#[test]
fn global_writes_before_a_trap_stay_written() {
    let mut p = ProgramBuilder::new();
    let g = p.global(GlobalDecl::new(I32(0), true).unwrap());
    let mut set_then_trap = FunctionBuilder::new("set_then_trap", &[Type::I32], &[]);
    let x = set_then_trap.param(0);
    set_then_trap.push(Instr::GlobalSet { src: x, global: g });
    set_then_trap.push(Instr::Unreachable {});
    let mut get = FunctionBuilder::new("get", &[], &[Type::I32]);
    let r = get.scalar(ScalarType::I32);
    get.push(Instr::GlobalGet { dst: r, global: g });
    get.ret(&[r]);
    p.function(set_then_trap);
    p.function(get);
    let v = verified(&p.finish());
    let cfg = ExecConfig::default();
    let mut instance = Instance::new(&v, Default::default()).unwrap();
    let trap = expect_trap(instance.invoke(0, &[I32(17)], &cfg));
    assert_eq!((trap.kind, trap.instruction), (TrapKind::Unreachable, 1));
    assert_vals(
        &expect_ok(instance.invoke(1, &[], &cfg)),
        &[I32(17)],
        "global after trap",
    );
}

// ---------------------------------------------------------------- host errors

#[test]
fn invalid_invocations_are_errors_not_traps() {
    let p = program(vec![mix()], &[]);
    let v = verified(&p);
    let mut instance = Instance::new(&v, Default::default()).unwrap();
    let cfg = ExecConfig::default();
    let invalid = |r: Result<Vec<Val>, InvokeError>| match r {
        Err(InvokeError::Invalid(message)) => message,
        other => panic!("expected an invalid invocation, got {other:?}"),
    };
    let m = invalid(instance.invoke_by_name("nope", &[], &cfg));
    assert!(m.contains("nope"), "{m}");
    let m = invalid(instance.invoke(7, &[], &cfg));
    assert!(m.contains('7'), "{m}");
    let m = invalid(instance.invoke(0, &[I32(1)], &cfg));
    assert!(m.contains("4 arguments") && m.contains("1 given"), "{m}");
    let m = invalid(instance.invoke(0, &[I32(1), I32(2), F32(0.0), F64(0.0)], &cfg));
    assert!(m.contains("argument 1"), "{m}");
    // The instance still works.
    expect_ok(instance.invoke(0, &[I32(1), I64(2), F32(0.0), F64(0.0)], &cfg));

    // A function reference argument must name a function of the program.
    let mut id = FunctionBuilder::new("id", &[Type::FuncRef], &[Type::FuncRef]);
    let r = id.param(0);
    id.ret(&[r]);
    let p = program(vec![id], &[]);
    let v = verified(&p);
    let mut instance = Instance::new(&v, Default::default()).unwrap();
    for arg in [FuncRef(Some(0)), FuncRef(None)] {
        assert_vals(
            &expect_ok(instance.invoke(0, &[arg], &cfg)),
            &[arg],
            "funcref",
        );
    }
    let m = invalid(instance.invoke(0, &[FuncRef(Some(1))], &cfg));
    assert!(m.contains("function 1"), "{m}");
    let m = invalid(instance.invoke(0, &[FuncRef(Some(u32::MAX))], &cfg));
    assert!(m.contains("does not exist"), "{m}");
}
