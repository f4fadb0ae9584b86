// The factories with jwt-core's defaults (strict.createSigner / strict.createVerifier,
// fast-jwt's option names, the frozen verified-token cache) and JWK sets (local and
// remote, with caching and cooldown) against a real local HTTP server. The fast-jwt 6
// drop-in (top-level createSigner / createVerifier / createDecoder) is fast-jwt.test.mjs.
import assert from 'node:assert/strict'
import http from 'node:http'
import { createRequire } from 'node:module'
import { test } from 'node:test'

import {
  createLocalJWKSet, createRemoteJWKSet, generateKey, strict, verify as jsonwebtokenVerify,
  JsonWebTokenError, TokenExpiredError
} from '../jwt.mjs'
const { sign, verify, verifyAsync, createSigner, createVerifier } = strict
const jwtVerify = jsonwebtokenVerify
import { throwsCode, rejectsCode } from './helpers.mjs'

const key = 'factory-secret-factory-secret-factory-secret-factory-secret-64b!'
const nowMs = () => Date.now()

test('createSigner: fixed claims, expiresIn in ms, header options', () => {
  const signer = createSigner({ key, algorithm: 'HS512', expiresIn: 60_000, iss: 'me', aud: ['a', 'b'], kid: 'k', typ: 'at+jwt' })
  const token = signer({ sub: 'u', iss: 'overridden' })
  const c = verify(token, key, { complete: true, audience: 'a', issuer: 'me' })
  assert.deepEqual(c.header, { alg: 'HS512', typ: 'at+jwt', kid: 'k' })
  assert.equal(c.payload.iss, 'me')
  assert.equal(c.payload.exp - c.payload.iat, 60)
  assert.equal(c.payload.sub, 'u')
  throwsCode(() => signer('not an object'), JsonWebTokenError, 'invalid_argument')
  throwsCode(() => createSigner({ key: 'short' }), JsonWebTokenError, 'weak_key')
  throwsCode(() => createSigner({}), JsonWebTokenError, 'invalid_argument')
})

test('createSigner with a fixed clock is deterministic for HMAC', () => {
  const signer = createSigner({ key, clockTimestamp: 1_700_000_000_000, expiresIn: '1h' })
  assert.equal(signer({ a: 1 }), signer({ a: 1 }))
  assert.deepEqual(verify(signer({ a: 1 }), key, { clockTimestamp: 1_700_000_000 }), { a: 1, iat: 1_700_000_000, exp: 1_700_003_600 })
})

test('createVerifier: options in fast-jwt names and ms units', async () => {
  const signer = createSigner({ key, expiresIn: 60_000, iss: 'me', aud: 'api', sub: 'u', nonce: 'n1' })
  const token = signer({ x: 1 })
  const v = createVerifier({ key, allowedIss: 'me', allowedAud: 'api', allowedSub: 'u', allowedNonce: 'n1', algorithms: ['HS256'] })
  assert.equal(v(token).x, 1)
  assert.equal((await v.async(token)).x, 1)
  throwsCode(() => createVerifier({ key, allowedIss: 'other', allowedAud: 'api' })(token), JsonWebTokenError, 'invalid_issuer')
  throwsCode(() => createVerifier({ key, allowedAud: 'api', allowedNonce: 'n2' })(token), JsonWebTokenError, 'invalid_claim')
  const complete = createVerifier({ key, allowedAud: 'api', complete: true })(token)
  assert.equal(complete.header.alg, 'HS256')
  const later = createVerifier({ key, allowedAud: 'api', clockTimestamp: nowMs() + 120_000 })
  throwsCode(() => later(token), TokenExpiredError, 'token_expired')
  const tolerant = createVerifier({ key, allowedAud: 'api', clockTimestamp: nowMs() + 90_000, clockTolerance: 60_000 })
  assert.equal(tolerant(token).x, 1)
  await rejectsCode(later.async(token), TokenExpiredError, 'token_expired')
})

test('verified-token cache: hits are shared and frozen, never served past exp', () => {
  const clock = 1_700_000_000_000
  const signer = createSigner({ key, clockTimestamp: clock, expiresIn: 10_000 })
  const token = signer({ role: 'r' })
  // a verifier whose clock we move: clockTimestamp is read per call through a getter
  const v = createVerifier({ key, cache: 2, clockTimestamp: () => clock })
  const a = v(token)
  const b = v(token)
  assert.equal(a, b, 'second call is a cache hit')
  assert.ok(Object.isFrozen(a))
  assert.throws(() => { 'use strict'; a.role = 'admin' }, TypeError)
  // distinct tokens evict the oldest beyond the cache size
  const t2 = signer({ role: 2 })
  const t3 = signer({ role: 3 })
  v(t2)
  v(t3)
  assert.notEqual(v(token), a, 'evicted, verified again')
})

test('verified-token cache honours exp even with a long cacheTTL', () => {
  let clock = 1_700_000_000_000
  const token = createSigner({ key, clockTimestamp: clock, expiresIn: 5_000 })({ a: 1 })
  const v = createVerifier({ key, cache: true, cacheTTL: 3_600_000, clockTimestamp: () => clock })
  assert.equal(v(token).a, 1)
  clock += 4_000
  assert.equal(v(token).a, 1)
  clock += 1_000 // now == exp: expired
  throwsCode(() => v(token), TokenExpiredError, 'token_expired')
})

test('verified-token cache: errors are not cached, and a bad token never hits', () => {
  const v = createVerifier({ key, cache: true })
  const token = createSigner({ key, expiresIn: 60_000 })({ a: 1 })
  const forged = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA')
  throwsCode(() => v(forged), JsonWebTokenError, 'invalid_signature')
  assert.equal(v(token).a, 1)
  throwsCode(() => v(forged), JsonWebTokenError, 'invalid_signature')
})

test('local JWK set: kid selection, algorithms from the JWKs', () => {
  const k1 = generateKey('ES256')
  const k2 = generateKey('RS256')
  const jwks = createLocalJWKSet({ keys: [k1.publicJwk, k2.publicJwk] })
  assert.equal(jwks.size, 2)
  assert.equal(jwks.toJSON().keys.length, 2)
  for (const k of [k1, k2]) {
    const token = sign({ exp: Math.floor(Date.now() / 1000) + 60 }, k.privateJwk, { keyid: k.privateJwk.kid })
    assert.ok(verify(token, jwks))
    assert.ok(createVerifier({ key: jwks })(token))
  }
  const stranger = generateKey('ES256')
  const token = sign({ exp: Math.floor(Date.now() / 1000) + 60 }, stranger.privateJwk, { keyid: stranger.privateJwk.kid })
  throwsCode(() => verify(token, jwks), JsonWebTokenError, 'key_not_found')
  throwsCode(() => createLocalJWKSet({ nokeys: [] }), JsonWebTokenError, 'invalid_key')
})

function jwksServer () {
  const state = { keys: [], hits: 0, status: 200 }
  const server = http.createServer((req, res) => {
    state.hits++
    res.writeHead(state.status, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ keys: state.keys }))
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    resolve({ state, server, url: `http://127.0.0.1:${server.address().port}/jwks.json` })
  }))
}

test('remote JWK set: fetched once, cached, refetched on an unknown kid after the cooldown', async () => {
  const { state, server, url } = await jwksServer()
  try {
    const a = generateKey('ES256')
    const b = generateKey('EdDSA')
    state.keys = [a.publicJwk]
    const remote = createRemoteJWKSet(url, { allowHttp: true, cooldownDuration: 0 })
    const exp = Math.floor(Date.now() / 1000) + 60
    const ta = sign({ exp, who: 'a' }, a.privateJwk, { keyid: a.privateJwk.kid })
    const tb = sign({ exp, who: 'b' }, b.privateJwk, { keyid: b.privateJwk.kid })
    assert.equal((await verifyAsync(ta, remote)).who, 'a')
    assert.equal((await verifyAsync(ta, remote)).who, 'a')
    assert.equal(state.hits, 1, 'cached')
    assert.equal(verify(ta, remote).who, 'a', 'sync verify works once loaded')
    // key rotation: b appears on the server; an unknown kid triggers one refetch
    state.keys = [a.publicJwk, b.publicJwk]
    const v = createVerifier({ key: remote })
    assert.equal((await v(tb)).who, 'b')
    assert.equal(state.hits, 2)
    // an unknown kid with the cooldown active does not refetch
    const cool = createRemoteJWKSet(url, { allowHttp: true, cooldownDuration: 60_000 })
    await cool.getKeySet()
    const hits = state.hits
    const c = generateKey('ES256')
    const tc = sign({ exp }, c.privateJwk, { keyid: c.privateJwk.kid })
    await rejectsCode(verifyAsync(tc, cool), JsonWebTokenError, 'key_not_found')
    assert.equal(state.hits, hits)
    // a failing server is a typed error
    state.status = 500
    await rejectsCode(createRemoteJWKSet(url, { allowHttp: true }).getKeySet(), JsonWebTokenError, 'jwks_fetch_failed')
    throwsCode(() => createRemoteJWKSet('http://example.invalid/jwks'), JsonWebTokenError, 'invalid_argument')
    throwsCode(() => verify(ta, createRemoteJWKSet(url, { allowHttp: true })), JsonWebTokenError, 'invalid_argument')
  } finally {
    server.close()
  }
})

test('remote JWK set: a body over the size cap is refused while streaming, never read whole', async () => {
  const cap = 512 * 1024
  let written = 0
  let closedEarly = false
  const server = http.createServer((req, res) => {
    const declare = req.url.includes('declared')
    res.writeHead(200, declare ? { 'content-type': 'application/json', 'content-length': String(8 * cap) } : { 'content-type': 'application/json' })
    const chunk = Buffer.alloc(64 * 1024, 0x20)
    res.on('close', () => { if (written < 8 * cap) closedEarly = true })
    const pump = () => {
      while (written < 8 * cap) {
        written += chunk.length
        if (!res.write(chunk)) return res.once('drain', pump)
      }
      res.end()
    }
    pump()
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${server.address().port}`
  try {
    await rejectsCode(createRemoteJWKSet(base + '/chunked', { allowHttp: true }).getKeySet(), JsonWebTokenError, 'jwks_fetch_failed')
    await new Promise((resolve) => setTimeout(resolve, 50))
    assert.ok(closedEarly, 'the client stopped reading at the cap')
    assert.ok(written < 8 * cap, `the server could not send the whole body (${written} bytes)`)
    written = 0
    await rejectsCode(createRemoteJWKSet(base + '/declared', { allowHttp: true }).getKeySet(), JsonWebTokenError, 'jwks_fetch_failed')
  } finally {
    server.closeAllConnections()
    server.close()
  }
})

test('remote JWK set: the synchronous verify refuses a set older than cacheMaxAge', async () => {
  const { state, server, url } = await jwksServer()
  try {
    const a = generateKey('ES256')
    state.keys = [a.publicJwk]
    const remote = createRemoteJWKSet(url, { allowHttp: true, cacheMaxAge: 30 })
    const token = sign({ exp: Math.floor(Date.now() / 1000) + 60 }, a.privateJwk, { keyid: a.privateJwk.kid })
    await remote.getKeySet()
    assert.ok(verify(token, remote).exp > 0, 'fresh: the sync verify uses it')
    await new Promise((resolve) => setTimeout(resolve, 60))
    throwsCode(() => verify(token, remote), JsonWebTokenError, 'invalid_argument')
    throwsCode(() => jwtVerify(token, remote), JsonWebTokenError, 'invalid_argument')
    // the async forms refetch it
    assert.ok((await verifyAsync(token, remote)).exp > 0)
    assert.equal(state.hits, 2)
  } finally {
    server.close()
  }
})

// The refresh rule of a remote JWK set is the core's (native JwksRefresh, jwt-core's
// sans-IO JwksRefresh); these drive it with a test clock and a fake fetch: no timing.
function fakeIssuer () {
  const state = { status: 200, keys: [], hits: 0 }
  const fetch = async () => {
    state.hits++
    if (state.status !== 200) return { ok: false, status: state.status }
    const body = JSON.stringify({ keys: state.keys })
    return { ok: true, status: 200, headers: { get: () => null }, text: async () => body }
  }
  return { state, fetch }
}

test('remote JWK set (test clock): a failed refresh keeps the last good set', async () => {
  const { state, fetch } = fakeIssuer()
  let clock = 1_000_000
  const a = generateKey('ES256')
  state.keys = [a.publicJwk]
  const remote = createRemoteJWKSet('https://issuer.example/jwks', { fetch, now: () => clock, cacheMaxAge: 1000 })
  const token = sign({ exp: Math.floor(Date.now() / 1000) + 600 }, a.privateJwk, { keyid: a.privateJwk.kid })
  const first = await remote.getKeySet()
  assert.equal(first.size, 1)
  // the set expires, the issuer is down: the refetch fails, the last good set stays in use
  clock += 5000
  state.status = 503
  assert.equal(await remote.getKeySet(), first)
  assert.equal(state.hits, 2)
  assert.ok((await verifyAsync(token, remote)).exp > 0)
  // a bad document does not replace it either
  clock += 60_000
  state.status = 200
  state.keys = [{ kty: 'EC', crv: 'P-256', x: 'bad', y: 'bad' }]
  assert.equal(await remote.getKeySet(), first)
  assert.ok((await verifyAsync(token, remote)).exp > 0)
  // never loaded and the issuer down: the fetch error
  state.status = 500
  const cold = createRemoteJWKSet('https://issuer.example/jwks', { fetch, now: () => clock })
  await rejectsCode(cold.getKeySet(), JsonWebTokenError, 'jwks_fetch_failed')
})

test('remote JWK set (test clock): an unknown kid refetches once per cooldown', async () => {
  const { state, fetch } = fakeIssuer()
  let clock = 0
  const a = generateKey('ES256')
  const b = generateKey('ES256')
  state.keys = [a.publicJwk]
  const remote = createRemoteJWKSet('https://issuer.example/jwks', { fetch, now: () => clock, cooldownDuration: 30_000 })
  const exp = Math.floor(Date.now() / 1000) + 600
  const tb = sign({ exp, who: 'b' }, b.privateJwk, { keyid: b.privateJwk.kid })
  await remote.getKeySet()
  assert.equal(state.hits, 1)
  // within the cooldown of the first fetch: no refetch for the unknown kid
  clock = 10_000
  await rejectsCode(verifyAsync(tb, remote), JsonWebTokenError, 'key_not_found')
  assert.equal(state.hits, 1)
  // after it: one refetch, which finds the rotated key
  clock = 40_000
  state.keys = [a.publicJwk, b.publicJwk]
  assert.equal((await verifyAsync(tb, remote)).who, 'b')
  assert.equal(state.hits, 2)
  // another unknown kid right after: the cooldown holds again (one fetch, not one per token)
  const c = generateKey('ES256')
  const tc = sign({ exp }, c.privateJwk, { keyid: c.privateJwk.kid })
  clock = 41_000
  await rejectsCode(verifyAsync(tc, remote), JsonWebTokenError, 'key_not_found')
  await rejectsCode(verifyAsync(tc, remote), JsonWebTokenError, 'key_not_found')
  assert.equal(state.hits, 2)
})

test('remote JWK set (test clock): failed fetches back off, doubling', async () => {
  const { state, fetch } = fakeIssuer()
  let clock = 0
  state.status = 500
  const remote = createRemoteJWKSet('https://issuer.example/jwks', { fetch, now: () => clock, backoffDuration: 1000 })
  // [clock, fetches made so far]: backing off after the failure at 0 until 1000; the
  // second failure (at 1000) doubles the wait, to 3000; meanwhile the last error again
  for (const [at, hits] of [[0, 1], [500, 1], [1000, 2], [2500, 2]]) {
    clock = at
    await rejectsCode(remote.getKeySet(), JsonWebTokenError, 'jwks_fetch_failed')
    assert.equal(state.hits, hits, `fetches by ${at} ms`)
  }
  clock = 3000
  state.status = 200
  state.keys = [generateKey('EdDSA').publicJwk]
  assert.equal((await remote.getKeySet()).size > 0, true)
  assert.equal(state.hits, 3)
})

test('native JwksRefresh: the core policy as JS sees it', () => {
  const native = createRequire(import.meta.url)('../index.js')
  const r = new native.JwksRefresh({ maxAgeMs: 1000, cooldownMs: 100, initialBackoffMs: 10, maxBackoffMs: 40 })
  assert.equal(r.beforeVerify(0), 'fetch')
  assert.equal(r.usable(0), false)
  assert.equal(r.beforeVerify(1), 'unavailable', 'one fetch at a time')
  const jwks = JSON.stringify({ keys: [generateKey('ES256').publicJwk] })
  r.fetchedJson(2, jwks)
  assert.equal(r.generation, 1)
  assert.equal(r.isFresh(500), true)
  assert.equal(r.beforeVerify(500), 'use')
  assert.equal(r.keys(500).size, 1)
  assert.equal(r.onUnknownKid(50), 'use', 'cooldown')
  assert.equal(r.onUnknownKid(200), 'fetch')
  assert.throws(() => r.fetchedJson(201, '{"keys": 1}'), (e) => typeof e.code === 'string')
  assert.equal(r.failures, 1)
  assert.equal(r.keys(300).size, 1, 'the last good set stays')
  assert.equal(r.generation, 1)
  assert.equal(r.isFresh(5000), false)
  assert.throws(() => new native.JwksRefresh({ maxAgeMs: -1 }), { code: 'invalid_argument' })
})
