//! Host functions: Rust closures a program calls through its function
//! imports (`CallImport`), defined by module and name and resolved against
//! the program's imports when it is instantiated.

use std::collections::HashMap;
use std::fmt;
use std::rc::Rc;

use arenavm_arenas::{Cell, Heap};

use super::executor::{Executor, Stop};
use super::store::check_host_results;
use super::trap::TrapKind;
use crate::isa::Reg;
use crate::program::{HostImport, Val};
use crate::types::FuncType;

/// What a host function sees of the running program: its heap and the
/// Cells of its memories (bytes segments in that heap).
#[derive(Debug)]
pub struct HostContext<'a> {
    pub heap: &'a mut Heap,
    pub memories: &'a [Cell],
}

/// A host function: arguments in, results or an error message out. The
/// error becomes a `HostError` trap carrying the message.
pub type HostFn = Rc<dyn Fn(&mut HostContext<'_>, &[Val]) -> Result<Vec<Val>, String>>;

/// Host functions by module and name, with their types.
#[derive(Clone, Default)]
pub struct HostFunctions {
    defined: HashMap<(String, String), (FuncType, HostFn)>,
}

impl fmt::Debug for HostFunctions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.defined.keys()).finish()
    }
}

impl HostFunctions {
    /// No host functions.
    pub fn new() -> HostFunctions {
        HostFunctions::default()
    }

    /// Defines `module.name` of type `ty`, replacing an earlier definition.
    pub fn define(
        &mut self,
        module: &str,
        name: &str,
        ty: FuncType,
        f: impl Fn(&mut HostContext<'_>, &[Val]) -> Result<Vec<Val>, String> + 'static,
    ) -> &mut Self {
        self.defined
            .insert((module.into(), name.into()), (ty, Rc::new(f)));
        self
    }

    /// The function for each import, in import order, or why one is missing
    /// or of another type.
    pub(crate) fn resolve(
        &self,
        imports: &[HostImport],
    ) -> Result<Vec<(FuncType, HostFn)>, String> {
        imports
            .iter()
            .map(|import| {
                let key = (import.module.clone(), import.name.clone());
                let (ty, f) = self
                    .defined
                    .get(&key)
                    .ok_or_else(|| format!("unknown import {}.{}", import.module, import.name))?;
                if ty.params != import.params || ty.results != import.results {
                    return Err(format!(
                        "import {}.{} is {:?} -> {:?}, but the host defines {:?} -> {:?}",
                        import.module,
                        import.name,
                        import.params,
                        import.results,
                        ty.params,
                        ty.results
                    ));
                }
                Ok((ty.clone(), Rc::clone(f)))
            })
            .collect()
    }
}

impl Executor<'_> {
    /// Runs host function `f` with the current frame's registers `args`
    /// and returns what it returned, checked against its type.
    pub(super) fn call_host(
        &mut self,
        name: &str,
        ty: &FuncType,
        f: &HostFn,
        args: &[Reg],
    ) -> Result<Vec<Val>, Stop> {
        let values: Vec<Val> = ty
            .params
            .iter()
            .zip(args)
            .filter_map(|(ty, &reg)| ty.scalar().map(|s| Val::from_bits(s, self.scalar(reg))))
            .collect();
        let mut context = HostContext {
            heap: self.heap,
            memories: self.memories,
        };
        let returned = f(&mut context, &values)
            .map_err(|message| Stop::detailed(TrapKind::HostError, format!("{name}: {message}")))?;
        check_host_results(name, ty, returned, self.funcs.len())
            .map_err(|m| Stop::detailed(TrapKind::HostError, m))
    }
}
