//! [`Instance`]: a module instantiated in a store, and its exports.

use arenavm_vm::exec::InstanceId;

use super::store::StoreId;
use super::typed::{TypedFunc, WasmTypeList};
use super::{Error, Extern, Func, Global, Memory, Store, Table};

/// An instance of a module in one store. Its exports are store entities:
/// handing them to another instance shares them.
///
/// The getters return `None` for a name the instance does not export as
/// that kind, and for a store the instance does not belong to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Instance {
    pub(crate) store: StoreId,
    pub(crate) id: InstanceId,
}

impl Instance {
    /// The export called `name`.
    pub fn get_export(&self, store: &Store, name: &str) -> Option<Extern> {
        store.check(self.store, "instance").ok()?;
        let item = store.vm().export(self.id, name)?;
        Some(Extern::from_vm(self.store, item))
    }

    /// Every export, in declaration order.
    pub fn exports(&self, store: &Store) -> Vec<(String, Extern)> {
        if store.check(self.store, "instance").is_err() {
            return Vec::new();
        }
        store
            .vm()
            .exports(self.id)
            .into_iter()
            .map(|(name, item)| (name, Extern::from_vm(self.store, item)))
            .collect()
    }

    /// The exported function `name`.
    pub fn get_func(&self, store: &Store, name: &str) -> Option<Func> {
        self.get_export(store, name)?.into_func()
    }

    /// The exported memory `name`.
    pub fn get_memory(&self, store: &Store, name: &str) -> Option<Memory> {
        self.get_export(store, name)?.into_memory()
    }

    /// The exported table `name`.
    pub fn get_table(&self, store: &Store, name: &str) -> Option<Table> {
        self.get_export(store, name)?.into_table()
    }

    /// The exported global `name`.
    pub fn get_global(&self, store: &Store, name: &str) -> Option<Global> {
        self.get_export(store, name)?.into_global()
    }

    /// The exported function `name` as a function from `P` to `R`: an
    /// error if there is no such function or it has another type.
    ///
    /// ```
    /// use arenavm_compiler::embed::{Linker, Module, Store};
    /// use arenavm_compiler::wasm::Features;
    ///
    /// let module = Module::new(r#"(module (func (export "add") (param i32 i32) (result i32)
    ///     local.get 0 local.get 1 i32.add))"#, &Features::default()).unwrap();
    /// let mut store = Store::new();
    /// let instance = Linker::new().instantiate(&mut store, &module).unwrap();
    /// let add = instance.get_typed_func::<(i32, i32), i32>(&store, "add").unwrap();
    /// assert_eq!(add.call(&mut store, (2, 40)), Ok(42));
    /// ```
    pub fn get_typed_func<P, R>(&self, store: &Store, name: &str) -> Result<TypedFunc<P, R>, Error>
    where
        P: WasmTypeList,
        R: WasmTypeList,
    {
        let func = self
            .get_func(store, name)
            .ok_or_else(|| Error::usage(format!("no exported function `{name}`")))?;
        func.typed(store)
    }
}
