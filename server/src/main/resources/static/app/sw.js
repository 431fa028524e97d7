// ChatApp's service worker (docs/web-client.md, "Offline"), served at /app/sw.js with
// Service-Worker-Allowed: / so that its scope is the whole app.
//
// It keeps the app shell only: the page, the versioned client files, the icons and the
// manifest, which are the same for every user. It never touches the API, the WebSocket or
// media: messages for offline use are kept by the page (offline.js, IndexedDB) and deleted at
// log-out, and nothing private or signed ever enters this cache.
//
// - the page ("/"): from the network, the cached copy when the network fails;
// - /app/<version>/...: from the cache (those URLs never change meaning), else the network;
// - other /app/ files and /manifest.webmanifest: from the network, the cached copy offline.

importScripts('push-sw.js'); // Web Push handlers (issue 20), kept apart from the shell's caching

const SHELL = 'chatapp-shell-v1';
const PRECACHE = ['/', '/app/icon.svg', '/app/attach.svg', '/manifest.webmanifest', '/app/icon-192.png'];

self.addEventListener('install', event => {
  event.waitUntil((async () => {
    const cache = await caches.open(SHELL);
    await Promise.all(PRECACHE.map(url => cache.add(url).catch(() => {}))); // best effort: offline later if missing
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', event => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('chatapp-') && name !== SHELL) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

/** The page names the files it loaded (its modules, styles, icons), to keep for offline starts. */
self.addEventListener('message', event => {
  const data = event.data || {};
  if (data.type !== 'shell' || !Array.isArray(data.files)) return;
  event.waitUntil((async () => {
    const cache = await caches.open(SHELL);
    const version = typeof data.version === 'string' && /^\/app\/v-[0-9a-f]+\/$/.test(data.version) ? data.version : null;
    const wanted = data.files.map(f => new URL(f, self.location.origin))
      .filter(u => u.origin === self.location.origin && (u.pathname.startsWith('/app/') || u.pathname === '/manifest.webmanifest'))
      .map(u => u.pathname);
    const held = new Set((await cache.keys()).map(r => new URL(r.url).pathname));
    await Promise.all(wanted.filter(p => !held.has(p)).map(p => cache.add(p).catch(() => {})));
    if (version) { // files of older releases are never asked for again
      for (const request of await cache.keys()) {
        const path = new URL(request.url).pathname;
        if (/^\/app\/v-[0-9a-f]+\//.test(path) && !path.startsWith(version)) await cache.delete(request);
      }
    }
  })());
});

self.addEventListener('fetch', event => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate' && (url.pathname === '/' || url.pathname === '/index.html')) {
    event.respondWith(networkFirst(request, '/'));
  } else if (/^\/app\/v-[0-9a-f]+\//.test(url.pathname)) {
    event.respondWith(cacheFirst(request));
  } else if ((url.pathname.startsWith('/app/') && !/\/(push-)?sw\.js$/.test(url.pathname)) || url.pathname === '/manifest.webmanifest') {
    event.respondWith(networkFirst(request, url.pathname));
  }
  // everything else (the API, /ws, media, signed links) goes to the network untouched
});

async function networkFirst(request, key) {
  const cache = await caches.open(SHELL);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(key, response.clone());
    return response;
  } catch (e) {
    const cached = await cache.match(key);
    if (cached) return cached;
    throw e;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(SHELL);
  const cached = await cache.match(request, { ignoreSearch: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

/**
 * A click on a ChatApp notification (the page's, or a push's) opens its conversation: in a tab
 * of the app if one is open (focused, told by message), else in a new one.
 */
self.addEventListener('notificationclick', event => {
  const data = event.notification.data || {};
  event.notification.close();
  const conversationId = typeof data.conversationId === 'string' ? data.conversationId : null;
  const target = new URL(conversationId ? `/#/c/${encodeURIComponent(conversationId)}` : '/', self.location.origin).href;
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    const open = windows.find(c => new URL(c.url).origin === self.location.origin);
    if (open) {
      await open.focus().catch(() => {}); // allowed only from a real click
      open.postMessage({ type: 'open-conversation', conversationId });
      return;
    }
    await self.clients.openWindow(target);
  })());
});
