import { describe, expect, it } from 'vitest';
import { dot, type Vec3 } from '../core/vec3.ts';
import type { PathGeometry } from '../tracer/path.ts';
import type { AntennaSpec } from './antenna.ts';
import { evaluatePaths } from './index.ts';
import { ituRadio, meshScene, quad } from './testScenes.ts';

/**
 * Image theory for perfect conductors, an independent check of the polarization bookkeeping
 * through 3-D multi-bounce chains: the field reflected by PEC planes equals the field of the
 * image source, and the image of a vertical (ẑ) dipole is +ẑ in a horizontal plane and −ẑ in a
 * vertical one. So a reflected path equals (−1)^(vertical bounces) × the LoS field of the final
 * image — whatever the angles (the fields are not purely ⊥ or ∥ here).
 */
const F = 28e9;
const BIG = 100;
// floor z = 0 (object 0), wall x = 0 (object 1), wall y = 0 (object 2); all PEC
const scene = meshScene('corner', [
  quad('floor', 'pec', [
    [-BIG, -BIG, 0],
    [BIG, -BIG, 0],
    [BIG, BIG, 0],
    [-BIG, BIG, 0],
  ]),
  quad('wallX', 'pec', [
    [0, -BIG, -BIG],
    [0, BIG, -BIG],
    [0, BIG, BIG],
    [0, -BIG, BIG],
  ]),
  quad('wallY', 'pec', [
    [-BIG, 0, -BIG],
    [-BIG, 0, BIG],
    [BIG, 0, BIG],
    [BIG, 0, -BIG],
  ]),
]);
const PLANES: { n: Vec3; vertical: boolean }[] = [
  { n: [0, 0, 1], vertical: false },
  { n: [1, 0, 0], vertical: true },
  { n: [0, 1, 0], vertical: true },
];
const mirror = (p: Vec3, n: Vec3): Vec3 => {
  const d = dot(p, n);
  return [p[0] - 2 * d * n[0], p[1] - 2 * d * n[1], p[2] - 2 * d * n[2]];
};
/** Reflection points by the image method for planes through the origin with normals n. */
function imagePath(
  tx: Vec3,
  rx: Vec3,
  seq: number[],
): { geometry: PathGeometry; image: Vec3; valid: boolean } {
  const images: Vec3[] = [tx];
  for (const k of seq) images.push(mirror(images[images.length - 1]!, PLANES[k]!.n));
  const points: Vec3[] = new Array(seq.length);
  let target = rx;
  let valid = true;
  for (let j = seq.length - 1; j >= 0; j--) {
    const n = PLANES[seq[j]!]!.n;
    const from = images[j + 1]!;
    const t = dot(from, n) / (dot(from, n) - dot(target, n));
    const p: Vec3 = [
      from[0] + t * (target[0] - from[0]),
      from[1] + t * (target[1] - from[1]),
      from[2] + t * (target[2] - from[2]),
    ];
    points[j] = p;
    target = p;
    // a real path: each bounce between its neighbours, inside the corner and not on one of its
    // edges (a bounce exactly into the edge leaves the segment between the two walls of zero length)
    if (!(t > 0 && t < 1) || p.some((x, axis) => x < 1e-6 && n[axis] === 0)) valid = false;
  }
  return {
    geometry: {
      kind: 'specular',
      interactions: seq.map((k, j) => ({
        type: 'reflection' as const,
        objectIndex: k,
        faceIndex: k,
        point: points[j]!,
      })),
      length: 0,
    },
    image: images[images.length - 1]!,
    valid,
  };
}

describe('image theory in a PEC corner (floor + two walls)', () => {
  const materials = { pec: { ...ituRadio('metal', F), conductivity: 1e30 } };
  const dipole: AntennaSpec = { pattern: 'dipole', polarization: 'V' };
  const sequences = [[0], [1], [2], [1, 2], [0, 1], [2, 0], [0, 1, 2], [1, 0, 2], [2, 1, 0], [0, 2, 1]];
  for (const model of ['halfspace', 'slab'] as const) {
    it(`${model}: every chain equals ±(LoS of the image dipole), sign (−1)^(wall bounces)`, () => {
      // every pair of points of a small grid inside the corner; each chain must be realisable
      // (and checked) for at least one pair
      const grid: Vec3[] = [];
      for (const x of [0.5, 1.5, 3, 5])
        for (const y of [0.5, 1.5, 3, 5]) for (const z of [0.3, 1, 2.5, 4]) grid.push([x, y, z]);
      const pairs: [Vec3, Vec3][] = [];
      for (let i = 0; i < grid.length; i += 3)
        for (let j = 1; j < grid.length; j += 5) if (i !== j) pairs.push([grid[i]!, grid[j]!]);
      const covered = new Set<string>();
      for (const [tx, rx] of pairs) {
        for (const seq of sequences) {
          const { geometry, image, valid } = imagePath(tx, rx, seq);
          if (!valid) continue;
          covered.add(seq.join(','));
          const options = { frequencyHz: F, materialModel: model, txAntenna: dipole, rxAntenna: dipole };
          const [p] = evaluatePaths(scene, tx, rx, [geometry], materials, options);
          const [los] = evaluatePaths(
            scene,
            image,
            rx,
            [{ kind: 'los', interactions: [], length: 0 }],
            materials,
            options,
          );
          const sign = seq.filter((k) => PLANES[k]!.vertical).length % 2 ? -1 : 1;
          const scale = Math.hypot(los!.a.re, los!.a.im);
          expect(
            Math.hypot(p!.a.re - sign * los!.a.re, p!.a.im - sign * los!.a.im),
            `${seq} ${tx} ${p!.a.re},${p!.a.im} vs ${los!.a.re},${los!.a.im}`,
          ).toBeLessThanOrEqual(1e-9 * scale + 1e-30);
          expect(Math.abs(p!.delay - los!.delay)).toBeLessThan(1e-20);
        }
      }
      expect(covered.size).toBe(sequences.length);
    });
  }
});
