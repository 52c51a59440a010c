//! Linear memories: loads and stores of every width, offsets, bounds,
//! growth, bulk operations, data segments and multiple memories.

use arenavm_vm::exec::TrapKind;
use arenavm_vm::program::Val;

use crate::common::*;

#[test]
fn loads_and_stores_of_every_width() {
    let mut m = Module::new(
        r#"(module
          (memory 1)
          (func (export "store64") (param i32 i64) local.get 0 local.get 1 i64.store)
          (func (export "load8_s") (param i32) (result i32) local.get 0 i32.load8_s)
          (func (export "load8_u") (param i32) (result i32) local.get 0 i32.load8_u)
          (func (export "load16_s") (param i32) (result i64) local.get 0 i64.load16_s)
          (func (export "load32_u") (param i32) (result i64) local.get 0 i64.load32_u)
          (func (export "load") (param i32) (result i32) local.get 0 i32.load)
          (func (export "store8") (param i32 i32) local.get 0 local.get 1 i32.store8)
          (func (export "store16") (param i32 i64) local.get 0 local.get 1 i64.store16)
          (func (export "f") (param i32 f64) (result f64)
            local.get 0 local.get 1 f64.store local.get 0 f64.load))"#,
    );
    m.call("store64", &[i32(8), i64(0x8877_6655_4433_2281u64 as i64)])
        .unwrap();
    assert_eq!(m.get("load8_s", &[i32(8)]), i32(-127));
    assert_eq!(m.get("load8_u", &[i32(8)]), i32(0x81));
    assert_eq!(m.get("load16_s", &[i32(14)]), i64(0x8877u16 as i16 as i64));
    assert_eq!(m.get("load32_u", &[i32(12)]), i64(0x8877_6655));
    assert_eq!(
        m.get("load", &[i32(9)]),
        i32(0x5544_3322),
        "unaligned, little-endian"
    );
    m.call("store8", &[i32(0), i32(0x1ff)]).unwrap();
    assert_eq!(m.get("load", &[i32(0)]), i32(0xff));
    m.call("store16", &[i32(2), i64(-1)]).unwrap();
    assert_eq!(m.get("load", &[i32(0)]), i32(-65281));
    assert_eq!(m.get("f", &[i32(100), Val::F64(-2.5)]), Val::F64(-2.5));
}

#[test]
fn static_offsets_and_bounds() {
    let mut m = Module::new(
        r#"(module
          (memory 1)
          (func (export "put") (param i32 i32) local.get 0 local.get 1 i32.store offset=4)
          (func (export "get") (param i32) (result i32) local.get 0 i32.load offset=4)
          (func (export "get_const") (result i32) i32.const 0 i32.load offset=8)
          (func (export "get_far") (param i32) (result i32) local.get 0 i32.load offset=4294967295))"#,
    );
    m.call("put", &[i32(4), i32(77)]).unwrap();
    assert_eq!(m.get("get", &[i32(4)]), i32(77));
    assert_eq!(m.get("get_const", &[]), i32(77));
    assert_eq!(m.get("get", &[i32(65528)]), i32(0));
    m.traps("get", &[i32(65529)], TrapKind::OutOfBounds);
    m.traps("get", &[i32(-1)], TrapKind::OutOfBounds);
    m.traps("get_far", &[i32(0)], TrapKind::OutOfBounds);
}

#[test]
fn memory_size_and_grow() {
    let mut m = Module::new(
        r#"(module
          (memory 1 3)
          (func (export "size") (result i32) memory.size)
          (func (export "grow") (param i32) (result i32) local.get 0 memory.grow)
          (func (export "touch") (param i32) (result i32) local.get 0 i32.load))"#,
    );
    assert_eq!(m.get("size", &[]), i32(1));
    m.traps("touch", &[i32(65536)], TrapKind::OutOfBounds);
    assert_eq!(m.get("grow", &[i32(1)]), i32(1));
    assert_eq!(m.get("touch", &[i32(65536)]), i32(0));
    assert_eq!(m.get("grow", &[i32(2)]), i32(-1), "past the maximum");
    assert_eq!(m.get("grow", &[i32(1)]), i32(2));
    assert_eq!(m.get("size", &[]), i32(3));
}

#[test]
fn active_and_passive_data_segments() {
    let mut m = Module::new(
        r#"(module
          (memory 1)
          (data (i32.const 16) "\01\02\03\04")
          (data $p "hello")
          (func (export "load") (param i32) (result i32) local.get 0 i32.load)
          (func (export "init") (param i32 i32 i32) local.get 0 local.get 1 local.get 2 memory.init $p)
          (func (export "drop") data.drop $p)
          (func (export "byte") (param i32) (result i32) local.get 0 i32.load8_u))"#,
    );
    assert_eq!(m.get("load", &[i32(16)]), i32(0x0403_0201));
    m.call("init", &[i32(100), i32(1), i32(4)]).unwrap();
    assert_eq!(m.get("byte", &[i32(100)]), i32(b'e' as i32));
    assert_eq!(m.get("byte", &[i32(103)]), i32(b'o' as i32));
    m.traps("init", &[i32(0), i32(2), i32(4)], TrapKind::OutOfBounds);
    m.call("drop", &[]).unwrap();
    m.traps("init", &[i32(0), i32(0), i32(1)], TrapKind::OutOfBounds);
    m.call("init", &[i32(0), i32(0), i32(0)]).unwrap();
}

#[test]
fn fill_and_copy() {
    let mut m = Module::new(
        r#"(module
          (memory 1)
          (func (export "fill") (param i32 i32 i32) local.get 0 local.get 1 local.get 2 memory.fill)
          (func (export "copy") (param i32 i32 i32) local.get 0 local.get 1 local.get 2 memory.copy)
          (func (export "load") (param i32) (result i32) local.get 0 i32.load))"#,
    );
    m.call("fill", &[i32(0), i32(0xab), i32(3)]).unwrap();
    assert_eq!(m.get("load", &[i32(0)]), i32(0x00ab_abab));
    m.call("copy", &[i32(1), i32(0), i32(3)]).unwrap();
    assert_eq!(
        m.get("load", &[i32(0)]),
        i32(0xabab_abab_u32 as i32),
        "overlapping, memmove"
    );
    m.traps("fill", &[i32(65535), i32(0), i32(2)], TrapKind::OutOfBounds);
    m.traps("copy", &[i32(0), i32(65535), i32(2)], TrapKind::OutOfBounds);
}

#[test]
fn multiple_memories_are_separate() {
    let mut m = Module::new(
        r#"(module
          (memory $a 1)
          (memory $b 1)
          (data (memory $b) (i32.const 0) "\2a")
          (func (export "store_b") (param i32 i32) local.get 0 local.get 1 i32.store $b)
          (func (export "load_a") (param i32) (result i32) local.get 0 i32.load $a)
          (func (export "load_b") (param i32) (result i32) local.get 0 i32.load $b)
          (func (export "sizes") (result i32)
            i32.const 2 memory.grow $b drop memory.size $a memory.size $b i32.add)
          (func (export "copy_b_to_a") (memory.copy $a $b (i32.const 8) (i32.const 0) (i32.const 4)))
          (func (export "fill_b") (memory.fill $b (i32.const 0) (i32.const 7) (i32.const 1))))"#,
    );
    assert_eq!(m.get("load_b", &[i32(0)]), i32(42));
    assert_eq!(m.get("load_a", &[i32(0)]), i32(0));
    m.call("store_b", &[i32(4), i32(99)]).unwrap();
    assert_eq!(m.get("load_a", &[i32(4)]), i32(0));
    assert_eq!(m.get("load_b", &[i32(4)]), i32(99));
    m.call("copy_b_to_a", &[]).unwrap();
    assert_eq!(m.get("load_a", &[i32(8)]), i32(42));
    m.call("fill_b", &[]).unwrap();
    assert_eq!(m.get("load_b", &[i32(0)]), i32(7));
    assert_eq!(m.get("sizes", &[]), i32(4));
}
