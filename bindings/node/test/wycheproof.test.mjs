// Wycheproof JWS and JWK vectors (from the repository's testdata/wycheproof; a missing
// file fails, never skips). The outcomes, including the documented exceptions, are the core's
// (crates/jwt-core/tests/wycheproof.rs): same inputs, same outcome, same code.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'

import { KeySet } from '../jwt.mjs'
import native from '../index.js'
import { wycheproofDir as dir } from './helpers.mjs'

// Valid vectors the core rejects on purpose: [file, tcId] -> code (see the core's POLICY).
const POLICY = {
  'json_web_signature_test.json:346': 'algorithm_not_allowed', // JWK alg PS256, token PS384
  'json_web_signature_test.json:347': 'unsupported_algorithm', // JWK alg `ES521`
  'json_web_signature_test.json:349': 'key_usage_not_allowed', // key_ops ["sign, verify"]
  'json_web_signature_test.json:350': 'algorithm_not_allowed',
  'json_web_signature_test.json:351': 'unsupported_algorithm'
}
// Vectors whose data contradicts itself (see the core's DEFECTS): null = accepted.
const DEFECTS = {
  'json_web_signature_test.json:367': null,
  'json_web_signature_test.json:370': null,
  'json_web_signature_test.json:372': 'malformed_token',
  'json_web_signature_test.json:373': 'malformed_token'
}

/** The core's code of a native error (napi-rs sets it as `code`). */
function code (e) {
  return e.code
}

function verifierFor (priv) {
  const set = new KeySet()
  if (priv.keys) set.addJwks(JSON.stringify(priv), [])
  else set.addJwk(JSON.stringify(priv))
  return new native.Verifier(set, JSON.stringify({}))
}

for (const file of ['json_web_signature_test.json', 'json_web_key_test.json']) {
  const path = join(dir, file)
  test(`wycheproof ${file}`, () => {
    const data = JSON.parse(readFileSync(path, 'utf8'))
    const counts = { valid: 0, invalid: 0, acceptable: 0, policy: 0, defects: 0, skipped: 0 }
    const failures = []
    for (const g of data.testGroups) {
      let verifier = null
      let buildErr = null
      try {
        verifier = verifierFor(g.private)
      } catch (e) {
        buildErr = e
      }
      for (const t of g.tests) {
        if (t.jws === undefined) {
          counts.skipped++
          continue
        }
        const jws = typeof t.jws === 'string' ? t.jws : JSON.stringify(t.jws)
        let err = buildErr
        if (!err) {
          try {
            verifier.verifyJws(jws)
          } catch (e) {
            err = e
          }
        }
        const id = `${file}:${t.tcId}`
        if (id in POLICY) {
          if (err && code(err) === POLICY[id]) counts.policy++
          else failures.push(`${id}: expected ${POLICY[id]}, got ${err ? err.message : 'ok'}`)
          continue
        }
        if (id in DEFECTS) {
          const want = DEFECTS[id]
          if ((want === null && !err) || (err && code(err) === want)) counts.defects++
          else failures.push(`${id}: expected ${want}, got ${err ? err.message : 'ok'}`)
          continue
        }
        if (t.result === 'valid' && !err) counts.valid++
        else if (t.result === 'invalid' && err) counts.invalid++
        else if (t.result === 'acceptable' && err) counts.acceptable++
        else failures.push(`${id} [${t.result}] ${t.comment} ${JSON.stringify(t.flags)}: got ${err ? err.message : 'ok'}`)
      }
    }
    console.log(`${file}: ${JSON.stringify(counts)}`)
    assert.deepEqual(failures, [])
    assert.ok(counts.valid + counts.invalid > 0)
  })
}
