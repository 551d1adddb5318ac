import { describe, expect, it } from 'vitest';
import type { Sounding } from '../../engine/io/index.ts';
import { studio } from '../store.ts';
import type { CalibrationOutcome } from '../worker/protocol.ts';
import { applyCalibration } from './calibrate.ts';

/**
 * Apply writes to the twin only what the soundings identify within the threshold; everything
 * else keeps its prior and records why. Priors are ITU-R P.2040-1 Table 3 at 28 GHz, computed
 * here from the published coefficients: brick ε′r = 3.91, σ = 0.0238·f^0.16; concrete ε′r = 5.24,
 * σ = 0.0462·f^0.7822 (f in GHz).
 */
const F_GHZ = 28;
const brickSigma = 0.0238 * F_GHZ ** 0.16;
const concreteSigma = 0.0462 * F_GHZ ** 0.7822;

const slab = { thickness: 0.1, scatteringCoefficient: 0, xpdCoefficient: 0 };
const brickSpec = { kind: 'itu' as const, ituName: 'brick', ...slab };
const concreteSpec = { kind: 'itu' as const, ituName: 'concrete', ...slab };

function outcome(parameters: CalibrationOutcome['parameters']): CalibrationOutcome {
  return { parameters } as CalibrationOutcome;
}

function setUp() {
  studio.set({
    frequencyHz: F_GHZ * 1e9,
    soundings: { file: 'soundings.csv', items: new Array(50).fill({}) as Sounding[] },
    calibrationRecord: { loss: 'smape' },
    materials: {
      itu_brick: { id: 'itu_brick', spec: brickSpec, source: 'scene' },
      itu_concrete: { id: 'itu_concrete', spec: concreteSpec, source: 'scene' },
    },
  });
}

const brick = (std: number, identifiable = true) => ({
  owner: 'itu_brick',
  name: 'conductivity' as const,
  initial: brickSigma,
  estimate: 0.0558,
  std,
  identifiable,
});
const concrete = {
  owner: 'itu_concrete',
  name: 'conductivity' as const,
  initial: concreteSigma,
  estimate: 8.06,
  std: 196,
  identifiable: false,
};

describe('applyCalibration', () => {
  it('writes an identified estimate within the threshold and keeps the prior of the rest, saying why', () => {
    setUp();
    applyCalibration(outcome([brick(0.0028), concrete]), 0.2);
    const m = studio.get().materials;
    // brick: σ replaced, ε′r the prior's (not trained)
    expect(m.itu_brick!.source).toBe('calibrated');
    expect(m.itu_brick!.spec).toMatchObject({ kind: 'custom', conductivity: 0.0558 });
    expect((m.itu_brick!.spec as { relativePermittivity: number }).relativePermittivity).toBeCloseTo(
      3.91,
      12,
    );
    expect(m.itu_brick!.calibration).toMatchObject({ status: 'calibrated', max_relative_std: 0.2 });
    expect(m.itu_brick!.calibration!.parameters.conductivity).toMatchObject({
      calibrated: true,
      std: 0.0028,
    });
    expect(m.itu_brick!.calibration!.parameters.conductivity!.prior).toBeCloseTo(brickSigma, 12);
    expect(m.itu_brick!.calibration!.parameters.conductivity!.relative_std).toBeCloseTo(0.0028 / 0.0558, 12);
    // concrete (issue 13: "8.06 ± 196 S/m ... calibrated, confidence 100 %"): prior kept, verdict recorded
    expect(m.itu_concrete!.spec).toEqual(concreteSpec);
    expect(m.itu_concrete!.source).toBe('scene');
    const c = m.itu_concrete!.calibration!;
    expect(c.status).toBe('not calibrated');
    expect(c.parameters.conductivity).toMatchObject({ estimate: 8.06, std: 196, calibrated: false });
    expect(c.parameters.conductivity!.prior).toBeCloseTo(concreteSigma, 12);
    expect(c.parameters.conductivity!.reason).toMatch(/^not identifiable/);
    const applied = (studio.get().calibrationRecord as { applied: Record<string, unknown> }).applied;
    expect(applied.calibrated).toEqual(['itu_brick.conductivity']);
    expect(studio.get().status.message).toBe(
      'Applied 1 calibrated estimate; not calibrated, prior kept: itu_concrete conductivity',
    );
  });

  it('an identified estimate whose relative uncertainty exceeds the threshold keeps the prior', () => {
    setUp();
    // 0.0558 ± 0.014: 25 % > 20 %
    applyCalibration(outcome([brick(0.014)]), 0.2);
    const m = studio.get().materials.itu_brick!;
    expect(m.spec).toEqual(brickSpec);
    expect(m.calibration!.status).toBe('not calibrated');
    expect(m.calibration!.parameters.conductivity!.reason).toBe(
      'uncertainty ±25.1 % exceeds the ±20.0 % threshold',
    );
    // the same estimate under a 30 % threshold is calibrated
    setUp();
    applyCalibration(outcome([brick(0.014)]), 0.3);
    expect(studio.get().materials.itu_brick!.spec).toMatchObject({ kind: 'custom', conductivity: 0.0558 });
  });

  it('a material with one of two parameters calibrated is "partly calibrated"; a non-finite std is recorded as null', () => {
    setUp();
    applyCalibration(
      outcome([
        brick(0.0028),
        { ...brick(Number.POSITIVE_INFINITY), name: 'relative_permittivity', estimate: 4.2, initial: 3.91 },
      ]),
      0.2,
    );
    const m = studio.get().materials.itu_brick!;
    expect(m.calibration!.status).toBe('partly calibrated');
    expect(m.spec).toMatchObject({ kind: 'custom', conductivity: 0.0558 });
    expect((m.spec as { relativePermittivity: number }).relativePermittivity).toBeCloseTo(3.91, 12);
    expect(m.calibration!.parameters.relative_permittivity).toMatchObject({
      std: null,
      relative_std: null,
      calibrated: false,
      reason: 'no finite uncertainty could be computed',
    });
  });
});
