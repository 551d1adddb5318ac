import { loadavg } from 'node:os';
import { Channel } from '../src/engine/channel/channel.ts';
import { channelSettings } from '../src/engine/channel/settings.ts';
import { resolveSceneMaterials } from '../src/engine/materials/radioMaterial.ts';
import { nodeFileSource } from '../src/engine/node/nodeFileSource.ts';
import { makeGrid } from '../src/engine/radiomap/grid.ts';
import { computeRadioMap } from '../src/engine/radiomap/radioMap.ts';
import { loadScene } from '../src/engine/scene/load.ts';
import { mapSha256 } from './mapHash.ts';

/**
 * CPU radio maps of the demo room (paper 003's closed room, 29 faces) at depth 3 with the default
 * channel settings, from 10² to 10⁵ cells (issue 17, acceptance 1): total time, the part spent in
 * the path search, time per cell, and a hash of every cell's path gain, path count and delay
 * spread, so that runs of two versions of the code can be checked to give the same map.
 * RADIOMAP_MAX_CELLS caps the largest map (default 10⁵). The same file run on an older checkout
 * gives the "before" figures (bench/results/radiomap.json keeps both, with the machine's load).
 */
const F = 28e9;
const MAX_CELLS = Number(process.env.RADIOMAP_MAX_CELLS ?? 100_000);

export default async function radioMapBench(log: (line: string) => void): Promise<Record<string, unknown>> {
  const scene = await loadScene(nodeFileSource, 'public/demo/room.xml');
  const materials = resolveSceneMaterials(scene.materials, F);
  const channel = await Channel.open(scene, channelSettings({ frequencyHz: F, maxDepth: 3 }), {
    backend: 'cpu',
  });
  const tx: [number, number, number] = [0.5, -0.7, 2.5];
  const rows: Record<string, unknown>[] = [];
  const loadBefore = loadavg()[0]!;
  for (const cells of [100, 1_000, 10_000, 100_000].filter((n) => n <= MAX_CELLS)) {
    // a square area of the room at 1.5 m: 10 m × 10 m, cells of 10 m / √n
    const side = Math.round(Math.sqrt(cells));
    const grid = makeGrid({ xmin: -5, xmax: 5, ymin: -5, ymax: 5 }, 10 / side, 1.5);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const map = await computeRadioMap(channel, { tx, grid, materials });
    const totalMs = performance.now() - t0;
    const cpu = process.cpuUsage(c0);
    const n = grid.nx * grid.ny;
    const row = {
      cells: n,
      paths: map.stats.paths,
      totalMs: Math.round(totalMs),
      // CPU time of the process (user + system, GC threads included): steadier than the wall
      // time on a loaded machine
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      traceMs: Math.round(map.stats.traceMs),
      fieldMs: Math.round(map.stats.fieldMs),
      perCellMs: Number((totalMs / n).toFixed(4)),
      mapSha256: mapSha256(map),
    };
    rows.push(row);
    log(`${n} cells: ${row.totalMs} ms (trace ${row.traceMs}, fields ${row.fieldMs}), ${row.paths} paths`);
  }
  return {
    what: 'CPU radio map, demo room (29 faces), depth 3, every mechanism, 28 GHz, Tx (0.5, −0.7, 2.5), plane z = 1.5 m over 10 × 10 m',
    loadAverage1MinBefore: loadBefore,
    loadAverage1MinAfter: loadavg()[0],
    results: rows,
  };
}
