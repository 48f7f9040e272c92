// Test helpers: paths to the built library, free ports, and brokers in child processes (Debian's
// mosquitto now, Postcard's native broker build/bin/postcard later: both take a Mosquitto-style -c file).
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const distIndex = join(root, 'web/dist/index.js');
export const postcardBinary = process.env.POSTCARD_BIN ?? join(root, 'build/bin/postcard');

export function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

function waitForPort(port, ms, child) {
  const until = Date.now() + ms;
  return new Promise((res, rej) => {
    const attempt = () => {
      if (child.exitCode !== null) return rej(new Error(`broker exited with ${child.exitCode}`));
      const sock = tcpConnect(port, '127.0.0.1');
      sock.once('connect', () => {
        sock.destroy();
        res();
      });
      sock.once('error', () => {
        sock.destroy();
        if (Date.now() > until) rej(new Error(`broker did not listen on ${port}`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

// A self-signed EC certificate for 127.0.0.1 / localhost (0.01 s to make).
export function makeCertificate(dir) {
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
  return { key, cert };
}

/**
 * Starts a broker process with a Mosquitto-style config: one WebSocket listener on a free loopback
 * port (wss with a self-signed certificate when `tls`), anonymous access. Returns { url, port, stop }.
 *   startBrokerProcess({ command: 'mosquitto' })
 *   startBrokerProcess({ command: postcardBinary, tls: true })
 */
export async function startBrokerProcess({ command = 'mosquitto', tls = false, extraConfig = [], args = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'postcard-web-'));
  const port = await freePort();
  // Mosquitto 2.0.11 refuses to start with only a websockets listener (its libwebsockets build):
  // a plain MQTT listener on another loopback port comes first.
  const mqttPort = await freePort();
  const lines = ['allow_anonymous true', `listener ${mqttPort} 127.0.0.1`, `listener ${port} 127.0.0.1`, 'protocol websockets'];
  if (tls) {
    const { key, cert } = makeCertificate(dir);
    lines.push(`certfile ${cert}`, `keyfile ${key}`);
  }
  lines.push(...extraConfig);
  const conf = join(dir, 'broker.conf');
  writeFileSync(conf, lines.join('\n') + '\n');
  const child = spawn(command, ['-c', conf, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  try {
    await waitForPort(port, 5000, child);
  } catch (err) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${err.message}\n${log}`);
  }
  const url = `${tls ? 'wss' : 'ws'}://127.0.0.1:${port}/mqtt`;
  return {
    url,
    port,
    mqttPort,
    log: () => log,
    stop: () =>
      new Promise((res) => {
        if (child.exitCode !== null) return res();
        child.once('exit', () => {
          rmSync(dir, { recursive: true, force: true });
          res();
        });
        child.kill('SIGTERM');
        setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 2000).unref();
      }),
  };
}

export const haveMosquitto = existsSync('/usr/sbin/mosquitto') || existsSync('/usr/bin/mosquitto');
export const mosquittoCommand = existsSync('/usr/sbin/mosquitto') ? '/usr/sbin/mosquitto' : 'mosquitto';
