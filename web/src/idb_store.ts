// The in-tab broker's durable state in IndexedDB: a snapshot plus an append-only log of change records,
// the same record bytes as the native broker's files (u32 length | u32 CRC-32 | type | fields).
//
// Theory of operation
//   Database `dbName`, version 1, two object stores:
//     snapshot  key "state" -> Uint8Array (engine.save(): every retained message and session, then an
//               end record carrying the count, so a truncated snapshot is detected)
//     log       auto-increment keys -> Uint8Array (the change records of one engine input)
//   The records are sized by the change (core/broker/durable.hpp): a delivery joining, changing or
//   leaving a session is one small record, so an input that queues or acknowledges one message appends
//   a few dozen bytes plus the message, never the whole session. That gives per-delivery cost with one
//   append per input; separate per-delivery keys would add a put or delete per delivery for no gain.
//   Old databases (whole-session records) are still read by the engine's restore and compacted at load.
//   append() writes one log entry in its own readwrite transaction and reports when it has committed.
//   compact() puts a fresh snapshot and clears the log in ONE transaction: it commits or leaves the old
//   snapshot + log untouched. IndexedDB runs readwrite transactions whose scopes overlap in the order
//   they were created, so a compaction never overtakes the appends queued before it, and appends
//   queued after it land in the fresh log.

export interface StoredState {
  snapshot: Uint8Array;  // empty when none was written yet
  log: Uint8Array[];
  /** Entries that are not byte arrays (skipped): their log keys. */
  foreign: IDBValidKey[];
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function committed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('postcard: IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('postcard: IndexedDB transaction aborted'));
  });
}

const isBytes = (v: unknown): v is Uint8Array => v instanceof Uint8Array || (ArrayBuffer.isView(v) && !(v instanceof DataView));
const asBytes = (v: ArrayBufferView): Uint8Array =>
  v instanceof Uint8Array ? v : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);

export class IdbStore {
  readonly dbName: string;
  #db: IDBDatabase;

  private constructor(dbName: string, db: IDBDatabase) {
    this.dbName = dbName;
    this.#db = db;
  }

  static async open(factory: IDBFactory, dbName: string): Promise<IdbStore> {
    const req = factory.open(dbName, 1);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains('snapshot')) db.createObjectStore('snapshot');
      if (!db.objectStoreNames.contains('log')) db.createObjectStore('log', { autoIncrement: true });
    };
    return new IdbStore(dbName, await request(req));
  }

  /** The snapshot and the log, in one read transaction. */
  async load(): Promise<StoredState> {
    const tx = this.#db.transaction(['snapshot', 'log'], 'readonly');
    const snap = request(tx.objectStore('snapshot').get('state'));
    const cursorDone = new Promise<{ log: Uint8Array[]; foreign: IDBValidKey[] }>((resolve, reject) => {
      const log: Uint8Array[] = [];
      const foreign: IDBValidKey[] = [];
      const req = tx.objectStore('log').openCursor();
      req.onerror = () => reject(req.error);
      req.onsuccess = () => {
        const cursor = req.result;
        if (!cursor) return resolve({ log, foreign });
        if (isBytes(cursor.value)) log.push(asBytes(cursor.value));
        else foreign.push(cursor.key);
        cursor.continue();
      };
    });
    const [snapshot, { log, foreign }] = await Promise.all([snap, cursorDone, committed(tx)]);
    const snapshotBytes = snapshot === undefined ? new Uint8Array(0) : isBytes(snapshot) ? asBytes(snapshot) : undefined;
    if (!snapshotBytes) foreign.unshift('state');
    return { snapshot: snapshotBytes ?? new Uint8Array(0), log, foreign };
  }

  /** Appends one log entry in its own transaction; resolves when it has committed. */
  append(records: Uint8Array): Promise<void> {
    const tx = this.#db.transaction('log', 'readwrite');
    tx.objectStore('log').add(records);
    return committed(tx);
  }

  /** Replaces the snapshot and empties the log, atomically. */
  compact(snapshot: Uint8Array): Promise<void> {
    const tx = this.#db.transaction(['snapshot', 'log'], 'readwrite');
    tx.objectStore('snapshot').put(snapshot, 'state');
    tx.objectStore('log').clear();
    return committed(tx);
  }

  close(): void {
    this.#db.close();
  }
}
