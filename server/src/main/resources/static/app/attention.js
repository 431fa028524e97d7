// Getting the user's attention in the page (issue 20, "In the page"): the unread total in the
// tab's title ("(3) ChatApp") and as a badge on the favicon, a short sound for a new message
// when the tab is hidden or its conversation is not open (off switch in Settings, kept on this
// device), a desktop notification when the tab is hidden (notify.js), and once, after the
// user's first sent message, an offer to turn notifications on.

import { h } from './dom.js';
import { askNotificationPermission, markOffered, notificationPermission, offered, showMessageNotification } from './notify.js';

const SOUND = 'chatapp.sound';
const TITLE_COUNT = /^\(\d+\+?\) /;

/** Whether the new-message sound is on (the default) on this device. */
export function soundOn() {
  return localStorage.getItem(SOUND) !== 'off';
}

export function setSoundOn(on) {
  if (on) localStorage.removeItem(SOUND);
  else localStorage.setItem(SOUND, 'off');
}

export class Attention {
  /** shell: the app's element (the offer goes above its panes). */
  constructor(store, realtime, me, shell) {
    this.store = store;
    this.realtime = realtime;
    this.me = me;
    this.shell = shell;
    this.total = 0;
    this.seen = new Set(); // messageIds already announced (delivery is at-least-once)
    this.icon = document.querySelector('link[rel="icon"]');
    this.plainIcon = this.icon ? this.icon.getAttribute('href') : null;
    this.onConversations = () => this.showUnread();
    this.onFrame = e => this.onServerFrame(e.detail);
    this.onMessages = e => { if (e.detail && e.detail.pending) this.maybeOffer(e.detail.pending.conversationId); };
    store.addEventListener('conversations', this.onConversations);
    store.addEventListener('messages', this.onMessages);
    realtime.addEventListener('frame', this.onFrame);
    // Other code sets the title (the open conversation, Settings): the count is put back in front.
    this.titleObserver = new MutationObserver(() => this.applyTitle());
    this.titleObserver.observe(document.querySelector('title'), { childList: true, characterData: true, subtree: true });
  }

  destroy() {
    this.store.removeEventListener('conversations', this.onConversations);
    this.store.removeEventListener('messages', this.onMessages);
    this.realtime.removeEventListener('frame', this.onFrame);
    this.titleObserver.disconnect();
    this.total = 0;
    this.applyTitle();
    if (this.icon && this.plainIcon) this.icon.setAttribute('href', this.plainIcon);
    if (this.offer) this.offer.remove();
  }

  // ---- the unread total ----------------------------------------------------------------

  showUnread() {
    let total = 0;
    for (const c of this.store.conversations.values()) total += c.unreadCount || 0;
    if (total === this.total) return;
    this.total = total;
    this.applyTitle();
    this.drawFavicon(total);
  }

  applyTitle() {
    const plain = document.title.replace(TITLE_COUNT, '');
    const wanted = this.total > 0 ? `(${this.total > 99 ? '99+' : this.total}) ${plain}` : plain;
    if (document.title !== wanted) document.title = wanted;
  }

  /** The app icon with a round badge holding the count (9+ above nine), as a PNG data: URL. */
  async drawFavicon(total) {
    if (!this.icon || !this.plainIcon) return;
    if (total === 0) {
      this.icon.setAttribute('href', this.plainIcon);
      return;
    }
    const size = 64;
    const canvas = h('canvas', { width: size, height: size });
    const g = canvas.getContext('2d');
    try {
      const img = new Image(size, size);
      img.src = this.plainIcon;
      await img.decode();
      g.drawImage(img, 0, 0, size, size);
    } catch {
      g.fillStyle = '#0f6e75';
      g.fillRect(0, 0, size, size);
    }
    if (total !== this.total) return; // a newer count is being drawn
    const text = total > 9 ? '9+' : String(total);
    g.fillStyle = '#c5221f';
    g.beginPath();
    g.arc(size - 20, 20, 20, 0, 2 * Math.PI);
    g.fill();
    g.fillStyle = '#fff';
    g.font = `bold ${text.length > 1 ? 22 : 28}px sans-serif`;
    g.textAlign = 'center';
    g.textBaseline = 'middle';
    g.fillText(text, size - 20, 21);
    this.icon.setAttribute('href', canvas.toDataURL('image/png'));
  }

  // ---- a new message: sound and notification --------------------------------------------

  onServerFrame(frame) {
    if (frame.type !== 'message' || !frame.message) return;
    const m = frame.message;
    if (m.senderId === this.me.userId || m.recipientId !== this.me.userId || this.seen.has(m.messageId)) return;
    this.seen.add(m.messageId);
    if (this.seen.size > 500) this.seen.clear();
    const hidden = document.visibilityState !== 'visible';
    const open = location.hash === `#/c/${encodeURIComponent(m.conversationId)}`;
    if (!hidden && open) return; // the user sees it arrive
    this.once(m.messageId, () => {
      if (soundOn()) this.chime();
      if (hidden) this.notify(m);
    });
  }

  /**
   * Runs fn in one tab only when several tabs of this browser hear the same message: the first
   * to take the message's lock does it, and holds the lock a moment so that the others skip it.
   */
  once(messageId, fn) {
    if (!navigator.locks || !navigator.locks.request) {
      fn();
      return;
    }
    navigator.locks.request(`chatapp.attention.${messageId}`, { ifAvailable: true }, async lock => {
      if (!lock) return;
      fn();
      await new Promise(r => setTimeout(r, 3000));
    }).catch(() => {});
  }

  /** Two short soft tones (WebAudio: no sound file to fetch). */
  chime() {
    try {
      this.audio = this.audio || new AudioContext();
      const ctx = this.audio;
      if (ctx.state === 'suspended') ctx.resume().catch(() => {});
      const t = ctx.currentTime;
      [[660, 0], [880, 0.12]].forEach(([freq, at]) => {
        const tone = ctx.createOscillator();
        const gain = ctx.createGain();
        tone.type = 'sine';
        tone.frequency.value = freq;
        gain.gain.setValueAtTime(0.0001, t + at);
        gain.gain.exponentialRampToValueAtTime(0.15, t + at + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, t + at + 0.25);
        tone.connect(gain).connect(ctx.destination);
        tone.start(t + at);
        tone.stop(t + at + 0.3);
      });
    } catch {
      // no audio on this device
    }
  }

  notify(m) {
    const c = this.store.conversations.get(m.conversationId);
    const peer = c && c.peer;
    const name = peer ? peer.displayName || peer.username : null;
    const text = m.content && m.content.contentType === 'text' ? m.content.value
      : m.content && m.content.contentType === 'image' ? 'Photo' : m.content && m.content.contentType === 'video' ? 'Video' : null;
    showMessageNotification({ conversationId: m.conversationId, name, text })
      .catch(e => console.warn(`ChatApp could not show a notification: ${e && e.name}`)); // never the text
  }

  // ---- the offer, after the first sent message -------------------------------------------

  maybeOffer(conversationId) {
    if (this.offer || offered() || notificationPermission() !== 'default') return;
    markOffered();
    const c = this.store.conversations.get(conversationId);
    const name = c && c.peer ? c.peer.displayName || c.peer.username : 'they';
    const close = () => { this.offer.remove(); this.offer = null; };
    const turnOn = h('button', { type: 'button', class: 'primary' }, 'Turn on notifications');
    turnOn.addEventListener('click', async () => {
      await askNotificationPermission();
      close();
    });
    this.offer = h('section', { class: 'offer', 'aria-labelledby': 'offer-title' },
      h('p', { id: 'offer-title' }, `Want to know when ${name} answers?`,
        h('span', { class: 'offer-detail' }, ' ChatApp can show a notification while this tab is in the background.'
          + ' It says who wrote, never what (unless you allow that in Settings).')),
      h('span', { class: 'offer-actions' }, turnOn,
        h('button', { type: 'button', class: 'quiet', onclick: close }, 'Not now')));
    const panes = this.shell.querySelector('.panes');
    this.shell.insertBefore(this.offer, panes);
  }
}
