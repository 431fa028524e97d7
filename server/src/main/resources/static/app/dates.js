// Dates in the browser's own language and time zone (Intl, locale undefined = the browser's):
// day separators in a conversation (Today, Yesterday, a weekday within the last week, else the
// full date), message times with the full date for screen readers and in the tooltip, and the
// short times of inbox rows. Days are calendar days in local time, not 24-hour spans.

import { h, srOnly } from './dom.js';

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const weekday = new Intl.DateTimeFormat(undefined, { weekday: 'long' });
const weekdayShort = new Intl.DateTimeFormat(undefined, { weekday: 'short' });
const fullDate = new Intl.DateTimeFormat(undefined, { dateStyle: 'full' });
const fullDateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });
const dayMonth = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const dayMonthYear = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });

function startOfDay(d) {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate());
}

/** Calendar days from `d` to now: 0 today, 1 yesterday, negative in the future. */
export function daysAgo(d, now = new Date()) {
  return Math.round((startOfDay(now) - startOfDay(d)) / 864e5); // rounded: DST days have 23 or 25 hours
}

/** The local calendar day, YYYY-MM-DD (a key and a `datetime` value). */
export function dayKey(d) {
  const pad = n => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function capital(text) {
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}

/** "Today", "Yesterday", "Thursday" (within the last week), else "Thursday 3 December 2026". */
export function dayLabel(d, now = new Date()) {
  const days = daysAgo(d, now);
  if (Math.abs(days) <= 1) return capital(relative.format(-days, 'day'));
  if (days > 1 && days < 7) return weekday.format(d);
  return fullDate.format(d);
}

/** The full date and time, for tooltips and screen readers. */
export function fullDateTimeOf(iso) {
  return iso ? fullDateTime.format(new Date(iso)) : '';
}

/**
 * Puts a day separator ({day: true, key, date}) before the first item of each calendar day.
 * `timeOf(item)` is the item's ISO time.
 */
export function withDays(items, timeOf) {
  const out = [];
  let last = null;
  for (const item of items) {
    const date = new Date(timeOf(item));
    const key = dayKey(date);
    if (key !== last) {
      out.push({ day: true, key: `day|${key}`, date });
      last = key;
    }
    out.push(item);
  }
  return out;
}

/** The element of a day separator (a list item, filled by fillDay). */
export function dayRow() {
  return h('li', { class: 'day' }, h('time', { class: 'day-label' }));
}

/** Labels are recomputed on every render, so "Today" becomes "Yesterday" after midnight. */
export function fillDay(li, item) {
  const time = li.firstChild;
  const label = dayLabel(item.date);
  if (time.textContent !== label) time.textContent = label;
  time.setAttribute('datetime', dayKey(item.date));
  time.title = fullDate.format(item.date);
}

/**
 * A message's time: the clock time on screen (its day is the separator above), the full date
 * and time as tooltip, and for screen readers the day too when it is not today.
 */
export function messageTime(iso) {
  const d = new Date(iso);
  const days = daysAgo(d);
  return h('time', { datetime: iso, title: fullDateTime.format(d) },
    days === 0 ? null : srOnly(`${dayLabel(d)}, `),
    clock.format(d));
}

/**
 * The time of an inbox row: 14:05 today, "Yesterday", a short weekday within the last week,
 * 3 Dec this year, 3 Dec 2025 before; the full date and time as tooltip and for screen readers.
 */
export function listTime(iso) {
  if (!iso) return h('time', { class: 'when' });
  const d = new Date(iso);
  const days = daysAgo(d);
  let text;
  if (days === 0) text = clock.format(d);
  else if (days === 1) text = capital(relative.format(-1, 'day'));
  else if (days > 1 && days < 7) text = weekdayShort.format(d);
  else if (d.getFullYear() === new Date().getFullYear()) text = dayMonth.format(d);
  else text = dayMonthYear.format(d);
  const full = fullDateTime.format(d);
  return h('time', { class: 'when', datetime: iso, title: full },
    h('span', { 'aria-hidden': 'true' }, text), srOnly(full));
}
