//! Labels, branch tables and the end of the code.

use crate::common::*;
use crate::{check, one, rejected};
use arenavm_vm::builder::FunctionBuilder;
use arenavm_vm::isa::Instr;
use arenavm_vm::program::Program;
use arenavm_vm::types::{ScalarType, Type};
use arenavm_vm::verify;

#[test]
fn undefined_and_duplicate_labels() {
    let e = rejected(&one(
        |f| {
            let nowhere = f.label();
            f.ret(&[]); // 0
            f.push(Instr::Jump { target: nowhere }); // 1
        },
        &[],
        &[],
    ));
    check(&e, "f", 1, Some(1), &["undefined label", "L0"]);
    let e = rejected(&one(
        |f| {
            let l = f.label();
            f.bind(l); // 0
            f.ret(&[]); // 1
            f.bind(l); // 2
            f.ret(&[]); // 3
        },
        &[],
        &[],
    ));
    check(&e, "f", 1, Some(2), &["label", "L0", "defined twice"]);
    // In the text form the label's name is reported.
    let text = r#"(functions: [(name: "t", code: [Jump(target: "nowhere")])])"#;
    let e = rejected(&Program::from_ron(text).unwrap());
    check(&e, "t", 0, Some(0), &["undefined label", "`nowhere`"]);
}

#[test]
fn branch_tables_must_exist_and_not_be_empty() {
    let e = rejected(&one(
        |f| {
            let i = f.scalar(ScalarType::I32);
            let l = f.label();
            f.branch_table(&[l]);
            f.bind(l); // 0
            f.push(Instr::BrTable { index: i, table: 3 }); // 1
        },
        &[],
        &[],
    ));
    check(&e, "f", 1, Some(1), &["branch table 3", "does not exist"]);
    let e = rejected(&one(
        |f| {
            let i = f.scalar(ScalarType::I32);
            let t = f.branch_table(&[]);
            f.push(Instr::BrTable { index: i, table: t }); // 0
        },
        &[],
        &[],
    ));
    assert_eq!((e.function.as_str(), e.function_index), ("f", 1));
    assert!(e.message.contains("branch table 0 has no targets"), "{e}");
    let e = rejected(&one(
        |f| {
            let i = f.scalar(ScalarType::I32);
            let missing = f.label();
            let t = f.branch_table(&[missing]);
            f.push(Instr::BrTable { index: i, table: t }); // 0
        },
        &[],
        &[],
    ));
    assert_eq!((e.function.as_str(), e.function_index), ("f", 1));
    assert!(
        e.message.contains("branch table 0") && e.message.contains("undefined label"),
        "{e}"
    );
    // The index must be an i32.
    let e = rejected(&one(
        |f| {
            let i = f.scalar(ScalarType::I64);
            let l = f.label();
            let t = f.branch_table(&[l]);
            f.bind(l);
            f.push(Instr::BrTable { index: i, table: t }); // 1
        },
        &[],
        &[],
    ));
    check(&e, "f", 1, Some(1), &["BrTable", "`index`", "I32", "I64"]);
}

// Regression: branch table errors once named whichever instruction the
// verifier had checked last.
#[test]
fn branch_table_errors_do_not_name_an_unrelated_instruction() {
    let e = rejected(&one(
        |f| {
            let i = f.scalar(ScalarType::I32);
            let t = f.branch_table(&[]);
            let l = f.label();
            f.push(Instr::BrTable { index: i, table: t }); // 0
            f.bind(l); // 1
            f.push(Instr::I32Const { dst: i, value: 0 }); // 2
            f.ret(&[]); // 3
        },
        &[],
        &[],
    ));
    assert!(e.message.contains("no targets"), "{e}");
    assert_eq!(
        e.instruction, None,
        "a branch table belongs to no one instruction"
    );
}

#[test]
fn the_last_instruction_must_not_fall_through() {
    let e = rejected(&one(
        |f| {
            let r = f.scalar(ScalarType::I32);
            let l = f.label();
            f.bind(l); // 0
            f.push(Instr::I32Const { dst: r, value: 1 }); // 1
            f.push(Instr::BrIf { cond: r, target: l }); // 2
        },
        &[],
        &[],
    ));
    check(&e, "f", 1, Some(2), &["falls through"]);
    // A label after the last instruction does not change which one is last.
    let e = rejected(&one(
        |f| {
            let r = f.scalar(ScalarType::I32);
            let l = f.label();
            f.push(Instr::I32Const { dst: r, value: 1 }); // 0
            f.bind(l); // 1
        },
        &[],
        &[],
    ));
    check(&e, "f", 1, Some(0), &["falls through"]);
    // Each ending that cannot fall through is accepted.
    let endings: [fn(&mut FunctionBuilder); 4] = [
        |f| {
            f.ret(&[]);
        },
        |f| {
            f.push(Instr::Unreachable {});
        },
        |f| {
            let l = f.label();
            f.bind(l);
            f.push(Instr::Jump { target: l });
        },
        |f| {
            let r = f.scalar(ScalarType::I32);
            let l = f.label();
            let t = f.branch_table(&[l]);
            f.bind(l);
            f.push(Instr::BrTable { index: r, table: t });
        },
    ];
    for end in endings {
        verify(&one(end, &[], &[])).expect("a valid ending");
    }
    let mut f = FunctionBuilder::new("f", &[], &[]);
    let args = f.list(&[]);
    f.push(Instr::ReturnCall { func: 0, args });
    verify(&program(vec![f], &[])).expect("ReturnCall ends a function");
}

#[test]
fn a_function_needs_code() {
    let e = rejected(&one(|_| {}, &[], &[]));
    check(&e, "f", 1, None, &["no code"]);
    // Labels alone are not code.
    let e = rejected(&one(
        |f| {
            let l = f.label();
            f.bind(l);
        },
        &[],
        &[],
    ));
    check(&e, "f", 1, None, &["no code"]);
}

// Regression: a label after the last instruction was accepted, and a jump
// to it ran the interpreter off the end of the code.
#[test]
fn a_jump_past_the_last_instruction_is_rejected() {
    // f(c): if c goto end; return; end:
    let mut f = FunctionBuilder::new("f", &[Type::I32], &[]);
    let c = f.param(0);
    let end = f.label();
    f.push(Instr::BrIf {
        cond: c,
        target: end,
    });
    f.ret(&[]);
    f.bind(end);
    let e = rejected(&program(vec![f], &[]));
    check(&e, "f", 0, Some(2), &["label", "marks no instruction"]);
}
