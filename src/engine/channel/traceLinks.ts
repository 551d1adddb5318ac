import type { Vec3 } from '../core/vec3.ts';
import type { AntennaSpec } from '../field/antenna.ts';
import { antennasOf, createFieldContext, type FieldOptions } from '../field/context.ts';
import { evaluatePathField } from '../field/pathField.ts';
import type { ScatteringPattern } from '../field/scattering.ts';
import type { MaterialModel } from '../field/surfaceCoefficients.ts';
import type { ItuOptions } from '../materials/itu.ts';
import { type RadioParameters, resolveSceneMaterials } from '../materials/radioMaterial.ts';
import { type LinkMetrics, linkMetrics } from '../metrics/linkMetrics.ts';
import type { Scene } from '../scene/types.ts';
import type { Bvh } from '../tracer/bvh.ts';
import {
  resolveTraceOptions,
  type TraceControl,
  type TracePathsOptions,
  tracePaths,
} from '../tracer/cpu/tracePaths.ts';
import type { Path, PathGeometry } from '../tracer/path.ts';

/**
 * Engine entry point for channels: path geometry (CPU search) → fields (field/) → metrics
 * (metrics/), for one transmitter and many receivers. Geometry does not depend on materials,
 * so `linksFromGeometry` re-evaluates fields on fixed geometry (calibration, material edits).
 */
export interface TraceLinksOptions extends TracePathsOptions {
  frequencyHz: number;
  tx: Vec3;
  rx: readonly Vec3[];
  /** 'slab' (default) or 'halfspace' */
  materialModel?: MaterialModel;
  /** default iso + V */
  txAntenna?: AntennaSpec;
  rxAntenna?: AntennaSpec;
  scatteringPattern?: ScatteringPattern;
  /** radio parameters per material id; default: the scene's materials resolved at frequencyHz */
  materials?: Record<string, RadioParameters>;
  /** ITU options when resolving the scene's materials (e.g. allowExtrapolation) */
  itu?: ItuOptions;
  /** keep paths whose coefficient is exactly zero (default false: e.g. blocked by a zero pattern) */
  keepZeroPaths?: boolean;
  bvh?: Bvh;
}

export interface LinkResult {
  tx: Vec3;
  rx: Vec3;
  paths: Path[];
  metrics: LinkMetrics;
}

export interface TraceLinksResult {
  frequencyHz: number;
  links: LinkResult[];
  /** radio parameters used, per material id */
  materials: Record<string, RadioParameters>;
}

/**
 * Objects that scatter: those whose material has S > 0 (a zero scattering coefficient gives
 * zero diffuse field, so tracing those points would only cost time).
 */
export function scatteringObjectsOf(scene: Scene, materials: Record<string, RadioParameters>): number[] {
  const out: number[] = [];
  scene.objects.forEach((o, i) => {
    if ((materials[o.materialId]?.scatteringCoefficient ?? 0) > 0) out.push(i);
  });
  return out;
}

/** Fields and metrics of known geometry (one PathGeometry list per receiver). */
export function linksFromGeometry(
  scene: Scene,
  tx: Vec3,
  rxList: readonly Vec3[],
  geometries: readonly (readonly PathGeometry[])[],
  materials: Record<string, RadioParameters>,
  field: FieldOptions,
  keepZeroPaths = false,
): LinkResult[] {
  const ctx = createFieldContext(scene, materials, field);
  const ant = antennasOf(field);
  return rxList.map((rx, r) => {
    const paths: Path[] = [];
    for (const g of geometries[r]!) {
      const p = evaluatePathField(ctx, ant.tx, ant.rx, tx, rx, g, false).path;
      if (keepZeroPaths || p.a.re !== 0 || p.a.im !== 0) paths.push(p);
    }
    return { tx: [...tx], rx: [...rx], paths, metrics: linkMetrics(paths, field.frequencyHz) };
  });
}

/** Trace all links from one transmitter: paths with fields, and per-link metrics. */
export async function traceLinks(
  scene: Scene,
  options: TraceLinksOptions,
  control: TraceControl = {},
): Promise<TraceLinksResult> {
  const { frequencyHz, tx, rx } = options;
  if (!(frequencyHz > 0) || !Number.isFinite(frequencyHz)) {
    throw new RangeError(`frequency must be a positive number of Hz, got ${frequencyHz}`);
  }
  const materials = options.materials ?? resolveSceneMaterials(scene.materials, frequencyHz, options.itu);
  resolveTraceOptions(options); // validate before the long part
  const traceOptions: TracePathsOptions = {
    ...options,
    scatteringObjects: options.scatteringObjects ?? scatteringObjectsOf(scene, materials),
  };
  const geometries = await tracePaths(scene, options.bvh, tx, rx, traceOptions, control);
  const field: FieldOptions = {
    frequencyHz,
    materialModel: options.materialModel,
    txAntenna: options.txAntenna,
    rxAntenna: options.rxAntenna,
    scatteringPattern: options.scatteringPattern,
  };
  const links = linksFromGeometry(scene, tx, rx, geometries, materials, field, options.keepZeroPaths);
  return { frequencyHz, links, materials };
}
