//! The verifier: one test per rule, each showing a program it rejects and
//! checking that the error names the function, the instruction (its index
//! in the code as written, labels included) and the rule broken. Also: the
//! RON text form's parse errors are errors, not panics.

#[path = "../common/mod.rs"]
mod common;

mod calls_and_returns;
mod labels_and_branches;
mod module_rules;
mod program;
mod references_and_tables;
mod registers_and_types;
mod text_form;

use arenavm_vm::builder::{FunctionBuilder, ProgramBuilder};
use arenavm_vm::isa::{Instr, Label};
use arenavm_vm::program::{GlobalDecl, Program, Val};
use arenavm_vm::types::{ScalarType, Type};
use arenavm_vm::{VerifyError, verify};
use common::*;

/// The error `verify` gives for `program`; panics if it accepts it.
#[track_caller]
pub(crate) fn rejected<T>(program: &Program<T>) -> VerifyError
where
    T: Clone + Eq + std::hash::Hash + std::fmt::Display,
{
    match verify(program) {
        Err(e) => e,
        Ok(_) => panic!("the verifier accepted an invalid program"),
    }
}

/// Asserts the error's function, instruction and that its message (and
/// its display) contains every one of `words`.
#[track_caller]
pub(crate) fn check(
    e: &VerifyError,
    function: &str,
    index: usize,
    instruction: Option<usize>,
    words: &[&str],
) {
    assert_eq!(e.function, function, "function of {e}");
    assert_eq!(e.function_index, index, "function index of {e}");
    assert_eq!(e.instruction, instruction, "instruction of {e}");
    for w in words {
        assert!(
            e.message.contains(w),
            "`{}` does not mention `{w}`",
            e.message
        );
    }
    let shown = e.to_string();
    if !function.is_empty() {
        assert!(shown.contains(&format!("`{function}`")), "{shown}");
    }
    if let Some(i) = instruction {
        assert!(shown.contains(&format!("instruction {i}")), "{shown}");
    }
}

/// A program of one function built by `body`, after a harmless function
/// `first` at index 0 (so that function indices in errors are not all 0).
pub(crate) fn one(
    body: impl FnOnce(&mut FunctionBuilder),
    params: &[Type],
    results: &[Type],
) -> Program<Label> {
    let mut first = FunctionBuilder::new("first", &[], &[]);
    first.ret(&[]);
    let mut f = FunctionBuilder::new("f", params, results);
    body(&mut f);
    program(vec![first, f], &[])
}

/// A program with one mutable i64 global (0), one immutable f32 global (1)
/// and one memory, around the function built by `body`.
pub(crate) fn with_globals_and_memory(body: impl FnOnce(&mut FunctionBuilder)) -> Program<Label> {
    let mut p = ProgramBuilder::new();
    p.global(GlobalDecl::new(Val::I64(0), true).unwrap());
    p.global(GlobalDecl::new(Val::F32(0.0), false).unwrap());
    p.memory(mem(1, None));
    let mut f = FunctionBuilder::new("g", &[], &[]);
    body(&mut f);
    p.function(f);
    p.finish()
}

#[test]
fn a_valid_program_passes() {
    let p = one(
        |f| {
            let r = f.scalar(ScalarType::I32);
            f.push(Instr::I32Const { dst: r, value: 1 });
            f.ret(&[r]);
        },
        &[],
        &[Type::I32],
    );
    let v = verify(&p).expect("valid");
    assert_eq!(v.function_index("f"), Some(1));
    assert_eq!(v.function_names().collect::<Vec<_>>(), ["first", "f"]);
    assert_eq!(v.signature(1), Some((&[][..], &[Type::I32][..])));
    assert_eq!(v.signature(2), None);
}
