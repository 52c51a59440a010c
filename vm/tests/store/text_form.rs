//! The RON text form of the program model's newer parts: imports of every
//! kind, segments and their modes, constant expressions, exports, the
//! start function, extern references, and the instructions that use them.

use crate::*;
use arenavm_vm::program::Val::{ExternRef, I32};
use arenavm_vm::program::{DataSegment, ElemSegment};
use arenavm_vm::verify;

/// A program that uses every new field of `Program`.
fn everything() -> Program<String> {
    let mut p = ProgramBuilder::new();
    p.func_type(unary_i64());
    p.memory(mem(1, Some(2)));
    p.table(TableDecl {
        elem: ScalarType::ExternRef,
        min: 3,
        max: Some(5),
        elements: vec![],
    });
    p.table(TableDecl {
        min: 3,
        elements: vec![None, Some(1)],
        ..TableDecl::default()
    });
    p.global(GlobalDecl::new(ExternRef(None), true).unwrap());
    p.global(GlobalDecl {
        ty: ScalarType::I32,
        mutable: false,
        init: ConstExpr(vec![
            ConstOp::GlobalGet(0),
            ConstOp::I32(-2),
            ConstOp::I32Mul,
        ]),
    });
    // main(x: externref) -> i32: stores x in table 1 of externrefs and
    // reports whether entry 0 is null; uses the bulk instructions.
    let mut main = FunctionBuilder::new("main", &[Type::ExternRef], &[Type::I32]);
    let x = main.param(0);
    let (zero, one, out) = (
        i32_const(&mut main, 0),
        i32_const(&mut main, 1),
        main.scalar(ScalarType::I32),
    );
    let read = main.scalar(ScalarType::ExternRef);
    main.push(Instr::TableFill {
        table: 1,
        dst: zero,
        value: x,
        len: one,
    });
    main.push(Instr::TableCopy {
        dst_table: 1,
        src_table: 1,
        dst: one,
        src: zero,
        len: one,
    });
    main.push(Instr::TableGet {
        dst: read,
        table: 1,
        index: zero,
    });
    main.push(Instr::RefIsNull {
        dst: out,
        value: read,
    });
    main.push(Instr::TableInit {
        table: 2,
        elem: 1,
        dst: zero,
        src: zero,
        len: one,
    });
    main.push(Instr::ElemDrop { elem: 1 });
    main.push(Instr::MemoryInit {
        mem: 0,
        data: 1,
        dst: zero,
        src: zero,
        len: one,
    });
    main.push(Instr::DataDrop { data: 1 });
    main.ret(&[out]);
    p.function(main);
    p.function(add_const("inc", 1));
    let mut init = FunctionBuilder::new("init", &[], &[]);
    let fr = init.scalar(ScalarType::FuncRef);
    init.push(Instr::RefImport { dst: fr, import: 0 });
    init.ret(&[]);
    p.function(init);
    p.export("main", ExternItem::Func(0))
        .export("imported", ExternItem::Import(0))
        .export("memory", ExternItem::Memory(1))
        .export("refs", ExternItem::Table(1))
        .export("g", ExternItem::Global(2));
    let mut p = p.finish();
    p.imports
        .push(func_import("f", &[Type::ExternRef], &[Type::FuncRef]));
    p.memory_imports.push(memory_import("m", 1, None));
    p.table_imports
        .push(table_import("t", ScalarType::FuncRef, 1, Some(4)));
    p.global_imports
        .push(global_import("i", ScalarType::I32, false));
    p.global_imports
        .push(global_import("x", ScalarType::ExternRef, true));
    // Imports come first in every index space: global 3's initialiser
    // reads global 0, the imported i32.
    p.data.push(DataSegment {
        bytes: vec![0, 1, 255],
        mode: SegmentMode::Active {
            index: 1,
            offset: ConstExpr(vec![
                ConstOp::GlobalGet(0),
                ConstOp::I32(1),
                ConstOp::I32Add,
            ]),
        },
    });
    p.data.push(DataSegment {
        bytes: b"passive".to_vec(),
        mode: SegmentMode::Passive,
    });
    p.elements.push(ElemSegment {
        ty: ScalarType::FuncRef,
        items: vec![
            expr(ConstOp::RefFunc(1)),
            expr(ConstOp::RefImport(0)),
            expr(ConstOp::RefNull(ScalarType::FuncRef)),
        ],
        mode: active(2, 0),
    });
    p.elements.push(ElemSegment {
        ty: ScalarType::FuncRef,
        items: vec![expr(ConstOp::RefFunc(0))],
        mode: SegmentMode::Passive,
    });
    p.elements.push(ElemSegment {
        ty: ScalarType::ExternRef,
        items: vec![expr(ConstOp::RefNull(ScalarType::ExternRef))],
        mode: SegmentMode::Declared,
    });
    p.globals.push(GlobalDecl {
        ty: ScalarType::I64,
        mutable: false,
        init: ConstExpr(vec![
            ConstOp::I64(i64::MIN),
            ConstOp::I64(-1),
            ConstOp::I64Sub,
            ConstOp::I64(3),
            ConstOp::I64Mul,
            ConstOp::I64(0),
            ConstOp::I64Add,
        ]),
    });
    p.globals.push(GlobalDecl {
        ty: ScalarType::F64,
        mutable: true,
        init: expr(ConstOp::F64(0x7ff8_0000_0000_0001)),
    });
    p.globals.push(GlobalDecl {
        ty: ScalarType::F32,
        mutable: true,
        init: expr(ConstOp::F32(0xffc0_0001)),
    });
    p.start = Some(2);
    p.into_text()
}

#[test]
fn a_program_of_the_full_model_round_trips_through_ron() {
    let program = everything();
    verify(&program).unwrap_or_else(|e| panic!("the fixture is valid: {e}"));
    let text = program.to_ron();
    let again = Program::from_ron(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(again, program, "{text}");
    assert_eq!(again.to_ron(), text);
    for field in [
        "memory_imports",
        "table_imports",
        "global_imports",
        "data",
        "elements",
        "exports",
        "start",
        "Declared",
        "Passive",
        "Active",
        "RefImport",
        "GlobalGet",
        "I64Mul",
        "ExternRef",
        "TableInit",
        "MemoryInit",
        "ElemDrop",
        "DataDrop",
    ] {
        assert!(text.contains(field), "{field} is missing from\n{text}");
    }
}

#[test]
fn the_text_form_of_the_new_fields_is_writable_by_hand() {
    let text = r#"(
        memory_imports: [(module: "env", name: "m", memory: (min_pages: 1, max_pages: 4))],
        table_imports: [(module: "env", name: "t", table: (elem: ExternRef, min: 2))],
        global_imports: [(module: "env", name: "base", ty: I32)],
        globals: [(ty: I32, init: [GlobalGet(0), I32(8), I32Add])],
        data: [
            (bytes: [104, 105], mode: Active(index: 0, offset: [GlobalGet(1)])),
            (bytes: [1], mode: Passive),
        ],
        elements: [(ty: ExternRef, items: [[RefNull(ExternRef)]], mode: Active(index: 0, offset: [I32(1)]))],
        exports: [(name: "get", item: Func(0)), (name: "base", item: Global(1))],
        start: 1,
        functions: [
            (
                name: "get", results: [I32], scalars: [I32],
                lists: [[0]],
                code: [GlobalGet(dst: 0, global: 1), Return(values: 0)],
            ),
            (name: "init", lists: [[]], code: [Return(values: 0)]),
        ],
    )"#;
    let program = Program::from_ron(text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(program.start, Some(1));
    assert_eq!(program.memory_imports[0].memory.max_pages, Some(4));
    assert_eq!(program.table_imports[0].table.max, None);
    assert!(!program.global_imports[0].mutable, "immutable by default");
    let program = Rc::new(verify(&program).unwrap_or_else(|e| panic!("{e}")));

    let mut store = store();
    let memory = store.alloc_memory(mem(1, Some(4))).unwrap();
    let table = store
        .alloc_table(
            &TableDecl {
                elem: ScalarType::ExternRef,
                min: 2,
                ..TableDecl::default()
            },
            ExternRef(Some(9)),
        )
        .unwrap();
    let base = store.alloc_global(I32(100), false).unwrap();
    let imports = Imports {
        memories: vec![memory],
        tables: vec![table],
        globals: vec![base],
        ..Imports::default()
    };
    let inst = store
        .instantiate(program, &imports, &ExecConfig::default())
        .unwrap();
    assert_eq!(call(&mut store, inst, "get", &[]), Ok(vec![I32(108)]));
    assert_eq!(store.table_get(table, 0), Some(ExternRef(Some(9))));
    assert_eq!(store.table_get(table, 1), Some(ExternRef(None)));
    let bytes = store
        .heap()
        .get::<arenavm_vm::arenas::Bytes>(store.memory_cell(memory))
        .unwrap()
        .as_slice()[107..111]
        .to_vec();
    assert_eq!(bytes, [0, 104, 105, 0]);
    assert!(matches!(
        store.export(inst, "base"),
        Some(Extern::Global(_))
    ));
}
