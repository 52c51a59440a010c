//! `arenavm run` and `arenavm check`, end to end through the real binary:
//! every program in `examples/` with results computed independently here,
//! each trap path, and each kind of invalid input (exit code 2, `error: ...`
//! on stderr, nothing on stdout, never a panic).

mod common;

use common::{
    arenavm, example, fails, lines, run_command, run_ok, scratch_program, stderr, stdout,
};
use std::path::Path;

/// [`run_ok`] on `examples/NAME`.
fn run_example(options: &[&str], name: &str, args: &[&str]) -> String {
    run_ok(options, &example(name), args)
}

/// The Fibonacci number F(n), for 0 <= n <= 92 (F(93) overflows i64).
fn fib(n: i64) -> i64 {
    let (mut a, mut b) = (0i128, 1i128);
    for _ in 0..n {
        (a, b) = (b, a + b);
    }
    i64::try_from(a).unwrap()
}

#[test]
fn fib_example_matches_the_iterative_definition() {
    assert_eq!(run_example(&[], "fib.ron", &["20"]), "6765\n");
    for n in [0, 1, 2, 3, 10, 21] {
        let text = n.to_string();
        assert_eq!(
            run_example(&[], "fib.ron", &[&text]),
            lines(&[fib(n)]),
            "n={n}"
        );
    }
    // Negative n is below 2, so returned as is.
    assert_eq!(run_example(&[], "fib.ron", &["-3"]), "-3\n");
}

#[test]
fn sum_memory_example_sums_the_squares_it_stored() {
    let sum_of_squares = |n: i64| (0..n).map(|i| i * i).sum::<i64>();
    for n in [0, 1, 2, 100, 8192] {
        let text = n.to_string();
        assert_eq!(
            run_example(&[], "sum_memory.ron", &[&text]),
            lines(&[sum_of_squares(n)]),
            "n={n}"
        );
    }
    assert_eq!(run_example(&[], "sum_memory.ron", &["100"]), "328350\n");
    // One page holds 8192 i64s; the next store is out of bounds.
    let err = fails(
        &["run", &example("sum_memory.ron"), "8193"],
        1,
        "trap: out of bounds in `fill` at instruction 8",
    );
    assert_eq!(err.lines().count(), 1, "{err}");
}

/// Primes below `n`, by trial division.
fn primes_below(n: u32) -> usize {
    (2..n)
        .filter(|&k| (2..k).take_while(|d| d * d <= k).all(|d| k % d != 0))
        .count()
}

#[test]
fn sieve_example_counts_primes() {
    for (n, known) in [(100, 25), (1000, 168), (10_000, 1229)] {
        assert_eq!(primes_below(n), known);
        let text = n.to_string();
        assert_eq!(
            run_example(&[], "sieve_memory.ron", &[&text]),
            lines(&[known])
        );
    }
    for n in [0, 1, 2, 3, 4, 5, 97, 98] {
        let text = n.to_string();
        assert_eq!(
            run_example(&[], "sieve_memory.ron", &[&text]),
            lines(&[primes_below(n)]),
            "n={n}"
        );
    }
}

#[test]
fn sieve_example_grows_its_memory_up_to_the_declared_maximum() {
    // 100000 bytes need a second page; 2^20 bytes need all 16.
    assert_eq!(run_example(&[], "sieve_memory.ron", &["100000"]), "9592\n");
    assert_eq!(
        run_example(&[], "sieve_memory.ron", &["1048576"]),
        "82025\n"
    );
    fails(
        &["run", &example("sieve_memory.ron"), "1048577"],
        1,
        "trap: out of bounds in `main`",
    );
}

/// Euclid's algorithm as the example runs it: |gcd| and the remainder
/// steps.
fn gcd_and_steps(mut a: i64, mut b: i64) -> (i64, i64) {
    let mut steps = 0;
    while b != 0 {
        (a, b) = (b, a % b);
        steps += 1;
    }
    (a.abs(), steps)
}

#[test]
fn gcd_tail_example_returns_the_gcd_and_its_step_count() {
    assert_eq!(
        run_example(&[], "gcd_tail.ron", &["1071", "462"]),
        "21\n3\n"
    );
    for (a, b) in [(0, 0), (5, 0), (0, 5), (-12, 18), (12, -18), (17, 5)] {
        let (gcd, steps) = gcd_and_steps(a, b);
        let args = [a.to_string(), b.to_string()];
        assert_eq!(
            run_example(&[], "gcd_tail.ron", &[&args[0], &args[1]]),
            lines(&[gcd, steps]),
            "gcd({a}, {b})"
        );
    }
}

#[test]
fn gcd_tail_calls_run_in_one_frame() {
    // Consecutive Fibonacci numbers are Euclid's worst case: 90 steps, in
    // the two frames of main and gcd.
    let (a, b) = (fib(92), fib(91));
    assert_eq!(gcd_and_steps(a, b), (1, 90));
    let args = [a.to_string(), b.to_string()];
    let out = run_example(
        &["--max-call-depth", "2"],
        "gcd_tail.ron",
        &[&args[0], &args[1]],
    );
    assert_eq!(out, "1\n90\n");
}

#[test]
fn traps_example_divides_or_traps_on_zero() {
    assert_eq!(run_example(&[], "traps.ron", &["7", "2"]), "3\n");
    assert_eq!(run_example(&[], "traps.ron", &["-7", "2"]), "-3\n");
    let err = fails(
        &["run", &example("traps.ron"), "7", "0"],
        1,
        "trap: integer divide by zero",
    );
    assert_eq!(
        err,
        "trap: integer divide by zero in `divide` at instruction 0\n"
    );
}

#[test]
fn every_trap_of_the_traps_example_names_its_kind_and_place() {
    let program = example("traps.ron");
    let cases: &[(&[&str], &[&str], &str)] = &[
        (
            &[],
            &["-2147483648", "-1"],
            "trap: integer overflow in `divide` at instruction 0",
        ),
        (
            &["--invoke", "load"],
            &["65533"],
            "trap: out of bounds in `load` at instruction 0",
        ),
        (
            &["--invoke", "load"],
            &["-1"],
            "trap: out of bounds in `load` at instruction 0",
        ),
        (
            &["--invoke", "truncate"],
            &["nan"],
            "trap: invalid conversion to integer in `truncate` at instruction 0",
        ),
        (
            &["--invoke", "truncate"],
            &["-inf"],
            "trap: integer overflow in `truncate` at instruction 0",
        ),
        (
            &["--invoke", "recurse"],
            &[],
            "trap: call stack exhausted in `recurse` at instruction 0",
        ),
        (
            &["--invoke", "spin", "--fuel", "1000"],
            &[],
            "trap: out of fuel in `spin` at instruction 1",
        ),
        (
            &["--invoke", "unreachable"],
            &[],
            "trap: unreachable in `unreachable` at instruction 0",
        ),
    ];
    for (options, args, expected) in cases {
        fails(&run_command(options, &program, args), 1, expected);
    }
    assert_eq!(
        run_example(&["--invoke", "load"], "traps.ron", &["65532"]),
        "0\n"
    );
    assert_eq!(
        run_example(&["--invoke", "truncate"], "traps.ron", &["-7.9"]),
        "-7\n"
    );
}

#[test]
fn float_results_print_in_shortest_round_trip_form() {
    let cases: &[(&str, &[&str], &str)] = &[
        ("main", &["3", "4"], "5.0\n"),
        ("main", &["1e200", "1e200"], "inf\n"),
        ("divide", &["1", "0"], "inf\n"),
        ("divide", &["-1", "0"], "-inf\n"),
        ("divide", &["0", "0"], "NaN\n"),
        ("divide", &["-1", "inf"], "-0.0\n"),
        ("divide", &["1", "3"], "0.3333333333333333\n"),
        ("minmax", &["2.5", "-1e300"], "-1e300\n2.5\n"),
        ("minmax", &["nan", "1"], "NaN\nNaN\n"),
        ("mean_f32", &["0.1", "0.2"], "0.15\n"),
        ("mean_f32", &["1", "2"], "1.5\n"),
    ];
    for (function, args, expected) in cases {
        let out = run_example(&["--invoke", function], "float_math.ron", args);
        assert_eq!(out, *expected, "{function}{args:?}");
    }
}

#[test]
fn fuel_counts_instructions_exactly() {
    // fib.ron with n = 1 runs six instructions: main's Call, fib's two
    // constants, its branch and Return, and main's Return.
    assert_eq!(run_example(&["--fuel", "6"], "fib.ron", &["1"]), "1\n");
    fails(
        &["run", "--fuel", "5", &example("fib.ron"), "1"],
        1,
        "trap: out of fuel in `main`",
    );
    fails(
        &["run", "--fuel", "10_000", &example("fib.ron"), "30"],
        1,
        "trap: out of fuel in `fib`",
    );
    fails(
        &["run", "--fuel", "0", &example("fib.ron"), "1"],
        1,
        "trap: out of fuel in `main` at instruction 0",
    );
}

#[test]
fn max_call_depth_bounds_the_frames_alive_at_once() {
    // fib(3) nests main -> fib(3) -> fib(2) -> fib(1): four frames.
    assert_eq!(
        run_example(&["--max-call-depth", "4"], "fib.ron", &["3"]),
        "2\n"
    );
    fails(
        &["run", "--max-call-depth", "3", &example("fib.ron"), "3"],
        1,
        "trap: call stack exhausted in `fib` at instruction 4",
    );
    fails(
        &["run", "--max-call-depth", "100", &example("fib.ron"), "200"],
        1,
        "trap: call stack exhausted",
    );
}

#[test]
fn bad_limits_are_usage_errors() {
    let fib = example("fib.ron");
    for (flag, value, range) in [
        ("--max-call-depth", "0", "whole number from 1 to"),
        ("--max-call-depth", "-1", "whole number from 1 to"),
        ("--fuel", "-1", "whole number from 0 to"),
        ("--fuel", "lots", "whole number from 0 to"),
    ] {
        let err = fails(&["run", flag, value, &fib, "1"], 2, "error: ");
        assert!(err.contains(flag) && err.contains(range), "{err}");
    }
}

#[test]
fn invalid_ron_reports_file_line_and_column() {
    let path = scratch_program(
        "invalid.ron",
        "(\n    functions: [\n        (name: \"f\", code: [Return(values: 0)],, ),\n    ],\n)\n",
    );
    let err = fails(&["run", &path], 2, "error: ");
    assert!(err.starts_with(&format!("error: {path}:3:")), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    let err = fails(&["check", &path], 2, "error: ");
    assert!(err.starts_with(&format!("error: {path}:3:")), "{err}");
}

#[test]
fn unknown_instructions_are_ron_errors_too() {
    let path = scratch_program(
        "unknown_instruction.ron",
        "(functions: [(name: \"main\", code: [\n  Frobnicate(dst: 0),\n])])",
    );
    let err = fails(&["run", &path], 2, &format!("error: {path}:2:"));
    assert!(err.contains("Frobnicate"), "{err}");
}

/// A program whose function `bad` adds an i32 register as an i64.
const ILL_TYPED: &str = r#"(functions: [
    (name: "main", results: [I64], scalars: [I64], lists: [[0]],
     code: [I64Const(dst: 0, value: 1), Return(values: 0)]),
    (name: "bad", results: [I64], scalars: [I64, I32], lists: [[0]],
     code: [
        Label(name: "start"),
        I64Const(dst: 0, value: 1),
        I64Add(dst: 0, a: 0, b: 1),
        Return(values: 0),
     ]),
])"#;

#[test]
fn verification_errors_name_function_instruction_and_rule() {
    let path = scratch_program("ill_typed.ron", ILL_TYPED);
    for command in ["run", "check"] {
        let err = fails(&[command, &path], 2, "error: ");
        for needle in [
            path.as_str(),
            "function `bad` (#1)",
            "instruction 2",
            "I64Add reads operand `b` as I64, but scalar register 1 is I32",
        ] {
            assert!(
                err.contains(needle),
                "{command}: {needle:?} missing from {err}"
            );
        }
    }
}

#[test]
fn unreadable_files_are_errors() {
    let missing = example("no_such_program.ron");
    let err = fails(&["run", &missing], 2, "error: cannot read ");
    assert!(err.contains("no_such_program.ron"), "{err}");
    fails(&["check", &missing], 2, "error: cannot read ");
    let directory = example("");
    fails(&["check", &directory], 2, "error: cannot read ");
}

#[test]
fn unknown_function_names_list_the_defined_ones() {
    let fib = example("fib.ron");
    let err = fails(&["run", "--invoke", "fibonacci", &fib, "3"], 2, "error: ");
    assert!(err.contains("no function named `fibonacci`"), "{err}");
    assert!(err.contains("`main`, `fib`"), "{err}");
    // Without --invoke, `main` is required, and the error says how to pick
    // another function.
    let path = scratch_program(
        "no_main.ron",
        r#"(functions: [(name: "start", code: [Return(values: 0)], lists: [[]])])"#,
    );
    let err = fails(&["run", &path], 2, "error: ");
    assert!(err.contains("no function named `main`"), "{err}");
    assert!(err.contains("--invoke"), "{err}");
    assert_eq!(run_ok(&["--invoke", "start"], &path, &[]), "");
}

#[test]
fn wrong_argument_counts_state_the_signature() {
    let fib = example("fib.ron");
    let err = fails(&["run", &fib], 2, "error: ");
    assert_eq!(err, "error: `main(i64) -> i64` takes 1 argument, 0 given\n");
    let err = fails(&["run", &fib, "1", "2"], 2, "error: ");
    assert_eq!(err, "error: `main(i64) -> i64` takes 1 argument, 2 given\n");
    // An option after the program is an argument of the function; the
    // error says where options go.
    let err = fails(&["run", &fib, "1", "--fuel", "9"], 2, "error: ");
    assert!(
        err.contains("3 given; options go before the program file"),
        "{err}"
    );
}

#[test]
fn malformed_arguments_name_their_position_type_and_form() {
    let cases: &[(&str, &[&str], &str)] = &[
        (
            "fib.ron",
            &["ten"],
            "error: argument 1 of `main(i64) -> i64`: `ten` is not an i64 (a whole number from -9223372036854775808 to 9223372036854775807)",
        ),
        ("fib.ron", &["1.0"], "`1.0` is not an i64"),
        ("fib.ron", &["9223372036854775808"], "is not an i64"),
        (
            "sieve_memory.ron",
            &["2147483648"],
            "`2147483648` is not an i32 (a whole number from -2147483648 to 2147483647)",
        ),
        (
            "float_math.ron",
            &["1", "x"],
            "argument 2 of `main(f64, f64) -> f64`: `x` is not an f64",
        ),
    ];
    for (name, args, needle) in cases {
        let program = example(name);
        let mut full = vec!["run", &program];
        full.extend_from_slice(args);
        let err = fails(&full, 2, "error: argument ");
        assert!(err.contains(needle), "{needle:?} missing from {err}");
    }
}

#[test]
fn cells_and_funcrefs_cannot_be_given_on_the_command_line() {
    let path = scratch_program(
        "reference_params.ron",
        r#"(functions: [
            (name: "takes_cell", params: [I32, Cell(Bytes)], scalars: [I32],
             cells: [Bytes], lists: [[]], code: [Return(values: 0)]),
            (name: "takes_funcref", params: [FuncRef], scalars: [FuncRef],
             lists: [[]], code: [Return(values: 0)]),
            (name: "returns_cell", results: [Cell(Bytes)], cells: [Bytes],
             lists: [[0]], code: [Return(values: 0)]),
        ])"#,
    );
    let err = fails(
        &["run", "--invoke", "takes_cell", &path, "1", "2"],
        2,
        "error: ",
    );
    assert!(
        err.contains("parameter 2 of `takes_cell(i32, cell<bytes>)` is a cell<bytes>, which cannot be given on the command line"),
        "{err}"
    );
    let err = fails(
        &["run", "--invoke", "takes_funcref", &path, "0"],
        2,
        "error: ",
    );
    assert!(err.contains("is a funcref, which cannot be given"), "{err}");
    let err = fails(&["run", "--invoke", "returns_cell", &path], 2, "error: ");
    assert!(
        err.contains("returns a cell<bytes>, which cannot be printed"),
        "{err}"
    );
}

#[test]
fn check_lists_the_signatures_of_a_valid_program() {
    let output = arenavm(&["check", &example("gcd_tail.ron")]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.starts_with("ok: ")
            && text.contains("gcd_tail.ron: 2 functions, 0 memories, 1 global\n"),
        "{text}"
    );
    assert!(
        text.ends_with("  main(i64, i64) -> (i64, i64)\n  gcd(i64, i64) -> i64\n"),
        "{text}"
    );
}

#[test]
fn every_example_checks() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|ext| ext == "ron") {
            let output = arenavm(&["check", path.to_str().unwrap()]);
            assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
            assert!(stdout(&output).starts_with("ok: "));
            checked += 1;
        }
    }
    assert!(checked >= 5, "only {checked} examples");
}

#[test]
fn help_describes_run_and_check() {
    let output = arenavm(&["--help"]);
    assert_eq!(output.status.code(), Some(0));
    for command in ["run", "check", "stress", "translate", "wast"] {
        assert!(stdout(&output).contains(command), "{command} missing");
    }
    let output = arenavm(&["run", "--help"]);
    assert_eq!(output.status.code(), Some(0));
    for needle in [
        "<PROGRAM> [ARG]...",
        "--spec <VERSION>",
        "--enable <FEATURE>",
        "--invoke",
        "--fuel",
        "--max-call-depth",
        "[default: main]",
        "[default: 10000]",
    ] {
        assert!(stdout(&output).contains(needle), "{needle} missing");
    }
    let output = arenavm(&["check"]);
    assert_eq!(output.status.code(), Some(2), "the program is required");
}
