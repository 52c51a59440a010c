//! Which WebAssembly features a module may use: sets of wasmparser's
//! [`WasmFeatures`], named the way wasmparser names them, in kebab-case.
//!
//! The validator enforces the set; the translator then handles everything
//! in [`Features::default`]. A feature outside that set may be enabled by
//! name (say `simd` or `gc`): modules using it then validate, and the
//! translator refuses the first construct it cannot express with
//! [`TranslateError::Unsupported`](super::TranslateError::Unsupported).

use std::fmt;

use wasmparser::WasmFeatures;

/// A feature set for [`translate`](super::translate).
///
/// ```
/// use arenavm_compiler::wasm::Features;
///
/// let mut features = Features::spec_2_0();
/// features.enable("multi-memory").unwrap();
/// assert!(features.is_enabled("multi-memory").unwrap());
/// assert!(features.enable("multi-memroy").is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Features(WasmFeatures);

impl Features {
    /// Everything arenavm implements: WebAssembly 2.0 without SIMD, plus
    /// multi-memory, extended constant expressions and tail calls.
    /// wasmparser's always-on basics (`floats`, and `gc-types`, which
    /// gates `externref`) are included.
    pub const IMPLEMENTED: WasmFeatures = WasmFeatures::WASM2
        .difference(WasmFeatures::SIMD)
        .union(WasmFeatures::MULTI_MEMORY)
        .union(WasmFeatures::EXTENDED_CONST)
        .union(WasmFeatures::TAIL_CALL);

    /// Exactly the WebAssembly 2.0 feature set (wasmparser's
    /// [`WasmFeatures::WASM2`]): mutable globals, sign extension,
    /// saturating float-to-int, multi-value, bulk memory, reference types
    /// and SIMD; no multi-memory, tail calls or extended constants.
    ///
    /// SIMD is part of 2.0 but not of arenavm: a module that uses `v128`
    /// validates under this set, and translating it fails with
    /// [`TranslateError::Unsupported`](super::TranslateError::Unsupported)
    /// rather than `Invalid`, so a test runner can tell the two apart.
    pub fn spec_2_0() -> Features {
        Features(WasmFeatures::WASM2)
    }

    /// Exactly the given wasmparser set.
    pub fn from_wasmparser(features: WasmFeatures) -> Features {
        Features(features)
    }

    /// The set, for [`translate`](super::translate).
    pub fn wasm_features(self) -> WasmFeatures {
        self.0
    }

    /// Adds the feature called `name` (kebab-case, e.g. `multi-memory`).
    pub fn enable(&mut self, name: &str) -> Result<&mut Features, UnknownFeature> {
        self.0.insert(flag(name)?);
        Ok(self)
    }

    /// Removes the feature called `name` (kebab-case, e.g. `tail-call`).
    pub fn disable(&mut self, name: &str) -> Result<&mut Features, UnknownFeature> {
        self.0.remove(flag(name)?);
        Ok(self)
    }

    /// Whether the feature called `name` is in the set.
    pub fn is_enabled(self, name: &str) -> Result<bool, UnknownFeature> {
        Ok(self.0.contains(flag(name)?))
    }

    /// Every feature name wasmparser knows, in kebab-case.
    pub fn names() -> impl Iterator<Item = String> {
        WasmFeatures::all()
            .iter_names()
            .map(|(name, _)| kebab(name))
    }

    /// The names of the features in this set, in kebab-case.
    pub fn enabled_names(self) -> impl Iterator<Item = String> {
        WasmFeatures::all()
            .iter_names()
            .filter(move |(_, flag)| self.0.contains(*flag))
            .map(|(name, _)| kebab(name))
    }
}

impl Default for Features {
    /// [`Features::IMPLEMENTED`].
    fn default() -> Features {
        Features(Features::IMPLEMENTED)
    }
}

impl From<Features> for WasmFeatures {
    fn from(features: Features) -> WasmFeatures {
        features.0
    }
}

/// A feature name wasmparser does not know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownFeature {
    pub name: String,
}

impl fmt::Display for UnknownFeature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown WebAssembly feature `{}`; known features: {}",
            self.name,
            Features::names().collect::<Vec<_>>().join(", ")
        )
    }
}

impl std::error::Error for UnknownFeature {}

/// wasmparser's flag constant (`MULTI_MEMORY`) for a kebab-case name
/// (`multi-memory`).
fn flag(name: &str) -> Result<WasmFeatures, UnknownFeature> {
    let unknown = || UnknownFeature {
        name: name.to_owned(),
    };
    if name.is_empty()
        || !name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(unknown());
    }
    WasmFeatures::from_name(&name.to_ascii_uppercase().replace('-', "_")).ok_or_else(unknown)
}

fn kebab(constant: &str) -> String {
    constant.to_ascii_lowercase().replace('_', "-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_is_what_arenavm_implements() {
        let f = Features::default();
        for name in [
            "multi-memory",
            "bulk-memory",
            "reference-types",
            "sign-extension",
            "saturating-float-to-int",
            "multi-value",
            "mutable-global",
            "extended-const",
            "tail-call",
            "floats",
        ] {
            assert!(f.is_enabled(name).unwrap(), "{name}");
        }
        for name in ["simd", "threads", "gc", "memory64", "exceptions"] {
            assert!(!f.is_enabled(name).unwrap(), "{name}");
        }
    }

    #[test]
    fn spec_2_0_is_wasmparsers_wasm2() {
        let f = Features::spec_2_0();
        assert_eq!(f.wasm_features(), WasmFeatures::WASM2);
        for name in ["multi-memory", "tail-call", "extended-const"] {
            assert!(!f.is_enabled(name).unwrap(), "{name}");
        }
    }

    #[test]
    fn features_are_named_in_kebab_case() {
        let mut f = Features::spec_2_0();
        f.enable("multi-memory")
            .unwrap()
            .enable("tail-call")
            .unwrap();
        assert!(f.wasm_features().multi_memory() && f.wasm_features().tail_call());
        f.disable("reference-types").unwrap();
        assert!(!f.wasm_features().reference_types());
        assert!(Features::names().any(|n| n == "saturating-float-to-int"));
        assert!(f.enabled_names().any(|n| n == "tail-call"));
    }

    #[test]
    fn unknown_names_are_refused_with_the_known_ones() {
        let mut f = Features::default();
        for bad in ["multi_memory", "MULTI-MEMORY", "", "multi-memroy", "-"] {
            let e = f.enable(bad).unwrap_err();
            assert_eq!(e.name, bad);
            assert!(e.to_string().contains("known features: "));
            assert!(e.to_string().contains("multi-memory"));
        }
        assert_eq!(f, Features::default(), "a refused name changes nothing");
    }
}
