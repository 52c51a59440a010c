//! Module sections to a [`Program`].
//!
//! Index spaces stay Wasm's wherever the program model has the same one:
//! types (the program's `types` is the type section), memories, tables and
//! globals (imports first, then definitions), data and element segments.
//! Functions are split: function imports are the program's `imports`
//! (called with `CallImport`), and defined function `i` is Wasm function
//! `imports + i`.

use std::collections::HashMap;

use arenavm_vm::builder::FunctionBuilder;
use arenavm_vm::isa::{Instr, Label};
use arenavm_vm::program::{
    DataSegment, ElemSegment, Export, ExternItem, GlobalDecl, GlobalImport, HostImport, MemoryDecl,
    MemoryImport, Program, SegmentMode, TableDecl, TableImport,
};
use arenavm_vm::types::{ScalarType, Type};
use arenavm_vm::verify::MAX_PAGES;
use wasmparser::{
    CompositeInnerType, DataKind, ElementItems, ElementKind, Encoding, ExternalKind, MemoryType,
    Parser, Payload, TableInit, TableType, TypeRef,
};

use super::TranslateError;
use super::const_expr::const_expr;
use super::env::{FuncSig, ModuleEnv, reference, scalar, scalars};
use super::func::{Callee, translate_body};
use super::names::{fresh_name, function_names, read_name_section};

/// Translates a module that has passed validation.
pub(crate) fn translate_module(bytes: &[u8]) -> Result<Program<Label>, TranslateError> {
    let mut m = ModuleTranslator::default();
    for payload in Parser::new(0).parse_all(bytes) {
        m.payload(payload?)?;
    }
    m.finish()
}

#[derive(Default)]
struct ModuleTranslator {
    program: Program<Label>,
    env: ModuleEnv,
    /// Function names from the name section, by Wasm function index.
    names: HashMap<u32, String>,
    /// A start function that is a function import (the program's `start`
    /// must be a defined function, so it gets a defined trampoline).
    start_import: Option<u32>,
}

impl ModuleTranslator {
    fn payload(&mut self, payload: Payload<'_>) -> Result<(), TranslateError> {
        match payload {
            Payload::Version {
                encoding, range, ..
            } => {
                if encoding != Encoding::Module {
                    return Err(TranslateError::unsupported(
                        "components: arenavm translates core modules",
                        range.start,
                    ));
                }
            }
            Payload::TypeSection(reader) => {
                for group in reader.into_iter_with_offsets() {
                    let (offset, group) = group?;
                    for sub in group.into_types() {
                        let CompositeInnerType::Func(f) = &sub.composite_type.inner else {
                            return Err(TranslateError::unsupported(
                                "GC types: arenavm's types are function types",
                                offset,
                            ));
                        };
                        self.env.types.push(FuncSig {
                            params: scalars(f.params(), offset)?,
                            results: scalars(f.results(), offset)?,
                        });
                    }
                }
            }
            Payload::ImportSection(reader) => {
                for import in reader.into_imports_with_offsets() {
                    let (offset, import) = import?;
                    self.import(import, offset)?;
                }
            }
            Payload::FunctionSection(reader) => {
                for ty in reader {
                    self.env.functions.push(ty?);
                }
            }
            Payload::TableSection(reader) => {
                for table in reader.into_iter_with_offsets() {
                    let (offset, table) = table?;
                    if let TableInit::Expr(_) = table.init {
                        return Err(TranslateError::unsupported(
                            "a table initialiser expression (function references)",
                            offset,
                        ));
                    }
                    let decl = table_decl(&table.ty, offset)?;
                    self.env.tables.push(decl.elem);
                    self.program.tables.push(decl);
                }
            }
            Payload::MemorySection(reader) => {
                for memory in reader.into_iter_with_offsets() {
                    let (offset, memory) = memory?;
                    self.program.memories.push(memory_decl(&memory, offset)?);
                }
            }
            Payload::TagSection(reader) => {
                return Err(TranslateError::unsupported(
                    "exception tags",
                    reader.range().start,
                ));
            }
            Payload::GlobalSection(reader) => {
                for global in reader.into_iter_with_offsets() {
                    let (offset, global) = global?;
                    if global.ty.shared {
                        return Err(TranslateError::unsupported("shared globals", offset));
                    }
                    let ty = scalar(global.ty.content_type, offset)?;
                    let init = const_expr(&global.init_expr, &self.env)?;
                    self.env.globals.push(ty);
                    self.program.globals.push(GlobalDecl {
                        ty,
                        mutable: global.ty.mutable,
                        init,
                    });
                }
            }
            Payload::ExportSection(reader) => {
                for export in reader.into_iter_with_offsets() {
                    let (offset, export) = export?;
                    let item = match export.kind {
                        ExternalKind::Func | ExternalKind::FuncExact => {
                            match self.env.callee(export.index) {
                                Callee::Defined(f) => ExternItem::Func(f),
                                Callee::Import(i) => ExternItem::Import(i),
                            }
                        }
                        ExternalKind::Table => ExternItem::Table(export.index),
                        ExternalKind::Memory => ExternItem::Memory(export.index),
                        ExternalKind::Global => ExternItem::Global(export.index),
                        ExternalKind::Tag => {
                            return Err(TranslateError::unsupported("exporting a tag", offset));
                        }
                    };
                    self.program.exports.push(Export {
                        name: export.name.to_owned(),
                        item,
                    });
                }
            }
            Payload::StartSection { func, .. } => match self.env.callee(func) {
                Callee::Defined(f) => self.program.start = Some(f),
                Callee::Import(i) => self.start_import = Some(i),
            },
            Payload::ElementSection(reader) => {
                for element in reader {
                    let element = element?;
                    self.element(element)?;
                }
            }
            Payload::DataSection(reader) => {
                for data in reader {
                    let data = data?;
                    let mode = match data.kind {
                        DataKind::Passive => SegmentMode::Passive,
                        DataKind::Active {
                            memory_index,
                            offset_expr,
                        } => SegmentMode::Active {
                            index: memory_index,
                            offset: const_expr(&offset_expr, &self.env)?,
                        },
                    };
                    self.program.data.push(DataSegment {
                        bytes: data.data.to_vec(),
                        mode,
                    });
                }
            }
            Payload::CodeSectionEntry(body) => {
                let offset = body.range().start;
                let index = u32::try_from(self.program.functions.len())
                    .ok()
                    .and_then(|i| i.checked_add(self.env.func_imports))
                    .ok_or_else(|| TranslateError::too_large("too many functions", offset))?;
                let sig = self.env.func_sig(index, offset)?.clone();
                let function = translate_body(&self.env, &sig, &body, String::new())?;
                self.program.functions.push(function);
            }
            Payload::CustomSection(section) => {
                if section.name() == "name" {
                    read_name_section(&section, &mut self.names);
                }
            }
            Payload::DataCountSection { .. }
            | Payload::CodeSectionStart { .. }
            | Payload::End(_) => {}
            other => {
                return Err(TranslateError::unsupported(
                    "a section that is not part of a core module",
                    other.as_section().map_or(0, |(_, range)| range.start),
                ));
            }
        }
        Ok(())
    }

    fn import(
        &mut self,
        import: wasmparser::Import<'_>,
        offset: u64,
    ) -> Result<(), TranslateError> {
        let (module, name) = (import.module.to_owned(), import.name.to_owned());
        match import.ty {
            TypeRef::Func(ty) | TypeRef::FuncExact(ty) => {
                let sig = self.env.sig(ty, offset)?;
                let to_types =
                    |types: &[ScalarType]| types.iter().map(|&t| Type::from(t)).collect();
                let import = HostImport {
                    module,
                    name,
                    params: to_types(&sig.params),
                    results: to_types(&sig.results),
                };
                self.program.imports.push(import);
                self.env.functions.push(ty);
                self.env.func_imports += 1;
            }
            TypeRef::Table(ty) => {
                let table = table_decl(&ty, offset)?;
                self.env.tables.push(table.elem);
                self.program.table_imports.push(TableImport {
                    module,
                    name,
                    table,
                });
            }
            TypeRef::Memory(ty) => {
                let memory = memory_decl(&ty, offset)?;
                self.program.memory_imports.push(MemoryImport {
                    module,
                    name,
                    memory,
                });
            }
            TypeRef::Global(ty) => {
                if ty.shared {
                    return Err(TranslateError::unsupported("shared globals", offset));
                }
                let scalar = scalar(ty.content_type, offset)?;
                self.env.globals.push(scalar);
                self.program.global_imports.push(GlobalImport {
                    module,
                    name,
                    ty: scalar,
                    mutable: ty.mutable,
                });
            }
            TypeRef::Tag(_) => {
                return Err(TranslateError::unsupported("importing a tag", offset));
            }
        }
        Ok(())
    }

    fn element(&mut self, element: wasmparser::Element<'_>) -> Result<(), TranslateError> {
        let offset = element.range.start;
        let mode = match element.kind {
            ElementKind::Passive => SegmentMode::Passive,
            ElementKind::Declared => SegmentMode::Declared,
            ElementKind::Active {
                table_index,
                offset_expr,
            } => SegmentMode::Active {
                index: table_index.unwrap_or(0),
                offset: const_expr(&offset_expr, &self.env)?,
            },
        };
        let (ty, items) = match element.items {
            ElementItems::Functions(reader) => {
                let mut items = Vec::new();
                for index in reader {
                    let op = match self.env.callee(index?) {
                        Callee::Defined(f) => arenavm_vm::program::ConstOp::RefFunc(f),
                        Callee::Import(i) => arenavm_vm::program::ConstOp::RefImport(i),
                    };
                    items.push(arenavm_vm::program::ConstExpr(vec![op]));
                }
                (ScalarType::FuncRef, items)
            }
            ElementItems::Expressions(ty, reader) => {
                let ty = reference(ty, offset)?;
                let mut items = Vec::new();
                for expr in reader {
                    items.push(const_expr(&expr?, &self.env)?);
                }
                (ty, items)
            }
        };
        self.program.elements.push(ElemSegment { ty, items, mode });
        Ok(())
    }

    fn finish(mut self) -> Result<Program<Label>, TranslateError> {
        let names = function_names(
            self.program.functions.len(),
            self.env.func_imports,
            &self.names,
        );
        for (function, name) in self.program.functions.iter_mut().zip(names) {
            function.name = name;
        }
        if let Some(import) = self.start_import {
            self.start_trampoline(import)?;
        }
        self.program.types = self.env.types.iter().map(FuncSig::to_func_type).collect();
        Ok(self.program)
    }

    /// A defined function that calls start function import `import`, so
    /// that `start` can name it (validation made its type `[] -> []`).
    fn start_trampoline(&mut self, import: u32) -> Result<(), TranslateError> {
        let taken: Vec<String> = self
            .program
            .functions
            .iter()
            .map(|f| f.name.clone())
            .collect();
        let mut f = FunctionBuilder::new(fresh_name("start", &taken), &[], &[]);
        let (args, results) = (f.list(&[]), f.list(&[]));
        f.push(Instr::CallImport {
            import,
            args,
            results,
        });
        f.ret(&[]);
        let index = u32::try_from(self.program.functions.len())
            .map_err(|_| TranslateError::too_large("too many functions", 0))?;
        self.program.functions.push(f.finish());
        self.program.start = Some(index);
        Ok(())
    }
}

/// A table type, for a 32-bit unshared table of `funcref` or `externref`.
fn table_decl(ty: &TableType, offset: u64) -> Result<TableDecl, TranslateError> {
    if ty.table64 {
        return Err(TranslateError::unsupported(
            "64-bit tables (memory64)",
            offset,
        ));
    }
    if ty.shared {
        return Err(TranslateError::unsupported("shared tables", offset));
    }
    let limit = |n: u64| {
        u32::try_from(n)
            .map_err(|_| TranslateError::invalid("a table limit above 2^32 - 1", offset))
    };
    Ok(TableDecl {
        elem: reference(ty.element_type, offset)?,
        min: limit(ty.initial)?,
        max: ty.maximum.map(limit).transpose()?,
        elements: Vec::new(),
    })
}

/// A memory type, for a 32-bit unshared memory of 64 KiB pages.
fn memory_decl(ty: &MemoryType, offset: u64) -> Result<MemoryDecl, TranslateError> {
    if ty.memory64 {
        return Err(TranslateError::unsupported(
            "64-bit memories (memory64)",
            offset,
        ));
    }
    if ty.shared {
        return Err(TranslateError::unsupported(
            "shared memories (threads)",
            offset,
        ));
    }
    if ty.page_size_log2.is_some_and(|log2| log2 != 16) {
        return Err(TranslateError::unsupported("custom page sizes", offset));
    }
    let pages = |n: u64| {
        u32::try_from(n)
            .ok()
            .filter(|&p| p <= MAX_PAGES)
            .ok_or_else(|| TranslateError::invalid(format!("{n} pages is more than 4 GiB"), offset))
    };
    Ok(MemoryDecl {
        min_pages: pages(ty.initial)?,
        max_pages: ty.maximum.map(pages).transpose()?,
    })
}
