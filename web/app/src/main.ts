// The Postcard simulator app: the page layout, the toolbar (scenario sources, mode switch, time
// controls) and the clock display. The simulation itself runs in a Web Worker (src/sim/worker.ts).
import './style.css';
import { BrokerPanel } from './ui/broker';
import { Charts } from './ui/charts';
import { DevicePanel } from './ui/device_panel';
import { DeviceList } from './ui/devices';
import { clear, fmtTime, h } from './ui/dom';
import { LessonPanel } from './ui/lessons';
import { PacketLog } from './ui/log';
import { SequenceDiagram } from './ui/sequence';
import { TopicTree } from './ui/topics';
import { decodeShared, encodeShared } from './share';
import { Simulation, type Speed } from './sim/simulation';

const app = document.getElementById('app')!;
app.textContent = '';
const banner = h('div', { class: 'banner', hidden: true, 'data-testid': 'banner' });

function showErrors(title: string, errors: string[]): void {
  clear(banner);
  banner.hidden = errors.length === 0;
  if (errors.length) banner.append(h('strong', {}, title), h('ul', {}, ...errors.slice(0, 8).map((e) => h('li', {}, e))),
    h('button', { class: 'ghost small', onclick: () => { banner.hidden = true; } }, 'dismiss'));
}

async function main(): Promise<void> {
  const sim = await Simulation.create();
  const lessons = sim.lessons();

  // ---- panels
  const lesson = new LessonPanel(sim);
  const devices = new DeviceList(sim);
  const log = new PacketLog(sim);
  const sequence = new SequenceDiagram(sim);
  const topics = new TopicTree(sim);
  const broker = new BrokerPanel(sim);
  const charts = new Charts(sim);
  const devicePanel = new DevicePanel(sim);

  const tabs: [string, HTMLElement][] = [['Topics', topics.root], ['Broker', broker.root], ['Charts', charts.root], ['Device', devicePanel.root]];
  let activeTab = 'Topics';
  const tabBar = h('nav', { class: 'tabs', role: 'tablist' });
  const tabBody = h('div', { class: 'tab-host' });
  const selectTab = (name: string) => {
    activeTab = name;
    clear(tabBar);
    for (const [n] of tabs) tabBar.append(h('button', { role: 'tab', class: n === name ? 'active' : '', 'data-tab': n, onclick: () => selectTab(n) }, n));
    clear(tabBody);
    tabBody.append(tabs.find(([n]) => n === name)![1]);
    if (name === 'Broker') void broker.render();
  };
  topics.visible = () => activeTab === 'Topics';
  broker.visible = () => activeTab === 'Broker';
  charts.visible = () => activeTab === 'Charts';
  topics.onPick = (t) => { charts.pin(t); selectTab('Charts'); };
  devices.onSelect = (d) => { devicePanel.show(d); selectTab('Device'); };
  devices.onToggleDiagram = (d) => sequence.toggle(d);
  devices.inDiagram = (d) => sequence.shown.includes(d);
  devices.onAdd = () => {
    const n = (sim.scenario?.devices ?? []).length;
    devicePanel.editScenario((list) => list.push({ id: `device-${n + 1}`, kind: 'sensor', link: { latency_ms: 20 },
      sensor: { topic: `demo/device-${n + 1}/value`, every_ms: 1000, generator: { kind: 'sine', min: 0, max: 10, period_ms: 20000 } } }));
  };
  selectTab('Topics');

  // ---- toolbar: scenario
  const picker = h('select', { class: 'picker', 'data-testid': 'lesson-select', title: 'Lessons and scenarios' },
    h('optgroup', { label: 'Lessons' }, ...lessons.map((l) => h('option', { value: l.name }, titleOf(l.json, l.name)))),
    h('option', { value: '' }, 'Custom scenario'));
  const fileInput = h('input', { type: 'file', accept: '.json,application/json', hidden: true });
  const urlInput = h('input', { type: 'url', placeholder: 'https://…/scenario.json', class: 'grow' });
  const seedInput = h('input', { type: 'text', inputmode: 'numeric', placeholder: 'scenario seed', class: 'grow', 'data-testid': 'seed' });
  const editor = h('textarea', { class: 'mono scenario-editor', spellcheck: 'false', rows: 18 });
  const menu = h('details', { class: 'menu' }, h('summary', { class: 'button' }, 'Scenario ▾'),
    h('div', { class: 'menu-body' },
      h('button', { onclick: () => fileInput.click() }, 'Open a file…'),
      h('div', { class: 'form-row' }, urlInput, h('button', { onclick: () => void loadUrl(urlInput.value) }, 'Load URL')),
      h('button', { 'data-testid': 'share', onclick: () => share() }, 'Copy a shareable link'),
      h('div', { class: 'form-row' }, h('span', {}, 'Seed'), seedInput,
        h('button', { 'data-testid': 'reseed', onclick: () => { void sim.reset(seedInput.value === '' ? -1 : Math.max(0, Math.floor(Number(seedInput.value)))).then(syncSpeed); } }, 'Restart with this seed')),
      h('button', { onclick: () => download() }, 'Download JSON'),
      h('h4', {}, 'Edit the scenario'), editor,
      h('button', { class: 'primary', onclick: () => void loadText(editor.value, '') }, 'Load edited scenario')));

  // ---- toolbar: mode
  const defaultWs = location.protocol.startsWith('http') ? `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/` : 'ws://127.0.0.1:8080/';
  const remoteInput = h('input', { type: 'url', class: 'remote-url', value: defaultWs, 'data-testid': 'remote-url', title: 'ws:// or wss:// URL of an MQTT broker' });
  const modeTab = h('button', { class: 'active', 'data-mode': 'tab' }, 'In this tab');
  const modeRemote = h('button', { 'data-mode': 'remote' }, 'Remote broker');
  const setMode = (remote: boolean) => {
    sim.remoteUrl = remote ? remoteInput.value.trim() : '';
    modeTab.classList.toggle('active', !remote);
    modeRemote.classList.toggle('active', remote);
    remoteInput.hidden = !remote;
    if (sim.scenarioText) void loadText(sim.scenarioText, sim.lessonName);
  };
  modeTab.onclick = () => setMode(false);
  modeRemote.onclick = () => setMode(true);
  remoteInput.onchange = () => setMode(true);
  remoteInput.hidden = true;

  // ---- toolbar: time
  const clock = h('span', { class: 'clock mono', 'data-testid': 'clock' }, '00:00.000');
  const progress = h('div', { class: 'progress' }, h('div', { class: 'progress-bar' }));
  const speedButtons = new Map<Speed, HTMLButtonElement>();
  const speedBtn = (s: Speed, label: string, title: string) => {
    const b = h('button', { class: 'speed', title, 'data-speed': String(s), onclick: () => { void sim.setSpeed(s); syncSpeed(); } }, label);
    speedButtons.set(s, b);
    return b;
  };
  const syncSpeed = () => {
    for (const [s, b] of speedButtons) {
      b.classList.toggle('active', sim.speed === s);
      b.classList.toggle('disabled', sim.isRemote && s !== 0 && s !== 1);
      b.title = sim.isRemote && s !== 0 && s !== 1 ? 'A remote broker runs in real time' : b.title;
    }
  };
  const time = h('div', { class: 'time-controls' },
    h('button', { title: 'Restart from 0 (same seed, same packets)', 'data-testid': 'reset', onclick: () => { void sim.reset().then(syncSpeed); } }, '↺ reset'),
    speedBtn(0, '❚❚', 'Pause'),
    h('button', { title: 'Run one event', 'data-testid': 'step', onclick: () => { void sim.step(); syncSpeed(); } }, '▶| step'),
    speedBtn(1, '×1', 'Real time'), speedBtn(10, '×10', 'Ten times real time'), speedBtn(100, '×100', 'A hundred times real time'),
    speedBtn('max', '▶▶ max', 'As fast as possible'),
    h('div', { class: 'clock-box' }, clock, progress));

  const header = h('header', { class: 'topbar' },
    h('div', { class: 'brand' }, h('span', { class: 'logo' }, '✉'), h('span', {}, 'Postcard'), h('small', {}, 'MQTT simulator')),
    picker, menu, fileInput,
    h('div', { class: 'segmented', 'data-testid': 'mode' }, modeTab, modeRemote), remoteInput,
    h('div', { class: 'spacer' }), time);

  app.append(header, banner, h('main', { class: 'layout' },
    h('aside', { class: 'left' }, lesson.root, devices.root),
    h('div', { class: 'center' }, sequence.root, log.root),
    h('aside', { class: 'side-right panel' }, tabBar, tabBody)));

  // ---- scenario sources
  async function loadText(text: string, name: string): Promise<boolean> {
    const info = await sim.load(text, name);
    if (!info.ok) {
      showErrors('This scenario has problems:', info.errors.map((e) => `${e.path}: ${e.message}`));
      return false;
    }
    showErrors('', []);
    picker.value = name;
    editor.value = text;
    seedInput.value = String(info.seed ?? '');
    syncSpeed();
    document.title = `${info.title} · Postcard simulator`;
    return true;
  }
  async function loadUrl(url: string): Promise<void> {
    try {
      const res = await fetch(url);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      await loadText(await res.text(), '');
    } catch (e) {
      showErrors(`Could not load ${url}:`, [String(e)]);
    }
  }
  async function loadLesson(name: string): Promise<void> {
    const l = lessons.find((x) => x.name === name) ?? lessons[0];
    if (l) await loadText(l.json, l.name);
  }
  function share(): void {
    const frag = sim.lessonName ? `lesson=${encodeURIComponent(sim.lessonName)}` : `scenario=${encodeShared(sim.scenarioText)}`;
    const remote = sim.remoteUrl ? `&broker=${encodeURIComponent(sim.remoteUrl)}` : '';
    const link = `${location.href.split('#')[0]}#${frag}${remote}`;
    history.replaceState(null, '', link);
    void navigator.clipboard?.writeText(link).catch(() => {});
    showErrors('Link copied (also in the address bar):', [link]);
  }
  function download(): void {
    const a = h('a', { href: URL.createObjectURL(new Blob([sim.scenarioText], { type: 'application/json' })), download: 'scenario.json' });
    a.click();
  }
  async function fromFragment(): Promise<void> {
    const params = new URLSearchParams(location.hash.slice(1));
    const brokerUrl = params.get('broker');
    if (brokerUrl) { remoteInput.value = brokerUrl; sim.remoteUrl = brokerUrl; modeRemote.classList.add('active'); modeTab.classList.remove('active'); remoteInput.hidden = false; }
    const scenario = params.get('scenario');
    const url = params.get('url');
    if (scenario) {
      try { await loadText(decodeShared(scenario), ''); } catch (e) { showErrors('The link holds no readable scenario:', [String(e)]); }
    } else if (url) {
      await loadUrl(url);
    } else {
      await loadLesson(params.get('lesson') ?? lessons[0]?.name ?? '');
    }
  }
  picker.onchange = () => { if (picker.value) void loadLesson(picker.value); };
  fileInput.onchange = async () => {
    const f = fileInput.files?.[0];
    if (f) await loadText(await f.text(), '');
    fileInput.value = '';
  };
  window.addEventListener('hashchange', () => void fromFragment());
  await fromFragment();

  // ---- the clock display (the worker's clock as of its last frame)
  const bar = progress.firstChild as HTMLElement;
  let lastClock = -1;
  const frame = () => {
    const t = sim.world.now();
    if (t !== lastClock) {
      lastClock = t;
      clock.textContent = `${fmtTime(t)} / ${fmtTime(sim.world.duration()).slice(0, 5)}`;
      bar.style.transform = `scaleX(${Math.min(1, t / Math.max(1, sim.world.duration()))})`;  // no layout
    }
    if (sim.speed === 0 && speedButtons.get(0)!.classList.contains('active') === false) syncSpeed();
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  syncSpeed();

  // For the Chromium tests and the benchmark: read-only views and the same controls the buttons use.
  (window as any).postcard = { sim, log, topics, sequence, ready: true, loadText, loadLesson };
  document.body.dataset.ready = 'true';
  performance.mark('postcard-ready');

  if ('serviceWorker' in navigator && location.protocol.startsWith('http')) {
    navigator.serviceWorker.register('./sw.js').catch(() => {});
  }
}

function titleOf(json: string, fallback: string): string {
  try { return `${fallback.slice(0, 2)} · ${JSON.parse(json).title ?? fallback}`; } catch { return fallback; }
}

main().catch((e) => {
  showErrors('The simulator could not start:', [String(e?.stack ?? e)]);
  app.append(banner);
});
