//! The instruction set.
//!
//! Every instruction is defined once, in the table in `isa/table.rs`: its operand
//! fields, the bank and type of each register operand, and for the pure
//! numeric families the function in [`crate::semantics`] that gives its
//! meaning. From that one table the macro in `isa/define.rs` generates the
//! [`Instr`] enum, the operand metadata the verifier checks, label
//! resolution, and the [`Handlers`] trait through which the interpreter
//! executes each instruction (pure ops have default handlers).

#[macro_use]
mod define;
pub mod kinds;
mod table;

pub use table::{Handlers, Instr, OutOfLineHandlers};

use serde::{Deserialize, Serialize};

use arenavm_arenas::ArenaTag;

use crate::types::{Bank, ScalarType, Type};

/// A register index within one bank of a function's frame. Which bank is
/// fixed by the opcode and the operand position.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Reg(pub u16);

impl Reg {
    /// The index as a `usize`, for indexing a bank window.
    #[inline(always)]
    pub fn index(self) -> usize {
        usize::from(self.0)
    }
}

/// An instruction index in a verified function's code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Pc(pub u32);

/// A label made by the builder, resolved to a [`Pc`] when the function is
/// finished.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Label(pub(crate) u32);

/// An index into a function's operand lists (call arguments, results,
/// returned values). Each register in a list is in the bank its type says,
/// and the type comes from the signature the list is matched against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ListRef(pub u32);

/// How an instruction uses a scalar register.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
}

/// The type a register operand must have; it also names the bank.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OperandType {
    /// A scalar register of exactly this type.
    Scalar(ScalarType),
    /// Any scalar register; an instruction rule in the verifier decides
    /// (e.g. a copy's source and destination must agree).
    AnyScalar,
    /// A Cell register of exactly this arena.
    Cell(ArenaTag),
    /// A Cell register of any arena, subject to an instruction rule.
    AnyCell,
    /// A slice register of exactly this arena.
    Slice(ArenaTag),
    /// A slice register of any arena, subject to an instruction rule.
    AnySlice,
}

impl OperandType {
    /// The bank the operand's register is in.
    pub fn bank(self) -> Bank {
        match self {
            OperandType::Scalar(_) | OperandType::AnyScalar => Bank::Scalar,
            OperandType::Cell(_) | OperandType::AnyCell => Bank::Cell,
            OperandType::Slice(_) | OperandType::AnySlice => Bank::Slice,
        }
    }

    /// True if a register declared `ty` satisfies this operand type.
    pub fn accepts(self, ty: Type) -> bool {
        match (self, ty) {
            (OperandType::Scalar(s), ty) => ty.scalar() == Some(s),
            (OperandType::AnyScalar, ty) => ty.bank() == Bank::Scalar,
            (OperandType::Cell(a), Type::Cell(b)) | (OperandType::Slice(a), Type::Slice(b)) => {
                a == b
            }
            (OperandType::AnyCell, Type::Cell(_)) | (OperandType::AnySlice, Type::Slice(_)) => true,
            _ => false,
        }
    }
}

/// One register operand of an instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operand {
    pub field: &'static str,
    pub reg: Reg,
    pub access: Access,
    pub ty: OperandType,
}

/// The register operands of one instruction; five cover every instruction.
pub type Operands = smallvec::SmallVec<[Operand; 5]>;

#[cfg(test)]
mod tests {
    use super::*;

    /// The interpreter streams instructions; keep each one at 16 bytes.
    #[test]
    fn an_instruction_is_sixteen_bytes() {
        assert_eq!(std::mem::size_of::<Instr<Pc>>(), 16);
    }

    #[test]
    fn operands_report_bank_access_and_type() {
        let ops = Instr::<Pc>::I32Add {
            dst: Reg(2),
            a: Reg(0),
            b: Reg(1),
        }
        .operands();
        let summary: Vec<_> = ops.iter().map(|o| (o.field, o.reg.0, o.access)).collect();
        assert_eq!(
            summary,
            vec![
                ("dst", 2, Access::Write),
                ("a", 0, Access::Read),
                ("b", 1, Access::Read)
            ]
        );
        assert!(
            ops.iter()
                .all(|o| o.ty == OperandType::Scalar(ScalarType::I32))
        );
        let free = Instr::<Pc>::Free { cell: Reg(3) }.operands();
        assert_eq!(free[0].ty, OperandType::AnyCell);
        assert_eq!(free[0].ty.bank(), Bank::Cell);
    }
}
