// JWE (RFC 7516) through @jwt-core/node: round trips for every alg x enc pair the core
// offers, typed errors, nested JWTs, and interop with the real `jose` package both ways.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as jose from 'jose'
import { createEncrypter, createDecrypter, generateJweKey, generateKey, JsonWebTokenError } from '../jwt.mjs'

const ENCS = ['A128GCM', 'A192GCM', 'A256GCM', 'A128CBC-HS256', 'A192CBC-HS384', 'A256CBC-HS512']
const KW = ['A128KW', 'A192KW', 'A256KW', 'A128GCMKW', 'A192GCMKW', 'A256GCMKW']
const ECDH = ['ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A192KW', 'ECDH-ES+A256KW']
const CURVES = ['P-256', 'P-384', 'P-521', 'X25519']
const PBES2 = ['PBES2-HS256+A128KW', 'PBES2-HS384+A192KW', 'PBES2-HS512+A256KW']
// On jwt-core's aws-lc backend, which the addon is built with (constant-time RSA decryption).
const RSA = ['RSA-OAEP', 'RSA-OAEP-256']
const PASSWORD = 'correct horse battery staple'
const MSG = Buffer.from('The true sign of intelligence is not knowledge but imagination.')

/** Every (alg, enc, crv) case with a fresh key: { privateJwk, publicJwk } from jwt-core. */
function cases () {
  const out = []
  // one 2048-bit key per RSA alg, shared by every enc (RSA key generation is the slow part)
  const rsa = Object.fromEntries(RSA.map((alg) => [alg, generateJweKey(alg)]))
  for (const enc of ENCS) {
    for (const alg of RSA) out.push({ alg, enc, ...rsa[alg] })
    out.push({ alg: 'dir', enc, ...generateJweKey('dir', { enc }) })
    for (const alg of KW) out.push({ alg, enc, ...generateJweKey(alg) })
    for (const alg of ECDH) {
      for (const crv of CURVES) out.push({ alg, enc, crv, ...generateJweKey(alg, { crv }) })
    }
    for (const alg of PBES2) out.push({ alg, enc, password: true })
  }
  return out
}
const CASES = cases()
const label = (c) => `${c.alg}${c.crv ? ' ' + c.crv : ''} + ${c.enc}`

function ours (c) {
  if (c.password) {
    return {
      enc: createEncrypter({ key: PASSWORD, alg: c.alg, enc: c.enc, iterations: 1000 }),
      dec: createDecrypter({ key: PASSWORD, alg: c.alg, allowPbes2: 10_000 })
    }
  }
  return { enc: createEncrypter({ key: c.publicJwk, enc: c.enc }), dec: createDecrypter({ key: c.privateJwk }) }
}

function code (fn, expected) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof JsonWebTokenError, `not a JsonWebTokenError: ${e}`)
    assert.equal(e.code, expected, e.message)
    return true
  })
}

test(`round trip: every alg x enc (${CASES.length} pairs)`, () => {
  for (const c of CASES) {
    const { enc, dec } = ours(c)
    const t = enc.encrypt(MSG)
    const out = dec.decrypt(t)
    assert.deepEqual(out.plaintext, MSG, label(c))
    assert.equal(out.header.alg, c.alg)
    assert.equal(out.header.enc, c.enc)
  }
})

test('zip: DEF round trip, and the decompressed-size cap', () => {
  const k = generateJweKey('A256KW')
  const t = createEncrypter({ key: k.publicJwk, enc: 'A256GCM', zip: true }).encrypt('a'.repeat(100_000))
  assert.equal(createDecrypter({ key: k.privateJwk }).decrypt(t).plaintext.length, 100_000)
  code(() => createDecrypter({ key: k.privateJwk, maxPlaintextBytes: 1000 }).decrypt(t), 'input_too_large')
})

test('typed errors: wrong key, tampered tag, truncated tag, wrong enc, unsupported alg/enc', () => {
  const k = generateJweKey('A256KW')
  const other = generateJweKey('A256KW')
  const t = createEncrypter({ key: k.publicJwk, enc: 'A256GCM' }).encrypt(MSG)
  code(() => createDecrypter({ key: other.privateJwk }).decrypt(t), 'decryption_failed')
  const parts = t.split('.')
  const tag = Buffer.from(parts[4], 'base64url')
  tag[0] ^= 1
  code(() => createDecrypter({ key: k.privateJwk }).decrypt([...parts.slice(0, 4), tag.toString('base64url')].join('.')), 'decryption_failed')
  code(() => createDecrypter({ key: k.privateJwk }).decrypt([...parts.slice(0, 4), parts[4].slice(0, 16)].join('.')), 'decryption_failed')
  const ct = Buffer.from(parts[3], 'base64url')
  ct[0] ^= 1
  code(() => createDecrypter({ key: k.privateJwk }).decrypt([...parts.slice(0, 3), ct.toString('base64url'), parts[4]].join('.')), 'decryption_failed')
  // a dir key bound to A128GCM cannot take an A256GCM token
  const d = generateJweKey('dir', { enc: 'A128GCM' })
  code(() => createEncrypter({ key: d.publicJwk, enc: 'A256GCM' }), 'key_algorithm_mismatch')
  code(() => createDecrypter({ key: k.privateJwk, encryptions: ['A128GCM'] }).decrypt(t), 'algorithm_not_allowed')
  code(() => createEncrypter({ key: k.publicJwk, enc: 'A512GCM' }), 'unsupported_encryption')
  code(() => createEncrypter({ key: k.publicJwk, enc: 'A256GCM', header: { zip: 'LZ4' } }), 'unsupported_encryption')
  for (const alg of ['RSA1_5', 'RSA-OAEP-384']) {
    code(() => createDecrypter({ key: k.privateJwk, algorithms: [alg] }), 'unsupported_algorithm')
    const hdr = Buffer.from(JSON.stringify({ alg, enc: 'A256GCM' })).toString('base64url')
    code(() => createDecrypter({ key: k.privateJwk }).decrypt([hdr, ...parts.slice(1)].join('.')), 'unsupported_algorithm')
  }
  code(() => createDecrypter({ key: k.privateJwk }).decrypt('a.b.c'), 'malformed_token')
  code(() => createDecrypter({ key: PASSWORD, alg: 'PBES2-HS256+A128KW' }), 'invalid_argument') // PBES2 not enabled: refused at construction
})

test('RSA-OAEP: generated keys, public JWK to senders, the alg binding holds', () => {
  for (const alg of RSA) {
    const k = generateJweKey(alg)
    assert.equal(k.privateJwk.kty, 'RSA')
    assert.equal(k.privateJwk.alg, alg)
    assert.ok('d' in k.privateJwk && !('d' in k.publicJwk), 'the public JWK has no private member')
    assert.equal(Buffer.from(k.publicJwk.n, 'base64url').length, 256) // 2048 bits
    const t = createEncrypter({ key: k.publicJwk, enc: 'A256GCM' }).encrypt(MSG)
    assert.equal(Buffer.from(t.split('.')[1], 'base64url').length, 256) // one RSA block
    assert.deepEqual(createDecrypter({ key: k.privateJwk }).decrypt(t).plaintext, MSG)
    code(() => createDecrypter({ key: k.publicJwk }), 'invalid_key')
    const other = RSA.find((a) => a !== alg)
    const t2 = createEncrypter({ key: { ...k.publicJwk, alg: other }, enc: 'A256GCM' }).encrypt(MSG)
    code(() => createDecrypter({ key: k.privateJwk }).decrypt(t2), 'algorithm_not_allowed')
  }
})

test('PBES2: p2c above the cap is refused before any work', () => {
  const t = createEncrypter({ key: PASSWORD, alg: 'PBES2-HS256+A128KW', enc: 'A128GCM', iterations: 5000 }).encrypt(MSG)
  code(() => createDecrypter({ key: PASSWORD, alg: 'PBES2-HS256+A128KW', allowPbes2: 4000 }).decrypt(t), 'input_too_large')
})

test('nested JWT: sign then encrypt, decrypt then verify', () => {
  const sig = generateKey('ES256')
  const k = generateJweKey('ECDH-ES+A256KW', { crv: 'P-256' })
  const exp = Math.floor(Date.now() / 1000) + 600
  const t = createEncrypter({ key: k.publicJwk, enc: 'A256GCM' }).encryptJwt({ sub: 'alice', exp }, { signer: { key: sig.privateJwk } })
  const dec = createDecrypter({ key: k.privateJwk })
  assert.equal(dec.decrypt(t).header.cty, 'JWT')
  assert.deepEqual(dec.decryptJwt(t, { key: sig.publicJwk }), { sub: 'alice', exp })
  assert.equal(dec.decryptJwt(t, { key: sig.publicJwk, complete: true }).header.alg, 'ES256')
  code(() => dec.decryptJwt(t, { key: { ...generateKey('ES256').publicJwk, kid: sig.publicJwk.kid } }), 'invalid_signature')
  code(() => dec.decryptJwt(t, { key: sig.publicJwk, clockTimestamp: exp + 10 }), 'token_expired')
  // an encrypted, unsigned JWT is not a nested JWT
  const plain = createEncrypter({ key: k.publicJwk, enc: 'A256GCM' }).encryptJwt({ sub: 'bob' })
  assert.deepEqual(JSON.parse(dec.decrypt(plain).plaintext), { sub: 'bob' })
  code(() => dec.decryptJwt(plain, { key: sig.publicJwk }), 'invalid_header')
})

// ---------------------------------------------------------------------------------------
// Interop with jose: every pair both support (jose has all of ours, X25519 and PBES2 included)

async function joseKeys (c) {
  if (c.password) return { enc: new TextEncoder().encode(PASSWORD), dec: new TextEncoder().encode(PASSWORD) }
  if (c.privateJwk.kty === 'oct') {
    const k = Buffer.from(c.privateJwk.k, 'base64url')
    return { enc: new Uint8Array(k), dec: new Uint8Array(k) }
  }
  const { alg, kid, use, key_ops: ops, ...pub } = c.publicJwk
  const { alg: a2, kid: k2, use: u2, key_ops: o2, ...priv } = c.privateJwk
  return { enc: await jose.importJWK(pub, c.alg), dec: await jose.importJWK(priv, c.alg) }
}

test('interop: jose encrypts, jwt-core decrypts (every pair)', async () => {
  for (const c of CASES) {
    const k = await joseKeys(c)
    const p = { alg: c.alg, enc: c.enc }
    let e = new jose.CompactEncrypt(MSG).setProtectedHeader(p)
    if (c.password) e = e.setKeyManagementParameters({ p2c: 2048 })
    const t = await e.encrypt(k.enc)
    assert.deepEqual(ours(c).dec.decrypt(t).plaintext, MSG, label(c))
  }
})

test('interop: jwt-core encrypts, jose decrypts (every pair)', async () => {
  for (const c of CASES) {
    const k = await joseKeys(c)
    const t = ours(c).enc.encrypt(MSG)
    const out = await jose.compactDecrypt(t, k.dec, { keyManagementAlgorithms: [c.alg] })
    assert.deepEqual(Buffer.from(out.plaintext), MSG, label(c))
  }
})

test('interop: nested JWT and zip with jose', async () => {
  const sig = generateKey('ES256')
  const k = generateJweKey('ECDH-ES+A128KW', { crv: 'P-384' })
  const c = { alg: 'ECDH-ES+A128KW', ...k }
  const jk = await joseKeys(c)
  const exp = Math.floor(Date.now() / 1000) + 600
  // jose: sign, then encrypt with cty JWT
  const inner = await new jose.SignJWT({ sub: 'carol', exp }).setProtectedHeader({ alg: 'ES256' })
    .sign(await jose.importJWK(sig.privateJwk, 'ES256'))
  const t = await new jose.CompactEncrypt(Buffer.from(inner)).setProtectedHeader({ alg: c.alg, enc: 'A256GCM', cty: 'JWT' }).encrypt(jk.enc)
  assert.deepEqual(createDecrypter({ key: k.privateJwk }).decryptJwt(t, { key: sig.publicJwk }), { sub: 'carol', exp })
  // ours nested, jose decrypts and verifies
  const ours2 = createEncrypter({ key: k.publicJwk, enc: 'A128CBC-HS256', zip: true }).encryptJwt({ sub: 'dave', exp }, { signer: { key: sig.privateJwk } })
  const d = await jose.compactDecrypt(ours2, jk.dec)
  assert.equal(d.protectedHeader.cty, 'JWT')
  assert.equal(d.protectedHeader.zip, 'DEF')
  const v = await jose.jwtVerify(Buffer.from(d.plaintext).toString(), await jose.importJWK(sig.publicJwk, 'ES256'))
  assert.equal(v.payload.sub, 'dave')
})

test('interop: jose flattened/general JSON decrypts with decryptJson', async () => {
  const k = generateJweKey('A256KW')
  const key = new Uint8Array(Buffer.from(k.privateJwk.k, 'base64url'))
  const flat = await new jose.FlattenedEncrypt(MSG).setProtectedHeader({ alg: 'A256KW', enc: 'A256GCM' })
    .setAdditionalAuthenticatedData(Buffer.from('aad')).encrypt(key)
  assert.deepEqual(createDecrypter({ key: k.privateJwk }).decryptJson(flat).plaintext, MSG)
  const general = await new jose.GeneralEncrypt(MSG).setProtectedHeader({ enc: 'A128CBC-HS256' })
    .addRecipient(key).setUnprotectedHeader({ alg: 'A256KW' }).encrypt()
  assert.deepEqual(createDecrypter({ key: k.privateJwk }).decryptJson(JSON.stringify(general)).plaintext, MSG)
})
