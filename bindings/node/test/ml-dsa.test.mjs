// ML-DSA (FIPS 204, AKP JWKs) through every door: the native one (`strict`), the
// jsonwebtoken-compatible functions and the fast-jwt factories. The addon is built on
// aws-lc, so all three parameter sets are available; none of it is listed in JS.
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { test } from 'node:test'

import jwt, {
  strict, generateKey, createSigner, createVerifier, createDecoder, KeySet,
  JsonWebTokenError, TokenError
} from '../jwt.mjs'
import { throwsCode } from './helpers.mjs'

const native = createRequire(import.meta.url)('../index.js')
const LEVELS = ['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87']
const now = () => Math.floor(Date.now() / 1000)
const keys = Object.fromEntries(LEVELS.map((alg) => [alg, generateKey(alg)]))

test('the core lists the three ML-DSA algorithms with AKP keys', () => {
  const table = native.algorithmTable()
  for (const alg of LEVELS) {
    const e = table.find((a) => a.name === alg)
    assert.ok(e, `${alg} missing from the algorithm table`)
    assert.equal(e.kind, 'asymmetric')
    assert.equal(e.keyType, alg.toLowerCase())
  }
  assert.equal(native.algorithmKeyKind('ML-DSA-65'), 'asymmetric')
})

for (const alg of LEVELS) {
  test(`${alg}: generate, sign and verify through the native door`, () => {
    const { privateJwk, publicJwk } = keys[alg]
    assert.equal(publicJwk.kty, 'AKP')
    assert.equal(publicJwk.alg, alg)
    assert.equal(typeof publicJwk.pub, 'string')
    assert.equal(publicJwk.priv, undefined)
    assert.equal(typeof privateJwk.priv, 'string')
    const token = strict.sign({ sub: 'u1', exp: now() + 60 }, privateJwk)
    assert.equal(jwt.decode(token, { complete: true }).header.alg, alg)
    assert.equal(strict.verify(token, publicJwk).sub, 'u1')
    const tampered = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA')
    throwsCode(() => strict.verify(tampered, publicJwk), JsonWebTokenError, 'invalid_signature')
  })
}

test('AKP JWK import and export round trip through a KeySet', () => {
  const { publicJwk } = keys['ML-DSA-65']
  const set = new KeySet()
  set.addJwk(JSON.stringify(publicJwk))
  assert.deepEqual(set.algorithms(), ['ML-DSA-65'])
  const exported = JSON.parse(set.toPublicJwks()).keys
  assert.equal(exported.length, 1)
  assert.equal(exported[0].kty, 'AKP')
  assert.equal(exported[0].alg, 'ML-DSA-65')
  assert.equal(exported[0].pub, publicJwk.pub)
  assert.equal(exported[0].kid, publicJwk.kid)
  assert.equal(exported[0].priv, undefined)
})

test('a key of one ML-DSA level is refused for another with a typed code', () => {
  const { privateJwk, publicJwk } = keys['ML-DSA-65']
  const set = new KeySet()
  throwsCode(() => set.addJwk(JSON.stringify(publicJwk), 'ML-DSA-44'), Error, 'key_algorithm_mismatch')
  throwsCode(() => strict.sign({ exp: now() + 60 }, privateJwk, { algorithm: 'ML-DSA-87' }), JsonWebTokenError, 'key_algorithm_mismatch')
  const token44 = strict.sign({ exp: now() + 60 }, keys['ML-DSA-44'].privateJwk)
  assert.throws(() => strict.verify(token44, publicJwk), JsonWebTokenError)
})

test('jsonwebtoken door: an AKP JWK object signs and verifies, its level enforced', () => {
  const { privateJwk, publicJwk } = keys['ML-DSA-65']
  const token = jwt.sign({ sub: 'u2' }, privateJwk, { algorithm: 'ML-DSA-65', expiresIn: 60 })
  assert.equal(jwt.verify(token, publicJwk).sub, 'u2')
  assert.equal(jwt.verify(token, publicJwk, { algorithms: ['ML-DSA-65'] }).sub, 'u2')
  assert.throws(() => jwt.verify(token, publicJwk, { algorithms: ['ML-DSA-44'] }), { name: 'JsonWebTokenError', message: 'invalid algorithm' })
  assert.throws(() => jwt.sign({}, privateJwk, { algorithm: 'ML-DSA-44' }),
    { message: '"alg" parameter for "ml-dsa-65" key type must be one of: ML-DSA-65.' })
  assert.throws(() => jwt.sign({}, publicJwk, { algorithm: 'ML-DSA-65' }),
    { message: 'secretOrPrivateKey must be an asymmetric key when using ML-DSA-65' })
  assert.throws(() => jwt.verify(token, 'a-secret-of-at-least-thirty-two-bytes!!'), JsonWebTokenError)
})

test('fast-jwt door: an AKP JWK object with algorithms [ML-DSA-65]', () => {
  const { privateJwk, publicJwk } = keys['ML-DSA-65']
  const token = createSigner({ key: privateJwk, algorithm: 'ML-DSA-65', expiresIn: 60_000 })({ sub: 'u3' })
  assert.equal(createDecoder({ complete: true })(token).header.alg, 'ML-DSA-65')
  assert.equal(createVerifier({ key: publicJwk, algorithms: ['ML-DSA-65'] })(token).sub, 'u3')
  assert.equal(createSigner({ key: privateJwk })({ sub: 'u4' }).split('.').length, 3)
  // as fast-jwt words a key that fits none of the allowed algorithms
  assert.throws(() => createVerifier({ key: publicJwk, algorithms: ['ML-DSA-44'] })(token),
    (e) => e instanceof TokenError && e.code === TokenError.codes.invalidKey &&
      e.message === 'Invalid public key provided for algorithms ML-DSA-44.')
  assert.throws(() => createSigner({ key: publicJwk, algorithm: 'ML-DSA-65' })({}),
    (e) => e instanceof TokenError && e.code === TokenError.codes.invalidKey)
})
