//! Active segments at instantiation: where their traps are located, and
//! that a segment which traps is not dropped.

use super::*;

#[test]
fn a_segment_trap_names_its_segment() {
    let mut store = Store::new();
    for (text, shown) in [
        (
            r#"(module (memory 1) (data (i32.const 1) "a") (data (i32.const 65535) "ab"))"#,
            "trap: out of bounds in `<data segment 1>` at instruction 0 \
             (out of bounds memory access: 2 bytes at 65535 of memory 0, which has 65536 bytes)",
        ),
        (
            r#"(module (table 1 funcref) (func $f) (elem (i32.const 1) func $f))"#,
            "trap: out of bounds in `<element segment 0>` at instruction 0 \
             (out of bounds table access: 1 entries at 1 of table 0, which has 1 entries)",
        ),
    ] {
        let error = Linker::new()
            .instantiate(&mut store, &module(text))
            .unwrap_err();
        assert_eq!(error.trap().map(|t| t.kind), Some(TrapKind::OutOfBounds));
        assert_eq!(error.to_string(), shown);
    }
}

/// A segment whose application traps is not dropped (instantiation runs
/// `table.init` then `elem.drop` per segment, and stops at the trap), so a
/// function of the failed instance that an earlier segment placed in a
/// shared table can still use it. Likewise for data segments.
#[test]
fn a_segment_that_traps_at_instantiation_is_not_dropped() {
    let mut store = Store::new();
    let mut linker = Linker::new();
    let provider = linker
        .instantiate(
            &mut store,
            &module(r#"(module (table (export "t") 4 funcref) (memory (export "m") 1))"#),
        )
        .unwrap();
    linker.instance(&store, "a", provider).unwrap();
    let failing = r#"(module
      (import "a" "t" (table $t 4 funcref))
      (import "a" "m" (memory 1))
      (func $init_table (table.init $t 1 (i32.const 2) (i32.const 0) (i32.const 1)))
      (func $init_memory (memory.init 1 (i32.const 8) (i32.const 0) (i32.const 3)))
      (func $seven (result i32) (i32.const 7))
      (elem (table $t) (i32.const 0) func $init_table $init_memory)
      (elem (table $t) (i32.const 10) func $seven)
      (data (i32.const 0) "ok")
      (data (i32.const 65535) "abc"))"#;
    let error = linker
        .instantiate(&mut store, &module(failing))
        .unwrap_err();
    assert_eq!(error.trap().map(|t| t.kind), Some(TrapKind::OutOfBounds));
    // Element segment 1 trapped, so the data segments never ran.
    let table = provider.get_table(&store, "t").unwrap();
    let init_table = table.get_func(&store, 0).unwrap().unwrap();
    init_table.call(&mut store, &[]).unwrap();
    let seven = table.get_func(&store, 2).unwrap().unwrap();
    assert_eq!(seven.call(&mut store, &[]).unwrap(), [Val::I32(7)]);
    // With the element segment fixed, data segment 1 is the one that traps.
    let failing_data = failing.replace("(i32.const 10) func $seven", "(i32.const 3) func $seven");
    let error = linker
        .instantiate(&mut store, &module(&failing_data))
        .unwrap_err();
    assert_eq!(error.trap().map(|t| t.kind), Some(TrapKind::OutOfBounds));
    let memory = provider.get_memory(&store, "m").unwrap();
    let init_memory = table.get_func(&store, 1).unwrap().unwrap();
    init_memory.call(&mut store, &[]).unwrap();
    let mut bytes = [0; 3];
    memory.read(&store, 8, &mut bytes).unwrap();
    assert_eq!(&bytes, b"abc");
    let mut ok = [0; 2];
    memory.read(&store, 0, &mut ok).unwrap();
    assert_eq!(&ok, b"ok");
}
