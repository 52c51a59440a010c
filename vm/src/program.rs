//! Programs as data: what the builder produces, what RON text holds, and
//! what the verifier checks. `T` is the branch-target form: label names
//! (`String`) in text, [`Label`](crate::isa::Label)s in the builder.

use arenavm_arenas::ArenaTag;
use serde::{Deserialize, Serialize};

use crate::isa::{Instr, Reg};
use crate::types::{FuncType, ScalarType, Type};
use crate::verify::MAX_PAGES;

/// A whole program.
///
/// Index spaces, as in WebAssembly: memory `i` is the `i`-th of
/// `memory_imports` then `memories`, and likewise for tables and globals.
/// Functions are not merged: `Call` names an entry of `functions`, and
/// `CallImport` an entry of `imports`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Program<T = String> {
    /// Linear memories: each becomes a bytes segment when the program is
    /// instantiated. Loads and stores name them by index.
    #[serde(default)]
    pub memories: Vec<MemoryDecl>,
    /// Globals, each with its type, mutability and initial value.
    #[serde(default)]
    pub globals: Vec<GlobalDecl>,
    /// String constants, named by index by `StrConst`.
    #[serde(default)]
    pub strings: Vec<String>,
    /// Function types, named by `CallIndirect` to check the callee's.
    #[serde(default)]
    pub types: Vec<FuncType>,
    /// Tables of references, for `CallIndirect` and the table instructions.
    #[serde(default)]
    pub tables: Vec<TableDecl>,
    /// Imported functions, called with `CallImport` and resolved by module
    /// and name when the program is instantiated: to a host function or to
    /// another instance's function.
    #[serde(default)]
    pub imports: Vec<HostImport>,
    /// Imported memories, the first memory indices.
    #[serde(default)]
    pub memory_imports: Vec<MemoryImport>,
    /// Imported tables, the first table indices.
    #[serde(default)]
    pub table_imports: Vec<TableImport>,
    /// Imported globals, the first global indices.
    #[serde(default)]
    pub global_imports: Vec<GlobalImport>,
    /// Data segments: bytes copied into a memory at instantiation (active)
    /// or by `MemoryInit` (passive).
    #[serde(default)]
    pub data: Vec<DataSegment>,
    /// Element segments: references copied into a table at instantiation
    /// (active) or by `TableInit` (passive).
    #[serde(default)]
    pub elements: Vec<ElemSegment>,
    /// What the program offers by name to the host and to other instances.
    #[serde(default)]
    pub exports: Vec<Export>,
    /// A function without parameters or results, run at instantiation.
    #[serde(default)]
    pub start: Option<u32>,
    /// The functions, called by index.
    pub functions: Vec<Function<T>>,
}

impl<T> Default for Program<T> {
    fn default() -> Program<T> {
        Program {
            memories: Vec::new(),
            globals: Vec::new(),
            strings: Vec::new(),
            types: Vec::new(),
            tables: Vec::new(),
            imports: Vec::new(),
            memory_imports: Vec::new(),
            table_imports: Vec::new(),
            global_imports: Vec::new(),
            data: Vec::new(),
            elements: Vec::new(),
            exports: Vec::new(),
            start: None,
            functions: Vec::new(),
        }
    }
}

/// An imported memory: whatever is bound to it must have at least
/// `memory.min_pages` pages, and a maximum no larger than `memory.max_pages`
/// if one is given.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemoryImport {
    pub module: String,
    pub name: String,
    pub memory: MemoryDecl,
}

/// An imported table, with the same limits rule as memories and the same
/// element type. `table.elements` must be empty.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableImport {
    pub module: String,
    pub name: String,
    pub table: TableDecl,
}

/// An imported global of exactly this type and mutability.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GlobalImport {
    pub module: String,
    pub name: String,
    pub ty: ScalarType,
    #[serde(default)]
    pub mutable: bool,
}

/// When a segment is applied.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SegmentMode {
    /// Only by `MemoryInit` / `TableInit`, until dropped.
    Passive,
    /// At instantiation, into memory or table `index` at `offset` (an
    /// `i32`); then dropped.
    Active { index: u32, offset: ConstExpr },
    /// Never applied: it only declares references (dropped at once).
    Declared,
}

/// A data segment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataSegment {
    pub bytes: Vec<u8>,
    pub mode: SegmentMode,
}

/// An element segment: references of type `ty` (`FuncRef` or `ExternRef`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ElemSegment {
    pub ty: ScalarType,
    pub items: Vec<ConstExpr>,
    pub mode: SegmentMode,
}

/// A named export.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Export {
    pub name: String,
    pub item: ExternItem,
}

/// What an export names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ExternItem {
    /// A defined function.
    Func(u32),
    /// A function import, re-exported.
    Import(u32),
    Memory(u32),
    Table(u32),
    Global(u32),
}

/// A constant expression, evaluated at instantiation: a stack program as
/// in WebAssembly, leaving exactly one value.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ConstExpr(pub Vec<ConstOp>);

/// The constant of a value that means the same in every store: a number
/// or a null reference. A non-null reference has none: `Val::FuncRef`
/// names a store function, where a constant names a program function
/// ([`ConstOp::RefFunc`]), and only the host makes extern references.
impl TryFrom<Val> for ConstExpr {
    type Error = String;

    fn try_from(value: Val) -> Result<ConstExpr, String> {
        let op = match value {
            Val::I32(v) => ConstOp::I32(v),
            Val::I64(v) => ConstOp::I64(v),
            Val::F32(v) => ConstOp::F32(v.to_bits()),
            Val::F64(v) => ConstOp::F64(v.to_bits()),
            Val::FuncRef(None) => ConstOp::RefNull(ScalarType::FuncRef),
            Val::ExternRef(None) => ConstOp::RefNull(ScalarType::ExternRef),
            Val::FuncRef(Some(f)) => {
                return Err(format!(
                    "store function {f} has no constant: a program names its own functions with ConstOp::RefFunc"
                ));
            }
            Val::ExternRef(Some(r)) => {
                return Err(format!(
                    "extern reference {r} has no constant: only the host makes extern references"
                ));
            }
        };
        Ok(ConstExpr(vec![op]))
    }
}

/// One operation of a [`ConstExpr`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConstOp {
    I32(i32),
    I64(i64),
    /// An `f32`, by its bits (so NaN payloads survive the text form).
    F32(u32),
    /// An `f64`, by its bits.
    F64(u64),
    /// The null reference of a reference type.
    RefNull(ScalarType),
    /// A reference to the program's defined function `f` (an index into
    /// [`Program::functions`]); it evaluates to that function's store id
    /// (see [`Val::FuncRef`]).
    RefFunc(u32),
    /// A reference to a function import.
    RefImport(u32),
    /// An immutable global defined before this expression's owner.
    GlobalGet(u32),
    I32Add,
    I32Sub,
    I32Mul,
    I64Add,
    I64Sub,
    I64Mul,
}

/// A linear memory: `min_pages` 64 KiB pages to start, growable to
/// `max_pages` (at most 65,536, i.e. 4 GiB).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemoryDecl {
    pub min_pages: u32,
    #[serde(default)]
    pub max_pages: Option<u32>,
}

impl MemoryDecl {
    /// Why the limits are ill-formed, if they are: a count past
    /// [`MAX_PAGES`], or a maximum below the minimum.
    pub fn check_limits(&self) -> Result<(), String> {
        let (min, max) = (self.min_pages, self.max_pages.unwrap_or(MAX_PAGES));
        if min > MAX_PAGES || max > MAX_PAGES {
            return Err(format!("pages {min}..{max} are not within 0..={MAX_PAGES}"));
        }
        if max < min {
            return Err(format!(
                "the maximum of {max} pages is below the minimum of {min}"
            ));
        }
        Ok(())
    }
}

/// A table of references of type `elem` (`FuncRef`, the default, or
/// `ExternRef`): `min` entries to start, growable to `max`. A program's own
/// function table may list its first `elements` (defined function indices,
/// or null); an imported table, or one the host allocates, lists none.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableDecl {
    #[serde(default = "func_ref")]
    pub elem: ScalarType,
    pub min: u32,
    #[serde(default)]
    pub max: Option<u32>,
    /// Initial entries from index 0: function indices, or null.
    #[serde(default)]
    pub elements: Vec<Option<u32>>,
}

impl TableDecl {
    /// Why the limits are ill-formed, if they are: a maximum below the
    /// minimum.
    pub fn check_limits(&self) -> Result<(), String> {
        match self.max {
            Some(max) if max < self.min => Err(format!(
                "the maximum of {max} entries is below the minimum of {}",
                self.min
            )),
            _ => Ok(()),
        }
    }
}

impl Default for TableDecl {
    fn default() -> TableDecl {
        TableDecl {
            elem: ScalarType::FuncRef,
            min: 0,
            max: None,
            elements: Vec::new(),
        }
    }
}

fn func_ref() -> ScalarType {
    ScalarType::FuncRef
}

/// A function the program imports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HostImport {
    pub module: String,
    pub name: String,
    #[serde(default)]
    pub params: Vec<Type>,
    #[serde(default)]
    pub results: Vec<Type>,
}

/// A global variable of type `ty`, initialised by `init`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GlobalDecl {
    pub ty: ScalarType,
    #[serde(default)]
    pub mutable: bool,
    pub init: ConstExpr,
}

impl GlobalDecl {
    /// A global holding `value` to start, if a constant can hold it (see
    /// [`ConstExpr`]'s `TryFrom<Val>`).
    pub fn new(value: Val, mutable: bool) -> Result<GlobalDecl, String> {
        Ok(GlobalDecl {
            ty: value.ty(),
            mutable,
            init: value.try_into()?,
        })
    }
}

/// A scalar value: a global's initial value, an argument or a result.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Val {
    I32(i32),
    I64(i64),
    F32(f32),
    F64(f64),
    /// A function reference, or null: the id of a function of the store
    /// the value lives in ([`FuncId::index`](crate::exec::FuncId::index)),
    /// never a program's function index (as `RefFunc` takes: instantiation
    /// turns those into store ids).
    FuncRef(Option<u32>),
    /// A host reference, or null.
    ExternRef(Option<u32>),
}

impl Val {
    /// The value's type.
    pub fn ty(self) -> ScalarType {
        match self {
            Val::I32(_) => ScalarType::I32,
            Val::I64(_) => ScalarType::I64,
            Val::F32(_) => ScalarType::F32,
            Val::F64(_) => ScalarType::F64,
            Val::FuncRef(_) => ScalarType::FuncRef,
            Val::ExternRef(_) => ScalarType::ExternRef,
        }
    }

    /// The register encoding (see [`ScalarValue`](crate::types::ScalarValue)).
    pub fn to_bits(self) -> u64 {
        use crate::types::ScalarValue;
        match self {
            Val::I32(v) => v.to_bits(),
            Val::I64(v) => v.to_bits(),
            Val::F32(v) => ScalarValue::to_bits(v),
            Val::F64(v) => ScalarValue::to_bits(v),
            Val::FuncRef(r) | Val::ExternRef(r) => r.map_or(0, |i| u64::from(i) + 1),
        }
    }

    /// What a reference register's bits name: 0 is null, `i + 1` is `i`
    /// (the inverse of [`Val::to_bits`] for references).
    pub fn ref_index(bits: u64) -> Option<u32> {
        bits.checked_sub(1).map(|f| f as u32)
    }

    /// Decodes a register of type `ty`.
    pub fn from_bits(ty: ScalarType, bits: u64) -> Val {
        use crate::types::ScalarValue;
        match ty {
            ScalarType::I32 => Val::I32(i32::from_bits(bits)),
            ScalarType::I64 => Val::I64(i64::from_bits(bits)),
            ScalarType::F32 => Val::F32(<f32 as ScalarValue>::from_bits(bits)),
            ScalarType::F64 => Val::F64(<f64 as ScalarValue>::from_bits(bits)),
            ScalarType::FuncRef => Val::FuncRef(Val::ref_index(bits)),
            ScalarType::ExternRef => Val::ExternRef(Val::ref_index(bits)),
        }
    }
}

/// One function: its signature, its registers by bank, and its code.
///
/// Parameters occupy the first registers of their banks, in order: the
/// first scalar parameter is scalar register 0, the first Cell parameter is
/// Cell register 0, and so on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Function<T = String> {
    pub name: String,
    #[serde(default)]
    pub params: Vec<Type>,
    #[serde(default)]
    pub results: Vec<Type>,
    /// Types of the scalar registers.
    #[serde(default)]
    pub scalars: Vec<ScalarType>,
    /// Arenas of the Cell registers.
    #[serde(default)]
    pub cells: Vec<ArenaTag>,
    /// Arenas of the slice registers.
    #[serde(default)]
    pub slices: Vec<ArenaTag>,
    /// Register lists named by `ListRef` operands (call arguments, results,
    /// returned values).
    #[serde(default)]
    pub lists: Vec<Vec<Reg>>,
    /// Branch tables named by `BrTable`; the last entry is the default.
    #[serde(default = "Vec::new")]
    pub branch_tables: Vec<Vec<T>>,
    pub code: Vec<Instr<T>>,
}

impl<T> Function<T> {
    /// The function's signature.
    pub fn signature(&self) -> FuncType {
        FuncType {
            params: self.params.clone(),
            results: self.results.clone(),
        }
    }
}

impl Program<String> {
    /// Parses the RON text form.
    /// Optional fields may be written bare (`max_pages: 16`, not
    /// `Some(16)`).
    pub fn from_ron(text: &str) -> Result<Program<String>, ron::error::SpannedError> {
        ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
            .from_str(text)
    }

    /// The RON text form.
    pub fn to_ron(&self) -> String {
        let config = ron::ser::PrettyConfig::new()
            .struct_names(false)
            .compact_arrays(true);
        match ron::ser::to_string_pretty(self, config) {
            Ok(text) => text,
            Err(e) => unreachable!("a program always serialises: {e}"),
        }
    }
}
