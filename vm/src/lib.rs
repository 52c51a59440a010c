//! The arenavm register VM.
//!
//! Not built yet: the instruction set, verifier and interpreter arrive with
//! the VM issue. Until then this crate only re-exports the memory it will
//! run on, so that dependents can already name one path for it.

#![forbid(unsafe_code)]

pub use arenavm_arenas as arenas;
