//! `arenavm run` on WebAssembly modules, `arenavm translate` and
//! `arenavm wast`, end to end through the real binary: results, traps
//! (exit 1), and every kind of bad input (exit 2, `error: ...`, never a
//! panic).

mod common;

use common::{arenavm, fails, run_ok, scratch_file, scratch_program, stderr, stdout};

/// A module with one export per case the tests run.
const MODULE: &str = r#"(module
  (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func (export "neg") (param i64) (result i64) i64.const 0 local.get 0 i64.sub)
  (func (export "pair") (param f64) (result f64 i32)
    local.get 0 f64.const 0.5 f64.mul i32.const -1)
  (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)
  (func (export "spin") (loop br 0))
  (func $rec (export "rec") (param i32) (result i32) local.get 0 call $rec)
  (func (export "main") (result i32) i32.const 7)
  (memory (export "mem") 1))"#;

fn wat_file(name: &str) -> String {
    scratch_program(name, MODULE)
}

fn wasm_file(name: &str) -> String {
    scratch_file(name, &wat::parse_str(MODULE).unwrap())
}

#[test]
fn run_prints_results_one_per_line_for_text_and_binary_modules() {
    for path in [wat_file("m.wat"), wasm_file("m.wasm"), wasm_file("m.bin")] {
        assert_eq!(run_ok(&["--invoke", "add"], &path, &["2", "40"]), "42\n");
        assert_eq!(
            run_ok(&["--invoke", "add"], &path, &["-1", "-2147483648"]),
            "2147483647\n"
        );
        assert_eq!(
            run_ok(&["--invoke", "neg"], &path, &["-9223372036854775807"]),
            "9223372036854775807\n"
        );
        assert_eq!(run_ok(&["--invoke", "pair"], &path, &["3"]), "1.5\n-1\n");
        assert_eq!(run_ok(&[], &path, &[]), "7\n", "main by default");
    }
}

#[test]
fn traps_exit_1_with_their_kind() {
    let path = wat_file("traps.wat");
    fails(
        &["run", "--invoke", "div", &path, "1", "0"],
        1,
        "trap: integer divide by zero",
    );
    fails(
        &["run", "--fuel", "10000", "--invoke", "spin", &path],
        1,
        "trap: out of fuel",
    );
    fails(
        &[
            "run",
            "--max-call-depth",
            "64",
            "--invoke",
            "rec",
            &path,
            "0",
        ],
        1,
        "trap: call stack exhausted",
    );
    let start = scratch_program(
        "start.wat",
        r#"(module (func $s unreachable) (start $s) (func (export "main")))"#,
    );
    fails(&["run", &start], 1, "trap: unreachable");
}

#[test]
fn bad_invocations_exit_2_naming_what_is_wrong() {
    let path = wat_file("bad_args.wat");
    let err = fails(&["run", "--invoke", "nope", &path], 2, "error: ");
    assert!(err.contains("exports no function named `nope`"), "{err}");
    assert!(err.contains("`add`, `neg`"), "{err}");
    let err = fails(&["run", "--invoke", "add", &path, "1"], 2, "error: ");
    assert!(
        err.contains("`add(i32, i32) -> i32` takes 2 arguments, 1 given"),
        "{err}"
    );
    let err = fails(&["run", "--invoke", "add", &path, "1", "x"], 2, "error: ");
    assert!(
        err.contains("argument 2 of `add(i32, i32) -> i32`: `x` is not an i32"),
        "{err}"
    );
    let err = fails(&["run", "--invoke", "mem", &path], 2, "error: ");
    assert!(err.contains("exports no function named `mem`"), "{err}");
}

#[test]
fn bad_modules_exit_2_and_never_panic() {
    let good = wat::parse_str(MODULE).unwrap();
    let truncated = scratch_file("truncated.wasm", &good[..good.len() / 2]);
    let err = fails(&["run", &truncated], 2, "error: ");
    assert!(
        err.contains("truncated.wasm: invalid module at byte 0x"),
        "{err}"
    );
    let mut corrupted = good.clone();
    corrupted[4] = 2; // the binary version
    let corrupted = scratch_file("corrupted.wasm", &corrupted);
    let err = fails(&["run", &corrupted], 2, "error: ");
    assert!(err.contains("invalid module at byte 0x4"), "{err}");
    let text = scratch_program("broken.wat", "(module (func");
    fails(&["run", &text], 2, "error: ");
    let import = scratch_program(
        "import.wat",
        r#"(module (import "env" "f" (func)) (func (export "main")))"#,
    );
    let err = fails(&["run", &import], 2, "error: ");
    assert!(err.contains("unknown import env.f"), "{err}");
    fails(&["run", "/nonexistent/m.wasm"], 2, "error: cannot read");
    for cut in (0..good.len()).step_by(7) {
        let path = scratch_file("cut.wasm", &good[..cut]);
        let output = arenavm(&["run", &path]);
        assert!(matches!(output.status.code(), Some(0 | 2)), "cut at {cut}");
        assert!(!stderr(&output).contains("panicked"), "cut at {cut}");
    }
}

#[test]
fn features_are_chosen_on_the_command_line() {
    let multi = scratch_program(
        "multi.wat",
        r#"(module (memory 1) (memory 1) (func (export "main") (result i32) i32.const 1))"#,
    );
    assert_eq!(run_ok(&[], &multi, &[]), "1\n");
    let err = fails(&["run", "--spec", "2.0", &multi], 2, "error: ");
    assert!(err.contains("multiple memories"), "{err}");
    assert_eq!(
        run_ok(&["--spec", "2.0", "--enable", "multi-memory"], &multi, &[]),
        "1\n"
    );
    fails(&["run", "--disable", "multi-memory", &multi], 2, "error: ");
    let output = arenavm(&["run", "--enable", "multi_memory", &multi]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("unknown WebAssembly feature `multi_memory`"));
    assert_eq!(
        arenavm(&["run", "--spec", "1.0", &multi]).status.code(),
        Some(2)
    );
}

#[test]
fn translate_prints_a_program_that_check_accepts() {
    let output = arenavm(&["translate", &wat_file("translate.wat")]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let ron = stdout(&output);
    assert!(ron.contains("exports: ["), "{ron}");
    let program = scratch_program("translated.ron", ron);
    let output = arenavm(&["check", &program]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("7 functions, 1 memory"),
        "{}",
        stdout(&output)
    );
    let truncated = scratch_file("translate_cut.wasm", b"\0asm\x01\0\0\0\x01\x05");
    fails(&["translate", &truncated], 2, "error: ");
    let multi = scratch_program("translate_multi.wat", "(module (memory 1) (memory 1))");
    fails(&["translate", "--spec", "2.0", &multi], 2, "error: ");
}

#[test]
fn wast_counts_checks_per_file_and_in_total() {
    let good = scratch_program(
        "good.wast",
        r#"(module (func (export "f") (param i32) (result i32) local.get 0))
           (assert_return (invoke "f" (i32.const 3)) (i32.const 3))
           (assert_trap (module (func $s unreachable) (start $s)) "unreachable")"#,
    );
    let output = arenavm(&["wast", &good]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(out.contains("good.wast: 3 passed, 0 failed\n"), "{out}");
    assert!(out.ends_with("\n3 passed, 0 failed\n"), "{out}");

    let bad = scratch_program(
        "bad.wast",
        "(module (func (export \"f\") (result i32) i32.const 1))\n\
         (assert_return (invoke \"f\") (i32.const 2))\n",
    );
    let output = arenavm(&["wast", &good, &bad]);
    assert_eq!(output.status.code(), Some(1));
    let out = stdout(&output);
    assert!(out.contains("bad.wast: 1 passed, 1 failed\n"), "{out}");
    assert!(
        out.contains("bad.wast:2:2: assert_return: result 0: expected i32 2, got i32 1"),
        "{out}"
    );
    assert!(out.ends_with("\n4 passed, 1 failed\n"), "{out}");

    let multi = scratch_program("multi.wast", "(module (memory 1) (memory 1))");
    assert_eq!(arenavm(&["wast", &multi]).status.code(), Some(0));
    let output = arenavm(&["wast", "--spec", "2.0", &multi]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("multiple memories"));
}

#[test]
fn wast_refuses_unreadable_and_unparsable_scripts_with_exit_2() {
    let broken = scratch_program("broken.wast", "(module");
    let output = arenavm(&["wast", &broken]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).starts_with("error: "),
        "{}",
        stderr(&output)
    );
    assert!(stdout(&output).ends_with("0 passed, 0 failed\n"));
    let output = arenavm(&["wast", "/nonexistent.wast"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).starts_with("error: cannot read"));
    assert_eq!(
        arenavm(&["wast"]).status.code(),
        Some(2),
        "a file is required"
    );
}
