//! `cargo xtask`: the project's one entry point.
//!
//! ```text
//! cargo xtask test      every test suite: Rust, Python, Node, Kotlin, service
//! cargo xtask ci        fmt check + clippy -D warnings + test
//! cargo xtask bench     benchmarks, side by side with peers, printed as ratio tables
//! cargo xtask dist      release artifacts into target/dist/
//! cargo xtask codegen   regenerate committed generated files (--check: fail on drift)
//! cargo xtask fmt       format everything
//! ```
//!
//! Each area lives in its own module with the same shape (`test`, `bench`, `dist`,
//! `codegen`), so adding a binding is adding a module and a line in `AREAS`.
//! `--only AREA[,AREA]` limits `test`/`bench`/`dist` to some areas.

mod actionlint;
mod charts;
mod docs;
mod kotlin;
mod node;
mod provision;
mod python;
mod rust;
mod service;
mod smoke;
mod util;

use std::process::ExitCode;

use util::{Ctx, Result};

/// One area of the project: its name and what it does for each subcommand.
struct Area {
    name: &'static str,
    test: fn(&Ctx) -> Result,
    bench: fn(&Ctx) -> Result,
    dist: fn(&Ctx) -> Result,
    codegen: fn(&Ctx, bool) -> Result,
}

const AREAS: &[Area] = &[
    Area {
        name: "rust",
        test: rust::test,
        bench: rust::bench,
        dist: rust::dist,
        codegen: rust::codegen,
    },
    Area {
        name: "python",
        test: python::test,
        bench: python::bench,
        dist: python::dist,
        codegen: python::codegen,
    },
    Area {
        name: "node",
        test: node::test,
        bench: node::bench,
        dist: node::dist,
        codegen: node::codegen,
    },
    Area {
        name: "kotlin",
        test: kotlin::test,
        bench: kotlin::bench,
        dist: kotlin::dist,
        codegen: kotlin::codegen,
    },
    Area {
        name: "service",
        test: service::test,
        bench: service::bench,
        dist: service::dist,
        codegen: service::codegen,
    },
    Area {
        name: "docs",
        test: docs::test,
        bench: docs::bench,
        dist: docs::dist,
        codegen: docs::codegen,
    },
    // Last: installs the other areas' artifacts as a new user would and runs
    // examples/newcomer against them.
    Area {
        name: "smoke",
        test: smoke::test,
        bench: smoke::bench,
        dist: smoke::dist,
        codegen: smoke::codegen,
    },
];

const HELP: &str = "\
cargo xtask <command> [--only AREA,...] [--allow-skip]

commands:
  test      build and run every test suite (rust, python, node, kotlin, service)
  lint      cargo fmt --check, cargo clippy -D warnings, codegen --check
  ci        lint, then test
  bench     run the benchmarks side by side with peer libraries; prints ratio tables
  dist      write release artifacts (wheel, npm tarball, jar, Swift sources, jwt,
            jwt-service) to target/dist/, then run examples/newcomer against them
  codegen   regenerate generated files; `codegen --check` fails if any is out of date
  fmt       format Rust (and each binding's sources where a formatter is installed)
  docs      charts from docs/performance.md, the book in target/book/, link check

areas: rust, python, node, kotlin, service, docs, smoke (the artifacts installed fresh,
       examples/newcomer run against them)

`test` first installs the system packages the selected areas need (redis-server,
chromium, a JDK, Maven, Node.js/npm, python3-venv, curl, jq) with apt-get when run as
root, or stops with the one command to run. A skipped test fails its step unless
`--allow-skip` is given; the peer suites (../shared/peer-suites, not part of the
repository) say loudly when absent and are listed as not run.

Each area is one step: `[n/N] area: what`, its time, a summary table at the end, and
after a failure what to do next (the missing tool's package, the command to re-run it).";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut cmd = None;
    let mut only: Option<Vec<String>> = None;
    let mut check = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--only" => only = it.next().map(|s| s.split(',').map(str::to_owned).collect()),
            "--check" => check = true,
            "--allow-skip" => util::allow_skip(true),
            "-h" | "--help" | "help" => {
                println!("{HELP}");
                return ExitCode::SUCCESS;
            }
            other if cmd.is_none() => cmd = Some(other.to_owned()),
            other => {
                eprintln!("unexpected argument `{other}`\n\n{HELP}");
                return ExitCode::from(2);
            }
        }
    }
    let ctx = match Ctx::new() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("xtask: {e}");
            return ExitCode::FAILURE;
        }
    };
    let selected = |name: &str| only.as_ref().is_none_or(|o| o.iter().any(|x| x == name));
    // Install (or name the command that installs) what the selected areas need first.
    let mut needed: Vec<&str> = AREAS
        .iter()
        .map(|a| a.name)
        .filter(|n| selected(n))
        .collect();
    let provisioned = match cmd.as_deref() {
        Some("test") => provision::ensure(&needed),
        Some("lint") => provision::ensure(&["lint"]),
        Some("ci") => {
            needed.push("lint");
            provision::ensure(&needed)
        }
        _ => Ok(()),
    };
    if let Err(e) = provisioned {
        eprintln!("\nxtask: {e}");
        return ExitCode::FAILURE;
    }
    let result = match cmd.as_deref() {
        Some("test") => for_areas(&ctx, "test", &selected, |a| a.test),
        Some("bench") => {
            // Every bench run refreshes the charts (the Node and Python benches write
            // docs/performance.md from their own scripts).
            let benched = for_areas(&ctx, "bench", &selected, |a| a.bench);
            docs::charts(&ctx).and(benched)
        }
        Some("dist") => for_areas(&ctx, "dist", &selected, |a| a.dist),
        Some("codegen") => AREAS
            .iter()
            .filter(|a| selected(a.name))
            .try_for_each(|a| (a.codegen)(&ctx, check)),
        Some("docs") => docs::build(&ctx),
        Some("fmt") => util::fmt(&ctx),
        Some("lint") => lint(&ctx, &selected),
        Some("ci") => {
            lint(&ctx, &selected).and_then(|()| for_areas(&ctx, "test", &selected, |a| a.test))
        }
        _ => {
            eprintln!("{HELP}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nxtask: FAILED: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Run `what` for every selected area as one step each: `[n/N]` progress, a summary
/// table, and after a failure the command that re-runs just that area.
fn for_areas(
    ctx: &Ctx,
    what: &str,
    selected: &dyn Fn(&str) -> bool,
    f: fn(&Area) -> fn(&Ctx) -> Result,
) -> Result {
    let steps = AREAS
        .iter()
        .filter(|a| selected(a.name))
        .map(|area| util::Step {
            name: area.name,
            what,
            rerun: format!("cargo xtask {what} --only {}", area.name),
            run: Box::new(move || f(area)(ctx)),
        })
        .collect();
    util::run_steps(steps)
}

/// Formatting, clippy and generated-file drift: everything `ci` checks besides tests.
fn lint(ctx: &Ctx, selected: &dyn Fn(&str) -> bool) -> Result {
    fn check<'a>(
        what: &'a str,
        rerun: &str,
        run: Box<dyn FnOnce() -> Result + 'a>,
    ) -> util::Step<'a> {
        util::Step {
            name: "lint",
            what,
            rerun: rerun.to_owned(),
            run,
        }
    }
    util::run_steps(vec![
        check(
            "fmt",
            "cargo fmt --all --check (cargo xtask fmt fixes it)",
            Box::new(|| ctx.cargo(&["fmt", "--all", "--check"])),
        ),
        check(
            "clippy",
            "cargo clippy --workspace --all-targets -- -D warnings",
            Box::new(|| {
                ctx.cargo(&[
                    "clippy",
                    "--workspace",
                    "--all-targets",
                    "--",
                    "-D",
                    "warnings",
                ])
            }),
        ),
        check(
            "actionlint",
            "cargo xtask lint (actionlint over .github/workflows)",
            Box::new(|| actionlint::check(ctx)),
        ),
        check(
            "codegen",
            "cargo xtask codegen --check (cargo xtask codegen regenerates)",
            Box::new(|| {
                AREAS
                    .iter()
                    .filter(|a| selected(a.name))
                    .try_for_each(|a| (a.codegen)(ctx, true))
            }),
        ),
    ])
}
