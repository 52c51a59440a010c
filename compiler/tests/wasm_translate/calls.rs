//! Calls: direct, indirect through tables, tail calls, multiple results.

use arenavm_vm::exec::{ExecConfig, TrapKind};
use arenavm_vm::program::Val;

use crate::common::*;

#[test]
fn direct_and_recursive_calls() {
    let mut m = Module::new(
        r#"(module
          (func $fib (export "fib") (param i32) (result i32)
            local.get 0 i32.const 2 i32.lt_u
            if (result i32) local.get 0
            else
              local.get 0 i32.const 1 i32.sub call $fib
              local.get 0 i32.const 2 i32.sub call $fib
              i32.add
            end)
          (func $pair (param i64) (result i64 i64) local.get 0 local.get 0 i64.const 1 i64.add)
          (func (export "use_pair") (param i64) (result i64)
            local.get 0 call $pair i64.mul)
          (func (export "args_shapes") (param i32) (result i32)
            i32.const 1 local.get 0 local.get 0 i32.const 2 i32.mul call $three)
          (func $three (param i32 i32 i32) (result i32)
            local.get 0 i32.const 100 i32.mul local.get 1 i32.const 10 i32.mul i32.add local.get 2 i32.add))"#,
    );
    assert_eq!(m.get("fib", &[i32(20)]), i32(6765));
    assert_eq!(m.get("use_pair", &[i64(6)]), i64(42));
    assert_eq!(m.get("args_shapes", &[i32(3)]), i32(136));
}

#[test]
fn call_indirect_through_element_segments() {
    let mut m = Module::new(
        r#"(module
          (type $bin (func (param i32 i32) (result i32)))
          (type $un (func (param i32) (result i32)))
          (table 4 funcref)
          (elem (i32.const 0) $add $sub $neg)
          (func $add (type $bin) local.get 0 local.get 1 i32.add)
          (func $sub (type $bin) local.get 0 local.get 1 i32.sub)
          (func $neg (type $un) i32.const 0 local.get 0 i32.sub)
          (func (export "apply") (param i32 i32 i32) (result i32)
            local.get 1 local.get 2 local.get 0 call_indirect (type $bin))
          (func (export "apply_const") (param i32 i32) (result i32)
            local.get 0 local.get 1 i32.const 1 call_indirect (type $bin)))"#,
    );
    assert_eq!(m.get("apply", &[i32(0), i32(5), i32(3)]), i32(8));
    assert_eq!(m.get("apply", &[i32(1), i32(5), i32(3)]), i32(2));
    assert_eq!(m.get("apply_const", &[i32(5), i32(3)]), i32(2));
    m.traps(
        "apply",
        &[i32(2), i32(5), i32(3)],
        TrapKind::IndirectCallSignatureMismatch,
    );
    m.traps("apply", &[i32(3), i32(5), i32(3)], TrapKind::NullElement);
    m.traps("apply", &[i32(4), i32(5), i32(3)], TrapKind::OutOfBounds);
}

#[test]
fn tail_calls_run_in_constant_stack() {
    let mut m = Module::new(
        r#"(module
          (type $t (func (param i64 i64) (result i64)))
          (table 1 funcref)
          (elem (i32.const 0) $sum_indirect)
          (func $sum (export "sum") (param i64 i64) (result i64)
            local.get 0 i64.eqz if local.get 1 return end
            local.get 0 i64.const 1 i64.sub local.get 1 local.get 0 i64.add return_call $sum)
          (func $sum_indirect (export "sum_indirect") (param i64 i64) (result i64)
            local.get 0 i64.eqz if local.get 1 return end
            local.get 0 i64.const 1 i64.sub local.get 1 local.get 0 i64.add
            i32.const 0 return_call_indirect (type $t)))"#,
    );
    // Far deeper than the default call depth of 10,000.
    let n = 100_000;
    assert_eq!(m.get("sum", &[i64(n), i64(0)]), i64(n * (n + 1) / 2));
    assert_eq!(
        m.get("sum_indirect", &[i64(n), i64(0)]),
        i64(n * (n + 1) / 2)
    );
}

#[test]
fn deep_non_tail_recursion_exhausts_the_call_stack() {
    let mut m = Module::new(
        r#"(module (func $down (export "down") (param i32) (result i32)
            local.get 0 i32.eqz if (result i32) i32.const 0
            else local.get 0 i32.const 1 i32.sub call $down i32.const 1 i32.add end))"#,
    );
    assert_eq!(m.get("down", &[i32(100)]), i32(100));
    m.traps("down", &[i32(1_000_000)], TrapKind::CallStackExhausted);
    let _ = ExecConfig::default();
}

#[test]
fn imported_functions_are_called_with_call_import() {
    use arenavm_vm::exec::{HostFunctions, Instance};
    use arenavm_vm::isa::Instr;
    use arenavm_vm::types::{FuncType, Type};

    let program = program(
        r#"(module
          (import "env" "twice" (func $twice (param i32) (result i32)))
          (func $f (export "f") (param i32) (result i32)
            local.get 0 call $twice i32.const 1 i32.add)
          (func $g (export "g") (param i32) (result i32)
            local.get 0 return_call $twice))"#,
    );
    assert_eq!(program.imports.len(), 1);
    assert!(
        code(&program, "f")
            .iter()
            .any(|i| matches!(i, Instr::CallImport { import: 0, .. }))
    );
    let verified = arenavm_vm::verify(&program).unwrap();
    let mut host = HostFunctions::new();
    let ty = FuncType {
        params: vec![Type::I32],
        results: vec![Type::I32],
    };
    host.define("env", "twice", ty, |_, args| match args {
        [Val::I32(v)] => Ok(vec![Val::I32(v * 2)]),
        _ => Err("bad arguments".into()),
    });
    let mut instance = Instance::with_host(&verified, Default::default(), &host).unwrap();
    let config = ExecConfig::default();
    assert_eq!(
        instance.invoke_by_name("f", &[i32(20)], &config),
        Ok(vec![i32(41)])
    );
    assert_eq!(
        instance.invoke_by_name("g", &[i32(21)], &config),
        Ok(vec![i32(42)])
    );
}
