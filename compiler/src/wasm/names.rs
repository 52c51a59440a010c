//! Function names: programs need unique ones, Wasm's name section gives
//! optional and possibly repeated ones.

use std::collections::HashMap;

use wasmparser::{KnownCustom, Name};

/// Names from a `name` custom section, by Wasm function index. A malformed
/// name section is ignored, as the spec asks of custom sections.
pub(crate) fn read_name_section(
    section: &wasmparser::CustomSectionReader<'_>,
    names: &mut HashMap<u32, String>,
) {
    let KnownCustom::Name(reader) = section.as_known() else {
        return;
    };
    let mut found = HashMap::new();
    for subsection in reader {
        match subsection {
            Ok(Name::Function(map)) => {
                for naming in map {
                    let Ok(naming) = naming else { return };
                    found.insert(naming.index, naming.name.to_owned());
                }
            }
            Ok(_) => {}
            Err(_) => return,
        }
    }
    *names = found;
}

/// The name of each defined function: its name-section name if it has
/// one that no other function uses, else `func{index}` with its Wasm
/// function index (imports come first, so defined function `i` is Wasm
/// function `func_imports + i`).
///
/// A name-section name that equals the generated name of another function
/// is not unique either; giving that function its generated name may free
/// nothing but may claim another, so rejections propagate through a
/// worklist, each function at most once.
pub(crate) fn function_names(
    defined: usize,
    func_imports: u32,
    section: &HashMap<u32, String>,
) -> Vec<String> {
    let wasm_index = |i: usize| u64::from(func_imports) + i as u64;
    let given: Vec<Option<&str>> = (0..defined)
        .map(|i| {
            u32::try_from(wasm_index(i))
                .ok()
                .and_then(|w| section.get(&w))
                .map(String::as_str)
        })
        .collect();
    let mut uses: HashMap<&str, usize> = HashMap::new();
    for name in given.iter().flatten() {
        *uses.entry(name).or_default() += 1;
    }
    // Functions currently keeping their section name, by that name.
    let mut kept: HashMap<&str, usize> = HashMap::new();
    let mut generated = Vec::new();
    for (i, name) in given.iter().enumerate() {
        match name {
            Some(name) if uses.get(name) == Some(&1) => {
                kept.insert(name, i);
            }
            _ => generated.push(i),
        }
    }
    let mut keeps = vec![false; defined];
    for &i in kept.values() {
        keeps[i] = true;
    }
    while let Some(i) = generated.pop() {
        let name = format!("func{}", wasm_index(i));
        if let Some(j) = kept.remove(name.as_str()) {
            keeps[j] = false;
            generated.push(j);
        }
    }
    (0..defined)
        .map(|i| match given[i] {
            Some(name) if keeps[i] => name.to_owned(),
            _ => format!("func{}", wasm_index(i)),
        })
        .collect()
}

/// `base`, or `base_1`, `base_2`... : the first that is not in `taken`.
pub(crate) fn fresh_name(base: &str, taken: &[String]) -> String {
    let taken: std::collections::HashSet<&str> = taken.iter().map(String::as_str).collect();
    if !taken.contains(base) {
        return base.to_owned();
    }
    (1u64..)
        .map(|n| format!("{base}_{n}"))
        .find(|name| !taken.contains(name.as_str()))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(entries: &[(u32, &str)]) -> HashMap<u32, String> {
        entries.iter().map(|&(i, n)| (i, n.to_owned())).collect()
    }

    #[test]
    fn unique_section_names_are_kept_and_others_generated() {
        let names = function_names(4, 1, &section(&[(1, "main"), (2, "dup"), (3, "dup")]));
        assert_eq!(names, ["main", "func2", "func3", "func4"]);
    }

    #[test]
    fn a_section_name_equal_to_a_generated_one_is_not_unique() {
        // Function 1 is unnamed, so it is `func1`; function 0 may not take
        // that name, becomes `func0`, which function 2 claimed, and so on.
        let names = function_names(3, 0, &section(&[(0, "func1"), (2, "func0")]));
        assert_eq!(names, ["func0", "func1", "func2"]);
        let unique: std::collections::HashSet<_> = names.iter().collect();
        assert_eq!(unique.len(), names.len());
    }

    #[test]
    fn chains_of_claims_resolve_in_linear_time() {
        let n = 100_000u32;
        let entries: Vec<(u32, String)> = (1..n).map(|i| (i, format!("func{}", i - 1))).collect();
        let section: HashMap<u32, String> = entries.into_iter().collect();
        let names = function_names(n as usize, 0, &section);
        assert!(
            names
                .iter()
                .enumerate()
                .all(|(i, n)| *n == format!("func{i}"))
        );
    }

    #[test]
    fn fresh_names_avoid_taken_ones() {
        let taken = vec!["start".to_owned(), "start_1".to_owned()];
        assert_eq!(fresh_name("start", &taken), "start_2");
        assert_eq!(fresh_name("go", &taken), "go");
    }
}
