// A first @jwt-core/node program: make a key, sign a token, verify it, see a typed
// rejection. `cargo xtask test --only smoke` installs the npm tarball into an empty
// project (no Rust on PATH) and runs this file; it checks the printed lines.
import jwt from '@jwt-core/node'

const { privateJwk, publicJwk } = jwt.generateKey('ES256')
const token = jwt.sign({ sub: 'newcomer' }, privateJwk, { algorithm: 'ES256', expiresIn: '5m' })

const claims = jwt.verify(token, publicJwk)
console.log(`node: verified sub=${claims.sub}`)

// Another key's public half refuses the token.
const other = jwt.generateKey('ES256')
try {
  jwt.verify(token, other.publicJwk)
} catch (e) {
  // Every failure carries jwt-core's stable code.
  console.log(`node: rejected ${e.code}`)
}
