import type { Vec3 } from '../core/vec3.ts';
import { evaluateLinksGpu } from '../field/gpu/fieldGpu.ts';
import { antennasOf, createFieldContext, evaluatePathField, type FieldOptions } from '../field/index.ts';
import { type BackendChoice, type ResolvedBackend, resolveBackend } from '../gpu/backend.ts';
import { GpuDeviceLostError, GpuOutOfMemoryError } from '../gpu/errors.ts';
import type { RadioParameters } from '../materials/radioMaterial.ts';
import { linkMetrics } from '../metrics/linkMetrics.ts';
import type { Scene } from '../scene/types.ts';
import { type Bvh, buildBvh } from '../tracer/bvh.ts';
import { type TracePathsOptions, tracePaths } from '../tracer/cpu/tracePaths.ts';
import { GpuPathTracer } from '../tracer/gpu/tracePathsGpu.ts';
import type { Path, PathGeometry } from '../tracer/path.ts';
import { cellCenter, cellCount, type RadioMapGrid } from './grid.ts';

/**
 * Radio maps: per grid cell the full multipath set from one transmitter, reduced to link
 * metrics (linkMetrics of src/engine/metrics). Work is done in tiles of receivers, so memory
 * holds one tile's paths at a time plus the per-cell results (≈ 30 bytes per cell):
 * 1,000,000 cells need ~30 MB of results whatever the scene.
 */
export interface RadioMapOptions {
  frequencyHz: number;
  tx: Vec3;
  grid: RadioMapGrid;
  materials: Record<string, RadioParameters>;
  field?: Omit<FieldOptions, 'frequencyHz'>;
  trace?: TracePathsOptions;
  backend?: BackendChoice;
  /**
   * WebGPU backend: evaluate fields with the WGSL kernel of field/gpu (default true; false
   * keeps the CPU reference field on GPU-found paths, e.g. to separate search from field errors).
   */
  gpuField?: boolean;
  /** receivers per tile (default 4096) */
  tileSize?: number;
  bvh?: Bvh;
  signal?: AbortSignal;
  onProgress?: (p: { done: number; total: number; backend: 'cpu' | 'webgpu'; label: string }) => void;
}

export interface RadioMap {
  grid: RadioMapGrid;
  frequencyHz: number;
  tx: Vec3;
  backend: 'cpu' | 'webgpu';
  /** which backend and adapter were used, and any fallback */
  backendNote: string;
  /** the same in a few words for a status line: "WebGPU (SwiftShader)", "CPU (no WebGPU adapter)" */
  backendLabel: string;
  /** per cell (index iy·nx + ix); −Infinity dB where no path reaches the cell */
  pathGainDb: Float32Array;
  coherentGainDb: Float32Array;
  /** seconds (float64: sub-ps differences matter when comparing backends) */
  rmsDelaySpreadS: Float64Array;
  kFactorDb: Float32Array;
  /** 0 LoS, 1 strongest path (no LoS), 2 no path */
  kFactorReference: Uint8Array;
  angularSpreadDeg: Float32Array;
  los: Uint8Array;
  pathCount: Uint32Array;
  stats: {
    cells: number;
    paths: number;
    /** path search, all of it (ms) */
    traceMs: number;
    /** WebGPU only: time waiting for the two GPU passes, transfers included (ms) */
    gpuMs: number;
    fieldMs: number;
    totalMs: number;
    candidatesMs: number;
    /** WebGPU only: beam culling on the host (beams once, then footprints + shadows per tile) */
    cullingMs: number;
    /** WebGPU only: (candidate, cell) pairs dispatched, and pairs culled as certainly blocked */
    gpuPairs: number;
    gpuShadowedPairs: number;
    /** WebGPU only: host work on GPU results (paths from records, undecided pairs, dedupe) */
    gpuHostMs: number;
    gpuUndecided: number;
  };
}

const REFERENCE_CODE = { los: 0, strongest: 1, none: 2 } as const;

export async function computeRadioMap(scene: Scene, options: RadioMapOptions): Promise<RadioMap> {
  const t0 = performance.now();
  const { grid, frequencyHz, tx, signal } = options;
  const n = cellCount(grid);
  const tileSize = Math.max(1, Math.floor(options.tileSize ?? 4096));
  const bvh = options.bvh ?? buildBvh(scene);
  const resolved = await resolveBackend(options.backend ?? 'auto');
  let backend = resolved.backend;
  let note = resolved.note;
  let label = backendLabel(resolved);
  const map: RadioMap = {
    grid,
    frequencyHz,
    tx,
    backend,
    backendNote: note,
    backendLabel: label,
    pathGainDb: new Float32Array(n),
    coherentGainDb: new Float32Array(n),
    rmsDelaySpreadS: new Float64Array(n),
    kFactorDb: new Float32Array(n),
    kFactorReference: new Uint8Array(n),
    angularSpreadDeg: new Float32Array(n),
    los: new Uint8Array(n),
    pathCount: new Uint32Array(n),
    stats: {
      cells: n,
      paths: 0,
      traceMs: 0,
      gpuMs: 0,
      fieldMs: 0,
      totalMs: 0,
      candidatesMs: 0,
      cullingMs: 0,
      gpuPairs: 0,
      gpuShadowedPairs: 0,
      gpuHostMs: 0,
      gpuUndecided: 0,
    },
  };
  const fieldOptions: FieldOptions = { ...options.field, frequencyHz };
  const fieldCtx = createFieldContext(scene, options.materials, fieldOptions);
  const ant = antennasOf(fieldOptions);
  let gpuTracer: GpuPathTracer | undefined;
  if (backend === 'webgpu' && resolved.gpu) {
    gpuTracer = GpuPathTracer.create(resolved.gpu, scene, bvh, tx, options.trace, signal);
    map.stats.candidatesMs += gpuTracer.candidatesMs;
  }
  try {
    const rx: Vec3[] = [];
    // tiles are whole grid rows (the GPU tracer lists each candidate's cells per row)
    const rowsPerTile = Math.max(1, Math.floor(tileSize / grid.nx));
    for (let start = 0; start < n; start += rowsPerTile * grid.nx) {
      signal?.throwIfAborted();
      const end = Math.min(n, start + rowsPerTile * grid.nx);
      rx.length = 0;
      for (let i = start; i < end; i++) rx.push(cellCenter(grid, i));
      const tt = performance.now();
      let tilePaths: PathGeometry[][];
      if (gpuTracer) {
        try {
          const r = await gpuTracer.traceGrid(grid, start / grid.nx, end / grid.nx, { signal });
          tilePaths = r.paths;
          map.stats.gpuUndecided += r.stats.undecided;
          map.stats.gpuMs += r.stats.gpuMs;
          map.stats.cullingMs += r.stats.cullingMs;
          map.stats.gpuPairs += r.stats.pairs;
          map.stats.gpuShadowedPairs += r.stats.shadowed;
          map.stats.gpuHostMs += r.stats.hostMs;
        } catch (e) {
          // a lost device or exhausted GPU memory: `auto` finishes the map on the CPU
          if (
            options.backend !== 'auto' ||
            !(e instanceof GpuDeviceLostError || e instanceof GpuOutOfMemoryError)
          )
            throw e;
          gpuTracer.destroy();
          gpuTracer = undefined;
          backend = 'cpu';
          note = `${note}; ${(e as Error).message}: cells ${start}… computed on the CPU reference`;
          label = 'CPU (after a WebGPU error)';
          tilePaths = await tracePaths(scene, bvh, tx, rx, options.trace, { signal });
        }
      } else {
        tilePaths = await tracePaths(scene, bvh, tx, rx, options.trace, { signal });
      }
      const tf = performance.now();
      map.stats.traceMs += tf - tt;
      // fields: the CPU reference, or (gpuField) the WGSL kernel of field/gpu, one dispatch per tile
      let tileFields: Path[][] | undefined;
      if (backend === 'webgpu' && resolved.gpu && options.gpuField !== false) {
        const links = rx.map((r, k) => ({ tx, rx: r, geometries: tilePaths[k]! }));
        tileFields = (
          await evaluateLinksGpu(resolved.gpu, scene, links, options.materials, fieldOptions, signal)
        ).paths;
      }
      for (let k = 0; k < rx.length; k++) {
        const geometries = tilePaths[k]!;
        const paths =
          tileFields?.[k] ??
          geometries.map((g) => evaluatePathField(fieldCtx, ant.tx, ant.rx, tx, rx[k]!, g, false).path);
        const m = linkMetrics(paths, frequencyHz);
        const i = start + k;
        map.pathGainDb[i] = m.pathGainDb;
        map.coherentGainDb[i] = m.coherentGainDb;
        map.rmsDelaySpreadS[i] = m.rmsDelaySpreadS;
        map.kFactorDb[i] = m.kFactorDb;
        map.kFactorReference[i] = REFERENCE_CODE[m.kFactorReference];
        map.angularSpreadDeg[i] = m.angularSpreadDeg;
        map.los[i] = m.los ? 1 : 0;
        map.pathCount[i] = m.pathCount;
        map.stats.paths += m.pathCount;
      }
      map.stats.fieldMs += performance.now() - tf;
      options.onProgress?.({ done: end, total: n, backend, label });
      // let the event loop breathe (abort signals, progress output) between tiles
      await new Promise((r) => setTimeout(r, 0));
    }
  } finally {
    gpuTracer?.destroy();
  }
  map.backend = backend;
  map.backendNote = note;
  map.backendLabel = label;
  map.stats.totalMs = performance.now() - t0;
  return map;
}

/** Short name of the backend (and adapter) for status lines. */
function backendLabel(r: ResolvedBackend): string {
  if (r.backend === 'webgpu' && r.gpu) {
    const a = r.gpu.adapter;
    const name = [a.vendor, a.architecture, a.description].join(' ');
    if (/swiftshader/i.test(name)) return 'WebGPU (SwiftShader)';
    const short = [a.vendor, a.architecture].filter((x) => x && x.length > 0).join(' ');
    return `WebGPU (${short || a.description || 'unknown adapter'}${a.fallback ? ', software' : ''})`;
  }
  if (/no WebGPU adapter/i.test(r.note)) return 'CPU (no WebGPU adapter)';
  if (/requested/.test(r.note)) return 'CPU';
  return 'CPU (WebGPU unavailable)';
}

export type RadioMapMetric = 'path-gain' | 'coherent-gain' | 'delay-spread' | 'k-factor' | 'angular-spread';
export const RADIO_MAP_METRICS: readonly RadioMapMetric[] = [
  'path-gain',
  'coherent-gain',
  'delay-spread',
  'k-factor',
  'angular-spread',
];

/** The values of one metric in display units, with NaN where undefined (no path). */
export function metricValues(
  map: RadioMap,
  metric: RadioMapMetric,
): { values: Float64Array; unit: string; label: string } {
  const n = map.pathCount.length;
  const values = new Float64Array(n);
  const pick = (i: number): number => {
    if (map.pathCount[i] === 0) return Number.NaN;
    switch (metric) {
      case 'path-gain':
        return map.pathGainDb[i]!;
      case 'coherent-gain':
        return map.coherentGainDb[i]!;
      case 'delay-spread':
        return map.rmsDelaySpreadS[i]! * 1e9;
      case 'k-factor':
        return map.kFactorDb[i]!;
      case 'angular-spread':
        return map.angularSpreadDeg[i]!;
    }
  };
  for (let i = 0; i < n; i++) {
    const v = pick(i);
    values[i] = Number.isFinite(v) ? v : Number.NaN;
  }
  const meta = {
    'path-gain': ['dB', 'path gain'],
    'coherent-gain': ['dB', 'coherent gain'],
    'delay-spread': ['ns', 'RMS delay spread'],
    'k-factor': ['dB', 'K-factor'],
    'angular-spread': ['deg', 'angular spread'],
  } as const;
  return { values, unit: meta[metric][0], label: meta[metric][1] };
}

/** JSON-ready form (numbers rounded, null where undefined). */
export function radioMapToJson(map: RadioMap, sceneName: string): Record<string, unknown> {
  const round = (x: number, d: number) => (Number.isFinite(x) ? Number(x.toFixed(d)) : null);
  const arr = (a: ArrayLike<number>, d: number) => Array.from(a, (x) => round(x, d));
  return {
    scene: sceneName,
    frequency_hz: map.frequencyHz,
    tx: map.tx,
    plane_z: map.grid.z,
    bounds: [map.grid.xmin, map.grid.ymin, map.grid.xmax, map.grid.ymax],
    cell_size: map.grid.cellSize,
    nx: map.grid.nx,
    ny: map.grid.ny,
    layout: 'row-major, index iy*nx+ix, cell centre (xmin+(ix+0.5)*cell, ymin+(iy+0.5)*cell)',
    backend: map.backend,
    backend_note: map.backendNote,
    path_gain_db: arr(map.pathGainDb, 3),
    coherent_gain_db: arr(map.coherentGainDb, 3),
    rms_delay_spread_ns: arr(
      Float64Array.from(map.rmsDelaySpreadS, (s, i) => (map.pathCount[i] ? s * 1e9 : Number.NaN)),
      4,
    ),
    k_factor_db: arr(map.kFactorDb, 3),
    k_factor_reference: Array.from(map.kFactorReference, (c) => ['los', 'strongest', 'none'][c]),
    angular_spread_deg: arr(map.angularSpreadDeg, 3),
    los: Array.from(map.los),
    path_count: Array.from(map.pathCount),
    stats: map.stats,
  };
}
