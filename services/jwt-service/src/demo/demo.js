// The demo page's script (served as /demo.js: the Content-Security-Policy allows no
// inline script). It only uses the service's public API, exactly as your own front end
// would: POST /token with "cookie": true, GET /me, POST /token/refresh, POST /logout.
// The tokens themselves never reach this script: they live in HttpOnly cookies.
'use strict';

const $ = (id) => document.getElementById(id);

/** The value of a cookie that scripts may read (only the CSRF cookie is readable). */
function readCookie(name) {
  for (const part of document.cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
}

/**
 * The CSRF cookie: `__Host-jwt_csrf` (Secure cookies, the default), or `jwt_csrf` when
 * the service runs with --cookie-secure false.
 */
function csrfCookie() {
  return readCookie('__Host-jwt_csrf') ?? readCookie('jwt_csrf');
}

let refreshes = 0;
let accessExp = null;

/** Append a line to the request log (textContent only: nothing from the server is HTML). */
function log(method, path, status, note) {
  const li = document.createElement('li');
  const time = new Date().toLocaleTimeString();
  li.textContent = `${time}  ${method} ${path} -> ${status}${note ? `  (${note})` : ''}`;
  if (status >= 400) li.className = 'bad';
  $('log').prepend(li);
  while ($('log').children.length > 30) $('log').lastElementChild.remove();
}

/** One request. State-changing methods repeat the CSRF cookie in X-CSRF-Token. */
async function send(method, path, body, { csrfHeader = true, note } = {}) {
  const headers = {};
  const csrf = csrfCookie();
  if (method !== 'GET' && csrfHeader && csrf) headers['X-CSRF-Token'] = csrf;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store',
  });
  let json = null;
  try {
    json = await r.json();
  } catch {
    json = null;
  }
  log(method, path, r.status, (json && json.error) || note);
  return { status: r.status, ok: r.ok, json };
}

let refreshing = null;

/** POST /token/refresh with the refresh cookie; one at a time, shared by concurrent callers. */
function refresh() {
  refreshing ??= send('POST', '/token/refresh', undefined, { note: 'silent refresh' })
    .then((r) => {
      if (r.ok) {
        refreshes += 1;
        $('refresh-count').textContent = String(refreshes);
      }
      return r.ok;
    })
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

/**
 * The fetch wrapper a cookie-mode front end needs: on 401 (access cookie expired, or the
 * token itself expired), refresh once, then retry the call once.
 */
async function api(method, path, body) {
  const r = await send(method, path, body);
  if (r.status !== 401 || csrfCookie() === null) return r;
  if (!(await refresh())) return r;
  return send(method, path, body);
}

function showCookies() {
  $('cookies').textContent = document.cookie === '' ? '(empty)' : document.cookie;
}

function setState(user) {
  const status = $('status');
  status.dataset.state = user ? 'in' : 'out';
  status.textContent = user ? `logged in as ${user}` : 'logged out';
  $('login').hidden = Boolean(user);
  $('session').hidden = !user;
  if (!user) {
    accessExp = null;
    $('me-output').textContent = '';
    $('auto-me').checked = false;
  }
  showCookies();
  tick();
}

function tick() {
  const el = $('expires');
  if (accessExp === null) {
    el.textContent = 'unknown (call /me)';
    return;
  }
  const left = accessExp - Math.floor(Date.now() / 1000);
  el.textContent = left > 0 ? `in ${left} s` : 'expired: the next call refreshes it silently';
}

async function callMe() {
  const r = await api('GET', '/me');
  $('me-output').textContent = JSON.stringify(r.json, null, 2);
  if (r.ok) {
    accessExp = r.json.exp;
    setState(r.json.username || r.json.sub);
  } else if (r.status === 401) {
    setState(null);
  }
  showCookies();
  return r;
}

async function login(event) {
  event.preventDefault();
  $('login-error').textContent = '';
  const r = await send('POST', '/token', {
    username: $('username').value,
    password: $('password').value,
    cookie: true,
  });
  $('password').value = '';
  if (!r.ok) {
    $('login-error').textContent = `${r.json ? r.json.error_description : r.status}`;
    return;
  }
  if (csrfCookie() === null) {
    // The browser dropped the Secure cookies: plain HTTP on a host that is not localhost.
    $('login-error').textContent =
      'Logged in, but this browser refused the Secure cookies over plain HTTP. Use HTTPS, ' +
      'http://127.0.0.1 or http://localhost, or (local experiments only) --cookie-secure false.';
    return;
  }
  setState($('username').value);
  await callMe();
}

async function logout() {
  const r = await api('POST', '/logout');
  setState(null);
  $('me-output').textContent = JSON.stringify(r.json, null, 2);
}

/** What a forged request looks like: the cookies ride along, the header does not. */
async function csrfProbe() {
  const r = await send('POST', '/token/refresh', undefined, { csrfHeader: false });
  $('csrf-output').textContent = `${r.status} ${JSON.stringify(r.json)}`;
}

let autoTimer = null;

function toggleAuto() {
  clearInterval(autoTimer);
  autoTimer = $('auto-me').checked ? setInterval(callMe, 2000) : null;
}

document.addEventListener('DOMContentLoaded', () => {
  $('login-form').addEventListener('submit', login);
  $('call-me').addEventListener('click', callMe);
  $('logout').addEventListener('click', logout);
  $('csrf-probe').addEventListener('click', csrfProbe);
  $('auto-me').addEventListener('change', toggleAuto);
  setInterval(tick, 1000);
  setState(null);
  // A session from an earlier visit (the CSRF cookie outlives the access cookie)?
  if (csrfCookie() !== null) callMe();
});
