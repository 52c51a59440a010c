//! Registers and types: operands in range and of their types, parameters,
//! the register limit.

use crate::common::*;
use crate::{check, one, rejected};
use arenavm_vm::isa::{Instr, ListRef, Reg};
use arenavm_vm::program::{Function, Program};
use arenavm_vm::types::{ScalarType, Type};
use arenavm_vm::verify;

#[test]
fn register_out_of_range() {
    let e = rejected(&one(
        |f| {
            let r = f.scalar(ScalarType::I32);
            f.push(Instr::I32Const { dst: r, value: 1 }); // 0
            f.push(Instr::I32Add {
                dst: r,
                a: r,
                b: Reg(5),
            }); // 1
            f.ret(&[r]);
        },
        &[],
        &[Type::I32],
    ));
    check(
        &e,
        "f",
        1,
        Some(1),
        &["`b`", "register 5", "does not exist", "1 declared"],
    );
}

#[test]
fn operand_type_mismatch() {
    let e = rejected(&one(
        |f| {
            let (a, b) = (f.scalar(ScalarType::I32), f.scalar(ScalarType::I64));
            let l = f.label();
            f.bind(l); // 0
            f.push(Instr::I32Add { dst: a, a, b }); // 1
            f.ret(&[]);
        },
        &[],
        &[],
    ));
    check(
        &e,
        "f",
        1,
        Some(1),
        &["I32Add", "reads", "`b`", "I32", "register 1", "I64"],
    );
    // A written operand of the wrong type.
    let e = rejected(&one(
        |f| {
            let (a, d) = (f.scalar(ScalarType::I64), f.scalar(ScalarType::F64));
            f.push(Instr::I64Eqz { dst: d, a }); // writes I32
            f.ret(&[]);
        },
        &[],
        &[],
    ));
    check(
        &e,
        "f",
        1,
        Some(0),
        &["I64Eqz", "writes", "`dst`", "I32", "F64"],
    );
}

#[test]
fn copy_and_select_need_one_type() {
    let e = rejected(&one(
        |f| {
            let (a, b) = (f.scalar(ScalarType::I32), f.scalar(ScalarType::F32));
            f.push(Instr::I32Const { dst: a, value: 0 });
            f.push(Instr::Copy { dst: b, src: a }); // 1
            f.ret(&[]);
        },
        &[],
        &[],
    ));
    check(&e, "f", 1, Some(1), &["Copy", "one type", "F32", "I32"]);
    let e = rejected(&one(
        |f| {
            let (c, x, y) = (
                f.scalar(ScalarType::I32),
                f.scalar(ScalarType::F64),
                f.scalar(ScalarType::I64),
            );
            f.push(Instr::Select {
                dst: x,
                cond: c,
                a: x,
                b: y,
            });
            f.ret(&[]);
        },
        &[],
        &[],
    ));
    check(&e, "f", 1, Some(0), &["Select", "one type", "F64", "I64"]);
    // The condition must be an i32.
    let e = rejected(&one(
        |f| {
            let (c, x) = (f.scalar(ScalarType::I64), f.scalar(ScalarType::F64));
            f.push(Instr::Select {
                dst: x,
                cond: c,
                a: x,
                b: x,
            });
            f.ret(&[]);
        },
        &[],
        &[],
    ));
    check(&e, "f", 1, Some(0), &["Select", "`cond`", "I32", "I64"]);
    // Copy of a register that does not exist.
    let e = rejected(&one(
        |f| {
            let a = f.scalar(ScalarType::I32);
            f.push(Instr::Copy {
                dst: a,
                src: Reg(3),
            });
            f.ret(&[]);
        },
        &[],
        &[],
    ));
    check(&e, "f", 1, Some(0), &["register 3", "does not exist"]);
}

#[test]
fn parameters_are_the_first_registers_with_their_types() {
    let function = |params: Vec<Type>, scalars: Vec<ScalarType>| Function::<String> {
        name: "p".into(),
        params,
        results: vec![],
        scalars,
        cells: vec![],
        slices: vec![],
        lists: vec![vec![]],
        branch_tables: vec![],
        code: vec![Instr::Return { values: ListRef(0) }],
    };
    let program = |f: Function<String>| Program::<String> {
        functions: vec![f],
        ..Program::default()
    };
    let e = rejected(&program(function(vec![Type::I64], vec![ScalarType::I32])));
    check(
        &e,
        "p",
        0,
        None,
        &["parameter 0", "I64", "scalar register 0", "I32"],
    );
    let e = rejected(&program(function(
        vec![Type::I32, Type::F32],
        vec![ScalarType::I32],
    )));
    check(
        &e,
        "p",
        0,
        None,
        &["parameter 1", "F32", "register 1", "not declared"],
    );
    let e = rejected(&program(function(
        vec![Type::I32, Type::F64],
        vec![ScalarType::F64, ScalarType::I32],
    )));
    check(&e, "p", 0, None, &["parameter 0", "I32"]);
    verify(&program(function(
        vec![Type::I32, Type::F64],
        vec![ScalarType::I32, ScalarType::F64, ScalarType::I64],
    )))
    .expect("parameters first, then other registers");
}

#[test]
fn too_many_registers() {
    let f = Function::<String> {
        name: "huge".into(),
        params: vec![],
        results: vec![],
        scalars: vec![ScalarType::I32; 65_537],
        cells: vec![],
        slices: vec![],
        lists: vec![vec![]],
        branch_tables: vec![],
        code: vec![Instr::Return { values: ListRef(0) }],
    };
    let mut p = Program::<String> {
        functions: vec![f],
        ..Program::default()
    };
    let e = rejected(&p);
    check(&e, "huge", 0, None, &["65537 scalar registers", "65536"]);
    // 65,536 registers are fine, and the last one is usable.
    p.functions[0].scalars.pop();
    p.functions[0].code.insert(
        0,
        Instr::I32Const {
            dst: Reg(u16::MAX),
            value: 3,
        },
    );
    let v = verify(&p).expect("65,536 registers");
    let mut instance = arenavm_vm::exec::Instance::new(&v, Default::default()).unwrap();
    expect_ok(instance.invoke(0, &[], &Default::default()));
}
