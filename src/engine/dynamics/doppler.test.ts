import { describe, expect, it } from 'vitest';
import { channelSettings } from '../channel/settings.ts';
import { SPEED_OF_LIGHT } from '../core/constants.ts';
import type { Vec3 } from '../core/vec3.ts';
import { freeSpaceScene } from '../tracer/cpu/testScenes.ts';
import type { ActorSpec } from './actors.ts';
import { dopplerSpread, pathDopplerHz } from './doppler.ts';
import { type TimelineStep, timeline } from './timeline.ts';
import type { ActorsFile, Track } from './trajectory.ts';

/**
 * Acceptance 3. The formula under test (doppler.ts, docs/physics.md §15):
 *   f_D = (1/λ) Σᵢ vᵢ · (k̂ᵢ − k̂ᵢ₋₁)   (k̂₋₁ = k̂ₙ₊₁ = 0),
 * checked against v/λ for a receiver closing on the transmitter, and against −(1/λ)·dL/dt of the
 * image-method path length (a finite difference, independent of the formula) for a moving mirror,
 * whose monostatic limit is the two-way 2v/λ.
 */
const F = 28e9;
const LAMBDA = SPEED_OF_LIGHT / F;

const line = (p0: Vec3, v: Vec3, t1: number): Track => ({
  t: [0, t1],
  position: [p0, [p0[0] + v[0] * t1, p0[1] + v[1] * t1, p0[2] + v[2] * t1]],
  yaw: [0, 0],
});

async function firstStep(file: ActorsFile, tx: Vec3, rx: Vec3): Promise<TimelineStep> {
  const settings = channelSettings({
    frequencyHz: F,
    maxDepth: 1,
    scattering: false,
    transmission: false,
    diffraction: false,
  });
  const steps: TimelineStep[] = [];
  await timeline(freeSpaceScene(), file, tx, rx, { settings, dt: 0.1, duration: 0, backend: 'cpu' }).run(
    (s) => {
      steps.push(s);
    },
  );
  return steps[0]!;
}

describe('per-path Doppler', () => {
  it('a receiver moving at v towards the transmitter in free space: f_D = v/λ (to 1e-9)', async () => {
    const v = 1.5;
    const tx: Vec3 = [0, 0, 1];
    const rx: Vec3 = [6, 0, 1];
    const file: ActorsFile = {
      actors: [],
      tracks: new Map(),
      devices: { rx: line(rx, [-v, 0, 0], 1) },
      declaredAt: new Map(),
      span: [0, 1],
    };
    const s = await firstStep(file, tx, rx);
    const los = s.paths.find((p) => p.kind === 'los')!;
    expect(Math.abs(los.dopplerHz / (v / LAMBDA) - 1)).toBeLessThan(1e-9);
    // moving away, obliquely: the radial component only
    expect(
      pathDopplerHz(
        [tx, rx],
        [
          [0, 0, 0],
          [2, 3, 0],
        ],
        LAMBDA,
      ),
    ).toBeCloseTo(-2 / LAMBDA, 6);
  });

  it('a mirror moving at v: −(1/λ)·dL/dt of the image path, two-way 2v/λ in the monostatic limit', async () => {
    const v = 2;
    const X0 = 5;
    // a 2 m × 2 m metal plate in its own frame's plane x = 0, facing −x
    const plate: ActorSpec = {
      id: 'mirror',
      shape: {
        kind: 'mesh',
        vertices: [0, -1, 0, 0, 1, 0, 0, 1, 2, 0, -1, 2],
        indices: [0, 2, 1, 0, 3, 2],
        file: '<plate>',
      },
      material: { kind: 'itu', name: 'metal', thickness: 0.01 },
    };
    const tx: Vec3 = [0, -0.2, 1];
    const rx: Vec3 = [0, 0.3, 1.1];
    const file: ActorsFile = {
      actors: [plate],
      tracks: new Map([['mirror', line([X0, 0, 0], [-v, 0, 0], 1)]]),
      devices: {},
      declaredAt: new Map([['mirror', 1]]),
      span: [0, 1],
    };
    const s = await firstStep(file, tx, rx);
    const refl = s.paths.find((p) => p.kind === 'specular')!;
    expect(refl.interactions[0]!.objectIndex).toBe(2); // the plate (after the two markers)
    // path length by the image of Tx in the plane x = X; dX/dt = −v
    const pathLength = (X: number) => Math.hypot(2 * X - tx[0] - rx[0], tx[1] - rx[1], tx[2] - rx[2]);
    const h = 1e-4;
    const dLdt = ((pathLength(X0 + h) - pathLength(X0 - h)) / (2 * h)) * -v;
    expect(Math.abs(refl.dopplerHz / (-dLdt / LAMBDA) - 1)).toBeLessThan(1e-7);
    // the monostatic limit: Tx and Rx together, the two-way shift
    const p: Vec3 = [X0, 0, 1];
    const two = pathDopplerHz(
      [[0, 0, 1], p, [0, 0, 1]],
      [
        [0, 0, 0],
        [-v, 0, 0],
        [0, 0, 0],
      ],
      LAMBDA,
    );
    expect(two / ((2 * v) / LAMBDA)).toBeCloseTo(1, 12);
    // a transmission (straight through a moving slab) adds nothing
    const through = pathDopplerHz(
      [
        [0, 0, 0],
        [1, 0, 0],
        [2, 0, 0],
      ],
      [
        [0, 0, 0],
        [5, 1, 0],
        [0, 0, 0],
      ],
      LAMBDA,
    );
    expect(Math.abs(through)).toBeLessThan(1e-9);
  });

  it('the Doppler spread is the power-weighted RMS about the weighted mean', () => {
    const d = dopplerSpread([10, -10], [1, 3]);
    expect(d.mean).toBeCloseTo(-5, 12);
    expect(d.rms).toBeCloseTo(Math.sqrt((1 * 225 + 3 * 25) / 4), 12);
  });
});
