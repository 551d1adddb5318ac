import { fileURLToPath } from 'node:url';
import { evaluatePaths } from '../src/engine/field/index.ts';
import { acquireGpu, describeAdapter, releaseGpu } from '../src/engine/gpu/device.ts';
import { resolveSceneMaterials } from '../src/engine/materials/radioMaterial.ts';
import { makeGrid } from '../src/engine/radiomap/grid.ts';
import { computeRadioMap, type RadioMap } from '../src/engine/radiomap/radioMap.ts';
import { loadScene } from '../src/engine/scene/load.ts';
import { nodeFileSource } from '../src/engine/scene/nodeFileSource.ts';
import { buildBvh } from '../src/engine/tracer/bvh.ts';
import { tracePaths } from '../src/engine/tracer/cpu/tracePaths.ts';
import { randomLinks } from '../src/engine/tracer/gpu/testSupport.ts';
import { tracePathsGpu } from '../src/engine/tracer/gpu/tracePathsGpu.ts';
import type { Vec3 } from '../src/engine/vec3.ts';

/**
 * CPU reference vs WebGPU (issue 4, acceptance 3), same run, same machine:
 * - time per link: one transmitter, 50 receivers, depth 3, paths (LoS, reflections,
 *   transmissions: the kinds the WGSL kernels compute) + fields;
 * - radio map of 100 × 100 cells at depth 3: cells per second, and whether both maps agree.
 * Scenes: the demo room (public/demo/room.xml) and simple_street_canyon. 28 GHz, iso + V.
 * On a machine without a GPU the WebGPU figures are SwiftShader's (Vulkan on the CPU).
 */
const FREQUENCY = 28e9;
const DEPTH = 3;
const TRACE = { maxDepth: DEPTH, scattering: false, diffraction: false };

const CASES: {
  name: string;
  file: string;
  tx: Vec3;
  bounds: { xmin: number; ymin: number; xmax: number; ymax: number };
  z: number;
}[] = [
  {
    name: 'demo room',
    file: fileURLToPath(new URL('../public/demo/room.xml', import.meta.url)),
    tx: [0.3, 0.2, 2.5],
    bounds: { xmin: -5, ymin: -5, xmax: 5, ymax: 5 },
    z: 1.5,
  },
  {
    name: 'simple_street_canyon',
    file: fileURLToPath(
      new URL('../../shared/scenes/sionna/simple_street_canyon/simple_street_canyon.xml', import.meta.url),
    ),
    tx: [-30, 0, 10],
    bounds: { xmin: -50, ymin: -50, xmax: 50, ymax: 50 },
    z: 1.5,
  },
];

function agreement(cpu: RadioMap, gpu: RadioMap) {
  let worstGainDb = 0;
  let worstDelaySpreadNs = 0;
  let pathCountMismatches = 0;
  for (let i = 0; i < cpu.pathCount.length; i++) {
    if (cpu.pathCount[i] !== gpu.pathCount[i]) pathCountMismatches++;
    if (cpu.pathGainDb[i]! > -150)
      worstGainDb = Math.max(worstGainDb, Math.abs(cpu.pathGainDb[i]! - gpu.pathGainDb[i]!));
    worstDelaySpreadNs = Math.max(
      worstDelaySpreadNs,
      Math.abs(cpu.rmsDelaySpreadS[i]! - gpu.rmsDelaySpreadS[i]!) * 1e9,
    );
  }
  return { worstGainDb, worstDelaySpreadNs, pathCountMismatches };
}

export default async function (log: (line: string) => void): Promise<Record<string, unknown>> {
  const gpu = await acquireGpu();
  const adapter = describeAdapter(gpu.adapter);
  log(`WebGPU adapter: ${adapter}`);
  const results: Record<string, unknown>[] = [];
  try {
    for (const c of CASES) {
      const scene = await loadScene(nodeFileSource, c.file);
      const bvh = buildBvh(scene);
      const materials = resolveSceneMaterials(scene.materials, FREQUENCY);
      const { tx, rx } = randomLinks(scene, 50, 7);
      // warm-up (pipeline compilation, JIT) on a few links, not timed
      await tracePathsGpu(gpu, scene, bvh, tx, rx.slice(0, 2), TRACE);
      await tracePaths(scene, bvh, tx, rx.slice(0, 2), TRACE);
      const field = (geo: Awaited<ReturnType<typeof tracePaths>>) =>
        geo.reduce(
          (n, g, i) => n + evaluatePaths(scene, tx, rx[i]!, g, materials, { frequencyHz: FREQUENCY }).length,
          0,
        );
      let t = performance.now();
      const cpuPaths = field(await tracePaths(scene, bvh, tx, rx, TRACE));
      const cpuLinkMs = (performance.now() - t) / rx.length;
      t = performance.now();
      const g = await tracePathsGpu(gpu, scene, bvh, tx, rx, TRACE);
      const gpuPaths = field(g.paths);
      const gpuLinkMs = (performance.now() - t) / rx.length;
      log(
        `${c.name}: per link CPU ${cpuLinkMs.toFixed(2)} ms, WebGPU ${gpuLinkMs.toFixed(2)} ms (${cpuPaths} / ${gpuPaths} paths)`,
      );

      const grid = makeGrid(c.bounds, (c.bounds.xmax - c.bounds.xmin) / 100, c.z);
      const base = { frequencyHz: FREQUENCY, tx: c.tx, grid, materials, trace: TRACE, bvh };
      const progress = (label: string) => (p: { done: number; total: number }) => {
        if (p.done === p.total || p.done % 2000 < grid.nx)
          log(`${c.name} map ${label}: ${p.done}/${p.total}`);
      };
      const cpuMap = await computeRadioMap(scene, { ...base, backend: 'cpu', onProgress: progress('cpu') });
      const gpuMap = await computeRadioMap(scene, {
        ...base,
        backend: 'webgpu',
        onProgress: progress('webgpu'),
      });
      const cells = grid.nx * grid.ny;
      const cpuCellsPerS = cells / (cpuMap.stats.totalMs / 1000);
      const gpuCellsPerS = cells / (gpuMap.stats.totalMs / 1000);
      const agree = agreement(cpuMap, gpuMap);
      log(
        `${c.name}: map CPU ${cpuCellsPerS.toFixed(0)} cells/s, WebGPU ${gpuCellsPerS.toFixed(0)} cells/s; ${JSON.stringify(agree)}`,
      );
      results.push({
        scene: c.name,
        depth: DEPTH,
        pathKinds: 'LoS, reflections, transmissions',
        links: rx.length,
        timePerLinkMs: { cpu: cpuLinkMs, webgpu: gpuLinkMs, speedupWebgpuOverCpu: cpuLinkMs / gpuLinkMs },
        linkTrace: {
          candidates: g.stats.candidates,
          pairs: g.stats.pairs,
          survivors: g.stats.survivors,
          undecidedOnHost: g.stats.undecided,
          candidatesMs: g.stats.candidatesMs,
          gpuMs: g.stats.gpuMs,
          hostMs: g.stats.hostMs,
        },
        radioMap: {
          cells,
          cellSizeM: grid.cellSize,
          planeZ: grid.z,
          tx: c.tx,
          cellsPerSecond: {
            cpu: cpuCellsPerS,
            webgpu: gpuCellsPerS,
            speedupWebgpuOverCpu: gpuCellsPerS / cpuCellsPerS,
          },
          paths: { cpu: cpuMap.stats.paths, webgpu: gpuMap.stats.paths },
          // where the time goes (ms): path search (candidates + GPU passes + host fallback) vs fields + metrics on the host
          timeMs: {
            cpu: {
              total: cpuMap.stats.totalMs,
              pathSearch: cpuMap.stats.traceMs,
              fieldAndMetrics: cpuMap.stats.fieldMs,
            },
            webgpu: {
              total: gpuMap.stats.totalMs,
              pathSearch: gpuMap.stats.traceMs,
              candidates: gpuMap.stats.candidatesMs,
              gpuPasses: gpuMap.stats.gpuMs,
              fieldAndMetrics: gpuMap.stats.fieldMs,
              undecidedPairsSolvedOnHost: gpuMap.stats.gpuUndecided,
            },
          },
          agreement: agree,
        },
      });
    }
  } finally {
    await releaseGpu();
  }
  return { adapter, frequencyHz: FREQUENCY, results };
}
