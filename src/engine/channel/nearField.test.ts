import { describe, expect, it } from 'vitest';
import { wavelength } from '../core/constants.ts';
import type { Vec3 } from '../core/vec3.ts';
import { resolveSceneMaterials } from '../materials/radioMaterial.ts';
import { quad, sceneFromMeshes } from '../tracer/cpu/testScenes.ts';
import { Channel } from './channel.ts';
import { NEAR_FIELD_WAVELENGTHS, nearFieldCheck } from './nearField.ts';
import { channelSettings } from './settings.ts';

/** Near-field guard (docs/physics.md §2): links too short for ray optics are flagged. */
const F = 28e9;
const lambda = wavelength(F);

describe('near-field guard', () => {
  it('the shortest of Tx–Rx and every path segment, in wavelengths', () => {
    const tx: Vec3 = [0, 0, 1];
    const rx: Vec3 = [1, 0, 1];
    expect(nearFieldCheck(tx, rx, [], F)).toEqual({
      shortestDistanceM: 1,
      wavelengths: 1 / lambda,
      nearField: false,
    });
    // a reflection 1 mm below the receiver: its last segment is 0.093 λ
    const geometry = {
      kind: 'specular' as const,
      interactions: [
        { type: 'reflection' as const, objectIndex: 0, faceIndex: 0, point: [0.999, 0, 0.999] as Vec3 },
      ],
      length: 0,
    };
    const c = nearFieldCheck(tx, rx, [geometry], F);
    expect(c.shortestDistanceM).toBeCloseTo(Math.SQRT2 * 1e-3, 12);
    expect(c.nearField).toBe(true);
    // the threshold: NEAR_FIELD_WAVELENGTHS·λ
    const at = (d: number) => nearFieldCheck(tx, [tx[0] + d, tx[1], tx[2]], [], F).nearField;
    expect(at(NEAR_FIELD_WAVELENGTHS * lambda * 0.999)).toBe(true);
    expect(at(NEAR_FIELD_WAVELENGTHS * lambda * 1.001)).toBe(false);
  });

  it('a receiver 1 nm from the transmitter is flagged (it would report +118 dB), one 10 m away is not', async () => {
    const scene = sceneFromMeshes('ground', [
      quad('ground', 'itu_concrete', [-50, -50, 0], [50, -50, 0], [50, 50, 0], [-50, 50, 0]),
    ]);
    const channel = await Channel.open(scene, channelSettings({ frequencyHz: F }), { backend: 'cpu' });
    const tx: Vec3 = [0, 0, 1.5];
    const [near, far] = await channel.traceLinks(
      [
        { tx, rx: [1e-9, 0, 1.5] },
        { tx, rx: [10, 0, 1.5] },
      ],
      resolveSceneMaterials(scene.materials, F),
    );
    // Friis at 1 nm: (λ/(4π·1e-9))² = +118.6 dB
    expect(near!.metrics.pathGainDb).toBeGreaterThan(118);
    expect(near!.nearField.nearField).toBe(true);
    expect(near!.nearField.shortestDistanceM).toBeCloseTo(1e-9, 15);
    expect(far!.nearField.nearField).toBe(false);
    // the ground reflection's legs, √(5² + 1.5²), are shorter than the 10 m LoS
    expect(far!.nearField.shortestDistanceM).toBeCloseTo(Math.hypot(5, 1.5), 9);
  });
});
