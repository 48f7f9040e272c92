// Headless Chromium: a persistent in-tab broker (real IndexedDB) keeps its sessions and retained
// messages across a page reload. The broker is not closed before the reload: what survives is what
// the log had committed when the page went away.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath, serveRepository } from './browser_server.mjs';

const skip = !existsSync(chromiumPath) && `${chromiumPath} not installed`;
let server, browser;

before(async () => {
  if (skip) return;
  server = await serveRepository();
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
});

after(async () => {
  await browser?.close();
  server?.close();
});

test('Chromium: reload the page, the broker resumes the session and keeps the retained message', { skip }, async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const url = `${server.origin}/tests/web/browser/persist.html`;
  await page.goto(url);
  await page.waitForFunction(() => window.pageReady === true, null, { timeout: 15000 });
  const b = await page.evaluate(() => window.runBefore());
  assert.deepEqual(b, { granted: [1], queued: [3] });

  await page.reload();
  await page.waitForFunction(() => window.pageReady === true, null, { timeout: 15000 });
  const r = await page.evaluate(() => window.runAfter());
  assert.equal(r.sessionPresent, true);
  assert.deepEqual(r.sessions, [{ clientId: 'keeper', queued: 3, subscriptions: 1 }]);
  assert.deepEqual(r.retained, ['persist/retained']);
  assert.deepEqual(r.received.map((m) => [m.topic, m.payload, m.qos]),
    [['persist/retained', 'kept', 1], ['persist/q', 'queued 1', 1], ['persist/q', 'queued 2', 1]]);
  assert.deepEqual(r.retainedMessage, { topic: 'persist/retained', payload: 'kept', retain: true });
  assert.deepEqual(r.errors, []);
  assert.deepEqual(errors, []);
  await context.close();
});
