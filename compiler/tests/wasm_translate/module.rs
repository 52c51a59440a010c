//! Module structure: imports, exports, names, globals, the start function
//! and the index spaces.

use arenavm_vm::program::{ConstOp, ExternItem, SegmentMode, Val};
use arenavm_vm::types::{ScalarType, Type};

use crate::common::*;

#[test]
fn imports_of_every_kind_come_first_in_their_index_space() {
    let p = program(
        r#"(module
          (import "m" "f" (func $f (param i64) (result f32)))
          (import "m" "mem" (memory 1 2))
          (import "m" "tab" (table 3 externref))
          (import "m" "g" (global $g (mut i32)))
          (memory 1)
          (table 1 funcref)
          (global $h i64 (i64.const 5))
          (func (export "get_g") (result i32) global.get $g)
          (func (export "get_h") (result i64) global.get $h)
          (func (export "size1") (result i32) memory.size 1)
          (func (export "tsize1") (result i32) table.size 1))"#,
    );
    assert_eq!(p.imports.len(), 1);
    assert_eq!(
        (p.imports[0].module.as_str(), p.imports[0].name.as_str()),
        ("m", "f")
    );
    assert_eq!(p.imports[0].params, [Type::I64]);
    assert_eq!(p.imports[0].results, [Type::F32]);
    assert_eq!(p.memory_imports.len(), 1);
    assert_eq!(p.memory_imports[0].memory.max_pages, Some(2));
    assert_eq!(p.table_imports[0].table.elem, ScalarType::ExternRef);
    assert_eq!(p.table_imports[0].table.min, 3);
    assert_eq!(p.global_imports[0].ty, ScalarType::I32);
    assert!(p.global_imports[0].mutable);
    assert_eq!(p.globals[0].ty, ScalarType::I64);
    let verified = arenavm_vm::verify(&p).unwrap_or_else(|e| panic!("{e}"));
    drop(verified);
    use arenavm_vm::isa::Instr;
    assert!(matches!(
        code(&p, "func1")[0],
        Instr::GlobalGet { global: 0, .. }
    ));
    assert!(matches!(
        code(&p, "func2")[0],
        Instr::GlobalGet { global: 1, .. }
    ));
    assert!(matches!(
        code(&p, "func3")[0],
        Instr::MemorySize { mem: 1, .. }
    ));
    assert!(matches!(
        code(&p, "func4")[0],
        Instr::TableSize { table: 1, .. }
    ));
}

#[test]
fn exports_name_defined_functions_imports_and_other_items() {
    let p = program(
        r#"(module
          (import "m" "f" (func $f))
          (func $g)
          (memory (export "mem") 1)
          (table (export "tab") 1 funcref)
          (global (export "glob") i32 (i32.const 1))
          (export "g" (func $g))
          (export "f_again" (func $f)))"#,
    );
    let exports: Vec<(&str, ExternItem)> = p
        .exports
        .iter()
        .map(|e| (e.name.as_str(), e.item))
        .collect();
    assert_eq!(
        exports,
        [
            ("mem", ExternItem::Memory(0)),
            ("tab", ExternItem::Table(0)),
            ("glob", ExternItem::Global(0)),
            ("g", ExternItem::Func(0)),
            ("f_again", ExternItem::Import(0)),
        ]
    );
}

/// `wasm` with a name section naming functions (appended at the end,
/// where custom sections may stand).
fn with_function_names(mut wasm: Vec<u8>, names: &[(u32, &str)]) -> Vec<u8> {
    fn leb(mut n: usize, out: &mut Vec<u8>) {
        loop {
            let byte = (n & 0x7f) as u8;
            n >>= 7;
            out.push(if n == 0 { byte } else { byte | 0x80 });
            if n == 0 {
                break;
            }
        }
    }
    let mut map = Vec::new();
    leb(names.len(), &mut map);
    for &(index, name) in names {
        leb(index as usize, &mut map);
        leb(name.len(), &mut map);
        map.extend_from_slice(name.as_bytes());
    }
    let mut content = vec![4, b'n', b'a', b'm', b'e', 1];
    leb(map.len(), &mut content);
    content.extend(map);
    wasm.push(0);
    leb(content.len(), &mut wasm);
    wasm.extend(content);
    wasm
}

fn names_of(wat: &str, names: &[(u32, &str)]) -> Vec<String> {
    let wasm = arenavm_compiler::wasm::parse_wat_or_wasm(wat.as_bytes()).unwrap();
    let wasm = with_function_names(wasm, names);
    let p = arenavm_compiler::wasm::translate(&wasm, Default::default()).unwrap();
    p.functions.into_iter().map(|f| f.name).collect()
}

#[test]
fn function_names_come_from_the_name_section_when_unique() {
    let wat = r#"(module (import "m" "imp" (func)) (func) (func) (func) (func) (func))"#;
    // Wasm function indices count the import: the first defined function
    // is function 1.
    let names = names_of(
        wat,
        &[
            (0, "imp"),
            (1, "alpha"),
            (3, "dup"),
            (4, "dup"),
            (5, "func1"),
        ],
    );
    assert_eq!(names, ["alpha", "func2", "func3", "func4", "func1"]);
    assert_eq!(
        names_of(wat, &[]),
        ["func1", "func2", "func3", "func4", "func5"]
    );
}

#[test]
fn a_section_name_equal_to_a_generated_name_is_not_unique() {
    let names = names_of("(module (func) (func))", &[(0, "func1")]);
    assert_eq!(names, ["func0", "func1"]);
}

#[test]
fn a_malformed_name_section_is_ignored() {
    let wasm = arenavm_compiler::wasm::parse_wat_or_wasm(b"(module (func))").unwrap();
    let mut wasm = with_function_names(wasm, &[(0, "ok")]);
    let len = wasm.len();
    wasm[len - 3] = 0x7f; // the name's length runs past the section
    let p = arenavm_compiler::wasm::translate(&wasm, Default::default()).unwrap();
    assert_eq!(p.functions[0].name, "func0");
}

#[test]
fn globals_start_from_constant_expressions() {
    let p = program(
        r#"(module
          (import "m" "base" (global $base i32))
          (global $a i32 (i32.add (global.get $base) (i32.mul (i32.const 4) (i32.const 8))))
          (global $b (mut i64) (i64.sub (i64.const 10) (i64.const 3)))
          (global $c f64 (f64.const 1.5))
          (global $d funcref (ref.func $f))
          (global $e externref (ref.null extern))
          (func $f))"#,
    );
    let inits: Vec<&[ConstOp]> = p.globals.iter().map(|g| g.init.0.as_slice()).collect();
    assert_eq!(
        inits[0],
        [
            ConstOp::GlobalGet(0),
            ConstOp::I32(4),
            ConstOp::I32(8),
            ConstOp::I32Mul,
            ConstOp::I32Add
        ]
    );
    assert_eq!(
        inits[1],
        [ConstOp::I64(10), ConstOp::I64(3), ConstOp::I64Sub]
    );
    assert_eq!(inits[2], [ConstOp::F64(1.5f64.to_bits())]);
    assert_eq!(inits[3], [ConstOp::RefFunc(0)]);
    assert_eq!(inits[4], [ConstOp::RefNull(ScalarType::ExternRef)]);
    assert!(p.globals[1].mutable && !p.globals[0].mutable);
    arenavm_vm::verify(&p).unwrap_or_else(|e| panic!("{e}"));

    let mut m = Module::new(
        r#"(module
          (global $g (mut i32) (i32.add (i32.const 40) (i32.const 2)))
          (func (export "get") (result i32) global.get $g)
          (func (export "bump") global.get $g i32.const 1 i32.add global.set $g))"#,
    );
    assert_eq!(m.get("get", &[]), i32(42));
    m.call("bump", &[]).unwrap();
    assert_eq!(m.get("get", &[]), i32(43));
}

#[test]
fn the_start_function_runs_at_instantiation() {
    let mut m = Module::new(
        r#"(module
          (memory 1)
          (func $init i32.const 0 i32.const 99 i32.store)
          (start $init)
          (func (export "read") (result i32) i32.const 0 i32.load))"#,
    );
    assert_eq!(m.program().start, Some(0));
    assert_eq!(m.get("read", &[]), i32(99));
}

#[test]
fn an_imported_start_function_gets_a_trampoline() {
    use arenavm_vm::isa::Instr;
    let p = program(
        r#"(module
          (import "m" "init" (func $init))
          (func $start)
          (start $init))"#,
    );
    let start = p.start.expect("a start function") as usize;
    assert_eq!(start, 1, "after the defined functions");
    assert_eq!(p.functions[start].name, "start_1", "`start` is taken");
    assert!(matches!(
        p.functions[start].code[0],
        Instr::CallImport { import: 0, .. }
    ));
    arenavm_vm::verify(&p).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn data_segments_keep_their_modes() {
    let p = program(
        r#"(module
          (memory 1) (memory 1)
          (data (memory 1) (i32.const 8) "ab")
          (data "cd"))"#,
    );
    assert_eq!(p.data[0].bytes, b"ab");
    assert!(
        matches!(&p.data[0].mode, SegmentMode::Active { index: 1, offset } if offset.0 == [ConstOp::I32(8)])
    );
    assert_eq!(p.data[1].mode, SegmentMode::Passive);
}

#[test]
fn the_program_types_are_the_type_section() {
    let p = program(
        r#"(module
          (type (func (param i32)))
          (type (func (result f64 f64)))
          (func (type 1) f64.const 1 f64.const 2))"#,
    );
    assert_eq!(p.types.len(), 2);
    assert_eq!(p.types[0].params, [Type::I32]);
    assert_eq!(p.types[1].results, [Type::F64, Type::F64]);
    let _ = Val::I32(0);
}
