//! The executor: the state of a run, and the handlers of the out-of-line
//! instructions (calls, tables, globals, arenas, memory management).
//!
//! State: three register stacks (scalar, Cell, slice), one frame of each
//! per active call, contiguous; the current frame's bases and code are kept
//! in the executor itself, and callers' in `frames`. While the dispatch
//! loop (`dispatch.rs`) runs, it holds the program counter, the frame's
//! scalar registers and memory 0's lent bytes in locals, and writes them back
//! here before any out-of-line handler runs.

use arenavm_arenas::{Bytes, F64Array, I64Array, List, Map, Str, U8Array, Value};
use arenavm_arenas::{Cell, Heap};

use super::arena_ops::{KeyReg, Scalar, arena_trap};
use super::calls::Frame;
use super::memory::{LENT_MEMORIES, LentMemory};
use super::store::{FuncEntity, InstanceData, Resources, Store};
use super::trap::TrapKind;
use super::{CellRegs, ScalarRegs, SliceRegs, Stacks, Table};
use crate::isa::{ListRef, OutOfLineHandlers, Reg};
use crate::program::Val;
use crate::types::ScalarValue;
use crate::verify::{VerifiedFunction, VerifiedProgram};

/// Why the loop stopped. Small enough that a handler's `Flow` comes back
/// in registers: the detail of a trap is boxed.
#[derive(Debug)]
pub(crate) enum Stop {
    /// The entry function returned.
    Returned,
    Trapped(TrapKind, Option<Box<TrapDetail>>),
}

/// A trap's description, boxed behind a thin pointer so that [`Flow`]
/// stays two words.
#[derive(Debug)]
pub(crate) struct TrapDetail(pub(crate) String);

impl Stop {
    /// A trap with a description of its cause.
    #[cold]
    pub(crate) fn detailed(kind: TrapKind, detail: String) -> Stop {
        Stop::Trapped(kind, Some(Box::new(TrapDetail(detail))))
    }
}

pub(crate) type Flow = Result<(), Stop>;

pub(super) fn trap(kind: TrapKind) -> Stop {
    Stop::Trapped(kind, None)
}

pub(crate) struct Executor<'a> {
    pub(super) heap: &'a mut Heap,
    pub(super) globals: &'a mut [u64],
    pub(super) tables: &'a mut [Table],
    pub(super) data: &'a mut [Box<[u8]>],
    pub(super) elements: &'a mut [Box<[u64]>],
    pub(super) funcs: &'a [FuncEntity],
    pub(super) instances: &'a [InstanceData],
    /// The store's limits and totals, which `memory.grow` and
    /// `table.grow` check and raise.
    pub(super) resources: &'a mut Resources,
    /// The register stacks of the three banks; every frame lies inside them.
    pub(super) scalars: ScalarRegs<'a>,
    pub(super) cells: CellRegs<'a>,
    pub(super) slices: SliceRegs<'a>,
    pub(super) frames: Vec<Frame<'a>>,
    pub(super) max_depth: usize,
    // The current instance: its program, memories and index spaces.
    pub(super) instance: u32,
    pub(super) inst: &'a InstanceData,
    pub(super) program: &'a VerifiedProgram,
    pub(super) memories: &'a [Cell],
    /// The current instance's first memories, lent out of the heap, by
    /// index (memory 0's bytes are in the dispatch loop while it runs).
    pub(super) lent: [LentMemory; LENT_MEMORIES],
    // The current frame.
    pub(super) func: &'a VerifiedFunction,
    pub(super) pc: usize,
    pub(super) base: usize,
    pub(super) cell_base: usize,
    pub(super) slice_base: usize,
    /// The entry function's results, once it returns.
    pub(crate) results: Vec<Val>,
}

impl<'a> Executor<'a> {
    /// An executor over `store`, entering function `entry` of `instance`.
    /// Traps `call stack exhausted` if the entry frame does not fit.
    pub(crate) fn new(
        store: &'a mut Store,
        instance: u32,
        entry: u32,
        max_depth: usize,
    ) -> Result<Executor<'a>, Stop> {
        let Store {
            heap,
            globals,
            tables,
            data,
            elements,
            funcs,
            instances,
            stacks,
            resources,
            ..
        } = store;
        let Stacks {
            scalars,
            cells,
            slices,
        } = stacks;
        let inst = &instances[instance as usize];
        let program: &VerifiedProgram = &inst.program;
        let func = &program.functions[entry as usize];
        let mut executor = Executor {
            heap,
            globals,
            tables,
            data,
            elements,
            funcs,
            instances,
            resources,
            scalars: scalars.view(),
            cells: cells.view(),
            slices: slices.view(),
            frames: Vec::new(),
            max_depth,
            instance,
            inst,
            program,
            memories: &inst.memories,
            lent: Default::default(),
            func,
            pc: 0,
            base: 0,
            cell_base: 0,
            slice_base: 0,
            results: Vec::new(),
        };
        executor.open_frame(func, [0; 3])?;
        executor.lend_memories();
        Ok(executor)
    }

    /// Writes the entry function's parameters (already type-checked).
    pub(crate) fn set_params(&mut self, args: &[Val]) {
        for (&reg, arg) in self.func.param_regs.iter().zip(args) {
            self.set_scalar(reg, arg.to_bits());
        }
    }

    /// Where the current instruction came from: function name and index in
    /// the code as written.
    pub(crate) fn location(&self) -> (String, usize) {
        let pc = self.pc.saturating_sub(1);
        let index = self.func.source_index.get(pc).copied().unwrap_or(0);
        (self.func.name.clone(), index as usize)
    }

    /// Reads a scalar register of the current frame.
    #[inline(always)]
    pub(super) fn scalar(&self, reg: Reg) -> u64 {
        self.scalars.get(self.base, reg)
    }

    /// Writes a scalar register of the current frame.
    #[inline(always)]
    pub(super) fn set_scalar(&mut self, reg: Reg, bits: u64) {
        self.scalars.set(self.base, reg, bits);
    }
}

impl Drop for Executor<'_> {
    /// The lent memories go back to the heap however the run ended.
    fn drop(&mut self) {
        self.restore_memories();
    }
}

impl OutOfLineHandlers for Executor<'_> {
    type Flow = Flow;

    fn ret(&mut self, values: ListRef) -> Flow {
        self.return_values(values)
    }

    fn call(&mut self, func: u32, args: ListRef, results: ListRef) -> Flow {
        let lists = &self.func.lists;
        let (args, results) = (&lists[args.0 as usize], &lists[results.0 as usize]);
        self.call_in(self.instance, func, args, results)
    }

    fn return_call(&mut self, func: u32, args: ListRef) -> Flow {
        let args = &self.func.lists[args.0 as usize];
        self.tail_call_in(self.instance, func, args)
    }

    fn call_indirect(&mut self, table: u32, index: Reg, sig: u32, operands: ListRef) -> Flow {
        let func = self.indirect_target(table, index, sig)?;
        let split = self.program.types[sig as usize].params.len();
        let (args, results) = self.func.lists[operands.0 as usize].split_at(split);
        self.call_store(func, args, results)
    }

    fn return_call_indirect(&mut self, table: u32, index: Reg, sig: u32, args: ListRef) -> Flow {
        let func = self.indirect_target(table, index, sig)?;
        let caller = self.func;
        self.tail_call_store(func, &caller.lists[args.0 as usize])
    }

    fn call_import(&mut self, import: u32, args: ListRef, results: ListRef) -> Flow {
        let lists = &self.func.lists;
        let (args, results) = (&lists[args.0 as usize], &lists[results.0 as usize]);
        self.call_store(self.inst.imports[import as usize], args, results)
    }

    fn ref_func(&mut self, dst: Reg, func: u32) -> Flow {
        let id = self.inst.funcs[func as usize];
        self.set_scalar(dst, u64::from(id.index()) + 1);
        Ok(())
    }

    fn ref_import(&mut self, dst: Reg, import: u32) -> Flow {
        let id = self.inst.imports[import as usize];
        self.set_scalar(dst, u64::from(id.index()) + 1);
        Ok(())
    }

    fn ref_null(&mut self, dst: Reg) -> Flow {
        self.set_scalar(dst, 0);
        Ok(())
    }

    fn ref_is_null(&mut self, dst: Reg, value: Reg) -> Flow {
        self.set_scalar(dst, (self.scalar(value) == 0).to_bits());
        Ok(())
    }

    fn table_get(&mut self, dst: Reg, table: u32, index: Reg) -> Flow {
        let entry = self.table_entry(table, index)?;
        self.set_scalar(dst, entry);
        Ok(())
    }

    fn table_set(&mut self, table: u32, index: Reg, value: Reg) -> Flow {
        let value = self.scalar(value);
        *self.table_entry_mut(table, index)? = value;
        Ok(())
    }

    fn table_size(&mut self, dst: Reg, table: u32) -> Flow {
        let size = self.table(table).elements.len() as i32;
        self.set_scalar(dst, size.to_bits());
        Ok(())
    }

    fn table_grow(&mut self, dst: Reg, table: u32, init: Reg, delta: Reg) -> Flow {
        let (init, delta) = (self.scalar(init), self.scalar(delta) as u32);
        // Past the store's limit is refused as past the maximum: -1.
        let grown = match self.resources.table_fits(u64::from(delta)) {
            true => self.table_mut(table).grow(delta, init),
            false => None,
        };
        if grown.is_some() {
            self.resources.table_elements += u64::from(delta);
        }
        let old = grown.map_or(-1, |old| old as i32);
        self.set_scalar(dst, old.to_bits());
        Ok(())
    }

    fn table_fill(&mut self, table: u32, dst: Reg, value: Reg, len: Reg) -> Flow {
        self.fill_table(table, dst, value, len)
    }

    fn table_copy(&mut self, dst_table: u32, src_table: u32, dst: Reg, src: Reg, len: Reg) -> Flow {
        self.copy_table(dst_table, src_table, dst, src, len)
    }

    fn table_init(&mut self, table: u32, elem: u32, dst: Reg, src: Reg, len: Reg) -> Flow {
        self.init_table(table, elem, dst, src, len)
    }

    fn elem_drop(&mut self, elem: u32) -> Flow {
        let index = self.inst.elements[elem as usize] as usize;
        self.elements[index] = Box::default();
        Ok(())
    }

    fn global_get(&mut self, dst: Reg, global: u32) -> Flow {
        let id = self.inst.globals[global as usize];
        self.set_scalar(dst, self.globals[id.index() as usize]);
        Ok(())
    }

    fn global_set(&mut self, src: Reg, global: u32) -> Flow {
        let id = self.inst.globals[global as usize];
        self.globals[id.index() as usize] = self.scalar(src);
        Ok(())
    }

    fn cell_copy(&mut self, dst: Reg, src: Reg) -> Flow {
        let cell = self.cell(src)?;
        self.set_cell(dst, cell);
        Ok(())
    }

    fn cell_is_null(&mut self, dst: Reg, cell: Reg) -> Flow {
        self.set_scalar(dst, self.cell_or_null(cell).is_none().to_bits());
        Ok(())
    }

    fn free(&mut self, cell: Reg) -> Flow {
        let cell = self.cell(cell)?;
        self.heap.free(cell).map(drop).map_err(arena_trap)
    }

    fn len(&mut self, dst: Reg, obj: Reg) -> Flow {
        let len = self.heap.len(self.cell(obj)?).map_err(arena_trap)?;
        self.set_scalar(dst, len);
        Ok(())
    }

    fn bytes_new(&mut self, dst: Reg, len: Reg) -> Flow {
        self.alloc_with_len(dst, len, |n| Bytes::zeroed(n, Bytes::ABSOLUTE_MAX))
    }

    fn str_new(&mut self, dst: Reg, len: Reg) -> Flow {
        self.alloc_with_len(dst, len, Str::zeroed)
    }

    fn str_const(&mut self, dst: Reg, string: u32) -> Flow {
        let text = Str::from(self.program.strings[string as usize].as_str());
        self.alloc(dst, Ok(text))
    }

    fn list_new(&mut self, dst: Reg, len: Reg) -> Flow {
        self.alloc_with_len(dst, len, List::with_len)
    }

    fn i64_array_new(&mut self, dst: Reg, len: Reg) -> Flow {
        self.alloc_with_len(dst, len, I64Array::with_len)
    }

    fn f64_array_new(&mut self, dst: Reg, len: Reg) -> Flow {
        self.alloc_with_len(dst, len, F64Array::with_len)
    }

    fn u8_array_new(&mut self, dst: Reg, len: Reg) -> Flow {
        self.alloc_with_len(dst, len, U8Array::with_len)
    }

    fn map_new(&mut self, dst: Reg) -> Flow {
        self.alloc(dst, Ok(Map::new()))
    }

    fn list_get_i64(&mut self, dst: Reg, list: Reg, index: Reg) -> Flow {
        self.list_get(dst, list, index, Scalar::I64)
    }

    fn list_get_f64(&mut self, dst: Reg, list: Reg, index: Reg) -> Flow {
        self.list_get(dst, list, index, Scalar::F64)
    }

    fn list_get_cell(&mut self, dst: Reg, list: Reg, index: Reg) -> Flow {
        self.list_get_cell_into(dst, list, index)
    }

    fn list_set_i64(&mut self, list: Reg, index: Reg, value: Reg) -> Flow {
        self.list_set(list, index, self.scalar_value(value, Scalar::I64))
    }

    fn list_set_f64(&mut self, list: Reg, index: Reg, value: Reg) -> Flow {
        self.list_set(list, index, self.scalar_value(value, Scalar::F64))
    }

    fn list_set_cell(&mut self, list: Reg, index: Reg, value: Reg) -> Flow {
        let value = self.cell_value(value)?;
        self.list_set(list, index, value)
    }

    fn list_push_i64(&mut self, list: Reg, value: Reg) -> Flow {
        self.list_push(list, self.scalar_value(value, Scalar::I64))
    }

    fn list_push_f64(&mut self, list: Reg, value: Reg) -> Flow {
        self.list_push(list, self.scalar_value(value, Scalar::F64))
    }

    fn list_push_cell(&mut self, list: Reg, value: Reg) -> Flow {
        let value = self.cell_value(value)?;
        self.list_push(list, value)
    }

    fn list_pop_i64(&mut self, dst: Reg, list: Reg) -> Flow {
        self.pop_scalar(dst, list, Scalar::I64)
    }

    fn list_pop_f64(&mut self, dst: Reg, list: Reg) -> Flow {
        self.pop_scalar(dst, list, Scalar::F64)
    }

    fn list_pop_cell(&mut self, dst: Reg, list: Reg) -> Flow {
        let value = self.list_pop(list)?;
        self.put_cell_value(dst, value)
    }

    typed_array_handlers! {
        i64: i64_array_get, i64_array_set, i64_array_push, i64_array_pop;
        f64: f64_array_get, f64_array_set, f64_array_push, f64_array_pop;
        u8: u8_array_get, u8_array_set, u8_array_push, u8_array_pop;
    }

    fn str_concat(&mut self, dst: Reg, a: Reg, b: Reg) -> Flow {
        let (a, b) = (self.cell(a)?, self.cell(b)?);
        let cell = self.heap.concat(a, b).map_err(arena_trap)?;
        self.set_cell(dst, cell);
        Ok(())
    }

    fn str_compare(&mut self, dst: Reg, a: Reg, b: Reg) -> Flow {
        let (a, b) = (self.cell(a)?, self.cell(b)?);
        let order = self.heap.compare_strings(a, b).map_err(arena_trap)?;
        self.set_scalar(dst, (order as i32).to_bits());
        Ok(())
    }

    fn str_byte(&mut self, dst: Reg, string: Reg, index: Reg) -> Flow {
        let (cell, i) = (self.cell(string)?, self.unsigned(index));
        let byte = self
            .heap
            .get::<Str>(cell)
            .and_then(|s| s.byte_at(i))
            .map_err(arena_trap)?;
        self.set_scalar(dst, u64::from(byte));
        Ok(())
    }

    fn map_set_int_i64(&mut self, map: Reg, key: Reg, value: Reg) -> Flow {
        self.map_set(map, KeyReg::Int(key), self.scalar_value(value, Scalar::I64))
    }

    fn map_set_str_i64(&mut self, map: Reg, key: Reg, value: Reg) -> Flow {
        self.map_set(map, KeyReg::Str(key), self.scalar_value(value, Scalar::I64))
    }

    fn map_set_int_cell(&mut self, map: Reg, key: Reg, value: Reg) -> Flow {
        let value = self.cell_value(value)?;
        self.map_set(map, KeyReg::Int(key), value)
    }

    fn map_set_str_cell(&mut self, map: Reg, key: Reg, value: Reg) -> Flow {
        let value = self.cell_value(value)?;
        self.map_set(map, KeyReg::Str(key), value)
    }

    fn map_get_int_i64(&mut self, dst: Reg, map: Reg, key: Reg) -> Flow {
        self.map_get(dst, map, KeyReg::Int(key), Scalar::I64)
    }

    fn map_get_str_i64(&mut self, dst: Reg, map: Reg, key: Reg) -> Flow {
        self.map_get(dst, map, KeyReg::Str(key), Scalar::I64)
    }

    fn map_get_int_cell(&mut self, dst: Reg, map: Reg, key: Reg) -> Flow {
        self.map_get_cell(dst, map, KeyReg::Int(key))
    }

    fn map_get_str_cell(&mut self, dst: Reg, map: Reg, key: Reg) -> Flow {
        self.map_get_cell(dst, map, KeyReg::Str(key))
    }

    fn map_has_int(&mut self, dst: Reg, map: Reg, key: Reg) -> Flow {
        self.map_has(dst, map, KeyReg::Int(key))
    }

    fn map_has_str(&mut self, dst: Reg, map: Reg, key: Reg) -> Flow {
        self.map_has(dst, map, KeyReg::Str(key))
    }

    fn map_remove_int(&mut self, map: Reg, key: Reg) -> Flow {
        self.map_remove(map, KeyReg::Int(key))
    }

    fn map_remove_str(&mut self, map: Reg, key: Reg) -> Flow {
        self.map_remove(map, KeyReg::Str(key))
    }

    fn slice_new(&mut self, dst: Reg, obj: Reg, start: Reg, len: Reg) -> Flow {
        let (cell, start, len) = (self.cell(obj)?, self.unsigned(start), self.unsigned(len));
        let slice = self.heap.slice(cell, start, len).map_err(arena_trap)?;
        self.set_slice(dst, slice);
        Ok(())
    }

    fn sub_slice(&mut self, dst: Reg, src: Reg, start: Reg, len: Reg) -> Flow {
        let (s, start, len) = (self.slice(src)?, self.unsigned(start), self.unsigned(len));
        let narrowed = self.heap.subslice(&s, start, len).map_err(arena_trap)?;
        self.set_slice(dst, narrowed);
        Ok(())
    }

    fn slice_len(&mut self, dst: Reg, slice: Reg) -> Flow {
        let len = self.slice(slice)?.len();
        self.set_scalar(dst, len);
        Ok(())
    }

    fn slice_get_i64(&mut self, dst: Reg, slice: Reg, index: Reg) -> Flow {
        let v = self.slice_get::<i64>(slice, index)?;
        self.set_scalar(dst, v.to_bits());
        Ok(())
    }

    fn slice_set_i64(&mut self, slice: Reg, index: Reg, value: Reg) -> Flow {
        let v = self.scalar(value) as i64;
        self.slice_set::<i64>(slice, index, v)
    }

    fn list_slice_get_i64(&mut self, dst: Reg, slice: Reg, index: Reg) -> Flow {
        let value = self.slice_get::<Value>(slice, index)?;
        let bits = match value {
            Value::I64(v) => v.to_bits(),
            other => return Err(Scalar::I64.element_trap(other)),
        };
        self.set_scalar(dst, bits);
        Ok(())
    }

    fn list_slice_set_i64(&mut self, slice: Reg, index: Reg, value: Reg) -> Flow {
        let v = self.scalar_value(value, Scalar::I64);
        self.slice_set::<Value>(slice, index, v)
    }

    fn slice_byte(&mut self, dst: Reg, slice: Reg, index: Reg) -> Flow {
        let (s, i) = (self.slice(slice)?, self.unsigned(index));
        let byte = self.heap.slice_byte(&s, i).map_err(arena_trap)?;
        self.set_scalar(dst, u64::from(byte));
        Ok(())
    }

    fn arena_copy(
        &mut self,
        dst: Reg,
        dst_offset: Reg,
        src: Reg,
        src_offset: Reg,
        count: Reg,
    ) -> Flow {
        let (to, from) = (self.cell(dst)?, self.cell(src)?);
        let (at, from_at, n) = (
            self.unsigned(dst_offset),
            self.unsigned(src_offset),
            self.unsigned(count),
        );
        self.heap.copy(to, at, from, from_at, n).map_err(arena_trap)
    }

    fn slice_copy(
        &mut self,
        dst: Reg,
        dst_offset: Reg,
        src: Reg,
        src_offset: Reg,
        count: Reg,
    ) -> Flow {
        let (to, from) = (self.slice(dst)?, self.slice(src)?);
        let (at, from_at, n) = (
            self.unsigned(dst_offset),
            self.unsigned(src_offset),
            self.unsigned(count),
        );
        self.heap.copy(to, at, from, from_at, n).map_err(arena_trap)
    }

    fn memory_size(&mut self, dst: Reg, mem: u32) -> Flow {
        self.with_memories_in_heap(|e| e.memory_size_pages(dst, mem))
    }

    fn memory_grow(&mut self, dst: Reg, delta: Reg, mem: u32) -> Flow {
        self.with_memories_in_heap(|e| e.memory_grow_pages(dst, delta, mem))
    }

    fn memory_fill(&mut self, dst: Reg, value: Reg, len: Reg, mem: u32) -> Flow {
        self.with_memories_in_heap(|e| e.memory_fill_bytes(dst, value, len, mem))
    }

    fn memory_copy(&mut self, dst: Reg, src: Reg, len: Reg, dst_mem: u32, src_mem: u32) -> Flow {
        self.with_memories_in_heap(|e| e.memory_copy_bytes(dst, src, len, dst_mem, src_mem))
    }

    fn memory_init(&mut self, mem: u32, data: u32, dst: Reg, src: Reg, len: Reg) -> Flow {
        self.with_memories_in_heap(|e| e.init_memory(mem, data, dst, src, len))
    }

    fn data_drop(&mut self, data: u32) -> Flow {
        let index = self.inst.data[data as usize] as usize;
        self.data[index] = Box::default();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A handler's result comes back in two registers, not through memory.
    #[test]
    fn flow_fits_in_two_words() {
        assert!(
            std::mem::size_of::<Flow>() <= 16,
            "{}",
            std::mem::size_of::<Flow>()
        );
    }
}
