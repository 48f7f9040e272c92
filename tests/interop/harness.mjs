// Starts real broker processes (Postcard's native broker, or Debian's mosquitto for comparison) on free
// loopback ports with a generated configuration, and runs real client programs against them.
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const postcardBinary = process.env.POSTCARD_BIN ?? path.join(root, 'build/bin/postcard');
export const passwdBinary = process.env.POSTCARD_PASSWD_BIN ?? path.join(root, 'build/bin/postcard-passwd');

export function tempDir(prefix = 'postcard-test-') {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port, child, output, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`broker exited with ${child.exitCode}: ${output()}`);
    const ok = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.on('connect', () => { socket.destroy(); resolve(true); });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`broker did not listen on ${port}: ${output()}`);
}

// Starts `binary -c <file with configText>`; resolves once `waitPort` accepts connections.
export async function startBroker({ binary = postcardBinary, configText, waitPort, args = [] }) {
  const dir = tempDir();
  const configPath = path.join(dir, 'broker.conf');
  writeFileSync(configPath, configText);
  let log = '';
  const child = spawn(binary, ['-c', configPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  const broker = {
    child, dir, configPath,
    log: () => log,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
  try {
    await waitForPort(waitPort, child, () => log);
  } catch (e) {
    await broker.stop('SIGKILL');
    throw e;
  }
  return broker;
}

// Runs a program to completion; resolves { code, stdout, stderr } (never rejects on a non-zero exit).
export function run(file, args, { timeoutMs = 10000, input } = {}) {
  return new Promise((resolve) => {
    const child = execFile(file, args, { timeout: timeoutMs }, (error, stdout, stderr) => {
      resolve({ code: error ? (error.code ?? 1) : 0, stdout, stderr, killed: error?.killed ?? false });
    });
    if (input !== undefined) child.stdin.end(input);
  });
}

// Starts a long-running program (e.g. mosquitto_sub); collects its output, line-buffered (stdbuf), so
// lines can be awaited as they come.
export function startProcess(file, args) {
  let stdout = '';
  let stderr = '';
  const child = spawn('stdbuf', ['-oL', '-eL', file, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child, exited,
    stdout: () => stdout,
    stderr: () => stderr,
    // Resolves when stdout holds `count` lines (or rejects after timeoutMs).
    async lines(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const lines = stdout.split('\n').filter((l) => l.length > 0);
        if (lines.length >= count) return lines;
        if (Date.now() > deadline) throw new Error(`expected ${count} lines, got ${JSON.stringify(stdout)} (stderr ${stderr})`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    kill() { child.kill('SIGTERM'); return exited; },
  };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const haveBinary = (p) => existsSync(p);
