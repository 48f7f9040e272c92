// In-tab broker persistence scenarios shared by the Node tests (fake-indexeddb) and the Chromium page
// (real IndexedDB, real reload). Each phase takes the library and returns plain data.
//   before(lib, name, persistence): a persistent-session subscriber goes offline, then a publisher sets
//     a retained message and publishes two QoS 1 messages that queue in the offline session.
//   after(lib, name, persistence): a fresh broker over the same database; the subscriber resumes.

const text = (b) => new TextDecoder().decode(b);
const withTimeout = (promise, ms, what) =>
  Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error(`timeout: ${what}`)), ms))]);

export const keeperId = 'keeper';

export async function before(lib, name, persistence, { close = false } = {}) {
  const broker = await lib.createBrokerAsync({ name, persistence });
  const url = `local://${name}`;
  const sub = await lib.connectAsync(url, { protocolVersion: 4, clientId: keeperId, clean: false, reconnectPeriod: 0 });
  const granted = await sub.subscribeAsync('persist/#', { qos: 1 });
  await sub.endAsync();
  const pub = await lib.connectAsync(url, { protocolVersion: 4, clientId: 'writer', reconnectPeriod: 0 });
  // publishAsync resolves on PUBACK, which the broker sends only after the log entry has committed.
  await pub.publishAsync('persist/retained', 'kept', { qos: 1, retain: true });
  await pub.publishAsync('persist/q', 'queued 1', { qos: 1 });
  await pub.publishAsync('persist/q', 'queued 2', { qos: 1 });
  await pub.endAsync();
  const sessions = broker.sessions().filter((s) => s.clientId === keeperId);
  if (close) await new Promise((resolve) => broker.close(resolve));
  return { granted: granted.map((g) => g.qos), queued: sessions.map((s) => s.queued), broker: close ? undefined : broker };
}

export async function after(lib, name, persistence) {
  const broker = lib.createBroker({ name, persistence });
  const errors = [];
  broker.on('error', (e) => errors.push(String(e)));
  await broker.ready;
  const url = `local://${name}`;
  const retained = broker.retained().map((r) => r.topic).sort();
  const sessions = broker.sessions().map((s) => ({ clientId: s.clientId, queued: s.queued, subscriptions: s.subscriptions }));
  const received = [];
  const sub = lib.connect(url, { protocolVersion: 4, clientId: keeperId, clean: false, reconnectPeriod: 0 });
  const three = new Promise((resolve) => {
    sub.on('message', (topic, payload, packet) => {
      received.push({ topic, payload: text(payload), qos: packet.qos });
      if (received.length === 3) resolve();
    });
  });
  const [connack] = await withTimeout(new Promise((resolve) => sub.once('connect', (...a) => resolve(a))), 5000, 'connack');
  await withTimeout(three, 5000, 'queued messages');
  await sub.endAsync();
  const late = await lib.connectAsync(url, { protocolVersion: 4, clientId: 'late', reconnectPeriod: 0 });
  const got = new Promise((resolve) => late.once('message', (t, p, packet) => resolve({ topic: t, payload: text(p), retain: packet.retain })));
  await late.subscribeAsync('persist/retained', { qos: 1 });
  const retainedMessage = await withTimeout(got, 5000, 'retained message');
  await late.endAsync();
  await new Promise((resolve) => broker.close(resolve));
  return { sessionPresent: connack.sessionPresent, received, retained, sessions, retainedMessage, errors };
}
