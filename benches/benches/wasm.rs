//! WebAssembly programs on arenavm, through its embedding API
//! (`arenavm_compiler::embed`: the module translated to VM code, verified
//! and instantiated), against the same WAT text on `wasmi`, in the same run.
//!
//! Every group holds an `arenavm` and a `wasmi` case:
//!
//! - `wasm_fib`: recursive `fib(25)` on `i64`, 242,785 calls;
//! - `wasm_sieve`: sieve of Eratosthenes over the bytes of a 16-page linear
//!   memory, counting the primes below 1,000,000 (78,498);
//! - `wasm_matmul`: 100×100 `f64` matrix product in linear memory (10^6
//!   multiply-adds, inputs filled by the same call) and a weighted checksum
//!   of the product;
//! - `wasm_copy`: two one-page memories (multi-memory): 16 rounds of
//!   `memory.copy $b $a` of 256 chunks of 256 bytes, then a loop that loads
//!   from `$b` and stores to `$a`, word by word or byte by byte, mixing what
//!   it loads into a checksum.
//!
//! Each workload is one exported function of one parameter and one result.
//! Before timing, both engines' results are checked against a plain Rust
//! function doing the same work, so a wrong answer fails the bench. Each
//! case instantiates its module once: only the call is timed.

use std::fmt::Debug;
use std::hint::black_box;

use arenavm_benches::{FIB_WAT, criterion_config, fib_native, slow_group};
use arenavm_compiler::embed::{Linker, Module, Store, TypedFunc, WasmTypeList};
use arenavm_compiler::wasm::Features;
use criterion::{Criterion, criterion_group, criterion_main};

const FIB_N: i64 = 25;
/// Calls `fib(25)` makes: `2 * fib(26) - 1`.
const FIB_CALLS: u64 = 242_785;
/// The sieve counts the primes below this; its bytes fit in 16 pages.
const SIEVE_N: i32 = 1_000_000;
/// Rows and columns of the matrices; three of them fit in 4 pages.
const MATMUL_N: i32 = 100;
/// Rounds of the two-memory copy.
const COPY_ROUNDS: i32 = 16;
/// Bytes of each memory of the copy workload: one page.
const COPY_BYTES: usize = 1 << 16;
/// Bytes each `memory.copy` moves.
const COPY_CHUNK: usize = 256;
/// Multiplier of the copy workload's fill pattern (`word = address * FILL_MUL`).
const FILL_MUL: u32 = 0x9E37_79B1;

/// One workload: the export `export` of the WAT module `wat`, called with
/// `arg`, in the group `group` whose throughput is `elements`.
struct Workload<P> {
    group: &'static str,
    wat: &'static str,
    export: &'static str,
    arg: P,
    elements: u64,
}

/// A store and the export `name` of the WAT module `wat` instantiated in
/// it, on arenavm.
fn arenavm_func<P, R>(wat: &str, name: &str) -> (Store, TypedFunc<P, R>)
where
    P: WasmTypeList,
    R: WasmTypeList,
{
    let module = Module::new(wat, &Features::default()).expect("benchmark module translates");
    let mut store = Store::new();
    let instance = Linker::new()
        .instantiate(&mut store, &module)
        .expect("benchmark module instantiates");
    let func = instance
        .get_typed_func::<P, R>(&store, name)
        .expect("benchmark export has the expected type");
    (store, func)
}

/// The same on wasmi, with multi-memory enabled (it is wasmi 2.0's
/// default; the bench does not rely on that).
fn wasmi_func<P, R>(wat: &str, name: &str) -> (wasmi::Store<()>, wasmi::TypedFunc<P, R>)
where
    P: wasmi::WasmParams,
    R: wasmi::WasmResults,
{
    let wasm = wat::parse_str(wat).expect("benchmark WAT parses");
    let mut config = wasmi::Config::default();
    config.wasm_multi_memory(true);
    let engine = wasmi::Engine::new(&config);
    let module = wasmi::Module::new(&engine, &wasm[..]).expect("benchmark module compiles");
    let mut store = wasmi::Store::new(&engine, ());
    let instance = wasmi::Linker::<()>::new(&engine)
        .instantiate_and_start(&mut store, &module)
        .expect("benchmark module instantiates");
    let func = instance
        .get_typed_func::<P, R>(&store, name)
        .expect("benchmark export has the expected type");
    (store, func)
}

/// Checks that both engines return `expected` for the workload, then
/// times each on an instance of its own, made once.
fn bench_workload<P, R>(c: &mut Criterion, w: &Workload<P>, expected: R)
where
    P: WasmTypeList + wasmi::WasmParams + Copy,
    R: WasmTypeList + wasmi::WasmResults + PartialEq + Debug,
{
    let (mut store, func) = arenavm_func::<P, R>(w.wat, w.export);
    let got = func
        .call(&mut store, w.arg)
        .expect("arenavm runs the workload");
    assert_eq!(got, expected, "{}: arenavm's result", w.group);
    let (mut wstore, wfunc) = wasmi_func::<P, R>(w.wat, w.export);
    let got = wfunc
        .call(&mut wstore, w.arg)
        .expect("wasmi runs the workload");
    assert_eq!(got, expected, "{}: wasmi's result", w.group);
    eprintln!("{}: both engines return {expected:?}", w.group);

    let mut g = slow_group(c, w.group, w.elements);
    g.bench_function("arenavm", |b| {
        b.iter(|| black_box(func.call(&mut store, black_box(w.arg))).expect("arenavm runs"));
    });
    g.bench_function("wasmi", |b| {
        b.iter(|| black_box(wfunc.call(&mut wstore, black_box(w.arg))).expect("wasmi runs"));
    });
    g.finish();
}

// ---------------------------------------------------------------- fib

// ---------------------------------------------------------------- sieve

/// `sieve(n)`: clears bytes `0..n` with `memory.fill`, marks the multiples
/// of each unmarked `i` with `i * i < n` from `i * i` on, then counts the
/// unmarked bytes in `2..n`.
const SIEVE_WAT: &str = r#"
(module
  (memory 16 16)
  (func (export "sieve") (param $n i32) (result i32)
    (local $i i32) (local $j i32) (local $count i32)
    (memory.fill (i32.const 0) (i32.const 0) (local.get $n))
    (local.set $i (i32.const 2))
    (block $marked
      (loop $outer
        (br_if $marked (i32.ge_u (i32.mul (local.get $i) (local.get $i)) (local.get $n)))
        (if (i32.eqz (i32.load8_u (local.get $i)))
          (then
            (local.set $j (i32.mul (local.get $i) (local.get $i)))
            (loop $inner
              (i32.store8 (local.get $j) (i32.const 1))
              (local.set $j (i32.add (local.get $j) (local.get $i)))
              (br_if $inner (i32.lt_u (local.get $j) (local.get $n))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $outer)))
    (local.set $i (i32.const 2))
    (loop $count
      (local.set $count
        (i32.add (local.get $count) (i32.eqz (i32.load8_u (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $count (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $count)))
"#;

fn sieve_native(n: i32) -> i32 {
    let n = n as usize;
    let mut marked = vec![false; n];
    let mut i = 2;
    while i * i < n {
        if !marked[i] {
            for j in (i * i..n).step_by(i) {
                marked[j] = true;
            }
        }
        i += 1;
    }
    marked[2..].iter().filter(|&&m| !m).count() as i32
}

// ---------------------------------------------------------------- matmul

/// `matmul(n)`: fills `A` (at 0) and `B` (after `A`) with
/// `A[i][j] = (7i + 3j) % 11 - 5` and `B[i][j] = (5i + 2j) % 13 - 6`,
/// computes `C = A B` (after `B`; the inner loop walks a row of `A` and a
/// column of `B` by pointer increments) and returns `sum C[k] * (k + 1)`
/// over the row-major index `k`. Every value is a small integer, so the
/// `f64` result is exact.
const MATMUL_WAT: &str = r#"
(module
  (memory 4 4)
  (func (export "matmul") (param $n i32) (result f64)
    (local $i i32) (local $j i32) (local $size i32) (local $stride i32)
    (local $pa i32) (local $pb i32) (local $end i32) (local $pc i32) (local $k i32)
    (local $sum f64) (local $acc f64)
    (local.set $stride (i32.shl (local.get $n) (i32.const 3)))
    (local.set $size (i32.mul (local.get $stride) (local.get $n)))
    (loop $fill_i
      (local.set $j (i32.const 0))
      (loop $fill_j
        (local.set $pa
          (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 3)))
        (f64.store (local.get $pa)
          (f64.convert_i32_s (i32.sub (i32.rem_u (i32.add (i32.mul (local.get $i) (i32.const 7))
            (i32.mul (local.get $j) (i32.const 3))) (i32.const 11)) (i32.const 5))))
        (f64.store (i32.add (local.get $pa) (local.get $size))
          (f64.convert_i32_s (i32.sub (i32.rem_u (i32.add (i32.mul (local.get $i) (i32.const 5))
            (i32.mul (local.get $j) (i32.const 2))) (i32.const 13)) (i32.const 6))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br_if $fill_j (i32.lt_u (local.get $j) (local.get $n))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $fill_i (i32.lt_u (local.get $i) (local.get $n))))
    (local.set $pc (i32.shl (local.get $size) (i32.const 1)))
    (local.set $i (i32.const 0))
    (loop $row
      (local.set $j (i32.const 0))
      (loop $col
        (local.set $pa (i32.mul (local.get $i) (local.get $stride)))
        (local.set $end (i32.add (local.get $pa) (local.get $stride)))
        (local.set $pb (i32.add (local.get $size) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $sum (f64.const 0))
        (loop $dot
          (local.set $sum (f64.add (local.get $sum)
            (f64.mul (f64.load (local.get $pa)) (f64.load (local.get $pb)))))
          (local.set $pa (i32.add (local.get $pa) (i32.const 8)))
          (local.set $pb (i32.add (local.get $pb) (local.get $stride)))
          (br_if $dot (i32.lt_u (local.get $pa) (local.get $end))))
        (f64.store (local.get $pc) (local.get $sum))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (local.set $acc (f64.add (local.get $acc)
          (f64.mul (local.get $sum) (f64.convert_i32_u (local.get $k)))))
        (local.set $pc (i32.add (local.get $pc) (i32.const 8)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br_if $col (i32.lt_u (local.get $j) (local.get $n))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $row (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc)))
"#;

fn matmul_native(n: i32) -> f64 {
    let n = n as usize;
    let a: Vec<f64> = (0..n * n)
        .map(|x| f64::from(((7 * (x / n) + 3 * (x % n)) % 11) as i32 - 5))
        .collect();
    let b: Vec<f64> = (0..n * n)
        .map(|x| f64::from(((5 * (x / n) + 2 * (x % n)) % 13) as i32 - 6))
        .collect();
    let mut acc = 0.0;
    for i in 0..n {
        for j in 0..n {
            let sum = (0..n).fold(0.0, |sum, k| sum + a[i * n + k] * b[k * n + j]);
            acc += sum * (i * n + j + 1) as f64;
        }
    }
    acc
}

// ---------------------------------------------------------------- copy

/// `copy(rounds)`: fills memory `$a` with `a[w] = w * FILL_MUL` for each
/// word address `w`; then round `r` copies `$a` into `$b` with 256
/// `memory.copy $b $a` of 256 bytes, chunk `c` landing in chunk
/// `(c + r + 1) % 256`, then copies `$b` back into `$a`: on even rounds
/// word by word, each rotated left by one bit, on odd rounds byte by byte,
/// swapping neighbouring bytes. Every value loaded from `$b` goes into
/// `acc = acc * 31 + value`, the result.
const COPY_WAT: &str = r#"
(module
  (memory $a 1 1)
  (memory $b 1 1)
  (func (export "copy") (param $rounds i32) (result i32)
    (local $p i32) (local $r i32) (local $x i32) (local $acc i32)
    (loop $fill
      (i32.store $a (local.get $p) (i32.mul (local.get $p) (i32.const 0x9E3779B1)))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (br_if $fill (i32.lt_u (local.get $p) (i32.const 65536))))
    (loop $round
      (local.set $p (i32.const 0))
      (loop $chunks
        (memory.copy $b $a
          (i32.and
            (i32.add (local.get $p) (i32.shl (i32.add (local.get $r) (i32.const 1)) (i32.const 8)))
            (i32.const 0xFFFF))
          (local.get $p)
          (i32.const 256))
        (local.set $p (i32.add (local.get $p) (i32.const 256)))
        (br_if $chunks (i32.lt_u (local.get $p) (i32.const 65536))))
      (local.set $p (i32.const 0))
      (if (i32.and (local.get $r) (i32.const 1))
        (then
          (loop $bytes
            (local.set $x (i32.load8_u $b (i32.xor (local.get $p) (i32.const 1))))
            (i32.store8 $a (local.get $p) (local.get $x))
            (local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 31)) (local.get $x)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br_if $bytes (i32.lt_u (local.get $p) (i32.const 65536)))))
        (else
          (loop $words
            (local.set $x (i32.load $b (local.get $p)))
            (i32.store $a (local.get $p) (i32.rotl (local.get $x) (i32.const 1)))
            (local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 31)) (local.get $x)))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (br_if $words (i32.lt_u (local.get $p) (i32.const 65536))))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br_if $round (i32.lt_u (local.get $r) (local.get $rounds))))
    (local.get $acc)))
"#;

fn copy_native(rounds: i32) -> i32 {
    let mut a = vec![0u8; COPY_BYTES];
    let mut b = vec![0u8; COPY_BYTES];
    for (w, word) in a.chunks_exact_mut(4).enumerate() {
        word.copy_from_slice(&((w * 4) as u32).wrapping_mul(FILL_MUL).to_le_bytes());
    }
    let mut acc = 0u32;
    for r in 0..rounds as usize {
        for src in (0..COPY_BYTES).step_by(COPY_CHUNK) {
            let dst = (src + (r + 1) * COPY_CHUNK) % COPY_BYTES;
            b[dst..dst + COPY_CHUNK].copy_from_slice(&a[src..src + COPY_CHUNK]);
        }
        if r % 2 == 1 {
            for p in 0..COPY_BYTES {
                a[p] = b[p ^ 1];
                acc = acc.wrapping_mul(31).wrapping_add(u32::from(a[p]));
            }
        } else {
            for (from, to) in b.chunks_exact(4).zip(a.chunks_exact_mut(4)) {
                let x = u32::from_le_bytes(from.try_into().unwrap());
                to.copy_from_slice(&x.rotate_left(1).to_le_bytes());
                acc = acc.wrapping_mul(31).wrapping_add(x);
            }
        }
    }
    acc as i32
}

// ---------------------------------------------------------------- groups

fn fib(c: &mut Criterion) {
    let w = Workload {
        group: "wasm_fib",
        wat: FIB_WAT,
        export: "fib",
        arg: FIB_N,
        elements: FIB_CALLS,
    };
    bench_workload(c, &w, fib_native(FIB_N));
}

fn sieve(c: &mut Criterion) {
    let w = Workload {
        group: "wasm_sieve",
        wat: SIEVE_WAT,
        export: "sieve",
        arg: SIEVE_N,
        elements: SIEVE_N as u64,
    };
    bench_workload(c, &w, sieve_native(SIEVE_N));
}

fn matmul(c: &mut Criterion) {
    let n = MATMUL_N as u64;
    let w = Workload {
        group: "wasm_matmul",
        wat: MATMUL_WAT,
        export: "matmul",
        arg: MATMUL_N,
        elements: n * n * n,
    };
    bench_workload(c, &w, matmul_native(MATMUL_N));
}

fn copy(c: &mut Criterion) {
    let w = Workload {
        group: "wasm_copy",
        wat: COPY_WAT,
        export: "copy",
        arg: COPY_ROUNDS,
        // Bytes moved between the memories: each round copies the page
        // twice.
        elements: 2 * COPY_ROUNDS as u64 * COPY_BYTES as u64,
    };
    bench_workload(c, &w, copy_native(COPY_ROUNDS));
}

criterion_group! {
    name = benches;
    config = criterion_config(Criterion::default());
    targets = fib, sieve, matmul, copy
}
criterion_main!(benches);
