import { BeamSelector, DEFAULT_LINK_BUDGET, dftCodebook, exhaustiveGpu } from '../src/engine/beams/index.ts';
import { Channel, channelSettings } from '../src/engine/channel/index.ts';
import { seededRandom } from '../src/engine/core/random.ts';
import type { Vec3 } from '../src/engine/core/vec3.ts';
import { acquireGpu, describeAdapter } from '../src/engine/gpu/device.ts';
import { resolveSceneMaterials } from '../src/engine/materials/radioMaterial.ts';
import { nodeFileSource } from '../src/engine/node/nodeFileSource.ts';
import { loadScene } from '../src/engine/scene/load.ts';
import type { Path } from '../src/engine/tracer/path.ts';
import { DEMO_ROOM_PATH } from '../src/test/paths.ts';

/**
 * Best beam pair search (issue 15, acceptance 6): 64 × 16 beam pairs (8×8 and 4×4 DFT arrays of
 * tr38901 elements) over 10⁴ links of the demo room at 28 GHz, depth 2 (LoS, reflections,
 * transmission). The paths are traced once for TRACED receiver positions and each is searched
 * LINKS / TRACED times (the search cost depends only on the path count); tracing is not timed.
 * Per link: the beam responses at every path's departure and arrival (Nt + Nr per path), then
 * the 1024 pairs (exhaustive) or 64 + 16 (hierarchical). WebGPU (beams/gpu/beamSearchGpu.ts,
 * exhaustive): the same 10⁴ links in batches of 2048, from the paths to the best pairs read back
 * (host packing, both WGSL kernels, transfers) — on these machines the adapter is SwiftShader, a
 * CPU emulation, so the figure says what the kernel costs there, not on a GPU.
 */
const LINKS = 10_000;
const TRACED = 1000;
const FREQUENCY = 28e9;

export default async function beamsBench(log: (line: string) => void): Promise<Record<string, unknown>> {
  const scene = await loadScene(nodeFileSource, DEMO_ROOM_PATH);
  const txSet = dftCodebook({
    ny: 8,
    nz: 8,
    spacing: 0.5,
    element: { pattern: 'tr38901', polarization: 'V' },
  });
  const rxSet = dftCodebook({
    ny: 4,
    nz: 4,
    spacing: 0.5,
    element: { pattern: 'tr38901', polarization: 'V', orientation: [Math.PI, 0, 0] },
  });
  const settings = channelSettings({
    frequencyHz: FREQUENCY,
    maxDepth: 2,
    diffraction: false,
    txAntenna: txSet.array.element,
    rxAntenna: rxSet.array.element,
  });
  const random = seededRandom(6);
  const tx: Vec3 = [-4.5, 0, 2.3];
  const rx: Vec3[] = Array.from({ length: TRACED }, () => [-4 + 8.5 * random(), -4.5 + 9 * random(), 1.3]);
  const channel = await Channel.open(scene, settings, { backend: 'cpu' });
  log(`tracing ${TRACED} links of the demo room (not timed)`);
  const traced = await channel.traceLinks(
    rx.map((r) => ({ tx, rx: r })),
    resolveSceneMaterials(scene.materials, FREQUENCY),
  );
  const paths: Path[][] = traced.map((l) => l.paths);
  const meanPaths = paths.reduce((s, p) => s + p.length, 0) / paths.length;
  const rows: Record<string, unknown>[] = [];
  for (const search of ['exhaustive', 'hierarchical'] as const) {
    const selector = new BeamSelector(txSet, rxSet, {
      frequencyHz: FREQUENCY,
      budget: DEFAULT_LINK_BUDGET,
      search,
    });
    for (let k = 0; k < 200; k++) selector.select(paths[k % TRACED]!); // warm-up (JIT)
    const t0 = performance.now();
    let checksum = 0;
    for (let k = 0; k < LINKS; k++) checksum += selector.select(paths[k % TRACED]!).best.tx;
    const ms = performance.now() - t0;
    rows.push({
      search,
      backend: 'cpu',
      links: LINKS,
      pairs: txSet.beams.length * rxSet.beams.length,
      evaluationsPerLink: search === 'exhaustive' ? 1024 : 80,
      totalSeconds: ms / 1000,
      timePerLinkMs: ms / LINKS,
      checksum,
    });
    log(`${search}: ${(ms / LINKS).toFixed(3)} ms/link over ${LINKS} links`);
  }
  // WebGPU: the exhaustive search of the same links (warm-up: one batch, pipelines compiled)
  const gpu = await acquireGpu();
  const all = Array.from({ length: LINKS }, (_, k) => paths[k % TRACED]!);
  const options = { frequencyHz: FREQUENCY, bandwidthHz: DEFAULT_LINK_BUDGET.bandwidthHz };
  await exhaustiveGpu(gpu, all.slice(0, 200), txSet, rxSet, options);
  const g0 = performance.now();
  const found = await exhaustiveGpu(gpu, all, txSet, rxSet, options);
  const gpuMs = performance.now() - g0;
  rows.push({
    search: 'exhaustive',
    backend: 'webgpu',
    adapter: describeAdapter(gpu.adapter),
    links: LINKS,
    pairs: txSet.beams.length * rxSet.beams.length,
    evaluationsPerLink: 1024,
    totalSeconds: gpuMs / 1000,
    timePerLinkMs: gpuMs / LINKS,
    checksum: found.best.reduce((a, b) => a + b.tx, 0),
  });
  log(
    `exhaustive on WebGPU (${describeAdapter(gpu.adapter)}): ${(gpuMs / LINKS).toFixed(3)} ms/link over ${LINKS} links`,
  );
  // how often the two-stage search finds the exhaustive optimum, and what it loses when not
  const ex = new BeamSelector(txSet, rxSet, {
    frequencyHz: FREQUENCY,
    budget: DEFAULT_LINK_BUDGET,
    search: 'exhaustive',
  });
  const hi = new BeamSelector(txSet, rxSet, {
    frequencyHz: FREQUENCY,
    budget: DEFAULT_LINK_BUDGET,
    search: 'hierarchical',
  });
  let same = 0;
  let lossDb = 0;
  for (const p of paths) {
    const a = ex.select(p).best;
    const b = hi.select(p).best;
    if (a.tx === b.tx && a.rx === b.rx) same++;
    lossDb += 10 * Math.log10(a.gain / b.gain);
  }
  return {
    hierarchicalFindsOptimumPercent: (100 * same) / paths.length,
    hierarchicalMeanGainLossDb: lossDb / paths.length,
    scene: 'public/demo/room.xml',
    frequencyHz: FREQUENCY,
    txBeams: '8×8 DFT (64), tr38901 elements',
    rxBeams: '4×4 DFT (16), tr38901 elements',
    tracedLinks: TRACED,
    meanPathsPerLink: meanPaths,
    rows,
  };
}
