// The topic tree: every topic seen (published, delivered, wills, retained at the broker), folded by
// level, with the last value and the retained value. Rows are virtualised: 10,000 topics scroll freely.
import type { TopicUpdates } from '../sim/protocol';
import type { Simulation } from '../sim/simulation';
import { h, VirtualList } from './dom';

interface TopicNode {
  name: string;
  path: string;
  depth: number;
  children: Map<string, TopicNode>;
  value?: string;
  retained?: string;      // undefined: nothing retained
  count: number;
  updated: number;        // virtual ms
  open: boolean;
  sorted: TopicNode[] | null;  // children in display order, dropped when a child is added
}

const collator = new Intl.Collator(undefined, { numeric: true });

export class TopicTree {
  readonly root: HTMLElement;
  private tree: TopicNode = newNode('', '', -1);
  private rows: TopicNode[] = [];
  private list: VirtualList;
  private counter: HTMLElement;
  private filterInput: HTMLInputElement;
  private topics = 0;
  private index = new Map<string, TopicNode>();  // whole topic -> its node
  private dirty = false;        // the rows changed (topics added, folded, filtered)
  private valuesDirty = false;  // only values changed: redraw the visible rows
  visible = () => true;
  onPick: (topic: string) => void = () => {};

  constructor(private readonly sim: Simulation) {
    this.tree.open = true;
    this.list = new VirtualList(24, (i, el) => this.renderRow(i, el), 'topic-list');
    this.list.root.setAttribute('data-testid', 'topic-tree');
    this.counter = h('span', { class: 'muted small' });
    this.filterInput = h('input', { type: 'search', placeholder: 'filter topics', class: 'grow',
      oninput: () => { this.dirty = true; } });
    this.root = h('div', { class: 'tab-body topics' },
      h('div', { class: 'toolbar-row' }, this.filterInput, this.counter,
        h('button', { class: 'ghost small', onclick: () => this.setAll(true) }, 'expand all'),
        h('button', { class: 'ghost small', onclick: () => this.setAll(false) }, 'collapse')),
      this.list.root);
    sim.onReset(() => { this.index.clear(); this.tree = newNode('', '', -1); this.tree.open = true; this.topics = 0; this.dirty = true; });
    sim.onFrame((f) => this.add(f.topics));
    setInterval(() => this.refresh(), 250);
    setInterval(() => void this.pollRetained(), 2000);
  }

  private node(topic: string): TopicNode {
    const known = this.index.get(topic);
    if (known) return known;
    const made = this.walkTo(topic);
    this.index.set(topic, made);
    return made;
  }

  private walkTo(topic: string): TopicNode {
    let n = this.tree;
    const parts = topic.split('/');
    let path = '';
    for (let i = 0; i < parts.length; i++) {
      path = i === 0 ? parts[0] : `${path}/${parts[i]}`;
      let c = n.children.get(parts[i]);
      if (!c) {
        c = newNode(parts[i], path, i);
        c.open = i < 1 || this.topics < 200;
        n.children.set(parts[i], c);
        n.sorted = null;
        if (i === parts.length - 1) this.topics++;
        this.dirty = true;
      }
      n = c;
    }
    return n;
  }

  // The latest value per topic since the last frame (flags: 8 published, 1 retained, 2 delivered, 4 will).
  private add(u: TopicUpdates): void {
    for (let i = 0; i < u.topics.length; i++) {
      const n = this.node(u.topics[i]);
      const f = u.flags[i];
      if (f & 8) {
        n.value = u.payloads[i];
        n.count++;
        n.updated = u.times[i];
        if (f & 1) n.retained = u.payloads[i] === '' ? undefined : u.payloads[i];
      } else if ((f & 2) && n.value === undefined) {
        n.value = u.payloads[i];
      }
      if (f & 4) n.updated = u.times[i];
      this.valuesDirty = true;
    }
  }

  // The broker's own retained store is authoritative (wills, expiry) when it is in this tab and small.
  private async pollRetained(): Promise<void> {
    if (!this.visible() || this.sim.isRemote || !this.sim.info.ok || this.sim.deviceIds.length > 1000) return;
    const state = await this.sim.brokerState(100_000);
    if (!state) return;
    const retained = new Map<string, string>();
    for (const r of state.retained) retained.set(r.topic, r.payload ?? `(${r.payloadSize} bytes)`);
    const walk = (n: TopicNode) => {
      const v = retained.get(n.path);
      if (n.depth >= 0 && v === undefined && n.retained !== undefined) { n.retained = undefined; this.dirty = true; }
      for (const c of n.children.values()) walk(c);
    };
    walk(this.tree);
    for (const [topic, payload] of retained) {
      const n = this.node(topic);
      if (n.retained !== payload) { n.retained = payload; this.dirty = true; }
    }
  }

  private setAll(open: boolean): void {
    const walk = (n: TopicNode) => { if (n.depth >= 0) n.open = open; n.children.forEach(walk); };
    walk(this.tree);
    this.dirty = true;
  }

  private refresh(): void {
    if (!this.visible()) return;
    if (!this.dirty) {
      if (this.valuesDirty) { this.valuesDirty = false; this.list.render(); }
      return;
    }
    this.valuesDirty = false;
    this.dirty = false;
    const filter = this.filterInput.value.trim().toLowerCase();
    const rows: TopicNode[] = [];
    const walk = (n: TopicNode) => {
      n.sorted ??= [...n.children.values()].sort((a, b) => collator.compare(a.name, b.name));
      const kids = n.sorted;
      for (const c of kids) {
        if (filter && !subtreeMatches(c, filter)) continue;
        rows.push(c);
        if (c.open || filter) walk(c);
      }
    };
    walk(this.tree);
    this.rows = rows;
    this.counter.textContent = `${this.topics.toLocaleString()} topics`;
    this.list.setCount(rows.length);
    this.list.render();
  }

  private renderRow(i: number, el: HTMLDivElement): void {
    const n = this.rows[i];
    if (!n) return;
    el.className = 'vl-row topic-row';
    el.dataset.topic = n.path;
    el.innerHTML = '';
    const leaf = n.children.size === 0;
    const toggle = h('span', { class: 'twisty' }, leaf ? '' : n.open ? '▾' : '▸');
    el.style.paddingLeft = `${6 + n.depth * 14}px`;
    el.append(toggle, h('span', { class: 'topic-name' }, n.name || '∅'));
    if (!leaf) el.append(h('span', { class: 'badge muted' }, String(n.children.size)));
    if (n.retained !== undefined) el.append(h('span', { class: 'retained', title: 'retained at the broker', 'data-retained': n.retained }, `retained: ${n.retained}`));
    if (n.value !== undefined && n.value !== n.retained) el.append(h('span', { class: 'value mono' }, n.value));
    el.onclick = () => {
      if (!leaf) { n.open = !n.open; this.dirty = true; this.refresh(); }
      else this.onPick(n.path);
    };
  }

  // For tests: the retained value the tree shows for a topic.
  retainedValue(topic: string): string | undefined {
    let n: TopicNode | undefined = this.tree;
    for (const p of topic.split('/')) n = n?.children.get(p);
    return n?.retained;
  }
}

function newNode(name: string, path: string, depth: number): TopicNode {
  return { name, path, depth, children: new Map(), count: 0, updated: 0, open: false, sorted: null };
}

function subtreeMatches(n: TopicNode, filter: string): boolean {
  if (n.path.toLowerCase().includes(filter)) return true;
  for (const c of n.children.values()) if (subtreeMatches(c, filter)) return true;
  return false;
}
