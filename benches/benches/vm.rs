//! The arenavm interpreter against peers doing the same work, in the same run.
//!
//! Every group holds an `arenavm` case, the same algorithm as a plain Rust
//! function (`native`, context rather than a target) and, where the work can
//! be written in WebAssembly, the same program on `wasmi` (the interpreter
//! arenavm has to beat). Programs are built with the builder API, verified
//! once, and each case creates its `Instance` (or wasmi `Store`) once: only
//! the call is timed.
//!
//! - `vm_fib`: recursive `fib(25)`, 242,785 calls;
//! - `vm_count`: a counting loop of 10^7 iterations (add, fused
//!   compare-and-branch);
//! - `vm_memsum`: sum of the 262,144 `i32`s of a 1 MiB linear memory;
//! - `vm_histogram`: push 10^5 pseudo-random `i64` into a list, then count
//!   them by value mod 1000 in a map with integer keys;
//! - `vm_wordcount`: count 10^5 words (8 distinct strings) in a map with
//!   string keys.
//!
//! Before timing, each arenavm program's result is checked against the
//! native one, and its executed instruction count is checked with fuel
//! (it runs with exactly that much fuel, and traps with one unit less), so
//! the per-instruction figures in `docs/benchmarks/interpreter.md` are exact.

use std::hint::black_box;

use arenavm_benches::{FIB_WAT, criterion_config, fib_native, slow_group};
use arenavm_vm::arenas::ArenaTag;
use arenavm_vm::builder::{FunctionBuilder, ProgramBuilder};
use arenavm_vm::exec::{ExecConfig, Instance, InvokeError, TrapKind};
use arenavm_vm::isa::{Instr, Label, Reg};
use arenavm_vm::program::{MemoryDecl, Program, Val};
use arenavm_vm::types::ScalarType::{I32, I64};
use arenavm_vm::types::Type;
use arenavm_vm::{VerifiedProgram, verify};
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId, Criterion, criterion_group, criterion_main};

const FIB_N: i64 = 25;
/// Calls `fib(25)` makes: `2 * fib(26) - 1`.
const FIB_CALLS: u64 = 242_785;
const COUNT_N: i64 = 10_000_000;
/// Bytes of linear memory summed: 16 pages.
const MEM_BYTES: i32 = 1 << 20;
const MEM_WORDS: u64 = (MEM_BYTES / 4) as u64;
/// Multiplier of the memory fill pattern (`value = address * MEM_MUL`, wrapping).
const MEM_MUL: u32 = 0x9E37_79B1;
const HIST_N: i64 = 100_000;
const HIST_BUCKETS: i64 = 1000;
/// The LCG the histogram's values come from (Knuth's MMIX constants).
const LCG_MUL: i64 = 6_364_136_223_846_793_005;
const LCG_INC: i64 = 1_442_695_040_888_963_407;
const LCG_SEED: i64 = 42;
const WORDS: [&str; 8] = [
    "the", "arena", "register", "of", "a", "virtual", "machine", "cell",
];
const WORD_N: i64 = 100_000;

fn verified(program: Program<Label>) -> VerifiedProgram {
    verify(&program).unwrap_or_else(|e| panic!("benchmark program rejected: {e}"))
}

fn run(instance: &mut Instance, func: u32, args: &[Val]) -> Vec<Val> {
    instance
        .invoke(func, args, &ExecConfig::default())
        .unwrap_or_else(|e| panic!("benchmark program failed: {e}"))
}

/// Checks that `func(args)` executes exactly `expected` instructions: it
/// completes with that much fuel and runs out with one unit less.
fn check_instructions(instance: &mut Instance, func: u32, args: &[Val], expected: u64) {
    let fuel = |fuel| ExecConfig {
        fuel: Some(fuel),
        ..ExecConfig::default()
    };
    assert!(
        instance.invoke(func, args, &fuel(expected)).is_ok(),
        "function {func} needs more than {expected} instructions"
    );
    match instance.invoke(func, args, &fuel(expected - 1)) {
        Err(InvokeError::Trap(trap)) if trap.kind == TrapKind::OutOfFuel => {}
        other => panic!("function {func} needs fewer than {expected} instructions: {other:?}"),
    }
}

/// A wasmi instance of the WAT module `wat`, and its store.
fn wasmi_instance(wat: &str) -> (wasmi::Store<()>, wasmi::Instance) {
    let wasm = wat::parse_str(wat).expect("benchmark WAT parses");
    let engine = wasmi::Engine::default();
    let module = wasmi::Module::new(&engine, &wasm[..]).expect("benchmark module compiles");
    let mut store = wasmi::Store::new(&engine, ());
    let instance = wasmi::Linker::<()>::new(&engine)
        .instantiate_and_start(&mut store, &module)
        .expect("benchmark module instantiates");
    (store, instance)
}

/// Checks function 0 of `program`, an `(i64) -> i64`: it returns
/// `expected` for `n`, executing exactly `instructions` instructions.
/// Returns the instance, for further checks.
fn check_i64_program(
    program: &VerifiedProgram,
    n: i64,
    expected: i64,
    instructions: u64,
) -> Instance {
    let mut instance = Instance::new(program, Default::default()).unwrap();
    assert_eq!(run(&mut instance, 0, &[Val::I64(n)]), [Val::I64(expected)]);
    check_instructions(&mut instance, 0, &[Val::I64(n)], instructions);
    instance
}

/// The `arenavm` case: function 0 of `program` on `n`, on an instance
/// created once.
fn bench_arenavm_i64(
    g: &mut BenchmarkGroup<'_, WallTime>,
    program: &VerifiedProgram,
    n: i64,
    what: &str,
) {
    g.bench_function(BenchmarkId::new("arenavm", n), |b| {
        let mut instance = Instance::new(program, Default::default()).unwrap();
        let config = ExecConfig::default();
        b.iter(|| black_box(instance.invoke(0, &[Val::I64(black_box(n))], &config)).expect(what));
    });
}

/// The `wasmi` case: the `(i64) -> i64` export `name` of the WAT module
/// `wat` on `n`, checked to return `expected` first.
fn bench_wasmi_i64(
    g: &mut BenchmarkGroup<'_, WallTime>,
    (wat, name): (&str, &str),
    n: i64,
    expected: i64,
    what: &str,
) {
    g.bench_function(BenchmarkId::new("wasmi", n), |b| {
        let (mut store, instance) = wasmi_instance(wat);
        let func = instance.get_typed_func::<i64, i64>(&store, name).unwrap();
        assert_eq!(func.call(&mut store, n).unwrap(), expected);
        b.iter(|| black_box(func.call(&mut store, black_box(n))).expect(what));
    });
}

/// The `native` case: `native(n)`.
fn bench_native_i64(g: &mut BenchmarkGroup<'_, WallTime>, n: i64, native: impl Fn(i64) -> i64) {
    g.bench_function(BenchmarkId::new("native", n), |b| {
        b.iter(|| black_box(native(black_box(n))));
    });
}

/// Emits `i += one; if i < n { goto top }`.
fn emit_loop_back(f: &mut FunctionBuilder, i: Reg, one: Reg, n: Reg, top: Label) {
    f.push(Instr::I64Add {
        dst: i,
        a: i,
        b: one,
    });
    f.push(Instr::BrI64LtS {
        a: i,
        b: n,
        target: top,
    });
}

// ---------------------------------------------------------------- fib

/// `fib(n) = n < 2 ? n : fib(n - 1) + fib(n - 2)`: 9 instructions per
/// inner call, 3 per leaf.
fn fib_program() -> Program<Label> {
    let mut f = FunctionBuilder::new("fib", &[Type::I64], &[Type::I64]);
    let n = f.param(0);
    let [two, one, arg, a, b, sum] = [(); 6].map(|()| f.scalar(I64));
    let leaf = f.label();
    f.push(Instr::I64Const { dst: two, value: 2 });
    f.push(Instr::BrI64LtS {
        a: n,
        b: two,
        target: leaf,
    });
    f.push(Instr::I64Const { dst: one, value: 1 });
    f.push(Instr::I64Sub {
        dst: arg,
        a: n,
        b: one,
    });
    f.call(0, &[arg], &[a]);
    f.push(Instr::I64Sub {
        dst: arg,
        a: n,
        b: two,
    });
    f.call(0, &[arg], &[b]);
    f.push(Instr::I64Add { dst: sum, a, b });
    f.ret(&[sum]);
    f.bind(leaf);
    f.ret(&[n]);
    let mut p = ProgramBuilder::new();
    p.function(f);
    p.finish()
}

fn fib(c: &mut Criterion) {
    let expected = fib_native(FIB_N);
    let program = verified(fib_program());
    let leaves = FIB_CALLS.div_ceil(2);
    let instructions = 9 * (FIB_CALLS - leaves) + 3 * leaves;
    check_i64_program(&program, FIB_N, expected, instructions);
    eprintln!("vm_fib: {FIB_CALLS} calls, {instructions} arenavm instructions");

    let mut g = slow_group(c, "vm_fib", FIB_CALLS);
    bench_arenavm_i64(&mut g, &program, FIB_N, "fib runs");
    bench_wasmi_i64(&mut g, (FIB_WAT, "fib"), FIB_N, expected, "fib runs");
    bench_native_i64(&mut g, FIB_N, fib_native);
    g.finish();
}

// ---------------------------------------------------------------- count

/// `i = 0; do { i += 1 } while i < n; return i`: two instructions per
/// iteration (`I64Add`, `BrI64LtS`).
fn count_program() -> Program<Label> {
    let mut f = FunctionBuilder::new("count", &[Type::I64], &[Type::I64]);
    let n = f.param(0);
    let [i, one] = [(); 2].map(|()| f.scalar(I64));
    let top = f.label();
    f.push(Instr::I64Const { dst: i, value: 0 });
    f.push(Instr::I64Const { dst: one, value: 1 });
    f.bind(top);
    emit_loop_back(&mut f, i, one, n, top);
    f.ret(&[i]);
    let mut p = ProgramBuilder::new();
    p.function(f);
    p.finish()
}

const COUNT_WAT: &str = r#"
(module
  (func (export "count") (param $n i64) (result i64) (local $i i64)
    (loop $top
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br_if $top (i64.lt_s (local.get $i) (local.get $n))))
    (local.get $i)))
"#;

/// The counter goes through `black_box` on every iteration; without it
/// LLVM replaces the loop by its result.
fn count_native(n: i64) -> i64 {
    let mut i = 0i64;
    loop {
        i = black_box(i) + 1;
        if i >= n {
            return i;
        }
    }
}

fn count(c: &mut Criterion) {
    let program = verified(count_program());
    let instructions = 2 * COUNT_N as u64 + 3;
    check_i64_program(&program, COUNT_N, count_native(COUNT_N), instructions);
    eprintln!("vm_count: {COUNT_N} iterations, {instructions} arenavm instructions");

    let mut g = slow_group(c, "vm_count", COUNT_N as u64);
    bench_arenavm_i64(&mut g, &program, COUNT_N, "count runs");
    bench_wasmi_i64(&mut g, (COUNT_WAT, "count"), COUNT_N, COUNT_N, "count runs");
    bench_native_i64(&mut g, COUNT_N, count_native);
    g.finish();
}

// ---------------------------------------------------------------- memsum

/// Function 0, `fill(end)`: `mem[a] = a * MEM_MUL` for each 4-byte word
/// below `end`. Function 1, `sum(end) -> i64`: the sum of those words,
/// sign-extended; five instructions per word (`I32Load`, `I64ExtendI32S`,
/// `I64Add`, `I32Add`, `BrI32LtU`).
fn memsum_program() -> Program<Label> {
    let mut fill = FunctionBuilder::new("fill", &[Type::I32], &[]);
    let end = fill.param(0);
    let [addr, four, mul, value] = [(); 4].map(|()| fill.scalar(I32));
    let top = fill.label();
    fill.push(Instr::I32Const {
        dst: addr,
        value: 0,
    });
    fill.push(Instr::I32Const {
        dst: four,
        value: 4,
    });
    fill.push(Instr::I32Const {
        dst: mul,
        value: MEM_MUL as i32,
    });
    fill.bind(top);
    fill.push(Instr::I32Mul {
        dst: value,
        a: addr,
        b: mul,
    });
    fill.push(Instr::I32Store {
        addr,
        value,
        offset: 0,
        mem: 0,
    });
    fill.push(Instr::I32Add {
        dst: addr,
        a: addr,
        b: four,
    });
    fill.push(Instr::I32LtU {
        dst: value,
        a: addr,
        b: end,
    });
    fill.push(Instr::BrIf {
        cond: value,
        target: top,
    });
    fill.ret(&[]);

    let mut sum = FunctionBuilder::new("sum", &[Type::I32], &[Type::I64]);
    let end = sum.param(0);
    let [addr, four, word] = [(); 3].map(|()| sum.scalar(I32));
    let [acc, wide] = [(); 2].map(|()| sum.scalar(I64));
    let top = sum.label();
    sum.push(Instr::I32Const {
        dst: addr,
        value: 0,
    });
    sum.push(Instr::I32Const {
        dst: four,
        value: 4,
    });
    sum.push(Instr::I64Const { dst: acc, value: 0 });
    sum.bind(top);
    sum.push(Instr::I32Load {
        dst: word,
        addr,
        offset: 0,
        mem: 0,
    });
    sum.push(Instr::I64ExtendI32S { dst: wide, a: word });
    sum.push(Instr::I64Add {
        dst: acc,
        a: acc,
        b: wide,
    });
    sum.push(Instr::I32Add {
        dst: addr,
        a: addr,
        b: four,
    });
    sum.push(Instr::BrI32LtU {
        a: addr,
        b: end,
        target: top,
    });
    sum.ret(&[acc]);

    let mut p = ProgramBuilder::new();
    let pages = (MEM_BYTES >> 16) as u32;
    p.memory(MemoryDecl {
        min_pages: pages,
        max_pages: Some(pages),
    });
    p.function(fill);
    p.function(sum);
    p.finish()
}

const MEMSUM_WAT: &str = r#"
(module
  (memory 16 16)
  (func (export "fill") (param $end i32) (local $a i32)
    (loop $top
      (i32.store (local.get $a) (i32.mul (local.get $a) (i32.const 0x9E3779B1)))
      (local.set $a (i32.add (local.get $a) (i32.const 4)))
      (br_if $top (i32.lt_u (local.get $a) (local.get $end)))))
  (func (export "sum") (param $end i32) (result i64) (local $a i32) (local $acc i64)
    (loop $top
      (local.set $acc
        (i64.add (local.get $acc) (i64.extend_i32_s (i32.load (local.get $a)))))
      (local.set $a (i32.add (local.get $a) (i32.const 4)))
      (br_if $top (i32.lt_u (local.get $a) (local.get $end))))
    (local.get $acc)))
"#;

fn memsum_data() -> Vec<i32> {
    (0..MEM_WORDS as u32)
        .map(|i| (i * 4).wrapping_mul(MEM_MUL) as i32)
        .collect()
}

fn memsum_native(words: &[i32]) -> i64 {
    words.iter().map(|&w| i64::from(w)).sum()
}

fn memsum(c: &mut Criterion) {
    let data = memsum_data();
    let expected = memsum_native(&data);
    let program = verified(memsum_program());
    let instructions = 5 * MEM_WORDS + 4;
    let end = [Val::I32(MEM_BYTES)];
    {
        let mut instance = Instance::new(&program, Default::default()).unwrap();
        run(&mut instance, 0, &end);
        assert_eq!(run(&mut instance, 1, &end), [Val::I64(expected)]);
        check_instructions(&mut instance, 1, &end, instructions);
    }
    eprintln!("vm_memsum: {MEM_WORDS} words, {instructions} arenavm instructions");

    let mut g = slow_group(c, "vm_memsum", MEM_WORDS);
    g.bench_function(BenchmarkId::new("arenavm", "1MiB"), |b| {
        let mut instance = Instance::new(&program, Default::default()).unwrap();
        run(&mut instance, 0, &end);
        let config = ExecConfig::default();
        b.iter(|| {
            black_box(instance.invoke(1, &[Val::I32(black_box(MEM_BYTES))], &config))
                .expect("sum runs")
        });
    });
    g.bench_function(BenchmarkId::new("wasmi", "1MiB"), |b| {
        let (mut store, instance) = wasmi_instance(MEMSUM_WAT);
        let fill = instance.get_typed_func::<i32, ()>(&store, "fill").unwrap();
        let sum = instance.get_typed_func::<i32, i64>(&store, "sum").unwrap();
        fill.call(&mut store, MEM_BYTES).unwrap();
        assert_eq!(sum.call(&mut store, MEM_BYTES).unwrap(), expected);
        b.iter(|| black_box(sum.call(&mut store, black_box(MEM_BYTES))).expect("sum runs"));
    });
    g.bench_function(BenchmarkId::new("native", "1MiB"), |b| {
        b.iter(|| black_box(memsum_native(black_box(&data))));
    });
    g.finish();
}

// ---------------------------------------------------------------- histogram

/// The key kind of a counting map: the opcodes that test, read and write
/// an entry.
#[derive(Clone, Copy)]
enum Keys {
    Int,
    Str,
}

impl Keys {
    fn has(self, dst: Reg, map: Reg, key: Reg) -> Instr<Label> {
        match self {
            Keys::Int => Instr::MapHasInt { dst, map, key },
            Keys::Str => Instr::MapHasStr { dst, map, key },
        }
    }

    fn get(self, dst: Reg, map: Reg, key: Reg) -> Instr<Label> {
        match self {
            Keys::Int => Instr::MapGetIntI64 { dst, map, key },
            Keys::Str => Instr::MapGetStrI64 { dst, map, key },
        }
    }

    fn set(self, map: Reg, key: Reg, value: Reg) -> Instr<Label> {
        match self {
            Keys::Int => Instr::MapSetIntI64 { map, key, value },
            Keys::Str => Instr::MapSetStrI64 { map, key, value },
        }
    }
}

/// Emits `map[key] = map[key] + 1` if the key is present (`MapHas`,
/// `BrIfNot`, `MapGet`, `I64Add`, `MapSet`, `Jump`: six instructions),
/// else `map[key] = 1` (`MapHas`, `BrIfNot`, `MapSet`: three); `count`
/// is overwritten.
fn emit_increment(f: &mut FunctionBuilder, keys: Keys, map: Reg, key: Reg, count: Reg, one: Reg) {
    let has = f.scalar(I32);
    let (fresh, next) = (f.label(), f.label());
    f.push(keys.has(has, map, key));
    f.push(Instr::BrIfNot {
        cond: has,
        target: fresh,
    });
    f.push(keys.get(count, map, key));
    f.push(Instr::I64Add {
        dst: count,
        a: count,
        b: one,
    });
    f.push(keys.set(map, key, count));
    f.push(Instr::Jump { target: next });
    f.bind(fresh);
    f.push(keys.set(map, key, one));
    f.bind(next);
}

/// Emits `entries * 1_000_000 + map[key]` (`MapGet`, `Len`, `I64Const`,
/// `I64Mul`, `I64Add`: five instructions) and returns the register that
/// holds it; `count` is overwritten.
fn emit_result(f: &mut FunctionBuilder, keys: Keys, map: Reg, key: Reg, count: Reg) -> Reg {
    let [len, million] = [(); 2].map(|()| f.scalar(I64));
    f.push(keys.get(count, map, key));
    f.push(Instr::Len { dst: len, obj: map });
    f.push(Instr::I64Const {
        dst: million,
        value: 1_000_000,
    });
    f.push(Instr::I64Mul {
        dst: len,
        a: len,
        b: million,
    });
    f.push(Instr::I64Add {
        dst: len,
        a: len,
        b: count,
    });
    len
}

/// `hist(n)`: push `n` LCG values (`x >> 33`) into a new list, then for
/// each element `v` count `v % 1000` in a new map (`MapHasInt`, then
/// `MapGetIntI64` + `MapSetIntI64`, or `MapSetIntI64` of 1); free both and
/// return `entries * 1_000_000 + count[7]`.
fn histogram_program() -> Program<Label> {
    let mut f = FunctionBuilder::new("hist", &[Type::I64], &[Type::I64]);
    let n = f.param(0);
    let [zero, one, x, mul, inc, shift, buckets, i, v, k, count, key7] =
        [(); 12].map(|()| f.scalar(I64));
    let list = f.cell(ArenaTag::List);
    let map = f.cell(ArenaTag::Map);
    let (push, tally) = (f.label(), f.label());
    for (dst, value) in [
        (zero, 0),
        (one, 1),
        (x, LCG_SEED),
        (mul, LCG_MUL),
        (inc, LCG_INC),
        (shift, 33),
        (buckets, HIST_BUCKETS),
        (i, 0),
    ] {
        f.push(Instr::I64Const { dst, value });
    }
    f.push(Instr::ListNew {
        dst: list,
        len: zero,
    });
    f.push(Instr::MapNew { dst: map });
    // Six instructions per element.
    f.bind(push);
    f.push(Instr::I64Mul {
        dst: x,
        a: x,
        b: mul,
    });
    f.push(Instr::I64Add {
        dst: x,
        a: x,
        b: inc,
    });
    f.push(Instr::I64ShrU {
        dst: v,
        a: x,
        b: shift,
    });
    f.push(Instr::ListPushI64 { list, value: v });
    emit_loop_back(&mut f, i, one, n, push);
    f.push(Instr::I64Const { dst: i, value: 0 });
    // Ten instructions per element whose key is present, seven otherwise.
    f.bind(tally);
    f.push(Instr::ListGetI64 {
        dst: v,
        list,
        index: i,
    });
    f.push(Instr::I64RemU {
        dst: k,
        a: v,
        b: buckets,
    });
    emit_increment(&mut f, Keys::Int, map, k, count, one);
    emit_loop_back(&mut f, i, one, n, tally);
    // Result and clean-up: ten instructions.
    f.push(Instr::I64Const {
        dst: key7,
        value: 7,
    });
    let result = emit_result(&mut f, Keys::Int, map, key7, count);
    f.push(Instr::Free { cell: list });
    f.push(Instr::Free { cell: map });
    f.ret(&[result]);
    let mut p = ProgramBuilder::new();
    p.function(f);
    p.finish()
}

/// The same operations as the program, one for one: push, then
/// `contains_key`, `get` + `insert`, or `insert`.
fn histogram_native(n: i64) -> i64 {
    let mut x = LCG_SEED;
    let mut list = Vec::new();
    for _ in 0..n {
        x = x.wrapping_mul(LCG_MUL).wrapping_add(LCG_INC);
        list.push(((x as u64) >> 33) as i64);
    }
    let mut map = hashbrown::HashMap::<i64, i64>::new();
    for &v in &list {
        let k = ((v as u64) % HIST_BUCKETS as u64) as i64;
        if map.contains_key(&k) {
            let count = map[&k];
            map.insert(k, count + 1);
        } else {
            map.insert(k, 1);
        }
    }
    map.len() as i64 * 1_000_000 + map[&7]
}

// ---------------------------------------------------------------- word count

/// `wc(n)`: a list of the 8 `WORDS` (`StrConst`), then for `i` in `0..n`
/// count word `i & 7` in a new map with string keys (`MapHasStr`, then
/// `MapGetStrI64` + `MapSetStrI64`, or `MapSetStrI64` of 1); free the
/// strings, the list and the map, return `entries * 1_000_000 +
/// count["the"]`.
fn wordcount_program() -> Program<Label> {
    let mut p = ProgramBuilder::new();
    let strings = WORDS.map(|w| p.string(w));
    let mut f = FunctionBuilder::new("wc", &[Type::I64], &[Type::I64]);
    let n = f.param(0);
    let [zero, one, seven, i, j, count] = [(); 6].map(|()| f.scalar(I64));
    let word = f.cell(ArenaTag::Str);
    let list = f.cell(ArenaTag::List);
    let map = f.cell(ArenaTag::Map);
    let tally = f.label();
    for (dst, value) in [(zero, 0), (one, 1), (seven, 7), (i, 0)] {
        f.push(Instr::I64Const { dst, value });
    }
    f.push(Instr::ListNew {
        dst: list,
        len: zero,
    });
    for string in strings {
        f.push(Instr::StrConst { dst: word, string });
        f.push(Instr::ListPushCell { list, value: word });
    }
    f.push(Instr::MapNew { dst: map });
    // Ten instructions per word already present, seven otherwise.
    f.bind(tally);
    f.push(Instr::I64And {
        dst: j,
        a: i,
        b: seven,
    });
    f.push(Instr::ListGetCell {
        dst: word,
        list,
        index: j,
    });
    emit_increment(&mut f, Keys::Str, map, word, count, one);
    emit_loop_back(&mut f, i, one, n, tally);
    f.push(Instr::ListGetCell {
        dst: word,
        list,
        index: zero,
    });
    let result = emit_result(&mut f, Keys::Str, map, word, count);
    for _ in WORDS {
        f.push(Instr::ListPopCell { dst: word, list });
        f.push(Instr::Free { cell: word });
    }
    f.push(Instr::Free { cell: list });
    f.push(Instr::Free { cell: map });
    f.ret(&[result]);
    p.function(f);
    p.finish()
}

/// The same operations as the program: `contains_key`, `get` + `insert`
/// (of an owned copy of the key, as the map keeps one), or `insert`.
fn wordcount_native(n: i64) -> i64 {
    let words: Vec<String> = WORDS.iter().map(|w| w.to_string()).collect();
    let mut map = hashbrown::HashMap::<String, i64>::new();
    for i in 0..n {
        let word = words[(i & 7) as usize].as_str();
        if map.contains_key(word) {
            let count = map[word];
            map.insert(word.to_owned(), count + 1);
        } else {
            map.insert(word.to_owned(), 1);
        }
    }
    map.len() as i64 * 1_000_000 + map["the"]
}

fn maps(c: &mut Criterion) {
    let programs = [
        (
            "vm_histogram",
            verified(histogram_program()),
            HIST_N,
            histogram_native as fn(i64) -> i64,
            // Set-up 10, 6 per push, 1 between the loops, 10 per tally (7
            // for the first of each of the 1000 keys), 9 to finish.
            10 + 16 * HIST_N as u64 + 1 - 3 * HIST_BUCKETS as u64 + 9,
        ),
        (
            "vm_wordcount",
            verified(wordcount_program()),
            WORD_N,
            wordcount_native as fn(i64) -> i64,
            // Set-up 22, 10 per word (7 for the first of each of the 8),
            // 2 * 8 + 9 to finish.
            22 + 10 * WORD_N as u64 - 3 * WORDS.len() as u64 + 25,
        ),
    ];
    for (name, program, n, native, instructions) in programs {
        {
            let instance = check_i64_program(&program, n, native(n), instructions);
            // Every object the program made was freed, so repeated calls
            // in the timed loop do not grow the heap.
            assert_eq!(instance.heap().stats().total().live, 0);
        }
        eprintln!("{name}: {n} elements, {instructions} arenavm instructions");
        let mut g = slow_group(c, name, n as u64);
        bench_arenavm_i64(&mut g, &program, n, "program runs");
        bench_native_i64(&mut g, n, native);
        g.finish();
    }
}

criterion_group! {
    name = benches;
    config = criterion_config(Criterion::default());
    targets = fib, count, memsum, maps
}
criterion_main!(benches);
