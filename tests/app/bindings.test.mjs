// The simulator's embind module (postcard-sim.mjs) under Node, as the app uses it: scenario errors as
// data, the packed event batch, the packet decoder, actions, broker state, and determinism.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { distDir } from './helpers.mjs';

let M;
before(async () => {
  globalThis.window ??= globalThis;
  const dir = path.join(distDir, 'sim');
  const { default: create } = await import(path.join(dir, 'postcard-sim.mjs'));
  M = await create({ wasmBinary: await readFile(path.join(dir, 'postcard-sim.wasm')) });
});

// The batch layout of simulator/wasm/sim_events.hpp, read independently of the app's reader.
function events(batch) {
  const v = new DataView(batch.buffer, batch.byteOffset, batch.byteLength);
  const out = [];
  let p = 4;
  const blob = () => { const n = v.getUint32(p, true); const b = batch.subarray(p + 4, p + 4 + n); p += 4 + n; return b; };
  const text = () => new TextDecoder().decode(blob());
  for (let i = 0, n = v.getUint32(0, true); i < n; i++) {
    const e = { kind: batch[p], up: batch[p + 1] === 0, type: batch[p + 2], lost: (batch[p + 3] & 1) !== 0,
      time: v.getUint32(p + 4, true), device: v.getUint32(p + 8, true), deliverAt: v.getUint32(p + 16, true) };
    p += 24;
    e.bytes = blob(); e.topic = text(); e.payload = text(); e.detail = text();
    out.push(e);
  }
  assert.equal(p, batch.length, 'the batch is consumed exactly');
  return out;
}

const tiny = JSON.stringify({ title: 't', seed: 3, duration_ms: 2000, devices: [
  { id: 's', kind: 'sensor', protocol: '5', link: { latency_ms: 5 },
    sensor: { topic: 'a/b', qos: 1, retain: true, every_ms: 500, count: 2, payload: 'v{seq}',
              properties: { user_properties: { k: 'v' }, content_type: 'text/plain' } } },
  { id: 'r', kind: 'subscriber', subscriptions: [{ filter: 'a/#', qos: 1 }] }] });

test('a scenario with mistakes comes back as errors, not a throw', () => {
  const w = new M.SimWorld();
  const r = JSON.parse(w.load('{"devices":[{"id":"x","link":{"loss":2}}],"bogus":1}', -1));
  assert.equal(r.ok, false);
  const paths = r.errors.map((e) => e.path);
  assert.ok(paths.includes('$.devices[0].link.loss'), paths.join(','));
  assert.ok(r.errors.length >= 2, 'every problem is reported');
  assert.equal(JSON.parse(w.load('not json', -1)).ok, false);
  w.delete();
});

test('events come as one batch with whole packets; decode gives every field and property', () => {
  const w = new M.SimWorld();
  const info = JSON.parse(w.load(tiny, -1));
  assert.equal(info.ok, true);
  assert.equal(info.devices, 2);
  w.runUntil(2000, 0);
  const ev = events(w.drain());
  assert.equal(events(w.drain()).length, 0, 'drained once');
  const packets = ev.filter((e) => e.kind === 0);
  assert.equal(packets[0].type, 1, 'the first packet is a CONNECT');
  const publish = packets.find((e) => e.type === 3 && e.up);
  assert.ok(publish.deliverAt >= publish.time + 5, 'latency applies');
  const d = JSON.parse(w.decode(publish.bytes, 5));
  assert.equal(d.packet.cmd, 'publish');
  assert.equal(d.packet.topic, 'a/b');
  assert.equal(d.packet.qos, 1);
  assert.equal(d.packet.retain, true);
  assert.equal(d.packet.properties.contentType, 'text/plain');
  assert.deepEqual(d.packet.properties.userPropertyList, [['k', 'v']]);
  assert.equal(d.payload, 'v0');
  assert.equal(d.headerSize + d.remainingLength, publish.bytes.length);
  const messages = ev.filter((e) => e.kind === 5).map((e) => e.payload);
  assert.deepEqual(messages, ['v0', 'v1']);
  assert.match(JSON.parse(w.decode(new Uint8Array([0x30, 9, 0]), 4)).error, /./, 'a broken packet is reported');
  w.delete();
});

test('actions, broker state and the device window', () => {
  const w = new M.SimWorld();
  assert.equal(JSON.parse(w.load(tiny, -1)).ok, true);
  w.runUntil(700, 0);
  const state = JSON.parse(w.brokerState(0, 10));
  assert.equal(state.counters.clientsConnected, 2);
  assert.deepEqual(state.retained.map((r) => [r.topic, r.payload]), [['a/b', 'v1']], 'the last retained sample');
  assert.deepEqual(state.subscriptions.map((s) => s.filter), ['a/#']);
  assert.deepEqual(JSON.parse(w.apply('{"at_ms":0,"do":"crash","device":"s"}')).errors, []);
  assert.ok(JSON.parse(w.apply('{"at_ms":0,"do":"explode","device":"s"}')).errors.length > 0);
  w.runUntil(800, 0);
  const rows = JSON.parse(w.devices(0, 1));
  assert.equal(rows.total, 2);
  assert.equal(rows.rows[0][0], 's');
  assert.equal(rows.rows[0][4], false, 'the crashed device is powered off');
  assert.equal(JSON.parse(w.devices(1, 5)).rows.length, 1);
  w.delete();
});

test('same seed, same batch bytes; reset replays the run', () => {
  const run = (w) => { w.runUntil(2000, 0); return Buffer.from(w.drain()).toString('hex'); };
  const a = new M.SimWorld();
  assert.equal(JSON.parse(a.load(tiny, -1)).ok, true);
  const first = run(a);
  assert.ok(first.length > 1000, 'the run recorded events');
  a.reset(-1);
  assert.equal(run(a), first);
  const b = new M.SimWorld();
  b.load(tiny, -1);
  assert.equal(run(b), first);
  a.delete();
  b.delete();
});

test('the shipped lessons are in the module', () => {
  const lessons = JSON.parse(M.lessons());
  assert.ok(lessons.length >= 7);
  const w = new M.SimWorld();
  for (const l of lessons) assert.equal(JSON.parse(w.load(l.json, -1)).ok, true, l.name);
  w.delete();
});
