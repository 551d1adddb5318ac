import { describe, expect, it } from 'vitest';
import { DEMO_ROOM_PATH } from '../../test/paths.ts';
import { seededRandom } from '../core/random.ts';
import type { Vec3 } from '../core/vec3.ts';
import { nodeFileSource } from '../node/nodeFileSource.ts';
import { loadScene } from '../scene/load.ts';
import { type Bvh, buildBvh, closestHit, intersectTriangle } from '../tracer/bvh.ts';
import { castRay, lastHit, segmentOccluded } from '../tracer/cpu/rayCast.ts';
import { tracerGeometry } from '../tracer/cpu/tracerGeometry.ts';
import { humanShape } from './actors.ts';
import { actorMeshes, type FrameScene, frameScene, staticMeshes } from './frameScene.ts';

/**
 * A timeline frame's BVH is refit from the previous frame's (frameScene.ts, bvh.ts refitBvh):
 * the same tree, bounds recomputed. Checked against bounds taken from scratch over each node's
 * triangles, and against a BVH rebuilt on the frame: the same hits on random rays, among them
 * rays aimed at the moved person only.
 */
async function frames(): Promise<{ before: FrameScene; after: FrameScene }> {
  const room = await loadScene(nodeFileSource, DEMO_ROOM_PATH);
  const meshes = staticMeshes(room);
  const actors = [{ id: 'p1', shape: humanShape(), material: { kind: 'skin' as const } }];
  const shapes = actorMeshes(actors);
  const at = (position: Vec3, yaw: number, previous?: FrameScene) =>
    frameScene(room, meshes, actors, shapes, [{ position, yaw }], 28e9, previous);
  const before = at([-1, -2, 0], 0);
  // a large move (3 m and a quarter turn), so that stale bounds would miss the person
  return { before, after: at([-1, 1, 0], Math.PI / 2, before) };
}

/** Bounds of a node from scratch: min/max over every vertex of every triangle below it. */
function boundsFromScratch(bvh: Bvh, positions: Float64Array, node: number): number[] {
  const out = [Infinity, Infinity, Infinity, -Infinity, -Infinity, -Infinity];
  const stack = [node];
  while (stack.length > 0) {
    const id = stack.pop()!;
    const a = bvh.nodes[2 * id]!;
    const b = bvh.nodes[2 * id + 1]!;
    if (b > 0) {
      stack.push(a, b);
      continue;
    }
    for (let i = a; i < a - b; i++) {
      for (let c = 0; c < 9; c++) {
        const x = positions[9 * bvh.triangleOrder[i]! + c]!;
        out[c % 3] = Math.min(out[c % 3]!, x);
        out[3 + (c % 3)] = Math.max(out[3 + (c % 3)]!, x);
      }
    }
  }
  return out;
}

describe('frame BVH refit', () => {
  it('keeps the tree and gives every node the bounds of its triangles at the new poses', async () => {
    const { before, after } = await frames();
    expect(after.bvh.nodes).toBe(before.bvh.nodes);
    expect(after.bvh.triangleOrder).toBe(before.bvh.triangleOrder);
    // the root's children: the twin's triangles, then the person's
    const staticTriangles = after.scene.objects[after.staticObjects]!.triangleOffset;
    const under = (node: number): number[] => {
      const [x, y] = [after.bvh.nodes[2 * node]!, after.bvh.nodes[2 * node + 1]!];
      return y > 0 ? [...under(x), ...under(y)] : Array.from(after.bvh.triangleOrder.subarray(x, x - y));
    };
    const n = after.scene.triangleObject.length;
    expect(under(after.bvh.nodes[1]!).sort((x, y) => x - y)).toEqual(
      Array.from({ length: n - staticTriangles }, (_, i) => staticTriangles + i),
    );
    let moved = 0;
    for (let node = 0; node < after.bvh.nodes.length / 2; node++) {
      const got = Array.from(after.bvh.bounds.subarray(6 * node, 6 * node + 6));
      expect(got).toEqual(boundsFromScratch(after.bvh, after.scene.positions, node));
      if (got.join() !== Array.from(before.bvh.bounds.subarray(6 * node, 6 * node + 6)).join()) moved++;
    }
    expect(moved).toBeGreaterThan(1);
  });

  it('finds the same hits as a rebuilt BVH, on random rays and on rays aimed at the moved person', async () => {
    const { before, after } = await frames();
    const scene = after.scene;
    const rebuilt = buildBvh(scene);
    const gRefit = tracerGeometry(scene, after.bvh);
    const gRebuilt = tracerGeometry(scene, rebuilt);
    const person = scene.objects[after.staticObjects]!;
    const { min, max } = scene.bbox;
    const random = seededRandom(14);
    const p = scene.positions;
    let personHits = 0;
    let staleMisses = 0;
    for (let r = 0; r < 2000; r++) {
      const o: Vec3 = [0, 1, 2].map((k) => min[k]! + random() * (max[k]! - min[k]!)) as Vec3;
      let d: Vec3;
      if (r % 2 === 0) {
        d = [random() - 0.5, random() - 0.5, random() - 0.5];
      } else {
        // towards an interior point of a random triangle of the person
        const t = person.triangleOffset + Math.floor(random() * person.triangleCount);
        let u = 0.05 + 0.9 * random();
        let v = 0.05 + 0.9 * random();
        if (u + v > 0.95) [u, v] = [0.95 - v, 0.95 - u];
        d = [0, 1, 2].map(
          (k) =>
            p[9 * t + k]! +
            u * (p[9 * t + 3 + k]! - p[9 * t + k]!) +
            v * (p[9 * t + 6 + k]! - p[9 * t + k]!) -
            o[k]!,
        ) as Vec3;
      }
      const len = Math.hypot(...d);
      d = [d[0] / len, d[1] / len, d[2] / len];
      const a = closestHit(scene, after.bvh, o, d);
      const b = closestHit(scene, rebuilt, o, d);
      // the same distance; at a tie (coincident triangles: the two sides of a plate) either
      // triangle may come first, so the refit's must be hit at that distance too
      expect(a?.t).toBe(b?.t);
      if (a && b) expect(intersectTriangle(p, a.triangle, o, d, 1e-9)).toBe(b.t);
      const hitA = castRay(gRefit, ...o, ...d, 1e-9, Infinity, -1, -1) ? { ...lastHit } : undefined;
      const hitB = castRay(gRebuilt, ...o, ...d, 1e-9, Infinity, -1, -1) ? { ...lastHit } : undefined;
      expect(hitA?.t).toBe(hitB?.t);
      const end: Vec3 = [o[0] + 3 * d[0], o[1] + 3 * d[1], o[2] + 3 * d[2]];
      expect(segmentOccluded(gRefit, ...o, ...end, -1, -1, 1e-6)).toBe(
        segmentOccluded(gRebuilt, ...o, ...end, -1, -1, 1e-6),
      );
      if (b && scene.triangleObject[b.triangle] === after.staticObjects) {
        personHits++;
        // the previous frame's bounds, unrefit, lose some of these hits: the refit is what finds them
        if (closestHit(scene, before.bvh, o, d)?.t !== b.t) staleMisses++;
      }
    }
    expect(personHits).toBeGreaterThan(200);
    expect(staleMisses).toBeGreaterThan(0);
  });
});
