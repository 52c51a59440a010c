//! Calls, globals, memories and tables.
//!
//! Index spaces are Wasm's: memory, table and global operands pass through
//! unchanged (imports first, as in the program), as do element and data
//! segment indices and type indices (the program's `types` is the type
//! section). Only function indices are split, into defined functions
//! (`Call`, `RefFunc`) and function imports (`CallImport`, `RefImport`).

use arenavm_vm::isa::{Instr, Reg};
use arenavm_vm::types::ScalarType;
use wasmparser::{MemArg, MemArgTarget, Operator};

use super::code::Def;
use super::ops;
use super::{Callee, Translator};
use crate::wasm::TranslateError;

impl Translator<'_> {
    /// The result slots of a call whose arguments started at `base`.
    fn result_slots(
        &mut self,
        base: usize,
        results: &[ScalarType],
    ) -> Result<Vec<Reg>, TranslateError> {
        results
            .iter()
            .enumerate()
            .map(|(i, &ty)| self.slot(base + i, ty))
            .collect()
    }

    fn push_results(&mut self, regs: &[Reg], results: &[ScalarType]) {
        for (&reg, &ty) in regs.iter().zip(results) {
            self.push_slot(reg, ty);
        }
    }

    pub(super) fn call(&mut self, function: u32) -> Result<(), TranslateError> {
        let sig = self.env.func_sig(function, self.offset)?.clone();
        let (args, base) = self.pop_regs(sig.params.len())?;
        let results = self.result_slots(base, &sig.results)?;
        let (args, list) = (self.code.list(&args), self.code.list(&results));
        self.code.push(match self.env.callee(function) {
            Callee::Defined(func) => Instr::Call {
                func,
                args,
                results: list,
            },
            Callee::Import(import) => Instr::CallImport {
                import,
                args,
                results: list,
            },
        });
        self.push_results(&results, &sig.results);
        Ok(())
    }

    pub(super) fn call_indirect(&mut self, sig: u32, table: u32) -> Result<(), TranslateError> {
        let ty = self.env.sig(sig, self.offset)?.clone();
        let index = self.pop()?;
        let index = self.reg_of(index, self.stack.len())?;
        let (mut operands, base) = self.pop_regs(ty.params.len())?;
        let results = self.result_slots(base, &ty.results)?;
        operands.extend_from_slice(&results);
        let operands = self.code.list(&operands);
        self.code.push(Instr::CallIndirect {
            table,
            index,
            sig,
            operands,
        });
        self.push_results(&results, &ty.results);
        Ok(())
    }

    /// `return_call`: a tail call of a defined function; an import is
    /// called, then its results returned.
    pub(super) fn return_call(&mut self, function: u32) -> Result<(), TranslateError> {
        match self.env.callee(function) {
            Callee::Defined(func) => {
                let n = self.env.func_sig(function, self.offset)?.params.len();
                let (args, _) = self.pop_regs(n)?;
                let args = self.code.list(&args);
                self.code.push(Instr::ReturnCall { func, args });
            }
            Callee::Import(_) => {
                self.call(function)?;
                self.return_()?;
            }
        }
        self.reachable = false;
        Ok(())
    }

    pub(super) fn return_call_indirect(
        &mut self,
        sig: u32,
        table: u32,
    ) -> Result<(), TranslateError> {
        let n = self.env.sig(sig, self.offset)?.params.len();
        let index = self.pop()?;
        let index = self.reg_of(index, self.stack.len())?;
        let (args, _) = self.pop_regs(n)?;
        let args = self.code.list(&args);
        self.code.push(Instr::ReturnCallIndirect {
            table,
            index,
            sig,
            args,
        });
        self.reachable = false;
        Ok(())
    }

    pub(super) fn global_get(&mut self, global: u32) -> Result<(), TranslateError> {
        let ty = self.env.global(global, self.offset)?;
        let dst = self.result_slot(ty)?;
        self.code.define(Def::GlobalGet(global), dst);
        self.push_slot(dst, ty);
        Ok(())
    }

    pub(super) fn global_set(&mut self, global: u32) -> Result<(), TranslateError> {
        let (regs, _) = self.pop_regs(1)?;
        if let [src] = regs[..] {
            self.code.push(Instr::GlobalSet { src, global });
        }
        Ok(())
    }

    /// The memory argument's static offset, which arenavm holds in a
    /// `u32` (only a 64-bit memory can have a larger one), and memory.
    fn mem_arg(&self, memarg: &MemArg) -> Result<(u32, u32), TranslateError> {
        let offset = u32::try_from(memarg.offset).map_err(|_| {
            TranslateError::unsupported(
                format!("memory offset {} does not fit in 32 bits", memarg.offset),
                self.offset,
            )
        })?;
        match memarg.target {
            MemArgTarget::Memory(mem) => Ok((offset, mem)),
            MemArgTarget::Array(_) => Err(TranslateError::unsupported(
                "a memory access to a GC array",
                self.offset,
            )),
        }
    }

    /// Pops `N` operands into registers.
    fn operands<const N: usize>(&mut self) -> Result<[Reg; N], TranslateError> {
        let (regs, _) = self.pop_regs(N)?;
        regs.try_into().map_err(|_| self.internal("operand count"))
    }

    /// Pushes the result of `instr`, built with the slot of type `ty` for
    /// the current depth.
    fn produce(
        &mut self,
        ty: ScalarType,
        instr: impl FnOnce(Reg) -> Instr<arenavm_vm::isa::Label>,
    ) -> Result<(), TranslateError> {
        let dst = self.result_slot(ty)?;
        self.code.push(instr(dst));
        self.push_slot(dst, ty);
        Ok(())
    }

    /// Loads, stores, and the memory and table operators; false if `op`
    /// is none of them.
    pub(super) fn access(&mut self, op: &Operator<'_>) -> Result<bool, TranslateError> {
        use ScalarType::I32;
        if let Some((build, ty, memarg)) = ops::load(op) {
            let (offset, mem) = self.mem_arg(memarg)?;
            let [addr] = self.operands()?;
            let dst = self.result_slot(ty)?;
            self.code.define(Def::Load(build, addr, offset, mem), dst);
            self.push_slot(dst, ty);
            return Ok(true);
        }
        if let Some((build, _, memarg)) = ops::store(op) {
            let (offset, mem) = self.mem_arg(memarg)?;
            let [addr, value] = self.operands()?;
            self.code.push(build(addr, value, offset, mem));
            return Ok(true);
        }
        match *op {
            Operator::MemorySize { mem } => {
                self.produce(I32, |dst| Instr::MemorySize { dst, mem })?
            }
            Operator::MemoryGrow { mem } => {
                let [delta] = self.operands()?;
                self.produce(I32, |dst| Instr::MemoryGrow { dst, delta, mem })?;
            }
            Operator::MemoryFill { mem } => {
                let [dst, value, len] = self.operands()?;
                self.code.push(Instr::MemoryFill {
                    dst,
                    value,
                    len,
                    mem,
                });
            }
            Operator::MemoryCopy { dst_mem, src_mem } => {
                let [dst, src, len] = self.operands()?;
                self.code.push(Instr::MemoryCopy {
                    dst,
                    src,
                    len,
                    dst_mem,
                    src_mem,
                });
            }
            Operator::MemoryInit { data_index, mem } => {
                let [dst, src, len] = self.operands()?;
                self.code.push(Instr::MemoryInit {
                    mem,
                    data: data_index,
                    dst,
                    src,
                    len,
                });
            }
            Operator::DataDrop { data_index } => {
                self.code.push(Instr::DataDrop { data: data_index });
            }
            Operator::TableGet { table } => {
                let ty = self.env.table(table, self.offset)?;
                let [index] = self.operands()?;
                self.produce(ty, |dst| Instr::TableGet { dst, table, index })?;
            }
            Operator::TableSet { table } => {
                let [index, value] = self.operands()?;
                self.code.push(Instr::TableSet {
                    table,
                    index,
                    value,
                });
            }
            Operator::TableSize { table } => {
                self.produce(I32, |dst| Instr::TableSize { dst, table })?
            }
            Operator::TableGrow { table } => {
                let [init, delta] = self.operands()?;
                self.produce(I32, |dst| Instr::TableGrow {
                    dst,
                    table,
                    init,
                    delta,
                })?;
            }
            Operator::TableFill { table } => {
                let [dst, value, len] = self.operands()?;
                self.code.push(Instr::TableFill {
                    table,
                    dst,
                    value,
                    len,
                });
            }
            Operator::TableCopy {
                dst_table,
                src_table,
            } => {
                let [dst, src, len] = self.operands()?;
                self.code.push(Instr::TableCopy {
                    dst_table,
                    src_table,
                    dst,
                    src,
                    len,
                });
            }
            Operator::TableInit { elem_index, table } => {
                let [dst, src, len] = self.operands()?;
                self.code.push(Instr::TableInit {
                    table,
                    elem: elem_index,
                    dst,
                    src,
                    len,
                });
            }
            Operator::ElemDrop { elem_index } => {
                self.code.push(Instr::ElemDrop { elem: elem_index });
            }
            _ => return Ok(false),
        }
        Ok(true)
    }
}
