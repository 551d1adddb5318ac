import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../engine/core/random.ts';
import { REPO_ROOT, sionnaScenePath } from '../test/paths.ts';

/**
 * Issue 16, acceptance 3: killing a writing command with SIGKILL at any moment never leaves a
 * truncated output. A 400×400-cell radio map (about 5 MB of JSON) is computed over an existing
 * map of another transmitter 20 times, each run killed at a seeded random moment between a third
 * of a full run's duration and its end (where the JSON is built and written); after every kill
 * the map must be complete: the old one or the new one.
 */
const dir = mkdtempSync(join(tmpdir(), 'rftwin-kill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const out = join(dir, 'map.json');
const N = 400;
const args = (tx: string) => [
  join(REPO_ROOT, 'bin', 'rftwin.mjs'),
  'radiomap',
  '--scene',
  sionnaScenePath('floor_wall'),
  '--frequency',
  '28e9',
  '--tx',
  tx,
  '--plane',
  'z=1',
  '--bounds',
  '-2,-2,2,2',
  '--cell',
  String(4 / N),
  '--max-depth',
  '0',
  '--no-los',
  '--backend',
  'cpu',
  '--out',
  out,
  '--force',
];

/**
 * Run rftwin in its own process group and SIGKILL it (the group, or only the CLI's parent
 * process) `killAfterMs` after it starts, or after it announces the finished map (the line
 * before the JSON is built and written) when `afterMapMs` is given. Resolves when every process
 * holding its pipes has ended, with the time from that announcement to the end.
 */
function run(
  tx: string,
  kill: { afterStartMs?: number; afterMapMs?: number; group: boolean } = { group: true },
): Promise<{ signal: string | null; status: number | null; writeMs: number }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args(tx), {
      cwd: dir,
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let timer: NodeJS.Timeout | undefined;
    let mapAt = Number.NaN;
    const killIn = (ms: number) => {
      timer = setTimeout(() => {
        try {
          process.kill(kill.group ? -child.pid! : child.pid!, 'SIGKILL');
        } catch {
          // it had already ended
        }
      }, ms);
    };
    if (kill.afterStartMs !== undefined) killIn(kill.afterStartMs);
    let text = '';
    child.stderr.on('data', (d: Buffer) => {
      text += d.toString();
      // the last progress line: every cell is done, the JSON is built and written next
      if (Number.isNaN(mapAt) && /^radiomap: (\d+)\/\1 cells \(100\.0 %\)/m.test(text)) {
        mapAt = performance.now();
        if (kill.afterMapMs !== undefined) killIn(kill.afterMapMs);
      }
    });
    // 'close': every holder of its pipes (the CLI and the child it runs) has ended
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, writeMs: performance.now() - mapAt });
    });
  });
}

function mapTx(): number[] {
  const map = JSON.parse(readFileSync(out, 'utf8')) as {
    tx: number[];
    nx: number;
    ny: number;
    path_gain_db: unknown[];
    los: unknown[];
  };
  expect(map.nx * map.ny).toBe(N * N);
  expect(map.path_gain_db).toHaveLength(N * N);
  expect(map.los).toHaveLength(N * N);
  return map.tx;
}

describe('rftwin radiomap killed with SIGKILL (20 kills)', () => {
  it('always leaves a complete map: the previous one or the new one', async () => {
    expect((await run('-1,0,1.5')).status).toBe(0); // warms the compile cache
    const first = performance.now();
    const baseline = await run('1,0,1.5');
    expect(baseline.status).toBe(0);
    const full = performance.now() - first;
    expect(Number.isFinite(baseline.writeMs), 'the last progress line was seen').toBe(true);
    expect(mapTx()).toEqual([1, 0, 1.5]);
    const random = seededRandom(16);
    let killed = 0;
    for (let k = 0; k < 20; k++) {
      const tx = k % 2 === 0 ? '-1,0,1.5' : '1,0,1.5';
      // even runs: any moment of the run; odd runs: while the JSON is built, written and renamed
      const kill =
        k % 2 === 0
          ? { afterStartMs: full * random(), group: k % 4 === 0 }
          : { afterMapMs: 1.2 * baseline.writeMs * random(), group: k % 4 === 1 };
      const r = await run(tx, kill);
      if (r.signal) killed++;
      const now = mapTx();
      expect([JSON.stringify([1, 0, 1.5]), JSON.stringify([-1, 0, 1.5])]).toContain(JSON.stringify(now));
    }
    // the kills did land (the moments are random, the machine's speed is not known: at least some)
    expect(killed).toBeGreaterThanOrEqual(5);
    // nothing but the map and killed runs' hidden temporary files
    expect(
      readdirSync(dir).filter((f) => f !== 'map.json' && !/^\.map\.json\.\d+\.[0-9a-f]+\.tmp$/.test(f)),
    ).toEqual([]);
  });
});
