//! Helpers shared by the VM's integration tests: building tiny programs,
//! running them, and comparing results bit for bit.
//!
//! Every test crate uses a different subset, hence the `dead_code` allowance.

#![allow(dead_code, unused_macros)]

use arenavm_vm::builder::{FunctionBuilder, ProgramBuilder};
use arenavm_vm::exec::{ExecConfig, Instance, InvokeError, Trap, TrapKind};
use arenavm_vm::isa::{Instr, Label, Reg};
use arenavm_vm::program::{MemoryDecl, Program, Val};
use arenavm_vm::types::{ScalarType, Type};
use arenavm_vm::{VerifiedProgram, verify};

/// `|dst, a, b| Instr::$op { dst, a, b }`: a binary opcode as a constructor.
macro_rules! bin {
    ($op:ident) => {
        |dst, a, b| arenavm_vm::isa::Instr::$op { dst, a, b }
    };
}

/// `|dst, a| Instr::$op { dst, a }`: a unary opcode as a constructor.
macro_rules! un {
    ($op:ident) => {
        |dst, a| arenavm_vm::isa::Instr::$op { dst, a }
    };
}

/// `|a, b, target| Instr::$op { a, b, target }`: a fused compare-and-branch.
macro_rules! br {
    ($op:ident) => {
        |a, b, target| arenavm_vm::isa::Instr::$op { a, b, target }
    };
}

/// The type of a register holding `v`.
pub fn ty(v: Val) -> Type {
    v.ty().into()
}

/// Verifies a program that is expected to be valid, with the verifier's
/// message on failure.
pub fn verified(program: &Program<Label>) -> VerifiedProgram {
    verify(program).unwrap_or_else(|e| panic!("verification failed: {e}"))
}

/// A program made of these functions (in this order) and memories.
pub fn program(functions: Vec<FunctionBuilder>, memories: &[MemoryDecl]) -> Program<Label> {
    let mut p = ProgramBuilder::new();
    for m in memories {
        p.memory(*m);
    }
    for f in functions {
        p.function(f);
    }
    p.finish()
}

/// Verifies `program` and runs function 0 once with `args`.
pub fn run_program(
    program: &Program<Label>,
    args: &[Val],
    config: &ExecConfig,
) -> Result<Vec<Val>, InvokeError> {
    let v = verified(program);
    let mut instance = Instance::new(&v, Default::default()).expect("instance");
    instance.invoke(0, args, config)
}

/// Runs a one-function program with the default configuration.
pub fn run_fn(f: FunctionBuilder, args: &[Val]) -> Result<Vec<Val>, InvokeError> {
    run_program(&program(vec![f], &[]), args, &ExecConfig::default())
}

/// The trap of a failed invocation; panics on success or an invalid call.
pub fn expect_trap(result: Result<Vec<Val>, InvokeError>) -> Trap {
    match result {
        Err(InvokeError::Trap(trap)) => trap,
        other => panic!("expected a trap, got {other:?}"),
    }
}

/// The results of a successful invocation; panics on a trap.
pub fn expect_ok(result: Result<Vec<Val>, InvokeError>) -> Vec<Val> {
    match result {
        Ok(values) => values,
        Err(e) => panic!("expected results, got {e}"),
    }
}

/// Two values are the same: same type, same bits (so `-0.0 != +0.0` and
/// NaNs compare by payload).
pub fn same(a: Val, b: Val) -> bool {
    a.ty() == b.ty() && a.to_bits() == b.to_bits()
}

/// Bit-exact comparison of value lists, with a readable failure.
#[track_caller]
pub fn assert_vals(actual: &[Val], expected: &[Val], what: &str) {
    let ok =
        actual.len() == expected.len() && actual.iter().zip(expected).all(|(a, b)| same(*a, *b));
    assert!(
        ok,
        "{what}: got {}, want {}",
        show_all(actual),
        show_all(expected)
    );
}

/// A value with its bits, for failure messages.
pub fn show(v: Val) -> String {
    match v {
        Val::F32(x) => format!("F32({x:?} = {:#010x})", x.to_bits()),
        Val::F64(x) => format!("F64({x:?} = {:#018x})", x.to_bits()),
        Val::I32(x) => format!("I32({x} = {:#010x})", x as u32),
        Val::I64(x) => format!("I64({x} = {:#018x})", x as u64),
        other => format!("{other:?}"),
    }
}

fn show_all(vs: &[Val]) -> String {
    let parts: Vec<String> = vs.iter().map(|v| show(*v)).collect();
    format!("[{}]", parts.join(", "))
}

/// `f32` from its bits.
pub fn f32b(bits: u32) -> Val {
    Val::F32(f32::from_bits(bits))
}

/// `f64` from its bits.
pub fn f64b(bits: u64) -> Val {
    Val::F64(f64::from_bits(bits))
}

/// The spec's `nan:canonical`: a NaN whose payload is only the quiet bit
/// (either sign).
pub fn is_canonical_nan(v: Val) -> bool {
    match v {
        Val::F32(x) => x.to_bits() & 0x7fff_ffff == 0x7fc0_0000,
        Val::F64(x) => x.to_bits() & 0x7fff_ffff_ffff_ffff == 0x7ff8_0000_0000_0000,
        _ => false,
    }
}

/// The spec's `nan:arithmetic`: a NaN with the quiet bit set.
pub fn is_arithmetic_nan(v: Val) -> bool {
    match v {
        Val::F32(x) => x.to_bits() & 0x7fc0_0000 == 0x7fc0_0000,
        Val::F64(x) => x.to_bits() & 0x7ff8_0000_0000_0000 == 0x7ff8_0000_0000_0000,
        _ => false,
    }
}

/// One instruction wrapped in a function: the parameters are registers
/// `0..n`, the instruction writes register `n` of type `result`, which is
/// returned. Built and verified once, run for many inputs.
#[derive(Debug)]
pub struct OneOp {
    name: String,
    program: VerifiedProgram,
}

impl OneOp {
    /// Wraps the instruction `make(dst, params)`.
    pub fn new(
        params: &[ScalarType],
        result: ScalarType,
        make: impl FnOnce(Reg, &[Reg]) -> Instr<Label>,
    ) -> OneOp {
        let types: Vec<Type> = params.iter().map(|&t| t.into()).collect();
        let mut f = FunctionBuilder::new("op", &types, &[result.into()]);
        let regs: Vec<Reg> = (0..params.len()).map(|i| f.param(i)).collect();
        let dst = f.scalar(result);
        let instr = make(dst, &regs);
        let name = instr.name().to_string();
        f.push(instr);
        f.ret(&[dst]);
        OneOp {
            name,
            program: verified(&program(vec![f], &[])),
        }
    }

    /// A binary opcode with operands of types `a`, `b`.
    pub fn bin(
        make: impl FnOnce(Reg, Reg, Reg) -> Instr<Label>,
        a: ScalarType,
        b: ScalarType,
        result: ScalarType,
    ) -> OneOp {
        OneOp::new(&[a, b], result, |dst, p| make(dst, p[0], p[1]))
    }

    /// A unary opcode with an operand of type `a`.
    pub fn un(
        make: impl FnOnce(Reg, Reg) -> Instr<Label>,
        a: ScalarType,
        result: ScalarType,
    ) -> OneOp {
        OneOp::new(&[a], result, |dst, p| make(dst, p[0]))
    }

    /// Runs the instruction on `args`: its result, or the trap kind.
    pub fn call(&self, args: &[Val]) -> Result<Val, TrapKind> {
        let mut instance = Instance::new(&self.program, Default::default()).expect("instance");
        match instance.invoke(0, args, &ExecConfig::default()) {
            Ok(values) => {
                assert_eq!(values.len(), 1, "{}: one result", self.name);
                Ok(values[0])
            }
            Err(InvokeError::Trap(trap)) => {
                assert_eq!(trap.function, "op");
                assert_eq!(
                    trap.instruction, 0,
                    "{}: trap names the instruction",
                    self.name
                );
                Err(trap.kind)
            }
            Err(e) => panic!("{}: invalid invocation: {e}", self.name),
        }
    }

    /// Asserts that `args` give exactly `want` (bit for bit).
    #[track_caller]
    pub fn gives(&self, args: &[Val], want: Val) {
        match self.call(args) {
            Ok(got) => assert!(
                same(got, want),
                "{}({}) = {}, want {}",
                self.name,
                show_all(args),
                show(got),
                show(want)
            ),
            Err(kind) => panic!(
                "{}({}) trapped {kind:?}, want {}",
                self.name,
                show_all(args),
                show(want)
            ),
        }
    }

    /// Asserts that `args` trap with `kind`.
    #[track_caller]
    pub fn traps(&self, args: &[Val], kind: TrapKind) {
        match self.call(args) {
            Err(got) => assert_eq!(got, kind, "{}({})", self.name, show_all(args)),
            Ok(v) => panic!(
                "{}({}) = {}, want trap {kind:?}",
                self.name,
                show_all(args),
                show(v)
            ),
        }
    }

    /// Asserts that `args` give a NaN satisfying `class` (see
    /// [`is_canonical_nan`], [`is_arithmetic_nan`]).
    #[track_caller]
    pub fn gives_nan(&self, args: &[Val], class: fn(Val) -> bool, class_name: &str) {
        let got = self
            .call(args)
            .unwrap_or_else(|k| panic!("{}({}) trapped {k:?}", self.name, show_all(args)));
        assert!(
            class(got),
            "{}({}) = {}, want a {class_name} NaN",
            self.name,
            show_all(args),
            show(got)
        );
    }
}

/// Runs a binary opcode on a table of `(a, b, want)`; operand and result
/// types come from the first row.
#[track_caller]
pub fn bin_table(make: impl FnOnce(Reg, Reg, Reg) -> Instr<Label>, cases: &[(Val, Val, Val)]) {
    let (a, b, r) = cases[0];
    let op = OneOp::bin(make, a.ty(), b.ty(), r.ty());
    for &(a, b, want) in cases {
        op.gives(&[a, b], want);
    }
}

/// Runs a unary opcode on a table of `(a, want)`.
#[track_caller]
pub fn un_table(make: impl FnOnce(Reg, Reg) -> Instr<Label>, cases: &[(Val, Val)]) {
    let (a, r) = cases[0];
    let op = OneOp::un(make, a.ty(), r.ty());
    for &(a, want) in cases {
        op.gives(&[a], want);
    }
}

/// A memory of `min` pages growable to `max`.
pub fn mem(min: u32, max: Option<u32>) -> MemoryDecl {
    MemoryDecl {
        min_pages: min,
        max_pages: max,
    }
}

/// The bytes of memory `index` of `instance`, as the host sees them.
pub fn memory_bytes(instance: &Instance, index: u32) -> Vec<u8> {
    let cell = instance.memory(index).expect("memory exists");
    instance
        .heap()
        .get::<arenavm_vm::arenas::Bytes>(cell)
        .expect("memory is live")
        .as_slice()
        .to_vec()
}

/// `sum(n) = 1 + 2 + ... + n` as a loop with a backward fused branch: 3
/// constants, 1 branch, 3 instructions per iteration and 1 return, so
/// 3n + 5 instructions for n >= 1.
pub fn sum_fn() -> FunctionBuilder {
    let mut f = FunctionBuilder::new("sum", &[Type::I32], &[Type::I32]);
    let n = f.param(0);
    let (i, acc, one) = (
        f.scalar(ScalarType::I32),
        f.scalar(ScalarType::I32),
        f.scalar(ScalarType::I32),
    );
    let (top, done) = (f.label(), f.label());
    f.push(Instr::I32Const { dst: i, value: 1 });
    f.push(Instr::I32Const { dst: acc, value: 0 });
    f.push(Instr::I32Const { dst: one, value: 1 });
    f.push(Instr::BrI32GtS {
        a: i,
        b: n,
        target: done,
    });
    f.bind(top);
    f.push(Instr::I32Add {
        dst: acc,
        a: acc,
        b: i,
    });
    f.push(Instr::I32Add {
        dst: i,
        a: i,
        b: one,
    });
    f.push(Instr::BrI32LeS {
        a: i,
        b: n,
        target: top,
    });
    f.bind(done);
    f.ret(&[acc]);
    f
}

/// A configuration with this much fuel.
pub fn fuel(n: u64) -> ExecConfig {
    ExecConfig {
        fuel: Some(n),
        ..ExecConfig::default()
    }
}

/// A configuration with this call depth limit.
pub fn depth(n: usize) -> ExecConfig {
    ExecConfig {
        max_call_depth: n,
        ..ExecConfig::default()
    }
}

/// The comparison operand pairs of `i32.wast`, in order; each comparison's
/// expected results are a string of 0s and 1s over these pairs.
pub const I32_PAIRS: [(i32, i32); 14] = [
    (0, 0),
    (1, 1),
    (-1, 1),
    (i32::MIN, i32::MIN),
    (i32::MAX, i32::MAX),
    (-1, -1),
    (1, 0),
    (0, 1),
    (i32::MIN, 0),
    (0, i32::MIN),
    (i32::MIN, -1),
    (-1, i32::MIN),
    (i32::MIN, i32::MAX),
    (i32::MAX, i32::MIN),
];

/// The same pairs for `i64`.
pub const I64_PAIRS: [(i64, i64); 14] = [
    (0, 0),
    (1, 1),
    (-1, 1),
    (i64::MIN, i64::MIN),
    (i64::MAX, i64::MAX),
    (-1, -1),
    (1, 0),
    (0, 1),
    (i64::MIN, 0),
    (0, i64::MIN),
    (i64::MIN, -1),
    (-1, i64::MIN),
    (i64::MIN, i64::MAX),
    (i64::MAX, i64::MIN),
];

/// Expected truth values of each integer comparison over the pairs above,
/// shared by `i32`, `i64` and the fused branches (see `control.rs`).
pub const INT_COMPARISONS: [(&str, &str); 10] = [
    ("eq", "11011100000000"),
    ("ne", "00100011111111"),
    ("lt_s", "00100001101010"),
    ("lt_u", "00000001011001"),
    ("gt_s", "00000010010101"),
    ("gt_u", "00100010100110"),
    ("le_s", "11111101101010"),
    ("le_u", "11011101011001"),
    ("ge_s", "11011110010101"),
    ("ge_u", "11111110100110"),
];

pub fn truth(name: &str) -> &'static str {
    INT_COMPARISONS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| *t)
        .expect("comparison name")
}
