import { cpus } from 'node:os';
import type { TrainableParameter } from '../src/engine/calibrate/parameters.ts';
import { materialsInUse } from '../src/engine/calibrate/pipeline.ts';
import { calibrationScatteringObjects, sceneForwardModel } from '../src/engine/calibrate/sceneModel.ts';
import {
  type BackendTiming,
  type ChannelJob,
  crossoverFrom,
  SOFTWARE_ADAPTER_CROSSOVER,
} from '../src/engine/channel/autoRule.ts';
import { Channel, type TracedLink } from '../src/engine/channel/channel.ts';
import { adapterLabel } from '../src/engine/channel/gpuBackend.ts';
import { channelSettings, describeSettings } from '../src/engine/channel/settings.ts';
import type { Vec3 } from '../src/engine/core/vec3.ts';
import { acquireGpu } from '../src/engine/gpu/device.ts';
import { type RadioParameters, resolveSceneMaterials } from '../src/engine/materials/radioMaterial.ts';
import { nodeFileSource } from '../src/engine/node/nodeFileSource.ts';
import { makeGrid } from '../src/engine/radiomap/grid.ts';
import { computeRadioMap } from '../src/engine/radiomap/radioMap.ts';
import { loadScene } from '../src/engine/scene/load.ts';
import { randomLinks } from '../src/engine/tracer/gpu/testSupport.ts';
import { race } from './race.ts';

/**
 * CPU against WebGPU for the three kinds of channel job `auto` decides on (issue 12,
 * acceptance 5), on the demo twin with the studio's default channel settings (28 GHz, depth 3,
 * every mechanism), in one run so that the figures are ratios on one machine's load:
 *  - links: trace + fields + metrics of 10, 40, 160 and 640 links;
 *  - maps: radio maps of 100, 400, 1 600 and 6 400 cells over the room at 1.5 m;
 *  - calibration: one iteration (link statistics with the derivatives of the 5 conductivities)
 *    on the traced geometry of 50 and 200 links, and of 50 links with diffuse scattering on
 *    every material (S = 0.3: some 10⁴ paths per link).
 * Each time is the best of ROUNDS interleaved runs (CPU, WebGPU, CPU, …) after a warm-up.
 * The crossovers (crossoverFrom) are what the `auto` rule uses on a software adapter
 * (src/engine/channel/autoRule.ts; autoRule.test.ts checks that the table is these numbers).
 */
const F = 28e9;
const ROUNDS = Number(process.env.CHANNEL_ROUNDS ?? 2);
const ITERATIONS = 3;

const withScattering = (m: Record<string, RadioParameters>, s: number) =>
  Object.fromEntries(Object.entries(m).map(([k, v]) => [k, { ...v, scatteringCoefficient: s }]));

export default async function channelBench(log: (line: string) => void): Promise<Record<string, unknown>> {
  const gpu = await acquireGpu(); // fails without an adapter: there is nothing to compare then
  const scene = await loadScene(nodeFileSource, 'public/demo/room.xml');
  const settings = channelSettings({ frequencyHz: F });
  const channels = {
    cpu: await Channel.open(scene, settings, { backend: 'cpu' }),
    webgpu: await Channel.open(scene, settings, { backend: 'webgpu' }),
  };
  const materials = resolveSceneMaterials(scene.materials, F);
  const results: Record<ChannelJob['kind'], (BackendTiming & { label: string })[]> = {
    links: [],
    map: [],
    calibration: [],
  };
  const row = (
    kind: ChannelJob['kind'],
    label: string,
    size: number,
    t: { cpuMs: number; webgpuMs: number },
  ) => {
    results[kind].push({ label, size, ...t });
    log(
      `${label}: CPU ${t.cpuMs.toFixed(0)} ms, WebGPU ${t.webgpuMs.toFixed(0)} ms (×${(t.cpuMs / t.webgpuMs).toFixed(2)})`,
    );
  };

  for (const n of [10, 40, 160, 640]) {
    const { tx, rx } = randomLinks(scene, n, 100 + n);
    const links = rx.map((r) => ({ tx, rx: r }));
    const t = await race(async (b) => {
      const t0 = performance.now();
      await channels[b].traceLinks(links, materials);
      return performance.now() - t0;
    }, ROUNDS);
    row('links', `${n} links`, n, t);
  }

  for (const cellSize of [1, 0.5, 0.25, 0.125]) {
    const grid = makeGrid({ xmin: -5, xmax: 5, ymin: -5, ymax: 5 }, cellSize, 1.5);
    const cells = grid.nx * grid.ny;
    const t = await race(async (b) => {
      const t0 = performance.now();
      await computeRadioMap(channels[b], { tx: [0.5, -0.7, 2.5] as Vec3, grid, materials });
      return performance.now() - t0;
    }, ROUNDS);
    row('map', `${cells}-cell map`, cells, t);
  }

  const params: TrainableParameter[] = materialsInUse(scene).map((owner) => ({
    owner,
    name: 'conductivity',
  }));
  const calibrationCases = [
    { label: '50 links', links: 50, scattering: 0 },
    { label: '200 links', links: 200, scattering: 0 },
    { label: '50 links, S = 0.3 everywhere', links: 50, scattering: 0.3 },
  ];
  for (const c of calibrationCases) {
    const mats = withScattering(materials, c.scattering);
    const { tx, rx } = randomLinks(scene, c.links, 300 + c.links);
    const traced: TracedLink[] = await channels.cpu.trace(
      rx.map((r) => ({ tx, rx: r })),
      mats,
      {},
      calibrationScatteringObjects(scene, mats, params),
    );
    const paths = traced.reduce((s, l) => s + l.geometries.length, 0);
    const models = {
      cpu: sceneForwardModel(channels.cpu, channels.cpu.backend('cpu'), traced, mats, params),
      webgpu: sceneForwardModel(channels.webgpu, channels.webgpu.backend('webgpu'), traced, mats, params),
    };
    const theta = Float64Array.from(params, (p) => mats[p.owner]!.conductivity);
    try {
      const t = await race(async (b) => {
        const t0 = performance.now();
        for (let i = 0; i < ITERATIONS; i++) {
          theta[i % theta.length]! *= 1.01; // a new point each iteration, as an optimiser gives
          await models[b].evaluate(theta);
        }
        return (performance.now() - t0) / ITERATIONS;
      }, ROUNDS);
      row('calibration', `calibration iteration, ${c.label} (${paths} paths)`, paths, t);
    } finally {
      models.cpu.dispose();
      models.webgpu.dispose();
    }
  }

  const crossovers = Object.fromEntries(
    Object.entries(results).map(([kind, rows]) => [kind, crossoverFrom(rows)]),
  ) as Record<ChannelJob['kind'], number>;
  const table = Object.entries(crossovers)
    .map(([k, v]) => `${k} ≥ ${v}`)
    .join(', ');
  log(`crossovers (WebGPU faster from): ${table}`);
  const current = SOFTWARE_ADAPTER_CROSSOVER;
  if (Object.entries(crossovers).some(([k, v]) => current[k as ChannelJob['kind']] !== v))
    log('the auto rule (src/engine/channel/autoRule.ts) differs from these crossovers: update it');
  // JSON has no Infinity: null means "the CPU was faster at every size measured"
  const json = (x: number) => (Number.isFinite(x) ? x : null);
  return {
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', adapter: adapterLabel(gpu) },
    settings: describeSettings(settings),
    rounds: ROUNDS,
    timings: results,
    crossovers: Object.fromEntries(Object.entries(crossovers).map(([k, v]) => [k, json(v)])),
  };
}
