// What the page shows for the behaviours the simulator teaches: a will after a crash (pressed in the
// device panel), exactly-once delivery for QoS 2 under 30% loss, a retained value reaching a late
// subscriber, a session takeover in the sequence diagram; plus scenario errors shown as data and a
// shareable link. The simulation runs in a worker: window.postcard.sim's controls return promises.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { startApp, openApp, runTo, runAll, lessonResults, screenshotDir } from './helpers.mjs';

let app;
before(async () => {
  app = await startApp();
  mkdirSync(screenshotDir, { recursive: true });
});
after(async () => { await app?.close(); });

async function filterLog(page, text) {
  await page.fill('.log-panel input[type=search]', text);
  await page.evaluate(() => window.postcard.log.idle());  // the worker filtered, the rows in view are drawn
  return page.$$eval('[data-testid=packet-log] .vl-row', (rows) => rows.map((r) => r.textContent));
}

test('crashing a device with the Crash button makes the broker publish its will', async () => {
  const page = await openApp(app, 'lesson=04-last-will');
  await runTo(page, 3000);
  assert.deepEqual((await filterLog(page, 'plant/door/status')).filter((r) => r.includes('PUBLISH')), [], 'no will before the crash');
  await page.click('[data-testid=device-list] [data-device=door]');
  await page.click('[data-testid=device-panel] button[data-action=crash]');
  await runTo(page, 3500);
  await page.waitForSelector('[data-testid=device-list] [data-device=door][data-state=crashed]', { timeout: 5000 });
  const rows = await filterLog(page, 'plant/door/status');
  const delivered = rows.filter((r) => r.includes('control-room') && r.includes('PUBLISH') && r.includes('offline'));
  assert.equal(delivered.length, 1, `the will reaches control-room once: ${rows.join(' | ')}`);
  const notes = await page.evaluate(() => window.postcard.sequence['rows'].filter((r) => r.e.kind === 6).map((r) => r.e.detail));
  assert.deepEqual(notes, ['door'], 'the diagram shows the will firing for door');
  await filterLog(page, '');
  await page.screenshot({ path: path.join(screenshotDir, 'last-will.png') });
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('QoS 2 under 30% loss: every message reaches the monitor exactly once, QoS 0 loses some', async () => {
  const page = await openApp(app, 'lesson=02-qos-under-loss');
  await runTo(page, 20000);
  await page.screenshot({ path: path.join(screenshotDir, 'qos-under-loss.png') });
  await runAll(page);
  const lost = await filterLog(page, 'lost');
  assert.ok(lost.length > 0, 'the log shows lost packets');
  const steps = await lessonResults(page);
  const last = steps[steps.length - 1];
  assert.equal(last.result, 'met', last.expects.join(' | '));
  assert.ok(last.expects.some((l) => l.startsWith('✓') && l.includes('qos/2')), last.expects.join(' | '));
  // The monitor's PUBLISH deliveries on qos/2 in the log: m0..m9, each once.
  const monitorPayloads = () => page.evaluate(async () => {
    const view = await window.postcard.log.dump(true);  // the filtered packets, decoded by the worker
    return view.filter((x) => !x.up && !x.lost && window.postcard.sim.deviceIds[x.device] === 'monitor').map((x) => x.payload);
  });
  const qos0 = (await filterLog(page, 'qos/0'), await monitorPayloads());
  assert.ok(qos0.length < 10, `QoS 0 reached the monitor ${qos0.length} times of 10`);
  const rows = await filterLog(page, 'qos/2');
  assert.ok(rows.some((r) => r.includes('monitor') && r.includes('PUBLISH')), 'the log shows QoS 2 deliveries');
  const payloads = await monitorPayloads();
  assert.deepEqual([...payloads].sort(), Array.from({ length: 10 }, (_, i) => `m${i}`).sort(),
    `each QoS 2 message delivered exactly once: ${payloads}`);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a late subscriber gets the retained value, and the topic tree shows it', async () => {
  const page = await openApp(app, 'lesson=03-retained-messages');
  await runTo(page, 7000);
  const retained = await page.getAttribute('[data-testid=topic-tree] [data-topic="home/thermostat/setpoint"] .retained', 'data-retained');
  assert.equal(retained, '22');
  const rows = await filterLog(page, 'late-app');
  const publish = rows.filter((r) => r.includes('PUBLISH'));
  assert.equal(publish.length, 1, rows.join(' | '));
  assert.match(publish[0], /retain/);
  assert.match(publish[0], /“22”/);
  await filterLog(page, '');
  await page.click('button[data-tab=Broker]');
  await page.waitForTimeout(1200);
  const retainedTable = await page.textContent('[data-testid=retained]');
  assert.match(retainedTable, /home\/thermostat\/setpoint\s*22/);
  await page.screenshot({ path: path.join(screenshotDir, 'retained-broker-panel.png') });
  await page.close();
});

test('a scenario with mistakes is reported on the page, a shared link reloads the same scenario', async () => {
  const page = await openApp(app);
  const ok = await page.evaluate(() => window.postcard.loadText('{"devices":[{"id":"a","link":{"loss":1.5}}]}', ''));
  assert.equal(ok, false);
  const banner = await page.textContent('[data-testid=banner]');
  assert.match(banner, /\$\.devices\[0\]\.link\.loss/);
  const text = JSON.stringify({ title: 'Shared', duration_ms: 3000, devices: [
    { id: 'solo', kind: 'sensor', sensor: { topic: 'shared/value', count: 2, every_ms: 500 } },
    { id: 'ear', kind: 'subscriber', subscriptions: ['shared/#'] }] });
  await page.evaluate((t) => window.postcard.loadText(t, ''), text);
  await page.click('.menu summary');
  await page.click('[data-testid=share]');
  const link = page.url();
  assert.match(link, /#scenario=/);
  const other = await app.browser.newPage();
  await other.goto(link);
  await other.waitForFunction(() => document.body.dataset.ready === 'true');
  assert.equal(await other.textContent('.lesson-title'), 'Shared');
  await other.evaluate(() => window.postcard.sim.runTo(3000));
  await other.waitForTimeout(800);
  const ids = await other.$$eval('[data-testid=device-list] .vl-row', (r) => r.map((x) => x.dataset.device));
  assert.deepEqual(ids, ['solo', 'ear']);
  await other.close();
  await page.close();
});

test('restart gives the same packets in the same order; another seed gives another run', async () => {
  const page = await openApp(app, 'lesson=02-qos-under-loss');
  const trace = () => page.evaluate(async () => (await window.postcard.log.dump()).map((x) =>
    `${x.time} ${x.device} ${x.up ? 'u' : 'd'} ${x.lost ? 'x' : ''}${x.hex}`));
  await runTo(page, 20000);
  const first = await trace();
  await page.click('[data-testid=reset]');
  await page.waitForFunction(() => window.postcard.sim.world.now() === 0 && window.postcard.log.count() === 0, null, { timeout: 5000 });
  assert.equal(await page.evaluate(() => window.postcard.log.count()), 0, 'the log is cleared on restart');
  await runTo(page, 20000);
  const again = await trace();
  assert.ok(first.length > 100);
  assert.deepEqual(again, first);
  await page.click('.menu summary');
  await page.fill('[data-testid=seed]', '8');
  await page.click('[data-testid=reseed]');
  await runTo(page, 20000);
  const other = await trace();
  assert.notDeepEqual(other, first, 'seed 8 loses other packets than seed 7');
  await page.close();
});

test('a session takeover shows in the sequence diagram as a marker, and the old connection gets DISCONNECT 0x8E', async () => {
  // phone (MQTT 5) restarts while its link is half-open, so its reset never reaches the broker (keep
  // alive 60 s): the broker still holds the old connection when phone reconnects with the same client id,
  // and the new connection takes the session over [MQTT-3.1.4-3].
  const text = JSON.stringify({ title: 'Takeover', seed: 1, duration_ms: 6000, devices: [
    { id: 'phone', kind: 'client', protocol: '5', keepalive_s: 60, reconnect_ms: 0, link: { latency_ms: 10 } },
    { id: 'ear', kind: 'subscriber', subscriptions: ['x/#'] }],
  actions: [{ at_ms: 2000, do: 'half_open', device: 'phone' }, { at_ms: 2100, do: 'crash', device: 'phone' },
    { at_ms: 2500, do: 'heal', device: 'phone' }, { at_ms: 3000, do: 'reconnect', device: 'phone' }] });
  const page = await openApp(app);
  assert.equal(await page.evaluate((t) => window.postcard.loadText(t, ''), text), true);
  await runTo(page, 2500);
  const notes = () => page.evaluate(() => window.postcard.sequence['rows'].filter((r) => r.e.kind === 12).map((r) => r.e.detail));
  assert.deepEqual(await notes(), [], 'no takeover before the second connection');
  await runTo(page, 6000);
  assert.deepEqual(await notes(), ['phone'], 'one takeover marker, for phone');
  const labels = await page.evaluate(() => window.postcard.sequence['rows'].filter((r) => r.e.kind === 0).map((r) => r.e.label));
  assert.equal(labels.filter((l) => l.startsWith('CONNECT phone')).length, 2, labels.join(' | '));
  const rows = await filterLog(page, 'session taken over');
  assert.ok(rows.length >= 1 && rows.every((r) => r.includes('DISCONNECT') && r.includes('phone')), rows.join(' | '));
  await filterLog(page, '');
  await page.screenshot({ path: path.join(screenshotDir, 'takeover.png') });
  assert.deepEqual(page.errors, []);
  await page.close();
});
