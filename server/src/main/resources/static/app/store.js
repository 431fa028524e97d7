// What the client knows: conversations, the loaded part of each conversation's messages, sends
// not yet acknowledged (the outbox), presence and typing. Views subscribe to changes.
//
// Delivery is at-least-once (docs/architecture.md): every message is merged by messageId, so a
// duplicate event, a catch-up page overlapping what arrived live, or an ack for a message that
// also came as an event all end as one bubble.

import { api } from './session.js';
import { newId } from './dom.js';
import { withPeerProfile } from './profile-view.js';

const PAGE = 50;

/** Error codes that say the message itself cannot be sent; any other error is worth a retry. */
const REFUSALS = new Set(['validation_failed', 'forbidden', 'not_found', 'too_large', 'unsupported_media', 'bad_frame', 'conflict']);

function describeRefusal(frame) {
  if (frame.code === 'forbidden') return 'you cannot write in this conversation';
  if (frame.code === 'conflict') return frame.detail || 'not now: the conversation is not accepted';
  if (frame.code === 'not_found') return 'this conversation or its photo no longer exists';
  return frame.detail || frame.code;
}

/** A message's place: messageIds sort in creation order within a conversation (API.md). */
export const byId = (a, b) => (a.messageId < b.messageId ? -1 : a.messageId > b.messageId ? 1 : 0);

export class Store extends EventTarget {
  constructor(me, realtime) {
    super();
    this.me = me;
    this.realtime = realtime;
    this.conversations = new Map();
    this.conversationsCursor = undefined; // undefined: not loaded; null: all loaded
    this.threads = new Map(); // conversationId -> {messages: Map, olderCursor, loaded, reachedStart}
    this.outbox = new Map(); // clientMessageId -> {clientMessageId, conversationId, content, state, error, createdAt, local}
    this.presence = new Map(); // userId -> {online, lastSeenAt}
    this.typing = new Map(); // conversationId -> until (ms)
    this.readSent = new Map(); // conversationId -> upToMessageId sent
    this.previews = new Map(); // messageId -> local preview of my upload ({kind, url}), kept after the ack
    realtime.addEventListener('frame', e => this.onFrame(e.detail));
    realtime.addEventListener('open', () => this.catchUp());
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  // ---- conversations -------------------------------------------------------------------

  /** Most recently active first (API.md: GET /conversations order); requests to me are apart. */
  sortedConversations() {
    return this.sorted(c => !this.awaitsMe(c));
  }

  /** Requests to me (pending, or declined by me), most recent first (GET /conversations/requests). */
  sortedRequests() {
    return this.sorted(c => this.awaitsMe(c));
  }

  sorted(keep) {
    return [...this.conversations.values()].filter(keep).sort((a, b) =>
      (b.updatedAt || '').localeCompare(a.updatedAt || '') || a.conversationId.localeCompare(b.conversationId));
  }

  /** Whether the conversation is a request to me that I have not accepted (docs/security.md, "Consent"). */
  awaitsMe(c) {
    return (c.state === 'requested' || c.state === 'declined') && c.requestedBy !== this.me.userId;
  }

  /** accept, decline, block or unblock; the conversation as it is now. */
  async decide(conversationId, action) {
    const path = `/conversations/${encodeURIComponent(conversationId)}/${action === 'unblock' ? 'block' : action}`;
    const c = this.putConversation(await api(path, action === 'unblock' ? { method: 'DELETE' } : { method: 'POST', body: {} }));
    this.emit('conversations');
    return c;
  }

  async loadConversations() {
    const [page, requests] = await Promise.all([api(`/conversations?limit=${PAGE}`), api(`/conversations/requests?limit=${PAGE}`)]);
    for (const c of requests.items) this.putConversation(c);
    for (const c of page.items) this.putConversation(c);
    if (this.conversationsCursor === undefined) this.conversationsCursor = page.nextCursor;
    this.emit('conversations');
  }

  async loadMoreConversations() {
    if (!this.conversationsCursor) return;
    const page = await api(`/conversations?limit=${PAGE}&cursor=${encodeURIComponent(this.conversationsCursor)}`);
    for (const c of page.items) this.putConversation(c);
    this.conversationsCursor = page.nextCursor;
    this.emit('conversations');
  }

  putConversation(c) {
    const old = this.conversations.get(c.conversationId);
    // Keep what live events taught us if the fetched copy is older.
    if (old && old.lastMessage && c.lastMessage && old.lastMessage.messageId > c.lastMessage.messageId) {
      c = { ...c, lastMessage: old.lastMessage, updatedAt: old.updatedAt };
    }
    this.conversations.set(c.conversationId, c);
    return c;
  }

  async conversation(id) {
    if (this.conversations.has(id)) return this.conversations.get(id);
    let fetched;
    try {
      fetched = await api(`/conversations/${encodeURIComponent(id)}`);
    } catch (e) {
      // Out of reach (status 0): the row saved for offline use, if any (offline.js).
      fetched = e.status === 0 && this.lastKnown ? await this.lastKnown.conversationCopy(id) : null;
      if (!fetched) throw e;
    }
    const c = this.putConversation(fetched);
    this.emit('conversations');
    return c;
  }

  /** Opens (creates if needed, idempotent) the conversation with a user. */
  async startConversation(peerId) {
    const c = this.putConversation(await api('/conversations', { method: 'POST', body: { peerId } }));
    this.emit('conversations');
    return c;
  }

  // ---- messages ------------------------------------------------------------------------

  thread(conversationId) {
    let t = this.threads.get(conversationId);
    if (!t) {
      t = { messages: new Map(), olderCursor: null, loaded: false, reachedStart: false };
      this.threads.set(conversationId, t);
    }
    return t;
  }

  /** The loaded messages, oldest first, then unacknowledged sends in the order they were made. */
  timeline(conversationId) {
    const t = this.thread(conversationId);
    const stored = [...t.messages.values()].sort(byId);
    const pending = [...this.outbox.values()]
      .filter(o => o.conversationId === conversationId)
      .sort((a, b) => a.createdAt - b.createdAt);
    return { stored, pending };
  }

  async loadLatest(conversationId) {
    const t = this.thread(conversationId);
    const first = !t.loaded;
    // From now on live messages are kept; the newest page fetched below joins them without a gap.
    t.loaded = true;
    let page;
    try {
      page = await api(`/conversations/${encodeURIComponent(conversationId)}/messages?limit=${PAGE}`);
    } catch (e) {
      if (first) {
        t.loaded = false;
        t.messages.clear();
        // Out of reach (status 0): the copy saved for offline use, if any (offline.js).
        if (e.status === 0 && this.lastKnown && await this.lastKnown.restoreThread(this, conversationId)) return;
      }
      throw e;
    }
    this.mergeMessages(conversationId, page.items);
    if (first) {
      t.olderCursor = page.nextCursor;
      t.reachedStart = !page.nextCursor;
      t.ready = true;
    }
    this.emit('messages', { conversationId });
  }

  /** One older page (infinite scroll upwards). Resolves false when the start is reached. */
  async loadOlder(conversationId) {
    const t = this.thread(conversationId);
    if (t.reachedStart || !t.olderCursor) return false;
    const page = await api(`/conversations/${encodeURIComponent(conversationId)}/messages?limit=${PAGE}&cursor=${encodeURIComponent(t.olderCursor)}`);
    t.olderCursor = page.nextCursor;
    t.reachedStart = !page.nextCursor;
    this.mergeMessages(conversationId, page.items);
    this.emit('messages', { conversationId, older: true });
    return !t.reachedStart;
  }

  /** The newest stored message we hold, or null. */
  newestId(conversationId) {
    let newest = null;
    for (const id of this.thread(conversationId).messages.keys()) if (!newest || id > newest) newest = id;
    return newest;
  }

  /** Everything after `after` (API.md: `after=`, oldest first, follow nextCursor). */
  async loadNewer(conversationId, after) {
    if (!after) return this.loadLatest(conversationId);
    let cursor = null;
    do {
      const query = cursor ? `cursor=${encodeURIComponent(cursor)}` : `after=${encodeURIComponent(after)}`;
      const page = await api(`/conversations/${encodeURIComponent(conversationId)}/messages?limit=100&${query}`);
      this.mergeMessages(conversationId, page.items);
      cursor = page.nextCursor;
    } while (cursor);
    this.emit('messages', { conversationId });
  }

  mergeMessages(conversationId, items) {
    const t = this.thread(conversationId);
    for (const m of items) {
      const old = t.messages.get(m.messageId);
      t.messages.set(m.messageId, old && old.readAt && !m.readAt ? { ...m, readAt: old.readAt } : m);
      if (m.senderId === this.me.userId && this.outbox.has(m.clientMessageId)) {
        const item = this.outbox.get(m.clientMessageId);
        if (item.local) this.previews.set(m.messageId, item.local);
        this.outbox.delete(m.clientMessageId);
      }
    }
  }

  /**
   * A message stored by the server (ack or live event) becomes known everywhere. A conversation
   * whose messages were never loaded only gets its row updated: it loads its newest page when
   * opened, so what it holds is always one unbroken stretch of history.
   */
  addMessage(m, { live = true } = {}) {
    const t = this.thread(m.conversationId);
    const c = this.conversations.get(m.conversationId);
    // Delivery is at-least-once: a message already held (or already counted in the row) is not new.
    const isNew = t.loaded ? !t.messages.has(m.messageId)
      : !(c && c.lastMessage && c.lastMessage.messageId >= m.messageId);
    if (t.loaded) this.mergeMessages(m.conversationId, [m]);
    if (c) {
      if (!c.lastMessage || c.lastMessage.messageId <= m.messageId) {
        c.lastMessage = t.messages.get(m.messageId) || m;
        c.updatedAt = m.createdAt > (c.updatedAt || '') ? m.createdAt : c.updatedAt;
      }
      if (isNew && live && m.recipientId === this.me.userId && !m.readAt) c.unreadCount = (c.unreadCount || 0) + 1;
      this.emit('conversations');
    } else {
      this.conversation(m.conversationId).catch(() => {});
    }
    this.emit('messages', { conversationId: m.conversationId, added: isNew && t.loaded ? m : null });
  }

  // ---- sending -------------------------------------------------------------------------

  /**
   * Sends text or media: shown at once as pending, written to the socket when it is open, and
   * re-sent with the same clientMessageId after every reconnect until acknowledged (API.md:
   * a repeated clientMessageId is acked with the original message, never a second copy).
   */
  send(conversationId, content, local, reply) {
    const item = { clientMessageId: newId(), conversationId, content, state: 'pending', createdAt: Date.now(), local };
    if (reply) Object.assign(item, { replyTo: reply.messageId, quote: reply.quote }); // message-actions.js
    this.outbox.set(item.clientMessageId, item);
    this.emit('messages', { conversationId, pending: item });
    this.transmit(item);
    return item;
  }

  /** A pending bubble with no content yet (an upload in progress). */
  placeholder(conversationId, local) {
    const item = { clientMessageId: newId(), conversationId, content: null, state: 'uploading', createdAt: Date.now(), local };
    this.outbox.set(item.clientMessageId, item);
    this.emit('messages', { conversationId, pending: item });
    return item;
  }

  /** Sends a placeholder once its upload is done. */
  ready(item, content) {
    item.content = content;
    item.state = 'pending';
    this.transmit(item);
    this.emit('messages', { conversationId: item.conversationId });
  }

  fail(item, error) {
    item.state = 'failed';
    item.error = error;
    this.emit('messages', { conversationId: item.conversationId });
  }

  update(item) {
    this.emit('messages', { conversationId: item.conversationId, progress: item });
  }

  retry(clientMessageId) {
    const item = this.outbox.get(clientMessageId);
    if (!item || !item.content) return;
    item.state = 'pending';
    item.error = null;
    this.transmit(item);
    this.emit('messages', { conversationId: item.conversationId });
  }

  discard(clientMessageId) {
    const item = this.outbox.get(clientMessageId);
    if (!item) return;
    this.outbox.delete(clientMessageId);
    if (item.local && item.local.url) URL.revokeObjectURL(item.local.url);
    this.emit('messages', { conversationId: item.conversationId });
  }

  /**
   * Over the socket when it is open, else over REST (POST .../messages, idempotent by the same
   * clientMessageId), so a send does not wait for the socket to come back. When neither works
   * the item stays pending until the next reconnect.
   */
  transmit(item) {
    if (item.state !== 'pending' || !item.content) return;
    const frame = {
      type: 'send', clientMessageId: item.clientMessageId, conversationId: item.conversationId, content: item.content,
    };
    if (item.replyTo) frame.replyTo = item.replyTo;
    if (!this.realtime.send(frame)) this.post(item);
  }

  post(item) {
    if (item.posting || !navigator.onLine) return;
    item.posting = true;
    api(`/conversations/${encodeURIComponent(item.conversationId)}/messages`, {
      method: 'POST', body: { clientMessageId: item.clientMessageId, content: item.content, replyTo: item.replyTo },
    }).then(message => {
      this.onFrame({ type: 'ack', clientMessageId: item.clientMessageId, message });
    }, e => {
      if (e.status === 0 || e.status >= 500 || e.status === 429) return; // stays pending; retried on reconnect
      if (this.outbox.has(item.clientMessageId)) this.fail(item, e.message);
    }).finally(() => { item.posting = false; });
  }

  flushOutbox() {
    [...this.outbox.values()].sort((a, b) => a.createdAt - b.createdAt).forEach(item => this.transmit(item));
  }

  // ---- read receipts -------------------------------------------------------------------

  /** Marks the peer's messages up to `upToMessageId` read, here and on the server. */
  markRead(conversationId, upToMessageId) {
    const sent = this.readSent.get(conversationId);
    if (sent && sent >= upToMessageId) return;
    this.readSent.set(conversationId, upToMessageId);
    const now = new Date().toISOString();
    this.applyRead(conversationId, this.peerOf(conversationId), upToMessageId, now);
    const frame = { type: 'read', conversationId, upToMessageId };
    if (!this.realtime.send(frame)) {
      api(`/conversations/${encodeURIComponent(conversationId)}/read`, { method: 'POST', body: { upToMessageId } })
        .catch(() => this.readSent.delete(conversationId));
    }
  }

  peerOf(conversationId) {
    const c = this.conversations.get(conversationId);
    return c && c.peer ? c.peer.userId : null;
  }

  /** `senderId`'s messages up to the id were read at `readAt`. */
  applyRead(conversationId, senderId, upToMessageId, readAt) {
    const t = this.thread(conversationId);
    for (const [id, m] of t.messages) {
      if (id <= upToMessageId && !m.readAt && (senderId == null || m.senderId === senderId)) {
        t.messages.set(id, { ...m, readAt });
      }
    }
    const c = this.conversations.get(conversationId);
    if (c) {
      if (c.lastMessage && c.lastMessage.messageId <= upToMessageId && !c.lastMessage.readAt
        && (senderId == null || c.lastMessage.senderId === senderId)) {
        c.lastMessage = { ...c.lastMessage, readAt };
      }
      if (senderId !== this.me.userId) {
        // I read: what stays unread is the peer's loaded messages after the id (exact when the
        // newest was read, which is the usual case; the next GET /conversations corrects it).
        const left = [...t.messages.values()].filter(m => m.senderId !== this.me.userId && !m.readAt).length;
        c.unreadCount = Math.min(c.unreadCount || 0, left);
      }
      this.emit('conversations');
    }
    this.emit('messages', { conversationId });
  }

  // ---- real-time -----------------------------------------------------------------------

  onFrame(f) {
    switch (f.type) {
      case 'ack': {
        const item = this.outbox.get(f.clientMessageId);
        if (item && item.local && f.message) this.previews.set(f.message.messageId, item.local);
        if (f.message) this.addMessage(f.message);
        this.outbox.delete(f.clientMessageId);
        break;
      }
      case 'message':
        if (f.message) {
          if (f.message.senderId !== this.me.userId) this.typing.delete(f.message.conversationId);
          this.addMessage(f.message);
        }
        break;
      case 'read':
        if (f.readerId === this.me.userId) {
          // read on another of my devices
          this.applyRead(f.conversationId, this.peerOf(f.conversationId), f.upToMessageId, f.readAt);
        } else {
          this.applyRead(f.conversationId, this.me.userId, f.upToMessageId, f.readAt);
        }
        break;
      case 'typing':
        if (f.userId !== this.me.userId) {
          this.typing.set(f.conversationId, Date.now() + 5000);
          this.emit('typing', { conversationId: f.conversationId });
          setTimeout(() => this.emit('typing', { conversationId: f.conversationId }), 5100);
        }
        break;
      case 'conversation':
        // A request arrived or was made, or its state changed (accepted, declined, blocked).
        if (f.conversation) {
          this.putConversation(withPeerProfile(this, f.conversation)); // issue 21: frames carry no profile
          this.emit('conversations');
        }
        break;
      case 'conversation_removed':
        // a request whose requester deleted their account before anybody accepted it: gone here too
        if (this.conversations.delete(f.conversationId)) this.emit('conversations');
        break;
      case 'presence':
        this.presence.set(f.userId, { online: !!f.online, lastSeenAt: f.lastSeenAt || null });
        this.emit('presence', { userId: f.userId });
        break;
      case 'error':
        if (f.clientMessageId && this.outbox.has(f.clientMessageId)) {
          const item = this.outbox.get(f.clientMessageId);
          if (REFUSALS.has(f.code)) this.fail(item, describeRefusal(f));
          else setTimeout(() => this.post(item), f.code === 'rate_limited' ? 2000 : 0); // the server's trouble, not the message's: try REST
        }
        break;
      default:
        break; // frames added later (API.md allows new types) are ignored
    }
  }

  /**
   * A read receipt written to a socket that was dying is lost without an answer; where the
   * server still counts unread messages we had marked read, say it again (it is idempotent).
   */
  resendReads() {
    for (const [conversationId, upToMessageId] of this.readSent) {
      const c = this.conversations.get(conversationId);
      if (!c || !c.unreadCount) continue;
      if (!this.realtime.send({ type: 'read', conversationId, upToMessageId })) continue;
      this.applyRead(conversationId, c.peer ? c.peer.userId : null, upToMessageId, new Date().toISOString());
    }
  }

  isTyping(conversationId) {
    return (this.typing.get(conversationId) || 0) > Date.now();
  }

  sendTyping(conversationId) {
    this.realtime.send({ type: 'typing', conversationId });
  }

  /**
   * After every (re)connect: the inbox again, every loaded conversation from the newest message
   * held when the connection was lost (`after=`; noted before anything new arrives, since acks
   * and live messages on the new connection sort after the ones missed), the latest page of any
   * with my messages still unread (their read receipts may have been missed). Unacknowledged
   * sends go out first: the server answers a repeated clientMessageId with the original message.
   */
  async catchUp() {
    const marks = [...this.threads].filter(([, t]) => t.loaded).map(([id]) => [id, this.newestId(id)]);
    this.flushOutbox();
    try {
      await this.loadConversations();
      this.resendReads();
      for (const [id, after] of marks) {
        await this.loadNewer(id, after);
        const t = this.thread(id);
        const unreadMine = [...t.messages.values()].some(m => m.senderId === this.me.userId && !m.readAt);
        if (unreadMine) await this.loadLatest(id);
      }
      this.emit('caughtup');
    } catch (e) {
      this.emit('error', e);
    }
  }
}
