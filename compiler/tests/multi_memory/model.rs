//! The property: random operations over two memories against a model of
//! two byte vectors.

use super::*;

/// Store and load widths with their instructions (loads zero-extend to
/// `i64`), and the static offsets each comes with.
const WIDTHS: [(u64, &str, &str); 4] = [
    (1, "i64.store8", "i64.load8_u"),
    (2, "i64.store16", "i64.load16_u"),
    (4, "i64.store32", "i64.load32_u"),
    (8, "i64.store", "i64.load"),
];
const OFFSETS: [u64; 2] = [0, 65_535];
/// The passive data segment `memory.init` reads.
const PASSIVE: &[u8] = b"passive segment!";

/// One operation; memories and widths are indices.
#[derive(Clone, Debug)]
enum Op {
    Store {
        mem: usize,
        width: usize,
        offset: usize,
        addr: u32,
        value: u64,
    },
    Load {
        mem: usize,
        width: usize,
        offset: usize,
        addr: u32,
    },
    Copy {
        dst_mem: usize,
        src_mem: usize,
        dst: u32,
        src: u32,
        len: u32,
    },
    Fill {
        mem: usize,
        dst: u32,
        value: u32,
        len: u32,
    },
    Init {
        mem: usize,
        dst: u32,
        src: u32,
        len: u32,
    },
    DataDrop,
    Grow {
        mem: usize,
        delta: u32,
    },
    Size {
        mem: usize,
    },
    /// The host writes through [`Memory::write`].
    HostWrite {
        mem: usize,
        addr: u32,
        len: u32,
        byte: u8,
    },
    /// In the imported layout, a store by the provider instance, whose
    /// memory 0 is the consumer's memory 1; otherwise nothing.
    ProviderStore {
        width: usize,
        addr: u32,
        value: u64,
    },
    /// Likewise a grow by the provider.
    ProviderGrow {
        delta: u32,
    },
}

/// What an operation gives: values, or an out-of-bounds refusal.
#[derive(Clone, Debug, PartialEq)]
enum Outcome {
    Done(Vec<Val>),
    OutOfBounds,
}

/// Two memories as byte vectors with their maxima in pages, and the
/// passive segment (empty once dropped).
#[derive(Clone, Debug)]
struct Model {
    mems: [Vec<u8>; 2],
    max: [u64; 2],
    passive: Vec<u8>,
}

/// `at..at + len` if it lies within `0..size`.
fn span(at: u64, len: u64, size: usize) -> Option<std::ops::Range<usize>> {
    let end = at.checked_add(len)?;
    (end <= size as u64).then_some(at as usize..end as usize)
}

impl Model {
    /// The memories of `layout` as instantiated: zeroed, with the active
    /// segments [`consumer`] adds.
    fn new(layout: Layout) -> Model {
        let mut model = Model {
            mems: layout.min.map(|pages| vec![0; (pages * PAGE) as usize]),
            max: layout.max,
            passive: PASSIVE.to_vec(),
        };
        for (m, segment) in [(0, b"zero"), (1, b"one!")] {
            if layout.min[m] > 0 {
                let at = 3 + 5 * m;
                model.mems[m][at..at + 4].copy_from_slice(segment);
            }
        }
        model
    }

    fn store(&mut self, mem: usize, at: u64, width: u64, value: u64) -> Outcome {
        match span(at, width, self.mems[mem].len()) {
            Some(range) => {
                self.mems[mem][range].copy_from_slice(&value.to_le_bytes()[..width as usize]);
                Outcome::Done(vec![])
            }
            None => Outcome::OutOfBounds,
        }
    }

    fn grow(&mut self, mem: usize, delta: u32) -> Outcome {
        let old = self.mems[mem].len() as u64 / PAGE;
        let result = if old + u64::from(delta) <= self.max[mem] {
            self.mems[mem].resize(((old + u64::from(delta)) * PAGE) as usize, 0);
            old as i32
        } else {
            -1
        };
        Outcome::Done(vec![Val::I32(result)])
    }

    /// Applies `op`; `imported` says whether the provider ops act.
    fn apply(&mut self, op: &Op, imported: bool) -> Outcome {
        match *op {
            Op::Store {
                mem,
                width,
                offset,
                addr,
                value,
            } => self.store(
                mem,
                u64::from(addr) + OFFSETS[offset],
                WIDTHS[width].0,
                value,
            ),
            Op::Load {
                mem,
                width,
                offset,
                addr,
            } => {
                let (at, width) = (u64::from(addr) + OFFSETS[offset], WIDTHS[width].0);
                match span(at, width, self.mems[mem].len()) {
                    Some(range) => {
                        let mut le = [0; 8];
                        le[..width as usize].copy_from_slice(&self.mems[mem][range]);
                        Outcome::Done(vec![Val::I64(i64::from_le_bytes(le))])
                    }
                    None => Outcome::OutOfBounds,
                }
            }
            Op::Copy {
                dst_mem,
                src_mem,
                dst,
                src,
                len,
            } => {
                let len = u64::from(len);
                match (
                    span(u64::from(src), len, self.mems[src_mem].len()),
                    span(u64::from(dst), len, self.mems[dst_mem].len()),
                ) {
                    (Some(from), Some(to)) => {
                        let bytes = self.mems[src_mem][from].to_vec();
                        self.mems[dst_mem][to].copy_from_slice(&bytes);
                        Outcome::Done(vec![])
                    }
                    _ => Outcome::OutOfBounds,
                }
            }
            Op::Fill {
                mem,
                dst,
                value,
                len,
            } => match span(u64::from(dst), u64::from(len), self.mems[mem].len()) {
                Some(range) => {
                    self.mems[mem][range].fill(value as u8);
                    Outcome::Done(vec![])
                }
                None => Outcome::OutOfBounds,
            },
            Op::Init { mem, dst, src, len } => {
                let len = u64::from(len);
                match (
                    span(u64::from(src), len, self.passive.len()),
                    span(u64::from(dst), len, self.mems[mem].len()),
                ) {
                    (Some(from), Some(to)) => {
                        self.mems[mem][to].copy_from_slice(&self.passive[from]);
                        Outcome::Done(vec![])
                    }
                    _ => Outcome::OutOfBounds,
                }
            }
            Op::DataDrop => {
                self.passive.clear();
                Outcome::Done(vec![])
            }
            Op::Grow { mem, delta } => self.grow(mem, delta),
            Op::Size { mem } => {
                Outcome::Done(vec![Val::I32((self.mems[mem].len() as u64 / PAGE) as i32)])
            }
            Op::HostWrite {
                mem,
                addr,
                len,
                byte,
            } => match span(u64::from(addr), u64::from(len), self.mems[mem].len()) {
                Some(range) => {
                    self.mems[mem][range].fill(byte);
                    Outcome::Done(vec![])
                }
                None => Outcome::OutOfBounds,
            },
            Op::ProviderStore { width, addr, value } if imported => {
                self.store(1, u64::from(addr), WIDTHS[width].0, value)
            }
            Op::ProviderGrow { delta } if imported => self.grow(1, delta),
            Op::ProviderStore { .. } | Op::ProviderGrow { .. } => Outcome::Done(vec![]),
        }
    }
}

/// The memories' layout in one case: their initial and maximum pages, and
/// whether memory 0 comes from the host and memory 1 from another
/// instance (whose memory 0 it is), or both are defined by the module.
#[derive(Clone, Copy, Debug)]
struct Layout {
    min: [u64; 2],
    max: [u64; 2],
    imported: bool,
}

fn layout() -> impl Strategy<Value = Layout> {
    (0u64..=2, 0u64..=2, 0u64..=2, 0u64..=2, any::<bool>()).prop_map(
        |(m0, e0, m1, e1, imported)| Layout {
            min: [m0, m1],
            max: [m0 + e0, m1 + e1],
            imported,
        },
    )
}

/// The module the operations run in: `store M W O`, `load M W O`,
/// `copy D S`, `fill M`, `init M`, `drop`, `grow M`, `size M`. Each memory
/// that can hold it gets an active segment, so segments are checked too.
fn consumer(layout: Layout) -> String {
    let memories = if layout.imported {
        format!(
            "(import \"host\" \"m0\" (memory $m0 {} {}))\n  (import \"p\" \"mem\" (memory $m1 {} {}))",
            layout.min[0], layout.max[0], layout.min[1], layout.max[1]
        )
    } else {
        format!(
            "(memory $m0 {} {})\n  (memory $m1 {} {})",
            layout.min[0], layout.max[0], layout.min[1], layout.max[1]
        )
    };
    let mut text = format!(
        "(module\n  {memories}\n  (export \"m0\" (memory $m0))\n  (export \"m1\" (memory $m1))\n  \
         (data $p \"{}\")\n  (func (export \"drop\") (data.drop $p))\n",
        std::str::from_utf8(PASSIVE).unwrap()
    );
    for (m, segment) in [(0, "zero"), (1, "one!")] {
        if layout.min[m] > 0 {
            text += &format!(
                "  (data (memory $m{m}) (i32.const {}) \"{segment}\")\n",
                3 + 5 * m
            );
        }
    }
    for m in 0..2 {
        for (w, (_, store, load)) in WIDTHS.iter().enumerate() {
            for (o, offset) in OFFSETS.iter().enumerate() {
                text += &format!(
                    "  (func (export \"store {m} {w} {o}\") (param i32 i64) local.get 0 local.get 1 {} $m{m} offset={offset})\n  \
                     (func (export \"load {m} {w} {o}\") (param i32) (result i64) local.get 0 {} $m{m} offset={offset})\n",
                    store, load
                );
            }
        }
        text += &format!(
            "  (func (export \"fill {m}\") (param i32 i32 i32) (memory.fill $m{m} (local.get 0) (local.get 1) (local.get 2)))\n  \
             (func (export \"init {m}\") (param i32 i32 i32) (memory.init $m{m} $p (local.get 0) (local.get 1) (local.get 2)))\n  \
             (func (export \"grow {m}\") (param i32) (result i32) (memory.grow $m{m} (local.get 0)))\n  \
             (func (export \"size {m}\") (result i32) (memory.size $m{m}))\n"
        );
        for s in 0..2 {
            text += &format!(
                "  (func (export \"copy {m} {s}\") (param i32 i32 i32) (memory.copy $m{m} $m{s} (local.get 0) (local.get 1) (local.get 2)))\n"
            );
        }
    }
    text + ")"
}

/// The instance that defines the consumer's memory 1 in the imported
/// layout, as its own (cached) memory 0.
fn provider(layout: Layout) -> String {
    let mut text = format!(
        "(module\n  (memory (export \"mem\") {} {})\n  \
         (func (export \"grow\") (param i32) (result i32) (memory.grow (local.get 0)))\n",
        layout.min[1], layout.max[1]
    );
    for (w, (_, store, _)) in WIDTHS.iter().enumerate() {
        text += &format!(
            "  (func (export \"store {w}\") (param i32 i64) local.get 0 local.get 1 {store})\n"
        );
    }
    text + ")"
}

/// A store running the consumer (and provider) of `layout`.
struct Setup {
    store: Store,
    consumer: Instance,
    provider: Option<Instance>,
    mems: [Memory; 2],
}

impl Setup {
    fn new(layout: Layout) -> Setup {
        let mut store = Store::new();
        let mut linker = Linker::new();
        let provider = if layout.imported {
            let memory = Memory::new(
                &mut store,
                MemoryType::new(layout.min[0] as u32, Some(layout.max[0] as u32)),
            )
            .unwrap();
            linker.define("host", "m0", memory);
            let provider = instantiate(&mut store, &linker, &provider(layout));
            linker.instance(&store, "p", provider).unwrap();
            Some(provider)
        } else {
            None
        };
        let consumer = instantiate(&mut store, &linker, &consumer(layout));
        let mems = [
            memory(&store, consumer, "m0"),
            memory(&store, consumer, "m1"),
        ];
        Setup {
            store,
            consumer,
            provider,
            mems,
        }
    }

    fn run(&mut self, op: &Op) -> Outcome {
        let a = |v: u32| Val::I32(v as i32);
        let (instance, name, args) = match *op {
            Op::Store {
                mem,
                width,
                offset,
                addr,
                value,
            } => (
                self.consumer,
                format!("store {mem} {width} {offset}"),
                vec![a(addr), Val::I64(value as i64)],
            ),
            Op::Load {
                mem,
                width,
                offset,
                addr,
            } => (
                self.consumer,
                format!("load {mem} {width} {offset}"),
                vec![a(addr)],
            ),
            Op::Copy {
                dst_mem,
                src_mem,
                dst,
                src,
                len,
            } => (
                self.consumer,
                format!("copy {dst_mem} {src_mem}"),
                vec![a(dst), a(src), a(len)],
            ),
            Op::Fill {
                mem,
                dst,
                value,
                len,
            } => (
                self.consumer,
                format!("fill {mem}"),
                vec![a(dst), a(value), a(len)],
            ),
            Op::Init { mem, dst, src, len } => (
                self.consumer,
                format!("init {mem}"),
                vec![a(dst), a(src), a(len)],
            ),
            Op::DataDrop => (self.consumer, "drop".into(), vec![]),
            Op::Grow { mem, delta } => (self.consumer, format!("grow {mem}"), vec![a(delta)]),
            Op::Size { mem } => (self.consumer, format!("size {mem}"), vec![]),
            Op::HostWrite {
                mem,
                addr,
                len,
                byte,
            } => {
                let data = vec![byte; len as usize];
                return match self.mems[mem].write(&mut self.store, u64::from(addr), &data) {
                    Ok(()) => Outcome::Done(vec![]),
                    Err(Error::Usage(_)) => Outcome::OutOfBounds,
                    Err(other) => panic!("host write: {other}"),
                };
            }
            Op::ProviderStore { width, addr, value } => match self.provider {
                Some(p) => (
                    p,
                    format!("store {width}"),
                    vec![a(addr), Val::I64(value as i64)],
                ),
                None => return Outcome::Done(vec![]),
            },
            Op::ProviderGrow { delta } => match self.provider {
                Some(p) => (p, "grow".into(), vec![a(delta)]),
                None => return Outcome::Done(vec![]),
            },
        };
        match call(&mut self.store, instance, &name, &args) {
            Ok(values) => Outcome::Done(values),
            Err(Error::Trap(trap)) if trap.kind == TrapKind::OutOfBounds => Outcome::OutOfBounds,
            Err(other) => panic!("{name}{args:?}: {other}"),
        }
    }
}

/// Addresses and lengths near the interesting places: small, around each
/// page boundary a memory can have, and anywhere (mostly far out).
fn place() -> impl Strategy<Value = u32> {
    prop_oneof![
        3 => 0u32..48,
        4 => (0u32..=4, -12i64..=12).prop_map(|(page, d)| {
            (i64::from(page) * PAGE as i64 + d).clamp(0, i64::from(u32::MAX)) as u32
        }),
        1 => any::<u32>(),
        1 => (u32::MAX - 16)..=u32::MAX,
    ]
}

fn length() -> impl Strategy<Value = u32> {
    prop_oneof![
        4 => 0u32..24,
        2 => (0u32..=3, -8i64..=8).prop_map(|(pages, d)| {
            (i64::from(pages) * PAGE as i64 + d).max(0) as u32
        }),
        1 => any::<u32>(),
    ]
}

fn delta() -> impl Strategy<Value = u32> {
    prop_oneof![4 => 0u32..=2, 1 => Just(65_536u32), 1 => any::<u32>()]
}

fn op() -> impl Strategy<Value = Op> {
    let mem = || 0usize..2;
    let width = || 0..WIDTHS.len();
    prop_oneof![
        4 => (mem(), width(), 0..OFFSETS.len(), place(), any::<u64>()).prop_map(
            |(mem, width, offset, addr, value)| Op::Store { mem, width, offset, addr, value }
        ),
        3 => (mem(), width(), 0..OFFSETS.len(), place())
            .prop_map(|(mem, width, offset, addr)| Op::Load { mem, width, offset, addr }),
        3 => (mem(), mem(), place(), place(), length()).prop_map(
            |(dst_mem, src_mem, dst, src, len)| Op::Copy { dst_mem, src_mem, dst, src, len }
        ),
        2 => (mem(), place(), any::<u32>(), length())
            .prop_map(|(mem, dst, value, len)| Op::Fill { mem, dst, value, len }),
        2 => (mem(), place(), 0u32..20, 0u32..20)
            .prop_map(|(mem, dst, src, len)| Op::Init { mem, dst, src, len }),
        1 => Just(Op::DataDrop),
        2 => (mem(), delta()).prop_map(|(mem, delta)| Op::Grow { mem, delta }),
        1 => mem().prop_map(|mem| Op::Size { mem }),
        1 => (mem(), place(), 0u32..24, any::<u8>())
            .prop_map(|(mem, addr, len, byte)| Op::HostWrite { mem, addr, len, byte }),
        2 => (width(), place(), any::<u64>())
            .prop_map(|(width, addr, value)| Op::ProviderStore { width, addr, value }),
        1 => delta().prop_map(|delta| Op::ProviderGrow { delta }),
    ]
}

/// Cases per run: `PROPTEST_CASES` if set, else a few seconds' worth.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(48)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn random_operations_on_two_memories_match_a_model_of_two_byte_vectors(
        layout in layout(),
        ops in prop::collection::vec(op(), 1..40),
    ) {
        let mut setup = Setup::new(layout);
        let mut model = Model::new(layout);
        prop_assert_eq!(&both(&setup.store, setup.mems), &model.mems, "after instantiation");
        for (i, op) in ops.iter().enumerate() {
            let expected = model.apply(op, layout.imported);
            let actual = setup.run(op);
            prop_assert_eq!(&actual, &expected, "op {} {:?}", i, op);
            let [zero, one] = both(&setup.store, setup.mems);
            // Compare lengths first, then the first differing byte, so a
            // failure names it instead of printing whole memories.
            for (m, real) in [(0, &zero), (1, &one)] {
                let modelled = &model.mems[m];
                prop_assert_eq!(real.len(), modelled.len(), "memory {} length after op {} {:?}", m, i, op);
                let first = real.iter().zip(modelled).position(|(a, b)| a != b);
                prop_assert_eq!(first, None, "memory {} differs after op {} {:?}", m, i, op);
            }
        }
    }
}

/// What the generator is for, checked on the model alone: each kind of
/// operation both succeeds and is refused, copies cross between the
/// memories in bounds, and grows both succeed and fail.
#[test]
fn the_generator_reaches_every_operation_in_bounds_and_out() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    use std::collections::HashSet;

    let kind = |op: &Op| match op {
        Op::Store { .. } => "store",
        Op::Load { .. } => "load",
        Op::Copy {
            dst_mem, src_mem, ..
        } if dst_mem != src_mem => "copy across",
        Op::Copy { .. } => "copy within",
        Op::Fill { .. } => "fill",
        Op::Init { .. } => "init",
        Op::DataDrop => "drop",
        Op::Grow { .. } => "grow",
        Op::Size { .. } => "size",
        Op::HostWrite { .. } => "host write",
        Op::ProviderStore { .. } => "provider store",
        Op::ProviderGrow { .. } => "provider grow",
    };
    let mut runner = TestRunner::deterministic();
    let strategy = (layout(), prop::collection::vec(op(), 1..40));
    let mut seen = HashSet::new();
    for _ in 0..cases() {
        let (layout, ops) = strategy.new_tree(&mut runner).unwrap().current();
        let mut model = Model::new(layout);
        for op in &ops {
            let refused = match model.apply(op, layout.imported) {
                Outcome::OutOfBounds => true,
                Outcome::Done(values) => values == [Val::I32(-1)],
            };
            if layout.imported || !kind(op).starts_with("provider") {
                seen.insert((kind(op), refused));
            }
        }
    }
    for kind in [
        "store",
        "load",
        "copy across",
        "copy within",
        "fill",
        "init",
        "grow",
        "host write",
        "provider store",
        "provider grow",
    ] {
        for refused in [false, true] {
            assert!(
                seen.contains(&(kind, refused)),
                "no {kind} that was {}",
                if refused { "refused" } else { "carried out" }
            );
        }
    }
}
