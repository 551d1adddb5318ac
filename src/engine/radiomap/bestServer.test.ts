import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ROOM_PATH } from '../../test/paths.ts';
import { Channel } from '../channel/channel.ts';
import { channelSettings } from '../channel/settings.ts';
import type { Vec3 } from '../core/vec3.ts';
import { resolveSceneMaterials } from '../materials/radioMaterial.ts';
import { nodeFileSource } from '../node/nodeFileSource.ts';
import { loadScene } from '../scene/load.ts';
import type { Scene } from '../scene/types.ts';
import { computeBestServerMap } from './bestServer.ts';
import { cellCenter, makeGrid } from './grid.ts';
import { metricValues } from './metrics.ts';
import { computeRadioMap } from './radioMap.ts';

const FREQUENCY = 28e9;
const TXS: Vec3[] = [
  [-3, -3, 2.5],
  [3, 3, 2.5],
];

describe('best-server radio map', () => {
  let scene: Scene;
  let materials: ReturnType<typeof resolveSceneMaterials>;
  let channel: Channel;
  beforeAll(async () => {
    scene = await loadScene(nodeFileSource, DEMO_ROOM_PATH);
    materials = resolveSceneMaterials(scene.materials, FREQUENCY);
    channel = await Channel.open(scene, channelSettings({ frequencyHz: FREQUENCY, maxDepth: 1 }), {
      backend: 'cpu',
    });
  });

  it('each cell is served by the transmitter whose link there has the highest path gain, with its metrics', async () => {
    const grid = makeGrid({ xmin: -4.5, ymin: -4.5, xmax: 4.5, ymax: 4.5 }, 1.5, 1.2);
    const progress: number[] = [];
    const map = await computeBestServerMap(
      channel,
      { txs: TXS, grid, materials, tileSize: 12 },
      { onMapProgress: (p) => progress.push(p.done / p.total) },
    );
    expect(map.servers?.txs).toEqual(TXS);
    expect(progress.at(-1)).toBe(1);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    // independent of the map code: trace every cell centre from both transmitters as links
    const n = grid.nx * grid.ny;
    const cells = Array.from({ length: n }, (_, i) => cellCenter(grid, i));
    const links = await channel.traceLinks(
      TXS.flatMap((tx) => cells.map((rx) => ({ tx, rx }))),
      materials,
    );
    const served = [0, 0];
    for (let i = 0; i < n; i++) {
      const [a, b] = [links[i]!.metrics, links[n + i]!.metrics];
      const k = b.pathGainDb > a.pathGainDb ? 1 : 0;
      served[k]!++;
      const m = k === 0 ? a : b;
      expect(map.servers!.serving[i]).toBe(k);
      expect(map.pathGainDb[i]).toBe(Math.fround(m.pathGainDb));
      expect(map.rmsDelaySpreadS[i]).toBe(m.rmsDelaySpreadS);
      expect(map.pathCount[i]).toBe(m.pathCount);
    }
    // the transmitters are in opposite corners: each serves part of the room
    expect(served[0]).toBeGreaterThan(0);
    expect(served[1]).toBeGreaterThan(0);
    const serving = metricValues(map, 'serving-tx').values;
    expect(new Set(serving)).toEqual(new Set([1, 2]));
  });

  it('with one transmitter it is that transmitter’s map', async () => {
    const grid = makeGrid({ xmin: -2, ymin: -2, xmax: 2, ymax: 2 }, 1, 1.5);
    const one = await computeBestServerMap(channel, { txs: [TXS[0]!], grid, materials });
    const plain = await computeRadioMap(channel, { tx: TXS[0]!, grid, materials });
    expect(Array.from(one.pathGainDb)).toEqual(Array.from(plain.pathGainDb));
    expect(Array.from(one.kFactorDb)).toEqual(Array.from(plain.kFactorDb));
    expect(Array.from(one.servers!.serving)).toEqual(Array.from(plain.pathCount, (c) => (c > 0 ? 0 : -1)));
  });

  it('no transmitter is an error', async () => {
    const grid = makeGrid({ xmin: 0, ymin: 0, xmax: 1, ymax: 1 }, 1, 1.5);
    await expect(computeBestServerMap(channel, { txs: [], grid, materials })).rejects.toThrow(
      /at least one transmitter/,
    );
  });
});
