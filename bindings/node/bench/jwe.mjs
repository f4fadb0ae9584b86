// JWE benchmark: @jwt-core/node vs jose, in one process on the same keys and payload.
//
//   node bench/jwe.mjs [--time MS] [--rounds N] [--docs ../../docs/performance.md]
//
// Compact encrypt and decrypt of a ~100-byte claims set for dir+A256GCM,
// ECDH-ES+A256KW (P-256)+A256GCM and A256KW+A256CBC-HS512. Prints µs/op (best of N
// interleaved rounds) and ratios (jose time / ours: above 1 means we are faster). With
// --docs, rewrites the section between `<!-- node-jwe:begin -->` and
// `<!-- node-jwe:end -->` of the given file. A measurement, not a test.
import { readFileSync } from 'node:fs'
import os from 'node:os'

import * as jose from 'jose'
import { createEncrypter, createDecrypter, generateJweKey } from '../jwt.mjs'
import { cli, measure as measureCall, writeSection } from './harness.mjs'

const { budgetMs, rounds, docs } = cli()
const measure = (fn, isAsync) => measureCall(fn, isAsync, budgetMs, 4)

const payload = Buffer.from(JSON.stringify({ sub: 'user-42', role: 'admin', scope: 'read write', iss: 'https://issuer.example', exp: 2000000000 }))

async function setup (name, alg, enc, opts) {
  const k = generateJweKey(alg, opts)
  const oursEnc = createEncrypter({ key: k.publicJwk, enc })
  const oursDec = createDecrypter({ key: k.privateJwk })
  let jEnc, jDec
  if (k.privateJwk.kty === 'oct') {
    jEnc = jDec = new Uint8Array(Buffer.from(k.privateJwk.k, 'base64url'))
  } else {
    const strip = ({ alg: _a, kid: _k, use: _u, key_ops: _o, ...rest }) => rest
    jEnc = await jose.importJWK(strip(k.publicJwk), alg)
    jDec = await jose.importJWK(strip(k.privateJwk), alg)
  }
  const token = oursEnc.encrypt(payload)
  const joseEncrypt = () => new jose.CompactEncrypt(payload).setProtectedHeader({ alg, enc }).encrypt(jEnc)
  const joseToken = await joseEncrypt()
  return {
    name,
    encrypt: { ours: [() => oursEnc.encrypt(payload), false], jose: [joseEncrypt, true] },
    decrypt: { ours: [() => oursDec.decrypt(joseToken), false], jose: [() => jose.compactDecrypt(token, jDec), true] }
  }
}

const cases = [
  await setup('dir + A256GCM', 'dir', 'A256GCM', { enc: 'A256GCM' }),
  await setup('ECDH-ES+A256KW (P-256) + A256GCM', 'ECDH-ES+A256KW', 'A256GCM', { crv: 'P-256' }),
  await setup('A256KW + A256CBC-HS512', 'A256KW', 'A256CBC-HS512', {})
]

const results = []
for (const c of cases) {
  for (const op of ['encrypt', 'decrypt']) {
    const best = { ours: Infinity, jose: Infinity }
    for (let r = 0; r < rounds; r++) {
      for (const lib of ['ours', 'jose']) {
        const [fn, isAsync] = c[op][lib]
        best[lib] = Math.min(best[lib], await measure(fn, isAsync))
      }
    }
    const row = { pair: c.name, op, ours: best.ours, jose: best.jose, ratio: best.jose / best.ours }
    results.push(row)
    console.log(`${row.pair.padEnd(34)} ${op.padEnd(8)} jwt-core ${row.ours.toFixed(2).padStart(8)} µs   jose ${row.jose.toFixed(2).padStart(8)} µs   x${row.ratio.toFixed(2)}`)
  }
}

if (docs) {
  const [load1] = os.loadavg()
  const lines = [
    `Node ${process.version}, jose ${JSON.parse(readFileSync(new URL('../node_modules/jose/package.json', import.meta.url))).version}, ${os.cpus().length} CPUs (load average ${load1.toFixed(1)} when measured), ` +
      `best of ${rounds} interleaved rounds; \`cargo xtask bench --only node\` (bench/jwe.mjs). ` +
      'Compact JWE, ~110-byte payload; jose calls are awaited (its API is async). Ratio = jose time / jwt-core time.',
    '',
    '| pair | op | jwt-core µs | jose µs | ratio |',
    '| --- | --- | ---: | ---: | ---: |',
    ...results.map((r) => `| ${r.pair} | ${r.op} | ${r.ours.toFixed(2)} | ${r.jose.toFixed(2)} | ${r.ratio.toFixed(2)}x |`)
  ]
  writeSection(docs, 'node-jwe', lines, '## Node: JWE (@jwt-core/node vs jose)\n\n')
  console.log(`\nwrote the JWE section of ${docs}`)
}
