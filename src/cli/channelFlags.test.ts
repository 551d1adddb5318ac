import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { main } from './main.ts';

/**
 * Channel flags the physics depends on (docs/physics.md §4, §7, §2): every scattering pattern of
 * the engine selectable with --scattering-pattern (checked against the patterns' closed forms),
 * the half-space model refusing transmission, and near-field links marked in the JSON.
 */
const dir = mkdtempSync(join(tmpdir(), 'rftwin-flags-'));
// a rough concrete ground plate (S = 0.5) 40 m × 40 m at z = 0
writeFileSync(
  join(dir, 'plate.ply'),
  'ply\nformat ascii 1.0\nelement vertex 4\nproperty float x\nproperty float y\nproperty float z\nelement face 1\nproperty list uchar int vertex_indices\nend_header\n-20 -20 0\n20 -20 0\n20 20 0\n-20 20 0\n4 0 1 2 3\n',
);
const SCENE = join(dir, 'rough.xml');
writeFileSync(
  SCENE,
  `<scene version="2.1.0">
  <bsdf type="itu-radio-material" id="rough"><string name="type" value="concrete"/><float name="scattering_coefficient" value="0.5"/></bsdf>
  <shape type="ply" id="ground"><string name="filename" value="plate.ply"/><ref id="rough" name="bsdf"/></shape>
</scene>`,
);
const TX = [-3, 1, 2];
const RX = [4, -2, 1.5];

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

interface JsonPath {
  kind: string;
  gain_db: number;
  interactions: { point: number[] }[];
}

interface TraceJson {
  settings: { scattering_pattern: unknown; material_model: string };
  links: {
    paths: JsonPath[];
    metrics: { near_field: boolean; shortest_distance_m: number; path_gain_db: number };
  }[];
}

async function trace(name: string, extra: string[], rx = RX): Promise<{ code: number; json: TraceJson }> {
  const out = join(dir, `${name}.json`);
  const code = await main([
    'trace',
    '--scene',
    SCENE,
    '--frequency',
    '28e9',
    '--tx',
    TX.join(','),
    '--rx',
    rx.join(','),
    '--rays',
    '3000',
    '--backend',
    'cpu',
    '--out',
    out,
    '--force',
    ...extra,
  ]);
  return { code, json: code === 0 ? JSON.parse(readFileSync(out, 'utf8')) : ({} as TraceJson) };
}

const unit = (v: number[]) => {
  const l = Math.hypot(v[0]!, v[1]!, v[2]!);
  return v.map((x) => x / l);
};
const dot = (a: number[], b: number[]) => a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;

/**
 * Pattern values at one scattering point of the ground (normal +z), in closed form: Lambertian
 * cos θs/π; the α = 1 lobes normalised by their hemisphere integral, which is
 * ∫(1 + k̂r·k̂s)/2 dΩ = (2π + k̂r·∫k̂s dΩ)/2 = (2π + π·cos θi)/2 (∫k̂s dΩ = π·n̂), the same for the
 * back lobe (1 − k̂i·k̂s)/2.
 */
function patterns(point: number[], lambda: number) {
  const ki = unit([point[0]! - TX[0]!, point[1]! - TX[1]!, point[2]! - TX[2]!]);
  const ks = unit([RX[0]! - point[0]!, RX[1]! - point[1]!, RX[2]! - point[2]!]);
  const cosI = -ki[2]!;
  const kr = [ki[0]!, ki[1]!, ki[2]! + 2 * cosI];
  const norm = (2 * Math.PI + Math.PI * cosI) / 2;
  const front = (1 + dot(kr, ks)) / 2;
  const back = (1 - dot(ki, ks)) / 2;
  return {
    lambertian: ks[2]! / Math.PI,
    directive: front / norm,
    backscattering: (lambda * front + (1 - lambda) * back) / norm,
  };
}

describe('channel flags', () => {
  it('--scattering-pattern selects every pattern of the engine; each scattered path scales by its closed form', async () => {
    const lam = await trace('lambertian', []);
    const dir1 = await trace('directive', ['--scattering-pattern', 'directive:1']);
    const back = await trace('back', ['--scattering-pattern', 'backscattering:1,1,0.3']);
    for (const r of [lam, dir1, back]) expect(r.code, messages.join('')).toBe(0);
    expect(dir1.json.settings.scattering_pattern).toEqual({ kind: 'directive', alphaR: 1 });
    expect(back.json.settings.scattering_pattern).toEqual({
      kind: 'backscattering',
      alphaR: 1,
      alphaI: 1,
      lambda: 0.3,
    });
    const scattered = (r: typeof lam): JsonPath[] =>
      r.json.links[0]!.paths.filter((p) => p.kind === 'scattered');
    const l = scattered(lam);
    expect(l.length).toBeGreaterThan(20);
    expect(scattered(dir1)).toHaveLength(l.length);
    expect(scattered(back)).toHaveLength(l.length);
    l.forEach((p, i) => {
      const f = patterns(p.interactions[0]!.point, 0.3);
      const d = scattered(dir1)[i]!;
      const b = scattered(back)[i]!;
      expect(d.interactions[0]!.point).toEqual(p.interactions[0]!.point);
      // power ∝ f: gain differences are 10·log10 of the pattern ratios
      expect(d.gain_db - p.gain_db).toBeCloseTo(10 * Math.log10(f.directive / f.lambertian), 9);
      expect(b.gain_db - p.gain_db).toBeCloseTo(10 * Math.log10(f.backscattering / f.lambertian), 9);
    });
    // a malformed pattern is a one-line usage error naming the flag
    const bad = await trace('bad', ['--scattering-pattern', 'directive:1.5']);
    expect(bad.code).toBe(2);
    expect(messages.join('')).toMatch(
      /--scattering-pattern must be lambertian, directive:αR or backscattering/,
    );
  });

  it('--material-model halfspace needs --no-transmission (a half-space has no far side)', async () => {
    const refused = await trace('halfspace', ['--material-model', 'halfspace']);
    expect(refused.code).toBe(2);
    expect(messages.join('')).toMatch(/transmission is not defined in the halfspace material model/);
    const ok = await trace('halfspace-ok', ['--material-model', 'halfspace', '--no-transmission']);
    expect(ok.code, messages.join('')).toBe(0);
    expect(ok.json.settings.material_model).toBe('halfspace');
  });

  it('near-field links are marked in the JSON and on stderr', async () => {
    const near = await trace('near', [], [TX[0]! + 1e-9, TX[1]!, TX[2]!]);
    expect(near.code, messages.join('')).toBe(0);
    const m = near.json.links[0]!.metrics;
    expect(m.near_field).toBe(true);
    expect(m.shortest_distance_m).toBeCloseTo(1e-9, 15);
    expect(m.path_gain_db).toBeGreaterThan(100);
    expect(messages.join('')).toMatch(/1 link\(s\) shorter than 3 wavelengths.*not valid/);
    const far = await trace('far', []);
    expect(far.json.links[0]!.metrics.near_field).toBe(false);
  });

  it('synth leaves near-field links out of the soundings and says so', async () => {
    writeFileSync(join(dir, 'truth.json'), JSON.stringify({ materials: { rough: { conductivity: 0.6 } } }));
    writeFileSync(
      join(dir, 'rx.csv'),
      `rx_x,rx_y,rx_z\n${RX.join(',')}\n${TX[0]! + 1e-9},${TX[1]},${TX[2]}\n`,
    );
    const out = join(dir, 'soundings.csv');
    const code = await main([
      'synth',
      '--scene',
      SCENE,
      '--frequency',
      '28e9',
      '--materials',
      join(dir, 'truth.json'),
      '--tx',
      TX.join(','),
      '--rx-file',
      join(dir, 'rx.csv'),
      '--rays',
      '3000',
      '--backend',
      'cpu',
      '--out',
      out,
      '--force',
    ]);
    expect(code, messages.join('')).toBe(0);
    const rows = readFileSync(out, 'utf8').trim().split('\n').slice(1);
    // only the far receiver: the one 1 nm from the Tx is left out
    expect(rows.map((r) => r.split(',').slice(3, 6).map(Number))).toEqual([RX]);
    expect(messages.join('')).toMatch(/1 near-field link\(s\) \(shorter than 3 wavelengths\) left out/);
  });
});
