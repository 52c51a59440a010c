//! The instruction soup generator: random, mostly ill-typed programs.

use crate::templates::{Operands, Pick, Raw, Special, Tpl, pick, raw, shared_special, templates};
use crate::values::{TYPES, types_of};
use crate::well_typed::{Sig, globals};
use arenavm_vm::isa::{Instr, ListRef, Reg};
use arenavm_vm::program::{Function, MemoryDecl, Program};
use arenavm_vm::types::ScalarType as S;
use proptest::collection::vec;
use proptest::prelude::*;

/// Label names of the soup; the last is never bound.
const NAMES: [&str; 5] = ["a", "b", "c", "d", "undefined"];

/// One choice in this many is arbitrary rather than consistent.
const WRONG: u64 = 40;

/// One soup function. Each choice is usually consistent (so that a fair
/// share of programs verifies and runs) but may be anything: registers of
/// any type or none, parameters not declared as their types, lists of the
/// wrong length, undefined or duplicate labels, missing functions,
/// globals, memories and branch tables, code that falls through.
#[derive(Clone, Debug)]
pub(crate) struct SoupFn {
    pub(crate) params: Vec<u8>,
    pub(crate) results: Vec<u8>,
    /// Extra registers after the parameters (and one of each type).
    extra: Vec<u8>,
    /// Declare the parameter registers with their types.
    declare_params: bool,
    tables: Vec<Vec<u8>>,
    /// Instructions, some of them label markers.
    code: Vec<(bool, Raw)>,
    /// Where labels `a` to `d` are bound (before which instruction), if
    /// they are; binding can duplicate a marker in `code`.
    binds: Vec<Option<u8>>,
    /// End with a `Return` of the right registers.
    terminate: bool,
    pub(crate) args: u64,
}

pub(crate) fn soup_fn() -> impl Strategy<Value = SoupFn> {
    (
        vec(0u8..5, 0..=2),
        vec(0u8..5, 0..=2),
        vec(0u8..5, 0..=4),
        prop::bool::weighted(0.97),
        vec(vec(prop_oneof![40 => 0u8..4, 1 => Just(4u8)], 1..=3), 1..=2),
        vec((prop::bool::weighted(0.005), raw()), 0..=10),
        vec(prop::option::weighted(0.97, any::<u8>()), 4),
        prop::bool::weighted(0.9),
        any::<u64>(),
    )
        .prop_map(
            |(params, results, extra, declare_params, tables, code, binds, terminate, args)| {
                SoupFn {
                    params,
                    results,
                    extra,
                    declare_params,
                    tables,
                    code,
                    binds,
                    terminate,
                    args,
                }
            },
        )
}

/// What the soup generator knows while emitting one function.
struct Soup<'a> {
    scalars: Vec<S>,
    lists: Vec<Vec<Reg>>,
    sigs: &'a [Sig],
    me: usize,
    tables: usize,
    memories: usize,
}

impl Operands<String> for Soup<'_> {
    /// Usually a register of type `ty`; one time in [`WRONG`] any index,
    /// which may be of another type or not exist.
    fn reg(&self, ty: S, x: u64) -> Reg {
        let of_ty: Vec<usize> = (0..self.scalars.len())
            .filter(|&i| self.scalars[i] == ty)
            .collect();
        if x.is_multiple_of(WRONG) || of_ty.is_empty() {
            Reg(((x / WRONG) % (self.scalars.len() as u64 + 2)) as u16)
        } else {
            Reg(of_ty[(x / WRONG) as usize % of_ty.len()] as u16)
        }
    }

    /// Usually a label that is bound; one time in [`WRONG`] one never is.
    fn target(&self, x: u64) -> String {
        let i = if x.is_multiple_of(WRONG) {
            4
        } else {
            (x / WRONG) as usize % 4
        };
        NAMES[i].to_string()
    }

    /// Usually a memory that exists; one time in [`WRONG`] the first
    /// missing one.
    fn mem(&self, x: u64) -> u32 {
        Soup::index(self.memories, x)
    }
}

impl Soup<'_> {
    /// A list for `types`, usually right; one time in [`WRONG`] random.
    fn list(&mut self, types: &[S], x: u64) -> ListRef {
        let regs: Vec<Reg> = if x.is_multiple_of(WRONG) {
            (0..(x / WRONG) % 4)
                .map(|k| Reg(((x >> (8 + 4 * k)) % 10) as u16))
                .collect()
        } else {
            types
                .iter()
                .enumerate()
                .map(|(i, &ty)| self.reg(ty, x.rotate_right(9 * i as u32 + 3) | 1))
                .collect()
        };
        self.lists.push(regs);
        ListRef(self.lists.len() as u32 - 1)
    }

    /// An index below `n`, or one time in [`WRONG`] the first missing one.
    fn index(n: usize, x: u64) -> u32 {
        if x.is_multiple_of(WRONG) || n == 0 {
            n as u32
        } else {
            ((x / WRONG) % n as u64) as u32
        }
    }

    fn instr(&mut self, label: bool, r: Raw, tpls: &[Tpl<String>]) -> Instr<String> {
        let (a, b, imm) = (u64::from(r.a), u64::from(r.b), r.imm);
        if label {
            return Instr::Label {
                name: self.target(a),
            };
        }
        let s = match pick(r.op, tpls.len()) {
            Pick::Tpl(i) => return tpls[i].instr(self, r),
            Pick::Special(s) => s,
        };
        if let Some(instr) = shared_special(self, s, r) {
            return instr;
        }
        let me = self.me;
        match s {
            Special::BrTable => Instr::BrTable {
                index: self.reg(S::I32, a),
                table: Soup::index(self.tables, b),
            },
            Special::Unreachable => Instr::Unreachable {},
            Special::Return => {
                let results = self.sigs[me].results.clone();
                Instr::Return {
                    values: self.list(&results, imm),
                }
            }
            Special::Call | Special::ReturnCall => {
                // A tail call usually goes to a function with our results.
                let same: Vec<usize> = (0..self.sigs.len())
                    .filter(|&k| self.sigs[k].results == self.sigs[me].results)
                    .collect();
                let func = if matches!(s, Special::ReturnCall) && !a.is_multiple_of(WRONG) {
                    same[(a / WRONG) as usize % same.len()] as u32
                } else {
                    Soup::index(self.sigs.len(), a)
                };
                let (params, results) = match self.sigs.get(func as usize) {
                    Some(sig) => (sig.params.clone(), sig.results.clone()),
                    None => (vec![], vec![]),
                };
                let args = self.list(&params, imm);
                if matches!(s, Special::Call) {
                    Instr::Call {
                        func,
                        args,
                        results: self.list(&results, imm >> 24),
                    }
                } else {
                    Instr::ReturnCall { func, args }
                }
            }
            Special::GlobalGet | Special::GlobalSet => {
                // Globals 0..3 are i32, i64 and f32, all mutable.
                let global = Soup::index(3, a);
                let ty = [S::I32, S::I64, S::F32]
                    .get(global as usize)
                    .copied()
                    .unwrap_or(S::I32);
                let reg = self.reg(ty, b);
                if matches!(s, Special::GlobalGet) {
                    Instr::GlobalGet { dst: reg, global }
                } else {
                    Instr::GlobalSet { src: reg, global }
                }
            }
            _ => unreachable!("drawn by shared_special"),
        }
    }
}

pub(crate) fn soup_program(fns: &[SoupFn], memories: &[(u8, u8)]) -> Program<String> {
    let tpls = templates::<String>();
    let sigs: Vec<Sig> = fns
        .iter()
        .map(|s| Sig {
            params: types_of(&s.params),
            results: types_of(&s.results),
        })
        .collect();
    let functions = fns
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let mut scalars = if s.declare_params {
                sigs[k].params.clone()
            } else {
                types_of(&s.extra).into_iter().take(1).collect()
            };
            scalars.extend(TYPES);
            scalars.extend(types_of(&s.extra));
            let mut cx = Soup {
                scalars,
                lists: Vec::new(),
                sigs: &sigs,
                me: k,
                tables: s.tables.len(),
                memories: memories.len(),
            };
            let mut code: Vec<Instr<String>> = s
                .code
                .iter()
                .map(|&(label, r)| cx.instr(label, r, &tpls))
                .collect();
            if s.terminate {
                let values = cx.list(&sigs[k].results, s.args | 1);
                code.push(Instr::Return { values });
            }
            // Bind the labels, from the last position down so that earlier
            // insertions do not move later ones.
            let mut binds: Vec<(usize, &str)> = s
                .binds
                .iter()
                .zip(NAMES)
                .filter_map(|(at, name)| at.map(|at| (usize::from(at) % (code.len() + 1), name)))
                .collect();
            binds.sort_by(|x, y| y.cmp(x));
            for (at, name) in binds {
                code.insert(
                    at,
                    Instr::Label {
                        name: name.to_string(),
                    },
                );
            }
            Function {
                // Names may repeat.
                name: format!("s{}", k % 3),
                params: sigs[k].params.iter().map(|&t| t.into()).collect(),
                results: sigs[k].results.iter().map(|&t| t.into()).collect(),
                scalars: cx.scalars,
                cells: vec![],
                slices: vec![],
                lists: cx.lists,
                branch_tables: s
                    .tables
                    .iter()
                    .enumerate()
                    // Rarely, an empty table.
                    .map(|(i, t)| {
                        if i == 0 && s.args.is_multiple_of(WRONG) {
                            &t[..0]
                        } else {
                            &t[..]
                        }
                    })
                    .map(|t| {
                        t.iter()
                            .map(|&n| NAMES[usize::from(n)].to_string())
                            .collect()
                    })
                    .collect(),
                code,
            }
        })
        .collect();
    Program {
        memories: memories
            .iter()
            .map(|&(min, max)| MemoryDecl {
                min_pages: u32::from(min),
                // Usually min <= max; never unbounded.
                max_pages: Some(if max == 0 {
                    u32::from(min).saturating_sub(1)
                } else {
                    u32::from(min + max % 3)
                }),
            })
            .collect(),
        globals: globals().into_iter().take(3).collect(),
        functions,
        ..Program::default()
    }
}
