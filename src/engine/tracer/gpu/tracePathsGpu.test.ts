import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SPEED_OF_LIGHT } from '../../constants.ts';
import { evaluatePaths } from '../../field/index.ts';
import { acquireGpu, type GpuContext, releaseGpu } from '../../gpu/device.ts';
import { resolveSceneMaterials } from '../../materials/radioMaterial.ts';
import { loadScene } from '../../scene/load.ts';
import { nodeFileSource } from '../../scene/nodeFileSource.ts';
import { buildBvh } from '../bvh.ts';
import { tracePathsSync } from '../cpu/tracePaths.ts';
import { pathSignature } from '../path.ts';
import { randomLinks, sionnaSceneFiles } from './testSupport.ts';
import { tracePathsGpu } from './tracePathsGpu.ts';

const FREQUENCY = 28e9;
let ctx: GpuContext;
beforeAll(async () => {
  ctx = await acquireGpu();
});
afterAll(releaseGpu);

/**
 * Acceptance 1 of issue 4 (Node: Dawn + SwiftShader): the WebGPU tracer finds the same paths as
 * the CPU reference (by interaction sequence) for 50 Tx/Rx pairs per Sionna scene, depth 1–5,
 * LoS + reflections + transmissions (the kinds the kernels compute), with gains within
 * 0.01 dB and delays within 1 ps.
 */
describe('WebGPU path search = CPU reference on the Sionna scenes', () => {
  const cases = sionnaSceneFiles().flatMap((file) => [1, 3, 5].map((depth) => [file, depth] as const));
  it.each(cases)('%s depth %i: 50 links', async (file, depth) => {
    const scene = await loadScene(nodeFileSource, file);
    const bvh = buildBvh(scene);
    const { tx, rx } = randomLinks(scene, 50, 1000 + depth);
    const options = { maxDepth: depth, scattering: false, diffraction: false };
    const cpu = tracePathsSync(scene, bvh, tx, rx, options);
    const gpu = await tracePathsGpu(ctx, scene, bvh, tx, rx, options);
    const materials = resolveSceneMaterials(scene.materials, FREQUENCY);
    let compared = 0;
    let worstDb = 0;
    let worstPs = 0;
    rx.forEach((r, i) => {
      const cpuPaths = evaluatePaths(scene, tx, r, cpu[i]!, materials, { frequencyHz: FREQUENCY });
      const gpuPaths = evaluatePaths(scene, tx, r, gpu.paths[i]!, materials, { frequencyHz: FREQUENCY });
      const bySig = new Map(gpuPaths.map((p) => [pathSignature(p), p]));
      expect([...bySig.keys()].sort()).toEqual(cpuPaths.map(pathSignature).sort());
      for (const c of cpuPaths) {
        const g = bySig.get(pathSignature(c))!;
        const gc = c.a.re ** 2 + c.a.im ** 2;
        const gg = g.a.re ** 2 + g.a.im ** 2;
        // zero-gain paths (e.g. through 1 m of metal) are equal by being both zero
        if (gc > 0 || gg > 0) worstDb = Math.max(worstDb, Math.abs(10 * Math.log10(gg / gc)));
        worstPs = Math.max(worstPs, Math.abs(g.delay - c.delay) * 1e12);
        // delay is the length over c, from the GPU's points summed in float64
        expect(g.delay).toBeCloseTo(g.length / SPEED_OF_LIGHT, 18);
        compared++;
      }
    });
    // not a vacuous comparison: most links have paths
    expect(compared).toBeGreaterThanOrEqual(rx.length / 2);
    expect(worstDb).toBeLessThan(0.01);
    expect(worstPs).toBeLessThan(1);
    // the GPU decided (nearly) every pair itself: the host fallback is for f32 edge cases only
    expect(gpu.stats.undecided).toBeLessThan(0.5 * (gpu.stats.gpuValid + gpu.stats.undecided) + 1);
  });
});
