// Profiles (issue 21; docs/web-client.md, "Profiles"): display names and avatars wherever a person
// is shown (initials until the photo has loaded, or without one), the profile dialog (name,
// avatar, and a therapist's bio, credentials and practice), and editing one's own profile in
// Settings. An avatar's URL (GET /users/{id}/avatar) needs the access token and answers 302 to a
// short-lived signed URL, so the photo is fetched and shown from a blob: URL, cached by its mediaId.

import { h, replace } from './dom.js';
import { api, accessToken, refresh, ApiError } from './session.js';

/** The name to show: the display name when set, else the username. */
export function displayName(user) {
  return (user && (user.displayName || user.username)) || 'Unknown';
}

/** Up to two letters: the first of the first two words of the name to show. */
export function initialsOf(user) {
  const words = displayName(user).trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[1]] : [words[0] || '?'];
  const text = letters.length > 1
    ? letters.map(w => [...w][0]).join('')
    : [...letters[0]].slice(0, 2).join('');
  return text.toUpperCase();
}

const photos = new Map(); // `${mediaId}/${variant}` -> Promise<blob: URL>

/** A blob: URL of `user`'s avatar ('thumbnail' or 'original'), fetched once per page. */
export function avatarUrl(user, variant = 'thumbnail') {
  const key = `${user.avatar.mediaId}/${variant}`;
  if (!photos.has(key)) {
    const path = variant === 'thumbnail' ? user.avatar.thumbnailUrl : user.avatar.url;
    const p = fetchPhoto(path).then(async res => URL.createObjectURL(await res.blob()));
    p.catch(() => photos.delete(key)); // a later view tries again
    photos.set(key, p);
  }
  return photos.get(key);
}

async function fetchPhoto(path) {
  let token = await accessToken();
  let res = await fetch(path, { headers: { Authorization: `Bearer ${token}` } });
  if (res.status === 401) {
    token = await refresh(token);
    res = await fetch(path, { headers: { Authorization: `Bearer ${token}` } });
  }
  if (!res.ok) throw new ApiError(res.status, null);
  return res;
}

/**
 * Fills an avatar element (`span.avatar` or `button.avatar`) for `user`: initials at once, the
 * photo when it has loaded. Does nothing when it already shows this user's current avatar.
 */
export function fillAvatar(el, user) {
  const key = `${user ? user.userId : ''}/${user && user.avatar ? user.avatar.mediaId : ''}/${initialsOf(user)}`;
  if (el.dataset.avatar === key) return el;
  el.dataset.avatar = key;
  replace(el, h('span', { class: 'initials' }, initialsOf(user)));
  if (user && user.avatar) {
    avatarUrl(user).then(url => {
      if (el.dataset.avatar !== key) return; // shows someone else by now
      replace(el, h('img', { src: url, alt: '', class: 'avatar-photo' }));
    }).catch(() => {}); // initials stay
  }
  return el;
}

/** A new decorative avatar element for `user` (the name is said next to it). */
export function avatarFor(user, extraClass) {
  return fillAvatar(h('span', { class: extraClass ? `avatar ${extraClass}` : 'avatar', 'aria-hidden': 'true' }), user);
}

/**
 * A `conversation` frame (docs/protocol.md) carries the peer without the profile: keep the one
 * REST gave (unless the conversation is now blocked, when the server leaves it out), or, when
 * this page knows none (a new request, an unblocked conversation), ask GET /users/{id} for it.
 * Returns the conversation to store.
 */
export function withPeerProfile(store, c) {
  if (!c.peer || c.state === 'blocked') return c;
  const old = store.conversations.get(c.conversationId);
  if (old && old.peer && old.peer.userId === c.peer.userId && (old.peer.displayName || old.peer.avatar)) {
    const { displayName, avatar, bio, credentials, practice } = old.peer;
    return { ...c, peer: { displayName, avatar, bio, credentials, practice, ...c.peer } };
  }
  api(`/users/${encodeURIComponent(c.peer.userId)}`).then(user => {
    const now = store.conversations.get(c.conversationId);
    if (now && now.state !== 'blocked' && now.peer && now.peer.userId === user.userId) {
      now.peer = { ...now.peer, ...user };
      store.emit('conversations');
    }
  }).catch(() => {}); // the username shows meanwhile
  return c;
}

let dialog = null;

/** Opens the profile dialog for `user` (a public view); Escape or Close closes it. */
export function showProfile(user) {
  if (!dialog) dialog = new ProfileDialog();
  dialog.show(user);
}

class ProfileDialog {
  constructor() {
    this.body = h('div', { class: 'profile-body' });
    this.dialog = h('dialog', { class: 'profile-dialog', 'aria-labelledby': 'profile-name' },
      h('form', { method: 'dialog', class: 'profile-bar' },
        h('button', { class: 'quiet', 'aria-label': 'Close profile' }, '✕ Close')),
      this.body);
    this.dialog.addEventListener('click', e => { if (e.target === this.dialog) this.dialog.close(); });
    document.body.append(this.dialog);
  }

  show(user) {
    const role = user.userType === 'therapist'
      ? (user.specialization ? `Therapist · ${user.specialization}` : 'Therapist')
      : 'Parent';
    const photo = h('span', { class: 'avatar avatar-large', 'aria-hidden': user.avatar ? null : 'true' },
      h('span', { class: 'initials' }, initialsOf(user)));
    if (user.avatar) {
      avatarUrl(user, 'original').then(url => {
        replace(photo, h('img', { src: url, alt: `Photo of ${displayName(user)}`, class: 'avatar-photo' }));
      }).catch(() => {});
    }
    const field = (label, value, cls) => value
      ? [h('dt', null, label), h('dd', { class: cls || null }, value)]
      : null;
    replace(this.body,
      h('div', { class: 'profile-head' },
        photo,
        h('div', null,
          h('h2', { id: 'profile-name', class: 'profile-name' }, displayName(user)),
          h('p', { class: 'profile-username' }, `@${user.username}`),
          h('p', { class: 'profile-role' }, role))),
      user.userType === 'therapist'
        ? h('dl', { class: 'profile-fields' },
          field('About', user.bio, 'profile-bio'),
          field('Credentials', user.credentials),
          field('Practice', user.practice))
        : null,
      user.userType === 'therapist' && !user.bio && !user.credentials && !user.practice
        ? h('p', { class: 'profile-empty' }, 'This therapist has not filled in a profile yet.')
        : null);
    if (!this.dialog.open) this.dialog.showModal();
  }
}

/**
 * Editing one's own profile in Settings: display name, a therapist's bio, credentials and
 * practice (PATCH /users/me/profile), and the avatar (PUT and DELETE /users/me/avatar).
 * Refusals are shown next to their field, in the server's words.
 */
export class ProfileEditor {
  constructor(box, onError) {
    this.box = box;
    this.onError = onError;
    this.me = null;
    replace(box, h('p', null, 'Loading your profile…'));
    api('/users/me').then(me => this.render(me)).catch(e => {
      replace(box, h('p', null, e.message));
    });
  }

  render(me) {
    this.me = me;
    const therapist = me.userType === 'therapist';
    const input = (name, label, value, { max, multiline, hint } = {}) => {
      const id = `profile-${name}`;
      const control = multiline
        ? h('textarea', { id, name, rows: 4, maxlength: max, 'aria-describedby': `${id}-error` })
        : h('input', { id, name, type: 'text', maxlength: max, autocomplete: name === 'displayName' ? 'name' : 'off',
          'aria-describedby': `${id}-error` });
      control.value = value || '';
      return h('div', { class: 'field' },
        h('label', { for: id }, label),
        hint ? h('p', { class: 'hint' }, hint) : null,
        control,
        h('p', { class: 'field-error', id: `${id}-error`, role: 'status' }));
    };
    this.avatar = avatarFor(me, 'avatar-large');
    this.file = h('input', { type: 'file', accept: 'image/jpeg,image/png,image/gif,image/webp', id: 'profile-avatar-file',
      hidden: true, 'aria-label': 'Profile photo' });
    this.file.addEventListener('change', () => this.uploadAvatar());
    this.avatarStatus = h('p', { class: 'settings-status', role: 'status', 'aria-live': 'polite' });
    this.removeButton = h('button', { type: 'button', class: 'quiet', hidden: !me.avatar, onclick: () => this.removeAvatar() },
      'Remove photo');
    this.status = h('p', { class: 'settings-status', role: 'status', 'aria-live': 'polite' });
    this.form = h('form', { class: 'profile-form', 'aria-labelledby': 'profile-edit-title',
      onsubmit: e => { e.preventDefault(); this.save(); } },
    input('displayName', 'Display name', me.displayName, {
      max: 64, hint: 'How others see you, e.g. your full name. Letters of one alphabet; up to 64 characters.',
    }),
    therapist ? input('credentials', 'Credentials', me.credentials, { max: 200, hint: 'e.g. MSc, licensed speech therapist' }) : null,
    therapist ? input('practice', 'Practice', me.practice, { max: 120, hint: 'Where you work' }) : null,
    therapist ? input('bio', 'About you', me.bio, { max: 1000, multiline: true, hint: 'A few lines for parents (up to 1000 characters).' }) : null,
    h('button', { type: 'submit', class: 'primary' }, 'Save profile'),
    this.status);
    replace(this.box,
      h('h3', { id: 'profile-edit-title' }, 'Your profile'),
      h('div', { class: 'profile-photo' },
        this.avatar,
        h('div', { class: 'profile-photo-actions' },
          this.file,
          h('button', { type: 'button', class: 'quiet', onclick: () => this.file.click() },
            me.avatar ? 'Change photo' : 'Add a photo'),
          this.removeButton,
          this.avatarStatus)),
      this.form);
  }

  async save() {
    const body = {};
    for (const name of ['displayName', 'credentials', 'practice', 'bio']) {
      const control = this.form.elements.namedItem(name);
      if (control) body[name] = control.value;
    }
    this.form.querySelectorAll('.field-error').forEach(p => { p.textContent = ''; });
    this.form.querySelectorAll('[aria-invalid]').forEach(c => c.removeAttribute('aria-invalid'));
    replace(this.status, 'Saving…');
    try {
      this.me = await api('/users/me/profile', { method: 'PATCH', body });
      fillAvatar(this.avatar, this.me);
      replace(this.status, 'Your profile is saved.');
    } catch (e) {
      replace(this.status, e.fieldErrors.length ? 'Please correct the fields marked below.' : e.message);
      let first = null;
      for (const error of e.fieldErrors) {
        const control = this.form.elements.namedItem(error.field);
        const line = this.form.querySelector(`#profile-${error.field}-error`);
        if (control && line) {
          control.setAttribute('aria-invalid', 'true');
          line.textContent = error.message.charAt(0).toUpperCase() + error.message.slice(1) + '.';
          first = first || control;
        }
      }
      if (first) first.focus();
    }
  }

  async uploadAvatar() {
    const file = this.file.files[0];
    this.file.value = '';
    if (!file) return;
    replace(this.avatarStatus, 'Uploading your photo…');
    try {
      this.me = await sendAvatar(file);
      fillAvatar(this.avatar, this.me);
      this.removeButton.hidden = false;
      replace(this.avatarStatus, 'Your photo is saved.');
    } catch (e) {
      replace(this.avatarStatus, e.message);
    }
  }

  async removeAvatar() {
    try {
      await api('/users/me/avatar', { method: 'DELETE' });
      this.me = Object.assign({}, this.me, { avatar: undefined });
      fillAvatar(this.avatar, this.me);
      this.removeButton.hidden = true;
      replace(this.avatarStatus, 'Your photo is removed.');
    } catch (e) {
      replace(this.avatarStatus, e.message);
    }
  }
}

/** PUT /users/me/avatar as multipart field `file`; resolves to the new own view. */
async function sendAvatar(file) {
  const form = new FormData();
  form.append('file', file, file.name || 'avatar');
  const put = token => fetch('/api/v1/users/me/avatar', {
    method: 'PUT', body: form,
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/json, application/problem+json' },
  });
  let token = await accessToken();
  let res = await put(token);
  if (res.status === 401) {
    token = await refresh(token);
    res = await put(token);
  }
  let body = null;
  try {
    body = await res.json();
  } catch {
    // not JSON
  }
  if (!res.ok) throw new ApiError(res.status, body, res.headers.get('Retry-After'));
  return body;
}
