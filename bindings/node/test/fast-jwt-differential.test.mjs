// Differential tests: the same inputs through the real fast-jwt 6 (a devDependency) and
// through @jwt-core/node's fast-jwt door must give the same outcome: the same result, or
// an error with the same code and message. The cases where they differ on purpose are
// listed at the end (and in docs/node.md, "Differences from fast-jwt"); each asserts both
// sides, so a difference that disappears fails too.
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import { createRequire } from 'node:module'
import { test } from 'node:test'

import * as ours from '../jwt.mjs'
import { b64u } from './helpers.mjs'

const fast = createRequire(import.meta.url)('fast-jwt')

const NOW = 1_700_000_000_000
const pem = { publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } }
const gen = (type, opts) => crypto.generateKeyPairSync(type, { ...opts, ...pem })
const K = {
  rsa: gen('rsa', { modulusLength: 2048 }),
  p256: gen('ec', { namedCurve: 'P-256' }),
  p384: gen('ec', { namedCurve: 'P-384' }),
  p521: gen('ec', { namedCurve: 'P-521' }),
  ed: gen('ed25519', {})
}
K.rsaPkcs1 = {
  privateKey: crypto.createPrivateKey(K.rsa.privateKey).export({ type: 'pkcs1', format: 'pem' }),
  publicKey: crypto.createPublicKey(K.rsa.publicKey).export({ type: 'pkcs1', format: 'pem' })
}
K.p256Sec1 = crypto.createPrivateKey(K.p256.privateKey).export({ type: 'sec1', format: 'pem' })
const secret = 'secret'
const long = 'a-secret-of-sixty-four-bytes-for-hs512-a-secret-of-sixty-four-b'

/** The outcome of `run(lib)` in comparable form: `{ ok }` or `{ code, message }`. */
async function outcome (lib, run) {
  try {
    return { ok: JSON.parse(JSON.stringify(await run(lib)) ?? 'null') }
  } catch (e) {
    return { code: e.code, message: e.message }
  }
}

/** A token's header and payload (signatures of ECDSA/RSA-PSS are randomized). */
const sections = (token) => token.split('.').slice(0, 2).map((s) => JSON.parse(Buffer.from(s, 'base64url')))
/** A token signed by one library and verified by the other (both ways): its header and payload. */
const cross = (sign, verify) => (lib) => {
  const other = lib === fast ? ours : fast
  const t = sign(lib)
  return { sections: sections(t), verifiedByOther: verify(other)(t) }
}
const withToken = (sign, verify) => (lib) => verify(lib)(sign(fast))
const signed = (options, payload = {}) => fast.createSigner({ key: secret, clockTimestamp: NOW, ...options })(payload)
const forge = (header, payload, key = secret, alg = 'sha256') => {
  const input = `${b64u(header)}.${b64u(payload)}`
  return `${input}.${crypto.createHmac(alg, key).update(input).digest('base64url')}`
}

const SAME = {
  // signer: keys and detected algorithms
  'sign HS256 with a short secret (byte-identical token)': (l) => l.createSigner({ key: secret, clockTimestamp: NOW, expiresIn: 60_000 })({ a: 1 }),
  'sign with a Buffer secret': (l) => l.createSigner({ key: Buffer.from(secret), clockTimestamp: NOW })({ a: 1 }),
  'sign HS512 with a long secret': (l) => sections(l.createSigner({ key: long, algorithm: 'HS512', clockTimestamp: NOW })({ a: 1 })),
  ...Object.fromEntries([
    ['RSA PKCS#8', K.rsa.privateKey, K.rsa.publicKey, undefined], ['RSA PKCS#1', K.rsaPkcs1.privateKey, K.rsaPkcs1.publicKey, undefined],
    ['RSA PS384', K.rsa.privateKey, K.rsa.publicKey, 'PS384'], ['P-256 PKCS#8', K.p256.privateKey, K.p256.publicKey, undefined],
    ['P-256 SEC1', K.p256Sec1, K.p256.publicKey, undefined], ['P-384', K.p384.privateKey, K.p384.publicKey, undefined],
    ['P-521', K.p521.privateKey, K.p521.publicKey, undefined], ['Ed25519', K.ed.privateKey, K.ed.publicKey, undefined]
  ].map(([name, priv, pub, algorithm]) => [`sign and verify across the libraries: ${name}`,
    cross((l) => l.createSigner({ key: priv, algorithm, clockTimestamp: NOW, kid: 'k' })({ a: 1 }), (l) => l.createVerifier({ key: pub, clockTimestamp: NOW }))])),
  'sign: RSA key with an ES algorithm': (l) => l.createSigner({ key: K.rsa.privateKey, algorithm: 'ES256' }),
  'sign: EC key with an RSA algorithm': (l) => l.createSigner({ key: K.p256.privateKey, algorithm: 'PS256' }),
  'sign: EC key with EdDSA': (l) => l.createSigner({ key: K.p256.privateKey, algorithm: 'EdDSA' }),
  'sign: a public key': (l) => l.createSigner({ key: K.rsa.publicKey }),
  'sign: a certificate-looking key': (l) => l.createSigner({ key: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----' }),
  'sign: an unknown PEM label': (l) => l.createSigner({ key: '-----BEGIN FOO-----\nAAAA\n-----END FOO-----' }),
  'sign: an asymmetric JWK as a secret': (l) => l.createSigner({ key: JSON.stringify({ kty: 'RSA', n: 'x', e: 'AQAB' }) }),
  'sign: an empty Buffer secret': (l) => l.createSigner({ key: Buffer.alloc(0) }),
  // signer: options
  'sign: fixed claims override the payload': (l) => l.createSigner({ key: secret, clockTimestamp: NOW, jti: 'j', aud: ['a'], iss: 'i', sub: 's', nonce: 'n' })({ iss: 'x', z: 1 }),
  'sign: header, typ and kid': (l) => sections(l.createSigner({ key: secret, clockTimestamp: NOW, typ: 'at+jwt', kid: 'k', header: { x5t: 'y', kid: 'over' } })({})),
  'sign: noTimestamp': (l) => l.createSigner({ key: secret, noTimestamp: true, expiresIn: 5_000 })({ iat: 10 }),
  'sign: payload iat is the base': (l) => l.createSigner({ key: secret, clockTimestamp: NOW, expiresIn: 5_000, notBefore: 1_000 })({ iat: 10 }),
  'sign: payload exp and nbf kept': (l) => l.createSigner({ key: secret, clockTimestamp: NOW })({ exp: 99, nbf: 9 }),
  'sign: payload exp 0 dropped': (l) => l.createSigner({ key: secret, clockTimestamp: NOW })({ exp: 0 }),
  'sign: expiresIn 0 is unset': (l) => l.createSigner({ key: secret, clockTimestamp: NOW, expiresIn: 0 })({ exp: 50 }),
  'sign: mutatePayload': (l) => { const p = { a: 1 }; l.createSigner({ key: secret, clockTimestamp: NOW, mutatePayload: true, expiresIn: 1000 })(p); return p },
  'sign: an array payload': (l) => l.createSigner({ key: secret, clockTimestamp: NOW })([1, 2]),
  ...Object.fromEntries(['1h', '2 days', '10h', '7d', '120', '1.5m', '-1h', '.5s', '1 HOURS', '3weeks', '2yrs', '5msecs', '1mins', '1sm', '1msh',
    '0', '1 fortnight', ' 1h', '1h ', '1e3', '1.', 'abc', '5 mo'].map((span) => [`sign: expiresIn "${span}"`,
    (l) => l.createSigner({ key: secret, clockTimestamp: NOW, expiresIn: span })({})])),
  'sign: notBefore negative': (l) => l.createSigner({ key: secret, notBefore: -5 }),
  'sign: notBefore string': (l) => l.createSigner({ key: secret, clockTimestamp: NOW, notBefore: '2m' })({}),
  'sign: unknown algorithm': (l) => l.createSigner({ key: secret, algorithm: 'HS1' }),
  'sign: none with a key': (l) => l.createSigner({ key: secret, algorithm: 'none' }),
  'sign: none without a key': (l) => l.createSigner({ algorithm: 'none', clockTimestamp: NOW })({ a: 1 }),
  'sign: no key': (l) => l.createSigner({}),
  'sign: a number key': (l) => l.createSigner({ key: 5 }),
  'sign: passphrase without algorithm': (l) => l.createSigner({ key: { key: 'x', passphrase: 'y' } }),
  'sign: negative clockTimestamp': (l) => l.createSigner({ key: secret, clockTimestamp: -1 }),
  'sign: non-string jti': (l) => l.createSigner({ key: secret, jti: 1 }),
  'sign: non-string aud': (l) => l.createSigner({ key: secret, aud: 1 }),
  'sign: non-string kid': (l) => l.createSigner({ key: secret, kid: 1 }),
  'sign: header not an object': (l) => l.createSigner({ key: secret, header: 'x' }),
  'sign: null payload': (l) => l.createSigner({ key: secret })(null),
  'sign: string payload': (l) => l.createSigner({ key: secret })('x'),
  'sign: fractional exp': (l) => l.createSigner({ key: secret })({ exp: 1.5 }),
  'sign: negative nbf': (l) => l.createSigner({ key: secret })({ nbf: -1 }),
  'sign: key function by promise': (l) => l.createSigner({ key: async () => secret, clockTimestamp: NOW })({ a: 1 }),
  'sign: key function by callback': (l) => new Promise((resolve, reject) => l.createSigner({ key: (d, cb) => cb(null, secret), clockTimestamp: NOW })({ a: 1 }, (e, t) => e ? reject(e) : resolve(t))),
  'sign: key function sees header and payload': async (l) => { let seen; await l.createSigner({ key: async (d) => { seen = d; return secret }, kid: 'k', clockTimestamp: NOW })({ a: 1 }); return seen },
  'sign: key function returns an EC key': async (l) => sections(await l.createSigner({ key: async () => K.p256.privateKey, clockTimestamp: NOW })({})),
  'sign: key function fails': (l) => l.createSigner({ key: async () => { throw new Error('x') } })({}),
  'sign: key function returns a number': (l) => l.createSigner({ key: async () => 1 })({}),
  'sign: key function key of another family': (l) => l.createSigner({ key: async () => K.rsa.privateKey, algorithm: 'ES256' })({}),

  // decoder
  'decode: payload': withToken(() => signed({ expiresIn: 1000 }, { a: 1 }), (l) => l.createDecoder()),
  'decode: complete': withToken(() => signed({}, { a: 1 }), (l) => l.createDecoder({ complete: true })),
  'decode: Buffer': (l) => l.createDecoder()(Buffer.from(signed({}, { a: 1 }))),
  'decode: checkTyp match': (l) => l.createDecoder({ checkTyp: 'JWT' })(signed({}, { a: 1 })),
  'decode: checkTyp mismatch (exact)': (l) => l.createDecoder({ checkTyp: 'jwt' })(signed({}, { a: 1 })),
  'decode: number': (l) => l.createDecoder()(1),
  ...Object.fromEntries(['abc', 'a.b', '.', 'a.b.c', `${b64u('[1]')}.${b64u({})}.`, `${b64u('x')}.${b64u({})}.`,
    `${b64u({ alg: 'HS256' })}.${b64u('[1]')}.`, `${b64u({ alg: 'HS256' })}.${b64u('nope')}.`, `${b64u({ alg: 'HS256' })}.${b64u({})}.a+b`,
    `${b64u({ alg: 'HS256' })}=.${b64u({})}.`, `${b64u({ alg: 'HS256' })}.${b64u({})}.x.y`].map((t) => [`decode: ${t.slice(0, 40)}`, (l) => l.createDecoder()(t)])),

  // verifier: keys
  'verify: HS256 short secret': withToken(() => signed({ expiresIn: 60_000 }, { a: 1 }), (l) => l.createVerifier({ key: secret, clockTimestamp: NOW })),
  'verify: Buffer token and key': (l) => l.createVerifier({ key: Buffer.from(secret), clockTimestamp: NOW })(Buffer.from(signed({}, { a: 1 }))),
  'verify: complete': withToken(() => signed({ kid: 'k' }, { a: 1 }), (l) => l.createVerifier({ key: secret, clockTimestamp: NOW, complete: true })),
  'verify: a private key': (l) => l.createVerifier({ key: K.rsa.privateKey }),
  'verify: an unknown PEM label': (l) => l.createVerifier({ key: '-----BEGIN FOO-----\nAA\n-----END FOO-----' }),
  'verify: algorithms that do not fit the key': (l) => l.createVerifier({ key: K.p256.publicKey, algorithms: ['RS256', 'PS256'] }),
  'verify: an HS token for an EC key': withToken(() => signed({}), (l) => l.createVerifier({ key: K.p256.publicKey, clockTimestamp: NOW })),
  'verify: an ES384 token for a P-256 key': withToken(() => fast.createSigner({ key: K.p384.privateKey, clockTimestamp: NOW })({}), (l) => l.createVerifier({ key: K.p256.publicKey, clockTimestamp: NOW })),
  'verify: RS256 token, PS256 only': withToken(() => fast.createSigner({ key: K.rsa.privateKey, clockTimestamp: NOW })({}), (l) => l.createVerifier({ key: K.rsa.publicKey, algorithms: ['PS256'], clockTimestamp: NOW })),
  'verify: an asymmetric JWK set text as a secret': (l) => l.createVerifier({ key: JSON.stringify({ keys: [{ kty: 'EC' }] }) }),
  'verify: no key': (l) => l.createVerifier({}),
  'verify: empty key': (l) => l.createVerifier({ key: '' }),
  'verify: null key': (l) => l.createVerifier({ key: null }),
  'verify: number key': (l) => l.createVerifier({ key: 1 }),
  // verifier: tokens
  'verify: number token': (l) => l.createVerifier({ key: secret })(1),
  ...Object.fromEntries(['abc', 'a.b', `${b64u('[1]')}.${b64u({})}.x`, `${b64u({ alg: 'HS256' })}.${b64u('[1]')}.x`,
    `${b64u({ alg: 'HS256' })}.${b64u({})}.a+b`, `${b64u({ alg: 'HS256' })}.${b64u({})}.`].map((t) => [`verify: token ${t.slice(0, 40)}`, (l) => l.createVerifier({ key: secret })(t)])),
  'verify: wrong secret': withToken(() => signed({}), (l) => l.createVerifier({ key: 'other' })),
  'verify: tampered signature': (l) => { const t = signed({}); return l.createVerifier({ key: secret, clockTimestamp: NOW })(t.slice(0, -2) + (t.endsWith('AA') ? 'BA' : 'AA')) },
  'verify: algorithm not allowed': withToken(() => signed({}), (l) => l.createVerifier({ key: secret, algorithms: ['HS512'] })),
  'verify: unknown alg in the header': (l) => l.createVerifier({ key: secret })(forge({ alg: 'XS256' }, {})),
  // verifier: time claims
  ...Object.fromEntries([
    ['before nbf', 5_000, {}], ['at nbf', 10_000, {}], ['nbf with tolerance', 8_000, { clockTolerance: 2_000 }], ['ignoreNotBefore', 0, { ignoreNotBefore: true }],
    ['at exp', 60_000, {}], ['1 ms after exp', 60_001, {}], ['exp with tolerance', 61_500, { clockTolerance: 1_500 }], ['after tolerance', 61_501, { clockTolerance: 1_500 }],
    ['ignoreExpiration', 120_000, { ignoreExpiration: true }], ['maxAge edge', 20_000, { maxAge: 20_000 }], ['maxAge over', 20_001, { maxAge: 20_000 }],
    ['maxAge ignores tolerance', 20_001, { maxAge: 20_000, clockTolerance: 5_000 }], ['maxAge as text', 20_000, { maxAge: '20s' }]
  ].map(([name, at, options]) => [`verify: ${name}`, withToken(() => signed({ expiresIn: 60_000, notBefore: 10_000 }),
    (l) => l.createVerifier({ key: secret, clockTimestamp: NOW + at, ...options }))])),
  'verify: fractional exp': (l) => l.createVerifier({ key: secret, clockTimestamp: NOW })(forge({ alg: 'HS256' }, { exp: NOW / 1000 + 0.5 })),
  'verify: string exp': (l) => l.createVerifier({ key: secret, clockTimestamp: NOW })(forge({ alg: 'HS256' }, { exp: 'soon' })),
  'verify: array nbf': (l) => l.createVerifier({ key: secret, clockTimestamp: NOW })(forge({ alg: 'HS256' }, { nbf: [1] })),
  // verifier: string claims
  ...Object.fromEntries([
    ['allowedIss string', { allowedIss: 'https://a' }], ['allowedIss other', { allowedIss: 'https://b' }], ['allowedIss RegExp', { allowedIss: /^https:/ }],
    ['allowedIss global RegExp', { allowedIss: /a$/g }], ['allowedIss array', { allowedIss: ['x', 'https://a'] }],
    ['allowedAud one of the token\'s', { allowedAud: 'web' }], ['allowedAud none', { allowedAud: ['x', /^y/] }], ['allowedAud RegExp', { allowedAud: /^ap/ }],
    ['allowedSub', { allowedSub: 'u1' }], ['allowedSub other', { allowedSub: 'u2' }], ['allowedJti', { allowedJti: ['j1'] }], ['allowedJti other', { allowedJti: 'j2' }],
    ['allowedNonce', { allowedNonce: 'n1' }], ['allowedNonce other', { allowedNonce: /^m/ }], ['requiredClaims present', { requiredClaims: ['iss', 'aud'] }],
    ['requiredClaims absent', { requiredClaims: ['iss', 'scope'] }], ['allowed matcher objects', { allowedSub: { test: (v) => v.startsWith('u') } }]
  ].map(([name, options]) => [`verify: ${name}`, withToken(() => signed({ iss: 'https://a', aud: ['api', 'web'], sub: 'u1', jti: 'j1', nonce: 'n1' }),
    (l) => l.createVerifier({ key: secret, clockTimestamp: NOW, ...options }))])),
  'verify: aud string matched': (l) => l.createVerifier({ key: secret, clockTimestamp: NOW, allowedAud: 'api' })(signed({ aud: 'api' })),
  'verify: iss of the wrong type': (l) => l.createVerifier({ key: secret, clockTimestamp: NOW, allowedIss: 'x' })(forge({ alg: 'HS256' }, { iss: 5 })),
  'verify: iss as an array': (l) => l.createVerifier({ key: secret, clockTimestamp: NOW, allowedIss: 'x' })(forge({ alg: 'HS256' }, { iss: ['x'] })),
  'verify: aud with a number': (l) => l.createVerifier({ key: secret, clockTimestamp: NOW, allowedAud: 'x' })(forge({ alg: 'HS256' }, { aud: ['x', 5] })),
  'verify: nonce of the wrong type': (l) => l.createVerifier({ key: secret, clockTimestamp: NOW, allowedNonce: 'x' })(forge({ alg: 'HS256' }, { nonce: 5 })),
  // verifier: header checks
  'verify: checkTyp normalised': (l) => l.createVerifier({ key: secret, clockTimestamp: NOW, checkTyp: 'at+jwt' })(signed({ typ: 'application/AT+JWT' })),
  'verify: checkTyp mismatch': (l) => l.createVerifier({ key: secret, clockTimestamp: NOW, checkTyp: 'at+jwt' })(signed({})),
  'verify: checkTyp without typ': (l) => l.createVerifier({ key: secret, clockTimestamp: NOW, checkTyp: 'jwt' })(forge({ alg: 'HS256' }, {})),
  'verify: crit not understood': (l) => l.createVerifier({ key: secret, clockTimestamp: NOW })(forge({ alg: 'HS256', crit: ['ext'], ext: 1 }, {})),
  'verify: crit understood': (l) => l.createVerifier({ key: secret, clockTimestamp: NOW, allowedCritHeaders: ['ext'] })(forge({ alg: 'HS256', crit: ['ext'], ext: 1 }, {})),
  'verify: crit empty': (l) => l.createVerifier({ key: secret, clockTimestamp: NOW })(forge({ alg: 'HS256', crit: [] }, {})),
  'verify: crit names alg': (l) => l.createVerifier({ key: secret, clockTimestamp: NOW, allowedCritHeaders: ['ext'] })(forge({ alg: 'HS256', crit: ['alg'] }, {})),
  'verify: crit member absent': (l) => l.createVerifier({ key: secret, clockTimestamp: NOW, allowedCritHeaders: ['ext'] })(forge({ alg: 'HS256', crit: ['ext'] }, {})),
  // verifier: options
  'verify: negative clockTolerance': (l) => l.createVerifier({ key: secret, clockTolerance: -1 }),
  'verify: clockTimestamp NaN': (l) => l.createVerifier({ key: secret, clockTimestamp: NaN }),
  'verify: negative cacheTTL': (l) => l.createVerifier({ key: secret, cacheTTL: -1 }),
  'verify: errorCacheTTL -2': (l) => l.createVerifier({ key: secret, errorCacheTTL: -2 }),
  'verify: errorCacheTTL string': (l) => l.createVerifier({ key: secret, errorCacheTTL: 'x' }),
  'verify: requiredClaims not an array': (l) => l.createVerifier({ key: secret, requiredClaims: 'x' }),
  'verify: allowedCritHeaders not strings': (l) => l.createVerifier({ key: secret, allowedCritHeaders: [1] }),
  // verifier: key functions
  'verify: key function by promise': withToken(() => signed({}, { a: 1 }), (l) => l.createVerifier({ key: async () => secret, clockTimestamp: NOW })),
  'verify: key function by callback': (l) => new Promise((resolve, reject) => l.createVerifier({ key: (d, cb) => cb(null, secret), clockTimestamp: NOW })(signed({}, { a: 1 }), (e, v) => e ? reject(e) : resolve(v))),
  'verify: key function arguments': async (l) => { let seen; await l.createVerifier({ key: async (d) => { seen = d; return secret }, clockTimestamp: NOW })(signed({ kid: 'k' }, { a: 1 })); return seen },
  'verify: key function complete (input is the token)': withToken(() => signed({}, { a: 1 }), (l) => l.createVerifier({ key: async () => secret, clockTimestamp: NOW, complete: true })),
  'verify: key function returns a PEM': withToken(() => fast.createSigner({ key: K.p256.privateKey, clockTimestamp: NOW })({ a: 1 }), (l) => l.createVerifier({ key: async () => K.p256.publicKey, clockTimestamp: NOW })),
  'verify: key function fails': withToken(() => signed({}), (l) => l.createVerifier({ key: async () => { throw new Error('x') } })),
  'verify: key function fails with a TokenError': withToken(() => signed({}), (l) => l.createVerifier({ key: async () => { throw new l.TokenError('custom', 'mine') } })),
  'verify: key function returns an object': withToken(() => signed({}), (l) => l.createVerifier({ key: async () => ({}) })),
  'verify: key function key does not fit the algorithms': withToken(() => signed({}), (l) => l.createVerifier({ key: async () => K.rsa.publicKey, algorithms: ['ES256'] })),
  'verify: key function, bad token': (l) => l.createVerifier({ key: async () => secret })('a.b'),
  'verify: key function, number token': (l) => new Promise((resolve) => l.createVerifier({ key: async () => secret })(1, (e) => resolve(e.code))),
  // cache
  'cache: capacity and size': (l) => { const v = l.createVerifier({ key: secret, cache: 3 }); for (const n of [1, 2, 3, 4, 1]) v(signed({}, { n })); return [v.cache.size] },
  'cache: a hit is the same object': (l) => { const v = l.createVerifier({ key: secret, cache: true }); const t = signed({}, { a: 1 }); return v(t) === v(t) },
  'cache: a hit is the same object with a fixed clock': (l) => { const v = l.createVerifier({ key: secret, cache: true, clockTimestamp: NOW }); const t = signed({}, { a: 1 }); return v(t) === v(t) },
  'cache: errors not cached by default': (l) => { const v = l.createVerifier({ key: 'x', cache: true }); const t = signed({}); const e = () => { try { v(t) } catch (err) { return err } }; return e() === e() },
  'cache: errors cached with errorCacheTTL': (l) => { const v = l.createVerifier({ key: 'x', cache: true, errorCacheTTL: 10_000 }); const t = signed({}); const e = () => { try { v(t) } catch (err) { return err } }; return e() === e() },
  'cache: decode errors never cached': (l) => { const v = l.createVerifier({ key: 'x', cache: true, errorCacheTTL: 10_000 }); try { v('a.b') } catch {} return v.cache.size },
  'cache: cacheTTL 0 still stores': (l) => { const v = l.createVerifier({ key: secret, cache: true, cacheTTL: 0 }); v(signed({})); return v.cache.size },
  'cache: "5" as a size': (l) => l.createVerifier({ key: secret, cache: '5' }).cache !== null,
  'cache: 0 is off': (l) => l.createVerifier({ key: secret, cache: 0 }).cache,
  // A BEGIN line without an END line is no PEM (the core reads it as PyJWT and fast-jwt
  // do): a short secret, signed by the core under HmacPolicy::Allow.
  'sign: a short secret with only a PEM BEGIN line': (l) => l.createSigner({ key: '-----BEGIN FOO-----', algorithm: 'HS256', clockTimestamp: NOW })({}),
  'sign: a short secret, HS384 and HS512': (l) => ['HS384', 'HS512'].map((algorithm) => l.createSigner({ key: secret, algorithm, clockTimestamp: NOW })({ a: 1 }))
}

for (const [name, run] of Object.entries(SAME)) {
  test(`same as fast-jwt: ${name}`, async () => {
    const theirs = await outcome(fast, run)
    const mine = await outcome(ours, run)
    assert.deepEqual(mine, theirs)
  })
}

// ---------------------------------------------------------------------------------------
// On purpose: where fast-jwt's behaviour is a known vulnerability class (docs/node.md).

const weak = gen('rsa', { modulusLength: 1024 })
const k1 = gen('ec', { namedCurve: 'secp256k1' })
const ed448 = gen('ed448', {})
const hmacPem = gen('ec', { namedCurve: 'P-256' })
const DIFFERENT = {
  'alg "none": a verifier for unsigned tokens (CVE-2015-9235 class)': {
    run: (l) => l.createVerifier({ algorithms: ['none'] })(`${b64u({ alg: 'none' })}.${b64u({ a: 1 })}.`),
    fast: { ok: { a: 1 } },
    ours: { code: 'FAST_JWT_INVALID_OPTION', message: 'The "none" algorithm is never accepted: unsigned tokens cannot be verified.' }
  },
  'a public key PEM as an HMAC secret for verifying (CVE-2016-10555, CVE-2023-48223 class)': {
    run: (l) => l.createVerifier({ key: K.rsa.publicKey, algorithms: ['HS256'], clockTimestamp: NOW })(forge({ alg: 'HS256' }, { admin: true }, K.rsa.publicKey)),
    fast: { ok: { admin: true } },
    ours: { code: 'FAST_JWT_INVALID_KEY', message: 'key does not fit algorithm: asymmetric key material (PEM) cannot be used as an HMAC secret' }
  },
  'a public key PEM as an HMAC secret for signing (same class)': {
    // a key of its own: fast-jwt caches its key classification by key text
    run: (l) => typeof l.createSigner({ key: hmacPem.publicKey, algorithm: 'HS256' })({}),
    fast: { ok: 'string' },
    ours: { code: 'FAST_JWT_INVALID_KEY', message: 'key does not fit algorithm: asymmetric key material (PEM) cannot be used as an HMAC secret' }
  },
  'PEM-shaped text (BEGIN and END lines) as an HMAC secret, verifying': {
    run: (l) => l.createVerifier({ key: '-----BEGIN FOO-----\nAAAA\n-----END FOO-----', algorithms: ['HS256'], clockTimestamp: NOW })(forge({ alg: 'HS256' }, { a: 1 }, '-----BEGIN FOO-----\nAAAA\n-----END FOO-----')),
    fast: { ok: { a: 1 } },
    ours: { code: 'FAST_JWT_INVALID_KEY', message: 'key does not fit algorithm: asymmetric key material (PEM) cannot be used as an HMAC secret' }
  },
  'RSA keys under 2048 bits (SECURITY.md: weak keys)': {
    run: (l) => l.createVerifier({ key: weak.publicKey }) && 'built',
    fast: { ok: 'built' },
    ours: { code: 'FAST_JWT_INVALID_KEY' }
  },
  'duplicate claim names: fast-jwt takes the last one (parser differential)': {
    run: (l) => l.createVerifier({ key: secret, clockTimestamp: NOW })(forge({ alg: 'HS256' }, '{"sub":"alice","sub":"admin"}')),
    fast: { ok: { sub: 'admin' } },
    ours: { code: 'FAST_JWT_MALFORMED', message: 'The token is malformed.' }
  },
  'duplicate claim names in the decoder': {
    run: (l) => l.createDecoder()(forge({ alg: 'HS256' }, '{"sub":"alice","sub":"admin"}')),
    fast: { ok: { sub: 'admin' } },
    ours: { code: 'FAST_JWT_MALFORMED', message: 'The token is malformed.' }
  },
  'allowedAud with a token without aud (RFC 8725 3.9, substitution)': {
    run: (l) => l.createVerifier({ key: secret, clockTimestamp: NOW, allowedAud: 'api' })(signed({}, { a: 1 })),
    fast: { ok: { a: 1, iat: NOW / 1000 } },
    ours: { code: 'FAST_JWT_MISSING_REQUIRED_CLAIM', message: 'The aud claim is required.' }
  },
  'allowedNonce with a token without nonce (OIDC replay)': {
    run: (l) => l.createVerifier({ key: secret, clockTimestamp: NOW, allowedNonce: 'n' })(signed({}, { a: 1 })),
    fast: { ok: { a: 1, iat: NOW / 1000 } },
    ours: { code: 'FAST_JWT_MISSING_REQUIRED_CLAIM', message: 'The nonce claim is required.' }
  },
  ...Object.fromEntries([['allowedIss', 'iss'], ['allowedSub', 'sub'], ['allowedJti', 'jti']].map(([option, claim]) => [`${option} with a token without ${claim}`, {
    run: (l) => l.createVerifier({ key: secret, clockTimestamp: NOW, [option]: 'x' })(signed({}, { a: 1 })),
    fast: { ok: { a: 1, iat: NOW / 1000 } },
    ours: { code: 'FAST_JWT_MISSING_REQUIRED_CLAIM', message: `The ${claim} claim is required.` }
  }])),
  'a registered claim of the wrong type that no option checks (CVE-2026-25537 class)': {
    run: (l) => l.createVerifier({ key: secret, clockTimestamp: NOW, ignoreExpiration: true })(forge({ alg: 'HS256' }, { exp: 'never', iss: 5 })),
    fast: { ok: { exp: 'never', iss: 5 } },
    ours: { code: 'FAST_JWT_INVALID_CLAIM_TYPE' }
  },
  'the decoder reads alg "none" tokens (decode mistaken for verify)': {
    run: (l) => l.createDecoder()(`${b64u({ alg: 'none' })}.${b64u({ a: 1 })}.`),
    fast: { ok: { a: 1 } },
    ours: { code: 'FAST_JWT_MALFORMED', message: 'The token is malformed.' }
  },
  'a secp256k1 key signs as ES256 in fast-jwt (RFC 8812: ES256K; a key is bound to its curve)': {
    run: (l) => sections(l.createSigner({ key: k1.privateKey, clockTimestamp: NOW })({}))[0],
    fast: { ok: { alg: 'ES256', typ: 'JWT' } },
    ours: { ok: { alg: 'ES256K', typ: 'JWT' } }
  },
  'a payload whose toJSON adds exp: the expiresIn option wins (token lifetime smuggling)': {
    run: (l) => sections(l.createSigner({ key: secret, clockTimestamp: NOW, expiresIn: 60_000 })({ sub: 'u', toJSON () { return { sub: 'u', exp: 9_999_999_999 } } }))[1],
    fast: { ok: { sub: 'u', exp: 9_999_999_999 } },
    ours: { ok: { sub: 'u', exp: NOW / 1000 + 60, iat: NOW / 1000 } }
  },
  'an ES256 token on a secp256k1 key (curve confusion)': {
    run: (l) => l.createVerifier({ key: k1.publicKey, clockTimestamp: NOW })(fast.createSigner({ key: k1.privateKey, clockTimestamp: NOW })({ a: 1 })),
    fast: { ok: { a: 1, iat: NOW / 1000 } },
    ours: { code: 'FAST_JWT_INVALID_ALGORITHM', message: 'The token algorithm is invalid.' }
  }
}

// Not a vulnerability class, and still different: what the core does not implement, and a
// header option that would make the token lie about its algorithm.
const UNSUPPORTED = {
  'Ed448 keys (the core implements Ed25519 only)': {
    run: (l) => l.createVerifier({ key: ed448.publicKey }) && 'built',
    fast: { ok: 'built' },
    ours: { code: 'FAST_JWT_INVALID_KEY', message: 'Unsupported PEM public key.' }
  },
  'a header option whose alg differs from the signing algorithm': {
    run: (l) => sections(l.createSigner({ key: secret, header: { alg: 'HS512' }, clockTimestamp: NOW })({}))[0],
    fast: { ok: { alg: 'HS512', typ: 'JWT' } },
    ours: { code: 'FAST_JWT_INVALID_OPTION', message: 'The header option must not change the algorithm (HS256).' }
  }
}

for (const [name, { run, fast: expectTheirs, ours: expectMine }] of [...Object.entries(DIFFERENT), ...Object.entries(UNSUPPORTED)]) {
  test(`differs from fast-jwt on purpose: ${name}`, async () => {
    const theirs = await outcome(fast, run)
    const mine = await outcome(ours, run)
    assert.deepEqual(theirs, expectTheirs, 'fast-jwt\'s behaviour (if this fails, the difference may be gone)')
    for (const [k, v] of Object.entries(expectMine)) assert.deepEqual(mine[k], v, `ours: ${JSON.stringify(mine)}`)
  })
}
