//! What a function body needs to know about its module: types, function
//! signatures, globals and tables, with Wasm's index spaces; and how Wasm
//! value types map to arenavm's.

use arenavm_vm::types::{FuncType, ScalarType};
use wasmparser::{HeapType, RefType, ValType};

use super::TranslateError;
use super::func::Callee;

/// A Wasm function type in arenavm scalar types.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct FuncSig {
    pub(crate) params: Vec<ScalarType>,
    pub(crate) results: Vec<ScalarType>,
}

impl FuncSig {
    pub(crate) fn to_func_type(&self) -> FuncType {
        FuncType {
            params: self.params.iter().map(|&t| t.into()).collect(),
            results: self.results.iter().map(|&t| t.into()).collect(),
        }
    }
}

/// The module as function bodies see it.
///
/// Invariants: `types` is the Wasm type section, one-to-one (every type is
/// a function type; others are refused as unsupported), and is also the
/// program's `types`; `functions`, `globals` and `tables` are Wasm's
/// index spaces, imports first.
#[derive(Clone, Debug, Default)]
pub(crate) struct ModuleEnv {
    pub(crate) types: Vec<FuncSig>,
    /// The type index of each function, imports first.
    pub(crate) functions: Vec<u32>,
    /// How many of `functions` are imports.
    pub(crate) func_imports: u32,
    pub(crate) globals: Vec<ScalarType>,
    /// Element type of each table.
    pub(crate) tables: Vec<ScalarType>,
}

impl ModuleEnv {
    /// Where Wasm function `index` lives in the program.
    pub(crate) fn callee(&self, index: u32) -> Callee {
        match index.checked_sub(self.func_imports) {
            Some(defined) => Callee::Defined(defined),
            None => Callee::Import(index),
        }
    }

    pub(crate) fn sig(&self, type_index: u32, offset: u64) -> Result<&FuncSig, TranslateError> {
        self.types
            .get(type_index as usize)
            .ok_or_else(|| TranslateError::internal(format!("no type {type_index}"), offset))
    }

    /// The signature of Wasm function `index`.
    pub(crate) fn func_sig(&self, index: u32, offset: u64) -> Result<&FuncSig, TranslateError> {
        let ty = self
            .functions
            .get(index as usize)
            .ok_or_else(|| TranslateError::internal(format!("no function {index}"), offset))?;
        self.sig(*ty, offset)
    }

    pub(crate) fn global(&self, index: u32, offset: u64) -> Result<ScalarType, TranslateError> {
        self.globals
            .get(index as usize)
            .copied()
            .ok_or_else(|| TranslateError::internal(format!("no global {index}"), offset))
    }

    pub(crate) fn table(&self, index: u32, offset: u64) -> Result<ScalarType, TranslateError> {
        self.tables
            .get(index as usize)
            .copied()
            .ok_or_else(|| TranslateError::internal(format!("no table {index}"), offset))
    }
}

/// The arenavm type of a Wasm value type.
pub(crate) fn scalar(ty: ValType, offset: u64) -> Result<ScalarType, TranslateError> {
    match ty {
        ValType::I32 => Ok(ScalarType::I32),
        ValType::I64 => Ok(ScalarType::I64),
        ValType::F32 => Ok(ScalarType::F32),
        ValType::F64 => Ok(ScalarType::F64),
        ValType::V128 => Err(TranslateError::unsupported(
            "SIMD: arenavm has no v128 values",
            offset,
        )),
        ValType::Ref(r) => reference(r, offset),
    }
}

/// The arenavm type of a Wasm reference type: `funcref` and `externref`.
pub(crate) fn reference(ty: RefType, offset: u64) -> Result<ScalarType, TranslateError> {
    if ty == RefType::FUNCREF {
        Ok(ScalarType::FuncRef)
    } else if ty == RefType::EXTERNREF {
        Ok(ScalarType::ExternRef)
    } else {
        Err(TranslateError::unsupported(
            format!("reference type {ty}: arenavm has only funcref and externref"),
            offset,
        ))
    }
}

/// The reference type whose null `ref.null ht` produces.
pub(crate) fn heap(ty: HeapType, offset: u64) -> Result<ScalarType, TranslateError> {
    match ty {
        HeapType::FUNC => Ok(ScalarType::FuncRef),
        HeapType::EXTERN => Ok(ScalarType::ExternRef),
        other => Err(TranslateError::unsupported(
            format!("heap type {other:?}: arenavm has only func and extern references"),
            offset,
        )),
    }
}

/// The arenavm types of a list of Wasm value types.
pub(crate) fn scalars(types: &[ValType], offset: u64) -> Result<Vec<ScalarType>, TranslateError> {
    types.iter().map(|&t| scalar(t, offset)).collect()
}
