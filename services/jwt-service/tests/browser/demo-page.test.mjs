// The demo page (GET /) in a real browser: Debian's headless Chromium driven by
// playwright-core, against the real jwt-service binary. It logs in with cookies, checks
// that page scripts cannot see the tokens, calls /me, lets the access cookie expire and
// sees the next call succeed through a silent refresh, sends requests without the CSRF
// header and sees them refused, and logs out. A screenshot goes to
// target/test-artifacts/demo-page.png.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { startService } from './service.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS =
  process.env.JWT_SERVICE_ARTIFACTS ??
  resolve(dirname(fileURLToPath(import.meta.url)), '../../../../target/test-artifacts');
/** Seconds: long enough to look at the cookies right after login, short enough to wait out. */
const ACCESS_TTL = '5';
/** The cookie names: `__Host-` prefixed, as the service sets them with Secure cookies. */
const ACCESS = '__Host-jwt_access';
const REFRESH = '__Host-jwt_refresh';
const CSRF = '__Host-jwt_csrf';

/** Poll `f` until it returns a truthy value (a bound on a wait, not a performance check). */
async function eventually(what, f, limitMs = 60_000) {
  const start = Date.now();
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() - start > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('the demo page in headless Chromium', () => {
  let service;
  let browser;
  let context;
  let page;
  /** Every response the page got: "METHOD /path STATUS". */
  const network = [];
  /** CSP violations the page reported. */
  const violations = [];

  const jar = async () =>
    Object.fromEntries((await context.cookies()).map((c) => [c.name, c]));
  const text = (sel) => page.locator(sel).textContent();
  /** A fetch from inside the page, as any page script (or injected script) could make. */
  const pageFetch = (path, init) =>
    page.evaluate(
      async ([p, i]) => {
        const r = await fetch(p, i);
        return { status: r.status, body: await r.json() };
      },
      [path, init],
    );

  /** Click the page's GET /me button; resolves once /me answered 200 (maybe after a refresh). */
  const sessionWorks = () =>
    Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/me') && r.status() === 200),
      page.click('#call-me'),
    ]);

  before(async () => {
    service = await startService(['--access-ttl', ACCESS_TTL, '--login-rate-limit', '1000']);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
    page = await context.newPage();
    page.on('response', (r) => {
      const u = new URL(r.url());
      network.push(`${r.request().method()} ${u.pathname} ${r.status()}`);
    });
    page.on('console', (m) => {
      if (m.type() === 'error' && m.text().includes('Content Security Policy')) {
        violations.push(m.text());
      }
    });
  });

  after(async () => {
    await browser?.close();
    service?.stop();
  });

  it('serves the page with a strict Content-Security-Policy, and its script runs', async () => {
    const r = await page.goto(`${service.base}/`);
    assert.equal(r.status(), 200);
    const h = r.headers();
    assert.match(h['content-type'], /^text\/html/);
    assert.match(h['content-security-policy'], /script-src 'self'/);
    assert.match(h['content-security-policy'], /frame-ancestors 'none'/);
    assert.doesNotMatch(h['content-security-policy'], /unsafe-inline|unsafe-eval/);
    assert.equal(h['x-content-type-options'], 'nosniff');
    assert.equal(h['referrer-policy'], 'no-referrer');
    // The script (GET /demo.js) ran: it set the initial state.
    await page.locator('#status[data-state=out]').waitFor();
    assert.equal(await text('#status'), 'logged out');
    assert.deepEqual(violations, []);
  });

  it('logs in with cookies that page scripts cannot read', async () => {
    await page.fill('#username', 'admin');
    await page.fill('#password', service.password);
    await page.click('#login-button');
    await page.locator('#status[data-state=in]').waitFor();
    assert.equal(await text('#status'), 'logged in as admin');

    const c = await jar();
    for (const name of [ACCESS, REFRESH]) {
      assert.ok(c[name], `${name} is in the browser's jar`);
      assert.equal(c[name].httpOnly, true, `${name} is HttpOnly`);
      assert.equal(c[name].sameSite, 'Strict');
    }
    // `__Host-` cookies must have Path=/ (the refresh cookie cannot be narrowed to /token).
    assert.equal(c[REFRESH].path, '/');
    for (const name of [ACCESS, REFRESH, CSRF]) {
      assert.equal(c[name].secure, true, `${name} is Secure`);
    }
    assert.equal(c[CSRF].httpOnly, false);

    const seen = await page.evaluate(() => ({
      cookie: document.cookie,
      everything:
        document.documentElement.outerHTML +
        document.cookie +
        JSON.stringify({ ...localStorage }) +
        JSON.stringify({ ...sessionStorage }),
    }));
    assert.equal(seen.cookie, `${CSRF}=${c[CSRF].value}`);
    // The page shows exactly what scripts see.
    assert.equal(await text('#cookies'), seen.cookie);
    for (const name of [ACCESS, REFRESH]) {
      assert.ok(!seen.everything.includes(c[name].value), `${name} leaked into the page`);
    }
    assert.deepEqual(violations, []);
  });

  it('calls /me with the access cookie', async () => {
    await sessionWorks();
    const me = JSON.parse(await text('#me-output'));
    assert.equal(me.username, 'admin');
    assert.match(me.scope, /\badmin\b/);
  });

  it('refreshes silently once the access cookie has expired', async () => {
    const before = await jar();
    const refreshes = Number(await text('#refresh-count'));
    // The browser drops the access cookie at its Max-Age (the access token's lifetime).
    await eventually('the access cookie to expire', async () => !(await jar())[ACCESS]);
    const from = network.length;
    await sessionWorks();
    assert.deepEqual(network.slice(from), [
      'GET /me 401',
      'POST /token/refresh 200',
      'GET /me 200',
    ]);
    assert.equal(Number(await text('#refresh-count')), refreshes + 1);
    assert.match(await text('#log'), /POST \/token\/refresh -> 200 {2}\(silent refresh\)/);
    assert.equal(JSON.parse(await text('#me-output')).username, 'admin');
    const now = await jar();
    assert.ok(now[ACCESS]?.httpOnly, 'a new HttpOnly access cookie');
    assert.notEqual(now[REFRESH].value, before[REFRESH].value, 'the refresh token rotated');
    assert.notEqual(now[CSRF].value, before[CSRF].value, 'a new CSRF cookie');
  });

  it('refuses cookie-authenticated state changes without the CSRF header', async () => {
    const refresh = await pageFetch('/token/refresh', { method: 'POST' });
    assert.equal(refresh.status, 403);
    assert.equal(refresh.body.error, 'csrf_check_failed');
    const logout = await pageFetch('/logout', { method: 'POST' });
    assert.equal(logout.status, 403);
    assert.equal(logout.body.error, 'csrf_check_failed');
    // A wrong header is no better than none.
    const forged = await pageFetch('/token/refresh', {
      method: 'POST',
      headers: { 'X-CSRF-Token': 'forged' },
    });
    assert.equal(forged.status, 403);
    assert.equal(forged.body.error, 'csrf_check_failed');
    // The page's own probe button shows the same answer.
    await page.click('#csrf-probe');
    await page.locator('#csrf-output', { hasText: 'csrf_check_failed' }).waitFor();
    assert.match(await text('#csrf-output'), /^403 /);
    // Nothing was rotated or revoked by the refused requests: the session still works.
    await sessionWorks();
  });

  it('keeps the cookies home: another site cannot ride on the session', async () => {
    const base = service.base;
    // A page on another site: `localhost` is not the same site as `127.0.0.1`, and being
    // on loopback too, Chromium's Private Network Access rules do not stop it first.
    const attacker = createServer((_, res) => {
      res.setHeader('Content-Type', 'text/html');
      res.end(
        `<!doctype html><form id="f" method="post" action="${base}/logout"></form>` +
          `<form id="l" method="post" action="${base}/token">` +
          '<input name="username" value="admin"><input name="password" value="x">' +
          '<input name="cookie" value="true"></form>',
      );
    });
    await new Promise((r) => attacker.listen(0, '127.0.0.1', r));
    const evil = await context.newPage();
    try {
      await evil.goto(`http://localhost:${attacker.address().port}/`);
      // A background request with credentials: SameSite=Strict leaves every cookie out.
      const [req] = await Promise.all([
        evil.waitForRequest((r) => r.url() === `${base}/token/refresh`),
        evil.evaluate(
          (u) => fetch(u, { method: 'POST', mode: 'no-cors', credentials: 'include' }).then(() => 0),
          `${base}/token/refresh`,
        ),
      ]);
      assert.equal((await req.allHeaders()).cookie, undefined, 'cookies sent cross-site');
      assert.equal((await req.response()).status(), 400, 'no refresh cookie arrived');
      // A form posted to /logout, the classic CSRF: it arrives without the cookies too.
      const [nav] = await Promise.all([
        evil.waitForResponse((r) => r.url() === `${base}/logout`),
        // Submitted after evaluate returns: the navigation would cut the call short.
        evil.evaluate(() => {
          setTimeout(() => document.getElementById('f').submit(), 0);
        }),
      ]);
      assert.equal((await nav.request().allHeaders()).cookie, undefined);
      assert.equal(nav.status(), 401);
      // Login CSRF: a form logging the victim's browser into a session of the attacker's
      // choosing. The Origin check refuses it before any password is looked at.
      const evil2 = await context.newPage();
      try {
        await evil2.goto(`http://localhost:${attacker.address().port}/`);
        const [login] = await Promise.all([
          evil2.waitForResponse((r) => r.url() === `${base}/token`),
          evil2.evaluate(() => {
            setTimeout(() => document.getElementById('l').submit(), 0);
          }),
        ]);
        assert.equal(login.status(), 403);
        assert.equal((await login.json()).error, 'origin_check_failed');
      } finally {
        await evil2.close();
      }
    } finally {
      await evil.close();
      attacker.close();
    }
    // The session was neither refreshed nor logged out by the other site.
    await sessionWorks();
    assert.equal(await page.locator('#status').getAttribute('data-state'), 'in');
  });

  it('blocks inline script injected into the page', async () => {
    const ran = await page.evaluate(
      () =>
        new Promise((done) => {
          document.addEventListener('securitypolicyviolation', (e) => done(e.violatedDirective), {
            once: true,
          });
          const s = document.createElement('script');
          s.textContent = 'window.__inlineRan = true;';
          document.body.append(s);
        }),
    );
    assert.match(ran, /^script-src/);
    assert.equal(await page.evaluate(() => window.__inlineRan === true), false);
  });

  it('saves a screenshot of the logged-in page', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, 'demo-page.png');
    const png = await page.screenshot({ path: file, fullPage: true });
    // A PNG signature, of a page that is not blank.
    assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
    assert.ok(png.length > 10_000, `screenshot of ${png.length} bytes`);
  });

  it('logs out: the cookies are gone and /me fails', async () => {
    await page.click('#logout');
    await page.locator('#status[data-state=out]').waitFor();
    const c = await jar();
    for (const name of [ACCESS, REFRESH, CSRF]) {
      assert.equal(c[name], undefined, `${name} cleared`);
    }
    assert.equal(await page.evaluate(() => document.cookie), '');
    const me = await pageFetch('/me');
    assert.equal(me.status, 401);
    assert.equal(me.body.error, 'invalid_token');
    await page.locator('#login').waitFor();
    assert.equal(await page.locator('#session').isHidden(), true);
    // A reload finds no session to resume: the page asks the API nothing.
    const from = network.length;
    await page.reload({ waitUntil: 'networkidle' });
    await page.locator('#status[data-state=out]').waitFor();
    assert.deepEqual(
      network.slice(from).filter((l) => !/^GET \/(demo\.(js|css))? 200$/.test(l)),
      [],
    );
  });
});
