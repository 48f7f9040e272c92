// Postcard's JS client <-> the in-tab broker, in Node, through the built library.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as lib from '../../web/dist/index.js';
import * as s from './scenarios.mjs';

let broker;
const url = 'local://node-tests';
before(async () => {
  broker = lib.createBroker({ name: 'node-tests' });
  await broker.ready;
});
after(() => broker.close());

for (const protocolVersion of [4, 5]) {
  test(`QoS 0/1/2 round trip, protocol ${protocolVersion}`, async () => {
    const r = await s.qosRoundTrip(lib, url, { protocolVersion });
    assert.deepEqual(r.granted, [2]);
    assert.equal(r.acks[0].messageId, undefined);
    assert.ok(r.acks[1].messageId > 0 && r.acks[2].messageId > 0);
    assert.deepEqual(r.received.map((m) => [m.topic, m.payload, m.qos]), [0, 1, 2].map((q) => [`${r.topic}/${q}`, `payload ${q}`, q]));
  });
}

test('retained message, then cleared', async () => {
  const r = await s.retained(lib, url);
  assert.equal(r.payload, 'kept');
  assert.equal(r.retain, true);
  assert.equal(r.afterClear, 0);
});

test('v5 properties end to end', async () => {
  const r = await s.v5Properties(lib, url);
  assert.equal(r.payload, 'with properties');
  assert.equal(r.contentType, 'text/plain');
  assert.equal(r.responseTopic, `${r.topic}/reply`);
  assert.deepEqual(r.correlationData, [1, 2, 3]);
  assert.deepEqual(r.userProperties, { a: '1', b: ['x', 'y'] });
  assert.equal(r.subscriptionIdentifier, 42);
  assert.ok(r.expiry > 0 && r.expiry <= 3600);
});

test('will published when the broker disconnects a client', async () => {
  const r = await s.willOnKick(lib, broker, url);
  assert.equal(r.reasonCode, 0x98);
  assert.equal(r.topic, r.expected);
  assert.equal(r.payload, 'gone');
  assert.equal(r.contentType, 'text/plain');
});

test('reconnect with a session: resend with DUP, offline queue', async () => {
  const r = await s.reconnectResend(lib, broker, url);
  assert.ok(r.reconnects >= 1);
  assert.ok(r.offlineQueued >= 1, 'the offline publish waits in the engine queue');
  assert.ok(r.seen.some((p) => p.dup), `a resent PUBLISH carries DUP: ${JSON.stringify(r.seen)}`);
  assert.deepEqual(r.messages, ['first', 'while offline']);
});

test('reconnect without a session: resubscribe, unacknowledged publish sent again', async () => {
  const r = await s.reconnectResend(lib, broker, url, { clean: true });
  assert.ok(r.reconnects >= 1);
  assert.equal(r.seen.length, 2, JSON.stringify(r.seen));
  assert.deepEqual(r.messages, ['first', 'while offline'], 'messages arrive through the resubscribed filter');
});

test('broker exposes events, sessions, subscriptions, retained and counters', async () => {
  const events = [];
  for (const e of ['clientConnected', 'clientDisconnected', 'subscribed', 'packetIn', 'packetOut']) broker.on(e, (ev) => events.push(ev.type));
  const c = await lib.connectAsync(url, { clientId: 'inspector', protocolVersion: 5, clean: false, properties: { sessionExpiryInterval: 60 } });
  await c.subscribeAsync('inspect/#', { qos: 1 });
  await c.publishAsync('inspect/kept', 'x', { qos: 1, retain: true });
  assert.ok(broker.sessions().some((x) => x.clientId === 'inspector' && x.connected));
  assert.ok(broker.subscriptions().some((x) => x.clientId === 'inspector' && x.topic === 'inspect/#' && x.qos === 1));
  assert.ok(broker.retained().some((x) => x.topic === 'inspect/kept' && x.payloadSize === 1));
  const admin = new Promise((res) => c.once('message', (t, p) => res([t, p.toString()])));
  assert.equal(broker.publish('inspect/admin', 'from broker', { qos: 1 }), 0);
  assert.deepEqual(await admin, ['inspect/admin', 'from broker']);
  await c.endAsync();
  await new Promise((r) => setTimeout(r, 20));
  for (const e of ['clientConnected', 'clientDisconnected', 'subscribed', 'packetIn', 'packetOut']) assert.ok(events.includes(e), `event ${e}`);
  const session = broker.sessions().find((x) => x.clientId === 'inspector');
  assert.equal(session?.connected, false, 'persistent session kept offline');
  const st = broker.stats();
  assert.ok(st.publishReceived >= 1 && st.retainedMessages >= 1 && st.clientsTotal >= 1);
  broker.removeAllListeners();
});

test('connectAsync rejects on refused credentials', async () => {
  const b = lib.createBroker({ name: 'auth-tests', hooks: { authenticate: (id, user) => (user === 'ok' ? 0 : 0x86) } });
  await b.ready;
  await assert.rejects(lib.connectAsync('local://auth-tests', { protocolVersion: 5, username: 'bad', reconnectPeriod: 0 }), (e) => e.code === 0x86);
  const c = await lib.connectAsync('local://auth-tests', { protocolVersion: 5, username: 'ok' });
  await c.endAsync();
  b.close();
});

test('unknown local broker: error, no crash', async () => {
  const c = lib.connect('local://nobody-here', { reconnectPeriod: 0 });
  const [err] = await new Promise((res) => c.once('error', (...a) => res(a)));
  assert.match(err.message, /no in-tab broker/);
  await c.endAsync();
});

test('keepalive: PINGREQ / PINGRESP on the engine timer, connection stays up', async () => {
  const c = await lib.connectAsync(url, { clientId: 'pinger', keepalive: 1 });
  const sent = [];
  const received = [];
  c.on('packetsend', (p) => sent.push(p.cmd));
  c.on('packetreceive', (p) => received.push(p.cmd));
  await new Promise((r) => setTimeout(r, 2300));
  assert.ok(sent.filter((x) => x === 'pingreq').length >= 1, `sent: ${sent}`);
  assert.ok(received.includes('pingresp'), `received: ${received}`);
  assert.equal(c.connected, true);
  await c.endAsync();
});
