import { beforeAll, describe, expect, it } from 'vitest';
import { boxImageLengths } from '../../../test/oracles/boxImages.ts';
import { sionnaScenePath } from '../../../test/paths.ts';
import type { Vec3 } from '../../core/vec3.ts';
import { nodeFileSource } from '../../node/nodeFileSource.ts';
import { loadScene } from '../../scene/load.ts';
import type { Scene } from '../../scene/types.ts';
import { buildBvh } from '../bvh.ts';
import { type PathGeometry, pathSignature } from '../path.ts';
import { CpuPathTracer, dedupeAndSort, pathRanks, tracePaths, tracePathsSync } from './tracePaths.ts';

const specularOnly = { scattering: false, diffraction: false, transmission: false } as const;

describe('CPU path search in the closed metal box (acceptance 4, geometry)', () => {
  let box: Scene;
  const tx: Vec3 = [1.2, 2.1, 1.5];
  const rx: Vec3 = [-2.3, -1.4, 3.2];
  beforeAll(async () => {
    box = await loadScene(nodeFileSource, sionnaScenePath('box'));
  });

  it('depth 1: exactly one LoS and six single reflections, one per wall', () => {
    const [paths] = tracePathsSync(box, undefined, tx, [rx], { maxDepth: 1, ...specularOnly });
    expect(paths!.filter((p) => p.kind === 'los')).toHaveLength(1);
    const refl = paths!.filter((p) => p.kind === 'specular');
    expect(refl).toHaveLength(6);
    expect(new Set(refl.map((p) => p.interactions[0]!.faceIndex)).size).toBe(6);
    expect(paths).toHaveLength(7);
  });

  for (const depth of [2, 3]) {
    it(`depth ${depth}: count and unfolded lengths equal the image-source enumeration`, () => {
      const [paths] = tracePathsSync(box, undefined, tx, [rx], { maxDepth: depth, ...specularOnly });
      const expected = boxImageLengths(tx, rx, depth);
      const got = paths!.map((p) => p.length).sort((a, b) => a - b);
      expect(got).toHaveLength(expected.length);
      got.forEach((l, i) => {
        expect(l).toBeCloseTo(expected[i]!, 9);
      });
      for (const p of paths!) {
        // every bounce lies on a wall of the box
        for (const it of p.interactions) {
          const onWall =
            Math.abs(Math.abs(it.point[0]) - 5) < 1e-9 ||
            Math.abs(Math.abs(it.point[1]) - 5) < 1e-9 ||
            Math.abs(it.point[2]) < 1e-9 ||
            Math.abs(it.point[2] - 5) < 1e-9;
          expect(onWall).toBe(true);
        }
      }
    });
  }

  it('depth 4 found by shot rays alone (no exhaustive enumeration) matches the enumeration', () => {
    const [paths] = tracePathsSync(box, undefined, tx, [rx], {
      maxDepth: 4,
      ...specularOnly,
      treeMaxDepth: 0,
      receiverTrees: false,
      rays: 4000,
    });
    const expected = boxImageLengths(tx, rx, 4);
    expect(expected).toHaveLength(1 + 6 + 18 + 38 + 66);
    const got = paths!.map((p) => p.length).sort((a, b) => a - b);
    expect(got).toHaveLength(expected.length);
    got.forEach((l, i) => {
      expect(l).toBeCloseTo(expected[i]!, 9);
    });
  });

  it('depth 6 (exhaustive to 3, shot rays beyond) matches the enumeration: 377 paths', () => {
    const [paths] = tracePathsSync(box, undefined, tx, [rx], { maxDepth: 6, ...specularOnly });
    const expected = boxImageLengths(tx, rx, 6);
    expect(expected).toHaveLength(377);
    const got = paths!.map((p) => p.length).sort((a, b) => a - b);
    expect(got).toHaveLength(expected.length);
    got.forEach((l, i) => {
      expect(l).toBeCloseTo(expected[i]!, 9);
    });
  });

  it('reciprocity: swapping Tx and Rx gives the same lengths and reversed sequences', () => {
    const [ab] = tracePathsSync(box, undefined, tx, [rx], { maxDepth: 3, ...specularOnly });
    const [ba] = tracePathsSync(box, undefined, rx, [tx], { maxDepth: 3, ...specularOnly });
    const key = (p: PathGeometry, reverse: boolean) => {
      const seq = p.interactions.map((i) => i.faceIndex);
      return (reverse ? seq.reverse() : seq).join('-');
    };
    const mapAb = new Map(ab!.map((p) => [key(p, false), p.length]));
    const mapBa = new Map(ba!.map((p) => [key(p, true), p.length]));
    expect(mapBa.size).toBe(mapAb.size);
    for (const [k, l] of mapAb) expect(mapBa.get(k)).toBeCloseTo(l, 9);
  });

  it('is deterministic and sorted by length', () => {
    const bvh = buildBvh(box);
    const a = tracePathsSync(box, bvh, tx, [rx, [0, 0, 2]], {
      maxDepth: 3,
      rays: 3000,
      scatteringRays: 3000,
    });
    const b = tracePathsSync(box, bvh, tx, [rx, [0, 0, 2]], {
      maxDepth: 3,
      rays: 3000,
      scatteringRays: 3000,
    });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    for (const list of a) {
      for (let i = 1; i < list.length; i++)
        expect(list[i]!.length).toBeGreaterThanOrEqual(list[i - 1]!.length);
    }
    // no two paths with the same signature and the same points
    const keys = a[0]!.map(
      (p) => `${pathSignature(p)}:${p.interactions.map((i) => i.point.map((x) => x.toFixed(6))).join('|')}`,
    );
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('path types switch off independently', () => {
    const [noLos] = tracePathsSync(box, undefined, tx, [rx], { maxDepth: 1, ...specularOnly, los: false });
    expect(noLos!.some((p) => p.kind === 'los')).toBe(false);
    expect(noLos).toHaveLength(6);
    const [losOnly] = tracePathsSync(box, undefined, tx, [rx], {
      maxDepth: 1,
      ...specularOnly,
      specular: false,
    });
    expect(losOnly!.map((p) => p.kind)).toEqual(['los']);
    const [depth0] = tracePathsSync(box, undefined, tx, [rx], { maxDepth: 0 });
    expect(depth0!.map((p) => p.kind)).toEqual(['los']);
  });

  it('reports progress, and an aborted signal stops the run', async () => {
    const seen: number[] = [];
    await tracePaths(
      box,
      undefined,
      tx,
      [rx, tx],
      { maxDepth: 2, rays: 500 },
      { onProgress: (p) => seen.push(p.done / p.total) },
    );
    expect(seen.at(-1)).toBe(1);
    const ac = new AbortController();
    ac.abort(new Error('stopped by test'));
    await expect(
      tracePaths(box, undefined, tx, [rx], { maxDepth: 2 }, { signal: ac.signal }),
    ).rejects.toThrow('stopped by test');
    // cancelled mid-run (after the first receiver): no result
    const mid = new AbortController();
    let receiversDone = 0;
    const run = tracePaths(
      box,
      undefined,
      tx,
      [rx, tx, [0, 0, 1]],
      { maxDepth: 2, rays: 500 },
      {
        signal: mid.signal,
        onProgress: (p) => {
          if (p.phase === 'receivers' && p.done === 1) mid.abort(new Error('cancelled mid-run'));
          if (p.phase === 'receivers') receiversDone = p.done;
        },
      },
    );
    await expect(run).rejects.toThrow('cancelled mid-run');
    expect(receiversDone).toBe(1);
  });

  it('shot rays beyond the trees report progress and can be cancelled mid-shot; the tracer stays usable', async () => {
    const options = { maxDepth: 4, ...specularOnly, treeMaxDepth: 0, receiverTrees: false, rays: 4000 };
    const tracer = await CpuPathTracer.create(box, undefined, tx, options);
    // the rays are shot when the first receiver needs them, 2048 per chunk: 2 chunks
    const shots: number[] = [];
    const ac = new AbortController();
    await expect(
      tracer.trace([rx], {
        signal: ac.signal,
        onProgress: (p) => {
          if (p.phase !== 'candidates') return;
          shots.push(p.done);
          ac.abort(new Error('stopped mid-shot'));
        },
      }),
    ).rejects.toThrow('stopped mid-shot');
    expect(shots).toEqual([2048]);
    // the cancelled shot left nothing half-built: a new trace shoots every ray and finds every path
    const seen: number[] = [];
    const [paths] = await tracer.trace([rx], {
      onProgress: (p) => {
        if (p.phase === 'candidates') seen.push(p.done);
      },
    });
    expect(seen).toEqual([2048, 4000]);
    const all = boxImageLengths(tx, rx, 4).length;
    expect(paths!).toHaveLength(all);
    // a run abandoned at a yield mid-shot (the runner saw the signal first): a fresh tracer whose
    // generator stops after the first chunk, then a whole trace on it
    const other = await CpuPathTracer.create(box, undefined, tx, options);
    let chunks = 0;
    const steps = other.traceSteps([rx], {
      onProgress: (p) => {
        if (p.phase === 'candidates') chunks++;
      },
    });
    while (chunks === 0) expect(steps.next().done).toBe(false);
    const [again] = await other.trace([rx]);
    expect(again!).toHaveLength(all);
  });

  it('rejects non-finite positions and bad depths with clear messages', () => {
    expect(() => tracePathsSync(box, undefined, [0, Number.NaN, 1], [rx])).toThrow(/transmitter position/);
    expect(() => tracePathsSync(box, undefined, tx, [rx, [1, 2] as unknown as Vec3])).toThrow(
      /receiver 1 position/,
    );
    expect(() => tracePathsSync(box, undefined, tx, [rx], { maxDepth: -1 })).toThrow(/maxDepth/);
  });
});

describe('dedupeAndSort with known ranks (the incremental tracer merges its sorted static paths)', () => {
  // random paths with ties in length, exact duplicates and near-duplicates (within SAME_POINT)
  const rng = (seed: number) => () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  const path = (r: () => number): PathGeometry => {
    const n = 1 + Math.floor(r() * 3);
    const interactions = Array.from({ length: n }, () => ({
      type: r() < 0.5 ? ('reflection' as const) : ('scattering' as const),
      objectIndex: 0,
      faceIndex: Math.floor(r() * 4),
      point: [Math.floor(r() * 3), Math.floor(r() * 2), r() < 0.5 ? 0 : 1] as Vec3,
    }));
    return { kind: 'specular', interactions, length: 1 + Math.floor(r() * 6) };
  };

  it('gives the same list as sorting them all, for any split into known and new paths', () => {
    let dropped = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const r = rng(seed);
      const statics = Array.from({ length: 5 + Math.floor(r() * 40) }, () => path(r));
      for (const p of statics) if (r() < 0.2) p.interactions[0]!.point[0] += 1e-9; // near-duplicates
      const ranks = pathRanks(statics);
      // a frame: static paths kept in their order, new ones (some duplicating static ones) between
      const all: PathGeometry[] = [];
      const rank: number[] = [];
      statics.forEach((p, i) => {
        if (r() < 0.3) {
          all.push(r() < 0.5 ? path(r) : { ...statics[Math.floor(r() * statics.length)]! });
          rank.push(-1);
        }
        if (r() < 0.8) {
          all.push(p);
          rank.push(ranks.rank[i]!);
        }
      });
      const merged = dedupeAndSort(all, { ...ranks, rank });
      const sorted = dedupeAndSort(all);
      expect(merged.length).toBe(sorted.length);
      for (let i = 0; i < merged.length; i++) expect(merged[i]).toBe(sorted[i]);
      dropped += all.length - sorted.length;
    }
    // the lists held duplicates
    expect(dropped).toBeGreaterThan(100);
  });
});
