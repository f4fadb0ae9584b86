// The shared JWE conformance corpus (crates/jwt-core/tests/corpus/jwe-corpus.json), case
// by case through the public API: same inputs, same outcome, same error code as the core.
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'

import { createDecrypter, JsonWebTokenError } from '../jwt.mjs'
import { corpusPath } from './helpers.mjs'

const jwePath = join(corpusPath, '..', 'jwe-corpus.json')
const corpus = existsSync(jwePath) ? JSON.parse(readFileSync(jwePath, 'utf8')) : null

/** The corpus's snake_case options as createDecrypter's camelCase ones. */
function options (o = {}) {
  const map = {
    algorithms: 'algorithms',
    encryptions: 'encryptions',
    critical: 'critical',
    allow_pbes2: 'allowPbes2',
    max_token_bytes: 'maxTokenBytes',
    max_plaintext_bytes: 'maxPlaintextBytes'
  }
  const out = {}
  for (const [k, v] of Object.entries(o)) {
    assert.ok(k in map, `corpus option ${k} is not mapped`)
    out[map[k]] = v
  }
  return out
}

/** The outcome of one case: { ok: true, plaintext, header } or { ok: false, error }. */
function run (c) {
  try {
    const keys = c.keys.map((k) => (k.alg !== undefined ? { key: k.jwk, alg: k.alg } : k.jwk))
    const d = createDecrypter({ keys, ...options(c.options) })
    const out = c.token !== undefined ? d.decrypt(c.token) : d.decryptJson(c.json)
    return { ok: true, plaintext: out.plaintext, header: out.header }
  } catch (e) {
    assert.ok(e instanceof JsonWebTokenError, `${c.id}: not a JsonWebTokenError: ${e}`)
    return { ok: false, error: e.code }
  }
}

test('JWE corpus file is present and version 1', { skip: corpus ? false : `no corpus at ${jwePath}` }, () => {
  assert.equal(corpus.version, 1)
  assert.ok(corpus.cases.length > 0)
})

for (const c of corpus ? corpus.cases : []) {
  test(`jwe corpus: ${c.id}`, () => {
    const got = run(c)
    if (c.expect.ok) {
      assert.equal(got.ok, true, `${c.id} (${c.description}): expected ok, got ${got.error}`)
      assert.ok(Buffer.isBuffer(got.plaintext))
      assert.equal(got.plaintext.toString('base64url'), c.expect.plaintext_b64u)
      assert.deepEqual(got.header, c.expect.header)
    } else {
      assert.equal(got.ok, false, `${c.id} (${c.description}): expected ${c.expect.error}, got ok`)
      assert.equal(got.error, c.expect.error, `${c.id} (${c.description})`)
    }
  })
}
