// The jsonwebtoken-compatible API: sign / verify / decode, callbacks, promises, options,
// error classes, and every key form (string, Buffer, JWK, KeyObject).
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import { createRequire } from 'node:module'
import { test } from 'node:test'

import jwt, {
  strict, decode, generateKey, errorCodes,
  JsonWebTokenError, TokenExpiredError, NotBeforeError
} from '../jwt.mjs'
const { sign, signAsync, verify, verifyAsync } = strict
import { throwsCode, rejectsCode } from './helpers.mjs'

const secret = 'a-secret-of-at-least-sixty-four-bytes-so-that-HS512-works-too!!!!'
const now = () => Math.floor(Date.now() / 1000)

test('CommonJS and ESM entry points export the same functions', () => {
  const cjs = createRequire(import.meta.url)('../jwt.cjs')
  assert.equal(cjs.strict.sign, sign)
  assert.equal(cjs.sign, jwt.sign)
  assert.equal(cjs.verify, jwt.verify)
  assert.equal(cjs.TokenExpiredError, TokenExpiredError)
})

test('sign then verify round-trips claims and adds iat', () => {
  const token = sign({ sub: 'u1', role: 'admin' }, secret, { expiresIn: '15m' })
  const p = verify(token, secret)
  assert.equal(p.sub, 'u1')
  assert.equal(p.role, 'admin')
  assert.ok(Math.abs(p.iat - now()) <= 2)
  assert.equal(p.exp, p.iat + 900)
  const { header } = decode(token, { complete: true })
  assert.deepEqual(header, { alg: 'HS256', typ: 'JWT' })
})

test('sign options map to registered claims and the header', () => {
  const token = sign({ role: 'x' }, secret, {
    algorithm: 'HS384', expiresIn: 60, notBefore: '0s', audience: 'api', issuer: 'me',
    subject: 's', jwtid: 'j1', keyid: 'k1', header: { cty: 'x' }
  })
  const { header, payload, signature } = decode(token, { complete: true })
  assert.deepEqual(header, { alg: 'HS384', typ: 'JWT', kid: 'k1', cty: 'x' })
  assert.equal(payload.aud, 'api')
  assert.equal(payload.iss, 'me')
  assert.equal(payload.sub, 's')
  assert.equal(payload.jti, 'j1')
  assert.equal(payload.nbf, payload.iat)
  assert.equal(signature, token.split('.')[2])
  const p = verify(token, secret, { audience: 'api', issuer: 'me', subject: 's', jwtid: 'j1', algorithms: ['HS384'] })
  assert.equal(p.role, 'x')
  throwsCode(() => sign({ exp: 1 }, secret, { expiresIn: 10 }), JsonWebTokenError, 'invalid_argument')
  throwsCode(() => sign({ iss: 'a' }, secret, { issuer: 'b' }), JsonWebTokenError, 'invalid_argument')
  throwsCode(() => sign({ exp: 'tomorrow' }, secret), JsonWebTokenError, 'invalid_argument')
  throwsCode(() => sign([1, 2], secret), JsonWebTokenError, 'invalid_argument')
  const noIat = decode(sign({ a: 1 }, secret, { noTimestamp: true }))
  assert.deepEqual(noIat, { a: 1 })
  const ownIat = decode(sign({ iat: 1000 }, secret, { expiresIn: 10 }))
  assert.deepEqual(ownIat, { iat: 1000, exp: 1010 })
})

test('string and Buffer payloads sign as plain JWS', () => {
  const token = sign('hello', secret)
  assert.equal(Buffer.from(token.split('.')[1], 'base64url').toString(), 'hello')
  assert.equal(decode(token), 'hello', 'a payload that is not a JSON object decodes as text, as in jsonwebtoken')
})

test('verify options: complete, clockTimestamp, clockTolerance, maxAge, ignoreExpiration, ignoreNotBefore', () => {
  const t = now()
  const token = sign({ iat: t - 100, exp: t + 100, nbf: t - 50 }, secret)
  const c = verify(token, secret, { complete: true })
  assert.deepEqual(Object.keys(c), ['header', 'payload', 'signature'])
  assert.equal(c.payload.exp, t + 100)
  throwsCode(() => verify(token, secret, { clockTimestamp: t + 200 }), TokenExpiredError, 'token_expired')
  assert.ok(verify(token, secret, { clockTimestamp: t + 150, clockTolerance: 60 }))
  assert.ok(verify(token, secret, { clockTimestamp: t + 500, ignoreExpiration: true }))
  throwsCode(() => verify(token, secret, { clockTimestamp: t - 80 }), NotBeforeError, 'token_not_yet_valid')
  assert.ok(verify(token, secret, { clockTimestamp: t - 80, ignoreNotBefore: true }))
  throwsCode(() => verify(token, secret, { maxAge: 60 }), JsonWebTokenError, 'token_too_old')
  assert.ok(verify(token, secret, { maxAge: '1h' }))
})

test('TokenExpiredError carries expiredAt, NotBeforeError carries date', () => {
  const exp = now() - 10
  const e = throwsCode(() => verify(sign({ exp }, secret), secret), TokenExpiredError, 'token_expired')
  assert.ok(e instanceof JsonWebTokenError)
  assert.ok(e instanceof Error)
  assert.equal(e.name, 'TokenExpiredError')
  assert.equal(e.message, 'jwt expired')
  assert.deepEqual(e.expiredAt, new Date(exp * 1000))
  const nbf = now() + 1000
  const n = throwsCode(() => verify(sign({ nbf, exp: nbf + 10 }, secret), secret), NotBeforeError, 'token_not_yet_valid')
  assert.equal(n.message, 'jwt not active')
  assert.deepEqual(n.date, new Date(nbf * 1000))
})

test('audience, issuer, subject are compared exactly', () => {
  const token = sign({ aud: ['a', 'b'], iss: 'https://issuer', sub: 'me', exp: now() + 60 }, secret)
  assert.ok(verify(token, secret, { audience: 'b' }))
  assert.ok(verify(token, secret, { audience: ['x', 'a'] }))
  throwsCode(() => verify(token, secret, { audience: 'c' }), JsonWebTokenError, 'invalid_audience')
  throwsCode(() => verify(token, secret, { audience: /a/ }), JsonWebTokenError, 'invalid_argument')
  throwsCode(() => verify(token, secret, { audience: 'a', issuer: 'https://issuer/' }), JsonWebTokenError, 'invalid_issuer')
  throwsCode(() => verify(token, secret, { audience: 'a', subject: 'you' }), JsonWebTokenError, 'invalid_subject')
  // jwt-core default: a token with `aud` needs an expected audience (or ignoreAudience)
  throwsCode(() => verify(token, secret), JsonWebTokenError, 'invalid_audience')
  assert.ok(verify(token, secret, { ignoreAudience: true }))
})

test('exp is required by default; requiredClaims changes that', () => {
  const token = sign({ a: 1 }, secret)
  throwsCode(() => verify(token, secret), JsonWebTokenError, 'missing_claim')
  assert.deepEqual(verify(token, secret, { requiredClaims: [] }).a, 1)
  throwsCode(() => verify(sign({ exp: now() + 9 }, secret), secret, { requiredClaims: ['exp', 'tenant'] }), JsonWebTokenError, 'missing_claim')
  throwsCode(() => verify(sign({ exp: now() + 9, role: 'u' }, secret), secret, { claims: { role: 'admin' } }), JsonWebTokenError, 'invalid_claim')
})

test('callback forms run off the main thread and report errors', async () => {
  const token = await new Promise((resolve, reject) => sign({ exp: now() + 60 }, secret, (e, t) => e ? reject(e) : resolve(t)))
  const p = await new Promise((resolve, reject) => verify(token, secret, (e, d) => e ? reject(e) : resolve(d)))
  assert.equal(typeof p.exp, 'number')
  const err = await new Promise((resolve) => verify(token, 'another-secret-of-at-least-32-bytes', {}, (e) => resolve(e)))
  assert.ok(err instanceof JsonWebTokenError)
  assert.equal(err.code, 'invalid_signature')
  const err2 = await new Promise((resolve) => sign({}, 'short', (e) => resolve(e)))
  assert.equal(err2.code, 'weak_key')
})

test('promise variants: signAsync / verifyAsync (RSA on the libuv pool)', async () => {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
  const tokens = await Promise.all([1, 2, 3, 4].map((i) => signAsync({ i, exp: now() + 60 }, privateKey, { algorithm: 'RS256' })))
  const out = await Promise.all(tokens.map((t) => verifyAsync(t, publicKey)))
  assert.deepEqual(out.map((p) => p.i), [1, 2, 3, 4])
  const c = await verifyAsync(tokens[0], publicKey, { complete: true })
  assert.equal(c.header.alg, 'RS256')
  await rejectsCode(verifyAsync(tokens[0], publicKey, { algorithms: ['PS256'] }), JsonWebTokenError, 'algorithm_not_allowed')
  await rejectsCode(verifyAsync(sign({ exp: now() - 5 }, privateKey), publicKey), TokenExpiredError, 'token_expired')
})

test('keys: PEM strings, Buffers, KeyObjects and JWK objects; algorithm inferred from the key', () => {
  for (const [type, opts, alg] of [
    ['rsa', { modulusLength: 2048 }, 'RS256'],
    ['ec', { namedCurve: 'P-256' }, 'ES256'],
    ['ec', { namedCurve: 'P-384' }, 'ES384'],
    ['ec', { namedCurve: 'P-521' }, 'ES512'],
    ['ec', { namedCurve: 'secp256k1' }, 'ES256K'],
    ['ed25519', {}, 'EdDSA']
  ]) {
    const { privateKey, publicKey } = crypto.generateKeyPairSync(type, opts)
    const privPem = privateKey.export({ format: 'pem', type: 'pkcs8' })
    const pubPem = publicKey.export({ format: 'pem', type: 'spki' })
    const pubJwk = publicKey.export({ format: 'jwk' })
    const privJwk = privateKey.export({ format: 'jwk' })
    const claims = { exp: now() + 60, k: type }
    for (const signKey of [privateKey, privPem, Buffer.from(privPem), privJwk]) {
      const token = sign(claims, signKey)
      assert.equal(decode(token, { complete: true }).header.alg, alg, `${type} alg inferred`)
      for (const verifyKey of [publicKey, pubPem, Buffer.from(pubPem), pubJwk]) {
        assert.equal(verify(token, verifyKey).k, type)
      }
      // a private key verifies too (its public half is used)
      assert.equal(verify(token, privPem).k, type)
    }
  }
  const secretKey = crypto.createSecretKey(Buffer.alloc(32, 7))
  const t = sign({ exp: now() + 60 }, secretKey)
  assert.ok(verify(t, Buffer.alloc(32, 7)))
  assert.ok(verify(t, { kty: 'oct', k: Buffer.alloc(32, 7).toString('base64url') }))
})

test('a reused Buffer with new contents is a new key (cache by content)', () => {
  const buf = Buffer.alloc(32, 1)
  const token = sign({ exp: now() + 60 }, buf)
  assert.ok(verify(token, buf))
  buf.fill(2)
  throwsCode(() => verify(token, buf), JsonWebTokenError, 'invalid_signature')
})

test('encrypted private keys via { key, passphrase }', () => {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const enc = privateKey.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'pw' })
  const token = sign({ exp: now() + 60 }, { key: enc, passphrase: 'pw' })
  assert.ok(verify(token, publicKey))
  throwsCode(() => sign({}, { key: enc, passphrase: 'wrong' }), JsonWebTokenError, 'invalid_key')
})

test('decode never verifies and returns null on garbage', () => {
  const token = sign({ a: 1 }, secret)
  assert.deepEqual(decode(token), decode(token.slice(0, token.lastIndexOf('.')) + '.AAAA'))
  assert.equal(decode('nope'), null)
  assert.equal(decode(42), null)
  assert.equal(decode('a.b.c'), null)
})

test('bad arguments are typed errors, never crashes', () => {
  throwsCode(() => verify(undefined, secret), JsonWebTokenError, 'malformed_token')
  throwsCode(() => verify(42, secret), JsonWebTokenError, 'malformed_token')
  throwsCode(() => verify('a.b.c', undefined), JsonWebTokenError, 'invalid_argument')
  throwsCode(() => verify('a.b.c', 42), JsonWebTokenError, 'invalid_key')
  throwsCode(() => verify('x'.repeat(2 * 1024 * 1024), secret), JsonWebTokenError, 'input_too_large')
  throwsCode(() => sign({ a: 1 }, secret, { algorithm: 'none' }), JsonWebTokenError, 'unsupported_algorithm')
  throwsCode(() => sign({ a: 1 }, secret, { expiresIn: 'soon' }), JsonWebTokenError, 'invalid_argument')
  throwsCode(() => verify(sign({ exp: now() + 5 }, secret), secret, { clockTimestamp: 'now' }), JsonWebTokenError, 'invalid_argument')
  throwsCode(() => sign({ a: 1 }, 'short'), JsonWebTokenError, 'weak_key')
})

test('generateKey and errorCodes', () => {
  for (const alg of ['HS256', 'ES256', 'EdDSA', 'RS256']) {
    const { privateJwk, publicJwk } = generateKey(alg)
    assert.equal(privateJwk.alg, alg)
    const token = sign({ exp: now() + 60 }, privateJwk)
    assert.ok(verify(token, publicJwk))
    if (alg !== 'HS256') assert.equal(publicJwk.d, undefined)
  }
  const codes = errorCodes().map((c) => c.code)
  assert.ok(codes.includes('token_expired'))
  assert.ok(codes.includes('invalid_signature'))
  throwsCode(() => generateKey('none'), JsonWebTokenError, 'unsupported_algorithm')
})

test('the native layer throws the core\'s code as `code`, and takes option objects', async () => {
  const native = createRequire(import.meta.url)('../index.js')
  const set = new native.KeySet()
  assert.throws(() => set.addSecret('HS256', Buffer.alloc(3)), (e) => e.code === 'weak_key' && !e.message.startsWith('weak_key'))
  assert.throws(() => set.addPem('NONE', 'x'), { code: 'unsupported_algorithm' })
  set.addSecret('HS256', Buffer.from(secret))
  const v = new native.Verifier(set, { requiredClaims: [], audience: ['api'], leeway: 5, claimsEqual: { role: 'admin' } })
  const token = sign({ aud: 'api', role: 'admin', exp: now() + 60 }, secret)
  assert.equal(JSON.parse(v.verify(token)).role, 'admin')
  const other = sign({ aud: 'api', role: 'user', exp: now() + 60 }, secret)
  assert.throws(() => v.verify(other), { code: 'invalid_claim' })
  await assert.rejects(v.verifyAsync(other + 'x'), { code: 'invalid_signature' })
  const signer = native.Signer.fromSecret('HS256', Buffer.from(secret))
  await assert.rejects(signer.signAsync('[1]'), { code: 'invalid_argument' })
  // SignerOptions: kid and header land in the token; short secrets only with allowShort.
  const withKid = native.Signer.fromSecret('HS256', Buffer.from(secret), { kid: 'k1', header: '{"alg":"HS256","cty":"x"}' })
  assert.deepEqual(JSON.parse(withKid.header), { alg: 'HS256', cty: 'x', kid: 'k1', typ: 'JWT' })
  assert.throws(() => native.Signer.fromSecret('HS256', Buffer.from('short')), { code: 'weak_key' })
  const short = native.Signer.fromSecret('HS256', Buffer.from('short'), { allowShort: true })
  assert.equal(jwt.verify(short.sign('{"a":1}'), 'short').a, 1)
  assert.throws(() => native.Signer.fromSecret('HS256', Buffer.from(''), { allowShort: true }), { code: 'weak_key' })
  // an oct JWK follows the same policy; its alg and kid still apply
  const shortJwk = JSON.stringify({ kty: 'oct', alg: 'HS384', kid: 'j1', k: Buffer.from('short').toString('base64url') })
  assert.throws(() => native.Signer.fromJwk(shortJwk), { code: 'weak_key' })
  assert.deepEqual(JSON.parse(native.Signer.fromJwk(shortJwk, undefined, { allowShort: true }).header), { alg: 'HS384', kid: 'j1', typ: 'JWT' })
  assert.throws(() => native.Signer.fromJwk(shortJwk, 'HS256', { allowShort: true }), { code: 'key_algorithm_mismatch' })
  assert.throws(() => native.Signer.fromJwk(JSON.stringify({ kty: 'oct', k: '' }), 'HS256', { allowShort: true }), { code: 'weak_key' })
  // signBytes keeps the header as given: no typ for a payload that is not claims.
  const bytesToken = short.signBytes(Buffer.from('hello'))
  assert.deepEqual(JSON.parse(Buffer.from(bytesToken.split('.')[0], 'base64url')), { alg: 'HS256' })
  assert.throws(() => new native.Verifier(set, { algorithms: ['XS1'] }), { code: 'unsupported_algorithm' })
  assert.deepEqual(native.keyAlgorithms(crypto.generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ type: 'spki', format: 'pem' }), false), ['ES384'])
})

test('the core decides which algorithms a key fits (keyInfo, addMaterial, algorithmKeyKind)', () => {
  const native = createRequire(import.meta.url)('../index.js')
  const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
  const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const rsaPem = rsa.publicKey.export({ type: 'spki', format: 'pem' })
  // every form of one key gives the same answer
  for (const m of [rsaPem, Buffer.from(rsaPem), rsa.publicKey.export({ type: 'spki', format: 'der' }), JSON.stringify(rsa.publicKey.export({ format: 'jwk' }))]) {
    const info = native.keyInfo(m, false)
    assert.deepEqual(info.algorithms, ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'])
    assert.equal(info.kind, 'public')
    assert.equal(info.keyType, 'rsa')
  }
  const ecInfo = native.keyInfo(ec.privateKey.export({ type: 'pkcs8', format: 'pem' }), true)
  assert.deepEqual([ecInfo.kind, ecInfo.keyType, ecInfo.namedCurve, ecInfo.algorithms], ['private', 'ec', 'prime256v1', ['ES256']])
  assert.throws(() => native.keyInfo(rsaPem, true), (e) => typeof e.code === 'string', 'a public key cannot sign')
  const secret = native.keyInfo(Buffer.from('short'), false)
  assert.deepEqual([secret.kind, secret.form, secret.algorithms], ['secret', 'secret', ['HS256', 'HS384', 'HS512']])
  assert.deepEqual(native.keyInfo(JSON.stringify({ ...rsa.publicKey.export({ format: 'jwk' }), alg: 'PS384' }), false).algorithms, ['PS384'])
  // addMaterial: one key per allowed algorithm the material fits; others passed over
  const set = new native.KeySet()
  assert.equal(set.addMaterial(rsaPem, ['ES256', 'RS256', 'PS256']), 2)
  assert.deepEqual(set.algorithms(), ['RS256', 'PS256'])
  assert.throws(() => set.addMaterial(rsaPem, ['HS256']), { code: 'key_algorithm_mismatch' })
  assert.throws(() => set.addMaterial(rsaPem, ['ES256']), { code: 'key_algorithm_mismatch' })
  // a 32-byte secret fits HS256 only under the default length policy; all with allowShort
  assert.equal(new native.KeySet().addMaterial(Buffer.alloc(32, 1)), 1)
  assert.equal(new native.KeySet().addMaterial(Buffer.alloc(32, 1), undefined, 'k', true), 3)
  assert.throws(() => new native.KeySet().addMaterial(Buffer.alloc(8, 1), ['HS256']), { code: 'weak_key' })
  assert.deepEqual(['HS512', 'ES256K', 'EdDSA', 'none', 'XS1'].map(native.algorithmKeyKind), ['secret', 'asymmetric', 'asymmetric', null, null])
})

test('an oct JWK object is read by the core: its alg binds the secret', () => {
  const k = Buffer.alloc(48, 7).toString('base64url')
  const jwk = { kty: 'oct', k, alg: 'HS256' }
  const token = jwt.sign({ a: 1 }, jwk)
  assert.equal(jwt.decode(token, { complete: true }).header.alg, 'HS256')
  assert.equal(jwt.verify(token, jwk).a, 1)
  assert.throws(() => jwt.sign({ a: 1 }, jwk, { algorithm: 'HS384' }), { code: 'key_algorithm_mismatch' })
  const token384 = jwt.sign({ a: 1 }, { kty: 'oct', k }, { algorithm: 'HS384' })
  assert.throws(() => jwt.verify(token384, jwk), { name: 'JsonWebTokenError', code: 'key_algorithm_mismatch' })
  assert.throws(() => jwt.verify(token, { kty: 'oct' }), { name: 'JsonWebTokenError', message: 'secretOrPublicKey is not valid key material' })
})
