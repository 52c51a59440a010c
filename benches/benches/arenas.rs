//! arenavm's arenas against a peer doing the same work, in the same run.
//!
//! Every group holds an `arenavm` case next to its peer with the same
//! parameter, so criterion reports them side by side and the ratio
//! (arenavm / peer) is taken from one run on one machine.
//!
//! - `alloc_free`: `Heap::alloc` + `Heap::free` vs `SlotMap::insert` + `remove`;
//! - `get`: reads through Cells vs `SlotMap::get`, sequential and shuffled;
//! - `slice`: `Heap::slice_get` (and `Heap::get` on the whole array) vs a
//!   plain `&[i64]` sub-slice;
//! - `copy_64k`: `Heap::copy` of 64 KiB vs `<[u8]>::copy_from_slice`.

use std::hint::black_box;
use std::time::Duration;

use arenavm_arenas::{AccessError, Bytes, Cell, FreeOutcome, Heap, I64Array};
use arenavm_benches::criterion_config;
use criterion::measurement::WallTime;
use criterion::{
    BenchmarkGroup, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main,
};
use slotmap::{DefaultKey, SlotMap};

/// Live objects in the "many live" and "get" cases.
const LIVE: usize = 10_000;
/// Length of the array the slice benchmarks read from, and of the window.
const ARRAY_LEN: usize = 4096;
const WINDOW_START: usize = 1024;
const WINDOW_LEN: usize = 2048;
/// Bytes moved by one bulk copy.
const COPY_BYTES: usize = 64 * 1024;

/// A fixed permutation of `0..n` (xorshift-driven Fisher–Yates), so both
/// sides of a comparison visit their handles in the same pseudo-random order.
fn shuffled(n: usize) -> Vec<usize> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let j = (state % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
    order
}

fn orders(n: usize) -> [(&'static str, Vec<usize>); 2] {
    [("sequential", (0..n).collect()), ("shuffled", shuffled(n))]
}

/// alloc + free of one object per iteration. The payload is an empty typed
/// array on one side and an empty `Vec<i64>` on the other: same size, no
/// allocator call on either side (`small4` adds one 32-byte allocation each).
/// The handle and the result of the free go through `black_box`; the payload
/// is built in place on both sides, as a VM would build it.
fn alloc_free(c: &mut Criterion) {
    let mut g = c.benchmark_group("alloc_free");
    g.throughput(Throughput::Elements(1));

    g.bench_function(BenchmarkId::new("arenavm", "empty"), |b| {
        let mut heap = Heap::default();
        b.iter(|| {
            let cell = heap.alloc(I64Array::default()).unwrap();
            black_box(heap.free(black_box(cell)).unwrap());
        });
    });
    g.bench_function(BenchmarkId::new("slotmap", "empty"), |b| {
        let mut map: SlotMap<DefaultKey, Vec<i64>> = SlotMap::new();
        b.iter(|| {
            let key = map.insert(Vec::new());
            black_box(map.remove(black_box(key)).unwrap());
        });
    });

    g.bench_function(BenchmarkId::new("arenavm", "small4"), |b| {
        let mut heap = Heap::default();
        b.iter(|| {
            let cell = heap.alloc(I64Array::from(vec![1i64, 2, 3, 4])).unwrap();
            black_box(heap.free(black_box(cell)).unwrap());
        });
    });
    g.bench_function(BenchmarkId::new("slotmap", "small4"), |b| {
        let mut map: SlotMap<DefaultKey, Vec<i64>> = SlotMap::new();
        b.iter(|| {
            let key = map.insert(vec![1i64, 2, 3, 4]);
            black_box(map.remove(black_box(key)).unwrap());
        });
    });

    // 10k objects stay live; each iteration frees the next one in a fixed
    // shuffled order and allocates its replacement.
    let order = shuffled(LIVE);
    // `Heap::free` dispatches on the Cell's arena; `Heap::free_as` is the
    // typed form the VM uses, where the register type names the arena.
    let dynamic = |heap: &mut Heap, cell| heap.free(cell);
    let typed = |heap: &mut Heap, cell| heap.free_as::<I64Array>(cell);
    bench_live_churn(&mut g, "arenavm", &order, dynamic);
    bench_live_churn(&mut g, "arenavm-typed", &order, typed);
    g.bench_function(BenchmarkId::new("slotmap", "live10k"), |b| {
        let mut map: SlotMap<DefaultKey, Vec<i64>> = SlotMap::new();
        let mut keys: Vec<DefaultKey> = (0..LIVE).map(|_| map.insert(Vec::new())).collect();
        let mut i = 0;
        b.iter(|| {
            let at = order[i];
            black_box(map.remove(keys[at]).unwrap());
            keys[at] = map.insert(Vec::new());
            i = if i + 1 == LIVE { 0 } else { i + 1 };
        });
    });
    g.finish();
}

/// 10k objects stay live; each iteration frees the next one in `order`
/// through `free` and allocates its replacement.
fn bench_live_churn<F>(g: &mut BenchmarkGroup<'_, WallTime>, name: &str, order: &[usize], free: F)
where
    F: Fn(&mut Heap, Cell) -> Result<FreeOutcome, AccessError>,
{
    g.bench_function(BenchmarkId::new(name, "live10k"), |b| {
        let mut heap = Heap::default();
        let mut cells: Vec<Cell> = (0..LIVE)
            .map(|_| heap.alloc(I64Array::default()).unwrap())
            .collect();
        let mut i = 0;
        b.iter(|| {
            let at = order[i];
            black_box(free(&mut heap, cells[at]).unwrap());
            cells[at] = heap.alloc(I64Array::default()).unwrap();
            i = if i + 1 == LIVE { 0 } else { i + 1 };
        });
    });
}

/// Checked reads through 10k live handles, visited in the same order on
/// both sides. `get` resolves the handle and reads the object's length
/// (no payload access); `get_elem` also reads element 0, bounds-checked.
fn get(c: &mut Criterion) {
    let mut g = c.benchmark_group("get");
    g.throughput(Throughput::Elements(LIVE as u64));

    let mut heap = Heap::default();
    let mut map: SlotMap<DefaultKey, Vec<i64>> = SlotMap::new();
    let mut cells = Vec::with_capacity(LIVE);
    let mut keys = Vec::with_capacity(LIVE);
    for i in 0..LIVE {
        cells.push(heap.alloc(I64Array::from(vec![i as i64])).unwrap());
        keys.push(map.insert(vec![i as i64]));
    }

    for (order_name, order) in orders(LIVE) {
        let cells: Vec<Cell> = order.iter().map(|&i| cells[i]).collect();
        let keys: Vec<DefaultKey> = order.iter().map(|&i| keys[i]).collect();

        g.bench_function(BenchmarkId::new("arenavm/get", order_name), |b| {
            b.iter(|| {
                let mut sum = 0u64;
                for &cell in &cells {
                    sum += heap.get::<I64Array>(cell).unwrap().len();
                }
                black_box(sum)
            });
        });
        g.bench_function(BenchmarkId::new("slotmap/get", order_name), |b| {
            b.iter(|| {
                let mut sum = 0u64;
                for &key in &keys {
                    sum += map.get(key).unwrap().len() as u64;
                }
                black_box(sum)
            });
        });

        g.bench_function(BenchmarkId::new("arenavm/get_elem", order_name), |b| {
            b.iter(|| {
                let mut sum = 0i64;
                for &cell in &cells {
                    sum = sum.wrapping_add(heap.get::<I64Array>(cell).unwrap().get(0).unwrap());
                }
                black_box(sum)
            });
        });
        g.bench_function(BenchmarkId::new("slotmap/get_elem", order_name), |b| {
            b.iter(|| {
                let mut sum = 0i64;
                for &key in &keys {
                    sum = sum.wrapping_add(*map.get(key).unwrap().first().unwrap());
                }
                black_box(sum)
            });
        });
    }
    g.finish();
}

/// Reads every element of a 2048-element window of a 4096-element i64 array.
/// The handle (slice, Cell or `&[i64]`) goes through `black_box` on every
/// access, so no side can hoist its checks out of the loop: each access pays
/// what a VM instruction would.
fn slice(c: &mut Criterion) {
    let mut g = c.benchmark_group("slice");
    g.throughput(Throughput::Elements(WINDOW_LEN as u64));

    let data: Vec<i64> = (0..ARRAY_LEN as i64).collect();
    let mut heap = Heap::default();
    let cell = heap.alloc(I64Array::from(data.clone())).unwrap();
    let window = heap
        .slice(cell, WINDOW_START as u64, WINDOW_LEN as u64)
        .unwrap();
    let plain: &[i64] = &data[WINDOW_START..WINDOW_START + WINDOW_LEN];

    for (order_name, order) in orders(WINDOW_LEN) {
        let order: Vec<u64> = order.iter().map(|&i| i as u64).collect();
        g.bench_function(BenchmarkId::new("arenavm/slice_get", order_name), |b| {
            b.iter(|| {
                let mut sum = 0i64;
                for &i in &order {
                    let v: i64 = heap.slice_get(&black_box(window), i).unwrap();
                    sum = sum.wrapping_add(v);
                }
                black_box(sum)
            });
        });
        g.bench_function(BenchmarkId::new("arenavm/whole_get", order_name), |b| {
            b.iter(|| {
                let mut sum = 0i64;
                for &i in &order {
                    let array = heap.get::<I64Array>(black_box(cell)).unwrap();
                    sum = sum.wrapping_add(array.get(WINDOW_START as u64 + i).unwrap());
                }
                black_box(sum)
            });
        });
        g.bench_function(BenchmarkId::new("plain/index", order_name), |b| {
            b.iter(|| {
                let mut sum = 0i64;
                for &i in &order {
                    sum = sum.wrapping_add(black_box(plain)[i as usize]);
                }
                black_box(sum)
            });
        });
    }
    g.finish();
}

/// 64 KiB bulk copies. Distinct segments against `copy_from_slice` between
/// two Vecs; within one 128 KiB segment (the `memmove` path) against the
/// same `copy_from_slice` and against `<[u8]>::copy_within` on one Vec.
fn copy_64k(c: &mut Criterion) {
    let mut g = c.benchmark_group("copy_64k");
    g.throughput(Throughput::Bytes(COPY_BYTES as u64));
    let n = COPY_BYTES as u64;
    let pattern = |len: usize| -> Vec<u8> { (0..len).map(|i| i as u8).collect() };

    g.bench_function(BenchmarkId::new("arenavm", "distinct"), |b| {
        let mut heap = Heap::default();
        let src = heap
            .alloc(Bytes::from_vec(pattern(COPY_BYTES), n).unwrap())
            .unwrap();
        let dst = heap.alloc(Bytes::zeroed(n, n).unwrap()).unwrap();
        b.iter(|| {
            heap.copy(black_box(dst), 0, black_box(src), 0, black_box(n))
                .unwrap();
        });
        black_box(heap.get::<Bytes>(dst).unwrap().as_slice()[COPY_BYTES - 1]);
    });
    g.bench_function(BenchmarkId::new("copy_from_slice", "distinct"), |b| {
        let src = pattern(COPY_BYTES);
        let mut dst = vec![0u8; COPY_BYTES];
        b.iter(|| {
            black_box(&mut dst[..]).copy_from_slice(black_box(&src[..]));
        });
        black_box(dst[COPY_BYTES - 1]);
    });

    g.bench_function(BenchmarkId::new("arenavm", "within"), |b| {
        let mut heap = Heap::default();
        let seg = heap
            .alloc(Bytes::from_vec(pattern(2 * COPY_BYTES), 2 * n).unwrap())
            .unwrap();
        b.iter(|| {
            heap.copy(black_box(seg), n, black_box(seg), 0, black_box(n))
                .unwrap();
        });
        black_box(heap.get::<Bytes>(seg).unwrap().as_slice()[COPY_BYTES]);
    });
    g.bench_function(BenchmarkId::new("copy_from_slice", "within"), |b| {
        let mut seg = pattern(2 * COPY_BYTES);
        b.iter(|| {
            let (lo, hi) = black_box(&mut seg[..]).split_at_mut(COPY_BYTES);
            hi.copy_from_slice(lo);
        });
        black_box(seg[COPY_BYTES]);
    });
    g.bench_function(BenchmarkId::new("copy_within", "within"), |b| {
        let mut seg = pattern(2 * COPY_BYTES);
        b.iter(|| {
            black_box(&mut seg[..]).copy_within(0..COPY_BYTES, black_box(COPY_BYTES));
        });
        black_box(seg[COPY_BYTES]);
    });
    g.finish();
}

fn config() -> Criterion {
    criterion_config(
        Criterion::default()
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_millis(1500))
            .sample_size(50),
    )
}

criterion_group! {
    name = benches;
    config = config();
    targets = alloc_free, get, slice, copy_64k
}
criterion_main!(benches);
