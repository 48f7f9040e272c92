// The broker panel: counters, sessions, subscriptions and retained messages of the in-tab broker,
// plus the simulation's own statistics.
import type { Simulation } from '../sim/simulation';
import { clear, h } from './dom';

const LIMIT = 300;

export class BrokerPanel {
  readonly root: HTMLElement;
  private body: HTMLElement;
  visible = () => true;

  constructor(private readonly sim: Simulation) {
    this.body = h('div', { class: 'broker-body' });
    this.root = h('div', { class: 'tab-body broker', 'data-testid': 'broker-panel' }, this.body);
    setInterval(() => { if (this.visible()) void this.render(); }, 1000);
    sim.onReset(() => void this.render());
  }

  private rendering = false;

  // Asks the worker for the counters and the broker's state, then redraws (one request at a time).
  async render(): Promise<void> {
    if (this.rendering || !this.sim.info.ok) return;
    this.rendering = true;
    try {
      const remote = this.sim.isRemote;
      const [stats, st, errors] = await Promise.all([this.sim.stats(), remote ? null : this.sim.brokerState(LIMIT),
        remote ? this.sim.remoteErrors() : []]);
      this.draw(stats, st, errors);
    } finally {
      this.rendering = false;
    }
  }

  private draw(stats: any, st: any, errors: string[]): void {
    clear(this.body);
    const simCards: [string, number | string][] = [
      ['published', stats.published], ['delivered', stats.received], ['duplicates', stats.duplicates],
      ['packets', stats.packetsSent], ['lost', stats.packetsLost], ['wills fired', stats.willsFired],
      ['latency p50', ms(stats.latencyP50)], ['latency p99', ms(stats.latencyP99)]];
    this.body.append(h('h3', {}, 'Simulation'), cards(simCards, 'sim-stats'));
    if (this.sim.isRemote) {
      this.body.append(h('h3', {}, 'Remote broker'),
        h('p', { class: 'muted' }, `Devices talk to ${this.sim.remoteUrl}. Its sessions and retained messages live on that server; the log and the diagram show every packet on the wire.`));
      for (const err of errors.slice(-5)) this.body.append(h('p', { class: 'error' }, err));
      return;
    }
    if (!st) return;
    const c = st.counters;
    this.body.append(h('h3', {}, `Broker “${st.name}”`), cards([
      ['connected', c.clientsConnected], ['sessions', c.clientsTotal], ['subscriptions', c.subscriptions],
      ['retained', c.retainedMessages], ['PUBLISH in', c.publishReceived], ['PUBLISH out', c.publishSent],
      ['dropped', c.publishDropped], ['stored', c.storedMessages]], 'broker-counters'));
    this.body.append(section(`Sessions (${st.sessionCount})`, ['client id', 'state', 'v', 'expiry', 'subs', 'inflight', 'queued'],
      st.sessions.map((s: any) => [s.clientId, s.connected ? '● online' : '○ offline', s.protocol === 5 ? '5' : '3.1.1',
        s.expiryInterval === 0xffffffff ? '∞' : `${s.expiryInterval}s`, s.subscriptions, s.inflight, s.queued]), st.sessionCount, 'sessions'));
    this.body.append(section(`Subscriptions (${st.subscriptionCount})`, ['client id', 'filter', 'QoS'],
      st.subscriptions.map((s: any) => [s.clientId, s.filter, s.qos]), st.subscriptionCount, 'subscriptions'));
    this.body.append(section(`Retained (${c.retainedMessages})`, ['topic', 'payload', 'QoS'],
      st.retained.map((r: any) => [r.topic, r.payload ?? r.payloadHex ?? `${r.payloadSize} bytes`, r.qos]), c.retainedMessages, 'retained'));
  }
}

function ms(v: number): string {
  return v < 1000 ? `${v} ms` : `${(v / 1000).toFixed(v < 10_000 ? 2 : 1)} s`;
}

function cards(items: [string, number | string][], id: string): HTMLElement {
  return h('div', { class: 'cards', 'data-testid': id },
    ...items.map(([k, v]) => h('div', { class: 'card' }, h('div', { class: 'card-v' }, typeof v === 'number' ? v.toLocaleString() : v), h('div', { class: 'card-k' }, k))));
}

function section(title: string, head: string[], rows: (string | number)[][], total: number, id: string): HTMLElement {
  const table = h('table', { class: 'grid-table', 'data-testid': id },
    h('thead', {}, h('tr', {}, ...head.map((x) => h('th', {}, x)))),
    h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((x) => h('td', {}, String(x)))))));
  return h('div', {}, h('h3', {}, title), table,
    total > rows.length ? h('div', { class: 'muted small' }, `… and ${(total - rows.length).toLocaleString()} more`) : null);
}
