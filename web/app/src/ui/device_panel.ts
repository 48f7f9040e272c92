// The device panel: controls for the selected device (crash, reconnect, disconnect, half-open, heal),
// its link's network model (latency, jitter and loss sliders per direction), a one-off publish, and the
// editor of its settings in the scenario (applying restarts the run with the edited scenario).
import type { Simulation } from '../sim/simulation';
import { clear, h } from './dom';

interface Dir { latency_ms: number; jitter_ms: number; loss: number }

export class DevicePanel {
  readonly root: HTMLElement;
  private body: HTMLElement;
  private dev = -1;
  private links = new Map<number, { up: Dir; down: Dir }>();
  private message: HTMLElement = h('div', { class: 'small' });

  constructor(private readonly sim: Simulation) {
    this.body = h('div', {});
    this.root = h('div', { class: 'tab-body device-panel', 'data-testid': 'device-panel' }, this.body);
    sim.onReset(() => { this.links.clear(); this.show(this.dev < sim.deviceIds.length ? this.dev : -1); });
    setInterval(() => void this.refreshTitle(), 500);
  }

  // The scenario's device entry that device `dev` comes from (entries with "count" make several).
  private template(dev: number): { index: number; entry: any } | null {
    const devices: any[] = this.sim.scenario?.devices ?? [];
    let n = 0;
    for (let i = 0; i < devices.length; i++) {
      n += Math.max(1, Number(devices[i].count ?? 1));
      if (dev < n) return { index: i, entry: devices[i] };
    }
    return null;
  }

  private linkOf(dev: number): { up: Dir; down: Dir } {
    const known = this.links.get(dev);
    if (known) return known;
    const l = this.template(dev)?.entry.link ?? {};
    const dir = (d: any): Dir => ({ latency_ms: d?.latency_ms ?? l.latency_ms ?? 0, jitter_ms: d?.jitter_ms ?? l.jitter_ms ?? 0,
      loss: d?.loss ?? l.loss ?? 0 });
    return { up: dir(l.up), down: dir(l.down) };
  }

  show(dev: number): void {
    this.dev = dev;
    clear(this.body);
    const global = h('div', { class: 'box' }, h('h3', {}, 'Whole network'),
      h('div', { class: 'btn-row' },
        h('button', { onclick: () => void this.act({ do: 'partition', device: '' }) }, '✂ Partition all links'),
        h('button', { onclick: () => void this.act({ do: 'heal', device: '' }) }, '✚ Heal all')));
    if (dev < 0) {
      this.body.append(h('p', { class: 'muted pad' }, 'Select a device in the list to control it, shape its link and edit its settings.'), global);
      return;
    }
    const id = this.sim.deviceIds[dev];

    const v5 = this.sim.deviceProtocol[dev] === 5;
    const btn = (label: string, action: string, title: string, extra = '') =>
      h('button', { class: extra, title, 'data-action': action, onclick: () => void this.act({ do: action, device: id }) }, label);
    this.body.append(
      h('div', { class: 'device-title' }, h('h3', {}, id), this.title = h('span', { class: 'muted small' })),
      h('div', { class: 'btn-row' },
        btn('✖ Crash', 'crash', 'The transport vanishes without DISCONNECT: the broker fires the will when it notices', 'danger'),
        btn('↻ Reconnect', 'reconnect', 'Open a new connection now'),
        btn('Disconnect', 'disconnect', 'Send DISCONNECT: the will is discarded'),
        v5 ? btn('Disconnect + will', 'disconnect_with_will', 'MQTT 5 DISCONNECT 0x04: the broker publishes the will') : null),
      h('div', { class: 'btn-row' },
        btn('◌ Half-open', 'half_open', 'The link silently drops everything, both ways'),
        btn('✚ Heal', 'heal', 'Undo half-open or partition'),
        btn('✕ Close link', 'close', 'Both sides learn at once that the connection is gone')),
      this.message,
      this.networkBox(dev, id), this.publishBox(id), this.editorBox(dev), global);
    void this.refreshTitle();
  }

  private title: HTMLElement | null = null;

  private async refreshTitle(): Promise<void> {
    if (this.dev < 0 || !this.title || !this.root.isConnected) return;
    const row = await this.sim.device(this.dev);
    if (!this.title) return;
    this.title.textContent = row ? `${row.connected ? 'online' : row.powered ? (row.linkDown ? 'link down' : 'offline') : 'crashed'} · MQTT ${row.protocol === 5 ? '5' : '3.1.1'} · ${row.connects} connects · ↑${row.published} ↓${row.received}` : '';
  }

  private async act(action: Record<string, unknown>): Promise<void> {
    const errors = await this.sim.act(action);
    void this.refreshTitle();
    this.message.textContent = errors.length ? errors.join('; ') : `${action.do} ${action.device || ''} at ${(this.sim.world.now() / 1000).toFixed(3)} s`;
    this.message.className = errors.length ? 'small error' : 'small muted';
  }

  private networkBox(dev: number, id: string): HTMLElement {
    const link = this.linkOf(dev);
    const apply = () => {
      this.links.set(dev, link);
      void this.act({ do: 'set_link', device: id, link: { up: link.up, down: link.down } });
    };
    const slider = (label: string, d: Dir, key: keyof Dir, max: number, step: number, fmt: (v: number) => string) => {
      const out = h('output', {}, fmt(d[key]));
      const input = h('input', { type: 'range', min: 0, max, step, value: d[key], 'data-link': `${label}`,
        oninput: () => { d[key] = Number(input.value); out.textContent = fmt(d[key]); },
        onchange: apply });
      return h('label', { class: 'slider' }, h('span', {}, label), input, out);
    };
    const ms = (v: number) => `${v} ms`;
    const pct = (v: number) => `${Math.round(v * 100)} %`;
    return h('div', { class: 'box' }, h('h3', {}, 'Link'),
      h('div', { class: 'link-grid' },
        h('div', {}, h('h4', {}, '↑ device → broker'),
          slider('latency ↑', link.up, 'latency_ms', 2000, 5, ms), slider('jitter ↑', link.up, 'jitter_ms', 1000, 5, ms),
          slider('loss ↑', link.up, 'loss', 1, 0.01, pct)),
        h('div', {}, h('h4', {}, '↓ broker → device'),
          slider('latency ↓', link.down, 'latency_ms', 2000, 5, ms), slider('jitter ↓', link.down, 'jitter_ms', 1000, 5, ms),
          slider('loss ↓', link.down, 'loss', 1, 0.01, pct))));
  }

  private publishBox(id: string): HTMLElement {
    const topic = h('input', { type: 'text', placeholder: 'topic', value: `demo/${id}` });
    const payload = h('input', { type: 'text', placeholder: 'payload', value: 'hello' });
    const qos = h('select', {}, h('option', { value: '0' }, 'QoS 0'), h('option', { value: '1' }, 'QoS 1'), h('option', { value: '2' }, 'QoS 2'));
    const retain = h('input', { type: 'checkbox' });
    return h('div', { class: 'box' }, h('h3', {}, 'Publish once'),
      h('div', { class: 'form-row' }, topic, payload),
      h('div', { class: 'form-row' }, qos, h('label', { class: 'check' }, retain, 'retain'),
        h('button', { class: 'primary', onclick: () => void this.act({ do: 'publish', device: id,
          publish: { topic: topic.value, payload: payload.value, qos: Number(qos.value), retain: retain.checked } }) }, 'Publish')));
  }

  private editorBox(dev: number): HTMLElement {
    const t = this.template(dev);
    if (!t) return h('div', {});
    const area = h('textarea', { class: 'mono editor', spellcheck: 'false', rows: 14 });
    area.value = JSON.stringify(t.entry, null, 2);
    const note = h('div', { class: 'small muted' },
      t.entry.count > 1 ? `This entry makes ${t.entry.count} devices ({i} = 0…${t.entry.count - 1}).` : 'Settings of this device in the scenario.');
    const err = h('div', { class: 'small error' });
    const apply = () => {
      let entry: any;
      try { entry = JSON.parse(area.value); } catch (e) { err.textContent = String(e); return; }
      this.editScenario((devices) => { devices[t.index] = entry; });
    };
    const remove = () => this.editScenario((devices) => { devices.splice(t.index, 1); });
    const fields = h('div', { class: 'quick-fields' },
      quick('protocol', t.entry.protocol ?? '3.1.1', ['3.1.1', '5'], (v) => this.editScenario((d) => { d[t.index].protocol = v; })),
      quick('clean start', String(t.entry.clean_start ?? true), ['true', 'false'], (v) => this.editScenario((d) => { d[t.index].clean_start = v === 'true'; })),
      quick('keepalive', String(t.entry.keepalive_s ?? 60), ['1', '5', '10', '30', '60', '300'], (v) => this.editScenario((d) => { d[t.index].keepalive_s = Number(v); })));
    this.errorTarget = err;
    return h('details', { class: 'box' }, h('summary', {}, h('h3', { class: 'inline' }, 'Edit device')), note, fields, area, err,
      h('div', { class: 'btn-row' }, h('button', { class: 'primary', onclick: apply }, 'Apply & restart'),
        h('button', { class: 'danger', onclick: remove }, 'Remove device')));
  }

  private errorTarget: HTMLElement | null = null;

  // Edits the scenario document and reloads it (the run restarts from 0 with the same seed).
  async editScenario(edit: (devices: any[]) => void): Promise<void> {
    const doc = structuredClone(this.sim.scenario);
    doc.devices ??= [];
    edit(doc.devices);
    const info = await this.sim.load(JSON.stringify(doc), this.sim.lessonName);
    if (!info.ok && this.errorTarget) this.errorTarget.textContent = info.errors.map((e) => `${e.path}: ${e.message}`).join('\n');
  }
}

function quick(label: string, value: string, options: string[], change: (v: string) => void): HTMLElement {
  const sel = h('select', { onchange: () => change(sel.value) }, ...options.map((o) => h('option', { value: o, selected: o === value }, o)));
  return h('label', { class: 'quick' }, h('span', {}, label), sel);
}
