// The fast-jwt 6 drop-in (createSigner / createVerifier / createDecoder, TokenError) as
// fast-jwt's README documents it: the options table, the error codes, key functions
// (callback and promise) and the verified-token cache. The same inputs through the real
// fast-jwt are compared in fast-jwt-differential.test.mjs.
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import { mock, test } from 'node:test'

import jwt, { createSigner, createVerifier, createDecoder, TokenError, TOKEN_ERROR_CODES, createLocalJWKSet, generateKey } from '../jwt.mjs'
import { b64u } from './helpers.mjs'

const NOW = 1_700_000_000_000
const secret = 'secret'
const pem = { publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } }
const keys = {
  rsa: crypto.generateKeyPairSync('rsa', { modulusLength: 2048, ...pem }),
  p256: crypto.generateKeyPairSync('ec', { namedCurve: 'P-256', ...pem }),
  p384: crypto.generateKeyPairSync('ec', { namedCurve: 'P-384', ...pem }),
  p521: crypto.generateKeyPairSync('ec', { namedCurve: 'P-521', ...pem }),
  ed: crypto.generateKeyPairSync('ed25519', pem)
}
const parts = (token) => token.split('.').slice(0, 2).map((s) => JSON.parse(Buffer.from(s, 'base64url')))

/** Assert `fn` throws a TokenError with `code` (and `message` when given). */
function throwsToken (fn, code, message) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof TokenError, `expected a TokenError, got ${e && e.name}: ${e && e.message}`)
    assert.equal(e.code, code, e.message)
    if (message !== undefined) assert.equal(e.message, message)
    return true
  })
}
async function rejectsToken (promise, code, message) {
  await assert.rejects(promise, (e) => {
    assert.ok(e instanceof TokenError, `expected a TokenError, got ${e && e.name}: ${e && e.message}`)
    assert.equal(e.code, code, e.message)
    if (message !== undefined) assert.equal(e.message, message)
    return true
  })
}

test('TokenError and TOKEN_ERROR_CODES: fast-jwt\'s 18 codes, wrap, additional members', () => {
  assert.equal(TokenError.codes, TOKEN_ERROR_CODES)
  assert.equal(jwt.TokenError, TokenError)
  assert.deepEqual(Object.keys(TOKEN_ERROR_CODES), [
    'invalidType', 'invalidOption', 'invalidAlgorithm', 'invalidClaimType', 'invalidClaimValue', 'invalidKey',
    'invalidSignature', 'invalidPayload', 'malformed', 'inactive', 'expired', 'missingKey', 'keyFetchingError',
    'signError', 'verifyError', 'missingRequiredClaim', 'missingSignature', 'invalidCritHeader'])
  for (const [name, code] of Object.entries(TOKEN_ERROR_CODES)) {
    assert.equal(code, 'FAST_JWT_' + name.replace(/[A-Z]/g, (c) => '_' + c).toUpperCase())
  }
  const e = new TokenError(TokenError.codes.expired, 'gone', { header: { alg: 'HS256' } })
  assert.ok(e instanceof Error)
  assert.equal(e.message, 'gone')
  assert.deepEqual(e.header, { alg: 'HS256' })
  assert.equal(TokenError.wrap(e, 'X', 'y'), e)
  const inner = new Error('boom')
  const w = TokenError.wrap(inner, TokenError.codes.keyFetchingError, 'Cannot fetch key.')
  assert.equal(w.code, 'FAST_JWT_KEY_FETCHING_ERROR')
  assert.equal(w.originalError, inner)
})

test('createSigner: the algorithm is detected from the key', () => {
  const cases = [
    [secret, 'HS256'], [Buffer.from(secret), 'HS256'], [keys.rsa.privateKey, 'RS256'], [keys.p256.privateKey, 'ES256'],
    [keys.p384.privateKey, 'ES384'], [keys.p521.privateKey, 'ES512'], [keys.ed.privateKey, 'EdDSA']
  ]
  for (const [key, alg] of cases) {
    const [header] = parts(createSigner({ key })({ a: 1 }))
    assert.deepEqual(header, { alg, typ: 'JWT' })
  }
  // an explicit algorithm of the key's family
  assert.equal(parts(createSigner({ key: keys.rsa.privateKey, algorithm: 'PS384' })({}))[0].alg, 'PS384')
  assert.equal(parts(createSigner({ key: secret, algorithm: 'HS512' })({}))[0].alg, 'HS512')
  throwsToken(() => createSigner({ key: keys.rsa.privateKey, algorithm: 'ES256' }), 'FAST_JWT_INVALID_KEY', 'Invalid private key provided for algorithm ES256.')
  throwsToken(() => createSigner({ key: keys.p256.privateKey, algorithm: 'RS256' }), 'FAST_JWT_INVALID_KEY', 'Invalid private key provided for algorithm RS256.')
  throwsToken(() => createSigner({ key: keys.rsa.publicKey }), 'FAST_JWT_INVALID_KEY', 'Public keys are not supported for signing.')
})

test('createSigner: claims options, defaults and overrides', () => {
  const sign = createSigner({
    key: secret, clockTimestamp: NOW, expiresIn: 60_000, notBefore: '1h', jti: 'id', aud: ['a', 'b'], iss: 'me', sub: 'u', nonce: 'n', kid: 'k1'
  })
  const [header, payload] = parts(sign({ x: 1, iss: 'overridden', exp: 1 }))
  assert.deepEqual(header, { alg: 'HS256', typ: 'JWT', kid: 'k1' })
  assert.deepEqual(payload, { x: 1, iss: 'me', exp: NOW / 1000 + 60, jti: 'id', aud: ['a', 'b'], sub: 'u', nonce: 'n', iat: NOW / 1000, nbf: NOW / 1000 + 3600 })
  // the payload's iat is the base of exp and nbf; noTimestamp drops iat
  assert.deepEqual(parts(createSigner({ key: secret, expiresIn: 10_000, noTimestamp: true })({ iat: 100 }))[1], { exp: 110 })
  // a payload exp/nbf is kept when the option is not set
  assert.deepEqual(parts(createSigner({ key: secret, clockTimestamp: NOW })({ exp: 5, nbf: 4 }))[1], { exp: 5, nbf: 4, iat: NOW / 1000 })
  // header: extra members, overriding typ and kid
  assert.deepEqual(parts(createSigner({ key: secret, typ: 'at+jwt', kid: 'a', header: { kid: 'b', x5t: 'y' } })({}))[0], { alg: 'HS256', typ: 'at+jwt', kid: 'b', x5t: 'y' })
  // mutatePayload
  const p = { a: 1 }
  createSigner({ key: secret, clockTimestamp: NOW, mutatePayload: true, iss: 'me' })(p)
  assert.deepEqual(p, { a: 1, iss: 'me', iat: NOW / 1000, exp: undefined, nbf: undefined })
  const q = { a: 1 }
  createSigner({ key: secret })(q)
  assert.deepEqual(q, { a: 1 })
  // the same inputs with a fixed clock give the same token
  const fixed = createSigner({ key: secret, clockTimestamp: NOW })
  assert.equal(fixed({ a: 1 }), fixed({ a: 1 }))
})

test('createSigner: time spans in milliseconds or text (@lukeed/ms units)', () => {
  const exp = (expiresIn) => parts(createSigner({ key: secret, clockTimestamp: NOW, expiresIn })({}))[1].exp - NOW / 1000
  assert.equal(exp(60_000), 60)
  assert.equal(exp('120'), 0) // "120" is 120 ms
  assert.equal(exp('2 days'), 172_800)
  assert.equal(exp('10h'), 36_000)
  assert.equal(exp('7d'), 604_800)
  assert.equal(exp('1.5m'), 90)
  assert.equal(exp('1 HOUR'), 3_600)
  assert.equal(exp(-60_000), -60)
  for (const bad of ['abc', '0', '1 fortnight', ' 1h', NaN]) {
    throwsToken(() => createSigner({ key: secret, expiresIn: bad }), 'FAST_JWT_INVALID_OPTION', 'The expiresIn option must be a positive number or a valid string.')
  }
  throwsToken(() => createSigner({ key: secret, notBefore: -1 }), 'FAST_JWT_INVALID_OPTION', 'The notBefore option must be a positive number or a valid string.')
  // Infinity: ignored, with fast-jwt's warning
  const warned = []
  const onWarning = (w) => { if (String(w.code).startsWith('FAST_JWT')) warned.push(w.code) }
  process.on('warning', onWarning)
  try {
    assert.equal(parts(createSigner({ key: secret, expiresIn: Infinity })({ exp: 7 }))[1].exp, 7)
  } finally {
    process.nextTick(() => process.off('warning', onWarning))
  }
  return new Promise((resolve) => setImmediate(() => {
    assert.deepEqual(warned, ['FAST_JWT_NON_FINITE_TIME_OPTION'])
    resolve()
  }))
})

test('createSigner: option and payload errors carry fast-jwt\'s codes and messages', () => {
  const opt = 'FAST_JWT_INVALID_OPTION'
  throwsToken(() => createSigner({ key: secret, algorithm: 'HS1' }), opt, 'The algorithm option must be one of the following values: HS256, HS384, HS512, ES256, ES384, ES512, RS256, RS384, RS512, PS256, PS384, PS512, EdDSA, none.')
  throwsToken(() => createSigner({}), opt, 'The key option must be a string, a buffer, an object containing key/passphrase properties or a function returning the algorithm secret or private key.')
  throwsToken(() => createSigner({ key: 123 }), opt)
  throwsToken(() => createSigner({ key: secret, algorithm: 'none' }), opt, 'The key option must not be provided when the algorithm option is "none".')
  throwsToken(() => createSigner({ key: { key: 'x', passphrase: 'y' } }), 'FAST_JWT_INVALID_ALGORITHM', 'When using password protected key you must provide the algorithm option.')
  throwsToken(() => createSigner({ key: secret, clockTimestamp: -1 }), opt, 'The clockTimestamp option must be a finite, non-negative number.')
  for (const name of ['jti', 'iss', 'sub', 'nonce', 'kid']) throwsToken(() => createSigner({ key: secret, [name]: 5 }), opt, `The ${name} option must be a string.`)
  throwsToken(() => createSigner({ key: secret, aud: 5 }), opt, 'The aud option must be a string or an array of strings.')
  throwsToken(() => createSigner({ key: secret, header: 'x' }), opt, 'The header option must be a object.')
  throwsToken(() => createSigner({ key: Buffer.alloc(0) }), 'FAST_JWT_INVALID_KEY', 'The key cannot be an empty string or buffer.')
  throwsToken(() => createSigner({ key: JSON.stringify(generateKey('ES256').publicJwk) }), 'FAST_JWT_INVALID_KEY', 'Raw asymmetric JWK/JWKS JSON cannot be used as an HMAC secret.')
  const sign = createSigner({ key: secret })
  for (const bad of [null, 'string', 5]) throwsToken(() => sign(bad), 'FAST_JWT_INVALID_TYPE', 'The payload must be an object.')
  throwsToken(() => sign({ exp: 1.5 }), 'FAST_JWT_INVALID_CLAIM_VALUE', 'The exp claim must be a positive integer.')
  throwsToken(() => sign({ nbf: -3 }), 'FAST_JWT_INVALID_CLAIM_VALUE', 'The nbf claim must be a positive integer.')
})

test('createSigner: a passphrase-protected private key', () => {
  const { privateKey } = crypto.generateKeyPairSync('rsa', {
    modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }
  })
  const token = createSigner({ key: { key: privateKey, passphrase: 'pw' }, algorithm: 'RS256', clockTimestamp: NOW })({ a: 1 })
  const publicKey = crypto.createPublicKey(crypto.createPrivateKey({ key: privateKey, passphrase: 'pw' })).export({ type: 'spki', format: 'pem' })
  assert.equal(createVerifier({ key: publicKey, clockTimestamp: NOW })(token).a, 1)
})

test('createSigner: key functions (callback and promise) return a promise, or call back', async () => {
  const byCallback = createSigner({ key: (decoded, cb) => cb(null, secret), clockTimestamp: NOW })
  const byPromise = createSigner({ key: async ({ header, payload }) => {
    assert.equal(header.alg, undefined) // detected from the key it returns
    assert.deepEqual(payload, { a: 1 })
    return keys.p256.privateKey
  }, clockTimestamp: NOW })
  const t1 = await byCallback({ a: 1 })
  assert.deepEqual(parts(t1)[0], { alg: 'HS256', typ: 'JWT' })
  const t2 = await new Promise((resolve, reject) => byPromise({ a: 1 }, (err, t) => err ? reject(err) : resolve(t)))
  assert.equal(parts(t2)[0].alg, 'ES256')
  assert.equal(createVerifier({ key: keys.p256.publicKey, clockTimestamp: NOW })(t2).a, 1)
  await rejectsToken(createSigner({ key: async () => { throw new Error('vault down') } })({}), 'FAST_JWT_KEY_FETCHING_ERROR', 'Cannot fetch key.')
  await rejectsToken(createSigner({ key: async () => 42 })({}), 'FAST_JWT_KEY_FETCHING_ERROR', 'The key returned from the callback must be a string or a buffer containing a secret or a private key.')
  await rejectsToken(createSigner({ key: async () => keys.rsa.privateKey, algorithm: 'ES256' })({}), 'FAST_JWT_INVALID_KEY')
  // payload errors are thrown, not passed on
  throwsToken(() => byCallback(null), 'FAST_JWT_INVALID_TYPE')
})

test('createDecoder: payload, complete sections, checkTyp, Buffer tokens', () => {
  const token = createSigner({ key: secret, clockTimestamp: NOW, typ: 'at+jwt' })({ a: 1 })
  assert.deepEqual(createDecoder()(token), { a: 1, iat: NOW / 1000 })
  assert.deepEqual(createDecoder()(Buffer.from(token)), { a: 1, iat: NOW / 1000 })
  const c = createDecoder({ complete: true })(token)
  assert.deepEqual(c.header, { alg: 'HS256', typ: 'at+jwt' })
  assert.equal(c.signature, token.split('.')[2])
  assert.equal(c.input, token.split('.').slice(0, 2).join('.'))
  assert.equal(createDecoder({ checkTyp: 'at+jwt' })(token).a, 1)
  throwsToken(() => createDecoder({ checkTyp: 'JWT' })(token), 'FAST_JWT_INVALID_TYPE', 'The type must be "JWT".')
  throwsToken(() => createDecoder()(5), 'FAST_JWT_INVALID_TYPE', 'The token must be a string or a buffer.')
  throwsToken(() => createDecoder()('abc'), 'FAST_JWT_MALFORMED', 'The token is malformed.')
  throwsToken(() => createDecoder()(`${b64u('[1]')}.${b64u({})}.`), 'FAST_JWT_MALFORMED', 'The token header is not a valid JSON object.')
  throwsToken(() => createDecoder()(`${b64u({ alg: 'HS256' })}.${b64u('"x"')}.`), 'FAST_JWT_INVALID_PAYLOAD', 'The payload must be an object')
  throwsToken(() => createDecoder()(`${b64u({ alg: 'HS256' })}.${b64u({})}.a+b`), 'FAST_JWT_INVALID_SIGNATURE', 'The token signature is invalid.')
  // the core's strict parser: duplicate members are refused (fast-jwt takes the last)
  const dup = `${b64u({ alg: 'HS256' })}.${b64u('{"sub":"a","sub":"admin"}')}.`
  assert.throws(() => createDecoder()(dup), (e) => e.code === 'FAST_JWT_MALFORMED' && e.coreCode === 'duplicate_member')
})

test('createVerifier: keys (string, Buffer, PEM), detected algorithms, complete', () => {
  const pairs = [[secret, secret], [Buffer.from(secret), Buffer.from(secret)], [keys.rsa.privateKey, keys.rsa.publicKey],
    [keys.p256.privateKey, keys.p256.publicKey], [keys.p521.privateKey, keys.p521.publicKey], [keys.ed.privateKey, keys.ed.publicKey]]
  for (const [priv, pub] of pairs) {
    const token = createSigner({ key: priv, clockTimestamp: NOW })({ a: 1 })
    assert.deepEqual(createVerifier({ key: pub, clockTimestamp: NOW })(token), { a: 1, iat: NOW / 1000 })
    assert.deepEqual(createVerifier({ key: pub, clockTimestamp: NOW })(Buffer.from(token)), { a: 1, iat: NOW / 1000 })
    const c = createVerifier({ key: pub, complete: true, clockTimestamp: NOW })(token)
    assert.deepEqual(c, { header: parts(token)[0], payload: { a: 1, iat: NOW / 1000 }, signature: token.split('.')[2], input: token.slice(0, token.lastIndexOf('.')) })
  }
  // an RSA key verifies RS* and PS*; a P-256 key only ES256
  const rsaVerify = createVerifier({ key: keys.rsa.publicKey, clockTimestamp: NOW })
  for (const algorithm of ['RS256', 'RS512', 'PS256', 'PS512']) assert.equal(rsaVerify(createSigner({ key: keys.rsa.privateKey, algorithm, clockTimestamp: NOW })({ a: 1 })).a, 1)
  throwsToken(() => createVerifier({ key: keys.p256.publicKey, clockTimestamp: NOW })(createSigner({ key: secret, clockTimestamp: NOW })({})), 'FAST_JWT_INVALID_ALGORITHM', 'The token algorithm is invalid.')
  throwsToken(() => createVerifier({ key: keys.p256.publicKey, algorithms: ['RS256'] }), 'FAST_JWT_INVALID_KEY', 'Invalid public key provided for algorithms RS256.')
  throwsToken(() => createVerifier({ key: keys.p256.privateKey }), 'FAST_JWT_INVALID_KEY', 'Private keys are not supported for verifying.')
  // extensions: a KeyObject, a JWK object, a JWK set
  const token = createSigner({ key: keys.p256.privateKey, kid: 'k', clockTimestamp: NOW })({ a: 1 })
  assert.equal(createVerifier({ key: crypto.createPublicKey(keys.p256.publicKey), clockTimestamp: NOW })(token).a, 1)
  const jwk = { ...crypto.createPublicKey(keys.p256.publicKey).export({ format: 'jwk' }), kid: 'k' }
  assert.equal(createVerifier({ key: jwk, clockTimestamp: NOW })(token).a, 1)
  assert.equal(createVerifier({ key: createLocalJWKSet({ keys: [{ ...jwk, alg: 'ES256' }] }), clockTimestamp: NOW })(token).a, 1)
})

test('createVerifier: claim options (allowed*, requiredClaims, ignore*, maxAge, clock)', () => {
  const sign = createSigner({ key: secret, clockTimestamp: NOW, expiresIn: 60_000, notBefore: 10_000, iss: 'https://a.example', aud: ['api', 'web'], sub: 'u1', jti: 'j1', nonce: 'n1' })
  const token = sign({})
  const at = (ms, options = {}) => createVerifier({ key: secret, clockTimestamp: NOW + ms, ...options })(token)
  assert.equal(at(20_000).sub, 'u1')
  // allowed*: strings, arrays, RegExps
  assert.ok(at(20_000, { allowedIss: 'https://a.example', allowedAud: 'web', allowedSub: ['x', 'u1'], allowedJti: /^j\d$/, allowedNonce: ['n1'] }))
  assert.ok(at(20_000, { allowedAud: [/^ap/], allowedIss: /example$/g }))
  throwsToken(() => at(20_000, { allowedIss: 'https://b.example' }), 'FAST_JWT_INVALID_CLAIM_VALUE', 'The iss claim value is not allowed.')
  throwsToken(() => at(20_000, { allowedAud: 'other' }), 'FAST_JWT_INVALID_CLAIM_VALUE', 'None of aud claim values are allowed.')
  throwsToken(() => at(20_000, { allowedSub: /^admin$/ }), 'FAST_JWT_INVALID_CLAIM_VALUE', 'The sub claim value is not allowed.')
  throwsToken(() => at(20_000, { allowedNonce: 'n2' }), 'FAST_JWT_INVALID_CLAIM_VALUE', 'The nonce claim value is not allowed.')
  throwsToken(() => at(20_000, { allowedJti: 'j2' }), 'FAST_JWT_INVALID_CLAIM_VALUE', 'The jti claim value is not allowed.')
  // requiredClaims
  throwsToken(() => at(20_000, { requiredClaims: ['iss', 'scope'] }), 'FAST_JWT_MISSING_REQUIRED_CLAIM', 'The scope claim is required.')
  // nbf and exp, in milliseconds, with clockTolerance
  throwsToken(() => at(5_000), 'FAST_JWT_INACTIVE', `The token will be active at ${new Date(NOW + 10_000).toISOString()}.`)
  assert.ok(at(5_000, { clockTolerance: 5_000 }))
  assert.ok(at(5_000, { ignoreNotBefore: true }))
  assert.ok(at(60_000), 'valid up to and including exp')
  throwsToken(() => at(60_001), 'FAST_JWT_EXPIRED', `The token has expired at ${new Date(NOW + 60_000).toISOString()}.`)
  assert.ok(at(61_500, { clockTolerance: 1_500 }))
  throwsToken(() => at(61_501, { clockTolerance: 1_500 }), 'FAST_JWT_EXPIRED', `The token has expired at ${new Date(NOW + 61_500).toISOString()}.`)
  assert.ok(at(3_600_000, { ignoreExpiration: true }))
  // maxAge counts from iat, without the tolerance
  assert.ok(at(20_000, { maxAge: 20_000 }))
  throwsToken(() => at(20_001, { maxAge: 20_000, clockTolerance: 10_000 }), 'FAST_JWT_EXPIRED', `The token has expired at ${new Date(NOW + 20_000).toISOString()}.`)
  // claim types
  const odd = createSigner({ key: secret, clockTimestamp: NOW })({ nonce: 5, sub: ['a'] })
  throwsToken(() => createVerifier({ key: secret, clockTimestamp: NOW, allowedNonce: 'x' })(odd), 'FAST_JWT_INVALID_CLAIM_TYPE', 'The nonce claim must be a string.')
  throwsToken(() => createVerifier({ key: secret, clockTimestamp: NOW })(odd), 'FAST_JWT_INVALID_CLAIM_TYPE', 'The sub claim must be a string.')
})

test('createVerifier: token errors carry fast-jwt\'s codes and messages, and the core\'s code', () => {
  const verify = createVerifier({ key: secret, clockTimestamp: NOW })
  const token = createSigner({ key: secret, clockTimestamp: NOW })({ a: 1 })
  const [h, p, s] = token.split('.')
  throwsToken(() => verify(5), 'FAST_JWT_INVALID_TYPE', 'The token must be a string or a buffer.')
  throwsToken(() => verify('a.b'), 'FAST_JWT_MALFORMED', 'The token is malformed.')
  throwsToken(() => verify(`${h}.${p}.`), 'FAST_JWT_MISSING_SIGNATURE', 'The token signature is missing.')
  throwsToken(() => verify(`${h}.${p}.${s.slice(0, -2)}AA`), 'FAST_JWT_INVALID_SIGNATURE', 'The token signature is invalid.')
  throwsToken(() => createVerifier({ key: 'other' })(token), 'FAST_JWT_INVALID_SIGNATURE', 'The token signature is invalid.')
  throwsToken(() => createVerifier({ key: secret, algorithms: ['HS384'] })(token), 'FAST_JWT_INVALID_ALGORITHM', 'The token algorithm is invalid.')
  const e = (() => { try { verify(`${h}.${p}.${s.slice(0, -2)}AA`) } catch (err) { return err } })()
  assert.equal(e.coreCode, 'invalid_signature')
  assert.ok(!Object.keys(e).includes('coreCode'), 'coreCode is not enumerable')
  // typ and crit
  const typed = createSigner({ key: secret, typ: 'application/at+JWT', clockTimestamp: NOW })({})
  assert.ok(createVerifier({ key: secret, checkTyp: 'at+jwt', clockTimestamp: NOW })(typed))
  throwsToken(() => createVerifier({ key: secret, checkTyp: 'jwt', clockTimestamp: NOW })(typed), 'FAST_JWT_INVALID_TYPE', 'Invalid typ.')
  const crit = createSigner({ key: secret, header: { crit: ['ext'], ext: 1 }, clockTimestamp: NOW })({})
  throwsToken(() => verify(crit), 'FAST_JWT_INVALID_CRIT_HEADER', 'Critical extension "ext" is not supported.')
  assert.ok(createVerifier({ key: secret, allowedCritHeaders: ['ext'], clockTimestamp: NOW })(crit))
  // An empty crit: the core refuses to write it (fast-jwt signs it), and to verify it.
  throwsToken(() => createSigner({ key: secret, header: { crit: [] } })({}), 'FAST_JWT_INVALID_CRIT_HEADER', 'The crit header must be a non-empty array.')
  const input = `${b64u(JSON.stringify({ alg: 'HS256', typ: 'JWT', crit: [] }))}.${b64u('{}')}`
  const emptyCrit = `${input}.${crypto.createHmac('sha256', secret).update(input).digest('base64url')}`
  throwsToken(() => verify(emptyCrit), 'FAST_JWT_INVALID_CRIT_HEADER', 'The crit header must be a non-empty array.')
})

test('createVerifier: option errors', () => {
  const opt = 'FAST_JWT_INVALID_OPTION'
  throwsToken(() => createVerifier({}), opt, 'The key option must be a string, a buffer or a function returning the algorithm secret or public key.')
  throwsToken(() => createVerifier({ key: '' }), 'FAST_JWT_INVALID_KEY', 'The key option is required unless the only allowed algorithm is "none".')
  throwsToken(() => createVerifier({ key: secret, clockTolerance: -1 }), opt, 'The clockTolerance option must be a finite, non-negative number.')
  throwsToken(() => createVerifier({ key: secret, clockTimestamp: NaN }), opt, 'The clockTimestamp option must be a finite, non-negative number.')
  throwsToken(() => createVerifier({ key: secret, cacheTTL: -5 }), opt, 'The cacheTTL option must be a non-negative number.')
  throwsToken(() => createVerifier({ key: secret, errorCacheTTL: -2 }), opt, 'The errorCacheTTL option must be a number greater than -1 or a function.')
  throwsToken(() => createVerifier({ key: secret, requiredClaims: 'sub' }), opt, 'The requiredClaims option must be an array.')
  throwsToken(() => createVerifier({ key: secret, allowedCritHeaders: [''] }), opt, 'The allowedCritHeaders option must be an array of strings.')
})

test('createVerifier: key functions, callback and promise; errors go to the callback', async () => {
  const token = createSigner({ key: secret, kid: 'k1', clockTimestamp: NOW })({ a: 1 })
  let seen
  const verify = createVerifier({ key: async (decoded) => { seen = decoded; return secret }, clockTimestamp: NOW })
  assert.deepEqual(await verify(token), { a: 1, iat: NOW / 1000 })
  assert.deepEqual(seen.header, { alg: 'HS256', typ: 'JWT', kid: 'k1' })
  assert.deepEqual(seen.payload, { a: 1, iat: NOW / 1000 })
  assert.equal(seen.signature, token.split('.')[2])
  const viaCallback = createVerifier({ key: (decoded, cb) => cb(null, Buffer.from(secret)), clockTimestamp: NOW, complete: true })
  const c = await new Promise((resolve, reject) => viaCallback(token, (err, v) => err ? reject(err) : resolve(v)))
  assert.equal(c.input, token, 'fast-jwt\'s async complete form returns the whole token as input')
  await rejectsToken(createVerifier({ key: async () => { throw new Error('no') } })(token), 'FAST_JWT_KEY_FETCHING_ERROR', 'Cannot fetch key.')
  await rejectsToken(createVerifier({ key: async () => ({}) })(token), 'FAST_JWT_KEY_FETCHING_ERROR', 'The key returned from the callback must be a string or a buffer containing a secret or a public key.')
  await rejectsToken(createVerifier({ key: async () => 'wrong' })(token), 'FAST_JWT_INVALID_SIGNATURE')
  await rejectsToken(createVerifier({ key: async () => secret })('x.y'), 'FAST_JWT_MALFORMED')
  await rejectsToken(createVerifier({ key: async () => keys.rsa.publicKey, algorithms: ['ES256'] })(token), 'FAST_JWT_INVALID_KEY')
  const err = await new Promise((resolve) => createVerifier({ key: async () => secret })(5, resolve))
  assert.equal(err.code, 'FAST_JWT_INVALID_TYPE')
})

test('cache: off by default; true is 1000 entries; LRU; the same result object on a hit', () => {
  assert.equal(createVerifier({ key: secret }).cache, null)
  const verify = createVerifier({ key: secret, cache: true })
  assert.equal(verify.cache.capacity, 1000)
  const sign = createSigner({ key: secret, expiresIn: 60_000 })
  const t1 = sign({ n: 1 })
  const a = verify(t1)
  assert.equal(verify(t1), a)
  assert.equal(verify.cache.size, 1)
  const small = createVerifier({ key: secret, cache: 2 })
  const [x, y, z] = [sign({ n: 'x' }), sign({ n: 'y' }), sign({ n: 'z' })]
  const rx = small(x)
  small(y)
  small(x) // x is now the most recent
  small(z) // evicts y
  assert.equal(small.cache.size, 2)
  assert.equal(small(x), rx, 'x stayed')
  assert.deepEqual([...small.cache.keys()].length, 2)
  // the key is a hash of the token, not the token; a custom builder is warned about
  assert.ok(![...verify.cache.keys()].includes(t1))
  assert.equal([...verify.cache.keys()][0].length, 64)
})

test('cache: entries live until cacheTTL, exp (+ tolerance) or iat + maxAge, whichever is first', (t) => {
  t.mock.timers.enable({ apis: ['Date'], now: NOW })
  const sign = createSigner({ key: secret, expiresIn: 10_000 })
  const token = sign({})
  const ttl = createVerifier({ key: secret, cache: true, cacheTTL: 2_000 })
  const first = ttl(token)
  t.mock.timers.tick(2_000)
  assert.equal(ttl(token), first, 'until cacheTTL, inclusive')
  t.mock.timers.tick(1)
  assert.notEqual(ttl(token), first, 'verified again after cacheTTL')

  t.mock.timers.setTime(NOW)
  const byExp = createVerifier({ key: secret, cache: true, clockTolerance: 500 })
  const hit = byExp(token)
  t.mock.timers.setTime(NOW + 10_500)
  assert.equal(byExp(token), hit, 'until exp + clockTolerance, inclusive')
  t.mock.timers.tick(1)
  throwsToken(() => byExp(token), 'FAST_JWT_EXPIRED')

  const byAge = createVerifier({ key: secret, cache: true, maxAge: 1_000 })
  t.mock.timers.setTime(NOW + 1)
  const aged = sign({})
  const fresh = byAge(aged)
  t.mock.timers.tick(999)
  assert.equal(byAge(aged), fresh)
  t.mock.timers.tick(1)
  throwsToken(() => byAge(aged), 'FAST_JWT_EXPIRED')
  mock.timers.reset()
})

test('cache: errors are cached only with errorCacheTTL (a number or a function); decode errors never', (t) => {
  t.mock.timers.enable({ apis: ['Date'], now: NOW })
  const token = createSigner({ key: 'other', expiresIn: 60_000 })({})
  const plain = createVerifier({ key: secret, cache: true })
  const e1 = (() => { try { plain(token) } catch (e) { return e } })()
  const e2 = (() => { try { plain(token) } catch (e) { return e } })()
  assert.notEqual(e1, e2, 'errors are not cached by default')
  const seen = []
  const cachedErrors = createVerifier({ key: secret, cache: true, errorCacheTTL: (err) => { seen.push(err.code); return 1_000 } })
  const c1 = (() => { try { cachedErrors(token) } catch (e) { return e } })()
  t.mock.timers.tick(1_000)
  const c2 = (() => { try { cachedErrors(token) } catch (e) { return e } })()
  assert.equal(c1, c2, 'the same error instance while cached')
  assert.deepEqual(seen, ['FAST_JWT_INVALID_SIGNATURE'])
  t.mock.timers.tick(1)
  const c3 = (() => { try { cachedErrors(token) } catch (e) { return e } })()
  assert.notEqual(c3, c1)
  const numeric = createVerifier({ key: secret, cache: true, errorCacheTTL: 5_000 })
  for (let i = 0; i < 2; i++) throwsToken(() => numeric('a.b'), 'FAST_JWT_MALFORMED')
  assert.equal(numeric.cache.size, 0, 'decode errors are not cached')
  mock.timers.reset()
})

test('cache: a custom cacheKeyBuilder is used, with fast-jwt\'s warning', async () => {
  const warned = []
  const onWarning = (w) => { if (String(w.code).startsWith('FAST_JWT')) warned.push(w.code) }
  process.on('warning', onWarning)
  const verify = createVerifier({ key: secret, cache: true, cacheKeyBuilder: (token) => 'k:' + token })
  const token = createSigner({ key: secret })({})
  verify(token)
  assert.ok(verify.cache.has('k:' + token))
  await new Promise((resolve) => setImmediate(resolve))
  process.off('warning', onWarning)
  assert.deepEqual(warned, ['FAST_JWT_CACHE_KEY_BUILDER_SECURITY_RISK'])
})

test('an oct JWK object with a short secret signs and verifies as the secret itself does', () => {
  // fast-jwt signs with secrets shorter than the hash; the JWK spelling of one (this
  // package's addition) gives the same token, on both sides
  const jwk = { kty: 'oct', k: Buffer.from(secret).toString('base64url') }
  for (const algorithm of ['HS256', 'HS512']) {
    const token = createSigner({ key: jwk, algorithm, clockTimestamp: NOW })({ a: 1 })
    assert.equal(token, createSigner({ key: secret, algorithm, clockTimestamp: NOW })({ a: 1 }))
    for (const key of [jwk, secret]) assert.equal(createVerifier({ key, clockTimestamp: NOW })(token).a, 1)
  }
  throwsToken(() => createSigner({ key: { ...jwk, alg: 'HS512' }, algorithm: 'HS256' }), 'FAST_JWT_INVALID_KEY')
})
