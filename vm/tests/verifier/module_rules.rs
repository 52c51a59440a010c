//! The rules of the program as a whole (`verify/module.rs`): limits,
//! imports, constant expressions, segments, exports and the start
//! function. One test per rule; each error names no function and no
//! instruction, and its display starts with `program:`.

use crate::common::*;
use crate::{check, rejected};
use arenavm_vm::arenas::ArenaTag;
use arenavm_vm::builder::FunctionBuilder;
use arenavm_vm::isa::Label;
use arenavm_vm::program::{
    ConstExpr, ConstOp, DataSegment, ElemSegment, Export, ExternItem, GlobalDecl, GlobalImport,
    HostImport, MemoryImport, Program, SegmentMode, TableDecl, TableImport, Val,
};
use arenavm_vm::types::{ScalarType, Type};
use arenavm_vm::verify;

/// A valid program: one function `f() -> ()`, one memory, a table of 2
/// function references, an immutable `i32` global 0.
fn base() -> Program<Label> {
    let mut f = FunctionBuilder::new("f", &[], &[]);
    f.ret(&[]);
    let mut p = program(vec![f], &[mem(1, None)]);
    p.tables.push(TableDecl {
        min: 2,
        ..TableDecl::default()
    });
    p.globals.push(GlobalDecl::new(Val::I32(3), false).unwrap());
    verify(&p).expect("the base program is valid");
    p
}

/// The base program changed by `change` is rejected as a whole with a
/// message containing every one of `words`.
#[track_caller]
fn refused(change: impl FnOnce(&mut Program<Label>), words: &[&str]) {
    let mut p = base();
    change(&mut p);
    let e = rejected(&p);
    check(&e, "", 0, None, words);
    assert!(e.to_string().starts_with("program: "), "{e}");
}

/// The base program changed by `change` is valid.
#[track_caller]
fn accepted(change: impl FnOnce(&mut Program<Label>)) {
    let mut p = base();
    change(&mut p);
    if let Err(e) = verify(&p) {
        panic!("rejected: {e}");
    }
}

fn expr(ops: &[ConstOp]) -> ConstExpr {
    ConstExpr(ops.to_vec())
}

fn import_named(name: &str) -> (String, String) {
    ("a".into(), name.into())
}

fn memory_import(min: u32, max: Option<u32>) -> MemoryImport {
    let (module, name) = import_named("m");
    MemoryImport {
        module,
        name,
        memory: mem(min, max),
    }
}

fn table_import(table: TableDecl) -> TableImport {
    let (module, name) = import_named("t");
    TableImport {
        module,
        name,
        table,
    }
}

fn global_import(ty: ScalarType, mutable: bool) -> GlobalImport {
    let (module, name) = import_named("g");
    GlobalImport {
        module,
        name,
        ty,
        mutable,
    }
}

fn func_import(params: &[Type]) -> HostImport {
    let (module, name) = import_named("h");
    HostImport {
        module,
        name,
        params: params.to_vec(),
        results: vec![],
    }
}

fn active(index: u32, offset: &[ConstOp]) -> SegmentMode {
    SegmentMode::Active {
        index,
        offset: expr(offset),
    }
}

fn elements(ty: ScalarType, items: &[&[ConstOp]], mode: SegmentMode) -> ElemSegment {
    ElemSegment {
        ty,
        items: items.iter().map(|ops| expr(ops)).collect(),
        mode,
    }
}

fn export(name: &str, item: ExternItem) -> Export {
    Export {
        name: name.into(),
        item,
    }
}

#[test]
fn memory_limits_must_be_well_formed_for_memories_and_memory_imports() {
    refused(
        |p| p.memories[0] = mem(2, Some(1)),
        &["memory 0: the maximum of 1 pages is below the minimum of 2"],
    );
    refused(
        |p| p.memories.push(mem(65537, None)),
        &["memory 1: pages 65537..65536"],
    );
    refused(
        |p| p.memory_imports.push(memory_import(0, Some(65537))),
        &["memory import a.m: pages 0..65537 are not within 0..=65536"],
    );
    accepted(|p| p.memory_imports.push(memory_import(65536, Some(65536))));
}

#[test]
fn an_imported_table_lists_no_elements() {
    refused(
        |p| {
            p.table_imports.push(table_import(TableDecl {
                min: 1,
                elements: vec![Some(0)],
                ..TableDecl::default()
            }))
        },
        &["table import a.t: an imported table lists no elements"],
    );
}

#[test]
fn tables_and_table_imports_hold_references() {
    refused(
        |p| p.tables[0].elem = ScalarType::I32,
        &["table 0 holds I32, not references"],
    );
    refused(
        |p| {
            p.table_imports.push(table_import(TableDecl {
                elem: ScalarType::F64,
                ..TableDecl::default()
            }))
        },
        &["table import a.t holds F64, not references"],
    );
    accepted(|p| p.tables[0].elem = ScalarType::ExternRef);
}

#[test]
fn table_limits_must_hold_the_listed_elements() {
    refused(
        |p| p.tables[0].elements = vec![Some(0), None, Some(0)],
        &["table 0: 3 elements in a table of 2 entries"],
    );
    refused(
        |p| p.tables[0].max = Some(1),
        &["table 0: the maximum of 1 entries is below the minimum of 2"],
    );
    refused(
        |p| {
            p.table_imports.push(table_import(TableDecl {
                min: 3,
                max: Some(2),
                ..TableDecl::default()
            }))
        },
        &["table import a.t: the maximum of 2 entries is below the minimum of 3"],
    );
}

#[test]
fn only_function_tables_list_elements() {
    refused(
        |p| {
            p.tables[0].elem = ScalarType::ExternRef;
            p.tables[0].elements = vec![None];
        },
        &["table 0: only function tables list elements"],
    );
}

#[test]
fn table_elements_name_existing_functions() {
    refused(
        |p| p.tables[0].elements = vec![None, Some(1)],
        &["table 0 names function 1, which does not exist"],
    );
}

#[test]
fn function_imports_take_and_return_only_numbers_and_references() {
    refused(
        |p| p.imports.push(func_import(&[Type::Cell(ArenaTag::List)])),
        &["import a.h: a Cell(List) cannot cross an import"],
    );
    refused(
        |p| {
            let mut import = func_import(&[]);
            import.results = vec![Type::Slice(ArenaTag::Bytes)];
            p.imports.push(import);
        },
        &["import a.h: a Slice(Bytes) cannot cross"],
    );
    accepted(|p| {
        p.imports
            .push(func_import(&[Type::FuncRef, Type::ExternRef, Type::F64]))
    });
}

#[test]
fn a_global_initialiser_has_the_global_type() {
    refused(
        |p| p.globals[0].ty = ScalarType::I64,
        &["global 0 is I64, but its initialiser is I32"],
    );
    refused(
        |p| {
            p.globals.push(GlobalDecl {
                ty: ScalarType::ExternRef,
                mutable: true,
                init: expr(&[ConstOp::RefNull(ScalarType::FuncRef)]),
            })
        },
        &["global 1 is ExternRef, but its initialiser is FuncRef"],
    );
}

#[test]
fn constant_expressions_are_typed_and_leave_one_value() {
    let global = |ops: &[ConstOp], ty| {
        let init = expr(ops);
        move |p: &mut Program<Label>| {
            p.globals.push(GlobalDecl {
                ty,
                mutable: false,
                init,
            })
        }
    };
    use ConstOp as C;
    use ScalarType::{FuncRef, I32, I64};
    refused(
        global(&[C::RefNull(I32)], I32),
        &["global 1: RefNull of I32, not a reference type"],
    );
    refused(
        global(&[C::RefFunc(1)], FuncRef),
        &["global 1: function 1 does not exist"],
    );
    refused(
        global(&[C::RefImport(0)], FuncRef),
        &["global 1: function import 0 does not exist"],
    );
    refused(
        global(&[C::I32(1), C::I64(2), C::I32Add], I32),
        &["global 1: I32Add needs two I32 operands"],
    );
    refused(
        global(&[C::I64(1), C::I64Mul], I64),
        &["I64Mul needs two I64 operands"],
    );
    refused(
        global(&[C::I32(1), C::I32(2)], I32),
        &["a constant expression must leave one value, this one leaves 2"],
    );
    refused(global(&[], I32), &["this one leaves 0"]);
    accepted(global(
        &[
            C::I32(1),
            C::I32(2),
            C::I32Add,
            C::GlobalGet(0),
            C::I32Mul,
            C::I32(1),
            C::I32Sub,
        ],
        I32,
    ));
    accepted(global(
        &[
            C::I64(-1),
            C::I64(2),
            C::I64Sub,
            C::I64(3),
            C::I64Mul,
            C::I64(0),
            C::I64Add,
        ],
        I64,
    ));
}

#[test]
fn constant_expressions_read_only_earlier_immutable_globals() {
    use ConstOp as C;
    // Global 0 reading global 1, defined after it; or itself.
    refused(
        |p| {
            p.globals[0].init = expr(&[C::GlobalGet(1)]);
            p.globals.push(GlobalDecl::new(Val::I32(0), false).unwrap());
        },
        &["global 0: global 1 is not defined before this expression"],
    );
    refused(
        |p| p.globals[0].init = expr(&[C::GlobalGet(0)]),
        &["global 0 is not defined before"],
    );
    // A mutable global is not constant, defined or imported.
    refused(
        |p| {
            p.globals[0].mutable = true;
            p.globals.push(GlobalDecl::new(Val::I32(0), false).unwrap());
            p.globals[1].init = expr(&[C::GlobalGet(0)]);
        },
        &["global 1: global 0 is mutable, so not constant"],
    );
    refused(
        |p| {
            p.global_imports.push(global_import(ScalarType::I32, true));
            p.globals[0].init = expr(&[C::GlobalGet(0)]);
        },
        &["global 0: global 0 is mutable, so not constant"],
    );
    // Imports come first in the index space: global 0 is the import, and
    // the defined global is global 1.
    accepted(|p| {
        p.global_imports.push(global_import(ScalarType::I32, false));
        p.globals[0].init = expr(&[C::GlobalGet(0)]);
        p.globals.push(GlobalDecl {
            ty: ScalarType::I32,
            mutable: false,
            init: expr(&[C::GlobalGet(1), C::GlobalGet(0), C::I32Add]),
        });
    });
}

#[test]
fn element_segments_hold_references_of_their_type() {
    use ConstOp as C;
    refused(
        |p| {
            p.elements
                .push(elements(ScalarType::I64, &[], SegmentMode::Passive))
        },
        &["element segment 0 holds I64, not references"],
    );
    refused(
        |p| {
            p.elements.push(elements(
                ScalarType::FuncRef,
                &[&[C::RefFunc(0)], &[C::RefNull(ScalarType::ExternRef)]],
                SegmentMode::Passive,
            ))
        },
        &["element segment 0, item 1 is ExternRef, not FuncRef"],
    );
    refused(
        |p| {
            p.elements.push(elements(
                ScalarType::FuncRef,
                &[&[C::RefFunc(9)]],
                SegmentMode::Declared,
            ))
        },
        &["element segment 0, item 0: function 9 does not exist"],
    );
    accepted(|p| {
        p.elements.push(elements(
            ScalarType::ExternRef,
            &[&[C::RefNull(ScalarType::ExternRef)]],
            SegmentMode::Declared,
        ))
    });
}

#[test]
fn active_element_segments_name_a_table_of_their_type_at_an_i32_offset() {
    use ConstOp as C;
    let func_items: &[&[ConstOp]] = &[&[C::RefFunc(0)]];
    refused(
        |p| {
            p.elements.push(elements(
                ScalarType::FuncRef,
                func_items,
                active(1, &[C::I32(0)]),
            ))
        },
        &["element segment 0 initialises table 1, which does not exist"],
    );
    refused(
        |p| {
            p.elements.push(elements(
                ScalarType::ExternRef,
                &[],
                active(0, &[C::I32(0)]),
            ))
        },
        &["element segment 0 holds ExternRef but table 0 holds FuncRef"],
    );
    refused(
        |p| {
            p.elements.push(elements(
                ScalarType::FuncRef,
                func_items,
                active(0, &[C::I64(0)]),
            ))
        },
        &["element segment 0: the offset is I64, not I32"],
    );
    refused(
        |p| {
            p.elements.push(elements(
                ScalarType::FuncRef,
                func_items,
                active(0, &[C::GlobalGet(5)]),
            ))
        },
        &["element segment 0: offset: global 5 is not defined before this expression"],
    );
    // An imported table comes first: table 0 is the import.
    accepted(|p| {
        p.table_imports.push(table_import(TableDecl {
            elem: ScalarType::ExternRef,
            ..TableDecl::default()
        }));
        p.elements.push(elements(
            ScalarType::ExternRef,
            &[],
            active(0, &[C::GlobalGet(0), C::I32(1), C::I32Sub]),
        ));
        p.elements.push(elements(
            ScalarType::FuncRef,
            func_items,
            active(1, &[C::I32(0)]),
        ));
    });
}

#[test]
fn active_data_segments_name_a_memory_at_an_i32_offset() {
    use ConstOp as C;
    let data = |mode| {
        move |p: &mut Program<Label>| {
            p.data.push(DataSegment {
                bytes: vec![1, 2],
                mode,
            })
        }
    };
    refused(
        data(active(1, &[C::I32(0)])),
        &["data segment 0 initialises memory 1, which does not exist"],
    );
    refused(
        data(active(0, &[C::F32(0)])),
        &["data segment 0: the offset is F32, not I32"],
    );
    refused(
        data(active(0, &[C::I32(0), C::I32Add])),
        &["data segment 0: offset: I32Add needs two I32 operands"],
    );
    refused(
        data(SegmentMode::Declared),
        &["data segment 0 is declarative; only element segments can be"],
    );
    accepted(data(SegmentMode::Passive));
    accepted(|p| {
        p.memory_imports.push(memory_import(1, None));
        p.data.push(DataSegment {
            bytes: vec![],
            mode: active(1, &[C::GlobalGet(0)]),
        });
    });
}

#[test]
fn exports_are_unique_and_name_existing_items() {
    refused(
        |p| {
            p.exports.push(export("x", ExternItem::Func(0)));
            p.exports.push(export("x", ExternItem::Memory(0)));
        },
        &["export `x` is defined twice"],
    );
    for (item, what) in [
        (ExternItem::Func(1), "function 1"),
        (ExternItem::Import(0), "function import 0"),
        (ExternItem::Memory(1), "memory 1"),
        (ExternItem::Table(1), "table 1"),
        (ExternItem::Global(1), "global 1"),
    ] {
        let message = format!("export `e` names {what}, which does not exist");
        refused(|p| p.exports.push(export("e", item)), &[message.as_str()]);
    }
    // Imports count in the memory, table and global index spaces.
    accepted(|p| {
        p.imports.push(func_import(&[]));
        p.memory_imports.push(memory_import(0, None));
        p.table_imports.push(table_import(TableDecl::default()));
        p.global_imports.push(global_import(ScalarType::F32, true));
        for (i, item) in [
            ExternItem::Func(0),
            ExternItem::Import(0),
            ExternItem::Memory(1),
            ExternItem::Table(1),
            ExternItem::Global(1),
        ]
        .into_iter()
        .enumerate()
        {
            p.exports.push(export(&format!("e{i}"), item));
        }
    });
}

#[test]
fn the_start_function_exists_and_takes_and_returns_nothing() {
    refused(|p| p.start = Some(1), &["start function 1 does not exist"]);
    let mut p = base();
    let mut g = FunctionBuilder::new("g", &[Type::I32], &[]);
    g.ret(&[]);
    p.functions.push(g.finish());
    p.start = Some(1);
    check(
        &rejected(&p),
        "",
        0,
        None,
        &["start function `g` must take and return nothing"],
    );
    p.functions[1].params.clear();
    p.functions[1].results.push(Type::I32);
    check(&rejected(&p), "", 0, None, &["start function `g`"]);
    accepted(|p| p.start = Some(0));
}

#[test]
fn a_verified_program_describes_its_imports_exports_and_globals() {
    let mut p = base();
    p.imports.push(func_import(&[Type::I64]));
    p.memory_imports.push(memory_import(1, Some(2)));
    p.table_imports.push(table_import(TableDecl::default()));
    p.global_imports.push(global_import(ScalarType::F64, true));
    p.exports.push(export("g", ExternItem::Global(1)));
    let v = verify(&p).unwrap();
    assert_eq!(v.imports(), &p.imports[..]);
    assert_eq!(v.memory_imports(), &p.memory_imports[..]);
    assert_eq!(v.table_imports(), &p.table_imports[..]);
    assert_eq!(v.global_imports(), &p.global_imports[..]);
    assert_eq!(v.exports(), &p.exports[..]);
    assert_eq!(
        v.global_type(0),
        Some((ScalarType::F64, true)),
        "the import"
    );
    assert_eq!(
        v.global_type(1),
        Some((ScalarType::I32, false)),
        "the defined one"
    );
    assert_eq!(v.global_type(2), None);
}
