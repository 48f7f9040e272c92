// Time and ordering for the hosts: a monotonic clock, an order-preserving asynchronous queue for
// in-tab byte pipes, and timers that keep running in background tabs.
export const now: () => number =
  typeof performance !== 'undefined' ? () => performance.now() : () => Date.now();

// In-tab pipes deliver bytes through one FIFO drained in a microtask: a connection's bytes always
// arrive in the order they were produced, and never re-enter an engine synchronously.
const queue: (() => void)[] = [];
let head = 0;
let scheduled = false;
function drain(): void {
  while (head < queue.length) {
    const task = queue[head++];
    try {
      task();
    } catch (err) {
      setTimeout(() => {
        throw err;
      });
    }
  }
  queue.length = 0;
  head = 0;
  scheduled = false;
}
export function defer(task: () => void): void {
  queue.push(task);
  if (!scheduled) {
    scheduled = true;
    queueMicrotask(drain);
  }
}

// Timers. A window tab in the background has its setTimeout throttled (to once a minute in
// Chromium): a keepalive or retry would fire late. When the page can start a dedicated worker, its
// timers (which the browser throttles far less) wake the page; on return to the foreground every
// timer is re-checked at once (visibility catch-up).
export interface TimerHandle {
  cancel(): void;
}
type Entry = { at: number; fn: () => void; live: boolean };
const entries = new Set<Entry>();
let worker: Worker | undefined;
let workerFailed = false;

const hasDocument = typeof document !== 'undefined' && typeof Worker !== 'undefined';

function runDue(): void {
  const t = now();
  for (const e of [...entries]) {
    if (e.live && e.at <= t + 1) {
      e.live = false;
      entries.delete(e);
      e.fn();
    }
  }
}

function startWorker(): Worker | undefined {
  if (worker || workerFailed || !hasDocument) return worker;
  try {
    const source = 'let t;onmessage=(e)=>{clearTimeout(t);if(e.data>=0)t=setTimeout(()=>postMessage(0),e.data)}';
    const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    worker = new Worker(url);
    worker.onmessage = () => {
      workerArmedAt = Infinity;
      runDue();
      armWorker();
    };
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') runDue();
    });
  } catch {
    workerFailed = true;
  }
  return worker;
}

// The worker is re-armed only when a timer is due before the one it already waits for (an early
// wake-up with nothing due simply re-arms): no message per engine input.
let workerArmedAt = Infinity;
function armWorker(): void {
  if (!worker) return;
  let next = Infinity;
  for (const e of entries) if (e.at < next) next = e.at;
  if (next >= workerArmedAt) return;
  workerArmedAt = next;
  worker.postMessage(Math.max(0, next - now()));
}

/** Calls fn at (or soon after) monotonic time `at`. `background`: keep firing in hidden tabs. */
export function timerAt(at: number, fn: () => void, background = false): TimerHandle {
  const entry: Entry = { at, fn, live: true };
  const delay = Math.max(0, at - now());
  const id = setTimeout(() => {
    if (!entry.live) return;
    entry.live = false;
    entries.delete(entry);
    fn();
  }, delay) as unknown as { unref?: () => void };
  if (background && startWorker()) {
    entries.add(entry);
    if (at < workerArmedAt) armWorker();
  }
  return {
    cancel() {
      entry.live = false;
      entries.delete(entry);
      clearTimeout(id as unknown as number);
    },
  };
}

/** Like timerAt, but does not keep a Node process alive (in-tab brokers). */
export function weakTimerAt(at: number, fn: () => void): TimerHandle {
  const id = setTimeout(fn, Math.max(0, at - now())) as unknown as { unref?: () => void };
  id.unref?.();
  return { cancel: () => clearTimeout(id as unknown as number) };
}
