//! Instantiation: binding a verified program's imports to store entities,
//! creating what it defines, applying its active segments and running its
//! start function, in WebAssembly's order.

use std::rc::Rc;

use arenavm_arenas::Bytes;

use super::store::{
    FuncEntity, FuncId, GlobalEntity, GlobalId, InstanceData, InstanceId, InstantiateError,
    MemoryId, Store, TableId,
};
use super::{ExecConfig, InvokeError, Table, Trap, TrapKind};
use crate::program::{ConstExpr, ConstOp, SegmentMode, Val};
use crate::types::FuncType;
use crate::verify::VerifiedProgram;

/// The store entities bound to a program's imports, one list per kind, in
/// the program's import order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Imports {
    pub funcs: Vec<FuncId>,
    pub memories: Vec<MemoryId>,
    pub tables: Vec<TableId>,
    pub globals: Vec<GlobalId>,
}

impl Store {
    /// Instantiates `program` with `imports`. A link or resource error
    /// changes nothing; a trap in a segment or the start function leaves the instance in the
    /// store (its functions may already sit in imported tables) and what
    /// was written before the trap in place, as WebAssembly requires.
    pub fn instantiate(
        &mut self,
        program: Rc<VerifiedProgram>,
        imports: &Imports,
        config: &ExecConfig,
    ) -> Result<InstanceId, InstantiateError> {
        self.check_imports(&program, imports)
            .map_err(InstantiateError::Link)?;
        self.admit_instance().map_err(InstantiateError::Resource)?;
        let (memories, tables) = (self.memories.len(), self.tables.len());
        let resources = self.resources;
        let id = self.create(program, imports).inspect_err(|_| {
            // Only allocating memories and tables fails, and both come
            // before anything else is created (nothing grows meanwhile):
            // undo them, and their totals.
            for cell in self.memories.drain(memories..) {
                let _ = self.heap.free(cell);
            }
            self.memory_max.truncate(memories);
            self.tables.truncate(tables);
            self.resources = resources;
        })?;
        self.initialise(id, config)?;
        Ok(id)
    }

    fn check_imports(&self, program: &VerifiedProgram, imports: &Imports) -> Result<(), String> {
        let counts = [
            ("function", program.imports.len(), imports.funcs.len()),
            (
                "memory",
                program.memory_imports.len(),
                imports.memories.len(),
            ),
            ("table", program.table_imports.len(), imports.tables.len()),
            (
                "global",
                program.global_imports.len(),
                imports.globals.len(),
            ),
        ];
        for (kind, wanted, given) in counts {
            if wanted != given {
                return Err(format!("{wanted} {kind} imports, {given} given"));
            }
        }
        let known = |id: u32, len: usize, kind: &str| {
            if (id as usize) < len {
                Ok(())
            } else {
                Err(format!("{kind} #{id} is not of this store"))
            }
        };
        for (import, &f) in program.imports.iter().zip(&imports.funcs) {
            known(f.0, self.funcs.len(), "function")?;
            let wanted = FuncType {
                params: import.params.clone(),
                results: import.results.clone(),
            };
            let actual = self.func_type(f);
            if actual != wanted {
                return Err(format!(
                    "incompatible import type: {}.{} must be {wanted:?}, but is {actual:?}",
                    import.module, import.name
                ));
            }
        }
        for (import, &m) in program.memory_imports.iter().zip(&imports.memories) {
            known(m.0, self.memories.len(), "memory")?;
            let (pages, _) = self.memory_pages(m).ok_or_else(|| {
                format!(
                    "memory {}.{} was freed by a host function",
                    import.module, import.name
                )
            })?;
            let max = self.memory_max[m.0 as usize];
            if !limits_match(
                (pages, max),
                (import.memory.min_pages, import.memory.max_pages),
            ) {
                return Err(format!(
                    "incompatible import type: memory {}.{} must have at least {} pages and at most {:?}, but has {pages} and at most {max:?}",
                    import.module, import.name, import.memory.min_pages, import.memory.max_pages
                ));
            }
        }
        for (import, &t) in program.table_imports.iter().zip(&imports.tables) {
            known(t.0, self.tables.len(), "table")?;
            let (elem, size, max) = self.table_type(t);
            if elem != import.table.elem
                || !limits_match((size, max), (import.table.min, import.table.max))
            {
                return Err(format!(
                    "incompatible import type: table {}.{} must hold {:?} with at least {} entries and at most {:?}, but holds {elem:?} with {size} and at most {max:?}",
                    import.module,
                    import.name,
                    import.table.elem,
                    import.table.min,
                    import.table.max
                ));
            }
        }
        for (import, &g) in program.global_imports.iter().zip(&imports.globals) {
            known(g.0, self.globals.len(), "global")?;
            let (ty, mutable) = self.global_type(g);
            if ty != import.ty || mutable != import.mutable {
                return Err(format!(
                    "incompatible import type: global {}.{} must be {}{:?}, but is {}{ty:?}",
                    import.module,
                    import.name,
                    if import.mutable { "mutable " } else { "" },
                    import.ty,
                    if mutable { "mutable " } else { "" },
                ));
            }
        }
        Ok(())
    }

    /// Creates the instance's functions, memories, tables, globals and
    /// segments, and records it.
    fn create(
        &mut self,
        program: Rc<VerifiedProgram>,
        imports: &Imports,
    ) -> Result<InstanceId, InstantiateError> {
        let instance = self.instances.len() as u32;
        let first_func = self.funcs.len() as u32;
        let funcs = (0..program.functions.len() as u32)
            .map(|i| FuncId(first_func + i))
            .collect();
        let mut data = InstanceData {
            program: Rc::clone(&program),
            funcs,
            imports: imports.funcs.clone(),
            memories: Vec::new(),
            memory_ids: imports.memories.clone(),
            tables: imports.tables.clone(),
            globals: imports.globals.clone(),
            data: Vec::new(),
            elements: Vec::new(),
        };
        let resource = InstantiateError::Resource;
        for decl in &program.memories {
            data.memory_ids
                .push(self.alloc_memory(*decl).map_err(resource)?);
        }
        data.memories = data
            .memory_ids
            .iter()
            .map(|&m| self.memory_cell(m))
            .collect();
        for decl in &program.tables {
            self.admit_table(decl.min).map_err(resource)?;
            let mut table = Table::filled(decl, 0).map_err(resource)?;
            for (entry, f) in table.elements.iter_mut().zip(&decl.elements) {
                *entry = f.map_or(0, |f| u64::from(data.funcs[f as usize].0) + 1);
            }
            data.tables.push(self.push_table(table).map_err(resource)?);
        }
        // Functions exist from here on, so references to them are valid.
        self.funcs.extend(
            (0..program.functions.len() as u32).map(|index| FuncEntity::Vm { instance, index }),
        );
        for decl in &program.globals {
            let bits = self.eval(&decl.init, &data);
            self.globals.push(bits);
            self.global_types.push(GlobalEntity {
                ty: decl.ty,
                mutable: decl.mutable,
            });
            data.globals.push(GlobalId(self.globals.len() as u32 - 1));
        }
        for segment in &program.data {
            self.data.push(segment.bytes.clone().into_boxed_slice());
            data.data.push(self.data.len() as u32 - 1);
        }
        for segment in &program.elements {
            let items = segment.items.iter().map(|e| self.eval(e, &data)).collect();
            self.elements.push(items);
            data.elements.push(self.elements.len() as u32 - 1);
        }
        self.instances.push(data);
        Ok(InstanceId(instance))
    }

    /// Applies the active element segments, then the active data
    /// segments, then runs the start function.
    fn initialise(&mut self, id: InstanceId, config: &ExecConfig) -> Result<(), InstantiateError> {
        let program = Rc::clone(&self.instances[id.0 as usize].program);
        // A segment's trap is located at the segment, as a function's is
        // at the function.
        let trap = |kind: TrapKind, segment: String, detail: String| {
            InstantiateError::Trap(Trap {
                kind,
                function: segment,
                instruction: 0,
                detail: Some(detail),
            })
        };
        for (i, segment) in program.elements.iter().enumerate() {
            let store_index = self.instances[id.0 as usize].elements[i] as usize;
            match &segment.mode {
                SegmentMode::Active { index, offset } => {
                    let data = &self.instances[id.0 as usize];
                    let table = data.tables[*index as usize];
                    let at = self.eval(offset, data) as u32 as usize;
                    let items = &self.elements[store_index];
                    let entries = &mut self.tables[table.0 as usize].elements;
                    let size = entries.len();
                    match entries.get_mut(at..).and_then(|e| e.get_mut(..items.len())) {
                        Some(dst) => dst.copy_from_slice(items),
                        None => {
                            return Err(trap(
                                TrapKind::OutOfBounds,
                                format!("<element segment {i}>"),
                                format!(
                                    "out of bounds table access: {} entries at {at} of table {index}, which has {size} entries",
                                    items.len()
                                ),
                            ));
                        }
                    }
                    // Applied, then dropped; a segment that traps is not
                    // dropped, as instantiation stops before its drop.
                    self.elements[store_index] = Box::default();
                }
                SegmentMode::Declared => self.elements[store_index] = Box::default(),
                SegmentMode::Passive => {}
            }
        }
        for (i, segment) in program.data.iter().enumerate() {
            let SegmentMode::Active { index, offset } = &segment.mode else {
                continue;
            };
            let data = &self.instances[id.0 as usize];
            let (cell, store_index) = (data.memories[*index as usize], data.data[i] as usize);
            let at = u64::from(self.eval(offset, data) as u32);
            let bytes = &self.data[store_index];
            let written = self
                .heap
                .get_mut::<Bytes>(cell)
                .map_err(|e| (TrapKind::from(&e), e.to_string()))
                .and_then(|segment| {
                    let len = segment.len();
                    let end = at.checked_add(bytes.len() as u64).filter(|&end| end <= len);
                    match end {
                        Some(end) => {
                            segment.as_mut_slice()[at as usize..end as usize]
                                .copy_from_slice(bytes);
                            Ok(())
                        }
                        None => Err((
                            TrapKind::OutOfBounds,
                            format!(
                                "out of bounds memory access: {} bytes at {at} of memory {index}, which has {len} bytes",
                                bytes.len()
                            ),
                        )),
                    }
                });
            if let Err((kind, detail)) = written {
                return Err(trap(kind, format!("<data segment {i}>"), detail));
            }
            // Applied, then dropped (not when it traps, as for elements).
            self.data[store_index] = Box::default();
        }
        if let Some(start) = program.start {
            let func = self.instances[id.0 as usize].funcs[start as usize];
            self.invoke(func, &[], config).map_err(|e| match e {
                InvokeError::Trap(t) => InstantiateError::Trap(t),
                InvokeError::Invalid(m) => InstantiateError::Link(m),
            })?;
        }
        Ok(())
    }

    /// The register bits of a verified constant expression of `instance`.
    fn eval(&self, expr: &ConstExpr, instance: &InstanceData) -> u64 {
        let mut stack: Vec<u64> = Vec::with_capacity(2);
        for op in &expr.0 {
            let value = match *op {
                ConstOp::I32(v) => Val::I32(v).to_bits(),
                ConstOp::I64(v) => v as u64,
                ConstOp::F32(bits) => u64::from(bits),
                ConstOp::F64(bits) => bits,
                ConstOp::RefNull(_) => 0,
                ConstOp::RefFunc(f) => u64::from(instance.funcs[f as usize].0) + 1,
                ConstOp::RefImport(f) => u64::from(instance.imports[f as usize].0) + 1,
                ConstOp::GlobalGet(g) => self.globals[instance.globals[g as usize].0 as usize],
                ConstOp::I32Add | ConstOp::I32Sub | ConstOp::I32Mul => {
                    let (b, a) = (pop(&mut stack) as i32, pop(&mut stack) as i32);
                    let r = match op {
                        ConstOp::I32Add => a.wrapping_add(b),
                        ConstOp::I32Sub => a.wrapping_sub(b),
                        _ => a.wrapping_mul(b),
                    };
                    Val::I32(r).to_bits()
                }
                ConstOp::I64Add | ConstOp::I64Sub | ConstOp::I64Mul => {
                    let (b, a) = (pop(&mut stack), pop(&mut stack));
                    match op {
                        ConstOp::I64Add => a.wrapping_add(b),
                        ConstOp::I64Sub => a.wrapping_sub(b),
                        _ => a.wrapping_mul(b),
                    }
                }
            };
            stack.push(value);
        }
        pop(&mut stack)
    }
}

/// The verifier proved every constant expression balanced.
fn pop(stack: &mut Vec<u64>) -> u64 {
    match stack.pop() {
        Some(v) => v,
        None => unreachable!("verified constant expressions are balanced"),
    }
}

/// WebAssembly's limits matching: at least the wanted minimum, and if a
/// maximum is wanted, one at most that large.
fn limits_match(actual: (u32, Option<u32>), wanted: (u32, Option<u32>)) -> bool {
    actual.0 >= wanted.0
        && match wanted.1 {
            None => true,
            Some(max) => actual.1.is_some_and(|m| m <= max),
        }
}
