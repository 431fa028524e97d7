// Web Push on this device (docs/notifications.md, docs/web-client.md): after the user turns it on
// in Settings (the permission is asked then, never on load), the service worker /app/sw.js is
// registered, the browser subscribes with the server's VAPID key and the subscription is sent to
// the server for this session. Logging out unsubscribes the browser (the server drops the
// session's subscription itself).

import { api } from './session.js';

export function pushSupported() {
  return 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

/** The permission, asked only from a user's action. True if granted. */
export async function askNotificationPermission() {
  if (Notification.permission === 'granted') return true;
  if (Notification.permission === 'denied') return false;
  return (await Notification.requestPermission()) === 'granted';
}

function keyBytes(base64url) {
  const b64 = base64url.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(base64url.length / 4) * 4, '=');
  return Uint8Array.from(atob(b64), c => c.charCodeAt(0));
}

function sameKey(buffer, bytes) {
  if (!buffer) return false;
  const a = new Uint8Array(buffer);
  return a.length === bytes.length && a.every((v, i) => v === bytes[i]);
}

async function registration() {
  // the one registration of the app (offline.js makes the same one): scope '/'
  const reg = await navigator.serviceWorker.register('/app/sw.js', { scope: '/' });
  if (reg.active) return reg;
  const worker = reg.installing || reg.waiting;
  await new Promise(resolve => {
    if (!worker) { resolve(); return; }
    worker.addEventListener('statechange', () => { if (worker.state === 'activated') resolve(); });
  });
  return reg;
}

/** Subscribes this browser and tells the server. False if the permission was not given. */
export async function enablePush() {
  if (!pushSupported()) throw new Error('This browser cannot show push notifications.');
  if (!(await askNotificationPermission())) return false;
  const { publicKey } = await api('/push/vapid-public-key');
  const key = keyBytes(publicKey);
  const reg = await registration();
  let sub = await reg.pushManager.getSubscription();
  if (sub && !sameKey(sub.options.applicationServerKey, key)) {
    await sub.unsubscribe(); // made for another server key: useless now
    sub = null;
  }
  if (!sub) sub = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  await api('/users/me/push-subscriptions', { method: 'POST', body: sub.toJSON() });
  return true;
}

/** Stops push on this device: the browser's subscription and the server's for this session. */
export async function disablePush() {
  await forgetPush();
  await api('/users/me/push-subscriptions', { method: 'DELETE' });
}

/** Whether this browser holds a subscription. */
export async function pushEnabled() {
  if (!pushSupported() || Notification.permission !== 'granted') return false;
  const reg = await navigator.serviceWorker.getRegistration('/');
  return Boolean(reg && await reg.pushManager.getSubscription());
}

let following = false;

/**
 * A click on a notification when the app is already open in a tab the service worker cannot
 * navigate (push-sw.js posts {type: 'open-conversation'}): open that conversation here.
 */
function followNotificationClicks() {
  if (following || !('serviceWorker' in navigator)) return;
  following = true;
  navigator.serviceWorker.addEventListener('message', e => {
    const d = e.data;
    if (d && d.type === 'open-conversation' && typeof d.conversationId === 'string') {
      window.focus();
      location.hash = `#/c/${encodeURIComponent(d.conversationId)}`;
    }
  });
  navigator.serviceWorker.startMessages();
}

/** A new session on a device that already allowed push: subscribe it again, silently. */
export async function resumePush() {
  followNotificationClicks();
  if (pushSupported() && Notification.permission === 'granted' && localStorage.getItem('chatapp.push') === 'on') {
    await enablePush();
  }
}

/** On logout: the browser's subscription goes (the server ends it with the session). */
export async function forgetPush() {
  if (!pushSupported()) return;
  const reg = await navigator.serviceWorker.getRegistration('/');
  const sub = reg && await reg.pushManager.getSubscription();
  if (sub) await sub.unsubscribe();
}
