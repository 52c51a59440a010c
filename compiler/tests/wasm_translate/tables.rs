//! References and tables: `ref.func`, `ref.null`, `ref.is_null`, every
//! `table.*` operator, element segments and `externref`.

use arenavm_vm::exec::TrapKind;
use arenavm_vm::program::Val;

use crate::common::*;

const TABLES: &str = r#"(module
  (type $v (func (result i32)))
  (import "env" "f" (func $imported (result i32))) (elem declare func $imported)
  (table $t 2 10 funcref)
  (table $e 1 externref)
  (elem $seg func $one $two $three)
  (elem declare func $four)
  (func $one (result i32) i32.const 1)
  (func $two (result i32) i32.const 2)
  (func $three (result i32) i32.const 3)
  (func $four (result i32) i32.const 4)
  (func (export "size") (result i32) table.size $t)
  (func (export "call") (param i32) (result i32) local.get 0 call_indirect $t (type $v))
  (func (export "set_four") (param i32) local.get 0 ref.func $four table.set $t)
  (func (export "set_null") (param i32) local.get 0 ref.null func table.set $t)
  (func (export "is_null") (param i32) (result i32) local.get 0 table.get $t ref.is_null)
  (func (export "grow") (param i32) (result i32) ref.func $two local.get 0 table.grow $t)
  (func (export "fill") (param i32 i32) local.get 0 ref.func $three local.get 1 table.fill $t)
  (func (export "copy") (param i32 i32 i32) local.get 0 local.get 1 local.get 2 table.copy $t $t)
  (func (export "init") (param i32 i32 i32) local.get 0 local.get 1 local.get 2 table.init $t $seg)
  (func (export "drop") elem.drop $seg)
  (func (export "ext_is_null") (param externref) (result i32) local.get 0 ref.is_null)
  (func (export "ext_store") (param externref) i32.const 0 local.get 0 table.set $e)
  (func (export "ext_load") (result externref) i32.const 0 table.get $e)
  (func (export "const_null") (result i32) ref.null extern ref.is_null)
  (func (export "const_func") (result i32) ref.func $one ref.is_null)
  (func (export "ref_import") (result funcref) ref.func $imported))"#;

#[test]
fn table_operators_translate_and_verify() {
    let program = program(TABLES);
    assert_eq!(program.table_imports.len(), 0);
    assert_eq!(program.tables.len(), 2);
    assert_eq!(program.elements.len(), 3);
    arenavm_vm::verify(&program).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn table_operators_run() {
    // The same module without the import, so it can run on its own.
    let wat = TABLES
        .replace(
            r#"(import "env" "f" (func $imported (result i32))) (elem declare func $imported)"#,
            "",
        )
        .replace(
            r#"(func (export "ref_import") (result funcref) ref.func $imported)"#,
            "",
        );
    let mut m = Module::new(&wat);
    assert_eq!(m.get("size", &[]), i32(2));
    m.traps("call", &[i32(0)], TrapKind::NullElement);
    m.call("init", &[i32(0), i32(1), i32(2)]).unwrap();
    assert_eq!(m.get("call", &[i32(0)]), i32(2));
    assert_eq!(m.get("call", &[i32(1)]), i32(3));
    m.traps("init", &[i32(1), i32(2), i32(2)], TrapKind::OutOfBounds);
    m.call("set_four", &[i32(1)]).unwrap();
    assert_eq!(m.get("call", &[i32(1)]), i32(4));
    assert_eq!(m.get("grow", &[i32(3)]), i32(2));
    assert_eq!(m.get("size", &[]), i32(5));
    assert_eq!(m.get("call", &[i32(4)]), i32(2));
    assert_eq!(m.get("grow", &[i32(6)]), i32(-1), "past the maximum");
    m.call("fill", &[i32(2), i32(2)]).unwrap();
    assert_eq!(m.get("call", &[i32(3)]), i32(3));
    m.call("copy", &[i32(0), i32(3), i32(2)]).unwrap();
    assert_eq!(m.get("call", &[i32(0)]), i32(3));
    assert_eq!(m.get("call", &[i32(1)]), i32(2));
    m.call("set_null", &[i32(1)]).unwrap();
    assert_eq!(m.get("is_null", &[i32(1)]), i32(1));
    assert_eq!(m.get("is_null", &[i32(0)]), i32(0));
    m.traps("is_null", &[i32(5)], TrapKind::OutOfBounds);
    m.call("drop", &[]).unwrap();
    m.traps("init", &[i32(0), i32(0), i32(1)], TrapKind::OutOfBounds);
    assert_eq!(m.get("const_null", &[]), i32(1));
    assert_eq!(m.get("const_func", &[]), i32(0));
}

#[test]
fn extern_references_pass_through_tables() {
    let wat = TABLES
        .replace(
            r#"(import "env" "f" (func $imported (result i32))) (elem declare func $imported)"#,
            "",
        )
        .replace(
            r#"(func (export "ref_import") (result funcref) ref.func $imported)"#,
            "",
        );
    let mut m = Module::new(&wat);
    assert_eq!(m.get("ext_is_null", &[Val::ExternRef(None)]), i32(1));
    assert_eq!(m.get("ext_is_null", &[Val::ExternRef(Some(7))]), i32(0));
    assert_eq!(m.get("ext_load", &[]), Val::ExternRef(None));
    m.call("ext_store", &[Val::ExternRef(Some(7))]).unwrap();
    assert_eq!(m.get("ext_load", &[]), Val::ExternRef(Some(7)));
}

#[test]
fn ref_func_of_an_import_is_ref_import() {
    use arenavm_vm::isa::Instr;
    let program = program(TABLES);
    let export = program
        .exports
        .iter()
        .find(|e| e.name == "ref_import")
        .unwrap();
    let arenavm_vm::program::ExternItem::Func(f) = export.item else {
        panic!()
    };
    let f = &program.functions[f as usize];
    assert!(
        f.code
            .iter()
            .any(|i| matches!(i, Instr::RefImport { import: 0, .. })),
        "{:?}",
        f.code
    );
}

#[test]
fn element_segments_keep_their_modes_and_items() {
    use arenavm_vm::program::{ConstOp, SegmentMode};
    let program = program(
        r#"(module
          (import "env" "g" (func $g))
          (table 4 funcref)
          (func $f)
          (elem (i32.const 1) $f $g)
          (elem funcref (ref.null func) (ref.func $f))
          (elem declare func $g))"#,
    );
    let [active, passive, declared] = &program.elements[..] else {
        panic!("{:?}", program.elements)
    };
    assert!(
        matches!(&active.mode, SegmentMode::Active { index: 0, offset } if offset.0 == [ConstOp::I32(1)])
    );
    assert_eq!(active.items[0].0, [ConstOp::RefFunc(0)]);
    assert_eq!(active.items[1].0, [ConstOp::RefImport(0)]);
    assert_eq!(passive.mode, SegmentMode::Passive);
    assert_eq!(
        passive.items[0].0,
        [ConstOp::RefNull(arenavm_vm::types::ScalarType::FuncRef)]
    );
    assert_eq!(declared.mode, SegmentMode::Declared);
}
