//! The instruction table: every instruction, once.
//!
//! Register operands name a register of the scalar bank; `write` operands
//! are written and `read` operands read, with the scalar type each must have.
//! Memory addresses are `i32` (zero-extended) plus a static `offset`; the
//! effective address is computed in 64 bits, so it never wraps.

use crate::isa::kinds::{
    Bytes, F32, F64, F64Array, FuncRef, I32, I64, I64Array, List, Map, Str, U8Array,
};

instructions! {
    pure {
        // i32 arithmetic and bits
        I32Add(i32_add) { dst: write(I32), a: read(I32), b: read(I32) } binary(i32_add);
        I32Sub(i32_sub) { dst: write(I32), a: read(I32), b: read(I32) } binary(i32_sub);
        I32Mul(i32_mul) { dst: write(I32), a: read(I32), b: read(I32) } binary(i32_mul);
        I32And(i32_and) { dst: write(I32), a: read(I32), b: read(I32) } binary(i32_and);
        I32Or(i32_or) { dst: write(I32), a: read(I32), b: read(I32) } binary(i32_or);
        I32Xor(i32_xor) { dst: write(I32), a: read(I32), b: read(I32) } binary(i32_xor);
        I32Shl(i32_shl) { dst: write(I32), a: read(I32), b: read(I32) } binary(i32_shl);
        I32ShrS(i32_shr_s) { dst: write(I32), a: read(I32), b: read(I32) } binary(i32_shr_s);
        I32ShrU(i32_shr_u) { dst: write(I32), a: read(I32), b: read(I32) } binary(i32_shr_u);
        I32Rotl(i32_rotl) { dst: write(I32), a: read(I32), b: read(I32) } binary(i32_rotl);
        I32Rotr(i32_rotr) { dst: write(I32), a: read(I32), b: read(I32) } binary(i32_rotr);
        I32DivS(i32_div_s) { dst: write(I32), a: read(I32), b: read(I32) } binary_trap(i32_div_s);
        I32DivU(i32_div_u) { dst: write(I32), a: read(I32), b: read(I32) } binary_trap(i32_div_u);
        I32RemS(i32_rem_s) { dst: write(I32), a: read(I32), b: read(I32) } binary_trap(i32_rem_s);
        I32RemU(i32_rem_u) { dst: write(I32), a: read(I32), b: read(I32) } binary_trap(i32_rem_u);
        I32Clz(i32_clz) { dst: write(I32), a: read(I32) } unary(i32_clz);
        I32Ctz(i32_ctz) { dst: write(I32), a: read(I32) } unary(i32_ctz);
        I32Popcnt(i32_popcnt) { dst: write(I32), a: read(I32) } unary(i32_popcnt);
        I32Extend8S(i32_extend8_s) { dst: write(I32), a: read(I32) } unary(i32_extend8_s);
        I32Extend16S(i32_extend16_s) { dst: write(I32), a: read(I32) } unary(i32_extend16_s);
        I32Eqz(i32_eqz) { dst: write(I32), a: read(I32) } unary(i32_eqz);

        // i32 comparisons
        I32Eq(i32_eq) { dst: write(I32), a: read(I32), b: read(I32) } binary(i32_eq);
        I32Ne(i32_ne) { dst: write(I32), a: read(I32), b: read(I32) } binary(i32_ne);
        I32LtS(i32_lt_s) { dst: write(I32), a: read(I32), b: read(I32) } binary(i32_lt_s);
        I32LtU(i32_lt_u) { dst: write(I32), a: read(I32), b: read(I32) } binary(i32_lt_u);
        I32GtS(i32_gt_s) { dst: write(I32), a: read(I32), b: read(I32) } binary(i32_gt_s);
        I32GtU(i32_gt_u) { dst: write(I32), a: read(I32), b: read(I32) } binary(i32_gt_u);
        I32LeS(i32_le_s) { dst: write(I32), a: read(I32), b: read(I32) } binary(i32_le_s);
        I32LeU(i32_le_u) { dst: write(I32), a: read(I32), b: read(I32) } binary(i32_le_u);
        I32GeS(i32_ge_s) { dst: write(I32), a: read(I32), b: read(I32) } binary(i32_ge_s);
        I32GeU(i32_ge_u) { dst: write(I32), a: read(I32), b: read(I32) } binary(i32_ge_u);

        // i64 arithmetic and bits
        I64Add(i64_add) { dst: write(I64), a: read(I64), b: read(I64) } binary(i64_add);
        I64Sub(i64_sub) { dst: write(I64), a: read(I64), b: read(I64) } binary(i64_sub);
        I64Mul(i64_mul) { dst: write(I64), a: read(I64), b: read(I64) } binary(i64_mul);
        I64And(i64_and) { dst: write(I64), a: read(I64), b: read(I64) } binary(i64_and);
        I64Or(i64_or) { dst: write(I64), a: read(I64), b: read(I64) } binary(i64_or);
        I64Xor(i64_xor) { dst: write(I64), a: read(I64), b: read(I64) } binary(i64_xor);
        I64Shl(i64_shl) { dst: write(I64), a: read(I64), b: read(I64) } binary(i64_shl);
        I64ShrS(i64_shr_s) { dst: write(I64), a: read(I64), b: read(I64) } binary(i64_shr_s);
        I64ShrU(i64_shr_u) { dst: write(I64), a: read(I64), b: read(I64) } binary(i64_shr_u);
        I64Rotl(i64_rotl) { dst: write(I64), a: read(I64), b: read(I64) } binary(i64_rotl);
        I64Rotr(i64_rotr) { dst: write(I64), a: read(I64), b: read(I64) } binary(i64_rotr);
        I64DivS(i64_div_s) { dst: write(I64), a: read(I64), b: read(I64) } binary_trap(i64_div_s);
        I64DivU(i64_div_u) { dst: write(I64), a: read(I64), b: read(I64) } binary_trap(i64_div_u);
        I64RemS(i64_rem_s) { dst: write(I64), a: read(I64), b: read(I64) } binary_trap(i64_rem_s);
        I64RemU(i64_rem_u) { dst: write(I64), a: read(I64), b: read(I64) } binary_trap(i64_rem_u);
        I64Clz(i64_clz) { dst: write(I64), a: read(I64) } unary(i64_clz);
        I64Ctz(i64_ctz) { dst: write(I64), a: read(I64) } unary(i64_ctz);
        I64Popcnt(i64_popcnt) { dst: write(I64), a: read(I64) } unary(i64_popcnt);
        I64Extend8S(i64_extend8_s) { dst: write(I64), a: read(I64) } unary(i64_extend8_s);
        I64Extend16S(i64_extend16_s) { dst: write(I64), a: read(I64) } unary(i64_extend16_s);
        I64Extend32S(i64_extend32_s) { dst: write(I64), a: read(I64) } unary(i64_extend32_s);
        I64Eqz(i64_eqz) { dst: write(I32), a: read(I64) } unary(i64_eqz);

        // i64 comparisons
        I64Eq(i64_eq) { dst: write(I32), a: read(I64), b: read(I64) } binary(i64_eq);
        I64Ne(i64_ne) { dst: write(I32), a: read(I64), b: read(I64) } binary(i64_ne);
        I64LtS(i64_lt_s) { dst: write(I32), a: read(I64), b: read(I64) } binary(i64_lt_s);
        I64LtU(i64_lt_u) { dst: write(I32), a: read(I64), b: read(I64) } binary(i64_lt_u);
        I64GtS(i64_gt_s) { dst: write(I32), a: read(I64), b: read(I64) } binary(i64_gt_s);
        I64GtU(i64_gt_u) { dst: write(I32), a: read(I64), b: read(I64) } binary(i64_gt_u);
        I64LeS(i64_le_s) { dst: write(I32), a: read(I64), b: read(I64) } binary(i64_le_s);
        I64LeU(i64_le_u) { dst: write(I32), a: read(I64), b: read(I64) } binary(i64_le_u);
        I64GeS(i64_ge_s) { dst: write(I32), a: read(I64), b: read(I64) } binary(i64_ge_s);
        I64GeU(i64_ge_u) { dst: write(I32), a: read(I64), b: read(I64) } binary(i64_ge_u);

        // f32 arithmetic
        F32Add(f32_add) { dst: write(F32), a: read(F32), b: read(F32) } binary(f32_add);
        F32Sub(f32_sub) { dst: write(F32), a: read(F32), b: read(F32) } binary(f32_sub);
        F32Mul(f32_mul) { dst: write(F32), a: read(F32), b: read(F32) } binary(f32_mul);
        F32Div(f32_div) { dst: write(F32), a: read(F32), b: read(F32) } binary(f32_div);
        F32Min(f32_min) { dst: write(F32), a: read(F32), b: read(F32) } binary(f32_min);
        F32Max(f32_max) { dst: write(F32), a: read(F32), b: read(F32) } binary(f32_max);
        F32Copysign(f32_copysign) { dst: write(F32), a: read(F32), b: read(F32) } binary(f32_copysign);
        F32Abs(f32_abs) { dst: write(F32), a: read(F32) } unary(f32_abs);
        F32Neg(f32_neg) { dst: write(F32), a: read(F32) } unary(f32_neg);
        F32Ceil(f32_ceil) { dst: write(F32), a: read(F32) } unary(f32_ceil);
        F32Floor(f32_floor) { dst: write(F32), a: read(F32) } unary(f32_floor);
        F32Trunc(f32_trunc) { dst: write(F32), a: read(F32) } unary(f32_trunc);
        F32Nearest(f32_nearest) { dst: write(F32), a: read(F32) } unary(f32_nearest);
        F32Sqrt(f32_sqrt) { dst: write(F32), a: read(F32) } unary(f32_sqrt);

        // f32 comparisons
        F32Eq(f32_eq) { dst: write(I32), a: read(F32), b: read(F32) } binary(f32_eq);
        F32Ne(f32_ne) { dst: write(I32), a: read(F32), b: read(F32) } binary(f32_ne);
        F32Lt(f32_lt) { dst: write(I32), a: read(F32), b: read(F32) } binary(f32_lt);
        F32Gt(f32_gt) { dst: write(I32), a: read(F32), b: read(F32) } binary(f32_gt);
        F32Le(f32_le) { dst: write(I32), a: read(F32), b: read(F32) } binary(f32_le);
        F32Ge(f32_ge) { dst: write(I32), a: read(F32), b: read(F32) } binary(f32_ge);

        // f64 arithmetic
        F64Add(f64_add) { dst: write(F64), a: read(F64), b: read(F64) } binary(f64_add);
        F64Sub(f64_sub) { dst: write(F64), a: read(F64), b: read(F64) } binary(f64_sub);
        F64Mul(f64_mul) { dst: write(F64), a: read(F64), b: read(F64) } binary(f64_mul);
        F64Div(f64_div) { dst: write(F64), a: read(F64), b: read(F64) } binary(f64_div);
        F64Min(f64_min) { dst: write(F64), a: read(F64), b: read(F64) } binary(f64_min);
        F64Max(f64_max) { dst: write(F64), a: read(F64), b: read(F64) } binary(f64_max);
        F64Copysign(f64_copysign) { dst: write(F64), a: read(F64), b: read(F64) } binary(f64_copysign);
        F64Abs(f64_abs) { dst: write(F64), a: read(F64) } unary(f64_abs);
        F64Neg(f64_neg) { dst: write(F64), a: read(F64) } unary(f64_neg);
        F64Ceil(f64_ceil) { dst: write(F64), a: read(F64) } unary(f64_ceil);
        F64Floor(f64_floor) { dst: write(F64), a: read(F64) } unary(f64_floor);
        F64Trunc(f64_trunc) { dst: write(F64), a: read(F64) } unary(f64_trunc);
        F64Nearest(f64_nearest) { dst: write(F64), a: read(F64) } unary(f64_nearest);
        F64Sqrt(f64_sqrt) { dst: write(F64), a: read(F64) } unary(f64_sqrt);

        // f64 comparisons
        F64Eq(f64_eq) { dst: write(I32), a: read(F64), b: read(F64) } binary(f64_eq);
        F64Ne(f64_ne) { dst: write(I32), a: read(F64), b: read(F64) } binary(f64_ne);
        F64Lt(f64_lt) { dst: write(I32), a: read(F64), b: read(F64) } binary(f64_lt);
        F64Gt(f64_gt) { dst: write(I32), a: read(F64), b: read(F64) } binary(f64_gt);
        F64Le(f64_le) { dst: write(I32), a: read(F64), b: read(F64) } binary(f64_le);
        F64Ge(f64_ge) { dst: write(I32), a: read(F64), b: read(F64) } binary(f64_ge);

        // conversions
        I32WrapI64(i32_wrap_i64) { dst: write(I32), a: read(I64) } unary(i32_wrap_i64);
        I64ExtendI32S(i64_extend_i32_s) { dst: write(I64), a: read(I32) } unary(i64_extend_i32_s);
        I64ExtendI32U(i64_extend_i32_u) { dst: write(I64), a: read(I32) } unary(i64_extend_i32_u);
        I32TruncF32S(i32_trunc_f32_s) { dst: write(I32), a: read(F32) } unary_trap(i32_trunc_f32_s);
        I32TruncF32U(i32_trunc_f32_u) { dst: write(I32), a: read(F32) } unary_trap(i32_trunc_f32_u);
        I32TruncF64S(i32_trunc_f64_s) { dst: write(I32), a: read(F64) } unary_trap(i32_trunc_f64_s);
        I32TruncF64U(i32_trunc_f64_u) { dst: write(I32), a: read(F64) } unary_trap(i32_trunc_f64_u);
        I64TruncF32S(i64_trunc_f32_s) { dst: write(I64), a: read(F32) } unary_trap(i64_trunc_f32_s);
        I64TruncF32U(i64_trunc_f32_u) { dst: write(I64), a: read(F32) } unary_trap(i64_trunc_f32_u);
        I64TruncF64S(i64_trunc_f64_s) { dst: write(I64), a: read(F64) } unary_trap(i64_trunc_f64_s);
        I64TruncF64U(i64_trunc_f64_u) { dst: write(I64), a: read(F64) } unary_trap(i64_trunc_f64_u);
        I32TruncSatF32S(i32_trunc_sat_f32_s) { dst: write(I32), a: read(F32) } unary(i32_trunc_sat_f32_s);
        I32TruncSatF32U(i32_trunc_sat_f32_u) { dst: write(I32), a: read(F32) } unary(i32_trunc_sat_f32_u);
        I32TruncSatF64S(i32_trunc_sat_f64_s) { dst: write(I32), a: read(F64) } unary(i32_trunc_sat_f64_s);
        I32TruncSatF64U(i32_trunc_sat_f64_u) { dst: write(I32), a: read(F64) } unary(i32_trunc_sat_f64_u);
        I64TruncSatF32S(i64_trunc_sat_f32_s) { dst: write(I64), a: read(F32) } unary(i64_trunc_sat_f32_s);
        I64TruncSatF32U(i64_trunc_sat_f32_u) { dst: write(I64), a: read(F32) } unary(i64_trunc_sat_f32_u);
        I64TruncSatF64S(i64_trunc_sat_f64_s) { dst: write(I64), a: read(F64) } unary(i64_trunc_sat_f64_s);
        I64TruncSatF64U(i64_trunc_sat_f64_u) { dst: write(I64), a: read(F64) } unary(i64_trunc_sat_f64_u);
        F32ConvertI32S(f32_convert_i32_s) { dst: write(F32), a: read(I32) } unary(f32_convert_i32_s);
        F32ConvertI32U(f32_convert_i32_u) { dst: write(F32), a: read(I32) } unary(f32_convert_i32_u);
        F32ConvertI64S(f32_convert_i64_s) { dst: write(F32), a: read(I64) } unary(f32_convert_i64_s);
        F32ConvertI64U(f32_convert_i64_u) { dst: write(F32), a: read(I64) } unary(f32_convert_i64_u);
        F64ConvertI32S(f64_convert_i32_s) { dst: write(F64), a: read(I32) } unary(f64_convert_i32_s);
        F64ConvertI32U(f64_convert_i32_u) { dst: write(F64), a: read(I32) } unary(f64_convert_i32_u);
        F64ConvertI64S(f64_convert_i64_s) { dst: write(F64), a: read(I64) } unary(f64_convert_i64_s);
        F64ConvertI64U(f64_convert_i64_u) { dst: write(F64), a: read(I64) } unary(f64_convert_i64_u);
        F32DemoteF64(f32_demote_f64) { dst: write(F32), a: read(F64) } unary(f32_demote_f64);
        F64PromoteF32(f64_promote_f32) { dst: write(F64), a: read(F32) } unary(f64_promote_f32);
        I32ReinterpretF32(i32_reinterpret_f32) { dst: write(I32), a: read(F32) } unary(i32_reinterpret_f32);
        I64ReinterpretF64(i64_reinterpret_f64) { dst: write(I64), a: read(F64) } unary(i64_reinterpret_f64);
        F32ReinterpretI32(f32_reinterpret_i32) { dst: write(F32), a: read(I32) } unary(f32_reinterpret_i32);
        F64ReinterpretI64(f64_reinterpret_i64) { dst: write(F64), a: read(I64) } unary(f64_reinterpret_i64);

        // fused compare-and-branch: jump to `target` if the comparison holds
        BrI32Eq(br_i32_eq) { a: read(I32), b: read(I32), target: target } branch(i32_eq);
        BrI32Ne(br_i32_ne) { a: read(I32), b: read(I32), target: target } branch(i32_ne);
        BrI32LtS(br_i32_lt_s) { a: read(I32), b: read(I32), target: target } branch(i32_lt_s);
        BrI32LtU(br_i32_lt_u) { a: read(I32), b: read(I32), target: target } branch(i32_lt_u);
        BrI32GtS(br_i32_gt_s) { a: read(I32), b: read(I32), target: target } branch(i32_gt_s);
        BrI32GtU(br_i32_gt_u) { a: read(I32), b: read(I32), target: target } branch(i32_gt_u);
        BrI32LeS(br_i32_le_s) { a: read(I32), b: read(I32), target: target } branch(i32_le_s);
        BrI32LeU(br_i32_le_u) { a: read(I32), b: read(I32), target: target } branch(i32_le_u);
        BrI32GeS(br_i32_ge_s) { a: read(I32), b: read(I32), target: target } branch(i32_ge_s);
        BrI32GeU(br_i32_ge_u) { a: read(I32), b: read(I32), target: target } branch(i32_ge_u);
        BrI64Eq(br_i64_eq) { a: read(I64), b: read(I64), target: target } branch(i64_eq);
        BrI64Ne(br_i64_ne) { a: read(I64), b: read(I64), target: target } branch(i64_ne);
        BrI64LtS(br_i64_lt_s) { a: read(I64), b: read(I64), target: target } branch(i64_lt_s);
        BrI64LtU(br_i64_lt_u) { a: read(I64), b: read(I64), target: target } branch(i64_lt_u);
        BrI64GtS(br_i64_gt_s) { a: read(I64), b: read(I64), target: target } branch(i64_gt_s);
        BrI64GtU(br_i64_gt_u) { a: read(I64), b: read(I64), target: target } branch(i64_gt_u);
        BrI64LeS(br_i64_le_s) { a: read(I64), b: read(I64), target: target } branch(i64_le_s);
        BrI64LeU(br_i64_le_u) { a: read(I64), b: read(I64), target: target } branch(i64_le_u);
        BrI64GeS(br_i64_ge_s) { a: read(I64), b: read(I64), target: target } branch(i64_ge_s);
        BrI64GeU(br_i64_ge_u) { a: read(I64), b: read(I64), target: target } branch(i64_ge_u);

        // immediate forms: the second operand is a constant in the instruction,
        // saving a register; i64 forms sign-extend their i32 immediate
        I32AddImm(i32_add_imm) { dst: write(I32), a: read(I32), imm: imm(i32) } binary_imm(i32_add);
        I32MulImm(i32_mul_imm) { dst: write(I32), a: read(I32), imm: imm(i32) } binary_imm(i32_mul);
        I32AndImm(i32_and_imm) { dst: write(I32), a: read(I32), imm: imm(i32) } binary_imm(i32_and);
        I32OrImm(i32_or_imm) { dst: write(I32), a: read(I32), imm: imm(i32) } binary_imm(i32_or);
        I32XorImm(i32_xor_imm) { dst: write(I32), a: read(I32), imm: imm(i32) } binary_imm(i32_xor);
        I32ShlImm(i32_shl_imm) { dst: write(I32), a: read(I32), imm: imm(i32) } binary_imm(i32_shl);
        I32ShrSImm(i32_shr_s_imm) { dst: write(I32), a: read(I32), imm: imm(i32) } binary_imm(i32_shr_s);
        I32ShrUImm(i32_shr_u_imm) { dst: write(I32), a: read(I32), imm: imm(i32) } binary_imm(i32_shr_u);
        I32EqImm(i32_eq_imm) { dst: write(I32), a: read(I32), imm: imm(i32) } binary_imm(i32_eq);
        I32NeImm(i32_ne_imm) { dst: write(I32), a: read(I32), imm: imm(i32) } binary_imm(i32_ne);
        I32LtSImm(i32_lt_s_imm) { dst: write(I32), a: read(I32), imm: imm(i32) } binary_imm(i32_lt_s);
        I32LtUImm(i32_lt_u_imm) { dst: write(I32), a: read(I32), imm: imm(i32) } binary_imm(i32_lt_u);
        I32GtSImm(i32_gt_s_imm) { dst: write(I32), a: read(I32), imm: imm(i32) } binary_imm(i32_gt_s);
        I32GtUImm(i32_gt_u_imm) { dst: write(I32), a: read(I32), imm: imm(i32) } binary_imm(i32_gt_u);
        I32LeSImm(i32_le_s_imm) { dst: write(I32), a: read(I32), imm: imm(i32) } binary_imm(i32_le_s);
        I32LeUImm(i32_le_u_imm) { dst: write(I32), a: read(I32), imm: imm(i32) } binary_imm(i32_le_u);
        I32GeSImm(i32_ge_s_imm) { dst: write(I32), a: read(I32), imm: imm(i32) } binary_imm(i32_ge_s);
        I32GeUImm(i32_ge_u_imm) { dst: write(I32), a: read(I32), imm: imm(i32) } binary_imm(i32_ge_u);
        I64AddImm(i64_add_imm) { dst: write(I64), a: read(I64), imm: imm(i32) } binary_imm(i64_add);
        I64MulImm(i64_mul_imm) { dst: write(I64), a: read(I64), imm: imm(i32) } binary_imm(i64_mul);
        I64AndImm(i64_and_imm) { dst: write(I64), a: read(I64), imm: imm(i32) } binary_imm(i64_and);
        I64OrImm(i64_or_imm) { dst: write(I64), a: read(I64), imm: imm(i32) } binary_imm(i64_or);
        I64XorImm(i64_xor_imm) { dst: write(I64), a: read(I64), imm: imm(i32) } binary_imm(i64_xor);
        I64ShlImm(i64_shl_imm) { dst: write(I64), a: read(I64), imm: imm(i32) } binary_imm(i64_shl);
        I64ShrSImm(i64_shr_s_imm) { dst: write(I64), a: read(I64), imm: imm(i32) } binary_imm(i64_shr_s);
        I64ShrUImm(i64_shr_u_imm) { dst: write(I64), a: read(I64), imm: imm(i32) } binary_imm(i64_shr_u);
        I64EqImm(i64_eq_imm) { dst: write(I32), a: read(I64), imm: imm(i32) } binary_imm(i64_eq);
        I64NeImm(i64_ne_imm) { dst: write(I32), a: read(I64), imm: imm(i32) } binary_imm(i64_ne);
        I64LtSImm(i64_lt_s_imm) { dst: write(I32), a: read(I64), imm: imm(i32) } binary_imm(i64_lt_s);
        I64LtUImm(i64_lt_u_imm) { dst: write(I32), a: read(I64), imm: imm(i32) } binary_imm(i64_lt_u);
        I64GtSImm(i64_gt_s_imm) { dst: write(I32), a: read(I64), imm: imm(i32) } binary_imm(i64_gt_s);
        I64GtUImm(i64_gt_u_imm) { dst: write(I32), a: read(I64), imm: imm(i32) } binary_imm(i64_gt_u);
        I64LeSImm(i64_le_s_imm) { dst: write(I32), a: read(I64), imm: imm(i32) } binary_imm(i64_le_s);
        I64LeUImm(i64_le_u_imm) { dst: write(I32), a: read(I64), imm: imm(i32) } binary_imm(i64_le_u);
        I64GeSImm(i64_ge_s_imm) { dst: write(I32), a: read(I64), imm: imm(i32) } binary_imm(i64_ge_s);
        I64GeUImm(i64_ge_u_imm) { dst: write(I32), a: read(I64), imm: imm(i32) } binary_imm(i64_ge_u);

        // fused compare-with-immediate-and-branch
        BrI32EqImm(br_i32_eq_imm) { a: read(I32), imm: imm(i32), target: target } branch_imm(i32_eq);
        BrI32NeImm(br_i32_ne_imm) { a: read(I32), imm: imm(i32), target: target } branch_imm(i32_ne);
        BrI32LtSImm(br_i32_lt_s_imm) { a: read(I32), imm: imm(i32), target: target } branch_imm(i32_lt_s);
        BrI32LtUImm(br_i32_lt_u_imm) { a: read(I32), imm: imm(i32), target: target } branch_imm(i32_lt_u);
        BrI32GtSImm(br_i32_gt_s_imm) { a: read(I32), imm: imm(i32), target: target } branch_imm(i32_gt_s);
        BrI32GtUImm(br_i32_gt_u_imm) { a: read(I32), imm: imm(i32), target: target } branch_imm(i32_gt_u);
        BrI32LeSImm(br_i32_le_s_imm) { a: read(I32), imm: imm(i32), target: target } branch_imm(i32_le_s);
        BrI32LeUImm(br_i32_le_u_imm) { a: read(I32), imm: imm(i32), target: target } branch_imm(i32_le_u);
        BrI32GeSImm(br_i32_ge_s_imm) { a: read(I32), imm: imm(i32), target: target } branch_imm(i32_ge_s);
        BrI32GeUImm(br_i32_ge_u_imm) { a: read(I32), imm: imm(i32), target: target } branch_imm(i32_ge_u);
        BrI64EqImm(br_i64_eq_imm) { a: read(I64), imm: imm(i32), target: target } branch_imm(i64_eq);
        BrI64NeImm(br_i64_ne_imm) { a: read(I64), imm: imm(i32), target: target } branch_imm(i64_ne);
        BrI64LtSImm(br_i64_lt_s_imm) { a: read(I64), imm: imm(i32), target: target } branch_imm(i64_lt_s);
        BrI64LtUImm(br_i64_lt_u_imm) { a: read(I64), imm: imm(i32), target: target } branch_imm(i64_lt_u);
        BrI64GtSImm(br_i64_gt_s_imm) { a: read(I64), imm: imm(i32), target: target } branch_imm(i64_gt_s);
        BrI64GtUImm(br_i64_gt_u_imm) { a: read(I64), imm: imm(i32), target: target } branch_imm(i64_gt_u);
        BrI64LeSImm(br_i64_le_s_imm) { a: read(I64), imm: imm(i32), target: target } branch_imm(i64_le_s);
        BrI64LeUImm(br_i64_le_u_imm) { a: read(I64), imm: imm(i32), target: target } branch_imm(i64_le_u);
        BrI64GeSImm(br_i64_ge_s_imm) { a: read(I64), imm: imm(i32), target: target } branch_imm(i64_ge_s);
        BrI64GeUImm(br_i64_ge_u_imm) { a: read(I64), imm: imm(i32), target: target } branch_imm(i64_ge_u);
    }
    inline {
        // constants and moves
        /// `dst = value`.
        I32Const(i32_const) { dst: write(I32), value: imm(i32) };
        /// `dst = value`.
        I64Const(i64_const) { dst: write(I64), value: imm(i64) };
        /// `dst = f32::from_bits(bits)`: the bits, so NaN payloads survive the text form.
        F32Const(f32_const) { dst: write(F32), bits: imm(u32) };
        /// `dst = f64::from_bits(bits)`.
        F64Const(f64_const) { dst: write(F64), bits: imm(u64) };
        /// `dst = src`; both of one scalar type.
        Copy(copy) { dst: write_any, src: read_any };
        /// `dst = if cond != 0 { a } else { b }`; `dst`, `a` and `b` of one scalar type.
        Select(select) { dst: write_any, cond: read(I32), a: read_any, b: read_any };

        // control
        /// Marks the position of label `name`. A marker, not an operation:
        /// label resolution removes it, so verified code never holds one.
        Label(label) { name: target };
        /// Continue at `target`.
        Jump(jump) { target: target };
        /// Continue at `target` if `cond != 0`.
        BrIf(br_if) { cond: read(I32), target: target };
        /// Continue at `target` if `cond == 0`.
        BrIfNot(br_if_not) { cond: read(I32), target: target };
        /// Continue at entry `index` of the function's branch table `table`,
        /// or at its last entry when `index` is past the others.
        BrTable(br_table) { index: read(I32), table: index };
        /// Trap: unreachable code was reached.
        Unreachable(unreachable) { };

        // memory: loads and stores on memory `mem`, at `addr + offset`, little-endian
        I32Load(i32_load) { dst: write(I32), addr: read(I32), offset: imm(u32), mem: index };
        I64Load(i64_load) { dst: write(I64), addr: read(I32), offset: imm(u32), mem: index };
        F32Load(f32_load) { dst: write(F32), addr: read(I32), offset: imm(u32), mem: index };
        F64Load(f64_load) { dst: write(F64), addr: read(I32), offset: imm(u32), mem: index };
        I32Load8S(i32_load8_s) { dst: write(I32), addr: read(I32), offset: imm(u32), mem: index };
        I32Load8U(i32_load8_u) { dst: write(I32), addr: read(I32), offset: imm(u32), mem: index };
        I32Load16S(i32_load16_s) { dst: write(I32), addr: read(I32), offset: imm(u32), mem: index };
        I32Load16U(i32_load16_u) { dst: write(I32), addr: read(I32), offset: imm(u32), mem: index };
        I64Load8S(i64_load8_s) { dst: write(I64), addr: read(I32), offset: imm(u32), mem: index };
        I64Load8U(i64_load8_u) { dst: write(I64), addr: read(I32), offset: imm(u32), mem: index };
        I64Load16S(i64_load16_s) { dst: write(I64), addr: read(I32), offset: imm(u32), mem: index };
        I64Load16U(i64_load16_u) { dst: write(I64), addr: read(I32), offset: imm(u32), mem: index };
        I64Load32S(i64_load32_s) { dst: write(I64), addr: read(I32), offset: imm(u32), mem: index };
        I64Load32U(i64_load32_u) { dst: write(I64), addr: read(I32), offset: imm(u32), mem: index };
        I32Store(i32_store) { addr: read(I32), value: read(I32), offset: imm(u32), mem: index };
        I64Store(i64_store) { addr: read(I32), value: read(I64), offset: imm(u32), mem: index };
        F32Store(f32_store) { addr: read(I32), value: read(F32), offset: imm(u32), mem: index };
        F64Store(f64_store) { addr: read(I32), value: read(F64), offset: imm(u32), mem: index };
        I32Store8(i32_store8) { addr: read(I32), value: read(I32), offset: imm(u32), mem: index };
        I32Store16(i32_store16) { addr: read(I32), value: read(I32), offset: imm(u32), mem: index };
        I64Store8(i64_store8) { addr: read(I32), value: read(I64), offset: imm(u32), mem: index };
        I64Store16(i64_store16) { addr: read(I32), value: read(I64), offset: imm(u32), mem: index };
        I64Store32(i64_store32) { addr: read(I32), value: read(I64), offset: imm(u32), mem: index };
    }
    out_of_line {
        // calls
        /// Return the registers of list `values` (typed by the function's results).
        Return(ret) { values: list };
        /// Call function `func` with the registers of `args`; its results go
        /// to the registers of `results`.
        Call(call) { func: index, args: list, results: list };
        /// Call `func` in place of this function: its results are this
        /// function's results, and the frame is reused (no stack growth).
        ReturnCall(return_call) { func: index, args: list };

        /// Call the function in entry `index` of table `table`. Its type must
        /// equal the program's type `sig`, else the call traps; `operands`
        /// lists the arguments, then the result registers.
        CallIndirect(call_indirect) { table: index, index: read(I32), sig: index, operands: list };
        /// `CallIndirect` in place of this function (see `ReturnCall`);
        /// `args` lists the arguments only.
        ReturnCallIndirect(return_call_indirect) { table: index, index: read(I32), sig: index, args: list };
        /// Call function import `import`: a host function or another
        /// instance's function, whatever instantiation bound it to.
        CallImport(call_import) { import: index, args: list, results: list };

        // references and tables; a table's entries are references of its
        // element type, and every register holding one is of that type
        /// `dst` = a reference to defined function `func`.
        RefFunc(ref_func) { dst: write(FuncRef), func: index };
        /// `dst` = a reference to the function bound to import `import`.
        RefImport(ref_import) { dst: write(FuncRef), import: index };
        /// `dst` = the null reference of `dst`'s reference type.
        RefNull(ref_null) { dst: write_any };
        /// `dst = 1` if reference `value` is null, else 0.
        RefIsNull(ref_is_null) { dst: write(I32), value: read_any };
        /// `dst` = entry `index` of table `table`; out of range traps.
        TableGet(table_get) { dst: write_any, table: index, index: read(I32) };
        /// Entry `index` of table `table` = `value`; out of range traps.
        TableSet(table_set) { table: index, index: read(I32), value: read_any };
        /// `dst` = the number of entries of table `table`.
        TableSize(table_size) { dst: write(I32), table: index };
        /// Grow table `table` by `delta` entries of `init`; `dst` = the old size,
        /// or -1 if it cannot grow (the table is then unchanged).
        TableGrow(table_grow) { dst: write(I32), table: index, init: read_any, delta: read(I32) };
        /// Set `len` entries of table `table` from `dst` to `value`; all or nothing.
        TableFill(table_fill) { table: index, dst: read(I32), value: read_any, len: read(I32) };
        /// Copy `len` entries from table `src_table` at `src` to table
        /// `dst_table` at `dst`; all or nothing, `memmove` within one table.
        TableCopy(table_copy) { dst_table: index, src_table: index, dst: read(I32), src: read(I32), len: read(I32) };
        /// Copy `len` references of element segment `elem` from `src` into
        /// table `table` at `dst`; all or nothing (a dropped segment is empty).
        TableInit(table_init) { table: index, elem: index, dst: read(I32), src: read(I32), len: read(I32) };
        /// Drop element segment `elem`: it becomes empty.
        ElemDrop(elem_drop) { elem: index };

        // globals
        /// `dst = globals[global]`; of the global's type.
        GlobalGet(global_get) { dst: write_any, global: index };
        /// `globals[global] = src`; the global must be mutable.
        GlobalSet(global_set) { src: read_any, global: index };

        // handles
        /// `dst = src`; Cell registers of one arena.
        CellCopy(cell_copy) { dst: write_cell_any, src: read_cell_any };
        /// `dst = 1` if Cell register `cell` is null, else 0.
        CellIsNull(cell_is_null) { dst: write(I32), cell: read_cell_any };
        /// Frees the object `cell` reaches. A stale or double free traps.
        Free(free) { cell: read_cell_any };
        /// `dst` = the object's length: bytes of a segment or string,
        /// elements of a list or array, entries of a map.
        Len(len) { dst: write(I64), obj: read_cell_any };

        // allocation: `len` elements, zero, NUL or null filled
        BytesNew(bytes_new) { dst: write_cell(Bytes), len: read(I64) };
        StrNew(str_new) { dst: write_cell(Str), len: read(I64) };
        /// A new string holding the program's string constant `string`.
        StrConst(str_const) { dst: write_cell(Str), string: index };
        ListNew(list_new) { dst: write_cell(List), len: read(I64) };
        I64ArrayNew(i64_array_new) { dst: write_cell(I64Array), len: read(I64) };
        F64ArrayNew(f64_array_new) { dst: write_cell(F64Array), len: read(I64) };
        U8ArrayNew(u8_array_new) { dst: write_cell(U8Array), len: read(I64) };
        MapNew(map_new) { dst: write_cell(Map) };

        // lists: elements are tagged values; a typed read of another kind traps
        ListGetI64(list_get_i64) { dst: write(I64), list: read_cell(List), index: read(I64) };
        ListGetF64(list_get_f64) { dst: write(F64), list: read_cell(List), index: read(I64) };
        /// Reads a Cell element; it must be a Cell of `dst`'s arena.
        ListGetCell(list_get_cell) { dst: write_cell_any, list: read_cell(List), index: read(I64) };
        ListSetI64(list_set_i64) { list: read_cell(List), index: read(I64), value: read(I64) };
        ListSetF64(list_set_f64) { list: read_cell(List), index: read(I64), value: read(F64) };
        ListSetCell(list_set_cell) { list: read_cell(List), index: read(I64), value: read_cell_any };
        ListPushI64(list_push_i64) { list: read_cell(List), value: read(I64) };
        ListPushF64(list_push_f64) { list: read_cell(List), value: read(F64) };
        ListPushCell(list_push_cell) { list: read_cell(List), value: read_cell_any };
        ListPopI64(list_pop_i64) { dst: write(I64), list: read_cell(List) };
        ListPopF64(list_pop_f64) { dst: write(F64), list: read_cell(List) };
        ListPopCell(list_pop_cell) { dst: write_cell_any, list: read_cell(List) };

        // typed arrays; u8 elements travel in i32 registers (low byte stored)
        I64ArrayGet(i64_array_get) { dst: write(I64), array: read_cell(I64Array), index: read(I64) };
        I64ArraySet(i64_array_set) { array: read_cell(I64Array), index: read(I64), value: read(I64) };
        I64ArrayPush(i64_array_push) { array: read_cell(I64Array), value: read(I64) };
        I64ArrayPop(i64_array_pop) { dst: write(I64), array: read_cell(I64Array) };
        F64ArrayGet(f64_array_get) { dst: write(F64), array: read_cell(F64Array), index: read(I64) };
        F64ArraySet(f64_array_set) { array: read_cell(F64Array), index: read(I64), value: read(F64) };
        F64ArrayPush(f64_array_push) { array: read_cell(F64Array), value: read(F64) };
        F64ArrayPop(f64_array_pop) { dst: write(F64), array: read_cell(F64Array) };
        U8ArrayGet(u8_array_get) { dst: write(I32), array: read_cell(U8Array), index: read(I64) };
        U8ArraySet(u8_array_set) { array: read_cell(U8Array), index: read(I64), value: read(I32) };
        U8ArrayPush(u8_array_push) { array: read_cell(U8Array), value: read(I32) };
        U8ArrayPop(u8_array_pop) { dst: write(I32), array: read_cell(U8Array) };

        // strings
        /// A new string: `a` followed by `b`.
        StrConcat(str_concat) { dst: write_cell(Str), a: read_cell(Str), b: read_cell(Str) };
        /// `dst` = -1, 0 or 1 as `a` sorts before, equal to or after `b` (bytewise).
        StrCompare(str_compare) { dst: write(I32), a: read_cell(Str), b: read_cell(Str) };
        /// `dst` = byte `index` of the string.
        StrByte(str_byte) { dst: write(I32), string: read_cell(Str), index: read(I64) };

        // maps: keys are integers or strings (by contents); a missing key traps on get
        MapSetIntI64(map_set_int_i64) { map: read_cell(Map), key: read(I64), value: read(I64) };
        MapSetStrI64(map_set_str_i64) { map: read_cell(Map), key: read_cell(Str), value: read(I64) };
        MapSetIntCell(map_set_int_cell) { map: read_cell(Map), key: read(I64), value: read_cell_any };
        MapSetStrCell(map_set_str_cell) { map: read_cell(Map), key: read_cell(Str), value: read_cell_any };
        MapGetIntI64(map_get_int_i64) { dst: write(I64), map: read_cell(Map), key: read(I64) };
        MapGetStrI64(map_get_str_i64) { dst: write(I64), map: read_cell(Map), key: read_cell(Str) };
        MapGetIntCell(map_get_int_cell) { dst: write_cell_any, map: read_cell(Map), key: read(I64) };
        MapGetStrCell(map_get_str_cell) { dst: write_cell_any, map: read_cell(Map), key: read_cell(Str) };
        MapHasInt(map_has_int) { dst: write(I32), map: read_cell(Map), key: read(I64) };
        MapHasStr(map_has_str) { dst: write(I32), map: read_cell(Map), key: read_cell(Str) };
        MapRemoveInt(map_remove_int) { map: read_cell(Map), key: read(I64) };
        MapRemoveStr(map_remove_str) { map: read_cell(Map), key: read_cell(Str) };

        // slices: windows that only narrow and die with their object
        /// A slice of `obj`'s elements `start..start+len`; `dst` has `obj`'s arena.
        SliceNew(slice_new) { dst: write_slice_any, obj: read_cell_any, start: read(I64), len: read(I64) };
        /// A narrower slice, relative to `src`'s window; same arena.
        SubSlice(sub_slice) { dst: write_slice_any, src: read_slice_any, start: read(I64), len: read(I64) };
        SliceLen(slice_len) { dst: write(I64), slice: read_slice_any };
        SliceGetI64(slice_get_i64) { dst: write(I64), slice: read_slice(I64Array), index: read(I64) };
        SliceSetI64(slice_set_i64) { slice: read_slice(I64Array), index: read(I64), value: read(I64) };
        ListSliceGetI64(list_slice_get_i64) { dst: write(I64), slice: read_slice(List), index: read(I64) };
        ListSliceSetI64(list_slice_set_i64) { slice: read_slice(List), index: read(I64), value: read(I64) };
        /// Byte `index` of a bytes or string slice.
        SliceByte(slice_byte) { dst: write(I32), slice: read_slice_any, index: read(I64) };

        // bulk copy between arenas (see arenavm_arenas::COPY_TABLE): `count`
        // source elements from `src_offset` to `dst` at `dst_offset`; all or nothing
        ArenaCopy(arena_copy) { dst: read_cell_any, dst_offset: read(I64), src: read_cell_any, src_offset: read(I64), count: read(I64) };
        SliceCopy(slice_copy) { dst: read_slice_any, dst_offset: read(I64), src: read_slice_any, src_offset: read(I64), count: read(I64) };

        /// `dst` = size of memory `mem` in 64 KiB pages.
        MemorySize(memory_size) { dst: write(I32), mem: index };
        /// Grow memory `mem` by `delta` pages; `dst` = the old size in pages, or -1
        /// if it cannot grow (the memory is then unchanged).
        MemoryGrow(memory_grow) { dst: write(I32), delta: read(I32), mem: index };
        /// Set `len` bytes of memory `mem` from `dst` to the low byte of `value`; all or nothing.
        MemoryFill(memory_fill) { dst: read(I32), value: read(I32), len: read(I32), mem: index };
        /// Copy `len` bytes from memory `src_mem` at `src` to memory `dst_mem` at
        /// `dst` (the arenas' bulk copy); all or nothing, `memmove` within one memory.
        MemoryCopy(memory_copy) { dst: read(I32), src: read(I32), len: read(I32), dst_mem: index, src_mem: index };
        /// Copy `len` bytes of data segment `data` from `src` into memory `mem`
        /// at `dst`; all or nothing (a dropped segment is empty).
        MemoryInit(memory_init) { mem: index, data: index, dst: read(I32), src: read(I32), len: read(I32) };
        /// Drop data segment `data`: it becomes empty.
        DataDrop(data_drop) { data: index };
    }
}
