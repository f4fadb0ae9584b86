//! The test harness: the real `jwt-service` binary as a subprocess on a free port, a
//! real `redis-server` on a free port with a temporary directory, and a tiny HTTP client.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub const BIN: &str = env!("CARGO_BIN_EXE_jwt-service");
/// A fixed issuer, so tokens survive a restart on another port.
pub const ISSUER: &str = "http://jwt-service.test";

/// A fresh directory under cargo's per-target temporary directory.
pub fn temp_dir(tag: &str) -> PathBuf {
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "jwt-service-{tag}-{}-{}-{nanos}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&d).expect("create temp dir");
    d
}

/// Poll `f` until it returns `Some`, for at most `limit` (a bound on a documented
/// propagation delay, not a performance assertion).
pub fn eventually<T>(limit: Duration, mut f: impl FnMut() -> Option<T>) -> Option<T> {
    let start = Instant::now();
    loop {
        if let Some(v) = f() {
            return Some(v);
        }
        if start.elapsed() > limit {
            return None;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

// ---------------------------------------------------------------------------------------
// HTTP

/// A response, fully read.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn headers_all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }
    /// The `error` code of an error body (asserting the documented error shape).
    pub fn error(&self) -> String {
        let v = self.json();
        assert!(
            v["error_description"].is_string(),
            "no error_description in {}",
            self.body
        );
        v["error"]
            .as_str()
            .unwrap_or_else(|| panic!("no error code in {}", self.body))
            .to_owned()
    }
    /// Assert a status and an error code.
    #[track_caller]
    pub fn expect_error(&self, status: u16, code: &str) {
        assert_eq!(self.status, status, "body: {}", self.body);
        assert_eq!(self.error(), code, "body: {}", self.body);
    }
    #[track_caller]
    pub fn expect_ok(&self) -> Value {
        assert_eq!(self.status, 200, "body: {}", self.body);
        self.json()
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::new_with_config(
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(30)))
            .build(),
    )
}

fn finish(r: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Resp {
    let mut r = r.expect("HTTP request failed at the transport level");
    let status = r.status().as_u16();
    let headers = r
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = r.body_mut().read_to_string().unwrap_or_default();
    Resp {
        status,
        headers,
        body,
    }
}

pub fn get(url: &str, headers: &[(&str, &str)]) -> Resp {
    let mut req = agent().get(url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    finish(req.call())
}

pub fn post(url: &str, content_type: Option<&str>, body: &[u8], headers: &[(&str, &str)]) -> Resp {
    let mut req = agent().post(url);
    if let Some(ct) = content_type {
        req = req.header("Content-Type", ct);
    }
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    finish(req.send(body))
}

pub fn post_json(url: &str, v: &Value, headers: &[(&str, &str)]) -> Resp {
    post(
        url,
        Some("application/json"),
        v.to_string().as_bytes(),
        headers,
    )
}

pub fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

// ---------------------------------------------------------------------------------------
// The service

/// A running `jwt-service`; killed on drop.
pub struct Server {
    child: Option<Child>,
    pub base: String,
    /// Where `/metrics` and `/readyz` are: `base`, or the `--admin-bind` address.
    pub admin_base: String,
    pub data_dir: PathBuf,
    /// The store and settings flags, reused by restarts and admin subcommands.
    pub args: Vec<String>,
    /// The first user's password, when this start created it.
    pub admin_password: Option<String>,
    /// Where the server's stderr (JSON log lines) goes, across restarts.
    pub log_file: PathBuf,
}

impl Server {
    /// SQLite in a fresh data dir, fixed issuer, plus `extra` flags.
    pub fn start(extra: &[&str]) -> Server {
        Self::start_in(temp_dir("data"), extra)
    }

    pub fn start_in(data_dir: PathBuf, extra: &[&str]) -> Server {
        let mut args: Vec<String> = vec![
            "--data-dir".into(),
            data_dir.display().to_string(),
            "--issuer".into(),
            ISSUER.into(),
            "--cookie-secure".into(),
            "true".into(),
            "--login-rate-limit".into(),
            "100000".into(),
            "--log-format".into(),
            "json".into(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        let mut s = Server {
            child: None,
            base: String::new(),
            admin_base: String::new(),
            data_dir,
            args,
            admin_password: None,
            log_file: temp_dir("log").join("stderr.jsonl"),
        };
        s.spawn();
        s
    }

    fn spawn(&mut self) {
        let mut child = Command::new(BIN)
            .args(&self.args)
            .args([
                "--bind",
                "127.0.0.1:0",
                "--workers",
                "2",
                "--exit-on-stdin-eof",
            ])
            .env("RUST_LOG", "warn,audit=info")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&self.log_file)
                    .expect("open the log file"),
            ))
            .spawn()
            .expect("start jwt-service");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let mut password = None;
        let mut admin_base = None;
        let base = loop {
            let line = rx
                .recv_timeout(Duration::from_secs(60))
                .unwrap_or_else(|_| panic!("jwt-service did not start (args {:?})", self.args));
            if let Some(p) = line.split("shown only this once: ").nth(1) {
                password = Some(p.trim().to_owned());
            }
            if let Some(rest) = line.strip_prefix("jwt-service: /metrics and /readyz on ") {
                admin_base = rest.split_whitespace().next().map(str::to_owned);
            }
            if let Some(rest) = line.strip_prefix("jwt-service listening on ") {
                break rest
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_owned();
            }
        };
        self.admin_base = admin_base.unwrap_or_else(|| base.clone());
        self.base = base;
        self.child = Some(child);
        if password.is_some() {
            self.admin_password = password;
        }
        // Ready once the denylist view is current (the first feed poll).
        eventually(Duration::from_secs(30), || {
            (get(&format!("{}/readyz", self.admin_base), &[]).status == 200).then_some(())
        })
        .expect("jwt-service never became ready");
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().map(Child::id).unwrap_or(0)
    }

    /// SIGKILL, no goodbye.
    pub fn kill9(&mut self) {
        if let Some(mut c) = self.child.take() {
            c.kill().expect("kill -9");
            c.wait().expect("reap");
        }
    }

    /// Start again with the same settings and data.
    pub fn restart(&mut self) {
        self.kill9();
        self.spawn();
    }

    /// Wait for the process to exit on its own; its exit status.
    pub fn wait(&mut self) -> std::process::ExitStatus {
        let mut c = self.child.take().expect("running");
        c.wait().expect("wait")
    }

    /// Run an admin subcommand on this server's store; (success, stdout+stderr).
    pub fn admin(&self, sub: &[&str], stdin: &str) -> (bool, String) {
        let mut c = Command::new(BIN)
            .args(&self.args)
            .args(sub)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run admin subcommand");
        c.stdin
            .take()
            .expect("stdin")
            .write_all(stdin.as_bytes())
            .expect("write stdin");
        let out = c.wait_with_output().expect("admin output");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.success(), text)
    }

    /// `user add NAME --roles ROLES` with `password` on stdin.
    pub fn add_user(&self, name: &str, password: &str, roles: &str) {
        let (ok, out) = self.admin(
            &["user", "add", name, "--roles", roles],
            &format!("{password}\n"),
        );
        assert!(ok, "user add failed: {out}");
    }

    pub fn login(&self, user: &str, password: &str) -> Resp {
        post_json(
            &self.url("/token"),
            &json!({"username": user, "password": password}),
            &[],
        )
    }

    /// Log in, asserting success; the token response.
    #[track_caller]
    pub fn tokens(&self, user: &str, password: &str) -> Value {
        self.login(user, password).expect_ok()
    }

    /// Log in as the first user (admin).
    pub fn admin_tokens(&self) -> Value {
        let pw = self
            .admin_password
            .clone()
            .expect("this server created the admin user");
        self.tokens("admin", &pw)
    }

    pub fn me(&self, access: &str) -> Resp {
        get(&self.url("/me"), &[("Authorization", &bearer(access))])
    }

    pub fn refresh(&self, refresh: &str) -> Resp {
        post_json(
            &self.url("/token/refresh"),
            &json!({"refresh_token": refresh}),
            &[],
        )
    }

    /// The current signing key from the SQLite store: (kid, alg, PKCS#8 PEM).
    pub fn signing_key(&self) -> (String, String, String) {
        let db = rusqlite::Connection::open(self.data_dir.join("jwt-service.db")).expect("open db");
        db.query_row(
            "SELECT kid, alg, pem FROM signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("current key")
    }
}

impl Server {
    /// The audit events logged so far (`fields` of each JSON line whose message is
    /// `audit`), in order.
    pub fn audit_events(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.log_file)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .map(|v| v["fields"].clone())
            .filter(|f| f["message"] == "audit")
            .collect()
    }

    /// The audit events named `event`.
    pub fn audit(&self, event: &str) -> Vec<Value> {
        self.audit_events()
            .into_iter()
            .filter(|f| f["event"] == event)
            .collect()
    }

    /// One counter or gauge from `/metrics` (the line `name value`), 0 when absent.
    pub fn metric(&self, name: &str) -> f64 {
        get(&format!("{}/metrics", self.admin_base), &[])
            .body
            .lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.trim().parse().ok())
            .unwrap_or(0.0)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill9();
        if std::thread::panicking() {
            let log = std::fs::read_to_string(&self.log_file).unwrap_or_default();
            eprintln!(
                "--- jwt-service log ({}) ---\n{log}",
                self.log_file.display()
            );
        } else {
            let _ = std::fs::remove_dir_all(&self.data_dir);
            if let Some(d) = self.log_file.parent() {
                let _ = std::fs::remove_dir_all(d);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Redis

/// A `redis-server` on a free port; shut down on drop.
pub struct Redis {
    child: Option<Child>,
    pub port: u16,
    dir: PathBuf,
}

impl Redis {
    /// `None` (with a loud message) when `redis-server` is not installed.
    pub fn start() -> Option<Redis> {
        if Command::new("redis-server")
            .arg("--version")
            .output()
            .is_err()
        {
            eprintln!(
                "\n!!!!! SKIPPING Redis tests: `redis-server` is not installed \
                 (`apt-get install redis-server`; .ci/run installs it) !!!!!\n"
            );
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("free port");
        let dir = temp_dir("redis");
        let child = Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .arg("--dir")
            .arg(&dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start redis-server");
        let r = Redis {
            child: Some(child),
            port,
            dir,
        };
        eventually(Duration::from_secs(20), || {
            r.command("PING").filter(|s| s.contains("PONG"))
        })
        .expect("redis-server did not start");
        Some(r)
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// Send one inline command; the raw reply.
    pub fn command(&self, cmd: &str) -> Option<String> {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).ok()?;
        s.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
        s.write_all(format!("{cmd}\r\n").as_bytes()).ok()?;
        let mut buf = [0u8; 4096];
        let n = s.read(&mut buf).ok()?;
        Some(String::from_utf8_lossy(&buf[..n]).into_owned())
    }

    /// Kill it (to test failing closed).
    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Server {
    /// `GET /me` with a raw Authorization header value.
    pub fn me_raw(&self, authorization: &str) -> Resp {
        get(&self.url("/me"), &[("Authorization", authorization)])
    }
}

/// An HS256 token signed with arbitrary bytes as the secret, as a lenient peer library
/// would sign it (jwt-core itself refuses public-key material as an HMAC secret).
pub fn hs256_with(secret: &[u8], header: &serde_json::Value, payload: &str) -> String {
    let signing_input = format!(
        "{}.{}",
        jwt_core::b64_encode(header.to_string()),
        jwt_core::b64_encode(payload)
    );
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret);
    let tag = ring::hmac::sign(&key, signing_input.as_bytes());
    format!("{signing_input}.{}", jwt_core::b64_encode(tag.as_ref()))
}

/// Send raw bytes on a fresh connection and parse the first response (for requests a
/// well-behaved client cannot make: a body announced but never sent, chunked bodies).
pub fn raw_request(base: &str, bytes: &[u8]) -> Resp {
    let host = base.trim_start_matches("http://");
    let mut s = TcpStream::connect(host).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.write_all(bytes).expect("send");
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let (head_end, status, headers, len) = loop {
        let n = s.read(&mut chunk).expect("read response");
        assert!(n > 0, "connection closed without a response");
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..i]).into_owned();
            let mut lines = head.split("\r\n");
            let status: u16 = lines
                .next()
                .and_then(|l| l.split(' ').nth(1))
                .and_then(|c| c.parse().ok())
                .unwrap();
            let headers: Vec<(String, String)> = lines
                .filter_map(|l| l.split_once(':'))
                .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                .collect();
            let len = headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                .and_then(|(_, v)| v.parse::<usize>().ok())
                .unwrap_or(0);
            break (i + 4, status, headers, len);
        }
    };
    while buf.len() < head_end + len {
        let n = s.read(&mut chunk).expect("read body");
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body =
        String::from_utf8_lossy(&buf[head_end..(head_end + len).min(buf.len())]).into_owned();
    Resp {
        status,
        headers,
        body,
    }
}

/// Run each listed scenario `fn name(store: &[&str])` twice: on SQLite (`store` empty)
/// and on a fresh `redis-server` (`store` = `--store redis://...`).
#[macro_export]
macro_rules! on_both_stores {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[test] fn $name() { super::$name(&[]) } )*
        }
        mod redis {
            $(
                #[test]
                fn $name() {
                    let Some(redis) = $crate::harness::Redis::start() else { return };
                    let url = redis.url();
                    super::$name(&["--store", url.as_str()])
                }
            )*
        }
    };
}

impl Server {
    /// Whether `/introspect` calls `token` active, asked with `caller`'s access token.
    pub fn active(&self, caller: &str, token: &str) -> bool {
        let v = post_json(
            &self.url("/introspect"),
            &json!({ "token": token }),
            &[("Authorization", &bearer(caller))],
        )
        .expect_ok();
        v["active"] == true
    }
}

/// `args` followed by `extra`, as one flag list.
pub fn flags<'a>(args: &[&'a str], extra: &[&'a str]) -> Vec<&'a str> {
    args.iter().chain(extra).copied().collect()
}
