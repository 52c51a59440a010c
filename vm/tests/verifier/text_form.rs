//! The RON text form: parse errors are errors, not panics.

use crate::common::*;
use crate::{check, rejected};
use arenavm_vm::builder::{FunctionBuilder, ProgramBuilder};
use arenavm_vm::isa::Instr;
use arenavm_vm::program::{GlobalDecl, Program, Val};
use arenavm_vm::types::{ScalarType, Type};
use arenavm_vm::verify;

#[test]
fn invalid_text_is_an_error_not_a_panic() {
    let texts = [
        "",
        "(",
        "not ron at all",
        "(functions: 5)",
        r#"(functions: [(name: 1, code: [])])"#,
        r#"(functions: [(name: "f", code: [Frobnicate(dst: 0)])])"#,
        r#"(functions: [(name: "f", code: [I32Add(dst: 0, a: 0)])])"#,
        r#"(functions: [(name: "f", code: [I32Const(dst: 70000, value: 1)])])"#,
        r#"(functions: [(name: "f", code: [I32Const(dst: 0, value: 99999999999)])])"#,
        r#"(functions: [(name: "f", code: [F32Const(dst: 0, bits: -1)])])"#,
        r#"(functions: [(name: "f", params: [I128], code: [])])"#,
        r#"(memories: [(min_pages: -1)], functions: [])"#,
    ];
    for text in texts {
        assert!(Program::from_ron(text).is_err(), "accepted: {text}");
    }
    // Well-formed text that the verifier then rejects.
    let text = r#"(functions: [(name: "f", results: [I32], code: [Return(values: 0)])])"#;
    let e = rejected(&Program::from_ron(text).expect("parses"));
    check(
        &e,
        "f",
        0,
        Some(0),
        &["returned values", "operand list 0", "does not exist"],
    );
}

#[test]
fn text_round_trips_through_to_ron() {
    let mut f = FunctionBuilder::new("f", &[Type::I32], &[Type::F32]);
    let x = f.param(0);
    let y = f.scalar(ScalarType::F32);
    let l = f.label();
    let t = f.branch_table(&[l, l]);
    f.push(Instr::BrTable { index: x, table: t });
    f.bind(l);
    f.push(Instr::F32Const {
        dst: y,
        bits: 0x7fa0_0001,
    });
    f.push(Instr::Unreachable {});
    let mut p = ProgramBuilder::new();
    p.memory(mem(1, Some(2)));
    p.global(GlobalDecl::new(Val::F64(-0.0), true).unwrap());
    p.function(f);
    let text = p.finish().into_text();
    let again = Program::from_ron(&text.to_ron()).expect("to_ron output parses");
    assert_eq!(again.to_ron(), text.to_ron());
    verify(&again).expect("still valid");
}

#[test]
fn unknown_fields_in_the_text_form_are_errors() {
    let text = r#"(memories: [(min_pages: 1, max_page: 2)], functions: [])"#;
    let err = Program::from_ron(text).unwrap_err();
    assert!(err.to_string().contains("max_page"), "{err}");
    let text = r#"(functions: [(name: "f", code: [Return(values: 0, extra: 1)])])"#;
    let err = Program::from_ron(text).unwrap_err();
    assert!(err.to_string().contains("extra"), "{err}");
}
