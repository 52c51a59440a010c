//! The generation policy: a stale Cell is never accepted, however often its
//! slot is reused; retirement instead of wraparound; reclamation only
//! through a sweep that nulls every Cell naming a retired slot.

use arenavm_arenas::{
    AccessError, Cell, FreeOutcome, GenBits, Heap, HeapConfig, List, Map, MapKey, Str, Value,
};

fn heap(bits: u8) -> Heap {
    Heap::new(HeapConfig {
        gen_bits: GenBits::new(bits).unwrap(),
    })
}

/// Widths tested everywhere: the extremes, vm3's 12 bits, and some between.
const WIDTHS: [u8; 7] = [1, 2, 3, 4, 8, 12, 16];

/// Probes every Cell ever issued; only `live` may be accepted.
fn assert_only_live_accepted(heap: &Heap, issued: &[Cell], live: Cell) {
    for &cell in issued {
        let result = heap.get::<Str>(cell);
        if cell == live {
            assert!(result.is_ok(), "the live Cell {cell:?} must be accepted");
        } else {
            assert!(
                result.as_ref().is_err_and(AccessError::is_temporal),
                "stale {cell:?} was accepted (live is {live:?}): {result:?}"
            );
        }
    }
}

#[test]
fn without_sweeps_a_reused_slot_retires_and_no_stale_cell_is_ever_accepted() {
    for bits in WIDTHS {
        let mut heap = heap(bits);
        let max = GenBits::new(bits).unwrap().max_generation() as u64;
        let rounds = 4 * (max + 1) + 3; // more than 2^bits reuses
        let mut issued = Vec::new();
        let mut live = heap.alloc(Str::from("0")).unwrap();
        issued.push(live);
        for round in 1..rounds {
            let outcome = heap.free(live).unwrap();
            // Every slot serves exactly `max` allocations, then retires.
            let expected = if round % max == 0 {
                FreeOutcome::Retired
            } else {
                FreeOutcome::Recycled
            };
            assert_eq!(outcome, expected, "bits {bits}, round {round}");
            live = heap.alloc(Str::from(round.to_string().as_str())).unwrap();
            issued.push(live);
            // Everything at each retirement, a recent window otherwise:
            // O(rounds) probes per epoch instead of O(rounds^2).
            let probe_from = if outcome == FreeOutcome::Retired {
                0
            } else {
                issued.len().saturating_sub(8)
            };
            assert_only_live_accepted(&heap, &issued[probe_from..], live);
        }
        assert_only_live_accepted(&heap, &issued, live);
        let stats = heap.stats().total();
        assert_eq!(stats.retirements, (rounds - 1) / max, "bits {bits}");
        assert_eq!(stats.reclaimed, 0);
        assert_eq!(
            stats.slots,
            stats.retirements + 1,
            "one header kept per retirement"
        );
        let mut distinct = issued.clone();
        distinct.sort_by_key(|c| c.to_bits());
        distinct.dedup();
        assert_eq!(
            distinct.len(),
            issued.len(),
            "no Cell was ever minted twice"
        );
    }
}

#[test]
fn with_sweeps_one_slot_cycles_through_many_epochs_and_rooted_stale_cells_are_nulled() {
    for bits in WIDTHS {
        let mut heap = heap(bits);
        let max = GenBits::new(bits).unwrap().max_generation() as u64;
        let rounds = 4 * (max + 1) + 3;
        // Every Cell ever issued is a root; the sweep may null stale ones.
        let mut roots: Vec<Option<Cell>> = Vec::new();
        let mut live = heap.alloc(Str::from("x")).unwrap();
        let slot = live.slot();
        roots.push(Some(live));
        for round in 1..rounds {
            if heap.free(live).unwrap() == FreeOutcome::Retired {
                let report = heap.sweep(&mut roots);
                assert_eq!(report.reclaimed, 1);
                assert!(
                    report.nulled_roots >= 1,
                    "at least the Cell freed at max generation"
                );
            }
            live = heap.alloc(Str::from("x")).unwrap();
            assert_eq!(live.slot(), slot, "the same slot is reused across epochs");
            assert_eq!(u64::from(live.generation()), (round % max) + 1);
            // Probe every root ever issued at each epoch start and at the
            // end, the most recent ones on every round.
            let probe_from = if live.generation() == 1 {
                0
            } else {
                roots.len().saturating_sub(8)
            };
            for root in roots[probe_from..].iter().flatten() {
                assert!(
                    heap.check(*root).unwrap_err().is_temporal(),
                    "bits {bits}: {root:?} accepted"
                );
            }
            roots.push(Some(live));
        }
        let (stale, current) = roots.split_at(roots.len() - 1);
        for root in stale.iter().flatten() {
            assert!(
                heap.check(*root).unwrap_err().is_temporal(),
                "bits {bits}: {root:?} accepted"
            );
        }
        assert_eq!(current, [Some(live)]);
        assert!(heap.check(live).is_ok());
        let stats = heap.stats().total();
        assert_eq!(stats.retirements, (rounds - 1) / max);
        assert_eq!(stats.reclaimed, stats.retirements);
        assert_eq!(stats.slots, 1, "a swept heap keeps no extra headers");
    }
}

#[test]
fn sweeps_null_cells_inside_lists_and_map_values_but_never_live_ones() {
    let mut heap = heap(1);
    let keeper = heap.alloc(Str::from("alive")).unwrap();
    let doomed = heap.alloc(Str::from("doomed")).unwrap();
    let list = heap
        .alloc(List::from(vec![
            Value::Cell(doomed),
            Value::Cell(keeper),
            Value::I64(3),
        ]))
        .unwrap();
    let map = heap.alloc(Map::new()).unwrap();
    {
        let m = heap.get_mut::<Map>(map).unwrap();
        m.insert("d", Value::Cell(doomed)).unwrap();
        m.insert("k", Value::Cell(keeper)).unwrap();
    }
    assert_eq!(
        heap.free(doomed),
        Ok(FreeOutcome::Retired),
        "1 bit: one use per slot"
    );
    let report = heap.sweep(&mut ());
    assert_eq!(report.reclaimed, 1);
    assert_eq!(report.nulled_in_heap, 2);
    assert_eq!(
        heap.get::<List>(list).unwrap().as_slice(),
        &[Value::Null, Value::Cell(keeper), Value::I64(3)]
    );
    let m = heap.get::<Map>(map).unwrap();
    assert_eq!(m.get(&MapKey::from("d")), Some(Value::Null));
    assert_eq!(m.get(&MapKey::from("k")), Some(Value::Cell(keeper)));
    assert_eq!(heap.get::<Str>(keeper).unwrap().as_str(), "alive");
}

#[test]
fn sweeps_null_rooted_values_and_slices() {
    let mut heap = heap(1);
    let a = heap.alloc(List::from(vec![Value::I64(1)])).unwrap();
    let b = heap.alloc(List::from(vec![Value::I64(2)])).unwrap();
    let mut slices = vec![
        Some(heap.slice(a, 0, 1).unwrap()),
        Some(heap.slice(b, 0, 1).unwrap()),
    ];
    let mut values = vec![Value::Cell(a), Value::Cell(b), Value::F64(1.0)];
    heap.free(a).unwrap();
    let report = heap.sweep(&mut (&mut slices, &mut values));
    assert_eq!(report.nulled_roots, 2);
    assert_eq!(slices[0], None);
    assert!(slices[1].is_some());
    assert_eq!(values, vec![Value::Null, Value::Cell(b), Value::F64(1.0)]);
}

/// The embedder's side of the contract (docs/mep-41/arenas.md, "Sweep"):
/// every Cell held outside the heap must be passed as a root. A rooted
/// stale Cell is nulled; an unrooted one can name the slot's next occupant,
/// which is why the contract exists.
#[test]
fn a_sweep_requires_every_cell_held_outside_the_heap_to_be_a_root() {
    let mut heap = heap(1);
    let first = heap.alloc(Str::from("first")).unwrap();
    let mut rooted = vec![Some(first)];
    let unrooted = first;
    heap.free(first).unwrap();
    assert!(
        heap.check(unrooted).unwrap_err().is_temporal(),
        "refused while retired"
    );

    heap.sweep(&mut rooted);
    assert_eq!(rooted, vec![None], "the rooted copy is nulled");
    let second = heap.alloc(Str::from("second")).unwrap();
    assert_eq!(
        second, unrooted,
        "generation restarted: the same word was minted again"
    );
    assert_eq!(
        heap.get::<Str>(unrooted).unwrap().as_str(),
        "second",
        "an unrooted Cell kept across a sweep reaches the new object: the embedder must root it"
    );
}

#[test]
fn without_retirements_a_sweep_touches_nothing() {
    let mut heap = heap(24);
    let a = heap.alloc(Str::from("a")).unwrap();
    heap.free(a).unwrap();
    let mut roots = vec![Some(a)];
    assert_eq!(heap.sweep(&mut roots), Default::default());
    assert_eq!(
        roots,
        vec![Some(a)],
        "stale but not retired: left for the generation check"
    );
    assert!(heap.check(a).unwrap_err().is_temporal());
}

#[test]
fn retired_and_freed_are_reported_precisely() {
    let mut heap = heap(2); // generations 1..=3
    let mut cells = Vec::new();
    for _ in 0..3 {
        let c = heap.alloc(Str::from("s")).unwrap();
        cells.push(c);
        heap.free(c).unwrap();
    }
    assert!(matches!(
        heap.check(cells[2]),
        Err(AccessError::Retired { .. })
    ));
    assert!(matches!(
        heap.free(cells[2]),
        Err(AccessError::Retired { .. })
    ));
    assert!(matches!(
        heap.check(cells[0]),
        Err(AccessError::Retired { .. })
    ));
    let fresh = heap.alloc(Str::from("t")).unwrap();
    assert_ne!(fresh.slot(), cells[0].slot());
    heap.free(fresh).unwrap();
    assert!(matches!(heap.check(fresh), Err(AccessError::Freed { .. })));
}
