//! Operand kinds of the instruction table, as types: the Rust type of an
//! operand field is `<kind as Field<T>>::Ty`, where `T` is the branch-target
//! form. Marker types only; nothing here exists at run time.

#![allow(non_camel_case_types, missing_debug_implementations)]

use std::marker::PhantomData;

use super::{ListRef, Reg};

/// The Rust type of an operand of this kind, with branch targets of type `T`.
pub trait Field<T> {
    type Ty;
}

/// A scalar register written, of scalar type `S`.
pub struct write<S>(PhantomData<S>);
/// A scalar register read, of scalar type `S`.
pub struct read<S>(PhantomData<S>);
/// A scalar register written, of a type an instruction rule checks.
pub struct write_any;
/// A scalar register read, of a type an instruction rule checks.
pub struct read_any;
/// A Cell register written, of arena `A`.
pub struct write_cell<A>(PhantomData<A>);
/// A Cell register read, of arena `A`.
pub struct read_cell<A>(PhantomData<A>);
/// A Cell register written, of an arena an instruction rule checks.
pub struct write_cell_any;
/// A Cell register read, of an arena an instruction rule checks.
pub struct read_cell_any;
/// A slice register written, of arena `A`.
pub struct write_slice<A>(PhantomData<A>);
/// A slice register read, of arena `A`.
pub struct read_slice<A>(PhantomData<A>);
/// A slice register written, of an arena an instruction rule checks.
pub struct write_slice_any;
/// A slice register read, of an arena an instruction rule checks.
pub struct read_slice_any;
/// A branch target.
pub struct target;
/// An operand list of the function.
pub struct list;
/// An index into one of the program's tables (functions, globals,
/// memories, branch tables).
pub struct index;
/// An immediate of Rust type `X`.
pub struct imm<X>(PhantomData<X>);

/// Scalar type markers for `read` and `write`.
pub struct I32;
pub struct I64;
pub struct F32;
pub struct F64;
pub struct FuncRef;

/// Arena markers for the Cell and slice kinds.
pub struct Bytes;
pub struct Str;
pub struct List;
pub struct I64Array;
pub struct F64Array;
pub struct U8Array;
pub struct Map;

/// Every register kind is a `Reg`, whatever its bank and type.
macro_rules! register_kinds {
    ($($kind:ident $(<$param:ident>)?),* $(,)?) => {$(
        impl<T $(, $param)?> Field<T> for $kind $(<$param>)? {
            type Ty = Reg;
        }
    )*};
}

register_kinds! {
    write<S>, read<S>, write_any, read_any,
    write_cell<A>, read_cell<A>, write_cell_any, read_cell_any,
    write_slice<A>, read_slice<A>, write_slice_any, read_slice_any,
}

impl<T> Field<T> for target {
    type Ty = T;
}
impl<T> Field<T> for list {
    type Ty = ListRef;
}
impl<T> Field<T> for index {
    type Ty = u32;
}
impl<T, X> Field<T> for imm<X> {
    type Ty = X;
}
