// Reads the event batch SimWorld.drain() returns (layout: simulator/wasm/sim_events.hpp).

export enum EventKind {
  PacketSent = 0, PacketDelivered = 1, Connected = 2, Offline = 3, Crashed = 4, Message = 5,
  WillFired = 6, Dropped = 7, LinkChanged = 8, Action = 9, Step = 10, Published = 11, TakenOver = 12,
}

export const NO_DEVICE = 0xffffffff;

export const PACKET_NAMES = ['RESERVED', 'CONNECT', 'CONNACK', 'PUBLISH', 'PUBACK', 'PUBREC', 'PUBREL',
  'PUBCOMP', 'SUBSCRIBE', 'SUBACK', 'UNSUBSCRIBE', 'UNSUBACK', 'PINGREQ', 'PINGRESP', 'DISCONNECT', 'AUTH'];

export interface SimEvent {
  kind: EventKind;
  up: boolean;          // device -> broker
  type: number;         // MQTT packet type (packet events)
  lost: boolean;
  flag: boolean;
  qos: number;
  time: number;         // virtual ms
  device: number;       // NO_DEVICE when none
  broker: number;
  deliverAt: number;
  index: number;
  bytes: Uint8Array | null;
  topic: string;
  payload: string;
  detail: string;
}

const decoder = new TextDecoder();

export function readEvents(batch: Uint8Array, out: SimEvent[]): void {
  const view = new DataView(batch.buffer, batch.byteOffset, batch.byteLength);
  const count = view.getUint32(0, true);
  let p = 4;
  const text = (): string => {
    const n = view.getUint32(p, true);
    p += 4;
    const s = n === 0 ? '' : decoder.decode(batch.subarray(p, p + n));
    p += n;
    return s;
  };
  for (let i = 0; i < count; i++) {
    const kind = batch[p] as EventKind;
    const dir = batch[p + 1];
    const type = batch[p + 2];
    const flags = batch[p + 3];
    p += 4;
    const time = view.getUint32(p, true);
    const device = view.getUint32(p + 4, true);
    const broker = view.getUint32(p + 8, true);
    const deliverAt = view.getUint32(p + 12, true);
    const index = view.getUint32(p + 16, true);
    p += 20;
    const nb = view.getUint32(p, true);
    p += 4;
    const bytes = nb === 0 ? null : batch.subarray(p, p + nb);  // shares the batch: no copy per packet
    p += nb;
    const topic = text();
    const payload = text();
    const detail = text();
    out.push({ kind, up: dir === 0, type, lost: (flags & 1) !== 0, flag: (flags & 2) !== 0, qos: (flags >> 2) & 3,
      time, device, broker, deliverAt, index, bytes, topic, payload, detail });
  }
}

// Whole MQTT packets out of a byte stream (remote mode sees bytes, not packets).
export class PacketSplitter {
  private buf = new Uint8Array(0);

  push(chunk: Uint8Array, onPacket: (packet: Uint8Array) => void): void {
    const merged = new Uint8Array(this.buf.length + chunk.length);
    merged.set(this.buf);
    merged.set(chunk, this.buf.length);
    let start = 0;
    for (;;) {
      let pos = start + 1;
      let length = 0;
      let shift = 0;
      let complete = false;
      while (pos < merged.length && shift < 28) {
        const b = merged[pos++];
        length |= (b & 0x7f) << shift;
        shift += 7;
        if ((b & 0x80) === 0) { complete = true; break; }
      }
      if (!complete || pos + length > merged.length) break;
      onPacket(merged.slice(start, pos + length));
      start = pos + length;
    }
    this.buf = merged.slice(start);
  }
}
