// Abuse tests against the native broker over real sockets: a subscriber that never reads, floods of
// silent or half-open connections, max_connections, oversize packets, and every malformed packet a
// client can send. Each checks the broker's memory (VmRSS / VmHWM from /proc) and that a well-behaved
// client keeps being served.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import tls from 'node:tls';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import mqttPacket from 'mqtt-packet';
import WebSocket from 'ws';
import { startBroker, freePort, sleep, root, tempDir } from './harness.mjs';
import { makeCertificates } from './certificates.mjs';

const KiB = 1024;
const MiB = 1024 * 1024;

function procStatusKb(pid, field) {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
  return Number(m[1]);
}
const rss = (broker) => procStatusKb(broker.child.pid, 'VmRSS') * KiB;
const peakRss = (broker) => procStatusKb(broker.child.pid, 'VmHWM') * KiB;
const mb = (bytes) => (bytes / MiB).toFixed(1);
// Under AddressSanitizer (the sanitizer stage runs these suites too) freed memory sits in a quarantine and
// RSS says nothing about what the broker holds: the memory bounds are checked in ordinary builds only.
const sanitized = (broker) => readFileSync(`/proc/${broker.child.pid}/maps`, 'utf8').includes('libasan');

async function metrics(port) {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  const text = await res.text();
  const values = new Map();
  for (const line of text.split('\n')) {
    const m = line.match(/^(postcard_\S+) (\d+)$/);
    if (m) values.set(m[1], Number(m[2]));
  }
  return values;
}

function vbi(n) {
  const out = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}
// A packet from its first byte and body bytes (Remaining Length computed).
const pkt = (first, body) => Buffer.from([first, ...vbi(body.length), ...body]);

// A raw MQTT client on a net.Socket: packets generated and parsed by mqtt-packet (MQTT.js's codec), so
// the test controls every byte and every read.
class RawClient {
  static open(port, version = 4, { secure = false } = {}) {
    return new Promise((resolve, reject) => {
      const socket = secure ? tls.connect({ port, host: '127.0.0.1', rejectUnauthorized: false })
        : net.connect(port, '127.0.0.1');
      socket.once(secure ? 'secureConnect' : 'connect', () => resolve(new RawClient(socket, version)));
      socket.once('error', reject);
    });
  }
  constructor(socket, version) {
    this.socket = socket;
    this.version = version;
    this.queue = [];
    this.waiters = [];
    this.onPublish = null;  // when set, PUBLISHes go here instead of the queue
    this.bytesIn = 0;
    this.parser = mqttPacket.parser({ protocolVersion: version });
    this.parser.on('packet', (p) => {
      if (p.cmd === 'publish' && this.onPublish) return this.onPublish(p);
      this.queue.push(p);
      this.wake();
    });
    this.parser.on('error', () => {});
    socket.on('data', (d) => { this.bytesIn += d.length; this.parser.parse(d); });
    socket.on('error', () => {});
    this.closed = new Promise((resolve) => socket.once('close', () => { this.isClosed = true; this.wake(); resolve(); }));
  }
  wake() {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
  send(p) { return this.socket.write(mqttPacket.generate(p, { protocolVersion: this.version })); }
  raw(bytes) { return this.socket.write(bytes); }
  // The next packet with cmd `cmd` (others before it are skipped), or null if the socket closes first.
  async next(cmd, timeoutMs = 10000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.queue.findIndex((p) => p.cmd === cmd);
      if (i >= 0) return this.queue.splice(i, 1)[0];
      if (this.isClosed) return null;
      if (Date.now() > deadline) throw new Error(`no ${cmd} within ${timeoutMs} ms`);
      await new Promise((r) => { this.waiters.push(r); setTimeout(r, 50); });
    }
  }
  async connect(clientId, extra = {}) {
    this.send({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: this.version, clean: true, clientId, keepalive: 0, ...extra });
    const ack = await this.next('connack');
    assert.ok(ack, `CONNACK for ${clientId}`);
    assert.equal(this.version === 5 ? ack.reasonCode : ack.returnCode, 0, `CONNACK for ${clientId}`);
    return this;
  }
  async subscribe(topics, messageId = 1) {
    this.send({ cmd: 'subscribe', messageId, subscriptions: topics.map(([topic, qos]) => ({ topic, qos })) });
    assert.ok(await this.next('suback'));
  }
  async ping() {
    const t0 = performance.now();
    this.send({ cmd: 'pingreq' });
    assert.ok(await this.next('pingresp'), 'PINGRESP');
    return performance.now() - t0;
  }
  end() { this.socket.destroy(); }
}

async function client(port, clientId, version = 4) {
  return (await RawClient.open(port, version)).connect(clientId);
}

// ---- (a) a subscriber that never reads ------------------------------------------------------------------

describe('a subscriber that never reads', () => {
  // Limits of this broker, and what they allow the broker to hold for the two subscribers:
  const payloadSize = 64 * KiB;
  const maxQueuedBytes = 2 * MiB;         // per session, beyond the inflight window
  const highWater = 256 * KiB;            // max_outgoing_bytes; reading pauses at 4x
  const inflight = 20 * payloadSize;      // max_inflight_messages 20 (default)
  // Per subscriber: queue + inflight window + outbound buffer (read-pause mark + one drain batch).
  const perSubscriber = maxQueuedBytes + inflight + 4 * highWater + inflight;
  const bound = 2 * perSubscriber + 8 * MiB;  // + read buffers, framer, allocator slack
  let broker, tcpPort, wsPort;

  before(async () => {
    tcpPort = await freePort();
    wsPort = await freePort();
    broker = await startBroker({
      configText: `listener ${tcpPort} 127.0.0.1\nlistener ${wsPort} 127.0.0.1\nprotocol websockets\n` +
        `allow_anonymous true\nmax_queued_messages 1000\nmax_queued_bytes ${maxQueuedBytes}\n` +
        `max_outgoing_bytes ${highWater}\nsys_interval 1\n`,
      waitPort: tcpPort,
    });
  });
  after(async () => { await broker?.stop(); });

  test('memory stays bounded, QoS 0 is dropped and counted, a healthy subscriber gets everything', async () => {
    const messages = 2000;  // 125 MiB of payload, half on a QoS 0 subscription of the slow subscriber
    const slow = await client(tcpPort, 'slow');
    await slow.subscribe([['flood/q0', 0], ['flood/q1', 1]]);
    slow.socket.pause();  // never reads again (until the end)
    const healthy = await client(tcpPort, 'healthy');
    await healthy.subscribe([['flood/#', 1]]);
    const got = { 'flood/q0': [], 'flood/q1': [] };
    let received = 0;
    let progress = () => {};
    healthy.onPublish = (p) => {
      if (p.topic === 'flood/probe') { healthy.queue.push(p); healthy.wake(); }
      else { got[p.topic].push(p.payload.readUInt32BE(0)); ++received; progress(); }
      if (p.qos > 0) healthy.send({ cmd: 'puback', messageId: p.messageId });
    };
    const publisher = await client(tcpPort, 'publisher');
    publisher.onPublish = () => {};
    await sleep(200);
    const baseline = rss(broker);

    const payload = Buffer.alloc(payloadSize, 0x61);
    const t0 = performance.now();
    for (let i = 0; i < messages; ++i) {
      // At the healthy subscriber's pace (24 ahead): a flood it can take without queueing past its limits.
      while (i - received >= 24) await new Promise((r) => { progress = r; setTimeout(r, 100); });
      const body = Buffer.from(payload);
      body.writeUInt32BE(i, 0);
      const ok = publisher.send({ cmd: 'publish', topic: i % 2 ? 'flood/q1' : 'flood/q0', qos: 1, messageId: (i % 60000) + 1, payload: body });
      if (!ok) await new Promise((r) => publisher.socket.once('drain', r));
    }
    while (received < messages) {
      const before = received;
      await new Promise((r) => { progress = r; setTimeout(r, 5000); });
      assert.ok(received > before, `healthy subscriber stalled at ${received}`);
    }
    const seconds = (performance.now() - t0) / 1000;
    const peak = peakRss(broker);
    const probes = [];
    for (let k = 0; k < 5; ++k) {
      const p0 = performance.now();
      publisher.send({ cmd: 'publish', topic: 'flood/probe', qos: 1, messageId: 60001 + k, payload: 'probe' });
      assert.ok(await healthy.next('publish'), 'probe delivered');
      probes.push(performance.now() - p0);
    }
    const m = await metrics(wsPort);
    console.log(`# flood: ${messages} x ${payloadSize / KiB} KiB in ${seconds.toFixed(1)} s; broker RSS baseline ` +
      `${mb(baseline)} MiB, peak ${mb(peak)} MiB (bound ${mb(baseline + bound)} MiB); probe latency after the flood ` +
      `${probes.map((x) => x.toFixed(1)).join(', ')} ms; publish_dropped ${m.get('postcard_publish_dropped_total')}, ` +
      `congested ${m.get('postcard_connections_congested_total')}`);

    // The healthy subscriber got every message, in order, on both topics
    for (const topic of ['flood/q0', 'flood/q1']) {
      assert.equal(got[topic].length, messages / 2, topic);
      assert.ok(got[topic].every((v, k) => k === 0 || v > got[topic][k - 1]), `${topic} in order`);
    }
    if (!sanitized(broker)) assert.ok(peak - baseline < bound, `peak RSS ${mb(peak)} MiB over baseline ${mb(baseline)} + bound ${mb(bound)}`);
    // The slow subscriber's QoS 0 half (1000 messages, less what its socket buffers took before it was
    // congested) was dropped and counted; so were QoS 1 messages beyond its queue.
    assert.ok(m.get('postcard_publish_dropped_total') >= 700, `dropped ${m.get('postcard_publish_dropped_total')}`);
    assert.ok(m.get('postcard_connections_congested_total') >= 1);
    for (const ms of probes) assert.ok(ms < 5000, `probe took ${ms} ms`);
    // $SYS shows the same counter
    const watcher = await client(tcpPort, 'watcher');
    watcher.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: '$SYS/broker/publish/messages/dropped', qos: 0 }] });
    // (the retained value may predate the flood's end: the next one comes within sys_interval, 1 s)
    let sysDropped = 0;
    for (const until = Date.now() + 5000; sysDropped < 700 && Date.now() < until;) {
      const sys = await watcher.next('publish', 5000);
      sysDropped = Number(sys.payload.toString());
    }
    assert.ok(sysDropped >= 700, `$SYS dropped ${sysDropped}`);

    // The slow subscriber reads again: its QoS 1 messages come in order (inflight, then the queue)
    const slowGot = { 'flood/q0': [], 'flood/q1': [] };
    slow.onPublish = (p) => {
      if (p.topic in slowGot) slowGot[p.topic].push(p.payload.readUInt32BE(0));
      if (p.qos > 0) slow.send({ cmd: 'puback', messageId: p.messageId });
    };
    slow.socket.resume();
    let last = -1;
    while (slowGot['flood/q1'].length !== last) {
      last = slowGot['flood/q1'].length;
      await sleep(1000);
    }
    const q1 = slowGot['flood/q1'];
    console.log(`# slow subscriber after it read again: ${slowGot['flood/q0'].length} QoS 0 and ${q1.length} QoS 1 messages`);
    // At least its inflight window and its full queue (a message costs its topic and payload)
    const queued = Math.floor(maxQueuedBytes / (payloadSize + 'flood/q1'.length));
    assert.ok(q1.length >= 20 + queued, `QoS 1 to the slow subscriber: ${q1.length}`);
    assert.ok(q1.every((v, k) => k === 0 || v > q1[k - 1]), 'QoS 1 in order');
    assert.ok(slowGot['flood/q0'].length < messages / 2, 'QoS 0 was dropped for the slow subscriber');
    for (const c of [slow, healthy, publisher, watcher]) c.end();
  });
});

// ---- (b) connection floods and max_connections ------------------------------------------------------------

describe('connection floods', () => {
  let broker, tcpPort, limitedPort, wsPort, tlsPort;
  const listenerName = () => `mqtt:127.0.0.1:${tcpPort}`;

  before(async () => {
    tcpPort = await freePort();
    limitedPort = await freePort();
    wsPort = await freePort();
    tlsPort = await freePort();
    const certs = makeCertificates(tempDir());
    broker = await startBroker({
      configText: `connect_timeout 2\nlistener ${tcpPort} 127.0.0.1\nlistener ${limitedPort} 127.0.0.1\nmax_connections 5\n` +
        `listener ${wsPort} 127.0.0.1\nprotocol websockets\nlistener ${tlsPort} 127.0.0.1\n` +
        `certfile ${certs.serverCert}\nkeyfile ${certs.serverKey}\nallow_anonymous true\n`,
      waitPort: tlsPort,
    });
  });

  test('silent sockets on TLS and WebSocket listeners are closed after connect_timeout too', async () => {
    const t0 = performance.now();
    const closed = await Promise.all(Array.from({ length: 40 }, (_, i) => new Promise((resolve) => {
      const s = net.connect(i % 2 ? tlsPort : wsPort, '127.0.0.1');
      s.on('error', () => {});
      // half of the WebSocket ones send half an HTTP upgrade request
      if (i % 4 === 0) s.once('connect', () => s.write('GET /mqtt HTTP/1.1\r\nHost: x\r\nUpgrade: websock'));
      s.once('close', () => resolve(performance.now() - t0));
    })));
    const fastest = Math.min(...closed);
    const slowest = Math.max(...closed);
    console.log(`# 40 silent TLS / WebSocket sockets closed between ${(fastest / 1000).toFixed(1)} and ${(slowest / 1000).toFixed(1)} s`);
    assert.ok(fastest >= 1500, `closed before the timeout: ${fastest} ms`);
    assert.ok(slowest < 15000, `closed late: ${slowest} ms`);
  });
  after(async () => { await broker?.stop(); });

  test('sockets that send nothing or half a CONNECT are closed after connect_timeout; memory returns', async () => {
    const healthy = await client(tcpPort, 'healthy');
    await sleep(100);
    const baseline = rss(broker);
    const sockets = [];
    const open = (bytes) => new Promise((resolve) => {
      const s = net.connect(tcpPort, '127.0.0.1');
      s.on('error', () => {});
      s.once('connect', () => { if (bytes) s.write(bytes); resolve(s); });
      s.closedAt = new Promise((r) => s.once('close', () => r(performance.now())));
    });
    const t0 = performance.now();
    // Half a CONNECT: a fixed header announcing 100,000 bytes, then 1,000 of them
    const half = Buffer.concat([Buffer.from([0x10, ...vbi(100000), 0x00, 0x04]), Buffer.from('MQTT'), Buffer.alloc(994, 0x05)]);
    sockets.push(...await Promise.all(Array.from({ length: 300 }, (_, i) => open(i % 2 ? half : null))));
    const during = rss(broker);
    const openedIn = performance.now() - t0;
    const gauge = (await metrics(wsPort)).get(`postcard_listener_connections{listener="${listenerName()}"}`);
    if (performance.now() - t0 < 1500) assert.equal(gauge, 301, 'all open before the timeout');
    // The healthy client is served while the flood waits
    const ping = await healthy.ping();
    const closedAt = await Promise.all(sockets.map((s) => s.closedAt));
    const slowest = Math.max(...closedAt) - t0;
    const fastest = Math.min(...closedAt) - t0;
    await sleep(200);
    const open_ = (await metrics(wsPort)).get(`postcard_listener_connections{listener="${listenerName()}"}`);
    const after_ = rss(broker);
    console.log(`# 300 idle/half-open sockets: closed between ${(fastest / 1000).toFixed(1)} and ${(slowest / 1000).toFixed(1)} s ` +
      `(connect_timeout 2 s; opened in ${openedIn.toFixed(0)} ms); RSS baseline ${mb(baseline)}, during ${mb(during)}, after ${mb(after_)} MiB; ping ${ping.toFixed(1)} ms`);
    assert.ok(fastest >= 1500, `closed before the timeout: ${fastest} ms`);
    assert.ok(slowest < 15000, `closed late: ${slowest} ms`);
    assert.equal(open_, 1, 'only the healthy connection is left');
    if (!sanitized(broker)) assert.ok(after_ - baseline < 8 * MiB, `RSS after ${mb(after_)} MiB vs baseline ${mb(baseline)} MiB`);
    await healthy.ping();
    healthy.end();
  });

  test('max_connections refuses the excess while the existing clients are served', async () => {
    const clients = [];
    for (let i = 0; i < 5; ++i) clients.push(await client(limitedPort, `c${i}`));
    const extra = await RawClient.open(limitedPort);
    extra.send({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, clientId: 'extra', keepalive: 0 });
    assert.equal(await extra.next('connack'), null, 'the sixth connection is closed without a CONNACK');
    for (const c of clients) await c.ping();
    const m = await (await fetch(`http://127.0.0.1:${wsPort}/metrics`)).text();
    assert.match(m, new RegExp(`postcard_listener_connections_refused_total\\{listener="mqtt:127.0.0.1:${limitedPort}"\\} [1-9]`));
    // A slot freed is a slot available
    clients.shift().end();
    await sleep(200);
    clients.push(await client(limitedPort, 'c5'));
    for (const c of clients) c.end();
  });
});

// ---- (c) oversize packets ------------------------------------------------------------------------------------

describe('oversize packets', () => {
  let broker, tcpPort, wsPort, tlsPort;
  const maxPacket = 64 * KiB;

  before(async () => {
    tcpPort = await freePort();
    wsPort = await freePort();
    tlsPort = await freePort();
    const certs = makeCertificates(tempDir());
    broker = await startBroker({
      configText: `max_packet_size ${maxPacket}\nlistener ${tcpPort} 127.0.0.1\nlistener ${wsPort} 127.0.0.1\n` +
        `protocol websockets\nlistener ${tlsPort} 127.0.0.1\ncertfile ${certs.serverCert}\nkeyfile ${certs.serverKey}\n` +
        'allow_anonymous true\n',
      waitPort: tlsPort,
    });
  });
  after(async () => { await broker?.stop(); });

  // A PUBLISH header announcing `size` bytes; the body follows in 1 MiB writes until the broker closes.
  async function oversize(version, size, secure = false) {
    const c = await (await RawClient.open(secure ? tlsPort : tcpPort, version, { secure })).connect(`big-v${version}-${Math.random()}`);
    c.raw(Buffer.from([0x30, ...vbi(size), 0x00, 0x01, 0x74, ...(version === 5 ? [0] : [])]));
    let written = 0;
    const chunk = Buffer.alloc(MiB, 0x78);
    while (!c.isClosed && !c.queue.some((p) => p.cmd === 'disconnect') && written < size) {
      if (!c.raw(chunk)) await Promise.race([new Promise((r) => c.socket.once('drain', r)), c.closed]);
      written += chunk.length;
    }
    c.end();
    return { c, written };
  }

  test('v5 gets DISCONNECT 0x95 (TCP and TLS), 3.1.1 a close, before the body is buffered; memory stays bounded', async () => {
    const healthy = await client(tcpPort, 'healthy', 5);
    await sleep(100);
    const baseline = rss(broker);
    const v5 = await oversize(5, 200 * MiB);
    const disconnect = v5.c.queue.find((p) => p.cmd === 'disconnect');
    assert.ok(disconnect, 'DISCONNECT before the close');
    assert.equal(disconnect.reasonCode, 0x95);
    const overTls = await oversize(5, 200 * MiB, true);
    assert.equal(overTls.c.queue.find((p) => p.cmd === 'disconnect')?.reasonCode, 0x95, 'DISCONNECT 0x95 over TLS');
    const v4 = await oversize(4, 200 * MiB);
    assert.equal(v4.c.queue.length, 0, 'no packet for a 3.1.1 client, only the close');
    // Twenty at once
    const many = await Promise.all(Array.from({ length: 20 }, () => oversize(5, 50 * MiB)));
    const written = many.reduce((n, x) => n + x.written, 0) + v5.written + v4.written + overTls.written;
    const peak = peakRss(broker);
    console.log(`# oversize: ${mb(written)} MiB written by 23 clients before their close; peak RSS ${mb(peak)} MiB, baseline ${mb(baseline)} MiB`);
    if (!sanitized(broker)) assert.ok(peak - baseline < 32 * MiB, `peak RSS ${mb(peak)} MiB vs baseline ${mb(baseline)} MiB`);
    await healthy.ping();
    healthy.end();
  });

  test('WebSocket: a message a little over the limit gets 0x95, a huge frame is refused from its header', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${wsPort}/mqtt`, 'mqtt');
    const parser = mqttPacket.parser({ protocolVersion: 5 });
    const packets = [];
    parser.on('packet', (p) => packets.push(p));
    ws.on('message', (d) => parser.parse(d));
    const closed = new Promise((r) => ws.once('close', (code) => r(code)));
    await new Promise((r, j) => { ws.once('open', r); ws.once('error', j); });
    ws.send(mqttPacket.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 5, clean: true, clientId: 'ws-big', keepalive: 0 }, { protocolVersion: 5 }));
    const body = Buffer.alloc(maxPacket + 1000, 0x78);
    ws.send(Buffer.concat([Buffer.from([0x30, ...vbi(body.length + 4), 0x00, 0x01, 0x74, 0x00]), body]));
    await closed;
    assert.equal(packets[0]?.cmd, 'connack');
    assert.equal(packets[1]?.cmd, 'disconnect');
    assert.equal(packets[1]?.reasonCode, 0x95);

    const ws2 = new WebSocket(`ws://127.0.0.1:${wsPort}/mqtt`, 'mqtt');
    const closed2 = new Promise((r) => ws2.once('close', (code) => r(code)));
    ws2.on('error', () => {});
    await new Promise((r) => ws2.once('open', r));
    const huge = Buffer.alloc(16 * MiB, 0x78);
    ws2.send(huge);
    const code = await closed2;
    assert.ok(code === 1009 || code === 1006 || code === 1002, `close code ${code}`);
  });
});

// ---- (d) every malformed packet, while another client is served --------------------------------------

// Every codec_error a client can cause, with the packet that causes it after a v5 CONNECT, and the reason
// code core/codec/errors.cpp maps it to. CONNECT-level errors are answered with a CONNACK instead.
const afterConnect = [
  ['remaining_length_too_long', Buffer.from([0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]), 0x81],
  ['packet_too_large', Buffer.from([0x30, ...vbi(200000), 0x00, 0x01, 0x74]), 0x95],
  ['reserved_packet_type', pkt(0x00, []), 0x81],
  ['reserved_flags_invalid', pkt(0xC1, []), 0x81],
  ['qos_invalid', pkt(0x36, [0, 1, 0x74, 0, 1, 0]), 0x81],
  ['dup_with_qos_0', pkt(0x38, [0, 1, 0x74, 0]), 0x81],
  ['truncated', pkt(0x30, [0, 5, 0x74]), 0x81],
  ['trailing_bytes', pkt(0xC0, [0]), 0x81],
  ['invalid_utf8', pkt(0x30, [0, 2, 0xC0, 0xAF, 0]), 0x81],
  ['utf8_null_character', pkt(0x30, [0, 1, 0, 0]), 0x81],
  ['invalid_variable_byte_integer', pkt(0x30, [0, 1, 0x74, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]), 0x81],
  ['unknown_property', pkt(0x30, [0, 1, 0x74, 2, 0x04, 0]), 0x81],
  ['property_not_allowed', pkt(0x30, [0, 1, 0x74, 5, 0x11, 0, 0, 0, 1]), 0x81],
  ['duplicate_property', pkt(0x30, [0, 1, 0x74, 4, 0x01, 0, 0x01, 0]), 0x82],
  ['invalid_property_value', pkt(0x30, [0, 1, 0x74, 2, 0x01, 2]), 0x82],
  ['packet_id_zero', pkt(0x32, [0, 1, 0x74, 0, 0, 0]), 0x82],
  ['topic_name_has_wildcard', pkt(0x30, [0, 1, 0x23, 0]), 0x90],
  ['topic_name_empty', pkt(0x30, [0, 0, 0]), 0x82],
  ['topic_alias_zero', pkt(0x30, [0, 1, 0x74, 3, 0x23, 0, 0]), 0x94],
  ['subscribe_without_topics', pkt(0x82, [0, 1, 0]), 0x82],
  ['unsubscribe_without_topics', pkt(0xA2, [0, 1, 0]), 0x82],
  ['subscription_options_reserved', pkt(0x82, [0, 1, 0, 0, 1, 0x74, 0xC0]), 0x81],
  ['subscription_qos_invalid', pkt(0x82, [0, 1, 0, 0, 1, 0x74, 0x03]), 0x81],
  ['retain_handling_invalid', pkt(0x82, [0, 1, 0, 0, 1, 0x74, 0x30]), 0x82],
  ['invalid_reason_code', pkt(0x40, [0, 1, 0x05]), 0x82],
];
// CONNECT packets: [name, bytes, CONNACK reason code, or null for a close without CONNACK (3.1.1)]
const connectBody = (name, level, flags) => [0, name.length, ...Buffer.from(name), level, flags, 0, 0,
  ...(level === 5 ? [0] : []), 0, 1, 0x78];
const connects = [
  ['invalid_protocol_name', pkt(0x10, connectBody('MQTX', 5, 0x02)), 0x84],
  // Level 6 is no version the broker knows, so it answers in 3.1.1's CONNACK: return code 1 [MQTT-3.1.2-2]
  ['unsupported_protocol_version', pkt(0x10, connectBody('MQTT', 6, 0x02)), 0x01],
  ['connect_reserved_flag_set', pkt(0x10, connectBody('MQTT', 5, 0x03)), 0x81],
  ['will_flags_without_will', pkt(0x10, connectBody('MQTT', 5, 0x22)), 0x81],
  ['will_qos_invalid', pkt(0x10, connectBody('MQTT', 5, 0x1E)), 0x81],
  ['password_without_username', pkt(0x10, connectBody('MQTT', 4, 0x42)), null],
];
// Never from a client: encoder misuse, and CONNACK (which only a server sends).
const notFromClients = ['ok', 'string_too_long', 'value_out_of_range', 'invalid_connack_flags'];

describe('malformed packets', () => {
  let broker, tcpPort;

  before(async () => {
    tcpPort = await freePort();
    broker = await startBroker({
      configText: `max_packet_size 65536\nlistener ${tcpPort} 127.0.0.1\nallow_anonymous true\n`,
      waitPort: tcpPort,
    });
  });
  after(async () => { await broker?.stop(); });

  test('the table covers every codec error', () => {
    const header = readFileSync(path.join(root, 'core/codec/errors.hpp'), 'utf8');
    const body = header.slice(header.indexOf('enum class codec_error'), header.indexOf('};', header.indexOf('enum class codec_error')));
    const names = [...body.matchAll(/^\s+([a-z0-9_]+)(?: = \d+)?,/gm)].map((m) => m[1]);
    assert.ok(names.length > 30);
    const covered = new Set([...afterConnect, ...connects].map(([n]) => n).concat(notFromClients));
    assert.deepEqual(names.filter((n) => !covered.has(n)), []);
  });

  test('each gets its reason code and a close, while another client keeps being served', async () => {
    const witness = await client(tcpPort, 'witness', 5);
    await witness.subscribe([['witness/#', 1]]);
    let n = 0;
    const check = async (name) => {
      witness.send({ cmd: 'publish', topic: `witness/${n}`, qos: 1, messageId: ++n, payload: name });
      const p = await witness.next('publish');
      assert.equal(p?.payload.toString(), name, `witness served after ${name}`);
      witness.send({ cmd: 'puback', messageId: p.messageId });
    };
    for (const [name, bytes, reason] of afterConnect) {
      const c = await client(tcpPort, `bad-${name}`, 5);
      c.raw(bytes);
      const d = await c.next('disconnect');
      assert.equal(d?.reasonCode, reason, `${name}: DISCONNECT reason`);
      await c.closed;
      await check(name);
    }
    for (const [name, bytes, reason] of connects) {
      const c = await RawClient.open(tcpPort, 5);
      const chunks = [];
      c.socket.on('data', (d) => chunks.push(d));
      c.raw(bytes);
      await c.closed;
      const got = Buffer.concat(chunks);
      if (reason === null) {
        assert.equal(got.length, 0, `${name}: closed without a CONNACK`);
      } else {
        assert.equal(got[0], 0x20, `${name}: CONNACK`);
        assert.equal(got[3], reason, `${name}: CONNACK reason`);
      }
      await check(name);
    }
    witness.end();
  });
});
