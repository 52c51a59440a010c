//! Wasm float instructions (`f32.*` and `f64.*`, numeric only).
//!
//! Both widths come from one macro, `float_ops!`. Arithmetic is IEEE 754
//! round-to-nearest-even, which is what Rust's operators do. `abs`, `neg`
//! and `copysign` touch only the sign bit, so they are bit-exact on NaNs;
//! `min`, `max` and the rounding instructions return their NaN operand with
//! the quiet bit set, which the spec accepts (an arithmetic NaN, canonical
//! when the operand was canonical).

/// Generates every float instruction for one width. `$f` is the Wasm value
/// type, `$bits` the unsigned integer of its bit pattern, `$sign` its sign
/// bit and `$quiet` its quiet-NaN bit; each `op = name` pair names the
/// generated function for that instruction.
macro_rules! float_ops {
    (
        $f:ident, $bits:ident, sign = $sign:literal, quiet = $quiet:literal;
        add = $add:ident, sub = $sub:ident, mul = $mul:ident, div = $div:ident,
        min = $min:ident, max = $max:ident, copysign = $copysign:ident,
        abs = $abs:ident, neg = $neg:ident,
        ceil = $ceil:ident, floor = $floor:ident, trunc = $trunc:ident,
        nearest = $nearest:ident, sqrt = $sqrt:ident,
        eq = $eq:ident, ne = $ne:ident, lt = $lt:ident, gt = $gt:ident,
        le = $le:ident, ge = $ge:ident $(,)?
    ) => {
        float_ops!(@bin $f, "add: IEEE 754 addition.", $add(a, b) => a + b);
        float_ops!(@bin $f, "sub: IEEE 754 subtraction.", $sub(a, b) => a - b);
        float_ops!(@bin $f, "mul: IEEE 754 multiplication.", $mul(a, b) => a * b);
        float_ops!(@bin $f, "div: IEEE 754 division.", $div(a, b) => a / b);
        float_ops!(@un $f, "sqrt: IEEE 754 square root (NaN below -0).",
            $sqrt(a) => a.sqrt());

        float_ops!(@bin $f,
            "min: the lesser operand, NaN if either is NaN, and -0 < +0.",
            $min(a, b) => if a.is_nan() || b.is_nan() {
                // The quiet bit makes a signalling operand arithmetic.
                <$f>::from_bits(if a.is_nan() { a.to_bits() } else { b.to_bits() } | $quiet)
            } else if a == b {
                // Equal and not NaN: identical, or zeros of either sign.
                <$f>::from_bits(a.to_bits() | b.to_bits())
            } else if a < b {
                a
            } else {
                b
            });
        float_ops!(@bin $f,
            "max: the greater operand, NaN if either is NaN, and -0 < +0.",
            $max(a, b) => if a.is_nan() || b.is_nan() {
                <$f>::from_bits(if a.is_nan() { a.to_bits() } else { b.to_bits() } | $quiet)
            } else if a == b {
                <$f>::from_bits(a.to_bits() & b.to_bits())
            } else if a > b {
                a
            } else {
                b
            });

        float_ops!(@bin $f,
            "copysign: `a` with the sign bit of `b`; bit-exact, also on NaNs.",
            $copysign(a, b) => <$f>::from_bits((a.to_bits() & !$sign) | (b.to_bits() & $sign)));
        float_ops!(@un $f, "abs: clear the sign bit; bit-exact, also on NaNs.",
            $abs(a) => <$f>::from_bits(a.to_bits() & !$sign));
        float_ops!(@un $f, "neg: flip the sign bit; bit-exact, also on NaNs.",
            $neg(a) => <$f>::from_bits(a.to_bits() ^ $sign));

        float_ops!(@round $f, $quiet, "ceil: round toward +infinity.", $ceil(a) => a.ceil());
        float_ops!(@round $f, $quiet, "floor: round toward -infinity.", $floor(a) => a.floor());
        float_ops!(@round $f, $quiet, "trunc: round toward zero.", $trunc(a) => a.trunc());
        float_ops!(@round $f, $quiet, "nearest: round to nearest, ties to even.",
            $nearest(a) => a.round_ties_even());

        float_ops!(@cmp $f, "eq: IEEE equality (false on NaN, -0 == +0).", $eq(a, b) => a == b);
        float_ops!(@cmp $f, "ne: IEEE inequality (true on NaN).", $ne(a, b) => a != b);
        float_ops!(@cmp $f, "lt: IEEE less than (false on NaN).", $lt(a, b) => a < b);
        float_ops!(@cmp $f, "gt: IEEE greater than (false on NaN).", $gt(a, b) => a > b);
        float_ops!(@cmp $f, "le: IEEE less or equal (false on NaN).", $le(a, b) => a <= b);
        float_ops!(@cmp $f, "ge: IEEE greater or equal (false on NaN).", $ge(a, b) => a >= b);
    };

    (@bin $f:ident, $doc:literal, $name:ident($a:ident, $b:ident) => $body:expr) => {
        #[doc = concat!("Wasm `", stringify!($f), ".", $doc)]
        #[inline]
        #[must_use]
        pub fn $name($a: $f, $b: $f) -> $f {
            $body
        }
    };
    (@un $f:ident, $doc:literal, $name:ident($a:ident) => $body:expr) => {
        #[doc = concat!("Wasm `", stringify!($f), ".", $doc)]
        #[inline]
        #[must_use]
        pub fn $name($a: $f) -> $f {
            $body
        }
    };
    // Rounding to an integral value: infinities and zeros are returned as
    // they are (with their sign) by `$body`; a NaN comes back quiet.
    (@round $f:ident, $quiet:literal, $doc:literal, $name:ident($a:ident) => $body:expr) => {
        #[doc = concat!("Wasm `", stringify!($f), ".", $doc)]
        #[inline]
        #[must_use]
        pub fn $name($a: $f) -> $f {
            if $a.is_nan() {
                <$f>::from_bits($a.to_bits() | $quiet)
            } else {
                $body
            }
        }
    };
    (@cmp $f:ident, $doc:literal, $name:ident($a:ident, $b:ident) => $body:expr) => {
        #[doc = concat!("Wasm `", stringify!($f), ".", $doc)]
        #[inline]
        #[must_use]
        pub fn $name($a: $f, $b: $f) -> bool {
            $body
        }
    };
}

float_ops! {
    f32, u32, sign = 0x8000_0000, quiet = 0x0040_0000;
    add = f32_add, sub = f32_sub, mul = f32_mul, div = f32_div,
    min = f32_min, max = f32_max, copysign = f32_copysign, abs = f32_abs, neg = f32_neg,
    ceil = f32_ceil, floor = f32_floor, trunc = f32_trunc, nearest = f32_nearest,
    sqrt = f32_sqrt,
    eq = f32_eq, ne = f32_ne, lt = f32_lt, gt = f32_gt, le = f32_le, ge = f32_ge,
}

float_ops! {
    f64, u64, sign = 0x8000_0000_0000_0000, quiet = 0x0008_0000_0000_0000;
    add = f64_add, sub = f64_sub, mul = f64_mul, div = f64_div,
    min = f64_min, max = f64_max, copysign = f64_copysign, abs = f64_abs, neg = f64_neg,
    ceil = f64_ceil, floor = f64_floor, trunc = f64_trunc, nearest = f64_nearest,
    sqrt = f64_sqrt,
    eq = f64_eq, ne = f64_ne, lt = f64_lt, gt = f64_gt, le = f64_le, ge = f64_ge,
}

#[cfg(test)]
mod tests {
    use super::*;

    // Bit patterns, written out rather than computed.
    const F32_NEG_ZERO: u32 = 0x8000_0000;
    const F32_CANONICAL_NAN: u32 = 0x7fc0_0000;
    const F32_SNAN: u32 = 0x7fa0_1234;
    const F64_NEG_ZERO: u64 = 0x8000_0000_0000_0000;
    const F64_CANONICAL_NAN: u64 = 0x7ff8_0000_0000_0000;
    const F64_SNAN: u64 = 0x7ff4_0000_0000_1234;

    fn f32b(bits: u32) -> f32 {
        f32::from_bits(bits)
    }
    fn f64b(bits: u64) -> f64 {
        f64::from_bits(bits)
    }
    /// The spec's `nan:canonical`: quiet bit only, either sign.
    fn f32_is_canonical_nan(x: f32) -> bool {
        x.to_bits() & 0x7fff_ffff == 0x7fc0_0000
    }
    /// The spec's `nan:arithmetic`: a NaN with the quiet bit set.
    fn f32_is_arithmetic_nan(x: f32) -> bool {
        x.to_bits() & 0x7fc0_0000 == 0x7fc0_0000
    }
    fn f64_is_canonical_nan(x: f64) -> bool {
        x.to_bits() & 0x7fff_ffff_ffff_ffff == 0x7ff8_0000_0000_0000
    }
    fn f64_is_arithmetic_nan(x: f64) -> bool {
        x.to_bits() & 0x7ff8_0000_0000_0000 == 0x7ff8_0000_0000_0000
    }

    #[test]
    fn arithmetic() {
        assert_eq!(f32_add(1.5, 2.25), 3.75);
        assert_eq!(f32_sub(1.0, 3.0), -2.0);
        assert_eq!(f32_mul(-1.5, 4.0), -6.0);
        assert_eq!(f32_div(1.0, 4.0), 0.25);
        assert_eq!(f32_div(1.0, 3.0).to_bits(), 0x3eaa_aaab);
        assert_eq!(f32_add(16_777_216.0, 1.0), 16_777_216.0);
        assert_eq!(f32_add(-0.0, -0.0).to_bits(), F32_NEG_ZERO);
        assert_eq!(f32_add(-0.0, 0.0).to_bits(), 0);
        assert_eq!(f32_div(1.0, 0.0), f32::INFINITY);
        assert_eq!(f32_div(1.0, -0.0), f32::NEG_INFINITY);
        assert_eq!(f32_sqrt(4.0), 2.0);
        assert_eq!(f32_sqrt(2.0).to_bits(), 0x3fb5_04f3);
        assert_eq!(f32_sqrt(-0.0).to_bits(), F32_NEG_ZERO);
        assert!(f32_is_canonical_nan(f32_div(0.0, 0.0)));
        assert!(f32_is_canonical_nan(f32_sub(f32::INFINITY, f32::INFINITY)));
        assert!(f32_is_canonical_nan(f32_mul(0.0, f32::INFINITY)));
        assert!(f32_is_canonical_nan(f32_sqrt(-1.0)));
        assert!(f32_is_arithmetic_nan(f32_add(f32b(F32_SNAN), 1.0)));

        assert_eq!(f64_add(0.1, 0.2).to_bits(), 0x3fd3_3333_3333_3334);
        assert_eq!(f64_sub(1.0, 3.0), -2.0);
        assert_eq!(f64_mul(-1.5, 4.0), -6.0);
        assert_eq!(f64_div(1.0, 3.0).to_bits(), 0x3fd5_5555_5555_5555);
        assert_eq!(f64_add(-0.0, -0.0).to_bits(), F64_NEG_ZERO);
        assert_eq!(f64_div(-1.0, 0.0), f64::NEG_INFINITY);
        assert_eq!(f64_sqrt(2.0).to_bits(), 0x3ff6_a09e_667f_3bcd);
        assert_eq!(f64_sqrt(-0.0).to_bits(), F64_NEG_ZERO);
        assert!(f64_is_canonical_nan(f64_div(0.0, 0.0)));
        assert!(f64_is_canonical_nan(f64_sqrt(-1.0)));
        assert!(f64_is_arithmetic_nan(f64_mul(f64b(F64_SNAN), 2.0)));
    }

    #[test]
    fn min_max_nan_and_signed_zeros() {
        assert_eq!(f32_min(-0.0, 0.0).to_bits(), F32_NEG_ZERO);
        assert_eq!(f32_min(0.0, -0.0).to_bits(), F32_NEG_ZERO);
        assert_eq!(f32_max(-0.0, 0.0).to_bits(), 0);
        assert_eq!(f32_max(0.0, -0.0).to_bits(), 0);
        assert_eq!(f32_min(-0.0, -0.0).to_bits(), F32_NEG_ZERO);
        assert_eq!(f32_max(0.0, 0.0).to_bits(), 0);
        assert_eq!(f32_min(1.0, -2.0), -2.0);
        assert_eq!(f32_max(1.0, -2.0), 1.0);
        assert_eq!(f32_min(f32::NEG_INFINITY, 0.0), f32::NEG_INFINITY);
        assert_eq!(f32_max(f32::INFINITY, 0.0), f32::INFINITY);
        for x in [0.0, -1.0, f32::INFINITY, f32::NEG_INFINITY] {
            assert!(f32_is_canonical_nan(f32_min(f32b(F32_CANONICAL_NAN), x)));
            assert!(f32_is_canonical_nan(f32_min(x, f32b(F32_CANONICAL_NAN))));
            assert!(f32_is_canonical_nan(f32_max(f32b(F32_CANONICAL_NAN), x)));
            assert!(f32_is_canonical_nan(f32_max(x, f32b(F32_CANONICAL_NAN))));
            assert!(f32_is_arithmetic_nan(f32_min(f32b(F32_SNAN), x)));
            assert!(f32_is_arithmetic_nan(f32_max(x, f32b(F32_SNAN))));
        }
        assert!(f32_min(f32::NAN, f32::NAN).is_nan());

        assert_eq!(f64_min(-0.0, 0.0).to_bits(), F64_NEG_ZERO);
        assert_eq!(f64_min(0.0, -0.0).to_bits(), F64_NEG_ZERO);
        assert_eq!(f64_max(-0.0, 0.0).to_bits(), 0);
        assert_eq!(f64_max(0.0, -0.0).to_bits(), 0);
        assert_eq!(f64_min(1.0, -2.0), -2.0);
        assert_eq!(f64_max(1.0, -2.0), 1.0);
        for x in [0.0, -1.0, f64::INFINITY, f64::NEG_INFINITY] {
            assert!(f64_is_canonical_nan(f64_min(f64b(F64_CANONICAL_NAN), x)));
            assert!(f64_is_canonical_nan(f64_max(x, f64b(F64_CANONICAL_NAN))));
            assert!(f64_is_arithmetic_nan(f64_min(x, f64b(F64_SNAN))));
            assert!(f64_is_arithmetic_nan(f64_max(f64b(F64_SNAN), x)));
        }
    }

    #[test]
    fn sign_bit_ops_are_bit_exact() {
        assert_eq!(f32_abs(f32b(0xffa0_1234)).to_bits(), 0x7fa0_1234);
        assert_eq!(f32_abs(f32b(0x7fa0_1234)).to_bits(), 0x7fa0_1234);
        assert_eq!(f32_neg(f32b(0x7fa0_1234)).to_bits(), 0xffa0_1234);
        assert_eq!(f32_neg(f32b(0xffc0_0000)).to_bits(), 0x7fc0_0000);
        assert_eq!(f32_neg(0.0).to_bits(), F32_NEG_ZERO);
        assert_eq!(f32_abs(-0.0).to_bits(), 0);
        assert_eq!(f32_abs(-1.5), 1.5);
        assert_eq!(f32_copysign(f32b(0x7fa0_1234), -0.0).to_bits(), 0xffa0_1234);
        assert_eq!(f32_copysign(f32b(0xffa0_1234), 1.0).to_bits(), 0x7fa0_1234);
        assert_eq!(f32_copysign(2.0, f32b(0xffc0_0000)), -2.0);
        assert_eq!(f32_copysign(-2.0, f32b(0x7fc0_0000)), 2.0);
        assert_eq!(f32_copysign(0.0, -0.0).to_bits(), F32_NEG_ZERO);
        assert_eq!(f32_copysign(-0.0, 0.0).to_bits(), 0);

        let snan = 0x7ff4_0000_dead_beef_u64;
        let neg_snan = 0xfff4_0000_dead_beef_u64;
        assert_eq!(f64_abs(f64b(neg_snan)).to_bits(), snan);
        assert_eq!(f64_neg(f64b(snan)).to_bits(), neg_snan);
        assert_eq!(f64_neg(f64b(neg_snan)).to_bits(), snan);
        assert_eq!(f64_neg(0.0).to_bits(), F64_NEG_ZERO);
        assert_eq!(f64_copysign(f64b(snan), -1.0).to_bits(), neg_snan);
        assert_eq!(f64_copysign(f64b(neg_snan), f64b(snan)).to_bits(), snan);
        assert_eq!(f64_copysign(3.0, -0.0), -3.0);
    }

    #[test]
    fn nearest_ties_to_even() {
        assert_eq!(f32_nearest(0.5).to_bits(), 0);
        assert_eq!(f32_nearest(1.5), 2.0);
        assert_eq!(f32_nearest(2.5), 2.0);
        assert_eq!(f32_nearest(3.5), 4.0);
        assert_eq!(f32_nearest(-0.5).to_bits(), F32_NEG_ZERO);
        assert_eq!(f32_nearest(-1.5), -2.0);
        assert_eq!(f32_nearest(-2.5), -2.0);
        assert_eq!(f32_nearest(0.49), 0.0);
        assert_eq!(f32_nearest(-0.0).to_bits(), F32_NEG_ZERO);
        // 2^23 + 1 is already integral and must not move.
        assert_eq!(f32_nearest(8_388_609.0), 8_388_609.0);
        assert_eq!(f32_nearest(f32::INFINITY), f32::INFINITY);

        assert_eq!(f64_nearest(0.5).to_bits(), 0);
        assert_eq!(f64_nearest(1.5), 2.0);
        assert_eq!(f64_nearest(2.5), 2.0);
        assert_eq!(f64_nearest(-0.5).to_bits(), F64_NEG_ZERO);
        assert_eq!(f64_nearest(-2.5), -2.0);
        assert_eq!(
            f64_nearest(4_503_599_627_370_497.0),
            4_503_599_627_370_497.0
        );
        assert_eq!(f64_nearest(f64::NEG_INFINITY), f64::NEG_INFINITY);
    }

    #[test]
    fn ceil_floor_trunc() {
        assert_eq!(f32_ceil(-0.5).to_bits(), F32_NEG_ZERO);
        assert_eq!(f32_ceil(0.5), 1.0);
        assert_eq!(f32_ceil(-1.5), -1.0);
        assert_eq!(f32_floor(-0.5), -1.0);
        assert_eq!(f32_floor(0.5).to_bits(), 0);
        assert_eq!(f32_floor(-0.0).to_bits(), F32_NEG_ZERO);
        assert_eq!(f32_trunc(-0.5).to_bits(), F32_NEG_ZERO);
        assert_eq!(f32_trunc(-1.5), -1.0);
        assert_eq!(f32_trunc(1.9), 1.0);
        assert_eq!(f32_ceil(f32::NEG_INFINITY), f32::NEG_INFINITY);

        assert_eq!(f64_ceil(-0.5).to_bits(), F64_NEG_ZERO);
        assert_eq!(f64_ceil(0.5), 1.0);
        assert_eq!(f64_floor(-0.5), -1.0);
        assert_eq!(f64_floor(0.5).to_bits(), 0);
        assert_eq!(f64_trunc(-0.5).to_bits(), F64_NEG_ZERO);
        assert_eq!(f64_trunc(-1.5), -1.0);
        assert_eq!(f64_trunc(f64::INFINITY), f64::INFINITY);
    }

    #[test]
    fn rounding_quiets_nans() {
        for op in [f32_ceil, f32_floor, f32_trunc, f32_nearest] {
            assert_eq!(op(f32b(F32_SNAN)).to_bits(), 0x7fe0_1234);
            assert_eq!(op(f32b(0xffc0_0000)).to_bits(), 0xffc0_0000);
            assert!(f32_is_canonical_nan(op(f32b(F32_CANONICAL_NAN))));
        }
        for op in [f64_ceil, f64_floor, f64_trunc, f64_nearest] {
            assert_eq!(op(f64b(F64_SNAN)).to_bits(), 0x7ffc_0000_0000_1234);
            assert!(f64_is_canonical_nan(op(f64b(F64_CANONICAL_NAN))));
        }
    }

    #[test]
    fn comparisons() {
        let nan32 = f32b(F32_CANONICAL_NAN);
        assert!(f32_eq(-0.0, 0.0) && !f32_ne(-0.0, 0.0));
        assert!(f32_le(-0.0, 0.0) && f32_ge(-0.0, 0.0));
        assert!(!f32_lt(-0.0, 0.0) && !f32_gt(0.0, -0.0));
        assert!(f32_lt(-1.0, 1.0) && f32_gt(1.0, -1.0));
        assert!(f32_lt(f32::NEG_INFINITY, f32::MIN));
        assert!(!f32_eq(nan32, nan32) && f32_ne(nan32, nan32));
        assert!(!f32_lt(nan32, 0.0) && !f32_gt(nan32, 0.0));
        assert!(!f32_le(0.0, nan32) && !f32_ge(0.0, nan32));

        let nan64 = f64b(F64_CANONICAL_NAN);
        assert!(f64_eq(-0.0, 0.0) && !f64_ne(-0.0, 0.0));
        assert!(f64_le(-0.0, 0.0) && f64_ge(-0.0, 0.0));
        assert!(f64_lt(-1.0, 1.0) && f64_gt(1.0, -1.0));
        assert!(!f64_eq(nan64, nan64) && f64_ne(nan64, nan64));
        assert!(!f64_lt(nan64, 0.0) && !f64_gt(0.0, nan64));
        assert!(!f64_le(nan64, nan64) && !f64_ge(nan64, nan64));
    }
}
