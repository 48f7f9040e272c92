// message_size_limit (mosquitto.conf) against the native broker over real sockets: a PUBLISH whose payload
// is over the limit is not delivered; QoS 1/2 are answered PUBACK / PUBREC 0x95 (v5) or a plain ack (3.1.1),
// QoS 0 is dropped; the publisher stays connected and a payload at the limit still goes through.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import mqttPacket from 'mqtt-packet';
import { startBroker, freePort } from './harness.mjs';

const limit = 100;  // bytes of payload

// A raw MQTT client on a net.Socket, packets generated and parsed by mqtt-packet.
class RawClient {
  static open(port, version) {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => resolve(new RawClient(socket, version)));
      socket.once('error', reject);
    });
  }
  constructor(socket, version) {
    this.socket = socket;
    this.version = version;
    this.queue = [];
    this.waiters = [];
    this.parser = mqttPacket.parser({ protocolVersion: version });
    this.parser.on('packet', (p) => this.push(p));
    this.parser.on('error', (e) => this.push({ cmd: 'parse error', error: e }));
    this.pending = Buffer.alloc(0);
    socket.on('data', (d) => this.split(d));
    socket.on('error', () => {});
    socket.once('close', () => { this.isClosed = true; this.wake(); });
  }
  push(p) {
    this.queue.push(p);
    this.wake();
  }
  // Whole packets from the byte stream. PUBACK and PUBREC are decoded here: mqtt-packet refuses the
  // reason code 0x95 in them (MQTT 5's tables do not list it there), which is what this broker sends.
  split(d) {
    this.pending = Buffer.concat([this.pending, d]);
    for (;;) {
      let length = 0, multiplier = 1, i = 1;
      for (; i < this.pending.length && i < 5; ++i) {
        length += (this.pending[i] & 0x7f) * multiplier;
        multiplier *= 128;
        if ((this.pending[i] & 0x80) === 0) break;
      }
      if (i >= this.pending.length || this.pending.length < i + 1 + length) return;
      const packet = this.pending.subarray(0, i + 1 + length);
      this.pending = this.pending.subarray(i + 1 + length);
      const type = packet[0] >> 4;
      if (type === 4 || type === 5) {
        const body = packet.subarray(i + 1);
        this.push({ cmd: type === 4 ? 'puback' : 'pubrec', messageId: body.readUInt16BE(0), reasonCode: body.length > 2 ? body[2] : 0 });
      } else {
        this.parser.parse(packet);
      }
    }
  }
  wake() {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
  send(p) { this.socket.write(mqttPacket.generate(p, { protocolVersion: this.version })); }
  // The next packet of any kind, or null if the socket closes first.
  async nextPacket(timeoutMs = 10000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.queue.length) return this.queue.shift();
      if (this.isClosed) return null;
      if (Date.now() > deadline) throw new Error(`no packet within ${timeoutMs} ms`);
      await new Promise((r) => { this.waiters.push(r); setTimeout(r, 50); });
    }
  }
  async expect(cmd) {
    const p = await this.nextPacket();
    assert.ok(p, `${cmd} expected, the connection closed`);
    assert.equal(p.cmd, cmd, `${cmd} expected, got ${p.cmd}`);
    return p;
  }
  async connect(clientId) {
    this.send({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: this.version, clean: true, clientId, keepalive: 0 });
    const ack = await this.expect('connack');
    assert.equal(this.version === 5 ? ack.reasonCode : ack.returnCode, 0);
    return this;
  }
  // PINGREQ / PINGRESP: everything the broker sent before the PINGRESP is in the queue by then.
  async ping() {
    this.send({ cmd: 'pingreq' });
    return this.expect('pingresp');
  }
  end() { this.socket.destroy(); }
}

const client = async (port, id, version) => (await RawClient.open(port, version)).connect(id);
const payload = (n, fill) => Buffer.alloc(n, fill);

describe('message_size_limit', () => {
  let broker, port;
  before(async () => {
    port = await freePort();
    broker = await startBroker({
      configText: `message_size_limit ${limit}\nlistener ${port} 127.0.0.1\nallow_anonymous true\n`,
      waitPort: port,
    });
  });
  after(async () => { await broker?.stop(); });

  for (const version of [5, 4]) {
    test(`MQTT ${version === 5 ? '5' : '3.1.1'}: over the limit is refused and not delivered, at the limit is delivered`, async () => {
      const topic = `msl/${version}`;
      const sub = await client(port, `msl-sub-${version}`, version);
      sub.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic, qos: 2 }] });
      await sub.expect('suback');
      const pub = await client(port, `msl-pub-${version}`, version);

      // QoS 1 over the limit: PUBACK 0x95 (v5) / a plain PUBACK (3.1.1), nothing delivered
      pub.send({ cmd: 'publish', topic, qos: 1, messageId: 11, payload: payload(limit + 1, 0x41) });
      const puback = await pub.expect('puback');
      assert.equal(puback.messageId, 11);
      if (version === 5) assert.equal(puback.reasonCode, 0x95);
      // QoS 2 over the limit: PUBREC 0x95 (v5); the PUBREL that follows is completed
      pub.send({ cmd: 'publish', topic, qos: 2, messageId: 12, payload: payload(limit + 50, 0x42) });
      const pubrec = await pub.expect('pubrec');
      assert.equal(pubrec.messageId, 12);
      if (version === 5) assert.equal(pubrec.reasonCode, 0x95);
      pub.send({ cmd: 'pubrel', messageId: 12 });
      assert.equal((await pub.expect('pubcomp')).messageId, 12);
      // QoS 0 over the limit: dropped silently
      pub.send({ cmd: 'publish', topic, qos: 0, payload: payload(10 * limit, 0x43) });
      await pub.ping();  // the publisher is still served

      // At the limit: delivered, and acknowledged with success
      pub.send({ cmd: 'publish', topic, qos: 1, messageId: 13, payload: payload(limit, 0x44) });
      const ok = await pub.expect('puback');
      assert.equal(ok.messageId, 13);
      assert.equal(ok.reasonCode, 0);

      // The subscriber's first PUBLISH is the one at the limit: none of the three refused ones came before it
      const got = await sub.expect('publish');
      assert.equal(got.payload.length, limit);
      assert.ok(got.payload.equals(payload(limit, 0x44)));
      sub.send({ cmd: 'puback', messageId: got.messageId });
      await sub.ping();
      assert.equal(sub.queue.length, 0, 'nothing else was delivered');
      pub.end();
      sub.end();
    });
  }
});
