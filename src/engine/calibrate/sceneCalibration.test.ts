import { beforeAll, describe, expect, it } from 'vitest';
import type { Vec3 } from '../core/vec3.ts';
import { resolveSceneMaterials } from '../materials/radioMaterial.ts';
import { nodeFileSource } from '../node/nodeFileSource.ts';
import { loadScene } from '../scene/load.ts';
import type { Scene } from '../scene/types.ts';
import { buildBvh } from '../tracer/bvh.ts';
import { CalibrationError, calibrate, meanRelativeError } from './calibrate.ts';
import {
  angularSpreadDegGradient,
  coherentGainDbGradient,
  type DifferentiablePath,
  kFactorDbGradient,
  pathGainDbGradient,
  rmsDelaySpreadNsGradient,
  type ValueAndGradient,
} from './metricGradients.ts';
import type { TrainableParameter } from './parameters.ts';
import { calibrateScene, calibrationTraceOptions, materialsInUse } from './pipeline.ts';
import { sceneForwardModel, type TracedLink, traceSoundedLinks, withMaterialValues } from './sceneModel.ts';
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
let materials: ReturnType<typeof resolveSceneMaterials>;
let links: { tx: Vec3; rx: Vec3 }[];
let traced: TracedLink[];
let ids: string[];
let params: TrainableParameter[];
let truth: Float64Array;

beforeAll(async () => {
  scene = await loadScene(nodeFileSource, 'public/demo/room.xml');
  materials = resolveSceneMaterials(scene.materials, F);
  ids = materialsInUse(scene);
  params = ids.map((owner) => ({ owner, name: 'conductivity' }));
  truth = Float64Array.from(ids, (id, k) => materials[id]!.conductivity * (1 + DELTA[k]!));
  links = TXS.flatMap((tx) => RXS.map((rx) => ({ tx, rx })));
  traced = await traceSoundedLinks(scene, buildBvh(scene), links, {
    ...calibrationTraceOptions(['conductivity']),
    materials,
    trained: params,
  });
});

describe('calibration on the demo room (28 GHz, depth 3)', () => {
  it('the five materials are brick, wood, concrete, marble and chipboard', () => {
    expect([...ids].sort()).toEqual(['itu_brick', 'itu_chipboard', 'itu_concrete', 'itu_marble', 'itu_wood']);
  });

  it('scene model: every metric derivative matches finite differences through tracer + field', () => {
    const model = sceneForwardModel(scene, traced.slice(0, 4), materials, params, { frequencyHz: F });
    const theta = Float64Array.from(ids, (id) => materials[id]!.conductivity);
    const n = params.length;
    const metrics: ((p: DifferentiablePath[]) => ValueAndGradient)[] = [
      (p) => pathGainDbGradient(p, n),
      (p) => coherentGainDbGradient(p, n, F),
      (p) => rmsDelaySpreadNsGradient(p, n),
      (p) => kFactorDbGradient(p, n),
      (p) => angularSpreadDegGradient(p, n),
    ];
    const base = model.evaluate(theta);
    const shifted = params.map((_, k) => {
      const h = 1e-6 * theta[k]!;
      const tp = Float64Array.from(theta);
      const tm = Float64Array.from(theta);
      tp[k]! += h;
      tm[k]! -= h;
      return { h, plus: model.evaluate(tp), minus: model.evaluate(tm) };
    });
    for (const metric of metrics) {
      for (let l = 0; l < base.length; l++) {
        const g = metric(base[l]!);
        const scale = Math.max(...Array.from(g.grad, Math.abs));
        expect(scale).toBeGreaterThan(0);
        for (let k = 0; k < n; k++) {
          const { h, plus, minus } = shifted[k]!;
          const fd = (metric(plus[l]!).value - metric(minus[l]!).value) / (2 * h);
          expect(Math.abs(g.grad[k]! - fd)).toBeLessThanOrEqual(
            1e-5 * Math.max(Math.abs(fd), scale) + (1e-15 * Math.max(1, Math.abs(g.value))) / h,
          );
        }
      }
    }
  });

  it('LM from ITU init recovers all five conductivities (noise-free) to MRE < 0.1 % within 30 iterations', async () => {
    const truthMaterials = withMaterialValues(
      materials,
      Object.fromEntries(ids.map((id, k) => [id, { conductivity: truth[k]! }])),
      'truth',
    );
    const soundings = synthesizeSoundings(
      sceneForwardModel(scene, traced, truthMaterials, [], { frequencyHz: F }).evaluate(new Float64Array(0)),
      links,
      {
        frequencyHz: F,
      },
    );
    const progress: number[] = [];
    const r = await calibrateScene({
      scene,
      frequencyHz: F,
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

  it('per object: the floor and each wall get their own brick conductivity, all recovered', () => {
    const objectParams: TrainableParameter[] = scene.objects.map((o) => ({
      owner: o.name,
      name: 'conductivity',
    }));
    const model = sceneForwardModel(scene, traced, materials, objectParams, { frequencyHz: F }, 'object');
    const nominalByObject = Float64Array.from(scene.objects, (o) => materials[o.materialId]!.conductivity);
    const truthByObject = nominalByObject.map((s, k) => s * (1 + 0.4 * Math.sin(3 * k + 1)));
    const soundings = synthesizeSoundings(model.evaluate(truthByObject), links, { frequencyHz: F });
    const r = calibrate({
      model,
      soundings,
      loss: { kind: 'nae', frequencyHz: F },
      optimizer: 'lm',
      initial: nominalByObject,
    });
    expect(objectParams.length).toBe(9);
    expect(meanRelativeError(r.theta, truthByObject)).toBeLessThan(1e-3);
  });

  it('scattering is traced only for objects with S > 0 or whose S is calibrated; ∂a/∂S ≠ 0 at S = 0', async () => {
    const bvh = buildBvh(scene);
    const link = [links[0]!];
    const opts = calibrationTraceOptions(['scattering_coefficient'], { maxDepth: 2, rays: 2000 });
    const materialOf = (i: number) => scene.objects[i]!.materialId;
    const scattererMaterials = (t: TracedLink) =>
      new Set(
        t.geometries
          .filter((g) => g.kind === 'scattered')
          .map((g) => materialOf(g.interactions.at(-1)!.objectIndex)),
      );
    // every ITU material of the room has S = 0: nothing scatters unless S is calibrated
    expect(ids.every((id) => materials[id]!.scatteringCoefficient === 0)).toBe(true);
    const [none] = await traceSoundedLinks(scene, bvh, link, { ...opts, materials });
    expect(scattererMaterials(none!).size).toBe(0);
    // S of wood calibrated (material scope): the wood box scatters, and only it
    const woodS: TrainableParameter[] = [{ owner: 'itu_wood', name: 'scattering_coefficient' }];
    const [wood] = await traceSoundedLinks(scene, bvh, link, { ...opts, materials, trained: woodS });
    expect([...scattererMaterials(wood!)]).toEqual(['itu_wood']);
    // at S = 0 the scattered paths carry no field but a nonzero ∂a/∂S, so S can be calibrated
    const model = sceneForwardModel(scene, [wood!], materials, woodS, { frequencyHz: F });
    const paths = model.evaluate(Float64Array.of(0))[0]!;
    const dS = paths.reduce((m, p) => Math.max(m, Math.hypot(p.dA[0]!, p.dA[1]!)), 0);
    expect(dS).toBeGreaterThan(0);
    // a material with S > 0 scatters without being calibrated; per object scope names objects
    const roughBrick = withMaterialValues(materials, { itu_brick: { scattering_coefficient: 0.3 } }, 'test');
    const [brick] = await traceSoundedLinks(scene, bvh, link, { ...opts, materials: roughBrick });
    expect([...scattererMaterials(brick!)]).toEqual(['itu_brick']);
    const woodObject = scene.objects.find((o) => o.materialId === 'itu_wood')!.name;
    const [perObject] = await traceSoundedLinks(scene, bvh, link, {
      ...opts,
      materials,
      trained: [{ owner: woodObject, name: 'scattering_coefficient' }],
      scope: 'object',
    });
    expect([...scattererMaterials(perObject!)]).toEqual(['itu_wood']);
  });

  it('refuses, naming each parameter, when no sounded path touches any material (LoS-only tracing)', async () => {
    const soundings = links.map((l) => ({ ...l, metrics: { coherent_gain_db: -70 }, origin: 'test' }));
    const run = calibrateScene({
      scene,
      frequencyHz: F,
      materials,
      soundings,
      parameterNames: ['conductivity'],
      loss: { kind: 'nae' },
      optimizer: 'lm',
      init: 'itu',
      trace: { specular: false, transmission: false },
    });
    await expect(run).rejects.toThrow(CalibrationError);
    await expect(run).rejects.toThrow(
      /itu_wood\.conductivity: no traced path of the 24 sounded links interacts with it/,
    );
  });
});
