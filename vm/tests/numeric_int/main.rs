//! Integer instructions through the interpreter, against the values of the
//! WebAssembly spec test suite (`i32.wast`, `i64.wast`).
//!
//! Each opcode is wrapped in a one-instruction function (see
//! [`common::OneOp`]) and run on a table of inputs. Expected values are
//! literals taken from the spec tests or worked out by hand from the spec's
//! definitions, never computed with the code under test.

#[macro_use]
#[path = "../common/mod.rs"]
mod common;

mod arithmetic;
mod bits;
mod comparisons;

use arenavm_vm::builder::FunctionBuilder;
use arenavm_vm::isa::Instr;
use arenavm_vm::program::Val::{self, I32, I64};
use arenavm_vm::types::Type;
use common::*;

pub(crate) const I32_MIN: i32 = i32::MIN;
pub(crate) const I32_MAX: i32 = i32::MAX;
pub(crate) const I64_MIN: i64 = i64::MIN;
pub(crate) const I64_MAX: i64 = i64::MAX;

/// An `i32` written as its unsigned bit pattern.
pub(crate) fn w(x: u32) -> Val {
    I32(x as i32)
}

/// An `i64` written as its unsigned bit pattern.
pub(crate) fn d(x: u64) -> Val {
    I64(x as i64)
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
