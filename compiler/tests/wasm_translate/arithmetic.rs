//! Numeric operators: every operand shape (locals, constants on either
//! side, computed values) gives WebAssembly's answer.

use arenavm_vm::exec::TrapKind;
use arenavm_vm::program::Val;

use crate::common::*;

#[test]
fn binary_operators_with_register_operands() {
    let mut m = Module::new(
        r#"(module
          (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
          (func (export "sub") (param i32 i32) (result i32) local.get 0 local.get 1 i32.sub)
          (func (export "mul64") (param i64 i64) (result i64) local.get 0 local.get 1 i64.mul)
          (func (export "shl") (param i32 i32) (result i32) local.get 0 local.get 1 i32.shl)
          (func (export "rotr64") (param i64 i64) (result i64) local.get 0 local.get 1 i64.rotr)
          (func (export "fdiv") (param f64 f64) (result f64) local.get 0 local.get 1 f64.div)
          (func (export "fmin") (param f32 f32) (result f32) local.get 0 local.get 1 f32.min))"#,
    );
    assert_eq!(m.get("add", &[i32(i32::MAX), i32(1)]), i32(i32::MIN));
    assert_eq!(m.get("sub", &[i32(3), i32(5)]), i32(-2));
    assert_eq!(m.get("mul64", &[i64(1 << 40), i64(1 << 30)]), i64(0));
    assert_eq!(
        m.get("shl", &[i32(1), i32(33)]),
        i32(2),
        "shift count mod 32"
    );
    assert_eq!(m.get("rotr64", &[i64(1), i64(1)]), i64(i64::MIN));
    assert_eq!(
        m.get("fdiv", &[Val::F64(1.0), Val::F64(4.0)]),
        Val::F64(0.25)
    );
    assert_eq!(
        m.get("fmin", &[Val::F32(-0.0), Val::F32(0.0)]).to_bits(),
        (-0.0f32).to_bits() as u64
    );
}

#[test]
fn constants_on_either_side_give_the_same_answers() {
    // Right constants become immediates, left ones swap (commutative ops)
    // or are loaded; subtraction of a constant adds its negation.
    let mut m = Module::new(
        r#"(module
          (func (export "add_r") (param i32) (result i32) local.get 0 i32.const 7 i32.add)
          (func (export "add_l") (param i32) (result i32) i32.const 7 local.get 0 i32.add)
          (func (export "sub_r") (param i32) (result i32) local.get 0 i32.const 7 i32.sub)
          (func (export "sub_l") (param i32) (result i32) i32.const 7 local.get 0 i32.sub)
          (func (export "sub_min") (param i32) (result i32) local.get 0 i32.const 0x80000000 i32.sub)
          (func (export "sub64_min") (param i64) (result i64) local.get 0 i64.const -2147483648 i64.sub)
          (func (export "sub64_big") (param i64) (result i64) local.get 0 i64.const 2147483648 i64.sub)
          (func (export "and64_big") (param i64) (result i64) local.get 0 i64.const 0x1_0000_00ff i64.and)
          (func (export "shr_l") (param i32) (result i32) i32.const -16 local.get 0 i32.shr_s)
          (func (export "div_l") (param i32) (result i32) i32.const 100 local.get 0 i32.div_u)
          (func (export "both") (result i32) i32.const 6 i32.const 7 i32.mul)
          (func (export "fconst") (param f32) (result f32) f32.const 1.5 local.get 0 f32.mul))"#,
    );
    assert_eq!(m.get("add_r", &[i32(5)]), i32(12));
    assert_eq!(m.get("add_l", &[i32(5)]), i32(12));
    assert_eq!(m.get("sub_r", &[i32(5)]), i32(-2));
    assert_eq!(m.get("sub_l", &[i32(5)]), i32(2));
    assert_eq!(
        m.get("sub_min", &[i32(1)]),
        i32(1i32.wrapping_sub(i32::MIN))
    );
    assert_eq!(m.get("sub64_min", &[i64(1)]), i64(1 + (1 << 31)));
    assert_eq!(m.get("sub64_big", &[i64(1)]), i64(1 - (1 << 31)));
    assert_eq!(m.get("and64_big", &[i64(-1)]), i64(0x1_0000_00ff));
    assert_eq!(m.get("shr_l", &[i32(2)]), i32(-4));
    assert_eq!(m.get("div_l", &[i32(7)]), i32(14));
    assert_eq!(m.get("both", &[]), i32(42));
    assert_eq!(m.get("fconst", &[Val::F32(2.0)]), Val::F32(3.0));
}

#[test]
fn comparisons_with_constants_swap_correctly() {
    let mut m = Module::new(
        r#"(module
          (func (export "lt_r") (param i32) (result i32) local.get 0 i32.const 10 i32.lt_s)
          (func (export "lt_l") (param i32) (result i32) i32.const 10 local.get 0 i32.lt_s)
          (func (export "ge_u_l") (param i32) (result i32) i32.const 10 local.get 0 i32.ge_u)
          (func (export "gt64_big") (param i64) (result i32) local.get 0 i64.const 0x1_0000_0000 i64.gt_s)
          (func (export "le64_l") (param i64) (result i32) i64.const -5 local.get 0 i64.le_s)
          (func (export "eqz") (param i32) (result i32) local.get 0 i32.eqz)
          (func (export "eqz64") (param i64) (result i32) local.get 0 i64.eqz)
          (func (export "not_lt") (param i32 i32) (result i32) local.get 0 local.get 1 i32.lt_u i32.eqz)
          (func (export "flt") (param f64 f64) (result i32) local.get 0 local.get 1 f64.lt))"#,
    );
    for v in [-20, 9, 10, 11, 20] {
        assert_eq!(m.get("lt_r", &[i32(v)]), i32((v < 10) as i32), "{v} < 10");
        assert_eq!(m.get("lt_l", &[i32(v)]), i32((10 < v) as i32), "10 < {v}");
        assert_eq!(m.get("ge_u_l", &[i32(v)]), i32((10 >= v as u32) as i32));
    }
    assert_eq!(m.get("gt64_big", &[i64(1 << 33)]), i32(1));
    assert_eq!(m.get("gt64_big", &[i64(1 << 31)]), i32(0));
    assert_eq!(m.get("le64_l", &[i64(-5)]), i32(1));
    assert_eq!(m.get("le64_l", &[i64(-6)]), i32(0));
    assert_eq!(m.get("eqz", &[i32(0)]), i32(1));
    assert_eq!(m.get("eqz64", &[i64(1 << 40)]), i32(0));
    assert_eq!(
        m.get("not_lt", &[i32(-1), i32(1)]),
        i32(1),
        "unsigned: 0xffffffff >= 1"
    );
    assert_eq!(m.get("not_lt", &[i32(1), i32(2)]), i32(0));
    assert_eq!(m.get("flt", &[Val::F64(f64::NAN), Val::F64(1.0)]), i32(0));
}

#[test]
fn unary_operators_and_conversions() {
    let mut m = Module::new(
        r#"(module
          (func (export "clz") (param i32) (result i32) local.get 0 i32.clz)
          (func (export "popcnt64") (param i64) (result i64) local.get 0 i64.popcnt)
          (func (export "ext8") (param i32) (result i32) local.get 0 i32.extend8_s)
          (func (export "wrap") (param i64) (result i32) local.get 0 i32.wrap_i64)
          (func (export "extend_u") (param i32) (result i64) local.get 0 i64.extend_i32_u)
          (func (export "sat") (param f64) (result i32) local.get 0 i32.trunc_sat_f64_s)
          (func (export "trunc") (param f32) (result i64) local.get 0 i64.trunc_f32_u)
          (func (export "bits") (param f32) (result i32) local.get 0 i32.reinterpret_f32)
          (func (export "nearest") (param f64) (result f64) local.get 0 f64.nearest)
          (func (export "const_conv") (result f64) i32.const -1 f64.convert_i32_u))"#,
    );
    assert_eq!(m.get("clz", &[i32(1)]), i32(31));
    assert_eq!(m.get("popcnt64", &[i64(-1)]), i64(64));
    assert_eq!(m.get("ext8", &[i32(0x80)]), i32(-128));
    assert_eq!(m.get("wrap", &[i64(0x1_0000_0005)]), i32(5));
    assert_eq!(m.get("extend_u", &[i32(-1)]), i64(0xffff_ffff));
    assert_eq!(m.get("sat", &[Val::F64(1e20)]), i32(i32::MAX));
    assert_eq!(m.get("sat", &[Val::F64(f64::NAN)]), i32(0));
    assert_eq!(m.get("trunc", &[Val::F32(3.9)]), i64(3));
    assert_eq!(m.get("bits", &[Val::F32(-0.0)]), i32(i32::MIN));
    assert_eq!(m.get("nearest", &[Val::F64(2.5)]), Val::F64(2.0));
    assert_eq!(m.get("const_conv", &[]), Val::F64(4294967295.0));
}

#[test]
fn float_constants_keep_their_bits() {
    let mut m = Module::new(
        r#"(module
          (func (export "nan32") (result i32) f32.const nan:0x200001 i32.reinterpret_f32)
          (func (export "nan64") (result i64) f64.const -nan:0x8000000000001 i64.reinterpret_f64))"#,
    );
    assert_eq!(m.get("nan32", &[]), i32(0x7fa0_0001));
    assert_eq!(m.get("nan64", &[]), i64(0xfff8_0000_0000_0001u64 as i64));
}

#[test]
fn numeric_traps() {
    let mut m = Module::new(
        r#"(module
          (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)
          (func (export "rem_const") (param i64) (result i64) local.get 0 i64.const 0 i64.rem_u)
          (func (export "trunc") (param f64) (result i32) local.get 0 i32.trunc_f64_s))"#,
    );
    m.traps("div", &[i32(1), i32(0)], TrapKind::IntegerDivideByZero);
    m.traps("div", &[i32(i32::MIN), i32(-1)], TrapKind::IntegerOverflow);
    assert_eq!(m.get("div", &[i32(-7), i32(2)]), i32(-3));
    m.traps("rem_const", &[i64(5)], TrapKind::IntegerDivideByZero);
    m.traps("trunc", &[Val::F64(f64::NAN)], TrapKind::InvalidConversion);
    m.traps("trunc", &[Val::F64(3e9)], TrapKind::IntegerOverflow);
}

#[test]
fn select_with_every_condition_shape() {
    let mut m = Module::new(
        r#"(module
          (func (export "sel") (param i32 i32 i32) (result i32)
            local.get 0 local.get 1 local.get 2 select)
          (func (export "sel_cmp") (param i64 i64) (result i64)
            local.get 0 local.get 1 local.get 0 local.get 1 i64.gt_s select)
          (func (export "const_true") (param i32 i32) (result i32)
            local.get 0 local.get 1 i32.const 1 select)
          (func (export "const_false") (param i32 i32) (result i32)
            local.get 0 local.get 1 i32.add local.get 0 local.get 1 i32.mul i32.const 0 select)
          (func (export "typed") (param f32 f32 i32) (result f32)
            local.get 0 local.get 1 local.get 2 select (result f32)))"#,
    );
    assert_eq!(m.get("sel", &[i32(1), i32(2), i32(5)]), i32(1));
    assert_eq!(m.get("sel", &[i32(1), i32(2), i32(0)]), i32(2));
    assert_eq!(m.get("sel_cmp", &[i64(3), i64(-9)]), i64(3), "max");
    assert_eq!(m.get("sel_cmp", &[i64(-3), i64(9)]), i64(9));
    assert_eq!(m.get("const_true", &[i32(4), i32(5)]), i32(4));
    assert_eq!(m.get("const_false", &[i32(4), i32(5)]), i32(20));
    assert_eq!(
        m.get("typed", &[Val::F32(1.0), Val::F32(2.0), i32(0)]),
        Val::F32(2.0)
    );
}
