//! Link errors: every mismatch between what a program imports and what it
//! is given is refused before anything is created, so the store is exactly
//! as it was.

use crate::*;
use arenavm_vm::exec::{Imports, Store};
use arenavm_vm::program::{Program, TableDecl, Val};
use arenavm_vm::types::{FuncType, ScalarType, Type};

/// A program with a trivial function and the imports `setup` adds.
fn importer(setup: impl FnOnce(&mut Program<Label>)) -> Program<Label> {
    let mut f = FunctionBuilder::new("main", &[], &[]);
    f.ret(&[]);
    let mut program = ProgramBuilder::new();
    program.function(f);
    let mut program = program.finish();
    setup(&mut program);
    program
}

/// Instantiating `program` with `imports` is a link error that leaves the
/// store unchanged; returns the message.
#[track_caller]
fn refused(store: &mut Store, program: &Program<Label>, imports: &Imports) -> String {
    let before = snapshot(store);
    let message = link_error(store.instantiate(rc(program), imports, &ExecConfig::default()));
    assert_eq!(snapshot(store), before, "a link error changed the store");
    message
}

/// The store gives its next function the index `expected`: nothing was
/// added behind the snapshot's back.
#[track_caller]
fn next_function_is(store: &mut Store, expected: u32) {
    let id = store
        .define_host("probe", FuncType::default(), |_, _| Ok(vec![]))
        .unwrap();
    assert_eq!(id.index(), expected);
}

#[test]
fn import_counts_must_match_for_each_kind() {
    let (mut store, a, _) = linked();
    let full = link(&store, a, &CONSUMER_IMPORTS);
    type Change = fn(&mut Imports);
    let cases: [(&str, Change); 5] = [
        ("2 function imports, 1 given", |i| {
            i.funcs.pop();
        }),
        ("2 function imports, 3 given", |i| i.funcs.push(i.funcs[0])),
        ("1 memory imports, 0 given", |i| i.memories.clear()),
        ("1 table imports, 2 given", |i| i.tables.push(i.tables[0])),
        ("1 global imports, 0 given", |i| i.globals.clear()),
    ];
    for (message, change) in cases {
        let mut imports = full.clone();
        change(&mut imports);
        let got = refused(&mut store, &consumer(), &imports);
        assert!(got.contains(message), "{got} (want {message})");
    }
    // Provider: 9 functions, consumer: 11.
    next_function_is(&mut store, 20);
}

#[test]
fn a_function_import_must_have_the_imported_type() {
    let (mut store, a, _) = linked();
    let mut imports = link(&store, a, &CONSUMER_IMPORTS);
    imports.funcs.swap(0, 1);
    let got = refused(&mut store, &consumer(), &imports);
    assert!(got.contains("incompatible import type: a.add1"), "{got}");
    assert!(got.contains("must be"), "{got}");
    // `double` has add1's type: linking by type, not by name, accepts it.
    let mut imports = link(&store, a, &CONSUMER_IMPORTS);
    imports.funcs[0] = func(&store, a, "a_double");
    let c = instantiate(&mut store, &consumer(), &imports);
    assert_vals(
        &expect_ok(call(&mut store, c, "b_add1", &[Val::I64(21)])),
        &[Val::I64(42)],
        "add1 bound to a_double",
    );
    // A host function of the wrong type is refused too.
    let host = store
        .define_host(
            "h",
            FuncType {
                params: vec![Type::I32],
                results: vec![Type::I64],
            },
            |_, _| Ok(vec![Val::I64(0)]),
        )
        .unwrap();
    imports.funcs[0] = host;
    let got = refused(&mut store, &consumer(), &imports);
    assert!(got.contains("a.add1"), "{got}");
}

#[test]
fn an_imported_memory_must_fit_the_imported_limits() {
    let mut store = store();
    let bounded = store.alloc_memory(mem(1, Some(3))).unwrap();
    let unbounded = store.alloc_memory(mem(1, None)).unwrap();
    let importing = |min, max| importer(|p| p.memory_imports.push(memory_import("m", min, max)));
    let with = |m| Imports {
        memories: vec![m],
        ..Imports::default()
    };
    // Too few pages.
    let got = refused(&mut store, &importing(2, None), &with(bounded));
    assert!(
        got.contains("memory a.m must have at least 2 pages"),
        "{got}"
    );
    assert!(got.contains("but has 1"), "{got}");
    // A maximum is wanted but the memory has none.
    let got = refused(&mut store, &importing(1, Some(4)), &with(unbounded));
    assert!(got.contains("at most Some(4)"), "{got}");
    assert!(got.contains("at most None"), "{got}");
    // The memory's maximum is larger than the one wanted.
    let got = refused(&mut store, &importing(0, Some(2)), &with(bounded));
    assert!(got.contains("at most Some(3)"), "{got}");
    // Accepted: a smaller maximum, an equal one, no maximum wanted.
    for (min, max, m) in [
        (1, Some(4), bounded),
        (1, Some(3), bounded),
        (0, None, bounded),
        (1, None, unbounded),
    ] {
        instantiate(&mut store, &importing(min, max), &with(m));
    }
}

#[test]
fn an_imported_memory_is_matched_by_its_current_size() {
    let (mut store, a, _) = linked();
    let imports = Imports {
        memories: link(&store, a, &["mem"]).memories,
        ..Imports::default()
    };
    let wants_two = importer(|p| p.memory_imports.push(memory_import("mem", 2, Some(3))));
    refused(&mut store, &wants_two, &imports);
    expect_ok(call(&mut store, a, "a_grow", &[Val::I32(1)]));
    instantiate(&mut store, &wants_two, &imports);
}

#[test]
fn an_imported_table_must_fit_the_imported_type_and_limits() {
    let (mut store, a, _) = linked();
    let table = link(&store, a, &["table"]).tables;
    let with = Imports {
        tables: table,
        ..Imports::default()
    };
    let importing =
        |elem, min, max| importer(|p| p.table_imports.push(table_import("t", elem, min, max)));
    let got = refused(
        &mut store,
        &importing(ScalarType::ExternRef, 4, None),
        &with,
    );
    assert!(got.contains("table a.t must hold ExternRef"), "{got}");
    assert!(got.contains("but holds FuncRef"), "{got}");
    let got = refused(&mut store, &importing(ScalarType::FuncRef, 5, None), &with);
    assert!(got.contains("at least 5 entries"), "{got}");
    let got = refused(
        &mut store,
        &importing(ScalarType::FuncRef, 0, Some(9)),
        &with,
    );
    assert!(got.contains("at most Some(10)"), "{got}");
    instantiate(
        &mut store,
        &importing(ScalarType::FuncRef, 4, Some(10)),
        &with,
    );
    // A host table without a maximum cannot satisfy a wanted maximum.
    let unbounded = store
        .alloc_table(
            &TableDecl {
                min: 4,
                ..TableDecl::default()
            },
            Val::FuncRef(None),
        )
        .unwrap();
    let with = Imports {
        tables: vec![unbounded],
        ..Imports::default()
    };
    let got = refused(
        &mut store,
        &importing(ScalarType::FuncRef, 1, Some(100)),
        &with,
    );
    assert!(got.contains("at most None"), "{got}");
}

#[test]
fn an_imported_global_must_have_the_imported_type_and_mutability() {
    let (mut store, a, _) = linked();
    let globals = link(&store, a, &["counter", "seven"]).globals;
    let (counter, seven) = (globals[0], globals[1]);
    let importing =
        |ty, mutable| importer(|p| p.global_imports.push(global_import("g", ty, mutable)));
    let with = |g| Imports {
        globals: vec![g],
        ..Imports::default()
    };
    let got = refused(
        &mut store,
        &importing(ScalarType::I64, false),
        &with(counter),
    );
    assert!(
        got.contains("global a.g must be I64, but is mutable I64"),
        "{got}"
    );
    let got = refused(&mut store, &importing(ScalarType::I32, true), &with(seven));
    assert!(got.contains("must be mutable I32, but is I32"), "{got}");
    let got = refused(&mut store, &importing(ScalarType::I64, false), &with(seven));
    assert!(got.contains("must be I64, but is I32"), "{got}");
    let got = refused(
        &mut store,
        &importing(ScalarType::F64, true),
        &with(counter),
    );
    assert!(got.contains("must be mutable F64"), "{got}");
    instantiate(
        &mut store,
        &importing(ScalarType::I64, true),
        &with(counter),
    );
    instantiate(&mut store, &importing(ScalarType::I32, false), &with(seven));
}

#[test]
fn an_import_from_another_store_is_refused() {
    let mut big = store();
    for _ in 0..3 {
        big.alloc_memory(mem(0, None)).unwrap();
        big.alloc_global(Val::I32(0), false).unwrap();
        big.alloc_table(&TableDecl::default(), Val::FuncRef(None))
            .unwrap();
    }
    let foreign_func = (0..50)
        .map(|_| {
            big.define_host("far", FuncType::default(), |_, _| Ok(vec![]))
                .unwrap()
        })
        .last()
        .unwrap();
    let foreign_memory = big.alloc_memory(mem(0, None)).unwrap();
    let foreign_table = big
        .alloc_table(&TableDecl::default(), Val::FuncRef(None))
        .unwrap();
    let foreign_global = big.alloc_global(Val::I32(0), false).unwrap();
    let mut store = store();
    let cases = [
        (
            importer(|p| p.imports.push(func_import("f", &[], &[]))),
            Imports {
                funcs: vec![foreign_func],
                ..Imports::default()
            },
            "function #49 is not of this store",
        ),
        (
            importer(|p| p.memory_imports.push(memory_import("m", 0, None))),
            Imports {
                memories: vec![foreign_memory],
                ..Imports::default()
            },
            "memory #3 is not of this store",
        ),
        (
            importer(|p| {
                p.table_imports
                    .push(table_import("t", ScalarType::FuncRef, 0, None))
            }),
            Imports {
                tables: vec![foreign_table],
                ..Imports::default()
            },
            "table #3 is not of this store",
        ),
        (
            importer(|p| {
                p.global_imports
                    .push(global_import("g", ScalarType::I32, false))
            }),
            Imports {
                globals: vec![foreign_global],
                ..Imports::default()
            },
            "global #3 is not of this store",
        ),
    ];
    for (program, imports, message) in cases {
        let got = refused(&mut store, &program, &imports);
        assert!(got.contains(message), "{got} (want {message})");
    }
    next_function_is(&mut store, 0);
}

#[test]
fn a_link_error_in_the_last_import_creates_nothing_of_the_program() {
    // The consumer defines functions, so a half-created instance would
    // show in the function count; its last import (the global) is wrong.
    let (mut store, a, _) = linked();
    let mut imports = link(&store, a, &CONSUMER_IMPORTS);
    imports.globals = link(&store, a, &["seven"]).globals;
    let functions = snapshot(&store);
    let got = refused(&mut store, &consumer(), &imports);
    assert!(got.contains("a.counter"), "{got}");
    assert_eq!(snapshot(&store), functions);
    // Provider: 9 functions, consumer: 11.
    next_function_is(&mut store, 20);
    let display = InstantiateError::Link(got.clone()).to_string();
    assert_eq!(display, format!("link error: {got}"));
}
