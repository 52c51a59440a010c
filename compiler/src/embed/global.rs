//! [`Global`]: a global of a store, defined by a module or by the host.

use arenavm_vm::exec::GlobalId;
use arenavm_vm::program::Val;

use super::store::StoreId;
use super::types::GlobalType;
use super::{Error, Store};

/// A global of one store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Global {
    pub(crate) store: StoreId,
    pub(crate) id: GlobalId,
}

impl Global {
    /// Adds a global holding `value`; a function reference must name a
    /// function of `store`.
    pub fn new(store: &mut Store, value: Val, mutable: bool) -> Result<Global, Error> {
        let id = store
            .vm_mut()
            .alloc_global(value, mutable)
            .map_err(Error::Usage)?;
        Ok(Global {
            store: store.id(),
            id,
        })
    }

    /// The current value.
    pub fn get(&self, store: &Store) -> Result<Val, Error> {
        store.check(self.store, "global")?;
        Ok(store.vm().global_get(self.id))
    }

    /// Sets a mutable global to a value of its type.
    pub fn set(&self, store: &mut Store, value: Val) -> Result<(), Error> {
        store.check(self.store, "global")?;
        store
            .vm_mut()
            .global_set(self.id, value)
            .map_err(Error::Usage)
    }

    /// The value type and mutability.
    pub fn ty(&self, store: &Store) -> Result<GlobalType, Error> {
        store.check(self.store, "global")?;
        let (ty, mutable) = store.vm().global_type(self.id);
        Ok(GlobalType { ty, mutable })
    }
}
