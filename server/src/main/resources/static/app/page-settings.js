// Settings for this device (settings-view.js shows them): the new-message sound, desktop
// notifications (the permission, asked only here or by the offer after a first send), and
// whether notifications may show the message text. Kept in localStorage: they are about this
// browser, not the account.

import { h, replace } from './dom.js';
import { soundOn, setSoundOn } from './attention.js';
import { askNotificationPermission, notificationPermission, previewAllowed, setPreviewAllowed } from './notify.js';

const PERMISSION_WORDS = {
  granted: 'Notifications are on for this browser.',
  denied: 'Notifications are blocked for ChatApp in this browser. You can allow them in the browser’s site settings.',
  unsupported: 'This browser cannot show notifications from ChatApp here.',
  default: 'Get a notification when a message arrives while ChatApp is in the background.',
};

/** The "On this device" section of Settings. */
export function deviceSettings() {
  // on/off settings that act at once: switches (role="switch" on a checkbox)
  const sound = h('input', { type: 'checkbox', role: 'switch', id: 'setting-sound', checked: soundOn() });
  sound.addEventListener('change', () => setSoundOn(sound.checked));
  const preview = h('input', { type: 'checkbox', role: 'switch', id: 'setting-preview', checked: previewAllowed() });
  preview.addEventListener('change', () => setPreviewAllowed(preview.checked));
  const status = h('p', { class: 'settings-status', id: 'notification-status', role: 'status' });
  const ask = h('button', { type: 'button', class: 'primary' }, 'Turn on notifications');
  const show = () => {
    const permission = notificationPermission();
    replace(status, PERMISSION_WORDS[permission] || PERMISSION_WORDS.default);
    ask.hidden = permission !== 'default';
  };
  ask.addEventListener('click', async () => {
    await askNotificationPermission();
    show();
  });
  show();
  return h('section', { class: 'device-settings', 'aria-labelledby': 'device-settings-title' },
    h('h3', { id: 'device-settings-title' }, 'On this device'),
    h('label', { class: 'check', for: 'setting-sound' }, sound, 'Play a sound when a message arrives in the background'),
    h('h4', null, 'Desktop notifications'),
    status,
    ask,
    h('label', { class: 'check', for: 'setting-preview' }, preview, 'Show the message text in notifications'),
    h('p', { class: 'hint' }, 'Off by default: a notification says who wrote, not what. Anyone who can see this screen, '
      + 'even when it is locked, could read the text.'));
}
