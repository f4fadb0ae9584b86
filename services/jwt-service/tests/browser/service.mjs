// The real jwt-service binary as a subprocess: a fresh data dir, a free port (--bind
// 127.0.0.1:0), settings from the caller; it dies with us (--exit-on-stdin-eof) and is
// killed by stop().
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** The binary to test: JWT_SERVICE_BIN, set by `cargo xtask test --only service`. */
export function binary() {
  const bin = process.env.JWT_SERVICE_BIN;
  if (!bin) {
    throw new Error(
      'JWT_SERVICE_BIN is not set: run these tests with `cargo xtask test --only service`',
    );
  }
  return bin;
}

/**
 * Start the service; resolves to { base, password, stop() } once /readyz answers 200.
 * `password` is the first user's (`admin`), which the service prints once on stdout.
 */
export async function startService(args = []) {
  const dataDir = mkdtempSync(join(tmpdir(), 'jwt-service-browser-'));
  const child = spawn(
    binary(),
    ['--data-dir', dataDir, '--bind', '127.0.0.1:0', '--exit-on-stdin-eof', ...args],
    { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, RUST_LOG: 'warn' } },
  );
  const stop = () => {
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const { base, password } = await new Promise((resolve, reject) => {
      let password = null;
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`jwt-service exited early (${code})`)));
      createInterface({ input: child.stdout }).on('line', (line) => {
        const pw = line.split('shown only this once: ')[1];
        if (pw) password = pw.trim();
        const rest = line.startsWith('jwt-service listening on ')
          ? line.slice('jwt-service listening on '.length)
          : null;
        if (rest) resolve({ base: rest.split(/\s+/)[0], password });
      });
    });
    if (!password) throw new Error('jwt-service did not print the first user password');
    await waitReady(base);
    return { base, password, stop };
  } catch (e) {
    stop();
    throw e;
  }
}

/** Poll /readyz (the denylist view syncs on the store feed's first poll). */
async function waitReady(base) {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${base}/readyz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('jwt-service never became ready');
}
