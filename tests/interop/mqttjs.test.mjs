// Interop: unmodified MQTT.js 5 (npm `mqtt`) against Postcard's native broker over TCP and WebSocket,
// MQTT 3.1.1 and 5.0: QoS round trips, topic aliases, user properties, shared subscriptions.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import { startBroker, freePort } from './harness.mjs';

let broker, tcpPort, wsPort;
before(async () => {
  tcpPort = await freePort();
  wsPort = await freePort();
  broker = await startBroker({
    configText: `listener ${tcpPort} 127.0.0.1\nlistener ${wsPort} 127.0.0.1\nprotocol websockets\n` +
      'allow_anonymous true\nmax_topic_alias 5\n',
    waitPort: wsPort,
  });
});
after(async () => { assert.equal(await broker.stop(), 0, broker.log()); });

const urls = () => ({ tcp: `mqtt://127.0.0.1:${tcpPort}`, ws: `ws://127.0.0.1:${wsPort}` });

function collect(client, count) {
  const got = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`got ${got.length}/${count}: ${JSON.stringify(got)}`)), 5000);
    client.on('message', (topic, payload, packet) => {
      got.push({ topic, payload: payload.toString(), qos: packet.qos, properties: packet.properties });
      if (got.length === count) { clearTimeout(timer); resolve(got); }
    });
  });
}

for (const transport of ['tcp', 'ws']) {
  for (const protocolVersion of [4, 5]) {
    describe(`MQTT.js over ${transport}, protocol ${protocolVersion}`, () => {
      test('QoS 0, 1 and 2 round trips', async () => {
        const topic = `mqttjs/${transport}/${protocolVersion}`;
        const sub = await mqtt.connectAsync(urls()[transport], { protocolVersion, reconnectPeriod: 0 });
        const pub = await mqtt.connectAsync(urls()[transport], { protocolVersion, reconnectPeriod: 0 });
        try {
          await sub.subscribeAsync(`${topic}/#`, { qos: 2 });
          const done = collect(sub, 3);
          for (const qos of [0, 1, 2]) await pub.publishAsync(`${topic}/${qos}`, `m${qos}`, { qos });
          const got = await done;
          assert.deepEqual(got.map((m) => [m.topic, m.payload, m.qos]), [0, 1, 2].map((q) => [`${topic}/${q}`, `m${q}`, q]));
        } finally {
          await sub.endAsync();
          await pub.endAsync();
        }
      });
    });
  }

  describe(`MQTT.js v5 features over ${transport}`, () => {
    test('topic aliases both ways (autoAssignTopicAlias, broker-assigned aliases) and user properties', async () => {
      const topic = `mqttjs/alias/${transport}/a/long/topic/name`;
      const sub = await mqtt.connectAsync(urls()[transport], {
        protocolVersion: 5, reconnectPeriod: 0, properties: { topicAliasMaximum: 4 },
      });
      const pub = await mqtt.connectAsync(urls()[transport], {
        protocolVersion: 5, reconnectPeriod: 0, autoAssignTopicAlias: true,
      });
      const sent = [];
      pub.on('packetsend', (p) => { if (p.cmd === 'publish') sent.push({ topic: p.topic, alias: p.properties?.topicAlias }); });
      const received = [];
      sub.on('packetreceive', (p) => { if (p.cmd === 'publish') received.push({ topic: p.topic, alias: p.properties?.topicAlias }); });
      try {
        assert.equal(pub.options.properties?.topicAliasMaximum ?? 0, 0);
        await sub.subscribeAsync(topic, { qos: 1 });
        const done = collect(sub, 3);
        for (let i = 0; i < 3; i++) {
          await pub.publishAsync(topic, `p${i}`, { qos: 1, properties: { userProperties: { seq: String(i), tag: ['a', 'b'] } } });
        }
        const got = await done;
        assert.deepEqual(got.map((m) => m.payload), ['p0', 'p1', 'p2']);
        for (const [i, m] of got.entries()) {
          assert.equal(m.topic, topic, 'MQTT.js resolves the alias back to the topic');
          assert.deepEqual({ ...m.properties.userProperties }, { seq: String(i), tag: ['a', 'b'] });
        }
        // The publisher used an alias after the first message (the broker's Topic Alias Maximum is 5).
        assert.ok(sent.length === 3 && sent[0].alias && sent.slice(1).every((s) => s.topic === '' && s.alias === sent[0].alias),
          JSON.stringify(sent));
        // The broker assigned an alias for the subscriber: topic once, then alias alone.
        assert.ok(received[0].alias >= 1 && received[0].alias <= 4 && received[0].topic === topic, JSON.stringify(received));
        assert.ok(received.slice(1).every((r) => r.topic === '' && r.alias === received[0].alias), JSON.stringify(received));
      } finally {
        await sub.endAsync();
        await pub.endAsync();
      }
    });

    test('a shared subscription gives each message to exactly one member, round robin', async () => {
      const group = `g${transport}`;
      const members = await Promise.all([0, 1].map(() => mqtt.connectAsync(urls()[transport], { protocolVersion: 5, reconnectPeriod: 0 })));
      const pub = await mqtt.connectAsync(urls()[transport], { protocolVersion: 5, reconnectPeriod: 0 });
      const counts = [0, 0];
      const seen = [];
      members.forEach((m, i) => m.on('message', (t, p) => { counts[i]++; seen.push(p.toString()); }));
      try {
        for (const m of members) await m.subscribeAsync(`$share/${group}/mqttjs/shared/${transport}`, { qos: 1 });
        for (let i = 0; i < 10; i++) await pub.publishAsync(`mqttjs/shared/${transport}`, `s${i}`, { qos: 1 });
        const deadline = Date.now() + 5000;
        while (seen.length < 10 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        assert.deepEqual([...seen].sort(), Array.from({ length: 10 }, (_, i) => `s${i}`).sort());
        assert.deepEqual(counts, [5, 5]);
      } finally {
        await Promise.all([...members, pub].map((c) => c.endAsync()));
      }
    });
  });
}
