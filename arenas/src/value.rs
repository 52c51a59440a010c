//! What containers hold. A `Value` is tagged, so a Cell stored in a list or
//! map comes back as a Cell and data comes back as data: no byte pattern can
//! be read back as a handle.

use crate::cell::Cell;

/// An element of a list or a map value.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum Value {
    /// No value; also what a sweep leaves where a Cell to a reclaimed slot was.
    #[default]
    Null,
    I64(i64),
    F64(f64),
    Cell(Cell),
}

impl Value {
    /// The Cell inside, if this is one.
    pub fn as_cell(self) -> Option<Cell> {
        match self {
            Value::Cell(cell) => Some(cell),
            _ => None,
        }
    }

    /// The variant's name, for diagnostics.
    pub fn kind(self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::I64(_) => "i64",
            Value::F64(_) => "f64",
            Value::Cell(_) => "cell",
        }
    }

    /// Bit-exact equality: floats compare by their bits, so NaN payloads and
    /// the sign of zero are preserved and compared, as a copy must keep them.
    pub fn same_as(self, other: Value) -> bool {
        match (self, other) {
            (Value::F64(a), Value::F64(b)) => a.to_bits() == b.to_bits(),
            _ => self == other,
        }
    }
}

impl From<Cell> for Value {
    fn from(cell: Cell) -> Value {
        Value::Cell(cell)
    }
}

impl From<i64> for Value {
    fn from(v: i64) -> Value {
        Value::I64(v)
    }
}

impl From<f64> for Value {
    fn from(v: f64) -> Value {
        Value::F64(v)
    }
}

/// A map key. Keys are values, never handles: a string key is the string's
/// contents (so equal strings are equal keys), and a float key is its bit
/// pattern (so `0.0` and `-0.0` differ and every NaN payload is its own key).
/// Because no key holds a Cell, a sweep never has to rewrite a key.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MapKey {
    Null,
    Int(i64),
    FloatBits(u64),
    Str(Box<str>),
}

impl MapKey {
    /// The key for a float.
    pub fn float(v: f64) -> MapKey {
        MapKey::FloatBits(v.to_bits())
    }
}

impl From<&str> for MapKey {
    fn from(s: &str) -> MapKey {
        MapKey::Str(s.into())
    }
}

impl From<i64> for MapKey {
    fn from(v: i64) -> MapKey {
        MapKey::Int(v)
    }
}
