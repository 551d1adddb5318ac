import { describe, expect, it } from 'vitest';
import { sionnaScenePath } from '../../../test/paths.ts';
import { dot, length, sub, type Vec3 } from '../../core/vec3.ts';
import { nodeFileSource } from '../../node/nodeFileSource.ts';
import { loadScene } from '../../scene/load.ts';
import type { Scene } from '../../scene/types.ts';
import { buildBvh, segmentBlocked } from '../bvh.ts';
import type { PathGeometry } from '../path.ts';
import { cuboid, quad, sceneFromMeshes } from './testScenes.ts';
import { tracePathsSync } from './tracePaths.ts';
import { tracerGeometry } from './tracerGeometry.ts';
import { sceneWedges, wedgeAngle, wedgeFrame } from './wedges.ts';

const only = { los: true, specular: false, transmission: false, scattering: false } as const;

/** Checks that hold for every diffracted path, computed independently of the tracer. */
function checkDiffracted(scene: Scene, p: PathGeometry, tx: Vec3, rx: Vec3): void {
  expect(p.kind).toBe('diffracted');
  const it = p.interactions[0]!;
  const { start, end, otherFaceIndex } = it.edge!;
  const e = sub(end, start);
  const L = length(e);
  const u: Vec3 = [e[0] / L, e[1] / L, e[2] / L];
  const q = it.point;
  // on the edge segment
  const s = dot(sub(q, start), u);
  expect(s).toBeGreaterThanOrEqual(-1e-9);
  expect(s).toBeLessThanOrEqual(L + 1e-9);
  expect(length(sub(sub(q, start), [s * u[0], s * u[1], s * u[2]]))).toBeLessThan(1e-9);
  // Fermat / Keller cone: equal angles of the two legs with the edge
  const a = sub(q, tx);
  const b = sub(rx, q);
  expect(dot(a, u) / length(a)).toBeCloseTo(dot(b, u) / length(b), 10);
  // stationary and minimal: moving Q by ±1 mm along the edge lengthens the path
  const lenAt = (x: Vec3) => length(sub(x, tx)) + length(sub(rx, x));
  expect(p.length).toBeCloseTo(lenAt(q), 10);
  for (const d of [-1e-3, 1e-3]) {
    if (s + d < 0 || s + d > L) continue;
    expect(lenAt([q[0] + d * u[0], q[1] + d * u[1], q[2] + d * u[2]])).toBeGreaterThan(p.length);
  }
  // both legs clear (ignoring the wedge's faces), by the shared BVH query
  const bvh = buildBvh(scene);
  const skip = (t: number) =>
    scene.triangleFace[t] === it.faceIndex || scene.triangleFace[t] === otherFaceIndex;
  expect(segmentBlocked(scene, bvh, tx, q, 1e-6, skip)).toBe(false);
  expect(segmentBlocked(scene, bvh, q, rx, 1e-6, skip)).toBe(false);
}

describe('first-order edge diffraction', () => {
  // a 10 m × 10 m × 6 m metal block; its vertical edge at (10, 10) is a 90° wedge (n = 1.5)
  const block = sceneFromMeshes('block', [cuboid('block', 'itu_metal', [0, 0, 0], [10, 10, 6])]);

  it('finds the wedges of a block (12 edges, exterior angle 270°)', () => {
    const { wedges, freeEdges } = sceneWedges(tracerGeometry(block));
    expect(wedges).toHaveLength(12);
    expect(freeEdges).toHaveLength(0);
    for (const w of wedges)
      expect(w.phiB === Math.PI / 2 || Math.abs(w.phiB - 1.5 * Math.PI) < 1e-12).toBe(true);
  });

  it('around the vertical edge: point on the edge, Fermat condition, clear legs, n = 1.5', () => {
    const tx: Vec3 = [5, 15, 3];
    const rx: Vec3 = [15, 3, 2];
    const [paths] = tracePathsSync(block, undefined, tx, [rx], { ...only, maxDepth: 1 });
    expect(paths!.some((p) => p.kind === 'los')).toBe(false); // the block shadows the receiver
    const vertical = paths!.filter((p) => {
      const { start, end } = p.interactions[0]!.edge!;
      return start[0] === 10 && start[1] === 10 && end[0] === 10 && end[1] === 10;
    });
    expect(vertical).toHaveLength(1);
    for (const p of paths!) checkDiffracted(block, p, tx, rx);
    // independent closed form for a vertical edge: z = z₁ + (z₂ − z₁)·r₁/(r₁ + r₂)
    const r1 = Math.hypot(tx[0] - 10, tx[1] - 10);
    const r2 = Math.hypot(rx[0] - 10, rx[1] - 10);
    expect(vertical[0]!.interactions[0]!.point[2]).toBeCloseTo(
      tx[2] + ((rx[2] - tx[2]) * r1) / (r1 + r2),
      12,
    );
    const frame = wedgeFrame(block, vertical[0]!.interactions[0]!, tx)!;
    expect(frame.n).toBeCloseTo(1.5, 12);
    // both ends in the exterior region 0 < φ < nπ
    for (const x of [tx, rx]) {
      const phi = wedgeAngle(frame, x);
      expect(phi).toBeGreaterThan(0);
      expect(phi).toBeLessThan(1.5 * Math.PI);
    }
  });

  it('is reciprocal (same points and lengths with Tx and Rx swapped)', () => {
    const tx: Vec3 = [5, 15, 3];
    const rx: Vec3 = [15, 3, 2];
    const [ab] = tracePathsSync(block, undefined, tx, [rx], { ...only, maxDepth: 1 });
    const [ba] = tracePathsSync(block, undefined, rx, [tx], { ...only, maxDepth: 1 });
    expect(ba!.map((p) => p.length)).toEqual(ab!.map((p) => p.length));
    ab!.forEach((p, i) => {
      p.interactions[0]!.point.forEach((x, k) => {
        expect(ba![i]!.interactions[0]!.point[k]).toBeCloseTo(x, 12);
      });
      expect(ba![i]!.interactions[0]!.faceIndex).toBe(p.interactions[0]!.faceIndex);
    });
  });

  it('no diffraction from concave corners (inside the closed box)', async () => {
    const box = await loadScene(nodeFileSource, sionnaScenePath('box'));
    expect(sceneWedges(tracerGeometry(box)).wedges).toHaveLength(12);
    const [paths] = tracePathsSync(box, undefined, [1, 2, 1.5], [[-2, -1, 3]], { ...only, maxDepth: 1 });
    expect(paths!.map((p) => p.kind)).toEqual(['los']);
  });

  it('free edges of a standing wall (floor_wall): top, bottom and both sides, half-plane n = 2', async () => {
    const scene = await loadScene(nodeFileSource, sionnaScenePath('floor_wall'));
    const wallFace = scene.faces.findIndex((f) => scene.objects[f.objectIndex]!.name === 'wall');
    const tx: Vec3 = [1, 0, 1.5];
    const rx: Vec3 = [-1, 0.2, 1.4];
    const [paths] = tracePathsSync(scene, undefined, tx, [rx], { ...only, maxDepth: 1 });
    expect(paths!.some((p) => p.kind === 'los')).toBe(false);
    const onWall = paths!.filter((p) => p.interactions[0]!.faceIndex === wallFace);
    expect(onWall).toHaveLength(4);
    const heights = onWall.map((p) => p.interactions[0]!.point[2]);
    expect(heights.some((z) => Math.abs(z - 2.9) < 1e-5)).toBe(true);
    expect(heights.some((z) => Math.abs(z - 0.9) < 1e-5)).toBe(true);
    for (const p of paths!) {
      checkDiffracted(scene, p, tx, rx);
      expect(wedgeFrame(scene, p.interactions[0]!, tx)!.n).toBe(2);
    }
    const [noFree] = tracePathsSync(scene, undefined, tx, [rx], { ...only, maxDepth: 1, freeEdges: false });
    expect(noFree).toHaveLength(0);
  });

  it('an edge resting on another surface is a junction, not a free edge', () => {
    const scene = sceneFromMeshes('junction', [
      quad('floor', 'itu_concrete', [-5, -5, 0], [5, -5, 0], [5, 5, 0], [-5, 5, 0]),
      quad('wall', 'itu_brick', [0, -2, 0], [0, 2, 0], [0, 2, 3], [0, -2, 3]),
    ]);
    const wallFace = scene.faces.findIndex((f) => scene.objects[f.objectIndex]!.name === 'wall');
    const { freeEdges } = sceneWedges(tracerGeometry(scene));
    const wallEdges = freeEdges.filter((w) => w.faceA === wallFace);
    expect(wallEdges).toHaveLength(3); // top and the two sides; not the bottom on the floor
    expect(wallEdges.some((w) => w.start[2] === 0 && w.end[2] === 0)).toBe(false);
  });

  it('no path when the receiver lies in the angle of the solid for every edge', () => {
    // straight behind the block: for each of the 12 edges the receiver is on the far side of one
    // of the edge's two faces (a single diffraction cannot reach it), while in front of the
    // block's north face the same transmitter does get diffracted paths
    const tx: Vec3 = [5, 15, 3];
    const [behind] = tracePathsSync(block, undefined, tx, [[5, -5, 3]], { ...only, maxDepth: 1 });
    expect(behind).toHaveLength(0);
    const [beside] = tracePathsSync(block, undefined, tx, [[-3, 5, 3]], { ...only, maxDepth: 1 });
    expect(beside!.filter((p) => p.kind === 'diffracted').length).toBeGreaterThan(0);
  });
});
