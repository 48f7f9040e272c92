// MQTT v5 enhanced authentication from JS (SCRAM-SHA-256) against the native broker with a
// scram_file: MQTT.js's `properties.authenticationMethod` / `authenticationData` and
// `client.handleAuth(packet, cb)`, Postcard's `client.reauthenticate(properties, cb)`, from Node and
// from a Chromium page (WebCrypto PBKDF2 / HMAC in both). Skipped when build/bin/postcard (or
// $POSTCARD_BIN) is not built. $POSTCARD_WEB_DIST (repository-relative) picks another built dist.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath, serveRepository } from './browser_server.mjs';
import { postcardBinary, root, startBrokerProcess } from './helpers.mjs';
import { scramEntry } from './scram_client.mjs';
import { scramRefused, scramSession } from './auth_scenarios.mjs';

const dist = process.env.POSTCARD_WEB_DIST ?? 'web/dist';
const skip = !existsSync(postcardBinary) && `${postcardBinary} not built`;
const skipChromium = skip || (!existsSync(chromiumPath) && `${chromiumPath} not installed`);
let lib, broker, dir;

before(async () => {
  if (skip) return;
  lib = await import(pathToFileURL(join(root, dist, 'index.js')).href);
  dir = mkdtempSync(join(tmpdir(), 'postcard-scram-'));
  const file = join(dir, 'scram');
  writeFileSync(file, `${await scramEntry('alice', 'wonderland')}\n${await scramEntry('bob', 'builder')}\n`);
  broker = await startBrokerProcess({ command: postcardBinary, extraConfig: [`scram_file ${file}`] });
});

after(async () => {
  await broker?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function checkSession(r, label) {
  assert.equal(r.connackCode, 0, label);
  assert.deepEqual(r.connectExchange, [0x18], `${label}: one AUTH 0x18 challenge before CONNACK`);
  assert.equal(r.serverVerified, true, `${label}: CONNACK carries the server's signature`);
  assert.equal(r.first, 'after connect', label);
  assert.equal(r.reauth.ok, true, `${label}: ${r.reauth.message}`);
  assert.deepEqual(r.reauth.exchange, [0x18, 0x00], `${label}: AUTH 0x18 then AUTH 0x00`);
  assert.equal(r.reauth.serverVerified, true, label);
  assert.equal(r.second, 'after re-authentication', label);
  assert.equal(r.connectedAfter, true, label);
  assert.deepEqual(r.errors, [], label);
}

function checkRefused(r, label) {
  assert.equal(r.connected, false, label);
  assert.deepEqual(r.exchange, [0x18], `${label}: the proof was sent`);
  assert.ok(r.code === 0x86 || r.code === 0x87, `${label}: CONNACK 0x86/0x87 as the error, got ${r.code} ${r.message}`);
}

test('Node: SCRAM-SHA-256 CONNECT + re-authentication through handleAuth', { skip }, async () => {
  checkSession(await scramSession(lib, broker.url, 'alice', 'wonderland'), 'node');
});

test('Node: wrong password -> error event with CONNACK 0x87', { skip }, async () => {
  checkRefused(await scramRefused(lib, broker.url, 'alice', 'looking-glass'), 'node wrong password');
  checkRefused(await scramRefused(lib, broker.url, 'nobody', 'x'), 'node unknown user');
});

test('Node: re-authentication with a wrong password fails the callback and the connection', { skip }, async () => {
  const r = await scramSession(lib, broker.url, 'bob', 'builder', 'not-bob');
  assert.equal(r.connackCode, 0);
  assert.equal(r.first, 'after connect');
  assert.equal(r.reauth.ok, false);
  assert.equal(r.reauth.code, 0x87, r.reauth.message);
  assert.equal(r.connectedAfter, false);
});

test('Node: the auth event + client.auth(data) path', { skip }, async () => {
  const { scramClient } = await import('./scram_client.mjs');
  const scram = scramClient('alice', 'wonderland');
  const client = lib.connect(broker.url, {
    protocolVersion: 5, reconnectPeriod: 0, clientId: 'scram-event',
    properties: { authenticationMethod: 'SCRAM-SHA-256', authenticationData: scram.first() },
  });
  const seen = [];
  client.on('auth', async (e) => {
    seen.push(e.reasonCode);
    if (e.reasonCode === 0x18) assert.ok(client.auth(await scram.final(e.properties.authenticationData)) >= 0);
  });
  const connack = await new Promise((res, rej) => {
    client.once('connect', res);
    client.once('error', rej);
  });
  assert.deepEqual(seen, [0x18]);
  assert.equal(scram.verify(connack.properties.authenticationData), true);
  await client.endAsync();
});

test('Node: handleAuth refusing the challenge (synchronously) -> error event, connection dropped', { skip }, async () => {
  const { scramClient } = await import('./scram_client.mjs');
  const client = lib.connect(broker.url, {
    protocolVersion: 5, reconnectPeriod: 0, clientId: 'scram-refuse',
    properties: { authenticationMethod: 'SCRAM-SHA-256', authenticationData: scramClient('alice', 'x').first() },
  });
  client.handleAuth = (_packet, cb) => cb(new Error('not talking to this server'));
  let connected = false;
  client.on('connect', () => (connected = true));
  const [err] = await Promise.all([
    new Promise((res) => client.once('error', res)),
    new Promise((res) => client.once('offline', res)),
  ]);
  assert.equal(err.message, 'not talking to this server');
  assert.equal(connected, false);
  assert.equal(client.connected, false);
  await client.endAsync();
});

test('Chromium page: SCRAM-SHA-256 with WebCrypto, wrong password, re-authentication', { skip: skipChromium }, async () => {
  const server = await serveRepository();
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  try {
    const page = await (await browser.newContext()).newPage();
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(`${server.origin}/tests/web/browser/blank.html`);
    const r = await page.evaluate(async ({ url, dist }) => {
      const lib = await import(`/${dist}/index.js`);
      const s = await import('/tests/web/auth_scenarios.mjs');
      return {
        secure: window.isSecureContext,
        session: await s.scramSession(lib, url, 'alice', 'wonderland'),
        refused: await s.scramRefused(lib, url, 'alice', 'wrong'),
        badReauth: await s.scramSession(lib, url, 'bob', 'builder', 'wrong'),
      };
    }, { url: broker.url, dist });
    assert.equal(r.secure, true, 'crypto.subtle needs a secure context (http://127.0.0.1 is one)');
    checkSession(r.session, 'chromium');
    checkRefused(r.refused, 'chromium wrong password');
    assert.equal(r.badReauth.reauth.code, 0x87, r.badReauth.reauth.message);
    assert.equal(r.badReauth.connectedAfter, false);
    assert.deepEqual(pageErrors, []);
  } finally {
    await browser.close();
    server.close();
  }
});
