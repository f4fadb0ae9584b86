//! Shared helpers: the project root, running commands with progress, finding tools.
//!
//! Progress: a multi-step command (`test`, `bench`, `dist`, `lint`) runs its steps through
//! [`run_steps`], which prints `[n/N] name: what` when a step starts, its elapsed seconds
//! when it ends, what to do next when it fails, and a summary table at the end. Lines
//! printed by [`step`] inside a step carry the same `[n/N]` and the seconds since the
//! step began, so a long build shows where it is.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::Instant;

/// Every xtask step returns this; the error says what failed and what to do.
pub type Result<T = ()> = std::result::Result<T, String>;

/// Paths every area needs.
pub struct Ctx {
    /// The workspace root.
    pub root: PathBuf,
    /// The shared cargo target directory.
    pub target: PathBuf,
    /// `target/dist`, where `dist` writes artifacts.
    pub dist: PathBuf,
    /// `../shared` next to the checkout, if present (vectors, guidance).
    pub shared: Option<PathBuf>,
}

impl Ctx {
    /// The same paths with artifacts going to `dist` instead of `target/dist` (the smoke
    /// test builds quick debug artifacts elsewhere, so `target/dist` keeps release ones).
    pub fn with_dist(&self, dist: PathBuf) -> Ctx {
        Ctx {
            root: self.root.clone(),
            target: self.target.clone(),
            dist,
            shared: self.shared.clone(),
        }
    }

    pub fn new() -> Result<Self> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .ok_or("xtask is not inside the workspace")?
            .to_path_buf();
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join("target"));
        let shared = root
            .parent()
            .map(|p| p.join("shared"))
            .filter(|p| p.is_dir());
        Ok(Ctx {
            dist: target.join("dist"),
            root,
            target,
            shared,
        })
    }

    /// Run cargo in the workspace root.
    pub fn cargo(&self, args: &[&str]) -> Result {
        run(Command::new(cargo_bin()).args(args).current_dir(&self.root))
    }
}

/// The cargo that runs us.
pub fn cargo_bin() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// The step [`run_steps`] is running: `(n, N, started)`.
static CURRENT: Mutex<Option<(usize, usize, Instant)>> = Mutex::new(None);

/// Print a progress line, with `[n/N]` and the seconds since the step began when inside
/// [`run_steps`].
pub fn step(msg: &str) {
    let current = *CURRENT.lock().unwrap_or_else(|e| e.into_inner());
    match current {
        Some((n, total, started)) => eprintln!(
            "\n==> [{n}/{total}] {msg} (+{:.0}s)",
            started.elapsed().as_secs_f32()
        ),
        None => eprintln!("\n==> {msg}"),
    }
}

/// One step of a multi-step command: its name (an area, or a lint check), what it does
/// (`test`, `dist`, ...), and the command that re-runs just this step.
pub struct Step<'a> {
    pub name: &'a str,
    pub what: &'a str,
    pub rerun: String,
    pub run: Box<dyn FnOnce() -> Result + 'a>,
}

/// How a step ended.
pub struct Outcome {
    pub name: String,
    pub what: String,
    pub secs: f32,
    pub error: Option<String>,
}

/// Run every step (a failure does not stop the others), print progress, what to do after
/// each failure and a summary table; fail naming the failed steps.
pub fn run_steps(steps: Vec<Step<'_>>) -> Result {
    let total = steps.len();
    let mut outcomes = Vec::new();
    let mut hints = Vec::new();
    for (i, s) in steps.into_iter().enumerate() {
        let n = i + 1;
        eprintln!("\n[{n}/{total}] {}: {}", s.name, s.what);
        let started = Instant::now();
        *CURRENT.lock().unwrap_or_else(|e| e.into_inner()) = Some((n, total, started));
        let result = (s.run)();
        *CURRENT.lock().unwrap_or_else(|e| e.into_inner()) = None;
        let secs = started.elapsed().as_secs_f32();
        match &result {
            Ok(()) => eprintln!("[{n}/{total}] {}: {} passed in {secs:.1}s", s.name, s.what),
            Err(e) => {
                let next = next_steps(e, &s.rerun);
                eprintln!(
                    "[{n}/{total}] {}: {} FAILED after {secs:.1}s\n    error: {e}\n{next}",
                    s.name, s.what
                );
                hints.push(format!("{} {}:\n{next}", s.name, s.what));
            }
        }
        outcomes.push(Outcome {
            name: s.name.to_owned(),
            what: s.what.to_owned(),
            secs,
            error: result.err(),
        });
    }
    eprintln!("\n{}", summary(&outcomes));
    let failed: Vec<String> = outcomes
        .iter()
        .filter(|o| o.error.is_some())
        .map(|o| format!("{} {}", o.name, o.what))
        .collect();
    if failed.is_empty() {
        Ok(())
    } else {
        eprintln!("what to do next:\n{}", hints.join("\n"));
        Err(format!("failed: {}", failed.join(", ")))
    }
}

/// The summary table: one row per step with its time and result.
pub fn summary(outcomes: &[Outcome]) -> String {
    let width = outcomes
        .iter()
        .map(|o| o.name.len() + o.what.len() + 1)
        .max()
        .unwrap_or(0)
        .max(4);
    let mut t = format!("{:<width$}  {:>8}  result\n", "step", "seconds");
    for o in outcomes {
        let step = format!("{} {}", o.name, o.what);
        let result = if o.error.is_some() {
            "FAILED"
        } else {
            "passed"
        };
        t.push_str(&format!("{step:<width$}  {:>8.1}  {result}\n", o.secs));
    }
    let total: f32 = outcomes.iter().map(|o| o.secs).sum();
    t.push_str(&format!("{:<width$}  {total:>8.1}\n", "total"));
    t
}

/// The Debian package (or other source) that provides a tool, for "install X" advice.
fn provider(tool: &str) -> Option<&'static str> {
    Some(match tool {
        "python3" | "python" => "apt-get install python3 python3-venv",
        "node" | "npm" | "npx" => "apt-get install nodejs npm (Node.js 18+)",
        "mvn" => "apt-get install maven",
        "java" | "javac" | "jar" => "apt-get install openjdk-17-jdk-headless",
        "redis-server" => "apt-get install redis-server",
        "wrk" => "apt-get install wrk",
        "jq" => "apt-get install jq",
        "curl" => "apt-get install curl",
        "bash" => "apt-get install bash",
        "maturin" | "pytest" => {
            "pip install -r bindings/python/requirements-test.txt (xtask does it in \
             <target>/py-venv; delete that folder to rebuild it)"
        }
        "cargo-fmt" | "rustfmt" => "rustup component add rustfmt",
        "cargo-clippy" | "clippy-driver" => "rustup component add clippy",
        "actionlint" | "go" => {
            "apt-get install golang-go (xtask then installs the pinned actionlint)"
        }
        _ => return None,
    })
}

/// What to do after a failure: install the missing tool the error names (`cannot start
/// `tool``), then re-run just the failed step.
pub fn next_steps(error: &str, rerun: &str) -> String {
    let mut out = String::new();
    let mut rest = error;
    while let Some(i) = rest.find("cannot start `") {
        rest = &rest[i + "cannot start `".len()..];
        let Some(end) = rest.find('`') else { break };
        let program = &rest[..end];
        let tool = Path::new(program)
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or(program);
        match provider(tool) {
            Some(how) => out.push_str(&format!("    `{tool}` is missing: {how}\n")),
            None => out.push_str(&format!(
                "    `{tool}` is missing: install it or put it on PATH\n"
            )),
        }
    }
    out.push_str(&format!("    re-run just this step: {rerun}\n"));
    out
}

/// `cannot start `program` (error); command`: the form [`next_steps`] reads.
fn cannot_start(cmd: &Command, shown: &str, e: &std::io::Error) -> String {
    format!(
        "cannot start `{}` ({e}): {shown}",
        cmd.get_program().to_string_lossy()
    )
}

/// Run a command, streaming its output; fail with the command line and exit status.
pub fn run(cmd: &mut Command) -> Result {
    let shown = format!("{cmd:?}");
    eprintln!("    $ {shown}");
    let start = Instant::now();
    let status = cmd.status().map_err(|e| cannot_start(cmd, &shown, &e))?;
    let took = start.elapsed().as_secs_f32();
    if status.success() {
        eprintln!("    ok ({took:.1}s)");
        Ok(())
    } else {
        Err(format!("{shown} exited with {status} after {took:.1}s"))
    }
}

/// Run a command and capture stdout.
pub fn output(cmd: &mut Command) -> Result<String> {
    let shown = format!("{cmd:?}");
    let out = cmd.output().map_err(|e| cannot_start(cmd, &shown, &e))?;
    if !out.status.success() {
        return Err(format!(
            "{shown} exited with {}: {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// True if `tool` runs (`tool --version` succeeds).
pub fn have(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// `cargo fmt` plus each binding's formatter where installed.
pub fn fmt(ctx: &Ctx) -> Result {
    ctx.cargo(&["fmt", "--all"])
}

/// Replace the text between `<!-- {tag}:begin -->` and `<!-- {tag}:end -->` in the
/// markdown file `path` with `body` (appending the marked section when absent, creating
/// the file with `title` when missing). Each area owns its own markers, e.g. in
/// `docs/performance.md`, so areas never overwrite each other's sections.
pub fn write_marked_section(path: &Path, title: &str, tag: &str, body: &str) -> Result {
    let begin = format!("<!-- {tag}:begin -->");
    let end = format!("<!-- {tag}:end -->");
    let old = std::fs::read_to_string(path).unwrap_or_else(|_| format!("{title}\n"));
    let block = format!("{begin}\n{}\n{end}", body.trim_end());
    let new = match (old.find(&begin), old.find(&end)) {
        (Some(b), Some(e)) if e > b => format!("{}{block}{}", &old[..b], &old[e + end.len()..]),
        _ => format!("{}\n\n{block}\n", old.trim_end()),
    };
    std::fs::write(path, new).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    eprintln!("    updated {} ({tag} section)", path.display());
    // The section's chart (docs/img/perf-TAG.svg) follows its table.
    crate::charts::refresh(path).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_tool_names_its_package_and_the_rerun_command() {
        let err = cannot_start(
            &Command::new("/usr/local/bin/mvn"),
            "\"mvn\" \"test\"",
            &std::io::Error::from(std::io::ErrorKind::NotFound),
        );
        let next = next_steps(&err, "cargo xtask test --only kotlin");
        assert!(
            next.contains("`mvn` is missing: apt-get install maven"),
            "{next}"
        );
        assert!(next.contains("re-run just this step: cargo xtask test --only kotlin"));
    }

    #[test]
    fn an_unknown_tool_is_still_named_and_other_errors_get_the_rerun_only() {
        let next = next_steps("cannot start `frobnicate` (not found): x", "r");
        assert!(next.contains("`frobnicate` is missing: install it or put it on PATH"));
        let next = next_steps("cargo test exited with 101", "cargo xtask test --only rust");
        assert_eq!(
            next,
            "    re-run just this step: cargo xtask test --only rust\n"
        );
    }

    #[test]
    fn the_summary_lists_every_step_with_its_result() {
        let outcome = |name: &str, secs, error: Option<&str>| Outcome {
            name: name.into(),
            what: "test".into(),
            secs,
            error: error.map(str::to_owned),
        };
        let table = summary(&[
            outcome("rust", 12.0, None),
            outcome("python", 3.5, Some("x")),
        ]);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 4, "{table}");
        assert!(lines[1].starts_with("rust test") && lines[1].ends_with("12.0  passed"));
        assert!(lines[2].starts_with("python test") && lines[2].ends_with("3.5  FAILED"));
        assert!(lines[3].starts_with("total") && lines[3].ends_with("15.5"));
    }

    #[test]
    fn run_steps_runs_every_step_and_fails_naming_the_failed_ones() {
        let ran = std::cell::Cell::new(0);
        let step = |name: &'static str, ok: bool| Step {
            name,
            what: "test",
            rerun: format!("cargo xtask test --only {name}"),
            run: Box::new({
                let ran = &ran;
                move || {
                    ran.set(ran.get() + 1);
                    if ok { Ok(()) } else { Err("boom".into()) }
                }
            }),
        };
        let err = run_steps(vec![step("a", false), step("b", true), step("c", false)])
            .expect_err("two steps failed");
        assert_eq!(ran.get(), 3);
        assert_eq!(err, "failed: a test, c test");
        assert!(run_steps(vec![step("d", true)]).is_ok());
    }
}
