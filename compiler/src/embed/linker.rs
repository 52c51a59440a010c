//! [`Linker`]: definitions by module and name, and instantiation that
//! resolves a module's imports against them.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;

use arenavm_vm::exec::Imports;
use arenavm_vm::program::Val;
use arenavm_vm::types::FuncType;

use super::func::{HostFunc, wrap_closure};
use super::store::StoreId;
use super::typed::WasmTypeList;
use super::{Caller, Error, Extern, Instance, Module, Store};

/// What a name is defined as.
#[derive(Clone)]
enum Definition {
    /// An entity of one store.
    Extern(Extern),
    /// A host function of no store yet: it is added to a store the first
    /// time an instantiation in that store imports it.
    Host { ty: FuncType, f: HostFunc },
}

/// Names for imports: `(module, name)` to a definition. A later
/// definition of the same name replaces the earlier one.
///
/// Invariant: `host_funcs` maps a store and a name defined by
/// [`Linker::func_new`] to the function added to that store for it, so
/// every instance of one store imports the same function.
#[derive(Default)]
pub struct Linker {
    definitions: HashMap<(String, String), Definition>,
    host_funcs: RefCell<HashMap<(StoreId, String, String), Extern>>,
}

impl fmt::Debug for Linker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut names: Vec<String> = self
            .definitions
            .keys()
            .map(|(module, name)| format!("{module}.{name}"))
            .collect();
        names.sort();
        f.debug_struct("Linker")
            .field("definitions", &names)
            .finish()
    }
}

impl Linker {
    /// A linker that defines nothing.
    pub fn new() -> Linker {
        Linker::default()
    }

    /// Defines `module.name` as `item`, an entity of one store (only
    /// instantiations in that store can import it).
    pub fn define(&mut self, module: &str, name: &str, item: impl Into<Extern>) -> &mut Linker {
        self.insert(module, name, Definition::Extern(item.into()))
    }

    /// Defines `module.name` as host function `f` of type `ty`, for any
    /// store.
    pub fn func_new(
        &mut self,
        module: &str,
        name: &str,
        ty: FuncType,
        f: impl Fn(&mut Caller<'_, '_>, &[Val]) -> Result<Vec<Val>, String> + 'static,
    ) -> &mut Linker {
        let f: HostFunc = std::rc::Rc::new(f);
        self.insert(module, name, Definition::Host { ty, f })
    }

    /// Defines `module.name` as a Rust closure over Wasm numbers (see
    /// [`Func::wrap`](super::Func::wrap)), for any store.
    pub fn func_wrap<P, R>(
        &mut self,
        module: &str,
        name: &str,
        f: impl Fn(P) -> R + 'static,
    ) -> &mut Linker
    where
        P: WasmTypeList,
        R: WasmTypeList,
    {
        let (ty, f) = wrap_closure(f);
        self.insert(module, name, Definition::Host { ty, f })
    }

    /// Defines every export of `instance` under module name `module`.
    pub fn instance(
        &mut self,
        store: &Store,
        module: &str,
        instance: Instance,
    ) -> Result<&mut Linker, Error> {
        store.check(instance.store, "instance")?;
        for (name, item) in instance.exports(store) {
            self.define(module, &name, item);
        }
        Ok(self)
    }

    fn insert(&mut self, module: &str, name: &str, definition: Definition) -> &mut Linker {
        let key = (module.to_owned(), name.to_owned());
        self.host_funcs
            .get_mut()
            .retain(|(_, m, n), _| (m, n) != (&key.0, &key.1));
        self.definitions.insert(key, definition);
        self
    }

    /// What `module.name` is in `store`, adding a host function to the
    /// store if this is its first use there.
    pub fn get(&self, store: &mut Store, module: &str, name: &str) -> Result<Extern, Error> {
        let key = (module.to_owned(), name.to_owned());
        match self.definitions.get(&key) {
            None => Err(Error::Link(format!("unknown import {module}.{name}"))),
            Some(Definition::Extern(item)) => {
                store.check(item.store(), &format!("{module}.{name}"))?;
                Ok(*item)
            }
            Some(Definition::Host { ty, f }) => {
                let cache_key = (store.id(), key.0, key.1);
                if let Some(item) = self.host_funcs.borrow().get(&cache_key) {
                    return Ok(*item);
                }
                let func =
                    super::Func::define(store, format!("{module}.{name}"), ty.clone(), f.clone())?;
                self.host_funcs
                    .borrow_mut()
                    .insert(cache_key, Extern::Func(func));
                Ok(Extern::Func(func))
            }
        }
    }

    /// Instantiates `module` in `store`: binds each import to its
    /// definition, creates what the module defines, applies its segments
    /// and runs its start function under the store's limits.
    ///
    /// A missing import or one of the wrong kind or type is
    /// [`Error::Link`] and changes no entity a module can see; a trap while
    /// initialising is [`Error::Trap`] (and, as in WebAssembly, what was
    /// written to imported memories and tables before it stays written).
    pub fn instantiate(&self, store: &mut Store, module: &Module) -> Result<Instance, Error> {
        let program = module.program();
        let mut imports = Imports::default();
        let wrong_kind = |module: &str, name: &str, wanted: &str, item: &Extern| {
            Error::Link(format!(
                "incompatible import type: {module}.{name} must be a {wanted}, but is a {}",
                item.kind()
            ))
        };
        for i in program.imports() {
            match self.get(store, &i.module, &i.name)? {
                Extern::Func(f) => imports.funcs.push(f.id),
                other => return Err(wrong_kind(&i.module, &i.name, "function", &other)),
            }
        }
        for i in program.memory_imports() {
            match self.get(store, &i.module, &i.name)? {
                Extern::Memory(m) => {
                    super::memory::check_live(store, m)
                        .map_err(|e| Error::Link(format!("memory {}.{}: {e}", i.module, i.name)))?;
                    imports.memories.push(m.id);
                }
                other => return Err(wrong_kind(&i.module, &i.name, "memory", &other)),
            }
        }
        for i in program.table_imports() {
            match self.get(store, &i.module, &i.name)? {
                Extern::Table(t) => imports.tables.push(t.id),
                other => return Err(wrong_kind(&i.module, &i.name, "table", &other)),
            }
        }
        for i in program.global_imports() {
            match self.get(store, &i.module, &i.name)? {
                Extern::Global(g) => imports.globals.push(g.id),
                other => return Err(wrong_kind(&i.module, &i.name, "global", &other)),
            }
        }
        let config = store.config();
        let id = store
            .vm_mut()
            .instantiate(std::rc::Rc::clone(program), &imports, &config)?;
        Ok(Instance {
            store: store.id(),
            id,
        })
    }
}
