// Building DOM nodes without HTML strings: every child that is not a Node becomes a text node,
// so user data is always rendered as text (never parsed as markup).

/**
 * Creates an element. props: `class`, `on<event>` listeners, `dataset`, DOM properties for
 * non-string values (checked, disabled, value, hidden), attributes otherwise.
 * Inline `style` and raw HTML are refused: the page's CSP forbids the first, XSS the second.
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value == null || value === false) continue;
    if (key === 'style' || key === 'innerHTML' || key === 'outerHTML') {
      throw new Error(`h(): ${key} is not allowed`);
    }
    if (key === 'class') el.className = value;
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (typeof value !== 'string' && key in el) el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

/** Appends children (nested arrays allowed; null/false skipped; strings as text). */
export function append(el, children) {
  for (const child of [children].flat(Infinity)) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** Replaces all children of el. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/**
 * Keeps `parent`'s children in the order of `items`, one element per key, reusing the
 * elements of earlier calls (so focus, loaded images and observers survive updates).
 * `nodes` (key -> element) is the caller's memory between calls; create(item) makes an
 * element, fill(element, item) updates it, gone(element) is told before one is dropped.
 */
export function reconcile(parent, nodes, items, { key, create, fill, gone }) {
  const seen = new Set();
  let at = parent.firstChild;
  for (const item of items) {
    const k = key(item);
    seen.add(k);
    let el = nodes.get(k);
    if (!el) {
      el = create(item);
      nodes.set(k, el);
    }
    fill(el, item);
    if (el !== at) parent.insertBefore(el, at);
    else at = at.nextSibling;
  }
  for (const [k, el] of nodes) {
    if (!seen.has(k)) {
      if (gone) gone(el);
      el.remove();
      nodes.delete(k);
    }
  }
}

/** Text only for screen readers. */
export function srOnly(text) {
  return h('span', { class: 'sr-only' }, text);
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short' });
const dateFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** Short time for lists: 14:05 today, Tue this week, 3 Nov before. */
export function shortTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  const now = new Date();
  if (d.toDateString() === now.toDateString()) return timeFormat.format(d);
  if (now - d < 6 * 864e5) return dayFormat.format(d);
  return dateFormat.format(d);
}

export function clockTime(iso) {
  return iso ? timeFormat.format(new Date(iso)) : '';
}

export function fullTime(iso) {
  return iso ? fullFormat.format(new Date(iso)) : '';
}

/** "last seen 5 minutes ago" style, for presence. */
export function lastSeen(iso) {
  if (!iso) return 'offline';
  const seconds = Math.max(0, (Date.now() - new Date(iso)) / 1000);
  if (seconds < 60) return 'last seen just now';
  if (seconds < 3600) return `last seen ${Math.round(seconds / 60)} min ago`;
  if (seconds < 86400 && new Date(iso).toDateString() === new Date().toDateString()) {
    return `last seen today at ${clockTime(iso)}`;
  }
  return `last seen ${fullTime(iso)}`;
}

/** A random id for idempotent sends (clientMessageId). */
export function newId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, x => x.toString(16).padStart(2, '0')).join('');
}
