//! The interpreter never panics on a verified program, and the verifier
//! never panics at all.
//!
//! 1. `random_well_typed_programs_run_without_panicking`: random programs
//!    that are well typed by construction (random instruction sequences
//!    drawn from every pure opcode of the table plus constants, moves,
//!    branches, branch tables, calls, tail calls, globals and every memory
//!    instruction on two small memories, over a few registers of each
//!    scalar type, with random but valid labels) must pass `verify`, and
//!    every function, invoked with fuel (so loops end) and a call depth
//!    limit, must return results of its signature's types or trap with a
//!    kind a scalar program can raise. Running the same invocations on a
//!    second instance must give bit-identical outcomes.
//! 2. `random_instruction_soup_fails_verification_or_runs`: random,
//!    mostly ill-typed programs (any register in any operand, indices that
//!    may not exist, labels that may be undefined or duplicated, parameter
//!    declarations that may not match) either fail verification with an
//!    error or run without panicking.
//!
//! The soup may bind a label after the last instruction; the verifier
//! must reject that (a jump there once ran the interpreter off the end of
//! its code; see `a_jump_past_the_last_instruction_is_rejected`).

#[path = "../common/mod.rs"]
mod common;

mod run;
mod soup;
mod templates;
mod values;
mod well_typed;

use arenavm_vm::exec::{Instance, InvokeError};
use arenavm_vm::program::Val;
use arenavm_vm::types::ScalarType as S;
use arenavm_vm::verify;
use proptest::collection::vec;
use proptest::prelude::*;
use run::{CONFIG, SCALAR_TRAPS, run_all};
use soup::{soup_fn, soup_program};
use values::{types_of, value};
use well_typed::{fn_spec, typed_program};

/// Both properties: 2048 cases, no failure files.
fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 2048,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn random_well_typed_programs_run_without_panicking(specs in vec(fn_spec(), 1..=4)) {
        let program = typed_program(&specs);
        let v = match verify(&program) {
            Ok(v) => v,
            Err(e) => return Err(TestCaseError::fail(format!("generated program rejected: {e}"))),
        };
        let args: Vec<Vec<Val>> = specs
            .iter()
            .map(|s| {
                types_of(&s.params)
                    .iter()
                    .enumerate()
                    .map(|(i, &ty)| value(ty, s.args.rotate_left(11 * i as u32), specs.len()))
                    .collect()
            })
            .collect();
        let results: Vec<Vec<S>> = specs.iter().map(|s| types_of(&s.results)).collect();
        let first = run_all(&v, &args, &results)?;
        let second = run_all(&v, &args, &results)?;
        prop_assert_eq!(first, second, "the same invocations on a fresh instance agree");
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn random_instruction_soup_fails_verification_or_runs(
        fns in vec(soup_fn(), 1..=3),
        memories in vec((0u8..=2, 0u8..=30), 1..=2),
    ) {
        let program = soup_program(&fns, &memories);
        let Ok(v) = verify(&program) else {
            // Rejected with an error: that is all this property asks.
            return Ok(());
        };
        let mut instance = Instance::new(&v, Default::default()).expect("small memories");
        for (k, s) in fns.iter().enumerate() {
            let args: Vec<Val> = types_of(&s.params)
                .iter()
                .enumerate()
                .map(|(i, &ty)| value(ty, s.args.rotate_left(13 * i as u32), fns.len()))
                .collect();
            match instance.invoke(k as u32, &args, &CONFIG) {
                Ok(values) => prop_assert_eq!(values.len(), s.results.len()),
                Err(InvokeError::Trap(trap)) => {
                    prop_assert!(SCALAR_TRAPS.contains(&trap.kind), "unexpected trap {}", trap);
                }
                Err(InvokeError::Invalid(m)) => {
                    return Err(TestCaseError::fail(format!("invalid invocation: {m}")));
                }
            }
        }
    }
}
