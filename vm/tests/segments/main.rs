//! Table and segment instructions through the interpreter: `TableFill`,
//! `TableCopy`, `TableInit`, `ElemDrop`, `MemoryInit`, `DataDrop`,
//! `TableGrow` with either reference type, `RefNull`/`RefIsNull`; every
//! bounds edge (the exact end is in, one past is out, an empty range at
//! the end is in, past it is out), all-or-nothing on a trap, and random
//! sequences of operations against a model (`model.rs`).
//!
//! The fixture, [`Bulk`], is one program in a store of its own with two
//! tables of extern references, a table of function references, a memory
//! and passive segments, and one small function per operation.

#[macro_use]
#[path = "../common/mod.rs"]
mod common;

mod edges;
mod model;
mod references;

use arenavm_vm::builder::{FunctionBuilder, ProgramBuilder};
use arenavm_vm::exec::{
    ExecConfig, Extern, Imports, InstanceId, InvokeError, MemoryId, Store, TableId, TrapKind,
};
use arenavm_vm::isa::{Instr, Label, Reg};
use arenavm_vm::program::{
    ConstExpr, ConstOp, DataSegment, ElemSegment, ExternItem, GlobalImport, Program, SegmentMode,
    TableDecl, Val,
};
use arenavm_vm::types::{FuncType, ScalarType, Type};
use common::*;

/// The extern references the host hands in as immutable globals `e0..e3`.
pub(crate) const HOST_REFS: [Option<u32>; 4] = [Some(100), None, Some(102), Some(u32::MAX)];

/// Passive element segment 0 (extern references): `[e0, null, e1, e2, e3]`.
pub(crate) const SEGMENT: [Option<u32>; 5] = [Some(100), None, None, Some(102), Some(u32::MAX)];

/// Passive data segment 0.
pub(crate) const DATA: &[u8] = b"hello, world";

/// Sizes and maxima of the extern tables 0 and 1 (`None`: no maximum).
pub(crate) const TABLES: [(u32, Option<u32>); 2] = [(8, Some(16)), (5, None)];

/// One memory page.
pub(crate) const PAGE: u32 = 65536;

const I32: Type = Type::I32;
const EXTERN: Type = Type::ExternRef;

/// `name(params) -> results` whose body is the instruction `make` builds
/// from the parameter registers (and, for one result, its register).
fn op(
    name: &str,
    params: &[Type],
    results: &[Type],
    make: impl FnOnce(&[Reg], Option<Reg>) -> Instr<Label>,
) -> FunctionBuilder {
    let mut f = FunctionBuilder::new(name, params, results);
    let regs: Vec<Reg> = (0..params.len()).map(|i| f.param(i)).collect();
    let out = results.first().map(|t| f.register(*t));
    f.push(make(&regs, out));
    f.ret(out.as_slice());
    f
}

/// The fixture program (see the module documentation). Function names:
///
/// - for extern tables `t` in 0, 1: `fill{t}(dst, v, len)`, `init{t}(dst,
///   src, len)` from segment 0, `set{t}(i, v)`, `get{t}(i) -> v`,
///   `size{t}() -> i32`, `grow{t}(v, delta) -> i32`;
/// - `copy{d}{s}(dst, src, len)` for every pair of extern tables;
/// - `elem_drop()` (segment 0), `minit(dst, src, len)` from data segment
///   0, `minit_empty(..)` from the empty data segment 1, `data_drop()`,
///   `mgrow(delta) -> i32`;
/// - function table 2 (4 entries, `[one, two, null, null]`): `fill2(dst,
///   f, len)`, `copy22(..)`, `init2(..)` from segment 1 (`[two, three]`),
///   `get2(i) -> funcref`, `call2(i) -> i64`, `ref(k) -> funcref` for
///   `one`/`two`/`three` by `k` in 0..3, and `one`, `two`, `three`
///   returning 1, 2, 3.
pub(crate) fn bulk_program() -> Program<Label> {
    let mut p = ProgramBuilder::new();
    let nullary = p.func_type(FuncType {
        params: vec![],
        results: vec![Type::I64],
    });
    for (min, max) in TABLES {
        p.table(TableDecl {
            elem: ScalarType::ExternRef,
            min,
            max,
            elements: vec![],
        });
    }
    p.memory(mem(1, Some(2)));
    // Functions 0..3 are `one`, `two`, `three`.
    for (name, value) in [("one", 1), ("two", 2), ("three", 3)] {
        let mut f = FunctionBuilder::new(name, &[], &[Type::I64]);
        let r = f.scalar(ScalarType::I64);
        f.push(Instr::I64Const { dst: r, value });
        f.ret(&[r]);
        p.function(f);
    }
    p.table(TableDecl {
        min: 4,
        max: Some(4),
        elements: vec![Some(0), Some(1)],
        ..TableDecl::default()
    });
    for t in 0..2u32 {
        p.function(op(&format!("fill{t}"), &[I32, EXTERN, I32], &[], |r, _| {
            Instr::TableFill {
                table: t,
                dst: r[0],
                value: r[1],
                len: r[2],
            }
        }));
        p.function(op(&format!("init{t}"), &[I32; 3], &[], |r, _| {
            Instr::TableInit {
                table: t,
                elem: 0,
                dst: r[0],
                src: r[1],
                len: r[2],
            }
        }));
        p.function(op(&format!("set{t}"), &[I32, EXTERN], &[], |r, _| {
            Instr::TableSet {
                table: t,
                index: r[0],
                value: r[1],
            }
        }));
        p.function(op(&format!("get{t}"), &[I32], &[EXTERN], |r, out| {
            Instr::TableGet {
                dst: out.unwrap(),
                table: t,
                index: r[0],
            }
        }));
        p.function(op(&format!("size{t}"), &[], &[I32], |_, out| {
            Instr::TableSize {
                dst: out.unwrap(),
                table: t,
            }
        }));
        p.function(op(&format!("grow{t}"), &[EXTERN, I32], &[I32], |r, out| {
            Instr::TableGrow {
                dst: out.unwrap(),
                table: t,
                init: r[0],
                delta: r[1],
            }
        }));
        for s in 0..2u32 {
            p.function(op(&format!("copy{t}{s}"), &[I32; 3], &[], |r, _| {
                Instr::TableCopy {
                    dst_table: t,
                    src_table: s,
                    dst: r[0],
                    src: r[1],
                    len: r[2],
                }
            }));
        }
    }
    p.function(op("elem_drop", &[], &[], |_, _| Instr::ElemDrop {
        elem: 0,
    }));
    for (name, data) in [("minit", 0), ("minit_empty", 1)] {
        p.function(op(name, &[I32; 3], &[], |r, _| Instr::MemoryInit {
            mem: 0,
            data,
            dst: r[0],
            src: r[1],
            len: r[2],
        }));
    }
    p.function(op("data_drop", &[], &[], |_, _| Instr::DataDrop {
        data: 0,
    }));
    p.function(op("mgrow", &[I32], &[I32], |r, out| Instr::MemoryGrow {
        dst: out.unwrap(),
        delta: r[0],
        mem: 0,
    }));
    // The function table.
    p.function(op("fill2", &[I32, Type::FuncRef, I32], &[], |r, _| {
        Instr::TableFill {
            table: 2,
            dst: r[0],
            value: r[1],
            len: r[2],
        }
    }));
    p.function(op("copy22", &[I32; 3], &[], |r, _| Instr::TableCopy {
        dst_table: 2,
        src_table: 2,
        dst: r[0],
        src: r[1],
        len: r[2],
    }));
    p.function(op("init2", &[I32; 3], &[], |r, _| Instr::TableInit {
        table: 2,
        elem: 1,
        dst: r[0],
        src: r[1],
        len: r[2],
    }));
    p.function(op("get2", &[I32], &[Type::FuncRef], |r, out| {
        Instr::TableGet {
            dst: out.unwrap(),
            table: 2,
            index: r[0],
        }
    }));
    let mut call2 = FunctionBuilder::new("call2", &[I32], &[Type::I64]);
    let (index, out) = (call2.param(0), call2.scalar(ScalarType::I64));
    let operands = call2.list(&[out]);
    call2.push(Instr::CallIndirect {
        table: 2,
        index,
        sig: nullary,
        operands,
    });
    call2.ret(&[out]);
    p.function(call2);
    // `ref(k)`: a reference to function `k` (one, two or three).
    let mut reference = FunctionBuilder::new("ref", &[I32], &[Type::FuncRef]);
    let k = reference.param(0);
    let r = reference.scalar(ScalarType::FuncRef);
    let (is_two, is_three) = (reference.label(), reference.label());
    // Entry `k` for k = 1, 2; k = 0 never gets there.
    let table = reference.branch_table(&[is_three, is_two, is_three]);
    reference.push(Instr::RefFunc { dst: r, func: 0 });
    let done = reference.label();
    let zero = reference.scalar(ScalarType::I32);
    reference.push(Instr::I32Const {
        dst: zero,
        value: 0,
    });
    reference.push(Instr::BrI32Eq {
        a: k,
        b: zero,
        target: done,
    });
    reference.push(Instr::BrTable { index: k, table });
    reference.bind(is_two);
    reference.push(Instr::RefFunc { dst: r, func: 1 });
    reference.push(Instr::Jump { target: done });
    reference.bind(is_three);
    reference.push(Instr::RefFunc { dst: r, func: 2 });
    reference.bind(done);
    reference.ret(&[r]);
    p.function(reference);
    let mut program = p.finish();

    for i in 0..4 {
        program.global_imports.push(GlobalImport {
            module: "host".into(),
            name: format!("e{i}"),
            ty: ScalarType::ExternRef,
            mutable: false,
        });
    }
    let g = |i| ConstExpr(vec![ConstOp::GlobalGet(i)]);
    program.elements.push(ElemSegment {
        ty: ScalarType::ExternRef,
        items: vec![
            g(0),
            ConstExpr(vec![ConstOp::RefNull(ScalarType::ExternRef)]),
            g(1),
            g(2),
            g(3),
        ],
        mode: SegmentMode::Passive,
    });
    program.elements.push(ElemSegment {
        ty: ScalarType::FuncRef,
        items: vec![
            ConstExpr(vec![ConstOp::RefFunc(1)]),
            ConstExpr(vec![ConstOp::RefFunc(2)]),
        ],
        mode: SegmentMode::Passive,
    });
    program.data.push(DataSegment {
        bytes: DATA.to_vec(),
        mode: SegmentMode::Passive,
    });
    program.data.push(DataSegment {
        bytes: vec![],
        mode: SegmentMode::Passive,
    });
    for (name, item) in [
        ("t0", ExternItem::Table(0)),
        ("t1", ExternItem::Table(1)),
        ("t2", ExternItem::Table(2)),
        ("mem", ExternItem::Memory(0)),
    ] {
        program.exports.push(arenavm_vm::program::Export {
            name: name.into(),
            item,
        });
    }
    program
}

/// The fixture instantiated in a store of its own.
pub(crate) struct Bulk {
    pub(crate) store: Store,
    pub(crate) inst: InstanceId,
    pub(crate) tables: [TableId; 3],
    pub(crate) memory: MemoryId,
}

thread_local! {
    static PROGRAM: std::rc::Rc<arenavm_vm::VerifiedProgram> =
        std::rc::Rc::new(verified(&bulk_program()));
}

impl Bulk {
    pub(crate) fn new() -> Bulk {
        let mut store = Store::new(Default::default());
        let globals = HOST_REFS
            .iter()
            .map(|&r| store.alloc_global(Val::ExternRef(r), false).unwrap())
            .collect();
        let imports = Imports {
            globals,
            ..Imports::default()
        };
        let program = PROGRAM.with(std::rc::Rc::clone);
        let inst = store
            .instantiate(program, &imports, &ExecConfig::default())
            .unwrap_or_else(|e| panic!("{e}"));
        let table = |name| match store.export(inst, name) {
            Some(Extern::Table(t)) => t,
            other => panic!("{other:?}"),
        };
        let tables = [table("t0"), table("t1"), table("t2")];
        let Some(Extern::Memory(memory)) = store.export(inst, "mem") else {
            panic!("mem")
        };
        Bulk {
            store,
            inst,
            tables,
            memory,
        }
    }

    /// Runs function `name`: its results, or the kind of its trap.
    pub(crate) fn run(&mut self, name: &str, args: &[Val]) -> Result<Vec<Val>, TrapKind> {
        let index = self
            .store
            .program(self.inst)
            .function_index(name)
            .unwrap_or_else(|| panic!("no function {name}"));
        let f = self.store.instance_func(self.inst, index).unwrap();
        match self.store.invoke(f, args, &ExecConfig::default()) {
            Ok(values) => Ok(values),
            Err(InvokeError::Trap(t)) => {
                assert_eq!(t.function, name, "the trap names the function");
                Err(t.kind)
            }
            Err(e) => panic!("{name}{args:?}: {e}"),
        }
    }

    /// Runs a bulk operation `name(dst, src_or_value.., len)` of `i32`s.
    pub(crate) fn bulk(&mut self, name: &str, args: [u32; 3]) -> Result<(), TrapKind> {
        let args = args.map(|v| Val::I32(v as i32));
        self.run(name, &args).map(|r| assert!(r.is_empty()))
    }

    /// Every entry of extern table `t` (0 or 1).
    pub(crate) fn externs(&self, t: usize) -> Vec<Option<u32>> {
        let (_, size, _) = self.store.table_type(self.tables[t]);
        (0..size)
            .map(|i| match self.store.table_get(self.tables[t], i) {
                Some(Val::ExternRef(r)) => r,
                other => panic!("entry {i} of table {t}: {other:?}"),
            })
            .collect()
    }

    /// Every entry of the function table, as store function indices.
    pub(crate) fn funcs(&self) -> Vec<Option<u32>> {
        (0..4)
            .map(|i| match self.store.table_get(self.tables[2], i) {
                Some(Val::FuncRef(r)) => r,
                other => panic!("entry {i}: {other:?}"),
            })
            .collect()
    }

    /// The store function index of `one`, `two` or `three`.
    pub(crate) fn func(&self, name: &str) -> u32 {
        let index = self.store.program(self.inst).function_index(name).unwrap();
        self.store.instance_func(self.inst, index).unwrap().index()
    }

    /// The memory's bytes.
    pub(crate) fn memory(&self) -> Vec<u8> {
        self.store
            .heap()
            .get::<arenavm_vm::arenas::Bytes>(self.store.memory_cell(self.memory))
            .unwrap()
            .as_slice()
            .to_vec()
    }
}

#[test]
fn the_fixture_starts_as_declared() {
    let bulk = Bulk::new();
    assert_eq!(bulk.externs(0), vec![None; 8]);
    assert_eq!(bulk.externs(1), vec![None; 5]);
    let (one, two) = (bulk.func("one"), bulk.func("two"));
    assert_eq!(bulk.funcs(), [Some(one), Some(two), None, None]);
    assert_eq!(
        bulk.store.table_type(bulk.tables[0]),
        (ScalarType::ExternRef, 8, Some(16))
    );
    assert_eq!(bulk.memory(), vec![0; PAGE as usize]);
}
