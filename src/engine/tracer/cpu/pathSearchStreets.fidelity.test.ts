import { describe, expect, it } from 'vitest';
import { canyonWithCars } from '../../../test/scenes/generatedScenes.ts';
import { expectFullRecall, recallRun } from '../../../test/searchRecall.ts';
import type { PathGeometry } from '../path.ts';
import { tracePathsSync } from './tracePaths.ts';

/**
 * Completeness in a street (issue 18, acceptance 1): the street canyon with 24 cars (321 faces)
 * to depth 5, 50 links each, against the exhaustive image-method reference; and reciprocity of
 * the specular search on 20 canyon links. The city block: pathSearchCity.fidelity.test.ts.
 */
describe('path search recall in a street canyon', () => {
  it('street canyon with cars, depth 3, reflections: 50 links, 100 %, complete', () => {
    const g = canyonWithCars();
    const txs = g.links(5, 41).map((l) => l.tx);
    const rxs = g.links(10, 42).map((l) => l.rx);
    const r = recallRun(g.scene, txs, rxs, { maxDepth: 3, transmission: false });
    expectFullRecall(r, 50, 200);
  });

  it('street canyon with cars, depth 4, reflections: 50 links, 100 %, complete', () => {
    const g = canyonWithCars();
    const txs = g.links(5, 51).map((l) => l.tx);
    const rxs = g.links(10, 52).map((l) => l.rx);
    const r = recallRun(g.scene, txs, rxs, { maxDepth: 4, transmission: false });
    expectFullRecall(r, 50, 300);
  });

  it('street canyon with cars, depth 5, reflections: 50 links, 100 %, complete', () => {
    const g = canyonWithCars();
    const txs = g.links(5, 55).map((l) => l.tx);
    const rxs = g.links(10, 56).map((l) => l.rx);
    const r = recallRun(g.scene, txs, rxs, { maxDepth: 5, transmission: false });
    expectFullRecall(r, 50, 300);
  });

  it('street canyon with cars, depth 2, reflections and transmissions: 50 links, 100 %', () => {
    const g = canyonWithCars();
    const txs = g.links(5, 43).map((l) => l.tx);
    const rxs = g.links(10, 44).map((l) => l.rx);
    const r = recallRun(g.scene, txs, rxs, { maxDepth: 2 });
    expectFullRecall(r, 50);
  });

  it('reciprocity: 20 canyon links, depth 3, reflections and transmissions, same paths both ways', () => {
    const g = canyonWithCars();
    const txs = g.links(5, 47).map((l) => l.tx);
    const rxs = g.links(4, 48).map((l) => l.rx);
    const options = { maxDepth: 3, scattering: false, diffraction: false } as const;
    const forward = txs.map((tx) => tracePathsSync(g.scene, undefined, tx, rxs, options));
    const backward = rxs.map((rx) => tracePathsSync(g.scene, undefined, rx, txs, options));
    const key = (p: PathGeometry, reverse: boolean) => {
      const seq = p.interactions.map((i) => `${i.type[0]}${i.faceIndex}`);
      return (reverse ? seq.reverse() : seq).join('-') || 'los';
    };
    let paths = 0;
    for (let i = 0; i < txs.length; i++) {
      for (let j = 0; j < rxs.length; j++) {
        const ab = new Map(forward[i]![j]!.map((p) => [key(p, false), p.length]));
        const ba = new Map(backward[j]![i]!.map((p) => [key(p, true), p.length]));
        expect([...ba.keys()].sort()).toEqual([...ab.keys()].sort());
        for (const [k, l] of ab) expect(Math.abs(ba.get(k)! - l)).toBeLessThan(1e-9);
        paths += ab.size;
      }
    }
    expect(paths).toBeGreaterThan(100);
  });
});
