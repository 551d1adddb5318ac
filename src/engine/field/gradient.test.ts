import { describe, expect, it } from 'vitest';
import { type Complex, cabs } from '../core/complex.ts';
import { VACUUM_PERMITTIVITY } from '../core/constants.ts';
import type { Vec3 } from '../core/vec3.ts';
import type { RadioParameters } from '../materials/radioMaterial.ts';
import type { Scene } from '../scene/types.ts';
import type { PathGeometry } from '../tracer/path.ts';
import {
  evaluatePaths,
  evaluatePathsJacobian,
  evaluatePathsWithGradient,
  type FieldOptions,
  MATERIAL_PARAMETERS,
  type MaterialParameter,
  parameterKey,
} from './index.ts';
import { meshScene, quad, wedgeScene } from './testScenes.ts';

/**
 * Exact derivatives (issue 5 acceptance 1, CPU): every ∂a/∂θ against central finite differences
 * in float64 (5-point stencil, O(h⁴)), within 1e-5 relative. The step of each parameter is chosen
 * so that η (or the slab phase) moves by ~1e-4 relative: large enough that rounding (≈ ε·|a|/h)
 * stays far below the tolerance, small enough that the h⁴ truncation does too. Derivatives that
 * are exactly zero (thickness in the half-space model, S where a does not depend on it) must come
 * out zero to within that rounding floor.
 */
const F = 28e9;
const OMEGA_EPS0 = VACUUM_PERMITTIVITY * 2 * Math.PI * F;

const FIELD_OF: Record<MaterialParameter, keyof RadioParameters> = {
  relative_permittivity: 'relativePermittivity',
  conductivity: 'conductivity',
  scattering_coefficient: 'scatteringCoefficient',
  thickness: 'thickness',
};

function step(p: RadioParameters, param: MaterialParameter): number {
  const etaAbs = Math.hypot(p.relativePermittivity, p.conductivity / OMEGA_EPS0);
  switch (param) {
    case 'relative_permittivity':
      return 1e-4 * etaAbs;
    case 'conductivity':
      return Math.min(1e-4 * etaAbs * OMEGA_EPS0, 0.2 * p.conductivity);
    case 'scattering_coefficient':
      return 1e-4;
    case 'thickness':
      return 1e-5;
  }
}

function checkGradients(
  scene: Scene,
  tx: Vec3,
  rx: Vec3,
  geos: PathGeometry[],
  materials: Record<string, RadioParameters>,
  options: FieldOptions,
  expectedMaterials: string[][],
): void {
  const { paths, gradients } = evaluatePathsWithGradient(scene, tx, rx, geos, materials, options);
  const base = evaluatePaths(scene, tx, rx, geos, materials, options);
  paths.forEach((p, i) => {
    // the value chain (evaluateFrames) and the chain with derivatives agree
    expect(Math.hypot(p.a.re - base[i]!.a.re, p.a.im - base[i]!.a.im)).toBeLessThan(1e-13 * cabs(p.a));
    expect(p.delay).toBe(base[i]!.delay);
    expect(cabs(p.a)).toBeGreaterThan(0);
  });
  // the dense Jacobian carries the same numbers (and zeros for keys a path does not touch)
  const allKeys = [
    ...Object.keys(materials).flatMap((m) => MATERIAL_PARAMETERS.map((q) => parameterKey(m, q))),
    'none:conductivity',
  ];
  const { jacobian } = evaluatePathsJacobian(scene, tx, rx, geos, materials, options, allKeys);
  gradients.forEach((g, i) => {
    allKeys.forEach((k, c) => {
      const d = g.get(k) ?? { re: 0, im: 0 };
      expect(jacobian[i]![2 * c]).toBe(d.re);
      expect(jacobian[i]![2 * c + 1]).toBe(d.im);
    });
  });
  // a Jacobian of one key (the chain then skips the tangents and the coefficient derivatives no
  // requested column reads) carries the same numbers
  allKeys.forEach((k, c) => {
    const one = evaluatePathsJacobian(scene, tx, rx, geos, materials, options, [k]).jacobian;
    one.forEach((row, i) => {
      expect(row[0], k).toBe(jacobian[i]![2 * c]);
      expect(row[1], k).toBe(jacobian[i]![2 * c + 1]);
    });
  });
  gradients.forEach((g, i) => {
    const keys = expectedMaterials[i]!.flatMap((m) => MATERIAL_PARAMETERS.map((q) => parameterKey(m, q)));
    expect([...g.keys()].sort()).toEqual(keys.sort());
  });
  for (const id of Object.keys(materials)) {
    for (const param of MATERIAL_PARAMETERS) {
      const h = step(materials[id]!, param);
      const at = (k: number): Complex[] => {
        const m = {
          ...materials,
          [id]: { ...materials[id]!, [FIELD_OF[param]]: materials[id]![FIELD_OF[param]] + k * h },
        };
        return evaluatePaths(scene, tx, rx, geos, m, options).map((p) => p.a);
      };
      const p2 = at(2);
      const p1 = at(1);
      const m1 = at(-1);
      const m2 = at(-2);
      gradients.forEach((g, i) => {
        const fd: Complex = {
          re: (8 * (p1[i]!.re - m1[i]!.re) - (p2[i]!.re - m2[i]!.re)) / (12 * h),
          im: (8 * (p1[i]!.im - m1[i]!.im) - (p2[i]!.im - m2[i]!.im)) / (12 * h),
        };
        const exact = g.get(parameterKey(id, param));
        if (!exact) {
          // a path that does not touch the material does not depend on it
          expect(cabs(fd), `${id}:${param} path ${i}`).toBe(0);
          return;
        }
        const floor = (1e-12 * cabs(paths[i]!.a)) / h;
        const err = Math.hypot(fd.re - exact.re, fd.im - exact.im);
        expect(
          err,
          `${id}:${param} path ${i}: exact ${exact.re},${exact.im} fd ${fd.re},${fd.im}`,
        ).toBeLessThanOrEqual(1e-5 * cabs(exact) + floor);
      });
    }
  }
}

const radio = (
  relativePermittivity: number,
  conductivity: number,
  scatteringCoefficient: number,
  thickness: number,
  xpdCoefficient = 0,
): RadioParameters => ({
  relativePermittivity,
  conductivity,
  scatteringCoefficient,
  thickness,
  xpdCoefficient,
});

// ground z = 0 (object 0, face 0, brick-like) and a wall x = 5 facing −x (object 1, face 1, glass-like)
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
const materials = {
  ground: radio(3.91, 0.0406, 0.3, 0.12, 0.2),
  wall: radio(6.31, 0.3123, 0.2, 0.05),
};
const TX: Vec3 = [0, 0, 2];
const RX_BEYOND: Vec3 = [10, 3, 4];
const RX_SAME_SIDE: Vec3 = [1, 4, 1.5];

const it_ = (
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

for (const model of ['slab', 'halfspace'] as const) {
  const options: FieldOptions = {
    frequencyHz: F,
    materialModel: model,
    txAntenna: { pattern: 'dipole', polarization: '+45' },
    rxAntenna: { pattern: 'iso', polarization: 'V' },
  };
  // the half-space model transmits nothing (a half-space has no far side, docs/physics.md §4):
  // the paths through the wall are checked with the slab model only
  const transmits = model === 'slab';
  describe(`exact derivatives vs finite differences (${model})`, () => {
    if (transmits)
      it('reflection (ground) + transmission (wall), and transmission alone', () => {
        const geos: PathGeometry[] = [
          {
            kind: 'specular',
            interactions: [it_('reflection', 0, [10 / 3, 1, 0]), it_('transmission', 1, [5, 1.5, 1])],
            length: 0,
          },
          { kind: 'specular', interactions: [it_('transmission', 1, [5, 1.5, 3])], length: 0 },
        ];
        checkGradients(scene, TX, RX_BEYOND, geos, materials, options, [['ground', 'wall'], ['wall']]);
      });
    it('reflection alone and double reflection (wall then ground)', () => {
      // Tx → wall → ground → Rx by images: Rx′ = (1, 4, −1.5) in the ground, Rx″ = (9, 4, −1.5) in
      // the wall; Tx→Rx″ meets the wall at t = 5/9, then the ground 1/28 of the way to Rx′.
      const pw: Vec3 = [5, 20 / 9, 1 / 18];
      const pg: Vec3 = [5 - 4 / 28, 20 / 9 + 16 / 9 / 28, 0];
      const geos: PathGeometry[] = [
        { kind: 'specular', interactions: [it_('reflection', 0, [4 / 7, 16 / 7, 0])], length: 0 },
        { kind: 'specular', interactions: [it_('reflection', 1, pw), it_('reflection', 0, pg)], length: 0 },
      ];
      checkGradients(scene, TX, RX_SAME_SIDE, geos, materials, options, [['ground'], ['wall', 'ground']]);
    });
    it('scattering (with XPD) after a wall reflection, and before a wall transmission (slab)', () => {
      const geosSame: PathGeometry[] = [
        {
          kind: 'scattered',
          interactions: [it_('reflection', 1, [5, 1.875, 0.75]), it_('scattering', 0, [2, 3, 0], 0.01)],
          length: 0,
        },
      ];
      checkGradients(scene, TX, RX_SAME_SIDE, geosSame, materials, options, [['wall', 'ground']]);
      if (!transmits) return;
      const geosBeyond: PathGeometry[] = [
        {
          kind: 'scattered',
          interactions: [it_('scattering', 0, [2, 1, 0], 0.01), it_('transmission', 1, [5, 1.75, 1.5])],
          length: 0,
        },
      ];
      checkGradients(scene, TX, RX_BEYOND, geosBeyond, materials, options, [['ground', 'wall']]);
    });
    it('edge diffraction on a wedge of two materials (shadow and lit side, either face as 0-face)', () => {
      const wedge = wedgeScene('w0', 200, 200, 'wn');
      const wm = { w0: radio(5.24, 0.626, 0.4, 0.2), wn: radio(1.99, 0.1672, 0.1, 0.03) };
      const H = 100;
      const edge = { start: [0, 0, -H] as Vec3, end: [0, 0, H] as Vec3, otherFaceIndex: 1 };
      // angles about the edge from face 0 (direction −x) into free space (0°…270°); a source at
      // φ′ = 200° is nearer the n-face than the first two observers, so the UTD 0-face is face n
      // there (field/diffraction.ts luebbersFaces) and the faces' materials trade roles
      for (const [src, obs] of [
        [
          [-2, 3.4641016151377544, 1],
          [2, -5, -0.5],
        ], // φ′ = 60° → shadow (φ ≈ 248°)
        [
          [-2, 3.4641016151377544, 1],
          [3, 4, 0.7],
        ], // lit (φ ≈ 127°)
        [
          [-2, 3.4641016151377544, 1],
          [1, -0.2, 2],
        ], // near the n-face (φ ≈ 191°)
        [
          [3.7587704831436337, -1.3680805733026746, 0.4],
          [3, 4, 0.7],
        ], // φ′ = 200° → φ ≈ 127°
        [
          [3.7587704831436337, -1.3680805733026746, 0.4],
          [1, -0.2, 2],
        ], // φ′ = 200° → φ ≈ 191°
        [
          [3.7587704831436337, -1.3680805733026746, 0.4],
          [2, -5, -0.5],
        ], // φ′ = 200° → φ ≈ 248°
      ] as [Vec3, Vec3][]) {
        const rs = Math.hypot(src[0], src[1]);
        const ro = Math.hypot(obs[0], obs[1]);
        const z = src[2] + ((obs[2] - src[2]) * rs) / (rs + ro);
        const geos: PathGeometry[] = [
          {
            kind: 'diffracted',
            interactions: [{ type: 'diffraction', objectIndex: 0, faceIndex: 0, point: [0, 0, z], edge }],
            length: 0,
          },
        ];
        checkGradients(wedge, src, obs, geos, wm, options, [['w0', 'wn']]);
      }
    });
  });
}
