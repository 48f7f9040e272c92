// A few DOM helpers: the app is plain TypeScript, no framework.

type Attrs = Record<string, string | number | boolean | EventListener | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {},
  ...children: (Node | string | null | undefined)[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v as EventListener);
    else if (k === 'class') el.className = String(v);
    else if (k === 'text') el.textContent = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined) el.append(c);
  return el;
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

export function fmtTime(ms: number): string {
  const s = Math.floor(ms / 1000);
  const m = Math.floor(s / 60);
  return `${String(m).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}.${String(Math.floor(ms % 1000)).padStart(3, '0')}`;
}

export function hexDump(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) {
    const row = bytes.subarray(i, i + 16);
    const hex = Array.from(row, (b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${i.toString(16).padStart(4, '0')}  ${hex.padEnd(47)}  ${ascii}`);
  }
  return lines.join('\n');
}

// A list that renders only the rows in view: fixed row height, a spacer for the scroll range. The scroll
// offset and the viewport height are cached (scroll events, ResizeObserver), so computing the rows in
// view never forces a layout in the middle of a frame.
export class VirtualList {
  readonly root: HTMLDivElement;
  private readonly spacer: HTMLDivElement;
  private readonly body: HTMLDivElement;
  private count = 0;
  private scheduled = false;
  private range = '';
  private top = 0;     // scrollTop as of the last scroll event or our own write
  private height = 0;  // the viewport's height
  onRange: (() => void) | null = null;  // the rows in view changed (rows fetched on demand)

  constructor(private readonly rowHeight: number,
              private readonly renderRow: (index: number, el: HTMLDivElement) => void,
              className = '') {
    this.body = h('div', { class: 'vl-body' });
    this.spacer = h('div', { class: 'vl-spacer' }, this.body);
    this.root = h('div', { class: `vl ${className}` }, this.spacer);
    this.root.addEventListener('scroll', () => { this.top = this.root.scrollTop; this.refresh(); });
    new ResizeObserver((entries) => {
      this.height = entries[entries.length - 1].contentRect.height;
      this.refresh();
    }).observe(this.root);
  }

  setCount(n: number, follow = false): void {
    this.count = n;
    this.spacer.style.height = `${n * this.rowHeight}px`;
    const bottom = Math.max(0, n * this.rowHeight - this.height);
    if (follow || this.top > bottom) this.setTop(follow ? bottom : Math.min(this.top, bottom));
    this.refresh();
  }

  get length(): number { return this.count; }

  private setTop(top: number): void {
    if (Math.abs(top - this.top) < 0.5) return;
    this.top = top;
    this.root.scrollTop = top;
  }

  atBottom(): boolean {
    return this.top + this.height >= this.count * this.rowHeight - this.rowHeight * 2;
  }

  scrollTo(index: number): void {
    this.setTop(Math.max(0, Math.min(index * this.rowHeight - this.height / 2, this.count * this.rowHeight - this.height)));
  }

  visibleRange(): [number, number] {
    const first = Math.max(0, Math.floor(this.top / this.rowHeight) - 2);
    const last = Math.min(this.count, Math.ceil((this.top + this.height) / this.rowHeight) + 2);
    return [first, last];
  }

  refresh(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      this.render();
    });
  }

  render(): void {
    const [first, last] = this.visibleRange();
    this.body.style.transform = `translateY(${first * this.rowHeight}px)`;
    const need = Math.max(0, last - first);
    while (this.body.children.length < need) {
      const row = h('div', { class: 'vl-row' });
      row.style.height = `${this.rowHeight}px`;
      this.body.append(row);
    }
    while (this.body.children.length > need) this.body.lastChild!.remove();
    for (let i = 0; i < need; i++) this.renderRow(first + i, this.body.children[i] as HTMLDivElement);
    const range = `${first}:${last}`;
    if (range !== this.range) {
      this.range = range;
      this.onRange?.();
    }
  }
}
