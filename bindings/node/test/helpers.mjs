// Shared test helpers: where the repository's shared files are, and error assertions.
import assert from 'node:assert/strict'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const here = dirname(fileURLToPath(import.meta.url))
/** The workspace root (bindings/node/test -> ../../..). */
export const root = resolve(here, '..', '..', '..')
/** The Wycheproof vectors, in the repository (testdata/wycheproof/NOTE.md). */
export const wycheproofDir = join(root, 'testdata', 'wycheproof')
export const corpusPath = join(root, 'crates', 'jwt-core', 'tests', 'corpus', 'corpus.json')

function check (caught, cls, code) {
  assert.ok(caught, `expected ${code}, nothing was thrown`)
  assert.ok(caught instanceof cls, `expected ${cls.name}, got ${caught && caught.name}: ${caught && caught.message}`)
  assert.equal(caught.code, code, caught.message)
  return caught
}

/** Assert `fn` throws an error of `cls` whose `.code` is `code`; returns the error. */
export function throwsCode (fn, cls, code) {
  try {
    fn()
  } catch (e) {
    return check(e, cls, code)
  }
  return check(null, cls, code)
}

/** Like throwsCode for a promise. */
export async function rejectsCode (promise, cls, code) {
  try {
    await promise
  } catch (e) {
    return check(e, cls, code)
  }
  return check(null, cls, code)
}

export function b64u (x) {
  return Buffer.from(typeof x === 'string' ? x : JSON.stringify(x)).toString('base64url')
}
