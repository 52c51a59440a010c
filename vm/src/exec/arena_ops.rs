//! The arena instructions' shared machinery: handle registers, element
//! conversions, and the generic vector, list, map and slice operations the
//! handlers in `executor.rs` call.

use arenavm_arenas::{AccessError, Cell, Element, List, Object, Slice, Value, Vector};

use super::executor::{Executor, Flow, Stop};
use super::trap::TrapKind;
use crate::isa::Reg;
use crate::types::ScalarValue;

/// Generates the get/set/push/pop handlers of the typed arrays, one line
/// per element type.
macro_rules! typed_array_handlers {
    ($($elem:ty: $get:ident, $set:ident, $push:ident, $pop:ident;)*) => {$(
        fn $get(&mut self, dst: Reg, array: Reg, index: Reg) -> Flow {
            self.array_get::<$elem>(dst, array, index)
        }

        fn $set(&mut self, array: Reg, index: Reg, value: Reg) -> Flow {
            self.array_set::<$elem>(array, index, value)
        }

        fn $push(&mut self, array: Reg, value: Reg) -> Flow {
            self.array_push::<$elem>(array, value)
        }

        fn $pop(&mut self, dst: Reg, array: Reg) -> Flow {
            self.array_pop::<$elem>(dst, array)
        }
    )*};
}

/// The trap for an arena error, with the error's own words as detail.
pub(super) fn arena_trap(error: AccessError) -> Stop {
    Stop::detailed((&error).into(), error.to_string())
}

fn element_trap(expected: &str, found: Value) -> Stop {
    let kind = if found == Value::Null {
        TrapKind::NullElement
    } else {
        TrapKind::ElementType
    };
    Stop::detailed(kind, format!("expected {expected}, found {}", found.kind()))
}

/// A scalar kind a list element or map value can be read as.
#[derive(Clone, Copy, Debug)]
pub(super) enum Scalar {
    I64,
    F64,
}

impl Scalar {
    fn value_of(self, bits: u64) -> Value {
        match self {
            Scalar::I64 => Value::I64(bits as i64),
            Scalar::F64 => Value::F64(f64::from_bits(bits)),
        }
    }

    fn read_bits(self, value: Value) -> Result<u64, Stop> {
        match (self, value) {
            (Scalar::I64, Value::I64(v)) => Ok(v.to_bits()),
            (Scalar::F64, Value::F64(v)) => Ok(v.to_bits()),
            (_, other) => Err(self.element_trap(other)),
        }
    }

    /// The trap for reading `found` as this kind.
    pub(super) fn element_trap(self, found: Value) -> Stop {
        match self {
            Scalar::I64 => element_trap("i64", found),
            Scalar::F64 => element_trap("f64", found),
        }
    }
}

/// A typed-array element as a scalar register holds it.
pub(super) trait RegElement: Element {
    fn from_reg(bits: u64) -> Self;
    fn to_reg(self) -> u64;
}

impl RegElement for i64 {
    fn from_reg(bits: u64) -> i64 {
        bits as i64
    }
    fn to_reg(self) -> u64 {
        self as u64
    }
}

impl RegElement for f64 {
    fn from_reg(bits: u64) -> f64 {
        f64::from_bits(bits)
    }
    fn to_reg(self) -> u64 {
        self.to_bits()
    }
}

/// A byte travels in an `i32` register: stored from the low byte, read
/// back zero-extended.
impl RegElement for u8 {
    fn from_reg(bits: u64) -> u8 {
        bits as u8
    }
    fn to_reg(self) -> u64 {
        u64::from(self)
    }
}

/// A map key: an integer register or a string Cell (by contents).
#[derive(Clone, Copy, Debug)]
pub(super) enum KeyReg {
    Int(Reg),
    Str(Reg),
}

impl Executor<'_> {
    /// The Cell in register `reg`; a null register traps.
    #[inline]
    pub(super) fn cell(&self, reg: Reg) -> Result<Cell, Stop> {
        self.cells.get(self.cell_base, reg).ok_or_else(|| {
            Stop::detailed(
                TrapKind::NullElement,
                format!("Cell register {} is null", reg.0),
            )
        })
    }

    pub(super) fn set_cell(&mut self, reg: Reg, cell: Cell) {
        self.cells.set(self.cell_base, reg, Some(cell));
    }

    pub(super) fn cell_or_null(&self, reg: Reg) -> Option<Cell> {
        self.cells.get(self.cell_base, reg)
    }

    /// The slice in register `reg`; a null register traps.
    pub(super) fn slice(&self, reg: Reg) -> Result<Slice, Stop> {
        self.slices.get(self.slice_base, reg).ok_or_else(|| {
            Stop::detailed(
                TrapKind::NullElement,
                format!("slice register {} is null", reg.0),
            )
        })
    }

    pub(super) fn set_slice(&mut self, reg: Reg, slice: Slice) {
        self.slices.set(self.slice_base, reg, Some(slice));
    }

    /// An `i64` register read as an index or length (negative values are
    /// huge, hence out of bounds).
    pub(super) fn unsigned(&self, reg: Reg) -> u64 {
        self.scalar(reg)
    }

    /// Allocates `object` and puts its Cell in `dst`.
    pub(super) fn alloc<T: Object>(&mut self, dst: Reg, object: Result<T, AccessError>) -> Flow {
        let cell = object
            .and_then(|o| self.heap.alloc(o))
            .map_err(arena_trap)?;
        self.set_cell(dst, cell);
        Ok(())
    }

    /// Allocates `make(len)`, with `len` from register `len`, into `dst`.
    pub(super) fn alloc_with_len<T: Object>(
        &mut self,
        dst: Reg,
        len: Reg,
        make: impl FnOnce(u64) -> Result<T, AccessError>,
    ) -> Flow {
        let len = self.scalar(len) as i64;
        if len < 0 {
            return Err(Stop::detailed(
                TrapKind::OutOfBounds,
                format!("negative length {len}"),
            ));
        }
        self.alloc(dst, make(len as u64))
    }

    // Typed arrays.

    pub(super) fn array_get<E: RegElement>(&mut self, dst: Reg, array: Reg, index: Reg) -> Flow {
        let (cell, i) = (self.cell(array)?, self.unsigned(index));
        let e = self
            .heap
            .get::<Vector<E>>(cell)
            .and_then(|v| v.get(i))
            .map_err(arena_trap)?;
        self.set_scalar(dst, e.to_reg());
        Ok(())
    }

    pub(super) fn array_set<E: RegElement>(&mut self, array: Reg, index: Reg, value: Reg) -> Flow {
        let (cell, i, e) = (
            self.cell(array)?,
            self.unsigned(index),
            E::from_reg(self.scalar(value)),
        );
        self.heap
            .get_mut::<Vector<E>>(cell)
            .and_then(|v| v.set(i, e))
            .map_err(arena_trap)
    }

    pub(super) fn array_push<E: RegElement>(&mut self, array: Reg, value: Reg) -> Flow {
        let (cell, e) = (self.cell(array)?, E::from_reg(self.scalar(value)));
        self.heap
            .get_mut::<Vector<E>>(cell)
            .and_then(|v| v.push(e))
            .map_err(arena_trap)
    }

    pub(super) fn array_pop<E: RegElement>(&mut self, dst: Reg, array: Reg) -> Flow {
        let cell = self.cell(array)?;
        let e = self
            .heap
            .get_mut::<Vector<E>>(cell)
            .and_then(Vector::pop)
            .map_err(arena_trap)?;
        self.set_scalar(dst, e.to_reg());
        Ok(())
    }

    // Lists.

    fn list_element(&self, list: Reg, index: Reg) -> Result<Value, Stop> {
        let (cell, i) = (self.cell(list)?, self.unsigned(index));
        self.heap
            .get::<List>(cell)
            .and_then(|l| l.get(i))
            .map_err(arena_trap)
    }

    pub(super) fn list_get(&mut self, dst: Reg, list: Reg, index: Reg, kind: Scalar) -> Flow {
        let bits = kind.read_bits(self.list_element(list, index)?)?;
        self.set_scalar(dst, bits);
        Ok(())
    }

    pub(super) fn list_get_cell_into(&mut self, dst: Reg, list: Reg, index: Reg) -> Flow {
        let value = self.list_element(list, index)?;
        self.put_cell_value(dst, value)
    }

    /// Stores a value read from a container into Cell register `dst`: it
    /// must be a Cell of the register's arena.
    pub(super) fn put_cell_value(&mut self, dst: Reg, value: Value) -> Flow {
        let Value::Cell(cell) = value else {
            return Err(element_trap("a Cell", value));
        };
        let expected = self.func.cells[dst.index()];
        if cell.arena() != expected {
            return Err(Stop::detailed(
                TrapKind::WrongArena,
                format!("expected a {expected} Cell, found a {} Cell", cell.arena()),
            ));
        }
        self.set_cell(dst, cell);
        Ok(())
    }

    pub(super) fn list_set(&mut self, list: Reg, index: Reg, value: Value) -> Flow {
        let (cell, i) = (self.cell(list)?, self.unsigned(index));
        self.heap
            .get_mut::<List>(cell)
            .and_then(|l| l.set(i, value))
            .map_err(arena_trap)
    }

    pub(super) fn list_push(&mut self, list: Reg, value: Value) -> Flow {
        let cell = self.cell(list)?;
        self.heap
            .get_mut::<List>(cell)
            .and_then(|l| l.push(value))
            .map_err(arena_trap)
    }

    pub(super) fn list_pop(&mut self, list: Reg) -> Result<Value, Stop> {
        let cell = self.cell(list)?;
        self.heap
            .get_mut::<List>(cell)
            .and_then(List::pop)
            .map_err(arena_trap)
    }

    pub(super) fn scalar_value(&self, reg: Reg, kind: Scalar) -> Value {
        kind.value_of(self.scalar(reg))
    }

    pub(super) fn cell_value(&self, reg: Reg) -> Result<Value, Stop> {
        self.cell(reg).map(Value::Cell)
    }

    pub(super) fn pop_scalar(&mut self, dst: Reg, list: Reg, kind: Scalar) -> Flow {
        let bits = kind.read_bits(self.list_pop(list)?)?;
        self.set_scalar(dst, bits);
        Ok(())
    }

    // Maps.

    /// The key as a value: an integer, or a string Cell (read by contents).
    fn key(&self, key: KeyReg) -> Result<Value, Stop> {
        match key {
            KeyReg::Int(reg) => Ok(Value::I64(self.scalar(reg) as i64)),
            KeyReg::Str(reg) => self.cell(reg).map(Value::Cell),
        }
    }

    pub(super) fn map_set(&mut self, map: Reg, key: KeyReg, value: Value) -> Flow {
        let (map, key) = (self.cell(map)?, self.key(key)?);
        self.heap
            .map_insert(map, key, value)
            .map(drop)
            .map_err(arena_trap)
    }

    pub(super) fn map_value(&self, map: Reg, key: KeyReg) -> Result<Option<Value>, Stop> {
        let (map, key) = (self.cell(map)?, self.key(key)?);
        self.heap.map_get(map, key).map_err(arena_trap)
    }

    pub(super) fn map_get(&mut self, dst: Reg, map: Reg, key: KeyReg, kind: Scalar) -> Flow {
        let value = self.map_value(map, key)?.unwrap_or(Value::Null);
        let bits = kind.read_bits(value)?;
        self.set_scalar(dst, bits);
        Ok(())
    }

    pub(super) fn map_get_cell(&mut self, dst: Reg, map: Reg, key: KeyReg) -> Flow {
        let value = self.map_value(map, key)?.unwrap_or(Value::Null);
        self.put_cell_value(dst, value)
    }

    pub(super) fn map_has(&mut self, dst: Reg, map: Reg, key: KeyReg) -> Flow {
        let found = self.map_value(map, key)?.is_some();
        self.set_scalar(dst, found.to_bits());
        Ok(())
    }

    pub(super) fn map_remove(&mut self, map: Reg, key: KeyReg) -> Flow {
        let (map, key) = (self.cell(map)?, self.key(key)?);
        self.heap.map_remove(map, key).map(drop).map_err(arena_trap)
    }

    // Slices.

    pub(super) fn slice_get<E: Element>(&self, slice: Reg, index: Reg) -> Result<E, Stop> {
        let (s, i) = (self.slice(slice)?, self.unsigned(index));
        self.heap.slice_get::<E>(&s, i).map_err(arena_trap)
    }

    pub(super) fn slice_set<E: Element>(&mut self, slice: Reg, index: Reg, value: E) -> Flow {
        let (s, i) = (self.slice(slice)?, self.unsigned(index));
        self.heap.slice_set::<E>(&s, i, value).map_err(arena_trap)
    }
}
