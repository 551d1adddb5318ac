#!/usr/bin/env node
// The `rftwin` CLI: runs the pre-built bundle of src/cli (scripts/build-cli.mjs) with plain Node.
// A missing or stale bundle (a source file newer than the build) is rebuilt first, saying so.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildCli, currentBuild } from '../scripts/build-cli.mjs';
import { createChatterFilter } from './native-chatter.mjs';

async function bundleDir() {
  if (process.env.RFTWIN_CLI_DIR) return process.env.RFTWIN_CLI_DIR;
  const fresh = currentBuild();
  if (fresh) return fresh;
  process.stderr.write('rftwin: building the CLI bundle (sources changed since the last build)\n');
  return buildCli();
}

const verbose = process.argv.includes('--verbose');
const dir = await bundleDir();
// computed-import: the CLI bundle built by scripts/build-cli.mjs
const cli = await import(pathToFileURL(join(dir, 'main.js')).href);
// commands that may load Dawn (WebGPU) or onnxruntime, whose native code writes to fd 2
const native = await cli.loadsNativeLibraries(process.argv.slice(2).filter((a) => a !== '--verbose'));
if (native && !verbose && process.env.RFTWIN_CHILD !== '1') {
  // Dawn and the Vulkan loader write warnings to file descriptor 2 from native code, which Node
  // cannot redirect inside its own process; so the CLI runs as a child whose stderr passes
  // through a filter here. `--verbose` runs it directly and shows everything.
  const child = spawn(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    {
      stdio: ['inherit', 'inherit', 'pipe', 'ipc'],
      env: {
        ...process.env,
        RFTWIN_CHILD: '1',
        RFTWIN_CLI_DIR: dir,
        RFTWIN_STDERR_TTY: process.stderr.isTTY ? '1' : '',
      },
    },
  );
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
  process.exitCode = await cli.main(process.argv.slice(2).filter((a) => a !== '--verbose'));
}
