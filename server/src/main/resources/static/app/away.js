// A therapist's away message (docs/notifications.md): the server sends an `away` frame to the
// parent who wrote outside the therapist's stated hours, once per conversation and away period.
// Shown as a note above the conversation until dismissed.

import { h } from './dom.js';

export function showAwayMessages(realtime, container) {
  realtime.addEventListener('frame', e => {
    const f = e.detail;
    if (!f || f.type !== 'away' || typeof f.message !== 'string') return;
    const until = f.until ? new Date(f.until) : null;
    const note = h('div', { class: 'away-note', role: 'status' },
      h('p', null, h('strong', null, 'Away: '), f.message),
      until ? h('p', { class: 'away-until' }, `Back ${until.toLocaleString([], { weekday: 'long', hour: '2-digit', minute: '2-digit' })}.`) : null,
      h('button', { type: 'button', class: 'quiet', onclick: () => note.remove() }, 'Dismiss'));
    container.append(note);
  });
}
