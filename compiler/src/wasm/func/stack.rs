//! The value stack model: what each Wasm operand stack entry is at
//! translation time.
//!
//! `local.get` and constants emit no code: they push a [`Entry::Local`] or
//! [`Entry::Const`] that names where the value already is, and the value
//! is copied into a register only when something needs one. Computed
//! values live in **stack slots**: the register for their depth and type
//! (see [`Code::slot`](super::code::Code::slot)).

use std::collections::HashMap;

use arenavm_vm::isa::{Instr, Label, Reg};
use arenavm_vm::types::ScalarType;

/// A function a `ref.func` names: defined, or a function import.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Callee {
    Defined(u32),
    Import(u32),
}

/// A constant not yet in any register.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Const {
    I32(i32),
    I64(i64),
    /// An `f32` by its bits.
    F32(u32),
    /// An `f64` by its bits.
    F64(u64),
    /// The null reference of a reference type.
    Null(ScalarType),
    /// A reference to a function (`ref.func`).
    Func(Callee),
}

impl Const {
    pub(super) fn ty(self) -> ScalarType {
        match self {
            Const::I32(_) => ScalarType::I32,
            Const::I64(_) => ScalarType::I64,
            Const::F32(_) => ScalarType::F32,
            Const::F64(_) => ScalarType::F64,
            Const::Null(ty) => ty,
            Const::Func(_) => ScalarType::FuncRef,
        }
    }

    /// The instruction that puts the constant in `dst`.
    pub(super) fn load(self, dst: Reg) -> Instr<Label> {
        match self {
            Const::I32(value) => Instr::I32Const { dst, value },
            Const::I64(value) => Instr::I64Const { dst, value },
            Const::F32(bits) => Instr::F32Const { dst, bits },
            Const::F64(bits) => Instr::F64Const { dst, bits },
            Const::Null(_) => Instr::RefNull { dst },
            Const::Func(Callee::Defined(func)) => Instr::RefFunc { dst, func },
            Const::Func(Callee::Import(import)) => Instr::RefImport { dst, import },
        }
    }

    /// Whether the constant is all zero bits (0, +0.0 or null): the value
    /// every register of a new frame starts with.
    pub(super) fn is_zero(self) -> bool {
        match self {
            Const::I32(v) => v == 0,
            Const::I64(v) => v == 0,
            Const::F32(bits) => bits == 0,
            Const::F64(bits) => bits == 0,
            Const::Null(_) => true,
            Const::Func(_) => false,
        }
    }

    /// The constant as an immediate operand of an `i32` or `i64` op, if
    /// it is an integer that fits (`i64` immediates are sign-extended).
    pub(super) fn imm(self) -> Option<i32> {
        match self {
            Const::I32(v) => Some(v),
            Const::I64(v) => i32::try_from(v).ok(),
            _ => None,
        }
    }
}

/// One value stack entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Entry {
    /// The current value of local `index`, in its register `reg`. Valid
    /// only until the local is written: `local.set` first turns every
    /// such entry into a slot.
    Local {
        index: u32,
        reg: Reg,
        ty: ScalarType,
    },
    /// A constant.
    Const(Const),
    /// A value in its stack slot: `reg` is the slot register of the
    /// entry's depth and type.
    Slot { reg: Reg, ty: ScalarType },
}

impl Entry {
    pub(super) fn ty(self) -> ScalarType {
        match self {
            Entry::Local { ty, .. } | Entry::Slot { ty, .. } => ty,
            Entry::Const(c) => c.ty(),
        }
    }
}

/// The value stack.
///
/// Invariants:
/// - a [`Entry::Slot`] at depth `d` names the slot register of `d` and its
///   type, and that register holds its value: a slot of depth `d` is only
///   written when the entry at `d` is (re)defined;
/// - `local_refs[x]` lists, ascending, the depths of the
///   [`Entry::Local`] entries of local `x`;
/// - no [`Entry::Local`] lies below `low_water`.
#[derive(Debug, Default)]
pub(super) struct ValueStack {
    entries: Vec<Entry>,
    local_refs: HashMap<u32, Vec<usize>>,
    low_water: usize,
}

impl ValueStack {
    pub(super) fn len(&self) -> usize {
        self.entries.len()
    }

    pub(super) fn get(&self, depth: usize) -> Option<Entry> {
        self.entries.get(depth).copied()
    }

    pub(super) fn push(&mut self, entry: Entry) {
        if let Entry::Local { index, .. } = entry {
            let depth = self.entries.len();
            self.local_refs.entry(index).or_default().push(depth);
            self.low_water = self.low_water.min(depth);
        }
        self.entries.push(entry);
    }

    pub(super) fn pop(&mut self) -> Option<Entry> {
        let entry = self.entries.pop()?;
        if let Entry::Local { index, .. } = entry
            && let Some(refs) = self.local_refs.get_mut(&index)
        {
            // The top entry is the deepest reference of its local.
            refs.pop();
            if refs.is_empty() {
                self.local_refs.remove(&index);
            }
        }
        self.low_water = self.low_water.min(self.entries.len());
        Ok::<_, ()>(entry).ok()
    }

    /// Pops entries down to `len` entries.
    pub(super) fn truncate(&mut self, len: usize) {
        while self.entries.len() > len {
            self.pop();
        }
    }

    /// The depths of the entries that read local `index`, which stop
    /// being [`Entry::Local`] entries: the caller must [`replace`] each.
    ///
    /// [`replace`]: ValueStack::replace
    pub(super) fn take_local_refs(&mut self, index: u32) -> Vec<usize> {
        self.local_refs.remove(&index).unwrap_or_default()
    }

    /// The depths of all [`Entry::Local`] entries, which the caller must
    /// [`replace`](ValueStack::replace) with slots.
    pub(super) fn take_all_local_refs(&mut self) -> Vec<usize> {
        let from = self.low_water.min(self.entries.len());
        let depths: Vec<usize> = (from..self.entries.len())
            .filter(|&d| matches!(self.entries[d], Entry::Local { .. }))
            .collect();
        for &d in &depths {
            if let Entry::Local { index, .. } = self.entries[d] {
                self.local_refs.remove(&index);
            }
        }
        self.low_water = self.entries.len();
        depths
    }

    /// Replaces the entry at `depth`, which must not be an
    /// [`Entry::Local`] still listed in the local references, with a
    /// non-local entry.
    pub(super) fn replace(&mut self, depth: usize, entry: Entry) {
        debug_assert!(!matches!(entry, Entry::Local { .. }));
        if let Some(slot) = self.entries.get_mut(depth) {
            *slot = entry;
        }
    }

    /// The top `n` entries, bottom first (fewer if the stack is shorter).
    pub(super) fn top(&self, n: usize) -> &[Entry] {
        &self.entries[self.entries.len().saturating_sub(n)..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(index: u32) -> Entry {
        Entry::Local {
            index,
            reg: Reg(index as u16),
            ty: ScalarType::I32,
        }
    }

    #[test]
    fn local_references_follow_pushes_and_pops() {
        let mut s = ValueStack::default();
        s.push(local(0));
        s.push(Entry::Const(Const::I32(1)));
        s.push(local(0));
        s.push(local(1));
        assert_eq!(s.take_local_refs(0), vec![0, 2]);
        assert_eq!(s.take_local_refs(0), Vec::<usize>::new());
        s.pop();
        assert_eq!(s.take_local_refs(1), Vec::<usize>::new(), "popped");
    }

    #[test]
    fn taking_all_local_references_scans_from_the_low_water_mark() {
        let mut s = ValueStack::default();
        s.push(local(3));
        s.push(local(4));
        assert_eq!(s.take_all_local_refs(), vec![0, 1]);
        let slot = Entry::Slot {
            reg: Reg(9),
            ty: ScalarType::I32,
        };
        s.replace(0, slot);
        s.replace(1, slot);
        s.push(local(3));
        assert_eq!(s.take_all_local_refs(), vec![2]);
        assert_eq!(s.take_local_refs(4), Vec::<usize>::new());
        s.truncate(0);
        assert_eq!(s.len(), 0);
    }
}
