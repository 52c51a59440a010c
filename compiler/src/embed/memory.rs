//! [`Memory`]: a linear memory of a store, which is a bytes segment of its
//! heap. Reads and writes go through the arena API, so they are bounds
//! checked like the program's own loads and stores.

use arenavm_vm::arenas::{Bytes, Cell, Heap};
use arenavm_vm::exec::MemoryId;
use arenavm_vm::program::MemoryDecl;

use super::store::StoreId;
use super::types::MemoryType;
use super::{Error, Store};

/// Bytes in a page.
pub const PAGE_SIZE: u64 = 65_536;

/// A linear memory of one store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Memory {
    pub(crate) store: StoreId,
    pub(crate) id: MemoryId,
}

impl Memory {
    /// Adds a zero-filled memory of `ty.min` pages, growable to `ty.max`.
    /// Ill-formed limits are a usage error; a failed allocation, or one
    /// past the store's limits, is a resource error.
    pub fn new(store: &mut Store, ty: MemoryType) -> Result<Memory, Error> {
        let decl = MemoryDecl::from(ty);
        decl.check_limits()
            .map_err(|e| Error::usage(format!("memory: {e}")))?;
        let id = store.vm_mut().alloc_memory(decl).map_err(Error::Resource)?;
        Ok(Memory {
            store: store.id(),
            id,
        })
    }

    /// The bytes segment holding the memory, for the arena API
    /// ([`Store::heap`]).
    pub fn cell(&self, store: &Store) -> Result<Cell, Error> {
        store.check(self.store, "memory")?;
        Ok(store.vm().memory_cell(self.id))
    }

    /// The current size in pages.
    pub fn size(&self, store: &Store) -> Result<u32, Error> {
        Ok((self.segment_len(store)?.0 / PAGE_SIZE) as u32)
    }

    /// The most pages the memory can grow to.
    pub fn max_size(&self, store: &Store) -> Result<u32, Error> {
        Ok((self.segment_len(store)?.1 / PAGE_SIZE) as u32)
    }

    /// The segment's length and maximum length in bytes. Read from the
    /// heap rather than the VM store's bookkeeping, because a host holding
    /// [`Store::heap_mut`] can free the segment: that is an error here.
    fn segment_len(&self, store: &Store) -> Result<(u64, u64), Error> {
        let cell = self.cell(store)?;
        let segment = store.heap().get::<Bytes>(cell).map_err(freed)?;
        Ok((segment.len(), segment.max_len()))
    }

    /// The current size in bytes.
    pub fn data_size(&self, store: &Store) -> Result<u64, Error> {
        Ok(u64::from(self.size(store)?) * PAGE_SIZE)
    }

    /// Copies the bytes at `offset` into `buf`; out of bounds is an error
    /// and reads nothing.
    pub fn read(&self, store: &Store, offset: u64, buf: &mut [u8]) -> Result<(), Error> {
        let cell = self.cell(store)?;
        read_bytes(store.heap(), cell, offset, buf).map_err(Error::Usage)
    }

    /// Copies `data` to `offset`; out of bounds is an error and writes
    /// nothing.
    pub fn write(&self, store: &mut Store, offset: u64, data: &[u8]) -> Result<(), Error> {
        let cell = self.cell(store)?;
        write_bytes(store.heap_mut(), cell, offset, data).map_err(Error::Usage)
    }

    /// Grows the memory by `delta` pages and returns the old size in
    /// pages. Past the store's limits ([`Store::set_limits`]) it is
    /// [`Error::Resource`], past the maximum [`Error::Usage`]; either way
    /// nothing changes.
    pub fn grow(&self, store: &mut Store, delta: u32) -> Result<u32, Error> {
        store.check(self.store, "memory")?;
        store
            .vm_mut()
            .grow_memory(self.id, delta)
            .map_err(super::table::grow_error)
    }
}

/// The error for a memory whose segment the host freed through the heap.
pub(crate) fn freed(error: arenavm_vm::arenas::AccessError) -> Error {
    Error::Usage(format!("the memory's segment is not usable: {error}"))
}

/// Whether memory `memory`'s segment is still a live bytes segment.
pub(crate) fn check_live(store: &Store, memory: Memory) -> Result<(), Error> {
    memory.segment_len(store).map(|_| ())
}

/// `offset..offset + len` if it lies within a segment of `size` bytes.
fn range(offset: u64, len: usize, size: u64) -> Result<std::ops::Range<usize>, String> {
    match offset.checked_add(len as u64) {
        Some(end) if end <= size => Ok(offset as usize..end as usize),
        _ => Err(format!(
            "out of bounds memory access: {len} bytes at {offset} in a memory of {size} bytes"
        )),
    }
}

/// Copies bytes of segment `cell` at `offset` into `buf`.
pub(crate) fn read_bytes(
    heap: &Heap,
    cell: Cell,
    offset: u64,
    buf: &mut [u8],
) -> Result<(), String> {
    let segment = heap.get::<Bytes>(cell).map_err(|e| e.to_string())?;
    let range = range(offset, buf.len(), segment.len())?;
    buf.copy_from_slice(&segment.as_slice()[range]);
    Ok(())
}

/// Copies `data` into segment `cell` at `offset`.
pub(crate) fn write_bytes(
    heap: &mut Heap,
    cell: Cell,
    offset: u64,
    data: &[u8],
) -> Result<(), String> {
    let segment = heap.get_mut::<Bytes>(cell).map_err(|e| e.to_string())?;
    let range = range(offset, data.len(), segment.len())?;
    segment.as_mut_slice()[range].copy_from_slice(data);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_checked_without_overflow() {
        assert_eq!(range(0, 4, 4), Ok(0..4));
        assert_eq!(range(4, 0, 4), Ok(4..4));
        assert!(range(1, 4, 4).is_err());
        assert!(range(u64::MAX, 2, 4).is_err());
    }

    #[test]
    fn memories_read_write_and_grow_within_bounds() {
        let mut store = Store::new();
        let memory = Memory::new(&mut store, MemoryType::new(1, Some(2))).unwrap();
        memory.write(&mut store, 10, b"abc").unwrap();
        let mut buf = [0; 3];
        memory.read(&store, 10, &mut buf).unwrap();
        assert_eq!(&buf, b"abc");
        assert!(memory.write(&mut store, PAGE_SIZE - 1, b"xy").is_err());
        assert_eq!(memory.grow(&mut store, 1), Ok(1));
        assert_eq!(memory.size(&store), Ok(2));
        assert!(memory.grow(&mut store, 1).is_err());
        memory.write(&mut store, PAGE_SIZE - 1, b"xy").unwrap();
        let other = Store::new();
        assert!(matches!(memory.size(&other), Err(Error::Usage(_))));
    }
}
