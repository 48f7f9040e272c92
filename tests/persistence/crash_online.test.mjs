// Crash test with the QoS 2 subscriber online: MQTT.js keeps its persistent session (clean off) and
// reconnects after every SIGKILL, so the kills land between PUBLISH, PUBREC, PUBREL and PUBCOMP of the
// broker-to-subscriber flow. Every message the publisher saw completed is delivered, none twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import { startPersistent, createSession, tempDir, freePort, sleep, url, waitFor } from './persistence_harness.mjs';

const cycles = Number(process.env.POSTCARD_CRASH_CYCLES ?? 20) / 2;

test(`${cycles} SIGKILLs with the QoS 2 subscriber online: exactly once`, { timeout: 120000 }, async () => {
  const port = await freePort();
  const state = tempDir('postcard-crash-online-');
  let broker = await startPersistent(port, state, 'max_queued_messages 0\n');
  await createSession(port, 'online-q2', 'online/q2', 2, 5);
  const got = [];
  const sub = mqtt.connect(url(port), {
    clientId: 'online-q2', clean: false, protocolVersion: 5, reconnectPeriod: 50, connectTimeout: 2000,
    properties: { sessionExpiryInterval: 3600 },
  });
  sub.on('error', () => {});
  sub.on('message', (topic, payload) => got.push(Number(payload.toString())));

  const acked = new Set();
  let counter = 0;
  for (let cycle = 0; cycle <= cycles; cycle++) {
    if (cycle > 0) broker = await startPersistent(port, state, 'max_queued_messages 0\n');
    const pub = mqtt.connect(url(port), { reconnectPeriod: 0, connectTimeout: 2000 });
    pub.on('error', () => {});
    await new Promise((r) => { pub.once('connect', r); pub.once('close', r); });
    const killAt = Date.now() + 50 + Math.floor(Math.random() * 300);
    for (let i = 0; i < 100 && pub.connected; i++) {
      const n = ++counter;
      pub.publish('online/q2', String(n), { qos: 2 }, (err) => { if (!err) acked.add(n); });
      await sleep(3);
      if (cycle < cycles && Date.now() >= killAt) break;
    }
    if (cycle < cycles) {
      broker.child.kill('SIGKILL');
      await new Promise((r) => broker.child.once('exit', r));
    }
    pub.end(true);
  }
  try {
    const missing = () => [...acked].filter((n) => !got.includes(n));
    await waitFor(() => missing().length === 0, 20000, 'every completed message').catch((e) => {
      throw new Error(`${e.message}: ${missing().length}/${acked.size} missing, e.g. ${missing().slice(0, 10)}\n${broker.log()}`);
    });
    await sleep(300);
    const dups = got.filter((n, i) => got.indexOf(n) !== i);
    assert.deepEqual(dups, [], 'delivered twice');
    assert.ok(acked.size > 100, `too few completed: ${acked.size}`);
    console.log(`# ${cycles} kills; ${acked.size} completed, ${got.length} delivered, none twice`);
  } finally {
    await sub.endAsync();
    assert.equal(await broker.stop(), 0, broker.log());
  }
});
