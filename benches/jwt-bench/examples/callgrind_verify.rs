//! Instruction counts per verification, for callgrind: criterion on a shared two-core
//! machine moves by 10% from run to run, an instruction count does not. Runs one door
//! of the core's verify `N` times over the bench fixture token, inside one function
//! (`measured`) that callgrind counts alone:
//!
//! ```text
//! cargo build --release -p jwt-bench --example callgrind_verify
//! valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*measured*' \
//!     --callgrind-out-file=/tmp/cg.out target/release/examples/callgrind_verify hs256-typed 1000
//! callgrind_annotate /tmp/cg.out | head   # total Ir / 1000 = instructions per verify
//! ```
//!
//! Cases: `hs256-typed`, `hs256-value`, `hs256-raw`, `es256-typed`. One verification
//! runs before the measured loop, so the header cache is warm as in a server.

use std::hint::black_box;

use jwt_bench::{AUDIENCE, BenchClaims, Fixture, ISSUER};
use jwt_core::{Algorithm, Validation, Verifier};

#[derive(Clone, Copy)]
enum Door {
    Typed,
    Value,
    Raw,
}

#[inline(never)]
fn measured(verifier: &Verifier, token: &str, door: Door, n: u64) {
    for _ in 0..n {
        match door {
            Door::Typed => {
                black_box(verifier.verify::<BenchClaims>(black_box(token)).unwrap());
            }
            Door::Value => {
                black_box(
                    verifier
                        .verify::<serde_json::Value>(black_box(token))
                        .unwrap(),
                );
            }
            Door::Raw => {
                black_box(verifier.verify_raw(black_box(token)).unwrap());
            }
        }
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let case = args.next().unwrap_or_else(|| "hs256-typed".into());
    let n: u64 = args
        .next()
        .map(|s| s.parse().expect("N must be a number"))
        .unwrap_or(1000);
    let (alg, door) = match case.as_str() {
        "hs256-typed" => (Algorithm::HS256, Door::Typed),
        "hs256-value" => (Algorithm::HS256, Door::Value),
        "hs256-raw" => (Algorithm::HS256, Door::Raw),
        "es256-typed" => (Algorithm::ES256, Door::Typed),
        other => {
            eprintln!("unknown case {other}: hs256-typed hs256-value hs256-raw es256-typed");
            std::process::exit(2);
        }
    };
    let fx = Fixture::new(alg);
    let verifier = Verifier::new(
        fx.key.verifying_key(),
        Validation::new().issuer(ISSUER).audience(AUDIENCE),
    )
    .expect("verifier");
    assert_eq!(
        verifier.verify::<BenchClaims>(&fx.token).unwrap().claims,
        BenchClaims::sample()
    );
    measured(&verifier, &fx.token, door, n);
    println!("{case}: {n} verifications");
}
