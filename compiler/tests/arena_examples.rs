//! The arena examples (`sieve.ron`, `fasta.ron`, `word_frequency.ron`,
//! `quicksort.ron`, `utf8_copy.ron`) run through the real `arenavm` binary,
//! each compared with the same algorithm written here in plain Rust, or
//! with known constants.

mod common;

use common::{arenavm, example, lines, run_ok, scratch_program, stderr, stdout};
use std::collections::HashMap;

/// [`run_ok`] on `examples/NAME`, with arguments of any printable type.
fn run_example<T: ToString>(options: &[&str], name: &str, args: &[T]) -> String {
    let args: Vec<String> = args.iter().map(T::to_string).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run_ok(options, &example(name), &args)
}

/// Runs `arenavm ARGS`, asserts the exit code, an empty stdout and a
/// one-line message on stderr, and returns the message.
fn fails(args: &[&str], code: i32) -> String {
    let output = arenavm(args);
    let err = stderr(&output).to_owned();
    assert_eq!(output.status.code(), Some(code), "{args:?}: {err}");
    assert!(!err.contains("panicked"), "{args:?}: {err}");
    assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
    assert_eq!(stdout(&output), "", "{args:?}");
    err
}

// sieve.ron

/// Primes below `n`, by trial division.
fn primes_below(n: i64) -> i64 {
    let count = (2..n.max(2))
        .filter(|&k| (2..k).take_while(|d| d * d <= k).all(|d| k % d != 0))
        .count();
    i64::try_from(count).unwrap()
}

#[test]
fn sieve_counts_the_primes_below_n() {
    for (n, known) in [(100, 25), (1000, 168), (100_000, 9592)] {
        assert_eq!(
            run_example(&[], "sieve.ron", &[n]),
            lines(&[known]),
            "n={n}"
        );
    }
    assert_eq!(primes_below(1000), 168);
    for n in [-5, 0, 1, 2, 3, 4, 5, 6, 49, 50, 97, 98, 4096] {
        assert_eq!(
            run_example(&[], "sieve.ron", &[n]),
            lines(&[primes_below(n)]),
            "n={n}"
        );
    }
}

#[test]
fn sieve_agrees_with_the_linear_memory_sieve() {
    for n in [2, 10, 65_536, 65_537] {
        assert_eq!(
            run_example(&[], "sieve.ron", &[n]),
            run_example(&[], "sieve_memory.ron", &[n]),
            "n={n}"
        );
    }
}

// fasta.ron

/// The ALU sequence the benchmark game's fasta repeats.
const ALU: &str = "GGCCGGGCGCGGTGGCTCACGCCTGTAATCCCAGCACTTTGGGAGGCCGAGGCGGGCGGATCACCTGAGGTCAGGAGTTCGAGACCAGCCTGGCCAACATGGTGAAACCCCGTCTCTACTAAAAATACAAAAATTAGCCGGGCGTGGTGGCGCGCGCCTGTAATCCCAGCTACTCGGGAGGCTGAGGCAGGAGAATCGCTTGAACCCGGGAGGCGGAGGTTGCAGTGAGCCGAGATCGCGCCACTGCACTCCAGCCTGGGCGACAGAGCGAGACTCCGTCTCAAAAA";

/// Homo sapiens base frequencies, as in fasta.
const HOMO_SAPIENS: [(u8, f64); 4] = [
    (b'a', 0.3029549426680),
    (b'c', 0.1979883004921),
    (b'g', 0.1975473066391),
    (b't', 0.3015094502008),
];

/// The fasta generator: the state after one step from `last`.
fn fasta_step(last: i64) -> i64 {
    const IM: i64 = 139_968;
    const IA: i64 = 3877;
    const IC: i64 = 29_573;
    (last * IA + IC) % IM
}

/// The sequence `fasta.ron` builds for `n`: ALU repeated to 2n bases, then
/// 3n bases drawn from seed 42.
fn fasta_sequence(n: i64) -> Vec<u8> {
    let n = usize::try_from(n.max(0)).unwrap();
    let mut sequence: Vec<u8> = ALU.bytes().cycle().take(2 * n).collect();
    let mut cumulative = Vec::new();
    let mut sum = 0.0;
    for (base, p) in HOMO_SAPIENS {
        sum += p;
        cumulative.push((base, sum));
    }
    let mut last = 42;
    for _ in 0..3 * n {
        last = fasta_step(last);
        let r = last as f64 / 139_968.0;
        let base = cumulative
            .iter()
            .find(|&&(_, c)| r < c)
            .map_or(b't', |&(base, _)| base);
        sequence.push(base);
    }
    sequence
}

/// Length, byte sum and the hash h = h * 31 + byte (wrapping).
fn checksum(sequence: &[u8]) -> (i64, i64, i64) {
    let sum = sequence.iter().map(|&b| i64::from(b)).sum();
    let hash = sequence
        .iter()
        .fold(0i64, |h, &b| h.wrapping_mul(31).wrapping_add(i64::from(b)));
    (i64::try_from(sequence.len()).unwrap(), sum, hash)
}

#[test]
fn fasta_sequence_matches_the_rust_generator() {
    assert_eq!(ALU.len(), 287);
    for n in [0, 1, 2, 10, 143, 144, 287, 1000, 5000] {
        let (len, sum, hash) = checksum(&fasta_sequence(n));
        assert_eq!(len, 5 * n);
        assert_eq!(
            run_example(&[], "fasta.ron", &[n]),
            lines(&[len, sum, hash]),
            "n={n}"
        );
    }
    assert_eq!(
        run_example(&[], "fasta.ron", &[1000]),
        "5000\n454767\n-28976579013923149\n"
    );
    assert_eq!(run_example(&[], "fasta.ron", &[-3]), "0\n0\n0\n");
}

#[test]
fn fasta_cumulative_frequencies_are_the_programs_constants() {
    // The program writes the running sums as f64 bits; the fourth sum is
    // exactly 1.0, so every draw (below 1) picks one of the four bases.
    let mut sum = 0.0f64;
    let mut bits = Vec::new();
    for (_, p) in HOMO_SAPIENS {
        sum += p;
        bits.push(sum.to_bits());
    }
    assert_eq!(
        bits,
        [
            0x3FD3639D20BAEB5B,
            0x3FE007BA1FD0CB34,
            0x3FE65A08DA7E7BE4,
            1.0f64.to_bits()
        ]
    );
    let text = std::fs::read_to_string(example("fasta.ron")).unwrap();
    for b in &bits[..3] {
        assert!(text.contains(&format!("bits: 0x{b:016X}")), "{b:#X}");
    }
    // The first draw from seed 42: (42 * 3877 + 29573) mod 139968.
    assert_eq!(fasta_step(42), 52_439);
    assert_eq!(&fasta_sequence(2)[..4], b"GGCC");
}

// word_frequency.ron

/// The text and the word `word_frequency.ron` holds as string constants 0
/// and 1.
const TEXT: &str = "it was the best of times it was the worst of times it was the age of wisdom it was the age of foolishness it was the epoch of belief it was the epoch of incredulity it was the season of light it was the season of darkness it was the spring of hope it was the winter of despair";
const WORD: &str = "the";

/// Distinct words, words, and occurrences of `word`, with words separated
/// by spaces.
fn word_frequency(text: &str, word: &str) -> (usize, usize, usize) {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let mut total = 0;
    for w in text.split(' ').filter(|w| !w.is_empty()) {
        *counts.entry(w).or_default() += 1;
        total += 1;
    }
    (counts.len(), total, counts.get(word).copied().unwrap_or(0))
}

#[test]
fn word_frequency_counts_words_like_a_hash_map() {
    let (distinct, total, count) = word_frequency(TEXT, WORD);
    assert_eq!((distinct, total, count), (20, 60, 10));
    assert_eq!(
        run_example::<&str>(&[], "word_frequency.ron", &[]),
        lines(&[distinct, total, count])
    );
}

#[test]
fn word_frequency_handles_other_texts_and_words() {
    // The same program with its two string constants replaced.
    let original = std::fs::read_to_string(example("word_frequency.ron")).unwrap();
    let (text_constant, word_constant) = (format!("\"{TEXT}\","), format!("\"{WORD}\","));
    assert_eq!(original.matches(&text_constant).count(), 1);
    assert_eq!(original.matches(&word_constant).count(), 1);
    let cases = [
        ("", "the"),
        ("   ", "the"),
        ("word", "word"),
        ("  a  b a  ", "a"),
        ("a b c d e f a b c a b a", "b"),
        ("café naïve café", "café"),
        ("café naïve café", "cafe"),
        (TEXT, "zebra"),
        (TEXT, "it"),
        (TEXT, "was the"),
    ];
    for (i, (text, word)) in cases.into_iter().enumerate() {
        let program = original
            .replace(&text_constant, &format!("{text:?},"))
            .replace(&word_constant, &format!("{word:?},"));
        let path = scratch_program(&format!("word_frequency_{i}.ron"), &program);
        let (distinct, total, count) = word_frequency(text, word);
        assert_eq!(
            run_ok(&[], &path, &[]),
            lines(&[distinct, total, count]),
            "{text:?}, {word:?}"
        );
    }
}

// quicksort.ron

/// The values `quicksort.ron` fills its array with, sorted here by Rust:
/// then whether they are sorted (always) and sum of (i + 1) * a[i].
fn sorted_checksum(n: i64, range: i64) -> i64 {
    let range = range as u64;
    let mut x: u64 = 42;
    let mut values: Vec<u64> = (0..n.max(0))
        .map(|_| {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (x >> 33) % range
        })
        .collect();
    values.sort_unstable();
    values
        .iter()
        .zip(1u64..)
        .fold(0u64, |sum, (&v, i)| sum.wrapping_add(i.wrapping_mul(v))) as i64
}

#[test]
fn quicksort_sorts_like_the_standard_library() {
    assert_eq!(
        run_example(&[], "quicksort.ron", &[1000, 1000]),
        "1\n338928687\n"
    );
    for (n, range) in [
        (0, 10),
        (-4, 10),
        (1, 10),
        (2, 10),
        (3, 2),
        (10, 3),
        (100, 1),
        (1000, 1000),
        (5000, 2),
        (5000, 1_000_000_000),
        (5000, -1),
    ] {
        assert_eq!(
            run_example(&[], "quicksort.ron", &[n, range]),
            format!("1\n{}\n", sorted_checksum(n, range)),
            "n={n} range={range}"
        );
    }
}

#[test]
fn quicksort_keeps_the_call_stack_logarithmic() {
    // The smaller part is sorted by a Call, the larger by a ReturnCall: with
    // n = 20000 no more than main + floor(log2 n) + 1 = 16 frames are alive,
    // whatever the input; with many equal values, fewer.
    let n: i64 = 20_000;
    assert_eq!(n.ilog2(), 14);
    for range in [1_000_000_000, 2, 1] {
        assert_eq!(
            run_example(&["--max-call-depth", "16"], "quicksort.ron", &[n, range]),
            format!("1\n{}\n", sorted_checksum(n, range)),
            "range={range}"
        );
    }
    assert_eq!(
        run_example(&["--max-call-depth", "3"], "quicksort.ron", &[n, 1]),
        "1\n0\n"
    );
}

#[test]
fn quicksort_with_an_empty_range_traps() {
    let err = fails(&["run", &example("quicksort.ron"), "10", "0"], 1);
    assert!(
        err.starts_with("trap: integer divide by zero in `main` at instruction "),
        "{err}"
    );
}

// utf8_copy.ron

#[test]
fn utf8_copy_builds_a_string_from_valid_bytes() {
    let text = "h\u{e9}llo";
    assert_eq!(text.as_bytes(), b"h\xC3\xA9llo");
    for ok in [1, 7, -1] {
        assert_eq!(
            run_example(&[], "utf8_copy.ron", &[ok]),
            lines(&[text.len()]),
            "ok={ok}"
        );
        assert_eq!(
            run_example(&["--invoke", "chars"], "utf8_copy.ron", &[ok]),
            lines(&[text.chars().count()]),
            "ok={ok}"
        );
    }
}

#[test]
fn utf8_copy_traps_on_invalid_bytes() {
    // The program's bytes with é's continuation byte A9 replaced by "(":
    // C3 must be followed by a continuation byte, and "(" is not one.
    let mut invalid = "h\u{e9}llo".as_bytes().to_vec();
    invalid[2] = b'(';
    let offset = std::str::from_utf8(&invalid).unwrap_err().valid_up_to();
    assert_eq!(offset, 1);
    let program = example("utf8_copy.ron");
    for options in [&[][..], &["--invoke", "chars"][..]] {
        let mut full = vec!["run"];
        full.extend_from_slice(options);
        full.extend_from_slice(&[&program, "0"]);
        let err = fails(&full, 1);
        assert_eq!(
            err,
            format!(
                "trap: invalid utf-8 in `build` at instruction 19 \
                 (invalid utf-8 at byte {offset} of the source range)\n"
            ),
            "{options:?}"
        );
    }
}
