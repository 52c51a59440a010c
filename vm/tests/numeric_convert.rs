//! Conversion instructions through the interpreter, against the values of
//! the WebAssembly spec's `conversions.wast`: wrap and extend, trapping
//! truncations (their exact limits, `IntegerOverflow` out of range and
//! `InvalidConversion` on NaN), saturating truncations, int-to-float
//! conversions (round to nearest, ties to even), demote and promote, and
//! the bit-exact reinterpretations.

#[macro_use]
mod common;

use arenavm_vm::exec::TrapKind::{IntegerOverflow, InvalidConversion};
use arenavm_vm::program::Val::{self, F32, F64, I32, I64};
use arenavm_vm::types::ScalarType as S;
use common::*;

const I32_MIN: i32 = i32::MIN;
const I32_MAX: i32 = i32::MAX;
const I64_MIN: i64 = i64::MIN;
const I64_MAX: i64 = i64::MAX;

/// NaNs of every kind: canonical, negative, signalling, negative signalling.
const F32_NANS: [u32; 4] = [0x7fc0_0000, 0xffc0_0000, 0x7fa0_0000, 0xffa0_0000];
const F64_NANS: [u64; 4] = [
    0x7ff8_0000_0000_0000,
    0xfff8_0000_0000_0000,
    0x7ff4_0000_0000_0000,
    0xfff4_0000_0000_0000,
];

fn d(x: u64) -> Val {
    I64(x as i64)
}

#[test]
fn wrap_and_extend() {
    un_table(
        un!(I32WrapI64),
        &[
            (I64(-1), I32(-1)),
            (I64(-100_000), I32(-100_000)),
            (I64(0x8000_0000), I32(I32_MIN)),
            (d(0xffff_ffff_7fff_ffff), I32(I32_MAX)),
            (d(0xffff_ffff_0000_0000), I32(0)),
            (d(0xffff_fffe_ffff_ffff), I32(-1)),
            (d(0xffff_ffff_0000_0001), I32(1)),
            (I64(0), I32(0)),
            (I64(0x0123_4567_89ab_cdef), I32(0x89ab_cdef_u32 as i32)),
            (I64(0x0000_0000_ffff_ffff), I32(-1)),
            (I64(0x0000_0001_0000_0000), I32(0)),
        ],
    );
    un_table(
        un!(I64ExtendI32S),
        &[
            (I32(0), I64(0)),
            (I32(10_000), I64(10_000)),
            (I32(-10_000), I64(-10_000)),
            (I32(-1), I64(-1)),
            (I32(I32_MAX), I64(0x7fff_ffff)),
            (I32(I32_MIN), I64(-0x8000_0000)),
        ],
    );
    un_table(
        un!(I64ExtendI32U),
        &[
            (I32(0), I64(0)),
            (I32(10_000), I64(10_000)),
            (I32(-10_000), I64(0xffff_d8f0)),
            (I32(-1), I64(0xffff_ffff)),
            (I32(I32_MAX), I64(0x7fff_ffff)),
            (I32(I32_MIN), I64(0x8000_0000)),
        ],
    );
}

#[test]
fn i32_trunc_f32_limits_and_traps() {
    un_table(
        un!(I32TruncF32S),
        &[
            (F32(0.0), I32(0)),
            (f32b(0x8000_0000), I32(0)),
            (f32b(1), I32(0)),
            (f32b(0x8000_0001), I32(0)),
            (F32(1.0), I32(1)),
            (f32b(0x3f8c_cccd), I32(1)), // 1.1
            (F32(1.5), I32(1)),
            (F32(-1.0), I32(-1)),
            (f32b(0xbf8c_cccd), I32(-1)), // -1.1
            (F32(-1.5), I32(-1)),
            (F32(-1.9), I32(-1)),
            (F32(-2.0), I32(-2)),
            (F32(2_147_483_520.0), I32(2_147_483_520)),
            (F32(-2_147_483_648.0), I32(I32_MIN)),
        ],
    );
    let s = OneOp::un(un!(I32TruncF32S), S::F32, S::I32);
    s.traps(&[F32(2_147_483_648.0)], IntegerOverflow);
    s.traps(&[f32b(0xcf00_0001)], IntegerOverflow); // -2147483904
    s.traps(&[F32(f32::INFINITY)], IntegerOverflow);
    s.traps(&[F32(f32::NEG_INFINITY)], IntegerOverflow);
    for nan in F32_NANS {
        s.traps(&[f32b(nan)], InvalidConversion);
    }

    un_table(
        un!(I32TruncF32U),
        &[
            (F32(0.0), I32(0)),
            (f32b(0x8000_0000), I32(0)),
            (f32b(1), I32(0)),
            (f32b(0x8000_0001), I32(0)),
            (F32(1.0), I32(1)),
            (F32(1.5), I32(1)),
            (F32(1.9), I32(1)),
            (F32(2.0), I32(2)),
            (F32(2_147_483_648.0), I32(I32_MIN)),
            (F32(4_294_967_040.0), I32(-256)),
            (f32b(0xbf66_6666), I32(0)), // -0.9
            (f32b(0xbf7f_ffff), I32(0)), // the float just above -1
        ],
    );
    let u = OneOp::un(un!(I32TruncF32U), S::F32, S::I32);
    u.traps(&[F32(4_294_967_296.0)], IntegerOverflow);
    u.traps(&[F32(-1.0)], IntegerOverflow);
    u.traps(&[F32(f32::INFINITY)], IntegerOverflow);
    u.traps(&[F32(f32::NEG_INFINITY)], IntegerOverflow);
    for nan in F32_NANS {
        u.traps(&[f32b(nan)], InvalidConversion);
    }
}

#[test]
fn i32_trunc_f64_limits_and_traps() {
    un_table(
        un!(I32TruncF64S),
        &[
            (F64(0.0), I32(0)),
            (f64b(0x8000_0000_0000_0000), I32(0)),
            (f64b(1), I32(0)),
            (F64(1.5), I32(1)),
            (F64(-1.5), I32(-1)),
            (F64(-1.9), I32(-1)),
            (F64(-2.0), I32(-2)),
            (F64(2_147_483_647.0), I32(I32_MAX)),
            (F64(2_147_483_647.9), I32(I32_MAX)),
            (F64(-2_147_483_648.0), I32(I32_MIN)),
            (F64(-2_147_483_648.9), I32(I32_MIN)),
        ],
    );
    let s = OneOp::un(un!(I32TruncF64S), S::F64, S::I32);
    s.traps(&[F64(2_147_483_648.0)], IntegerOverflow);
    s.traps(&[F64(-2_147_483_649.0)], IntegerOverflow);
    s.traps(&[F64(f64::INFINITY)], IntegerOverflow);
    s.traps(&[F64(f64::NEG_INFINITY)], IntegerOverflow);
    for nan in F64_NANS {
        s.traps(&[f64b(nan)], InvalidConversion);
    }

    un_table(
        un!(I32TruncF64U),
        &[
            (F64(0.0), I32(0)),
            (F64(-0.9), I32(0)),
            (f64b(0xbfef_ffff_ffff_ffff), I32(0)), // the double just above -1
            (F64(1.9), I32(1)),
            (F64(1e8), I32(100_000_000)),
            (F64(2_147_483_648.0), I32(I32_MIN)),
            (F64(4_294_967_295.0), I32(-1)),
            (F64(4_294_967_295.9), I32(-1)),
        ],
    );
    let u = OneOp::un(un!(I32TruncF64U), S::F64, S::I32);
    u.traps(&[F64(4_294_967_296.0)], IntegerOverflow);
    u.traps(&[F64(-1.0)], IntegerOverflow);
    u.traps(&[F64(1e16)], IntegerOverflow);
    u.traps(&[F64(1e30)], IntegerOverflow);
    u.traps(&[F64(9_223_372_036_854_775_808.0)], IntegerOverflow);
    u.traps(&[F64(f64::INFINITY)], IntegerOverflow);
    for nan in F64_NANS {
        u.traps(&[f64b(nan)], InvalidConversion);
    }
}

#[test]
fn i64_trunc_limits_and_traps() {
    un_table(
        un!(I64TruncF32S),
        &[
            (F32(0.0), I64(0)),
            (f32b(0x8000_0000), I64(0)),
            (F32(1.5), I64(1)),
            (F32(-1.5), I64(-1)),
            (F32(4_294_967_296.0), I64(4_294_967_296)),
            (F32(-4_294_967_296.0), I64(-4_294_967_296)),
            (f32b(0x5eff_ffff), I64(9_223_371_487_098_961_920)),
            (f32b(0xdf00_0000), I64(I64_MIN)), // -2^63
        ],
    );
    let op = OneOp::un(un!(I64TruncF32S), S::F32, S::I64);
    op.traps(&[f32b(0x5f00_0000)], IntegerOverflow); // 2^63
    op.traps(&[f32b(0xdf00_0001)], IntegerOverflow); // next below -2^63
    op.traps(&[F32(f32::INFINITY)], IntegerOverflow);
    op.traps(&[F32(f32::NEG_INFINITY)], IntegerOverflow);
    for nan in F32_NANS {
        op.traps(&[f32b(nan)], InvalidConversion);
    }

    un_table(
        un!(I64TruncF32U),
        &[
            (F32(0.0), I64(0)),
            (F32(1.5), I64(1)),
            (F32(4_294_967_296.0), I64(4_294_967_296)),
            (f32b(0x5f7f_ffff), I64(-1_099_511_627_776)), // 2^64 - 2^40
            (f32b(0xbf66_6666), I64(0)),
            (f32b(0xbf7f_ffff), I64(0)),
        ],
    );
    let op = OneOp::un(un!(I64TruncF32U), S::F32, S::I64);
    op.traps(&[f32b(0x5f80_0000)], IntegerOverflow); // 2^64
    op.traps(&[F32(-1.0)], IntegerOverflow);
    op.traps(&[F32(f32::INFINITY)], IntegerOverflow);
    op.traps(&[F32(f32::NEG_INFINITY)], IntegerOverflow);
    for nan in F32_NANS {
        op.traps(&[f32b(nan)], InvalidConversion);
    }

    un_table(
        un!(I64TruncF64S),
        &[
            (F64(0.0), I64(0)),
            (F64(1.5), I64(1)),
            (F64(-1.5), I64(-1)),
            (F64(4_294_967_296.0), I64(4_294_967_296)),
            (f64b(0x43df_ffff_ffff_ffff), I64(9_223_372_036_854_774_784)),
            (f64b(0xc3e0_0000_0000_0000), I64(I64_MIN)), // -2^63
        ],
    );
    let op = OneOp::un(un!(I64TruncF64S), S::F64, S::I64);
    op.traps(&[f64b(0x43e0_0000_0000_0000)], IntegerOverflow); // 2^63
    op.traps(&[f64b(0xc3e0_0000_0000_0001)], IntegerOverflow); // next below -2^63
    op.traps(&[F64(f64::INFINITY)], IntegerOverflow);
    op.traps(&[F64(f64::NEG_INFINITY)], IntegerOverflow);
    for nan in F64_NANS {
        op.traps(&[f64b(nan)], InvalidConversion);
    }

    un_table(
        un!(I64TruncF64U),
        &[
            (F64(0.0), I64(0)),
            (F64(-0.9), I64(0)),
            (F64(4_294_967_295.0), I64(0xffff_ffff)),
            (F64(4_294_967_296.0), I64(0x1_0000_0000)),
            (f64b(0x43ef_ffff_ffff_ffff), I64(-2048)), // 2^64 - 2048
            (F64(1e8), I64(100_000_000)),
            (F64(1e16), I64(10_000_000_000_000_000)),
            (F64(9_223_372_036_854_775_808.0), I64(I64_MIN)),
        ],
    );
    let op = OneOp::un(un!(I64TruncF64U), S::F64, S::I64);
    op.traps(&[f64b(0x43f0_0000_0000_0000)], IntegerOverflow); // 2^64
    op.traps(&[F64(-1.0)], IntegerOverflow);
    op.traps(&[F64(f64::INFINITY)], IntegerOverflow);
    op.traps(&[F64(f64::NEG_INFINITY)], IntegerOverflow);
    for nan in F64_NANS {
        op.traps(&[f64b(nan)], InvalidConversion);
    }
}

#[test]
fn saturating_truncations_never_trap() {
    let nan32: Vec<(Val, Val)> = F32_NANS.iter().map(|&n| (f32b(n), I32(0))).collect();
    let mut cases = vec![
        (F32(1.5), I32(1)),
        (F32(-1.5), I32(-1)),
        (F32(2_147_483_520.0), I32(2_147_483_520)),
        (F32(2_147_483_648.0), I32(I32_MAX)),
        (f32b(0xcf00_0001), I32(I32_MIN)),
        (F32(f32::INFINITY), I32(I32_MAX)),
        (F32(f32::NEG_INFINITY), I32(I32_MIN)),
    ];
    cases.extend(&nan32);
    un_table(un!(I32TruncSatF32S), &cases);

    let mut cases = vec![
        (F32(1.5), I32(1)),
        (F32(-0.9), I32(0)),
        (F32(4_294_967_040.0), I32(-256)),
        (F32(4_294_967_296.0), I32(-1)),
        (F32(-1.0), I32(0)),
        (F32(f32::INFINITY), I32(-1)),
        (F32(f32::NEG_INFINITY), I32(0)),
    ];
    cases.extend(&nan32);
    un_table(un!(I32TruncSatF32U), &cases);

    let nan64: Vec<(Val, Val)> = F64_NANS.iter().map(|&n| (f64b(n), I32(0))).collect();
    let mut cases = vec![
        (F64(2_147_483_647.9), I32(I32_MAX)),
        (F64(2_147_483_648.0), I32(I32_MAX)),
        (F64(-2_147_483_648.9), I32(I32_MIN)),
        (F64(-2_147_483_649.0), I32(I32_MIN)),
        (F64(1e300), I32(I32_MAX)),
        (F64(f64::NEG_INFINITY), I32(I32_MIN)),
    ];
    cases.extend(&nan64);
    un_table(un!(I32TruncSatF64S), &cases);

    let mut cases = vec![
        (F64(4_294_967_295.9), I32(-1)),
        (F64(4_294_967_296.0), I32(-1)),
        (F64(1e16), I32(-1)),
        (F64(-1.0), I32(0)),
        (F64(-0.9), I32(0)),
        (F64(f64::NEG_INFINITY), I32(0)),
    ];
    cases.extend(&nan64);
    un_table(un!(I32TruncSatF64U), &cases);

    let nan32: Vec<(Val, Val)> = F32_NANS.iter().map(|&n| (f32b(n), I64(0))).collect();
    let mut cases = vec![
        (f32b(0x5eff_ffff), I64(9_223_371_487_098_961_920)),
        (f32b(0x5f00_0000), I64(I64_MAX)),
        (f32b(0xdf00_0000), I64(I64_MIN)),
        (f32b(0xdf00_0001), I64(I64_MIN)),
        (F32(f32::INFINITY), I64(I64_MAX)),
        (F32(-1.5), I64(-1)),
    ];
    cases.extend(&nan32);
    un_table(un!(I64TruncSatF32S), &cases);

    let mut cases = vec![
        (f32b(0x5f7f_ffff), I64(-1_099_511_627_776)),
        (f32b(0x5f80_0000), I64(-1)),
        (F32(-1.0), I64(0)),
        (F32(f32::INFINITY), I64(-1)),
        (F32(f32::NEG_INFINITY), I64(0)),
    ];
    cases.extend(&nan32);
    un_table(un!(I64TruncSatF32U), &cases);

    let nan64: Vec<(Val, Val)> = F64_NANS.iter().map(|&n| (f64b(n), I64(0))).collect();
    let mut cases = vec![
        (f64b(0x43df_ffff_ffff_ffff), I64(9_223_372_036_854_774_784)),
        (f64b(0x43e0_0000_0000_0000), I64(I64_MAX)),
        (f64b(0xc3e0_0000_0000_0001), I64(I64_MIN)),
        (F64(f64::INFINITY), I64(I64_MAX)),
        (F64(f64::NEG_INFINITY), I64(I64_MIN)),
        (F64(-1.9), I64(-1)),
    ];
    cases.extend(&nan64);
    un_table(un!(I64TruncSatF64S), &cases);

    let mut cases = vec![
        (f64b(0x43ef_ffff_ffff_ffff), I64(-2048)),
        (f64b(0x43f0_0000_0000_0000), I64(-1)),
        (F64(-0.9), I64(0)),
        (F64(-1e300), I64(0)),
        (F64(f64::NEG_INFINITY), I64(0)),
        (F64(1e16), I64(10_000_000_000_000_000)),
    ];
    cases.extend(&nan64);
    un_table(un!(I64TruncSatF64U), &cases);
}

#[test]
fn int_to_f32_rounds_to_nearest_even() {
    un_table(
        un!(F32ConvertI32S),
        &[
            (I32(1), F32(1.0)),
            (I32(-1), F32(-1.0)),
            (I32(0), F32(0.0)),
            (I32(I32_MAX), F32(2_147_483_648.0)),
            (I32(I32_MIN), F32(-2_147_483_648.0)),
            (I32(1_234_567_890), f32b(0x4e93_2c06)),
            (I32(16_777_217), F32(16_777_216.0)),
            (I32(-16_777_217), F32(-16_777_216.0)),
            (I32(16_777_219), F32(16_777_220.0)),
            (I32(-16_777_219), F32(-16_777_220.0)),
        ],
    );
    un_table(
        un!(F32ConvertI32U),
        &[
            (I32(1), F32(1.0)),
            (I32(0), F32(0.0)),
            (I32(I32_MAX), F32(2_147_483_648.0)),
            (I32(I32_MIN), F32(2_147_483_648.0)),
            (I32(0x1234_5678), f32b(0x4d91_a2b4)),
            (I32(-1), F32(4_294_967_296.0)),
            (I32(0x8000_0080_u32 as i32), f32b(0x4f00_0000)),
            (I32(0x8000_0081_u32 as i32), f32b(0x4f00_0001)),
            (I32(0x8000_0082_u32 as i32), f32b(0x4f00_0001)),
            (I32(0xffff_fe80_u32 as i32), f32b(0x4f7f_fffe)),
            (I32(0xffff_fe81_u32 as i32), f32b(0x4f7f_ffff)),
            (I32(0xffff_fe82_u32 as i32), f32b(0x4f7f_ffff)),
            (I32(16_777_217), F32(16_777_216.0)),
            (I32(16_777_219), F32(16_777_220.0)),
        ],
    );
    un_table(
        un!(F32ConvertI64S),
        &[
            (I64(1), F32(1.0)),
            (I64(-1), F32(-1.0)),
            (I64(0), F32(0.0)),
            (I64(I64_MAX), f32b(0x5f00_0000)),
            (I64(I64_MIN), f32b(0xdf00_0000)),
            (I64(314_159_265_358_979), f32b(0x578e_dcf4)),
            (I64(16_777_217), F32(16_777_216.0)),
            (I64(-16_777_217), F32(-16_777_216.0)),
            (I64(16_777_219), F32(16_777_220.0)),
            (I64(0x7fff_ff40_0000_0001), f32b(0x5eff_ffff)),
            (d(0x8000_0040_0000_0001), f32b(0xdeff_ffff)),
            (I64(9_007_199_791_611_905), f32b(0x5a00_0001)),
            (I64(-9_007_199_791_611_905), f32b(0xda00_0001)),
        ],
    );
    un_table(
        un!(F32ConvertI64U),
        &[
            (I64(1), F32(1.0)),
            (I64(0), F32(0.0)),
            (I64(I64_MAX), f32b(0x5f00_0000)),
            (I64(I64_MIN), f32b(0x5f00_0000)),
            (I64(-1), f32b(0x5f80_0000)),
            (I64(16_777_217), F32(16_777_216.0)),
            (I64(16_777_219), F32(16_777_220.0)),
            (I64(0x0020_0000_2000_0001), f32b(0x5a00_0001)),
            (I64(0x7fff_ffbf_ffff_ffff), f32b(0x5eff_ffff)),
            // One low bit past the halfway point must round up.
            (d(0x8000_0080_0000_0001), f32b(0x5f00_0001)),
            (d(0xffff_fe80_0000_0001), f32b(0x5f7f_ffff)),
        ],
    );
}

#[test]
fn int_to_f64_rounds_to_nearest_even() {
    un_table(
        un!(F64ConvertI32S),
        &[
            (I32(1), F64(1.0)),
            (I32(-1), F64(-1.0)),
            (I32(0), F64(0.0)),
            (I32(I32_MAX), F64(2_147_483_647.0)),
            (I32(I32_MIN), F64(-2_147_483_648.0)),
            (I32(987_654_321), F64(987_654_321.0)),
        ],
    );
    un_table(
        un!(F64ConvertI32U),
        &[
            (I32(1), F64(1.0)),
            (I32(0), F64(0.0)),
            (I32(I32_MAX), F64(2_147_483_647.0)),
            (I32(I32_MIN), F64(2_147_483_648.0)),
            (I32(-1), F64(4_294_967_295.0)),
        ],
    );
    un_table(
        un!(F64ConvertI64S),
        &[
            (I64(1), F64(1.0)),
            (I64(-1), F64(-1.0)),
            (I64(0), F64(0.0)),
            (I64(I64_MAX), f64b(0x43e0_0000_0000_0000)),
            (I64(I64_MIN), f64b(0xc3e0_0000_0000_0000)),
            (I64(4_669_201_609_102_990), F64(4_669_201_609_102_990.0)),
            (I64(9_007_199_254_740_993), F64(9_007_199_254_740_992.0)),
            (I64(-9_007_199_254_740_993), F64(-9_007_199_254_740_992.0)),
            (I64(9_007_199_254_740_995), F64(9_007_199_254_740_996.0)),
            (I64(-9_007_199_254_740_995), F64(-9_007_199_254_740_996.0)),
        ],
    );
    un_table(
        un!(F64ConvertI64U),
        &[
            (I64(1), F64(1.0)),
            (I64(0), F64(0.0)),
            (I64(I64_MAX), f64b(0x43e0_0000_0000_0000)),
            (I64(I64_MIN), f64b(0x43e0_0000_0000_0000)),
            (I64(-1), f64b(0x43f0_0000_0000_0000)),
            (d(0x8000_0000_0000_0400), f64b(0x43e0_0000_0000_0000)),
            (d(0x8000_0000_0000_0401), f64b(0x43e0_0000_0000_0001)),
            (d(0x8000_0000_0000_0402), f64b(0x43e0_0000_0000_0001)),
            (d(0xffff_ffff_ffff_f400), f64b(0x43ef_ffff_ffff_fffe)),
            (d(0xffff_ffff_ffff_f401), f64b(0x43ef_ffff_ffff_ffff)),
            (d(0xffff_ffff_ffff_f402), f64b(0x43ef_ffff_ffff_ffff)),
            (I64(9_007_199_254_740_993), F64(9_007_199_254_740_992.0)),
            (I64(9_007_199_254_740_995), F64(9_007_199_254_740_996.0)),
        ],
    );
}

#[test]
fn demote_and_promote() {
    un_table(
        un!(F32DemoteF64),
        &[
            (F64(0.0), F32(0.0)),
            (f64b(0x8000_0000_0000_0000), f32b(0x8000_0000)),
            (f64b(1), F32(0.0)),
            (f64b(0x8000_0000_0000_0001), f32b(0x8000_0000)),
            (F64(1.0), F32(1.0)),
            (F64(-1.0), F32(-1.0)),
            (F64(0.1), f32b(0x3dcc_cccd)),
            (f64b(0x47ef_ffff_e000_0000), f32b(0x7f7f_ffff)), // f32::MAX
            (f64b(0x47ef_ffff_efff_ffff), f32b(0x7f7f_ffff)),
            (f64b(0x47ef_ffff_f000_0000), F32(f32::INFINITY)), // MAX + half an ulp
            (F64(1e300), F32(f32::INFINITY)),
            (F64(-1e300), F32(f32::NEG_INFINITY)),
            (F64(f64::INFINITY), F32(f32::INFINITY)),
            // Ties between 1.0 and the next f32: to even.
            (f64b(0x3ff0_0000_1000_0000), F32(1.0)),
            (f64b(0x3ff0_0000_3000_0000), f32b(0x3f80_0002)),
            // The smallest f32 subnormal, half of it (a tie: to even, zero),
            // and just over half of it.
            (f64b(0x36a0_0000_0000_0000), f32b(1)),
            (f64b(0x3690_0000_0000_0000), F32(0.0)),
            (f64b(0x3690_0000_0000_0001), f32b(1)),
        ],
    );
    let demote = OneOp::un(un!(F32DemoteF64), S::F64, S::F32);
    demote.gives_nan(&[f64b(F64_NANS[0])], is_canonical_nan, "canonical");
    demote.gives_nan(&[f64b(F64_NANS[1])], is_canonical_nan, "canonical");
    demote.gives_nan(&[f64b(F64_NANS[2])], is_arithmetic_nan, "arithmetic");

    un_table(
        un!(F64PromoteF32),
        &[
            (F32(0.0), F64(0.0)),
            (f32b(0x8000_0000), f64b(0x8000_0000_0000_0000)),
            (f32b(1), f64b(0x36a0_0000_0000_0000)),
            (F32(1.0), F64(1.0)),
            (F32(f32::MAX), f64b(0x47ef_ffff_e000_0000)),
            (F32(0.1), f64b(0x3fb9_9999_a000_0000)),
            (F32(f32::NEG_INFINITY), F64(f64::NEG_INFINITY)),
        ],
    );
    let promote = OneOp::un(un!(F64PromoteF32), S::F32, S::F64);
    promote.gives_nan(&[f32b(F32_NANS[0])], is_canonical_nan, "canonical");
    promote.gives_nan(&[f32b(F32_NANS[1])], is_canonical_nan, "canonical");
    promote.gives_nan(&[f32b(F32_NANS[2])], is_arithmetic_nan, "arithmetic");
}

#[test]
fn reinterpretations_are_bit_exact() {
    un_table(
        un!(I32ReinterpretF32),
        &[
            (F32(0.0), I32(0)),
            (f32b(0x8000_0000), I32(I32_MIN)),
            (F32(1.0), I32(0x3f80_0000)),
            (f32b(1), I32(1)),
            (F32(f32::NEG_INFINITY), I32(0xff80_0000_u32 as i32)),
            (f32b(0x7fa0_1234), I32(0x7fa0_1234)),
            (f32b(0xffc0_0001), I32(0xffc0_0001_u32 as i32)),
        ],
    );
    un_table(
        un!(F32ReinterpretI32),
        &[
            (I32(0), F32(0.0)),
            (I32(I32_MIN), f32b(0x8000_0000)),
            (I32(0x3f80_0000), F32(1.0)),
            (I32(-1), f32b(0xffff_ffff)),
            (I32(0x7fa0_1234), f32b(0x7fa0_1234)),
        ],
    );
    un_table(
        un!(I64ReinterpretF64),
        &[
            (F64(0.0), I64(0)),
            (f64b(0x8000_0000_0000_0000), I64(I64_MIN)),
            (F64(1.0), I64(0x3ff0_0000_0000_0000)),
            (f64b(0x7ff4_0000_0000_0001), I64(0x7ff4_0000_0000_0001)),
            (f64b(0xfff8_0000_0000_0001), d(0xfff8_0000_0000_0001)),
        ],
    );
    un_table(
        un!(F64ReinterpretI64),
        &[
            (I64(0), F64(0.0)),
            (I64(I64_MIN), f64b(0x8000_0000_0000_0000)),
            (I64(0x4000_0000_0000_0000), F64(2.0)),
            (I64(-1), f64b(0xffff_ffff_ffff_ffff)),
            (I64(0x7ff4_0000_0000_0001), f64b(0x7ff4_0000_0000_0001)),
        ],
    );
}
