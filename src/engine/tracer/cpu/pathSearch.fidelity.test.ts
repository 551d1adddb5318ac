import { describe, expect, it } from 'vitest';
import { boxImageLengths } from '../../../test/oracles/boxImages.ts';
import { imageMethodPathsToMany } from '../../../test/oracles/imageMethod.ts';
import { SIONNA_SCENE_NAMES, sionnaScenePath } from '../../../test/paths.ts';
import { boxesInRoom, canyonWithCars } from '../../../test/scenes/generatedScenes.ts';
import { expectFullRecall, recallRun } from '../../../test/searchRecall.ts';
import { seededRandom } from '../../core/random.ts';
import type { Vec3 } from '../../core/vec3.ts';
import { nodeFileSource } from '../../node/nodeFileSource.ts';
import { loadScene } from '../../scene/load.ts';
import { rayPlan } from './receiverSearch.ts';
import { type SearchReport, tracePathsSync } from './tracePaths.ts';
import { tracerGeometry } from './tracerGeometry.ts';

/**
 * Completeness of the path search at its defaults (issue 18, acceptance 1; docs/physics.md §9):
 * every path of the exhaustive image-method reference (src/test/oracles/imageMethod.ts, no code
 * shared with the tracer) is found, on the fixture scenes and on generated scenes, for ≥ 50
 * links each (transmitters × receivers).
 */
describe('the reference itself', () => {
  it('pruning by apertures drops no path the cone alone keeps: boxes in a room to depth 4, canyon to depth 3', () => {
    for (const [g, depth, seed] of [
      [boxesInRoom(), 4, 25],
      [canyonWithCars(), 3, 27],
    ] as const) {
      const tx = g.links(1, seed).map((l) => l.tx)[0]!;
      const rxs = g.links(10, seed + 1).map((l) => l.rx);
      const options = { maxDepth: depth, transmission: false };
      const pruned = imageMethodPathsToMany(g.scene, tx, rxs, options);
      const coneOnly = imageMethodPathsToMany(g.scene, tx, rxs, { ...options, apertures: false });
      expect(pruned).toEqual(coneOnly);
      expect(pruned.flat().length).toBeGreaterThan(50);
    }
  });
});

describe('path search recall against the exhaustive image method', () => {
  it('boxes in a room (60 faces), depth 5, reflections: 50 links, 100 %, complete', () => {
    const g = boxesInRoom();
    const txs = g.links(5, 29).map((l) => l.tx);
    const rxs = g.links(10, 30).map((l) => l.rx);
    const r = recallRun(g.scene, txs, rxs, { maxDepth: 5, transmission: false });
    expectFullRecall(r, 50, 3000);
  });

  it('boxes in a room (60 faces), depth 4, reflections: 50 links, 100 %, complete', () => {
    const g = boxesInRoom();
    const txs = g.links(5, 21).map((l) => l.tx);
    const rxs = g.links(10, 22).map((l) => l.rx);
    const r = recallRun(g.scene, txs, rxs, { maxDepth: 4, transmission: false });
    expectFullRecall(r, 50, 1500);
  });

  it('links with few receivers (the tree without beams on its last level): depth 4, 50 links, 100 %', () => {
    const g = boxesInRoom();
    const txs = g.links(5, 21).map((l) => l.tx);
    const rxs = g.links(10, 22).map((l) => l.rx);
    const r = recallRun(g.scene, txs, rxs, { maxDepth: 4, transmission: false, lastLevelBeams: false });
    expect(r.referencePaths).toBeGreaterThan(1500);
    expectFullRecall(r, 50);
  });

  it('boxes in a room, depth 2, reflections and transmissions: 50 links, 100 %', () => {
    const g = boxesInRoom();
    const txs = g.links(5, 23).map((l) => l.tx);
    const rxs = g.links(10, 24).map((l) => l.rx);
    const r = recallRun(g.scene, txs, rxs, { maxDepth: 2 });
    expect(r.referencePaths).toBeGreaterThan(500);
    expectFullRecall(r, 50);
  });

  for (const name of SIONNA_SCENE_NAMES) {
    const depth = 5;
    it(`fixture ${name}: reflections to depth ${depth}, with transmissions to depth 3; 50 links, 100 %`, async () => {
      const scene = await loadScene(nodeFileSource, sionnaScenePath(name));
      const { min, max } = scene.bbox;
      const r = seededRandom(7);
      // points in the scene's box grown by 20 % (inside and outside its solids)
      const point = (): Vec3 =>
        [0, 1, 2].map((a) => {
          const w = max[a]! - min[a]! || 1;
          return min[a]! - 0.2 * w + 1.4 * w * r();
        }) as Vec3;
      const txs = Array.from({ length: 5 }, point);
      const rxs = Array.from({ length: 10 }, point);
      for (const res of [
        recallRun(scene, txs, rxs, { maxDepth: depth, transmission: false }),
        recallRun(scene, txs, rxs, { maxDepth: 3 }),
      ]) {
        expectFullRecall(res, 50);
      }
    });
  }

  it('closed metal box, depth 8, 10, 12: every image path (833, 1561, 2625), complete', async () => {
    const box = await loadScene(nodeFileSource, sionnaScenePath('box'));
    const tx: Vec3 = [1.2, 2.1, 1.5];
    const rx: Vec3 = [-2.3, -1.4, 3.2];
    for (const [depth, count] of [
      [8, 833],
      [10, 1561],
      [12, 2625],
    ] as const) {
      const reports: SearchReport[] = [];
      const [paths] = tracePathsSync(
        box,
        undefined,
        tx,
        [rx],
        { maxDepth: depth, scattering: false, diffraction: false, transmission: false },
        {},
        reports,
      );
      const expected = boxImageLengths(tx, rx, depth);
      expect(expected).toHaveLength(count);
      const got = paths!.map((p) => p.length).sort((a, b) => a - b);
      expect(got).toHaveLength(count);
      got.forEach((l, i) => {
        expect(l).toBeCloseTo(expected[i]!, 9);
      });
      expect(reports[0]).toMatchObject({ complete: true, missRate: 0 });
    }
  });
});

describe('beyond the transmitter tree', () => {
  const g = boxesInRoom();
  const txs = g.links(2, 31).map((l) => l.tx);
  const rxs = g.links(10, 32).map((l) => l.rx);

  it('a tree cut at depth 1, receiver trees met in the middle: still 100 % at depth 4, complete', () => {
    const r = recallRun(g.scene, txs, rxs, { maxDepth: 4, transmission: false, treeMaxDepth: 1 });
    expectFullRecall(r, 20);
  });

  it('shot rays only beyond depth 1: reported incomplete with the planned miss rate', () => {
    const r = recallRun(g.scene, txs, rxs, {
      maxDepth: 3,
      transmission: false,
      treeMaxDepth: 1,
      receiverTrees: false,
    });
    const plan = rayPlan(tracerGeometry(g.scene), 1e-3, 1_000_000);
    for (const rep of r.reports) {
      expect(rep).toEqual({ complete: false, exhaustiveDepth: 1, rays: plan.rays, missRate: plan.missRate });
    }
    // the plan: N = ⌈4π ln(1/p) / Ω_min⌉ rays (or the cap), miss rate exp(−N Ω_min / 4π)
    const D = tracerGeometry(g.scene).size;
    const aMin = Math.min(...g.scene.faces.map((f) => f.area).filter((a) => a >= 1e-6 * D * D));
    const omega = aMin / (D * D);
    expect(plan.rays).toBe(Math.min(1_000_000, Math.ceil((4 * Math.PI * Math.log(1000)) / omega)));
    expect(plan.missRate).toBeCloseTo(Math.exp((-plan.rays * omega) / (4 * Math.PI)), 12);
    expect(plan.missRate).toBeLessThanOrEqual(1e-3 + 1e-12);
    // with that many rays the deeper paths of this room are still all found
    expect(r.missed).toEqual([]);
  });
});
