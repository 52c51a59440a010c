//! [`Extern`]: anything a module can import or export.

use arenavm_vm::exec;

use super::store::StoreId;
use super::{Func, Global, Memory, Table};

/// A function, memory, table or global of one store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Extern {
    Func(Func),
    Memory(Memory),
    Table(Table),
    Global(Global),
}

impl Extern {
    /// The handle of VM entity `item` of store `store`.
    pub(crate) fn from_vm(store: StoreId, item: exec::Extern) -> Extern {
        match item {
            exec::Extern::Func(id) => Extern::Func(Func { store, id }),
            exec::Extern::Memory(id) => Extern::Memory(Memory { store, id }),
            exec::Extern::Table(id) => Extern::Table(Table { store, id }),
            exec::Extern::Global(id) => Extern::Global(Global { store, id }),
        }
    }

    /// The store the entity belongs to.
    pub(crate) fn store(&self) -> StoreId {
        match self {
            Extern::Func(f) => f.store,
            Extern::Memory(m) => m.store,
            Extern::Table(t) => t.store,
            Extern::Global(g) => g.store,
        }
    }

    /// `function`, `memory`, `table` or `global`.
    pub fn kind(&self) -> &'static str {
        match self {
            Extern::Func(_) => "function",
            Extern::Memory(_) => "memory",
            Extern::Table(_) => "table",
            Extern::Global(_) => "global",
        }
    }

    /// The function, if it is one.
    pub fn into_func(self) -> Option<Func> {
        match self {
            Extern::Func(f) => Some(f),
            _ => None,
        }
    }

    /// The memory, if it is one.
    pub fn into_memory(self) -> Option<Memory> {
        match self {
            Extern::Memory(m) => Some(m),
            _ => None,
        }
    }

    /// The table, if it is one.
    pub fn into_table(self) -> Option<Table> {
        match self {
            Extern::Table(t) => Some(t),
            _ => None,
        }
    }

    /// The global, if it is one.
    pub fn into_global(self) -> Option<Global> {
        match self {
            Extern::Global(g) => Some(g),
            _ => None,
        }
    }
}

macro_rules! from_handle {
    ($($ty:ident),*) => {$(
        impl From<$ty> for Extern {
            fn from(item: $ty) -> Extern {
                Extern::$ty(item)
            }
        }
    )*};
}

from_handle!(Func, Memory, Table, Global);
