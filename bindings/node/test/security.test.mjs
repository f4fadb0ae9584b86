// Every attack class of SECURITY.md through the Node API: the class of the error and its
// stable `.code` (the same codes the core's tests/attacks.rs asserts).
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import { test } from 'node:test'

import { strict, createVerifier, createLocalJWKSet, KeySet, TokenError, JsonWebTokenError, TokenExpiredError, NotBeforeError } from '../jwt.mjs'
const { sign, verify } = strict
import { throwsCode, b64u } from './helpers.mjs'

const secret = Buffer.alloc(32, 9)
const now = () => Math.floor(Date.now() / 1000)
const claims = () => ({ sub: 'u', exp: now() + 600 })

function hmac (key, input, hash = 'sha256') {
  return crypto.createHmac(hash, key).update(input).digest('base64url')
}
/** A token with any header and payload, HMAC-signed with `key` (or unsigned). */
function forge (header, payload, key = secret, hash = 'sha256') {
  const input = (typeof header === 'string' ? Buffer.from(header).toString('base64url') : b64u(header)) + '.' +
    (typeof payload === 'string' ? Buffer.from(payload).toString('base64url') : b64u(payload))
  return input + '.' + (key === null ? '' : hmac(key, input, hash))
}
function jwtErr (fn, code) {
  return throwsCode(fn, JsonWebTokenError, code)
}

const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' })
const ed = crypto.generateKeyPairSync('ed25519')

test('alg none in every spelling, with and without a signature', () => {
  for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
    for (const sig of [null, secret]) {
      const token = forge({ alg, typ: 'JWT' }, claims(), sig)
      jwtErr(() => verify(token, secret), 'unsupported_algorithm')
      jwtErr(() => verify(token, secret, { algorithms: ['HS256'] }), 'unsupported_algorithm')
    }
  }
  jwtErr(() => verify(forge({ alg: 'none' }, claims(), null), secret, { algorithms: ['none'] }), 'unsupported_algorithm')
})

test('algorithm confusion: a public key is never an HMAC secret, in any format', () => {
  for (const pair of [rsa, ec, ed]) {
    const pem = pair.publicKey.export({ format: 'pem', type: 'spki' })
    const der = pair.publicKey.export({ format: 'der', type: 'spki' })
    const jwk = pair.publicKey.export({ format: 'jwk' })
    // the classic attack: HS256 signed with the public key's PEM text
    for (const material of [pem, Buffer.from(pem), der]) {
      const token = forge({ alg: 'HS256', typ: 'JWT' }, claims(), material)
      // the verifier's algorithms come from the key (its family), never from the token
      jwtErr(() => verify(token, pem), 'algorithm_not_allowed')
      jwtErr(() => verify(token, pair.publicKey), 'algorithm_not_allowed')
      jwtErr(() => verify(token, jwk), 'algorithm_not_allowed')
      // even when the caller asks for HS256, the PEM is refused as a secret
      jwtErr(() => verify(token, pem, { algorithms: ['HS256'] }), 'key_algorithm_mismatch')
      jwtErr(() => verify(token, Buffer.from(pem), { algorithms: ['HS256'] }), 'key_algorithm_mismatch')
      jwtErr(() => verify(token, pair.publicKey, { algorithms: ['HS256'] }), 'key_algorithm_mismatch')
      jwtErr(() => verify(token, jwk, { algorithms: ['HS256'] }), 'key_algorithm_mismatch')
    }
    // the public JWK as JSON text: the core reads it as the JWK it is (never a secret),
    // so the algorithms come from it, and HS256 asked for does not fit it
    const jwkText = JSON.stringify(jwk)
    const forged = forge({ alg: 'HS256' }, claims(), jwkText)
    jwtErr(() => verify(forged, jwkText), 'algorithm_not_allowed')
    jwtErr(() => verify(forged, jwkText, { algorithms: ['HS256'] }), 'key_algorithm_mismatch')
  }
})

test('keys of one family never verify another; allowed algorithms come from the caller or key', () => {
  const rsToken = sign(claims(), rsa.privateKey, { algorithm: 'RS256' })
  jwtErr(() => verify(rsToken, ec.publicKey), 'algorithm_not_allowed')
  jwtErr(() => verify(rsToken, rsa.publicKey, { algorithms: ['RS384'] }), 'algorithm_not_allowed')
  jwtErr(() => verify(rsToken, rsa.publicKey, { algorithms: ['ES256'] }), 'key_algorithm_mismatch')
  const psToken = sign(claims(), rsa.privateKey, { algorithm: 'PS256' })
  assert.ok(verify(psToken, rsa.publicKey))
  jwtErr(() => verify(psToken, rsa.publicKey, { algorithms: ['RS256'] }), 'algorithm_not_allowed')
  const hsToken = sign(claims(), Buffer.alloc(48, 9), { algorithm: 'HS384' })
  jwtErr(() => verify(hsToken, Buffer.alloc(48, 9), { algorithms: ['HS256'] }), 'algorithm_not_allowed')
})

test("a JWK's alg, use and key_ops are honoured", () => {
  const token = sign(claims(), rsa.privateKey, { algorithm: 'RS256' })
  const jwk = rsa.publicKey.export({ format: 'jwk' })
  jwtErr(() => verify(token, { ...jwk, alg: 'PS256' }), 'algorithm_not_allowed')
  jwtErr(() => verify(token, { ...jwk, use: 'enc' }), 'key_usage_not_allowed')
  jwtErr(() => verify(token, { ...jwk, key_ops: ['encrypt'] }), 'key_usage_not_allowed')
  assert.ok(verify(token, { ...jwk, alg: 'RS256', use: 'sig', key_ops: ['verify'] }))
})

test('ECDSA: DER signatures, zero r/s, r or s >= n, wrong lengths are rejected', () => {
  const token = sign(claims(), ec.privateKey, { algorithm: 'ES256' })
  const [h, p, s] = token.split('.')
  const raw = Buffer.from(s, 'base64url')
  const r = raw.subarray(0, 32)
  const sv = raw.subarray(32)
  const int = (b) => { let i = 0; while (i < b.length - 1 && b[i] === 0) i++; b = b.subarray(i); return b[0] & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b }
  const derSig = (() => { const a = int(r); const b = int(sv); return Buffer.concat([Buffer.from([0x30, a.length + b.length + 4, 0x02, a.length]), a, Buffer.from([0x02, b.length]), b]) })()
  const n = Buffer.from('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551', 'hex')
  const bad = [
    derSig,
    Buffer.alloc(64), // psychic signature: r = s = 0 (CVE-2022-21449)
    Buffer.concat([n, n]),
    Buffer.concat([r, n]),
    raw.subarray(0, 63),
    Buffer.concat([raw, Buffer.from([0])])
  ]
  for (const sig of bad) {
    jwtErr(() => verify(`${h}.${p}.${sig.toString('base64url')}`, ec.publicKey), 'invalid_signature')
  }
  assert.ok(verify(token, ec.publicKey))
})

test('short HMAC keys are refused for signing and flagged for verifying unless opted in', () => {
  jwtErr(() => sign(claims(), 'short-secret'), 'weak_key')
  jwtErr(() => sign(claims(), Buffer.alloc(31)), 'weak_key')
  jwtErr(() => sign(claims(), Buffer.alloc(32), { algorithm: 'HS512' }), 'weak_key')
  const legacy = forge({ alg: 'HS256', typ: 'JWT' }, claims(), 'short-secret')
  jwtErr(() => verify(legacy, 'short-secret'), 'weak_key')
  assert.equal(verify(legacy, 'short-secret', { allowShortSecret: true }).sub, 'u')
})

test('RSA keys under 2048 bits are refused', () => {
  const small = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 })
  jwtErr(() => sign(claims(), small.privateKey, { algorithm: 'RS256' }), 'weak_key')
  const input = b64u({ alg: 'RS256' }) + '.' + b64u(claims())
  const sig = crypto.sign('sha256', Buffer.from(input), small.privateKey).toString('base64url')
  jwtErr(() => verify(`${input}.${sig}`, small.publicKey), 'weak_key')
})

test('crit with undeclared extensions is rejected; b64 only when declared', () => {
  jwtErr(() => verify(forge({ alg: 'HS256', crit: ['exp'], exp: 1 }, claims()), secret), 'unsupported_critical_header')
  jwtErr(() => verify(forge({ alg: 'HS256', crit: ['x-ext'], 'x-ext': 1 }, claims()), secret), 'unsupported_critical_header')
  jwtErr(() => verify(forge({ alg: 'HS256', crit: [] }, claims()), secret), 'unsupported_critical_header')
  const t = forge({ alg: 'HS256', crit: ['x-ext'], 'x-ext': 1 }, claims())
  assert.equal(verify(t, secret, { critical: ['x-ext'] }).sub, 'u')
  // b64:false is not a JWT: even declared, verify() (claims) refuses it
  const b64false = forge({ alg: 'HS256', crit: ['b64'], b64: false }, claims())
  jwtErr(() => verify(b64false, secret), 'unsupported_critical_header')
})

test('jku, x5u, embedded jwk and x5c are never followed or trusted', () => {
  const attacker = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const input = b64u({ alg: 'ES256', jwk: attacker.publicKey.export({ format: 'jwk' }), jku: 'https://evil/jwks', x5u: 'https://evil/x5u', x5c: ['MIIB'] }) + '.' + b64u(claims())
  const sig = crypto.sign('sha256', Buffer.from(input), { key: attacker.privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')
  jwtErr(() => verify(`${input}.${sig}`, ec.publicKey), 'invalid_signature')
})

test('kid only selects among supplied keys, never a key of another algorithm', () => {
  const set = new KeySet()
  set.addSecret('HS256', secret, 'shared')
  set.addPem('ES256', ec.publicKey.export({ format: 'pem', type: 'spki' }), 'ec-key')
  const ecToken = sign(claims(), ec.privateKey, { keyid: 'ec-key' })
  assert.ok(verify(ecToken, set))
  // an HS256 token pointing at the EC key's kid
  jwtErr(() => verify(forge({ alg: 'HS256', kid: 'ec-key' }, claims()), set), 'algorithm_not_allowed')
  jwtErr(() => verify(forge({ alg: 'HS256', kid: 'nobody' }, claims()), set), 'key_not_found')
  const jwks = createLocalJWKSet({ keys: [{ ...ec.publicKey.export({ format: 'jwk' }), kid: 'ec-key' }] })
  jwtErr(() => verify(forge({ alg: 'HS256', kid: 'ec-key' }, claims()), jwks), 'algorithm_not_allowed')
})

test('typ can be required and compares case-insensitively', () => {
  const t = forge({ alg: 'HS256', typ: 'AT+JWT' }, claims())
  assert.ok(verify(t, secret, { typ: 'at+jwt' }))
  assert.ok(verify(forge({ alg: 'HS256', typ: 'application/at+jwt' }, claims()), secret, { typ: 'at+jwt' }))
  jwtErr(() => verify(forge({ alg: 'HS256', typ: 'JWT' }, claims()), secret, { typ: 'at+jwt' }), 'invalid_type')
  jwtErr(() => verify(forge({ alg: 'HS256' }, claims()), secret, { typ: 'at+jwt' }), 'invalid_type')
  jwtErr(() => strict.createVerifier({ key: secret, checkTyp: 'at+jwt' })(forge({ alg: 'HS256' }, claims())), 'invalid_type')
  assert.throws(() => createVerifier({ key: secret, checkTyp: 'at+jwt' })(forge({ alg: 'HS256' }, claims())),
    (e) => e instanceof TokenError && e.code === 'FAST_JWT_INVALID_TYPE' && e.coreCode === 'invalid_type')
})

test('segments and strict base64url', () => {
  const good = sign(claims(), secret)
  const [h, p, s] = good.split('.')
  for (const t of [`${h}.${p}`, `${h}.${p}.${s}.x`, `${h}.${p}.${s}.x.y`, `${h}=.${p}.${s}`, `${h}.${p}.${s}=`,
    `${h}.${p.replace(/-/g, '+') + '+'}.${s}`, ` ${good}`, `${h}.${p}\n.${s}`, 'a.b', '...']) {
    jwtErr(() => verify(t, secret), 'malformed_token')
  }
  // non-canonical trailing bits in the signature
  const last = s[s.length - 1]
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
  const tweaked = alphabet[alphabet.indexOf(last) ^ 1]
  jwtErr(() => verify(`${h}.${p}.${s.slice(0, -1)}${tweaked}`, secret), 'malformed_token')
})

test('header and payload must be UTF-8 JSON objects without duplicate members', () => {
  jwtErr(() => verify(forge('{"alg":"HS256","alg":"HS256"}', claims()), secret), 'duplicate_member')
  jwtErr(() => verify(forge({ alg: 'HS256' }, '{"exp":9999999999,"exp":1}'), secret), 'duplicate_member')
  jwtErr(() => verify(forge({ alg: 'HS256' }, '{"a":{"b":1,"b":2},"exp":9999999999}'), secret), 'duplicate_member')
  jwtErr(() => verify(forge({ alg: 'HS256' }, '[1,2]'), secret), 'malformed_token')
  jwtErr(() => verify(forge('"HS256"', claims()), secret), 'malformed_token')
  const input = b64u({ alg: 'HS256' }) + '.' + Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]).toString('base64url')
  jwtErr(() => verify(input + '.' + hmac(secret, input), secret), 'malformed_token')
  jwtErr(() => verify(forge({ alg: 'HS256' }, '{"exp":9999999999'), secret), 'malformed_token')
})

test('depth and size limits are checked before any work', () => {
  const deep = '{"exp":9999999999,"a":' + '['.repeat(100) + ']'.repeat(100) + '}'
  jwtErr(() => verify(forge({ alg: 'HS256' }, deep), secret), 'malformed_token')
  const bigHeader = forge({ alg: 'HS256', pad: 'x'.repeat(9000) }, claims())
  jwtErr(() => verify(bigHeader, secret), 'input_too_large')
  jwtErr(() => verify('a'.repeat(1024 * 1024 + 1), secret), 'input_too_large')
})

test('registered claims must have their registered types', () => {
  jwtErr(() => verify(forge({ alg: 'HS256' }, { exp: String(now() + 60) }), secret), 'invalid_claim')
  jwtErr(() => verify(forge({ alg: 'HS256' }, { exp: now() + 60, nbf: 'x' }), secret), 'invalid_claim')
  jwtErr(() => verify(forge({ alg: 'HS256' }, { exp: now() + 60, aud: ['a', 1] }), secret, { audience: 'a' }), 'invalid_claim')
  jwtErr(() => verify(forge({ alg: 'HS256' }, { exp: now() + 60, iss: 5 }), secret), 'invalid_claim')
  jwtErr(() => verify(forge({ alg: 'HS256' }, '{"exp":1e400}'), secret), 'malformed_token')
  jwtErr(() => verify(forge({ alg: 'HS256' }, { exp: 1e300 }), secret), 'invalid_claim')
})

test('exp required and checked; nbf and iat honoured; leeway explicit; max age', () => {
  jwtErr(() => verify(forge({ alg: 'HS256' }, { sub: 'u' }), secret), 'missing_claim')
  throwsCode(() => verify(forge({ alg: 'HS256' }, { exp: now() - 1 }), secret), TokenExpiredError, 'token_expired')
  throwsCode(() => verify(forge({ alg: 'HS256' }, { exp: now() + 60, nbf: now() + 30 }), secret), NotBeforeError, 'token_not_yet_valid')
  jwtErr(() => verify(forge({ alg: 'HS256' }, { exp: now() + 600, iat: now() + 300 }), secret), 'token_issued_in_future')
  assert.ok(verify(forge({ alg: 'HS256' }, { exp: now() - 10 }), secret, { clockTolerance: 30 }))
  jwtErr(() => verify(forge({ alg: 'HS256' }, { exp: now() + 600, iat: now() - 120 }), secret, { maxAge: 60 }), 'token_too_old')
  jwtErr(() => verify(forge({ alg: 'HS256' }, { exp: now() + 600 }), secret, { maxAge: 60 }), 'missing_claim')
})

test('iss and aud are compared exactly (no substring or prefix match)', () => {
  const t = forge({ alg: 'HS256' }, { exp: now() + 60, iss: 'https://issuer.example.evil', aud: 'api-evil' })
  jwtErr(() => verify(t, secret, { issuer: 'https://issuer.example', audience: 'api-evil' }), 'invalid_issuer')
  jwtErr(() => verify(t, secret, { issuer: 'https://issuer.example.evil', audience: 'api' }), 'invalid_audience')
  const t2 = forge({ alg: 'HS256' }, { exp: now() + 60, iss: '__issuer', aud: ['_api'] })
  jwtErr(() => verify(t2, secret, { issuer: 'issuer', audience: '_api' }), 'invalid_issuer')
})

test('required and exact-value claims', () => {
  const t = forge({ alg: 'HS256' }, { exp: now() + 60, role: 'user', jti: 'j' })
  jwtErr(() => verify(t, secret, { requiredClaims: ['exp', 'tenant'] }), 'missing_claim')
  jwtErr(() => verify(t, secret, { claims: { role: 'admin' } }), 'invalid_claim')
  jwtErr(() => verify(t, secret, { jwtid: 'other' }), 'invalid_claim')
  assert.ok(verify(t, secret, { claims: { role: 'user' }, jwtid: 'j' }))
})

test('a forged signature never reaches the payload checks', () => {
  // an expired token with a bad signature reports the signature, not the expiry
  const t = forge({ alg: 'HS256' }, { exp: 1 }, Buffer.alloc(32, 1))
  jwtErr(() => verify(t, secret), 'invalid_signature')
})

test('no crash across the boundary: fuzzed inputs give typed errors', () => {
  const rnd = (n) => crypto.randomBytes(n).toString('base64url')
  for (let i = 0; i < 300; i++) {
    const t = [rnd(i % 40), rnd(i % 17), rnd(i % 70)].join('.')
    try {
      verify(t, secret)
      assert.fail('random token verified')
    } catch (e) {
      assert.ok(e instanceof JsonWebTokenError, String(e))
      assert.equal(typeof e.code, 'string')
    }
  }
})

test('a payload whose toJSON adds exp never yields two exp members (strict sign and createSigner)', () => {
  const key = 'a-secret-of-thirty-two-bytes-long!!'
  const payload = () => ({ sub: 'u', toJSON () { return { sub: 'u', exp: 9_999_999_999 } } })
  const body = (t) => Buffer.from(t.split('.')[1], 'base64url').toString()
  // sign: the option meets the exp that toJSON adds, as an explicit payload exp would
  throwsCode(() => sign(payload(), key, { expiresIn: 60 }), JsonWebTokenError, 'invalid_argument')
  const once = body(sign({ toJSON: () => ({ a: 1 }) }, key, { expiresIn: 60 }))
  assert.equal(once.match(/"exp"/g).length, 1)
  assert.equal(once.match(/"a"/g).length, 1)
  // createSigner: the payload's exp (from toJSON) is kept, one member
  const fromSigner = body(strict.createSigner({ key, expiresIn: 60_000 })(payload()))
  assert.equal(fromSigner.match(/"exp"/g).length, 1)
  assert.equal(JSON.parse(fromSigner).exp, 9_999_999_999)
  throwsCode(() => sign({ toJSON: () => [1] }, key), JsonWebTokenError, 'invalid_argument')
})
