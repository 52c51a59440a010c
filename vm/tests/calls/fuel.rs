//! Fuel: what it counts and the trap when it runs out.

use crate::common::*;
use arenavm_vm::builder::FunctionBuilder;
use arenavm_vm::exec::{Instance, TrapKind};
use arenavm_vm::isa::Instr;
use arenavm_vm::program::Val::I32;
use arenavm_vm::types::{ScalarType, Type};

/// Six instructions (three labels among them do not count).
fn straight_line() -> FunctionBuilder {
    let mut f = FunctionBuilder::new("line", &[], &[Type::I32]);
    let r = f.scalar(ScalarType::I32);
    let (a, b, c) = (f.label(), f.label(), f.label());
    f.bind(a);
    for value in 1..=5 {
        f.push(Instr::I32Const { dst: r, value });
    }
    f.bind(b).bind(c);
    f.ret(&[r]);
    f
}

#[test]
fn fuel_counts_executed_instructions() {
    let p = program(vec![straight_line()], &[]);
    let v = verified(&p);
    let mut instance = Instance::new(&v, Default::default()).unwrap();
    assert_vals(
        &expect_ok(instance.invoke(0, &[], &fuel(6))),
        &[I32(5)],
        "fuel 6",
    );
    assert_vals(
        &expect_ok(instance.invoke(0, &[], &fuel(1000))),
        &[I32(5)],
        "fuel 1000",
    );
    // Code as written: label (0), five constants (1..=5), two labels (6,
    // 7), return (8). With fuel 5 the return is refused.
    let trap = expect_trap(instance.invoke(0, &[], &fuel(5)));
    assert_eq!(trap.kind, TrapKind::OutOfFuel);
    assert_eq!((trap.function.as_str(), trap.instruction), ("line", 8));
    let trap = expect_trap(instance.invoke(0, &[], &fuel(0)));
    assert_eq!((trap.kind, trap.instruction), (TrapKind::OutOfFuel, 1));
}

#[test]
fn fuel_counts_loop_iterations_and_calls() {
    // `common::sum_fn`: 3n + 5 instructions for n >= 1.
    let p = program(vec![sum_fn()], &[]);
    let v = verified(&p);
    let mut instance = Instance::new(&v, Default::default()).unwrap();
    assert_vals(
        &expect_ok(instance.invoke(0, &[I32(10)], &fuel(35))),
        &[I32(55)],
        "sum",
    );
    let trap = expect_trap(instance.invoke(0, &[I32(10)], &fuel(34)));
    assert_eq!(trap.kind, TrapKind::OutOfFuel);

    // main: call g, return (2) + g: const, return (2) = 4.
    let mut main = FunctionBuilder::new("main", &[], &[Type::I32]);
    let r = main.scalar(ScalarType::I32);
    main.call(1, &[], &[r]);
    main.ret(&[r]);
    let mut g = FunctionBuilder::new("g", &[], &[Type::I32]);
    let x = g.scalar(ScalarType::I32);
    g.push(Instr::I32Const { dst: x, value: 3 });
    g.ret(&[x]);
    let p = program(vec![main, g], &[]);
    let v = verified(&p);
    let mut instance = Instance::new(&v, Default::default()).unwrap();
    assert_vals(
        &expect_ok(instance.invoke(0, &[], &fuel(4))),
        &[I32(3)],
        "call",
    );
    let trap = expect_trap(instance.invoke(0, &[], &fuel(3)));
    assert_eq!(trap.kind, TrapKind::OutOfFuel);
}

#[test]
fn an_infinite_loop_runs_out_of_fuel() {
    let mut f = FunctionBuilder::new("spin", &[], &[]);
    let top = f.label();
    f.bind(top);
    f.push(Instr::Jump { target: top });
    let p = program(vec![f], &[]);
    let trap = expect_trap(run_program(&p, &[], &fuel(100_000)));
    assert_eq!(trap.kind, TrapKind::OutOfFuel);
    assert_eq!(trap.function, "spin");
}

/// The trap names the instruction that was refused, even right after a
/// jump (not the instruction before the jump target, never executed).
#[test]
fn out_of_fuel_names_the_instruction_that_would_have_run() {
    let mut f = FunctionBuilder::new("spin", &[], &[]);
    let top = f.label();
    f.push(Instr::Jump { target: top }); // 0
    f.push(Instr::Unreachable {}); // 1: never executed
    f.bind(top); // 2
    f.push(Instr::Jump { target: top }); // 3
    let p = program(vec![f], &[]);
    for fuel_units in [1, 2, 3, 10] {
        let trap = expect_trap(run_program(&p, &[], &fuel(fuel_units)));
        assert_eq!(trap.kind, TrapKind::OutOfFuel);
        assert_eq!(
            trap.instruction, 3,
            "with fuel {fuel_units} the next instruction is the loop's jump"
        );
    }
}
