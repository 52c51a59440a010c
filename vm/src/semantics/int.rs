//! Wasm integer instructions (`i32.*` and `i64.*`, numeric only).
//!
//! Both widths come from one macro, `int_ops!`, so that `i32` and `i64`
//! cannot drift apart. Arithmetic wraps modulo 2^N; shift and rotate counts
//! are taken modulo N; `_u` instructions reinterpret their operands as
//! unsigned.

use super::NumTrap;

/// Generates every integer instruction for one width. `$t` is the Wasm
/// value type, `$u` its unsigned reinterpretation, `$bits` its width; each
/// `op = name` pair names the generated function for that instruction.
macro_rules! int_ops {
    (
        $t:ident, $u:ident, $bits:literal;
        add = $add:ident, sub = $sub:ident, mul = $mul:ident,
        div_s = $div_s:ident, div_u = $div_u:ident,
        rem_s = $rem_s:ident, rem_u = $rem_u:ident,
        and = $and:ident, or = $or:ident, xor = $xor:ident,
        shl = $shl:ident, shr_s = $shr_s:ident, shr_u = $shr_u:ident,
        rotl = $rotl:ident, rotr = $rotr:ident,
        clz = $clz:ident, ctz = $ctz:ident, popcnt = $popcnt:ident,
        eqz = $eqz:ident, eq = $eq:ident, ne = $ne:ident,
        lt_s = $lt_s:ident, lt_u = $lt_u:ident, gt_s = $gt_s:ident, gt_u = $gt_u:ident,
        le_s = $le_s:ident, le_u = $le_u:ident, ge_s = $ge_s:ident, ge_u = $ge_u:ident,
        extend8_s = $ext8:ident, extend16_s = $ext16:ident $(,)?
    ) => {
        int_ops!(@bin $t, "add: wrapping addition modulo 2^N.",
            $add(a, b) => a.wrapping_add(b));
        int_ops!(@bin $t, "sub: wrapping subtraction modulo 2^N.",
            $sub(a, b) => a.wrapping_sub(b));
        int_ops!(@bin $t, "mul: wrapping multiplication modulo 2^N.",
            $mul(a, b) => a.wrapping_mul(b));
        int_ops!(@bin $t, "and: bitwise and.", $and(a, b) => a & b);
        int_ops!(@bin $t, "or: bitwise or.", $or(a, b) => a | b);
        int_ops!(@bin $t, "xor: bitwise exclusive or.", $xor(a, b) => a ^ b);
        int_ops!(@bin $t, "shl: shift left by `b` modulo N.",
            $shl(a, b) => a.wrapping_shl(b as u32));
        int_ops!(@bin $t, "shr_s: arithmetic shift right by `b` modulo N.",
            $shr_s(a, b) => a.wrapping_shr(b as u32));
        int_ops!(@bin $t, "shr_u: logical shift right by `b` modulo N.",
            $shr_u(a, b) => (a as $u).wrapping_shr(b as u32) as $t);
        int_ops!(@bin $t, "rotl: rotate left by `b` modulo N.",
            $rotl(a, b) => a.rotate_left(b as u32 & ($bits - 1)));
        int_ops!(@bin $t, "rotr: rotate right by `b` modulo N.",
            $rotr(a, b) => a.rotate_right(b as u32 & ($bits - 1)));

        int_ops!(@un $t, "clz: number of leading zero bits (N for 0).",
            $clz(a) -> $t => a.leading_zeros() as $t);
        int_ops!(@un $t, "ctz: number of trailing zero bits (N for 0).",
            $ctz(a) -> $t => a.trailing_zeros() as $t);
        int_ops!(@un $t, "popcnt: number of one bits.",
            $popcnt(a) -> $t => a.count_ones() as $t);
        int_ops!(@un $t, "eqz: whether the operand is zero.",
            $eqz(a) -> bool => a == 0);
        int_ops!(@un $t, "extend8_s: sign-extend the low 8 bits.",
            $ext8(a) -> $t => a as i8 as $t);
        int_ops!(@un $t, "extend16_s: sign-extend the low 16 bits.",
            $ext16(a) -> $t => a as i16 as $t);

        int_ops!(@cmp $t, "eq: equality.", $eq(a, b) => a == b);
        int_ops!(@cmp $t, "ne: inequality.", $ne(a, b) => a != b);
        int_ops!(@cmp $t, "lt_s: signed less than.", $lt_s(a, b) => a < b);
        int_ops!(@cmp $t, "lt_u: unsigned less than.", $lt_u(a, b) => (a as $u) < (b as $u));
        int_ops!(@cmp $t, "gt_s: signed greater than.", $gt_s(a, b) => a > b);
        int_ops!(@cmp $t, "gt_u: unsigned greater than.", $gt_u(a, b) => (a as $u) > (b as $u));
        int_ops!(@cmp $t, "le_s: signed less or equal.", $le_s(a, b) => a <= b);
        int_ops!(@cmp $t, "le_u: unsigned less or equal.", $le_u(a, b) => (a as $u) <= (b as $u));
        int_ops!(@cmp $t, "ge_s: signed greater or equal.", $ge_s(a, b) => a >= b);
        int_ops!(@cmp $t, "ge_u: unsigned greater or equal.", $ge_u(a, b) => (a as $u) >= (b as $u));

        int_ops!(@trap $t,
            "div_s: signed division truncating toward zero; traps on a zero \
             divisor, and with `IntegerOverflow` on MIN / -1.",
            $div_s(a, b) => a.checked_div(b).ok_or(NumTrap::IntegerOverflow));
        int_ops!(@trap $t,
            "div_u: unsigned division; traps on a zero divisor.",
            $div_u(a, b) => Ok(((a as $u) / (b as $u)) as $t));
        int_ops!(@trap $t,
            "rem_s: signed remainder with the sign of the dividend; traps on \
             a zero divisor; MIN rem_s -1 is 0.",
            $rem_s(a, b) => Ok(a.wrapping_rem(b)));
        int_ops!(@trap $t,
            "rem_u: unsigned remainder; traps on a zero divisor.",
            $rem_u(a, b) => Ok(((a as $u) % (b as $u)) as $t));
    };

    (@bin $t:ident, $doc:literal, $name:ident($a:ident, $b:ident) => $body:expr) => {
        #[doc = concat!("Wasm `", stringify!($t), ".", $doc)]
        #[inline]
        #[must_use]
        pub fn $name($a: $t, $b: $t) -> $t {
            $body
        }
    };
    (@un $t:ident, $doc:literal, $name:ident($a:ident) -> $r:ty => $body:expr) => {
        #[doc = concat!("Wasm `", stringify!($t), ".", $doc)]
        #[inline]
        #[must_use]
        pub fn $name($a: $t) -> $r {
            $body
        }
    };
    (@cmp $t:ident, $doc:literal, $name:ident($a:ident, $b:ident) => $body:expr) => {
        #[doc = concat!("Wasm `", stringify!($t), ".", $doc)]
        #[inline]
        #[must_use]
        pub fn $name($a: $t, $b: $t) -> bool {
            $body
        }
    };
    // Division and remainder: the zero-divisor check comes first, as in the
    // spec, so `$body` may assume `b != 0`.
    (@trap $t:ident, $doc:literal, $name:ident($a:ident, $b:ident) => $body:expr) => {
        #[doc = concat!("Wasm `", stringify!($t), ".", $doc)]
        #[inline]
        pub fn $name($a: $t, $b: $t) -> Result<$t, NumTrap> {
            if $b == 0 {
                return Err(NumTrap::IntegerDivideByZero);
            }
            $body
        }
    };
}

int_ops! {
    i32, u32, 32;
    add = i32_add, sub = i32_sub, mul = i32_mul,
    div_s = i32_div_s, div_u = i32_div_u, rem_s = i32_rem_s, rem_u = i32_rem_u,
    and = i32_and, or = i32_or, xor = i32_xor,
    shl = i32_shl, shr_s = i32_shr_s, shr_u = i32_shr_u, rotl = i32_rotl, rotr = i32_rotr,
    clz = i32_clz, ctz = i32_ctz, popcnt = i32_popcnt,
    eqz = i32_eqz, eq = i32_eq, ne = i32_ne,
    lt_s = i32_lt_s, lt_u = i32_lt_u, gt_s = i32_gt_s, gt_u = i32_gt_u,
    le_s = i32_le_s, le_u = i32_le_u, ge_s = i32_ge_s, ge_u = i32_ge_u,
    extend8_s = i32_extend8_s, extend16_s = i32_extend16_s,
}

int_ops! {
    i64, u64, 64;
    add = i64_add, sub = i64_sub, mul = i64_mul,
    div_s = i64_div_s, div_u = i64_div_u, rem_s = i64_rem_s, rem_u = i64_rem_u,
    and = i64_and, or = i64_or, xor = i64_xor,
    shl = i64_shl, shr_s = i64_shr_s, shr_u = i64_shr_u, rotl = i64_rotl, rotr = i64_rotr,
    clz = i64_clz, ctz = i64_ctz, popcnt = i64_popcnt,
    eqz = i64_eqz, eq = i64_eq, ne = i64_ne,
    lt_s = i64_lt_s, lt_u = i64_lt_u, gt_s = i64_gt_s, gt_u = i64_gt_u,
    le_s = i64_le_s, le_u = i64_le_u, ge_s = i64_ge_s, ge_u = i64_ge_u,
    extend8_s = i64_extend8_s, extend16_s = i64_extend16_s,
}

/// Wasm `i64.extend32_s`: sign-extend the low 32 bits.
#[inline]
#[must_use]
pub fn i64_extend32_s(a: i64) -> i64 {
    i64::from(a as i32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use NumTrap::{IntegerDivideByZero, IntegerOverflow};

    #[test]
    fn add_sub_mul_wrap() {
        assert_eq!(i32_add(0x7fff_ffff, 1), i32::MIN);
        assert_eq!(i32_add(-1, -1), -2);
        assert_eq!(i32_sub(i32::MIN, 1), 0x7fff_ffff);
        assert_eq!(i32_mul(0x1000_0000, 4096), 0);
        assert_eq!(i32_mul(0x0123_4567, 0x7654_3210), 0x358e_7470);
        assert_eq!(i64_add(0x7fff_ffff_ffff_ffff, 1), i64::MIN);
        assert_eq!(i64_sub(i64::MIN, 1), 0x7fff_ffff_ffff_ffff);
        assert_eq!(
            i64_mul(0x0123_4567_89ab_cdef, 0xfedc_ba98_7654_3210_u64 as i64),
            0x2236_d88f_e561_8cf0
        );
    }

    #[test]
    fn div_s_traps_and_truncates() {
        assert_eq!(i32_div_s(1, 0), Err(IntegerDivideByZero));
        assert_eq!(i32_div_s(0, 0), Err(IntegerDivideByZero));
        assert_eq!(i32_div_s(i32::MIN, 0), Err(IntegerDivideByZero));
        assert_eq!(i32_div_s(i32::MIN, -1), Err(IntegerOverflow));
        assert_eq!(i32_div_s(i32::MIN + 1, -1), Ok(0x7fff_ffff));
        assert_eq!(i32_div_s(i32::MIN, 2), Ok(-0x4000_0000));
        assert_eq!(i32_div_s(7, 3), Ok(2));
        assert_eq!(i32_div_s(-7, 3), Ok(-2));
        assert_eq!(i32_div_s(7, -3), Ok(-2));
        assert_eq!(i32_div_s(-7, -3), Ok(2));
        assert_eq!(i32_div_s(-5, 2), Ok(-2));
        assert_eq!(i64_div_s(1, 0), Err(IntegerDivideByZero));
        assert_eq!(i64_div_s(i64::MIN, -1), Err(IntegerOverflow));
        assert_eq!(i64_div_s(i64::MIN, 2), Ok(-0x4000_0000_0000_0000));
        assert_eq!(i64_div_s(-7, 3), Ok(-2));
    }

    #[test]
    fn div_u_is_unsigned() {
        assert_eq!(i32_div_u(1, 0), Err(IntegerDivideByZero));
        assert_eq!(i32_div_u(i32::MIN, -1), Ok(0));
        assert_eq!(i32_div_u(i32::MIN, 2), Ok(0x4000_0000));
        assert_eq!(i32_div_u(-1, 2), Ok(0x7fff_ffff));
        assert_eq!(i32_div_u(-5, 2), Ok(0x7fff_fffd));
        assert_eq!(i32_div_u(0x8ff0_0ff0_u32 as i32, 0x10001), Ok(0x8fef));
        assert_eq!(i64_div_u(1, 0), Err(IntegerDivideByZero));
        assert_eq!(i64_div_u(i64::MIN, -1), Ok(0));
        assert_eq!(i64_div_u(-5, 2), Ok(0x7fff_ffff_ffff_fffd));
        assert_eq!(
            i64_div_u(0x8ff0_0ff0_0ff0_0ff0_u64 as i64, 0x1_0000_0001),
            Ok(0x8ff0_0fef)
        );
    }

    #[test]
    fn rem_edge_cases() {
        assert_eq!(i32_rem_s(1, 0), Err(IntegerDivideByZero));
        assert_eq!(i32_rem_s(i32::MIN, -1), Ok(0));
        assert_eq!(i32_rem_s(0x7fff_ffff, -1), Ok(0));
        assert_eq!(i32_rem_s(i32::MIN, 2), Ok(0));
        assert_eq!(i32_rem_s(7, 3), Ok(1));
        assert_eq!(i32_rem_s(-7, 3), Ok(-1));
        assert_eq!(i32_rem_s(7, -3), Ok(1));
        assert_eq!(i32_rem_s(-7, -3), Ok(-1));
        assert_eq!(i32_rem_u(1, 0), Err(IntegerDivideByZero));
        assert_eq!(i32_rem_u(i32::MIN, -1), Ok(i32::MIN));
        assert_eq!(i32_rem_u(-5, 2), Ok(1));
        assert_eq!(i32_rem_u(0x8ff0_0ff0_u32 as i32, 0x10001), Ok(0x8001));
        assert_eq!(i64_rem_s(1, 0), Err(IntegerDivideByZero));
        assert_eq!(i64_rem_s(i64::MIN, -1), Ok(0));
        assert_eq!(i64_rem_s(-7, 3), Ok(-1));
        assert_eq!(i64_rem_u(1, 0), Err(IntegerDivideByZero));
        assert_eq!(i64_rem_u(i64::MIN, -1), Ok(i64::MIN));
        assert_eq!(
            i64_rem_u(0x8ff0_0ff0_0ff0_0ff0_u64 as i64, 0x1_0000_0001),
            Ok(0x8000_0001)
        );
    }

    #[test]
    fn bitwise() {
        assert_eq!(
            i32_and(0xf0f0_ffff_u32 as i32, 0xffff_f0f0_u32 as i32),
            0xf0f0_f0f0_u32 as i32
        );
        assert_eq!(i32_or(0xf0f0_ffff_u32 as i32, 0xffff_f0f0_u32 as i32), -1);
        assert_eq!(
            i32_xor(0xf0f0_ffff_u32 as i32, 0xffff_f0f0_u32 as i32),
            0x0f0f_0f0f
        );
        assert_eq!(i64_xor(i64::MIN, -1), 0x7fff_ffff_ffff_ffff);
        assert_eq!(i64_and(-1, 0x1234), 0x1234);
        assert_eq!(i64_or(i64::MIN, 1), i64::MIN + 1);
    }

    #[test]
    fn shift_counts_are_masked() {
        assert_eq!(i32_shl(1, 31), i32::MIN);
        assert_eq!(i32_shl(1, 32), 1);
        assert_eq!(i32_shl(1, 33), 2);
        assert_eq!(i32_shl(1, -1), i32::MIN);
        assert_eq!(i32_shr_s(i32::MIN, 31), -1);
        assert_eq!(i32_shr_s(i32::MIN, 32), i32::MIN);
        assert_eq!(i32_shr_s(-1, 33), -1);
        assert_eq!(i32_shr_s(i32::MIN, 33), -0x4000_0000);
        assert_eq!(i32_shr_s(i32::MIN, -1), -1);
        assert_eq!(i32_shr_u(i32::MIN, 31), 1);
        assert_eq!(i32_shr_u(i32::MIN, 32), i32::MIN);
        assert_eq!(i32_shr_u(-1, 33), 0x7fff_ffff);
        assert_eq!(i32_shr_u(-1, -1), 1);

        assert_eq!(i64_shl(1, 63), i64::MIN);
        assert_eq!(i64_shl(1, 64), 1);
        assert_eq!(i64_shl(1, 65), 2);
        assert_eq!(i64_shl(1, -1), i64::MIN);
        assert_eq!(i64_shl(1, 32), 0x1_0000_0000);
        assert_eq!(i64_shr_s(i64::MIN, 63), -1);
        assert_eq!(i64_shr_s(i64::MIN, 64), i64::MIN);
        assert_eq!(i64_shr_s(i64::MIN, 65), -0x4000_0000_0000_0000);
        assert_eq!(i64_shr_s(i64::MIN, -1), -1);
        assert_eq!(i64_shr_u(i64::MIN, 63), 1);
        assert_eq!(i64_shr_u(i64::MIN, 64), i64::MIN);
        assert_eq!(i64_shr_u(-1, 65), 0x7fff_ffff_ffff_ffff);
        assert_eq!(i64_shr_u(-1, -1), 1);
        // Only the low six bits of the count matter, not the low 32.
        assert_eq!(i64_shl(1, 0x1_0000_0001), 2);
    }

    #[test]
    fn rotates() {
        let x = 0xabcd_9876_u32 as i32;
        assert_eq!(i32_rotl(x, 0), x);
        assert_eq!(i32_rotl(x, 32), x);
        assert_eq!(i32_rotr(x, 0), x);
        assert_eq!(i32_rotr(x, 32), x);
        assert_eq!(i32_rotl(x, 1), 0x579b_30ed);
        assert_eq!(i32_rotl(x, 33), 0x579b_30ed);
        assert_eq!(i32_rotr(x, 1), 0x55e6_cc3b);
        assert_eq!(i32_rotr(x, -1), 0x579b_30ed);
        assert_eq!(i32_rotl(1, 31), i32::MIN);
        assert_eq!(i32_rotr(1, 1), i32::MIN);

        let y = 0xabcd_9876_5432_10ef_u64 as i64;
        assert_eq!(i64_rotl(y, 0), y);
        assert_eq!(i64_rotl(y, 64), y);
        assert_eq!(i64_rotr(y, 0), y);
        assert_eq!(i64_rotr(y, 64), y);
        assert_eq!(i64_rotl(1, 63), i64::MIN);
        assert_eq!(i64_rotl(1, 65), 2);
        assert_eq!(i64_rotr(1, 65), i64::MIN);
        assert_eq!(i64_rotr(1, -1), 2);
        assert_eq!(i64_rotl(y, 4), 0xbcd9_8765_4321_0efa_u64 as i64);
        assert_eq!(i64_rotr(y, 4), 0xfabc_d987_6543_210e_u64 as i64);
    }

    #[test]
    fn counts() {
        assert_eq!(i32_clz(0), 32);
        assert_eq!(i32_ctz(0), 32);
        assert_eq!(i32_clz(-1), 0);
        assert_eq!(i32_ctz(i32::MIN), 31);
        assert_eq!(i32_clz(1), 31);
        assert_eq!(i32_clz(0x0000_8000), 16);
        assert_eq!(i32_popcnt(-1), 32);
        assert_eq!(i32_popcnt(0), 0);
        assert_eq!(i32_popcnt(0x5555_5555), 16);
        assert_eq!(i64_clz(0), 64);
        assert_eq!(i64_ctz(0), 64);
        assert_eq!(i64_clz(1), 63);
        assert_eq!(i64_ctz(i64::MIN), 63);
        assert_eq!(i64_popcnt(-1), 64);
        assert_eq!(i64_popcnt(0xdead_beef_dead_beef_u64 as i64), 48);
    }

    #[test]
    fn comparisons_signed_and_unsigned() {
        assert!(i32_eqz(0));
        assert!(!i32_eqz(i32::MIN));
        assert!(i64_eqz(0));
        assert!(!i64_eqz(1));
        assert!(i32_eq(-1, -1) && !i32_ne(-1, -1));
        assert!(i32_ne(1, -1));
        assert!(i32_lt_s(-1, 0) && !i32_lt_u(-1, 0));
        assert!(i32_gt_u(-1, 0) && !i32_gt_s(-1, 0));
        assert!(i32_le_s(i32::MIN, 0x7fff_ffff) && !i32_le_u(i32::MIN, 0x7fff_ffff));
        assert!(i32_ge_u(i32::MIN, 0x7fff_ffff) && !i32_ge_s(i32::MIN, 0x7fff_ffff));
        assert!(i32_le_s(5, 5) && i32_le_u(5, 5) && i32_ge_s(5, 5) && i32_ge_u(5, 5));
        assert!(!i32_lt_s(5, 5) && !i32_lt_u(5, 5) && !i32_gt_s(5, 5) && !i32_gt_u(5, 5));
        assert!(i64_eq(i64::MIN, i64::MIN) && i64_ne(i64::MIN, 0));
        assert!(i64_lt_s(i64::MIN, 0) && !i64_lt_u(i64::MIN, 0));
        assert!(i64_gt_u(i64::MIN, 0) && !i64_gt_s(i64::MIN, 0));
        assert!(i64_le_s(-1, 1) && !i64_le_u(-1, 1));
        assert!(i64_ge_u(-1, 1) && !i64_ge_s(-1, 1));
    }

    #[test]
    fn sign_extensions() {
        assert_eq!(i32_extend8_s(0x80), -128);
        assert_eq!(i32_extend8_s(0x7f), 127);
        assert_eq!(i32_extend8_s(0x0123_4580), -128);
        assert_eq!(i32_extend8_s(0xfedc_ba7f_u32 as i32), 127);
        assert_eq!(i32_extend16_s(0x8000), -32768);
        assert_eq!(i32_extend16_s(0x7fff), 32767);
        assert_eq!(i32_extend16_s(0x0123_8000), -32768);
        assert_eq!(i32_extend16_s(0xfedc_7fff_u32 as i32), 32767);
        assert_eq!(i64_extend8_s(0x80), -128);
        assert_eq!(i64_extend8_s(0x0123_4567_89ab_cd80), -128);
        assert_eq!(i64_extend8_s(0xfedc_ba98_7654_327f_u64 as i64), 127);
        assert_eq!(i64_extend16_s(0x8000), -32768);
        assert_eq!(i64_extend16_s(0x0123_4567_89ab_8000), -32768);
        assert_eq!(i64_extend16_s(0x7fff), 32767);
        assert_eq!(i64_extend32_s(0x8000_0000), -0x8000_0000);
        assert_eq!(i64_extend32_s(0x7fff_ffff), 0x7fff_ffff);
        assert_eq!(i64_extend32_s(0x0123_4567_8000_0000), -0x8000_0000);
        assert_eq!(
            i64_extend32_s(0xfedc_ba98_7fff_ffff_u64 as i64),
            0x7fff_ffff
        );
        assert_eq!(i64_extend32_s(-1), -1);
    }
}
