// The simulation controller: one SimWorld, the scenario it runs, the clock mode, and the fan-out of
// events to the panels.
//
// Theory of operation
//   The page's animation frame drives the virtual clock. At x1/x10/x100 the target time is the virtual
//   clock plus the real time since the last frame times the speed; "max" targets the scenario's end.
//   Each frame runs queue items in slices of a few hundred until the target is reached or a time budget
//   (10 ms) is spent, so a burst (10,000 CONNECTs at once) never freezes the page: the clock lags and
//   catches up. Then the events are drained once (one batch across the wasm border) and handed to every
//   listener. Remote mode runs the same scenario with real sockets; the clock is then locked to x1.
import { EventKind, readEvents, type SimEvent } from './events';
import { loadSimModule, type SimModule, type SimWorld } from './module';
import { WebSocketHost } from './remote';

export interface LoadInfo {
  ok: boolean;
  errors: { path: string; message: string }[];
  title?: string;
  description?: string;
  seed?: number;
  durationMs?: number;
  devices?: number;
  brokers?: number;
  remote?: boolean;
  steps?: { atMs: number; title: string; text: string; expect: string[] }[];
}

export interface DeviceRow {
  id: string; broker: number; protocol: number; connected: boolean; powered: boolean; linkDown: boolean;
  state: string; published: number; received: number; connects: number; offline: number; packetsLost: number;
}

export type Speed = 0 | 1 | 10 | 100 | 'max';

const FRAME_BUDGET_MS = 8;
const SLICE_ITEMS = 100;
// Every event but packet_delivered (a packet's arrival time travels with packet_sent).
const EVENT_MASK = 0xfff & ~(1 << EventKind.PacketDelivered);

export class Simulation {
  readonly module: SimModule;
  readonly world: SimWorld;
  info: LoadInfo = { ok: false, errors: [] };
  scenarioText = '';
  scenario: any = null;
  lessonName = '';
  speed: Speed = 0;
  remoteUrl = '';
  deviceIds: string[] = [];
  deviceProtocol: number[] = [];
  lag = 0;
  seed = -1;  // -1: the scenario's own
  // Where frame time goes (for the benchmark): running the engines, draining + reading the batch, panels.
  readonly cost = { runMs: 0, drainMs: 0, panelsMs: 0, frames: 0 };
  private remote: WebSocketHost | null = null;
  private listeners: ((events: SimEvent[]) => void)[] = [];
  private resetListeners: (() => void)[] = [];
  private pending: SimEvent[] = [];
  private lastFrame = 0;

  private constructor(module: SimModule) {
    this.module = module;
    this.world = new module.SimWorld();
    this.world.setEventMask(EVENT_MASK);
  }

  static async create(): Promise<Simulation> {
    return new Simulation(await loadSimModule());
  }

  lessons(): { name: string; json: string }[] {
    return JSON.parse(this.module.lessons());
  }

  onEvents(cb: (events: SimEvent[]) => void): void { this.listeners.push(cb); }
  onReset(cb: () => void): void { this.resetListeners.push(cb); }

  get isRemote(): boolean { return this.remote !== null; }

  // Loads scenario text in the current mode (remoteUrl empty: in this tab). Errors come back as data.
  load(text: string, lessonName = ''): LoadInfo {
    let doc: any;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      return { ok: false, errors: [{ path: '$', message: `not JSON: ${(e as Error).message}` }] };
    }
    this.remote?.closeAll();
    this.remote = null;
    let info: LoadInfo;
    if (this.remoteUrl) {
      const host = new WebSocketHost(this.remoteUrl, (e) => this.pending.push(e));
      info = JSON.parse(this.world.loadRemote(text, -1, host));
      if (info.ok) {
        host.world = this.world;
        this.remote = host;
      }
    } else {
      info = JSON.parse(this.world.load(text, -1));
    }
    if (!info.ok) return info;
    this.info = info;
    this.seed = -1;
    this.scenarioText = text;
    this.scenario = doc;
    this.lessonName = lessonName;
    this.afterReset();
    return info;
  }

  // Restarts from 0: the same seed gives the same packets; `seed` >= 0 runs the scenario with another.
  reset(seed = this.seed): void {
    if (!this.info.ok) return;
    this.seed = seed;
    if (this.remote) {
      this.load(this.scenarioText, this.lessonName);
      return;
    }
    this.world.reset(seed);
    this.afterReset();
  }

  private afterReset(): void {
    this.pending = [];
    this.speed = 0;
    this.lag = 0;
    const all = JSON.parse(this.world.devices(0, 1e9)) as { total: number; rows: any[][] };
    this.deviceIds = all.rows.map((r) => r[0] as string);
    this.deviceProtocol = all.rows.map((r) => r[2] as number);
    for (const cb of this.resetListeners) cb();
  }

  setSpeed(s: Speed): void {
    if (this.remote && s !== 0) s = 1;  // a real broker keeps real time
    this.speed = s;
    this.lastFrame = performance.now();
  }

  step(): void {
    this.speed = 0;
    this.world.step();
    this.flush();
  }

  // Runs up to `t` (virtual ms) without a budget: for tests and "jump to step".
  runTo(t: number): void {
    this.world.runUntil(Math.min(t, this.world.duration()), 0);
    this.flush();
  }

  device(index: number): DeviceRow | null {
    const r = (JSON.parse(this.world.devices(index, 1)) as { rows: any[][] }).rows[0];
    return r ? toDeviceRow(r) : null;
  }

  devices(first: number, count: number): { total: number; rows: DeviceRow[] } {
    const d = JSON.parse(this.world.devices(first, count)) as { total: number; rows: any[][] };
    return { total: d.total, rows: d.rows.map(toDeviceRow) };
  }

  // One action, as a scenario's "actions" entry without at_ms.
  act(action: Record<string, unknown>): string[] {
    const r = JSON.parse(this.world.apply(JSON.stringify({ at_ms: 0, ...action }))) as { errors: { message: string }[] };
    this.flush();
    return r.errors.map((e) => e.message);
  }

  frame(now: number): void {
    const dt = Math.min(250, Math.max(0, now - this.lastFrame));
    this.lastFrame = now;
    if (this.speed !== 0 && this.info.ok) {
      const end = this.world.duration();
      const vnow = this.world.now();
      const target = this.speed === 'max' ? end : Math.min(end, vnow + this.lag + dt * this.speed);
      const start = performance.now();
      while (performance.now() - start < FRAME_BUDGET_MS) {
        this.world.runUntil(target, SLICE_ITEMS);
        const next = this.world.nextTime();
        if (this.world.now() >= target || next < 0 || next > target) break;
      }
      this.cost.runMs += performance.now() - start;
      this.lag = this.speed === 'max' ? 0 : Math.max(0, target - this.world.now());
      if (this.world.now() >= end) this.speed = 0;
    }
    this.cost.frames++;
    this.flush();
  }

  private flush(): void {
    const t0 = performance.now();
    const batch = this.world.drain();
    const events = this.pending;
    this.pending = [];
    if (batch.length > 4) readEvents(batch, events);
    const t1 = performance.now();
    this.cost.drainMs += t1 - t0;
    if (events.length === 0) return;
    for (const cb of this.listeners) cb(events);
    this.cost.panelsMs += performance.now() - t1;
  }

  remoteErrors(): string[] { return this.remote?.errors ?? []; }
}

function toDeviceRow(r: any[]): DeviceRow {
  return { id: r[0], broker: r[1], protocol: r[2], connected: r[3], powered: r[4], linkDown: r[5], state: r[6],
    published: r[7], received: r[8], connects: r[9], offline: r[10], packetsLost: r[11] };
}
