// Loads the WebAssembly module once per realm. Browsers and workers let the Emscripten loader fetch
// postcard.wasm beside this file; Node (no usable fetch for file URLs) gets the bytes read here.
import createPostcardModule, { type PostcardModule } from './postcard.mjs';

let loading: Promise<PostcardModule> | undefined;
let loaded: PostcardModule | undefined;

export const isNode =
  typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string' &&
  typeof (globalThis as { window?: unknown }).window === 'undefined';

async function nodeWasmBinary(): Promise<Uint8Array> {
  const fs = 'node:fs/promises';
  const { readFile } = (await import(/* @vite-ignore */ fs)) as { readFile(u: URL): Promise<Uint8Array> };
  return readFile(new URL('./postcard.wasm', import.meta.url));
}

/** Resolves when the WebAssembly module is ready (idempotent). */
export function loadPostcard(): Promise<PostcardModule> {
  loading ??= (async () => {
    const options = isNode ? { wasmBinary: await nodeWasmBinary() } : {};
    loaded = await createPostcardModule(options);
    return loaded;
  })();
  return loading;
}

/** The module if it has finished loading, else undefined. */
export function loadedModule(): PostcardModule | undefined {
  return loaded;
}
