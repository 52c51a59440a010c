//! The operator tables: which arenavm instruction each WebAssembly numeric,
//! comparison, load and store operator becomes.
//!
//! Each table is one macro invocation with one line per operator. Every
//! wasmparser operator named here has an arenavm instruction of the same
//! name and the same WebAssembly semantics (see `vm/src/isa/table.rs`), so
//! a line only adds the operand and result types and, where the VM has
//! one, the immediate form.

use arenavm_vm::isa::{Instr, Label, Reg};
use arenavm_vm::types::ScalarType;
use wasmparser::{MemArg, Operator};

/// Builds `dst = a op b`.
pub(super) type BinaryCtor = fn(Reg, Reg, Reg) -> Instr<Label>;
/// Builds `dst = a op imm` (an `*Imm` instruction).
pub(super) type ImmCtor = fn(Reg, Reg, i32) -> Instr<Label>;
/// Builds `dst = op a`.
pub(super) type UnaryCtor = fn(Reg, Reg) -> Instr<Label>;
/// Builds a load: `dst`, `addr`, `offset`, `mem`.
pub(super) type LoadCtor = fn(Reg, Reg, u32, u32) -> Instr<Label>;
/// Builds a store: `addr`, `value`, `offset`, `mem`.
pub(super) type StoreCtor = fn(Reg, Reg, u32, u32) -> Instr<Label>;

/// A binary operator other than an integer comparison.
#[derive(Clone, Copy, Debug)]
pub(super) struct Binary {
    pub(super) build: BinaryCtor,
    /// The type of both operands.
    pub(super) operand: ScalarType,
    pub(super) result: ScalarType,
    pub(super) imm: ImmForm,
}

/// How a constant operand may become an immediate. Immediates are `i32`;
/// the `i64` forms sign-extend theirs, so an `i64` constant qualifies only
/// if it fits in `i32`.
#[derive(Clone, Copy, Debug)]
pub(super) enum ImmForm {
    None,
    /// `a op c` has an immediate form.
    Right(ImmCtor),
    /// Commutative too: `c op a` is `a op c`.
    Commutative(ImmCtor),
    /// `a - c` is `a + (-c)` (wrapping, so exact).
    NegatedAdd(ImmCtor),
}

/// A unary operator: one operand, one result.
#[derive(Clone, Copy, Debug)]
pub(super) struct Unary {
    pub(super) build: UnaryCtor,
    pub(super) operand: ScalarType,
    pub(super) result: ScalarType,
}

macro_rules! imm_form {
    () => {
        ImmForm::None
    };
    (right $imm:ident) => {
        ImmForm::Right(|dst, a, imm| Instr::$imm { dst, a, imm })
    };
    (commutative $imm:ident) => {
        ImmForm::Commutative(|dst, a, imm| Instr::$imm { dst, a, imm })
    };
    (negated_add $imm:ident) => {
        ImmForm::NegatedAdd(|dst, a, imm| Instr::$imm { dst, a, imm })
    };
}

/// A [`Binary`] or [`Unary`] for the instruction `Name`, of these operand
/// and result types.
macro_rules! operator {
    (binary $name:ident($ty:ident -> $res:ident) $imm:expr) => {
        Binary {
            build: |dst, a, b| Instr::$name { dst, a, b },
            operand: ScalarType::$ty,
            result: ScalarType::$res,
            imm: $imm,
        }
    };
    (unary $name:ident($ty:ident -> $res:ident)) => {
        Unary {
            build: |dst, a| Instr::$name { dst, a },
            operand: ScalarType::$ty,
            result: ScalarType::$res,
        }
    };
}

/// Generates [`binary`] from lines naming an operator at both widths:
/// `I32Op I64Op [: kind I32Imm I64Imm];` for the integer ones (each width
/// with the same kind of immediate form), `F32Op F64Op;` for the float
/// arithmetic and the float comparisons (whose result is an `i32`).
macro_rules! binary_table {
    (
        ints { $($i32:ident $i64:ident $(: $kind:ident $imm32:ident $imm64:ident)?;)* }
        floats { $($f32:ident $f64:ident;)* }
        float_compares { $($c32:ident $c64:ident;)* }
    ) => {
        /// The binary operator `op` is, if it is one (integer comparisons
        /// are in [`IntCmp`] instead).
        pub(super) fn binary(op: &Operator<'_>) -> Option<Binary> {
            Some(match op {
                $(Operator::$i32 => operator!(binary $i32(I32 -> I32) imm_form!($($kind $imm32)?)),
                  Operator::$i64 => operator!(binary $i64(I64 -> I64) imm_form!($($kind $imm64)?)),)*
                $(Operator::$f32 => operator!(binary $f32(F32 -> F32) ImmForm::None),
                  Operator::$f64 => operator!(binary $f64(F64 -> F64) ImmForm::None),)*
                $(Operator::$c32 => operator!(binary $c32(F32 -> I32) ImmForm::None),
                  Operator::$c64 => operator!(binary $c64(F64 -> I32) ImmForm::None),)*
                _ => return None,
            })
        }
    };
}

binary_table! {
    ints {
        I32Add I64Add: commutative I32AddImm I64AddImm;
        I32Sub I64Sub: negated_add I32AddImm I64AddImm;
        I32Mul I64Mul: commutative I32MulImm I64MulImm;
        I32DivS I64DivS;
        I32DivU I64DivU;
        I32RemS I64RemS;
        I32RemU I64RemU;
        I32And I64And: commutative I32AndImm I64AndImm;
        I32Or I64Or: commutative I32OrImm I64OrImm;
        I32Xor I64Xor: commutative I32XorImm I64XorImm;
        I32Shl I64Shl: right I32ShlImm I64ShlImm;
        I32ShrS I64ShrS: right I32ShrSImm I64ShrSImm;
        I32ShrU I64ShrU: right I32ShrUImm I64ShrUImm;
        I32Rotl I64Rotl;
        I32Rotr I64Rotr;
    }
    floats {
        F32Add F64Add;
        F32Sub F64Sub;
        F32Mul F64Mul;
        F32Div F64Div;
        F32Min F64Min;
        F32Max F64Max;
        F32Copysign F64Copysign;
    }
    float_compares {
        F32Eq F64Eq;
        F32Ne F64Ne;
        F32Lt F64Lt;
        F32Gt F64Gt;
        F32Le F64Le;
        F32Ge F64Ge;
    }
}

/// Generates [`unary`] from lines naming an operator at both widths,
/// `I32Op I64Op;` and `F32Op F64Op;` (operand and result of that width),
/// and from `Name(operand -> result);` lines for the others.
macro_rules! unary_table {
    (
        ints { $($i32:ident $i64:ident;)* }
        floats { $($f32:ident $f64:ident;)* }
        others { $($name:ident($ty:ident -> $res:ident);)* }
    ) => {
        /// The unary operator `op` is, if it is one (`eqz` is an
        /// [`IntCmp`] against 0 instead).
        pub(super) fn unary(op: &Operator<'_>) -> Option<Unary> {
            Some(match op {
                $(Operator::$i32 => operator!(unary $i32(I32 -> I32)),
                  Operator::$i64 => operator!(unary $i64(I64 -> I64)),)*
                $(Operator::$f32 => operator!(unary $f32(F32 -> F32)),
                  Operator::$f64 => operator!(unary $f64(F64 -> F64)),)*
                $(Operator::$name => operator!(unary $name($ty -> $res)),)*
                _ => return None,
            })
        }
    };
}

unary_table! {
    ints {
        I32Clz I64Clz;
        I32Ctz I64Ctz;
        I32Popcnt I64Popcnt;
        I32Extend8S I64Extend8S;
        I32Extend16S I64Extend16S;
    }
    floats {
        F32Abs F64Abs;
        F32Neg F64Neg;
        F32Ceil F64Ceil;
        F32Floor F64Floor;
        F32Trunc F64Trunc;
        F32Nearest F64Nearest;
        F32Sqrt F64Sqrt;
    }
    others {
        I64Extend32S(I64 -> I64);
        I32WrapI64(I64 -> I32);
        I64ExtendI32S(I32 -> I64);
        I64ExtendI32U(I32 -> I64);
        I32TruncF32S(F32 -> I32);
        I32TruncF32U(F32 -> I32);
        I32TruncF64S(F64 -> I32);
        I32TruncF64U(F64 -> I32);
        I64TruncF32S(F32 -> I64);
        I64TruncF32U(F32 -> I64);
        I64TruncF64S(F64 -> I64);
        I64TruncF64U(F64 -> I64);
        I32TruncSatF32S(F32 -> I32);
        I32TruncSatF32U(F32 -> I32);
        I32TruncSatF64S(F64 -> I32);
        I32TruncSatF64U(F64 -> I32);
        I64TruncSatF32S(F32 -> I64);
        I64TruncSatF32U(F32 -> I64);
        I64TruncSatF64S(F64 -> I64);
        I64TruncSatF64U(F64 -> I64);
        F32ConvertI32S(I32 -> F32);
        F32ConvertI32U(I32 -> F32);
        F32ConvertI64S(I64 -> F32);
        F32ConvertI64U(I64 -> F32);
        F64ConvertI32S(I32 -> F64);
        F64ConvertI32U(I32 -> F64);
        F64ConvertI64S(I64 -> F64);
        F64ConvertI64U(I64 -> F64);
        F32DemoteF64(F64 -> F32);
        F64PromoteF32(F32 -> F64);
        I32ReinterpretF32(F32 -> I32);
        I64ReinterpretF64(F64 -> I64);
        F32ReinterpretI32(I32 -> F32);
        F64ReinterpretI64(I64 -> F64);
    }
}

/// An integer comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum CmpOp {
    Eq,
    Ne,
    LtS,
    LtU,
    GtS,
    GtU,
    LeS,
    LeU,
    GeS,
    GeU,
}

impl CmpOp {
    /// The comparison that holds exactly when `self` does not.
    pub(super) fn negate(self) -> CmpOp {
        use CmpOp::*;
        match self {
            Eq => Ne,
            Ne => Eq,
            LtS => GeS,
            LtU => GeU,
            GtS => LeS,
            GtU => LeU,
            LeS => GtS,
            LeU => GtU,
            GeS => LtS,
            GeU => LtU,
        }
    }

    /// The comparison with its operands swapped: `a op b == b op' a`.
    pub(super) fn swap(self) -> CmpOp {
        use CmpOp::*;
        match self {
            Eq => Eq,
            Ne => Ne,
            LtS => GtS,
            LtU => GtU,
            GtS => LtS,
            GtU => LtU,
            LeS => GeS,
            LeU => GeU,
            GeS => LeS,
            GeU => LeU,
        }
    }
}

/// An `i32` (`wide == false`) or `i64` comparison; the VM has value,
/// immediate, compare-and-branch and compare-immediate-and-branch forms
/// of each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct IntCmp {
    pub(super) wide: bool,
    pub(super) op: CmpOp,
}

/// The right operand of a comparison: a register or an immediate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Rhs {
    Reg(Reg),
    Imm(i32),
}

impl IntCmp {
    /// The operand type.
    pub(super) fn operand(self) -> ScalarType {
        if self.wide {
            ScalarType::I64
        } else {
            ScalarType::I32
        }
    }

    pub(super) fn negate(self) -> IntCmp {
        IntCmp {
            op: self.op.negate(),
            ..self
        }
    }

    pub(super) fn swap(self) -> IntCmp {
        IntCmp {
            op: self.op.swap(),
            ..self
        }
    }
}

/// `Op: I32Value I32Imm BrI32 BrI32Imm, I64Value I64Imm BrI64 BrI64Imm;`
/// generates the comparison builders and [`IntCmp::from_operator`].
macro_rules! compare_table {
    ($($op:ident: $v32:ident $i32:ident $b32:ident $bi32:ident,
                  $v64:ident $i64:ident $b64:ident $bi64:ident;)*) => {
        impl IntCmp {
            /// The comparison `op` is, if it is one; `eqz` is `== 0`.
            pub(super) fn from_operator(op: &Operator<'_>) -> Option<(IntCmp, Option<i32>)> {
                let (wide, cmp, rhs) = match op {
                    Operator::I32Eqz => (false, CmpOp::Eq, Some(0)),
                    Operator::I64Eqz => (true, CmpOp::Eq, Some(0)),
                    $(Operator::$v32 => (false, CmpOp::$op, None),
                      Operator::$v64 => (true, CmpOp::$op, None),)*
                    _ => return None,
                };
                Some((IntCmp { wide, op: cmp }, rhs))
            }

            /// `dst = a op rhs`, an `i32` 0 or 1.
            pub(super) fn value(self, dst: Reg, a: Reg, rhs: Rhs) -> Instr<Label> {
                match (self.wide, self.op, rhs) {
                    $((false, CmpOp::$op, Rhs::Reg(b)) => Instr::$v32 { dst, a, b },
                      (false, CmpOp::$op, Rhs::Imm(imm)) => Instr::$i32 { dst, a, imm },
                      (true, CmpOp::$op, Rhs::Reg(b)) => Instr::$v64 { dst, a, b },
                      (true, CmpOp::$op, Rhs::Imm(imm)) => Instr::$i64 { dst, a, imm },)*
                }
            }

            /// Jump to `target` if `a op rhs`. `i32` comparisons of a
            /// register with 0 use `BrIf` / `BrIfNot`.
            pub(super) fn branch(self, a: Reg, rhs: Rhs, target: Label) -> Instr<Label> {
                match (self.wide, self.op, rhs) {
                    (false, CmpOp::Ne, Rhs::Imm(0)) => Instr::BrIf { cond: a, target },
                    (false, CmpOp::Eq, Rhs::Imm(0)) => Instr::BrIfNot { cond: a, target },
                    $((false, CmpOp::$op, Rhs::Reg(b)) => Instr::$b32 { a, b, target },
                      (false, CmpOp::$op, Rhs::Imm(imm)) => Instr::$bi32 { a, imm, target },
                      (true, CmpOp::$op, Rhs::Reg(b)) => Instr::$b64 { a, b, target },
                      (true, CmpOp::$op, Rhs::Imm(imm)) => Instr::$bi64 { a, imm, target },)*
                }
            }
        }
    };
}

compare_table! {
    Eq: I32Eq I32EqImm BrI32Eq BrI32EqImm, I64Eq I64EqImm BrI64Eq BrI64EqImm;
    Ne: I32Ne I32NeImm BrI32Ne BrI32NeImm, I64Ne I64NeImm BrI64Ne BrI64NeImm;
    LtS: I32LtS I32LtSImm BrI32LtS BrI32LtSImm, I64LtS I64LtSImm BrI64LtS BrI64LtSImm;
    LtU: I32LtU I32LtUImm BrI32LtU BrI32LtUImm, I64LtU I64LtUImm BrI64LtU BrI64LtUImm;
    GtS: I32GtS I32GtSImm BrI32GtS BrI32GtSImm, I64GtS I64GtSImm BrI64GtS BrI64GtSImm;
    GtU: I32GtU I32GtUImm BrI32GtU BrI32GtUImm, I64GtU I64GtUImm BrI64GtU BrI64GtUImm;
    LeS: I32LeS I32LeSImm BrI32LeS BrI32LeSImm, I64LeS I64LeSImm BrI64LeS BrI64LeSImm;
    LeU: I32LeU I32LeUImm BrI32LeU BrI32LeUImm, I64LeU I64LeUImm BrI64LeU BrI64LeUImm;
    GeS: I32GeS I32GeSImm BrI32GeS BrI32GeSImm, I64GeS I64GeSImm BrI64GeS BrI64GeSImm;
    GeU: I32GeU I32GeUImm BrI32GeU BrI32GeUImm, I64GeU I64GeUImm BrI64GeU BrI64GeUImm;
}

/// `Name(type);` lines for loads (the result type) and stores (the stored
/// value's type); generates [`load`] and [`store`].
macro_rules! memory_table {
    (loads { $($load:ident($lty:ident);)* } stores { $($store:ident($sty:ident);)* }) => {
        /// The load `op` is, with its result type and memory argument.
        pub(super) fn load<'o>(op: &'o Operator<'_>) -> Option<(LoadCtor, ScalarType, &'o MemArg)> {
            Some(match op {
                $(Operator::$load { memarg } => (
                    |dst, addr, offset, mem| Instr::$load { dst, addr, offset, mem },
                    ScalarType::$lty,
                    memarg,
                ),)*
                _ => return None,
            })
        }

        /// The store `op` is, with its value's type and memory argument.
        pub(super) fn store<'o>(op: &'o Operator<'_>) -> Option<(StoreCtor, ScalarType, &'o MemArg)> {
            Some(match op {
                $(Operator::$store { memarg } => (
                    |addr, value, offset, mem| Instr::$store { addr, value, offset, mem },
                    ScalarType::$sty,
                    memarg,
                ),)*
                _ => return None,
            })
        }
    };
}

memory_table! {
    loads {
        I32Load(I32);
        I64Load(I64);
        F32Load(F32);
        F64Load(F64);
        I32Load8S(I32);
        I32Load8U(I32);
        I32Load16S(I32);
        I32Load16U(I32);
        I64Load8S(I64);
        I64Load8U(I64);
        I64Load16S(I64);
        I64Load16U(I64);
        I64Load32S(I64);
        I64Load32U(I64);
    }
    stores {
        I32Store(I32);
        I64Store(I64);
        F32Store(F32);
        F64Store(F64);
        I32Store8(I32);
        I32Store16(I32);
        I64Store8(I64);
        I64Store16(I64);
        I64Store32(I64);
    }
}

/// Names an operator arenavm does not translate, with the proposal it
/// comes from (wasmparser's grouping), e.g. `V128Const (simd proposal)`.
pub(super) fn describe_unsupported(op: &Operator<'_>) -> String {
    macro_rules! proposal_of {
        ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*))*) => {
            match op {
                $(Operator::$op { .. } => (stringify!($op), stringify!($proposal)),)*
                _ => ("an operator", "unknown"),
            }
        };
    }
    let (name, proposal) = wasmparser::for_each_operator!(proposal_of);
    let proposal = proposal.replace('_', "-");
    format!("{name} ({proposal} proposal)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsupported_operators_are_named_with_their_proposal() {
        let op = Operator::I32AtomicLoad {
            memarg: MemArg {
                align: 2,
                max_align: 2,
                offset: 0,
                target: Default::default(),
                ordering: None,
            },
        };
        assert_eq!(
            describe_unsupported(&op),
            "I32AtomicLoad (threads proposal)"
        );
        assert_eq!(describe_unsupported(&Operator::Nop), "Nop (mvp proposal)");
    }

    #[test]
    fn negation_and_swap_are_involutions() {
        use CmpOp::*;
        for op in [Eq, Ne, LtS, LtU, GtS, GtU, LeS, LeU, GeS, GeU] {
            assert_eq!(op.negate().negate(), op);
            assert_eq!(op.swap().swap(), op);
            assert_ne!(op.negate(), op);
        }
    }

    #[test]
    fn comparisons_of_a_register_with_zero_branch_with_br_if() {
        let cmp = IntCmp {
            wide: false,
            op: CmpOp::Ne,
        };
        let mut f = arenavm_vm::builder::FunctionBuilder::new("f", &[], &[]);
        let target = f.label();
        assert!(matches!(
            cmp.branch(Reg(3), Rhs::Imm(0), target),
            Instr::BrIf { cond: Reg(3), .. }
        ));
        assert!(matches!(
            cmp.negate().branch(Reg(3), Rhs::Imm(0), target),
            Instr::BrIfNot { cond: Reg(3), .. }
        ));
        assert!(matches!(
            cmp.branch(Reg(3), Rhs::Imm(7), target),
            Instr::BrI32NeImm { imm: 7, .. }
        ));
    }
}
