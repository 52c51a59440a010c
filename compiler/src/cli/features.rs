//! `--spec`, `--enable` and `--disable`: the WebAssembly feature set that
//! `run`, `translate` and `wast` compile modules under.

use clap::Args;

use crate::wasm::Features;

/// The feature options. The set starts from everything arenavm implements
/// (or exactly WebAssembly 2.0 with `--spec 2.0`), then adds each
/// `--enable` and removes each `--disable`, in that order.
#[derive(Clone, Debug, Default, Args)]
pub struct FeatureArgs {
    /// Start from exactly the features of this WebAssembly version instead
    /// of everything arenavm implements.
    #[arg(long, value_name = "VERSION", value_parser = ["2.0"])]
    spec: Option<String>,

    /// Add a feature, named as wasmparser names it in kebab-case
    /// (multi-memory, tail-call, extended-const...). Repeatable.
    #[arg(long, value_name = "FEATURE", value_parser = feature_name)]
    enable: Vec<String>,

    /// Remove a feature (same names as --enable). Repeatable.
    #[arg(long, value_name = "FEATURE", value_parser = feature_name)]
    disable: Vec<String>,
}

/// Accepts only the names wasmparser knows; the error lists them.
fn feature_name(name: &str) -> Result<String, String> {
    Features::default()
        .is_enabled(name)
        .map(|_| name.to_owned())
        .map_err(|e| e.to_string())
}

impl FeatureArgs {
    /// The feature set the options describe.
    pub fn features(&self) -> Features {
        let mut features = match self.spec.as_deref() {
            Some(_) => Features::spec_2_0(),
            None => Features::default(),
        };
        // Every name passed `feature_name`, so neither call can fail.
        for name in &self.enable {
            let _ = features.enable(name);
        }
        for name in &self.disable {
            let _ = features.disable(name);
        }
        features
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;
    use clap::Parser;

    fn features(args: &[&str]) -> Result<Features, String> {
        #[derive(Debug, Parser)]
        struct Test {
            #[command(flatten)]
            features: FeatureArgs,
        }
        Test::try_parse_from(["t"].iter().chain(args))
            .map(|t| t.features.features())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn the_set_starts_from_the_default_or_the_spec_and_applies_changes() {
        assert_eq!(features(&[]), Ok(Features::default()));
        assert_eq!(features(&["--spec", "2.0"]), Ok(Features::spec_2_0()));
        let f = features(&["--spec", "2.0", "--enable", "multi-memory"]).unwrap();
        assert!(f.is_enabled("multi-memory").unwrap());
        let f = features(&["--disable", "tail-call", "--enable", "tail-call"]).unwrap();
        assert!(!f.is_enabled("tail-call").unwrap(), "disables come last");
    }

    #[test]
    fn unknown_names_and_versions_are_refused() {
        let e = features(&["--enable", "multi_memory"]).unwrap_err();
        assert!(
            e.contains("unknown WebAssembly feature `multi_memory`"),
            "{e}"
        );
        assert!(features(&["--spec", "3.0"]).is_err());
        let _ = Cli::try_parse_from(["arenavm", "wast", "--spec", "2.0", "x.wast"]).unwrap();
    }
}
