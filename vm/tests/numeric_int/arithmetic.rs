//! Addition, subtraction, multiplication, division and remainder.

use crate::common::*;
use crate::{I32_MAX, I32_MIN, I64_MAX, I64_MIN, d, w};
use arenavm_vm::exec::TrapKind::{IntegerDivideByZero, IntegerOverflow};
use arenavm_vm::program::Val::{I32, I64};
use arenavm_vm::types::ScalarType as S;

#[test]
fn i32_add() {
    bin_table(
        bin!(I32Add),
        &[
            (I32(1), I32(1), I32(2)),
            (I32(1), I32(0), I32(1)),
            (I32(-1), I32(-1), I32(-2)),
            (I32(-1), I32(1), I32(0)),
            (I32(I32_MAX), I32(1), I32(I32_MIN)),
            (I32(I32_MIN), I32(-1), I32(I32_MAX)),
            (I32(I32_MIN), I32(I32_MIN), I32(0)),
            (w(0x3fff_ffff), I32(1), w(0x4000_0000)),
        ],
    );
}

#[test]
fn i32_sub() {
    bin_table(
        bin!(I32Sub),
        &[
            (I32(1), I32(1), I32(0)),
            (I32(1), I32(0), I32(1)),
            (I32(-1), I32(-1), I32(0)),
            (I32(I32_MAX), I32(-1), I32(I32_MIN)),
            (I32(I32_MIN), I32(1), I32(I32_MAX)),
            (I32(I32_MIN), I32(I32_MIN), I32(0)),
            (w(0x3fff_ffff), I32(-1), w(0x4000_0000)),
        ],
    );
}

#[test]
fn i32_mul() {
    bin_table(
        bin!(I32Mul),
        &[
            (I32(1), I32(1), I32(1)),
            (I32(1), I32(0), I32(0)),
            (I32(-1), I32(-1), I32(1)),
            (w(0x1000_0000), I32(4096), I32(0)),
            (I32(I32_MIN), I32(0), I32(0)),
            (I32(I32_MIN), I32(-1), I32(I32_MIN)),
            (I32(I32_MAX), I32(-1), w(0x8000_0001)),
            (w(0x0123_4567), w(0x7654_3210), w(0x358e_7470)),
            (I32(I32_MAX), I32(I32_MAX), I32(1)),
        ],
    );
}

#[test]
fn i32_div_s() {
    bin_table(
        bin!(I32DivS),
        &[
            (I32(1), I32(1), I32(1)),
            (I32(0), I32(1), I32(0)),
            (I32(0), I32(-1), I32(0)),
            (I32(-1), I32(-1), I32(1)),
            (I32(I32_MIN), I32(2), w(0xc000_0000)),
            (w(0x8000_0001), I32(1000), w(0xffdf_3b65)),
            (I32(5), I32(2), I32(2)),
            (I32(-5), I32(2), I32(-2)),
            (I32(5), I32(-2), I32(-2)),
            (I32(-5), I32(-2), I32(2)),
            (I32(7), I32(3), I32(2)),
            (I32(-7), I32(3), I32(-2)),
            (I32(7), I32(-3), I32(-2)),
            (I32(-7), I32(-3), I32(2)),
            (I32(11), I32(5), I32(2)),
            (I32(17), I32(7), I32(2)),
            (w(0x8000_0001), I32(-1), I32(I32_MAX)),
        ],
    );
    let op = OneOp::bin(bin!(I32DivS), S::I32, S::I32, S::I32);
    op.traps(&[I32(1), I32(0)], IntegerDivideByZero);
    op.traps(&[I32(0), I32(0)], IntegerDivideByZero);
    op.traps(&[I32(I32_MIN), I32(0)], IntegerDivideByZero);
    op.traps(&[I32(I32_MIN), I32(-1)], IntegerOverflow);
}

#[test]
fn i32_div_u() {
    bin_table(
        bin!(I32DivU),
        &[
            (I32(1), I32(1), I32(1)),
            (I32(0), I32(1), I32(0)),
            (I32(-1), I32(-1), I32(1)),
            (I32(I32_MIN), I32(-1), I32(0)),
            (I32(I32_MIN), I32(2), w(0x4000_0000)),
            (w(0x8ff0_0ff0), I32(0x10001), I32(0x8fef)),
            (w(0x8000_0001), I32(1000), I32(0x0020_c49b)),
            (I32(5), I32(2), I32(2)),
            (I32(-5), I32(2), w(0x7fff_fffd)),
            (I32(5), I32(-2), I32(0)),
            (I32(-5), I32(-2), I32(0)),
            (I32(7), I32(3), I32(2)),
            (I32(11), I32(5), I32(2)),
            (I32(17), I32(7), I32(2)),
        ],
    );
    let op = OneOp::bin(bin!(I32DivU), S::I32, S::I32, S::I32);
    op.traps(&[I32(1), I32(0)], IntegerDivideByZero);
    op.traps(&[I32(0), I32(0)], IntegerDivideByZero);
    op.traps(&[I32(-1), I32(0)], IntegerDivideByZero);
}

#[test]
fn i32_rem_s() {
    bin_table(
        bin!(I32RemS),
        &[
            (I32(I32_MAX), I32(-1), I32(0)),
            (I32(1), I32(1), I32(0)),
            (I32(0), I32(1), I32(0)),
            (I32(0), I32(-1), I32(0)),
            (I32(-1), I32(-1), I32(0)),
            // MIN rem_s -1 is 0, not a trap.
            (I32(I32_MIN), I32(-1), I32(0)),
            (I32(I32_MIN), I32(2), I32(0)),
            (w(0x8000_0001), I32(1000), I32(-647)),
            (I32(5), I32(2), I32(1)),
            (I32(-5), I32(2), I32(-1)),
            (I32(5), I32(-2), I32(1)),
            (I32(-5), I32(-2), I32(-1)),
            (I32(7), I32(3), I32(1)),
            (I32(-7), I32(3), I32(-1)),
            (I32(7), I32(-3), I32(1)),
            (I32(-7), I32(-3), I32(-1)),
            (I32(11), I32(5), I32(1)),
            (I32(17), I32(7), I32(3)),
        ],
    );
    let op = OneOp::bin(bin!(I32RemS), S::I32, S::I32, S::I32);
    op.traps(&[I32(1), I32(0)], IntegerDivideByZero);
    op.traps(&[I32(0), I32(0)], IntegerDivideByZero);
    op.traps(&[I32(I32_MIN), I32(0)], IntegerDivideByZero);
}

#[test]
fn i32_rem_u() {
    bin_table(
        bin!(I32RemU),
        &[
            (I32(1), I32(1), I32(0)),
            (I32(0), I32(1), I32(0)),
            (I32(-1), I32(-1), I32(0)),
            (I32(I32_MIN), I32(-1), I32(I32_MIN)),
            (I32(I32_MIN), I32(2), I32(0)),
            (w(0x8ff0_0ff0), I32(0x10001), I32(0x8001)),
            (w(0x8000_0001), I32(1000), I32(649)),
            (I32(5), I32(2), I32(1)),
            (I32(-5), I32(2), I32(1)),
            (I32(5), I32(-2), I32(5)),
            (I32(-5), I32(-2), I32(-5)),
            (I32(7), I32(3), I32(1)),
            (I32(11), I32(5), I32(1)),
            (I32(17), I32(7), I32(3)),
        ],
    );
    let op = OneOp::bin(bin!(I32RemU), S::I32, S::I32, S::I32);
    op.traps(&[I32(1), I32(0)], IntegerDivideByZero);
    op.traps(&[I32(0), I32(0)], IntegerDivideByZero);
}

#[test]
fn i64_add_sub_mul() {
    bin_table(
        bin!(I64Add),
        &[
            (I64(1), I64(1), I64(2)),
            (I64(1), I64(0), I64(1)),
            (I64(-1), I64(-1), I64(-2)),
            (I64(-1), I64(1), I64(0)),
            (I64(I64_MAX), I64(1), I64(I64_MIN)),
            (I64(I64_MIN), I64(-1), I64(I64_MAX)),
            (I64(I64_MIN), I64(I64_MIN), I64(0)),
            (I64(0x3fff_ffff), I64(1), I64(0x4000_0000)),
            // No 32-bit wrap: the carry reaches bit 32.
            (I64(0xffff_ffff), I64(1), I64(0x1_0000_0000)),
        ],
    );
    bin_table(
        bin!(I64Sub),
        &[
            (I64(1), I64(1), I64(0)),
            (I64(1), I64(0), I64(1)),
            (I64(-1), I64(-1), I64(0)),
            (I64(I64_MAX), I64(-1), I64(I64_MIN)),
            (I64(I64_MIN), I64(1), I64(I64_MAX)),
            (I64(I64_MIN), I64(I64_MIN), I64(0)),
            (I64(0x3fff_ffff), I64(-1), I64(0x4000_0000)),
            (I64(0), I64(1), I64(-1)),
        ],
    );
    bin_table(
        bin!(I64Mul),
        &[
            (I64(1), I64(1), I64(1)),
            (I64(1), I64(0), I64(0)),
            (I64(-1), I64(-1), I64(1)),
            (d(0x1000_0000_0000_0000), I64(4096), I64(0)),
            (I64(I64_MIN), I64(0), I64(0)),
            (I64(I64_MIN), I64(-1), I64(I64_MIN)),
            (I64(I64_MAX), I64(-1), d(0x8000_0000_0000_0001)),
            (
                d(0x0123_4567_89ab_cdef),
                d(0xfedc_ba98_7654_3210),
                d(0x2236_d88f_e561_8cf0),
            ),
            (I64(I64_MAX), I64(I64_MAX), I64(1)),
            (I64(0x1_0000_0000), I64(0x1_0000_0000), I64(0)),
        ],
    );
}

#[test]
fn i64_div_rem() {
    bin_table(
        bin!(I64DivS),
        &[
            (I64(1), I64(1), I64(1)),
            (I64(0), I64(-1), I64(0)),
            (I64(-1), I64(-1), I64(1)),
            (I64(I64_MIN), I64(2), d(0xc000_0000_0000_0000)),
            (
                d(0x8000_0000_0000_0001),
                I64(1000),
                d(0xffdf_3b64_5a1c_ac09),
            ),
            (I64(5), I64(2), I64(2)),
            (I64(-5), I64(2), I64(-2)),
            (I64(5), I64(-2), I64(-2)),
            (I64(-5), I64(-2), I64(2)),
            (I64(7), I64(3), I64(2)),
            (I64(-7), I64(3), I64(-2)),
            (I64(7), I64(-3), I64(-2)),
            (I64(-7), I64(-3), I64(2)),
            (I64(I64_MIN + 1), I64(-1), I64(I64_MAX)),
        ],
    );
    bin_table(
        bin!(I64DivU),
        &[
            (I64(1), I64(1), I64(1)),
            (I64(-1), I64(-1), I64(1)),
            (I64(I64_MIN), I64(-1), I64(0)),
            (I64(I64_MIN), I64(2), I64(0x4000_0000_0000_0000)),
            (
                d(0x8ff0_0ff0_0ff0_0ff0),
                I64(0x1_0000_0001),
                I64(0x8ff0_0fef),
            ),
            (
                d(0x8000_0000_0000_0001),
                I64(1000),
                I64(0x0020_c49b_a5e3_53f7),
            ),
            (I64(-5), I64(2), I64(0x7fff_ffff_ffff_fffd)),
            (I64(5), I64(-2), I64(0)),
            (I64(-5), I64(-2), I64(0)),
            (I64(7), I64(3), I64(2)),
        ],
    );
    bin_table(
        bin!(I64RemS),
        &[
            (I64(I64_MAX), I64(-1), I64(0)),
            (I64(I64_MIN), I64(-1), I64(0)),
            (I64(I64_MIN), I64(2), I64(0)),
            (d(0x8000_0000_0000_0001), I64(1000), I64(-807)),
            (I64(5), I64(2), I64(1)),
            (I64(-5), I64(2), I64(-1)),
            (I64(5), I64(-2), I64(1)),
            (I64(-5), I64(-2), I64(-1)),
            (I64(7), I64(3), I64(1)),
            (I64(-7), I64(3), I64(-1)),
            (I64(11), I64(5), I64(1)),
            (I64(17), I64(7), I64(3)),
        ],
    );
    bin_table(
        bin!(I64RemU),
        &[
            (I64(I64_MIN), I64(-1), I64(I64_MIN)),
            (I64(I64_MIN), I64(2), I64(0)),
            (
                d(0x8ff0_0ff0_0ff0_0ff0),
                I64(0x1_0000_0001),
                I64(0x8000_0001),
            ),
            (d(0x8000_0000_0000_0001), I64(1000), I64(809)),
            (I64(5), I64(2), I64(1)),
            (I64(-5), I64(2), I64(1)),
            (I64(5), I64(-2), I64(5)),
            (I64(-5), I64(-2), I64(-5)),
        ],
    );
    let div_s = OneOp::bin(bin!(I64DivS), S::I64, S::I64, S::I64);
    div_s.traps(&[I64(1), I64(0)], IntegerDivideByZero);
    div_s.traps(&[I64(0), I64(0)], IntegerDivideByZero);
    div_s.traps(&[I64(I64_MIN), I64(0)], IntegerDivideByZero);
    div_s.traps(&[I64(I64_MIN), I64(-1)], IntegerOverflow);
    let div_u = OneOp::bin(bin!(I64DivU), S::I64, S::I64, S::I64);
    div_u.traps(&[I64(1), I64(0)], IntegerDivideByZero);
    div_u.traps(&[I64(0), I64(0)], IntegerDivideByZero);
    let rem_s = OneOp::bin(bin!(I64RemS), S::I64, S::I64, S::I64);
    rem_s.traps(&[I64(1), I64(0)], IntegerDivideByZero);
    rem_s.traps(&[I64(I64_MIN), I64(0)], IntegerDivideByZero);
    let rem_u = OneOp::bin(bin!(I64RemU), S::I64, S::I64, S::I64);
    rem_u.traps(&[I64(1), I64(0)], IntegerDivideByZero);
    rem_u.traps(&[I64(0), I64(0)], IntegerDivideByZero);
}
