//! What containers hold. A `Value` is tagged, so a Cell stored in a list or
//! map comes back as a Cell and data comes back as data: no byte pattern can
//! be read back as a handle.

use std::hash::{Hash, Hasher};

use hashbrown::Equivalent;

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
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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

// Lookups by kind. A lookup through `MapKeyRef` itself would be compiled
// once for all four kinds: its hash and its comparison carry the string
// code, so they are too large to inline, and an integer lookup paid for two
// calls. So each kind has its own borrowed key type below, and
// `with_key_kind!` turns a `MapKeyRef` into the right one with a single
// `match`. Each hashbrown lookup is then compiled for one kind: an integer
// lookup hashes two words and compares integers, with no string code in
// its path.
//
// Every key hashes as its kind number (`write_usize`) followed by its
// contents: the layout a derived `Hash` would have. Owned keys, `MapKeyRef`
// and the kind keys all hash through the kind keys, so they hash alike.

// The kind number each key's hash starts with.
const KIND_NULL: usize = 0;
const KIND_INT: usize = 1;
const KIND_FLOAT: usize = 2;
const KIND_STR: usize = 3;

/// Looks up [`MapKey::Null`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct NullKey;

/// Looks up [`MapKey::Int`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct IntKey(pub(crate) i64);

/// Looks up [`MapKey::FloatBits`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct FloatKey(pub(crate) u64);

/// Looks up [`MapKey::Str`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct StrKey<'a>(pub(crate) &'a str);

impl Hash for NullKey {
    #[inline(always)]
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_usize(KIND_NULL);
    }
}

impl Hash for IntKey {
    #[inline(always)]
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_usize(KIND_INT);
        state.write_i64(self.0);
    }
}

impl Hash for FloatKey {
    #[inline(always)]
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_usize(KIND_FLOAT);
        state.write_u64(self.0);
    }
}

impl Hash for StrKey<'_> {
    #[inline]
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_usize(KIND_STR);
        self.0.hash(state);
    }
}

impl Equivalent<MapKey> for NullKey {
    #[inline(always)]
    fn equivalent(&self, key: &MapKey) -> bool {
        matches!(key, MapKey::Null)
    }
}

impl Equivalent<MapKey> for IntKey {
    #[inline(always)]
    fn equivalent(&self, key: &MapKey) -> bool {
        matches!(key, MapKey::Int(v) if *v == self.0)
    }
}

impl Equivalent<MapKey> for FloatKey {
    #[inline(always)]
    fn equivalent(&self, key: &MapKey) -> bool {
        matches!(key, MapKey::FloatBits(b) if *b == self.0)
    }
}

impl Equivalent<MapKey> for StrKey<'_> {
    #[inline]
    fn equivalent(&self, key: &MapKey) -> bool {
        matches!(key, MapKey::Str(s) if **s == *self.0)
    }
}

/// Evaluates `$body` with `$k` bound to a reference to the kind key of
/// `$key` (a [`MapKeyRef`]): one arm per kind, so that `$body` is compiled
/// for each kind separately.
macro_rules! with_key_kind {
    ($key:expr, |$k:ident| $body:expr) => {
        match $key {
            $crate::value::MapKeyRef::Null => {
                let $k = &$crate::value::NullKey;
                $body
            }
            $crate::value::MapKeyRef::Int(v) => {
                let $k = &$crate::value::IntKey(v);
                $body
            }
            $crate::value::MapKeyRef::FloatBits(b) => {
                let $k = &$crate::value::FloatKey(b);
                $body
            }
            $crate::value::MapKeyRef::Str(s) => {
                let $k = &$crate::value::StrKey(s);
                $body
            }
        }
    };
}
pub(crate) use with_key_kind;

impl Hash for MapKeyRef<'_> {
    #[inline]
    fn hash<H: Hasher>(&self, state: &mut H) {
        with_key_kind!(*self, |k| k.hash(state));
    }
}

/// Hashes through the borrowed form, so an owned key and its borrowed form
/// always hash alike (what lookups by [`MapKeyRef`] rely on).
impl Hash for MapKey {
    #[inline]
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_key_ref().hash(state);
    }
}

impl Equivalent<MapKey> for MapKeyRef<'_> {
    #[inline]
    fn equivalent(&self, key: &MapKey) -> bool {
        with_key_kind!(*self, |k| k.equivalent(key))
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

    /// Keys of every kind, including pairs that differ only in kind.
    fn keys() -> [MapKey; 8] {
        [
            MapKey::Null,
            MapKey::Int(-3),
            MapKey::Int(1),
            MapKey::FloatBits(1),
            MapKey::float(-0.0),
            MapKey::float(0.0),
            MapKey::from("word"),
            MapKey::from(""),
        ]
    }

    #[test]
    fn owned_borrowed_and_kind_keys_hash_alike() {
        let state = hashbrown::DefaultHashBuilder::default();
        for key in keys() {
            let borrowed = key.as_key_ref();
            let hash = state.hash_one(&key);
            assert_eq!(hash, state.hash_one(borrowed));
            assert_eq!(hash, with_key_kind!(borrowed, |k| state.hash_one(k)));
            assert_eq!(borrowed.to_owned_key(), key);
        }
    }

    #[test]
    fn borrowed_and_kind_keys_are_equivalent_exactly_to_equal_keys() {
        for a in keys() {
            for b in keys() {
                let borrowed = a.as_key_ref();
                assert_eq!(borrowed.equivalent(&b), a == b, "{a:?} against {b:?}");
                assert_eq!(
                    with_key_kind!(borrowed, |k| k.equivalent(&b)),
                    a == b,
                    "{a:?} against {b:?}"
                );
            }
        }
    }
}
