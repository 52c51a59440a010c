//! The immediate forms agree with their register forms: `XImm { a, imm }`
//! computes what `X { a, b }` computes with `b` holding the immediate
//! (sign-extended to i64 for the i64 forms). The register forms are
//! checked against WebAssembly's values in the `numeric_*` tests, so this
//! differential test pins the immediates to the same semantics.

use arenavm_vm::builder::{FunctionBuilder, ProgramBuilder};
use arenavm_vm::exec::{ExecConfig, Instance};
use arenavm_vm::isa::{Instr, Label, Reg};
use arenavm_vm::program::Val;
use arenavm_vm::types::{ScalarType, Type};
use arenavm_vm::verify;

/// Operand values at the edges of every operation here.
const EDGES: [i64; 12] = [
    0,
    1,
    -1,
    2,
    31,
    32,
    33,
    63,
    64,
    -64,
    i32::MIN as i64,
    i32::MAX as i64,
];
const WIDE_EDGES: [i64; 3] = [i64::MIN, i64::MAX, 1 << 40];

type Make = fn(Reg, Reg, Reg) -> Instr<Label>;
type MakeImm = fn(Reg, Reg, i32) -> Instr<Label>;
type MakeBr = fn(Reg, Reg, Label) -> Instr<Label>;
type MakeBrImm = fn(Reg, i32, Label) -> Instr<Label>;

/// Runs `reg(a, imm)` and `imm(a)` of `program`, with `i64` arguments when
/// `wide` (else `i32`); returns each one's result.
fn run_reg_and_imm(program: ProgramBuilder, wide: bool, a: i64, imm: i32) -> (Val, Val) {
    let arg = |v: i64| {
        if wide {
            Val::I64(v)
        } else {
            Val::I32(v as i32)
        }
    };
    let program = verify(&program.finish()).unwrap();
    let mut instance = Instance::new(&program, Default::default()).unwrap();
    let config = ExecConfig::default();
    let by_reg = instance
        .invoke_by_name("reg", &[arg(a), arg(i64::from(imm))], &config)
        .unwrap();
    let by_imm = instance.invoke_by_name("imm", &[arg(a)], &config).unwrap();
    (by_reg[0], by_imm[0])
}

/// `(a, b) -> out` with the register form, and `(a) -> out` with the
/// immediate form for `imm`; both return what `op` leaves in `out`.
fn run_pair(
    wide: bool,
    out: ScalarType,
    reg: Make,
    imm_form: MakeImm,
    a: i64,
    imm: i32,
) -> (Val, Val) {
    let ty = if wide { Type::I64 } else { Type::I32 };
    let mut program = ProgramBuilder::new();
    let mut f = FunctionBuilder::new("reg", &[ty, ty], &[out.into()]);
    let (x, y, r) = (f.param(0), f.param(1), f.scalar(out));
    f.push(reg(r, x, y));
    f.ret(&[r]);
    program.function(f);
    let mut g = FunctionBuilder::new("imm", &[ty], &[out.into()]);
    let (x, r) = (g.param(0), g.scalar(out));
    g.push(imm_form(r, x, imm));
    g.ret(&[r]);
    program.function(g);
    run_reg_and_imm(program, wide, a, imm)
}

/// Whether each form of a branch jumps, as `(register form, immediate form)`.
fn run_branch(wide: bool, reg: MakeBr, imm_form: MakeBrImm, a: i64, imm: i32) -> (bool, bool) {
    let ty = if wide { Type::I64 } else { Type::I32 };
    let build = |name: &str, with_imm: bool| {
        let params: &[Type] = if with_imm { &[ty] } else { &[ty, ty] };
        let mut f = FunctionBuilder::new(name, params, &[Type::I32]);
        let (taken, r) = (f.label(), f.scalar(ScalarType::I32));
        let x = f.param(0);
        if with_imm {
            f.push(imm_form(x, imm, taken));
        } else {
            let y = f.param(1);
            f.push(reg(x, y, taken));
        }
        f.push(Instr::I32Const { dst: r, value: 0 });
        f.ret(&[r]);
        f.bind(taken);
        f.push(Instr::I32Const { dst: r, value: 1 });
        f.ret(&[r]);
        f
    };
    let mut program = ProgramBuilder::new();
    program.function(build("reg", false));
    program.function(build("imm", true));
    let (by_reg, by_imm) = run_reg_and_imm(program, wide, a, imm);
    (by_reg == Val::I32(1), by_imm == Val::I32(1))
}

fn operands(wide: bool) -> Vec<(i64, i32)> {
    let firsts: Vec<i64> = EDGES
        .iter()
        .chain(if wide { &WIDE_EDGES[..] } else { &[] })
        .copied()
        .collect();
    let imms = EDGES.map(|v| v as i32);
    firsts
        .iter()
        .flat_map(|&a| imms.iter().map(move |&i| (a, i)))
        .collect()
}

macro_rules! pairs {
    ($wide:expr, $out:ident; $(($imm:ident, $reg:ident)),* $(,)?) => {{
        let list: Vec<(&str, Make, MakeImm)> = vec![$((
            stringify!($imm),
            |dst, a, b| Instr::$reg { dst, a, b },
            |dst, a, imm| Instr::$imm { dst, a, imm },
        )),*];
        for (name, reg, imm_form) in list {
            for (a, imm) in operands($wide) {
                let (by_reg, by_imm) = run_pair($wide, ScalarType::$out, reg, imm_form, a, imm);
                assert_eq!(by_reg, by_imm, "{name}: a = {a}, imm = {imm}");
            }
        }
    }};
}

macro_rules! branches {
    ($wide:expr; $(($imm:ident, $reg:ident)),* $(,)?) => {{
        let list: Vec<(&str, MakeBr, MakeBrImm)> = vec![$((
            stringify!($imm),
            |a, b, target| Instr::$reg { a, b, target },
            |a, imm, target| Instr::$imm { a, imm, target },
        )),*];
        for (name, reg, imm_form) in list {
            for (a, imm) in operands($wide) {
                let (by_reg, by_imm) = run_branch($wide, reg, imm_form, a, imm);
                assert_eq!(by_reg, by_imm, "{name}: a = {a}, imm = {imm}");
            }
        }
    }};
}

#[test]
fn i32_arithmetic_and_comparison_immediates() {
    pairs!(false, I32;
        (I32AddImm, I32Add), (I32MulImm, I32Mul), (I32AndImm, I32And), (I32OrImm, I32Or),
        (I32XorImm, I32Xor), (I32ShlImm, I32Shl), (I32ShrSImm, I32ShrS), (I32ShrUImm, I32ShrU),
        (I32EqImm, I32Eq), (I32NeImm, I32Ne), (I32LtSImm, I32LtS), (I32LtUImm, I32LtU),
        (I32GtSImm, I32GtS), (I32GtUImm, I32GtU), (I32LeSImm, I32LeS), (I32LeUImm, I32LeU),
        (I32GeSImm, I32GeS), (I32GeUImm, I32GeU),
    );
}

#[test]
fn i64_immediates_sign_extend() {
    pairs!(true, I64;
        (I64AddImm, I64Add), (I64MulImm, I64Mul), (I64AndImm, I64And), (I64OrImm, I64Or),
        (I64XorImm, I64Xor), (I64ShlImm, I64Shl), (I64ShrSImm, I64ShrS), (I64ShrUImm, I64ShrU),
    );
    pairs!(true, I32;
        (I64EqImm, I64Eq), (I64NeImm, I64Ne), (I64LtSImm, I64LtS), (I64LtUImm, I64LtU),
        (I64GtSImm, I64GtS), (I64GtUImm, I64GtU), (I64LeSImm, I64LeS), (I64LeUImm, I64LeU),
        (I64GeSImm, I64GeS), (I64GeUImm, I64GeU),
    );
}

#[test]
fn branch_immediates() {
    branches!(false;
        (BrI32EqImm, BrI32Eq), (BrI32NeImm, BrI32Ne), (BrI32LtSImm, BrI32LtS), (BrI32LtUImm, BrI32LtU),
        (BrI32GtSImm, BrI32GtS), (BrI32GtUImm, BrI32GtU), (BrI32LeSImm, BrI32LeS), (BrI32LeUImm, BrI32LeU),
        (BrI32GeSImm, BrI32GeS), (BrI32GeUImm, BrI32GeU),
    );
    branches!(true;
        (BrI64EqImm, BrI64Eq), (BrI64NeImm, BrI64Ne), (BrI64LtSImm, BrI64LtS), (BrI64LtUImm, BrI64LtU),
        (BrI64GtSImm, BrI64GtS), (BrI64GtUImm, BrI64GtU), (BrI64LeSImm, BrI64LeS), (BrI64LeUImm, BrI64LeU),
        (BrI64GeSImm, BrI64GeS), (BrI64GeUImm, BrI64GeU),
    );
}

#[test]
fn an_immediate_of_minus_one_is_all_ones_in_an_i64() {
    let (_, by_imm) = run_pair(
        true,
        ScalarType::I64,
        |d, a, b| Instr::I64And { dst: d, a, b },
        |d, a, imm| Instr::I64AndImm { dst: d, a, imm },
        -1,
        -1,
    );
    assert_eq!(by_imm, Val::I64(-1));
    let (_, taken) = run_branch(
        true,
        |a, b, t| Instr::BrI64LtU { a, b, target: t },
        |a, imm, t| Instr::BrI64LtUImm { a, imm, target: t },
        i64::MAX,
        -1,
    );
    assert!(taken, "i64::MAX < 0xFFFF_FFFF_FFFF_FFFF unsigned");
}
