//! `arenavm wast`: run WebAssembly spec scripts and count what passed.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::features::FeatureArgs;
use crate::wast::run_file;

/// Exit code when an assertion failed.
const EXIT_FAILED: u8 = 1;
/// Exit code when a script could not be read or parsed.
const EXIT_INVALID: u8 = 2;

/// Arguments of `arenavm wast`.
#[derive(Debug, Args)]
pub struct WastArgs {
    #[command(flatten)]
    features: FeatureArgs,

    /// The scripts, each run in a store of its own.
    #[arg(value_name = "FILE.wast", required = true)]
    files: Vec<PathBuf>,
}

impl WastArgs {
    /// Runs every script and prints, for each, `FILE: N passed, M failed`
    /// and its failures; then the totals as `N passed, M failed`. Exit code
    /// 0 if everything passed, 1 if a check failed, 2 if a script could not
    /// be read or parsed (reported as `error: ...` on stderr).
    pub fn run(self) -> ExitCode {
        let features = self.features.features();
        let (mut passed, mut failed, mut invalid) = (0, 0, false);
        let mut out = std::io::stdout().lock();
        for path in &self.files {
            match run_file(path, features) {
                Ok(report) => {
                    passed += report.passed;
                    failed += report.failed();
                    if write!(out, "{report}").is_err() {
                        return ExitCode::FAILURE;
                    }
                }
                Err(message) => {
                    eprintln!("error: {message}");
                    invalid = true;
                }
            }
        }
        if writeln!(out, "{passed} passed, {failed} failed").is_err() {
            return ExitCode::FAILURE;
        }
        if invalid {
            ExitCode::from(EXIT_INVALID)
        } else if failed > 0 {
            ExitCode::from(EXIT_FAILED)
        } else {
            ExitCode::SUCCESS
        }
    }
}
