// The packet log: every packet that entered a link, newest at the bottom, virtualised; a click shows
// every decoded field and property, and the raw bytes in hex.
import { PACKET_NAMES } from '../sim/events';
import { PACKET_WORDS, PF_LOST, PF_UP, type FrameMsg, type LogDetail, type LogRow } from '../sim/protocol';
import type { Simulation } from '../sim/simulation';
import { clear, fmtTime, h, hexDump, VirtualList } from './dom';

// The packets themselves (bytes, decoded fields) stay in the simulation worker; the page keeps three
// words per packet (time, device, type and flags) for counts, and fetches the rows it draws.
export class PacketLog {
  readonly root: HTMLElement;
  private meta = new Uint32Array(PACKET_WORDS * 4096);
  private metaCount = 0;
  private firstSeq = 0;      // absolute number of meta[0]
  private shown = 0;         // packets passing the filter (the worker counts them)
  private rows = new Map<number, LogRow>();  // view index -> row, for the rows in view
  private fetchLoop: Promise<void> | null = null;
  private refetch = false;
  private list: VirtualList;
  private detail: HTMLElement;
  private filterInput: HTMLInputElement;
  private counter: HTMLElement;
  private selected = -1;     // absolute packet number
  private dirty = false;
  private filterSeq = 0;
  private applied = '';      // the filter the worker has

  constructor(private readonly sim: Simulation) {
    this.list = new VirtualList(22, (i, el) => this.renderRow(i, el), 'log-list');
    this.list.root.setAttribute('data-testid', 'packet-log');
    this.list.onRange = () => void this.fetch();
    this.detail = h('div', { class: 'log-detail', 'data-testid': 'packet-detail' },
      h('div', { class: 'muted pad' }, 'Select a packet to see every field, its properties and its bytes.'));
    this.filterInput = h('input', { type: 'search', placeholder: 'filter: device, packet type, topic… (click a packet for its fields and bytes)', class: 'grow',
      oninput: () => void this.applyFilter() });
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
    sim.onFrame((f) => this.add(f));
    sim.onReset(() => {
      this.metaCount = 0; this.firstSeq = 0; this.shown = 0; this.rows.clear(); this.selected = -1;
      this.list.setCount(0); this.showDetail(null); this.updateCounter();
    });
    setInterval(() => this.update(), 150);
  }

  private add(f: FrameMsg): void {
    const n = f.packets.length / PACKET_WORDS;
    if (f.firstSeq > this.firstSeq) {  // the worker dropped its oldest packets: so do we
      const drop = Math.min(this.metaCount, f.firstSeq - this.firstSeq);
      this.meta.copyWithin(0, drop * PACKET_WORDS, this.metaCount * PACKET_WORDS);
      this.metaCount -= drop;
      this.firstSeq = f.firstSeq;
    }
    if ((this.metaCount + n) * PACKET_WORDS > this.meta.length) {
      const bigger = new Uint32Array(Math.max(this.meta.length * 2, (this.metaCount + n) * PACKET_WORDS));
      bigger.set(this.meta.subarray(0, this.metaCount * PACKET_WORDS));
      this.meta = bigger;
    }
    this.meta.set(f.packets, this.metaCount * PACKET_WORDS);
    this.metaCount += n;
    if (n > 0 || f.logShown !== this.shown) this.dirty = true;
    this.shown = f.logShown;
  }

  private update(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const follow = this.list.atBottom();
    this.list.setCount(this.shown, follow);
    this.updateCounter();
    void this.fetch();
  }

  private updateCounter(): void {
    this.counter.textContent = `${this.shown.toLocaleString()} shown · ${this.metaCount.toLocaleString()} kept`;
  }

  private async applyFilter(): Promise<void> {
    const seq = ++this.filterSeq;
    const text = this.filterInput.value;
    const shown = await this.sim.logFilter(text);
    if (seq !== this.filterSeq) return;
    this.applied = text;
    this.shown = shown;
    this.rows.clear();
    this.list.setCount(shown, this.list.atBottom());
    this.updateCounter();
    await this.fetch();
  }

  // Fetches the rows in view from the worker: one request at a time, a newer need runs after it; the
  // promise settles when the rows drawn match the last need.
  private fetch(): Promise<void> {
    this.refetch = true;
    this.fetchLoop ??= this.fetchRows().finally(() => {
      this.fetchLoop = null;
      if (this.refetch) void this.fetch();
    });
    return this.fetchLoop;
  }

  private async fetchRows(): Promise<void> {
    await null;  // the loop starts after fetch() has stored its promise
    while (this.refetch) {
      this.refetch = false;
      const [first, last] = this.list.visibleRange();
      const rows = last > first ? await this.sim.logRows(first, last - first) : [];
      this.rows.clear();
      rows.forEach((r, i) => this.rows.set(first + i, r));
      this.list.render();
    }
  }

  // Resolves once the rows in view match the current filter and the newest frame (for tests).
  async idle(): Promise<void> {
    if (this.filterInput.value !== this.applied || this.filterSeq === 0) await this.applyFilter();
    else await this.fetch();
  }

  private renderRow(i: number, el: HTMLDivElement): void {
    const r = this.rows.get(i);
    el.innerHTML = '';
    if (!r) { el.className = 'vl-row row-grid log-row'; delete el.dataset.type; return; }
    el.className = `vl-row row-grid log-row${r.n === this.selected ? ' selected' : ''}${r.lost ? ' lost' : ''}`;
    el.dataset.type = PACKET_NAMES[r.type];
    el.append(
      h('span', { class: 'mono muted' }, fmtTime(r.time)),
      h('span', { class: 'ellipsis' }, this.sim.deviceIds[r.device] ?? '?'),
      h('span', { class: `dir ${r.up ? 'up' : 'down'}`, title: r.up ? 'device → broker' : 'broker → device' }, r.up ? '→' : '←'),
      h('span', { class: `ptype t${r.type}` }, PACKET_NAMES[r.type]),
      h('span', { class: 'ellipsis mono' }, (r.lost ? '✕ lost  ' : '') + r.summary),
      h('span', { class: 'mono muted right' }, String(r.size)));
    el.onclick = () => { this.selected = r.n; void this.select(r.n); this.list.render(); };
  }

  private async select(n: number): Promise<void> {
    const d = await this.sim.logDetail(n);
    if (this.selected === n) this.showDetail(d);
  }

  private showDetail(entry: LogDetail | null): void {
    clear(this.detail);
    this.detail.hidden = !entry;
    if (!entry) return;
    const e = entry;
    const d = entry.decoded;
    const bytes = Uint8Array.from(entry.hex);
    const who = this.sim.deviceIds[e.device] ?? '?';
    const rows: [string, string][] = [
      ['packet', PACKET_NAMES[e.type]],
      ['direction', e.up ? `${who} → broker` : `broker → ${who}`],
      ['sent at', fmtTime(e.time)],
      ['arrives', e.lost ? 'lost on the link' : fmtTime(e.deliverAt)],
      ['size', `${e.size} bytes (header ${d.headerSize ?? '?'}, remaining length ${d.remainingLength ?? '?'})`],
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
      h('button', { class: 'ghost small', title: 'close', onclick: () => { this.selected = -1; this.showDetail(null); this.list.render(); } }, '✕')), fields,
      h('h4', {}, 'Raw bytes'), h('pre', { class: 'hex' }, hexDump(bytes)));
  }

  // For tests and the bench: how many packets of a type the log holds.
  count(type?: string): number {
    if (!type) return this.metaCount;
    let n = 0;
    for (let i = 0; i < this.metaCount; i++) if (PACKET_NAMES[this.meta[i * PACKET_WORDS + 2] & 15] === type) n++;
    return n;
  }

  // For tests: every kept packet's time, device, direction, loss and type (bytes: dump()).
  get entries(): { e: { time: number; device: number; up: boolean; lost: boolean; type: number } }[] {
    const out = [];
    for (let i = 0; i < this.metaCount; i++) {
      const f = this.meta[i * PACKET_WORDS + 2];
      out.push({ e: { time: this.meta[i * PACKET_WORDS], device: this.meta[i * PACKET_WORDS + 1], up: (f & PF_UP) !== 0, lost: (f & PF_LOST) !== 0, type: f & 15 } });
    }
    return out;
  }

  // For tests: the kept packets (view: only those passing the filter) with bytes and decoded payloads.
  dump(view = false): Promise<{ time: number; device: number; up: boolean; lost: boolean; type: number; hex: string; payload?: string }[]> {
    return this.sim.call('logDump', { view });
  }
}
