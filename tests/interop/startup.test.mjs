// The postcard executable's start-up: bad configuration stops it before any port opens, with
// "file:line: what is wrong"; --help and --version; -p without -c listens on loopback only; SIGTERM and
// SIGINT exit 0; HTTP and /metrics on a websockets listener.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { writeFileSync } from 'node:fs';
import { postcardBinary, startBroker, freePort, run, tempDir } from './harness.mjs';

const canConnect = (port) => new Promise((resolve) => {
  const s = net.connect(port, '127.0.0.1');
  s.on('connect', () => { s.destroy(); resolve(true); });
  s.on('error', () => resolve(false));
});

function rawGetStatus(port, target) {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
    let data = '';
    s.on('data', (d) => { data += d; });
    s.on('end', () => resolve(Number(data.split(' ')[1])));
    s.on('error', reject);
  });
}

test('an unknown directive stops postcard with file:line before any port opens', async () => {
  const port = await freePort();
  const dir = tempDir();
  const conf = `${dir}/bad.conf`;
  writeFileSync(conf, `listener ${port} 127.0.0.1\r\nallow_anonymous true\r\nmax_inflight_mesages 10\r\n`);
  const r = await run(postcardBinary, ['-c', conf]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`${conf.replace(/[.]/g, '\\.')}:3: .*max_inflight_mesages`));
  assert.equal(await canConnect(port), false);
});

test('a malformed value names its line', async () => {
  const dir = tempDir();
  const conf = `${dir}/bad.conf`;
  writeFileSync(conf, '# comment\n\nlistener 70000\n');
  const r = await run(postcardBinary, ['-c', conf]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /bad\.conf:3: /);
});

test('a missing configuration file is an error', async () => {
  const r = await run(postcardBinary, ['-c', '/nonexistent/postcard.conf']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /nonexistent\/postcard\.conf/);
});

test('--help and --version', async () => {
  let r = await run(postcardBinary, ['--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /-c/);
  assert.match(r.stdout, /-p/);
  r = await run(postcardBinary, ['--version']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /postcard/i);
});

test('-p listens on loopback and SIGINT exits 0', async () => {
  const port = await freePort();
  const dir = tempDir();
  const { spawn } = await import('node:child_process');
  const child = spawn(postcardBinary, ['-p', String(port)], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => { log += d; });
  child.stdout.on('data', (d) => { log += d; });
  const deadline = Date.now() + 5000;
  while (!(await canConnect(port))) {
    assert.ok(Date.now() < deadline, `postcard -p ${port} did not listen: ${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGINT');
  assert.equal(await exited, 0, log);
});

test('a websockets listener serves the web app directory and /metrics over HTTP', async () => {
  const port = await freePort();
  const dir = tempDir();
  writeFileSync(`${dir}/index.html`, '<!doctype html><title>app</title>');
  writeFileSync(`${dir}/app.wasm`, Buffer.from([0, 97, 115, 109]));
  const broker = await startBroker({
    configText: `listener ${port} 127.0.0.1\nprotocol websockets\nhttp_dir ${dir}\nallow_anonymous true\n`,
    waitPort: port,
  });
  try {
    let res = await fetch(`http://127.0.0.1:${port}/`);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), '<!doctype html><title>app</title>');
    res = await fetch(`http://127.0.0.1:${port}/app.wasm`);
    assert.equal(res.headers.get('content-type'), 'application/wasm');
    // fetch() would normalize these paths: send them as they are.
    for (const target of ['/../etc/passwd', '/%2e%2e/etc/passwd', '/.hidden']) {
      const status = await rawGetStatus(port, target);
      assert.equal(status, 403, target);
    }
    res = await fetch(`http://127.0.0.1:${port}/missing.js`);
    assert.equal(res.status, 404);
    res = await fetch(`http://127.0.0.1:${port}/metrics`);
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.match(text, /^postcard_clients_connected 0$/m);
    assert.match(text, new RegExp(`^postcard_listener_connections_total\\{listener="ws:127\\.0\\.0\\.1:${port}"\\} \\d+$`, 'm'));
  } finally {
    assert.equal(await broker.stop(), 0);
  }
});

test('a password file line that cannot be read is skipped with a file:line warning in the log', async () => {
  const port = await freePort();
  const dir = tempDir();
  const made = await run('mosquitto_passwd', ['-c', '-b', `${dir}/passwords`, 'alice', 'a-pass']);
  assert.equal(made.code, 0, made.stderr);
  const { appendFileSync } = await import('node:fs');
  appendFileSync(`${dir}/passwords`, 'bob:$7$not-a-hash\n');
  const broker = await startBroker({
    configText: `listener ${port} 127.0.0.1\nallow_anonymous false\npassword_file ${dir}/passwords\n`,
    waitPort: port,
  });
  try {
    assert.match(broker.log(), /Password file: .*passwords:2: /);
    const ok = await run('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '-u', 'alice', '-P', 'a-pass', '-t', 't', '-m', 'x']);
    assert.equal(ok.code, 0, ok.stderr);
  } finally {
    await broker.stop();
  }
});
