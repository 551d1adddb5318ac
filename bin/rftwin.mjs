#!/usr/bin/env node
// The `rftwin` CLI: runs the TypeScript engine through tsx (no build step needed after install).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
