// Desktop notifications from the page (issue 20, "In the page"): the permission, asked only when
// the user chooses (a button in Settings, or the offer after their first sent message, never on
// load), and the notification itself, shown through the service worker so that a click can
// focus the tab and open the conversation (sw.js, "notificationclick").
//
// What a notification says (docs/web-client.md, "Notifications"): "New message from <name>" and
// nothing of the message, unless the user turned on "Show message text" on this device. A lock
// screen or a shared family computer shows notifications to whoever looks.

const PREVIEW = 'chatapp.notifications.preview';
const OFFERED = 'chatapp.notifications.offered';

/** 'granted', 'denied', 'default', or 'unsupported' (no Notification API, or not a secure context). */
export function notificationPermission() {
  if (!('Notification' in window) || !('serviceWorker' in navigator)) return 'unsupported';
  return Notification.permission;
}

/**
 * Asks the browser for permission to show notifications; call it from a click (browsers refuse
 * a request without a user gesture). Resolves to the permission afterwards. Also used by the
 * Web Push subscription, which needs the same permission.
 */
export async function askNotificationPermission() {
  const now = notificationPermission();
  if (now !== 'default') return now;
  localStorage.setItem(OFFERED, 'yes'); // asked once: the offer after a first send is not shown again
  try {
    return await Notification.requestPermission();
  } catch {
    return notificationPermission();
  }
}

/** Whether notifications may include the message text on this device (off unless chosen). */
export function previewAllowed() {
  return localStorage.getItem(PREVIEW) === 'on';
}

export function setPreviewAllowed(on) {
  if (on) localStorage.setItem(PREVIEW, 'on');
  else localStorage.removeItem(PREVIEW);
}

/** Whether the user has already been offered notifications (or asked, or said "Not now"). */
export function offered() {
  return localStorage.getItem(OFFERED) === 'yes';
}

export function markOffered() {
  localStorage.setItem(OFFERED, 'yes');
}

/** The tag shared by every notification of one conversation: a newer one replaces the older. */
export function tagOf(conversationId) {
  return `chatapp-conversation-${conversationId}`;
}

/**
 * Shows "New message from <name>" (with the text only if previewAllowed()) through the service
 * worker. Resolves true when shown; false without permission or service worker.
 */
export async function showMessageNotification({ conversationId, name, text }) {
  if (notificationPermission() !== 'granted') return false;
  const registration = await navigator.serviceWorker.getRegistration('/');
  if (!registration) return false;
  const options = {
    tag: tagOf(conversationId),
    renotify: true,
    icon: '/app/icon-192.png',
    data: { conversationId },
  };
  if (previewAllowed() && text) options.body = text.length > 140 ? `${text.slice(0, 139)}…` : text;
  await registration.showNotification(name ? `New message from ${name}` : 'New message', options);
  return true;
}

/** Calls onOpen(conversationId) when a notification of this app is clicked (sw.js tells the tab). */
export function onNotificationClick(onOpen) {
  if (!('serviceWorker' in navigator)) return () => {};
  const listener = e => {
    if (e.data && e.data.type === 'open-conversation' && e.data.conversationId) onOpen(e.data.conversationId);
  };
  navigator.serviceWorker.addEventListener('message', listener);
  return () => navigator.serviceWorker.removeEventListener('message', listener);
}
