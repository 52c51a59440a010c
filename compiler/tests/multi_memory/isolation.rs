//! Two memories of one instance: bounds, copies and grows of one never
//! reach the other.

use super::*;

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
