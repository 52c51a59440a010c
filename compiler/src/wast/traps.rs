//! Matching a script's expected trap message against the kind of trap
//! that happened. The spec's reference interpreter has its own words; an
//! assertion passes when our trap is of a kind those words describe.

use crate::embed::TrapKind;

/// The trap kinds the spec message `expected` describes, or `None` for a
/// message this runner does not know (so the assertion fails visibly
/// instead of passing on any trap).
pub fn kinds_for(expected: &str) -> Option<&'static [TrapKind]> {
    use TrapKind::*;
    // Longest, most specific phrases first: "out of bounds table access"
    // before "out of bounds".
    const TABLE: &[(&str, &[TrapKind])] = &[
        ("out of bounds memory access", &[OutOfBounds]),
        ("out of bounds table access", &[OutOfBounds]),
        ("undefined element", &[OutOfBounds, NullElement]),
        ("uninitialized element", &[NullElement]),
        ("uninitialized", &[NullElement]),
        (
            "indirect call type mismatch",
            &[IndirectCallSignatureMismatch],
        ),
        (
            "indirect call signature mismatch",
            &[IndirectCallSignatureMismatch],
        ),
        ("integer divide by zero", &[IntegerDivideByZero]),
        ("integer overflow", &[IntegerOverflow]),
        ("invalid conversion to integer", &[InvalidConversion]),
        ("unreachable", &[Unreachable]),
        ("call stack exhausted", &[CallStackExhausted]),
        ("stack overflow", &[CallStackExhausted]),
        ("null function reference", &[NullElement]),
        // Older proposal scripts abbreviate.
        ("undefined", &[OutOfBounds, NullElement]),
        ("indirect call", &[IndirectCallSignatureMismatch]),
        ("null reference", &[NullElement]),
        ("out of bounds", &[OutOfBounds]),
        ("out of fuel", &[OutOfFuel]),
    ];
    TABLE
        .iter()
        .find(|(phrase, _)| expected.starts_with(phrase))
        .map(|(_, kinds)| *kinds)
}

/// Whether a trap of `kind` is what `expected` describes; the error says
/// why not.
pub fn check(kind: TrapKind, expected: &str) -> Result<(), String> {
    match kinds_for(expected) {
        Some(kinds) if kinds.contains(&kind) => Ok(()),
        Some(_) => Err(format!(
            "expected a trap \"{expected}\", got \"{}\"",
            kind.message()
        )),
        None => Err(format!(
            "expected a trap \"{expected}\", which this runner does not know; got \"{}\"",
            kind.message()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_messages_map_to_kinds() {
        let cases = [
            ("out of bounds memory access", TrapKind::OutOfBounds),
            ("out of bounds table access", TrapKind::OutOfBounds),
            ("undefined element", TrapKind::OutOfBounds),
            ("uninitialized element 2", TrapKind::NullElement),
            (
                "indirect call type mismatch",
                TrapKind::IndirectCallSignatureMismatch,
            ),
            ("integer divide by zero", TrapKind::IntegerDivideByZero),
            ("integer overflow", TrapKind::IntegerOverflow),
            ("invalid conversion to integer", TrapKind::InvalidConversion),
            ("unreachable executed", TrapKind::Unreachable),
            ("call stack exhausted", TrapKind::CallStackExhausted),
            ("undefined", TrapKind::OutOfBounds),
            ("indirect call", TrapKind::IndirectCallSignatureMismatch),
        ];
        for (message, kind) in cases {
            assert_eq!(check(kind, message), Ok(()), "{message}");
        }
    }

    #[test]
    fn other_kinds_and_unknown_messages_fail() {
        let e = check(TrapKind::Unreachable, "integer overflow").unwrap_err();
        assert_eq!(
            e,
            "expected a trap \"integer overflow\", got \"unreachable\""
        );
        assert!(check(TrapKind::OutOfBounds, "uninitialized element").is_err());
        assert!(check(TrapKind::Unreachable, "something new").is_err());
    }
}
