//! Scalar types and special value pickers: interesting constants, offsets
//! and argument values drawn from raw bits.

use arenavm_vm::program::Val;
use arenavm_vm::types::ScalarType as S;

pub(crate) const TYPES: [S; 5] = [S::I32, S::I64, S::F32, S::F64, S::FuncRef];

pub(crate) fn type_index(ty: S) -> usize {
    TYPES.iter().position(|&t| t == ty).expect("scalar type")
}

/// Interesting values first (half the time), else raw bits.
fn special_or<T: Copy>(imm: u64, specials: &[T], raw: impl FnOnce(u64) -> T) -> T {
    if imm.is_multiple_of(2) {
        specials[(imm >> 1) as usize % specials.len()]
    } else {
        raw(imm >> 1)
    }
}

pub(crate) fn i32_value(imm: u64) -> i32 {
    const V: [i32; 22] = [
        0,
        1,
        -1,
        2,
        3,
        7,
        8,
        16,
        31,
        32,
        33,
        63,
        64,
        100,
        255,
        65_532,
        65_535,
        65_536,
        131_071,
        i32::MIN,
        i32::MAX,
        -2,
    ];
    special_or(imm, &V, |x| x as i32)
}

pub(crate) fn i64_value(imm: u64) -> i64 {
    const V: [i64; 14] = [
        0,
        1,
        -1,
        2,
        31,
        32,
        63,
        64,
        65,
        1 << 32,
        (1 << 32) - 1,
        i64::MIN,
        i64::MAX,
        -2,
    ];
    special_or(imm, &V, |x| x as i64)
}

pub(crate) fn f32_bits(imm: u64) -> u32 {
    const V: [u32; 20] = [
        0,
        0x8000_0000,
        0x3f80_0000,
        0xbf80_0000,
        0x3f00_0000,
        0x4020_0000,
        0x3eff_ffff,
        0x7fc0_0000,
        0xffc0_0000,
        0x7fa0_0001,
        0x7f80_0000,
        0xff80_0000,
        0x4f00_0000,
        0xcf00_0000,
        0x4f80_0000,
        0x5f00_0000,
        0xdf00_0000,
        0x5f80_0000,
        1,
        0x7f7f_ffff,
    ];
    special_or(imm, &V, |x| x as u32)
}

pub(crate) fn f64_bits(imm: u64) -> u64 {
    const V: [u64; 16] = [
        0,
        0x8000_0000_0000_0000,
        0x3ff0_0000_0000_0000,
        0xbff0_0000_0000_0000,
        0x3fe0_0000_0000_0000,
        0x7ff8_0000_0000_0000,
        0xfff8_0000_0000_0000,
        0x7ff4_0000_0000_0001,
        0x7ff0_0000_0000_0000,
        0xfff0_0000_0000_0000,
        0x41e0_0000_0000_0000,
        0xc1e0_0000_0020_0000,
        0x43e0_0000_0000_0000,
        0xc3e0_0000_0000_0000,
        0x43f0_0000_0000_0000,
        1,
    ];
    special_or(imm, &V, |x| x)
}

pub(crate) fn offset(imm: u64) -> u32 {
    const V: [u32; 10] = [0, 0, 0, 1, 4, 8, 65_532, 65_535, 65_536, u32::MAX];
    V[(imm >> 8) as usize % V.len()]
}

/// A scalar value of type `ty` for an argument; a function reference
/// names one of `functions` functions, or is null.
pub(crate) fn value(ty: S, imm: u64, functions: usize) -> Val {
    match ty {
        S::I32 => Val::I32(i32_value(imm)),
        S::I64 => Val::I64(i64_value(imm)),
        S::F32 => Val::F32(f32::from_bits(f32_bits(imm))),
        S::F64 => Val::F64(f64::from_bits(f64_bits(imm))),
        S::FuncRef => {
            Val::FuncRef((!imm.is_multiple_of(3)).then_some((imm >> 2) as u32 % functions as u32))
        }
        S::ExternRef => Val::ExternRef((!imm.is_multiple_of(3)).then_some((imm >> 2) as u32)),
    }
}

pub(crate) fn types_of(indices: &[u8]) -> Vec<S> {
    indices.iter().map(|&i| TYPES[usize::from(i)]).collect()
}
