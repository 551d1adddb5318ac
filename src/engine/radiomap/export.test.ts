import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ROOM_PATH } from '../../test/paths.ts';
import { Channel } from '../channel/channel.ts';
import { channelSettings } from '../channel/settings.ts';
import { SPEED_OF_LIGHT } from '../core/constants.ts';
import type { Vec3 } from '../core/vec3.ts';
import { resolveSceneMaterials } from '../materials/radioMaterial.ts';
import { nodeFileSource } from '../node/nodeFileSource.ts';
import { loadScene } from '../scene/load.ts';
import { colorRangeOf, percentile } from './colorRange.ts';
import { radioMapToCsv, radioMapToJson } from './export.ts';
import { cellCenter, makeGrid } from './grid.ts';
import { cellState, metricValues } from './metrics.ts';
import { computeRadioMap, type RadioMap } from './radioMap.ts';

const TX: Vec3 = [0.3, 0.2, 2.5];

describe('K-factor of a single path, no path, and the map files', () => {
  let map: RadioMap;
  beforeAll(async () => {
    const scene = await loadScene(nodeFileSource, DEMO_ROOM_PATH);
    const materials = resolveSceneMaterials(scene.materials, 28e9);
    // LoS only, receivers at 0.5 m: every cell the boxes do not shadow has exactly one path
    const channel = await Channel.open(scene, channelSettings({ frequencyHz: 28e9, maxDepth: 0 }), {
      backend: 'cpu',
    });
    map = await computeRadioMap(channel, {
      tx: TX,
      grid: makeGrid({ xmin: -5, ymin: -5, xmax: 5, ymax: 5 }, 0.5, 0.5),
      materials,
    });
  });

  it('a single-path cell has K = +∞ (not "no path"); a shadowed cell has no path', () => {
    const { values } = metricValues(map, 'k-factor');
    const states = Array.from(values, cellState);
    const single = states.filter((s) => s === 'single-path').length;
    const none = states.filter((s) => s === 'no-path').length;
    expect(single).toBeGreaterThan(300);
    expect(none).toBeGreaterThan(0);
    expect(single + none).toBe(400);
    for (const [i, s] of states.entries()) expect(s === 'no-path').toBe(map.pathCount[i] === 0);
    // other metrics of a single-path cell are finite values: delay spread 0
    const ds = metricValues(map, 'delay-spread').values;
    for (const [i, s] of states.entries()) if (s === 'single-path') expect(ds[i]).toBeLessThan(1e-9);
  });

  it('JSON marks K = ∞ in k_factor_infinite and keeps null for no path; CSV writes inf and empty', () => {
    const json = radioMapToJson(map, 'room') as Record<string, unknown[]>;
    const csv = radioMapToCsv(map).trimEnd().split('\n');
    const head = csv[0]!.split(',');
    expect(head.slice(0, 3)).toEqual(['x', 'y', 'z']);
    expect(csv).toHaveLength(401);
    const col = (name: string) => head.indexOf(name);
    const lambda = SPEED_OF_LIGHT / 28e9;
    for (let i = 0; i < 400; i++) {
      const row = csv[i + 1]!.split(',');
      const [x, y, z] = cellCenter(map.grid, i);
      expect(Number(row[0])).toBeCloseTo(x, 6);
      expect(Number(row[1])).toBeCloseTo(y, 6);
      expect(Number(row[2])).toBeCloseTo(z, 6);
      if (map.pathCount[i] === 0) {
        expect(json.k_factor_db![i]).toBeNull();
        expect(json.k_factor_infinite![i]).toBe(0);
        expect(json.k_factor_reference![i]).toBe('none');
        expect(row[col('k_factor_db')]).toBe('');
        expect(row[col('path_gain_db')]).toBe('');
        continue;
      }
      expect(json.k_factor_db![i]).toBeNull();
      expect(json.k_factor_infinite![i]).toBe(1);
      expect(json.k_factor_reference![i]).toBe('los');
      expect(row[col('k_factor_db')]).toBe('inf');
      // the same rounded number in both files, and it is Friis for the one LoS path
      expect(Number(row[col('path_gain_db')])).toBe(json.path_gain_db![i]);
      const d = Math.hypot(x - TX[0], y - TX[1], z - TX[2]);
      expect(json.path_gain_db![i]).toBeCloseTo(20 * Math.log10(lambda / (4 * Math.PI * d)), 2);
    }
  });
});

describe('colour range', () => {
  it('percentiles follow the linear-interpolation rule (numpy default)', () => {
    const v = Float64Array.from({ length: 100 }, (_, i) => i + 1); // 1 … 100
    expect(percentile(v, 0)).toBe(1);
    expect(percentile(v, 100)).toBe(100);
    expect(percentile(v, 50)).toBeCloseTo(50.5, 12);
    expect(percentile(v, 2)).toBeCloseTo(2.98, 12);
    expect(percentile(v, 98)).toBeCloseTo(98.02, 12);
  });

  it('auto range ignores no-path and K = ∞ cells and outliers; manual is taken as given', () => {
    const v = [Number.NaN, Number.POSITIVE_INFINITY, ...Array.from({ length: 98 }, (_, i) => i), 1e6];
    const [lo, hi] = colorRangeOf(v);
    expect(lo).toBeCloseTo(percentile(Float64Array.from([...v.slice(2)].sort((a, b) => a - b)), 2), 12);
    expect(hi).toBeLessThan(100); // the 1e6 outlier does not stretch the scale
    expect(colorRangeOf(v, { mode: 'manual', min: -3, max: 7 })).toEqual([-3, 7]);
    expect(colorRangeOf([5, 5, 5])).toEqual([4, 6]);
    expect(colorRangeOf([Number.NaN])).toEqual([0, 1]);
    expect(() => colorRangeOf(v, { mode: 'manual', min: 2, max: 1 })).toThrow(/min < max/);
    expect(() => colorRangeOf(v, { mode: 'auto', lowPercentile: 90, highPercentile: 10 })).toThrow(
      /low < high/,
    );
  });
});
