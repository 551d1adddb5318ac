import { describe, expect, it } from 'vitest';
import { DEMO_ROOM_PATH } from '../../test/paths.ts';
import type { Sounding } from '../io/soundings.ts';
import { nodeFileSource } from '../node/nodeFileSource.ts';
import { loadScene } from '../scene/load.ts';
import { buildBvh } from '../tracer/bvh.ts';
import { soundingPositionWarnings } from './soundingChecks.ts';
import { DEFAULT_MAX_RELATIVE_STD, estimateTrust } from './trust.ts';

describe('which estimates are calibrated', () => {
  it('identifiable and within the relative-uncertainty threshold, else the reason', () => {
    const brick = estimateTrust({ estimate: 0.05, std: 0.005, identifiable: true });
    expect(brick.calibrated).toBe(true);
    expect(brick.relativeStd).toBeCloseTo(0.1, 15);
    expect(brick.reason).toBeUndefined();
    // the Adam run: wood σ = 3.99 ± 33.8 S/m
    const wood = estimateTrust({ estimate: 3.99, std: 33.8, identifiable: true });
    expect(wood.calibrated).toBe(false);
    expect(wood.relativeStd).toBeCloseTo(33.8 / 3.99, 12);
    expect(wood.reason).toBe('uncertainty ±847 % exceeds the ±20.0 % threshold');
    const prior = estimateTrust({ estimate: 0.17, std: 0.01, identifiable: false });
    expect(prior.calibrated).toBe(false);
    expect(prior.reason).toMatch(/^not identifiable/);
    expect(estimateTrust({ estimate: 0.2, std: Number.NaN, identifiable: true }).reason).toMatch(/no finite/);
    // the threshold is the person's: ±25 % accepts what ±20 % refuses, at the boundary inclusive
    expect(estimateTrust({ estimate: 1, std: 0.22, identifiable: true }).calibrated).toBe(false);
    expect(estimateTrust({ estimate: 1, std: 0.22, identifiable: true }, 0.25).calibrated).toBe(true);
    expect(estimateTrust({ estimate: 1, std: 0.2, identifiable: true }, 0.2).calibrated).toBe(true);
    expect(DEFAULT_MAX_RELATIVE_STD).toBe(0.2);
    expect(() => estimateTrust({ estimate: 1, std: 0.1, identifiable: true }, 0)).toThrow(/threshold/);
  });
});

describe('soundings the twin cannot predict', () => {
  const sounding = (tx: number[], rx: number[], line: number): Sounding => ({
    tx: tx as Sounding['tx'],
    rx: rx as Sounding['rx'],
    metrics: { path_gain_db: -80 },
    origin: `s.csv line ${line}`,
  });

  it('lists each position outside the scene volume or inside an object once, with its soundings', async () => {
    const scene = await loadScene(nodeFileSource, DEMO_ROOM_PATH);
    const warnings = soundingPositionWarnings(scene, buildBvh(scene), [
      sounding([0, 0, 2.5], [1, 1, 1.5], 2), // fine
      sounding([0, 0, 2.5], [-3, 3, 0.5], 3), // Rx inside the wooden box
      sounding([0, 0, 2.5], [12, 0, 1.5], 4), // Rx beyond the east wall
      sounding([0, 0, 2.5], [12, 0, 1.5], 5),
      sounding([0, 0, 7], [1, 1, 1.5], 6), // Tx above the 3 m walls
    ]);
    expect(warnings.map((w) => [w.end, w.problem, w.object, w.origins])).toEqual([
      ['rx', 'inside', 'box_wood', ['s.csv line 3']],
      ['rx', 'outside', undefined, ['s.csv line 4', 's.csv line 5']],
      ['tx', 'outside', undefined, ['s.csv line 6']],
    ]);
    expect(warnings[0]!.message).toBe(
      "Rx at (-3, 3, 0.5) m is inside object 'box_wood' (1 sounding: s.csv line 3); the twin cannot predict it",
    );
    expect(warnings[1]!.message).toContain('outside the scene volume (-5, -5, 0)–(5, 5, 3) m');
    expect(warnings[1]!.message).toContain('2 soundings: s.csv line 4, s.csv line 5');
  });
});
