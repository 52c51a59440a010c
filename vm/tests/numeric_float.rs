//! Float instructions through the interpreter, against the values of the
//! WebAssembly spec (`f32.wast`, `f64.wast`, `float_misc.wast`,
//! `float_exprs.wast`): arithmetic with correct rounding, signed zeros and
//! infinities, `min`/`max`, the bit-exact sign operations, rounding,
//! square root, comparisons, and NaN propagation.
//!
//! Results are compared bit for bit (so `-0.0` differs from `+0.0` and NaN
//! payloads count). Where the spec allows several NaNs the result is
//! checked for the class the spec requires: `nan:canonical` when every NaN
//! operand is canonical (or no operand is a NaN), `nan:arithmetic`
//! otherwise.

#[macro_use]
mod common;

use arenavm_vm::program::Val::{self, F32, F64, I32};
use arenavm_vm::types::ScalarType as S;
use common::*;

const F32_INF: f32 = f32::INFINITY;
const F32_NEG_INF: f32 = f32::NEG_INFINITY;
const F64_INF: f64 = f64::INFINITY;
const F64_NEG_INF: f64 = f64::NEG_INFINITY;

// NaN bit patterns, written out.
const F32_NAN: u32 = 0x7fc0_0000; // canonical
const F32_NEG_NAN: u32 = 0xffc0_0000; // canonical, negative
const F32_QNAN_PAYLOAD: u32 = 0x7fc0_1234; // quiet, not canonical
const F32_SNAN: u32 = 0x7fa0_1234; // signalling
const F64_NAN: u64 = 0x7ff8_0000_0000_0000;
const F64_NEG_NAN: u64 = 0xfff8_0000_0000_0000;
const F64_QNAN_PAYLOAD: u64 = 0x7ff8_0000_0000_1234;
const F64_SNAN: u64 = 0x7ff4_0000_0000_1234;

fn neg_zero32() -> Val {
    f32b(0x8000_0000)
}

fn neg_zero64() -> Val {
    f64b(0x8000_0000_0000_0000)
}

// ---------------------------------------------------------------- f32

#[test]
fn f32_add_rounds_to_nearest_even() {
    bin_table(
        bin!(F32Add),
        &[
            (F32(1.5), F32(2.25), F32(3.75)),
            (neg_zero32(), neg_zero32(), neg_zero32()),
            (neg_zero32(), F32(0.0), F32(0.0)),
            (F32(0.0), neg_zero32(), F32(0.0)),
            (F32(1.0), F32(-1.0), F32(0.0)),
            (f32b(1), f32b(1), f32b(2)),
            (F32(16_777_216.0), F32(1.0), F32(16_777_216.0)),
            // 1 + 2^-24 is a tie between 1 and 1 + 2^-23: to even, 1.
            (F32(1.0), f32b(0x3380_0000), F32(1.0)),
            (F32(1.0), f32b(0x3380_0001), f32b(0x3f80_0001)),
            (F32(f32::MAX), F32(f32::MAX), F32(F32_INF)),
            (F32(F32_INF), F32(1.0), F32(F32_INF)),
            (F32(F32_NEG_INF), F32(-1.0), F32(F32_NEG_INF)),
        ],
    );
}

#[test]
fn f32_sub_mul_div() {
    bin_table(
        bin!(F32Sub),
        &[
            (F32(1.0), F32(3.0), F32(-2.0)),
            (F32(0.0), F32(0.0), F32(0.0)),
            (neg_zero32(), F32(0.0), neg_zero32()),
            (F32(0.0), neg_zero32(), F32(0.0)),
            (neg_zero32(), neg_zero32(), F32(0.0)),
            (F32(1.0), f32b(0x3380_0000), f32b(0x3f7f_ffff)),
            // 1 - 2^-25 is a tie between 1 - 2^-24 and 1: to even, 1.
            (F32(1.0), f32b(0x3300_0000), F32(1.0)),
            (F32(F32_NEG_INF), F32(f32::MAX), F32(F32_NEG_INF)),
        ],
    );
    bin_table(
        bin!(F32Mul),
        &[
            (F32(-1.5), F32(4.0), F32(-6.0)),
            (neg_zero32(), F32(1.0), neg_zero32()),
            (neg_zero32(), F32(-1.0), F32(0.0)),
            (f32b(0x0080_0000), F32(0.5), f32b(0x0040_0000)),
            // Half the smallest subnormal is a tie: to even, +0.
            (f32b(1), F32(0.5), F32(0.0)),
            (F32(f32::MAX), F32(2.0), F32(F32_INF)),
            (F32(3.0), f32b(0x3eaa_aaab), F32(1.0)),
            (F32(F32_INF), F32(-2.0), F32(F32_NEG_INF)),
        ],
    );
    bin_table(
        bin!(F32Div),
        &[
            (F32(1.0), F32(4.0), F32(0.25)),
            (F32(1.0), F32(3.0), f32b(0x3eaa_aaab)),
            (F32(1.0), F32(0.0), F32(F32_INF)),
            (F32(1.0), neg_zero32(), F32(F32_NEG_INF)),
            (F32(-1.0), F32(0.0), F32(F32_NEG_INF)),
            (f32b(0x0080_0000), F32(2.0), f32b(0x0040_0000)),
            (F32(f32::MAX), F32(0.5), F32(F32_INF)),
            (F32(1.0), F32(F32_INF), F32(0.0)),
            (F32(-1.0), F32(F32_INF), neg_zero32()),
        ],
    );
}

#[test]
fn f32_sqrt() {
    un_table(
        un!(F32Sqrt),
        &[
            (F32(4.0), F32(2.0)),
            (F32(0.25), F32(0.5)),
            (F32(2.0), f32b(0x3fb5_04f3)),
            (F32(0.0), F32(0.0)),
            (neg_zero32(), neg_zero32()),
            (F32(F32_INF), F32(F32_INF)),
            (f32b(1), f32b(0x1a35_04f3)),
        ],
    );
    let op = OneOp::un(un!(F32Sqrt), S::F32, S::F32);
    op.gives_nan(&[F32(-1.0)], is_canonical_nan, "canonical");
    op.gives_nan(&[F32(F32_NEG_INF)], is_canonical_nan, "canonical");
    op.gives_nan(&[f32b(0x8000_0001)], is_canonical_nan, "canonical");
}

#[test]
fn f32_min_max_order_signed_zeros() {
    bin_table(
        bin!(F32Min),
        &[
            (neg_zero32(), F32(0.0), neg_zero32()),
            (F32(0.0), neg_zero32(), neg_zero32()),
            (neg_zero32(), neg_zero32(), neg_zero32()),
            (F32(0.0), F32(0.0), F32(0.0)),
            (F32(1.0), F32(-2.0), F32(-2.0)),
            (F32(F32_NEG_INF), F32(0.0), F32(F32_NEG_INF)),
            (F32(F32_INF), F32(f32::MAX), F32(f32::MAX)),
            (f32b(1), F32(0.0), F32(0.0)),
            (f32b(0x8000_0001), F32(0.0), f32b(0x8000_0001)),
        ],
    );
    bin_table(
        bin!(F32Max),
        &[
            (neg_zero32(), F32(0.0), F32(0.0)),
            (F32(0.0), neg_zero32(), F32(0.0)),
            (neg_zero32(), neg_zero32(), neg_zero32()),
            (F32(1.0), F32(-2.0), F32(1.0)),
            (F32(F32_INF), F32(0.0), F32(F32_INF)),
            (F32(F32_NEG_INF), F32(-f32::MAX), F32(-f32::MAX)),
            (f32b(1), F32(0.0), f32b(1)),
        ],
    );
}

#[test]
fn f32_sign_operations_are_bit_exact() {
    bin_table(
        bin!(F32Copysign),
        &[
            (F32(1.5), neg_zero32(), F32(-1.5)),
            (F32(-1.5), F32(0.0), F32(1.5)),
            (F32(0.0), neg_zero32(), neg_zero32()),
            (neg_zero32(), F32(0.0), F32(0.0)),
            (F32(F32_INF), F32(-1.0), F32(F32_NEG_INF)),
            (F32(F32_NEG_INF), F32(1.0), F32(F32_INF)),
            (F32(2.0), f32b(F32_NEG_NAN), F32(-2.0)),
            (F32(-2.0), f32b(F32_NAN), F32(2.0)),
            (f32b(F32_SNAN), F32(-1.0), f32b(0xffa0_1234)),
            (f32b(0xffa0_1234), F32(F32_INF), f32b(F32_SNAN)),
            (f32b(F32_QNAN_PAYLOAD), neg_zero32(), f32b(0xffc0_1234)),
        ],
    );
    un_table(
        un!(F32Abs),
        &[
            (F32(-1.5), F32(1.5)),
            (neg_zero32(), F32(0.0)),
            (F32(0.0), F32(0.0)),
            (F32(F32_NEG_INF), F32(F32_INF)),
            (f32b(0xffa0_1234), f32b(F32_SNAN)),
            (f32b(F32_SNAN), f32b(F32_SNAN)),
            (f32b(F32_NEG_NAN), f32b(F32_NAN)),
            (f32b(0x8000_0001), f32b(1)),
        ],
    );
    un_table(
        un!(F32Neg),
        &[
            (F32(1.5), F32(-1.5)),
            (F32(0.0), neg_zero32()),
            (neg_zero32(), F32(0.0)),
            (F32(F32_INF), F32(F32_NEG_INF)),
            (f32b(F32_SNAN), f32b(0xffa0_1234)),
            (f32b(F32_NEG_NAN), f32b(F32_NAN)),
            (f32b(F32_QNAN_PAYLOAD), f32b(0xffc0_1234)),
            (f32b(1), f32b(0x8000_0001)),
        ],
    );
}

#[test]
fn f32_rounding() {
    un_table(
        un!(F32Ceil),
        &[
            (F32(0.0), F32(0.0)),
            (neg_zero32(), neg_zero32()),
            (f32b(1), F32(1.0)),
            (f32b(0x8000_0001), neg_zero32()),
            (F32(0.5), F32(1.0)),
            (F32(-0.5), neg_zero32()),
            (F32(1.0), F32(1.0)),
            (F32(1.5), F32(2.0)),
            (F32(-1.5), F32(-1.0)),
            (F32(8_388_607.5), F32(8_388_608.0)),
            (F32(f32::MAX), F32(f32::MAX)),
            (F32(F32_INF), F32(F32_INF)),
            (F32(F32_NEG_INF), F32(F32_NEG_INF)),
        ],
    );
    un_table(
        un!(F32Floor),
        &[
            (F32(0.5), F32(0.0)),
            (F32(-0.5), F32(-1.0)),
            (neg_zero32(), neg_zero32()),
            (f32b(1), F32(0.0)),
            (f32b(0x8000_0001), F32(-1.0)),
            (F32(1.5), F32(1.0)),
            (F32(-1.5), F32(-2.0)),
            (F32(-8_388_607.5), F32(-8_388_608.0)),
            (F32(F32_NEG_INF), F32(F32_NEG_INF)),
        ],
    );
    un_table(
        un!(F32Trunc),
        &[
            (F32(0.5), F32(0.0)),
            (F32(-0.5), neg_zero32()),
            (F32(1.9), F32(1.0)),
            (F32(-1.9), F32(-1.0)),
            (f32b(0x8000_0001), neg_zero32()),
            (F32(8_388_607.5), F32(8_388_607.0)),
            (F32(-8_388_607.5), F32(-8_388_607.0)),
            (F32(F32_INF), F32(F32_INF)),
        ],
    );
}

#[test]
fn f32_nearest_ties_to_even() {
    un_table(
        un!(F32Nearest),
        &[
            (F32(0.0), F32(0.0)),
            (neg_zero32(), neg_zero32()),
            (F32(0.5), F32(0.0)),
            (F32(1.5), F32(2.0)),
            (F32(2.5), F32(2.0)),
            (F32(3.5), F32(4.0)),
            (F32(4.5), F32(4.0)),
            (F32(-0.5), neg_zero32()),
            (F32(-1.5), F32(-2.0)),
            (F32(-2.5), F32(-2.0)),
            (F32(-3.5), F32(-4.0)),
            (F32(1.4), F32(1.0)),
            (F32(-1.6), F32(-2.0)),
            // The largest float below 0.5 rounds down (x + 0.5 would not).
            (f32b(0x3eff_ffff), F32(0.0)),
            // 2^23 + 1 is already integral.
            (F32(8_388_609.0), F32(8_388_609.0)),
            (F32(-8_388_609.0), F32(-8_388_609.0)),
            (f32b(1), F32(0.0)),
            (f32b(0x8000_0001), neg_zero32()),
            (F32(F32_INF), F32(F32_INF)),
            (F32(F32_NEG_INF), F32(F32_NEG_INF)),
        ],
    );
}

// ---------------------------------------------------------------- f64

#[test]
fn f64_arithmetic() {
    bin_table(
        bin!(F64Add),
        &[
            (F64(0.1), F64(0.2), f64b(0x3fd3_3333_3333_3334)),
            (neg_zero64(), neg_zero64(), neg_zero64()),
            (neg_zero64(), F64(0.0), F64(0.0)),
            (F64(1.0), F64(-1.0), F64(0.0)),
            (f64b(1), f64b(1), f64b(2)),
            (
                F64(9_007_199_254_740_992.0),
                F64(1.0),
                F64(9_007_199_254_740_992.0),
            ),
            (F64(1.0), f64b(0x3ca0_0000_0000_0000), F64(1.0)),
            (
                F64(1.0),
                f64b(0x3ca0_0000_0000_0001),
                f64b(0x3ff0_0000_0000_0001),
            ),
            (F64(f64::MAX), F64(f64::MAX), F64(F64_INF)),
        ],
    );
    bin_table(
        bin!(F64Sub),
        &[
            (F64(1.0), F64(3.0), F64(-2.0)),
            (neg_zero64(), F64(0.0), neg_zero64()),
            (neg_zero64(), neg_zero64(), F64(0.0)),
            (
                F64(1.0),
                f64b(0x3ca0_0000_0000_0000),
                f64b(0x3fef_ffff_ffff_ffff),
            ),
            (F64(F64_NEG_INF), F64(f64::MAX), F64(F64_NEG_INF)),
        ],
    );
    bin_table(
        bin!(F64Mul),
        &[
            (F64(-1.5), F64(4.0), F64(-6.0)),
            (neg_zero64(), F64(1.0), neg_zero64()),
            (F64(1e308), F64(10.0), F64(F64_INF)),
            (f64b(1), F64(0.5), F64(0.0)),
            (
                f64b(0x0010_0000_0000_0000),
                F64(0.5),
                f64b(0x0008_0000_0000_0000),
            ),
        ],
    );
    bin_table(
        bin!(F64Div),
        &[
            (F64(1.0), F64(3.0), f64b(0x3fd5_5555_5555_5555)),
            (F64(1.0), neg_zero64(), F64(F64_NEG_INF)),
            (F64(-1.0), F64(0.0), F64(F64_NEG_INF)),
            (F64(-1.0), F64(F64_INF), neg_zero64()),
            (F64(6.0), F64(-4.0), F64(-1.5)),
        ],
    );
    un_table(
        un!(F64Sqrt),
        &[
            (F64(4.0), F64(2.0)),
            (F64(2.0), f64b(0x3ff6_a09e_667f_3bcd)),
            (neg_zero64(), neg_zero64()),
            (F64(F64_INF), F64(F64_INF)),
            (f64b(1), f64b(0x1e60_0000_0000_0000)),
        ],
    );
    let sqrt = OneOp::un(un!(F64Sqrt), S::F64, S::F64);
    sqrt.gives_nan(&[F64(-1.0)], is_canonical_nan, "canonical");
    sqrt.gives_nan(&[F64(F64_NEG_INF)], is_canonical_nan, "canonical");
}

#[test]
fn f64_min_max_and_sign_operations() {
    bin_table(
        bin!(F64Min),
        &[
            (neg_zero64(), F64(0.0), neg_zero64()),
            (F64(0.0), neg_zero64(), neg_zero64()),
            (F64(1.0), F64(-2.0), F64(-2.0)),
            (F64(F64_NEG_INF), F64(0.0), F64(F64_NEG_INF)),
            (
                f64b(0x8000_0000_0000_0001),
                F64(0.0),
                f64b(0x8000_0000_0000_0001),
            ),
        ],
    );
    bin_table(
        bin!(F64Max),
        &[
            (neg_zero64(), F64(0.0), F64(0.0)),
            (F64(0.0), neg_zero64(), F64(0.0)),
            (neg_zero64(), neg_zero64(), neg_zero64()),
            (F64(1.0), F64(-2.0), F64(1.0)),
            (F64(F64_INF), F64(0.0), F64(F64_INF)),
        ],
    );
    bin_table(
        bin!(F64Copysign),
        &[
            (F64(3.0), neg_zero64(), F64(-3.0)),
            (F64(-3.0), F64(0.0), F64(3.0)),
            (F64(0.0), F64(-1.0), neg_zero64()),
            (F64(F64_INF), F64(-1.0), F64(F64_NEG_INF)),
            (F64(2.0), f64b(F64_NEG_NAN), F64(-2.0)),
            (f64b(F64_SNAN), F64(-1.0), f64b(0xfff4_0000_0000_1234)),
            (f64b(0xfff4_0000_0000_1234), f64b(F64_SNAN), f64b(F64_SNAN)),
        ],
    );
    un_table(
        un!(F64Abs),
        &[
            (F64(-1.5), F64(1.5)),
            (neg_zero64(), F64(0.0)),
            (F64(F64_NEG_INF), F64(F64_INF)),
            (f64b(0xfff4_0000_dead_beef), f64b(0x7ff4_0000_dead_beef)),
            (f64b(F64_NEG_NAN), f64b(F64_NAN)),
        ],
    );
    un_table(
        un!(F64Neg),
        &[
            (F64(1.5), F64(-1.5)),
            (F64(0.0), neg_zero64()),
            (neg_zero64(), F64(0.0)),
            (f64b(0x7ff4_0000_dead_beef), f64b(0xfff4_0000_dead_beef)),
            (f64b(F64_NEG_NAN), f64b(F64_NAN)),
            (f64b(F64_QNAN_PAYLOAD), f64b(0xfff8_0000_0000_1234)),
        ],
    );
}

#[test]
fn f64_rounding() {
    un_table(
        un!(F64Ceil),
        &[
            (F64(-0.5), neg_zero64()),
            (F64(0.5), F64(1.0)),
            (F64(-1.5), F64(-1.0)),
            (f64b(1), F64(1.0)),
            (F64(4_503_599_627_370_495.5), F64(4_503_599_627_370_496.0)),
            (F64(F64_INF), F64(F64_INF)),
        ],
    );
    un_table(
        un!(F64Floor),
        &[
            (F64(-0.5), F64(-1.0)),
            (F64(0.5), F64(0.0)),
            (neg_zero64(), neg_zero64()),
            (f64b(0x8000_0000_0000_0001), F64(-1.0)),
            (F64(-4_503_599_627_370_495.5), F64(-4_503_599_627_370_496.0)),
        ],
    );
    un_table(
        un!(F64Trunc),
        &[
            (F64(-0.5), neg_zero64()),
            (F64(-1.5), F64(-1.0)),
            (F64(1.9), F64(1.0)),
            (F64(4_503_599_627_370_495.5), F64(4_503_599_627_370_495.0)),
            (F64(F64_NEG_INF), F64(F64_NEG_INF)),
        ],
    );
    un_table(
        un!(F64Nearest),
        &[
            (F64(0.5), F64(0.0)),
            (F64(1.5), F64(2.0)),
            (F64(2.5), F64(2.0)),
            (F64(3.5), F64(4.0)),
            (F64(-0.5), neg_zero64()),
            (F64(-2.5), F64(-2.0)),
            (f64b(0x3fdf_ffff_ffff_ffff), F64(0.0)),
            (F64(4_503_599_627_370_497.0), F64(4_503_599_627_370_497.0)),
            (F64(-4_503_599_627_370_497.0), F64(-4_503_599_627_370_497.0)),
            (F64(F64_NEG_INF), F64(F64_NEG_INF)),
        ],
    );
}

// ---------------------------------------------------------------- comparisons

/// Float comparison operands: zeros of both signs, ordered pairs,
/// infinities and NaNs; each comparison's expected results are a string of
/// 0s and 1s over these.
const F_PAIRS: [(f64, f64); 10] = [
    (0.0, 0.0),
    (-0.0, 0.0),
    (1.0, 2.0),
    (2.0, 1.0),
    (-1.0, 1.0),
    (f64::INFINITY, f64::INFINITY),
    (f64::NEG_INFINITY, f64::INFINITY),
    (f64::NAN, 0.0),
    (0.0, f64::NAN),
    (f64::NAN, f64::NAN),
];

const FLOAT_COMPARISONS: [(&str, &str); 6] = [
    ("eq", "1100010000"),
    ("ne", "0011101111"),
    ("lt", "0010101000"),
    ("gt", "0001000000"),
    ("le", "1110111000"),
    ("ge", "1101010000"),
];

fn float_cases(name: &str, wide: bool) -> Vec<(Val, Val, Val)> {
    let truth = FLOAT_COMPARISONS
        .iter()
        .find(|(n, _)| *n == name)
        .expect("comparison")
        .1;
    F_PAIRS
        .iter()
        .zip(truth.bytes())
        .map(|(&(a, b), t)| {
            let r = I32(i32::from(t == b'1'));
            if wide {
                (F64(a), F64(b), r)
            } else {
                (F32(a as f32), F32(b as f32), r)
            }
        })
        .collect()
}

#[test]
fn float_comparisons() {
    bin_table(bin!(F32Eq), &float_cases("eq", false));
    bin_table(bin!(F32Ne), &float_cases("ne", false));
    bin_table(bin!(F32Lt), &float_cases("lt", false));
    bin_table(bin!(F32Gt), &float_cases("gt", false));
    bin_table(bin!(F32Le), &float_cases("le", false));
    bin_table(bin!(F32Ge), &float_cases("ge", false));
    bin_table(bin!(F64Eq), &float_cases("eq", true));
    bin_table(bin!(F64Ne), &float_cases("ne", true));
    bin_table(bin!(F64Lt), &float_cases("lt", true));
    bin_table(bin!(F64Gt), &float_cases("gt", true));
    bin_table(bin!(F64Le), &float_cases("le", true));
    bin_table(bin!(F64Ge), &float_cases("ge", true));
    // A NaN is unequal to itself whatever its payload or sign.
    let eq = OneOp::bin(bin!(F32Eq), S::F32, S::F32, S::I32);
    eq.gives(&[f32b(F32_SNAN), f32b(F32_SNAN)], I32(0));
    let ne = OneOp::bin(bin!(F64Ne), S::F64, S::F64, S::I32);
    ne.gives(&[f64b(F64_NEG_NAN), f64b(F64_NEG_NAN)], I32(1));
}

// ---------------------------------------------------------------- NaNs

/// Every binary arithmetic op: canonical NaN operands give a canonical NaN,
/// a signalling or payload-carrying NaN gives an arithmetic NaN, and
/// invalid operations on numbers give a canonical NaN.
#[test]
fn arithmetic_nan_propagation() {
    let f32_ops = [
        OneOp::bin(bin!(F32Add), S::F32, S::F32, S::F32),
        OneOp::bin(bin!(F32Sub), S::F32, S::F32, S::F32),
        OneOp::bin(bin!(F32Mul), S::F32, S::F32, S::F32),
        OneOp::bin(bin!(F32Div), S::F32, S::F32, S::F32),
        OneOp::bin(bin!(F32Min), S::F32, S::F32, S::F32),
        OneOp::bin(bin!(F32Max), S::F32, S::F32, S::F32),
    ];
    for op in &f32_ops {
        for x in [F32(0.0), F32(-1.0), F32(F32_INF), F32(F32_NEG_INF)] {
            op.gives_nan(&[f32b(F32_NAN), x], is_canonical_nan, "canonical");
            op.gives_nan(&[x, f32b(F32_NEG_NAN)], is_canonical_nan, "canonical");
            op.gives_nan(&[f32b(F32_SNAN), x], is_arithmetic_nan, "arithmetic");
            op.gives_nan(&[x, f32b(F32_SNAN)], is_arithmetic_nan, "arithmetic");
            op.gives_nan(
                &[x, f32b(F32_QNAN_PAYLOAD)],
                is_arithmetic_nan,
                "arithmetic",
            );
        }
        op.gives_nan(
            &[f32b(F32_NAN), f32b(F32_NAN)],
            is_canonical_nan,
            "canonical",
        );
    }
    let f64_ops = [
        OneOp::bin(bin!(F64Add), S::F64, S::F64, S::F64),
        OneOp::bin(bin!(F64Sub), S::F64, S::F64, S::F64),
        OneOp::bin(bin!(F64Mul), S::F64, S::F64, S::F64),
        OneOp::bin(bin!(F64Div), S::F64, S::F64, S::F64),
        OneOp::bin(bin!(F64Min), S::F64, S::F64, S::F64),
        OneOp::bin(bin!(F64Max), S::F64, S::F64, S::F64),
    ];
    for op in &f64_ops {
        for x in [F64(0.0), F64(-1.0), F64(F64_INF), F64(F64_NEG_INF)] {
            op.gives_nan(&[f64b(F64_NAN), x], is_canonical_nan, "canonical");
            op.gives_nan(&[x, f64b(F64_NEG_NAN)], is_canonical_nan, "canonical");
            op.gives_nan(&[f64b(F64_SNAN), x], is_arithmetic_nan, "arithmetic");
            op.gives_nan(&[x, f64b(F64_SNAN)], is_arithmetic_nan, "arithmetic");
            op.gives_nan(
                &[x, f64b(F64_QNAN_PAYLOAD)],
                is_arithmetic_nan,
                "arithmetic",
            );
        }
    }
    // Invalid operations on numbers.
    let canonical =
        |op: &OneOp, a: Val, b: Val| op.gives_nan(&[a, b], is_canonical_nan, "canonical");
    canonical(&f32_ops[0], F32(F32_INF), F32(F32_NEG_INF));
    canonical(&f32_ops[1], F32(F32_INF), F32(F32_INF));
    canonical(&f32_ops[2], F32(0.0), F32(F32_INF));
    canonical(&f32_ops[3], F32(0.0), F32(0.0));
    canonical(&f32_ops[3], F32(F32_INF), F32(F32_NEG_INF));
    canonical(&f64_ops[0], F64(F64_INF), F64(F64_NEG_INF));
    canonical(&f64_ops[1], F64(F64_NEG_INF), F64(F64_NEG_INF));
    canonical(&f64_ops[2], neg_zero64(), F64(F64_INF));
    canonical(&f64_ops[3], F64(0.0), neg_zero64());
}

#[test]
fn rounding_and_sqrt_propagate_nans() {
    let f32_ops = [
        OneOp::un(un!(F32Ceil), S::F32, S::F32),
        OneOp::un(un!(F32Floor), S::F32, S::F32),
        OneOp::un(un!(F32Trunc), S::F32, S::F32),
        OneOp::un(un!(F32Nearest), S::F32, S::F32),
        OneOp::un(un!(F32Sqrt), S::F32, S::F32),
    ];
    for op in &f32_ops {
        op.gives_nan(&[f32b(F32_NAN)], is_canonical_nan, "canonical");
        op.gives_nan(&[f32b(F32_NEG_NAN)], is_canonical_nan, "canonical");
        op.gives_nan(&[f32b(F32_SNAN)], is_arithmetic_nan, "arithmetic");
        op.gives_nan(&[f32b(F32_QNAN_PAYLOAD)], is_arithmetic_nan, "arithmetic");
    }
    let f64_ops = [
        OneOp::un(un!(F64Ceil), S::F64, S::F64),
        OneOp::un(un!(F64Floor), S::F64, S::F64),
        OneOp::un(un!(F64Trunc), S::F64, S::F64),
        OneOp::un(un!(F64Nearest), S::F64, S::F64),
        OneOp::un(un!(F64Sqrt), S::F64, S::F64),
    ];
    for op in &f64_ops {
        op.gives_nan(&[f64b(F64_NAN)], is_canonical_nan, "canonical");
        op.gives_nan(&[f64b(F64_NEG_NAN)], is_canonical_nan, "canonical");
        op.gives_nan(&[f64b(F64_SNAN)], is_arithmetic_nan, "arithmetic");
        op.gives_nan(&[f64b(F64_QNAN_PAYLOAD)], is_arithmetic_nan, "arithmetic");
    }
}
