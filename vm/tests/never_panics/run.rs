//! Running helpers: the execution limits, the traps a scalar program can
//! raise, and invoking every function of a verified program.

use crate::common::same;
use arenavm_vm::exec::{ExecConfig, Instance, InvokeError, TrapKind};
use arenavm_vm::program::Val;
use arenavm_vm::types::ScalarType as S;
use proptest::prelude::*;

/// Trap kinds a program of scalars and memories can raise.
pub(crate) const SCALAR_TRAPS: [TrapKind; 7] = [
    TrapKind::Unreachable,
    TrapKind::IntegerDivideByZero,
    TrapKind::IntegerOverflow,
    TrapKind::InvalidConversion,
    TrapKind::OutOfBounds,
    TrapKind::CallStackExhausted,
    TrapKind::OutOfFuel,
];

pub(crate) const CONFIG: ExecConfig = ExecConfig {
    fuel: Some(3_000),
    max_call_depth: 12,
};

/// What one invocation did, comparable bit for bit.
#[derive(Debug)]
pub(crate) enum Outcome {
    Returned(Vec<Val>),
    Trapped(arenavm_vm::exec::Trap),
}

impl PartialEq for Outcome {
    fn eq(&self, other: &Outcome) -> bool {
        match (self, other) {
            (Outcome::Returned(a), Outcome::Returned(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(*x, *y))
            }
            (Outcome::Trapped(a), Outcome::Trapped(b)) => a == b,
            _ => false,
        }
    }
}

/// Invokes every function in turn on one instance; checks each outcome.
pub(crate) fn run_all(
    v: &arenavm_vm::VerifiedProgram,
    args: &[Vec<Val>],
    results: &[Vec<S>],
) -> Result<Vec<Outcome>, TestCaseError> {
    let mut instance = Instance::new(v, Default::default()).expect("instance");
    let mut outcomes = Vec::new();
    for (k, args) in args.iter().enumerate() {
        match instance.invoke(k as u32, args, &CONFIG) {
            Ok(values) => {
                let types: Vec<S> = values.iter().map(|v| v.ty()).collect();
                prop_assert_eq!(
                    &types,
                    &results[k],
                    "results of f{} have its signature's types",
                    k
                );
                outcomes.push(Outcome::Returned(values));
            }
            Err(InvokeError::Trap(trap)) => {
                prop_assert!(
                    SCALAR_TRAPS.contains(&trap.kind),
                    "unexpected trap {}",
                    trap
                );
                outcomes.push(Outcome::Trapped(trap));
            }
            Err(InvokeError::Invalid(m)) => {
                return Err(TestCaseError::fail(format!(
                    "invalid invocation of f{k}: {m}"
                )));
            }
        }
    }
    Ok(outcomes)
}
