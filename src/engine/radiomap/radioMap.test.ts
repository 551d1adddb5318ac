import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ROOM_PATH } from '../../test/paths.ts';
import { Channel } from '../channel/channel.ts';
import { type ChannelSettings, channelSettings } from '../channel/settings.ts';
import { SPEED_OF_LIGHT } from '../core/constants.ts';
import type { Vec3 } from '../core/vec3.ts';
import { resolveSceneMaterials } from '../materials/radioMaterial.ts';
import { nodeFileSource } from '../node/nodeFileSource.ts';
import { loadScene } from '../scene/load.ts';
import type { Scene } from '../scene/types.ts';
import { radioMapToJson } from './export.ts';
import { cellCenter, makeGrid } from './grid.ts';
import { computeRadioMap } from './radioMap.ts';

const ROOM = DEMO_ROOM_PATH;
const FREQUENCY = 28e9;
const TX: Vec3 = [0.3, 0.2, 2.5];

describe('radio map grid', () => {
  it('rounds the bounds up to whole cells and puts receivers at cell centres', () => {
    const g = makeGrid({ xmin: -1, ymin: 0, xmax: 1.1, ymax: 0.5 }, 0.25, 1.5);
    expect([g.nx, g.ny]).toEqual([9, 2]);
    expect(g.xmax).toBeCloseTo(1.25, 12);
    expect(cellCenter(g, 0)).toEqual([-0.875, 0.125, 1.5]);
    expect(cellCenter(g, 9 + 8)).toEqual([1.125, 0.375, 1.5]);
  });
  it('rejects empty bounds and non-positive cells', () => {
    expect(() => makeGrid({ xmin: 1, ymin: 0, xmax: 1, ymax: 1 }, 0.1, 0)).toThrow(/xmin < xmax/);
    expect(() => makeGrid({ xmin: 0, ymin: 0, xmax: 1, ymax: 1 }, 0, 0)).toThrow(/cell size/);
  });
});

describe('radio map', () => {
  let scene: Scene;
  let materials: ReturnType<typeof resolveSceneMaterials>;
  beforeAll(async () => {
    scene = await loadScene(nodeFileSource, ROOM);
    materials = resolveSceneMaterials(scene.materials, FREQUENCY);
  });
  const channel = (s: Partial<ChannelSettings>) =>
    Channel.open(scene, channelSettings({ frequencyHz: FREQUENCY, ...s }), { backend: 'cpu' });

  it('LoS only: every cell has the Friis gain (λ/4πd)² and delay spread 0', async () => {
    const grid = makeGrid({ xmin: -4, ymin: -4, xmax: 4, ymax: 4 }, 1, 1.5);
    const map = await computeRadioMap(await channel({ maxDepth: 0 }), { tx: TX, grid, materials });
    const lambda = SPEED_OF_LIGHT / FREQUENCY;
    let los = 0;
    for (let i = 0; i < grid.nx * grid.ny; i++) {
      if (!map.los[i]) continue; // behind a box
      los++;
      const [x, y, z] = cellCenter(grid, i);
      const d = Math.hypot(x - TX[0], y - TX[1], z - TX[2]);
      expect(map.pathGainDb[i]).toBeCloseTo(20 * Math.log10(lambda / (4 * Math.PI * d)), 3);
      expect(map.rmsDelaySpreadS[i]).toBeLessThan(1e-20); // one path: zero up to round-off
    }
    expect(los).toBeGreaterThan(40);
  });

  it('tiles do not change the result; progress reaches the total', async () => {
    const grid = makeGrid({ xmin: -5, ymin: -5, xmax: 5, ymax: 5 }, 1, 1.2);
    const ch = await channel({ maxDepth: 1 });
    const progress: number[] = [];
    const whole = await computeRadioMap(ch, { tx: TX, grid, materials });
    const tiled = await computeRadioMap(
      ch,
      { tx: TX, grid, materials, tileSize: 23 },
      { onMapProgress: (p) => progress.push(p.done) },
    );
    expect(Array.from(tiled.pathGainDb)).toEqual(Array.from(whole.pathGainDb));
    expect(Array.from(tiled.rmsDelaySpreadS)).toEqual(Array.from(whole.rmsDelaySpreadS));
    expect(progress.length).toBe(Math.ceil(100 / 20)); // tiles of whole rows: 2 rows of 10
    expect(progress.at(-1)).toBe(100);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
  });

  it('a cell 1 cm from the Tx is marked near field, as the link traced there; the others are not', async () => {
    // 3 × 3 cells of 0.5 m in the Tx's plane, the centre cell's centre 1 cm from the Tx (< 3λ = 3.2 cm)
    const [x, y, z] = TX;
    const grid = makeGrid(
      { xmin: x + 0.01 - 0.75, ymin: y - 0.75, xmax: x + 0.01 + 0.75, ymax: y + 0.75 },
      0.5,
      z,
    );
    const ch = await channel({ maxDepth: 1 });
    const map = await computeRadioMap(ch, { tx: TX, grid, materials });
    expect(Array.from(map.nearField)).toEqual([0, 0, 0, 0, 1, 0, 0, 0, 0]);
    const [link] = await ch.traceLinks([{ tx: TX, rx: cellCenter(grid, 4) }], materials);
    expect(link!.nearField.nearField).toBe(true);
    expect(link!.nearField.shortestDistanceM).toBeCloseTo(0.01, 12);
    expect(radioMapToJson(map, scene.name).near_field_cells).toEqual([4]);
  });

  it('an aborted map rejects with the abort reason', async () => {
    const grid = makeGrid({ xmin: -5, ymin: -5, xmax: 5, ymax: 5 }, 0.5, 1.5);
    const controller = new AbortController();
    const run = computeRadioMap(
      await channel({ maxDepth: 1 }),
      { tx: TX, grid, materials, tileSize: 20 },
      { signal: controller.signal, onMapProgress: () => controller.abort(new Error('stop here')) },
    );
    await expect(run).rejects.toThrow('stop here');
  });

  // Acceptance 2 of issue 12: one pipeline for maps and links — a cell and a link traced at the
  // same point with the same settings have the same paths and the same metrics.
  it('a map cell equals the link traced at its centre (all mechanisms, depth 3, scattering on)', async () => {
    const rough = Object.fromEntries(
      Object.entries(materials).map(([k, v]) => [
        k,
        { ...v, scatteringCoefficient: k === 'itu_brick' ? 0.3 : 0 },
      ]),
    );
    const ch = await channel({ maxDepth: 3, rays: 3000, scatteringRays: 3000 });
    const grid = makeGrid({ xmin: -4.5, ymin: -4.5, xmax: 4.5, ymax: 4.5 }, 1.5, 1.2);
    const map = await computeRadioMap(ch, { tx: TX, grid, materials: rough, tileSize: 13 });
    const cells = [0, 7, 18, 24, 35];
    const links = await ch.traceLinks(
      cells.map((i) => ({ tx: TX, rx: cellCenter(grid, i) })),
      rough,
    );
    let scattered = 0;
    cells.forEach((i, k) => {
      const m = links[k]!.metrics;
      scattered += links[k]!.paths.filter((p) => p.kind === 'scattered').length;
      expect(map.pathCount[i]).toBe(m.pathCount);
      expect(map.los[i]).toBe(m.los ? 1 : 0);
      // the map stores gains as float32: equal to the link's value rounded to float32
      expect(map.pathGainDb[i]).toBe(Math.fround(m.pathGainDb));
      expect(map.coherentGainDb[i]).toBe(Math.fround(m.coherentGainDb));
      expect(map.rmsDelaySpreadS[i]).toBe(m.rmsDelaySpreadS);
      expect(map.kFactorDb[i]).toBe(Math.fround(m.kFactorDb));
      expect(map.angularSpreadDeg[i]).toBe(Math.fround(m.angularSpreadDeg));
    });
    expect(scattered).toBeGreaterThan(100);
  });
});
