//! Hash maps from keys to values.

use hashbrown::HashMap;

use super::Object;
use crate::cell::ArenaTag;
use crate::error::{AccessError, Result};
use crate::value::{MapKey, MapKeyRef, Value, with_key_kind};

/// A map object. Keys hold no Cells (see [`MapKey`]); values may.
#[derive(Clone, Debug, Default)]
pub struct Map {
    entries: HashMap<MapKey, Value>,
}

impl Map {
    /// An empty map.
    pub fn new() -> Map {
        Map::default()
    }

    /// Number of entries.
    pub fn len(&self) -> u64 {
        self.entries.len() as u64
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The value under `key` (a [`MapKey`] or a borrowed [`MapKeyRef`]).
    #[inline]
    pub fn get<'k>(&self, key: impl Into<MapKeyRef<'k>>) -> Option<Value> {
        with_key_kind!(key.into(), |k| self.entries.get(k).copied())
    }

    /// Inserts and returns the previous value. Copies a string key only if
    /// it is new.
    #[inline]
    pub fn insert<'k>(
        &mut self,
        key: impl Into<MapKeyRef<'k>>,
        value: Value,
    ) -> Result<Option<Value>> {
        let key = key.into();
        if let Some(slot) = with_key_kind!(key, |k| self.entries.get_mut(k)) {
            return Ok(Some(std::mem::replace(slot, value)));
        }
        self.entries
            .try_reserve(1)
            .map_err(|_| AccessError::OutOfMemory {
                bytes: std::mem::size_of::<(MapKey, Value)>() as u64,
            })?;
        self.entries.insert(key.to_owned_key(), value);
        Ok(None)
    }

    /// Removes and returns the value under `key`.
    #[inline]
    pub fn remove<'k>(&mut self, key: impl Into<MapKeyRef<'k>>) -> Option<Value> {
        with_key_kind!(key.into(), |k| self.entries.remove(k))
    }

    /// Entries in unspecified order.
    pub fn iter(&self) -> impl Iterator<Item = (&MapKey, &Value)> {
        self.entries.iter()
    }

    /// Every value, writable (the sweep nulls Cells through this).
    pub(crate) fn values_mut(&mut self) -> impl Iterator<Item = &mut Value> {
        self.entries.values_mut()
    }
}

impl Object for Map {
    const TAG: ArenaTag = ArenaTag::Map;
}
