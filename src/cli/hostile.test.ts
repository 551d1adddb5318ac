import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { HOSTILE_CASES, MILLION_ROWS_CASE } from '../test/hostileCorpus.ts';
import { REPO_ROOT, sionnaScenePath } from '../test/paths.ts';
import { main } from './main.ts';

/**
 * Issue 16, acceptance 1: every reproducer of the issue gives a one-line error naming the file
 * and element (exit 1, or 2 for usage), or for the valid-but-unusual ones a warning and a
 * correct load. Run in this process through `main` (the same code as bin/rftwin.mjs runs), from
 * the case's own folder. Their time and memory as separate processes: bench/hostile.bench.ts.
 */
const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'rftwin-hostile-'));
  temps.push(d);
  return d;
};

async function runInProcess(argv: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
    out.push(String(c));
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => {
    err.push(String(c));
    return true;
  });
  const before = process.cwd();
  process.chdir(cwd);
  try {
    const status = await main(argv);
    return { status, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.chdir(before);
    o.mockRestore();
    e.mockRestore();
  }
}

describe('every reproducer of issue 16', () => {
  for (const c of HOSTILE_CASES) {
    it(`${c.id}: ${c.example}`, async () => {
      const dir = tempDir();
      const argv = await c.setup(dir);
      const r = await runInProcess(argv, dir);
      expect(r.status, r.stderr).toBe(c.status);
      if (c.status === 0) {
        expect(r.stdout).toMatch(c.message);
        expect(r.stdout).not.toMatch(/NaN/);
      } else {
        expect(r.stderr.trim().split('\n'), 'one line').toHaveLength(1);
        expect(r.stderr.trim()).toMatch(c.message);
      }
    });
  }
});

const cli = (args: string[], cwd: string, shell?: string) =>
  shell
    ? spawnSync(
        'bash',
        ['-c', `${shell}; exec "$0" "$@"`, process.execPath, join(REPO_ROOT, 'bin', 'rftwin.mjs'), ...args],
        {
          cwd,
          encoding: 'utf8',
        },
      )
    : spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'rftwin.mjs'), ...args], { cwd, encoding: 'utf8' });

describe('as a separate process', () => {
  it('a FIFO as scene: the real CLI ends at once with the one line', async () => {
    const dir = tempDir();
    const c = HOSTILE_CASES.find((x) => x.id === 'fifo-scene')!;
    const r = cli(await c.setup(dir), dir);
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toMatch(c.message);
  });

  it('calibrate with 10⁶ soundings rows: reads them with progress, then refuses in one line', async () => {
    const dir = tempDir();
    const r = cli(await MILLION_ROWS_CASE.setup(dir), dir);
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines.filter((l) => /^calibrate: read [\d,]+ soundings…$/.test(l))).toHaveLength(10);
    expect(lines.at(-1)).toMatch(MILLION_ROWS_CASE.message);
  });

  it('a write that fails (file size limit: EFBIG) names the path and the reason and keeps the old file', () => {
    const dir = tempDir();
    const out = join(dir, 'map.json');
    const args = [
      'radiomap',
      '--scene',
      sionnaScenePath('floor_wall'),
      '--frequency',
      '28e9',
      '--tx',
      '1,0,1.5',
    ];
    const grid = ['--plane', 'z=1', '--cell', '0.1', '--max-depth', '0', '--backend', 'cpu', '--out', out];
    expect(cli([...args, ...grid], dir).status).toBe(0);
    const before = readFileSync(out, 'utf8');
    // a 4 KiB file size limit: the new map does not fit
    const r = cli([...args, ...grid, '--cell', '0.05', '--force'], dir, 'ulimit -f 8');
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n').at(-1)).toBe(
      `rftwin radiomap: ${out}: cannot write it (writing: EFBIG: file too large for the file system or the file size limit); any previous file is unchanged`,
    );
    expect(readFileSync(out, 'utf8')).toBe(before);
  });
});
