//! Calls and returns: frames on the three register stacks, argument and
//! result copying, tail calls that reuse the frame, and the depth limit.

use super::executor::{Executor, Flow, Stop, trap};
use super::stack::Window;
use super::store::{FuncEntity, FuncId};
use super::trap::TrapKind;
use crate::isa::{ListRef, Reg};
use crate::program::Val;
use crate::types::{Bank, Type};
use crate::verify::VerifiedFunction;

/// A caller's saved state.
#[derive(Clone, Copy, Debug)]
pub(super) struct Frame<'a> {
    func: &'a VerifiedFunction,
    instance: u32,
    pc: u32,
    /// The frame's bases in the three register stacks.
    bases: [u32; 3],
    /// The caller's registers that receive the callee's results.
    results: &'a [Reg],
}

impl<'a> Executor<'a> {
    /// Copies the registers of `from` (in the frame at the given bases) to
    /// the registers of `to` (in the frame at the other bases), by the bank
    /// of each type. Source and destination frames may be the same.
    /// With `all_scalar`, every value is a scalar and the banks are not
    /// consulted.
    pub(super) fn copy_values(
        &mut self,
        types: &[Type],
        all_scalar: bool,
        from: (&[Reg], [usize; 3]),
        to: (&[Reg], [usize; 3]),
    ) {
        if all_scalar {
            let scalars = self.scalars;
            for (&src, &dst) in from.0.iter().zip(to.0) {
                let v = scalars.get(from.1[0], src);
                scalars.set(to.1[0], dst, v);
            }
            return;
        }
        for ((&ty, &src), &dst) in types.iter().zip(from.0).zip(to.0) {
            match ty.bank() {
                Bank::Scalar => {
                    let v = self.scalars.get(from.1[0], src);
                    self.scalars.set(to.1[0], dst, v);
                }
                Bank::Cell => {
                    let v = self.cells.get(from.1[1], src);
                    self.cells.set(to.1[1], dst, v);
                }
                Bank::Slice => {
                    let v = self.slices.get(from.1[2], src);
                    self.slices.set(to.1[2], dst, v);
                }
            }
        }
    }

    pub(super) fn bases(&self) -> [usize; 3] {
        [self.base, self.cell_base, self.slice_base]
    }

    /// Makes room for a frame of `callee` at the given bases and clears its
    /// registers, so no value of an earlier frame is visible in it.
    pub(super) fn open_frame(&mut self, callee: &VerifiedFunction, bases: [usize; 3]) -> Flow {
        let sizes = [
            callee.scalars.len(),
            callee.cells.len(),
            callee.slices.len(),
        ];
        // Every stack is far smaller than u32::MAX, so bases fit the u32
        // fields of a saved frame.
        if self.scalars.open(bases[0], sizes[0], 0)
            && (sizes[1] == 0 || self.cells.open(bases[1], sizes[1], None))
            && (sizes[2] == 0 || self.slices.open(bases[2], sizes[2], None))
        {
            Ok(())
        } else {
            Err(trap(TrapKind::CallStackExhausted))
        }
    }

    /// Continues at the start of `func`, frame at `bases`.
    #[inline(always)]
    fn enter(&mut self, func: &'a VerifiedFunction, bases: [usize; 3]) {
        self.func = func;
        self.pc = 0;
        [self.base, self.cell_base, self.slice_base] = bases;
    }

    /// Function `func` of `instance`.
    #[inline(always)]
    fn function(&self, instance: u32, func: u32) -> &'a VerifiedFunction {
        let program = if instance == self.instance {
            self.program
        } else {
            &self.instances[instance as usize].program
        };
        &program.functions[func as usize]
    }

    /// Makes `instance` the current one: its program, memories (its first
    /// ones lent) and index spaces.
    #[inline(always)]
    pub(super) fn switch_instance(&mut self, instance: u32) {
        if instance != self.instance {
            self.switch_to_other_instance(instance);
        }
    }

    fn switch_to_other_instance(&mut self, instance: u32) {
        self.restore_memories();
        let inst = &self.instances[instance as usize];
        self.instance = instance;
        self.inst = inst;
        self.program = &inst.program;
        self.memories = &inst.memories;
        self.lend_memories();
    }

    /// Resumes the caller saved in `caller`.
    fn resume(&mut self, caller: Frame<'a>) {
        self.switch_instance(caller.instance);
        self.enter(caller.func, caller.bases.map(|b| b as usize));
        self.pc = caller.pc as usize;
    }

    /// Returns the current frame's registers of list `values`.
    pub(super) fn return_values(&mut self, values: ListRef) -> Flow {
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
        let to = caller.bases.map(|b| b as usize);
        self.copy_values(
            &func.results,
            func.scalar_signature,
            (values, from),
            (caller.results, to),
        );
        self.resume(caller);
        Ok(())
    }

    /// Returns host results (scalars, type-checked) from the current
    /// function, for a host function called in tail position.
    fn return_scalars(&mut self, values: Vec<Val>) -> Flow {
        let Some(caller) = self.frames.pop() else {
            self.results = values;
            return Err(Stop::Returned);
        };
        for (value, &reg) in values.iter().zip(caller.results) {
            self.scalars
                .set(caller.bases[0] as usize, reg, value.to_bits());
        }
        self.resume(caller);
        Ok(())
    }

    /// Calls function `func` of `instance` with the current frame's
    /// registers `args`; its results will go to the registers `results`.
    pub(super) fn call_in(
        &mut self,
        instance: u32,
        func: u32,
        args: &[Reg],
        results: &'a [Reg],
    ) -> Flow {
        if self.frames.len() + 1 >= self.max_depth {
            return Err(trap(TrapKind::CallStackExhausted));
        }
        let (caller, callee) = (self.func, self.function(instance, func));
        let from = self.bases();
        let to = [
            from[0] + caller.scalars.len(),
            from[1] + caller.cells.len(),
            from[2] + caller.slices.len(),
        ];
        self.open_frame(callee, to)?;
        self.copy_values(
            &callee.params,
            callee.scalar_signature,
            (args, from),
            (&callee.param_regs, to),
        );
        self.frames.push(Frame {
            func: caller,
            instance: self.instance,
            pc: self.pc as u32,
            // Every stack is far smaller than u32::MAX.
            bases: from.map(|b| b as u32),
            results,
        });
        self.switch_instance(instance);
        self.enter(callee, to);
        Ok(())
    }

    /// A call of function `func` of the current instance, when the callee
    /// has only scalar registers and its frame fits: the common case, which
    /// the dispatch loop runs without writing its state back. The caller's
    /// frame is `caller_regs`, at `pc`. Returns the callee's registers, or
    /// `None` (and no change) for [`Executor::call_in`] to do, or refuse,
    /// the call.
    #[inline(always)]
    pub(super) fn scalar_call(
        &mut self,
        func: u32,
        args: &[Reg],
        results: &'a [Reg],
        pc: usize,
        caller_regs: Window<'a, u64>,
    ) -> Option<Window<'a, u64>> {
        let (caller, callee) = (self.func, self.program.functions.get(func as usize)?);
        let base = self.base + caller.scalars.len();
        if !callee.scalar_frame || self.frames.len() + 1 >= self.max_depth {
            return None;
        }
        let regs = self.scalars.open_window(base, callee.scalars.len(), 0)?;
        for (&arg, &param) in args.iter().zip(&callee.param_regs) {
            regs[param.index()].set(caller_regs[arg.index()].get());
        }
        self.frames.push(Frame {
            func: caller,
            instance: self.instance,
            pc: pc as u32,
            bases: self.bases().map(|b| b as u32),
            results,
        });
        // The callee has no Cell or slice registers, but its own callees'
        // frames go above the caller's.
        let bases = [
            base,
            self.cell_base + caller.cells.len(),
            self.slice_base + caller.slices.len(),
        ];
        self.enter(callee, bases);
        Some(regs)
    }

    /// A return of scalar results to a caller of the same instance, from
    /// registers `regs`: the dispatch loop's common case. Returns the
    /// caller's program counter and registers, or `None` (and no change)
    /// for [`Executor::return_values`] to do.
    #[inline(always)]
    pub(super) fn scalar_return(
        &mut self,
        values: &[Reg],
        regs: Window<'a, u64>,
    ) -> Option<(usize, Window<'a, u64>)> {
        let caller = *self.frames.last()?;
        if !self.func.scalar_signature || caller.instance != self.instance {
            return None;
        }
        self.frames.pop();
        let base = caller.bases[0] as usize;
        let caller_regs = self.scalars.window(base);
        for (&value, &dst) in values.iter().zip(caller.results) {
            caller_regs[dst.index()].set(regs[value.index()].get());
        }
        self.enter(caller.func, caller.bases.map(|b| b as usize));
        Some((caller.pc as usize, caller_regs))
    }

    /// Calls store function `func`: a program function of any instance, or
    /// a host function.
    pub(super) fn call_store(&mut self, func: FuncId, args: &[Reg], results: &'a [Reg]) -> Flow {
        match &self.funcs[func.0 as usize] {
            FuncEntity::Vm { instance, index } => self.call_in(*instance, *index, args, results),
            FuncEntity::Host { name, ty, f } => {
                let values = self.with_memories_in_heap(|e| e.call_host(name, ty, f, args))?;
                for (value, &reg) in values.iter().zip(results) {
                    self.set_scalar(reg, value.to_bits());
                }
                Ok(())
            }
        }
    }

    /// Tail-calls store function `func`. A host function in tail position
    /// runs, and its results are returned at once.
    pub(super) fn tail_call_store(&mut self, func: FuncId, args: &[Reg]) -> Flow {
        match &self.funcs[func.0 as usize] {
            FuncEntity::Vm { instance, index } => self.tail_call_in(*instance, *index, args),
            FuncEntity::Host { name, ty, f } => {
                let values = self.with_memories_in_heap(|e| e.call_host(name, ty, f, args))?;
                self.return_scalars(values)
            }
        }
    }

    /// Calls function `func` of `instance` in place of the current
    /// function, with the current frame's registers `args`.
    pub(super) fn tail_call_in(&mut self, instance: u32, func: u32, args: &[Reg]) -> Flow {
        let (caller, callee) = (self.func, self.function(instance, func));
        let here = self.bases();
        // Stage the arguments above both frames, then move them down.
        let staging = [
            here[0] + caller.scalars.len().max(callee.scalars.len()),
            here[1] + caller.cells.len().max(callee.cells.len()),
            here[2] + caller.slices.len().max(callee.slices.len()),
        ];
        self.open_frame(callee, staging)?;
        self.copy_values(
            &callee.params,
            callee.scalar_signature,
            (args, here),
            (&callee.param_regs, staging),
        );
        self.scalars
            .move_down(staging[0], callee.scalars.len(), here[0]);
        self.cells
            .move_down(staging[1], callee.cells.len(), here[1]);
        self.slices
            .move_down(staging[2], callee.slices.len(), here[2]);
        self.switch_instance(instance);
        self.enter(callee, here);
        Ok(())
    }

    /// The function in entry `index` of table `table`, if its type is the
    /// program's type `sig`; otherwise the trap the call gets.
    pub(super) fn indirect_target(&self, table: u32, index: Reg, sig: u32) -> Result<FuncId, Stop> {
        let at = self.scalar(index) as u32;
        let entries = &self.tables[self.inst.tables[table as usize].0 as usize].elements;
        let bits = *entries.get(at as usize).ok_or_else(|| {
            Stop::detailed(
                TrapKind::OutOfBounds,
                format!("undefined element {at} of table {table}"),
            )
        })?;
        let func = Val::ref_index(bits).ok_or_else(|| {
            Stop::detailed(
                TrapKind::NullElement,
                format!("uninitialized element {at} of table {table}"),
            )
        })?;
        let expected = &self.program.types[sig as usize];
        let (name, params, results) = match &self.funcs[func as usize] {
            FuncEntity::Vm { instance, index } => {
                let f = &self.instances[*instance as usize].program.functions[*index as usize];
                (f.name.as_str(), &f.params, &f.results)
            }
            FuncEntity::Host { name, ty, .. } => (name.as_str(), &ty.params, &ty.results),
        };
        if *params != expected.params || *results != expected.results {
            return Err(Stop::detailed(
                TrapKind::IndirectCallSignatureMismatch,
                format!("`{name}` is not of type {sig}"),
            ));
        }
        Ok(FuncId(func))
    }
}
