// Type-checked (tsc --noEmit) usage of the public declarations; never run.
import crypto from 'node:crypto'
import jwt, {
  sign, verify, verifyAsync, decode, createSigner, createVerifier, createDecoder, TokenError, TOKEN_ERROR_CODES, createLocalJWKSet,
  createRemoteJWKSet, KeySet, JsonWebTokenError, TokenExpiredError, NotBeforeError,
  type JwtPayload, type Jwt, type ErrorCode
} from '../../jwt.mjs'

const token: string = sign({ sub: 'u' }, 'secret', { algorithm: 'HS256', expiresIn: '1h', audience: ['a'] })
const payload: JwtPayload = verify(token, 'secret', { algorithms: ['HS256'], audience: 'a' })
const full: Jwt = verify(token, Buffer.from('secret'), { complete: true })
const maybe: JwtPayload | null = decode(token)
const sub: string | undefined = payload.sub
void full.header.alg
void maybe
void sub

sign({ a: 1 }, crypto.createSecretKey(Buffer.alloc(32)), (err, t) => {
  if (err) { const c: ErrorCode = err.code; void c } else { const s: string | undefined = t; void s }
})
verify(token, { kty: 'oct', k: 'AAAA' }, {}, (err, decoded) => { void err; void decoded })

async function main (): Promise<void> {
  const p: JwtPayload = await verifyAsync(token, 'secret')
  const c: Jwt = await verifyAsync(token, 'secret', { complete: true })
  void p
  void c
  const signer = jwt.strict.createSigner({ key: 'k', expiresIn: 60_000, iss: 'me' })
  const t2: string = signer({ a: 1 })
  const t3: string = await signer.async({ a: 1 })
  const verifier = jwt.strict.createVerifier({ key: 'k', cache: true, allowedAud: 'api' })
  const v: JwtPayload = verifier(t2)
  const va: JwtPayload = await verifier.async(t3)
  void v
  void va
  const remote = createRemoteJWKSet('https://issuer.example/jwks.json', { cooldownDuration: 30_000 })
  const rv: (t: string) => Promise<JwtPayload> = jwt.strict.createVerifier({ key: remote })
  void rv
  // fast-jwt 6's API
  const fsign = createSigner({ key: 'secret', expiresIn: '2 days', aud: ['a'] })
  const ft: string = fsign({ a: 1 })
  const fasync: Promise<string> = createSigner({ key: async () => 'secret' })({ a: 1 })
  const fverify = createVerifier({ key: 'secret', allowedAud: [/^a/, 'b'], cache: true, errorCacheTTL: (e) => e.code === TOKEN_ERROR_CODES.invalidKey ? 1000 : 2000 })
  const fp: any = fverify(ft)
  const cacheSize: number | undefined = fverify.cache?.size
  const fv: Promise<any> = createVerifier({ key: (decoded, cb) => cb(null, Buffer.from('secret')) })(ft)
  createVerifier({ key: remote })(ft, (err, payload) => { void err; void payload })
  const decoded: any = createDecoder({ complete: true })(ft)
  try {
    fverify('x')
  } catch (e) {
    if (e instanceof TokenError && e.code === TokenError.codes.expired) { const c: string | undefined = e.coreCode; void c }
  }
  void fasync; void fp; void cacheSize; void fv; void decoded
  const set = new KeySet()
  set.addSecret('HS256', Buffer.alloc(32), 'kid', false)
  const size: number = set.size
  void size
  const local = createLocalJWKSet({ keys: [{ kty: 'EC', crv: 'P-256', x: '', y: '' }] })
  verify(token, local)
  try {
    verify(token, 'k')
  } catch (e) {
    if (e instanceof TokenExpiredError) { const d: Date = e.expiredAt; void d }
    if (e instanceof NotBeforeError) { const d: Date = e.date; void d }
    if (e instanceof JsonWebTokenError) { const c: string = e.code; void c }
  }
  jwt.sign({}, 'k')
}
void main

// @ts-expect-error an unknown algorithm is a type error
sign({}, 'k', { algorithm: 'none' })
// @ts-expect-error the key is required
jwt.strict.createVerifier({})

// JWE
import { createEncrypter, createDecrypter, generateJweKey, type DecryptResult } from '../../jwt.mjs'
const jweKey = generateJweKey('ECDH-ES+A256KW', { crv: 'X25519' })
const jwe: string = createEncrypter({ key: jweKey.publicJwk, enc: 'A256GCM', zip: true }).encrypt('hi')
const opened: DecryptResult = createDecrypter({ key: jweKey.privateJwk, allowPbes2: 10000 }).decrypt(jwe)
const nested: JwtPayload = createDecrypter({ keys: [jweKey.privateJwk] }).decryptJwt(jwe, { key: 'secret', algorithms: ['HS256'] })
void opened.plaintext.length
void nested
void jwt.createEncrypter
