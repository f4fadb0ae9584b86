//! Runs every `sh` block of `docs/cli.md`, in order, as one bash script against the real
//! binary, so the documented examples cannot rot. (`text` blocks are illustrations.)

use std::path::Path;
use std::process::Command;

/// The `sh` code blocks of a Markdown document, in order.
fn sh_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match (&mut current, line.trim_end()) {
            (None, "```sh") => current = Some(String::new()),
            (Some(_), "```") => blocks.extend(current.take()),
            (Some(block), l) => {
                block.push_str(l);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    assert!(current.is_none(), "unterminated code block");
    blocks
}

#[test]
fn every_shell_example_in_docs_cli_md_runs() {
    let doc = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/cli.md");
    let text = std::fs::read_to_string(&doc).expect("docs/cli.md");
    let blocks = sh_blocks(&text);
    assert!(
        blocks.len() >= 8,
        "expected the documented examples, found {}",
        blocks.len()
    );
    if cfg!(windows) || Command::new("bash").arg("--version").output().is_err() {
        eprintln!("skipped: the examples need bash");
        return;
    }
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("jwt-cli-docs");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create dir");
    let script = format!("set -euo pipefail\n{}", blocks.join("\n"));
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_jwt"))
        .parent()
        .expect("bin dir");
    let path = std::env::join_paths(std::iter::once(bin_dir.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .expect("PATH");
    let out = Command::new("bash")
        .args(["-c", &script])
        .current_dir(&dir)
        .env("PATH", path)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run bash");
    assert!(
        out.status.success(),
        "an example in docs/cli.md failed ({})\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("VALID"), "{stdout}");
    assert!(stderr.contains("NOT VERIFIED"), "{stderr}");
    assert!(
        stdout.contains("[invalid_issuer]"),
        "the failure example shows its code: {stdout}"
    );
    assert!(dir.join("jwt.bash").metadata().is_ok_and(|m| m.len() > 0));
}
