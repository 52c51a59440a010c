//! Linear memory through the interpreter: every load and store width with
//! its sign or zero extension, little-endian layout, the 64-bit effective
//! address, exact bounds, `MemorySize`/`MemoryGrow` in pages,
//! `MemoryFill` and `MemoryCopy` (all or nothing, overlap both ways,
//! between memories), and the isolation of two memories.
//!
//! What a program wrote is also checked from the host, through the heap
//! segment that backs each memory.

mod common;

use arenavm_vm::builder::FunctionBuilder;
use arenavm_vm::exec::{ExecConfig, Instance, InvokeError, TrapKind};
use arenavm_vm::isa::{Instr, Label, Reg};
use arenavm_vm::program::Val::{self, F32, F64, I32, I64};
use arenavm_vm::program::{MemoryDecl, Program};
use arenavm_vm::types::{ScalarType, Type};
use common::*;

const PAGE: usize = 65_536;

/// `|addr, value| Instr::$op { addr, value, offset, mem }`.
macro_rules! st {
    ($op:ident, $offset:expr, $mem:expr) => {
        |addr, value| Instr::$op {
            addr,
            value,
            offset: $offset,
            mem: $mem,
        }
    };
}

/// `|dst, addr| Instr::$op { dst, addr, offset, mem }`.
macro_rules! ld {
    ($op:ident, $offset:expr, $mem:expr) => {
        |dst, addr| Instr::$op {
            dst,
            addr,
            offset: $offset,
            mem: $mem,
        }
    };
}

/// `name(addr: i32, value: ty)`: one store.
fn store_fn(
    name: &str,
    ty: ScalarType,
    make: impl FnOnce(Reg, Reg) -> Instr<Label>,
) -> FunctionBuilder {
    let mut f = FunctionBuilder::new(name, &[Type::I32, ty.into()], &[]);
    let (addr, value) = (f.param(0), f.param(1));
    f.push(make(addr, value));
    f.ret(&[]);
    f
}

/// `name(addr: i32) -> ty`: one load.
fn load_fn(
    name: &str,
    ty: ScalarType,
    make: impl FnOnce(Reg, Reg) -> Instr<Label>,
) -> FunctionBuilder {
    let mut f = FunctionBuilder::new(name, &[Type::I32], &[ty.into()]);
    let addr = f.param(0);
    let dst = f.scalar(ty);
    f.push(make(dst, addr));
    f.ret(&[dst]);
    f
}

/// `name(a: i32, b: i32, c: i32)`: one three-operand memory instruction
/// (fill or copy).
fn op3_fn(name: &str, make: impl FnOnce(Reg, Reg, Reg) -> Instr<Label>) -> FunctionBuilder {
    let mut f = FunctionBuilder::new(name, &[Type::I32, Type::I32, Type::I32], &[]);
    let (a, b, c) = (f.param(0), f.param(1), f.param(2));
    f.push(make(a, b, c));
    f.ret(&[]);
    f
}

/// `size() -> i32` and `grow(delta: i32) -> i32` of memory `mem`.
fn size_grow_fns(mem: u32) -> [FunctionBuilder; 2] {
    let mut size = FunctionBuilder::new(format!("size{mem}"), &[], &[Type::I32]);
    let r = size.scalar(ScalarType::I32);
    size.push(Instr::MemorySize { dst: r, mem });
    size.ret(&[r]);
    let mut grow = FunctionBuilder::new(format!("grow{mem}"), &[Type::I32], &[Type::I32]);
    let delta = grow.param(0);
    let r = grow.scalar(ScalarType::I32);
    grow.push(Instr::MemoryGrow { dst: r, delta, mem });
    grow.ret(&[r]);
    [size, grow]
}

/// Every load and store of memory 0 (offset 0), by the opcode's name in
/// snake case, plus `fill`, `copy`, `size0` and `grow0`.
fn all_ops(memories: &[MemoryDecl]) -> Program<Label> {
    use ScalarType::{F32 as TF32, F64 as TF64, I32 as TI32, I64 as TI64};
    let mut fs = vec![
        store_fn("i32_store", TI32, st!(I32Store, 0, 0)),
        store_fn("i64_store", TI64, st!(I64Store, 0, 0)),
        store_fn("f32_store", TF32, st!(F32Store, 0, 0)),
        store_fn("f64_store", TF64, st!(F64Store, 0, 0)),
        store_fn("i32_store8", TI32, st!(I32Store8, 0, 0)),
        store_fn("i32_store16", TI32, st!(I32Store16, 0, 0)),
        store_fn("i64_store8", TI64, st!(I64Store8, 0, 0)),
        store_fn("i64_store16", TI64, st!(I64Store16, 0, 0)),
        store_fn("i64_store32", TI64, st!(I64Store32, 0, 0)),
        load_fn("i32_load", TI32, ld!(I32Load, 0, 0)),
        load_fn("i64_load", TI64, ld!(I64Load, 0, 0)),
        load_fn("f32_load", TF32, ld!(F32Load, 0, 0)),
        load_fn("f64_load", TF64, ld!(F64Load, 0, 0)),
        load_fn("i32_load8_s", TI32, ld!(I32Load8S, 0, 0)),
        load_fn("i32_load8_u", TI32, ld!(I32Load8U, 0, 0)),
        load_fn("i32_load16_s", TI32, ld!(I32Load16S, 0, 0)),
        load_fn("i32_load16_u", TI32, ld!(I32Load16U, 0, 0)),
        load_fn("i64_load8_s", TI64, ld!(I64Load8S, 0, 0)),
        load_fn("i64_load8_u", TI64, ld!(I64Load8U, 0, 0)),
        load_fn("i64_load16_s", TI64, ld!(I64Load16S, 0, 0)),
        load_fn("i64_load16_u", TI64, ld!(I64Load16U, 0, 0)),
        load_fn("i64_load32_s", TI64, ld!(I64Load32S, 0, 0)),
        load_fn("i64_load32_u", TI64, ld!(I64Load32U, 0, 0)),
        op3_fn("fill", |dst, value, len| Instr::MemoryFill {
            dst,
            value,
            len,
            mem: 0,
        }),
        op3_fn("copy", |dst, src, len| Instr::MemoryCopy {
            dst,
            src,
            len,
            dst_mem: 0,
            src_mem: 0,
        }),
    ];
    fs.extend(size_grow_fns(0));
    program(fs, memories)
}

/// Calls `name` with the default configuration.
fn call(instance: &mut Instance, name: &str, args: &[Val]) -> Result<Vec<Val>, InvokeError> {
    instance.invoke_by_name(name, args, &ExecConfig::default())
}

/// Calls `name` and expects success.
#[track_caller]
fn ok(instance: &mut Instance, name: &str, args: &[Val]) -> Vec<Val> {
    expect_ok(call(instance, name, args))
}

/// Calls `name` and expects an out-of-bounds trap in `name`.
#[track_caller]
fn oob(instance: &mut Instance, name: &str, args: &[Val]) {
    let trap = expect_trap(call(instance, name, args));
    assert_eq!(trap.kind, TrapKind::OutOfBounds, "{name}{args:?}");
    assert_eq!((trap.function.as_str(), trap.instruction), (name, 0));
}

#[test]
fn memory_starts_zeroed_with_min_pages() {
    let p = all_ops(&[mem(2, Some(4))]);
    let v = verified(&p);
    let mut instance = Instance::new(&v, Default::default()).unwrap();
    let bytes = memory_bytes(&instance, 0);
    assert_eq!(bytes.len(), 2 * PAGE);
    assert!(bytes.iter().all(|&b| b == 0));
    assert_vals(&ok(&mut instance, "size0", &[]), &[I32(2)], "size");
    assert_vals(
        &ok(&mut instance, "i64_load", &[I32(1000)]),
        &[I64(0)],
        "zero",
    );
}

#[test]
fn stores_are_little_endian_and_write_only_their_width() {
    let p = all_ops(&[mem(1, None)]);
    let v = verified(&p);
    let mut m = Instance::new(&v, Default::default()).unwrap();
    // Fill 0..48 with 0xEE so that untouched bytes are visible.
    ok(&mut m, "fill", &[I32(0), I32(0xEE), I32(48)]);
    ok(&mut m, "i32_store", &[I32(0), I32(0x1234_5678)]);
    ok(&mut m, "i64_store", &[I32(4), I64(0x0102_0304_0506_0708)]);
    ok(&mut m, "f32_store", &[I32(12), f32b(0x7fa0_1234)]);
    ok(&mut m, "f64_store", &[I32(16), f64b(0xfff4_0000_0000_0001)]);
    ok(&mut m, "i32_store8", &[I32(24), I32(0x1234_5680)]);
    ok(&mut m, "i32_store16", &[I32(26), I32(0x1234_8001)]);
    ok(&mut m, "i64_store8", &[I32(30), I64(0x7fff_ffff_ffff_ff81)]);
    ok(&mut m, "i64_store16", &[I32(32), I64(-2)]);
    ok(
        &mut m,
        "i64_store32",
        &[I32(36), I64(0x1122_3344_5566_7788)],
    );
    let bytes = memory_bytes(&m, 0);
    #[rustfmt::skip]
    let expected: [u8; 48] = [
        0x78, 0x56, 0x34, 0x12,                         // i32.store
        0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01, // i64.store
        0x34, 0x12, 0xa0, 0x7f,                         // f32.store (an sNaN)
        0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf4, 0xff, // f64.store
        0x80, 0xee,                                     // i32.store8
        0x01, 0x80,                                     // i32.store16
        0xee, 0xee,
        0x81, 0xee,                                     // i64.store8
        0xfe, 0xff,                                     // i64.store16
        0xee, 0xee,
        0x88, 0x77, 0x66, 0x55,                         // i64.store32
        0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee,
    ];
    assert_eq!(&bytes[..48], &expected[..]);
    assert!(bytes[48..].iter().all(|&b| b == 0));
}

#[test]
fn loads_extend_by_sign_or_zero() {
    let p = all_ops(&[mem(1, None)]);
    let v = verified(&p);
    let mut m = Instance::new(&v, Default::default()).unwrap();
    // Bytes 0..8: 80 01 ff 7f 00 00 00 80 (written as one little-endian i64).
    ok(
        &mut m,
        "i64_store",
        &[I32(0), I64(0x8000_0000_7fff_0180_u64 as i64)],
    );
    let cases: &[(&str, i32, Val)] = &[
        ("i32_load", 0, I32(0x7fff_0180)),
        ("i32_load", 4, I32(i32::MIN)),
        ("i32_load", 1, I32(0x007f_ff01)),
        ("i64_load", 0, I64(0x8000_0000_7fff_0180_u64 as i64)),
        ("i32_load8_s", 0, I32(-128)),
        ("i32_load8_u", 0, I32(128)),
        ("i32_load8_s", 1, I32(1)),
        ("i32_load8_s", 2, I32(-1)),
        ("i32_load8_u", 2, I32(255)),
        ("i32_load16_s", 0, I32(0x0180)),
        ("i32_load16_s", 2, I32(0x7fff)),
        ("i32_load16_s", 6, I32(-32768)),
        ("i32_load16_u", 6, I32(0x8000)),
        ("i32_load16_s", 1, I32(-255)), // 01 ff -> 0xff01
        ("i32_load16_u", 1, I32(0xff01)),
        ("i64_load8_s", 0, I64(-128)),
        ("i64_load8_u", 0, I64(128)),
        ("i64_load8_s", 3, I64(127)),
        ("i64_load16_s", 6, I64(-32768)),
        ("i64_load16_u", 6, I64(0x8000)),
        ("i64_load16_s", 1, I64(-255)),
        ("i64_load16_u", 1, I64(0xff01)),
        ("i64_load32_s", 4, I64(-0x8000_0000)),
        ("i64_load32_u", 4, I64(0x8000_0000)),
        ("i64_load32_s", 0, I64(0x7fff_0180)),
        ("i64_load32_u", 2, I64(0x0000_7fff)),
        ("i64_load32_s", 3, I64(0x0000_007f)),
    ];
    for &(name, addr, want) in cases {
        assert_vals(
            &ok(&mut m, name, &[I32(addr)]),
            &[want],
            &format!("{name}({addr})"),
        );
    }
}

#[test]
fn floats_round_trip_bit_exactly_through_memory() {
    let p = all_ops(&[mem(1, None)]);
    let v = verified(&p);
    let mut m = Instance::new(&v, Default::default()).unwrap();
    for bits in [0x7fa0_1234_u32, 0xffc0_0001, 0x8000_0000, 1] {
        ok(&mut m, "f32_store", &[I32(100), f32b(bits)]);
        assert_vals(&ok(&mut m, "f32_load", &[I32(100)]), &[f32b(bits)], "f32");
        assert_vals(
            &ok(&mut m, "i32_load", &[I32(100)]),
            &[I32(bits as i32)],
            "f32 bits",
        );
    }
    for bits in [
        0x7ff4_0000_0000_0001_u64,
        0xfff8_0000_0000_0001,
        0x8000_0000_0000_0000,
    ] {
        ok(&mut m, "f64_store", &[I32(200), f64b(bits)]);
        assert_vals(&ok(&mut m, "f64_load", &[I32(200)]), &[f64b(bits)], "f64");
        assert_vals(
            &ok(&mut m, "i64_load", &[I32(200)]),
            &[I64(bits as i64)],
            "f64 bits",
        );
    }
}

#[test]
fn bounds_are_exact_for_every_width() {
    let p = all_ops(&[mem(1, None)]);
    let v = verified(&p);
    let mut m = Instance::new(&v, Default::default()).unwrap();
    let end = PAGE as i32;
    let widths: &[(&str, &str, i32, Val)] = &[
        ("i32_load", "i32_store", 4, I32(-1)),
        ("i64_load", "i64_store", 8, I64(-1)),
        ("f32_load", "f32_store", 4, F32(1.0)),
        ("f64_load", "f64_store", 8, F64(1.0)),
        ("i32_load8_u", "i32_store8", 1, I32(-1)),
        ("i32_load16_u", "i32_store16", 2, I32(-1)),
        ("i64_load8_u", "i64_store8", 1, I64(-1)),
        ("i64_load16_u", "i64_store16", 2, I64(-1)),
        ("i64_load32_u", "i64_store32", 4, I64(-1)),
        ("i32_load8_s", "i32_store8", 1, I32(-1)),
        ("i32_load16_s", "i32_store16", 2, I32(-1)),
        ("i64_load8_s", "i64_store8", 1, I64(-1)),
        ("i64_load16_s", "i64_store16", 2, I64(-1)),
        ("i64_load32_s", "i64_store32", 4, I64(-1)),
    ];
    for &(load, store, width, value) in widths {
        // The last in-bounds address works.
        ok(&mut m, store, &[I32(end - width), value]);
        ok(&mut m, load, &[I32(end - width)]);
        // One byte further traps, and writes nothing.
        let before = memory_bytes(&m, 0);
        oob(&mut m, store, &[I32(end - width + 1), value]);
        oob(&mut m, load, &[I32(end - width + 1)]);
        oob(&mut m, store, &[I32(end), value]);
        oob(&mut m, load, &[I32(end)]);
        // Addresses are unsigned: -1 is 4 GiB - 1, far out of bounds.
        oob(&mut m, load, &[I32(-1)]);
        oob(&mut m, store, &[I32(i32::MIN), value]);
        assert_eq!(
            memory_bytes(&m, 0),
            before,
            "{store}: a refused store writes nothing"
        );
    }
}

#[test]
fn effective_address_is_computed_in_64_bits() {
    let mut fs = vec![
        load_fn("load_off1", ScalarType::I32, ld!(I32Load8U, 1, 0)),
        load_fn("load_off4", ScalarType::I32, ld!(I32Load, 4, 0)),
        load_fn("load_off_max", ScalarType::I32, ld!(I32Load8U, u32::MAX, 0)),
        store_fn("store_off1", ScalarType::I32, st!(I32Store8, 1, 0)),
        store_fn("store_off_max", ScalarType::I64, st!(I64Store, u32::MAX, 0)),
    ];
    fs.push(store_fn("store", ScalarType::I32, st!(I32Store, 0, 0)));
    let p = program(fs, &[mem(1, None)]);
    let v = verified(&p);
    let mut m = Instance::new(&v, Default::default()).unwrap();
    ok(&mut m, "store", &[I32(12), I32(0x0a0b_0c0d)]);
    ok(&mut m, "store", &[I32(0), I32(0x0000_00ff)]);
    // addr + offset: 8 + 4 = 12.
    assert_vals(
        &ok(&mut m, "load_off4", &[I32(8)]),
        &[I32(0x0a0b_0c0d)],
        "8 + 4",
    );
    assert_vals(&ok(&mut m, "load_off1", &[I32(11)]), &[I32(0x0d)], "11 + 1");
    // 0xFFFF_FFFF + 1 is 2^32, not 0: out of bounds although byte 0 exists.
    oob(&mut m, "load_off1", &[I32(-1)]);
    oob(&mut m, "store_off1", &[I32(-1), I32(7)]);
    oob(&mut m, "load_off_max", &[I32(1)]);
    oob(&mut m, "load_off_max", &[I32(0)]);
    oob(&mut m, "store_off_max", &[I32(1), I64(7)]);
    oob(&mut m, "load_off4", &[I32(PAGE as i32 - 7)]);
    assert_vals(
        &ok(&mut m, "load_off4", &[I32(PAGE as i32 - 8)]),
        &[I32(0)],
        "last word",
    );
    // Byte 0 was not overwritten by a wrapped store.
    assert_eq!(memory_bytes(&m, 0)[0], 0xff);
}

#[test]
fn memory_grow_returns_the_old_size_or_minus_one() {
    let p = all_ops(&[mem(1, Some(3))]);
    let v = verified(&p);
    let mut m = Instance::new(&v, Default::default()).unwrap();
    ok(&mut m, "i32_store", &[I32(100), I32(0x5eed)]);
    let size = |m: &mut Instance| ok(m, "size0", &[]);
    assert_vals(&size(&mut m), &[I32(1)], "size");
    // Page 1 does not exist yet.
    oob(&mut m, "i32_load8_u", &[I32(PAGE as i32)]);
    assert_vals(&ok(&mut m, "grow0", &[I32(1)]), &[I32(1)], "grow 1");
    assert_vals(&size(&mut m), &[I32(2)], "size after grow");
    assert_eq!(memory_bytes(&m, 0).len(), 2 * PAGE);
    // The new page is zeroed and usable; the old data is still there.
    assert_vals(
        &ok(&mut m, "i32_load", &[I32(PAGE as i32)]),
        &[I32(0)],
        "new page",
    );
    ok(&mut m, "i32_store", &[I32(2 * PAGE as i32 - 4), I32(9)]);
    assert_vals(&ok(&mut m, "i32_load", &[I32(100)]), &[I32(0x5eed)], "kept");
    // Past the maximum: -1, and nothing changes.
    let before = memory_bytes(&m, 0);
    assert_vals(&ok(&mut m, "grow0", &[I32(2)]), &[I32(-1)], "grow past max");
    assert_vals(
        &ok(&mut m, "grow0", &[I32(-1)]),
        &[I32(-1)],
        "grow 2^32-1 pages",
    );
    assert_vals(
        &ok(&mut m, "grow0", &[I32(i32::MIN)]),
        &[I32(-1)],
        "grow 2^31 pages",
    );
    assert_eq!(memory_bytes(&m, 0), before);
    assert_vals(&size(&mut m), &[I32(2)], "size unchanged");
    // Growing by 0 returns the size; growing to exactly the maximum works.
    assert_vals(&ok(&mut m, "grow0", &[I32(0)]), &[I32(2)], "grow 0");
    assert_vals(&ok(&mut m, "grow0", &[I32(1)]), &[I32(2)], "grow to max");
    assert_vals(&size(&mut m), &[I32(3)], "size at max");
    assert_vals(&ok(&mut m, "grow0", &[I32(1)]), &[I32(-1)], "at max");
    assert_vals(&ok(&mut m, "grow0", &[I32(0)]), &[I32(3)], "grow 0 at max");
}

#[test]
fn memory_of_zero_pages_and_the_default_maximum() {
    let p = all_ops(&[mem(0, None)]);
    let v = verified(&p);
    let mut m = Instance::new(&v, Default::default()).unwrap();
    assert_vals(&ok(&mut m, "size0", &[]), &[I32(0)], "empty");
    oob(&mut m, "i32_load8_u", &[I32(0)]);
    oob(&mut m, "i32_store8", &[I32(0), I32(1)]);
    assert_vals(&ok(&mut m, "grow0", &[I32(1)]), &[I32(0)], "grow from 0");
    ok(&mut m, "i32_store8", &[I32(0), I32(1)]);
    // Without max_pages the limit is 65,536 pages (4 GiB): one page plus
    // 65,536 more is refused (without allocating anything).
    assert_vals(
        &ok(&mut m, "grow0", &[I32(65_536)]),
        &[I32(-1)],
        "past 4 GiB",
    );
    assert_vals(&ok(&mut m, "size0", &[]), &[I32(1)], "unchanged");
}

#[test]
fn memory_fill_sets_the_low_byte_all_or_nothing() {
    let p = all_ops(&[mem(1, None)]);
    let v = verified(&p);
    let mut m = Instance::new(&v, Default::default()).unwrap();
    ok(&mut m, "fill", &[I32(10), I32(0x1ab), I32(5)]);
    let bytes = memory_bytes(&m, 0);
    assert_eq!(&bytes[8..17], &[0, 0, 0xab, 0xab, 0xab, 0xab, 0xab, 0, 0]);
    let end = PAGE as i32;
    // Up to the last byte is fine.
    ok(&mut m, "fill", &[I32(end - 3), I32(-1), I32(3)]);
    assert_eq!(&memory_bytes(&m, 0)[PAGE - 4..], &[0, 0xff, 0xff, 0xff]);
    // One byte too many: trap, and nothing is written.
    let before = memory_bytes(&m, 0);
    oob(&mut m, "fill", &[I32(end - 4), I32(0x11), I32(5)]);
    oob(&mut m, "fill", &[I32(0), I32(0x11), I32(end + 1)]);
    // No wrap-around of dst + len.
    oob(&mut m, "fill", &[I32(-1), I32(0x11), I32(2)]);
    // Zero bytes at the very end are fine; past the end they trap.
    ok(&mut m, "fill", &[I32(end), I32(0x11), I32(0)]);
    oob(&mut m, "fill", &[I32(end + 1), I32(0x11), I32(0)]);
    assert_eq!(memory_bytes(&m, 0), before);
    // The whole memory at once.
    ok(&mut m, "fill", &[I32(0), I32(7), I32(end)]);
    assert!(memory_bytes(&m, 0).iter().all(|&b| b == 7));
}

/// Writes `0, 1, 2, ...` into bytes `0..n` of memory 0.
fn write_ramp(m: &mut Instance, n: i32) {
    for i in 0..n {
        ok(m, "i32_store8", &[I32(i), I32(i)]);
    }
}

#[test]
fn memory_copy_within_one_memory_is_memmove() {
    let p = all_ops(&[mem(1, None)]);
    let v = verified(&p);
    let mut m = Instance::new(&v, Default::default()).unwrap();
    // Forward overlap: src 0..8 to dst 2..10.
    write_ramp(&mut m, 10);
    ok(&mut m, "copy", &[I32(2), I32(0), I32(8)]);
    assert_eq!(
        &memory_bytes(&m, 0)[..11],
        &[0, 1, 0, 1, 2, 3, 4, 5, 6, 7, 0]
    );
    // Backward overlap: src 2..10 to dst 0..8.
    write_ramp(&mut m, 10);
    ok(&mut m, "copy", &[I32(0), I32(2), I32(8)]);
    assert_eq!(
        &memory_bytes(&m, 0)[..11],
        &[2, 3, 4, 5, 6, 7, 8, 9, 8, 9, 0]
    );
    // Disjoint, to the very end.
    write_ramp(&mut m, 10);
    ok(&mut m, "copy", &[I32(PAGE as i32 - 4), I32(3), I32(4)]);
    assert_eq!(&memory_bytes(&m, 0)[PAGE - 5..], &[0, 3, 4, 5, 6]);
    // Out of bounds on either side: trap, nothing written.
    let before = memory_bytes(&m, 0);
    oob(&mut m, "copy", &[I32(PAGE as i32 - 3), I32(0), I32(4)]);
    oob(&mut m, "copy", &[I32(0), I32(PAGE as i32 - 3), I32(4)]);
    oob(&mut m, "copy", &[I32(0), I32(-1), I32(2)]);
    oob(&mut m, "copy", &[I32(-1), I32(0), I32(2)]);
    oob(&mut m, "copy", &[I32(PAGE as i32 + 1), I32(0), I32(0)]);
    oob(&mut m, "copy", &[I32(0), I32(PAGE as i32 + 1), I32(0)]);
    ok(
        &mut m,
        "copy",
        &[I32(PAGE as i32), I32(PAGE as i32), I32(0)],
    );
    assert_eq!(memory_bytes(&m, 0), before);
}

/// A program over two memories: memory 0 of one page and memory 1 of two.
fn two_memories() -> Program<Label> {
    use ScalarType::{I32 as TI32, I64 as TI64};
    let mut fs = vec![
        store_fn("store0", TI64, st!(I64Store, 0, 0)),
        store_fn("store1", TI64, st!(I64Store, 0, 1)),
        load_fn("load0", TI64, ld!(I64Load, 0, 0)),
        load_fn("load1", TI64, ld!(I64Load, 0, 1)),
        store_fn("store1_off", TI32, st!(I32Store8, 65_536, 1)),
        op3_fn("copy_1_to_0", |dst, src, len| Instr::MemoryCopy {
            dst,
            src,
            len,
            dst_mem: 0,
            src_mem: 1,
        }),
        op3_fn("copy_0_to_1", |dst, src, len| Instr::MemoryCopy {
            dst,
            src,
            len,
            dst_mem: 1,
            src_mem: 0,
        }),
        op3_fn("fill1", |dst, value, len| Instr::MemoryFill {
            dst,
            value,
            len,
            mem: 1,
        }),
    ];
    fs.extend(size_grow_fns(0));
    fs.extend(size_grow_fns(1));
    program(fs, &[mem(1, Some(2)), mem(2, Some(4))])
}

#[test]
fn two_memories_are_isolated() {
    let p = two_memories();
    let v = verified(&p);
    let mut m = Instance::new(&v, Default::default()).unwrap();
    ok(&mut m, "store1", &[I32(0), I64(-1)]);
    ok(&mut m, "fill1", &[I32(8), I32(0x55), I32(100)]);
    ok(&mut m, "store1_off", &[I32(7), I32(9)]);
    assert!(
        memory_bytes(&m, 0).iter().all(|&b| b == 0),
        "memory 0 untouched"
    );
    assert_vals(&ok(&mut m, "load0", &[I32(0)]), &[I64(0)], "mem 0");
    assert_vals(&ok(&mut m, "load1", &[I32(0)]), &[I64(-1)], "mem 1");
    ok(&mut m, "store0", &[I32(0), I64(5)]);
    assert_vals(
        &ok(&mut m, "load1", &[I32(0)]),
        &[I64(-1)],
        "mem 1 after store0",
    );
    let one = memory_bytes(&m, 1);
    assert_eq!(one.len(), 2 * PAGE);
    assert_eq!(one[PAGE + 7], 9);
    // Each memory has its own bounds and size.
    ok(&mut m, "store1", &[I32(PAGE as i32 + 8), I64(3)]);
    oob(&mut m, "store0", &[I32(PAGE as i32 + 8), I64(3)]);
    assert_vals(&ok(&mut m, "size0", &[]), &[I32(1)], "size0");
    assert_vals(&ok(&mut m, "size1", &[]), &[I32(2)], "size1");
    assert_vals(&ok(&mut m, "grow1", &[I32(2)]), &[I32(2)], "grow1");
    assert_vals(&ok(&mut m, "size0", &[]), &[I32(1)], "size0 after grow1");
    assert_vals(
        &ok(&mut m, "grow0", &[I32(2)]),
        &[I32(-1)],
        "mem 0 max is 2",
    );
}

#[test]
fn memory_copy_between_memories() {
    let p = two_memories();
    let v = verified(&p);
    let mut m = Instance::new(&v, Default::default()).unwrap();
    ok(
        &mut m,
        "store1",
        &[I32(PAGE as i32 + 16), I64(0x0807_0605_0403_0201)],
    );
    // From memory 1 beyond memory 0's size into memory 0.
    ok(
        &mut m,
        "copy_1_to_0",
        &[I32(4), I32(PAGE as i32 + 17), I32(6)],
    );
    assert_eq!(
        &memory_bytes(&m, 0)[..12],
        &[0, 0, 0, 0, 2, 3, 4, 5, 6, 7, 0, 0]
    );
    // The source is unchanged.
    assert_vals(
        &ok(&mut m, "load1", &[I32(PAGE as i32 + 16)]),
        &[I64(0x0807_0605_0403_0201)],
        "source",
    );
    // And back into memory 1's second page.
    ok(
        &mut m,
        "copy_0_to_1",
        &[I32(2 * PAGE as i32 - 4), I32(4), I32(4)],
    );
    assert_eq!(&memory_bytes(&m, 1)[2 * PAGE - 4..], &[2, 3, 4, 5]);
    // Bounds are each memory's own: memory 0 has one page.
    let (zero, one) = (memory_bytes(&m, 0), memory_bytes(&m, 1));
    let trap = expect_trap(call(
        &mut m,
        "copy_1_to_0",
        &[I32(PAGE as i32), I32(0), I32(1)],
    ));
    assert_eq!(trap.kind, TrapKind::OutOfBounds);
    let trap = expect_trap(call(
        &mut m,
        "copy_0_to_1",
        &[I32(0), I32(PAGE as i32 - 1), I32(2)],
    ));
    assert_eq!(trap.kind, TrapKind::OutOfBounds);
    assert_eq!((memory_bytes(&m, 0), memory_bytes(&m, 1)), (zero, one));
    // Memory 1 can hold a copy that memory 0 could not source.
    ok(
        &mut m,
        "copy_0_to_1",
        &[I32(PAGE as i32), I32(0), I32(PAGE as i32)],
    );
    assert_eq!(
        &memory_bytes(&m, 1)[PAGE..PAGE + 10],
        &memory_bytes(&m, 0)[..10]
    );
}
