//! What the translator emits: `local.get` and constants cost nothing,
//! constants become immediates, results go straight to their locals and
//! comparisons fuse into branches.

use arenavm_vm::isa::{Access, Instr, Label, Reg};
use arenavm_vm::program::Function;

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
            "Return", // the then arm's jump to the shared return
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
    // (The 0 returned is in a register of the cleared frame: no load.)
    assert_eq!(
        names(&code),
        ["BrIfNot", "BrIf", "BrI64EqImm", "BrI32LtU", "Return"]
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

// ------------------------------------------------ constants in registers

/// The function `f` of `wat`, verified, labels included.
fn function(wat: &str) -> Function<Label> {
    let p = program(wat);
    arenavm_vm::verify(&p).unwrap_or_else(|e| panic!("{e}"));
    p.functions
        .into_iter()
        .find(|f| f.name == "f")
        .expect("a function `f`")
}

/// The code before the first label, and the code of the loop that ends
/// with the last backward branch (the loop's label excluded).
fn prologue_and_loop(f: &Function<Label>) -> (&[Instr<Label>], &[Instr<Label>]) {
    let label_at = |target: Label| {
        f.code
            .iter()
            .position(|i| matches!(*i, Instr::Label { name } if name == target))
    };
    let (head, back) = (0..f.code.len())
        .rev()
        .find_map(|i| {
            let mut targets = Vec::new();
            let _ = f.code[i].clone().map_targets(|t| {
                targets.push(t);
                Ok::<_, ()>(t)
            });
            let head = targets
                .into_iter()
                .filter_map(label_at)
                .find(|&at| at < i)?;
            Some((head, i))
        })
        .expect("a loop");
    let first_label = f
        .code
        .iter()
        .position(|i| matches!(i, Instr::Label { .. }))
        .unwrap_or(f.code.len());
    (&f.code[..first_label], &f.code[head + 1..=back])
}

fn is_const(instr: &Instr<Label>) -> bool {
    matches!(
        instr,
        Instr::I32Const { .. }
            | Instr::I64Const { .. }
            | Instr::F32Const { .. }
            | Instr::F64Const { .. }
    )
}

/// The registers `instr` writes (call results included).
fn writes(f: &Function<Label>, instr: &Instr<Label>) -> Vec<Reg> {
    let mut regs: Vec<Reg> = instr
        .operands()
        .iter()
        .filter(|o| o.access == Access::Write)
        .map(|o| o.reg)
        .collect();
    if let Instr::Call { results, .. } | Instr::CallImport { results, .. } = instr {
        regs.extend(&f.lists[results.0 as usize]);
    }
    regs
}

/// The register each constant load of the prologue sets, by constant.
fn loaded(prologue: &[Instr<Label>]) -> Vec<(String, Reg)> {
    prologue
        .iter()
        .map(|i| match *i {
            Instr::I32Const { dst, value } => (format!("i32 {value}"), dst),
            Instr::I64Const { dst, value } => (format!("i64 {value}"), dst),
            Instr::F32Const { dst, bits } => (format!("f32 {bits:#x}"), dst),
            Instr::F64Const { dst, bits } => (format!("f64 {bits:#x}"), dst),
            ref other => panic!("{other:?} in the prologue"),
        })
        .collect()
}

/// The sieve's marking loop, the matmul fill's remainders, the copy
/// workload's rotate and chunk length: operands with no immediate form.
const NO_IMMEDIATE_LOOP: &str = r#"(module (memory 1)
  (func $f (param $j i32) (param $n i32) (result i32) (local $x i32)
    loop $l
      (i32.store8 (local.get $j) (i32.const 1))
      (local.set $x (i32.rem_u (local.get $j) (i32.const 11)))
      (local.set $x (i32.rotl (local.get $x) (i32.const 3)))
      (memory.copy (local.get $x) (local.get $j) (i32.const 256))
      (local.set $j (i32.add (local.get $j) (local.get $n)))
      (br_if $l (i32.lt_u (local.get $j) (i32.const 60000)))
    end
    local.get $x))"#;

#[test]
fn a_loop_reads_constants_without_an_immediate_form_from_registers_set_at_entry() {
    let f = function(NO_IMMEDIATE_LOOP);
    let (prologue, body) = prologue_and_loop(&f);
    assert!(
        !body.iter().any(is_const),
        "no constant is loaded in the loop: {body:?}"
    );
    let loaded = loaded(prologue);
    let names: Vec<&str> = loaded.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(names, ["i32 1", "i32 11", "i32 3", "i32 256"], "once each");
    let reg = |c: &str| loaded.iter().find(|(k, _)| k == c).unwrap().1;
    assert!(body.iter().any(|i| matches!(*i,
        Instr::I32Store8 { value, .. } if value == reg("i32 1"))));
    assert!(body.iter().any(|i| matches!(*i,
        Instr::I32RemU { b, .. } if b == reg("i32 11"))));
    assert!(body.iter().any(|i| matches!(*i,
        Instr::I32Rotl { b, .. } if b == reg("i32 3"))));
    assert!(body.iter().any(|i| matches!(*i,
        Instr::MemoryCopy { len, .. } if len == reg("i32 256"))));
    // The loop's own comparison keeps its immediate.
    assert!(
        body.iter()
            .any(|i| matches!(i, Instr::BrI32LtUImm { imm: 60000, .. }))
    );
    // Nothing but its load writes a constant's register.
    for (c, r) in &loaded {
        let writers = f.code.iter().filter(|i| writes(&f, i).contains(r)).count();
        assert_eq!(writers, 1, "{c} in {r:?}");
    }
}

#[test]
fn the_prologue_comes_before_a_loop_that_starts_the_function() {
    let f = function(NO_IMMEDIATE_LOOP);
    assert!(is_const(&f.code[0]), "{:?}", f.code[0]);
    assert!(matches!(f.code[4], Instr::Label { .. }), "{:?}", f.code[4]);
    // And the loop computes what WebAssembly says (j = 0, 7, ..., 59997).
    let mut m = Module::new(&NO_IMMEDIATE_LOOP.replace("(func $f", "(func $f (export \"f\")"));
    let x = ((59_997 % 11) as u32).rotate_left(3) as i32;
    assert_eq!(m.get("f", &[i32(0), i32(7)]), i32(x));
}

#[test]
fn a_constant_used_twice_is_one_register() {
    let f = function(
        r#"(module (memory 1) (func $f (param i32 i32) (result i32)
            loop
              (i32.store8 (local.get 0) (i32.const 7))
              (local.set 1 (i32.rem_u (local.get 1) (i32.const 7)))
              (local.set 0 (i32.rotl (local.get 0) (i32.const 7)))
              (br_if 0 (local.get 1))
            end
            (i32.store8 (local.get 1) (i32.const 7))
            local.get 0))"#,
    );
    let consts: Vec<&Instr<Label>> = f.code.iter().filter(|i| is_const(i)).collect();
    let [Instr::I32Const { dst, value: 7 }] = consts[..] else {
        panic!("one load of 7: {:?}", f.code);
    };
    let reads_of_7 = f
        .code
        .iter()
        .flat_map(|i| i.operands())
        .filter(|o| o.access == Access::Read && o.reg == *dst)
        .count();
    assert_eq!(reads_of_7, 4, "in the loop three times, and once after it");
}

#[test]
fn zero_is_in_a_register_of_the_cleared_frame() {
    let f = function(
        r#"(module (memory 1) (func $f (param i32)
            (memory.fill (i32.const 0) (i32.const 0) (local.get 0))
            (memory.fill (local.get 0) (i32.const 0) (i32.const 0))))"#,
    );
    let zeros: Vec<Reg> = f
        .code
        .iter()
        .filter_map(|i| match *i {
            Instr::MemoryFill { dst, value, .. } if dst == value => Some(dst),
            Instr::MemoryFill { value, len, .. } if value == len => Some(len),
            _ => None,
        })
        .collect();
    assert_eq!(names(&f.code), ["MemoryFill", "MemoryFill", "Return"]);
    assert_eq!(zeros.len(), 2);
    assert_eq!(zeros[0], zeros[1], "one register for both");
    assert_ne!(zeros[0], Reg(0), "not the parameter");
}

#[test]
fn float_constants_are_told_apart_by_their_bits() {
    let wat = r#"(module (func $f (export "f") (param i32) (result i64 i64 i64)
        (local f32 f64 f64)
        loop
          (local.set 1 (f32.mul (local.get 1) (f32.const -0)))
          (local.set 1 (f32.add (local.get 1) (f32.const 0)))
          (local.set 2 (select (f64.const nan:0x4) (f64.const nan:0x5) (local.get 0)))
          (local.set 3 (select (f64.const nan:0x5) (f64.const nan:0x4) (local.get 0)))
          (br_if 0 (local.tee 0 (i32.sub (local.get 0) (i32.const 1))))
        end
        (i64.reinterpret_f64 (local.get 2))
        (i64.reinterpret_f64 (local.get 3))
        (i64.extend_i32_u (i32.reinterpret_f32 (local.get 1)))))"#;
    let f = function(wat);
    let (prologue, body) = prologue_and_loop(&f);
    assert!(!body.iter().any(is_const), "{body:?}");
    let names: Vec<String> = loaded(prologue).into_iter().map(|(c, _)| c).collect();
    assert_eq!(
        names,
        [
            "f32 0x80000000",
            "f64 0x7ff0000000000004",
            "f64 0x7ff0000000000005"
        ],
        "+0 needs no load"
    );
    let mut m = Module::new(wat);
    let results = m.call("f", &[i32(2)]).expect("runs");
    assert_eq!(
        results,
        [
            i64(0x7ff0_0000_0000_0004),
            i64(0x7ff0_0000_0000_0005),
            i64(0)
        ]
    );
}

#[test]
fn constants_past_the_limit_are_loaded_where_used() {
    let stores: String = (1..=70)
        .map(|v| format!("(i32.store8 (local.get 0) (i32.const {v}))"))
        .collect();
    let f = function(&format!(
        r#"(module (memory 1) (func $f (param i32)
            loop {stores} (br_if 0 (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))) end))"#
    ));
    let (prologue, body) = prologue_and_loop(&f);
    assert_eq!(loaded(prologue).len(), 64);
    assert_eq!(body.iter().filter(|i| is_const(i)).count(), 6);
}

#[test]
fn a_constant_outside_loops_is_loaded_where_used_unless_it_has_a_register() {
    let code = only(
        r#"(module (memory 1) (func $f (param i32)
            (i32.store8 (local.get 0) (i32.const 9))
            loop (i32.store8 (local.get 0) (i32.const 5)) end
            (i32.store8 (local.get 0) (i32.const 5))))"#,
    );
    // 5: set at entry for the loop, and read from there after it too.
    assert_eq!(
        names(&code),
        [
            "I32Const",
            "I32Const",
            "I32Store8",
            "I32Store8",
            "I32Store8",
            "Return"
        ]
    );
    assert!(matches!(code[0], Instr::I32Const { value: 5, .. }));
    assert!(matches!(code[1], Instr::I32Const { value: 9, .. }));
}

// ------------------------------------------------ returns

#[test]
fn fibs_leaf_returns_its_parameter_without_a_jump() {
    let f = function(
        r#"(module (func $f (param $n i64) (result i64)
            (if (result i64) (i64.lt_s (local.get $n) (i64.const 2))
              (then (local.get $n))
              (else
                (i64.add
                  (call $f (i64.sub (local.get $n) (i64.const 1)))
                  (call $f (i64.sub (local.get $n) (i64.const 2))))))))"#,
    );
    let code: Vec<&Instr<Label>> = f
        .code
        .iter()
        .filter(|i| !matches!(i, Instr::Label { .. }))
        .collect();
    let names: Vec<&str> = code.iter().map(|i| i.name()).collect();
    assert_eq!(
        names,
        [
            "BrI64GeSImm",
            "Return",
            "I64AddImm",
            "Call",
            "I64AddImm",
            "Call",
            "I64Add",
            "Return"
        ]
    );
    let Instr::Return { values } = *code[1] else {
        unreachable!()
    };
    assert_eq!(
        f.lists[values.0 as usize],
        [Reg(0)],
        "the leaf returns the parameter's own register"
    );
}

#[test]
fn a_branch_out_of_the_function_block_returns_in_place() {
    let wat = r#"(module (func $f (export "f") (param i32 i32) (result i32)
        block (result i32)
          local.get 1
          local.get 0 i32.eqz br_if 0
          drop
          block (result i32) local.get 0 local.get 1 i32.add br 1 end
        end))"#;
    let code = only(wat);
    assert!(!names(&code).contains(&"Jump"), "{code:?}");
    let mut m = Module::new(wat);
    assert_eq!(m.get("f", &[i32(0), i32(5)]), i32(5));
    assert_eq!(m.get("f", &[i32(2), i32(5)]), i32(7));
}
