// A small EventEmitter with Node's method names, for browsers, workers and Node alike.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Listener = (...args: any[]) => void;

export class EventEmitter {
  #listeners = new Map<string | symbol, Listener[]>();

  on(event: string | symbol, listener: Listener): this {
    const list = this.#listeners.get(event);
    if (list) list.push(listener);
    else this.#listeners.set(event, [listener]);
    this.listenersChanged(event);
    return this;
  }
  addListener(event: string | symbol, listener: Listener): this {
    return this.on(event, listener);
  }
  once(event: string | symbol, listener: Listener): this {
    const wrapper: Listener & { listener?: Listener } = (...args) => {
      this.off(event, wrapper);
      listener.apply(this, args);
    };
    wrapper.listener = listener;
    return this.on(event, wrapper);
  }
  off(event: string | symbol, listener: Listener): this {
    const list = this.#listeners.get(event);
    if (!list) return this;
    const i = list.findIndex((l) => l === listener || (l as { listener?: Listener }).listener === listener);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.#listeners.delete(event);
    this.listenersChanged(event);
    return this;
  }
  removeListener(event: string | symbol, listener: Listener): this {
    return this.off(event, listener);
  }
  removeAllListeners(event?: string | symbol): this {
    if (event === undefined) {
      const events = [...this.#listeners.keys()];
      this.#listeners.clear();
      for (const e of events) this.listenersChanged(e);
    } else {
      this.#listeners.delete(event);
      this.listenersChanged(event);
    }
    return this;
  }
  emit(event: string | symbol, ...args: unknown[]): boolean {
    const list = this.#listeners.get(event);
    if (!list || list.length === 0) {
      if (event === 'error') throw args[0] instanceof Error ? args[0] : new Error(String(args[0]));
      return false;
    }
    for (const l of [...list]) l.apply(this, args);
    return true;
  }
  listenerCount(event: string | symbol): number {
    return this.#listeners.get(event)?.length ?? 0;
  }
  listeners(event: string | symbol): Listener[] {
    return [...(this.#listeners.get(event) ?? [])];
  }
  eventNames(): (string | symbol)[] {
    return [...this.#listeners.keys()];
  }
  /** Subclasses learn when listeners come and go (to ask the engine only for wanted events). */
  protected listenersChanged(_event: string | symbol): void {}
}
