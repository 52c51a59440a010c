//! Running verified programs.
//!
//! An [`Instance`] owns the heap a program runs on, with one bytes segment
//! per declared memory and the globals. [`Instance::invoke`] runs one
//! function to completion or to a [`Trap`]; it never panics on a verified
//! program, and a trap leaves the instance usable.

#[macro_use]
mod arena_ops;
mod calls;
mod host;
mod stack;
#[macro_use]
mod memory;
mod executor;
mod trap;

pub use host::{HostContext, HostFn, HostFunctions};
pub use trap::{Trap, TrapKind};

use std::fmt;

use arenavm_arenas::{Bytes, Cell, Heap, HeapConfig, Slice};

use crate::program::Val;
use crate::types::ScalarType;
use crate::verify::{MAX_PAGES, VerifiedProgram};
use executor::{Executor, Stop};
use memory::PAGE;
use stack::RegisterStack;

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
pub(crate) type ScalarStack = RegisterStack<u64, { 1 << 20 }>;
pub(crate) type CellStack = RegisterStack<Option<Cell>, { 1 << 16 }>;
pub(crate) type SliceStack = RegisterStack<Option<Slice>, { 1 << 14 }>;

/// The register stacks of an instance, reused by every invocation.
#[derive(Debug)]
pub(crate) struct Stacks {
    pub(crate) scalars: ScalarStack,
    pub(crate) cells: CellStack,
    pub(crate) slices: SliceStack,
}

/// A table of function references at run time.
#[derive(Clone, Debug)]
pub(crate) struct Table {
    pub(crate) elements: Vec<Option<u32>>,
    max: u32,
}

impl Table {
    /// Most entries a table may have, whatever its declared maximum.
    const LIMIT: u32 = 10_000_000;

    /// Appends `delta` entries of `init` and returns the old size, or
    /// `None` (and no change) past the maximum.
    pub(crate) fn grow(&mut self, delta: u32, init: Option<u32>) -> Option<u32> {
        let old = self.elements.len() as u32;
        let new = old
            .checked_add(delta)
            .filter(|&n| n <= self.max.min(Self::LIMIT))?;
        self.elements.try_reserve(delta as usize).ok()?;
        self.elements.resize(new as usize, init);
        Some(old)
    }
}

/// A program's runtime state: its heap, memories, globals, tables and the
/// host functions its imports resolved to.
pub struct Instance<'p> {
    program: &'p VerifiedProgram,
    heap: Heap,
    memories: Vec<Cell>,
    globals: Vec<u64>,
    tables: Vec<Table>,
    host: Vec<HostFn>,
    stacks: Stacks,
}

impl fmt::Debug for Instance<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Instance")
            .field("memories", &self.memories)
            .field("globals", &self.globals)
            .field("tables", &self.tables)
            .finish_non_exhaustive()
    }
}

impl<'p> Instance<'p> {
    /// Creates the memories (zero-filled), globals and tables of `program`,
    /// which must import no host function.
    pub fn new(
        program: &'p VerifiedProgram,
        heap: HeapConfig,
    ) -> Result<Instance<'p>, InvokeError> {
        Instance::with_host(program, heap, &HostFunctions::new())
    }

    /// [`Instance::new`] for a program that imports host functions: each
    /// import must be defined in `host` with the same type.
    pub fn with_host(
        program: &'p VerifiedProgram,
        heap: HeapConfig,
        host: &HostFunctions,
    ) -> Result<Instance<'p>, InvokeError> {
        let host = host
            .resolve(&program.imports)
            .map_err(InvokeError::Invalid)?;
        let mut heap = Heap::new(heap);
        let memories = program
            .memories
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let max = u64::from(m.max_pages.unwrap_or(MAX_PAGES)) * PAGE;
                Bytes::zeroed(u64::from(m.min_pages) * PAGE, max)
                    .and_then(|segment| heap.alloc(segment))
                    .map_err(|e| InvokeError::Invalid(format!("memory {i}: {e}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let globals = program.globals.iter().map(|g| g.init.to_bits()).collect();
        let tables = program
            .tables
            .iter()
            .map(|t| {
                let mut elements = t.elements.clone();
                elements.resize(t.min as usize, None);
                Table {
                    elements,
                    max: t.max.unwrap_or(u32::MAX),
                }
            })
            .collect();
        Ok(Instance {
            program,
            heap,
            memories,
            globals,
            tables,
            host,
            stacks: Stacks {
                scalars: RegisterStack::new(0),
                cells: RegisterStack::new(None),
                slices: RegisterStack::new(None),
            },
        })
    }

    /// The heap, for reading what a program left behind.
    pub fn heap(&self) -> &Heap {
        &self.heap
    }

    /// The Cell of memory `index`, a bytes segment in the heap.
    pub fn memory(&self, index: u32) -> Option<Cell> {
        self.memories.get(index as usize).copied()
    }

    /// Runs the function called `name`.
    pub fn invoke_by_name(
        &mut self,
        name: &str,
        args: &[Val],
        config: &ExecConfig,
    ) -> Result<Vec<Val>, InvokeError> {
        let index = self
            .program
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
        let function = self
            .program
            .functions
            .get(func as usize)
            .ok_or_else(|| InvokeError::Invalid(format!("no function #{func}")))?;
        check_args(
            &function.name,
            &function.params,
            args,
            self.program.functions.len(),
        )?;
        if let Some(ty) = function.results.iter().find(|t| t.scalar().is_none()) {
            return Err(InvokeError::Invalid(format!(
                "`{}` returns a {ty:?}; only numbers can be returned to the host",
                function.name
            )));
        }
        let mut executor = match Executor::new(self, func, config.max_call_depth.max(1)) {
            Ok(executor) => executor,
            Err(stop) => {
                let kind = match stop {
                    Stop::Trapped(kind, _) => kind,
                    Stop::Returned => TrapKind::CallStackExhausted,
                };
                return Err(InvokeError::Trap(Trap {
                    kind,
                    function: function.name.clone(),
                    instruction: 0,
                    detail: None,
                }));
            }
        };
        executor.set_params(args);
        let stop = match config.fuel {
            Some(fuel) => {
                let mut fuel = fuel;
                executor.run::<true>(&mut fuel)
            }
            None => executor.run::<false>(&mut 0),
        };
        match stop {
            Ok(()) | Err(Stop::Returned) => Ok(std::mem::take(&mut executor.results)),
            Err(Stop::Trapped(kind, detail)) => {
                let detail = detail.map(|d| d.0);
                let (function, instruction) = executor.location();
                Err(InvokeError::Trap(Trap {
                    kind,
                    function,
                    instruction,
                    detail,
                }))
            }
        }
    }
}

fn check_args(
    name: &str,
    params: &[crate::types::Type],
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
        let expected: Option<ScalarType> = param.scalar();
        if expected != Some(arg.ty()) {
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
