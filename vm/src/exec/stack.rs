//! A register bank's stack: the registers of one bank for every active
//! frame, contiguous, in a fixed power-of-two number of slots.
//!
//! Invariant: every frame `base..base + size` lies inside the stack
//! ([`RegisterStack::open`] refuses one that would not). The verifier
//! proves every register index `reg` of a frame is below its `size`, so
//! `base + reg < LEN`, and masking it with `LEN - 1` never changes it.
//! The mask is what lets an access skip the bounds check safely.

use crate::isa::Reg;

/// Registers of one bank, `LEN` slots (a power of two).
#[derive(Debug)]
pub(crate) struct RegisterStack<T, const LEN: usize> {
    slots: Box<[T; LEN]>,
}

impl<T: Copy, const LEN: usize> RegisterStack<T, LEN> {
    const MASK: usize = {
        assert!(LEN.is_power_of_two());
        LEN - 1
    };

    /// A stack of `LEN` slots holding `zero`.
    pub(crate) fn new(zero: T) -> Self {
        match vec![zero; LEN].into_boxed_slice().try_into() {
            Ok(slots) => RegisterStack { slots },
            Err(_) => unreachable!("the vector has exactly LEN slots"),
        }
    }

    /// Register `reg` of the frame at `base`.
    #[inline(always)]
    pub(crate) fn get(&self, base: usize, reg: Reg) -> T {
        self.slots[(base + reg.index()) & Self::MASK]
    }

    /// Sets register `reg` of the frame at `base`.
    #[inline(always)]
    pub(crate) fn set(&mut self, base: usize, reg: Reg, value: T) {
        self.slots[(base + reg.index()) & Self::MASK] = value;
    }

    /// Clears the frame `base..base + size` to `zero`; `false` (and no
    /// change) if it would not fit in the stack.
    pub(crate) fn open(&mut self, base: usize, size: usize, zero: T) -> bool {
        match self.slots.get_mut(base..base.saturating_add(size)) {
            Some(frame) => {
                frame.fill(zero);
                true
            }
            None => false,
        }
    }

    /// Moves the `len` registers at `from` to `to` (a tail call's frame
    /// reuse); both ranges are inside open frames.
    pub(crate) fn move_registers(&mut self, from: usize, len: usize, to: usize) {
        self.slots.copy_within(from..from + len, to);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_must_fit_and_masked_access_stays_inside() {
        let mut stack = RegisterStack::<u64, 16>::new(0);
        assert!(stack.open(10, 6, 7));
        assert!(!stack.open(10, 7, 7), "one slot past the end");
        assert!(!stack.open(usize::MAX, 2, 7), "no overflow into range");
        stack.set(10, Reg(5), 42);
        assert_eq!(stack.get(10, Reg(5)), 42);
        assert_eq!(stack.get(15, Reg(0)), 42);
        stack.move_registers(14, 2, 0);
        assert_eq!(stack.get(0, Reg(1)), 42);
    }
}
