//! The arenavm register VM.
//!
//! - [`isa`]: the instruction set, defined once in a table;
//! - [`program`]: programs as data (RON text, builder output);
//! - [`builder`]: emitting programs from Rust, with labels;
//! - [`verify`](mod@verify): the verifier every program passes before it runs;
//! - [`exec`]: the interpreter and its traps;
//! - [`semantics`]: WebAssembly's numeric semantics, one function per
//!   numeric instruction.
//!
//! ```
//! use arenavm_vm::{exec::{ExecConfig, Instance}, program::{Program, Val}, verify};
//!
//! let text = r#"(functions: [(
//!     name: "double", params: [I64], results: [I64], scalars: [I64],
//!     lists: [[0]],
//!     code: [I64Add(dst: 0, a: 0, b: 0), Return(values: 0)],
//! )])"#;
//! let program = verify(&Program::from_ron(text).unwrap()).unwrap();
//! let mut instance = Instance::new(&program, Default::default()).unwrap();
//! let out = instance.invoke_by_name("double", &[Val::I64(21)], &ExecConfig::default());
//! assert_eq!(out, Ok(vec![Val::I64(42)]));
//! ```

#![forbid(unsafe_code)]

pub use arenavm_arenas as arenas;

pub mod builder;
pub mod exec;
pub mod isa;
pub mod program;
pub mod semantics;
pub mod types;
pub mod verify;

pub use verify::{VerifiedProgram, VerifyError, verify};
