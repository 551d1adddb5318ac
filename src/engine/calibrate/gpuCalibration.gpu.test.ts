import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ROOM_PATH, sionnaScenePath } from '../../test/paths.ts';
import { Channel } from '../channel/channel.ts';
import { channelSettings } from '../channel/settings.ts';
import { MAX_INTERACTIONS } from '../field/gpu/fieldKernel.ts';
import { releaseGpu } from '../gpu/device.ts';
import { type RadioParameters, resolveSceneMaterials } from '../materials/radioMaterial.ts';
import { nodeFileSource } from '../node/nodeFileSource.ts';
import { loadScene } from '../scene/load.ts';
import type { Scene } from '../scene/types.ts';
import { randomLinks } from '../tracer/gpu/testSupport.ts';
import { calibrateScene, type SceneCalibrationResult } from './pipeline.ts';
import { withMaterialValues } from './sceneModel.ts';
import { synthesizeSoundings } from './synthesize.ts';

/**
 * Acceptance 3 of issue 12: calibration on WebGPU (geometry uploaded once, field + link
 * statistics in WGSL each iteration) reaches the estimates of the CPU reference within 1e-4
 * relative in the same number of iterations ± 1 — on the demo room (paper 003's setup) and on a
 * scene whose sounded paths cross a glass screen (transmission).
 */
const F = 28e9;
afterAll(releaseGpu);

async function both(
  scene: Scene,
  materials: Record<string, RadioParameters>,
  truth: Record<string, { conductivity: number }>,
  links: { tx: [number, number, number]; rx: [number, number, number] }[],
  noiseDb: number,
  maxDepth = 3,
): Promise<{ cpu: SceneCalibrationResult; gpu: SceneCalibrationResult }> {
  const settings = channelSettings({ frequencyHz: F, maxDepth, diffraction: false });
  const cpuChannel = await Channel.open(scene, settings, { backend: 'cpu' });
  const gpuChannel = await Channel.open(scene, settings, { backend: 'webgpu' });
  const traced = await cpuChannel.trace(links, materials);
  const soundings = synthesizeSoundings(
    await cpuChannel.evaluate(traced, withMaterialValues(materials, truth, 'truth')),
    {
      frequencyHz: F,
      noiseDb,
      noiseNs: noiseDb,
      seed: 5,
    },
  );
  const common = {
    materials,
    soundings,
    parameterNames: ['conductivity' as const],
    loss: { kind: 'nae' as const },
    optimizer: 'lm' as const,
    init: 'itu' as const,
    traced,
  };
  const cpu = await calibrateScene({ ...common, channel: cpuChannel });
  const gpu = await calibrateScene({ ...common, channel: gpuChannel });
  return { cpu, gpu };
}

function expectSame(cpu: SceneCalibrationResult, gpu: SceneCalibrationResult) {
  expect(cpu.backend.label).toBe('CPU');
  expect(gpu.backend.label).toMatch(/^WebGPU/);
  const rel = Array.from(cpu.theta, (t, k) => Math.abs(gpu.theta[k]! - t) / Math.abs(t));
  expect(Math.max(...rel)).toBeLessThan(1e-4);
  expect(Math.abs(gpu.iterations - cpu.iterations)).toBeLessThanOrEqual(1);
  return rel;
}

const summary = (name: string, cpu: SceneCalibrationResult, gpu: SceneCalibrationResult, rel: number[]) =>
  `${name}: ${cpu.iterations} CPU / ${gpu.iterations} WebGPU iterations (${gpu.backend.evaluations} WGSL evaluations, ${gpu.backend.float64RefinementEvaluations} float64 refinement evaluations), worst relative difference ${Math.max(...rel).toExponential(2)}`;

describe('calibration on WebGPU = on the CPU', () => {
  let room: Scene;
  let roomMaterials: Record<string, RadioParameters>;
  beforeAll(async () => {
    room = await loadScene(nodeFileSource, DEMO_ROOM_PATH);
    roomMaterials = resolveSceneMaterials(room.materials, F);
  });

  it('demo room, 5 conductivities, 30 links, noise-free', async () => {
    const truth = Object.fromEntries(
      Object.entries(roomMaterials).map(([id, m], k) => [
        id,
        { conductivity: m.conductivity * (1 + [0.3, -0.25, 0.4, -0.35, 0.2][k]!) },
      ]),
    );
    const { tx, rx } = randomLinks(room, 30, 11);
    const { cpu, gpu } = await both(
      room,
      roomMaterials,
      truth,
      rx.map((r) => ({ tx, rx: r })),
      0,
    );
    const rel = expectSame(cpu, gpu);
    console.log(summary('demo room', cpu, gpu, rel));
  });

  it('demo room with 1 dB / 1 ns noise (the prior and the MAP refit too)', async () => {
    const truth = Object.fromEntries(
      Object.entries(roomMaterials).map(([id, m], k) => [
        id,
        { conductivity: m.conductivity * (1 + [0.3, -0.25, 0.4, -0.35, 0.2][k]!) },
      ]),
    );
    const { tx, rx } = randomLinks(room, 30, 12);
    const { cpu, gpu } = await both(
      room,
      roomMaterials,
      truth,
      rx.map((r) => ({ tx, rx: r })),
      1,
    );
    const rel = expectSame(cpu, gpu);
    console.log(summary('demo room, noisy', cpu, gpu, rel));
  });

  it('box_one_screen: paths through the glass screen (transmission)', async () => {
    const scene = await loadScene(nodeFileSource, sionnaScenePath('box_one_screen'));
    const materials = resolveSceneMaterials(scene.materials, F);
    const truth = Object.fromEntries(
      Object.entries(materials).map(([id, m]) => [id, { conductivity: m.conductivity * 1.3 }]),
    );
    const { tx, rx } = randomLinks(scene, 30, 13);
    const links = rx.map((r) => ({ tx, rx: r }));
    const { cpu, gpu } = await both(scene, materials, truth, links, 0);
    expect(
      cpu.traced.some((l) => l.geometries.some((g) => g.interactions.some((i) => i.type === 'transmission'))),
    ).toBe(true);
    const rel = expectSame(cpu, gpu);
    console.log(summary('box_one_screen', cpu, gpu, rel));
  });

  it('box, depth 10: paths beyond the WGSL kernel fall back per path to the CPU, and the result says so', async () => {
    const scene = await loadScene(nodeFileSource, sionnaScenePath('box'));
    const materials = resolveSceneMaterials(scene.materials, F);
    const truth = Object.fromEntries(
      Object.entries(materials).map(([id, m]) => [id, { conductivity: m.conductivity * 0.8 }]),
    );
    const { tx, rx } = randomLinks(scene, 6, 14);
    const { cpu, gpu } = await both(
      scene,
      materials,
      truth,
      rx.map((r) => ({ tx, rx: r })),
      0,
      10,
    );
    const long = cpu.traced.reduce(
      (n, l) => n + l.geometries.filter((g) => g.interactions.length > MAX_INTERACTIONS).length,
      0,
    );
    expect(long).toBeGreaterThan(0);
    expect(gpu.backend.fallbackPaths).toBe(long);
    expect(cpu.backend.fallbackPaths).toBe(0);
    const rel = expectSame(cpu, gpu);
    console.log(`${summary('box depth 10', cpu, gpu, rel)}, ${long} paths on the host chain`);
  });
});
