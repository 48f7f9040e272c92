// Headless Chromium against Postcard's native broker: a page served by the broker's own HTTP listener
// opens `new WebSocket(url, 'mqtt')` and exchanges hand-made MQTT 3.1.1 packets, including a packet split
// across two frames and two packets sharing one frame.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { startBroker, freePort, tempDir } from './harness.mjs';

const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let broker, port, browser;
before(async () => {
  port = await freePort();
  const site = tempDir();
  writeFileSync(`${site}/index.html`, '<!doctype html><link rel="icon" href="data:,"><title>ws test</title>');
  broker = await startBroker({
    configText: `listener ${port} 127.0.0.1\nprotocol websockets\nhttp_dir ${site}\nallow_anonymous true\n`,
    waitPort: port,
  });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs });
});
after(async () => {
  await browser?.close();
  await broker?.stop();
});

test('a page loaded from the broker speaks MQTT over new WebSocket(url, "mqtt")', async () => {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  const result = await page.evaluate(async (wsUrl) => {
    const enc = new TextEncoder();
    const str = (s) => { const b = enc.encode(s); return [b.length >> 8, b.length & 255, ...b]; };
    const packet = (first, body) => [first, body.length, ...body];  // bodies here are < 128 bytes
    const connect = packet(0x10, [...str('MQTT'), 4, 0x02, 0, 30, ...str('chromium-page')]);
    const subscribe = packet(0x82, [0, 1, ...str('page/#'), 1]);
    const publish = (payload) => packet(0x30, [...str('page/echo'), ...enc.encode(payload)]);
    const ws = new WebSocket(wsUrl, 'mqtt');
    ws.binaryType = 'arraybuffer';
    const received = [];
    let wake = () => {};
    ws.onmessage = (e) => { received.push(...new Uint8Array(e.data)); wake(); };
    await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = () => reject(new Error('ws error')); });
    const until = async (n) => {
      const deadline = Date.now() + 5000;
      while (received.length < n && Date.now() < deadline) await new Promise((r) => { wake = r; setTimeout(r, 50); });
      return received.splice(0, n);
    };
    ws.send(new Uint8Array(connect));
    const connack = await until(4);
    ws.send(new Uint8Array(subscribe));
    const suback = await until(5);
    // One PUBLISH split across two frames, then two PUBLISHes in one frame.
    const one = publish('split');
    ws.send(new Uint8Array(one.slice(0, 5)));
    ws.send(new Uint8Array(one.slice(5)));
    ws.send(new Uint8Array([...publish('first'), ...publish('second')]));
    const dec = new TextDecoder();
    const messages = [];
    for (const expected of ['split', 'first', 'second']) {
      const bytes = await until(2 + 2 + 'page/echo'.length + expected.length);
      messages.push(dec.decode(new Uint8Array(bytes.slice(4 + 'page/echo'.length))));
    }
    ws.send(new Uint8Array([0xe0, 0]));  // DISCONNECT
    return { protocol: ws.protocol, connack, suback, messages };
  }, `ws://127.0.0.1:${port}/mqtt`);
  assert.equal(result.protocol, 'mqtt', 'the broker echoes the mqtt subprotocol');
  assert.deepEqual(result.connack, [0x20, 2, 0, 0]);
  assert.deepEqual(result.suback, [0x90, 3, 0, 1, 1]);
  assert.deepEqual(result.messages, ['split', 'first', 'second']);
});
