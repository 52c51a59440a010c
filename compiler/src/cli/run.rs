//! `arenavm run`: load, verify and run one function of a RON program or
//! one exported function of a WebAssembly module, then print its results,
//! one per line.

use std::process::ExitCode;

use arenavm_vm::VerifiedProgram;
use arenavm_vm::arenas::HeapConfig;
use arenavm_vm::exec::{ExecConfig, Instance};
use arenavm_vm::program::Val;
use arenavm_vm::types::Type;
use clap::Args;

use super::features::FeatureArgs;
use super::parse_in_range;
use super::program::{Failure, ProgramFile, counted, print_stdout, signature, type_name};
use crate::embed::{ExternType, Linker, Module, Store};

/// The function run when `--invoke` is not given.
const DEFAULT_ENTRY: &str = "main";

/// Arguments of `arenavm run`. Options go before the program file; every
/// word after it is an argument of the function, so negative numbers and
/// `-inf` need no escaping.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The function to run.
    #[arg(long, value_name = "NAME", default_value = DEFAULT_ENTRY)]
    invoke: String,

    /// Trap with "out of fuel" once N instructions have run; without this
    /// flag, run unmetered.
    #[arg(
        long,
        value_name = "N",
        allow_negative_numbers = true,
        value_parser = fuel,
    )]
    fuel: Option<u64>,

    /// Most calls active at once, the entry function's included; one more
    /// traps with "call stack exhausted". Tail calls (ReturnCall) do not
    /// count.
    #[arg(
        long,
        value_name = "N",
        allow_negative_numbers = true,
        default_value_t = ExecConfig::default().max_call_depth,
        value_parser = max_call_depth,
    )]
    max_call_depth: usize,

    /// WebAssembly features (Wasm modules only).
    #[command(flatten)]
    features: FeatureArgs,

    #[command(flatten)]
    program: ProgramFile,

    /// The function's arguments, read by its parameter types: i32 and i64
    /// as decimal whole numbers, f32 and f64 as Rust writes floats (1.5,
    /// -2e-3, nan, inf, -inf). Every word after PROGRAM is an argument,
    /// so options go before it.
    #[arg(
        value_name = "ARG",
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    args: Vec<String>,
}

fn fuel(text: &str) -> Result<u64, String> {
    parse_in_range(text, 0..=u64::MAX)
}

fn max_call_depth(text: &str) -> Result<usize, String> {
    parse_in_range(text, 1..=usize::MAX)
}

impl RunArgs {
    /// The limits of the invocation.
    pub fn config(&self) -> ExecConfig {
        ExecConfig {
            fuel: self.fuel,
            max_call_depth: self.max_call_depth,
        }
    }

    /// Runs the function and prints its results. Exit code 1 if the program
    /// trapped, 2 if the file, the program or the invocation is invalid.
    pub fn run(self) -> ExitCode {
        match self.execute() {
            Ok(results) => print_stdout(
                &results
                    .into_iter()
                    .map(|v| format_val(v) + "\n")
                    .collect::<String>(),
            ),
            Err(failure) => failure.report(),
        }
    }

    fn execute(&self) -> Result<Vec<Val>, Failure> {
        if self.program.is_wasm() {
            self.execute_wasm()
        } else {
            self.execute_ron()
        }
    }

    /// Instantiates the module (it may import nothing) and calls its
    /// export `--invoke`.
    fn execute_wasm(&self) -> Result<Vec<Val>, Failure> {
        let module = self.program.load_module(self.features.features())?;
        let name = self.invoke.as_str();
        let func_type = module.exports().iter().find_map(|e| match &e.ty {
            ExternType::Func(ty) if e.name == name => Some(ty.clone()),
            _ => None,
        });
        let Some(ty) = func_type else {
            return Err(self.unknown_export(&module));
        };
        let signature = signature(name, &ty.params, &ty.results);
        let args = parse_args(&signature, &ty.params, &ty.results, &self.args)?;
        let mut store = Store::new();
        store.set_config(self.config());
        let instance = Linker::new()
            .instantiate(&mut store, &module)
            .map_err(|e| match e {
                crate::embed::Error::Trap(trap) => Failure::Trap(trap),
                other => Failure::Invalid(format!(
                    "cannot instantiate {}: {other}",
                    self.program.display()
                )),
            })?;
        let func = instance
            .get_func(&store, name)
            .ok_or_else(|| Failure::Invalid(format!("`{name}` is not an exported function")))?;
        Ok(func.call(&mut store, &args)?)
    }

    /// The error for an `--invoke` name the module does not export as a
    /// function, listing the function exports it has.
    fn unknown_export(&self, module: &Module) -> Failure {
        let names = module
            .exports()
            .iter()
            .filter(|e| matches!(e.ty, ExternType::Func(_)))
            .map(|e| e.name.as_str());
        self.unknown_entry("exports no function", "exports", names)
    }

    fn execute_ron(&self) -> Result<Vec<Val>, Failure> {
        let verified = self.program.load()?.verified;
        let name = self.invoke.as_str();
        let entry = verified
            .function_index(name)
            .and_then(|index| Some((index, verified.signature(index)?)));
        let Some((index, (params, results))) = entry else {
            return Err(self.unknown_function(&verified));
        };
        let signature = signature(name, params, results);
        let args = parse_args(&signature, params, results, &self.args)?;
        let mut instance = Instance::new(&verified, HeapConfig::default()).map_err(|e| {
            Failure::Invalid(format!(
                "cannot instantiate {}: {e}",
                self.program.display()
            ))
        })?;
        Ok(instance.invoke(index, &args, &self.config())?)
    }

    /// The error for an `--invoke` name (or the default `main`) that the
    /// program does not define, listing the names it does.
    fn unknown_function(&self, verified: &VerifiedProgram) -> Failure {
        self.unknown_entry("has no function", "defines", verified.function_names())
    }

    /// `PROGRAM {missing} named `NAME` (it {listing} `a`, `b`)`, with a hint
    /// when the name was the default.
    fn unknown_entry<'a>(
        &self,
        missing: &str,
        listing: &str,
        names: impl Iterator<Item = &'a str>,
    ) -> Failure {
        let names: Vec<String> = names.map(|name| format!("`{name}`")).collect();
        let names = if names.is_empty() {
            "no functions".to_owned()
        } else {
            names.join(", ")
        };
        let hint = if self.invoke == DEFAULT_ENTRY {
            "; choose one with --invoke NAME"
        } else {
            ""
        };
        Failure::Invalid(format!(
            "{} {missing} named `{}` (it {listing} {names}){hint}",
            self.program.display(),
            self.invoke
        ))
    }
}

/// Reads one argument per parameter of the function (`signature` names it
/// in messages), after checking that every parameter can be written on the
/// command line and every result printed.
fn parse_args(
    signature: &str,
    params: &[Type],
    results: &[Type],
    texts: &[String],
) -> Result<Vec<Val>, Failure> {
    if let Some((i, &ty)) = params.iter().enumerate().find(|(_, ty)| !is_number(**ty)) {
        return Err(Failure::Invalid(format!(
            "parameter {} of `{signature}` is a {}, which cannot be given on the command line (only i32, i64, f32 and f64 can)",
            i + 1,
            type_name(ty)
        )));
    }
    if let Some(&ty) = results.iter().find(|ty| ty.scalar().is_none()) {
        return Err(Failure::Invalid(format!(
            "`{signature}` returns a {}, which cannot be printed (only numbers and funcrefs can)",
            type_name(ty)
        )));
    }
    if texts.len() != params.len() {
        let hint = if texts.iter().any(|text| text.starts_with("--")) {
            "; options go before the program file"
        } else {
            ""
        };
        return Err(Failure::Invalid(format!(
            "`{signature}` takes {}, {} given{hint}",
            counted(params.len(), "argument", "arguments"),
            texts.len()
        )));
    }
    params
        .iter()
        .zip(texts)
        .enumerate()
        .map(|(i, (&ty, text))| {
            parse_val(ty, text).map_err(|why| {
                Failure::Invalid(format!("argument {} of `{signature}`: {why}", i + 1))
            })
        })
        .collect()
}

/// True for the types a command-line word can hold.
fn is_number(ty: Type) -> bool {
    matches!(ty, Type::I32 | Type::I64 | Type::F32 | Type::F64)
}

/// Parses `text` as a value of the number type `ty`.
fn parse_val(ty: Type, text: &str) -> Result<Val, String> {
    let whole = |min: i64, max: i64| {
        format!(
            "`{text}` is not an {} (a whole number from {min} to {max})",
            type_name(ty)
        )
    };
    let float = || {
        format!(
            "`{text}` is not an {} (write e.g. 1.5, -2e-3, nan, inf or -inf)",
            type_name(ty)
        )
    };
    match ty {
        Type::I32 => text
            .parse()
            .map(Val::I32)
            .map_err(|_| whole(i32::MIN.into(), i32::MAX.into())),
        Type::I64 => text
            .parse()
            .map(Val::I64)
            .map_err(|_| whole(i64::MIN, i64::MAX)),
        Type::F32 => text.parse().map(Val::F32).map_err(|_| float()),
        Type::F64 => text.parse().map(Val::F64).map_err(|_| float()),
        Type::FuncRef | Type::ExternRef | Type::Cell(_) | Type::Slice(_) => Err(format!(
            "a {} cannot be given on the command line",
            type_name(ty)
        )),
    }
}

/// One result as printed: integers in signed decimal, floats in Rust's
/// shortest round-trip form (`2.0`, `NaN`, `-inf`, `-0.0`).
fn format_val(val: Val) -> String {
    match val {
        Val::I32(v) => v.to_string(),
        Val::I64(v) => v.to_string(),
        Val::F32(v) => format!("{v:?}"),
        Val::F64(v) => format!("{v:?}"),
        Val::FuncRef(Some(func)) => format!("funcref {func}"),
        Val::FuncRef(None) => "funcref null".into(),
        Val::ExternRef(Some(r)) => format!("externref {r}"),
        Val::ExternRef(None) => "externref null".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, Command};
    use arenavm_vm::arenas::ArenaTag;
    use clap::Parser;

    fn parse_run(args: &[&str]) -> RunArgs {
        let cli = Cli::try_parse_from(["arenavm", "run"].iter().chain(args)).unwrap();
        let Command::Run(args) = cli.command else {
            panic!("parsed as another subcommand")
        };
        args
    }

    #[test]
    fn words_after_the_program_are_arguments_even_with_hyphens() {
        let args = parse_run(&["--fuel", "1_000", "p.ron", "-5", "-inf", "--fuel", "+2"]);
        assert_eq!(args.args, ["-5", "-inf", "--fuel", "+2"]);
        assert_eq!(args.fuel, Some(1000));
        assert_eq!(args.invoke, "main");
        assert_eq!(args.program.display().to_string(), "p.ron");
    }

    #[test]
    fn no_limits_means_the_vm_defaults() {
        assert_eq!(parse_run(&["p.ron"]).config(), ExecConfig::default());
        let args = parse_run(&["--max-call-depth", "7", "--invoke", "f", "p.ron"]);
        assert_eq!(args.config().max_call_depth, 7);
        assert_eq!(args.invoke, "f");
    }

    #[test]
    fn numbers_are_read_by_parameter_type() {
        let cases = [
            (Type::I32, "-2147483648", Val::I32(i32::MIN)),
            (Type::I32, "+7", Val::I32(7)),
            (Type::I64, "9223372036854775807", Val::I64(i64::MAX)),
            (Type::F32, "0.1", Val::F32(0.1)),
            (Type::F64, "-2e-3", Val::F64(-0.002)),
            (Type::F64, "inf", Val::F64(f64::INFINITY)),
            (Type::F64, "-inf", Val::F64(f64::NEG_INFINITY)),
        ];
        for (ty, text, val) in cases {
            assert_eq!(parse_val(ty, text), Ok(val), "{text}");
        }
        assert!(matches!(parse_val(Type::F64, "nan"), Ok(Val::F64(x)) if x.is_nan()));
    }

    #[test]
    fn malformed_numbers_are_refused_with_the_accepted_form() {
        for (ty, text) in [
            (Type::I32, "2147483648"),
            (Type::I32, "1.0"),
            (Type::I64, "0x10"),
            (Type::I64, ""),
            (Type::F64, "one"),
            (Type::F32, "1,5"),
        ] {
            let error = parse_val(ty, text).unwrap_err();
            assert!(
                error.starts_with(&format!("`{text}` is not an ")),
                "{error}"
            );
        }
        let error = parse_val(Type::Cell(ArenaTag::Bytes), "0").unwrap_err();
        assert_eq!(error, "a cell<bytes> cannot be given on the command line");
    }

    #[test]
    fn only_number_signatures_can_be_run_from_the_command_line() {
        let words = |n: usize| vec!["1".to_string(); n];
        let message = |result: Result<Vec<Val>, Failure>| match result {
            Err(Failure::Invalid(message)) => message,
            other => panic!("expected an invalid invocation, got {other:?}"),
        };
        let cell = Type::Cell(ArenaTag::Bytes);
        assert!(
            message(parse_args("f", &[Type::I32, cell], &[], &words(2)))
                .contains("parameter 2 of `f` is a cell<bytes>")
        );
        assert!(
            message(parse_args("f", &[Type::FuncRef], &[], &words(1)))
                .contains("funcref, which cannot be given")
        );
        assert!(
            message(parse_args("f", &[], &[Type::Slice(ArenaTag::Str)], &[]))
                .contains("returns a slice<string>, which cannot be printed")
        );
        assert_eq!(
            parse_args("f", &[Type::I64], &[Type::FuncRef], &words(1)).unwrap(),
            [Val::I64(1)]
        );
    }

    #[test]
    fn results_print_in_decimal_and_shortest_round_trip_floats() {
        let cases = [
            (Val::I32(-1), "-1"),
            (Val::I64(i64::MIN), "-9223372036854775808"),
            (Val::F64(2.0), "2.0"),
            (Val::F64(-0.0), "-0.0"),
            (Val::F64(f64::NAN), "NaN"),
            (Val::F64(f64::NEG_INFINITY), "-inf"),
            (Val::F64(0.1 + 0.2), "0.30000000000000004"),
            (Val::F32(0.1), "0.1"),
            (Val::F32(1e-7), "1e-7"),
            (Val::FuncRef(Some(3)), "funcref 3"),
            (Val::FuncRef(None), "funcref null"),
        ];
        for (val, text) in cases {
            assert_eq!(format_val(val), text);
        }
    }
}
