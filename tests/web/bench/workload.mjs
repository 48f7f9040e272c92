// Benchmark workloads shared by Node and Chromium: P publishers, S subscribers, every subscriber
// subscribed to the publishers' topics (bench/#), so each message is delivered S times.
//   postcardClients: Postcard's JS client <-> in-tab broker (local://)
//   mqttjsClients:   MQTT.js (given) <-> in-tab broker (broker.mqttjsOptions())
//   rawBroker:       the broker engine alone: pre-encoded MQTT 3.1.1 packets in, byte counting out
const enc = new TextEncoder();

export const shapes = [
  { name: '1->1', pubs: 1, subs: 1, messages: 200_000 },
  { name: '16->16', pubs: 16, subs: 16, messages: 25_000 },
  { name: '1->1000', pubs: 1, subs: 1000, messages: 400 },
];

const clock = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());
const tick = () => new Promise((r) => setTimeout(r, 0));

async function drive(publishers, messages, qos, payload, done, publish) {
  // Publish in rounds so the event loop (and the QoS 1 acks) keep flowing.
  const round = qos === 0 ? 2000 : 500;
  let sent = 0;
  while (sent < messages) {
    const n = Math.min(round, messages - sent);
    const acks = [];
    for (let i = 0; i < n; i++) acks.push(publish(publishers[(sent + i) % publishers.length], `bench/${(sent + i) % publishers.length}`, payload, qos));
    sent += n;
    if (qos) await Promise.all(acks);
    else await tick();
  }
  await done;
}

async function runClients(connect, { pubs, subs, messages, qos }, publish) {
  const payload = enc.encode('x'.repeat(16));
  const expected = messages * subs;
  let received = 0;
  let resolveDone;
  const done = new Promise((r) => (resolveDone = r));
  const subscribers = [];
  for (let i = 0; i < subs; i++) {
    const c = await connect(`sub${i}`);
    c.on('message', () => {
      if (++received === expected) resolveDone();
    });
    await c.subscribeAsync('bench/#', { qos });
    subscribers.push(c);
  }
  const publishers = [];
  for (let i = 0; i < pubs; i++) publishers.push(await connect(`pub${i}`));
  const t0 = clock();
  await drive(publishers, messages, qos, payload, done, publish);
  const ms = clock() - t0;
  await Promise.all([...subscribers, ...publishers].map((c) => c.endAsync()));
  return { deliveries: expected, ms, perSecond: Math.round((expected / ms) * 1000) };
}

let runId = 0;
export async function postcardClients(lib, shape, qos) {
  const name = `bench-${++runId}`;
  const broker = lib.createBroker({ name, maxQueuedMessages: 0, maxInflightMessages: 1000 });
  await broker.ready;
  const r = await runClients((id) => lib.connectAsync(`local://${name}`, { clientId: id, reconnectPeriod: 0 }), { ...shape, qos },
    (c, topic, payload, q) => (q ? c.publishAsync(topic, payload, { qos: q }) : c.publish(topic, payload, { qos: q })));
  broker.close();
  return r;
}

export async function mqttjsClients(mqtt, lib, shape, qos) {
  const name = `bench-${++runId}`;
  const broker = lib.createBroker({ name, maxQueuedMessages: 0, maxInflightMessages: 1000 });
  await broker.ready;
  const r = await runClients((id) => mqtt.connectAsync(`ws://${name}`, { ...broker.mqttjsOptions(), clientId: id, reconnectPeriod: 0 }),
    { ...shape, qos }, (c, topic, payload, q) => (q ? c.publishAsync(topic, payload, { qos: q }) : c.publish(topic, payload, { qos: q })));
  broker.close();
  return r;
}

// --- the broker engine alone
function utf8(s) {
  const b = enc.encode(s);
  return [b.length >> 8, b.length & 255, ...b];
}
function packet(first, body) {
  const len = [];
  let n = body.length;
  do {
    let d = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) d |= 128;
    len.push(d);
  } while (n > 0);
  return [first, ...len, ...body];
}
const connectPacket = (id) => Uint8Array.from(packet(0x10, [...utf8('MQTT'), 4, 2, 0, 60, ...utf8(id)]));
const subscribePacket = (filter, qos) => Uint8Array.from(packet(0x82, [0, 1, ...utf8(filter), qos]));
const publishPacket = (topic, payload, qos, id) =>
  packet(0x30 | (qos << 1), [...utf8(topic), ...(qos ? [id >> 8, id & 255] : []), ...payload]);

export async function rawBroker(lib, { pubs, subs, messages }, qos) {
  const name = `bench-${++runId}`;
  const broker = lib.createBroker({ name, maxQueuedMessages: 0, maxInflightMessages: 1000 });
  await broker.ready;
  const payload = [...enc.encode('x'.repeat(16))];
  const delivered = publishPacket('bench/0', payload, 0, 0).length;  // what a QoS 0 subscriber gets
  let bytes = 0;
  const subscribers = [];
  for (let i = 0; i < subs; i++) {
    let seen = 0;
    const conn = broker.accept({ send: (b) => { seen += b.length; if (seen > 9) bytes += b.length; }, close() {} });
    conn.write(connectPacket(`sub${i}`));
    conn.write(subscribePacket('bench/#', 0));
    subscribers.push(conn);
  }
  bytes = 0;
  const publishers = [];
  for (let i = 0; i < pubs; i++) {
    const conn = broker.accept({ send() {}, close() {} });
    conn.write(connectPacket(`pub${i}`));
    publishers.push(conn);
  }
  // Pre-encode batches of 64 PUBLISHes per write (one receive call each).
  const perWrite = 64;
  const writes = [];
  for (let p = 0; p < pubs; p++) {
    const chunk = [];
    for (let i = 0; i < perWrite; i++) chunk.push(...publishPacket(`bench/${p}`, payload, qos, (i % 60000) + 1));
    writes.push(Uint8Array.from(chunk));
  }
  const rounds = Math.ceil(messages / perWrite / pubs);
  const t0 = clock();
  for (let r = 0; r < rounds; r++) for (let p = 0; p < pubs; p++) publishers[p].write(writes[p]);
  const ms = clock() - t0;
  const deliveries = Math.round(bytes / delivered);
  for (const c of [...subscribers, ...publishers]) c.end();
  broker.close();
  return { deliveries, expected: rounds * perWrite * pubs * subs, ms, perSecond: Math.round((deliveries / ms) * 1000) };
}

export async function runAll(lib, mqtt, log) {
  const results = [];
  for (const qos of [0, 1]) {
    for (const shape of shapes) {
      const row = { qos, shape: shape.name };
      row.postcard = (await postcardClients(lib, shape, qos)).perSecond;
      if (mqtt) row.mqttjsOnPostcard = (await mqttjsClients(mqtt, lib, { ...shape, messages: Math.ceil(shape.messages / 4) }, qos)).perSecond;
      row.rawEngine = (await rawBroker(lib, shape, qos)).perSecond;
      log?.(row);
      results.push(row);
    }
  }
  return results;
}
