//! Instruction templates: raw random material for one instruction, every
//! pure opcode, load and store of the table by operand shape, and the other
//! instructions the generators emit.

use crate::values::{TYPES, f32_bits, f64_bits, i32_value, i64_value, offset};
use arenavm_vm::isa::{Instr, Reg};
use arenavm_vm::types::ScalarType as S;
use proptest::prelude::*;

/// Raw random material for one instruction; how each field is used depends
/// on the opcode chosen by `op`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Raw {
    pub(crate) op: u16,
    pub(crate) a: u16,
    pub(crate) b: u16,
    pub(crate) c: u16,
    pub(crate) imm: u64,
}

pub(crate) fn raw() -> impl Strategy<Value = Raw> {
    (
        any::<u16>(),
        any::<u16>(),
        any::<u16>(),
        any::<u16>(),
        any::<u64>(),
    )
        .prop_map(|(op, a, b, c, imm)| Raw { op, a, b, c, imm })
}

/// One opcode of the table, by operand shape, with its operand types.
pub(crate) enum Tpl<T> {
    /// `dst: write(r), a: read(x)`.
    Un(fn(Reg, Reg) -> Instr<T>, S, S),
    /// `dst: write(r), a: read(x), b: read(y)`.
    Bin(fn(Reg, Reg, Reg) -> Instr<T>, S, S, S),
    /// Fused compare-and-branch on two registers of one type.
    Br(fn(Reg, Reg, T) -> Instr<T>, S),
    /// `dst: write(r), addr, offset, mem`.
    Load(fn(Reg, Reg, u32, u32) -> Instr<T>, S),
    /// `addr, value: read(r), offset, mem`.
    Store(fn(Reg, Reg, u32, u32) -> Instr<T>, S),
}

/// Where a generator draws an instruction's operands from, each chosen by
/// raw bits.
pub(crate) trait Operands<T> {
    /// A register, usually of type `ty`.
    fn reg(&self, ty: S, x: u64) -> Reg;
    /// A branch target.
    fn target(&self, x: u64) -> T;
    /// A memory index.
    fn mem(&self, x: u64) -> u32;
}

impl<T> Tpl<T> {
    /// This template's instruction, with operands drawn from `r`.
    pub(crate) fn instr(&self, cx: &impl Operands<T>, r: Raw) -> Instr<T> {
        let (a, b, c) = (u64::from(r.a), u64::from(r.b), u64::from(r.c));
        match *self {
            Tpl::Un(make, dst, x) => make(cx.reg(dst, a), cx.reg(x, b)),
            Tpl::Bin(make, dst, x, y) => make(cx.reg(dst, a), cx.reg(x, b), cx.reg(y, c)),
            Tpl::Br(make, ty) => make(cx.reg(ty, a), cx.reg(ty, b), cx.target(c)),
            Tpl::Load(make, ty) => make(cx.reg(ty, a), cx.reg(S::I32, b), offset(r.imm), cx.mem(c)),
            Tpl::Store(make, ty) => {
                make(cx.reg(S::I32, a), cx.reg(ty, b), offset(r.imm), cx.mem(c))
            }
        }
    }
}

/// Every pure opcode and every load and store of the table, one a line.
#[rustfmt::skip]
pub(crate) fn templates<T>() -> Vec<Tpl<T>> {
    use Tpl::*;
    vec![
Bin(|dst, a, b| Instr::I32Add { dst, a, b }, S::I32, S::I32, S::I32),
        Bin(|dst, a, b| Instr::I32Sub { dst, a, b }, S::I32, S::I32, S::I32),
        Bin(|dst, a, b| Instr::I32Mul { dst, a, b }, S::I32, S::I32, S::I32),
        Bin(|dst, a, b| Instr::I32And { dst, a, b }, S::I32, S::I32, S::I32),
        Bin(|dst, a, b| Instr::I32Or { dst, a, b }, S::I32, S::I32, S::I32),
        Bin(|dst, a, b| Instr::I32Xor { dst, a, b }, S::I32, S::I32, S::I32),
        Bin(|dst, a, b| Instr::I32Shl { dst, a, b }, S::I32, S::I32, S::I32),
        Bin(|dst, a, b| Instr::I32ShrS { dst, a, b }, S::I32, S::I32, S::I32),
        Bin(|dst, a, b| Instr::I32ShrU { dst, a, b }, S::I32, S::I32, S::I32),
        Bin(|dst, a, b| Instr::I32Rotl { dst, a, b }, S::I32, S::I32, S::I32),
        Bin(|dst, a, b| Instr::I32Rotr { dst, a, b }, S::I32, S::I32, S::I32),
        Bin(|dst, a, b| Instr::I32DivS { dst, a, b }, S::I32, S::I32, S::I32),
        Bin(|dst, a, b| Instr::I32DivU { dst, a, b }, S::I32, S::I32, S::I32),
        Bin(|dst, a, b| Instr::I32RemS { dst, a, b }, S::I32, S::I32, S::I32),
        Bin(|dst, a, b| Instr::I32RemU { dst, a, b }, S::I32, S::I32, S::I32),
        Un(|dst, a| Instr::I32Clz { dst, a }, S::I32, S::I32),
        Un(|dst, a| Instr::I32Ctz { dst, a }, S::I32, S::I32),
        Un(|dst, a| Instr::I32Popcnt { dst, a }, S::I32, S::I32),
        Un(|dst, a| Instr::I32Extend8S { dst, a }, S::I32, S::I32),
        Un(|dst, a| Instr::I32Extend16S { dst, a }, S::I32, S::I32),
        Un(|dst, a| Instr::I32Eqz { dst, a }, S::I32, S::I32),
        Bin(|dst, a, b| Instr::I32Eq { dst, a, b }, S::I32, S::I32, S::I32),
        Bin(|dst, a, b| Instr::I32Ne { dst, a, b }, S::I32, S::I32, S::I32),
        Bin(|dst, a, b| Instr::I32LtS { dst, a, b }, S::I32, S::I32, S::I32),
        Bin(|dst, a, b| Instr::I32LtU { dst, a, b }, S::I32, S::I32, S::I32),
        Bin(|dst, a, b| Instr::I32GtS { dst, a, b }, S::I32, S::I32, S::I32),
        Bin(|dst, a, b| Instr::I32GtU { dst, a, b }, S::I32, S::I32, S::I32),
        Bin(|dst, a, b| Instr::I32LeS { dst, a, b }, S::I32, S::I32, S::I32),
        Bin(|dst, a, b| Instr::I32LeU { dst, a, b }, S::I32, S::I32, S::I32),
        Bin(|dst, a, b| Instr::I32GeS { dst, a, b }, S::I32, S::I32, S::I32),
        Bin(|dst, a, b| Instr::I32GeU { dst, a, b }, S::I32, S::I32, S::I32),
        Bin(|dst, a, b| Instr::I64Add { dst, a, b }, S::I64, S::I64, S::I64),
        Bin(|dst, a, b| Instr::I64Sub { dst, a, b }, S::I64, S::I64, S::I64),
        Bin(|dst, a, b| Instr::I64Mul { dst, a, b }, S::I64, S::I64, S::I64),
        Bin(|dst, a, b| Instr::I64And { dst, a, b }, S::I64, S::I64, S::I64),
        Bin(|dst, a, b| Instr::I64Or { dst, a, b }, S::I64, S::I64, S::I64),
        Bin(|dst, a, b| Instr::I64Xor { dst, a, b }, S::I64, S::I64, S::I64),
        Bin(|dst, a, b| Instr::I64Shl { dst, a, b }, S::I64, S::I64, S::I64),
        Bin(|dst, a, b| Instr::I64ShrS { dst, a, b }, S::I64, S::I64, S::I64),
        Bin(|dst, a, b| Instr::I64ShrU { dst, a, b }, S::I64, S::I64, S::I64),
        Bin(|dst, a, b| Instr::I64Rotl { dst, a, b }, S::I64, S::I64, S::I64),
        Bin(|dst, a, b| Instr::I64Rotr { dst, a, b }, S::I64, S::I64, S::I64),
        Bin(|dst, a, b| Instr::I64DivS { dst, a, b }, S::I64, S::I64, S::I64),
        Bin(|dst, a, b| Instr::I64DivU { dst, a, b }, S::I64, S::I64, S::I64),
        Bin(|dst, a, b| Instr::I64RemS { dst, a, b }, S::I64, S::I64, S::I64),
        Bin(|dst, a, b| Instr::I64RemU { dst, a, b }, S::I64, S::I64, S::I64),
        Un(|dst, a| Instr::I64Clz { dst, a }, S::I64, S::I64),
        Un(|dst, a| Instr::I64Ctz { dst, a }, S::I64, S::I64),
        Un(|dst, a| Instr::I64Popcnt { dst, a }, S::I64, S::I64),
        Un(|dst, a| Instr::I64Extend8S { dst, a }, S::I64, S::I64),
        Un(|dst, a| Instr::I64Extend16S { dst, a }, S::I64, S::I64),
        Un(|dst, a| Instr::I64Extend32S { dst, a }, S::I64, S::I64),
        Un(|dst, a| Instr::I64Eqz { dst, a }, S::I32, S::I64),
        Bin(|dst, a, b| Instr::I64Eq { dst, a, b }, S::I32, S::I64, S::I64),
        Bin(|dst, a, b| Instr::I64Ne { dst, a, b }, S::I32, S::I64, S::I64),
        Bin(|dst, a, b| Instr::I64LtS { dst, a, b }, S::I32, S::I64, S::I64),
        Bin(|dst, a, b| Instr::I64LtU { dst, a, b }, S::I32, S::I64, S::I64),
        Bin(|dst, a, b| Instr::I64GtS { dst, a, b }, S::I32, S::I64, S::I64),
        Bin(|dst, a, b| Instr::I64GtU { dst, a, b }, S::I32, S::I64, S::I64),
        Bin(|dst, a, b| Instr::I64LeS { dst, a, b }, S::I32, S::I64, S::I64),
        Bin(|dst, a, b| Instr::I64LeU { dst, a, b }, S::I32, S::I64, S::I64),
        Bin(|dst, a, b| Instr::I64GeS { dst, a, b }, S::I32, S::I64, S::I64),
        Bin(|dst, a, b| Instr::I64GeU { dst, a, b }, S::I32, S::I64, S::I64),
        Bin(|dst, a, b| Instr::F32Add { dst, a, b }, S::F32, S::F32, S::F32),
        Bin(|dst, a, b| Instr::F32Sub { dst, a, b }, S::F32, S::F32, S::F32),
        Bin(|dst, a, b| Instr::F32Mul { dst, a, b }, S::F32, S::F32, S::F32),
        Bin(|dst, a, b| Instr::F32Div { dst, a, b }, S::F32, S::F32, S::F32),
        Bin(|dst, a, b| Instr::F32Min { dst, a, b }, S::F32, S::F32, S::F32),
        Bin(|dst, a, b| Instr::F32Max { dst, a, b }, S::F32, S::F32, S::F32),
        Bin(|dst, a, b| Instr::F32Copysign { dst, a, b }, S::F32, S::F32, S::F32),
        Un(|dst, a| Instr::F32Abs { dst, a }, S::F32, S::F32),
        Un(|dst, a| Instr::F32Neg { dst, a }, S::F32, S::F32),
        Un(|dst, a| Instr::F32Ceil { dst, a }, S::F32, S::F32),
        Un(|dst, a| Instr::F32Floor { dst, a }, S::F32, S::F32),
        Un(|dst, a| Instr::F32Trunc { dst, a }, S::F32, S::F32),
        Un(|dst, a| Instr::F32Nearest { dst, a }, S::F32, S::F32),
        Un(|dst, a| Instr::F32Sqrt { dst, a }, S::F32, S::F32),
        Bin(|dst, a, b| Instr::F32Eq { dst, a, b }, S::I32, S::F32, S::F32),
        Bin(|dst, a, b| Instr::F32Ne { dst, a, b }, S::I32, S::F32, S::F32),
        Bin(|dst, a, b| Instr::F32Lt { dst, a, b }, S::I32, S::F32, S::F32),
        Bin(|dst, a, b| Instr::F32Gt { dst, a, b }, S::I32, S::F32, S::F32),
        Bin(|dst, a, b| Instr::F32Le { dst, a, b }, S::I32, S::F32, S::F32),
        Bin(|dst, a, b| Instr::F32Ge { dst, a, b }, S::I32, S::F32, S::F32),
        Bin(|dst, a, b| Instr::F64Add { dst, a, b }, S::F64, S::F64, S::F64),
        Bin(|dst, a, b| Instr::F64Sub { dst, a, b }, S::F64, S::F64, S::F64),
        Bin(|dst, a, b| Instr::F64Mul { dst, a, b }, S::F64, S::F64, S::F64),
        Bin(|dst, a, b| Instr::F64Div { dst, a, b }, S::F64, S::F64, S::F64),
        Bin(|dst, a, b| Instr::F64Min { dst, a, b }, S::F64, S::F64, S::F64),
        Bin(|dst, a, b| Instr::F64Max { dst, a, b }, S::F64, S::F64, S::F64),
        Bin(|dst, a, b| Instr::F64Copysign { dst, a, b }, S::F64, S::F64, S::F64),
        Un(|dst, a| Instr::F64Abs { dst, a }, S::F64, S::F64),
        Un(|dst, a| Instr::F64Neg { dst, a }, S::F64, S::F64),
        Un(|dst, a| Instr::F64Ceil { dst, a }, S::F64, S::F64),
        Un(|dst, a| Instr::F64Floor { dst, a }, S::F64, S::F64),
        Un(|dst, a| Instr::F64Trunc { dst, a }, S::F64, S::F64),
        Un(|dst, a| Instr::F64Nearest { dst, a }, S::F64, S::F64),
        Un(|dst, a| Instr::F64Sqrt { dst, a }, S::F64, S::F64),
        Bin(|dst, a, b| Instr::F64Eq { dst, a, b }, S::I32, S::F64, S::F64),
        Bin(|dst, a, b| Instr::F64Ne { dst, a, b }, S::I32, S::F64, S::F64),
        Bin(|dst, a, b| Instr::F64Lt { dst, a, b }, S::I32, S::F64, S::F64),
        Bin(|dst, a, b| Instr::F64Gt { dst, a, b }, S::I32, S::F64, S::F64),
        Bin(|dst, a, b| Instr::F64Le { dst, a, b }, S::I32, S::F64, S::F64),
        Bin(|dst, a, b| Instr::F64Ge { dst, a, b }, S::I32, S::F64, S::F64),
        Un(|dst, a| Instr::I32WrapI64 { dst, a }, S::I32, S::I64),
        Un(|dst, a| Instr::I64ExtendI32S { dst, a }, S::I64, S::I32),
        Un(|dst, a| Instr::I64ExtendI32U { dst, a }, S::I64, S::I32),
        Un(|dst, a| Instr::I32TruncF32S { dst, a }, S::I32, S::F32),
        Un(|dst, a| Instr::I32TruncF32U { dst, a }, S::I32, S::F32),
        Un(|dst, a| Instr::I32TruncF64S { dst, a }, S::I32, S::F64),
        Un(|dst, a| Instr::I32TruncF64U { dst, a }, S::I32, S::F64),
        Un(|dst, a| Instr::I64TruncF32S { dst, a }, S::I64, S::F32),
        Un(|dst, a| Instr::I64TruncF32U { dst, a }, S::I64, S::F32),
        Un(|dst, a| Instr::I64TruncF64S { dst, a }, S::I64, S::F64),
        Un(|dst, a| Instr::I64TruncF64U { dst, a }, S::I64, S::F64),
        Un(|dst, a| Instr::I32TruncSatF32S { dst, a }, S::I32, S::F32),
        Un(|dst, a| Instr::I32TruncSatF32U { dst, a }, S::I32, S::F32),
        Un(|dst, a| Instr::I32TruncSatF64S { dst, a }, S::I32, S::F64),
        Un(|dst, a| Instr::I32TruncSatF64U { dst, a }, S::I32, S::F64),
        Un(|dst, a| Instr::I64TruncSatF32S { dst, a }, S::I64, S::F32),
        Un(|dst, a| Instr::I64TruncSatF32U { dst, a }, S::I64, S::F32),
        Un(|dst, a| Instr::I64TruncSatF64S { dst, a }, S::I64, S::F64),
        Un(|dst, a| Instr::I64TruncSatF64U { dst, a }, S::I64, S::F64),
        Un(|dst, a| Instr::F32ConvertI32S { dst, a }, S::F32, S::I32),
        Un(|dst, a| Instr::F32ConvertI32U { dst, a }, S::F32, S::I32),
        Un(|dst, a| Instr::F32ConvertI64S { dst, a }, S::F32, S::I64),
        Un(|dst, a| Instr::F32ConvertI64U { dst, a }, S::F32, S::I64),
        Un(|dst, a| Instr::F64ConvertI32S { dst, a }, S::F64, S::I32),
        Un(|dst, a| Instr::F64ConvertI32U { dst, a }, S::F64, S::I32),
        Un(|dst, a| Instr::F64ConvertI64S { dst, a }, S::F64, S::I64),
        Un(|dst, a| Instr::F64ConvertI64U { dst, a }, S::F64, S::I64),
        Un(|dst, a| Instr::F32DemoteF64 { dst, a }, S::F32, S::F64),
        Un(|dst, a| Instr::F64PromoteF32 { dst, a }, S::F64, S::F32),
        Un(|dst, a| Instr::I32ReinterpretF32 { dst, a }, S::I32, S::F32),
        Un(|dst, a| Instr::I64ReinterpretF64 { dst, a }, S::I64, S::F64),
        Un(|dst, a| Instr::F32ReinterpretI32 { dst, a }, S::F32, S::I32),
        Un(|dst, a| Instr::F64ReinterpretI64 { dst, a }, S::F64, S::I64),
        Br(|a, b, target| Instr::BrI32Eq { a, b, target }, S::I32),
        Br(|a, b, target| Instr::BrI32Ne { a, b, target }, S::I32),
        Br(|a, b, target| Instr::BrI32LtS { a, b, target }, S::I32),
        Br(|a, b, target| Instr::BrI32LtU { a, b, target }, S::I32),
        Br(|a, b, target| Instr::BrI32GtS { a, b, target }, S::I32),
        Br(|a, b, target| Instr::BrI32GtU { a, b, target }, S::I32),
        Br(|a, b, target| Instr::BrI32LeS { a, b, target }, S::I32),
        Br(|a, b, target| Instr::BrI32LeU { a, b, target }, S::I32),
        Br(|a, b, target| Instr::BrI32GeS { a, b, target }, S::I32),
        Br(|a, b, target| Instr::BrI32GeU { a, b, target }, S::I32),
        Br(|a, b, target| Instr::BrI64Eq { a, b, target }, S::I64),
        Br(|a, b, target| Instr::BrI64Ne { a, b, target }, S::I64),
        Br(|a, b, target| Instr::BrI64LtS { a, b, target }, S::I64),
        Br(|a, b, target| Instr::BrI64LtU { a, b, target }, S::I64),
        Br(|a, b, target| Instr::BrI64GtS { a, b, target }, S::I64),
        Br(|a, b, target| Instr::BrI64GtU { a, b, target }, S::I64),
        Br(|a, b, target| Instr::BrI64LeS { a, b, target }, S::I64),
        Br(|a, b, target| Instr::BrI64LeU { a, b, target }, S::I64),
        Br(|a, b, target| Instr::BrI64GeS { a, b, target }, S::I64),
        Br(|a, b, target| Instr::BrI64GeU { a, b, target }, S::I64),
        Load(|dst, addr, offset, mem| Instr::I32Load { dst, addr, offset, mem }, S::I32),
        Load(|dst, addr, offset, mem| Instr::I64Load { dst, addr, offset, mem }, S::I64),
        Load(|dst, addr, offset, mem| Instr::F32Load { dst, addr, offset, mem }, S::F32),
        Load(|dst, addr, offset, mem| Instr::F64Load { dst, addr, offset, mem }, S::F64),
        Load(|dst, addr, offset, mem| Instr::I32Load8S { dst, addr, offset, mem }, S::I32),
        Load(|dst, addr, offset, mem| Instr::I32Load8U { dst, addr, offset, mem }, S::I32),
        Load(|dst, addr, offset, mem| Instr::I32Load16S { dst, addr, offset, mem }, S::I32),
        Load(|dst, addr, offset, mem| Instr::I32Load16U { dst, addr, offset, mem }, S::I32),
        Load(|dst, addr, offset, mem| Instr::I64Load8S { dst, addr, offset, mem }, S::I64),
        Load(|dst, addr, offset, mem| Instr::I64Load8U { dst, addr, offset, mem }, S::I64),
        Load(|dst, addr, offset, mem| Instr::I64Load16S { dst, addr, offset, mem }, S::I64),
        Load(|dst, addr, offset, mem| Instr::I64Load16U { dst, addr, offset, mem }, S::I64),
        Load(|dst, addr, offset, mem| Instr::I64Load32S { dst, addr, offset, mem }, S::I64),
        Load(|dst, addr, offset, mem| Instr::I64Load32U { dst, addr, offset, mem }, S::I64),
        Store(|addr, value, offset, mem| Instr::I32Store { addr, value, offset, mem }, S::I32),
        Store(|addr, value, offset, mem| Instr::I64Store { addr, value, offset, mem }, S::I64),
        Store(|addr, value, offset, mem| Instr::F32Store { addr, value, offset, mem }, S::F32),
        Store(|addr, value, offset, mem| Instr::F64Store { addr, value, offset, mem }, S::F64),
        Store(|addr, value, offset, mem| Instr::I32Store8 { addr, value, offset, mem }, S::I32),
        Store(|addr, value, offset, mem| Instr::I32Store16 { addr, value, offset, mem }, S::I32),
        Store(|addr, value, offset, mem| Instr::I64Store8 { addr, value, offset, mem }, S::I64),
        Store(|addr, value, offset, mem| Instr::I64Store16 { addr, value, offset, mem }, S::I64),
        Store(|addr, value, offset, mem| Instr::I64Store32 { addr, value, offset, mem }, S::I64),
    ]
}

/// The other instructions the generators emit.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Special {
    I32Const,
    I64Const,
    F32Const,
    F64Const,
    Copy,
    Select,
    Jump,
    BrIf,
    BrIfNot,
    BrTable,
    Unreachable,
    Return,
    Call,
    ReturnCall,
    GlobalGet,
    GlobalSet,
    MemorySize,
    MemoryGrow,
    MemoryFill,
    MemoryCopy,
}

const SPECIALS: [Special; 20] = [
    Special::I32Const,
    Special::I64Const,
    Special::F32Const,
    Special::F64Const,
    Special::Copy,
    Special::Select,
    Special::Jump,
    Special::BrIf,
    Special::BrIfNot,
    Special::BrTable,
    Special::Unreachable,
    Special::Return,
    Special::Call,
    Special::ReturnCall,
    Special::GlobalGet,
    Special::GlobalSet,
    Special::MemorySize,
    Special::MemoryGrow,
    Special::MemoryFill,
    Special::MemoryCopy,
];

/// How often each special is drawn relative to one table opcode, so that
/// constants, control flow and calls are common.
const SPECIAL_WEIGHT: usize = 5;

/// The opcode a raw draws: a template index, or a special.
pub(crate) enum Pick {
    Tpl(usize),
    Special(Special),
}

pub(crate) fn pick(op: u16, templates: usize) -> Pick {
    let op = usize::from(op) % (templates + SPECIALS.len() * SPECIAL_WEIGHT);
    if op < templates {
        Pick::Tpl(op)
    } else {
        Pick::Special(SPECIALS[(op - templates) / SPECIAL_WEIGHT])
    }
}

/// The specials both generators draw the same way, from registers,
/// targets and memories alone: constants, moves, branches and the memory
/// instructions. `None` for the others (branch tables, `Unreachable`,
/// returns, calls and globals), which each generator builds its own way.
pub(crate) fn shared_special<T>(cx: &impl Operands<T>, s: Special, r: Raw) -> Option<Instr<T>> {
    let (a, b, c, imm) = (u64::from(r.a), u64::from(r.b), u64::from(r.c), r.imm);
    Some(match s {
        Special::I32Const => Instr::I32Const {
            dst: cx.reg(S::I32, a),
            value: i32_value(imm),
        },
        Special::I64Const => Instr::I64Const {
            dst: cx.reg(S::I64, a),
            value: i64_value(imm),
        },
        Special::F32Const => Instr::F32Const {
            dst: cx.reg(S::F32, a),
            bits: f32_bits(imm),
        },
        Special::F64Const => Instr::F64Const {
            dst: cx.reg(S::F64, a),
            bits: f64_bits(imm),
        },
        Special::Copy => {
            let ty = TYPES[a as usize % 5];
            Instr::Copy {
                dst: cx.reg(ty, b),
                src: cx.reg(ty, c),
            }
        }
        Special::Select => {
            let ty = TYPES[a as usize % 5];
            Instr::Select {
                dst: cx.reg(ty, b),
                cond: cx.reg(S::I32, c),
                a: cx.reg(ty, imm),
                b: cx.reg(ty, imm >> 16),
            }
        }
        Special::Jump => Instr::Jump {
            target: cx.target(a),
        },
        Special::BrIf => Instr::BrIf {
            cond: cx.reg(S::I32, a),
            target: cx.target(b),
        },
        Special::BrIfNot => Instr::BrIfNot {
            cond: cx.reg(S::I32, a),
            target: cx.target(b),
        },
        Special::MemorySize => Instr::MemorySize {
            dst: cx.reg(S::I32, a),
            mem: cx.mem(b),
        },
        Special::MemoryGrow => Instr::MemoryGrow {
            dst: cx.reg(S::I32, a),
            delta: cx.reg(S::I32, b),
            mem: cx.mem(c),
        },
        Special::MemoryFill => Instr::MemoryFill {
            dst: cx.reg(S::I32, a),
            value: cx.reg(S::I32, b),
            len: cx.reg(S::I32, c),
            mem: cx.mem(imm),
        },
        Special::MemoryCopy => Instr::MemoryCopy {
            dst: cx.reg(S::I32, a),
            src: cx.reg(S::I32, b),
            len: cx.reg(S::I32, c),
            dst_mem: cx.mem(imm),
            src_mem: cx.mem(imm >> 8),
        },
        Special::BrTable
        | Special::Unreachable
        | Special::Return
        | Special::Call
        | Special::ReturnCall
        | Special::GlobalGet
        | Special::GlobalSet => return None,
    })
}
