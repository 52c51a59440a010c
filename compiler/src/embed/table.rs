//! [`Table`]: a table of references of a store.

use arenavm_vm::exec::{GrowError, TableId};
use arenavm_vm::program::Val;

use super::store::StoreId;
use super::types::TableType;
use super::{Error, Func, Store};

/// A table of one store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Table {
    pub(crate) store: StoreId,
    pub(crate) id: TableId,
}

impl Table {
    /// Adds a table of `ty.min` entries, each `init` (a reference of
    /// `ty.elem`'s type). Past the store's limits
    /// ([`Store::set_limits`]) it is a resource error.
    pub fn new(store: &mut Store, ty: TableType, init: Val) -> Result<Table, Error> {
        store.vm().admit_table(ty.min).map_err(Error::Resource)?;
        let id = store
            .vm_mut()
            .alloc_table(&ty.into(), init)
            .map_err(Error::Usage)?;
        Ok(Table {
            store: store.id(),
            id,
        })
    }

    /// The element type, the current size (as `min`) and the maximum.
    pub fn ty(&self, store: &Store) -> Result<TableType, Error> {
        store.check(self.store, "table")?;
        let (elem, size, max) = store.vm().table_type(self.id);
        Ok(TableType::new(elem, size, max))
    }

    /// Grows the table by `delta` entries of `init` and returns the old
    /// size. Past the store's limits ([`Store::set_limits`]) it is
    /// [`Error::Resource`], past the maximum or with an `init` of another
    /// type [`Error::Usage`]; either way nothing changes.
    pub fn grow(&self, store: &mut Store, delta: u32, init: Val) -> Result<u32, Error> {
        store.check(self.store, "table")?;
        store
            .vm_mut()
            .grow_table(self.id, delta, init)
            .map_err(grow_error)
    }

    /// The current number of entries.
    pub fn size(&self, store: &Store) -> Result<u32, Error> {
        Ok(self.ty(store)?.min)
    }

    /// Entry `index`; past the end is an error.
    pub fn get(&self, store: &Store, index: u32) -> Result<Val, Error> {
        store.check(self.store, "table")?;
        store
            .vm()
            .table_get(self.id, index)
            .ok_or_else(|| Error::usage(format!("out of bounds table access: entry {index}")))
    }

    /// The function entry `index` refers to, or `None` for null; past the
    /// end, or in a table of extern references, is an error.
    pub fn get_func(&self, store: &Store, index: u32) -> Result<Option<Func>, Error> {
        Func::from_ref(store, self.get(store, index)?)
    }
}

/// A refused grow as a typed error: the store's limits are a resource
/// error, anything else the host's mistake.
pub(crate) fn grow_error(error: GrowError) -> Error {
    match error {
        GrowError::Limit(message) => Error::Resource(message),
        GrowError::Refused(message) => Error::Usage(message),
    }
}
