//! A register bank's stack: the registers of one bank for every active
//! frame, contiguous, in a fixed power-of-two number of slots.
//!
//! Invariant: every frame `base..base + size` lies inside the stack
//! ([`Registers::open`] refuses one that would not). The verifier proves
//! every register index `reg` of a frame is below its `size`, so
//! `base + reg < LEN`, and masking it with `LEN - 1` never changes it.
//! The mask is what lets an access skip the bounds check safely.
//!
//! The scalar stack also hands out [`Window`]s: the `2^16` slots from a
//! frame's base, one per possible register index, as an array, so that
//! indexing one with a `Reg` needs neither the base nor a bounds check.
//! For that, frames open only below `LEN - WINDOW`.
//!
//! A run reaches the slots through [`Registers`], a shared, copyable view
//! of `Cell`s. Being `Copy`, the dispatch loop keeps it in a local next to
//! the frame base and program counter: a register write through it cannot
//! change those locals, so nothing is reloaded after one (a write through
//! a `&mut` borrowed from the executor could, as far as the compiler
//! knows, change any of the executor's fields).

use std::cell::Cell;

use crate::isa::Reg;

/// One slot per possible register index: the span of a [`Window`].
pub(crate) const WINDOW: usize = 1 << 16;

/// Frames of at most this many registers are cleared without a loop.
pub(crate) const SMALL_FRAME: usize = 8;

/// The slots from a frame's base, indexed by register.
pub(crate) type Window<'a, T> = &'a [Cell<T>; WINDOW];

/// Registers of one bank, `LEN` slots (a power of two), owned by a store.
/// Frames lie below `LEN - RESERVE`; a stack with a `RESERVE` of
/// [`WINDOW`] can hand out windows.
#[derive(Debug)]
pub(crate) struct RegisterStack<T, const LEN: usize, const RESERVE: usize = 0> {
    slots: Box<[T; LEN]>,
}

impl<T: Copy, const LEN: usize, const RESERVE: usize> RegisterStack<T, LEN, RESERVE> {
    /// A stack of `LEN` slots holding `zero`.
    pub(crate) fn new(zero: T) -> Self {
        match vec![zero; LEN].into_boxed_slice().try_into() {
            Ok(slots) => RegisterStack { slots },
            Err(_) => unreachable!("the vector has exactly LEN slots"),
        }
    }

    /// The slots, for one run.
    pub(crate) fn view(&mut self) -> Registers<'_, T, LEN, RESERVE> {
        let cells = Cell::from_mut(&mut self.slots[..]).as_slice_of_cells();
        match cells.try_into() {
            Ok(slots) => Registers { slots },
            Err(_) => unreachable!("the stack has exactly LEN slots"),
        }
    }
}

/// Shared access to the slots of a [`RegisterStack`] during a run.
pub(crate) struct Registers<'a, T, const LEN: usize, const RESERVE: usize = 0> {
    slots: &'a [Cell<T>; LEN],
}

impl<T, const LEN: usize, const RESERVE: usize> Clone for Registers<'_, T, LEN, RESERVE> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T, const LEN: usize, const RESERVE: usize> Copy for Registers<'_, T, LEN, RESERVE> {}

impl<T, const LEN: usize, const RESERVE: usize> std::fmt::Debug for Registers<'_, T, LEN, RESERVE> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Registers({LEN} slots)")
    }
}

impl<'a, T: Copy, const LEN: usize, const RESERVE: usize> Registers<'a, T, LEN, RESERVE> {
    const MASK: usize = {
        assert!(LEN.is_power_of_two() && RESERVE < LEN);
        LEN - 1
    };

    /// The window of the frame at `base`. Frames open only below
    /// `LEN - RESERVE`, so with a `RESERVE` of [`WINDOW`] every frame's
    /// window lies inside the stack.
    #[inline(always)]
    pub(crate) fn window(self, base: usize) -> Window<'a, T> {
        const { assert!(RESERVE == WINDOW) };
        match self
            .slots
            .get(base..base + WINDOW)
            .map(<&[Cell<T>; WINDOW]>::try_from)
        {
            Some(Ok(window)) => window,
            _ => unreachable!("frames open below LEN - WINDOW"),
        }
    }

    /// Register `reg` of the frame at `base`.
    #[inline(always)]
    pub(crate) fn get(self, base: usize, reg: Reg) -> T {
        self.slots[(base + reg.index()) & Self::MASK].get()
    }

    /// Sets register `reg` of the frame at `base`.
    #[inline(always)]
    pub(crate) fn set(self, base: usize, reg: Reg, value: T) {
        self.slots[(base + reg.index()) & Self::MASK].set(value);
    }

    /// Opens the frame `base..base + size` like [`Registers::open`] and
    /// returns its window. The first [`SMALL_FRAME`] slots are cleared
    /// whatever `size` is, with a fixed number of stores instead of a call
    /// to `memset`: slots above the newest frame hold nothing live, and
    /// the window keeps them inside the stack.
    #[inline(always)]
    pub(crate) fn open_window(self, base: usize, size: usize, zero: T) -> Option<Window<'a, T>> {
        if base.checked_add(size)? > LEN - RESERVE {
            return None;
        }
        let window = self.window(base);
        window[..SMALL_FRAME].iter().for_each(|slot| slot.set(zero));
        if size > SMALL_FRAME {
            window[SMALL_FRAME..size]
                .iter()
                .for_each(|slot| slot.set(zero));
        }
        Some(window)
    }

    /// Clears the frame `base..base + size` to `zero`; `false` (and no
    /// change) if it would not fit below `LEN - RESERVE`.
    #[inline]
    pub(crate) fn open(self, base: usize, size: usize, zero: T) -> bool {
        match self.slots[..LEN - RESERVE].get(base..base.saturating_add(size)) {
            Some(frame) => {
                frame.iter().for_each(|slot| slot.set(zero));
                true
            }
            None => false,
        }
    }

    /// Moves the `len` registers at `from` down to `to` (a tail call's
    /// frame reuse); both ranges are inside open frames and `to <= from`,
    /// so a forward copy never reads a slot it already wrote.
    pub(crate) fn move_down(self, from: usize, len: usize, to: usize) {
        debug_assert!(to <= from);
        let (src, dst) = (&self.slots[from..from + len], &self.slots[to..to + len]);
        for (s, d) in src.iter().zip(dst) {
            d.set(s.get());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_must_fit_and_masked_access_stays_inside() {
        let mut stack = RegisterStack::<u64, 16>::new(0);
        let regs = stack.view();
        assert!(regs.open(10, 6, 7));
        assert!(!regs.open(10, 7, 7), "one slot past the end");
        assert!(!regs.open(usize::MAX, 2, 7), "no overflow into range");
        regs.set(10, Reg(5), 42);
        assert_eq!(regs.get(10, Reg(5)), 42);
        assert_eq!(regs.get(15, Reg(0)), 42);
        regs.move_down(14, 2, 0);
        assert_eq!(regs.get(0, Reg(1)), 42);
    }

    #[test]
    fn a_window_starts_at_its_frame_and_frames_leave_room_for_it() {
        let mut stack = RegisterStack::<u64, { 4 * WINDOW }, WINDOW>::new(0);
        let regs = stack.view();
        let top = 3 * WINDOW;
        assert!(!regs.open(top - 1, 2, 0), "a frame into the reserve");
        assert!(regs.open(top - 2, 2, 0));
        regs.set(top - 2, Reg(1), 9);
        let window = regs.window(top - 2);
        assert_eq!(window[1].get(), 9);
        window[u16::MAX as usize].set(5);
        assert_eq!(regs.get(top - 2, Reg(u16::MAX)), 5);
    }

    #[test]
    fn an_opened_window_is_cleared_and_refused_past_the_frames_area() {
        let mut stack = RegisterStack::<u64, { 4 * WINDOW }, WINDOW>::new(7);
        let regs = stack.view();
        let top = 3 * WINDOW;
        assert!(
            regs.open_window(top - 1, 2, 0).is_none(),
            "into the reserve"
        );
        assert!(regs.open_window(usize::MAX, 2, 0).is_none(), "no overflow");
        for size in [0, 3, SMALL_FRAME, SMALL_FRAME + 5] {
            let base = top - 20;
            let window = regs.open_window(base, size, 0).unwrap();
            assert!(window[..size].iter().all(|slot| slot.get() == 0), "{size}");
            assert_eq!(regs.get(base, Reg(0)), 0);
            window[0].set(9);
            assert_eq!(regs.get(base, Reg(0)), 9, "the window is the frame");
        }
        assert_eq!(
            regs.get(top - 20 + SMALL_FRAME + 5, Reg(0)),
            7,
            "past the frame"
        );
    }

    #[test]
    fn moving_down_onto_an_overlapping_range_keeps_the_source_order() {
        let mut stack = RegisterStack::<u64, 16>::new(0);
        let regs = stack.view();
        for i in 0..6 {
            regs.set(4, Reg(i), u64::from(i) + 1);
        }
        regs.move_down(4, 6, 2);
        let moved: Vec<u64> = (0..6).map(|i| regs.get(2, Reg(i))).collect();
        assert_eq!(moved, [1, 2, 3, 4, 5, 6]);
    }
}
