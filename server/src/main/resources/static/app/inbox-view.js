// The conversation list (most recent first, live) and the directory of the other user type.

import { h, replace, reconcile, srOnly } from './dom.js';
import { api } from './session.js';
import { listTime } from './dates.js';
import { icon } from './icons.js';
import { displayName, avatarFor, showProfile } from './profile-view.js';

/** A one-line preview of a message for lists. */
export function preview(message, me) {
  if (!message) return 'No messages yet';
  const mine = message.senderId === me.userId ? 'You: ' : '';
  const type = message.content && message.content.contentType;
  // a caption says what the photo or video is about; the caller renders it as text, never HTML
  const caption = message.content.caption ? `: ${message.content.caption}` : '';
  if (type === 'image') return `${mine}Photo${caption}`;
  if (type === 'video') return `${mine}Video${caption}`;
  if (type === 'deleted') return 'Message deleted'; // for everyone, or its sender deleted their account
  return mine + (message.content ? message.content.value : '');
}

export function describeUser(user) {
  if (user.userType === 'therapist') return user.specialization ? `Therapist · ${user.specialization}` : 'Therapist';
  if (user.childrenCount != null) return `Parent · ${user.childrenCount} ${user.childrenCount === 1 ? 'child' : 'children'}`;
  return 'Parent';
}

export function initials(name) {
  return (name || '?').trim().slice(0, 2).toUpperCase();
}

export class ConversationList {
  constructor(box, store, onOpen) {
    this.store = store;
    this.onOpen = onOpen;
    this.selected = null;
    this.items = new Map(); // conversationId -> <li>
    this.ul = h('ul', { class: 'conversations', 'aria-label': 'Conversations, most recent first' });
    this.empty = h('p', { class: 'empty', hidden: true }, 'No conversations yet. Find someone to talk to above.');
    this.more = h('button', { type: 'button', class: 'quiet more', hidden: true, onclick: () => this.loadMore() }, 'Show older conversations');
    replace(box, this.ul, this.empty, this.more);
    store.addEventListener('conversations', () => this.render());
    store.addEventListener('typing', () => this.render());
    this.render();
  }

  select(id) {
    this.selected = id;
    this.render();
  }

  async loadMore() {
    this.more.disabled = true;
    try {
      await this.store.loadMoreConversations();
    } finally {
      this.more.disabled = false;
    }
  }

  render() {
    const conversations = this.store.sortedConversations();
    const me = this.store.me;
    reconcile(this.ul, this.items, conversations, {
      key: c => c.conversationId,
      create: c => h('li', { dataset: { conversationId: c.conversationId } }),
      fill: (li, c) => this.fill(li, c, me),
    });
    this.empty.hidden = conversations.length > 0 || this.store.conversationsCursor === undefined;
    this.more.hidden = !this.store.conversationsCursor;
  }

  fill(li, c, me) {
    const unread = c.unreadCount || 0;
    const typing = this.store.isTyping(c.conversationId);
    const name = displayName(c.peer);
    const key = JSON.stringify([name, c.peer && c.peer.avatar && c.peer.avatar.mediaId, c.lastMessage && c.lastMessage.messageId, c.lastMessage && c.lastMessage.readAt,
      c.updatedAt, unread, typing, this.selected === c.conversationId]);
    if (li.dataset.key === key) return;
    li.dataset.key = key;
    const current = this.selected === c.conversationId;
    let button = li.firstChild;
    if (!button) {
      button = h('button', { type: 'button', class: 'conversation', onclick: () => this.onOpen(c.conversationId) });
      li.append(button);
    }
    button.classList.toggle('unread', unread > 0);
    if (current) button.setAttribute('aria-current', 'true');
    else button.removeAttribute('aria-current');
    replace(button,
      avatarFor(c.peer),
      h('span', { class: 'conversation-main' },
        h('span', { class: 'conversation-top' },
          h('span', { class: 'peer-name' }, name),
          listTime(c.updatedAt)),
        h('span', { class: 'conversation-bottom' },
          h('span', { class: typing ? 'preview typing' : 'preview' }, typing ? 'typing…' : preview(c.lastMessage, me)),
          unread > 0
            ? h('span', { class: 'badge' }, srOnly(', '), String(unread), srOnly(unread === 1 ? ' unread message' : ' unread messages'))
            : null)));
  }
}

/** Requests to me, apart from the inbox (docs/web-client.md): Accept, Decline, Block. */
export class RequestList {
  constructor(box, store, onOpen, onError) {
    this.store = store;
    this.onOpen = onOpen;
    this.onError = onError;
    this.box = box;
    this.ul = h('ul', { class: 'requests', 'aria-labelledby': 'requests-title' });
    replace(box, h('h2', { id: 'requests-title', class: 'requests-title' }, 'Requests'), this.ul);
    store.addEventListener('conversations', () => this.render());
    this.render();
  }

  render() {
    const requests = this.store.sortedRequests();
    this.box.hidden = requests.length === 0;
    this.ul.replaceChildren(...requests.map(c => this.row(c)));
  }

  row(c) {
    const name = displayName(c.peer);
    const declined = c.state === 'declined';
    const act = (action, label) => {
      const button = h('button', { type: 'button', class: action === 'accept' ? 'primary' : 'quiet', 'aria-label': `${label} ${name}` }, label);
      button.addEventListener('click', async () => {
        button.disabled = true;
        try {
          await this.store.decide(c.conversationId, action);
          if (action === 'accept') this.onOpen(c.conversationId);
        } catch (e) {
          this.onError(e);
          button.disabled = false;
        }
      });
      return button;
    };
    return h('li', { class: 'request', dataset: { conversationId: c.conversationId } },
      h('button', { type: 'button', class: 'conversation', onclick: () => this.onOpen(c.conversationId) },
        avatarFor(c.peer),
        h('span', { class: 'conversation-main' },
          h('span', { class: 'peer-name' }, name),
          h('span', { class: 'preview' }, declined ? 'You declined' : preview(c.lastMessage, this.store.me)))),
      h('span', { class: 'request-actions' },
        act('accept', 'Accept'),
        declined ? null : act('decline', 'Decline'),
        act('block', 'Block')));
  }
}

export class Directory {
  constructor(box, store, me, onPick, onError) {
    this.me = me;
    this.onPick = onPick;
    this.onError = onError;
    this.type = me.userType === 'parent' ? 'therapist' : 'parent';
    this.cursor = null;
    this.query = '';
    this.seq = 0;
    const label = this.type === 'therapist' ? 'Find a therapist' : 'Find a parent';
    this.input = h('input', {
      type: 'search', id: 'directory-search', autocomplete: 'off',
      placeholder: this.type === 'therapist' ? 'Name or specialization' : 'Name',
    });
    this.results = h('ul', { class: 'people', 'aria-label': 'Search results' });
    this.status = h('p', { class: 'empty', role: 'status' });
    this.more = h('button', { type: 'button', class: 'quiet more', hidden: true, onclick: () => this.search(true) }, 'Show more');
    replace(box,
      h('div', { class: 'directory-head' },
        h('a', { href: '#/', class: 'button quiet back' }, icon('back'), 'Back to chats'),
        h('label', { for: 'directory-search', class: 'directory-label' }, label),
        this.input),
      this.status, this.results, this.more);
    let timer;
    this.input.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => this.search(false), 250);
    });
  }

  show() {
    this.search(false);
    this.input.focus();
  }

  async search(more) {
    const seq = ++this.seq;
    const q = this.input.value.trim();
    let path = `/users?type=${this.type}&limit=20`;
    if (q) path += `&q=${encodeURIComponent(q)}`;
    if (more && this.cursor) path += `&cursor=${encodeURIComponent(this.cursor)}`;
    this.status.textContent = 'Searching…';
    try {
      const page = await api(path);
      if (seq !== this.seq) return; // a newer search is under way
      if (!more) this.results.replaceChildren();
      for (const user of page.items) this.results.append(this.row(user));
      this.cursor = page.nextCursor;
      this.more.hidden = !page.nextCursor;
      const count = this.results.children.length;
      this.status.textContent = count ? `${count}${page.nextCursor ? '+' : ''} found` : `No ${this.type}s found${q ? ` for “${q}”` : ''}.`;
    } catch (e) {
      if (seq !== this.seq) return;
      this.status.textContent = e.message;
    }
  }

  row(user) {
    const button = h('button', { type: 'button', class: 'person' },
      avatarFor(user),
      h('span', { class: 'person-main' },
        h('span', { class: 'peer-name' }, displayName(user),
          user.displayName ? h('span', { class: 'username' }, ` @${user.username}`) : null),
        h('span', { class: 'preview' }, describeUser(user))),
      h('span', { class: 'chip' }, 'Message'));
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        await this.onPick(user);
      } catch (e) {
        this.onError(e);
      } finally {
        button.disabled = false;
      }
    });
    const profile = h('button', { type: 'button', class: 'quiet profile-link', 'aria-label': `Profile of ${displayName(user)}`,
      onclick: () => showProfile(user) }, 'Profile');
    return h('li', { class: 'person-row' }, button, profile);
  }
}
