// The live stream (GET /incidents/stream, Server-Sent Events) read with fetch rather than
// EventSource: EventSource cannot send an Authorization header, and a token in the URL would end
// up in logs. The reader parses the event-stream format itself, resumes with Last-Event-ID after a
// drop (the server replays what was missed, or sends `reset`), and treats a silence longer than
// three heartbeats as a drop.

import { headers } from './api.js';

const SILENCE_MS = 45_000;
const MAX_BACKOFF_MS = 15_000;

export class LiveStream {
  /**
   * @param onEvent (type, data, id) for every event
   * @param onState 'live' | 'reconnecting' | 'denied' (401/403: with the status)
   */
  constructor({ onEvent, onState }) {
    this.onEvent = onEvent;
    this.onState = onState;
    this.lastId = null;
    this.generation = 0;
    this.controller = null;
  }

  start() {
    this.stop();
    this.run(this.generation);
  }

  /** Ends the current connection and its reconnect loop. */
  stop() {
    this.generation++;
    if (this.controller) this.controller.abort();
  }

  async run(generation) {
    const stopped = () => generation !== this.generation;
    let backoff = 1000;
    while (!stopped()) {
      const controller = new AbortController();
      this.controller = controller;
      const h = headers({ Accept: 'text/event-stream' });
      if (this.lastId) h['Last-Event-ID'] = this.lastId;
      let retryAfter = 0;
      try {
        const res = await fetch('/incidents/stream', { headers: h, signal: controller.signal, cache: 'no-store' });
        if (stopped()) return;
        if (res.status === 401 || res.status === 403) {
          this.generation++;
          this.onState('denied', res.status);
          return;
        }
        if (res.ok && res.body) {
          this.onState('live');
          backoff = 1000;
          await this.read(res.body, controller);
        } else {
          retryAfter = 1000 * Number(res.headers.get('Retry-After') || 0);
        }
      } catch {
        // dropped, refused, or aborted by the silence watchdog: reconnect below
      }
      if (stopped()) return;
      this.onState('reconnecting');
      await new Promise((r) => setTimeout(r, Math.max(backoff, retryAfter)));
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
  }

  async read(body, controller) {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    let watchdog = setTimeout(() => controller.abort(), SILENCE_MS);
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        clearTimeout(watchdog);
        watchdog = setTimeout(() => controller.abort(), SILENCE_MS);
        buffer += decoder.decode(value, { stream: true });
        let match;
        while ((match = /\r?\n\r?\n/.exec(buffer)) !== null) {
          const block = buffer.slice(0, match.index);
          buffer = buffer.slice(match.index + match[0].length);
          this.dispatch(block);
        }
      }
    } finally {
      clearTimeout(watchdog);
    }
  }

  dispatch(block) {
    let type = 'message';
    let id = null;
    const data = [];
    for (const line of block.split(/\r?\n/)) {
      if (line === '' || line.startsWith(':')) continue; // comments: the heartbeat
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') type = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') id = value;
    }
    if (id !== null) this.lastId = id;
    if (data.length === 0 && type === 'message') return;
    this.onEvent(type, data.join('\n'), id);
  }
}
