// Log in and sign up. Field errors from the API (problem `errors[]`) appear under their field,
// everything else as one sentence above the button.

import { h, replace } from './dom.js';
import { login, register, ApiError } from './session.js';
import { forgotPage } from './account-recovery.js';

export function showAuth(root, mode = 'login') {
  document.title = mode === 'login' ? 'Log in · ChatApp' : 'Sign up · ChatApp';
  const card = h('main', { id: 'main', class: 'auth-card' });
  replace(root, h('div', { class: 'auth' },
    h('div', { class: 'brand' }, h('img', { src: '/app/icon.svg', alt: '', width: 40, height: 40 }),
      h('span', null, 'ChatApp')),
    card));
  const notice = sessionStorage.getItem('chatapp.notice'); // e.g. after the account was deleted
  if (notice) {
    sessionStorage.removeItem('chatapp.notice');
    card.append(h('p', { class: 'notice', role: 'status' }, notice));
  }
  if (mode === 'login') loginForm(root, card);
  else signupForm(root, card);
  const first = card.querySelector('input');
  if (first) first.focus();
}

function field(id, label, input, hint) {
  input.id = id;
  const error = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  const described = [hint ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(' ');
  input.setAttribute('aria-describedby', described);
  return h('div', { class: 'field', dataset: { field: input.name } },
    h('label', { for: id }, label),
    input,
    hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null,
    error);
}

function showErrors(form, error) {
  form.querySelectorAll('.field-error').forEach(p => { p.hidden = true; p.textContent = ''; });
  form.querySelectorAll('[aria-invalid]').forEach(i => i.removeAttribute('aria-invalid'));
  const summary = form.querySelector('.form-error');
  let firstInvalid = null;
  const unmatched = [];
  for (const fe of error.fieldErrors || []) {
    const box = form.querySelector(`.field[data-field="${CSS.escape(fe.field)}"]`);
    if (!box || box.hidden) {
      unmatched.push(`${fe.field} ${fe.message}.`);
      continue;
    }
    const label = box.querySelector('label, legend').textContent.trim();
    const p = box.querySelector('.field-error');
    p.textContent = `${label} ${fe.message}.`; // "Password must be 12 to 128 characters."
    p.hidden = false;
    const input = box.querySelector('input, select');
    input.setAttribute('aria-invalid', 'true');
    firstInvalid = firstInvalid || input;
  }
  summary.textContent = firstInvalid
    ? ['Please check the marked fields.', ...unmatched].join(' ')
    : [error.message, ...unmatched].join(' ');
  summary.hidden = false;
  (firstInvalid || summary).focus();
}

async function submitting(form, work) {
  const button = form.querySelector('button[type=submit]');
  const summary = form.querySelector('.form-error');
  summary.hidden = true;
  button.disabled = true;
  form.setAttribute('aria-busy', 'true');
  try {
    await work();
  } catch (e) {
    showErrors(form, e instanceof ApiError ? e : new ApiError(0, null));
  } finally {
    button.disabled = false;
    form.removeAttribute('aria-busy');
  }
}

function loginForm(root, card) {
  const email = h('input', { name: 'email', type: 'email', autocomplete: 'email', required: true });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const form = h('form', { class: 'form', novalidate: true, 'aria-labelledby': 'auth-title' },
    h('h1', { id: 'auth-title' }, 'Log in'),
    field('login-email', 'Email', email),
    field('login-password', 'Password', password),
    h('p', { class: 'form-error', role: 'alert', tabindex: '-1', hidden: true }),
    h('button', { type: 'submit', class: 'primary' }, 'Log in'),
    h('p', { class: 'switch' }, h('button', { type: 'button', class: 'link', onclick: () => forgotPage(root) },
      'Forgot password?')),
    h('p', { class: 'switch' }, 'New to ChatApp? ',
      h('button', { type: 'button', class: 'link', onclick: () => showAuth(root, 'signup') }, 'Create an account')));
  form.addEventListener('submit', e => {
    e.preventDefault();
    submitting(form, () => login(email.value.trim(), password.value));
  });
  card.append(form);
}

function signupForm(root, card) {
  const username = h('input', { name: 'username', autocomplete: 'username', required: true, maxlength: 64 });
  const email = h('input', { name: 'email', type: 'email', autocomplete: 'email', required: true });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'new-password', required: true });
  const specialization = h('input', { name: 'specialization', autocomplete: 'off', maxlength: 100 });
  const childrenCount = h('input', { name: 'childrenCount', type: 'number', min: 0, max: 50, inputmode: 'numeric' });
  const parent = h('input', { type: 'radio', name: 'userType', value: 'parent', id: 'type-parent', checked: true });
  const therapist = h('input', { type: 'radio', name: 'userType', value: 'therapist', id: 'type-therapist' });
  const specializationField = field('signup-specialization', 'Specialization', specialization, 'For example: speech therapy');
  const childrenField = field('signup-children', 'Number of children', childrenCount);
  const sync = () => {
    specializationField.hidden = !therapist.checked;
    childrenField.hidden = !parent.checked;
  };
  parent.addEventListener('change', sync);
  therapist.addEventListener('change', sync);
  const form = h('form', { class: 'form', novalidate: true, 'aria-labelledby': 'auth-title' },
    h('h1', { id: 'auth-title' }, 'Create an account'),
    h('fieldset', { class: 'field choice', dataset: { field: 'userType' } },
      h('legend', null, 'I am a'),
      h('label', { for: 'type-parent' }, parent, ' Parent'),
      h('label', { for: 'type-therapist' }, therapist, ' Therapist'),
      h('p', { class: 'field-error', hidden: true })),
    field('signup-username', 'Username', username, 'Others find you by this name.'),
    field('signup-email', 'Email', email),
    field('signup-password', 'Password', password),
    specializationField,
    childrenField,
    h('p', { class: 'form-error', role: 'alert', tabindex: '-1', hidden: true }),
    h('button', { type: 'submit', class: 'primary' }, 'Create account'),
    h('p', { class: 'switch' }, 'Already have an account? ',
      h('button', { type: 'button', class: 'link', onclick: () => showAuth(root, 'login') }, 'Log in')));
  sync();
  form.addEventListener('submit', e => {
    e.preventDefault();
    const body = {
      username: username.value.trim(),
      email: email.value.trim(),
      password: password.value,
      userType: therapist.checked ? 'therapist' : 'parent',
    };
    if (therapist.checked && specialization.value.trim()) body.specialization = specialization.value.trim();
    if (parent.checked && childrenCount.value !== '') body.childrenCount = Number(childrenCount.value);
    submitting(form, async () => {
      const r = await register(body);
      if (r && r.status === 'verification_required') { // email on: confirm, then log in
        sessionStorage.setItem('chatapp.notice', `We sent a link to ${r.email}. Confirm your address, then log in.`);
        showAuth(root, 'login');
      }
    });
  });
  card.append(form);
}
