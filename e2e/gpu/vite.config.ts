import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * A bare page that runs the engine's WebGPU path search in the browser (navigator.gpu), for the
 * headless-Chromium comparison with the CPU reference (kernels.gpu.ts). Served by `vite` (dev
 * server: .ts and `*.wgsl?raw` imports as in the studio), separate from the studio's build.
 */
const root = fileURLToPath(new URL('.', import.meta.url));
export default defineConfig({
  root,
  server: { fs: { allow: [fileURLToPath(new URL('../..', import.meta.url))] } },
  logLevel: 'warn',
});
