//! The WebAssembly translator: `.wat` snippets are translated, verified
//! and, when they import nothing, run and checked against WebAssembly's
//! answers. One property per test.

mod common;

mod arithmetic;
mod calls;
mod code_shape;
mod control;
mod malformed;
mod memory;
mod module;
mod tables;
