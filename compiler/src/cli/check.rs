//! `arenavm check`: load and verify a program without running it.

use std::process::ExitCode;

use clap::Args;

use super::program::{LoadedProgram, ProgramFile, counted, print_stdout, signature};

/// Arguments of `arenavm check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    program: ProgramFile,
}

impl CheckArgs {
    /// Verifies the program and prints a summary with each function's
    /// signature. Exit code 2 if the program cannot be read, parsed or
    /// verified.
    pub fn run(self) -> ExitCode {
        match self.program.load() {
            Ok(loaded) => print_stdout(&summary(&self.program.display().to_string(), &loaded)),
            Err(failure) => failure.report(),
        }
    }
}

/// `ok: PATH: N functions, M memories, G globals`, then one line per
/// function signature.
fn summary(path: &str, loaded: &LoadedProgram) -> String {
    let program = &loaded.program;
    let mut text = format!(
        "ok: {path}: {}, {}, {}\n",
        counted(program.functions.len(), "function", "functions"),
        counted(program.memories.len(), "memory", "memories"),
        counted(program.globals.len(), "global", "globals"),
    );
    for function in &program.functions {
        let line = signature(&function.name, &function.params, &function.results);
        text += &format!("  {line}\n");
    }
    text
}
