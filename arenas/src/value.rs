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
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum MapKey {
    Null,
    Int(i64),
    FloatBits(u64),
    Str(Box<str>),
}

/// A borrowed [`MapKey`]: what lookups use, so that finding a string key
/// never copies the string. Hashes and compares exactly like the owned key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MapKeyRef<'a> {
    Null,
    Int(i64),
    FloatBits(u64),
    Str(&'a str),
}

impl MapKey {
    /// The borrowed form.
    pub fn as_key_ref(&self) -> MapKeyRef<'_> {
        match self {
            MapKey::Null => MapKeyRef::Null,
            MapKey::Int(v) => MapKeyRef::Int(*v),
            MapKey::FloatBits(b) => MapKeyRef::FloatBits(*b),
            MapKey::Str(s) => MapKeyRef::Str(s),
        }
    }
}

impl MapKeyRef<'_> {
    /// The owned form (allocates for a string).
    pub fn to_owned_key(self) -> MapKey {
        match self {
            MapKeyRef::Null => MapKey::Null,
            MapKeyRef::Int(v) => MapKey::Int(v),
            MapKeyRef::FloatBits(b) => MapKey::FloatBits(b),
            MapKeyRef::Str(s) => MapKey::Str(s.into()),
        }
    }
}

/// Hashes through the borrowed form, so an owned key and its borrowed form
/// always hash alike (what lookups by [`MapKeyRef`] rely on).
impl std::hash::Hash for MapKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_key_ref().hash(state);
    }
}

impl hashbrown::Equivalent<MapKey> for MapKeyRef<'_> {
    fn equivalent(&self, key: &MapKey) -> bool {
        *self == key.as_key_ref()
    }
}

impl MapKey {
    /// The key for a float.
    pub fn float(v: f64) -> MapKey {
        MapKey::FloatBits(v.to_bits())
    }
}

impl<'a> From<&'a MapKey> for MapKeyRef<'a> {
    fn from(key: &'a MapKey) -> MapKeyRef<'a> {
        key.as_key_ref()
    }
}

impl<'a> From<&'a str> for MapKeyRef<'a> {
    fn from(s: &'a str) -> MapKeyRef<'a> {
        MapKeyRef::Str(s)
    }
}

impl From<i64> for MapKeyRef<'_> {
    fn from(v: i64) -> Self {
        MapKeyRef::Int(v)
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    #[test]
    fn owned_and_borrowed_keys_hash_and_compare_alike() {
        let state = hashbrown::DefaultHashBuilder::default();
        for key in [
            MapKey::Null,
            MapKey::Int(-3),
            MapKey::float(-0.0),
            MapKey::from("word"),
            MapKey::from(""),
        ] {
            let borrowed = key.as_key_ref();
            assert_eq!(state.hash_one(&key), state.hash_one(borrowed));
            assert!(hashbrown::Equivalent::equivalent(&borrowed, &key));
            assert_eq!(borrowed.to_owned_key(), key);
        }
        assert!(!hashbrown::Equivalent::equivalent(
            &MapKeyRef::Int(1),
            &MapKey::FloatBits(1)
        ));
    }
}
