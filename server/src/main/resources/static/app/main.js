// Entry point: shows log-in or the signed-in app, and keeps them in step with the session
// (a log-out or a log-in in another tab reaches this one through storage events).

import { h, replace } from './dom.js';
import { session, onSessionChange, api, updateUser, logout } from './session.js';
import { showAuth } from './auth-view.js';
import { handleEmailLink, verificationBanner } from './account-recovery.js';
import { Realtime } from './realtime.js';
import { Store } from './store.js';
import { ConversationList, Directory, RequestList } from './inbox-view.js';
import { ChatView } from './chat-view.js';
import { SettingsView } from './settings-view.js';
import { AcrossSearch, WithinSearch, reveal } from './search-view.js';
import { LastKnown, registerServiceWorker } from './offline.js';
import { Attention } from './attention.js';
import { onNotificationClick } from './notify.js';
import { followVisualViewport } from './viewport.js';
import { icon } from './icons.js';
import { resumePush } from './push.js';
import { showAwayMessages } from './away.js';

const root = document.getElementById('app');
let app = null;

function render() {
  const s = session();
  if (app && (!s || s.user.userId !== app.me.userId)) {
    app.destroy();
    app = null;
  }
  if (!s) {
    if (!handleEmailLink(root)) showAuth(root);
  } else if (!app) {
    app = new App(s.user);
    verificationBanner(document.body);
  }
  root.removeAttribute('aria-busy');
}

// An emailed link opened in a tab that is already at the log-in screen (only the hash changes).
window.addEventListener('hashchange', () => {
  if (!session() && !handleEmailLink(root)) showAuth(root);
});


class App {
  constructor(me) {
    this.me = me;
    this.realtime = new Realtime();
    this.store = new Store(me, this.realtime);
    this.lastKnown = new LastKnown(me, this.store); // what to show when opened offline (offline.js)
    this.build();
    this.attention = new Attention(this.store, this.realtime, me, this.shell); // unread title and favicon, sound, notifications
    this.stopNotificationClicks = onNotificationClick(id => this.go(`#/c/${encodeURIComponent(id)}`));
    this.stopViewport = followVisualViewport();
    this.list = new ConversationList(this.listBox, this.store, id => this.go(`#/c/${encodeURIComponent(id)}`));
    this.requests = new RequestList(this.requestsBox, this.store, id => this.go(`#/c/${encodeURIComponent(id)}`),
      e => this.alert(e));
    this.directory = new Directory(this.directoryBox, this.store, me,
      async user => this.go(`#/c/${encodeURIComponent((await this.store.startConversation(user.userId)).conversationId)}`),
      e => this.alert(e));
    this.chat = new ChatView(this.main, this.store, me, () => this.go('#/'), e => this.alert(e));
    this.settings = new SettingsView(this.main, e => this.alert(e), me);
    this.across = new AcrossSearch(this.searchBox, this.listBox, this.store, me, (c, m) => this.openAt(c, m));
    this.within = new WithinSearch(this.store, me, (c, m) => this.openAt(c, m));
    this.onHash = () => this.route();
    window.addEventListener('hashchange', this.onHash);
    this.realtime.addEventListener('state', () => this.showConnection());
    this.realtime.addEventListener('signedout', () => logout());
    this.store.addEventListener('error', e => this.alert(e.detail));
    this.route();
    this.store.loadConversations().catch(async e => {
      if (await this.lastKnown.restoreInbox(e)) this.showConnection(); // offline: what it last knew
      else this.alert(e);
    });
    this.realtime.start();
    showAwayMessages(this.realtime, this.alerts);
    resumePush().catch(() => {}); // a device that allowed push before: this session subscribes too
    api('/users/me').then(user => { this.me = Object.assign(this.me, user); updateUser(user); }).catch(() => {});
    this.tick = setInterval(() => this.showConnection(), 1000);
  }

  build() {
    const other = this.me.userType === 'parent' ? 'therapist' : 'parent';
    this.banner = h('div', { class: 'banner', role: 'status', hidden: true });
    this.alerts = h('div', { class: 'alerts', role: 'alert' });
    this.requestsBox = h('section', { class: 'requests-box', hidden: true });
    this.listBox = h('div', { class: 'list-box' });
    this.searchBox = h('div', { class: 'search-box' });
    this.directoryBox = h('div', { class: 'directory-box', hidden: true });
    this.newChat = h('a', { class: 'button', href: '#/people' }, `Find a ${other}`);
    this.main = h('main', { id: 'main', class: 'chat-pane', tabindex: '-1' });
    this.shell = h('div', { class: 'shell', dataset: { view: 'list' } },
      h('header', { class: 'topbar' },
        h('a', { class: 'brand', href: '#/' }, h('img', { src: '/app/icon.svg', alt: '', width: 28, height: 28 }), 'ChatApp'),
        h('span', { class: 'me' }, h('span', { class: 'sr-only' }, 'Signed in as '), this.me.username,
          h('span', { class: 'role' }, ` · ${this.me.userType}`)),
        h('a', { class: 'button quiet', href: '#/settings' }, 'Settings'),
        h('button', { type: 'button', class: 'quiet', onclick: () => logout() }, 'Log out')),
      this.banner,
      this.alerts,
      h('div', { class: 'panes' },
        h('nav', { class: 'sidebar', 'aria-label': 'Conversations' },
          h('div', { class: 'sidebar-head' }, h('h1', { class: 'sidebar-title' }, 'Chats'), this.newChat),
          this.searchBox,
          this.requestsBox,
          this.listBox,
          this.directoryBox),
        this.main));
    replace(root, this.shell);
  }

  go(hash) {
    if (location.hash === hash) this.route();
    else location.hash = hash;
  }

  route() {
    const hash = location.hash || '#/';
    const chat = /^#\/c\/(.+)$/.exec(hash);
    const people = hash === '#/people';
    this.listBox.hidden = people;
    this.requestsBox.classList.toggle('off', people);
    this.directoryBox.hidden = !people;
    this.newChat.hidden = people;
    if (people) this.directory.show();
    this.settings.hide();
    if (hash === '#/settings') {
      this.shell.dataset.view = 'chat';
      this.chat.close();
      this.list.select(null);
      this.settings.show();
      document.title = 'Settings · ChatApp';
    } else if (chat) {
      this.shell.dataset.view = 'chat';
      this.chat.open(decodeURIComponent(chat[1]));
      this.within.attach(this.main, decodeURIComponent(chat[1]));
      this.list.select(decodeURIComponent(chat[1]));
    } else {
      this.shell.dataset.view = 'list';
      this.chat.close();
      this.list.select(null);
      document.title = 'ChatApp';
    }
  }

  /** Opens a conversation at one of its messages (a search result). */
  openAt(conversationId, messageId) {
    this.go(`#/c/${encodeURIComponent(conversationId)}`);
    reveal(this.chat, this.store, conversationId, messageId).catch(e => this.alert(e));
  }

  showConnection() {
    const state = this.realtime.state;
    if (state === 'open') {
      this.lastKnown.restored = null; // caught up: the server's copy from now on
      this.banner.hidden = true;
      this.banner.dataset.state = 'open';
      return;
    }
    const wait = this.realtime.retryAt ? Math.max(0, Math.ceil((this.realtime.retryAt - Date.now()) / 1000)) : 0;
    const text = state === 'connecting' || !this.realtime.retryAt
      ? 'Connecting…'
      : `Connection lost. Reconnecting in ${wait} s…`;
    const saved = this.lastKnown.restored // opened offline: say how old the copy shown is
      ? ` Showing what ChatApp knew at ${new Date(this.lastKnown.restored).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}.`
      : '';
    const words = (navigator.onLine ? text : `You are offline. ${text}`) + saved;
    if (this.banner.dataset.text === words && !this.banner.hidden) return;
    this.banner.dataset.text = words;
    this.banner.dataset.state = state;
    replace(this.banner, navigator.onLine ? null : icon('offline'), h('span', null, words),
      state === 'closed'
        ? h('button', { type: 'button', class: 'link', onclick: () => this.realtime.reconnectNow() }, 'Retry now')
        : null);
    this.banner.hidden = false;
  }

  /** Shows an error in words for a few seconds (role=alert reads it out). */
  alert(error) {
    const text = error && error.message ? error.message : String(error);
    const item = h('p', { class: 'alert' }, text,
      h('button', { type: 'button', class: 'quiet', 'aria-label': 'Dismiss', onclick: () => item.remove() }, icon('close')));
    this.alerts.append(item);
    setTimeout(() => item.remove(), 8000);
  }

  destroy() {
    clearInterval(this.tick);
    this.attention.destroy();
    this.lastKnown.destroy();
    this.stopNotificationClicks();
    this.stopViewport();
    window.removeEventListener('hashchange', this.onHash);
    this.realtime.stop();
    this.settings.hide();
    this.chat.destroy();
    history.replaceState(null, '', location.pathname);
    replace(root);
  }
}

onSessionChange(render);
render();
registerServiceWorker(); // the app shell for offline starts (offline.js, sw.js)
