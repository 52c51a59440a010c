//! Memories imported and exported between instances: one memory each,
//! wired to the right index on both sides.

use super::*;

/// Defines two memories and exports them with a load, store, size and
/// grow on each.
const PROVIDER: &str = r#"(module
  (memory $a (export "mem0") 1 4)
  (memory $b (export "mem1") 1 4)
  (func (export "load0") (param i32) (result i32) (i32.load $a (local.get 0)))
  (func (export "load1") (param i32) (result i32) (i32.load $b (local.get 0)))
  (func (export "store0") (param i32 i32) (i32.store $a (local.get 0) (local.get 1)))
  (func (export "store1") (param i32 i32) (i32.store $b (local.get 0) (local.get 1)))
  (func (export "size0") (result i32) (memory.size $a))
  (func (export "size1") (result i32) (memory.size $b))
  (func (export "grow0") (param i32) (result i32) (memory.grow $a (local.get 0)))
  (func (export "grow1") (param i32) (result i32) (memory.grow $b (local.get 0))))"#;

/// Imports the provider's memories crossed (its memory 1 as memory 0, its
/// memory 0 as memory 1) and its functions, and re-exports the memories.
const CROSSED: &str = r#"(module
  (import "a" "mem1" (memory $x 1))
  (import "a" "mem0" (memory $y 1))
  (import "a" "load0" (func $a_load0 (param i32) (result i32)))
  (import "a" "load1" (func $a_load1 (param i32) (result i32)))
  (import "a" "store0" (func $a_store0 (param i32 i32)))
  (import "a" "store1" (func $a_store1 (param i32 i32)))
  (export "b0" (memory $x))
  (export "b1" (memory $y))
  (func (export "load0") (param i32) (result i32) (i32.load $x (local.get 0)))
  (func (export "load1") (param i32) (result i32) (i32.load $y (local.get 0)))
  (func (export "store0") (param i32 i32) (i32.store $x (local.get 0) (local.get 1)))
  (func (export "store1") (param i32 i32) (i32.store $y (local.get 0) (local.get 1)))
  (func (export "size0") (result i32) (memory.size $x))
  (func (export "size1") (result i32) (memory.size $y))
  (func (export "grow0") (param i32) (result i32) (memory.grow $x (local.get 0)))
  (func (export "grow1") (param i32) (result i32) (memory.grow $y (local.get 0)))
  ;; Store through its own index, read back through the provider's
  ;; function for the same memory, in one call.
  (func (export "store0_then_a_load1") (param i32 i32) (result i32)
    (i32.store $x (local.get 0) (local.get 1))
    (call $a_load1 (local.get 0)))
  (func (export "store1_then_a_load0") (param i32 i32) (result i32)
    (i32.store $y (local.get 0) (local.get 1))
    (call $a_load0 (local.get 0)))
  ;; The provider writes, then this instance reads its own index.
  (func (export "a_store1_then_load0") (param i32 i32) (result i32)
    (call $a_store1 (local.get 0) (local.get 1))
    (i32.load $x (local.get 0)))
  (func (export "a_store0_then_load1") (param i32 i32) (result i32)
    (call $a_store0 (local.get 0) (local.get 1))
    (i32.load $y (local.get 0))))"#;

/// A store with the provider instantiated as `a`, and `client`
/// instantiated against it.
fn provider_and(client: &str) -> (Store, Instance, Instance) {
    let mut store = Store::new();
    let mut linker = Linker::new();
    let a = instantiate(&mut store, &linker, PROVIDER);
    linker.instance(&store, "a", a).unwrap();
    let b = instantiate(&mut store, &linker, client);
    (store, a, b)
}

#[test]
fn crossed_imports_wire_each_index_to_the_providers_other_memory() {
    let (mut store, a, b) = provider_and(CROSSED);
    assert_eq!(memory(&store, b, "b0"), memory(&store, a, "mem1"));
    assert_eq!(memory(&store, b, "b1"), memory(&store, a, "mem0"));
    let mems = [memory(&store, a, "mem0"), memory(&store, a, "mem1")];

    // Writes through b's index 0 land in a's memory 1, and only there.
    ok(&mut store, b, "store0", &[i32(8), i32(0x1111)]);
    assert_eq!(get_i32(&mut store, a, "load1", &[i32(8)]), 0x1111);
    assert_eq!(get_i32(&mut store, a, "load0", &[i32(8)]), 0);
    assert_eq!(get_i32(&mut store, b, "load1", &[i32(8)]), 0);
    // Writes through b's index 1 land in a's memory 0.
    ok(&mut store, b, "store1", &[i32(16), i32(0x2222)]);
    assert_eq!(get_i32(&mut store, a, "load0", &[i32(16)]), 0x2222);
    assert_eq!(get_i32(&mut store, a, "load1", &[i32(16)]), 0);
    // And the provider's writes show through the crossed indices.
    ok(&mut store, a, "store0", &[i32(24), i32(0x3333)]);
    ok(&mut store, a, "store1", &[i32(32), i32(0x4444)]);
    assert_eq!(get_i32(&mut store, b, "load1", &[i32(24)]), 0x3333);
    assert_eq!(get_i32(&mut store, b, "load0", &[i32(32)]), 0x4444);
    assert_eq!(get_i32(&mut store, b, "load0", &[i32(24)]), 0);
    let [zero, one] = both(&store, mems);
    let word = |bytes: &[u8], at: usize| i32::from_le_bytes(bytes[at..at + 4].try_into().unwrap());
    assert_eq!((word(&zero, 16), word(&zero, 24)), (0x2222, 0x3333));
    assert_eq!((word(&one, 8), word(&one, 32)), (0x1111, 0x4444));
    assert_eq!(zero.iter().filter(|&&b| b != 0).count(), 4);
    assert_eq!(one.iter().filter(|&&b| b != 0).count(), 4);

    // Within one call, across a call into the provider, each side sees the
    // other's write at once, whichever index is the caller's memory 0.
    assert_eq!(
        get_i32(&mut store, b, "store0_then_a_load1", &[i32(40), i32(5)]),
        5
    );
    assert_eq!(
        get_i32(&mut store, b, "store1_then_a_load0", &[i32(44), i32(6)]),
        6
    );
    assert_eq!(
        get_i32(&mut store, b, "a_store1_then_load0", &[i32(48), i32(7)]),
        7
    );
    assert_eq!(
        get_i32(&mut store, b, "a_store0_then_load1", &[i32(52), i32(8)]),
        8
    );
    let [zero, one] = both(&store, mems);
    assert_eq!((word(&zero, 44), word(&zero, 52)), (6, 8));
    assert_eq!((word(&one, 40), word(&one, 48)), (5, 7));
    assert_eq!((word(&zero, 40), word(&zero, 48)), (0, 0));
    assert_eq!((word(&one, 44), word(&one, 52)), (0, 0));
}

#[test]
fn growing_a_shared_memory_through_one_instance_is_seen_by_the_other() {
    let (mut store, a, b) = provider_and(CROSSED);
    let size = |store: &mut Store, i: Instance, name: &str| get_i32(store, i, name, &[]);
    // b grows its memory 0, which is a's memory 1.
    assert_eq!(get_i32(&mut store, b, "grow0", &[i32(2)]), 1);
    assert_eq!(size(&mut store, a, "size1"), 3);
    assert_eq!(size(&mut store, a, "size0"), 1);
    assert_eq!(size(&mut store, b, "size1"), 1);
    // a's new page takes a store from b, and a reads it.
    let at = 2 * PAGE as i64 + 4;
    ok(&mut store, b, "store0", &[i32(at), i32(-9)]);
    assert_eq!(get_i32(&mut store, a, "load1", &[i32(at)]), -9);
    oob(&mut store, a, "load0", &[i32(at)]);
    oob(&mut store, b, "load1", &[i32(at)]);
    // a grows its memory 0, which is b's memory 1; b's bounds move.
    assert_eq!(get_i32(&mut store, a, "grow0", &[i32(3)]), 1);
    assert_eq!(size(&mut store, b, "size1"), 4);
    ok(
        &mut store,
        b,
        "store1",
        &[i32(4 * PAGE as i64 - 4), i32(12)],
    );
    assert_eq!(
        get_i32(&mut store, a, "load0", &[i32(4 * PAGE as i64 - 4)]),
        12
    );
    // At the maximum (4 pages) both refuse, and the other memory stays.
    assert_eq!(get_i32(&mut store, b, "grow1", &[i32(1)]), -1);
    assert_eq!(get_i32(&mut store, a, "grow0", &[i32(1)]), -1);
    assert_eq!(size(&mut store, a, "size1"), 3);
    // The host grows a's memory 1 through b's export.
    assert_eq!(memory(&store, b, "b0").grow(&mut store, 1), Ok(3));
    assert_eq!(size(&mut store, a, "size1"), 4);
    assert_eq!(size(&mut store, b, "size0"), 4);
}

#[test]
fn one_memory_imported_at_both_indices_is_one_memory() {
    let (mut store, a, b) = provider_and(
        r#"(module
      (import "a" "mem0" (memory $x 1))
      (import "a" "mem0" (memory $y 1))
      (func (export "store0") (param i32 i32) (i32.store $x (local.get 0) (local.get 1)))
      (func (export "load1") (param i32) (result i32) (i32.load $y (local.get 0)))
      (func (export "store1_load0") (param i32 i32) (result i32)
        (i32.store $y (local.get 0) (local.get 1)) (i32.load $x (local.get 0)))
      (func (export "grow1_size0") (result i32)
        (drop (memory.grow $y (i32.const 1))) (memory.size $x))
      (func (export "copy") (param i32 i32 i32)
        (memory.copy $x $y (local.get 0) (local.get 1) (local.get 2))))"#,
    );
    ok(&mut store, b, "store0", &[i32(0), i32(0x0403_0201)]);
    assert_eq!(get_i32(&mut store, b, "load1", &[i32(0)]), 0x0403_0201);
    assert_eq!(
        get_i32(&mut store, b, "store1_load0", &[i32(8), i32(-2)]),
        -2
    );
    assert_eq!(get_i32(&mut store, b, "grow1_size0", &[]), 2);
    // A copy between the two indices is a copy within one memory: memmove.
    ok(&mut store, b, "copy", &[i32(1), i32(0), i32(4)]);
    let mut bytes = [0; 6];
    memory(&store, a, "mem0")
        .read(&store, 0, &mut bytes)
        .unwrap();
    assert_eq!(bytes, [1, 1, 2, 3, 4, 0]);
    assert_eq!(get_i32(&mut store, a, "size0", &[]), 2);
    assert_eq!(
        get_i32(&mut store, a, "load1", &[i32(0)]),
        0,
        "a's memory 1 untouched"
    );
}

#[test]
fn an_imported_memory_and_a_defined_one_stay_apart() {
    // b imports a's memory 0 as its memory 0 and defines its memory 1.
    let (mut store, a, b) = provider_and(
        r#"(module
      (import "a" "mem0" (memory $x 1))
      (memory $own (export "own") 1)
      (data (memory $own) (i32.const 0) "own")
      (func (export "store_own") (param i32 i32) (i32.store $own (local.get 0) (local.get 1)))
      (func (export "load0") (param i32) (result i32) (i32.load $x (local.get 0)))
      (func (export "copy_own_to_0") (param i32 i32 i32)
        (memory.copy $x $own (local.get 0) (local.get 1) (local.get 2))))"#,
    );
    let mems = [
        memory(&store, a, "mem0"),
        memory(&store, a, "mem1"),
        memory(&store, b, "own"),
    ];
    ok(&mut store, b, "store_own", &[i32(100), i32(-1)]);
    let [zero, one] = [mems[0], mems[1]].map(|m| contents(&store, m));
    assert!(
        zero.iter().chain(&one).all(|&b| b == 0),
        "a's memories untouched"
    );
    ok(&mut store, b, "copy_own_to_0", &[i32(10), i32(0), i32(3)]);
    assert_eq!(
        get_i32(&mut store, a, "load0", &[i32(10)]) & 0xff_ffff,
        0x6e776f
    );
    assert_eq!(&contents(&store, mems[2])[..3], b"own");
    assert_eq!(get_i32(&mut store, a, "load1", &[i32(10)]), 0);
}
