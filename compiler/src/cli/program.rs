//! What `run`, `check` and `translate` share: the program-file argument,
//! loading it (read, parse RON, verify; or read, translate and verify a
//! Wasm module), and how a failure is reported.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use arenavm_vm::exec::{InvokeError, Trap};
use arenavm_vm::program::Program;
use arenavm_vm::types::Type;
use arenavm_vm::{VerifiedProgram, verify};
use clap::Args;

use crate::embed::{self, Module};
use crate::wasm::Features;

/// Exit code of a run whose program trapped.
const EXIT_TRAP: u8 = 1;
/// Exit code of invalid input: the file, the program or the invocation.
const EXIT_INVALID: u8 = 2;

/// The program file, a positional argument of `run` and `check`.
#[derive(Debug, Args)]
pub struct ProgramFile {
    /// The program: RON text (see `examples/`), or for `run` a WebAssembly
    /// module (a `.wasm` binary or `.wat` text).
    #[arg(value_name = "PROGRAM")]
    path: PathBuf,
}

/// A program that was read, parsed and verified.
#[derive(Debug)]
pub struct LoadedProgram {
    /// The program as written.
    pub program: Program,
    /// The verifier's output, ready to instantiate.
    pub verified: VerifiedProgram,
}

impl ProgramFile {
    /// The path as given on the command line, for messages.
    pub fn display(&self) -> std::path::Display<'_> {
        self.path.display()
    }

    /// Whether the file is a WebAssembly module: named `.wasm` or `.wat`,
    /// or starting with the binary magic `\0asm`.
    pub fn is_wasm(&self) -> bool {
        let by_name = self
            .path
            .extension()
            .is_some_and(|e| e == "wasm" || e == "wat");
        by_name || has_wasm_magic(&self.path)
    }

    /// Reads, validates, translates and verifies a WebAssembly module
    /// under `features`. Errors name the file and, for binaries, the byte.
    pub fn load_module(&self, features: Features) -> Result<Module, Failure> {
        let bytes = read_bytes(&self.path)?;
        Module::new(&bytes, &features)
            .map_err(|e| Failure::Invalid(format!("{}: {e}", self.display())))
    }

    /// Reads, parses and verifies the program. Errors name the file and,
    /// for RON syntax, the line and column; for verification, the function,
    /// instruction and rule.
    pub fn load(&self) -> Result<LoadedProgram, Failure> {
        let path = self.display();
        if has_wasm_magic(&self.path) {
            return Err(Failure::Invalid(format!(
                "{path} is a WebAssembly binary, not a RON program"
            )));
        }
        let text = std::fs::read_to_string(&self.path)
            .map_err(|e| Failure::Invalid(format!("cannot read {path}: {e}")))?;
        let program = Program::from_ron(&text).map_err(|e| {
            let at = e.span.start;
            Failure::Invalid(format!("{path}:{}:{}: {}", at.line, at.col, e.code))
        })?;
        let verified = verify(&program)
            .map_err(|e| Failure::Invalid(format!("{path}: verification failed: {e}")))?;
        Ok(LoadedProgram { program, verified })
    }
}

/// The bytes of file `path`; the error names it.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, Failure> {
    std::fs::read(path)
        .map_err(|e| Failure::Invalid(format!("cannot read {}: {e}", path.display())))
}

/// Whether the file at `path` starts with WebAssembly's binary magic.
fn has_wasm_magic(path: &Path) -> bool {
    use std::io::Read;
    let mut magic = [0; 4];
    std::fs::File::open(path)
        .and_then(|mut file| file.read_exact(&mut magic))
        .is_ok_and(|()| &magic == b"\0asm")
}

/// Why `run` or `check` stopped: printed on stderr, and mapped to the
/// exit code.
#[derive(Debug)]
pub enum Failure {
    /// The file, the program or the invocation is invalid (exit 2).
    Invalid(String),
    /// The program trapped (exit 1).
    Trap(Trap),
}

impl Failure {
    /// Prints the failure on stderr and returns its exit code.
    pub fn report(self) -> ExitCode {
        match self {
            Failure::Invalid(message) => {
                eprintln!("error: {message}");
                ExitCode::from(EXIT_INVALID)
            }
            Failure::Trap(trap) => {
                eprintln!("trap: {trap}");
                ExitCode::from(EXIT_TRAP)
            }
        }
    }
}

impl From<InvokeError> for Failure {
    fn from(error: InvokeError) -> Failure {
        match error {
            InvokeError::Trap(trap) => Failure::Trap(trap),
            InvokeError::Invalid(message) => Failure::Invalid(message),
        }
    }
}

impl From<embed::Error> for Failure {
    fn from(error: embed::Error) -> Failure {
        match error {
            embed::Error::Trap(trap) => Failure::Trap(trap),
            other => Failure::Invalid(other.to_string()),
        }
    }
}

/// Writes `text` to stdout: exit code 0, or 1 if stdout is closed (for
/// instance a pipe whose reader has gone), where `print!` would panic.
pub fn print_stdout(text: &str) -> ExitCode {
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::FAILURE,
    }
}

/// A type as users write it: `i64`, `funcref`, `cell<bytes>`.
pub fn type_name(ty: Type) -> String {
    match ty {
        Type::I32 => "i32".into(),
        Type::I64 => "i64".into(),
        Type::F32 => "f32".into(),
        Type::F64 => "f64".into(),
        Type::FuncRef => "funcref".into(),
        Type::ExternRef => "externref".into(),
        Type::Cell(arena) => format!("cell<{arena}>"),
        Type::Slice(arena) => format!("slice<{arena}>"),
    }
}

/// `name(i64, i64) -> i64`; results in parentheses when there are several,
/// no arrow when there are none.
pub fn signature(name: &str, params: &[Type], results: &[Type]) -> String {
    let list = |types: &[Type]| {
        types
            .iter()
            .map(|&ty| type_name(ty))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let arrow = match results {
        [] => String::new(),
        [one] => format!(" -> {}", type_name(*one)),
        several => format!(" -> ({})", list(several)),
    };
    format!("{name}({}){arrow}", list(params))
}

/// `n` and `noun`, plural unless `n` is 1: `1 function`, `0 memories`.
pub fn counted(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n == 1 { singular } else { plural })
}

#[cfg(test)]
mod tests {
    use super::*;
    use arenavm_vm::arenas::ArenaTag;

    #[test]
    fn signatures_read_like_declarations() {
        assert_eq!(signature("f", &[], &[]), "f()");
        assert_eq!(
            signature("fib", &[Type::I64], &[Type::I64]),
            "fib(i64) -> i64"
        );
        assert_eq!(
            signature(
                "g",
                &[Type::F32, Type::Cell(ArenaTag::Bytes)],
                &[Type::I32, Type::FuncRef]
            ),
            "g(f32, cell<bytes>) -> (i32, funcref)"
        );
        assert_eq!(type_name(Type::Slice(ArenaTag::Str)), "slice<string>");
    }

    #[test]
    fn counts_agree_with_their_noun() {
        assert_eq!(counted(0, "memory", "memories"), "0 memories");
        assert_eq!(counted(1, "memory", "memories"), "1 memory");
        assert_eq!(counted(2, "function", "functions"), "2 functions");
    }
}
