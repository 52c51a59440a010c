//! What the translator emits: `local.get` and constants cost nothing,
//! constants become immediates, results go straight to their locals and
//! comparisons fuse into branches.

use arenavm_vm::isa::{Instr, Reg};

use crate::common::*;

/// The code of the one function of `wat`'s module (named `f`).
fn only(wat: &str) -> Vec<Instr<arenavm_vm::isa::Label>> {
    let p = program(wat);
    arenavm_vm::verify(&p).unwrap_or_else(|e| panic!("{e}"));
    code(&p, "f")
}

fn names(code: &[Instr<arenavm_vm::isa::Label>]) -> Vec<&'static str> {
    code.iter().map(|i| i.name()).collect()
}

#[test]
fn local_gets_and_constants_emit_nothing() {
    let code = only(
        r#"(module (elem declare func $f) (func $f (param i32 i64)
            local.get 0 drop local.get 1 drop i32.const 1 drop
            f64.const 2.5 drop ref.null func drop ref.func $f drop
            local.get 0 local.get 1 local.get 0 drop drop drop))"#,
    );
    assert_eq!(names(&code), ["Return"]);
}

#[test]
fn operands_are_read_from_the_locals_registers() {
    let code =
        only(r#"(module (func $f (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))"#);
    assert_eq!(names(&code), ["I32Add", "Return"]);
    assert!(matches!(
        code[0],
        Instr::I32Add {
            a: Reg(0),
            b: Reg(1),
            ..
        }
    ));
}

#[test]
fn constants_become_immediates() {
    let code = only(
        r#"(module (func $f (param i32 i64) (result i32 i64 i32)
            local.get 0 i32.const 5 i32.add
            i64.const -7 local.get 1 i64.mul
            local.get 0 i32.const 3 i32.sub))"#,
    );
    assert_eq!(
        names(&code),
        ["I32AddImm", "I64MulImm", "I32AddImm", "Return"]
    );
    assert!(matches!(
        code[0],
        Instr::I32AddImm {
            a: Reg(0),
            imm: 5,
            ..
        }
    ));
    assert!(matches!(
        code[1],
        Instr::I64MulImm {
            a: Reg(1),
            imm: -7,
            ..
        }
    ));
    assert!(
        matches!(code[2], Instr::I32AddImm { imm: -3, .. }),
        "a - 3 is a + -3"
    );
}

#[test]
fn a_constant_that_is_no_immediate_is_loaded_once_where_needed() {
    let code = only(
        r#"(module (func $f (param i32 i64) (result i32 i64)
            i32.const 5 local.get 0 i32.sub
            local.get 1 i64.const 0x1_0000_0000 i64.add))"#,
    );
    assert_eq!(
        names(&code),
        ["I32Const", "I32Sub", "I64Const", "I64Add", "Return"]
    );
}

#[test]
fn local_set_after_an_operation_retargets_it() {
    let code = only(
        r#"(module (func $f (param i32 i32) (result i32) (local i32)
            local.get 0 local.get 1 i32.mul local.set 2
            local.get 2 i32.const 1 i32.add local.tee 2
            local.get 2 i32.add))"#,
    );
    assert_eq!(names(&code), ["I32Mul", "I32AddImm", "I32Add", "Return"]);
    assert!(matches!(code[0], Instr::I32Mul { dst: Reg(2), .. }));
    assert!(matches!(
        code[1],
        Instr::I32AddImm {
            dst: Reg(2),
            a: Reg(2),
            imm: 1
        }
    ));
}

#[test]
fn local_set_of_a_constant_or_local_is_one_instruction() {
    let code = only(
        r#"(module (func $f (param i32) (result i32) (local i32 i32)
            i32.const 7 local.set 1 local.get 0 local.set 2 local.get 2 local.set 2 local.get 1))"#,
    );
    assert_eq!(names(&code), ["I32Const", "Copy", "Return"]);
}

#[test]
fn a_local_still_on_the_stack_is_preserved_before_it_is_overwritten() {
    let code = only(
        r#"(module (func $f (param i32) (result i32)
            local.get 0 local.get 0 i32.const 1 i32.add local.set 0 local.get 0 i32.sub))"#,
    );
    // The old value is copied out before the add overwrites local 0.
    assert_eq!(names(&code), ["Copy", "I32AddImm", "I32Sub", "Return"]);
    assert!(matches!(code[0], Instr::Copy { src: Reg(0), .. }));
    assert!(matches!(
        code[1],
        Instr::I32AddImm {
            dst: Reg(0),
            a: Reg(0),
            imm: 1
        }
    ));
}

#[test]
fn comparisons_fuse_into_branches() {
    let code = only(
        r#"(module (func $f (param i32 i32) (result i32)
            loop
              local.get 0 i32.const 1 i32.add local.set 0
              local.get 0 local.get 1 i32.lt_s br_if 0
            end
            local.get 0 i32.const 100 i32.gt_u
            if (result i32) i32.const 1 else i32.const 0 end))"#,
    );
    assert_eq!(
        names(&code),
        [
            "I32AddImm",
            "BrI32LtS",
            "BrI32LeUImm",
            "I32Const",
            "Jump",
            "I32Const",
            "Return"
        ]
    );
}

#[test]
fn eqz_and_plain_conditions_branch_without_comparing() {
    let code = only(
        r#"(module (func $f (param i32 i64) (result i32)
            block local.get 0 i32.eqz br_if 0 end
            block local.get 0 br_if 0 end
            block local.get 1 i64.eqz br_if 0 end
            block local.get 0 local.get 0 i32.ge_u i32.eqz br_if 0 end
            i32.const 0))"#,
    );
    assert_eq!(
        names(&code),
        [
            "BrIfNot",
            "BrIf",
            "BrI64EqImm",
            "BrI32LtU",
            "I32Const",
            "Return"
        ]
    );
}

#[test]
fn call_arguments_are_read_in_place() {
    let code = only(
        r#"(module
          (func $g (param i32 i32) (result i32) local.get 0)
          (func $f (param i32 i32) (result i32) local.get 1 local.get 0 call $g))"#,
    );
    assert_eq!(names(&code), ["Call", "Return"]);
}

#[test]
fn a_loop_counter_runs_in_three_instructions_per_iteration() {
    let code = only(
        r#"(module (func $f (param i32) (result i32) (local i32)
            loop
              local.get 1 local.get 0 i32.add local.set 1
              local.get 0 i32.const 1 i32.sub local.tee 0
              br_if 0
            end
            local.get 1))"#,
    );
    assert_eq!(names(&code), ["I32Add", "I32AddImm", "BrIf", "Return"]);
}

#[test]
fn results_of_blocks_reached_only_by_falling_through_stay_lazy() {
    for body in [
        "block (result i32) local.get 0 end",
        "loop (result i32) local.get 0 end",
        "block (result i32) i32.const 1 end local.get 0 i32.add",
        "local.get 0 i32.eqz if (result i32) unreachable else local.get 0 end",
    ] {
        let code = only(&format!(
            "(module (func $f (param i32) (result i32) {body}))"
        ));
        let expected: &[&str] = match body.starts_with("local") {
            true => &["BrIf", "Unreachable", "Return"],
            false if body.contains("add") => &["I32AddImm", "Return"],
            false => &["Return"],
        };
        assert_eq!(names(&code), expected, "{body}");
    }
    // A branch to the end merges paths: the values meet in one register.
    let code = only(
        r#"(module (func $f (param i32) (result i32)
            block (result i32) local.get 0 local.get 0 br_if 0 drop i32.const 2 end))"#,
    );
    assert_eq!(names(&code), ["Copy", "BrIf", "I32Const", "Return"]);
}

#[test]
fn an_if_on_a_constant_compiles_one_arm() {
    let code = only(
        r#"(module (func $f (param i32) (result i32)
            i32.const 0 if (result i32) local.get 0 i32.const 1 i32.add else local.get 0 i32.const 2 i32.add end
            i32.const 1 if (result i32) local.get 0 i32.const 3 i32.add else local.get 0 i32.const 4 i32.add end
            i32.add))"#,
    );
    assert_eq!(
        names(&code),
        ["I32AddImm", "I32AddImm", "Jump", "I32Add", "Return"]
    );
}
