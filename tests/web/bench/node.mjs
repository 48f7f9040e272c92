// In-process deliveries per second in Node: Postcard (in-tab broker + Postcard clients, MQTT.js
// clients, the engine alone) and Aedes with MQTT.js clients over in-memory streams.
//   node tests/web/bench/node.mjs        (needs web/dist: scripts/test-web.sh or node web/build.mjs)
import { Duplex } from 'node:stream';
import aedesModule from 'aedes';
import mqtt from 'mqtt';
import * as lib from '../../../web/dist/index.js';
import { runAll, shapes } from './workload.mjs';

const enc = new TextEncoder();

function duplexPair() {
  let a, b;
  a = new Duplex({ read() {}, write(chunk, _e, cb) { b.push(chunk); cb(); }, final(cb) { b.push(null); cb(); } });
  b = new Duplex({ read() {}, write(chunk, _e, cb) { a.push(chunk); cb(); }, final(cb) { a.push(null); cb(); } });
  return [a, b];
}

async function aedesRun({ pubs, subs, messages }, qos) {
  const broker = await aedesModule.createBroker();
  // MQTT.js's stream-builder hook: each client talks to Aedes through an in-memory duplex.
  const connect = (id) => new Promise((resolve, reject) => {
    const c = new mqtt.MqttClient(() => {
      const [client, server] = duplexPair();
      broker.handle(server);
      return client;
    }, { clientId: id, reconnectPeriod: 0, protocolVersion: 4, protocolId: 'MQTT', keepalive: 60, clean: true });
    c.once('connect', () => resolve(c));
    c.once('error', reject);
  });
  const payload = enc.encode('x'.repeat(16));
  const expected = messages * subs;
  let received = 0;
  let resolveDone;
  const done = new Promise((r) => (resolveDone = r));
  const clients = [];
  for (let i = 0; i < subs; i++) {
    const c = await connect(`sub${i}`);
    c.on('message', () => ++received === expected && resolveDone());
    await c.subscribeAsync('bench/#', { qos });
    clients.push(c);
  }
  const publishers = [];
  for (let i = 0; i < pubs; i++) publishers.push(await connect(`pub${i}`));
  const t0 = performance.now();
  const round = qos ? 500 : 2000;
  for (let sent = 0; sent < messages;) {
    const n = Math.min(round, messages - sent);
    const acks = [];
    for (let i = 0; i < n; i++) {
      const p = publishers[(sent + i) % pubs];
      const topic = `bench/${(sent + i) % pubs}`;
      acks.push(qos ? p.publishAsync(topic, payload, { qos }) : (p.publish(topic, payload, { qos }), undefined));
    }
    sent += n;
    if (qos) await Promise.all(acks);
    else await new Promise((r) => setImmediate(r));
  }
  await done;
  const ms = performance.now() - t0;
  await Promise.all([...clients, ...publishers].map((c) => c.endAsync()));
  await new Promise((r) => broker.close(r));
  return Math.round((expected / ms) * 1000);
}

const rows = await runAll(lib, mqtt, (row) => console.error(JSON.stringify(row)));
for (const row of rows) {
  const shape = shapes.find((s) => s.name === row.shape);
  row.aedes = await aedesRun({ ...shape, messages: Math.ceil(shape.messages / 4) }, row.qos);
  row.postcardVsAedes = +(row.postcard / row.aedes).toFixed(2);
}
console.log('Node', process.version, '- deliveries per second (16-byte payloads)');
console.table(rows);
