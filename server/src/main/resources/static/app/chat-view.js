// One conversation: history with infinite scroll upwards, the composer (Enter sends), photos
// and videos by picker, drag-and-drop or paste, ticks (sending -> sent -> delivered -> read), typing and
// presence, and read receipts for what is actually on screen. Delivery, edit, delete and reply:
// message-actions.js.

import { h, replace, reconcile, srOnly, fullTime, lastSeen } from './dom.js';
import { describeUser } from './inbox-view.js';
import { ACCEPT, kindOf, upload, mediaBlobUrl, playableUrl } from './media.js';
import { playIcon, durationBadge, hasThumbnail, videoTile, withCaption, captionFrom } from './media-bubble.js';
import { withDays, dayRow, fillDay, messageTime } from './dates.js';
import { icon } from './icons.js';
import { displayName, fillAvatar, showProfile } from './profile-view.js';
import { MessageActions, ticks } from './message-actions.js';

const MAX_TEXT = 10_000; // API.md: text is 1..10,000 characters
const TYPING_EVERY_MS = 3000;

export class ChatView {
  constructor(main, store, me, onBack, onError) {
    this.main = main;
    this.store = store;
    this.me = me;
    this.onBack = onBack;
    this.onError = onError;
    this.id = null;
    this.bubbles = new Map(); // key -> <li>
    this.visible = new Set(); // peer bubbles on screen
    this.viewer = new Viewer();
    this.actions = new MessageActions(this); // delivered, edit, delete, reply (message-actions.js)
    this.listeners = [
      ['messages', e => e.detail.conversationId === this.id && this.render(e.detail)],
      ['typing', e => e.detail.conversationId === this.id && this.renderStatus()],
      ['presence', () => this.renderStatus()],
      ['conversations', () => this.renderHeader()],
    ];
    for (const [type, fn] of this.listeners) store.addEventListener(type, fn);
    this.onConnection = () => this.renderStatus(); // our own connection comes before the peer's presence
    store.realtime.addEventListener('state', this.onConnection);
    window.addEventListener('offline', this.onConnection);
    this.onVisibility = () => this.considerRead();
    document.addEventListener('visibilitychange', this.onVisibility);
    window.addEventListener('focus', this.onVisibility);
    this.statusTimer = setInterval(() => this.renderStatus(), 30_000);
    this.empty();
  }

  destroy() {
    for (const [type, fn] of this.listeners) this.store.removeEventListener(type, fn);
    this.store.realtime.removeEventListener('state', this.onConnection);
    window.removeEventListener('offline', this.onConnection);
    document.removeEventListener('visibilitychange', this.onVisibility);
    window.removeEventListener('focus', this.onVisibility);
    clearInterval(this.statusTimer);
    this.close();
    this.actions.destroy();
    this.viewer.dialog.remove();
  }

  empty() {
    replace(this.main, h('div', { class: 'placeholder' },
      h('img', { src: '/app/icon.svg', alt: '', width: 64, height: 64 }),
      h('p', null, 'Select a conversation, or find someone to talk to.')));
  }

  close() {
    if (this.readObserver) this.readObserver.disconnect();
    if (this.resizeObserver) this.resizeObserver.disconnect();
    if (this.topObserver) this.topObserver.disconnect();
    this.id = null;
    this.bubbles.clear();
    this.visible.clear();
    this.empty();
  }

  async open(id) {
    if (this.id === id) return;
    this.close();
    this.id = id;
    this.build();
    let conversation;
    try {
      conversation = await this.store.conversation(id);
    } catch (e) {
      if (this.id === id) this.fatal(e);
      return;
    }
    if (this.id !== id) return;
    this.conversation = conversation;
    this.renderHeader();
    const thread = this.store.thread(id);
    if (!thread.ready) {
      try {
        await this.store.loadLatest(id);
      } catch (e) {
        if (this.id === id) this.historyStatus.textContent = e.message;
        return;
      }
    }
    if (this.id !== id) return;
    this.render({});
    this.scrollToBottom();
    this.text.focus({ preventScroll: true });
  }

  fatal(error) {
    replace(this.main, h('div', { class: 'placeholder' },
      h('p', { role: 'alert' }, error.message),
      h('a', { href: '#/', class: 'button' }, 'Back to chats')));
  }

  build() {
    this.title = h('h2', { id: 'chat-title', class: 'chat-title' }, 'Loading…');
    this.status = h('p', { class: 'presence', 'aria-live': 'polite' });
    // the peer's avatar opens their profile (issue 21, profile-view.js); so does a click on the name
    this.avatar = h('button', { type: 'button', class: 'avatar profile-open', 'aria-label': 'View profile',
      onclick: () => this.conversation && this.conversation.peer && showProfile(this.conversation.peer) });
    this.title.addEventListener('click', () => this.conversation && this.conversation.peer && showProfile(this.conversation.peer));
    this.historyStatus = h('p', { class: 'history-status', role: 'status' });
    this.sentinel = h('div', { class: 'sentinel', 'aria-hidden': 'true' });
    this.list = h('ol', { class: 'bubbles' });
    this.scroller = h('div', {
      class: 'messages', role: 'log', tabindex: '0', 'aria-relevant': 'additions', 'aria-labelledby': 'chat-title',
    }, this.sentinel, this.historyStatus, this.list);
    this.jump = h('button', { type: 'button', class: 'jump', hidden: true, onclick: () => this.scrollToBottom() },
      'New messages ', icon('down'));
    this.file = h('input', { type: 'file', accept: ACCEPT, multiple: true, hidden: true, id: 'attach-file' });
    this.file.addEventListener('change', () => {
      this.sendFiles([...this.file.files]);
      this.file.value = '';
    });
    this.text = h('textarea', {
      id: 'composer-text', rows: 1, placeholder: 'Write a message…', enterkeyhint: 'send', maxlength: MAX_TEXT,
      'aria-describedby': 'composer-hint',
    });
    this.text.addEventListener('keydown', e => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.sendText();
      }
    });
    this.text.addEventListener('input', () => this.onInput());
    this.text.addEventListener('paste', e => {
      const files = [...(e.clipboardData?.files || [])].filter(kindOf);
      if (files.length) {
        e.preventDefault();
        this.sendFiles(files);
      }
    });
    const form = h('form', { class: 'composer', 'aria-label': 'Send a message' },
      this.file,
      h('button', { type: 'button', class: 'attach quiet', onclick: () => this.file.click(), title: 'Send a photo or video' },
        h('img', { src: '/app/attach.svg', alt: '', width: 22, height: 22 }), srOnly('Send a photo or video')),
      h('label', { for: 'composer-text', class: 'sr-only' }, 'Message'),
      this.text,
      h('p', { id: 'composer-hint', class: 'sr-only' }, 'Enter sends, Shift+Enter starts a new line.'),
      h('button', { type: 'submit', class: 'primary send' }, 'Send'));
    form.addEventListener('submit', e => {
      e.preventDefault();
      this.sendText();
    });
    this.drop = h('div', { class: 'drop-overlay', hidden: true }, 'Drop photos or videos to send');
    this.blockButton = h('button', { type: 'button', class: 'quiet block', hidden: true, onclick: () => this.toggleBlock() }, 'Block');
    this.consent = h('div', { class: 'consent', role: 'status', hidden: true });
    this.section = h('section', { class: 'chat', 'aria-labelledby': 'chat-title' },
      h('header', { class: 'chat-head' },
        h('a', { href: '#/', class: 'button quiet back', 'aria-label': 'Back to chats' }, icon('back')),
        this.avatar,
        h('div', { class: 'chat-who' }, this.title, this.status),
        this.blockButton),
      this.consent, this.scroller, this.jump, form, this.drop);
    this.actions.attach(form, this.text);
    this.dragAndDrop(this.section);
    replace(this.main, this.section);

    // Pinned: the reader is at the newest message and stays there as the list grows (new
    // messages, photos that finish loading). Only scrolling up unpins; growth below does not
    // move scrollTop, and reaching the bottom pins again.
    this.pinned = true;
    this.lastTop = 0;
    this.scroller.addEventListener('scroll', () => {
      const top = this.scroller.scrollTop;
      if (this.atBottom()) this.pinned = true;
      else if (top < this.lastTop - 1) this.pinned = false;
      this.lastTop = top;
      if (this.pinned) this.jump.hidden = true;
    });
    this.resizeObserver = new ResizeObserver(() => this.keepPinned());
    this.resizeObserver.observe(this.list);
    this.resizeObserver.observe(this.scroller); // a growing composer or the phone's keyboard shrinks the view
    this.topObserver = new IntersectionObserver(entries => {
      if (entries.some(e => e.isIntersecting)) this.loadOlder();
    }, { root: this.scroller, rootMargin: '300px 0px 0px 0px' });
    this.topObserver.observe(this.sentinel);
    this.readObserver = new IntersectionObserver(entries => {
      for (const e of entries) {
        const seen = e.isIntersecting && (e.intersectionRatio >= 0.5 || e.intersectionRect.height >= 48);
        if (seen) this.visible.add(e.target);
        else this.visible.delete(e.target);
      }
      this.considerRead();
    }, { root: this.scroller, threshold: [0, 0.5, 1] });
  }

  renderHeader() {
    if (!this.id || !this.title) return;
    const c = this.store.conversations.get(this.id);
    if (!c || !c.peer) return;
    this.conversation = c;
    const name = displayName(c.peer);
    fillAvatar(this.avatar, c.peer);
    if (this.title.textContent !== name) {
      this.title.textContent = name;
      this.avatar.setAttribute('aria-label', `View profile of ${name}`);
      this.scroller.setAttribute('aria-label', `Messages with ${name}`);
      this.scroller.removeAttribute('aria-labelledby');
      document.title = `${name} · ChatApp`;
    }
    this.renderConsent(c);
    this.renderStatus();
  }

  /** Where the conversation stands on consent (docs/security.md): a line, and what I may do. */
  renderConsent(c) {
    // No read receipt leaves this page before the conversation is accepted (or while blocked):
    // the requester must not learn that a request was looked at (docs/security.md, "Consent").
    const wasAccepted = this.accepted;
    // A peer who deleted their account learns nothing: reading only clears the unread count.
    this.accepted = c.state === undefined || c.state === 'accepted' || c.peerDeleted === true;
    if (this.accepted && wasAccepted === false) queueMicrotask(() => this.considerRead());
    const me = this.me.userId;
    const name = displayName(c.peer);
    const key = JSON.stringify([c.conversationId, c.state, c.requestedBy, c.blockedBy, !!c.lastMessage, !!c.peerDeleted]);
    if (this.consent.dataset.key === key) return;
    this.consent.dataset.key = key;
    const byMe = c.state === 'blocked' && c.blockedBy === me;
    this.blockButton.hidden = c.state === 'blocked' && !byMe;
    this.blockButton.textContent = byMe ? 'Unblock' : 'Block';
    this.blockButton.setAttribute('aria-label', `${byMe ? 'Unblock' : 'Block'} ${name}`);
    const act = (action, label, cls) => h('button', { type: 'button', class: cls, onclick: () => this.decide(action) }, label);
    let parts = null;
    if (c.state === 'requested' && c.requestedBy === me) {
      parts = [c.lastMessage ? `Waiting for ${name} to accept.` : `Waiting for ${name} to accept. You can send one introduction.`];
    } else if (c.state === 'requested') {
      parts = [`${name} would like to talk with you.`, act('accept', 'Accept', 'primary'), act('decline', 'Decline', 'quiet')];
    } else if (c.state === 'declined' && c.requestedBy === me) {
      parts = [`${name} declined your request.`];
    } else if (c.state === 'declined') {
      parts = [`You declined ${name}'s request.`, act('accept', 'Accept', 'primary')];
    } else if (c.peerDeleted) {
      // the peer deleted their account (docs/audit.md, "Deletion"): the conversation is closed
      parts = ['This account was deleted. The conversation is kept for you, but no one can write here any more.'];
      this.blockButton.hidden = true;
    } else if (c.state === 'blocked') {
      parts = [byMe ? `You blocked ${name}.` : `${name} has blocked this conversation.`];
    }
    this.consent.hidden = !parts;
    this.section.classList.toggle('not-accepted', c.state !== undefined && c.state !== 'accepted');
    if (parts) replace(this.consent, h('span', null, parts[0]), ...parts.slice(1));
  }

  async decide(action) {
    try {
      await this.store.decide(this.id, action);
    } catch (e) {
      this.onError(e);
    }
  }

  toggleBlock() {
    const c = this.store.conversations.get(this.id);
    if (!c) return;
    this.decide(c.state === 'blocked' ? 'unblock' : 'block');
  }

  renderStatus() {
    if (!this.id || !this.conversation || !this.status) return;
    const peer = this.conversation.peer;
    const presence = this.store.presence.get(peer.userId);
    let text;
    let state = '';
    const own = this.store.realtime.state;
    if (own !== 'open') {
      // The peer's presence is stale while our own socket is down: say so instead of "online".
      text = !navigator.onLine ? 'You are offline' : own === 'connecting' ? 'Connecting…' : 'Reconnecting…';
      state = 'self-offline';
    } else if (this.store.isTyping(this.id)) {
      text = 'typing…';
      state = 'typing';
    } else if (presence && presence.online) {
      text = 'online';
      state = 'online';
    } else if (presence) {
      text = lastSeen(presence.lastSeenAt);
    } else {
      text = describeUser(peer);
    }
    if (this.status.textContent !== text) this.status.textContent = text;
    this.status.dataset.state = state;
  }

  // ---- the message list ----------------------------------------------------------------

  atBottom() {
    const s = this.scroller;
    return s.scrollHeight - s.scrollTop - s.clientHeight < 80;
  }

  scrollToBottom() {
    this.scroller.scrollTop = this.scroller.scrollHeight;
    this.lastTop = this.scroller.scrollTop;
    this.pinned = true;
    this.jump.hidden = true;
  }

  /** The list changed size (a photo finished loading, ...): stay at the bottom if pinned there. */
  keepPinned() {
    const s = this.scroller;
    // exactly at the bottom: "near" (atBottom) would leave the newest message under a grown composer
    if (this.pinned && s.scrollHeight - s.scrollTop - s.clientHeight > 1) this.scrollToBottom();
  }

  render(detail) {
    if (!this.id || !this.list) return;
    const wasAtBottom = this.pinned || this.atBottom();
    const fromBottom = this.scroller.scrollHeight - this.scroller.scrollTop;
    const { stored, pending } = this.store.timeline(this.id);
    const items = [
      ...stored.map(m => ({ key: `${m.senderId}|${m.clientMessageId || m.messageId}`, message: m })),
      ...pending.map(p => ({ key: `${this.me.userId}|${p.clientMessageId}`, pending: p })),
    ];
    const rows = withDays(items, item => (item.message ? item.message.createdAt : new Date(item.pending.createdAt).toISOString()));
    reconcile(this.list, this.bubbles, rows, {
      key: item => item.key,
      create: item => (item.day ? dayRow() : this.bubble()),
      fill: (li, item) => (item.day ? fillDay(li, item) : this.fillBubble(li, item)),
      gone: li => {
        this.readObserver.unobserve(li);
        this.visible.delete(li);
      },
    });
    const thread = this.store.thread(this.id);
    this.historyStatus.textContent = !thread.ready ? 'Loading messages…'
      : thread.reachedStart ? (items.length ? 'Start of the conversation' : 'No messages yet. Say hello!') : '';
    if (detail.older) {
      this.scroller.scrollTop = this.scroller.scrollHeight - fromBottom; // keep what the reader looks at in place
    } else if (wasAtBottom || detail.pending) {
      this.scrollToBottom();
    } else if (detail.added && detail.added.senderId !== this.me.userId) {
      this.jump.hidden = false;
    }
    this.considerRead();
  }

  bubble() {
    const li = h('li', { class: 'bubble' });
    li.append(h('span', { class: 'who sr-only' }), h('div', { class: 'body' }), h('div', { class: 'meta' }));
    return li;
  }

  fillBubble(li, item) {
    const m = item.message;
    const p = item.pending;
    const mine = m ? m.senderId === this.me.userId : true;
    const content = m ? m.content : p.content;
    const state = p ? p.state : mine ? (m.readAt ? 'read' : m.deliveredAt ? 'delivered' : 'sent') : 'received';
    const progress = p && p.local && p.state === 'uploading' ? Math.round((p.local.progress || 0) * 100) : null;
    // progress is updated in place (below), so the Cancel button stays the same node while it moves
    const version = m ? `${m.editedAt || ''}|${m.deletedAt || ''}|${m.content.contentType}` : '';
    const key = JSON.stringify([m && m.messageId, state, p && p.error, m && m.readAt, version,
      m && m.quote, p && p.quote]);
    if (li.dataset.key === key) {
      this.showProgress(li, p, progress);
      return;
    }
    li.dataset.key = key;
    li.className = `bubble ${mine ? 'mine' : 'theirs'} ${state}`;
    li.dataset.state = state;
    if (m) {
      li.dataset.messageId = m.messageId;
      if (!mine && !m.readAt) this.readObserver.observe(li);
      else {
        this.readObserver.unobserve(li);
        this.visible.delete(li);
      }
    }
    const [who, body, meta] = [...li.children].filter(c => !c.classList.contains('quote')); // quote: message-actions.js
    who.textContent = mine ? 'You: ' : `${this.conversation ? this.conversation.peer.username : ''}: `;
    const local = p ? p.local : m && this.store.previews.get(m.messageId);
    const shape = local ? `local-${local.kind}` : content ? content.contentType : 'none';
    if (!body.firstChild || body.dataset.kind !== shape || body.dataset.version !== version) {
      body.dataset.kind = shape;
      body.dataset.version = version;
      replace(body, this.content(content, local, m));
    }
    const time = m ? m.createdAt : new Date(p.createdAt).toISOString();
    replace(meta,
      messageTime(time),
      mine ? ticks(state, m) : null);
    this.showProgress(li, p, progress);
    if (p && p.state === 'failed') {
      meta.append(h('span', { class: 'send-error', role: 'alert' }, `Not sent: ${p.error || 'unknown error'}`),
        h('button', { type: 'button', class: 'link', onclick: () => this.retry(p) }, 'Retry'),
        h('button', { type: 'button', class: 'link', onclick: () => this.store.discard(p.clientMessageId) }, 'Discard'));
    }
    this.actions.decorate(li, item, mine);
  }

  /** The upload's progress bar, percentage and Cancel button while it uploads (issue 21). */
  showProgress(li, p, progress) {
    const meta = li.children[2];
    let bar = meta.querySelector('.upload');
    if (progress == null) {
      if (bar) bar.remove();
      return;
    }
    if (!bar) {
      bar = h('span', { class: 'upload' },
        h('progress', { max: 100, value: 0, 'aria-label': 'Upload progress' }), h('span', { class: 'percent' }, '0%'),
        h('button', { type: 'button', class: 'link cancel-upload', onclick: () => this.cancelUpload(p) }, 'Cancel'));
      meta.prepend(bar);
    }
    bar.querySelector('progress').value = progress;
    bar.querySelector('.percent').textContent = `${progress}%`;
  }

  content(content, local, message) {
    if (local) {
      return withCaption(this.mediaButton(local.kind, content ? content.value : null, local),
        content ? content.caption : local.caption);
    }
    if (!content) return h('p', { class: 'text' }, '');
    if (content.contentType === 'deleted') return h('p', { class: 'text deleted' }, 'Message deleted');
    if (content.contentType === 'image' || content.contentType === 'video') {
      return withCaption(this.mediaButton(content.contentType, content.value, null, message && message.media),
        content.caption);
    }
    return h('p', { class: 'text' }, content.value); // always a text node, never markup
  }

  mediaButton(type, mediaId, local, media) {
    const label = type === 'video' ? 'Play video' : 'Open photo';
    const img = h('img', { alt: type === 'video' ? 'Video' : 'Photo', class: 'thumb', decoding: 'async' });
    if (media && media.width && media.height) {
      const scale = Math.min(1, 240 / media.width, 240 / media.height);
      img.width = Math.max(1, Math.round(media.width * scale));
      img.height = Math.max(1, Math.round(media.height * scale));
    }
    const button = h('button', { type: 'button', class: `media ${type}`, 'aria-label': label }, img,
      type === 'video' ? [playIcon(), durationBadge(media && media.durationMs)] : null);
    img.addEventListener('error', () => {
      button.classList.remove('loading');
      button.classList.add('no-thumb');
      if (type === 'video') replace(button, videoTile(media));
      else img.replaceWith(h('span', { class: 'thumb-missing' }, 'Photo unavailable'));
    });

    if (local) {
      if (type === 'image') img.src = local.url;
      else button.prepend(h('video', { src: local.url, muted: true, preload: 'metadata', class: 'thumb', 'aria-hidden': 'true' }));
      if (type === 'video') img.remove();
    } else if (!hasThumbnail(type, media)) {
      // a video without a poster (sent before posters, or by a server without ffmpeg): nothing to ask for
      button.classList.add('no-thumb');
      replace(button, videoTile(media));
    } else {
      button.classList.add('loading');
      mediaBlobUrl(mediaId, 'thumbnail')
        .catch(() => (type === 'image' ? mediaBlobUrl(mediaId, 'original') : Promise.reject()))
        .then(url => { img.src = url; button.classList.remove('loading'); })
        .catch(() => {
          button.classList.remove('loading');
          button.classList.add('no-thumb');
          if (type === 'video') replace(button, videoTile(media));
          else img.replaceWith(h('span', { class: 'thumb-missing' }, 'Photo unavailable'));
        });
    }
    button.addEventListener('click', () => this.viewer.show(type, mediaId, local, this.onError));

    return button;
  }

  async loadOlder() {
    if (!this.id || this.loadingOlder) return;
    const thread = this.store.thread(this.id);
    if (!thread.ready || thread.reachedStart) return;
    this.loadingOlder = true;
    this.historyStatus.textContent = 'Loading earlier messages…';
    try {
      const more = await this.store.loadOlder(this.id);
      if (more && this.scroller.scrollTop < 300) setTimeout(() => this.loadOlder(), 0);
    } catch (e) {
      this.historyStatus.textContent = e.message;
    } finally {
      this.loadingOlder = false;
    }
  }

  // ---- read receipts -------------------------------------------------------------------

  considerRead() {
    if (this.accepted === false) return;
    if (!this.id || document.visibilityState !== 'visible' || !this.visible.size) return;
    let newest = null;
    for (const li of this.visible) {
      const id = li.dataset.messageId;
      if (id && (!newest || id > newest)) newest = id;
    }
    if (newest) this.store.markRead(this.id, newest);
  }

  // ---- sending -------------------------------------------------------------------------

  onInput() {
    const lines = this.text.value.split('\n').length;
    this.text.rows = Math.min(6, Math.max(1, lines));
    const c = this.store.conversations.get(this.id);
    const accepted = !c || !c.state || c.state === 'accepted'; // consent: typing only flows once accepted
    if (accepted && this.text.value && Date.now() - (this.typingSentAt || 0) > TYPING_EVERY_MS) {
      this.typingSentAt = Date.now();
      this.store.sendTyping(this.id);
    }
  }

  sendText() {
    const value = this.text.value;
    if (!value.trim() || !this.id) return;
    if (value.length > MAX_TEXT) {
      this.onError(new Error(`A message can have at most ${MAX_TEXT.toLocaleString()} characters.`));
      return;
    }
    if (this.actions.editing) this.actions.saveEdit(value);
    else this.store.send(this.id, { contentType: 'text', value }, undefined, this.actions.takeReply());
    this.text.value = '';
    this.text.rows = 1;
    this.typingSentAt = 0;
    this.text.focus();
  }

  /**
   * Several files at once (picked, pasted or dropped): each is uploaded and sent as its own
   * message, in order; what the composer holds becomes the caption of the last one.
   */
  sendFiles(files) {
    const accepted = [];
    for (const file of files) {
      if (kindOf(file)) accepted.push(file);
      else this.onError(new Error(`“${file.name}” is not a photo or a video, so it cannot be sent.`));
    }
    if (!accepted.length) return;
    const { caption, error } = captionFrom(this.text.value);
    if (error) {
      this.onError(new Error(error));
      return;
    }
    if (caption) {
      this.text.value = '';
      this.text.rows = 1;
    }
    // uploads run side by side; the messages go in the order the files came (each waits its turn)
    let previous = Promise.resolve();
    accepted.forEach((file, i) => {
      const local = { kind: kindOf(file), url: URL.createObjectURL(file), file, progress: 0, turn: previous };
      previous = new Promise(resolve => { local.done = resolve; });
      if (caption && i === accepted.length - 1) local.caption = caption;
      this.uploadItem(this.store.placeholder(this.id, local));
    });
  }

  async uploadItem(item) {
    item.state = 'uploading';
    item.local.progress = 0;
    item.local.abort = new AbortController();
    this.store.update(item);
    try {
      const media = await upload(item.local.file, p => { item.local.progress = p; this.store.update(item); },
        item.local.abort.signal);
      const content = { contentType: item.local.kind, value: media.mediaId };
      if (item.local.caption) content.caption = item.local.caption;
      await item.local.turn;
      if (item.local.abort.signal.aborted) return;
      this.store.ready(item, content);
    } catch (e) {
      if (e.name === 'AbortError') return; // cancelled: the placeholder is gone, nothing is sent
      this.store.fail(item, e.message);
    } finally {
      if (item.local.done) item.local.done();
    }
  }

  /** Cancel: the upload is aborted and its placeholder removed; no message is sent. */
  cancelUpload(item) {
    if (item.local && item.local.abort) item.local.abort.abort();
    this.store.discard(item.clientMessageId);
  }

  retry(item) {
    if (item.content) this.store.retry(item.clientMessageId);
    else this.uploadItem(item);
  }

  dragAndDrop(zone) {
    let depth = 0;
    const hasFiles = e => [...(e.dataTransfer?.types || [])].includes('Files');
    zone.addEventListener('dragenter', e => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth++;
      this.drop.hidden = false;
    });
    zone.addEventListener('dragover', e => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    });
    zone.addEventListener('dragleave', () => {
      depth = Math.max(0, depth - 1);
      if (!depth) this.drop.hidden = true;
    });
    zone.addEventListener('drop', e => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      this.drop.hidden = true;
      this.sendFiles([...e.dataTransfer.files]);
    });
  }
}

/** The full-size photo or the video, in a modal dialog (Escape or the button closes it). */
class Viewer {
  constructor() {
    this.body = h('div', { class: 'viewer-body' });
    this.dialog = h('dialog', { class: 'viewer', 'aria-label': 'Media viewer' },
      h('form', { method: 'dialog', class: 'viewer-bar' }, h('button', { class: 'quiet' }, icon('close'), 'Close')),
      this.body);
    this.dialog.addEventListener('close', () => {
      this.body.querySelectorAll('video').forEach(v => v.pause());
      this.body.replaceChildren();
    });
    this.dialog.addEventListener('click', e => { if (e.target === this.dialog) this.dialog.close(); });
    document.body.append(this.dialog);
  }

  async show(type, mediaId, local, onError) {
    replace(this.body, h('p', { class: 'viewer-loading' }, 'Loading…'));
    this.dialog.showModal();
    try {
      const url = local ? local.url : type === 'video' ? await playableUrl(mediaId) : await mediaBlobUrl(mediaId, 'original');
      if (!this.dialog.open) return;
      replace(this.body, type === 'video'
        ? h('video', { src: url, controls: true, autoplay: true, playsinline: true, class: 'full' })
        : h('img', { src: url, alt: 'Photo, full size', class: 'full' }));
    } catch (e) {
      this.dialog.close();
      onError(e);
    }
  }
}
