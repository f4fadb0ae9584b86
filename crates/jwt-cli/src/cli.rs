//! The command line, declared with clap's derive API. Every option's help text is the
//! reference; `docs/cli.md` has worked examples.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use jwt_core::Algorithm;

use crate::times;

/// Make keys, sign, inspect and verify JSON Web Tokens.
///
/// Exit codes: 0 success; 1 the token is not valid or an input (key file, token, JSON)
/// is bad, with a stable error code on stderr; 2 wrong usage.
#[derive(Debug, Parser)]
#[command(name = "jwt", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    /// Print machine-readable JSON on stdout instead of text (errors too:
    /// `{"ok":false,"error":{"code":...,"message":...}}`).
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Generate a key: private key as PKCS#8 PEM or private JWK, and its public part.
    Keygen(KeygenArgs),
    /// Sign claims into a JWT.
    Encode(EncodeArgs),
    /// Show a token's header and claims WITHOUT verifying anything.
    Decode(DecodeArgs),
    /// Verify a token's signature and claims (exit 0 valid, 1 not valid).
    Verify(VerifyArgs),
    /// Build a public JWK set (with RFC 7638 thumbprint `kid`s) from key files.
    Jwks(JwksArgs),
    /// Print the RFC 7638 thumbprint of a key (PEM or JWK file).
    Thumbprint(ThumbprintArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
}

/// The serialization `keygen` writes the private key in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum KeyFormat {
    /// PKCS#8 PEM (`PRIVATE KEY`); the public part as SPKI PEM. Not for HMAC.
    Pem,
    /// JSON Web Key.
    Jwk,
}

#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// Algorithm the key is for (HS256..HS512, RS*/PS* (2048-bit RSA), ES256, ES384,
    /// ES512, ES256K, EdDSA, or its RFC 9864 name Ed25519).
    #[arg(long, value_parser = parse_alg)]
    pub alg: Algorithm,
    /// Key id; default: the RFC 7638 thumbprint (asymmetric keys), none (HMAC).
    #[arg(long)]
    pub kid: Option<String>,
    /// Write the private key to this file (mode 0600, never overwritten without
    /// --force) and print only the public part.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Overwrite the --out file if it exists.
    #[arg(long, requires = "out")]
    pub force: bool,
    /// Private key format; default `pem`, `jwk` for HMAC keys.
    #[arg(long, value_enum)]
    pub format: Option<KeyFormat>,
}

/// Where a signing or verifying key comes from.
#[derive(Debug, Args)]
pub struct KeySource {
    /// Key file: PEM (PKCS#8, PKCS#1, SEC1, SPKI), a JWK, or (verify only) a JWK set.
    #[arg(long, short = 'k', value_name = "FILE")]
    pub key: Vec<PathBuf>,
    /// HMAC secret: the file's exact bytes (a trailing newline is part of the secret).
    #[arg(long, value_name = "FILE")]
    pub secret_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct EncodeArgs {
    /// Claims as a JSON object, or `-` to read them from stdin. Flags below override
    /// members of the same name.
    #[arg(value_name = "CLAIMS_JSON")]
    pub claims: Option<String>,
    #[command(flatten)]
    pub source: KeySource,
    /// Algorithm; needed for RSA keys (RS*/PS*), default HS256 with --secret-file,
    /// otherwise taken from the key.
    #[arg(long, value_parser = parse_alg)]
    pub alg: Option<Algorithm>,
    /// `kid` header; default: the key's `kid` (a JWK's), if any.
    #[arg(long)]
    pub kid: Option<String>,
    /// `typ` header; default `JWT`.
    #[arg(long)]
    pub typ: Option<String>,
    /// `sub` claim.
    #[arg(long)]
    pub sub: Option<String>,
    /// `iss` claim.
    #[arg(long)]
    pub iss: Option<String>,
    /// `aud` claim; repeat for several audiences.
    #[arg(long)]
    pub aud: Vec<String>,
    /// `exp` as a lifetime from now: `90s`, `15m`, `2h`, `1d`, `1h30m`. Default 15m
    /// unless the claims JSON has `exp`.
    #[arg(long, value_parser = times::parse_duration, value_name = "DURATION")]
    pub exp: Option<u64>,
    /// Leave `exp` out (verifiers reject such tokens unless told otherwise).
    #[arg(long, conflicts_with = "exp")]
    pub no_exp: bool,
    /// `nbf` as a delay from now (`0` for now).
    #[arg(long, value_parser = times::parse_duration, value_name = "DURATION")]
    pub nbf: Option<u64>,
    /// Do not add `iat` (added by default as now).
    #[arg(long)]
    pub no_iat: bool,
    /// `jti` claim.
    #[arg(long)]
    pub jti: Option<String>,
    /// Any claim, `name=value`; the value is read as JSON when it parses (`n=5`,
    /// `admin=true`, `roles=["a","b"]`), else as a string (`role=admin`).
    #[arg(long = "claim", value_name = "NAME=VALUE", value_parser = parse_claim)]
    pub claims_kv: Vec<(String, serde_json::Value)>,
}

#[derive(Debug, Args)]
pub struct DecodeArgs {
    /// The token; `-` or nothing reads it from stdin. A `Bearer ` prefix is ignored.
    pub token: Option<String>,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The token; `-` or nothing reads it from stdin. A `Bearer ` prefix is ignored.
    pub token: Option<String>,
    #[command(flatten)]
    pub source: KeySource,
    /// Fetch the keys from this JWK set URL (https; http only for localhost).
    #[arg(long, value_name = "URL")]
    pub jwks_url: Option<String>,
    /// Timeout for --jwks-url, in seconds.
    #[arg(long, default_value_t = 10, value_name = "SECONDS")]
    pub jwks_timeout: u64,
    /// Accepted algorithm; repeat for several. Needed for RSA PEM keys and JWKs
    /// without `alg`; default for --secret-file: HS256.
    #[arg(long, value_parser = parse_alg)]
    pub alg: Vec<Algorithm>,
    /// Accepted issuer (exact match); repeat for several.
    #[arg(long)]
    pub iss: Vec<String>,
    /// Required audience (exact match, one of); repeat for several. A token with an
    /// `aud` claim is rejected unless an audience is given.
    #[arg(long)]
    pub aud: Vec<String>,
    /// Do not check `aud` at all (debugging only).
    #[arg(long, conflicts_with = "aud")]
    pub any_audience: bool,
    /// Required subject.
    #[arg(long)]
    pub sub: Option<String>,
    /// Clock skew tolerated for `exp`, `nbf`, `iat` (`30s`, `2m`; default 0).
    #[arg(long, value_parser = times::parse_duration, default_value = "0", value_name = "DURATION")]
    pub leeway: u64,
    /// A claim that must be present (besides `exp`); repeat for several.
    #[arg(long, value_name = "CLAIM")]
    pub require: Vec<String>,
    /// Accept tokens without `exp` (required by default).
    #[arg(long)]
    pub allow_missing_exp: bool,
    /// Reject tokens whose `iat` is older than this (`1h`).
    #[arg(long, value_parser = times::parse_duration, value_name = "DURATION")]
    pub max_age: Option<u64>,
    /// Required `typ` header (case-insensitive), e.g. `at+jwt`.
    #[arg(long)]
    pub typ: Option<String>,
    /// A claim that must have this exact value, `name=value` (value read as for
    /// `encode --claim`); repeat for several.
    #[arg(long = "claim", value_name = "NAME=VALUE", value_parser = parse_claim)]
    pub claims_eq: Vec<(String, serde_json::Value)>,
    /// A `crit` header extension you understand; repeat for several.
    #[arg(long, value_name = "NAME")]
    pub crit: Vec<String>,
    /// Accept an HMAC secret shorter than the hash output (to check legacy tokens).
    #[arg(long)]
    pub allow_weak_secret: bool,
}

#[derive(Debug, Args)]
pub struct JwksArgs {
    /// Key files (PEM, JWK or JWK set); private keys give their public half.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Algorithm(s) for keys that do not imply one (RSA); repeat for several.
    #[arg(long, value_parser = parse_alg)]
    pub alg: Vec<Algorithm>,
}

#[derive(Debug, Args)]
pub struct ThumbprintArgs {
    /// Key file (PEM or JWK).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// An algorithm name, exactly as registered (`ES256`, `EdDSA`). `none` is never one.
pub fn parse_alg(s: &str) -> Result<Algorithm, String> {
    s.parse::<Algorithm>().map_err(|_| {
        let names: Vec<&str> = Algorithm::ALL.iter().map(|a| a.as_str()).collect();
        let none = if s.eq_ignore_ascii_case("none") {
            "unsecured tokens are never accepted; "
        } else {
            ""
        };
        format!(
            "unsupported algorithm `{s}`: {none}use one of {}",
            names.join(", ")
        )
    })
}

/// `name=value`; the value is JSON when it parses as JSON, else a string.
pub fn parse_claim(s: &str) -> Result<(String, serde_json::Value), String> {
    let (name, value) = s
        .split_once('=')
        .ok_or_else(|| format!("`{s}` is not NAME=VALUE"))?;
    if name.is_empty() {
        return Err(format!("`{s}` has an empty claim name"));
    }
    let value =
        serde_json::from_str(value).unwrap_or_else(|_| serde_json::Value::String(value.to_owned()));
    Ok((name.to_owned(), value))
}
