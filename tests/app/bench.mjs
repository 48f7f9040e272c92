// The simulator app's performance figures (a benchmark, not a test): prints
//   1. how fast the page is interactive from localhost (navigation start -> the app's 'postcard-ready'
//      mark: module, wasm and first lesson loaded, panels drawn), cold cache, median of 5;
//   2. 10,000 virtual devices publishing once a second each in one tab at x1 (the simulation runs in a
//      Web Worker): frames per second on the page's main thread from requestAnimationFrame timing, long
//      tasks from Chromium's performance timeline (PerformanceObserver 'longtask' and
//      'long-animation-frame'), main-thread CPU, the worker's engine time, and how far the virtual clock
//      lags real time;
//   3. the topic tree with every device's topic in it: rows in the DOM and the time to expand all.
// Usage: scripts/test-app.sh --build-only && node tests/app/bench.mjs [devices] [seconds] [qos]
import path from 'node:path';
import { startApp, screenshotDir } from './helpers.mjs';

const devices = Number(process.argv[2] ?? 10000);
const seconds = Number(process.argv[3] ?? 10);
const qos = Number(process.argv[4] ?? 1);

const app = await startApp();
try {
  // ---- 1. time to interactive
  const loads = [];
  for (let i = 0; i < 5; i++) {
    const context = await app.browser.newContext({ serviceWorkers: 'block' });
    const page = await context.newPage();
    // Every response body, the worker's script, module and wasm included (the page's resource timing
    // does not list the worker's fetches).
    let bytes = 0;
    const sizes = [];
    context.on('requestfinished', (r) => sizes.push(r.sizes().then((x) => { bytes += x.responseBodySize + x.responseHeadersSize; })));
    await page.goto(app.url);
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
    const t = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const ready = performance.getEntriesByName('postcard-ready')[0];
      return { ready: ready.startTime, dcl: nav.domContentLoadedEventEnd };
    });
    await Promise.all(sizes);
    loads.push({ ...t, bytes });
    await context.close();
  }
  loads.sort((a, b) => a.ready - b.ready);
  const mid = loads[2];
  console.log(`page interactive (navigation start -> app ready, cold cache, median of 5): ${mid.ready.toFixed(0)} ms` +
    ` (DOMContentLoaded ${mid.dcl.toFixed(0)} ms, ${(mid.bytes / 1024).toFixed(0)} KiB transferred; min ${loads[0].ready.toFixed(0)}, max ${loads[4].ready.toFixed(0)} ms)`);

  // ---- 2. 10,000 devices at 1 msg/s
  const page = await app.browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(app.url);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  const scenario = {
    title: `${devices} sensors at 1 msg/s`, seed: 1, duration_ms: 3_600_000,
    devices: [
      { id: 'sensor-{i}', kind: 'sensor', count: devices, link: { latency_ms: 10, jitter_ms: 5 },
        sensor: { topic: 'plant/{i}/temperature', qos, every_ms: 1000, jitter_ms: 100,
                  generator: { kind: 'random_walk', value: 20, min: 10, max: 30, step: 0.5, decimals: 1 } } },
      { id: 'dashboard', kind: 'subscriber', link: { latency_ms: 10 }, subscriptions: [{ filter: 'plant/+/temperature', qos: 0 }] },
    ],
  };
  const loadMs = await page.evaluate(async (text) => {
    const t0 = performance.now();
    if (!(await window.postcard.loadText(text, ''))) throw new Error('scenario refused');
    return performance.now() - t0;
  }, JSON.stringify(scenario));
  // The same page with the simulation paused: what this machine gives an idle page right now.
  const idleFps = await page.evaluate(async () => {
    const frames = [];
    await new Promise((resolve) => {
      const tick = (t) => { frames.push(t); if (t - frames[0] < 3000) requestAnimationFrame(tick); else resolve(); };
      requestAnimationFrame(tick);
    });
    return (frames.length - 1) / ((frames[frames.length - 1] - frames[0]) / 1000);
  });
  await page.click('button[data-speed="1"]');
  const warmup = 5;
  await page.waitForTimeout(warmup * 1000);
  // Chromium's own counters: main-thread CPU time (ThreadTime) and where it went, over the window.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const m0 = await metrics();
  const result = await page.evaluate(async (secs) => {
    const frames = [];
    const longTasks = [];
    const observers = [];
    for (const type of ['longtask', 'long-animation-frame']) {
      try {
        const o = new PerformanceObserver((list) => { for (const e of list.getEntries()) longTasks.push({ type, d: e.duration }); });
        o.observe({ type, buffered: false });
        observers.push(o);
      } catch { /* type not supported */ }
    }
    const sim = window.postcard.sim;
    const v0 = sim.world.now();
    const stats0 = await sim.stats();
    const c0 = { ...sim.cost };
    const start = performance.now();
    await new Promise((resolve) => {
      const tick = (t) => { frames.push(t); if (t - start < secs * 1000) requestAnimationFrame(tick); else resolve(); };
      requestAnimationFrame(tick);
    });
    const elapsed = performance.now() - start;
    observers.forEach((o) => o.disconnect());
    // A control's round trip while the world runs: the page asks, the worker answers between slices.
    const trips = [];
    for (let i = 0; i < 9; i++) {
      const t0 = performance.now();
      await sim.stats();
      trips.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 50));
    }
    trips.sort((a, b) => a - b);
    const stats1 = await sim.stats();
    const cost = Object.fromEntries(Object.keys(c0).map((k) => [k, sim.cost[k] - c0[k]]));
    const gaps = frames.slice(1).map((t, i) => t - frames[i]).sort((a, b) => a - b);
    const pct = (p) => gaps[Math.min(gaps.length - 1, Math.floor(p * gaps.length))];
    return {
      fps: (frames.length - 1) / (elapsed / 1000), p50: pct(0.5), p95: pct(0.95), max: gaps[gaps.length - 1],
      virtual: (sim.world.now() - v0) / 1000, real: elapsed / 1000, lag: sim.lag,
      published: stats1.published - stats0.published, received: stats1.received - stats0.received,
      packets: stats1.packetsSent - stats0.packetsSent,
      longTasks: longTasks.filter((x) => x.type === 'longtask').length,
      loaf: longTasks.filter((x) => x.type === 'long-animation-frame').length,
      loafMax: Math.max(0, ...longTasks.filter((x) => x.type === 'long-animation-frame').map((x) => x.d)),
      logKept: window.postcard.log.count(), cost, tripP50: trips[4], tripMax: trips[8],
    };
  }, seconds);
  const m1 = await metrics();
  const d = (k) => m1[k] - m0[k];
  const frames = Math.max(1, Math.round(result.fps * result.real));
  console.log(`${devices} devices, QoS ${qos}, 1 msg/s each, x1 (scenario load ${loadMs.toFixed(0)} ms, ${warmup} s warm-up, ${result.real.toFixed(1)} s measured):`);
  console.log(`  the same page paused (3 s before the run): ${idleFps.toFixed(1)} fps`);
  console.log(`  frames: ${result.fps.toFixed(1)} fps (frame interval p50 ${result.p50.toFixed(1)} ms, p95 ${result.p95.toFixed(1)} ms, max ${result.max.toFixed(1)} ms)`);
  console.log(`  performance timeline: ${result.longTasks} long tasks (>50 ms), ${result.loaf} long animation frames (max ${result.loafMax.toFixed(0)} ms)`);
  console.log(`  main thread CPU (Chromium ThreadTime): ${(100 * d('ThreadTime') / result.real).toFixed(0)}% of a core, ` +
    `${(1000 * d('ThreadTime') / frames).toFixed(1)} ms per frame; script ${(1000 * d('ScriptDuration')).toFixed(0)} ms, ` +
    `layout ${(1000 * d('LayoutDuration')).toFixed(0)} ms, style ${(1000 * d('RecalcStyleDuration')).toFixed(0)} ms, tasks ${(1000 * d('TaskDuration')).toFixed(0)} ms`);
  const c = result.cost;
  console.log(`  worker: engines ${(c.runMs / result.real / 10).toFixed(0)}% of a core (${(c.runMs / Math.max(1, c.ticks)).toFixed(1)} ms per tick, ` +
    `${(c.ticks / result.real).toFixed(0)} ticks/s); page took ${(c.frames / result.real).toFixed(0)} worker frames/s at ${(c.panelsMs / Math.max(1, c.frames)).toFixed(2)} ms each`);
  console.log(`  a command's round trip page -> worker -> page while running: p50 ${result.tripP50.toFixed(1)} ms, max ${result.tripMax.toFixed(1)} ms (9 tries)`);
  console.log(`  machine load average while measuring: ${(await import('node:os')).loadavg()[0].toFixed(1)} on ${(await import('node:os')).cpus().length} cores`);
  console.log(`  simulation: ${result.virtual.toFixed(2)} virtual s in ${result.real.toFixed(2)} real s (lag ${result.lag.toFixed(0)} ms); ` +
    `${result.published} publishes (${(result.published / result.real).toFixed(0)}/s), ${result.received} deliveries, ${result.packets} packets; log keeps ${result.logKept}`);
  // ---- 3. the topic tree with every device's topic
  const tree = await page.evaluate(async () => {
    const sim = window.postcard.sim;
    await sim.setSpeed(0);
    await new Promise((r) => setTimeout(r, 600));  // the tree refreshes on a 250 ms timer
    const counter = document.querySelector('.topics .toolbar-row .small')?.textContent ?? '';
    const t0 = performance.now();
    [...document.querySelectorAll('.topics button')].find((b) => b.textContent === 'expand all').click();
    await new Promise((r) => setTimeout(r, 300));
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const rows = document.querySelectorAll('[data-testid=topic-tree] .vl-row').length;
    const height = document.querySelector('[data-testid=topic-tree] .vl-spacer').style.height;
    const t1 = performance.now();
    document.querySelector('[data-testid=topic-tree]').scrollTop = 1e9;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const last = [...document.querySelectorAll('[data-testid=topic-tree] .vl-row')].map((r) => r.dataset.topic).filter(Boolean).pop();
    return { counter, rows, height, expandMs: t1 - t0, scrollMs: performance.now() - t1, last };
  });
  console.log(`  topic tree: ${tree.counter}; after expand all ${tree.rows} rows in the DOM (scroll height ${tree.height}); ` +
    `expand all drawn within ${tree.expandMs.toFixed(0)} ms (includes a 300 ms timer wait), scroll to the end drawn in ${tree.scrollMs.toFixed(0)} ms (last row ${tree.last})`);
  if (devices === 10000) await page.screenshot({ path: path.join(screenshotDir, 'ten-thousand-devices.png') });
  await page.close();
} finally {
  await app.close();
}
