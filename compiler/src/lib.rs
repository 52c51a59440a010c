//! The `arenavm` command and the engines behind its subcommands.
//!
//! - [`cli`]: the command line (clap) and each subcommand's output;
//! - [`stress`]: the generation-wraparound stress engine behind
//!   `arenavm stress`, usable (and tested) as a library;
//! - [`wasm`]: the WebAssembly translator, from a Wasm module to a
//!   program;
//! - [`embed`]: the embedding API (modules, stores, linkers, instances,
//!   typed calls) over the VM's store;
//! - [`wast`](mod@wast): the spec-script runner behind `arenavm wast`.

#![forbid(unsafe_code)]

pub mod cli;
pub mod embed;
pub mod stress;
pub mod wasm;
pub mod wast;
