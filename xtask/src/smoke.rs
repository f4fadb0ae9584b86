//! The newcomer path (area `smoke`): the artifacts, installed and used as a new user
//! would, by the examples in `examples/newcomer/`.
//!
//! * `test`: quick (debug) artifacts into `<target>/smoke/dist` (the wheel, the npm
//!   tarball, the JVM jar, the `jwt` and `jwt-service` binaries), then every example
//!   against them. `target/dist` is left alone.
//! * `dist`: the same examples against the release artifacts the other areas just wrote
//!   to `target/dist` (this area runs last).
//!
//! Each example runs in a fresh place with no Rust toolchain on PATH: the wheel alone in
//! a new virtualenv, the tarball in an empty npm project, the jar with only JNA and
//! kotlin-stdlib on the class path, the binaries copied into an empty folder. The
//! service runs the README's "Try it" block as written (only the password and the port
//! are filled in), so the README cannot rot. Each example prints `<lang>: verified
//! sub=newcomer` and `<lang>: rejected <code>`, and those lines are checked.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{self, Ctx, Result};

/// The artifacts a newcomer installs.
struct Artifacts {
    wheel: PathBuf,
    tarball: PathBuf,
    jar: PathBuf,
    cli: PathBuf,
    service: PathBuf,
}

/// What every example must print: a verified token of ours, and a token signed by
/// another key rejected with the core's code.
fn expected(lang: &str) -> [String; 2] {
    [
        format!("{lang}: verified sub=newcomer"),
        format!("{lang}: rejected invalid_signature"),
    ]
}

/// `examples/newcomer/<rel>`.
fn example(ctx: &Ctx, rel: &str) -> PathBuf {
    ctx.root.join("examples/newcomer").join(rel)
}

/// Quick artifacts, then the examples.
pub fn test(ctx: &Ctx) -> Result {
    util::step("smoke: cargo test -p xtask (progress, hints, README parsing)");
    ctx.cargo(&["test", "-p", "xtask", "--quiet"])?;
    let quick = ctx.with_dist(ctx.target.join("smoke/dist"));
    let _ = fs::remove_dir_all(&quick.dist);
    fs::create_dir_all(&quick.dist).map_err(|e| e.to_string())?;
    // One package per invocation, as the rust and service areas build them, so a full
    // `cargo xtask test` finds them fresh (building both at once unifies other features).
    util::step("smoke: cargo build -p jwt-service, then -p jwt-cli (debug)");
    ctx.cargo(&["build", "-p", "jwt-service"])?;
    ctx.cargo(&["build", "-p", "jwt-cli"])?;
    let debug = ctx.target.join("debug");
    let artifacts = Artifacts {
        wheel: crate::python::wheel(&quick, &quick.dist, false)?,
        tarball: crate::node::pack(&quick, false)?,
        jar: crate::kotlin::jar(&quick, false)?,
        cli: debug.join(exe("jwt")),
        service: debug.join(exe("jwt-service")),
    };
    run_examples(ctx, &artifacts)
}

/// The examples against the release artifacts in `target/dist`.
pub fn dist(ctx: &Ctx) -> Result {
    let find = |what: &str, ok: &dyn Fn(&str) -> bool| -> Result<PathBuf> {
        newest(&ctx.dist, ok).ok_or_else(|| {
            format!(
                "no {what} in {}: run `cargo xtask dist` (all areas) first",
                ctx.dist.display()
            )
        })
    };
    let artifacts = Artifacts {
        wheel: find("wheel", &|n| {
            n.starts_with("jwt_core-") && n.ends_with(".whl")
        })?,
        tarball: find("npm tarball", &|n| {
            n.starts_with("jwt-core-node-0") && n.ends_with(".tgz")
        })?,
        jar: find("jar", &|n| {
            n.starts_with("jwt-core-kotlin-") && n.ends_with(".jar")
        })?,
        cli: find("jwt binary", &|n| n == exe("jwt"))?,
        service: find("jwt-service binary", &|n| n == exe("jwt-service"))?,
    };
    run_examples(ctx, &artifacts)
}

/// Nothing to measure.
pub fn bench(_ctx: &Ctx) -> Result {
    eprintln!("    smoke: no benchmark (the artifacts' speed is measured by their areas)");
    Ok(())
}

/// Nothing generated.
pub fn codegen(_ctx: &Ctx, _check: bool) -> Result {
    Ok(())
}

fn exe(name: &str) -> String {
    format!("{name}{}", std::env::consts::EXE_SUFFIX)
}

/// The newest file in `dir` whose name passes `ok`.
fn newest(dir: &Path, ok: &dyn Fn(&str) -> bool) -> Option<PathBuf> {
    fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(ok))
        .max_by_key(|p| fs::metadata(p).and_then(|m| m.modified()).ok())
}

/// Every example; all run even when one fails, the error names each failure.
fn run_examples(ctx: &Ctx, a: &Artifacts) -> Result {
    let runs: [(&str, &dyn Fn() -> Result); 5] = [
        ("python", &|| python(ctx, &a.wheel)),
        ("node", &|| node(ctx, &a.tarball)),
        ("kotlin", &|| kotlin(ctx, &a.jar)),
        ("cli", &|| cli(ctx, &a.cli)),
        ("service", &|| service(ctx, &a.service)),
    ];
    let failed: Vec<String> = runs
        .iter()
        .filter_map(|(name, run)| run().err().map(|e| format!("{name} example: {e}")))
        .collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(failed.join("\n    "))
    }
}

/// Fail unless every line of `want` is a line of `out`.
fn assert_lines(what: &str, out: &str, want: &[String]) -> Result {
    let missing: Vec<&str> = want
        .iter()
        .filter(|w| !out.lines().any(|l| l.trim() == w.as_str()))
        .map(String::as_str)
        .collect();
    if missing.is_empty() {
        eprintln!("    {what}: printed what it should");
        Ok(())
    } else {
        Err(format!(
            "{what} did not print {missing:?}; it printed:\n{out}"
        ))
    }
}

/// An empty folder under `<target>/smoke`.
fn fresh_dir(ctx: &Ctx, name: &str) -> Result<PathBuf> {
    let dir = ctx.target.join("smoke").join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    Ok(dir)
}

/// `program` in `dir` with a clean environment: HOME is `dir`, PATH is `bin` (if any)
/// then the system folders. Fails if cargo is reachable on that PATH.
fn clean(program: &Path, dir: &Path, bin: Option<&Path>) -> Result<Command> {
    let mut folders: Vec<PathBuf> = bin.into_iter().map(Path::to_path_buf).collect();
    folders.extend(["/usr/bin".into(), "/bin".into()]);
    if let Some(cargo) = folders.iter().find(|f| f.join("cargo").exists()) {
        return Err(format!(
            "cargo is in {}: the smoke test needs a PATH without Rust",
            cargo.display()
        ));
    }
    let path = std::env::join_paths(&folders).map_err(|e| e.to_string())?;
    let mut cmd = Command::new(program);
    cmd.current_dir(dir)
        .env_clear()
        .env("PATH", path)
        .env("HOME", dir)
        .env("LANG", "C.UTF-8");
    Ok(cmd)
}

/// The wheel alone in a new virtualenv, then `examples/newcomer/python/example.py`.
fn python(ctx: &Ctx, wheel: &Path) -> Result {
    util::step("smoke: python example (the wheel alone in a fresh venv, no Rust on PATH)");
    let dir = fresh_dir(ctx, "python")?;
    let venv = dir.join("venv");
    util::run(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
    let bin = venv.join("bin");
    util::run(
        clean(&bin.join("python"), &dir, Some(&bin))?
            .args([
                "-m",
                "pip",
                "install",
                "-q",
                "--disable-pip-version-check",
                "--no-index",
                "--no-deps",
            ])
            .arg(wheel),
    )?;
    let origin = util::output(
        clean(&bin.join("python"), &dir, Some(&bin))?
            .args(["-c", "import jwt_core; print(jwt_core.__file__)"]),
    )?;
    if !Path::new(origin.trim()).starts_with(&venv) {
        return Err(format!(
            "jwt_core was imported from {} instead of the fresh venv",
            origin.trim()
        ));
    }
    let script = dir.join("example.py");
    fs::copy(example(ctx, "python/example.py"), &script).map_err(|e| e.to_string())?;
    let out = util::output(clean(&bin.join("python"), &dir, Some(&bin))?.arg(&script))?;
    print!("{out}");
    assert_lines("python example", &out, &expected("python"))
}

/// The tarball in an empty npm project (node's own smoke checks run there too), then
/// `examples/newcomer/node/example.mjs`.
fn node(ctx: &Ctx, tarball: &Path) -> Result {
    util::step("smoke: node example (the tarball in an empty project, no Rust on PATH)");
    let out = crate::node::smoke_test(ctx, tarball, &[example(ctx, "node/example.mjs")])?;
    print!("{out}");
    assert_lines("node example", &out, &expected("node"))
}

/// `examples/newcomer/kotlin/Example.kt` compiled and run against the jar alone.
fn kotlin(ctx: &Ctx, jar: &Path) -> Result {
    util::step("smoke: kotlin example (the jar with only JNA and kotlin-stdlib)");
    let path = example(ctx, "kotlin/Example.kt");
    let code = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let out = crate::kotlin::run_against_jar(ctx, jar, &code, "newcomer-example")?;
    assert_lines("kotlin example", &out, &expected("kotlin"))
}

/// `examples/newcomer/cli/example.sh` in an empty folder holding only the `jwt` binary.
fn cli(ctx: &Ctx, jwt: &Path) -> Result {
    util::step("smoke: cli example (keygen, encode, verify with the built `jwt`)");
    let dir = fresh_dir(ctx, "cli")?;
    let bin = dir.join("bin");
    fs::create_dir_all(&bin).map_err(|e| e.to_string())?;
    fs::copy(jwt, bin.join(exe("jwt"))).map_err(|e| format!("{}: {e}", jwt.display()))?;
    let out = util::output(
        clean(Path::new("/bin/bash"), &dir, Some(&bin))?.arg(example(ctx, "cli/example.sh")),
    )?;
    print!("{out}");
    assert_lines("cli example", &out, &expected("cli"))
}

/// The README's "Try it" shell block, from the line after `### Try it` to the end of the
/// first ```sh block after it.
fn try_it_block(readme: &str) -> Result<&str> {
    let section = readme
        .find("### Try it")
        .map(|i| &readme[i..])
        .ok_or("README.md has no `### Try it` section")?;
    let start = section
        .find("```sh\n")
        .ok_or("README.md's Try it section has no ```sh block")?
        + "```sh\n".len();
    let end = section[start..]
        .find("```")
        .ok_or("README.md's Try it block is not closed")?;
    Ok(&section[start..start + end])
}

/// The placeholders of the Try it block, filled in: the printed password and the
/// service's address (the README says `localhost:8080`, the default).
fn fill_try_it(block: &str, password: &str, host: &str) -> Result<String> {
    const PW: &str = "PW='the-printed-password'";
    const ADDR: &str = "localhost:8080";
    if !block.contains(PW) || !block.contains(ADDR) {
        return Err(format!(
            "README.md's Try it block no longer has `{PW}` and `{ADDR}`: update xtask/src/smoke.rs \
             together with the README"
        ));
    }
    Ok(block
        .replace(PW, &format!("PW='{password}'"))
        .replace(ADDR, host))
}

/// The built service on a free port with an empty data folder, and the README's Try it
/// session against it: login, `/me`, refresh, logout, then `/me` denied.
fn service(ctx: &Ctx, bin: &Path) -> Result {
    util::step("smoke: service (README.md `Try it` session against the built jwt-service)");
    let readme = fs::read_to_string(ctx.root.join("README.md")).map_err(|e| e.to_string())?;
    let block = try_it_block(&readme)?;
    let dir = fresh_dir(ctx, "service")?;
    let server = crate::service::start(bin, &dir.join("data"), &[])?;
    let host = server.base.trim_start_matches("http://");
    let script = fill_try_it(block, &server.password, host)?;
    fs::write(dir.join("try-it.sh"), &script).map_err(|e| e.to_string())?;
    let out = util::output(
        clean(Path::new("/bin/bash"), &dir, None)?
            .args(["-euo", "pipefail"])
            .arg(dir.join("try-it.sh")),
    )?;
    drop(server);
    println!("{out}");
    check_try_it_output(&out)?;
    eprintln!("    README Try it: login, /me, refresh, logout, /me denied as documented");
    Ok(())
}

/// The answers of the Try it session, in order (curl prints them without newlines):
/// login, `/me`, refresh, logout, `/me` denied.
fn check_try_it_output(out: &str) -> Result {
    let expect = [
        ("login", "\"refresh_token\""),
        ("/me", "\"username\":\"admin\""),
        ("refresh", "\"access_token\""),
        ("logout", "\"logged_out\":true"),
        ("/me after logout", "\"error\":\"token_revoked\""),
    ];
    let mut rest = out;
    for (what, needle) in expect {
        match rest.find(needle) {
            Some(i) => rest = &rest[i + needle.len()..],
            None => {
                return Err(format!(
                    "README Try it: no {what} answer with {needle} (in order) in:\n{out}"
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readme_try_it_block_is_found_and_filled() {
        let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md"))
            .expect("README.md");
        let block = try_it_block(&readme).expect("a Try it block");
        let filled = fill_try_it(block, "s3cret", "127.0.0.1:4321").expect("placeholders");
        assert!(filled.contains("PW='s3cret'"));
        assert!(filled.contains("127.0.0.1:4321/token"));
        assert!(!filled.contains("localhost:8080"));
    }

    #[test]
    fn a_changed_try_it_block_is_reported() {
        let readme = "x\n### Try it\n\n```sh\ncurl -s localhost:9999/me\n```\n";
        let block = try_it_block(readme).expect("block");
        assert_eq!(block, "curl -s localhost:9999/me\n");
        let err = fill_try_it(block, "p", "h").expect_err("no placeholders");
        assert!(err.contains("update xtask/src/smoke.rs"), "{err}");
        assert!(try_it_block("no section").is_err());
        assert!(try_it_block("### Try it\n```sh\nunclosed").is_err());
    }

    #[test]
    fn the_try_it_answers_must_come_in_order() {
        let good = r#"{"access_token":"a","refresh_token":"r"}{"sub":"x","username":"admin"}{"access_token":"b","refresh_token":"s"}{"logged_out":true}{"error":"token_revoked"}"#;
        assert!(check_try_it_output(good).is_ok());
        let still_valid = good.replace(r#"{"error":"token_revoked"}"#, r#"{"sub":"x"}"#);
        assert!(check_try_it_output(&still_valid).is_err());
        let failed_login = r#"{"error":"invalid_credentials"}{"error":"token_revoked"}"#;
        assert!(check_try_it_output(failed_login).is_err());
    }

    #[test]
    fn lines_are_matched_whole() {
        let want = expected("x");
        assert!(
            assert_lines(
                "t",
                "x: verified sub=newcomer\nx: rejected invalid_signature\n",
                &want
            )
            .is_ok()
        );
        let err = assert_lines("t", "x: verified sub=newcomer2\n", &want).expect_err("partial");
        assert!(err.contains("verified sub=newcomer"), "{err}");
    }
}
