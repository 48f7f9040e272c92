// Shared by the app tests and the benchmark: the native broker serving web/app/dist (and MQTT over
// WebSocket on the same port), headless Chromium, and small page helpers.
import { chromium } from 'playwright-core';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { startBroker, freePort, root } from '../interop/harness.mjs';

export const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const distDir = path.join(root, 'web/app/dist');
export const screenshotDir = path.join(root, 'docs/screenshots');

export async function startApp() {
  if (!existsSync(path.join(distDir, 'sim/postcard-sim.wasm'))) {
    throw new Error('web/app/dist is not built: run scripts/test-app.sh --build-only');
  }
  const port = await freePort();
  const broker = await startBroker({
    configText: `listener ${port} 127.0.0.1\nprotocol websockets\nhttp_dir ${distDir}\nallow_anonymous true\n`,
    waitPort: port,
  });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs });
  return {
    port, broker, browser,
    url: `http://127.0.0.1:${port}/`,
    wsUrl: `ws://127.0.0.1:${port}/`,
    async close() { await browser.close(); await broker.stop(); },
  };
}

// Opens the app at `hash` and waits until it is ready.
export async function openApp(app, hash = '', { width = 1440, height = 900 } = {}) {
  const page = await app.browser.newPage({ viewport: { width, height } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${app.url}${hash ? '#' + hash : ''}`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 15000 });
  page.errors = errors;
  return page;
}

// Runs the loaded scenario to virtual time `t` (ms) through the "max" speed button, then pauses.
export async function runTo(page, t) {
  await page.evaluate((target) => window.postcard.sim.runTo(target), t);
  await page.waitForTimeout(350);  // panels refresh on their timers
}

export async function runAll(page) {
  await page.click('button[data-speed="max"]');
  await page.waitForFunction(() => window.postcard.sim.world.finished(), null, { timeout: 60000 });
  await page.waitForTimeout(400);
}

// What the lesson panel shows: per step, 'met' | 'failed' | 'pending', and the expectation lines.
export async function lessonResults(page) {
  return page.$$eval('[data-testid=lesson] li.step', (steps) => steps.map((s) => ({
    result: s.dataset.result,
    title: s.querySelector('strong')?.textContent ?? '',
    expects: [...s.querySelectorAll('.expects li')].map((li) => li.textContent),
  })));
}
