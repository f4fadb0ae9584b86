//! The Rust core: unit, integration, property and vector tests; criterion benches.

use std::path::Path;
use std::process::Command;

use crate::util::{self, Ctx, Result};

pub fn test(ctx: &Ctx) -> Result {
    // jwt-core on its default backend (ring) in an invocation of its own: cargo unifies
    // features per invocation, and the CLI (like every consumer) enables `aws-lc`, so testing
    // them together would test jwt-core on aws-lc only.
    let mut cmd = Command::new(util::cargo_bin());
    cmd.args(["test", "-p", "jwt-core"]).current_dir(&ctx.root);
    util::run(&mut cmd)?;
    util::step("rust: cargo test -p jwt-cli -p xtask");
    let mut cmd = Command::new(util::cargo_bin());
    cmd.args(["test", "-p", "jwt-cli", "-p", "xtask"])
        .current_dir(&ctx.root);
    util::run(&mut cmd)?;
    // The second backend runs the same corpus, Wycheproof and attack suites, plus what only
    // it has (RSA-OAEP JWE, ML-DSA); it shares the target dir, so only jwt-core recompiles.
    // Its `mldsa_interop` test builds the ML-DSA peer (CIRCL, Go) and fails without a Go
    // toolchain, unless `--allow-skip`, when it says loudly that it did not run.
    util::step(
        "rust: cargo test -p jwt-core --no-default-features --features aws-lc (ML-DSA \
         interop with CIRCL needs Go)",
    );
    let mut cmd = Command::new(util::cargo_bin());
    cmd.args([
        "test",
        "-p",
        "jwt-core",
        "--no-default-features",
        "--features",
        "aws-lc",
    ])
    .current_dir(&ctx.root);
    if util::skips_allowed() {
        cmd.env("JWT_CORE_ALLOW_MISSING_PEERS", "1");
    }
    util::run(&mut cmd)
}

/// Algorithms of the criterion bench (`benches/jwt-bench/benches/jws.rs`), in table order.
const BENCH_ALGS: [&str; 5] = ["HS256", "RS256", "PS256", "ES256", "EdDSA"];
/// The raw primitives that may be the floor of a row (the fastest one measured wins).
const BENCH_FLOORS: [&str; 2] = ["ring", "ed25519-dalek"];
/// The JWE bench's cases (`benches/jwt-bench/benches/jwe.rs`), in table order.
const JWE_CASES: [&str; 3] = [
    "dir+A256GCM",
    "ECDH-ES+A256KW+A256GCM",
    "A256KW+A256CBC-HS512",
];
/// jwt-core's two backends: the name in the table and the jwt-bench feature that picks it.
const BACKENDS: [(&str, Option<&str>); 2] = [("ring", None), ("aws-lc", Some("aws-lc"))];

/// One bench run: criterion's median (ns) per `(group, function)`, for one backend.
struct Run {
    backend: &'static str,
    times: std::collections::HashMap<(String, String), f64>,
}

impl Run {
    fn get(&self, group: &str, function: &str) -> Option<f64> {
        self.times
            .get(&(group.to_owned(), function.to_owned()))
            .copied()
    }
}

fn bench_groups() -> Vec<String> {
    let jws = BENCH_ALGS
        .iter()
        .flat_map(|alg| ["verify", "sign"].map(|op| format!("{alg}-{op}")));
    let jwe = JWE_CASES
        .iter()
        .flat_map(|c| ["encrypt", "decrypt"].map(|op| format!("JWE-{c}-{op}")));
    jws.chain(jwe).collect()
}

/// Run the criterion benches (jwt-core, jsonwebtoken, jwt-simple and the raw primitives in
/// one process; then jwt-core's JWE) once per backend per round, the backends' order
/// alternating between rounds (ring, aws-lc, aws-lc, ring, ...) so drift in the shared
/// machine's load does not favour one. Then print the side-by-side table and write it to
/// `docs/performance.md` between the `rust` markers. `JWT_BENCH_ROUNDS` (default 2).
pub fn bench(ctx: &Ctx) -> Result {
    let criterion = ctx.target.join("criterion");
    let rounds: usize = std::env::var("JWT_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(2)
        .max(1);
    let load_before = load_average();
    // `JWT_BENCH_FEATURES=jwt-simple-boring` measures jwt-simple with BoringSSL.
    let features = std::env::var("JWT_BENCH_FEATURES").unwrap_or_else(|_| "peers".into());
    let mut runs = Vec::new();
    let mut loads = Vec::new();
    for round in 0..rounds {
        let mut order = BACKENDS.to_vec();
        if round % 2 == 1 {
            order.reverse();
        }
        for (backend, feature) in order {
            let features = match feature {
                Some(f) => format!("{features},{f}"),
                None => features.clone(),
            };
            // Stale results of an earlier run must not fill the table.
            for group in bench_groups() {
                let _ = std::fs::remove_dir_all(criterion.join(group));
            }
            for bench in ["jws", "jwe"] {
                util::step(&format!(
                    "rust: round {}/{rounds}, jwt-core on {backend}: cargo bench -p jwt-bench \
                     --bench {bench} --features {features} (release; a few minutes)",
                    round + 1
                ));
                ctx.cargo(&[
                    "bench",
                    "-p",
                    "jwt-bench",
                    "--bench",
                    bench,
                    "--features",
                    &features,
                ])?;
            }
            runs.push(collect_run(&criterion, backend));
            loads.push(load_average());
        }
    }
    let conditions = format!(
        "{} ({} cores), {rounds} rounds (one run per backend each, order alternating), load \
         average {load_before} before and {} after the runs; jsonwebtoken backend: {}; \
         jwt-simple backend: {}",
        cpu_model(),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        loads.join(", "),
        std::env::var("JWT_BENCH_JSONWEBTOKEN").unwrap_or_else(|_| "aws_lc_rs".into()),
        if features.contains("jwt-simple-boring") {
            "BoringSSL"
        } else {
            "pure Rust (RSA via the `rsa` crate)"
        },
    );
    let table = bench_table(&runs, &conditions)?;
    println!("\n{table}");
    crate::charts::write_marked_section(
        &ctx.root.join("docs/performance.md"),
        "# Performance",
        "rust",
        &table,
    )
}

fn collect_run(criterion: &Path, backend: &'static str) -> Run {
    let mut times = std::collections::HashMap::new();
    for group in bench_groups() {
        let functions = ["jwt-core", "jsonwebtoken", "jwt-simple", "ring+json"]
            .into_iter()
            .chain(BENCH_FLOORS);
        for function in functions {
            if let Some(t) = bench_estimate(criterion, &group, function) {
                times.insert((group.clone(), function.to_owned()), t);
            }
        }
    }
    Run { backend, times }
}

/// One measured time (criterion's median, in nanoseconds), if the bench produced it.
fn bench_estimate(criterion: &Path, group: &str, function: &str) -> Option<f64> {
    let path = criterion
        .join(group)
        .join(function)
        .join("new/estimates.json");
    let json = std::fs::read_to_string(path).ok()?;
    // {"mean":{...,"point_estimate":N,...},"median":{...,"point_estimate":N,...},...}
    let median = &json[json.find("\"median\"")?..];
    let rest = &median[median.find("\"point_estimate\":")? + "\"point_estimate\":".len()..];
    let end = rest.find([',', '}'])?;
    rest[..end].trim().parse().ok()
}

/// The median of the values present (None when there are none).
fn median(mut values: Vec<f64>) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / 2.0),
    }
}

fn fmt_time(ns: Option<f64>) -> String {
    match ns {
        None => "-".into(),
        Some(ns) if ns >= 1e6 => format!("{:.2} ms", ns / 1e6),
        Some(ns) if ns >= 1e3 => format!("{:.2} µs", ns / 1e3),
        Some(ns) => format!("{ns:.0} ns"),
    }
}

fn fmt_ratio(r: Option<f64>) -> String {
    r.map_or_else(|| "-".into(), |r| format!("{r:.2}x"))
}

/// What the table reads of the runs for one group.
struct Row<'a> {
    runs: &'a [Run],
    group: String,
}

impl Row<'_> {
    /// Median over the runs of `backend` (every run when `None`: the peers and floors
    /// do not depend on jwt-core's backend).
    fn time(&self, backend: Option<&str>, function: &str) -> Option<f64> {
        median(
            self.runs
                .iter()
                .filter(|r| backend.is_none_or(|b| r.backend == b))
                .filter_map(|r| r.get(&self.group, function))
                .collect(),
        )
    }

    /// Median over the runs of `backend` of `num / den` measured in the same run.
    fn ratio(&self, backend: &str, num: &str, den: &str) -> Option<f64> {
        median(
            self.runs
                .iter()
                .filter(|r| r.backend == backend)
                .filter_map(|r| Some(r.get(&self.group, num)? / r.get(&self.group, den)?))
                .collect(),
        )
    }
}

/// The markdown tables: one row per algorithm and operation, both backends side by side.
fn bench_table(runs: &[Run], conditions: &str) -> Result<String> {
    let mut out = String::from(
        "## Rust core\n\n\
         `cargo xtask bench --only rust` (criterion, `benches/jwt-bench`): a ~170-byte claims set \
         (`sub`, `name`, `iat`, `exp`, `iss`, `aud`); *verify* checks the signature, `exp`, `iss` \
         and `aud` and returns the claims as a serde struct, *sign* serializes, encodes and signs. \
         Every library verifies the same token; keys are parsed once. Times are criterion medians, \
         then the median over the rounds; each ratio is taken within one run (jwt-core and the \
         peer in the same process), then its median over the rounds. jwt-core runs on each of \
         its backends, `ring` (the crate's default: ring, ed25519-dalek for Ed25519) and \
         `aws-lc` (AWS-LC through aws-lc-rs). The floor is the fastest raw primitive over the \
         same signing input (ring, or ed25519-dalek for EdDSA); for HS256, *ring+json* adds the \
         payload's base64url and serde work to the HMAC. Targets: HS256 at least 2x faster than \
         jsonwebtoken; EdDSA at least 1x jsonwebtoken (issue 18); the other asymmetric rows \
         within 1.1x of the floor, on the faster backend.\n\n",
    );
    out.push_str(
        "| alg | op | jwt-core ring | jwt-core aws-lc | jsonwebtoken | jwt-simple | floor \
         | jsonwebtoken / jwt-core ring | jsonwebtoken / jwt-core aws-lc | ring / aws-lc | target |\n\
         |---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n",
    );
    let mut found = 0;
    for alg in BENCH_ALGS {
        for op in ["verify", "sign"] {
            let row = Row {
                runs,
                group: format!("{alg}-{op}"),
            };
            let ring = row.time(Some("ring"), "jwt-core");
            let aws = row.time(Some("aws-lc"), "jwt-core");
            let jsonwebtoken = row.time(None, "jsonwebtoken");
            let simple = row.time(None, "jwt-simple");
            found += [ring, aws, jsonwebtoken, simple].iter().flatten().count();
            let floor = BENCH_FLOORS
                .iter()
                .filter_map(|f| row.time(None, f).map(|t| (t, *f)))
                .min_by(|a, b| a.0.total_cmp(&b.0));
            let floor_text = match floor {
                Some((t, name)) => format!("{} ({name})", fmt_time(Some(t))),
                None => "-".into(),
            };
            let best = [ring, aws].into_iter().flatten().min_by(f64::total_cmp);
            let vs_peer = [
                row.ratio("ring", "jsonwebtoken", "jwt-core"),
                row.ratio("aws-lc", "jsonwebtoken", "jwt-core"),
            ];
            let best_vs_peer = vs_peer.into_iter().flatten().max_by(f64::total_cmp);
            let target = match alg {
                "HS256" => {
                    let json_floor = row.time(None, "ring+json");
                    let met = best_vs_peer.is_some_and(|r| r >= 2.0);
                    format!(
                        "{} (>= 2x jsonwebtoken); ring+json {}",
                        if met { "met" } else { "missed" },
                        fmt_time(json_floor),
                    )
                }
                "EdDSA" => {
                    let met = best_vs_peer.is_some_and(|r| r >= 1.0);
                    format!(
                        "{} (>= 1x jsonwebtoken)",
                        if met { "met" } else { "missed" }
                    )
                }
                _ => {
                    let met = matches!((best, floor), (Some(b), Some((f, _))) if b / f <= 1.1);
                    format!("{} (<= 1.1x floor)", if met { "met" } else { "missed" })
                }
            };
            let speedup = match (ring, aws) {
                (Some(r), Some(a)) if a > 0.0 => Some(r / a),
                _ => None,
            };
            out.push_str(&format!(
                "| {alg} | {op} | {} | {} | {} | {} | {floor_text} | {} | {} | {} | {target} |\n",
                fmt_time(ring),
                fmt_time(aws),
                fmt_time(jsonwebtoken),
                fmt_time(simple),
                fmt_ratio(vs_peer[0]),
                fmt_ratio(vs_peer[1]),
                fmt_ratio(speedup),
            ));
        }
    }
    if found == 0 {
        return Err("no criterion results: did the benches run?".into());
    }
    out.push_str(
        "\n*ring / aws-lc* above 1 means the aws-lc build is faster. jsonwebtoken runs on \
         aws-lc-rs, so where it beats the ring build's floor (RSA verify, Ed25519) that is \
         AWS-LC's primitive being faster than ring's or ed25519-dalek's. Signing HS256 cannot \
         be 2x faster than jsonwebtoken when jsonwebtoken itself is within ~1.6x of \
         ring+json. Numbers on the shared 2-core machine vary by +-20% between runs.\n\n\
         ### JWE (jwt-core only)\n\n\
         | case | op | jwt-core ring | jwt-core aws-lc | ring / aws-lc |\n\
         |---|---|---:|---:|---:|\n",
    );
    for case in JWE_CASES {
        for op in ["encrypt", "decrypt"] {
            let row = Row {
                runs,
                group: format!("JWE-{case}-{op}"),
            };
            let (ring, aws) = (
                row.time(Some("ring"), "jwt-core"),
                row.time(Some("aws-lc"), "jwt-core"),
            );
            let speedup = ring.zip(aws).map(|(r, a)| r / a);
            out.push_str(&format!(
                "| {case} | {op} | {} | {} | {} |\n",
                fmt_time(ring),
                fmt_time(aws),
                fmt_ratio(speedup)
            ));
        }
    }
    out.push_str(&format!("\nConditions: {conditions}.\n"));
    Ok(out)
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into())
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".into())
}

/// The `jwt` command (release) into `target/dist/`.
pub fn dist(ctx: &Ctx) -> Result {
    util::step("rust: cargo build --release -p jwt-cli (the `jwt` command)");
    ctx.cargo(&["build", "--release", "-p", "jwt-cli"])?;
    std::fs::create_dir_all(&ctx.dist).map_err(|e| e.to_string())?;
    let name = format!("jwt{}", std::env::consts::EXE_SUFFIX);
    let bin = ctx.target.join("release").join(&name);
    std::fs::copy(&bin, ctx.dist.join(&name))
        .map_err(|e| format!("copy {}: {e}", bin.display()))?;
    eprintln!("    wrote {}", ctx.dist.join(name).display());
    Ok(())
}

/// `docs/errors.md` is generated from `jwt_core::Error::ALL_CODES` by a core test; in
/// check mode the same test fails on drift.
pub fn codegen(ctx: &Ctx, check: bool) -> Result {
    let mut cmd = Command::new(util::cargo_bin());
    cmd.args(["test", "-p", "jwt-core", "--test", "error_codes", "--quiet"])
        .current_dir(&ctx.root);
    if !check {
        cmd.env("JWT_CORE_REGENERATE_DOCS", "1");
    }
    util::run(&mut cmd)
}
