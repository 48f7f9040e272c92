// The page's handle on the simulation, which runs in a Web Worker (src/sim/worker.ts): it sends the
// controls as commands, mirrors what the worker reports each frame (clock, speed, scenario, device ids)
// for synchronous reads, answers queries with promises, and fans each frame out to the panels.
import type { FrameMsg, LoadInfo, LoadResult, LogDetail, LogRow, Speed, WorkerMsg } from './protocol';

export type { LoadInfo, Speed } from './protocol';

export interface DeviceRow {
  id: string; broker: number; protocol: number; connected: boolean; powered: boolean; linkDown: boolean;
  state: string; published: number; received: number; connects: number; offline: number; packetsLost: number;
}

// What the page reads synchronously: the worker's clock as of its last frame.
export interface WorldView { now(): number; duration(): number; finished(): boolean }

export class Simulation {
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
  isRemote = false;
  readonly world: WorldView;
  // Where time goes (for the benchmark): the worker's engines, and the page taking the frames.
  readonly cost = { runMs: 0, items: 0, ticks: 0, frames: 0, panelsMs: 0 };
  readonly lessonList: { name: string; json: string }[];
  private clock = { now: 0, duration: 0, finished: false };
  private frameListeners: ((f: FrameMsg) => void)[] = [];
  private resetListeners: (() => void)[] = [];
  private calls = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private cmd = 0;
  private speedCmd = 0;

  private constructor(private readonly worker: Worker, lessons: string) {
    this.lessonList = JSON.parse(lessons);
    const clock = this.clock;
    this.world = { now: () => clock.now, duration: () => clock.duration, finished: () => clock.finished };
    worker.onmessage = (ev: MessageEvent<WorkerMsg>) => this.receive(ev.data);
    worker.onerror = (ev) => { throw new Error(`simulation worker: ${ev.message}`); };
  }

  static create(): Promise<Simulation> {
    const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'postcard-sim' });
    return new Promise((resolve, reject) => {
      worker.onerror = (e) => reject(new Error(`simulation worker: ${e.message}`));
      worker.onmessage = (ev: MessageEvent<WorkerMsg>) => {
        if (ev.data.t === 'ready') resolve(new Simulation(worker, ev.data.lessons));
      };
      worker.postMessage({ op: 'init', base: document.baseURI });
    });
  }

  lessons(): { name: string; json: string }[] { return this.lessonList; }

  onFrame(cb: (f: FrameMsg) => void): void { this.frameListeners.push(cb); }
  onReset(cb: () => void): void { this.resetListeners.push(cb); }

  // A command or query to the worker; resolves with its answer, after the frame it produced.
  call<T = unknown>(op: string, args: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    const cmd = ++this.cmd;
    return new Promise<T>((resolve, reject) => {
      this.calls.set(id, { resolve, reject });
      this.worker.postMessage({ op, id, cmd, ...args });
    });
  }

  private receive(m: WorkerMsg): void {
    if (m.t === 'reply') {
      const c = this.calls.get(m.id);
      this.calls.delete(m.id);
      if (m.error) c?.reject(new Error(m.error)); else c?.resolve(m.result);
      return;
    }
    if (m.t === 'error') throw new Error(`simulation worker: ${m.message}`);  // reported like any page error
    if (m.t !== 'frame') return;
    const t0 = performance.now();
    this.clock.now = m.now;
    this.clock.duration = m.duration;
    this.clock.finished = m.finished;
    this.lag = m.lag;
    if (m.cmd >= this.speedCmd) this.speed = m.speed;  // else a speed change is still on its way
    Object.assign(this.cost, m.cost);
    for (const cb of this.frameListeners) cb(m);
    this.worker.postMessage({ op: 'ack' });
    this.cost.frames++;
    this.cost.panelsMs += performance.now() - t0;
  }

  // Loads scenario text in the current mode (remoteUrl empty: in this tab). Errors come back as data.
  async load(text: string, lessonName = ''): Promise<LoadInfo> {
    let doc: any;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      return { ok: false, errors: [{ path: '$', message: `not JSON: ${(e as Error).message}` }] };
    }
    const r = await this.call<LoadResult>('load', { text, remoteUrl: this.remoteUrl });
    if (!r.info.ok) return r.info;
    this.info = r.info;
    this.seed = -1;
    this.scenarioText = text;
    this.scenario = doc;
    this.lessonName = lessonName;
    this.afterReset(r);
    return r.info;
  }

  // Restarts from 0: the same seed gives the same packets; `seed` >= 0 runs the scenario with another.
  async reset(seed = this.seed): Promise<void> {
    if (!this.info.ok) return;
    this.seed = seed;
    const r = await this.call<LoadResult | null>('reset', { seed });
    if (r) this.afterReset(r);
  }

  private afterReset(r: LoadResult): void {
    this.isRemote = r.remote;
    this.deviceIds = r.deviceIds;
    this.deviceProtocol = r.deviceProtocol;
    this.speed = 0;
    this.lag = 0;
    this.clock.now = 0;
    this.clock.finished = false;
    this.clock.duration = r.info.durationMs ?? 0;
    for (const cb of this.resetListeners) cb();
  }

  setSpeed(s: Speed): Promise<unknown> {
    if (this.isRemote && s !== 0) s = 1;  // a real broker keeps real time
    this.speed = s;
    const p = this.call('speed', { speed: s });
    this.speedCmd = this.cmd;
    return p;
  }

  step(): Promise<unknown> {
    this.speed = 0;
    const p = this.call('step');
    this.speedCmd = this.cmd;
    return p;
  }

  // Runs up to `t` (virtual ms) without a budget: for tests and "jump to step".
  runTo(t: number): Promise<unknown> { return this.call('runTo', { t }); }

  async device(index: number): Promise<DeviceRow | null> {
    const r = (JSON.parse(await this.call<string>('devices', { first: index, count: 1 })) as { rows: any[][] }).rows[0];
    return r ? toDeviceRow(r) : null;
  }

  async devices(first: number, count: number): Promise<{ total: number; rows: DeviceRow[] }> {
    const d = JSON.parse(await this.call<string>('devices', { first, count })) as { total: number; rows: any[][] };
    return { total: d.total, rows: d.rows.map(toDeviceRow) };
  }

  // One action, as a scenario's "actions" entry without at_ms; resolves with its errors.
  act(action: Record<string, unknown>): Promise<string[]> { return this.call<string[]>('act', { action }); }

  async stats(): Promise<any> { return JSON.parse(await this.call<string>('stats')); }
  async brokerState(limit: number): Promise<any> { return JSON.parse(await this.call<string>('brokerState', { limit })); }
  remoteErrors(): Promise<string[]> { return this.call<string[]>('remoteErrors'); }

  setDiagramDevices(devices: number[]): Promise<unknown> { return this.call('seqShown', { devices }); }
  logFilter(text: string): Promise<number> { return this.call<number>('logFilter', { text }); }
  logRows(first: number, count: number): Promise<LogRow[]> { return this.call<LogRow[]>('logRows', { first, count }); }
  logDetail(n: number): Promise<LogDetail | null> { return this.call<LogDetail | null>('logDetail', { n }); }
}

function toDeviceRow(r: any[]): DeviceRow {
  return { id: r[0], broker: r[1], protocol: r[2], connected: r[3], powered: r[4], linkDown: r[5], state: r[6],
    published: r[7], received: r[8], connects: r[9], offline: r[10], packetsLost: r[11] };
}
