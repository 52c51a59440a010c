//! The types of what modules import and export, as a host sees them.

use std::fmt;

use arenavm_vm::program::{MemoryDecl, TableDecl};
use arenavm_vm::types::{FuncType, ScalarType};

/// A memory's limits, in 64 KiB pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemoryType {
    pub min: u32,
    pub max: Option<u32>,
}

impl MemoryType {
    /// A memory of `min` pages, growable to `max`.
    pub fn new(min: u32, max: Option<u32>) -> MemoryType {
        MemoryType { min, max }
    }
}

impl From<MemoryDecl> for MemoryType {
    fn from(decl: MemoryDecl) -> MemoryType {
        MemoryType::new(decl.min_pages, decl.max_pages)
    }
}

impl From<MemoryType> for MemoryDecl {
    fn from(ty: MemoryType) -> MemoryDecl {
        MemoryDecl {
            min_pages: ty.min,
            max_pages: ty.max,
        }
    }
}

/// A table's element type (`FuncRef` or `ExternRef`) and limits, in
/// entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TableType {
    pub elem: ScalarType,
    pub min: u32,
    pub max: Option<u32>,
}

impl TableType {
    /// A table of `elem` references, `min` entries to start, growable to
    /// `max`.
    pub fn new(elem: ScalarType, min: u32, max: Option<u32>) -> TableType {
        TableType { elem, min, max }
    }
}

impl From<&TableDecl> for TableType {
    fn from(decl: &TableDecl) -> TableType {
        TableType::new(decl.elem, decl.min, decl.max)
    }
}

impl From<TableType> for TableDecl {
    fn from(ty: TableType) -> TableDecl {
        TableDecl {
            elem: ty.elem,
            min: ty.min,
            max: ty.max,
            elements: Vec::new(),
        }
    }
}

/// A global's value type and mutability.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GlobalType {
    pub ty: ScalarType,
    pub mutable: bool,
}

/// The type of an import or export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExternType {
    Func(FuncType),
    Memory(MemoryType),
    Table(TableType),
    Global(GlobalType),
}

impl ExternType {
    /// `function`, `memory`, `table` or `global`.
    pub fn kind(&self) -> &'static str {
        match self {
            ExternType::Func(_) => "function",
            ExternType::Memory(_) => "memory",
            ExternType::Table(_) => "table",
            ExternType::Global(_) => "global",
        }
    }
}

impl fmt::Display for ExternType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExternType::Func(ty) => write!(f, "function {:?} -> {:?}", ty.params, ty.results),
            ExternType::Memory(m) => write!(f, "memory of {} pages, at most {:?}", m.min, m.max),
            ExternType::Table(t) => write!(
                f,
                "table of {:?}, {} entries, at most {:?}",
                t.elem, t.min, t.max
            ),
            ExternType::Global(g) => {
                let mutability = if g.mutable { "mutable " } else { "" };
                write!(f, "{mutability}global {:?}", g.ty)
            }
        }
    }
}

/// One import of a module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportType {
    pub module: String,
    pub name: String,
    pub ty: ExternType,
}

/// One export of a module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportType {
    pub name: String,
    pub ty: ExternType,
}
