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

#[test]
fn out_of_bounds_stores_to_either_memory_trap_and_write_nothing_to_both() {
    // Equal sizes, memory 1 smaller, memory 1 larger, and an empty one.
    for pages in [[1, 1], [2, 1], [1, 2], [1, 0], [0, 1]] {
        let (mut store, instance, mems, mut model) = two_filled(pages);
        for m in 0..2 {
            let end = pages[m] * PAGE;
            let other_end = pages[1 - m] * PAGE;
            for &(op, width, _) in STORES {
                let name = format!("{op} {m}");
                // Straddling the end (the first bytes fit), just past it, at
                // the end of the other memory when that one is larger, and
                // addresses that only wrapping arithmetic would bring back.
                let mut refused = vec![end, end + 1, u64::from(u32::MAX), 1 << 31];
                if width > 1 && end > 0 {
                    refused.push(end - width + 1);
                    refused.push(end - 1);
                }
                if other_end > end {
                    refused.push(other_end - width);
                }
                for at in refused {
                    oob(
                        &mut store,
                        instance,
                        &name,
                        &[i32(at as i64), Val::I64(VALUE as i64)],
                    );
                    assert_eq!(
                        both(&store, mems),
                        model,
                        "{name} at {at} (pages {pages:?}) wrote something"
                    );
                }
                // The last address that fits writes exactly `width` bytes
                // of this memory, and nothing of the other.
                if end >= width {
                    let at = end - width;
                    ok(
                        &mut store,
                        instance,
                        &name,
                        &[i32(at as i64), Val::I64(VALUE as i64)],
                    );
                    model[m][at as usize..end as usize]
                        .copy_from_slice(&VALUE.to_le_bytes()[..width as usize]);
                    assert_eq!(
                        both(&store, mems),
                        model,
                        "{name} at {at} (pages {pages:?})"
                    );
                }
            }
            // A static offset is added in 64 bits: 1 + (2^32 - 1) is out of
            // bounds, never byte 0.
            for at in [0, 1, -1] {
                oob(
                    &mut store,
                    instance,
                    &format!("far {m}"),
                    &[i32(at), Val::I64(-1)],
                );
            }
            assert_eq!(both(&store, mems), model, "far {m} (pages {pages:?})");
        }
    }
}

#[test]
fn loads_are_bounded_by_the_memory_they_name_and_read_only_it() {
    for pages in [[2, 1], [1, 2]] {
        let (mut store, instance, mems, model) = two_filled(pages);
        for m in 0..2 {
            let end = pages[m] * PAGE;
            let other_end = pages[1 - m] * PAGE;
            for &(op, width, _) in LOADS {
                let name = format!("{op} {m}");
                let at = end - width;
                let mut expected = [0; 8];
                expected[..width as usize].copy_from_slice(&model[m][at as usize..end as usize]);
                assert_eq!(
                    get_i64(&mut store, instance, &name, &[i32(at as i64)]),
                    i64::from_le_bytes(expected),
                    "{name} at {at} reads memory {m}"
                );
                let mut refused = vec![end - width + 1, end, u64::from(u32::MAX)];
                if other_end > end {
                    refused.push(other_end - width);
                }
                for at in refused {
                    oob(&mut store, instance, &name, &[i32(at as i64)]);
                }
            }
        }
        assert_eq!(both(&store, mems), model, "loads wrote nothing");
    }
}

#[test]
fn memory_copy_between_memories_copies_the_source_bytes_in_both_directions() {
    let (mut store, instance, mems, mut model) = two_filled([1, 2]);
    let copy = |store: &mut Store, d: usize, s: usize, args: [i64; 3]| {
        call(store, instance, &format!("copy {d} {s}"), &args.map(i32))
    };
    // (dst memory, src memory, dst, src, len): disjoint, overlapping index
    // ranges both ways (the source is the other memory, so nothing of the
    // destination leaks into what is copied), the same memory overlapping
    // both ways, to the very end of each memory, and whole memories.
    let end = [PAGE as i64, 2 * PAGE as i64];
    let cases: &[(usize, usize, [i64; 3])] = &[
        (1, 0, [1000, 50, 200]),
        (0, 1, [3000, 7000, 123]),
        (0, 1, [10, 20, 30]),
        (0, 1, [20, 10, 30]),
        (1, 0, [100, 90, 64]),
        (1, 0, [90, 100, 64]),
        (1, 1, [500, 510, 40]),
        (1, 1, [510, 500, 40]),
        (0, 0, [700, 705, 9]),
        (0, 1, [end[0] - 5, end[1] - 5, 5]),
        (1, 0, [end[1] - 7, end[0] - 7, 7]),
        (0, 1, [0, PAGE as i64, PAGE as i64]),
        (1, 0, [0, 0, PAGE as i64]),
        (0, 1, [end[0], end[1], 0]),
        (1, 0, [end[1], end[0], 0]),
    ];
    for &(d, s, [dst, src, len]) in cases {
        copy(&mut store, d, s, [dst, src, len]).unwrap_or_else(|e| panic!("copy {d} {s}: {e}"));
        let bytes = model[s][src as usize..(src + len) as usize].to_vec();
        model[d][dst as usize..(dst + len) as usize].copy_from_slice(&bytes);
        assert_eq!(
            both(&store, mems),
            model,
            "copy {d} {s} of {len} bytes from {src} to {dst}"
        );
        // Keep the memories distinct for the next case.
        for m in 0..2 {
            model[m] = write_pattern(&mut store, mems[m], 3 + m as u8 + (dst % 50) as u8);
        }
    }
    // Out of bounds on either side, each side checked against its own
    // memory: nothing is written to either.
    let refused: &[(usize, usize, [i64; 3])] = &[
        (0, 1, [end[0] - 3, 0, 4]),
        (0, 1, [0, end[1] - 3, 4]),
        (1, 0, [end[1] - 3, 0, 4]),
        (1, 0, [0, end[0] - 3, 4]),
        // In bounds of memory 1, but the source is memory 0.
        (1, 0, [0, end[0], 1]),
        (1, 0, [PAGE as i64, PAGE as i64, 16]),
        // In bounds of memory 1, but the destination is memory 0.
        (0, 1, [end[0], 0, 1]),
        (0, 1, [PAGE as i64 - 8, PAGE as i64 - 8, 16]),
        // Zero bytes just past the end, and addresses that would wrap.
        (0, 1, [end[0] + 1, 0, 0]),
        (0, 1, [0, end[1] + 1, 0]),
        (1, 0, [end[1] + 1, 0, 0]),
        (1, 0, [0, end[0] + 1, 0]),
        (0, 1, [-1, 0, 2]),
        (1, 0, [0, -1, 2]),
        (1, 0, [0, 0, -1]),
        (1, 1, [0, 1, end[1]]),
    ];
    for &(d, s, args) in refused {
        match copy(&mut store, d, s, args) {
            Err(Error::Trap(trap)) => assert_eq!(trap.kind, TrapKind::OutOfBounds, "{trap}"),
            other => panic!("copy {d} {s} {args:?}: {other:?}"),
        }
        assert_eq!(
            both(&store, mems),
            model,
            "copy {d} {s} {args:?} wrote something"
        );
    }
}

#[test]
fn growing_one_memory_leaves_the_others_size_and_contents_alone() {
    let mut store = Store::new();
    let text = two_memories([1, 1], [3, 2]);
    let instance = instantiate(&mut store, &Linker::new(), &text);
    let mems = [
        memory(&store, instance, "m0"),
        memory(&store, instance, "m1"),
    ];
    let mut model = [0, 1].map(|m| write_pattern(&mut store, mems[m], 5 + m as u8));
    let sizes =
        |store: &mut Store| [0, 1].map(|m| get_i32(store, instance, &format!("size {m}"), &[]));

    assert_eq!(get_i32(&mut store, instance, "grow 1", &[i32(1)]), 1);
    model[1].resize(2 * PAGE as usize, 0);
    assert_eq!(sizes(&mut store), [1, 2]);
    assert_eq!(
        both(&store, mems),
        model,
        "memory 0 unchanged, memory 1 zero-extended"
    );
    // The new page exists in memory 1 only.
    let at = [i32(PAGE as i64), Val::I64(VALUE as i64)];
    ok(&mut store, instance, "i64.store 1", &at);
    oob(&mut store, instance, "i64.store 0", &at);
    model[1][PAGE as usize..PAGE as usize + 8].copy_from_slice(&VALUE.to_le_bytes());
    assert_eq!(both(&store, mems), model);

    // Memory 1 is at its maximum: growing fails, and changes neither.
    for delta in [1, 2, 65_536, -1] {
        assert_eq!(get_i32(&mut store, instance, "grow 1", &[i32(delta)]), -1);
        assert_eq!(sizes(&mut store), [1, 2]);
        assert_eq!(both(&store, mems), model, "grow 1 by {delta}");
    }
    assert!(
        mems[1].grow(&mut store, 1).is_err(),
        "the host cannot either"
    );

    // Growing memory 0 (the cached one) leaves memory 1 alone.
    assert_eq!(get_i32(&mut store, instance, "grow 0", &[i32(2)]), 1);
    model[0].resize(3 * PAGE as usize, 0);
    assert_eq!(sizes(&mut store), [3, 2]);
    assert_eq!(both(&store, mems), model);
    let far = [i32(2 * PAGE as i64 + 8), Val::I64(VALUE as i64)];
    ok(&mut store, instance, "i64.store 0", &far);
    oob(&mut store, instance, "i64.store 1", &far);
    model[0][2 * PAGE as usize + 8..2 * PAGE as usize + 16].copy_from_slice(&VALUE.to_le_bytes());
    assert_eq!(both(&store, mems), model);
    for delta in [1, -1] {
        assert_eq!(get_i32(&mut store, instance, "grow 0", &[i32(delta)]), -1);
    }
    assert_eq!(sizes(&mut store), [3, 2]);
    assert_eq!(both(&store, mems), model, "failed grows of memory 0");
}

#[test]
fn a_grow_inside_a_call_moves_only_that_memorys_bounds_for_the_rest_of_the_call() {
    // One call grows memory 0 (whose bytes the interpreter caches while it
    // runs) or memory 1, then stores into the new page of both memories
    // and reports which stores fit.
    let mut store = Store::new();
    let text = r#"(module
      (memory $a (export "m0") 1 2)
      (memory $b (export "m1") 1 2)
      (func $fits0 (param i32) (result i32)
        (i32.ge_u (i32.mul (memory.size $a) (i32.const 65536))
                  (i32.add (local.get 0) (i32.const 4))))
      (func $fits1 (param i32) (result i32)
        (i32.ge_u (i32.mul (memory.size $b) (i32.const 65536))
                  (i32.add (local.get 0) (i32.const 4))))
      (func (export "grow_then_store") (param $which i32) (param $at i32) (param $v i32) (result i32)
        (if (local.get $which)
          (then (drop (memory.grow $b (i32.const 1))))
          (else (drop (memory.grow $a (i32.const 1)))))
        (if (call $fits0 (local.get $at)) (then (i32.store $a (local.get $at) (local.get $v))))
        (if (call $fits1 (local.get $at)) (then (i32.store $b (local.get $at) (i32.const -1))))
        (i32.load $a (local.get $at))))"#;
    let instance = instantiate(&mut store, &Linker::new(), text);
    let mems = [
        memory(&store, instance, "m0"),
        memory(&store, instance, "m1"),
    ];
    let at = PAGE as i64 + 12;
    assert_eq!(
        get_i32(
            &mut store,
            instance,
            "grow_then_store",
            &[i32(0), i32(at), i32(77)]
        ),
        77,
        "memory 0's new page is usable in the same call"
    );
    let [zero, one] = both(&store, mems);
    assert_eq!(zero.len(), 2 * PAGE as usize);
    assert_eq!(&zero[at as usize..at as usize + 4], &77i32.to_le_bytes());
    assert_eq!(one.len(), PAGE as usize, "memory 1 did not grow");
    assert!(one.iter().all(|&b| b == 0));
    // Now grow memory 1 in a call: memory 0 is at its maximum and keeps
    // its bytes, and memory 1's new page takes the second store.
    assert_eq!(
        get_i32(
            &mut store,
            instance,
            "grow_then_store",
            &[i32(1), i32(at), i32(5)]
        ),
        5
    );
    let [zero, one] = both(&store, mems);
    assert_eq!(zero.len(), 2 * PAGE as usize);
    assert_eq!(&zero[at as usize..at as usize + 4], &5i32.to_le_bytes());
    assert_eq!(one.len(), 2 * PAGE as usize);
    assert_eq!(&one[at as usize..at as usize + 4], &[0xff; 4]);
    assert_eq!(one.iter().filter(|&&b| b != 0).count(), 4);
}

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

#[test]
fn data_segments_fill_and_init_aimed_at_memory_1_touch_memory_1_only() {
    // Memory 1 (one page) is smaller than memory 0 (two pages).
    let mut store = Store::new();
    let text = r#"(module
      (memory $a (export "m0") 2)
      (memory $b (export "m1") 1)
      (data (memory $b) (i32.const 100) "abc")
      (data (memory 1) (i32.const 65533) "end")
      (data $p "0123456789")
      (func (export "fill1") (param i32 i32 i32)
        (memory.fill $b (local.get 0) (local.get 1) (local.get 2)))
      (func (export "init1") (param i32 i32 i32)
        (memory.init $b $p (local.get 0) (local.get 1) (local.get 2)))
      (func (export "drop") (data.drop $p)))"#;
    let instance = instantiate(&mut store, &Linker::new(), text);
    let mems = [
        memory(&store, instance, "m0"),
        memory(&store, instance, "m1"),
    ];
    let end1 = PAGE as i64;
    let mut model = [vec![0; 2 * PAGE as usize], vec![0; PAGE as usize]];
    model[1][100..103].copy_from_slice(b"abc");
    model[1][PAGE as usize - 3..].copy_from_slice(b"end");
    assert_eq!(
        both(&store, mems),
        model,
        "the active segments wrote memory 1 only"
    );

    ok(
        &mut store,
        instance,
        "fill1",
        &[i32(200), i32(0x15a), i32(10)],
    );
    model[1][200..210].fill(0x5a);
    ok(&mut store, instance, "init1", &[i32(300), i32(2), i32(5)]);
    model[1][300..305].copy_from_slice(b"23456");
    ok(
        &mut store,
        instance,
        "fill1",
        &[i32(end1 - 2), i32(1), i32(2)],
    );
    model[1][PAGE as usize - 2..].fill(1);
    ok(&mut store, instance, "init1", &[i32(end1), i32(10), i32(0)]);
    assert_eq!(both(&store, mems), model);

    // Bounds are memory 1's: addresses that exist only in memory 0 trap.
    let refused: &[(&str, [i64; 3])] = &[
        ("fill1", [end1 - 1, 7, 2]),
        ("fill1", [end1, 7, 1]),
        ("fill1", [end1 + 1, 7, 0]),
        ("fill1", [-1, 7, 2]),
        ("init1", [end1 - 2, 0, 4]),
        ("init1", [end1, 0, 1]),
        ("init1", [end1 + 1, 0, 0]),
        ("init1", [0, 8, 3]),
        ("init1", [0, 11, 0]),
    ];
    for (name, args) in refused {
        oob(&mut store, instance, name, &args.map(i32));
        assert_eq!(both(&store, mems), model, "{name} {args:?}");
    }
    ok(&mut store, instance, "drop", &[]);
    oob(&mut store, instance, "init1", &[i32(0), i32(0), i32(1)]);
    ok(&mut store, instance, "init1", &[i32(0), i32(0), i32(0)]);
    assert_eq!(both(&store, mems), model, "after the drop");
}

#[test]
fn a_data_segment_past_memory_1_fails_instantiation_even_if_memory_0_could_hold_it() {
    let aimed_at = |m: u32| {
        format!(
            r#"(module
          (memory (export "m0") 2)
          (memory (export "m1") 1)
          (data (memory {m}) (i32.const 65535) "xy"))"#
        )
    };
    let mut store = Store::new();
    let error = Linker::new()
        .instantiate(&mut store, &module(&aimed_at(1)))
        .unwrap_err();
    assert_eq!(
        error.trap().map(|t| t.kind),
        Some(TrapKind::OutOfBounds),
        "{error}"
    );
    // The same segment aimed at memory 0 fits, and lands there only.
    let instance = instantiate(&mut store, &Linker::new(), &aimed_at(0));
    let [zero, one] = both(
        &store,
        [
            memory(&store, instance, "m0"),
            memory(&store, instance, "m1"),
        ],
    );
    assert_eq!(&zero[65535..65537], b"xy");
    assert_eq!(zero.iter().filter(|&&b| b != 0).count(), 2);
    assert!(one.iter().all(|&b| b == 0));
}

/// Calls `name` and expects a stale-handle trap.
fn stale(store: &mut Store, instance: Instance, name: &str, args: &[Val]) {
    match call(store, instance, name, args) {
        Err(Error::Trap(trap)) => assert_eq!(trap.kind, TrapKind::StaleHandle, "{name}: {trap}"),
        other => panic!("{name}{args:?} should trap on a stale handle, got {other:?}"),
    }
}

#[test]
fn each_access_checks_its_memorys_cell_and_a_freed_one_leaves_the_other_working() {
    for freed in [1, 0] {
        let (mut store, instance, mems, model) = two_filled([1, 1]);
        let kept = 1 - freed;
        let cell = mems[freed].cell(&store).unwrap();
        store.heap_mut().free(cell).unwrap();
        // A new segment takes the freed slot (at a new generation): the
        // memory's old Cell must not reach it.
        let newcomer = store
            .heap_mut()
            .alloc(Bytes::zeroed(PAGE, PAGE).unwrap())
            .unwrap();
        assert_eq!(newcomer.slot(), cell.slot(), "the slot is reused");
        assert_ne!(newcomer, cell);
        let word = [i32(8), Val::I64(VALUE as i64)];
        stale(&mut store, instance, &format!("i64.store {freed}"), &word);
        stale(
            &mut store,
            instance,
            &format!("i64.load {freed}"),
            &[i32(8)],
        );
        stale(&mut store, instance, &format!("size {freed}"), &[]);
        stale(&mut store, instance, &format!("grow {freed}"), &[i32(1)]);
        for (d, s) in [(freed, kept), (kept, freed), (freed, freed)] {
            stale(
                &mut store,
                instance,
                &format!("copy {d} {s}"),
                &[i32(0), i32(0), i32(4)],
            );
        }
        assert!(
            store
                .heap()
                .get::<Bytes>(newcomer)
                .unwrap()
                .as_slice()
                .iter()
                .all(|&b| b == 0)
        );
        // The other memory still works, and holds what it held.
        assert_eq!(contents(&store, mems[kept]), model[kept]);
        ok(&mut store, instance, &format!("i64.store {kept}"), &word);
        assert_eq!(
            get_i64(&mut store, instance, &format!("i64.load {kept}"), &[i32(8)]),
            VALUE as i64
        );
        ok(
            &mut store,
            instance,
            &format!("copy {kept} {kept}"),
            &[i32(0), i32(8), i32(8)],
        );
        let mut expected = model[kept].clone();
        expected[0..8].copy_from_slice(&VALUE.to_le_bytes());
        expected[8..16].copy_from_slice(&VALUE.to_le_bytes());
        assert_eq!(contents(&store, mems[kept]), expected);
        assert_eq!(
            get_i32(&mut store, instance, &format!("size {kept}"), &[]),
            1
        );
    }
}

// ---------------------------------------------------------------------
// The property: random operations over two memories against a model.

/// Store and load widths with their instructions (loads zero-extend to
/// `i64`), and the static offsets each comes with.
const WIDTHS: [(u64, &str, &str); 4] = [
    (1, "i64.store8", "i64.load8_u"),
    (2, "i64.store16", "i64.load16_u"),
    (4, "i64.store32", "i64.load32_u"),
    (8, "i64.store", "i64.load"),
];
const OFFSETS: [u64; 2] = [0, 65_535];
/// The passive data segment `memory.init` reads.
const PASSIVE: &[u8] = b"passive segment!";

/// One operation; memories and widths are indices.
#[derive(Clone, Debug)]
enum Op {
    Store {
        mem: usize,
        width: usize,
        offset: usize,
        addr: u32,
        value: u64,
    },
    Load {
        mem: usize,
        width: usize,
        offset: usize,
        addr: u32,
    },
    Copy {
        dst_mem: usize,
        src_mem: usize,
        dst: u32,
        src: u32,
        len: u32,
    },
    Fill {
        mem: usize,
        dst: u32,
        value: u32,
        len: u32,
    },
    Init {
        mem: usize,
        dst: u32,
        src: u32,
        len: u32,
    },
    DataDrop,
    Grow {
        mem: usize,
        delta: u32,
    },
    Size {
        mem: usize,
    },
    /// The host writes through [`Memory::write`].
    HostWrite {
        mem: usize,
        addr: u32,
        len: u32,
        byte: u8,
    },
    /// In the imported layout, a store by the provider instance, whose
    /// memory 0 is the consumer's memory 1; otherwise nothing.
    ProviderStore {
        width: usize,
        addr: u32,
        value: u64,
    },
    /// Likewise a grow by the provider.
    ProviderGrow {
        delta: u32,
    },
}

/// What an operation gives: values, or an out-of-bounds refusal.
#[derive(Clone, Debug, PartialEq)]
enum Outcome {
    Done(Vec<Val>),
    OutOfBounds,
}

/// Two memories as byte vectors with their maxima in pages, and the
/// passive segment (empty once dropped).
#[derive(Clone, Debug)]
struct Model {
    mems: [Vec<u8>; 2],
    max: [u64; 2],
    passive: Vec<u8>,
}

/// `at..at + len` if it lies within `0..size`.
fn span(at: u64, len: u64, size: usize) -> Option<std::ops::Range<usize>> {
    let end = at.checked_add(len)?;
    (end <= size as u64).then_some(at as usize..end as usize)
}

impl Model {
    /// The memories of `layout` as instantiated: zeroed, with the active
    /// segments [`consumer`] adds.
    fn new(layout: Layout) -> Model {
        let mut model = Model {
            mems: layout.min.map(|pages| vec![0; (pages * PAGE) as usize]),
            max: layout.max,
            passive: PASSIVE.to_vec(),
        };
        for (m, segment) in [(0, b"zero"), (1, b"one!")] {
            if layout.min[m] > 0 {
                let at = 3 + 5 * m;
                model.mems[m][at..at + 4].copy_from_slice(segment);
            }
        }
        model
    }

    fn store(&mut self, mem: usize, at: u64, width: u64, value: u64) -> Outcome {
        match span(at, width, self.mems[mem].len()) {
            Some(range) => {
                self.mems[mem][range].copy_from_slice(&value.to_le_bytes()[..width as usize]);
                Outcome::Done(vec![])
            }
            None => Outcome::OutOfBounds,
        }
    }

    fn grow(&mut self, mem: usize, delta: u32) -> Outcome {
        let old = self.mems[mem].len() as u64 / PAGE;
        let result = if old + u64::from(delta) <= self.max[mem] {
            self.mems[mem].resize(((old + u64::from(delta)) * PAGE) as usize, 0);
            old as i32
        } else {
            -1
        };
        Outcome::Done(vec![Val::I32(result)])
    }

    /// Applies `op`; `imported` says whether the provider ops act.
    fn apply(&mut self, op: &Op, imported: bool) -> Outcome {
        match *op {
            Op::Store {
                mem,
                width,
                offset,
                addr,
                value,
            } => self.store(
                mem,
                u64::from(addr) + OFFSETS[offset],
                WIDTHS[width].0,
                value,
            ),
            Op::Load {
                mem,
                width,
                offset,
                addr,
            } => {
                let (at, width) = (u64::from(addr) + OFFSETS[offset], WIDTHS[width].0);
                match span(at, width, self.mems[mem].len()) {
                    Some(range) => {
                        let mut le = [0; 8];
                        le[..width as usize].copy_from_slice(&self.mems[mem][range]);
                        Outcome::Done(vec![Val::I64(i64::from_le_bytes(le))])
                    }
                    None => Outcome::OutOfBounds,
                }
            }
            Op::Copy {
                dst_mem,
                src_mem,
                dst,
                src,
                len,
            } => {
                let len = u64::from(len);
                match (
                    span(u64::from(src), len, self.mems[src_mem].len()),
                    span(u64::from(dst), len, self.mems[dst_mem].len()),
                ) {
                    (Some(from), Some(to)) => {
                        let bytes = self.mems[src_mem][from].to_vec();
                        self.mems[dst_mem][to].copy_from_slice(&bytes);
                        Outcome::Done(vec![])
                    }
                    _ => Outcome::OutOfBounds,
                }
            }
            Op::Fill {
                mem,
                dst,
                value,
                len,
            } => match span(u64::from(dst), u64::from(len), self.mems[mem].len()) {
                Some(range) => {
                    self.mems[mem][range].fill(value as u8);
                    Outcome::Done(vec![])
                }
                None => Outcome::OutOfBounds,
            },
            Op::Init { mem, dst, src, len } => {
                let len = u64::from(len);
                match (
                    span(u64::from(src), len, self.passive.len()),
                    span(u64::from(dst), len, self.mems[mem].len()),
                ) {
                    (Some(from), Some(to)) => {
                        self.mems[mem][to].copy_from_slice(&self.passive[from]);
                        Outcome::Done(vec![])
                    }
                    _ => Outcome::OutOfBounds,
                }
            }
            Op::DataDrop => {
                self.passive.clear();
                Outcome::Done(vec![])
            }
            Op::Grow { mem, delta } => self.grow(mem, delta),
            Op::Size { mem } => {
                Outcome::Done(vec![Val::I32((self.mems[mem].len() as u64 / PAGE) as i32)])
            }
            Op::HostWrite {
                mem,
                addr,
                len,
                byte,
            } => match span(u64::from(addr), u64::from(len), self.mems[mem].len()) {
                Some(range) => {
                    self.mems[mem][range].fill(byte);
                    Outcome::Done(vec![])
                }
                None => Outcome::OutOfBounds,
            },
            Op::ProviderStore { width, addr, value } if imported => {
                self.store(1, u64::from(addr), WIDTHS[width].0, value)
            }
            Op::ProviderGrow { delta } if imported => self.grow(1, delta),
            Op::ProviderStore { .. } | Op::ProviderGrow { .. } => Outcome::Done(vec![]),
        }
    }
}

/// The memories' layout in one case: their initial and maximum pages, and
/// whether memory 0 comes from the host and memory 1 from another
/// instance (whose memory 0 it is), or both are defined by the module.
#[derive(Clone, Copy, Debug)]
struct Layout {
    min: [u64; 2],
    max: [u64; 2],
    imported: bool,
}

fn layout() -> impl Strategy<Value = Layout> {
    (0u64..=2, 0u64..=2, 0u64..=2, 0u64..=2, any::<bool>()).prop_map(
        |(m0, e0, m1, e1, imported)| Layout {
            min: [m0, m1],
            max: [m0 + e0, m1 + e1],
            imported,
        },
    )
}

/// The module the operations run in: `store M W O`, `load M W O`,
/// `copy D S`, `fill M`, `init M`, `drop`, `grow M`, `size M`. Each memory
/// that can hold it gets an active segment, so segments are checked too.
fn consumer(layout: Layout) -> String {
    let memories = if layout.imported {
        format!(
            "(import \"host\" \"m0\" (memory $m0 {} {}))\n  (import \"p\" \"mem\" (memory $m1 {} {}))",
            layout.min[0], layout.max[0], layout.min[1], layout.max[1]
        )
    } else {
        format!(
            "(memory $m0 {} {})\n  (memory $m1 {} {})",
            layout.min[0], layout.max[0], layout.min[1], layout.max[1]
        )
    };
    let mut text = format!(
        "(module\n  {memories}\n  (export \"m0\" (memory $m0))\n  (export \"m1\" (memory $m1))\n  \
         (data $p \"{}\")\n  (func (export \"drop\") (data.drop $p))\n",
        std::str::from_utf8(PASSIVE).unwrap()
    );
    for (m, segment) in [(0, "zero"), (1, "one!")] {
        if layout.min[m] > 0 {
            text += &format!(
                "  (data (memory $m{m}) (i32.const {}) \"{segment}\")\n",
                3 + 5 * m
            );
        }
    }
    for m in 0..2 {
        for (w, (_, store, load)) in WIDTHS.iter().enumerate() {
            for (o, offset) in OFFSETS.iter().enumerate() {
                text += &format!(
                    "  (func (export \"store {m} {w} {o}\") (param i32 i64) local.get 0 local.get 1 {} $m{m} offset={offset})\n  \
                     (func (export \"load {m} {w} {o}\") (param i32) (result i64) local.get 0 {} $m{m} offset={offset})\n",
                    store, load
                );
            }
        }
        text += &format!(
            "  (func (export \"fill {m}\") (param i32 i32 i32) (memory.fill $m{m} (local.get 0) (local.get 1) (local.get 2)))\n  \
             (func (export \"init {m}\") (param i32 i32 i32) (memory.init $m{m} $p (local.get 0) (local.get 1) (local.get 2)))\n  \
             (func (export \"grow {m}\") (param i32) (result i32) (memory.grow $m{m} (local.get 0)))\n  \
             (func (export \"size {m}\") (result i32) (memory.size $m{m}))\n"
        );
        for s in 0..2 {
            text += &format!(
                "  (func (export \"copy {m} {s}\") (param i32 i32 i32) (memory.copy $m{m} $m{s} (local.get 0) (local.get 1) (local.get 2)))\n"
            );
        }
    }
    text + ")"
}

/// The instance that defines the consumer's memory 1 in the imported
/// layout, as its own (cached) memory 0.
fn provider(layout: Layout) -> String {
    let mut text = format!(
        "(module\n  (memory (export \"mem\") {} {})\n  \
         (func (export \"grow\") (param i32) (result i32) (memory.grow (local.get 0)))\n",
        layout.min[1], layout.max[1]
    );
    for (w, (_, store, _)) in WIDTHS.iter().enumerate() {
        text += &format!(
            "  (func (export \"store {w}\") (param i32 i64) local.get 0 local.get 1 {store})\n"
        );
    }
    text + ")"
}

/// A store running the consumer (and provider) of `layout`.
struct Setup {
    store: Store,
    consumer: Instance,
    provider: Option<Instance>,
    mems: [Memory; 2],
}

impl Setup {
    fn new(layout: Layout) -> Setup {
        let mut store = Store::new();
        let mut linker = Linker::new();
        let provider = if layout.imported {
            let memory = Memory::new(
                &mut store,
                MemoryType::new(layout.min[0] as u32, Some(layout.max[0] as u32)),
            )
            .unwrap();
            linker.define("host", "m0", memory);
            let provider = instantiate(&mut store, &linker, &provider(layout));
            linker.instance(&store, "p", provider).unwrap();
            Some(provider)
        } else {
            None
        };
        let consumer = instantiate(&mut store, &linker, &consumer(layout));
        let mems = [
            memory(&store, consumer, "m0"),
            memory(&store, consumer, "m1"),
        ];
        Setup {
            store,
            consumer,
            provider,
            mems,
        }
    }

    fn run(&mut self, op: &Op) -> Outcome {
        let a = |v: u32| Val::I32(v as i32);
        let (instance, name, args) = match *op {
            Op::Store {
                mem,
                width,
                offset,
                addr,
                value,
            } => (
                self.consumer,
                format!("store {mem} {width} {offset}"),
                vec![a(addr), Val::I64(value as i64)],
            ),
            Op::Load {
                mem,
                width,
                offset,
                addr,
            } => (
                self.consumer,
                format!("load {mem} {width} {offset}"),
                vec![a(addr)],
            ),
            Op::Copy {
                dst_mem,
                src_mem,
                dst,
                src,
                len,
            } => (
                self.consumer,
                format!("copy {dst_mem} {src_mem}"),
                vec![a(dst), a(src), a(len)],
            ),
            Op::Fill {
                mem,
                dst,
                value,
                len,
            } => (
                self.consumer,
                format!("fill {mem}"),
                vec![a(dst), a(value), a(len)],
            ),
            Op::Init { mem, dst, src, len } => (
                self.consumer,
                format!("init {mem}"),
                vec![a(dst), a(src), a(len)],
            ),
            Op::DataDrop => (self.consumer, "drop".into(), vec![]),
            Op::Grow { mem, delta } => (self.consumer, format!("grow {mem}"), vec![a(delta)]),
            Op::Size { mem } => (self.consumer, format!("size {mem}"), vec![]),
            Op::HostWrite {
                mem,
                addr,
                len,
                byte,
            } => {
                let data = vec![byte; len as usize];
                return match self.mems[mem].write(&mut self.store, u64::from(addr), &data) {
                    Ok(()) => Outcome::Done(vec![]),
                    Err(Error::Usage(_)) => Outcome::OutOfBounds,
                    Err(other) => panic!("host write: {other}"),
                };
            }
            Op::ProviderStore { width, addr, value } => match self.provider {
                Some(p) => (
                    p,
                    format!("store {width}"),
                    vec![a(addr), Val::I64(value as i64)],
                ),
                None => return Outcome::Done(vec![]),
            },
            Op::ProviderGrow { delta } => match self.provider {
                Some(p) => (p, "grow".into(), vec![a(delta)]),
                None => return Outcome::Done(vec![]),
            },
        };
        match call(&mut self.store, instance, &name, &args) {
            Ok(values) => Outcome::Done(values),
            Err(Error::Trap(trap)) if trap.kind == TrapKind::OutOfBounds => Outcome::OutOfBounds,
            Err(other) => panic!("{name}{args:?}: {other}"),
        }
    }
}

/// Addresses and lengths near the interesting places: small, around each
/// page boundary a memory can have, and anywhere (mostly far out).
fn place() -> impl Strategy<Value = u32> {
    prop_oneof![
        3 => 0u32..48,
        4 => (0u32..=4, -12i64..=12).prop_map(|(page, d)| {
            (i64::from(page) * PAGE as i64 + d).clamp(0, i64::from(u32::MAX)) as u32
        }),
        1 => any::<u32>(),
        1 => (u32::MAX - 16)..=u32::MAX,
    ]
}

fn length() -> impl Strategy<Value = u32> {
    prop_oneof![
        4 => 0u32..24,
        2 => (0u32..=3, -8i64..=8).prop_map(|(pages, d)| {
            (i64::from(pages) * PAGE as i64 + d).max(0) as u32
        }),
        1 => any::<u32>(),
    ]
}

fn delta() -> impl Strategy<Value = u32> {
    prop_oneof![4 => 0u32..=2, 1 => Just(65_536u32), 1 => any::<u32>()]
}

fn op() -> impl Strategy<Value = Op> {
    let mem = || 0usize..2;
    let width = || 0..WIDTHS.len();
    prop_oneof![
        4 => (mem(), width(), 0..OFFSETS.len(), place(), any::<u64>()).prop_map(
            |(mem, width, offset, addr, value)| Op::Store { mem, width, offset, addr, value }
        ),
        3 => (mem(), width(), 0..OFFSETS.len(), place())
            .prop_map(|(mem, width, offset, addr)| Op::Load { mem, width, offset, addr }),
        3 => (mem(), mem(), place(), place(), length()).prop_map(
            |(dst_mem, src_mem, dst, src, len)| Op::Copy { dst_mem, src_mem, dst, src, len }
        ),
        2 => (mem(), place(), any::<u32>(), length())
            .prop_map(|(mem, dst, value, len)| Op::Fill { mem, dst, value, len }),
        2 => (mem(), place(), 0u32..20, 0u32..20)
            .prop_map(|(mem, dst, src, len)| Op::Init { mem, dst, src, len }),
        1 => Just(Op::DataDrop),
        2 => (mem(), delta()).prop_map(|(mem, delta)| Op::Grow { mem, delta }),
        1 => mem().prop_map(|mem| Op::Size { mem }),
        1 => (mem(), place(), 0u32..24, any::<u8>())
            .prop_map(|(mem, addr, len, byte)| Op::HostWrite { mem, addr, len, byte }),
        2 => (width(), place(), any::<u64>())
            .prop_map(|(width, addr, value)| Op::ProviderStore { width, addr, value }),
        1 => delta().prop_map(|delta| Op::ProviderGrow { delta }),
    ]
}

/// Cases per run: `PROPTEST_CASES` if set, else a few seconds' worth.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(48)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn random_operations_on_two_memories_match_a_model_of_two_byte_vectors(
        layout in layout(),
        ops in prop::collection::vec(op(), 1..40),
    ) {
        let mut setup = Setup::new(layout);
        let mut model = Model::new(layout);
        prop_assert_eq!(&both(&setup.store, setup.mems), &model.mems, "after instantiation");
        for (i, op) in ops.iter().enumerate() {
            let expected = model.apply(op, layout.imported);
            let actual = setup.run(op);
            prop_assert_eq!(&actual, &expected, "op {} {:?}", i, op);
            let [zero, one] = both(&setup.store, setup.mems);
            // Compare lengths first, then the first differing byte, so a
            // failure names it instead of printing whole memories.
            for (m, real) in [(0, &zero), (1, &one)] {
                let modelled = &model.mems[m];
                prop_assert_eq!(real.len(), modelled.len(), "memory {} length after op {} {:?}", m, i, op);
                let first = real.iter().zip(modelled).position(|(a, b)| a != b);
                prop_assert_eq!(first, None, "memory {} differs after op {} {:?}", m, i, op);
            }
        }
    }
}

/// What the generator is for, checked on the model alone: each kind of
/// operation both succeeds and is refused, copies cross between the
/// memories in bounds, and grows both succeed and fail.
#[test]
fn the_generator_reaches_every_operation_in_bounds_and_out() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    use std::collections::HashSet;

    let kind = |op: &Op| match op {
        Op::Store { .. } => "store",
        Op::Load { .. } => "load",
        Op::Copy {
            dst_mem, src_mem, ..
        } if dst_mem != src_mem => "copy across",
        Op::Copy { .. } => "copy within",
        Op::Fill { .. } => "fill",
        Op::Init { .. } => "init",
        Op::DataDrop => "drop",
        Op::Grow { .. } => "grow",
        Op::Size { .. } => "size",
        Op::HostWrite { .. } => "host write",
        Op::ProviderStore { .. } => "provider store",
        Op::ProviderGrow { .. } => "provider grow",
    };
    let mut runner = TestRunner::deterministic();
    let strategy = (layout(), prop::collection::vec(op(), 1..40));
    let mut seen = HashSet::new();
    for _ in 0..cases() {
        let (layout, ops) = strategy.new_tree(&mut runner).unwrap().current();
        let mut model = Model::new(layout);
        for op in &ops {
            let refused = match model.apply(op, layout.imported) {
                Outcome::OutOfBounds => true,
                Outcome::Done(values) => values == [Val::I32(-1)],
            };
            if layout.imported || !kind(op).starts_with("provider") {
                seen.insert((kind(op), refused));
            }
        }
    }
    for kind in [
        "store",
        "load",
        "copy across",
        "copy within",
        "fill",
        "init",
        "grow",
        "host write",
        "provider store",
        "provider grow",
    ] {
        for refused in [false, true] {
            assert!(
                seen.contains(&(kind, refused)),
                "no {kind} that was {}",
                if refused { "refused" } else { "carried out" }
            );
        }
    }
}
