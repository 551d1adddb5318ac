import { describe, expect, it } from 'vitest';
import {
  CLOSED_ROOM_PATH,
  DEMO_ROOM_PATH,
  SIONNA_SCENE_NAMES,
  sionnaScenePath,
} from '../../../test/paths.ts';
import type { Vec3 } from '../../core/vec3.ts';
import { nodeFileSource } from '../../node/nodeFileSource.ts';
import { loadScene } from '../../scene/load.ts';
import type { Scene } from '../../scene/types.ts';
import { rng } from '../gpu/testSupport.ts';
import { hullPlanesOf } from './hullPlanes.ts';
import { segmentOccluded, segmentOccludedMemo } from './rayCast.ts';
import { type TracerGeometry, tracerGeometry, tracerTolerances } from './tracerGeometry.ts';
import { pointOnSurface } from './wedges.ts';

/**
 * The visibility tests take the planes bounding the scene out of the BVH and skip a plane when
 * both ends of a segment (or the point) are farther than its margin on one side (hullPlanes.ts).
 * That must change nothing: every answer equals the one from the whole BVH, for segments whose
 * ends lie anywhere — inside, outside, on the hull planes, on faces, edges and corners.
 */
const withoutHull = (g: TracerGeometry): TracerGeometry => ({
  ...g,
  hull: {
    count: 0,
    plane: new Float64Array(0),
    margin: new Float64Array(0),
    group: new Int32Array(0),
    triStart: new Int32Array(1),
    triangles: new Int32Array(0),
    inner: g.bvh,
  },
});

/** A random point on face f (on a triangle, a vertex or an edge), or in/around the scene box. */
function pointSampler(scene: Scene, seed: number) {
  const r = rng(seed);
  const p = scene.positions;
  const { min, max } = scene.bbox;
  return (): { point: Vec3; face: number } => {
    const kind = r();
    if (kind < 0.25) {
      // anywhere in the box grown by a fifth: inside, outside, on both sides of every plane
      const point = [0, 1, 2].map((k) => {
        const span = max[k]! - min[k]!;
        return min[k]! - 0.2 * span + 1.4 * span * r();
      }) as Vec3;
      return { point, face: -1 };
    }
    const t = Math.floor(r() * scene.triangleFace.length);
    const face = scene.triangleFace[t]!;
    // a vertex, an edge point or an interior point of the triangle
    let u = r();
    let v = r();
    if (kind < 0.35) {
      u = 0;
      v = 0;
    } else if (kind < 0.55) v = 0;
    else if (u + v > 1) {
      u = 1 - u;
      v = 1 - v;
    }
    const point = [0, 1, 2].map(
      (k) =>
        p[9 * t + k]! + u * (p[9 * t + 3 + k]! - p[9 * t + k]!) + v * (p[9 * t + 6 + k]! - p[9 * t + k]!),
    ) as Vec3;
    return { point, face };
  };
}

async function sceneOf(path: string): Promise<Scene> {
  return loadScene(nodeFileSource, path);
}

describe('hull planes (visibility tests without the planes that bound the scene)', () => {
  it('the demo room: the planes of the floor and the four walls are hull planes; the boxes stay in the BVH', async () => {
    const scene = await sceneOf(DEMO_ROOM_PATH);
    const g = tracerGeometry(scene);
    const hull = hullPlanesOf(g);
    const objectOf = (t: number) => scene.objects[scene.triangleObject[t]!]!.name;
    // one plane per room surface (the boxes' bottoms lie in the floor's plane, so are in its list)
    const owners = [];
    for (let k = 0; k < hull.count; k++) {
      const names = new Set<string>();
      for (let i = hull.triStart[k]!; i < hull.triStart[k + 1]!; i++) names.add(objectOf(hull.triangles[i]!));
      owners.push([...names].filter((n) => !n.includes('box')).join());
    }
    expect(owners.sort()).toEqual(['floor', 'wall_east', 'wall_north', 'wall_south', 'wall_west']);
    const inner = [...hull.inner.triangleOrder].map(objectOf);
    expect(inner.length).toBeGreaterThan(0);
    expect(inner.every((n) => n.includes('box'))).toBe(true);
    // every triangle is in exactly one of the two: the planes' lists or the inner BVH
    const all = [...hull.triangles, ...hull.inner.triangleOrder].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: scene.triangleFace.length }, (_, i) => i));
  });

  it('a closed box is all hull: its inner BVH is empty and segments still meet its walls', async () => {
    const scene = await sceneOf(sionnaScenePath('box'));
    const g = tracerGeometry(scene);
    const hull = hullPlanesOf(g);
    expect(hull.count).toBe(6);
    expect(hull.inner.triangleOrder.length).toBe(0);
    const { min, max } = scene.bbox;
    const mid: Vec3 = [(min[0] + max[0]) / 2, (min[1] + max[1]) / 2, (min[2] + max[2]) / 2];
    const outside: Vec3 = [max[0] + 1, mid[1], mid[2]];
    expect(segmentOccluded(g, ...mid, ...outside, -1, -1, 1e-6)).toBe(true);
    expect(segmentOccluded(g, ...mid, mid[0] + 0.1, mid[1], mid[2], -1, -1, 1e-6)).toBe(false);
  });

  const scenes: [string, string][] = [
    ['demo room', DEMO_ROOM_PATH],
    ['closed room', CLOSED_ROOM_PATH],
    ...SIONNA_SCENE_NAMES.map((n): [string, string] => [n, sionnaScenePath(n)]),
  ];
  const tally = new Map<string, { n: number; blocked: number; onSurface: number }>();
  for (const [name, path] of scenes) {
    it(`${name}: every segment and point test equals the whole BVH's`, async () => {
      const scene = await sceneOf(path);
      const g = tracerGeometry(scene);
      const plain = withoutHull(g);
      const { tol, occlusionEps } = tracerTolerances(g);
      const sample = pointSampler(scene, 11);
      let blocked = 0;
      let onSurface = 0;
      const n = 6000;
      // the shadow cache holds the last blocker, a random triangle or one of the end's own faces
      const memo = Int32Array.of(-1);
      const pick = rng(5);
      const nTri = scene.triangleFace.length;
      const firstTriangle = (f: number) => (f < 0 ? -1 : scene.triangleFace.indexOf(f));
      let memoHits = 0;
      for (let i = 0; i < n; i++) {
        const a = sample();
        const b = sample();
        const args = [...a.point, ...b.point, a.face, b.face, occlusionEps] as const;
        const got = segmentOccluded(g, ...args);
        expect(got, `segment ${i}`).toBe(segmentOccluded(plain, ...args));
        if (i % 3 === 1) memo[0] = Math.floor(pick() * nTri);
        if (i % 3 === 2) memo[0] = firstTriangle(a.face);
        const before = memo[0]!;
        expect(segmentOccludedMemo(g, ...args, -1, -1, memo, 0), `segment ${i}, memo ${before}`).toBe(got);
        if (got && memo[0] === before) memoHits++;
        if (got) blocked++;
        // the point's own face skipped (a junction test), its plane skipped, or no face skipped
        for (const [skip, samePlane] of [
          [a.face, true],
          [a.face, false],
          [-1, true],
        ] as const) {
          const q = pointOnSurface(g, ...a.point, tol, skip, samePlane);
          expect(q, `point ${i}`).toBe(pointOnSurface(plain, ...a.point, tol, skip, samePlane));
          if (q) onSurface++;
        }
      }
      tally.set(name, { n, blocked, onSurface });
      // some blocked segments found their blocker already in the memo
      if (blocked > n / 50) expect(memoHits, name).toBeGreaterThan(0);
    });
  }

  it('the comparisons test something: blocked and clear segments, points on surfaces', () => {
    for (const [name, { n, blocked, onSurface }] of tally) {
      expect(onSurface, name).toBeGreaterThan(n / 10);
      // single plates block few random segments; the rooms, the box and the canyon many
      if (!/reflector|floor_wall/.test(name)) {
        expect(blocked, name).toBeGreaterThan(n / 50);
        expect(n - blocked, name).toBeGreaterThan(n / 50);
      }
    }
    expect(tally.size).toBe(scenes.length);
  });
});
