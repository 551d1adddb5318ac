import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ROOM_PATH } from '../../test/paths.ts';
import { Channel, type TracedLink } from '../channel/channel.ts';
import { cpuBackend } from '../channel/cpuBackend.ts';
import { channelSettings } from '../channel/settings.ts';
import type { Vec3 } from '../core/vec3.ts';
import { resolveSceneMaterials } from '../materials/radioMaterial.ts';
import { type FittedMetric, linkMetricsFromStats, metricWithGradient } from '../metrics/linkMetrics.ts';
import { STAT_DIFFUSE } from '../metrics/linkStats.ts';
import { nodeFileSource } from '../node/nodeFileSource.ts';
import { loadScene } from '../scene/load.ts';
import type { Scene } from '../scene/types.ts';
import { CalibrationError, calibrate, meanRelativeError } from './calibrate.ts';
import type { TrainableParameter } from './parameters.ts';
import { calibrateScene, materialsInUse } from './pipeline.ts';
import { calibrationScatteringObjects, sceneForwardModel, withMaterialValues } from './sceneModel.ts';
import { synthesizeSoundings } from './synthesize.ts';

/**
 * End to end on the demo twin (paper 003's room): trace once, synthesise noise-free soundings
 * with perturbed conductivities, calibrate all five from the ITU values.
 */
const F = 28e9;
const TXS: Vec3[] = [
  [0, 0, 2.5],
  [-1.5, 1, 2],
  [1.5, -1, 2.2],
];
const RXS: Vec3[] = [
  [-3, 1.2, 1.2],
  [3, 1.3, 0.8],
  [-3, -1.2, 1.5],
  [3, -1.2, 1.1],
  [-1.5, 4.2, 1.4],
  [1.8, -4.3, 0.9],
  [-4.2, -4.5, 1.6],
  [4.4, 4.4, 1.0],
];
const DELTA = [0.3, -0.4, 0.45, -0.2, 0.25];

let scene: Scene;
let channel: Channel;
let materials: ReturnType<typeof resolveSceneMaterials>;
let links: { tx: Vec3; rx: Vec3 }[];
let traced: TracedLink[];
let ids: string[];
let params: TrainableParameter[];
let truth: Float64Array;

beforeAll(async () => {
  scene = await loadScene(nodeFileSource, DEMO_ROOM_PATH);
  // paper 003's setup: LoS, reflections and transmissions to depth 3
  channel = await Channel.open(scene, channelSettings({ frequencyHz: F, diffraction: false }), {
    backend: 'cpu',
  });
  materials = resolveSceneMaterials(scene.materials, F);
  ids = materialsInUse(scene);
  params = ids.map((owner) => ({ owner, name: 'conductivity' }));
  truth = Float64Array.from(ids, (id, k) => materials[id]!.conductivity * (1 + DELTA[k]!));
  links = TXS.flatMap((tx) => RXS.map((rx) => ({ tx, rx })));
  traced = await channel.trace(links, materials, {}, calibrationScatteringObjects(scene, materials, params));
});

/** Soundings of the model's links at θ: the metrics of its statistics. */
async function soundingsAt(model: ReturnType<typeof sceneForwardModel>, theta: Float64Array) {
  const stats = await model.evaluate(theta);
  return synthesizeSoundings(
    links.map((l, i) => ({ ...l, paths: [], metrics: linkMetricsFromStats(stats, i) })),
    { frequencyHz: F },
  );
}

describe('calibration on the demo room (28 GHz, depth 3)', () => {
  it('the five materials are brick, wood, concrete, marble and chipboard', () => {
    expect([...ids].sort()).toEqual(['itu_brick', 'itu_chipboard', 'itu_concrete', 'itu_marble', 'itu_wood']);
  });

  it('scene model: every metric derivative matches finite differences through tracer + field', async () => {
    const model = sceneForwardModel(channel, cpuBackend, traced.slice(0, 4), materials, params);
    const theta = Float64Array.from(ids, (id) => materials[id]!.conductivity);
    const n = params.length;
    const metrics: FittedMetric[] = [
      'path_gain_db',
      'coherent_gain_db',
      'rms_delay_spread_ns',
      'k_factor_db',
      'angular_spread_deg',
    ];
    const base = await model.evaluate(theta);
    const shifted = [];
    for (let k = 0; k < n; k++) {
      const h = 1e-6 * theta[k]!;
      const tp = Float64Array.from(theta);
      const tm = Float64Array.from(theta);
      tp[k]! += h;
      tm[k]! -= h;
      shifted.push({ h, plus: await model.evaluate(tp), minus: await model.evaluate(tm) });
    }
    for (const metric of metrics) {
      for (let l = 0; l < model.linkCount; l++) {
        const g = metricWithGradient(base, l, metric);
        const scale = Math.max(...Array.from(g.grad, Math.abs));
        expect(scale).toBeGreaterThan(0);
        for (let k = 0; k < n; k++) {
          const { h, plus, minus } = shifted[k]!;
          const fd =
            (metricWithGradient(plus, l, metric).value - metricWithGradient(minus, l, metric).value) /
            (2 * h);
          expect(Math.abs(g.grad[k]! - fd)).toBeLessThanOrEqual(
            1e-5 * Math.max(Math.abs(fd), scale) + (1e-15 * Math.max(1, Math.abs(g.value))) / h,
          );
        }
      }
    }
  });

  it('scene model: a θ asked for again is not evaluated again, and gets the same statistics', async () => {
    const model = sceneForwardModel(channel, cpuBackend, traced.slice(0, 4), materials, params);
    const theta = Float64Array.from(ids, (id) => materials[id]!.conductivity);
    const first = await model.evaluate(theta);
    expect(model.evaluations.backend).toBe(1);
    expect(await model.evaluate(Float64Array.from(theta))).toBe(first);
    expect(model.evaluations.backend).toBe(1);
    const other = Float64Array.from(theta, (x) => 1.5 * x);
    const second = await model.evaluate(other);
    expect(model.evaluations.backend).toBe(2);
    expect(second.values).not.toEqual(first.values);
    expect(await model.evaluate(theta)).toBe(first);
    expect(model.evaluations.backend).toBe(2);
  });

  it('LM from ITU init recovers all five conductivities (noise-free) to MRE < 0.1 % within 30 iterations', async () => {
    const truthMaterials = withMaterialValues(
      materials,
      Object.fromEntries(ids.map((id, k) => [id, { conductivity: truth[k]! }])),
      'truth',
    );
    const soundings = synthesizeSoundings(await channel.evaluate(traced, truthMaterials), { frequencyHz: F });
    const progress: number[] = [];
    const r = await calibrateScene({
      channel,
      materials,
      soundings,
      parameterNames: ['conductivity'],
      loss: { kind: 'nae' },
      optimizer: 'lm',
      init: 'itu',
      traced,
      onIteration: (it) => progress.push(it.loss),
    });
    expect(r.parameters.map((p) => p.owner)).toEqual(ids);
    expect(meanRelativeError(r.theta, truth)).toBeLessThan(1e-3);
    expect(r.iterations).toBeLessThanOrEqual(30);
    expect(progress.length).toBe(r.iterations);
    expect(r.usedPrior).toBe(false); // noise-free: the prior is not needed and not used
    for (const u of r.uncertainty.parameters) expect(u.identifiable).toBe(true);
    expect(r.calibrated.itu_brick!.conductivity).toBeCloseTo(truth[0]!, 6);
  });

  it('per object: the floor and each wall get their own brick conductivity, all recovered', async () => {
    const objectParams: TrainableParameter[] = scene.objects.map((o) => ({
      owner: o.name,
      name: 'conductivity',
    }));
    const model = sceneForwardModel(channel, cpuBackend, traced, materials, objectParams, 'object');
    const nominalByObject = Float64Array.from(scene.objects, (o) => materials[o.materialId]!.conductivity);
    const truthByObject = nominalByObject.map((s, k) => s * (1 + 0.4 * Math.sin(3 * k + 1)));
    const soundings = await soundingsAt(model, truthByObject);
    const r = await calibrate({
      model,
      soundings,
      loss: { kind: 'nae', frequencyHz: F },
      optimizer: 'lm',
      initial: nominalByObject,
    });
    expect(objectParams.length).toBe(9);
    expect(meanRelativeError(r.theta, truthByObject)).toBeLessThan(1e-3);
  });

  it('scattering is traced only for objects with S > 0 or whose S is calibrated; the diffuse power moves with S', async () => {
    const link = [links[0]!];
    const shallow = await Channel.open(
      scene,
      channelSettings({ frequencyHz: F, maxDepth: 2, rays: 2000, diffraction: false }),
      {
        backend: 'cpu',
      },
    );
    const materialOf = (i: number) => scene.objects[i]!.materialId;
    const scattererMaterials = (t: TracedLink) =>
      new Set(
        t.geometries
          .filter((g) => g.kind === 'scattered')
          .map((g) => materialOf(g.interactions.at(-1)!.objectIndex)),
      );
    const traceWith = async (
      m: typeof materials,
      trained: TrainableParameter[] = [],
      scope: 'material' | 'object' = 'material',
    ) => (await shallow.trace(link, m, {}, calibrationScatteringObjects(scene, m, trained, scope)))[0]!;
    // every ITU material of the room has S = 0: nothing scatters unless S is calibrated
    expect(ids.every((id) => materials[id]!.scatteringCoefficient === 0)).toBe(true);
    expect(scattererMaterials(await traceWith(materials)).size).toBe(0);
    // S of wood calibrated (material scope): the wood box scatters, and only it
    const woodS: TrainableParameter[] = [{ owner: 'itu_wood', name: 'scattering_coefficient' }];
    const wood = await traceWith(materials, woodS);
    expect([...scattererMaterials(wood)]).toEqual(['itu_wood']);
    // the diffuse power is S²·(…): at S = 0 it and its derivative vanish, which is why a
    // calibration starts S at 0.01 (parameters.ts); there the diffuse power and the coherent gain
    // (which adds it, docs/physics.md §10) move with S, so S can be calibrated
    const model = sceneForwardModel(shallow, cpuBackend, [wood], materials, woodS);
    const stats = await model.evaluate(Float64Array.of(0.01));
    expect(stats.values[STAT_DIFFUSE]!).toBeGreaterThan(0);
    // ∂(S²·X)/∂S = 2·(S²·X)/S
    const expected = (2 * stats.values[STAT_DIFFUSE]!) / 0.01;
    expect(Math.abs(stats.derivatives[STAT_DIFFUSE]! - expected)).toBeLessThan(1e-9 * expected);
    expect(Math.abs(metricWithGradient(stats, 0, 'coherent_gain_db').grad[0]!)).toBeGreaterThan(0);
    // a material with S > 0 scatters without being calibrated; per object scope names objects
    const roughBrick = withMaterialValues(materials, { itu_brick: { scattering_coefficient: 0.3 } }, 'test');
    expect([...scattererMaterials(await traceWith(roughBrick))]).toEqual(['itu_brick']);
    const woodObject = scene.objects.find((o) => o.materialId === 'itu_wood')!.name;
    const perObject = await traceWith(
      materials,
      [{ owner: woodObject, name: 'scattering_coefficient' }],
      'object',
    );
    expect([...scattererMaterials(perObject)]).toEqual(['itu_wood']);
  });

  it('refuses, naming each parameter, when no sounded path touches any material (LoS-only tracing)', async () => {
    const soundings = links.map((l) => ({ ...l, metrics: { coherent_gain_db: -70 }, origin: 'test' }));
    const losOnly = await Channel.open(
      scene,
      channelSettings({ frequencyHz: F, specular: false, transmission: false, diffraction: false }),
      { backend: 'cpu' },
    );
    const run = calibrateScene({
      channel: losOnly,
      materials,
      soundings,
      parameterNames: ['conductivity'],
      loss: { kind: 'nae' },
      optimizer: 'lm',
      init: 'itu',
    });
    await expect(run).rejects.toThrow(CalibrationError);
    await expect(run).rejects.toThrow(
      /itu_wood\.conductivity: no traced path of the 24 sounded links interacts with it/,
    );
  });
});
