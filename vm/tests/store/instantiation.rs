//! Instantiation in WebAssembly's order: active element segments in
//! order, then active data segments in order, then the start function. A
//! trap stops it there, and what was written before stays (in imported
//! tables and memories, where others can see it). Active and declared
//! segments are dropped once applied. Constant expressions.

use crate::*;
use arenavm_vm::arenas::Bytes;
use arenavm_vm::exec::{Extern, MemoryId, TableId, TrapKind};
use arenavm_vm::program::Val::{ExternRef, F32, F64, FuncRef, I32, I64};
use arenavm_vm::program::{DataSegment, ElemSegment};

fn elem(items: Vec<ConstOp>, mode: SegmentMode) -> ElemSegment {
    ElemSegment {
        ty: ScalarType::FuncRef,
        items: items.into_iter().map(expr).collect(),
        mode,
    }
}

fn data(bytes: &[u8], mode: SegmentMode) -> DataSegment {
    DataSegment {
        bytes: bytes.to_vec(),
        mode,
    }
}

fn memory_of(store: &Store, m: MemoryId) -> Vec<u8> {
    store
        .heap()
        .get::<Bytes>(store.memory_cell(m))
        .unwrap()
        .as_slice()
        .to_vec()
}

fn exported_table(store: &Store, instance: InstanceId, name: &str) -> TableId {
    match store.export(instance, name) {
        Some(Extern::Table(t)) => t,
        other => panic!("{name}: {other:?}"),
    }
}

fn exported_memory(store: &Store, instance: InstanceId, name: &str) -> MemoryId {
    match store.export(instance, name) {
        Some(Extern::Memory(m)) => m,
        other => panic!("{name}: {other:?}"),
    }
}

/// `name() -> i64 = value`.
fn constant(name: &str, value: i64) -> FunctionBuilder {
    let mut f = FunctionBuilder::new(name, &[], &[Type::I64]);
    let v = i64_const(&mut f, value);
    f.ret(&[v]);
    f
}

#[test]
fn elements_then_data_then_start_each_in_order() {
    let mut p = ProgramBuilder::new();
    let nullary = p.func_type(FuncType {
        params: vec![],
        results: vec![Type::I64],
    });
    p.memory(mem(1, None));
    p.table(TableDecl {
        min: 4,
        ..TableDecl::default()
    });
    p.global(GlobalDecl::new(I32(0), true).unwrap());
    p.global(GlobalDecl::new(I64(0), true).unwrap());
    p.function(constant("one", 1));
    p.function(constant("two", 2));
    // start: global 0 = memory[0], global 1 = table[1]().
    let mut start = FunctionBuilder::new("start", &[], &[]);
    let zero = i32_const(&mut start, 0);
    let (byte, one, got) = (
        start.scalar(ScalarType::I32),
        i32_const(&mut start, 1),
        start.scalar(ScalarType::I64),
    );
    start.push(Instr::I32Load8U {
        dst: byte,
        addr: zero,
        offset: 0,
        mem: 0,
    });
    start.push(Instr::GlobalSet {
        src: byte,
        global: 0,
    });
    let operands = start.list(&[got]);
    start.push(Instr::CallIndirect {
        table: 0,
        index: one,
        sig: nullary,
        operands,
    });
    start.push(Instr::GlobalSet {
        src: got,
        global: 1,
    });
    start.ret(&[]);
    p.function(start);
    p.function(get_global("seen_byte", 0, ScalarType::I32));
    p.function(get_global("seen_call", 1, ScalarType::I64));
    p.export("table", ExternItem::Table(0));
    let mut p = p.finish();
    // The second segment of each kind overwrites part of the first.
    p.elements
        .push(elem(vec![ConstOp::RefFunc(0); 3], active(0, 0)));
    p.elements
        .push(elem(vec![ConstOp::RefFunc(1)], active(0, 1)));
    p.data.push(data(&[1, 1, 1], active(0, 0)));
    p.data.push(data(&[2], active(0, 0)));
    p.start = Some(2);
    let mut store = store();
    let inst = instantiate(&mut store, &p, &Imports::default());
    assert_eq!(call(&mut store, inst, "seen_byte", &[]), Ok(vec![I32(2)]));
    assert_eq!(call(&mut store, inst, "seen_call", &[]), Ok(vec![I64(2)]));
    let table = exported_table(&store, inst, "table");
    let (one, two) = (func(&store, inst, "one"), func(&store, inst, "two"));
    let entries: Vec<_> = (0..4).map(|i| store.table_get(table, i)).collect();
    assert_eq!(
        entries,
        [
            Some(FuncRef(Some(one.index()))),
            Some(FuncRef(Some(two.index()))),
            Some(FuncRef(Some(one.index()))),
            Some(FuncRef(None)),
        ]
    );
    let memory = memory_of(&store, store.instance_memory(inst, 0).unwrap());
    assert_eq!(memory[..4], [2, 1, 1, 0]);
}

/// A program importing the provider's table and memory (and its mutable
/// global), with a function `c_neg(x: i64) -> i64 = -x` and `c_trap()`.
fn into_the_provider() -> Program<Label> {
    let mut p = ProgramBuilder::new();
    let mut neg = FunctionBuilder::new("c_neg", &[Type::I64], &[Type::I64]);
    let (x, zero) = (neg.param(0), i64_const(&mut neg, 0));
    neg.push(Instr::I64Sub {
        dst: x,
        a: zero,
        b: x,
    });
    neg.ret(&[x]);
    p.function(neg);
    let mut trap = FunctionBuilder::new("c_trap", &[], &[]);
    trap.push(Instr::Unreachable {});
    p.function(trap);
    // start candidate: counter = 999.
    let mut set = FunctionBuilder::new("c_start", &[], &[]);
    let v = i64_const(&mut set, 999);
    set.push(Instr::GlobalSet { src: v, global: 0 });
    set.ret(&[]);
    p.function(set);
    let mut p = p.finish();
    p.table_imports
        .push(table_import("table", ScalarType::FuncRef, 4, None));
    p.memory_imports.push(memory_import("mem", 1, None));
    p.global_imports
        .push(global_import("counter", ScalarType::I64, true));
    p
}

fn provider_parts(store: &Store, a: InstanceId) -> Imports {
    link(store, a, &["table", "mem", "counter"])
}

#[test]
fn an_out_of_bounds_element_segment_traps_but_earlier_segments_stay_written() {
    let (mut store, a, _) = linked();
    let imports = provider_parts(&store, a);
    let mut p = into_the_provider();
    p.elements
        .push(elem(vec![ConstOp::RefFunc(0)], active(0, 2)));
    // Entries 3 and 4 of a table of 4: out of bounds, nothing written.
    p.elements
        .push(elem(vec![ConstOp::RefFunc(1); 2], active(0, 3)));
    // Never reached: elements come first.
    p.data.push(data(&[0xff], active(0, 0)));
    p.start = Some(2);
    let memory = exported_memory(&store, a, "mem");
    let before = memory_of(&store, memory);
    let trap = instantiation_trap(store.instantiate(rc(&p), &imports, &ExecConfig::default()));
    assert_eq!(trap.kind, TrapKind::OutOfBounds);
    assert_eq!(trap.function, "<element segment 1>");
    let table = exported_table(&store, a, "table");
    assert_eq!(
        store.table_get(table, 3),
        Some(FuncRef(None)),
        "all or nothing"
    );
    assert_eq!(memory_of(&store, memory), before, "no data segment ran");
    assert_eq!(
        call(&mut store, a, "a_counter", &[]),
        Ok(vec![I64(10)]),
        "the start function did not run"
    );
    // The failed instance's function stays in the provider's table and
    // stays callable through it.
    assert!(matches!(store.table_get(table, 2), Some(FuncRef(Some(_)))));
    assert_eq!(
        call(&mut store, a, "a_call_slot", &[I32(2), I64(5)]),
        Ok(vec![I64(-5)])
    );
    assert!(
        snapshot(&store).contains("instances: 3"),
        "it stays in the store"
    );
}

#[test]
fn an_out_of_bounds_data_segment_traps_but_earlier_segments_stay_written() {
    let (mut store, a, _) = linked();
    let imports = provider_parts(&store, a);
    let mut p = into_the_provider();
    p.data.push(data(&[1, 2, 3], active(0, 10)));
    p.data.push(data(&[4, 5], active(0, 20)));
    // One byte too many: nothing of it is written.
    p.data.push(data(&[9, 9], active(0, 65535)));
    p.start = Some(2);
    let trap = instantiation_trap(store.instantiate(rc(&p), &imports, &ExecConfig::default()));
    assert_eq!(trap.kind, TrapKind::OutOfBounds);
    assert_eq!(trap.function, "<data segment 2>");
    let memory = memory_of(&store, exported_memory(&store, a, "mem"));
    assert_eq!(memory[10..13], [1, 2, 3]);
    assert_eq!(memory[20..22], [4, 5]);
    assert_eq!(memory[65535], 0);
    assert_eq!(call(&mut store, a, "a_counter", &[]), Ok(vec![I64(10)]));
    assert_eq!(
        call(&mut store, a, "a_load", &[I32(20)]),
        Ok(vec![I32(0x0504)]),
        "the provider reads what the failed instance wrote"
    );
}

#[test]
fn a_trapping_start_function_keeps_what_the_segments_wrote() {
    let (mut store, a, _) = linked();
    let imports = provider_parts(&store, a);
    let mut p = into_the_provider();
    p.elements
        .push(elem(vec![ConstOp::RefFunc(0)], active(0, 3)));
    p.data.push(data(&[7], active(0, 0)));
    p.start = Some(1);
    let trap = instantiation_trap(store.instantiate(rc(&p), &imports, &ExecConfig::default()));
    assert_eq!(trap.kind, TrapKind::Unreachable);
    assert_eq!(trap.function, "c_trap");
    assert_eq!(call(&mut store, a, "a_load", &[I32(0)]), Ok(vec![I32(7)]));
    assert_eq!(
        call(&mut store, a, "a_call_slot", &[I32(3), I64(-4)]),
        Ok(vec![I64(4)])
    );
    // A start function that runs out of fuel traps the same way.
    let mut p = into_the_provider();
    p.start = Some(2);
    let starved = ExecConfig {
        fuel: Some(1),
        ..ExecConfig::default()
    };
    let trap = instantiation_trap(store.instantiate(rc(&p), &imports, &starved));
    assert_eq!(trap.kind, TrapKind::OutOfFuel);
    assert_eq!(trap.function, "c_start");
    // With enough fuel it runs, and writes the provider's global.
    store
        .instantiate(rc(&p), &imports, &ExecConfig::default())
        .unwrap();
    assert_eq!(call(&mut store, a, "a_counter", &[]), Ok(vec![I64(999)]));
}

/// A program with a table of 4 and a memory of 1 page, and one active
/// element segment and one active data segment, both empty, at these
/// offsets.
fn empty_segments_at(table_offset: i32, memory_offset: i32) -> Program<Label> {
    let mut f = FunctionBuilder::new("main", &[], &[]);
    f.ret(&[]);
    let mut p = ProgramBuilder::new();
    p.function(f);
    p.memory(mem(1, None));
    p.table(TableDecl {
        min: 4,
        ..TableDecl::default()
    });
    let mut p = p.finish();
    p.elements.push(elem(vec![], active(0, table_offset)));
    p.data.push(data(&[], active(0, memory_offset)));
    p
}

#[test]
fn empty_active_segments_may_sit_at_the_end_but_not_past_it() {
    let mut store = store();
    instantiate(
        &mut store,
        &empty_segments_at(4, 65536),
        &Imports::default(),
    );
    instantiate(&mut store, &empty_segments_at(0, 0), &Imports::default());
    for (table, memory, what) in [
        (5, 0, "0 entries at 5 of table 0"),
        (-1, 0, "0 entries at 4294967295 of table 0"),
        (0, 65537, "0 bytes at 65537 of memory 0"),
        (4, -1, "0 bytes at 4294967295 of memory 0"),
    ] {
        let trap = instantiation_trap(store.instantiate(
            rc(&empty_segments_at(table, memory)),
            &Imports::default(),
            &ExecConfig::default(),
        ));
        assert_eq!(trap.kind, TrapKind::OutOfBounds, "{what}");
        let detail = trap.detail.clone().unwrap();
        assert!(detail.contains(what), "{detail} (want {what})");
        let shown = InstantiateError::Trap(trap).to_string();
        assert!(shown.starts_with("trap: out of bounds"), "{shown}");
    }
}

#[test]
fn a_segment_trap_names_the_segment_where_a_function_would_be() {
    let mut store = store();
    for (table, memory, segment, detail) in [
        (
            5,
            0,
            "<element segment 0>",
            "out of bounds table access: 0 entries at 5 of table 0, which has 4 entries",
        ),
        (
            0,
            65537,
            "<data segment 0>",
            "out of bounds memory access: 0 bytes at 65537 of memory 0, which has 65536 bytes",
        ),
    ] {
        let trap = instantiation_trap(store.instantiate(
            rc(&empty_segments_at(table, memory)),
            &Imports::default(),
            &ExecConfig::default(),
        ));
        assert_eq!((trap.function.as_str(), trap.instruction), (segment, 0));
        assert_eq!(
            InstantiateError::Trap(trap).to_string(),
            format!("trap: out of bounds in `{segment}` at instruction 0 ({detail})")
        );
    }
}

/// `name(dst, src, len)` running the instruction `make` builds.
fn bulk(name: &str, make: impl FnOnce(Reg, Reg, Reg) -> Instr<Label>) -> FunctionBuilder {
    let mut f = FunctionBuilder::new(name, &[Type::I32; 3], &[]);
    let (dst, src, len) = (f.param(0), f.param(1), f.param(2));
    f.push(make(dst, src, len));
    f.ret(&[]);
    f
}

/// `name()` running one instruction.
fn single(name: &str, instr: Instr<Label>) -> FunctionBuilder {
    let mut f = FunctionBuilder::new(name, &[], &[]);
    f.push(instr);
    f.ret(&[]);
    f
}

#[test]
fn active_and_declared_segments_are_dropped_once_instantiated() {
    let mut p = ProgramBuilder::new();
    p.memory(mem(1, None));
    p.table(TableDecl {
        min: 4,
        ..TableDecl::default()
    });
    for elem in 0..3 {
        p.function(bulk(&format!("table_init{elem}"), |dst, src, len| {
            Instr::TableInit {
                table: 0,
                elem,
                dst,
                src,
                len,
            }
        }));
    }
    for data in 0..2 {
        p.function(bulk(&format!("memory_init{data}"), |dst, src, len| {
            Instr::MemoryInit {
                mem: 0,
                data,
                dst,
                src,
                len,
            }
        }));
    }
    p.function(single("elem_drop2", Instr::ElemDrop { elem: 2 }));
    p.function(single("data_drop1", Instr::DataDrop { data: 1 }));
    p.function(single("elem_drop0", Instr::ElemDrop { elem: 0 }));
    p.function(single("data_drop0", Instr::DataDrop { data: 0 }));
    p.export("table", ExternItem::Table(0));
    let mut p = p.finish();
    p.elements
        .push(elem(vec![ConstOp::RefFunc(0); 2], active(0, 0)));
    p.elements
        .push(elem(vec![ConstOp::RefFunc(1)], SegmentMode::Declared));
    p.elements
        .push(elem(vec![ConstOp::RefFunc(2); 2], SegmentMode::Passive));
    p.data.push(data(&[1, 2, 3], active(0, 0)));
    p.data.push(data(&[4, 5], SegmentMode::Passive));
    let mut store = store();
    let inst = instantiate(&mut store, &p, &Imports::default());
    let mut run = |name: &str, args: &[i32]| {
        let args: Vec<Val> = args.iter().map(|&v| I32(v)).collect();
        call(&mut store, inst, name, &args)
    };
    for name in ["table_init0", "table_init1", "memory_init0"] {
        // Dropped: only an empty range at 0 is within it.
        let trap = expect_trap(run(name, &[0, 0, 1]));
        assert_eq!(trap.kind, TrapKind::OutOfBounds, "{name}");
        assert_eq!(run(name, &[0, 0, 0]), Ok(vec![]), "{name}");
        assert_eq!(run(name, &[3, 0, 0]), Ok(vec![]), "{name}");
        let trap = expect_trap(run(name, &[0, 1, 0]));
        assert_eq!(
            trap.kind,
            TrapKind::OutOfBounds,
            "{name}: past the empty segment"
        );
    }
    // Passive segments stay whole until dropped.
    assert_eq!(run("table_init2", &[2, 0, 2]), Ok(vec![]));
    assert_eq!(run("table_init2", &[0, 1, 1]), Ok(vec![]), "again");
    assert_eq!(run("memory_init1", &[100, 0, 2]), Ok(vec![]));
    // Dropping a segment twice, or an already dropped one, is fine.
    for name in [
        "elem_drop2",
        "elem_drop2",
        "data_drop1",
        "elem_drop0",
        "data_drop0",
    ] {
        assert_eq!(run(name, &[]), Ok(vec![]), "{name}");
    }
    let trap = expect_trap(run("table_init2", &[0, 0, 1]));
    assert_eq!(trap.kind, TrapKind::OutOfBounds);
    assert_eq!(run("table_init2", &[0, 0, 0]), Ok(vec![]));
    let trap = expect_trap(run("memory_init1", &[0, 0, 1]));
    assert_eq!(trap.kind, TrapKind::OutOfBounds);
    assert_eq!(run("memory_init1", &[0, 0, 0]), Ok(vec![]));

    let table = exported_table(&store, inst, "table");
    let init2 = func(&store, inst, "table_init2").index();
    let entries: Vec<_> = (0..4).map(|i| store.table_get(table, i).unwrap()).collect();
    let f0 = func(&store, inst, "table_init0").index();
    assert_eq!(
        entries,
        [Some(init2), Some(f0), Some(init2), Some(init2)].map(FuncRef)
    );
    let memory = memory_of(&store, store.instance_memory(inst, 0).unwrap());
    assert_eq!(memory[..3], [1, 2, 3]);
    assert_eq!(memory[100..102], [4, 5]);
}

#[test]
fn constant_expressions_read_imported_globals_and_compute() {
    let mut store = store();
    let host = store
        .define_host("env.host", FuncType::default(), |_, _| Ok(vec![]))
        .unwrap();
    let imported = [
        store.alloc_global(I32(100), false).unwrap(),
        store.alloc_global(I64(1 << 40), false).unwrap(),
        store
            .alloc_global(FuncRef(Some(host.index())), false)
            .unwrap(),
        store.alloc_global(ExternRef(Some(77)), false).unwrap(),
    ];
    use ConstOp as C;
    let definitions: Vec<(ScalarType, Vec<ConstOp>, Val)> = vec![
        (
            ScalarType::I32,
            vec![C::GlobalGet(0), C::I32(5), C::I32Add],
            I32(105),
        ),
        (
            ScalarType::I32,
            vec![C::GlobalGet(0), C::I32(3), C::I32Mul, C::I32(1), C::I32Sub],
            I32(299),
        ),
        (
            ScalarType::I32,
            vec![C::I32(i32::MAX), C::I32(1), C::I32Add],
            I32(i32::MIN),
        ),
        (
            ScalarType::I32,
            vec![C::I32(i32::MIN), C::I32(1), C::I32Sub],
            I32(i32::MAX),
        ),
        (
            ScalarType::I32,
            vec![C::I32(0x10000), C::I32(0x10000), C::I32Mul],
            I32(0),
        ),
        (
            ScalarType::I64,
            vec![C::GlobalGet(1), C::I64(2), C::I64Mul, C::I64(-1), C::I64Add],
            I64((1 << 41) - 1),
        ),
        (
            ScalarType::I64,
            vec![C::I64(i64::MIN), C::I64(1), C::I64Sub],
            I64(i64::MAX),
        ),
        (
            ScalarType::I64,
            vec![C::I64(i64::MAX), C::I64(2), C::I64Mul],
            I64(-2),
        ),
        // Global 4 is the first defined one (105): defined before this.
        (
            ScalarType::I32,
            vec![C::GlobalGet(4), C::I32(2), C::I32Mul],
            I32(210),
        ),
        (
            ScalarType::FuncRef,
            vec![C::RefImport(0)],
            FuncRef(Some(host.index())),
        ),
        (
            ScalarType::FuncRef,
            vec![C::RefNull(ScalarType::FuncRef)],
            FuncRef(None),
        ),
        (
            ScalarType::FuncRef,
            vec![C::GlobalGet(2)],
            FuncRef(Some(host.index())),
        ),
        (
            ScalarType::ExternRef,
            vec![C::GlobalGet(3)],
            ExternRef(Some(77)),
        ),
        (
            ScalarType::ExternRef,
            vec![C::RefNull(ScalarType::ExternRef)],
            ExternRef(None),
        ),
        (
            ScalarType::F32,
            vec![C::F32(0x7fa0_0001)],
            F32(f32::from_bits(0x7fa0_0001)),
        ),
        (
            ScalarType::F64,
            vec![C::F64(0xfff0_0000_0000_0003)],
            F64(f64::from_bits(0xfff0_0000_0000_0003)),
        ),
        (ScalarType::I32, vec![C::I32(-1)], I32(-1)),
    ];
    let mut f = FunctionBuilder::new("main", &[], &[]);
    f.ret(&[]);
    let mut p = ProgramBuilder::new();
    p.function(f);
    p.memory(mem(1, None));
    p.table(TableDecl {
        min: 8,
        ..TableDecl::default()
    });
    p.export("table", ExternItem::Table(0));
    let mut p = p.finish();
    p.imports.push(func_import("host", &[], &[]));
    for (name, ty) in [
        ("i32", ScalarType::I32),
        ("i64", ScalarType::I64),
        ("funcref", ScalarType::FuncRef),
        ("externref", ScalarType::ExternRef),
    ] {
        p.global_imports.push(global_import(name, ty, false));
    }
    for (i, (ty, ops, _)) in definitions.iter().enumerate() {
        p.globals.push(GlobalDecl {
            ty: *ty,
            mutable: i % 2 == 0,
            init: ConstExpr(ops.clone()),
        });
        p.exports.push(arenavm_vm::program::Export {
            name: format!("g{i}"),
            item: ExternItem::Global(4 + i as u32),
        });
    }
    // Global 4's initialiser is read by global 12: it must be immutable.
    p.globals[0].mutable = false;
    // An element segment at `100 - 98` and a data segment at global 4.
    p.elements.push(ElemSegment {
        ty: ScalarType::FuncRef,
        items: vec![
            expr(C::RefFunc(0)),
            expr(C::RefImport(0)),
            expr(C::RefNull(ScalarType::FuncRef)),
            expr(C::GlobalGet(2)),
        ],
        mode: SegmentMode::Active {
            index: 0,
            offset: ConstExpr(vec![C::GlobalGet(0), C::I32(98), C::I32Sub]),
        },
    });
    p.data.push(DataSegment {
        bytes: vec![0xaa, 0xbb],
        mode: SegmentMode::Active {
            index: 0,
            offset: expr(C::GlobalGet(4)),
        },
    });
    let imports = Imports {
        funcs: vec![host],
        globals: imported.to_vec(),
        ..Imports::default()
    };
    let inst = instantiate(&mut store, &p, &imports);
    for (i, (_, ops, want)) in definitions.iter().enumerate() {
        let Some(Extern::Global(g)) = store.export(inst, &format!("g{i}")) else {
            panic!("g{i}")
        };
        let got = store.global_get(g);
        assert!(same(got, *want), "{ops:?} = {got:?}, want {want:?}");
    }
    let table = exported_table(&store, inst, "table");
    let main = func(&store, inst, "main").index();
    let entries: Vec<_> = (0..8).map(|i| store.table_get(table, i).unwrap()).collect();
    let h = Some(host.index());
    assert_eq!(
        entries,
        [None, None, Some(main), h, None, h, None, None].map(FuncRef)
    );
    let memory = memory_of(&store, store.instance_memory(inst, 0).unwrap());
    assert_eq!(memory[104..108], [0, 0xaa, 0xbb, 0]);
}

#[test]
fn only_values_without_a_store_become_constant_expressions() {
    // Numbers and null references mean the same in every store.
    for (value, op) in [
        (I32(-1), ConstOp::I32(-1)),
        (I64(1 << 40), ConstOp::I64(1 << 40)),
        (F32(-0.0), ConstOp::F32(0x8000_0000)),
        (F64(1.5), ConstOp::F64(1.5f64.to_bits())),
        (FuncRef(None), ConstOp::RefNull(ScalarType::FuncRef)),
        (ExternRef(None), ConstOp::RefNull(ScalarType::ExternRef)),
    ] {
        assert_eq!(ConstExpr::try_from(value), Ok(expr(op)), "{value:?}");
    }
    // No constant names a host's reference.
    match ConstExpr::try_from(ExternRef(Some(3))) {
        Ok(c) => panic!("an extern reference became {c:?}"),
        Err(e) => assert!(e.contains("extern reference 3"), "{e}"),
    }
    // A `Val` names a store function, a constant a program function.
    match ConstExpr::try_from(FuncRef(Some(0))) {
        Ok(c) => panic!("store function 0 became {c:?}"),
        Err(e) => assert!(e.contains("ConstOp::RefFunc"), "{e}"),
    }
}

#[test]
fn a_resource_error_creates_nothing() {
    let mut p = ProgramBuilder::new();
    let mut f = FunctionBuilder::new("main", &[], &[]);
    f.ret(&[]);
    p.function(f);
    p.memory(mem(1, None));
    p.table(TableDecl {
        min: 2,
        elements: vec![Some(0)],
        ..TableDecl::default()
    });
    p.global(GlobalDecl::new(I32(1), false).unwrap());
    // More entries than any table may have.
    p.table(TableDecl {
        min: 20_000_000,
        ..TableDecl::default()
    });
    let mut store = store();
    let before = snapshot(&store);
    match store.instantiate(rc(&p.finish()), &Imports::default(), &ExecConfig::default()) {
        Err(InstantiateError::Resource(m)) => {
            assert!(
                m.contains("a table of 20000000 entries is too large"),
                "{m}"
            )
        }
        other => panic!("expected a resource error, got {other:?}"),
    }
    assert_eq!(
        snapshot(&store),
        before,
        "a resource error changed the store"
    );
    assert_eq!(store.alloc_memory(mem(0, None)).unwrap().index(), 0);
    assert_eq!(
        store
            .alloc_table(&TableDecl::default(), FuncRef(None))
            .unwrap()
            .index(),
        0
    );
}
