//! One script's state while it runs: a store with the `spectest` module,
//! the instances by name, the current instance, and what each directive
//! does to them.
//!
//! Invariant: `current` is the instance the last `module` directive made,
//! or `None` if that directive failed, so later assertions never run
//! against an older module by mistake.

use std::collections::HashMap;

use ::wast::token::Id;
use ::wast::{QuoteWat, WastDirective, WastExecute, WastInvoke};

use super::{spectest, traps, values};
use crate::embed::{Error, Instance, Linker, Module, Store, Val};
use crate::wasm::Features;

/// Why a module of the script was not compiled.
#[derive(Debug)]
enum Refusal {
    /// The text did not parse or encode (the `wast` crate refused it).
    Text(String),
    /// The module was refused by validation, translation or verification.
    Module(Error),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Text(message) => write!(f, "malformed text: {message}"),
            Refusal::Module(error) => write!(f, "{error}"),
        }
    }
}

/// The state of one script.
pub(super) struct Runner {
    features: Features,
    store: Store,
    linker: Linker,
    current: Option<Instance>,
    named: HashMap<String, Instance>,
    definitions: HashMap<String, Module>,
    last_definition: Option<Module>,
}

impl Runner {
    /// A fresh store with `spectest` defined; modules compile under
    /// `features`.
    pub(super) fn new(features: Features) -> Result<Runner, Error> {
        let mut store = Store::new();
        let mut linker = Linker::new();
        spectest::define(&mut store, &mut linker)?;
        Ok(Runner {
            features,
            store,
            linker,
            current: None,
            named: HashMap::new(),
            definitions: HashMap::new(),
            last_definition: None,
        })
    }

    /// Runs one directive; the error says why it failed.
    pub(super) fn run(&mut self, directive: WastDirective<'_>) -> Result<(), String> {
        match directive {
            WastDirective::Module(mut wat) => {
                self.current = None;
                let name = wat.name().map(|id| id.name().to_owned());
                let module = self.compile(&mut wat).map_err(|e| e.to_string())?;
                let instance = self.instantiate(&module).map_err(|e| e.to_string())?;
                if let Some(name) = name {
                    self.named.insert(name, instance);
                }
                self.current = Some(instance);
                Ok(())
            }
            WastDirective::ModuleDefinition(mut wat) => {
                let name = wat.name().map(|id| id.name().to_owned());
                let module = self.compile(&mut wat).map_err(|e| e.to_string())?;
                if let Some(name) = name {
                    self.definitions.insert(name, module.clone());
                }
                self.last_definition = Some(module);
                Ok(())
            }
            WastDirective::ModuleInstance {
                instance, module, ..
            } => {
                self.current = None;
                let definition = match module {
                    Some(id) => self.definitions.get(id.name()),
                    None => self.last_definition.as_ref(),
                };
                let module = definition.cloned().ok_or("no such module definition")?;
                let made = self.instantiate(&module).map_err(|e| e.to_string())?;
                if let Some(id) = instance {
                    self.named.insert(id.name().to_owned(), made);
                }
                self.current = Some(made);
                Ok(())
            }
            WastDirective::Register { name, module, .. } => {
                let instance = self.instance(module).map_err(|e| e.to_string())?;
                self.linker
                    .instance(&self.store, name, instance)
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            }
            WastDirective::Invoke(call) => {
                self.invoke(&call).map(|_| ()).map_err(|e| e.to_string())
            }
            WastDirective::AssertReturn { exec, results, .. } => {
                let actual = self.execute(exec).map_err(|e| e.to_string())?;
                values::check_results(&actual, &results)
            }
            WastDirective::AssertTrap { exec, message, .. } => match self.execute(exec) {
                Ok(results) => Err(format!(
                    "expected a trap \"{message}\", but it returned {}",
                    values::show_all(&results)
                )),
                Err(Error::Trap(trap)) => traps::check(trap.kind, message),
                Err(other) => Err(format!("expected a trap \"{message}\", got: {other}")),
            },
            WastDirective::AssertExhaustion { call, message, .. } => match self.invoke(&call) {
                Ok(results) => Err(format!(
                    "expected exhaustion \"{message}\", but it returned {}",
                    values::show_all(&results)
                )),
                Err(Error::Trap(trap)) => traps::check(trap.kind, message),
                Err(other) => Err(format!("expected exhaustion \"{message}\", got: {other}")),
            },
            WastDirective::AssertInvalid {
                mut module,
                message,
                ..
            }
            | WastDirective::AssertMalformed {
                mut module,
                message,
                ..
            } => match self.compile(&mut module) {
                Ok(_) => Err(format!("the module compiled; expected \"{message}\"")),
                Err(Refusal::Text(_)) => Ok(()),
                Err(Refusal::Module(Error::InvalidModule { .. })) => Ok(()),
                Err(Refusal::Module(other)) => Err(format!(
                    "expected an invalid module (\"{message}\"), got: {other}"
                )),
            },
            WastDirective::AssertUnlinkable {
                module, message, ..
            } => {
                let module = self
                    .compile(&mut QuoteWat::Wat(module))
                    .map_err(|e| e.to_string())?;
                match self.instantiate(&module) {
                    Ok(_) => Err(format!("the module linked; expected \"{message}\"")),
                    Err(Error::Link(_)) => Ok(()),
                    Err(other) => Err(format!(
                        "expected a link error (\"{message}\"), got: {other}"
                    )),
                }
            }
            other => Err(format!(
                "unsupported directive {}",
                super::directive_name(&other)
            )),
        }
    }

    fn compile(&self, wat: &mut QuoteWat<'_>) -> Result<Module, Refusal> {
        let bytes = wat.encode().map_err(|e| Refusal::Text(e.message()))?;
        Module::new(&bytes, &self.features).map_err(Refusal::Module)
    }

    fn instantiate(&mut self, module: &Module) -> Result<Instance, Error> {
        self.linker.instantiate(&mut self.store, module)
    }

    /// The instance named `id`, or the current one.
    fn instance(&self, id: Option<Id<'_>>) -> Result<Instance, Error> {
        match id {
            Some(id) => self
                .named
                .get(id.name())
                .copied()
                .ok_or_else(|| Error::Usage(format!("no module named ${}", id.name()))),
            None => self
                .current
                .ok_or_else(|| Error::Usage("no module is instantiated".into())),
        }
    }

    fn invoke(&mut self, call: &WastInvoke<'_>) -> Result<Vec<Val>, Error> {
        let instance = self.instance(call.module)?;
        let func = instance
            .get_func(&self.store, call.name)
            .ok_or_else(|| Error::Usage(format!("no exported function \"{}\"", call.name)))?;
        let args = call
            .args
            .iter()
            .map(values::arg)
            .collect::<Result<Vec<Val>, String>>()
            .map_err(Error::Usage)?;
        func.call(&mut self.store, &args)
    }

    /// Runs what an assertion checks: a call, a global read, or an
    /// instantiation (which returns no values).
    fn execute(&mut self, exec: WastExecute<'_>) -> Result<Vec<Val>, Error> {
        match exec {
            WastExecute::Invoke(call) => self.invoke(&call),
            WastExecute::Get { module, global, .. } => {
                let instance = self.instance(module)?;
                let global = instance
                    .get_global(&self.store, global)
                    .ok_or_else(|| Error::Usage(format!("no exported global \"{global}\"")))?;
                Ok(vec![global.get(&self.store)?])
            }
            WastExecute::Wat(wat) => {
                let module = match self.compile(&mut QuoteWat::Wat(wat)) {
                    Ok(module) => module,
                    Err(Refusal::Module(error)) => return Err(error),
                    Err(text) => return Err(Error::Usage(text.to_string())),
                };
                self.instantiate(&module).map(|_| Vec::new())
            }
        }
    }
}
