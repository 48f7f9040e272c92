// In-tab broker persistence in Node over fake-indexeddb: restart after a crash (log replay) and after a
// clean close (compaction), damaged records skipped with an 'error' event, PUBACK held until the log
// entry has committed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IDBFactory, IDBDatabase, IDBObjectStore } from 'fake-indexeddb';
import * as lib from '../../web/dist/index.js';
import * as p from './persistence_scenario.mjs';

// Counts committed readwrite transactions (this file runs in its own process).
let commits = 0;
const transaction = IDBDatabase.prototype.transaction;
IDBDatabase.prototype.transaction = function (...args) {
  const tx = transaction.apply(this, args);
  if (args[1] === 'readwrite') tx.addEventListener('complete', () => commits++);
  return tx;
};

// Log appends whose transaction has not committed yet.
let uncommittedAdds = 0;
const add = IDBObjectStore.prototype.add;
IDBObjectStore.prototype.add = function (...args) {
  uncommittedAdds++;
  this.transaction.addEventListener('complete', () => uncommittedAdds--);
  return add.apply(this, args);
};

const persistence = () => ({ indexedDB: new IDBFactory(), dbName: 'postcard-test' });

function checkResumed(r) {
  assert.equal(r.sessionPresent, true);
  assert.deepEqual(r.sessions, [{ clientId: p.keeperId, queued: 3, subscriptions: 1 }]);
  assert.deepEqual(r.retained, ['persist/retained']);
  assert.deepEqual(r.received.map((m) => [m.topic, m.payload, m.qos]),
    [['persist/retained', 'kept', 1], ['persist/q', 'queued 1', 1], ['persist/q', 'queued 2', 1]]);
  assert.deepEqual(r.retainedMessage, { topic: 'persist/retained', payload: 'kept', retain: true });
}

test('the broker dies without close(): a new one replays snapshot + log', async () => {
  const store = persistence();
  const b = await p.before(lib, 'idb-crash-1', store);
  assert.deepEqual(b.granted, [1]);
  assert.deepEqual(b.queued, [3]);
  // The first broker is abandoned, as a closed tab would: nothing is flushed.
  const r = await p.after(lib, 'idb-crash-2', store);
  checkResumed(r);
  assert.deepEqual(r.errors, []);
});

test('close() compacts: the log is empty and the snapshot holds everything', async () => {
  const store = persistence();
  await p.before(lib, 'idb-close-1', store, { close: true });
  const db = await openDb(store);
  const [log, snapshot] = await Promise.all([getAll(db, 'log'), getAll(db, 'snapshot')]);
  db.close();
  assert.equal(log.length, 0);
  assert.equal(snapshot.length, 1);
  assert.ok(snapshot[0] instanceof Uint8Array && snapshot[0].length > 50);
  const r = await p.after(lib, 'idb-close-2', store);
  checkResumed(r);
  assert.deepEqual(r.errors, []);
});

test('damaged log entries are skipped with an error event each; the rest is restored', async () => {
  const store = persistence();
  await p.before(lib, 'idb-damage-1', store);
  const db = await openDb(store);
  const badCrc = new Uint8Array([5, 0, 0, 0, 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5]);
  const tooLong = new Uint8Array([0xff, 0xff, 0, 0, 0, 0, 0, 0, 1]);
  await put(db, 'log', [badCrc, tooLong, 'not a record']);
  db.close();
  const r = await p.after(lib, 'idb-damage-2', store);
  checkResumed(r);
  assert.equal(r.errors.length, 3, r.errors.join('\n'));
  assert.match(r.errors.join('\n'), /CRC mismatch/);
  assert.match(r.errors.join('\n'), /length past the end/);
  assert.match(r.errors.join('\n'), /not a record/);
  // The restart compacted: the damage is gone from the database.
  const again = lib.createBroker({ name: 'idb-damage-3', persistence: store });
  const errors = [];
  again.on('error', (e) => errors.push(String(e)));
  await again.ready;
  assert.deepEqual(errors, []);
  assert.deepEqual(again.retained().map((m) => m.topic), ['persist/retained']);
  assert.deepEqual(again.sessions().map((s) => [s.clientId, s.queued]), [[p.keeperId, 0]]);
  await new Promise((resolve) => again.close(resolve));
});

test('a truncated snapshot: its complete records are restored, the damage reported', async () => {
  const store = persistence();
  await p.before(lib, 'idb-snap-1', store, { close: true });
  const db = await openDb(store);
  const [snapshot] = await getAll(db, 'snapshot');
  // Cut into the end record (u32 length | u32 CRC | type | u64 count = 17 bytes).
  await new Promise((resolve, reject) => {
    const tx = db.transaction('snapshot', 'readwrite');
    tx.objectStore('snapshot').put(snapshot.slice(0, snapshot.length - 10), 'state');
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  db.close();
  const r = await p.after(lib, 'idb-snap-2', store);
  checkResumed(r);
  assert.equal(r.errors.length, 1, r.errors.join('\n'));
  assert.match(r.errors[0], /snapshot, byte \d+: truncated record header/);
});

test('a QoS 1 PUBACK leaves only after its log entry has committed', async () => {
  const broker = await lib.createBrokerAsync({ name: 'idb-puback', persistence: persistence() });
  const sub = await lib.connectAsync('local://idb-puback', { clientId: 'offline', clean: false, reconnectPeriod: 0 });
  await sub.subscribeAsync('held/#', { qos: 1 });
  await sub.endAsync();
  // Each PUBLISH queues for the offline session (a log append); when its PUBACK leaves the broker,
  // no append may still be uncommitted.
  const atPuback = [];
  broker.on('packetOut', (e) => e.packet.cmd === 'puback' && atPuback.push(uncommittedAdds));
  const pub = await lib.connectAsync('local://idb-puback', { clientId: 'pub', reconnectPeriod: 0 });
  const before = commits;
  for (let i = 0; i < 5; i++) await pub.publishAsync('held/x', `m${i}`, { qos: 1 });
  await pub.endAsync();
  assert.deepEqual(atPuback, [0, 0, 0, 0, 0]);
  assert.ok(commits - before >= 5);
  assert.equal(broker.sessions().find((s) => s.clientId === 'offline').queued, 5);
  await new Promise((resolve) => broker.close(resolve));
});

test('compactEvery: the log is compacted while the broker runs; a restart reports what it restored', async () => {
  const store = { ...persistence(), compactEvery: 4 };
  await lib.createBrokerAsync({ name: 'idb-compact-1', persistence: store });  // abandoned, like a closed tab
  const pub = await lib.connectAsync('local://idb-compact-1', { clientId: 'pub', reconnectPeriod: 0 });
  for (let i = 0; i < 10; i++) await pub.publishAsync(`retained/${i}`, `v${i}`, { qos: 1, retain: true });
  await pub.endAsync();
  const db = await openDb(store);
  const [log, snapshot] = await Promise.all([getAll(db, 'log'), getAll(db, 'snapshot')]);
  db.close();
  // 10 retained_set appends with a compaction after every 4th: 2 entries left in the log.
  assert.equal(log.length, 2);
  assert.equal(snapshot.length, 1);
  const again = lib.createBroker({ name: 'idb-compact-2', persistence: store });
  const restored = new Promise((resolve) => again.once('restored', resolve));
  await again.ready;
  assert.deepEqual(await restored, { retained: 10, sessions: 0, records: 10, errors: 0 });
  assert.deepEqual(again.retained().map((m) => m.topic).sort(), [...Array(10).keys()].map((i) => `retained/${i}`).sort());
  await new Promise((resolve) => again.close(resolve));
});

test('persistence without IndexedDB fails the ready promise clearly', async () => {
  const broker = lib.createBroker({ name: 'idb-missing', persistence: 'indexeddb' });
  await assert.rejects(broker.ready, /persistence needs IndexedDB/);
});

function openDb({ indexedDB, dbName }) {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(dbName, 1);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}
function getAll(db, store) {
  return new Promise((resolve, reject) => {
    const req = db.transaction(store, 'readonly').objectStore(store).getAll();
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}
function put(db, store, values) {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(store, 'readwrite');
    for (const v of values) tx.objectStore(store).add(v);
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
}
