// Crash test: persistent QoS 1 and QoS 2 subscribers are offline while MQTT.js publishers send numbered
// messages; the broker is killed with SIGKILL at random points (during publishing, and with compaction
// forced often) and restarted, 20 times. Then the subscribers come back: each gets every message whose
// PUBACK / PUBCOMP the publisher saw (the broker had acknowledged it), and the QoS 2 subscriber gets no
// message twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import mqtt from 'mqtt';
import { startPersistent, createSession, resumeSession, tempDir, freePort, sleep, url, waitFor } from './persistence_harness.mjs';

const cycles = Number(process.env.POSTCARD_CRASH_CYCLES ?? 20);

// Publishes numbered messages (a window of `window` in flight) until the connection dies, `stop()`, or
// `limit` messages (the subscribers' queues stay within max_queued_messages).
function publishLoop(port, topic, qos, next, acked, limit = 150) {
  let stopped = false;
  const client = mqtt.connect(url(port), { reconnectPeriod: 0, connectTimeout: 2000 });
  client.on('error', () => {});
  const done = new Promise((resolve) => {
    client.on('close', () => { stopped = true; resolve(); });
    client.on('connect', async () => {
      const window = 16;
      let inflight = 0;
      let sent = 0;
      while (!stopped) {
        if (inflight >= window || sent >= limit) { await sleep(1); continue; }
        sent++;
        const n = next();
        inflight++;
        client.publish(topic, String(n), { qos }, (err) => {
          inflight--;
          if (!err) acked.add(n);
        });
        await sleep(2);  // ~300 ms of publishing: the kill lands before, during or after it
      }
    });
  });
  return { done, stop: () => { stopped = true; client.end(true); } };
}

test(`${cycles} SIGKILLs lose no acknowledged message; QoS 2 exactly once`, { timeout: 120000 }, async () => {
  const port = await freePort();
  const state = tempDir('postcard-crash-');
  // Compaction every 10 changes, so kills also land during and between snapshot renames. A change record
  // covers one session per input, so a slower broker (the sanitizer build) reading bigger batches writes
  // fewer of them: at 50 it compacted fewer times than it was killed.
  const extra = 'autosave_on_changes true\nautosave_interval 10\nmax_queued_messages 0\n';
  let broker = await startPersistent(port, state, extra);
  await createSession(port, 'crash-q1', 'crash/q1', 1);
  await createSession(port, 'crash-q2', 'crash/q2', 2, 5);

  let counter = 0;
  const next = () => ++counter;
  const acked1 = new Set();
  const acked2 = new Set();
  let kills = 0;
  let midPublish = 0;
  for (let cycle = 0; cycle < cycles; cycle++) {
    if (cycle > 0) broker = await startPersistent(port, state, extra);
    const firstNumber = counter;
    const ackedBefore = acked1.size + acked2.size;
    const p1 = publishLoop(port, 'crash/q1', 1, next, acked1);
    const p2 = publishLoop(port, 'crash/q2', 2, next, acked2);
    await sleep(50 + Math.floor(Math.random() * 400));
    broker.child.kill('SIGKILL');
    await new Promise((r) => broker.child.once('exit', r));
    kills++;
    p1.stop();
    p2.stop();
    await Promise.all([p1.done, p2.done]);
    // Killed with messages sent but not yet acknowledged: the kill landed in the middle of publishing.
    if (acked1.size + acked2.size - ackedBefore < counter - firstNumber) midPublish++;
  }
  assert.equal(kills, cycles);
  assert.ok(acked1.size > 100 && acked2.size > 100, `too few acknowledged: ${acked1.size} ${acked2.size}`);
  assert.ok(midPublish >= cycles / 4, `only ${midPublish} kills landed while publishing`);
  // The snapshot's generation counts compactions: kills also fell among them.
  const generation = Number(readFileSync(path.join(state, 'postcard.db')).readBigUInt64LE(8));
  assert.ok(generation > cycles, `only ${generation} snapshot generations`);

  broker = await startPersistent(port, state, extra);
  try {
    const q1 = await resumeSession(port, 'crash-q1');
    const q2 = await resumeSession(port, 'crash-q2', 5);
    assert.equal(q1.connack.sessionPresent, true);
    assert.equal(q2.connack.sessionPresent, true);
    const have = (s, acked) => () => { const got = new Set(s.got.map((m) => Number(m.payload))); return [...acked].every((n) => got.has(n)); };
    try {
      await waitFor(have(q1, acked1), 20000, 'every acknowledged QoS 1 message');
      await waitFor(have(q2, acked2), 20000, 'every acknowledged QoS 2 message');
    } catch (e) {
      const got1 = new Set(q1.got.map((m) => Number(m.payload)));
      const got2 = new Set(q2.got.map((m) => Number(m.payload)));
      const missing1 = [...acked1].filter((n) => !got1.has(n));
      const missing2 = [...acked2].filter((n) => !got2.has(n));
      throw new Error(`${e.message}: missing QoS 1 ${missing1.length}/${acked1.size} ${missing1.slice(0, 10)}, ` +
        `QoS 2 ${missing2.length}/${acked2.size} ${missing2.slice(0, 10)}\n${broker.log()}`);
    }
    await sleep(300);  // room for duplicates to show
    const payloads2 = q2.got.map((m) => Number(m.payload));
    assert.equal(new Set(payloads2).size, payloads2.length, 'a QoS 2 message was delivered twice');
    assert.ok(q2.got.every((m) => m.qos === 2));
    console.log(`# ${kills} kills (${midPublish} while publishing, snapshot generation ${generation}); QoS 1: ${acked1.size} acknowledged, ${q1.got.length} delivered; ` +
      `QoS 2: ${acked2.size} acknowledged, ${q2.got.length} delivered`);
    await q1.client.endAsync();
    await q2.client.endAsync();
  } finally {
    assert.equal(await broker.stop(), 0, broker.log());
  }
});
