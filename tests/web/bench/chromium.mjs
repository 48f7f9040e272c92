// The in-tab workloads in headless Chromium: the page imports the built library and runs them.
//   node tests/web/bench/chromium.mjs
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath, serveRepository } from '../browser_server.mjs';

const server = await serveRepository();
const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
try {
  const page = await browser.newPage();
  page.on('console', (m) => console.error('[page]', m.text()));
  await page.goto(`${server.origin}/tests/web/browser/page.html`);
  await page.waitForFunction(() => window.pageReady === true);
  const rows = await page.evaluate(async () => {
    const lib = await import('/web/dist/index.js');
    const { default: mqtt } = await import('/node_modules/mqtt/dist/mqtt.esm.js');
    const { runAll } = await import('/tests/web/bench/workload.mjs');
    return runAll(lib, mqtt, (row) => console.log(JSON.stringify(row)));
  });
  console.log('Chromium', browser.version(), '- deliveries per second (16-byte payloads)');
  console.table(rows);
} finally {
  await browser.close();
  server.close();
}
