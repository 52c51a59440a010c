//! Linear memories: bytes segments in the heap, addressed by memory index.
//! Every access resolves the segment's Cell (checked like any Cell) and
//! bounds-checks `addr + offset`, computed in 64 bits so it cannot wrap.

use arenavm_arenas::Bytes;

use super::arena_ops::arena_trap;
use super::executor::{Executor, Flow, Stop};
use crate::isa::{Handlers, Reg};
use crate::types::ScalarValue;

/// A Wasm page: 64 KiB.
pub(crate) const PAGE: u64 = 1 << 16;

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

    /// The effective address `addr + offset`, computed in 64 bits.
    #[inline(always)]
    fn effective(&self, addr: Reg, offset: u32) -> u64 {
        u64::from(self.scalar(addr) as u32) + u64::from(offset)
    }

    #[inline(always)]
    pub(super) fn load<const N: usize>(
        &self,
        addr: Reg,
        offset: u32,
        mem: u32,
    ) -> Result<[u8; N], Stop> {
        let at = self.effective(addr, offset);
        self.segment(mem)?.read::<N>(at).map_err(arena_trap)
    }

    #[inline(always)]
    pub(super) fn store<const N: usize>(
        &mut self,
        addr: Reg,
        value: Reg,
        offset: u32,
        mem: u32,
    ) -> Flow {
        let at = self.effective(addr, offset);
        let mut bytes = [0; N];
        bytes.copy_from_slice(&self.scalar(value).to_le_bytes()[..N]);
        self.segment_mut(mem)?.write(at, bytes).map_err(arena_trap)
    }

    pub(super) fn memory_size_pages(&mut self, dst: Reg, mem: u32) -> Flow {
        let pages = self.segment(mem)?.len() / PAGE;
        self.set_scalar(dst, (pages as i32).to_bits());
        Ok(())
    }

    pub(super) fn memory_grow_pages(&mut self, dst: Reg, delta: Reg, mem: u32) -> Flow {
        let delta = u64::from(self.scalar(delta) as u32);
        let old = match self.segment_mut(mem)?.grow(delta * PAGE) {
            Ok(old_len) => (old_len / PAGE) as i32,
            Err(_) => -1,
        };
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
            .map_err(arena_trap)
    }
}
