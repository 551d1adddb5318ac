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
  evaluatePathsJacobian,
  type FieldLink,
  MATERIAL_PARAMETERS,
  type MaterialParameter,
  parameterKey,
} from '../index.ts';
import { evaluateLinksGpu, evaluateLinksJacobianGpu } from './fieldGpu.ts';
import { requireGpu } from './testGpu.ts';

/**
 * Acceptance 1 of issue 5 on WebGPU: ∂a/∂θ from the WGSL kernel (forward-mode dual numbers) for
 * θ ∈ {ε'r, σ, S, d} of every material equals the CPU's exact derivatives (evaluatePathsJacobian,
 * float64 adjoint) within 1e-2 relative, and central finite differences of the GPU's own values.
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

describe('WGSL derivatives = CPU exact derivatives (1e-2 relative)', () => {
  it.each(CASES)(
    '%s: every ∂a/∂θ of 20 links, slab and half-space',
    async (name, file, diffraction) => {
      gpu = await requireGpu();
      const c = await setup(file, 20, diffraction);
      for (const model of ['slab', 'halfspace'] as MaterialModel[]) {
        const options = { frequencyHz: FREQUENCY, materialModel: model };
        const out = await evaluateLinksJacobianGpu(gpu, c.scene, c.links, c.materials, options, c.keys);
        expect(out.stats.hostPaths).toBe(0);
        let worst = 0;
        let compared = 0;
        let nonzero = 0;
        c.links.forEach((l, i) => {
          const ref = evaluatePathsJacobian(c.scene, l.tx, l.rx, l.geometries, c.materials, options, c.keys);
          ref.jacobian.forEach((row, j) => {
            const g = out.jacobian[i]![j]!;
            const a = ref.paths[j]!.a;
            const absA = Math.hypot(a.re, a.im);
            // relative error per entry; entries that are zero on the CPU (a does not depend on
            // θ, or e^{−k0 d Im s} underflows) must be negligible on the GPU: below 1e-6·|a| per unit θ
            for (let k = 0; k < c.keys.length; k++) {
              const ref_ = Math.hypot(row[2 * k]!, row[2 * k + 1]!);
              const err = Math.hypot(g[2 * k]! - row[2 * k]!, g[2 * k + 1]! - row[2 * k + 1]!);
              if (absA < 1e-12) continue; // below −240 dB: f32 underflow territory
              if (ref_ > 1e-6 * absA) {
                worst = Math.max(worst, err / ref_);
                nonzero++;
              } else expect(err).toBeLessThan(1e-5 * absA);
              compared++;
            }
          });
        });
        const diffracted = c.links.reduce(
          (n, l) =>
            n + l.geometries.filter((g) => g.interactions.some((t) => t.type === 'diffraction')).length,
          0,
        );
        console.info(
          `${name} ${model}: ${nonzero} nonzero derivatives of ${compared} (${diffracted} diffracted paths), worst relative error ${worst.toExponential(2)}`,
        );
        if (diffraction) expect(diffracted).toBeGreaterThan(10);
        expect(nonzero).toBeGreaterThan(100);
        expect(worst).toBeLessThan(1e-2);
      }
    },
    60_000,
  );
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
  it.each(CASES)(
    'demo room: ∂a/∂%s (%s model), every material, 5 links',
    async (param, model) => {
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
      const field = {
        relative_permittivity: 'relativePermittivity',
        conductivity: 'conductivity',
        scattering_coefficient: 'scatteringCoefficient',
        thickness: 'thickness',
      } as const;
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
            if (mag * h < floor * Math.hypot(path.a.re, path.a.im)) return;
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
    },
    60_000,
  );
});
