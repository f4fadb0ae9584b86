// Runs auth0 jsonwebtoken 9.0.2's own mocha suite against @jwt-core/node, one
// `mocha test/<file>` per file, and enforces the expected-failures list both ways.
//
//   node test/peer/jsonwebtoken.mjs <suite dir> <scratch dir> <expected-failures file>
//
// The scratch folder (made by `cargo xtask test --only node`) holds `index.js`
// (= require('@jwt-core/node')), `lib/` (our error classes plus symlinks to the suite's
// helpers), `test` (a symlink to the suite's tests) and node_modules (the packed tarball,
// mocha, chai, sinon, ...). The suite is never copied into the project.
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const [suite, scratch, expectedFile] = process.argv.slice(2)
const SKIPPED_FILES = new Set([
  'test-utils.js', // helpers, not tests
  'validateAsymmetricKey.tests.js' // tests a jsonwebtoken internal
])

/** `file :: full title :: reason` lines; `#` comments and blank lines ignored. */
function readExpected (path) {
  const out = new Map()
  for (const raw of readFileSync(path, 'utf8').split('\n')) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    const parts = line.split(' :: ')
    if (parts.length < 3 || parts[2].trim() === '') throw new Error(`${path}: want "file :: title :: reason": ${line}`)
    out.set(parts[0] + ' :: ' + parts[1], parts.slice(2).join(' :: '))
  }
  return out
}

/** Run one file; `{ passes: [titles], failures: [{ title, message }] }`. */
function runFile (file) {
  const mocha = join(scratch, 'node_modules/mocha/bin/_mocha')
  const r = spawnSync(process.execPath, ['--preserve-symlinks', mocha, '--exit', '--reporter', 'json', join('test', file)], {
    cwd: scratch,
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024
  })
  const at = r.stdout ? r.stdout.lastIndexOf('{\n  "stats":') : -1
  if (at < 0) {
    return { passes: [], failures: [{ title: '(the file failed to load)', message: (r.stderr || String(r.error)).split('\n').slice(0, 8).join('\n') }] }
  }
  const report = JSON.parse(r.stdout.slice(at))
  return {
    passes: report.passes.map((t) => t.fullTitle),
    failures: report.failures.map((t) => ({ title: t.fullTitle, message: (t.err && t.err.message) || '' }))
  }
}

const expected = readExpected(expectedFile)
const files = readdirSync(join(suite, 'test')).filter((f) => f.endsWith('.js') && !SKIPPED_FILES.has(f)).sort()
let passed = 0
let failed = 0
const unexpected = []
const fixed = []
const seen = new Set()
const failureLines = []
for (const file of files) {
  const { passes, failures } = runFile(file)
  passed += passes.length
  failed += failures.length
  for (const t of passes) {
    const id = file + ' :: ' + t
    seen.add(id)
    if (expected.has(id)) fixed.push(id)
  }
  for (const f of failures) {
    const id = file + ' :: ' + f.title
    seen.add(id)
    failureLines.push(`${id} :: ${f.message.split('\n')[0]}`)
    if (!expected.has(id)) unexpected.push(`${id}\n      ${f.message.split('\n').join('\n      ')}`)
  }
  console.log(`  ${file}: ${passes.length} passed, ${failures.length} failed`)
}
const stale = [...expected.keys()].filter((id) => !seen.has(id))
console.log(`jsonwebtoken 9.0.2 suite: ${passed} of ${passed + failed} passed (${expected.size} expected failures)`)
// mocha's own summary form, which the xtask step counts: an expected failure (listed with
// its reason, enforced both ways) is not a failure of the run; anything unlisted, a listed
// test that passes and a listed test that did not run are.
console.log(`  ${passed} passing`)
console.log(`  ${unexpected.length + fixed.length + stale.length} failing`)
if (process.env.JWT_CORE_PEER_FAILURES) writeFileSync(process.env.JWT_CORE_PEER_FAILURES, failureLines.join('\n') + '\n')
let bad = false
if (unexpected.length > 0) {
  bad = true
  console.log(`\n${unexpected.length} unexpected failure(s):\n  ${unexpected.join('\n  ')}`)
}
if (fixed.length > 0) {
  bad = true
  console.log(`\n${fixed.length} test(s) listed as expected failures now pass; remove them from ${expectedFile}:\n  ${fixed.join('\n  ')}`)
}
if (stale.length > 0) {
  bad = true
  console.log(`\n${stale.length} expected failure(s) name no test that ran:\n  ${stale.join('\n  ')}`)
}
process.exit(bad ? 1 : 0)
