//! The verifier: one test per rule, each showing a program it rejects and
//! checking that the error names the function, the instruction (its index
//! in the code as written, labels included) and the rule broken. Also: the
//! RON text form's parse errors are errors, not panics.

mod common;

use arenavm_vm::builder::{FunctionBuilder, ProgramBuilder};
use arenavm_vm::isa::{Instr, Label, ListRef, Reg};
use arenavm_vm::program::{Function, GlobalDecl, Program, Val};
use arenavm_vm::types::{ScalarType, Type};
use arenavm_vm::{VerifyError, verify};
use common::*;

/// The error `verify` gives for `program`; panics if it accepts it.
#[track_caller]
fn rejected<T>(program: &Program<T>) -> VerifyError
where
    T: Clone + Eq + std::hash::Hash + std::fmt::Display,
{
    match verify(program) {
        Err(e) => e,
        Ok(_) => panic!("the verifier accepted an invalid program"),
    }
}

/// Asserts the error's function, instruction and that its message (and
/// its display) contains every one of `words`.
#[track_caller]
fn check(
    e: &VerifyError,
    function: &str,
    index: usize,
    instruction: Option<usize>,
    words: &[&str],
) {
    assert_eq!(e.function, function, "function of {e}");
    assert_eq!(e.function_index, index, "function index of {e}");
    assert_eq!(e.instruction, instruction, "instruction of {e}");
    for w in words {
        assert!(
            e.message.contains(w),
            "`{}` does not mention `{w}`",
            e.message
        );
    }
    let shown = e.to_string();
    if !function.is_empty() {
        assert!(shown.contains(&format!("`{function}`")), "{shown}");
    }
    if let Some(i) = instruction {
        assert!(shown.contains(&format!("instruction {i}")), "{shown}");
    }
}

/// A program of one function built by `body`, after a harmless function
/// `first` at index 0 (so that function indices in errors are not all 0).
fn one(
    body: impl FnOnce(&mut FunctionBuilder),
    params: &[Type],
    results: &[Type],
) -> Program<Label> {
    let mut first = FunctionBuilder::new("first", &[], &[]);
    first.ret(&[]);
    let mut f = FunctionBuilder::new("f", params, results);
    body(&mut f);
    program(vec![first, f], &[])
}

/// A program with one mutable i64 global (0), one immutable f32 global (1)
/// and one memory, around the function built by `body`.
fn with_globals_and_memory(body: impl FnOnce(&mut FunctionBuilder)) -> Program<Label> {
    let mut p = ProgramBuilder::new();
    p.global(GlobalDecl {
        init: Val::I64(0),
        mutable: true,
    });
    p.global(GlobalDecl {
        init: Val::F32(0.0),
        mutable: false,
    });
    p.memory(mem(1, None));
    let mut f = FunctionBuilder::new("g", &[], &[]);
    body(&mut f);
    p.function(f);
    p.finish()
}

#[test]
fn a_valid_program_passes() {
    let p = one(
        |f| {
            let r = f.scalar(ScalarType::I32);
            f.push(Instr::I32Const { dst: r, value: 1 });
            f.ret(&[r]);
        },
        &[],
        &[Type::I32],
    );
    let v = verify(&p).expect("valid");
    assert_eq!(v.function_index("f"), Some(1));
    assert_eq!(v.function_names().collect::<Vec<_>>(), ["first", "f"]);
    assert_eq!(v.signature(1), Some((&[][..], &[Type::I32][..])));
    assert_eq!(v.signature(2), None);
}

#[test]
fn register_out_of_range() {
    let e = rejected(&one(
        |f| {
            let r = f.scalar(ScalarType::I32);
            f.push(Instr::I32Const { dst: r, value: 1 }); // 0
            f.push(Instr::I32Add {
                dst: r,
                a: r,
                b: Reg(5),
            }); // 1
            f.ret(&[r]);
        },
        &[],
        &[Type::I32],
    ));
    check(
        &e,
        "f",
        1,
        Some(1),
        &["`b`", "register 5", "does not exist", "1 declared"],
    );
}

#[test]
fn operand_type_mismatch() {
    let e = rejected(&one(
        |f| {
            let (a, b) = (f.scalar(ScalarType::I32), f.scalar(ScalarType::I64));
            let l = f.label();
            f.bind(l); // 0
            f.push(Instr::I32Add { dst: a, a, b }); // 1
            f.ret(&[]);
        },
        &[],
        &[],
    ));
    check(
        &e,
        "f",
        1,
        Some(1),
        &["I32Add", "reads", "`b`", "I32", "register 1", "I64"],
    );
    // A written operand of the wrong type.
    let e = rejected(&one(
        |f| {
            let (a, d) = (f.scalar(ScalarType::I64), f.scalar(ScalarType::F64));
            f.push(Instr::I64Eqz { dst: d, a }); // writes I32
            f.ret(&[]);
        },
        &[],
        &[],
    ));
    check(
        &e,
        "f",
        1,
        Some(0),
        &["I64Eqz", "writes", "`dst`", "I32", "F64"],
    );
}

#[test]
fn copy_and_select_need_one_type() {
    let e = rejected(&one(
        |f| {
            let (a, b) = (f.scalar(ScalarType::I32), f.scalar(ScalarType::F32));
            f.push(Instr::I32Const { dst: a, value: 0 });
            f.push(Instr::Copy { dst: b, src: a }); // 1
            f.ret(&[]);
        },
        &[],
        &[],
    ));
    check(&e, "f", 1, Some(1), &["Copy", "one type", "F32", "I32"]);
    let e = rejected(&one(
        |f| {
            let (c, x, y) = (
                f.scalar(ScalarType::I32),
                f.scalar(ScalarType::F64),
                f.scalar(ScalarType::I64),
            );
            f.push(Instr::Select {
                dst: x,
                cond: c,
                a: x,
                b: y,
            });
            f.ret(&[]);
        },
        &[],
        &[],
    ));
    check(&e, "f", 1, Some(0), &["Select", "one type", "F64", "I64"]);
    // The condition must be an i32.
    let e = rejected(&one(
        |f| {
            let (c, x) = (f.scalar(ScalarType::I64), f.scalar(ScalarType::F64));
            f.push(Instr::Select {
                dst: x,
                cond: c,
                a: x,
                b: x,
            });
            f.ret(&[]);
        },
        &[],
        &[],
    ));
    check(&e, "f", 1, Some(0), &["Select", "`cond`", "I32", "I64"]);
    // Copy of a register that does not exist.
    let e = rejected(&one(
        |f| {
            let a = f.scalar(ScalarType::I32);
            f.push(Instr::Copy {
                dst: a,
                src: Reg(3),
            });
            f.ret(&[]);
        },
        &[],
        &[],
    ));
    check(&e, "f", 1, Some(0), &["register 3", "does not exist"]);
}

#[test]
fn undefined_and_duplicate_labels() {
    let e = rejected(&one(
        |f| {
            let nowhere = f.label();
            f.ret(&[]); // 0
            f.push(Instr::Jump { target: nowhere }); // 1
        },
        &[],
        &[],
    ));
    check(&e, "f", 1, Some(1), &["undefined label", "L0"]);
    let e = rejected(&one(
        |f| {
            let l = f.label();
            f.bind(l); // 0
            f.ret(&[]); // 1
            f.bind(l); // 2
            f.ret(&[]); // 3
        },
        &[],
        &[],
    ));
    check(&e, "f", 1, Some(2), &["label", "L0", "defined twice"]);
    // In the text form the label's name is reported.
    let text = r#"(functions: [(name: "t", code: [Jump(target: "nowhere")])])"#;
    let e = rejected(&Program::from_ron(text).unwrap());
    check(&e, "t", 0, Some(0), &["undefined label", "`nowhere`"]);
}

#[test]
fn branch_tables_must_exist_and_not_be_empty() {
    let e = rejected(&one(
        |f| {
            let i = f.scalar(ScalarType::I32);
            let l = f.label();
            f.branch_table(&[l]);
            f.bind(l); // 0
            f.push(Instr::BrTable { index: i, table: 3 }); // 1
        },
        &[],
        &[],
    ));
    check(&e, "f", 1, Some(1), &["branch table 3", "does not exist"]);
    let e = rejected(&one(
        |f| {
            let i = f.scalar(ScalarType::I32);
            let t = f.branch_table(&[]);
            f.push(Instr::BrTable { index: i, table: t }); // 0
        },
        &[],
        &[],
    ));
    assert_eq!((e.function.as_str(), e.function_index), ("f", 1));
    assert!(e.message.contains("branch table 0 has no targets"), "{e}");
    let e = rejected(&one(
        |f| {
            let i = f.scalar(ScalarType::I32);
            let missing = f.label();
            let t = f.branch_table(&[missing]);
            f.push(Instr::BrTable { index: i, table: t }); // 0
        },
        &[],
        &[],
    ));
    assert_eq!((e.function.as_str(), e.function_index), ("f", 1));
    assert!(
        e.message.contains("branch table 0") && e.message.contains("undefined label"),
        "{e}"
    );
    // The index must be an i32.
    let e = rejected(&one(
        |f| {
            let i = f.scalar(ScalarType::I64);
            let l = f.label();
            let t = f.branch_table(&[l]);
            f.bind(l);
            f.push(Instr::BrTable { index: i, table: t }); // 1
        },
        &[],
        &[],
    ));
    check(&e, "f", 1, Some(1), &["BrTable", "`index`", "I32", "I64"]);
}

// Regression: branch table errors once named whichever instruction the
// verifier had checked last.
#[test]
fn branch_table_errors_do_not_name_an_unrelated_instruction() {
    let e = rejected(&one(
        |f| {
            let i = f.scalar(ScalarType::I32);
            let t = f.branch_table(&[]);
            let l = f.label();
            f.push(Instr::BrTable { index: i, table: t }); // 0
            f.bind(l); // 1
            f.push(Instr::I32Const { dst: i, value: 0 }); // 2
            f.ret(&[]); // 3
        },
        &[],
        &[],
    ));
    assert!(e.message.contains("no targets"), "{e}");
    assert_eq!(
        e.instruction, None,
        "a branch table belongs to no one instruction"
    );
}

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
fn the_last_instruction_must_not_fall_through() {
    let e = rejected(&one(
        |f| {
            let r = f.scalar(ScalarType::I32);
            let l = f.label();
            f.bind(l); // 0
            f.push(Instr::I32Const { dst: r, value: 1 }); // 1
            f.push(Instr::BrIf { cond: r, target: l }); // 2
        },
        &[],
        &[],
    ));
    check(&e, "f", 1, Some(2), &["falls through"]);
    // A label after the last instruction does not change which one is last.
    let e = rejected(&one(
        |f| {
            let r = f.scalar(ScalarType::I32);
            let l = f.label();
            f.push(Instr::I32Const { dst: r, value: 1 }); // 0
            f.bind(l); // 1
        },
        &[],
        &[],
    ));
    check(&e, "f", 1, Some(0), &["falls through"]);
    // Each ending that cannot fall through is accepted.
    let endings: [fn(&mut FunctionBuilder); 4] = [
        |f| {
            f.ret(&[]);
        },
        |f| {
            f.push(Instr::Unreachable {});
        },
        |f| {
            let l = f.label();
            f.bind(l);
            f.push(Instr::Jump { target: l });
        },
        |f| {
            let r = f.scalar(ScalarType::I32);
            let l = f.label();
            let t = f.branch_table(&[l]);
            f.bind(l);
            f.push(Instr::BrTable { index: r, table: t });
        },
    ];
    for end in endings {
        verify(&one(end, &[], &[])).expect("a valid ending");
    }
    let mut f = FunctionBuilder::new("f", &[], &[]);
    let args = f.list(&[]);
    f.push(Instr::ReturnCall { func: 0, args });
    verify(&program(vec![f], &[])).expect("ReturnCall ends a function");
}

#[test]
fn a_function_needs_code() {
    let e = rejected(&one(|_| {}, &[], &[]));
    check(&e, "f", 1, None, &["no code"]);
    // Labels alone are not code.
    let e = rejected(&one(
        |f| {
            let l = f.label();
            f.bind(l);
        },
        &[],
        &[],
    ));
    check(&e, "f", 1, None, &["no code"]);
}

#[test]
fn parameters_are_the_first_registers_with_their_types() {
    let function = |params: Vec<Type>, scalars: Vec<ScalarType>| Function::<String> {
        name: "p".into(),
        params,
        results: vec![],
        scalars,
        cells: vec![],
        slices: vec![],
        lists: vec![vec![]],
        branch_tables: vec![],
        code: vec![Instr::Return { values: ListRef(0) }],
    };
    let program = |f: Function<String>| Program::<String> {
        functions: vec![f],
        ..Program::default()
    };
    let e = rejected(&program(function(vec![Type::I64], vec![ScalarType::I32])));
    check(
        &e,
        "p",
        0,
        None,
        &["parameter 0", "I64", "scalar register 0", "I32"],
    );
    let e = rejected(&program(function(
        vec![Type::I32, Type::F32],
        vec![ScalarType::I32],
    )));
    check(
        &e,
        "p",
        0,
        None,
        &["parameter 1", "F32", "register 1", "not declared"],
    );
    let e = rejected(&program(function(
        vec![Type::I32, Type::F64],
        vec![ScalarType::F64, ScalarType::I32],
    )));
    check(&e, "p", 0, None, &["parameter 0", "I32"]);
    verify(&program(function(
        vec![Type::I32, Type::F64],
        vec![ScalarType::I32, ScalarType::F64, ScalarType::I64],
    )))
    .expect("parameters first, then other registers");
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
        (3, Some(2)),
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
    for (min, max) in [(0, Some(0)), (2, Some(2)), (0, Some(65_536)), (1, None)] {
        verify(&mk(mem(min, max))).expect("pages in range");
    }
}

#[test]
fn too_many_registers() {
    let f = Function::<String> {
        name: "huge".into(),
        params: vec![],
        results: vec![],
        scalars: vec![ScalarType::I32; 65_537],
        cells: vec![],
        slices: vec![],
        lists: vec![vec![]],
        branch_tables: vec![],
        code: vec![Instr::Return { values: ListRef(0) }],
    };
    let mut p = Program::<String> {
        functions: vec![f],
        ..Program::default()
    };
    let e = rejected(&p);
    check(&e, "huge", 0, None, &["65537 scalar registers", "65536"]);
    // 65,536 registers are fine, and the last one is usable.
    p.functions[0].scalars.pop();
    p.functions[0].code.insert(
        0,
        Instr::I32Const {
            dst: Reg(u16::MAX),
            value: 3,
        },
    );
    let v = verify(&p).expect("65,536 registers");
    let mut instance = arenavm_vm::exec::Instance::new(&v, Default::default()).unwrap();
    expect_ok(instance.invoke(0, &[], &Default::default()));
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

#[test]
fn invalid_text_is_an_error_not_a_panic() {
    let texts = [
        "",
        "(",
        "not ron at all",
        "(functions: 5)",
        r#"(functions: [(name: 1, code: [])])"#,
        r#"(functions: [(name: "f", code: [Frobnicate(dst: 0)])])"#,
        r#"(functions: [(name: "f", code: [I32Add(dst: 0, a: 0)])])"#,
        r#"(functions: [(name: "f", code: [I32Const(dst: 70000, value: 1)])])"#,
        r#"(functions: [(name: "f", code: [I32Const(dst: 0, value: 99999999999)])])"#,
        r#"(functions: [(name: "f", code: [F32Const(dst: 0, bits: -1)])])"#,
        r#"(functions: [(name: "f", params: [I128], code: [])])"#,
        r#"(memories: [(min_pages: -1)], functions: [])"#,
    ];
    for text in texts {
        assert!(Program::from_ron(text).is_err(), "accepted: {text}");
    }
    // Well-formed text that the verifier then rejects.
    let text = r#"(functions: [(name: "f", results: [I32], code: [Return(values: 0)])])"#;
    let e = rejected(&Program::from_ron(text).expect("parses"));
    check(
        &e,
        "f",
        0,
        Some(0),
        &["returned values", "operand list 0", "does not exist"],
    );
}

#[test]
fn text_round_trips_through_to_ron() {
    let mut f = FunctionBuilder::new("f", &[Type::I32], &[Type::F32]);
    let x = f.param(0);
    let y = f.scalar(ScalarType::F32);
    let l = f.label();
    let t = f.branch_table(&[l, l]);
    f.push(Instr::BrTable { index: x, table: t });
    f.bind(l);
    f.push(Instr::F32Const {
        dst: y,
        bits: 0x7fa0_0001,
    });
    f.push(Instr::Unreachable {});
    let mut p = ProgramBuilder::new();
    p.memory(mem(1, Some(2)));
    p.global(GlobalDecl {
        init: Val::F64(-0.0),
        mutable: true,
    });
    p.function(f);
    let text = p.finish().into_text();
    let again = Program::from_ron(&text.to_ron()).expect("to_ron output parses");
    assert_eq!(again.to_ron(), text.to_ron());
    verify(&again).expect("still valid");
}

// Regression: a label after the last instruction was accepted, and a jump
// to it ran the interpreter off the end of the code.
#[test]
fn a_jump_past_the_last_instruction_is_rejected() {
    // f(c): if c goto end; return; end:
    let mut f = FunctionBuilder::new("f", &[Type::I32], &[]);
    let c = f.param(0);
    let end = f.label();
    f.push(Instr::BrIf {
        cond: c,
        target: end,
    });
    f.ret(&[]);
    f.bind(end);
    let e = rejected(&program(vec![f], &[]));
    check(&e, "f", 0, Some(2), &["label", "marks no instruction"]);
}

#[test]
fn unknown_fields_in_the_text_form_are_errors() {
    let text = r#"(memories: [(min_pages: 1, max_page: 2)], functions: [])"#;
    let err = Program::from_ron(text).unwrap_err();
    assert!(err.to_string().contains("max_page"), "{err}");
    let text = r#"(functions: [(name: "f", code: [Return(values: 0, extra: 1)])])"#;
    let err = Program::from_ron(text).unwrap_err();
    assert!(err.to_string().contains("extra"), "{err}");
}
