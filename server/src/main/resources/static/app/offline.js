// Opening offline (docs/web-client.md, "Offline"): the service worker keeps the app's files, and
// this module keeps what the signed-in user last saw, the inbox and the newest messages of each
// conversation they opened, in IndexedDB. When the server cannot be reached at start, the app
// shows that copy (with a note saying since when) instead of an error, and catches up once it is
// back. Nothing here holds a token or a media link, and the whole copy is deleted when the
// session ends (log-out here or in another tab, a refused refresh, account deletion).

import { onSessionChange } from './session.js';

const DB = 'chatapp-last-known';
const KEPT_PER_CONVERSATION = 200; // the newest messages of each conversation kept for offline use
const SAVE_AFTER_MS = 500;

let database = null;

function open() {
  if (!database) {
    const attempt = version => new Promise((resolve, reject) => {
      const request = version ? indexedDB.open(DB, version) : indexedDB.open(DB);
      request.onupgradeneeded = () => {
        if (!request.result.objectStoreNames.contains('copies')) request.result.createObjectStore('copies');
      };
      request.onsuccess = () => {
        const db = request.result;
        if (!db.objectStoreNames.contains('copies')) { // made by someone else without our store
          db.close();
          resolve(attempt(db.version + 1));
          return;
        }
        db.onversionchange = () => { db.close(); database = null; }; // let a deletion in another tab go ahead
        resolve(db);
      };
      request.onerror = () => reject(request.error);
    });
    database = attempt(null);
    database.catch(() => { database = null; });
  }
  return database;
}

async function run(mode, fn) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction('copies', mode);
    let result;
    const request = fn(tx.objectStore('copies'));
    if (request) request.onsuccess = () => { result = request.result; };
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

/** Without links: a signed URL must not outlive the session that was allowed to see it. */
function withoutLinks(value) {
  return JSON.parse(JSON.stringify(value, (key, v) => (/url$/i.test(key) ? undefined : v)));
}

/** Deletes every saved copy (all users of this browser). */
export async function forgetLastKnown() {
  if (database) {
    try {
      (await database).close();
    } catch {
      // never opened
    }
    database = null;
  }
  await new Promise(resolve => {
    const request = indexedDB.deleteDatabase(DB);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}

onSessionChange(s => { if (!s) forgetLastKnown(); });

/** The last known inbox and conversations of one user, saved as the store changes. */
export class LastKnown {
  constructor(me, store) {
    this.me = me;
    this.store = store;
    this.dirty = new Set(); // conversation ids whose messages changed
    this.inboxDirty = false;
    this.timer = null;
    this.restored = null; // when the shown copy was saved (ms), while it stands in for the server
    this.onConversations = () => this.later(() => { this.inboxDirty = true; });
    this.onMessages = e => this.later(() => this.dirty.add(e.detail.conversationId));
    store.addEventListener('conversations', this.onConversations);
    store.addEventListener('messages', this.onMessages);
    store.lastKnown = this; // store.loadLatest falls back to restoreThread when offline
  }

  key(...parts) {
    return [this.me.userId, ...parts].join('|');
  }

  later(mark) {
    mark();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.save().catch(() => {}), SAVE_AFTER_MS);
  }

  async save() {
    const store = this.store;
    const writes = [];
    if (this.inboxDirty && store.conversationsCursor !== undefined) { // only a copy the server gave
      writes.push([this.key('inbox'), { savedAt: Date.now(), conversations: withoutLinks([...store.conversations.values()]) }]);
    }
    for (const id of this.dirty) {
      const t = store.threads.get(id);
      if (!t || !t.ready) continue;
      const all = store.timeline(id).stored;
      const kept = all.slice(-KEPT_PER_CONVERSATION);
      writes.push([this.key('conversation', id), {
        savedAt: Date.now(),
        messages: withoutLinks(kept),
        // The cursor to older pages is only right when every loaded message was kept.
        olderCursor: kept.length === all.length ? t.olderCursor : null,
        reachedStart: kept.length === all.length && t.reachedStart,
      }]);
    }
    this.inboxDirty = false;
    this.dirty.clear();
    if (!writes.length || this.destroyed) return;
    await run('readwrite', copies => { for (const [k, v] of writes) copies.put(v, k); });
  }

  /**
   * After the inbox could not be loaded: shows the saved one if the server was out of reach.
   * Resolves true when a copy is shown.
   */
  async restoreInbox(error) {
    if (!error || error.status !== 0) return false;
    let copy;
    try {
      copy = await run('readonly', copies => copies.get(this.key('inbox')));
    } catch {
      return false;
    }
    if (!copy || this.destroyed) return false;
    for (const c of copy.conversations) {
      if (!this.store.conversations.has(c.conversationId)) this.store.conversations.set(c.conversationId, c);
    }
    this.restored = copy.savedAt;
    this.store.emit('conversations');
    return true;
  }

  /** The saved inbox row of one conversation, or null. */
  async conversationCopy(conversationId) {
    try {
      const copy = await run('readonly', copies => copies.get(this.key('inbox')));
      return (copy && copy.conversations.find(c => c.conversationId === conversationId)) || null;
    } catch {
      return null;
    }
  }

  /** Fills a conversation that could not be loaded from the server; true when a copy was there. */
  async restoreThread(store, conversationId) {
    let copy;
    try {
      copy = await run('readonly', copies => copies.get(this.key('conversation', conversationId)));
    } catch {
      return false;
    }
    if (!copy || this.destroyed) return false;
    const t = store.thread(conversationId);
    t.loaded = true; // from now on it is one unbroken stretch: the catch-up after reconnecting continues it
    store.mergeMessages(conversationId, copy.messages);
    t.olderCursor = copy.olderCursor;
    t.reachedStart = copy.reachedStart;
    t.ready = true;
    this.restored = this.restored || copy.savedAt;
    store.emit('messages', { conversationId });
    return true;
  }

  destroy() {
    this.destroyed = true;
    clearTimeout(this.timer);
    this.store.removeEventListener('conversations', this.onConversations);
    this.store.removeEventListener('messages', this.onMessages);
  }
}

/**
 * Registers the service worker (app/sw.js, scope "/": the server allows it with
 * Service-Worker-Allowed) and hands it the files this page loaded, so that the next start works
 * offline. Resolves to the registration, or null where service workers are unavailable (plain
 * http on a LAN address is not a secure context).
 */
export async function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return null;
  try {
    const registration = await navigator.serviceWorker.register('/app/sw.js', { scope: '/' });
    await navigator.serviceWorker.ready;
    const base = new URL('.', import.meta.url); // /app/<version>/
    const files = performance.getEntriesByType('resource')
      .map(e => new URL(e.name))
      .filter(u => u.origin === location.origin && (u.pathname.startsWith('/app/') || u.pathname === '/manifest.webmanifest'))
      .map(u => u.pathname)
      .filter(path => !/\/(push-)?sw\.js$/.test(path));
    const worker = registration.active || navigator.serviceWorker.controller;
    if (worker) worker.postMessage({ type: 'shell', version: base.pathname, files: [...new Set([import.meta.url, ...files])] });
    return registration;
  } catch {
    return null; // the app works without it, only not offline
  }
}
