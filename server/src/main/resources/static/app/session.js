// The signed-in session and every HTTP call to the API (API.md).
//
// Tokens live in localStorage so that a reload or a second tab stays signed in. Refresh tokens
// rotate and reusing a rotated one revokes the whole chain (API.md), so two tabs must never
// refresh with the same token: refreshing runs under a lock shared by all tabs of this origin
// (Web Locks, or a localStorage lease where Web Locks are missing), and inside the lock the tab
// first re-reads the pair: if another tab already rotated, it adopts that pair instead.
// That re-read goes to IndexedDB, not localStorage: Chromium hands localStorage writes to other
// tabs asynchronously, so a tab that takes the lock right after another released it could still
// read the old pair there; an IndexedDB transaction committed before the lock was released is
// seen by every tab.

const KEY = 'chatapp.session';
const LEASE = 'chatapp.refresh-lease';
const TAB = Math.random().toString(36).slice(2);

/** An API failure, with the problem document (RFC 9457) and a sentence for people. */
export class ApiError extends Error {
  constructor(status, problem, retryAfter) {
    super(describe(status, problem, retryAfter));
    this.status = status;
    this.problem = problem || {};
    this.code = this.problem.code || (status === 0 ? 'offline' : `http_${status}`);
    this.fieldErrors = Array.isArray(this.problem.errors) ? this.problem.errors : [];
  }
}

const WORDS = {
  invalid_credentials: 'Wrong email or password.',
  email_taken: 'An account with this email already exists. Log in instead?',
  username_taken: 'This username is taken. Please choose another one.',
  unsupported_media: 'This file type is not supported. Send a photo or a video.',
  too_large: 'This file is too large to send.',
  forbidden: 'You are not allowed to do that.',
  not_found: 'That no longer exists.',
  bad_cursor: 'The list changed. Please reload.',
};

function describe(status, problem, retryAfter) {
  const code = problem && problem.code;
  if (status === 0) return 'Cannot reach ChatApp. Check your connection and try again.';
  if (code === 'rate_limited' || status === 429) {
    return `Too many attempts. Please wait ${retryAfter ? `${retryAfter} seconds` : 'a moment'} and try again.`;
  }
  if (code && WORDS[code]) return WORDS[code];
  if (problem && problem.detail) return sentence(problem.detail);
  if (problem && problem.title) return sentence(problem.title);
  if (status === 401) return 'Your session has ended. Please log in again.';
  if (status >= 500) return `ChatApp had a problem (error ${status}). Please try again.`;
  return `The request failed (error ${status}).`;
}

function sentence(text) {
  const t = String(text).trim();
  return t.charAt(0).toUpperCase() + t.slice(1) + (/[.!?]$/.test(t) ? '' : '.');
}

// ---- the stored session ----------------------------------------------------------------

let current = read();
const listeners = new Set();

function read() {
  try {
    const s = JSON.parse(localStorage.getItem(KEY));
    return s && s.refreshToken ? s : null;
  } catch {
    return null;
  }
}

/** Saves the session everywhere; resolves once IndexedDB has committed it. */
function write(s) {
  current = s;
  if (s) localStorage.setItem(KEY, JSON.stringify(s));
  else localStorage.removeItem(KEY);
  listeners.forEach(fn => fn(current));
  return durable(s);
}

let database = null;

function idb() {
  if (!database) {
    database = new Promise((resolve, reject) => {
      const open = indexedDB.open('chatapp', 1);
      open.onupgradeneeded = () => open.result.createObjectStore('session');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
  }
  return database;
}

async function durable(s) {
  try {
    const db = await idb();
    await new Promise((resolve, reject) => {
      const tx = db.transaction('session', 'readwrite');
      if (s) tx.objectStore('session').put(s, KEY);
      else tx.objectStore('session').put(null, KEY); // signed out, for every tab
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
  } catch {
    // no IndexedDB (some private modes): localStorage alone
  }
}

/** What IndexedDB holds: a session, null (signed out), or undefined (never written). */
async function idbValue() {
  const db = await idb();
  return new Promise((resolve, reject) => {
    const get = db.transaction('session').objectStore('session').get(KEY);
    get.onsuccess = () => resolve(get.result);
    get.onerror = () => reject(get.error);
  });
}

/** The session as last committed by any tab (IndexedDB), else as localStorage has it. */
async function readDurable() {
  try {
    const s = await idbValue();
    if (s !== undefined) return s && s.refreshToken ? s : null;
  } catch {
    // no IndexedDB: fall through
  }
  return read();
}

/** The session: {user, accessToken, refreshToken, accessExpiresAt} or null. */
export function session() {
  return current;
}

/** Called with the new session (or null) when it changes here or in another tab. */
export function onSessionChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

window.addEventListener('storage', e => {
  if (e.key !== KEY && e.key !== null) return;
  current = read();
  listeners.forEach(fn => fn(current));
});

function store(body, previous) {
  return write({
    user: body.user || (previous && previous.user),
    accessToken: body.accessToken,
    refreshToken: body.refreshToken,
    accessExpiresAt: Date.now() + (Number(body.expiresIn) || 300) * 1000,
  });
}

/** Replaces the stored user only: the tokens stay as stored now (another tab may have rotated). */
export function updateUser(user) {
  const stored = read();
  if (stored) write({ ...stored, user });
}

// A session written by a client version that knew only localStorage is copied over once
// (only where IndexedDB never held one: a null there is a log-out, not to be undone).
if (current) {
  const initial = current;
  idbValue().then(v => { if (v === undefined && current === initial) durable(initial); }, () => {});
}

// ---- HTTP ------------------------------------------------------------------------------

async function problemOf(res) {
  const retryAfter = res.headers.get('Retry-After');
  let problem = null;
  try {
    problem = await res.json();
  } catch {
    // not JSON: the status speaks for itself
  }
  return new ApiError(res.status, problem, retryAfter);
}

async function raw(path, { method = 'GET', body, token, signal } = {}) {
  const headers = { Accept: 'application/json, application/problem+json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  try {
    return await fetch(`/api/v1${path}`, {
      method, headers, signal, body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, null);
  }
}

async function result(res) {
  if (!res.ok) throw await problemOf(res);
  if (res.status === 204) return null;
  const text = await res.text();
  return text ? JSON.parse(text) : null;
}

/**
 * Calls the API with the access token, refreshing it once on 401. Resolves to the parsed
 * body; rejects with ApiError (status 0 when the server cannot be reached).
 */
export async function api(path, options = {}) {
  const token = await accessToken();
  let res = await raw(path, { ...options, token });
  if (res.status === 401) {
    const fresh = await refresh(token);
    res = await raw(path, { ...options, token: fresh });
  }
  return result(res);
}

/** Calls an endpoint that needs no token (register, login). */
export async function publicApi(path, options = {}) {
  return result(await raw(path, options));
}

/** A valid access token, refreshed first when it expires within 30 seconds. */
export async function accessToken() {
  const s = current;
  if (!s) throw signedOut();
  if (s.accessToken && s.accessExpiresAt - Date.now() > 30_000) return s.accessToken;
  return refresh(s.accessToken);
}

function signedOut() {
  return new ApiError(401, { code: 'signed_out', detail: 'Your session has ended. Please log in again' });
}

let refreshing = null;

/**
 * Rotates the token pair unless another tab did already. `seen` is the access token that was
 * found stale or refused; a different valid one in storage means someone else refreshed.
 */
export function refresh(seen) {
  if (!refreshing) {
    refreshing = withRefreshLock(() => rotate(seen)).finally(() => { refreshing = null; });
  }
  return refreshing;
}

async function rotate(seen) {
  const s = await readDurable();
  if (!s) {
    await write(null);
    throw signedOut();
  }
  if (s.accessToken !== seen && s.accessExpiresAt - Date.now() > 30_000) {
    current = s; // another tab rotated while we waited for the lock
    return s.accessToken;
  }
  const res = await raw('/auth/refresh', { method: 'POST', body: { refreshToken: s.refreshToken } });
  if (res.ok) {
    const body = await res.json();
    await store(body, s); // committed before the lock is released
    return body.accessToken;
  }
  if (res.status === 400 || res.status === 401) {
    const now = await readDurable();
    if (now && now.refreshToken !== s.refreshToken) { // rotated elsewhere meanwhile (lease fallback)
      current = now;
      return now.accessToken;
    }
    await write(null);
    throw signedOut();
  }
  throw await problemOf(res); // 429/5xx: keep the session, the caller shows the error
}

async function withRefreshLock(fn) {
  if (navigator.locks && navigator.locks.request) {
    return navigator.locks.request('chatapp.refresh', fn);
  }
  // Fallback: a lease in localStorage, taken when free or expired, checked after a pause.
  for (let i = 0; i < 100; i++) {
    const lease = JSON.parse(localStorage.getItem(LEASE) || 'null');
    if (!lease || lease.until < Date.now() || lease.tab === TAB) {
      localStorage.setItem(LEASE, JSON.stringify({ tab: TAB, until: Date.now() + 10_000 }));
      await new Promise(r => setTimeout(r, 30));
      if (JSON.parse(localStorage.getItem(LEASE) || 'null')?.tab === TAB) {
        try {
          return await fn();
        } finally {
          localStorage.removeItem(LEASE);
        }
      }
    }
    await new Promise(r => setTimeout(r, 100));
  }
  return fn();
}

// ---- accounts --------------------------------------------------------------------------

export async function register(form) {
  const answer = await publicApi('/auth/register', { method: 'POST', body: form });
  if (answer && answer.status === 'verification_required') return answer; // email on: no session yet
  await store(answer);
  return current;
}

export async function login(email, password) {
  await store(await publicApi('/auth/login', { method: 'POST', body: { email, password } }));
  return current;
}

/** Revokes the refresh token (best effort) and forgets the session in every tab. */
export async function logout() {
  const s = read();
  await import('./push.js').then(m => m.forgetPush()).catch(() => {}); // docs/notifications.md
  await write(null);
  if (s) {
    try {
      await raw('/auth/logout', { method: 'POST', body: { refreshToken: s.refreshToken }, token: s.accessToken });
    } catch {
      // offline: the token expires by itself
    }
  }
}
