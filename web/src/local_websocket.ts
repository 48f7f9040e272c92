// A WebSocket-shaped pipe into an in-tab broker, for MQTT.js's `createWebsocket` option, with no
// network. It offers both surfaces MQTT.js may use: the browser WebSocket API (readyState, binaryType,
// send, close, addEventListener / on* handlers with event objects), which MQTT.js takes in browsers
// and with `forceNativeWebSocket`; and the Node `ws` API (on / once / off with (data, isBinary),
// send(data, cb), pause / resume, terminate, _socket), which MQTT.js's Node path wraps with
// ws.createWebSocketStream when its protocol table was already fixed without forceNativeWebSocket.
import type { BrokerConnection, InTabBroker } from './broker.js';
import { defer } from './schedule.js';
import { inBytes, outPayload } from './packet.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type NodeListener = (...args: any[]) => void;

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
  #nodeListeners = new Map<string, { fn: NodeListener; once: boolean }[]>();
  #paused: Uint8Array[] | undefined;
  #finishWaiters: (() => void)[] = [];
  #conn: BrokerConnection;
  /** Node `ws` compatibility: the underlying "socket" that createWebSocketStream inspects on end. */
  readonly _socket = {
    _writableState: { finished: false },
    once: (event: string, fn: () => void) => {
      if (event === 'finish') this.#finishWaiters.push(fn);
    },
  };
  isPaused = false;

  constructor(broker: InTabBroker, url: string, protocols?: string | string[]) {
    this.url = url;
    this.protocol = (Array.isArray(protocols) ? protocols[0] : protocols) ?? '';
    this.#conn = broker.accept(
      {
        send: (bytes) => {
          const copy = bytes.slice();  // a fresh buffer per message, like a real socket
          defer(() => this.readyState === 1 && this.#deliver(copy));
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

  send(data: unknown, callback?: (err?: Error) => void): void {
    if (this.readyState !== 1) {
      const err = new Error('WebSocket is not open');
      if (callback) return void queueMicrotask(() => callback(err));
      throw err;
    }
    const bytes = inBytes(data).slice();
    defer(() => {
      this.#conn.write(bytes);
      callback?.();
    });
  }

  // --- Node `ws` surface
  on(type: string, fn: NodeListener): this {
    return this.#addNode(type, fn, false);
  }
  addListener(type: string, fn: NodeListener): this {
    return this.#addNode(type, fn, false);
  }
  once(type: string, fn: NodeListener): this {
    return this.#addNode(type, fn, true);
  }
  off(type: string, fn: NodeListener): this {
    const list = this.#nodeListeners.get(type);
    if (list) this.#nodeListeners.set(type, list.filter((l) => l.fn !== fn));
    return this;
  }
  removeListener(type: string, fn: NodeListener): this {
    return this.off(type, fn);
  }
  pause(): void {
    this.isPaused = true;
    this.#paused ??= [];
  }
  resume(): void {
    this.isPaused = false;
    const queued = this.#paused ?? [];
    this.#paused = undefined;
    for (const bytes of queued) this.#deliver(bytes);
  }
  terminate(): void {
    this.close(1006, 'terminated');
  }

  #addNode(type: string, fn: NodeListener, once: boolean): this {
    const list = this.#nodeListeners.get(type) ?? [];
    list.push({ fn, once });
    this.#nodeListeners.set(type, list);
    return this;
  }

  #emitNode(type: string, ...args: unknown[]): void {
    const list = this.#nodeListeners.get(type);
    if (!list) return;
    this.#nodeListeners.set(type, list.filter((l) => !l.once));
    for (const l of list) l.fn.apply(this, args);
  }

  #deliver(bytes: Uint8Array): void {
    if (this.#paused) {
      this.#paused.push(bytes);
      return;
    }
    this.#fire('message', { type: 'message', data: bytes.buffer });
    this.#emitNode('message', outPayload(bytes), true);
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

  /** Browser WebSocket surface (event objects). */
  addEventListener(type: string, handler: Handler): void {
    const list = this.#listeners.get(type) ?? [];
    list.push(handler);
    this.#listeners.set(type, list);
  }
  removeEventListener(type: string, handler: Handler): void {
    const list = this.#listeners.get(type);
    if (list) this.#listeners.set(type, list.filter((h) => h !== handler));
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
    if (type === 'open') this.#emitNode('open');
    if (type === 'close') {
      this._socket._writableState.finished = true;
      for (const fn of this.#finishWaiters.splice(0)) fn();
      this.#emitNode('close', event.code ?? 1000, event.reason ?? '');
    }
  }
}
