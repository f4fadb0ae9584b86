// What both node benchmarks share: their command line, the timing loop and the
// rewriting of their marked section of docs/performance.md. A measurement, not a test.
import { readFileSync, writeFileSync, existsSync } from 'node:fs'

/** `--time MS` (default 150), `--rounds N` (default 3), `--docs FILE`. */
export function cli (argv = process.argv.slice(2)) {
  const arg = (name) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined }
  return { budgetMs: Number(arg('--time') ?? 150), rounds: Number(arg('--rounds') ?? 3), docs: arg('--docs') }
}

/**
 * Mean µs per call of a sync or async function over ~budgetMs, after a warm-up that
 * doubles the batch (from `start` calls) until one batch takes ~10% of the budget.
 */
export async function measure (fn, isAsync, budgetMs, start) {
  const run = async (n) => {
    const t0 = process.hrtime.bigint()
    if (isAsync) for (let i = 0; i < n; i++) await fn()
    else for (let i = 0; i < n; i++) fn()
    return Number(process.hrtime.bigint() - t0) / 1e3
  }
  let n = start
  let us = await run(n)
  while (us < budgetMs * 100) {
    n *= 2
    us = await run(n)
  }
  const iterations = Math.max(n, Math.ceil(n * (budgetMs * 1000) / us))
  return (await run(iterations)) / iterations
}

/**
 * Replace the text between `<!-- marker:begin -->` and `<!-- marker:end -->` of `file`
 * with `lines` (nothing else is touched); append the section, after `heading`, when the
 * markers are not there yet.
 */
export function writeSection (file, marker, lines, heading = '') {
  const section = `<!-- ${marker}:begin -->\n${lines.join('\n')}\n<!-- ${marker}:end -->`
  let text = existsSync(file) ? readFileSync(file, 'utf8') : '# Performance\n'
  const re = new RegExp(`<!-- ${marker}:begin -->[\\s\\S]*?<!-- ${marker}:end -->`)
  text = re.test(text) ? text.replace(re, section) : text.trimEnd() + '\n\n' + heading + section + '\n'
  writeFileSync(file, text)
}
