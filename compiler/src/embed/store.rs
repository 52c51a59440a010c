//! The embedding's [`Store`]: the VM store of a group of instances, plus
//! the limits every call made through it runs under.
//!
//! Invariant: every handle ([`Func`](super::Func), [`Memory`](super::Memory),
//! [`Table`](super::Table), [`Global`](super::Global),
//! [`Instance`](super::Instance)) records the [`StoreId`] of the store that
//! made it, and every operation checks it first, so a handle is only ever
//! used on the store whose vectors it indexes (the VM store never removes
//! an entity). A handle from another store is [`Error::Usage`], never a
//! panic or another store's entity.

use std::sync::atomic::{AtomicU64, Ordering};

use arenavm_vm::arenas::{Heap, HeapConfig};
use arenavm_vm::exec::{self, ExecConfig, StoreLimits};

use super::Error;

/// Which store a handle belongs to: unique for the process's lifetime.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct StoreId(u64);

impl StoreId {
    fn fresh() -> StoreId {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        StoreId(NEXT.fetch_add(1, Ordering::Relaxed))
    }
}

/// All runtime state of a group of instances that may link to each other:
/// one heap for their memories, their functions, tables and globals.
///
/// Calls run under [`Store::config`]: fuel counts instructions per call
/// (each call made through the store starts with the whole budget), and
/// the call depth bounds the frames alive at once.
#[derive(Debug)]
pub struct Store {
    id: StoreId,
    inner: exec::Store,
    config: ExecConfig,
}

impl Default for Store {
    fn default() -> Store {
        Store::new()
    }
}

impl Store {
    /// An empty store with the default heap and no fuel limit.
    pub fn new() -> Store {
        Store::with_heap(HeapConfig::default())
    }

    /// An empty store whose heap is configured by `heap`.
    pub fn with_heap(heap: HeapConfig) -> Store {
        Store {
            id: StoreId::fresh(),
            inner: exec::Store::new(heap),
            config: ExecConfig::default(),
        }
    }

    /// This store's identity, which its handles carry.
    pub fn id(&self) -> StoreId {
        self.id
    }

    /// The limits calls run under.
    pub fn config(&self) -> ExecConfig {
        self.config
    }

    /// Sets the limits calls run under (instantiation's start function
    /// included).
    pub fn set_config(&mut self, config: ExecConfig) -> &mut Store {
        self.config = config;
        self
    }

    /// Each call may run `fuel` instructions before it traps with "out of
    /// fuel"; `None` runs unmetered.
    pub fn set_fuel(&mut self, fuel: Option<u64>) -> &mut Store {
        self.config.fuel = fuel;
        self
    }

    /// At most `depth` frames (at least 1) may be alive at once; one more
    /// call traps with "call stack exhausted".
    pub fn set_max_call_depth(&mut self, depth: usize) -> &mut Store {
        self.config.max_call_depth = depth.max(1);
        self
    }

    /// The limits on what the store's instances hold together.
    pub fn limits(&self) -> StoreLimits {
        self.inner.limits()
    }

    /// Bounds what the store's instances hold together: memory bytes,
    /// table entries, and numbers of memories, tables and instances (see
    /// [`StoreLimits`]). Growing past a limit, from the program
    /// (`memory.grow`, `table.grow` return -1) or the host
    /// ([`Memory::grow`](super::Memory::grow),
    /// [`Table::grow`](super::Table::grow)), changes nothing; creating a
    /// memory, table or instance past one is [`Error::Resource`].
    pub fn set_limits(&mut self, limits: StoreLimits) -> &mut Store {
        self.inner.set_limits(limits);
        self
    }

    /// The heap every memory of the store lives in.
    pub fn heap(&self) -> &Heap {
        self.inner.heap()
    }

    /// The heap, for working on memories through the arena API.
    pub fn heap_mut(&mut self) -> &mut Heap {
        self.inner.heap_mut()
    }

    /// The VM store underneath, for what this API does not cover.
    pub fn vm(&self) -> &exec::Store {
        &self.inner
    }

    /// The VM store underneath, mutably.
    pub fn vm_mut(&mut self) -> &mut exec::Store {
        &mut self.inner
    }

    /// Refuses a handle made by another store.
    pub(crate) fn check(&self, owner: StoreId, what: &str) -> Result<(), Error> {
        if owner == self.id {
            Ok(())
        } else {
            Err(Error::usage(format!(
                "this {what} belongs to another store"
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_have_distinct_ids_and_default_limits() {
        let (a, b) = (Store::new(), Store::new());
        assert_ne!(a.id(), b.id());
        assert_eq!(a.config(), ExecConfig::default());
        assert!(a.check(b.id(), "function").is_err());
        assert!(a.check(a.id(), "function").is_ok());
    }

    #[test]
    fn limits_are_set_through_the_store() {
        let mut store = Store::new();
        store.set_fuel(Some(10)).set_max_call_depth(0);
        assert_eq!(
            store.config(),
            ExecConfig {
                fuel: Some(10),
                max_call_depth: 1
            }
        );
    }
}
