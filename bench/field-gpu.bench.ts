import {
  evaluateLinksGpu,
  evaluateLinksJacobianGpu,
  type FieldLink,
} from '../src/engine/field/gpu/fieldGpu.ts';
import {
  evaluatePaths,
  evaluatePathsJacobian,
  MATERIAL_PARAMETERS,
  parameterKey,
} from '../src/engine/field/index.ts';
import { acquireGpu, describeAdapter, releaseGpu } from '../src/engine/gpu/device.ts';
import { resolveSceneMaterials } from '../src/engine/materials/radioMaterial.ts';
import { nodeFileSource } from '../src/engine/node/nodeFileSource.ts';
import { loadScene } from '../src/engine/scene/load.ts';
import { buildBvh } from '../src/engine/tracer/bvh.ts';
import { tracePathsSync } from '../src/engine/tracer/cpu/tracePaths.ts';
import { randomLinks } from '../src/engine/tracer/gpu/testSupport.ts';
import { DEMO_ROOM_PATH, sionnaScenePath } from '../src/test/paths.ts';

/**
 * Field evaluation alone on fixed geometry (traced once by the CPU tracer), CPU reference
 * (evaluatePaths / evaluatePathsJacobian, float64) vs WebGPU (evaluateLinksGpu /
 * evaluateLinksJacobianGpu: all links in one dispatch, f32), same run: paths per second for the
 * values and for values + ∂a/∂θ of all 4 parameters of every material. 28 GHz, slab model,
 * depth 3, iso + V; 100 links per scene. On a machine without a GPU the WebGPU figures are
 * SwiftShader's (Vulkan on the CPU, this machine's cores shared with everything else).
 */
const FREQUENCY = 28e9;
const CASES = [
  {
    name: 'demo room (+ scattering, S = 0.3)',
    file: DEMO_ROOM_PATH,
    scattering: true,
  },
  {
    name: 'simple_street_canyon',
    file: sionnaScenePath('simple_street_canyon'),
    scattering: false,
  },
  {
    name: 'box_one_screen (+ scattering, S = 0.3)',
    file: sionnaScenePath('box_one_screen'),
    scattering: true,
  },
];

async function timeIt(f: () => unknown | Promise<unknown>): Promise<number> {
  await f(); // warm-up (JIT, pipeline compilation)
  let reps = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 1500 || reps < 2) {
    await f();
    reps++;
  }
  return (performance.now() - t0) / reps;
}

export default async function fieldGpuBench(log: (line: string) => void): Promise<Record<string, unknown>> {
  const gpu = await acquireGpu();
  const adapter = describeAdapter(gpu.adapter);
  log(`adapter: ${adapter}`);
  const rows: Record<string, unknown>[] = [];
  try {
    for (const c of CASES) {
      const scene = await loadScene(nodeFileSource, c.file);
      const { tx, rx } = randomLinks(scene, 100, 9);
      const geos = tracePathsSync(scene, buildBvh(scene), tx, rx, {
        maxDepth: 3,
        diffraction: false,
        scattering: c.scattering,
        rays: 2000,
        scatteringRays: 300,
      });
      const links: FieldLink[] = rx.map((r, i) => ({ tx, rx: r, geometries: geos[i]! }));
      const resolved = resolveSceneMaterials(scene.materials, FREQUENCY);
      const materials = c.scattering
        ? Object.fromEntries(
            Object.entries(resolved).map(([k, v]) => [k, { ...v, scatteringCoefficient: 0.3 }]),
          )
        : resolved;
      const keys = Object.keys(materials).flatMap((m) => MATERIAL_PARAMETERS.map((p) => parameterKey(m, p)));
      const options = { frequencyHz: FREQUENCY };
      const nPaths = geos.reduce((s, g) => s + g.length, 0);
      const cpuValue = await timeIt(() => {
        for (const l of links) evaluatePaths(scene, l.tx, l.rx, l.geometries, materials, options);
      });
      const cpuGrad = await timeIt(() => {
        for (const l of links)
          evaluatePathsJacobian(scene, l.tx, l.rx, l.geometries, materials, options, keys);
      });
      const gpuValue = await timeIt(() => evaluateLinksGpu(gpu, scene, links, materials, options));
      const gpuGrad = await timeIt(() =>
        evaluateLinksJacobianGpu(gpu, scene, links, materials, options, keys),
      );
      // where the WebGPU time goes (one more run of each)
      const split = (st: { packMs: number; gpuMs: number; unpackMs: number }) => ({
        hostPackMs: st.packMs,
        uploadDispatchReadbackMs: st.gpuMs,
        hostUnpackMs: st.unpackMs,
      });
      const valueSplit = split((await evaluateLinksGpu(gpu, scene, links, materials, options)).stats);
      const jacobianSplit = split(
        (await evaluateLinksJacobianGpu(gpu, scene, links, materials, options, keys)).stats,
      );
      const row = {
        scene: c.name,
        links: links.length,
        paths: nPaths,
        parameters: keys.length,
        cpuValuePathsPerSecond: Math.round((nPaths / cpuValue) * 1000),
        gpuValuePathsPerSecond: Math.round((nPaths / gpuValue) * 1000),
        valueSpeedup: cpuValue / gpuValue,
        cpuJacobianPathsPerSecond: Math.round((nPaths / cpuGrad) * 1000),
        gpuJacobianPathsPerSecond: Math.round((nPaths / gpuGrad) * 1000),
        jacobianSpeedup: cpuGrad / gpuGrad,
        cpuValueMs: cpuValue,
        gpuValueMs: gpuValue,
        cpuJacobianMs: cpuGrad,
        gpuJacobianMs: gpuGrad,
        gpuValueSplit: valueSplit,
        gpuJacobianSplit: jacobianSplit,
      };
      log(JSON.stringify(row));
      rows.push(row);
    }
  } finally {
    await releaseGpu();
  }
  return {
    adapter,
    frequencyHz: FREQUENCY,
    maxDepth: 3,
    materialModel: 'slab',
    note: 'GPU times include packing on the host (f64 lengths, antennas, scattering factors), upload, dispatch and read-back',
    rows,
  };
}
