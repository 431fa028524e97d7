// Email links and account recovery (docs/notifications.md, "Email"): "Forgot password?", the
// pages the emailed links open (#verify-email=<token>, #reset-password=<token>; the token stays
// after '#', so it never reaches a server log), and the "verify your email" banner with resend.

import { h, replace } from './dom.js';
import { api, publicApi, ApiError } from './session.js';

function card(root, title) {
  document.title = `${title} · ChatApp`;
  const main = h('main', { id: 'main', class: 'auth-card' });
  replace(root, h('div', { class: 'auth' },
    h('div', { class: 'brand' }, h('img', { src: '/app/icon.svg', alt: '', width: 40, height: 40 }),
      h('span', null, 'ChatApp')),
    main));
  return main;
}

function toLogin(message) {
  sessionStorage.setItem('chatapp.notice', message);
  history.replaceState(null, '', location.pathname + location.search); // the token leaves the address bar
  location.reload();
}

function problem(e) {
  if (!(e instanceof ApiError)) return 'Something went wrong; try again.';
  const fe = (e.fieldErrors || [])[0];
  return fe ? `${fe.field === 'newPassword' ? 'The new password' : 'This link'} ${fe.message}.` : e.message;
}

/** Handles an emailed link in the address, if there is one; true if it did. */
export function handleEmailLink(root) {
  const hash = location.hash;
  let m;
  if ((m = /^#verify-email=([A-Za-z0-9_-]+)$/.exec(hash))) {
    verifyPage(root, m[1]);
    return true;
  }
  if ((m = /^#reset-password=([A-Za-z0-9_-]+)$/.exec(hash))) {
    resetPage(root, m[1]);
    return true;
  }
  if (hash === '#forgot-password') {
    forgotPage(root);
    return true;
  }
  return false;
}

async function verifyPage(root, token) {
  const main = card(root, 'Confirm your email');
  const status = h('p', { role: 'status' }, 'Confirming your address…');
  main.append(h('h1', null, 'Confirm your email'), status);
  try {
    await publicApi('/auth/verify-email', { method: 'POST', body: { token } });
    toLogin('Your email address is confirmed. You can log in.');
  } catch (e) {
    status.textContent = problem(e);
  }
}

function resetPage(root, token) {
  const main = card(root, 'Choose a new password');
  const password = h('input', { id: 'reset-password', name: 'newPassword', type: 'password',
    autocomplete: 'new-password', required: true, minlength: 12, maxlength: 128 });
  const error = h('p', { class: 'form-error', role: 'alert', tabindex: '-1', hidden: true });
  const form = h('form', { class: 'form', novalidate: true },
    h('h1', null, 'Choose a new password'),
    h('div', { class: 'field' }, h('label', { for: 'reset-password' }, 'New password'), password,
      h('p', { class: 'hint' }, '12 to 128 characters. Setting it signs you out everywhere.')),
    error,
    h('button', { type: 'submit', class: 'primary' }, 'Set password'));
  form.addEventListener('submit', async e => {
    e.preventDefault();
    error.hidden = true;
    try {
      await publicApi('/auth/password-reset/confirm', { method: 'POST', body: { token, newPassword: password.value } });
      toLogin('Your new password is set. Log in with it.');
    } catch (err) {
      error.textContent = problem(err);
      error.hidden = false;
      error.focus();
    }
  });
  main.append(form);
  password.focus();
}

/** The "Forgot password?" page. */
export function forgotPage(root) {
  const main = card(root, 'Forgot password');
  const email = h('input', { id: 'forgot-email', name: 'email', type: 'email', autocomplete: 'email', required: true });
  const out = h('p', { role: 'status' });
  const form = h('form', { class: 'form', novalidate: true },
    h('h1', null, 'Forgot password'),
    h('div', { class: 'field' }, h('label', { for: 'forgot-email' }, 'Email'), email),
    out,
    h('button', { type: 'submit', class: 'primary' }, 'Send me a link'),
    h('p', { class: 'switch' }, h('a', { href: '#', onclick: () => toLogin('') }, 'Back to log in')));
  form.addEventListener('submit', async e => {
    e.preventDefault();
    try {
      await publicApi('/auth/password-reset', { method: 'POST', body: { email: email.value.trim() } });
      out.textContent = 'If an account has this address, a link to set a new password is on its way. It works once, for 30 minutes.';
    } catch (err) {
      out.textContent = problem(err);
    }
  });
  main.append(form);
  email.focus();
}

/** Adds the "verify your email" banner with a resend button to {@code container} if needed. */
export async function verificationBanner(container) {
  let state;
  try {
    state = await api('/users/me/email-verification');
  } catch {
    return;
  }
  if (!state.emailOn || state.emailVerified) return;
  const note = h('span', null, 'Please confirm your email address: look for our email. ');
  const resend = h('button', { type: 'button', class: 'link' }, 'Send it again');
  resend.addEventListener('click', async () => {
    resend.disabled = true;
    try {
      await api('/users/me/verification-email', { method: 'POST' });
      note.textContent = 'A new link is on its way. ';
    } catch (e) {
      note.textContent = problem(e) + ' ';
    }
  });
  container.prepend(h('div', { class: 'verify-banner', role: 'status' }, note, resend));
}
