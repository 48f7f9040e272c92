// Reads the packed output batch of the wasm engines (layout in wasm/batch.hpp).
import { fixPacket, fixProperties, type Packet } from './packet.js';

const decoder = new TextDecoder();

export interface BatchHandler {
  send(conn: number, bytes: Uint8Array): void;
  close(conn: number, cause: number): void;
  event(event: Record<string, unknown> & { type: string; packet?: Packet }): void;
  message?(topic: string, payload: Uint8Array, qos: number, retain: boolean, dup: boolean, messageId: number,
    properties: Record<string, unknown> | undefined): void;
  published?(token: number, messageId: number, qos: number, reasonCode: number, sessionLost: boolean,
    properties: Record<string, unknown> | undefined): void;
  /** The broker's durable-change records of one input (framed, see wasm/durable_binding.cpp). */
  durable?(records: Uint8Array): void;
}

export function readBatch(batch: Uint8Array, handler: BatchHandler): void {
  const view = new DataView(batch.buffer, batch.byteOffset, batch.byteLength);
  let at = 0;
  const u32 = () => {
    const v = view.getUint32(at, true);
    at += 4;
    return v;
  };
  const blob = () => {
    const n = u32();
    const b = batch.subarray(at, at + n);
    at += n;
    return b;
  };
  while (at < batch.length) {
    const tag = batch[at++];
    switch (tag) {
      case 1: {
        const conn = u32();
        handler.send(conn, blob());
        break;
      }
      case 2: {
        const conn = u32();
        handler.close(conn, u32());
        break;
      }
      case 3: {
        const json = blob();
        const attachment = blob();
        const event = JSON.parse(decoder.decode(json));
        if (event.packet) fixPacket(event.packet, attachment);
        if (event.properties) event.properties = fixProperties(event.properties);
        handler.event(event);
        break;
      }
      case 4: {
        const flags = batch[at++];
        const messageId = view.getUint16(at, true);
        at += 2;
        const topic = decoder.decode(blob());
        const payload = blob();
        const props = blob();
        const properties = props.length ? fixProperties(JSON.parse(decoder.decode(props))) : undefined;
        handler.message?.(topic, payload, flags & 3, (flags & 4) !== 0, (flags & 8) !== 0, messageId, properties);
        break;
      }
      case 5: {
        const token = u32();
        const messageId = view.getUint16(at, true);
        const qos = batch[at + 2];
        const reasonCode = batch[at + 3];
        const sessionLost = batch[at + 4] !== 0;
        at += 5;
        const props = blob();
        const properties = props.length ? fixProperties(JSON.parse(decoder.decode(props))) : undefined;
        handler.published?.(token, messageId, qos, reasonCode, sessionLost, properties);
        break;
      }
      case 6:
        handler.durable?.(blob());
        break;
      default:
        throw new Error(`postcard: corrupt output batch (tag ${tag} at ${at - 1})`);
    }
  }
}
