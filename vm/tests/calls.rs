//! Calls, returns and the limits of an invocation through the interpreter:
//! direct calls with mixed-type parameters and results, recursion, mutual
//! recursion, multi-value returns, tail calls, the call depth limit, fuel,
//! traps leaving the instance usable, globals, and host-side invocation
//! errors.

#[macro_use]
mod common;

use arenavm_vm::builder::{FunctionBuilder, ProgramBuilder};
use arenavm_vm::exec::{ExecConfig, Instance, InvokeError, TrapKind};
use arenavm_vm::isa::Instr;
use arenavm_vm::program::Val::{F32, F64, FuncRef, I32, I64};
use arenavm_vm::program::{GlobalDecl, Val};
use arenavm_vm::types::{ScalarType, Type};
use common::*;

/// `mix(a: i32, b: i64, c: f32, d: f64) -> (f64, i32, i64, f32)` returning
/// `(d, a + 1, b, c)`.
fn mix() -> FunctionBuilder {
    let mut f = FunctionBuilder::new(
        "mix",
        &[Type::I32, Type::I64, Type::F32, Type::F64],
        &[Type::F64, Type::I32, Type::I64, Type::F32],
    );
    let (a, b, c, d) = (f.param(0), f.param(1), f.param(2), f.param(3));
    let one = f.scalar(ScalarType::I32);
    f.push(Instr::I32Const { dst: one, value: 1 });
    f.push(Instr::I32Add { dst: a, a, b: one });
    f.ret(&[d, a, b, c]);
    f
}

#[test]
fn direct_call_with_mixed_types_in_and_out() {
    // main(x: i64) -> (i32, f32, i64, f64): calls mix(7, x, 2.5, -0.0) and
    // returns its results in a different order, from fresh registers.
    let mut main = FunctionBuilder::new(
        "main",
        &[Type::I64],
        &[Type::I32, Type::F32, Type::I64, Type::F64],
    );
    let x = main.param(0);
    let (a, c, d) = (
        main.scalar(ScalarType::I32),
        main.scalar(ScalarType::F32),
        main.scalar(ScalarType::F64),
    );
    let (r0, r1, r2, r3) = (
        main.scalar(ScalarType::F64),
        main.scalar(ScalarType::I32),
        main.scalar(ScalarType::I64),
        main.scalar(ScalarType::F32),
    );
    main.push(Instr::I32Const { dst: a, value: 7 });
    main.push(Instr::F32Const {
        dst: c,
        bits: 2.5f32.to_bits(),
    });
    main.push(Instr::F64Const {
        dst: d,
        bits: 0x8000_0000_0000_0000,
    });
    main.call(1, &[a, x, c, d], &[r0, r1, r2, r3]);
    main.ret(&[r1, r3, r2, r0]);
    let p = program(vec![main, mix()], &[]);
    let got = expect_ok(run_program(&p, &[I64(-9)], &ExecConfig::default()));
    assert_vals(
        &got,
        &[I32(8), F32(2.5), I64(-9), f64b(0x8000_0000_0000_0000)],
        "main",
    );
    // The callee can be invoked directly too.
    let v = verified(&p);
    let mut instance = Instance::new(&v, Default::default()).unwrap();
    let got = expect_ok(instance.invoke_by_name(
        "mix",
        &[I32(i32::MAX), I64(1), F32(-1.0), F64(0.5)],
        &ExecConfig::default(),
    ));
    assert_vals(
        &got,
        &[F64(0.5), I32(i32::MIN), I64(1), F32(-1.0)],
        "mix direct",
    );
}

#[test]
fn caller_registers_survive_a_call_and_results_may_overwrite_arguments() {
    // swap(a, b) = (b, a); main: x = 1, y = 2, keep = 99; (x, y) = swap(x, y).
    let mut swap = FunctionBuilder::new("swap", &[Type::I32, Type::I32], &[Type::I32, Type::I32]);
    let (a, b) = (swap.param(0), swap.param(1));
    // Clobber the callee's own registers; the caller's must not change.
    swap.push(Instr::I32Const { dst: a, value: -5 });
    swap.push(Instr::I32Const { dst: a, value: 1 });
    swap.ret(&[b, a]);
    let mut main = FunctionBuilder::new("main", &[], &[Type::I32, Type::I32, Type::I32]);
    let (x, y, keep) = (
        main.scalar(ScalarType::I32),
        main.scalar(ScalarType::I32),
        main.scalar(ScalarType::I32),
    );
    main.push(Instr::I32Const { dst: x, value: 1 });
    main.push(Instr::I32Const { dst: y, value: 2 });
    main.push(Instr::I32Const {
        dst: keep,
        value: 99,
    });
    main.call(1, &[x, y], &[x, y]);
    main.ret(&[x, y, keep]);
    let p = program(vec![main, swap], &[]);
    let got = expect_ok(run_program(&p, &[], &ExecConfig::default()));
    assert_vals(&got, &[I32(2), I32(1), I32(99)], "swap");
}

/// `fib(n: i32) -> i64`, doubly recursive.
fn fib() -> FunctionBuilder {
    let mut f = FunctionBuilder::new("fib", &[Type::I32], &[Type::I64]);
    let n = f.param(0);
    let (two, one, m, a, b) = (
        f.scalar(ScalarType::I32),
        f.scalar(ScalarType::I32),
        f.scalar(ScalarType::I32),
        f.scalar(ScalarType::I64),
        f.scalar(ScalarType::I64),
    );
    let small = f.label();
    f.push(Instr::I32Const { dst: two, value: 2 });
    f.push(Instr::I32Const { dst: one, value: 1 });
    f.push(Instr::BrI32LtS {
        a: n,
        b: two,
        target: small,
    });
    f.push(Instr::I32Sub {
        dst: m,
        a: n,
        b: one,
    });
    f.call(0, &[m], &[a]);
    f.push(Instr::I32Sub {
        dst: m,
        a: n,
        b: two,
    });
    f.call(0, &[m], &[b]);
    f.push(Instr::I64Add { dst: a, a, b });
    f.ret(&[a]);
    f.bind(small);
    f.push(Instr::I64ExtendI32S { dst: a, a: n });
    f.ret(&[a]);
    f
}

#[test]
fn recursion_fib() {
    let p = program(vec![fib()], &[]);
    let v = verified(&p);
    let mut instance = Instance::new(&v, Default::default()).unwrap();
    for (n, want) in [(0, 0), (1, 1), (2, 1), (10, 55), (20, 6765)] {
        let got = expect_ok(instance.invoke(0, &[I32(n)], &ExecConfig::default()));
        assert_vals(&got, &[I64(want)], &format!("fib({n})"));
    }
}

/// `even(n)` / `odd(n)` calling each other (not tail calls).
fn even_odd(tail: bool) -> Vec<FunctionBuilder> {
    let make = |name: &str, other: u32, base: i32, extra: usize| {
        let mut f = FunctionBuilder::new(name, &[Type::I64], &[Type::I32]);
        let n = f.param(0);
        // Different frame sizes, so tail calls move between frame shapes.
        for _ in 0..extra {
            f.scalar(ScalarType::F64);
        }
        let (zero, one, r) = (
            f.scalar(ScalarType::I64),
            f.scalar(ScalarType::I64),
            f.scalar(ScalarType::I32),
        );
        let done = f.label();
        f.push(Instr::I64Const {
            dst: zero,
            value: 0,
        });
        f.push(Instr::I64Const { dst: one, value: 1 });
        f.push(Instr::BrI64Eq {
            a: n,
            b: zero,
            target: done,
        });
        f.push(Instr::I64Sub {
            dst: n,
            a: n,
            b: one,
        });
        if tail {
            let args = f.list(&[n]);
            f.push(Instr::ReturnCall { func: other, args });
        } else {
            f.call(other, &[n], &[r]);
            f.ret(&[r]);
        }
        f.bind(done);
        f.push(Instr::I32Const {
            dst: r,
            value: base,
        });
        f.ret(&[r]);
        f
    };
    vec![make("even", 1, 1, 0), make("odd", 0, 0, 5)]
}

#[test]
fn mutual_recursion() {
    let p = program(even_odd(false), &[]);
    let v = verified(&p);
    let mut instance = Instance::new(&v, Default::default()).unwrap();
    for (n, even) in [(0, 1), (1, 0), (7, 0), (10, 1), (101, 0)] {
        let got = expect_ok(instance.invoke_by_name("even", &[I64(n)], &ExecConfig::default()));
        assert_vals(&got, &[I32(even)], &format!("even({n})"));
        let got = expect_ok(instance.invoke_by_name("odd", &[I64(n)], &ExecConfig::default()));
        assert_vals(&got, &[I32(1 - even)], &format!("odd({n})"));
    }
}

#[test]
fn multi_value_return_including_one_register_twice() {
    let mut f = FunctionBuilder::new("three", &[Type::F32], &[Type::F32, Type::I64, Type::F32]);
    let x = f.param(0);
    let k = f.scalar(ScalarType::I64);
    f.push(Instr::I64Const {
        dst: k,
        value: i64::MIN,
    });
    f.ret(&[x, k, x]);
    let nan = f32b(0x7fa0_0001);
    assert_vals(
        &expect_ok(run_fn(f, &[nan])),
        &[nan, I64(i64::MIN), nan],
        "three",
    );
}

/// `count(n, acc)`: `n == 0 ? acc : count(n - 1, acc + 1)`, as a tail
/// call when `tail`, else as a call followed by a return.
fn count(tail: bool) -> FunctionBuilder {
    let mut f = FunctionBuilder::new("count", &[Type::I64, Type::I64], &[Type::I64]);
    let (n, acc) = (f.param(0), f.param(1));
    let (zero, one, r) = (
        f.scalar(ScalarType::I64),
        f.scalar(ScalarType::I64),
        f.scalar(ScalarType::I64),
    );
    let done = f.label();
    f.push(Instr::I64Const {
        dst: zero,
        value: 0,
    });
    f.push(Instr::I64Const { dst: one, value: 1 });
    f.push(Instr::BrI64Eq {
        a: n,
        b: zero,
        target: done,
    });
    f.push(Instr::I64Sub {
        dst: n,
        a: n,
        b: one,
    });
    f.push(Instr::I64Add {
        dst: acc,
        a: acc,
        b: one,
    });
    if tail {
        let args = f.list(&[n, acc]);
        f.push(Instr::ReturnCall { func: 0, args });
    } else {
        f.call(0, &[n, acc], &[r]);
        f.ret(&[r]);
    }
    f.bind(done);
    f.ret(&[acc]);
    f
}

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

#[test]
fn a_callee_frame_starts_zeroed_after_an_earlier_call_left_values() {
    // dirty() writes 42 in its second register; clean() returns its
    // second register unwritten. Calling both in turn from main must give 0:
    // registers start at zero and no earlier frame's values are visible.
    let mut main = FunctionBuilder::new("main", &[], &[Type::I64]);
    let r = main.scalar(ScalarType::I64);
    main.call(1, &[], &[]);
    main.call(2, &[], &[r]);
    main.ret(&[r]);
    let mut dirty = FunctionBuilder::new("dirty", &[], &[]);
    let _ = dirty.scalar(ScalarType::I64);
    let x = dirty.scalar(ScalarType::I64);
    dirty.push(Instr::I64Const { dst: x, value: 42 });
    dirty.ret(&[]);
    let mut clean = FunctionBuilder::new("clean", &[], &[Type::I64]);
    let _ = clean.scalar(ScalarType::I64);
    let y = clean.scalar(ScalarType::I64);
    clean.ret(&[y]);
    let p = program(vec![main, dirty, clean], &[]);
    let got = expect_ok(run_program(&p, &[], &ExecConfig::default()));
    assert_vals(&got, &[I64(0)], "zeroed frame");
}

// ---------------------------------------------------------------- fuel

/// Six instructions (three labels among them do not count).
fn straight_line() -> FunctionBuilder {
    let mut f = FunctionBuilder::new("line", &[], &[Type::I32]);
    let r = f.scalar(ScalarType::I32);
    let (a, b, c) = (f.label(), f.label(), f.label());
    f.bind(a);
    for value in 1..=5 {
        f.push(Instr::I32Const { dst: r, value });
    }
    f.bind(b).bind(c);
    f.ret(&[r]);
    f
}

#[test]
fn fuel_counts_executed_instructions() {
    let p = program(vec![straight_line()], &[]);
    let v = verified(&p);
    let mut instance = Instance::new(&v, Default::default()).unwrap();
    assert_vals(
        &expect_ok(instance.invoke(0, &[], &fuel(6))),
        &[I32(5)],
        "fuel 6",
    );
    assert_vals(
        &expect_ok(instance.invoke(0, &[], &fuel(1000))),
        &[I32(5)],
        "fuel 1000",
    );
    // Code as written: label (0), five constants (1..=5), two labels (6,
    // 7), return (8). With fuel 5 the return is refused.
    let trap = expect_trap(instance.invoke(0, &[], &fuel(5)));
    assert_eq!(trap.kind, TrapKind::OutOfFuel);
    assert_eq!((trap.function.as_str(), trap.instruction), ("line", 8));
    let trap = expect_trap(instance.invoke(0, &[], &fuel(0)));
    assert_eq!((trap.kind, trap.instruction), (TrapKind::OutOfFuel, 1));
}

#[test]
fn fuel_counts_loop_iterations_and_calls() {
    // The `sum` loop of control.rs: 3 constants, 1 branch, 3 per iteration,
    // 1 return: 3n + 5 instructions for n >= 1.
    let mut f = FunctionBuilder::new("sum", &[Type::I32], &[Type::I32]);
    let n = f.param(0);
    let (i, acc, one) = (
        f.scalar(ScalarType::I32),
        f.scalar(ScalarType::I32),
        f.scalar(ScalarType::I32),
    );
    let (top, done) = (f.label(), f.label());
    f.push(Instr::I32Const { dst: i, value: 1 });
    f.push(Instr::I32Const { dst: acc, value: 0 });
    f.push(Instr::I32Const { dst: one, value: 1 });
    f.push(Instr::BrI32GtS {
        a: i,
        b: n,
        target: done,
    });
    f.bind(top);
    f.push(Instr::I32Add {
        dst: acc,
        a: acc,
        b: i,
    });
    f.push(Instr::I32Add {
        dst: i,
        a: i,
        b: one,
    });
    f.push(Instr::BrI32LeS {
        a: i,
        b: n,
        target: top,
    });
    f.bind(done);
    f.ret(&[acc]);
    let p = program(vec![f], &[]);
    let v = verified(&p);
    let mut instance = Instance::new(&v, Default::default()).unwrap();
    assert_vals(
        &expect_ok(instance.invoke(0, &[I32(10)], &fuel(35))),
        &[I32(55)],
        "sum",
    );
    let trap = expect_trap(instance.invoke(0, &[I32(10)], &fuel(34)));
    assert_eq!(trap.kind, TrapKind::OutOfFuel);

    // main: call g, return (2) + g: const, return (2) = 4.
    let mut main = FunctionBuilder::new("main", &[], &[Type::I32]);
    let r = main.scalar(ScalarType::I32);
    main.call(1, &[], &[r]);
    main.ret(&[r]);
    let mut g = FunctionBuilder::new("g", &[], &[Type::I32]);
    let x = g.scalar(ScalarType::I32);
    g.push(Instr::I32Const { dst: x, value: 3 });
    g.ret(&[x]);
    let p = program(vec![main, g], &[]);
    let v = verified(&p);
    let mut instance = Instance::new(&v, Default::default()).unwrap();
    assert_vals(
        &expect_ok(instance.invoke(0, &[], &fuel(4))),
        &[I32(3)],
        "call",
    );
    let trap = expect_trap(instance.invoke(0, &[], &fuel(3)));
    assert_eq!(trap.kind, TrapKind::OutOfFuel);
}

#[test]
fn an_infinite_loop_runs_out_of_fuel() {
    let mut f = FunctionBuilder::new("spin", &[], &[]);
    let top = f.label();
    f.bind(top);
    f.push(Instr::Jump { target: top });
    let p = program(vec![f], &[]);
    let trap = expect_trap(run_program(&p, &[], &fuel(100_000)));
    assert_eq!(trap.kind, TrapKind::OutOfFuel);
    assert_eq!(trap.function, "spin");
}

/// The trap names the instruction that was refused, even right after a
/// jump (not the instruction before the jump target, never executed).
#[test]
fn out_of_fuel_names_the_instruction_that_would_have_run() {
    let mut f = FunctionBuilder::new("spin", &[], &[]);
    let top = f.label();
    f.push(Instr::Jump { target: top }); // 0
    f.push(Instr::Unreachable {}); // 1: never executed
    f.bind(top); // 2
    f.push(Instr::Jump { target: top }); // 3
    let p = program(vec![f], &[]);
    for fuel_units in [1, 2, 3, 10] {
        let trap = expect_trap(run_program(&p, &[], &fuel(fuel_units)));
        assert_eq!(trap.kind, TrapKind::OutOfFuel);
        assert_eq!(
            trap.instruction, 3,
            "with fuel {fuel_units} the next instruction is the loop's jump"
        );
    }
}

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
    let counter = p.global(GlobalDecl {
        init: I64(40),
        mutable: true,
    });
    let fixed = p.global(GlobalDecl {
        init: f64b(0x7ff4_0000_0000_0001),
        mutable: false,
    });
    let fref = p.global(GlobalDecl {
        init: FuncRef(Some(1)),
        mutable: true,
    });
    let f32g = p.global(GlobalDecl {
        init: F32(-0.0),
        mutable: true,
    });
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
    let g = p.global(GlobalDecl {
        init: I32(0),
        mutable: true,
    });
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
