// In-process deliveries per second in Node: Postcard (in-tab broker + Postcard clients, MQTT.js
// clients, the engine alone) and Aedes (in this process) with MQTT.js clients over loopback TCP.
//   node tests/web/bench/node.mjs        (needs web/dist: scripts/test-web.sh or node web/build.mjs)
import { createServer } from 'node:net';
import aedesModule from 'aedes';
import mqtt from 'mqtt';
import * as lib from '../../../web/dist/index.js';
import { runAll, shapes } from './workload.mjs';

const enc = new TextEncoder();

async function aedesRun({ pubs, subs, messages }, qos) {
  // Aedes in this process, MQTT.js clients over loopback TCP (an in-memory duplex pair stalled
  // MQTT.js's QoS 0 stream here).
  const broker = await aedesModule.createBroker();
  const server = createServer(broker.handle);
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `mqtt://127.0.0.1:${server.address().port}`;
  const connect = (id) => mqtt.connectAsync(url, { clientId: id, reconnectPeriod: 0 });
  const payload = Buffer.from('x'.repeat(16));  // MQTT.js in Node wants a Buffer or a string
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
  const stalled = new Promise((r) => {
    let last = -1;
    const check = setInterval(() => {
      if (received === last) { clearInterval(check); r('stalled'); }
      last = received;
    }, 2000);
    done.then(() => clearInterval(check));
  });
  if ((await Promise.race([done.then(() => 'done'), stalled])) === 'stalled') {
    console.error(`aedes: stalled at ${received}/${expected} deliveries`);
  }
  const ms = performance.now() - t0;
  await Promise.all([...clients, ...publishers].map((c) => c.endAsync()));
  await new Promise((r) => broker.close(r));
  server.close();
  return Math.round((expected / ms) * 1000);
}

// Aedes runs first: once MQTT.js has used forceNativeWebSocket (the in-tab hook) its protocol table
// is fixed for the process and mqtt:// would no longer resolve.
const only = process.argv[2];  // "aedes" runs the Aedes peer alone
const aedes = {};
for (const qos of [0, 1]) {
  for (const shape of shapes) {
    aedes[`${qos} ${shape.name}`] = await aedesRun({ ...shape, messages: Math.ceil(shape.messages / 4) }, qos);
    console.error(JSON.stringify({ qos, shape: shape.name, aedes: aedes[`${qos} ${shape.name}`] }));
  }
}
const rows = only === 'aedes'
  ? [0, 1].flatMap((qos) => shapes.map((s) => ({ qos, shape: s.name })))
  : await runAll(lib, mqtt, (row) => console.error(JSON.stringify(row)));
for (const row of rows) {
  row.aedes = aedes[`${row.qos} ${row.shape}`];
  if (row.postcard) row.postcardVsAedes = +(row.postcard / row.aedes).toFixed(2);
}
console.log('Node', process.version, '- deliveries per second (16-byte payloads)');
console.table(rows);
