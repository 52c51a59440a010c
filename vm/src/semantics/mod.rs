//! WebAssembly's numeric semantics, exactly as the Wasm 2.0 core spec
//! defines them (numeric instructions, no SIMD).
//!
//! One small pure function per instruction, named after the mnemonic with
//! `.` replaced by `_` (`i32.add` is [`i32_add`], `i32.trunc_f64_s` is
//! [`i32_trunc_f64_s`]). Values are Rust primitives: `i32`, `i64`, `f32`,
//! `f64`; unsigned instructions take the signed type and reinterpret it.
//! Comparisons and `eqz` return `bool`; instructions that can trap return
//! `Result<_, NumTrap>`.
//!
//! - [`int`]: integer arithmetic, bitwise ops, shifts, counts, comparisons
//!   and in-place sign extension.
//! - [`float`]: float arithmetic, `min`/`max`, sign-bit ops, rounding and
//!   comparisons.
//! - [`convert`]: wrap, extend, truncations (trapping and saturating),
//!   int-to-float conversions, demote/promote and reinterpretations.
//!
//! Every function is re-exported here, so `semantics::i32_add` and
//! `semantics::int::i32_add` name the same thing.
//!
//! NaN results: sign-bit operations (`abs`, `neg`, `copysign`) are
//! bit-exact; `min`, `max` and the rounding operations return their NaN
//! operand with the quiet bit set; the other arithmetic returns what the
//! host's IEEE 754 arithmetic returns, which is a quiet NaN as the spec
//! requires (canonical when no operand is a NaN).

pub mod convert;
pub mod float;
pub mod int;

pub use convert::*;
pub use float::*;
pub use int::*;

/// A trap raised by a numeric instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumTrap {
    /// `div`/`rem` with a zero divisor.
    IntegerDivideByZero,
    /// `div_s` of the minimum value by -1, or a trapping truncation whose
    /// result is out of range.
    IntegerOverflow,
    /// A trapping truncation of a NaN.
    InvalidConversion,
}

impl NumTrap {
    /// The trap message the spec test suite expects.
    #[must_use]
    pub fn message(self) -> &'static str {
        match self {
            NumTrap::IntegerDivideByZero => "integer divide by zero",
            NumTrap::IntegerOverflow => "integer overflow",
            NumTrap::InvalidConversion => "invalid conversion to integer",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::NumTrap;

    #[test]
    fn trap_messages_are_the_spec_ones() {
        assert_eq!(
            NumTrap::IntegerDivideByZero.message(),
            "integer divide by zero"
        );
        assert_eq!(NumTrap::IntegerOverflow.message(), "integer overflow");
        assert_eq!(
            NumTrap::InvalidConversion.message(),
            "invalid conversion to integer"
        );
    }

    #[test]
    fn reexports_reach_every_submodule() {
        assert_eq!(super::i32_add(1, 2), 3);
        assert_eq!(super::f64_neg(1.0), -1.0);
        assert_eq!(super::i64_extend_i32_u(-1), 0xffff_ffff);
    }
}
