import { describe, expect, it } from 'vitest';
import { Channel } from '../channel/channel.ts';
import { channelSettings } from '../channel/settings.ts';
import { SPEED_OF_LIGHT } from '../core/constants.ts';
import type { Vec3 } from '../core/vec3.ts';
import type { AntennaSpec } from '../field/antenna.ts';
import { resolveSceneMaterials } from '../materials/radioMaterial.ts';
import type { Scene } from '../scene/types.ts';
import { cuboid, quad, sceneFromMeshes } from '../tracer/cpu/testScenes.ts';
import type { Path } from '../tracer/path.ts';
import type { ArraySpec } from './array.ts';
import { beamLink } from './beamChannel.ts';
import { type BeamSet, channelAntenna, sectorCodebook, steeredCodebook } from './codebook.ts';

const F = 28e9;
const LAMBDA = SPEED_OF_LIGHT / F;

async function pathsOf(
  scene: Scene,
  tx: Vec3,
  rx: Vec3,
  txSet: BeamSet,
  rxSet: BeamSet,
  depth: number,
): Promise<Path[]> {
  const settings = channelSettings({
    frequencyHz: F,
    maxDepth: depth,
    diffraction: false,
    scattering: false,
    transmission: false,
    txAntenna: channelAntenna(txSet),
    rxAntenna: channelAntenna(rxSet),
  });
  const channel = await Channel.open(scene, settings, { backend: 'cpu' });
  const [link] = await channel.traceLinks([{ tx, rx }], resolveSceneMaterials(scene.materials, F));
  return link!.paths;
}

/** An element of the tr38901 pattern whose boresight points from `from` to `to` (yaw, then pitch). */
function pointing(from: Vec3, to: Vec3): AntennaSpec {
  const d = [to[0] - from[0], to[1] - from[1], to[2] - from[2]];
  const yaw = Math.atan2(d[1]!, d[0]!);
  const el = Math.atan2(d[2]!, Math.hypot(d[0]!, d[1]!));
  // Ry(β) turns +x to (cos β, 0, −sin β): pitch β = −elevation
  return { pattern: 'tr38901', polarization: 'V', orientation: [yaw, -el, 0] };
}

describe('beamformed channel from traced paths (issue 15, acceptance 2)', () => {
  it('free space, both arrays steered at each other: Friis + element gains + 10·log10(Nt·Nr) within 0.01 dB', async () => {
    // a far plate only so that the scene is not empty; LoS only at depth 0
    const scene = sceneFromMeshes('free', [
      quad('far', 'itu_concrete', [-1, -1, -500], [1, -1, -500], [1, 1, -500], [-1, 1, -500]),
    ]);
    const tx: Vec3 = [0, 0, 3];
    for (const rx of [
      [10, 3, 1.5],
      [-4, 7, 2.5],
      [25, -12, 1],
    ] as Vec3[]) {
      const txArray: ArraySpec = { ny: 8, nz: 8, spacing: 0.5, element: pointing(tx, rx) };
      const rxArray: ArraySpec = { ny: 4, nz: 4, spacing: 0.5, element: pointing(rx, tx) };
      const txSet = steeredCodebook(txArray, tx, rx);
      const rxSet = steeredCodebook(rxArray, rx, tx);
      const paths = await pathsOf(scene, tx, rx, txSet, rxSet, 0);
      expect(paths).toHaveLength(1);
      const d = Math.hypot(rx[0] - tx[0], rx[1] - tx[1], rx[2] - tx[2]);
      const friisDb = 20 * Math.log10(LAMBDA / (4 * Math.PI * d));
      const expected = friisDb + 8 + 8 + 10 * Math.log10(64) + 10 * Math.log10(16);
      const link = beamLink(paths, txSet, rxSet, { frequencyHz: F, bandwidthHz: 2.16e9 });
      expect(Math.abs(10 * Math.log10(link.gain(0, 0)) - expected)).toBeLessThan(0.01);
    }
  });

  it('two rays, LoS blocked: the best pair points along the reflection; unblocked: along the LoS', async () => {
    // metal wall at y = 5, Tx and Rx 10 m apart on y = 0, a metal block between them on the LoS
    const wall = quad('wall', 'itu_metal', [-20, 5, -10], [30, 5, -10], [30, 5, 10], [-20, 5, 10]);
    const block = cuboid('block', 'itu_metal', [4.5, -1, -5], [5.5, 1, 5]);
    const tx: Vec3 = [0, 0, 1.5];
    const rx: Vec3 = [10, 0, 1.5];
    const iso = { pattern: 'iso', polarization: 'V' } as const;
    // 8-element ULAs, the Tx facing +x, the Rx facing −x, 16 sectors each (7.5° apart)
    const txSet = sectorCodebook({ ny: 8, nz: 1, spacing: 0.5, element: iso }, 16);
    const rxSet = sectorCodebook(
      { ny: 8, nz: 1, spacing: 0.5, element: { ...iso, orientation: [Math.PI, 0, 0] } },
      16,
    );
    const az = (v: Vec3) => (Math.atan2(v[1], v[0]) * 180) / Math.PI;
    const gap = (a: number, b: number) => Math.abs(((a - b + 540) % 360) - 180);
    for (const [blocked, aod, aoa] of [
      [true, 45, 135],
      [false, 0, 180],
    ] as const) {
      const scene = sceneFromMeshes('two-ray', blocked ? [wall, block] : [wall]);
      const paths = await pathsOf(scene, tx, rx, txSet, rxSet, 1);
      expect(paths.map((p) => p.kind).sort()).toEqual(blocked ? ['specular'] : ['los', 'specular']);
      const link = beamLink(paths, txSet, rxSet, { frequencyHz: F, bandwidthHz: 2.16e9 });
      const best = link.exhaustive();
      // the sector nearest the ray: within half the 7.5° sector spacing
      expect(gap(az(txSet.beams[best.tx]!.direction!), aod)).toBeLessThanOrEqual(3.75 + 1e-9);
      expect(gap(az(rxSet.beams[best.rx]!.direction!), aoa)).toBeLessThanOrEqual(3.75 + 1e-9);
      // the matrix holds the same optimum
      const m = link.gainMatrix();
      expect(Math.max(...m)).toBe(best.gain);
      expect(m[best.tx * 16 + best.rx]).toBe(best.gain);
    }
  });

  it('wideband: two paths in one 2.16 GHz tap add as fields, in different taps as powers; diffuse as power', () => {
    const iso = { pattern: 'iso', polarization: 'V' } as const;
    const one = sectorCodebook({ ny: 1, nz: 1, spacing: 0.5, element: iso }, 1);
    const path = (delay: number, a: number, kind: Path['kind'] = 'specular'): Path => ({
      kind,
      interactions: [],
      length: delay * SPEED_OF_LIGHT,
      a: { re: a, im: 0 },
      delay,
      aod: { azimuthDeg: 0, elevationDeg: 0 },
      aoa: { azimuthDeg: 180, elevationDeg: 0 },
    });
    const opts = { frequencyHz: F, bandwidthHz: 2.16e9 };
    const t0 = 10e-9;
    // half a carrier period apart (0.018 ns, same tap): they cancel
    const half = 0.5 / F;
    expect(beamLink([path(t0, 1), path(t0 + half, 1)], one, one, opts).gain(0, 0)).toBeLessThan(1e-20);
    // one carrier period apart: |1 + 1|² = 4
    expect(beamLink([path(t0, 1), path(t0 + 1 / F, 1)], one, one, opts).gain(0, 0)).toBeCloseTo(4, 9);
    // 2 ns apart (4.3 taps): powers add whatever the phase
    expect(beamLink([path(t0, 1), path(t0 + 2e-9 + half, 1)], one, one, opts).gain(0, 0)).toBeCloseTo(2, 12);
    // a diffuse sample in the same tap adds as power
    expect(beamLink([path(t0, 1), path(t0 + half, 0.5, 'scattered')], one, one, opts).gain(0, 0)).toBeCloseTo(
      1.25,
      12,
    );
  });
});
