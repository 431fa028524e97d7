// The WebSocket to ChatApp (API.md "Real-time WebSocket"): a fresh single-use ticket for every
// connection, reconnect with exponential backoff and jitter, a ping every 20 s so that a dead
// connection is noticed even when the operating system does not report it, and the browser's
// offline/online events to drop and re-open at once.

import { api, ApiError } from './session.js';

const PING_EVERY_MS = 20_000;
const PONG_WITHIN_MS = 10_000;
const MAX_BACKOFF_MS = 30_000;

/**
 * Events: `state` (detail: 'connecting' | 'open' | 'closed'), `open` (after each (re)connect),
 * `frame` (detail: a server frame other than hello/pong), `signedout`.
 */
export class Realtime extends EventTarget {
  constructor() {
    super();
    this.state = 'closed';
    this.ws = null;
    this.attempt = 0;
    this.timer = null;
    this.retryAt = null;
    this.stopped = true;
    this.lastFrameAt = 0;
    this.pingTimer = null;
    this.onOnline = () => this.reconnectNow();
    this.onOffline = () => this.drop();
  }

  start() {
    if (!this.stopped) return;
    this.stopped = false;
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
    this.connect();
  }

  stop() {
    this.stopped = true;
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    clearTimeout(this.timer);
    this.detach();
    this.setState('closed');
  }

  get open() {
    return this.state === 'open';
  }

  /** Writes a client frame; false when not connected (the caller keeps it for later). */
  send(frame) {
    if (!this.open || !this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  }

  /** Skips the backoff wait (the banner's "Retry now", the browser coming back online). */
  reconnectNow() {
    if (this.stopped || this.state === 'open' || this.state === 'connecting') return;
    clearTimeout(this.timer);
    this.attempt = 0;
    this.connect();
  }

  /** Treats the connection as lost (offline, no pong) and starts reconnecting. */
  drop() {
    if (!this.ws) return;
    this.detach();
    this.closed();
  }

  setState(state) {
    if (this.state === state) return;
    this.state = state;
    this.dispatchEvent(new CustomEvent('state', { detail: state }));
  }

  async connect() {
    if (this.stopped) return;
    this.setState('connecting');
    this.retryAt = null;
    let ticket;
    try {
      ticket = await api('/realtime/tickets', { method: 'POST' });
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        this.stop();
        this.dispatchEvent(new Event('signedout'));
        return;
      }
      this.closed();
      return;
    }
    if (this.stopped) return;
    const url = new URL(ticket.url || `/ws?ticket=${encodeURIComponent(ticket.ticket)}`, location.href);
    if (url.protocol === 'http:') url.protocol = 'ws:';
    if (url.protocol === 'https:') url.protocol = 'wss:';
    let ws;
    try {
      ws = new WebSocket(url);
    } catch {
      this.closed();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      if (this.ws !== ws) return;
      this.attempt = 0;
      this.lastFrameAt = Date.now();
      this.startPings();
      this.setState('open');
      this.dispatchEvent(new Event('open'));
    };
    ws.onmessage = event => {
      if (this.ws !== ws) return;
      this.lastFrameAt = Date.now();
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      if (frame.type === 'pong') return;
      if (frame.type === 'hello') {
        this.hello = frame;
        return;
      }
      this.dispatchEvent(new CustomEvent('frame', { detail: frame }));
    };
    ws.onclose = event => {
      if (this.ws !== ws) return;
      this.detach();
      // docs/protocol.md: 4401 the session ended (sign in again); 4429 a newer connection of
      // this user took this one's place (reconnecting would only push out the next oldest).
      if (event.code === 4401) {
        this.stop();
        this.dispatchEvent(new Event('signedout'));
        return;
      }
      if (event.code === 4429) {
        this.stop();
        return;
      }
      this.closed();
    };
  }

  closed() {
    this.setState('closed');
    if (this.stopped) return;
    const base = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** this.attempt);
    const delay = Math.round(base / 2 + Math.random() * base / 2);
    this.attempt++;
    this.retryAt = Date.now() + delay;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.connect(), delay);
    this.dispatchEvent(new CustomEvent('state', { detail: 'closed' }));
  }

  detach() {
    clearInterval(this.pingTimer);
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
      try {
        ws.close();
      } catch {
        // already closed
      }
    }
  }

  startPings() {
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => {
      if (!this.ws) return;
      if (Date.now() - this.lastFrameAt > PING_EVERY_MS + PONG_WITHIN_MS) {
        this.drop(); // nothing heard since the last ping: the connection is dead
        return;
      }
      this.send({ type: 'ping' });
    }, PING_EVERY_MS);
  }
}
