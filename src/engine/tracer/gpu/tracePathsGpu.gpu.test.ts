import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sionnaSceneFiles, sionnaScenePath } from '../../../test/paths.ts';
import { SPEED_OF_LIGHT } from '../../core/constants.ts';
import type { Vec3 } from '../../core/vec3.ts';
import { evaluatePaths } from '../../field/index.ts';
import { acquireGpu, type GpuContext, releaseGpu } from '../../gpu/device.ts';
import { resolveSceneMaterials } from '../../materials/radioMaterial.ts';
import { nodeFileSource } from '../../node/nodeFileSource.ts';
import { loadScene } from '../../scene/load.ts';
import { buildBvh } from '../bvh.ts';
import { tracePathsSync } from '../cpu/tracePaths.ts';
import { type PathGeometry, pathSignature } from '../path.ts';
import { randomLinks } from './testSupport.ts';
import { GpuPathTracer, tracePathsGpu } from './tracePathsGpu.ts';

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

/**
 * Radio-map tracing (GpuPathTracer.traceGrid: beam footprints per row, shadows, segments proven
 * clear, pass-1 acceptance) gives every cell exactly the reference's path set, depth 3.
 */
describe('WebGPU grid tracing = CPU reference, cell by cell', () => {
  it.each([
    ['demo room', 'public/demo/room.xml', [0.3, 0.2, 2.5], -5, 5, 1.5, true],
    ['simple_street_canyon', sionnaScenePath('simple_street_canyon'), [-30, 0, 10], -50, 50, 1.5, true],
    // an empty box: nothing casts shadows
    ['box', sionnaScenePath('box'), [0.7, -0.4, 3.1], -4.5, 4.5, 1.5, false],
  ] as const)('%s: 24 × 24 cells, depth 3', async (_name, file, tx, lo, hi, z, occluders) => {
    const scene = await loadScene(nodeFileSource, file);
    const bvh = buildBvh(scene);
    const options = { maxDepth: 3, scattering: false, diffraction: false };
    const n = 24;
    const grid = { xmin: lo, ymin: lo, cellSize: (hi - lo) / n, nx: n, ny: n, z };
    const rx: Vec3[] = [];
    for (let iy = 0; iy < n; iy++)
      for (let ix = 0; ix < n; ix++)
        rx.push([lo + (ix + 0.5) * grid.cellSize, lo + (iy + 0.5) * grid.cellSize, z]);
    const tracer = GpuPathTracer.create(ctx, scene, bvh, [...tx], options);
    let gpu: PathGeometry[][];
    let list: PathGeometry[][];
    try {
      // two tiles of rows, as radio maps do
      const a = await tracer.traceGrid(grid, 0, 10);
      const b = await tracer.traceGrid(grid, 10, n);
      gpu = [...a.paths, ...b.paths];
      // the host culling did its part: far fewer pairs than candidates × cells
      expect(a.stats.pairs + b.stats.pairs).toBeLessThan(0.2 * tracer.candidateCount * n * n);
      // the same receivers as a list (per-receiver beam, shadow and clear-segment tests)
      const l = await tracer.trace(rx);
      list = l.paths;
      if (occluders) expect(l.stats.shadowed).toBeGreaterThan(0);
    } finally {
      tracer.destroy();
    }
    const cpu = tracePathsSync(scene, bvh, [...tx], rx, options);
    let paths = 0;
    rx.forEach((_, i) => {
      expect(gpu[i]!.map(pathSignature)).toEqual(cpu[i]!.map(pathSignature));
      expect(list[i]!.map(pathSignature)).toEqual(cpu[i]!.map(pathSignature));
      gpu[i]!.forEach((p, k) => {
        expect(Math.abs(p.length - cpu[i]![k]!.length)).toBeLessThan(1e-9);
      });
      paths += cpu[i]!.length;
    });
    expect(paths).toBeGreaterThan(n * n);
  });
});
