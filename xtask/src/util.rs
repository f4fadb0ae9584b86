//! Shared helpers: the project root, running commands with progress, finding tools.

use std::path::{Path, PathBuf};
use std::process::Command;
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

/// Print a progress line.
pub fn step(msg: &str) {
    eprintln!("\n==> {msg}");
}

/// Run a command, streaming its output; fail with the command line and exit status.
pub fn run(cmd: &mut Command) -> Result {
    let shown = format!("{cmd:?}");
    eprintln!("    $ {shown}");
    let start = Instant::now();
    let status = cmd
        .status()
        .map_err(|e| format!("cannot start {shown}: {e}"))?;
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
    let out = cmd
        .output()
        .map_err(|e| format!("cannot start {shown}: {e}"))?;
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
