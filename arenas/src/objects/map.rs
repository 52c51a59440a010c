//! Hash maps from keys to values.

use hashbrown::HashMap;

use super::Object;
use crate::cell::ArenaTag;
use crate::error::{AccessError, Result};
use crate::value::{MapKey, Value};

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

    /// The value under `key`.
    pub fn get(&self, key: &MapKey) -> Option<Value> {
        self.entries.get(key).copied()
    }

    /// Inserts and returns the previous value.
    pub fn insert(&mut self, key: MapKey, value: Value) -> Result<Option<Value>> {
        self.entries
            .try_reserve(1)
            .map_err(|_| AccessError::OutOfMemory {
                bytes: std::mem::size_of::<(MapKey, Value)>() as u64,
            })?;
        Ok(self.entries.insert(key, value))
    }

    /// Removes and returns the value under `key`.
    pub fn remove(&mut self, key: &MapKey) -> Option<Value> {
        self.entries.remove(key)
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
