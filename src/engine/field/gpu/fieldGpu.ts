import { VACUUM_PERMITTIVITY } from '../../core/constants.ts';
import type { GpuContext } from '../../gpu/device.ts';
import type { RadioParameters } from '../../materials/radioMaterial.ts';
import type { Scene } from '../../scene/types.ts';
import type { Path } from '../../tracer/path.ts';
import { type FieldLink, linkFrames, parameterColumns, pathOfFrame } from '../evaluate.ts';
import {
  evaluateFrames,
  evaluateFramesWithDerivatives,
  materialTable,
  PARAMETER_SLOTS,
} from '../jonesChain.ts';
import type { FieldOptions, PathFrames } from '../pathFrames.ts';
import { FieldKernel, type FieldKernelStats, SEEDS } from './fieldKernel.ts';

/**
 * WebGPU field evaluation with the contracts of field/evaluate.ts: the frames are built on the
 * host in float64 (pathFrames.ts, the same as the CPU's), the Jones chain runs in WGSL in f32
 * (fieldKernel.ts), paths longer than the kernel holds are evaluated by the CPU chain (counted in
 * stats.hostPaths).
 * Agreement with the CPU (fieldGpu.gpu.test.ts, fieldGradientGpu.gpu.test.ts) is what f32
 * allows: directions and bases are normalised in f64 on the host, the slab phase is reduced in
 * turns with d/λ from f64, and cos/sin are evaluated to an ulp in the kernel (WGSL's builtins are
 * only accurate to 2⁻¹¹).
 */
export type FieldGpuStats = FieldKernelStats;

/** Fields of many links in one dispatch: paths[link][path]. */
export async function evaluateLinksGpu(
  gpu: GpuContext,
  scene: Scene,
  links: readonly FieldLink[],
  materials: Record<string, RadioParameters>,
  options: FieldOptions,
  signal?: AbortSignal,
): Promise<{ paths: Path[][]; stats: FieldGpuStats }> {
  const { frames, linkStart } = linkFrames(scene, links, options);
  const table = materialTable(frames, materials, scene.name);
  const kernel = new FieldKernel(gpu, frames, false);
  try {
    await kernel.dispatch(table, signal);
    const a = Float64Array.from(await kernel.readA());
    for (const p of kernel.hostPaths) evaluateFrames(frames, table, a, p, p + 1);
    return { paths: pathsOf(frames, linkStart, links, a), stats: kernel.stats };
  } finally {
    kernel.destroy();
  }
}

function pathsOf(
  frames: PathFrames,
  linkStart: Int32Array,
  links: readonly FieldLink[],
  a: ArrayLike<number>,
): Path[][] {
  return links.map((l, i) =>
    l.geometries.map((g, k) => {
      const p = linkStart[i]! + k;
      return pathOfFrame(frames, p, g, a[2 * p]!, a[2 * p + 1]!);
    }),
  );
}

/**
 * Fold the kernel's per-seed ∂a of path p into parameter columns (columns[4m + slot], slots
 * ε'r, σ, S, d): ∂/∂ε'r = ∂/∂η, ∂/∂σ = ∂/∂η·(j·dEtaDSigma) with dEtaDSigma = −1/(ε0ω).
 * The same fold as linkStats.wgsl's.
 */
export function foldSeeds(
  frames: PathFrames,
  p: number,
  seeds: ArrayLike<number>,
  columns: Int32Array,
  nColumns: number,
  out: Float64Array,
  o: number,
): void {
  const dEtaDSigma = -1 / (VACUUM_PERMITTIVITY * 2 * Math.PI * frames.frequencyHz);
  out.fill(0, o, o + 2 * nColumns);
  const first = frames.first[p]!;
  for (let q = first; q < first + frames.count[p]!; q++) {
    const mA = PARAMETER_SLOTS * frames.materialA[q]!;
    const mB = PARAMETER_SLOTS * Math.max(0, frames.materialB[q]!);
    const s = 2 * SEEDS * q;
    const add = (column: number, re: number, im: number) => {
      if (column < 0) return;
      out[o + 2 * column] += re;
      out[o + 2 * column + 1] += im;
    };
    const eta = (m: number, re: number, im: number) => {
      add(columns[m]!, re, im);
      add(columns[m + 1]!, -dEtaDSigma * im, dEtaDSigma * re);
    };
    eta(mA, seeds[s]!, seeds[s + 1]!);
    add(columns[mA + 2]!, seeds[s + 2]!, seeds[s + 3]!);
    add(columns[mA + 3]!, seeds[s + 4]!, seeds[s + 5]!);
    if (frames.materialB[q]! >= 0) {
      eta(mB, seeds[s + 6]!, seeds[s + 7]!);
      add(columns[mB + 3]!, seeds[s + 8]!, seeds[s + 9]!);
    }
  }
}

/**
 * Fields and dense derivatives of many links: jacobian[link][path] = Float64Array
 * [Re ∂a/∂θ_0, Im ∂a/∂θ_0, …] over `keys` (parameterKey form; 0 where independent).
 */
export async function evaluateLinksJacobianGpu(
  gpu: GpuContext,
  scene: Scene,
  links: readonly FieldLink[],
  materials: Record<string, RadioParameters>,
  options: FieldOptions,
  keys: readonly string[],
  signal?: AbortSignal,
): Promise<{ paths: Path[][]; jacobian: Float64Array[][]; stats: FieldGpuStats }> {
  const { frames, linkStart } = linkFrames(scene, links, options);
  const table = materialTable(frames, materials, scene.name);
  const columns = parameterColumns(frames, keys);
  const n = keys.length;
  const kernel = new FieldKernel(gpu, frames, true);
  try {
    await kernel.dispatch(table, signal);
    const a = Float64Array.from(await kernel.readA());
    const seeds = await kernel.readSeeds();
    const da = new Float64Array(2 * n * frames.pathCount);
    for (let p = 0; p < frames.pathCount; p++) foldSeeds(frames, p, seeds, columns, n, da, 2 * n * p);
    for (const p of kernel.hostPaths)
      evaluateFramesWithDerivatives(frames, table, columns, n, a, da, p, p + 1);
    return {
      paths: pathsOf(frames, linkStart, links, a),
      jacobian: links.map((l, i) =>
        l.geometries.map((_, k) => {
          const p = linkStart[i]! + k;
          return da.slice(2 * n * p, 2 * n * (p + 1));
        }),
      ),
      stats: kernel.stats,
    };
  } finally {
    kernel.destroy();
  }
}
