//! [`Module`]: a translated and verified program, ready to instantiate in
//! any number of stores.

use std::fmt;
use std::hash::Hash;
use std::rc::Rc;

use arenavm_vm::program::{ExternItem, Program};
use arenavm_vm::types::FuncType;
use arenavm_vm::{VerifiedProgram, verify};

use super::Error;
use super::types::{ExportType, ExternType, GlobalType, ImportType, MemoryType, TableType};
use crate::wasm::{Features, parse_wat_or_wasm, translate};

/// A compiled module. Invariant: its program passed the verifier, and its
/// import and export lists describe that program.
#[derive(Clone)]
pub struct Module {
    program: Rc<VerifiedProgram>,
    imports: Vec<ImportType>,
    exports: Vec<ExportType>,
}

impl fmt::Debug for Module {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Module")
            .field("imports", &self.imports)
            .field("exports", &self.exports)
            .finish_non_exhaustive()
    }
}

impl Module {
    /// Compiles a WebAssembly module, binary or text, under `features`:
    /// validates, translates and verifies it.
    ///
    /// A module that does not parse or validate is
    /// [`Error::InvalidModule`]; a valid one arenavm cannot run is
    /// [`Error::Unsupported`].
    pub fn new(bytes: impl AsRef<[u8]>, features: &Features) -> Result<Module, Error> {
        let wasm = parse_wat_or_wasm(bytes.as_ref())?;
        let program = translate(&wasm, features.wasm_features())?;
        Module::from_verified_parts(&program)
            .map_err(|e| Error::Internal(format!("the translated module does not verify: {e}")))
    }

    /// A module from a VM program (say, one read from RON): verified here;
    /// a program the verifier refuses is [`Error::InvalidModule`].
    pub fn from_program<T>(program: &Program<T>) -> Result<Module, Error>
    where
        T: Clone + Eq + Hash + fmt::Display,
    {
        Module::from_verified_parts(program).map_err(|e| Error::InvalidModule {
            message: e.to_string(),
            offset: None,
        })
    }

    fn from_verified_parts<T>(program: &Program<T>) -> Result<Module, arenavm_vm::VerifyError>
    where
        T: Clone + Eq + Hash + fmt::Display,
    {
        let verified = verify(program)?;
        Ok(Module {
            program: Rc::new(verified),
            imports: import_types(program),
            exports: export_types(program),
        })
    }

    /// What the module imports: functions, then memories, tables and
    /// globals, each kind in its index order.
    pub fn imports(&self) -> &[ImportType] {
        &self.imports
    }

    /// What the module exports, in declaration order.
    pub fn exports(&self) -> &[ExportType] {
        &self.exports
    }

    /// The verified program.
    pub fn program(&self) -> &Rc<VerifiedProgram> {
        &self.program
    }
}

fn import_types<T>(program: &Program<T>) -> Vec<ImportType> {
    let funcs = program.imports.iter().map(|i| ImportType {
        module: i.module.clone(),
        name: i.name.clone(),
        ty: ExternType::Func(FuncType {
            params: i.params.clone(),
            results: i.results.clone(),
        }),
    });
    let memories = program.memory_imports.iter().map(|i| ImportType {
        module: i.module.clone(),
        name: i.name.clone(),
        ty: ExternType::Memory(i.memory.into()),
    });
    let tables = program.table_imports.iter().map(|i| ImportType {
        module: i.module.clone(),
        name: i.name.clone(),
        ty: ExternType::Table((&i.table).into()),
    });
    let globals = program.global_imports.iter().map(|i| ImportType {
        module: i.module.clone(),
        name: i.name.clone(),
        ty: ExternType::Global(GlobalType {
            ty: i.ty,
            mutable: i.mutable,
        }),
    });
    funcs.chain(memories).chain(tables).chain(globals).collect()
}

/// The export list of a verified program (so every index is in range; a
/// miss would be a verifier bug and yields no entry rather than a panic).
fn export_types<T>(program: &Program<T>) -> Vec<ExportType> {
    program
        .exports
        .iter()
        .filter_map(|e| {
            let ty = export_type(program, e.item)?;
            Some(ExportType {
                name: e.name.clone(),
                ty,
            })
        })
        .collect()
}

fn export_type<T>(program: &Program<T>, item: ExternItem) -> Option<ExternType> {
    Some(match item {
        ExternItem::Func(f) => ExternType::Func(program.functions.get(f as usize)?.signature()),
        ExternItem::Import(f) => {
            let i = program.imports.get(f as usize)?;
            ExternType::Func(FuncType {
                params: i.params.clone(),
                results: i.results.clone(),
            })
        }
        ExternItem::Memory(m) => {
            let m = m as usize;
            let imported = program.memory_imports.len();
            ExternType::Memory(match program.memory_imports.get(m) {
                Some(i) => i.memory.into(),
                None => MemoryType::from(*program.memories.get(m - imported)?),
            })
        }
        ExternItem::Table(t) => {
            let t = t as usize;
            let imported = program.table_imports.len();
            ExternType::Table(match program.table_imports.get(t) {
                Some(i) => (&i.table).into(),
                None => TableType::from(program.tables.get(t - imported)?),
            })
        }
        ExternItem::Global(g) => {
            let g = g as usize;
            let imported = program.global_imports.len();
            ExternType::Global(match program.global_imports.get(g) {
                Some(i) => GlobalType {
                    ty: i.ty,
                    mutable: i.mutable,
                },
                None => {
                    let d = program.globals.get(g - imported)?;
                    GlobalType {
                        ty: d.ty,
                        mutable: d.mutable,
                    }
                }
            })
        }
    })
}
