//! Verified programs cannot break the interpreter with their Cells: random
//! well-typed sequences of arena instructions (allocations, frees, reads and
//! writes, slices, bulk copies, map operations, including use after free,
//! double free and out-of-range indices) either return or trap, never panic.

use arenavm_vm::arenas::ArenaTag;
use arenavm_vm::builder::{FunctionBuilder, ProgramBuilder};
use arenavm_vm::exec::{ExecConfig, Instance, InvokeError, TrapKind};
use arenavm_vm::isa::{Instr, Label, Reg};
use arenavm_vm::types::{ScalarType, Type};
use arenavm_vm::verify;
use proptest::prelude::*;

/// The registers every generated function declares.
struct Regs {
    /// i64 registers, used as indices, lengths and values.
    ints: Vec<Reg>,
    i32s: Vec<Reg>,
    float: Reg,
    cells: Vec<(ArenaTag, Reg)>,
    slices: Vec<(ArenaTag, Reg)>,
}

const ARENAS: [ArenaTag; 7] = [
    ArenaTag::Bytes,
    ArenaTag::Str,
    ArenaTag::List,
    ArenaTag::I64Array,
    ArenaTag::F64Array,
    ArenaTag::U8Array,
    ArenaTag::Map,
];

fn declare(f: &mut FunctionBuilder) -> Regs {
    let ints = (0..4).map(|_| f.scalar(ScalarType::I64)).collect();
    let i32s = (0..2).map(|_| f.scalar(ScalarType::I32)).collect();
    let float = f.scalar(ScalarType::F64);
    // Two Cell registers per arena, so copies and frees mix objects.
    let cells = ARENAS
        .iter()
        .flat_map(|&a| [(a, f.cell(a)), (a, f.cell(a))])
        .collect();
    let slices = ARENAS[..6].iter().map(|&a| (a, f.slice(a))).collect();
    Regs {
        ints,
        i32s,
        float,
        cells,
        slices,
    }
}

/// Values for index and length registers: mostly in range, sometimes an edge.
const INTS: [i64; 10] = [0, 1, 2, 3, 0, 1, 2, -1, i64::MAX, 1 << 33];

/// One step, as chosen by proptest: an opcode template and operand picks.
#[derive(Clone, Debug)]
struct Step {
    op: u8,
    a: usize,
    b: usize,
    c: usize,
    value: usize,
}

fn step() -> impl Strategy<Value = Step> {
    (
        0u8..40,
        0usize..16,
        0usize..16,
        0usize..16,
        0usize..INTS.len(),
    )
        .prop_map(|(op, a, b, c, value)| Step { op, a, b, c, value })
}

/// The Cell register `pick` of arena `arena`.
fn cell_of(r: &Regs, arena: ArenaTag, pick: usize) -> Reg {
    let of: Vec<Reg> = r
        .cells
        .iter()
        .filter(|(a, _)| *a == arena)
        .map(|(_, reg)| *reg)
        .collect();
    of[pick % of.len()]
}

fn slice_of(r: &Regs, arena: ArenaTag) -> Reg {
    r.slices
        .iter()
        .find(|(a, _)| *a == arena)
        .map(|(_, reg)| *reg)
        .expect("declared")
}

/// The instruction for `s`; always well typed for the registers of `r`.
fn instr(r: &Regs, s: &Step) -> Instr<Label> {
    let int = |i: usize| r.ints[i % r.ints.len()];
    let (any_cell, cell_arena) = (
        r.cells[s.a % r.cells.len()].1,
        r.cells[s.a % r.cells.len()].0,
    );
    let list = cell_of(r, ArenaTag::List, s.b);
    let ints = cell_of(r, ArenaTag::I64Array, s.b);
    let bytes = cell_of(r, ArenaTag::U8Array, s.b);
    let text = cell_of(r, ArenaTag::Str, s.b);
    let map = cell_of(r, ArenaTag::Map, s.c);
    match s.op {
        0 => Instr::I64Const {
            dst: int(s.a),
            value: INTS[s.value],
        },
        1 => Instr::ListNew {
            dst: list,
            len: int(s.c),
        },
        2 => Instr::I64ArrayNew {
            dst: ints,
            len: int(s.c),
        },
        3 => Instr::U8ArrayNew {
            dst: bytes,
            len: int(s.c),
        },
        4 => Instr::StrNew {
            dst: text,
            len: int(s.c),
        },
        5 => Instr::BytesNew {
            dst: cell_of(r, ArenaTag::Bytes, s.b),
            len: int(s.c),
        },
        6 => Instr::F64ArrayNew {
            dst: cell_of(r, ArenaTag::F64Array, s.b),
            len: int(s.c),
        },
        7 => Instr::MapNew { dst: map },
        8 => Instr::Free { cell: any_cell },
        9 => Instr::Len {
            dst: int(s.b),
            obj: any_cell,
        },
        10 => Instr::ListPushI64 {
            list,
            value: int(s.c),
        },
        11 => Instr::ListPushCell {
            list,
            value: any_cell,
        },
        12 => Instr::ListGetI64 {
            dst: int(s.a),
            list,
            index: int(s.c),
        },
        13 => Instr::ListGetCell {
            dst: any_cell,
            list,
            index: int(s.c),
        },
        14 => Instr::ListSetCell {
            list,
            index: int(s.c),
            value: any_cell,
        },
        15 => Instr::ListPopCell {
            dst: any_cell,
            list,
        },
        16 => Instr::I64ArraySet {
            array: ints,
            index: int(s.a),
            value: int(s.c),
        },
        17 => Instr::I64ArrayGet {
            dst: int(s.a),
            array: ints,
            index: int(s.c),
        },
        18 => Instr::I64ArrayPush {
            array: ints,
            value: int(s.c),
        },
        19 => Instr::U8ArraySet {
            array: bytes,
            index: int(s.a),
            value: r.i32s[s.c % 2],
        },
        20 => Instr::U8ArrayPop {
            dst: r.i32s[s.c % 2],
            array: bytes,
        },
        21 => Instr::StrConcat {
            dst: text,
            a: cell_of(r, ArenaTag::Str, s.a),
            b: cell_of(r, ArenaTag::Str, s.c),
        },
        22 => Instr::StrByte {
            dst: r.i32s[s.a % 2],
            string: text,
            index: int(s.c),
        },
        23 => Instr::StrCompare {
            dst: r.i32s[s.a % 2],
            a: text,
            b: cell_of(r, ArenaTag::Str, s.c),
        },
        24 => Instr::MapSetIntI64 {
            map,
            key: int(s.a),
            value: int(s.b),
        },
        25 => Instr::MapSetStrCell {
            map,
            key: text,
            value: any_cell,
        },
        26 => Instr::MapGetIntI64 {
            dst: int(s.a),
            map,
            key: int(s.b),
        },
        27 => Instr::MapGetStrCell {
            dst: any_cell,
            map,
            key: text,
        },
        28 => Instr::MapHasStr {
            dst: r.i32s[s.a % 2],
            map,
            key: text,
        },
        29 => Instr::MapRemoveInt { map, key: int(s.a) },
        30 if cell_arena != ArenaTag::Map => Instr::SliceNew {
            dst: slice_of(r, cell_arena),
            obj: any_cell,
            start: int(s.b),
            len: int(s.c),
        },
        31 => {
            let (arena, src) = r.slices[s.a % r.slices.len()];
            Instr::SubSlice {
                dst: slice_of(r, arena),
                src,
                start: int(s.b),
                len: int(s.c),
            }
        }
        32 => Instr::SliceGetI64 {
            dst: int(s.a),
            slice: slice_of(r, ArenaTag::I64Array),
            index: int(s.c),
        },
        33 => Instr::ListSliceSetI64 {
            slice: slice_of(r, ArenaTag::List),
            index: int(s.a),
            value: int(s.c),
        },
        34 => Instr::SliceByte {
            dst: r.i32s[0],
            slice: slice_of(
                r,
                if s.a.is_multiple_of(2) {
                    ArenaTag::Bytes
                } else {
                    ArenaTag::Str
                },
            ),
            index: int(s.c),
        },
        35 | 36 => {
            // A bulk copy between two arenas the copy table allows.
            let pairs = arenavm_vm::arenas::COPY_TABLE;
            let rule = pairs[s.a % pairs.len()];
            let (dst, src) = (cell_of(r, rule.to, s.b), cell_of(r, rule.from, s.c));
            Instr::ArenaCopy {
                dst,
                dst_offset: int(s.b),
                src,
                src_offset: int(s.c),
                count: int(s.value),
            }
        }
        37 => {
            let (arena, slice) = r.slices[s.a % r.slices.len()];
            Instr::SliceCopy {
                dst: slice,
                dst_offset: int(s.b),
                src: slice_of(r, arena),
                src_offset: int(s.c),
                count: int(s.value),
            }
        }
        38 => Instr::ListSetF64 {
            list,
            index: int(s.a),
            value: r.float,
        },
        _ => Instr::CellIsNull {
            dst: r.i32s[s.a % 2],
            cell: any_cell,
        },
    }
}

/// Starts every register off useful: small integers, an object of 8
/// elements in every Cell register, and a 4-element slice of each arena.
fn prologue(f: &mut FunctionBuilder, r: &Regs) {
    for (i, &reg) in r.ints.iter().enumerate() {
        f.push(Instr::I64Const {
            dst: reg,
            value: i as i64,
        });
    }
    let eight = r.ints[3];
    f.push(Instr::I64Const {
        dst: eight,
        value: 8,
    });
    for &(arena, dst) in &r.cells {
        f.push(match arena {
            ArenaTag::Bytes => Instr::BytesNew { dst, len: eight },
            ArenaTag::Str => Instr::StrNew { dst, len: eight },
            ArenaTag::List => Instr::ListNew { dst, len: eight },
            ArenaTag::I64Array => Instr::I64ArrayNew { dst, len: eight },
            ArenaTag::F64Array => Instr::F64ArrayNew { dst, len: eight },
            ArenaTag::U8Array => Instr::U8ArrayNew { dst, len: eight },
            ArenaTag::Map => Instr::MapNew { dst },
        });
    }
    let (zero, four) = (r.ints[0], r.ints[2]);
    f.push(Instr::I64Const {
        dst: four,
        value: 4,
    });
    for &(arena, dst) in &r.slices {
        let obj = cell_of(r, arena, 0);
        f.push(Instr::SliceNew {
            dst,
            obj,
            start: zero,
            len: four,
        });
    }
    f.push(Instr::I64Const {
        dst: four,
        value: 2,
    });
    f.push(Instr::I64Const {
        dst: eight,
        value: 3,
    });
}

/// Builds the program for `steps` and runs it twice on one instance (the
/// second run starts from the heap the first left behind). Each run must
/// return or trap; the outcomes are returned.
fn run(steps: &[Step]) -> Vec<Result<(), TrapKind>> {
    let mut f = FunctionBuilder::new("main", &[], &[Type::I64]);
    let regs = declare(&mut f);
    prologue(&mut f, &regs);
    for s in steps {
        f.push(instr(&regs, s));
    }
    f.ret(&[regs.ints[0]]);
    let mut program = ProgramBuilder::new();
    program.function(f);
    let verified = verify(&program.finish()).expect("generated programs are well typed");
    let mut instance = Instance::new(&verified, Default::default()).unwrap();
    let config = ExecConfig {
        fuel: Some(10_000),
        ..ExecConfig::default()
    };
    (0..2)
        .map(|_| match instance.invoke_by_name("main", &[], &config) {
            Ok(_) => Ok(()),
            Err(InvokeError::Trap(trap)) => Err(trap.kind),
            Err(other) => panic!("not a result or a trap: {other}"),
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_arena_programs_return_or_trap(steps in prop::collection::vec(step(), 1..40)) {
        run(&steps);
    }
}

/// The generator reaches the outcomes that matter: programs that complete,
/// and the traps of temporal, spatial and typing misuse.
#[test]
fn the_generator_reaches_returns_and_every_misuse_trap() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]);
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    let mut seen = std::collections::HashSet::new();
    for _ in 0..400 {
        let steps = prop::collection::vec(step(), 1..80)
            .new_tree(&mut runner)
            .unwrap()
            .current();
        seen.extend(run(&steps));
    }
    for expected in [
        Ok(()),
        Err(TrapKind::StaleHandle),
        Err(TrapKind::OutOfBounds),
        Err(TrapKind::NullElement),
        Err(TrapKind::WrongArena),
        Err(TrapKind::ElementType),
    ] {
        assert!(
            seen.contains(&expected),
            "never saw {expected:?}; saw {seen:?}"
        );
    }
}
