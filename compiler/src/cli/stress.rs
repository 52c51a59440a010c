//! `arenavm stress`: its arguments, progress bar and summary (human or JSON).

use std::io::{IsTerminal, Write};
use std::num::{NonZeroU32, NonZeroU64};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use arenavm_arenas::GenBits;
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

use super::{parse_in_range, range_error};
use crate::stress::{self, StressConfig, StressReport};

/// Most live objects `--slots` accepts; keeps setup memory around 100 MiB.
const MAX_SLOTS: NonZeroU32 = NonZeroU32::new(1 << 20).unwrap();
/// Runs shorter than this finish too fast for a progress bar to help.
const MIN_CYCLES_FOR_PROGRESS: u64 = 1 << 22;

/// Arguments of `arenavm stress`. Each is range-checked while parsing, so
/// [`StressArgs::config`] cannot fail.
#[derive(Debug, Args)]
pub struct StressArgs {
    /// Generation bits of the heap, 1 to 24: a slot serves 2^B - 1
    /// allocations, then retires.
    #[arg(
        long,
        value_name = "B",
        allow_negative_numbers = true,
        default_value = "24",
        value_parser = gen_bits,
    )]
    gen_bits: GenBits,

    /// Free-and-replace cycles to run.
    #[arg(
        long,
        value_name = "N",
        allow_negative_numbers = true,
        default_value_t = StressConfig::DEFAULT.cycles,
        value_parser = cycles,
    )]
    cycles: u64,

    /// Objects kept live and churned, 1 to 1048576.
    #[arg(
        long,
        value_name = "S",
        allow_negative_numbers = true,
        default_value_t = StressConfig::DEFAULT.slots,
        value_parser = slots,
    )]
    slots: NonZeroU32,

    /// Sweep (nulling stale Cells and reclaiming retired slots) every K
    /// cycles; without this flag, never sweep.
    #[arg(
        long,
        value_name = "K",
        allow_negative_numbers = true,
        value_parser = sweep_every,
    )]
    sweep_every: Option<NonZeroU64>,

    /// Print the summary as one JSON object on stdout (and no progress bar).
    #[arg(long)]
    json: bool,

    /// Seed of the PRNG, for reproducible runs.
    #[arg(
        long,
        value_name = "X",
        allow_negative_numbers = true,
        default_value_t = StressConfig::DEFAULT.seed,
        value_parser = seed,
    )]
    seed: u64,
}

fn gen_bits(text: &str) -> Result<GenBits, String> {
    let range = GenBits::MIN..=GenBits::MAX;
    parse_in_range(text, range.clone())
        .ok()
        .and_then(GenBits::new)
        .ok_or_else(|| range_error(&range))
}

fn cycles(text: &str) -> Result<u64, String> {
    parse_in_range(text, 0..=u64::MAX)
}

fn slots(text: &str) -> Result<NonZeroU32, String> {
    parse_in_range(text, NonZeroU32::MIN..=MAX_SLOTS)
}

fn sweep_every(text: &str) -> Result<NonZeroU64, String> {
    parse_in_range(text, NonZeroU64::MIN..=NonZeroU64::MAX)
}

fn seed(text: &str) -> Result<u64, String> {
    parse_in_range(text, 0..=u64::MAX)
}

impl StressArgs {
    /// The engine configuration these arguments describe.
    pub fn config(&self) -> StressConfig {
        StressConfig {
            gen_bits: self.gen_bits,
            cycles: self.cycles,
            slots: self.slots,
            sweep_every: self.sweep_every,
            seed: self.seed,
        }
    }

    /// Runs the stress test and prints its summary. Exit code 1 if a stale
    /// Cell was accepted or the run failed.
    pub fn run(self) -> ExitCode {
        let config = self.config();
        let bar = progress_bar(config.cycles, self.json);
        let started = Instant::now();
        let outcome = stress::run(&config, |done| bar.set_position(done));
        let elapsed = started.elapsed();
        bar.finish_and_clear();

        let report = match outcome {
            Ok(report) => report,
            Err(error) => {
                eprintln!("error: {error}");
                return ExitCode::FAILURE;
            }
        };
        let summary = Summary::new(&config, &report, elapsed, peak_rss_bytes());
        let text = if self.json {
            match serde_json::to_string(&summary) {
                Ok(json) => json + "\n",
                Err(error) => {
                    eprintln!("error: cannot encode the summary as JSON: {error}");
                    return ExitCode::FAILURE;
                }
            }
        } else {
            summary.to_human()
        };
        if std::io::stdout().lock().write_all(text.as_bytes()).is_err() {
            return ExitCode::FAILURE;
        }
        if report.passed() {
            ExitCode::SUCCESS
        } else {
            eprintln!(
                "error: {} stale Cell probes were accepted; temporal safety is broken",
                report.stale_accepted
            );
            ExitCode::FAILURE
        }
    }
}

/// A bar on stderr for long runs, hidden when stderr is not a terminal or the
/// output is JSON.
fn progress_bar(cycles: u64, json: bool) -> ProgressBar {
    if json || cycles < MIN_CYCLES_FOR_PROGRESS || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let style = ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {wide_bar} {human_pos}/{human_len} cycles ({per_sec:0}, {eta} left)",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    ProgressBar::with_draw_target(Some(cycles), ProgressDrawTarget::stderr()).with_style(style)
}

/// Peak resident set size of this process (`VmHWM`), where `/proc` has it.
fn peak_rss_bytes() -> Option<u64> {
    parse_vm_hwm(&std::fs::read_to_string("/proc/self/status").ok()?)
}

/// The `VmHWM:   1234 kB` line of `/proc/self/status`, in bytes.
fn parse_vm_hwm(status: &str) -> Option<u64> {
    let line = status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?;
    let kib: u64 = line.trim().strip_suffix("kB")?.trim().parse().ok()?;
    kib.checked_mul(1024)
}

/// What `arenavm stress` reports; `--json` prints exactly this.
#[derive(Debug, Serialize)]
struct Summary {
    gen_bits: u8,
    slots: u32,
    sweep_every: Option<u64>,
    seed: u64,
    cycles: u64,
    retired: u64,
    reclaimed: u64,
    sweeps: u64,
    nulled_roots: u64,
    nulled_in_heap: u64,
    stale_probes: u64,
    stale_rejected: u64,
    stale_accepted: u64,
    first_accepted: Option<String>,
    elapsed_secs: f64,
    cycles_per_sec: f64,
    peak_rss_bytes: Option<u64>,
}

impl Summary {
    fn new(
        config: &StressConfig,
        report: &StressReport,
        elapsed: Duration,
        peak_rss_bytes: Option<u64>,
    ) -> Summary {
        let secs = elapsed.as_secs_f64();
        let cycles_per_sec = if secs > 0.0 {
            (report.cycles as f64 / secs).round()
        } else {
            0.0
        };
        Summary {
            gen_bits: config.gen_bits.bits(),
            slots: config.slots.get(),
            sweep_every: config.sweep_every.map(NonZeroU64::get),
            seed: config.seed,
            cycles: report.cycles,
            retired: report.retired,
            reclaimed: report.reclaimed,
            sweeps: report.sweeps,
            nulled_roots: report.nulled_roots,
            nulled_in_heap: report.nulled_in_heap,
            stale_probes: report.stale_probes,
            stale_rejected: report.stale_rejected,
            stale_accepted: report.stale_accepted,
            first_accepted: report.first_accepted.map(|cell| cell.to_string()),
            elapsed_secs: secs,
            cycles_per_sec,
            peak_rss_bytes,
        }
    }

    /// The summary as an aligned table with a one-line verdict.
    fn to_human(&self) -> String {
        let sweeping = match self.sweep_every {
            Some(every) => format!("sweep every {}", counted(every, "cycle")),
            None => "no sweeps".to_string(),
        };
        let mut rows = vec![
            ("cycles", grouped(self.cycles)),
            ("cycles/s", grouped(self.cycles_per_sec as u64)),
            ("retirements", grouped(self.retired)),
        ];
        if self.sweep_every.is_some() {
            rows.push((
                "reclaimed slots",
                format!(
                    "{} in {} sweeps",
                    grouped(self.reclaimed),
                    grouped(self.sweeps)
                ),
            ));
            rows.push((
                "nulled by sweeps",
                format!(
                    "{} root Cells, {} Cells in the bag list",
                    grouped(self.nulled_roots),
                    grouped(self.nulled_in_heap)
                ),
            ));
        } else {
            rows.push(("reclaimed slots", "0 (no sweeps)".to_string()));
        }
        rows.push((
            "stale probes",
            format!(
                "{}: {} rejected, {} accepted",
                grouped(self.stale_probes),
                grouped(self.stale_rejected),
                grouped(self.stale_accepted)
            ),
        ));
        rows.push((
            "peak memory",
            self.peak_rss_bytes.map_or_else(
                || "unavailable (no /proc/self/status)".to_string(),
                |bytes| {
                    format!(
                        "{:.1} MiB ({} bytes)",
                        bytes as f64 / 1048576.0,
                        grouped(bytes)
                    )
                },
            ),
        ));

        let mut text = format!(
            "arenavm stress: gen-bits {}, {}, {sweeping}, seed {}\n",
            self.gen_bits,
            counted(u64::from(self.slots), "slot"),
            self.seed
        );
        for (label, value) in rows {
            text += &format!("  {label:<18}{value}\n");
        }
        text += &match &self.first_accepted {
            None => "ok: every stale Cell was refused\n".to_string(),
            Some(cell) => format!(
                "FAILED: {} stale Cell probes were accepted (first: {cell})\n",
                grouped(self.stale_accepted)
            ),
        };
        text
    }
}

/// `n` with commas between groups of three digits.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() * 4 / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// `n` grouped, then `noun`, plural unless `n` is 1.
fn counted(n: u64, noun: &str) -> String {
    let plural = if n == 1 { "" } else { "s" };
    format!("{} {noun}{plural}", grouped(n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, Command};
    use clap::Parser;

    #[test]
    fn no_flags_means_the_engine_defaults() {
        let cli = Cli::try_parse_from(["arenavm", "stress"]).unwrap();
        let Command::Stress(args) = cli.command else {
            panic!("parsed as another subcommand")
        };
        assert_eq!(args.config(), StressConfig::DEFAULT);
        assert!(!args.json);
    }

    #[test]
    fn flags_reach_the_config() {
        let cli = Cli::try_parse_from([
            "arenavm",
            "stress",
            "--gen-bits",
            "4",
            "--cycles",
            "10_000_000",
            "--slots",
            "16",
            "--sweep-every",
            "100000",
            "--seed",
            "7",
            "--json",
        ])
        .unwrap();
        let Command::Stress(args) = cli.command else {
            panic!("parsed as another subcommand")
        };
        let config = args.config();
        assert_eq!(config.gen_bits.bits(), 4);
        assert_eq!(config.cycles, 10_000_000);
        assert_eq!(config.slots.get(), 16);
        assert_eq!(config.sweep_every.map(NonZeroU64::get), Some(100_000));
        assert_eq!(config.seed, 7);
        assert!(args.json);
    }

    #[test]
    fn vm_hwm_is_parsed_in_bytes_and_its_absence_tolerated() {
        let status = "Name:\tarenavm\nVmPeak:\t  9000 kB\nVmHWM:\t    1234 kB\nVmRSS:\t 1000 kB\n";
        assert_eq!(parse_vm_hwm(status), Some(1234 * 1024));
        assert_eq!(parse_vm_hwm("Name:\tarenavm\n"), None);
        assert_eq!(parse_vm_hwm("VmHWM: lots\n"), None);
    }

    #[test]
    fn numbers_are_grouped_by_thousands() {
        let cases = [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (1234567, "1,234,567"),
        ];
        for (n, text) in cases {
            assert_eq!(grouped(n), text);
        }
        assert_eq!(grouped(u64::MAX), "18,446,744,073,709,551,615");
    }

    #[test]
    fn human_summary_names_every_figure_and_the_verdict() {
        let config = StressConfig {
            sweep_every: NonZeroU64::new(10),
            ..StressConfig::DEFAULT
        };
        let report = StressReport {
            cycles: 2000,
            retired: 3,
            reclaimed: 2,
            sweeps: 200,
            stale_probes: 50,
            stale_rejected: 50,
            ..StressReport::default()
        };
        let text = Summary::new(&config, &report, Duration::from_secs(2), None).to_human();
        for needle in [
            "cycles/s          1,000",
            "retirements       3",
            "reclaimed slots   2 in 200 sweeps",
            "stale probes      50: 50 rejected, 0 accepted",
            "peak memory       unavailable",
            "ok: every stale Cell was refused",
        ] {
            assert!(text.contains(needle), "{needle:?} missing from\n{text}");
        }
    }
}
