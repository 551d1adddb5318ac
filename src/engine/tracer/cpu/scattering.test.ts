import { beforeAll, describe, expect, it } from 'vitest';
import { sionnaScenePath } from '../../../test/paths.ts';
import { dot, normalize, sub, type Vec3 } from '../../core/vec3.ts';
import { nodeFileSource } from '../../node/nodeFileSource.ts';
import { loadScene } from '../../scene/load.ts';
import type { Scene } from '../../scene/types.ts';
import { tracePathsSync } from './tracePaths.ts';
import { insideFace, tracerGeometry } from './tracerGeometry.ts';

describe('diffuse scattering points (box)', () => {
  let box: Scene;
  const tx: Vec3 = [1.2, 2.1, 1.5];
  const rx: Vec3 = [-2.3, -1.4, 3.2];
  const only = { los: false, specular: false, transmission: false, diffraction: false } as const;
  beforeAll(async () => {
    box = await loadScene(nodeFileSource, sionnaScenePath('box'));
  });

  it('first-order points lie on their faces and their footprints sum to each wall area', () => {
    const [paths] = tracePathsSync(box, undefined, tx, [rx], { ...only, maxDepth: 1, scatteringRays: 20000 });
    const g = tracerGeometry(box);
    // every wall point sees every other interior point: all 20000 hits connect
    expect(paths).toHaveLength(20000);
    const sums = new Map<number, number>();
    for (const p of paths!) {
      expect(p.kind).toBe('scattered');
      expect(p.interactions).toHaveLength(1);
      const it = p.interactions[0]!;
      expect(it.type).toBe('scattering');
      const f = box.faces[it.faceIndex]!;
      expect(Math.abs(dot(f.normal, it.point) - f.offset)).toBeLessThan(1e-9);
      expect(insideFace(g, it.faceIndex, it.point[0], it.point[1], it.point[2], 1e-9)).toBe(true);
      expect(p.length).toBeCloseTo(Math.hypot(...sub(it.point, tx)) + Math.hypot(...sub(rx, it.point)), 9);
      sums.set(it.faceIndex, (sums.get(it.faceIndex) ?? 0) + it.area!);
    }
    expect(sums.size).toBe(6);
    for (const [f, s] of sums) expect(Math.abs(s / box.faces[f]!.area - 1)).toBeLessThan(0.02);
  });

  it('second-order points: reflection prefix obeys the reflection law, footprints still sum to the areas', () => {
    const [paths] = tracePathsSync(box, undefined, tx, [rx], {
      ...only,
      specular: true,
      maxDepth: 2,
      scatteringRays: 20000,
    });
    const second = paths!.filter((p) => p.kind === 'scattered' && p.interactions.length === 2);
    expect(second.length).toBeGreaterThan(15000);
    const sums = new Map<string, number>();
    for (const p of second) {
      const [r, s] = p.interactions as [(typeof p.interactions)[0], (typeof p.interactions)[0]];
      expect(r.type).toBe('reflection');
      expect(s.type).toBe('scattering');
      const n = box.faces[r.faceIndex]!.normal;
      const kin = normalize(sub(r.point, tx));
      const kout = normalize(sub(s.point, r.point));
      const d = 2 * dot(kin, n);
      kout.forEach((x, c) => {
        expect(x).toBeCloseTo(kin[c]! - d * n[c]!, 9);
      });
      const key = `${r.faceIndex}>${s.faceIndex}`;
      sums.set(key, (sums.get(key) ?? 0) + s.area!);
    }
    // through each wall, the image of Tx sees the whole of every other wall (convex box)
    expect(sums.size).toBe(30);
    for (const [key, sum] of sums) {
      const f = Number(key.split('>')[1]);
      expect(Math.abs(sum / box.faces[f]!.area - 1)).toBeLessThan(0.03);
    }
  });

  it('connects only to receivers on the incidence side and in view; scatteringObjects filters', async () => {
    const floorWall = await loadScene(nodeFileSource, sionnaScenePath('floor_wall'));
    const wall = floorWall.objects.findIndex((o) => o.name === 'wall');
    const floor = floorWall.objects.findIndex((o) => o.name === 'floor');
    // Tx in front of the wall (x > 0), Rx behind it (x < 0), both above the floor
    const [paths] = tracePathsSync(floorWall, undefined, [1, 0.2, 1.5], [[-1, -0.3, 1.2]], {
      ...only,
      maxDepth: 1,
      scatteringRays: 5000,
    });
    expect(paths!.length).toBeGreaterThan(0);
    for (const p of paths!) {
      // the wall's points are lit from x > 0 and cannot scatter to x < 0
      expect(floorWall.faces[p.interactions[0]!.faceIndex]!.objectIndex).toBe(floor);
    }
    const [none] = tracePathsSync(floorWall, undefined, [1, 0.2, 1.5], [[-1, -0.3, 1.2]], {
      ...only,
      maxDepth: 1,
      scatteringRays: 5000,
      scatteringObjects: [wall],
    });
    expect(none).toHaveLength(0);
  });
});
