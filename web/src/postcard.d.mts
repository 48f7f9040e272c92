// The Emscripten ES module built from wasm/ (build-wasm/bin/postcard.mjs), copied beside dist/index.js.
export interface PostcardModule {
  Broker: new (config: object) => WasmBroker;
  Client: new (options: object) => WasmClient;
}
export type Batch = Uint8Array | undefined;
export interface WasmBroker {
  open(conn: number, remoteAddress: string, listener: string, now: number): Batch;
  receive(conn: number, bytes: Uint8Array, now: number): Batch;
  closed(conn: number, now: number): Batch;
  tick(now: number): Batch;
  nextDeadline(): number;
  take(): Batch;
  setEventMask(mask: number): void;
  setHooks(hooks: object): void;
  publish(topic: string, payload: Uint8Array, qos: number, retain: boolean, props: object | undefined, now: number): number;
  disconnect(clientId: string, reason: number, now: number): number;
  removeSession(clientId: string, now: number): number;
  shutdown(now: number): void;
  stats(now: number): Record<string, number>;
  sessions(): object[];
  subscriptions(): object[];
  retained(): object[];
  save(now: number): Uint8Array;
  restore(bytes: Uint8Array, sizes: number[], now: number): {
    result: number; retained: number; sessions: number; records: number;
    errors: { part: number; offset: number; reason: string }[];
  };
  setDurableChanges(on: boolean): void;
  delete(): void;
}
export interface WasmClient {
  opened(now: number): Batch;
  receive(bytes: Uint8Array, now: number): Batch;
  closed(now: number): Batch;
  tick(now: number): Batch;
  nextDeadline(): number;
  take(): Batch;
  publish(topic: string, payload: Uint8Array, qos: number, retain: boolean, dup: boolean, props: object | undefined, now: number): number;
  subscribe(topics: object[], props: object | undefined, now: number): number;
  unsubscribe(filters: string[], props: object | undefined, now: number): number;
  end(reason: number, props: object | undefined, now: number): number;
  auth(data: Uint8Array, props: object | undefined, now: number): number;
  reauthenticate(data: Uint8Array, props: object | undefined, now: number): number;
  setPacketEvents(on: boolean): void;
  state(): number;
  inflight(): number;
  queued(): number;
  negotiated(): Record<string, unknown>;
  delete(): void;
}
declare const createPostcardModule: (options?: { wasmBinary?: ArrayBuffer | Uint8Array }) => Promise<PostcardModule>;
export default createPostcardModule;
