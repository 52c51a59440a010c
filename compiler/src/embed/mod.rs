//! The embedding API: run WebAssembly modules from Rust, in the shape
//! Wasm embedders know (wasmtime, wasmi), as a thin layer over the VM's
//! [`Store`](arenavm_vm::exec::Store).
//!
//! - [`Module`]: a module validated, translated and verified once;
//! - [`Store`]: the runtime state of a group of instances (one heap holds
//!   all their memories), the limits calls run under and the
//!   [`StoreLimits`] on what they hold together;
//! - [`Linker`]: host functions and other instances' exports by module
//!   and name, and [`Linker::instantiate`];
//! - [`Instance`]: exports by name, as [`Func`], [`Memory`], [`Table`] and
//!   [`Global`] handles, and typed calls through [`TypedFunc`];
//!   [`Func::from_ref`] makes a handle of a function reference;
//! - [`Error`]: every refusal, typed.
//!
//! ```
//! use arenavm_compiler::embed::{Linker, Module, Store, Val};
//! use arenavm_compiler::wasm::Features;
//!
//! let module = Module::new(r#"(module
//!     (import "host" "double" (func $double (param i32) (result i32)))
//!     (memory (export "mem") 1)
//!     (func (export "run") (param i32) (result i32)
//!         (i32.store (i32.const 0) (call $double (local.get 0)))
//!         (i32.load (i32.const 0))))"#, &Features::default())?;
//! let mut linker = Linker::new();
//! linker.func_wrap("host", "double", |x: i32| x * 2);
//! let mut store = Store::new();
//! let instance = linker.instantiate(&mut store, &module)?;
//! let run = instance.get_func(&store, "run").unwrap();
//! assert_eq!(run.call(&mut store, &[Val::I32(21)])?, [Val::I32(42)]);
//! let mut word = [0; 4];
//! instance.get_memory(&store, "mem").unwrap().read(&store, 0, &mut word)?;
//! assert_eq!(i32::from_le_bytes(word), 42);
//! # Ok::<(), arenavm_compiler::embed::Error>(())
//! ```
//!
//! Handles are plain copyable ids of one store; using one with another
//! store is an [`Error::Usage`], never a panic.

mod error;
mod externs;
mod func;
mod global;
mod instance;
mod linker;
mod memory;
mod module;
mod store;
mod table;
mod typed;
mod types;

pub use arenavm_vm::exec::{ExecConfig, StoreLimits, Trap, TrapKind};
pub use arenavm_vm::program::Val;
pub use arenavm_vm::types::{FuncType, ScalarType, Type};
pub use error::Error;
pub use externs::Extern;
pub use func::{Caller, Func, HostFunc};
pub use global::Global;
pub use instance::Instance;
pub use linker::Linker;
pub use memory::{Memory, PAGE_SIZE};
pub use module::Module;
pub use store::{Store, StoreId};
pub use table::Table;
pub use typed::{TypedFunc, WasmTy, WasmTypeList};
pub use types::{ExportType, ExternType, GlobalType, ImportType, MemoryType, TableType};
