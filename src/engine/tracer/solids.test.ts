import { describe, expect, it } from 'vitest';
import { ituSpec } from '../materials/radioMaterial.ts';
import { buildScene } from '../scene/buildScene.ts';
import { boxMesh, quadMesh } from '../scene/primitives.ts';
import type { MeshInput, Scene } from '../scene/types.ts';
import { buildBvh } from './bvh.ts';
import {
  closedObjects,
  faceExteriorSides,
  faceInsideSides,
  solidObjects,
  solidsContaining,
} from './solids.ts';

type V = [number, number, number];
const mesh = (name: string, m: { vertices: number[]; indices: number[] }): MeshInput => ({
  name,
  materialId: 'concrete',
  vertices: m.vertices,
  indices: m.indices,
  file: 'test',
});
const materials = { concrete: { id: 'concrete', spec: ituSpec('concrete'), source: 'manual' as const } };

/** A 6 × 4 × 3 m room of 0.2 m slabs (floor, ceiling, four walls), a table and an open screen inside. */
function closedRoom(): Scene {
  const slab = (name: string, min: V, max: V) => mesh(name, boxMesh(min, max));
  return buildScene(
    'closed',
    [
      slab('floor', [-3.2, -2.2, -0.2], [3.2, 2.2, 0]),
      slab('ceiling', [-3.2, -2.2, 3], [3.2, 2.2, 3.2]),
      slab('wall_w', [-3.2, -2.2, 0], [-3, 2.2, 3]),
      slab('wall_e', [3, -2.2, 0], [3.2, 2.2, 3]),
      slab('wall_s', [-3, -2.2, 0], [3, -2, 3]),
      slab('wall_n', [-3, 2, 0], [3, 2.2, 3]),
      slab('table', [-1, -0.5, 0], [1, 0.5, 0.8]),
      mesh('screen', quadMesh([2, -1, 0], [2, 1, 0], [2, 1, 2], [2, -1, 2])),
    ],
    materials,
  );
}
const index = (s: Scene, name: string) => s.objects.findIndex((o) => o.name === name);

describe('closed objects and solids', () => {
  it('a box is closed, a quad is not', () => {
    const s = closedRoom();
    const closed = closedObjects(s);
    expect(closed[index(s, 'table')]).toBe(true);
    expect(closed[index(s, 'ceiling')]).toBe(true);
    expect(closed[index(s, 'screen')]).toBe(false);
  });

  it('a box with one triangle removed is open', () => {
    const b = boxMesh([0, 0, 0], [1, 1, 1]);
    const s = buildScene(
      'cut',
      [mesh('b', { vertices: b.vertices, indices: b.indices.slice(3) })],
      materials,
    );
    expect(closedObjects(s)).toEqual([false]);
  });

  it('points inside the table or a wall slab are inside that solid; air and open quads contain nothing', () => {
    const s = closedRoom();
    const bvh = buildBvh(s);
    const solid = solidObjects(s);
    expect(solidsContaining(s, bvh, [0.3, 0.1, 0.4], solid)).toEqual([index(s, 'table')]);
    expect(solidsContaining(s, bvh, [-3.1, 0, 1.5], solid)).toEqual([index(s, 'wall_w')]);
    expect(solidsContaining(s, bvh, [0, 0, 1.5], solid)).toEqual([]); // the room's air
    expect(solidsContaining(s, bvh, [0, 0, 0.8 + 1e-3], solid)).toEqual([]); // just above the table
    expect(solidsContaining(s, bvh, [2, 0, 1], solid)).toEqual([]); // on the open screen
    expect(solidsContaining(s, bvh, [0, 0, 10], solid)).toEqual([]); // above the roof
  });

  it('a room modelled as one closed mesh around everything is the space, not a solid', () => {
    const room = boxMesh([-3, -2, 0], [3, 2, 3]);
    const s = buildScene(
      'one-mesh-room',
      [mesh('room', room), mesh('table', boxMesh([-1, -0.5, 0], [1, 0.5, 0.8]))],
      materials,
    );
    const solid = solidObjects(s);
    expect(solid).toEqual([false, true]);
    expect(solidsContaining(s, buildBvh(s), [0, 1.5, 1.5], solid)).toEqual([]);
  });
});

describe('exterior sides of faces', () => {
  const faceOf = (s: Scene, name: string, normal: V) =>
    s.faces.find(
      (f) =>
        s.objects[f.objectIndex]!.name === name &&
        Math.abs(f.normal[0] - normal[0]) +
          Math.abs(f.normal[1] - normal[1]) +
          Math.abs(f.normal[2] - normal[2]) <
          1e-9,
    )!;

  it('a closed room looks out through the roof, the outer wall sides and under the floor; inner sides and furniture do not', () => {
    const s = closedRoom();
    const ext = faceExteriorSides(s, buildBvh(s));
    // box faces have outward normals: +1 means the side the normal points to
    expect(ext[faceOf(s, 'ceiling', [0, 0, 1]).id]).toBe(1);
    expect(ext[faceOf(s, 'ceiling', [0, 0, -1]).id]).toBe(0); // seen from inside the room
    expect(ext[faceOf(s, 'floor', [0, 0, -1]).id]).toBe(1);
    expect(ext[faceOf(s, 'floor', [0, 0, 1]).id]).toBe(0);
    expect(ext[faceOf(s, 'wall_w', [-1, 0, 0]).id]).toBe(1);
    expect(ext[faceOf(s, 'wall_w', [1, 0, 0]).id]).toBe(0);
    expect(ext[faceOf(s, 'table', [0, 0, 1]).id]).toBe(0);
  });

  it('a single horizontal plate looks out on both sides alike: no exterior side', () => {
    const s = buildScene(
      'plate',
      [mesh('plate', quadMesh([-1, -1, 0], [1, -1, 0], [1, 1, 0], [-1, 1, 0]))],
      materials,
    );
    expect([...faceExteriorSides(s, buildBvh(s))]).toEqual([0]);
  });

  it('a quad whose normal points into a closed box looks out on its other side (−1)', () => {
    // floor quad wound clockwise seen from above (normal −z) under a closed box: outside is below
    const s = buildScene(
      'lid',
      [
        mesh('floor', quadMesh([-1, -1, 0], [-1, 1, 0], [1, 1, 0], [1, -1, 0])),
        mesh('cover', boxMesh([-2, -2, 1], [2, 2, 1.1])),
        mesh('w1', quadMesh([-1, -1, 0], [1, -1, 0], [1, -1, 1], [-1, -1, 1])),
        mesh('w2', quadMesh([-1, 1, 0], [-1, 1, 1], [1, 1, 1], [1, 1, 0])),
        mesh('w3', quadMesh([-1, -1, 0], [-1, -1, 1], [-1, 1, 1], [-1, 1, 0])),
        mesh('w4', quadMesh([1, -1, 0], [1, 1, 0], [1, 1, 1], [1, -1, 1])),
      ],
      materials,
    );
    const ext = faceExteriorSides(s, buildBvh(s));
    expect(s.faces[0]!.normal[2]).toBeCloseTo(-1, 12);
    expect(ext[0]).toBe(1); // its normal (−z) points out of the closed space
  });
});

describe('inside sides of solid faces', () => {
  it('box faces (outward normals) have their inside on the −1 side; flipped winding gives +1; open quads 0', () => {
    const b = boxMesh([0, 0, 0], [1, 2, 3]);
    const flipped = {
      vertices: b.vertices,
      indices: b.indices.map((_, i, a) => a[i - (i % 3) + [0, 2, 1][i % 3]!]!),
    };
    const s = buildScene(
      'boxes',
      [
        mesh('out', b),
        mesh('in', {
          vertices: flipped.vertices.map((v, i) => (i % 3 === 0 ? v + 5 : v)),
          indices: flipped.indices,
        }),
        mesh('quad', quadMesh([10, 0, 0], [11, 0, 0], [11, 1, 0], [10, 1, 0])),
      ],
      materials,
    );
    const inside = faceInsideSides(s, buildBvh(s), solidObjects(s));
    const of = (o: number) => s.faces.filter((f) => f.objectIndex === o).map((f) => inside[f.id]);
    expect(of(0)).toEqual([-1, -1, -1, -1, -1, -1]);
    expect(of(1)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(of(2)).toEqual([0]);
  });
});
