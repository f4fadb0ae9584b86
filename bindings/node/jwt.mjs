// ESM entry point of @jwt-core/node: the same implementation as the CommonJS one.
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const jwt = require('./jwt.cjs')

export const {
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
  KeySet,
  generateKey,
  errorCodes,
  createEncrypter,
  createDecrypter,
  generateJweKey,
  JsonWebTokenError,
  TokenExpiredError,
  NotBeforeError
} = jwt
export default jwt
