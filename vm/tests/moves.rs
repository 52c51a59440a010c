//! Constants, `Copy` and `Select` through the interpreter, for every scalar
//! type, bit for bit (NaN payloads included), and the RON text form of
//! float constants.

mod common;

use arenavm_vm::builder::FunctionBuilder;
use arenavm_vm::exec::{ExecConfig, Instance};
use arenavm_vm::isa::Instr;
use arenavm_vm::program::Program;
use arenavm_vm::program::Val::{self, FuncRef, I32, I64};
use arenavm_vm::types::{ScalarType, Type};
use arenavm_vm::verify;
use common::*;

/// A function returning one constant of each kind per entry of the tables.
fn constants() -> (FunctionBuilder, Vec<Val>) {
    let i32s = [0, -1, i32::MIN, i32::MAX];
    let i64s = [0, -1, i64::MIN, i64::MAX];
    let f32s = [
        0x7fa0_1234_u32,
        0xffc0_0001,
        0x8000_0000,
        0x0000_0001,
        0x7f80_0000,
    ];
    let f64s = [
        0x7ff4_0000_0000_0001_u64,
        0xfff8_0000_0000_0001,
        0x8000_0000_0000_0000,
        0x0000_0000_0000_0001,
    ];
    let mut types = Vec::new();
    let mut expected = Vec::new();
    types.extend(i32s.map(|_| Type::I32));
    types.extend(i64s.map(|_| Type::I64));
    types.extend(f32s.map(|_| Type::F32));
    types.extend(f64s.map(|_| Type::F64));
    let mut f = FunctionBuilder::new("consts", &[], &types);
    let mut regs = Vec::new();
    for value in i32s {
        let r = f.scalar(ScalarType::I32);
        f.push(Instr::I32Const { dst: r, value });
        regs.push(r);
        expected.push(I32(value));
    }
    for value in i64s {
        let r = f.scalar(ScalarType::I64);
        f.push(Instr::I64Const { dst: r, value });
        regs.push(r);
        expected.push(I64(value));
    }
    for bits in f32s {
        let r = f.scalar(ScalarType::F32);
        f.push(Instr::F32Const { dst: r, bits });
        regs.push(r);
        expected.push(f32b(bits));
    }
    for bits in f64s {
        let r = f.scalar(ScalarType::F64);
        f.push(Instr::F64Const { dst: r, bits });
        regs.push(r);
        expected.push(f64b(bits));
    }
    f.ret(&regs);
    (f, expected)
}

#[test]
fn constants_carry_exact_bits() {
    let (f, expected) = constants();
    assert_vals(&expect_ok(run_fn(f, &[])), &expected, "constants");
}

#[test]
fn float_constants_survive_the_text_form() {
    let (f, expected) = constants();
    let text = program(vec![f], &[]).into_text().to_ron();
    let parsed = Program::from_ron(&text).expect("parses");
    let v = verify(&parsed).expect("verifies");
    let mut instance = Instance::new(&v, Default::default()).unwrap();
    let got = expect_ok(instance.invoke(0, &[], &ExecConfig::default()));
    assert_vals(&got, &expected, "constants after to_ron / from_ron");

    // Hand-written text: the bits are plain integers.
    // 2141196852 = 0x7fa0_1234, 18443366373989023745 = 0xfff4_0000_0000_0001.
    let text = r#"(functions: [(
        name: "nan", results: [F32, F64], scalars: [F32, F64], lists: [[0, 1]],
        code: [
            F32Const(dst: 0, bits: 2141196852),
            F64Const(dst: 1, bits: 18443366373989023745),
            Return(values: 0),
        ],
    )])"#;
    let v = verify(&Program::from_ron(text).unwrap()).unwrap();
    let mut instance = Instance::new(&v, Default::default()).unwrap();
    let got = expect_ok(instance.invoke(0, &[], &ExecConfig::default()));
    assert_vals(
        &got,
        &[f32b(0x7fa0_1234), f64b(0xfff4_0000_0000_0001)],
        "text constants",
    );
}

#[test]
fn i32_values_carry_no_stale_high_bits() {
    // An i32 constant written over an i32 holding -1, and an i32 add that
    // wraps, leave nothing above bit 31: zero-extending them to i64 shows it.
    let mut f = FunctionBuilder::new("f", &[], &[Type::I64]);
    let (a, wide) = (f.scalar(ScalarType::I32), f.scalar(ScalarType::I64));
    f.push(Instr::I32Const { dst: a, value: -1 });
    f.push(Instr::I32Const { dst: a, value: 5 });
    f.push(Instr::I64ExtendI32U { dst: wide, a });
    f.ret(&[wide]);
    assert_vals(&expect_ok(run_fn(f, &[])), &[I64(5)], "extend");
    let mut f = FunctionBuilder::new("f", &[], &[Type::I64]);
    let (a, b, wide) = (
        f.scalar(ScalarType::I32),
        f.scalar(ScalarType::I32),
        f.scalar(ScalarType::I64),
    );
    f.push(Instr::I32Const { dst: a, value: -1 });
    f.push(Instr::I32Const { dst: b, value: 2 });
    f.push(Instr::I32Add { dst: a, a, b }); // wraps to 1
    f.push(Instr::I64ExtendI32U { dst: wide, a });
    f.ret(&[wide]);
    assert_vals(
        &expect_ok(run_fn(f, &[])),
        &[I64(1)],
        "wrapped add is 32-bit",
    );
}

#[test]
fn copy_moves_every_type_bit_exactly() {
    let types = [Type::I32, Type::I64, Type::F32, Type::F64, Type::FuncRef];
    let mut f = FunctionBuilder::new("copy", &types, &types);
    let mut outs = Vec::new();
    for (i, ty) in types.iter().enumerate() {
        let src = f.param(i);
        let dst = f.scalar(ty.scalar().unwrap());
        f.push(Instr::Copy { dst, src });
        outs.push(dst);
    }
    // Clobber the sources: the copies must not change.
    let zero = f.scalar(ScalarType::I32);
    f.push(Instr::Copy {
        dst: f.param(0),
        src: zero,
    });
    f.ret(&outs);
    let p = program(vec![f], &[]);
    let v = verified(&p);
    let mut instance = Instance::new(&v, Default::default()).unwrap();
    for args in [
        [
            I32(-7),
            I64(i64::MIN),
            f32b(0x7fa0_0001),
            f64b(0xfff4_0000_0000_0001),
            FuncRef(Some(0)),
        ],
        [
            I32(i32::MAX),
            I64(-1),
            f32b(0x8000_0000),
            f64b(1),
            FuncRef(None),
        ],
    ] {
        let got = expect_ok(instance.invoke(0, &args, &ExecConfig::default()));
        assert_vals(&got, &args, "copy");
    }
}

#[test]
fn select_picks_a_on_any_nonzero_condition() {
    let cases: [(ScalarType, Val, Val); 5] = [
        (ScalarType::I32, I32(11), I32(-22)),
        (ScalarType::I64, I64(i64::MAX), I64(i64::MIN)),
        (ScalarType::F32, f32b(0x7fa0_0001), f32b(0x8000_0000)),
        (
            ScalarType::F64,
            f64b(0x0000_0000_0000_0001),
            f64b(0xfff8_0000_0000_0002),
        ),
        (ScalarType::FuncRef, FuncRef(Some(0)), FuncRef(None)),
    ];
    for (ty, a, b) in cases {
        let op = OneOp::new(&[ScalarType::I32, ty, ty], ty, |dst, p| Instr::Select {
            dst,
            cond: p[0],
            a: p[1],
            b: p[2],
        });
        for cond in [1, -1, i32::MIN, 0x100] {
            op.gives(&[I32(cond), a, b], a);
        }
        op.gives(&[I32(0), a, b], b);
        op.gives(&[I32(0), b, a], a);
    }
}
