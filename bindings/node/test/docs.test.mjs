// Every JavaScript sample of docs/node.md and bindings/node/README.md runs, so the docs
// cannot rot: each ```js / ```cjs / ```mjs / ```ts block is written to its own file in a
// scratch folder where `@jwt-core/node` resolves to this package (and `jsonwebtoken`,
// `jose`, `fast-jwt` to the devDependencies, for the "before" half of the migration
// guide), then run with this Node; it passes when it exits with status 0. Samples assert
// what they show (`assert`), so a wrong result fails too.
//
// A block that uses require() or no module syntax runs as CommonJS (.cjs); one with
// import/export runs as an ES module (.mjs), as it would for a reader pasting it into a
// file. ```ts blocks are transpiled by the TypeScript devDependency first.
//
// Skipping: a sample that cannot run here (it needs the network, say) is preceded by
//   <!-- no-run: the reason -->
// on the line before its fence; the test only syntax-checks it (node --check), and the
// count of run and checked-only samples is printed. A marker without a reason, or not followed
// by a JavaScript block, fails.

import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'

import { here, root } from './helpers.mjs'

const pkg = join(here, '..')
const DOCS = ['docs/node.md', 'bindings/node/README.md']
const JS = new Set(['js', 'javascript', 'cjs', 'mjs', 'ts', 'typescript'])
const NO_RUN = /^<!--\s*no-run:(.*?)-->\s*$/

/** The JavaScript blocks of a markdown text: `{ line, lang, code, skip }`, and problems. */
export function extract (text) {
  const blocks = []
  const problems = []
  const lines = text.split('\n')
  let pendingSkip = null
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    const marker = NO_RUN.exec(line.trim())
    if (marker) {
      const reason = marker[1].trim()
      if (!reason) problems.push(`line ${i + 1}: no-run marker without a reason`)
      pendingSkip = { reason, line: i + 1 }
      continue
    }
    const fence = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)/.exec(line)
    if (!fence) {
      if (line.trim() && pendingSkip) {
        problems.push(`line ${pendingSkip.line}: no-run marker not directly before a code block`)
        pendingSkip = null
      }
      continue
    }
    const [, indent, ticks, lang] = fence
    const body = []
    let j = i + 1
    while (j < lines.length && !lines[j].trim().startsWith(ticks)) {
      body.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j])
      j++
    }
    if (j === lines.length) problems.push(`line ${i + 1}: unterminated code block`)
    if (JS.has(lang)) {
      blocks.push({ line: i + 1, lang, code: body.join('\n') + '\n', skip: pendingSkip?.reason ?? null })
    } else if (pendingSkip) {
      problems.push(`line ${pendingSkip.line}: no-run marker before a \`${lang || 'plain'}\` block, not a JavaScript one`)
    }
    pendingSkip = null
    i = j
  }
  return { blocks, problems }
}

// A scratch folder whose node_modules has this package as @jwt-core/node and the
// devDependencies (jsonwebtoken, jose, fast-jwt, typescript) next to it.
const scratch = mkdtempSync(join(tmpdir(), 'jwt-core-docs-'))
after(() => rmSync(scratch, { recursive: true, force: true }))
const modules = join(scratch, 'node_modules')
mkdirSync(join(modules, '@jwt-core'), { recursive: true })
symlinkSync(pkg, join(modules, '@jwt-core', 'node'), 'dir')
for (const name of readdirSync(join(pkg, 'node_modules'))) {
  if (name.startsWith('.') || name === '@jwt-core') continue
  symlinkSync(join(pkg, 'node_modules', name), join(modules, name), 'dir')
}
writeFileSync(join(scratch, 'package.json'), '{"private":true}\n')

let counter = 0
/** Write a sample as the module kind it is written in and run it; returns spawnSync's result. */
export function runSample (code, lang, { checkOnly = false } = {}) {
  let source = code
  if (lang === 'ts' || lang === 'typescript') {
    const ts = createRequire(join(pkg, 'package.json'))('typescript')
    source = ts.transpileModule(code, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 }
    }).outputText
  }
  const esm = lang === 'mjs' || /^\s*(import|export)\s/m.test(source) || lang === 'ts' || lang === 'typescript'
  const file = join(scratch, `sample-${++counter}.${esm ? 'mjs' : 'cjs'}`)
  writeFileSync(file, source)
  const args = checkOnly ? ['--check', file] : [file]
  return spawnSync(process.execPath, args, { cwd: scratch, encoding: 'utf8', timeout: 60_000 })
}

const all = DOCS.map((doc) => ({ doc, ...extract(readFileSync(join(root, doc), 'utf8')) }))
const ran = []
const skipped = []

for (const { doc, blocks } of all) {
  for (const b of blocks) {
    const name = `${doc}:${b.line} (${b.lang})`
    if (b.skip) {
      // Needs what a test cannot have (the reason says what): syntax-checked, not run,
      // since a skipped test fails `cargo xtask test`.
      test(`${name} (syntax only: ${b.skip})`, () => {
        const r = runSample(b.code, b.lang, { checkOnly: true })
        skipped.push(`${name}: ${b.skip}`)
        assert.equal(r.status, 0, `the sample at ${name} does not parse:\n${r.stderr}`)
      })
      continue
    }
    test(name, () => {
      const r = runSample(b.code, b.lang)
      ran.push(name)
      assert.equal(r.status, 0,
        `the sample at ${name} failed (status ${r.status}${r.signal ? `, ${r.signal}` : ''}):\n` +
        `${r.stderr}\n${r.stdout}\n--- sample ---\n${b.code}`)
    })
  }
}

test('the no-run markers of the docs are well formed', () => {
  for (const { doc, problems } of all) {
    assert.deepEqual(problems, [], `${doc}: ${problems.join('; ')}`)
  }
})

test('every document has JavaScript samples, and the counts add up', (t) => {
  for (const { doc, blocks } of all) assert.ok(blocks.length > 0, `${doc} has no JavaScript sample`)
  const total = all.reduce((n, d) => n + d.blocks.length, 0)
  assert.equal(ran.length + skipped.length, total)
  t.diagnostic(`${ran.length} doc samples ran, ${skipped.length} only syntax-checked${skipped.length ? ': ' + skipped.join('; ') : ''}`)
})

test('the sample runner fails on a failing sample and tells module kinds apart', () => {
  assert.notEqual(runSample("throw new Error('boom')\n", 'js').status, 0)
  assert.notEqual(runSample("require('node:assert').equal(1, 2)\n", 'js').status, 0)
  const esm = runSample("import jwt from '@jwt-core/node'\nconsole.log(typeof jwt.sign)\n", 'js')
  assert.equal(esm.status, 0, esm.stderr)
  assert.equal(esm.stdout.trim(), 'function')
  const cjs = runSample("console.log(typeof require('@jwt-core/node').verify)\n", 'js')
  assert.equal(cjs.stdout.trim(), 'function', cjs.stderr)
  const ts = runSample("const n: number = 2\nexport {}\nconsole.log(n * 2)\n", 'ts')
  assert.equal(ts.stdout.trim(), '4', ts.stderr)
})

test('extract: markers, languages and fences', () => {
  const md = [
    '```js', 'a()', '```',
    '<!-- no-run: needs the network -->', '```js', 'b()', '```',
    '```sh', 'ls', '```',
    '<!-- no-run: -->', '```mjs', 'c()', '```',
    '<!-- no-run: dangling -->', 'text', ''
  ].join('\n')
  const { blocks, problems } = extract(md)
  assert.deepEqual(blocks.map((b) => [b.line, b.lang, b.code, b.skip]), [
    [1, 'js', 'a()\n', null],
    [5, 'js', 'b()\n', 'needs the network'],
    [12, 'mjs', 'c()\n', '']
  ])
  assert.deepEqual(problems, [
    'line 11: no-run marker without a reason',
    'line 15: no-run marker not directly before a code block'
  ])
})
