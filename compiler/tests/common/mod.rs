//! Helpers shared by the integration tests that run the real `arenavm`
//! binary: finding the examples, running the binary and reading its
//! output, and writing scratch programs.
//!
//! Every test crate uses a different subset, hence the `dead_code` allowance.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `examples/NAME` at the workspace root.
pub fn example(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(name);
    path.to_str().expect("a UTF-8 path").to_owned()
}

pub fn arenavm(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_arenavm"))
        .args(args)
        .output()
        .expect("the arenavm binary runs")
}

pub fn stdout(output: &Output) -> &str {
    std::str::from_utf8(&output.stdout).unwrap()
}

pub fn stderr(output: &Output) -> &str {
    std::str::from_utf8(&output.stderr).unwrap()
}

/// `run OPTIONS... PROGRAM ARGS...`: options go before the program.
pub fn run_command<'a>(options: &[&'a str], program: &'a str, args: &[&'a str]) -> Vec<&'a str> {
    let mut full = vec!["run"];
    full.extend_from_slice(options);
    full.push(program);
    full.extend_from_slice(args);
    full
}

/// Runs `arenavm run OPTIONS PROGRAM ARGS`, asserts success with nothing on
/// stderr, and returns stdout.
pub fn run_ok(options: &[&str], program: &str, args: &[&str]) -> String {
    let full = run_command(options, program, args);
    let output = arenavm(&full);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{full:?}: stderr: {}",
        stderr(&output)
    );
    assert_eq!(stderr(&output), "", "{full:?}");
    stdout(&output).to_owned()
}

/// Runs `arenavm ARGS`, asserts the exit code, an empty stdout and a
/// one-line message on stderr starting with `prefix`, and returns it.
pub fn fails(args: &[&str], code: i32, prefix: &str) -> String {
    let output = arenavm(args);
    let err = stderr(&output).to_owned();
    assert_eq!(output.status.code(), Some(code), "{args:?}: {err}");
    assert!(err.starts_with(prefix), "{args:?}: {err}");
    assert!(!err.contains("panicked"), "{args:?}: {err}");
    assert_eq!(stdout(&output), "", "{args:?}");
    err
}

/// Writes `text` to a file of its own in Cargo's scratch directory for
/// integration tests.
pub fn scratch_program(name: &str, text: &str) -> String {
    scratch_file(name, text.as_bytes())
}

/// Writes `bytes` to a file of its own in Cargo's scratch directory for
/// integration tests.
pub fn scratch_file(name: &str, bytes: &[u8]) -> String {
    let path: PathBuf = [env!("CARGO_TARGET_TMPDIR"), name].iter().collect();
    std::fs::write(&path, bytes).unwrap();
    path.to_str().expect("a UTF-8 path").to_owned()
}

/// One line per value.
pub fn lines<T: ToString>(values: &[T]) -> String {
    values.iter().map(|v| v.to_string() + "\n").collect()
}
