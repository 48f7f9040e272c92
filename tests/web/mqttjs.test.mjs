// Unmodified MQTT.js 5 (npm `mqtt`) <-> the in-tab broker, in Node, with no server and no network.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import mqtt from 'mqtt';
import * as lib from '../../web/dist/index.js';
import * as s from './scenarios.mjs';

// First in this file: MQTT.js fixes its protocol table on first use, and this test needs its Node
// path (ws.createWebSocketStream over broker.createWebsocket, no forceNativeWebSocket).
test('MQTT.js Node path: createWebsocket alone', async () => {
  const broker = lib.createBroker({ name: 'mqttjs-nodepath' });
  await broker.ready;
  const m = await mqtt.connectAsync('ws://mqttjs-nodepath', { createWebsocket: broker.createWebsocket, clientId: 'node-path' });
  const got = new Promise((res) => m.once('message', (t, p) => res([t, p.toString()])));
  await m.subscribeAsync('np/#', { qos: 1 });
  await m.publishAsync('np/x', 'through ws.createWebSocketStream', { qos: 1 });
  assert.deepEqual(await got, ['np/x', 'through ws.createWebSocketStream']);
  assert.ok(broker.sessions().some((x) => x.clientId === 'node-path' && x.connected));
  await m.endAsync();
  broker.close();
});

test('MQTT.js <-> in-tab broker <-> Postcard client: QoS 0/1/2, v5 properties, will', async () => {
  const broker = lib.createBroker({ name: 'mqttjs-node' });
  await broker.ready;
  const r = await s.mqttjsInterop(mqtt, lib, broker, 'mqttjs-node');
  assert.deepEqual(r.granted, [2]);
  assert.deepEqual(r.toMqttjs.map((m) => [m.topic, m.payload, m.qos, m.contentType]),
    [0, 1, 2].map((q) => [`${r.topic}/to-mqttjs/${q}`, `from postcard ${q}`, q, 'x/y']));
  assert.deepEqual(r.fromMqttjs.map((m) => [m.topic, m.payload, m.qos]),
    [0, 1, 2].map((q) => [`${r.topic}/to-pc/${q}`, `from mqttjs ${q}`, q]));
  assert.deepEqual(r.will, { topic: `${r.topic}/will`, payload: 'mqttjs died' });
  broker.close();
});

test('MQTT.js 3.1.1 client alone: subscribe, publish, retained', async () => {
  const broker = lib.createBroker({ name: 'mqttjs-v4' });
  await broker.ready;
  const connects = [];
  broker.on('clientConnected', (e) => connects.push(e.clientId));
  const m = await mqtt.connectAsync('ws://mqttjs-v4', { ...broker.mqttjsOptions(), clientId: 'plain-mqttjs' });
  await m.publishAsync('r/t', 'retained!', { qos: 1, retain: true });
  const got = new Promise((res) => m.once('message', (t, p, packet) => res([t, p.toString(), packet.retain])));
  await m.subscribeAsync('r/#', { qos: 1 });
  assert.deepEqual(await got, ['r/t', 'retained!', true]);
  assert.deepEqual(connects, ['plain-mqttjs']);
  await m.endAsync();
  broker.close();
});
