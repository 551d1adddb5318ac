import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOSTILE_DIR } from '../../test/hostileCorpus.ts';
import { seededRandom } from '../core/random.ts';
import { sceneTriangleNormal } from './buildScene.ts';
import { groupFaces } from './faces.ts';
import { memoryFileSource } from './fileSource.ts';
import { loadScene } from './load.ts';

/** Pairwise reference of groupFaces: coplanar triangles sharing an edge, by brute force. */
function referenceGroups(positions: Float64Array, count: number): number[][] {
  const normal = (t: number) => {
    const p = (k: number) => [0, 1, 2].map((c) => positions[9 * t + 3 * k + c]!);
    const [a, b, c] = [p(0), p(1), p(2)];
    const e1 = b.map((x, i) => x - a[i]!);
    const e2 = c.map((x, i) => x - a[i]!);
    const n = [
      e1[1]! * e2[2]! - e1[2]! * e2[1]!,
      e1[2]! * e2[0]! - e1[0]! * e2[2]!,
      e1[0]! * e2[1]! - e1[1]! * e2[0]!,
    ];
    const l = Math.hypot(...n);
    return n.map((x) => x / l);
  };
  const key = (t: number, k: number) =>
    [0, 1, 2].map((c) => Math.round(positions[9 * t + 3 * k + c]! * 1e6)).join(',');
  const edges = (t: number) => [0, 1, 2].map((k) => [key(t, k), key(t, (k + 1) % 3)].sort().join('|'));
  const parent = Array.from({ length: count }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i]!;
    return i;
  };
  for (let a = 0; a < count; a++)
    for (let b = a + 1; b < count; b++) {
      if (!edges(a).some((e) => edges(b).includes(e))) continue;
      const c = normal(a).reduce((s, x, i) => s + x * normal(b)[i]!, 0);
      if (Math.abs(c) >= 1 - 1e-6) parent[find(a)] = find(b);
    }
  const groups = new Map<number, number[]>();
  for (let i = 0; i < count; i++) groups.set(find(i), [...(groups.get(find(i)) ?? []), i]);
  return [...groups.values()].map((g) => g.sort((x, y) => x - y)).sort((x, y) => x[0]! - y[0]!);
}

describe('face grouping without pairwise passes', () => {
  it('many triangles on one edge: the same faces as comparing every pair', () => {
    const random = seededRandom(3);
    for (let trial = 0; trial < 20; trial++) {
      // fins about the z axis; half of them at one of four shared angles (coplanar groups)
      const n = 40;
      const positions = new Float64Array(9 * n);
      for (let t = 0; t < n; t++) {
        const a =
          random() < 0.5 ? [0, 0.7, 1.9, Math.PI + 0.7][Math.floor(4 * random())]! : Math.PI * 2 * random();
        const r = 0.5 + random();
        positions.set([0, 0, 0, 0, 0, 1, r * Math.cos(a), r * Math.sin(a), random()], 9 * t);
      }
      const faces = groupFaces(positions, 0, n, 0, 0, 2);
      const got = faces.map((f) => [...f.triangles].sort((x, y) => x - y)).sort((x, y) => x[0]! - y[0]!);
      expect(got).toEqual(referenceGroups(positions, n));
    }
  });
});

describe('importers read unusual but valid files correctly', () => {
  const load = (name: string, files: Record<string, string>) =>
    loadScene(
      memoryFileSource(new Map(Object.entries(files).map(([k, v]) => [k, new TextEncoder().encode(v)]))),
      name,
    );

  it('glTF strips and fans become triangles with one winding', async () => {
    for (const file of ['triangle-strip.gltf', 'triangle-fan.gltf']) {
      const scene = await load(file, { [file]: readFileSync(join(HOSTILE_DIR, file), 'utf8') });
      const normals = Array.from({ length: scene.triangleObject.length }, (_, t) =>
        sceneTriangleNormal(scene, t),
      );
      for (const n of normals) expect(n[2]).toBeCloseTo(1, 12); // every triangle faces +z, as the strip/fan does
      expect(scene.warnings[0]).toMatch(/converted 1 triangle strip\/fan primitive/);
    }
  });

  it('OBJ groups keep only their vertices, at the right places', async () => {
    const scene = await load('two.obj', {
      'two.obj':
        'v 0 0 0\nv 1 0 0\nv 0 1 0\nv 5 5 5\nv 6 5 5\nv 5 6 5\no a\nf 4 5 6\no b\nf 1 2 3\no a\nf 1 2 3\n',
    });
    expect(scene.objects.map((o) => [o.name, o.triangleCount])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
    expect(Array.from(scene.positions.subarray(0, 18))).toEqual([
      5, 5, 5, 6, 5, 5, 5, 6, 5, 0, 0, 0, 1, 0, 0, 0, 1, 0,
    ]);
  });
});
