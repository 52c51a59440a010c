//! The spec-script runner behind `arenavm wast`: runs WebAssembly test
//! scripts (`.wast`) through the [embedding API](crate::embed) and counts
//! what passed.
//!
//! Every directive is one check: a `module`, `register` or `invoke`
//! passes when it succeeds, an assertion when what it asserts happened
//! (for traps, when the trap is of the kind the expected message
//! describes; see `traps.rs`). Each script runs in a store of its own with
//! the standard `spectest` module. A directive that panics is counted as
//! failed with the panic's message, and the script goes on.

mod runner;
mod spectest;
mod traps;
mod values;

use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use ::wast::lexer::Lexer;
use ::wast::parser::{self, ParseBuffer};
use ::wast::{Wast, WastDirective};

use crate::wasm::Features;
use runner::Runner;

/// The outcome of one script.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// The script's name as given (a path, usually).
    pub name: String,
    /// Directives that passed.
    pub passed: usize,
    /// Directives that failed, in script order.
    pub failures: Vec<Failure>,
}

impl Report {
    /// Directives that failed.
    pub fn failed(&self) -> usize {
        self.failures.len()
    }
}

impl fmt::Display for Report {
    /// `NAME: N passed, M failed`, then one indented line per failure.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{}: {} passed, {} failed",
            self.name,
            self.passed,
            self.failed()
        )?;
        for failure in &self.failures {
            writeln!(f, "  {}:{failure}", self.name)?;
        }
        Ok(())
    }
}

/// One directive that failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// Where the directive's keyword is, from 1.
    pub line: usize,
    pub col: usize,
    /// `assert_return`, `module`...
    pub directive: &'static str,
    /// What went wrong.
    pub message: String,
}

impl fmt::Display for Failure {
    /// `LINE:COL: DIRECTIVE: MESSAGE`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}: {}",
            self.line, self.col, self.directive, self.message
        )
    }
}

/// Reads and runs the script at `path`. The error is for a script that
/// cannot be read or parsed at all.
pub fn run_file(path: &Path, features: Features) -> Result<Report, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    run_script(&path.display().to_string(), &text, features)
}

/// Runs script `text` (called `name` in messages) with modules compiled
/// under `features`. The error is for a script that does not parse.
pub fn run_script(name: &str, text: &str, features: Features) -> Result<Report, String> {
    let located = |mut e: ::wast::Error| {
        e.set_path(Path::new(name));
        e.set_text(text);
        e.to_string()
    };
    let mut lexer = Lexer::new(text);
    lexer.allow_confusing_unicode(true);
    let buffer = ParseBuffer::new_with_lexer(lexer).map_err(located)?;
    let script = parser::parse::<Wast<'_>>(&buffer).map_err(located)?;
    let mut runner = Runner::new(features).map_err(|e| e.to_string())?;
    let mut report = Report {
        name: name.to_owned(),
        ..Report::default()
    };
    for directive in script.directives {
        let (line, col) = directive.span().linecol_in(text);
        let kind = directive_name(&directive);
        let outcome = catch_unwind(AssertUnwindSafe(|| runner.run(directive)))
            .unwrap_or_else(|panic| Err(panic_message(panic.as_ref())));
        match outcome {
            Ok(()) => report.passed += 1,
            Err(message) => report.failures.push(Failure {
                line: line + 1,
                col: col + 1,
                directive: kind,
                message,
            }),
        }
    }
    Ok(report)
}

/// The directive's keyword.
pub(crate) fn directive_name(directive: &WastDirective<'_>) -> &'static str {
    match directive {
        WastDirective::Module(_) => "module",
        WastDirective::ModuleDefinition(_) => "module definition",
        WastDirective::ModuleInstance { .. } => "module instance",
        WastDirective::AssertMalformed { .. } => "assert_malformed",
        WastDirective::AssertInvalid { .. } => "assert_invalid",
        WastDirective::AssertInvalidCustom { .. } => "assert_invalid_custom",
        WastDirective::Register { .. } => "register",
        WastDirective::Invoke(_) => "invoke",
        WastDirective::AssertTrap { .. } => "assert_trap",
        WastDirective::AssertReturn { .. } => "assert_return",
        WastDirective::AssertExhaustion { .. } => "assert_exhaustion",
        WastDirective::AssertUnlinkable { .. } => "assert_unlinkable",
        WastDirective::AssertException { .. } => "assert_exception",
        WastDirective::AssertSuspension { .. } => "assert_suspension",
        WastDirective::Thread(_) => "thread",
        WastDirective::Wait { .. } => "wait",
        WastDirective::AssertMalformedCustom { .. } => "assert_malformed_custom",
    }
}

/// The text of a panic, as a failure message.
fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    let text = panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)");
    format!("panicked (an arenavm bug): {text}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Report {
        run_script("t.wast", text, Features::default()).unwrap()
    }

    #[test]
    fn a_passing_script_counts_every_directive() {
        let report = run(r#"
            (module $m
              (func (export "add") (param i32 i32) (result i32)
                local.get 0 local.get 1 i32.add)
              (func (export "div") (param i32 i32) (result i32)
                local.get 0 local.get 1 i32.div_s)
              (global (export "g") i32 (i32.const 7)))
            (assert_return (invoke "add" (i32.const 2) (i32.const 3)) (i32.const 5))
            (assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer divide by zero")
            (assert_return (get "g") (i32.const 7))
            (register "m" $m)
            (module (import "m" "add" (func (param i32 i32) (result i32))))
            (assert_unlinkable (module (import "m" "nope" (func))) "unknown import")
            (assert_invalid (module (func (result i32))) "type mismatch")
            (assert_malformed (module quote "(func") "unexpected end")
        "#);
        assert_eq!(report.failures, [], "{report}");
        assert_eq!(report.passed, 9);
    }

    #[test]
    fn failures_name_their_line_and_what_differed() {
        let report = run(
            "(module (func (export \"one\") (result i32) i32.const 1))\n\
             (assert_return (invoke \"one\") (i32.const 2))\n\
             (assert_trap (invoke \"one\") \"unreachable\")\n\
             (assert_return (invoke \"two\"))\n",
        );
        assert_eq!(report.passed, 1);
        let lines: Vec<String> = report.failures.iter().map(|f| f.to_string()).collect();
        assert_eq!(
            lines,
            [
                "2:2: assert_return: result 0: expected i32 2, got i32 1",
                "3:2: assert_trap: expected a trap \"unreachable\", but it returned [i32 1]",
                "4:2: assert_return: no exported function \"two\"",
            ]
        );
    }

    #[test]
    fn spectest_is_importable() {
        let report = run(r#"
            (module
              (import "spectest" "print_i32" (func $p (param i32)))
              (import "spectest" "global_i32" (global i32))
              (import "spectest" "table" (table 10 funcref))
              (import "spectest" "memory" (memory 1 2))
              (func (export "g") (result i32) (call $p (i32.const 1)) (global.get 0)))
            (assert_return (invoke "g") (i32.const 666))
        "#);
        assert_eq!(report.failures, [], "{report}");
    }

    #[test]
    fn unparsable_scripts_are_errors_with_a_location() {
        let e = run_script("bad.wast", "(module", Features::default()).unwrap_err();
        assert!(e.contains("bad.wast:1:"), "{e}");
    }
}
