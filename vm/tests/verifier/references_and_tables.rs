//! Instruction rules of references, tables, segments, imports and the
//! global index space (`verify/function.rs`): every reference has its
//! table's element type, segment and import indices exist, imported
//! globals come first and an immutable one is never written. One test per
//! rule, each naming the function and the instruction.

use crate::common::*;
use crate::{check, rejected};
use arenavm_vm::builder::FunctionBuilder;
use arenavm_vm::isa::{Instr, Label, Reg};
use arenavm_vm::program::{
    ConstExpr, ConstOp, DataSegment, ElemSegment, GlobalDecl, GlobalImport, HostImport,
    MemoryImport, Program, SegmentMode, TableDecl, TableImport, Val,
};
use arenavm_vm::types::{FuncType, ScalarType, Type};
use arenavm_vm::verify;

/// A program around the function `g` (index 0) that `body` builds:
///
/// - function import 0, `a.h: (i64) -> i64`;
/// - globals: 0 imported immutable `i32`, 1 imported mutable `externref`,
///   2 defined mutable `i64`;
/// - tables: 0 imported, of function references; 1 defined, of extern
///   references;
/// - memory 0, imported;
/// - element segments: 0 of function references, 1 of extern references;
///   data segment 0;
/// - type 0: `() -> ()`.
fn around(body: impl FnOnce(&mut FunctionBuilder)) -> Program<Label> {
    let mut f = FunctionBuilder::new("g", &[], &[]);
    body(&mut f);
    let mut p = program(vec![f], &[]);
    p.types.push(FuncType::default());
    p.imports.push(HostImport {
        module: "a".into(),
        name: "h".into(),
        params: vec![Type::I64],
        results: vec![Type::I64],
    });
    for (name, ty, mutable) in [
        ("i", ScalarType::I32, false),
        ("x", ScalarType::ExternRef, true),
    ] {
        p.global_imports.push(GlobalImport {
            module: "a".into(),
            name: name.into(),
            ty,
            mutable,
        });
    }
    p.globals.push(GlobalDecl::new(Val::I64(0), true).unwrap());
    p.table_imports.push(TableImport {
        module: "a".into(),
        name: "t".into(),
        table: TableDecl::default(),
    });
    p.tables.push(TableDecl {
        elem: ScalarType::ExternRef,
        min: 1,
        ..TableDecl::default()
    });
    p.memory_imports.push(MemoryImport {
        module: "a".into(),
        name: "m".into(),
        memory: mem(1, None),
    });
    p.elements.push(ElemSegment {
        ty: ScalarType::FuncRef,
        items: vec![ConstExpr(vec![ConstOp::RefFunc(0)])],
        mode: SegmentMode::Passive,
    });
    p.elements.push(ElemSegment {
        ty: ScalarType::ExternRef,
        items: vec![],
        mode: SegmentMode::Passive,
    });
    p.data.push(DataSegment {
        bytes: vec![1],
        mode: SegmentMode::Passive,
    });
    p
}

/// `g` with the instruction `make` builds from three `i32` registers and
/// the register `value` (of type `ty`), then a return: the instruction is
/// instruction 3.
fn one_instr(ty: ScalarType, make: impl FnOnce(Reg, [Reg; 3]) -> Instr<Label>) -> Program<Label> {
    around(|f| {
        let regs = [(); 3].map(|_| f.scalar(ScalarType::I32));
        for (i, r) in regs.iter().enumerate() {
            f.push(Instr::I32Const {
                dst: *r,
                value: i as i32,
            });
        }
        let value = f.scalar(ty);
        f.push(make(value, regs));
        f.ret(&[]);
    })
}

/// The instruction is rejected with these words.
#[track_caller]
fn refused(ty: ScalarType, make: impl FnOnce(Reg, [Reg; 3]) -> Instr<Label>, words: &[&str]) {
    check(&rejected(&one_instr(ty, make)), "g", 0, Some(3), words);
}

/// `g` as `body` builds it is rejected at instruction `at` with these
/// words.
#[track_caller]
fn body_refused(body: impl FnOnce(&mut FunctionBuilder), at: usize, words: &[&str]) {
    check(&rejected(&around(body)), "g", 0, Some(at), words);
}

/// The instruction is accepted.
#[track_caller]
fn accepted(ty: ScalarType, make: impl FnOnce(Reg, [Reg; 3]) -> Instr<Label>) {
    if let Err(e) = verify(&one_instr(ty, make)) {
        panic!("rejected: {e}");
    }
}

use ScalarType::{ExternRef, F64, FuncRef, I32, I64};

#[test]
fn the_fixture_is_valid() {
    verify(&around(|f| {
        f.ret(&[]);
    }))
    .expect("valid");
}

/// `g` calling import `import` with new registers of these types as
/// arguments and results (instruction 0) is rejected with these words.
#[track_caller]
fn call_import_refused(import: u32, args: &[ScalarType], results: &[ScalarType], words: &[&str]) {
    body_refused(
        |f| {
            let args: Vec<Reg> = args.iter().map(|&t| f.scalar(t)).collect();
            let results: Vec<Reg> = results.iter().map(|&t| f.scalar(t)).collect();
            let (args, results) = (f.list(&args), f.list(&results));
            f.push(Instr::CallImport {
                import,
                args,
                results,
            });
            f.ret(&[]);
        },
        0,
        words,
    );
}

#[test]
fn call_import_needs_an_import_and_its_signature() {
    call_import_refused(
        1,
        &[],
        &[],
        &["function import 1 does not exist (1 declared)"],
    );
    call_import_refused(0, &[I32], &[I64], &["arguments: value 0 must be I64"]);
    call_import_refused(0, &[I64], &[], &["results: 0 registers given, 1 expected"]);
}

#[test]
fn ref_func_and_ref_import_name_existing_functions() {
    refused(
        FuncRef,
        |r, _| Instr::RefFunc { dst: r, func: 1 },
        &["RefFunc names function 1, which does not exist (1 declared)"],
    );
    refused(
        FuncRef,
        |r, _| Instr::RefImport { dst: r, import: 1 },
        &["function import 1 does not exist"],
    );
    accepted(FuncRef, |r, _| Instr::RefImport { dst: r, import: 0 });
    // Both write a function reference, never an extern reference.
    refused(
        ExternRef,
        |r, _| Instr::RefImport { dst: r, import: 0 },
        &["RefImport writes operand `dst` as FuncRef"],
    );
}

#[test]
fn ref_null_and_ref_is_null_take_a_reference_of_either_type() {
    refused(
        I32,
        |r, _| Instr::RefNull { dst: r },
        &["operand `dst` must be a reference, but scalar register 3 is I32"],
    );
    refused(
        F64,
        |_, [a, ..]| Instr::RefIsNull {
            dst: a,
            value: Reg(3),
        },
        &["operand `value` must be a reference, but scalar register 3 is F64"],
    );
    for ty in [FuncRef, ExternRef] {
        accepted(ty, |r, _| Instr::RefNull { dst: r });
        accepted(ty, |r, [a, ..]| Instr::RefIsNull { dst: a, value: r });
    }
}

#[test]
fn table_access_uses_the_element_type_of_its_table() {
    type Make = fn(Reg, [Reg; 3], u32) -> Instr<Label>;
    let cases: [(&str, Make); 4] = [
        ("TableGet", |r, [i, ..], table| Instr::TableGet {
            dst: r,
            table,
            index: i,
        }),
        ("TableSet", |r, [i, ..], table| Instr::TableSet {
            table,
            index: i,
            value: r,
        }),
        ("TableGrow", |r, [d, n, _], table| Instr::TableGrow {
            dst: d,
            table,
            init: r,
            delta: n,
        }),
        ("TableFill", |r, [d, _, n], table| Instr::TableFill {
            table,
            dst: d,
            value: r,
            len: n,
        }),
    ];
    for (name, make) in cases {
        // Table 0 (imported) holds function references, table 1 extern ones.
        refused(
            ExternRef,
            |r, regs| make(r, regs, 0),
            &["operand `the element` must be FuncRef, but scalar register 3 is ExternRef"],
        );
        refused(
            FuncRef,
            |r, regs| make(r, regs, 1),
            &["must be ExternRef, but scalar register 3 is FuncRef"],
        );
        refused(
            I64,
            |r, regs| make(r, regs, 1),
            &["must be ExternRef", "I64"],
        );
        refused(
            FuncRef,
            |r, regs| make(r, regs, 2),
            &["table 2 does not exist (2 declared)"],
        );
        for (ty, table) in [(FuncRef, 0), (ExternRef, 1)] {
            if let Err(e) = verify(&one_instr(ty, |r, regs| make(r, regs, table))) {
                panic!("{name} on table {table}: {e}");
            }
        }
    }
    refused(
        I32,
        |_, [d, ..]| Instr::TableSize { dst: d, table: 2 },
        &["table 2 does not exist"],
    );
}

#[test]
fn table_copy_needs_tables_of_one_element_type() {
    refused(
        I32,
        |_, [d, s, n]| Instr::TableCopy {
            dst_table: 0,
            src_table: 1,
            dst: d,
            src: s,
            len: n,
        },
        &["TableCopy from a table of ExternRef to a table of FuncRef"],
    );
    refused(
        I32,
        |_, [d, s, n]| Instr::TableCopy {
            dst_table: 1,
            src_table: 3,
            dst: d,
            src: s,
            len: n,
        },
        &["table 3 does not exist"],
    );
    for table in [0, 1] {
        accepted(I32, |_, [d, s, n]| Instr::TableCopy {
            dst_table: table,
            src_table: table,
            dst: d,
            src: s,
            len: n,
        });
    }
}

#[test]
fn table_init_and_elem_drop_need_a_segment_of_the_table_type() {
    let init = |table, elem| {
        move |_: Reg, [d, s, n]: [Reg; 3]| Instr::TableInit {
            table,
            elem,
            dst: d,
            src: s,
            len: n,
        }
    };
    refused(
        I32,
        init(1, 0),
        &["TableInit from a segment of FuncRef into a table of ExternRef"],
    );
    refused(
        I32,
        init(0, 1),
        &["TableInit from a segment of ExternRef into a table of FuncRef"],
    );
    refused(
        I32,
        init(0, 2),
        &["element segment 2 does not exist (2 declared)"],
    );
    refused(I32, init(2, 0), &["table 2 does not exist"]);
    accepted(I32, init(0, 0));
    accepted(I32, init(1, 1));
    refused(
        I32,
        |_, _| Instr::ElemDrop { elem: 2 },
        &["element segment 2 does not exist (2 declared)"],
    );
    accepted(I32, |_, _| Instr::ElemDrop { elem: 1 });
}

#[test]
fn memory_init_and_data_drop_need_their_memory_and_segment() {
    let init = |mem, data| {
        move |_: Reg, [d, s, n]: [Reg; 3]| Instr::MemoryInit {
            mem,
            data,
            dst: d,
            src: s,
            len: n,
        }
    };
    refused(I32, init(1, 0), &["memory 1 does not exist (1 declared)"]);
    refused(
        I32,
        init(0, 1),
        &["data segment 1 does not exist (1 declared)"],
    );
    accepted(I32, init(0, 0));
    refused(
        I32,
        |_, _| Instr::DataDrop { data: 1 },
        &["data segment 1 does not exist (1 declared)"],
    );
    accepted(I32, |_, _| Instr::DataDrop { data: 0 });
}

#[test]
fn globals_are_indexed_imports_first() {
    // Global 0 is the imported i32, 1 the imported externref, 2 the
    // defined i64; there is no global 3.
    refused(
        I64,
        |r, _| Instr::GlobalGet { dst: r, global: 0 },
        &["operand `dst` must be I32, but scalar register 3 is I64"],
    );
    refused(
        I64,
        |r, _| Instr::GlobalGet { dst: r, global: 3 },
        &["global 3 does not exist (3 declared)"],
    );
    accepted(I32, |r, _| Instr::GlobalGet { dst: r, global: 0 });
    accepted(ExternRef, |r, _| Instr::GlobalGet { dst: r, global: 1 });
    accepted(I64, |r, _| Instr::GlobalGet { dst: r, global: 2 });
    refused(
        FuncRef,
        |r, _| Instr::GlobalSet { src: r, global: 1 },
        &["operand `src` must be ExternRef, but scalar register 3 is FuncRef"],
    );
    accepted(ExternRef, |r, _| Instr::GlobalSet { src: r, global: 1 });
    accepted(I64, |r, _| Instr::GlobalSet { src: r, global: 2 });
}

#[test]
fn an_immutable_imported_global_is_never_written() {
    refused(
        I32,
        |r, _| Instr::GlobalSet { src: r, global: 0 },
        &["global 0 is immutable"],
    );
}

#[test]
fn indirect_calls_go_through_tables_of_function_references() {
    // `one_instr`'s only list is the empty one its return makes.
    let empty = arenavm_vm::isa::ListRef(0);
    let call = move |table| {
        move |_: Reg, [i, ..]: [Reg; 3]| Instr::CallIndirect {
            table,
            index: i,
            sig: 0,
            operands: empty,
        }
    };
    let tail_call = move |table| {
        move |_: Reg, [i, ..]: [Reg; 3]| Instr::ReturnCallIndirect {
            table,
            index: i,
            sig: 0,
            args: empty,
        }
    };
    // Table 1 holds extern references: a host's opaque value must never be
    // called as a function.
    let words = ["table 1 holds ExternRef", "FuncRef"];
    refused(I32, call(1), &words);
    refused(I32, tail_call(1), &words);
    // Through the imported function table it is fine.
    accepted(I32, call(0));
    accepted(I32, tail_call(0));
}

#[test]
fn references_of_the_two_types_do_not_mix() {
    body_refused(
        |f| {
            let (a, b) = (f.scalar(FuncRef), f.scalar(ExternRef));
            f.push(Instr::RefNull { dst: b });
            f.push(Instr::Copy { dst: a, src: b });
            f.ret(&[]);
        },
        1,
        &["Copy needs `dst` and `src` of one type, but they are FuncRef and ExternRef"],
    );
    body_refused(
        |f| {
            let (c, a, b) = (f.scalar(I32), f.scalar(ExternRef), f.scalar(FuncRef));
            f.push(Instr::Select {
                dst: a,
                cond: c,
                a,
                b,
            });
            f.ret(&[]);
        },
        0,
        &["ExternRef and FuncRef"],
    );
}
