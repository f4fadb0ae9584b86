// Interoperability with the real `jose` and `jsonwebtoken` packages, both directions, for
// every algorithm this package and the peer both support.
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import { createRequire } from 'node:module'
import { test } from 'node:test'

import * as jose from 'jose'
import { strict } from '../jwt.mjs'
const { sign, verify, verifyAsync } = strict

const jsonwebtoken = createRequire(import.meta.url)('jsonwebtoken')

const now = () => Math.floor(Date.now() / 1000)
const KEYGEN = {
  HS: (bits) => ({ priv: crypto.createSecretKey(crypto.randomBytes(bits / 8)) }),
  RS: () => crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }),
  PS: () => crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }),
  ES256: () => crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  ES384: () => crypto.generateKeyPairSync('ec', { namedCurve: 'P-384' }),
  ES512: () => crypto.generateKeyPairSync('ec', { namedCurve: 'P-521' }),
  ES256K: () => crypto.generateKeyPairSync('ec', { namedCurve: 'secp256k1' }),
  EdDSA: () => crypto.generateKeyPairSync('ed25519')
}
function keysFor (alg) {
  if (alg.startsWith('HS')) {
    const k = KEYGEN.HS(Number(alg.slice(2)))
    return { signKey: k.priv, verifyKey: k.priv }
  }
  const pair = (KEYGEN[alg] || KEYGEN[alg.slice(0, 2)])()
  return { signKey: pair.privateKey, verifyKey: pair.publicKey }
}

const BOTH_JSONWEBTOKEN = ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512']
// jose 6 has no ES256K (secp256k1): that one is checked against node:crypto below.
const BOTH_JOSE = [...BOTH_JSONWEBTOKEN, 'EdDSA']

for (const alg of BOTH_JSONWEBTOKEN) {
  test(`jsonwebtoken interop ${alg}: theirs -> ours and ours -> theirs`, () => {
    const { signKey, verifyKey } = keysFor(alg)
    const claims = { sub: 'interop', n: 1, nested: { a: [1, 'x'] } }
    const theirs = jsonwebtoken.sign(claims, signKey, { algorithm: alg, expiresIn: 60, issuer: 'them', audience: 'us' })
    const p = verify(theirs, verifyKey, { algorithms: [alg], issuer: 'them', audience: 'us' })
    assert.deepEqual({ sub: p.sub, n: p.n, nested: p.nested }, claims)
    const ours = sign(claims, signKey, { algorithm: alg, expiresIn: 60, issuer: 'us', audience: 'them' })
    const q = jsonwebtoken.verify(ours, verifyKey, { algorithms: [alg], issuer: 'us', audience: 'them' })
    assert.deepEqual({ sub: q.sub, n: q.n, nested: q.nested }, claims)
    assert.equal(q.exp, q.iat + 60)
  })
}

for (const alg of BOTH_JOSE) {
  test(`jose interop ${alg}: theirs -> ours and ours -> theirs`, async () => {
    const { signKey, verifyKey } = keysFor(alg)
    const theirs = await new jose.SignJWT({ role: 'x' }).setProtectedHeader({ alg, typ: 'at+jwt', kid: 'k1' })
      .setIssuedAt().setExpirationTime('2m').setIssuer('jose').setAudience('us').sign(signKey)
    const c = await verifyAsync(theirs, verifyKey, { complete: true, issuer: 'jose', audience: 'us', typ: 'at+jwt' })
    assert.equal(c.payload.role, 'x')
    assert.equal(c.header.kid, 'k1')
    // jose's JWK export as our key
    const jwk = await jose.exportJWK(verifyKey)
    assert.equal(verify(theirs, { ...jwk, alg }, { issuer: 'jose', audience: 'us' }).role, 'x')

    const ours = sign({ role: 'y', exp: now() + 60 }, signKey, { algorithm: alg, audience: 'jose' })
    const { payload, protectedHeader } = await jose.jwtVerify(ours, verifyKey, { algorithms: [alg], audience: 'jose' })
    assert.equal(payload.role, 'y')
    assert.equal(protectedHeader.alg, alg)
  })
}

test('ES256K interop with node:crypto (RFC 8812): theirs -> ours and ours -> theirs', () => {
  const { signKey, verifyKey } = keysFor('ES256K')
  const b64 = (v) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url')
  const input = `${b64({ alg: 'ES256K', typ: 'JWT' })}.${b64({ role: 'x', exp: now() + 60 })}`
  const sig = crypto.sign('sha256', Buffer.from(input), { key: signKey, dsaEncoding: 'ieee-p1363' })
  assert.equal(verify(`${input}.${sig.toString('base64url')}`, verifyKey).role, 'x')

  const ours = sign({ role: 'y', exp: now() + 60 }, signKey, { algorithm: 'ES256K' })
  const [h, p, s] = ours.split('.')
  assert.equal(JSON.parse(Buffer.from(h, 'base64url')).alg, 'ES256K')
  assert.ok(crypto.verify('sha256', Buffer.from(`${h}.${p}`), { key: verifyKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url')))
  assert.equal(JSON.parse(Buffer.from(p, 'base64url')).role, 'y')
})

test('jose remote-style JWK sets verify our tokens and vice versa', async () => {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const jwk = { ...(await jose.exportJWK(publicKey)), kid: 'a', alg: 'ES256' }
  const ours = sign({ exp: now() + 60 }, privateKey, { keyid: 'a' })
  const set = jose.createLocalJWKSet({ keys: [jwk] })
  assert.ok((await jose.jwtVerify(ours, set)).payload.exp)
})
