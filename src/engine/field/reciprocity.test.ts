import { describe, expect, it } from 'vitest';
import type { Vec3 } from '../core/vec3.ts';
import type { RadioParameters } from '../materials/radioMaterial.ts';
import type { Scene } from '../scene/types.ts';
import type { PathGeometry } from '../tracer/path.ts';
import type { Polarization } from './antenna.ts';
import { evaluatePaths, type FieldOptions } from './index.ts';
import { meshScene, quad, wedgeScene } from './testScenes.ts';

/**
 * Reciprocity: swapping transmitter and receiver (and reversing the interaction order) leaves
 * a unchanged for identical antennas, for every interaction type: a check of the ⊥/∥ and
 * edge-fixed basis conventions that no single-interaction magnitude test sees.
 */
const F = 28e9;
const radio = (er: number, s: number, S: number, d: number, kx = 0): RadioParameters => ({
  relativePermittivity: er,
  conductivity: s,
  scatteringCoefficient: S,
  thickness: d,
  xpdCoefficient: kx,
});

function checkReciprocal(
  scene: Scene,
  tx: Vec3,
  rx: Vec3,
  g: PathGeometry,
  materials: Record<string, RadioParameters>,
) {
  const reversed: PathGeometry = { ...g, interactions: [...g.interactions].reverse() };
  for (const pol of ['V', 'H', '+45', '-45'] as Polarization[]) {
    for (const model of ['slab', 'halfspace'] as const) {
      const o: FieldOptions = {
        frequencyHz: F,
        materialModel: model,
        txAntenna: { pattern: 'dipole', polarization: pol },
        rxAntenna: { pattern: 'dipole', polarization: pol },
      };
      const [ab] = evaluatePaths(scene, tx, rx, [g], materials, o);
      const [ba] = evaluatePaths(scene, rx, tx, [reversed], materials, o);
      const scale = Math.hypot(ab!.a.re, ab!.a.im);
      expect(scale).toBeGreaterThan(0);
      expect(Math.hypot(ab!.a.re - ba!.a.re, ab!.a.im - ba!.a.im), `${pol} ${model}`).toBeLessThan(
        1e-12 * scale,
      );
      expect(ab!.delay).toBe(ba!.delay);
    }
  }
}

const scene = meshScene('ground+wall', [
  quad('ground', 'ground', [
    [-50, -50, 0],
    [50, -50, 0],
    [50, 50, 0],
    [-50, 50, 0],
  ]),
  quad('wall', 'wall', [
    [5, -50, -1],
    [5, 50, -1],
    [5, 50, 20],
    [5, -50, 20],
  ]),
]);
const materials = { ground: radio(3.91, 0.0406, 0.3, 0.12, 0.2), wall: radio(6.31, 0.3123, 0.2, 0.05) };
const step = (
  type: 'reflection' | 'transmission' | 'scattering',
  objectIndex: number,
  point: Vec3,
  area?: number,
) => ({
  type,
  objectIndex,
  faceIndex: objectIndex,
  point,
  ...(area === undefined ? {} : { area }),
});

describe('reciprocity of the field (swap Tx and Rx)', () => {
  it('reflection + transmission', () => {
    checkReciprocal(
      scene,
      [0, 0, 2],
      [10, 3, 4],
      {
        kind: 'specular',
        interactions: [step('reflection', 0, [10 / 3, 1, 0]), step('transmission', 1, [5, 1.5, 1])],
        length: 0,
      },
      materials,
    );
  });
  it('double reflection', () => {
    checkReciprocal(
      scene,
      [0, 0, 2],
      [1, 4, 1.5],
      {
        kind: 'specular',
        interactions: [
          step('reflection', 1, [5, 20 / 9, 1 / 18]),
          step('reflection', 0, [5 - 4 / 28, 20 / 9 + 16 / 9 / 28, 0]),
        ],
        length: 0,
      },
      materials,
    );
  });
  it('Lambertian scattering with cross-polarization (perfect conductor)', () => {
    // With a dielectric the diffuse field is not reciprocal by construction (as in Sionna RT):
    // it carries the reflection coefficient at the incidence angle, which differs from the
    // scattering angle. With |r| = 1 at every angle, what remains is a check of the bases.
    const pec = { ...materials, ground: { ...materials.ground, conductivity: 1e30 } };
    checkReciprocal(
      scene,
      [0, 0, 2],
      [1, 4, 1.5],
      { kind: 'scattered', interactions: [step('scattering', 0, [2, 3, 0], 0.01)], length: 0 },
      pec,
    );
  });
  it('edge diffraction (perfect conductor)', () => {
    // Luebbers' heuristic takes R0 at the source's angle and Rn at the observer's, so with
    // dielectric faces it is reciprocal only up to the angular variation of r; with |r| = 1 exact.
    const wedge = wedgeScene('w0', 200, 200, 'wn');
    const wm = { w0: radio(5.24, 1e30, 0.4, 0.2), wn: radio(1.99, 1e30, 0.1, 0.03) };
    const src: Vec3 = [-2, 3.4641016151377544, 1];
    const obs: Vec3 = [2, -5, -0.5];
    const rs = Math.hypot(src[0], src[1]);
    const ro = Math.hypot(obs[0], obs[1]);
    const z = src[2] + ((obs[2] - src[2]) * rs) / (rs + ro);
    const edge = { start: [0, 0, -100] as Vec3, end: [0, 0, 100] as Vec3, otherFaceIndex: 1 };
    // seen from the observer the same edge is described with the same faces (the frame is oriented by the source)
    checkReciprocal(
      wedge,
      src,
      obs,
      {
        kind: 'diffracted',
        interactions: [{ type: 'diffraction', objectIndex: 0, faceIndex: 0, point: [0, 0, z], edge }],
        length: 0,
      },
      wm,
    );
  });
});
