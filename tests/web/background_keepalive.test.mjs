// Keepalive in a background tab, in headless Chromium (playwright-core), against the native broker
// over ws:// and the in-tab broker. What headless Chromium 156 can and cannot emulate (checked
// with CDP): its pages never become hidden (another page brought to the front, a minimized window,
// a Target.createTarget {background: true} page all stay `visible`), and Page.setWebLifecycleState
// {state: 'frozen'} is accepted but does nothing to a visible page (timers keep firing). So:
//  - "hidden": an init script makes document.hidden / visibilityState report hidden, dispatches
//    visibilitychange, and throttles the page's own setTimeout the way Chromium's intensive
//    throttling of hidden tabs does (a timer that falls due while hidden waits for the once-a-minute
//    wake-up, i.e. past the end of this test, or for the page to become visible). Dedicated workers
//    are not throttled, as in Chromium. The library must keep its keepalive going from its worker.
//  - "frozen": CDP Debugger.pause stops the page's main thread outright (no timer, no socket event,
//    no worker message runs), like a frozen tab; Debugger.resume thaws it. The native broker closes
//    the silent connection after 1.5 x keepalive; on thawing the client must notice, reconnect,
//    resubscribe (clean session) or receive its queued QoS 1 messages (persistent session); a client
//    of the in-tab broker (frozen with it) must be connected and served afterwards.
// Skipped when Chromium or build/bin/postcard ($POSTCARD_BIN) is missing. $POSTCARD_WEB_DIST picks
// another built dist (repository-relative; default web/dist).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath, serveRepository } from './browser_server.mjs';
import { postcardBinary, root, startBrokerProcess } from './helpers.mjs';

const dist = process.env.POSTCARD_WEB_DIST ?? 'web/dist';
const skip = (!existsSync(chromiumPath) && `${chromiumPath} not installed`) ||
  (!existsSync(postcardBinary) && `${postcardBinary} not built`);
const keepalive = 2;  // seconds: the native broker closes a connection silent for 3 s [MQTT-3.1.2-22]
let server, browser, broker, lib, observer;
const wills = [];

// Runs in the page before its scripts: hidden-tab emulation (see the top of this file).
function emulateHiddenTab() {
  const realSetTimeout = window.setTimeout.bind(window);
  const realClearTimeout = window.clearTimeout.bind(window);
  let hidden = false;
  let nextId = 1;
  const live = new Map();  // our id -> real id (or null once held while hidden)
  const held = [];         // callbacks that fell due while hidden, in due order
  Object.defineProperty(Document.prototype, 'hidden', { configurable: true, get: () => hidden });
  Object.defineProperty(Document.prototype, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
  window.setTimeout = (fn, ms, ...args) => {
    const id = nextId++;
    const run = () => {
      if (!live.has(id)) return;
      if (hidden) {
        live.set(id, null);
        held.push(run);
        return;
      }
      live.delete(id);
      if (typeof fn === 'function') fn(...args);
    };
    live.set(id, realSetTimeout(run, ms));
    return id;
  };
  window.clearTimeout = (id) => {
    const real = live.get(id);
    live.delete(id);
    if (real) realClearTimeout(real);
  };
  window.__setHidden = (value) => {
    hidden = value;
    document.dispatchEvent(new Event('visibilitychange'));
    if (!hidden) for (const run of held.splice(0)) run();
  };
}

before(async () => {
  if (skip) return;
  lib = await import(pathToFileURL(join(root, dist, 'index.js')).href);
  server = await serveRepository();
  broker = await startBrokerProcess({ command: postcardBinary });
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  observer = await lib.connectAsync(broker.url, { protocolVersion: 5, clientId: 'ka-observer' });
  observer.on('message', (topic, payload) => wills.push([topic, new TextDecoder().decode(payload)]));
  await observer.subscribeAsync('will/#', { qos: 1 });
});

after(async () => {
  await observer?.endAsync();
  await browser?.close();
  server?.close();
  await broker?.stop();
});

async function openPage() {
  const context = await browser.newContext();
  await context.addInitScript(emulateHiddenTab);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${server.origin}/tests/web/browser/blank.html`);
  await page.evaluate(async (dist) => {
    window.lib = await import(`/${dist}/index.js`);
    window.log = [];
    window.clients = {};
    window.stamp = () => Math.round(performance.now());
    window.watch = (name, client) => {
      const at = (entry) => log.push({ c: name, t: stamp(), ...entry });
      client.on('connect', (p) => at({ ev: 'connect', sessionPresent: p.sessionPresent }));
      client.on('offline', () => at({ ev: 'offline' }));
      client.on('reconnect', () => at({ ev: 'reconnect' }));
      client.on('error', (e) => at({ ev: 'error', message: e.message }));
      client.on('packetsend', (p) => at({ ev: 'send', cmd: p.cmd }));
      client.on('message', (topic, payload) => at({ ev: 'message', topic, payload: new TextDecoder().decode(payload) }));
      clients[name] = client;
    };
  }, dist);
  return { page, context, errors };
}

test('hidden tab, page timers throttled: keepalive survives 3.5 x keepalive on ws:// and in-tab', { skip }, async () => {
  const { page, context, errors } = await openPage();
  try {
    await page.evaluate(async ({ url, keepalive }) => {
      const broker = lib.createBroker({ name: 'ka' });
      window.broker = broker;
      broker.on('willPublished', (e) => log.push({ c: 'broker', ev: 'will', t: stamp(), clientId: e.clientId }));
      broker.on('clientDisconnected', (e) => log.push({ c: 'broker', ev: 'disconnected', t: stamp(), clientId: e.clientId }));
      const opts = (id) => ({ protocolVersion: 5, clientId: id, keepalive, reconnectPeriod: 500,
        will: { topic: `will/${id}`, payload: 'gone', qos: 1 } });
      for (const [name, u] of [['ka-native', url], ['ka-local', 'local://ka']]) {
        const c = lib.connect(u, opts(name));
        watch(name, c);
        await new Promise((res, rej) => { c.once('connect', res); c.once('error', rej); });
        await c.subscribeAsync(`ka/${name}`, { qos: 1 });
      }
    }, { url: broker.url, keepalive });

    const t0 = await page.evaluate(() => {
      window.__setHidden(true);
      window.probeFired = false;
      setTimeout(() => (window.probeFired = true), 100);  // the emulation holds this until visible
      return stamp();
    });
    await sleep(3500);
    await observer.publishAsync('ka/ka-native', 'while hidden', { qos: 1 });
    await page.evaluate(() => broker.publish('ka/ka-local', 'while hidden', { qos: 1 }));
    await sleep(3500);
    const r = await page.evaluate(() => {
      const out = { t1: stamp(), probeFired: window.probeFired, state: document.visibilityState, log: [...log] };
      window.__setHidden(false);
      return out;
    });
    assert.equal(r.state, 'hidden');
    assert.equal(r.probeFired, false, 'page setTimeout was throttled while hidden');
    assert.ok(r.t1 - t0 >= 3.5 * keepalive * 1000 - 100, `hidden for ${r.t1 - t0} ms`);
    for (const name of ['ka-native', 'ka-local']) {
      const mine = r.log.filter((e) => e.c === name && e.t >= t0);
      const pings = mine.filter((e) => e.ev === 'send' && e.cmd === 'pingreq');
      assert.ok(pings.length >= 2, `${name}: ${pings.length} PINGREQ while hidden for ${r.t1 - t0} ms`);
      assert.deepEqual(mine.filter((e) => ['offline', 'reconnect', 'error', 'connect'].includes(e.ev)), [], `${name} kept its connection`);
      assert.deepEqual(mine.filter((e) => e.ev === 'message').map((e) => e.payload), ['while hidden'], `${name} got the message while hidden`);
    }
    assert.deepEqual(r.log.filter((e) => e.c === 'broker'), [], 'the in-tab broker closed nobody');
    assert.deepEqual(wills.filter(([t]) => t.startsWith('will/ka-')), [], 'the native broker published no will');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('frozen tab (main thread paused) past the keepalive: reconnect, resubscribe, queued QoS 1 delivered', { skip }, async () => {
  const { page, context, errors } = await openPage();
  try {
    await page.evaluate(async ({ url, keepalive }) => {
      const specs = [
        ['fz-keep', { clean: false, properties: { sessionExpiryInterval: 300 } }],
        ['fz-clean', { clean: true }],
      ];
      for (const [name, extra] of specs) {
        const c = lib.connect(url, { protocolVersion: 5, clientId: name, keepalive, reconnectPeriod: 500,
          will: { topic: `will/${name}`, payload: 'gone', qos: 1 }, ...extra });
        watch(name, c);
        await new Promise((res, rej) => { c.once('connect', res); c.once('error', rej); });
        await c.subscribeAsync(`fz/${name}`, { qos: 1 });
      }
      // The in-tab pair freezes with the page: whichever timer runs first on thawing (the client's
      // PINGREQ or the broker's keepalive check), the client must end up connected and served.
      window.broker = lib.createBroker({ name: 'fz' });
      const local = lib.connect('local://fz', { protocolVersion: 5, clientId: 'fz-local', keepalive, reconnectPeriod: 500,
        clean: false, properties: { sessionExpiryInterval: 300 } });
      watch('fz-local', local);
      await new Promise((res, rej) => { local.once('connect', res); local.once('error', rej); });
      await local.subscribeAsync('fz/fz-local', { qos: 1 });
      setInterval(() => (window.beat = stamp()), 50);  // gives Debugger.pause a statement to stop at
    }, { url: broker.url, keepalive });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Debugger.enable');
    const paused = new Promise((res) => cdp.once('Debugger.paused', res));
    await cdp.send('Debugger.pause');
    await paused;
    const frozenAt = Date.now();
    // The broker notices the silence (1.5 x keepalive) and publishes both wills.
    const until = Date.now() + 15000;
    const gone = () => ['fz-keep', 'fz-clean'].every((n) => wills.some(([t]) => t === `will/${n}`));
    while (!gone() && Date.now() < until) await sleep(100);
    assert.ok(gone(), `wills while frozen: ${JSON.stringify(wills)}`);
    for (const n of [1, 2, 3]) await observer.publishAsync('fz/fz-keep', `queued ${n}`, { qos: 1 });
    const frozenMs = Date.now() - frozenAt;
    assert.ok(frozenMs > keepalive * 1000, `frozen ${frozenMs} ms`);
    await cdp.send('Debugger.resume');
    await cdp.send('Debugger.disable');

    await page.waitForFunction(() => {
      const again = (n) => log.filter((e) => e.c === n && e.ev === 'connect').length >= 2;
      const got = log.filter((e) => e.c === 'fz-keep' && e.ev === 'message').length;
      return again('fz-keep') && again('fz-clean') && got >= 3 &&
        log.some((e) => e.c === 'fz-clean' && e.ev === 'send' && e.cmd === 'subscribe' &&
          e.t > log.filter((x) => x.c === 'fz-clean' && x.ev === 'connect')[1].t - 1);
    }, null, { timeout: 20000 });
    await observer.publishAsync('fz/fz-keep', 'after keep', { qos: 1 });
    await observer.publishAsync('fz/fz-clean', 'after clean', { qos: 1 });
    await page.waitForFunction(() => log.filter((e) => e.ev === 'message' && e.payload.startsWith('after')).length >= 2,
      null, { timeout: 10000 });
    await page.waitForFunction(() => clients['fz-local'].connected, null, { timeout: 10000 });
    await page.evaluate(() => broker.publish('fz/fz-local', 'after local', { qos: 1 }));
    await page.waitForFunction(() => log.some((e) => e.c === 'fz-local' && e.ev === 'message'), null, { timeout: 10000 });
    const r = await page.evaluate(() => log);
    assert.deepEqual(r.filter((e) => e.c === 'fz-local' && e.ev === 'message').map((e) => e.payload), ['after local']);
    for (const name of ['fz-keep', 'fz-clean']) {
      const mine = r.filter((e) => e.c === name);
      const events = mine.filter((e) => ['connect', 'offline', 'reconnect'].includes(e.ev)).map((e) => e.ev);
      assert.deepEqual(events.slice(0, 2), ['connect', 'offline'], `${name}: ${events}`);
      assert.ok(events.includes('reconnect'), `${name}: ${events}`);
      assert.equal(events.at(-1), 'connect', `${name}: ${events}`);
    }
    const connects = (n) => r.filter((e) => e.c === n && e.ev === 'connect');
    assert.equal(connects('fz-keep')[1].sessionPresent, true, 'the persistent session stayed');
    assert.equal(connects('fz-clean')[1].sessionPresent, false);
    const keepMessages = r.filter((e) => e.c === 'fz-keep' && e.ev === 'message').map((e) => e.payload);
    assert.deepEqual(keepMessages, ['queued 1', 'queued 2', 'queued 3', 'after keep']);
    const resub = r.filter((e) => e.c === 'fz-clean' && e.ev === 'send' && e.cmd === 'subscribe');
    assert.equal(resub.length, 2, 'subscribed, then resubscribed after the reconnect');
    assert.deepEqual(r.filter((e) => e.c === 'fz-clean' && e.ev === 'message').map((e) => e.payload), ['after clean']);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
