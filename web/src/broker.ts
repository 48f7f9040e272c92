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
import { IdbStore } from './idb_store.js';

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
  /**
   * Keep retained messages and sessions in IndexedDB ('indexeddb': globalThis.indexedDB, database
   * "postcard-broker-NAME"). Creation becomes asynchronous (await `ready` or use createBrokerAsync);
   * outputs caused by a durable change wait until its IndexedDB transaction has committed.
   */
  persistence?: 'indexeddb' | PersistenceOptions;
}

export interface PersistenceOptions {
  indexedDB?: IDBFactory;
  dbName?: string;
  /** Compact (fresh snapshot, empty log) after this many log entries (default 1000). */
  compactEvery?: number;
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
  // Persistence (idb_store.ts): the engine runs on wall-clock milliseconds so saved expiry times
  // stay meaningful across reloads; #clockBase maps them back to the page's timer clock.
  #store?: IdbStore;
  #clockBase = 0;
  #held: { batch: Uint8Array; ready: boolean }[] = [];
  #logEntries = 0;
  #logBytes = 0;
  #snapshotBytes = 0;
  #compactEvery = 1000;

  constructor(options: BrokerOptions = {}) {
    super();
    this.name = options.name ?? 'default';
    if (registry.has(this.name)) throw new Error(`postcard: an in-tab broker named "${this.name}" exists`);
    registry.set(this.name, this);
    const { hooks, persistence, ...config } = options;
    this.#handler = {
      send: (conn, bytes) => this.#peers.get(conn)?.send(bytes),
      close: (conn) => {
        const peer = this.#peers.get(conn);
        this.#peers.delete(conn);
        peer?.close();
      },
      event: (e) => this.emit(e.type, e),
    };
    this.ready = loadPostcard().then(async (m) => {
      const stored = persistence ? await this.#openStore(persistence) : undefined;
      const engine = new m.Broker(config);
      if (hooks) engine.setHooks(hooks);
      this.#engine = engine;
      if (stored) this.#restore(engine, stored);
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
    this.#whenReady((e) => this.#run(e.open(id, remote, info.listener ?? 'local', this.#now())));
    return {
      id,
      write: (bytes) => this.#whenReady((e) => this.#peers.has(id) && this.#run(e.receive(id, bytes, this.#now()))),
      end: () => {
        if (this.#peers.delete(id)) this.#whenReady((e) => this.#run(e.closed(id, this.#now())));
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
    const r = e.publish(topic, inBytes(payload), opts.qos ?? 0, opts.retain ?? false, inProperties(opts.properties), this.#now());
    this.#run(e.take());
    return r;
  }

  /** Disconnects a client (v5: DISCONNECT with `reasonCode`, default 0x98 administrative action). */
  disconnect(clientId: string, reasonCode = 0x98): number {
    const e = this.#need();
    const r = e.disconnect(clientId, reasonCode, this.#now());
    this.#run(e.take());
    return r;
  }

  removeSession(clientId: string): number {
    const e = this.#need();
    const r = e.removeSession(clientId, this.#now());
    this.#run(e.take());
    return r;
  }

  stats(): Record<string, number> {
    return this.#need().stats(this.#now());
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
      e.shutdown(this.#now());
      this.#run(e.take());
      this.#timer?.cancel();
      const finish = () => {
        this.#timer?.cancel();
        for (const peer of this.#peers.values()) peer.close();
        this.#peers.clear();
        e.delete();
        this.#engine = undefined;
        this.emit('closed');
        callback?.();
      };
      const store = this.#store;
      if (!store) return finish();
      // The final compaction commits after every append queued before it (held outputs go out first).
      store
        .compact(e.save(this.#now()))
        .catch((err) => this.#report(err))
        .finally(() => {
          store.close();
          this.#store = undefined;
          finish();
        });
    });
  }

  // --- persistence
  async #openStore(p: 'indexeddb' | PersistenceOptions) {
    const o = p === 'indexeddb' ? {} : p;
    const factory = o.indexedDB ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;
    if (!factory) throw new Error('postcard: persistence needs IndexedDB (pass persistence.indexedDB)');
    this.#compactEvery = o.compactEvery ?? this.#compactEvery;
    this.#clockBase = Date.now() - now();
    this.#store = await IdbStore.open(factory, o.dbName ?? `postcard-broker-${this.name}`);
    return this.#store.load();
  }

  // Before any connection: snapshot + log into the engine, damaged records reported and skipped, then
  // a compaction so the next start reads one clean snapshot.
  #restore(engine: WasmBroker, stored: Awaited<ReturnType<IdbStore['load']>>): void {
    const store = this.#store!;
    for (const key of stored.foreign) this.#report(new Error(`postcard: IndexedDB "${store.dbName}": entry ${String(key)} is not a record, skipped`));
    const parts = [stored.snapshot, ...stored.log];
    const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      bytes.set(p, at);
      at += p.length;
    }
    const r = engine.restore(bytes, parts.map((p) => p.length), this.#now());
    for (const e of r.errors) {
      const where = e.part === 0 ? 'snapshot' : `log entry ${e.part}`;
      this.#report(new Error(`postcard: IndexedDB "${store.dbName}": damaged record skipped (${where}, byte ${e.offset}: ${e.reason})`));
    }
    if (r.result !== 0) this.#report(new Error(`postcard: restore failed (${r.result})`));
    engine.setDurableChanges(true);
    queueMicrotask(() => this.emit('restored', { retained: r.retained, sessions: r.sessions, records: r.records, errors: r.errors.length }));
    if (stored.log.length > 0 || r.errors.length > 0 || stored.foreign.length > 0) this.#compact(engine);
  }

  // A batch whose input changed durable state starts with its change records (tag 6): they go to the
  // log in one transaction, and the rest of the batch (PUBACK, CONNACK, deliveries, events) is held
  // until that transaction commits. Later batches queue behind it, so outputs keep their order.
  #hold(batch: Uint8Array): void {
    const entry = { batch, ready: true };
    if (batch[0] === 6) {
      const n = new DataView(batch.buffer, batch.byteOffset + 1, 4).getUint32(0, true);
      const records = batch.slice(5, 5 + n);
      entry.batch = batch.subarray(5 + n);
      entry.ready = false;
      this.#logEntries++;
      this.#logBytes += n;
      const done = () => {
        entry.ready = true;
        this.#release();
      };
      this.#store!.append(records).then(done, (err) => {
        this.#report(err);
        done();
      });
    }
    this.#held.push(entry);
    const e = this.#engine;
    if (e && (this.#logEntries >= this.#compactEvery || this.#logBytes > Math.max(1 << 20, 2 * this.#snapshotBytes))) this.#compact(e);
  }

  #release(): void {
    while (this.#held.length > 0 && this.#held[0].ready) {
      const { batch } = this.#held.shift()!;
      if (batch.length > 0) readBatch(batch, this.#handler);
    }
  }

  #compact(engine: WasmBroker): void {
    const snapshot = engine.save(this.#now());
    this.#snapshotBytes = snapshot.length;
    this.#logEntries = 0;
    this.#logBytes = 0;
    this.#store?.compact(snapshot).catch((err) => this.#report(err));
  }

  // 'error' without a listener must not throw out of an IndexedDB callback.
  #report(err: unknown): void {
    if (this.listenerCount('error') > 0) this.emit('error', err);
    else console.warn(String(err));
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

  #now(): number {
    return this.#clockBase + now();
  }

  #run(batch: Uint8Array | undefined): void {
    if (batch) {
      if (this.#store && (batch[0] === 6 || this.#held.length > 0)) this.#hold(batch);
      else readBatch(batch, this.#handler);
    }
    const engine = this.#engine;
    if (!engine) return;
    const deadline = engine.nextDeadline();
    if (deadline === this.#armedAt) return;
    this.#timer?.cancel();
    this.#armedAt = deadline;
    if (deadline < 0) return;
    this.#timer = weakTimerAt(deadline - this.#clockBase, () => {
      this.#armedAt = -1;
      if (this.#engine) this.#run(this.#engine.tick(this.#now()));
    });
  }
}

/** Resolves with a broker once it is ready (with `persistence`: once its IndexedDB state is restored). */
export async function createBrokerAsync(options: BrokerOptions = {}): Promise<InTabBroker> {
  const broker = new InTabBroker(options);
  await broker.ready;
  return broker;
}

/** Creates an in-tab broker, registered for local://NAME (options.name, default "default"). */
export function createBroker(options: BrokerOptions = {}): InTabBroker {
  return new InTabBroker(options);
}
