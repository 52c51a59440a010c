//! The host's side of a store: functions defined with `Store::define_host`
//! and imported by programs, tables and globals the host allocates,
//! exports, and references (function and extern) crossing `Store::invoke`.

use std::cell::Cell as StdCell;
use std::rc::Rc;

use crate::*;
use arenavm_vm::arenas::{ArenaTag, Bytes};
use arenavm_vm::exec::{Extern, HostContext, TrapKind};
use arenavm_vm::program::Val::{ExternRef, FuncRef, I32, I64};

/// A program importing `a.f: (i64) -> i64` with `main(x) = f(x)`.
fn calls_one_import(params: &[Type], results: &[Type]) -> Program<Label> {
    let mut p = ProgramBuilder::new();
    p.import(func_import("f", params, results));
    let mut f = FunctionBuilder::new("main", params, results);
    let args: Vec<Reg> = (0..params.len()).map(|i| f.param(i)).collect();
    let outs: Vec<Reg> = results.iter().map(|t| f.register(*t)).collect();
    let (a, r) = (f.list(&args), f.list(&outs));
    f.push(Instr::CallImport {
        import: 0,
        args: a,
        results: r,
    });
    f.ret(&outs);
    p.function(f);
    p.finish()
}

fn funcs(f: FuncId) -> Imports {
    Imports {
        funcs: vec![f],
        ..Imports::default()
    }
}

#[test]
fn a_host_function_of_the_store_is_imported_like_any_function() {
    let mut store = store();
    let calls = Rc::new(StdCell::new(0));
    let seen = Rc::clone(&calls);
    let host = store
        .define_host("env.square", unary_i64(), move |_, args| {
            seen.set(seen.get() + 1);
            match args {
                [I64(x)] => Ok(vec![I64(x * x)]),
                _ => Err("bad arguments".into()),
            }
        })
        .unwrap();
    assert_eq!(store.func_name(host), "env.square");
    assert_eq!(store.func_type(host), unary_i64());
    let program = calls_one_import(&[Type::I64], &[Type::I64]);
    let one = instantiate(&mut store, &program, &funcs(host));
    let two = instantiate(&mut store, &program, &funcs(host));
    assert_eq!(call(&mut store, one, "main", &[I64(7)]), Ok(vec![I64(49)]));
    assert_eq!(call(&mut store, two, "main", &[I64(-3)]), Ok(vec![I64(9)]));
    // The host function can be invoked directly too.
    assert_eq!(
        store.invoke(host, &[I64(5)], &ExecConfig::default()),
        Ok(vec![I64(25)])
    );
    assert_eq!(calls.get(), 3);
}

#[test]
fn a_host_error_is_a_trap_naming_the_host_function() {
    let mut store = store();
    let host = store
        .define_host("env.fail", unary_i64(), |_, _| Err("no thanks".into()))
        .unwrap();
    let inst = instantiate(
        &mut store,
        &calls_one_import(&[Type::I64], &[Type::I64]),
        &funcs(host),
    );
    let trap = expect_trap(call(&mut store, inst, "main", &[I64(1)]));
    assert_eq!(trap.kind, TrapKind::HostError);
    assert_eq!(trap.function, "main", "the caller's instruction trapped");
    assert_eq!(trap.detail.as_deref(), Some("env.fail: no thanks"));
    // Invoked directly, the trap is the host function's own.
    let trap = expect_trap(store.invoke(host, &[I64(1)], &ExecConfig::default()));
    assert_eq!(trap.kind, TrapKind::HostError);
    assert_eq!(trap.function, "env.fail");
    assert_eq!(trap.detail.as_deref(), Some("no thanks"));
}

#[test]
fn a_host_function_must_return_what_its_type_promises() {
    let mut store = store();
    let liars: [(&str, Vec<Val>); 3] = [
        ("env.wrong_type", vec![I32(1)]),
        ("env.too_many", vec![I64(1), I64(2)]),
        ("env.too_few", vec![]),
    ];
    for (name, returned) in liars {
        let host = store
            .define_host(name, unary_i64(), move |_, _| Ok(returned.clone()))
            .unwrap();
        let inst = instantiate(
            &mut store,
            &calls_one_import(&[Type::I64], &[Type::I64]),
            &funcs(host),
        );
        let trap = expect_trap(call(&mut store, inst, "main", &[I64(1)]));
        assert_eq!(trap.kind, TrapKind::HostError, "{name}");
        assert!(trap.detail.unwrap().contains(name));
        let trap = expect_trap(store.invoke(host, &[I64(1)], &ExecConfig::default()));
        assert_eq!(trap.kind, TrapKind::HostError, "{name}, invoked directly");
    }
}

/// A program whose `main(slot: i32)` puts what import `a.f: () -> funcref`
/// returns into entry `slot` of its table and calls it as `() -> i64`.
fn calls_what_the_host_returns() -> Program<Label> {
    let mut p = ProgramBuilder::new();
    p.import(func_import("f", &[], &[Type::FuncRef]));
    p.func_type(FuncType {
        params: vec![],
        results: vec![Type::I64],
    });
    p.table(TableDecl {
        min: 1,
        ..TableDecl::default()
    });
    let mut main = FunctionBuilder::new("main", &[], &[Type::I64]);
    let (r, zero, out) = (
        main.scalar(ScalarType::FuncRef),
        i32_const(&mut main, 0),
        main.scalar(ScalarType::I64),
    );
    let (args, results) = (main.list(&[]), main.list(&[r]));
    main.push(Instr::CallImport {
        import: 0,
        args,
        results,
    });
    main.push(Instr::TableSet {
        table: 0,
        index: zero,
        value: r,
    });
    let operands = main.list(&[out]);
    main.push(Instr::CallIndirect {
        table: 0,
        index: zero,
        sig: 0,
        operands,
    });
    main.ret(&[out]);
    p.function(main);
    let mut forty_two = FunctionBuilder::new("forty_two", &[], &[Type::I64]);
    let v = i64_const(&mut forty_two, 42);
    forty_two.ret(&[v]);
    p.function(forty_two);
    p.finish()
}

#[test]
fn a_host_function_cannot_return_a_reference_to_no_function() {
    let mut store = store();
    let to_nothing = FuncType {
        params: vec![],
        results: vec![Type::FuncRef],
    };
    let forged = store
        .define_host("env.forge", to_nothing.clone(), |_, _| {
            Ok(vec![FuncRef(Some(1_000_000))])
        })
        .unwrap();
    let inst = instantiate(&mut store, &calls_what_the_host_returns(), &funcs(forged));
    let trap = expect_trap(call(&mut store, inst, "main", &[]));
    assert_eq!(trap.kind, TrapKind::HostError);
    assert!(
        trap.detail.as_deref().unwrap_or("").contains("env.forge"),
        "{trap}"
    );
    let trap = expect_trap(store.invoke(forged, &[], &ExecConfig::default()));
    assert_eq!(trap.kind, TrapKind::HostError, "invoked directly");

    // A reference to a real function is fine, and calls it. The host
    // learns the function's id only after instantiating, so it reads it
    // from a shared cell.
    let target = Rc::new(StdCell::new(None));
    let read = Rc::clone(&target);
    let honest = store
        .define_host("env.honest", to_nothing, move |_, _| {
            Ok(vec![FuncRef(read.get())])
        })
        .unwrap();
    let inst = instantiate(&mut store, &calls_what_the_host_returns(), &funcs(honest));
    target.set(Some(func(&store, inst, "forty_two").index()));
    assert_eq!(call(&mut store, inst, "main", &[]), Ok(vec![I64(42)]));
    // Null comes back as null: the indirect call traps on it.
    target.set(None);
    let trap = expect_trap(call(&mut store, inst, "main", &[]));
    assert_eq!(trap.kind, TrapKind::NullElement);
}

#[test]
fn only_numbers_and_references_cross_to_the_host() {
    let mut store = store();
    let err = store
        .define_host(
            "env.cells",
            FuncType {
                params: vec![Type::Cell(ArenaTag::List)],
                results: vec![],
            },
            |_, _| Ok(vec![]),
        )
        .unwrap_err();
    assert!(
        err.contains("env.cells: a Cell(List) cannot cross"),
        "{err}"
    );
    let err = store
        .define_host(
            "env.slices",
            FuncType {
                params: vec![],
                results: vec![Type::Slice(ArenaTag::Bytes)],
            },
            |_, _| Ok(vec![]),
        )
        .unwrap_err();
    assert!(err.contains("cannot cross to the host"), "{err}");
    // Nothing was added: the next function is the first.
    let id = store
        .define_host("env.ok", FuncType::default(), |_, _| Ok(vec![]))
        .unwrap();
    assert_eq!(id.index(), 0);
}

#[test]
fn host_functions_in_a_host_table_are_called_indirectly() {
    let mut store = store();
    let negate = store
        .define_host("env.negate", unary_i64(), |_, args| match args {
            [I64(x)] => Ok(vec![I64(-x)]),
            _ => Err("bad".into()),
        })
        .unwrap();
    let nothing = store
        .define_host("env.nothing", FuncType::default(), |_, _| Ok(vec![]))
        .unwrap();
    let table = store
        .alloc_table(
            &TableDecl {
                min: 3,
                max: Some(3),
                ..TableDecl::default()
            },
            FuncRef(Some(negate.index())),
        )
        .unwrap();
    assert_eq!(store.table_type(table), (ScalarType::FuncRef, 3, Some(3)));
    let mut p = ProgramBuilder::new();
    p.func_type(unary_i64());
    p.function(call_slot("main", 0));
    let mut p = p.finish();
    p.table_imports
        .push(table_import("t", ScalarType::FuncRef, 3, Some(3)));
    // An element segment puts a host function (through its import) in
    // entry 2.
    p.imports.push(func_import("nothing", &[], &[]));
    p.elements.push(arenavm_vm::program::ElemSegment {
        ty: ScalarType::FuncRef,
        items: vec![expr(ConstOp::RefImport(0))],
        mode: active(0, 2),
    });
    let inst = instantiate(
        &mut store,
        &p,
        &Imports {
            funcs: vec![nothing],
            tables: vec![table],
            ..Imports::default()
        },
    );
    assert_eq!(
        store.table_get(table, 2),
        Some(FuncRef(Some(nothing.index())))
    );
    assert_eq!(
        call(&mut store, inst, "main", &[I32(0), I64(8)]),
        Ok(vec![I64(-8)])
    );
    let trap = expect_trap(call(&mut store, inst, "main", &[I32(2), I64(8)]));
    assert_eq!(trap.kind, TrapKind::IndirectCallSignatureMismatch);
    assert!(trap.detail.unwrap().contains("env.nothing"));
}

#[test]
fn a_host_function_sees_the_memories_of_the_instance_calling_it() {
    let (mut store, a, _) = linked();
    let peek = store
        .define_host(
            "env.peek",
            FuncType {
                params: vec![Type::I32],
                results: vec![Type::I32],
            },
            |ctx: &mut HostContext<'_>, args| {
                let [I32(at)] = args else {
                    return Err("bad".into());
                };
                let memory = ctx
                    .heap
                    .get::<Bytes>(ctx.memories[0])
                    .map_err(|e| e.to_string())?;
                Ok(vec![I32(i32::from(memory.as_slice()[*at as usize]))])
            },
        )
        .unwrap();
    let mut program = calls_one_import(&[Type::I32], &[Type::I32]);
    program.memory_imports.push(memory_import("mem", 1, None));
    let imports = Imports {
        funcs: vec![peek],
        memories: link(&store, a, &["mem"]).memories,
        ..Imports::default()
    };
    let inst = instantiate(&mut store, &program, &imports);
    expect_ok(call(&mut store, a, "a_store", &[I32(100), I32(0xab)]));
    assert_eq!(
        call(&mut store, inst, "main", &[I32(100)]),
        Ok(vec![I32(0xab)])
    );
}

#[test]
fn exports_name_store_entities_in_declaration_order() {
    let (store, a, b) = linked();
    let exports = store.exports(a);
    let names: Vec<&str> = exports.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["add1", "boom", "mem", "table", "counter", "seven", "double"]
    );
    for (name, item) in &exports {
        assert_eq!(store.export(a, name), Some(*item), "{name}");
    }
    assert_eq!(exports[0].1, Extern::Func(func(&store, a, "a_add1")));
    assert_eq!(exports[6].1, Extern::Func(func(&store, a, "a_double")));
    assert_eq!(
        exports[2].1,
        Extern::Memory(store.instance_memory(a, 0).unwrap())
    );
    let Extern::Global(seven) = exports[5].1 else {
        panic!("seven is a global")
    };
    assert_eq!(store.global_get(seven), I32(7));
    assert_eq!(store.global_type(seven), (ScalarType::I32, false));
    assert_eq!(store.export(a, "nothing"), None);
    assert_eq!(
        store.export(a, "a_add1"),
        None,
        "function names are not exports"
    );
    assert_eq!(
        store.exports(b),
        vec![
            (
                "times3".to_string(),
                Extern::Func(func(&store, b, "b_times3"))
            ),
            (
                "add1_again".to_string(),
                Extern::Func(func(&store, a, "a_add1"))
            ),
        ]
    );
}

/// `ident(x: externref) -> externref`, `is_null(x: externref) -> i32`,
/// `null() -> externref`, and `get`/`set` of an imported mutable externref
/// global.
fn extern_refs() -> Program<Label> {
    let mut p = ProgramBuilder::new();
    let mut ident = FunctionBuilder::new("ident", &[Type::ExternRef], &[Type::ExternRef]);
    let x = ident.param(0);
    ident.ret(&[x]);
    p.function(ident);
    let mut is_null = FunctionBuilder::new("is_null", &[Type::ExternRef], &[Type::I32]);
    let (x, out) = (is_null.param(0), is_null.scalar(ScalarType::I32));
    is_null.push(Instr::RefIsNull { dst: out, value: x });
    is_null.ret(&[out]);
    p.function(is_null);
    let mut null = FunctionBuilder::new("null", &[], &[Type::ExternRef]);
    let r = null.scalar(ScalarType::ExternRef);
    null.push(Instr::RefNull { dst: r });
    null.ret(&[r]);
    p.function(null);
    p.function(get_global("get", 0, ScalarType::ExternRef));
    p.function(set_global("set", 0, ScalarType::ExternRef));
    let mut p = p.finish();
    p.global_imports
        .push(global_import("g", ScalarType::ExternRef, true));
    p
}

#[test]
fn extern_references_cross_invoke_unchanged() {
    let mut store = store();
    let g = store.alloc_global(ExternRef(Some(5)), true).unwrap();
    let inst = instantiate(
        &mut store,
        &extern_refs(),
        &Imports {
            globals: vec![g],
            ..Imports::default()
        },
    );
    for v in [None, Some(0), Some(1), Some(u32::MAX)] {
        assert_eq!(
            call(&mut store, inst, "ident", &[ExternRef(v)]),
            Ok(vec![ExternRef(v)])
        );
        assert_eq!(
            call(&mut store, inst, "is_null", &[ExternRef(v)]),
            Ok(vec![I32(i32::from(v.is_none()))])
        );
    }
    assert_eq!(
        call(&mut store, inst, "null", &[]),
        Ok(vec![ExternRef(None)])
    );
    // A function reference is not an extern reference.
    let err = call(&mut store, inst, "ident", &[FuncRef(None)]).unwrap_err();
    assert!(matches!(err, InvokeError::Invalid(_)), "{err:?}");
}

#[test]
fn a_global_of_extern_references_is_shared_with_the_host() {
    let mut store = store();
    let g = store.alloc_global(ExternRef(Some(5)), true).unwrap();
    assert_eq!(store.global_type(g), (ScalarType::ExternRef, true));
    let inst = instantiate(
        &mut store,
        &extern_refs(),
        &Imports {
            globals: vec![g],
            ..Imports::default()
        },
    );
    assert_eq!(
        call(&mut store, inst, "get", &[]),
        Ok(vec![ExternRef(Some(5))])
    );
    expect_ok(call(&mut store, inst, "set", &[ExternRef(Some(u32::MAX))]));
    assert_eq!(store.global_get(g), ExternRef(Some(u32::MAX)));
    store.global_set(g, ExternRef(None)).unwrap();
    assert_eq!(
        call(&mut store, inst, "get", &[]),
        Ok(vec![ExternRef(None)])
    );
    // The host's writes are checked.
    let err = store.global_set(g, FuncRef(None)).unwrap_err();
    assert!(err.contains("ExternRef, not FuncRef"), "{err}");
    let fixed = store.alloc_global(ExternRef(None), false).unwrap();
    let err = store.global_set(fixed, ExternRef(Some(1))).unwrap_err();
    assert!(err.contains("immutable"), "{err}");
}

#[test]
fn invoke_checks_its_arguments() {
    let (mut store, a, _) = linked();
    let add1 = func(&store, a, "a_add1");
    let config = ExecConfig::default();
    let cases: [(&[Val], &str); 4] = [
        (&[], "takes 1 arguments, 0 given"),
        (&[I64(1), I64(2)], "takes 1 arguments, 2 given"),
        (&[I32(1)], "argument 0 of `a_add1` must be I64, got I32"),
        (&[ExternRef(None)], "must be I64, got ExternRef"),
    ];
    for (args, message) in cases {
        match store.invoke(add1, args, &config) {
            Err(InvokeError::Invalid(m)) => assert!(m.contains(message), "{m}"),
            other => panic!("{message}: got {other:?}"),
        }
    }
    // A function reference argument must name a function of this store.
    let inst = instantiate(&mut store, &identity_funcref(), &Imports::default());
    let f = func(&store, inst, "ident");
    match store.invoke(f, &[FuncRef(Some(10_000))], &config) {
        Err(InvokeError::Invalid(m)) => assert!(m.contains("does not exist"), "{m}"),
        other => panic!("got {other:?}"),
    }
    assert_eq!(
        store.invoke(f, &[FuncRef(Some(add1.index()))], &config),
        Ok(vec![FuncRef(Some(add1.index()))])
    );
}

fn identity_funcref() -> Program<Label> {
    let mut f = FunctionBuilder::new("ident", &[Type::FuncRef], &[Type::FuncRef]);
    let x = f.param(0);
    f.ret(&[x]);
    program(vec![f], &[])
}

#[test]
fn the_host_cannot_allocate_what_a_program_could_not_declare() {
    let mut store = store();
    let err = store.alloc_memory(mem(0, Some(65537))).unwrap_err();
    assert!(err.contains("not within 0..=65536"), "{err}");
    let err = store
        .alloc_table(&TableDecl::default(), ExternRef(None))
        .unwrap_err();
    assert!(err.contains("cannot start with"), "{err}");
    let err = store
        .alloc_table(
            &TableDecl {
                elem: ScalarType::I32,
                ..TableDecl::default()
            },
            I32(0),
        )
        .unwrap_err();
    assert!(err.contains("cannot start with"), "{err}");
    let err = store
        .alloc_table(&TableDecl::default(), FuncRef(Some(0)))
        .unwrap_err();
    assert!(err.contains("names no function of this store"), "{err}");
    let err = store.alloc_global(FuncRef(Some(3)), true).unwrap_err();
    assert!(err.contains("names no function of this store"), "{err}");
    // Nothing was allocated by the refusals.
    assert_eq!(store.alloc_memory(mem(0, None)).unwrap().index(), 0);
    assert_eq!(
        store
            .alloc_table(&TableDecl::default(), FuncRef(None))
            .unwrap()
            .index(),
        0
    );
    assert_eq!(store.alloc_global(I32(0), false).unwrap().index(), 0);
}

#[test]
fn a_maximum_below_the_minimum_is_refused_as_such() {
    let mut store = store();
    let err = store.alloc_memory(mem(2, Some(1))).unwrap_err();
    assert_eq!(
        err,
        "memory: the maximum of 1 pages is below the minimum of 2"
    );
    let decl = TableDecl {
        min: 3,
        max: Some(2),
        ..TableDecl::default()
    };
    let err = store.alloc_table(&decl, FuncRef(None)).unwrap_err();
    assert_eq!(
        err,
        "table: the maximum of 2 entries is below the minimum of 3"
    );
}

#[test]
fn a_host_table_lists_no_elements() {
    // `elements` are a program's function indices: the host has none, so
    // it fills its table with `init` (as an imported table lists none).
    let mut store = store();
    let f = store
        .define_host("h", FuncType::default(), |_, _| Ok(vec![]))
        .unwrap();
    let decl = TableDecl {
        min: 2,
        elements: vec![Some(0)],
        ..TableDecl::default()
    };
    let err = store.alloc_table(&decl, FuncRef(None)).unwrap_err();
    assert!(err.contains("lists no elements"), "{err}");
    let r = FuncRef(Some(f.index()));
    let t = store
        .alloc_table(
            &TableDecl {
                min: 2,
                ..TableDecl::default()
            },
            r,
        )
        .unwrap();
    assert_eq!(t.index(), 0, "the refusal allocated nothing");
    assert_eq!(store.table_get(t, 1), Some(r));
}

#[test]
fn a_memory_freed_by_a_host_function_traps_and_cannot_be_imported() {
    let (mut store, a, _) = linked();
    let free = store
        .define_host("env.free_memory", FuncType::default(), |ctx, _| {
            ctx.heap.free(ctx.memories[0]).map_err(|e| e.to_string())?;
            Ok(vec![])
        })
        .unwrap();
    let mut program = calls_one_import(&[], &[]);
    program.memory_imports.push(memory_import("mem", 1, None));
    let imports = Imports {
        funcs: vec![free],
        memories: link(&store, a, &["mem"]).memories,
        ..Imports::default()
    };
    let inst = instantiate(&mut store, &program, &imports);
    assert_eq!(call(&mut store, inst, "main", &[]), Ok(vec![]));
    // Every access is a stale handle now, in every instance sharing it.
    let trap = expect_trap(call(&mut store, a, "a_load", &[I32(0)]));
    assert_eq!(trap.kind, TrapKind::StaleHandle);
    let trap = expect_trap(call(&mut store, a, "a_grow", &[I32(1)]));
    assert_eq!(trap.kind, TrapKind::StaleHandle);
    let m = store.instance_memory(a, 0).unwrap();
    assert_eq!(store.memory_pages(m), None);
    // Importing it is a link error, not a panic, and creates nothing.
    let before = snapshot(&store);
    let err = link_error(store.instantiate(rc(&program), &imports, &ExecConfig::default()));
    assert!(err.contains("memory a.mem was freed"), "{err}");
    assert_eq!(snapshot(&store), before);
}
