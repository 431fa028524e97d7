// The service worker's Web Push part (docs/notifications.md), imported by /app/sw.js. A push holds
// no message text: {title, conversationId}. One notification per conversation (tag), and a click
// opens the app at that conversation.

self.addEventListener('push', event => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = {};
  }
  const title = typeof data.title === 'string' ? data.title : 'New message';
  const conversationId = typeof data.conversationId === 'string' ? data.conversationId : null;
  event.waitUntil(self.registration.showNotification(title, {
    tag: conversationId || 'chatapp',
    renotify: true,
    icon: '/app/icon.svg',
    data: { conversationId },
  }));
});

self.addEventListener('notificationclick', event => {
  event.notification.close();
  const id = event.notification.data && event.notification.data.conversationId;
  const url = new URL(id ? `/#/c/${encodeURIComponent(id)}` : '/', self.location.origin).href;
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    const open = windows.find(w => new URL(w.url).origin === self.location.origin);
    if (open) {
      await open.focus().catch(() => {}); // allowed only from a real click
      if ('navigate' in open) {
        try {
          await open.navigate(url);
          return;
        } catch {
          // an uncontrolled page cannot be navigated by the worker: tell it instead
        }
      }
      open.postMessage({ type: 'open-conversation', conversationId: id });
      return;
    }
    await self.clients.openWindow(url);
  })());
});
