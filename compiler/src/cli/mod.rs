//! The `arenavm` command line: one clap subcommand per tool.
//!
//! Exit codes: 0 on success, 1 when a run finds a fault (for `run`, a trap;
//! for `stress`, a stale Cell accepted; for `wast`, a failed check), 2 on
//! bad input: the command line (clap's convention) and, for `run`,
//! `check`, `translate` and `wast`, the file, the program or the
//! invocation.

mod check;
mod features;
mod program;
mod run;
mod stress;
mod translate;
mod wast;

use std::fmt::Display;
use std::ops::RangeInclusive;
use std::process::ExitCode;
use std::str::FromStr;

use clap::{Parser, Subcommand};

pub use check::CheckArgs;
pub use features::FeatureArgs;
pub use run::RunArgs;
pub use stress::StressArgs;
pub use translate::TranslateArgs;
pub use wast::WastArgs;

/// arenavm: a register VM whose memory is typed arenas reached only through
/// generation-checked Cells.
#[derive(Debug, Parser)]
#[command(name = "arenavm", version, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load, verify and run a function of a RON program or an exported
    /// function of a WebAssembly module, and print its results, one per
    /// line.
    Run(RunArgs),
    /// Load and verify a RON program without running it; list its
    /// functions.
    Check(CheckArgs),
    /// Hammer arena slots through many generation wraparounds and check that
    /// no stale Cell is ever accepted again.
    Stress(StressArgs),
    /// Translate a WebAssembly module and print the VM program as RON.
    Translate(TranslateArgs),
    /// Run WebAssembly spec scripts (.wast) and count the checks that pass.
    Wast(WastArgs),
}

impl Cli {
    /// Runs the chosen subcommand and returns the process exit code.
    pub fn run(self) -> ExitCode {
        match self.command {
            Command::Run(args) => args.run(),
            Command::Check(args) => args.run(),
            Command::Stress(args) => args.run(),
            Command::Translate(args) => args.run(),
            Command::Wast(args) => args.run(),
        }
    }
}

/// Parses a whole number in `range`, allowing `_` as a digit separator
/// (`10_000_000`). The error states the range; clap prefixes it with the
/// argument's name.
fn parse_in_range<T>(text: &str, range: RangeInclusive<T>) -> Result<T, String>
where
    T: FromStr + PartialOrd + Display,
{
    let digits: String = text.chars().filter(|&c| c != '_').collect();
    match digits.parse::<T>() {
        Ok(value) if range.contains(&value) => Ok(value),
        _ => Err(range_error(&range)),
    }
}

/// The message for a value outside `range`.
fn range_error<T: Display>(range: &RangeInclusive<T>) -> String {
    format!(
        "must be a whole number from {} to {}",
        range.start(),
        range.end()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_in_range_accepts_separators_and_states_the_range() {
        assert_eq!(parse_in_range("10_000", 1u64..=u64::MAX), Ok(10_000));
        assert_eq!(parse_in_range("24", 1u8..=24), Ok(24));
        for bad in ["0", "25", "-1", "x", "", "1.5", "300"] {
            assert_eq!(
                parse_in_range(bad, 1u8..=24),
                Err("must be a whole number from 1 to 24".to_string()),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn the_command_line_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
