// Settings › Notifications (docs/notifications.md): push on this device, what a push shows, email
// and its delay, quiet hours in the user's time zone (the browser's by default), and for
// therapists the away message with stated hours. GET/PUT /users/me/preferences.

import { h, replace } from './dom.js';
import { api } from './session.js';
import { pushSupported, enablePush, disablePush, pushEnabled } from './push.js';

const DAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];
const DAY_NAMES = { MON: 'Mon', TUE: 'Tue', WED: 'Wed', THU: 'Thu', FRI: 'Fri', SAT: 'Sat', SUN: 'Sun' };

function browserZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

function field(id, label, input, hint) {
  input.id = id;
  return h('div', { class: 'pref-field' }, h('label', { for: id }, label), input,
    hint ? h('small', { class: 'pref-hint' }, hint) : null);
}

function check(id, label, checked) {
  const box = h('input', { type: 'checkbox', id, checked: Boolean(checked) });
  return [box, h('label', { class: 'check', for: id }, box, ' ', label)];
}

export class PreferencesSection {
  constructor(me, onError) {
    this.me = me;
    this.onError = onError;
  }

  /** The section's element; filled once the preferences are loaded. */
  render() {
    this.root = h('section', { class: 'preferences', 'aria-labelledby': 'prefs-title' },
      h('h3', { id: 'prefs-title' }, 'Notifications'), h('p', null, 'Loading…'));
    this.load();
    return this.root;
  }

  async load() {
    try {
      const p = await api('/users/me/preferences');
      this.fill(p, await pushEnabled().catch(() => false));
    } catch (e) {
      this.onError(e);
    }
  }

  fill(p, deviceOn) {
    const therapist = this.me.userType === 'therapist';
    this.status = h('p', { class: 'settings-status prefs-saved', role: 'status', 'aria-live': 'polite' });
    this.deviceStatus = h('p', { class: 'settings-status', role: 'status', 'aria-live': 'polite' });
    const device = h('button', { type: 'button', class: 'primary', id: 'push-device',
      onclick: () => this.toggleDevice(device) }, deviceOn ? 'Turn off on this device' : 'Turn on on this device');
    device.dataset.on = deviceOn ? 'true' : 'false';
    if (!pushSupported()) device.disabled = true;
    const [push, pushLabel] = check('pref-push', 'Push notifications', p.push);
    const [sender, senderLabel] = check('pref-sender', 'Show the sender\'s name (never the message)', p.pushShowsSender);
    const [email, emailLabel] = check('pref-email', 'Email me about unread messages', p.email);
    const delay = h('input', { type: 'number', min: '1', max: '1440', value: String(p.emailDelay) });
    const zone = h('input', { type: 'text', value: p.timeZone === 'UTC' ? browserZone() : p.timeZone,
      autocomplete: 'off', spellcheck: 'false' });
    const quietFrom = h('input', { type: 'time', value: p.quietFrom || '' });
    const quietUntil = h('input', { type: 'time', value: p.quietUntil || '' });
    this.inputs = { push, sender, email, delay, zone, quietFrom, quietUntil };
    const parts = [
      h('p', null, 'A notification never shows what a message says.'),
      device, this.deviceStatus,
      pushLabel, senderLabel, emailLabel,
      field('pref-delay', 'Email after (minutes unread)', delay),
      h('fieldset', { class: 'pref-range' }, h('legend', null, 'Quiet hours (nothing is sent)'),
        field('pref-quiet-from', 'From', quietFrom), field('pref-quiet-until', 'Until', quietUntil)),
      field('pref-zone', 'Time zone', zone, 'An IANA name such as Europe/Oslo; your browser\'s by default.'),
    ];
    if (therapist) {
      const away = h('textarea', { maxlength: '500', rows: '3' });
      away.value = p.awayMessage || '';
      const hoursFrom = h('input', { type: 'time', value: p.hoursFrom || '' });
      const hoursUntil = h('input', { type: 'time', value: p.hoursUntil || '' });
      const days = DAYS.map(d => h('input', { type: 'checkbox', id: `pref-day-${d}`, value: d,
        checked: (p.workDays || []).includes(d) }));
      Object.assign(this.inputs, { away, hoursFrom, hoursUntil, days });
      parts.push(h('fieldset', { class: 'pref-away' }, h('legend', null, 'Away message for parents'),
        field('pref-away', 'Shown to a parent who writes outside your hours', away),
        field('pref-hours-from', 'Hours from', hoursFrom), field('pref-hours-until', 'until', hoursUntil),
        h('div', { class: 'pref-days' }, ...days.map(d => h('label', { class: 'check', for: d.id }, d, ' ',
          DAY_NAMES[d.value])))));
    }
    parts.push(h('button', { type: 'submit', class: 'primary' }, 'Save notification settings'), this.status);
    replace(this.root, h('h3', { id: 'prefs-title' }, 'Notifications'),
      h('form', { class: 'preferences-form', onsubmit: e => { e.preventDefault(); this.save(); } }, ...parts));
  }

  async toggleDevice(button) {
    button.disabled = true;
    try {
      if (button.dataset.on === 'true') {
        await disablePush();
        localStorage.removeItem('chatapp.push');
        button.dataset.on = 'false';
        button.textContent = 'Turn on on this device';
        this.deviceStatus.textContent = 'Push is off on this device.';
      } else if (await enablePush()) {
        localStorage.setItem('chatapp.push', 'on');
        button.dataset.on = 'true';
        button.textContent = 'Turn off on this device';
        this.deviceStatus.textContent = 'Push is on on this device.';
      } else {
        this.deviceStatus.textContent = 'Notifications are blocked for this site in your browser.';
      }
    } catch (e) {
      this.onError(e);
    } finally {
      button.disabled = false;
    }
  }

  async save() {
    const i = this.inputs;
    const body = {
      push: i.push.checked,
      pushShowsSender: i.sender.checked,
      email: i.email.checked,
      emailDelay: Number(i.delay.value),
      timeZone: i.zone.value.trim(),
      quietFrom: i.quietFrom.value || null,
      quietUntil: i.quietUntil.value || null,
    };
    if (i.away) {
      Object.assign(body, {
        awayMessage: i.away.value.trim() || null,
        hoursFrom: i.hoursFrom.value || null,
        hoursUntil: i.hoursUntil.value || null,
        workDays: i.days.filter(d => d.checked).map(d => d.value),
      });
    }
    try {
      await api('/users/me/preferences', { method: 'PUT', body });
      this.status.textContent = 'Saved.';
    } catch (e) {
      const fields = e.fieldErrors && e.fieldErrors.length ? e.fieldErrors.map(x => `${x.field}: ${x.message}`).join('; ') : null;
      this.status.textContent = fields ? `Not saved: ${fields}` : 'Not saved.';
      if (!fields) this.onError(e);
    }
  }
}
