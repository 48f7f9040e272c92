// The simulator compiled to WebAssembly, as the tab runs it, under Node (prints figures): the same four
// worlds as postcard-sim-bench, as fast as possible, in packets per CPU second of this process (the
// machine is shared: wall time includes waiting for a core). The world keeps received messages and
// records no events, as the app does when its panels are closed.
//   node simulator/bench/bench_wasm.mjs [DIR with postcard-sim.mjs + .wasm, default build-wasm/bin] [pattern 1-4]
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const dir = path.resolve(process.argv[2] ?? 'build-wasm/bin');
const only = Number(process.argv[3] ?? 0);
const { default: create } = await import(path.join(dir, 'postcard-sim.mjs'));
const M = await create({ wasmBinary: await readFile(path.join(dir, 'postcard-sim.wasm')) });

const world = (sensors, everyMs, dashboards, qos, durationMs) => ({
  title: 'bench', seed: 1, duration_ms: durationMs,
  devices: [
    { id: 'sensor-{i}', kind: 'sensor', count: sensors, link: { latency_ms: 5, jitter_ms: 2 },
      sensor: { topic: 'bench/{id}/value', qos, every_ms: everyMs, jitter_ms: Math.floor(everyMs / 10),
                generator: { kind: 'random_walk', value: 50 } } },
    { id: 'dashboard-{i}', kind: 'subscriber', count: dashboards, link: { latency_ms: 5 },
      subscriptions: [{ filter: 'bench/#', qos }] },
  ],
});

const patterns = [
  ['1,000 devices, QoS 0, 10 msg/s, 1 dashboard', world(999, 100, 1, 0, 20_000)],
  ['1,000 devices, QoS 1, 1 msg/s, 10 dashboards', world(990, 1000, 10, 1, 60_000)],
  ['1,000 devices, QoS 0, 1 msg/s, 10 dashboards', world(990, 1000, 10, 0, 60_000)],
  ['10,000 devices, QoS 0, 1 msg/s, 10 dashboards', world(9990, 1000, 10, 0, 20_000)],
];

console.log(`postcard-sim.wasm under Node ${process.version}: ${dir}`);
for (const [i, [name, sc]] of patterns.entries()) {
  if (only !== 0 && only !== i + 1) continue;
  const w = new M.SimWorld();
  w.setEventMask(0);
  const r = JSON.parse(w.load(JSON.stringify(sc), -1));
  if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.errors)}`);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  w.runUntil(sc.duration_ms, 0);
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  const wallS = (performance.now() - t0) / 1000;
  const s = JSON.parse(w.stats());
  console.log(`${name.padEnd(46)} ${(s.packetsSent / cpuS).toFixed(0).padStart(9)} packets/CPU-s ` +
    `${(s.packetsSent / wallS).toFixed(0).padStart(9)} packets/s wall  (${s.packetsSent} packets, ${s.received} delivered, ` +
    `${cpuS.toFixed(2)} CPU s / ${wallS.toFixed(2)} s; p50 ${s.latencyP50} ms)`);
  w.delete();
}
