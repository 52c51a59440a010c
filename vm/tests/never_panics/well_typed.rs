//! The well-typed program generator: random programs that verify by
//! construction.

use crate::templates::{Operands, Pick, Raw, Special, Tpl, pick, raw, shared_special, templates};
use crate::values::{TYPES, i32_value, type_index, types_of};
use arenavm_vm::builder::{FunctionBuilder, ProgramBuilder};
use arenavm_vm::isa::{Instr, Label, Reg};
use arenavm_vm::program::{ConstExpr, ConstOp, GlobalDecl, MemoryDecl, Program, Val};
use arenavm_vm::types::{ScalarType as S, Type};
use proptest::collection::vec;
use proptest::prelude::*;

/// One generated function: signature (as indices into `TYPES`), body and
/// label positions (each label is bound before the instruction at
/// `position % len`, so never after the last one).
#[derive(Clone, Debug)]
pub(crate) struct FnSpec {
    pub(crate) params: Vec<u8>,
    pub(crate) results: Vec<u8>,
    body: Vec<Raw>,
    labels: Vec<u16>,
    pub(crate) args: u64,
}

pub(crate) fn fn_spec() -> impl Strategy<Value = FnSpec> {
    (
        vec(0u8..5, 0..=3),
        vec(0u8..5, 0..=2),
        vec(raw(), 1..=24),
        vec(any::<u16>(), 1..=4),
        any::<u64>(),
    )
        .prop_map(|(params, results, body, labels, args)| FnSpec {
            params,
            results,
            body,
            labels,
            args,
        })
}

pub(crate) struct Sig {
    pub(crate) params: Vec<S>,
    pub(crate) results: Vec<S>,
}

/// The globals every generated program has; global 4 holds a reference
/// to function 0.
pub(crate) fn globals() -> Vec<GlobalDecl> {
    let mut globals: Vec<GlobalDecl> = [
        (Val::I32(0), true),
        (Val::I64(-1), true),
        (Val::F32(f32::from_bits(0x7fa0_0001)), true),
        (Val::F64(1.5), false),
        (Val::I32(65_532), false),
    ]
    .into_iter()
    .map(|(init, mutable)| GlobalDecl::new(init, mutable).unwrap())
    .collect();
    let func_ref = GlobalDecl {
        ty: S::FuncRef,
        mutable: true,
        init: ConstExpr(vec![ConstOp::RefFunc(0)]),
    };
    globals.insert(4, func_ref);
    globals
}

/// Small memories only (never an unbounded maximum, so a random
/// `MemoryGrow` cannot ask for gigabytes).
fn memories() -> Vec<MemoryDecl> {
    vec![
        MemoryDecl {
            min_pages: 1,
            max_pages: Some(2),
        },
        MemoryDecl {
            min_pages: 0,
            max_pages: Some(1),
        },
    ]
}

/// What the typed generator knows while emitting one function.
struct Typed<'a> {
    pools: [Vec<Reg>; 5],
    labels: Vec<Label>,
    sigs: &'a [Sig],
    me: usize,
    globals: &'a [GlobalDecl],
    memories: u32,
}

impl Operands<Label> for Typed<'_> {
    fn reg(&self, ty: S, raw: u64) -> Reg {
        let pool = &self.pools[type_index(ty)];
        pool[raw as usize % pool.len()]
    }

    fn target(&self, raw: u64) -> Label {
        self.labels[raw as usize % self.labels.len()]
    }

    fn mem(&self, raw: u64) -> u32 {
        (raw % u64::from(self.memories)) as u32
    }
}

impl Typed<'_> {
    /// Registers for `types`, drawn from `seed`.
    fn regs(&self, types: &[S], seed: u64) -> Vec<Reg> {
        types
            .iter()
            .enumerate()
            .map(|(i, &ty)| self.reg(ty, seed.rotate_right(7 * i as u32)))
            .collect()
    }

    fn instr(&self, r: Raw, tpls: &[Tpl<Label>], f: &mut FunctionBuilder) -> Instr<Label> {
        match pick(r.op, tpls.len()) {
            Pick::Tpl(i) => tpls[i].instr(self, r),
            Pick::Special(s) => shared_special(self, s, r).unwrap_or_else(|| self.special(s, r, f)),
        }
    }

    /// The specials only this generator draws its own way.
    fn special(&self, s: Special, r: Raw, f: &mut FunctionBuilder) -> Instr<Label> {
        let (a, b, imm) = (u64::from(r.a), u64::from(r.b), r.imm);
        let sig = &self.sigs[self.me];
        match s {
            Special::BrTable => {
                let targets: Vec<Label> =
                    (0..=(b % 4)).map(|k| self.target(imm >> (8 * k))).collect();
                let table = f.branch_table(&targets);
                Instr::BrTable {
                    index: self.reg(S::I32, a),
                    table,
                }
            }
            // Rare, or most runs would end at once.
            Special::Unreachable if a.is_multiple_of(8) => Instr::Unreachable {},
            Special::Unreachable => Instr::I32Const {
                dst: self.reg(S::I32, b),
                value: i32_value(imm),
            },
            Special::Return => Instr::Return {
                values: f.list(&self.regs(&sig.results, imm)),
            },
            Special::Call => {
                let callee = a as usize % self.sigs.len();
                let s = &self.sigs[callee];
                let (args, results) = (self.regs(&s.params, imm), self.regs(&s.results, imm >> 20));
                Instr::Call {
                    func: callee as u32,
                    args: f.list(&args),
                    results: f.list(&results),
                }
            }
            Special::ReturnCall => {
                let candidates: Vec<usize> = (0..self.sigs.len())
                    .filter(|&k| self.sigs[k].results == sig.results)
                    .collect();
                // At least this function itself qualifies.
                let callee = candidates[a as usize % candidates.len()];
                let args = self.regs(&self.sigs[callee].params, imm);
                Instr::ReturnCall {
                    func: callee as u32,
                    args: f.list(&args),
                }
            }
            Special::GlobalGet => {
                let g = a as usize % self.globals.len();
                Instr::GlobalGet {
                    dst: self.reg(self.globals[g].ty, b),
                    global: g as u32,
                }
            }
            Special::GlobalSet => {
                let mutable: Vec<usize> = (0..self.globals.len())
                    .filter(|&g| self.globals[g].mutable)
                    .collect();
                let g = mutable[a as usize % mutable.len()];
                Instr::GlobalSet {
                    src: self.reg(self.globals[g].ty, b),
                    global: g as u32,
                }
            }
            _ => unreachable!("drawn by shared_special"),
        }
    }
}

/// Builds the program of `specs`: well typed by construction.
pub(crate) fn typed_program(specs: &[FnSpec]) -> Program<Label> {
    let sigs: Vec<Sig> = specs
        .iter()
        .map(|s| Sig {
            params: types_of(&s.params),
            results: types_of(&s.results),
        })
        .collect();
    let globals = globals();
    let memories = memories();
    let tpls = templates::<Label>();
    let mut p = ProgramBuilder::new();
    for m in &memories {
        p.memory(*m);
    }
    for g in &globals {
        p.global(g.clone());
    }
    for (k, spec) in specs.iter().enumerate() {
        let sig = &sigs[k];
        let params: Vec<Type> = sig.params.iter().map(|&t| t.into()).collect();
        let results: Vec<Type> = sig.results.iter().map(|&t| t.into()).collect();
        let mut f = FunctionBuilder::new(format!("f{k}"), &params, &results);
        let mut pools: [Vec<Reg>; 5] = Default::default();
        for (i, &ty) in sig.params.iter().enumerate() {
            pools[type_index(ty)].push(f.param(i));
        }
        for ty in TYPES {
            for _ in 0..2 {
                let r = f.scalar(ty);
                pools[type_index(ty)].push(r);
            }
        }
        let labels: Vec<Label> = spec.labels.iter().map(|_| f.label()).collect();
        let cx = Typed {
            pools,
            labels,
            sigs: &sigs,
            me: k,
            globals: &globals,
            memories: memories.len() as u32,
        };
        let mut body: Vec<Instr<Label>> = spec
            .body
            .iter()
            .map(|&r| cx.instr(r, &tpls, &mut f))
            .collect();
        // End with a return, so the last instruction never falls through.
        let values = f.list(&cx.regs(&sig.results, spec.args));
        body.push(Instr::Return { values });
        for (i, instr) in body.into_iter().enumerate() {
            for (l, &pos) in cx.labels.iter().zip(&spec.labels) {
                if usize::from(pos) % (spec.body.len() + 1) == i {
                    f.bind(*l);
                }
            }
            f.push(instr);
        }
        p.function(f);
    }
    p.finish()
}
