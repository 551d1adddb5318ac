import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * Issue 20, acceptance 1 (identical outputs), 3 and 5, with the real CLI: a map in 8 tiles
 * (`--tiles 8 --tile i`) merged equals the untiled map exactly (every field but the timings, and
 * the PNG byte for byte); worker threads (`--threads 2`) give the one-thread map and links;
 * `rftwin merge` refuses a missing, repeated or foreign tile with one line naming it and writes
 * nothing; a link list in chunks (`trace --rx-file … --chunk i/K`) merged equals the whole trace.
 */
const exec = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'rftwin-merge-'));
const MAP = [
  'radiomap',
  '--scene',
  'public/demo/room.xml',
  '--frequency',
  '28e9',
  '--tx',
  '0.3,0.2,2.5',
  '--plane',
  'z=1.5',
  '--bounds',
  '-2,-2,2,2',
  '--cell',
  '0.5',
  '--max-depth',
  '2',
  '--backend',
  'cpu',
];

async function rftwin(args: string[]) {
  try {
    const r = await exec('node', ['bin/rftwin.mjs', ...args], { timeout: 600_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

async function ok(args: string[]) {
  const r = await rftwin(args);
  expect(r.code, r.stderr).toBe(0);
  return r;
}

const json = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

/** Every field of two maps equal (cell by cell), the timings aside. */
function expectSameMap(a: Record<string, unknown>, b: Record<string, unknown>) {
  expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
  for (const key of Object.keys(a)) if (key !== 'stats') expect(a[key], key).toEqual(b[key]);
}

describe('tiled radio maps and rftwin merge', () => {
  const whole = join(dir, 'whole.json');
  const tiles = Array.from({ length: 8 }, (_, i) => join(dir, `tile-${i}.json`));

  it('8 tiles merged equal the untiled map, PNG included; two threads equal one', async () => {
    await ok([...MAP, '--threads', '1', '--out', whole, '--png', join(dir, 'whole.png')]);
    const threaded = join(dir, 'threads.json');
    const r = await ok([...MAP, '--threads', '2', '--out', threaded]);
    expect(r.stderr).toContain('2 threads (this one and 1 worker thread)');
    expectSameMap(json(threaded), json(whole));

    for (const [i, t] of tiles.entries())
      await ok([...MAP, '--threads', '1', '--tiles', '8', '--tile', String(i), '--out', t]);
    const tile3 = json(tiles[3]!);
    expect(tile3.tile).toEqual({ index: 3, count: 8, row_start: 3, row_end: 4 });
    const merged = join(dir, 'merged.json');
    // in any order
    await ok(['merge', ...[...tiles].reverse(), '--out', merged, '--png', join(dir, 'merged.png')]);
    const m = json(merged);
    expectSameMap(m, json(whole));
    expect(m.nx * m.ny).toBe(64);
    expect(m.path_gain_db.filter((v: number | null) => v !== null).length).toBeGreaterThan(0);
    expect(Buffer.compare(readFileSync(join(dir, 'merged.png')), readFileSync(join(dir, 'whole.png')))).toBe(
      0,
    );
  });

  it('merge refuses missing, repeated and foreign tiles with one line naming the tile, and writes nothing', async () => {
    const out = join(dir, 'refused.json');
    const missing = await rftwin(['merge', ...tiles.filter((_, i) => i !== 5), '--out', out]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/tile 5 of 8: missing \(7 of 8 given\)/);

    const twice = await rftwin(['merge', ...tiles, tiles[2]!, '--out', out]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain(`${tiles[2]}: tile: tile 2 of 8 is given twice`);

    // the same tile index of another job: other settings
    const foreign = join(dir, 'foreign.json');
    const other = MAP.map((a) => (a === '2' ? '1' : a));
    await ok([...other, '--threads', '1', '--tiles', '8', '--tile', '4', '--out', foreign]);
    const mixed = await rftwin(['merge', ...tiles.filter((_, i) => i !== 4), foreign, '--out', out]);
    expect(mixed.code).toBe(1);
    expect(mixed.stderr).toContain(`${foreign}: job: not the job of ${tiles[0]}: settings.maxDepth (2 vs 1)`);

    // tiles of another split of the same job
    const split = join(dir, 'split.json');
    await ok([...MAP, '--threads', '1', '--tiles', '4', '--tile', '0', '--out', split]);
    const splits = await rftwin(['merge', ...tiles.slice(1), split, '--out', out]);
    expect(splits.code).toBe(1);
    expect(splits.stderr).toContain(`${split}: tile: tile 0 of 4, but ${tiles[1]} is a tile of 8`);

    // a damaged tile: a column cut short
    const cut = join(dir, 'cut.json');
    const t = json(tiles[6]!);
    t.columns.path_gain_db.pop();
    writeFileSync(cut, JSON.stringify(t));
    const damaged = await rftwin(['merge', ...tiles.filter((_, i) => i !== 6), cut, '--out', out]);
    expect(damaged.code).toBe(1);
    expect(damaged.stderr).toContain(`${cut}: columns.path_gain_db: expected 8 values`);
    expect(existsSync(out)).toBe(false);
  });

  it('a tile index outside the split is refused before any work', async () => {
    const r = await rftwin([...MAP, '--tiles', '8', '--tile', '8', '--out', join(dir, 'x.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--tile must be a whole number from 0 to 7');
    const many = await rftwin([...MAP, '--tiles', '9', '--tile', '0', '--out', join(dir, 'x.json')]);
    expect(many.code).toBe(2);
    expect(many.stderr).toContain('the map has 8 rows');
  });
});

describe('chunked link lists', () => {
  it('3 chunks merged equal the whole trace; two threads equal one', async () => {
    const rx = join(dir, 'rx.csv');
    const points = Array.from({ length: 10 }, (_, i) => `${-1.5 + 0.3 * i},${0.8 - 0.15 * i},1.5`);
    writeFileSync(rx, `x,y,z\n${points.join('\n')}\n`);
    const base = [
      'trace',
      '--scene',
      'public/demo/room.xml',
      '--frequency',
      '28e9',
      '--tx',
      '0.3,0.2,2.5',
      '--rx-file',
      rx,
      '--max-depth',
      '2',
      '--backend',
      'cpu',
    ];
    const whole = join(dir, 'trace.json');
    await ok([...base, '--threads', '1', '--out', whole]);
    const threaded = join(dir, 'trace-threads.json');
    await ok([...base, '--threads', '2', '--out', threaded]);
    expect(readFileSync(threaded, 'utf8')).toBe(readFileSync(whole, 'utf8'));
    const chunks = [0, 1, 2].map((i) => join(dir, `chunk-${i}.json`));
    for (const [i, c] of chunks.entries())
      await ok([...base, '--threads', '1', '--chunk', `${i}/3`, '--out', c]);
    expect(json(chunks[1]!).chunk).toEqual({ index: 1, count: 3, rx_start: 3, rx_end: 6 });
    const merged = join(dir, 'trace-merged.json');
    await ok(['merge', chunks[2]!, chunks[0]!, chunks[1]!, '--out', merged]);
    expect(readFileSync(merged, 'utf8')).toBe(readFileSync(whole, 'utf8'));
    expect(json(whole).links).toHaveLength(10);
    const missing = await rftwin(['merge', chunks[0]!, chunks[2]!, '--out', join(dir, 'no.json')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/chunk 1 of 3: missing/);
  });
});
