// MqttClient: MQTT.js 5's client surface over Postcard's client engine (wasm). The engine does the
// protocol (CONNECT, QoS flows, inflight window, resend with DUP, keepalive, topic aliases, offline
// queue, resubscribe, reconnect backoff); this class adapts: it opens transports when the engine
// asks, feeds it bytes and time, arms one timer at its next deadline, and turns its events into
// MQTT.js events and callbacks.
import { readBatch, type BatchHandler } from './batch.js';
import { EventEmitter } from './emitter.js';
import { loadPostcard } from './module.js';
import type { WasmClient } from './postcard.mjs';
import { inBytes, inProperties, outPayload, type Packet } from './packet.js';
import { now, timerAt, type TimerHandle } from './schedule.js';
import { LocalTransport, WebSocketTransport, type Transport, type WebSocketFactory } from './transport.js';
import { clientErrorText, ErrorWithReasonCode, reasonText } from './errors.js';

export type QoS = 0 | 1 | 2;
export interface IClientPublishOptions {
  qos?: QoS;
  retain?: boolean;
  dup?: boolean;
  properties?: Record<string, unknown>;
}
export interface IClientSubscribeOptions {
  qos?: QoS;
  nl?: boolean;
  rap?: boolean;
  rh?: number;
  properties?: Record<string, unknown>;
}
export interface ISubscriptionGrant {
  topic: string;
  qos: number;
  nl?: boolean;
  rap?: boolean;
  rh?: number;
}
export type ISubscriptionMap = Record<string, IClientSubscribeOptions>;

export interface IClientOptions {
  protocol?: string;
  hostname?: string;
  host?: string;
  port?: number;
  path?: string;
  protocolId?: 'MQTT' | 'MQIsdp';
  protocolVersion?: 3 | 4 | 5;
  clientId?: string;
  clean?: boolean;
  keepalive?: number;
  username?: string;
  password?: string | Uint8Array;
  will?: { topic: string; payload: string | Uint8Array; qos?: QoS; retain?: boolean; properties?: Record<string, unknown> };
  properties?: Record<string, unknown>;
  resubscribe?: boolean;
  queueQoSZero?: boolean;
  autoUseTopicAlias?: boolean;
  autoAssignTopicAlias?: boolean;
  reschedulePings?: boolean;
  reconnectPeriod?: number;
  connectTimeout?: number;
  manualConnect?: boolean;
  createWebsocket?: WebSocketFactory;
  wsOptions?: Record<string, unknown>;
  transformWsUrl?: (url: string, options: IClientOptions, client: MqttClient) => string;
  /** Postcard: exponential backoff on top of reconnectPeriod (MQTT.js behaviour: none). */
  reconnectBackoff?: { multiplier?: number; maxPeriod?: number; jitter?: number; seed?: number; maxAttempts?: number };
  /** Postcard: PINGREQ -> PINGRESP timeout in ms (0: one keepalive interval). */
  pingTimeout?: number;
  /** Postcard: commands kept while offline (0: unlimited). */
  offlineQueueLimit?: number;
}

export type DoneCallback = (error?: Error) => void;
export type PacketCallback = (error?: Error, packet?: Packet) => void;
export type SubscribeCallback = (error: Error | null, granted?: ISubscriptionGrant[]) => void;

type Pending =
  | { kind: 'publish'; cb?: PacketCallback; packet: Packet }
  | { kind: 'subscribe'; cb?: SubscribeCallback; topics: ISubscriptionGrant[] }
  | { kind: 'unsubscribe'; cb?: PacketCallback };

function randomClientId(): string {
  return 'mqttjs_' + Math.random().toString(16).substr(2, 8);
}

export class MqttClient extends EventEmitter {
  readonly options: IClientOptions & { clientId: string; keepalive: number; protocolVersion: number; reconnectPeriod: number };
  connected = false;
  reconnecting = false;
  disconnecting = false;
  disconnected = false;
  #url: string;
  #engine?: WasmClient;
  #transport?: Transport;
  #timer?: TimerHandle;
  #armedAt = -1;
  #beforeReady: (() => void)[] = [];
  #callbacks = new Map<number, Pending>();
  #endCallbacks: (() => void)[] = [];
  #closeRequested = false;
  #ended = false;
  #handler: BatchHandler;

  constructor(url: string, options: IClientOptions = {}) {
    super();
    this.#url = url;
    this.options = {
      protocolId: 'MQTT',
      protocolVersion: 4,
      keepalive: 60,
      reschedulePings: true,
      reconnectPeriod: 1000,
      connectTimeout: 30 * 1000,
      clean: true,
      resubscribe: true,
      queueQoSZero: true,
      ...options,
      clientId: options.clientId ?? randomClientId(),
    };
    this.#handler = {
      send: (_conn, bytes) => this.#transport?.send(bytes),
      close: () => {
        this.#transport?.close();
        this.#transport = undefined;
        this.#closeRequested = true;
      },
      event: (e) => this.#onEvent(e),
      published: (token, messageId, _qos, code) => {
        const p = this.#take(token);
        if (p?.kind !== 'publish' || !p.cb) return;
        if (code >= 0x80) p.cb(new ErrorWithReasonCode(`Publish error: ${reasonText(code, 5)}`, code));
        else p.cb(undefined, { ...p.packet, messageId: messageId || undefined, payload: outPayload(p.packet.payload as Uint8Array) });
      },
      message: (topic, payload, qos, retain, dup, messageId, properties) => {
        if (this.listenerCount('message') === 0) return;
        const body = outPayload(payload);
        const packet: Packet = { cmd: 'publish', topic, payload: body, qos, retain, dup, messageId: qos ? messageId : undefined };
        if (properties) packet.properties = properties;
        this.emit('message', topic, body, packet);
      },
    };
    loadPostcard().then(
      (m) => {
        if (this.#ended && this.#beforeReady.length === 0) return;
        this.#engine = new m.Client(this.#engineOptions());
        this.listenersChanged();
        if (!this.options.manualConnect) this.#openTransport();
        for (const task of this.#beforeReady.splice(0)) task();
      },
      (err: Error) => this.#emitError(err),
    );
  }

  /** Starts connecting (with manualConnect), or reconnects now when offline. */
  connect(): this {
    return this.reconnect();
  }

  reconnect(): this {
    if (!this.#engine) {
      this.#beforeReady.push(() => this.reconnect());
      return this;
    }
    if (!this.#transport && !this.#ended) this.#openTransport();
    return this;
  }

  publish(topic: string, message: string | Uint8Array, opts?: IClientPublishOptions | PacketCallback, callback?: PacketCallback): this {
    if (typeof opts === 'function') [callback, opts] = [opts, undefined];
    const o = opts ?? {};
    const engine = this.#engine;
    if (!engine) {
      this.#beforeReady.push(() => this.publish(topic, message, o, callback));
      return this;
    }
    const qos = o.qos ?? 0;
    const payload = inBytes(message);
    const token = engine.publish(topic, payload, qos, o.retain ?? false, o.dup ?? false, inProperties(o.properties), now());
    if (token < 0) this.#fail(callback, new Error(`Publish error: ${clientErrorText(-token)}`));
    else if (callback) {
      const packet: Packet = { cmd: 'publish', topic, payload, qos, retain: o.retain ?? false, dup: o.dup ?? false };
      if (o.properties) packet.properties = o.properties;
      this.#callbacks.set(token, { kind: 'publish', cb: callback, packet });
    }
    this.#run(engine.take());
    return this;
  }

  publishAsync(topic: string, message: string | Uint8Array, opts?: IClientPublishOptions): Promise<Packet | undefined> {
    return new Promise((resolve, reject) =>
      this.publish(topic, message, opts ?? {}, (err, packet) => (err ? reject(err) : resolve(packet))));
  }

  subscribe(topicObject: string | string[] | ISubscriptionMap, opts?: IClientSubscribeOptions | SubscribeCallback, callback?: SubscribeCallback): this {
    if (typeof opts === 'function') [callback, opts] = [opts, undefined];
    const o = opts ?? {};
    const engine = this.#engine;
    if (!engine) {
      this.#beforeReady.push(() => this.subscribe(topicObject, o, callback));
      return this;
    }
    const base = { qos: o.qos ?? 0, nl: o.nl ?? false, rap: o.rap ?? false, rh: o.rh ?? 0 };
    const topics: ISubscriptionGrant[] =
      typeof topicObject === 'string'
        ? [{ topic: topicObject, ...base }]
        : Array.isArray(topicObject)
          ? topicObject.map((topic) => ({ topic, ...base }))
          : Object.entries(topicObject).map(([topic, t]) => ({ topic, ...base, ...t }) as ISubscriptionGrant);
    const properties = o.properties ?? (!Array.isArray(topicObject) && typeof topicObject === 'object'
      ? Object.values(topicObject).find((t) => t.properties)?.properties : undefined);
    const token = engine.subscribe(topics, inProperties(properties), now());
    if (token < 0) this.#fail(callback, new Error(`Subscribe error: ${clientErrorText(-token)}`));
    else this.#callbacks.set(token, { kind: 'subscribe', cb: callback, topics });
    this.#run(engine.take());
    return this;
  }

  subscribeAsync(topicObject: string | string[] | ISubscriptionMap, opts?: IClientSubscribeOptions): Promise<ISubscriptionGrant[]> {
    return new Promise((resolve, reject) =>
      this.subscribe(topicObject, opts ?? {}, (err, granted) => (err ? reject(err) : resolve(granted ?? []))));
  }

  unsubscribe(topic: string | string[], opts?: { properties?: Record<string, unknown> } | PacketCallback, callback?: PacketCallback): this {
    if (typeof opts === 'function') [callback, opts] = [opts, undefined];
    const o = opts ?? {};
    const engine = this.#engine;
    if (!engine) {
      this.#beforeReady.push(() => this.unsubscribe(topic, o, callback));
      return this;
    }
    const token = engine.unsubscribe(Array.isArray(topic) ? topic : [topic], inProperties(o.properties), now());
    if (token < 0) this.#fail(callback, new Error(`Unsubscribe error: ${clientErrorText(-token)}`));
    else this.#callbacks.set(token, { kind: 'unsubscribe', cb: callback });
    this.#run(engine.take());
    return this;
  }

  unsubscribeAsync(topic: string | string[], opts?: { properties?: Record<string, unknown> }): Promise<Packet | undefined> {
    return new Promise((resolve, reject) =>
      this.unsubscribe(topic, opts ?? {}, (err, packet) => (err ? reject(err) : resolve(packet))));
  }

  /** Sends DISCONNECT (when connected), closes, stops reconnecting. `force` is accepted for MQTT.js compatibility. */
  end(force?: boolean | { reasonCode?: number; properties?: Record<string, unknown> } | DoneCallback,
    opts?: { reasonCode?: number; properties?: Record<string, unknown> } | DoneCallback, cb?: DoneCallback): this {
    if (typeof force === 'function') [cb, force] = [force, undefined];
    else if (typeof force === 'object') [opts, force] = [force, undefined];
    if (typeof opts === 'function') [cb, opts] = [opts, undefined];
    const o = opts ?? {};
    if (cb) this.#endCallbacks.push(cb);
    if (this.#ended) {
      if (this.disconnected) this.#finishEnd();
      return this;
    }
    this.#ended = true;
    this.disconnecting = true;
    const engine = this.#engine;
    if (!engine) {
      this.#beforeReady.push(() => this.#endNow(o));
      return this;
    }
    this.#endNow(o);
    return this;
  }

  endAsync(force?: boolean, opts?: { reasonCode?: number; properties?: Record<string, unknown> }): Promise<void> {
    return new Promise((resolve) => this.end(force, opts ?? {}, () => resolve()));
  }

  /** v5 enhanced authentication: answer the server's AUTH (event "auth"), or re-authenticate once connected. */
  auth(data: Uint8Array | string, properties?: Record<string, unknown>): number {
    const engine = this.#engine;
    if (!engine) return -2;
    const r = this.connected && !this.#awaitingAuth
      ? engine.reauthenticate(inBytes(data), inProperties(properties), now())
      : engine.auth(inBytes(data), inProperties(properties), now());
    this.#run(engine.take());
    return r;
  }
  #awaitingAuth = false;

  /**
   * MQTT.js: called with each AUTH from the server (v5 enhanced authentication: reason code 0x18
   * Continue authentication, or 0x00 Success ending a re-authentication). Override it and call back
   * with the AUTH to send, `{ reasonCode: 0x18, properties: { authenticationData } }` (the method is
   * always the CONNECT's), or with an error to drop the connection. The default answers nothing
   * (then listen to the 'auth' event and answer with client.auth(data)).
   */
  handleAuth(_packet: Packet, callback: (error?: Error, packet?: Packet) => void): void {
    callback();
  }

  /**
   * Re-authentication (v5, AUTH 0x19) on a connected client: `properties.authenticationData` is the
   * first message of the method's exchange; the server's AUTH 0x18 challenges go to handleAuth as in
   * CONNECT. The callback runs at the server's AUTH 0x00 (and after handleAuth accepted it), or with
   * an error when the server ends the connection instead (DISCONNECT 0x87 ...) or the call is refused.
   */
  reauthenticate(properties: Record<string, unknown> & { authenticationData?: Uint8Array | string },
    callback?: (error?: Error, packet?: Packet) => void): this {
    const engine = this.#engine;
    const { authenticationData, authenticationMethod: _method, ...extra } = properties ?? {};
    if (!engine) {
      this.#fail(callback, new Error('Re-authentication error: client not ready'));
      return this;
    }
    if (this.#reauthCallback) {
      this.#fail(callback, new Error('Re-authentication error: one is already in progress'));
      return this;
    }
    const r = engine.reauthenticate(inBytes(authenticationData), inProperties(extra), now());
    if (r < 0) this.#fail(callback, new Error(`Re-authentication error: ${clientErrorText(-r)}`));
    else this.#reauthCallback = callback ?? ((err?: Error) => err && this.#emitError(err));
    this.#run(engine.take());
    return this;
  }

  reauthenticateAsync(properties: Record<string, unknown> & { authenticationData?: Uint8Array | string }): Promise<Packet | undefined> {
    return new Promise((resolve, reject) => this.reauthenticate(properties, (err, packet) => (err ? reject(err) : resolve(packet))));
  }
  #reauthCallback?: (error?: Error, packet?: Packet) => void;
  #authGeneration = 0;

  #finishReauth(err?: Error, packet?: Packet): void {
    const cb = this.#reauthCallback;
    this.#reauthCallback = undefined;
    cb?.(err, packet);
  }

  // The AUTH exchange through handleAuth (MQTT.js's handlers/auth): the answer may come later
  // (WebCrypto is asynchronous); one that arrives after its connection is gone is dropped.
  #onAuth(code: number, packet: Packet): void {
    if (this.handleAuth === MqttClient.prototype.handleAuth) {
      if (code === 0) this.#finishReauth(undefined, packet);
      return;
    }
    const generation = this.#authGeneration;
    // A synchronous answer waits for a microtask: never re-enter the engine while its batch is read.
    this.handleAuth(packet, (err, reply) => queueMicrotask(() => {
      const engine = this.#engine;
      if (!engine || generation !== this.#authGeneration) return;
      if (!err && code === 0x18 && !reply) err = new ErrorWithReasonCode('Protocol error: No auth packet to continue the authentication exchange', 0x82);
      if (err) {
        this.#finishReauth(err);
        this.#emitError(err);
        this.#transport?.close();  // like MQTT.js: the exchange is over, so is this connection
        this.#transport = undefined;
        this.#run(engine.closed(now()));
        return;
      }
      if (code === 0) return this.#finishReauth(undefined, packet);
      const { authenticationData, authenticationMethod: _method, ...extra } = reply?.properties ?? {};
      const r = engine.auth(inBytes(authenticationData), inProperties(extra), now());
      if (r < 0) this.#emitError(new Error(`Auth error: ${clientErrorText(-r)}`));
      this.#run(engine.take());
    }));
  }

  /** Messages waiting for their acknowledgement, and commands queued (offline or beyond the window). */
  get inflightCount(): number {
    return this.#engine?.inflight() ?? 0;
  }
  get queuedCount(): number {
    return this.#engine?.queued() ?? this.#beforeReady.length;
  }
  /** What the server granted in CONNACK (keepalive, receiveMaximum, topicAliasMaximum, clientId ...). */
  negotiated(): Record<string, unknown> | undefined {
    return this.#engine?.negotiated();
  }

  protected override listenersChanged(): void {
    this.#engine?.setPacketEvents(this.listenerCount('packetsend') + this.listenerCount('packetreceive') > 0);
  }

  #engineOptions(): Record<string, unknown> {
    const o = this.options;
    const b = o.reconnectBackoff ?? {};
    return {
      protocolVersion: o.protocolId === 'MQIsdp' ? 3 : o.protocolVersion,
      clientId: o.clientId,
      clean: o.clean,
      keepalive: o.keepalive,
      username: o.username,
      password: o.password === undefined ? undefined : inBytes(o.password),
      will: o.will && { ...o.will, payload: inBytes(o.will.payload), properties: inProperties(o.will.properties) },
      properties: inProperties(o.properties),
      resubscribe: o.resubscribe,
      queueQoSZero: o.queueQoSZero,
      autoUseTopicAlias: o.autoUseTopicAlias ?? false,
      autoAssignTopicAlias: o.autoAssignTopicAlias ?? false,
      reschedulePings: o.reschedulePings,
      reconnectPeriod: o.reconnectPeriod,
      reconnectMultiplierPercent: Math.round((b.multiplier ?? 1) * 100),
      reconnectMaxPeriod: b.maxPeriod ?? 60_000,
      reconnectJitterPercent: Math.round((b.jitter ?? 0) * 100),
      reconnectJitterSeed: b.seed ?? 0,
      reconnectMaxAttempts: b.maxAttempts ?? 0,
      connectTimeout: o.connectTimeout,
      pingTimeout: o.pingTimeout ?? 0,
      offlineQueueLimit: o.offlineQueueLimit ?? 0,
    };
  }

  #openTransport(): void {
    const engine = this.#engine;
    if (!engine || this.#ended) return;
    this.#closeRequested = false;
    let current: Transport | undefined;
    const alive = () => current !== undefined && this.#transport === current;
    const handlers = {
      open: () => alive() && this.#run(engine.opened(now())),
      data: (bytes: Uint8Array) => alive() && this.#run(engine.receive(bytes, now())),
      close: () => {
        if (!alive()) return;
        this.#transport = undefined;
        this.#run(engine.closed(now()));
      },
      error: (err: Error) => alive() && this.#emitError(err),
    };
    const url = new URL(this.#url);
    if (url.protocol === 'local:') {
      current = new LocalTransport(decodeURIComponent(url.hostname || url.pathname.replace(/^\/+/, '')), handlers);
    } else {
      let href = this.#url;
      if (this.options.transformWsUrl) href = this.options.transformWsUrl(href, this.options, this);
      current = new WebSocketTransport(href, this.options, handlers);
    }
    this.#transport = current;
  }

  #onEvent(e: Record<string, unknown> & { type: string; packet?: Packet }): void {
    switch (e.type) {
      case 'connect':
        this.connected = true;
        this.reconnecting = false;
        this.disconnected = false;
        this.#awaitingAuth = false;
        this.emit('connect', e.packet);
        break;
      case 'connect_failed': {
        const code = e.reasonCode as number;
        this.#emitError(new ErrorWithReasonCode(`Connection refused: ${reasonText(code, this.options.protocolVersion)}`, code));
        break;
      }
      case 'subscribed': {
        const p = this.#take(e.token as number);
        if (p?.kind !== 'subscribe') break;
        const granted = (e.granted as number[]).map((qos, i) => ({ ...p.topics[i], qos }));
        p.cb?.(null, granted);
        break;
      }
      case 'unsubscribed': {
        const p = this.#take(e.token as number);
        if (p?.kind !== 'unsubscribe') break;
        p.cb?.(undefined, { cmd: 'unsuback', messageId: e.messageId as number, granted: e.granted, properties: e.properties as never });
        break;
      }
      case 'auth': {
        const code = e.reasonCode as number;
        this.#awaitingAuth = code === 0x18;
        this.emit('auth', e);
        this.#onAuth(code, { cmd: 'auth', reasonCode: code, properties: (e.properties ?? {}) as Record<string, unknown> });
        break;
      }
      case 'disconnect': {
        const code = (e.packet?.reasonCode as number | undefined) ?? 0;
        if (this.#reauthCallback) this.#finishReauth(new ErrorWithReasonCode(`Re-authentication failed: ${reasonText(code, 5)}`, code));
        this.emit('disconnect', e.packet);
        break;
      }
      case 'protocol_error':
        this.#emitError(new ErrorWithReasonCode(`Protocol error: ${e.description || e.error}`, e.reasonCode as number));
        break;
      case 'keepalive_timeout':
        this.#emitError(new Error('Keepalive timeout'));
        break;
      case 'connect_timeout':
        this.#emitError(new Error('connack timeout'));
        break;
      case 'offline': {
        ++this.#authGeneration;
        this.#awaitingAuth = false;
        if (this.#reauthCallback) this.#finishReauth(new Error('Re-authentication failed: connection closed'));
        const wasConnected = this.connected;
        this.connected = false;
        this.reconnecting = e.reconnectAt !== undefined && !this.#ended;
        this.emit('close');
        if (wasConnected || !this.#ended) this.emit('offline');
        if (this.#ended) {
          this.disconnected = true;
          this.disconnecting = false;
          this.#finishEnd();
        }
        break;
      }
      case 'reconnect':
        this.reconnecting = true;
        this.emit('reconnect');
        this.#openTransport();
        break;
      case 'packetsend':
      case 'packetreceive':
        if (e.packet) this.emit(e.type, e.packet);
        break;
    }
  }

  #endNow(o: { reasonCode?: number; properties?: Record<string, unknown> }): void {
    const engine = this.#engine;
    if (!engine) return;
    const wasOffline = !this.#transport;
    engine.end(o.reasonCode ?? 0, inProperties(o.properties), now());
    this.#run(engine.take());
    this.#transport?.close();
    this.#transport = undefined;
    this.#timer?.cancel();
    this.#armedAt = -1;
    if (wasOffline || !this.disconnected) {
      this.disconnected = true;
      this.disconnecting = false;
      this.connected = false;
      queueMicrotask(() => this.#finishEnd());
    }
  }

  #finishEnd(): void {
    if (!this.#engine && !this.#ended) return;
    const cbs = this.#endCallbacks.splice(0);
    if (!this.#endEmitted) {
      this.#endEmitted = true;
      // Commands that will never complete fail like MQTT.js's "client disconnecting".
      for (const [token, p] of this.#callbacks) {
        this.#callbacks.delete(token);
        if (p.kind === 'subscribe') p.cb?.(new Error('client disconnecting'));
        else p.cb?.(new Error('client disconnecting'));
      }
      this.emit('end');
      this.#engine?.delete();
      this.#engine = undefined;
    }
    for (const cb of cbs) cb();
  }
  #endEmitted = false;

  #take(token: number): Pending | undefined {
    const p = this.#callbacks.get(token);
    this.#callbacks.delete(token);
    return p;
  }

  #fail(cb: ((err: Error) => void) | undefined, err: Error): void {
    if (cb) queueMicrotask(() => cb(err));
    else this.#emitError(err);
  }

  #emitError(err: Error): void {
    if (this.listenerCount('error') > 0) this.emit('error', err);
  }

  #run(batch: Uint8Array | undefined): void {
    if (batch) readBatch(batch, this.#handler);
    const engine = this.#engine;
    if (!engine) return;
    if (this.#closeRequested) {
      this.#closeRequested = false;
      const more = engine.closed(now());
      if (more) readBatch(more, this.#handler);
    }
    const deadline = engine.nextDeadline();
    if (deadline === this.#armedAt) return;
    this.#timer?.cancel();
    this.#armedAt = deadline;
    if (deadline < 0) return;
    this.#timer = timerAt(deadline, () => {
      this.#armedAt = -1;
      if (this.#engine) this.#run(this.#engine.tick(now()));
    }, true);
  }
}

function urlOf(url: string | IClientOptions | undefined, opts: IClientOptions): string {
  if (typeof url === 'string') return url;
  const o = url ?? opts;
  const protocol = (o.protocol ?? 'ws').replace(/:$/, '');
  const host = o.hostname ?? o.host ?? 'localhost';
  if (protocol === 'local') return `local://${host}`;
  return `${protocol}://${host}${o.port ? `:${o.port}` : ''}${o.path ?? (protocol.startsWith('ws') ? '/mqtt' : '')}`;
}

/** MQTT.js `connect(url, options)`: ws://, wss:// or local://NAME (an in-tab broker). */
export function connect(url: string | IClientOptions, options?: IClientOptions): MqttClient {
  const opts = typeof url === 'string' ? options ?? {} : url;
  return new MqttClient(urlOf(url, opts), opts);
}

/** MQTT.js `connectAsync`: resolves once connected; rejects (and ends the client) on the first error. */
export function connectAsync(url: string | IClientOptions, options?: IClientOptions, allowRetries = true): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const client = connect(url, options);
    const cleanup = () => {
      client.off('connect', onConnect);
      client.off('error', onError);
      client.off('offline', onOffline);
    };
    const onConnect = () => {
      cleanup();
      resolve(client);
    };
    const onError = (err: Error) => {
      cleanup();
      client.end();
      reject(err);
    };
    const onOffline = () => {
      if (allowRetries) return;
      onError(new Error('Connection closed before CONNACK'));
    };
    client.on('connect', onConnect);
    client.on('error', onError);
    client.on('offline', onOffline);
  });
}
