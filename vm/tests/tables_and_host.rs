//! Function tables, indirect calls with their signature check, function
//! references, and host function calls.

use std::cell::Cell as StdCell;
use std::rc::Rc;

use arenavm_vm::builder::{FunctionBuilder, ProgramBuilder};
use arenavm_vm::exec::{ExecConfig, HostFunctions, Instance, InvokeError, TrapKind};
use arenavm_vm::isa::Instr;
use arenavm_vm::program::{ConstExpr, ConstOp, GlobalDecl, HostImport, Program, TableDecl, Val};
use arenavm_vm::types::{FuncType, ScalarType, Type};
use arenavm_vm::{VerifiedProgram, verify};

fn unary_i64() -> FuncType {
    FuncType {
        params: vec![Type::I64],
        results: vec![Type::I64],
    }
}

/// `double(x) = 2x` (function 0), `negate(x)` (1), `pick(x: i32) -> i64`
/// (2) and `main(slot: i32, x: i64) -> i64` (3), which calls entry `slot` of
/// table 0 through type 0, `(i64) -> i64`.
fn dispatcher() -> Program<arenavm_vm::isa::Label> {
    let mut program = ProgramBuilder::new();
    let sig = program.func_type(unary_i64());
    for (name, double) in [("double", true), ("negate", false)] {
        let mut f = FunctionBuilder::new(name, &[Type::I64], &[Type::I64]);
        let (x, out) = (f.param(0), f.scalar(ScalarType::I64));
        if double {
            f.push(Instr::I64Add {
                dst: out,
                a: x,
                b: x,
            });
        } else {
            f.push(Instr::I64Const { dst: out, value: 0 });
            f.push(Instr::I64Sub {
                dst: out,
                a: out,
                b: x,
            });
        }
        f.ret(&[out]);
        program.function(f);
    }
    let mut wrong = FunctionBuilder::new("pick", &[Type::I32], &[Type::I64]);
    let out = wrong.scalar(ScalarType::I64);
    wrong.push(Instr::I64Const { dst: out, value: 7 });
    wrong.ret(&[out]);
    program.function(wrong);
    program.table(TableDecl {
        min: 4,
        max: Some(8),
        elements: vec![Some(0), Some(1), Some(2)],
        ..TableDecl::default()
    });
    let mut main = FunctionBuilder::new("main", &[Type::I32, Type::I64], &[Type::I64]);
    let (slot, x, out) = (main.param(0), main.param(1), main.scalar(ScalarType::I64));
    let operands = main.list(&[x, out]);
    main.push(Instr::CallIndirect {
        table: 0,
        index: slot,
        sig,
        operands,
    });
    main.ret(&[out]);
    program.function(main);
    program.finish()
}

fn call_main(program: &VerifiedProgram, slot: i32, x: i64) -> Result<i64, TrapKind> {
    let mut instance = Instance::new(program, Default::default()).unwrap();
    match instance.invoke_by_name(
        "main",
        &[Val::I32(slot), Val::I64(x)],
        &ExecConfig::default(),
    ) {
        Ok(results) => match results[..] {
            [Val::I64(v)] => Ok(v),
            ref other => panic!("unexpected {other:?}"),
        },
        Err(InvokeError::Trap(t)) => Err(t.kind),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn indirect_calls_check_the_entry_and_its_type() {
    let program = verify(&dispatcher()).unwrap();
    assert_eq!(call_main(&program, 0, 21), Ok(42));
    assert_eq!(call_main(&program, 1, 21), Ok(-21));
    assert_eq!(
        call_main(&program, 2, 21),
        Err(TrapKind::IndirectCallSignatureMismatch)
    );
    assert_eq!(
        call_main(&program, 3, 21),
        Err(TrapKind::NullElement),
        "an entry never set"
    );
    assert_eq!(
        call_main(&program, 4, 21),
        Err(TrapKind::OutOfBounds),
        "past the table"
    );
    assert_eq!(
        call_main(&program, -1, 21),
        Err(TrapKind::OutOfBounds),
        "the index is unsigned"
    );
}

#[test]
fn tables_grow_within_their_maximum_and_hold_references() {
    let mut program = ProgramBuilder::new();
    program.table(TableDecl {
        min: 1,
        max: Some(3),
        ..TableDecl::default()
    });
    let mut target = FunctionBuilder::new("target", &[], &[]);
    target.ret(&[]);
    program.function(target);
    // main() -> (i32 grow_ok, i32 grow_fail, i32 size, i32 was_null, i32 now_null)
    let mut f = FunctionBuilder::new("main", &[], &[Type::I32; 5]);
    let r: Vec<_> = (0..5).map(|_| f.scalar(ScalarType::I32)).collect();
    let (reference, null) = (f.scalar(ScalarType::FuncRef), f.scalar(ScalarType::FuncRef));
    let (two, zero, read) = (
        f.scalar(ScalarType::I32),
        f.scalar(ScalarType::I32),
        f.scalar(ScalarType::FuncRef),
    );
    f.push(Instr::I32Const { dst: two, value: 2 });
    f.push(Instr::I32Const {
        dst: zero,
        value: 0,
    });
    f.push(Instr::RefFunc {
        dst: reference,
        func: 0,
    });
    f.push(Instr::RefNull { dst: null });
    f.push(Instr::TableGrow {
        dst: r[0],
        table: 0,
        init: reference,
        delta: two,
    });
    f.push(Instr::TableGrow {
        dst: r[1],
        table: 0,
        init: reference,
        delta: two,
    });
    f.push(Instr::TableSize {
        dst: r[2],
        table: 0,
    });
    f.push(Instr::TableGet {
        dst: read,
        table: 0,
        index: zero,
    });
    f.push(Instr::RefIsNull {
        dst: r[3],
        value: read,
    });
    f.push(Instr::TableSet {
        table: 0,
        index: two,
        value: null,
    });
    f.push(Instr::TableGet {
        dst: read,
        table: 0,
        index: two,
    });
    f.push(Instr::RefIsNull {
        dst: r[4],
        value: read,
    });
    f.ret(&r);
    program.function(f);
    let program = verify(&program.finish()).unwrap();
    let mut instance = Instance::new(&program, Default::default()).unwrap();
    let out = instance
        .invoke_by_name("main", &[], &ExecConfig::default())
        .unwrap();
    assert_eq!(out, [1, -1, 3, 1, 1].map(Val::I32).to_vec());
}

#[test]
fn host_functions_are_linked_by_name_and_type_and_their_errors_trap() {
    let mut program = ProgramBuilder::new();
    let import = program.import(HostImport {
        module: "env".into(),
        name: "add_seen".into(),
        params: vec![Type::I64],
        results: vec![Type::I64],
    });
    let mut f = FunctionBuilder::new("main", &[Type::I64], &[Type::I64]);
    let (x, out) = (f.param(0), f.scalar(ScalarType::I64));
    let (args, results) = (f.list(&[x]), f.list(&[out]));
    f.push(Instr::CallImport {
        import,
        args,
        results,
    });
    f.ret(&[out]);
    program.function(f);
    let program = verify(&program.finish()).unwrap();

    // The host keeps a running total across calls.
    let total = Rc::new(StdCell::new(0i64));
    let mut host = HostFunctions::new();
    let seen = Rc::clone(&total);
    host.define("env", "add_seen", unary_i64(), move |_, args| match args {
        [Val::I64(v)] if *v >= 0 => {
            seen.set(seen.get() + v);
            Ok(vec![Val::I64(seen.get())])
        }
        _ => Err("negative input".into()),
    });
    let mut instance = Instance::with_host(&program, Default::default(), &host).unwrap();
    let config = ExecConfig::default();
    assert_eq!(
        instance.invoke_by_name("main", &[Val::I64(5)], &config),
        Ok(vec![Val::I64(5)])
    );
    assert_eq!(
        instance.invoke_by_name("main", &[Val::I64(7)], &config),
        Ok(vec![Val::I64(12)])
    );
    match instance.invoke_by_name("main", &[Val::I64(-1)], &config) {
        Err(InvokeError::Trap(t)) => {
            assert_eq!(t.kind, TrapKind::HostError);
            assert!(t.detail.unwrap().contains("env.add_seen: negative input"));
        }
        other => panic!("expected a host error trap, got {other:?}"),
    }
    assert_eq!(total.get(), 12);

    let unlinked = Instance::new(&program, Default::default()).unwrap_err();
    assert_eq!(
        unlinked,
        InvokeError::Invalid("unknown import env.add_seen".into())
    );
    let mut wrong_type = HostFunctions::new();
    wrong_type.define("env", "add_seen", FuncType::default(), |_, _| Ok(vec![]));
    let err = Instance::with_host(&program, Default::default(), &wrong_type).unwrap_err();
    assert!(err.to_string().contains("but the host defines"), "{err}");

    let mut lying = HostFunctions::new();
    lying.define("env", "add_seen", unary_i64(), |_, _| {
        Ok(vec![Val::F64(1.0)])
    });
    let mut instance = Instance::with_host(&program, Default::default(), &lying).unwrap();
    match instance.invoke_by_name("main", &[Val::I64(1)], &config) {
        Err(InvokeError::Trap(t)) => assert_eq!(t.kind, TrapKind::HostError),
        other => panic!("a host returning the wrong type must trap, got {other:?}"),
    }
}

/// A `RefFunc` (in a constant or an instruction) names a program function;
/// the reference it makes, like every `Val::FuncRef` the host sees or
/// passes, names a store function. `Instance::with_host` defines the host
/// functions first, so the two differ here.
#[test]
fn function_references_name_store_functions_host_functions_first() {
    let mut program = ProgramBuilder::new();
    program.import(HostImport {
        module: "a".into(),
        name: "h".into(),
        params: vec![],
        results: vec![],
    });
    let global = program.global(GlobalDecl {
        ty: ScalarType::FuncRef,
        mutable: false,
        init: ConstExpr(vec![ConstOp::RefFunc(0)]),
    });
    let mut get = FunctionBuilder::new("get", &[], &[Type::FuncRef]);
    let r = get.scalar(ScalarType::FuncRef);
    get.push(Instr::GlobalGet { dst: r, global });
    get.ret(&[r]);
    program.function(get);
    let mut ident = FunctionBuilder::new("ident", &[Type::FuncRef], &[Type::FuncRef]);
    let x = ident.param(0);
    ident.ret(&[x]);
    program.function(ident);
    let program = verify(&program.finish()).unwrap();
    let mut host = HostFunctions::new();
    host.define("a", "h", FuncType::default(), |_, _| Ok(vec![]));
    let mut instance = Instance::with_host(&program, Default::default(), &host).unwrap();
    let config = ExecConfig::default();

    // Program function 0 (`get`) is store function 1.
    let get_ref = Val::FuncRef(Some(1));
    assert_eq!(
        instance.invoke_by_name("get", &[], &config),
        Ok(vec![get_ref])
    );
    assert_eq!(instance.func_ref(0), Some(get_ref));
    assert_eq!(instance.func_ref(2), None);
    // Store function 0 is the host's, and crosses unchanged.
    let host_ref = Val::FuncRef(Some(0));
    assert_eq!(
        instance.invoke_by_name("ident", &[host_ref], &config),
        Ok(vec![host_ref])
    );
    let store = instance.store();
    for (value, name) in [(get_ref, "get"), (host_ref, "a.h")] {
        let id = store.func_of_ref(value).unwrap().unwrap();
        assert_eq!(store.func_name(id), name);
    }
    assert_eq!(store.func_of_ref(Val::FuncRef(None)), Ok(None));
    let err = store.func_of_ref(Val::FuncRef(Some(3))).unwrap_err();
    assert!(
        err.contains("function reference 3 names no function"),
        "{err}"
    );
    let err = store.func_of_ref(Val::I32(1)).unwrap_err();
    assert!(err.contains("I32 is not a function reference"), "{err}");
}

#[test]
fn the_verifier_checks_indirect_and_host_calls() {
    let mut program = dispatcher();
    program.types.clear();
    let err = verify(&program).unwrap_err();
    assert!(
        err.message.contains("function type 0 does not exist"),
        "{err}"
    );

    let mut program = dispatcher();
    program.tables[0].elements.push(Some(99));
    program.tables[0].min = 4;
    let err = verify(&program).unwrap_err();
    assert!(err.message.contains("names function 99"), "{err}");

    let mut program = dispatcher();
    program.imports.push(HostImport {
        module: "env".into(),
        name: "takes_a_cell".into(),
        params: vec![Type::Cell(arenavm_vm::arenas::ArenaTag::List)],
        results: vec![],
    });
    let err = verify(&program).unwrap_err();
    assert!(err.message.contains("cannot cross an import"), "{err}");
}

/// Memory 0 is cached in the interpreter while it runs; a host function
/// must still see every store made before the call, and its own writes
/// must be seen by the loads after it.
#[test]
fn host_functions_see_memory_as_the_program_left_it() {
    use arenavm_vm::arenas::Bytes;
    use arenavm_vm::program::MemoryDecl;

    let mut program = ProgramBuilder::new();
    program.memory(MemoryDecl {
        min_pages: 1,
        max_pages: None,
    });
    let import = program.import(HostImport {
        module: "env".into(),
        name: "bump".into(),
        params: vec![],
        results: vec![],
    });
    let mut f = FunctionBuilder::new("main", &[Type::I32], &[Type::I32]);
    let (v, addr, out) = (
        f.param(0),
        f.scalar(ScalarType::I32),
        f.scalar(ScalarType::I32),
    );
    f.push(Instr::I32Const {
        dst: addr,
        value: 100,
    });
    f.push(Instr::I32Store {
        addr,
        value: v,
        offset: 0,
        mem: 0,
    });
    let (none, none_out) = (f.list(&[]), f.list(&[]));
    f.push(Instr::CallImport {
        import,
        args: none,
        results: none_out,
    });
    f.push(Instr::I32Load {
        dst: out,
        addr,
        offset: 0,
        mem: 0,
    });
    f.ret(&[out]);
    program.function(f);
    let program = verify(&program.finish()).unwrap();

    let mut host = HostFunctions::new();
    let empty = FuncType::default();
    host.define("env", "bump", empty, |context, _| {
        let cell = context.memories[0];
        let segment = context
            .heap
            .get_mut::<Bytes>(cell)
            .map_err(|e| e.to_string())?;
        let bytes = &mut segment.as_mut_slice()[100..104];
        let seen = u32::from_le_bytes(bytes.try_into().unwrap());
        bytes.copy_from_slice(&(seen * 10).to_le_bytes());
        Ok(vec![])
    });
    let mut instance = Instance::with_host(&program, Default::default(), &host).unwrap();
    let out = instance.invoke_by_name("main", &[Val::I32(7)], &ExecConfig::default());
    assert_eq!(out, Ok(vec![Val::I32(70)]));
    // And the memory is back in the heap after the run.
    let cell = instance.memory(0).unwrap();
    let segment = instance.heap().get::<Bytes>(cell).unwrap();
    assert_eq!(segment.len(), 65536);
    assert_eq!(&segment.as_slice()[100..104], &70u32.to_le_bytes());
}
