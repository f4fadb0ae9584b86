//! Shared helpers: the project root, running commands with progress, finding tools.
//!
//! Progress: a multi-step command (`test`, `bench`, `dist`, `lint`) runs its steps through
//! [`run_steps`], which prints `[n/N] name: what` when a step starts, its elapsed seconds
//! when it ends, what to do next when it fails, and a summary table at the end. Lines
//! printed by [`step`] inside a step carry the same `[n/N]` and the seconds since the
//! step began, so a long build shows where it is.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
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
        // `cargo run` sets CARGO_MANIFEST_DIR for the process too: read it at run time, so
        // an xtask binary built for another clone (one target dir shared between clones)
        // still works on the checkout it was run from.
        let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
        let root = manifest
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
/// The test counts of the running step (None: no test runner has reported yet).
static STEP_COUNTS: Mutex<Option<Counts>> = Mutex::new(None);
/// Suites the running step could not run because something optional is absent (the
/// peer suites without `../shared`): listed in the summary, not a failure.
static STEP_ABSENT: Mutex<Vec<String>> = Mutex::new(Vec::new());
/// `--allow-skip`: skipped tests are reported but do not fail the run.
static ALLOW_SKIP: AtomicBool = AtomicBool::new(false);

/// Accept skipped tests (`--allow-skip`); by default a skip fails its step.
pub fn allow_skip(on: bool) {
    ALLOW_SKIP.store(on, Ordering::Relaxed);
}

/// True under `--allow-skip`.
pub fn skips_allowed() -> bool {
    ALLOW_SKIP.load(Ordering::Relaxed)
}

#[allow(dead_code)] // called by the peer-suite steps (python.rs, node.rs) once they land
/// Say loudly that an optional suite cannot run (what is absent, how to get it); the
/// summary lists it beside the step. Only for suites whose inputs are not part of the
/// repository (the peer suites in `../shared/peer-suites`).
pub fn absent(what: &str) {
    eprintln!("\n    !!!!!!!!\n    !!! NOT RUN: {what}\n    !!!!!!!!\n");
    STEP_ABSENT
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(what.to_owned());
}

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
    /// The tests its commands reported, if any ran a test runner.
    pub counts: Option<Counts>,
    /// Optional suites it could not run (see [`absent`]).
    pub absent: Vec<String>,
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
        *STEP_COUNTS.lock().unwrap_or_else(|e| e.into_inner()) = None;
        STEP_ABSENT
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        let mut result = (s.run)();
        *CURRENT.lock().unwrap_or_else(|e| e.into_inner()) = None;
        let counts = STEP_COUNTS.lock().unwrap_or_else(|e| e.into_inner()).take();
        let absent = std::mem::take(&mut *STEP_ABSENT.lock().unwrap_or_else(|e| e.into_inner()));
        if let Some(c) = counts {
            if result.is_ok() && c.failed > 0 {
                result = Err(format!("{} tests failed", c.failed));
            }
            if result.is_ok() && c.skipped > 0 && !ALLOW_SKIP.load(Ordering::Relaxed) {
                result = Err(format!(
                    "{} tests were skipped: a skip is an error (find the reason in the \
                     output above; `--allow-skip` accepts skips)",
                    c.skipped
                ));
            }
        }
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
            counts,
            absent,
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

/// The summary table: one row per step with its tests run, passed, failed and skipped,
/// its seconds and result; a total row; then `N passed, M failed` (and the skips).
pub fn summary(outcomes: &[Outcome]) -> String {
    let width = outcomes
        .iter()
        .map(|o| o.name.len() + o.what.len() + 1)
        .max()
        .unwrap_or(0)
        .max(5);
    let mut t = format!(
        "{:<width$}  {:>6}  {:>6}  {:>6}  {:>7}  {:>8}  result\n",
        "step", "run", "passed", "failed", "skipped", "seconds"
    );
    let cell =
        |c: Option<Counts>, f: fn(&Counts) -> u64| c.map_or("-".to_owned(), |c| f(&c).to_string());
    let mut total = Counts::default();
    for o in outcomes {
        let step = format!("{} {}", o.name, o.what);
        let mut result = if o.error.is_some() {
            "FAILED"
        } else {
            "passed"
        }
        .to_owned();
        for a in &o.absent {
            result.push_str(&format!(" (not run: {a})"));
        }
        t.push_str(&format!(
            "{step:<width$}  {:>6}  {:>6}  {:>6}  {:>7}  {:>8.1}  {result}\n",
            cell(o.counts, Counts::run),
            cell(o.counts, |c| c.passed),
            cell(o.counts, |c| c.failed),
            cell(o.counts, |c| c.skipped),
            o.secs
        ));
        total += o.counts.unwrap_or_default();
    }
    let secs: f32 = outcomes.iter().map(|o| o.secs).sum();
    t.push_str(&format!(
        "{:<width$}  {:>6}  {:>6}  {:>6}  {:>7}  {secs:>8.1}\n",
        "total",
        total.run(),
        total.passed,
        total.failed,
        total.skipped
    ));
    t.push_str(&format!("{} passed, {} failed", total.passed, total.failed));
    if total.skipped > 0 {
        t.push_str(&format!(", {} skipped", total.skipped));
    }
    t.push('\n');
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
            "install Go 1.22+ (xtask then installs the pinned actionlint with it)"
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
///
/// The output goes through line by line, and every test runner's summary line in it
/// (cargo test, pytest, node's test runner, mocha, Maven surefire) adds to the counts of
/// the step that is running (see [`Counts`]), so every area reports them without code of
/// its own.
pub fn run(cmd: &mut Command) -> Result {
    let shown = format!("{cmd:?}");
    eprintln!("    $ {shown}");
    let start = Instant::now();
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().map_err(|e| cannot_start(cmd, &shown, &e))?;
    let out = child
        .stdout
        .take()
        .map(|o| std::thread::spawn(move || pump(o, false)));
    let err = child
        .stderr
        .take()
        .map(|e| std::thread::spawn(move || pump(e, true)));
    let status = child.wait().map_err(|e| format!("{shown}: {e}"))?;
    let mut counts = Counts::default();
    for pumped in [out, err].into_iter().flatten() {
        counts += pumped.join().unwrap_or_default();
    }
    let mut current = STEP_COUNTS.lock().unwrap_or_else(|e| e.into_inner());
    *current = Some(current.unwrap_or_default() + counts);
    drop(current);
    let took = start.elapsed().as_secs_f32();
    if status.success() {
        eprintln!("    ok ({took:.1}s)");
        Ok(())
    } else {
        Err(format!("{shown} exited with {status} after {took:.1}s"))
    }
}

/// Copy a child's output to ours line by line, counting the test summary lines in it.
fn pump(from: impl Read, to_stderr: bool) -> Counts {
    let mut reader = BufReader::new(from);
    let mut line = Vec::new();
    let mut counts = Counts::default();
    while reader.read_until(b'\n', &mut line).is_ok_and(|n| n > 0) {
        let text = String::from_utf8_lossy(&line);
        if let Some(c) = Counts::parse_line(&text) {
            counts += c;
        }
        // Through the print macros, so that a test harness capturing output captures this.
        if to_stderr {
            eprint!("{text}");
        } else {
            print!("{text}");
        }
        line.clear();
    }
    counts
}

/// Tests passed, failed and skipped, summed over the summary lines a step's commands
/// printed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub passed: u64,
    pub failed: u64,
    pub skipped: u64,
}

impl std::ops::Add for Counts {
    type Output = Counts;
    fn add(self, o: Counts) -> Counts {
        Counts {
            passed: self.passed + o.passed,
            failed: self.failed + o.failed,
            skipped: self.skipped + o.skipped,
        }
    }
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, o: Counts) {
        *self = *self + o;
    }
}

impl Counts {
    /// Tests run: passed + failed + skipped.
    pub fn run(&self) -> u64 {
        self.passed + self.failed + self.skipped
    }

    /// The counts one runner's summary line stands for, if it is one:
    /// - cargo test: `test result: ok. 17 passed; 0 failed; 3 ignored; ...`
    /// - pytest: `1276 passed, 1 skipped in 99.12s` (also `==== ... ====` and `-q`)
    /// - node's test runner (spec or TAP): `ℹ pass 118`, `# fail 0`, `ℹ skipped 2`, `todo`
    /// - mocha: `  493 passing (2s)`, `  3 failing`, `  2 pending`
    /// - Maven surefire's totals: `Tests run: 511, Failures: 0, Errors: 0, Skipped: 0`
    ///   (the per-class lines, which carry `Time elapsed`, are not totals)
    pub fn parse_line(line: &str) -> Option<Counts> {
        let line = strip_ansi(line);
        let line = line.trim();
        let mut c = Counts::default();
        if let Some(rest) = line.split_once("test result: ").map(|(_, r)| r) {
            c.passed = number_before(rest, " passed")?;
            c.failed = number_before(rest, " failed")?;
            c.skipped = number_before(rest, " ignored").unwrap_or(0);
            return Some(c);
        }
        if let Some(rest) = line.split_once("Tests run: ").map(|(_, r)| r) {
            if line.contains("Time elapsed") {
                return None;
            }
            let run = leading_number(rest)?;
            let failures = number_after(rest, "Failures: ")?;
            let errors = number_after(rest, "Errors: ").unwrap_or(0);
            c.skipped = number_after(rest, "Skipped: ").unwrap_or(0);
            c.failed = failures + errors;
            c.passed = run.saturating_sub(c.failed + c.skipped);
            return Some(c);
        }
        for prefix in ["ℹ ", "# "] {
            if let Some(rest) = line.strip_prefix(prefix) {
                let (word, n) = rest.split_once(' ')?;
                let n: u64 = n.trim().parse().ok()?;
                match word {
                    "pass" => c.passed = n,
                    "fail" | "cancelled" => c.failed = n,
                    "skipped" | "todo" => c.skipped = n,
                    _ => return None,
                }
                return Some(c);
            }
        }
        // mocha: the whole line is `N passing (time)`, `N failing` or `N pending`.
        if let Some((n, word)) = line.split_once(' ')
            && let Ok(n) = n.parse::<u64>()
        {
            match word.split_whitespace().next().unwrap_or("") {
                "passing" => return Some(Counts { passed: n, ..c }),
                "failing" => return Some(Counts { failed: n, ..c }),
                "pending" => return Some(Counts { skipped: n, ..c }),
                _ => {}
            }
        }
        // pytest: `N passed, M failed, K skipped, E errors in 1.23s`, maybe framed in `=`.
        let body = line.trim_matches(|ch: char| ch == '=' || ch.is_whitespace());
        let (list, time) = body.rsplit_once(" in ")?;
        if !time.starts_with(|ch: char| ch.is_ascii_digit()) || !time.contains('s') {
            return None;
        }
        let mut any = false;
        for part in list.split(", ") {
            let (n, word) = part.trim().split_once(' ')?;
            let n: u64 = n.parse().ok()?;
            match word {
                "passed" | "xpassed" => c.passed += n,
                "failed" | "error" | "errors" => c.failed += n,
                "skipped" | "xfailed" | "deselected" => c.skipped += n,
                "warning" | "warnings" | "rerun" => {}
                _ => return None,
            }
            any = true;
        }
        any.then_some(c)
    }
}

/// The line without terminal colour codes (`ESC [ ... m`).
fn strip_ansi(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(ch) = chars.next() {
        if ch == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(ch);
        }
    }
    out
}

fn leading_number(s: &str) -> Option<u64> {
    let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// `12` in `... 12 passed ...` for `marker` = `" passed"`.
fn number_before(s: &str, marker: &str) -> Option<u64> {
    let head = &s[..s.find(marker)?];
    let digits: String = head
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    digits.parse().ok()
}

/// `3` in `... Failures: 3, ...` for `marker` = `"Failures: "`.
fn number_after(s: &str, marker: &str) -> Option<u64> {
    leading_number(&s[s.find(marker)? + marker.len()..])
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

/// True if `cargo NAME --version` succeeds (rustup components such as fmt and clippy).
pub fn have_cargo_subcommand(name: &str) -> bool {
    Command::new(cargo_bin())
        .args([name, "--version"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// `cargo fmt` plus each binding's formatter where installed.
pub fn fmt(ctx: &Ctx) -> Result {
    ctx.cargo(&["fmt", "--all"])
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
        let outcome = |name: &str, secs, error: Option<&str>, counts| Outcome {
            name: name.into(),
            what: "test".into(),
            secs,
            error: error.map(str::to_owned),
            counts,
            absent: vec![],
        };
        let c = |passed, failed, skipped| Counts {
            passed,
            failed,
            skipped,
        };
        let mut node = outcome("node", 2.0, None, Some(c(490, 0, 0)));
        node.absent.push("jsonwebtoken's suite".into());
        let table = summary(&[
            outcome("rust", 12.0, None, Some(c(100, 0, 2))),
            outcome("python", 3.5, Some("x"), Some(c(10, 1, 0))),
            outcome("docs", 1.0, None, None),
            node,
        ]);
        let lines: Vec<Vec<&str>> = table
            .lines()
            .map(|l| l.split_whitespace().collect())
            .collect();
        assert_eq!(lines.len(), 7, "{table}");
        assert_eq!(
            lines[1],
            ["rust", "test", "102", "100", "0", "2", "12.0", "passed"]
        );
        assert_eq!(
            lines[2],
            ["python", "test", "11", "10", "1", "0", "3.5", "FAILED"]
        );
        assert_eq!(
            lines[3],
            ["docs", "test", "-", "-", "-", "-", "1.0", "passed"]
        );
        assert!(
            table.contains("passed (not run: jsonwebtoken's suite)"),
            "{table}"
        );
        assert_eq!(lines[5], ["total", "603", "600", "1", "2", "18.5"]);
        assert_eq!(
            table.lines().last(),
            Some("600 passed, 1 failed, 2 skipped")
        );
    }

    #[test]
    fn every_runner_summary_line_is_counted() {
        let p = |l: &str| Counts::parse_line(l);
        let c = |passed, failed, skipped| {
            Some(Counts {
                passed,
                failed,
                skipped,
            })
        };
        assert_eq!(
            p(
                "test result: ok. 17 passed; 0 failed; 3 ignored; 0 measured; 2 filtered out; finished in 4.61s"
            ),
            c(17, 0, 3)
        );
        assert_eq!(
            p("test result: FAILED. 1 passed; 2 failed; 0 ignored; 0 measured"),
            c(1, 2, 0)
        );
        assert_eq!(p("1276 passed, 1 skipped in 99.12s"), c(1276, 0, 1));
        assert_eq!(
            p("===== 3 failed, 5 passed, 2 warnings in 1.20s (0:00:01) ====="),
            c(5, 3, 0)
        );
        assert_eq!(p("2 passed, 1 error in 0.5s"), c(2, 1, 0));
        assert_eq!(p("ℹ pass 118"), c(118, 0, 0));
        assert_eq!(p("# fail 2"), c(0, 2, 0));
        assert_eq!(p("\u{1b}[34mℹ skipped 4\u{1b}[39m"), c(0, 0, 4));
        assert_eq!(p("ℹ tests 120"), None);
        assert_eq!(p("  493 passing (2s)"), c(493, 0, 0));
        assert_eq!(p("  3 failing"), c(0, 3, 0));
        assert_eq!(p("  1 pending"), c(0, 0, 1));
        assert_eq!(
            p("[INFO] Tests run: 511, Failures: 1, Errors: 2, Skipped: 3"),
            c(505, 3, 3)
        );
        assert_eq!(
            p(
                "[INFO] Tests run: 7, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: 0.1 s - in X"
            ),
            None
        );
        // Lines that merely look alike are not counted.
        assert_eq!(p("    Finished `test` profile in 3.2s"), None);
        assert_eq!(p("the 2 passed tokens in 3s"), None);
        assert_eq!(p("compiled 12 crates in 4s"), None);
    }

    #[test]
    fn run_counts_the_tests_a_command_reports_and_a_skip_fails_the_step() {
        let script = |out: &'static str| {
            move || {
                run(Command::new("sh").args(["-c", out]))?;
                Ok(())
            }
        };
        let step = |name: &'static str, run: Box<dyn FnOnce() -> Result>| Step {
            name,
            what: "test",
            rerun: String::new(),
            run,
        };
        let err = run_steps(vec![
            step(
                "ok",
                Box::new(script(
                    "echo 'test result: ok. 3 passed; 0 failed; 0 ignored'",
                )),
            ),
            step(
                "skips",
                Box::new(script("echo '4 passed, 1 skipped in 0.1s'")),
            ),
        ])
        .expect_err("a skip fails its step");
        assert_eq!(err, "failed: skips test");
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
