//! Structured control flow: blocks, loops, `if`/`else`, branches and
//! returns.
//!
//! A branch carries its values in the **slots** of its target: the values
//! a block, `if` or function produces, or a loop takes, at the depths
//! `height..height + n` of the target's stack. So every path into a label
//! leaves its values in the same registers, and after the label the stack
//! model simply names those slots.
//!
//! Entering a block first turns every [`Entry::Local`] on the stack into a
//! slot (one copy each): code inside the block may write the local on one
//! path only, so a lazy read that crosses the block boundary would not
//! mean the same thing on every path out of it. Constants stay lazy.

use std::collections::HashMap;

use arenavm_vm::isa::{Instr, Label, Reg};
use arenavm_vm::types::ScalarType;
use wasmparser::{BlockType, BrTable};

use super::code::Def;
use super::ops::{CmpOp, IntCmp, Rhs};
use super::stack::{Const, Entry};
use super::{Translator, scalar};
use crate::wasm::TranslateError;

/// What kind of block a frame is.
#[derive(Debug)]
pub(super) enum FrameKind {
    /// The function body; branching to it returns.
    Function,
    Block,
    /// Branches go back to the start, with the loop's parameters.
    Loop,
    /// An `if` whose `else` has not come yet. `else_reachable` is false
    /// when the condition was a constant true; `params` are the parameter
    /// entries at entry (slots or constants), which the else arm starts
    /// from.
    If {
        else_label: Label,
        else_reachable: bool,
        params: Vec<Entry>,
    },
    Else,
}

/// One open block.
#[derive(Debug)]
pub(super) struct Frame {
    kind: FrameKind,
    params: Vec<ScalarType>,
    results: Vec<ScalarType>,
    /// Stack height below the block's parameters.
    height: usize,
    /// Where branches go: a loop's start, any other block's end.
    label: Label,
    /// Some branch goes to `label` (so it must be bound).
    targeted: bool,
}

impl Frame {
    /// The function body's frame.
    pub(super) fn function(results: &[ScalarType], label: Label) -> Frame {
        Frame {
            kind: FrameKind::Function,
            params: Vec::new(),
            results: results.to_vec(),
            height: 0,
            label,
            targeted: false,
        }
    }

    /// The types a branch to this frame carries.
    fn branch_types(&self) -> &[ScalarType] {
        match self.kind {
            FrameKind::Loop => &self.params,
            _ => &self.results,
        }
    }
}

/// A branch condition: a constant, or an integer comparison (a register
/// tested against zero is `reg != 0`).
#[derive(Clone, Copy, Debug)]
pub(super) enum Cond {
    Const(bool),
    Cmp(IntCmp, Reg, Rhs),
}

impl Cond {
    fn negate(self) -> Cond {
        match self {
            Cond::Const(b) => Cond::Const(!b),
            Cond::Cmp(cmp, a, rhs) => Cond::Cmp(cmp.negate(), a, rhs),
        }
    }
}

impl Translator<'_> {
    fn block_type(
        &self,
        ty: BlockType,
    ) -> Result<(Vec<ScalarType>, Vec<ScalarType>), TranslateError> {
        Ok(match ty {
            BlockType::Empty => (Vec::new(), Vec::new()),
            BlockType::Type(t) => (Vec::new(), vec![scalar(t, self.offset)?]),
            BlockType::FuncType(index) => {
                let sig = self.env.sig(index, self.offset)?;
                (sig.params.clone(), sig.results.clone())
            }
        })
    }

    /// A new frame for a block of type `ty` whose parameters are on the
    /// stack, after turning local reads on the stack into slots.
    fn enter(&mut self, ty: BlockType) -> Result<Frame, TranslateError> {
        let (params, results) = self.block_type(ty)?;
        self.spill_locals()?;
        let height = self
            .stack
            .len()
            .checked_sub(params.len())
            .ok_or_else(|| self.internal("block parameters missing"))?;
        Ok(Frame {
            kind: FrameKind::Block,
            params,
            results,
            height,
            label: self.code.label(),
            targeted: false,
        })
    }

    pub(super) fn block(&mut self, ty: BlockType) -> Result<(), TranslateError> {
        let frame = self.enter(ty)?;
        self.frames.push(frame);
        Ok(())
    }

    pub(super) fn loop_(&mut self, ty: BlockType) -> Result<(), TranslateError> {
        let mut frame = self.enter(ty)?;
        // Back edges bring the parameters in their slots; so must entry.
        self.settle_consts(frame.height)?;
        frame.kind = FrameKind::Loop;
        self.code.bind(frame.label);
        self.frames.push(frame);
        Ok(())
    }

    pub(super) fn if_(&mut self, ty: BlockType) -> Result<(), TranslateError> {
        let cond = self.pop_cond()?;
        let mut frame = self.enter(ty)?;
        // Both arms start from the parameters, and the implicit else
        // passes them through as results: they must be in their slots.
        self.settle_consts(frame.height)?;
        let else_label = self.code.label();
        match cond {
            // The then arm is dead and emits nothing: the else arm follows.
            Cond::Const(false) => self.reachable = false,
            cond => self.branch(cond.negate(), else_label),
        }
        frame.kind = FrameKind::If {
            else_label,
            else_reachable: !matches!(cond, Cond::Const(true)),
            params: self.stack.top(frame.params.len()).to_vec(),
        };
        self.frames.push(frame);
        Ok(())
    }

    /// `else`, reached or skipped into.
    pub(super) fn else_(&mut self) -> Result<(), TranslateError> {
        let reachable = self.reachable;
        let Some(frame) = self.frames.last_mut() else {
            return Err(self.internal("`else` outside any block"));
        };
        let FrameKind::If {
            else_label,
            else_reachable,
            params,
        } = std::mem::replace(&mut frame.kind, FrameKind::Else)
        else {
            return Err(self.internal("`else` without `if`"));
        };
        let (height, results, end) = (frame.height, frame.results.clone(), frame.label);
        if reachable {
            frame.targeted = true;
            self.settle_results(height, &results)?;
            self.code.push(Instr::Jump { target: end });
        }
        self.stack.truncate(height);
        self.dead_depth = 0;
        self.reachable = else_reachable;
        if else_reachable {
            self.code.bind(else_label);
            for entry in params {
                self.stack.push(entry);
            }
        }
        Ok(())
    }

    /// `end`, reached or skipped into.
    pub(super) fn end(&mut self) -> Result<(), TranslateError> {
        let frame = self
            .frames
            .pop()
            .ok_or_else(|| self.internal("`end` outside any block"))?;
        self.dead_depth = 0;
        if let FrameKind::Function = frame.kind {
            if self.reachable {
                self.emit_return(&frame.results)?;
            }
            self.reachable = false;
            return Ok(());
        }
        // Paths merge at the end when a branch targets it or an `if`
        // without `else` may skip its arm; only then must the results be
        // in their slots. A loop's end, or a block's that nothing
        // branches to, is reached by falling through alone, and its
        // results stay as they are (locals and constants included).
        let skip_path = matches!(
            frame.kind,
            FrameKind::If {
                else_reachable: true,
                ..
            }
        );
        let branched_to = frame.targeted && !matches!(frame.kind, FrameKind::Loop);
        if !skip_path && !branched_to {
            if !self.reachable {
                self.stack.truncate(frame.height);
            }
            return Ok(());
        }
        if self.reachable {
            self.settle_results(frame.height, &frame.results)?;
        }
        if let FrameKind::If { else_label, .. } = frame.kind
            && skip_path
        {
            // The implicit else passes the parameters, which are the
            // results and already in their slots, straight through.
            self.code.bind(else_label);
        }
        if branched_to {
            self.code.bind(frame.label);
        }
        self.reachable = true;
        self.stack.truncate(frame.height);
        for (i, &ty) in frame.results.iter().enumerate() {
            let reg = self.slot(frame.height + i, ty)?;
            self.push_slot(reg, ty);
        }
        Ok(())
    }

    /// Whether the operator being translated is inside a loop.
    pub(super) fn in_loop(&self) -> bool {
        self.frames
            .iter()
            .any(|f| matches!(f.kind, FrameKind::Loop))
    }

    /// The frame `relative_depth` blocks out, by index in `frames`.
    fn target(&self, relative_depth: u32) -> Result<usize, TranslateError> {
        (self.frames.len())
            .checked_sub(1 + relative_depth as usize)
            .ok_or_else(|| self.internal(format!("no block at depth {relative_depth}")))
    }

    /// Jumps to frame `target` with the values on top of the stack,
    /// copying them into the target's slots first. Returns for the
    /// function's frame. Leaves the stack model unchanged.
    fn jump_to(&mut self, target: usize) -> Result<(), TranslateError> {
        let offset = self.offset;
        let frame = self
            .frames
            .get_mut(target)
            .ok_or_else(|| TranslateError::internal("no such block", offset))?;
        if let FrameKind::Function = frame.kind {
            let results = frame.results.clone();
            return self.emit_return(&results);
        }
        frame.targeted = true;
        let (height, label, n) = (frame.height, frame.label, frame.branch_types().len());
        let values = self.stack.top(n).to_vec();
        self.copy_to_slots(&values, height)?;
        self.code.push(Instr::Jump { target: label });
        Ok(())
    }

    /// Whether a branch to frame `target` needs no code but the jump: not
    /// a return, and its values are already in the target's slots.
    fn direct_label(&mut self, target: usize) -> Option<Label> {
        let frame = self.frames.get_mut(target)?;
        if let FrameKind::Function = frame.kind {
            return None;
        }
        let n = frame.branch_types().len();
        let in_place = self.stack.len().checked_sub(n) == Some(frame.height)
            && self
                .stack
                .top(n)
                .iter()
                .all(|e| matches!(e, Entry::Slot { .. }));
        if in_place {
            frame.targeted = true;
            Some(frame.label)
        } else {
            None
        }
    }

    pub(super) fn br(&mut self, relative_depth: u32) -> Result<(), TranslateError> {
        let target = self.target(relative_depth)?;
        self.jump_to(target)?;
        self.reachable = false;
        Ok(())
    }

    pub(super) fn br_if(&mut self, relative_depth: u32) -> Result<(), TranslateError> {
        let cond = self.pop_cond()?;
        match cond {
            Cond::Const(false) => return Ok(()),
            Cond::Const(true) => return self.br(relative_depth),
            Cond::Cmp(..) => {}
        }
        let target = self.target(relative_depth)?;
        self.settle_at_target_depth(target)?;
        if let Some(label) = self.direct_label(target) {
            self.branch(cond, label);
        } else {
            let skip = self.code.label();
            self.branch(cond.negate(), skip);
            self.jump_to(target)?;
            self.code.bind(skip);
        }
        Ok(())
    }

    pub(super) fn br_table(&mut self, table: &BrTable<'_>) -> Result<(), TranslateError> {
        let index = self.pop()?;
        let mut depths = table.targets().collect::<Result<Vec<u32>, _>>()?;
        depths.push(table.default());
        if let Entry::Const(Const::I32(i)) = index {
            let chosen = depths
                .get(i as u32 as usize)
                .or(depths.last())
                .copied()
                .ok_or_else(|| self.internal("empty branch table"))?;
            return self.br(chosen);
        }
        let index = self.reg_of(index, self.stack.len())?;
        // One label per distinct target: the target's own, or a
        // trampoline that moves the values (or returns) first.
        let mut labels = Vec::with_capacity(depths.len());
        let mut seen: HashMap<u32, Label> = HashMap::new();
        let mut trampolines = Vec::new();
        for &depth in &depths {
            if let Some(&label) = seen.get(&depth) {
                labels.push(label);
                continue;
            }
            let target = self.target(depth)?;
            self.settle_at_target_depth(target)?;
            let label = match self.direct_label(target) {
                Some(label) => label,
                None => {
                    let label = self.code.label();
                    trampolines.push((label, target));
                    label
                }
            };
            seen.insert(depth, label);
            labels.push(label);
        }
        let table = self.code.branch_table(&labels);
        self.code.push(Instr::BrTable { index, table });
        for (label, target) in trampolines {
            self.code.bind(label);
            self.jump_to(target)?;
        }
        self.reachable = false;
        Ok(())
    }

    pub(super) fn return_(&mut self) -> Result<(), TranslateError> {
        self.jump_to(0)?;
        self.reachable = false;
        Ok(())
    }

    /// `Return` of the top `results.len()` values, without changing the
    /// stack model.
    pub(super) fn emit_return(&mut self, results: &[ScalarType]) -> Result<(), TranslateError> {
        let base = self
            .stack
            .len()
            .checked_sub(results.len())
            .ok_or_else(|| self.internal("too few values to return"))?;
        let entries = self.stack.top(results.len()).to_vec();
        let mut regs = Vec::with_capacity(entries.len());
        for (i, entry) in entries.into_iter().enumerate() {
            regs.push(self.reg_of(entry, base + i)?);
        }
        let values = self.code.list(&regs);
        self.code.push(Instr::Return { values });
        Ok(())
    }

    /// Pops a branch condition. An integer comparison computed by the
    /// instruction just before is taken back, to be fused into the branch.
    pub(super) fn pop_cond(&mut self) -> Result<Cond, TranslateError> {
        let nonzero = |reg| {
            let cmp = IntCmp {
                wide: false,
                op: CmpOp::Ne,
            };
            Cond::Cmp(cmp, reg, Rhs::Imm(0))
        };
        Ok(match self.pop()? {
            Entry::Const(Const::I32(v)) => Cond::Const(v != 0),
            Entry::Const(c) => return Err(self.internal(format!("condition {c:?}"))),
            Entry::Local { reg, .. } => nonzero(reg),
            Entry::Slot { reg, .. } => match self.code.last_def(reg) {
                Some(Def::Compare(cmp, a, rhs)) => {
                    self.code.remove_last_def();
                    Cond::Cmp(cmp, a, rhs)
                }
                _ => nonzero(reg),
            },
        })
    }

    /// Jumps to `target` if `cond` holds.
    fn branch(&mut self, cond: Cond, target: Label) {
        match cond {
            Cond::Const(true) => self.code.push(Instr::Jump { target }),
            Cond::Const(false) => {}
            Cond::Cmp(cmp, a, rhs) => self.code.push(cmp.branch(a, rhs, target)),
        }
    }

    /// Copies `values` (entries, bottom first) into the slots of depths
    /// `base..`. `base` is at most the depth of the first value, so in
    /// ascending order no copy overwrites a value still to be copied.
    fn copy_to_slots(&mut self, values: &[Entry], base: usize) -> Result<(), TranslateError> {
        for (i, &entry) in values.iter().enumerate() {
            let ty = entry.ty();
            let dst = self.slot(base + i, ty)?;
            match entry {
                Entry::Slot { reg, .. } | Entry::Local { reg, .. } if reg == dst => {}
                Entry::Slot { reg: src, .. } | Entry::Local { reg: src, .. } => {
                    self.code.push(Instr::Copy { dst, src });
                }
                Entry::Const(c) => self.code.push(c.load(dst)),
            }
        }
        Ok(())
    }

    /// Puts a block's results, the top of the stack at `height..`, in
    /// their slots (they are popped: the caller truncates the stack).
    fn settle_results(
        &mut self,
        height: usize,
        results: &[ScalarType],
    ) -> Result<(), TranslateError> {
        if self.stack.len() != height + results.len() {
            return Err(self.internal("block results do not match the stack"));
        }
        let values = self.stack.top(results.len()).to_vec();
        self.copy_to_slots(&values, height)
    }

    /// When the values a branch to frame `target` carries stand at the
    /// very depths of the target's slots, puts them there now, on both
    /// paths: the slots of those depths are theirs anyway, so the
    /// fall-through path loses nothing, and the branch needs no copies.
    fn settle_at_target_depth(&mut self, target: usize) -> Result<(), TranslateError> {
        let Some(frame) = self.frames.get(target) else {
            return Ok(());
        };
        let (height, n) = (frame.height, frame.branch_types().len());
        if matches!(frame.kind, FrameKind::Function) || self.stack.len() != height + n {
            return Ok(());
        }
        let values = self.stack.top(n).to_vec();
        if values.iter().all(|e| matches!(e, Entry::Slot { .. })) {
            return Ok(());
        }
        self.stack.truncate(height);
        self.copy_to_slots(&values, height)?;
        for (i, value) in values.into_iter().enumerate() {
            let ty = value.ty();
            let reg = self.slot(height + i, ty)?;
            self.push_slot(reg, ty);
        }
        Ok(())
    }

    /// Turns every [`Entry::Local`] on the stack into a slot.
    pub(super) fn spill_locals(&mut self) -> Result<(), TranslateError> {
        for depth in self.stack.take_all_local_refs() {
            if let Some(Entry::Local { reg, ty, .. }) = self.stack.get(depth) {
                let dst = self.slot(depth, ty)?;
                self.code.push(Instr::Copy { dst, src: reg });
                self.stack.replace(depth, Entry::Slot { reg: dst, ty });
            }
        }
        Ok(())
    }

    /// Loads the constants at depths `from..` into their slots.
    fn settle_consts(&mut self, from: usize) -> Result<(), TranslateError> {
        for depth in from..self.stack.len() {
            if let Some(Entry::Const(c)) = self.stack.get(depth) {
                let dst = self.slot(depth, c.ty())?;
                self.code.push(c.load(dst));
                self.stack.replace(
                    depth,
                    Entry::Slot {
                        reg: dst,
                        ty: c.ty(),
                    },
                );
            }
        }
        Ok(())
    }
}
