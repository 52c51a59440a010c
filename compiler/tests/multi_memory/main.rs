//! Multiple memories through the embedding API: every memory is its own
//! bytes segment, so nothing one memory's operation does can reach
//! another. Each test runs WebAssembly text and reads the memories back
//! through [`Memory`] to check every byte of both after each step:
//!
//! - out-of-bounds stores (and loads) are bounded by the memory they name,
//!   trap, and write nothing to either memory, including stores that
//!   straddle the end and addresses valid only in the other memory;
//! - `memory.copy` in both directions copies the source's bytes, is all or
//!   nothing, and checks each side against its own memory;
//! - `memory.grow` of one memory leaves the other's size and contents
//!   alone, also when it fails at the maximum;
//! - memories imported and exported between instances are one memory each,
//!   wired to the right index on both sides;
//! - data segments, `memory.fill` and `memory.init` aimed at memory 1 touch
//!   memory 1 only;
//! - a property test runs random operations over two memories against a
//!   model of two byte vectors.

mod isolation;
mod many;
mod model;
mod segments;
mod sharing;

use arenavm_compiler::embed::{
    Error, Instance, Linker, Memory, MemoryType, Module, PAGE_SIZE, Store, TrapKind, Val,
};
use arenavm_compiler::wasm::Features;
use arenavm_vm::arenas::Bytes;
use proptest::prelude::*;

const PAGE: u64 = PAGE_SIZE;

fn module(text: &str) -> Module {
    Module::new(text, &Features::default()).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn instantiate(store: &mut Store, linker: &Linker, text: &str) -> Instance {
    linker
        .instantiate(store, &module(text))
        .unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn call(
    store: &mut Store,
    instance: Instance,
    name: &str,
    args: &[Val],
) -> Result<Vec<Val>, Error> {
    instance
        .get_func(store, name)
        .unwrap_or_else(|| panic!("no exported function `{name}`"))
        .call(store, args)
}

fn ok(store: &mut Store, instance: Instance, name: &str, args: &[Val]) -> Vec<Val> {
    call(store, instance, name, args).unwrap_or_else(|e| panic!("{name}{args:?}: {e}"))
}

/// Calls a function of one `i32` result.
fn get_i32(store: &mut Store, instance: Instance, name: &str, args: &[Val]) -> i32 {
    match ok(store, instance, name, args)[..] {
        [Val::I32(v)] => v,
        ref other => panic!("{name}{args:?} = {other:?}"),
    }
}

/// Calls a function of one `i64` result.
fn get_i64(store: &mut Store, instance: Instance, name: &str, args: &[Val]) -> i64 {
    match ok(store, instance, name, args)[..] {
        [Val::I64(v)] => v,
        ref other => panic!("{name}{args:?} = {other:?}"),
    }
}

/// Calls `name` and expects an out-of-bounds trap.
fn oob(store: &mut Store, instance: Instance, name: &str, args: &[Val]) {
    match call(store, instance, name, args) {
        Err(Error::Trap(trap)) => assert_eq!(trap.kind, TrapKind::OutOfBounds, "{name}: {trap}"),
        other => panic!("{name}{args:?} should trap out of bounds, got {other:?}"),
    }
}

fn memory(store: &Store, instance: Instance, name: &str) -> Memory {
    instance
        .get_memory(store, name)
        .unwrap_or_else(|| panic!("no exported memory `{name}`"))
}

/// Every byte of `memory`, read through the embedding API.
fn contents(store: &Store, memory: Memory) -> Vec<u8> {
    let mut bytes = vec![0; memory.data_size(store).unwrap() as usize];
    memory.read(store, 0, &mut bytes).unwrap();
    bytes
}

/// Bytes below 0x80 that differ between seeds and from their neighbours,
/// so a stray write of any value with high bits set shows.
fn pattern(seed: u8, len: u64) -> Vec<u8> {
    (0..len)
        .map(|i| ((i * 7 + u64::from(seed) * 13 + i / 251) % 0x7f) as u8)
        .collect()
}

/// Fills `memory` with `pattern(seed, ..)` and returns what it holds.
fn write_pattern(store: &mut Store, memory: Memory, seed: u8) -> Vec<u8> {
    let bytes = pattern(seed, memory.data_size(store).unwrap());
    memory.write(store, 0, &bytes).unwrap();
    bytes
}

fn i32(v: i64) -> Val {
    Val::I32(v as u32 as i32)
}

/// Every store instruction: its text, its width, and how the `i64`
/// parameter becomes its operand.
const STORES: &[(&str, u64, &str)] = &[
    ("i32.store8", 1, "(i32.wrap_i64 (local.get 1))"),
    ("i32.store16", 2, "(i32.wrap_i64 (local.get 1))"),
    ("i32.store", 4, "(i32.wrap_i64 (local.get 1))"),
    ("i64.store8", 1, "(local.get 1)"),
    ("i64.store16", 2, "(local.get 1)"),
    ("i64.store32", 4, "(local.get 1)"),
    ("i64.store", 8, "(local.get 1)"),
    (
        "f32.store",
        4,
        "(f32.reinterpret_i32 (i32.wrap_i64 (local.get 1)))",
    ),
    ("f64.store", 8, "(f64.reinterpret_i64 (local.get 1))"),
];

/// Every load width, zero-extended to `i64`: text, width, conversion.
const LOADS: &[(&str, u64, &str)] = &[
    ("i32.load8_u", 1, "i64.extend_i32_u"),
    ("i32.load16_u", 2, "i64.extend_i32_u"),
    ("i32.load", 4, "i64.extend_i32_u"),
    ("i64.load", 8, ""),
    ("f32.load", 4, "i32.reinterpret_f32 i64.extend_i32_u"),
    ("f64.load", 8, "i64.reinterpret_f64"),
];

/// A value whose every byte has its high bit set, unlike [`pattern`].
const VALUE: u64 = 0x8899_aabb_ccdd_eeff;

/// Two memories of `pages` and `max` pages, exported as `m0` and `m1`,
/// with every store and load on each (`i32.store8 0` stores to memory 0),
/// `size N`, `grow N` and `copy D S`.
fn two_memories(pages: [u64; 2], max: [u64; 2]) -> String {
    let mut text = format!(
        "(module\n  (memory $m0 (export \"m0\") {} {})\n  (memory $m1 (export \"m1\") {} {})\n",
        pages[0], max[0], pages[1], max[1]
    );
    for m in 0..2 {
        for (op, _, operand) in STORES {
            text += &format!(
                "  (func (export \"{op} {m}\") (param i32 i64) ({op} $m{m} (local.get 0) {operand}))\n"
            );
        }
        for (op, _, convert) in LOADS {
            text += &format!(
                "  (func (export \"{op} {m}\") (param i32) (result i64) local.get 0 {op} $m{m} {convert})\n"
            );
        }
        text += &format!(
            "  (func (export \"far {m}\") (param i32 i64) local.get 0 local.get 1 i64.store8 $m{m} offset=4294967295)\n  \
             (func (export \"size {m}\") (result i32) memory.size $m{m})\n  \
             (func (export \"grow {m}\") (param i32) (result i32) (memory.grow $m{m} (local.get 0)))\n"
        );
        for s in 0..2 {
            text += &format!(
                "  (func (export \"copy {m} {s}\") (param i32 i32 i32) \
                 (memory.copy $m{m} $m{s} (local.get 0) (local.get 1) (local.get 2)))\n"
            );
        }
    }
    text + ")"
}

/// A store of two memories of `pages` (maxima twice as large), each filled
/// with its own pattern.
fn two_filled(pages: [u64; 2]) -> (Store, Instance, [Memory; 2], [Vec<u8>; 2]) {
    let mut store = Store::new();
    let text = two_memories(pages, pages.map(|p| 2 * p + 1));
    let instance = instantiate(&mut store, &Linker::new(), &text);
    let mems = [
        memory(&store, instance, "m0"),
        memory(&store, instance, "m1"),
    ];
    let bytes = [0, 1].map(|m| write_pattern(&mut store, mems[m], 1 + m as u8));
    (store, instance, mems, bytes)
}

fn both(store: &Store, mems: [Memory; 2]) -> [Vec<u8>; 2] {
    mems.map(|m| contents(store, m))
}
