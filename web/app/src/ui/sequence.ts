// The sequence diagram: lifelines for the broker (centre) and the chosen devices (both sides), one row
// per packet in the order they entered the links, plus notes for connects, crashes, wills and actions.
// QoS 1 and 2 handshakes, retries (DUP), lost packets (red, crossed) and takeovers read top to bottom.
import { EventKind, NO_DEVICE, PACKET_NAMES } from '../sim/events';
import type { SeqEvent } from '../sim/protocol';
import type { Simulation } from '../sim/simulation';
import { fmtTime, h } from './dom';

// The worker picks the rows (packets of the devices shown, notes) and labels them: src/sim/seq_rows.ts.
interface Row { e: SeqEvent }

const ROW = 24;
const HEAD = 34;
const MAX_ROWS = 20_000;
const COLORS: Record<string, string> = {
  CONNECT: '#7c5cff', CONNACK: '#7c5cff', PUBLISH: '#2f7df6', PUBACK: '#18a058', PUBREC: '#18a058',
  PUBREL: '#0e8a7e', PUBCOMP: '#18a058', SUBSCRIBE: '#c27c0e', SUBACK: '#c27c0e', UNSUBSCRIBE: '#c27c0e',
  UNSUBACK: '#c27c0e', PINGREQ: '#8a93a6', PINGRESP: '#8a93a6', DISCONNECT: '#e2662c', AUTH: '#7c5cff',
};

export class SequenceDiagram {
  readonly root: HTMLElement;
  private canvas: HTMLCanvasElement;
  private rows: Row[] = [];
  private offset = 0;  // rows scrolled back from the newest
  private dirty = true;
  private chooser: HTMLElement;
  shown: number[] = [];

  constructor(private readonly sim: Simulation) {
    this.canvas = h('canvas', { class: 'seq-canvas', 'data-testid': 'sequence' });
    this.chooser = h('span', { class: 'muted small ellipsis' });
    this.root = h('section', { class: 'panel seq-panel' },
      h('header', { class: 'panel-head' }, h('h2', {}, 'Sequence'), this.chooser,
        h('button', { class: 'ghost small', title: 'Jump to the newest packet', onclick: () => { this.offset = 0; this.dirty = true; } }, '⤓ newest')),
      h('div', { class: 'seq-wrap' }, this.canvas));
    this.canvas.addEventListener('wheel', (ev) => {
      ev.preventDefault();
      this.offset = Math.max(0, Math.min(this.rows.length - 1, this.offset + Math.sign(ev.deltaY) * 3 * -1));
      this.dirty = true;
    }, { passive: false });
    new ResizeObserver(() => { this.dirty = true; }).observe(this.canvas.parentElement ?? this.root);
    sim.onReset(() => {
      this.rows = [];
      this.offset = 0;
      const n = sim.deviceIds.length;
      this.shown = Array.from({ length: Math.min(n, n <= 6 ? 6 : 4) }, (_, i) => i);
      void sim.setDiagramDevices(this.shown);
      this.updateChooser();
      this.dirty = true;
    });
    sim.onFrame((f) => this.add(f.seq));
    const loop = () => { if (this.dirty) this.draw(); requestAnimationFrame(loop); };
    requestAnimationFrame(loop);
  }

  toggle(dev: number): void {
    const i = this.shown.indexOf(dev);
    if (i >= 0) this.shown.splice(i, 1);
    else { this.shown.push(dev); if (this.shown.length > 8) this.shown.shift(); }
    void this.sim.setDiagramDevices(this.shown);
    this.rows = [];
    this.updateChooser();
    this.dirty = true;
  }

  private updateChooser(): void {
    this.chooser.textContent = `lifelines: broker, ${this.shown.map((d) => this.sim.deviceIds[d]).join(', ')} — toggle with ◫ in the device list`;
  }

  private add(events: SeqEvent[]): void {
    for (const e of events) {
      this.rows.push({ e });
      if (this.offset > 0) this.offset++;
      this.dirty = true;
    }
    if (this.rows.length > MAX_ROWS) this.rows.splice(0, this.rows.length - MAX_ROWS);
  }

  private noteText(e: SeqEvent): string {
    const id = this.sim.deviceIds[e.device] ?? '';
    switch (e.kind) {
      case EventKind.WillFired: return `will fired: ${e.detail} → ${e.topic}`;
      // [MQTT-3.1.4-3] a new connection with the same client id: the broker closes the old one.
      case EventKind.TakenOver: return `⇄ takeover: a new connection took “${e.detail}”; the old one is closed`;
      case EventKind.Crashed: return `✖ ${id} crashed`;
      case EventKind.Offline: return `${id} offline${e.detail ? ': ' + e.detail : ''}`;
      case EventKind.Connected: return `${id} connected${e.flag ? ' (session present)' : ''}`;
      case EventKind.LinkChanged: return `link ${id}: ${e.detail}`;
      case EventKind.Action: return `action: ${e.detail} ${e.topic}`;
      case EventKind.Step: return `step ${e.index + 1}: ${e.detail}`;
      default: return '';
    }
  }

  private draw(): void {
    this.dirty = false;
    const parent = this.canvas.parentElement!;
    const dpr = window.devicePixelRatio || 1;
    const w = parent.clientWidth;
    const hgt = parent.clientHeight;
    if (w === 0 || hgt === 0) return;
    if (this.canvas.width !== Math.round(w * dpr) || this.canvas.height !== Math.round(hgt * dpr)) {
      this.canvas.width = Math.round(w * dpr);
      this.canvas.height = Math.round(hgt * dpr);
      this.canvas.style.width = `${w}px`;
      this.canvas.style.height = `${hgt}px`;
    }
    const c = this.canvas.getContext('2d')!;
    c.setTransform(dpr, 0, 0, dpr, 0, 0);
    c.clearRect(0, 0, w, hgt);
    const timeCol = 74;
    const left = this.shown.slice(0, Math.ceil(this.shown.length / 2));
    const right = this.shown.slice(Math.ceil(this.shown.length / 2));
    const lanes = [...left, -1, ...right];
    const laneW = (w - timeCol - 10) / lanes.length;
    const x = new Map<number, number>();
    lanes.forEach((d, i) => x.set(d, timeCol + laneW * (i + 0.5)));
    // lifelines and headers
    c.font = '600 12px system-ui, sans-serif';
    c.textAlign = 'center';
    for (const d of lanes) {
      const lx = x.get(d)!;
      c.strokeStyle = d === -1 ? '#3d4b66' : '#c9d1e0';
      c.lineWidth = d === -1 ? 2 : 1;
      c.setLineDash(d === -1 ? [] : [4, 4]);
      c.beginPath(); c.moveTo(lx, HEAD); c.lineTo(lx, hgt); c.stroke();
      c.setLineDash([]);
      const name = d === -1 ? 'broker' : this.sim.deviceIds[d] ?? '?';
      const tw = Math.min(laneW - 8, c.measureText(name).width + 18);
      c.fillStyle = d === -1 ? '#1f2a44' : '#eef2fb';
      roundRect(c, lx - tw / 2, 6, tw, 22, 6); c.fill();
      c.fillStyle = d === -1 ? '#fff' : '#1f2a44';
      c.fillText(ellipsize(c, name, laneW - 14), lx, 21);
    }
    const visible = Math.floor((hgt - HEAD - 6) / ROW);
    const end = this.rows.length - this.offset;
    const start = Math.max(0, end - visible);
    c.textAlign = 'left';
    for (let i = start; i < end; i++) {
      const row = this.rows[i];
      const e = row.e;
      const y = HEAD + 16 + (i - start) * ROW;
      c.font = '11px ui-monospace, monospace';
      c.fillStyle = '#8a93a6';
      c.fillText(fmtTime(e.time), 6, y + 4);
      if (e.kind !== EventKind.PacketSent) {
        const text = this.noteText(e);
        const lx = e.device === NO_DEVICE || !x.has(e.device) ? x.get(-1)! : x.get(e.device)!;
        c.font = '600 11px system-ui, sans-serif';
        const tw = c.measureText(text).width + 14;
        const bx = Math.max(timeCol, Math.min(w - tw - 4, lx - tw / 2));
        const warn = e.kind === EventKind.WillFired || e.kind === EventKind.Crashed || e.kind === EventKind.Offline ||
          e.kind === EventKind.TakenOver;
        c.fillStyle = e.kind === EventKind.Step ? '#e8f0ff' : warn ? '#fff1e6' : '#eefaf2';
        c.strokeStyle = e.kind === EventKind.Step ? '#2f7df6' : warn ? '#e2662c' : '#18a058';
        roundRect(c, bx, y - 9, tw, 18, 5); c.fill(); c.stroke();
        c.fillStyle = '#1f2a44';
        c.fillText(text, bx + 7, y + 4);
        continue;
      }
      if (!x.has(e.device)) continue;  // sent before the lifelines changed
      const dx = x.get(e.device)!;
      const bxl = x.get(-1)!;
      const from = e.up ? dx : bxl;
      const to = e.up ? bxl : dx;
      const name = PACKET_NAMES[e.type];
      const color = e.lost ? '#d93b3b' : COLORS[name] ?? '#555';
      const endX = e.lost ? from + (to - from) * 0.6 : to;
      c.strokeStyle = color;
      c.fillStyle = color;
      c.lineWidth = 1.6;
      c.setLineDash(e.lost ? [5, 4] : []);
      c.beginPath(); c.moveTo(from, y + 6); c.lineTo(endX, y + 6); c.stroke();
      c.setLineDash([]);
      if (e.lost) {
        c.lineWidth = 2;
        c.beginPath();
        c.moveTo(endX - 5, y + 1); c.lineTo(endX + 5, y + 11); c.moveTo(endX + 5, y + 1); c.lineTo(endX - 5, y + 11);
        c.stroke();
      } else {
        const dir = Math.sign(to - from);
        c.beginPath(); c.moveTo(to, y + 6); c.lineTo(to - dir * 8, y + 2); c.lineTo(to - dir * 8, y + 10); c.closePath(); c.fill();
      }
      c.font = '600 11px system-ui, sans-serif';
      const label = (e.label || name) + (e.lost ? '  ✕ lost' : '');
      // One arrow per row: the label may run past the arrow's end, over the light lifelines.
      const lx = Math.min(from, to) + 6;
      c.fillText(ellipsize(c, label, Math.max(w - lx - 6, 60)), lx, y + 1);
    }
    if (this.rows.length === 0) {
      c.fillStyle = '#8a93a6';
      c.font = '13px system-ui, sans-serif';
      c.textAlign = 'center';
      c.fillText('Press ▶ to start: packets between the devices and the broker appear here.', w / 2, hgt / 2);
    }
  }
}

function roundRect(c: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, r: number): void {
  c.beginPath();
  c.moveTo(x + r, y); c.arcTo(x + w, y, x + w, y + h, r); c.arcTo(x + w, y + h, x, y + h, r);
  c.arcTo(x, y + h, x, y, r); c.arcTo(x, y, x + w, y, r); c.closePath();
}

function ellipsize(c: CanvasRenderingContext2D, text: string, max: number): string {
  if (c.measureText(text).width <= max) return text;
  let lo = 0, hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (c.measureText(text.slice(0, mid) + '…').width <= max) lo = mid; else hi = mid - 1;
  }
  return text.slice(0, lo) + '…';
}
