//! Optional encryption at rest of the private signing keys (AES-256-GCM with a
//! key-encryption key from a file or the environment).

use std::process::{Command, Stdio};

use crate::harness::{BIN, Redis, Server, temp_dir};

fn random_kek() -> String {
    let mut b = [0u8; 32];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut b).unwrap();
    jwt_core::b64_encode(b)
}

/// Start the server binary on `args` with `env`; it must fail: its stderr.
fn fails_to_start(args: &[String], env: &[(&str, &str)]) -> String {
    let out = Command::new(BIN)
        .args(args)
        .args(["--bind", "127.0.0.1:0", "--exit-on-stdin-eof"])
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        !out.status.success(),
        "started without a usable key-encryption key"
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `args` without the `--key-encryption-key-file PATH` pair.
fn without_kek(args: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--key-encryption-key-file" {
            it.next();
        } else {
            out.push(a.clone());
        }
    }
    out
}

/// `stored` lists every stored key's `pem` field.
fn keys_are_sealed(store: &[&str], stored: &impl Fn() -> Vec<String>) {
    let dir = temp_dir("kek");
    let kek_file = dir.join("kek");
    let kek = random_kek();
    std::fs::write(&kek_file, format!("{kek}\n")).unwrap();
    let kek_path = kek_file.display().to_string();
    let mut args: Vec<&str> = store.to_vec();
    args.extend(["--key-encryption-key-file", kek_path.as_str()]);
    let mut srv = Server::start(&args);
    let t = srv.admin_tokens();
    let access = t["access_token"].as_str().unwrap().to_owned();
    srv.me(&access).expect_ok();
    let pems = stored();
    assert_eq!(pems.len(), 1);
    for p in &pems {
        assert!(p.starts_with("enc:v1:"), "stored in the clear: {p}");
        assert!(!p.contains("PRIVATE KEY"));
    }

    // Restart (kill -9) with the same key: the sealed key signs and verifies again.
    srv.restart();
    srv.me(&access).expect_ok();
    srv.tokens("admin", srv.admin_password.as_deref().unwrap());

    // A rotation with the key from the environment seals the new key too.
    let out = Command::new(BIN)
        .args(without_kek(&srv.args))
        .args(["keys", "rotate"])
        .env("JWT_SERVICE_KEY_ENCRYPTION_KEY", &kek)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pems = stored();
    assert_eq!(pems.len(), 2);
    assert!(pems.iter().all(|p| p.starts_with("enc:v1:")), "{pems:?}");
    srv.restart();
    srv.me(&access).expect_ok();
    srv.kill9();

    // Without the key, with a wrong one, or with two: the server refuses to start.
    let plain = without_kek(&srv.args);
    let err = fails_to_start(&plain, &[]);
    assert!(err.contains("encrypted at rest"), "{err}");
    let wrong = random_kek();
    let err = fails_to_start(
        &plain,
        &[("JWT_SERVICE_KEY_ENCRYPTION_KEY", wrong.as_str())],
    );
    assert!(err.contains("cannot decrypt"), "{err}");
    let err = fails_to_start(
        &srv.args,
        &[("JWT_SERVICE_KEY_ENCRYPTION_KEY", kek.as_str())],
    );
    assert!(err.contains("not both"), "{err}");
    let err = fails_to_start(&plain, &[("JWT_SERVICE_KEY_ENCRYPTION_KEY", "too short")]);
    assert!(err.contains("32 bytes"), "{err}");
}

#[test]
fn signing_keys_are_encrypted_at_rest_on_sqlite() {
    let data = temp_dir("kek-data");
    let db = data.join("jwt-service.db");
    let data_arg = data.display().to_string();
    keys_are_sealed(&["--data-dir", data_arg.as_str()], &move || {
        let c = rusqlite::Connection::open(&db).unwrap();
        let mut st = c.prepare("SELECT pem FROM signing_keys").unwrap();
        st.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    });
}

#[test]
fn signing_keys_are_encrypted_at_rest_on_redis() {
    let Some(redis) = Redis::start() else { return };
    let url = redis.url();
    keys_are_sealed(&["--store", url.as_str()], &|| {
        let reply = redis.command("HVALS jwt-service:keys").unwrap();
        reply
            .lines()
            .filter(|l| l.starts_with('{'))
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                v["pem"].as_str().unwrap().to_owned()
            })
            .collect()
    });
}
