// Restart tests of the native broker with `persistence true`: retained messages and sessions survive
// SIGKILL and SIGTERM (subscriptions kept, session present = 1), SIGTERM leaves a fresh snapshot, and a
// damaged state file (truncated mid-record, flipped bytes) is recovered up to its last good record with
// a log line, never a crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, statSync, truncateSync } from 'node:fs';
import path from 'node:path';
import mqtt from 'mqtt';
import { startPersistent, createSession, resumeSession, tempDir, freePort, url, waitFor } from './persistence_harness.mjs';

async function publish(port, topic, payload, opts) {
  const c = await mqtt.connectAsync(url(port), { reconnectPeriod: 0 });
  await c.publishAsync(topic, payload, opts);
  await c.endAsync();
}

async function retainedOf(port, filter, count) {
  const c = await mqtt.connectAsync(url(port), { reconnectPeriod: 0 });
  const got = new Map();
  c.on('message', (topic, payload, packet) => { if (packet.retain) got.set(topic, payload.toString()); });
  await c.subscribeAsync(filter, { qos: 1 });
  try {
    await waitFor(() => got.size >= count, 3000, `${count} retained messages`);
  } finally {
    await c.endAsync();
  }
  return got;
}

async function kill(broker) {
  broker.child.kill('SIGKILL');
  await new Promise((r) => broker.child.once('exit', r));
}

for (const signal of ['SIGKILL', 'SIGTERM']) {
  test(`retained messages and sessions survive ${signal}`, async () => {
    const port = await freePort();
    const state = tempDir('postcard-restart-');
    let broker = await startPersistent(port, state);
    await createSession(port, 'keeper-4', 'news/#', 1, 4);
    await createSession(port, 'keeper-5', 'news/#', 2, 5);
    await publish(port, 'config/a', 'alpha', { qos: 1, retain: true });
    await publish(port, 'config/b', 'beta', { qos: 1, retain: true });
    await publish(port, 'config/c', 'gamma', { qos: 1, retain: true });
    await publish(port, 'config/c', '', { qos: 1, retain: true });  // clears config/c
    await publish(port, 'news/1', 'queued while offline', { qos: 1 });
    if (signal === 'SIGKILL') await kill(broker); else assert.equal(await broker.stop('SIGTERM'), 0);

    broker = await startPersistent(port, state);
    try {
      assert.match(broker.log(), /Persistence: restored 2 retained messages and 2 sessions/);
      assert.deepEqual([...(await retainedOf(port, 'config/#', 2))].sort(), [['config/a', 'alpha'], ['config/b', 'beta']]);
      for (const [id, v] of [['keeper-4', 4], ['keeper-5', 5]]) {
        const s = await resumeSession(port, id, v);
        assert.equal(s.connack.sessionPresent, true, id);
        await waitFor(() => s.got.length >= 1, 3000, `the queued message for ${id}`);
        assert.equal(s.got[0].payload, 'queued while offline');
        // No SUBSCRIBE in this connection: the subscription itself was restored.
        await publish(port, 'news/2', 'after restart', { qos: 1 });
        await waitFor(() => s.got.length >= 2, 3000, `a new message for ${id}`);
        assert.equal(s.got[1].payload, 'after restart');
        await s.client.endAsync();
      }
    } finally {
      assert.equal(await broker.stop(), 0, broker.log());
    }
  });
}

test('SIGTERM writes a snapshot and leaves an empty log', async () => {
  const port = await freePort();
  const state = tempDir('postcard-sigterm-');
  const broker = await startPersistent(port, state);
  for (let i = 0; i < 20; i++) await publish(port, `t/${i}`, `v${i}`, { qos: 1, retain: true });
  const logBytes = statSync(path.join(state, 'postcard.db.log')).size;
  assert.ok(logBytes > 20 * 20, `the log holds the changes before shutdown (${logBytes} bytes)`);
  assert.equal(await broker.stop('SIGTERM'), 0);
  assert.match(broker.log(), /Persistence: state saved \(\d+ bytes\)/);
  assert.equal(statSync(path.join(state, 'postcard.db.log')).size, 20, 'log = header only');
  const snapshot = readFileSync(path.join(state, 'postcard.db'));
  for (let i = 0; i < 20; i++) assert.ok(snapshot.includes(`v${i}`), `snapshot holds t/${i}`);
});

test('a truncated log and a damaged snapshot are recovered up to their last good record', async () => {
  const port = await freePort();
  const state = tempDir('postcard-damage-');
  let broker = await startPersistent(port, state);
  for (let i = 0; i < 10; i++) await publish(port, `snap/${i}`, `s${i}`, { qos: 1, retain: true });
  assert.equal(await broker.stop('SIGTERM'), 0);  // snap/0..9 in the snapshot
  broker = await startPersistent(port, state);
  for (let i = 0; i < 10; i++) await publish(port, `log/${i}`, `l${i}`, { qos: 1, retain: true });
  await kill(broker);  // log/0..9 in the log

  const logFile = path.join(state, 'postcard.db.log');
  truncateSync(logFile, statSync(logFile).size - 5);  // log/9 cut mid-record
  const snapFile = path.join(state, 'postcard.db');
  const snap = readFileSync(snapFile);
  const at = snap.indexOf('s7');  // flip bytes inside the record of snap/7
  snap[at] ^= 0xFF;
  snap[at + 1] ^= 0x0F;
  writeFileSync(snapFile, snap);

  broker = await startPersistent(port, state);
  try {
    assert.match(broker.log(), /snapshot .*postcard\.db: damaged at byte \d+ \(checksum mismatch\): recovered \d+ records/);
    assert.match(broker.log(), /log .*postcard\.db\.log: damaged at byte \d+ \(truncated record/);
    const snapTopics = await retainedOf(port, 'snap/#', 1);
    const logTopics = await retainedOf(port, 'log/#', 9);
    // Snapshot records are in retained-store order: what precedes the damaged one is kept, not the rest.
    assert.ok(!snapTopics.has('snap/7'), 'the damaged record is dropped');
    assert.ok(snapTopics.size >= 1 && snapTopics.size < 10, `recovered ${snapTopics.size} of 10`);
    assert.deepEqual([...logTopics.keys()].sort(), [...Array(9).keys()].map((i) => `log/${i}`));
    assert.equal(logTopics.get('log/8'), 'l8');
    await publish(port, 'after/damage', 'ok', { qos: 1, retain: true });
    assert.equal((await retainedOf(port, 'after/#', 1)).get('after/damage'), 'ok');
  } finally {
    assert.equal(await broker.stop(), 0, broker.log());
  }
  // The recovery left clean files behind: the next start reports no damage and keeps everything.
  broker = await startPersistent(port, state);
  try {
    assert.doesNotMatch(broker.log(), /damaged/);
    assert.equal((await retainedOf(port, 'log/#', 9)).size, 9);
  } finally {
    assert.equal(await broker.stop(), 0, broker.log());
  }
});
