//! OpenSSH public keys (`ssh-rsa`, `ecdsa-sha2-nistp256/384/521`, `ssh-ed25519`) as
//! verifying keys: one line `type base64 [comment]` (the `authorized_keys` / `.pub`
//! form PyJWT accepts through `load_ssh_public_key`).
//!
//! The wire format (RFC 4253 §6.6, RFC 5656 §3.1, RFC 8709 §4) is a sequence of
//! length-prefixed strings and mpints; it is read here with a length check on every field
//! and turned into a SubjectPublicKeyInfo, so that every check of a PEM key applies.

use crate::alg::{Algorithm, Curve};
use crate::der::{self, KeyKind};
use crate::error::{Error, Result};
use crate::key::VerifyingKey;

/// Longest OpenSSH line accepted (a 16384-bit RSA key is about 2.8 KB).
const MAX_LINE: usize = 16 * 1024;

const KEY_TYPES: [&str; 5] = [
    "ssh-rsa",
    "ssh-ed25519",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
];

fn bad(what: &str) -> Error {
    Error::invalid_key(format_args!("bad OpenSSH public key: {what}"))
}

/// `true` when `text` starts like an OpenSSH public-key line (used by the HMAC guard and
/// by `VerifyingKey::from_pem` to route the key here).
pub(crate) fn looks_like_line(text: &[u8]) -> bool {
    let t = text.trim_ascii_start();
    t.starts_with(b"ssh-rsa")
        || t.starts_with(b"ssh-ed25519")
        || t.starts_with(b"ssh-dss")
        || t.starts_with(b"ecdsa-sha2-")
        || t.starts_with(b"sk-ssh-")
        || t.starts_with(b"sk-ecdsa-")
}

/// A cursor over the SSH wire format.
struct Wire<'a>(&'a [u8]);

impl<'a> Wire<'a> {
    fn string(&mut self) -> Result<&'a [u8]> {
        if self.0.len() < 4 {
            return Err(bad("truncated"));
        }
        let (len, rest) = self.0.split_at(4);
        let len = u32::from_be_bytes([len[0], len[1], len[2], len[3]]) as usize;
        if rest.len() < len {
            return Err(bad("truncated"));
        }
        let (body, rest) = rest.split_at(len);
        self.0 = rest;
        Ok(body)
    }

    /// A non-negative mpint, without its sign-padding zero.
    fn mpint(&mut self) -> Result<&'a [u8]> {
        match self.string()? {
            [] => Err(bad("empty integer")),
            [b, ..] if b & 0x80 != 0 => Err(bad("negative integer")),
            [0, b, ..] if b & 0x80 == 0 => Err(bad("non-minimal integer")),
            [0, rest @ ..] if !rest.is_empty() => Ok(rest),
            v => Ok(v),
        }
    }

    fn finish(&self) -> Result<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(bad("trailing data"))
        }
    }
}

/// The SubjectPublicKeyInfo DER of an OpenSSH public-key line.
pub(crate) fn line_to_spki(text: &[u8]) -> Result<Vec<u8>> {
    use base64::Engine as _;
    if text.len() > MAX_LINE {
        return Err(bad("too long"));
    }
    let text = std::str::from_utf8(text).map_err(|_| bad("not UTF-8"))?;
    let mut fields = text.split_ascii_whitespace();
    let (Some(kind), Some(b64)) = (fields.next(), fields.next()) else {
        return Err(bad("expected `type base64 [comment]`"));
    };
    if !KEY_TYPES.contains(&kind) {
        return Err(bad("unsupported key type"));
    }
    let blob = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .map_err(|_| bad("key is not base64"))?;
    blob_to_spki(kind, &blob)
}

/// The SubjectPublicKeyInfo DER of an SSH wire-format public key whose outer type must be
/// `kind`.
fn blob_to_spki(kind: &str, blob: &[u8]) -> Result<Vec<u8>> {
    let mut w = Wire(blob);
    if w.string()? != kind.as_bytes() {
        return Err(bad("key type inside the key differs from the line's"));
    }
    let spki = match kind {
        "ssh-rsa" => {
            let e = w.mpint()?;
            let n = w.mpint()?;
            der::build_spki(KeyKind::Rsa, &der::build_rsa_public(n, e))
        }
        "ssh-ed25519" => {
            let k = w.string()?;
            if k.len() != 32 {
                return Err(bad("Ed25519 keys are 32 bytes"));
            }
            der::build_spki(KeyKind::Ed25519, k)
        }
        _ => {
            let (name, curve) = match kind {
                "ecdsa-sha2-nistp256" => ("nistp256", Curve::P256),
                "ecdsa-sha2-nistp384" => ("nistp384", Curve::P384),
                "ecdsa-sha2-nistp521" => ("nistp521", Curve::P521),
                _ => return Err(bad("unsupported key type")),
            };
            if w.string()? != name.as_bytes() {
                return Err(bad("curve name differs from the key type"));
            }
            let q = w.string()?;
            if q.len() != 1 + 2 * curve.coordinate_len() || q[0] != 4 {
                return Err(bad("EC public keys must be uncompressed points"));
            }
            der::build_spki(KeyKind::Ec(curve), q)
        }
    };
    w.finish()?;
    Ok(spki)
}

impl VerifyingKey {
    /// A public key from an OpenSSH public-key line (`ssh-rsa AAAA... comment`, as in
    /// `id_ed25519.pub` or `authorized_keys`, without options): `ssh-rsa`,
    /// `ecdsa-sha2-nistp256/384/521` or `ssh-ed25519`, bound to `alg`. The key's
    /// family must fit `alg` (an `ssh-rsa` key for `RS*`/`PS*`, and so on).
    /// [`VerifyingKey::from_pem`] also accepts such a line.
    pub fn from_openssh(alg: Algorithm, text: impl AsRef<[u8]>) -> Result<Self> {
        Self::openssh_as(Some(alg), text.as_ref())
    }

    /// [`VerifyingKey::from_openssh`] bound to `alg`, or (none) to the key's own family.
    pub(crate) fn openssh_as(alg: Option<Algorithm>, text: &[u8]) -> Result<Self> {
        if alg.is_some_and(Algorithm::is_symmetric) {
            return Err(Error::KeyAlgorithmMismatch(
                "HMAC keys are raw secrets; use VerifyingKey::hmac".into(),
            ));
        }
        Self::der_as(alg, &line_to_spki(text.trim_ascii())?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn string(out: &mut Vec<u8>, s: &[u8]) {
        out.extend_from_slice(&(s.len() as u32).to_be_bytes());
        out.extend_from_slice(s);
    }

    #[test]
    fn every_truncation_of_a_blob_is_an_error() {
        let mut blob = Vec::new();
        string(&mut blob, b"ssh-ed25519");
        string(&mut blob, &[7u8; 32]);
        assert!(blob_to_spki("ssh-ed25519", &blob).is_ok());
        for n in 0..blob.len() {
            assert!(blob_to_spki("ssh-ed25519", &blob[..n]).is_err(), "{n}");
        }
        let mut long = blob.clone();
        long.push(0);
        assert!(blob_to_spki("ssh-ed25519", &long).is_err());
        assert!(blob_to_spki("ssh-rsa", &blob).is_err());
        // a length prefix larger than the input
        assert!(blob_to_spki("ssh-ed25519", &[0xff, 0xff, 0xff, 0xff, 1]).is_err());
    }

    #[test]
    fn lines_that_are_not_keys() {
        for l in [
            &b""[..],
            b"ssh-rsa",
            b"ssh-dss AAAAB3NzaC1kc3MAAA==",
            b"ssh-ed25519 !!!",
            b"ecdsa-sha2-nistp256 AAAA",
        ] {
            assert!(line_to_spki(l).is_err(), "{l:?}");
        }
    }
}
