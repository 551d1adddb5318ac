#!/usr/bin/env node
// Run a TypeScript entry point with tsx (used by npm scripts: bench, scripts/).
import { register as registerHooks } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

register();
// `*.wgsl?raw` imports (WebGPU kernels) as strings, as under Vite/Vitest
registerHooks('./wgsl-raw-loader.mjs', import.meta.url);
const [entry, ...rest] = process.argv.slice(2);
if (!entry) {
  console.error('usage: run-ts.mjs <file.ts> [args…]');
  process.exit(2);
}
process.argv = [process.argv[0], resolve(entry), ...rest];
// computed-import: runs the TypeScript file named on the command line
await import(pathToFileURL(resolve(entry)).href);
