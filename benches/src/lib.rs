//! What the benches in `benches/` share: the sampling settings of the slow
//! groups, and workloads that more than one bench runs.

use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, SamplingMode, Throughput};

/// `base` with the settings every bench shares: 20,000 bootstrap
/// resamples, no plots, then whatever the command line says.
pub fn criterion_config(base: Criterion) -> Criterion {
    base.nresamples(20_000)
        .without_plots()
        .configure_from_args()
}

/// A group for runs of milliseconds: flat sampling, 20 samples, 1 s of
/// warm-up and 4 s of measurement, with `elements` units of work per run.
pub fn slow_group<'c>(
    c: &'c mut Criterion,
    name: &str,
    elements: u64,
) -> BenchmarkGroup<'c, WallTime> {
    let mut g = c.benchmark_group(name);
    g.sampling_mode(SamplingMode::Flat)
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .throughput(Throughput::Elements(elements));
    g
}

/// Recursive `fib` on `i64`, exported as `fib`: the WebAssembly of the
/// `vm_fib` and `wasm_fib` groups.
pub const FIB_WAT: &str = r#"
(module
  (func $fib (export "fib") (param $n i64) (result i64)
    (if (result i64) (i64.lt_s (local.get $n) (i64.const 2))
      (then (local.get $n))
      (else
        (i64.add
          (call $fib (i64.sub (local.get $n) (i64.const 1)))
          (call $fib (i64.sub (local.get $n) (i64.const 2))))))))
"#;

/// The same `fib` in Rust, to check results against.
pub fn fib_native(n: i64) -> i64 {
    if n < 2 {
        n
    } else {
        fib_native(n - 1) + fib_native(n - 2)
    }
}
