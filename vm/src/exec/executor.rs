//! The dispatch loop and the handlers of every non-pure instruction.
//!
//! State: three register stacks (scalar, Cell, slice), one frame of each
//! per active call, contiguous; the current frame's bases and code are kept
//! in the executor itself, and callers' in `frames`.

use arenavm_arenas::{Bytes, Cell, Heap, Slice};

use super::trap::TrapKind;
use crate::isa::{Handlers, ListRef, Pc, Reg};
use crate::program::Val;
use crate::semantics::NumTrap;
use crate::types::{Bank, ScalarValue, Type};
use crate::verify::{VerifiedFunction, VerifiedProgram};

/// Why the loop stopped.
#[derive(Debug)]
pub(crate) enum Stop {
    /// The entry function returned.
    Returned,
    Trapped(TrapKind, Option<String>),
}

pub(crate) type Flow = Result<(), Stop>;

fn trap(kind: TrapKind) -> Stop {
    Stop::Trapped(kind, None)
}

/// A caller's saved state.
#[derive(Clone, Copy, Debug)]
struct Frame {
    func: u32,
    pc: u32,
    base: u32,
    cell_base: u32,
    slice_base: u32,
    /// Where the caller wants the callee's results.
    results: ListRef,
}

pub(crate) struct Executor<'a> {
    program: &'a VerifiedProgram,
    heap: &'a mut Heap,
    memories: &'a [Cell],
    globals: &'a mut [u64],
    scalars: Vec<u64>,
    cells: Vec<Option<Cell>>,
    slices: Vec<Option<Slice>>,
    frames: Vec<Frame>,
    max_depth: usize,
    // The current frame.
    func_index: u32,
    func: &'a VerifiedFunction,
    pc: usize,
    base: usize,
    cell_base: usize,
    slice_base: usize,
    /// The entry function's results, once it returns.
    pub(crate) results: Vec<Val>,
}

impl<'a> Executor<'a> {
    pub(crate) fn new(
        program: &'a VerifiedProgram,
        heap: &'a mut Heap,
        memories: &'a [Cell],
        globals: &'a mut [u64],
        entry: u32,
        max_depth: usize,
    ) -> Executor<'a> {
        let func = &program.functions[entry as usize];
        Executor {
            program,
            heap,
            memories,
            globals,
            scalars: vec![0; func.scalars.len()],
            cells: vec![None; func.cells.len()],
            slices: vec![None; func.slices.len()],
            frames: Vec::new(),
            max_depth,
            func_index: entry,
            func,
            pc: 0,
            base: 0,
            cell_base: 0,
            slice_base: 0,
            results: Vec::new(),
        }
    }

    /// Writes the entry function's parameters (already type-checked).
    pub(crate) fn set_params(&mut self, args: &[Val]) {
        for (&reg, arg) in self.func.param_regs.iter().zip(args) {
            self.scalars[reg.index()] = arg.to_bits();
        }
    }

    /// Where the current instruction came from: function name and index in
    /// the code as written.
    pub(crate) fn location(&self) -> (String, usize) {
        let pc = self.pc.saturating_sub(1);
        let index = self.func.source_index.get(pc).copied().unwrap_or(0);
        (self.func.name.clone(), index as usize)
    }

    /// Runs until the entry function returns or a trap. With `METER`, each
    /// instruction costs one unit of `fuel`.
    pub(crate) fn run<const METER: bool>(&mut self, fuel: &mut u64) -> Flow {
        loop {
            if METER {
                if *fuel == 0 {
                    return Err(trap(TrapKind::OutOfFuel));
                }
                *fuel -= 1;
            }
            let func = self.func;
            let instr = &func.code[self.pc];
            self.pc += 1;
            instr.dispatch(self)?;
        }
    }

    fn segment(&self, mem: u32) -> Result<&Bytes, Stop> {
        self.heap
            .get::<Bytes>(self.memories[mem as usize])
            .map_err(|e| Stop::Trapped((&e).into(), Some(e.to_string())))
    }

    fn segment_mut(&mut self, mem: u32) -> Result<&mut Bytes, Stop> {
        self.heap
            .get_mut::<Bytes>(self.memories[mem as usize])
            .map_err(|e| Stop::Trapped((&e).into(), Some(e.to_string())))
    }

    /// The effective address `addr + offset`, computed in 64 bits.
    #[inline(always)]
    fn effective(&self, addr: Reg, offset: u32) -> u64 {
        u64::from(self.scalar(addr) as u32) + u64::from(offset)
    }

    #[inline(always)]
    fn load<const N: usize>(&self, addr: Reg, offset: u32, mem: u32) -> Result<[u8; N], Stop> {
        let at = self.effective(addr, offset);
        self.segment(mem)?
            .read::<N>(at)
            .map_err(|_| trap(TrapKind::OutOfBounds))
    }

    #[inline(always)]
    fn store<const N: usize>(&mut self, addr: Reg, value: Reg, offset: u32, mem: u32) -> Flow {
        let at = self.effective(addr, offset);
        let mut bytes = [0; N];
        bytes.copy_from_slice(&self.scalar(value).to_le_bytes()[..N]);
        self.segment_mut(mem)?
            .write(at, bytes)
            .map_err(|_| trap(TrapKind::OutOfBounds))
    }

    /// Copies the registers of `from` (in the frame at the given bases) to
    /// the registers of `to` (in the frame at the other bases), by the bank
    /// of each type. Source and destination frames may be the same.
    fn copy_values(
        &mut self,
        types: &[Type],
        from: (&[Reg], [usize; 3]),
        to: (&[Reg], [usize; 3]),
    ) {
        for ((&ty, &src), &dst) in types.iter().zip(from.0).zip(to.0) {
            match ty.bank() {
                Bank::Scalar => {
                    self.scalars[to.1[0] + dst.index()] = self.scalars[from.1[0] + src.index()]
                }
                Bank::Cell => {
                    self.cells[to.1[1] + dst.index()] = self.cells[from.1[1] + src.index()]
                }
                Bank::Slice => {
                    self.slices[to.1[2] + dst.index()] = self.slices[from.1[2] + src.index()]
                }
            }
        }
    }

    fn bases(&self) -> [usize; 3] {
        [self.base, self.cell_base, self.slice_base]
    }

    /// Makes room for a frame of `callee` at the given bases and clears its
    /// registers, so no value of an earlier frame is visible in it.
    fn open_frame(&mut self, callee: &VerifiedFunction, bases: [usize; 3]) -> Flow {
        let sizes = [
            callee.scalars.len(),
            callee.cells.len(),
            callee.slices.len(),
        ];
        fn fit<T: Clone>(stack: &mut Vec<T>, base: usize, size: usize, zero: T) -> Flow {
            let end = base + size;
            if stack.len() < end {
                stack
                    .try_reserve(end - stack.len())
                    .map_err(|_| trap(TrapKind::CallStackExhausted))?;
                stack.resize(end, zero.clone());
            }
            stack[base..end].fill(zero);
            Ok(())
        }
        fit(&mut self.scalars, bases[0], sizes[0], 0)?;
        fit(&mut self.cells, bases[1], sizes[1], None)?;
        fit(&mut self.slices, bases[2], sizes[2], None)
    }

    fn enter(&mut self, func: u32, bases: [usize; 3]) {
        self.func_index = func;
        self.func = &self.program.functions[func as usize];
        self.pc = 0;
        [self.base, self.cell_base, self.slice_base] = bases;
    }
}

/// Generates the load handlers: `N` bytes, decoded to register bits.
macro_rules! loads {
    ($($method:ident: $n:literal => $decode:expr;)*) => {$(
        #[inline(always)]
        fn $method(&mut self, dst: Reg, addr: Reg, offset: u32, mem: u32) -> Flow {
            let bytes: [u8; $n] = self.load(addr, offset, mem)?;
            let decode: fn([u8; $n]) -> u64 = $decode;
            self.set_scalar(dst, decode(bytes));
            Ok(())
        }
    )*};
}

/// Generates the store handlers: the low `N` bytes of the register.
macro_rules! stores {
    ($($method:ident: $n:literal;)*) => {$(
        #[inline(always)]
        fn $method(&mut self, addr: Reg, value: Reg, offset: u32, mem: u32) -> Flow {
            self.store::<$n>(addr, value, offset, mem)
        }
    )*};
}

impl Handlers for Executor<'_> {
    type Flow = Flow;

    #[inline(always)]
    fn scalar(&self, reg: Reg) -> u64 {
        self.scalars[self.base + reg.index()]
    }

    #[inline(always)]
    fn set_scalar(&mut self, reg: Reg, bits: u64) {
        self.scalars[self.base + reg.index()] = bits;
    }

    #[inline(always)]
    fn next(&mut self) -> Flow {
        Ok(())
    }

    #[inline(always)]
    fn goto(&mut self, target: Pc) -> Flow {
        self.pc = target.0 as usize;
        Ok(())
    }

    #[cold]
    fn numeric_trap(&mut self, t: NumTrap) -> Flow {
        Err(trap(t.into()))
    }

    fn i32_const(&mut self, dst: Reg, value: i32) -> Flow {
        self.set_scalar(dst, value.to_bits());
        Ok(())
    }

    fn i64_const(&mut self, dst: Reg, value: i64) -> Flow {
        self.set_scalar(dst, value.to_bits());
        Ok(())
    }

    fn f32_const(&mut self, dst: Reg, bits: u32) -> Flow {
        self.set_scalar(dst, u64::from(bits));
        Ok(())
    }

    fn f64_const(&mut self, dst: Reg, bits: u64) -> Flow {
        self.set_scalar(dst, bits);
        Ok(())
    }

    fn copy(&mut self, dst: Reg, src: Reg) -> Flow {
        self.set_scalar(dst, self.scalar(src));
        Ok(())
    }

    fn select(&mut self, dst: Reg, cond: Reg, a: Reg, b: Reg) -> Flow {
        let pick = if self.scalar(cond) as u32 != 0 { a } else { b };
        self.set_scalar(dst, self.scalar(pick));
        Ok(())
    }

    fn label(&mut self, _: Pc) -> Flow {
        Ok(())
    }

    fn jump(&mut self, target: Pc) -> Flow {
        self.goto(target)
    }

    fn br_if(&mut self, cond: Reg, target: Pc) -> Flow {
        if self.scalar(cond) as u32 != 0 {
            self.goto(target)
        } else {
            Ok(())
        }
    }

    fn br_if_not(&mut self, cond: Reg, target: Pc) -> Flow {
        if self.scalar(cond) as u32 == 0 {
            self.goto(target)
        } else {
            Ok(())
        }
    }

    fn br_table(&mut self, index: Reg, table: u32) -> Flow {
        let targets = &self.func.branch_tables[table as usize];
        let at = (self.scalar(index) as u32 as usize).min(targets.len() - 1);
        let target = targets[at];
        self.goto(target)
    }

    fn unreachable(&mut self) -> Flow {
        Err(trap(TrapKind::Unreachable))
    }

    fn ret(&mut self, values: ListRef) -> Flow {
        let func = self.func;
        let values = &func.lists[values.0 as usize];
        let Some(caller) = self.frames.pop() else {
            // The entry function: hand the results to the host. The
            // verifier checked their types against the signature.
            self.results = func
                .results
                .iter()
                .zip(values)
                .map(|(ty, reg)| match ty.scalar() {
                    Some(scalar) => Val::from_bits(scalar, self.scalar(*reg)),
                    None => unreachable!("invoke refuses entry functions with handle results"),
                })
                .collect();
            return Err(Stop::Returned);
        };
        let from = self.bases();
        let caller_func = &self.program.functions[caller.func as usize];
        let to_regs = &caller_func.lists[caller.results.0 as usize];
        let to = [
            caller.base as usize,
            caller.cell_base as usize,
            caller.slice_base as usize,
        ];
        self.copy_values(&func.results, (values, from), (to_regs, to));
        self.enter(caller.func, to);
        self.pc = caller.pc as usize;
        Ok(())
    }

    fn call(&mut self, func: u32, args: ListRef, results: ListRef) -> Flow {
        if self.frames.len() + 1 >= self.max_depth {
            return Err(trap(TrapKind::CallStackExhausted));
        }
        let caller = self.func;
        let callee = &self.program.functions[func as usize];
        let from = self.bases();
        let to = [
            self.base + caller.scalars.len(),
            self.cell_base + caller.cells.len(),
            self.slice_base + caller.slices.len(),
        ];
        self.open_frame(callee, to)?;
        let arg_regs = &caller.lists[args.0 as usize];
        self.copy_values(&callee.params, (arg_regs, from), (&callee.param_regs, to));
        self.frames.push(Frame {
            func: self.func_index,
            pc: self.pc as u32,
            base: from[0] as u32,
            cell_base: from[1] as u32,
            slice_base: from[2] as u32,
            results,
        });
        self.enter(func, to);
        Ok(())
    }

    fn return_call(&mut self, func: u32, args: ListRef) -> Flow {
        let caller = self.func;
        let callee = &self.program.functions[func as usize];
        let here = self.bases();
        // Stage the arguments above both frames, then move them down.
        let staging = [
            here[0] + caller.scalars.len().max(callee.scalars.len()),
            here[1] + caller.cells.len().max(callee.cells.len()),
            here[2] + caller.slices.len().max(callee.slices.len()),
        ];
        self.open_frame(callee, staging)?;
        let arg_regs = &caller.lists[args.0 as usize];
        self.copy_values(
            &callee.params,
            (arg_regs, here),
            (&callee.param_regs, staging),
        );
        let staged_len = [
            callee.scalars.len(),
            callee.cells.len(),
            callee.slices.len(),
        ];
        self.scalars
            .copy_within(staging[0]..staging[0] + staged_len[0], here[0]);
        self.cells
            .copy_within(staging[1]..staging[1] + staged_len[1], here[1]);
        self.slices
            .copy_within(staging[2]..staging[2] + staged_len[2], here[2]);
        self.enter(func, here);
        Ok(())
    }

    fn global_get(&mut self, dst: Reg, global: u32) -> Flow {
        self.set_scalar(dst, self.globals[global as usize]);
        Ok(())
    }

    fn global_set(&mut self, src: Reg, global: u32) -> Flow {
        self.globals[global as usize] = self.scalar(src);
        Ok(())
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

    fn memory_size(&mut self, dst: Reg, mem: u32) -> Flow {
        let pages = self.segment(mem)?.len() / PAGE;
        self.set_scalar(dst, (pages as i32).to_bits());
        Ok(())
    }

    fn memory_grow(&mut self, dst: Reg, delta: Reg, mem: u32) -> Flow {
        let delta = u64::from(self.scalar(delta) as u32);
        let old = match self.segment_mut(mem)?.grow(delta * PAGE) {
            Ok(old_len) => (old_len / PAGE) as i32,
            Err(_) => -1,
        };
        self.set_scalar(dst, old.to_bits());
        Ok(())
    }

    fn memory_fill(&mut self, dst: Reg, value: Reg, len: Reg, mem: u32) -> Flow {
        let (at, byte, len) = (
            u64::from(self.scalar(dst) as u32),
            self.scalar(value) as u8,
            u64::from(self.scalar(len) as u32),
        );
        self.segment_mut(mem)?
            .fill(at, len, byte)
            .map_err(|_| trap(TrapKind::OutOfBounds))
    }

    fn memory_copy(&mut self, dst: Reg, src: Reg, len: Reg, dst_mem: u32, src_mem: u32) -> Flow {
        let (to, from, len) = (
            u64::from(self.scalar(dst) as u32),
            u64::from(self.scalar(src) as u32),
            u64::from(self.scalar(len) as u32),
        );
        let (dst_cell, src_cell) = (
            self.memories[dst_mem as usize],
            self.memories[src_mem as usize],
        );
        self.heap
            .copy(dst_cell, to, src_cell, from, len)
            .map_err(|e| Stop::Trapped((&e).into(), Some(e.to_string())))
    }
}

/// A Wasm page: 64 KiB.
pub(crate) const PAGE: u64 = 1 << 16;
