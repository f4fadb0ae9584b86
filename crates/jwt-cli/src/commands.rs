//! The subcommands. Each prints text for people, or JSON with `--json`.

use std::path::Path;
use std::time::Duration;

use jwt_core::{Algorithm, Header, KeySet, Signer, SigningKey, Verifier, unverified};
use serde_json::{Map, Value, json};

use crate::cli::{
    DecodeArgs, EncodeArgs, JwksArgs, KeyFormat, KeygenArgs, ThumbprintArgs, VerifyArgs,
};
use crate::{Context, Failure, keys, out, out_json, times};

type Res = Result<(), Failure>;

// ----------------------------------------------------------------------------- keygen

pub fn keygen(a: KeygenArgs, json: bool) -> Res {
    let format = a.format.unwrap_or(if a.alg.is_symmetric() {
        KeyFormat::Jwk
    } else {
        KeyFormat::Pem
    });
    if format == KeyFormat::Pem && a.alg.is_symmetric() {
        return Err(Failure::Usage(format!(
            "an {} secret has no PEM form: use --format jwk",
            a.alg
        )));
    }
    let mut key = SigningKey::generate(a.alg).context(format!("generating an {} key", a.alg))?;
    key = match (&a.kid, a.alg.is_symmetric()) {
        (Some(kid), _) => key.with_kid(kid.clone()),
        (None, false) => key
            .with_thumbprint_kid()
            .context("computing the thumbprint")?,
        (None, true) => key,
    };
    let private = match format {
        KeyFormat::Pem => key.to_pkcs8_pem().context("encoding the private key")?,
        KeyFormat::Jwk => zeroize::Zeroizing::new(pretty_jwk(
            &key.to_private_jwk().context("encoding the private key")?,
        )),
    };
    if let Some(path) = &a.out {
        write_private(path, &private, a.force)?;
        eprintln!(
            "jwt: private {} key written to {} (keep it secret)",
            a.alg,
            path.display()
        );
    }
    let public = if a.alg.is_symmetric() {
        None
    } else {
        Some((
            key.public_key_pem().context("encoding the public key")?,
            key.to_public_jwk().context("encoding the public key")?,
        ))
    };
    let thumbprint = key.thumbprint().context("computing the thumbprint")?;
    if json {
        let mut doc = json!({
            "ok": true,
            "alg": a.alg.as_str(),
            "kid": key.kid(),
            "thumbprint": thumbprint,
        });
        if let Some((pem, jwk)) = &public {
            doc["public_pem"] = pem.as_str().into();
            doc["public_jwk"] = Value::Object(jwk.as_map().clone());
        }
        match (&a.out, format) {
            (Some(path), _) => doc["private_key_file"] = path.display().to_string().into(),
            (None, KeyFormat::Pem) => doc["private_pem"] = private.as_str().into(),
            (None, KeyFormat::Jwk) => {
                doc["private_jwk"] = serde_json::from_str(&private).unwrap_or(Value::Null);
            }
        }
        out_json(&doc);
        return Ok(());
    }
    let public_text = match (&public, format) {
        (Some((pem, _)), KeyFormat::Pem) => pem.clone(),
        (Some((_, jwk)), KeyFormat::Jwk) => pretty_jwk(jwk),
        (None, _) => String::new(),
    };
    match (&a.out, &public) {
        (Some(_), Some(_)) => out(&public_text),
        (Some(_), None) => eprintln!(
            "jwt: an HMAC secret has no public part: share the key file with the verifier"
        ),
        (None, Some(_)) if format == KeyFormat::Pem => {
            out(&format!("{}{}", &*private, public_text))
        }
        (None, Some(_)) => out(&format!(
            "# private key (keep it secret)\n{}\n# public key\n{}",
            &*private, public_text
        )),
        (None, None) => out(&private),
    }
    Ok(())
}

fn pretty_jwk(jwk: &jwt_core::Jwk) -> String {
    serde_json::to_string_pretty(jwk.as_map()).unwrap_or_default()
}

/// Write a private key readable by its owner only, refusing to clobber a file.
fn write_private(path: &Path, text: &str, force: bool) -> Res {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true);
    if force {
        opts.create(true).truncate(true);
    } else {
        opts.create_new(true);
    }
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let shown = path.display();
    let mut f = opts.open(path).map_err(|e| {
        let hint = if e.kind() == std::io::ErrorKind::AlreadyExists {
            " (use --force to overwrite)"
        } else {
            ""
        };
        Failure::Io(format!("cannot write {shown}: {e}{hint}"))
    })?;
    f.write_all(text.as_bytes())
        .and_then(|()| {
            if text.ends_with('\n') {
                Ok(())
            } else {
                f.write_all(b"\n")
            }
        })
        .map_err(|e| Failure::Io(format!("cannot write {shown}: {e}")))
}

// ----------------------------------------------------------------------------- encode

pub fn encode(a: EncodeArgs, json: bool) -> Res {
    let key = match (&a.source.key[..], &a.source.secret_file) {
        ([path], None) => keys::signing_key(path, a.alg)?,
        ([], Some(path)) => {
            let alg = a.alg.unwrap_or(Algorithm::HS256);
            if !alg.is_symmetric() {
                return Err(Failure::Usage(format!(
                    "--secret-file is for HMAC (HS256, HS384, HS512), not {alg}"
                )));
            }
            keys::secret_key(path, alg)?
        }
        ([], None) => {
            return Err(Failure::Usage(
                "no signing key: pass --key FILE or --secret-file FILE".into(),
            ));
        }
        _ => {
            return Err(Failure::Usage(
                "pass exactly one of --key FILE or --secret-file FILE".into(),
            ));
        }
    };
    let mut claims = match a.claims.as_deref() {
        None => Map::new(),
        Some("-") => parse_claims(&crate::read_stdin("claims JSON")?, "claims on stdin")?,
        Some(text) => parse_claims(text.as_bytes(), "the claims argument")?,
    };
    let now = jwt_core::now();
    let mut set = |name: &str, v: Value| {
        claims.insert(name.to_owned(), v);
    };
    if let Some(v) = a.iss {
        set("iss", v.into());
    }
    if let Some(v) = a.sub {
        set("sub", v.into());
    }
    match a.aud.len() {
        0 => {}
        1 => set("aud", a.aud[0].clone().into()),
        _ => set("aud", a.aud.clone().into()),
    }
    if let Some(v) = a.jti {
        set("jti", v.into());
    }
    if let Some(d) = a.nbf {
        set("nbf", future(now, d)?.into());
    }
    for (name, value) in a.claims_kv {
        set(&name, value);
    }
    if !a.no_iat && !claims.contains_key("iat") {
        claims.insert("iat".into(), now.into());
    }
    if a.no_exp {
        claims.remove("exp");
    } else if let Some(d) = a.exp {
        claims.insert("exp".into(), future(now, d)?.into());
    } else if !claims.contains_key("exp") {
        claims.insert("exp".into(), future(now, 15 * 60)?.into());
    }
    let mut header = Header::new(key.algorithm());
    header.typ = a.typ;
    header.kid = a.kid;
    let signer = Signer::with_header(key, header).context("preparing the header")?;
    let token = signer.sign(&claims).context("signing")?;
    if json {
        out_json(&json!({
            "ok": true,
            "token": token,
            "header": signer.header().to_map(),
            "claims": claims,
        }));
    } else {
        out(&token);
    }
    Ok(())
}

fn future(now: i64, seconds: u64) -> Result<i64, Failure> {
    i64::try_from(seconds)
        .ok()
        .and_then(|s| now.checked_add(s))
        .filter(|t| *t <= jwt_core::MAX_NUMERIC_DATE)
        .ok_or_else(|| {
            Failure::Usage(format!(
                "a duration of {seconds} s is too far in the future"
            ))
        })
}

fn parse_claims(bytes: &[u8], what: &str) -> Result<Map<String, Value>, Failure> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(jwt_core::Error::InvalidArgument(
            "claims must be a JSON object".into(),
        ))
        .context(what),
        Err(e) => Err(jwt_core::Error::InvalidArgument(format!(
            "not valid JSON: {e}"
        )))
        .context(what),
    }
}

// ----------------------------------------------------------------------------- decode

const WARNING: &str = "\
!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
!!  WARNING: NOT VERIFIED. Neither the signature nor the claims of     !!
!!  this token were checked: anyone can write what is shown below.     !!
!!  Use `jwt verify` before trusting any of it.                        !!
!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!";

pub fn decode(a: DecodeArgs, json: bool) -> Res {
    let token = read_token(a.token.as_deref())?;
    let t = unverified::decode(&token).context("decoding the token")?;
    eprintln!("{WARNING}");
    let header = t.header.to_map();
    let now = jwt_core::now();
    if json {
        out_json(&json!({
            "ok": true,
            "verified": false,
            "header": header,
            "claims": t.claims,
            "times": times_json(&t.claims, now),
        }));
    } else {
        out(&render(&header, &t.claims, now));
    }
    Ok(())
}

/// The token from the argument or stdin, trimmed, without a `Bearer ` prefix.
fn read_token(arg: Option<&str>) -> Result<String, Failure> {
    let raw = match arg {
        None | Some("-") => {
            let bytes = crate::read_stdin("token")?;
            String::from_utf8(bytes.to_vec())
                .map_err(|_| jwt_core::Error::Malformed("the token is not UTF-8".into()))
                .context("reading the token")?
        }
        Some(t) => t.to_owned(),
    };
    let t = raw.trim();
    let t = match t.get(..7) {
        Some(p) if p.eq_ignore_ascii_case("bearer ") => t[7..].trim_start(),
        _ => t,
    };
    if t.is_empty() {
        return Err(Failure::Usage("the token is empty".into()));
    }
    Ok(t.to_owned())
}

/// Header, claims and the registered times in words.
fn render(header: &Map<String, Value>, claims: &Map<String, Value>, now: i64) -> String {
    let pretty = |m: &Map<String, Value>| serde_json::to_string_pretty(m).unwrap_or_default();
    let mut s = format!("Header\n{}\n\nClaims\n{}\n", pretty(header), pretty(claims));
    let mut first = true;
    for name in ["iat", "nbf", "exp"] {
        let Some(v) = claims.get(name) else { continue };
        if first {
            s.push_str("\nTimes\n");
            first = false;
        }
        match v.as_i64() {
            Some(t) => s.push_str(&format!(
                "  {name}  {}  ({})\n",
                times::utc(t),
                times::relative(name, t, now)
            )),
            None => s.push_str(&format!(
                "  {name}  {v}  (not a whole NumericDate: verification will reject it)\n"
            )),
        }
    }
    s
}

fn times_json(claims: &Map<String, Value>, now: i64) -> Value {
    let mut m = Map::new();
    for name in ["iat", "nbf", "exp"] {
        if let Some(t) = claims.get(name).and_then(Value::as_i64) {
            m.insert(
                name.into(),
                json!({"at": t, "utc": times::utc(t), "relative": times::relative(name, t, now)}),
            );
        }
    }
    Value::Object(m)
}

// ----------------------------------------------------------------------------- verify

pub fn verify(a: VerifyArgs, json: bool) -> Res {
    let token = read_token(a.token.as_deref())?;
    let mut set = KeySet::new();
    for path in &a.source.key {
        for k in keys::verifying_keys(path, &a.alg, false)? {
            set.push(k);
        }
    }
    if let Some(path) = &a.source.secret_file {
        let algs: Vec<Algorithm> = if a.alg.is_empty() {
            vec![Algorithm::HS256]
        } else {
            a.alg.iter().copied().filter(|a| a.is_symmetric()).collect()
        };
        if algs.is_empty() {
            return Err(Failure::Usage(
                "--secret-file needs an HMAC --alg (HS256, HS384, HS512)".into(),
            ));
        }
        let secret = crate::read_file(path)?;
        let policy = if a.allow_weak_secret {
            jwt_core::HmacPolicy::Allow
        } else {
            jwt_core::HmacPolicy::Refuse
        };
        for alg in algs {
            let key = jwt_core::VerifyingKey::hmac_with_policy(alg, &secret, policy);
            set.push(key.context(format!("secret file {}", path.display()))?);
        }
    }
    if let Some(url) = &a.jwks_url {
        let body = crate::fetch::jwks(url, Duration::from_secs(a.jwks_timeout))?;
        let ctx = format!("JWK set from {url}");
        let jwks = jwt_core::JwkSet::from_json(&body).context(&ctx)?;
        for k in keys::keys_from_set(&jwks, &a.alg, &ctx)? {
            set.push(k);
        }
    }
    if set.is_empty() {
        return Err(Failure::Usage(
            "no verification key: pass --key FILE, --secret-file FILE or --jwks-url URL".into(),
        ));
    }
    // The flags fill the core's ValidationSpec; the core alone turns it into a Validation.
    let mut spec = jwt_core::ValidationSpec::default();
    spec.leeway = Some(a.leeway);
    let nonempty = |v: Vec<String>| Some(v).filter(|v| !v.is_empty());
    spec.algorithms = nonempty(a.alg.iter().map(|alg| alg.as_str().to_owned()).collect());
    spec.issuer = nonempty(a.iss).map(Into::into);
    spec.audience = nonempty(a.aud).map(Into::into);
    spec.verify_aud = a.any_audience.then_some(false);
    spec.subject = a.sub;
    let mut required: Vec<String> = if a.allow_missing_exp {
        Vec::new()
    } else {
        vec!["exp".into()]
    };
    required.extend(a.require);
    spec.required_claims = Some(required);
    spec.max_age = a.max_age;
    spec.typ = a.typ;
    spec.critical = nonempty(a.crit);
    let mut equal = Map::new();
    for (name, value) in a.claims_eq {
        if equal.insert(name.clone(), value).is_some() {
            return Err(Failure::Usage(format!("--claim {name}=... is given twice")));
        }
    }
    spec.claims_equal = Some(equal).filter(|m| !m.is_empty());
    let v = spec.build().context("the verification options")?;
    let verifier = Verifier::new(set, v).context("setting up the verifier")?;
    let data = verifier
        .verify::<Map<String, Value>>(&token)
        .context("the token is NOT valid")?;
    let header = data.header.to_map();
    let now = jwt_core::now();
    if json {
        out_json(&json!({
            "ok": true,
            "valid": true,
            "header": header,
            "claims": data.claims,
            "times": times_json(&data.claims, now),
        }));
    } else {
        let kid = data
            .header
            .kid
            .as_deref()
            .map(|k| format!(", kid `{k}`"))
            .unwrap_or_default();
        out(&format!(
            "VALID: {} signature verified{kid}; claims checked\n\n{}",
            data.header.alg,
            render(&header, &data.claims, now)
        ));
    }
    Ok(())
}

// ----------------------------------------------------------------------------- jwks

pub fn jwks(a: JwksArgs, _json: bool) -> Res {
    let mut set = jwt_core::JwkSet::default();
    for path in &a.files {
        let ctx = format!("key file {}", path.display());
        let keys = keys::verifying_keys(path, &a.alg, true)?;
        for k in keys {
            if k.algorithm().is_symmetric() {
                return Err(jwt_core::Error::InvalidArgument(
                    "an HMAC secret has no public JWK: it must never be published".into(),
                ))
                .context(ctx);
            }
            let k = match k.kid() {
                Some(_) => k,
                None => {
                    let t = k.thumbprint().context(&ctx)?;
                    k.with_kid(t)
                }
            };
            let jwk = k.to_jwk().context(&ctx)?;
            if !set.keys.contains(&jwk) {
                set.keys.push(jwk);
            }
        }
    }
    let keys: Vec<Value> = set
        .keys
        .iter()
        .map(|k| Value::Object(k.as_map().clone()))
        .collect();
    // A JWK set is JSON already: --json prints the same document.
    out_json(&json!({ "keys": keys }));
    Ok(())
}

// ----------------------------------------------------------------------------- thumbprint

pub fn thumbprint(a: ThumbprintArgs, json: bool) -> Res {
    let key = keys::any_verifying_key(&a.file)?;
    let (t, kty) = key
        .thumbprint()
        .context(format!("key file {}", a.file.display()))?;
    if json {
        out_json(&json!({"ok": true, "thumbprint": t, "kty": kty, "hash": "SHA-256"}));
    } else {
        out(&t);
    }
    Ok(())
}
