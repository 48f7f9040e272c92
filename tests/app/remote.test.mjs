// Remote mode: the same lesson with every device on its own WebSocket (subprotocol mqtt) to the native
// broker that serves the page, switched on in the toolbar.
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

test('lesson 01 against the native broker over ws:// meets its expectations', { timeout: 60000 }, async () => {
  const page = await openApp(app, 'lesson=01-publish-subscribe');
  await page.click('[data-testid=mode] button[data-mode=remote]');
  await page.fill('[data-testid=remote-url]', app.wsUrl);
  await page.dispatchEvent('[data-testid=remote-url]', 'change');
  await page.waitForFunction(() => window.postcard.sim.isRemote);
  await page.click('button[data-speed="1"]');
  await page.waitForFunction(() => window.postcard.sim.world.finished(), null, { timeout: 30000 });
  await page.waitForTimeout(500);
  const steps = await lessonResults(page);
  const last = steps[steps.length - 1];
  assert.equal(last.result, 'met', last.expects.join(' | '));
  assert.equal(last.expects.length, 4);
  const types = await page.evaluate(() => window.postcard.log['entries'].map((x) => x.e.type));
  assert.ok(types.includes(1) && types.includes(2), 'CONNECT and CONNACK on the wire');
  assert.ok(types.filter((t) => t === 3).length >= 8 + 18, 'PUBLISH both ways');
  const sessions = await page.textContent('[data-testid=device-list]');
  assert.match(sessions, /online/);
  await page.screenshot({ path: path.join(screenshotDir, 'remote-mode.png') });
  assert.deepEqual(page.errors, []);
  await page.close();
});
