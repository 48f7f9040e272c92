// Remote mode: lessons with every device on its own WebSocket (subprotocol mqtt) to the native broker that
// serves the page, switched on in the toolbar. The devices' virtual links still apply remotely: lesson 02's
// 30% loss and lesson 06's half-open link happen on real connections, and the page shows it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { startApp, openApp, lessonResults, screenshotDir } from './helpers.mjs';

let app;
before(async () => {
  app = await startApp();
  mkdirSync(screenshotDir, { recursive: true });
});
after(async () => { await app?.close(); });

// Opens `lesson`, switches to the remote broker and runs it in real time to the end.
async function runRemote(lesson, seconds) {
  const page = await openApp(app, `lesson=${lesson}`);
  await page.click('[data-testid=mode] button[data-mode=remote]');
  await page.fill('[data-testid=remote-url]', app.wsUrl);
  await page.dispatchEvent('[data-testid=remote-url]', 'change');
  await page.waitForFunction(() => window.postcard.sim.isRemote);
  await page.click('button[data-speed="1"]');
  await page.waitForFunction(() => window.postcard.sim.world.finished(), null, { timeout: (seconds + 40) * 1000 });
  await page.waitForTimeout(500);
  return page;
}

// Every step met: checked expectations show ✓, broker-state ones (not visible remotely) show –.
function assertAllMet(steps, lesson) {
  assert.ok(steps.length > 0, `${lesson}: the lesson panel shows the steps`);
  for (const s of steps) {
    assert.notEqual(s.result, 'failed', `${lesson} / ${s.title}: ${s.expects.join(' | ')}`);
    for (const line of s.expects) assert.ok(!line.startsWith('✗'), `${lesson} / ${s.title}: ${line}`);
  }
}

const logEntries = (page) => page.evaluate(() => window.postcard.log['entries'].map((x) => ({ type: x.e.type, lost: x.e.lost, up: x.e.up })));

test('lesson 01 against the native broker over ws:// meets its expectations', { timeout: 60000 }, async () => {
  const page = await runRemote('01-publish-subscribe', 10);
  const steps = await lessonResults(page);
  const last = steps[steps.length - 1];
  assert.equal(last.result, 'met', last.expects.join(' | '));
  assert.equal(last.expects.length, 4);
  const types = (await logEntries(page)).map((x) => x.type);
  assert.ok(types.includes(1) && types.includes(2), 'CONNECT and CONNACK on the wire');
  assert.ok(types.filter((t) => t === 3).length >= 8 + 18, 'PUBLISH both ways');
  const sessions = await page.textContent('[data-testid=device-list]');
  assert.match(sessions, /online/);
  await page.screenshot({ path: path.join(screenshotDir, 'remote-mode.png') });
  assert.deepEqual(page.errors, []);
  await page.close();
});

// 02 and 06 run side by side (60 s and 50 s of real time).
test('lessons 02 (QoS under 30% loss) and 06 (half-open link) against the native broker', { timeout: 150000 }, async (t) => {
  const [qos, keepalive] = await Promise.all([runRemote('02-qos-under-loss', 60), runRemote('06-keepalive-half-open', 50)]);

  await t.test('02: lost packets in the log, QoS 2 exactly once', async () => {
    const steps = await lessonResults(qos);
    assertAllMet(steps, '02');
    const last = steps[steps.length - 1];
    assert.equal(last.result, 'met', last.expects.join(' | '));
    assert.ok(last.expects.some((l) => l.startsWith('✓') && /qos\/2 exactly once/.test(l)), last.expects.join(' | '));
    const entries = await logEntries(qos);
    const lost = entries.filter((x) => x.lost);
    assert.ok(lost.length > 10, `lost packets in the log: ${lost.length}`);
    assert.ok(lost.some((x) => x.up) && lost.some((x) => !x.up), 'lost both ways');
    await qos.evaluate(() => { document.querySelector('[data-testid=packet-log]').scrollTop = 0; });
    await qos.waitForTimeout(200);
    const shown = await qos.$$eval('[data-testid=packet-log] .vl-row', (rows) => rows.map((r) => r.textContent));
    assert.ok(shown.length > 0, 'log rows are drawn');
    await qos.screenshot({ path: path.join(screenshotDir, 'remote-qos-under-loss.png') });
    assert.deepEqual(qos.errors, []);
  });

  await t.test('06: the will arrives after the half-open link, the client reconnects after heal', async () => {
    const steps = await lessonResults(keepalive);
    assertAllMet(steps, '06');
    const will = steps.find((s) => /broker gives up/i.test(s.title));
    assert.ok(will, steps.map((s) => s.title).join(' | '));
    assert.ok(will.expects.some((l) => l.startsWith('✓') && l.includes('watcher received exactly 1 on site/sensor-a/status')),
      will.expects.join(' | '));
    assert.ok(will.expects.some((l) => l.startsWith('–') && l.includes('will of sensor-a')), 'broker events are not visible remotely');
    const gaveUp = steps.find((s) => /client gives up/i.test(s.title));
    assert.equal(gaveUp.result, 'met', gaveUp.expects.join(' | '));
    const healed = steps[steps.length - 1];
    assert.equal(healed.result, 'met', healed.expects.join(' | '));
    const entries = await logEntries(keepalive);
    assert.ok(entries.some((x) => x.lost && x.type === 12), 'a PINGREQ lost on the half-open link');
    assert.ok(entries.some((x) => x.lost && x.type === 1), 'a CONNECT lost on the half-open link');
    const sessions = await keepalive.textContent('[data-testid=device-list]');
    assert.match(sessions, /online/);
    assert.deepEqual(keepalive.errors, []);
  });
  await qos.close();
  await keepalive.close();
});
