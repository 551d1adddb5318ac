import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../src/test/paths.ts';

/**
 * Issue 17, acceptance 3: how long the `rftwin` process takes as a person runs it — `--help`, and
 * a one-link trace of the demo room (auto, with the adapter remembered from the first run; and
 * `--backend cpu`) — next to a bare `node -e 0` measured in the same rounds, interleaved, so that
 * the ratio to Node's own start-up survives a loaded machine. Medians of ROUNDS runs each.
 */
const ROUNDS = 7;
const DEMO = join(REPO_ROOT, 'public/demo/room.xml');
const LINK = ['--scene', DEMO, '--frequency', '28e9', '--tx', '0,0,2.5', '--rx', '2,1,1.5'];
const CASES: Record<string, string[]> = {
  nodeBare: ['-e', '0'],
  help: ['bin/rftwin.mjs', '--help'],
  traceOneLinkAuto: ['bin/rftwin.mjs', 'trace', ...LINK],
  traceOneLinkCpu: ['bin/rftwin.mjs', 'trace', ...LINK, '--backend', 'cpu'],
  traceOneLinkWebgpu: ['bin/rftwin.mjs', 'trace', ...LINK, '--backend', 'webgpu'],
};

function once(args: string[]): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr.trim()}`);
  return performance.now() - t;
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

export default async function cliStartup(log: (line: string) => void) {
  once(CASES.traceOneLinkAuto!); // builds the bundle if stale and remembers the adapter
  const runs: Record<string, number[]> = Object.fromEntries(Object.keys(CASES).map((k) => [k, []]));
  const loadBefore = loadavg()[0]!;
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, args] of Object.entries(CASES)) runs[name]!.push(once(args));
    log(
      `round ${r + 1}/${ROUNDS}: ${Object.entries(runs)
        .map(([k, v]) => `${k} ${v.at(-1)!.toFixed(0)} ms`)
        .join(', ')}`,
    );
  }
  const medians = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, Math.round(median(v))]));
  const bare = medians.nodeBare!;
  return {
    what: 'wall time of the whole process (spawn to exit), median of interleaved rounds',
    rounds: ROUNDS,
    loadAverage1MinBefore: Number(loadBefore.toFixed(2)),
    loadAverage1MinAfter: Number(loadavg()[0]!.toFixed(2)),
    medianMs: medians,
    ratioToBareNode: Object.fromEntries(
      Object.entries(medians).map(([k, v]) => [k, Number((v / bare).toFixed(2))]),
    ),
    targets: { helpMs: 400, traceOneLinkMs: 500 },
    runsMs: Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, v.map((x) => Math.round(x))])),
  };
}
