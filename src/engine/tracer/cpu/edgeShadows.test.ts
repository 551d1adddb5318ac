import { describe, expect, it } from 'vitest';
import { CITY_PATH } from '../../../test/paths.ts';
import { seededRandom } from '../../core/random.ts';
import type { Vec3 } from '../../core/vec3.ts';
import { nodeFileSource } from '../../node/nodeFileSource.ts';
import { loadScene } from '../../scene/load.ts';
import type { Scene } from '../../scene/types.ts';
import type { PathGeometry } from '../path.ts';
import { diffractedPaths, EdgeDiffraction } from './diffraction.ts';
import { BLOCKED, classifyOnEdge, edgeHidden, edgeShadow, UNDECIDED } from './edgeShadows.ts';
import { segmentOccluded } from './rayCast.ts';
import { cuboid, quad, sceneFromMeshes } from './testScenes.ts';
import { type TracerGeometry, tracerGeometry, tracerTolerances } from './tracerGeometry.ts';
import { sceneWedges, type Wedge } from './wedges.ts';

/**
 * Boxes on a floor, a free-standing plate (free edges) and a box standing on another, with the
 * transmitters below placed on the boxes' face planes and at their tops' heights: the grazing
 * cases where a shadow boundary runs through an edge.
 */
const blocks = (): Scene =>
  sceneFromMeshes('blocks', [
    cuboid('floor', 'itu_concrete', [-20, -20, -0.3], [20, 20, 0]),
    cuboid('a', 'itu_brick', [-6, -4, 0], [-2, 2, 3]),
    cuboid('b', 'itu_metal', [1, -1, 0], [4, 5, 6]),
    cuboid('b-top', 'itu_glass', [2, 0, 6], [3, 2, 7]),
    cuboid('c', 'itu_wood', [-3, 6, 0], [3, 8, 2]),
    quad('plate', 'itu_metal', [6, -5, 0.5], [6, 5, 0.5], [6, 5, 4], [6, -5, 4]),
  ]);

const generalTxs: Vec3[] = [
  [0, -10, 1.5],
  [-10, 0, 5],
  [5, 12, 7.5],
];
const grazingTxs: Vec3[] = [
  [0, 0, 3], // at the height of a's top
  [-2, -10, 2], // in the plane of a's east face
  [10, 3, 6], // at the height of b's top
];
const txs = [...generalTxs, ...grazingTxs];

const allWedges = (g: TracerGeometry): Wedge[] => {
  const w = sceneWedges(g);
  return [...w.wedges, ...w.freeEdges];
};

/**
 * Every decided point of every edge agrees with the exact occlusion test: points drawn at random
 * and just inside and outside each interval end (where rounding could flip a careless bound).
 * Returns the share of the random points the shadows decided.
 */
function checkAgainstExact(g: TracerGeometry, tx: Vec3, wedges: readonly Wedge[], seed: number): number {
  const { occlusionEps } = tracerTolerances(g);
  const random = seededRandom(seed);
  let decided = 0;
  let total = 0;
  for (const w of wedges) {
    const shadow = edgeShadow(g, w, tx, occlusionEps);
    const ends = [...shadow.blocked, ...shadow.maybe].filter(Number.isFinite);
    const drawn = Array.from({ length: 6 }, () => random() * w.length);
    const ss = [...drawn, 0, w.length];
    for (const b of ends)
      for (const d of [0, 1e-12, 1e-9, 1e-6, 1e-3]) ss.push(b - d * g.size, b + d * g.size);
    for (const s of ss) {
      if (!(s >= 0 && s <= w.length)) continue;
      const q: Vec3 = [w.start[0] + s * w.e[0], w.start[1] + s * w.e[1], w.start[2] + s * w.e[2]];
      const c = classifyOnEdge(shadow, s);
      if (drawn.includes(s)) {
        total++;
        if (c !== UNDECIDED) decided++;
      }
      if (c === UNDECIDED) continue;
      const occluded = segmentOccluded(
        g,
        tx[0],
        tx[1],
        tx[2],
        q[0],
        q[1],
        q[2],
        -1,
        w.faceA,
        occlusionEps,
        -1,
        w.faceB,
      );
      if (occluded !== (c === BLOCKED))
        throw new Error(`edge ${w.start} → ${w.end}, s = ${s}: shadows say ${c}, the exact test ${occluded}`);
    }
    if (edgeHidden(shadow, w.length))
      for (const s of ss.filter((s) => s >= 0 && s <= w.length))
        expect(classifyOnEdge(shadow, s)).toBe(BLOCKED);
  }
  return decided / total;
}

describe('edge shadows (which points of an edge the transmitter sees)', () => {
  it('agree with the exact occlusion test wherever they decide, grazing transmitters included', () => {
    const g = tracerGeometry(blocks());
    const wedges = allWedges(g);
    expect(wedges.length).toBeGreaterThan(60);
    generalTxs.forEach((tx, k) => {
      // undecided: points near a shadow's boundary, and the bottom edges of the boxes, which lie
      // in the floor's plane (there the exact test's t < |Q − Tx| decides by rounding)
      expect(checkAgainstExact(g, tx, wedges, 10 + k)).toBeGreaterThan(0.8);
    });
    // a transmitter in a triangle's plane leaves the edges behind that triangle to the exact test
    grazingTxs.forEach((tx, k) => {
      expect(checkAgainstExact(g, tx, wedges, 20 + k)).toBeGreaterThan(0.5);
    });
  });

  it('agree with the exact test on the city fixture (13,500 triangles), and hide most edges from a street corner', async () => {
    const g = tracerGeometry(await loadScene(nodeFileSource, CITY_PATH));
    const random = seededRandom(7);
    const wedges = allWedges(g);
    const sample = Array.from({ length: 400 }, () => wedges[Math.floor(random() * wedges.length)]!);
    const tx: Vec3 = [0, 0, 10];
    expect(checkAgainstExact(g, tx, sample, 3)).toBeGreaterThan(0.9);
    const { occlusionEps } = tracerTolerances(g);
    const hidden = sample.filter((w) => edgeHidden(edgeShadow(g, w, tx, occlusionEps), w.length)).length;
    expect(hidden / sample.length).toBeGreaterThan(0.5);
  });

  it('leave the diffracted paths as the exact test alone finds them, receiver by receiver', () => {
    const g = tracerGeometry(blocks());
    const wedges = allWedges(g);
    const { occlusionEps } = tracerTolerances(g);
    const random = seededRandom(5);
    for (const tx of txs) {
      // one search for 600 receivers (shadows worked out as it goes, then all of them after 256)
      // against a fresh search per receiver (every first leg tested exactly)
      const search = new EdgeDiffraction(g, wedges, tx, occlusionEps);
      let paths = 0;
      for (let r = 0; r < 600; r++) {
        const rx: Vec3 = [-15 + 30 * random(), -15 + 30 * random(), 0.2 + 8 * random()];
        const got: PathGeometry[] = [];
        const want: PathGeometry[] = [];
        search.paths(rx, got);
        diffractedPaths(g, wedges, tx, rx, occlusionEps, want);
        expect(got).toEqual(want);
        paths += want.length;
      }
      expect(paths).toBeGreaterThan(100);
    }
  });
});
