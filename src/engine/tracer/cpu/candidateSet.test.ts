import { beforeAll, describe, expect, it } from 'vitest';
import { sionnaScenePath } from '../../../test/paths.ts';
import type { Vec3 } from '../../core/vec3.ts';
import { nodeFileSource } from '../../node/nodeFileSource.ts';
import { loadScene } from '../../scene/load.ts';
import type { Scene } from '../../scene/types.ts';
import { buildBvh } from '../bvh.ts';
import { buildCandidates, CandidateCache, candidateCache } from './candidateSet.ts';
import { resolveTraceOptions, tracePathsSync } from './tracePaths.ts';
import { tracerGeometry } from './tracerGeometry.ts';

const specularOnly = { scattering: false, diffraction: false, transmission: false } as const;

describe('candidate sets are built once per transmitter and reused', () => {
  let box: Scene;
  const tx: Vec3 = [1.2, 2.1, 1.5];
  const rx: Vec3 = [-2.3, -1.4, 3.2];
  beforeAll(async () => {
    box = await loadScene(nodeFileSource, sionnaScenePath('box'));
  });

  it('the same transmitter and options give the same set; another transmitter or option a new one', () => {
    candidateCache.clear();
    const g = tracerGeometry(box);
    const o = resolveTraceOptions({ maxDepth: 3, ...specularOnly });
    const a = buildCandidates(g, tx, o);
    expect(buildCandidates(g, [...tx], resolveTraceOptions({ maxDepth: 3, ...specularOnly }))).toBe(a);
    expect(buildCandidates(g, [1.2, 2.1, 1.6], o)).not.toBe(a);
    expect(buildCandidates(g, tx, resolveTraceOptions({ maxDepth: 2, ...specularOnly }))).not.toBe(a);
    expect(buildCandidates(g, tx, resolveTraceOptions({ maxDepth: 3 }))).not.toBe(a);
    expect(candidateCache.size).toBe(4);
  });

  it('a trace that reuses the set finds the same paths as one that builds it', () => {
    candidateCache.clear();
    const options = { maxDepth: 3, ...specularOnly };
    const rxs: Vec3[] = [rx, [0.5, -1, 1], [-1, 2, 2.5]];
    const fresh = tracePathsSync(box, undefined, tx, rxs, options);
    expect(candidateCache.size).toBe(1);
    const reused = tracePathsSync(box, undefined, tx, rxs, options);
    expect(reused).toEqual(fresh);
    // one receiver at a time (the studio moving the receiver) equals the batch
    rxs.forEach((r, i) => {
      expect(tracePathsSync(box, undefined, tx, [r], options)[0]).toEqual(fresh[i]);
    });
    expect(candidateCache.size).toBe(1);
  });

  it('an incomplete tree (shot rays extend it later) is not kept', () => {
    candidateCache.clear();
    tracePathsSync(box, undefined, tx, [rx], { maxDepth: 4, ...specularOnly, treeMaxDepth: 2, rays: 500 });
    expect(candidateCache.size).toBe(0);
  });

  it('holds at most its weight, least recently used out first; another geometry empties it', () => {
    const g = tracerGeometry(box);
    const o = resolveTraceOptions({ maxDepth: 2, ...specularOnly });
    const nodes = buildCandidates(g, tx, o).tree.trie.size;
    // room for two sets of this size, not three
    const cache = new CandidateCache(2 * nodes + 1);
    const set = (x: number) => buildCandidates(g, [x, 0, 1], o);
    const [a, b, c] = [set(0.1), set(0.2), set(0.3)];
    cache.put(g, 'a', a, 2);
    cache.put(g, 'b', b, 2);
    expect(cache.get(g, 'a')).toBe(a);
    cache.put(g, 'c', c, 2);
    // b was the least recently used
    expect(cache.get(g, 'b')).toBeUndefined();
    expect(cache.get(g, 'a')).toBe(a);
    expect(cache.get(g, 'c')).toBe(c);
    // a set heavier than the whole budget is not kept
    const small = new CandidateCache(nodes - 1);
    small.put(g, 'a', a, 2);
    expect(small.size).toBe(0);
    // another BVH is another tracer geometry: the sets of the first are dropped
    const other = tracerGeometry(box, buildBvh(box));
    expect(other).not.toBe(g);
    cache.put(other, 'd', buildCandidates(other, tx, o), 2);
    expect(cache.get(g, 'a')).toBeUndefined();
    expect(cache.get(other, 'a')).toBeUndefined();
    expect(cache.size).toBe(1);
  });
});
