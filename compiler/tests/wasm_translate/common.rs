//! Translating, verifying and running modules.

use arenavm_compiler::wasm::{Features, TranslateError, parse_wat_or_wasm, translate};
use arenavm_vm::exec::{ExecConfig, Instance, InvokeError, TrapKind};
use arenavm_vm::isa::{Instr, Label};
use arenavm_vm::program::{ExternItem, Program, Val};
use arenavm_vm::verify;

/// The program of `wat`, under the default features; panics with the
/// error if it does not translate.
pub fn program(wat: &str) -> Program<Label> {
    try_program(wat).unwrap_or_else(|e| panic!("{e}"))
}

pub fn try_program(wat: &str) -> Result<Program<Label>, TranslateError> {
    let wasm = parse_wat_or_wasm(wat.as_bytes())?;
    translate(&wasm, Features::default().into())
}

/// A module instantiated, with its exports callable by name.
pub struct Module {
    program: Program<Label>,
    instance: Instance,
}

impl Module {
    /// Translates, verifies and instantiates `wat`, which imports nothing.
    pub fn new(wat: &str) -> Module {
        let program = program(wat);
        let verified = verify(&program).unwrap_or_else(|e| panic!("{e}\n{:#?}", program.functions));
        let instance = Instance::new(&verified, Default::default())
            .unwrap_or_else(|e| panic!("instantiation: {e}"));
        Module { program, instance }
    }

    /// Calls the exported function `name`.
    pub fn call(&mut self, name: &str, args: &[Val]) -> Result<Vec<Val>, InvokeError> {
        let func = self
            .program
            .exports
            .iter()
            .find_map(|e| match e.item {
                ExternItem::Func(f) if e.name == name => Some(f),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no exported function `{name}`"));
        self.instance.invoke(func, args, &ExecConfig::default())
    }

    /// Calls `name` and expects one result.
    pub fn get(&mut self, name: &str, args: &[Val]) -> Val {
        match self.call(name, args) {
            Ok(results) if results.len() == 1 => results[0],
            other => panic!("{name}({args:?}) = {other:?}"),
        }
    }

    /// Calls `name` and expects a trap of `kind`.
    pub fn traps(&mut self, name: &str, args: &[Val], kind: TrapKind) {
        match self.call(name, args) {
            Err(InvokeError::Trap(trap)) => assert_eq!(trap.kind, kind, "{name}: {trap}"),
            other => panic!("{name}({args:?}) should trap with {kind:?}, got {other:?}"),
        }
    }

    pub fn program(&self) -> &Program<Label> {
        &self.program
    }
}

/// The instructions of the function called `name`, labels excluded.
pub fn code(program: &Program<Label>, name: &str) -> Vec<Instr<Label>> {
    program
        .functions
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no function `{name}`"))
        .code
        .iter()
        .filter(|i| !matches!(i, Instr::Label { .. }))
        .cloned()
        .collect()
}

pub fn i32(v: i32) -> Val {
    Val::I32(v)
}

pub fn i64(v: i64) -> Val {
    Val::I64(v)
}
