//! `arenavm stress`, end to end: the engine through the library API at
//! several generation widths, and the real binary's JSON, human output and
//! command-line errors. The negative control (a sweep that is not given the
//! stale sample as roots, so stale Cells are accepted) lives with the
//! engine's unit tests, because that mode is deliberately not public.

mod common;

use std::num::{NonZeroU32, NonZeroU64};

use arenavm_arenas::GenBits;
use arenavm_compiler::stress::{self, StressConfig, StressReport};
use common::{arenavm, stderr, stdout};
use serde_json::Value;

fn engine(gen_bits: u8, sweep_every: Option<u64>) -> StressReport {
    let config = StressConfig {
        gen_bits: GenBits::new(gen_bits).unwrap(),
        // Enough for every object to pass 2^12 - 1 reuses at gen-bits 12.
        cycles: 30_000,
        slots: NonZeroU32::new(6).unwrap(),
        sweep_every: sweep_every.and_then(NonZeroU64::new),
        seed: 1,
    };
    let mut last_progress = 0;
    let report = stress::run(&config, |done| {
        assert!(done >= last_progress && done <= config.cycles);
        last_progress = done;
    })
    .unwrap();
    assert_eq!(last_progress, config.cycles, "progress ends at the total");
    report
}

#[test]
fn engine_without_sweeps_retires_and_refuses_every_stale_cell() {
    for bits in [1, 4, 12] {
        let report = engine(bits, None);
        assert_eq!(report.cycles, 30_000);
        assert!(report.retired > 0, "gen-bits {bits}: {report:?}");
        assert_eq!(report.reclaimed, 0, "gen-bits {bits}: {report:?}");
        assert_eq!(report.sweeps, 0);
        assert!(report.stale_probes > 0, "gen-bits {bits}: {report:?}");
        assert_eq!(report.stale_accepted, 0, "gen-bits {bits}: {report:?}");
        assert_eq!(report.stale_rejected, report.stale_probes);
    }
}

#[test]
fn engine_with_sweeps_reclaims_and_refuses_every_stale_cell() {
    for bits in [1, 4, 12] {
        let report = engine(bits, Some(1_000));
        assert!(report.retired > 0, "gen-bits {bits}: {report:?}");
        assert!(report.reclaimed > 0, "gen-bits {bits}: {report:?}");
        assert!(report.reclaimed <= report.retired);
        assert_eq!(report.sweeps, 30);
        assert!(report.stale_probes > 0, "gen-bits {bits}: {report:?}");
        assert_eq!(report.stale_accepted, 0, "gen-bits {bits}: {report:?}");
        assert!(report.passed());
    }
}

fn json_run(extra: &[&str]) -> serde_json::Map<String, Value> {
    let mut args = vec!["stress", "--json"];
    args.extend_from_slice(extra);
    let output = arenavm(&args);
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    assert_eq!(stderr(&output), "", "--json draws no progress bar");
    let text = stdout(&output);
    assert_eq!(
        text.lines().count(),
        1,
        "one JSON object on one line: {text}"
    );
    match serde_json::from_str(text).unwrap() {
        Value::Object(map) => map,
        other => panic!("expected a JSON object, got {other}"),
    }
}

fn count(summary: &serde_json::Map<String, Value>, field: &str) -> u64 {
    summary[field]
        .as_u64()
        .unwrap_or_else(|| panic!("{field} is not a count: {summary:?}"))
}

#[test]
fn json_summary_has_the_documented_fields() {
    let summary = json_run(&[
        "--gen-bits",
        "4",
        "--cycles",
        "200_000",
        "--slots",
        "16",
        "--sweep-every",
        "10000",
    ]);
    assert_eq!(count(&summary, "cycles"), 200_000);
    assert!(count(&summary, "retired") > 0);
    assert!(count(&summary, "reclaimed") > 0);
    assert!(count(&summary, "stale_probes") > 0);
    assert_eq!(count(&summary, "stale_accepted"), 0);
    assert_eq!(
        count(&summary, "stale_rejected"),
        count(&summary, "stale_probes")
    );
    assert_eq!(count(&summary, "gen_bits"), 4);
    assert_eq!(count(&summary, "sweeps"), 20);
    assert!(summary["cycles_per_sec"].as_f64().unwrap() > 0.0);
    let rss = &summary["peak_rss_bytes"];
    if std::path::Path::new("/proc/self/status").exists() {
        assert!(rss.as_u64().unwrap() > 0, "peak RSS: {rss}");
    } else {
        assert!(rss.is_null());
    }
}

#[test]
fn json_without_sweeps_reclaims_nothing() {
    let summary = json_run(&["--gen-bits", "1", "--cycles", "20000", "--slots", "4"]);
    assert_eq!(count(&summary, "retired"), 20_000);
    assert_eq!(count(&summary, "reclaimed"), 0);
    assert!(summary["sweep_every"].is_null());
    assert_eq!(count(&summary, "stale_accepted"), 0);
}

#[test]
fn same_seed_same_counts_from_the_binary() {
    let args = [
        "--gen-bits",
        "3",
        "--cycles",
        "50000",
        "--sweep-every",
        "777",
        "--seed",
        "99",
    ];
    let timing = ["elapsed_secs", "cycles_per_sec", "peak_rss_bytes"];
    let [mut first, mut second] = [json_run(&args), json_run(&args)];
    for field in timing {
        first.remove(field);
        second.remove(field);
    }
    assert_eq!(first, second);
}

#[test]
fn human_summary_reports_every_figure() {
    let output = arenavm(&[
        "stress",
        "--gen-bits",
        "12",
        "--cycles",
        "30000",
        "--slots",
        "3",
        "--sweep-every",
        "5000",
    ]);
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    let text = stdout(&output);
    for label in [
        "gen-bits 12",
        "cycles            30,000",
        "cycles/s",
        "retirements",
        "reclaimed slots",
        "in 6 sweeps",
        "stale probes",
        " 0 accepted",
        "peak memory",
        "ok: every stale Cell was refused",
    ] {
        assert!(text.contains(label), "{label:?} missing from\n{text}");
    }
    assert_eq!(stderr(&output), "", "no progress bar when stderr is a pipe");
}

#[test]
fn bad_arguments_are_usage_errors_naming_the_argument_and_range() {
    let cases: &[(&[&str], &str, &str)] = &[
        (&["--gen-bits", "0"], "--gen-bits", "from 1 to 24"),
        (&["--gen-bits", "25"], "--gen-bits", "from 1 to 24"),
        (&["--slots", "0"], "--slots", "from 1 to 1048576"),
        (&["--cycles", "lots"], "--cycles", "whole number from 0 to"),
        (&["--cycles", "-5"], "--cycles", "whole number from 0 to"),
        (
            &["--sweep-every", "0"],
            "--sweep-every",
            "whole number from 1 to",
        ),
        (&["--seed", "0x10"], "--seed", "whole number from 0 to"),
    ];
    for (args, name, range) in cases {
        let mut full = vec!["stress"];
        full.extend_from_slice(args);
        let output = arenavm(&full);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.starts_with("error: "), "{args:?}: {err}");
        assert!(err.contains(name) && err.contains(range), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(output.stdout.is_empty());
    }
}

#[test]
fn unknown_flags_and_missing_subcommand_are_usage_errors() {
    for args in [&["stress", "--frobnicate"][..], &[][..], &["nonsense"][..]] {
        let output = arenavm(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(!stderr(&output).contains("panicked"));
    }
}

#[test]
fn help_lists_the_subcommand_and_its_flags() {
    let output = arenavm(&["--help"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("stress"));
    let output = arenavm(&["stress", "--help"]);
    assert_eq!(output.status.code(), Some(0));
    for flag in [
        "--gen-bits",
        "--cycles",
        "--slots",
        "--sweep-every",
        "--json",
        "--seed",
    ] {
        assert!(stdout(&output).contains(flag), "{flag} missing");
    }
}
