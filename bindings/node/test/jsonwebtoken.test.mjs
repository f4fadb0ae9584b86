// The jsonwebtoken door (sign / verify / decode with jsonwebtoken 9's defaults): what
// jsonwebtoken's own suite (test/peer/jsonwebtoken.mjs) does not cover, chiefly where this
// package refuses on purpose (docs/node.md, "Differences from jsonwebtoken").
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import { test } from 'node:test'

import { sign, verify, decode, strict, JsonWebTokenError, TokenExpiredError } from '../jwt.mjs'
import { b64u } from './helpers.mjs'

const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' })
const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })

/** An HS256 token signed with `secretBytes` (what an attacker holding a public key makes). */
function hs256With (secretBytes, claims = { sub: 'admin' }) {
  const input = b64u(JSON.stringify({ alg: 'HS256', typ: 'JWT' })) + '.' + b64u(JSON.stringify(claims))
  return input + '.' + crypto.createHmac('sha256', secretBytes).update(input).digest('base64url')
}

test('jsonwebtoken defaults: short secrets sign and verify, no exp needed, aud unchecked without audience', () => {
  const t = sign({ sub: 'u', aud: 'x' }, 'shhhhh')
  const p = verify(t, 'shhhhh')
  assert.equal(p.sub, 'u')
  assert.equal(typeof p.iat, 'number')
  assert.equal(p.exp, undefined)
})

test('short secrets are signed by the core as jsonwebtoken signs them; string and Buffer payloads get no typ', async () => {
  const { createRequire } = await import('node:module')
  const peer = createRequire(import.meta.url)('jsonwebtoken')
  const long = 'a-secret-of-sixty-four-bytes-for-hs512-a-secret-of-sixty-four-b'
  for (const secret of ['shhhhh', long, Buffer.from('shhhhh')]) {
    for (const algorithm of ['HS256', 'HS384', 'HS512']) {
      for (const payload of [{ sub: 'u', iat: 1 }, 'a string payload', Buffer.from('bytes')]) {
        const ours = sign(payload, secret, { algorithm })
        assert.equal(ours, peer.sign(payload, secret, { algorithm }), `${algorithm} ${typeof payload} ${secret.length}`)
      }
    }
  }
  assert.deepEqual(decode(sign('text', 'shhhhh'), { complete: true }).header, { alg: 'HS256' })
  // Short or not, a secret that is key material stays refused, and an empty one too.
  const pem = ec.publicKey.export({ format: 'pem', type: 'spki' })
  assert.throws(() => sign({ a: 1 }, pem, { algorithm: 'HS256' }), /symmetric key|HMAC secret/)
})

test('alg none is never verified, whatever algorithms say', () => {
  const unsigned = sign({ sub: 'u' }, null, { algorithm: 'none' })
  assert.ok(unsigned.endsWith('.'))
  assert.throws(() => verify(unsigned, undefined, { algorithms: ['none'] }), { code: 'unsupported_algorithm' })
  for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
    const t = b64u(JSON.stringify({ alg })) + '.' + b64u('{"sub":"u"}') + '.'
    assert.throws(() => verify(t, 'secret', { algorithms: ['none', alg, 'HS256'] }), JsonWebTokenError)
    const signed = b64u(JSON.stringify({ alg })) + '.' + b64u('{"sub":"u"}') + '.' + b64u('sig')
    assert.throws(() => verify(signed, 'secret', { algorithms: [alg] }), JsonWebTokenError)
  }
})

test('a public key is never an HMAC secret, in any spelling', () => {
  for (const pub of [ec.publicKey, rsa.publicKey]) {
    const pem = pub.export({ format: 'pem', type: 'spki' })
    const der = pub.export({ format: 'der', type: 'spki' })
    const jwk = pub.export({ format: 'jwk' })
    const spellings = [pem, Buffer.from(pem), der, pub, jwk, pem.replace(/\n/g, '\r\n'), '  ' + pem]
    for (const secret of [pem, Buffer.from(pem), der]) {
      const token = hs256With(secret)
      for (const key of spellings) {
        assert.throws(() => verify(token, key, { algorithms: ['HS256'] }), JsonWebTokenError, `key as ${typeof key}`)
        assert.throws(() => verify(token, key), JsonWebTokenError)
      }
    }
  }
})

test('callback mode: errors go to the callback, never thrown', () => {
  let calls = 0
  verify('not.a.token', 'secret', (err, data) => {
    calls++
    assert.ok(err instanceof JsonWebTokenError)
    assert.equal(data, undefined)
  })
  verify(sign({ exp: 1 }, 'k'), 'k', {}, (err) => {
    calls++
    assert.ok(err instanceof TokenExpiredError)
    assert.equal(err.message, 'jwt expired')
    assert.deepEqual(err.expiredAt, new Date(1000))
  })
  assert.equal(calls, 2)
  return new Promise((resolve) => {
    sign({ exp: 'x' }, 'k', (err, token) => {
      assert.equal(err.message, '"exp" should be a number of seconds')
      assert.equal(token, undefined)
      resolve()
    })
  })
})

test('getKey(header, callback) supplies the key; its error is wrapped', async () => {
  const token = sign({ sub: 'u' }, ec.privateKey, { algorithm: 'ES256', keyid: 'k1' })
  const claims = await new Promise((resolve, reject) => {
    verify(token, (header, cb) => cb(null, header.kid === 'k1' ? ec.publicKey : null), (err, p) => err ? reject(err) : resolve(p))
  })
  assert.equal(claims.sub, 'u')
  verify(token, (header, cb) => cb(new Error('boom')), (err) => {
    assert.equal(err.message, 'error in secret or public key callback: boom')
  })
  assert.throws(() => verify(token, (h, cb) => cb(null, ec.publicKey)), /verify must be called asynchronous/)
})

test('a payload whose toJSON adds exp yields one exp member, the option\'s', () => {
  const payload = { sub: 'u', toJSON () { return { sub: 'u', exp: 9_999_999_999 } } }
  const token = sign(payload, 'k', { expiresIn: 60 })
  const text = Buffer.from(token.split('.')[1], 'base64url').toString()
  assert.equal(text.match(/"exp"/g).length, 1)
  const p = verify(token, 'k')
  assert.ok(p.exp < Math.floor(Date.now() / 1000) + 120)
  // and a toJSON-only exp without the option is kept as is (one member)
  const only = decode(sign({ toJSON: () => ({ exp: 5 }) }, 'k', { noTimestamp: true }))
  assert.deepEqual(only, { exp: 5 })
})

test('RSA keys under 2048 bits are refused even with allowInsecureKeySizes', () => {
  const small = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 })
  assert.throws(() => sign({}, small.privateKey, { algorithm: 'RS256', allowInsecureKeySizes: true }), /minimum key size of 2048 bits/)
})

test('key types and their algorithms: jsonwebtoken\'s own table, plus the core\'s algorithms', () => {
  const ed = crypto.generateKeyPairSync('ed25519')
  const k1 = crypto.generateKeyPairSync('ec', { namedCurve: 'secp256k1' })
  // jsonwebtoken's message, its order, then what the core adds for that key type
  assert.throws(() => sign({}, ec.privateKey, { algorithm: 'RS256' }), { message: '"alg" parameter for "ec" key type must be one of: ES256, ES384, ES512, ES256K.' })
  assert.throws(() => sign({}, rsa.privateKey, { algorithm: 'ES256' }), { message: '"alg" parameter for "rsa" key type must be one of: RS256, PS256, RS384, PS384, RS512, PS512.' })
  assert.throws(() => sign({}, ed.privateKey, { algorithm: 'ES256' }), { message: '"alg" parameter for "ed25519" key type must be one of: EdDSA, Ed25519.' })
  assert.equal(decode(sign({}, k1.privateKey, { algorithm: 'ES256K' }), { complete: true }).header.alg, 'ES256K')
  // an Ed25519 key signs as EdDSA, and as RFC 9864's Ed25519 when asked
  const eddsa = sign({ sub: 'u' }, ed.privateKey, { algorithm: 'EdDSA' })
  const ed25519 = sign({ sub: 'u' }, ed.privateKey, { algorithm: 'Ed25519' })
  assert.equal(decode(eddsa, { complete: true }).header.alg, 'EdDSA')
  assert.equal(decode(ed25519, { complete: true }).header.alg, 'Ed25519')
  // without `algorithms`, a key type jsonwebtoken does not know allows the core's
  // algorithms for it (both names of the Ed25519 signature); a list is exact
  for (const t of [eddsa, ed25519]) assert.equal(verify(t, ed.publicKey).sub, 'u')
  assert.equal(verify(ed25519, ed.publicKey, { algorithms: ['Ed25519'] }).sub, 'u')
  assert.throws(() => verify(ed25519, ed.publicKey, { algorithms: ['EdDSA'] }), { message: 'invalid algorithm' })
})

test('an oct JWK object with a short secret: as jsonwebtoken treats the same secret in its own spellings, on sign and verify', () => {
  // jsonwebtoken 9 signs and verifies with secrets shorter than the hash (a string, a
  // Buffer, a secret KeyObject); an `oct` JWK object (this package's addition) follows
  // it on both sides: the same tokens, each verified by every spelling.
  const secret = Buffer.from('shhhhh')
  const jwk = { kty: 'oct', k: secret.toString('base64url') }
  const spellings = ['shhhhh', secret, crypto.createSecretKey(secret), jwk]
  for (const algorithm of ['HS256', 'HS384', 'HS512']) {
    const tokens = spellings.map((key) => sign({ sub: 'u', iat: 1 }, key, { algorithm }))
    for (const t of tokens) assert.equal(t, tokens[0], algorithm)
    for (const key of spellings) assert.equal(verify(tokens[0], key).sub, 'u', algorithm)
    assert.equal(verify(tokens[0], { ...jwk, alg: algorithm }).sub, 'u')
  }
  // the JWK's own members still apply, sign and verify alike: its alg, its use; key_ops
  // per operation
  const t = sign({ sub: 'u' }, jwk)
  const alg512 = { ...jwk, alg: 'HS512' }
  assert.throws(() => sign({ sub: 'u' }, alg512), (e) => e.code === 'key_algorithm_mismatch')
  assert.throws(() => verify(t, alg512), (e) => e.code === 'key_algorithm_mismatch')
  assert.throws(() => sign({ sub: 'u' }, { ...jwk, key_ops: ['verify'] }), (e) => e.code === 'key_usage_not_allowed')
  assert.equal(verify(t, { ...jwk, key_ops: ['verify'] }).sub, 'u')
  // a JWK the core reads no key from (an encryption key, an empty secret) is not key
  // material, in jsonwebtoken's words, on both sides
  for (const bad of [{ ...jwk, use: 'enc' }, { kty: 'oct', k: '' }]) {
    assert.throws(() => sign({ sub: 'u' }, bad), { message: 'secretOrPrivateKey is not valid key material' })
    assert.throws(() => verify(t, bad), { message: 'secretOrPublicKey is not valid key material' })
  }
  // the strict door keeps the core's minimum for the JWK as for the string
  for (const key of ['shhhhh', jwk]) {
    assert.throws(() => strict.sign({ sub: 'u', exp: 2e9 }, key, { algorithm: 'HS256' }), (e) => e.code === 'weak_key')
    assert.throws(() => strict.verify(t, key), (e) => e.code === 'weak_key')
  }
})

test('per-key caches: a string key never shares an entry with a Buffer or a JWK key', () => {
  const bytes = Buffer.from('a secret given as a Buffer')
  const jwk = { kty: 'oct', k: Buffer.from('a secret given as a JWK').toString('base64url') }
  for (const key of [bytes, jwk]) {
    const t = sign({ sub: 'u' }, key)
    assert.equal(verify(t, key).sub, 'u')
    // strings that once spelled these keys' cache entries are other secrets
    for (const other of ['\u0000buf:' + bytes.toString('base64'), '\u0000jwk:' + JSON.stringify(jwk)]) {
      assert.throws(() => verify(t, other), { message: 'invalid signature' })
    }
  }
})
