//! Function bodies: one pass from Wasm's stack code to register code.
//!
//! The translator walks the operators once, keeping a model of the Wasm
//! value stack ([`stack`]) and of the open blocks ([`control`]), and emits
//! instructions into a [`code::Code`] buffer:
//!
//! - registers `0..params` are the parameters and the next ones the other
//!   locals, in Wasm's local order; frames start cleared, which is each
//!   local's Wasm default (0 and null), so locals need no initialising;
//! - `local.get` and constants emit nothing; their value is used in place
//!   (immediate operands, call arguments, returned values) or copied into
//!   a register only when one is needed;
//! - a constant that must be in a register inside a loop (or is zero)
//!   gets a register of its own, set once by a prologue at the function's
//!   entry and never written again, so loops do not reload it;
//! - every computed value goes to the slot register of its stack depth
//!   and type, which makes the values at a block boundary agree on every
//!   path; `local.set` right after an instruction rewrites that
//!   instruction's destination instead of copying;
//! - an integer comparison consumed by `br_if` or `if` becomes one
//!   compare-and-branch instruction;
//! - code after an unconditional transfer is skipped up to the end of its
//!   block (wasmparser has validated it);
//! - finally, a jump to a `Return` becomes that `Return` ([`returns`]).
//!
//! The operator families are in [`ops`]; control flow in [`control`];
//! locals, constants and arithmetic in [`values`]; calls, memories,
//! tables and globals in [`access`].

mod access;
mod code;
mod control;
mod ops;
mod returns;
mod stack;
mod values;

use arenavm_vm::isa::{Instr, Label, Reg};
use arenavm_vm::program::Function;
use arenavm_vm::types::ScalarType;
use wasmparser::{FunctionBody, Operator};

use super::TranslateError;
use super::env::{FuncSig, ModuleEnv, heap, scalar};
use code::Code;
use control::Frame;
use stack::{Const, Entry, ValueStack};

pub(crate) use stack::Callee;

/// Translates one function body of signature `sig`.
pub(crate) fn translate_body(
    env: &ModuleEnv,
    sig: &FuncSig,
    body: &FunctionBody<'_>,
    name: String,
) -> Result<Function<Label>, TranslateError> {
    let mut t = Translator {
        env,
        code: Code::new(&sig.params, &sig.results),
        locals: Vec::new(),
        stack: ValueStack::default(),
        frames: Vec::new(),
        reachable: true,
        dead_depth: 0,
        offset: body.range().start,
    };
    for (i, &ty) in sig.params.iter().enumerate() {
        t.locals.push((Reg(i as u16), ty));
    }
    let mut locals = body.get_locals_reader()?;
    for _ in 0..locals.get_count() {
        let offset = locals.original_position();
        let (count, ty) = locals.read()?;
        let ty = scalar(ty, offset)?;
        for _ in 0..count {
            let reg = t.code.register(ty, offset)?;
            t.locals.push((reg, ty));
        }
    }
    t.frames.push(Frame::function(&sig.results, t.code.label()));

    let mut reader = body.get_operators_reader()?;
    while !reader.eof() {
        let (op, offset) = reader.read_with_offset()?;
        t.offset = offset;
        if t.reachable {
            t.operator(op)?;
        } else {
            t.skip(&op)?;
        }
    }
    reader.finish()?;
    if !t.frames.is_empty() {
        return Err(TranslateError::internal(
            "the body ended inside a block",
            t.offset,
        ));
    }
    Ok(t.code.finish(name))
}

/// The state of one function's translation.
struct Translator<'e> {
    env: &'e ModuleEnv,
    code: Code,
    /// Register and type of each local, parameters first.
    locals: Vec<(Reg, ScalarType)>,
    stack: ValueStack,
    /// Open blocks, the function's own block first.
    frames: Vec<Frame>,
    /// False after an unconditional transfer until the end of the block.
    reachable: bool,
    /// While unreachable: blocks opened in the skipped code, not yet ended.
    dead_depth: u32,
    /// Byte offset of the operator being translated, for errors.
    offset: u64,
}

impl Translator<'_> {
    /// Skips an operator of unreachable code, following only the block
    /// structure, until the `else` or `end` of the current block.
    fn skip(&mut self, op: &Operator<'_>) -> Result<(), TranslateError> {
        match op {
            Operator::Block { .. }
            | Operator::Loop { .. }
            | Operator::If { .. }
            | Operator::TryTable { .. }
            | Operator::Try { .. } => self.dead_depth += 1,
            Operator::End | Operator::Delegate { .. } if self.dead_depth > 0 => {
                self.dead_depth -= 1
            }
            Operator::Else if self.dead_depth > 0 => {}
            Operator::Else => self.else_()?,
            Operator::End => self.end()?,
            _ => {}
        }
        Ok(())
    }

    /// Translates one operator of reachable code.
    fn operator(&mut self, op: Operator<'_>) -> Result<(), TranslateError> {
        use Operator as O;
        match op {
            O::Nop => {}
            O::Unreachable => {
                self.code.push(Instr::Unreachable {});
                self.reachable = false;
            }
            O::Block { blockty } => self.block(blockty)?,
            O::Loop { blockty } => self.loop_(blockty)?,
            O::If { blockty } => self.if_(blockty)?,
            O::Else => self.else_()?,
            O::End => self.end()?,
            O::Br { relative_depth } => self.br(relative_depth)?,
            O::BrIf { relative_depth } => self.br_if(relative_depth)?,
            O::BrTable { targets } => self.br_table(&targets)?,
            O::Return => self.return_()?,

            O::Call { function_index } => self.call(function_index)?,
            O::CallIndirect {
                type_index,
                table_index,
            } => self.call_indirect(type_index, table_index)?,
            O::ReturnCall { function_index } => self.return_call(function_index)?,
            O::ReturnCallIndirect {
                type_index,
                table_index,
            } => self.return_call_indirect(type_index, table_index)?,

            O::Drop => {
                self.pop()?;
            }
            O::Select | O::TypedSelect { .. } => self.select()?,
            O::LocalGet { local_index } => {
                let (reg, ty) = self.local(local_index)?;
                self.stack.push(Entry::Local {
                    index: local_index,
                    reg,
                    ty,
                });
            }
            O::LocalSet { local_index } => self.local_set(local_index, false)?,
            O::LocalTee { local_index } => self.local_set(local_index, true)?,
            O::GlobalGet { global_index } => self.global_get(global_index)?,
            O::GlobalSet { global_index } => self.global_set(global_index)?,

            O::I32Const { value } => self.stack.push(Entry::Const(Const::I32(value))),
            O::I64Const { value } => self.stack.push(Entry::Const(Const::I64(value))),
            O::F32Const { value } => self.stack.push(Entry::Const(Const::F32(value.bits()))),
            O::F64Const { value } => self.stack.push(Entry::Const(Const::F64(value.bits()))),
            O::RefNull { hty } => {
                let ty = heap(hty, self.offset)?;
                self.stack.push(Entry::Const(Const::Null(ty)));
            }
            O::RefFunc { function_index } => {
                let callee = self.env.callee(function_index);
                self.stack.push(Entry::Const(Const::Func(callee)));
            }
            O::RefIsNull => self.ref_is_null()?,

            op => self.access_or_numeric(op)?,
        }
        Ok(())
    }

    /// Memory, table and numeric operators; anything else is unsupported.
    fn access_or_numeric(&mut self, op: Operator<'_>) -> Result<(), TranslateError> {
        if self.access(&op)? || self.numeric(&op)? {
            return Ok(());
        }
        Err(TranslateError::unsupported(
            ops::describe_unsupported(&op),
            self.offset,
        ))
    }

    /// Register and type of local `index`.
    fn local(&self, index: u32) -> Result<(Reg, ScalarType), TranslateError> {
        self.locals
            .get(index as usize)
            .copied()
            .ok_or_else(|| self.internal(format!("no local {index}")))
    }

    fn pop(&mut self) -> Result<Entry, TranslateError> {
        self.stack
            .pop()
            .ok_or_else(|| self.internal("the value stack is empty"))
    }

    /// Checks what validation guarantees: `entry` is of type `ty`.
    fn expect_type(&self, entry: Entry, ty: ScalarType) -> Result<(), TranslateError> {
        if entry.ty() == ty {
            Ok(())
        } else {
            Err(self.internal(format!("expected a {ty:?} operand, found {entry:?}")))
        }
    }

    fn internal(&self, message: impl Into<String>) -> TranslateError {
        TranslateError::internal(message, self.offset)
    }

    /// The slot register of `depth` for type `ty`.
    fn slot(&mut self, depth: usize, ty: ScalarType) -> Result<Reg, TranslateError> {
        self.code.slot(depth, ty, self.offset)
    }

    /// A register holding `entry`, which is (or was) at `depth`, to be
    /// read: its own register, or for a constant, the function-wide
    /// register it has or gets (see [`Code::constant`]), else the slot of
    /// `depth` loaded with it. A constant gets a register of its own when
    /// that costs nothing on any path (its bits are zero, which a new
    /// frame holds already) or saves a load per iteration (the use is
    /// inside a loop); elsewhere a load at the use runs no more often
    /// than one at entry, and only on the paths that need it. The stack
    /// model is not changed.
    fn reg_of(&mut self, entry: Entry, depth: usize) -> Result<Reg, TranslateError> {
        match entry {
            Entry::Local { reg, .. } | Entry::Slot { reg, .. } => Ok(reg),
            Entry::Const(c) => {
                if let Some(reg) = self.code.constant(c, c.is_zero() || self.in_loop()) {
                    return Ok(reg);
                }
                let reg = self.slot(depth, c.ty())?;
                self.code.push(c.load(reg));
                Ok(reg)
            }
        }
    }

    /// Pops the top `n` entries and returns registers holding them,
    /// bottom first, and the depth of the first.
    fn pop_regs(&mut self, n: usize) -> Result<(Vec<Reg>, usize), TranslateError> {
        let base = self
            .stack
            .len()
            .checked_sub(n)
            .ok_or_else(|| self.internal("too few values on the stack"))?;
        let entries = self.stack.top(n).to_vec();
        self.stack.truncate(base);
        let mut regs = Vec::with_capacity(n);
        for (i, entry) in entries.into_iter().enumerate() {
            regs.push(self.reg_of(entry, base + i)?);
        }
        Ok((regs, base))
    }

    /// Pushes the value computed into the slot of the current depth.
    fn push_slot(&mut self, reg: Reg, ty: ScalarType) {
        self.stack.push(Entry::Slot { reg, ty });
    }

    /// The slot register for a new value of type `ty` on top of the stack.
    fn result_slot(&mut self, ty: ScalarType) -> Result<Reg, TranslateError> {
        self.slot(self.stack.len(), ty)
    }
}
