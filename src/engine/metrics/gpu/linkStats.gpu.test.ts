import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_ROOM_PATH } from '../../../test/paths.ts';
import { sceneForwardModel } from '../../calibrate/sceneModel.ts';
import { Channel } from '../../channel/channel.ts';
import { cpuBackend } from '../../channel/cpuBackend.ts';
import { gpuBackend } from '../../channel/gpuBackend.ts';
import { channelSettings } from '../../channel/settings.ts';
import { requireGpu } from '../../field/gpu/testGpu.ts';
import { releaseGpu } from '../../gpu/device.ts';
import { resolveSceneMaterials } from '../../materials/radioMaterial.ts';
import { nodeFileSource } from '../../node/nodeFileSource.ts';
import { loadScene } from '../../scene/load.ts';
import { randomLinks } from '../../tracer/gpu/testSupport.ts';
import { metricWithGradient } from '../linkMetrics.ts';
import { STAT_COH_IM, STAT_COH_RE, STAT_COUNT, STAT_DIFFUSE } from '../linkStats.ts';

/**
 * The WGSL link statistics (linkStats.wgsl) hold the same definitions as the host reduction
 * (linkStats.ts, docs/physics.md §10): diffuse samples as one aggregated power (DIFFUSE), never in
 * the coherent sum COH nor the K reference. Demo room with S = 0.3 on every material (thousands of
 * diffuse samples), derivatives for σ and S of two materials: the WebGPU statistics and the
 * coherent-gain and K metrics with their gradients equal the float64 CPU ones.
 */
const F = 28e9;
afterAll(releaseGpu);

describe('link statistics on WebGPU with diffuse scattering', () => {
  it('every statistic, coherent gain and K (values and gradients) as on the CPU', async () => {
    const gpu = await requireGpu();
    const room = await loadScene(nodeFileSource, DEMO_ROOM_PATH);
    const materials = Object.fromEntries(
      Object.entries(resolveSceneMaterials(room.materials, F)).map(([id, m]) => [
        id,
        { ...m, scatteringCoefficient: 0.3 },
      ]),
    );
    const channel = await Channel.open(
      room,
      channelSettings({ frequencyHz: F, maxDepth: 2, diffraction: false, rays: 2000, scatteringRays: 3000 }),
      { backend: 'cpu' },
    );
    const { tx, rx } = randomLinks(room, 12, 21);
    const traced = await channel.trace(
      rx.map((r) => ({ tx, rx: r })),
      materials,
    );
    const ids = Object.keys(materials).slice(0, 2);
    const parameters = ids.flatMap((owner) => [
      { owner, name: 'conductivity' as const },
      { owner, name: 'scattering_coefficient' as const },
    ]);
    const theta = Float64Array.from(
      ids.flatMap((id) => [materials[id]!.conductivity, materials[id]!.scatteringCoefficient]),
    );
    const onCpu = await sceneForwardModel(channel, cpuBackend, traced, materials, parameters).evaluate(theta);
    const gpuModel = sceneForwardModel(channel, gpuBackend(gpu), traced, materials, parameters);
    const onGpu = await gpuModel.evaluate(theta);
    gpuModel.dispose();
    let diffuseLinks = 0;
    for (let l = 0; l < traced.length; l++) {
      const v = (s: typeof onCpu, k: number) => s.values[l * STAT_COUNT + k]!;
      if (v(onCpu, STAT_DIFFUSE) > 0) diffuseLinks++;
      expect(onGpu.reference[l]).toBe(onCpu.reference[l]);
      expect(onGpu.pathCount[l]).toBe(onCpu.pathCount[l]);
      // each statistic within f32 accuracy of its own scale (COH against |COH|)
      const coh = Math.hypot(v(onCpu, STAT_COH_RE), v(onCpu, STAT_COH_IM));
      for (let k = 0; k < STAT_COUNT; k++) {
        const scale = k === STAT_COH_RE || k === STAT_COH_IM ? coh : Math.abs(v(onCpu, k));
        expect(Math.abs(v(onGpu, k) - v(onCpu, k)), `link ${l} stat ${k}`).toBeLessThanOrEqual(1e-4 * scale);
      }
      for (const metric of ['coherent_gain_db', 'k_factor_db'] as const) {
        const c = metricWithGradient(onCpu, l, metric);
        const g = metricWithGradient(onGpu, l, metric);
        if (!Number.isFinite(c.value)) continue;
        expect(Math.abs(g.value - c.value), `link ${l} ${metric}`).toBeLessThan(1e-3);
        const scale = Math.max(...Array.from(c.grad, Math.abs));
        for (let k = 0; k < parameters.length; k++)
          expect(Math.abs(g.grad[k]! - c.grad[k]!), `link ${l} ${metric} ∂/∂θ${k}`).toBeLessThanOrEqual(
            2e-3 * scale,
          );
      }
    }
    expect(diffuseLinks).toBeGreaterThan(traced.length / 2);
  });
});
