//! Data segments, `memory.fill` and `memory.init` aimed at memory 1, and
//! each access checking its own memory's Cell.

use super::*;

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
