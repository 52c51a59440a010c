//! Tables and segments at run time: entry access, fill, copy and init from
//! element segments, and memory init from data segments. Every bulk
//! operation checks its whole range first, so a refused one writes nothing.

use arenavm_arenas::Bytes;

use super::Table;
use super::arena_ops::arena_trap;
use super::executor::{Executor, Flow, Stop};
use super::trap::TrapKind;
use crate::isa::Reg;

/// `start..start + len` if it lies within `0..size`.
fn range(start: u32, len: u32, size: usize) -> Option<std::ops::Range<usize>> {
    let (start, len) = (start as usize, len as usize);
    let end = start.checked_add(len)?;
    (end <= size).then_some(start..end)
}

fn table_out_of_bounds(what: &str, at: u32, len: u32) -> Stop {
    Stop::detailed(
        TrapKind::OutOfBounds,
        format!("out of bounds table access: {what} of {len} entries at {at}"),
    )
}

impl Executor<'_> {
    /// The `u32` values (Wasm's indices and lengths) of `regs`.
    pub(super) fn u32_operands<const N: usize>(&self, regs: [Reg; N]) -> [u32; N] {
        regs.map(|reg| self.scalar(reg) as u32)
    }

    /// The store table behind the instance's table `table`.
    pub(super) fn table(&self, table: u32) -> &Table {
        &self.tables[self.inst.tables[table as usize].index() as usize]
    }

    pub(super) fn table_mut(&mut self, table: u32) -> &mut Table {
        &mut self.tables[self.inst.tables[table as usize].index() as usize]
    }

    /// Entry (the index register's value) of table `table`.
    pub(super) fn table_entry(&self, table: u32, index: Reg) -> Result<u64, Stop> {
        let at = self.scalar(index) as u32;
        self.table(table)
            .elements
            .get(at as usize)
            .copied()
            .ok_or_else(|| table_out_of_bounds("entry", at, 1))
    }

    pub(super) fn table_entry_mut(&mut self, table: u32, index: Reg) -> Result<&mut u64, Stop> {
        let at = self.scalar(index) as u32;
        self.table_mut(table)
            .elements
            .get_mut(at as usize)
            .ok_or_else(|| table_out_of_bounds("entry", at, 1))
    }

    pub(super) fn fill_table(&mut self, table: u32, dst: Reg, value: Reg, len: Reg) -> Flow {
        let (at, value, n) = (
            self.scalar(dst) as u32,
            self.scalar(value),
            self.scalar(len) as u32,
        );
        let entries = &mut self.table_mut(table).elements;
        let span = range(at, n, entries.len()).ok_or_else(|| table_out_of_bounds("fill", at, n))?;
        entries[span].fill(value);
        Ok(())
    }

    pub(super) fn copy_table(
        &mut self,
        dst_table: u32,
        src_table: u32,
        dst: Reg,
        src: Reg,
        len: Reg,
    ) -> Flow {
        let [to, from, n] = self.u32_operands([dst, src, len]);
        let (dst_id, src_id) = (
            self.inst.tables[dst_table as usize].index() as usize,
            self.inst.tables[src_table as usize].index() as usize,
        );
        let source = range(from, n, self.tables[src_id].elements.len())
            .ok_or_else(|| table_out_of_bounds("copy source", from, n))?;
        let target = range(to, n, self.tables[dst_id].elements.len())
            .ok_or_else(|| table_out_of_bounds("copy destination", to, n))?;
        if dst_id == src_id {
            self.tables[dst_id]
                .elements
                .copy_within(source, target.start);
        } else {
            let (lo, hi) = self.tables.split_at_mut(dst_id.max(src_id));
            let (dst_table, src_table) = if dst_id < src_id {
                (&mut lo[dst_id], &hi[0])
            } else {
                (&mut hi[0], &lo[src_id])
            };
            dst_table.elements[target].copy_from_slice(&src_table.elements[source]);
        }
        Ok(())
    }

    pub(super) fn init_table(
        &mut self,
        table: u32,
        elem: u32,
        dst: Reg,
        src: Reg,
        len: Reg,
    ) -> Flow {
        let [to, from, n] = self.u32_operands([dst, src, len]);
        let segment = &self.elements[self.inst.elements[elem as usize] as usize];
        let source = range(from, n, segment.len())
            .ok_or_else(|| table_out_of_bounds("init source", from, n))?;
        let table_id = self.inst.tables[table as usize].index() as usize;
        let entries = &mut self.tables[table_id].elements;
        let target = range(to, n, entries.len())
            .ok_or_else(|| table_out_of_bounds("init destination", to, n))?;
        entries[target].copy_from_slice(&segment[source]);
        Ok(())
    }

    pub(super) fn init_memory(
        &mut self,
        mem: u32,
        data: u32,
        dst: Reg,
        src: Reg,
        len: Reg,
    ) -> Flow {
        let [to, from, n] = self.u32_operands([dst, src, len]);
        let bytes = &self.data[self.inst.data[data as usize] as usize];
        let source = range(from, n, bytes.len()).ok_or_else(|| {
            Stop::detailed(
                TrapKind::OutOfBounds,
                format!(
                    "out of bounds memory access: data segment of {} bytes read at {from} for {n}",
                    bytes.len()
                ),
            )
        })?;
        let segment = self
            .heap
            .get_mut::<Bytes>(self.memories[mem as usize])
            .map_err(arena_trap)?;
        let target = range(to, n, segment.len() as usize).ok_or_else(|| {
            Stop::detailed(
                TrapKind::OutOfBounds,
                format!("out of bounds memory access: {n} bytes at {to}"),
            )
        })?;
        segment.as_mut_slice()[target].copy_from_slice(&bytes[source]);
        Ok(())
    }
}
