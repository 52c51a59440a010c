//! Store-wide resource limits, and memory and table limits that are
//! malformed.

use super::*;

/// Grows its memory and table, and reads and writes its memory.
const GROWER: &str = r#"(module
    (memory (export "mem") 1)
    (table (export "tab") 1 funcref)
    (func (export "grow_memory") (param i32) (result i32) (memory.grow (local.get 0)))
    (func (export "memory_size") (result i32) (memory.size))
    (func (export "grow_table") (param i32) (result i32)
        (table.grow (ref.null func) (local.get 0)))
    (func (export "table_size") (result i32) (table.size))
    (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
    (func (export "load") (param i32) (result i32) (i32.load (local.get 0))))"#;

/// Calls `instance`'s `(i32) -> i32` or `() -> i32` export `name`.
fn call_i32(store: &mut Store, instance: &Instance, name: &str, args: &[Val]) -> i32 {
    let f = instance.get_func(store, name).unwrap();
    match f.call(store, args).as_deref() {
        Ok([Val::I32(v)]) => *v,
        other => panic!("{name}: {other:?}"),
    }
}

#[test]
fn store_limits_refuse_wasm_grows_with_minus_one() {
    let mut store = Store::new();
    store.set_limits(StoreLimits {
        memory_bytes: Some(2 * PAGE),
        table_elements: Some(2),
        ..StoreLimits::default()
    });
    assert_eq!(store.limits().table_elements, Some(2));
    let instance = Linker::new()
        .instantiate(&mut store, &module(GROWER))
        .unwrap();
    let store_fn = instance.get_func(&store, "store").unwrap();
    store_fn
        .call(&mut store, &[Val::I32(8), Val::I32(77)])
        .unwrap();
    assert_eq!(
        call_i32(&mut store, &instance, "grow_memory", &[Val::I32(2)]),
        -1
    );
    assert_eq!(
        call_i32(&mut store, &instance, "grow_memory", &[Val::I32(1)]),
        1
    );
    assert_eq!(
        call_i32(&mut store, &instance, "grow_memory", &[Val::I32(1)]),
        -1
    );
    assert_eq!(call_i32(&mut store, &instance, "memory_size", &[]), 2);
    assert_eq!(call_i32(&mut store, &instance, "load", &[Val::I32(8)]), 77);
    assert_eq!(
        call_i32(&mut store, &instance, "grow_table", &[Val::I32(2)]),
        -1
    );
    assert_eq!(
        call_i32(&mut store, &instance, "grow_table", &[Val::I32(1)]),
        1
    );
    assert_eq!(
        call_i32(&mut store, &instance, "grow_table", &[Val::I32(1)]),
        -1
    );
    assert_eq!(call_i32(&mut store, &instance, "table_size", &[]), 2);
}

#[test]
fn store_limits_make_modules_past_them_resource_errors() {
    let mut store = Store::new();
    store.set_limits(StoreLimits {
        memory_bytes: Some(3 * PAGE),
        instances: Some(2),
        ..StoreLimits::default()
    });
    let pages = |n: u32| module(&format!("(module (memory {n}))"));
    let error = Linker::new()
        .instantiate(&mut store, &pages(4))
        .unwrap_err();
    assert!(
        matches!(&error, Error::Resource(m) if m.contains("memory_bytes")),
        "{error}"
    );
    // Nothing was kept: two instances of the limit's size in all fit, and
    // their memories sum, so a third page is refused.
    Linker::new().instantiate(&mut store, &pages(2)).unwrap();
    let error = Linker::new()
        .instantiate(&mut store, &pages(2))
        .unwrap_err();
    assert!(matches!(error, Error::Resource(_)), "{error}");
    Linker::new().instantiate(&mut store, &pages(1)).unwrap();
    let error = Linker::new()
        .instantiate(&mut store, &pages(0))
        .unwrap_err();
    assert!(
        matches!(&error, Error::Resource(m) if m.contains("instances")),
        "{error}"
    );
}

#[test]
fn host_grows_and_creations_obey_store_limits() {
    let mut store = Store::new();
    store.set_limits(StoreLimits {
        memory_bytes: Some(2 * PAGE),
        table_elements: Some(3),
        tables: Some(1),
        ..StoreLimits::default()
    });
    let memory = Memory::new(&mut store, MemoryType::new(1, Some(3))).unwrap();
    let error = Memory::new(&mut store, MemoryType::new(2, None)).unwrap_err();
    assert!(matches!(error, Error::Resource(_)), "{error}");
    memory.write(&mut store, 0, b"kept").unwrap();
    assert_eq!(memory.grow(&mut store, 1), Ok(1));
    let error = memory.grow(&mut store, 1).unwrap_err();
    assert!(
        matches!(&error, Error::Resource(m) if m.contains("memory_bytes")),
        "{error}"
    );
    assert_eq!(memory.size(&store), Ok(2));
    let mut word = [0; 4];
    memory.read(&store, 0, &mut word).unwrap();
    assert_eq!(&word, b"kept");
    let null = Val::FuncRef(None);
    let table = Table::new(
        &mut store,
        TableType::new(ScalarType::FuncRef, 2, Some(10)),
        null,
    )
    .unwrap();
    assert_eq!(table.grow(&mut store, 1, null), Ok(2));
    let error = table.grow(&mut store, 1, null).unwrap_err();
    assert!(
        matches!(&error, Error::Resource(m) if m.contains("table_elements")),
        "{error}"
    );
    assert_eq!(table.size(&store), Ok(3));
    let error = Table::new(
        &mut store,
        TableType::new(ScalarType::FuncRef, 0, None),
        null,
    )
    .unwrap_err();
    assert!(
        matches!(&error, Error::Resource(m) if m.contains("tables")),
        "{error}"
    );
    // Without limits, a declared maximum is still the host's mistake.
    store.set_limits(StoreLimits::default());
    assert!(matches!(
        table.grow(&mut store, 8, null),
        Err(Error::Usage(_))
    ));
    assert!(matches!(memory.grow(&mut store, 2), Err(Error::Usage(_))));
    assert_eq!(table.grow(&mut store, 7, null), Ok(3));
}

#[test]
fn limits_with_the_maximum_below_the_minimum_are_usage_errors() {
    let mut store = Store::new();
    assert_eq!(
        Memory::new(&mut store, MemoryType::new(2, Some(1))),
        Err(Error::Usage(
            "memory: the maximum of 1 pages is below the minimum of 2".into()
        ))
    );
    let ty = TableType::new(ScalarType::FuncRef, 3, Some(2));
    assert_eq!(
        Table::new(&mut store, ty, Val::FuncRef(None)),
        Err(Error::Usage(
            "table: the maximum of 2 entries is below the minimum of 3".into()
        ))
    );
}
