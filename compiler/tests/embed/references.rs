//! Handles and function references: another store's handles, freed
//! memories, references as store function ids, `Func` from a reference.

use super::*;

#[test]
fn handles_of_another_store_are_refused() {
    let mut first = Store::new();
    let mut second = Store::new();
    let provider = module(PROVIDER);
    let instance = Linker::new().instantiate(&mut first, &provider).unwrap();
    let load = instance.get_func(&first, "load").unwrap();
    let mem = instance.get_memory(&first, "mem").unwrap();
    assert!(matches!(
        load.call(&mut second, &[Val::I32(0)]),
        Err(Error::Usage(_))
    ));
    assert!(matches!(mem.size(&second), Err(Error::Usage(_))));
    assert_eq!(instance.get_func(&second, "load"), None);
    assert!(instance.exports(&second).is_empty());
    let mut linker = Linker::new();
    assert!(linker.instance(&second, "p", instance).is_err());
    linker.define("provider", "mem", mem);
    let consumer = module(CONSUMER);
    assert!(matches!(
        linker.instantiate(&mut second, &consumer),
        Err(Error::Usage(m)) if m.contains("another store")
    ));
}

#[test]
fn a_memory_freed_through_the_heap_is_an_error_not_a_panic() {
    let mut store = Store::new();
    let provider = Linker::new()
        .instantiate(&mut store, &module(PROVIDER))
        .unwrap();
    let mem = provider.get_memory(&store, "mem").unwrap();
    let cell = mem.cell(&store).unwrap();
    store.heap_mut().free(cell).unwrap();
    let load = provider.get_func(&store, "load").unwrap();
    let error = load.call(&mut store, &[Val::I32(0)]).unwrap_err();
    assert!(error.trap().is_some(), "{error}");
    assert!(mem.size(&store).is_err());
    assert!(mem.read(&store, 0, &mut [0; 4]).is_err());
    assert!(mem.grow(&mut store, 1).is_err());
    let mut linker = Linker::new();
    linker.instance(&store, "provider", provider).unwrap();
    let error = linker
        .instantiate(&mut store, &module(CONSUMER))
        .unwrap_err();
    assert!(matches!(error, Error::Link(_)), "{error}");
    let sizes = module(
        r#"(module (import "provider" "mem" (memory 0))
            (func (export "size") (result i32) memory.size)
            (func (export "grow") (result i32) (memory.grow (i32.const 1))))"#,
    );
    let _ = linker.instantiate(&mut store, &sizes);
}

#[test]
fn function_references_are_store_ids_and_indirect_calls_check_types_structurally() {
    // The provider's table holds functions of two instances. The consumer
    // declares its types in another order, so a type-index comparison
    // would be wrong: the check compares parameters and results.
    let mut store = Store::new();
    let mut linker = Linker::new();
    let provider = linker
        .instantiate(
            &mut store,
            &module(
                r#"(module
        (type $nullary (func))
        (type $unary (func (param i64) (result i64)))
        (table (export "tab") 4 funcref)
        (func $inc (type $unary) (i64.add (local.get 0) (i64.const 1)))
        (func $nothing (type $nullary))
        (elem (i32.const 0) func $inc $nothing)
        (func (export "call") (param i32 i64) (result i64)
            (call_indirect (type $unary) (local.get 1) (local.get 0))))"#,
            ),
        )
        .unwrap();
    linker.instance(&store, "p", provider).unwrap();
    let consumer = linker
        .instantiate(
            &mut store,
            &module(
                r#"(module
        (type $unary (func (param i64) (result i64)))
        (type $binary (func (param i64 i64) (result i64)))
        (import "p" "tab" (table 4 funcref))
        (func $double (export "double") (type $unary) (i64.mul (local.get 0) (i64.const 2)))
        (func $add (type $binary) (i64.add (local.get 0) (local.get 1)))
        (elem (i32.const 2) func $double $add)
        (func (export "call") (param i32 i64) (result i64)
            (call_indirect (type $unary) (local.get 1) (local.get 0))))"#,
            ),
        )
        .unwrap();
    let table = provider.get_table(&store, "tab").unwrap();
    let call = |store: &mut Store, instance: Instance, slot: i32| {
        instance
            .get_typed_func::<(i32, i64), i64>(store, "call")
            .unwrap()
            .call(store, (slot, 20))
    };
    // Both instances reach both instances' functions of the right type.
    for instance in [provider, consumer] {
        assert_eq!(call(&mut store, instance, 0), Ok(21));
        assert_eq!(call(&mut store, instance, 2), Ok(40));
        for (slot, kind) in [
            (1, TrapKind::IndirectCallSignatureMismatch),
            (3, TrapKind::IndirectCallSignatureMismatch),
            (4, TrapKind::OutOfBounds),
            (-1, TrapKind::OutOfBounds),
        ] {
            let error = call(&mut store, instance, slot).unwrap_err();
            assert_eq!(error.trap().map(|t| t.kind), Some(kind), "slot {slot}");
        }
    }
    // An entry is the store function's id; its register bits are id + 1,
    // and 0 is null.
    let double = consumer.get_func(&store, "double").unwrap();
    let id = double.id().index();
    assert_eq!(table.get(&store, 2), Ok(Val::FuncRef(Some(id))));
    assert_eq!(double.to_val(), Val::FuncRef(Some(id)));
    assert_eq!(Val::FuncRef(Some(id)).to_bits(), u64::from(id) + 1);
    assert_eq!(Val::FuncRef(None).to_bits(), 0);
    assert_eq!(
        Val::from_bits(ScalarType::FuncRef, u64::from(id) + 1),
        Val::FuncRef(Some(id))
    );
}

#[test]
fn a_function_reference_becomes_a_func_of_its_store() {
    let mut store = Store::new();
    let instance = Linker::new()
        .instantiate(
            &mut store,
            &module(
                r#"(module
        (table (export "tab") 2 funcref)
        (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
        (elem (i32.const 0) func $inc)
        (global (export "g") funcref (ref.func $inc))
        (func (export "get") (result funcref) (ref.func $inc)))"#,
            ),
        )
        .unwrap();
    let table = instance.get_table(&store, "tab").unwrap();
    // From a table entry, a global and a call's result: one function.
    let inc = table.get_func(&store, 0).unwrap().unwrap();
    let typed = inc.typed::<i32, i32>(&store).unwrap();
    assert_eq!(typed.call(&mut store, 41), Ok(42));
    let global = instance.get_global(&store, "g").unwrap();
    assert_eq!(
        Func::from_ref(&store, global.get(&store).unwrap()),
        Ok(Some(inc))
    );
    let get = instance.get_func(&store, "get").unwrap();
    let returned = get.call(&mut store, &[]).unwrap();
    assert_eq!(Func::from_ref(&store, returned[0]), Ok(Some(inc)));
    assert_eq!(Func::from_ref(&store, inc.to_val()), Ok(Some(inc)));
    // Null, and an empty entry, are no function.
    assert_eq!(Func::from_ref(&store, Val::FuncRef(None)), Ok(None));
    assert_eq!(table.get_func(&store, 1), Ok(None));
    // The rest is an error, never a panic.
    assert!(matches!(table.get_func(&store, 2), Err(Error::Usage(_))));
    assert!(matches!(
        Func::from_ref(&store, Val::I32(0)),
        Err(Error::Usage(m)) if m.contains("I32 is not a function reference")
    ));
    assert!(matches!(
        Func::from_ref(&store, Val::FuncRef(Some(1_000))),
        Err(Error::Usage(m)) if m.contains("names no function of this store")
    ));
    let mut other = Store::new();
    assert!(matches!(
        table.get_func(&other, 0),
        Err(Error::Usage(m)) if m.contains("another store")
    ));
    // A reference from a store with more functions names none of this one.
    let mut last = Func::wrap(&mut other, |x: i32| x).unwrap();
    for _ in 0..100 {
        last = Func::wrap(&mut other, |x: i32| x).unwrap();
    }
    assert!(matches!(
        Func::from_ref(&store, last.to_val()),
        Err(Error::Usage(m)) if m.contains("names no function of this store")
    ));
}
