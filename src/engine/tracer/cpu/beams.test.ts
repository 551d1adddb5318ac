import { beforeAll, describe, expect, it } from 'vitest';
import { sionnaScenePath } from '../../../test/paths.ts';
import type { Vec3 } from '../../core/vec3.ts';
import { nodeFileSource } from '../../node/nodeFileSource.ts';
import { loadScene } from '../../scene/load.ts';
import type { Scene } from '../../scene/types.ts';
import { buildBvh } from '../bvh.ts';
import { buildCandidates } from '../cpu/candidateSet.ts';
import { CandidateTrie, extendImages, REFLECTION, TRANSMISSION } from '../cpu/candidates.ts';
import { quad, sceneFromMeshes } from '../cpu/testScenes.ts';
import { resolveTraceOptions, tracePathsSync } from '../cpu/tracePaths.ts';
import { tracerGeometry } from '../cpu/tracerGeometry.ts';
import { BeamShadows } from '../gpu/beamShadows.ts';
import { randomLinks } from '../gpu/testSupport.ts';
import { BEAM_CONE, BEAM_EMPTY, beamContains, beamMargin, candidateBeams, footprintRow } from './beams.ts';

/** Trie, images, beams and shadows for a hand-made candidate list on a small scene. */
function prepare(scene: Scene, tx: Vec3, sequences: [face: number, type: number][][]) {
  const g = tracerGeometry(scene, buildBvh(scene));
  const trie = new CandidateTrie();
  const nodes = sequences.map((seq) => seq.reduce((v, [f, t]) => trie.child(v, f, t), 0));
  const images = extendImages(g, tx, trie, new Float64Array(0), 0);
  const beams = candidateBeams(g, trie, images);
  const everywhere = [-1e3, -1e3, -1e3, 1e3, 1e3, 1e3];
  return { g, trie, nodes, beams, shadows: new BeamShadows(g, trie, images, beams, everywhere) };
}

describe('beam of one reflection off an axis-aligned rectangle (closed form)', () => {
  // mirror x = 1, |y| ≤ 1, 0 ≤ z ≤ 3; Tx (0, 0, 2), image (2, 0, 2). On the plane z = 1 the
  // reflected rays reach the points with x < 1 whose line to the image crosses the mirror:
  // at s = 1/(2 − x) the crossing has |y|·s ≤ 1 and z = 2 − s ∈ [0, 3], i.e. |y| ≤ 2 − x
  // (the z bound only needs x ≤ 1.5)
  const mirror = quad('mirror', 'itu_metal', [1, -1, 0], [1, 1, 0], [1, 1, 3], [1, -1, 3]);
  const scene = sceneFromMeshes('mirror', [mirror]);
  const tx: Vec3 = [0, 0, 2];

  it('its footprint on a grid is the wedge x < 1, |y| ≤ 2 − x, up to the margin', () => {
    const { nodes, beams, g } = prepare(scene, tx, [[[0, REFLECTION]]]);
    const node = nodes[0]!;
    expect(beams.kind[node]).toBe(BEAM_CONE);
    const grid = { xmin: -4, ymin: -7, cellSize: 0.05, nx: 120, z: 1 };
    const ny = 280;
    const span = new Int32Array(2);
    const margin = beamMargin(g);
    let inside = 0;
    for (let iy = 0; iy < ny; iy++) {
      footprintRow(beams, node, grid, iy, span);
      const y = grid.ymin + (iy + 0.5) * grid.cellSize;
      for (let ix = 0; ix < grid.nx; ix++) {
        const x = grid.xmin + (ix + 0.5) * grid.cellSize;
        const expected = x < 1 && Math.abs(y) <= 2 - x;
        const got = ix >= span[0]! && ix <= span[1]!;
        // the row interval and the per-point test agree
        expect(beamContains(beams, node, x, y, grid.z)).toBe(got);
        if (expected) {
          inside++;
          expect(got).toBe(true); // conservative: never loses a cell
        } else {
          // only cells within a few margins of the wedge's edges are added
          const off = Math.max(x - 1, (Math.abs(y) - (2 - x)) / Math.SQRT2);
          if (got) expect(off).toBeLessThan(10 * margin);
        }
      }
    }
    expect(inside).toBeGreaterThan(1000);
  });
});

describe('empty beams', () => {
  // A: small mirror at x = 2 facing the Tx; B: quad behind A (x = 3); C: off to the side of
  // the cone through A; Tx at the origin
  const a = quad('a', 'itu_metal', [2, -1, -1], [2, 1, -1], [2, 1, 1], [2, -1, 1]);
  const b = quad('b', 'itu_metal', [3, -1, -1], [3, 1, -1], [3, 1, 1], [3, -1, 1]);
  const c = quad('c', 'itu_metal', [4, 10, -1], [4, 12, -1], [4, 12, 1], [4, 10, 1]);
  const scene = sceneFromMeshes('hidden', [a, b, c]);
  const tx: Vec3 = [0, 0, 0];

  it('a reflection off A cannot reach B behind it; through A, C is outside the cone', () => {
    const { nodes, beams } = prepare(scene, tx, [
      [[0, REFLECTION]],
      [
        [0, REFLECTION],
        [1, REFLECTION],
      ],
      [
        [0, REFLECTION],
        [1, REFLECTION],
        [2, TRANSMISSION],
      ],
      [
        [0, TRANSMISSION],
        [2, REFLECTION],
      ],
      [
        [0, TRANSMISSION],
        [1, TRANSMISSION],
      ],
    ]);
    expect(beams.kind[nodes[0]!]).toBe(BEAM_CONE);
    expect(beams.kind[nodes[1]!]).toBe(BEAM_EMPTY); // B is behind A's mirror side
    expect(beams.kind[nodes[2]!]).toBe(BEAM_EMPTY); // every extension of an empty beam
    expect(beams.kind[nodes[3]!]).toBe(BEAM_EMPTY); // C outside the cone through A
    expect(beams.kind[nodes[4]!]).toBe(BEAM_CONE); // B is straight behind A: visible
    // the reflected beam goes back towards −x, not through A
    expect(beamContains(beams, nodes[0]!, -3, 0, 0)).toBe(true);
    expect(beamContains(beams, nodes[0]!, 3, 0, 0)).toBe(false);
  });

  it('B shadows the straight-through beam beyond it, not in front of it', () => {
    const { nodes, shadows } = prepare(scene, tx, [[[0, TRANSMISSION]]]);
    // segment from A to the receiver is blocked by B for receivers behind B (x > 3, |y| < x/3),
    // except along the diagonal B's two triangles share (shadows are per triangle: a ray
    // through a shared edge may miss both triangles in the reference's float64 test)
    expect(shadows.blocked(nodes[0]!, 5, 0.5, -0.2)).toBe(true);
    expect(shadows.blocked(nodes[0]!, 5, 0, 0)).toBe(false);
    expect(shadows.blocked(nodes[0]!, 2.5, 0, 0)).toBe(false);
    // LoS (node 0) is blocked by A itself for receivers behind A
    expect(shadows.blocked(0, 5, 0.5, 0)).toBe(true);
    expect(shadows.blocked(0, 1, 0, 0)).toBe(false);
  });
});

/**
 * The culling never drops a path of the reference: for every path the CPU reference finds, the
 * receiver lies in its candidate's beam and in none of its shadows.
 */
describe.each([
  ['demo room', 'public/demo/room.xml', 1],
  ['simple_street_canyon', sionnaScenePath('simple_street_canyon'), 2],
  ['box', sionnaScenePath('box'), 3],
])('beam culling keeps every reference path: %s', (_name, file, seed) => {
  let scene: Scene;
  beforeAll(async () => {
    scene = await loadScene(nodeFileSource, file);
  });

  it('depth 3, 40 links: each path in its beam, outside its shadows; most pairs culled', () => {
    const bvh = buildBvh(scene);
    const { tx, rx } = randomLinks(scene, 40, 500 + seed);
    const options = { maxDepth: 3, scattering: false, diffraction: false };
    const g = tracerGeometry(scene, bvh);
    const { tree } = buildCandidates(g, tx, resolveTraceOptions(options));
    const { trie, images, beams } = tree;
    const box = [Infinity, Infinity, Infinity, -Infinity, -Infinity, -Infinity];
    for (const p of rx) {
      for (let a = 0; a < 3; a++) {
        box[a] = Math.min(box[a]!, p[a]!);
        box[3 + a] = Math.max(box[3 + a]!, p[a]!);
      }
    }
    const shadows = new BeamShadows(g, trie, images, beams, box);
    const bySequence = new Map<string, number>();
    const key: string[] = [''];
    for (let v = 1; v < trie.size; v++) {
      key[v] = `${key[trie.parent[v]!]}${trie.type[v] === REFLECTION ? 'r' : 't'}${trie.face[v]}-`;
      bySequence.set(key[v]!, v);
    }
    const paths = tracePathsSync(scene, bvh, tx, rx, options);
    let checked = 0;
    paths.forEach((list, r) => {
      const p = rx[r]!;
      for (const path of list) {
        const seq = path.interactions
          .map((i) => `${i.type === 'reflection' ? 'r' : 't'}${i.faceIndex}-`)
          .join('');
        const v = seq === '' ? 0 : bySequence.get(seq);
        expect(v).toBeDefined();
        expect(beamContains(beams, v!, p[0], p[1], p[2])).toBe(true);
        expect(shadows.blocked(v!, p[0], p[1], p[2])).toBe(false);
        checked++;
      }
    });
    expect(checked).toBeGreaterThan(40);
    // and the culling does cull: of all (candidate, receiver) pairs few remain
    let kept = 0;
    for (let v = 0; v < trie.size; v++) {
      for (const p of rx)
        if (beamContains(beams, v, p[0], p[1], p[2]) && !shadows.blocked(v, p[0], p[1], p[2])) kept++;
    }
    expect(kept).toBeLessThan(0.2 * trie.size * rx.length);
    expect(kept).toBeGreaterThanOrEqual(checked);
  });
});
