import { describe, expect, it } from 'vitest';
import { DEMO_ROOM_PATH } from '../../../test/paths.ts';
import { Channel, channelSettings } from '../../channel/index.ts';
import { seededRandom } from '../../core/random.ts';
import type { Vec3 } from '../../core/vec3.ts';
import { requireGpu } from '../../field/gpu/testGpu.ts';
import { resolveSceneMaterials } from '../../materials/radioMaterial.ts';
import { nodeFileSource } from '../../node/nodeFileSource.ts';
import { loadScene } from '../../scene/load.ts';
import type { Path } from '../../tracer/path.ts';
import { beamLink } from '../beamChannel.ts';
import { type BeamSet, channelAntenna, dftCodebook, hornCodebook } from '../codebook.ts';
import { exhaustiveGpu } from './beamSearchGpu.ts';

/**
 * The WGSL beam search (beamResponses.wgsl + beamPairs.wgsl) against the CPU's BeamLink on real
 * traced links of the demo room: every pair's gain to float32 accuracy, and the best pair's gain.
 */
const F = 28e9;
const OPTIONS = { frequencyHz: F, bandwidthHz: 2.16e9 };

async function tracedLinks(
  tx: BeamSet,
  rx: BeamSet,
  count: number,
  scatteringRays: number,
): Promise<Path[][]> {
  const scene = await loadScene(nodeFileSource, DEMO_ROOM_PATH);
  const settings = channelSettings({
    frequencyHz: F,
    maxDepth: 2,
    diffraction: false,
    scattering: scatteringRays > 0,
    scatteringRays: Math.max(1, scatteringRays),
    txAntenna: channelAntenna(tx),
    rxAntenna: channelAntenna(rx),
  });
  const random = seededRandom(11);
  const rxs: Vec3[] = Array.from({ length: count }, () => [-4 + 8.5 * random(), -4.5 + 9 * random(), 1.3]);
  const channel = await Channel.open(scene, settings, { backend: 'cpu' });
  const links = await channel.traceLinks(
    rxs.map((r) => ({ tx: [-4.5, 0, 2.3] as Vec3, rx: r })),
    // rough walls (S = 0.3) when scattering is traced: the ITU values have S = 0, no diffuse paths
    Object.fromEntries(
      Object.entries(resolveSceneMaterials(scene.materials, F)).map(([id, m]) => [
        id,
        { ...m, scatteringCoefficient: scatteringRays > 0 ? 0.3 : 0 },
      ]),
    ),
  );
  return links.map((l) => l.paths);
}

/**
 * The GPU's float32 against the CPU's float64, relative to the link's best gain: the phases go
 * through cosSinTurns (~1 ulp; WGSL's own cos/sin would allow 2^-11, ~3e-4 here), so what is
 * left is float32 rounding (~1e-6 measured).
 */
const TOLERANCE = 1e-5;
function expectClose(gpu: Float32Array, cpu: Float64Array) {
  const scale = Math.max(...cpu);
  let worst = 0;
  for (let i = 0; i < cpu.length; i++) worst = Math.max(worst, Math.abs(gpu[i]! - cpu[i]!) / scale);
  expect(worst).toBeLessThan(TOLERANCE);
  return worst;
}

describe('beam-pair search on WebGPU', () => {
  const tx = dftCodebook({ ny: 8, nz: 8, spacing: 0.5, element: { pattern: 'tr38901', polarization: 'V' } });
  const rx = dftCodebook({
    ny: 4,
    nz: 4,
    spacing: 0.5,
    element: { pattern: 'tr38901', polarization: 'V', orientation: [Math.PI, 0, 0] },
  });

  it('8×8 × 4×4 DFT arrays, specular links: every pair gain and the best pair as on the CPU', async () => {
    const ctx = await requireGpu();
    const links = await tracedLinks(tx, rx, 24, 0);
    links.push([]); // a link without paths: gain 0, pair (0, 0), as the CPU says
    const { best, gains } = await exhaustiveGpu(ctx, links, tx, rx, { ...OPTIONS, gainMatrices: true });
    let worst = 0;
    links.forEach((paths, l) => {
      const cpu = beamLink(paths, tx, rx, OPTIONS);
      const want = cpu.exhaustive();
      if (paths.length === 0) {
        expect(best[l]).toMatchObject({ tx: 0, rx: 0, gain: 0 });
        return;
      }
      worst = Math.max(worst, expectClose(gains![l]!, cpu.gainMatrix()));
      // the pair the GPU chose reaches the CPU's best gain (a different index only on a near-tie)
      expect(cpu.gain(best[l]!.tx, best[l]!.rx)).toBeGreaterThanOrEqual(want.gain * (1 - TOLERANCE));
      expect(Math.abs(best[l]!.gain - want.gain) / want.gain).toBeLessThan(TOLERANCE);
    });
    console.info(
      `beam pairs on WebGPU: worst gain difference ${worst.toExponential(2)} of the link's best, ${links.length} links`,
    );
  });

  it('with diffuse scattering paths (added as powers) and 8 switched horns at the receiver', async () => {
    const ctx = await requireGpu();
    const horns = hornCodebook(8);
    const links = await tracedLinks(tx, horns, 6, 300);
    expect(links.some((p) => p.some((q) => q.kind === 'scattered'))).toBe(true);
    const { best, gains } = await exhaustiveGpu(ctx, links, tx, horns, { ...OPTIONS, gainMatrices: true });
    links.forEach((paths, l) => {
      const cpu = beamLink(paths, tx, horns, OPTIONS);
      expectClose(gains![l]!, cpu.gainMatrix());
      expect(cpu.gain(best[l]!.tx, best[l]!.rx)).toBeGreaterThanOrEqual(
        cpu.exhaustive().gain * (1 - TOLERANCE),
      );
    });
  });
});
