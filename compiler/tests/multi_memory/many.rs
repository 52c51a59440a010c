//! More memories than the interpreter lends out of the heap: the first
//! four are lent while a function runs, the rest are reached through their
//! Cells, and a memory imported at two indices is lent at neither. Every
//! index still names its own memory, with its own bounds.

use super::*;

/// Six memories: the provider's `m1` imported at index 0 and again at
/// index 1 (one memory), then four defined ones, index 3 of two pages.
/// Indices 2 and 3 are lent while a function runs, 0 and 1 are not (one
/// memory at two indices), 4 and 5 are past the lent ones.
/// `store(mem, at, v)` and `load(mem, at)` pick the memory by `br_table`.
const SIX: &str = r#"(module
  (import "p" "m1" (memory $a0 1))
  (import "p" "m1" (memory $a1 1))
  (memory $d2 (export "d2") 1)
  (memory $d3 (export "d3") 2)
  (memory $d4 (export "d4") 1)
  (memory $d5 (export "d5") 1)
  (func (export "store") (param $mem i32) (param $at i32) (param $v i32)
    (block $b5 (block $b4 (block $b3 (block $b2 (block $b1 (block $b0
      (br_table $b0 $b1 $b2 $b3 $b4 $b5 (local.get $mem)))
      (i32.store $a0 (local.get $at) (local.get $v)) (return))
      (i32.store $a1 (local.get $at) (local.get $v)) (return))
      (i32.store $d2 (local.get $at) (local.get $v)) (return))
      (i32.store $d3 (local.get $at) (local.get $v)) (return))
      (i32.store $d4 (local.get $at) (local.get $v)) (return))
    (i32.store $d5 (local.get $at) (local.get $v)))
  (func (export "load") (param $mem i32) (param $at i32) (result i32)
    (block $b5 (block $b4 (block $b3 (block $b2 (block $b1 (block $b0
      (br_table $b0 $b1 $b2 $b3 $b4 $b5 (local.get $mem)))
      (return (i32.load $a0 (local.get $at))))
      (return (i32.load $a1 (local.get $at))))
      (return (i32.load $d2 (local.get $at))))
      (return (i32.load $d3 (local.get $at))))
      (return (i32.load $d4 (local.get $at))))
    (i32.load $d5 (local.get $at)))
  (func (export "store1_load0") (param $at i32) (param $v i32) (result i32)
    (i32.store $a1 (local.get $at) (local.get $v))
    (i32.load $a0 (local.get $at)))
  (func (export "copy5_to_3") (param $dst i32) (param $src i32) (param $n i32)
    (memory.copy $d3 $d5 (local.get $dst) (local.get $src) (local.get $n)))
  (func (export "copy3_to_4") (param $dst i32) (param $src i32) (param $n i32)
    (memory.copy $d4 $d3 (local.get $dst) (local.get $src) (local.get $n))))"#;

const PROVIDER_M1: &str = r#"(module (memory (export "m1") 1))"#;

#[test]
fn memories_past_the_lent_ones_keep_their_own_bounds_and_contents() {
    let (mut store, p, six) = {
        let mut store = Store::new();
        let mut linker = Linker::new();
        let p = instantiate(&mut store, &linker, PROVIDER_M1);
        linker.instance(&store, "p", p).unwrap();
        let six = instantiate(&mut store, &linker, SIX);
        (store, p, six)
    };
    // Index -> the memory behind it, as the host sees it.
    let mems = [
        memory(&store, p, "m1"),
        memory(&store, p, "m1"),
        memory(&store, six, "d2"),
        memory(&store, six, "d3"),
        memory(&store, six, "d4"),
        memory(&store, six, "d5"),
    ];
    let sizes = [PAGE, PAGE, PAGE, 2 * PAGE, PAGE, PAGE];
    // Indices 0 and 1 are one memory: the last write through either wins.
    let value = |index: usize| 0x0101_0101 * (index as i32 + 1);
    for (index, &size) in sizes.iter().enumerate() {
        let last = size as i64 - 4;
        ok(
            &mut store,
            six,
            "store",
            &[i32(index as i64), i32(last), Val::I32(value(index))],
        );
        oob(
            &mut store,
            six,
            "store",
            &[i32(index as i64), i32(last + 1), Val::I32(-1)],
        );
        oob(
            &mut store,
            six,
            "load",
            &[i32(index as i64), i32(size as i64)],
        );
    }
    for (index, (&size, &mem)) in sizes.iter().zip(&mems).enumerate() {
        let last = size - 4;
        let expected = if index == 0 { value(1) } else { value(index) };
        assert_eq!(
            get_i32(
                &mut store,
                six,
                "load",
                &[i32(index as i64), i32(last as i64)]
            ),
            expected,
            "memory index {index}"
        );
        let mut bytes = [0; 4];
        mem.read(&store, last, &mut bytes).unwrap();
        assert_eq!(
            i32::from_le_bytes(bytes),
            expected,
            "host view of index {index}"
        );
        // The refused stores wrote nothing: only the last word is set.
        let all = contents(&store, mem);
        assert!(
            all[..last as usize].iter().all(|&b| b == 0),
            "index {index}"
        );
    }
    // One call writes through index 1 and reads through index 0.
    assert_eq!(
        get_i32(&mut store, six, "store1_load0", &[i32(64), i32(77)]),
        77
    );
    // Copies between a lent memory and one past the lent ones, both ways,
    // move their bytes only, and check each side against its own bounds.
    ok(
        &mut store,
        six,
        "store",
        &[i32(5), i32(8), i32(0x1234_5678)],
    );
    ok(
        &mut store,
        six,
        "copy5_to_3",
        &[i32(PAGE as i64 + 16), i32(8), i32(4)],
    );
    assert_eq!(
        get_i32(&mut store, six, "load", &[i32(3), i32(PAGE as i64 + 16)]),
        0x1234_5678
    );
    assert_eq!(
        get_i32(&mut store, six, "load", &[i32(2), i32(PAGE as i64 - 4)]),
        value(2)
    );
}
