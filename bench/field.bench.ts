import type { Vec3 } from '../src/engine/core/vec3.ts';
import { evaluatePaths, evaluatePathsWithGradient } from '../src/engine/field/index.ts';
import { resolveSceneMaterials } from '../src/engine/materials/radioMaterial.ts';
import { nodeFileSource } from '../src/engine/node/nodeFileSource.ts';
import { loadScene } from '../src/engine/scene/load.ts';
import { buildBvh } from '../src/engine/tracer/bvh.ts';
import { tracePathsSync } from '../src/engine/tracer/cpu/tracePaths.ts';
import type { PathGeometry } from '../src/engine/tracer/path.ts';
import { sionnaScenePath } from '../src/test/paths.ts';

/**
 * Field evaluation alone (geometry traced once beforehand): paths per second for the values
 * (evaluatePaths) and for values + exact material derivatives (evaluatePathsWithGradient), on
 * Sionna scenes at depth 3, 28 GHz, slab model, iso + V. This is the per-step cost of a
 * calibration iteration and of re-evaluating a radio map after a material edit.
 */
const FREQUENCY = 28e9;

const grid = (x0: number, x1: number, y0: number, y1: number, z: number, n: number): Vec3[] => {
  const out: Vec3[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++)
      out.push([x0 + ((x1 - x0) * (i + 0.5)) / n, y0 + ((y1 - y0) * (j + 0.5)) / n, z]);
  }
  return out;
};

const CASES: { scene: string; tx: Vec3; rx: Vec3[] }[] = [
  { scene: 'box', tx: [1.2, 2.1, 1.5], rx: grid(-4, 4, -4, 4, 1.5, 4) },
  { scene: 'simple_street_canyon', tx: [-30, 0, 10], rx: grid(-40, 40, -6, 6, 1.5, 4) },
];

export default async function fieldBench(log: (line: string) => void): Promise<Record<string, unknown>> {
  const rows: Record<string, unknown>[] = [];
  for (const c of CASES) {
    const scene = await loadScene(nodeFileSource, sionnaScenePath(c.scene));
    const bvh = buildBvh(scene);
    const materials = resolveSceneMaterials(scene.materials, FREQUENCY);
    const geos = tracePathsSync(scene, bvh, c.tx, c.rx, { maxDepth: 3 }) as PathGeometry[][];
    const nPaths = geos.reduce((s, g) => s + g.length, 0);
    const options = { frequencyHz: FREQUENCY };
    const run = (withGradient: boolean) => {
      for (let k = 0; k < c.rx.length; k++) {
        if (withGradient) evaluatePathsWithGradient(scene, c.tx, c.rx[k]!, geos[k]!, materials, options);
        else evaluatePaths(scene, c.tx, c.rx[k]!, geos[k]!, materials, options);
      }
    };
    const time = (withGradient: boolean) => {
      run(withGradient); // warm-up (JIT)
      let reps = 0;
      const t0 = performance.now();
      while (performance.now() - t0 < 1000 || reps < 3) {
        run(withGradient);
        reps++;
      }
      return (performance.now() - t0) / reps;
    };
    const msValue = time(false);
    const msGradient = time(true);
    const row = {
      scene: c.scene,
      links: c.rx.length,
      paths: nPaths,
      valuePathsPerSecond: Math.round((nPaths / msValue) * 1000),
      gradientPathsPerSecond: Math.round((nPaths / msGradient) * 1000),
      valueTimePerLinkMs: msValue / c.rx.length,
      gradientTimePerLinkMs: msGradient / c.rx.length,
    };
    log(JSON.stringify(row));
    rows.push(row);
  }
  return { frequencyHz: FREQUENCY, maxDepth: 3, materialModel: 'slab', rows };
}
