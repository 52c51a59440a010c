//! The verifier: every program is checked before it runs, and the
//! interpreter relies on what it proves.
//!
//! Proven for the program (`verify/module.rs`):
//! - memory and table limits are well formed; tables hold references;
//! - every constant expression (global initialisers, segment offsets and
//!   items) leaves one value of the type its place needs, reading only
//!   immutable globals defined before it;
//! - segments, exports and the start function name things that exist;
//!   export names are unique.
//!
//! Proven for every function (`verify/function.rs`):
//! - register counts fit the 16-bit register index, and the parameters are
//!   the first registers of their banks, with matching types;
//! - every register operand is inside its bank and has the type its opcode
//!   requires (banks are fixed by the opcode, so no integer can be read as
//!   a Cell: provenance by construction);
//! - every branch target and branch table entry names a label of the
//!   function, and labels are unique;
//! - call arguments, call results and returned values match the callee's
//!   or the function's signature, register by register;
//! - function, global, memory, table and segment indices exist, only
//!   mutable globals are written, references have their table's type, and
//!   indirect calls go through tables of function references;
//! - the last instruction does not fall through, so execution never runs
//!   off the end of the code.

mod function;
mod module;

use std::collections::HashMap;
use std::fmt;
use std::hash::Hash;

use arenavm_arenas::ArenaTag;

use crate::isa::{Instr, Pc, Reg};
use crate::program::{
    DataSegment, ElemSegment, Export, GlobalDecl, GlobalImport, HostImport, MemoryDecl,
    MemoryImport, Program, TableDecl, TableImport,
};
use crate::types::{FuncType, ScalarType, Type};
use function::FunctionVerifier;
use module::ModuleTypes;

/// The most registers one bank of a frame can have.
pub const MAX_REGISTERS: usize = 1 << 16;
/// The most pages a memory can have: 4 GiB.
pub const MAX_PAGES: u32 = 1 << 16;

/// Why a program was rejected: the function, the instruction (its index in
/// the function's code as written, labels included) and the rule broken.
/// Rules of the program as a whole name no function (`function` is empty).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyError {
    pub function: String,
    pub function_index: usize,
    pub instruction: Option<usize>,
    pub message: String,
}

impl VerifyError {
    fn program(message: String) -> VerifyError {
        VerifyError {
            function: String::new(),
            function_index: 0,
            instruction: None,
            message,
        }
    }
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.function.is_empty() && self.instruction.is_none() {
            return write!(f, "program: {}", self.message);
        }
        write!(f, "function `{}` (#{})", self.function, self.function_index)?;
        if let Some(i) = self.instruction {
            write!(f, ", instruction {i}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for VerifyError {}

/// A program that passed verification. Only [`verify`] makes one.
#[derive(Clone, Debug)]
pub struct VerifiedProgram {
    pub(crate) memories: Vec<MemoryDecl>,
    pub(crate) globals: Vec<GlobalDecl>,
    pub(crate) strings: Vec<String>,
    pub(crate) types: Vec<FuncType>,
    pub(crate) tables: Vec<TableDecl>,
    pub(crate) imports: Vec<HostImport>,
    pub(crate) memory_imports: Vec<MemoryImport>,
    pub(crate) table_imports: Vec<TableImport>,
    pub(crate) global_imports: Vec<GlobalImport>,
    pub(crate) data: Vec<DataSegment>,
    pub(crate) elements: Vec<ElemSegment>,
    pub(crate) exports: Vec<Export>,
    pub(crate) start: Option<u32>,
    pub(crate) functions: Vec<VerifiedFunction>,
    names: HashMap<String, u32>,
}

impl VerifiedProgram {
    /// The index of the function called `name`.
    pub fn function_index(&self, name: &str) -> Option<u32> {
        self.names.get(name).copied()
    }

    /// The signature of function `index`.
    pub fn signature(&self, index: u32) -> Option<(&[Type], &[Type])> {
        self.functions
            .get(index as usize)
            .map(|f| (f.params.as_slice(), f.results.as_slice()))
    }

    /// Function names in index order.
    pub fn function_names(&self) -> impl Iterator<Item = &str> {
        self.functions.iter().map(|f| f.name.as_str())
    }

    /// The function imports, in import order.
    pub fn imports(&self) -> &[HostImport] {
        &self.imports
    }

    /// The memory imports (the first memory indices).
    pub fn memory_imports(&self) -> &[MemoryImport] {
        &self.memory_imports
    }

    /// The table imports (the first table indices).
    pub fn table_imports(&self) -> &[TableImport] {
        &self.table_imports
    }

    /// The global imports (the first global indices).
    pub fn global_imports(&self) -> &[GlobalImport] {
        &self.global_imports
    }

    /// The exports, in declaration order; names are unique.
    pub fn exports(&self) -> &[Export] {
        &self.exports
    }

    /// The type of global `index` (imports first) and whether it is mutable.
    pub fn global_type(&self, index: u32) -> Option<(ScalarType, bool)> {
        let i = index as usize;
        match self.global_imports.get(i) {
            Some(g) => Some((g.ty, g.mutable)),
            None => self
                .globals
                .get(i - self.global_imports.len())
                .map(|g| (g.ty, g.mutable)),
        }
    }
}

/// A verified function: labels resolved to instruction indices.
#[derive(Clone, Debug)]
pub(crate) struct VerifiedFunction {
    pub(crate) name: String,
    pub(crate) params: Vec<Type>,
    pub(crate) results: Vec<Type>,
    pub(crate) scalars: Vec<ScalarType>,
    pub(crate) cells: Vec<ArenaTag>,
    pub(crate) slices: Vec<ArenaTag>,
    pub(crate) lists: Vec<Vec<Reg>>,
    pub(crate) branch_tables: Vec<Vec<Pc>>,
    pub(crate) code: Vec<Instr<Pc>>,
    /// For each instruction, its index in the code as written.
    pub(crate) source_index: Vec<u32>,
    /// The register of each parameter, in its bank.
    pub(crate) param_regs: Vec<Reg>,
    /// Every parameter and result is a scalar, so calls and returns move
    /// them without looking at banks.
    pub(crate) scalar_signature: bool,
    /// Every register is a scalar (so are the parameters and results):
    /// calls to it and returns from it touch only the scalar stack, which
    /// the dispatch loop does itself.
    pub(crate) scalar_frame: bool,
}

impl VerifiedFunction {
    /// The function's signature.
    pub(crate) fn signature(&self) -> FuncType {
        FuncType {
            params: self.params.clone(),
            results: self.results.clone(),
        }
    }
}

/// Verifies `program`; `T` is its branch-target form (label names or
/// builder labels).
pub fn verify<T>(program: &Program<T>) -> Result<VerifiedProgram, VerifyError>
where
    T: Clone + Eq + Hash + fmt::Display,
{
    let types = ModuleTypes::check(program).map_err(VerifyError::program)?;
    let mut names = HashMap::new();
    for (i, f) in program.functions.iter().enumerate() {
        if names.insert(f.name.clone(), i as u32).is_some() {
            return Err(VerifyError {
                function: f.name.clone(),
                function_index: i,
                instruction: None,
                message: "a function of this name is already defined".into(),
            });
        }
    }
    let functions = program
        .functions
        .iter()
        .enumerate()
        .map(|(index, function)| FunctionVerifier::new(program, &types, index, function).verify())
        .collect::<Result<Vec<_>, _>>()?;
    Ok(VerifiedProgram {
        memories: program.memories.clone(),
        globals: program.globals.clone(),
        strings: program.strings.clone(),
        types: program.types.clone(),
        tables: program.tables.clone(),
        imports: program.imports.clone(),
        memory_imports: program.memory_imports.clone(),
        table_imports: program.table_imports.clone(),
        global_imports: program.global_imports.clone(),
        data: program.data.clone(),
        elements: program.elements.clone(),
        exports: program.exports.clone(),
        start: program.start,
        functions,
        names,
    })
}
