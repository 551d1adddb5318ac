import type { ChannelJob } from '../engine/channel/index.ts';
import { type CommandName, USAGE } from './usage.ts';

/**
 * `rftwin` command registry. Each command lives in commands/<name>.ts and exports
 * `usage` and `run(argv) → exit code`. Commands are loaded lazily so `rftwin info` does not
 * pay for WebGPU or CLIP start-up. Every command takes `--verbose` (bin/rftwin.mjs then shows
 * the native WebGPU libraries' own messages, filtered out otherwise). This module imports no
 * command and no engine module up front: `--help` prints usage.ts's lines and exits, and a command
 * loads what it needs (start-up, issue 17).
 */
const COMMANDS: Record<CommandName, () => Promise<{ run(argv: string[]): Promise<number> }>> = {
  info: () => import('./commands/info.ts'),
  trace: () => import('./commands/trace.ts'),
  priors: () => import('./commands/priors.ts'),
  synth: () => import('./commands/synth.ts'),
  calibrate: () => import('./commands/calibrate.ts'),
  plan: () => import('./commands/plan.ts'),
  radiomap: () => import('./commands/radiomap.ts'),
  translator: () => import('./commands/translator.ts'),
  merge: () => import('./commands/merge.ts'),
  slurm: () => import('./commands/slurm.ts'),
  timeline: () => import('./commands/timeline.ts'),
  beams: () => import('./commands/beams.ts'),
};

/** The channel jobs of each command that traces or evaluates (what `auto` decides between). */
const JOBS: Record<string, readonly ChannelJob['kind'][]> = {
  trace: ['links'],
  synth: ['links'],
  calibrate: ['links', 'calibration'],
  plan: ['links', 'calibration'],
  radiomap: ['map'],
  timeline: ['links'],
  beams: ['links'],
};

/**
 * Whether this command line may load a native library that writes to the process's stderr
 * (Dawn for WebGPU, onnxruntime for CLIP): bin/rftwin.mjs then runs it as a child whose stderr it
 * filters. Runs on the CPU — `--backend cpu`, or `auto` where an earlier run found no adapter or
 * a software one the CPU beats for these jobs — run in-process and start faster.
 */
export async function loadsNativeLibraries(argv: readonly string[]): Promise<boolean> {
  const [name, ...rest] = argv;
  if (name === 'priors') return !rest.includes('--help') && !rest.includes('-h');
  const jobs = name === undefined ? undefined : JOBS[name];
  if (!jobs || rest.includes('--help') || rest.includes('-h')) return false;
  let backend = 'auto';
  rest.forEach((a, i) => {
    if (a === '--backend' && rest[i + 1] !== undefined) backend = rest[i + 1]!;
    else if (a.startsWith('--backend=')) backend = a.slice('--backend='.length);
  });
  if (backend === 'cpu') return false;
  if (backend !== 'auto') return true;
  const [{ rememberedNodeAdapter }, { autoMayUseWebGpu }] = await Promise.all([
    import('../engine/node/index.ts'),
    import('../engine/channel/index.ts'),
  ]);
  const known = rememberedNodeAdapter();
  return !known || autoMayUseWebGpu(known, jobs);
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    const usages = Object.values(USAGE);
    process.stdout.write(
      `rftwin: radio digital-twin engine\n\n${usages.map((u) => `  ${u}`).join('\n')}\n\n` +
        'Every command: --limit NAME=N raises an input limit (file-bytes, decompressed-bytes, vertices, faces,\n' +
        '  indices-per-face, objects, nodes, frames, rows, depth); --allow-outside reads files a scene references\n' +
        "  outside its folder; --verbose shows the WebGPU libraries' own messages. An existing output file is\n" +
        '  replaced only with --force; outputs are written whole or not at all.\n',
    );
    return 0;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name as CommandName] : undefined;
  if (!load) {
    process.stderr.write(
      `rftwin: unknown command '${name}' (commands: ${Object.keys(COMMANDS).join(', ')})\n`,
    );
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`usage: ${USAGE[name as CommandName]}\n`);
    return 0;
  }
  const [{ registerNodeGpu }, { InputError }, { UsageError }, { NonFiniteResultError }] = await Promise.all([
    import('../engine/node/index.ts'),
    import('../engine/core/index.ts'),
    import('./args.ts'),
    import('./output.ts'),
  ]);
  registerNodeGpu(); // Dawn, loaded only if a command asks for WebGPU
  try {
    return await (await load()).run(rest);
  } catch (e) {
    // One line for the person, no stack trace: input problems name file and element.
    const err = e instanceof Error ? e : new Error(String(e));
    const known =
      err instanceof InputError || err instanceof UsageError || err instanceof NonFiniteResultError;
    // anything else is a fault of rftwin, not of the input: still one line, and said so
    const message = known
      ? err.message
      : `${err.name === 'Error' ? '' : `${err.name}: `}${err.message.split('\n')[0]} (an internal error; RFTWIN_DEBUG=1 shows where)`;
    process.stderr.write(`rftwin ${name}: ${message.split('\n').join('\n  ')}\n`);
    if (process.env.RFTWIN_DEBUG) process.stderr.write(`${err.stack}\n`);
    return err instanceof UsageError ? 2 : 1;
  }
}
