import { describe, expect, it } from 'vitest';
import { DEMO_ROOM_PATH, sionnaScenePath } from '../../../test/paths.ts';
import { seededRandom } from '../../core/random.ts';
import { nodeFileSource } from '../../node/nodeFileSource.ts';
import { loadScene } from '../../scene/load.ts';
import { buildBvh } from '../bvh.ts';
import { randomLinks } from '../gpu/testSupport.ts';
import { BEAM_ALL, BEAM_LEAN, beamContains } from './beams.ts';
import { BeamTree } from './beamTree.ts';
import { candidateCache } from './candidateSet.ts';
import { SpecularSolver } from './specular.ts';
import { tracePathsSync } from './tracePaths.ts';
import { tracerGeometry, tracerTolerances } from './tracerGeometry.ts';

describe('beam tree without beams on its last level (links with few receivers)', () => {
  it.each([
    ['demo room, depth 3', DEMO_ROOM_PATH, 3],
    ['street canyon, depth 3', sionnaScenePath('simple_street_canyon'), 3],
    ['box, depth 4', sionnaScenePath('box'), 4],
  ])('%s: the same paths as with every beam, for every mechanism', async (_, path, maxDepth) => {
    const scene = await loadScene(nodeFileSource, path);
    const bvh = buildBvh(scene);
    const { tx, rx } = randomLinks(scene, 6, 11);
    const opts = { maxDepth, scatteringRays: 2000 };
    candidateCache.clear();
    const full = tracePathsSync(scene, bvh, tx, rx, opts);
    candidateCache.clear();
    const lean = tracePathsSync(scene, bvh, tx, rx, { ...opts, lastLevelBeams: false });
    expect(lean).toEqual(full);
    expect(full.flat().filter((p) => p.interactions.length === maxDepth).length).toBeGreaterThan(0);
  });

  it('keeps every level above the last culled, and gives each receiver the last-level nodes that can reach it', async () => {
    const scene = await loadScene(nodeFileSource, DEMO_ROOM_PATH);
    const g = tracerGeometry(scene, buildBvh(scene));
    const { tol } = tracerTolerances(g);
    const grow = (lastLevelBeams: boolean) => {
      const t = new BeamTree(g, [0, 0, 2.5], true, true, tol, Infinity, lastLevelBeams);
      for (const _ of t.grow(3, 1e6));
      return t;
    };
    const full = grow(true);
    const lean = grow(false);
    // levels 0–2 are the same nodes; the last level is listed, not built
    expect(lean.levelStart.slice(0, 4)).toEqual(full.levelStart.slice(0, 4));
    expect(lean.levelStart[4]).toBe(lean.levelStart[3]);
    expect(lean.completeDepth).toBe(3);
    const listed = 2 * lean.lazyFaces!.faces.length;
    // conservative: every last-level sequence with a valid path to the receiver (every node of
    // the full tree solved) is visited; and the tests keep few of the listed candidates
    const { occlusionEps } = tracerTolerances(g);
    const solver = new SpecularSolver(g, [0, 0, 2.5], full.trie, full.images, tol, occlusionEps);
    const rnd = seededRandom(5);
    let visited = 0;
    let valid = 0;
    for (let k = 0; k < 30; k++) {
      const rx = [-4.8 + 9.6 * rnd(), -4.8 + 9.6 * rnd(), 0.1 + 2.8 * rnd()] as [number, number, number];
      const seen = new Set<number>();
      lean.lastLevelFor(rx, (w) => {
        expect(seen.has(w)).toBe(false);
        seen.add(w);
        expect([BEAM_LEAN, BEAM_ALL]).toContain(lean.beams.kind[w]);
        expect(beamContains(lean.beams, w, rx[0], rx[1], rx[2])).toBe(true);
      });
      visited += seen.size;
      for (let v = full.levelStart[3]!; v < full.levelStart[4]!; v++) {
        if (!solver.solve(v, rx)) continue;
        valid++;
        const w = lean.trie.find(full.trie.parent[v]!, full.trie.face[v]!, full.trie.type[v]!);
        expect(seen.has(w)).toBe(true);
      }
    }
    expect(valid).toBeGreaterThan(0);
    expect(visited / 30).toBeLessThan(0.1 * listed);
  });
});
