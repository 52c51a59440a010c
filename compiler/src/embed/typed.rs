//! Typed calls: Rust numbers and tuples of them in, Rust numbers out, with
//! the function's type checked once, when the [`TypedFunc`] is made.

use std::fmt;
use std::marker::PhantomData;

use arenavm_vm::program::Val;
use arenavm_vm::types::{FuncType, Type};

use super::{Error, Func, Store};

/// A Rust type that is one Wasm value type.
pub trait WasmTy: Copy {
    /// The Wasm type.
    const TYPE: Type;
    /// The value.
    fn to_val(self) -> Val;
    /// The Rust value, if `val` has type [`WasmTy::TYPE`].
    fn from_val(val: Val) -> Option<Self>;
}

macro_rules! wasm_ty {
    ($($rust:ty => $variant:ident;)*) => {$(
        impl WasmTy for $rust {
            const TYPE: Type = Type::$variant;
            fn to_val(self) -> Val {
                Val::$variant(self)
            }
            fn from_val(val: Val) -> Option<$rust> {
                match val {
                    Val::$variant(v) => Some(v),
                    _ => None,
                }
            }
        }
    )*};
}

wasm_ty! {
    i32 => I32;
    i64 => I64;
    f32 => F32;
    f64 => F64;
}

/// A list of Wasm values as one Rust type: `()`, a single [`WasmTy`], or
/// a tuple of them (up to eight). Parameters and results both use it.
pub trait WasmTypeList: Sized {
    /// The Wasm types, in order.
    fn types() -> Vec<Type>;
    /// The values, in order.
    fn into_vals(self) -> Vec<Val>;
    /// The Rust values, if `vals` has exactly [`WasmTypeList::types`].
    fn from_vals(vals: &[Val]) -> Option<Self>;
}

impl<T: WasmTy> WasmTypeList for T {
    fn types() -> Vec<Type> {
        vec![T::TYPE]
    }
    fn into_vals(self) -> Vec<Val> {
        vec![self.to_val()]
    }
    fn from_vals(vals: &[Val]) -> Option<T> {
        match vals {
            [v] => T::from_val(*v),
            _ => None,
        }
    }
}

macro_rules! tuples {
    ($(($($name:ident),*);)*) => {$(
        #[allow(non_snake_case, unused_variables, clippy::unused_unit)]
        impl<$($name: WasmTy),*> WasmTypeList for ($($name,)*) {
            fn types() -> Vec<Type> {
                vec![$($name::TYPE),*]
            }
            fn into_vals(self) -> Vec<Val> {
                let ($($name,)*) = self;
                vec![$($name.to_val()),*]
            }
            fn from_vals(vals: &[Val]) -> Option<Self> {
                let mut iter = vals.iter().copied();
                let result = ($($name::from_val(iter.next()?)?,)*);
                iter.next().is_none().then_some(result)
            }
        }
    )*};
}

tuples! {
    ();
    (A);
    (A, B);
    (A, B, C);
    (A, B, C, D);
    (A, B, C, D, E);
    (A, B, C, D, E, F);
    (A, B, C, D, E, F, G);
    (A, B, C, D, E, F, G, H);
}

/// A function whose type is known to be `P -> R`. Invariant: the function's
/// parameter types are `P::types()` and its result types `R::types()`.
pub struct TypedFunc<P, R> {
    func: Func,
    types: PhantomData<fn(P) -> R>,
}

impl<P, R> Clone for TypedFunc<P, R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<P, R> Copy for TypedFunc<P, R> {}

impl<P, R> fmt::Debug for TypedFunc<P, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TypedFunc")
            .field("func", &self.func)
            .finish()
    }
}

impl<P: WasmTypeList, R: WasmTypeList> TypedFunc<P, R> {
    /// `func`, whose type is `ty`, if `ty` is `P -> R`.
    pub(crate) fn new(func: Func, ty: &FuncType) -> Result<TypedFunc<P, R>, Error> {
        let wanted = FuncType {
            params: P::types(),
            results: R::types(),
        };
        if *ty != wanted {
            return Err(Error::usage(format!(
                "the function is {:?} -> {:?}, not {:?} -> {:?}",
                ty.params, ty.results, wanted.params, wanted.results
            )));
        }
        Ok(TypedFunc {
            func,
            types: PhantomData,
        })
    }

    /// Calls the function under the store's limits.
    pub fn call(&self, store: &mut Store, params: P) -> Result<R, Error> {
        let results = self.func.call(store, &params.into_vals())?;
        R::from_vals(&results).ok_or_else(|| {
            Error::Internal(format!(
                "a function typed {:?} returned {results:?}",
                R::types()
            ))
        })
    }

    /// The untyped function.
    pub fn func(&self) -> Func {
        self.func
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_lists_round_trip_and_refuse_other_shapes() {
        assert_eq!(<(i32, f64)>::types(), [Type::I32, Type::F64]);
        assert_eq!(<()>::types(), []);
        assert_eq!(i64::types(), [Type::I64]);
        let vals = (1i32, 2.5f64).into_vals();
        assert_eq!(vals, [Val::I32(1), Val::F64(2.5)]);
        assert_eq!(<(i32, f64)>::from_vals(&vals), Some((1, 2.5)));
        assert_eq!(<(i32,)>::from_vals(&vals), None);
        assert_eq!(<(f64, i32)>::from_vals(&vals), None);
        assert_eq!(<()>::from_vals(&[]), Some(()));
        assert_eq!(f32::from_vals(&[Val::F32(1.0)]), Some(1.0));
    }
}
