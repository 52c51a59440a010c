//! The instruction set.
//!
//! Every instruction is defined once, in the table in [`table`]: its operand
//! fields, the bank and type of each register operand, and for the pure
//! numeric families the function in [`crate::semantics`] that gives its
//! meaning. From that one table the [`define`] macro generates the
//! [`Instr`] enum, the operand metadata the verifier checks, label
//! resolution, and the [`Handlers`] trait through which the interpreter
//! executes each instruction (pure ops have default handlers).

#[macro_use]
mod define;
pub mod kinds;
mod table;

pub use table::{Handlers, Instr};

use serde::{Deserialize, Serialize};

use crate::types::ScalarType;

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

/// The type a scalar operand must have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OperandType {
    /// Exactly this type.
    Exact(ScalarType),
    /// Any scalar type; an instruction-specific rule in the verifier
    /// decides (e.g. a copy's source and destination must agree).
    Any,
}

/// One scalar register operand of an instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operand {
    pub field: &'static str,
    pub reg: Reg,
    pub access: Access,
    pub ty: OperandType,
}

/// The scalar operands of one instruction; four cover every instruction.
pub type Operands = smallvec::SmallVec<[Operand; 4]>;
