// The packet log's data, kept in the simulation worker: every packet that entered a link (newest last,
// the oldest dropped past MAX_ENTRIES), the filtered view, and each packet's one-line summary, decoded
// on demand by the same codec. The page's log asks for the rows it shows (rows()) and for one packet's
// every field and bytes (detail()).
import { PACKET_NAMES, type SimEvent } from './events';
import type { LogDetail, LogRow } from './protocol';

interface Entry { n: number; e: SimEvent; summary?: string; decoded?: any }

export const MAX_ENTRIES = 100_000;

export class LogStore {
  private entries: Entry[] = [];
  private view: Entry[] = [];
  private filter = '';
  private next = 0;  // absolute number of the next packet

  constructor(private readonly decodeJson: (bytes: Uint8Array, device: number) => string,
              private readonly deviceName: (device: number) => string) {}

  clear(): void { this.entries = []; this.view = []; this.next = 0; }

  // The packet's bytes must be its own copy (the batch they came in is reused).
  add(e: SimEvent): void {
    const entry: Entry = { n: this.next++, e };
    this.entries.push(entry);
    if (this.matches(entry)) this.view.push(entry);
  }

  // Drops the oldest past the limit; returns the absolute number of the oldest kept.
  trim(): number {
    if (this.entries.length > MAX_ENTRIES * 1.2) {
      this.entries = this.entries.slice(this.entries.length - MAX_ENTRIES);
      this.rebuild();
    }
    return this.entries.length ? this.entries[0].n : this.next;
  }

  get shown(): number { return this.view.length; }
  get kept(): number { return this.entries.length; }

  setFilter(text: string): void {
    this.filter = text.trim().toLowerCase();
    this.rebuild();
  }

  rows(first: number, count: number): LogRow[] {
    return this.view.slice(Math.max(0, first), Math.max(0, first + count)).map((x) => this.row(x));
  }

  detail(n: number): LogDetail | null {
    const entry = this.find(n);
    if (!entry) return null;
    return { ...this.row(entry), deliverAt: entry.e.deliverAt, decoded: this.decode(entry), hex: Array.from(entry.e.bytes!) };
  }

  // For tests: the kept packets (or the filtered view) with their bytes and decoded payloads.
  dump(view: boolean): { time: number; device: number; up: boolean; lost: boolean; type: number; hex: string; payload?: string }[] {
    return (view ? this.view : this.entries).map((x) => ({
      time: x.e.time, device: x.e.device, up: x.e.up, lost: x.e.lost, type: x.e.type,
      hex: Array.from(x.e.bytes!, (b) => b.toString(16)).join(''), payload: this.decode(x).payload }));
  }

  count(type?: number): number {
    return type === undefined ? this.entries.length : this.entries.reduce((n, x) => n + (x.e.type === type ? 1 : 0), 0);
  }

  private find(n: number): Entry | undefined {
    const i = n - (this.entries[0]?.n ?? 0);
    const entry = this.entries[i];
    return entry && entry.n === n ? entry : undefined;
  }

  private row(x: Entry): LogRow {
    const e = x.e;
    return { n: x.n, time: e.time, device: e.device, up: e.up, type: e.type, lost: e.lost, size: e.bytes!.length, summary: this.summary(x) };
  }

  private rebuild(): void {
    this.view = this.filter ? this.entries.filter((x) => this.matches(x)) : this.entries.slice();
  }

  private matches(entry: Entry): boolean {
    if (!this.filter) return true;
    const e = entry.e;
    const text = `${this.deviceName(e.device)} ${PACKET_NAMES[e.type]} ${e.lost ? 'lost ' : ''}${this.summary(entry)}`.toLowerCase();
    return text.includes(this.filter);
  }

  private decode(entry: Entry): any {
    entry.decoded ??= JSON.parse(this.decodeJson(entry.e.bytes!, entry.e.device));
    return entry.decoded;
  }

  private summary(entry: Entry): string {
    if (entry.summary !== undefined) return entry.summary;
    const d = this.decode(entry);
    const p = d.packet ?? {};
    const parts: string[] = [];
    if (d.error) parts.push(`decode error: ${d.error}`);
    switch (p.cmd) {
      case 'connect': parts.push(`id=${p.clientId}`, `v${p.protocolVersion}`, p.clean ? 'clean' : 'session', `ka=${p.keepalive}s`);
        if (p.will) parts.push(`will→${p.will.topic}`); break;
      case 'connack': parts.push(`rc=${p.reasonCode ?? p.returnCode ?? 0}`, p.sessionPresent ? 'session present' : ''); break;
      case 'publish': parts.push(p.topic || (p.properties?.topicAlias ? `alias ${p.properties.topicAlias}` : ''),
        `q${p.qos}`, p.retain ? 'retain' : '', p.dup ? 'DUP' : '', p.messageId ? `#${p.messageId}` : '',
        d.payload !== undefined ? `“${String(d.payload).slice(0, 40)}”` : `${d.payloadSize} bytes`); break;
      case 'subscribe': parts.push(`#${p.messageId}`, ...(p.subscriptions ?? []).map((s: any) => `${s.topic} q${s.qos}`)); break;
      case 'suback': parts.push(`#${p.messageId}`, `granted ${(p.granted ?? p.reasonCodes ?? []).join(',')}`); break;
      case 'disconnect': parts.push(p.reasonCode !== undefined ? `rc=${p.reasonCode}` : '',
        p.reasonCode === 0x8e ? 'session taken over' : ''); break;
      default: if (p.messageId !== undefined) parts.push(`#${p.messageId}`); if (p.reasonCode) parts.push(`rc=${p.reasonCode}`);
    }
    entry.summary = parts.filter(Boolean).join('  ');
    return entry.summary;
  }
}
