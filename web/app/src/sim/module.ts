// Loads postcard-sim.mjs (the simulator's own wasm module, copied beside the app in sim/) at run time,
// in the simulation worker: `base` is the page's base URL.

export interface RemoteHost {
  open(dev: number): void;
  send(dev: number, bytes: Uint8Array): void;  // a view into wasm memory: copy it
  close(dev: number): void;
}

export interface SimWorld {
  load(json: string, seed: number): string;
  loadRemote(json: string, seed: number, host: RemoteHost): string;
  reset(seed: number): boolean;
  setEventMask(mask: number): void;
  now(): number;
  nextTime(): number;
  duration(): number;
  finished(): boolean;
  step(): boolean;
  runUntil(t: number, budget: number): number;
  drain(): Uint8Array;
  devices(first: number, count: number): string;
  brokerState(broker: number, limit: number): string;
  stats(): string;
  stepResults(): string;
  messages(dev: number): string;
  decode(packet: Uint8Array, protocol: number): string;
  apply(action: string): string;
  transportOpened(dev: number): void;
  transportReceived(dev: number, bytes: Uint8Array): void;
  transportClosed(dev: number): void;
}

export interface SimModule {
  SimWorld: new () => SimWorld;
  lessons(): string;
}

export async function loadSimModule(base: string): Promise<SimModule> {
  const url = new URL('sim/postcard-sim.mjs', base).href;
  const mod = await import(/* @vite-ignore */ url);
  return (await mod.default()) as SimModule;
}
