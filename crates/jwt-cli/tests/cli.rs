//! The `jwt` binary, run as a user would: real processes, real files, a real HTTP server
//! on 127.0.0.1 for `--jwks-url`. Outputs are parsed back with jwt-core.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

use jwt_core::{Algorithm, Jwk, JwkSet, KeySet, Validation, Verifier, VerifyingKey};
use serde_json::{Value, json};

/// The outcome of one run.
#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn ok(self) -> Self {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        self
    }
    fn fails(self, code: i32, error_code: &str) -> Self {
        assert_eq!(
            self.code, code,
            "expected exit {code}\nstdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        // clap's own usage errors (exit 2) carry no code: pass "" for those.
        assert!(
            error_code.is_empty() || self.stderr.contains(&format!("[{error_code}]")),
            "expected error code {error_code} on stderr, got: {}",
            self.stderr
        );
        self
    }
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", self.stdout))
    }
}

fn finish(out: Output) -> Run {
    Run {
        code: out.status.code().expect("jwt was killed by a signal"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

fn jwt(args: &[&str]) -> Run {
    finish(
        Command::new(env!("CARGO_BIN_EXE_jwt"))
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("run jwt"),
    )
}

fn jwt_stdin(args: &[&str], input: &str) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_jwt"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run jwt");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write stdin");
    finish(child.wait_with_output().expect("wait for jwt"))
}

/// A fresh directory for one test's files.
fn dir(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("jwt-cli")
        .join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("create test dir");
    d
}

fn p(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64
}

/// `keygen --out priv` and the public part printed on stdout saved next to it.
fn keygen(d: &Path, alg: Algorithm, format: &str) -> (PathBuf, PathBuf) {
    let private = d.join(format!("{alg}.{format}"));
    let public = d.join(format!("{alg}.pub.{format}"));
    let run = jwt(&[
        "keygen",
        "--alg",
        alg.as_str(),
        "--format",
        format,
        "--out",
        p(&private),
    ])
    .ok();
    if !alg.is_symmetric() {
        std::fs::write(&public, &run.stdout).expect("write public key");
    }
    (private, public)
}

/// Algorithm arguments for keys that do not imply one: RSA, and the RFC 9864 name
/// `Ed25519` (a PEM Ed25519 key implies the default name `EdDSA`).
fn alg_args(alg: Algorithm) -> Vec<&'static str> {
    if alg.family() == jwt_core::KeyFamily::Rsa || alg == Algorithm::Ed25519 {
        vec!["--alg", alg.as_str()]
    } else {
        vec![]
    }
}

#[test]
fn keygen_encode_verify_round_trip_for_every_algorithm() {
    let d = dir("round-trip");
    // ML-DSA only where the CLI's jwt-core has the aws-lc backend.
    for alg in Algorithm::ALL.into_iter().filter(|a| a.is_available()) {
        let format = if alg.is_symmetric() { "jwk" } else { "pem" };
        let (private, public) = keygen(&d, alg, format);
        let mut encode = vec![
            "encode",
            "--key",
            p(&private),
            "--sub",
            "alice",
            "--aud",
            "api",
            "--iss",
            "me",
        ];
        encode.extend([
            "--exp",
            "15m",
            "--claim",
            "role=admin",
            "--claim",
            "level=3",
            "--typ",
            "at+jwt",
        ]);
        encode.extend(alg_args(alg));
        let token = jwt(&encode).ok().stdout.trim().to_owned();
        assert_eq!(token.split('.').count(), 3, "{alg}: {token}");

        // Verify with the CLI, from the public part (HMAC: the secret JWK itself).
        let verify_key = if alg.is_symmetric() {
            &private
        } else {
            &public
        };
        let mut verify = vec![
            "verify",
            &token,
            "--key",
            p(verify_key),
            "--aud",
            "api",
            "--iss",
            "me",
            "--sub",
            "alice",
        ];
        verify.extend([
            "--typ",
            "at+jwt",
            "--require",
            "role",
            "--claim",
            "level=3",
            "--max-age",
            "1h",
            "--json",
        ]);
        verify.extend(alg_args(alg));
        let out = jwt(&verify).ok().json();
        assert_eq!(out["valid"], true, "{alg}");
        assert_eq!(out["claims"]["role"], "admin", "{alg}");
        assert_eq!(out["claims"]["level"], 3, "{alg}");
        assert_eq!(out["header"]["alg"], alg.as_str());

        // The key files are what jwt-core reads: verify the token with the library too.
        let key = if alg.is_symmetric() {
            let jwk = Jwk::from_json(std::fs::read(&private).expect("read jwk"))
                .expect("private JWK parses");
            assert!(
                jwk.is_private(),
                "{alg}: keygen --format jwk writes the secret"
            );
            VerifyingKey::from_jwk(&jwk, None).expect("oct JWK")
        } else {
            let pem = std::fs::read_to_string(&public).expect("read public");
            assert!(
                pem.starts_with("-----BEGIN PUBLIC KEY-----"),
                "{alg}: {pem}"
            );
            assert!(
                !pem.contains("PRIVATE"),
                "{alg}: only the public part is printed with --out"
            );
            VerifyingKey::from_pem(alg, &pem).expect("public PEM parses")
        };
        let v =
            Verifier::new(key, Validation::new().audience("api").issuer("me")).expect("verifier");
        v.verify::<Value>(&token)
            .unwrap_or_else(|e| panic!("{alg}: jwt-core rejects the CLI's token: {e}"));
    }
}

#[test]
fn keygen_jwk_format_and_json_output() {
    let d = dir("keygen-jwk");
    let out = jwt(&[
        "keygen", "--alg", "ES256", "--format", "jwk", "--kid", "k1", "--json",
    ])
    .ok()
    .json();
    assert_eq!(out["alg"], "ES256");
    assert_eq!(out["kid"], "k1");
    assert!(out["private_jwk"]["d"].is_string());
    assert!(
        out["public_jwk"].get("d").is_none(),
        "public JWK has no private member"
    );
    assert!(out["public_pem"].as_str().unwrap().contains("PUBLIC KEY"));
    let private = d.join("k.jwk");
    std::fs::write(&private, out["private_jwk"].to_string()).unwrap();
    let public = d.join("k.pub.jwk");
    std::fs::write(&public, out["public_jwk"].to_string()).unwrap();
    let thumb = Jwk::from_json(out["public_jwk"].to_string())
        .unwrap()
        .thumbprint()
        .unwrap();
    assert_eq!(out["thumbprint"], thumb.as_str());

    // The JWK's kid goes into the header, and selects the key on the other side.
    let enc = jwt(&["encode", "--key", p(&private), "--json"]).ok().json();
    assert_eq!(enc["header"]["kid"], "k1");
    assert!(
        enc["claims"]["exp"].as_i64().unwrap() > now(),
        "exp defaults to 15 min"
    );
    assert!(enc["claims"]["iat"].is_i64());
    let token = enc["token"].as_str().unwrap();
    jwt(&["verify", token, "--key", p(&public)]).ok();

    // Default kid for asymmetric keys is the thumbprint.
    let out = jwt(&["keygen", "--alg", "EdDSA", "--json"]).ok().json();
    assert_eq!(out["kid"], out["thumbprint"]);
    assert!(
        out["private_pem"]
            .as_str()
            .unwrap()
            .starts_with("-----BEGIN PRIVATE KEY-----")
    );
    // Without --out, the text output holds the private then the public PEM.
    let text = jwt(&["keygen", "--alg", "ES384"]).ok().stdout;
    assert!(text.find("PRIVATE KEY").unwrap() < text.find("PUBLIC KEY").unwrap());
}

#[test]
fn keygen_protects_the_private_key_file() {
    let d = dir("keygen-file");
    let path = d.join("k.pem");
    jwt(&["keygen", "--alg", "ES256", "--out", p(&path)]).ok();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "private key file is owner-only");
    }
    let before = std::fs::read(&path).unwrap();
    jwt(&["keygen", "--alg", "ES256", "--out", p(&path)]).fails(1, "io_error");
    assert_eq!(std::fs::read(&path).unwrap(), before, "not overwritten");
    jwt(&["keygen", "--alg", "ES256", "--out", p(&path), "--force"]).ok();
    assert_ne!(std::fs::read(&path).unwrap(), before);
    // HMAC has no PEM form.
    jwt(&["keygen", "--alg", "HS256", "--format", "pem"]).fails(2, "usage");
}

#[test]
fn encode_takes_claims_from_json_argument_and_stdin() {
    let d = dir("encode-claims");
    let secret = d.join("secret");
    std::fs::write(&secret, [7u8; 32]).unwrap();
    let s = p(&secret);
    let out = jwt(&[
        "encode",
        "--secret-file",
        s,
        r#"{"sub":"from-json","n":1,"exp":4000000000}"#,
        "--sub",
        "flag",
        "--json",
    ])
    .ok()
    .json();
    assert_eq!(out["claims"]["sub"], "flag", "flags override the JSON");
    assert_eq!(out["claims"]["n"], 1);
    assert_eq!(
        out["claims"]["exp"], 4_000_000_000i64,
        "an exp in the JSON is kept"
    );
    assert_eq!(out["header"]["alg"], "HS256");
    assert_eq!(out["header"]["typ"], "JWT");

    let out = jwt_stdin(
        &[
            "encode",
            "--secret-file",
            s,
            "-",
            "--no-iat",
            "--json",
            "--claim",
            r#"roles=["a","b"]"#,
        ],
        r#"{"x":true}"#,
    )
    .ok()
    .json();
    assert_eq!(out["claims"]["x"], true);
    assert_eq!(out["claims"]["roles"], json!(["a", "b"]));
    assert!(out["claims"].get("iat").is_none());

    let token = jwt(&[
        "encode",
        "--secret-file",
        s,
        "--no-exp",
        "--aud",
        "a",
        "--aud",
        "b",
    ])
    .ok()
    .stdout;
    let token = token.trim();
    // No exp: refused by default, accepted when asked.
    jwt(&["verify", token, "--secret-file", s, "--aud", "b"]).fails(1, "missing_claim");
    jwt(&[
        "verify",
        token,
        "--secret-file",
        s,
        "--aud",
        "b",
        "--allow-missing-exp",
    ])
    .ok();
    jwt(&[
        "verify",
        token,
        "--secret-file",
        s,
        "--aud",
        "c",
        "--allow-missing-exp",
    ])
    .fails(1, "invalid_audience");

    // Bad claims input.
    jwt(&["encode", "--secret-file", s, "[1,2]"]).fails(1, "invalid_argument");
    jwt(&["encode", "--secret-file", s, "{not json"]).fails(1, "invalid_argument");
    jwt(&["encode", "--secret-file", s, "--exp", "soon"]).fails(2, "");
    jwt(&["encode"]).fails(2, "usage");
    // Short secrets are refused for signing.
    std::fs::write(&secret, b"short").unwrap();
    jwt(&["encode", "--secret-file", s]).fails(1, "weak_key");
}

fn b64(s: &str) -> String {
    jwt_core::b64_encode(s.as_bytes())
}

#[test]
fn decode_shows_everything_and_warns_loudly() {
    let d = dir("decode");
    let (private, _) = keygen(&d, Algorithm::ES256, "pem");
    let exp = now() - 3 * 3600 - 100;
    let claims = format!(r#"{{"sub":"bob","exp":{exp}}}"#);
    let token = jwt(&["encode", "--key", p(&private), &claims]).ok().stdout;
    let run = jwt(&["decode", token.trim()]).ok();
    assert!(
        run.stderr.contains("WARNING: NOT VERIFIED"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("\"sub\": \"bob\""), "{}", run.stdout);
    assert!(run.stdout.contains("expired 3 h ago"), "{}", run.stdout);
    assert!(run.stdout.contains("\"alg\": \"ES256\""), "{}", run.stdout);

    let fresh = jwt(&["encode", "--key", p(&private), "--exp", "2h30m"])
        .ok()
        .stdout;
    let run = jwt_stdin(&["decode", "--json"], &format!("Bearer {fresh}")).ok();
    assert!(run.stderr.contains("NOT VERIFIED"));
    let out = run.json();
    assert_eq!(out["verified"], false);
    assert_eq!(out["times"]["exp"]["relative"], "expires in 2 h");
    assert!(
        out["times"]["iat"]["relative"]
            .as_str()
            .unwrap()
            .starts_with("issued ")
    );

    jwt(&["decode", "not-a-token"]).fails(1, "malformed_token");
    let none = format!("{}.{}.", b64(r#"{"alg":"none"}"#), b64(r#"{"sub":"x"}"#));
    jwt(&["decode", &none]).fails(1, "unsupported_algorithm");
    let out = jwt(&["decode", "a.b", "--json"]);
    assert_eq!(out.code, 1);
    assert_eq!(out.json()["error"]["code"], "malformed_token");
}

#[test]
fn verify_failures_exit_1_with_the_core_code() {
    let d = dir("verify-failures");
    let (private, public) = keygen(&d, Algorithm::ES256, "pem");
    let (_, other_public) = {
        let d2 = d.join("other");
        std::fs::create_dir_all(&d2).unwrap();
        keygen(&d2, Algorithm::ES256, "pem")
    };
    let key = p(&public);

    // Expired.
    let expired = jwt(&[
        "encode",
        "--key",
        p(&private),
        r#"{"exp":1000000000}"#,
        "--no-iat",
    ])
    .ok()
    .stdout;
    let run = jwt(&["verify", expired.trim(), "--key", key]).fails(1, "token_expired");
    assert!(run.stderr.contains("NOT valid"), "{}", run.stderr);
    let out = jwt(&["verify", expired.trim(), "--key", key, "--json"]);
    assert_eq!(out.code, 1);
    let out = out.json();
    assert_eq!(out["ok"], false);
    assert_eq!(out["valid"], false);
    assert_eq!(out["error"]["code"], "token_expired");
    // ...but not beyond the leeway asked for? 1000000000 is long ago: still expired.
    jwt(&["verify", expired.trim(), "--key", key, "--leeway", "1m"]).fails(1, "token_expired");

    // Wrong key.
    let token = jwt(&["encode", "--key", p(&private)]).ok().stdout;
    let token = token.trim();
    jwt(&["verify", token, "--key", key]).ok();
    jwt(&["verify", token, "--key", p(&other_public)]).fails(1, "invalid_signature");

    // Tampered payload.
    let parts: Vec<&str> = token.split('.').collect();
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        b64(r#"{"sub":"admin","exp":9999999999}"#),
        parts[2]
    );
    jwt(&["verify", &forged, "--key", key]).fails(1, "invalid_signature");

    // alg: none, in several spellings, with and without a signature segment.
    for alg in ["none", "None", "NONE", "nOnE"] {
        for sig in ["", "c2ln"] {
            let t = format!(
                "{}.{}.{sig}",
                b64(&format!(r#"{{"alg":"{alg}"}}"#)),
                b64(r#"{"exp":9999999999}"#)
            );
            jwt(&["verify", &t, "--key", key]).fails(1, "unsupported_algorithm");
        }
    }
    // `--alg none` is not even an option.
    jwt(&["verify", token, "--key", key, "--alg", "none"]).fails(2, "");

    // Algorithm confusion: an HS256 token against an EC public key.
    let secret = d.join("secret");
    std::fs::write(&secret, [1u8; 32]).unwrap();
    let hs = jwt(&["encode", "--secret-file", p(&secret)]).ok().stdout;
    jwt(&["verify", hs.trim(), "--key", key]).fails(1, "algorithm_not_allowed");
    // ...and a public key file offered as an HMAC secret.
    jwt(&["encode", "--secret-file", key]).fails(1, "key_algorithm_mismatch");
    jwt(&["verify", hs.trim(), "--secret-file", key]).fails(1, "key_algorithm_mismatch");

    // Claims checks.
    let t = jwt(&["encode", "--key", p(&private), "--iss", "a", "--sub", "s"])
        .ok()
        .stdout;
    let t = t.trim();
    jwt(&["verify", t, "--key", key, "--iss", "b"]).fails(1, "invalid_issuer");
    jwt(&["verify", t, "--key", key, "--sub", "x"]).fails(1, "invalid_subject");
    jwt(&["verify", t, "--key", key, "--require", "jti"]).fails(1, "missing_claim");
    jwt(&["verify", t, "--key", key, "--typ", "at+jwt"]).fails(1, "invalid_type");
    jwt(&["verify", t, "--key", key, "--alg", "ES384"]).fails(1, "key_algorithm_mismatch");

    // Bad key files.
    let garbage = d.join("garbage.pem");
    std::fs::write(
        &garbage,
        "-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----\n",
    )
    .unwrap();
    jwt(&["verify", token, "--key", p(&garbage)]).fails(1, "invalid_key");
    let junk = d.join("junk.txt");
    std::fs::write(&junk, "hello").unwrap();
    jwt(&["verify", token, "--key", p(&junk)]).fails(1, "invalid_key");
    let bad_json = d.join("bad.json");
    std::fs::write(
        &bad_json,
        r#"{"kty":"EC","crv":"P-256","x":"AAAA","y":"AAAA"}"#,
    )
    .unwrap();
    jwt(&["verify", token, "--key", p(&bad_json)]).fails(1, "invalid_key");
    jwt(&["verify", token, "--key", p(&d.join("missing.pem"))]).fails(1, "io_error");
    jwt(&["verify", "a.b.c", "--key", key]).fails(1, "malformed_token");

    // Usage errors: exit 2.
    jwt(&["verify", token]).fails(2, "usage");
    jwt(&[
        "verify",
        token,
        "--jwks-url",
        "http://keys.example/jwks.json",
    ])
    .fails(2, "usage");
    jwt(&["verify"]).fails(2, "usage");
}

#[test]
fn rsa_keys_need_an_explicit_algorithm() {
    let d = dir("rsa-alg");
    let (private, public) = keygen(&d, Algorithm::PS256, "pem");
    let run = jwt(&["encode", "--key", p(&private)]).fails(2, "usage");
    assert!(run.stderr.contains("--alg"), "{}", run.stderr);
    let token = jwt(&["encode", "--key", p(&private), "--alg", "PS384"])
        .ok()
        .stdout;
    jwt(&["verify", token.trim(), "--key", p(&public)]).fails(2, "usage");
    jwt(&[
        "verify",
        token.trim(),
        "--key",
        p(&public),
        "--alg",
        "PS256",
    ])
    .fails(1, "algorithm_not_allowed");
    jwt(&[
        "verify",
        token.trim(),
        "--key",
        p(&public),
        "--alg",
        "PS256",
        "--alg",
        "PS384",
    ])
    .ok();
}

#[test]
fn jwks_and_thumbprint_outputs_parse_back() {
    let d = dir("jwks");
    let (es, es_pub) = keygen(&d, Algorithm::ES256, "pem");
    let (ed, _) = keygen(&d, Algorithm::EdDSA, "pem");
    let (rs, _) = keygen(&d, Algorithm::RS256, "pem");
    let (k1, _) = keygen(&d, Algorithm::ES256K, "jwk");

    // Private PEM files give their public halves; RSA needs --alg.
    jwt(&["jwks", p(&es), p(&rs)]).fails(2, "usage");
    let run = jwt(&[
        "jwks",
        p(&es),
        p(&ed),
        p(&rs),
        p(&es_pub),
        p(&k1),
        "--alg",
        "RS256",
    ])
    .ok();
    let set = JwkSet::from_json(&run.stdout).expect("jwt-core parses the JWK set");
    assert_eq!(
        set.keys.len(),
        4,
        "the duplicate public key is listed once: {}",
        run.stdout
    );
    for jwk in &set.keys {
        assert!(!jwk.is_private(), "no private member in {}", jwk.to_json());
        assert_eq!(jwk.str("use"), Some("sig"));
        assert!(jwk.alg().is_some());
    }
    let keys = KeySet::from_jwks_json(&run.stdout, &[]).expect("usable key set");
    assert_eq!(keys.len(), 4);

    // kids are RFC 7638 thumbprints, as `jwt thumbprint` prints them (the JWK keeps its kid).
    for (file, alg) in [(&es, "ES256"), (&ed, "EdDSA"), (&rs, "RS256")] {
        let t = jwt(&["thumbprint", p(file)]).ok().stdout.trim().to_owned();
        let jwk = set
            .keys
            .iter()
            .find(|k| k.alg() == Some(alg))
            .expect("key in set");
        assert_eq!(jwk.kid(), Some(t.as_str()), "{alg}");
        assert_eq!(jwk.thumbprint().unwrap(), t, "{alg}");
    }
    let out = jwt(&["thumbprint", p(&es_pub), "--json"]).ok().json();
    assert_eq!(out["kty"], "EC");
    assert_eq!(
        out["thumbprint"],
        jwt(&["thumbprint", p(&es)]).ok().stdout.trim()
    );
    let k1_thumb = jwt(&["thumbprint", p(&k1)]).ok().stdout;
    let k1_jwk = set.keys.iter().find(|k| k.alg() == Some("ES256K")).unwrap();
    assert_eq!(k1_jwk.thumbprint().unwrap(), k1_thumb.trim());

    // The set verifies tokens from each key, selected by algorithm or kid.
    let jwks_file = d.join("jwks.json");
    std::fs::write(&jwks_file, &run.stdout).unwrap();
    for (file, extra) in [
        (&es, vec![]),
        (&ed, vec![]),
        (&rs, vec!["--alg", "RS256"]),
        (&k1, vec![]),
    ] {
        let mut args = vec!["encode", "--key", p(file)];
        args.extend(extra);
        let token = jwt(&args).ok().stdout;
        jwt(&["verify", token.trim(), "--key", p(&jwks_file)]).ok();
    }

    // Bad inputs.
    jwt(&["thumbprint", p(&jwks_file)]).fails(1, "invalid_argument");
    let secret = d.join("HS256.jwk");
    jwt(&["keygen", "--alg", "HS256", "--out", p(&secret)]).ok();
    jwt(&["jwks", p(&secret)]).fails(1, "invalid_argument");
    jwt(&["jwks"]).fails(2, "");
}

/// Serve `body` for `/jwks.json`, 404 for anything else, and for `/slow` accept without
/// answering; `count` connections, then stop.
fn serve(body: String, count: usize) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().take(count) {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut request_line = String::new();
            let _ = reader.read_line(&mut request_line);
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
            }
            let path = request_line
                .split_whitespace()
                .nth(1)
                .unwrap_or("/")
                .to_owned();
            let (status, text) = match path.as_str() {
                "/jwks.json" => ("200 OK", body.as_str()),
                "/slow" => {
                    held.push(stream);
                    continue;
                }
                _ => ("404 Not Found", "{}"),
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{text}",
                text.len()
            );
        }
    });
    port
}

#[test]
fn verify_fetches_keys_from_a_jwks_url() {
    let d = dir("jwks-url");
    let (private, _) = keygen(&d, Algorithm::ES256, "pem");
    let jwks = jwt(&["jwks", p(&private)]).ok().stdout;
    let token = jwt(&["encode", "--key", p(&private), "--sub", "remote"])
        .ok()
        .stdout;
    let token = token.trim();
    let port = serve(jwks, 3);
    let base = format!("http://127.0.0.1:{port}");

    let out = jwt(&[
        "verify",
        token,
        "--jwks-url",
        &format!("{base}/jwks.json"),
        "--json",
    ])
    .ok()
    .json();
    assert_eq!(out["claims"]["sub"], "remote");
    jwt(&["verify", token, "--jwks-url", &format!("{base}/missing")]).fails(1, "jwks_fetch_failed");
    let run = jwt(&[
        "verify",
        token,
        "--jwks-url",
        &format!("{base}/slow"),
        "--jwks-timeout",
        "1",
    ]);
    run.fails(1, "jwks_fetch_failed");

    // Nothing listening.
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    jwt(&[
        "verify",
        token,
        "--jwks-url",
        &format!("http://127.0.0.1:{closed}/jwks.json"),
    ])
    .fails(1, "jwks_fetch_failed");
}

#[test]
fn completions_and_help() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = jwt(&["completions", shell]).ok();
        assert!(run.stdout.contains("keygen"), "{shell}");
    }
    jwt(&["completions", "tcsh"]).fails(2, "");
    let help = jwt(&["--help"]).ok().stdout;
    for cmd in [
        "keygen",
        "encode",
        "decode",
        "verify",
        "jwks",
        "thumbprint",
        "completions",
    ] {
        assert!(help.contains(cmd), "{cmd} in --help");
    }
    jwt(&["frobnicate"]).fails(2, "");
}

#[test]
fn verify_time_and_audience_options() {
    let d = dir("verify-options");
    let (private, public) = keygen(&d, Algorithm::ES256, "pem");
    let key = p(&public);
    let later = jwt(&["encode", "--key", p(&private), "--nbf", "1h"])
        .ok()
        .stdout;
    jwt(&["verify", later.trim(), "--key", key]).fails(1, "token_not_yet_valid");
    jwt(&["verify", later.trim(), "--key", key, "--leeway", "2h"]).ok();

    let old = format!(r#"{{"iat":{},"exp":{}}}"#, now() - 7200, now() + 600);
    let old = jwt(&["encode", "--key", p(&private), &old]).ok().stdout;
    jwt(&["verify", old.trim(), "--key", key, "--max-age", "1h"]).fails(1, "token_too_old");
    jwt(&["verify", old.trim(), "--key", key, "--max-age", "3h"]).ok();

    let aud = jwt(&["encode", "--key", p(&private), "--aud", "api"])
        .ok()
        .stdout;
    jwt(&["verify", aud.trim(), "--key", key]).fails(1, "invalid_audience");
    jwt(&["verify", aud.trim(), "--key", key, "--any-audience"]).ok();

    // A public JWK without `alg`: RSA needs --alg, EC is implied by its curve.
    let out = jwt(&["keygen", "--alg", "RS384", "--json"]).ok().json();
    let mut jwk = out["public_jwk"].clone();
    jwk.as_object_mut().unwrap().remove("alg");
    let jwk_file = d.join("rsa-no-alg.jwk");
    std::fs::write(&jwk_file, jwk.to_string()).unwrap();
    let rsa_private = d.join("rsa.pem");
    std::fs::write(&rsa_private, out["private_pem"].as_str().unwrap()).unwrap();
    let token = jwt(&["encode", "--key", p(&rsa_private), "--alg", "RS384"])
        .ok()
        .stdout;
    jwt(&["verify", token.trim(), "--key", p(&jwk_file)]).fails(1, "invalid_argument");
    jwt(&[
        "verify",
        token.trim(),
        "--key",
        p(&jwk_file),
        "--alg",
        "RS384",
    ])
    .ok();
    jwt(&[
        "verify",
        token.trim(),
        "--key",
        p(&jwk_file),
        "--alg",
        "ES256",
    ])
    .fails(1, "key_algorithm_mismatch");
}

/// The core's key-form test data (certificates, OpenSSH lines), read in place.
fn keyform(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../jwt-core/tests/keyforms")
        .join(name)
}

#[test]
fn key_files_in_every_form_jwt_core_reads() {
    for (private, alg, publics) in [
        (
            "rsa.key",
            "RS256",
            &["cert-rsa.pem", "cert-rsa.der", "rsa.openssh.pub"][..],
        ),
        ("p256.key", "ES256", &["cert-p256.der", "p256.openssh.pub"]),
        (
            "ed25519.key",
            "EdDSA",
            &["cert-ed25519.pem", "ed25519.openssh.pub"],
        ),
    ] {
        let token = jwt(&["encode", "--key", p(&keyform(private)), "--alg", alg])
            .ok()
            .stdout;
        for public in publics {
            jwt(&[
                "verify",
                token.trim(),
                "--key",
                p(&keyform(public)),
                "--alg",
                alg,
            ])
            .ok();
        }
        // EC and Ed25519 keys imply their algorithm; RSA needs --alg.
        if alg != "RS256" {
            jwt(&["verify", token.trim(), "--key", p(&keyform(publics[1]))]).ok();
        } else {
            jwt(&["verify", token.trim(), "--key", p(&keyform(publics[1]))]).fails(2, "usage");
        }
        let t = jwt(&["thumbprint", p(&keyform(publics[0]))]).ok().stdout;
        assert_eq!(t, jwt(&["thumbprint", p(&keyform(private))]).ok().stdout);
    }
    // A certificate is never a signing key.
    jwt(&[
        "encode",
        "--key",
        p(&keyform("cert-rsa.pem")),
        "--alg",
        "RS256",
    ])
    .fails(1, "invalid_key");
}
