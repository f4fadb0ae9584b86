// ESM entry point of @jwt-core/node: the CommonJS implementation's exports, by name and as
// the default export (the module object, as `require` returns it).
import jwt from './jwt.cjs'

export * from './jwt.cjs'
export default jwt
