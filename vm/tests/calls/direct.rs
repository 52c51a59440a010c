//! Direct calls with mixed-type parameters and results, recursion, mutual
//! recursion, multi-value returns and fresh callee frames.

use crate::common::*;
use crate::{even_odd, mix};
use arenavm_vm::builder::FunctionBuilder;
use arenavm_vm::exec::{ExecConfig, Instance};
use arenavm_vm::isa::Instr;
use arenavm_vm::program::Val::{F32, F64, I32, I64};
use arenavm_vm::types::{ScalarType, Type};

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
