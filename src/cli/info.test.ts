import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../test/cli.ts';
import { SIONNA_SCENE_NAMES, SIONNA_SCENES_DIR, sionnaScenePath } from '../test/paths.ts';

/** σ at 28 GHz from docs/physics.md §4. */
const SIGMA_28GHZ: Record<string, number> = {
  concrete: 0.626,
  brick: 0.0406,
  glass: 0.3123,
  wood: 0.1672,
  marble: 0.1204,
  metal: 1e7,
};

describe('rftwin info', () => {
  for (const name of SIONNA_SCENE_NAMES) {
    it(`--json on ${name} prints docs/physics.md parameters at 28 GHz`, () => {
      const r = runCli(['info', sionnaScenePath(name), '--frequency', '28e9', '--json']);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const info = JSON.parse(r.stdout);
      expect(info.frequency_hz).toBe(28e9);
      expect(info.itu_edition).toMatch(/P\.2040/);
      expect(info.objects.length).toBeGreaterThan(0);
      expect(info.triangles).toBe(
        info.objects.reduce((s: number, o: { triangles: number }) => s + o.triangles, 0),
      );
      for (const m of info.materials) {
        expect(m.kind).toBe('itu');
        const sigma = SIGMA_28GHZ[m.itu_name];
        expect(sigma, m.itu_name).toBeDefined();
        expect(Math.abs(m.conductivity - sigma!)).toBeLessThan(1e-4 * Math.max(1, sigma!));
        // η = ε′r − j·σ/(ε0·ω)
        expect(m.eta[1]).toBeCloseTo(-m.conductivity / (8.8541878128e-12 * 2 * Math.PI * 28e9), 6);
      }
    });
  }

  it('concrete σ = 0.6260 S/m in floor_wall, text output too', () => {
    const r = runCli(['info', sionnaScenePath('floor_wall')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/mat-itu_concrete\s+concrete\s+εr=5\.2400 σ=0\.6260 S\/m/);
    expect(r.stdout).toMatch(/2 objects, 4 triangles, 2 faces/);
  });

  it('out-of-range frequency: one line naming the material, non-zero exit, no stack trace', () => {
    const r = runCli(['info', sionnaScenePath('floor_wall'), '--frequency', '60e9']);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/material 'brick' .* 1–40 GHz, not 60\.00 GHz/);
    expect(r.stderr).not.toMatch(/\s+at\s/);
    const ok = runCli([
      'info',
      sionnaScenePath('floor_wall'),
      '--frequency',
      '60e9',
      '--extrapolate',
      '--json',
    ]);
    expect(ok.status).toBe(0);
  });

  it('malformed files: truncated PLY, missing mesh, unknown bsdf → one-line errors, exit 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rftwin-cli-'));
    const ply = readFileSync(join(SIONNA_SCENES_DIR, 'box', 'meshes', 'box.ply'));
    writeFileSync(join(dir, 'cut.ply'), ply.subarray(0, 300));
    writeFileSync(
      join(dir, 'missing.xml'),
      '<scene><bsdf type="itu-radio-material" id="m"><string name="type" value="metal"/></bsdf>\n<shape type="ply" id="a"><string name="filename" value="gone.ply"/><ref id="m"/></shape></scene>',
    );
    writeFileSync(join(dir, 'velvet.xml'), '<scene>\n<bsdf type="velvet" id="v"/></scene>');
    const cases: [string, RegExp][] = [
      [
        'cut.ply',
        /cut\.ply: header: declares records of at least \d+ bytes but the file has \d+ after the header \(truncated/,
      ],
      ['missing.xml', /missing\.xml: line 2 <shape id="a">: references mesh file 'gone\.ply'/],
      ['velvet.xml', /velvet\.xml: line 2 <bsdf id="v">: unknown bsdf type 'velvet'/],
    ];
    for (const [file, pattern] of cases) {
      const r = runCli(['info', join(dir, file)]);
      expect(r.status, file).toBe(1);
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('usage errors exit 2', () => {
    expect(runCli(['info']).status).toBe(2);
    expect(runCli(['info', sionnaScenePath('box'), '--frequency', 'abc']).status).toBe(2);
    expect(runCli(['info', sionnaScenePath('box'), '--bogus', '1']).status).toBe(2);
    expect(runCli(['nosuchcommand']).status).toBe(2);
  });
});
