//! The Rust-side cost of one `Verifier.verify` call of the bindings, without the FFI:
//! the same exported functions the JVM calls, called from Rust. `cargo xtask bench
//! --only kotlin` runs it (release) and subtracts it from the JVM figures to show where
//! the per-call overhead goes. Prints `native HS256=<ns> ES256=<ns>`.

use std::time::Instant;

use jwt_core_uniffi::Algorithm;
use jwt_core_uniffi::keys::SigningKey;
use jwt_core_uniffi::sign::Signer;
use jwt_core_uniffi::verify::{Verifier, VerifierOptions};

fn ns_per_op(mut f: impl FnMut()) -> f64 {
    let warm = Instant::now();
    while warm.elapsed().as_millis() < 500 {
        f();
    }
    let mut best = f64::MAX;
    for _ in 0..5 {
        let n = 20_000;
        let t = Instant::now();
        for _ in 0..n {
            f();
        }
        best = best.min(t.elapsed().as_nanos() as f64 / n as f64);
    }
    best
}

fn main() -> Result<(), jwt_core_uniffi::JwtError> {
    let now = jwt_core::now();
    let claims = format!(
        r#"{{"iss":"https://auth.example","sub":"user-42","aud":"api","exp":{},"iat":{now},"role":"admin"}}"#,
        now + 3600
    );
    let options = VerifierOptions {
        issuers: Some(vec!["https://auth.example".into()]),
        audiences: Some(vec!["api".into()]),
        ..VerifierOptions::default()
    };
    let mut out = Vec::new();
    for alg in [Algorithm::HS256, Algorithm::ES256] {
        let key = match alg {
            Algorithm::HS256 => SigningKey::hmac(alg, vec![7; 32])?,
            _ => SigningKey::generate(alg)?,
        };
        let token = Signer::new(key.clone())?.sign(claims.clone())?;
        let verifier = Verifier::with_key(key.verifying_key(), options.clone())?;
        let ns = ns_per_op(|| {
            let v = verifier.verify(token.clone()).expect("valid token");
            std::hint::black_box(v);
        });
        out.push(format!("{}={ns:.0}", jwt_core_uniffi::algorithm_name(alg)));
    }
    println!("native {}", out.join(" "));
    Ok(())
}
