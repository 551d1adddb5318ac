import { describe, expect, it } from 'vitest';
import { DEMO_ROOM_PATH, sionnaScenePath } from '../../../test/paths.ts';
import { seededRandom } from '../../core/random.ts';
import { nodeFileSource } from '../../node/nodeFileSource.ts';
import { loadScene } from '../../scene/load.ts';
import { buildBvh } from '../bvh.ts';
import { randomLinks } from '../gpu/testSupport.ts';
import { BEAM_CONE, BEAM_LEAN, beamContains } from './beams.ts';
import { BeamTree } from './beamTree.ts';
import { candidateCache } from './candidateSet.ts';
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

  it('keeps every level above the last culled, and tests the last level through the parents', async () => {
    const scene = await loadScene(nodeFileSource, DEMO_ROOM_PATH);
    const g = tracerGeometry(scene, buildBvh(scene));
    const { tol } = tracerTolerances(g);
    const grow = (lastLevelBeams: boolean) => {
      const t = new BeamTree(g, [0, 0, 2.5], true, true, tol, true, lastLevelBeams);
      for (const _ of t.grow(3, 1e6));
      return t;
    };
    const full = grow(true);
    const lean = grow(false);
    // levels 0–2 are the same nodes; the last level has at least the full tree's (no occlusion cut)
    expect(lean.levelStart.slice(0, 4)).toEqual(full.levelStart.slice(0, 4));
    expect(lean.levelStart[4]! - lean.levelStart[3]!).toBeGreaterThanOrEqual(
      full.levelStart[4]! - full.levelStart[3]!,
    );
    const kinds = new Set<number>();
    for (let v = lean.levelStart[3]!; v < lean.levelStart[4]!; v++) kinds.add(lean.beams.kind[v]!);
    expect(kinds.has(BEAM_LEAN)).toBe(true);
    expect(kinds.has(BEAM_CONE)).toBe(false);
    // conservative: a point in a node's own cone passes its lean test (the path through the node
    // reaches it), and the lean test keeps far fewer points than no test at all
    const rnd = seededRandom(5);
    let inCone = 0;
    let inLean = 0;
    let samples = 0;
    for (let v = full.levelStart[3]!; v < full.levelStart[4]!; v += 7) {
      const w = lean.trie.find(full.trie.parent[v]!, full.trie.face[v]!, full.trie.type[v]!);
      expect(w).toBeGreaterThan(0);
      for (let k = 0; k < 20; k++) {
        const p = [-5 + 10 * rnd(), -5 + 10 * rnd(), 3 * rnd()] as const;
        samples++;
        const a = beamContains(full.beams, v, p[0], p[1], p[2]);
        const b = beamContains(lean.beams, w, p[0], p[1], p[2]);
        if (a) {
          inCone++;
          expect(b).toBe(true);
        }
        if (b) inLean++;
      }
    }
    expect(inCone).toBeGreaterThan(0);
    expect(inLean).toBeLessThan(0.5 * samples);
  });
});
