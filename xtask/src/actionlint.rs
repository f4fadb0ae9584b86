//! `actionlint` over `.github/workflows/` (with shellcheck on the `run:` scripts when it
//! is installed). Uses `actionlint` from PATH, else installs the pinned version once with
//! `go install` into `target/tools/bin`; without Go it says how to get it and skips.

use std::path::PathBuf;
use std::process::Command;

use crate::util::{self, Ctx, Result};

/// The actionlint release the workflows are checked with.
const VERSION: &str = "v1.7.12";

/// Lint every workflow file; fails on any finding.
pub fn check(ctx: &Ctx) -> Result {
    util::step("lint: actionlint (.github/workflows)");
    let Some(bin) = find_or_install(ctx)? else {
        return Ok(());
    };
    // The files explicitly: actionlint alone would look for them through `git`.
    let dir = ctx.root.join(".github").join("workflows");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("cannot list {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yml" || x == "yaml"))
        .collect();
    files.sort();
    util::run(Command::new(bin).args(&files).current_dir(&ctx.root))
}

fn find_or_install(ctx: &Ctx) -> Result<Option<PathBuf>> {
    if util::have("actionlint") {
        return Ok(Some("actionlint".into()));
    }
    let tools = ctx.target.join("tools").join("bin");
    let local = tools.join(format!("actionlint{}", std::env::consts::EXE_SUFFIX));
    if local.is_file() {
        return Ok(Some(local));
    }
    // `go version`, not `--version` (Go has no such flag). The Go toolchain of the
    // machine image lives in /usr/local/go, which a non-login shell may not have on PATH.
    let Some(go) = ["go", "/usr/local/go/bin/go"].into_iter().find(|go| {
        Command::new(go)
            .arg("version")
            .output()
            .is_ok_and(|o| o.status.success())
    }) else {
        eprintln!(
            "    NOT RUN: actionlint is not installed and no Go toolchain is available to \
             build it;\n    install Go (1.22+), or \
             `go install github.com/rhysd/actionlint/cmd/actionlint@{VERSION}`"
        );
        return Ok(None);
    };
    eprintln!(
        "    installing actionlint {VERSION} into {} (go install, once)",
        tools.display()
    );
    util::run(
        Command::new(go)
            .args([
                "install",
                &format!("github.com/rhysd/actionlint/cmd/actionlint@{VERSION}"),
            ])
            .env("GOBIN", &tools),
    )?;
    Ok(Some(local))
}
