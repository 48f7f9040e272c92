// MQTT.js-shaped packets and payload helpers.
export interface Packet {
  cmd: string;
  messageId?: number;
  topic?: string;
  payload?: Uint8Array | string;
  qos?: number;
  retain?: boolean;
  dup?: boolean;
  properties?: Record<string, unknown>;
  [key: string]: unknown;
}

const encoder = new TextEncoder();
type BufferLike = { from(b: ArrayBufferLike, offset: number, length: number): Uint8Array };
const NodeBuffer = (globalThis as { Buffer?: BufferLike }).Buffer;

/** Payload as MQTT.js hands it out: a Buffer in Node, a Uint8Array elsewhere (no copy). */
export function outPayload(bytes: Uint8Array): Uint8Array {
  return NodeBuffer ? NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : bytes;
}

/** Payload in: string (UTF-8), Uint8Array / Buffer, ArrayBuffer or a typed-array view. */
export function inBytes(data: unknown): Uint8Array {
  if (data === undefined || data === null) return new Uint8Array(0);
  if (typeof data === 'string') return encoder.encode(data);
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return encoder.encode(String(data));
}

const binaryProperties = ['correlationData', 'authenticationData'];

/** Engine JSON properties -> MQTT.js properties (binary as Buffer/Uint8Array, userProperties object). */
export function fixProperties(p: Record<string, unknown>): Record<string, unknown> {
  for (const key of binaryProperties) {
    if (Array.isArray(p[key])) p[key] = outPayload(Uint8Array.from(p[key] as number[]));
  }
  const list = p.userPropertyList as [string, string][] | undefined;
  if (list) {
    const user: Record<string, string | string[]> = {};
    for (const [name, value] of list) {
      const prev = user[name];
      if (prev === undefined) user[name] = value;
      else if (Array.isArray(prev)) prev.push(value);
      else user[name] = [prev, value];
    }
    delete p.userPropertyList;
    p.userProperties = user;
  }
  return p;
}

/** Engine JSON packet -> MQTT.js packet (payload attached, binary fields converted). */
export function fixPacket(packet: Packet, attachment: Uint8Array): Packet {
  if (packet.properties) packet.properties = fixProperties(packet.properties);
  if (packet.cmd === 'publish') packet.payload = outPayload(attachment.slice());
  if (packet.cmd === 'connect') {
    if (Array.isArray(packet.password)) packet.password = outPayload(Uint8Array.from(packet.password as number[]));
    const will = packet.will as Packet | undefined;
    if (will) {
      will.payload = outPayload(attachment.slice());
      if (will.properties) will.properties = fixProperties(will.properties);
    }
  }
  return packet;
}

/** MQTT.js properties -> what the engine reads (binary values as Uint8Array). */
export function inProperties(p: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!p) return undefined;
  const out: Record<string, unknown> = { ...p };
  for (const key of binaryProperties) if (out[key] !== undefined) out[key] = inBytes(out[key]);
  return out;
}
