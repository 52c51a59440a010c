//! Linear memories: bytes segments in the heap, addressed by memory index.
//! Every access bounds-checks `addr + offset`, computed in 64 bits so it
//! cannot wrap.
//!
//! The current instance's first memories (up to [`LENT_MEMORIES`]) are
//! lent: their contents are lent out of the heap ([`Bytes::lend`]) into
//! the executor, so their loads and stores index them directly. They go
//! back to the heap whenever anything else may look at or resize memories
//! (grow, bulk operations, host calls, a switch of instance, the end of
//! the run), and are lent again after. Other memories resolve their Cell
//! (checked like any Cell) on every access.

use arenavm_arenas::{Bytes, Cell};

use super::arena_ops::arena_trap;
use super::dispatch::{Exit, Machine, Step};
use super::executor::{Executor, Flow, Stop};
use super::trap::TrapKind;
use crate::isa::{Handlers, Reg};
use crate::types::ScalarValue;

/// A Wasm page: 64 KiB.
pub(crate) const PAGE: u64 = 1 << 16;

/// Generates the load handlers: `N` bytes, decoded to register bits.
macro_rules! loads {
    ($($method:ident: $n:literal => $decode:expr;)*) => {$(
        #[inline(always)]
        fn $method(&mut self, dst: Reg, addr: Reg, offset: u32, mem: u32) -> Step {
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
        fn $method(&mut self, addr: Reg, value: Reg, offset: u32, mem: u32) -> Step {
            self.store::<$n>(addr, value, offset, mem)
        }
    )*};
}

/// How many of an instance's memories, from index 0, are lent out of the
/// heap while it runs; the others are reached through their Cells.
pub(crate) const LENT_MEMORIES: usize = 4;

/// One memory of the current instance, lent out of the heap: its Cell and
/// contents, or no Cell (and no contents) when it is in the heap.
#[derive(Debug, Default)]
pub(crate) struct LentMemory {
    pub(crate) cell: Option<Cell>,
    pub(crate) bytes: Vec<u8>,
}

/// `at..at + N` if it lies within `bytes`.
#[inline(always)]
fn lent_range<const N: usize>(bytes: &[u8], at: u64) -> Option<std::ops::Range<usize>> {
    let end = at + N as u64;
    (end <= bytes.len() as u64).then_some(at as usize..end as usize)
}

/// Loads and stores, run by the dispatch loop: memory 0's bytes are in
/// its locals when lent, memories 1 to 3 in the executor's `lent`; any
/// other access goes to the executor's heap.
impl Machine<'_, '_> {
    /// The effective address `addr + offset`, computed in 64 bits.
    #[inline(always)]
    fn effective(&self, addr: Reg, offset: u32) -> u64 {
        u64::from(self.scalar(addr) as u32) + u64::from(offset)
    }

    #[inline(always)]
    pub(super) fn load<const N: usize>(
        &mut self,
        addr: Reg,
        offset: u32,
        mem: u32,
    ) -> Result<[u8; N], Exit> {
        let at = self.effective(addr, offset);
        let lent: &[u8] = match mem {
            0 => &self.memory,
            _ => self.ex.lent.get(mem as usize).map_or(&[], |m| &m.bytes),
        };
        if let Some(range) = lent_range::<N>(lent, at) {
            let mut out = [0; N];
            out.copy_from_slice(&lent[range]);
            return Ok(out);
        }
        let loaded = self.ex.load_from_heap(at, mem, lent.len());
        loaded.map_err(|stop| self.exit(stop))
    }

    #[inline(always)]
    pub(super) fn store<const N: usize>(
        &mut self,
        addr: Reg,
        value: Reg,
        offset: u32,
        mem: u32,
    ) -> Step {
        let at = self.effective(addr, offset);
        let mut bytes = [0; N];
        bytes.copy_from_slice(&self.scalar(value).to_le_bytes()[..N]);
        let lent: &mut [u8] = match mem {
            0 => &mut self.memory,
            _ => (self.ex.lent.get_mut(mem as usize)).map_or(&mut [], |m| &mut m.bytes),
        };
        let lent_len = lent.len();
        if let Some(range) = lent_range::<N>(lent, at) {
            lent[range].copy_from_slice(&bytes);
            return Ok(());
        }
        let stored = self.ex.store_to_heap(at, bytes, mem, lent_len);
        stored.map_err(|stop| self.exit(stop))
    }
}

#[cold]
fn out_of_bounds(at: u64, n: usize, len: usize) -> Stop {
    Stop::detailed(
        TrapKind::OutOfBounds,
        format!("out of bounds memory access: {n} bytes at {at} of a {len}-byte memory"),
    )
}

impl Executor<'_> {
    fn segment(&self, mem: u32) -> Result<&Bytes, Stop> {
        self.heap
            .get::<Bytes>(self.memories[mem as usize])
            .map_err(arena_trap)
    }

    fn segment_mut(&mut self, mem: u32) -> Result<&mut Bytes, Stop> {
        self.heap
            .get_mut::<Bytes>(self.memories[mem as usize])
            .map_err(arena_trap)
    }

    /// A load that missed the lent memories: out of the bounds of one
    /// (`lent_len` bytes), or of a memory in the heap.
    #[cold]
    #[inline(never)]
    fn load_from_heap<const N: usize>(
        &self,
        at: u64,
        mem: u32,
        lent_len: usize,
    ) -> Result<[u8; N], Stop> {
        if self.is_lent(mem) {
            return Err(out_of_bounds(at, N, lent_len));
        }
        self.segment(mem)?.read::<N>(at).map_err(arena_trap)
    }

    /// A store that missed the lent memories (see `load_from_heap`).
    #[cold]
    #[inline(never)]
    fn store_to_heap<const N: usize>(
        &mut self,
        at: u64,
        bytes: [u8; N],
        mem: u32,
        lent_len: usize,
    ) -> Flow {
        if self.is_lent(mem) {
            return Err(out_of_bounds(at, N, lent_len));
        }
        self.segment_mut(mem)?.write(at, bytes).map_err(arena_trap)
    }

    /// Whether memory `mem` is lent out of the heap.
    fn is_lent(&self, mem: u32) -> bool {
        self.lent
            .get(mem as usize)
            .is_some_and(|m| m.cell.is_some())
    }

    /// Lends the current instance's first [`LENT_MEMORIES`] memories out
    /// of the heap, each unless the instance also reaches it by another
    /// index (the same memory imported twice), which must then see it in
    /// the heap.
    pub(super) fn lend_memories(&mut self) {
        for (index, &cell) in self.memories.iter().enumerate().take(LENT_MEMORIES) {
            let aliased = self.memories.iter().filter(|&&m| m == cell).count() > 1;
            if !aliased && let Ok(segment) = self.heap.get_mut::<Bytes>(cell) {
                self.lent[index] = LentMemory {
                    cell: Some(cell),
                    bytes: segment.lend(),
                };
            }
        }
    }

    /// Gives the lent memories back to the heap.
    pub(super) fn restore_memories(&mut self) {
        for lent in &mut self.lent {
            if let Some(cell) = lent.cell.take() {
                let bytes = std::mem::take(&mut lent.bytes);
                if let Ok(segment) = self.heap.get_mut::<Bytes>(cell) {
                    // Loads and stores never change the length, so the
                    // contents fit where they came from.
                    let _fits = segment.restore(bytes);
                }
            }
        }
    }

    /// Runs `op` with every memory in the heap.
    pub(super) fn with_memories_in_heap<R>(&mut self, op: impl FnOnce(&mut Self) -> R) -> R {
        self.restore_memories();
        let result = op(self);
        self.lend_memories();
        result
    }

    pub(super) fn memory_size_pages(&mut self, dst: Reg, mem: u32) -> Flow {
        let pages = self.segment(mem)?.len() / PAGE;
        self.set_scalar(dst, (pages as i32).to_bits());
        Ok(())
    }

    pub(super) fn memory_grow_pages(&mut self, dst: Reg, delta: Reg, mem: u32) -> Flow {
        let bytes = u64::from(self.scalar(delta) as u32) * PAGE;
        // Past the store's limit is refused as past the maximum: -1.
        let fits = self.resources.memory_fits(bytes);
        let segment = self.segment_mut(mem)?;
        let old = match fits.then(|| segment.grow(bytes)) {
            Some(Ok(old_len)) => (old_len / PAGE) as i32,
            Some(Err(_)) | None => -1,
        };
        if old >= 0 {
            self.resources.memory_bytes += bytes;
        }
        self.set_scalar(dst, old.to_bits());
        Ok(())
    }

    pub(super) fn memory_fill_bytes(&mut self, dst: Reg, value: Reg, len: Reg, mem: u32) -> Flow {
        let (at, byte, len) = (
            u64::from(self.scalar(dst) as u32),
            self.scalar(value) as u8,
            u64::from(self.scalar(len) as u32),
        );
        self.segment_mut(mem)?
            .fill(at, len, byte)
            .map_err(arena_trap)
    }

    pub(super) fn memory_copy_bytes(
        &mut self,
        dst: Reg,
        src: Reg,
        len: Reg,
        dst_mem: u32,
        src_mem: u32,
    ) -> Flow {
        let [to, from, len] = self.u32_operands([dst, src, len]).map(u64::from);
        let (dst_cell, src_cell) = (
            self.memories[dst_mem as usize],
            self.memories[src_mem as usize],
        );
        self.heap
            .copy(dst_cell, to, src_cell, from, len)
            .map_err(arena_trap)
    }
}
