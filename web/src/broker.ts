// The in-tab broker: Postcard's broker engine (wasm) hosted in the page, worker or Node process.
// Transports plug in through accept(): in-tab Postcard clients (local://NAME), MQTT.js through
// createWebsocket / mqttjsOptions(), or any byte pipe a host provides. One timer is armed at the
// engine's next deadline.
import { readBatch, type BatchHandler } from './batch.js';
import { EventEmitter } from './emitter.js';
import { loadPostcard } from './module.js';
import type { WasmBroker } from './postcard.mjs';
import { inBytes, inProperties } from './packet.js';
import { now, weakTimerAt, type TimerHandle } from './schedule.js';
import { LocalWebSocket } from './local_websocket.js';

export interface BrokerHooks {
  /** Return 0 to accept, or a CONNACK reason code (0x86 bad user name or password, 0x87 not authorized). */
  authenticate?(clientId: string, username: string | undefined, password: Uint8Array | undefined): number;
  authorizePublish?(clientId: string, topic: string, qos: number, retain: boolean): number;
  authorizeSubscribe?(clientId: string, filter: string, qos: number): number;
}

export interface BrokerOptions {
  /** Name for local://NAME (default "default"); must be unique among live in-tab brokers. */
  name?: string;
  hooks?: BrokerHooks;
  maxConnections?: number;
  connectTimeout?: number;
  maxPacketSize?: number;
  maxKeepalive?: number;
  allowZeroLengthClientId?: boolean;
  autoIdPrefix?: string;
  maxInflightMessages?: number;
  maxQueuedMessages?: number;
  queueQos0Messages?: boolean;
  maxQos?: number;
  retainAvailable?: boolean;
  wildcardSubscriptionAvailable?: boolean;
  subscriptionIdentifierAvailable?: boolean;
  sharedSubscriptionAvailable?: boolean;
  maxTopicAlias?: number;
  persistentClientExpiration?: number;
  maxSessionExpiryInterval?: number;
  sysInterval?: number;
  version?: string;
}

/** What the broker calls on a transport. */
export interface BrokerPeer {
  send(bytes: Uint8Array): void;
  close(): void;
}
/** What a transport calls on the broker. */
export interface BrokerConnection {
  readonly id: number;
  write(bytes: Uint8Array): void;
  end(): void;
}

const eventBits: Record<string, number> = {
  packetIn: 0, packetOut: 1, clientConnected: 2, clientDisconnected: 3, willPublished: 4,
  sessionExpired: 5, messageDropped: 6, subscribed: 7, unsubscribed: 8, sessionTakenOver: 9,
};

const registry = new Map<string, InTabBroker>();

/** The live in-tab broker registered under `name`, if any. */
export function findBroker(name: string): InTabBroker | undefined {
  return registry.get(name);
}

export class InTabBroker extends EventEmitter {
  readonly name: string;
  /** Resolves when the engine is loaded (operations before that are queued). */
  readonly ready: Promise<void>;
  #engine?: WasmBroker;
  #pending: (() => void)[] = [];
  #peers = new Map<number, BrokerPeer>();
  #nextConn = 1;
  #timer?: TimerHandle;
  #armedAt = -1;
  #closed = false;
  #handler: BatchHandler;

  constructor(options: BrokerOptions = {}) {
    super();
    this.name = options.name ?? 'default';
    if (registry.has(this.name)) throw new Error(`postcard: an in-tab broker named "${this.name}" exists`);
    registry.set(this.name, this);
    const { hooks, ...config } = options;
    this.#handler = {
      send: (conn, bytes) => this.#peers.get(conn)?.send(bytes),
      close: (conn) => {
        const peer = this.#peers.get(conn);
        this.#peers.delete(conn);
        peer?.close();
      },
      event: (e) => this.emit(e.type, e),
    };
    this.ready = loadPostcard().then((m) => {
      const engine = new m.Broker(config);
      if (hooks) engine.setHooks(hooks);
      this.#engine = engine;
      this.#updateMask();
      for (const task of this.#pending.splice(0)) task();
    });
  }

  /** Plugs a transport in; the broker sends through `peer` and learns bytes through the returned connection. */
  accept(peer: BrokerPeer, info: { remoteAddress?: string; listener?: string } = {}): BrokerConnection {
    if (this.#closed) {
      queueMicrotask(() => peer.close());
      return { id: 0, write() {}, end() {} };
    }
    const id = this.#nextConn++;
    this.#peers.set(id, peer);
    const remote = info.remoteAddress ?? `local:${id}`;
    this.#whenReady((e) => this.#run(e.open(id, remote, info.listener ?? 'local', now())));
    return {
      id,
      write: (bytes) => this.#whenReady((e) => this.#peers.has(id) && this.#run(e.receive(id, bytes, now()))),
      end: () => {
        if (this.#peers.delete(id)) this.#whenReady((e) => this.#run(e.closed(id, now())));
      },
    };
  }

  /** MQTT.js's `createWebsocket` option: a WebSocket-shaped pipe into this broker. */
  readonly createWebsocket = (url?: string, protocols?: string | string[]): LocalWebSocket =>
    new LocalWebSocket(this, url ?? `ws://${this.name}`, protocols);

  /** Options for unmodified MQTT.js: mqtt.connect('ws://NAME', { ...broker.mqttjsOptions(), ...yours }). */
  mqttjsOptions(): { forceNativeWebSocket: true; createWebsocket: InTabBroker['createWebsocket'] } {
    return { forceNativeWebSocket: true, createWebsocket: this.createWebsocket };
  }

  /** Publish as the broker. Returns 0 (ok) or an error code (2 invalid topic, 3 invalid argument). */
  publish(topic: string, payload: unknown, opts: { qos?: number; retain?: boolean; properties?: Record<string, unknown> } = {}): number {
    const e = this.#need();
    const r = e.publish(topic, inBytes(payload), opts.qos ?? 0, opts.retain ?? false, inProperties(opts.properties), now());
    this.#run(e.take());
    return r;
  }

  /** Disconnects a client (v5: DISCONNECT with `reasonCode`, default 0x98 administrative action). */
  disconnect(clientId: string, reasonCode = 0x98): number {
    const e = this.#need();
    const r = e.disconnect(clientId, reasonCode, now());
    this.#run(e.take());
    return r;
  }

  removeSession(clientId: string): number {
    const e = this.#need();
    const r = e.removeSession(clientId, now());
    this.#run(e.take());
    return r;
  }

  stats(): Record<string, number> {
    return this.#need().stats(now());
  }
  sessions(): { clientId: string; connected: boolean; conn: number; protocolVersion: number; expiryInterval: number; subscriptions: number; inflight: number; queued: number }[] {
    return this.#need().sessions() as never;
  }
  subscriptions(): { clientId: string; topic: string; qos: number; identifier: number }[] {
    return this.#need().subscriptions() as never;
  }
  retained(): { topic: string; payloadSize: number; qos: number }[] {
    return this.#need().retained() as never;
  }

  /** Disconnects everyone (v5: 0x8B server shutting down), unregisters the name and frees the engine. */
  close(callback?: () => void): void {
    if (this.#closed) {
      callback?.();
      return;
    }
    this.#closed = true;
    registry.delete(this.name);
    this.#whenReady((e) => {
      e.shutdown(now());
      this.#run(e.take());
      this.#timer?.cancel();
      for (const peer of this.#peers.values()) peer.close();
      this.#peers.clear();
      e.delete();
      this.#engine = undefined;
      this.emit('closed');
      callback?.();
    });
  }

  protected override listenersChanged(): void {
    this.#updateMask();
  }

  #updateMask(): void {
    if (!this.#engine) return;
    let mask = 0;
    for (const [name, bit] of Object.entries(eventBits)) if (this.listenerCount(name) > 0) mask |= 1 << bit;
    this.#engine.setEventMask(mask);
  }

  #need(): WasmBroker {
    if (!this.#engine) throw new Error('postcard: broker not ready (await broker.ready)');
    return this.#engine;
  }

  #whenReady(task: (e: WasmBroker) => void): void {
    if (this.#engine) task(this.#engine);
    else if (!this.#closed || this.#pending.length) this.#pending.push(() => this.#engine && task(this.#engine));
  }

  #run(batch: Uint8Array | undefined): void {
    if (batch) readBatch(batch, this.#handler);
    const engine = this.#engine;
    if (!engine) return;
    const deadline = engine.nextDeadline();
    if (deadline === this.#armedAt) return;
    this.#timer?.cancel();
    this.#armedAt = deadline;
    if (deadline < 0) return;
    this.#timer = weakTimerAt(deadline, () => {
      this.#armedAt = -1;
      if (this.#engine) this.#run(this.#engine.tick(now()));
    });
  }
}

/** Creates an in-tab broker, registered for local://NAME (options.name, default "default"). */
export function createBroker(options: BrokerOptions = {}): InTabBroker {
  return new InTabBroker(options);
}
