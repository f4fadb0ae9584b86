// The shared conformance corpus (crates/jwt-core/tests/corpus/corpus.json), case by case
// through the public API: same inputs, same outcome, same error code as the Rust core.
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { test } from 'node:test'

import { KeySet, strict, JsonWebTokenError, TokenExpiredError, NotBeforeError } from '../jwt.mjs'
const { verify } = strict
import { corpusPath } from './helpers.mjs'

/** The corpus's snake_case validation as this package's (jsonwebtoken-style) options. */
function options (v = {}, now) {
  const o = { clockTimestamp: now }
  if (v.algorithms !== undefined) o.algorithms = v.algorithms
  if (v.issuer !== undefined) o.issuer = v.issuer
  if (v.audience !== undefined) o.audience = v.audience
  if (v.subject !== undefined) o.subject = v.subject
  if (v.leeway !== undefined) o.clockTolerance = v.leeway
  if (v.required_claims !== undefined) o.requiredClaims = v.required_claims
  if (v.max_age !== undefined) o.maxAge = v.max_age
  if (v.typ !== undefined) o.typ = v.typ
  if (v.critical !== undefined) o.critical = v.critical
  if (v.claims_equal !== undefined) o.claims = v.claims_equal
  const known = ['algorithms', 'issuer', 'audience', 'subject', 'leeway', 'required_claims', 'max_age', 'typ', 'critical', 'claims_equal']
  for (const k of Object.keys(v)) assert.ok(known.includes(k), `corpus validation member ${k} is not mapped`)
  return o
}

function keySet (keys) {
  const set = new KeySet()
  for (const k of keys) {
    if (k.jwk !== undefined) set.addJwk(JSON.stringify(k.jwk), k.alg)
    else if (k.pem !== undefined) set.addPem(k.alg, k.pem, k.kid)
    else if (k.secret_b64u !== undefined) set.addSecret(k.alg, Buffer.from(k.secret_b64u, 'base64url'), k.kid, k.allow_short === true)
    else assert.fail(`unknown key form: ${Object.keys(k)}`)
  }
  return set
}

/** The outcome of one case: { ok: true, claims } or { ok: false, error, cls, message }. */
function run (c, now) {
  let set
  try {
    set = keySet(c.keys)
  } catch (e) {
    // Key building throws the native error, with the core's code as its `code`.
    return { ok: false, error: e.code, cls: JsonWebTokenError, message: e.message }
  }
  try {
    return { ok: true, claims: verify(c.token, set, options(c.validation, c.now ?? now)) }
  } catch (e) {
    assert.ok(e instanceof JsonWebTokenError, `${c.id}: not a JsonWebTokenError: ${e}`)
    return { ok: false, error: e.code, cls: e.constructor, message: e.message }
  }
}

const corpus = existsSync(corpusPath) ? JSON.parse(readFileSync(corpusPath, 'utf8')) : null

test('corpus file is present and version 1', { skip: corpus ? false : `no corpus at ${corpusPath}` }, () => {
  assert.equal(corpus.version, 1)
  assert.ok(corpus.cases.length > 0)
})

for (const c of corpus ? corpus.cases : []) {
  test(`corpus: ${c.id}`, () => {
    const got = run(c, corpus.now)
    if (c.expect.ok) {
      assert.equal(got.ok, true, `${c.id} (${c.description}): expected ok, got ${got.error}`)
      assert.deepEqual(got.claims, c.expect.claims)
    } else {
      assert.equal(got.ok, false, `${c.id} (${c.description}): expected ${c.expect.error}, got ok`)
      assert.equal(got.error, c.expect.error, `${c.id} (${c.description})`)
      if (c.expect.error === 'token_expired') assert.equal(got.cls, TokenExpiredError)
      if (c.expect.error === 'token_not_yet_valid') assert.equal(got.cls, NotBeforeError)
    }
  })
}
