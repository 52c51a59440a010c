//! Refusals: malformed, truncated, corrupted and invalid binaries, features
//! that are off, and what arenavm does not implement. Every one is an
//! error, never a panic; and whatever translates also verifies.

use arenavm_compiler::wasm::{Features, TranslateError, parse_wat_or_wasm, translate};
use proptest::prelude::*;

use crate::common::*;

/// A module touching every section and most operator families.
const RICH: &str = r#"(module
  (type $bin (func (param i32 i32) (result i32)))
  (import "env" "h" (func $h (param i32) (result i32)))
  (import "env" "g" (global $g (mut i32)))
  (memory 1 4)
  (memory 1)
  (table 4 funcref)
  (table 2 externref)
  (global $x (mut i64) (i64.const 7))
  (export "add" (func $add))
  (export "mem" (memory 0))
  (start $init)
  (elem (i32.const 0) $add $sub)
  (elem $passive func $add)
  (data (i32.const 8) "\01\02\03")
  (data $d "xyz")
  (func $init i32.const 0 i32.const 5 i32.store)
  (func $add (type $bin) local.get 0 local.get 1 i32.add)
  (func $sub (type $bin) local.get 0 local.get 1 i32.sub)
  (func $main (param i32 i64 f32 f64) (result i32) (local i32 i64)
    block (result i32)
      loop (result i32)
        local.get 0 local.get 0 i32.const 3 i32.lt_s br_if 1 drop
        local.get 0 i32.const 1 i32.sub local.tee 0
        local.get 0 i32.const 10 i32.gt_u br_if 0
        drop i32.const 0
      end
    end
    local.get 0 i32.const 1 i32.const 0 call_indirect (type $bin)
    local.get 2 f32.const 1.5 f32.mul i32.trunc_sat_f32_s i32.add
    local.get 3 f64.sqrt i64.trunc_sat_f64_u local.get 1 i64.add global.set $x
    i32.const 0 i64.load offset=8 i32.wrap_i64 i32.add
    call $h
    local.get 4 local.get 0 select
    i32.const 100 i32.const 0 i32.const 3 memory.init $d
    i32.const 0 i32.const 1 i32.const 2 memory.copy 1 0
    table.size 0 drop ref.null extern i32.const 1 table.grow 1 drop
    global.get $g i32.add
    local.get 0
    br_table 0 0 0)
  (func $tail (param i32) (result i32) local.get 0 local.get 0 i32.const 1 return_call_indirect (type $bin)))"#;

fn rich() -> Vec<u8> {
    parse_wat_or_wasm(RICH.as_bytes()).unwrap()
}

/// Translates `bytes`; if that succeeds, the program must verify.
fn translate_and_verify(bytes: &[u8]) -> Result<(), TranslateError> {
    let program = translate(bytes, Features::default().into())?;
    if let Err(e) = arenavm_vm::verify(&program) {
        panic!("a translated module failed to verify: {e}");
    }
    Ok(())
}

#[test]
fn the_rich_module_translates_and_verifies() {
    translate_and_verify(&rich()).unwrap();
}

#[test]
fn every_truncation_is_an_error_unless_it_ends_between_sections() {
    let wasm = rich();
    // Where the header and each section end: a module cut there may be a
    // valid module with fewer sections.
    let mut boundaries = vec![8u64];
    for payload in wasmparser::Parser::new(0).parse_all(&wasm) {
        if let Some((_, range)) = payload.unwrap().as_section() {
            boundaries.push(range.end);
        }
    }
    for len in 0..wasm.len() {
        match translate_and_verify(&wasm[..len]) {
            Ok(()) => assert!(
                boundaries.contains(&(len as u64)),
                "cut at {len} translated"
            ),
            Err(e) => assert!(matches!(e, TranslateError::Invalid { .. }), "{len}: {e:?}"),
        }
    }
}

#[test]
fn garbage_is_an_error() {
    for bytes in [
        &b""[..],
        b"\0asm",
        b"\0asm\x01\0\0\0\x01",
        b"not wasm at all",
        &[0xff; 64],
    ] {
        let e = translate(bytes, Features::default().into()).unwrap_err();
        assert!(matches!(e, TranslateError::Invalid { .. }), "{e:?}");
    }
}

#[test]
fn invalid_modules_report_wasmparsers_message_and_offset() {
    let wasm = parse_wat_or_wasm(b"(module (func (result i32) i64.const 1))").unwrap();
    match translate(&wasm, Features::default().into()) {
        Err(TranslateError::Invalid { message, offset }) => {
            assert!(message.contains("type mismatch"), "{message}");
            assert!(offset > 0 && (offset as usize) < wasm.len());
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn features_that_are_off_make_modules_invalid() {
    let multi_memory = parse_wat_or_wasm(b"(module (memory 1) (memory 1))").unwrap();
    let tail_call = parse_wat_or_wasm(b"(module (func $f (result i32) return_call $f))").unwrap();
    let extended =
        parse_wat_or_wasm(b"(module (global i32 (i32.add (i32.const 1) (i32.const 2))))").unwrap();
    for wasm in [&multi_memory, &tail_call, &extended] {
        assert!(translate(wasm, Features::default().into()).is_ok());
        let e = translate(wasm, Features::spec_2_0().into()).unwrap_err();
        assert!(matches!(e, TranslateError::Invalid { .. }), "{e:?}");
    }
    let mut no_bulk = Features::default();
    no_bulk.disable("bulk-memory").unwrap();
    let fill = parse_wat_or_wasm(
        b"(module (memory 1) (func i32.const 0 i32.const 0 i32.const 0 memory.fill))",
    )
    .unwrap();
    assert!(translate(&fill, no_bulk.into()).is_err());
}

#[test]
fn what_arenavm_lacks_is_unsupported() {
    let simd = parse_wat_or_wasm(
        b"(module (func (result i32) v128.const i64x2 1 2 i32x4.extract_lane 0))",
    )
    .unwrap();
    assert!(
        matches!(
            translate(&simd, Features::default().into()),
            Err(TranslateError::Invalid { .. })
        ),
        "SIMD is not in the default set"
    );
    let e = translate(&simd, Features::spec_2_0().into()).unwrap_err();
    assert!(
        matches!(&e, TranslateError::Unsupported { message, .. } if message == "V128Const (simd proposal)"),
        "{e:?}"
    );

    let mut features = Features::default();
    features.enable("memory64").unwrap();
    let memory64 = parse_wat_or_wasm(b"(module (memory i64 1))").unwrap();
    let e = translate(&memory64, features.into()).unwrap_err();
    assert!(matches!(e, TranslateError::Unsupported { .. }), "{e:?}");

    features.enable("threads").unwrap();
    let atomic =
        parse_wat_or_wasm(b"(module (memory 1) (func (result i32) i32.const 0 i32.atomic.load))")
            .unwrap();
    let e = translate(&atomic, features.into()).unwrap_err();
    assert!(matches!(e, TranslateError::Unsupported { .. }), "{e:?}");
}

#[test]
fn shared_memories_and_custom_page_sizes_are_unsupported() {
    let mut features = Features::default();
    features
        .enable("threads")
        .unwrap()
        .enable("custom-page-sizes")
        .unwrap();
    for wat in [
        "(module (memory 1 1 shared))",
        "(module (memory 0) (memory 1 2 shared))",
        r#"(module (import "m" "m" (memory 1 1 shared)))"#,
        "(module (memory 1 (pagesize 1)))",
        "(module (memory 0) (memory 1 (pagesize 1)))",
    ] {
        let wasm = parse_wat_or_wasm(wat.as_bytes()).unwrap();
        let e = translate(&wasm, features.into()).unwrap_err();
        assert!(
            matches!(e, TranslateError::Unsupported { .. }),
            "{wat}: {e:?}"
        );
    }
    // The same memories of 64 KiB pages, unshared, translate.
    let plain =
        parse_wat_or_wasm(b"(module (memory 0) (memory 1 2) (memory 1 (pagesize 65536)))").unwrap();
    assert!(translate(&plain, features.into()).is_ok());
}

#[test]
fn unsupported_operators_in_dead_code_are_skipped() {
    let mut features = Features::default();
    features.enable("threads").unwrap();
    let wasm = parse_wat_or_wasm(
        b"(module (memory 1) (func (result i32) i32.const 1 return i32.const 0 i32.atomic.load))",
    )
    .unwrap();
    translate(&wasm, features.into()).unwrap();
}

#[test]
fn too_many_registers_is_too_large() {
    // 50,000 locals (wasmparser's limit) plus 16,000 stack slots.
    let mut wat = String::from("(module (func (local");
    wat += &" i32".repeat(50_000);
    wat += ")";
    wat += &" i64.const 1 i64.const 1 i64.add".repeat(16_000);
    wat += &" drop".repeat(16_000);
    wat += "))";
    match try_program(&wat) {
        Err(TranslateError::TooLarge { message, .. }) => assert!(message.contains("registers")),
        other => panic!("{:?}", other.map(|p| p.functions.len())),
    }
}

#[test]
fn text_errors_come_from_wat() {
    let e = parse_wat_or_wasm(b"(module (func (result i32) i32.const))").unwrap_err();
    assert!(
        matches!(&e, TranslateError::Text { message } if message.contains("<anon>:1")),
        "{e}"
    );
    assert_eq!(
        parse_wat_or_wasm(&rich()).unwrap(),
        rich(),
        "binaries pass through"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// Overwriting, inserting or deleting bytes anywhere gives an error or
    /// a program that verifies; never a panic.
    #[test]
    fn corrupted_modules_never_panic(
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0..3u8), 1..6)
    ) {
        let mut wasm = rich();
        for (at, byte, kind) in edits {
            let i = at.index(wasm.len());
            match kind {
                0 => wasm[i] = byte,
                1 => wasm.insert(i, byte),
                _ => { wasm.remove(i); }
            }
        }
        let _ = translate_and_verify(&wasm);
    }

    /// The same under every named feature turned on.
    #[test]
    fn corrupted_modules_never_panic_with_every_feature(
        at in any::<prop::sample::Index>(), byte in any::<u8>()
    ) {
        let mut wasm = rich();
        let i = at.index(wasm.len());
        wasm[i] = byte;
        let mut features = Features::default();
        for name in Features::names() {
            features.enable(&name).unwrap();
        }
        if let Ok(program) = translate(&wasm, features.into()) {
            prop_assert!(arenavm_vm::verify(&program).is_ok());
        }
    }
}
