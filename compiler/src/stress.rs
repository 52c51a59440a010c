//! The engine behind `arenavm stress`: drives slots through many generation
//! wraparounds and checks that no stale Cell is ever accepted again.
//!
//! One *cycle* frees one of the live objects and allocates its replacement in
//! the same arena. The slab's free list is LIFO, so the replacement reuses the
//! slot just freed at the next generation; a slot freed at its maximum
//! generation retires and a fresh (or reclaimed) slot takes over.
//!
//! Every freed Cell is offered to two bounded samples of stale Cells: one held
//! outside the heap (the *root sample*) and one stored as [`Value::Cell`]s in
//! a *bag* list inside the heap. Both are probed with [`Heap::check`]
//! periodically, before sweeps and at the end; every probe must be refused.
//!
//! With sweeps, the root sample is passed to [`Heap::sweep`] as roots, as the
//! embedder contract requires ("every Cell held outside the heap is a root"),
//! and the sweep itself must null the bag's Cells. A Cell the sweep should
//! have nulled but did not shows up as an accepted probe once its slot is
//! reclaimed and reused. The unit tests prove that by breaking the contract.

use std::fmt;
use std::num::{NonZeroU32, NonZeroU64};

use arenavm_arenas::{AccessError, Bytes, Cell, GenBits, Heap, HeapConfig, List, Str, Value};

/// Most stale Cells held in the root sample.
pub const SAMPLE_CAPACITY: usize = 4096;
/// Most stale Cells held in the bag list.
pub const BAG_CAPACITY: usize = 1024;
/// Cycles between periodic probes; progress is reported at the same pace.
pub const PROBE_INTERVAL: u64 = 1 << 16;
/// A sweep probes first unless a probe ran within this many cycles. This keeps
/// probing to at most about one check per cycle however often sweeps run.
const MIN_PROBE_GAP: u64 = (SAMPLE_CAPACITY + BAG_CAPACITY) as u64;

/// What to run. Every field is valid by construction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StressConfig {
    /// Generation width of the heap.
    pub gen_bits: GenBits,
    /// Number of free-and-replace cycles.
    pub cycles: u64,
    /// Number of objects kept live (and churned).
    pub slots: NonZeroU32,
    /// Sweep every this many cycles; `None` never sweeps.
    pub sweep_every: Option<NonZeroU64>,
    /// Seed of the PRNG that picks victims and sample positions.
    pub seed: u64,
}

impl StressConfig {
    /// The defaults of `arenavm stress`: a run of a second or less in release.
    pub const DEFAULT: StressConfig = StressConfig {
        gen_bits: GenBits::DEFAULT,
        cycles: 1_000_000,
        slots: NonZeroU32::new(64).unwrap(),
        sweep_every: None,
        seed: 0x5eed,
    };
}

impl Default for StressConfig {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// What a run observed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StressReport {
    /// Cycles run.
    pub cycles: u64,
    /// Slots retired (freed at their maximum generation), in every arena.
    pub retired: u64,
    /// Retired slots that sweeps returned to service.
    pub reclaimed: u64,
    /// Sweeps run.
    pub sweeps: u64,
    /// Root Cells the sweeps nulled (stale sample Cells naming retired slots).
    pub nulled_roots: u64,
    /// Cells the sweeps nulled inside containers (the bag).
    pub nulled_in_heap: u64,
    /// Checked accesses through stale Cells.
    pub stale_probes: u64,
    /// Stale probes refused, as they all must be.
    pub stale_rejected: u64,
    /// Stale probes accepted: each one is a temporal-safety violation.
    pub stale_accepted: u64,
    /// The first stale Cell that was accepted, for the diagnosis.
    pub first_accepted: Option<Cell>,
}

impl StressReport {
    /// True if every stale probe was refused.
    pub fn passed(&self) -> bool {
        self.stale_accepted == 0
    }

    fn record_probe(&mut self, cell: Cell, accepted: bool) {
        self.stale_probes += 1;
        if accepted {
            self.stale_accepted += 1;
            self.first_accepted.get_or_insert(cell);
        } else {
            self.stale_rejected += 1;
        }
    }
}

/// Why a run stopped early. Stale probes never cause this: they are counted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StressError {
    /// An operation on a live object failed: out of memory, or an arena bug.
    Heap {
        during: &'static str,
        error: AccessError,
    },
    /// A sweep nulled a root naming a live object: an arena bug.
    LiveRootNulled { what: &'static str },
}

impl fmt::Display for StressError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StressError::Heap { during, error } => write!(f, "{during}: {error}"),
            StressError::LiveRootNulled { what } => {
                write!(f, "a sweep nulled the Cell of {what}, which is live")
            }
        }
    }
}

impl std::error::Error for StressError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StressError::Heap { error, .. } => Some(error),
            StressError::LiveRootNulled { .. } => None,
        }
    }
}

/// Runs `config` honouring the embedder contract. `progress` receives the
/// number of cycles done every [`PROBE_INTERVAL`] cycles and at the end.
pub fn run(config: &StressConfig, progress: impl FnMut(u64)) -> Result<StressReport, StressError> {
    Engine::new(*config, Rooting::Contract)?.run(progress)
}

/// SplitMix64 (Steele, Lea and Flood): tiny, fast, and good enough to pick
/// victims reproducibly from a seed.
#[derive(Clone, Debug)]
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound` (`bound > 0`) by multiply-shift; the bias,
    /// below `bound / 2^64`, is irrelevant here.
    fn below(&mut self, bound: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(bound)) >> 64) as u64
    }
}

/// Chooses where each offered stale Cell goes in a fixed-size sample.
///
/// Vacant positions (never filled, or nulled by a sweep) are filled first;
/// once full, Algorithm R keeps the sample a uniform draw over every Cell
/// offered, so it spans old generations as well as recent ones.
#[derive(Debug)]
struct Reservoir {
    capacity: u64,
    offered: u64,
    vacant: Vec<usize>,
}

impl Reservoir {
    fn new(capacity: usize) -> Reservoir {
        Reservoir {
            capacity: capacity as u64,
            offered: 0,
            vacant: (0..capacity).rev().collect(),
        }
    }

    /// The position the next offered Cell should take, if any.
    fn place(&mut self, rng: &mut SplitMix64) -> Option<usize> {
        self.offered += 1;
        if let Some(position) = self.vacant.pop() {
            return Some(position);
        }
        let pick = rng.below(self.offered);
        (pick < self.capacity).then_some(pick as usize)
    }

    /// Re-reads which positions are vacant after a sweep nulled some.
    fn set_vacancies(&mut self, is_vacant: impl Iterator<Item = bool>) {
        self.vacant.clear();
        self.vacant.extend(
            is_vacant
                .enumerate()
                .filter_map(|(position, vacant)| vacant.then_some(position)),
        );
    }
}

/// The arenas the churned objects live in. Object `i` is always of kind
/// `ALL[i % 3]`, so its replacement lands in the slot it just freed.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Str,
    List,
    Bytes,
}

impl Kind {
    const ALL: [Kind; 3] = [Kind::Str, Kind::List, Kind::Bytes];

    fn of(index: usize) -> Kind {
        Self::ALL[index % Self::ALL.len()]
    }

    /// A small object of this kind; `stamp` makes contents vary.
    fn alloc(self, heap: &mut Heap, stamp: u64) -> Result<Cell, AccessError> {
        match self {
            Kind::Str => heap.alloc(Str::from("stress")),
            Kind::List => heap.alloc(List::from(vec![Value::I64(stamp.cast_signed())])),
            Kind::Bytes => heap.alloc(Bytes::from_vec(stamp.to_le_bytes().to_vec(), 64)?),
        }
    }
}

/// Which Cells a sweep receives as roots.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rooting {
    /// Every Cell held outside the heap: the live objects, the bag and the
    /// root sample.
    Contract,
    /// The negative control: the root sample is left out, breaking the
    /// contract, so its Cells survive the reclamation of their slots.
    #[cfg(test)]
    OmitSample,
}

/// Adds what a failed heap operation was doing.
fn heap_error(during: &'static str) -> impl FnOnce(AccessError) -> StressError {
    move |error| StressError::Heap { during, error }
}

/// The Cell of a live root. Live slots are never retired, so a sweep never
/// nulls one; `None` would be an arena bug.
fn live(root: Option<Cell>, what: &'static str) -> Result<Cell, StressError> {
    root.ok_or(StressError::LiveRootNulled { what })
}

/// One run's state.
///
/// Invariants: `objects` and `bag` are `Some` and live; `sample` and the bag's
/// elements hold only Cells that have been freed (or `None`/`Null`).
#[derive(Debug)]
struct Engine {
    config: StressConfig,
    heap: Heap,
    rng: SplitMix64,
    rooting: Rooting,
    /// The churned objects, held as `Option` so they can be sweep roots.
    objects: Vec<Option<Cell>>,
    /// The list that holds the in-heap sample of stale Cells.
    bag: Option<Cell>,
    /// The root sample of stale Cells; `None` where a sweep nulled one.
    sample: Vec<Option<Cell>>,
    sample_places: Reservoir,
    bag_places: Reservoir,
    report: StressReport,
}

impl Engine {
    fn new(config: StressConfig, rooting: Rooting) -> Result<Engine, StressError> {
        let mut heap = Heap::new(HeapConfig {
            gen_bits: config.gen_bits,
        });
        let bag = List::with_len(BAG_CAPACITY as u64)
            .and_then(|list| heap.alloc(list))
            .map_err(heap_error("allocating the bag"))?;
        let objects = (0..config.slots.get() as usize)
            .map(|index| Kind::of(index).alloc(&mut heap, 0).map(Some))
            .collect::<Result<Vec<_>, _>>()
            .map_err(heap_error("allocating the live objects"))?;
        Ok(Engine {
            config,
            heap,
            rng: SplitMix64(config.seed),
            rooting,
            objects,
            bag: Some(bag),
            sample: vec![None; SAMPLE_CAPACITY],
            sample_places: Reservoir::new(SAMPLE_CAPACITY),
            bag_places: Reservoir::new(BAG_CAPACITY),
            report: StressReport::default(),
        })
    }

    fn run(mut self, mut progress: impl FnMut(u64)) -> Result<StressReport, StressError> {
        let config = self.config;
        let sweep_every = config.sweep_every.map(NonZeroU64::get);
        let mut since_sweep = 0;
        let mut last_probe = 0;
        for cycle in 1..=config.cycles {
            self.churn(cycle)?;
            if let Some(every) = sweep_every {
                since_sweep += 1;
                if since_sweep == every {
                    since_sweep = 0;
                    if cycle - last_probe >= MIN_PROBE_GAP {
                        self.probe()?;
                        last_probe = cycle;
                    }
                    self.sweep()?;
                }
            }
            if cycle.is_multiple_of(PROBE_INTERVAL) {
                self.probe()?;
                last_probe = cycle;
                progress(cycle);
            }
        }
        self.probe()?;
        progress(config.cycles);

        let totals = self.heap.stats().total();
        self.report.cycles = config.cycles;
        self.report.retired = totals.retirements;
        self.report.reclaimed = totals.reclaimed;
        Ok(self.report)
    }

    /// One cycle: frees a random live object, allocates its replacement in
    /// the same arena (hence the same slot, LIFO) and offers the stale Cell
    /// to the samples.
    fn churn(&mut self, cycle: u64) -> Result<(), StressError> {
        let index = self.rng.below(self.objects.len() as u64) as usize;
        let stale = live(self.objects[index], "a churned object")?;
        self.heap
            .free(stale)
            .map_err(heap_error("freeing a live object"))?;
        let replacement = Kind::of(index)
            .alloc(&mut self.heap, cycle)
            .map_err(heap_error("allocating a replacement"))?;
        self.objects[index] = Some(replacement);

        if let Some(position) = self.sample_places.place(&mut self.rng) {
            self.sample[position] = Some(stale);
        }
        if let Some(position) = self.bag_places.place(&mut self.rng) {
            let bag = live(self.bag, "the bag")?;
            self.heap
                .get_mut::<List>(bag)
                .and_then(|list| list.set(position as u64, Value::Cell(stale)))
                .map_err(heap_error("storing a stale Cell in the bag"))?;
        }
        Ok(())
    }

    /// Checks every sampled stale Cell, in the root sample and in the bag.
    fn probe(&mut self) -> Result<(), StressError> {
        let bag = self
            .heap
            .get::<List>(live(self.bag, "the bag")?)
            .map_err(heap_error("reading the bag"))?;
        let bagged = bag.as_slice().iter().filter_map(|value| value.as_cell());
        for cell in self.sample.iter().flatten().copied().chain(bagged) {
            self.report
                .record_probe(cell, self.heap.check(cell).is_ok());
        }
        Ok(())
    }

    /// Sweeps with the roots `rooting` selects, then notes which sample
    /// positions the sweep vacated.
    fn sweep(&mut self) -> Result<(), StressError> {
        let (objects, bag) = (&mut self.objects, std::slice::from_mut(&mut self.bag));
        let swept = match self.rooting {
            Rooting::Contract => self.heap.sweep(&mut (objects, bag, &mut self.sample)),
            #[cfg(test)]
            Rooting::OmitSample => self.heap.sweep(&mut (objects, bag)),
        };
        self.report.sweeps += 1;
        self.report.nulled_roots += swept.nulled_roots;
        self.report.nulled_in_heap += swept.nulled_in_heap;

        self.sample_places
            .set_vacancies(self.sample.iter().map(Option::is_none));
        let bag = self
            .heap
            .get::<List>(live(self.bag, "the bag")?)
            .map_err(heap_error("reading the bag"))?;
        self.bag_places
            .set_vacancies(bag.as_slice().iter().map(|v| v.as_cell().is_none()));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(bits: u8, cycles: u64, slots: u32, sweep_every: Option<u64>) -> StressConfig {
        StressConfig {
            gen_bits: GenBits::new(bits).unwrap(),
            cycles,
            slots: NonZeroU32::new(slots).unwrap(),
            sweep_every: sweep_every.and_then(NonZeroU64::new),
            seed: 42,
        }
    }

    fn run_with(config: &StressConfig, rooting: Rooting) -> StressReport {
        Engine::new(*config, rooting).unwrap().run(|_| ()).unwrap()
    }

    #[test]
    fn splitmix_matches_the_reference_sequence() {
        // Seed 1234567, as in Rosetta Code's SplitMix64 task.
        let mut rng = SplitMix64(1_234_567);
        let expected = [
            6_457_827_717_110_365_317,
            3_203_168_211_198_807_973,
            9_817_491_932_198_370_423,
        ];
        for value in expected {
            assert_eq!(rng.next_u64(), value);
        }
        for bound in [1, 2, 3, 1000, u64::MAX] {
            assert!((0..100).all(|_| rng.below(bound) < bound));
        }
    }

    #[test]
    fn reservoir_fills_vacancies_first_then_samples() {
        let mut rng = SplitMix64(7);
        let mut reservoir = Reservoir::new(4);
        let first: Vec<_> = (0..4).map(|_| reservoir.place(&mut rng)).collect();
        assert_eq!(first, [Some(0), Some(1), Some(2), Some(3)]);
        let kept = (0..10_000)
            .filter(|_| reservoir.place(&mut rng).is_some())
            .count();
        // Algorithm R keeps about capacity * ln(10_004 / 4) of them: ~31.
        assert!((10..100).contains(&kept), "kept {kept}");
        reservoir.set_vacancies([false, true, false, true].into_iter());
        let mut refilled = [reservoir.place(&mut rng), reservoir.place(&mut rng)];
        refilled.sort();
        assert_eq!(refilled, [Some(1), Some(3)]);
    }

    #[test]
    fn same_seed_same_report() {
        let config = config(3, 20_000, 8, Some(1_000));
        assert_eq!(
            run_with(&config, Rooting::Contract),
            run_with(&config, Rooting::Contract)
        );
    }

    #[test]
    fn sweeps_null_stale_cells_in_roots_and_in_the_bag() {
        let report = run_with(&config(2, 50_000, 8, Some(500)), Rooting::Contract);
        assert!(report.reclaimed > 0);
        assert!(report.nulled_roots > 0, "{report:?}");
        assert!(report.nulled_in_heap > 0, "{report:?}");
        assert!(report.stale_probes > 0);
        assert!(report.passed(), "{report:?}");
    }

    /// The negative control: a sweep that is not given the stale sample as
    /// roots reclaims slots those Cells still name, and once the slots are
    /// reused the probe catches the Cells being accepted. This is what the
    /// embedder contract ("every Cell held outside the heap is a root")
    /// prevents, and it shows the probe can see a violation.
    #[test]
    fn unrooted_sample_is_accepted_after_reclamation() {
        for bits in [1, 2, 4] {
            let config = config(bits, 50_000, 16, Some(1_000));
            let report = run_with(&config, Rooting::OmitSample);
            assert!(report.reclaimed > 0);
            assert!(report.stale_accepted > 0, "gen-bits {bits}: {report:?}");
            assert!(!report.passed());
            assert!(report.first_accepted.is_some());

            let honest = run_with(&config, Rooting::Contract);
            assert!(honest.passed(), "gen-bits {bits}: {honest:?}");
        }
    }

    #[test]
    fn without_sweeps_nothing_is_reclaimed_and_everything_is_refused() {
        let report = run_with(&config(1, 10_000, 4, None), Rooting::Contract);
        assert_eq!(report.retired, 10_000, "at gen-bits 1 every free retires");
        assert_eq!((report.reclaimed, report.sweeps), (0, 0));
        assert!(report.stale_probes > 0);
        assert_eq!(report.stale_rejected, report.stale_probes);
    }
}
