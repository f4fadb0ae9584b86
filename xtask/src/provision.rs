//! What the selected areas need from the system, installed before they run.
//!
//! `cargo xtask test` (and `lint`, `ci`) first checks the tools the selected areas use.
//! When some are missing and we run as root with `apt-get`, it runs `apt-get update` once
//! and installs them, printing what it installs; otherwise it stops with the one command
//! to run. So a newcomer's first `cargo xtask test` on a fresh Debian machine sets itself
//! up, and CI (`.ci/run`) runs exactly the README's commands.

use std::path::Path;
use std::process::Command;

use crate::util::{self, Result};

/// One system requirement: how to tell it is there, and the Debian package providing it.
struct Need {
    /// What it is, for messages.
    what: &'static str,
    /// The Debian package to install.
    package: &'static str,
    present: fn() -> bool,
}

fn tool(name: &str) -> bool {
    util::have(name)
}

const PYTHON: Need = Need {
    what: "python3 with venv (ensurepip)",
    package: "python3-venv",
    present: || {
        Command::new("python3")
            .args(["-c", "import venv, ensurepip"])
            .output()
            .is_ok_and(|o| o.status.success())
    },
};
const NODE: Need = Need {
    what: "node (Node.js 18+)",
    package: "nodejs",
    present: || tool("node"),
};
const NPM: Need = Need {
    what: "npm",
    package: "npm",
    present: || tool("npm"),
};
const JDK: Need = Need {
    what: "a JDK (javac 17+)",
    package: "openjdk-17-jdk-headless",
    present: || tool("javac") && tool("java"),
};
const MAVEN: Need = Need {
    what: "Maven (mvn)",
    package: "maven",
    present: || tool("mvn"),
};
const REDIS: Need = Need {
    what: "redis-server (the service's Redis store tests)",
    package: "redis-server",
    present: || tool("redis-server"),
};
const CHROMIUM: Need = Need {
    what: "/usr/bin/chromium (the demo page's browser tests)",
    package: "chromium",
    present: || Path::new("/usr/bin/chromium").exists(),
};
const CURL: Need = Need {
    what: "curl (the README's Try-it session)",
    package: "curl",
    present: || tool("curl"),
};
const JQ: Need = Need {
    what: "jq (the README's Try-it session, the CLI example)",
    package: "jq",
    present: || tool("jq"),
};

/// The system requirements of one area (`lint` for the lint checks).
fn needs(area: &str) -> &'static [Need] {
    match area {
        "python" => &[PYTHON],
        "node" => &[NODE, NPM],
        "kotlin" => &[JDK, MAVEN],
        "service" => &[REDIS, CHROMIUM, NODE, NPM],
        "smoke" => &[CURL, JQ, PYTHON, NODE, NPM, JDK, MAVEN, REDIS],
        _ => &[],
    }
}

/// The missing requirements of `areas`, each package once, in a stable order.
fn missing(areas: &[&str], present: impl Fn(&Need) -> bool) -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<(&'static str, &'static str)> = Vec::new();
    for need in areas.iter().flat_map(|a| needs(a)) {
        if !out.iter().any(|(p, _)| *p == need.package) && !present(need) {
            out.push((need.package, need.what));
        }
    }
    out
}

/// The one command a user without root must run.
fn install_command(packages: &[&str]) -> String {
    format!(
        "sudo apt-get update && sudo apt-get install -y --no-install-recommends {}",
        packages.join(" ")
    )
}

fn is_root() -> bool {
    util::output(Command::new("id").arg("-u")).is_ok_and(|o| o.trim() == "0")
}

/// Make sure what `areas` need is installed: install it (root with apt-get) or stop with
/// the command to run. The Rust components (rustfmt, clippy) for `lint` come from rustup.
pub fn ensure(areas: &[&str]) -> Result {
    if areas.contains(&"lint") {
        rust_components()?;
    }
    let missing = missing(areas, |n| (n.present)());
    if missing.is_empty() {
        return Ok(());
    }
    let packages: Vec<&str> = missing.iter().map(|(p, _)| *p).collect();
    for (package, what) in &missing {
        eprintln!("    missing: {what} (Debian package {package})");
    }
    if !(is_root() && util::have("apt-get")) {
        return Err(format!(
            "missing system packages for {}: run\n    {}\nthen run this command again",
            areas.join(", "),
            install_command(&packages)
        ));
    }
    util::step(&format!("installing with apt-get: {}", packages.join(" ")));
    util::run(
        Command::new("apt-get")
            .args(["update", "-qq"])
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )?;
    util::run(
        Command::new("apt-get")
            .args(["install", "-y", "-qq", "--no-install-recommends"])
            .args(&packages)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )?;
    let still = missing_after_install(areas);
    if still.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "still missing after apt-get install: {}",
            still.join(", ")
        ))
    }
}

fn missing_after_install(areas: &[&str]) -> Vec<&'static str> {
    missing(areas, |n| (n.present)())
        .into_iter()
        .map(|(_, w)| w)
        .collect()
}

/// rustfmt and clippy, added with rustup when absent (the lint checks need both).
fn rust_components() -> Result {
    let fmt = util::have_cargo_subcommand("fmt");
    let clippy = util::have_cargo_subcommand("clippy");
    if fmt && clippy {
        return Ok(());
    }
    util::step("installing the rustup components rustfmt and clippy");
    util::run(Command::new("rustup").args(["component", "add", "rustfmt", "clippy"]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_area_asks_only_for_what_is_absent_each_package_once() {
        let none = missing(&["service", "smoke"], |_| true);
        assert!(none.is_empty());
        let all = missing(&["node", "service", "smoke"], |_| false);
        let packages: Vec<&str> = all.iter().map(|(p, _)| *p).collect();
        assert_eq!(
            packages,
            [
                "nodejs",
                "npm",
                "redis-server",
                "chromium",
                "curl",
                "jq",
                "python3-venv",
                "openjdk-17-jdk-headless",
                "maven"
            ]
        );
        let only_redis = missing(&["rust", "service"], |n| n.package != "redis-server");
        assert_eq!(only_redis.len(), 1);
        assert!(only_redis[0].1.contains("redis-server"));
        assert!(missing(&["rust", "docs"], |_| false).is_empty());
    }

    #[test]
    fn without_root_the_error_is_the_one_command_to_run() {
        assert_eq!(
            install_command(&["redis-server", "chromium"]),
            "sudo apt-get update && sudo apt-get install -y --no-install-recommends \
             redis-server chromium"
        );
    }
}
