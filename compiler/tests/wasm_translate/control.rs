//! Structured control flow: blocks, loops, `if`, branches with values,
//! `br_table`, multi-value blocks and dead code.

use arenavm_vm::exec::TrapKind;
use arenavm_vm::program::Val;

use crate::common::*;

#[test]
fn loops_and_conditional_branches() {
    let mut m = Module::new(
        r#"(module
          (func (export "fac") (param i64) (result i64) (local i64)
            i64.const 1 local.set 1
            block
              loop
                local.get 0 i64.const 1 i64.le_s br_if 1
                local.get 1 local.get 0 i64.mul local.set 1
                local.get 0 i64.const 1 i64.sub local.set 0
                br 0
              end
            end
            local.get 1)
          (func (export "sum_to") (param i32) (result i32) (local i32 i32)
            loop
              local.get 1 local.get 2 i32.add local.set 1
              local.get 2 i32.const 1 i32.add local.tee 2
              local.get 0 i32.le_s br_if 0
            end
            local.get 1))"#,
    );
    assert_eq!(m.get("fac", &[i64(20)]), i64(2_432_902_008_176_640_000));
    assert_eq!(m.get("fac", &[i64(0)]), i64(1));
    assert_eq!(m.get("sum_to", &[i32(100)]), i32(5050));
}

#[test]
fn if_else_with_results_and_without_else() {
    let mut m = Module::new(
        r#"(module
          (func (export "abs") (param i32) (result i32)
            local.get 0 i32.const 0 i32.lt_s
            if (result i32) i32.const 0 local.get 0 i32.sub else local.get 0 end)
          (func (export "clamp") (param i32) (result i32)
            local.get 0 i32.const 100 i32.gt_s
            if i32.const 100 local.set 0 end
            local.get 0)
          (func (export "nested") (param i32 i32) (result i32)
            local.get 0
            if (result i32)
              local.get 1 if (result i32) i32.const 11 else i32.const 10 end
            else
              local.get 1 if (result i32) i32.const 1 else i32.const 0 end
            end)
          (func (export "float_cond") (param f64) (result i32)
            local.get 0 f64.const 0 f64.gt if (result i32) i32.const 1 else i32.const -1 end))"#,
    );
    assert_eq!(m.get("abs", &[i32(-5)]), i32(5));
    assert_eq!(m.get("abs", &[i32(7)]), i32(7));
    assert_eq!(m.get("clamp", &[i32(500)]), i32(100));
    assert_eq!(m.get("clamp", &[i32(50)]), i32(50));
    for (a, b) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
        assert_eq!(m.get("nested", &[i32(a), i32(b)]), i32(a * 10 + b));
    }
    assert_eq!(m.get("float_cond", &[Val::F64(0.5)]), i32(1));
    assert_eq!(m.get("float_cond", &[Val::F64(f64::NAN)]), i32(-1));
}

#[test]
fn branches_carry_values_out_of_blocks() {
    let mut m = Module::new(
        r#"(module
          (func (export "early") (param i32) (result i32)
            block (result i32)
              i32.const 7
              local.get 0
              br_if 0
              drop
              i32.const 8
            end)
          (func (export "from_local") (param i32 i32) (result i32)
            block (result i32)
              local.get 1
              local.get 0 i32.eqz br_if 0
              i32.const 1 i32.add
            end)
          (func (export "deep") (param i32) (result i32)
            block (result i32)
              block (result i32)
                block (result i32)
                  local.get 0 i32.const 3 i32.mul
                  local.get 0 i32.const 5 i32.gt_u br_if 2
                  i32.const 1 i32.add
                end
                i32.const 10 i32.add
              end
              i32.const 100 i32.add
            end))"#,
    );
    assert_eq!(m.get("early", &[i32(1)]), i32(7));
    assert_eq!(m.get("early", &[i32(0)]), i32(8));
    assert_eq!(m.get("from_local", &[i32(0), i32(41)]), i32(41));
    assert_eq!(m.get("from_local", &[i32(1), i32(41)]), i32(42));
    assert_eq!(m.get("deep", &[i32(6)]), i32(18));
    assert_eq!(m.get("deep", &[i32(2)]), i32(117));
}

#[test]
fn br_table_with_values_defaults_and_returns() {
    let mut m = Module::new(
        r#"(module
          (func (export "switch") (param i32) (result i32)
            block block block block
              local.get 0 br_table 0 1 2 3
            end i32.const 100 return
            end i32.const 101 return
            end i32.const 102 return
            end i32.const 103)
          (func (export "valued") (param i32) (result i32)
            block (result i32)
              block (result i32)
                i32.const 50
                local.get 0
                br_table 0 1 2
              end
              i32.const 1 i32.add
            end
            i32.const 2 i32.add)
          (func (export "const_index") (result i32)
            block (result i32) block (result i32)
              i32.const 5 i32.const 1 br_table 0 1 0
            end i32.const 1000 i32.add end))"#,
    );
    for (i, want) in [(0, 100), (1, 101), (2, 102), (3, 103), (4, 103), (-1, 103)] {
        assert_eq!(m.get("switch", &[i32(i)]), i32(want), "index {i}");
    }
    assert_eq!(m.get("valued", &[i32(0)]), i32(53));
    assert_eq!(m.get("valued", &[i32(1)]), i32(52));
    assert_eq!(m.get("valued", &[i32(2)]), i32(50), "returns 50");
    assert_eq!(m.get("valued", &[i32(99)]), i32(50));
    assert_eq!(m.get("const_index", &[]), i32(5));
}

#[test]
fn multi_value_blocks_with_parameters() {
    let mut m = Module::new(
        r#"(module
          (type $pair (func (param i32 i32) (result i32 i32)))
          (func (export "swap") (param i32 i32) (result i32 i32)
            local.get 0 local.get 1
            block (type $pair)
              local.set 0 local.set 1 local.get 0 local.get 1
            end)
          (func (export "divmod") (param i32 i32) (result i32 i32)
            local.get 0 local.get 1
            block (param i32 i32) (result i32 i32)
              local.get 0 local.get 1 i32.div_u
              local.get 0 local.get 1 i32.rem_u
              br 0
            end
            local.set 1 local.set 0 local.get 0 local.get 1)
          (func (export "if_params") (param i32) (result i32)
            i32.const 10 i32.const 3
            local.get 0
            if (param i32 i32) (result i32) i32.sub else i32.add end)
          (func (export "loop_params") (param i32) (result i32)
            i32.const 0 local.get 0
            loop (param i32 i32) (result i32)
              local.set 0
              local.get 0 i32.add
              local.get 0 i32.const 1 i32.sub local.tee 0
              local.get 0 br_if 0
              drop
            end)
          (func (export "implicit_else") (param i32) (result i32)
            i32.const 5 local.get 0 if (param i32) (result i32) i32.const 2 i32.mul end))"#,
    );
    assert_eq!(m.call("swap", &[i32(1), i32(2)]), Ok(vec![i32(2), i32(1)]));
    assert_eq!(
        m.call("divmod", &[i32(17), i32(5)]),
        Ok(vec![i32(3), i32(2)])
    );
    assert_eq!(m.get("if_params", &[i32(1)]), i32(7));
    assert_eq!(m.get("if_params", &[i32(0)]), i32(13));
    assert_eq!(m.get("loop_params", &[i32(4)]), i32(10));
    assert_eq!(m.get("implicit_else", &[i32(1)]), i32(10));
    assert_eq!(m.get("implicit_else", &[i32(0)]), i32(5));
}

#[test]
fn a_local_read_before_a_block_keeps_its_value_when_the_block_writes_it() {
    let mut m = Module::new(
        r#"(module
          (func (export "f") (param i32 i32) (result i32)
            local.get 0
            block
              local.get 1 br_if 0
              i32.const 100 local.set 0
            end
            local.get 0 i32.add)
          (func (export "loop") (param i32) (result i32) (local i32)
            local.get 0
            loop
              local.get 1 i32.const 1 i32.add local.tee 1
              local.set 0
              local.get 1 i32.const 3 i32.lt_s br_if 0
            end
            local.get 0 i32.mul)
          (func (export "tee_under") (param i32) (result i32)
            local.get 0 local.get 0 i32.const 1 i32.add local.tee 0 i32.mul))"#,
    );
    assert_eq!(
        m.get("f", &[i32(5), i32(1)]),
        i32(10),
        "branch taken: 5 + 5"
    );
    assert_eq!(m.get("f", &[i32(5), i32(0)]), i32(105), "5 + 100");
    assert_eq!(m.get("loop", &[i32(7)]), i32(21));
    assert_eq!(m.get("tee_under", &[i32(6)]), i32(42));
}

#[test]
fn dead_code_after_transfers_is_skipped() {
    let mut m = Module::new(
        r#"(module
          (func (export "f") (param i32) (result i32)
            block (result i32)
              i32.const 1
              br 0
              i32.const 2 i32.add
              block loop i32.const 0 if else end end end
              unreachable
            end
            return
            i32.const 9)
          (func (export "only_then") (param i32) (result i32)
            local.get 0
            if (result i32) i32.const 1 return else i32.const 2 end)
          (func (export "both_return") (param i32) (result i32)
            local.get 0 if i32.const 1 return else i32.const 2 return end
            i32.const 3)
          (func (export "const_false") (result i32)
            i32.const 0 if (result i32) i32.const 1 else i32.const 2 end)
          (func (export "const_true") (result i32)
            i32.const 1 if (result i32) i32.const 1 else i32.const 2 end)
          (func (export "const_br_if") (result i32)
            block (result i32) i32.const 4 i32.const 1 br_if 0 drop i32.const 5 end))"#,
    );
    assert_eq!(m.get("f", &[i32(0)]), i32(1));
    assert_eq!(m.get("only_then", &[i32(1)]), i32(1));
    assert_eq!(m.get("only_then", &[i32(0)]), i32(2));
    assert_eq!(m.get("both_return", &[i32(0)]), i32(2));
    assert_eq!(m.get("const_false", &[]), i32(2));
    assert_eq!(m.get("const_true", &[]), i32(1));
    assert_eq!(m.get("const_br_if", &[]), i32(4));
}

#[test]
fn unreachable_traps_and_empty_functions_return() {
    let mut m = Module::new(
        r#"(module
          (func (export "boom") unreachable)
          (func (export "nothing"))
          (func (export "nop") (result i32) nop i32.const 3 nop))"#,
    );
    m.traps("boom", &[], TrapKind::Unreachable);
    assert_eq!(m.call("nothing", &[]), Ok(vec![]));
    assert_eq!(m.get("nop", &[]), i32(3));
}

#[test]
fn fused_comparisons_branch_on_both_senses() {
    // Every integer comparison, as `br_if` (branch when true) and as `if`
    // (branch to else when false), against a register and an immediate.
    let ops = [
        "eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u",
    ];
    let mut wat = String::from("(module\n");
    for ty in ["i32", "i64"] {
        for op in ops {
            wat += &format!(
                r#"(func (export "{ty}_{op}_brif") (param {ty} {ty}) (result i32)
                     block local.get 0 local.get 1 {ty}.{op} br_if 0 i32.const 0 return end i32.const 1)
                   (func (export "{ty}_{op}_if") (param {ty} {ty}) (result i32)
                     local.get 0 local.get 1 {ty}.{op} if (result i32) i32.const 1 else i32.const 0 end)
                   (func (export "{ty}_{op}_imm") (param {ty}) (result i32)
                     local.get 0 {ty}.const -3 {ty}.{op} if (result i32) i32.const 1 else i32.const 0 end)
                   (func (export "{ty}_{op}_eqz") (param {ty} {ty}) (result i32)
                     block local.get 0 local.get 1 {ty}.{op} i32.eqz br_if 0 i32.const 1 return end i32.const 0)
"#
            );
        }
    }
    wat += ")";
    let mut m = Module::new(&wat);
    let values: [i64; 5] = [-3, -1, 0, 2, i64::from(i32::MIN)];
    for op in ops {
        let holds = |a: i64, b: i64, wide: bool| -> bool {
            let (ua, ub) = if wide {
                (a as u64, b as u64)
            } else {
                (a as i32 as u32 as u64, b as i32 as u32 as u64)
            };
            match op {
                "eq" => a == b,
                "ne" => a != b,
                "lt_s" => a < b,
                "lt_u" => ua < ub,
                "gt_s" => a > b,
                "gt_u" => ua > ub,
                "le_s" => a <= b,
                "le_u" => ua <= ub,
                "ge_s" => a >= b,
                _ => ua >= ub,
            }
        };
        for &a in &values {
            for &b in &values {
                for (ty, wide) in [("i32", false), ("i64", true)] {
                    let (va, vb) = if wide {
                        (i64(a), i64(b))
                    } else {
                        (i32(a as i32), i32(b as i32))
                    };
                    let want = i32(holds(a, b, wide) as i32);
                    assert_eq!(
                        m.get(&format!("{ty}_{op}_brif"), &[va, vb]),
                        want,
                        "{ty}.{op} {a} {b}"
                    );
                    assert_eq!(
                        m.get(&format!("{ty}_{op}_if"), &[va, vb]),
                        want,
                        "{ty}.{op} {a} {b}"
                    );
                    assert_eq!(
                        m.get(&format!("{ty}_{op}_eqz"), &[va, vb]),
                        want,
                        "{ty}.{op} {a} {b}"
                    );
                }
            }
            let want = |wide| i32(holds(a, -3, wide) as i32);
            assert_eq!(
                m.get(&format!("i32_{op}_imm"), &[i32(a as i32)]),
                want(false),
                "i32.{op} {a}"
            );
            assert_eq!(
                m.get(&format!("i64_{op}_imm"), &[i64(a)]),
                want(true),
                "i64.{op} {a}"
            );
        }
    }
    let _ = Val::I32(0);
}
