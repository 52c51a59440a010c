//! The WebAssembly translator: a Wasm module becomes an arenavm
//! [`Program`].
//!
//! ```
//! use arenavm_compiler::wasm::{Features, parse_wat_or_wasm, translate};
//! use arenavm_vm::exec::{ExecConfig, Instance};
//! use arenavm_vm::program::Val;
//!
//! let wasm = parse_wat_or_wasm(br#"(module
//!     (func (export "add") (param i32 i32) (result i32)
//!         local.get 0 local.get 1 i32.add))"#).unwrap();
//! let program = translate(&wasm, Features::default().into()).unwrap();
//! let verified = arenavm_vm::verify(&program).unwrap();
//! let mut instance = Instance::new(&verified, Default::default()).unwrap();
//! let sum = instance.invoke_by_name("func0", &[Val::I32(2), Val::I32(40)], &ExecConfig::default());
//! assert_eq!(sum, Ok(vec![Val::I32(42)]));
//! ```
//!
//! The module is validated by wasmparser under the chosen [`Features`]
//! first; only a valid module is translated. What a module is made of
//! maps as follows:
//!
//! | Wasm | arenavm program |
//! |---|---|
//! | type section | `types`, one to one (`CallIndirect`'s `sig` is the Wasm type index) |
//! | function imports | `imports`, called with `CallImport` |
//! | defined functions | `functions`: defined function `i` is Wasm function `imports + i`, named from the name section when unique, else `func{wasm index}` |
//! | memories, tables, globals | `memory_imports` / `table_imports` / `global_imports`, then `memories` / `tables` / `globals`: Wasm's index spaces |
//! | data and element segments | `data`, `elements`, one to one, with their mode |
//! | exports | `exports` (a function is `Func(defined)` or `Import(import)`) |
//! | start | `start`; a start function that is an import gets a defined trampoline named `start` |
//!
//! Function bodies are translated in one pass (see the `func` module):
//! locals and stack values become typed registers, `local.get` and
//! constants emit nothing, and comparisons fuse into the branches that
//! test them.
//!
//! Every refusal is a [`TranslateError`]; no input makes the translator
//! panic.

mod const_expr;
mod env;
mod error;
mod features;
mod func;
mod module;
mod names;

use arenavm_vm::isa::Label;
use arenavm_vm::program::Program;
use wasmparser::{Validator, WasmFeatures};

pub use error::TranslateError;
pub use features::{Features, UnknownFeature};

/// Validates `bytes`, a binary module, under `features`, and translates it.
///
/// Translation starts only once the whole module has validated: a
/// malformed or invalid module is [`TranslateError::Invalid`]; a valid one
/// that uses what arenavm lacks is [`TranslateError::Unsupported`].
pub fn translate(bytes: &[u8], features: WasmFeatures) -> Result<Program<Label>, TranslateError> {
    Validator::new_with_features(features).validate_all(bytes)?;
    module::translate_module(bytes)
}

/// The binary module of `bytes`: WebAssembly text is parsed with the `wat`
/// crate, a binary (starting with `\0asm`) is passed through unchanged.
pub fn parse_wat_or_wasm(bytes: &[u8]) -> Result<Vec<u8>, TranslateError> {
    Ok(wat::parse_bytes(bytes)?.into_owned())
}
