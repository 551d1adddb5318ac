import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The studio's build. onnxruntime-web's one wasm the vision worker loads (the asyncify build
 * transformers.js runs) is imported with `?url` in src/app/worker/jobs/priors.ts, so Vite emits it
 * once under assets/ and serves it in dev: the studio works offline, without a CDN, and the build
 * carries no copy of the runtime variants it never loads (src/test/buildAssets.test.ts).
 */
export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  // RFTWIN_DIST lets parallel e2e runs (different ports) build into their own folders.
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
    sourcemap: false,
    outDir: process.env.RFTWIN_DIST ?? 'dist',
  },
  preview: { port: 5173, strictPort: true },
  server: { port: 5173 },
});
