//! Comparisons, sign extensions and `eqz`.

use crate::common::*;
use crate::{I32_MAX, I32_MIN, I64_MAX, I64_MIN, d, w};
use arenavm_vm::isa::{Instr, Label, Reg};
use arenavm_vm::program::Val::{self, I32, I64};
use arenavm_vm::types::ScalarType as S;

#[test]
fn i32_sign_extension_and_eqz() {
    un_table(
        un!(I32Extend8S),
        &[
            (I32(0), I32(0)),
            (I32(0x7f), I32(127)),
            (I32(0x80), I32(-128)),
            (I32(0xff), I32(-1)),
            (I32(0x0123_4500), I32(0)),
            (w(0xfedc_ba80), I32(-0x80)),
            (I32(-1), I32(-1)),
        ],
    );
    un_table(
        un!(I32Extend16S),
        &[
            (I32(0), I32(0)),
            (I32(0x7fff), I32(32767)),
            (I32(0x8000), I32(-32768)),
            (I32(0xffff), I32(-1)),
            (I32(0x0123_0000), I32(0)),
            (w(0xfedc_8000), I32(-0x8000)),
            (I32(-1), I32(-1)),
        ],
    );
    un_table(
        un!(I32Eqz),
        &[
            (I32(0), I32(1)),
            (I32(1), I32(0)),
            (I32(I32_MIN), I32(0)),
            (I32(I32_MAX), I32(0)),
            (I32(-1), I32(0)),
        ],
    );
}

fn cmp32(make: impl FnOnce(Reg, Reg, Reg) -> Instr<Label>, name: &str) {
    let cases: Vec<(Val, Val, Val)> = I32_PAIRS
        .iter()
        .zip(truth(name).bytes())
        .map(|(&(a, b), t)| (I32(a), I32(b), I32(i32::from(t == b'1'))))
        .collect();
    bin_table(make, &cases);
}

fn cmp64(make: impl FnOnce(Reg, Reg, Reg) -> Instr<Label>, name: &str) {
    let cases: Vec<(Val, Val, Val)> = I64_PAIRS
        .iter()
        .zip(truth(name).bytes())
        .map(|(&(a, b), t)| (I64(a), I64(b), I32(i32::from(t == b'1'))))
        .collect();
    bin_table(make, &cases);
}

#[test]
fn i32_comparisons() {
    cmp32(bin!(I32Eq), "eq");
    cmp32(bin!(I32Ne), "ne");
    cmp32(bin!(I32LtS), "lt_s");
    cmp32(bin!(I32LtU), "lt_u");
    cmp32(bin!(I32GtS), "gt_s");
    cmp32(bin!(I32GtU), "gt_u");
    cmp32(bin!(I32LeS), "le_s");
    cmp32(bin!(I32LeU), "le_u");
    cmp32(bin!(I32GeS), "ge_s");
    cmp32(bin!(I32GeU), "ge_u");
}

#[test]
fn i64_sign_extension_and_eqz() {
    un_table(
        un!(I64Extend8S),
        &[
            (I64(0), I64(0)),
            (I64(0x7f), I64(127)),
            (I64(0x80), I64(-128)),
            (I64(0xff), I64(-1)),
            (I64(0x0123_4567_89ab_cd00), I64(0)),
            (d(0xfedc_ba98_7654_3280), I64(-0x80)),
            (I64(-1), I64(-1)),
        ],
    );
    un_table(
        un!(I64Extend16S),
        &[
            (I64(0), I64(0)),
            (I64(0x7fff), I64(32767)),
            (I64(0x8000), I64(-32768)),
            (I64(0xffff), I64(-1)),
            (I64(0x1234_5678_9abc_0000), I64(0)),
            (d(0xfedc_ba98_7654_8000), I64(-0x8000)),
            (I64(-1), I64(-1)),
        ],
    );
    un_table(
        un!(I64Extend32S),
        &[
            (I64(0), I64(0)),
            (I64(0x7fff), I64(32767)),
            (I64(0x8000), I64(32768)),
            (I64(0xffff), I64(65535)),
            (I64(0x7fff_ffff), I64(0x7fff_ffff)),
            (I64(0x8000_0000), I64(-0x8000_0000)),
            (I64(0xffff_ffff), I64(-1)),
            (I64(0x0123_4567_0000_0000), I64(0)),
            (d(0xfedc_ba98_8000_0000), I64(-0x8000_0000)),
            (I64(-1), I64(-1)),
        ],
    );
    un_table(
        un!(I64Eqz),
        &[
            (I64(0), I32(1)),
            (I64(1), I32(0)),
            (I64(I64_MIN), I32(0)),
            (I64(I64_MAX), I32(0)),
            (I64(-1), I32(0)),
            // Only the upper half set: not zero.
            (I64(0x1_0000_0000), I32(0)),
        ],
    );
}

#[test]
fn i64_comparisons() {
    cmp64(bin!(I64Eq), "eq");
    cmp64(bin!(I64Ne), "ne");
    cmp64(bin!(I64LtS), "lt_s");
    cmp64(bin!(I64LtU), "lt_u");
    cmp64(bin!(I64GtS), "gt_s");
    cmp64(bin!(I64GtU), "gt_u");
    cmp64(bin!(I64LeS), "le_s");
    cmp64(bin!(I64LeU), "le_u");
    cmp64(bin!(I64GeS), "ge_s");
    cmp64(bin!(I64GeU), "ge_u");
    // Values equal in their low 32 bits are still different i64s.
    let eq = OneOp::bin(bin!(I64Eq), S::I64, S::I64, S::I32);
    eq.gives(&[I64(0x1_0000_0001), I64(1)], I32(0));
    let lt_u = OneOp::bin(bin!(I64LtU), S::I64, S::I64, S::I32);
    lt_u.gives(&[I64(0xffff_ffff), I64(0x1_0000_0000)], I32(1));
}
