import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/cli.ts';

/** synth → calibrate → plan through the real CLI on the demo room (small, noise-free). */
const SCENE = 'public/demo/room.xml';
const TRUTH = {
  materials: {
    itu_brick: { conductivity: 0.05 },
    itu_wood: { conductivity: 0.12 },
    itu_concrete: { conductivity: 0.8 },
    itu_marble: { conductivity: 0.09 },
    itu_chipboard: { conductivity: 0.35 },
  },
};
const RX = [
  'rx_x,rx_y,rx_z',
  '-3,1.2,1.2',
  '3,1.3,0.8',
  '-3,-1.2,1.5',
  '3,-1.2,1.1',
  '-1.5,4.2,1.4',
  '1.8,-4.3,0.9',
  '-4.2,-4.5,1.6',
  '4.4,4.4,1.0',
];
const TX = ['--tx', '0,0,2.5', '--tx', '-1.5,1,2', '--tx', '1.5,-1,2.2'];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rftwin-cal-cli-'));
  writeFileSync(join(dir, 'truth.json'), JSON.stringify(TRUTH));
  writeFileSync(join(dir, 'rx.csv'), `${RX.join('\n')}\n`);
});

describe('rftwin synth / calibrate / plan', () => {
  it('synth writes soundings; calibrate recovers the truth with progress on stderr and the result JSON', () => {
    const s = runCli([
      'synth',
      '--scene',
      SCENE,
      '--frequency',
      '28e9',
      '--materials',
      join(dir, 'truth.json'),
      ...TX,
      '--rx-file',
      join(dir, 'rx.csv'),
      '--out',
      join(dir, 's.csv'),
    ]);
    expect(s.status, s.stderr).toBe(0);
    const csv = readFileSync(join(dir, 's.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe(
      'tx_x,tx_y,tx_z,rx_x,rx_y,rx_z,path_gain_db,coherent_gain_db,rms_delay_spread_ns,k_factor_db,angular_spread_deg',
    );
    expect(csv.length).toBe(1 + 3 * 8);
    const c = runCli([
      'calibrate',
      '--scene',
      SCENE,
      '--frequency',
      '28e9',
      '--soundings',
      join(dir, 's.csv'),
      '--truth',
      join(dir, 'truth.json'),
      '--out',
      join(dir, 'r.json'),
    ]);
    expect(c.status, c.stderr).toBe(0);
    expect(c.stderr).toMatch(/iter {3}1 {2}loss/);
    const r = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    expect(Object.keys(r.materials).sort()).toEqual(Object.keys(TRUTH.materials).sort());
    for (const [id, t] of Object.entries(TRUTH.materials)) {
      expect(Math.abs(r.materials[id].conductivity - t.conductivity) / t.conductivity).toBeLessThan(1e-3);
      expect(r.materials[id].conductivity_std).toBeGreaterThanOrEqual(0);
      expect(r.materials[id].relative_permittivity).toBeGreaterThan(1);
    }
    expect(r.mre).toBeLessThan(1e-3);
    expect(r.iterations).toBe(r.loss_history.length - 1);
    expect(r.stopped_because).toMatch(/early_stop|converged|stalled|no_progress/);
    expect(r.wall_time_s).toBeGreaterThan(0);
    expect(r.loss).toBe('nae');
  });

  it('a priors file (--init FILE) sets the values it gives for parameters that are not trained: its scattering coefficients hold while σ is calibrated', () => {
    // rough brick and concrete: their specular reflections carry √(1 − S²) (docs/physics.md §6)
    const S = { itu_brick: 0.4, itu_concrete: 0.4 };
    const truth = {
      materials: Object.fromEntries(
        Object.entries(TRUTH.materials).map(([id, m]) => [
          id,
          { ...m, scattering_coefficient: S[id as keyof typeof S] ?? 0 },
        ]),
      ),
    };
    // the priors: σ off the truth by a factor 1.5, S as a vision prior would give it
    const priors = {
      materials: Object.fromEntries(
        Object.entries(truth.materials).map(([id, m]) => [
          id,
          { conductivity: 1.5 * m.conductivity, scattering_coefficient: m.scattering_coefficient },
        ]),
      ),
    };
    writeFileSync(join(dir, 'truth-s.json'), JSON.stringify(truth));
    writeFileSync(join(dir, 'priors-s.json'), JSON.stringify(priors));
    const channel = ['--max-depth', '2', '--no-diffraction', '--no-scattering'];
    const common = ['--scene', SCENE, '--frequency', '28e9', ...channel];
    const s = runCli([
      'synth',
      ...common,
      '--materials',
      join(dir, 'truth-s.json'),
      ...TX,
      '--rx-file',
      join(dir, 'rx.csv'),
      '--out',
      join(dir, 's-rough.csv'),
    ]);
    expect(s.status, s.stderr).toBe(0);
    const calibrate = (init: string, out: string) => {
      const c = runCli([
        'calibrate',
        ...common,
        '--soundings',
        join(dir, 's-rough.csv'),
        '--init',
        init,
        '--truth',
        join(dir, 'truth-s.json'),
        '--out',
        join(dir, out),
      ]);
      expect(c.status, c.stderr).toBe(0);
      return JSON.parse(readFileSync(join(dir, out), 'utf8'));
    };
    const withS = calibrate(join(dir, 'priors-s.json'), 'r-s.json');
    expect(withS.materials.itu_brick.scattering_coefficient).toBe(0.4);
    expect(withS.materials.itu_wood.scattering_coefficient).toBe(0);
    expect(withS.mre).toBeLessThan(1e-3);
    // the same run from ITU values (S = 0): the model cannot reach the rough data
    const itu = calibrate('itu', 'r-itu.json');
    expect(itu.materials.itu_brick.scattering_coefficient).toBe(0);
    expect(itu.mre).toBeGreaterThan(1e-2);
  });

  it('warns of soundings outside the scene or inside an object, and marks each estimate calibrated or not (why)', () => {
    // the soundings of the first test plus two rows the twin cannot predict
    const rows = readFileSync(join(dir, 's.csv'), 'utf8').trim().split('\n');
    const metrics = rows[1]!.split(',').slice(6).join(',');
    writeFileSync(
      join(dir, 'misplaced.csv'),
      `${[...rows, `0,0,2.5,-3,3,0.5,${metrics}`, `0,0,2.5,12,0,1.5,${metrics}`].join('\n')}\n`,
    );
    const run = (extra: string[]) =>
      runCli([
        'calibrate',
        '--scene',
        SCENE,
        '--frequency',
        '28e9',
        '--soundings',
        join(dir, 'misplaced.csv'),
        '--max-iterations',
        '3',
        '--out',
        join(dir, 'misplaced.json'),
        '--force',
        ...extra,
      ]);
    const c = run([]);
    expect(c.status, c.stderr).toBe(0);
    const warned = c.stderr.split('\n').filter((l) => l.startsWith('calibrate: warning: '));
    expect(warned).toEqual([
      `calibrate: warning: Rx at (-3, 3, 0.5) m is inside object 'box_wood' (1 sounding: ${join(dir, 'misplaced.csv')} line ${rows.length + 1}); the twin cannot predict it`,
      `calibrate: warning: Rx at (12, 0, 1.5) m is outside the scene volume (-5, -5, 0)–(5, 5, 3) m (1 sounding: ${join(dir, 'misplaced.csv')} line ${rows.length + 2}); the twin cannot predict it`,
    ]);
    const r = JSON.parse(readFileSync(join(dir, 'misplaced.json'), 'utf8'));
    expect(r.sounding_warnings).toHaveLength(2);
    expect(r.max_relative_std).toBe(0.2);
    for (const [id, m] of Object.entries(r.materials) as [string, Record<string, unknown>][]) {
      expect(typeof m.conductivity_calibrated, id).toBe('boolean');
      expect(m.conductivity_relative_std, id).toBeCloseTo(
        (m.conductivity_std as number) / (m.conductivity_estimate as number),
        12,
      );
      // not calibrated: the file keeps the prior and says why
      if (!m.conductivity_calibrated)
        expect(m.conductivity_not_calibrated_because, id).toMatch(/identifiable|threshold/);
      else expect(m.conductivity, id).toBe(m.conductivity_estimate);
    }
    // a threshold so tight that nothing qualifies: every parameter keeps its prior
    const tight = run(['--max-relative-std', '1e-9']);
    expect(tight.status, tight.stderr).toBe(0);
    const t = JSON.parse(readFileSync(join(dir, 'misplaced.json'), 'utf8'));
    expect(t.not_calibrated).toHaveLength(5);
    const nominal = { itu_brick: 0.0238 * 28 ** 0.16, itu_wood: 0.0047 * 28 ** 1.0718 };
    for (const [id, sigma] of Object.entries(nominal)) {
      expect(t.materials[id].conductivity_calibrated).toBe(false);
      expect(t.materials[id].conductivity).toBeCloseTo(sigma, 12);
    }
    expect(run(['--max-relative-std', '0']).stderr).toMatch(/--max-relative-std: the uncertainty threshold/);
  });

  it('the demo campaign (planned links, 1 dB / 1 ns): every conductivity it calibrates is within 2σ of the truth', () => {
    // the studio's default calibration (conductivity, sMAPE, LM, ITU start, 40 iterations)
    const c = runCli([
      'calibrate',
      '--scene',
      SCENE,
      '--frequency',
      '28e9',
      '--soundings',
      'public/demo/soundings.csv',
      '--loss',
      'smape',
      '--max-iterations',
      '40',
      '--out',
      join(dir, 'demo.json'),
    ]);
    expect(c.status, c.stderr).toBe(0);
    expect(c.stderr).not.toContain('calibrate: warning:'); // the planner's positions are all in the room
    const r = JSON.parse(readFileSync(join(dir, 'demo.json'), 'utf8'));
    const truth = JSON.parse(readFileSync('public/demo/truth.json', 'utf8')).materials;
    const calibrated: string[] = [];
    for (const [id, m] of Object.entries(r.materials) as [string, Record<string, number | boolean>][]) {
      if (!m.conductivity_calibrated) continue;
      calibrated.push(id);
      const err = Math.abs((m.conductivity as number) - truth[id].conductivity);
      expect(err, id).toBeLessThanOrEqual(2 * (m.conductivity_std as number));
    }
    // brick (floor, walls), wood and marble are seen; concrete and chipboard absorb what crosses
    // them and reflect almost the same whatever σ: the soundings cannot identify them, and say so
    expect(calibrated.sort()).toEqual(['itu_brick', 'itu_marble', 'itu_wood']);
    expect(r.materials.itu_concrete.conductivity_not_calibrated_because).toMatch(/not identifiable/);
  });

  it('a bad soundings file fails with its line number and the unit mistake', () => {
    writeFileSync(
      join(dir, 'bad.csv'),
      'tx_x,tx_y,tx_z,rx_x,rx_y,rx_z,rms_delay_spread_ns\n0,0,2.5,1,1,1,12\n0,0,2.5,2,1,1,1.2e-8\n',
    );
    const c = runCli([
      'calibrate',
      '--scene',
      SCENE,
      '--frequency',
      '28e9',
      '--soundings',
      join(dir, 'bad.csv'),
    ]);
    expect(c.status).toBe(1);
    expect(c.stderr).toContain('bad.csv: line 3: rms_delay_spread_ns = 1.2e-8 looks like seconds');
  });

  it('plan chooses N links and prints the information gain against random picks', () => {
    const p = runCli([
      'plan',
      '--scene',
      SCENE,
      '--frequency',
      '28e9',
      ...TX,
      '--candidates',
      join(dir, 'rx.csv'),
      '--count',
      '5',
      '--out',
      join(dir, 'chosen.csv'),
    ]);
    expect(p.status, p.stderr).toBe(0);
    const m = /planned ([\d.]+) bits, random ([\d.]+) bits/.exec(p.stdout);
    expect(m, p.stdout).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(Number(m![2]));
    const chosen = readFileSync(join(dir, 'chosen.csv'), 'utf8').trim().split('\n');
    expect(chosen[0]).toBe('tx_x,tx_y,tx_z,rx_x,rx_y,rx_z');
    expect(chosen.length).toBe(6);
  });
});
