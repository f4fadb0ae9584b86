//! The Rust core: unit, integration, property and vector tests; criterion benches.

use std::path::Path;
use std::process::Command;

use crate::util::{self, Ctx, Result};

pub fn test(ctx: &Ctx) -> Result {
    let mut cmd = Command::new(util::cargo_bin());
    cmd.args(["test", "-p", "jwt-core", "-p", "jwt-cli", "-p", "xtask"])
        .current_dir(&ctx.root);
    util::run(&mut cmd)?;
    // The second backend runs the same corpus, Wycheproof and attack suites, plus what only
    // it has (RSA-OAEP JWE); it shares the target dir, so only jwt-core recompiles.
    util::step("rust: cargo test -p jwt-core --no-default-features --features aws-lc");
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
    util::run(&mut cmd)
}

/// Algorithms of the criterion bench (`benches/jwt-bench/benches/jws.rs`), in table order.
const BENCH_ALGS: [&str; 5] = ["HS256", "RS256", "PS256", "ES256", "EdDSA"];
/// The raw primitives that may be the floor of a row (the fastest one measured wins).
const BENCH_FLOORS: [&str; 2] = ["ring", "ed25519-dalek"];

/// Run the criterion bench (jwt-core, jsonwebtoken, jwt-simple and the raw primitives in
/// one process), then print the side-by-side table and write it to `docs/performance.md`
/// between the `rust` markers.
pub fn bench(ctx: &Ctx) -> Result {
    let criterion = ctx.target.join("criterion");
    // Stale results of an earlier run must not fill the table.
    for alg in BENCH_ALGS {
        for op in ["verify", "sign"] {
            let _ = std::fs::remove_dir_all(criterion.join(format!("{alg}-{op}")));
        }
    }
    let load_before = load_average();
    // `JWT_BENCH_FEATURES=jwt-simple-boring` measures jwt-simple with BoringSSL.
    let features = std::env::var("JWT_BENCH_FEATURES").unwrap_or_else(|_| "peers".into());
    util::step(&format!(
        "rust: cargo bench -p jwt-bench --bench jws --features {features} (release; a few minutes)"
    ));
    ctx.cargo(&[
        "bench",
        "-p",
        "jwt-bench",
        "--bench",
        "jws",
        "--features",
        &features,
    ])?;
    let conditions = format!(
        "{} ({} cores), load average {} before and {} after the run; jsonwebtoken backend: {}; jwt-simple backend: {}",
        cpu_model(),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        load_before,
        load_average(),
        std::env::var("JWT_BENCH_JSONWEBTOKEN").unwrap_or_else(|_| "aws_lc_rs".into()),
        if features.contains("jwt-simple-boring") {
            "BoringSSL"
        } else {
            "pure Rust (RSA via the `rsa` crate)"
        },
    );
    let table = bench_table(&criterion, &conditions)?;
    println!("\n{table}");
    crate::charts::write_marked_section(
        &ctx.root.join("docs/performance.md"),
        "# Performance",
        "rust",
        &table,
    )
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

fn fmt_time(ns: Option<f64>) -> String {
    match ns {
        None => "-".into(),
        Some(ns) if ns >= 1e6 => format!("{:.2} ms", ns / 1e6),
        Some(ns) if ns >= 1e3 => format!("{:.2} µs", ns / 1e3),
        Some(ns) => format!("{ns:.0} ns"),
    }
}

fn fmt_ratio(num: Option<f64>, den: Option<f64>) -> String {
    match (num, den) {
        (Some(n), Some(d)) if d > 0.0 => format!("{:.2}x", n / d),
        _ => "-".into(),
    }
}

/// The markdown table: one row per algorithm and operation.
fn bench_table(criterion: &Path, conditions: &str) -> Result<String> {
    let mut out = String::from(
        "## Rust core\n\n\
         `cargo xtask bench --only rust` (criterion, `benches/jwt-bench`): a ~170-byte claims set \
         (`sub`, `name`, `iat`, `exp`, `iss`, `aud`); *verify* checks the signature, `exp`, `iss` \
         and `aud` and returns the claims as a serde struct, *sign* serializes, encodes and signs. \
         Every library verifies the same token; keys are parsed once. Times are criterion medians. \
         The floor is the fastest raw primitive over the same signing input (ring, or \
         ed25519-dalek for EdDSA); for HS256, *ring+json* adds the payload's base64url and \
         serde work to the HMAC. Targets: HS256 at least 2x faster than jsonwebtoken; every \
         asymmetric row within 1.1x of its floor.\n\n",
    );
    out.push_str(
        "| alg | op | jwt-core | jsonwebtoken | jwt-simple | floor | jsonwebtoken / jwt-core \
         | jwt-simple / jwt-core | jwt-core / floor | target |\n\
         |---|---|---:|---:|---:|---:|---:|---:|---:|---|\n",
    );
    let mut found = 0;
    for alg in BENCH_ALGS {
        for op in ["verify", "sign"] {
            let group = format!("{alg}-{op}");
            let get = |f: &str| bench_estimate(criterion, &group, f);
            let core = get("jwt-core");
            let jsonwebtoken = get("jsonwebtoken");
            let simple = get("jwt-simple");
            let floor = BENCH_FLOORS
                .iter()
                .filter_map(|f| get(f).map(|t| (t, *f)))
                .min_by(|a, b| a.0.total_cmp(&b.0));
            found += [core, jsonwebtoken, simple].iter().flatten().count();
            let floor_text = match floor {
                Some((t, name)) => format!("{} ({name})", fmt_time(Some(t))),
                None => "-".into(),
            };
            let floor_time = floor.map(|f| f.0);
            let target = if alg == "HS256" {
                let json_floor = get("ring+json");
                let met = matches!((jsonwebtoken, core), (Some(j), Some(c)) if j / c >= 2.0);
                format!(
                    "{} (>= 2x jsonwebtoken); ring+json {}, jwt-core / ring+json {}",
                    if met { "met" } else { "missed" },
                    fmt_time(json_floor),
                    fmt_ratio(core, json_floor)
                )
            } else {
                let met = matches!((core, floor_time), (Some(c), Some(f)) if c / f <= 1.1);
                format!("{} (<= 1.1x floor)", if met { "met" } else { "missed" })
            };
            out.push_str(&format!(
                "| {alg} | {op} | {} | {} | {} | {floor_text} | {} | {} | {} | {target} |\n",
                fmt_time(core),
                fmt_time(jsonwebtoken),
                fmt_time(simple),
                fmt_ratio(jsonwebtoken, core),
                fmt_ratio(simple, core),
                fmt_ratio(core, floor_time),
            ));
        }
    }
    if found == 0 {
        return Err(format!(
            "no criterion results under {}",
            criterion.display()
        ));
    }
    out.push_str(
        "\nWhere the jsonwebtoken column beats the floor (RSA verify, Ed25519 sign on this \
         machine) that is aws-lc-rs's primitive being faster than ring's or ed25519-dalek's; \
         jwt-core does not use aws-lc-rs (it needs a C/cmake build). Signing HS256 cannot be \
         2x faster than jsonwebtoken when jsonwebtoken itself is within ~1.6x of ring+json: \
         compare jwt-core with ring+json there. Numbers on the shared 2-core machine vary by \
         +-20% between runs.\n",
    );
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
