// Every shipped lesson, run in the tab from the lessons menu of the app served by the native broker:
// each step's expectations show ✓, the packet log holds the run's packets, and no page error occurs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { startApp, openApp, runAll, lessonResults, screenshotDir } from './helpers.mjs';

let app, page;
before(async () => {
  app = await startApp();
  page = await openApp(app);
  mkdirSync(screenshotDir, { recursive: true });
});
after(async () => { await app?.close(); });

test('the lessons menu lists the shipped lessons', async () => {
  const names = await page.$$eval('[data-testid=lesson-select] optgroup option', (o) => o.map((x) => x.value));
  assert.ok(names.length >= 7, `lessons: ${names}`);
  assert.ok(names.includes('04-last-will'));
  // The engines run in the simulation worker, not on the page's main thread.
  assert.ok(page.workers().some((w) => /worker[^/]*\.js$/.test(w.url())), page.workers().map((w) => w.url()).join(', '));
  assert.equal(await page.evaluate(() => typeof window.postcard.sim.module), 'undefined', 'no wasm module on the page');
});

test('every lesson runs to the end in the tab with every expectation met', async (t) => {
  const names = await page.$$eval('[data-testid=lesson-select] optgroup option', (o) => o.map((x) => x.value));
  for (const name of names) {
    await t.test(name, async () => {
      await page.selectOption('[data-testid=lesson-select]', name);
      await page.waitForFunction((n) => window.postcard.sim.lessonName === n, name);
      await runAll(page);
      const steps = await lessonResults(page);
      assert.ok(steps.length > 0, 'the lesson panel shows the steps');
      for (const s of steps) {
        assert.notEqual(s.result, 'failed', `${name} / ${s.title}: ${s.expects.join(' | ')}`);
        for (const line of s.expects) assert.ok(!line.startsWith('✗'), `${name} / ${s.title}: ${line}`);
      }
      assert.ok(steps.some((s) => s.result === 'met' && s.expects.length > 0), `${name}: some expectation was checked`);
      const counter = await page.textContent('.log-panel .panel-head .small');
      const kept = Number(counter.split('·')[1].replace(/[^0-9]/g, ''));
      assert.ok(kept > 0, `packets in the log: ${counter}`);
      const types = await page.$$eval('[data-testid=packet-log] .vl-row', (rows) => rows.map((r) => r.dataset.type));
      assert.ok(types.length > 0, 'log rows are drawn');
      assert.deepEqual(page.errors, []);
    });
  }
});

test('the first packets of a run are CONNECT then CONNACK, decoded in the detail pane with their bytes', async () => {
  await page.selectOption('[data-testid=lesson-select]', '01-publish-subscribe');
  await page.click('[data-testid=step]');
  for (let i = 0; i < 20; i++) await page.click('[data-testid=step]');
  await page.waitForTimeout(300);
  await page.evaluate(() => { document.querySelector('[data-testid=packet-log]').scrollTop = 0; });
  await page.evaluate(() => window.postcard.log.idle());
  const first = await page.$$eval('[data-testid=packet-log] .vl-row', (rows) => rows.slice(0, 2).map((r) => r.dataset.type));
  assert.deepEqual(first.slice(0, 1), ['CONNECT']);
  await page.click('[data-testid=packet-log] .vl-row >> nth=0');
  await page.waitForSelector('[data-testid=packet-detail] pre.hex');  // decoded by the worker on demand
  const detail = await page.textContent('[data-testid=packet-detail]');
  assert.match(detail, /clientId"kitchen-temp"/);
  assert.match(detail, /protocolVersion4/);
  assert.match(detail, /0000 {2}10 /, 'hex dump starts with the CONNECT fixed header 0x10');
});
