// Postcard's JS client <-> Debian mosquitto's WebSocket listener (a real network peer).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as lib from '../../web/dist/index.js';
import * as s from './scenarios.mjs';
import { haveMosquitto, mosquittoCommand, startBrokerProcess } from './helpers.mjs';

let broker;
before(async () => {
  if (haveMosquitto) broker = await startBrokerProcess({ command: mosquittoCommand });
});
after(async () => broker?.stop());

for (const protocolVersion of [4, 5]) {
  test(`mosquitto over ws://: QoS 0/1/2, protocol ${protocolVersion}`, { skip: !haveMosquitto && 'mosquitto not installed' }, async () => {
    const r = await s.qosRoundTrip(lib, broker.url, { protocolVersion });
    assert.deepEqual(r.granted, [2]);
    assert.deepEqual(r.received.map((m) => [m.payload, m.qos]), [['payload 0', 0], ['payload 1', 1], ['payload 2', 2]]);
  });
}

test('mosquitto over ws://: retained and v5 properties', { skip: !haveMosquitto && 'mosquitto not installed' }, async () => {
  const r = await s.retained(lib, broker.url);
  assert.equal(r.payload, 'kept');
  assert.equal(r.retain, true);
  assert.equal(r.afterClear, 0);
  const v5 = await s.v5Properties(lib, broker.url);
  assert.equal(v5.contentType, 'text/plain');
  assert.deepEqual(v5.correlationData, [1, 2, 3]);
  assert.deepEqual(v5.userProperties, { a: '1', b: ['x', 'y'] });
  assert.equal(v5.subscriptionIdentifier, 42);
});

test('mosquitto goes away and comes back: reconnect', { skip: !haveMosquitto && 'mosquitto not installed' }, async () => {
  const b = await startBrokerProcess({ command: mosquittoCommand });
  const c = await lib.connectAsync(b.url, { reconnectPeriod: 100 });
  const offline = new Promise((res) => c.once('offline', res));
  await b.stop();
  await offline;
  assert.equal(c.connected, false);
  assert.equal(c.reconnecting, true);
  let reconnects = 0;
  c.on('reconnect', () => reconnects++);
  await new Promise((r) => setTimeout(r, 350));
  assert.ok(reconnects >= 2, `reconnect attempts: ${reconnects}`);
  await c.endAsync();
});
