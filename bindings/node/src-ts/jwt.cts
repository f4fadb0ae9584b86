/**
 * @jwt-core/node: the JavaScript half of the package.
 *
 * This file maps the option names of jsonwebtoken (sign/verify/decode) and fast-jwt
 * (createSigner/createVerifier/createDecoder) onto the native jwt-core objects, and turns
 * the core's stable error codes (the native errors' `code`) into jsonwebtoken's error
 * classes or fast-jwt's TokenError. The JOSE decisions (which algorithms, which key, the
 * signature, the header, the claims' types) are made by the Rust core; this file chooses
 * the core's inputs and, for fast-jwt, compares the time windows in its milliseconds.
 *
 * Speed: keys and validation rules are parsed once per (key, options) and cached; claims
 * cross the native boundary as one JSON string each way.
 */

import crypto = require('node:crypto')
import nodeUtil = require('node:util')
import native = require('./index.js')

const { KeySet: NativeKeySet, Signer: NativeSigner, Verifier: NativeVerifier } = native

// ---------------------------------------------------------------------------------------
// Errors

/** Every code jwt-core can return, plus the two this package adds. */
const CODES = new Set(native.errorCodes().map((c) => c[0]))
CODES.add('jwks_fetch_failed')

/**
 * Base class of every error this package throws (jsonwebtoken's signature:
 * `new JsonWebTokenError(message, innerError)`); `.code` is jwt-core's stable code.
 */
class JsonWebTokenError extends Error {
  [field: string]: any
  constructor (message?: any, inner?: any) {
    super(message)
    this.name = 'JsonWebTokenError'
    if (inner) this.inner = inner
    Object.defineProperty(this, 'code', { value: 'invalid_argument', writable: true, configurable: true })
    if (Error.captureStackTrace) Error.captureStackTrace(this, this.constructor)
  }
}

/** A `JsonWebTokenError` with jwt-core's `code` (non-enumerable, as jsonwebtoken has none). */
function jwtError (message?: any, code = 'invalid_argument', inner?: any) {
  const e = new JsonWebTokenError(message, inner)
  e.code = code
  return e
}

/** `exp` is in the past; `expiredAt` is the token's `exp` as a Date. */
class TokenExpiredError extends JsonWebTokenError {
  [field: string]: any
  constructor (message?: any, expiredAt?: any) {
    super(message)
    this.code = 'token_expired'
    this.name = 'TokenExpiredError'
    this.expiredAt = expiredAt
  }
}

/** `nbf` is in the future; `date` is the token's `nbf` as a Date. */
class NotBeforeError extends JsonWebTokenError {
  [field: string]: any
  constructor (message?: any, date?: any) {
    super(message)
    this.code = 'token_not_yet_valid'
    this.name = 'NotBeforeError'
    this.date = date
  }
}

function unverifiedClaims (token?: any) {
  try {
    return JSON.parse(native.decodeUnverified(token))[1]
  } catch {
    return {}
  }
}

/**
 * The core's code and message of a native exception: napi-rs sets `code` to the core's
 * stable code; anything else (napi's own argument conversions) is `invalid_argument`.
 */
function coreFailure (e?: any) {
  const code = e && e.code
  const message = String((e && e.message) || e)
  return CODES.has(code) ? { code, message } : { code: 'invalid_argument', message }
}

/** Turn a native exception into this package's error classes. */
function toJwtError (e?: any, token?: any) {
  if (e instanceof JsonWebTokenError) return e
  if (!(e && CODES.has(e.code))) {
    // napi argument conversion (a number where a string belongs) and the like.
    return jwtError(String((e && e.message) || e), 'invalid_argument', e)
  }
  if (e.code === 'token_expired') {
    const exp = unverifiedClaims(token).exp
    return new TokenExpiredError('jwt expired', new Date(Math.floor(exp) * 1000))
  }
  if (e.code === 'token_not_yet_valid') {
    const nbf = unverifiedClaims(token).nbf
    return new NotBeforeError('jwt not active', new Date(Math.ceil(nbf) * 1000))
  }
  return jwtError(e.message, e.code)
}

function invalid (message?: any) {
  return jwtError(message, 'invalid_argument')
}

// ---------------------------------------------------------------------------------------
// Keys

// Which algorithms a key fits is the core's decision (`native.keyInfo`,
// `KeySet.addMaterial`: jwt-core's `KeySet::fitting`), never a table here.

/**
 * Every signature algorithm this build of the core can use, with node:crypto's names for
 * its keys (`native.algorithmTable`): the lists below that are not a peer's own are
 * derived from it, so an algorithm the core adds (ML-DSA) appears here by itself.
 */
const CORE_ALGS = native.algorithmTable()
const CORE_ALG_NAMES = CORE_ALGS.map((a) => a.name)

/**
 * A peer's own key-type -> algorithms table (its messages list them in this order), each
 * list extended by the core's other algorithms for that node:crypto `asymmetricKeyType`,
 * then every key type the core knows that the peer does not, with the core's algorithms
 * for it, in the core's order. The peer's lists are kept for what they word; what the
 * core adds (ES256K, EdDSA and Ed25519, ML-DSA) comes from `native.algorithmTable`.
 */
function withCoreKeyTypes (peer: Record<string, string[]>) {
  const out: Record<string, string[]> = {}
  for (const [type, algs] of Object.entries(peer)) out[type] = [...algs]
  for (const a of CORE_ALGS) {
    if (!a.keyType) continue
    const list = (out[a.keyType] ??= [])
    if (!list.includes(a.name)) list.push(a.name)
  }
  return out
}

/** The kind of key `alg` needs, as the core says: 'secret', 'asymmetric' or null (memoised). */
const algKinds = new Map()
function algorithmKeyKind (alg?: any) {
  let k = algKinds.get(alg)
  if (k === undefined) {
    k = typeof alg === 'string' ? native.algorithmKeyKind(alg) : null
    if (algKinds.size < 64) algKinds.set(alg, k)
  }
  return k
}

/** True when the core binds `alg` to HMAC secrets. */
const isHmacAlg = (alg?: any) => algorithmKeyKind(alg) === 'secret'

const PEM_RE = /-----BEGIN [A-Z0-9 ]+-----/

/**
 * What the caller passed as a key, normalised once:
 * `{ kind: 'secret' | 'pem' | 'der-public' | 'der-private' | 'jwk', material }` where
 * `material` (a Buffer or a string) goes to the native constructors as it is.
 */
function describeKey (key?: any): any {
  if (key instanceof crypto.KeyObject) {
    if (key.type === 'secret') return { kind: 'secret', material: key.export() }
    if (key.type === 'private') {
      return { kind: 'der-private', material: key.export({ format: 'der', type: 'pkcs8' }) }
    }
    return { kind: 'der-public', material: key.export({ format: 'der', type: 'spki' }) }
  }
  if (typeof key === 'string' || Buffer.isBuffer(key) || key instanceof Uint8Array) {
    const bytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : Buffer.from(key)
    const text = typeof key === 'string' ? key : bytes.subarray(0, 64).toString('latin1')
    if (PEM_RE.test(text)) return { kind: 'pem', material: typeof key === 'string' ? key : bytes.toString('utf8') }
    if (bytes.length === 0) throw invalid('secretOrPublicKey must have a value')
    return { kind: 'secret', material: bytes }
  }
  if (key && typeof key === 'object' && typeof key.kty === 'string') {
    return { kind: 'jwk', material: JSON.stringify(key) }
  }
  if (key && typeof key === 'object' && key.key !== undefined && key.passphrase !== undefined) {
    // jsonwebtoken's { key, passphrase } for encrypted private keys: decrypt with Node.
    let obj
    try {
      obj = crypto.createPrivateKey(key)
    } catch (e) {
      throw jwtError(`invalid key: ${e.message}`, 'invalid_key')
    }
    return describeKey(obj)
  }
  if (key === undefined || key === null || key === '') throw invalid('secretOrPublicKey must have a value')
  throw jwtError('unsupported key type: pass a string, Buffer, JWK object, KeyObject or JWKSet', 'invalid_key')
}

/** The algorithms the core binds `desc` to (as a signing key when `isPrivate`). */
function keyAlgorithms (desc?: any, isPrivate?: any) {
  try {
    return native.keyAlgorithms(desc.material, isPrivate === true)
  } catch (e) {
    throw toJwtError(e)
  }
}

/** A private or secret key bound to one algorithm, as a native signer. */
function nativeSigner (desc?: any, alg?: any, kid?: any, headerJson?: any) {
  try {
    switch (desc.kind) {
      case 'secret': return NativeSigner.fromSecret(alg, desc.material, { kid, header: headerJson })
      case 'pem': return NativeSigner.fromPem(alg, desc.material, { kid, header: headerJson })
      case 'der-private': return NativeSigner.fromDer(alg, desc.material, { kid, header: headerJson })
      case 'der-public': throw jwtError('invalid key: a public key cannot sign', 'invalid_key')
      case 'jwk': return NativeSigner.fromJwk(desc.material, alg, { header: headerJson })
    }
  } catch (e) {
    throw toJwtError(e)
  }
  throw invalid('unsupported key')
}

// Per-key caches: parsing a PEM or building a key set costs far more than a verification.
// Strings and Buffers are cached by content (a reused Buffer may change), KeyObjects and
// key sets by identity (immutable), JWK objects by their JSON.
const MAX_CACHED_KEYS = 256
// One map per spelling, so that no string key can name a Buffer's or a JWK's entry.
const byString = new Map()
const byBytes = new Map()
const byJwk = new Map()
const byObject = new WeakMap()

function contentCache (map?: any, content?: any) {
  let m = map.get(content)
  if (m === undefined) {
    if (map.size >= MAX_CACHED_KEYS) map.clear()
    m = new Map()
    map.set(content, m)
  }
  return m
}

function perKeyCache (key?: any) {
  if (typeof key === 'string') return contentCache(byString, key)
  // latin1: one character per byte, a bijection, and cheaper than base64
  if (Buffer.isBuffer(key)) return contentCache(byBytes, key.toString('latin1'))
  if (key instanceof Uint8Array) return contentCache(byBytes, Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('latin1'))
  if (key instanceof crypto.KeyObject || key instanceof JWKSet || key instanceof NativeKeySet) {
    let m = byObject.get(key)
    if (m === undefined) {
      m = new Map()
      byObject.set(key, m)
    }
    return m
  }
  if (key && typeof key === 'object' && typeof key.kty === 'string') return contentCache(byJwk, JSON.stringify(key))
  return null
}

function cached (cache?: any, optsKey?: any, build?: any) {
  if (cache === null) return build()
  let v = cache.get(optsKey)
  if (v === undefined) {
    if (cache.size >= 64) cache.clear()
    v = build()
    cache.set(optsKey, v)
  }
  return v
}

// ---------------------------------------------------------------------------------------
// JWK sets

/** A set of verification keys from a JWK set document: pass it as the key to verify. */
class JWKSet {
  [field: string]: any
  /**
   * @param {object|string} jwks `{ keys: [...] }`, as an object or JSON text
   * @param {{ algorithms?: string[] }} [options] algorithms for members without `alg`
   */
  constructor (jwks?: any, options: any = {}) {
    const json = typeof jwks === 'string' ? jwks : JSON.stringify(jwks)
    this._set = new NativeKeySet()
    try {
      this._set.addJwks(json, options.algorithms)
    } catch (e) {
      throw toJwtError(e)
    }
  }

  /** Number of usable signature keys (a key without `alg` counts once per algorithm). */
  get size () {
    return this._set.size
  }

  /** The public JWK set of the asymmetric keys. */
  toJSON () {
    return JSON.parse(this._set.toPublicJwks())
  }

  _keySet () {
    return this._set
  }

  /** A JWKSet over a native KeySet the core already built (a remote set's keys). */
  static _wrap (keySet?: any) {
    const set = Object.create(JWKSet.prototype)
    set._set = keySet
    return set
  }
}

/** A local JWK set (jose's createLocalJWKSet). */
function createLocalJWKSet (jwks?: any, options?: any) {
  return new JWKSet(jwks, options)
}

/**
 * A JWK set fetched from a URL (jose's createRemoteJWKSet). When to fetch is the core's
 * refresh policy (`native.JwksRefresh`, jwt-core's sans-IO `JwksRefresh`): the set is
 * fresh for `cacheMaxAge` ms; a token naming an unknown `kid` refetches it at most once
 * per `cooldownDuration` ms; after a failed fetch no other is made for a backoff that
 * doubles per failure; a failed refresh keeps the last good set. This class only does
 * the HTTP (`fetch`, the size cap, the timeout). Only HTTPS URLs unless `allowHttp`
 * (for tests and internal networks). `now` (ms, default `Date.now`) is the policy's clock.
 */
class RemoteJWKSet {
  [field: string]: any
  constructor (url?: any, options: any = {}) {
    this.url = new URL(url)
    if (this.url.protocol !== 'https:' && !(options.allowHttp && this.url.protocol === 'http:')) {
      throw invalid('a remote JWK set must be fetched over https (or pass allowHttp: true)')
    }
    this.timeoutDuration = options.timeoutDuration ?? 5_000
    this.headers = options.headers || {}
    this.algorithms = options.algorithms
    this._fetch = options.fetch || globalThis.fetch
    this._now = typeof options.now === 'function' ? options.now : Date.now
    this.maxBytes = native.maxJwksBytes()
    try {
      this._refresh = new native.JwksRefresh({
        maxAgeMs: options.cacheMaxAge,
        cooldownMs: options.cooldownDuration,
        fetchTimeoutMs: this.timeoutDuration,
        initialBackoffMs: options.backoffDuration,
        maxStaleMs: options.maxStale
      })
    } catch (e) {
      throw toJwtError(e)
    }
    this._set = null
    this._generation = -1
    this._pending = null
    this._lastError = null
  }

  /** True if a fetched set is cached and younger than `cacheMaxAge` (asks the core). */
  get fresh () {
    return this._refresh.isFresh(this._now())
  }

  /** The last good set if the policy still allows it, as a JWKSet (one per fetch). */
  _current (now?: any) {
    if (this._refresh.generation !== this._generation) {
      const keys = this._refresh.keys(now)
      this._set = keys === null ? null : JWKSet._wrap(keys)
      this._generation = this._refresh.generation
      return this._set
    }
    return this._set !== null && this._refresh.usable(now) ? this._set : null
  }

  /**
   * The set to verify with. `force`: the token named a `kid` the set lacks; refetch if the
   * policy allows (cooldown, backoff), else the current set.
   */
  async getKeySet (force = false) {
    const now = this._now()
    const decision = force ? this._refresh.onUnknownKid(now) : this._refresh.beforeVerify(now)
    if (decision === 'fetch') this._pending = this._load().finally(() => { this._pending = null })
    if (this._pending !== null && (decision === 'fetch' || this._current(now) === null)) return this._pending
    const set = this._current(now)
    if (set !== null) return set
    throw this._lastError || jwtError('the remote JWK set is unavailable', 'jwks_fetch_failed')
  }

  /** The set a synchronous verify may use (fresh; no fetch), or null. */
  _syncSet () {
    const now = this._now()
    return this._refresh.isFresh(now) ? this._current(now) : null
  }

  /** Fetch now unless the cooldown forbids it (still one request at a time). */
  async reload () {
    return this.getKeySet(true)
  }

  /** One fetch, reported to the policy; the last good set when it fails and one is kept. */
  async _load () {
    let text
    try {
      const res = await this._fetch(this.url, {
        headers: { accept: 'application/json, application/jwk-set+json', ...this.headers },
        redirect: 'error',
        signal: AbortSignal.timeout(this.timeoutDuration)
      })
      if (!res.ok) throw new Error(`HTTP ${res.status}`)
      text = await readCapped(res, this.maxBytes)
    } catch (e) {
      this._refresh.fetchFailed(this._now(), String(e && e.message))
      return this._failed(jwtError(`cannot fetch the JWK set: ${e.message}`, 'jwks_fetch_failed', e))
    }
    try {
      this._refresh.fetchedJson(this._now(), text, this.algorithms)
    } catch (e) {
      return this._failed(toJwtError(e))
    }
    this._lastError = null
    const set = this._current(this._now())
    if (set === null) throw jwtError('the remote JWK set is unavailable', 'jwks_fetch_failed')
    return set
  }

  _failed (err?: any) {
    this._lastError = err
    const kept = this._current(this._now())
    if (kept !== null) return kept
    throw err
  }
}

/**
 * The body of `res` as text, reading no more than `limit` bytes: a larger body (by its
 * Content-Length, or while streaming) is refused without being read whole.
 */
async function readCapped (res?: any, limit?: any) {
  const declared = Number(res.headers && res.headers.get && res.headers.get('content-length'))
  if (Number.isFinite(declared) && declared > limit) {
    if (res.body && res.body.cancel) await res.body.cancel().catch(() => {})
    throw new Error(`the JWK set is larger than ${limit} bytes`)
  }
  if (!res.body || !res.body.getReader) {
    const text = await res.text()
    if (Buffer.byteLength(text) > limit) throw new Error(`the JWK set is larger than ${limit} bytes`)
    return text
  }
  const reader = res.body.getReader()
  const chunks = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      await reader.cancel().catch(() => {})
      throw new Error(`the JWK set is larger than ${limit} bytes`)
    }
    chunks.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength))
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** A remote JWK set (jose's createRemoteJWKSet). Use it with the async verify forms. */
function createRemoteJWKSet (url?: any, options?: any) {
  return new RemoteJWKSet(url, options)
}

// ---------------------------------------------------------------------------------------
// Time spans ("2h", "7d", 60) as jsonwebtoken's `ms` understands them

const SPAN_RE = /^(-?(?:\d+)?\.?\d+) *(milliseconds?|msecs?|ms|seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w|years?|yrs?|y)?$/i
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_557_600_000 }

/** A time span in milliseconds: a number is `numberUnit` units, a string uses `ms` units. */
function spanMs (value?: any, name?: any, numberUnitMs?: any) {
  if (typeof value === 'number' && Number.isFinite(value)) return value * numberUnitMs
  if (typeof value === 'string') {
    const m = SPAN_RE.exec(value.trim())
    if (m) {
      const u = (m[2] || 'ms').toLowerCase()
      const unit = u.startsWith('ms') || u.startsWith('milli') || u.startsWith('msec')
        ? 'ms'
        : u.startsWith('mo') ? 'm' : u[0] === 'h' ? 'h' : u[0]
      return parseFloat(m[1]) * UNIT_MS[unit]
    }
  }
  throw invalid(`"${name}" should be a number of seconds or a string representing a timespan`)
}

// ---------------------------------------------------------------------------------------
// Signing (jsonwebtoken)

/** The first algorithm the core binds the key to (HS256 for a secret). */
function inferAlg (desc?: any) {
  const algs = keyAlgorithms(desc, false)
  if (algs.length > 0) return algs[0]
  throw invalid('cannot infer the algorithm from this key; pass `algorithm`')
}

function signerFor (key?: any, options?: any) {
  if (key instanceof JWKSet || key instanceof RemoteJWKSet) throw invalid('a JWK set cannot sign')
  const header = options.header
  const optsKey = (options.algorithm || '') + '\u0000' + (options.keyid || '') + '\u0000' +
    (header ? JSON.stringify(header) : '')
  return cached(perKeyCache(key), 's' + optsKey, () => {
    const desc = describeKey(key)
    const alg = options.algorithm || (header && header.alg) || inferAlg(desc)
    let headerJson
    if (header || options.keyid) {
      const h = { alg, typ: 'JWT', ...header }
      if (options.keyid !== undefined) h.kid = options.keyid
      h.alg = alg
      headerJson = JSON.stringify(h)
    }
    return nativeSigner(desc, alg, undefined, headerJson)
  })
}

// jsonwebtoken 9's sign(): the same option schema, messages and order of checks.

// jsonwebtoken's algorithm enum, extended with every algorithm the core can use.
const SUPPORTED_SIGN_ALGS = [...new Set(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'HS256', 'HS384', 'HS512', ...CORE_ALG_NAMES, 'none'])]
const isPlainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v) &&
  (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)
const isSpan = (v) => Number.isInteger(v) || (typeof v === 'string' && v !== '')
const isString = (v) => typeof v === 'string'
const isBoolean = (v) => typeof v === 'boolean'
const SIGN_OPTIONS_SCHEMA = {
  expiresIn: [isSpan, '"expiresIn" should be a number of seconds or string representing a timespan'],
  notBefore: [isSpan, '"notBefore" should be a number of seconds or string representing a timespan'],
  audience: [(v) => typeof v === 'string' || Array.isArray(v), '"audience" must be a string or array'],
  algorithm: [(v) => SUPPORTED_SIGN_ALGS.includes(v), '"algorithm" must be a valid string enum value'],
  header: [isPlainObject, '"header" must be an object'],
  encoding: [isString, '"encoding" must be a string'],
  issuer: [isString, '"issuer" must be a string'],
  subject: [isString, '"subject" must be a string'],
  jwtid: [isString, '"jwtid" must be a string'],
  noTimestamp: [isBoolean, '"noTimestamp" must be a boolean'],
  keyid: [isString, '"keyid" must be a string'],
  mutatePayload: [isBoolean, '"mutatePayload" must be a boolean'],
  allowInsecureKeySizes: [isBoolean, '"allowInsecureKeySizes" must be a boolean'],
  allowInvalidAsymmetricKeyTypes: [isBoolean, '"allowInvalidAsymmetricKeyTypes" must be a boolean']
}
const isNumber = (v) => typeof v === 'number'
const CLAIMS_SCHEMA = {
  iat: [isNumber, '"iat" should be a number of seconds'],
  exp: [isNumber, '"exp" should be a number of seconds'],
  nbf: [isNumber, '"nbf" should be a number of seconds']
}

function validateSchema (schema?: any, allowUnknown?: any, object?: any, name?: any) {
  if (!isPlainObject(object)) throw new Error(`Expected "${name}" to be a plain object.`)
  for (const k of Object.keys(object)) {
    const rule = schema[k]
    if (rule === undefined) {
      if (!allowUnknown) throw new Error(`"${k}" is not allowed in "${name}"`)
      continue
    }
    if (!rule[0](object[k])) throw new Error(rule[1])
  }
}

/** jsonwebtoken's timespan: seconds added to `iat`; undefined when not a span. */
function timespan (value?: any, iat?: any) {
  if (typeof value === 'string') {
    if (value.length > 100) return undefined
    const m = SPAN_RE.exec(value)
    if (!m) return undefined
    return Math.floor(iat + spanMs(value, 'span', 1000) / 1000)
  }
  if (typeof value === 'number') return iat + value
  return undefined
}

/**
 * What jsonwebtoken's `createPrivateKey` / `createPublicKey` / `createSecretKey` cascade
 * makes of the caller's key, or null (not key material): `{ type: 'secret' | 'public' |
 * 'private', asymmetricKeyType, namedCurve }` (a KeyObject's names) plus the material for
 * the native constructors (`secret`, `pem`, `der` or `jwk`). A PEM is parsed once, by
 * the core (`keyAlgorithms`); node:crypto only for what is already a KeyObject and for
 * encrypted keys (`{ key, passphrase }`). The core still refuses a public key used as an
 * HMAC secret, in every spelling.
 */
function toKeyObject (key?: any, forSigning?: any, cache = perKeyCache(key)) {
  if (cache === null) return classifyKey(key, forSigning)
  const slot = forSigning ? 'ko-private' : 'ko-public'
  let k = cache.get(slot)
  if (k === undefined) {
    k = classifyKey(key, forSigning)
    cache.set(slot, k)
  }
  return k
}

/** The core's description of key material (`native.keyInfo`), or null when it reads none. */
function coreKeyInfo (material?: any, forSigning?: any) {
  try {
    return native.keyInfo(material, forSigning === true)
  } catch {
    return null
  }
}

/** True when the core loads this JWK object as a signing key (`d`, or AKP's `priv`). */
function jwkIsPrivate (jwk?: any) {
  const info = coreKeyInfo(JSON.stringify(jwk), true)
  return info !== null && info.kind !== 'public'
}

function classifyKey (key?: any, forSigning?: any) {
  if (key instanceof crypto.KeyObject) {
    if (key.type === 'secret') return { type: 'secret', secret: key.export() }
    const der = key.type === 'private' ? key.export({ format: 'der', type: 'pkcs8' }) : key.export({ format: 'der', type: 'spki' })
    const details = key.asymmetricKeyDetails || {}
    return { type: key.type, asymmetricKeyType: key.asymmetricKeyType, namedCurve: details.namedCurve, der }
  }
  if (key && typeof key === 'object' && typeof key.kty === 'string') {
    if (key.kty === 'oct') {
      // the core reads the JWK text itself (its `k`, `alg`, `use`, `key_ops`)
      const jwk = JSON.stringify(key)
      return coreKeyInfo(jwk, false) === null ? null : { type: 'secret', jwk }
    }
    const type = forSigning && jwkIsPrivate(key) ? 'private' : 'public'
    const jwk = JSON.stringify(type === 'public' && (key.d !== undefined || key.priv !== undefined) ? { ...key, d: undefined, p: undefined, q: undefined, dp: undefined, dq: undefined, qi: undefined, priv: undefined } : key)
    const info = coreKeyInfo(jwk, false)
    if (info === null || info.keyType === undefined || info.keyType === null) return null
    return { type, asymmetricKeyType: info.keyType, namedCurve: info.namedCurve, jwk }
  }
  if (key && typeof key === 'object' && !Buffer.isBuffer(key) && !(key instanceof Uint8Array)) {
    // { key, passphrase } (an encrypted private key) and node:crypto's other key inputs
    try {
      return classifyKey(forSigning ? crypto.createPrivateKey(key as Buffer) : crypto.createPublicKey(key as Buffer), forSigning)
    } catch {
      return null
    }
  }
  if (typeof key !== 'string' && !Buffer.isBuffer(key) && !(key instanceof Uint8Array)) return null
  const bytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : Buffer.from(key)
  const text = bytes.toString('latin1')
  if (PEM_RE.test(text)) {
    // node:crypto's createPrivateKey takes only private PEMs; createPublicKey takes both
    const privateLabel = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(text)
    if (!forSigning || privateLabel) {
      try {
        const pem = bytes.toString('utf8')
        const info = native.keyInfo(pem, forSigning === true)
        if (info.keyType) return { type: forSigning ? 'private' : 'public', asymmetricKeyType: info.keyType, namedCurve: info.namedCurve, pem }
      } catch {
        // Not a key the core reads (a DSA key, an id-RSASSA-PSS key, ...): what node:crypto
        // makes of it words jsonwebtoken's error ('Unknown key type "dsa".'); the core
        // still refuses it when it is used. Not key material for either: a secret.
        try {
          const ko = forSigning ? crypto.createPrivateKey(key as Buffer) : crypto.createPublicKey(key as Buffer)
          return classifyKey(ko, forSigning)
        } catch {}
      }
    }
  }
  return { type: 'secret', secret: bytes }
}

/** The curve (node:crypto's name) an EC algorithm needs, as the core says. */
const EC_CURVE_OF_ALG = Object.fromEntries(CORE_ALGS.filter((a) => a.namedCurve).map((a) => [a.name, a.namedCurve]))
/**
 * jsonwebtoken's key-type table (its `allowedAlgorithmsForKeys`), with the core's
 * algorithms added: `ec` gains ES256K, `ed25519` and the ML-DSA types are the core's.
 */
const KEY_TYPE_ALGS = withCoreKeyTypes({
  ec: ['ES256', 'ES384', 'ES512'],
  rsa: ['RS256', 'PS256', 'RS384', 'PS384', 'RS512', 'PS512'],
  'rsa-pss': ['PS256', 'PS384', 'PS512']
})

/** jsonwebtoken's key-type checks (its `validateAsymmetricKey`), with its messages. */
function checkAsymmetricKey (alg?: any, keyObject?: any) {
  if (!alg || !keyObject || keyObject.type === 'secret') return
  const type = keyObject.asymmetricKeyType
  const allowed = KEY_TYPE_ALGS[type]
  if (!allowed) throw new Error(`Unknown key type "${type}".`)
  if (!allowed.includes(alg)) throw new Error(`"alg" parameter for "${type}" key type must be one of: ${allowed.join(', ')}.`)
  if (type === 'ec' && keyObject.namedCurve !== EC_CURVE_OF_ALG[alg]) {
    throw new Error(`"alg" parameter "${alg}" requires curve "${EC_CURVE_OF_ALG[alg]}".`)
  }
}

const b64url = (buf) => Buffer.from(buf).toString('base64url')

/** The native signer for (key, header), cached per key. */
function jwtSigner (key?: any, keyObject?: any, header?: any) {
  const headerJson = JSON.stringify(header)
  return cached(perKeyCache(key), 'j' + headerJson, () => {
    const alg = header.alg
    if (alg === 'none') return { sign: (p) => b64url(headerJson) + '.' + b64url(p) + '.' }
    let n
    if (keyObject.secret !== undefined) {
      // jsonwebtoken signs with secrets shorter than the hash: the core's HmacPolicy::Allow.
      n = NativeSigner.fromSecret(alg, keyObject.secret, { header: headerJson, allowShort: true })
    } else if (keyObject.pem !== undefined) {
      n = NativeSigner.fromPem(alg, keyObject.pem, { header: headerJson })
    } else if (keyObject.der !== undefined) {
      n = NativeSigner.fromDer(alg, keyObject.der, { header: headerJson })
    } else {
      // an `oct` JWK is a secret in another spelling: short ones sign as above (and
      // verify, jwtVerifier); its `alg`, `use` and `key_ops` still apply
      n = NativeSigner.fromJwk(keyObject.jwk, alg, { header: headerJson, allowShort: true })
    }
    return { sign: (p) => n.signBytes(Buffer.from(p)), claims: (j) => n.sign(j), signAsync: (j) => n.signAsync(j) }
  })
}

const OPTIONS_TO_CLAIMS = [['audience', 'aud'], ['issuer', 'iss'], ['subject', 'sub'], ['jwtid', 'jti']]
const OPTIONS_FOR_OBJECTS = ['expiresIn', 'notBefore', 'noTimestamp', 'audience', 'issuer', 'subject', 'jwtid']

/**
 * The token jsonwebtoken 9 would produce, as `{ signer, json }` (json: the payload text),
 * or a thrown Error with jsonwebtoken's message. The claims are built as one object and
 * serialised once, so a payload's `toJSON` cannot smuggle a second `exp` member.
 */
function prepareSign (payload?: any, key?: any, options?: any) {
  const isObjectPayload = typeof payload === 'object' && payload !== null && !Buffer.isBuffer(payload)
  const header = Object.assign({ alg: options.algorithm || 'HS256', typ: isObjectPayload ? 'JWT' : undefined, kid: options.keyid }, options.header)
  if (!key && options.algorithm !== 'none') throw new Error('secretOrPrivateKey must have a value')
  let keyObject = null
  if (key != null) {
    if (key instanceof JWKSet || key instanceof RemoteJWKSet) throw new Error('secretOrPrivateKey is not valid key material')
    keyObject = toKeyObject(key, true)
    if (keyObject === null) throw new Error('secretOrPrivateKey is not valid key material')
  }
  const alg = String(header.alg)
  const needs = algorithmKeyKind(alg)
  if (needs === 'secret' && keyObject && keyObject.type !== 'secret') {
    throw new Error(`secretOrPrivateKey must be a symmetric key when using ${alg}`)
  } else if (needs === 'asymmetric' && (!keyObject || keyObject.type !== 'private')) {
    throw new Error(`secretOrPrivateKey must be an asymmetric key when using ${alg}`)
  }
  if (payload === undefined) throw new Error('payload is required')
  if (isObjectPayload) {
    validateSchema(CLAIMS_SCHEMA, true, payload, 'payload')
    if (!options.mutatePayload) payload = Object.assign({}, payload)
  } else {
    const bad = OPTIONS_FOR_OBJECTS.filter((o) => options[o] !== undefined)
    if (bad.length > 0) throw new Error('invalid ' + bad.join(',') + ' option for ' + (typeof payload) + ' payload')
  }
  if (payload.exp !== undefined && options.expiresIn !== undefined) throw new Error('Bad "options.expiresIn" option the payload already has an "exp" property.')
  if (payload.nbf !== undefined && options.notBefore !== undefined) throw new Error('Bad "options.notBefore" option the payload already has an "nbf" property.')
  validateSchema(SIGN_OPTIONS_SCHEMA, false, options, 'options')
  if (!options.allowInvalidAsymmetricKeyTypes) checkAsymmetricKey(alg, keyObject)
  const timestamp = payload.iat || Math.floor(Date.now() / 1000)
  if (options.noTimestamp) delete payload.iat
  else if (isObjectPayload) payload.iat = timestamp
  if (options.notBefore !== undefined) {
    payload.nbf = timespan(options.notBefore, timestamp)
    if (payload.nbf === undefined) throw new Error('"notBefore" should be a number of seconds or string representing a timespan eg: "1d", "20h", 60')
  }
  if (options.expiresIn !== undefined && isObjectPayload) {
    payload.exp = timespan(options.expiresIn, timestamp)
    if (payload.exp === undefined) throw new Error('"expiresIn" should be a number of seconds or string representing a timespan eg: "1d", "20h", 60')
  }
  for (const [opt, claim] of OPTIONS_TO_CLAIMS) {
    if (options[opt] !== undefined) {
      if (payload[claim] !== undefined) throw new Error(`Bad "options.${opt}" option. The payload already has an "${claim}" property.`)
      payload[claim] = options[opt]
    }
  }
  let json
  if (isObjectPayload) {
    const value = typeof payload.toJSON === 'function' ? payload.toJSON() : payload
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('payload.toJSON() must return an object')
    // the options' claims win over whatever toJSON returned: one member each
    for (const c of ['iat', 'nbf', 'exp', 'aud', 'iss', 'sub', 'jti']) {
      if (payload[c] !== undefined && value !== payload) value[c] = payload[c]
    }
    json = Buffer.from(JSON.stringify(value), options.encoding || 'utf8')
  } else {
    json = Buffer.isBuffer(payload) ? payload : Buffer.from(String(payload), options.encoding || 'utf8')
  }
  let signer
  try {
    signer = jwtSigner(key, keyObject, header)
  } catch (e) {
    const err = toJwtError(e)
    if (err.code === 'weak_key' && /^(RS|PS)/.test(alg)) throw new Error(`secretOrPrivateKey has a minimum key size of 2048 bits for ${alg}`)
    throw err
  }
  return { signer, json, isObjectPayload }
}

/**
 * jsonwebtoken's `sign(payload, secretOrPrivateKey, [options, callback])`: the token, or
 * with a callback `callback(err, token)` on the next tick (errors never thrown then).
 */
function sign (payload?: any, key?: any, options?: any, callback?: any) {
  if (typeof options === 'function') {
    callback = options
    options = {}
  } else {
    options = options || {}
  }
  let token
  try {
    const { signer, json } = prepareSign(payload, key, options)
    token = signer.sign(json)
  } catch (e) {
    const err = e instanceof Error ? e : toJwtError(e)
    if (typeof callback === 'function') return void process.nextTick(callback, err)
    throw err
  }
  if (typeof callback === 'function') return void process.nextTick(callback, null, token)
  return token
}

/** `sign` returning a Promise; an asymmetric signature is computed on the libuv pool. */
async function signAsync (payload?: any, key?: any, options: any = {}) {
  const { signer, json, isObjectPayload } = prepareSign(payload, key, options || {})
  if (isObjectPayload && signer.signAsync) {
    try {
      return await signer.signAsync(json.toString('utf8'))
    } catch (e) {
      throw toJwtError(e)
    }
  }
  return signer.sign(json)
}

// ---------------------------------------------------------------------------------------
// Verification (jsonwebtoken)

function stringList (value?: any, name?: any) {
  const list = Array.isArray(value) ? value : [value]
  for (const v of list) {
    if (typeof v !== 'string') {
      throw invalid(`"${name}" must be a string or an array of strings (exact comparison; RegExp is not supported)`)
    }
  }
  return list
}

/** jsonwebtoken's verify options as jwt-core's validation rules (a `VerifierRules` object). */
function validationRules (options?: any) {
  if (!options) return {}
  const v: any = {}
  if (options.algorithms !== undefined) v.algorithms = stringList(options.algorithms, 'algorithms')
  if (options.issuer !== undefined) v.issuer = stringList(options.issuer, 'issuer')
  if (options.audience !== undefined) v.audience = stringList(options.audience, 'audience')
  if (options.subject !== undefined) v.subject = options.subject
  if (options.clockTolerance !== undefined) v.leeway = Math.floor(options.clockTolerance)
  if (options.maxAge !== undefined) v.maxAge = Math.floor(spanMs(options.maxAge, 'maxAge', 1000) / 1000)
  if (options.typ !== undefined) v.typ = options.typ
  if (options.critical !== undefined) v.critical = options.critical
  if (options.requiredClaims !== undefined) v.requiredClaims = options.requiredClaims
  if (options.ignoreExpiration) {
    v.validateExp = false
    if (v.requiredClaims === undefined) v.requiredClaims = []
  }
  if (options.ignoreNotBefore) v.validateNbf = false
  if (options.ignoreAudience) v.skipAudience = true
  const eq: any = {}
  if (options.jwtid !== undefined) eq.jti = options.jwtid
  if (options.nonce !== undefined) eq.nonce = options.nonce
  if (options.claims !== undefined) Object.assign(eq, options.claims)
  if (Object.keys(eq).length > 0) v.claimsEqual = eq
  return v
}

function keySetFor (key?: any, algorithms?: any, options?: any) {
  if (key instanceof JWKSet) return key._keySet()
  if (key instanceof NativeKeySet) return key
  const set = new NativeKeySet()
  set.addMaterial(describeKey(key).material, algorithms, options.kid, options.allowShortSecret === true)
  return set
}

/** The native verifier for (key, options), cached. */
function verifierFor (key?: any, options?: any) {
  if (key instanceof RemoteJWKSet) {
    const set = key._syncSet()
    if (set === null) throw invalid('the remote JWK set is not loaded (or older than cacheMaxAge): use verifyAsync or the callback form, which fetch it')
    key = set
  }
  const rules = validationRules(options)
  const short = options && options.allowShortSecret === true
  return cached(perKeyCache(key), (short ? 'v!' : 'v') + JSON.stringify(rules), () => {
    try {
      const algorithms = options && options.algorithms !== undefined ? stringList(options.algorithms, 'algorithms') : undefined
      // one caller-supplied key verifies whatever kid the token names (jsonwebtoken's
      // behaviour); key sets select by kid
      const single = !(key instanceof JWKSet || key instanceof NativeKeySet)
      return new NativeVerifier(keySetFor(key, algorithms, options || {}), rules, single)
    } catch (e) {
      throw toJwtError(e)
    }
  })
}

function clockSeconds (options?: any) {
  if (!options || options.clockTimestamp === undefined) return undefined
  if (typeof options.clockTimestamp !== 'number') throw invalid('clockTimestamp must be a number')
  return options.clockTimestamp
}

function checkToken (token?: any) {
  if (!token) throw jwtError('jwt must be provided', 'malformed_token')
  if (typeof token !== 'string') throw jwtError('jwt must be a string', 'malformed_token')
}

function finish (out?: any, token?: any, complete?: any) {
  if (!complete) return JSON.parse(out)
  const [header, payload] = JSON.parse(out)
  return { header, payload, signature: token.slice(token.lastIndexOf('.') + 1) }
}

// jsonwebtoken 9's verify(): its argument checks and messages in front; the signature
// and the claims are checked by the core with rules set to jsonwebtoken's defaults.

// jsonwebtoken's default `algorithms` per key type (its own lists: EC without ES256K).
const HS_ALGS = ['HS256', 'HS384', 'HS512']
const RSA_KEY_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512']
const EC_KEY_ALGS = ['ES256', 'ES384', 'ES512']

/** The header and payload of a compact token without any check, or null (as jws.decode). */
// Parsed headers by their base64url text: tokens of one issuer share a handful.
const headers = new Map()
function headerOf (segment?: any) {
  let h = headers.get(segment)
  if (h === undefined) {
    h = Object.freeze(JSON.parse(Buffer.from(segment, 'base64').toString('utf8')))
    if (headers.size >= 256) headers.clear()
    headers.set(segment, h)
  }
  return h
}

const JWS_RE = /^[\w-]+\.[\w-]+\.[\w-]*$/
function looseDecode (token?: any) {
  if (!JWS_RE.test(token)) return null
  const d1 = token.indexOf('.')
  const d2 = token.indexOf('.', d1 + 1)
  try {
    const header = headerOf(token.slice(0, d1))
    if (header === null || typeof header !== 'object') return null
    let payload
    return {
      header,
      signature: token.slice(d2 + 1),
      /** The payload, parsed on first use (the core parses it again, strictly). */
      get payload () {
        if (payload === undefined) {
          payload = Buffer.from(token.slice(d1 + 1, d2), 'base64').toString('utf8')
          try {
            const obj = JSON.parse(payload)
            if (obj !== null && typeof obj === 'object') payload = obj
          } catch {}
        }
        return payload
      }
    }
  } catch {
    return null
  }
}

/**
 * The core's rules for jsonwebtoken's verify options: `[cacheKey, rules]` (a
 * `VerifierRules` object, and its JSON text after `jv`: the key of the native verifier
 * in the key's cache, built once per options shape so that a lookup hashes no new string).
 */
const RULE_OPTIONS = ['audience', 'issuer', 'subject', 'clockTolerance', 'ignoreExpiration', 'ignoreNotBefore', 'jwtid', 'nonce', 'critical', 'requiredClaims']
const defaultRules = new Map()
function jwtRules (options?: any, alg?: any) {
  let plain = true
  for (const k of RULE_OPTIONS) {
    if (options[k] !== undefined) {
      plain = false
      break
    }
  }
  if (plain) {
    let r = defaultRules.get(alg)
    if (r === undefined) {
      const rules = buildRules(options, alg)
      r = ['jv' + JSON.stringify(rules), rules]
      defaultRules.set(alg, r)
    }
    return r
  }
  const rules = buildRules(options, alg)
  return ['jv' + JSON.stringify(rules), rules]
}

function buildRules (options?: any, alg?: any) {
  const v: any = { algorithms: [alg], requiredClaims: [], validateIat: false }
  const aud = options.audience
  const audList = aud ? (Array.isArray(aud) ? aud : [aud]) : []
  if (aud && audList.every((a) => typeof a === 'string')) v.audience = audList
  else v.skipAudience = true
  if (options.issuer) v.issuer = Array.isArray(options.issuer) ? options.issuer : [String(options.issuer)]
  if (options.subject) v.subject = String(options.subject)
  if (options.clockTolerance) v.leeway = Math.max(0, Math.floor(options.clockTolerance))
  if (options.ignoreExpiration) v.validateExp = false
  if (options.ignoreNotBefore) v.validateNbf = false
  const eq: any = {}
  if (options.jwtid) eq.jti = options.jwtid
  if (options.nonce) eq.nonce = options.nonce
  if (Object.keys(eq).length > 0) v.claimsEqual = eq
  if (options.critical !== undefined) v.critical = options.critical
  if (options.requiredClaims !== undefined) v.requiredClaims = options.requiredClaims
  return v
}

/** A core error as jsonwebtoken's error for the same failure. */
function jwtVerifyError (e?: any, payload?: any, options?: any, clockTimestamp?: any) {
  const err = toJwtError(e)
  const p = payload !== null && typeof payload === 'object' ? payload : {}
  const claimName = /\b(exp|nbf|iat|iss|aud|sub|jti|nonce)\b/.exec(err.message)
  const withCode = (x) => { x.code = err.code; return x }
  switch (err.code) {
    case 'invalid_signature': return withCode(new JsonWebTokenError('invalid signature'))
    case 'token_expired': return new TokenExpiredError('jwt expired', new Date(p.exp * 1000))
    case 'token_not_yet_valid': return new NotBeforeError('jwt not active', new Date(p.nbf * 1000))
    case 'algorithm_not_allowed': return withCode(new JsonWebTokenError('invalid algorithm'))
    case 'invalid_audience': return withCode(audienceError(options))
    case 'invalid_issuer': return withCode(new JsonWebTokenError('jwt issuer invalid. expected: ' + options.issuer))
    case 'invalid_subject': return withCode(new JsonWebTokenError('jwt subject invalid. expected: ' + options.subject))
    case 'malformed_token': return withCode(new JsonWebTokenError('jwt malformed'))
    case 'invalid_claim':
    case 'missing_claim':
    case 'claims_shape': {
      const c = claimName && claimName[1]
      if (c === 'iat' && options.maxAge) return withCode(new JsonWebTokenError('iat required when maxAge is specified'))
      if (c === 'exp' || c === 'nbf') return withCode(new JsonWebTokenError(`invalid ${c} value`))
      if (c === 'aud') return withCode(audienceError(options))
      if (c === 'iss') return withCode(new JsonWebTokenError('jwt issuer invalid. expected: ' + options.issuer))
      if (c === 'sub') return withCode(new JsonWebTokenError('jwt subject invalid. expected: ' + options.subject))
      if (c === 'jti') return withCode(new JsonWebTokenError('jwt jwtid invalid. expected: ' + options.jwtid))
      if (c === 'nonce') return withCode(new JsonWebTokenError('jwt nonce invalid. expected: ' + options.nonce))
      return err
    }
    default: return err
  }
}

function audienceError (options?: any) {
  const list = Array.isArray(options.audience) ? options.audience : [options.audience]
  return new JsonWebTokenError('jwt audience invalid. expected: ' + list.join(' or '))
}

/** The checks the core does not make for the jsonwebtoken door: RegExp audiences, maxAge. */
function jsOnlyClaims (payload?: any, options?: any, clockTimestamp?: any) {
  const aud = options.audience
  const audList = aud ? (Array.isArray(aud) ? aud : [aud]) : []
  if (aud && !audList.every((a) => typeof a === 'string')) {
    // JS-only by design (docs/node.md, "What stays in JavaScript"): a RegExp audience is
    // a JS value with JS regex semantics, which no other binding has. The core still
    // checks that `aud` is a string or an array of strings; only the match is here.
    const target = Array.isArray(payload.aud) ? payload.aud : [payload.aud]
    const ok = target.some((t) => audList.some((a) => a instanceof RegExp ? a.test(t) : a === t))
    if (!ok) throw audienceError(options)
  }
  if (options.maxAge) {
    if (typeof payload.iat !== 'number') throw new JsonWebTokenError('iat required when maxAge is specified')
    const until = timespan(options.maxAge, payload.iat)
    if (until === undefined) throw new JsonWebTokenError('"maxAge" should be a number of seconds or string representing a timespan eg: "1d", "20h", 60')
    if (clockTimestamp >= until + (options.clockTolerance || 0)) throw new TokenExpiredError('maxAge exceeded', new Date(until * 1000))
  }
}

/** The native verifier for (key, alg, rules), cached in the key's `cache`. */
function jwtVerifier (cache?: any, keyObject?: any, alg?: any, [rulesKey, rules]: [string, any] = undefined) {
  // `rulesKey` names `alg` too (the rules' algorithms)
  return cached(cache, rulesKey, () => {
    const set = new NativeKeySet()
    set.addMaterial(keyObject.secret ?? keyObject.pem ?? keyObject.der ?? keyObject.jwk, [alg], undefined, true)
    return new NativeVerifier(set, rules, true)
  })
}

/** The rest of jsonwebtoken's verify once the key is known; `done(err, result)`. */
function verifyWithKey (token?: any, decoded?: any, key?: any, options?: any, clockTimestamp?: any, done?: any) {
  const header = decoded.header
  const hasSignature = decoded.signature.trim() !== ''
  if (!hasSignature && key) return done(new JsonWebTokenError('jwt signature is required'))
  if (hasSignature && !key) return done(new JsonWebTokenError('secret or public key must be provided'))
  if (!hasSignature && !options.algorithms) return done(new JsonWebTokenError('please specify "none" in "algorithms" to verify unsigned tokens'))
  if (!hasSignature) {
    // `none` is never verified (CVE-2015-9235 class): the difference from jsonwebtoken.
    return done(jwtError('unsigned tokens (alg "none") are never accepted', 'unsupported_algorithm'))
  }
  const keySet = key instanceof JWKSet ? key : key instanceof NativeKeySet ? key : null
  // looked up once per call: for a Buffer key it is a base64 of its content
  const cache = perKeyCache(key)
  let keyObject = null
  if (keySet === null) {
    keyObject = toKeyObject(key, false, cache)
    if (keyObject === null) return done(new JsonWebTokenError('secretOrPublicKey is not valid key material'))
  }
  let algorithms = options.algorithms
  if (!algorithms) {
    if (keySet !== null) algorithms = (key instanceof JWKSet ? key._keySet() : key).algorithms()
    else if (keyObject.type === 'secret') algorithms = HS_ALGS
    else if (['rsa', 'rsa-pss'].includes(keyObject.asymmetricKeyType)) algorithms = RSA_KEY_ALGS
    else if (keyObject.asymmetricKeyType === 'ec') algorithms = EC_KEY_ALGS
    // a key type jsonwebtoken does not know (Ed25519: EdDSA and RFC 9864's Ed25519, as
    // the fast-jwt door allows; ML-DSA): the core's algorithms for it
    else algorithms = KEY_TYPE_ALGS[keyObject.asymmetricKeyType] || RSA_KEY_ALGS
  }
  if (!Array.isArray(algorithms) || algorithms.indexOf(header.alg) === -1) return done(new JsonWebTokenError('invalid algorithm'))
  const alg = String(header.alg)
  if (keyObject !== null) {
    const needs = algorithmKeyKind(alg)
    if (needs === 'secret' && keyObject.type !== 'secret') {
      return done(new JsonWebTokenError(`secretOrPublicKey must be a symmetric key when using ${alg}`))
    } else if (needs === 'asymmetric' && keyObject.type !== 'public') {
      return done(new JsonWebTokenError(`secretOrPublicKey must be an asymmetric key when using ${alg}`))
    }
    if (!options.allowInvalidAsymmetricKeyTypes) {
      try {
        checkAsymmetricKey(alg, keyObject)
      } catch (e) {
        return done(e)
      }
    }
  }
  let out
  let objectPayload = true
  try {
    const rules = jwtRules(options, alg)
    const v = keySet !== null
      ? cached(cache, 'js' + rules[0], () => new NativeVerifier(key instanceof JWKSet ? key._keySet() : key, rules[1], false))
      : jwtVerifier(cache, keyObject, alg, rules)
    try {
      out = JSON.parse(v.verify(token, clockTimestamp))
    } catch (e) {
      // jsonwebtoken also verifies a JWS whose payload is not a JSON object (a string)
      const p = decoded.payload
      if (p !== null && typeof p === 'object') throw e
      objectPayload = false
      v.verifyJws(token)
      out = p
    }
  } catch (e) {
    return done(jwtVerifyError(e, decoded.payload, options, clockTimestamp))
  }
  if (objectPayload) {
    try {
      jsOnlyClaims(out, options, clockTimestamp)
    } catch (e) {
      return done(e)
    }
  }
  if (options.complete === true) return done(null, { header: { ...header }, payload: out, signature: decoded.signature })
  return done(null, out)
}

/**
 * jsonwebtoken's `verify(token, secretOrPublicKey, [options, callback])`.
 * `secretOrPublicKey` may be a function `getKey(header, callback)` (callback form only).
 * With a callback, every error goes to the callback (nothing is thrown).
 */
function verify (token?: any, key?: any, options?: any, callback?: any) {
  if (typeof options === 'function' && !callback) {
    callback = options
    options = {}
  }
  options = Object.assign({}, options || {})
  const done = callback || ((err, data) => {
    if (err) throw err
    return data
  })
  if (options.clockTimestamp && typeof options.clockTimestamp !== 'number') return done(new JsonWebTokenError('clockTimestamp must be a number'))
  if (options.nonce !== undefined && (typeof options.nonce !== 'string' || options.nonce.trim() === '')) return done(new JsonWebTokenError('nonce must be a non-empty string'))
  if (options.allowInvalidAsymmetricKeyTypes !== undefined && typeof options.allowInvalidAsymmetricKeyTypes !== 'boolean') return done(new JsonWebTokenError('allowInvalidAsymmetricKeyTypes must be a boolean'))
  const clockTimestamp = options.clockTimestamp || Math.floor(Date.now() / 1000)
  if (!token) return done(jwtError('jwt must be provided', 'malformed_token'))
  if (typeof token !== 'string') return done(jwtError('jwt must be a string', 'malformed_token'))
  const d1 = token.indexOf('.')
  const d2 = d1 < 0 ? -1 : token.indexOf('.', d1 + 1)
  if (d2 < 0 || token.indexOf('.', d2 + 1) >= 0) return done(jwtError('jwt malformed', 'malformed_token'))
  const decoded = looseDecode(token)
  if (!decoded) return done(jwtError('invalid token', 'malformed_token'))
  if (key instanceof RemoteJWKSet) {
    const set = key._syncSet()
    if (set === null) {
      if (!callback) return done(invalid('the remote JWK set is not loaded (or older than cacheMaxAge): use verifyAsync or the callback form, which fetch it'))
      key.getKeySet().then((set) => verifyWithKey(token, decoded, set, options, clockTimestamp, done), (e) => done(e))
      return undefined
    }
    key = set
  }
  if (typeof key === 'function') {
    if (!callback) return done(new JsonWebTokenError('verify must be called asynchronous if secret or public key is provided as a callback'))
    return key({ ...decoded.header }, (err, k) => {
      if (err) return done(new JsonWebTokenError('error in secret or public key callback: ' + err.message))
      return verifyWithKey(token, decoded, k, options, clockTimestamp, done)
    })
  }
  return verifyWithKey(token, decoded, key, options, clockTimestamp, done)
}

/**
 * Run a verification on `key`; for a remote JWK set, on its cached set, refetched once when
 * the token's kid or algorithm is not in it (the issuer may have rotated its keys; the
 * set's cooldown applies). Shared by the promise forms of both verify functions.
 */
async function withRemoteRefetch (key?: any, run?: any) {
  if (!(key instanceof RemoteJWKSet)) return run(key)
  const set = await key.getKeySet()
  try {
    return await run(set)
  } catch (e) {
    // An unknown kid may mean the issuer rotated its keys: refetch once (cooldown applies).
    if (e.code !== 'key_not_found' && e.code !== 'algorithm_not_allowed') throw e
    const fresh = await key.getKeySet(true)
    if (fresh === set) throw e
    return run(fresh)
  }
}

/** `verify` returning a Promise (a remote JWK set is fetched, and refetched once for an unknown kid). */
async function verifyAsync (token?: any, key?: any, options?: any) {
  const run = (k) => new Promise((resolve, reject) => {
    verify(token, k, options, (err, data) => err ? reject(err) : resolve(data))
  })
  return withRemoteRefetch(key, run)
}

// ---------------------------------------------------------------------------------------
// The strict door: jsonwebtoken's option names with jwt-core's own defaults (exp required,
// an unexpected aud rejected, iat not in the future, secrets at least as long as the hash,
// the algorithm inferred from the key). `strict.sign` / `strict.verify` /
// `strict.verifyAsync` / `strict.signAsync`.

const SIGN_CLAIM_OPTIONS = [
  ['audience', 'aud'], ['issuer', 'iss'], ['subject', 'sub'], ['jwtid', 'jti']
]

/**
 * A payload with a `toJSON` method, serialised once and parsed back: the claims the
 * options add are then set on what will really be signed, so a `toJSON` that adds `exp`
 * cannot yield a token with two `exp` members (or one the options did not choose).
 */
function serialisedOnce (payload?: any) {
  if (typeof payload.toJSON !== 'function') return payload
  const value = JSON.parse(JSON.stringify(payload))
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalid('payload.toJSON() must return an object')
  return value
}

/** The claims JSON jsonwebtoken would sign for `payload` with `options`. */
function claimsJson (payload?: any, options?: any) {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw invalid('payload must be a plain object (or a string/Buffer for a non-JWT JWS)')
  }
  payload = serialisedOnce(payload)
  for (const c of ['iat', 'exp', 'nbf']) {
    if (payload[c] !== undefined && (typeof payload[c] !== 'number' || !Number.isFinite(payload[c]))) {
      throw invalid(`"${c}" should be a number of seconds`)
    }
  }
  const now = Math.floor(Date.now() / 1000)
  const timestamp = payload.iat !== undefined ? payload.iat : now
  let extra = ''
  if (payload.iat === undefined && !options.noTimestamp) extra += ',"iat":' + now
  if (options.expiresIn !== undefined) {
    if (payload.exp !== undefined) throw invalid('Bad "options.expiresIn" option the payload already has an "exp" property.')
    extra += ',"exp":' + Math.floor(timestamp + spanMs(options.expiresIn, 'expiresIn', 1000) / 1000)
  }
  if (options.notBefore !== undefined) {
    if (payload.nbf !== undefined) throw invalid('Bad "options.notBefore" option the payload already has an "nbf" property.')
    extra += ',"nbf":' + Math.floor(timestamp + spanMs(options.notBefore, 'notBefore', 1000) / 1000)
  }
  for (const [opt, claim] of SIGN_CLAIM_OPTIONS) {
    if (options[opt] !== undefined) {
      if (payload[claim] !== undefined) throw invalid(`Bad "options.${opt}" option. The payload already has an "${claim}" property.`)
      extra += ',"' + claim + '":' + JSON.stringify(options[opt])
    }
  }
  const body = JSON.stringify(payload)
  if (extra === '') return body
  return body === '{}' ? '{' + extra.slice(1) + '}' : body.slice(0, -1) + extra + '}'
}

/**
 * jsonwebtoken's `sign(payload, secretOrPrivateKey, [options, callback])`. With a
 * callback the signature is computed on the libuv pool.
 */
function strictSign (payload?: any, key?: any, options?: any, callback?: any) {
  if (typeof options === 'function') {
    callback = options
    options = {}
  }
  options = options || {}
  if (typeof callback === 'function') {
    strictSignAsync(payload, key, options).then((t) => callback(null, t), (e) => callback(e))
    return undefined
  }
  const signer = signerFor(key, options)
  try {
    if (typeof payload === 'string' || Buffer.isBuffer(payload)) return signer.signBytes(Buffer.from(payload))
    return signer.sign(claimsJson(payload, options))
  } catch (e) {
    throw toJwtError(e)
  }
}

/** `sign` returning a Promise; the signature is computed on the libuv thread pool. */
async function strictSignAsync (payload?: any, key?: any, options: any = {}) {
  const signer = signerFor(key, options)
  if (typeof payload === 'string' || Buffer.isBuffer(payload)) return signer.signBytes(Buffer.from(payload))
  try {
    return await signer.signAsync(claimsJson(payload, options))
  } catch (e) {
    throw toJwtError(e)
  }
}

/**
 * jsonwebtoken's `verify(token, secretOrPublicKey, [options, callback])`. With a
 * callback the signature is checked on the libuv pool.
 */
function strictVerify (token?: any, key?: any, options?: any, callback?: any) {
  if (typeof options === 'function') {
    callback = options
    options = undefined
  }
  if (typeof callback === 'function') {
    strictVerifyAsync(token, key, options).then((p) => callback(null, p), (e) => callback(e))
    return undefined
  }
  checkToken(token)
  const v = verifierFor(key, options)
  const complete = options !== undefined && options.complete === true
  try {
    const now = clockSeconds(options)
    return finish(complete ? v.verifyComplete(token, now) : v.verify(token, now), token, complete)
  } catch (e) {
    throw toJwtError(e, token)
  }
}

/** `verify` returning a Promise, the signature checked on the libuv pool. */
async function strictVerifyAsync (token?: any, key?: any, options?: any) {
  checkToken(token)
  const complete = options !== undefined && options !== null && options.complete === true
  const now = clockSeconds(options)
  const run = async (k) => {
    const v = verifierFor(k, options)
    try {
      return finish(await v.verifyAsync(token, now, complete), token, complete)
    } catch (e) {
      throw toJwtError(e, token)
    }
  }
  return withRemoteRefetch(key, run)
}

/** jsonwebtoken's `decode(token, {complete, json})`: NOT verified; null if malformed. */
function decode (token?: any, options: any = {}) {
  if (typeof token !== 'string') return null
  let parts
  try {
    parts = JSON.parse(native.decodeUnverified(token))
  } catch {
    // a JWS whose payload is not a JSON object (jsonwebtoken signs strings and Buffers):
    // the payload text, still only for a well-formed compact JWS
    const loose = looseDecode(token)
    if (loose === null || typeof loose.payload !== 'string') return null
    parts = [loose.header, loose.payload]
  }
  if (options.complete) {
    return { header: parts[0], payload: parts[1], signature: token.slice(token.lastIndexOf('.') + 1) }
  }
  return parts[1]
}

// ---------------------------------------------------------------------------------------
// fast-jwt 6: createSigner / createVerifier / createDecoder, TokenError and its codes.
//
// The option names, defaults, validation messages, key functions (callback or promise),
// the verified-token cache and the FAST_JWT_* codes are fast-jwt 6's. The signature,
// the algorithm allow-list, the header and the registered claims' types are checked by
// the core; the time windows and the `allowed*` matchers (strings or RegExps) are
// compared here, in fast-jwt's milliseconds, after the core has verified the token (the
// core also checks `exp`/`nbf`, with a leeway that makes it never stricter than fast-jwt).
// The differences (docs/node.md, "Differences from fast-jwt") are where fast-jwt's
// behaviour is a known vulnerability class.

const { isRegExp } = nodeUtil.types

/** fast-jwt's `TOKEN_ERROR_CODES`. */
const TOKEN_ERROR_CODES = {
  invalidType: 'FAST_JWT_INVALID_TYPE',
  invalidOption: 'FAST_JWT_INVALID_OPTION',
  invalidAlgorithm: 'FAST_JWT_INVALID_ALGORITHM',
  invalidClaimType: 'FAST_JWT_INVALID_CLAIM_TYPE',
  invalidClaimValue: 'FAST_JWT_INVALID_CLAIM_VALUE',
  invalidKey: 'FAST_JWT_INVALID_KEY',
  invalidSignature: 'FAST_JWT_INVALID_SIGNATURE',
  invalidPayload: 'FAST_JWT_INVALID_PAYLOAD',
  malformed: 'FAST_JWT_MALFORMED',
  inactive: 'FAST_JWT_INACTIVE',
  expired: 'FAST_JWT_EXPIRED',
  missingKey: 'FAST_JWT_MISSING_KEY',
  keyFetchingError: 'FAST_JWT_KEY_FETCHING_ERROR',
  signError: 'FAST_JWT_SIGN_ERROR',
  verifyError: 'FAST_JWT_VERIFY_ERROR',
  missingRequiredClaim: 'FAST_JWT_MISSING_REQUIRED_CLAIM',
  missingSignature: 'FAST_JWT_MISSING_SIGNATURE',
  invalidCritHeader: 'FAST_JWT_INVALID_CRIT_HEADER'
}
const FJ = TOKEN_ERROR_CODES

/**
 * fast-jwt's error: `code` is one of `TokenError.codes`; `additional` members are copied
 * on (`originalError`, `header`, `payload`). When the core made the decision, the
 * non-enumerable `coreCode` is its stable code (`invalid_signature`, ...).
 */
class TokenError extends Error {
  [field: string]: any
  declare static codes: typeof TOKEN_ERROR_CODES
  declare static wrap: (originalError: Error, code: string, message: string) => TokenError
  constructor (code?: any, message?: any, additional?: any) {
    super(message)
    if (Error.captureStackTrace) Error.captureStackTrace(this, this.constructor)
    this.code = code
    if (additional) {
      for (const k in additional) this[k] = additional[k]
    }
  }
}
TokenError.codes = TOKEN_ERROR_CODES
TokenError.wrap = function wrap (originalError, code, message) {
  if (originalError instanceof TokenError) return originalError
  return new TokenError(code, message, { originalError })
}

function tokenError (code?: any, message?: any, additional?: any, coreCode?: any) {
  const e = new TokenError(code, message, additional)
  if (coreCode) Object.defineProperty(e, 'coreCode', { value: coreCode, writable: true, configurable: true })
  return e
}

// Time spans as fast-jwt reads them (its `@lukeed/ms`): a number is milliseconds; a
// string is a number, optional spaces and unit words in this order (the first of
// seconds..years present gives the unit; none, or milliseconds only, means ms).
const FJ_UNITS: Array<[string[], number]> = [
  [['milliseconds', 'millisecond', 'msecs', 'msec', 'ms'], 1],
  [['seconds', 'second', 'secs', 'sec', 's'], 1000],
  [['minutes', 'minute', 'mins', 'min', 'm'], 60_000],
  [['hours', 'hour', 'hrs', 'hr', 'h'], 3_600_000],
  [['days', 'day', 'd'], 86_400_000],
  [['weeks', 'week', 'wks', 'wk', 'w'], 604_800_000],
  [['years', 'year', 'yrs', 'yr', 'y'], 31_557_600_000]
]
const FJ_SPAN_RE = /^(-?\d*\.?\d+) *([a-z]*)$/

/** A fast-jwt time-span string in milliseconds, or undefined when not one. */
function fjSpan (text?: any) {
  const m = FJ_SPAN_RE.exec(text.toLowerCase())
  if (m === null) return undefined
  const n = parseFloat(m[1])
  if (!n) return undefined
  let rest = m[2]
  let unit = 1
  let found = false
  for (const [spellings, ms] of FJ_UNITS) {
    if (rest === '') break
    const s = spellings.find((w) => rest.startsWith(w))
    if (s === undefined) continue
    rest = rest.slice(s.length)
    if (!found && ms !== 1) {
      unit = ms
      found = true
    }
  }
  return rest === '' ? n * unit : undefined
}

function fjWarn (message?: any, code?: any) {
  process.emitWarning(message, { code })
}

function fjNonNegative (value?: any, name?: any) {
  if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value < 0)) {
    throw tokenError(FJ.invalidOption, `The ${name} option must be a finite, non-negative number.`)
  }
}

// Keys. fast-jwt takes a PEM or a secret as a string or Buffer (signing also takes
// `{ key, passphrase }`); a KeyObject, a JWK object, a JWKSet, a remote JWK set or a
// KeySet are accepted too. PEM labels are read as fast-jwt reads them; the key inside
// is parsed by the core.

const FJ_PEM_BEGIN = /-----BEGIN [A-Z0-9 ]+?-----/
const FJ_PRIVATE_PEM = /^-----BEGIN(?: (RSA|EC|ENCRYPTED))? PRIVATE KEY-----/
const FJ_PUBLIC_PEM = /^-----BEGIN(?: RSA)? PUBLIC KEY-----/
const FJ_CERT_PEM = '-----BEGIN CERTIFICATE-----'
const FJ_SIGN_ALGS = ['HS256', 'HS384', 'HS512', 'ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'EdDSA', 'none']
// fast-jwt's list (its message names these), plus every algorithm the core can use.
const FJ_SIGN_ALGS_EXTRA = new Set([...FJ_SIGN_ALGS, ...CORE_ALG_NAMES])

function isJwkObject (key?: any) {
  return key !== null && typeof key === 'object' && !Buffer.isBuffer(key) && typeof key.kty === 'string'
}

/** True when a would-be HMAC secret is the JSON of an asymmetric JWK or JWK set. */
function isAsymmetricJwkText (text?: any) {
  if (text[0] !== '{' && text[0] !== '[') return false
  let v
  try {
    v = JSON.parse(text)
  } catch {
    return false
  }
  const asym = (k) => k !== null && typeof k === 'object' && ['RSA', 'EC', 'OKP'].includes(k.kty)
  return asym(v) || (Array.isArray(v) && v.some(asym)) || (v !== null && Array.isArray(v.keys) && v.keys.some(asym))
}

/** The algorithms a JWK fits, as the core says ([] when it reads no key in it). */
function jwkAlgs (jwk?: any) {
  try {
    return native.keyAlgorithms(JSON.stringify(jwk), false)
  } catch {
    return []
  }
}

/**
 * The algorithms the core binds this material (a PEM, a secret) to, or a fast-jwt
 * `invalidKey` error with `message` (the core's own for a weak key).
 */
function fjKeyAlgorithms (material?: any, isPrivate?: any, message?: any) {
  try {
    return native.keyAlgorithms(material, isPrivate)
  } catch (e) {
    const f = coreFailure(e)
    throw tokenError(FJ.invalidKey, f.code === 'weak_key' || message === undefined ? f.message : message, undefined, f.code)
  }
}

/**
 * A signing key as fast-jwt classifies it: `{ alg, material }` where `alg` is the
 * algorithm it implies (fast-jwt's default) and `material` is `{ secret }`, `{ pem }` or
 * `{ jwk }` for the native signer.
 */
function fjSigningKey (key?: any, algorithm?: any) {
  if (key instanceof crypto.KeyObject) {
    if (key.type === 'secret') return { alg: isHmacAlg(algorithm) ? algorithm : 'HS256', material: { secret: key.export() } }
    if (key.type === 'public') throw tokenError(FJ.invalidKey, 'Public keys are not supported for signing.')
    const pem = key.export({ format: 'pem', type: 'pkcs8' })
    const algs = fjKeyAlgorithms(pem, true, 'Unsupported PEM private key.')
    return { alg: algs[0], algs, material: { pem } }
  }
  if (isJwkObject(key)) {
    if (key.kty !== 'oct' && !jwkIsPrivate(key)) throw tokenError(FJ.invalidKey, 'Public keys are not supported for signing.')
    const algs = jwkAlgs(key)
    if (algs.length === 0) throw tokenError(FJ.invalidKey, 'Unsupported JWK private key.')
    return { alg: isHmacAlg(algorithm) && algs.includes(algorithm) ? algorithm : algs[0], algs, material: { jwk: JSON.stringify(key) } }
  }
  if (key !== null && typeof key === 'object' && !Buffer.isBuffer(key) && key.key && key.passphrase) {
    // An encrypted private key: node:crypto decrypts it, the core gets the plain key.
    let obj
    try {
      obj = crypto.createPrivateKey(key)
    } catch (e) {
      throw tokenError(FJ.invalidKey, 'Unsupported PEM private key.', { originalError: e })
    }
    return fjSigningKey(obj, algorithm)
  }
  const text = (Buffer.isBuffer(key) ? key.toString('utf-8') : key)
  const bytes = Buffer.isBuffer(key) ? key : Buffer.from(key, 'utf-8')
  if (isHmacAlg(algorithm)) return { alg: algorithm, material: { secret: bytes } }
  const trimmed = text.trim()
  const at = trimmed.search(FJ_PEM_BEGIN)
  if (at === -1) {
    if (isAsymmetricJwkText(trimmed)) throw tokenError(FJ.invalidKey, 'Raw asymmetric JWK/JWKS JSON cannot be used as an HMAC secret.')
    return { alg: 'HS256', material: { secret: bytes } }
  }
  const pem = trimmed.slice(at)
  if (FJ_PUBLIC_PEM.test(pem) || pem.startsWith(FJ_CERT_PEM)) throw tokenError(FJ.invalidKey, 'Public keys are not supported for signing.')
  const label = FJ_PRIVATE_PEM.exec(pem)
  if (label === null || label[1] === 'ENCRYPTED') throw tokenError(FJ.invalidKey, 'Unsupported PEM private key.')
  const algs = fjKeyAlgorithms(pem, true, 'Unsupported PEM private key.')
  return { alg: algs[0], algs, material: { pem } }
}

/** fast-jwt's check that a given signing algorithm fits the key: the core's fit list. */
function fjSignAlgFits (expected?: any, found?: any) {
  const algs = found.algs || [found.alg]
  if (!algs.includes(expected)) throw tokenError(FJ.invalidKey, `Invalid private key provided for algorithm ${expected}.`)
}

const b64json = (v) => Buffer.from(JSON.stringify(v), 'utf-8').toString('base64url')

/**
 * `sign(claimsJson) -> token` for one key, algorithm and header. The header is passed
 * as an object; the native signer re-serializes it (members sorted).
 */
function fjNativeSigner (material?: any, alg?: any, header?: any) {
  if (alg === 'none') {
    const prefix = b64json(header) + '.'
    return (json) => prefix + Buffer.from(json, 'utf-8').toString('base64url') + '.'
  }
  const headerJson = JSON.stringify(header)
  const build = () => {
    try {
      if (material.secret !== undefined) {
        if (material.secret.length === 0) throw tokenError(FJ.invalidKey, 'The key cannot be an empty string or buffer.')
        // fast-jwt signs with secrets shorter than the hash: the core's HmacPolicy::Allow.
        const n = NativeSigner.fromSecret(alg, material.secret, { header: headerJson, allowShort: true })
        return (json) => n.sign(json)
      }
      const n = material.pem !== undefined
        ? NativeSigner.fromPem(alg, material.pem, { header: headerJson })
        : NativeSigner.fromJwk(material.jwk, alg, { header: headerJson, allowShort: true })
      return (json) => n.sign(json)
    } catch (e) {
      if (e instanceof TokenError) throw e
      const f = coreFailure(e)
      if (f.code === 'unsupported_critical_header') {
        // The core never writes a `crit` it would refuse to verify (fast-jwt does, and
        // refuses the token later): the error, in fast-jwt's words, comes at signing.
        throw tokenError(FJ.invalidCritHeader, fjCritMessage(header, new Set(Object.keys(header))) || f.message, undefined, f.code)
      }
      const message = f.code === 'key_algorithm_mismatch' && material.secret === undefined ? `Invalid private key provided for algorithm ${alg}.` : f.message
      throw tokenError(f.code === 'invalid_argument' ? FJ.invalidOption : FJ.invalidKey, message, undefined, f.code)
    }
  }
  return build()
}

/** The signer for (key material, algorithm, header), cached per key. */
function fjSignerFor (key?: any, material?: any, alg?: any, header?: any) {
  return cached(perKeyCache(key), 'fjs' + alg + '\u0000' + JSON.stringify(header), () => fjNativeSigner(material, alg, header))
}

/** fast-jwt's promise-or-callback pair for the async forms. */
function fjCallback (cb?: any) {
  if (typeof cb === 'function') return [cb, undefined]
  let resolve, reject
  const promise = new Promise((res, rej) => {
    resolve = res
    reject = rej
  })
  return [(err, value) => err ? reject(err) : resolve(value), promise]
}

/** Call a key function: Node-style callback, or a returned promise. */
function fjGetKey (fn?: any, arg?: any, callback?: any) {
  const result = fn(arg, callback)
  if (result && typeof result.then === 'function') {
    result.then((key) => process.nextTick(() => callback(null, key)), callback)
  }
}

/** The claims fast-jwt 6 would sign: the payload, the fixed claims, iat, exp, nbf. */
function fjClaims (ctx?: any, payload?: any) {
  if (payload === null || typeof payload !== 'object') throw tokenError(FJ.invalidType, 'The payload must be an object.')
  const original = payload
  if (typeof payload.toJSON === 'function') {
    // serialised once, then the options' claims win (fast-jwt lets toJSON's exp win)
    payload = JSON.parse(JSON.stringify(payload))
    if (payload === null || typeof payload !== 'object') throw tokenError(FJ.invalidType, 'The payload must be an object.')
  }
  if (payload.exp && (!Number.isInteger(payload.exp) || payload.exp < 0)) throw tokenError(FJ.invalidClaimValue, 'The exp claim must be a positive integer.')
  if (payload.nbf && (!Number.isInteger(payload.nbf) || payload.nbf < 0)) throw tokenError(FJ.invalidClaimValue, 'The nbf claim must be a positive integer.')
  const base = payload.iat !== undefined ? payload.iat * 1000 : (ctx.clockTimestamp ?? Date.now())
  const claims = Object.assign({}, payload, ctx.fixed)
  claims.iat = ctx.noTimestamp ? undefined : Math.floor(base / 1000)
  claims.exp = ctx.expiresIn != null && Number.isFinite(ctx.expiresIn)
    ? Math.floor((base + ctx.expiresIn) / 1000)
    : (payload.exp || undefined)
  claims.nbf = ctx.notBefore != null && Number.isFinite(ctx.notBefore)
    ? Math.floor((base + ctx.notBefore) / 1000)
    : (payload.nbf || undefined)
  if (ctx.mutatePayload) Object.assign(original, claims)
  return claims
}

function fjHeader (ctx?: any, alg?: any) {
  return Object.assign({ alg, typ: ctx.typ || 'JWT', kid: ctx.kid }, ctx.additionalHeader)
}

function fjSignWithKey (ctx?: any, payload?: any, cb?: any) {
  const [callback, promise] = fjCallback(cb)
  const claims = fjClaims(ctx, payload)
  const json = JSON.stringify(claims)
  const header = fjHeader(ctx, ctx.algorithm)
  fjGetKey(ctx.key, { header, payload }, (err, key) => {
    if (err) return callback(TokenError.wrap(err, FJ.keyFetchingError, 'Cannot fetch key.'))
    if (typeof key === 'string') key = Buffer.from(key, 'utf-8')
    else if (!Buffer.isBuffer(key) && !(key instanceof crypto.KeyObject) && !isJwkObject(key)) {
      return callback(tokenError(FJ.keyFetchingError, 'The key returned from the callback must be a string or a buffer containing a secret or a private key.'))
    }
    let token
    try {
      const found = fjSigningKey(key, ctx.algorithm)
      const material = found.material
      let alg = ctx.algorithm
      if (alg) fjSignAlgFits(alg, found)
      else header.alg = alg = found.alg
      token = fjSignerFor(key, material, alg, header)(json)
    } catch (e) {
      return callback(e)
    }
    callback(null, token)
  })
  return promise
}

/**
 * fast-jwt 6's `createSigner(options)`: `sign(payload) -> token`; with a key function,
 * `sign(payload, [callback]) -> Promise<token>`.
 */
function createSigner (options?: any) {
  let {
    key, algorithm, noTimestamp, mutatePayload, clockTimestamp, expiresIn, notBefore,
    jti, aud, iss, sub, nonce, kid, typ, header: additionalHeader
  } = { ...options }
  if (algorithm && !FJ_SIGN_ALGS_EXTRA.has(algorithm)) {
    throw tokenError(FJ.invalidOption, `The algorithm option must be one of the following values: ${FJ_SIGN_ALGS.join(', ')}.`)
  }
  const keyType = typeof key
  const extension = key instanceof crypto.KeyObject || isJwkObject(key)
  const withPassphrase = keyType === 'object' && key && key.key && key.passphrase
  if (algorithm === 'none') {
    if (key) throw tokenError(FJ.invalidOption, 'The key option must not be provided when the algorithm option is "none".')
  } else if (!key || (keyType !== 'string' && !Buffer.isBuffer(key) && keyType !== 'function' && !withPassphrase && !extension)) {
    throw tokenError(FJ.invalidOption, 'The key option must be a string, a buffer, an object containing key/passphrase properties or a function returning the algorithm secret or private key.')
  } else if (withPassphrase && !algorithm) {
    throw tokenError(FJ.invalidAlgorithm, 'When using password protected key you must provide the algorithm option.')
  }
  let material = null
  if (key && keyType !== 'function') {
    const found = fjSigningKey(key, algorithm)
    if (algorithm) fjSignAlgFits(algorithm, found)
    else algorithm = found.alg
    material = found.material
  }
  if (expiresIn || Number.isNaN(expiresIn)) {
    if (typeof expiresIn === 'string') expiresIn = fjSpan(expiresIn)
    if (typeof expiresIn !== 'number' || Number.isNaN(expiresIn)) throw tokenError(FJ.invalidOption, 'The expiresIn option must be a positive number or a valid string.')
    if (!Number.isFinite(expiresIn)) fjWarn('The expiresIn option is not a finite number, so it is ignored and does not set the exp claim. This will throw an error in the next major version.', 'FAST_JWT_NON_FINITE_TIME_OPTION')
  }
  if (notBefore || Number.isNaN(notBefore)) {
    if (typeof notBefore === 'string') notBefore = fjSpan(notBefore)
    if (typeof notBefore !== 'number' || Number.isNaN(notBefore) || notBefore < 0) throw tokenError(FJ.invalidOption, 'The notBefore option must be a positive number or a valid string.')
    if (!Number.isFinite(notBefore)) fjWarn('The notBefore option is not a finite number, so it is ignored and does not set the nbf claim. This will throw an error in the next major version.', 'FAST_JWT_NON_FINITE_TIME_OPTION')
  }
  fjNonNegative(clockTimestamp, 'clockTimestamp')
  if (jti && typeof jti !== 'string') throw tokenError(FJ.invalidOption, 'The jti option must be a string.')
  if (aud && typeof aud !== 'string' && !Array.isArray(aud)) throw tokenError(FJ.invalidOption, 'The aud option must be a string or an array of strings.')
  if (iss && typeof iss !== 'string') throw tokenError(FJ.invalidOption, 'The iss option must be a string.')
  if (sub && typeof sub !== 'string') throw tokenError(FJ.invalidOption, 'The sub option must be a string.')
  if (nonce && typeof nonce !== 'string') throw tokenError(FJ.invalidOption, 'The nonce option must be a string.')
  if (kid && typeof kid !== 'string') throw tokenError(FJ.invalidOption, 'The kid option must be a string.')
  if (additionalHeader && typeof additionalHeader !== 'object') throw tokenError(FJ.invalidOption, 'The header option must be a object.')
  const fixed: any = {}
  for (const [name, value] of [['jti', jti], ['aud', aud], ['iss', iss], ['sub', sub], ['nonce', nonce]]) {
    if (value !== undefined) fixed[name] = value
  }
  const ctx = { key, algorithm, noTimestamp, mutatePayload, clockTimestamp, expiresIn, notBefore, kid, typ, additionalHeader, fixed }
  if (keyType === 'function') return (payload, cb) => fjSignWithKey(ctx, payload, cb)

  const header = fjHeader(ctx, algorithm)
  if (header.alg !== algorithm) {
    // fast-jwt would write this alg into a token signed with another algorithm
    throw tokenError(FJ.invalidOption, `The header option must not change the algorithm (${algorithm}).`)
  }
  const signToken = algorithm === 'none' ? fjNativeSigner(null, 'none', header) : fjSignerFor(key, material, algorithm, header)
  return function sign (payload) {
    return signToken(JSON.stringify(fjClaims(ctx, payload)))
  }
}

// Decoding

const FJ_B64URL = /^[A-Za-z0-9_-]*$/

/**
 * A token split and parsed as fast-jwt's decoder does (no verification; lenient JSON):
 * `{ header, payload, signature, input }`, or a TokenError with fast-jwt's message. Used
 * to word an error the way fast-jwt would, and for the key functions' argument.
 */
function fjDecode (token?: any) {
  const first = token.indexOf('.')
  const last = token.lastIndexOf('.')
  if (first === -1 || first >= last) throw tokenError(FJ.malformed, 'The token is malformed.')
  const h = token.slice(0, first)
  const p = token.slice(first + 1, last)
  const signature = token.slice(last + 1)
  if (!FJ_B64URL.test(h)) throw tokenError(FJ.malformed, 'The token header is not a valid base64url serialized JSON.')
  if (!FJ_B64URL.test(p)) throw tokenError(FJ.malformed, 'The token payload is not a valid base64url serialized JSON.')
  if (!FJ_B64URL.test(signature)) throw tokenError(FJ.invalidSignature, 'The token signature is invalid.')
  let header
  try {
    header = JSON.parse(Buffer.from(h, 'base64').toString('utf-8'))
  } catch (e) {
    throw tokenError(FJ.malformed, 'The token header is not a valid base64url serialized JSON.', { originalError: e })
  }
  if (!header || typeof header !== 'object' || Array.isArray(header)) throw tokenError(FJ.malformed, 'The token header is not a valid JSON object.')
  let payload
  try {
    payload = JSON.parse(Buffer.from(p, 'base64').toString('utf-8'))
  } catch (e) {
    throw tokenError(FJ.malformed, 'The token payload is not a valid base64url serialized JSON.', { originalError: e })
  }
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) throw tokenError(FJ.invalidPayload, 'The payload must be an object', { payload })
  return { header, payload, signature, input: token.slice(0, last) }
}

function fjTokenText (token?: any) {
  if (Buffer.isBuffer(token)) return token.toString('utf-8')
  if (typeof token !== 'string') throw tokenError(FJ.invalidType, 'The token must be a string or a buffer.')
  return token
}

/** A core refusal of a token fast-jwt's decoder reads: the core's stricter parser. */
function fjStrictParseError (token?: any, f?: any) {
  return tokenError(FJ.malformed, 'The token is malformed.', { originalError: jwtError(f.message, f.code) }, f.code)
}

/**
 * fast-jwt 6's `createDecoder({ complete, checkTyp })`: `decode(token)`, NOT verified.
 * The token is parsed by the core's strict parser (duplicate members, bad base64url and
 * non-object payloads are refused); errors are worded as fast-jwt's.
 */
function createDecoder (options: any = {}) {
  const complete = options.complete || false
  const checkTyp = options.checkTyp
  return function decode (token) {
    token = fjTokenText(token)
    let parts
    try {
      parts = JSON.parse(native.decodeUnverified(token))
    } catch (e) {
      const f = coreFailure(e)
      fjDecode(token) // fast-jwt's own error, if its decoder refuses the token too
      throw fjStrictParseError(token, f)
    }
    const [header, payload] = parts
    const last = token.lastIndexOf('.')
    // the core's unverified parse leaves the signature alone; fast-jwt checks its alphabet
    if (!FJ_B64URL.test(token.slice(last + 1))) throw tokenError(FJ.invalidSignature, 'The token signature is invalid.')
    if (checkTyp && header.typ !== checkTyp) throw tokenError(FJ.invalidType, `The type must be "${checkTyp}".`, { header })
    if (!complete) return payload
    return { header, payload, signature: token.slice(last + 1), input: token.slice(0, last) }
  }
}

// Verification

/** The `allowed*` values as matchers: strings exactly, RegExps (lastIndex reset), `test()` objects. */
function fjMatchers (raw?: any) {
  return (Array.isArray(raw) ? raw : [raw]).filter((r) => r).map((r) => {
    if (isRegExp(r) || r instanceof RegExp) {
      return {
        test (v?: any) {
          try {
            r.lastIndex = 0
          } catch {}
          return r.test(v)
        }
      }
    }
    if (typeof r.test === 'function') return r
    return { test: (v) => v === r }
  })
}

/** The claim checks, in fast-jwt's order, on a verified (or, for an error, unverified) payload. */
function fjCheckClaims (ctx?: any, payload?: any, now?: any) {
  // On every verified token: no allocation unless a check fails (this is the hot path).
  const required = ctx.required
  for (let i = 0; i < required.length; i++) {
    if (!(required[i] in payload)) throw tokenError(FJ.missingRequiredClaim, `The ${required[i]} claim is required.`)
  }
  const validators = ctx.validators
  for (let i = 0; i < validators.length; i++) {
    const v = validators[i]
    const value = payload[v.claim]
    if (value === undefined && !(v.claim in payload)) continue
    const type = v.date ? 'number' : 'string'
    const isArray = Array.isArray(value)
    if (isArray) {
      if (!v.array) throw tokenError(FJ.invalidClaimValue, fjTypeMessage(v, type))
      for (const x of value) {
        if (typeof x !== type) throw tokenError(FJ.invalidClaimType, fjTypeMessage(v, type))
      }
    } else if (typeof value !== type) {
      throw tokenError(FJ.invalidClaimType, fjTypeMessage(v, type))
    }
    if (v.date) {
      const at = value * 1000 + v.modifier
      if (v.notBefore ? now < at : now > at) throw tokenError(v.code, `The token ${v.verb} at ${new Date(at).toISOString()}.`)
    } else if (!(isArray ? value.some((x) => fjAllows(v, x)) : fjAllows(v, value))) {
      throw tokenError(FJ.invalidClaimValue, isArray ? `None of ${v.claim} claim values are allowed.` : `The ${v.claim} claim value is not allowed.`)
    }
  }
}

/** Whether one of validator `v`'s matchers accepts `x`. */
const fjAllows = (v, x) => v.allowed.some((a) => a.test(x))

/** fast-jwt's message for a claim of the wrong type. */
function fjTypeMessage (v?: any, type?: any) {
  return v.array ? `The ${v.claim} claim must be a ${type} or an array of ${type}s.` : `The ${v.claim} claim must be a ${type}.`
}

const FJ_REGISTERED_HEADERS = new Set(['alg', 'jku', 'jwk', 'kid', 'x5u', 'x5c', 'x5t', 'x5t#S256', 'typ', 'cty', 'crit'])

/** fast-jwt's wording for a `crit` header the core refused (or null). */
function fjCritMessage (header?: any, allowed?: any) {
  const crit = header.crit
  if (!crit) return null
  if (!Array.isArray(crit) || crit.length === 0) return 'The crit header must be a non-empty array.'
  const seen = new Set()
  for (const ext of crit) {
    if (typeof ext !== 'string') return 'Each crit entry must be a string.'
    if (FJ_REGISTERED_HEADERS.has(ext)) return `The crit header must not contain the standard header parameter name "${ext}".`
    if (seen.has(ext)) return `Duplicate entry "${ext}" in crit header.`
    seen.add(ext)
    if (!allowed.has(ext)) return `Critical extension "${ext}" is not supported.`
    if (!(ext in header)) return `Critical extension "${ext}" is listed in crit but is not present in the header.`
  }
  return null
}

const FJ_NOT_CACHED = new WeakSet()

/**
 * The fast-jwt error for a token the core refused: fast-jwt's decoder and checks are
 * replayed (in its order) to word it; what only the core refuses keeps the core's code
 * as `coreCode`.
 */
function fjVerifyError (ctx?: any, e?: any, token?: any, allowed?: any, now?: any) {
  const f = coreFailure(e)
  let d
  try {
    d = fjDecode(token)
  } catch (err) {
    FJ_NOT_CACHED.add(err)
    return err
  }
  const core = (code, message, extra?) => tokenError(code, message, extra, f.code)
  if (!d.signature) return core(FJ.missingSignature, 'The token signature is missing.')
  if (!allowed.includes(d.header.alg)) return core(FJ.invalidAlgorithm, 'The token algorithm is invalid.')
  switch (f.code) {
    case 'invalid_signature':
    case 'key_algorithm_mismatch':
    case 'algorithm_not_allowed':
      return core(FJ.invalidSignature, 'The token signature is invalid.')
    case 'key_not_found':
      return core(FJ.keyFetchingError, 'Cannot fetch key.', { originalError: jwtError(f.message, f.code) })
    case 'unsupported_algorithm':
      return core(FJ.invalidAlgorithm, 'The token algorithm is invalid.')
    case 'unsupported_critical_header':
      return core(FJ.invalidCritHeader, fjCritMessage(d.header, ctx.critSet) || `The crit header is not supported: ${f.message}.`)
    case 'invalid_type':
      return core(FJ.invalidType, 'Invalid typ.')
    case 'token_expired':
    case 'token_not_yet_valid':
    case 'missing_claim':
    case 'invalid_claim':
    case 'invalid_issuer':
    case 'invalid_audience':
    case 'invalid_subject':
    case 'claims_shape': {
      try {
        fjCheckClaims(ctx, d.payload, now)
      } catch (err) {
        Object.defineProperty(err, 'coreCode', { value: f.code, writable: true, configurable: true })
        return err
      }
      // the core's type rules for registered claims fast-jwt does not check
      const m = /\b(exp|nbf|iat|iss|aud|sub|jti)\b/.exec(f.message)
      if (m !== null) {
        const type = ['exp', 'nbf', 'iat'].includes(m[1]) ? 'a number' : m[1] === 'aud' ? 'a string or an array of strings' : 'a string'
        return core(FJ.invalidClaimType, `The ${m[1]} claim must be ${type}.`)
      }
      return core(FJ.invalidClaimValue, f.message)
    }
    case 'invalid_key':
    case 'weak_key':
    case 'key_usage_not_allowed':
      return core(FJ.invalidKey, f.message)
    case 'crypto_failure':
      return core(FJ.verifyError, 'Cannot verify the signature.')
    default:
      return fjStrictParseError(token, f)
  }
}

/** Verify with the native verifier `nv`; the result fast-jwt returns, or a TokenError thrown. */
function fjVerifyWith (ctx?: any, nv?: any, allowed?: any, token?: any, asyncForm?: any) {
  // One clock for the core and the checks here: fast-jwt's (Date.now(), so fake timers apply)
  const now = ctx.clockTimestamp || Date.now()
  let out
  try {
    out = ctx.complete ? nv.verifyComplete(token, now / 1000) : nv.verify(token, now / 1000)
  } catch (e) {
    throw fjVerifyError(ctx, e, token, allowed, now)
  }
  if (!ctx.complete) {
    const payload = JSON.parse(out)
    fjCheckClaims(ctx, payload, now)
    return payload
  }
  const [header, payload] = JSON.parse(out)
  fjCheckClaims(ctx, payload, now)
  const last = token.lastIndexOf('.')
  // fast-jwt's async form returns the whole token as `input`
  return { header, payload, signature: token.slice(last + 1), input: asyncForm ? token : token.slice(0, last) }
}

/**
 * The verification key as fast-jwt classifies it: `{ algs, material }` (the algorithms
 * it fits, and `{ secret }`, `{ pem }`, `{ jwk }` or `{ set }` for the native key set).
 */
function fjVerificationKey (key?: any, provided?: any) {
  if (key instanceof JWKSet) return { algs: key._keySet().algorithms(), material: { set: key._keySet() } }
  if (key instanceof NativeKeySet) return { algs: key.algorithms(), material: { set: key } }
  if (key instanceof crypto.KeyObject) {
    if (key.type === 'secret') return { algs: fjKeyAlgorithms(key.export(), false), material: { secret: key.export() } }
    if (key.type === 'private') throw tokenError(FJ.invalidKey, 'Private keys are not supported for verifying.')
    const pem = key.export({ format: 'pem', type: 'spki' })
    return { algs: fjKeyAlgorithms(pem, false, 'Unsupported PEM public key.'), material: { pem } }
  }
  if (isJwkObject(key)) {
    if (key.kty !== 'oct' && key.d !== undefined) throw tokenError(FJ.invalidKey, 'Private keys are not supported for verifying.')
    return { algs: jwkAlgs(key), material: { jwk: JSON.stringify(key) } }
  }
  if (typeof key !== 'string' && !Buffer.isBuffer(key)) throw tokenError(FJ.invalidKey, 'The public key must be a string or a buffer.')
  const bytes = Buffer.isBuffer(key) ? key : Buffer.from(key, 'utf-8')
  if (provided && provided.length > 0 && provided.every(isHmacAlg)) return { algs: provided, material: { secret: bytes } }
  const trimmed = (Buffer.isBuffer(key) ? key.toString('utf-8') : key).trim()
  const at = trimmed.search(FJ_PEM_BEGIN)
  if (at === -1) {
    if (isAsymmetricJwkText(trimmed)) throw tokenError(FJ.invalidKey, 'Raw asymmetric JWK/JWKS JSON cannot be used as an HMAC secret.')
    return { algs: fjKeyAlgorithms(bytes, false), material: { secret: bytes } }
  }
  const pem = trimmed.slice(at)
  if (FJ_PRIVATE_PEM.test(pem)) throw tokenError(FJ.invalidKey, 'Private keys are not supported for verifying.')
  if (!FJ_PUBLIC_PEM.test(pem) && !pem.startsWith(FJ_CERT_PEM)) throw tokenError(FJ.invalidKey, 'Unsupported PEM public key.')
  return { algs: fjKeyAlgorithms(pem, false, 'Unsupported PEM public key.'), material: { pem } }
}

/** The algorithms a verifier accepts for a key: the caller's (at least one must fit) or the key's. */
function fjAllowed (provided?: any, available?: any) {
  if (provided.length === 0) return available
  if (!provided.some((a) => available.includes(a))) {
    throw tokenError(FJ.invalidKey, `Invalid public key provided for algorithms ${provided.join(', ')}.`)
  }
  return provided
}

/** The native verifier for (key, allowed algorithms, rules), cached per key. */
function fjNativeVerifier (ctx?: any, key?: any, material?: any, available?: any, allowed?: any) {
  const algs = allowed.filter((a) => available.includes(a))
  const rules = { ...ctx.rules, algorithms: algs }
  return cached(perKeyCache(key), 'fjv' + JSON.stringify(rules), () => {
    try {
      if (material.set !== undefined) return new NativeVerifier(material.set, rules, false)
      const set = new NativeKeySet()
      set.addMaterial(material.secret ?? material.pem ?? material.jwk, algs, undefined, true)
      return new NativeVerifier(set, rules, true)
    } catch (e) {
      const f = coreFailure(e)
      throw tokenError(FJ.invalidKey, f.message, undefined, f.code)
    }
  })
}

/** fast-jwt's default cache key: a hash of the token (a digest as long as its signature's). */
function fjHashToken (token?: any) {
  const header = Buffer.from(token.slice(0, token.indexOf('.') >>> 0), 'base64').toString('utf-8')
  const m = /"alg"\s*:\s*"(?:HS|RS|PS|ES)(256|384)"/.exec(header)
  return crypto.createHash(m !== null ? 'sha' + m[1] : 'sha512').update(token).digest('hex')
}

/** A least-recently-used map (what fast-jwt's `verifier.cache` is). */
class LRUCache {
  [field: string]: any
  constructor (capacity?: any) {
    this.capacity = capacity
    this._items = new Map()
  }

  get size () {
    return this._items.size
  }

  get (key?: any) {
    const v = this._items.get(key)
    if (v !== undefined) {
      this._items.delete(key)
      this._items.set(key, v)
    }
    return v
  }

  peek (key?: any) {
    return this._items.get(key)
  }

  has (key?: any) {
    return this._items.has(key)
  }

  set (key?: any, value?: any) {
    if (this._items.has(key)) this._items.delete(key)
    else if (this._items.size >= this.capacity) this._items.delete(this._items.keys().next().value)
    this._items.set(key, value)
    return this
  }

  clear () {
    this._items.clear()
  }

  /** Most recently used first. */
  * entries () {
    yield * [...this._items.entries()].reverse()
  }

  * keys () {
    for (const [k] of this.entries()) yield k
  }

  * values () {
    for (const [, v] of this.entries()) yield v
  }

  forEach (callback?: any, scope?: any) {
    for (const [k, v] of this.entries()) callback.call(scope, v, k, this)
  }
}

/** Store a verified result or a TokenError, valid for fast-jwt's time window. */
function fjRemember (ctx?: any, cacheKey?: any, value?: any, payload?: any) {
  if (ctx.cache === null) return value
  const now = ctx.clockTimestamp ?? Date.now()
  const tol = ctx.clockTolerance
  if (value instanceof TokenError) {
    if (FJ_NOT_CACHED.has(value)) return value
    const ttl = typeof ctx.errorCacheTTL === 'function' ? ctx.errorCacheTTL(value) : ctx.errorCacheTTL
    ctx.cache.set(cacheKey, [value, 0, now + tol + ttl])
    return value
  }
  const from = !ctx.ignoreNotBefore && typeof payload.nbf === 'number' ? payload.nbf * 1000 - tol : 0
  let until = now + tol + ctx.cacheTTL
  if (!ctx.ignoreExpiration && typeof payload.exp === 'number') until = Math.min(until, payload.exp * 1000 + tol)
  if (typeof ctx.maxAge === 'number' && typeof payload.iat === 'number') until = Math.min(until, payload.iat * 1000 + ctx.maxAge)
  ctx.cache.set(cacheKey, [value, from, until])
  return value
}

/** A cache hit (a result or a TokenError), or undefined. */
function fjLookup (ctx?: any, cacheKey?: any) {
  const hit = ctx.cache.get(cacheKey)
  if (hit === undefined) return undefined
  const now = ctx.clockTimestamp || Date.now()
  return now >= hit[1] && now <= hit[2] ? hit[0] : undefined
}

function fjVerifySync (ctx?: any, token?: any) {
  token = fjTokenText(token)
  let cacheKey
  if (ctx.cache !== null) {
    cacheKey = ctx.cacheKeyBuilder(token)
    const hit = fjLookup(ctx, cacheKey)
    if (hit !== undefined) {
      if (hit instanceof TokenError) throw hit
      return hit
    }
  }
  let value
  try {
    value = fjVerifyWith(ctx, ctx.native, ctx.allowed, token, false)
  } catch (e) {
    throw e instanceof TokenError ? fjRemember(ctx, cacheKey, e) : e
  }
  return ctx.cache === null ? value : fjRemember(ctx, cacheKey, value, ctx.complete ? value.payload : value)
}

function fjVerifyWithKey (ctx?: any, token?: any, cb?: any) {
  const [callback, promise] = fjCallback(cb)
  try {
    token = fjTokenText(token)
  } catch (e) {
    callback(e)
    return promise
  }
  let cacheKey
  if (ctx.cache !== null) {
    cacheKey = ctx.cacheKeyBuilder(token)
    const hit = fjLookup(ctx, cacheKey)
    if (hit !== undefined) {
      if (hit instanceof TokenError) callback(hit)
      else callback(null, hit)
      return promise
    }
  }
  let decoded
  try {
    decoded = fjDecode(token)
  } catch (e) {
    callback(e)
    return promise
  }
  const fail = (e) => callback(fjRemember(ctx, cacheKey, e))
  const run = (key, retry) => {
    let value
    try {
      const { algs, material } = fjVerificationKey(key, undefined)
      const allowed = fjAllowed(ctx.algorithms, algs)
      value = fjVerifyWith(ctx, fjNativeVerifier(ctx, key, material, algs, allowed), allowed, token, true)
    } catch (e) {
      if (retry && e.coreCode === 'key_not_found') return retry(e)
      return fail(e)
    }
    callback(null, ctx.cache === null ? value : fjRemember(ctx, cacheKey, value, ctx.complete ? value.payload : value))
  }
  if (ctx.remote !== null) {
    // a remote JWK set: fetched when absent or stale; an unknown kid refetches it once
    const remote = ctx.remote
    remote.getKeySet().then((set) => run(set, (e) => {
      // the core's policy says whether to refetch (cooldown, backoff): the same set if not
      remote.getKeySet(true).then((fresh) => fresh === set ? fail(e) : run(fresh, null), (err) => fail(TokenError.wrap(err, FJ.keyFetchingError, 'Cannot fetch key.')))
    }), (err) => fail(TokenError.wrap(err, FJ.keyFetchingError, 'Cannot fetch key.')))
    return promise
  }
  fjGetKey(ctx.key, { header: decoded.header, payload: decoded.payload, signature: decoded.signature }, (err, key) => {
    if (err) return fail(TokenError.wrap(err, FJ.keyFetchingError, 'Cannot fetch key.'))
    if (typeof key === 'string') key = Buffer.from(key, 'utf-8')
    else if (!Buffer.isBuffer(key) && !(key instanceof crypto.KeyObject) && !isJwkObject(key) && !(key instanceof JWKSet)) {
      return fail(tokenError(FJ.keyFetchingError, 'The key returned from the callback must be a string or a buffer containing a secret or a public key.'))
    }
    run(key, null)
  })
  return promise
}

/**
 * fast-jwt 6's `createVerifier(options)`: `verify(token) -> payload`; with a key function
 * (or a remote JWK set), `verify(token, [callback]) -> Promise<payload>`. `verify.cache`
 * is the verified-token cache (null when off).
 */
function createVerifier (options?: any) {
  let {
    key, algorithms, complete, cache: cacheSize, cacheTTL, errorCacheTTL, checkTyp,
    clockTimestamp, clockTolerance, ignoreExpiration, ignoreNotBefore, maxAge, allowedJti,
    allowedAud, allowedIss, allowedSub, allowedNonce, requiredClaims, allowedCritHeaders,
    cacheKeyBuilder
  } = { cacheTTL: 600_000, clockTolerance: 0, errorCacheTTL: -1, cacheKeyBuilder: fjHashToken, ...options }
  if (!Array.isArray(algorithms)) algorithms = []
  const keyType = typeof key
  if (algorithms.length > 0 && algorithms.every((a) => a === 'none')) {
    // fast-jwt verifies unsigned tokens here (CVE-2015-9235 class): never
    throw tokenError(FJ.invalidOption, 'The "none" algorithm is never accepted: unsigned tokens cannot be verified.')
  } else if (keyType !== 'string' && keyType !== 'object' && keyType !== 'function') {
    throw tokenError(FJ.invalidOption, 'The key option must be a string, a buffer or a function returning the algorithm secret or public key.')
  } else if (!key && keyType !== 'function') {
    throw tokenError(FJ.invalidKey, 'The key option is required unless the only allowed algorithm is "none".')
  }
  const remote = key instanceof RemoteJWKSet ? key : null
  let found = null
  let allowed = algorithms
  if (key && keyType !== 'function' && remote === null) {
    found = fjVerificationKey(key, algorithms)
    allowed = fjAllowed(algorithms, found.algs)
  }
  fjNonNegative(clockTimestamp, 'clockTimestamp')
  fjNonNegative(clockTolerance, 'clockTolerance')
  if (cacheTTL !== undefined && (typeof cacheTTL !== 'number' || Number.isNaN(cacheTTL) || cacheTTL < 0)) {
    throw tokenError(FJ.invalidOption, 'The cacheTTL option must be a non-negative number.')
  }
  if ((errorCacheTTL && typeof errorCacheTTL !== 'function' && typeof errorCacheTTL !== 'number') || errorCacheTTL < -1) {
    throw tokenError(FJ.invalidOption, 'The errorCacheTTL option must be a number greater than -1 or a function.')
  }
  if (requiredClaims && !Array.isArray(requiredClaims)) throw tokenError(FJ.invalidOption, 'The requiredClaims option must be an array.')
  if (allowedCritHeaders !== undefined && (!Array.isArray(allowedCritHeaders) || allowedCritHeaders.some((h) => typeof h !== 'string' || h.length === 0))) {
    throw tokenError(FJ.invalidOption, 'The allowedCritHeaders option must be an array of strings.')
  }
  const size = parseInt(cacheSize === true ? 1000 : cacheSize, 10)
  const cache = size > 0 ? new LRUCache(size) : null
  if (cache !== null && options && options.cacheKeyBuilder) {
    fjWarn('A custom cacheKeyBuilder is in use with caching enabled. Cache key collisions can lead to identity/authorization bypass. Make sure your cacheKeyBuilder generates unique keys for different tokens.', 'FAST_JWT_CACHE_KEY_BUILDER_SECURITY_RISK')
  }

  const validators = []
  if (!ignoreNotBefore) validators.push({ date: true, claim: 'nbf', notBefore: true, modifier: -clockTolerance, code: FJ.inactive, verb: 'will be active' })
  if (!ignoreExpiration) validators.push({ date: true, claim: 'exp', modifier: clockTolerance, code: FJ.expired, verb: 'has expired' })
  if (typeof maxAge === 'number') validators.push({ date: true, claim: 'iat', modifier: maxAge, code: FJ.expired, verb: 'has expired' })
  // A configured expected value is never met by an absent claim (fast-jwt skips the
  // check then: a token without `aud` passes `allowedAud`; RFC 8725 3.9 substitution).
  const required = [...(requiredClaims || [])]
  for (const [claim, raw, array] of [['jti', allowedJti], ['aud', allowedAud, true], ['iss', allowedIss], ['sub', allowedSub], ['nonce', allowedNonce]]) {
    if (!raw) continue
    validators.push({ claim, allowed: fjMatchers(raw), array: array === true })
    if (!required.includes(claim)) required.push(claim)
  }
  const strings = (raw) => {
    const list = (Array.isArray(raw) ? raw : [raw]).filter((r) => r)
    return list.length > 0 && list.every((r) => typeof r === 'string') ? list : undefined
  }
  // The core's rules: never stricter than the checks above (the time checks get a
  // leeway one second longer than clockTolerance, rounded up; fjCheckClaims decides).
  const rules: any = { requiredClaims: required, validateIat: false, leeway: Math.ceil(clockTolerance / 1000) + 1 }
  if (ignoreExpiration) rules.validateExp = false
  if (ignoreNotBefore) rules.validateNbf = false
  const aud = allowedAud ? strings(allowedAud) : undefined
  if (aud !== undefined) rules.audience = aud
  else rules.skipAudience = true
  const iss = allowedIss ? strings(allowedIss) : undefined
  if (iss !== undefined) rules.issuer = iss
  if (checkTyp) rules.typ = checkTyp
  if (allowedCritHeaders !== undefined) rules.critical = allowedCritHeaders

  const ctx = {
    key, algorithms, allowed, complete: complete === true, cache, cacheTTL, errorCacheTTL, cacheKeyBuilder,
    clockTimestamp, clockTolerance,
    ignoreExpiration, ignoreNotBefore, maxAge, validators, required, rules,
    critSet: new Set(allowedCritHeaders || []), remote, native: null
  }
  let verify
  if (keyType === 'function' || remote !== null) {
    verify = (token, cb) => fjVerifyWithKey(ctx, token, cb)
  } else {
    ctx.native = fjNativeVerifier(ctx, key, found.material, found.algs, allowed)
    verify = (token) => fjVerifySync(ctx, token)
  }
  verify.cache = cache
  return verify
}

// ---------------------------------------------------------------------------------------
// Factories with jwt-core's defaults (strict.createSigner / strict.createVerifier):
// fast-jwt's option names and milliseconds, jwt-core's rules and error classes

/**
 * `strict.createSigner(options)`: fast-jwt's option names with jwt-core's rules; returns
 * `sign(payload) -> token` (and `sign.async(payload) -> Promise<token>` on the libuv pool).
 */
function strictCreateSigner (options: any = {}) {
  const { key } = options
  if (key === undefined) throw invalid('createSigner: `key` is required')
  if (typeof key === 'function') throw invalid('createSigner: key functions are not supported; resolve the key first')
  const header = { ...(options.header || {}) }
  if (options.typ !== undefined) header.typ = options.typ
  const signer = signerFor(key, {
    algorithm: options.algorithm,
    keyid: options.kid,
    header: Object.keys(header).length > 0 ? header : undefined
  })
  const fixed: any = {}
  if (options.aud !== undefined) fixed.aud = options.aud
  if (options.iss !== undefined) fixed.iss = options.iss
  if (options.sub !== undefined) fixed.sub = options.sub
  if (options.jti !== undefined) fixed.jti = options.jti
  if (options.nonce !== undefined) fixed.nonce = options.nonce
  const fixedNames = Object.keys(fixed)
  const fixedJson = fixedNames.length > 0 ? ',' + JSON.stringify(fixed).slice(1, -1) : ''
  const expiresIn = options.expiresIn !== undefined ? spanMs(options.expiresIn, 'expiresIn', 1) : undefined
  const notBefore = options.notBefore !== undefined ? spanMs(options.notBefore, 'notBefore', 1) : undefined
  const noTimestamp = options.noTimestamp === true
  const clock = options.clockTimestamp

  function claims (payload?: any) {
    if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
      throw invalid('The payload must be an object.')
    }
    payload = serialisedOnce(payload)
    for (const n of fixedNames) {
      if (payload[n] !== undefined) payload = { ...payload, [n]: undefined } // options win, as in fast-jwt
    }
    const nowMs = clock !== undefined ? clock : Date.now()
    const iat = payload.iat !== undefined ? payload.iat * 1000 : nowMs
    let extra = fixedJson
    if (!noTimestamp && payload.iat === undefined) extra += ',"iat":' + Math.floor(iat / 1000)
    if (expiresIn !== undefined && payload.exp === undefined) extra += ',"exp":' + Math.floor((iat + expiresIn) / 1000)
    if (notBefore !== undefined && payload.nbf === undefined) extra += ',"nbf":' + Math.floor((iat + notBefore) / 1000)
    const body = JSON.stringify(payload)
    if (extra === '') return body
    return body === '{}' ? '{' + extra.slice(1) + '}' : body.slice(0, -1) + extra + '}'
  }

  function signToken (payload?: any) {
    try {
      return signer.sign(claims(payload))
    } catch (e) {
      throw toJwtError(e)
    }
  }
  signToken.async = async function signTokenAsync (payload) {
    try {
      return await signer.signAsync(claims(payload))
    } catch (e) {
      throw toJwtError(e)
    }
  }
  return signToken
}

function deepFreeze (v?: any) {
  if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v)
    for (const k of Object.keys(v)) deepFreeze(v[k])
  }
  return v
}

/**
 * `strict.createVerifier(options)`: fast-jwt's option names with jwt-core's defaults
 * (`exp` required, `aud` checked); returns `verify(token) -> payload` (and
 * `verify.async(token)` on the libuv pool; with a remote JWK set the returned function
 * itself is async). `cache: true | size` keeps verified tokens (keyed by the whole token)
 * until `cacheTTL` ms, and never past the token's `exp` (nor past `iat + maxAge`).
 * Cached results are deeply frozen and shared.
 */
function strictCreateVerifier (options: any = {}) {
  const { key } = options
  if (key === undefined) throw invalid('createVerifier: `key` is required')
  if (typeof key === 'function') throw invalid('createVerifier: key functions are not supported; use a JWKSet or createRemoteJWKSet')
  const ms = (name) => options[name] !== undefined ? spanMs(options[name], name, 1) : undefined
  const tolerance = ms('clockTolerance')
  const maxAge = ms('maxAge')
  const rules = {
    algorithms: options.algorithms,
    issuer: options.allowedIss,
    audience: options.allowedAud,
    subject: options.allowedSub,
    jwtid: options.allowedJti,
    nonce: options.allowedNonce,
    typ: options.checkTyp,
    critical: options.critical,
    requiredClaims: options.requiredClaims,
    ignoreExpiration: options.ignoreExpiration,
    ignoreNotBefore: options.ignoreNotBefore,
    ignoreAudience: options.ignoreAudience,
    allowShortSecret: options.allowShortSecret,
    clockTolerance: tolerance !== undefined ? Math.floor(tolerance / 1000) : undefined,
    maxAge: maxAge !== undefined ? Math.floor(maxAge / 1000) : undefined
  }
  for (const k of Object.keys(rules)) if (rules[k] === undefined) delete rules[k]
  for (const n of ['subject', 'jwtid', 'nonce']) {
    if (Array.isArray(rules[n])) throw invalid(`createVerifier: allowed${n === 'subject' ? 'Sub' : n === 'jwtid' ? 'Jti' : 'Nonce'} must be one string`)
  }
  const complete = options.complete === true
  // clockTimestamp: a fixed time in ms, or (an extension) a function returning one.
  const clockOpt = options.clockTimestamp
  const clockFn = typeof clockOpt === 'function' ? clockOpt : null
  const fixedNow = clockFn === null && clockOpt !== undefined ? clockOpt / 1000 : undefined
  const nowMs = clockFn !== null ? clockFn : clockOpt !== undefined ? () => clockOpt : Date.now
  const nowSecondsFor = () => clockFn !== null ? clockFn() / 1000 : fixedNow
  const remote = key instanceof RemoteJWKSet ? key : null
  let native = remote ? null : verifierFor(key, rules)

  const cacheSize = options.cache === true ? 1000 : (typeof options.cache === 'number' ? options.cache : 0)
  const cacheTTL = options.cacheTTL !== undefined ? options.cacheTTL : 600_000
  const cache = cacheSize > 0 ? new Map() : null

  function remember (token?: any, value?: any) {
    const payload = complete ? value.payload : value
    const now = nowMs()
    let until = now + cacheTTL
    if (typeof payload.exp === 'number') until = Math.min(until, Math.floor(payload.exp) * 1000)
    if (maxAge !== undefined && typeof payload.iat === 'number') until = Math.min(until, payload.iat * 1000 + maxAge)
    if (until <= now) return value
    if (cache.size >= cacheSize) cache.delete(cache.keys().next().value)
    cache.set(token, { value: deepFreeze(value), until })
    return value
  }

  function lookup (token?: any) {
    const hit = cache.get(token)
    if (hit === undefined) return undefined
    if (nowMs() < hit.until) return hit.value
    cache.delete(token)
    return undefined
  }

  function verifyToken (token?: any) {
    checkToken(token)
    if (cache !== null) {
      const hit = lookup(token)
      if (hit !== undefined) return hit
    }
    let out
    try {
      const nowSeconds = nowSecondsFor()
      out = complete ? native.verifyComplete(token, nowSeconds) : native.verify(token, nowSeconds)
    } catch (e) {
      throw toJwtError(e, token)
    }
    const value = finish(out, token, complete)
    return cache !== null ? remember(token, value) : value
  }

  async function verifyTokenAsync (token?: any) {
    checkToken(token)
    if (cache !== null) {
      const hit = lookup(token)
      if (hit !== undefined) return hit
    }
    let value
    const nowSeconds = nowSecondsFor()
    if (remote) {
      value = await strictVerifyAsync(token, remote, { ...rules, complete, clockTimestamp: nowSeconds })
    } else {
      try {
        value = finish(await native.verifyAsync(token, nowSeconds, complete), token, complete)
      } catch (e) {
        throw toJwtError(e, token)
      }
    }
    return cache !== null ? remember(token, value) : value
  }

  if (remote) return verifyTokenAsync
  verifyToken.async = verifyTokenAsync
  return verifyToken
}

/** A fresh key: `{ privateJwk, publicJwk }` (for HMAC both are the same `oct` JWK). */
function generateKey (alg?: any) {
  try {
    const [priv, pub] = native.generateKey(alg)
    return { privateJwk: JSON.parse(priv), publicJwk: JSON.parse(pub) }
  } catch (e) {
    throw toJwtError(e)
  }
}

/** Every stable error code with its description. */
function errorCodes () {
  return native.errorCodes().map(([code, description]) => ({ code, description }))
}

// ---------------------------------------------------------------------------------------
// Encryption (JWE, RFC 7516): thin doors into jwt_core::jwe

const { JweEncrypter: NativeEncrypter, JweDecrypter: NativeDecrypter } = native

/** A key for JWE as JWK text: a JWK object, a KeyObject, or raw secret bytes / password. */
function jweJwk (key?: any) {
  if (key instanceof crypto.KeyObject) return JSON.stringify(key.export({ format: 'jwk' }))
  if (typeof key === 'string' || Buffer.isBuffer(key) || key instanceof Uint8Array) {
    const bytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : Buffer.from(key)
    return JSON.stringify({ kty: 'oct', k: bytes.toString('base64url') })
  }
  if (key && typeof key === 'object' && typeof key.kty === 'string') return JSON.stringify(key)
  throw jwtError('unsupported JWE key: pass a JWK object, KeyObject, Buffer or password string', 'invalid_key')
}

/**
 * `createEncrypter({ key, alg, enc, zip, kid, typ, cty, header, iterations })`: an
 * encrypter to `key` (a recipient's public JWK for ECDH-ES*, a secret for dir/A*KW/A*GCMKW,
 * a password for PBES2 with `iterations`), built once.
 */
function createEncrypter (options: any = {}) {
  const { key, enc } = options
  if (key === undefined) throw invalid('createEncrypter: `key` is required')
  if (typeof enc !== 'string') throw invalid('createEncrypter: `enc` is required')
  const header = { ...(options.header || {}) }
  if (options.zip === true || options.zip === 'DEF') header.zip = 'DEF'
  if (options.kid !== undefined) header.kid = options.kid
  if (options.typ !== undefined) header.typ = options.typ
  if (options.cty !== undefined) header.cty = options.cty
  const headerJson = Object.keys(header).length > 0 ? JSON.stringify(header) : undefined
  let inner
  try {
    const alg = options.alg
    if (typeof alg === 'string' && alg.startsWith('PBES2-') && !(key && typeof key === 'object' && key.kty)) {
      const pw = typeof key === 'string' ? Buffer.from(key, 'utf8') : Buffer.from(key)
      inner = NativeEncrypter.fromPassword(alg, pw, options.iterations ?? 600_000, enc, headerJson)
    } else {
      inner = NativeEncrypter.fromJwk(jweJwk(key), alg, enc, headerJson)
    }
  } catch (e) {
    throw toJwtError(e)
  }
  const wrap = (f) => {
    try {
      return f()
    } catch (e) {
      throw toJwtError(e)
    }
  }
  return {
    /** The protected header template. */
    get header () { return JSON.parse(inner.header) },
    /** Encrypt bytes (a string is UTF-8) into a compact JWE. */
    encrypt (payload?: any) {
      if (typeof payload !== 'string' && !(payload instanceof Uint8Array)) throw invalid('encrypt: payload must be a string or Buffer')
      return wrap(() => inner.encrypt(Buffer.from(payload)))
    },
    /**
     * Encrypt a claims object. With `{ signer: { key, algorithm, keyid } }`, a nested JWT
     * (signed, then encrypted with `cty: JWT`); without, an encrypted unsigned JWT.
     */
    encryptJwt (claims?: any, opts: any = {}) {
      if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) throw invalid('encryptJwt: claims must be an object')
      const json = JSON.stringify(claims)
      if (opts.signer === undefined) return wrap(() => inner.encryptClaims(json))
      const s = opts.signer
      const signer = signerFor(s.key, { algorithm: s.algorithm, keyid: s.keyid ?? s.kid, header: s.header })
      return wrap(() => inner.encryptSigned(signer, json))
    }
  }
}

/** A decrypter key entry: a JWK (object), or `{ key, alg }`. */
function decrypterKeys (options?: any) {
  const list = options.keys !== undefined ? options.keys : [options.key]
  if (!Array.isArray(list) || list.length === 0 || list[0] === undefined) throw invalid('createDecrypter: `key` or `keys` is required')
  const jwks = []
  const algs = []
  for (const entry of list) {
    const wrapped = entry && typeof entry === 'object' && entry.key !== undefined && entry.kty === undefined
    jwks.push(jweJwk(wrapped ? entry.key : entry))
    algs.push((wrapped ? entry.alg : undefined) ?? options.alg ?? null)
  }
  return { jwks, algs }
}

/**
 * `createDecrypter({ key | keys, alg, algorithms, encryptions, critical, allowPbes2,
 * maxTokenBytes, maxPlaintextBytes })`: private keys plus rules, built once. `allowPbes2`
 * is the largest `p2c` accepted (PBES2 is refused without it).
 */
function createDecrypter (options: any = {}) {
  const { jwks, algs } = decrypterKeys(options)
  const o: any = {}
  if (options.algorithms !== undefined) o.algorithms = stringList(options.algorithms, 'algorithms')
  if (options.encryptions !== undefined) o.encryptions = stringList(options.encryptions, 'encryptions')
  if (options.critical !== undefined) o.critical = stringList(options.critical, 'critical')
  if (options.allowPbes2 !== undefined) o.allowPbes2 = options.allowPbes2
  if (options.maxTokenBytes !== undefined) o.maxTokenBytes = options.maxTokenBytes
  if (options.maxPlaintextBytes !== undefined) o.maxPlaintextBytes = options.maxPlaintextBytes
  let inner
  try {
    inner = new NativeDecrypter(jwks, algs, o)
  } catch (e) {
    throw toJwtError(e)
  }
  const out = (d) => ({ header: JSON.parse(d.header), plaintext: d.plaintext })
  return {
    /** Decrypt a compact JWE: `{ header, plaintext: Buffer }`. */
    decrypt (token?: any) {
      if (typeof token !== 'string') throw jwtError('jwe must be a string', 'malformed_token')
      try {
        return out(inner.decrypt(token))
      } catch (e) {
        throw toJwtError(e)
      }
    },
    /** Decrypt a JSON JWE (flattened or general; object or text). */
    decryptJson (doc?: any) {
      try {
        return out(inner.decryptJson(typeof doc === 'string' ? doc : JSON.stringify(doc)))
      } catch (e) {
        throw toJwtError(e)
      }
    },
    /**
     * Decrypt a nested JWT and verify the inner JWS with `verifyOptions` (jsonwebtoken's
     * verify options plus `key`): returns the claims, or `{ header, payload }` with
     * `complete: true`.
     */
    decryptJwt (token?: any, verifyOptions: any = {}) {
      if (typeof token !== 'string') throw jwtError('jwe must be a string', 'malformed_token')
      const { key, ...rules } = verifyOptions
      if (key === undefined) throw invalid('decryptJwt: `key` (the signer\'s verification key) is required')
      const v = verifierFor(key, rules)
      let text
      try {
        text = inner.decryptJwt(token, v, clockSeconds(rules))
      } catch (e) {
        throw toJwtError(e)
      }
      const [header, payload] = JSON.parse(text)
      return rules.complete === true ? { header, payload } : payload
    }
  }
}

/** A fresh JWE key: `{ privateJwk, publicJwk }` (the same JWK for secret keys). */
function generateJweKey (alg?: any, options: any = {}) {
  try {
    const [priv, pub] = native.generateJweKey(alg, options.enc, options.crv)
    return { privateJwk: JSON.parse(priv), publicJwk: JSON.parse(pub) }
  } catch (e) {
    throw toJwtError(e)
  }
}

/** jsonwebtoken's option names with jwt-core's own (stricter) defaults. */
const strict = Object.freeze({
  sign: strictSign,
  signAsync: strictSignAsync,
  verify: strictVerify,
  verifyAsync: strictVerifyAsync,
  createSigner: strictCreateSigner,
  createVerifier: strictCreateVerifier
})

export {
  strict,
  sign,
  signAsync,
  verify,
  verifyAsync,
  decode,
  createSigner,
  createVerifier,
  createDecoder,
  TokenError,
  TOKEN_ERROR_CODES,
  createLocalJWKSet,
  createRemoteJWKSet,
  JWKSet,
  RemoteJWKSet,
  NativeKeySet as KeySet,
  generateKey,
  errorCodes,
  createEncrypter,
  createDecrypter,
  generateJweKey,
  JsonWebTokenError,
  TokenExpiredError,
  NotBeforeError
}
