//! Control flow through the interpreter: jumps, conditional branches,
//! branch tables, every fused compare-and-branch (taken and not taken),
//! loops, label markers, and the `Unreachable` trap with its location.

#[macro_use]
mod common;

use arenavm_vm::builder::FunctionBuilder;
use arenavm_vm::exec::TrapKind;
use arenavm_vm::isa::{Instr, Label, Reg};
use arenavm_vm::program::Val::{self, I32, I64};
use arenavm_vm::types::{ScalarType, Type};
use common::*;

/// `branch(params) -> i32`: 1 if `branch(L)` jumps to `L`, else 0.
fn branch_fn(
    params: &[Type],
    branch: impl FnOnce(&[Reg], Label) -> Instr<Label>,
) -> FunctionBuilder {
    let mut f = FunctionBuilder::new("branch", params, &[Type::I32]);
    let regs: Vec<Reg> = (0..params.len()).map(|i| f.param(i)).collect();
    let r = f.scalar(ScalarType::I32);
    let taken = f.label();
    f.push(branch(&regs, taken));
    f.push(Instr::I32Const { dst: r, value: 0 });
    f.ret(&[r]);
    f.bind(taken);
    f.push(Instr::I32Const { dst: r, value: 1 });
    f.ret(&[r]);
    f
}

#[test]
fn jump_skips_code() {
    let mut f = FunctionBuilder::new("f", &[], &[Type::I32]);
    let r = f.scalar(ScalarType::I32);
    let end = f.label();
    f.push(Instr::I32Const { dst: r, value: 1 });
    f.push(Instr::Jump { target: end });
    f.push(Instr::I32Const { dst: r, value: 2 });
    f.push(Instr::Unreachable {});
    f.bind(end);
    f.ret(&[r]);
    assert_vals(&expect_ok(run_fn(f, &[])), &[I32(1)], "jump");
}

#[test]
fn br_if_and_br_if_not_test_all_32_bits() {
    let make_if = || {
        branch_fn(&[Type::I32], |p, l| Instr::BrIf {
            cond: p[0],
            target: l,
        })
    };
    let make_if_not = || {
        branch_fn(&[Type::I32], |p, l| Instr::BrIfNot {
            cond: p[0],
            target: l,
        })
    };
    for (cond, nonzero) in [
        (0, false),
        (1, true),
        (-1, true),
        (i32::MIN, true),
        (0x100, true),
    ] {
        assert_eq!(taken(make_if(), &[I32(cond)]), nonzero, "BrIf on {cond:#x}");
        assert_eq!(
            taken(make_if_not(), &[I32(cond)]),
            !nonzero,
            "BrIfNot on {cond:#x}"
        );
    }
}

/// Runs a branch function built fresh for each input.
fn taken(f: FunctionBuilder, args: &[Val]) -> bool {
    match expect_ok(run_fn(f, args))[..] {
        [I32(0)] => false,
        [I32(1)] => true,
        ref other => panic!("unexpected result {other:?}"),
    }
}

/// `f(i) -> i32` with a branch table over `targets` labels (the last is the
/// default); the code at target `k` returns `100 + k`.
fn table_fn(targets: &[usize], labels: usize) -> FunctionBuilder {
    let mut f = FunctionBuilder::new("table", &[Type::I32], &[Type::I32]);
    let i = f.param(0);
    let r = f.scalar(ScalarType::I32);
    let ls: Vec<Label> = (0..labels).map(|_| f.label()).collect();
    let table: Vec<Label> = targets.iter().map(|&k| ls[k]).collect();
    let t = f.branch_table(&table);
    f.push(Instr::BrTable { index: i, table: t });
    for (k, &l) in ls.iter().enumerate() {
        f.bind(l);
        f.push(Instr::I32Const {
            dst: r,
            value: 100 + k as i32,
        });
        f.ret(&[r]);
    }
    f
}

fn table_result(targets: &[usize], labels: usize, index: i32) -> i32 {
    match expect_ok(run_fn(table_fn(targets, labels), &[I32(index)]))[..] {
        [I32(v)] => v,
        ref other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn br_table_in_range_and_default() {
    // Entries 0, 1, 2 go to labels 2, 0, 1; the default is label 3.
    let targets = [2, 0, 1, 3];
    assert_eq!(table_result(&targets, 4, 0), 102);
    assert_eq!(table_result(&targets, 4, 1), 100);
    assert_eq!(table_result(&targets, 4, 2), 101);
    // Index = number of entries before the default, and beyond: default.
    assert_eq!(table_result(&targets, 4, 3), 103);
    assert_eq!(table_result(&targets, 4, 4), 103);
    assert_eq!(table_result(&targets, 4, 1000), 103);
    // The index is unsigned: negative values are huge, hence the default.
    assert_eq!(table_result(&targets, 4, -1), 103);
    assert_eq!(table_result(&targets, 4, i32::MIN), 103);
}

#[test]
fn br_table_with_only_a_default_and_repeated_targets() {
    for index in [0, 1, -1] {
        assert_eq!(table_result(&[1], 2, index), 101);
    }
    let targets = [0, 0, 1, 0];
    assert_eq!(table_result(&targets, 2, 0), 100);
    assert_eq!(table_result(&targets, 2, 1), 100);
    assert_eq!(table_result(&targets, 2, 2), 101);
    assert_eq!(table_result(&targets, 2, 3), 100);
}

/// A fused compare-and-branch opcode as a constructor.
type FusedBranch = fn(Reg, Reg, Label) -> Instr<Label>;

/// Every fused i32 compare-and-branch over the comparison pairs of the
/// spec: taken exactly when the comparison holds.
#[test]
fn fused_i32_branches() {
    let ops: [(&str, FusedBranch); 10] = [
        ("eq", br!(BrI32Eq)),
        ("ne", br!(BrI32Ne)),
        ("lt_s", br!(BrI32LtS)),
        ("lt_u", br!(BrI32LtU)),
        ("gt_s", br!(BrI32GtS)),
        ("gt_u", br!(BrI32GtU)),
        ("le_s", br!(BrI32LeS)),
        ("le_u", br!(BrI32LeU)),
        ("ge_s", br!(BrI32GeS)),
        ("ge_u", br!(BrI32GeU)),
    ];
    for (name, make) in ops {
        let expected = truth(name);
        let program = program(
            vec![branch_fn(&[Type::I32, Type::I32], |p, l| {
                make(p[0], p[1], l)
            })],
            &[],
        );
        let v = verified(&program);
        let mut instance = arenavm_vm::exec::Instance::new(&v, Default::default()).unwrap();
        let mut seen = [false; 2];
        for (&(a, b), t) in I32_PAIRS.iter().zip(expected.bytes()) {
            let want = t == b'1';
            let got = expect_ok(instance.invoke(0, &[I32(a), I32(b)], &Default::default()));
            assert_vals(
                &got,
                &[I32(i32::from(want))],
                &format!("br_i32_{name}({a:#x}, {b:#x}) taken"),
            );
            seen[usize::from(want)] = true;
        }
        assert!(seen[0] && seen[1], "{name}: both taken and not taken");
    }
}

#[test]
fn fused_i64_branches() {
    let ops: [(&str, FusedBranch); 10] = [
        ("eq", br!(BrI64Eq)),
        ("ne", br!(BrI64Ne)),
        ("lt_s", br!(BrI64LtS)),
        ("lt_u", br!(BrI64LtU)),
        ("gt_s", br!(BrI64GtS)),
        ("gt_u", br!(BrI64GtU)),
        ("le_s", br!(BrI64LeS)),
        ("le_u", br!(BrI64LeU)),
        ("ge_s", br!(BrI64GeS)),
        ("ge_u", br!(BrI64GeU)),
    ];
    for (name, make) in ops {
        let expected = truth(name);
        let program = program(
            vec![branch_fn(&[Type::I64, Type::I64], |p, l| {
                make(p[0], p[1], l)
            })],
            &[],
        );
        let v = verified(&program);
        let mut instance = arenavm_vm::exec::Instance::new(&v, Default::default()).unwrap();
        let mut seen = [false; 2];
        for (&(a, b), t) in I64_PAIRS.iter().zip(expected.bytes()) {
            let want = t == b'1';
            let got = expect_ok(instance.invoke(0, &[I64(a), I64(b)], &Default::default()));
            assert_vals(
                &got,
                &[I32(i32::from(want))],
                &format!("br_i64_{name}({a:#x}, {b:#x}) taken"),
            );
            seen[usize::from(want)] = true;
        }
        assert!(seen[0] && seen[1], "{name}: both taken and not taken");
        // Equal low halves, different high halves: all 64 bits compared.
        let got = expect_ok(instance.invoke(0, &[I64(0x1_0000_0005), I64(5)], &Default::default()));
        let want = matches!(name, "ne" | "gt_s" | "gt_u" | "ge_s" | "ge_u");
        assert_vals(
            &got,
            &[I32(i32::from(want))],
            &format!("br_i64_{name} high half"),
        );
    }
}

#[test]
fn loop_sums_one_to_n() {
    for (n, sum) in [(0, 0), (1, 1), (10, 55), (100, 5050), (1000, 500_500)] {
        assert_vals(&expect_ok(run_fn(sum_fn(), &[I32(n)])), &[I32(sum)], "sum");
    }
}

#[test]
fn loop_with_br_if_not_and_i64_factorial() {
    // fact(n): acc = 1; while n != 0 { acc *= n; n -= 1 }
    let mut f = FunctionBuilder::new("fact", &[Type::I64], &[Type::I64]);
    let n = f.param(0);
    let (acc, one, nz) = (
        f.scalar(ScalarType::I64),
        f.scalar(ScalarType::I64),
        f.scalar(ScalarType::I32),
    );
    let (top, done) = (f.label(), f.label());
    f.push(Instr::I64Const { dst: acc, value: 1 });
    f.push(Instr::I64Const { dst: one, value: 1 });
    f.bind(top);
    f.push(Instr::I64Eqz { dst: nz, a: n });
    f.push(Instr::BrIf {
        cond: nz,
        target: done,
    });
    f.push(Instr::I64Mul {
        dst: acc,
        a: acc,
        b: n,
    });
    f.push(Instr::I64Sub {
        dst: n,
        a: n,
        b: one,
    });
    f.push(Instr::I64Eqz { dst: nz, a: n });
    f.push(Instr::BrIfNot {
        cond: nz,
        target: top,
    });
    f.bind(done);
    f.ret(&[acc]);
    let p = program(vec![f], &[]);
    let v = verified(&p);
    let mut instance = arenavm_vm::exec::Instance::new(&v, Default::default()).unwrap();
    for (n, fact) in [(0, 1), (1, 1), (5, 120), (20, 2_432_902_008_176_640_000)] {
        let got = expect_ok(instance.invoke(0, &[I64(n)], &Default::default()));
        assert_vals(&got, &[I64(fact)], &format!("{n}!"));
    }
}

#[test]
fn several_labels_at_one_position_and_a_label_at_the_start() {
    // L0: L1: L2: i += 1; if i < 3 goto L0/L1/L2 (by i); return i
    let mut f = FunctionBuilder::new("f", &[], &[Type::I32]);
    let (i, one, three, t) = (
        f.scalar(ScalarType::I32),
        f.scalar(ScalarType::I32),
        f.scalar(ScalarType::I32),
        f.scalar(ScalarType::I32),
    );
    let (l0, l1, l2, out) = (f.label(), f.label(), f.label(), f.label());
    f.push(Instr::I32Const { dst: one, value: 1 });
    f.push(Instr::I32Const {
        dst: three,
        value: 3,
    });
    f.bind(l0).bind(l1).bind(l2);
    f.push(Instr::I32Add {
        dst: i,
        a: i,
        b: one,
    });
    f.push(Instr::I32GeS {
        dst: t,
        a: i,
        b: three,
    });
    f.push(Instr::BrIf {
        cond: t,
        target: out,
    });
    let table = f.branch_table(&[l0, l1, l2]);
    f.push(Instr::BrTable { index: i, table });
    f.bind(out);
    f.ret(&[i]);
    assert_vals(&expect_ok(run_fn(f, &[])), &[I32(3)], "labels");

    // A backward jump to a label on the first instruction.
    let mut g = FunctionBuilder::new("g", &[Type::I32], &[Type::I32]);
    let n = g.param(0);
    let (zero, one) = (g.scalar(ScalarType::I32), g.scalar(ScalarType::I32));
    let (start, done) = (g.label(), g.label());
    g.bind(start);
    g.push(Instr::I32Const {
        dst: zero,
        value: 0,
    });
    g.push(Instr::I32Const { dst: one, value: 1 });
    g.push(Instr::BrI32Eq {
        a: n,
        b: zero,
        target: done,
    });
    g.push(Instr::I32Sub {
        dst: n,
        a: n,
        b: one,
    });
    g.push(Instr::Jump { target: start });
    g.bind(done);
    g.ret(&[n]);
    assert_vals(&expect_ok(run_fn(g, &[I32(7)])), &[I32(0)], "start label");
}

#[test]
fn unreachable_traps_with_function_and_index_counting_labels() {
    let mut f = FunctionBuilder::new("boom", &[], &[]);
    let r = f.scalar(ScalarType::I32);
    let (a, b) = (f.label(), f.label());
    f.bind(a); // 0
    f.push(Instr::I32Const { dst: r, value: 1 }); // 1
    f.bind(b); // 2
    f.push(Instr::Unreachable {}); // 3
    let trap = expect_trap(run_fn(f, &[]));
    assert_eq!(trap.kind, TrapKind::Unreachable);
    assert_eq!(trap.function, "boom");
    assert_eq!(trap.instruction, 3);
    assert_eq!(trap.to_string(), "unreachable in `boom` at instruction 3");
}

#[test]
fn numeric_trap_location_counts_labels() {
    let mut f = FunctionBuilder::new("div", &[Type::I32], &[Type::I32]);
    let x = f.param(0);
    let zero = f.scalar(ScalarType::I32);
    let (a, b, c) = (f.label(), f.label(), f.label());
    f.bind(a); // 0
    f.push(Instr::I32Const {
        dst: zero,
        value: 0,
    }); // 1
    f.bind(b); // 2
    f.bind(c); // 3
    f.push(Instr::I32DivU {
        dst: x,
        a: x,
        b: zero,
    }); // 4
    f.ret(&[x]); // 5
    let trap = expect_trap(run_fn(f, &[I32(9)]));
    assert_eq!(trap.kind, TrapKind::IntegerDivideByZero);
    assert_eq!((trap.function.as_str(), trap.instruction), ("div", 4));
    assert_eq!(
        trap.to_string(),
        "integer divide by zero in `div` at instruction 4"
    );
}

#[test]
fn the_text_form_runs_the_same() {
    let text = r#"(functions: [(
        name: "abs", params: [I32], results: [I32], scalars: [I32, I32],
        lists: [[0]],
        code: [
            I32Const(dst: 1, value: 0),
            BrI32GeS(a: 0, b: 1, target: "done"),
            I32Sub(dst: 0, a: 1, b: 0),
            Label(name: "done"),
            Return(values: 0),
        ],
    )])"#;
    let program = arenavm_vm::program::Program::from_ron(text).expect("parses");
    let v = arenavm_vm::verify(&program).expect("verifies");
    let mut instance = arenavm_vm::exec::Instance::new(&v, Default::default()).unwrap();
    for (x, want) in [(5, 5), (-5, 5), (0, 0)] {
        let got = expect_ok(instance.invoke_by_name("abs", &[I32(x)], &Default::default()));
        assert_vals(&got, &[I32(want)], "abs");
    }
}
