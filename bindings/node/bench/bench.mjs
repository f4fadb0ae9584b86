// Side-by-side benchmark: @jwt-core/node vs fast-jwt (with and without its cache),
// jsonwebtoken and jose, in one process on the same tokens and keys.
//
//   node bench/bench.mjs [--time MS] [--rounds N] [--docs ../../docs/performance.md]
//
// Prints µs/op (best of N interleaved rounds of ~MS each) and ratios. With --docs, rewrites the Node section of the given file
// between `<!-- node:begin -->` and `<!-- node:end -->` (nothing else is touched).
// No assertion is made on timings: this is a measurement, not a test.
import crypto from 'node:crypto'
import { createRequire } from 'node:module'
import os from 'node:os'

import * as jose from 'jose'
import * as ours from '../jwt.mjs'
import { cli, measure as measureCall, writeSection } from './harness.mjs'
import native from '../index.js'

const require = createRequire(import.meta.url)
const jsonwebtoken = require('jsonwebtoken')
const fastJwt = require('fast-jwt')

const { budgetMs, rounds, docs } = cli()

/** Mean µs per call of a sync or async function, over ~budgetMs after a warm-up. */
const measure = (fn, isAsync) => measureCall(fn, isAsync, budgetMs, 16)

const now = Math.floor(Date.now() / 1000)
const claims = { sub: 'user-42', role: 'admin', scope: 'read write', iss: 'https://issuer.example' }

function keys (alg) {
  if (alg === 'HS256') {
    const secret = crypto.randomBytes(32)
    const ko = crypto.createSecretKey(secret)
    return { signKey: secret, verifyKey: secret, josePriv: secret, josePub: secret, fastSign: secret, fastVerify: secret, keyObjSign: ko, keyObjVerify: ko }
  }
  const pair = alg === 'ES256'
    ? crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' })
    : alg === 'EdDSA' ? crypto.generateKeyPairSync('ed25519') : crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
  const priv = pair.privateKey.export({ format: 'pem', type: 'pkcs8' })
  const pub = pair.publicKey.export({ format: 'pem', type: 'spki' })
  return { signKey: priv, verifyKey: pub, josePriv: pair.privateKey, josePub: pair.publicKey, fastSign: priv, fastVerify: pub, keyObjSign: pair.privateKey, keyObjVerify: pair.publicKey }
}

const rows = []
async function scenario (title, cases) {
  for (const [, fn, isAsync] of cases) {
    if (isAsync) await fn() // correctness smoke: must not throw
    else fn()
  }
  // Rounds interleave the libraries and the best round counts: on a shared machine a
  // burst of other work then hits every library alike instead of one of them.
  const results = cases.map(([name]) => ({ name, us: Infinity }))
  for (let round = 0; round < rounds; round++) {
    for (const [i, [, fn, isAsync]] of cases.entries()) {
      results[i].us = Math.min(results[i].us, await measure(fn, isAsync))
    }
  }
  rows.push({ title, results })
  const width = Math.max(...results.map((r) => r.name.length))
  console.log(`\n${title}`)
  for (const r of results) console.log(`  ${r.name.padEnd(width)}  ${r.us.toFixed(2).padStart(8)} µs/op`)
}

for (const alg of ['HS256', 'ES256', 'RS256', 'EdDSA']) {
  const k = keys(alg)
  // jsonwebtoken has no EdDSA (this package signs that token); every library verifies
  // the same token
  const tok = alg === 'EdDSA'
    ? ours.sign({ ...claims, exp: now + 3600 }, k.signKey, { algorithm: alg })
    : jsonwebtoken.sign(claims, k.signKey, { algorithm: alg, expiresIn: 3600 })

  const oursSigner = ours.createSigner({ key: k.signKey, algorithm: alg, expiresIn: 3_600_000 })
  const fastSigner = fastJwt.createSigner({ key: k.fastSign, algorithm: alg, expiresIn: 3_600_000 })
  const signCases = [
    ['@jwt-core/node createSigner', () => oursSigner(claims)],
    ['@jwt-core/node sign()', () => ours.sign(claims, k.signKey, { algorithm: alg, expiresIn: 3600 })],
    ['fast-jwt createSigner', () => fastSigner(claims)]
  ]
  if (alg !== 'EdDSA') {
    signCases.push(['jsonwebtoken sign()', () => jsonwebtoken.sign(claims, k.signKey, { algorithm: alg, expiresIn: 3600 })])
    // jsonwebtoken 9 first tries crypto.createPrivateKey on a string/Buffer key, which is
    // slow on OpenSSL 3; a KeyObject skips that (its best case)
    signCases.push(['jsonwebtoken sign() KeyObject key', () => jsonwebtoken.sign(claims, k.keyObjSign, { algorithm: alg, expiresIn: 3600 })])
  }
  signCases.push(['jose SignJWT (async)', () => new jose.SignJWT(claims).setProtectedHeader({ alg }).setExpirationTime('1h').sign(k.josePriv), true])
  // The `.async` forms (jwt.strict factories) move the crypto to the libuv pool: worth it
  // for the slow asymmetric signatures only.
  const strictSigner = ours.strict.createSigner({ key: k.signKey, algorithm: alg, expiresIn: 3_600_000 })
  if (alg !== 'HS256') signCases.push(['@jwt-core/node strict sign.async (pool)', () => strictSigner.async(claims), true])
  await scenario(`${alg} sign`, signCases)

  const oursVerifier = ours.createVerifier({ key: k.verifyKey, algorithms: [alg] })
  const oursCached = ours.createVerifier({ key: k.verifyKey, algorithms: [alg], cache: true })
  const fastVerifier = fastJwt.createVerifier({ key: k.fastVerify, algorithms: [alg] })
  const fastCached = fastJwt.createVerifier({ key: k.fastVerify, algorithms: [alg], cache: true })
  const verifyCases = [
    ['@jwt-core/node createVerifier', () => oursVerifier(tok)],
    ['@jwt-core/node createVerifier cache', () => oursCached(tok)],
    ['@jwt-core/node verify()', () => ours.verify(tok, k.verifyKey, { algorithms: [alg] })],
    ['fast-jwt createVerifier', () => fastVerifier(tok)],
    ['fast-jwt createVerifier cache', () => fastCached(tok)]
  ]
  if (alg !== 'EdDSA') {
    verifyCases.push(['jsonwebtoken verify()', () => jsonwebtoken.verify(tok, k.verifyKey, { algorithms: [alg] })])
    verifyCases.push(['jsonwebtoken verify() KeyObject key', () => jsonwebtoken.verify(tok, k.keyObjVerify, { algorithms: [alg] })])
  }
  verifyCases.push(['jose jwtVerify (async)', () => jose.jwtVerify(tok, k.josePub, { algorithms: [alg] }), true])
  const strictVerifier = ours.strict.createVerifier({ key: k.verifyKey, algorithms: [alg] })
  if (alg !== 'HS256') verifyCases.push(['@jwt-core/node strict verify.async (pool)', () => strictVerifier.async(tok), true])
  await scenario(`${alg} verify`, verifyCases)
}

// Where the time of one HS256 call goes: the native call itself, the core's work, and
// the JS around it (JSON.stringify of the claims going in, JSON.parse coming out).
{
  const secret = 'where-does-the-time-go-secret-32b'
  const tok = ours.sign({ ...claims, exp: now + 3600 }, secret)
  const set = new native.KeySet()
  set.addSecret('HS256', Buffer.from(secret))
  const nv = new native.Verifier(set, null, true)
  const claimsJson = nv.verify(tok)
  const signer = native.Signer.fromSecret('HS256', Buffer.from(secret))
  const payloadJson = JSON.stringify(claims)
  const v = ours.createVerifier({ key: secret })
  const s = ours.createSigner({ key: secret })
  await scenario('HS256: where the time goes', [
    ['napi call overhead (a getter)', () => set.size],
    ['native Verifier.verify -> claims JSON text', () => nv.verify(tok)],
    ['JSON.parse(claims JSON text)', () => JSON.parse(claimsJson)],
    ['createVerifier() total', () => v(tok)],
    ['JSON.stringify(claims)', () => JSON.stringify(claims)],
    ['native Signer.sign(claims JSON text)', () => signer.sign(payloadJson)],
    ['createSigner() total', () => s(claims)]
  ])
}

// Ratios against the issue's targets.
const find = (title, name) => rows.find((r) => r.title === title).results.find((r) => r.name === name).us
const ratio = (a, b) => b / a
const targets = [
  ['HS256 verify vs fast-jwt (uncached)', ratio(find('HS256 verify', '@jwt-core/node createVerifier'), find('HS256 verify', 'fast-jwt createVerifier')), 3.0],
  ['HS256 verify, cached vs fast-jwt cached', ratio(find('HS256 verify', '@jwt-core/node createVerifier cache'), find('HS256 verify', 'fast-jwt createVerifier cache')), 1.0],
  ['HS256 sign() vs jsonwebtoken sign()', ratio(find('HS256 sign', '@jwt-core/node sign()'), find('HS256 sign', 'jsonwebtoken sign()')), 2.0],
  ['HS256 createSigner vs jsonwebtoken sign()', ratio(find('HS256 sign', '@jwt-core/node createSigner'), find('HS256 sign', 'jsonwebtoken sign()')), 2.0],
  ['HS256 sign() vs jsonwebtoken sign() KeyObject', ratio(find('HS256 sign', '@jwt-core/node sign()'), find('HS256 sign', 'jsonwebtoken sign() KeyObject key')), 2.0],
  ['HS256 verify() vs jsonwebtoken verify()', ratio(find('HS256 verify', '@jwt-core/node verify()'), find('HS256 verify', 'jsonwebtoken verify()')), null],
  ['HS256 verify() vs jsonwebtoken verify() KeyObject', ratio(find('HS256 verify', '@jwt-core/node verify()'), find('HS256 verify', 'jsonwebtoken verify() KeyObject key')), null],
  ['ES256 verify vs fast-jwt', ratio(find('ES256 verify', '@jwt-core/node createVerifier'), find('ES256 verify', 'fast-jwt createVerifier')), 1.2],
  ['RS256 verify vs fast-jwt', ratio(find('RS256 verify', '@jwt-core/node createVerifier'), find('RS256 verify', 'fast-jwt createVerifier')), 1.2],
  ['EdDSA verify vs fast-jwt', ratio(find('EdDSA verify', '@jwt-core/node createVerifier'), find('EdDSA verify', 'fast-jwt createVerifier')), 1.2],
  ['ES256 sign vs fast-jwt', ratio(find('ES256 sign', '@jwt-core/node createSigner'), find('ES256 sign', 'fast-jwt createSigner')), null],
  ['RS256 sign vs fast-jwt', ratio(find('RS256 sign', '@jwt-core/node createSigner'), find('RS256 sign', 'fast-jwt createSigner')), null]
]
console.log('\nRatios (how many times faster @jwt-core/node is; target from issue 14)')
for (const [name, r, target] of targets) {
  const verdict = target === null ? '' : r >= target ? `  target ${target}x: met` : `  target ${target}x: NOT met`
  console.log(`  ${name.padEnd(44)} ${r.toFixed(2).padStart(6)}x${verdict}`)
}

if (docs) {
  const lines = []
  lines.push('## Node (`@jwt-core/node`)', '')
  lines.push(`Measured by \`cargo xtask bench --only node\` (\`bindings/node/bench/bench.mjs\`): Node ${process.version}, ` +
    `${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.cpus().length} logical CPUs, shared with other work), one process, ` +
    `same tokens and keys for every library; mean µs per call, best of ${rounds} interleaved rounds (lower is better). The addon is a release build. ` +
    'Async rows (`jose`, `.async`) include a promise round trip (and, for `.async`, a hop to the libuv pool), ' +
    'so they measure latency, not throughput.', '')
  for (const r of rows) {
    lines.push(`### ${r.title}`, '', '| library | µs/op |', '|---|---:|')
    for (const x of r.results) lines.push(`| ${x.name} | ${x.us.toFixed(2)} |`)
    lines.push('')
  }
  lines.push('### Ratios against the targets of issue 14', '', '| comparison | speed-up | target |', '|---|---:|---|')
  for (const [name, r, target] of targets) {
    lines.push(`| ${name} | ${r.toFixed(2)}x | ${target === null ? '-' : `${target}x ${r >= target ? 'met' : '**not met**'}`} |`)
  }
  lines.push('')
  writeSection(docs, 'node', lines)
  console.log(`\nwrote the Node section of ${docs}`)
}
