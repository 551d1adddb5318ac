import { describe, expect, it } from 'vitest';
import { DEMO_ROOM_PATH, sionnaScenePath } from '../../../test/paths.ts';
import { nodeFileSource } from '../../node/nodeFileSource.ts';
import { loadScene } from '../../scene/load.ts';
import { buildBvh } from '../bvh.ts';
import { randomLinks } from '../gpu/testSupport.ts';
import { BEAM_ALL } from './beams.ts';
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

  it('keeps every level above the last culled, and marks only the last level unbounded', async () => {
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
    for (let v = lean.levelStart[3]!; v < lean.levelStart[4]!; v++) expect(lean.beams.kind[v]).toBe(BEAM_ALL);
  });
});
