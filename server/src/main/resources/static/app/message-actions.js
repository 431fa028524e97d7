// A message's life after it is sent (issue 21; docs/web-client.md, "Message actions"):
// delivery acknowledgements, ticks drawn as inline SVG (pending, sent, delivered, read),
// "edited", editing and deleting one's own messages, and replies with a quote that scrolls to
// the quoted message (loading older history as needed).
//
// The store and the chat view call in through a few hooks; everything else lives here.

import { h, replace, srOnly, fullTime } from './dom.js';
import { api } from './session.js';

/** API.md: a text message can be edited for 15 minutes after it was sent. */
export const EDIT_WINDOW_MS = 15 * 60 * 1000;
/** API.md: a quote shows the first 100 code points of the quoted text. */
const EXCERPT_CODE_POINTS = 100;

// ---- the store's side: frames in, delivery acknowledgements out ------------------------

const installed = new WeakSet();

/**
 * Teaches `store` the lifecycle frames (`delivered`, `message_edited`, `message_deleted`) and
 * sends `delivered` for the peer's messages when they arrive over the socket, a page of history
 * loads, or the inbox shows them. Once per store.
 */
export function installLifecycle(store) {
  if (installed.has(store)) return;
  installed.add(store);
  const me = store.me.userId;
  const acked = new Map(); // conversationId -> newest messageId acknowledged

  // Consent (docs/security.md): no delivery receipt before acceptance or while blocked.
  const accepted = id => {
    const c = store.conversations.get(id);
    return !!c && (!c.state || c.state === 'accepted');
  };

  const ack = (conversationId, upTo) => {
    if (!upTo || !accepted(conversationId)) return;
    const before = acked.get(conversationId);
    if (before && before >= upTo) return;
    acked.set(conversationId, upTo);
    if (store.realtime.send({ type: 'delivered', conversationId, upToMessageId: upTo })) return;
    api(`/conversations/${encodeURIComponent(conversationId)}/delivered`, { method: 'POST', body: { upToMessageId: upTo } })
      .catch(() => { if (acked.get(conversationId) === upTo) acked.delete(conversationId); });
  };

  const newestUndelivered = conversationId => {
    let newest = null;
    for (const m of store.thread(conversationId).messages.values()) {
      if (m.recipientId === me && !m.deliveredAt && !m.readAt && (!newest || m.messageId > newest)) newest = m.messageId;
    }
    return newest;
  };

  store.addEventListener('messages', e => {
    const id = e.detail && e.detail.conversationId;
    if (id) ack(id, newestUndelivered(id));
  });
  // The inbox's newest messages reached this device too; and a conversation accepted meanwhile
  // acknowledges what it already holds.
  store.addEventListener('conversations', () => {
    for (const c of store.conversations.values()) {
      const m = c.lastMessage;
      if (m && m.recipientId === me && !m.deliveredAt && !m.readAt) ack(c.conversationId, m.messageId);
    }
    for (const [id, t] of store.threads) if (t.loaded) ack(id, newestUndelivered(id));
  });
  store.realtime.addEventListener('frame', e => {
    const f = e.detail;
    switch (f.type) {
      case 'message':
        if (f.message && f.message.recipientId === me) ack(f.message.conversationId, f.message.messageId);
        break;
      case 'delivered':
        applyDelivered(store, f);
        break;
      case 'message_edited':
      case 'message_deleted':
        if (f.message) applyChange(store, f.message);
        break;
      default:
        break;
    }
  });
}

/** My messages up to `upToMessageId` reached a device of the peer at `deliveredAt`. */
function applyDelivered(store, f) {
  const me = store.me.userId;
  const t = store.thread(f.conversationId);
  for (const [id, m] of t.messages) {
    if (id <= f.upToMessageId && m.senderId === me && !m.deliveredAt) t.messages.set(id, { ...m, deliveredAt: f.deliveredAt });
  }
  const c = store.conversations.get(f.conversationId);
  if (c && c.lastMessage && c.lastMessage.messageId <= f.upToMessageId && c.lastMessage.senderId === me
    && !c.lastMessage.deliveredAt) {
    c.lastMessage = { ...c.lastMessage, deliveredAt: f.deliveredAt };
    store.emit('conversations');
  }
  store.emit('messages', { conversationId: f.conversationId });
}

/**
 * A message as it is now (edited, or deleted for everyone): replaces the copy held, the inbox
 * preview, and the quotes of replies to it (the server makes quotes from the quoted message
 * whenever they are read; this keeps what is on screen the same without a reload).
 */
export function applyChange(store, m) {
  const t = store.thread(m.conversationId);
  const old = t.messages.get(m.messageId);
  if (old) {
    t.messages.set(m.messageId, { ...m, readAt: m.readAt || old.readAt, deliveredAt: m.deliveredAt || old.deliveredAt });
  }
  const quote = quoteOf(m);
  for (const [id, other] of t.messages) {
    if (other.quote && other.quote.messageId === m.messageId) t.messages.set(id, { ...other, quote });
  }
  const c = store.conversations.get(m.conversationId);
  if (c && c.lastMessage) {
    if (c.lastMessage.messageId === m.messageId) c.lastMessage = t.messages.get(m.messageId) || m;
    else if (c.lastMessage.quote && c.lastMessage.quote.messageId === m.messageId) c.lastMessage = { ...c.lastMessage, quote };
    store.emit('conversations');
  }
  store.emit('messages', { conversationId: m.conversationId });
}

/** What a reply shows of `m` (API.md, "Message" quote). */
export function quoteOf(m) {
  const type = m.content ? m.content.contentType : 'deleted';
  let excerpt = '';
  if (type === 'image') excerpt = 'Photo';
  else if (type === 'video') excerpt = 'Video';
  else if (type === 'text') {
    const points = [...m.content.value];
    excerpt = points.length > EXCERPT_CODE_POINTS ? `${points.slice(0, EXCERPT_CODE_POINTS).join('')}…` : m.content.value;
  }
  return { messageId: m.messageId, senderId: m.senderId, contentType: type, excerpt };
}

// ---- ticks -----------------------------------------------------------------------------

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  el.append(...children);
  return el;
}

const CHECK = 'M1.5 6.5 4.5 9.5 10.5 2.5';
const SECOND_CHECK = 'M7 8.5 8 9.5 14.5 2.5';
const TICKS = {
  uploading: ['clock', 'Uploading'],
  pending: ['clock', 'Sending'],
  sent: ['one', 'Sent'],
  delivered: ['two', 'Delivered'],
  read: ['two', 'Read'],
  failed: ['alert', 'Not sent'],
};

/**
 * The tick of one of my messages, drawn as inline SVG (no font glyph: Debian's fonts draw some
 * as empty boxes): a clock while pending, one check when sent, two when delivered, two in the
 * read colour when read; the words for screen readers and as the tooltip.
 */
export function ticks(state, message) {
  const [shape, words] = TICKS[state] || [null, ''];
  let title = words;
  if (state === 'read' && message && message.readAt) title = `Read ${fullTime(message.readAt)}`;
  else if (state === 'delivered' && message && message.deliveredAt) title = `Delivered ${fullTime(message.deliveredAt)}`;
  const line = d => svg('path', { d, fill: 'none', stroke: 'currentColor', 'stroke-width': 1.6, 'stroke-linecap': 'round', 'stroke-linejoin': 'round' });
  let parts = [];
  if (shape === 'clock') {
    parts = [svg('circle', { cx: 6, cy: 6, r: 4.8, fill: 'none', stroke: 'currentColor', 'stroke-width': 1.3 }), line('M6 3.4V6l1.8 1.2')];
  } else if (shape === 'one') {
    parts = [line(CHECK)];
  } else if (shape === 'two') {
    parts = [line(CHECK), line(SECOND_CHECK)];
  } else if (shape === 'alert') {
    parts = [svg('circle', { cx: 6, cy: 6, r: 5, fill: 'currentColor' }),
      svg('path', { d: 'M6 3v3.6M6 8.6v.1', stroke: 'white', 'stroke-width': 1.6, 'stroke-linecap': 'round' })];
  }
  const icon = svg('svg', { class: 'tick-icon', viewBox: '0 0 16 12', width: 16, height: 12, 'aria-hidden': 'true', focusable: 'false' }, ...parts);
  return h('span', { class: `ticks ${state}`, title, 'data-tick': state }, icon, srOnly(words));
}

// ---- the chat view's side: quote, "edited", actions, the composer's reply and edit -----

/** The per-view part: one per ChatView. */
export class MessageActions {
  constructor(view) {
    this.view = view;
    this.mode = null; // null | {kind: 'reply'|'edit', message}
    this.menu = null;
    installLifecycle(view.store);
    this.onDocumentClick = e => {
      // (an item that replaced the menu's content, "Delete for everyone", is no longer in the page)
      if (this.menu && e.target.isConnected && !this.menu.contains(e.target) && !e.target.closest('.actions-toggle')) {
        this.closeMenu(false);
      }
    };
    document.addEventListener('click', this.onDocumentClick);
  }

  destroy() {
    document.removeEventListener('click', this.onDocumentClick);
  }

  /** The conversation's section was (re)built: the bar above the composer lives here. */
  attach(form, text) {
    this.form = form;
    this.text = text;
    this.mode = null;
    this.menu = null;
    this.bar = h('div', { class: 'composer-context', hidden: true, role: 'status' });
    form.before(this.bar);
    text.addEventListener('keydown', e => {
      if (e.key === 'Escape' && this.mode) {
        e.preventDefault();
        this.cancel();
      }
    });
  }

  peerName() {
    const c = this.view.conversation;
    return c && c.peer ? c.peer.username : '';
  }

  nameOf(userId) {
    return userId === this.view.me.userId ? 'You' : this.peerName();
  }

  /** After a bubble is filled: its quote, the "edited" label and the actions button. */
  decorate(li, item, mine) {
    const m = item.message;
    const quote = m ? m.quote : item.pending && item.pending.quote;
    li.querySelector(':scope > .quote')?.remove();
    const [, body, meta] = li.children;
    if (quote) {
      const deleted = quote.contentType === 'deleted';
      body.before(h('button', {
        type: 'button', class: `quote${deleted ? ' deleted' : ''}`,
        'aria-label': `Reply to ${this.nameOf(quote.senderId)}: ${deleted ? 'message deleted' : quote.excerpt}. Go to the message`,
        onclick: () => this.goTo(quote.messageId),
      }, h('span', { class: 'quote-who' }, this.nameOf(quote.senderId)),
      h('span', { class: 'quote-text' }, deleted ? 'Message deleted' : quote.excerpt)));
    }
    if (!m) return;
    if (m.editedAt && !m.deletedAt && m.content.contentType !== 'deleted') {
      meta.prepend(h('span', { class: 'edited', title: `Edited ${fullTime(m.editedAt)}` }, 'edited'));
    }
    if (m.content.contentType !== 'deleted') {
      meta.append(h('button', {
        type: 'button', class: 'actions-toggle quiet', 'aria-haspopup': 'menu', 'aria-expanded': 'false',
        'aria-label': mine ? 'Actions for your message' : 'Actions for this message',
        onclick: e => this.toggleMenu(e.currentTarget, li, m, mine),
      }, h('span', { 'aria-hidden': 'true' }, '⋯')));
    }
  }

  // ---- the menu ----

  toggleMenu(button, li, m, mine) {
    const open = this.menu && this.menu.dataset.messageId === m.messageId;
    this.closeMenu(false);
    if (open) return;
    const items = [this.item('Reply', () => this.startReply(m))];
    const editable = mine && m.content.contentType === 'text' && Date.now() - Date.parse(m.createdAt) < EDIT_WINDOW_MS;
    if (editable) items.push(this.item('Edit', () => this.startEdit(m)));
    if (mine) items.push(this.item('Delete for everyone', () => this.confirmDelete(m), 'danger', true));
    this.menu = h('div', { class: 'message-menu', role: 'menu', 'aria-label': 'Message actions', dataset: { messageId: m.messageId } }, items);
    this.menu.toggle = button;
    this.menu.addEventListener('keydown', e => this.menuKeys(e));
    li.append(this.menu);
    button.setAttribute('aria-expanded', 'true');
    items[0].focus();
  }

  item(label, action, cls = '', keepOpen = false) {
    return h('button', {
      type: 'button', role: 'menuitem', class: `quiet ${cls}`,
      onclick: () => {
        if (!keepOpen) this.closeMenu(false);
        action();
      },
    }, label);
  }

  menuKeys(e) {
    const items = [...this.menu.querySelectorAll('button')];
    const at = items.indexOf(document.activeElement);
    if (e.key === 'Escape') {
      e.preventDefault();
      this.closeMenu(true);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      items[(at + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length].focus();
    } else if (e.key === 'Tab') {
      this.closeMenu(false);
    }
  }

  closeMenu(focusToggle) {
    if (!this.menu) return;
    const toggle = this.menu.toggle;
    this.menu.remove();
    this.menu = null;
    if (toggle && toggle.isConnected) {
      toggle.setAttribute('aria-expanded', 'false');
      if (focusToggle) toggle.focus();
    }
  }

  confirmDelete(m) {
    const menu = this.menu;
    if (!menu) return;
    const cancel = this.item('Cancel', () => {}, '');
    replace(menu, h('p', { class: 'confirm' }, 'Delete this message for everyone?'),
      this.item('Delete', () => this.remove(m), 'danger'), cancel);
    menu.querySelector('button').focus();
  }

  async remove(m) {
    try {
      const tombstone = await api(`/conversations/${encodeURIComponent(m.conversationId)}/messages/${encodeURIComponent(m.messageId)}`,
        { method: 'DELETE' });
      applyChange(this.view.store, tombstone);
      if (this.mode && this.mode.message.messageId === m.messageId) this.cancel();
    } catch (e) {
      this.view.onError(e);
    }
  }

  // ---- reply and edit in the composer ----

  startReply(m) {
    this.mode = { kind: 'reply', message: m };
    this.showBar(`Replying to ${this.nameOf(m.senderId)}`, quoteOf(m).excerpt);
    this.text.focus();
  }

  startEdit(m) {
    this.mode = { kind: 'edit', message: m };
    this.showBar('Editing your message', m.content.value);
    this.text.value = m.content.value;
    this.text.dispatchEvent(new Event('input'));
    this.text.focus();
  }

  showBar(title, excerpt) {
    replace(this.bar, h('span', { class: 'context-title' }, title),
      h('span', { class: 'context-text' }, excerpt),
      h('button', { type: 'button', class: 'quiet', onclick: () => this.cancel(), 'aria-label': `Cancel: ${title}` }, 'Cancel'));
    this.bar.hidden = false;
  }

  cancel() {
    if (this.mode && this.mode.kind === 'edit') this.text.value = '';
    this.mode = null;
    if (this.bar) this.bar.hidden = true;
    this.text?.focus();
  }

  /** The reply the next send carries ({messageId, quote}), taken once; null if none. */
  takeReply() {
    if (!this.mode || this.mode.kind !== 'reply') return null;
    const m = this.mode.message;
    this.cancel();
    return { messageId: m.messageId, quote: quoteOf(m) };
  }

  /** Whether the composer edits a message: then the text is saved as its new text (PATCH). */
  get editing() {
    return !!this.mode && this.mode.kind === 'edit';
  }

  async saveEdit(value) {
    const m = this.mode.message;
    this.cancel();
    if (value === m.content.value) return;
    try {
      const edited = await api(`/conversations/${encodeURIComponent(m.conversationId)}/messages/${encodeURIComponent(m.messageId)}`,
        { method: 'PATCH', body: { content: { contentType: 'text', value } } });
      applyChange(this.view.store, edited);
    } catch (e) {
      this.view.onError(e);
    }
  }

  // ---- going to a quoted message ----

  /** Scrolls to the quoted message, loading older pages until it is there or history ends. */
  async goTo(messageId) {
    const view = this.view;
    const id = view.id;
    const find = () => view.list && view.list.querySelector(`li[data-message-id="${CSS.escape(messageId)}"]`);
    view.loadingOlder = true; // the view's own infinite scroll waits meanwhile
    try {
      let li = find();
      while (!li) {
        const t = view.store.thread(id);
        if (view.id !== id) return;
        if (t.reachedStart || !t.olderCursor) {
          view.onError(new Error('The quoted message is no longer in this conversation.'));
          return;
        }
        view.historyStatus.textContent = 'Loading earlier messages…';
        await view.store.loadOlder(id);
        li = find();
      }
      view.pinned = false;
      li.scrollIntoView({ block: 'center' });
      li.tabIndex = -1;
      li.focus({ preventScroll: true });
      li.classList.add('highlight');
      setTimeout(() => li.classList.remove('highlight'), 2000);
    } catch (e) {
      view.onError(e);
    } finally {
      view.loadingOlder = false;
    }
  }
}
