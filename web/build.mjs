// Builds web/dist: tsc, then the wasm module (postcard.mjs + postcard.wasm) copied in.
//   node web/build.mjs [wasm-bin-dir]   (default: build-wasm/bin, or $POSTCARD_WASM_DIR)
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = dirname(fileURLToPath(import.meta.url));
const root = resolve(web, '..');
const wasmDir = resolve(root, process.argv[2] ?? process.env.POSTCARD_WASM_DIR ?? 'build-wasm/bin');
for (const f of ['postcard.mjs', 'postcard.wasm']) {
  if (!existsSync(join(wasmDir, f))) {
    console.error(`web build: ${join(wasmDir, f)} is missing (build the wasm tree first)`);
    process.exit(1);
  }
}
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(web, 'tsconfig.json')], { stdio: 'inherit' });
mkdirSync(join(web, 'dist'), { recursive: true });
for (const f of ['postcard.mjs', 'postcard.wasm']) copyFileSync(join(wasmDir, f), join(web, 'dist', f));
copyFileSync(join(web, 'src/postcard.d.mts'), join(web, 'dist/postcard.d.mts'));
console.log(`web build: dist/ ready (wasm from ${wasmDir})`);
