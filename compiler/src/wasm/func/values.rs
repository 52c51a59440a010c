//! Locals, `select`, `ref.is_null` and the numeric operators.

use arenavm_vm::isa::Instr;
use arenavm_vm::types::ScalarType;
use wasmparser::Operator;

use super::Translator;
use super::code::Def;
use super::ops::{self, Binary, ImmForm, IntCmp, Rhs, Unary};
use super::stack::{Const, Entry};
use crate::wasm::TranslateError;

impl Translator<'_> {
    /// `local.set` (`tee == false`) or `local.tee`.
    ///
    /// Entries that still read the local's old value get it copied into
    /// their slots first. If the value is the result of the instruction
    /// just emitted, that instruction is rebuilt to write the local
    /// directly (the copies go before it); otherwise the value is copied.
    pub(super) fn local_set(&mut self, index: u32, tee: bool) -> Result<(), TranslateError> {
        let (local, ty) = self.local(index)?;
        let value = self.pop()?;
        let mut preserve = Vec::new();
        for depth in self.stack.take_local_refs(index) {
            let dst = self.slot(depth, ty)?;
            preserve.push(Instr::Copy { dst, src: local });
            self.stack.replace(depth, Entry::Slot { reg: dst, ty });
        }
        match value {
            Entry::Slot { reg, .. } if self.code.last_def(reg).is_some() => {
                self.code.retarget_last_def(local, preserve);
            }
            _ => {
                for copy in preserve {
                    self.code.push(copy);
                }
                match value {
                    Entry::Const(c) => self.code.push(c.load(local)),
                    Entry::Local { reg, .. } | Entry::Slot { reg, .. } if reg == local => {}
                    Entry::Local { reg: src, .. } | Entry::Slot { reg: src, .. } => {
                        self.code.push(Instr::Copy { dst: local, src });
                    }
                }
            }
        }
        if tee {
            self.stack.push(Entry::Local {
                index,
                reg: local,
                ty,
            });
        }
        Ok(())
    }

    /// `select` and typed `select`. A constant condition picks an operand
    /// without code.
    pub(super) fn select(&mut self) -> Result<(), TranslateError> {
        let cond = self.pop()?;
        let b = self.pop()?;
        let a = self.pop()?;
        let depth = self.stack.len();
        let ty = a.ty();
        if let Entry::Const(Const::I32(c)) = cond {
            match (c != 0, b) {
                (true, _) => self.stack.push(a),
                (false, Entry::Slot { reg: src, .. }) => {
                    let dst = self.slot(depth, ty)?;
                    self.code.push(Instr::Copy { dst, src });
                    self.push_slot(dst, ty);
                }
                (false, b) => self.stack.push(b),
            }
            return Ok(());
        }
        let a = self.reg_of(a, depth)?;
        let b = self.reg_of(b, depth + 1)?;
        let cond = self.reg_of(cond, depth + 2)?;
        let dst = self.slot(depth, ty)?;
        self.code.define(Def::Select { cond, a, b }, dst);
        self.push_slot(dst, ty);
        Ok(())
    }

    pub(super) fn ref_is_null(&mut self) -> Result<(), TranslateError> {
        let value = self.pop()?;
        match value {
            Entry::Const(Const::Null(_)) => self.stack.push(Entry::Const(Const::I32(1))),
            Entry::Const(Const::Func(_)) => self.stack.push(Entry::Const(Const::I32(0))),
            value => {
                let depth = self.stack.len();
                let value = self.reg_of(value, depth)?;
                let dst = self.slot(depth, ScalarType::I32)?;
                self.code.push(Instr::RefIsNull { dst, value });
                self.push_slot(dst, ScalarType::I32);
            }
        }
        Ok(())
    }

    /// The numeric operators of the tables in [`ops`]; false if `op` is
    /// none of them.
    pub(super) fn numeric(&mut self, op: &Operator<'_>) -> Result<bool, TranslateError> {
        if let Some(binary) = ops::binary(op) {
            self.binary(binary)?;
        } else if let Some(unary) = ops::unary(op) {
            self.unary(unary)?;
        } else if let Some((cmp, zero)) = IntCmp::from_operator(op) {
            match zero {
                Some(_) => self.eqz(cmp)?,
                None => self.compare(cmp)?,
            }
        } else {
            return Ok(false);
        }
        Ok(true)
    }

    /// Emits `def` writing the slot of the current depth, and pushes it.
    fn define(&mut self, def: Def, ty: ScalarType) -> Result<(), TranslateError> {
        let dst = self.result_slot(ty)?;
        self.code.define(def, dst);
        self.push_slot(dst, ty);
        Ok(())
    }

    fn binary(&mut self, op: Binary) -> Result<(), TranslateError> {
        let b = self.pop()?;
        let a = self.pop()?;
        let depth = self.stack.len();
        self.expect_type(a, op.operand)?;
        self.expect_type(b, op.operand)?;
        let def = match (op.imm, imm(a), imm(b), negated(b)) {
            (ImmForm::Right(build) | ImmForm::Commutative(build), _, Some(imm), _) => {
                Def::Imm(build, self.reg_of(a, depth)?, imm)
            }
            (ImmForm::Commutative(build), Some(imm), None, _) => {
                Def::Imm(build, self.reg_of(b, depth + 1)?, imm)
            }
            (ImmForm::NegatedAdd(build), _, _, Some(imm)) => {
                Def::Imm(build, self.reg_of(a, depth)?, imm)
            }
            _ => {
                let a = self.reg_of(a, depth)?;
                let b = self.reg_of(b, depth + 1)?;
                Def::Binary(op.build, a, b)
            }
        };
        self.define(def, op.result)
    }

    fn unary(&mut self, op: Unary) -> Result<(), TranslateError> {
        let a = self.pop()?;
        self.expect_type(a, op.operand)?;
        let a = self.reg_of(a, self.stack.len())?;
        self.define(Def::Unary(op.build, a), op.result)
    }

    /// A comparison of two operands; a constant operand that fits becomes
    /// the immediate (swapping the comparison if it is the left one).
    fn compare(&mut self, cmp: IntCmp) -> Result<(), TranslateError> {
        let b = self.pop()?;
        let a = self.pop()?;
        self.expect_type(a, cmp.operand())?;
        self.expect_type(b, cmp.operand())?;
        let depth = self.stack.len();
        let def = match (imm(a), imm(b)) {
            (_, Some(imm)) => Def::Compare(cmp, self.reg_of(a, depth)?, Rhs::Imm(imm)),
            (Some(imm), None) => {
                Def::Compare(cmp.swap(), self.reg_of(b, depth + 1)?, Rhs::Imm(imm))
            }
            (None, None) => {
                let a = self.reg_of(a, depth)?;
                let b = self.reg_of(b, depth + 1)?;
                Def::Compare(cmp, a, Rhs::Reg(b))
            }
        };
        self.define(def, ScalarType::I32)
    }

    /// `eqz`, a comparison with 0. The `i32.eqz` of a comparison just
    /// computed is that comparison negated.
    fn eqz(&mut self, cmp: IntCmp) -> Result<(), TranslateError> {
        let a = self.pop()?;
        self.expect_type(a, cmp.operand())?;
        let def = match a {
            Entry::Slot { reg, .. } if !cmp.wide => match self.code.last_def(reg) {
                Some(Def::Compare(inner, x, rhs)) => {
                    self.code.remove_last_def();
                    Def::Compare(inner.negate(), x, rhs)
                }
                _ => Def::Compare(cmp, reg, Rhs::Imm(0)),
            },
            a => Def::Compare(cmp, self.reg_of(a, self.stack.len())?, Rhs::Imm(0)),
        };
        self.define(def, ScalarType::I32)
    }
}

/// The entry as an immediate operand, if it is an integer constant that
/// fits (see [`Const::imm`]).
fn imm(entry: Entry) -> Option<i32> {
    match entry {
        Entry::Const(c) => c.imm(),
        _ => None,
    }
}

/// `-c` as the immediate of an add, for a constant `c` subtracted:
/// always for `i32` (wrapping), for `i64` if `-c` fits in `i32`.
fn negated(entry: Entry) -> Option<i32> {
    match entry {
        Entry::Const(Const::I32(c)) => Some(c.wrapping_neg()),
        Entry::Const(Const::I64(c)) => c.checked_neg().and_then(|n| i32::try_from(n).ok()),
        _ => None,
    }
}
