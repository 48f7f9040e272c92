// The lesson panel: the scenario's title and description, then its steps; the step the clock has
// reached is highlighted, and each expectation shows ✓ or ✗ once checked by the engine.
import type { Simulation } from '../sim/simulation';
import { clear, fmtTime, h } from './dom';

export class LessonPanel {
  readonly root: HTMLElement;
  private body: HTMLElement;
  private results = new Map<number, { met: boolean; checked: boolean; message: string }[]>();
  private current = -1;

  constructor(private readonly sim: Simulation) {
    this.body = h('div', { class: 'lesson-body', 'data-testid': 'lesson' });
    this.root = h('section', { class: 'panel lesson-panel' }, this.body);
    sim.onReset(() => { this.results.clear(); this.current = -1; this.render(); });
    sim.onFrame((f) => {
      if (f.stepResults !== null) {
        for (const r of JSON.parse(f.stepResults)) this.results.set(r.step, r.results);
        this.render();
      }
    });
    setInterval(() => this.tick(), 250);
  }

  private tick(): void {
    const steps = this.sim.info.steps ?? [];
    const now = this.sim.world.now();
    let cur = -1;
    steps.forEach((s, i) => { if (s.atMs <= now) cur = i; });
    if (cur !== this.current) { this.current = cur; this.render(); }
  }

  render(): void {
    clear(this.body);
    const info = this.sim.info;
    if (!info.ok) return;
    this.body.append(h('h2', { class: 'lesson-title' }, info.title || 'Untitled scenario'));
    if (info.description) this.body.append(h('p', { class: 'lesson-desc' }, info.description));
    const steps = info.steps ?? [];
    if (steps.length === 0) this.body.append(h('p', { class: 'muted' }, `${info.devices} devices · ${Math.round((info.durationMs ?? 0) / 1000)} s`));
    const ol = h('ol', { class: 'steps' });
    steps.forEach((s, i) => {
      const res = this.results.get(i);
      const ok = res ? res.every((r) => r.met || !r.checked) : undefined;
      const li = h('li', { class: `step${i === this.current ? ' current' : ''}${i < this.current ? ' done' : ''}`, 'data-step': i,
        'data-result': ok === undefined ? 'pending' : ok ? 'met' : 'failed' },
        h('div', { class: 'step-head' },
          h('button', { class: 'step-time', title: 'run to this step', onclick: () => void this.sim.runTo(s.atMs) }, fmtTime(s.atMs).slice(0, 5)),
          h('strong', {}, s.title),
          ok === undefined ? null : h('span', { class: ok ? 'ok' : 'bad' }, ok ? '✓' : '✗')),
        i <= this.current || this.current < 0 && i === 0 ? h('p', {}, s.text) : null);
      if (res && res.length) {
        li.append(h('ul', { class: 'expects' }, ...res.map((r) =>
          h('li', { class: r.met ? 'ok' : r.checked ? 'bad' : 'muted' }, `${r.met ? '✓' : r.checked ? '✗' : '–'} ${r.message}`))));
      } else if (s.expect.length && i <= this.current) {
        li.append(h('ul', { class: 'expects' }, ...s.expect.filter(Boolean).map((x) => h('li', { class: 'muted' }, `… ${x}`))));
      }
      ol.append(li);
    });
    this.body.append(ol);
    ol.querySelector('li.current')?.scrollIntoView({ block: 'nearest' });
  }
}
