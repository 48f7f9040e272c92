// Headless Chromium (playwright-core, /usr/bin/chromium): a page imports the library from the built
// files and runs the in-tab round trips (Postcard client and MQTT.js), then the same in a Web Worker,
// plus Postcard's client over a real browser WebSocket to mosquitto.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath, serveRepository } from './browser_server.mjs';
import { haveMosquitto, mosquittoCommand, postcardBinary, startBrokerProcess } from './helpers.mjs';

const skip = !existsSync(chromiumPath) && `${chromiumPath} not installed`;
let server, browser, page, mosquitto;
const errors = [];

before(async () => {
  if (skip) return;
  server = await serveRepository();
  if (haveMosquitto) mosquitto = await startBrokerProcess({ command: mosquittoCommand });
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  page = await context.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  const query = mosquitto ? `?ws=${encodeURIComponent(mosquitto.url)}` : '';
  await page.goto(`${server.origin}/tests/web/browser/page.html${query}`);
  await page.waitForFunction(() => window.pageReady === true, null, { timeout: 15000 });
});

after(async () => {
  await browser?.close();
  server?.close();
  await mosquitto?.stop();
});

function checkSuite(r) {
  for (const q of [r.qos, r.qos5]) {
    assert.deepEqual(q.granted, [2]);
    assert.deepEqual(q.received.map((m) => [m.payload, m.qos]), [['payload 0', 0], ['payload 1', 1], ['payload 2', 2]]);
  }
  assert.deepEqual([r.retained.payload, r.retained.retain, r.retained.afterClear], ['kept', true, 0]);
  assert.equal(r.v5.contentType, 'text/plain');
  assert.deepEqual(r.v5.correlationData, [1, 2, 3]);
  assert.deepEqual(r.v5.userProperties, { a: '1', b: ['x', 'y'] });
  assert.equal(r.v5.subscriptionIdentifier, 42);
  assert.equal(r.will.payload, 'gone');
  assert.equal(r.will.reasonCode, 0x98);
  assert.ok(r.resend.seen.some((p) => p.dup));
  assert.deepEqual(r.resend.messages, ['first', 'while offline']);
  assert.deepEqual(r.resendClean.messages, ['first', 'while offline']);
  assert.deepEqual(r.mqttjs.toMqttjs.map((m) => [m.payload, m.qos]), [0, 1, 2].map((q) => [`from postcard ${q}`, q]));
  assert.deepEqual(r.mqttjs.fromMqttjs.map((m) => [m.payload, m.qos]), [0, 1, 2].map((q) => [`from mqttjs ${q}`, q]));
  assert.equal(r.mqttjs.will.payload, 'mqttjs died');
  assert.ok(r.stats.publishReceived > 10);
  if (mosquitto) assert.deepEqual(r.websocket.received.map((m) => m.payload), ['payload 0', 'payload 1', 'payload 2']);
}

test('Chromium page: in-tab broker, Postcard client, MQTT.js, WebSocket to mosquitto', { skip }, async () => {
  const r = await page.evaluate(() => window.runPage());
  checkSuite(r);
  assert.deepEqual(errors, []);
});

test('Chromium Web Worker: the same round trips', { skip }, async () => {
  const r = await page.evaluate(() => window.runWorker());
  checkSuite(r);
  assert.deepEqual(errors, []);
});

test('Chromium page: Postcard client <-> native broker over ws:// and wss://', { skip: skip || (!existsSync(postcardBinary) && `${postcardBinary} not built`) }, async () => {
  for (const tls of [false, true]) {
    const b = await startBrokerProcess({ command: postcardBinary, tls });
    try {
      const r = await page.evaluate(async (url) => {
        const lib = await import('/web/dist/index.js');
        const s = await import('/tests/web/scenarios.mjs');
        return s.qosRoundTrip(lib, url, { protocolVersion: 5 });
      }, b.url);
      assert.deepEqual(r.received.map((m) => [m.payload, m.qos]), [['payload 0', 0], ['payload 1', 1], ['payload 2', 2]], b.url);
    } finally {
      await b.stop();
    }
  }
  assert.deepEqual(errors, []);
});
