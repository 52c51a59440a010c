//! Running verified programs.
//!
//! A [`Store`] holds the runtime entities of instances that may share them
//! (one heap for all memories, functions, tables, globals);
//! [`Store::instantiate`] binds a verified program's imports and creates
//! what it defines, and [`Store::invoke`] runs one function to completion
//! or to a [`Trap`]. It never panics on a verified program, and a trap
//! leaves the store usable. [`Instance`] is one program in a store of its
//! own.

#[macro_use]
mod arena_ops;
mod calls;
mod host;
mod instantiate;
mod stack;
#[macro_use]
mod memory;
mod dispatch;
mod executor;
mod store;
mod tables;
mod trap;

pub use host::{HostContext, HostFn, HostFunctions};
pub use instantiate::Imports;
pub use store::{
    Extern, FuncId, GlobalId, GrowError, InstanceId, InstantiateError, MemoryId, Store,
    StoreLimits, TableId,
};
pub use trap::{Trap, TrapKind};

use std::fmt;

use arenavm_arenas::{Cell, Heap, HeapConfig, Slice};

use crate::program::{TableDecl, Val};
use crate::types::ScalarType;
use crate::verify::VerifiedProgram;
use stack::{RegisterStack, Registers, WINDOW};

/// Limits on one invocation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExecConfig {
    /// Instructions the invocation may execute before it traps with
    /// `OutOfFuel`; `None` runs unmetered.
    pub fuel: Option<u64>,
    /// Most frames alive at once, the entry frame included; one more call
    /// traps with `CallStackExhausted` instead of overflowing the host stack
    /// (frames live on the heap, not on the host stack).
    pub max_call_depth: usize,
}

impl Default for ExecConfig {
    fn default() -> ExecConfig {
        ExecConfig {
            fuel: None,
            max_call_depth: 10_000,
        }
    }
}

/// Why an invocation produced no results.
#[derive(Clone, Debug, PartialEq)]
pub enum InvokeError {
    /// The program trapped.
    Trap(Trap),
    /// The call itself was wrong: unknown function, wrong arguments.
    Invalid(String),
}

impl fmt::Display for InvokeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InvokeError::Trap(trap) => write!(f, "trap: {trap}"),
            InvokeError::Invalid(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for InvokeError {}

/// Slots of each register bank's stack, shared by all active frames of an
/// invocation: 2^20 scalars (8 MiB, allocated zeroed so pages are only
/// mapped when frames reach them), 2^16 Cells and 2^14 slices.
pub(crate) type ScalarStack = RegisterStack<u64, SCALAR_SLOTS, WINDOW>;
pub(crate) type CellStack = RegisterStack<Option<Cell>, CELL_SLOTS>;
pub(crate) type SliceStack = RegisterStack<Option<Slice>, SLICE_SLOTS>;
/// Frames use all but the last `2^16` scalar slots: that reserve lets
/// every frame have a window.
const SCALAR_SLOTS: usize = 1 << 20;
const CELL_SLOTS: usize = 1 << 16;
const SLICE_SLOTS: usize = 1 << 14;

/// The three stacks during a run.
pub(crate) type ScalarRegs<'a> = Registers<'a, u64, SCALAR_SLOTS, WINDOW>;
pub(crate) type CellRegs<'a> = Registers<'a, Option<Cell>, CELL_SLOTS>;
pub(crate) type SliceRegs<'a> = Registers<'a, Option<Slice>, SLICE_SLOTS>;

/// The register stacks of a store, reused by every invocation.
#[derive(Debug)]
pub(crate) struct Stacks {
    pub(crate) scalars: ScalarStack,
    pub(crate) cells: CellStack,
    pub(crate) slices: SliceStack,
}

/// A table of references at run time: register bits of its element type.
#[derive(Clone, Debug)]
pub(crate) struct Table {
    pub(crate) elem: ScalarType,
    pub(crate) elements: Vec<u64>,
    /// The maximum the table was declared with, for import matching.
    pub(crate) declared_max: Option<u32>,
}

impl Table {
    /// Most entries a table may have, whatever its declared maximum.
    const LIMIT: u32 = 10_000_000;

    pub(crate) fn new(elem: ScalarType, declared_max: Option<u32>) -> Table {
        Table {
            elem,
            elements: Vec::new(),
            declared_max,
        }
    }

    /// A table of `decl.min` entries of `init` (register bits), or why
    /// there can be none that large.
    pub(crate) fn filled(decl: &TableDecl, init: u64) -> Result<Table, String> {
        let mut table = Table::new(decl.elem, decl.max);
        match table.grow(decl.min, init) {
            Some(_) => Ok(table),
            None => Err(format!("a table of {} entries is too large", decl.min)),
        }
    }

    /// Appends `delta` entries of `init` and returns the old size, or
    /// `None` (and no change) past the maximum.
    pub(crate) fn grow(&mut self, delta: u32, init: u64) -> Option<u32> {
        let old = self.elements.len() as u32;
        let max = self.declared_max.unwrap_or(u32::MAX).min(Self::LIMIT);
        let new = old.checked_add(delta).filter(|&n| n <= max)?;
        self.elements.try_reserve(delta as usize).ok()?;
        self.elements.resize(new as usize, init);
        Some(old)
    }
}

/// One program instantiated in a store of its own: the simple way to run a
/// program whose imports are host functions only.
pub struct Instance {
    store: Store,
    id: InstanceId,
}

impl fmt::Debug for Instance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Instance")
            .field("store", &self.store)
            .finish_non_exhaustive()
    }
}

impl Instance {
    /// Creates the memories (zero-filled), globals and tables of `program`,
    /// which must import nothing.
    pub fn new(program: &VerifiedProgram, heap: HeapConfig) -> Result<Instance, InvokeError> {
        Instance::with_host(program, heap, &HostFunctions::new())
    }

    /// [`Instance::new`] for a program that imports host functions: each
    /// function import must be defined in `host` with the same type.
    /// Function references name store functions: the host functions first,
    /// then the program's, so without imports reference `i` is the
    /// program's function `i`.
    pub fn with_host(
        program: &VerifiedProgram,
        heap: HeapConfig,
        host: &HostFunctions,
    ) -> Result<Instance, InvokeError> {
        let mut store = Store::new(heap);
        let program = std::rc::Rc::new(program.clone());
        let mut other_imports = (program.memory_imports.iter().map(|i| (&i.module, &i.name)))
            .chain(program.table_imports.iter().map(|i| (&i.module, &i.name)))
            .chain(program.global_imports.iter().map(|i| (&i.module, &i.name)));
        if let Some((module, name)) = other_imports.next() {
            return Err(InvokeError::Invalid(format!(
                "unknown import {module}.{name}: only host functions can be imported here"
            )));
        }
        let resolved = host
            .resolve(&program.imports)
            .map_err(InvokeError::Invalid)?;
        let mut imports = Imports::default();
        for (import, (ty, f)) in program.imports.iter().zip(resolved) {
            let name = format!("{}.{}", import.module, import.name);
            let id = store
                .define_host_fn(name, ty, f)
                .map_err(InvokeError::Invalid)?;
            imports.funcs.push(id);
        }
        let id = store
            .instantiate(program, &imports, &ExecConfig::default())
            .map_err(|e| match e {
                InstantiateError::Trap(t) => InvokeError::Trap(t),
                other => InvokeError::Invalid(other.to_string()),
            })?;
        Ok(Instance { store, id })
    }

    /// The heap, for reading what a program left behind.
    pub fn heap(&self) -> &Heap {
        self.store.heap()
    }

    /// The store the program runs in.
    pub fn store(&mut self) -> &mut Store {
        &mut self.store
    }

    /// The Cell of memory `index`, a bytes segment in the heap.
    pub fn memory(&self, index: u32) -> Option<Cell> {
        self.store
            .instance_memory(self.id, index)
            .map(|m| self.store.memory_cell(m))
    }

    /// The reference to program function `index`: its store id, which
    /// counts the host functions first (see [`Instance::with_host`]).
    pub fn func_ref(&self, index: u32) -> Option<Val> {
        let func = self.store.instance_func(self.id, index)?;
        Some(Val::FuncRef(Some(func.index())))
    }

    /// Runs the function called `name`.
    pub fn invoke_by_name(
        &mut self,
        name: &str,
        args: &[Val],
        config: &ExecConfig,
    ) -> Result<Vec<Val>, InvokeError> {
        let index = self
            .store
            .program(self.id)
            .function_index(name)
            .ok_or_else(|| InvokeError::Invalid(format!("no function named `{name}`")))?;
        self.invoke(index, args, config)
    }

    /// Runs function `func` with `args` and returns its results.
    pub fn invoke(
        &mut self,
        func: u32,
        args: &[Val],
        config: &ExecConfig,
    ) -> Result<Vec<Val>, InvokeError> {
        let id = self
            .store
            .instance_func(self.id, func)
            .ok_or_else(|| InvokeError::Invalid(format!("no function #{func}")))?;
        self.store.invoke(id, args, config)
    }
}
