import { beforeAll, describe, expect, it } from 'vitest';
import { sionnaScenePath } from '../../../test/paths.ts';
import { cross, dot, length, normalize, sub, type Vec3 } from '../../core/vec3.ts';
import { nodeFileSource } from '../../node/nodeFileSource.ts';
import { loadScene } from '../../scene/load.ts';
import type { Scene } from '../../scene/types.ts';
import { buildBvh, segmentBlocked } from '../bvh.ts';
import type { PathGeometry } from '../path.ts';
import { quad, sceneFromMeshes } from './testScenes.ts';
import { tracePathsSync } from './tracePaths.ts';

const pointsOf = (p: PathGeometry, tx: Vec3, rx: Vec3): Vec3[] => [
  tx,
  ...p.interactions.map((i) => i.point),
  rx,
];

describe('single reflection off a plate: law of reflection (acceptance 2, geometry)', () => {
  // 40 m × 40 m plate in the plane z = 0 (a "large plate"), metal
  const plate = sceneFromMeshes('plate', [
    quad('plate', 'itu_metal', [-20, -20, 0], [20, -20, 0], [20, 20, 0], [-20, 20, 0]),
  ]);
  const n: Vec3 = [0, 0, 1];
  for (const [tx, rx] of [
    [
      [0, 0, 2],
      [3, 0, 1.5],
    ],
    [
      [-1, 2, 5],
      [4, -3, 0.5],
    ],
    [
      [0, 0, 0.3],
      [15, 4, 0.2],
    ],
  ] as [Vec3, Vec3][]) {
    it(`Tx ${tx} → Rx ${rx}: equal angles, plane of incidence, unfolded length`, () => {
      const [paths] = tracePathsSync(plate, undefined, tx, [rx], {
        maxDepth: 1,
        scattering: false,
        diffraction: false,
      });
      const refl = paths!.filter((p) => p.kind === 'specular');
      expect(refl).toHaveLength(1);
      const p = refl[0]!;
      expect(p.interactions[0]!.type).toBe('reflection');
      const q = p.interactions[0]!.point;
      expect(q[2]).toBeCloseTo(0, 12);
      const kin = normalize(sub(q, tx));
      const kout = normalize(sub(rx, q));
      // k_out = k_in − 2(k_in·n)n
      const d = 2 * dot(kin, n);
      expect(kout[0]).toBeCloseTo(kin[0] - d * n[0], 12);
      expect(kout[1]).toBeCloseTo(kin[1] - d * n[1], 12);
      expect(kout[2]).toBeCloseTo(kin[2] - d * n[2], 12);
      // incident ray, normal and reflected ray are coplanar
      expect(dot(cross(kin, n), kout)).toBeCloseTo(0, 12);
      // unfolded length = distance from the mirror image of Tx
      expect(p.length).toBeCloseTo(length(sub([tx[0], tx[1], -tx[2]], rx)), 10);
      // and the transmitter sees the receiver directly
      expect(paths!.filter((x) => x.kind === 'los')).toHaveLength(1);
    });
  }

  it('no reflection when the specular point falls outside the (1 m) Sionna plate', async () => {
    const small = await loadScene(nodeFileSource, sionnaScenePath('simple_reflector'));
    const opts = { maxDepth: 1, scattering: false, diffraction: false, transmission: false } as const;
    const [inside] = tracePathsSync(small, undefined, [-1, 0, 2], [[1, 0, 2]], opts);
    expect(inside!.filter((p) => p.kind === 'specular')).toHaveLength(1);
    // specular point at x = 0.6 (outside x ≤ 0.5)
    const [outside] = tracePathsSync(small, undefined, [-1, 0, 2], [[2.2, 0, 2]], opts);
    expect(outside!.filter((p) => p.kind === 'specular')).toHaveLength(0);
    // receiver behind the plate: no reflection, LoS blocked
    const [behind] = tracePathsSync(small, undefined, [0, 0, 2], [[0.1, 0, -1]], opts);
    expect(behind).toHaveLength(0);
  });
});

describe('duplicates', () => {
  it('a bounce on the seam of two coplanar floor tiles is one path, not two', () => {
    const floor = sceneFromMeshes('tiles', [
      quad('west', 'itu_concrete', [-5, -5, 0], [0, -5, 0], [0, 5, 0], [-5, 5, 0]),
      quad('east', 'itu_concrete', [0, -5, 0], [5, -5, 0], [5, 5, 0], [0, 5, 0]),
    ]);
    const opts = { maxDepth: 1, scattering: false, diffraction: false, transmission: false } as const;
    // symmetric about x = 0: the specular point is exactly on the seam
    const [seam] = tracePathsSync(floor, undefined, [-2, 1, 1.5], [[2, 1, 1.5]], opts);
    expect(seam!.filter((p) => p.kind === 'specular')).toHaveLength(1);
    expect(seam![1]!.interactions[0]!.point[0]).toBeCloseTo(0, 12);
    // off the seam each tile gives its own single path
    const [off] = tracePathsSync(floor, undefined, [-2, 1, 1.5], [[3, 1, 1.5]], opts);
    expect(off!.filter((p) => p.kind === 'specular')).toHaveLength(1);
  });
});

describe('transmission (box_one_screen: metal box with a glass screen at x = 0)', () => {
  let scene: Scene;
  let screenFace: number;
  const tx: Vec3 = [-2, 0.5, 2];
  const rx: Vec3 = [3, -1, 1.5];
  beforeAll(async () => {
    scene = await loadScene(nodeFileSource, sionnaScenePath('box_one_screen'));
    screenFace = scene.faces.findIndex((f) => scene.objects[f.objectIndex]!.name === 'screen');
  });

  it('without transmission the screen blocks the direct path', () => {
    const [paths] = tracePathsSync(scene, undefined, tx, [rx], {
      maxDepth: 1,
      transmission: false,
      scattering: false,
      diffraction: false,
    });
    expect(paths!.some((p) => p.kind === 'los')).toBe(false);
    expect(paths!.some((p) => p.interactions.some((i) => i.faceIndex === screenFace))).toBe(false);
  });

  it('depth 1, transmission only: one straight path through the screen', () => {
    const [paths] = tracePathsSync(scene, undefined, tx, [rx], {
      maxDepth: 1,
      specular: false,
      scattering: false,
      diffraction: false,
    });
    expect(paths).toHaveLength(1);
    const p = paths![0]!;
    expect(p.interactions).toHaveLength(1);
    expect(p.interactions[0]!.type).toBe('transmission');
    expect(p.interactions[0]!.faceIndex).toBe(screenFace);
    // straight through: the point is where the segment Tx–Rx crosses x = 0 (the PLY is float32,
    // so the plane is x = 0 to ~1e-7 m), length = |Tx − Rx|
    const s = -tx[0] / (rx[0] - tx[0]);
    const expected: Vec3 = [0, tx[1] + s * (rx[1] - tx[1]), tx[2] + s * (rx[2] - tx[2])];
    p.interactions[0]!.point.forEach((x, k) => {
      expect(x).toBeCloseTo(expected[k]!, 6);
    });
    expect(p.length).toBeCloseTo(length(sub(rx, tx)), 12);
  });

  it('depth 2: count and lengths equal an independent enumeration over axis-aligned rectangles', () => {
    // Independent model of the scene: 6 walls and the screen as axis-aligned rectangles
    // (axis, coordinate, bounds on the two other axes); every sequence of ≤ 2 interactions
    // (reflection: mirror the image; transmission: keep it), solved backwards from the receiver
    // and checked against the rectangles analytically (no triangles, no BVH).
    type Rect = { axis: number; c: number; lo: [number, number]; hi: [number, number] };
    const others = (axis: number) => [0, 1, 2].filter((a) => a !== axis);
    const box = (axis: number, c: number): Rect => ({
      axis,
      c,
      lo: axis === 2 ? [-5, -5] : [-5, 0],
      hi: axis === 2 ? [5, 5] : [5, 5],
    });
    const rects: Rect[] = [box(0, -5), box(0, 5), box(1, -5), box(1, 5), box(2, 0), box(2, 5)];
    rects.push({ axis: 0, c: 0, lo: [-3, -0.01], hi: [3, 5.01] }); // the glass screen
    const inside = (r: Rect, p: Vec3, eps: number) =>
      others(r.axis).every((a, i) => p[a]! >= r.lo[i]! - eps && p[a]! <= r.hi[i]! + eps);
    const crosses = (r: Rect, p: Vec3, q: Vec3) => {
      const dp = p[r.axis]! - r.c;
      const dq = q[r.axis]! - r.c;
      if (!(dp * dq < 0)) return false;
      const t = dp / (dp - dq);
      return inside(r, [p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1]), p[2] + t * (q[2] - p[2])], 0);
    };
    const lengths: number[] = [];
    const solve = (seq: [number, 'r' | 't'][]) => {
      const images: Vec3[] = [tx];
      for (const [f, type] of seq) {
        const img = [...images.at(-1)!] as Vec3;
        if (type === 'r') img[rects[f]!.axis] = 2 * rects[f]!.c - img[rects[f]!.axis]!;
        images.push(img);
      }
      const pts: Vec3[] = [rx];
      for (let k = seq.length - 1; k >= 0; k--) {
        const r = rects[seq[k]![0]]!;
        const I = images[k + 1]!;
        const q = pts[0]!;
        const s = (r.c - I[r.axis]!) / (q[r.axis]! - I[r.axis]!);
        if (!(s > 0 && s < 1)) return;
        const p: Vec3 = [I[0] + s * (q[0] - I[0]), I[1] + s * (q[1] - I[1]), I[2] + s * (q[2] - I[2])];
        if (!inside(r, p, 1e-9)) return;
        pts.unshift(p);
      }
      pts.unshift(tx);
      for (let k = 0; k < seq.length; k++) {
        const r = rects[seq[k]![0]]!;
        const a = pts[k]![r.axis]! - r.c;
        const b = pts[k + 2]![r.axis]! - r.c;
        if (seq[k]![1] === 'r' ? !(a * b > 0) : !(a * b < 0)) return;
      }
      for (let k = 0; k + 1 < pts.length; k++) {
        const skip = new Set([seq[k - 1]?.[0], seq[k]?.[0]]);
        if (rects.some((r, i) => !skip.has(i) && crosses(r, pts[k]!, pts[k + 1]!))) return;
      }
      let len = 0;
      for (let k = 0; k + 1 < pts.length; k++) len += length(sub(pts[k + 1]!, pts[k]!));
      lengths.push(len);
    };
    solve([]);
    for (let f1 = 0; f1 < rects.length; f1++) {
      for (const t1 of ['r', 't'] as const) {
        solve([[f1, t1]]);
        for (let f2 = 0; f2 < rects.length; f2++) {
          if (f2 !== f1)
            for (const t2 of ['r', 't'] as const)
              solve([
                [f1, t1],
                [f2, t2],
              ]);
        }
      }
    }
    lengths.sort((a, b) => a - b);
    const [paths] = tracePathsSync(scene, undefined, tx, [rx], {
      maxDepth: 2,
      scattering: false,
      diffraction: false,
    });
    const got = paths!.map((p) => p.length).sort((a, b) => a - b);
    expect(lengths.length).toBeGreaterThan(5);
    expect(got).toHaveLength(lengths.length);
    // the PLY vertices are float32: planes agree with the rectangles to ~1e-7 m
    got.forEach((l, i) => {
      expect(Math.abs(l - lengths[i]!)).toBeLessThan(1e-5);
    });
  });

  it('depth 2 mixes reflections and transmissions; every vertex obeys its law and every leg is clear', () => {
    const [paths] = tracePathsSync(scene, undefined, tx, [rx], {
      maxDepth: 2,
      scattering: false,
      diffraction: false,
    });
    const bvh = buildBvh(scene);
    const mixed = paths!.filter((p) => new Set(p.interactions.map((i) => i.type)).size === 2);
    expect(mixed.length).toBeGreaterThan(0);
    for (const p of paths!) {
      expect(p.interactions.length).toBeLessThanOrEqual(2);
      const pts = pointsOf(p, tx, rx);
      let len = 0;
      for (let k = 0; k + 1 < pts.length; k++) {
        len += length(sub(pts[k + 1]!, pts[k]!));
        const skip = new Set([p.interactions[k - 1]?.faceIndex, p.interactions[k]?.faceIndex]);
        expect(
          segmentBlocked(scene, bvh, pts[k]!, pts[k + 1]!, 1e-6, (t) => skip.has(scene.triangleFace[t])),
        ).toBe(false);
      }
      expect(p.length).toBeCloseTo(len, 9);
      p.interactions.forEach((it, k) => {
        const kin = normalize(sub(pts[k + 1]!, pts[k]!));
        const kout = normalize(sub(pts[k + 2]!, pts[k + 1]!));
        const nrm = scene.faces[it.faceIndex]!.normal;
        expect(Math.abs(dot(nrm, it.point) - scene.faces[it.faceIndex]!.offset)).toBeLessThan(1e-9);
        const expected =
          it.type === 'transmission'
            ? kin
            : sub(kin, [2 * dot(kin, nrm) * nrm[0], 2 * dot(kin, nrm) * nrm[1], 2 * dot(kin, nrm) * nrm[2]]);
        kout.forEach((x, c) => {
          expect(x).toBeCloseTo(expected[c]!, 10);
        });
      });
    }
    // independent check of one mixed path: floor reflection (z = 0) + screen transmission.
    // Image of Tx in the floor, straight line to Rx: the floor bounce comes first when the line
    // meets z = 0 before x = 0.
    const img: Vec3 = [tx[0], tx[1], -tx[2]];
    const sFloor = -img[2] / (rx[2] - img[2]);
    const sScreen = -img[0] / (rx[0] - img[0]);
    const floorFace = scene.faces.findIndex((f) => Math.abs(f.normal[2]) > 0.5 && Math.abs(f.offset) < 1e-9);
    const seq = sFloor < sScreen ? `r${floorFace}-t${screenFace}` : `t${screenFace}-r${floorFace}`;
    const found = paths!.find(
      (p) => p.interactions.map((i) => `${i.type[0]}${i.faceIndex}`).join('-') === seq,
    );
    expect(found).toBeDefined();
    expect(found!.length).toBeCloseTo(length(sub(rx, img)), 10);
  });
});
