import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test/cli.ts';
import { sionnaScenePath } from '../../test/paths.ts';

/** rftwin timeline on the floor_wall scene: a person crossing a 3 m link beside the wall. */
const dir = mkdtempSync(join(tmpdir(), 'rftwin-timeline-'));
const write = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const args = (actors: string, out: string) => [
  'timeline',
  '--scene',
  sionnaScenePath('floor_wall'),
  '--frequency',
  '28e9',
  '--tx',
  '-1,-1.5,1.5',
  '--rx',
  '-1,1.5,1.5',
  '--actors',
  actors,
  '--dt',
  '0.25',
  '--max-depth',
  '2',
  '--backend',
  'cpu',
  '--out',
  out,
];

describe('rftwin timeline', () => {
  it('writes a header and one line per step: shadow loss peaks when the person blocks the link', () => {
    const actors = write(
      'walk.jsonl',
      '{"actor": "p1", "kind": "human"}\n{"t": 0, "id": "p1", "position": [-1.8, 0, 0]}\n{"t": 2, "id": "p1", "position": [-0.2, 0, 0]}\n',
    );
    const out = join(dir, 'timeline.jsonl');
    const r = runCli(args(actors, out));
    expect(r.stderr).toMatch(/timeline: step 9\/9/);
    expect(r.status).toBe(0);
    const lines = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0].header.steps).toBe(9);
    const steps = lines.slice(1);
    expect(steps.map((s: { t: number }) => s.t)).toEqual([0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2]);
    const sl = steps.map((s: { metrics: { shadow_loss_db: number } }) => s.metrics.shadow_loss_db);
    expect(sl.indexOf(Math.max(...sl))).toBe(4); // t = 1: the body on the line of sight
    expect(steps[4].metrics.los).toBe(false);
    expect(steps[0].metrics.los).toBe(true);
    // the walk is across the link: paths touching the body carry a Doppler shift
    expect(steps[2].paths.some((p: { doppler_hz: number }) => p.doppler_hz !== 0)).toBe(true);
  });

  it('bad input: one line naming the file and line, non-zero exit, no output file', () => {
    const actors = write(
      'bad.jsonl',
      '{"actor": "p1", "kind": "human"}\n{"t": 0, "id": "p1", "position": [0, -1, 0]}\n{"t": 0, "id": "p1", "position": [0, 1, 0]}\n',
    );
    const out = join(dir, 'bad-out.jsonl');
    const r = runCli(args(actors, out));
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/bad\.jsonl: line 3: time 0 s of 'p1' does not increase/);
    expect(existsSync(out)).toBe(false);
  });
});
