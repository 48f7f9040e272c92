// The packet log: every packet that entered a link, newest at the bottom, virtualised; a click shows
// every decoded field and property, and the raw bytes in hex.
import { EventKind, PACKET_NAMES, type SimEvent } from '../sim/events';
import type { Simulation } from '../sim/simulation';
import { clear, fmtTime, h, hexDump, VirtualList } from './dom';

interface Entry {
  e: SimEvent;
  decoded?: any;
  summary?: string;
}

const MAX_ENTRIES = 100_000;

export class PacketLog {
  readonly root: HTMLElement;
  private entries: Entry[] = [];
  private view: Entry[] = [];
  private list: VirtualList;
  private detail: HTMLElement;
  private filterInput: HTMLInputElement;
  private counter: HTMLElement;
  private selected: Entry | null = null;
  private filter = '';
  private dirty = false;

  constructor(private readonly sim: Simulation) {
    this.list = new VirtualList(22, (i, el) => this.renderRow(i, el), 'log-list');
    this.list.root.setAttribute('data-testid', 'packet-log');
    this.detail = h('div', { class: 'log-detail', 'data-testid': 'packet-detail' },
      h('div', { class: 'muted pad' }, 'Select a packet to see every field, its properties and its bytes.'));
    this.filterInput = h('input', { type: 'search', placeholder: 'filter: device, packet type, topic… (click a packet for its fields and bytes)', class: 'grow',
      oninput: () => { this.filter = this.filterInput.value.trim().toLowerCase(); this.rebuildView(); } });
    this.counter = h('span', { class: 'muted small' });
    this.root = h('section', { class: 'panel log-panel' },
      h('header', { class: 'panel-head' }, h('h2', {}, 'Packets'), this.filterInput, this.counter),
      h('div', { class: 'log-split' },
        h('div', { class: 'log-main' },
          h('div', { class: 'log-header row-grid' }, h('span', {}, 'time'), h('span', {}, 'device'), h('span', {}, ''),
            h('span', {}, 'packet'), h('span', {}, 'fields'), h('span', { class: 'right' }, 'bytes')),
          this.list.root),
        this.detail));
    this.detail.hidden = true;
    sim.onEvents((events) => this.add(events));
    sim.onReset(() => { this.entries = []; this.view = []; this.selected = null; this.list.setCount(0); this.showDetail(null); });
    setInterval(() => this.update(), 150);
  }

  private add(events: SimEvent[]): void {
    for (const e of events) {
      if (e.kind !== EventKind.PacketSent || !e.bytes) continue;
      const entry: Entry = { e };
      this.entries.push(entry);
      if (this.matches(entry)) this.view.push(entry);
    }
    if (this.entries.length > MAX_ENTRIES * 1.2) {
      this.entries = this.entries.slice(this.entries.length - MAX_ENTRIES);
      this.rebuildView();
    }
    this.dirty = true;
  }

  private update(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const follow = this.list.atBottom();
    this.list.setCount(this.view.length, follow);
    this.counter.textContent = `${this.view.length.toLocaleString()} shown · ${this.entries.length.toLocaleString()} kept`;
  }

  private matches(entry: Entry): boolean {
    if (!this.filter) return true;
    const e = entry.e;
    const text = `${this.sim.deviceIds[e.device] ?? ''} ${PACKET_NAMES[e.type]} ${e.lost ? 'lost ' : ''}${this.summary(entry)}`.toLowerCase();
    return text.includes(this.filter);
  }

  private rebuildView(): void {
    this.view = this.filter ? this.entries.filter((x) => this.matches(x)) : this.entries.slice();
    this.dirty = true;
    this.update();
  }

  private decode(entry: Entry): any {
    if (entry.decoded === undefined) {
      const proto = this.sim.deviceProtocol[entry.e.device] ?? 4;
      entry.decoded = JSON.parse(this.sim.world.decode(entry.e.bytes!, proto));
    }
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
      case 'disconnect': parts.push(p.reasonCode !== undefined ? `rc=${p.reasonCode}` : ''); break;
      default: if (p.messageId !== undefined) parts.push(`#${p.messageId}`); if (p.reasonCode) parts.push(`rc=${p.reasonCode}`);
    }
    entry.summary = parts.filter(Boolean).join('  ');
    return entry.summary;
  }

  private renderRow(i: number, el: HTMLDivElement): void {
    const entry = this.view[i];
    if (!entry) return;
    const e = entry.e;
    el.className = `vl-row row-grid log-row${entry === this.selected ? ' selected' : ''}${e.lost ? ' lost' : ''}`;
    el.dataset.type = PACKET_NAMES[e.type];
    el.innerHTML = '';
    el.append(
      h('span', { class: 'mono muted' }, fmtTime(e.time)),
      h('span', { class: 'ellipsis' }, this.sim.deviceIds[e.device] ?? '?'),
      h('span', { class: `dir ${e.up ? 'up' : 'down'}`, title: e.up ? 'device → broker' : 'broker → device' }, e.up ? '→' : '←'),
      h('span', { class: `ptype t${e.type}` }, PACKET_NAMES[e.type]),
      h('span', { class: 'ellipsis mono' }, (e.lost ? '✕ lost  ' : '') + this.summary(entry)),
      h('span', { class: 'mono muted right' }, String(e.bytes!.length)));
    el.onclick = () => { this.selected = entry; this.showDetail(entry); this.list.refresh(); };
  }

  private showDetail(entry: Entry | null): void {
    clear(this.detail);
    this.detail.hidden = !entry;
    if (!entry) return;
    const e = entry.e;
    const d = this.decode(entry);
    const who = this.sim.deviceIds[e.device] ?? '?';
    const rows: [string, string][] = [
      ['packet', PACKET_NAMES[e.type]],
      ['direction', e.up ? `${who} → broker` : `broker → ${who}`],
      ['sent at', fmtTime(e.time)],
      ['arrives', e.lost ? 'lost on the link' : fmtTime(e.deliverAt)],
      ['size', `${e.bytes!.length} bytes (header ${d.headerSize ?? '?'}, remaining length ${d.remainingLength ?? '?'})`],
    ];
    const fields = h('table', { class: 'kv' });
    for (const [k, v] of rows) fields.append(h('tr', {}, h('th', {}, k), h('td', {}, v)));
    const addFields = (obj: any, prefix: string) => {
      for (const [k, v] of Object.entries(obj ?? {})) {
        if (k === 'cmd') continue;
        if (v && typeof v === 'object' && !Array.isArray(v)) addFields(v, `${prefix}${k}.`);
        else fields.append(h('tr', {}, h('th', {}, prefix + k), h('td', { class: 'mono' }, JSON.stringify(v))));
      }
    };
    addFields(d.packet, '');
    if (d.payload !== undefined) fields.append(h('tr', {}, h('th', {}, 'payload'), h('td', { class: 'mono' }, d.payload)));
    if (d.payloadHex !== undefined) fields.append(h('tr', {}, h('th', {}, 'payload (hex)'), h('td', { class: 'mono' }, d.payloadHex)));
    if (d.will) addFields(d.will, 'will.');
    if (d.error) fields.append(h('tr', {}, h('th', {}, 'error'), h('td', {}, d.error)));
    this.detail.append(h('div', { class: 'detail-head' }, h('h3', {}, `${PACKET_NAMES[e.type]} ${e.up ? '→' : '←'} ${who}`),
      h('button', { class: 'ghost small', title: 'close', onclick: () => { this.selected = null; this.showDetail(null); this.list.refresh(); } }, '✕')), fields,
      h('h4', {}, 'Raw bytes'), h('pre', { class: 'hex' }, hexDump(e.bytes!)));
  }

  // For tests and the bench: how many packets of a type the log holds.
  count(type?: string): number {
    return type ? this.entries.filter((x) => PACKET_NAMES[x.e.type] === type).length : this.entries.length;
  }
}
