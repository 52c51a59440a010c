//! Rules of each function: registers, operands, labels, calls and the
//! rules particular to each instruction.

use std::collections::HashMap;
use std::fmt;
use std::hash::Hash;

use arenavm_arenas::ArenaTag;

use super::module::ModuleTypes;
use super::{MAX_REGISTERS, VerifiedFunction, VerifyError};
use crate::isa::{Access, Instr, ListRef, OperandType, Pc, Reg};
use crate::program::{Function, Program};
use crate::types::{Bank, FuncType, ScalarType, Type};

pub(super) struct FunctionVerifier<'p, T> {
    program: &'p Program<T>,
    types: &'p ModuleTypes,
    index: usize,
    function: &'p Function<T>,
    /// The instruction being checked, as written.
    at: Option<usize>,
}

impl<'p, T> FunctionVerifier<'p, T>
where
    T: Clone + Eq + Hash + fmt::Display,
{
    pub(super) fn new(
        program: &'p Program<T>,
        types: &'p ModuleTypes,
        index: usize,
        function: &'p Function<T>,
    ) -> Self {
        FunctionVerifier {
            program,
            types,
            index,
            function,
            at: None,
        }
    }

    fn error(&self, message: impl Into<String>) -> VerifyError {
        VerifyError {
            function: self.function.name.clone(),
            function_index: self.index,
            instruction: self.at,
            message: message.into(),
        }
    }

    pub(super) fn verify(mut self) -> Result<VerifiedFunction, VerifyError> {
        let f = self.function;
        for (bank, len) in [
            ("scalar", f.scalars.len()),
            ("cell", f.cells.len()),
            ("slice", f.slices.len()),
        ] {
            if len > MAX_REGISTERS {
                return Err(self.error(format!(
                    "{len} {bank} registers, more than the {MAX_REGISTERS} a frame can have"
                )));
            }
        }
        let param_regs = self.check_params()?;

        // Labels: where each one stands in the code without markers.
        let mut labels = HashMap::new();
        let mut pc = 0u32;
        for (i, instr) in f.code.iter().enumerate() {
            if let Instr::Label { name } = instr {
                self.at = Some(i);
                if labels.insert(name.clone(), Pc(pc)).is_some() {
                    return Err(self.error(format!("label `{name}` is defined twice")));
                }
            } else {
                pc += 1;
            }
        }
        self.at = None;
        let resolve = |name: T| -> Result<Pc, String> {
            labels
                .get(&name)
                .copied()
                .ok_or_else(|| format!("jump to undefined label `{name}`"))
        };

        let mut code = Vec::with_capacity(pc as usize);
        let mut source_index = Vec::with_capacity(pc as usize);
        for (i, instr) in f.code.iter().enumerate() {
            if matches!(instr, Instr::Label { .. }) {
                continue;
            }
            self.at = Some(i);
            self.check_operands(instr)?;
            self.check_rules(instr)?;
            let resolved = instr
                .clone()
                .map_targets(&resolve)
                .map_err(|m| self.error(m))?;
            code.push(resolved);
            source_index.push(i as u32);
        }
        // Branch tables belong to no single instruction.
        self.at = None;
        let branch_tables = f
            .branch_tables
            .iter()
            .enumerate()
            .map(|(t, targets)| {
                if targets.is_empty() {
                    return Err(self.error(format!("branch table {t} has no targets")));
                }
                targets
                    .iter()
                    .map(|name| {
                        resolve(name.clone())
                            .map_err(|m| self.error(format!("branch table {t}: {m}")))
                    })
                    .collect()
            })
            .collect::<Result<Vec<_>, _>>()?;

        self.at = code
            .len()
            .checked_sub(1)
            .map(|last| source_index[last] as usize);
        match code.last() {
            Some(last) if !falls_through(last) => {}
            Some(_) => {
                return Err(self.error(
                    "the last instruction falls through: end with Return, Jump, BrTable, a tail call or Unreachable",
                ));
            }
            None => return Err(self.error("the function has no code")),
        }
        // A label after the last instruction marks nothing: a jump there
        // would run off the end of the code.
        if let Some((name, _)) = labels.iter().find(|(_, target)| target.0 == pc) {
            self.at = f
                .code
                .iter()
                .rposition(|i| matches!(i, Instr::Label { name: n } if n == name));
            return Err(self.error(format!(
                "label `{name}` marks no instruction: it stands after the last one"
            )));
        }

        Ok(VerifiedFunction {
            name: f.name.clone(),
            params: f.params.clone(),
            results: f.results.clone(),
            scalars: f.scalars.clone(),
            cells: f.cells.clone(),
            slices: f.slices.clone(),
            lists: f.lists.clone(),
            branch_tables,
            code,
            source_index,
            param_regs,
            scalar_signature: f
                .params
                .iter()
                .chain(&f.results)
                .all(|t| t.bank() == Bank::Scalar),
            scalar_frame: f.cells.is_empty() && f.slices.is_empty(),
        })
    }

    /// Parameters are the first registers of their banks, with their types.
    fn check_params(&self) -> Result<Vec<Reg>, VerifyError> {
        let mut next = [0usize; 3];
        let mut regs = Vec::with_capacity(self.function.params.len());
        for (i, &ty) in self.function.params.iter().enumerate() {
            let bank = bank_slot(ty.bank());
            let reg = Reg(next[bank] as u16);
            next[bank] += 1;
            let declared = self.register_type(ty.bank(), reg);
            if declared != Some(ty) {
                return Err(self.error(format!(
                    "parameter {i} is {ty:?}, so {} register {} must be declared {ty:?} (it is {})",
                    bank_name(ty.bank()),
                    reg.0,
                    describe(declared)
                )));
            }
            regs.push(reg);
        }
        Ok(regs)
    }

    /// The declared type of register `reg` in `bank`, if it exists.
    fn register_type(&self, bank: Bank, reg: Reg) -> Option<Type> {
        let f = self.function;
        let i = reg.index();
        match bank {
            Bank::Scalar => f.scalars.get(i).map(|&t| t.into()),
            Bank::Cell => f.cells.get(i).map(|&a| Type::Cell(a)),
            Bank::Slice => f.slices.get(i).map(|&a| Type::Slice(a)),
        }
    }

    fn scalar_type(&self, reg: Reg, field: &str) -> Result<ScalarType, VerifyError> {
        self.function
            .scalars
            .get(reg.index())
            .copied()
            .ok_or_else(|| {
                self.error(format!(
                    "operand `{field}`: scalar register {} does not exist ({} declared)",
                    reg.0,
                    self.function.scalars.len()
                ))
            })
    }

    /// Every register operand exists in its bank and has the type its
    /// opcode requires.
    fn check_operands(&self, instr: &Instr<T>) -> Result<(), VerifyError> {
        for op in instr.operands() {
            let bank = op.ty.bank();
            let Some(declared) = self.register_type(bank, op.reg) else {
                return Err(self.error(format!(
                    "{} operand `{}`: {} register {} does not exist ({} declared)",
                    instr.name(),
                    op.field,
                    bank_name(bank),
                    op.reg.0,
                    self.bank_len(bank)
                )));
            };
            if !op.ty.accepts(declared) {
                let verb = match op.access {
                    Access::Read => "reads",
                    Access::Write => "writes",
                };
                return Err(self.error(format!(
                    "{} {verb} operand `{}` as {}, but {} register {} is {declared:?}",
                    instr.name(),
                    op.field,
                    describe_operand(op.ty),
                    bank_name(bank),
                    op.reg.0
                )));
            }
        }
        Ok(())
    }

    fn bank_len(&self, bank: Bank) -> usize {
        match bank {
            Bank::Scalar => self.function.scalars.len(),
            Bank::Cell => self.function.cells.len(),
            Bank::Slice => self.function.slices.len(),
        }
    }

    /// The rules particular to each instruction.
    fn check_rules(&self, instr: &Instr<T>) -> Result<(), VerifyError> {
        let f = self.function;
        match instr {
            Instr::Copy { dst, src } => self.same_types(instr, &[("dst", *dst), ("src", *src)]),
            Instr::Select { dst, a, b, .. } => {
                self.same_types(instr, &[("dst", *dst), ("a", *a), ("b", *b)])
            }
            Instr::BrTable { table, .. } => {
                if (*table as usize) < f.branch_tables.len() {
                    Ok(())
                } else {
                    Err(self.error(format!("branch table {table} does not exist")))
                }
            }
            Instr::Return { values } => self.check_list(*values, &f.results, "returned values"),
            Instr::Call {
                func,
                args,
                results,
            } => {
                let callee = self.callee(*func)?;
                self.check_list(*args, &callee.params, "arguments")?;
                self.check_list(*results, &callee.results, "results")
            }
            Instr::ReturnCall { func, args } => {
                let callee = self.callee(*func)?;
                self.check_list(*args, &callee.params, "arguments")?;
                if callee.results != f.results {
                    return Err(self.error(format!(
                        "tail call of `{}` returns {:?}, but this function returns {:?}",
                        callee.name, callee.results, f.results
                    )));
                }
                Ok(())
            }
            Instr::CallIndirect {
                table,
                sig,
                operands,
                ..
            } => {
                self.function_table(*table)?;
                let ty = self.func_type(*sig)?;
                let expected: Vec<Type> = ty.params.iter().chain(&ty.results).copied().collect();
                self.check_list(*operands, &expected, "arguments and results")
            }
            Instr::ReturnCallIndirect {
                table, sig, args, ..
            } => {
                self.function_table(*table)?;
                let ty = self.func_type(*sig)?;
                self.check_list(*args, &ty.params, "arguments")?;
                if ty.results != f.results {
                    return Err(self.error(format!(
                        "tail call through type {sig} returns {:?}, but this function returns {:?}",
                        ty.results, f.results
                    )));
                }
                Ok(())
            }
            Instr::CallImport {
                import,
                args,
                results,
            } => {
                let decl = self.program.imports.get(*import as usize).ok_or_else(|| {
                    self.error(format!(
                        "function import {import} does not exist ({} declared)",
                        self.program.imports.len()
                    ))
                })?;
                self.check_list(*args, &decl.params, "arguments")?;
                self.check_list(*results, &decl.results, "results")
            }
            Instr::RefFunc { func, .. } => {
                let declared = self.program.functions.len();
                if (*func as usize) < declared {
                    Ok(())
                } else {
                    Err(self.error(format!(
                        "RefFunc names function {func}, which does not exist ({declared} declared)"
                    )))
                }
            }
            Instr::RefImport { import, .. } => {
                if (*import as usize) < self.program.imports.len() {
                    Ok(())
                } else {
                    Err(self.error(format!("function import {import} does not exist")))
                }
            }
            Instr::RefNull { dst } => self.reference(*dst, "dst").map(drop),
            Instr::RefIsNull { value, .. } => self.reference(*value, "value").map(drop),
            Instr::TableGet {
                dst: reg, table, ..
            }
            | Instr::TableSet {
                value: reg, table, ..
            }
            | Instr::TableGrow {
                init: reg, table, ..
            }
            | Instr::TableFill {
                value: reg, table, ..
            } => {
                let elem = self.table(*table)?;
                self.expect_scalar(*reg, elem, "the element")
            }
            Instr::TableSize { table, .. } => self.table(*table).map(drop),
            Instr::TableCopy {
                dst_table,
                src_table,
                ..
            } => {
                let (to, from) = (self.table(*dst_table)?, self.table(*src_table)?);
                if to != from {
                    return Err(self.error(format!(
                        "TableCopy from a table of {from:?} to a table of {to:?}"
                    )));
                }
                Ok(())
            }
            Instr::TableInit { table, elem, .. } => {
                let to = self.table(*table)?;
                let from = self.element_segment(*elem)?;
                if to != from {
                    return Err(self.error(format!(
                        "TableInit from a segment of {from:?} into a table of {to:?}"
                    )));
                }
                Ok(())
            }
            Instr::ElemDrop { elem } => self.element_segment(*elem).map(drop),
            Instr::MemoryInit { mem, data, .. } => {
                self.memory(*mem)?;
                self.data_segment(*data)
            }
            Instr::DataDrop { data } => self.data_segment(*data),
            Instr::GlobalGet { dst, global } => {
                let (ty, _) = self.global(*global)?;
                self.expect_scalar(*dst, ty, "dst")
            }
            Instr::GlobalSet { src, global } => {
                let (ty, mutable) = self.global(*global)?;
                if !mutable {
                    return Err(self.error(format!("global {global} is immutable")));
                }
                self.expect_scalar(*src, ty, "src")
            }
            Instr::CellCopy { dst, src } => self.same_arena(Bank::Cell, *dst, *src).map(drop),
            Instr::SubSlice { dst, src, .. } => self.same_arena(Bank::Slice, *dst, *src).map(drop),
            Instr::SliceNew { dst, obj, .. } => {
                let (slice, object) = (self.arena(Bank::Slice, *dst), self.arena(Bank::Cell, *obj));
                if slice != object {
                    return Err(self.error(format!(
                        "SliceNew makes a slice of a {object} into a slice register of {slice}"
                    )));
                }
                if object == ArenaTag::Map {
                    return Err(self.error("maps cannot be sliced"));
                }
                Ok(())
            }
            Instr::SliceByte { slice, .. } => match self.arena(Bank::Slice, *slice) {
                ArenaTag::Bytes | ArenaTag::Str => Ok(()),
                other => Err(self.error(format!(
                    "SliceByte reads bytes or string slices, not a slice of {other}"
                ))),
            },
            Instr::ArenaCopy { dst, src, .. } => {
                self.copy_pair(self.arena(Bank::Cell, *src), self.arena(Bank::Cell, *dst))
            }
            Instr::SliceCopy { dst, src, .. } => {
                self.copy_pair(self.arena(Bank::Slice, *src), self.arena(Bank::Slice, *dst))
            }
            Instr::StrConst { string, .. } => {
                if (*string as usize) < self.program.strings.len() {
                    Ok(())
                } else {
                    Err(self.error(format!(
                        "string constant {string} does not exist ({} declared)",
                        self.program.strings.len()
                    )))
                }
            }
            Instr::MemoryCopy {
                dst_mem, src_mem, ..
            } => {
                self.memory(*dst_mem)?;
                self.memory(*src_mem).map(drop)
            }
            other => match memory_index(other) {
                Some(mem) => self.memory(mem).map(drop),
                None => Ok(()),
            },
        }
    }

    /// The arena of a Cell or slice register (operands were checked first).
    fn arena(&self, bank: Bank, reg: Reg) -> ArenaTag {
        match self.register_type(bank, reg) {
            Some(Type::Cell(arena) | Type::Slice(arena)) => arena,
            _ => unreachable!("operand types are checked before instruction rules"),
        }
    }

    /// Two handle registers of one bank name the same arena.
    fn same_arena(&self, bank: Bank, a: Reg, b: Reg) -> Result<ArenaTag, VerifyError> {
        let (x, y) = (self.arena(bank, a), self.arena(bank, b));
        if x == y {
            Ok(x)
        } else {
            Err(self.error(format!(
                "both {} registers must be of one arena, but they are {x} and {y}",
                bank_name(bank)
            )))
        }
    }

    /// The bulk copy table has an entry for `from` to `to`.
    fn copy_pair(&self, from: ArenaTag, to: ArenaTag) -> Result<(), VerifyError> {
        match arenavm_arenas::copy_rule(from, to) {
            Some(_) => Ok(()),
            None => Err(self.error(format!("there is no bulk copy from {from} to {to}"))),
        }
    }

    fn same_types(&self, instr: &Instr<T>, regs: &[(&str, Reg)]) -> Result<(), VerifyError> {
        let (first_field, first) = regs[0];
        let ty = self.scalar_type(first, first_field)?;
        for &(field, reg) in &regs[1..] {
            let other = self.scalar_type(reg, field)?;
            if other != ty {
                return Err(self.error(format!(
                    "{} needs `{first_field}` and `{field}` of one type, but they are {ty:?} and {other:?}",
                    instr.name()
                )));
            }
        }
        Ok(())
    }

    fn expect_scalar(
        &self,
        reg: Reg,
        expected: ScalarType,
        field: &str,
    ) -> Result<(), VerifyError> {
        let actual = self.scalar_type(reg, field)?;
        if actual == expected {
            Ok(())
        } else {
            Err(self.error(format!(
                "operand `{field}` must be {expected:?}, but scalar register {} is {actual:?}",
                reg.0
            )))
        }
    }

    /// The registers of `list` have exactly the types `types`, each in the
    /// bank its type belongs to.
    fn check_list(&self, list: ListRef, types: &[Type], what: &str) -> Result<(), VerifyError> {
        let regs =
            self.function.lists.get(list.0 as usize).ok_or_else(|| {
                self.error(format!("{what}: operand list {} does not exist", list.0))
            })?;
        if regs.len() != types.len() {
            return Err(self.error(format!(
                "{what}: {} registers given, {} expected ({types:?})",
                regs.len(),
                types.len()
            )));
        }
        for (i, (&reg, &ty)) in regs.iter().zip(types).enumerate() {
            let declared = self.register_type(ty.bank(), reg);
            if declared != Some(ty) {
                return Err(self.error(format!(
                    "{what}: value {i} must be {ty:?}, but {} register {} is {}",
                    bank_name(ty.bank()),
                    reg.0,
                    describe(declared)
                )));
            }
        }
        Ok(())
    }

    fn callee(&self, func: u32) -> Result<&'p Function<T>, VerifyError> {
        self.program.functions.get(func as usize).ok_or_else(|| {
            self.error(format!(
                "call of function {func}, but there are {} functions",
                self.program.functions.len()
            ))
        })
    }

    fn global(&self, global: u32) -> Result<(ScalarType, bool), VerifyError> {
        self.types
            .globals
            .get(global as usize)
            .copied()
            .ok_or_else(|| {
                self.error(format!(
                    "global {global} does not exist ({} declared)",
                    self.types.globals.len()
                ))
            })
    }

    fn func_type(&self, sig: u32) -> Result<&'p FuncType, VerifyError> {
        self.program.types.get(sig as usize).ok_or_else(|| {
            self.error(format!(
                "function type {sig} does not exist ({} declared)",
                self.program.types.len()
            ))
        })
    }

    /// The element type of table `table`.
    fn table(&self, table: u32) -> Result<ScalarType, VerifyError> {
        self.types
            .tables
            .get(table as usize)
            .copied()
            .ok_or_else(|| {
                self.error(format!(
                    "table {table} does not exist ({} declared)",
                    self.types.tables.len()
                ))
            })
    }

    /// Table `table`, which must hold function references: indirect calls
    /// read an entry as a function, so an extern reference (any value a
    /// host chose) must never be one.
    fn function_table(&self, table: u32) -> Result<(), VerifyError> {
        match self.table(table)? {
            ScalarType::FuncRef => Ok(()),
            other => Err(self.error(format!(
                "table {table} holds {other:?}; indirect calls need a table of FuncRef"
            ))),
        }
    }

    fn memory(&self, mem: u32) -> Result<(), VerifyError> {
        if (mem as usize) < self.types.memories {
            Ok(())
        } else {
            Err(self.error(format!(
                "memory {mem} does not exist ({} declared)",
                self.types.memories
            )))
        }
    }

    /// The reference type of element segment `elem`.
    fn element_segment(&self, elem: u32) -> Result<ScalarType, VerifyError> {
        self.types
            .elements
            .get(elem as usize)
            .copied()
            .ok_or_else(|| {
                self.error(format!(
                    "element segment {elem} does not exist ({} declared)",
                    self.types.elements.len()
                ))
            })
    }

    fn data_segment(&self, data: u32) -> Result<(), VerifyError> {
        if (data as usize) < self.types.data {
            Ok(())
        } else {
            Err(self.error(format!(
                "data segment {data} does not exist ({} declared)",
                self.types.data
            )))
        }
    }

    /// The type of scalar register `reg`, which must be a reference.
    fn reference(&self, reg: Reg, field: &str) -> Result<ScalarType, VerifyError> {
        let ty = self.scalar_type(reg, field)?;
        if ty.is_ref() {
            Ok(ty)
        } else {
            Err(self.error(format!(
                "operand `{field}` must be a reference, but scalar register {} is {ty:?}",
                reg.0
            )))
        }
    }
}

/// The memory an instruction addresses, for those with one `mem` operand.
fn memory_index<T>(instr: &Instr<T>) -> Option<u32> {
    use Instr::*;
    Some(match *instr {
        I32Load { mem, .. }
        | I64Load { mem, .. }
        | F32Load { mem, .. }
        | F64Load { mem, .. }
        | I32Load8S { mem, .. }
        | I32Load8U { mem, .. }
        | I32Load16S { mem, .. }
        | I32Load16U { mem, .. }
        | I64Load8S { mem, .. }
        | I64Load8U { mem, .. }
        | I64Load16S { mem, .. }
        | I64Load16U { mem, .. }
        | I64Load32S { mem, .. }
        | I64Load32U { mem, .. }
        | I32Store { mem, .. }
        | I64Store { mem, .. }
        | F32Store { mem, .. }
        | F64Store { mem, .. }
        | I32Store8 { mem, .. }
        | I32Store16 { mem, .. }
        | I64Store8 { mem, .. }
        | I64Store16 { mem, .. }
        | I64Store32 { mem, .. }
        | MemorySize { mem, .. }
        | MemoryGrow { mem, .. }
        | MemoryFill { mem, .. } => mem,
        _ => return None,
    })
}

/// True unless control can never pass from `instr` to the next instruction.
fn falls_through<T>(instr: &Instr<T>) -> bool {
    !matches!(
        instr,
        Instr::Return { .. }
            | Instr::Jump { .. }
            | Instr::BrTable { .. }
            | Instr::ReturnCall { .. }
            | Instr::ReturnCallIndirect { .. }
            | Instr::Unreachable {}
    )
}

fn bank_slot(bank: Bank) -> usize {
    match bank {
        Bank::Scalar => 0,
        Bank::Cell => 1,
        Bank::Slice => 2,
    }
}

fn bank_name(bank: Bank) -> &'static str {
    match bank {
        Bank::Scalar => "scalar",
        Bank::Cell => "cell",
        Bank::Slice => "slice",
    }
}

fn describe_operand(ty: OperandType) -> String {
    match ty {
        OperandType::Scalar(s) => format!("{s:?}"),
        OperandType::AnyScalar => "a scalar".into(),
        OperandType::Cell(a) => format!("Cell({a:?})"),
        OperandType::AnyCell => "a Cell".into(),
        OperandType::Slice(a) => format!("Slice({a:?})"),
        OperandType::AnySlice => "a slice".into(),
    }
}

fn describe(ty: Option<Type>) -> String {
    match ty {
        Some(ty) => format!("{ty:?}"),
        None => "not declared".into(),
    }
}
