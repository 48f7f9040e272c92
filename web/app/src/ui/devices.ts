// The device list: every virtual device with its connection state and counters (virtualised: a
// 10,000-device world lists fine); a click opens it in the device panel, ◫ puts it in the diagram.
import type { DeviceRow, Simulation } from '../sim/simulation';
import { h, VirtualList } from './dom';

export class DeviceList {
  readonly root: HTMLElement;
  private list: VirtualList;
  private rows = new Map<number, DeviceRow>();
  private counter: HTMLElement;
  selected = -1;
  onSelect: (dev: number) => void = () => {};
  onToggleDiagram: (dev: number) => void = () => {};
  inDiagram: (dev: number) => boolean = () => false;

  constructor(private readonly sim: Simulation) {
    this.list = new VirtualList(40, (i, el) => this.renderRow(i, el), 'device-list');
    this.list.root.setAttribute('data-testid', 'device-list');
    this.counter = h('span', { class: 'muted small' });
    this.root = h('section', { class: 'panel devices-panel' },
      h('header', { class: 'panel-head' }, h('h2', {}, 'Devices'), this.counter,
        h('button', { class: 'ghost small', title: 'Add a device to the scenario', onclick: () => this.onAdd() }, '+ add')),
      this.list.root);
    sim.onReset(() => { this.selected = -1; void this.update(); });
    setInterval(() => void this.update(), 500);
    this.list.onRange = () => void this.update();
    // A connect, crash or link change shows at once (one refresh per frame at most), not on the next tick.
    sim.onFrame((f) => { if (f.deviceChange && this.sim.deviceIds.length <= 2000) void this.update(); });
  }

  onAdd: () => void = () => {};

  private busy = false;
  private again = false;

  // Fetches the rows in view from the worker (one request at a time).
  async update(): Promise<void> {
    if (this.busy) { this.again = true; return; }
    this.busy = true;
    try {
      do {
        this.again = false;
        await this.fetch();
      } while (this.again);
    } finally {
      this.busy = false;
    }
  }

  private async fetch(): Promise<void> {
    const total = this.sim.deviceIds.length;
    if (this.list.length !== total) this.list.setCount(total);
    const [first, last] = this.list.visibleRange();
    const { rows } = await this.sim.devices(first, Math.max(0, Math.min(total, last + 1) - first));
    this.rows.clear();
    rows.forEach((r, i) => this.rows.set(first + i, r));
    const online = total <= 2000 ? undefined : null;
    this.counter.textContent = online === null ? `${total.toLocaleString()}` : `${total}`;
    if (this.list.length !== total) this.list.setCount(total);
    else this.list.render();
  }

  private renderRow(i: number, el: HTMLDivElement): void {
    const d = this.rows.get(i);
    const id = this.sim.deviceIds[i] ?? '';
    el.className = `vl-row device-row${i === this.selected ? ' selected' : ''}`;
    el.dataset.device = id;
    el.innerHTML = '';
    const state = !d ? 'unknown' : !d.powered ? 'crashed' : d.linkDown ? 'half-open' : d.connected ? 'online' : 'offline';
    el.dataset.state = state;
    const diagram = h('button', { class: `icon${this.inDiagram(i) ? ' on' : ''}`, title: 'show in the sequence diagram',
      onclick: (ev: Event) => { ev.stopPropagation(); this.onToggleDiagram(i); this.list.render(); } }, '◫');
    el.append(
      h('span', { class: `dot ${state}`, title: state }),
      h('div', { class: 'device-main' },
        h('div', { class: 'device-id ellipsis' }, id),
        h('div', { class: 'muted small ellipsis' }, d ? `${state} · v${d.protocol === 5 ? '5' : '3.1.1'} · ↑${d.published} ↓${d.received}${d.state ? ' · value ' + d.state : ''}` : '')),
      diagram);
    el.onclick = () => { this.selected = i; this.onSelect(i); this.list.render(); };
  }
}
