// Charts of numeric payloads: one small canvas per topic (the most recently active, or the ones picked
// in the topic tree), drawn against virtual time. No chart library.
import type { TopicUpdates } from '../sim/protocol';
import type { Simulation } from '../sim/simulation';
import { h } from './dom';

interface Series { topic: string; t: number[]; v: number[]; last: number }

const MAX_POINTS = 600;
const MAX_CHARTS = 6;
const PALETTE = ['#2f7df6', '#18a058', '#e2662c', '#7c5cff', '#c27c0e', '#0e8a7e'];

export class Charts {
  readonly root: HTMLElement;
  private series = new Map<string, Series>();
  private pinned: string[] = [];
  private grid: HTMLElement;
  private canvases = new Map<string, HTMLCanvasElement>();
  visible = () => true;

  constructor(sim: Simulation) {
    this.grid = h('div', { class: 'chart-grid', 'data-testid': 'charts' });
    this.root = h('div', { class: 'tab-body charts' },
      h('div', { class: 'muted small pad' }, 'Numeric payloads over virtual time. Click a topic in the tree to pin it here.'),
      this.grid);
    sim.onReset(() => { this.series.clear(); this.canvases.clear(); this.grid.innerHTML = ''; });
    sim.onFrame((f) => this.add(f.topics));
    setInterval(() => { if (this.visible()) this.draw(); }, 250);
  }

  pin(topic: string): void {
    this.pinned = [topic, ...this.pinned.filter((t) => t !== topic)].slice(0, MAX_CHARTS);
  }

  // The latest published value per topic since the last frame.
  private add(u: TopicUpdates): void {
    for (let i = 0; i < u.topics.length; i++) {
      if (!(u.flags[i] & 8)) continue;
      const e = { topic: u.topics[i], payload: u.payloads[i], time: u.times[i] };
      const v = Number(e.payload);
      if (e.payload === '' || !Number.isFinite(v)) continue;
      let s = this.series.get(e.topic);
      if (!s) {
        if (this.series.size > 20_000) continue;
        s = { topic: e.topic, t: [], v: [], last: 0 };
        this.series.set(e.topic, s);
      }
      s.t.push(e.time);
      s.v.push(v);
      s.last = e.time;
      if (s.t.length > MAX_POINTS * 1.5) { s.t.splice(0, s.t.length - MAX_POINTS); s.v.splice(0, s.v.length - MAX_POINTS); }
    }
  }

  private chosen(): Series[] {
    const out: Series[] = [];
    for (const t of this.pinned) { const s = this.series.get(t); if (s) out.push(s); }
    if (out.length < MAX_CHARTS && this.series.size <= 64) {
      const rest = [...this.series.values()].filter((s) => !out.includes(s)).sort((a, b) => a.topic.localeCompare(b.topic));
      out.push(...rest.slice(0, MAX_CHARTS - out.length));
    } else if (out.length < MAX_CHARTS) {
      let n = 0;
      for (const s of this.series.values()) { if (!out.includes(s)) out.push(s); if (++n >= MAX_CHARTS * 2 || out.length >= MAX_CHARTS) break; }
    }
    return out;
  }

  private draw(): void {
    const list = this.chosen();
    if (list.length === 0) {
      if (!this.grid.firstChild) this.grid.append(h('div', { class: 'muted pad' }, 'No numeric payloads yet.'));
      return;
    }
    const keep = new Set(list.map((s) => s.topic));
    for (const [t, cv] of this.canvases) if (!keep.has(t)) { cv.parentElement?.remove(); this.canvases.delete(t); }
    [...this.grid.children].forEach((c) => { if (!(c as HTMLElement).dataset.topic) c.remove(); });
    list.forEach((s, i) => {
      let cv = this.canvases.get(s.topic);
      if (!cv) {
        cv = h('canvas', { class: 'chart' });
        this.canvases.set(s.topic, cv);
        this.grid.append(h('figure', { 'data-topic': s.topic }, h('figcaption', { class: 'mono ellipsis' }, s.topic), cv));
      }
      plot(cv, s, PALETTE[i % PALETTE.length]);
    });
  }
}

function plot(cv: HTMLCanvasElement, s: Series, color: string): void {
  const w = cv.clientWidth || 300;
  const hgt = cv.clientHeight || 90;
  const dpr = window.devicePixelRatio || 1;
  if (cv.width !== w * dpr) { cv.width = w * dpr; cv.height = hgt * dpr; }
  const c = cv.getContext('2d')!;
  c.setTransform(dpr, 0, 0, dpr, 0, 0);
  c.clearRect(0, 0, w, hgt);
  const n = s.t.length;
  const from = Math.max(0, n - MAX_POINTS);
  let lo = Infinity, hi = -Infinity;
  for (let i = from; i < n; i++) { lo = Math.min(lo, s.v[i]); hi = Math.max(hi, s.v[i]); }
  if (hi === lo) { hi += 1; lo -= 1; }
  const t0 = s.t[from], t1 = Math.max(s.t[n - 1], t0 + 1);
  const pad = 18;
  const X = (t: number) => 4 + ((t - t0) / (t1 - t0)) * (w - 8);
  const Y = (v: number) => hgt - pad + 2 - ((v - lo) / (hi - lo)) * (hgt - pad - 10);
  c.strokeStyle = '#e3e8f2';
  c.lineWidth = 1;
  for (const v of [lo, (lo + hi) / 2, hi]) { c.beginPath(); c.moveTo(0, Y(v)); c.lineTo(w, Y(v)); c.stroke(); }
  c.strokeStyle = color;
  c.lineWidth = 1.8;
  c.beginPath();
  for (let i = from; i < n; i++) { const px = X(s.t[i]), py = Y(s.v[i]); if (i === from) c.moveTo(px, py); else c.lineTo(px, py); }
  c.stroke();
  c.fillStyle = '#5b6478';
  c.font = '10px ui-monospace, monospace';
  c.fillText(`${fmt(hi)}`, 4, 10);
  c.fillText(`${fmt(lo)}`, 4, hgt - 4);
  c.textAlign = 'right';
  c.fillStyle = color;
  c.font = '600 12px system-ui, sans-serif';
  c.fillText(fmt(s.v[n - 1]), w - 4, 12);
  c.textAlign = 'left';
}

function fmt(v: number): string {
  return Math.abs(v) >= 1000 ? v.toFixed(0) : String(Math.round(v * 100) / 100);
}
