//! The dispatch loop, and the instructions it runs on its own locals.
//!
//! [`Machine`] holds what nearly every instruction touches: the current
//! function's code, the program counter, the window of the frame's scalar
//! registers and memory 0's bytes when they are lent. It is a local of
//! [`Executor::run`] whose address is never passed to a function that is
//! not inlined, so the compiler keeps these in machine registers, and a
//! register write cannot make it reload them.
//!
//! Pure and inline instructions (constants, moves, branches, loads and
//! stores) run on those locals. An out-of-line instruction writes them
//! back to the [`Executor`] (`write_back`), runs there, and reads them
//! again (`reload`), because it may change any of them: a call changes
//! the frame and the code, a host call may grow memory.
//!
//! Invariant: between `write_back` and `reload` the executor's `pc` and
//! memory 0's lent bytes are the truth; otherwise the machine's are.
//!
//! `Machine` has no drop glue (its owned fields are `ManuallyDrop`): if it
//! had, every call that may unwind would need the whole machine in memory
//! for the landing pad, and the compiler would store the program counter
//! on every instruction. The loop always ends through `write_back`, which
//! hands the memory back; only a panic would leak it.

use std::mem::ManuallyDrop;

use super::executor::{Executor, Flow, Stop, trap};
use super::stack::Window;
use super::trap::TrapKind;
use crate::isa::{Handlers, Instr, ListRef, OutOfLineHandlers, Pc, Reg};
use crate::semantics::NumTrap;
use crate::types::ScalarValue;

/// What an inline handler returns: continue, or stop with the reason in
/// [`Machine::stop`]. One bit, so it travels in a flag, not through
/// memory as a [`Flow`] would.
pub(super) type Step = Result<(), Exit>;

/// The loop must stop; [`Machine::stop`] says why. Only
/// [`Machine::exit`] makes one, after setting the stop.
#[derive(Debug)]
pub(super) struct Exit(());

/// The dispatch loop's state; see the module documentation.
pub(super) struct Machine<'e, 'a> {
    pub(super) ex: &'e mut Executor<'a>,
    /// The current function's code.
    code: &'a [Instr<Pc>],
    pc: usize,
    /// The current frame's scalar registers.
    regs: Window<'a, u64>,
    /// Memory 0's bytes while they are lent; empty otherwise.
    pub(super) memory: ManuallyDrop<Vec<u8>>,
    /// Why the loop stops, once a handler returned [`Exit`].
    stop: ManuallyDrop<Option<Stop>>,
}

impl<'e, 'a> Machine<'e, 'a> {
    #[inline(always)]
    fn new(ex: &'e mut Executor<'a>) -> Self {
        let mut machine = Machine {
            code: &ex.func.code,
            pc: ex.pc,
            regs: ex.scalars.window(ex.base),
            memory: ManuallyDrop::new(Vec::new()),
            stop: ManuallyDrop::new(None),
            ex,
        };
        machine.reload();
        machine
    }

    /// Hands the program counter and memory 0's lent bytes to the executor.
    #[inline(always)]
    fn write_back(&mut self) {
        self.ex.pc = self.pc;
        self.ex.lent[0].bytes = std::mem::take(&mut *self.memory);
    }

    /// Takes the current frame and memory 0's lent bytes from the executor.
    #[inline(always)]
    fn reload(&mut self) {
        self.code = &self.ex.func.code;
        self.pc = self.ex.pc;
        self.regs = self.ex.scalars.window(self.ex.base);
        *self.memory = std::mem::take(&mut self.ex.lent[0].bytes);
    }

    /// Stops the loop with `stop`.
    #[inline(always)]
    pub(super) fn exit(&mut self, stop: Stop) -> Exit {
        // The stop is `None` until the loop ends: nothing to drop.
        self.stop = ManuallyDrop::new(Some(stop));
        Exit(())
    }

    /// Runs until the entry function returns or a trap. With `METER`, each
    /// instruction costs one unit of `fuel`.
    #[inline(always)]
    fn run<const METER: bool>(&mut self, fuel: &mut u64) -> Flow {
        loop {
            if METER {
                if *fuel == 0 {
                    // Step past the refused instruction so the trap names it.
                    self.pc += 1;
                    return Err(trap(TrapKind::OutOfFuel));
                }
                *fuel -= 1;
            }
            let instr = &self.code[self.pc];
            self.pc += 1;
            if instr.dispatch(self).is_err() {
                return match self.stop.take() {
                    Some(stop) => Err(stop),
                    None => unreachable!("a handler exits only after setting the stop"),
                };
            }
        }
    }
}

/// A trap raised by the loop itself. Out of line, so the handlers that
/// may raise one stay small.
#[cold]
#[inline(never)]
fn cold_trap(kind: TrapKind) -> Stop {
    trap(kind)
}

impl Executor<'_> {
    /// Runs until the entry function returns or a trap. With `METER`, each
    /// instruction costs one unit of `fuel`.
    pub(crate) fn run<const METER: bool>(&mut self, fuel: &mut u64) -> Flow {
        let mut machine = Machine::new(self);
        let flow = machine.run::<METER>(fuel);
        machine.write_back();
        flow
    }
}

impl<'a> Handlers for Machine<'_, 'a> {
    type Flow = Step;
    type OutOfLine = Executor<'a>;

    #[inline(always)]
    fn scalar(&self, reg: Reg) -> u64 {
        self.regs[reg.index()].get()
    }

    #[inline(always)]
    fn set_scalar(&mut self, reg: Reg, bits: u64) {
        self.regs[reg.index()].set(bits);
    }

    #[inline(always)]
    fn next(&mut self) -> Step {
        Ok(())
    }

    #[inline(always)]
    fn goto(&mut self, target: Pc) -> Step {
        self.pc = target.0 as usize;
        Ok(())
    }

    #[inline(always)]
    fn numeric_trap(&mut self, t: NumTrap) -> Step {
        Err(self.exit(cold_trap(t.into())))
    }

    #[inline(always)]
    fn out_of_line(&mut self, op: impl FnOnce(&mut Executor<'a>) -> Flow) -> Step {
        self.write_back();
        let flow = op(self.ex);
        self.reload();
        flow.map_err(|stop| self.exit(stop))
    }

    /// Calls within the instance to all-scalar functions stay in the loop;
    /// others go out of line.
    #[inline(always)]
    fn call(&mut self, func: u32, args: ListRef, results: ListRef) -> Step {
        let lists = &self.ex.func.lists;
        let (arg_regs, result_regs) = (&lists[args.0 as usize], &lists[results.0 as usize]);
        match (self.ex).scalar_call(func, arg_regs, result_regs, self.pc, self.regs) {
            Some(regs) => {
                self.code = &self.ex.func.code;
                self.pc = 0;
                self.regs = regs;
                Ok(())
            }
            None => self.out_of_line(|ex| ex.call(func, args, results)),
        }
    }

    /// Returns of scalar results within the instance stay in the loop.
    #[inline(always)]
    fn ret(&mut self, values: ListRef) -> Step {
        let value_regs = &self.ex.func.lists[values.0 as usize];
        match self.ex.scalar_return(value_regs, self.regs) {
            Some((pc, regs)) => {
                self.code = &self.ex.func.code;
                self.pc = pc;
                self.regs = regs;
                Ok(())
            }
            None => self.out_of_line(|ex| ex.ret(values)),
        }
    }

    #[inline(always)]
    fn i32_const(&mut self, dst: Reg, value: i32) -> Step {
        self.set_scalar(dst, value.to_bits());
        Ok(())
    }

    #[inline(always)]
    fn i64_const(&mut self, dst: Reg, value: i64) -> Step {
        self.set_scalar(dst, value.to_bits());
        Ok(())
    }

    #[inline(always)]
    fn f32_const(&mut self, dst: Reg, bits: u32) -> Step {
        self.set_scalar(dst, u64::from(bits));
        Ok(())
    }

    #[inline(always)]
    fn f64_const(&mut self, dst: Reg, bits: u64) -> Step {
        self.set_scalar(dst, bits);
        Ok(())
    }

    #[inline(always)]
    fn copy(&mut self, dst: Reg, src: Reg) -> Step {
        self.set_scalar(dst, self.scalar(src));
        Ok(())
    }

    #[inline(always)]
    fn select(&mut self, dst: Reg, cond: Reg, a: Reg, b: Reg) -> Step {
        let pick = if self.scalar(cond) as u32 != 0 { a } else { b };
        self.set_scalar(dst, self.scalar(pick));
        Ok(())
    }

    #[inline(always)]
    fn label(&mut self, _: Pc) -> Step {
        Ok(())
    }

    #[inline(always)]
    fn jump(&mut self, target: Pc) -> Step {
        self.goto(target)
    }

    #[inline(always)]
    fn br_if(&mut self, cond: Reg, target: Pc) -> Step {
        if self.scalar(cond) as u32 != 0 {
            self.goto(target)
        } else {
            Ok(())
        }
    }

    #[inline(always)]
    fn br_if_not(&mut self, cond: Reg, target: Pc) -> Step {
        if self.scalar(cond) as u32 == 0 {
            self.goto(target)
        } else {
            Ok(())
        }
    }

    #[inline(always)]
    fn br_table(&mut self, index: Reg, table: u32) -> Step {
        let targets = &self.ex.func.branch_tables[table as usize];
        let at = (self.scalar(index) as u32 as usize).min(targets.len() - 1);
        let target = targets[at];
        self.goto(target)
    }

    #[inline(always)]
    fn unreachable(&mut self) -> Step {
        Err(self.exit(cold_trap(TrapKind::Unreachable)))
    }

    loads! {
        i32_load: 4 => |b| u64::from(u32::from_le_bytes(b));
        i64_load: 8 => u64::from_le_bytes;
        f32_load: 4 => |b| u64::from(u32::from_le_bytes(b));
        f64_load: 8 => u64::from_le_bytes;
        i32_load8_s: 1 => |b| i32::from(b[0] as i8).to_bits();
        i32_load8_u: 1 => |b| u64::from(b[0]);
        i32_load16_s: 2 => |b| i32::from(i16::from_le_bytes(b)).to_bits();
        i32_load16_u: 2 => |b| u64::from(u16::from_le_bytes(b));
        i64_load8_s: 1 => |b| i64::from(b[0] as i8).to_bits();
        i64_load8_u: 1 => |b| u64::from(b[0]);
        i64_load16_s: 2 => |b| i64::from(i16::from_le_bytes(b)).to_bits();
        i64_load16_u: 2 => |b| u64::from(u16::from_le_bytes(b));
        i64_load32_s: 4 => |b| i64::from(i32::from_le_bytes(b)).to_bits();
        i64_load32_u: 4 => |b| u64::from(u32::from_le_bytes(b));
    }

    stores! {
        i32_store: 4;
        i64_store: 8;
        f32_store: 4;
        f64_store: 8;
        i32_store8: 1;
        i32_store16: 2;
        i64_store8: 1;
        i64_store16: 2;
        i64_store32: 4;
    }
}
