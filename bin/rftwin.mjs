#!/usr/bin/env node
// The `rftwin` CLI: runs the TypeScript engine through tsx (no build step needed after install).
import { register as registerHooks } from 'node:module';
import { register } from 'tsx/esm/api';

register();
// `*.wgsl?raw` imports (WebGPU kernels) as strings, as under Vite/Vitest
registerHooks('./wgsl-raw-loader.mjs', import.meta.url);
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
