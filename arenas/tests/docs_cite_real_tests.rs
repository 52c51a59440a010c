//! Every test that `docs/mep-41/` names as enforcing a claim must exist:
//! renaming or deleting a test without updating the claim fails here.

use std::path::{Path, PathBuf};

/// Where the cited tests live: a path's first segment picks the folder.
const TEST_HOMES: &[(&str, &str)] = &[
    ("cell", "arenas/src"),
    ("slab", "arenas/src"),
    ("heap", "arenas/src"),
    ("objects", "arenas/src"),
    ("generations", "arenas/tests"),
    ("slices", "arenas/tests"),
    ("bulk_copy", "arenas/tests"),
    ("model", "arenas/tests"),
    ("stress", "compiler/src"),
    ("isa", "vm/src"),
    ("stack", "vm/src"),
    ("verify", "vm/src"),
    ("arena_ops", "vm/tests"),
    ("tables_and_host", "vm/tests"),
    ("store", "vm/tests"),
    ("segments", "vm/tests"),
    ("calls", "vm/tests"),
    ("control", "vm/tests"),
    ("memory", "vm/tests"),
    ("verifier", "vm/tests"),
    ("never_panics", "vm/tests"),
    ("arena_never_panics", "vm/tests"),
    ("opcode_coverage", "vm/tests"),
    ("numeric_int", "vm/tests"),
    ("numeric_float", "vm/tests"),
    ("numeric_convert", "vm/tests"),
    ("run_cli", "compiler/tests"),
    ("multi_memory", "compiler/tests"),
    ("embed", "compiler/tests"),
    ("wasm_translate", "compiler/tests"),
    ("spec", "compiler/tests"),
];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn rust_sources(dir: &Path, out: &mut String) {
    for entry in std::fs::read_dir(dir).unwrap().map(Result::unwrap) {
        let path = entry.path();
        if path.is_dir() {
            rust_sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push_str(&std::fs::read_to_string(&path).unwrap());
        }
    }
}

/// Backticked `first::...::name` spans whose first segment is a test home.
fn cited_tests(doc: &str) -> Vec<(String, String)> {
    doc.split('`')
        .skip(1)
        .step_by(2)
        .filter(|span| {
            span.contains("::")
                && span
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_:*".contains(c))
        })
        .filter_map(|span| {
            let first = span.split("::").next()?;
            let (_, home) = TEST_HOMES.iter().find(|(name, _)| *name == first)?;
            let last = span.rsplit("::").next()?;
            Some((home.to_string(), last.to_string()))
        })
        .collect()
}

#[test]
fn every_test_cited_in_mep_41_exists() {
    let root = workspace();
    let mut checked = 0;
    for doc in std::fs::read_dir(root.join("docs/mep-41"))
        .unwrap()
        .map(Result::unwrap)
    {
        let text = std::fs::read_to_string(doc.path()).unwrap();
        for (home, name) in cited_tests(&text) {
            let mut sources = String::new();
            rust_sources(&root.join(&home), &mut sources);
            let found = match name.strip_suffix('*') {
                Some("") => true, // `module::*`: the whole module
                Some(prefix) => sources.contains(&format!("fn {prefix}")),
                None => sources.contains(&format!("fn {name}(")),
            };
            assert!(
                found,
                "{} cites `{name}`, which is not a test in {home}/",
                doc.path().display()
            );
            checked += 1;
        }
    }
    assert!(
        checked >= 30,
        "only {checked} citations found: is the parser still reading the docs?"
    );
}
