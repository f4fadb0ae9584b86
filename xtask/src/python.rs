//! The Python package (`bindings/python`, import name `jwt_core`).
//!
//! Everything runs in a virtualenv under the target directory (`<target>/py-venv`), made
//! with the `python3` on PATH and filled from the pinned `requirements-test.txt`; the
//! extension is built by maturin into a wheel and installed from it, so the tests run the
//! same artifact a user installs.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{self, Ctx, Result};

/// The binding's folder.
fn pkg(ctx: &Ctx) -> PathBuf {
    ctx.root.join("bindings/python")
}

/// A program inside the venv.
fn venv_bin(ctx: &Ctx, name: &str) -> PathBuf {
    ctx.target.join("py-venv/bin").join(name)
}

/// Create the venv (once) and install the pinned test requirements (again only when the
/// requirements file changed since the last install).
fn venv(ctx: &Ctx) -> Result {
    let dir = ctx.target.join("py-venv");
    if !venv_bin(ctx, "python").exists() {
        util::step(&format!("python: create virtualenv {}", dir.display()));
        if !util::have("python3") {
            return Err(
                "python3 is not installed (Python 3.9+ with the venv module is needed)".into(),
            );
        }
        util::run(Command::new("python3").arg("-m").arg("venv").arg(&dir))?;
    }
    let reqs = pkg(ctx).join("requirements-test.txt");
    let wanted = std::fs::read_to_string(&reqs).map_err(|e| format!("{}: {e}", reqs.display()))?;
    let stamp = dir.join("requirements-installed.txt");
    if std::fs::read_to_string(&stamp).ok().as_deref() != Some(wanted.as_str()) {
        util::step("python: pip install -r bindings/python/requirements-test.txt");
        util::run(
            Command::new(venv_bin(ctx, "python"))
                .args([
                    "-m",
                    "pip",
                    "install",
                    "--disable-pip-version-check",
                    "-q",
                    "-r",
                ])
                .arg(&reqs),
        )?;
        std::fs::write(&stamp, wanted).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// A maturin command in the binding folder, running in the venv.
fn maturin(ctx: &Ctx) -> Command {
    let mut cmd = Command::new(venv_bin(ctx, "maturin"));
    cmd.current_dir(pkg(ctx))
        .env("VIRTUAL_ENV", ctx.target.join("py-venv"))
        .env("CARGO_TARGET_DIR", &ctx.target);
    cmd
}

/// The newest `jwt_core-*.whl` in `dir`.
fn newest_wheel(dir: &Path) -> Result<PathBuf> {
    let mut wheels: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("jwt_core-") && n.ends_with(".whl"))
        })
        .collect();
    wheels.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
    wheels
        .pop()
        .ok_or_else(|| format!("no jwt_core wheel in {}", dir.display()))
}

/// Build a wheel (`release` for benchmarks) into `out` and install it into the venv.
fn build_and_install(ctx: &Ctx, out: &Path, release: bool) -> Result<PathBuf> {
    let _ = std::fs::remove_dir_all(out);
    util::step(&format!(
        "python: maturin build ({}) and install the wheel into the venv",
        if release { "release" } else { "debug" }
    ));
    let mut cmd = maturin(ctx);
    cmd.args(["build", "--interpreter"])
        .arg(venv_bin(ctx, "python"))
        .arg("--out")
        .arg(out);
    if release {
        cmd.arg("--release");
    }
    util::run(&mut cmd)?;
    let wheel = newest_wheel(out)?;
    util::run(
        Command::new(venv_bin(ctx, "python"))
            .args([
                "-m",
                "pip",
                "install",
                "--disable-pip-version-check",
                "-q",
                "--no-deps",
                "--force-reinstall",
            ])
            .arg(&wheel),
    )?;
    Ok(wheel)
}

/// A wheel built like `test` builds it (`release` for `dist`-grade), into `out`; for the
/// newcomer smoke test, which installs it into a fresh venv of its own.
pub fn wheel(ctx: &Ctx, out: &Path, release: bool) -> Result<PathBuf> {
    venv(ctx)?;
    build_and_install(ctx, out, release)
}

/// Build the wheel, install it, run pytest (API, attacks, corpus, Wycheproof, PyJWT
/// interop and examples, installing the wheel into a fresh venv) and stubtest.
pub fn test(ctx: &Ctx) -> Result {
    venv(ctx)?;
    let wheel = build_and_install(ctx, &ctx.target.join("py-wheel"), false)?;
    util::step("python: pytest bindings/python/tests");
    let mut pytest = Command::new(venv_bin(ctx, "python"));
    pytest
        .args(["-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"])
        .current_dir(pkg(ctx))
        .env("JWT_CORE_WHEEL", &wheel);
    util::run(&mut pytest)?;
    pyjwt_suite(ctx)?;
    util::step("python: mypy.stubtest jwt_core (stubs match the module)");
    util::run(
        Command::new(venv_bin(ctx, "python"))
            .args([
                "-m",
                "mypy.stubtest",
                "jwt_core",
                "--allowlist",
                "stubtest-allowlist.txt",
            ])
            .current_dir(pkg(ctx)),
    )
}

/// The PyJWT release whose own test suite `jwt_core` is measured by.
const PYJWT_SUITE: &str = "2.15.1";
/// SHA-256 of `pyjwt-2.15.1.tar.gz`, PyJWT's sdist as pip downloads it.
const PYJWT_SUITE_SHA256: &str = "4f259e80cdfb6b3fc18a7de51fd1ef9ec79652f25019bae68975ca2468a34df8";

/// PyJWT 2.15.1's own `tests/` (from its sdist, fetched with pip like any test dependency
/// and checked against the pinned SHA-256) run against `jwt_core` imported as `jwt`
/// (`peer/pyjwt_as_jwt.py`), with `peer/pyjwt-expected-failures.txt` enforced both ways.
/// `JWT_CORE_PYJWT_BASELINE=1` also runs it against the real PyJWT from the venv.
fn pyjwt_suite(ctx: &Ctx) -> Result {
    let dir = ctx.target.join("pyjwt-suite");
    let sdist = dir.join(format!("pyjwt-{PYJWT_SUITE}.tar.gz"));
    if !sdist.exists() {
        util::step(&format!(
            "python: pip download pyjwt=={PYJWT_SUITE} (sdist, for its test suite)"
        ));
        util::run(
            Command::new(venv_bin(ctx, "python"))
                .args(["-m", "pip", "download", "--disable-pip-version-check", "-q"])
                .arg(format!("pyjwt=={PYJWT_SUITE}"))
                .args(["--no-deps", "--no-binary", ":all:", "-d"])
                .arg(&dir),
        )?;
    }
    let unpacked = dir.join(format!("pyjwt-{PYJWT_SUITE}"));
    util::run(
        Command::new(venv_bin(ctx, "python"))
            .arg(pkg(ctx).join("peer/unpack_sdist.py"))
            .arg(&sdist)
            .arg(PYJWT_SUITE_SHA256)
            .arg(&unpacked),
    )?;
    let peer = pkg(ctx).join("peer");
    let run = |real: bool| {
        let mut cmd = Command::new(venv_bin(ctx, "python"));
        // `-m pyjwt_as_jwt`: the `jwt` aliases are in place before pytest starts
        cmd.args([
            "-m",
            "pyjwt_as_jwt",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests",
        ])
        .current_dir(&unpacked)
        .env("PYTHONPATH", &peer)
        .env(
            "JWT_CORE_PYJWT_EXPECTED",
            peer.join("pyjwt-expected-failures.txt"),
        );
        if real {
            cmd.env("JWT_CORE_PYJWT_REAL", "1");
        }
        util::run(&mut cmd)
    };
    if std::env::var_os("JWT_CORE_PYJWT_BASELINE").is_some() {
        util::step(&format!(
            "python: PyJWT {PYJWT_SUITE}'s suite against the real PyJWT (baseline)"
        ));
        run(true)?;
    }
    util::step(&format!(
        "python: PyJWT {PYJWT_SUITE}'s suite against jwt_core as jwt"
    ));
    run(false)
}

/// jwt_core, PyJWT and joserfc side by side (release build), printed as ratio tables and
/// written to `docs/performance.md` between the `python` markers.
pub fn bench(ctx: &Ctx) -> Result {
    venv(ctx)?;
    build_and_install(ctx, &ctx.target.join("py-wheel-release"), true)?;
    util::step("python: bench/bench.py (jwt_core vs PyJWT vs joserfc; about a minute)");
    util::run(
        Command::new(venv_bin(ctx, "python"))
            .arg("bench/bench.py")
            .arg("--write-docs")
            .arg(ctx.root.join("docs/performance.md"))
            .current_dir(pkg(ctx)),
    )
}

/// A portable wheel into `target/dist/`: manylinux2014 through zig (ziglang from PyPI),
/// or, if that fails, the native platform tag (said so on the console). The wheel is then
/// installed into a fresh venv with no Rust toolchain on PATH and imported.
pub fn dist(ctx: &Ctx) -> Result {
    venv(ctx)?;
    util::step("python: pip install ziglang (pinned in requirements-dist.txt)");
    util::run(
        Command::new(venv_bin(ctx, "python"))
            .args([
                "-m",
                "pip",
                "install",
                "--disable-pip-version-check",
                "-q",
                "-r",
                "requirements-dist.txt",
            ])
            .current_dir(pkg(ctx)),
    )?;
    std::fs::create_dir_all(&ctx.dist).map_err(|e| e.to_string())?;
    util::step("python: maturin build --release --zig --compatibility manylinux2014");
    let mut zig = maturin(ctx);
    zig.args([
        "build",
        "--release",
        "--zig",
        "--compatibility",
        "manylinux2014",
        "--interpreter",
    ])
    .arg(venv_bin(ctx, "python"))
    .arg("--out")
    .arg(&ctx.dist)
    // maturin finds `python -m ziglang` through the venv's python first on PATH.
    .env("PATH", prepend_path(&ctx.target.join("py-venv/bin")));
    if let Err(e) = util::run(&mut zig) {
        eprintln!(
            "    zig build failed ({e}); FALLING BACK to a native-tagged wheel (not portable)"
        );
        let mut native = maturin(ctx);
        native
            .args(["build", "--release", "--interpreter"])
            .arg(venv_bin(ctx, "python"))
            .arg("--out")
            .arg(&ctx.dist);
        util::run(&mut native)?;
    }
    let wheel = newest_wheel(&ctx.dist)?;
    eprintln!("    wheel: {}", wheel.display());
    util::step("python: install the wheel into a fresh venv without cargo on PATH");
    util::run(
        Command::new(venv_bin(ctx, "python"))
            .args([
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                // conftest.py imports jwt_core from the test venv, which `dist` alone (a
                // fresh clone's first command) has not installed; this test needs none
                // of its fixtures.
                "--noconftest",
                "tests/test_wheel.py",
            ])
            .current_dir(pkg(ctx))
            .env("JWT_CORE_WHEEL", &wheel),
    )
}

fn prepend_path(dir: &Path) -> std::ffi::OsString {
    let mut paths = vec![dir.to_path_buf()];
    if let Some(p) = std::env::var_os("PATH") {
        paths.extend(std::env::split_paths(&p));
    }
    std::env::join_paths(paths).unwrap_or_default()
}

/// The stubs (`jwt_core/*.pyi`) are written by hand and checked by stubtest in `test`.
pub fn codegen(_ctx: &Ctx, _check: bool) -> Result {
    Ok(())
}
