//! Tail calls and the call depth limit.

use crate::common::*;
use crate::{count, even_odd};
use arenavm_vm::builder::FunctionBuilder;
use arenavm_vm::exec::{ExecConfig, Instance, TrapKind};
use arenavm_vm::isa::Instr;
use arenavm_vm::program::Val::{I32, I64};
use arenavm_vm::types::{ScalarType, Type};

#[test]
fn a_million_tail_calls_do_not_grow_the_stack() {
    let p = program(vec![count(true)], &[]);
    // Even with room for a single frame.
    let got = expect_ok(run_program(&p, &[I64(1_000_000), I64(0)], &depth(1)));
    assert_vals(&got, &[I64(1_000_000)], "count");
}

#[test]
fn the_same_recursion_without_tail_calls_exhausts_the_stack() {
    let p = program(vec![count(false)], &[]);
    let trap = expect_trap(run_program(&p, &[I64(1_000_000), I64(0)], &depth(1000)));
    assert_eq!(trap.kind, TrapKind::CallStackExhausted);
    assert_eq!(trap.function, "count");
    // The call instruction that could not be made (index 5 of `count`).
    assert_eq!(trap.instruction, 5);
}

#[test]
fn tail_call_arguments_are_read_before_the_frame_is_reused() {
    // f(a, b, n) = n == 0 ? a - b : f(b, a, n - 1), as a tail call: the
    // arguments swap registers, so copying them in place would lose one.
    let mut f = FunctionBuilder::new("f", &[Type::I32, Type::I32, Type::I32], &[Type::I32]);
    let (a, b, n) = (f.param(0), f.param(1), f.param(2));
    let (zero, one) = (f.scalar(ScalarType::I32), f.scalar(ScalarType::I32));
    let done = f.label();
    f.push(Instr::I32Const {
        dst: zero,
        value: 0,
    });
    f.push(Instr::I32Const { dst: one, value: 1 });
    f.push(Instr::BrI32Eq {
        a: n,
        b: zero,
        target: done,
    });
    f.push(Instr::I32Sub {
        dst: n,
        a: n,
        b: one,
    });
    let args = f.list(&[b, a, n]);
    f.push(Instr::ReturnCall { func: 0, args });
    f.bind(done);
    f.push(Instr::I32Sub { dst: a, a, b });
    f.ret(&[a]);
    let p = program(vec![f], &[]);
    let v = verified(&p);
    let mut instance = Instance::new(&v, Default::default()).unwrap();
    for (n, want) in [(0, 7), (1, -7), (2, 7), (1001, -7)] {
        let got = expect_ok(instance.invoke(0, &[I32(10), I32(3), I32(n)], &depth(1)));
        assert_vals(&got, &[I32(want)], &format!("f(10, 3, {n})"));
    }
}

#[test]
fn call_depth_limit_is_exact() {
    // count(n) needs n + 1 frames, the entry frame included.
    let p = program(vec![count(false)], &[]);
    let v = verified(&p);
    let mut instance = Instance::new(&v, Default::default()).unwrap();
    let ok = expect_ok(instance.invoke(0, &[I64(9), I64(0)], &depth(10)));
    assert_vals(&ok, &[I64(9)], "10 frames");
    let trap = expect_trap(instance.invoke(0, &[I64(10), I64(0)], &depth(10)));
    assert_eq!(trap.kind, TrapKind::CallStackExhausted);
    // With one frame allowed, any call traps; without calls all is well.
    let trap = expect_trap(instance.invoke(0, &[I64(1), I64(0)], &depth(1)));
    assert_eq!(trap.kind, TrapKind::CallStackExhausted);
    let ok = expect_ok(instance.invoke(0, &[I64(0), I64(5)], &depth(1)));
    assert_vals(&ok, &[I64(5)], "no call");
    // The default limit is 10,000 frames.
    assert_eq!(ExecConfig::default().max_call_depth, 10_000);
    expect_ok(instance.invoke(0, &[I64(9_999), I64(0)], &ExecConfig::default()));
    let trap = expect_trap(instance.invoke(0, &[I64(10_000), I64(0)], &ExecConfig::default()));
    assert_eq!(trap.kind, TrapKind::CallStackExhausted);
}

#[test]
fn mutual_tail_calls_between_frames_of_different_sizes() {
    let p = program(even_odd(true), &[]);
    let v = verified(&p);
    let mut instance = Instance::new(&v, Default::default()).unwrap();
    for (n, even) in [(0, 1), (1, 0), (7, 0), (100_001, 0), (100_000, 1)] {
        let got = expect_ok(instance.invoke_by_name("even", &[I64(n)], &depth(1)));
        assert_vals(&got, &[I32(even)], &format!("even({n})"));
    }
}

#[test]
fn a_tail_call_from_a_callee_returns_to_the_original_caller() {
    // main: r = outer(5); return (r, marker)
    // outer(x): ReturnCall inner(x, 10)
    // inner(x, y): return x * y + (an unwritten register, which must be 0)
    let mut main = FunctionBuilder::new("main", &[], &[Type::I32, Type::I32]);
    let (five, r, marker) = (
        main.scalar(ScalarType::I32),
        main.scalar(ScalarType::I32),
        main.scalar(ScalarType::I32),
    );
    main.push(Instr::I32Const {
        dst: five,
        value: 5,
    });
    main.push(Instr::I32Const {
        dst: marker,
        value: 77,
    });
    main.call(1, &[five], &[r]);
    main.ret(&[r, marker]);

    let mut outer = FunctionBuilder::new("outer", &[Type::I32], &[Type::I32]);
    let x = outer.param(0);
    let ten = outer.scalar(ScalarType::I32);
    // Junk in a register the callee's frame will reuse.
    for value in [1234, 5678] {
        let junk = outer.scalar(ScalarType::I32);
        outer.push(Instr::I32Const { dst: junk, value });
    }
    outer.push(Instr::I32Const {
        dst: ten,
        value: 10,
    });
    let args = outer.list(&[x, ten]);
    outer.push(Instr::ReturnCall { func: 2, args });

    let mut inner = FunctionBuilder::new("inner", &[Type::I32, Type::I32], &[Type::I32]);
    let (a, b) = (inner.param(0), inner.param(1));
    let (p, unwritten0, unwritten1) = (
        inner.scalar(ScalarType::I32),
        inner.scalar(ScalarType::I32),
        inner.scalar(ScalarType::I32),
    );
    inner.push(Instr::I32Mul { dst: p, a, b });
    inner.push(Instr::I32Add {
        dst: p,
        a: p,
        b: unwritten0,
    });
    inner.push(Instr::I32Add {
        dst: p,
        a: p,
        b: unwritten1,
    });
    inner.ret(&[p]);

    let p = program(vec![main, outer, inner], &[]);
    let got = expect_ok(run_program(&p, &[], &ExecConfig::default()));
    assert_vals(&got, &[I32(50), I32(77)], "tail call from a callee");
}
