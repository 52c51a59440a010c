//! Globals, memories and rules over the whole program.

use crate::common::*;
use crate::{check, rejected, with_globals_and_memory};
use arenavm_vm::builder::FunctionBuilder;
use arenavm_vm::isa::{Instr, Label, Reg};
use arenavm_vm::types::ScalarType;
use arenavm_vm::verify;

#[test]
fn globals_must_exist_match_and_be_mutable_to_be_set() {
    let e = rejected(&with_globals_and_memory(|f| {
        let r = f.scalar(ScalarType::I64);
        f.push(Instr::GlobalGet { dst: r, global: 2 });
        f.ret(&[]);
    }));
    check(
        &e,
        "g",
        0,
        Some(0),
        &["global 2 does not exist", "2 declared"],
    );
    let e = rejected(&with_globals_and_memory(|f| {
        let r = f.scalar(ScalarType::I64);
        f.push(Instr::I64Const { dst: r, value: 0 });
        f.push(Instr::GlobalSet { src: r, global: 9 });
        f.ret(&[]);
    }));
    check(&e, "g", 0, Some(1), &["global 9 does not exist"]);
    let e = rejected(&with_globals_and_memory(|f| {
        let r = f.scalar(ScalarType::F32);
        f.push(Instr::GlobalSet { src: r, global: 1 });
        f.ret(&[]);
    }));
    check(&e, "g", 0, Some(0), &["global 1 is immutable"]);
    let e = rejected(&with_globals_and_memory(|f| {
        let r = f.scalar(ScalarType::I32);
        f.push(Instr::GlobalGet { dst: r, global: 0 });
        f.ret(&[]);
    }));
    check(&e, "g", 0, Some(0), &["`dst`", "I64", "I32"]);
    let e = rejected(&with_globals_and_memory(|f| {
        let r = f.scalar(ScalarType::F64);
        f.push(Instr::GlobalSet { src: r, global: 0 });
        f.ret(&[]);
    }));
    check(&e, "g", 0, Some(0), &["`src`", "I64", "F64"]);
    // Reading an immutable global is fine.
    verify(&with_globals_and_memory(|f| {
        let r = f.scalar(ScalarType::F32);
        f.push(Instr::GlobalGet { dst: r, global: 1 });
        f.ret(&[]);
    }))
    .expect("reading an immutable global");
}

#[test]
fn memory_instructions_need_their_memory() {
    type Make = fn(Reg) -> Instr<Label>;
    let cases: [(&str, Make); 9] = [
        ("I32Load", |r| Instr::I32Load {
            dst: r,
            addr: r,
            offset: 0,
            mem: 1,
        }),
        ("I64Load8U", |r| Instr::I64Load8U {
            dst: Reg(1),
            addr: r,
            offset: 0,
            mem: 1,
        }),
        ("I32Store", |r| Instr::I32Store {
            addr: r,
            value: r,
            offset: 0,
            mem: 1,
        }),
        ("F64Store", |r| Instr::F64Store {
            addr: r,
            value: Reg(2),
            offset: 0,
            mem: 1,
        }),
        ("MemorySize", |r| Instr::MemorySize { dst: r, mem: 1 }),
        ("MemoryGrow", |r| Instr::MemoryGrow {
            dst: r,
            delta: r,
            mem: 1,
        }),
        ("MemoryFill", |r| Instr::MemoryFill {
            dst: r,
            value: r,
            len: r,
            mem: 1,
        }),
        ("MemoryCopy dst", |r| Instr::MemoryCopy {
            dst: r,
            src: r,
            len: r,
            dst_mem: 1,
            src_mem: 0,
        }),
        ("MemoryCopy src", |r| Instr::MemoryCopy {
            dst: r,
            src: r,
            len: r,
            dst_mem: 0,
            src_mem: 1,
        }),
    ];
    for (name, make) in cases {
        let e = rejected(&with_globals_and_memory(|f| {
            let r = f.scalar(ScalarType::I32);
            f.scalar(ScalarType::I64);
            f.scalar(ScalarType::F64);
            let l = f.label();
            f.bind(l);
            f.push(make(r)); // 1
            f.ret(&[]);
        }));
        assert!(e.message.contains("memory 1 does not exist"), "{name}: {e}");
        check(
            &e,
            "g",
            0,
            Some(1),
            &["memory 1 does not exist", "1 declared"],
        );
    }
    // Addresses are i32.
    let e = rejected(&with_globals_and_memory(|f| {
        let a = f.scalar(ScalarType::I64);
        f.push(Instr::I64Load {
            dst: a,
            addr: a,
            offset: 0,
            mem: 0,
        });
        f.ret(&[]);
    }));
    check(&e, "g", 0, Some(0), &["I64Load", "`addr`", "I32", "I64"]);
}

#[test]
fn function_names_are_unique() {
    let mk = |name: &str| {
        let mut f = FunctionBuilder::new(name, &[], &[]);
        f.ret(&[]);
        f
    };
    let e = rejected(&program(vec![mk("a"), mk("b"), mk("a")], &[]));
    check(&e, "a", 2, None, &["already defined"]);
}

#[test]
fn memory_pages_must_be_in_range() {
    let mk = |m| {
        let mut f = FunctionBuilder::new("f", &[], &[]);
        f.ret(&[]);
        program(vec![f], &[mem(1, None), m])
    };
    for (min, max) in [
        (0, Some(65_537)),
        (65_537, None),
        (u32::MAX, Some(u32::MAX)),
    ] {
        let e = rejected(&mk(mem(min, max)));
        assert_eq!(e.instruction, None);
        assert!(
            e.message.contains("memory 1") && e.message.contains("65536"),
            "{e}"
        );
    }
    let e = rejected(&mk(mem(3, Some(2))));
    assert_eq!(
        e.message,
        "memory 1: the maximum of 2 pages is below the minimum of 3"
    );
    for (min, max) in [(0, Some(0)), (2, Some(2)), (0, Some(65_536)), (1, None)] {
        verify(&mk(mem(min, max))).expect("pages in range");
    }
}

#[test]
fn errors_in_later_functions_name_them() {
    let mut ok = FunctionBuilder::new("fine", &[], &[]);
    ok.ret(&[]);
    let mut bad = FunctionBuilder::new("broken", &[], &[]);
    bad.push(Instr::I32Const {
        dst: Reg(0),
        value: 0,
    });
    bad.ret(&[]);
    let e = rejected(&program(vec![ok, bad], &[]));
    check(&e, "broken", 1, Some(0), &["register 0", "does not exist"]);
    assert!(
        e.to_string()
            .starts_with("function `broken` (#1), instruction 0: "),
        "{e}"
    );
}
