//! Writes the shared conformance corpora that `tests/corpus.rs` and `tests/jwe_corpus.rs`
//! (and every binding) run: `tests/corpus/corpus.json` with `signing-keys.json`, and
//! `tests/corpus/jwe-corpus.json`. See `tests/corpus/README.md` for the format.
//!
//! * `corpus_is_up_to_date` / `jwe_corpus_is_up_to_date` regenerate each corpus in memory
//!   and compare it with the committed file, so a file never drifts from its generator.
//! * `JWT_CORE_REGENERATE_CORPUS=1 cargo test -p jwt-core --test corpus_generator`
//!   rewrites the files instead; then run `--test corpus --test jwe_corpus` to see every
//!   case pass.
//!
//! Randomized signatures (ECDSA, RSA-PSS) and encryptions are produced once and then
//! reused from the committed file, and the JWS private keys live in
//! `tests/corpus/signing-keys.json` (test keys, published on purpose), so regeneration is
//! deterministic. The cases live in `jws/` and `jwe/`, one file per family.

#[path = "../common/mod.rs"]
mod common;
mod jwe;
mod jws;

use common::{corpus_json, corpus_path};
use serde_json::Value;

fn regenerating() -> bool {
    std::env::var_os("JWT_CORE_REGENERATE_CORPUS").is_some()
}

/// Pretty JSON with a final newline, as committed.
fn write_json(name: &str, v: &Value) {
    let text = serde_json::to_string_pretty(v).unwrap() + "\n";
    std::fs::write(corpus_path(name), text).unwrap();
}

/// The JWS corpus (`corpus.json` and the keys that signed it, `signing-keys.json`).
#[test]
fn corpus_is_up_to_date() {
    if regenerating() {
        let (corpus, keys) = jws::generate();
        std::fs::create_dir_all(corpus_path("")).unwrap();
        write_json("signing-keys.json", &keys);
        write_json("corpus.json", &corpus);
        println!("wrote {} cases", corpus["cases"].as_array().unwrap().len());
        return;
    }
    let Some(committed) = corpus_json("corpus.json") else {
        panic!("corpus.json missing");
    };
    if corpus_json("signing-keys.json").is_none() {
        panic!("signing-keys.json missing");
    }
    let (fresh, _) = jws::generate();
    if fresh != committed {
        let (a, b) = (
            fresh["cases"].as_array().unwrap(),
            committed["cases"].as_array().unwrap(),
        );
        for (x, y) in a.iter().zip(b) {
            if x != y {
                println!("first difference in {}:\n{x}\n{y}", x["id"]);
                break;
            }
        }
    }
    assert!(
        fresh == committed,
        "tests/corpus/corpus.json is stale: run \
         JWT_CORE_REGENERATE_CORPUS=1 cargo test -p jwt-core --test corpus_generator"
    );
}

/// The JWE corpus (`jwe-corpus.json`).
#[test]
fn jwe_corpus_is_up_to_date() {
    let on_disk = corpus_json("jwe-corpus.json");
    if regenerating() {
        write_json("jwe-corpus.json", &jwe::generate(on_disk.as_ref()));
        return;
    }
    let on_disk = on_disk.expect("tests/corpus/jwe-corpus.json exists");
    let fresh = jwe::generate(Some(&on_disk));
    assert!(
        fresh == on_disk,
        "tests/corpus/jwe-corpus.json is out of date: run \
         JWT_CORE_REGENERATE_CORPUS=1 cargo test -p jwt-core --test corpus_generator"
    );
}
