//! Static types of registers, values and functions.

use arenavm_arenas::ArenaTag;
use serde::{Deserialize, Serialize};

/// The type of a register in the scalar bank: 64 bits wide, holding an
/// `i32` (zero-extended), an `i64`, an `f32` or `f64` (their bits), or a
/// function reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ScalarType {
    I32,
    I64,
    F32,
    F64,
    /// A function reference, or null.
    FuncRef,
    /// An opaque reference the host handed in, or null.
    ExternRef,
}

impl ScalarType {
    /// Whether values of this type are references (what tables hold).
    pub fn is_ref(self) -> bool {
        matches!(self, ScalarType::FuncRef | ScalarType::ExternRef)
    }
}

/// The static type of a register, parameter, result or global.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Type {
    I32,
    I64,
    F32,
    F64,
    FuncRef,
    ExternRef,
    /// A Cell into the named arena, or null.
    Cell(ArenaTag),
    /// A slice of an object of the named arena, or null.
    Slice(ArenaTag),
}

/// The register bank a type lives in. Each bank is indexed separately, and
/// every operand's bank is fixed by its opcode, so a scalar can never be
/// read as a Cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Bank {
    Scalar,
    Cell,
    Slice,
}

impl Type {
    /// The bank registers of this type live in.
    pub fn bank(self) -> Bank {
        match self {
            Type::Cell(_) => Bank::Cell,
            Type::Slice(_) => Bank::Slice,
            _ => Bank::Scalar,
        }
    }

    /// The scalar type, for types of the scalar bank.
    pub fn scalar(self) -> Option<ScalarType> {
        Some(match self {
            Type::I32 => ScalarType::I32,
            Type::I64 => ScalarType::I64,
            Type::F32 => ScalarType::F32,
            Type::F64 => ScalarType::F64,
            Type::FuncRef => ScalarType::FuncRef,
            Type::ExternRef => ScalarType::ExternRef,
            Type::Cell(_) | Type::Slice(_) => return None,
        })
    }
}

impl From<ScalarType> for Type {
    fn from(t: ScalarType) -> Type {
        match t {
            ScalarType::I32 => Type::I32,
            ScalarType::I64 => Type::I64,
            ScalarType::F32 => Type::F32,
            ScalarType::F64 => Type::F64,
            ScalarType::FuncRef => Type::FuncRef,
            ScalarType::ExternRef => Type::ExternRef,
        }
    }
}

/// Parameter and result types of a function.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FuncType {
    pub params: Vec<Type>,
    pub results: Vec<Type>,
}

/// A Rust value that a scalar register holds, and its 64-bit encoding.
pub trait ScalarValue: Copy {
    /// The register type that holds it.
    const TYPE: ScalarType;
    /// Decodes a register's bits.
    fn from_bits(bits: u64) -> Self;
    /// Encodes into a register's bits.
    fn to_bits(self) -> u64;
}

impl ScalarValue for i32 {
    const TYPE: ScalarType = ScalarType::I32;
    #[inline(always)]
    fn from_bits(bits: u64) -> i32 {
        bits as u32 as i32
    }
    #[inline(always)]
    fn to_bits(self) -> u64 {
        u64::from(self as u32)
    }
}

impl ScalarValue for i64 {
    const TYPE: ScalarType = ScalarType::I64;
    #[inline(always)]
    fn from_bits(bits: u64) -> i64 {
        bits as i64
    }
    #[inline(always)]
    fn to_bits(self) -> u64 {
        self as u64
    }
}

impl ScalarValue for f32 {
    const TYPE: ScalarType = ScalarType::F32;
    #[inline(always)]
    fn from_bits(bits: u64) -> f32 {
        f32::from_bits(bits as u32)
    }
    #[inline(always)]
    fn to_bits(self) -> u64 {
        u64::from(f32::to_bits(self))
    }
}

impl ScalarValue for f64 {
    const TYPE: ScalarType = ScalarType::F64;
    #[inline(always)]
    fn from_bits(bits: u64) -> f64 {
        f64::from_bits(bits)
    }
    #[inline(always)]
    fn to_bits(self) -> u64 {
        f64::to_bits(self)
    }
}

/// Comparisons produce an `i32` 0 or 1, as in WebAssembly.
impl ScalarValue for bool {
    const TYPE: ScalarType = ScalarType::I32;
    #[inline(always)]
    fn from_bits(bits: u64) -> bool {
        bits as u32 != 0
    }
    #[inline(always)]
    fn to_bits(self) -> u64 {
        u64::from(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalar_encodings_round_trip_bit_exactly() {
        for v in [0i32, -1, i32::MIN, i32::MAX] {
            assert_eq!(i32::from_bits(v.to_bits()), v);
            assert_eq!(v.to_bits() >> 32, 0, "i32 is zero-extended");
        }
        let nan = f32::from_bits(0x7FC0_1234);
        assert_eq!(
            <f32 as ScalarValue>::from_bits(ScalarValue::to_bits(nan)).to_bits(),
            0x7FC0_1234
        );
        let nan = f64::from_bits(0xFFF8_0000_0000_0001);
        assert_eq!(
            <f64 as ScalarValue>::from_bits(ScalarValue::to_bits(nan)).to_bits(),
            0xFFF8_0000_0000_0001
        );
        assert!(bool::from_bits(0x1_0000_0001) && !bool::from_bits(0x1_0000_0000));
    }
}
