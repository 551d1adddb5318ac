import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ROOM_PATH } from '../../test/paths.ts';
import { Channel } from '../channel/channel.ts';
import { channelSettings } from '../channel/settings.ts';
import type { Vec3 } from '../core/vec3.ts';
import { releaseGpu } from '../gpu/device.ts';
import { resolveSceneMaterials } from '../materials/radioMaterial.ts';
import { nodeFileSource } from '../node/nodeFileSource.ts';
import { loadScene } from '../scene/load.ts';
import type { Scene } from '../scene/types.ts';
import { cellCenter, makeGrid } from './grid.ts';
import { computeRadioMap } from './radioMap.ts';

const FREQUENCY = 28e9;
const TX: Vec3 = [0.3, 0.2, 2.5];
afterAll(releaseGpu);

describe('radio map on WebGPU', () => {
  let scene: Scene;
  let materials: ReturnType<typeof resolveSceneMaterials>;
  beforeAll(async () => {
    scene = await loadScene(nodeFileSource, DEMO_ROOM_PATH);
    materials = resolveSceneMaterials(scene.materials, FREQUENCY);
  });

  // Acceptance 2 of issue 4: both backends agree cell by cell over the demo room.
  it('WebGPU and CPU maps of the demo room agree cell by cell (depth 2, 0.5 m cells)', async () => {
    // receivers at 0.5 m so that the 1 m boxes shadow some cells
    const grid = makeGrid({ xmin: -5, ymin: -5, xmax: 5, ymax: 5 }, 0.5, 0.5);
    const settings = channelSettings({
      frequencyHz: FREQUENCY,
      maxDepth: 2,
      scattering: false,
      diffraction: false,
    });
    const cpu = await computeRadioMap(await Channel.open(scene, settings, { backend: 'cpu' }), {
      tx: TX,
      grid,
      materials,
    });
    const labels: string[] = [];
    const gpu = await computeRadioMap(
      await Channel.open(scene, settings, { backend: 'webgpu' }),
      { tx: TX, grid, materials },
      { onMapProgress: (p) => labels.push(p.label) },
    );
    expect(gpu.backend).toBe('webgpu');
    // the short backend name the studio's status bar shows, in every progress report
    expect(cpu.backendLabel).toBe('CPU');
    expect(gpu.backendLabel).toMatch(/^WebGPU \(.+\)$/);
    expect(new Set(labels)).toEqual(new Set([gpu.backendLabel]));
    let compared = 0;
    let nlos = 0;
    for (let i = 0; i < grid.nx * grid.ny; i++) {
      expect(gpu.pathCount[i]).toBe(cpu.pathCount[i]);
      expect(gpu.los[i]).toBe(cpu.los[i]);
      if (cpu.pathGainDb[i]! > -150) {
        expect(Math.abs(gpu.pathGainDb[i]! - cpu.pathGainDb[i]!)).toBeLessThan(0.05);
        compared++;
      }
      expect(Math.abs(gpu.rmsDelaySpreadS[i]! - cpu.rmsDelaySpreadS[i]!)).toBeLessThan(0.1e-9);
      if (!cpu.los[i]) nlos++;
    }
    expect(compared).toBe(400);
    expect(nlos).toBeGreaterThan(0); // the boxes shadow some cells: not a free-space map
  });

  // Acceptance 2 of issue 12 on WebGPU: a cell and a link at the same point agree exactly
  it('a WebGPU map cell equals the link traced at its centre on WebGPU (depth 3, diffraction on)', async () => {
    const ch = await Channel.open(scene, channelSettings({ frequencyHz: FREQUENCY, maxDepth: 3 }), {
      backend: 'webgpu',
    });
    const grid = makeGrid({ xmin: -4.5, ymin: -4.5, xmax: 4.5, ymax: 4.5 }, 1.5, 1.2);
    const map = await computeRadioMap(ch, { tx: TX, grid, materials });
    expect(map.backend).toBe('webgpu');
    const cells = [0, 7, 18, 24, 35];
    const links = await ch.traceLinks(
      cells.map((i) => ({ tx: TX, rx: cellCenter(grid, i) })),
      materials,
    );
    cells.forEach((i, k) => {
      const m = links[k]!.metrics;
      expect(map.pathCount[i]).toBe(m.pathCount);
      expect(map.pathGainDb[i]).toBe(Math.fround(m.pathGainDb));
      expect(map.coherentGainDb[i]).toBe(Math.fround(m.coherentGainDb));
      expect(map.rmsDelaySpreadS[i]).toBe(m.rmsDelaySpreadS);
      expect(map.kFactorDb[i]).toBe(Math.fround(m.kFactorDb));
    });
  });
});
