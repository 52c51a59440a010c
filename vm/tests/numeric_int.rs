//! Integer instructions through the interpreter, against the values of the
//! WebAssembly spec test suite (`i32.wast`, `i64.wast`).
//!
//! Each opcode is wrapped in a one-instruction function (see
//! [`common::OneOp`]) and run on a table of inputs. Expected values are
//! literals taken from the spec tests or worked out by hand from the spec's
//! definitions, never computed with the code under test.

#[macro_use]
mod common;

use arenavm_vm::builder::FunctionBuilder;
use arenavm_vm::exec::TrapKind::{IntegerDivideByZero, IntegerOverflow};
use arenavm_vm::isa::{Instr, Label, Reg};
use arenavm_vm::program::Val::{self, I32, I64};
use arenavm_vm::types::ScalarType as S;
use arenavm_vm::types::Type;
use common::*;

const I32_MIN: i32 = i32::MIN;
const I32_MAX: i32 = i32::MAX;
const I64_MIN: i64 = i64::MIN;
const I64_MAX: i64 = i64::MAX;

/// An `i32` written as its unsigned bit pattern.
fn w(x: u32) -> Val {
    I32(x as i32)
}

/// An `i64` written as its unsigned bit pattern.
fn d(x: u64) -> Val {
    I64(x as i64)
}

// ---------------------------------------------------------------- i32

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
fn i32_bitwise() {
    bin_table(
        bin!(I32And),
        &[
            (I32(1), I32(0), I32(0)),
            (I32(0), I32(1), I32(0)),
            (I32(1), I32(1), I32(1)),
            (I32(0), I32(0), I32(0)),
            (I32(I32_MAX), I32(I32_MIN), I32(0)),
            (I32(I32_MAX), I32(-1), I32(I32_MAX)),
            (w(0xf0f0_ffff), w(0xffff_f0f0), w(0xf0f0_f0f0)),
            (I32(-1), I32(-1), I32(-1)),
        ],
    );
    bin_table(
        bin!(I32Or),
        &[
            (I32(1), I32(0), I32(1)),
            (I32(0), I32(1), I32(1)),
            (I32(1), I32(1), I32(1)),
            (I32(0), I32(0), I32(0)),
            (I32(I32_MAX), I32(I32_MIN), I32(-1)),
            (I32(I32_MIN), I32(0), I32(I32_MIN)),
            (w(0xf0f0_ffff), w(0xffff_f0f0), I32(-1)),
        ],
    );
    bin_table(
        bin!(I32Xor),
        &[
            (I32(1), I32(0), I32(1)),
            (I32(0), I32(1), I32(1)),
            (I32(1), I32(1), I32(0)),
            (I32(I32_MAX), I32(I32_MIN), I32(-1)),
            (I32(I32_MIN), I32(0), I32(I32_MIN)),
            (I32(-1), I32(I32_MIN), I32(I32_MAX)),
            (I32(-1), I32(I32_MAX), I32(I32_MIN)),
            (w(0xf0f0_ffff), w(0xffff_f0f0), w(0x0f0f_0f0f)),
        ],
    );
}

#[test]
fn i32_shifts_take_the_count_modulo_32() {
    bin_table(
        bin!(I32Shl),
        &[
            (I32(1), I32(1), I32(2)),
            (I32(1), I32(0), I32(1)),
            (I32(I32_MAX), I32(1), w(0xffff_fffe)),
            (I32(-1), I32(1), w(0xffff_fffe)),
            (I32(I32_MIN), I32(1), I32(0)),
            (w(0x4000_0000), I32(1), I32(I32_MIN)),
            (I32(1), I32(31), I32(I32_MIN)),
            (I32(1), I32(32), I32(1)),
            (I32(1), I32(33), I32(2)),
            (I32(1), I32(-1), I32(I32_MIN)),
            (I32(1), I32(I32_MAX), I32(I32_MIN)),
        ],
    );
    bin_table(
        bin!(I32ShrS),
        &[
            (I32(1), I32(1), I32(0)),
            (I32(1), I32(0), I32(1)),
            (I32(-1), I32(1), I32(-1)),
            (I32(I32_MAX), I32(1), w(0x3fff_ffff)),
            (I32(I32_MIN), I32(1), w(0xc000_0000)),
            (w(0x4000_0000), I32(1), w(0x2000_0000)),
            (I32(1), I32(32), I32(1)),
            (I32(1), I32(33), I32(0)),
            (I32(1), I32(-1), I32(0)),
            (I32(1), I32(I32_MAX), I32(0)),
            (I32(1), I32(I32_MIN), I32(1)),
            (I32(I32_MIN), I32(31), I32(-1)),
            (I32(-1), I32(32), I32(-1)),
            (I32(-1), I32(33), I32(-1)),
            (I32(-1), I32(-1), I32(-1)),
            (I32(-1), I32(I32_MIN), I32(-1)),
        ],
    );
    bin_table(
        bin!(I32ShrU),
        &[
            (I32(1), I32(1), I32(0)),
            (I32(1), I32(0), I32(1)),
            (I32(-1), I32(1), I32(I32_MAX)),
            (I32(I32_MAX), I32(1), w(0x3fff_ffff)),
            (I32(I32_MIN), I32(1), w(0x4000_0000)),
            (I32(1), I32(32), I32(1)),
            (I32(1), I32(33), I32(0)),
            (I32(1), I32(-1), I32(0)),
            (I32(I32_MIN), I32(31), I32(1)),
            (I32(-1), I32(32), I32(-1)),
            (I32(-1), I32(33), I32(I32_MAX)),
            (I32(-1), I32(-1), I32(1)),
            (I32(-1), I32(I32_MIN), I32(-1)),
        ],
    );
}

#[test]
fn i32_rotates() {
    bin_table(
        bin!(I32Rotl),
        &[
            (I32(1), I32(1), I32(2)),
            (I32(1), I32(0), I32(1)),
            (I32(-1), I32(1), I32(-1)),
            (I32(1), I32(32), I32(1)),
            (w(0xabcd_9876), I32(1), w(0x579b_30ed)),
            (w(0xfe00_dc00), I32(4), w(0xe00d_c00f)),
            (w(0xb0c1_d2e3), I32(5), w(0x183a_5c76)),
            (I32(0x8000), I32(37), I32(0x0010_0000)),
            (w(0xb0c1_d2e3), I32(0xff05), w(0x183a_5c76)),
            (w(0x769a_bcdf), w(0xffff_ffed), w(0x579b_eed3)),
            (w(0x769a_bcdf), w(0x8000_000d), w(0x579b_eed3)),
            (I32(1), I32(31), I32(I32_MIN)),
            (I32(I32_MIN), I32(1), I32(1)),
        ],
    );
    bin_table(
        bin!(I32Rotr),
        &[
            (I32(1), I32(1), I32(I32_MIN)),
            (I32(1), I32(0), I32(1)),
            (I32(-1), I32(1), I32(-1)),
            (I32(1), I32(32), I32(1)),
            (w(0xff00_cc00), I32(1), w(0x7f80_6600)),
            (I32(0x0008_0000), I32(4), I32(0x8000)),
            (w(0xb0c1_d2e3), I32(5), w(0x1d86_0e97)),
            (I32(0x8000), I32(37), I32(0x400)),
            (w(0xb0c1_d2e3), I32(0xff05), w(0x1d86_0e97)),
            (w(0x769a_bcdf), w(0xffff_ffed), w(0xe6fb_b4d5)),
            (w(0x769a_bcdf), w(0x8000_000d), w(0xe6fb_b4d5)),
            (I32(1), I32(31), I32(2)),
            (I32(I32_MIN), I32(31), I32(1)),
        ],
    );
}

#[test]
fn i32_bit_counts() {
    un_table(
        un!(I32Clz),
        &[
            (I32(-1), I32(0)),
            (I32(0), I32(32)),
            (I32(0x8000), I32(16)),
            (I32(0xff), I32(24)),
            (I32(I32_MIN), I32(0)),
            (I32(1), I32(31)),
            (I32(2), I32(30)),
            (I32(I32_MAX), I32(1)),
        ],
    );
    un_table(
        un!(I32Ctz),
        &[
            (I32(-1), I32(0)),
            (I32(0), I32(32)),
            (I32(0x8000), I32(15)),
            (I32(0x1_0000), I32(16)),
            (I32(I32_MIN), I32(31)),
            (I32(I32_MAX), I32(0)),
        ],
    );
    un_table(
        un!(I32Popcnt),
        &[
            (I32(-1), I32(32)),
            (I32(0), I32(0)),
            (I32(0x8000), I32(1)),
            (w(0x8000_8000), I32(2)),
            (I32(I32_MAX), I32(31)),
            (w(0xaaaa_aaaa), I32(16)),
            (w(0x5555_5555), I32(16)),
            (w(0xdead_beef), I32(24)),
        ],
    );
}

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

// ---------------------------------------------------------------- i64

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

#[test]
fn i64_bitwise() {
    bin_table(
        bin!(I64And),
        &[
            (I64(1), I64(0), I64(0)),
            (I64(1), I64(1), I64(1)),
            (I64(I64_MAX), I64(I64_MIN), I64(0)),
            (I64(I64_MAX), I64(-1), I64(I64_MAX)),
            (I64(0xf0f0_ffff), I64(0xffff_f0f0), I64(0xf0f0_f0f0)),
            (
                d(0xffff_0000_ffff_0000),
                d(0xff00_ff00_ff00_ff00),
                d(0xff00_0000_ff00_0000),
            ),
        ],
    );
    bin_table(
        bin!(I64Or),
        &[
            (I64(1), I64(0), I64(1)),
            (I64(0), I64(0), I64(0)),
            (I64(I64_MAX), I64(I64_MIN), I64(-1)),
            (I64(I64_MIN), I64(0), I64(I64_MIN)),
            (I64(0xf0f0_ffff), I64(0xffff_f0f0), I64(0xffff_ffff)),
        ],
    );
    bin_table(
        bin!(I64Xor),
        &[
            (I64(1), I64(1), I64(0)),
            (I64(I64_MAX), I64(I64_MIN), I64(-1)),
            (I64(-1), I64(I64_MIN), I64(I64_MAX)),
            (I64(-1), I64(I64_MAX), I64(I64_MIN)),
            (I64(0xf0f0_ffff), I64(0xffff_f0f0), I64(0x0f0f_0f0f)),
        ],
    );
}

#[test]
fn i64_shifts_take_the_count_modulo_64() {
    bin_table(
        bin!(I64Shl),
        &[
            (I64(1), I64(1), I64(2)),
            (I64(1), I64(0), I64(1)),
            (I64(I64_MAX), I64(1), I64(-2)),
            (I64(-1), I64(1), I64(-2)),
            (I64(I64_MIN), I64(1), I64(0)),
            (I64(0x4000_0000_0000_0000), I64(1), I64(I64_MIN)),
            (I64(1), I64(32), I64(0x1_0000_0000)),
            (I64(1), I64(63), I64(I64_MIN)),
            (I64(1), I64(64), I64(1)),
            (I64(1), I64(65), I64(2)),
            (I64(1), I64(-1), I64(I64_MIN)),
            (I64(1), I64(I64_MAX), I64(I64_MIN)),
            // Only the low six bits of the count matter, not the low 32.
            (I64(1), I64(0x1_0000_0001), I64(2)),
        ],
    );
    bin_table(
        bin!(I64ShrS),
        &[
            (I64(1), I64(1), I64(0)),
            (I64(-1), I64(1), I64(-1)),
            (I64(I64_MAX), I64(1), I64(0x3fff_ffff_ffff_ffff)),
            (I64(I64_MIN), I64(1), d(0xc000_0000_0000_0000)),
            (I64(1), I64(64), I64(1)),
            (I64(1), I64(65), I64(0)),
            (I64(1), I64(-1), I64(0)),
            (I64(I64_MIN), I64(63), I64(-1)),
            (I64(-1), I64(64), I64(-1)),
            (I64(-1), I64(-1), I64(-1)),
            (I64(I64_MIN), I64(I64_MIN), I64(I64_MIN)),
        ],
    );
    bin_table(
        bin!(I64ShrU),
        &[
            (I64(1), I64(1), I64(0)),
            (I64(-1), I64(1), I64(I64_MAX)),
            (I64(I64_MIN), I64(1), I64(0x4000_0000_0000_0000)),
            (I64(1), I64(64), I64(1)),
            (I64(1), I64(65), I64(0)),
            (I64(I64_MIN), I64(63), I64(1)),
            (I64(-1), I64(64), I64(-1)),
            (I64(-1), I64(65), I64(I64_MAX)),
            (I64(-1), I64(-1), I64(1)),
            (I64(I64_MIN), I64(32), d(0x0000_0000_8000_0000)),
        ],
    );
}

#[test]
fn i64_rotates() {
    bin_table(
        bin!(I64Rotl),
        &[
            (I64(1), I64(1), I64(2)),
            (I64(1), I64(0), I64(1)),
            (I64(-1), I64(1), I64(-1)),
            (I64(1), I64(64), I64(1)),
            (d(0xabcd_9876_0246_8ace), I64(1), d(0x579b_30ec_048d_159d)),
            (d(0xfe00_0000_dc00_0000), I64(4), d(0xe000_000d_c000_000f)),
            (d(0xabcd_1234_ef56_7809), I64(53), d(0x0135_79a2_469d_eacf)),
            (d(0xabd1_234e_f567_809c), I64(63), d(0x55e8_91a7_7ab3_c04e)),
            (
                d(0xabcd_1234_ef56_7809),
                I64(0xf5),
                d(0x0135_79a2_469d_eacf),
            ),
            (
                d(0xabcd_7294_ef56_7809),
                d(0xffff_ffff_ffff_ffed),
                d(0xcf01_3579_ae52_9dea),
            ),
            (
                d(0xabd1_234e_f567_809c),
                d(0x8000_0000_0000_003f),
                d(0x55e8_91a7_7ab3_c04e),
            ),
            (I64(1), I64(63), I64(I64_MIN)),
            (I64(I64_MIN), I64(1), I64(1)),
        ],
    );
    bin_table(
        bin!(I64Rotr),
        &[
            (I64(1), I64(1), I64(I64_MIN)),
            (I64(1), I64(0), I64(1)),
            (I64(-1), I64(1), I64(-1)),
            (I64(1), I64(64), I64(1)),
            (d(0xabcd_9876_0246_8ace), I64(1), d(0x55e6_cc3b_0123_4567)),
            (d(0xfe00_0000_dc00_0000), I64(4), d(0x0fe0_0000_0dc0_0000)),
            (d(0xabcd_1234_ef56_7809), I64(53), d(0x6891_a77a_b3c0_4d5e)),
            (d(0xabd1_234e_f567_809c), I64(63), d(0x57a2_469d_eacf_0139)),
            (
                d(0xabcd_1234_ef56_7809),
                I64(0xf5),
                d(0x6891_a77a_b3c0_4d5e),
            ),
            (
                d(0xabcd_7294_ef56_7809),
                d(0xffff_ffff_ffff_ffed),
                d(0x94a7_7ab3_c04d_5e6b),
            ),
            (
                d(0xabd1_234e_f567_809c),
                d(0x8000_0000_0000_003f),
                d(0x57a2_469d_eacf_0139),
            ),
            (I64(1), I64(63), I64(2)),
            (I64(I64_MIN), I64(63), I64(1)),
        ],
    );
}

#[test]
fn i64_bit_counts() {
    un_table(
        un!(I64Clz),
        &[
            (I64(-1), I64(0)),
            (I64(0), I64(64)),
            (I64(0x8000), I64(48)),
            (I64(0xff), I64(56)),
            (I64(I64_MIN), I64(0)),
            (I64(1), I64(63)),
            (I64(2), I64(62)),
            (I64(I64_MAX), I64(1)),
        ],
    );
    un_table(
        un!(I64Ctz),
        &[
            (I64(-1), I64(0)),
            (I64(0), I64(64)),
            (I64(0x8000), I64(15)),
            (I64(0x1_0000), I64(16)),
            (I64(I64_MIN), I64(63)),
            (I64(I64_MAX), I64(0)),
            (I64(0x1_0000_0000), I64(32)),
        ],
    );
    un_table(
        un!(I64Popcnt),
        &[
            (I64(-1), I64(64)),
            (I64(0), I64(0)),
            (I64(0x8000), I64(1)),
            (d(0x8000_8000_8000_8000), I64(4)),
            (I64(I64_MAX), I64(63)),
            (d(0xaaaa_aaaa_5555_5555), I64(32)),
            (d(0x9999_9999_aaaa_aaaa), I64(32)),
            (d(0xdead_beef_dead_beef), I64(48)),
        ],
    );
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

#[test]
fn destination_may_alias_an_operand() {
    // x = x - y; x = x * x; return x
    let mut f = FunctionBuilder::new("alias", &[Type::I32, Type::I32], &[Type::I32]);
    let (x, y) = (f.param(0), f.param(1));
    f.push(Instr::I32Sub { dst: x, a: x, b: y });
    f.push(Instr::I32Mul { dst: x, a: x, b: x });
    f.ret(&[x]);
    assert_vals(
        &expect_ok(run_fn(f, &[I32(10), I32(3)])),
        &[I32(49)],
        "alias",
    );
}
