import { describe, expect, it } from 'vitest';
import { DEMO_ROOM_PATH } from '../../test/paths.ts';
import { Channel, channelSettings, traceOptionsOf } from '../channel/index.ts';
import { resolveSceneMaterials } from '../materials/index.ts';
import { nodeFileSource } from '../node/index.ts';
import {
  computeRadioMap,
  makeGrid,
  mergeRadioMapTiles,
  partsProblem,
  type RadioMap,
  type RadioMapJob,
  radioMapTileFromJson,
  radioMapTileToJson,
  rowBlocks,
} from '../radiomap/index.ts';
import { loadScene, sceneHash } from '../scene/index.ts';
import { candidateCache } from '../tracer/cpu/candidateSet.ts';
import {
  adoptCandidates,
  buildBvh,
  CpuPathTracer,
  type SharedCandidates,
  shareCandidates,
} from '../tracer/index.ts';
import { inlinePoolPort } from './inlinePort.ts';
import { computeRadioMapParallel, traceLinksParallel } from './jobs.ts';
import { WorkerPool } from './pool.ts';
import type { FromWorker, PoolPort, ToWorker } from './protocol.ts';
import { poolWorker } from './worker.ts';

/**
 * The pool's logic with the engine's real worker handler on in-process ports (messages pass
 * through structuredClone, as between threads): the parts of a map and of a link list assemble
 * into exactly what one thread computes; tiles round-trip through their file form exactly; and
 * a failure or an abort ends the run naming the part. (Real threads and Web Workers: the cli
 * tests and e2e 21.)
 */
function inProcessPort(): PoolPort & { terminated: boolean } {
  let onMessage: (m: FromWorker) => void = () => {};
  const port = {
    terminated: false,
    post: (m: ToWorker) => handle(structuredClone(m)),
    onMessage: (h: (m: FromWorker) => void) => {
      onMessage = h;
    },
    onError: () => {},
    terminate: () => {
      port.terminated = true;
    },
  };
  const handle = poolWorker((m) => {
    if (!port.terminated) setTimeout(() => onMessage(structuredClone(m)), 0);
  });
  return port;
}

const scene = await loadScene(nodeFileSource, DEMO_ROOM_PATH);
const settings = channelSettings({ frequencyHz: 28e9, maxDepth: 1, scattering: false });
const materials = resolveSceneMaterials(scene.materials, 28e9);
const grid = makeGrid({ xmin: -2, ymin: -2, xmax: 2, ymax: 1 }, 0.5, 1.5);
const tx: [number, number, number] = [0.3, 0.2, 2.5];

function expectSameCells(a: RadioMap, b: RadioMap) {
  for (const key of [
    'pathGainDb',
    'coherentGainDb',
    'rmsDelaySpreadS',
    'kFactorDb',
    'kFactorReference',
    'angularSpreadDeg',
    'los',
    'pathCount',
    'complete',
    'nearField',
  ] as const)
    expect(Array.from(a[key]), key).toEqual(Array.from(b[key]));
  expect(a.missRate).toBe(b.missRate);
}

describe('worker pool', () => {
  it('splits rows into even contiguous blocks and finds gaps and overlaps', () => {
    expect(rowBlocks(10, 4)).toEqual([
      { start: 0, end: 2 },
      { start: 2, end: 5 },
      { start: 5, end: 7 },
      { start: 7, end: 10 },
    ]);
    expect(() => rowBlocks(3, 4)).toThrow(/at most 3 parts/);
    const g = { ...grid, ny: 6 };
    const names = ['a', 'b', 'c'];
    expect(
      partsProblem(g, [{ rows: { start: 0, end: 2 } }, { rows: { start: 2, end: 6 } }], names),
    ).toBeUndefined();
    expect(partsProblem(g, [{ rows: { start: 0, end: 2 } }, { rows: { start: 3, end: 6 } }], names)).toMatch(
      /rows 2..2 of 6 are in no part \(a part is missing after a\)/,
    );
    expect(partsProblem(g, [{ rows: { start: 0, end: 3 } }, { rows: { start: 2, end: 6 } }], names)).toMatch(
      /b \(rows 2..5\) overlaps a/,
    );
  });

  it('a map on three workers (one on this thread) equals the single-thread map cell by cell; links too', async () => {
    const channel = await Channel.open(scene, settings, { backend: 'cpu' });
    const single = await computeRadioMap(channel, { tx, grid, materials });
    const threads = [inProcessPort(), inProcessPort()];
    const pool = new WorkerPool([inlinePoolPort(), ...threads]);
    await pool.open(scene, settings, materials);
    const progress: number[] = [];
    const pooled = await computeRadioMapParallel(
      pool,
      { tx, grid, materials },
      { onMapProgress: (p) => progress.push(p.done) },
    );
    expectSameCells(pooled, single);
    expect(pooled.rows).toBeUndefined();
    expect(progress.at(-1)).toBe(grid.nx * grid.ny);

    const links = [0, 1, 2, 3, 4, 5, 6].map((i) => ({
      tx,
      rx: [-1.5 + 0.4 * i, 0.5 - 0.3 * i, 1.5] as [number, number, number],
    }));
    const one = await channel.traceLinks(links, materials);
    const many = await traceLinksParallel(pool, links);
    expect(many).toEqual(one);
    pool.terminate();
    expect(threads.every((p) => p.terminated)).toBe(true);
  });

  it("a link list's chunks are traced with the set the whole list would use, the one the pool shared", async () => {
    // 100 links from one Tx: one thread builds the tree with its last level's beams (more than
    // FEW_RECEIVERS); a chunk of 25 alone would pick the tree without them, a second set
    const links = Array.from({ length: 100 }, (_, i) => ({
      tx,
      rx: [-1.8 + 0.035 * i, 0.8 - 0.025 * i, 1.5] as [number, number, number],
    }));
    const channel = await Channel.open(scene, settings, { backend: 'cpu' });
    const one = await channel.traceLinks(links, materials);
    candidateCache.clear();
    const pool = new WorkerPool([inlinePoolPort()]);
    await pool.open(scene, settings, materials);
    const many = await traceLinksParallel(pool, links);
    pool.terminate();
    expect(many).toEqual(one);
    // the shared set and no other: every chunk found it in the cache
    expect(candidateCache.size).toBe(1);
  });

  it('work starts on the first worker that has opened the scene; one that never does is not waited for', async () => {
    const channel = await Channel.open(scene, settings, { backend: 'cpu' });
    const single = await computeRadioMap(channel, { tx, grid, materials });
    // a thread that never finishes starting (it answers nothing)
    const stalled: PoolPort = { post: () => {}, onMessage: () => {}, onError: () => {}, terminate: () => {} };
    const pool = new WorkerPool([stalled, inlinePoolPort()]);
    await pool.open(scene, settings, materials);
    expectSameCells(await computeRadioMapParallel(pool, { tx, grid, materials }), single);
    pool.terminate();
    // no worker can open the scene (a stalled one and one that failed): open rejects
    const failing: PoolPort = {
      post: () => {},
      onMessage: () => {},
      onError: (h) => setTimeout(() => h(new Error('cannot load the engine')), 0),
      terminate: () => {},
    };
    await expect(new WorkerPool([stalled, failing]).open(scene, settings, materials)).rejects.toThrow(
      'worker 1 stopped: cannot load the engine',
    );
  });

  it('a candidate set built on one thread is the one another copy of the scene traces with', async () => {
    // depth 2 with scattering and diffraction: the tree (two levels, beams), the hit records
    // and the per-face parts all travel or are rebuilt
    const deep = channelSettings({ frequencyHz: 28e9, maxDepth: 2, scattering: true, diffraction: true });
    // every object scatters (the demo room's materials give none a scattering coefficient)
    const options = { ...traceOptionsOf(deep), scatteringRays: 4096 };
    const rx = [0, 1, 2, 3, 4, 5].map((i): [number, number, number] => [-1.5 + 0.5 * i, 0.6 - 0.4 * i, 1.5]);
    const reference = await (await CpuPathTracer.create(scene, buildBvh(scene), tx, options)).trace(rx);
    const shared = shareCandidates(scene, buildBvh(scene), tx, options)!;
    expect(shared.tree.completeDepth).toBe(2);
    expect(shared.records!.face.length).toBeGreaterThan(0);
    // a worker's copy of the scene (a message clones both); its own geometry, so a cache miss
    // there would build the set afresh and hide a wrong one: the truncated set below shows it does not
    const traceOnCopy = async (s: SharedCandidates) => {
      const copy = structuredClone(scene);
      const bvh = buildBvh(copy);
      adoptCandidates(copy, bvh, structuredClone(s));
      return (await CpuPathTracer.create(copy, bvh, tx, options)).trace(rx);
    };
    expect(await traceOnCopy(shared)).toEqual(reference);

    // the same set without its second level: a tracer that used it finds no double bounce
    const n = shared.tree.levelStart[2]!;
    const t = shared.tree;
    const cut: SharedCandidates = {
      ...shared,
      tree: {
        ...t,
        parent: t.parent.slice(0, n),
        face: t.face.slice(0, n),
        type: t.type.slice(0, n),
        images: t.images.slice(0, 3 * n),
        beams: { ...t.beams, size: n },
        levelStart: [0, 1, n, n],
      },
    };
    const doubles = (paths: Awaited<typeof reference>) =>
      paths.flat().filter((p) => p.interactions.filter((i) => i.type === 'reflection').length === 2).length;
    expect(doubles(reference)).toBeGreaterThan(0);
    expect(doubles(await traceOnCopy(cut))).toBeLessThan(doubles(reference));
  });

  it('tiles round-trip through their file form and merge into the whole map exactly', async () => {
    const channel = await Channel.open(scene, settings, { backend: 'cpu' });
    const single = await computeRadioMap(channel, { tx, grid, materials });
    const job: RadioMapJob = {
      scene: scene.name,
      scene_hash: sceneHash(scene),
      frequency_hz: 28e9,
      settings,
      materials,
      grid,
      txs: [tx],
      best_server: false,
    };
    const blocks = rowBlocks(grid.ny, 3);
    const files = await Promise.all(
      blocks.map(async (rows, index) => {
        const map = await computeRadioMap(channel, { tx, grid, materials, rows });
        // through JSON text, as a file
        return JSON.parse(JSON.stringify(radioMapTileToJson({ job, index, count: 3, map })));
      }),
    );
    const tiles = files.map((f, k) => radioMapTileFromJson(f, `t${k}.json`));
    expectSameCells(mergeRadioMapTiles([tiles[2]!, tiles[0]!, tiles[1]!], ['t2', 't0', 't1']), single);
    // K = +∞ (a single path) and −∞ dB (no path) survive the file form
    const part = await computeRadioMap(channel, { tx, grid, materials, rows: blocks[0]! });
    part.kFactorDb[0] = Number.POSITIVE_INFINITY;
    part.pathGainDb[1] = Number.NEGATIVE_INFINITY;
    part.angularSpreadDeg[2] = Number.NaN;
    const back = radioMapTileFromJson(
      JSON.parse(JSON.stringify(radioMapTileToJson({ job, index: 0, count: 3, map: part }))),
      'p.json',
    ).map;
    expect([back.kFactorDb[0], back.pathGainDb[1], back.angularSpreadDeg[2]]).toEqual([
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      Number.NaN,
    ]);
    const other = radioMapTileFromJson(
      { ...files[1], job: { ...job, scene_hash: '0000000000000000' } },
      'x.json',
    );
    expect(() => mergeRadioMapTiles([tiles[0]!, other, tiles[2]!], ['t0', 'x', 't2'])).toThrow(
      `x: job: not the job of t0: scene_hash ("${job.scene_hash}" vs "0000000000000000")`,
    );
  });

  it('a failing task is named; an abort ends every worker', async () => {
    const ports = [inProcessPort(), inProcessPort()];
    // and a worker on this thread, which the abort ends too
    const inline = inlinePoolPort();
    const pool = new WorkerPool([...ports, inline]);
    await pool.open(scene, settings, materials);
    await expect(
      pool.run([{ kind: 'map', tx, grid, rows: { start: 0, end: 99 } }], { describe: () => 'tile 7' }),
    ).rejects.toThrow(/^tile 7: RangeError: rows 0..99 are not a range of the grid's 6 rows$/);
    const ac = new AbortController();
    const running = computeRadioMapParallel(pool, { tx, grid, materials }, { signal: ac.signal });
    ac.abort(new Error('cancelled by the person'));
    await expect(running).rejects.toThrow('cancelled by the person');
    expect(ports.every((p) => p.terminated)).toBe(true);
  });
});
