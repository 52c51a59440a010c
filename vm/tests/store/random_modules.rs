//! Random programs made of the module-level parts (imports of every kind,
//! memories, tables with elements, globals, constant expressions, data
//! and element segments in every mode, exports, a start function): the
//! verifier accepts or refuses each, and each accepted one instantiates
//! without a panic, against imports the host builds from the program's
//! own import declarations. Such imports always link, so instantiation
//! ends only in an instance, a segment trap or a resource error; and the
//! instance's exports can all be read.

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};

use crate::*;
use arenavm_vm::exec::Extern;
use arenavm_vm::program::{DataSegment, ElemSegment, Export, MemoryDecl};
use arenavm_vm::verify;

const TYPES: [ScalarType; 6] = [
    ScalarType::I32,
    ScalarType::I64,
    ScalarType::F32,
    ScalarType::F64,
    ScalarType::FuncRef,
    ScalarType::ExternRef,
];

fn scalar_type() -> impl Strategy<Value = ScalarType> {
    prop_oneof![
        3 => Just(ScalarType::I32),
        3 => Just(ScalarType::FuncRef),
        2 => Just(ScalarType::ExternRef),
        2 => proptest::sample::select(TYPES.to_vec()),
    ]
}

fn ref_type() -> impl Strategy<Value = ScalarType> {
    prop_oneof![
        4 => Just(ScalarType::FuncRef),
        3 => Just(ScalarType::ExternRef),
        1 => Just(ScalarType::I32),
    ]
}

/// One constant operation with small indices, so that some name things
/// that exist and some do not.
fn const_op() -> impl Strategy<Value = ConstOp> {
    prop_oneof![
        4 => prop_oneof![Just(0), Just(1), Just(-1), Just(65536), any::<i32>()].prop_map(ConstOp::I32),
        1 => any::<i64>().prop_map(ConstOp::I64),
        1 => any::<u32>().prop_map(ConstOp::F32),
        1 => any::<u64>().prop_map(ConstOp::F64),
        2 => scalar_type().prop_map(ConstOp::RefNull),
        2 => (0u32..4).prop_map(ConstOp::RefFunc),
        1 => (0u32..3).prop_map(ConstOp::RefImport),
        3 => (0u32..6).prop_map(ConstOp::GlobalGet),
        1 => proptest::sample::select(vec![
            ConstOp::I32Add,
            ConstOp::I32Sub,
            ConstOp::I32Mul,
            ConstOp::I64Add,
            ConstOp::I64Sub,
            ConstOp::I64Mul,
        ]),
    ]
}

/// Mostly one operation (usually well typed), sometimes a short program.
fn const_expr() -> impl Strategy<Value = ConstExpr> {
    prop_oneof![
        6 => const_op().prop_map(|op| ConstExpr(vec![op])),
        2 => (any::<i32>(), any::<i32>(), prop_oneof![
                Just(ConstOp::I32Add), Just(ConstOp::I32Sub), Just(ConstOp::I32Mul)
            ])
            .prop_map(|(a, b, op)| ConstExpr(vec![ConstOp::I32(a), ConstOp::I32(b), op])),
        2 => proptest::collection::vec(const_op(), 0..4).prop_map(ConstExpr),
    ]
}

/// An offset expression: mostly a small `i32`, sometimes anything.
fn offset() -> impl Strategy<Value = ConstExpr> {
    prop_oneof![
        6 => (0i32..6).prop_map(|v| ConstExpr(vec![ConstOp::I32(v)])),
        1 => Just(ConstExpr(vec![ConstOp::I32(65535)])),
        1 => (0u32..4).prop_map(|g| ConstExpr(vec![ConstOp::GlobalGet(g)])),
        2 => const_expr(),
    ]
}

/// Any mode (a declared data segment is an error the verifier reports).
fn mode() -> impl Strategy<Value = SegmentMode> {
    prop_oneof![
        2 => Just(SegmentMode::Passive),
        1 => Just(SegmentMode::Declared),
        5 => (0u32..3, offset()).prop_map(|(index, offset)| SegmentMode::Active { index, offset }),
    ]
}

fn limits(top: u32) -> impl Strategy<Value = (u32, Option<u32>)> {
    (0..=top, proptest::option::of(0..=top + 1))
}

fn table() -> impl Strategy<Value = TableDecl> {
    (
        ref_type(),
        limits(4),
        proptest::collection::vec(proptest::option::of(0u32..4), 0..3),
    )
        .prop_map(|(elem, (min, max), elements)| TableDecl {
            elem,
            min,
            max,
            elements,
        })
}

fn item() -> impl Strategy<Value = ExternItem> {
    prop_oneof![
        (0u32..4).prop_map(ExternItem::Func),
        (0u32..3).prop_map(ExternItem::Import),
        (0u32..3).prop_map(ExternItem::Memory),
        (0u32..3).prop_map(ExternItem::Table),
        (0u32..6).prop_map(ExternItem::Global),
    ]
}

/// A random program of the module-level parts, around 1 to 3 functions
/// `f0..` that return at once (the last one traps, for a trapping start).
fn module() -> impl Strategy<Value = Program<Label>> {
    let imports = (
        0usize..3,
        proptest::collection::vec(limits(2), 0..2),
        proptest::collection::vec(
            (ref_type(), limits(4)).prop_map(|(elem, (min, max))| TableDecl {
                elem,
                min,
                max,
                elements: vec![],
            }),
            0..2,
        ),
        proptest::collection::vec((scalar_type(), any::<bool>()), 0..3),
    );
    let defined = (
        1usize..4,
        proptest::collection::vec(limits(2), 0..2),
        proptest::collection::vec(table(), 0..3),
        proptest::collection::vec((scalar_type(), any::<bool>(), const_expr()), 0..4),
    );
    let segments = (
        proptest::collection::vec((proptest::collection::vec(any::<u8>(), 0..4), mode()), 0..3),
        proptest::collection::vec(
            (
                ref_type(),
                proptest::collection::vec(const_expr(), 0..3),
                mode(),
            ),
            0..4,
        ),
        proptest::collection::vec(
            (proptest::sample::select(vec!["a", "b", "c", "d"]), item()),
            0..4,
        ),
        proptest::option::of(0u32..4),
    );
    (imports, defined, segments).prop_map(
        |(
            (funcs, memory_imports, table_imports, global_imports),
            (functions, memories, tables, globals),
            (data, elements, exports, start),
        )| {
            let mut p = ProgramBuilder::new();
            for i in 0..functions {
                let mut f = FunctionBuilder::new(format!("f{i}"), &[], &[]);
                if i == 2 {
                    f.push(Instr::Unreachable {});
                } else {
                    f.ret(&[]);
                }
                p.function(f);
            }
            let mut p = p.finish();
            for i in 0..funcs {
                p.imports.push(func_import(&format!("f{i}"), &[], &[]));
            }
            for (i, (min, max)) in memory_imports.into_iter().enumerate() {
                p.memory_imports
                    .push(memory_import(&format!("m{i}"), min, max));
            }
            for (i, table) in table_imports.into_iter().enumerate() {
                p.table_imports.push(TableImport {
                    module: "a".into(),
                    name: format!("t{i}"),
                    table,
                });
            }
            for (i, (ty, mutable)) in global_imports.into_iter().enumerate() {
                p.global_imports
                    .push(global_import(&format!("g{i}"), ty, mutable));
            }
            p.memories = memories
                .into_iter()
                .map(|(min_pages, max_pages)| MemoryDecl {
                    min_pages,
                    max_pages,
                })
                .collect();
            p.tables = tables;
            p.globals = globals
                .into_iter()
                .map(|(ty, mutable, init)| GlobalDecl { ty, mutable, init })
                .collect();
            p.data = data
                .into_iter()
                .map(|(bytes, mode)| DataSegment { bytes, mode })
                .collect();
            p.elements = elements
                .into_iter()
                .map(|(ty, items, mode)| ElemSegment { ty, items, mode })
                .collect();
            p.exports = exports
                .into_iter()
                .map(|(name, item)| Export {
                    name: name.into(),
                    item,
                })
                .collect();
            p.start = start;
            p
        },
    )
}

/// Random numbers for [`repair`], consumed in turn.
struct Seeds(Vec<u32>, usize);

impl Seeds {
    fn next(&mut self, below: usize) -> usize {
        let v = self.0[self.1 % self.0.len()];
        self.1 += 1;
        v as usize % below.max(1)
    }
}

/// A constant expression of type `ty`, reading only `globals` (type and
/// mutability of the globals before it) and naming only existing
/// functions and imports.
fn typed_expr(
    ty: ScalarType,
    globals: &[(ScalarType, bool)],
    functions: usize,
    imports: usize,
    seeds: &mut Seeds,
) -> ConstExpr {
    let readable: Vec<u32> = (0..globals.len() as u32)
        .filter(|&g| globals[g as usize] == (ty, false))
        .collect();
    if !readable.is_empty() && seeds.next(3) == 0 {
        let g = readable[seeds.next(readable.len())];
        if ty == ScalarType::I32 && seeds.next(2) == 0 {
            return ConstExpr(vec![
                ConstOp::GlobalGet(g),
                ConstOp::I32(1),
                ConstOp::I32Sub,
            ]);
        }
        return ConstExpr(vec![ConstOp::GlobalGet(g)]);
    }
    let op = match ty {
        ScalarType::I32 => ConstOp::I32(seeds.next(6) as i32),
        ScalarType::I64 => ConstOp::I64(seeds.next(1000) as i64 - 500),
        ScalarType::F32 => ConstOp::F32(seeds.next(usize::MAX) as u32),
        ScalarType::F64 => ConstOp::F64(seeds.next(usize::MAX) as u64),
        ScalarType::FuncRef => match seeds.next(3) {
            0 => ConstOp::RefFunc(seeds.next(functions) as u32),
            1 if imports > 0 => ConstOp::RefImport(seeds.next(imports) as u32),
            _ => ConstOp::RefNull(ty),
        },
        ScalarType::ExternRef => ConstOp::RefNull(ty),
    };
    ConstExpr(vec![op])
}

/// Makes `p` valid (or nearly: limits and lengths are kept, so segments
/// may still trap at instantiation): indices within their spaces, types
/// agreeing, constant expressions well typed.
fn repair(p: &mut Program<Label>, seeds: &mut Seeds) {
    let functions = p.functions.len();
    let imports = p.imports.len();
    let fix_limits = |min: u32, max: &mut Option<u32>| {
        if max.is_some_and(|m| m < min) {
            *max = None;
        }
    };
    for m in p
        .memory_imports
        .iter_mut()
        .map(|i| &mut i.memory)
        .chain(&mut p.memories)
    {
        fix_limits(m.min_pages, &mut m.max_pages);
    }
    let tables = p.table_imports.iter_mut().map(|i| &mut i.table);
    for t in tables {
        if !t.elem.is_ref() {
            t.elem = ScalarType::FuncRef;
        }
        fix_limits(t.min, &mut t.max);
    }
    for t in &mut p.tables {
        if !t.elem.is_ref() {
            t.elem = ScalarType::ExternRef;
        }
        fix_limits(t.min, &mut t.max);
        t.elements.truncate(t.min as usize);
        if t.elem != ScalarType::FuncRef {
            t.elements.clear();
        }
        for f in t.elements.iter_mut().flatten() {
            *f %= functions as u32;
        }
    }
    let mut globals: Vec<(ScalarType, bool)> =
        p.global_imports.iter().map(|g| (g.ty, g.mutable)).collect();
    for g in &mut p.globals {
        g.init = typed_expr(g.ty, &globals, functions, imports, seeds);
        globals.push((g.ty, g.mutable));
    }
    let table_types: Vec<ScalarType> = p
        .table_imports
        .iter()
        .map(|t| t.table.elem)
        .chain(p.tables.iter().map(|t| t.elem))
        .collect();
    let memories = p.memory_imports.len() + p.memories.len();
    for segment in &mut p.elements {
        if !segment.ty.is_ref() {
            segment.ty = ScalarType::FuncRef;
        }
        for item in &mut segment.items {
            *item = typed_expr(segment.ty, &globals, functions, imports, seeds);
        }
        if let SegmentMode::Active { index, offset } = &mut segment.mode {
            let same: Vec<u32> = (0..table_types.len() as u32)
                .filter(|&t| table_types[t as usize] == segment.ty)
                .collect();
            if same.is_empty() {
                segment.mode = SegmentMode::Passive;
            } else {
                *index = same[seeds.next(same.len())];
                *offset = typed_expr(ScalarType::I32, &globals, functions, imports, seeds);
            }
        }
    }
    for segment in &mut p.data {
        match &mut segment.mode {
            SegmentMode::Active { .. } if memories == 0 => segment.mode = SegmentMode::Passive,
            SegmentMode::Active { index, offset } => {
                *index %= memories as u32;
                *offset = typed_expr(ScalarType::I32, &globals, functions, imports, seeds);
            }
            SegmentMode::Declared => segment.mode = SegmentMode::Passive,
            SegmentMode::Passive => {}
        }
    }
    let counts = [
        functions,
        imports,
        memories,
        table_types.len(),
        globals.len(),
    ];
    let mut names = std::collections::HashSet::new();
    p.exports.retain_mut(|e| {
        let (index, kind) = match &mut e.item {
            ExternItem::Func(i) => (i, 0),
            ExternItem::Import(i) => (i, 1),
            ExternItem::Memory(i) => (i, 2),
            ExternItem::Table(i) => (i, 3),
            ExternItem::Global(i) => (i, 4),
        };
        if counts[kind] == 0 {
            return false;
        }
        *index %= counts[kind] as u32;
        names.insert(e.name.clone())
    });
    if let Some(start) = &mut p.start {
        *start %= functions as u32;
    }
}

/// Programs of which three in four are repaired to be valid.
fn program() -> impl Strategy<Value = Program<Label>> {
    (
        module(),
        proptest::bool::weighted(0.75),
        proptest::collection::vec(any::<u32>(), 16),
    )
        .prop_map(|(mut p, fix, seeds)| {
            if fix {
                repair(&mut p, &mut Seeds(seeds, 0));
            }
            p
        })
}

/// The zero (or null) value of a type.
fn zero(ty: ScalarType) -> Val {
    match ty {
        ScalarType::I32 => Val::I32(0),
        ScalarType::I64 => Val::I64(0),
        ScalarType::F32 => Val::F32(0.0),
        ScalarType::F64 => Val::F64(0.0),
        ScalarType::FuncRef => Val::FuncRef(None),
        ScalarType::ExternRef => Val::ExternRef(Some(7)),
    }
}

/// Store entities matching each import declaration exactly.
fn host_imports(store: &mut Store, program: &arenavm_vm::VerifiedProgram) -> Imports {
    let mut imports = Imports::default();
    for import in program.imports() {
        let ty = FuncType {
            params: import.params.clone(),
            results: import.results.clone(),
        };
        imports
            .funcs
            .push(store.define_host("h", ty, |_, _| Ok(vec![])).unwrap());
    }
    for import in program.memory_imports() {
        imports
            .memories
            .push(store.alloc_memory(import.memory).unwrap());
    }
    for import in program.table_imports() {
        let init = zero(import.table.elem);
        imports
            .tables
            .push(store.alloc_table(&import.table, init).unwrap());
    }
    for import in program.global_imports() {
        imports
            .globals
            .push(store.alloc_global(zero(import.ty), import.mutable).unwrap());
    }
    imports
}

/// What became of one random program.
#[derive(Debug, PartialEq, Eq, Hash, Clone, Copy)]
enum Outcome {
    Refused,
    Instantiated,
    Trapped,
    Resource,
}

/// Verifies and instantiates `program`; panics (failing the property) on
/// a link error or if reading an export panics.
fn outcome(program: &Program<Label>) -> Outcome {
    let Ok(verified) = verify(program) else {
        return Outcome::Refused;
    };
    let verified = Rc::new(verified);
    let mut store = store();
    let imports = host_imports(&mut store, &verified);
    match store.instantiate(Rc::clone(&verified), &imports, &ExecConfig::default()) {
        Ok(inst) => {
            for (name, item) in store.exports(inst) {
                match item {
                    Extern::Func(f) => {
                        store.func_type(f);
                    }
                    Extern::Memory(m) => assert!(store.memory_pages(m).is_some(), "{name}"),
                    Extern::Table(t) => {
                        let (elem, size, _) = store.table_type(t);
                        for i in 0..size {
                            let v = store.table_get(t, i).unwrap();
                            assert_eq!(v.ty(), elem);
                        }
                    }
                    Extern::Global(g) => {
                        let (ty, _) = store.global_type(g);
                        assert_eq!(store.global_get(g).ty(), ty);
                    }
                }
            }
            Outcome::Instantiated
        }
        Err(InstantiateError::Trap(_)) => Outcome::Trapped,
        Err(InstantiateError::Resource(_)) => Outcome::Resource,
        Err(InstantiateError::Link(m)) => {
            panic!("imports made from the declarations do not link: {m}\n{program:?}")
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 1024,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn verified_random_modules_instantiate_without_panicking(program in program()) {
        outcome(&program);
    }
}

#[test]
fn every_repaired_module_verifies() {
    let mut runner = TestRunner::new(Config::default());
    let strategy = (module(), proptest::collection::vec(any::<u32>(), 16));
    for _ in 0..2000 {
        let (mut program, seeds) = strategy.new_tree(&mut runner).unwrap().current();
        repair(&mut program, &mut Seeds(seeds, 0));
        if let Err(e) = verify(&program) {
            panic!("{e}\n{program:?}");
        }
    }
}

#[test]
fn the_generator_reaches_every_outcome() {
    let mut runner = TestRunner::new(Config::default());
    let strategy = program();
    let mut seen = std::collections::HashMap::new();
    for _ in 0..2000 {
        let program = strategy.new_tree(&mut runner).unwrap().current();
        *seen.entry(outcome(&program)).or_insert(0) += 1;
    }
    for kind in [Outcome::Refused, Outcome::Instantiated, Outcome::Trapped] {
        assert!(
            seen.get(&kind).copied().unwrap_or(0) >= 200,
            "{kind:?}: {seen:?}"
        );
    }
}
