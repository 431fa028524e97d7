// Settings: the user's own data (docs/audit.md): download everything as one archive, or delete
// the account with the password re-entered. Both talk to /users/me (docs/api.md, "Your data").

import { h, replace } from './dom.js';
import { api, logout } from './session.js';
import { deviceSettings } from './page-settings.js';
import { PreferencesSection } from './preferences-view.js';
import { ProfileEditor } from './profile-view.js';

export class SettingsView {
  constructor(parent, onError, me) {
    this.me = me;
    this.parent = parent;
    this.onError = onError;
    this.poll = null;
  }

  show() {
    this.exportStatus = h('p', { class: 'settings-status', role: 'status', 'aria-live': 'polite' });
    this.exportButton = h('button', { type: 'button', class: 'primary', onclick: () => this.startExport() },
      'Download my data');
    this.password = h('input', { type: 'password', id: 'delete-password', autocomplete: 'current-password', required: true });
    this.confirm = h('input', { type: 'checkbox', id: 'delete-confirm' });
    this.deleteStatus = h('p', { class: 'settings-status', role: 'status', 'aria-live': 'polite' });
    this.deleteForm = h('form', { class: 'settings-delete', onsubmit: e => { e.preventDefault(); this.deleteAccount(); } },
      h('label', { for: 'delete-password' }, 'Your password'),
      this.password,
      h('label', { class: 'check' }, this.confirm,
        ' I understand: my messages become "Message deleted" for the other person, my photos and videos are deleted,'
        + ' and this cannot be undone.'),
      h('button', { type: 'submit', class: 'danger' }, 'Delete my account'),
      this.deleteStatus);
    replace(this.parent,
      h('section', { class: 'settings', 'aria-labelledby': 'settings-title' },
        h('h2', { id: 'settings-title' }, 'Settings'),
        this.profileBox = h('div', { class: 'profile-edit' }),
        this.me ? new PreferencesSection(this.me, this.onError).render() : null,
        deviceSettings(),
        h('h3', null, 'Your data'),
        h('p', null, 'One ZIP file with your profile, every conversation (both sides), read receipts, and your photos'
          + ' and videos and those sent to you. It opens offline: start with index.html. The link works for 48 hours.'),
        this.exportButton,
        this.exportStatus,
        h('h3', null, 'Delete your account'),
        h('p', null, 'Your sessions end everywhere at once and your profile disappears. The people you talked with keep'
          + ' their side of the conversation.'),
        this.deleteForm));
    this.profile = new ProfileEditor(this.profileBox, this.onError);
  }

  hide() {
    clearTimeout(this.poll);
    this.poll = null;
  }

  async startExport() {
    this.exportButton.disabled = true;
    try {
      const job = await api('/users/me/export', { method: 'POST' });
      this.say('Preparing your archive…');
      this.follow(job.exportId);
    } catch (e) {
      this.exportButton.disabled = false;
      this.say('');
      this.onError(e);
    }
  }

  async follow(id) {
    try {
      const job = await api(`/users/me/export/${encodeURIComponent(id)}`);
      if (job.state === 'ready') {
        this.exportButton.disabled = false;
        replace(this.exportStatus, 'Your archive is ready: ',
          h('a', { href: job.url, class: 'export-link', download: '' }, 'download it'),
          ` (${Math.max(1, Math.round(job.size / 1024))} KB; this link works for 15 minutes).`);
        return;
      }
      if (job.state === 'failed') {
        this.exportButton.disabled = false;
        this.say('The archive could not be made. Please try again later.');
        return;
      }
      this.poll = setTimeout(() => this.follow(id), 1000);
    } catch (e) {
      this.exportButton.disabled = false;
      this.onError(e);
    }
  }

  say(text) {
    replace(this.exportStatus, text);
  }

  async deleteAccount() {
    if (!this.confirm.checked) {
      replace(this.deleteStatus, 'Tick the box to confirm that you want to delete your account.');
      return;
    }
    if (!this.password.value) {
      replace(this.deleteStatus, 'Enter your password.');
      return;
    }
    try {
      await api('/users/me', { method: 'DELETE', body: { password: this.password.value } });
    } catch (e) {
      this.password.value = '';
      replace(this.deleteStatus, e.status === 403 ? 'That password is not right.' : e.message);
      return;
    }
    sessionStorage.setItem('chatapp.notice', 'Your account was deleted.');
    await logout();
  }
}
