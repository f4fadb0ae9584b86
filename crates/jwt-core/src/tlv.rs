//! The DER primitives under the key containers of `der` and the explicit curve
//! parameters of `ec_params`: a strict cursor (definite lengths, minimal length encoding,
//! everything bounded by the input slice, no recursion on attacker input) and the TLV
//! writer. Both of those modules build on this one, so neither imports the other's
//! internals to read a TLV.

use crate::error::{Error, Result};

pub(crate) const TAG_INTEGER: u8 = 0x02;
pub(crate) const TAG_BIT_STRING: u8 = 0x03;
pub(crate) const TAG_OCTET_STRING: u8 = 0x04;
pub(crate) const TAG_NULL: u8 = 0x05;
pub(crate) const TAG_OID: u8 = 0x06;
pub(crate) const TAG_SEQUENCE: u8 = 0x30;

pub(crate) fn bad(what: &str) -> Error {
    Error::invalid_key(format_args!("bad DER: {what}"))
}

/// A cursor over DER bytes.
#[derive(Clone, Copy)]
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Reader { rest: bytes }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    pub(crate) fn peek_tag(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    /// Read one TLV with the given tag and return its contents.
    pub(crate) fn read(&mut self, tag: u8) -> Result<&'a [u8]> {
        let (&t, rest) = self.rest.split_first().ok_or_else(|| bad("truncated"))?;
        if t != tag {
            return Err(bad("unexpected tag"));
        }
        let (&l0, mut rest) = rest.split_first().ok_or_else(|| bad("truncated"))?;
        let len = if l0 < 0x80 {
            l0 as usize
        } else {
            let n = (l0 & 0x7f) as usize;
            if n == 0 || n > 4 || rest.len() < n {
                return Err(bad("length"));
            }
            let mut len = 0usize;
            for &b in &rest[..n] {
                len = (len << 8) | b as usize;
            }
            // DER: minimal length encoding
            if len < 0x80 || rest[0] == 0 {
                return Err(bad("non-minimal length"));
            }
            rest = &rest[n..];
            len
        };
        if rest.len() < len {
            return Err(bad("truncated"));
        }
        let (body, after) = rest.split_at(len);
        self.rest = after;
        Ok(body)
    }

    /// Read one TLV of any tag: the tag, the whole encoding and the contents.
    pub(crate) fn read_any(&mut self) -> Result<(u8, &'a [u8], &'a [u8])> {
        let start = self.rest;
        let tag = self.peek_tag().ok_or_else(|| bad("truncated"))?;
        let body = self.read(tag)?;
        let used = start.len() - self.rest.len();
        Ok((tag, &start[..used], body))
    }

    pub(crate) fn read_seq(&mut self) -> Result<Reader<'a>> {
        Ok(Reader::new(self.read(TAG_SEQUENCE)?))
    }

    /// An unsigned INTEGER, returned without its sign-padding zero.
    pub(crate) fn read_uint(&mut self) -> Result<&'a [u8]> {
        let v = self.read(TAG_INTEGER)?;
        match v {
            [] => Err(bad("empty integer")),
            [b, ..] if b & 0x80 != 0 => Err(bad("negative integer")),
            [0, b, ..] if b & 0x80 == 0 => Err(bad("non-minimal integer")),
            [0, rest @ ..] if !rest.is_empty() => Ok(rest),
            _ => Ok(v),
        }
    }

    /// A BIT STRING with no unused bits.
    pub(crate) fn read_bits(&mut self) -> Result<&'a [u8]> {
        match self.read(TAG_BIT_STRING)? {
            [0, rest @ ..] => Ok(rest),
            _ => Err(bad("bit string with unused bits")),
        }
    }

    pub(crate) fn finish(&self) -> Result<()> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(bad("trailing data"))
        }
    }
}

/// Append one TLV.
pub(crate) fn write(out: &mut Vec<u8>, tag: u8, body: &[u8]) {
    out.push(tag);
    let len = body.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(body);
}

pub(crate) fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(body.len() + 6);
    write(&mut v, tag, body);
    v
}

/// An unsigned big-endian integer as a DER INTEGER.
pub(crate) fn write_uint(out: &mut Vec<u8>, be: &[u8]) {
    let trimmed = {
        let skip = be.iter().take_while(|b| **b == 0).count();
        &be[skip.min(be.len().saturating_sub(1))..]
    };
    if trimmed.is_empty() {
        write(out, TAG_INTEGER, &[0]);
    } else if trimmed[0] & 0x80 != 0 {
        let mut v = Vec::with_capacity(trimmed.len() + 1);
        v.push(0);
        v.extend_from_slice(trimmed);
        write(out, TAG_INTEGER, &v);
    } else {
        write(out, TAG_INTEGER, trimmed);
    }
}
