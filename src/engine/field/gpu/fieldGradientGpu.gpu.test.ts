import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_ROOM_PATH, sionnaScenePath } from '../../../test/paths.ts';
import { type GpuContext, releaseGpu } from '../../gpu/device.ts';
import { type RadioParameters, resolveSceneMaterials } from '../../materials/radioMaterial.ts';
import { nodeFileSource } from '../../node/nodeFileSource.ts';
import { loadScene } from '../../scene/load.ts';
import type { Scene } from '../../scene/types.ts';
import { buildBvh } from '../../tracer/bvh.ts';
import { tracePathsSync } from '../../tracer/cpu/tracePaths.ts';
import { randomLinks } from '../../tracer/gpu/testSupport.ts';
import type { MaterialModel } from '../coefficients.ts';
import {
  evaluatePaths,
  type FieldLink,
  MATERIAL_PARAMETERS,
  type MaterialParameter,
  parameterKey,
} from '../index.ts';
import { evaluateLinksGpu, evaluateLinksJacobianGpu } from './fieldGpu.ts';
import { requireGpu } from './testGpu.ts';

/**
 * Acceptance 4 of issue 12: every ∂a/∂θ the WGSL kernel returns (forward-mode dual numbers), for
 * θ ∈ {ε'r, σ, S, d} of every material, on every path type the scenes hold (reflection,
 * transmission, diffuse scattering, UTD diffraction), equals central finite differences of the
 * float64 CPU reference within 1e-3 relative; and finite differences of the GPU's own values.
 */
const FREQUENCY = 28e9;
let gpu: GpuContext;
afterAll(releaseGpu);

interface Case {
  scene: Scene;
  links: FieldLink[];
  materials: Record<string, RadioParameters>;
  keys: string[];
}

async function setup(file: string, links: number, diffraction = false): Promise<Case> {
  const scene = await loadScene(nodeFileSource, file);
  const { tx, rx } = randomLinks(scene, links, 77);
  const geos = tracePathsSync(scene, buildBvh(scene), tx, rx, {
    maxDepth: diffraction ? 2 : 3,
    diffraction,
    rays: 2000,
    scatteringRays: 100,
  });
  // a diffuse part on every material so that ∂/∂S is exercised on reflections and scattering
  const materials = Object.fromEntries(
    Object.entries(resolveSceneMaterials(scene.materials, FREQUENCY)).map(([k, v]) => [
      k,
      { ...v, scatteringCoefficient: 0.3 },
    ]),
  );
  const keys = Object.keys(materials).flatMap((m) => MATERIAL_PARAMETERS.map((p) => parameterKey(m, p)));
  return { scene, links: rx.map((r, i) => ({ tx, rx: r, geometries: geos[i]! })), materials, keys };
}

const SCENES = [
  ['demo room', DEMO_ROOM_PATH],
  ['box_one_screen', sionnaScenePath('box_one_screen')],
  ['floor_wall', sionnaScenePath('floor_wall')],
  ['simple_street_canyon', sionnaScenePath('simple_street_canyon')],
] as const;

const CASES = [
  ...SCENES.map(([n, f]) => [n, f, false] as const),
  ...SCENES.map(([n, f]) => [`${n} (diffraction, depth 2)`, f, true] as const),
];

/** Field of each radio parameter a derivative can be taken with respect to. */
const FIELD = {
  relative_permittivity: 'relativePermittivity',
  conductivity: 'conductivity',
  scattering_coefficient: 'scatteringCoefficient',
  thickness: 'thickness',
} as const;

/**
 * Central-difference steps for the float64 CPU reference: truncation ~h²·a‴ and rounding
 * ~1e-16·|a|/h both stay below 1e-8 relative with these.
 */
const CPU_STEP: Record<MaterialParameter, (p: RadioParameters) => number> = {
  relative_permittivity: (p) => 1e-6 * p.relativePermittivity,
  conductivity: (p) => Math.max(1e-6 * p.conductivity, 1e-9),
  scattering_coefficient: () => 1e-6,
  // ∂/∂d ~ k0·Re s ≈ 1500 rad/m: 1e-8 m turns the phase by 1.5e-5 rad
  thickness: () => 1e-8,
};

/** The type of a path for coverage counts: its interactions' mechanisms, LoS when none. */
const pathType = (types: readonly string[]) =>
  types.length === 0 ? 'los' : [...new Set(types)].sort().join('+');

describe('every WGSL derivative = central finite differences of the float64 CPU reference (1e-3)', () => {
  it.each(CASES)('%s: every ∂a/∂θ of 20 links, slab and half-space', async (name, file, diffraction) => {
    gpu = await requireGpu();
    const c = await setup(file, 20, diffraction);
    const byType = new Map<string, number>();
    for (const model of ['slab', 'halfspace'] as MaterialModel[]) {
      const options = { frequencyHz: FREQUENCY, materialModel: model };
      const out = await evaluateLinksJacobianGpu(gpu, c.scene, c.links, c.materials, options, c.keys);
      expect(out.stats.hostPaths).toBe(0);
      const base = c.links.map((l) => evaluatePaths(c.scene, l.tx, l.rx, l.geometries, c.materials, options));
      let worst = 0;
      let worstAt = '';
      let compared = 0;
      for (const [k, key] of c.keys.entries()) {
        const [mat, param] = key.split(':') as [string, MaterialParameter];
        const m = c.materials[mat]!;
        const h = CPU_STEP[param](m);
        const at = (s: number) => {
          const shifted = { ...c.materials, [mat]: { ...m, [FIELD[param]]: m[FIELD[param]] + s * h } };
          return c.links.map((l) => evaluatePaths(c.scene, l.tx, l.rx, l.geometries, shifted, options));
        };
        const plus = at(1);
        const minus = at(-1);
        c.links.forEach((_, i) => {
          base[i]!.forEach((path, j) => {
            const absA = Math.hypot(path.a.re, path.a.im);
            if (absA < 1e-12) return; // below −240 dB: f32 underflow territory
            const fdRe = (plus[i]![j]!.a.re - minus[i]![j]!.a.re) / (2 * h);
            const fdIm = (plus[i]![j]!.a.im - minus[i]![j]!.a.im) / (2 * h);
            const fd = Math.hypot(fdRe, fdIm);
            const g = out.jacobian[i]![j]!;
            const err = Math.hypot(g[2 * k]! - fdRe, g[2 * k + 1]! - fdIm);
            // a derivative that changes a by less than 1e-6·|a| over a unit of θ (or not at all)
            // must be negligible on the GPU too; every other one is compared relatively
            if (fd <= 1e-6 * absA) {
              expect(err, `${key}, link ${i}, path ${j}`).toBeLessThan(1e-5 * absA);
              return;
            }
            const e = err / fd;
            const type = pathType(path.interactions.map((t) => t.type));
            if (e > worst) worstAt = `${key}, ${type} path`;
            worst = Math.max(worst, e);
            byType.set(type, (byType.get(type) ?? 0) + 1);
            compared++;
          });
        });
      }
      console.info(
        `${name} ${model}: ${compared} nonzero derivatives, worst relative difference ${worst.toExponential(2)} (${worstAt})`,
      );
      expect(compared).toBeGreaterThan(100);
      expect(worst, worstAt).toBeLessThan(1e-3);
    }
    const types = [...byType.keys()];
    console.info(`${name}: path types compared: ${[...byType].map(([t, n]) => `${t} ${n}`).join(', ')}`);
    // every mechanism the scene's paths have is compared
    expect(types.some((t) => t.includes('reflection'))).toBe(true);
    expect(types.some((t) => t.includes('scattering'))).toBe(true);
    if (diffraction) expect(types.some((t) => t.includes('diffraction'))).toBe(true);
    if (file.includes('box_one_screen')) expect(types.some((t) => t.includes('transmission'))).toBe(true);
  });
});

describe('WGSL derivatives = central finite differences of the WGSL values', () => {
  // The slab phase k0·Re(s)·d turns fast with ε'r, σ and d (tens of rad per unit), and f32 slab
  // values carry up to ~1e-4·|a| of rounding, so ε'r, σ, S are differenced in the half-space
  // model (values good to ~1e-6) and d in the slab model with a small absolute step.
  const CASES: [MaterialParameter, MaterialModel][] = [
    ['relative_permittivity', 'halfspace'],
    ['conductivity', 'halfspace'],
    ['scattering_coefficient', 'halfspace'],
    ['scattering_coefficient', 'slab'],
    ['thickness', 'slab'],
  ];
  it.each(CASES)('demo room: ∂a/∂%s (%s model), every material, 5 links', async (param, model) => {
    gpu = await requireGpu();
    const c = await setup(DEMO_ROOM_PATH, 5);
    const options = { frequencyHz: FREQUENCY, materialModel: model };
    const jac = await evaluateLinksJacobianGpu(gpu, c.scene, c.links, c.materials, options, c.keys);
    const steps: Record<MaterialParameter, (p: RadioParameters) => number> = {
      relative_permittivity: (p) => 1e-3 * p.relativePermittivity,
      // the demo room's σ are small (0.03–1 S/m), a is smooth in σ: a larger relative step
      conductivity: (p) => 0.1 * p.conductivity,
      // a is linear (scattering) or √(1−S²) (reflection) in S
      scattering_coefficient: () => 1e-2,
      // ∂/∂d ~ k0·Re s ≈ 1500 rad/m per slab: 2e-5 m turns the phase by ~0.03 rad
      thickness: () => 2e-5,
    };
    const field = FIELD;
    let worst = 0;
    let worstAt = '';
    let checked = 0;
    for (const [k, key] of c.keys.entries()) {
      const [mat, p] = key.split(':') as [string, MaterialParameter];
      if (p !== param) continue;
      const base = c.materials[mat]!;
      const h = steps[param](base);
      const shifted = (s: number) => ({
        ...c.materials,
        [mat]: { ...base, [field[param]]: base[field[param]] + s * h },
      });
      const plus = await evaluateLinksGpu(gpu, c.scene, c.links, shifted(1), options);
      const minus = await evaluateLinksGpu(gpu, c.scene, c.links, shifted(-1), options);
      c.links.forEach((_, i) => {
        jac.paths[i]!.forEach((path, j) => {
          const ad = jac.jacobian[i]![j]!;
          const dRe = (plus.paths[i]![j]!.a.re - minus.paths[i]![j]!.a.re) / (2 * h);
          const dIm = (plus.paths[i]![j]!.a.im - minus.paths[i]![j]!.a.im) / (2 * h);
          const mag = Math.hypot(ad[2 * k]!, ad[2 * k + 1]!);
          // compare where the change over ±h is ≥ 1e-3·|a| (1e-2 for the slab), well above f32 noise
          const floor = model === 'slab' ? 1e-2 : 1e-3;
          // (paths with a = 0 and no derivative, e.g. through a half-space, have nothing to compare)
          if (mag * h <= floor * Math.hypot(path.a.re, path.a.im)) return;
          const e = Math.hypot(dRe - ad[2 * k]!, dIm - ad[2 * k + 1]!) / mag;
          if (e > worst) worstAt = `${key}, path ${path.interactions.map((t) => t.type[0]).join('')}`;
          worst = Math.max(worst, e);
          checked++;
        });
      });
    }
    console.info(
      `finite differences ${param} ${model}: ${checked} derivatives, worst relative difference ${worst.toExponential(2)} (${worstAt})`,
    );
    expect(checked).toBeGreaterThan(20);
    expect(worst).toBeLessThan(1e-2);
  });
});
