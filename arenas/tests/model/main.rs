//! Model test of the heap against a reference with unbounded generations.
//!
//! Random programs of allocations, frees (double and stale ones included),
//! churns of short-lived temporaries, element reads, wrong-arena accesses,
//! slices and subslices, slice reads and writes, bulk copies between any two
//! spans (whole objects or slices, any pair of arenas), pushes, pops and
//! inserts (of Cells too) into lists, arrays and maps, and sweeps run against
//! a [`Heap`] and against a model in which every allocation is a fresh object
//! that is never reused. In the model a handle is valid exactly while the
//! object it was minted for is live; the heap must agree although its slots
//! are reused, retired and reclaimed.
//!
//! After every step [`Harness::check_state`] checks that:
//! - every held handle is accepted iff its model object is live, and then
//!   reads back exactly the model's contents and length; a refusal for a
//!   dead object is temporal ([`AccessError::is_temporal`]), so a stale
//!   handle is never accepted;
//! - every held slice reads back the model's window of its object, or is
//!   refused as the model says;
//! - every Cell stored in a live list or map is accepted iff its object is live;
//! - the heap's live-object count equals the model's.
//!
//! Each operation also compares its own result with the model's prediction
//! (see [`agree`]). A refused operation changes nothing in the model, so the
//! full check after it proves the heap is all-or-nothing as well. Copies are
//! compared with [`Harness::reference_copy`], a deliberately simple
//! reimplementation of the conversions. Sweeps are checked only for
//! properties (whatever they null named a dead object; the report counts what
//! was nulled), never for the exact set they null, which depends on slot
//! retirement internals.
//!
//! The properties run at generation widths 1, 2, 3, 12 and 24 bits; at the
//! narrow widths slots retire and are reclaimed many times per program, which
//! [`generated_programs_reach_retirement_reclamation_and_every_copy_path`]
//! proves for the generated op mix.
//!
//! [`Harness::check_state`]: harness::Harness::check_state
//! [`AccessError::is_temporal`]: arenavm_arenas::AccessError::is_temporal
//! [`agree`]: expect::agree
//! [`Harness::reference_copy`]: harness::Harness::reference_copy

use arenavm_arenas::{ArenaTag, COPY_TABLE, Heap, List, Value, copy_rule};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;

/// Longest generated program.
const MAX_OPS: usize = 200;
/// Most allocations a program starts with.
const PROLOGUE: usize = 21;
/// Programs per generation width: about 1.5 s of a debug build per width.
const CASES: u32 = 96;
/// Programs the coverage sanity test runs at each width.
const SANITY_PROGRAMS: usize = 40;
/// The generation widths the properties run at (one test each).
const WIDTHS: [u8; 5] = [1, 2, 3, 12, 24];

// The macros come before the modules, which see them by textual scope; they
// name the heap's types by full path so that no module must import them.

/// Runs `$body` with the type alias `$E` naming the element type of a list
/// or array arena; evaluates `$other` for every other arena.
macro_rules! with_element {
    ($tag:expr, |$E:ident| $body:expr, else $other:expr) => {
        match $tag {
            ::arenavm_arenas::ArenaTag::List => {
                type $E = ::arenavm_arenas::Value;
                $body
            }
            ::arenavm_arenas::ArenaTag::I64Array => {
                type $E = i64;
                $body
            }
            ::arenavm_arenas::ArenaTag::F64Array => {
                type $E = f64;
                $body
            }
            ::arenavm_arenas::ArenaTag::U8Array => {
                type $E = u8;
                $body
            }
            _ => $other,
        }
    };
}

/// Runs `$body` with the type alias `$T` naming the object type of a
/// sequence arena; evaluates `$map` for maps.
macro_rules! with_sequence {
    ($tag:expr, |$T:ident| $body:expr, map => $map:expr) => {
        match $tag {
            ::arenavm_arenas::ArenaTag::Bytes => {
                type $T = ::arenavm_arenas::Bytes;
                $body
            }
            ::arenavm_arenas::ArenaTag::Str => {
                type $T = ::arenavm_arenas::Str;
                $body
            }
            ::arenavm_arenas::ArenaTag::List => {
                type $T = ::arenavm_arenas::List;
                $body
            }
            ::arenavm_arenas::ArenaTag::I64Array => {
                type $T = ::arenavm_arenas::I64Array;
                $body
            }
            ::arenavm_arenas::ArenaTag::F64Array => {
                type $T = ::arenavm_arenas::F64Array;
                $body
            }
            ::arenavm_arenas::ArenaTag::U8Array => {
                type $T = ::arenavm_arenas::U8Array;
                $body
            }
            ::arenavm_arenas::ArenaTag::Map => $map,
        }
    };
}

mod contents;
mod expect;
mod harness;
mod observe;
mod program;
mod strategy;
mod words;

use contents::reference_conversion;
use harness::{Coverage, Event, run_program};
use strategy::program;

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    /// Every slot retires at its first free: reclamation on every sweep.
    #[test]
    fn heap_matches_model_with_1_generation_bit(ops in program()) {
        run_program(1, &ops)?;
    }

    #[test]
    fn heap_matches_model_with_2_generation_bits(ops in program()) {
        run_program(2, &ops)?;
    }

    #[test]
    fn heap_matches_model_with_3_generation_bits(ops in program()) {
        run_program(3, &ops)?;
    }

    /// Retirement is rare; recycling through the free list dominates.
    #[test]
    fn heap_matches_model_with_12_generation_bits(ops in program()) {
        run_program(12, &ops)?;
    }

    /// The default width: no slot ever retires within a program.
    #[test]
    fn heap_matches_model_with_24_generation_bits(ops in program()) {
        run_program(24, &ops)?;
    }
}

/// The generated programs reach the paths the properties are about. At
/// each narrow width (1 to 3 bits) slots retire and are reclaimed, as
/// [`HeapStats`](arenavm_arenas::HeapStats) counts them; over all widths,
/// sweeps null roots and stored Cells, frees are refused, every pair of
/// [`COPY_TABLE`] copies successfully, and copies are refused for every
/// reason the heap has.
#[test]
fn generated_programs_reach_retirement_reclamation_and_every_copy_path() {
    let mut runner = TestRunner::deterministic();
    let strategy = program();
    let mut coverage = Coverage::default();
    for bits in WIDTHS {
        let (mut retirements, mut reclaimed) = (0, 0);
        for _ in 0..SANITY_PROGRAMS {
            let ops = strategy.new_tree(&mut runner).expect("a program").current();
            let harness = run_program(bits, &ops).unwrap_or_else(|e| panic!("{e}"));
            let total = harness.heap.stats().total();
            retirements += total.retirements;
            reclaimed += total.reclaimed;
            for (event, times) in harness.coverage.0 {
                coverage.record(event, times);
            }
        }
        if bits <= 3 {
            assert!(retirements > 0, "no slot retired at {bits} bits");
            assert!(
                reclaimed > 0,
                "no retired slot was reclaimed at {bits} bits"
            );
        }
    }
    let events = [
        Event::RefusedFree,
        Event::CopiedWithin,
        Event::CellStored,
        Event::RootNulled,
        Event::StoredCellNulled,
    ];
    let copies = COPY_TABLE
        .iter()
        .map(|rule| Event::Copied(rule.from, rule.to));
    let refusals = [
        "unsupported copy",
        "out of bounds",
        "invalid utf-8",
        "not a char boundary",
        "partial element",
        "freed",
        "stale handle",
        "retired",
    ]
    .map(Event::CopyRefused);
    for event in events.into_iter().chain(copies).chain(refusals) {
        assert!(
            coverage.count(event) > 0,
            "never reached {event:?}: {coverage:?}"
        );
    }
}

/// The model's independent copy table is exactly [`COPY_TABLE`], which
/// lists no pair twice.
#[test]
fn reference_conversions_match_copy_table() {
    for from in ArenaTag::ALL {
        for to in ArenaTag::ALL {
            let heap_rule = copy_rule(from, to).map(|rule| rule.conversion);
            assert_eq!(heap_rule, reference_conversion(from, to), "{from} -> {to}");
        }
    }
    let pairs: std::collections::BTreeSet<_> = COPY_TABLE.iter().map(|r| (r.from, r.to)).collect();
    assert_eq!(
        pairs.len(),
        COPY_TABLE.len(),
        "COPY_TABLE lists a pair twice"
    );
}

/// Regression: `Heap::subslice` once checked the requested window before
/// the parent's liveness, so a subslice of a freed object was refused as
/// out of bounds instead of as freed. Every access reports a dead handle
/// first; the model properties found this case.
#[test]
fn subslice_of_a_freed_object_is_refused_as_temporal() {
    let mut heap = Heap::default();
    let list = heap.alloc(List::from(vec![Value::Null; 4])).unwrap();
    let slice = heap.slice(list, 1, 2).unwrap();
    heap.free(list).unwrap();
    assert!(heap.subslice(&slice, 0, 1).unwrap_err().is_temporal());
    let out_of_window = heap.subslice(&slice, 1, 2).unwrap_err();
    assert!(
        out_of_window.is_temporal(),
        "a dead slice was refused with {out_of_window:?}"
    );
}
