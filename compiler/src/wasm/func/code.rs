//! The code buffer of one function: registers, stack slots, labels and
//! instructions, with enough memory of the last instruction to rewrite it.
//!
//! Instructions are kept here, not in the [`FunctionBuilder`], until the
//! function is finished, so that the translator can give the last one
//! another destination (`local.set` after an arithmetic op) or fuse a
//! comparison into the branch that consumes it.

use arenavm_vm::builder::FunctionBuilder;
use arenavm_vm::isa::{Instr, Label, ListRef, Reg};
use arenavm_vm::program::Function;
use arenavm_vm::types::{ScalarType, Type};
use arenavm_vm::verify::MAX_REGISTERS;

use super::ops::{BinaryCtor, ImmCtor, IntCmp, LoadCtor, Rhs, UnaryCtor};
use super::returns;
use super::stack::Const;
use crate::wasm::TranslateError;

/// The most constants one function keeps in registers of their own (see
/// [`Code::constant`]); past them, constants are loaded where used. It
/// bounds what the constants add to a frame, and to every call's entry.
pub(super) const MAX_CONSTANTS: usize = 64;

/// The scalar types a Wasm value can have, as slot-table columns.
const VALUE_TYPES: usize = 6;

fn column(ty: ScalarType) -> usize {
    match ty {
        ScalarType::I32 => 0,
        ScalarType::I64 => 1,
        ScalarType::F32 => 2,
        ScalarType::F64 => 3,
        ScalarType::FuncRef => 4,
        ScalarType::ExternRef => 5,
    }
}

/// What the last instruction computed, from which operands: enough to
/// build it again with another destination register.
#[derive(Clone, Copy, Debug)]
pub(super) enum Def {
    Binary(BinaryCtor, Reg, Reg),
    Imm(ImmCtor, Reg, i32),
    Unary(UnaryCtor, Reg),
    /// An integer comparison; a branch on its result can absorb it.
    Compare(IntCmp, Reg, Rhs),
    /// A load: address register, offset, memory.
    Load(LoadCtor, Reg, u32, u32),
    GlobalGet(u32),
    Select {
        cond: Reg,
        a: Reg,
        b: Reg,
    },
}

impl Def {
    pub(super) fn build(self, dst: Reg) -> Instr<Label> {
        match self {
            Def::Binary(build, a, b) => build(dst, a, b),
            Def::Imm(build, a, imm) => build(dst, a, imm),
            Def::Unary(build, a) => build(dst, a),
            Def::Compare(cmp, a, rhs) => cmp.value(dst, a, rhs),
            Def::Load(build, addr, offset, mem) => build(dst, addr, offset, mem),
            Def::GlobalGet(global) => Instr::GlobalGet { dst, global },
            Def::Select { cond, a, b } => Instr::Select { dst, cond, a, b },
        }
    }
}

/// The last instruction, if it was built from a [`Def`].
#[derive(Clone, Copy, Debug)]
struct LastDef {
    index: usize,
    dst: Reg,
    def: Def,
}

/// One function's code under construction.
///
/// Invariants:
/// - every register is scalar, so a register's index in the scalar bank
///   is its `Reg`; there are never more than [`MAX_REGISTERS`];
/// - `slots[d][column(t)]` is the one register of type `t` for the value
///   stack at depth `d` (allocated on first use);
/// - `last`, when set, describes `instrs[last.index]`; it is only used
///   while that instruction is the final one, so no label separates it
///   from what comes next;
/// - `constants` holds distinct constants (compared by their bits, so
///   NaN payloads and `-0.0` stay apart), at most [`MAX_CONSTANTS`], each
///   with a register that no instruction of `instrs` writes: the
///   function's prologue sets it (or, for zero bits, the cleared frame
///   does) before any instruction of `instrs` runs.
#[derive(Debug)]
pub(super) struct Code {
    builder: FunctionBuilder,
    registers: usize,
    slots: Vec<[Option<Reg>; VALUE_TYPES]>,
    instrs: Vec<Instr<Label>>,
    last: Option<LastDef>,
    constants: Vec<(Const, Reg)>,
}

impl Code {
    /// A function with these parameter and result types; the parameters
    /// are registers `0..params.len()`.
    pub(super) fn new(params: &[ScalarType], results: &[ScalarType]) -> Code {
        let params: Vec<Type> = params.iter().map(|&t| t.into()).collect();
        let results: Vec<Type> = results.iter().map(|&t| t.into()).collect();
        Code {
            registers: params.len(),
            builder: FunctionBuilder::new("", &params, &results),
            slots: Vec::new(),
            instrs: Vec::new(),
            last: None,
            constants: Vec::new(),
        }
    }

    /// A new register of type `ty`.
    pub(super) fn register(&mut self, ty: ScalarType, offset: u64) -> Result<Reg, TranslateError> {
        if self.registers >= MAX_REGISTERS {
            return Err(TranslateError::too_large(
                format!("the function needs more than the {MAX_REGISTERS} registers of a frame"),
                offset,
            ));
        }
        self.registers += 1;
        Ok(self.builder.scalar(ty))
    }

    /// The stack slot register for depth `depth` and type `ty`.
    pub(super) fn slot(
        &mut self,
        depth: usize,
        ty: ScalarType,
        offset: u64,
    ) -> Result<Reg, TranslateError> {
        if self.slots.len() <= depth {
            self.slots.resize(depth + 1, [None; VALUE_TYPES]);
        }
        if let Some(reg) = self.slots[depth][column(ty)] {
            return Ok(reg);
        }
        let reg = self.register(ty, offset)?;
        self.slots[depth][column(ty)] = Some(reg);
        Ok(reg)
    }

    /// The function-wide register of constant `c`, which holds `c` from
    /// the function's entry on and is never written: the one `c` already
    /// has, else (if `new`) a new one while there are fewer than
    /// [`MAX_CONSTANTS`] and registers are left. `None` means: load `c`
    /// where it is used.
    pub(super) fn constant(&mut self, c: Const, new: bool) -> Option<Reg> {
        if let Some(&(_, reg)) = self.constants.iter().find(|(k, _)| *k == c) {
            return Some(reg);
        }
        if !new || self.constants.len() >= MAX_CONSTANTS {
            return None;
        }
        let reg = self.register(c.ty(), 0).ok()?;
        self.constants.push((c, reg));
        Some(reg)
    }

    /// Appends an instruction.
    pub(super) fn push(&mut self, instr: Instr<Label>) {
        self.instrs.push(instr);
    }

    /// Appends `def` writing `dst`, remembering how it was built.
    pub(super) fn define(&mut self, def: Def, dst: Reg) {
        self.last = Some(LastDef {
            index: self.instrs.len(),
            dst,
            def,
        });
        self.instrs.push(def.build(dst));
    }

    /// The [`Def`] of the final instruction, if it is one and writes `reg`.
    pub(super) fn last_def(&self, reg: Reg) -> Option<Def> {
        self.last
            .filter(|last| last.index + 1 == self.instrs.len() && last.dst == reg)
            .map(|last| last.def)
    }

    /// Removes the final instruction, which [`Code::last_def`] described
    /// (its consumer absorbs it).
    pub(super) fn remove_last_def(&mut self) {
        if self.last.take().is_some() {
            self.instrs.pop();
        }
    }

    /// Rebuilds the final instruction, which [`Code::last_def`] described,
    /// to write `dst` instead, with `before` inserted ahead of it.
    pub(super) fn retarget_last_def(&mut self, dst: Reg, before: Vec<Instr<Label>>) {
        if let Some(last) = self.last.take()
            && let Some(instr) = self.instrs.get_mut(last.index)
        {
            *instr = last.def.build(dst);
            self.instrs.splice(last.index..last.index, before);
        }
    }

    pub(super) fn label(&mut self) -> Label {
        self.builder.label()
    }

    /// Places `label` before the next instruction.
    pub(super) fn bind(&mut self, label: Label) {
        self.instrs.push(Instr::Label { name: label });
    }

    pub(super) fn list(&mut self, regs: &[Reg]) -> ListRef {
        self.builder.list(regs)
    }

    pub(super) fn branch_table(&mut self, targets: &[Label]) -> u32 {
        self.builder.branch_table(targets)
    }

    /// The finished function, named `name`: the prologue that sets the
    /// constants' registers (those of zero bits need nothing: a new frame
    /// is cleared), then the code, with jumps to a return made returns.
    pub(super) fn finish(mut self, name: String) -> Function<Label> {
        for &(c, reg) in &self.constants {
            if !c.is_zero() {
                self.builder.push(c.load(reg));
            }
        }
        for instr in self.instrs.drain(..) {
            self.builder.push(instr);
        }
        let mut function = self.builder.finish();
        function.name = name;
        returns::thread(&mut function);
        function
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn add(dst: Reg, a: Reg, b: Reg) -> Instr<Label> {
        Instr::I32Add { dst, a, b }
    }

    #[test]
    fn the_last_definition_is_known_only_while_it_is_last() {
        let mut code = Code::new(&[ScalarType::I32], &[]);
        let r = code.slot(0, ScalarType::I32, 0).unwrap();
        code.define(Def::Binary(add, Reg(0), Reg(0)), r);
        assert!(code.last_def(r).is_some());
        assert!(code.last_def(Reg(0)).is_none(), "another register");
        let label = code.label();
        code.bind(label);
        assert!(code.last_def(r).is_none(), "a label follows it");
    }

    #[test]
    fn retargeting_rebuilds_the_instruction_after_the_inserted_ones() {
        let mut code = Code::new(&[ScalarType::I32, ScalarType::I32], &[]);
        let r = code.slot(0, ScalarType::I32, 0).unwrap();
        code.define(Def::Binary(add, Reg(0), Reg(1)), r);
        let copy = Instr::Copy {
            dst: Reg(5),
            src: Reg(1),
        };
        code.retarget_last_def(Reg(1), vec![copy.clone()]);
        assert_eq!(code.instrs, [copy, add(Reg(1), Reg(0), Reg(1))]);
        assert!(code.last_def(Reg(1)).is_none(), "used once");
    }

    #[test]
    fn slots_are_one_register_per_depth_and_type() {
        let mut code = Code::new(&[ScalarType::I64], &[]);
        let a = code.slot(3, ScalarType::F64, 0).unwrap();
        let b = code.slot(3, ScalarType::I32, 0).unwrap();
        assert_eq!((a, b), (Reg(1), Reg(2)), "after the parameter");
        assert_eq!(code.slot(3, ScalarType::F64, 0).unwrap(), a);
    }

    #[test]
    fn registers_run_out_with_an_error() {
        let mut code = Code::new(&[], &[]);
        for _ in 0..MAX_REGISTERS {
            code.register(ScalarType::I32, 0).unwrap();
        }
        assert!(matches!(
            code.register(ScalarType::I32, 7),
            Err(TranslateError::TooLarge { offset: 7, .. })
        ));
    }
}
