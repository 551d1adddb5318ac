import { describe, expect, it } from 'vitest';
import { sionnaScenePath } from '../../test/paths.ts';
import type { Vec3 } from '../core/vec3.ts';
import { wedgeScene } from '../field/testScenes.ts';
import { type RadioParameters, resolveSceneMaterials } from '../materials/radioMaterial.ts';
import { nodeFileSource } from '../node/nodeFileSource.ts';
import { loadScene } from '../scene/load.ts';
import type { Scene } from '../scene/types.ts';
import type { Path } from '../tracer/path.ts';
import { Channel, type LinkResult } from './channel.ts';
import { type ChannelSettings, channelSettings } from './settings.ts';

/**
 * Reciprocity through the whole pipeline (docs/physics.md §13; issue 18 acceptance 4): Tx and Rx
 * swapped, the same antennas at both ends, every mechanism on. Every deterministic path (LoS,
 * specular, transmitted, diffracted) must come back with the same complex a within 1e-6
 * relative. Diffuse samples are drawn from each end's own rays, so they are compared as power,
 * in the slow tier (diffuse.slow.test.ts).
 */
const F = 28e9;

async function bothWays(
  scene: Scene,
  settings: Partial<ChannelSettings>,
  materials: Record<string, RadioParameters>,
  a: Vec3,
  b: Vec3,
): Promise<[LinkResult, LinkResult]> {
  const channel = await Channel.open(
    scene,
    channelSettings({
      frequencyHz: F,
      ...settings,
      txAntenna: { pattern: 'dipole', polarization: '+45' },
      rxAntenna: { pattern: 'dipole', polarization: '+45' },
    }),
    { backend: 'cpu' },
  );
  const [ab] = await channel.traceLinks([{ tx: a, rx: b }], materials);
  const [ba] = await channel.traceLinks([{ tx: b, rx: a }], materials);
  return [ab!, ba!];
}

/** The reverse path of p among `back`: same kind, the same points in reverse order (1e-6 m). */
function reverseOf(p: Path, back: readonly Path[]): Path | undefined {
  const n = p.interactions.length;
  return back.find(
    (q) =>
      q.kind === p.kind &&
      q.interactions.length === n &&
      q.interactions.every((it, k) => {
        const o = p.interactions[n - 1 - k]!;
        return (
          it.type === o.type &&
          Math.hypot(it.point[0] - o.point[0], it.point[1] - o.point[1], it.point[2] - o.point[2]) < 1e-6
        );
      }),
  );
}

/** Every deterministic path matched both ways with a within 1e-6 relative; returns the kinds met. */
function expectDeterministicReciprocal(ab: LinkResult, ba: LinkResult): Set<string> {
  const det = (l: LinkResult) => l.paths.filter((p) => p.kind !== 'scattered');
  expect(det(ba)).toHaveLength(det(ab).length);
  const kinds = new Set<string>();
  for (const p of det(ab)) {
    const q = reverseOf(p, det(ba));
    expect(q, `${p.kind} path of ${p.interactions.length} interactions found one way only`).toBeDefined();
    const scale = Math.hypot(p.a.re, p.a.im);
    expect(Math.hypot(p.a.re - q!.a.re, p.a.im - q!.a.im), p.kind).toBeLessThan(1e-6 * scale);
    expect(q!.delay).toBeCloseTo(p.delay, 18);
    kinds.add(p.kind);
  }
  return kinds;
}

describe('reciprocity through the channel pipeline, every mechanism on', () => {
  it('dielectric wedge of two materials: diffracted and reflected paths, ends on either face', async () => {
    const wedge = wedgeScene('w0', 200, 200, 'wn');
    const materials: Record<string, RadioParameters> = {
      w0: {
        relativePermittivity: 5.24,
        conductivity: 0.626,
        scatteringCoefficient: 0,
        xpdCoefficient: 0,
        thickness: 0.2,
      },
      wn: {
        relativePermittivity: 1.99,
        conductivity: 0.1672,
        scatteringCoefficient: 0,
        xpdCoefficient: 0,
        thickness: 0.03,
      },
    };
    // free space is the 270° outside the quadrant x < 0, y < 0 (wedgeScene)
    const pairs: [Vec3, Vec3][] = [
      [
        [-3, 2.5, 1],
        [2, -5, -0.5],
      ],
      [
        [-4, 1, 0.4],
        [-1, 5, 1.2],
      ],
      [
        [3, -3, 0.2],
        [1.5, -6, 2],
      ],
      [
        [2, 2, -1],
        [2.5, 2.2, 1],
      ],
    ];
    const kinds = new Set<string>();
    for (const [a, b] of pairs) {
      const [ab, ba] = await bothWays(wedge, { maxDepth: 2 }, materials, a, b);
      expect(ab.paths.some((p) => p.kind === 'diffracted')).toBe(true);
      for (const k of expectDeterministicReciprocal(ab, ba)) kinds.add(k);
    }
    expect([...kinds].sort()).toEqual(['diffracted', 'los', 'specular']);
  });

  it('street canyon, depth 2, S = 0.3 on every material: every deterministic path both ways', async () => {
    const canyon = await loadScene(nodeFileSource, sionnaScenePath('simple_street_canyon'));
    const materials = Object.fromEntries(
      Object.entries(resolveSceneMaterials(canyon.materials, F)).map(([id, m]) => [
        id,
        { ...m, scatteringCoefficient: 0.3 },
      ]),
    );
    const kinds = new Set<string>();
    let transmitted = false;
    for (const [a, b] of [
      [
        [-50, 0, 5],
        [23, -30, 1.5],
      ],
      [
        [-70, 3, 8],
        [40, -2, 2],
      ],
    ] as [Vec3, Vec3][]) {
      const [ab, ba] = await bothWays(canyon, { maxDepth: 2, scatteringRays: 2000 }, materials, a, b);
      expect(ab.paths.some((p) => p.kind === 'scattered')).toBe(true);
      for (const k of expectDeterministicReciprocal(ab, ba)) kinds.add(k);
      transmitted ||= ab.paths.some((p) => p.interactions.some((i) => i.type === 'transmission'));
    }
    expect(kinds).toContain('diffracted');
    expect(kinds).toContain('specular');
    expect(transmitted).toBe(true);
  });
});
