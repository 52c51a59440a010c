//! The store: several programs instantiated side by side, sharing
//! functions, memories, tables and globals through imports and exports;
//! link errors that create nothing; host functions and host references;
//! instantiation in WebAssembly's order (element segments, data segments,
//! start) with its traps; constant expressions; and the RON form of the
//! program model.
//!
//! The shared fixture is the pair of programs built here: `provider()`
//! exports one of everything, and `consumer()` imports all of it.

#[macro_use]
#[path = "../common/mod.rs"]
mod common;

mod host;
mod instantiation;
mod limits;
mod link_errors;
mod linking;
mod random_modules;
mod tail_calls;
mod text_form;

use std::rc::Rc;

use arenavm_vm::VerifiedProgram;
use arenavm_vm::builder::{FunctionBuilder, ProgramBuilder};
use arenavm_vm::exec::{
    ExecConfig, Extern, FuncId, Imports, InstanceId, InstantiateError, InvokeError, Store, Trap,
};
use arenavm_vm::isa::{Instr, Label, Reg};
use arenavm_vm::program::{
    ConstExpr, ConstOp, ExternItem, GlobalDecl, GlobalImport, HostImport, MemoryImport, Program,
    SegmentMode, TableDecl, TableImport, Val,
};
use arenavm_vm::types::{FuncType, ScalarType, Type};
use common::*;

/// An empty store with the default heap.
pub(crate) fn store() -> Store {
    Store::new(Default::default())
}

/// Verifies a program expected to be valid, ready to instantiate.
pub(crate) fn rc(program: &Program<Label>) -> Rc<VerifiedProgram> {
    Rc::new(verified(program))
}

/// Instantiates `program` with `imports`, expecting success.
#[track_caller]
pub(crate) fn instantiate(
    store: &mut Store,
    program: &Program<Label>,
    imports: &Imports,
) -> InstanceId {
    store
        .instantiate(rc(program), imports, &ExecConfig::default())
        .unwrap_or_else(|e| panic!("instantiation failed: {e}"))
}

/// The trap of a failed instantiation; panics on success or another error.
#[track_caller]
pub(crate) fn instantiation_trap(result: Result<InstanceId, InstantiateError>) -> Trap {
    match result {
        Err(InstantiateError::Trap(t)) => t,
        other => panic!("expected an instantiation trap, got {other:?}"),
    }
}

/// The link error message of a failed instantiation.
#[track_caller]
pub(crate) fn link_error(result: Result<InstanceId, InstantiateError>) -> String {
    match result {
        Err(InstantiateError::Link(m)) => m,
        other => panic!("expected a link error, got {other:?}"),
    }
}

/// The store function of `instance`'s function called `name`.
#[track_caller]
pub(crate) fn func(store: &Store, instance: InstanceId, name: &str) -> FuncId {
    let index = store
        .program(instance)
        .function_index(name)
        .unwrap_or_else(|| panic!("no function `{name}`"));
    store
        .instance_func(instance, index)
        .expect("defined function")
}

/// Invokes `instance`'s function `name` with the default configuration.
pub(crate) fn call(
    store: &mut Store,
    instance: InstanceId,
    name: &str,
    args: &[Val],
) -> Result<Vec<Val>, InvokeError> {
    let f = func(store, instance, name);
    store.invoke(f, args, &ExecConfig::default())
}

/// Everything the store holds, as its `Debug` form shows it: memories,
/// global values, and the number of tables, functions and instances.
pub(crate) fn snapshot(store: &Store) -> String {
    format!("{store:?}")
}

/// The exports of `instance` named in `names`, sorted into import lists
/// by kind (in the order given).
#[track_caller]
pub(crate) fn link(store: &Store, instance: InstanceId, names: &[&str]) -> Imports {
    let mut imports = Imports::default();
    for name in names {
        match store.export(instance, name) {
            Some(Extern::Func(f)) => imports.funcs.push(f),
            Some(Extern::Memory(m)) => imports.memories.push(m),
            Some(Extern::Table(t)) => imports.tables.push(t),
            Some(Extern::Global(g)) => imports.globals.push(g),
            None => panic!("no export `{name}`"),
        }
    }
    imports
}

pub(crate) fn func_import(name: &str, params: &[Type], results: &[Type]) -> HostImport {
    HostImport {
        module: "a".into(),
        name: name.into(),
        params: params.to_vec(),
        results: results.to_vec(),
    }
}

pub(crate) fn memory_import(name: &str, min: u32, max: Option<u32>) -> MemoryImport {
    MemoryImport {
        module: "a".into(),
        name: name.into(),
        memory: mem(min, max),
    }
}

pub(crate) fn table_import(
    name: &str,
    elem: ScalarType,
    min: u32,
    max: Option<u32>,
) -> TableImport {
    TableImport {
        module: "a".into(),
        name: name.into(),
        table: TableDecl {
            elem,
            min,
            max,
            elements: Vec::new(),
        },
    }
}

pub(crate) fn global_import(name: &str, ty: ScalarType, mutable: bool) -> GlobalImport {
    GlobalImport {
        module: "a".into(),
        name: name.into(),
        ty,
        mutable,
    }
}

/// A constant expression of one operation.
pub(crate) fn expr(op: ConstOp) -> ConstExpr {
    ConstExpr(vec![op])
}

/// Active mode at a constant `i32` offset.
pub(crate) fn active(index: u32, offset: i32) -> SegmentMode {
    SegmentMode::Active {
        index,
        offset: expr(ConstOp::I32(offset)),
    }
}

/// `(i64) -> i64`, the type most test functions have.
pub(crate) fn unary_i64() -> FuncType {
    FuncType {
        params: vec![Type::I64],
        results: vec![Type::I64],
    }
}

/// A new `i32` register holding `value`.
pub(crate) fn i32_const(f: &mut FunctionBuilder, value: i32) -> Reg {
    let r = f.scalar(ScalarType::I32);
    f.push(Instr::I32Const { dst: r, value });
    r
}

/// A new `i64` register holding `value`.
pub(crate) fn i64_const(f: &mut FunctionBuilder, value: i64) -> Reg {
    let r = f.scalar(ScalarType::I64);
    f.push(Instr::I64Const { dst: r, value });
    r
}

/// `name(x: i64) -> i64 = x + k`.
pub(crate) fn add_const(name: &str, k: i64) -> FunctionBuilder {
    let mut f = FunctionBuilder::new(name, &[Type::I64], &[Type::I64]);
    let x = f.param(0);
    let c = i64_const(&mut f, k);
    f.push(Instr::I64Add { dst: x, a: x, b: c });
    f.ret(&[x]);
    f
}

/// `name(slot: i32, x: i64) -> i64`: calls entry `slot` of table `table`
/// through type 0, `(i64) -> i64`.
pub(crate) fn call_slot(name: &str, table: u32) -> FunctionBuilder {
    let mut f = FunctionBuilder::new(name, &[Type::I32, Type::I64], &[Type::I64]);
    let (slot, x, out) = (f.param(0), f.param(1), f.scalar(ScalarType::I64));
    let operands = f.list(&[x, out]);
    f.push(Instr::CallIndirect {
        table,
        index: slot,
        sig: 0,
        operands,
    });
    f.ret(&[out]);
    f
}

/// `name(addr: i32) -> i32`: the `i32` at `addr` of memory 0.
pub(crate) fn load_i32(name: &str) -> FunctionBuilder {
    let mut f = FunctionBuilder::new(name, &[Type::I32], &[Type::I32]);
    let addr = f.param(0);
    let out = f.scalar(ScalarType::I32);
    f.push(Instr::I32Load {
        dst: out,
        addr,
        offset: 0,
        mem: 0,
    });
    f.ret(&[out]);
    f
}

/// `name(addr: i32, value: i32)`: stores `value` at `addr` of memory 0.
pub(crate) fn store_i32(name: &str) -> FunctionBuilder {
    let mut f = FunctionBuilder::new(name, &[Type::I32, Type::I32], &[]);
    let (addr, value) = (f.param(0), f.param(1));
    f.push(Instr::I32Store {
        addr,
        value,
        offset: 0,
        mem: 0,
    });
    f.ret(&[]);
    f
}

/// `name() -> ty`: the value of global `global`.
pub(crate) fn get_global(name: &str, global: u32, ty: ScalarType) -> FunctionBuilder {
    let mut f = FunctionBuilder::new(name, &[], &[ty.into()]);
    let out = f.scalar(ty);
    f.push(Instr::GlobalGet { dst: out, global });
    f.ret(&[out]);
    f
}

/// `name(v: ty)`: sets global `global`.
pub(crate) fn set_global(name: &str, global: u32, ty: ScalarType) -> FunctionBuilder {
    let mut f = FunctionBuilder::new(name, &[ty.into()], &[]);
    let v = f.param(0);
    f.push(Instr::GlobalSet { src: v, global });
    f.ret(&[]);
    f
}

/// `name() -> i32`: the size of memory 0 in pages.
pub(crate) fn memory_size(name: &str) -> FunctionBuilder {
    let mut f = FunctionBuilder::new(name, &[], &[Type::I32]);
    let out = f.scalar(ScalarType::I32);
    f.push(Instr::MemorySize { dst: out, mem: 0 });
    f.ret(&[out]);
    f
}

/// `name(delta: i32) -> i32`: grows memory 0, the old size or -1.
pub(crate) fn memory_grow(name: &str) -> FunctionBuilder {
    let mut f = FunctionBuilder::new(name, &[Type::I32], &[Type::I32]);
    let delta = f.param(0);
    let out = f.scalar(ScalarType::I32);
    f.push(Instr::MemoryGrow {
        dst: out,
        delta,
        mem: 0,
    });
    f.ret(&[out]);
    f
}

/// The provider, program A. Type 0 is `(i64) -> i64`.
///
/// - functions: `a_add1` (0), `a_boom` (1, traps), `a_load` (2),
///   `a_store` (3), `a_counter` (4), `a_set_counter` (5), `a_call_slot`
///   (6, through its table), `a_grow` (7), `a_double` (8);
/// - memory 0: 1 page, at most 3;
/// - table 0: 4 function references, at most 10: `[a_add1, a_boom, null, null]`;
/// - global 0: mutable `i64` 10; global 1: immutable `i32` 7;
/// - exports: `add1`, `boom`, `mem`, `table`, `counter`, `seven`, and
///   `double`.
pub(crate) fn provider() -> Program<Label> {
    let mut p = ProgramBuilder::new();
    p.func_type(unary_i64());
    p.memory(mem(1, Some(3)));
    p.table(TableDecl {
        min: 4,
        max: Some(10),
        elements: vec![Some(0), Some(1)],
        ..TableDecl::default()
    });
    p.global(GlobalDecl::new(Val::I64(10), true).unwrap());
    p.global(GlobalDecl::new(Val::I32(7), false).unwrap());
    p.function(add_const("a_add1", 1));
    // Traps at instruction 1.
    let mut boom = FunctionBuilder::new("a_boom", &[], &[]);
    i32_const(&mut boom, 0);
    boom.push(Instr::Unreachable {});
    p.function(boom);
    p.function(load_i32("a_load"));
    p.function(store_i32("a_store"));
    p.function(get_global("a_counter", 0, ScalarType::I64));
    p.function(set_global("a_set_counter", 0, ScalarType::I64));
    p.function(call_slot("a_call_slot", 0));
    p.function(memory_grow("a_grow"));
    let mut double = FunctionBuilder::new("a_double", &[Type::I64], &[Type::I64]);
    let x = double.param(0);
    double.push(Instr::I64Add { dst: x, a: x, b: x });
    double.ret(&[x]);
    p.function(double);
    p.export("add1", ExternItem::Func(0))
        .export("boom", ExternItem::Func(1))
        .export("mem", ExternItem::Memory(0))
        .export("table", ExternItem::Table(0))
        .export("counter", ExternItem::Global(0))
        .export("seven", ExternItem::Global(1))
        .export("double", ExternItem::Func(8));
    p.finish()
}

/// The names of the provider's exports the consumer imports, in the
/// consumer's import order within each kind.
pub(crate) const CONSUMER_IMPORTS: [&str; 5] = ["add1", "boom", "mem", "table", "counter"];

/// The consumer, program B, importing `a.add1`, `a.boom` (functions 0 and
/// 1), `a.mem` (memory 0), `a.table` (table 0) and `a.counter` (global 0).
/// Type 0 is `(i64) -> i64`.
///
/// - functions: `b_times3` (0), `b_add1` (1, calls import 0), `b_boom`
///   (2, calls import 1), `b_store` (3), `b_load` (4), `b_call_slot` (5),
///   `b_put` (6, `b_times3` into entry `slot`), `b_counter` (7),
///   `b_set_counter` (8), `b_size` (9), `b_ref_add1` (10, returns a
///   reference to import 0);
/// - exports `times3` and `add1_again` (import 0, re-exported).
pub(crate) fn consumer() -> Program<Label> {
    let mut p = ProgramBuilder::new();
    p.func_type(unary_i64());
    p.import(func_import("add1", &[Type::I64], &[Type::I64]));
    p.import(func_import("boom", &[], &[]));
    let mut times3 = FunctionBuilder::new("b_times3", &[Type::I64], &[Type::I64]);
    let x = times3.param(0);
    let three = i64_const(&mut times3, 3);
    times3.push(Instr::I64Mul {
        dst: x,
        a: x,
        b: three,
    });
    times3.ret(&[x]);
    p.function(times3);
    let mut add1 = FunctionBuilder::new("b_add1", &[Type::I64], &[Type::I64]);
    let (x, out) = (add1.param(0), add1.scalar(ScalarType::I64));
    let (args, results) = (add1.list(&[x]), add1.list(&[out]));
    add1.push(Instr::CallImport {
        import: 0,
        args,
        results,
    });
    add1.ret(&[out]);
    p.function(add1);
    let mut boom = FunctionBuilder::new("b_boom", &[], &[]);
    let (args, results) = (boom.list(&[]), boom.list(&[]));
    boom.push(Instr::CallImport {
        import: 1,
        args,
        results,
    });
    boom.ret(&[]);
    p.function(boom);
    p.function(store_i32("b_store"));
    p.function(load_i32("b_load"));
    p.function(call_slot("b_call_slot", 0));
    let mut put = FunctionBuilder::new("b_put", &[Type::I32], &[]);
    let (slot, r) = (put.param(0), put.scalar(ScalarType::FuncRef));
    put.push(Instr::RefFunc { dst: r, func: 0 });
    put.push(Instr::TableSet {
        table: 0,
        index: slot,
        value: r,
    });
    put.ret(&[]);
    p.function(put);
    p.function(get_global("b_counter", 0, ScalarType::I64));
    p.function(set_global("b_set_counter", 0, ScalarType::I64));
    p.function(memory_size("b_size"));
    let mut reference = FunctionBuilder::new("b_ref_add1", &[], &[Type::FuncRef]);
    let r = reference.scalar(ScalarType::FuncRef);
    reference.push(Instr::RefImport { dst: r, import: 0 });
    reference.ret(&[r]);
    p.function(reference);
    p.export("times3", ExternItem::Func(0))
        .export("add1_again", ExternItem::Import(0));
    let mut program = p.finish();
    program.memory_imports.push(memory_import("mem", 1, None));
    program
        .table_imports
        .push(table_import("table", ScalarType::FuncRef, 4, None));
    program
        .global_imports
        .push(global_import("counter", ScalarType::I64, true));
    program
}

/// A store holding the provider (`a`) and the consumer (`b`) linked to it.
pub(crate) fn linked() -> (Store, InstanceId, InstanceId) {
    let mut store = store();
    let a = instantiate(&mut store, &provider(), &Imports::default());
    let imports = link(&store, a, &CONSUMER_IMPORTS);
    let b = instantiate(&mut store, &consumer(), &imports);
    (store, a, b)
}

#[test]
fn the_fixture_links() {
    let (store, a, b) = linked();
    assert_ne!(a, b);
    assert_eq!(store.program(a).exports().len(), 7);
    assert_eq!(store.program(b).imports().len(), 2);
}
