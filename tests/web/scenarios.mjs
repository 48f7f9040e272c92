// Round-trip scenarios shared by the Node tests and the Chromium page / worker: each takes the
// library (web/dist/index.js) and returns plain data that the tests assert on.

const text = (b) => new TextDecoder().decode(b);
const withTimeout = (promise, ms, what) =>
  Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error(`timeout: ${what}`)), ms))]);
const once = (emitter, event) => new Promise((resolve) => emitter.once(event, (...args) => resolve(args)));

let counter = 0;
const unique = (prefix) => `${prefix}-${Date.now().toString(36)}-${++counter}`;

// Postcard client -> broker -> Postcard client at QoS 0, 1, 2 (v3.1.1 or v5).
export async function qosRoundTrip(lib, url, { protocolVersion = 4, options = {} } = {}) {
  const topic = unique('pc/qos');
  const sub = await lib.connectAsync(url, { protocolVersion, clientId: unique('sub'), ...options });
  const pub = await lib.connectAsync(url, { protocolVersion, clientId: unique('pub'), ...options });
  const received = [];
  const all = new Promise((resolve) => {
    sub.on('message', (t, payload, packet) => {
      received.push({ topic: t, payload: text(payload), qos: packet.qos, retain: packet.retain });
      if (received.length === 3) resolve();
    });
  });
  const granted = await sub.subscribeAsync(`${topic}/#`, { qos: 2 });
  const acks = [];
  for (const qos of [0, 1, 2]) {
    const packet = await pub.publishAsync(`${topic}/${qos}`, `payload ${qos}`, { qos });
    acks.push({ qos, messageId: packet?.messageId });
  }
  await withTimeout(all, 5000, 'three messages');
  received.sort((a, b) => a.qos - b.qos);
  await pub.endAsync();
  await sub.endAsync();
  return { granted: granted.map((g) => g.qos), acks, received, topic };
}

// A retained message reaches a later subscriber with the retain flag; an empty one clears it.
export async function retained(lib, url, { protocolVersion = 4 } = {}) {
  const topic = unique('pc/retained');
  const pub = await lib.connectAsync(url, { protocolVersion, clientId: unique('pub') });
  await pub.publishAsync(topic, 'kept', { qos: 1, retain: true });
  const sub = await lib.connectAsync(url, { protocolVersion, clientId: unique('sub') });
  const got = once(sub, 'message');
  await sub.subscribeAsync(topic, { qos: 1 });
  const [t, payload, packet] = await withTimeout(got, 5000, 'retained message');
  await pub.publishAsync(topic, '', { qos: 1, retain: true });
  const sub2 = await lib.connectAsync(url, { protocolVersion, clientId: unique('sub2') });
  let late = 0;
  sub2.on('message', () => late++);
  await sub2.subscribeAsync(topic, { qos: 1 });
  await new Promise((r) => setTimeout(r, 100));
  await Promise.all([pub.endAsync(), sub.endAsync(), sub2.endAsync()]);
  return { topic: t, payload: text(payload), retain: packet.retain, afterClear: late };
}

// v5 properties travel end to end (content type, response topic, correlation data, user properties,
// message expiry) and the subscription identifier comes back.
export async function v5Properties(lib, url) {
  const topic = unique('pc/v5');
  const sub = await lib.connectAsync(url, { protocolVersion: 5, clientId: unique('sub') });
  const pub = await lib.connectAsync(url, { protocolVersion: 5, clientId: unique('pub') });
  const got = once(sub, 'message');
  await sub.subscribeAsync(topic, { qos: 1, properties: { subscriptionIdentifier: 42 } });
  await pub.publishAsync(topic, 'with properties', {
    qos: 1,
    properties: {
      contentType: 'text/plain',
      responseTopic: `${topic}/reply`,
      correlationData: new Uint8Array([1, 2, 3]),
      userProperties: { a: '1', b: ['x', 'y'] },
      messageExpiryInterval: 3600,
    },
  });
  const [, payload, packet] = await withTimeout(got, 5000, 'v5 message');
  await Promise.all([pub.endAsync(), sub.endAsync()]);
  const p = packet.properties ?? {};
  return {
    payload: text(payload),
    contentType: p.contentType,
    responseTopic: p.responseTopic,
    correlationData: p.correlationData ? [...p.correlationData] : undefined,
    userProperties: p.userProperties,
    subscriptionIdentifier: p.subscriptionIdentifier,
    expiry: p.messageExpiryInterval,
    topic,
  };
}

// The will of a client the broker disconnects (administrative action) reaches a subscriber.
export async function willOnKick(lib, broker, url) {
  const topic = unique('pc/will');
  const watcher = await lib.connectAsync(url, { protocolVersion: 5, clientId: unique('watch') });
  const got = once(watcher, 'message');
  await watcher.subscribeAsync(topic, { qos: 1 });
  const id = unique('doomed');
  const doomed = await lib.connectAsync(url, {
    protocolVersion: 5, clientId: id, reconnectPeriod: 0,
    will: { topic, payload: 'gone', qos: 1, retain: false, properties: { contentType: 'text/plain' } },
  });
  const disconnected = once(doomed, 'disconnect');
  broker.disconnect(id);
  const [packet] = await withTimeout(disconnected, 5000, 'DISCONNECT from broker');
  const [t, payload, msg] = await withTimeout(got, 5000, 'will message');
  doomed.end();
  await watcher.endAsync();
  return { reasonCode: packet.reasonCode, topic: t, payload: text(payload), contentType: msg.properties?.contentType, expected: topic };
}

// Reconnect and resend: a QoS 1 publish whose PUBLISH the broker never acknowledges (the broker drops
// the client first) is resent with DUP on the new connection of the same session (clean false); a
// publish made while offline is queued and sent after the reconnect. With `clean`, the subscription
// comes back through resubscribe.
export async function reconnectResend(lib, broker, url, { clean = false } = {}) {
  const topic = unique('pc/resend');
  const id = unique('resender');
  const seen = [];
  const onPacket = (e) => {
    if (e.clientId === id && e.packet.cmd === 'publish') seen.push({ topic: e.packet.topic, dup: e.packet.dup });
  };
  broker.on('packetIn', onPacket);
  const client = await lib.connectAsync(url, { protocolVersion: 4, clientId: id, clean, reconnectPeriod: 50 });
  await client.subscribeAsync(topic, { qos: 1 });
  const messages = [];
  client.on('message', (t, p) => messages.push(text(p)));
  let reconnects = 0;
  client.on('reconnect', () => reconnects++);
  // The PUBLISH is still in the in-tab pipe when the broker drops the client.
  const first = client.publishAsync(topic, 'first', { qos: 1 });
  broker.disconnect(id);
  await once(client, 'offline');
  const second = client.publishAsync(topic, 'while offline', { qos: 1 });
  const offlineQueued = client.queuedCount;
  await withTimeout(Promise.all([first, second]), 5000, 'acks after reconnect');
  const deadline = Date.now() + 3000;
  while (messages.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  broker.off('packetIn', onPacket);
  await client.endAsync();
  return { reconnects, offlineQueued, seen, messages: messages.sort() };
}

// Unmodified MQTT.js <-> the in-tab broker (through broker.mqttjsOptions()), with a Postcard client
// on the other side; MQTT.js's will fires when its stream dies without DISCONNECT.
export async function mqttjsInterop(mqtt, lib, broker, name) {
  const topic = unique('pc/mqttjs');
  const pc = await lib.connectAsync(`local://${name}`, { protocolVersion: 5, clientId: unique('pc') });
  const fromMqttjs = [];
  pc.on('message', (t, p, packet) => t.includes('/to-pc/') && fromMqttjs.push({ topic: t, payload: text(p), qos: packet.qos }));
  await pc.subscribeAsync(`${topic}/to-pc/#`, { qos: 2 });
  await pc.subscribeAsync(`${topic}/will`, { qos: 1 });
  const opts = { ...broker.mqttjsOptions(), protocolVersion: 5, clientId: unique('mqttjs'), reconnectPeriod: 0,
    will: { topic: `${topic}/will`, payload: 'mqttjs died', qos: 1, retain: false } };
  const m = await mqtt.connectAsync(`ws://${name}`, opts);
  const toMqttjs = [];
  const got3 = new Promise((resolve) => m.on('message', (t, p, packet) => {
    toMqttjs.push({ topic: t, payload: text(p), qos: packet.qos, contentType: packet.properties?.contentType });
    if (toMqttjs.length === 3) resolve();
  }));
  const granted = await m.subscribeAsync(`${topic}/to-mqttjs/#`, { qos: 2 });
  for (const qos of [0, 1, 2]) {
    await m.publishAsync(`${topic}/to-pc/${qos}`, `from mqttjs ${qos}`, { qos });
    await pc.publishAsync(`${topic}/to-mqttjs/${qos}`, `from postcard ${qos}`, { qos, properties: { contentType: 'x/y' } });
  }
  await withTimeout(got3, 5000, 'messages to MQTT.js');
  const deadline = Date.now() + 3000;
  while (fromMqttjs.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const willGot = once(pc, 'message');
  m.stream.destroy();  // the transport dies without DISCONNECT
  const [willTopic, willPayload] = await withTimeout(willGot, 5000, 'MQTT.js will');
  m.end(true);
  await pc.endAsync();
  toMqttjs.sort((a, b) => a.qos - b.qos);
  fromMqttjs.sort((a, b) => a.qos - b.qos);
  return { granted: granted.map((g) => g.qos), toMqttjs, fromMqttjs, will: { topic: willTopic, payload: text(willPayload) }, topic };
}

// Everything a page or worker checks, in one go (Chromium runs this through the built files).
export async function inTabSuite(lib, mqtt) {
  const name = unique('tab');
  const broker = lib.createBroker({ name });
  await broker.ready;
  const url = `local://${name}`;
  const out = {};
  out.qos = await qosRoundTrip(lib, url);
  out.qos5 = await qosRoundTrip(lib, url, { protocolVersion: 5 });
  out.retained = await retained(lib, url);
  out.v5 = await v5Properties(lib, url);
  out.will = await willOnKick(lib, broker, url);
  out.resend = await reconnectResend(lib, broker, url);
  out.resendClean = await reconnectResend(lib, broker, url, { clean: true });
  if (mqtt) out.mqttjs = await mqttjsInterop(mqtt, lib, broker, name);
  out.stats = broker.stats();
  broker.close();
  return out;
}
