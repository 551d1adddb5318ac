#!/usr/bin/env node
// The `rftwin` CLI: runs the TypeScript engine through tsx (no build step needed after install).
import { spawn } from 'node:child_process';
import { register as registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';
import { createChatterFilter } from './native-chatter.mjs';

const verbose = process.argv.includes('--verbose');
if (!verbose && process.env.RFTWIN_CHILD !== '1') {
  // Dawn and the Vulkan loader write warnings to file descriptor 2 from native code, which Node
  // cannot redirect inside its own process; so the CLI runs as a child whose stderr passes
  // through a filter here. `--verbose` runs it directly and shows everything.
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: ['inherit', 'inherit', 'pipe', 'ipc'],
    env: { ...process.env, RFTWIN_CHILD: '1', RFTWIN_STDERR_TTY: process.stderr.isTTY ? '1' : '' },
  });
  const filter = createChatterFilter((text) => process.stderr.write(text));
  child.stderr.on('data', (d) => filter.push(d));
  // Ctrl-C reaches the child from the terminal itself; other signals are passed on
  process.on('SIGINT', () => {});
  for (const sig of ['SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  child.on('close', (code, signal) => {
    filter.end();
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    } else process.exitCode = code ?? 1;
  });
} else {
  if (process.env.RFTWIN_STDERR_TTY === '1') Object.defineProperty(process.stderr, 'isTTY', { value: true });
  if (process.channel) {
    // the filtering parent is gone (killed): stop rather than run on unseen
    process.channel.unref();
    process.on('disconnect', () => process.exit(1));
  }
  const { register } = await import('tsx/esm/api');
  register();
  // `*.wgsl?raw` imports (WebGPU kernels) as strings, as under Vite/Vitest
  registerHooks('./wgsl-raw-loader.mjs', import.meta.url);
  const { main } = await import('../src/cli/main.ts');
  process.exitCode = await main(process.argv.slice(2).filter((a) => a !== '--verbose'));
}
