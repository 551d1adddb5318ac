import { loadavg } from 'node:os';
import { Channel } from '../src/engine/channel/channel.ts';
import { channelSettings } from '../src/engine/channel/settings.ts';
import { resolveSceneMaterials } from '../src/engine/materials/radioMaterial.ts';
import { nodeFileSource } from '../src/engine/node/nodeFileSource.ts';
import { makeGrid } from '../src/engine/radiomap/grid.ts';
import { computeRadioMap } from '../src/engine/radiomap/radioMap.ts';
import { loadScene } from '../src/engine/scene/load.ts';
import { CITY_PATH } from '../src/test/paths.ts';
import { mapSha256 } from './mapHash.ts';

/**
 * CPU radio maps of the city fixture (563 objects, 13,500 triangles, 768 m × 768 m) from a
 * transmitter 10 m above a street crossing, default channel settings (every mechanism, so
 * first-order diffraction on its ~13,500 edges), at depth 1 and 2, over the whole city at 1.5 m:
 * 10² and 10⁴ cells. Each map comes from a fresh channel (the transmitter's set-up included, as
 * the studio's first map from a new transmitter). A hash of every cell's path gain, path count and
 * delay spread lets runs of two checkouts be compared map for map; the same file run on an older
 * checkout gives the "before" figures (bench/results/citymap.json keeps both).
 */
const F = 28e9;
const TX: [number, number, number] = [0, 0, 10];
const HALF = 384;

export default async function cityMapBench(log: (line: string) => void): Promise<Record<string, unknown>> {
  const scene = await loadScene(nodeFileSource, CITY_PATH);
  const materials = resolveSceneMaterials(scene.materials, F);
  const rows: Record<string, unknown>[] = [];
  const loadBefore = loadavg()[0]!;
  for (const depth of [1, 2]) {
    for (const cells of [100, 10_000]) {
      const channel = await Channel.open(scene, channelSettings({ frequencyHz: F, maxDepth: depth }), {
        backend: 'cpu',
      });
      const side = Math.round(Math.sqrt(cells));
      const grid = makeGrid(
        { xmin: TX[0] - HALF, xmax: TX[0] + HALF, ymin: TX[1] - HALF, ymax: TX[1] + HALF },
        (2 * HALF) / side,
        1.5,
      );
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const map = await computeRadioMap(channel, { tx: TX, grid, materials });
      const totalMs = performance.now() - t0;
      const cpu = process.cpuUsage(c0);
      const row = {
        depth,
        cells: grid.nx * grid.ny,
        paths: map.stats.paths,
        totalMs: Math.round(totalMs),
        cpuMs: Math.round((cpu.user + cpu.system) / 1000),
        traceMs: Math.round(map.stats.traceMs),
        perCellMs: Number((totalMs / (grid.nx * grid.ny)).toFixed(3)),
        mapSha256: mapSha256(map),
      };
      rows.push(row);
      log(`depth ${depth}, ${row.cells} cells: ${row.totalMs} ms (trace ${row.traceMs}), ${row.paths} paths`);
    }
  }
  return {
    what: 'CPU radio map, city fixture (13,500 triangles), every mechanism, 28 GHz, Tx (0, 0, 10) over a street crossing, plane z = 1.5 m over 768 × 768 m, fresh channel per map',
    loadAverage1MinBefore: loadBefore,
    loadAverage1MinAfter: loadavg()[0],
    results: rows,
  };
}
