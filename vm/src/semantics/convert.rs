//! Wasm conversion instructions: wrap, extend, truncations (trapping and
//! saturating), int-to-float conversions, demote/promote and
//! reinterpretations.
//!
//! The exact rules lean on Rust's `as`, which is defined the way Wasm
//! needs: float-to-int `as` saturates and sends NaN to 0 (`trunc_sat`),
//! int-to-float `as` rounds to nearest, ties to even (`convert`), and
//! `f64 as f32` rounds the same way (`demote`).

use super::NumTrap;

/// Generates a trapping and a saturating truncation for each source and
/// target type. `$lo` and `$hi` bound the valid range of the truncated
/// value, `$lo <= trunc(a) < $hi`; both are exact powers of two (or zero)
/// in the source type. `$via` is the Rust type of the range (the unsigned
/// type for `_u`), reinterpreted as the Wasm type `$i` at the end.
macro_rules! truncs {
    ($($trap:ident, $sat:ident: $f:ident -> $i:ident via $via:ident, $lo:literal .. $hi:literal;)+) => {$(
        #[doc = concat!(
            "Wasm `", stringify!($i), ".trunc_", stringify!($f), "_",
            sign_suffix!($via), "`: truncate toward zero; traps with `InvalidConversion` \
             on NaN and `IntegerOverflow` when the result is not in `",
            stringify!($via), "`.",
        )]
        #[inline]
        pub fn $trap(a: $f) -> Result<$i, NumTrap> {
            if a.is_nan() {
                return Err(NumTrap::InvalidConversion);
            }
            let t = a.trunc();
            if ($lo..$hi).contains(&t) {
                // In range, so `as` is exact.
                Ok(t as $via as $i)
            } else {
                Err(NumTrap::IntegerOverflow)
            }
        }

        #[doc = concat!(
            "Wasm `", stringify!($i), ".trunc_sat_", stringify!($f), "_",
            sign_suffix!($via), "`: truncate toward zero, saturating to the \
             range of `", stringify!($via), "`; NaN gives 0.",
        )]
        #[inline]
        #[must_use]
        pub fn $sat(a: $f) -> $i {
            a as $via as $i
        }
    )+};
}

/// `s` for a signed Rust integer type, `u` for an unsigned one.
macro_rules! sign_suffix {
    (i32) => {
        "s"
    };
    (i64) => {
        "s"
    };
    (u32) => {
        "u"
    };
    (u64) => {
        "u"
    };
}

truncs! {
    i32_trunc_f32_s, i32_trunc_sat_f32_s: f32 -> i32 via i32, -2_147_483_648.0 .. 2_147_483_648.0;
    i32_trunc_f32_u, i32_trunc_sat_f32_u: f32 -> i32 via u32, 0.0 .. 4_294_967_296.0;
    i32_trunc_f64_s, i32_trunc_sat_f64_s: f64 -> i32 via i32, -2_147_483_648.0 .. 2_147_483_648.0;
    i32_trunc_f64_u, i32_trunc_sat_f64_u: f64 -> i32 via u32, 0.0 .. 4_294_967_296.0;
    i64_trunc_f32_s, i64_trunc_sat_f32_s: f32 -> i64 via i64,
        -9_223_372_036_854_775_808.0 .. 9_223_372_036_854_775_808.0;
    i64_trunc_f32_u, i64_trunc_sat_f32_u: f32 -> i64 via u64, 0.0 .. 18_446_744_073_709_551_616.0;
    i64_trunc_f64_s, i64_trunc_sat_f64_s: f64 -> i64 via i64,
        -9_223_372_036_854_775_808.0 .. 9_223_372_036_854_775_808.0;
    i64_trunc_f64_u, i64_trunc_sat_f64_u: f64 -> i64 via u64, 0.0 .. 18_446_744_073_709_551_616.0;
}

/// Generates the int-to-float conversions: the operand, read as `$via`
/// (the unsigned type for `_u`), rounded to nearest, ties to even.
macro_rules! converts {
    ($($name:ident: $i:ident via $via:ident -> $f:ident;)+) => {$(
        #[doc = concat!(
            "Wasm `", stringify!($f), ".convert_", stringify!($i), "_",
            sign_suffix!($via), "`: the operand read as `", stringify!($via),
            "`, rounded to nearest, ties to even.",
        )]
        #[inline]
        #[must_use]
        pub fn $name(a: $i) -> $f {
            a as $via as $f
        }
    )+};
}

converts! {
    f32_convert_i32_s: i32 via i32 -> f32;
    f32_convert_i32_u: i32 via u32 -> f32;
    f32_convert_i64_s: i64 via i64 -> f32;
    f32_convert_i64_u: i64 via u64 -> f32;
    f64_convert_i32_s: i32 via i32 -> f64;
    f64_convert_i32_u: i32 via u32 -> f64;
    f64_convert_i64_s: i64 via i64 -> f64;
    f64_convert_i64_u: i64 via u64 -> f64;
}

/// Wasm `i32.wrap_i64`: the low 32 bits.
#[inline]
#[must_use]
pub fn i32_wrap_i64(a: i64) -> i32 {
    a as i32
}

/// Wasm `i64.extend_i32_s`: sign extension.
#[inline]
#[must_use]
pub fn i64_extend_i32_s(a: i32) -> i64 {
    i64::from(a)
}

/// Wasm `i64.extend_i32_u`: zero extension.
#[inline]
#[must_use]
pub fn i64_extend_i32_u(a: i32) -> i64 {
    i64::from(a as u32)
}

/// Wasm `f32.demote_f64`: round to nearest, ties to even (overflow gives
/// infinity; a NaN stays a NaN).
#[inline]
#[must_use]
pub fn f32_demote_f64(a: f64) -> f32 {
    a as f32
}

/// Wasm `f64.promote_f32`: exact (a NaN stays a NaN).
#[inline]
#[must_use]
pub fn f64_promote_f32(a: f32) -> f64 {
    f64::from(a)
}

/// Wasm `i32.reinterpret_f32`: the bit pattern, unchanged.
#[inline]
#[must_use]
pub fn i32_reinterpret_f32(a: f32) -> i32 {
    a.to_bits() as i32
}

/// Wasm `i64.reinterpret_f64`: the bit pattern, unchanged.
#[inline]
#[must_use]
pub fn i64_reinterpret_f64(a: f64) -> i64 {
    a.to_bits() as i64
}

/// Wasm `f32.reinterpret_i32`: the bit pattern, unchanged.
#[inline]
#[must_use]
pub fn f32_reinterpret_i32(a: i32) -> f32 {
    f32::from_bits(a as u32)
}

/// Wasm `f64.reinterpret_i64`: the bit pattern, unchanged.
#[inline]
#[must_use]
pub fn f64_reinterpret_i64(a: i64) -> f64 {
    f64::from_bits(a as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use NumTrap::{IntegerOverflow, InvalidConversion};

    fn f32b(bits: u32) -> f32 {
        f32::from_bits(bits)
    }
    fn f64b(bits: u64) -> f64 {
        f64::from_bits(bits)
    }

    #[test]
    fn wrap_and_extend() {
        assert_eq!(i32_wrap_i64(-1), -1);
        assert_eq!(i32_wrap_i64(0x1_0000_0000), 0);
        assert_eq!(i32_wrap_i64(0xffff_ffff), -1);
        assert_eq!(i32_wrap_i64(0x0123_4567_89ab_cdef), 0x89ab_cdef_u32 as i32);
        assert_eq!(i32_wrap_i64(i64::MIN), 0);
        assert_eq!(i64_extend_i32_s(-1), -1);
        assert_eq!(i64_extend_i32_s(i32::MIN), -0x8000_0000);
        assert_eq!(i64_extend_i32_s(0x7fff_ffff), 0x7fff_ffff);
        assert_eq!(i64_extend_i32_u(-1), 0xffff_ffff);
        assert_eq!(i64_extend_i32_u(i32::MIN), 0x8000_0000);
        assert_eq!(i64_extend_i32_u(0x7fff_ffff), 0x7fff_ffff);
    }

    #[test]
    fn i32_trunc_f32() {
        let trap_nan = Err(InvalidConversion);
        let trap_range = Err(IntegerOverflow);
        // Signed: [-2^31, 2^31).
        assert_eq!(i32_trunc_f32_s(-0.0), Ok(0));
        assert_eq!(i32_trunc_f32_s(1.5), Ok(1));
        assert_eq!(i32_trunc_f32_s(-1.9), Ok(-1));
        assert_eq!(i32_trunc_f32_s(-2_147_483_648.0), Ok(i32::MIN));
        assert_eq!(i32_trunc_f32_s(2_147_483_520.0), Ok(2_147_483_520));
        assert_eq!(i32_trunc_f32_s(2_147_483_648.0), trap_range);
        assert_eq!(i32_trunc_f32_s(f32b(0xcf00_0001)), trap_range); // -2147483904
        assert_eq!(i32_trunc_f32_s(f32::INFINITY), trap_range);
        assert_eq!(i32_trunc_f32_s(f32::NEG_INFINITY), trap_range);
        assert_eq!(i32_trunc_f32_s(f32::NAN), trap_nan);
        assert_eq!(i32_trunc_f32_s(f32b(0xffa0_0000)), trap_nan);
        // Unsigned: (-1, 2^32).
        assert_eq!(i32_trunc_f32_u(-0.9), Ok(0));
        assert_eq!(i32_trunc_f32_u(f32b(0xbf7f_ffff)), Ok(0)); // next above -1
        assert_eq!(i32_trunc_f32_u(1.9), Ok(1));
        assert_eq!(i32_trunc_f32_u(2_147_483_648.0), Ok(i32::MIN));
        assert_eq!(i32_trunc_f32_u(4_294_967_040.0), Ok(-256));
        assert_eq!(i32_trunc_f32_u(4_294_967_296.0), trap_range);
        assert_eq!(i32_trunc_f32_u(-1.0), trap_range);
        assert_eq!(i32_trunc_f32_u(f32::INFINITY), trap_range);
        assert_eq!(i32_trunc_f32_u(f32::NEG_INFINITY), trap_range);
        assert_eq!(i32_trunc_f32_u(-f32::NAN), trap_nan);
    }

    #[test]
    fn i32_trunc_f64() {
        let trap_nan = Err(InvalidConversion);
        let trap_range = Err(IntegerOverflow);
        // Signed: (-2^31 - 1, 2^31).
        assert_eq!(i32_trunc_f64_s(-2_147_483_648.0), Ok(i32::MIN));
        assert_eq!(i32_trunc_f64_s(-2_147_483_648.9), Ok(i32::MIN));
        assert_eq!(i32_trunc_f64_s(2_147_483_647.0), Ok(i32::MAX));
        assert_eq!(i32_trunc_f64_s(2_147_483_647.9), Ok(i32::MAX));
        assert_eq!(i32_trunc_f64_s(-2_147_483_649.0), trap_range);
        assert_eq!(i32_trunc_f64_s(2_147_483_648.0), trap_range);
        assert_eq!(i32_trunc_f64_s(1e16), trap_range);
        assert_eq!(i32_trunc_f64_s(f64::NEG_INFINITY), trap_range);
        assert_eq!(i32_trunc_f64_s(f64::NAN), trap_nan);
        // Unsigned: (-1, 2^32).
        assert_eq!(i32_trunc_f64_u(-0.9), Ok(0));
        assert_eq!(i32_trunc_f64_u(f64b(0xbfef_ffff_ffff_ffff)), Ok(0)); // next above -1
        assert_eq!(i32_trunc_f64_u(1e8), Ok(100_000_000));
        assert_eq!(i32_trunc_f64_u(4_294_967_295.0), Ok(-1));
        assert_eq!(i32_trunc_f64_u(4_294_967_295.9), Ok(-1));
        assert_eq!(i32_trunc_f64_u(4_294_967_296.0), trap_range);
        assert_eq!(i32_trunc_f64_u(-1.0), trap_range);
        assert_eq!(i32_trunc_f64_u(9_223_372_036_854_775_808.0), trap_range);
        assert_eq!(i32_trunc_f64_u(f64::INFINITY), trap_range);
        assert_eq!(i32_trunc_f64_u(f64b(0x7ff4_0000_0000_0000)), trap_nan);
    }

    #[test]
    fn i64_trunc_f32() {
        let trap_nan = Err(InvalidConversion);
        let trap_range = Err(IntegerOverflow);
        // Signed: [-2^63, 2^63).
        assert_eq!(i64_trunc_f32_s(-1.9), Ok(-1));
        assert_eq!(i64_trunc_f32_s(4_294_967_296.0), Ok(4_294_967_296));
        assert_eq!(
            i64_trunc_f32_s(f32b(0x5eff_ffff)),
            Ok(9_223_371_487_098_961_920)
        );
        assert_eq!(i64_trunc_f32_s(f32b(0xdf00_0000)), Ok(i64::MIN)); // -2^63
        assert_eq!(i64_trunc_f32_s(f32b(0x5f00_0000)), trap_range); // 2^63
        assert_eq!(i64_trunc_f32_s(f32b(0xdf00_0001)), trap_range); // next below -2^63
        assert_eq!(i64_trunc_f32_s(f32::INFINITY), trap_range);
        assert_eq!(i64_trunc_f32_s(f32::NAN), trap_nan);
        // Unsigned: (-1, 2^64).
        assert_eq!(i64_trunc_f32_u(-0.9), Ok(0));
        assert_eq!(i64_trunc_f32_u(4_294_967_296.0), Ok(4_294_967_296));
        assert_eq!(i64_trunc_f32_u(f32b(0x5f7f_ffff)), Ok(-1_099_511_627_776)); // 2^64 - 2^40
        assert_eq!(i64_trunc_f32_u(f32b(0x5f80_0000)), trap_range); // 2^64
        assert_eq!(i64_trunc_f32_u(-1.0), trap_range);
        assert_eq!(i64_trunc_f32_u(f32::NEG_INFINITY), trap_range);
        assert_eq!(i64_trunc_f32_u(f32::NAN), trap_nan);
    }

    #[test]
    fn i64_trunc_f64() {
        let trap_nan = Err(InvalidConversion);
        let trap_range = Err(IntegerOverflow);
        // Signed: [-2^63, 2^63).
        assert_eq!(i64_trunc_f64_s(-1.9), Ok(-1));
        assert_eq!(
            i64_trunc_f64_s(f64b(0x43df_ffff_ffff_ffff)),
            Ok(9_223_372_036_854_774_784)
        );
        assert_eq!(i64_trunc_f64_s(f64b(0xc3e0_0000_0000_0000)), Ok(i64::MIN)); // -2^63
        assert_eq!(i64_trunc_f64_s(f64b(0x43e0_0000_0000_0000)), trap_range); // 2^63
        // -2^63 - 2048, the next double below -2^63.
        assert_eq!(i64_trunc_f64_s(f64b(0xc3e0_0000_0000_0001)), trap_range);
        assert_eq!(i64_trunc_f64_s(f64::NEG_INFINITY), trap_range);
        assert_eq!(i64_trunc_f64_s(f64::NAN), trap_nan);
        // Unsigned: (-1, 2^64).
        assert_eq!(i64_trunc_f64_u(-0.9), Ok(0));
        assert_eq!(i64_trunc_f64_u(4_294_967_295.0), Ok(0xffff_ffff));
        assert_eq!(i64_trunc_f64_u(1e16), Ok(10_000_000_000_000_000));
        assert_eq!(i64_trunc_f64_u(f64b(0x43ef_ffff_ffff_ffff)), Ok(-2048)); // 2^64 - 2048
        assert_eq!(i64_trunc_f64_u(f64b(0x43f0_0000_0000_0000)), trap_range); // 2^64
        assert_eq!(i64_trunc_f64_u(-1.0), trap_range);
        assert_eq!(i64_trunc_f64_u(f64::INFINITY), trap_range);
        assert_eq!(i64_trunc_f64_u(-f64::NAN), trap_nan);
    }

    #[test]
    fn trunc_sat() {
        assert_eq!(i32_trunc_sat_f32_s(f32::NAN), 0);
        assert_eq!(i32_trunc_sat_f32_s(-f32::NAN), 0);
        assert_eq!(i32_trunc_sat_f32_s(f32::INFINITY), i32::MAX);
        assert_eq!(i32_trunc_sat_f32_s(f32::NEG_INFINITY), i32::MIN);
        assert_eq!(i32_trunc_sat_f32_s(2_147_483_648.0), i32::MAX);
        assert_eq!(i32_trunc_sat_f32_s(f32b(0xcf00_0001)), i32::MIN);
        assert_eq!(i32_trunc_sat_f32_s(-1.9), -1);
        assert_eq!(i32_trunc_sat_f32_u(f32::NAN), 0);
        assert_eq!(i32_trunc_sat_f32_u(f32::INFINITY), -1);
        assert_eq!(i32_trunc_sat_f32_u(f32::NEG_INFINITY), 0);
        assert_eq!(i32_trunc_sat_f32_u(-1.0), 0);
        assert_eq!(i32_trunc_sat_f32_u(4_294_967_296.0), -1);
        assert_eq!(i32_trunc_sat_f32_u(4_294_967_040.0), -256);

        assert_eq!(i32_trunc_sat_f64_s(f64::NAN), 0);
        assert_eq!(i32_trunc_sat_f64_s(2_147_483_647.9), i32::MAX);
        assert_eq!(i32_trunc_sat_f64_s(2_147_483_648.0), i32::MAX);
        assert_eq!(i32_trunc_sat_f64_s(-2_147_483_648.9), i32::MIN);
        assert_eq!(i32_trunc_sat_f64_s(-2_147_483_649.0), i32::MIN);
        assert_eq!(i32_trunc_sat_f64_u(f64::NAN), 0);
        assert_eq!(i32_trunc_sat_f64_u(4_294_967_295.9), -1);
        assert_eq!(i32_trunc_sat_f64_u(1e16), -1);
        assert_eq!(i32_trunc_sat_f64_u(-0.9), 0);
        assert_eq!(i32_trunc_sat_f64_u(f64::NEG_INFINITY), 0);

        assert_eq!(i64_trunc_sat_f32_s(f32::NAN), 0);
        assert_eq!(i64_trunc_sat_f32_s(f32b(0x5f00_0000)), i64::MAX);
        assert_eq!(i64_trunc_sat_f32_s(f32b(0xdf00_0001)), i64::MIN);
        assert_eq!(
            i64_trunc_sat_f32_s(f32b(0x5eff_ffff)),
            9_223_371_487_098_961_920
        );
        assert_eq!(i64_trunc_sat_f32_u(f32::NAN), 0);
        assert_eq!(i64_trunc_sat_f32_u(f32::INFINITY), -1);
        assert_eq!(i64_trunc_sat_f32_u(f32b(0x5f80_0000)), -1);
        assert_eq!(i64_trunc_sat_f32_u(f32b(0x5f7f_ffff)), -1_099_511_627_776);
        assert_eq!(i64_trunc_sat_f32_u(-1.0), 0);

        assert_eq!(i64_trunc_sat_f64_s(f64::NAN), 0);
        assert_eq!(i64_trunc_sat_f64_s(f64::INFINITY), i64::MAX);
        assert_eq!(i64_trunc_sat_f64_s(f64::NEG_INFINITY), i64::MIN);
        assert_eq!(i64_trunc_sat_f64_s(f64b(0x43e0_0000_0000_0000)), i64::MAX);
        assert_eq!(i64_trunc_sat_f64_s(f64b(0xc3e0_0000_0000_0001)), i64::MIN);
        assert_eq!(i64_trunc_sat_f64_u(f64::NAN), 0);
        assert_eq!(i64_trunc_sat_f64_u(f64b(0x43ef_ffff_ffff_ffff)), -2048);
        assert_eq!(i64_trunc_sat_f64_u(f64b(0x43f0_0000_0000_0000)), -1);
        assert_eq!(i64_trunc_sat_f64_u(-0.9), 0);
        assert_eq!(i64_trunc_sat_f64_u(f64::NEG_INFINITY), 0);
    }

    #[test]
    fn convert_rounds_to_nearest_even() {
        // i32 -> f32: 2^24 + 1 is a tie, rounds to even.
        assert_eq!(f32_convert_i32_s(16_777_217), 16_777_216.0);
        assert_eq!(f32_convert_i32_s(16_777_219), 16_777_220.0);
        assert_eq!(f32_convert_i32_s(-16_777_217), -16_777_216.0);
        assert_eq!(f32_convert_i32_s(i32::MIN), -2_147_483_648.0);
        assert_eq!(f32_convert_i32_s(i32::MAX), 2_147_483_648.0);
        assert_eq!(f32_convert_i32_u(-1), 4_294_967_296.0);
        assert_eq!(f32_convert_i32_u(i32::MIN).to_bits(), 0x4f00_0000);
        assert_eq!(
            f32_convert_i32_u(0x8000_0080_u32 as i32).to_bits(),
            0x4f00_0000
        );
        assert_eq!(
            f32_convert_i32_u(0x8000_0081_u32 as i32).to_bits(),
            0x4f00_0001
        );
        assert_eq!(
            f32_convert_i32_u(0x8000_0180_u32 as i32).to_bits(),
            0x4f00_0002
        );
        assert_eq!(
            f32_convert_i32_u(0xffff_fe80_u32 as i32).to_bits(),
            0x4f7f_fffe
        );
        assert_eq!(
            f32_convert_i32_u(0xffff_fe81_u32 as i32).to_bits(),
            0x4f7f_ffff
        );

        // i64 -> f32.
        assert_eq!(
            f32_convert_i64_s(9_007_199_791_611_905).to_bits(),
            0x5a00_0001
        );
        assert_eq!(
            f32_convert_i64_s(-9_007_199_791_611_905).to_bits(),
            0xda00_0001
        );
        assert_eq!(f32_convert_i64_s(i64::MIN).to_bits(), 0xdf00_0000);
        assert_eq!(f32_convert_i64_s(i64::MAX).to_bits(), 0x5f00_0000);
        assert_eq!(f32_convert_i64_u(-1), 18_446_744_073_709_551_616.0);
        assert_eq!(f32_convert_i64_u(-1).to_bits(), 0x5f80_0000);
        assert_eq!(f32_convert_i64_u(i64::MAX).to_bits(), 0x5f00_0000);
        assert_eq!(f32_convert_i64_u(i64::MIN).to_bits(), 0x5f00_0000);
        // A single low bit past the halfway point must round up.
        assert_eq!(
            f32_convert_i64_u(0x8000_0080_0000_0001_u64 as i64).to_bits(),
            0x5f00_0001
        );
        assert_eq!(
            f32_convert_i64_u(0xffff_fe80_0000_0001_u64 as i64).to_bits(),
            0x5f7f_ffff
        );
        assert_eq!(
            f32_convert_i64_u(0x0020_0000_2000_0001).to_bits(),
            0x5a00_0001
        );

        // i32 -> f64 is exact.
        assert_eq!(f64_convert_i32_s(i32::MIN), -2_147_483_648.0);
        assert_eq!(f64_convert_i32_s(-1), -1.0);
        assert_eq!(f64_convert_i32_u(-1), 4_294_967_295.0);
        assert_eq!(f64_convert_i32_u(i32::MIN), 2_147_483_648.0);

        // i64 -> f64.
        assert_eq!(
            f64_convert_i64_s(9_007_199_254_740_993),
            9_007_199_254_740_992.0
        );
        assert_eq!(
            f64_convert_i64_s(9_007_199_254_740_995),
            9_007_199_254_740_996.0
        );
        assert_eq!(
            f64_convert_i64_s(-9_007_199_254_740_993),
            -9_007_199_254_740_992.0
        );
        assert_eq!(f64_convert_i64_s(i64::MIN).to_bits(), 0xc3e0_0000_0000_0000);
        assert_eq!(f64_convert_i64_u(-1).to_bits(), 0x43f0_0000_0000_0000);
        assert_eq!(f64_convert_i64_u(i64::MIN).to_bits(), 0x43e0_0000_0000_0000);
        assert_eq!(
            f64_convert_i64_u(0x8000_0000_0000_0401_u64 as i64).to_bits(),
            0x43e0_0000_0000_0001
        );
        assert_eq!(
            f64_convert_i64_u(0xffff_ffff_ffff_f401_u64 as i64).to_bits(),
            0x43ef_ffff_ffff_ffff
        );
    }

    #[test]
    fn demote_and_promote() {
        assert_eq!(f32_demote_f64(0.1).to_bits(), 0x3dcc_cccd);
        assert_eq!(f32_demote_f64(-0.0).to_bits(), 0x8000_0000);
        assert_eq!(f32_demote_f64(1e300), f32::INFINITY);
        assert_eq!(f32_demote_f64(-1e300), f32::NEG_INFINITY);
        // Halfway between 1.0 and the next f32: ties to even, down to 1.0.
        assert_eq!(f32_demote_f64(f64b(0x3ff0_0000_1000_0000)), 1.0);
        assert_eq!(
            f32_demote_f64(f64b(0x3ff0_0000_3000_0000)).to_bits(),
            0x3f80_0002
        );
        // f32::MAX plus half an ulp rounds to infinity; just below stays finite.
        assert_eq!(f32_demote_f64(f64b(0x47ef_ffff_f000_0000)), f32::INFINITY);
        assert_eq!(
            f32_demote_f64(f64b(0x47ef_ffff_efff_ffff)).to_bits(),
            0x7f7f_ffff
        );
        // The smallest f32 subnormal, and half of it (a tie, to even: zero).
        assert_eq!(f32_demote_f64(f64b(0x36a0_0000_0000_0000)).to_bits(), 1);
        assert_eq!(f32_demote_f64(f64b(0x3690_0000_0000_0000)).to_bits(), 0);
        let nan = f32_demote_f64(f64b(0x7ff8_0000_0000_0000));
        assert_eq!(nan.to_bits() & 0x7fc0_0000, 0x7fc0_0000);

        assert_eq!(f64_promote_f32(0.1).to_bits(), 0x3fb9_9999_a000_0000);
        assert_eq!(f64_promote_f32(-0.0).to_bits(), 0x8000_0000_0000_0000);
        assert_eq!(f64_promote_f32(f32b(1)).to_bits(), 0x36a0_0000_0000_0000);
        assert_eq!(f64_promote_f32(f32::NEG_INFINITY), f64::NEG_INFINITY);
        let nan = f64_promote_f32(f32b(0x7fc0_0000));
        assert_eq!(nan.to_bits() & 0x7ff8_0000_0000_0000, 0x7ff8_0000_0000_0000);
    }

    #[test]
    fn reinterpret_is_bit_exact() {
        assert_eq!(i32_reinterpret_f32(-0.0), i32::MIN);
        assert_eq!(i32_reinterpret_f32(1.0), 0x3f80_0000);
        assert_eq!(i32_reinterpret_f32(f32b(0x7fa0_1234)), 0x7fa0_1234);
        assert_eq!(i64_reinterpret_f64(-0.0), i64::MIN);
        assert_eq!(i64_reinterpret_f64(1.0), 0x3ff0_0000_0000_0000);
        assert_eq!(f32_reinterpret_i32(0x3f80_0000), 1.0);
        assert_eq!(f32_reinterpret_i32(-1).to_bits(), 0xffff_ffff);
        assert_eq!(f64_reinterpret_i64(0x4000_0000_0000_0000), 2.0);
        for bits in [0, 1, -1, i32::MIN, 0x7fa0_1234, 0xffc0_0001_u32 as i32] {
            assert_eq!(i32_reinterpret_f32(f32_reinterpret_i32(bits)), bits);
        }
        for bits in [
            0,
            1,
            -1,
            i64::MIN,
            0x7ff4_0000_0000_0001,
            0xfff8_0000_0000_0001_u64 as i64,
        ] {
            assert_eq!(i64_reinterpret_f64(f64_reinterpret_i64(bits)), bits);
        }
    }
}
