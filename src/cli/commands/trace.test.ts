import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { SPEED_OF_LIGHT } from '../../engine/core/constants.ts';
import { sionnaScenePath } from '../../test/paths.ts';
import { main } from '../main.ts';
import { parseReceiverCsv } from './trace.ts';

const dir = mkdtempSync(join(tmpdir(), 'rftwin-trace-'));

// a Tx/Rx pair inside or around each Sionna scene
const SCENES: [string, string, string][] = [
  ['box', '1,2,1.5', '-2,-1,2.5'],
  ['box_one_screen', '-2,0.5,2', '3,-1,1.5'],
  ['double_reflector', '-10,0,5', '-5,2,3'],
  ['floor_wall', '1,0,1.5', '-1,0.2,1.4'],
  ['simple_reflector', '-1,0,2', '1,0,2'],
  ['simple_street_canyon', '-30,0,10', '20,0,1.5'],
];

let stderr: MockInstance;
let messages: string[];
beforeEach(() => {
  messages = [];
  stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    messages.push(String(chunk));
    return true;
  });
});
afterEach(() => stderr.mockRestore());

describe('rftwin trace on every Sionna scene (acceptance 8)', () => {
  for (const [name, tx, rx] of SCENES) {
    it(name, async () => {
      const out = join(dir, `${name}.json`);
      const code = await main([
        'trace',
        '--scene',
        sionnaScenePath(name),
        '--frequency',
        '28e9',
        '--tx',
        tx,
        '--rx',
        rx,
        '--rays',
        '2000',
        '--out',
        out,
      ]);
      expect(code, messages.join('')).toBe(0);
      const json = JSON.parse(readFileSync(out, 'utf8'));
      expect(json.frequency_hz).toBe(28e9);
      expect(json.links).toHaveLength(1);
      const link = json.links[0];
      expect(link.tx).toEqual(tx.split(',').map(Number));
      expect(link.paths.length).toBeGreaterThan(0);
      for (const p of link.paths) {
        expect(['los', 'specular', 'scattered', 'diffracted']).toContain(p.kind);
        // delay = unfolded length / c, from the printed points
        const pts = [link.tx, ...p.interactions.map((i: { point: number[] }) => i.point), link.rx];
        let len = 0;
        for (let k = 1; k < pts.length; k++)
          len += Math.hypot(pts[k][0] - pts[k - 1][0], pts[k][1] - pts[k - 1][1], pts[k][2] - pts[k - 1][2]);
        expect(p.delay_s * SPEED_OF_LIGHT).toBeCloseTo(len, 9);
        expect(p.gain_db).toBeCloseTo(10 * Math.log10(p.a[0] ** 2 + p.a[1] ** 2), 9);
        for (const i of p.interactions) expect(typeof i.object).toBe('string');
      }
      expect(Number.isFinite(link.metrics.path_gain_db)).toBe(true);
      expect(['los', 'strongest']).toContain(link.metrics.k_factor_reference);
      expect(typeof link.metrics.los).toBe('boolean');
      expect(link.metrics).toHaveProperty('rms_delay_spread_s');
      expect(link.metrics).toHaveProperty('angular_spread_deg');
      expect(link.metrics).toHaveProperty('coherent_gain_db');
      // the Sionna scenes are small: the search is exhaustive at depth 3 (docs/physics.md §9)
      expect(link.search).toEqual({ complete: true, exhaustive_depth: 3, rays: 0, estimated_miss_rate: 0 });
    });
  }

  it('reads receivers from a CSV file and switches path types off', async () => {
    const csv = join(dir, 'rx.csv');
    writeFileSync(csv, 'name,x,y,z\na,-2,-1,2.5\nb,0,0,1\n');
    const out = join(dir, 'csv.json');
    const box = sionnaScenePath('box');
    const code = await main([
      'trace',
      '--scene',
      box,
      '--frequency',
      '28e9',
      '--tx',
      '1,2,1.5',
      '--rx-file',
      csv,
      '--max-depth',
      '1',
      '--no-los',
      '--out',
      out,
    ]);
    expect(code, messages.join('')).toBe(0);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    expect(json.links.map((l: { rx: number[] }) => l.rx)).toEqual([
      [-2, -1, 2.5],
      [0, 0, 1],
    ]);
    for (const l of json.links) {
      expect(l.paths).toHaveLength(6); // six walls, LoS switched off
      expect(l.metrics.los).toBe(false);
    }
  });
});

describe('rftwin trace receivers on the command line', () => {
  it('accepts repeated --rx and several points after one --rx', async () => {
    const out = join(dir, 'multi.json');
    const box = sionnaScenePath('box');
    const argv = ['trace', '--scene', box, '--frequency', '28e9', '--tx', '1,2,1.5', '--max-depth', '0'];
    const code = await main([...argv, '--rx', '-2,-1,2.5', '0,0,1', '--rx', '3,-3,4', '--out', out]);
    expect(code, messages.join('')).toBe(0);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    expect(json.links.map((l: { rx: number[] }) => l.rx)).toEqual([
      [-2, -1, 2.5],
      [0, 0, 1],
      [3, -3, 4],
    ]);
    for (const l of json.links) expect(l.paths.map((p: { kind: string }) => p.kind)).toEqual(['los']);
  });
});

describe('rftwin trace input errors', () => {
  const box = sionnaScenePath('box');
  const base = ['trace', '--scene', box, '--frequency', '28e9'];
  const fails = async (argv: string[], pattern: RegExp) => {
    messages.length = 0;
    const code = await main(argv);
    expect(code).not.toBe(0);
    const text = messages.join('');
    expect(text).toMatch(pattern);
    expect(text.trim().split('\n')).toHaveLength(1);
  };

  it('malformed positions', async () => {
    await fails([...base, '--tx', '1,2', '--rx', '0,0,1'], /--tx must be x,y,z.*'1,2'/);
    await fails([...base, '--tx', '1,2,3', '--rx', '0,zero,1'], /--rx must be x,y,z.*'0,zero,1'/);
    await fails([...base, '--tx', '1,2,3'], /missing receivers/);
    await fails([...base, '0,0,1', '--tx', '1,2,3', '--rx', '0,0,2'], /unexpected argument '0,0,1'/);
  });

  it('malformed receiver files', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'x,y,z\n1,2,3\n4,five,6\n');
    await fails(
      [...base, '--tx', '1,2,1', '--rx-file', bad],
      /bad\.csv: line 3: column y: 'five' is not a number/,
    );
    const noHeader = join(dir, 'noheader.csv');
    writeFileSync(noHeader, '1,2,3\n');
    await fails([...base, '--tx', '1,2,1', '--rx-file', noHeader], /header must name columns x, y, z/);
    await fails(
      [...base, '--tx', '1,2,1', '--rx-file', join(dir, 'missing.csv')],
      /missing\.csv: was not found/,
    );
  });

  it('bad options and scene files', async () => {
    await fails(
      [...base, '--tx', '1,2,1', '--rx', '0,0,1', '--pattern', 'horn'],
      /--pattern must be one of iso, dipole, hw_dipole, tr38901/,
    );
    await fails(
      [...base, '--tx', '1,2,1', '--rx', '0,0,1', '--max-depth', '2.5'],
      /--max-depth must be an integer/,
    );
    await fails(
      ['trace', '--scene', join(dir, 'nope.xml'), '--frequency', '28e9', '--tx', '1,2,1', '--rx', '0,0,1'],
      /nope\.xml/,
    );
    await fails(
      ['trace', '--scene', box, '--frequency', '-5', '--tx', '1,2,1', '--rx', '0,0,1'],
      /--frequency must be a positive/,
    );
  });

  it('parseReceiverCsv accepts any column order, blank lines and comments', () => {
    expect(parseReceiverCsv('# receivers\nz, y, x\n\n3,2,1\n', 'f.csv')).toEqual([[1, 2, 3]]);
    expect(() => parseReceiverCsv('x,y,z\n', 'f.csv')).toThrow(/no receivers/);
  });
});
