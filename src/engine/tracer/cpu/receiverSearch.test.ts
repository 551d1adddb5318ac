import { describe, expect, it } from 'vitest';
import { DEMO_ROOM_PATH } from '../../../test/paths.ts';
import type { Vec3 } from '../../core/vec3.ts';
import { nodeFileSource } from '../../node/nodeFileSource.ts';
import { loadScene } from '../../scene/load.ts';
import { randomLinks } from '../gpu/testSupport.ts';
import { pathSignature } from '../path.ts';
import { BEAM_ALL } from './beams.ts';
import { buildCandidates } from './candidateSet.ts';
import { BeyondTree } from './receiverSearch.ts';
import { SpecularSolver } from './specular.ts';
import { dedupeAndSort, resolveTraceOptions } from './tracePaths.ts';
import { tracerGeometry, tracerTolerances } from './tracerGeometry.ts';

const run = <T>(it: Generator<void, T>): T => {
  for (;;) {
    const s = it.next();
    if (s.done) return s.value;
  }
};

/**
 * Beyond the transmitter's tree, the meet-in-the-middle join runs for a block of receivers at
 * once (joinSteps: a point index over the receiver sequences' images, queried with the narrow
 * transmitter beams) or per receiver (paths: the transmitter images queried with each receiver
 * beam; the WebGPU backend's). Both must find the same paths, receiver by receiver, and the
 * join must find some (the tree is cut short so that it has work).
 */
describe('meet in the middle, per block of receivers and per receiver', () => {
  // [1, 4]: receiver trees of ~10⁴ sequences each, so the block is joined in several groups;
  // a transmitter at the height of the boxes' tops (1 m): beams with their apex in a face's plane
  // keep every point (BEAM_ALL)
  for (const [treeMaxDepth, maxDepth, grazing] of [
    [1, 3, false],
    [2, 4, false],
    [1, 4, false],
    [2, 4, true],
  ] as const) {
    it(`demo room, transmitter tree to depth ${treeMaxDepth}, paths to depth ${maxDepth}${grazing ? ', transmitter in the plane of the boxes’ tops' : ''}: the same paths`, async () => {
      const scene = await loadScene(nodeFileSource, DEMO_ROOM_PATH);
      const g = tracerGeometry(scene);
      const { tol, occlusionEps } = tracerTolerances(g);
      const o = resolveTraceOptions({ maxDepth, treeMaxDepth, transmission: false, diffraction: false });
      const links = randomLinks(scene, 24, 5);
      const rx = links.rx;
      const tx: Vec3 = grazing ? [-2, 3, 1] : links.tx;
      const c = buildCandidates(g, tx, o);
      expect(c.tree.completeDepth).toBe(treeMaxDepth);
      const { levelStart, beams } = c.tree;
      let wide = 0;
      for (let v = levelStart[treeMaxDepth]!; v < levelStart[treeMaxDepth + 1]!; v++)
        if (beams.kind[v] === BEAM_ALL) wide++;
      if (grazing) expect(wide).toBeGreaterThan(10);
      else expect(wide).toBe(0);
      const solver = new SpecularSolver(g, tx, c.tree.trie, c.tree.images, tol, occlusionEps);
      const beyond = new BeyondTree(g, tx, o, c, solver);
      const joined = run(beyond.joinSteps(rx, 0, rx.length));
      expect(joined).toHaveLength(rx.length);
      let deeper = 0;
      rx.forEach((r: Vec3, i) => {
        const block = [...joined[i]!.paths];
        const one: typeof block = [];
        beyond.paths(r, one);
        const sig = (ps: typeof block) => dedupeAndSort(ps).map(pathSignature);
        expect(sig(block), `receiver ${i}`).toEqual(sig(one));
        expect(joined[i]!.rxDepth).toBe(maxDepth - treeMaxDepth);
        deeper += block.length;
      });
      expect(deeper).toBeGreaterThan(rx.length);
    });
  }
});
