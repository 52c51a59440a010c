//! Rules of the program as a whole: limits, imports, constant expressions,
//! segments, exports and the start function. What functions need of it
//! (the type of each global, table and segment) is kept in [`ModuleTypes`].

use std::collections::HashSet;

use crate::program::{ConstExpr, ConstOp, ExternItem, MemoryDecl, Program, SegmentMode, TableDecl};
use crate::types::ScalarType;

/// The index spaces of a program, as functions see them.
#[derive(Debug)]
pub(super) struct ModuleTypes {
    /// Each global (imports first): its type and mutability.
    pub(super) globals: Vec<(ScalarType, bool)>,
    /// Each table's element type (imports first).
    pub(super) tables: Vec<ScalarType>,
    /// How many memories there are (imports included).
    pub(super) memories: usize,
    /// Each element segment's reference type.
    pub(super) elements: Vec<ScalarType>,
    /// How many data segments there are.
    pub(super) data: usize,
}

impl ModuleTypes {
    /// Checks the program-wide rules; the message names the item at fault.
    pub(super) fn check<T>(program: &Program<T>) -> Result<ModuleTypes, String> {
        let memories = program
            .memory_imports
            .iter()
            .map(|m| (format!("memory import {}.{}", m.module, m.name), &m.memory))
            .chain(
                program
                    .memories
                    .iter()
                    .enumerate()
                    .map(|(i, m)| (format!("memory {i}"), m)),
            );
        for (what, m) in memories {
            check_memory(&what, m)?;
        }
        let functions = program.functions.len();
        for import in &program.table_imports {
            let what = format!("table import {}.{}", import.module, import.name);
            if !import.table.elements.is_empty() {
                return Err(format!("{what}: an imported table lists no elements"));
            }
            check_table(&what, &import.table, functions)?;
        }
        for (i, t) in program.tables.iter().enumerate() {
            check_table(&format!("table {i}"), t, functions)?;
        }
        for import in &program.imports {
            if let Some(ty) = import
                .params
                .iter()
                .chain(&import.results)
                .find(|t| t.scalar().is_none())
            {
                return Err(format!(
                    "import {}.{}: a {ty:?} cannot cross an import; only numbers and references can",
                    import.module, import.name
                ));
            }
        }

        let mut types = ModuleTypes {
            globals: program
                .global_imports
                .iter()
                .map(|g| (g.ty, g.mutable))
                .collect(),
            tables: program
                .table_imports
                .iter()
                .map(|t| t.table.elem)
                .chain(program.tables.iter().map(|t| t.elem))
                .collect(),
            memories: program.memory_imports.len() + program.memories.len(),
            elements: Vec::new(),
            data: program.data.len(),
        };
        let context = ExprContext {
            functions,
            imports: program.imports.len(),
        };
        for (i, g) in program.globals.iter().enumerate() {
            let ty = const_expr_type(&g.init, &types.globals, context)
                .map_err(|e| format!("global {i}: {e}"))?;
            if ty != g.ty {
                return Err(format!(
                    "global {i} is {:?}, but its initialiser is {ty:?}",
                    g.ty
                ));
            }
            types.globals.push((g.ty, g.mutable));
        }
        for (i, segment) in program.elements.iter().enumerate() {
            let what = format!("element segment {i}");
            if !segment.ty.is_ref() {
                return Err(format!("{what} holds {:?}, not references", segment.ty));
            }
            for (j, item) in segment.items.iter().enumerate() {
                let ty = const_expr_type(item, &types.globals, context)
                    .map_err(|e| format!("{what}, item {j}: {e}"))?;
                if ty != segment.ty {
                    return Err(format!("{what}, item {j} is {ty:?}, not {:?}", segment.ty));
                }
            }
            if let SegmentMode::Active { index, offset } = &segment.mode {
                let table = types.tables.get(*index as usize).ok_or_else(|| {
                    format!("{what} initialises table {index}, which does not exist")
                })?;
                if *table != segment.ty {
                    return Err(format!(
                        "{what} holds {:?} but table {index} holds {table:?}",
                        segment.ty
                    ));
                }
                types.offset(offset, context, &what)?;
            }
            types.elements.push(segment.ty);
        }
        for (i, segment) in program.data.iter().enumerate() {
            let what = format!("data segment {i}");
            match &segment.mode {
                SegmentMode::Active { index, offset } => {
                    if *index as usize >= types.memories {
                        return Err(format!(
                            "{what} initialises memory {index}, which does not exist"
                        ));
                    }
                    types.offset(offset, context, &what)?;
                }
                SegmentMode::Passive => {}
                SegmentMode::Declared => {
                    return Err(format!(
                        "{what} is declarative; only element segments can be"
                    ));
                }
            }
        }
        types.check_exports(program)?;
        if let Some(start) = program.start {
            let f = program
                .functions
                .get(start as usize)
                .ok_or_else(|| format!("start function {start} does not exist"))?;
            if !f.params.is_empty() || !f.results.is_empty() {
                return Err(format!(
                    "start function `{}` must take and return nothing",
                    f.name
                ));
            }
        }
        Ok(types)
    }

    fn offset(&self, offset: &ConstExpr, context: ExprContext, what: &str) -> Result<(), String> {
        match const_expr_type(offset, &self.globals, context) {
            Ok(ScalarType::I32) => Ok(()),
            Ok(other) => Err(format!("{what}: the offset is {other:?}, not I32")),
            Err(e) => Err(format!("{what}: offset: {e}")),
        }
    }

    fn check_exports<T>(&self, program: &Program<T>) -> Result<(), String> {
        let mut names = HashSet::new();
        for export in &program.exports {
            if !names.insert(export.name.as_str()) {
                return Err(format!("export `{}` is defined twice", export.name));
            }
            let (len, what, index) = match export.item {
                ExternItem::Func(f) => (program.functions.len(), "function", f),
                ExternItem::Import(f) => (program.imports.len(), "function import", f),
                ExternItem::Memory(m) => (self.memories, "memory", m),
                ExternItem::Table(t) => (self.tables.len(), "table", t),
                ExternItem::Global(g) => (self.globals.len(), "global", g),
            };
            if index as usize >= len {
                return Err(format!(
                    "export `{}` names {what} {index}, which does not exist",
                    export.name
                ));
            }
        }
        Ok(())
    }
}

fn check_memory(what: &str, m: &MemoryDecl) -> Result<(), String> {
    m.check_limits().map_err(|e| format!("{what}: {e}"))
}

fn check_table(what: &str, t: &TableDecl, functions: usize) -> Result<(), String> {
    if !t.elem.is_ref() {
        return Err(format!("{what} holds {:?}, not references", t.elem));
    }
    t.check_limits().map_err(|e| format!("{what}: {e}"))?;
    if t.elements.len() > t.min as usize {
        return Err(format!(
            "{what}: {} elements in a table of {} entries",
            t.elements.len(),
            t.min
        ));
    }
    if !t.elements.is_empty() && t.elem != ScalarType::FuncRef {
        return Err(format!("{what}: only function tables list elements"));
    }
    if let Some(f) = t
        .elements
        .iter()
        .flatten()
        .find(|&&f| f as usize >= functions)
    {
        return Err(format!("{what} names function {f}, which does not exist"));
    }
    Ok(())
}

/// What a constant expression may name besides globals.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ExprContext {
    pub(crate) functions: usize,
    pub(crate) imports: usize,
}

/// The type of the one value `expr` leaves, reading globals of
/// `globals` (those defined before it) that are immutable.
pub(crate) fn const_expr_type(
    expr: &ConstExpr,
    globals: &[(ScalarType, bool)],
    context: ExprContext,
) -> Result<ScalarType, String> {
    use ScalarType::{I32, I64};
    let mut stack = Vec::new();
    for op in &expr.0 {
        let binary = |stack: &mut Vec<ScalarType>, ty: ScalarType| {
            let (b, a) = (stack.pop(), stack.pop());
            if a == Some(ty) && b == Some(ty) {
                stack.push(ty);
                Ok(())
            } else {
                Err(format!("{op:?} needs two {ty:?} operands"))
            }
        };
        match *op {
            ConstOp::I32(_) => stack.push(I32),
            ConstOp::I64(_) => stack.push(I64),
            ConstOp::F32(_) => stack.push(ScalarType::F32),
            ConstOp::F64(_) => stack.push(ScalarType::F64),
            ConstOp::RefNull(ty) if ty.is_ref() => stack.push(ty),
            ConstOp::RefNull(ty) => return Err(format!("RefNull of {ty:?}, not a reference type")),
            ConstOp::RefFunc(f) if (f as usize) < context.functions => {
                stack.push(ScalarType::FuncRef)
            }
            ConstOp::RefFunc(f) => return Err(format!("function {f} does not exist")),
            ConstOp::RefImport(f) if (f as usize) < context.imports => {
                stack.push(ScalarType::FuncRef)
            }
            ConstOp::RefImport(f) => return Err(format!("function import {f} does not exist")),
            ConstOp::GlobalGet(g) => match globals.get(g as usize) {
                Some(&(ty, false)) => stack.push(ty),
                Some(_) => return Err(format!("global {g} is mutable, so not constant")),
                None => return Err(format!("global {g} is not defined before this expression")),
            },
            ConstOp::I32Add | ConstOp::I32Sub | ConstOp::I32Mul => binary(&mut stack, I32)?,
            ConstOp::I64Add | ConstOp::I64Sub | ConstOp::I64Mul => binary(&mut stack, I64)?,
        }
    }
    match stack.as_slice() {
        [ty] => Ok(*ty),
        _ => Err(format!(
            "a constant expression must leave one value, this one leaves {}",
            stack.len()
        )),
    }
}
