//! Calls, returns and tail calls against the callee's and the caller's
//! signatures.

use crate::common::*;
use crate::{check, one, rejected};
use arenavm_vm::builder::FunctionBuilder;
use arenavm_vm::isa::{Instr, ListRef, Reg};
use arenavm_vm::types::{ScalarType, Type};

#[test]
fn calls_must_match_the_callee() {
    // Callee 0: callee(i32, i64) -> f64.
    let callee = || {
        let mut c = FunctionBuilder::new("callee", &[Type::I32, Type::I64], &[Type::F64]);
        let r = c.scalar(ScalarType::F64);
        c.ret(&[r]);
        c
    };
    let caller = |body: &dyn Fn(&mut FunctionBuilder)| {
        let mut f = FunctionBuilder::new("caller", &[], &[]);
        body(&mut f);
        program(vec![callee(), f], &[])
    };
    // Missing function.
    let e = rejected(&caller(&|f| {
        f.call(9, &[], &[]); // 0
        f.ret(&[]);
    }));
    check(
        &e,
        "caller",
        1,
        Some(0),
        &["call of function 9", "2 functions"],
    );
    // Argument count.
    let e = rejected(&caller(&|f| {
        let (a, r) = (f.scalar(ScalarType::I32), f.scalar(ScalarType::F64));
        f.call(0, &[a], &[r]);
        f.ret(&[]);
    }));
    check(
        &e,
        "caller",
        1,
        Some(0),
        &["arguments", "1 registers given", "2 expected"],
    );
    // Argument type.
    let e = rejected(&caller(&|f| {
        let (a, r) = (f.scalar(ScalarType::I32), f.scalar(ScalarType::F64));
        f.call(0, &[a, a], &[r]);
        f.ret(&[]);
    }));
    check(
        &e,
        "caller",
        1,
        Some(0),
        &["arguments", "value 1", "I64", "I32"],
    );
    // Result count and type.
    let e = rejected(&caller(&|f| {
        let (a, b) = (f.scalar(ScalarType::I32), f.scalar(ScalarType::I64));
        f.call(0, &[a, b], &[]);
        f.ret(&[]);
    }));
    check(
        &e,
        "caller",
        1,
        Some(0),
        &["results", "0 registers given", "1 expected"],
    );
    let e = rejected(&caller(&|f| {
        let (a, b) = (f.scalar(ScalarType::I32), f.scalar(ScalarType::I64));
        f.call(0, &[a, b], &[b]);
        f.ret(&[]);
    }));
    check(
        &e,
        "caller",
        1,
        Some(0),
        &["results", "value 0", "F64", "I64"],
    );
    // A list that does not exist.
    let e = rejected(&caller(&|f| {
        f.push(Instr::Call {
            func: 0,
            args: ListRef(7),
            results: ListRef(7),
        });
        f.ret(&[]);
    }));
    check(
        &e,
        "caller",
        1,
        Some(0),
        &["operand list 7", "does not exist"],
    );
    // Registers named by a list must exist.
    let e = rejected(&caller(&|f| {
        let r = f.scalar(ScalarType::F64);
        let b = f.scalar(ScalarType::I64);
        f.call(0, &[Reg(40), b], &[r]);
        f.ret(&[]);
    }));
    check(
        &e,
        "caller",
        1,
        Some(0),
        &["arguments", "value 0", "register 40", "not declared"],
    );
}

#[test]
fn returns_must_match_the_signature() {
    let e = rejected(&one(
        |f| {
            let a = f.scalar(ScalarType::I32);
            f.ret(&[a, a]); // 0
        },
        &[],
        &[Type::I32],
    ));
    check(
        &e,
        "f",
        1,
        Some(0),
        &["returned values", "2 registers given", "1 expected"],
    );
    let e = rejected(&one(
        |f| {
            let a = f.scalar(ScalarType::F32);
            let l = f.label();
            f.bind(l);
            f.ret(&[a]); // 1
        },
        &[],
        &[Type::F64],
    ));
    check(
        &e,
        "f",
        1,
        Some(1),
        &["returned values", "value 0", "F64", "F32"],
    );
    let e = rejected(&one(
        |f| {
            f.ret(&[]);
        },
        &[],
        &[Type::I64],
    ));
    check(
        &e,
        "f",
        1,
        Some(0),
        &["returned values", "0 registers given", "1 expected"],
    );
}

#[test]
fn tail_calls_must_return_what_the_caller_returns() {
    let mut callee = FunctionBuilder::new("callee", &[Type::I32], &[Type::I64]);
    let r = callee.scalar(ScalarType::I64);
    callee.ret(&[r]);
    let mut f = FunctionBuilder::new("f", &[Type::I32], &[Type::I32]);
    let x = f.param(0);
    let args = f.list(&[x]);
    f.push(Instr::ReturnCall { func: 0, args });
    let e = rejected(&program(vec![callee, f], &[]));
    check(
        &e,
        "f",
        1,
        Some(0),
        &["tail call of `callee`", "I64", "I32"],
    );
    // Arguments are checked as for a call.
    let mut callee = FunctionBuilder::new("callee", &[Type::I32], &[Type::I32]);
    let r = callee.scalar(ScalarType::I32);
    callee.ret(&[r]);
    let mut f = FunctionBuilder::new("f", &[Type::F32], &[Type::I32]);
    let x = f.param(0);
    let args = f.list(&[x]);
    f.push(Instr::ReturnCall { func: 0, args });
    let e = rejected(&program(vec![callee, f], &[]));
    check(&e, "f", 1, Some(0), &["arguments", "value 0", "I32", "F32"]);
    // And the callee must exist.
    let mut f = FunctionBuilder::new("f", &[], &[]);
    let args = f.list(&[]);
    f.push(Instr::ReturnCall { func: 5, args });
    let e = rejected(&program(vec![f], &[]));
    check(&e, "f", 0, Some(0), &["call of function 5"]);
}
