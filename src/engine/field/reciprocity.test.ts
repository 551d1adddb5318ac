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
  // the half-space model transmits nothing (docs/physics.md §4): transmission paths use the slab
  models: readonly ('slab' | 'halfspace')[] = ['slab', 'halfspace'],
) {
  const reversed: PathGeometry = { ...g, interactions: [...g.interactions].reverse() };
  for (const pol of ['V', 'H', '+45', '-45'] as Polarization[]) {
    for (const model of models) {
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
      ['slab'],
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
  it('Lambertian scattering on a dielectric: Γ at the half-vector angle makes a reciprocal (Kx = 0)', () => {
    // the diffuse field takes the reflection coefficient at the facet angle cos θh = √((1 − k̂i·k̂s)/2),
    // the same both ways, and the Lambertian factor cos θi·cos θs/π is symmetric (§7)
    const plain = { ...materials, ground: { ...materials.ground, xpdCoefficient: 0 } };
    checkReciprocal(
      scene,
      [0, 0, 2],
      [1, 4, 1.5],
      { kind: 'scattered', interactions: [step('scattering', 0, [2, 3, 0], 0.01)], length: 0 },
      plain,
    );
  });
  it('Lambertian scattering with cross-polarization (perfect conductor)', () => {
    // Kx > 0 puts the cross-polarised part in quadrature after r⊥, r∥: reciprocal in power for any
    // material, in complex amplitude only where r∥ = −r⊥ (a perfect conductor). A check of the bases.
    const pec = { ...materials, ground: { ...materials.ground, conductivity: 1e30 } };
    checkReciprocal(
      scene,
      [0, 0, 2],
      [1, 4, 1.5],
      { kind: 'scattered', interactions: [step('scattering', 0, [2, 3, 0], 0.01)], length: 0 },
      pec,
    );
  });
  it('edge diffraction on a dielectric wedge of two materials, both ends on either face (§8 0-face rule)', () => {
    // Luebbers' R0 at the source's angle and Rn at the observer's: with the 0-face the face the
    // source illuminates, a swap swaps the faces and each keeps its coefficient at the same end
    const wedge = wedgeScene('w0', 200, 200, 'wn');
    const wm = { w0: radio(5.24, 0.626, 0.4, 0.2), wn: radio(1.99, 0.1672, 0.1, 0.03) };
    const edge = { start: [0, 0, -100] as Vec3, end: [0, 0, 100] as Vec3, otherFaceIndex: 1 };
    const at = (r: number, deg: number, z: number): Vec3 => [
      -r * Math.cos((deg * Math.PI) / 180),
      r * Math.sin((deg * Math.PI) / 180),
      z,
    ];
    // angles about the edge from face 0 (direction −x) into free space (0°…270°)
    for (const [src, obs] of [
      [at(4, 60, 1), at(5.4, 248, -0.5)], // lit face 0 → shadow behind face n
      [at(4, 20, 1), at(6, 70, 0.3)], // both nearer face 0
      [at(3, 200, 0.2), at(5, 250, 2)], // both nearer face n
      [at(5, 135, -1), at(5, 140, 1)], // near the bisector
    ] as [Vec3, Vec3][]) {
      const rs = Math.hypot(src[0], src[1]);
      const ro = Math.hypot(obs[0], obs[1]);
      const z = src[2] + ((obs[2] - src[2]) * rs) / (rs + ro);
      // the same interaction record both ways (the tracer's record does not depend on the direction)
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
    }
  });
  it('free-edge diffraction of a dielectric plate (half-plane, the same 0-face rule)', () => {
    // plate in x = 0 for y ≥ 0; its edge is the z axis; one material on both sides
    const plate = meshScene('plate', [
      quad('plate', 'glass', [
        [0, 0, -100],
        [0, 100, -100],
        [0, 100, 100],
        [0, 0, 100],
      ]),
    ]);
    const pm = { glass: radio(6.31, 0.3123, 0.2, 0.05) };
    const edge = { start: [0, 0, -100] as Vec3, end: [0, 0, 100] as Vec3, otherFaceIndex: -1 };
    for (const [src, obs] of [
      [
        [-3, 2, 1],
        [4, 1.5, -0.5],
      ],
      [
        [-3, 2, 1],
        [-2, -4, 0.3],
      ],
      [
        [2, 5, 0.5],
        [3, -1, 1.2],
      ],
    ] as [Vec3, Vec3][]) {
      const rs = Math.hypot(src[0], src[1]);
      const ro = Math.hypot(obs[0], obs[1]);
      const z = src[2] + ((obs[2] - src[2]) * rs) / (rs + ro);
      checkReciprocal(
        plate,
        src,
        obs,
        {
          kind: 'diffracted',
          interactions: [{ type: 'diffraction', objectIndex: 0, faceIndex: 0, point: [0, 0, z], edge }],
          length: 0,
        },
        pm,
      );
    }
  });
});
