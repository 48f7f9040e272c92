// The messages between the page and the simulation worker (src/sim/worker.ts).
//
// page -> worker: commands ({ op, id? }); every command with an `id` is answered by a `reply` with the
//   same id, after any frame the command produced has been posted, so the page has seen its effects.
// worker -> page: at most one `frame` per frame interval while the page has acknowledged the previous one
//   (`ack`); a frame carries the clock, counters and what the visible panels need: packet metadata (a
//   transferred Uint32Array, 3 words per packet: time, device, flags), the sequence diagram's rows for the
//   devices on it, the latest value per topic, and the lesson's step results when they changed. Packet
//   bytes and decoded fields stay in the worker; the packet log asks for the rows it shows.

export type Speed = 0 | 1 | 10 | 100 | 'max';

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

// Packet metadata flags (third word per packet).
export const PF_UP = 1 << 4;
export const PF_LOST = 1 << 5;
export const PACKET_WORDS = 3;

// A sequence diagram row (packets of the devices on the diagram, notes), label already decoded.
export interface SeqEvent {
  kind: number; time: number; device: number; up: boolean; type: number; lost: boolean; flag: boolean;
  index: number; label: string; detail: string; topic: string;
}

// One value per topic since the last frame: published (flag 1: retained), first delivery of a topic
// (flag 2: only names the topic), will fired (flag 4).
export interface TopicUpdates { topics: string[]; payloads: string[]; times: number[]; flags: number[] }

export interface FrameMsg {
  t: 'frame';
  cmd: number;          // the last command the worker handled (page commands are numbered)
  now: number; duration: number; finished: boolean; lag: number; speed: Speed;
  packets: Uint32Array; // PACKET_WORDS per packet sent since the last frame, in log order
  firstSeq: number;     // the oldest packet the log still keeps (absolute packet number)
  logShown: number;     // packets that pass the log's filter
  seq: SeqEvent[];
  seqDropped: number;   // rows that did not fit the frame (the diagram shows the newest)
  topics: TopicUpdates;
  stepResults: string | null;  // JSON of SimWorld.stepResults() when a step was reached
  deviceChange: boolean;       // a connect, offline, crash or link change happened
  cost: { runMs: number; items: number; ticks: number };
}

export interface ReplyMsg { t: 'reply'; id: number; result?: unknown; error?: string }
export interface ReadyMsg { t: 'ready'; lessons: string }
export interface ErrorMsg { t: 'error'; message: string }
export type WorkerMsg = FrameMsg | ReplyMsg | ReadyMsg | ErrorMsg;

// A packet log row, as the log shows it.
export interface LogRow {
  n: number; time: number; device: number; up: boolean; type: number; lost: boolean; size: number; summary: string;
}

export interface LogDetail extends LogRow { deliverAt: number; decoded: any; hex: number[] }

export interface LoadResult {
  info: LoadInfo; deviceIds: string[]; deviceProtocol: number[]; remote: boolean;
}
