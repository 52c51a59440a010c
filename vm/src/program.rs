//! Programs as data: what the builder produces, what RON text holds, and
//! what the verifier checks. `T` is the branch-target form: label names
//! (`String`) in text, [`Label`](crate::isa::Label)s in the builder.

use arenavm_arenas::ArenaTag;
use serde::{Deserialize, Serialize};

use crate::isa::{Instr, Reg};
use crate::types::{FuncType, ScalarType, Type};

/// A whole program.
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
    /// Function tables, for `CallIndirect` and the table instructions.
    #[serde(default)]
    pub tables: Vec<TableDecl>,
    /// Host functions the program calls with `HostCall`, resolved by module
    /// and name when the program is instantiated.
    #[serde(default)]
    pub imports: Vec<HostImport>,
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
            functions: Vec::new(),
        }
    }
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

/// A table of function references: `elements` to start (the rest of
/// `min` null), growable to `max` entries.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableDecl {
    pub min: u32,
    #[serde(default)]
    pub max: Option<u32>,
    /// Initial entries from index 0: function indices, or null.
    #[serde(default)]
    pub elements: Vec<Option<u32>>,
}

/// A host function the program imports.
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

/// A global variable.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GlobalDecl {
    pub init: Val,
    #[serde(default)]
    pub mutable: bool,
}

/// A scalar value: a global's initial value, an argument or a result.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Val {
    I32(i32),
    I64(i64),
    F32(f32),
    F64(f64),
    /// A function index, or null.
    FuncRef(Option<u32>),
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
            Val::FuncRef(None) => 0,
            Val::FuncRef(Some(f)) => u64::from(f) + 1,
        }
    }

    /// The function a `FuncRef` register's bits name: 0 is null, `f + 1`
    /// is function `f` (the inverse of [`Val::to_bits`] for references).
    pub fn func_index(bits: u64) -> Option<u32> {
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
            ScalarType::FuncRef => Val::FuncRef(Val::func_index(bits)),
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
