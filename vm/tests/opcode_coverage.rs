//! Every pure opcode of the instruction table (`vm/src/isa/table.rs`) and
//! every scalar, control, call, reference, table, segment, global and
//! memory opcode is exercised by at least one test of this suite through
//! the interpreter.
//!
//! The check is textual: the table's `pure` section is parsed for opcode
//! names, and each must be used by a test file, either as the argument of
//! one of the constructor macros (`bin!(I32Add)`, `un!(..)`, `br!(..)`,
//! `st!(..)`, `ld!(..)`), as `Instr::Name {`, or as the first of a pair
//! `(NameImm, Name)` in `immediates.rs`.

const TABLE: &str = include_str!("../src/isa/table.rs");

const TESTS: [(&str, &str); 25] = [
    ("immediates.rs", include_str!("immediates.rs")),
    ("numeric_int/main.rs", include_str!("numeric_int/main.rs")),
    (
        "numeric_int/arithmetic.rs",
        include_str!("numeric_int/arithmetic.rs"),
    ),
    ("numeric_int/bits.rs", include_str!("numeric_int/bits.rs")),
    (
        "numeric_int/comparisons.rs",
        include_str!("numeric_int/comparisons.rs"),
    ),
    ("numeric_float.rs", include_str!("numeric_float.rs")),
    ("numeric_convert.rs", include_str!("numeric_convert.rs")),
    ("control.rs", include_str!("control.rs")),
    ("calls/main.rs", include_str!("calls/main.rs")),
    ("calls/direct.rs", include_str!("calls/direct.rs")),
    ("calls/tail_calls.rs", include_str!("calls/tail_calls.rs")),
    ("calls/fuel.rs", include_str!("calls/fuel.rs")),
    (
        "calls/traps_and_globals.rs",
        include_str!("calls/traps_and_globals.rs"),
    ),
    ("memory.rs", include_str!("memory.rs")),
    ("moves.rs", include_str!("moves.rs")),
    ("tables_and_host.rs", include_str!("tables_and_host.rs")),
    ("store/main.rs", include_str!("store/main.rs")),
    ("store/linking.rs", include_str!("store/linking.rs")),
    ("store/host.rs", include_str!("store/host.rs")),
    (
        "store/instantiation.rs",
        include_str!("store/instantiation.rs"),
    ),
    ("store/tail_calls.rs", include_str!("store/tail_calls.rs")),
    ("segments/main.rs", include_str!("segments/main.rs")),
    ("segments/edges.rs", include_str!("segments/edges.rs")),
    (
        "segments/references.rs",
        include_str!("segments/references.rs"),
    ),
    ("segments/model.rs", include_str!("segments/model.rs")),
];

/// The opcode names declared in one section (`pure {`, `inline {` or
/// `out_of_line {`) of
/// the table: lines that start with a capitalised name and a `(`.
fn section(header: &str) -> Vec<&'static str> {
    let start = TABLE.find(header).expect("section header") + header.len();
    let mut depth = 1;
    let mut end = start;
    for (i, c) in TABLE[start..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    end = start + i;
                    break;
                }
            }
            _ => {}
        }
    }
    TABLE[start..end]
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with(|c: char| c.is_ascii_uppercase()))
        .filter_map(|l| l.split('(').next())
        .filter(|name| name.chars().all(|c| c.is_ascii_alphanumeric()))
        .collect()
}

/// Whether some test uses opcode `name` in an interpreted program.
fn exercised(name: &str) -> bool {
    let uses = [
        format!("!({name})"),
        format!("!({name},"),
        format!("Instr::{name} {{"),
        // A pair in the differential tables of `immediates.rs`.
        format!("({name}, "),
    ];
    TESTS
        .iter()
        .any(|(_, text)| uses.iter().any(|u| text.contains(u.as_str())))
}

#[test]
fn every_pure_opcode_is_exercised() {
    let pure = section("pure {");
    assert!(pure.len() > 150, "parsed only {} pure opcodes", pure.len());
    let missing: Vec<_> = pure.iter().filter(|n| !exercised(n)).collect();
    assert!(
        missing.is_empty(),
        "pure opcodes without a test: {missing:?}"
    );
}

#[test]
fn every_scalar_control_call_reference_table_global_and_memory_opcode_is_exercised() {
    const KNOWN: &[&str] = &[
        "I32Const",
        "I64Const",
        "F32Const",
        "F64Const",
        "Copy",
        "Select",
        "Label",
        "Jump",
        "BrIf",
        "BrIfNot",
        "BrTable",
        "Unreachable",
        "Return",
        "Call",
        "ReturnCall",
        "CallIndirect",
        "ReturnCallIndirect",
        "CallImport",
        "RefFunc",
        "RefImport",
        "RefNull",
        "RefIsNull",
        "TableGet",
        "TableSet",
        "TableSize",
        "TableGrow",
        "TableFill",
        "TableCopy",
        "TableInit",
        "ElemDrop",
        "GlobalGet",
        "GlobalSet",
        "I32Load",
        "I64Load",
        "F32Load",
        "F64Load",
        "I32Load8S",
        "I32Load8U",
        "I32Load16S",
        "I32Load16U",
        "I64Load8S",
        "I64Load8U",
        "I64Load16S",
        "I64Load16U",
        "I64Load32S",
        "I64Load32U",
        "I32Store",
        "I64Store",
        "F32Store",
        "F64Store",
        "I32Store8",
        "I32Store16",
        "I64Store8",
        "I64Store16",
        "I64Store32",
        "MemorySize",
        "MemoryGrow",
        "MemoryFill",
        "MemoryCopy",
        "MemoryInit",
        "DataDrop",
    ];
    let custom = [section("inline {"), section("out_of_line {")].concat();
    for name in KNOWN {
        assert!(custom.contains(name), "{name} is no longer in the table");
    }
    // `Label` and `Return` are emitted by the builder's `bind` and `ret`.
    let missing: Vec<_> = KNOWN
        .iter()
        .filter(|n| !matches!(**n, "Label" | "Return" | "Call"))
        .filter(|n| !exercised(n))
        .collect();
    assert!(missing.is_empty(), "opcodes without a test: {missing:?}");
}
