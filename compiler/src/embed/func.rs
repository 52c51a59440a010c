//! [`Func`]: a function of a store, defined by a module or by the host,
//! and [`Caller`], what a host function sees of the program calling it.

use std::rc::Rc;

use arenavm_vm::arenas::{Cell, Heap};
use arenavm_vm::exec::{FuncId, HostContext};
use arenavm_vm::program::Val;
use arenavm_vm::types::FuncType;

use super::memory::{read_bytes, write_bytes};
use super::store::StoreId;
use super::typed::{TypedFunc, WasmTypeList};
use super::{Error, Store};

/// A host function as the embedding keeps it: it gets the caller and the
/// arguments (already checked against its type) and returns its results
/// or a message, which becomes a "host error" trap.
pub type HostFunc = Rc<dyn Fn(&mut Caller<'_, '_>, &[Val]) -> Result<Vec<Val>, String>>;

/// A function of one store. Copying the handle does not copy the function.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Func {
    pub(crate) store: StoreId,
    pub(crate) id: FuncId,
}

impl Func {
    /// Defines host function `f` of type `ty` in `store`. Its results are
    /// checked against `ty`; results of other types are a "host error"
    /// trap, as is an `Err`.
    pub fn new(
        store: &mut Store,
        ty: FuncType,
        f: impl Fn(&mut Caller<'_, '_>, &[Val]) -> Result<Vec<Val>, String> + 'static,
    ) -> Result<Func, Error> {
        Func::define(store, "host".into(), ty, Rc::new(f))
    }

    /// Defines a host function from a Rust closure over Wasm numbers: its
    /// parameter and result types come from `P` and `R` (a number, a tuple
    /// of numbers, or `()`).
    ///
    /// ```
    /// use arenavm_compiler::embed::{Func, Store};
    ///
    /// let mut store = Store::new();
    /// let add = Func::wrap(&mut store, |(a, b): (i32, i32)| a.wrapping_add(b)).unwrap();
    /// let sum = add.typed::<(i32, i32), i32>(&store).unwrap().call(&mut store, (2, 40));
    /// assert_eq!(sum, Ok(42));
    /// ```
    pub fn wrap<P, R>(store: &mut Store, f: impl Fn(P) -> R + 'static) -> Result<Func, Error>
    where
        P: WasmTypeList,
        R: WasmTypeList,
    {
        let (ty, f) = wrap_closure(f);
        Func::define(store, "host".into(), ty, f)
    }

    /// Defines `f` in `store` under `name` (traps name it).
    pub(crate) fn define(
        store: &mut Store,
        name: String,
        ty: FuncType,
        f: HostFunc,
    ) -> Result<Func, Error> {
        let id = store
            .vm_mut()
            .define_host(name, ty, move |cx, args| f(&mut Caller { cx }, args))
            .map_err(Error::Usage)?;
        Ok(Func {
            store: store.id(),
            id,
        })
    }

    /// The function's type.
    pub fn ty(&self, store: &Store) -> Result<FuncType, Error> {
        store.check(self.store, "function")?;
        Ok(store.vm().func_type(self.id))
    }

    /// Calls the function with `args` under the store's limits.
    pub fn call(&self, store: &mut Store, args: &[Val]) -> Result<Vec<Val>, Error> {
        store.check(self.store, "function")?;
        let config = store.config();
        Ok(store.vm_mut().invoke(self.id, args, &config)?)
    }

    /// This function as a typed function taking `P` and returning `R`, if
    /// those are its types.
    pub fn typed<P, R>(&self, store: &Store) -> Result<TypedFunc<P, R>, Error>
    where
        P: WasmTypeList,
        R: WasmTypeList,
    {
        TypedFunc::new(*self, &self.ty(store)?)
    }

    /// A reference to this function, as tables and globals hold it.
    pub fn to_val(&self) -> Val {
        Val::FuncRef(Some(self.id.index()))
    }

    /// The function `value` refers to in `store`, or `None` for null. A
    /// `Val` carries no store, so a reference is taken as `store`'s: one
    /// from another store is refused only if it names no function here
    /// ([`Table::get_func`](super::Table::get_func) checks its table's
    /// store). Another type of value is refused too.
    pub fn from_ref(store: &Store, value: Val) -> Result<Option<Func>, Error> {
        let id = store.vm().func_of_ref(value).map_err(Error::Usage)?;
        Ok(id.map(|id| Func {
            store: store.id(),
            id,
        }))
    }

    /// The VM store's id of the function.
    pub fn id(&self) -> FuncId {
        self.id
    }
}

/// Turns a closure over Wasm numbers into a host function and its type.
pub(crate) fn wrap_closure<P, R>(f: impl Fn(P) -> R + 'static) -> (FuncType, HostFunc)
where
    P: WasmTypeList,
    R: WasmTypeList,
{
    let ty = FuncType {
        params: P::types(),
        results: R::types(),
    };
    let f: HostFunc = Rc::new(move |_: &mut Caller<'_, '_>, args: &[Val]| {
        // The VM checked the arguments against the type built from `P`.
        let params = P::from_vals(args).ok_or("arguments of the wrong type")?;
        Ok(f(params).into_vals())
    });
    (ty, f)
}

/// What a host function sees while a program calls it: the store's heap
/// and the memories of the calling instance (none when the host calls a
/// host function directly).
#[derive(Debug)]
pub struct Caller<'c, 'h> {
    cx: &'c mut HostContext<'h>,
}

impl Caller<'_, '_> {
    /// The heap all memories live in.
    pub fn heap(&mut self) -> &mut Heap {
        self.cx.heap
    }

    /// The bytes segment of the caller's memory `index`.
    pub fn memory(&self, index: u32) -> Option<Cell> {
        self.cx.memories.get(index as usize).copied()
    }

    /// Copies `buf.len()` bytes at `offset` of the caller's memory `index`
    /// into `buf`.
    pub fn read(&self, index: u32, offset: u64, buf: &mut [u8]) -> Result<(), String> {
        let cell = self
            .memory(index)
            .ok_or_else(|| format!("the caller has no memory {index}"))?;
        read_bytes(self.cx.heap, cell, offset, buf)
    }

    /// Copies `data` to `offset` of the caller's memory `index`.
    pub fn write(&mut self, index: u32, offset: u64, data: &[u8]) -> Result<(), String> {
        let cell = self
            .memory(index)
            .ok_or_else(|| format!("the caller has no memory {index}"))?;
        write_bytes(self.cx.heap, cell, offset, data)
    }
}
