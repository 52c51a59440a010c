//! Script values: arguments of `invoke` as embedding values, and
//! `assert_return`'s expected results as patterns our results must match.

use ::wast::core::{AbstractHeapType, HeapType, NanPattern, WastArgCore, WastRetCore};
use ::wast::{WastArg, WastRet};

use crate::embed::Val;

/// The value of an `invoke` argument.
pub fn arg(arg: &WastArg<'_>) -> Result<Val, String> {
    let WastArg::Core(core) = arg else {
        return Err("component-model arguments are not supported".into());
    };
    Ok(match core {
        WastArgCore::I32(v) => Val::I32(*v),
        WastArgCore::I64(v) => Val::I64(*v),
        WastArgCore::F32(v) => Val::F32(f32::from_bits(v.bits)),
        WastArgCore::F64(v) => Val::F64(f64::from_bits(v.bits)),
        WastArgCore::RefNull(heap) => match abstract_type(heap) {
            Some(AbstractHeapType::Func) => Val::FuncRef(None),
            Some(AbstractHeapType::Extern) => Val::ExternRef(None),
            _ => return Err(format!("unsupported argument {core:?}")),
        },
        WastArgCore::RefExtern(n) => Val::ExternRef(Some(*n)),
        other => return Err(format!("unsupported argument {other:?}")),
    })
}

fn abstract_type(heap: &HeapType<'_>) -> Option<AbstractHeapType> {
    match heap {
        HeapType::Abstract { shared: false, ty } => Some(*ty),
        _ => None,
    }
}

/// Whether `actual` matches every expected result, in number and value;
/// the error describes the first difference.
pub fn check_results(actual: &[Val], expected: &[WastRet<'_>]) -> Result<(), String> {
    if actual.len() != expected.len() {
        return Err(format!(
            "{} results expected, got {}: {}",
            expected.len(),
            actual.len(),
            show_all(actual)
        ));
    }
    for (i, (val, want)) in actual.iter().zip(expected).enumerate() {
        let WastRet::Core(want) = want else {
            return Err("component-model results are not supported".into());
        };
        if !matches(*val, want) {
            return Err(format!(
                "result {i}: expected {}, got {}",
                show_pattern(want),
                show(*val)
            ));
        }
    }
    Ok(())
}

/// Whether `val` matches the pattern `want`. Floats compare by bits, so
/// `-0.0` is not `0.0` and NaN payloads count; `nan:canonical` is a NaN
/// with only the quiet bit of the payload set, `nan:arithmetic` any NaN
/// with the quiet bit set.
pub fn matches(val: Val, want: &WastRetCore<'_>) -> bool {
    match (want, val) {
        (WastRetCore::I32(e), Val::I32(v)) => *e == v,
        (WastRetCore::I64(e), Val::I64(v)) => *e == v,
        (WastRetCore::F32(pattern), Val::F32(v)) => {
            let bits = v.to_bits();
            match pattern {
                NanPattern::Value(e) => e.bits == bits,
                NanPattern::CanonicalNan => bits & 0x7fff_ffff == 0x7fc0_0000,
                NanPattern::ArithmeticNan => bits & 0x7fc0_0000 == 0x7fc0_0000,
            }
        }
        (WastRetCore::F64(pattern), Val::F64(v)) => {
            let bits = v.to_bits();
            const QUIET: u64 = 0x7ff8_0000_0000_0000;
            match pattern {
                NanPattern::Value(e) => e.bits == bits,
                NanPattern::CanonicalNan => bits & 0x7fff_ffff_ffff_ffff == QUIET,
                NanPattern::ArithmeticNan => bits & QUIET == QUIET,
            }
        }
        (WastRetCore::RefNull(heap), Val::FuncRef(None) | Val::ExternRef(None)) => {
            match heap.as_ref().and_then(abstract_type) {
                Some(AbstractHeapType::Func) => matches!(val, Val::FuncRef(None)),
                Some(AbstractHeapType::Extern) => matches!(val, Val::ExternRef(None)),
                None => heap.is_none(),
                Some(_) => false,
            }
        }
        (WastRetCore::RefExtern(e), Val::ExternRef(Some(v))) => e.is_none_or(|e| e == v),
        (WastRetCore::RefFunc(_), Val::FuncRef(Some(_))) => true,
        (WastRetCore::Either(options), _) => options.iter().any(|o| matches(val, o)),
        _ => false,
    }
}

/// A value as a failure message shows it: floats with their bits.
pub fn show(val: Val) -> String {
    match val {
        Val::I32(v) => format!("i32 {v}"),
        Val::I64(v) => format!("i64 {v}"),
        Val::F32(v) => format!("f32 {v:?} ({:#010x})", v.to_bits()),
        Val::F64(v) => format!("f64 {v:?} ({:#018x})", v.to_bits()),
        Val::FuncRef(Some(f)) => format!("ref.func {f}"),
        Val::ExternRef(Some(r)) => format!("ref.extern {r}"),
        Val::FuncRef(None) => "ref.null func".into(),
        Val::ExternRef(None) => "ref.null extern".into(),
    }
}

/// Values as a failure message shows them: `[i32 1, f64 2.0 (0x...)]`.
pub fn show_all(vals: &[Val]) -> String {
    let shown: Vec<String> = vals.iter().map(|v| show(*v)).collect();
    format!("[{}]", shown.join(", "))
}

fn show_pattern(want: &WastRetCore<'_>) -> String {
    match want {
        WastRetCore::I32(v) => format!("i32 {v}"),
        WastRetCore::I64(v) => format!("i64 {v}"),
        WastRetCore::F32(NanPattern::Value(v)) => show(Val::F32(f32::from_bits(v.bits))),
        WastRetCore::F64(NanPattern::Value(v)) => show(Val::F64(f64::from_bits(v.bits))),
        WastRetCore::F32(NanPattern::CanonicalNan) => "f32 nan:canonical".into(),
        WastRetCore::F32(NanPattern::ArithmeticNan) => "f32 nan:arithmetic".into(),
        WastRetCore::F64(NanPattern::CanonicalNan) => "f64 nan:canonical".into(),
        WastRetCore::F64(NanPattern::ArithmeticNan) => "f64 nan:arithmetic".into(),
        WastRetCore::RefExtern(Some(r)) => format!("ref.extern {r}"),
        WastRetCore::RefExtern(None) => "ref.extern".into(),
        WastRetCore::RefFunc(_) => "ref.func".into(),
        WastRetCore::RefNull(_) => "ref.null".into(),
        other => format!("{other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::wast::token::{F32, F64};

    fn f32_pattern(p: NanPattern<F32>) -> WastRetCore<'static> {
        WastRetCore::F32(p)
    }

    #[test]
    fn nan_patterns_follow_the_spec() {
        let canonical = f32::from_bits(0x7fc0_0000);
        let negative_canonical = f32::from_bits(0xffc0_0000);
        let arithmetic = f32::from_bits(0x7fc0_0001);
        let signalling = f32::from_bits(0x7f80_0001);
        let c = f32_pattern(NanPattern::CanonicalNan);
        let a = f32_pattern(NanPattern::ArithmeticNan);
        assert!(matches(Val::F32(canonical), &c));
        assert!(matches(Val::F32(negative_canonical), &c));
        assert!(!matches(Val::F32(arithmetic), &c));
        assert!(matches(Val::F32(arithmetic), &a));
        assert!(!matches(Val::F32(signalling), &a));
        assert!(!matches(Val::F32(1.0), &a));
        let f64_c = WastRetCore::F64(NanPattern::CanonicalNan);
        assert!(matches(
            Val::F64(f64::from_bits(0xfff8_0000_0000_0000)),
            &f64_c
        ));
        assert!(!matches(Val::F32(canonical), &f64_c));
    }

    #[test]
    fn floats_compare_by_bits() {
        let zero = f32_pattern(NanPattern::Value(F32 { bits: 0 }));
        assert!(matches(Val::F32(0.0), &zero));
        assert!(!matches(Val::F32(-0.0), &zero));
        let one = WastRetCore::F64(NanPattern::Value(F64 {
            bits: 1f64.to_bits(),
        }));
        assert!(matches(Val::F64(1.0), &one));
    }

    #[test]
    fn references_match_by_kind_and_host_value() {
        assert!(matches(
            Val::ExternRef(Some(3)),
            &WastRetCore::RefExtern(Some(3))
        ));
        assert!(!matches(
            Val::ExternRef(Some(2)),
            &WastRetCore::RefExtern(Some(3))
        ));
        assert!(!matches(
            Val::ExternRef(None),
            &WastRetCore::RefExtern(None)
        ));
        assert!(matches(Val::FuncRef(Some(0)), &WastRetCore::RefFunc(None)));
        assert!(!matches(Val::FuncRef(None), &WastRetCore::RefFunc(None)));
        assert!(matches(Val::FuncRef(None), &WastRetCore::RefNull(None)));
        let func = HeapType::Abstract {
            shared: false,
            ty: AbstractHeapType::Func,
        };
        assert!(matches(
            Val::FuncRef(None),
            &WastRetCore::RefNull(Some(func))
        ));
        assert!(!matches(
            Val::ExternRef(None),
            &WastRetCore::RefNull(Some(func))
        ));
        let either = WastRetCore::Either(vec![WastRetCore::I32(1), WastRetCore::I32(2)]);
        assert!(matches(Val::I32(2), &either));
        assert!(!matches(Val::I32(3), &either));
    }

    #[test]
    fn result_counts_must_agree() {
        let want = [WastRet::Core(WastRetCore::I32(1))];
        assert!(check_results(&[Val::I32(1)], &want).is_ok());
        let e = check_results(&[], &want).unwrap_err();
        assert_eq!(e, "1 results expected, got 0: []");
        let e = check_results(&[Val::I32(2)], &want).unwrap_err();
        assert_eq!(e, "result 0: expected i32 1, got i32 2");
    }
}
