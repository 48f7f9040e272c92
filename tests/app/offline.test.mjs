// Offline once loaded: after one visit the service worker answers from its cache, so the app starts and
// runs a lesson with the network gone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp } from './helpers.mjs';

let app;
before(async () => { app = await startApp(); });
after(async () => { await app?.close(); });

test('the app loads and runs a lesson offline after one visit', { timeout: 60000 }, async () => {
  const context = await app.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${app.url}#lesson=03-retained-messages`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();  // now controlled: every file passes through the worker and is kept
  await page.waitForFunction(() => document.body.dataset.ready === 'true' && navigator.serviceWorker.controller !== null);
  await context.setOffline(true);
  await page.reload();
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 15000 });
  await page.click('button[data-speed="max"]');
  await page.waitForFunction(() => window.postcard.sim.world.finished(), null, { timeout: 30000 });
  await page.waitForTimeout(400);
  const results = await page.$$eval('[data-testid=lesson] li.step', (s) => s.map((x) => x.dataset.result));
  assert.ok(results.includes('met') && !results.includes('failed'), results.join(','));
  await context.close();
});
