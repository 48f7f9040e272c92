// Byte transports for the client: a WebSocket (ws://, wss://; subprotocol "mqtt", binary frames) and
// an in-tab pipe to a broker registered under a name (local://NAME).
import { findBroker, type BrokerConnection } from './broker.js';
import { isNode } from './module.js';
import { defer } from './schedule.js';

export interface TransportHandlers {
  open(): void;
  data(bytes: Uint8Array): void;
  close(): void;
  error(err: Error): void;
}

export interface Transport {
  send(bytes: Uint8Array): void;
  close(): void;
}

export type WebSocketFactory = (url: string, protocols: string[], options: unknown) => WebSocket;

interface WsOptions {
  createWebsocket?: WebSocketFactory;
  wsOptions?: Record<string, unknown>;
  protocolId?: string;
  protocolVersion?: number;
}

let nodeWs: Promise<unknown> | undefined;

async function makeSocket(url: string, protocols: string[], options: WsOptions): Promise<WebSocket> {
  if (options.createWebsocket) return options.createWebsocket(url, protocols, options);
  const Native = (globalThis as { WebSocket?: typeof WebSocket }).WebSocket;
  if (Native && !isNode) return new Native(url, protocols);
  // Node 20 has no WebSocket global: use the `ws` package (a dependency of MQTT.js) when present.
  const name = 'ws';
  nodeWs ??= import(/* @vite-ignore */ name).then((m: { default?: unknown; WebSocket?: unknown }) => m.WebSocket ?? m.default);
  const Ws = (await nodeWs) as new (u: string, p: string[], o?: unknown) => WebSocket;
  if (!Ws && Native) return new Native(url, protocols);
  return new Ws(url, protocols, options.wsOptions);
}

export class WebSocketTransport implements Transport {
  #socket?: WebSocket;
  #closed = false;

  constructor(url: string, options: WsOptions, h: TransportHandlers) {
    const protocols = [options.protocolId === 'MQIsdp' && options.protocolVersion === 3 ? 'mqttv3.1' : 'mqtt'];
    makeSocket(url, protocols, options).then(
      (socket) => {
        this.#socket = socket;
        if (this.#closed) {
          socket.close();
          return;
        }
        socket.binaryType = 'arraybuffer';
        socket.onopen = () => h.open();
        socket.onmessage = (e: MessageEvent) => {
          const d = e.data as ArrayBuffer | Uint8Array;
          h.data(d instanceof ArrayBuffer ? new Uint8Array(d) : new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
        };
        socket.onerror = (e: Event) => h.error(new Error(`WebSocket error: ${(e as { message?: string }).message ?? url}`));
        socket.onclose = () => h.close();
      },
      (err: Error) => {
        h.error(err);
        h.close();
      },
    );
  }

  send(bytes: Uint8Array): void {
    if (this.#socket?.readyState === 1) this.#socket.send(bytes);
  }

  close(): void {
    this.#closed = true;
    this.#socket?.close();
  }
}

// Writes made during one task are coalesced into one broker input (like a socket's send buffer).
function coalesce(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  let size = 0;
  for (const c of chunks) size += c.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export class LocalTransport implements Transport {
  #conn?: BrokerConnection;
  #closed = false;
  #out: Uint8Array[] = [];
  #in: Uint8Array[] = [];

  constructor(name: string, h: TransportHandlers) {
    const broker = findBroker(name);
    if (!broker) {
      defer(() => {
        h.error(new Error(`postcard: no in-tab broker named "${name}"`));
        h.close();
      });
      return;
    }
    this.#conn = broker.accept(
      {
        send: (bytes) => {
          if (this.#in.push(bytes) > 1) return;
          defer(() => {
            const data = coalesce(this.#in);
            this.#in = [];
            if (!this.#closed) h.data(data);
          });
        },
        close: () =>
          defer(() => {
            if (this.#closed) return;
            this.#closed = true;
            h.close();
          }),
      },
      { remoteAddress: `local:${name}`, listener: 'local' },
    );
    defer(() => !this.#closed && h.open());
  }

  send(bytes: Uint8Array): void {
    const conn = this.#conn;
    if (!conn || this.#closed) return;
    if (this.#out.push(bytes) > 1) return;
    defer(() => {
      const data = coalesce(this.#out);
      this.#out = [];
      conn.write(data);
    });
  }

  close(): void {
    const conn = this.#conn;
    if (this.#closed || !conn) return;
    this.#closed = true;
    defer(() => conn.end());
  }
}
