// Search (docs/web-client.md, "Search"): across every conversation from the sidebar, within one
// from the conversation's header. Results newest first, the matching words in <mark>, built from
// text nodes only (the server gives UTF-16 offsets; no user text is ever parsed as HTML).
// Choosing a result opens the conversation at that message, loading older history as needed.

import { h, replace, shortTime, fullTime } from './dom.js';
import { api } from './session.js';

const PAGE = 20;
const TYPING_PAUSE_MS = 400;
/** Pages the server may return empty (DynamoDB's read budget) that are followed without asking. */
const AUTO_FOLLOW = 3;
/** Characters of a long message shown around its first match. */
const SNIPPET = 240;
const BEFORE = 60;

/**
 * The text with its matches in <mark>: an array of strings and elements for h()/append().
 * `matches` are [start, end) UTF-16 offsets, in order, without overlap. A long text is cut to a
 * snippet around the first match, with an ellipsis where cut.
 */
export function highlighted(text, matches) {
  let from = 0;
  let to = text.length;
  if (text.length > SNIPPET) {
    from = Math.max(0, (matches.length ? matches[0].start : 0) - BEFORE);
    to = Math.min(text.length, from + SNIPPET);
    if (from > 0 && isLowSurrogate(text.charCodeAt(from))) from--;
    if (to < text.length && isLowSurrogate(text.charCodeAt(to))) to++;
  }
  const parts = [];
  if (from > 0) parts.push('…');
  let at = from;
  for (const m of matches) {
    const start = Math.max(m.start, from);
    const end = Math.min(m.end, to);
    if (end <= start || start < at) continue;
    if (start > at) parts.push(text.slice(at, start));
    parts.push(h('mark', null, text.slice(start, end)));
    at = end;
  }
  if (at < to) parts.push(text.slice(at, to));
  if (to < text.length) parts.push('…');
  return parts;
}

function isLowSurrogate(code) {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** One search's results list with "More results"; shared by the two places. */
class Results {
  constructor({ path, label, describe, onChoose }) {
    this.path = path; // (q) -> URL path with query, without cursor/limit
    this.describe = describe; // (hit) -> label of the result's first line
    this.onChoose = onChoose;
    this.status = h('p', { class: 'search-status', role: 'status' });
    this.ul = h('ul', { class: 'search-results', 'aria-label': label });
    this.more = h('button', { type: 'button', class: 'quiet more', hidden: true, onclick: () => this.next() },
      'More results');
    this.box = h('div', { class: 'search-panel', hidden: true }, this.status, this.ul, this.more);
    this.generation = 0;
  }

  async run(q) {
    const generation = ++this.generation;
    this.q = q;
    this.cursor = null;
    this.count = 0;
    this.ul.replaceChildren();
    this.box.hidden = false;
    this.status.textContent = 'Searching…';
    this.more.hidden = true;
    await this.fetch(generation);
  }

  clear() {
    this.generation++;
    this.q = null;
    this.ul.replaceChildren();
    this.status.textContent = '';
    this.box.hidden = true;
  }

  async next() {
    this.more.disabled = true;
    try {
      await this.fetch(this.generation);
    } finally {
      this.more.disabled = false;
    }
  }

  async fetch(generation) {
    let followed = 0;
    let page;
    try {
      do {
        const cursor = page ? page.nextCursor : this.cursor;
        page = await api(`${this.path(this.q)}&limit=${PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        if (generation !== this.generation) return;
        for (const hit of page.items) this.ul.append(this.row(hit));
        this.count += page.items.length;
      } while (page.items.length === 0 && page.nextCursor && ++followed < AUTO_FOLLOW);
    } catch (e) {
      if (generation === this.generation) this.status.textContent = e.message;
      return;
    }
    this.cursor = page.nextCursor;
    this.more.hidden = !this.cursor;
    this.status.textContent = this.count === 0
      ? (this.cursor ? 'Nothing found yet. More results searches further back.' : 'No messages found.')
      : `${this.count} ${this.count === 1 ? 'message' : 'messages'} found${this.cursor ? ' so far' : ''}.`;
  }

  row(hit) {
    const m = hit.message;
    const text = m.content && m.content.value ? m.content.value : '';
    return h('li', null,
      h('button', {
        type: 'button', class: 'search-result', dataset: { conversationId: m.conversationId, messageId: m.messageId },
        onclick: () => this.onChoose(m.conversationId, m.messageId),
      },
      h('span', { class: 'search-result-top' },
        h('span', { class: 'search-result-who' }, this.describe(hit)),
        h('time', { class: 'when', datetime: m.createdAt, title: fullTime(m.createdAt) }, shortTime(m.createdAt))),
      h('span', { class: 'search-result-text' }, highlighted(text, hit.matches || []))));
  }
}

/** A search box: Enter searches at once, typing after a pause; Escape clears. */
function searchForm(label, id, onQuery, onClear) {
  const input = h('input', {
    type: 'search', id, class: 'search-input', placeholder: label, autocomplete: 'off', maxlength: 200,
    enterkeyhint: 'search',
  });
  let timer = null;
  const submit = () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q) onQuery(q);
    else onClear();
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    if (!input.value.trim()) onClear();
    else if (input.value.trim().length >= 2) timer = setTimeout(submit, TYPING_PAUSE_MS);
  });
  input.addEventListener('keydown', e => {
    if (e.key === 'Escape' && input.value) {
      e.preventDefault();
      input.value = '';
      onClear();
    }
  });
  const form = h('form', { class: 'search-form', role: 'search', 'aria-label': label },
    h('label', { for: id, class: 'sr-only' }, label), input);
  form.addEventListener('submit', e => {
    e.preventDefault();
    submit();
  });
  return { form, input };
}

/**
 * Across all conversations, in the sidebar: while a search is shown the conversation list is
 * hidden. `onChoose(conversationId, messageId)` opens the conversation at the message.
 */
export class AcrossSearch {
  constructor(box, listBox, store, me, onChoose) {
    this.listBox = listBox;
    this.results = new Results({
      path: q => `/search?q=${encodeURIComponent(q)}`,
      label: 'Search results, newest first',
      describe: hit => {
        const c = store.conversations.get(hit.message.conversationId);
        const name = c && c.peer ? c.peer.username : 'Conversation';
        return hit.message.senderId === me.userId ? `You to ${name}` : name;
      },
      onChoose,
    });
    const { form, input } = searchForm('Search messages', 'search-all', q => this.show(q), () => this.hide());
    this.input = input;
    replace(box, form, this.results.box);
  }

  show(q) {
    this.sidebar().classList.add('searching');
    this.results.run(q);
  }

  hide() {
    this.results.clear();
    this.sidebar().classList.remove('searching');
  }

  /** While searching, the sidebar shows the results instead of the lists (style.css). */
  sidebar() {
    return this.listBox.closest('.sidebar') || this.listBox;
  }
}

/**
 * Within the open conversation: a Search button in its header opens a search bar above the
 * messages. attach() is called each time a conversation opens (the chat view rebuilds its DOM).
 */
export class WithinSearch {
  constructor(store, me, onChoose) {
    this.store = store;
    this.me = me;
    this.onChoose = onChoose;
  }

  attach(main, conversationId) {
    const section = main.querySelector('section.chat');
    const head = section && section.querySelector('.chat-head');
    if (!head || section.dataset.search === conversationId) return;
    section.dataset.search = conversationId;
    const results = new Results({
      path: q => `/conversations/${encodeURIComponent(conversationId)}/search?q=${encodeURIComponent(q)}`,
      label: 'Matches in this conversation, newest first',
      describe: hit => {
        if (hit.message.senderId === this.me.userId) return 'You';
        const c = this.store.conversations.get(conversationId);
        return c && c.peer ? c.peer.username : 'Them';
      },
      onChoose: (c, m) => this.onChoose(c, m),
    });
    const { form, input } = searchForm('Search in this conversation', 'search-here', q => results.run(q),
      () => results.clear());
    const bar = h('div', { class: 'chat-search', hidden: true }, form, results.box);
    const toggle = h('button', {
      type: 'button', class: 'quiet search-toggle', 'aria-expanded': 'false', 'aria-controls': 'chat-search-bar',
      onclick: () => {
        bar.hidden = !bar.hidden;
        toggle.setAttribute('aria-expanded', String(!bar.hidden));
        if (!bar.hidden) input.focus();
        else results.clear();
      },
    }, 'Search');
    bar.id = 'chat-search-bar';
    input.addEventListener('keydown', e => {
      if (e.key === 'Escape' && !e.defaultPrevented && !input.value) { // the first Escape only clears
        bar.hidden = true;
        toggle.setAttribute('aria-expanded', 'false');
        toggle.focus();
      }
    });
    const block = head.querySelector('.block');
    head.insertBefore(toggle, block);
    head.after(bar);
  }
}

/**
 * Shows `messageId` in the open conversation once the chat view holds it: loads older pages
 * until the message is there (or the start is reached), scrolls it into the middle, marks it
 * for a moment and focuses it.
 */
export async function reveal(chat, store, conversationId, messageId) {
  const deadline = Date.now() + 10_000;
  while (!(chat.id === conversationId && store.thread(conversationId).ready && chat.list)) {
    if (Date.now() > deadline || (chat.id && chat.id !== conversationId)) return false;
    await new Promise(r => setTimeout(r, 50));
  }
  const t = store.thread(conversationId);
  for (let pages = 0; !t.messages.has(messageId) && !t.reachedStart && pages < 200; pages++) {
    await store.loadOlder(conversationId);
    if (chat.id !== conversationId) return false;
  }
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const li = chat.list.querySelector(`[data-message-id="${CSS.escape(messageId)}"]`);
  if (!li) return false;
  li.scrollIntoView({ block: 'center' });
  li.classList.add('search-found');
  li.setAttribute('tabindex', '-1');
  li.focus({ preventScroll: true });
  setTimeout(() => li.classList.remove('search-found'), 4000);
  return true;
}
