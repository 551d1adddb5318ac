import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * The vision worker runs CLIP through onnxruntime-web, which loads its .wasm at run time.
 * The studio must work offline, so the runtime files are served from the app itself
 * (under /ort/) instead of a CDN: copied from node_modules at build time and served in dev.
 */
function onnxRuntimeWasm(): Plugin {
  const dist = resolve('node_modules/onnxruntime-web/dist');
  const files = () =>
    existsSync(dist) ? readdirSync(dist).filter((f) => /^ort-wasm.*\.(wasm|mjs)$/.test(f)) : [];
  return {
    name: 'rftwin-onnxruntime-wasm',
    configureServer(server) {
      server.middlewares.use('/ort/', (req, res, next) => {
        const name = (req.url ?? '').replace(/^\//, '').split('?')[0]!;
        if (!files().includes(name)) return next();
        res.setHeader('Content-Type', name.endsWith('.wasm') ? 'application/wasm' : 'text/javascript');
        res.end(readFileSync(join(dist, name)));
      });
    },
    writeBundle(options) {
      const out = join(options.dir ?? 'dist', 'ort');
      mkdirSync(out, { recursive: true });
      for (const f of files()) copyFileSync(join(dist, f), join(out, f));
    },
  };
}

export default defineConfig({
  plugins: [react(), onnxRuntimeWasm()],
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
