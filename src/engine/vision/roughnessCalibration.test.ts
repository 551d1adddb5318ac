import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ROOM_PATH } from '../../test/paths.ts';
import { calibrateScene } from '../calibrate/pipeline.ts';
import { withMaterialValues } from '../calibrate/sceneModel.ts';
import { synthesizeSoundings } from '../calibrate/synthesize.ts';
import { Channel, type TracedLink } from '../channel/channel.ts';
import { channelSettings } from '../channel/settings.ts';
import { InputError } from '../core/errors.ts';
import type { Vec3 } from '../core/vec3.ts';
import { parseMaterialStds } from '../io/materialsJson.ts';
import type { Sounding } from '../io/soundings.ts';
import { type RadioParameters, resolveSceneMaterials } from '../materials/radioMaterial.ts';
import { nodeFileSource } from '../node/nodeFileSource.ts';
import { loadScene } from '../scene/load.ts';

/**
 * The roughness prior carried into calibration (docs/physics.md §7, §11): in the demo room the
 * brick is rough, S = 0.33 in truth, the marble box smooth, S = 0.085 (soundings synthesised with
 * their diffuse scattering, 0.1 dB noise). Calibrating both S from the vision priors (rough
 * 0.4 ± 0.058, smooth 0.085 ± 0.0087, their widths as the MAP prior's): brick's S, which the
 * soundings inform, moves from 0.4 to the truth; marble's, which they hardly see, stays at its
 * prior with the prior's own width, not the default width around the ITU value.
 */
const F = 28e9;
const TXS: Vec3[] = [
  [0, 0, 2.5],
  [-1.5, 1, 2],
];
const RXS: Vec3[] = [
  [-3, 1.2, 1.2],
  [3, 1.3, 0.8],
  [-3, -1.2, 1.5],
  [3, -1.2, 1.1],
  [-1.5, 4.2, 1.4],
  [1.8, -4.3, 0.9],
];
const TRUE_S = { itu_brick: 0.33, itu_marble: 0.085 };
let channel: Channel;
let materials: Record<string, RadioParameters>;
let soundings: Sounding[];
let traced: TracedLink[];

beforeAll(async () => {
  const scene = await loadScene(nodeFileSource, DEMO_ROOM_PATH);
  materials = resolveSceneMaterials(scene.materials, F);
  const links = TXS.flatMap((tx) => RXS.map((rx) => ({ tx, rx })));
  const truth = withMaterialValues(
    materials,
    {
      itu_brick: { scattering_coefficient: TRUE_S.itu_brick },
      itu_marble: { scattering_coefficient: TRUE_S.itu_marble },
    },
    'truth',
  );
  // specular paths to depth 1 and the diffuse scattering of the two rough-or-not surfaces
  channel = await Channel.open(
    scene,
    channelSettings({ frequencyHz: F, maxDepth: 1, diffraction: false, rays: 1000, scatteringRays: 1000 }),
    { backend: 'cpu' },
  );
  // brick and marble scatter in truth (S > 0) as they do when their S is calibrated: one trace
  traced = await channel.trace(links, truth);
  soundings = synthesizeSoundings(await channel.evaluate(traced, truth), {
    frequencyHz: F,
    noiseDb: 0.1,
    noiseNs: 0.1,
    seed: 5,
  });
});

const PRIOR = { itu_brick: 0.4, itu_marble: 0.085 };
const WIDTH = { itu_brick: 0.058, itu_marble: 0.0087 };

describe('the S prior and its width in calibration', () => {
  it('brick S moves from its prior 0.4 to the truth 0.33; marble S, unseen, keeps its prior and its width', async () => {
    const r = await calibrateScene({
      channel,
      materials,
      soundings,
      parameterNames: ['scattering_coefficient'],
      owners: ['itu_brick', 'itu_marble'],
      loss: { kind: 'nae' },
      optimizer: 'lm',
      init: 'priors',
      priors: {
        itu_brick: { scattering_coefficient: PRIOR.itu_brick },
        itu_marble: { scattering_coefficient: PRIOR.itu_marble },
      },
      priorStds: {
        itu_brick: { scattering_coefficient: WIDTH.itu_brick },
        itu_marble: { scattering_coefficient: WIDTH.itu_marble },
      },
      traced,
      maxIterations: 80,
    });
    const [brick, marble] = r.uncertainty.parameters;
    process.stderr.write(
      `S from the vision priors: brick ${r.theta[0]!.toFixed(3)} ± ${brick!.std.toFixed(3)} (truth 0.33, prior 0.4 ± 0.058); marble ${r.theta[1]!.toFixed(4)} ± ${marble!.std.toFixed(4)} (prior 0.085 ± 0.0087)\n`,
    );
    // noisy soundings: the MAP estimate, with each prior's own width
    expect(r.usedPrior).toBe(true);
    expect(Math.abs(r.theta[0]! - TRUE_S.itu_brick)).toBeLessThan(0.03);
    expect(brick!.identifiable).toBe(true);
    expect(brick!.std).toBeLessThan(WIDTH.itu_brick);
    // marble: what the prior said, as sure as the prior was (the default width in z, 0.5, would
    // be 0.5·S(1 − S) = 0.039 here)
    expect(Math.abs(r.theta[1]! - PRIOR.itu_marble)).toBeLessThan(0.01);
    expect(marble!.std).toBeGreaterThan(0.6 * WIDTH.itu_marble);
    expect(marble!.std).toBeLessThan(1.05 * WIDTH.itu_marble);
  });
});

describe('parseMaterialStds: the widths a priors file gives', () => {
  it('reads each <parameter>_std of each material; a bad one is named with its line', () => {
    const text = JSON.stringify(
      {
        materials: {
          itu_brick: { scattering_coefficient: 0.4, scattering_coefficient_std: 0.058, itu_name: 'brick' },
          itu_wood: { conductivity: 0.1, conductivity_std: 0.01, conductivity_identifiable: true },
          itu_glass: { scattering_coefficient: 0.085 },
        },
      },
      null,
      2,
    );
    expect(parseMaterialStds(text, 'priors.json')).toEqual({
      itu_brick: { scattering_coefficient: 0.058 },
      itu_wood: { conductivity: 0.01 },
    });
    const bad = text.replace('0.058', '-1');
    expect(() => parseMaterialStds(bad, 'priors.json')).toThrow(InputError);
    expect(() => parseMaterialStds(bad, 'priors.json')).toThrow(
      "priors.json: line 5: material 'itu_brick': scattering_coefficient_std must be a positive number, got -1",
    );
  });
});
