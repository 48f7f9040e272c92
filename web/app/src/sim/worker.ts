// The simulation worker: owns the wasm module, the one SimWorld, its virtual clock and (remote mode) the
// devices' WebSockets. The page owns the DOM and talks to it through src/sim/protocol.ts.
//
// Theory of operation
//   A timer tick every ~16 ms (immediately again at "max") drives the virtual clock: at x1/x10/x100 the
//   target is the clock plus the real time since the last tick times the speed (plus any lag), at "max"
//   the scenario's end. Queue items run in slices of a few hundred until the target is reached or the
//   tick's budget is spent, so the clock lags under a burst and catches up, and commands are never kept
//   waiting long. After each tick the events are drained once (one batch across the wasm border) into the
//   worker's stores: the packet log (all packets, bytes kept here), the diagram rows of the devices on
//   it, the latest value per topic. A frame goes to the page when it has acknowledged the previous one,
//   so a busy page gets fewer, larger frames and never a backlog.
import { EventKind, readEvents, type SimEvent } from './events';
import { LogStore } from './log_store';
import { loadSimModule, type SimModule, type SimWorld } from './module';
import { PACKET_WORDS, PF_LOST, PF_UP, type FrameMsg, type LoadInfo, type LoadResult, type Speed } from './protocol';
import { WebSocketHost } from './remote';
import { SeqRows } from './seq_rows';

const TICK_MS = 16;
const BUDGET_MS = 12;       // engines' time per tick at x1..x100
const MAX_BUDGET_MS = 40;   // at "max": longer slices, commands still answered within a tick
const SLICE_ITEMS = 200;
// Every event but packet_delivered (a packet's arrival time travels with packet_sent).
const EVENT_MASK = 0x1fff & ~(1 << EventKind.PacketDelivered);

const scope = self as unknown as { postMessage(m: unknown, transfer?: Transferable[]): void; onmessage: ((ev: MessageEvent) => void) | null };

let module: SimModule;
let world: SimWorld;
let info: LoadInfo = { ok: false, errors: [] };
let protocols: number[] = [];
let ids: string[] = [];
let remote: WebSocketHost | null = null;
let speed: Speed = 0;
let lag = 0;
let lastTick = 0;
let lastCmd = 0;
let acked = true;
const cost = { runMs: 0, items: 0, ticks: 0 };

const decodeJson = (bytes: Uint8Array, device: number) => world.decode(bytes, protocols[device] ?? 4);
const log = new LogStore(decodeJson, (d) => ids[d] ?? '');
const seq = new SeqRows(decodeJson);
let pendingEvents: SimEvent[] = [];  // remote mode: packets cut from the sockets' bytes
// Frame outbox, filled by flush(), emptied by post().
let packets = new Uint32Array(3 * 1024);
let packetCount = 0;
let topics = new Map<string, { payload: string; time: number; flags: number }>();
const seenTopics = new Set<string>();
let stepChanged = false;
let deviceChange = false;

// Remote mode: a module whose world runs remote devices through their virtual links records their
// packets itself (with the links' losses); the host's own cut of the socket bytes is then left out.
let worldLogsRemote = false;

function flush(): void {
  const batch = world.drain();
  let events = pendingEvents;
  pendingEvents = [];
  if (batch.length > 4) {
    const drained: SimEvent[] = [];
    readEvents(batch, drained);
    if (remote && !worldLogsRemote) worldLogsRemote = drained.some((e) => e.kind === EventKind.PacketSent);
    events = worldLogsRemote ? drained : events.concat(drained);
  } else if (worldLogsRemote) {
    events = [];
  }
  for (const e of events) {
    switch (e.kind) {
      case EventKind.PacketSent:
        if (!e.bytes) break;
        log.add(e);
        if ((packetCount + 1) * PACKET_WORDS > packets.length) {
          const bigger = new Uint32Array(packets.length * 2);
          bigger.set(packets);
          packets = bigger;
        }
        packets[packetCount * PACKET_WORDS] = e.time;
        packets[packetCount * PACKET_WORDS + 1] = e.device;
        packets[packetCount * PACKET_WORDS + 2] = e.type | (e.up ? PF_UP : 0) | (e.lost ? PF_LOST : 0) | (e.qos << 6);
        packetCount++;
        break;
      case EventKind.Published: {
        const old = topics.get(e.topic);
        const retained = e.flag ? 1 : 0;
        topics.set(e.topic, { payload: e.payload, time: e.time, flags: retained | ((old?.flags ?? 0) & ~1) | 8 });
        seenTopics.add(e.topic);
        break;
      }
      case EventKind.Message:
        if (!seenTopics.has(e.topic)) {
          seenTopics.add(e.topic);
          if (!topics.has(e.topic)) topics.set(e.topic, { payload: e.payload, time: e.time, flags: 2 });
        }
        break;
      case EventKind.WillFired: {
        const old = topics.get(e.topic);
        topics.set(e.topic, { payload: old?.payload ?? '', time: e.time, flags: (old?.flags ?? 2) | 4 });
        break;
      }
      case EventKind.Step: stepChanged = true; break;
      case EventKind.Connected: case EventKind.Offline: case EventKind.Crashed: case EventKind.LinkChanged:
        deviceChange = true; break;
      default: break;
    }
    seq.add(e);
  }
}

function post(force: boolean): void {
  if (!acked && !force) return;
  const firstSeq = log.trim();
  const rows = seq.take();
  const updates = { topics: [] as string[], payloads: [] as string[], times: [] as number[], flags: [] as number[] };
  for (const [t, v] of topics) { updates.topics.push(t); updates.payloads.push(v.payload); updates.times.push(v.time); updates.flags.push(v.flags); }
  topics = new Map();
  const out = packets.slice(0, packetCount * PACKET_WORDS);
  packetCount = 0;
  const msg: FrameMsg = {
    t: 'frame', cmd: lastCmd, now: info.ok ? world.now() : 0, duration: info.ok ? world.duration() : 0,
    finished: info.ok && world.finished(), lag, speed, packets: out, firstSeq, logShown: log.shown,
    seq: rows.rows, seqDropped: rows.dropped, topics: updates,
    stepResults: stepChanged ? world.stepResults() : null, deviceChange, cost: { ...cost },
  };
  stepChanged = false;
  deviceChange = false;
  acked = false;
  scope.postMessage(msg, [out.buffer]);
}

function tick(): void {
  const start = performance.now();
  try {
    advance(start);
  } catch (e) {
    // Surfaces on the page as an error (the tests fail on any); the clock stops, the page stays usable.
    speed = 0;
    scope.postMessage({ t: 'error', message: String((e as Error)?.stack ?? e) });
  }
  setTimeout(tick, speed === 'max' ? 0 : Math.max(0, TICK_MS - (performance.now() - start)));
}

function advance(start: number): void {
  const dt = Math.min(250, Math.max(0, start - lastTick));
  lastTick = start;
  if (speed !== 0 && info.ok) {
    const end = world.duration();
    const target = speed === 'max' ? end : Math.min(end, world.now() + lag + dt * speed);
    const budget = speed === 'max' ? MAX_BUDGET_MS : BUDGET_MS;
    while (performance.now() - start < budget) {
      cost.items += world.runUntil(target, SLICE_ITEMS);
      const next = world.nextTime();
      if (world.now() >= target || next < 0 || next > target) break;
    }
    lag = speed === 'max' ? 0 : Math.max(0, target - world.now());
    if (world.now() >= end) speed = 0;
    cost.runMs += performance.now() - start;
  }
  cost.ticks++;
  if (info.ok) flush();
  post(false);
}

function clearOutbox(): void {
  pendingEvents = [];
  packetCount = 0;
  topics = new Map();
  seenTopics.clear();
  seq.take();
  log.clear();
  stepChanged = false;
  deviceChange = true;
}

function afterReset(): LoadResult {
  clearOutbox();
  speed = 0;
  lag = 0;
  const all = JSON.parse(world.devices(0, 1e9)) as { rows: any[][] };
  ids = all.rows.map((r) => r[0] as string);
  protocols = all.rows.map((r) => r[2] as number);
  return { info, deviceIds: ids, deviceProtocol: protocols, remote: remote !== null };
}

let lastText = '';
function load(text: string, remoteUrl: string): LoadResult | { info: LoadInfo } {
  remote?.closeAll();
  remote = null;
  worldLogsRemote = false;
  let result: LoadInfo;
  if (remoteUrl) {
    const host = new WebSocketHost(remoteUrl, (e) => pendingEvents.push(e));
    result = JSON.parse(world.loadRemote(text, -1, host));
    if (result.ok) { host.world = world; remote = host; }
  } else {
    result = JSON.parse(world.load(text, -1));
  }
  if (!result.ok) return { info: result };
  info = result;
  lastText = text;
  return afterReset();
}

// Commands: the page's controls and queries. Returns the reply's result.
const commands: Record<string, (m: any) => unknown> = {
  load: (m) => load(m.text, m.remoteUrl),
  reset: (m) => {
    if (!info.ok) return null;
    if (remote) return load(lastText, remote.url);
    world.reset(m.seed);
    return afterReset();
  },
  speed: (m) => {
    speed = remote && m.speed !== 0 ? 1 : m.speed;
    lastTick = performance.now();
    return speed;
  },
  step: () => { speed = 0; world.step(); return null; },
  runTo: (m) => { world.runUntil(Math.min(m.t, world.duration()), 0); return null; },
  act: (m) => {
    const r = JSON.parse(world.apply(JSON.stringify({ at_ms: 0, ...m.action }))) as { errors: { message: string }[] };
    return r.errors.map((e) => e.message);
  },
  devices: (m) => world.devices(m.first, m.count),
  brokerState: (m) => world.brokerState(m.broker ?? 0, m.limit),
  stats: () => world.stats(),
  stepResults: () => world.stepResults(),
  remoteErrors: () => remote?.errors ?? [],
  seqShown: (m) => { seq.shown = new Set(m.devices); seq.take(); return null; },
  logFilter: (m) => { log.setFilter(m.text); return log.shown; },
  logRows: (m) => log.rows(m.first, m.count),
  logDetail: (m) => log.detail(m.n),
  logDump: (m) => log.dump(m.view),
  logCount: (m) => log.count(m.type),
};

scope.onmessage = (ev: MessageEvent) => {
  const m = ev.data;
  if (m.op === 'ack') { acked = true; return; }
  if (m.op === 'init') { void init(m.base); return; }
  if (typeof m.cmd === 'number') lastCmd = m.cmd;
  let result: unknown;
  let error: string | undefined;
  try {
    result = commands[m.op](m);
  } catch (e) {
    error = String((e as Error)?.stack ?? e);
  }
  // The command's effects (events, clock) reach the page before its answer; after a load or reset the
  // answer comes first (the page clears its panels on it), then the new world's frames.
  if (m.op !== 'load' && m.op !== 'reset') {
    if (info.ok) flush();
    post(true);
  }
  if (m.id !== undefined) scope.postMessage({ t: 'reply', id: m.id, result, error });
};

async function init(base: string): Promise<void> {
  module = await loadSimModule(base);
  world = new module.SimWorld();
  world.setEventMask(EVENT_MASK);
  scope.postMessage({ t: 'ready', lessons: module.lessons() });
  lastTick = performance.now();
  tick();
}
