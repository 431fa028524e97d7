// The service worker's Web Push part (docs/notifications.md), imported by /app/sw.js. A push holds
// no message text: {title, conversationId}. One notification per conversation (tag), and a click
// opens the app at that conversation (sw.js's notificationclick handler, shared with the page's
// own notifications, whose tag this one uses so that the two collapse).

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
    tag: conversationId ? `chatapp-conversation-${conversationId}` : 'chatapp',
    renotify: true,
    icon: '/app/icon.svg',
    data: { conversationId },
  }));
});
