import type { Complex } from '../core/complex.ts';
import { SPEED_OF_LIGHT } from '../core/constants.ts';
import type { Vec3 } from '../core/vec3.ts';
import type { RadioParameters } from '../materials/radioMaterial.ts';
import type { Scene } from '../scene/types.ts';
import type { Path, PathGeometry } from '../tracer/path.ts';
import {
  evaluateFrames,
  evaluateFramesWithDerivatives,
  materialTable,
  PARAMETER_SLOTS,
} from './jonesChain.ts';
import { type FieldOptions, PathFrameBuilder, type PathFrames } from './pathFrames.ts';

/**
 * Field evaluation of traced paths: frames (pathFrames.ts) → Jones chain (jonesChain.ts).
 *
 * - evaluateLinks(scene, links, materials, options) → Path[][]; evaluatePaths for one link.
 * - evaluatePathsJacobian(…, keys) → paths and, per path, ∂a/∂θ for the requested
 *   parameterKey(material, parameter) keys as [Re, Im, Re, Im, …] (0 where independent).
 * - evaluatePathsWithGradient(…) → the same for every parameter of every material a path touches,
 *   as a Map per path (tests and tools; the calibration uses the dense form).
 * Path.a excludes the propagation phase (H(f) = Σ a e^{−j2πfτ}); delay = unfolded length / c;
 * aod/aoa in degrees (aoa points from the receiver back along the arriving wave).
 */
export interface FieldLink {
  tx: Vec3;
  rx: Vec3;
  geometries: readonly PathGeometry[];
}

/** Frames of every path of the links, in link order; linkStart[l] is link l's first path. */
export function linkFrames(
  scene: Scene,
  links: readonly FieldLink[],
  options: FieldOptions,
  /** a builder to fill again (reset first), made with the same scene and options */
  into?: PathFrameBuilder,
): { frames: PathFrames; linkStart: Int32Array } {
  const b = into ?? new PathFrameBuilder(scene, options);
  b.reset();
  // the columns sized once: grown path by path they were allocated (and zeroed) twice over
  let paths = 0;
  let interactions = 0;
  for (const l of links) {
    paths += l.geometries.length;
    for (const g of l.geometries) interactions += g.interactions.length;
  }
  b.reserve(paths, interactions);
  const linkStart = new Int32Array(links.length + 1);
  links.forEach((l, i) => {
    linkStart[i] = b.pathCount;
    for (const g of l.geometries) b.add(l.tx, l.rx, g);
  });
  linkStart[links.length] = b.pathCount;
  return { frames: b, linkStart };
}

/** The Path object of frame p with coefficient (re, im). */
export function pathOfFrame(frames: PathFrames, p: number, g: PathGeometry, re: number, im: number): Path {
  const ang = frames.angles;
  return {
    kind: g.kind,
    interactions: g.interactions,
    length: frames.length[p]!,
    a: { re, im },
    delay: frames.length[p]! / SPEED_OF_LIGHT,
    aod: { azimuthDeg: ang[4 * p]!, elevationDeg: ang[4 * p + 1]! },
    aoa: { azimuthDeg: ang[4 * p + 2]!, elevationDeg: ang[4 * p + 3]! },
  };
}

/** Fields of many links: paths[link][path]. */
export function evaluateLinks(
  scene: Scene,
  links: readonly FieldLink[],
  materials: Record<string, RadioParameters>,
  options: FieldOptions,
): Path[][] {
  const { frames, linkStart } = linkFrames(scene, links, options);
  const a = new Float64Array(2 * frames.pathCount);
  evaluateFrames(frames, materialTable(frames, materials, scene.name), a);
  return links.map((l, i) =>
    l.geometries.map((g, k) => {
      const p = linkStart[i]! + k;
      return pathOfFrame(frames, p, g, a[2 * p]!, a[2 * p + 1]!);
    }),
  );
}

/** Fields of the given path geometries for one Tx–Rx link. */
export function evaluatePaths(
  scene: Scene,
  tx: Vec3,
  rx: Vec3,
  geometries: readonly PathGeometry[],
  materials: Record<string, RadioParameters>,
  options: FieldOptions,
): Path[] {
  return evaluateLinks(scene, [{ tx, rx, geometries }], materials, options)[0]!;
}

/** Material parameters a field derivative can be taken with respect to, in column-slot order. */
export type MaterialParameter =
  | 'relative_permittivity'
  | 'conductivity'
  | 'scattering_coefficient'
  | 'thickness';
export const MATERIAL_PARAMETERS: readonly MaterialParameter[] = [
  'relative_permittivity',
  'conductivity',
  'scattering_coefficient',
  'thickness',
];

/** Key of a derivative: `<materialKey>:<parameter>`, e.g. `itu_brick:conductivity`. */
export const parameterKey = (materialKey: string, parameter: MaterialParameter): string =>
  `${materialKey}:${parameter}`;

/** Column of each (frame material, parameter slot) for the requested keys; −1 where not requested. */
export function parameterColumns(frames: PathFrames, keys: readonly string[]): Int32Array {
  const index = new Map(keys.map((k, i) => [k, i]));
  const columns = new Int32Array(PARAMETER_SLOTS * frames.materialKeys.length).fill(-1);
  frames.materialKeys.forEach((m, i) => {
    MATERIAL_PARAMETERS.forEach((p, s) => {
      columns[PARAMETER_SLOTS * i + s] = index.get(parameterKey(m, p)) ?? -1;
    });
  });
  return columns;
}

/**
 * Dense derivatives for optimisers: ∂a/∂θ_k for the given parameter keys, one Float64Array per
 * path laid out [Re ∂a/∂θ_0, Im ∂a/∂θ_0, Re ∂a/∂θ_1, …] (2·keys.length).
 */
export function evaluatePathsJacobian(
  scene: Scene,
  tx: Vec3,
  rx: Vec3,
  geometries: readonly PathGeometry[],
  materials: Record<string, RadioParameters>,
  options: FieldOptions,
  keys: readonly string[],
): { paths: Path[]; jacobian: Float64Array[] } {
  const { frames } = linkFrames(scene, [{ tx, rx, geometries }], options);
  const n = keys.length;
  const a = new Float64Array(2 * frames.pathCount);
  const da = new Float64Array(2 * n * frames.pathCount);
  const table = materialTable(frames, materials, scene.name);
  evaluateFramesWithDerivatives(frames, table, parameterColumns(frames, keys), n, a, da);
  return {
    paths: geometries.map((g, p) => pathOfFrame(frames, p, g, a[2 * p]!, a[2 * p + 1]!)),
    jacobian: geometries.map((_, p) => da.slice(2 * n * p, 2 * n * (p + 1))),
  };
}

/** ∂a/∂θ of one path keyed by parameterKey, for every parameter of every material it touches. */
export type PathGradient = Map<string, Complex>;

/**
 * Paths and their gradients with respect to all four parameters of every material each path
 * touches (present, possibly zero, for each touched material; absent means "does not touch").
 */
export function evaluatePathsWithGradient(
  scene: Scene,
  tx: Vec3,
  rx: Vec3,
  geometries: readonly PathGeometry[],
  materials: Record<string, RadioParameters>,
  options: FieldOptions,
): { paths: Path[]; gradients: PathGradient[] } {
  const { frames } = linkFrames(scene, [{ tx, rx, geometries }], options);
  const keys = frames.materialKeys.flatMap((m) => MATERIAL_PARAMETERS.map((p) => parameterKey(m, p)));
  const r = evaluatePathsJacobian(scene, tx, rx, geometries, materials, options, keys);
  const gradients = geometries.map((_, p) => {
    const touched = new Set<number>();
    const first = frames.first[p]!;
    for (let q = first; q < first + frames.count[p]!; q++) {
      touched.add(frames.materialA[q]!);
      if (frames.materialB[q]! >= 0) touched.add(frames.materialB[q]!);
    }
    const g: PathGradient = new Map();
    for (const m of [...touched].sort((x, y) => x - y))
      MATERIAL_PARAMETERS.forEach((_, s) => {
        const c = PARAMETER_SLOTS * m + s;
        g.set(keys[c]!, { re: r.jacobian[p]![2 * c]!, im: r.jacobian[p]![2 * c + 1]! });
      });
    return g;
  });
  return { paths: r.paths, gradients };
}
