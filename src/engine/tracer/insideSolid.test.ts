import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ROOM_PATH, sionnaScenePath } from '../../test/paths.ts';
import type { Vec3 } from '../core/vec3.ts';
import { nodeFileSource } from '../node/nodeFileSource.ts';
import { loadScene } from '../scene/load.ts';
import type { Scene } from '../scene/types.ts';
import { type Bvh, buildBvh } from './bvh.ts';
import { objectContaining } from './insideSolid.ts';

describe('point inside a solid object', () => {
  let room: Scene;
  let roomBvh: Bvh;
  beforeAll(async () => {
    room = await loadScene(nodeFileSource, DEMO_ROOM_PATH);
    roomBvh = buildBvh(room);
  });
  const inside = (scene: Scene, bvh: Bvh, p: Vec3) => {
    const i = objectContaining(scene, bvh, p);
    return i < 0 ? null : scene.objects[i]!.name;
  };

  it('finds the box holding a point (demo room: 1 m × 2 m × 1 m boxes on the floor)', () => {
    expect(inside(room, roomBvh, [-3, 3, 0.5])).toBe('box_wood');
    expect(inside(room, roomBvh, [3, -3, 0.5])).toBe('box_concrete');
    expect(inside(room, roomBvh, [-3, -3, 0.9])).toBe('box_marble');
    // corners and edges of the box interior, where rays pass close to edges
    expect(inside(room, roomBvh, [2.51, 2.01, 0.01])).toBe('box_chipboard');
    expect(inside(room, roomBvh, [3.49, 3.99, 0.99])).toBe('box_chipboard');
  });

  it('air is no object: above and beside a box, next to the open walls and floor plates', () => {
    for (const p of [
      [-3, 3, 1.01],
      [-2.49, 3, 0.5],
      [0, 0, 1.5],
      [-4.99, -4.99, 0.01],
      [4.9, 0, 2.9],
    ] as Vec3[])
      expect(inside(room, roomBvh, p), p.join(',')).toBeNull();
    // outside the scene's bounds
    expect(inside(room, roomBvh, [0, 0, -1])).toBeNull();
    expect(inside(room, roomBvh, [20, 0, 1])).toBeNull();
  });

  it('a closed room that spans the scene (Sionna box) is the space devices are in, not a solid', async () => {
    const box = await loadScene(nodeFileSource, sionnaScenePath('box'));
    expect(box.objects).toHaveLength(1);
    expect(inside(box, buildBvh(box), [0, 0, 2.5])).toBeNull();
  });

  it('street canyon: a point is in a building exactly when it is in that building’s box', async () => {
    const canyon = await loadScene(nodeFileSource, sionnaScenePath('simple_street_canyon'));
    const bvh = buildBvh(canyon);
    // the buildings are axis-aligned boxes: their bounding boxes are the independent oracle
    const boxes = canyon.objects.map((o) => {
      const lo = [Infinity, Infinity, Infinity];
      const hi = [-Infinity, -Infinity, -Infinity];
      for (let j = 9 * o.triangleOffset; j < 9 * (o.triangleOffset + o.triangleCount); j++) {
        lo[j % 3] = Math.min(lo[j % 3]!, canyon.positions[j]!);
        hi[j % 3] = Math.max(hi[j % 3]!, canyon.positions[j]!);
      }
      return { name: o.name, lo, hi, closed: o.triangleCount === 12 };
    });
    const { min, max } = canyon.bbox;
    let inBuildings = 0;
    let checked = 0;
    for (let i = 0; i < 23; i++) {
      for (let j = 0; j < 23; j++) {
        for (const z of [1.5, 7.3]) {
          const p: Vec3 = [
            min[0] + ((i + 0.5) / 23) * (max[0] - min[0]),
            min[1] + ((j + 0.5) / 23) * (max[1] - min[1]),
            z,
          ];
          const expected = boxes.find(
            (b) => b.closed && [0, 1, 2].every((k) => p[k]! > b.lo[k]! && p[k]! < b.hi[k]!),
          );
          expect(inside(canyon, bvh, p), p.join(',')).toBe(expected?.name ?? null);
          checked++;
          if (expected) inBuildings++;
        }
      }
    }
    expect(inBuildings).toBeGreaterThan(50);
    expect(checked - inBuildings).toBeGreaterThan(50);
  });
});
