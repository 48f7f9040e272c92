// Helpers of the persistence tests: a Postcard broker with `persistence true` in a state directory that
// outlives the process (restarted on the same port), and small MQTT.js wrappers.
import mqtt from 'mqtt';
import { startBroker, tempDir, freePort, sleep } from '../interop/harness.mjs';

export { tempDir, freePort, sleep };

export function persistentConfig(port, stateDir, extra = '') {
  return `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence true\n` +
    `persistence_location ${stateDir}\n${extra}`;
}

export function startPersistent(port, stateDir, extra = '') {
  return startBroker({ configText: persistentConfig(port, stateDir, extra), waitPort: port });
}

export const url = (port) => `mqtt://127.0.0.1:${port}`;

// A persistent session (clean start off, session expiry for v5) with its subscriptions, then offline.
export async function createSession(port, clientId, filter, qos, protocolVersion = 4) {
  const c = await mqtt.connectAsync(url(port), {
    clientId, clean: false, protocolVersion, reconnectPeriod: 0,
    properties: protocolVersion === 5 ? { sessionExpiryInterval: 3600 } : undefined,
  });
  await c.subscribeAsync(filter, { qos });
  await c.endAsync();
}

// Connects a persistent session and collects its messages; `connack` is the CONNACK packet.
export async function resumeSession(port, clientId, protocolVersion = 4) {
  const got = [];
  const c = mqtt.connect(url(port), {
    clientId, clean: false, protocolVersion, reconnectPeriod: 0,
    properties: protocolVersion === 5 ? { sessionExpiryInterval: 3600 } : undefined,
  });
  c.on('message', (topic, payload, packet) => got.push({ topic, payload: payload.toString(), qos: packet.qos }));
  const connack = await new Promise((resolve, reject) => {
    c.once('connect', resolve);
    c.once('error', reject);
  });
  return { client: c, connack, got };
}

export async function waitFor(predicate, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
