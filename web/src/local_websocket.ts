// A WebSocket-shaped pipe into an in-tab broker, for MQTT.js's `createWebsocket` option: the same
// surface MQTT.js uses on a browser WebSocket (readyState, binaryType, send, close, open / message /
// close / error events), with no network.
import type { BrokerConnection, InTabBroker } from './broker.js';
import { defer } from './schedule.js';
import { inBytes } from './packet.js';

type Handler = (event: { type: string; data?: unknown; code?: number; reason?: string; wasClean?: boolean }) => void;

export class LocalWebSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSING = 2;
  readonly CLOSED = 3;
  readyState = 0;
  binaryType: 'arraybuffer' | 'blob' | 'nodebuffer' = 'arraybuffer';
  bufferedAmount = 0;
  readonly protocol: string;
  readonly extensions = '';
  readonly url: string;
  onopen: Handler | null = null;
  onmessage: Handler | null = null;
  onclose: Handler | null = null;
  onerror: Handler | null = null;
  #listeners = new Map<string, Handler[]>();
  #conn: BrokerConnection;

  constructor(broker: InTabBroker, url: string, protocols?: string | string[]) {
    this.url = url;
    this.protocol = (Array.isArray(protocols) ? protocols[0] : protocols) ?? '';
    this.#conn = broker.accept(
      {
        send: (bytes) => {
          const data = bytes.slice().buffer;  // a fresh ArrayBuffer per message, like a real socket
          defer(() => this.readyState === 1 && this.#fire('message', { type: 'message', data }));
        },
        close: () => defer(() => this.#closedByPeer()),
      },
      { remoteAddress: `websocket:${url}`, listener: 'local-ws' },
    );
    defer(() => {
      if (this.readyState !== 0) return;
      this.readyState = 1;
      this.#fire('open', { type: 'open' });
    });
  }

  send(data: unknown): void {
    if (this.readyState !== 1) throw new Error('WebSocket is not open');
    const bytes = inBytes(data).slice();
    defer(() => this.#conn.write(bytes));
  }

  close(code = 1000, reason = ''): void {
    if (this.readyState >= 2) return;
    this.readyState = 2;
    defer(() => {
      this.#conn.end();
      this.readyState = 3;
      this.#fire('close', { type: 'close', code, reason, wasClean: true });
    });
  }

  addEventListener(type: string, handler: Handler): void {
    const list = this.#listeners.get(type) ?? [];
    list.push(handler);
    this.#listeners.set(type, list);
  }
  removeEventListener(type: string, handler: Handler): void {
    const list = this.#listeners.get(type);
    if (list) this.#listeners.set(type, list.filter((h) => h !== handler));
  }
  // Node `ws`-style aliases, for code that expects them.
  on(type: string, handler: Handler): this {
    this.addEventListener(type, handler);
    return this;
  }

  #closedByPeer(): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.#fire('close', { type: 'close', code: 1000, reason: '', wasClean: true });
  }

  #fire(type: string, event: { type: string; data?: unknown; code?: number; reason?: string; wasClean?: boolean }): void {
    const prop = (this as unknown as Record<string, Handler | null>)[`on${type}`];
    prop?.call(this, event);
    for (const h of this.#listeners.get(type) ?? []) h.call(this, event);
  }
}
