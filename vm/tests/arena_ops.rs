//! The arena instructions through the interpreter: each family's results,
//! and the trap each misuse gets (never a wrong answer or a panic).

use arenavm_vm::arenas::ArenaTag;
use arenavm_vm::builder::{FunctionBuilder, ProgramBuilder};
use arenavm_vm::exec::{ExecConfig, Instance, InvokeError, TrapKind};
use arenavm_vm::isa::{Instr, Reg};
use arenavm_vm::program::Val;
use arenavm_vm::types::{ScalarType, Type};
use arenavm_vm::verify;

/// Builds `main() -> i64` with `body`, which gets the builder and returns
/// the register to return; plus any extra string constants.
fn run_main(
    strings: &[&str],
    body: impl FnOnce(&mut FunctionBuilder) -> Reg,
) -> Result<i64, TrapKind> {
    let mut f = FunctionBuilder::new("main", &[], &[Type::I64]);
    let out = body(&mut f);
    f.ret(&[out]);
    let mut program = ProgramBuilder::new();
    for s in strings {
        program.string(*s);
    }
    program.function(f);
    let verified = verify(&program.finish()).expect("test programs verify");
    let mut instance = Instance::new(&verified, Default::default()).unwrap();
    match instance.invoke_by_name("main", &[], &ExecConfig::default()) {
        Ok(results) => match results[..] {
            [Val::I64(v)] => Ok(v),
            ref other => panic!("unexpected results {other:?}"),
        },
        Err(InvokeError::Trap(trap)) => Err(trap.kind),
        Err(other) => panic!("{other}"),
    }
}

fn konst(f: &mut FunctionBuilder, value: i64) -> Reg {
    let r = f.scalar(ScalarType::I64);
    f.push(Instr::I64Const { dst: r, value });
    r
}

/// A new list of `len` null elements: its Cell register, and the `i64`
/// register holding `len`.
fn new_list(f: &mut FunctionBuilder, len: i64) -> (Reg, Reg) {
    let list = f.cell(ArenaTag::List);
    let len = konst(f, len);
    f.push(Instr::ListNew { dst: list, len });
    (list, len)
}

/// A new `i64` array of `len` zeros: its Cell register, and the `i64`
/// register holding `len`.
fn new_i64_array(f: &mut FunctionBuilder, len: i64) -> (Reg, Reg) {
    let array = f.cell(ArenaTag::I64Array);
    let len = konst(f, len);
    f.push(Instr::I64ArrayNew { dst: array, len });
    (array, len)
}

#[test]
fn lists_hold_tagged_values_and_typed_reads_check_the_kind() {
    let sum = run_main(&[], |f| {
        let (list, zero) = new_list(f, 0);
        let (a, b) = (konst(f, 40), konst(f, 2));
        f.push(Instr::ListPushI64 { list, value: a });
        f.push(Instr::ListPushI64 { list, value: b });
        let one = konst(f, 1);
        let (x, y, n) = (
            f.scalar(ScalarType::I64),
            f.scalar(ScalarType::I64),
            f.scalar(ScalarType::I64),
        );
        f.push(Instr::ListGetI64 {
            dst: x,
            list,
            index: zero,
        });
        f.push(Instr::ListGetI64 {
            dst: y,
            list,
            index: one,
        });
        f.push(Instr::Len { dst: n, obj: list });
        let s = f.scalar(ScalarType::I64);
        f.push(Instr::I64Add { dst: s, a: x, b: y });
        f.push(Instr::I64Add { dst: s, a: s, b: n });
        s
    });
    assert_eq!(sum, Ok(44));

    let wrong_kind = run_main(&[], |f| {
        let (list, zero) = new_list(f, 0);
        let v = f.scalar(ScalarType::F64);
        f.push(Instr::F64Const {
            dst: v,
            bits: 1.5f64.to_bits(),
        });
        f.push(Instr::ListPushF64 { list, value: v });
        let x = f.scalar(ScalarType::I64);
        f.push(Instr::ListGetI64 {
            dst: x,
            list,
            index: zero,
        });
        x
    });
    assert_eq!(wrong_kind, Err(TrapKind::ElementType));

    let null = run_main(&[], |f| {
        let (list, _) = new_list(f, 3);
        let x = f.scalar(ScalarType::I64);
        let zero = konst(f, 0);
        f.push(Instr::ListGetI64 {
            dst: x,
            list,
            index: zero,
        });
        x
    });
    assert_eq!(null, Err(TrapKind::NullElement));

    let out_of_bounds = run_main(&[], |f| {
        let (list, three) = new_list(f, 3);
        f.push(Instr::ListSetI64 {
            list,
            index: three,
            value: three,
        });
        three
    });
    assert_eq!(out_of_bounds, Err(TrapKind::OutOfBounds));
}

/// Pushes the string constant "hello" into a list as a Cell, reads element
/// 0 back into a Cell register of arena `into`, and returns that object's
/// length.
fn string_through_a_list(into: ArenaTag) -> Result<i64, TrapKind> {
    run_main(&["hello"], |f| {
        let (list, zero) = new_list(f, 0);
        let (s, back) = (f.cell(ArenaTag::Str), f.cell(into));
        f.push(Instr::StrConst { dst: s, string: 0 });
        f.push(Instr::ListPushCell { list, value: s });
        f.push(Instr::ListGetCell {
            dst: back,
            list,
            index: zero,
        });
        let n = f.scalar(ScalarType::I64);
        f.push(Instr::Len { dst: n, obj: back });
        n
    })
}

#[test]
fn cells_in_lists_stay_cells_of_their_arena() {
    assert_eq!(string_through_a_list(ArenaTag::Str), Ok(5));
    assert_eq!(
        string_through_a_list(ArenaTag::Map),
        Err(TrapKind::WrongArena)
    );
}

#[test]
fn typed_arrays_get_set_push_pop() {
    let v = run_main(&[], |f| {
        let (bytes, ints) = (f.cell(ArenaTag::U8Array), f.cell(ArenaTag::I64Array));
        let (two, one, zero) = (konst(f, 2), konst(f, 1), konst(f, 0));
        f.push(Instr::U8ArrayNew {
            dst: bytes,
            len: two,
        });
        let big = f.scalar(ScalarType::I32);
        f.push(Instr::I32Const {
            dst: big,
            value: 0x1FF,
        });
        f.push(Instr::U8ArraySet {
            array: bytes,
            index: one,
            value: big,
        });
        let b = f.scalar(ScalarType::I32);
        f.push(Instr::U8ArrayGet {
            dst: b,
            array: bytes,
            index: one,
        });
        f.push(Instr::I64ArrayNew {
            dst: ints,
            len: zero,
        });
        let wide = f.scalar(ScalarType::I64);
        f.push(Instr::I64ExtendI32U { dst: wide, a: b });
        f.push(Instr::I64ArrayPush {
            array: ints,
            value: wide,
        });
        f.push(Instr::I64ArrayPush {
            array: ints,
            value: two,
        });
        let (p, q) = (f.scalar(ScalarType::I64), f.scalar(ScalarType::I64));
        f.push(Instr::I64ArrayPop {
            dst: p,
            array: ints,
        });
        f.push(Instr::I64ArrayGet {
            dst: q,
            array: ints,
            index: zero,
        });
        let s = f.scalar(ScalarType::I64);
        f.push(Instr::I64Mul { dst: s, a: p, b: q });
        s
    });
    assert_eq!(
        v,
        Ok(2 * 0xFF),
        "a byte is stored from the low byte, read back zero-extended"
    );

    let empty_pop = run_main(&[], |f| {
        let (ints, _) = new_i64_array(f, 0);
        let x = f.scalar(ScalarType::I64);
        f.push(Instr::I64ArrayPop {
            dst: x,
            array: ints,
        });
        x
    });
    assert_eq!(empty_pop, Err(TrapKind::OutOfBounds));
}

#[test]
fn strings_concat_compare_and_bytes() {
    let v = run_main(&["ab", "c"], |f| {
        let (a, b, ab) = (
            f.cell(ArenaTag::Str),
            f.cell(ArenaTag::Str),
            f.cell(ArenaTag::Str),
        );
        f.push(Instr::StrConst { dst: a, string: 0 });
        f.push(Instr::StrConst { dst: b, string: 1 });
        f.push(Instr::StrConcat { dst: ab, a, b });
        let two = konst(f, 2);
        let (byte, order) = (f.scalar(ScalarType::I32), f.scalar(ScalarType::I32));
        f.push(Instr::StrByte {
            dst: byte,
            string: ab,
            index: two,
        });
        f.push(Instr::StrCompare {
            dst: order,
            a: ab,
            b,
        });
        let (x, y) = (f.scalar(ScalarType::I64), f.scalar(ScalarType::I64));
        f.push(Instr::I64ExtendI32S { dst: x, a: byte });
        f.push(Instr::I64ExtendI32S { dst: y, a: order });
        let s = f.scalar(ScalarType::I64);
        f.push(Instr::I64Add { dst: s, a: x, b: y });
        s
    });
    assert_eq!(v, Ok(i64::from(b'c') - 1), "\"abc\" < \"c\"");
}

#[test]
fn maps_count_words_by_string_contents() {
    // Counts "a" in ["a", "b", "a"], with each word a distinct string object.
    let count = run_main(&["a", "b"], |f| {
        let map = f.cell(ArenaTag::Map);
        f.push(Instr::MapNew { dst: map });
        let word = f.cell(ArenaTag::Str);
        let (one, n) = (konst(f, 1), f.scalar(ScalarType::I64));
        let has = f.scalar(ScalarType::I32);
        for string in [0, 1, 0] {
            f.push(Instr::StrConst { dst: word, string });
            let (absent, done) = (f.label(), f.label());
            f.push(Instr::MapHasStr {
                dst: has,
                map,
                key: word,
            });
            f.push(Instr::BrIfNot {
                cond: has,
                target: absent,
            });
            f.push(Instr::MapGetStrI64 {
                dst: n,
                map,
                key: word,
            });
            f.push(Instr::I64Add {
                dst: n,
                a: n,
                b: one,
            });
            f.push(Instr::Jump { target: done });
            f.bind(absent);
            f.push(Instr::Copy { dst: n, src: one });
            f.bind(done);
            f.push(Instr::MapSetStrI64 {
                map,
                key: word,
                value: n,
            });
        }
        f.push(Instr::StrConst {
            dst: word,
            string: 0,
        });
        let out = f.scalar(ScalarType::I64);
        f.push(Instr::MapGetStrI64 {
            dst: out,
            map,
            key: word,
        });
        out
    });
    assert_eq!(count, Ok(2));

    let missing = run_main(&[], |f| {
        let map = f.cell(ArenaTag::Map);
        f.push(Instr::MapNew { dst: map });
        let (k, out) = (konst(f, 7), f.scalar(ScalarType::I64));
        f.push(Instr::MapSetIntI64 {
            map,
            key: k,
            value: k,
        });
        f.push(Instr::MapRemoveInt { map, key: k });
        f.push(Instr::MapGetIntI64 {
            dst: out,
            map,
            key: k,
        });
        out
    });
    assert_eq!(missing, Err(TrapKind::NullElement));
}

#[test]
fn freed_objects_trap_as_stale_handles() {
    let use_after_free = run_main(&[], |f| {
        let (list, _) = new_list(f, 0);
        f.push(Instr::Free { cell: list });
        let n = f.scalar(ScalarType::I64);
        f.push(Instr::Len { dst: n, obj: list });
        n
    });
    assert_eq!(use_after_free, Err(TrapKind::StaleHandle));

    let double_free = run_main(&[], |f| {
        let (list, zero) = new_list(f, 0);
        f.push(Instr::Free { cell: list });
        f.push(Instr::Free { cell: list });
        zero
    });
    assert_eq!(double_free, Err(TrapKind::StaleHandle));

    let null_register = run_main(&[], |f| {
        let list = f.cell(ArenaTag::List);
        let n = f.scalar(ScalarType::I64);
        f.push(Instr::Len { dst: n, obj: list });
        n
    });
    assert_eq!(null_register, Err(TrapKind::NullElement));
}

#[test]
fn slices_narrow_and_die_with_their_parent() {
    let v = run_main(&[], |f| {
        let (array, ten) = new_i64_array(f, 10);
        let (whole, inner) = (f.slice(ArenaTag::I64Array), f.slice(ArenaTag::I64Array));
        let (two, five, one) = (konst(f, 2), konst(f, 5), konst(f, 1));
        f.push(Instr::SliceNew {
            dst: whole,
            obj: array,
            start: two,
            len: five,
        });
        f.push(Instr::SubSlice {
            dst: inner,
            src: whole,
            start: one,
            len: two,
        });
        f.push(Instr::SliceSetI64 {
            slice: inner,
            index: one,
            value: ten,
        });
        let (x, n, four) = (
            f.scalar(ScalarType::I64),
            f.scalar(ScalarType::I64),
            konst(f, 4),
        );
        f.push(Instr::I64ArrayGet {
            dst: x,
            array,
            index: four,
        });
        f.push(Instr::SliceLen {
            dst: n,
            slice: inner,
        });
        let s = f.scalar(ScalarType::I64);
        f.push(Instr::I64Add { dst: s, a: x, b: n });
        s
    });
    assert_eq!(
        v,
        Ok(12),
        "inner[1] is array[2 + 1 + 1]; the slice is 2 long"
    );

    let past_window = run_main(&[], |f| {
        let (array, _) = new_i64_array(f, 10);
        let (s, two) = (f.slice(ArenaTag::I64Array), konst(f, 2));
        f.push(Instr::SliceNew {
            dst: s,
            obj: array,
            start: two,
            len: two,
        });
        let x = f.scalar(ScalarType::I64);
        f.push(Instr::SliceGetI64 {
            dst: x,
            slice: s,
            index: two,
        });
        x
    });
    assert_eq!(past_window, Err(TrapKind::OutOfBounds));

    let after_free = run_main(&[], |f| {
        let (array, ten) = new_i64_array(f, 10);
        let (s, zero) = (f.slice(ArenaTag::I64Array), konst(f, 0));
        f.push(Instr::SliceNew {
            dst: s,
            obj: array,
            start: zero,
            len: ten,
        });
        f.push(Instr::Free { cell: array });
        let x = f.scalar(ScalarType::I64);
        f.push(Instr::SliceGetI64 {
            dst: x,
            slice: s,
            index: zero,
        });
        x
    });
    assert_eq!(after_free, Err(TrapKind::StaleHandle));
}

#[test]
fn bulk_copy_bytes_to_string_checks_utf8() {
    // Fill a 3-byte segment with "h\xC3\xA9" (h, é) and copy it into a string.
    let build = |second: i32| {
        move |f: &mut FunctionBuilder| {
            let (seg, text) = (f.cell(ArenaTag::Bytes), f.cell(ArenaTag::Str));
            let (three, zero, one, two) = (konst(f, 3), konst(f, 0), konst(f, 1), konst(f, 2));
            f.push(Instr::BytesNew {
                dst: seg,
                len: three,
            });
            f.push(Instr::StrNew {
                dst: text,
                len: three,
            });
            let view = f.slice(ArenaTag::Bytes);
            f.push(Instr::SliceNew {
                dst: view,
                obj: seg,
                start: zero,
                len: three,
            });
            let segment_bytes = f.cell(ArenaTag::U8Array);
            f.push(Instr::U8ArrayNew {
                dst: segment_bytes,
                len: three,
            });
            for (index, value) in [(zero, i32::from(b'h')), (one, second), (two, 0xA9)] {
                let b = f.scalar(ScalarType::I32);
                f.push(Instr::I32Const { dst: b, value });
                f.push(Instr::U8ArraySet {
                    array: segment_bytes,
                    index,
                    value: b,
                });
            }
            f.push(Instr::ArenaCopy {
                dst: seg,
                dst_offset: zero,
                src: segment_bytes,
                src_offset: zero,
                count: three,
            });
            f.push(Instr::ArenaCopy {
                dst: text,
                dst_offset: zero,
                src: seg,
                src_offset: zero,
                count: three,
            });
            let b = f.scalar(ScalarType::I32);
            f.push(Instr::StrByte {
                dst: b,
                string: text,
                index: one,
            });
            let out = f.scalar(ScalarType::I64);
            f.push(Instr::I64ExtendI32U { dst: out, a: b });
            out
        }
    };
    assert_eq!(run_main(&[], build(0xC3)), Ok(0xC3));
    assert_eq!(run_main(&[], build(0x28)), Err(TrapKind::InvalidUtf8));
}

#[test]
fn the_verifier_refuses_arena_misuse() {
    let check = |body: &dyn Fn(&mut FunctionBuilder)| {
        let mut f = FunctionBuilder::new("main", &[], &[]);
        body(&mut f);
        f.ret(&[]);
        let mut program = ProgramBuilder::new();
        program.function(f);
        verify(&program.finish())
            .map(drop)
            .map_err(|e| e.to_string())
    };
    let map_slice = check(&|f| {
        let (map, s, zero) = (
            f.cell(ArenaTag::Map),
            f.slice(ArenaTag::Map),
            f.scalar(ScalarType::I64),
        );
        f.push(Instr::SliceNew {
            dst: s,
            obj: map,
            start: zero,
            len: zero,
        });
    });
    assert!(map_slice.unwrap_err().contains("maps cannot be sliced"));
    let no_such_copy = check(&|f| {
        let (map, list, zero) = (
            f.cell(ArenaTag::Map),
            f.cell(ArenaTag::List),
            f.scalar(ScalarType::I64),
        );
        f.push(Instr::ArenaCopy {
            dst: list,
            dst_offset: zero,
            src: map,
            src_offset: zero,
            count: zero,
        });
    });
    assert!(
        no_such_copy
            .unwrap_err()
            .contains("no bulk copy from map to list")
    );
    let mixed_arenas = check(&|f| {
        let (list, s) = (f.cell(ArenaTag::List), f.cell(ArenaTag::Str));
        f.push(Instr::CellCopy { dst: s, src: list });
    });
    assert!(mixed_arenas.unwrap_err().contains("one arena"));
    let integer_as_cell = check(&|f| {
        let n = f.scalar(ScalarType::I64);
        f.push(Instr::Free { cell: n });
    });
    assert!(
        integer_as_cell
            .unwrap_err()
            .contains("cell register 0 does not exist"),
        "a scalar register index never names a Cell"
    );
    let missing_string = check(&|f| {
        let s = f.cell(ArenaTag::Str);
        f.push(Instr::StrConst { dst: s, string: 3 });
    });
    assert!(
        missing_string
            .unwrap_err()
            .contains("string constant 3 does not exist")
    );
}
