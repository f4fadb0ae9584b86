//! `jwt`: make keys, sign, inspect and verify JSON Web Tokens from the shell.
//!
//! Every JOSE decision is jwt-core's: this crate parses arguments, reads files, prints.
//! Exit codes: 0 success, 1 a bad token or input (with the core's stable error code),
//! 2 wrong usage. Nothing here panics on bad input: every failure is a [`Failure`].

mod cli;
mod commands;
mod fetch;
mod keys;
mod times;

use std::fmt;
use std::io::{Read, Write};
use std::process::ExitCode;

use clap::Parser;
use serde_json::json;

use cli::{Cli, Command};

/// Why a command did not succeed.
#[derive(Debug)]
pub enum Failure {
    /// The command line is wrong or incomplete: exit 2.
    Usage(String),
    /// jwt-core refused something (a token, a key, an option): exit 1 with its code.
    Core {
        /// What was being done, e.g. `reading key file k.pem`.
        context: String,
        /// The core's error.
        error: jwt_core::Error,
    },
    /// A file could not be read or written: exit 1, code `io_error`.
    Io(String),
    /// A JWK set URL could not be fetched: exit 1, code `jwks_fetch_failed`.
    Fetch(String),
}

impl Failure {
    /// The stable code: the core's for core errors, a CLI code otherwise.
    pub fn code(&self) -> &'static str {
        match self {
            Failure::Usage(_) => "usage",
            Failure::Core { error, .. } => error.code(),
            Failure::Io(_) => "io_error",
            Failure::Fetch(_) => "jwks_fetch_failed",
        }
    }

    fn exit_code(&self) -> u8 {
        match self {
            Failure::Usage(_) => 2,
            _ => 1,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Usage(m) | Failure::Io(m) | Failure::Fetch(m) => f.write_str(m),
            Failure::Core { context, error } if context.is_empty() => write!(f, "{error}"),
            Failure::Core { context, error } => write!(f, "{context}: {error}"),
        }
    }
}

/// Attach context to a jwt-core result.
pub trait Context<T> {
    /// Turn a core error into a [`Failure::Core`] saying what was being done.
    fn context(self, what: impl fmt::Display) -> Result<T, Failure>;
}

impl<T> Context<T> for jwt_core::Result<T> {
    fn context(self, what: impl fmt::Display) -> Result<T, Failure> {
        self.map_err(|error| Failure::Core {
            context: what.to_string(),
            error,
        })
    }
}

/// Write to stdout; a closed pipe (`jwt ... | head`) is not an error worth a panic.
pub fn out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    if !text.ends_with('\n') {
        let _ = stdout.write_all(b"\n");
    }
    let _ = stdout.flush();
}

/// Pretty JSON on stdout.
pub fn out_json(value: &serde_json::Value) {
    out(&serde_json::to_string_pretty(value).unwrap_or_default());
}

/// Largest file or stdin input read, in bytes (tokens are limited to 1 MiB by the core).
pub const MAX_INPUT: u64 = 2 * 1024 * 1024;

/// Read a whole file, bounded; the bytes are wiped when dropped (key files).
pub fn read_file(path: &std::path::Path) -> Result<zeroize::Zeroizing<Vec<u8>>, Failure> {
    let shown = path.display();
    let file =
        std::fs::File::open(path).map_err(|e| Failure::Io(format!("cannot read {shown}: {e}")))?;
    read_bounded(file, &format!("{shown}"))
}

/// Read stdin, bounded. Refuses to wait on an interactive terminal.
pub fn read_stdin(what: &str) -> Result<zeroize::Zeroizing<Vec<u8>>, Failure> {
    use std::io::IsTerminal;
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return Err(Failure::Usage(format!(
            "no {what} given: pass it as an argument or pipe it on stdin"
        )));
    }
    read_bounded(stdin.lock(), "stdin")
}

fn read_bounded(r: impl Read, shown: &str) -> Result<zeroize::Zeroizing<Vec<u8>>, Failure> {
    let mut buf = zeroize::Zeroizing::new(Vec::new());
    r.take(MAX_INPUT + 1)
        .read_to_end(&mut buf)
        .map_err(|e| Failure::Io(format!("cannot read {shown}: {e}")))?;
    if buf.len() as u64 > MAX_INPUT {
        return Err(Failure::Io(format!(
            "{shown} is larger than {MAX_INPUT} bytes"
        )));
    }
    Ok(buf)
}

fn main() -> ExitCode {
    // clap prints usage errors itself and exits with 2.
    let cli = Cli::parse();
    let json = cli.json;
    let verifying = matches!(cli.command, Command::Verify(_));
    let result = match cli.command {
        Command::Keygen(a) => commands::keygen(a, json),
        Command::Encode(a) => commands::encode(a, json),
        Command::Decode(a) => commands::decode(a, json),
        Command::Verify(a) => commands::verify(a, json),
        Command::Jwks(a) => commands::jwks(a, json),
        Command::Thumbprint(a) => commands::thumbprint(a, json),
        Command::Completions(a) => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            // Into a buffer first: clap_complete panics on a write error (a closed pipe).
            let mut script = Vec::new();
            clap_complete::generate(a.shell, &mut cmd, "jwt", &mut script);
            out(&String::from_utf8_lossy(&script));
            Ok(())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            if json {
                let mut doc = json!({
                    "ok": false,
                    "error": {"code": f.code(), "message": f.to_string()},
                });
                if verifying {
                    doc["valid"] = false.into();
                }
                out_json(&doc);
            }
            eprintln!("jwt: error[{}]: {f}", f.code());
            if let Failure::Usage(_) = f {
                eprintln!("(see `jwt --help`)");
            }
            ExitCode::from(f.exit_code())
        }
    }
}
