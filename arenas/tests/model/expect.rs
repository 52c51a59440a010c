//! Expectations: the model's predictions and how heap results are checked
//! against them.

use std::fmt::Debug;

use arenavm_arenas::AccessError;
use proptest::prelude::*;
use proptest::test_runner::TestCaseResult;

/// Why the model says an operation must be refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// An object involved is dead: the heap must refuse with a temporal error.
    Dead,
    /// Every object involved is live but the request is invalid (bounds,
    /// characters, UTF-8, element size, copy table, arena): the heap must
    /// refuse with a non-temporal error.
    Invalid,
}

/// The model's prediction for one operation.
pub(crate) type Expected<T> = Result<T, Refusal>;

/// Checks a heap result against the model's prediction: the same value on
/// success, or a refusal of the predicted class. Accepting what the model
/// refuses (a stale handle, say) is the failure this test exists to find.
pub(crate) fn agree<T: PartialEq + Debug>(
    what: &str,
    actual: &Result<T, AccessError>,
    expected: &Expected<T>,
) -> TestCaseResult {
    let agrees = match (actual, expected) {
        (Ok(got), Ok(want)) => got == want,
        (Err(e), Err(Refusal::Dead)) => e.is_temporal(),
        (Err(e), Err(Refusal::Invalid)) => !e.is_temporal(),
        _ => false,
    };
    prop_assert!(
        agrees,
        "{}: the heap gave {:?}, the model expects {:?}",
        what,
        actual,
        expected
    );
    Ok(())
}
