//! The store: every runtime entity of a group of instances that may share
//! them. One heap holds all their memories (bytes segments), and functions,
//! tables and globals live here by typed index, so one instance can import
//! another's exports and a function reference means the same function
//! wherever it travels.
//!
//! Invariants:
//! - every id an instance or a table entry holds indexes this store's
//!   vectors (ids are only minted here, and nothing is ever removed);
//! - a function reference's register bits are `FuncId + 1` (0 is null);
//! - an instance's memories are bytes segments of `heap`. No instruction
//!   can reach a memory's Cell to free it, but a host function (which gets
//!   the heap and the Cells) can: from then on every access to that memory
//!   traps `stale handle`, and importing it is a link error;
//! - `resources.memory_bytes` is the sum of the sizes every memory was
//!   allocated with and grown by (a memory a host function freed still
//!   counts), and `resources.table_elements` the sum of every table's
//!   entries: each is only raised where the growth happens, after the
//!   limit admitted it, and a failed instantiation puts both back.

use std::fmt;
use std::rc::Rc;

use arenavm_arenas::{Bytes, Cell, Heap, HeapConfig};

use super::executor::{Executor, Stop};
use super::host::{HostContext, HostFn};
use super::memory::PAGE;
use super::stack::RegisterStack;
use super::{ExecConfig, InvokeError, Stacks, Table, Trap, TrapKind};
use crate::program::{MemoryDecl, TableDecl, Val};
use crate::types::{FuncType, ScalarType, Type};
use crate::verify::{MAX_PAGES, VerifiedProgram};

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub(crate) u32);

        impl $name {
            /// The index in its store.
            pub fn index(self) -> u32 {
                self.0
            }
        }
    )*};
}

ids! {
    /// A function of a store: a program's function or a host function.
    FuncId;
    /// A linear memory of a store: a bytes segment of its heap.
    MemoryId;
    /// A table of references of a store.
    TableId;
    /// A global of a store.
    GlobalId;
    /// An instantiated program of a store.
    InstanceId;
}

/// A store entity, as exports name them and imports take them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Extern {
    Func(FuncId),
    Memory(MemoryId),
    Table(TableId),
    Global(GlobalId),
}

/// What a function of the store is.
#[derive(Clone)]
pub(crate) enum FuncEntity {
    /// Function `index` of instance `instance`'s program.
    Vm { instance: u32, index: u32 },
    /// A host function of type `ty`.
    Host {
        name: String,
        ty: FuncType,
        f: HostFn,
    },
}

/// A global's value (register bits) and type.
#[derive(Clone, Copy, Debug)]
pub(crate) struct GlobalEntity {
    pub(crate) ty: ScalarType,
    pub(crate) mutable: bool,
}

/// An instance: its program and where each of its index spaces lands in
/// the store.
#[derive(Debug)]
pub(crate) struct InstanceData {
    pub(crate) program: Rc<VerifiedProgram>,
    /// Store function of each defined function.
    pub(crate) funcs: Vec<FuncId>,
    /// Store function each function import is bound to.
    pub(crate) imports: Vec<FuncId>,
    /// The segment of each memory (imports first), and its store id.
    pub(crate) memories: Vec<Cell>,
    pub(crate) memory_ids: Vec<MemoryId>,
    pub(crate) tables: Vec<TableId>,
    pub(crate) globals: Vec<GlobalId>,
    /// Store index of each data and element segment.
    pub(crate) data: Vec<u32>,
    pub(crate) elements: Vec<u32>,
}

/// Why instantiation failed.
#[derive(Clone, Debug, PartialEq)]
pub enum InstantiateError {
    /// An import is missing or of the wrong type; nothing was created.
    Link(String),
    /// A segment or the start function trapped. As in WebAssembly, what
    /// was written before the trap stays written (imported tables and
    /// memories may have changed).
    Trap(Trap),
    /// The store could not allocate a memory or table; nothing was created.
    Resource(String),
}

impl fmt::Display for InstantiateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InstantiateError::Link(m) => write!(f, "link error: {m}"),
            InstantiateError::Trap(t) => write!(f, "trap: {t}"),
            InstantiateError::Resource(m) => write!(f, "cannot instantiate: {m}"),
        }
    }
}

impl std::error::Error for InstantiateError {}

/// Bounds on what all the instances of one store hold together, as
/// wasmtime's `StoreLimits`: `None` (the [`Default`]) is unlimited.
///
/// - Growing past a limit (`memory.grow`, `table.grow`,
///   [`Store::grow_memory`], [`Store::grow_table`]) is refused and changes
///   nothing: the instructions return -1, as past a declared maximum.
/// - Creating a memory, table or instance past a limit (a program's own
///   at instantiation, or the host's through [`Store::alloc_memory`] and
///   [`Store::alloc_table`]) is an error naming the limit; a refused
///   instantiation creates nothing.
///
/// Lowering a limit below what the store already holds removes nothing:
/// it refuses any further growth of that kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct StoreLimits {
    /// Bytes of all linear memories together (each memory's current size).
    pub memory_bytes: Option<u64>,
    /// Entries of all tables together.
    pub table_elements: Option<u64>,
    /// Number of memories (imported ones are counted once, by their owner).
    pub memories: Option<usize>,
    /// Number of tables.
    pub tables: Option<usize>,
    /// Number of instances (one whose start function trapped still counts:
    /// it stays in the store).
    pub instances: Option<usize>,
}

/// The store's limits and the running totals they bound.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Resources {
    pub(crate) limits: StoreLimits,
    pub(crate) memory_bytes: u64,
    pub(crate) table_elements: u64,
}

impl Resources {
    /// Whether `delta` more bytes of memory are within the limit.
    pub(crate) fn memory_fits(&self, delta: u64) -> bool {
        fits(self.memory_bytes, delta, self.limits.memory_bytes)
    }

    /// Whether `delta` more table entries are within the limit.
    pub(crate) fn table_fits(&self, delta: u64) -> bool {
        fits(self.table_elements, delta, self.limits.table_elements)
    }

    /// `memory_fits`, or an error naming the limit and the numbers.
    fn admit_memory_bytes(&self, delta: u64) -> Result<(), String> {
        match self.limits.memory_bytes {
            Some(limit) if !self.memory_fits(delta) => Err(format!(
                "store limit memory_bytes: {} bytes of memory in use, {delta} more would exceed the limit of {limit}",
                self.memory_bytes
            )),
            _ => Ok(()),
        }
    }

    /// `table_fits`, or an error naming the limit and the numbers.
    fn admit_table_elements(&self, delta: u64) -> Result<(), String> {
        match self.limits.table_elements {
            Some(limit) if !self.table_fits(delta) => Err(format!(
                "store limit table_elements: {} table entries in use, {delta} more would exceed the limit of {limit}",
                self.table_elements
            )),
            _ => Ok(()),
        }
    }
}

/// Whether `used + delta` is within `limit` (without overflow).
fn fits(used: u64, delta: u64, limit: Option<u64>) -> bool {
    limit.is_none_or(|limit| used.checked_add(delta).is_some_and(|total| total <= limit))
}

/// An error unless the store's `count` entities of `kind` may become one
/// more under `limit`.
fn admit_count(kind: &str, count: usize, limit: Option<usize>) -> Result<(), String> {
    match limit {
        Some(limit) if count >= limit => Err(format!(
            "store limit {kind}: the store has {count} {kind}, the limit is {limit}"
        )),
        _ => Ok(()),
    }
}

/// Why [`Store::grow_memory`] or [`Store::grow_table`] changed nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GrowError {
    /// The store's [`StoreLimits`] refuse it.
    Limit(String),
    /// Past the memory's or table's maximum, a memory whose segment a host
    /// function freed, or an initial value of the wrong type.
    Refused(String),
}

impl fmt::Display for GrowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GrowError::Limit(m) | GrowError::Refused(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for GrowError {}

/// Runtime state shared by a group of instances.
pub struct Store {
    pub(crate) heap: Heap,
    pub(crate) memories: Vec<Cell>,
    /// Each memory's declared maximum in pages, for import matching.
    pub(crate) memory_max: Vec<Option<u32>>,
    pub(crate) tables: Vec<Table>,
    /// Global values as register bits; `global_types` has their types.
    pub(crate) globals: Vec<u64>,
    pub(crate) global_types: Vec<GlobalEntity>,
    pub(crate) funcs: Vec<FuncEntity>,
    pub(crate) instances: Vec<InstanceData>,
    /// Data segments' bytes (a dropped segment is empty).
    pub(crate) data: Vec<Box<[u8]>>,
    /// Element segments' references as register bits (dropped: empty).
    pub(crate) elements: Vec<Box<[u64]>>,
    pub(crate) stacks: Stacks,
    /// The limits and the totals they bound.
    pub(crate) resources: Resources,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store")
            .field("memories", &self.memories)
            .field("tables", &self.tables.len())
            .field("globals", &self.globals)
            .field("funcs", &self.funcs.len())
            .field("instances", &self.instances.len())
            .finish_non_exhaustive()
    }
}

impl Store {
    /// An empty store whose heap is configured by `heap`.
    pub fn new(heap: HeapConfig) -> Store {
        Store {
            heap: Heap::new(heap),
            memories: Vec::new(),
            memory_max: Vec::new(),
            tables: Vec::new(),
            globals: Vec::new(),
            global_types: Vec::new(),
            funcs: Vec::new(),
            instances: Vec::new(),
            data: Vec::new(),
            elements: Vec::new(),
            stacks: Stacks {
                scalars: RegisterStack::new(0),
                cells: RegisterStack::new(None),
                slices: RegisterStack::new(None),
            },
            resources: Resources::default(),
        }
    }

    /// The limits on what the store's instances hold together.
    pub fn limits(&self) -> StoreLimits {
        self.resources.limits
    }

    /// Sets the limits; what the store already holds stays (see
    /// [`StoreLimits`]).
    pub fn set_limits(&mut self, limits: StoreLimits) -> &mut Store {
        self.resources.limits = limits;
        self
    }

    /// The bytes of all the store's memories together, as
    /// [`StoreLimits::memory_bytes`] bounds them.
    pub fn memory_bytes(&self) -> u64 {
        self.resources.memory_bytes
    }

    /// The entries of all the store's tables together, as
    /// [`StoreLimits::table_elements`] bounds them.
    pub fn table_elements(&self) -> u64 {
        self.resources.table_elements
    }

    /// An error naming the limit unless the limits let the store have one
    /// more memory of `pages` pages.
    pub fn admit_memory(&self, pages: u32) -> Result<(), String> {
        admit_count(
            "memories",
            self.memories.len(),
            self.resources.limits.memories,
        )?;
        self.resources.admit_memory_bytes(u64::from(pages) * PAGE)
    }

    /// An error naming the limit unless the limits let the store have one
    /// more table of `entries` entries.
    pub fn admit_table(&self, entries: u32) -> Result<(), String> {
        admit_count("tables", self.tables.len(), self.resources.limits.tables)?;
        self.resources.admit_table_elements(u64::from(entries))
    }

    /// An error naming the limit unless the limits let the store have one
    /// more instance.
    pub fn admit_instance(&self) -> Result<(), String> {
        admit_count(
            "instances",
            self.instances.len(),
            self.resources.limits.instances,
        )
    }

    /// The heap every memory of the store lives in.
    pub fn heap(&self) -> &Heap {
        &self.heap
    }

    /// The heap, for writing memories through the arena API.
    pub fn heap_mut(&mut self) -> &mut Heap {
        &mut self.heap
    }

    /// Adds host function `f` of type `ty`; `name` appears in its traps.
    /// Only numbers and references cross: a signature with a handle type
    /// is refused.
    pub fn define_host(
        &mut self,
        name: impl Into<String>,
        ty: FuncType,
        f: impl Fn(&mut HostContext<'_>, &[Val]) -> Result<Vec<Val>, String> + 'static,
    ) -> Result<FuncId, String> {
        self.define_host_fn(name.into(), ty, Rc::new(f))
    }

    pub(crate) fn define_host_fn(
        &mut self,
        name: String,
        ty: FuncType,
        f: HostFn,
    ) -> Result<FuncId, String> {
        if let Some(t) = ty
            .params
            .iter()
            .chain(&ty.results)
            .find(|t| t.scalar().is_none())
        {
            return Err(format!(
                "host function {name}: a {t:?} cannot cross to the host"
            ));
        }
        self.funcs.push(FuncEntity::Host { name, ty, f });
        Ok(FuncId(self.funcs.len() as u32 - 1))
    }

    /// Adds a zero-filled memory of `decl.min_pages` pages.
    pub fn alloc_memory(&mut self, decl: MemoryDecl) -> Result<MemoryId, String> {
        decl.check_limits().map_err(|e| format!("memory: {e}"))?;
        self.admit_memory(decl.min_pages)?;
        let max = decl.max_pages.unwrap_or(MAX_PAGES);
        let bytes = u64::from(decl.min_pages) * PAGE;
        let cell = Bytes::zeroed(bytes, u64::from(max) * PAGE)
            .and_then(|segment| self.heap.alloc(segment))
            .map_err(|e| e.to_string())?;
        self.memories.push(cell);
        self.memory_max.push(decl.max_pages);
        self.resources.memory_bytes += bytes;
        Ok(MemoryId(self.memories.len() as u32 - 1))
    }

    /// Adds a table of `decl.elem` references, `decl.min` entries of
    /// `init`. `decl.elements` must be empty: they would be a program's
    /// function indices, and the host has no program.
    pub fn alloc_table(&mut self, decl: &TableDecl, init: Val) -> Result<TableId, String> {
        if init.ty() != decl.elem || !decl.elem.is_ref() {
            return Err(format!(
                "a table of {:?} cannot start with {init:?}",
                decl.elem
            ));
        }
        decl.check_limits().map_err(|e| format!("table: {e}"))?;
        if !decl.elements.is_empty() {
            return Err(
                "table: a table the host allocates lists no elements (they are a program's function indices); `init` fills it"
                    .into(),
            );
        }
        self.check_ref(init)?;
        self.push_table(Table::filled(decl, init.to_bits())?)
    }

    /// Adds `table` if the limits admit it.
    pub(crate) fn push_table(&mut self, table: Table) -> Result<TableId, String> {
        let entries = table.elements.len() as u32;
        self.admit_table(entries)?;
        self.tables.push(table);
        self.resources.table_elements += u64::from(entries);
        Ok(TableId(self.tables.len() as u32 - 1))
    }

    /// Grows memory `memory` by `delta` pages, as `memory.grow` does, and
    /// returns its old size in pages; a refusal changes nothing.
    pub fn grow_memory(&mut self, memory: MemoryId, delta: u32) -> Result<u32, GrowError> {
        let bytes = u64::from(delta) * PAGE;
        let cell = self.memory_cell(memory);
        let segment = self
            .heap
            .get_mut::<Bytes>(cell)
            .map_err(|e| GrowError::Refused(format!("the memory's segment is not usable: {e}")))?;
        self.resources
            .admit_memory_bytes(bytes)
            .map_err(GrowError::Limit)?;
        let old = segment.grow(bytes).map_err(|e| {
            GrowError::Refused(format!("cannot grow the memory by {delta} pages: {e}"))
        })?;
        self.resources.memory_bytes += bytes;
        Ok((old / PAGE) as u32)
    }

    /// Grows table `table` by `delta` entries of `init`, as `table.grow`
    /// does, and returns its old size; a refusal changes nothing.
    pub fn grow_table(&mut self, table: TableId, delta: u32, init: Val) -> Result<u32, GrowError> {
        let elem = self.tables[table.0 as usize].elem;
        if init.ty() != elem {
            return Err(GrowError::Refused(format!(
                "a table of {elem:?} cannot grow with {init:?}"
            )));
        }
        self.check_ref(init).map_err(GrowError::Refused)?;
        self.resources
            .admit_table_elements(u64::from(delta))
            .map_err(GrowError::Limit)?;
        let old = self.tables[table.0 as usize]
            .grow(delta, init.to_bits())
            .ok_or_else(|| {
                GrowError::Refused(format!(
                    "cannot grow the table by {delta} entries past its maximum"
                ))
            })?;
        self.resources.table_elements += u64::from(delta);
        Ok(old)
    }

    /// Adds a global holding `value`.
    pub fn alloc_global(&mut self, value: Val, mutable: bool) -> Result<GlobalId, String> {
        self.check_ref(value)?;
        self.globals.push(value.to_bits());
        self.global_types.push(GlobalEntity {
            ty: value.ty(),
            mutable,
        });
        Ok(GlobalId(self.globals.len() as u32 - 1))
    }

    /// A function reference passed in must name a function of this store.
    fn check_ref(&self, value: Val) -> Result<(), String> {
        match value {
            Val::FuncRef(Some(f)) if f as usize >= self.funcs.len() => Err(format!(
                "function reference {f} names no function of this store"
            )),
            _ => Ok(()),
        }
    }

    /// The function a reference names, or `None` for null. A `Val`
    /// carries no store: it is taken as this store's, and naming no
    /// function of it is an error, as is a value of another type.
    pub fn func_of_ref(&self, value: Val) -> Result<Option<FuncId>, String> {
        match value {
            Val::FuncRef(f) => {
                self.check_ref(value)?;
                Ok(f.map(FuncId))
            }
            other => Err(format!("{:?} is not a function reference", other.ty())),
        }
    }

    /// The type of function `func`.
    pub fn func_type(&self, func: FuncId) -> FuncType {
        match &self.funcs[func.0 as usize] {
            FuncEntity::Vm { instance, index } => {
                self.instances[*instance as usize].program.functions[*index as usize].signature()
            }
            FuncEntity::Host { ty, .. } => ty.clone(),
        }
    }

    /// The name of function `func`: its program's name for it, or the
    /// host function's.
    pub fn func_name(&self, func: FuncId) -> &str {
        match &self.funcs[func.0 as usize] {
            FuncEntity::Vm { instance, index } => {
                &self.instances[*instance as usize].program.functions[*index as usize].name
            }
            FuncEntity::Host { name, .. } => name,
        }
    }

    /// The bytes segment of memory `memory`.
    pub fn memory_cell(&self, memory: MemoryId) -> Cell {
        self.memories[memory.0 as usize]
    }

    /// The current size and the maximum of memory `memory`, in pages, or
    /// `None` if a host function freed its segment.
    pub fn memory_pages(&self, memory: MemoryId) -> Option<(u32, u32)> {
        let segment = self.heap.get::<Bytes>(self.memory_cell(memory)).ok()?;
        Some((
            (segment.len() / PAGE) as u32,
            (segment.max_len() / PAGE) as u32,
        ))
    }

    /// The element type, size and maximum of table `table`.
    pub fn table_type(&self, table: TableId) -> (ScalarType, u32, Option<u32>) {
        let t = &self.tables[table.0 as usize];
        (t.elem, t.elements.len() as u32, t.declared_max)
    }

    /// Entry `index` of table `table`, if it exists.
    pub fn table_get(&self, table: TableId, index: u32) -> Option<Val> {
        let t = &self.tables[table.0 as usize];
        let bits = *t.elements.get(index as usize)?;
        Some(Val::from_bits(t.elem, bits))
    }

    /// The value of global `global`.
    pub fn global_get(&self, global: GlobalId) -> Val {
        let ty = self.global_types[global.0 as usize].ty;
        Val::from_bits(ty, self.globals[global.0 as usize])
    }

    /// The type and mutability of global `global`.
    pub fn global_type(&self, global: GlobalId) -> (ScalarType, bool) {
        let g = self.global_types[global.0 as usize];
        (g.ty, g.mutable)
    }

    /// Sets mutable global `global` to `value`, of its type.
    pub fn global_set(&mut self, global: GlobalId, value: Val) -> Result<(), String> {
        let g = self.global_types[global.0 as usize];
        if !g.mutable {
            return Err("the global is immutable".into());
        }
        if value.ty() != g.ty {
            return Err(format!("the global is {:?}, not {:?}", g.ty, value.ty()));
        }
        self.check_ref(value)?;
        self.globals[global.0 as usize] = value.to_bits();
        Ok(())
    }

    /// The program instance `instance` runs.
    pub fn program(&self, instance: InstanceId) -> &Rc<VerifiedProgram> {
        &self.instances[instance.0 as usize].program
    }

    /// The store function of `instance`'s defined function `index`.
    pub fn instance_func(&self, instance: InstanceId, index: u32) -> Option<FuncId> {
        self.instances[instance.0 as usize]
            .funcs
            .get(index as usize)
            .copied()
    }

    /// The store memory of `instance`'s memory `index` (imports first).
    pub fn instance_memory(&self, instance: InstanceId, index: u32) -> Option<MemoryId> {
        self.instances[instance.0 as usize]
            .memory_ids
            .get(index as usize)
            .copied()
    }

    /// What `instance` exports as `name`.
    pub fn export(&self, instance: InstanceId, name: &str) -> Option<Extern> {
        let data = &self.instances[instance.0 as usize];
        let export = data.program.exports.iter().find(|e| e.name == name)?;
        Some(data.resolve(export.item))
    }

    /// Every export of `instance`, in declaration order.
    pub fn exports(&self, instance: InstanceId) -> Vec<(String, Extern)> {
        let data = &self.instances[instance.0 as usize];
        data.program
            .exports
            .iter()
            .map(|e| (e.name.clone(), data.resolve(e.item)))
            .collect()
    }

    /// Runs function `func` with `args` and returns its results.
    pub fn invoke(
        &mut self,
        func: FuncId,
        args: &[Val],
        config: &ExecConfig,
    ) -> Result<Vec<Val>, InvokeError> {
        let entity = self
            .funcs
            .get(func.0 as usize)
            .cloned()
            .ok_or_else(|| InvokeError::Invalid(format!("no function #{}", func.0)))?;
        let ty = self.func_type(func);
        let name = self.func_name(func).to_string();
        check_args(&name, &ty.params, args, self.funcs.len())?;
        if let Some(t) = ty.results.iter().find(|t| t.scalar().is_none()) {
            return Err(InvokeError::Invalid(format!(
                "`{name}` returns a {t:?}; only numbers and references can be returned to the host"
            )));
        }
        let (instance, index) = match entity {
            FuncEntity::Vm { instance, index } => (instance, index),
            FuncEntity::Host { f, ty, name } => {
                let mut context = HostContext {
                    heap: &mut self.heap,
                    memories: &[],
                };
                let results = f(&mut context, args).map_err(|m| host_trap(&name, m))?;
                return check_host_results(&name, &ty, results, self.funcs.len())
                    .map_err(|detail| host_trap(&name, detail));
            }
        };
        let mut executor = Executor::new(self, instance, index, config.max_call_depth.max(1))
            .map_err(|stop| {
                let kind = match stop {
                    Stop::Trapped(kind, _) => kind,
                    Stop::Returned => TrapKind::CallStackExhausted,
                };
                InvokeError::Trap(Trap {
                    kind,
                    function: name.clone(),
                    instruction: 0,
                    detail: None,
                })
            })?;
        executor.set_params(args);
        let stop = match config.fuel {
            Some(mut fuel) => executor.run::<true>(&mut fuel),
            None => executor.run::<false>(&mut 0),
        };
        match stop {
            Ok(()) | Err(Stop::Returned) => Ok(std::mem::take(&mut executor.results)),
            Err(Stop::Trapped(kind, detail)) => {
                let (function, instruction) = executor.location();
                Err(InvokeError::Trap(Trap {
                    kind,
                    function,
                    instruction,
                    detail: detail.map(|d| d.0),
                }))
            }
        }
    }
}

impl InstanceData {
    /// The store entity an export of this instance names.
    fn resolve(&self, item: crate::program::ExternItem) -> Extern {
        use crate::program::ExternItem;
        match item {
            ExternItem::Func(f) => Extern::Func(self.funcs[f as usize]),
            ExternItem::Import(f) => Extern::Func(self.imports[f as usize]),
            ExternItem::Memory(m) => Extern::Memory(self.memory_ids[m as usize]),
            ExternItem::Table(t) => Extern::Table(self.tables[t as usize]),
            ExternItem::Global(g) => Extern::Global(self.globals[g as usize]),
        }
    }
}

/// A host trap outside any program function.
fn host_trap(name: &str, detail: String) -> InvokeError {
    InvokeError::Trap(Trap {
        kind: TrapKind::HostError,
        function: name.to_string(),
        instruction: 0,
        detail: Some(detail),
    })
}

/// What a host function returned, if it has the types it promised and
/// every function reference in it names one of the store's `functions`
/// (a reference to no function would reach `CallIndirect`).
pub(crate) fn check_host_results(
    name: &str,
    ty: &FuncType,
    returned: Vec<Val>,
    functions: usize,
) -> Result<Vec<Val>, String> {
    let types_match = returned.len() == ty.results.len()
        && returned
            .iter()
            .zip(&ty.results)
            .all(|(v, t)| t.scalar() == Some(v.ty()));
    if !types_match {
        return Err(format!(
            "{name} returned {returned:?}, not {:?}",
            ty.results
        ));
    }
    if let Some(f) = returned.iter().find_map(|v| match v {
        Val::FuncRef(Some(f)) if *f as usize >= functions => Some(f),
        _ => None,
    }) {
        return Err(format!(
            "{name} returned a reference to function {f}, which does not exist"
        ));
    }
    Ok(returned)
}

fn check_args(
    name: &str,
    params: &[Type],
    args: &[Val],
    functions: usize,
) -> Result<(), InvokeError> {
    if params.len() != args.len() {
        return Err(InvokeError::Invalid(format!(
            "`{name}` takes {} arguments, {} given",
            params.len(),
            args.len()
        )));
    }
    for (i, (param, arg)) in params.iter().zip(args).enumerate() {
        if param.scalar() != Some(arg.ty()) {
            return Err(InvokeError::Invalid(format!(
                "argument {i} of `{name}` must be {param:?}, got {:?}",
                arg.ty()
            )));
        }
        if let Val::FuncRef(Some(f)) = arg
            && *f as usize >= functions
        {
            return Err(InvokeError::Invalid(format!(
                "argument {i} of `{name}` names function {f}, which does not exist"
            )));
        }
    }
    Ok(())
}
