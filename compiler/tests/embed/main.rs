//! The embedding API end to end: modules from text and binaries, linking
//! instances that share memories, tables and globals, host functions,
//! typed calls, limits, and every kind of error (never a panic).

mod limits;
mod references;
mod segments;

use std::cell::RefCell;
use std::rc::Rc;

use arenavm_compiler::embed::{
    Error, ExternType, Func, FuncType, Global, GlobalType, Instance, Linker, Memory, MemoryType,
    Module, PAGE_SIZE as PAGE, ScalarType, Store, StoreLimits, Table, TableType, TrapKind, Type,
    Val,
};
use arenavm_compiler::wasm::Features;
use arenavm_vm::arenas::Bytes;

fn module(text: &str) -> Module {
    Module::new(text, &Features::default()).unwrap_or_else(|e| panic!("{e}"))
}

/// Exports a memory, a table, a mutable global and a function reading
/// all three, so another instance can change them and this one can see it.
const PROVIDER: &str = r#"(module
    (memory (export "mem") 1 4)
    (table (export "tab") 2 funcref)
    (global (export "counter") (mut i32) (i32.const 10))
    (type $i (func (result i32)))
    (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
    (func (export "counter_value") (result i32) (global.get 0))
    (func (export "call_slot") (param i32) (result i32)
        (call_indirect (type $i) (local.get 0))))"#;

/// Imports the provider's entities and writes to each.
const CONSUMER: &str = r#"(module
    (import "provider" "mem" (memory 1))
    (import "provider" "tab" (table 2 funcref))
    (import "provider" "counter" (global $c (mut i32)))
    (func $seven (result i32) (i32.const 7))
    (elem (i32.const 1) func $seven)
    (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
    (func (export "bump") (global.set $c (i32.add (global.get $c) (i32.const 1)))))"#;

#[test]
fn two_instances_share_memory_table_and_global() {
    let mut store = Store::new();
    let mut linker = Linker::new();
    let provider = linker.instantiate(&mut store, &module(PROVIDER)).unwrap();
    linker.instance(&store, "provider", provider).unwrap();
    let consumer = linker.instantiate(&mut store, &module(CONSUMER)).unwrap();

    let store_fn = consumer
        .get_typed_func::<(i32, i32), ()>(&store, "store")
        .unwrap();
    store_fn.call(&mut store, (64, 0x1234_5678)).unwrap();
    let load = provider.get_typed_func::<i32, i32>(&store, "load").unwrap();
    assert_eq!(load.call(&mut store, 64), Ok(0x1234_5678));

    consumer
        .get_func(&store, "bump")
        .unwrap()
        .call(&mut store, &[])
        .unwrap();
    let counter = provider.get_global(&store, "counter").unwrap();
    assert_eq!(counter.get(&store), Ok(Val::I32(11)));
    let value = provider
        .get_typed_func::<(), i32>(&store, "counter_value")
        .unwrap();
    assert_eq!(value.call(&mut store, ()), Ok(11));
    counter.set(&mut store, Val::I32(-3)).unwrap();
    assert_eq!(value.call(&mut store, ()), Ok(-3));

    // The consumer's element segment wrote its function into the shared
    // table; the provider calls it from there.
    let call_slot = provider
        .get_typed_func::<i32, i32>(&store, "call_slot")
        .unwrap();
    assert_eq!(call_slot.call(&mut store, 1), Ok(7));
    let trap = call_slot.call(&mut store, 0).unwrap_err();
    assert_eq!(trap.trap().map(|t| t.kind), Some(TrapKind::NullElement));
    let table = provider.get_table(&store, "tab").unwrap();
    assert!(matches!(table.get(&store, 1), Ok(Val::FuncRef(Some(_)))));
    assert!(table.get(&store, 2).is_err());

    // The host sees the same bytes, through the handle and the arena API.
    let mem = provider.get_memory(&store, "mem").unwrap();
    let mut word = [0; 4];
    mem.read(&store, 64, &mut word).unwrap();
    assert_eq!(u32::from_le_bytes(word), 0x1234_5678);
    let cell = mem.cell(&store).unwrap();
    store
        .heap_mut()
        .get_mut::<Bytes>(cell)
        .unwrap()
        .as_mut_slice()[64] = 0xff;
    assert_eq!(load.call(&mut store, 64), Ok(0x1234_56ff));
    assert_eq!(mem.grow(&mut store, 3), Ok(1));
    assert_eq!(mem.size(&store), Ok(4));
    assert!(mem.grow(&mut store, 1).is_err());
}

#[test]
fn host_functions_see_the_callers_memory_and_can_trap() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let seen = Rc::clone(&log);
    let mut linker = Linker::new();
    linker.func_new(
        "env",
        "print",
        FuncType {
            params: vec![Type::I32, Type::I32],
            results: vec![],
        },
        move |caller, args| {
            let [Val::I32(at), Val::I32(len)] = args else {
                return Err("wrong arguments".into());
            };
            let mut text = vec![0; *len as usize];
            caller.read(0, *at as u64, &mut text)?;
            seen.borrow_mut()
                .push(String::from_utf8_lossy(&text).into_owned());
            Ok(vec![])
        },
    );
    linker.func_wrap("env", "checked_double", |x: i32| x.wrapping_mul(2));
    let module = module(
        r#"(module
        (import "env" "print" (func $print (param i32 i32)))
        (import "env" "checked_double" (func $double (param i32) (result i32)))
        (memory 1)
        (data (i32.const 8) "hello")
        (func (export "hello") (call $print (i32.const 8) (i32.const 5)))
        (func (export "bad") (call $print (i32.const 65534) (i32.const 5)))
        (func (export "quad") (param i32) (result i32)
            (call $double (call $double (local.get 0)))))"#,
    );
    let mut store = Store::new();
    let instance = linker.instantiate(&mut store, &module).unwrap();
    instance
        .get_func(&store, "hello")
        .unwrap()
        .call(&mut store, &[])
        .unwrap();
    assert_eq!(*log.borrow(), ["hello"]);
    let error = instance
        .get_func(&store, "bad")
        .unwrap()
        .call(&mut store, &[])
        .unwrap_err();
    let trap = error.trap().expect("a host error traps");
    assert_eq!(trap.kind, TrapKind::HostError);
    assert!(
        error.to_string().contains("out of bounds memory access"),
        "{error}"
    );
    let quad = instance.get_typed_func::<i32, i32>(&store, "quad").unwrap();
    assert_eq!(quad.call(&mut store, 5), Ok(20));

    // A second instance in the same store imports the same host function.
    let again = linker.instantiate(&mut store, &module).unwrap();
    let (a, b) = (
        instance.get_func(&store, "quad").unwrap(),
        again.get_func(&store, "quad").unwrap(),
    );
    assert_ne!(a, b);
    assert_eq!(b.call(&mut store, &[Val::I32(1)]), Ok(vec![Val::I32(4)]));
}

#[test]
fn host_entities_can_be_imported() {
    let mut store = Store::new();
    let memory = Memory::new(&mut store, MemoryType::new(1, Some(1))).unwrap();
    let global = Global::new(&mut store, Val::I64(-5), false).unwrap();
    let table = Table::new(
        &mut store,
        TableType::new(ScalarType::FuncRef, 3, None),
        Val::FuncRef(None),
    )
    .unwrap();
    let forty_two = Func::wrap(&mut store, |()| 42i32).unwrap();
    memory.write(&mut store, 0, &9i32.to_le_bytes()).unwrap();
    let mut linker = Linker::new();
    linker
        .define("host", "mem", memory)
        .define("host", "g", global)
        .define("host", "t", table)
        .define("host", "f", forty_two);
    let module = module(
        r#"(module
        (import "host" "mem" (memory 1))
        (import "host" "g" (global i64))
        (import "host" "t" (table 3 funcref))
        (import "host" "f" (func $f (result i32)))
        (elem (i32.const 2) func $f)
        (func (export "sum") (result i64)
            (i64.add (global.get 0)
                (i64.extend_i32_s (i32.add (i32.load (i32.const 0)) (call $f))))))"#,
    );
    let instance = linker.instantiate(&mut store, &module).unwrap();
    let sum = instance.get_typed_func::<(), i64>(&store, "sum").unwrap();
    assert_eq!(sum.call(&mut store, ()), Ok(46));
    assert_eq!(table.get(&store, 2), Ok(forty_two.to_val()));
    assert_eq!(
        global.ty(&store),
        Ok(GlobalType {
            ty: ScalarType::I64,
            mutable: false
        })
    );
    assert!(global.set(&mut store, Val::I64(1)).is_err(), "immutable");
}

#[test]
fn typed_calls_check_the_signature_once() {
    let module = module(
        r#"(module
        (func (export "swap") (param i32 i64) (result i64 i32) local.get 1 local.get 0)
        (func (export "f") (param f32 f64) (result f64)
            (f64.add (f64.promote_f32 (local.get 0)) (local.get 1))))"#,
    );
    let mut store = Store::new();
    let instance = Linker::new().instantiate(&mut store, &module).unwrap();
    let swap = instance
        .get_typed_func::<(i32, i64), (i64, i32)>(&store, "swap")
        .unwrap();
    assert_eq!(swap.call(&mut store, (1, -2)), Ok((-2, 1)));
    let f = instance
        .get_typed_func::<(f32, f64), f64>(&store, "f")
        .unwrap();
    assert_eq!(f.call(&mut store, (1.5, 2.25)), Ok(3.75));
    for wrong in [
        instance.get_typed_func::<(i64, i32), (i64, i32)>(&store, "swap"),
        instance
            .get_typed_func::<(i32, i64), i64>(&store, "swap")
            .map(|_| unreachable!()),
    ] {
        let Err(Error::Usage(message)) = wrong else {
            panic!("a wrong signature is a usage error")
        };
        assert!(
            message.contains("not [I64, I32]") || message.contains("not [I32, I64]"),
            "{message}"
        );
    }
    assert!(matches!(
        instance.get_typed_func::<(), ()>(&store, "missing"),
        Err(Error::Usage(_))
    ));
    let untyped = instance.get_func(&store, "swap").unwrap();
    assert!(matches!(
        untyped.call(&mut store, &[Val::I32(1)]),
        Err(Error::Usage(_))
    ));
    assert!(matches!(
        untyped.call(&mut store, &[Val::I64(1), Val::I64(2)]),
        Err(Error::Usage(_))
    ));
}

#[test]
fn modules_list_their_imports_and_exports() {
    let consumer = module(CONSUMER);
    let imports: Vec<(String, String, &str)> = consumer
        .imports()
        .iter()
        .map(|i| (i.module.clone(), i.name.clone(), i.ty.kind()))
        .collect();
    assert_eq!(
        imports,
        [
            ("provider".into(), "mem".into(), "memory"),
            ("provider".into(), "tab".into(), "table"),
            ("provider".into(), "counter".into(), "global"),
        ]
    );
    let provider = module(PROVIDER);
    let exports: Vec<(&str, &ExternType)> = provider
        .exports()
        .iter()
        .map(|e| (e.name.as_str(), &e.ty))
        .collect();
    assert_eq!(
        exports[0],
        ("mem", &ExternType::Memory(MemoryType::new(1, Some(4))))
    );
    assert_eq!(
        exports[1],
        (
            "tab",
            &ExternType::Table(TableType::new(ScalarType::FuncRef, 2, None))
        )
    );
    assert_eq!(
        exports[2].1,
        &ExternType::Global(GlobalType {
            ty: ScalarType::I32,
            mutable: true
        })
    );
    assert_eq!(
        exports[3].1,
        &ExternType::Func(FuncType {
            params: vec![Type::I32],
            results: vec![Type::I32]
        })
    );
}

#[test]
fn bad_modules_are_typed_errors_with_offsets() {
    let features = Features::default();
    let good = wat::parse_str(PROVIDER).unwrap();
    for cut in [0, 3, 7, good.len() - 1] {
        match Module::new(&good[..cut], &features) {
            Err(Error::InvalidModule { .. }) => {}
            other => panic!("truncated at {cut}: {other:?}"),
        }
    }
    // Every truncation and every single-byte corruption is a module or an
    // invalid module: never a panic, never a translator bug.
    let verdict = |bytes: &[u8]| match Module::new(bytes, &features) {
        Ok(_) | Err(Error::InvalidModule { .. }) => Ok(()),
        Err(other) => Err(other),
    };
    for cut in 0..good.len() {
        assert_eq!(verdict(&good[..cut]), Ok(()), "truncated at {cut}");
    }
    for at in 0..good.len() {
        for flip in [0x01, 0x80, 0xff] {
            let mut bytes = good.clone();
            bytes[at] ^= flip;
            assert_eq!(verdict(&bytes), Ok(()), "byte {at} ^ {flip:#x}");
        }
    }
    let mut corrupted = good.clone();
    corrupted[8] = 0x7f; // an unknown section id
    let Err(Error::InvalidModule { offset, message }) = Module::new(&corrupted, &features) else {
        panic!("a corrupted binary is invalid")
    };
    assert!(message.contains("section id"), "{message}");
    assert!(
        matches!(offset, Some(8..=12)),
        "{offset:?}: near the bad id"
    );
    let Err(Error::InvalidModule { offset: None, .. }) = Module::new("(module (func", &features)
    else {
        panic!("bad text is invalid, without an offset")
    };
    let invalid = Module::new("(module (func (result i32)))", &features).unwrap_err();
    assert!(
        invalid.to_string().starts_with("invalid module at byte 0x"),
        "{invalid}"
    );
    let multi = "(module (memory 1) (memory 1))";
    assert!(Module::new(multi, &features).is_ok());
    assert!(matches!(
        Module::new(multi, &Features::spec_2_0()),
        Err(Error::InvalidModule { .. })
    ));
}

#[test]
fn link_errors_name_the_import_and_change_nothing() {
    let mut store = Store::new();
    let linker = Linker::new();
    let error = linker
        .instantiate(&mut store, &module(CONSUMER))
        .unwrap_err();
    assert_eq!(error, Error::Link("unknown import provider.mem".into()));

    let mut linker = Linker::new();
    let global = Global::new(&mut store, Val::I32(0), false).unwrap();
    linker.define("provider", "mem", global);
    let error = linker
        .instantiate(&mut store, &module(CONSUMER))
        .unwrap_err();
    assert!(
        matches!(&error, Error::Link(m) if m.contains("provider.mem must be a memory, but is a global")),
        "{error}"
    );

    let small = Memory::new(&mut store, MemoryType::new(0, None)).unwrap();
    let mut linker = Linker::new();
    linker.define("provider", "mem", small);
    linker.define("provider", "tab", small);
    let error = linker
        .instantiate(&mut store, &module(CONSUMER))
        .unwrap_err();
    assert!(
        matches!(&error, Error::Link(m) if m.contains("incompatible import type")),
        "{error}"
    );
    assert!(error.to_string().starts_with("link error: "));
}

#[test]
fn start_traps_and_limits_are_errors_of_the_store() {
    let mut store = Store::new();
    let trapping = module("(module (func $s unreachable) (start $s))");
    let error = Linker::new()
        .instantiate(&mut store, &trapping)
        .unwrap_err();
    assert_eq!(error.trap().map(|t| t.kind), Some(TrapKind::Unreachable));

    let looping = module(
        r#"(module
        (func (export "spin") (loop br 0))
        (func $r (export "recurse") (param i32) (result i32) (call $r (local.get 0))))"#,
    );
    let instance = Linker::new().instantiate(&mut store, &looping).unwrap();
    store.set_fuel(Some(10_000)).set_max_call_depth(100);
    let spin = instance.get_func(&store, "spin").unwrap();
    let error = spin.call(&mut store, &[]).unwrap_err();
    assert_eq!(error.trap().map(|t| t.kind), Some(TrapKind::OutOfFuel));
    store.set_fuel(None);
    let recurse = instance.get_func(&store, "recurse").unwrap();
    let error = recurse.call(&mut store, &[Val::I32(0)]).unwrap_err();
    assert_eq!(
        error.trap().map(|t| t.kind),
        Some(TrapKind::CallStackExhausted)
    );
    // A trap leaves the store usable.
    let ok = module(r#"(module (func (export "one") (result i32) i32.const 1))"#);
    let one = Linker::new().instantiate(&mut store, &ok).unwrap();
    let f = one.get_typed_func::<(), i32>(&store, "one").unwrap();
    assert_eq!(f.call(&mut store, ()), Ok(1));
}
