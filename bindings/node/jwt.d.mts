// Types of @jwt-core/node's public API (the native layer's own types are the generated
// index.d.ts). Names and options follow jsonwebtoken and fast-jwt; see docs/node.md.
/// <reference types="node" />
import type { KeyObject } from 'node:crypto'
import { KeySet } from './index.js'

/** The native key-set builder (generated declarations in index.d.ts). */
export { KeySet }

/** A JSON Web Key as a plain object. */
export interface JWK {
  kty: string
  alg?: string
  kid?: string
  use?: string
  key_ops?: string[]
  crv?: string
  [member: string]: unknown
}

export type Algorithm =
  | 'HS256' | 'HS384' | 'HS512'
  | 'RS256' | 'RS384' | 'RS512'
  | 'PS256' | 'PS384' | 'PS512'
  | 'ES256' | 'ES384' | 'ES512' | 'ES256K'
  | 'EdDSA'

/** The stable error codes of jwt-core (plus `jwks_fetch_failed` from this package). */
export type ErrorCode =
  | 'input_too_large' | 'malformed_token' | 'duplicate_member' | 'unsupported_algorithm'
  | 'algorithm_not_allowed' | 'invalid_header' | 'unsupported_critical_header'
  | 'invalid_type' | 'invalid_signature' | 'key_not_found' | 'invalid_key'
  | 'key_algorithm_mismatch' | 'weak_key' | 'key_usage_not_allowed' | 'token_expired'
  | 'token_not_yet_valid' | 'token_issued_in_future' | 'token_too_old' | 'invalid_issuer'
  | 'invalid_audience' | 'invalid_subject' | 'missing_claim' | 'invalid_claim'
  | 'claim_rejected' | 'claims_shape' | 'invalid_argument' | 'serialization_failed'
  | 'crypto_failure' | 'decryption_failed' | 'unsupported_encryption' | 'jwks_fetch_failed'
  | (string & {})

export type Secret = string | Buffer | Uint8Array | KeyObject | JWK | { key: string | Buffer, passphrase: string }
export type VerifyKey = Secret | JWKSet | RemoteJWKSet | KeySet
/** jsonwebtoken's key function: `getKey(header, callback)` (callback form of `verify` only). */
export type GetPublicKeyOrSecret = (header: JwtHeader, callback: (error: Error | null, key?: Secret) => void) => void

export interface JwtHeader {
  alg: Algorithm
  typ?: string
  cty?: string
  kid?: string
  crit?: string[]
  [member: string]: unknown
}

export interface JwtPayload {
  iss?: string
  sub?: string
  aud?: string | string[]
  exp?: number
  nbf?: number
  iat?: number
  jti?: string
  [claim: string]: unknown
}

export interface Jwt {
  header: JwtHeader
  payload: JwtPayload
  signature: string
}

/** Time span: a number (seconds for sign/verify, milliseconds for the factories) or "2h", "7d". */
export type Span = number | string

export interface SignOptions {
  algorithm?: Algorithm
  keyid?: string
  expiresIn?: Span
  notBefore?: Span
  audience?: string | string[]
  issuer?: string
  subject?: string
  jwtid?: string
  noTimestamp?: boolean
  header?: Partial<JwtHeader>
}

export interface VerifyOptions {
  algorithms?: Algorithm[]
  audience?: string | string[]
  issuer?: string | string[]
  subject?: string
  jwtid?: string
  nonce?: string
  clockTolerance?: number
  clockTimestamp?: number
  maxAge?: Span
  complete?: boolean
  ignoreExpiration?: boolean
  ignoreNotBefore?: boolean
  /** Do not check `aud` at all (jwt-core rejects an unexpected `aud` by default). */
  ignoreAudience?: boolean
  /** Claims that must be present (default `["exp"]`). */
  requiredClaims?: string[]
  /** Claims that must equal these values exactly. */
  claims?: Record<string, unknown>
  /** Require this `typ` header (case-insensitive). */
  typ?: string
  /** `crit` header extensions understood (e.g. `b64`). */
  critical?: string[]
  /** Accept HMAC secrets shorter than the hash output (verification of legacy tokens only). */
  allowShortSecret?: boolean
}

export interface DecodeOptions {
  complete?: boolean
  json?: boolean
}

export type SignCallback = (error: JsonWebTokenError | null, token?: string) => void
export type VerifyCallback<T = JwtPayload | Jwt> = (error: JsonWebTokenError | null, decoded?: T) => void

export function sign (payload: object | string | Buffer, key: Secret, callback: SignCallback): void
export function sign (payload: object | string | Buffer, key: Secret, options: SignOptions, callback: SignCallback): void
export function sign (payload: object | string | Buffer, key: Secret, options?: SignOptions): string
export function signAsync (payload: object | string | Buffer, key: Secret, options?: SignOptions): Promise<string>

export function verify (token: string, key: VerifyKey | GetPublicKeyOrSecret, callback: VerifyCallback<JwtPayload>): void
export function verify (token: string, key: VerifyKey | GetPublicKeyOrSecret, options: VerifyOptions, callback: VerifyCallback): void
export function verify (token: string, key: VerifyKey, options: VerifyOptions & { complete: true }): Jwt
export function verify (token: string, key: VerifyKey, options?: VerifyOptions): JwtPayload
export function verifyAsync (token: string, key: VerifyKey, options: VerifyOptions & { complete: true }): Promise<Jwt>
export function verifyAsync (token: string, key: VerifyKey, options?: VerifyOptions): Promise<JwtPayload>

export function decode (token: string, options: DecodeOptions & { complete: true }): Jwt | null
export function decode (token: string, options?: DecodeOptions): JwtPayload | null

// ---------------------------------------------------------------------------------------
// fast-jwt 6 (createSigner / createVerifier / createDecoder, TokenError): its names.

export declare const TOKEN_ERROR_CODES: {
  readonly invalidType: 'FAST_JWT_INVALID_TYPE'
  readonly invalidOption: 'FAST_JWT_INVALID_OPTION'
  readonly invalidAlgorithm: 'FAST_JWT_INVALID_ALGORITHM'
  readonly invalidClaimType: 'FAST_JWT_INVALID_CLAIM_TYPE'
  readonly invalidClaimValue: 'FAST_JWT_INVALID_CLAIM_VALUE'
  readonly invalidKey: 'FAST_JWT_INVALID_KEY'
  readonly invalidSignature: 'FAST_JWT_INVALID_SIGNATURE'
  readonly invalidPayload: 'FAST_JWT_INVALID_PAYLOAD'
  readonly malformed: 'FAST_JWT_MALFORMED'
  readonly inactive: 'FAST_JWT_INACTIVE'
  readonly expired: 'FAST_JWT_EXPIRED'
  readonly missingKey: 'FAST_JWT_MISSING_KEY'
  readonly keyFetchingError: 'FAST_JWT_KEY_FETCHING_ERROR'
  readonly signError: 'FAST_JWT_SIGN_ERROR'
  readonly verifyError: 'FAST_JWT_VERIFY_ERROR'
  readonly missingRequiredClaim: 'FAST_JWT_MISSING_REQUIRED_CLAIM'
  readonly missingSignature: 'FAST_JWT_MISSING_SIGNATURE'
  readonly invalidCritHeader: 'FAST_JWT_INVALID_CRIT_HEADER'
}
export type TokenValidationErrorCode = typeof TOKEN_ERROR_CODES[keyof typeof TOKEN_ERROR_CODES]

/** fast-jwt's error class; `coreCode` is jwt-core's code when the core refused the token. */
export class TokenError extends Error {
  constructor (code: TokenValidationErrorCode, message?: string, additional?: { [key: string]: any })
  static wrap (originalError: Error, code: TokenValidationErrorCode, message: string): TokenError
  static codes: typeof TOKEN_ERROR_CODES
  code: TokenValidationErrorCode
  readonly coreCode?: ErrorCode
  [key: string]: any
}

/** fast-jwt's algorithm names (plus `ES256K`). */
export type FastAlgorithm = Algorithm | 'none'
export type Bufferable = string | Buffer
export interface PrivateKey {
  key: Bufferable
  passphrase: string | undefined
}
export interface DecodedJwt {
  header: Record<string, any>
  payload: any
  signature: string
  input: string
}
export type SignerCallback = (e: Error | TokenError | null, token: string) => void
export type VerifierCallback = (e: Error | TokenError | null, payload: any) => void
/** A key function: a promise, or a Node-style callback. */
export type KeyFetcher<K = Bufferable | KeyObject | JWK> =
  | ((decoded: DecodedJwt) => Promise<K>)
  | ((decoded: DecodedJwt, cb: (err: Error | TokenError | null, key: K) => void) => void)

export interface SignerOptions {
  algorithm?: FastAlgorithm
  mutatePayload?: boolean
  /** Milliseconds, or a span such as "2 days". */
  expiresIn?: number | string
  notBefore?: number | string
  jti?: string
  aud?: string | string[]
  iss?: string
  sub?: string
  nonce?: string
  kid?: string
  typ?: string
  header?: Partial<JwtHeader>
  noTimestamp?: boolean
  /** Milliseconds since the epoch. */
  clockTimestamp?: number
}

export interface DecoderOptions {
  complete?: boolean
  checkTyp?: string
}

export type VerifierAllowed = string | RegExp | Array<string | RegExp>

export interface VerifierOptions {
  algorithms?: FastAlgorithm[]
  complete?: boolean
  /** `true` (1000 entries) or a size. */
  cache?: boolean | number
  /** Milliseconds (default 600000). */
  cacheTTL?: number
  /** Milliseconds an error stays cached (default -1: not cached), or a function of the error. */
  errorCacheTTL?: number | ((tokenError: TokenError) => number)
  allowedJti?: VerifierAllowed
  allowedAud?: VerifierAllowed
  allowedIss?: VerifierAllowed
  allowedSub?: VerifierAllowed
  allowedNonce?: VerifierAllowed
  ignoreExpiration?: boolean
  ignoreNotBefore?: boolean
  /** Milliseconds. */
  maxAge?: number
  /** Milliseconds since the epoch. */
  clockTimestamp?: number
  /** Milliseconds. */
  clockTolerance?: number
  requiredClaims?: string[]
  checkTyp?: string
  allowedCritHeaders?: string[]
  cacheKeyBuilder?: (token: string) => string
}

/** fast-jwt's `verifier.cache`: entries are `[result, validFromMs, validUntilMs]`. */
export interface VerifierCache {
  readonly size: number
  readonly capacity: number
  get (key: string): [any, number, number] | undefined
  peek (key: string): [any, number, number] | undefined
  has (key: string): boolean
  set (key: string, value: [any, number, number]): this
  clear (): void
  keys (): IterableIterator<string>
  values (): IterableIterator<[any, number, number]>
  entries (): IterableIterator<[string, [any, number, number]]>
}

export interface SignerSync<T = Record<string, any>> { (payload: T): string }
export interface SignerAsync<T = Record<string, any>> {
  (payload: T): Promise<string>
  (payload: T, cb: SignerCallback): void
}
export interface VerifierSync { (token: Bufferable): any, cache: VerifierCache | null }
export interface VerifierAsync {
  (token: Bufferable): Promise<any>
  (token: Bufferable, cb: VerifierCallback): void
  cache: VerifierCache | null
}

/** A verification key: fast-jwt's string or Buffer, or a KeyObject, a JWK, a key set. */
export type FastVerifyKey = Bufferable | KeyObject | JWK | JWKSet | KeySet

export function createSigner<T = Record<string, any>> (options: SignerOptions & { key: KeyFetcher }): SignerAsync<T>
export function createSigner<T = Record<string, any>> (options: SignerOptions & { key?: Bufferable | PrivateKey | KeyObject | JWK }): SignerSync<T>
export function createVerifier (options: VerifierOptions & { key: KeyFetcher | RemoteJWKSet }): VerifierAsync
export function createVerifier (options: VerifierOptions & { key: FastVerifyKey }): VerifierSync
export function createDecoder (options?: DecoderOptions): (token: Bufferable) => any

// ---------------------------------------------------------------------------------------
// strict.createSigner / strict.createVerifier: fast-jwt's option names, jwt-core's rules.

export interface StrictSignerOptions {
  key: Secret
  algorithm?: Algorithm
  kid?: string
  typ?: string
  header?: Partial<JwtHeader>
  /** Milliseconds, or a span string. */
  expiresIn?: Span
  notBefore?: Span
  aud?: string | string[]
  iss?: string
  sub?: string
  jti?: string
  nonce?: string
  noTimestamp?: boolean
  /** Milliseconds since the epoch, replacing the clock. */
  clockTimestamp?: number
}

export interface StrictSignerFunction {
  (payload: object): string
  async (payload: object): Promise<string>
}

export interface StrictVerifierOptions {
  key: VerifyKey
  algorithms?: Algorithm[]
  complete?: boolean
  /** `true` (1000 entries) or a size: verified tokens are kept, never past their `exp`. */
  cache?: boolean | number
  /** Milliseconds a verified token stays cached (default 600000). */
  cacheTTL?: number
  allowedIss?: string | string[]
  allowedAud?: string | string[]
  allowedSub?: string
  allowedJti?: string
  allowedNonce?: string
  checkTyp?: string
  critical?: string[]
  requiredClaims?: string[]
  ignoreExpiration?: boolean
  ignoreNotBefore?: boolean
  ignoreAudience?: boolean
  allowShortSecret?: boolean
  /** Milliseconds. */
  clockTolerance?: Span
  /** Milliseconds. */
  maxAge?: Span
  /** Milliseconds since the epoch replacing the clock, or a function returning them. */
  clockTimestamp?: number | (() => number)
}

export interface StrictVerifierFunction<T> {
  (token: string): T
  async (token: string): Promise<T>
}

declare function strictCreateSigner (options: StrictSignerOptions): StrictSignerFunction
declare function strictCreateVerifier (options: StrictVerifierOptions & { key: RemoteJWKSet, complete: true }): (token: string) => Promise<Jwt>
declare function strictCreateVerifier (options: StrictVerifierOptions & { key: RemoteJWKSet }): (token: string) => Promise<JwtPayload>
declare function strictCreateVerifier (options: StrictVerifierOptions & { complete: true }): StrictVerifierFunction<Jwt>
declare function strictCreateVerifier (options: StrictVerifierOptions): StrictVerifierFunction<JwtPayload>

export interface JWKSetOptions {
  /** Algorithms a member without `alg` may be used with (default: every asymmetric one its type fits). */
  algorithms?: Algorithm[]
}

export class JWKSet {
  constructor (jwks: { keys: JWK[] } | string, options?: JWKSetOptions)
  readonly size: number
  toJSON (): { keys: JWK[] }
}

export interface RemoteJWKSetOptions extends JWKSetOptions {
  /** Milliseconds a fetched set is used before refetching (default 600000). */
  cacheMaxAge?: number
  /** Minimum milliseconds between fetches triggered by an unknown `kid` (default 30000). */
  cooldownDuration?: number
  /** Milliseconds before a fetch is abandoned (default 5000). */
  timeoutDuration?: number
  /** Milliseconds without fetches after a failed one, doubling per failure up to 5 min (default 1000). */
  backoffDuration?: number
  /** Milliseconds past `cacheMaxAge` the last good set is still used while fetches fail (default 24 h; negative: without end). */
  maxStale?: number
  headers?: Record<string, string>
  /** Permit `http:` URLs (tests, internal networks). */
  allowHttp?: boolean
  fetch?: typeof globalThis.fetch
  /** The refresh policy's clock in milliseconds (default `Date.now`; tests pass their own). */
  now?: () => number
}

export class RemoteJWKSet {
  constructor (url: string | URL, options?: RemoteJWKSetOptions)
  readonly url: URL
  readonly fresh: boolean
  getKeySet (force?: boolean): Promise<JWKSet>
  reload (): Promise<JWKSet>
}

export function createLocalJWKSet (jwks: { keys: JWK[] } | string, options?: JWKSetOptions): JWKSet
export function createRemoteJWKSet (url: string | URL, options?: RemoteJWKSetOptions): RemoteJWKSet

export function generateKey (alg: Algorithm): { privateJwk: JWK, publicJwk: JWK }
export function errorCodes (): Array<{ code: ErrorCode, description: string }>

// ---------------------------------------------------------------------------------------
// JWE (RFC 7516)

export type KeyManagementAlgorithm =
  | 'dir' | 'A128KW' | 'A192KW' | 'A256KW' | 'A128GCMKW' | 'A192GCMKW' | 'A256GCMKW'
  | 'ECDH-ES' | 'ECDH-ES+A128KW' | 'ECDH-ES+A192KW' | 'ECDH-ES+A256KW'
  | 'PBES2-HS256+A128KW' | 'PBES2-HS384+A192KW' | 'PBES2-HS512+A256KW'
export type ContentEncryption =
  | 'A128GCM' | 'A192GCM' | 'A256GCM' | 'A128CBC-HS256' | 'A192CBC-HS384' | 'A256CBC-HS512'
export type EcdhCurve = 'P-256' | 'P-384' | 'P-521' | 'X25519'

/** A JWE key: a JWK, a KeyObject, raw secret bytes, or (PBES2) a password. */
export type JweKey = JWK | KeyObject | Buffer | Uint8Array | string

export interface JweHeader {
  alg: KeyManagementAlgorithm
  enc: ContentEncryption
  zip?: 'DEF'
  kid?: string
  typ?: string
  cty?: string
  [member: string]: unknown
}

export interface EncrypterOptions {
  key: JweKey
  /** Needed when the key (a JWK without `alg`, bytes, a password) does not say it. */
  alg?: KeyManagementAlgorithm
  enc: ContentEncryption
  zip?: boolean | 'DEF'
  kid?: string
  typ?: string
  cty?: string
  /** Extra protected header members. */
  header?: Record<string, unknown>
  /** PBES2 `p2c` (default 600000, at least 1000). */
  iterations?: number
}

export interface NestedSigner {
  key: Secret
  algorithm?: Algorithm
  keyid?: string
  kid?: string
  header?: Record<string, unknown>
}

export interface Encrypter {
  readonly header: JweHeader
  encrypt (payload: string | Buffer | Uint8Array): string
  /** Encrypted claims; with `signer`, a nested JWT (signed, then encrypted, `cty: JWT`). */
  encryptJwt (claims: JwtPayload, options?: { signer?: NestedSigner }): string
}

export interface DecrypterOptions {
  key?: JweKey
  keys?: Array<JWK | { key: JweKey, alg?: KeyManagementAlgorithm }>
  alg?: KeyManagementAlgorithm
  algorithms?: KeyManagementAlgorithm[]
  encryptions?: ContentEncryption[]
  critical?: string[]
  /** Enable PBES2 with this largest accepted `p2c`. */
  allowPbes2?: number
  maxTokenBytes?: number
  maxPlaintextBytes?: number
}

export interface DecryptResult {
  header: JweHeader
  plaintext: Buffer
}

export interface Decrypter {
  decrypt (token: string): DecryptResult
  decryptJson (doc: string | object): DecryptResult
  decryptJwt (token: string, options: VerifyOptions & { key: VerifyKey, complete: true }): { header: JwtHeader, payload: JwtPayload }
  decryptJwt (token: string, options: VerifyOptions & { key: VerifyKey }): JwtPayload
}

export function createEncrypter (options: EncrypterOptions): Encrypter
export function createDecrypter (options: DecrypterOptions): Decrypter
export function generateJweKey (alg: KeyManagementAlgorithm, options?: { enc?: ContentEncryption, crv?: EcdhCurve }): { privateJwk: JWK, publicJwk: JWK }

export class JsonWebTokenError extends Error {
  constructor (message: string, code?: ErrorCode, inner?: unknown)
  /** jwt-core's stable error code. */
  code: ErrorCode
  inner?: unknown
}
export class TokenExpiredError extends JsonWebTokenError {
  constructor (message: string, expiredAt: Date)
  code: 'token_expired'
  expiredAt: Date
}
export class NotBeforeError extends JsonWebTokenError {
  constructor (message: string, date: Date)
  code: 'token_not_yet_valid'
  date: Date
}

/**
 * jsonwebtoken's (and, for the factories, fast-jwt's) option names with jwt-core's own
 * defaults: `exp` required, an unexpected `aud` rejected, `iat` not in the future, HMAC
 * secrets at least as long as the hash, the algorithm inferred from the key.
 */
export declare const strict: {
  sign: typeof sign
  signAsync: typeof signAsync
  verify: typeof verify
  verifyAsync: typeof verifyAsync
  createSigner: typeof strictCreateSigner
  createVerifier: typeof strictCreateVerifier
}

declare const jwt: {
  strict: typeof strict
  sign: typeof sign
  signAsync: typeof signAsync
  verify: typeof verify
  verifyAsync: typeof verifyAsync
  decode: typeof decode
  createSigner: typeof createSigner
  createVerifier: typeof createVerifier
  createDecoder: typeof createDecoder
  TokenError: typeof TokenError
  TOKEN_ERROR_CODES: typeof TOKEN_ERROR_CODES
  createLocalJWKSet: typeof createLocalJWKSet
  createRemoteJWKSet: typeof createRemoteJWKSet
  JWKSet: typeof JWKSet
  RemoteJWKSet: typeof RemoteJWKSet
  KeySet: typeof KeySet
  generateKey: typeof generateKey
  errorCodes: typeof errorCodes
  createEncrypter: typeof createEncrypter
  createDecrypter: typeof createDecrypter
  generateJweKey: typeof generateJweKey
  JsonWebTokenError: typeof JsonWebTokenError
  TokenExpiredError: typeof TokenExpiredError
  NotBeforeError: typeof NotBeforeError
}
export default jwt
