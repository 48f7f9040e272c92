// The simulator app: static files in web/app/dist with relative URLs, so the native broker (http_dir),
// any static web server can serve it. The wasm module (public/sim/, copied from
// build-wasm/bin by scripts/test-app.sh --build-only) is loaded at run time, not bundled, by the
// simulation worker (src/sim/worker.ts), which Vite builds as a module worker chunk.
import { defineConfig } from 'vite';

export default defineConfig({
  root: __dirname,
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', assetsInlineLimit: 0 },
  worker: { format: 'es' },
  server: { host: '127.0.0.1' },
});
