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
  it('the shortest of Tx–Rx and the spreading distances along each path, in wavelengths', () => {
    const tx: Vec3 = [0, 0, 1];
    const rx: Vec3 = [1, 0, 1];
    expect(nearFieldCheck(tx, rx, [], F)).toEqual({
      shortestDistanceM: 1,
      wavelengths: 1 / lambda,
      nearField: false,
    });
    const path = (type: 'reflection' | 'scattering' | 'diffraction', point: Vec3) => ({
      kind: 'specular' as const,
      interactions: [{ type, objectIndex: 0, faceIndex: 0, point }],
      length: 0,
    });
    // an interaction 1 mm from the receiver: 0.093 λ
    const near: Vec3 = [0.999, 0, 0.999];
    const legs = [Math.hypot(0.999, 0.001), Math.SQRT2 * 1e-3];
    // a reflection does not restart the spreading (image source): the unfolded length counts
    const reflected = nearFieldCheck(tx, rx, [path('reflection', near)], F);
    expect(reflected.shortestDistanceM).toBe(1); // Tx–Rx, shorter than the unfolded legs[0] + legs[1]
    expect(reflected.nearField).toBe(false);
    // scattering and diffraction do: the Rx is 1 mm from the point the wave spreads from
    for (const type of ['scattering', 'diffraction'] as const) {
      const c = nearFieldCheck(tx, rx, [path(type, near)], F);
      expect(c.shortestDistanceM, type).toBeCloseTo(legs[1]!, 12);
      expect(c.nearField, type).toBe(true);
      // the same read from the other end (reciprocal)
      expect(nearFieldCheck(rx, tx, [path(type, near)], F)).toEqual(c);
    }
    // two reflections 1 cm apart in a corner, far from both ends: not near field
    const corner = {
      kind: 'specular' as const,
      interactions: [
        { type: 'reflection' as const, objectIndex: 0, faceIndex: 0, point: [0.5, 2, 1] as Vec3 },
        { type: 'reflection' as const, objectIndex: 0, faceIndex: 1, point: [0.51, 2, 1] as Vec3 },
      ],
      length: 0,
    };
    expect(nearFieldCheck(tx, rx, [corner], F).shortestDistanceM).toBe(1);
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
    // the ground reflection's legs are √(5² + 1.5²) = 5.2 m each, but a reflection does not restart
    // the spreading: its unfolded length √(10² + 3²) is longer than the 10 m LoS
    expect(far!.paths.some((p) => p.kind === 'specular')).toBe(true);
    expect(far!.nearField.shortestDistanceM).toBeCloseTo(10, 9);
  });
});
