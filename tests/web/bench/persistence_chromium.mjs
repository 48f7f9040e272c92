// The cost of IndexedDB persistence in headless Chromium: sequential QoS 1 publishes (each waits for
// its PUBACK) into an offline persistent session, with and without persistence, then the restore time.
//   node tests/web/bench/persistence_chromium.mjs [messages]
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath, serveRepository } from '../browser_server.mjs';

const messages = Number(process.argv[2] ?? 500);
const server = await serveRepository();
const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
try {
  const page = await browser.newPage();
  await page.goto(`${server.origin}/tests/web/browser/persist.html`);
  await page.waitForFunction(() => window.pageReady === true);
  const rows = await page.evaluate(async (n) => {
    const lib = await import('/web/dist/index.js');
    const run = async (name, persistence) => {
      const broker = await lib.createBrokerAsync({ name, persistence });
      const url = `local://${name}`;
      const sub = await lib.connectAsync(url, { clientId: 'offline', clean: false, reconnectPeriod: 0 });
      await sub.subscribeAsync('bench/#', { qos: 1 });
      await sub.endAsync();
      const pub = await lib.connectAsync(url, { clientId: 'pub', reconnectPeriod: 0 });
      const t0 = performance.now();
      for (let i = 0; i < n; i++) await pub.publishAsync('bench/x', `message ${i}`, { qos: 1 });
      const ms = performance.now() - t0;
      await pub.endAsync();
      // Abandon this broker (no close(): the log keeps every entry) and time a restart over its database.
      let restoreMs;
      if (persistence) {
        const t1 = performance.now();
        const again = await lib.createBrokerAsync({ name: `${name}-again`, persistence });
        restoreMs = performance.now() - t1;
        await new Promise((r) => again.close(r));
      }
      return { persistence: persistence ? 'indexeddb' : 'none', messages: n, 'PUBACK round trip (ms)': +(ms / n).toFixed(3),
        'restart incl. restore (ms)': restoreMs === undefined ? '-' : +restoreMs.toFixed(1) };
    };
    return [await run('bench-mem', undefined),
      await run('bench-idb', { dbName: `bench-${Date.now()}`, compactEvery: 100000 })];
  }, messages);
  console.log('Chromium', browser.version());
  console.table(rows);
} finally {
  await browser.close();
  server.close();
}
