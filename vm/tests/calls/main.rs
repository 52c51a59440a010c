//! Calls, returns and the limits of an invocation through the interpreter:
//! direct calls with mixed-type parameters and results, recursion, mutual
//! recursion, multi-value returns, tail calls, the call depth limit, fuel,
//! traps leaving the instance usable, globals, and host-side invocation
//! errors.

#[macro_use]
#[path = "../common/mod.rs"]
mod common;

mod direct;
mod fuel;
mod tail_calls;
mod traps_and_globals;

use arenavm_vm::builder::FunctionBuilder;
use arenavm_vm::isa::{Instr, Label, Reg};
use arenavm_vm::types::{ScalarType, Type};

/// `mix(a: i32, b: i64, c: f32, d: f64) -> (f64, i32, i64, f32)` returning
/// `(d, a + 1, b, c)`.
pub(crate) fn mix() -> FunctionBuilder {
    let mut f = FunctionBuilder::new(
        "mix",
        &[Type::I32, Type::I64, Type::F32, Type::F64],
        &[Type::F64, Type::I32, Type::I64, Type::F32],
    );
    let (a, b, c, d) = (f.param(0), f.param(1), f.param(2), f.param(3));
    let one = f.scalar(ScalarType::I32);
    f.push(Instr::I32Const { dst: one, value: 1 });
    f.push(Instr::I32Add { dst: a, a, b: one });
    f.ret(&[d, a, b, c]);
    f
}

/// Emits `if n == 0 { goto done }; n -= 1` for the `i64` register `n`
/// (four instructions), with new registers for 0 and 1; returns the one
/// holding 1.
fn count_down(f: &mut FunctionBuilder, n: Reg, done: Label) -> Reg {
    let (zero, one) = (f.scalar(ScalarType::I64), f.scalar(ScalarType::I64));
    f.push(Instr::I64Const {
        dst: zero,
        value: 0,
    });
    f.push(Instr::I64Const { dst: one, value: 1 });
    f.push(Instr::BrI64Eq {
        a: n,
        b: zero,
        target: done,
    });
    f.push(Instr::I64Sub {
        dst: n,
        a: n,
        b: one,
    });
    one
}

/// `even(n)` / `odd(n)` calling each other (not tail calls).
pub(crate) fn even_odd(tail: bool) -> Vec<FunctionBuilder> {
    let make = |name: &str, other: u32, base: i32, extra: usize| {
        let mut f = FunctionBuilder::new(name, &[Type::I64], &[Type::I32]);
        let n = f.param(0);
        // Different frame sizes, so tail calls move between frame shapes.
        for _ in 0..extra {
            f.scalar(ScalarType::F64);
        }
        let done = f.label();
        count_down(&mut f, n, done);
        let r = f.scalar(ScalarType::I32);
        if tail {
            let args = f.list(&[n]);
            f.push(Instr::ReturnCall { func: other, args });
        } else {
            f.call(other, &[n], &[r]);
            f.ret(&[r]);
        }
        f.bind(done);
        f.push(Instr::I32Const {
            dst: r,
            value: base,
        });
        f.ret(&[r]);
        f
    };
    vec![make("even", 1, 1, 0), make("odd", 0, 0, 5)]
}

/// `count(n, acc)`: `n == 0 ? acc : count(n - 1, acc + 1)`, as a tail
/// call when `tail`, else as a call followed by a return.
pub(crate) fn count(tail: bool) -> FunctionBuilder {
    let mut f = FunctionBuilder::new("count", &[Type::I64, Type::I64], &[Type::I64]);
    let (n, acc) = (f.param(0), f.param(1));
    let done = f.label();
    let one = count_down(&mut f, n, done);
    let r = f.scalar(ScalarType::I64);
    f.push(Instr::I64Add {
        dst: acc,
        a: acc,
        b: one,
    });
    if tail {
        let args = f.list(&[n, acc]);
        f.push(Instr::ReturnCall { func: 0, args });
    } else {
        f.call(0, &[n, acc], &[r]);
        f.ret(&[r]);
    }
    f.bind(done);
    f.ret(&[acc]);
    f
}
