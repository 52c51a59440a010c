//! `arenavm translate`: translate a WebAssembly module and print the VM
//! program as RON, the form `arenavm check` and `arenavm run` read.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::features::FeatureArgs;
use super::program::{Failure, print_stdout, read_bytes};
use crate::wasm::{parse_wat_or_wasm, translate};

/// Arguments of `arenavm translate`.
#[derive(Debug, Args)]
pub struct TranslateArgs {
    #[command(flatten)]
    features: FeatureArgs,

    /// The module: a `.wasm` binary or `.wat` text.
    #[arg(value_name = "MODULE")]
    module: PathBuf,
}

impl TranslateArgs {
    /// Prints the program, or `error: ...` and exit code 2 for a module
    /// that cannot be read or translated.
    pub fn run(self) -> ExitCode {
        match self.ron() {
            Ok(text) => print_stdout(&text),
            Err(failure) => failure.report(),
        }
    }

    fn ron(&self) -> Result<String, Failure> {
        let bytes = read_bytes(&self.module)?;
        let path = self.module.display();
        let wasm =
            parse_wat_or_wasm(&bytes).map_err(|e| Failure::Invalid(format!("{path}: {e}")))?;
        let program = translate(&wasm, self.features.features().wasm_features())
            .map_err(|e| Failure::Invalid(format!("{path}: {e}")))?;
        Ok(program.into_text().to_ron() + "\n")
    }
}
