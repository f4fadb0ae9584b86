//! The service area: `services/jwt-service`.
//!
//! - `test`: the end-to-end suite (real HTTP against the real binary, real SQLite, a
//!   real `redis-server` started by the tests; Redis tests skip loudly without it), then
//!   the demo page (`GET /`) in headless Chromium (Debian's package, driven by
//!   `playwright-core` from `services/jwt-service/tests/browser`; required, never skipped),
//!   which leaves a screenshot in `target/test-artifacts/demo-page.png`.
//! - `bench`: a load run with `wrk` from a second process: `GET /me` (valid token, with
//!   and without the verified-token cache) next to `GET /healthz`, on SQLite and Redis;
//!   the table goes to `docs/performance.md` between the service markers.
//! - `dist`: the release binary into `target/dist/`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::util::{Ctx, Result, output, run, step};

pub fn test(ctx: &Ctx) -> Result {
    if Command::new("redis-server")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!(
            "\n!!!!! redis-server is not installed: the Redis tests of jwt-service will be SKIPPED \
             (apt-get install redis-server) !!!!!\n"
        );
    }
    step("service: cargo test -p jwt-service (real HTTP, SQLite, Redis)");
    ctx.cargo(&["test", "-p", "jwt-service"])?;
    browser_test(ctx)
}

/// Where the browser tests expect Debian's Chromium (Playwright's own download does not
/// work on the project's machines).
const CHROMIUM: &str = "/usr/bin/chromium";

/// The demo page in headless Chromium: `npm install` (playwright-core only, pinned in
/// package.json) in `tests/browser`, then `node --test` against the debug binary.
fn browser_test(ctx: &Ctx) -> Result {
    if !Path::new(CHROMIUM).exists() {
        return Err(format!(
            "{CHROMIUM} not found: the demo page's browser tests need Debian's Chromium \
             (apt-get install chromium; .ci/run installs it)"
        ));
    }
    for tool in ["node", "npm"] {
        if !crate::util::have(tool) {
            return Err(format!(
                "`{tool}` is not installed: Node.js 20+ with npm runs the demo page's browser tests"
            ));
        }
    }
    let dir = ctx.root.join("services/jwt-service/tests/browser");
    step("service: npm install in services/jwt-service/tests/browser (playwright-core)");
    crate::node::install_in(&dir)?;
    ctx.cargo(&["build", "-p", "jwt-service"])?;
    let artifacts = ctx.root.join("target").join("test-artifacts");
    step("service: the demo page in headless Chromium (Playwright)");
    run(Command::new("node")
        .arg("--test")
        .current_dir(&dir)
        .env(
            "JWT_SERVICE_BIN",
            ctx.target.join("debug").join("jwt-service"),
        )
        .env("CHROMIUM_PATH", CHROMIUM)
        .env("JWT_SERVICE_ARTIFACTS", &artifacts))?;
    eprintln!(
        "    screenshot: {}",
        artifacts.join("demo-page.png").display()
    );
    Ok(())
}

pub fn dist(ctx: &Ctx) -> Result {
    step("service: release build of jwt-service");
    ctx.cargo(&["build", "--release", "-p", "jwt-service"])?;
    std::fs::create_dir_all(&ctx.dist).map_err(|e| e.to_string())?;
    let bin = ctx.target.join("release").join("jwt-service");
    let to = ctx.dist.join("jwt-service");
    std::fs::copy(&bin, &to).map_err(|e| format!("copy {}: {e}", bin.display()))?;
    eprintln!("    wrote {}", to.display());
    Ok(())
}

pub fn codegen(_ctx: &Ctx, _check: bool) -> Result {
    Ok(())
}

// ---------------------------------------------------------------------------------------
// bench

const DURATION: &str = "8s";
const CONNECTIONS: &str = "32";

/// Interleaved `/healthz`, `/me` rounds per configuration (averaged).
const ROUNDS: usize = 2;

/// The mean of several runs.
fn mean(runs: &[Sample]) -> Sample {
    let n = runs.len().max(1) as f64;
    Sample {
        rps: runs.iter().map(|s| s.rps).sum::<f64>() / n,
        p50_ms: runs.iter().map(|s| s.p50_ms).sum::<f64>() / n,
        p99_ms: runs.iter().map(|s| s.p99_ms).sum::<f64>() / n,
    }
}

/// One wrk run.
struct Sample {
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
}

/// A server as a subprocess (dies with us: stdin EOF). Also used by the smoke test.
pub struct Server {
    child: Child,
    pub base: String,
    pub password: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn start(bin: &Path, data: &Path, args: &[&str]) -> Result<Server> {
    let _ = std::fs::remove_dir_all(data);
    let mut child = Command::new(bin)
        .arg("--data-dir")
        .arg(data)
        .args([
            "--bind",
            "127.0.0.1:0",
            "--exit-on-stdin-eof",
            "--login-rate-limit",
            "100000",
        ])
        .args(args)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("start {}: {e}", bin.display()))?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut password = String::new();
    let mut base = String::new();
    for line in BufReader::new(stdout)
        .lines()
        .map_while(std::result::Result::ok)
    {
        if let Some(p) = line.split("shown only this once: ").nth(1) {
            password = p.trim().to_owned();
        }
        if let Some(rest) = line.strip_prefix("jwt-service listening on ") {
            base = rest
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned();
            break;
        }
    }
    if base.is_empty() || password.is_empty() {
        return Err(
            "jwt-service did not start (or did not print the first user's password)".into(),
        );
    }
    let server = Server {
        child,
        base,
        password,
    };
    for _ in 0..100 {
        if http(&server.base, "GET", "/readyz", "", "").is_ok_and(|(s, _)| s == 200) {
            return Ok(server);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Err("jwt-service never became ready".into())
}

/// A minimal HTTP/1.1 request: (status, body).
fn http(base: &str, method: &str, path: &str, body: &str, extra: &str) -> Result<(u16, String)> {
    let host = base.trim_start_matches("http://");
    let mut s = TcpStream::connect(host).map_err(|e| format!("connect {host}: {e}"))?;
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{extra}\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).map_err(|e| e.to_string())?;
    let mut resp = String::new();
    s.read_to_string(&mut resp).map_err(|e| e.to_string())?;
    let status = resp
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = resp
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    Ok((status, body))
}

fn login(s: &Server) -> Result<String> {
    let body = format!("{{\"username\":\"admin\",\"password\":\"{}\"}}", s.password);
    let (status, resp) = http(&s.base, "POST", "/token", &body, "")?;
    if status != 200 {
        return Err(format!("login failed: {status} {resp}"));
    }
    let start = resp.find("\"access_token\":\"").ok_or("no access_token")? + 16;
    let end = resp[start..].find('"').ok_or("bad access_token")? + start;
    Ok(resp[start..end].to_owned())
}

fn parse_ms(v: &str) -> Option<f64> {
    let (num, scale) = if let Some(n) = v.strip_suffix("us") {
        (n, 0.001)
    } else if let Some(n) = v.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = v.strip_suffix('s') {
        (n, 1000.0)
    } else {
        (v, 1.0)
    };
    num.parse::<f64>().ok().map(|x| x * scale)
}

fn wrk(url: &str, token: Option<&str>) -> Result<Sample> {
    let mut cmd = Command::new("wrk");
    cmd.args(["-t1", "-c", CONNECTIONS, "-d", DURATION, "--latency"]);
    if let Some(t) = token {
        cmd.arg("-H").arg(format!("Authorization: Bearer {t}"));
    }
    let out = output(cmd.arg(url))?;
    let mut s = Sample {
        rps: 0.0,
        p50_ms: 0.0,
        p99_ms: 0.0,
    };
    for line in out.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        match f.as_slice() {
            ["Requests/sec:", v] => s.rps = v.parse().unwrap_or(0.0),
            ["50%", v] => s.p50_ms = parse_ms(v).unwrap_or(0.0),
            ["99%", v] => s.p99_ms = parse_ms(v).unwrap_or(0.0),
            ["Non-2xx", ..] => return Err(format!("wrk saw non-2xx answers on {url}:\n{out}")),
            _ => {}
        }
    }
    Ok(s)
}

fn ensure_wrk() -> Result {
    if Command::new("wrk").arg("-v").output().is_ok() {
        return Ok(());
    }
    step("service: installing wrk (Debian package) for the load run");
    run(Command::new("apt-get").args(["install", "-y", "-qq", "--no-install-recommends", "wrk"]))
}

struct Redis(Child);
impl Drop for Redis {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_redis(dir: &Path) -> Result<(Redis, String)> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?
        .port();
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
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
        .arg(dir)
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| format!("redis-server: {e}"))?;
    for _ in 0..100 {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok((Redis(child), format!("redis://127.0.0.1:{port}")));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Err("redis-server did not start".into())
}

pub fn bench(ctx: &Ctx) -> Result {
    ensure_wrk()?;
    step("service: release build of jwt-service");
    ctx.cargo(&["build", "--release", "-p", "jwt-service"])?;
    let bin = ctx.target.join("release").join("jwt-service");
    let work: PathBuf = ctx.target.join("bench-service");
    let have_redis = Command::new("redis-server")
        .arg("--version")
        .output()
        .is_ok();
    let load_before = load_average();
    let mut rows = Vec::new();
    let mut stores = vec![("SQLite", None)];
    let redis = if have_redis {
        let (r, url) = start_redis(&work.join("redis"))?;
        stores.push(("Redis", Some(url)));
        Some(r)
    } else {
        eprintln!("!!!!! redis-server not installed: Redis rows skipped !!!!!");
        None
    };
    for (i, (name, url)) in stores.iter().enumerate() {
        for cached in [true, false] {
            let mut args: Vec<&str> = Vec::new();
            if let Some(u) = url {
                args.extend(["--store", u.as_str(), "--redis-prefix"]);
                args.push(if cached { "bench-c:" } else { "bench-u:" });
            }
            if !cached {
                args.extend(["--cache-capacity", "0"]);
            }
            step(&format!(
                "service: {name}, verified-token cache {}",
                if cached { "on" } else { "off" }
            ));
            let server = start(&bin, &work.join(format!("data-{i}-{cached}")), &args)?;
            let token = login(&server)?;
            // Interleaved rounds, averaged: on a shared machine the load drifts during
            // a run, and back-to-back single runs charge the drift to one endpoint.
            let mut health = Vec::new();
            let mut me = Vec::new();
            for _ in 0..ROUNDS {
                health.push(wrk(&format!("{}/healthz", server.base), None)?);
                me.push(wrk(&format!("{}/me", server.base), Some(&token))?);
            }
            let (health, me) = (mean(&health), mean(&me));
            eprintln!(
                "    /healthz {:.0} req/s p50 {:.2} ms p99 {:.2} ms | /me {:.0} req/s p50 {:.2} ms p99 {:.2} ms ({:.0}%)",
                health.rps,
                health.p50_ms,
                health.p99_ms,
                me.rps,
                me.p50_ms,
                me.p99_ms,
                100.0 * me.rps / health.rps.max(1.0)
            );
            rows.push((*name, cached, health, me));
        }
    }
    drop(redis);
    let table = render(&rows, &load_before, &load_average());
    println!("\n{table}");
    crate::charts::write_marked_section(
        &ctx.root.join("docs").join("performance.md"),
        "# Performance",
        "service",
        &table,
    )
}

/// The 1-minute load average (the machine may be shared), or `?`.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".into())
}

fn render(rows: &[(&str, bool, Sample, Sample)], load_before: &str, load_after: &str) -> String {
    let mut t = String::new();
    t.push_str("## Reference service (`cargo xtask bench --only service`)\n\n");
    t.push_str(&format!(
        "Machine load (1-minute average) {load_before} before the run, {load_after} after it; \
         the 2 cores may be shared with other work, which moves both columns.\n\n"
    ));
    t.push_str(&format!(
        "`wrk -t1 -c{CONNECTIONS} -d{DURATION}` ({ROUNDS} interleaved rounds of each endpoint, averaged) from a second process on loopback against the release \
         `jwt-service` (EdDSA keys, 2 actix workers), on the same 2-core machine as the load generator. \
         `GET /me` carries one valid access token; \"cache off\" is `--cache-capacity 0` (every request \
         verifies the signature and claims). The denylist is checked on every request in both cases, \
         against the local view.\n\n"
    ));
    t.push_str(
        "| store | verified-token cache | endpoint | req/s | p50 ms | p99 ms | /me vs /healthz |\n",
    );
    t.push_str("| --- | --- | --- | ---: | ---: | ---: | ---: |\n");
    for (store, cached, h, m) in rows {
        let c = if *cached { "on" } else { "off" };
        t.push_str(&format!(
            "| {store} | {c} | `GET /healthz` | {:.0} | {:.2} | {:.2} | |\n",
            h.rps, h.p50_ms, h.p99_ms
        ));
        t.push_str(&format!(
            "| {store} | {c} | `GET /me` | {:.0} | {:.2} | {:.2} | {:.0}% |\n",
            m.rps,
            m.p50_ms,
            m.p99_ms,
            100.0 * m.rps / h.rps.max(1.0)
        ));
    }
    t
}
