//! The `arenavm` command. Everything lives in the library; see [`arenavm_compiler::cli`].

#![forbid(unsafe_code)]

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    arenavm_compiler::cli::Cli::parse().run()
}
