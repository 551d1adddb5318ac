import { beforeAll, describe, expect, it } from 'vitest';
import { sionnaScenePath } from '../../../test/paths.ts';
import type { Vec3 } from '../../core/vec3.ts';
import { nodeFileSource } from '../../node/nodeFileSource.ts';
import { loadScene } from '../../scene/load.ts';
import type { Scene } from '../../scene/types.ts';
import { buildBvh } from '../bvh.ts';
import { randomLinks } from '../gpu/testSupport.ts';
import { beamContains } from './beams.ts';
import type { BeamTree } from './beamTree.ts';
import { buildCandidates } from './candidateSet.ts';
import { receiverBins } from './receiverBins.ts';
import { resolveTraceOptions, tracePathsSync } from './tracePaths.ts';
import { tracerGeometry } from './tracerGeometry.ts';

const run = <T>(it: Generator<void, T>): T => {
  for (;;) {
    const s = it.next();
    if (s.done) return s.value;
  }
};

describe('receiver bins (beam × receiver culling through a box tree)', () => {
  let scene: Scene;
  let tx: Vec3;
  let rx: Vec3[];
  let tree: BeamTree;
  let nodes: number;
  // receivers on a plane as well (a radio-map tile: many on the same z, on grid lines)
  const grid: Vec3[] = [];
  for (let i = 0; i < 40; i++) for (let j = 0; j < 10; j++) grid.push([-40 + 2 * i, -6 + 1.25 * j, 1.5]);
  beforeAll(async () => {
    scene = await loadScene(nodeFileSource, sionnaScenePath('simple_street_canyon'));
    const g = tracerGeometry(scene, buildBvh(scene));
    ({ tx, rx } = randomLinks(scene, 300, 7));
    const o = resolveTraceOptions({ maxDepth: 3, scattering: false, diffraction: false });
    tree = buildCandidates(g, tx, o).tree;
    nodes = tree.completeSize;
  });

  it('lists for every receiver exactly the nodes whose beam holds it, ascending', () => {
    for (const points of [rx, grid]) {
      const bins = run(receiverBins(tree.beams, nodes, points, 0, points.length))!;
      let pairs = 0;
      for (let r = 0; r < points.length; r++) {
        const p = points[r]!;
        const expected: number[] = [];
        for (let v = 1; v < nodes; v++) if (beamContains(tree.beams, v, p[0], p[1], p[2])) expected.push(v);
        expect(Array.from(bins.nodes.subarray(bins.start[r]!, bins.start[r + 1]!))).toEqual(expected);
        pairs += expected.length;
      }
      expect(pairs).toBeGreaterThan(points.length); // the test sees real work
      expect(pairs).toBeLessThan(points.length * (nodes - 1)); // and real culling
    }
  });

  it('gives up (null) over its pair budget; receivers traced one by one get the paths of one block', () => {
    expect(run(receiverBins(tree.beams, nodes, grid, 0, grid.length, 100))).toBeNull();
    const opts = { maxDepth: 3, scattering: false };
    const all = tracePathsSync(scene, undefined, tx, grid, opts);
    const one = grid.map((p) => tracePathsSync(scene, undefined, tx, [p], opts)[0]!);
    expect(all).toEqual(one);
  });
});
