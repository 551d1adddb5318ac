import type { ChannelBackend, TxTracer } from '../channel/backend.ts';
import type { Channel, ChannelControl } from '../channel/channel.ts';
import { scatteringObjectsOf } from '../channel/channel.ts';
import { nearFieldCheck } from '../channel/nearField.ts';
import { fieldOptionsOf, traceOptionsOf } from '../channel/settings.ts';
import type { Vec3 } from '../core/vec3.ts';
import { Yielder } from '../core/yielding.ts';
import { linkFrames, pathOfFrame } from '../field/evaluate.ts';
import { materialTable } from '../field/jonesChain.ts';
import { PathFrameBuilder } from '../field/pathFrames.ts';
import { GpuDeviceLostError, GpuOutOfMemoryError } from '../gpu/errors.ts';
import type { RadioParameters } from '../materials/radioMaterial.ts';
import { linkMetricsFromStats } from '../metrics/linkMetrics.ts';
import { linkRanges, reduceLinks } from '../metrics/linkStatsModel.ts';
import type { SearchReport } from '../tracer/cpu/tracePaths.ts';
import type { Path, PathGeometry } from '../tracer/path.ts';
import { cellCenter, type RadioMapGrid } from './grid.ts';

/**
 * Radio maps: per grid cell the full multipath set from one transmitter, reduced to the link
 * metrics — the channel layer's trace → evaluate → statistics → metrics, exactly as for a link at
 * the same point with the same settings (a cell and a traced link agree to the last bit).
 * Work is done in tiles of whole grid rows, so memory holds one tile's paths at a time plus the
 * per-cell results (≈ 30 bytes per cell); the transmitter's candidates are built once.
 */
export interface RadioMapOptions {
  tx: Vec3;
  grid: RadioMapGrid;
  materials: Record<string, RadioParameters>;
  /** receivers per batch (default DEFAULT_TILE_CELLS of the backend; rounded to whole rows) */
  tileSize?: number;
  /**
   * only grid rows [start, end): the result is a part of the map (`rows` set, arrays of those
   * rows' cells) whose cells equal the whole map's bit for bit (parts.ts assembles parts)
   */
  rows?: RowRange;
  /**
   * Called per tile with each cell's paths (a ≠ 0, as a traced link reports them), cells from
   * `first` on (index into the map's arrays): beam maps (beams/beamMap.ts) select beams from them.
   */
  onCellPaths?: (first: number, paths: Path[][]) => void;
}

/** Grid rows [start, end) of a radio map. */
export interface RowRange {
  start: number;
  end: number;
}

export interface RadioMapProgress {
  done: number;
  total: number;
  backend: 'cpu' | 'webgpu';
  label: string;
}

export interface RadioMap {
  grid: RadioMapGrid;
  frequencyHz: number;
  tx: Vec3;
  backend: 'cpu' | 'webgpu';
  /** which backend ran and why, and any fallback */
  backendNote: string;
  /** the same in a few words for a status line: "WebGPU (SwiftShader)", "CPU" */
  backendLabel: string;
  /** per cell (index iy·nx + ix); −Infinity dB where no path reaches the cell */
  pathGainDb: Float32Array;
  coherentGainDb: Float32Array;
  /** seconds (float64: sub-ps differences matter when comparing backends) */
  rmsDelaySpreadS: Float64Array;
  kFactorDb: Float32Array;
  /** 0 LoS, 1 strongest deterministic path (no LoS), 2 no path */
  kFactorReference: Uint8Array;
  angularSpreadDeg: Float32Array;
  los: Uint8Array;
  pathCount: Uint32Array;
  /** per cell: 1 when its path search was complete (docs/physics.md §9) */
  complete: Uint8Array;
  /** the largest estimated miss rate of a cell (0 when every cell is complete) */
  missRate: number;
  /**
   * 1 where the cell's link is in the near field (channel/nearField.ts, the same check as a traced
   * link's): its metrics are not valid (docs/physics.md §2)
   */
  nearField: Uint8Array;
  stats: { cells: number; paths: number; traceMs: number; fieldMs: number; totalMs: number };
  /**
   * Best-server maps (bestServer.ts): every transmitter, in the order given, and per cell the
   * index of the one serving it (highest path gain), −1 where none reaches the cell. The cell's
   * metrics are those of its serving transmitter; `tx` is the first transmitter.
   */
  servers?: { txs: Vec3[]; serving: Int16Array };
  /**
   * set on a part of a map (a tile of a job, a worker's block): the arrays hold only the cells of
   * grid rows [start, end), index (iy − start)·nx + ix
   */
  rows?: RowRange;
  /** Beam maps (beams/beamMap.ts): per cell the best beam pair and its rate (docs/physics.md §16). */
  beams?: BeamLayer;
}

/** Per cell of a beam map; −1 beams, NaN dB and 0 MCS/throughput where no path reaches the cell. */
export interface BeamLayer {
  /** both ends' arrays and codebooks, and the search, in words */
  description: string;
  txBeam: Int16Array;
  rxBeam: Int16Array;
  /** wideband gain of the best pair, dB */
  gainDb: Float32Array;
  snrDb: Float32Array;
  /** 802.11ad SC MCS 1–12; 0 below MCS 1 */
  mcs: Uint8Array;
  throughputMbps: Float32Array;
}

/** The rows a map computation covers: all, or `options.rows` (checked against the grid). */
export function rowsOf(grid: RadioMapGrid, rows: RowRange | undefined): RowRange {
  if (!rows) return { start: 0, end: grid.ny };
  const { start, end } = rows;
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start < end && end <= grid.ny))
    throw new RangeError(`rows ${start}..${end} are not a range of the grid's ${grid.ny} rows`);
  return { start, end };
}

/** A map's per-cell arrays for n cells (and its totals), before any cell is filled. */
export function emptyCells(n: number) {
  return {
    pathGainDb: new Float32Array(n),
    coherentGainDb: new Float32Array(n),
    rmsDelaySpreadS: new Float64Array(n),
    kFactorDb: new Float32Array(n),
    kFactorReference: new Uint8Array(n),
    angularSpreadDeg: new Float32Array(n),
    los: new Uint8Array(n),
    pathCount: new Uint32Array(n),
    complete: new Uint8Array(n),
    missRate: 0,
    nearField: new Uint8Array(n),
    stats: { cells: n, paths: 0, traceMs: 0, fieldMs: 0, totalMs: 0 },
  };
}

/**
 * Cells per tile when the caller names none. WebGPU amortises its dispatches over large tiles.
 * On the CPU a tile's frames (≈ 40 paths a cell on the demo room, ≈ 600 bytes a path) should
 * stay in the caches and be reused tile after tile: 4,096-cell tiles grew ~100 MB of columns
 * each, and the demo map took 20–30 % longer than with 128–512 cells; with two threads 128-cell
 * tiles ran ≈ 10 % faster than 512-cell ones (less of the shared cache each). Much smaller tiles
 * pay the per-tile set-up (receiver bins, material table) more often.
 */
export const DEFAULT_TILE_CELLS = { cpu: 128, webgpu: 4096 } as const;

const REFERENCE_CODE = { los: 0, strongest: 1, none: 2 } as const;

export async function computeRadioMap(
  channel: Channel,
  options: RadioMapOptions,
  control: ChannelControl & { onMapProgress?: (p: RadioMapProgress) => void } = {},
): Promise<RadioMap> {
  const t0 = performance.now();
  const { grid, tx, materials } = options;
  const { signal } = control;
  const rows = rowsOf(grid, options.rows);
  const first = rows.start * grid.nx;
  const n = (rows.end - rows.start) * grid.nx;
  const choice = channel.backendFor({ kind: 'map', cells: n });
  let backend: ChannelBackend = choice.backend;
  let note = choice.decision.reason;
  control.onBackend?.(channel.used(choice.decision, backend));
  const map: RadioMap = {
    grid,
    frequencyHz: channel.settings.frequencyHz,
    tx,
    backend: backend.kind,
    backendNote: note,
    backendLabel: backend.label,
    ...emptyCells(n),
    ...(options.rows ? { rows } : {}),
  };
  const traceOptions = traceOptionsOf(channel.settings, scatteringObjectsOf(channel.scene, materials));
  const fieldOptions = fieldOptionsOf(channel.settings);
  const tileSize = Math.max(1, Math.floor(options.tileSize ?? DEFAULT_TILE_CELLS[backend.kind]));
  const rowsPerTile = Math.max(1, Math.floor(tileSize / grid.nx));
  const yielder = new Yielder();
  // one set of frame columns for every tile (their capacity is kept)
  const builder = new PathFrameBuilder(channel.scene, fieldOptions);
  let tracer: TxTracer = await backend.tracer(channel.scene, channel.bvh, tx, traceOptions, { signal });
  try {
    for (let row = rows.start; row < rows.end; row += rowsPerTile) {
      signal?.throwIfAborted();
      const rowEnd = Math.min(rows.end, row + rowsPerTile);
      const start = row * grid.nx;
      const end = rowEnd * grid.nx;
      const tt = performance.now();
      let paths: PathGeometry[][];
      let reports: SearchReport[];
      let a: Float64Array;
      let frames: ReturnType<typeof linkFrames>;
      const cells = Array.from({ length: end - start }, (_, k) => ({ tx, rx: cellCenter(grid, start + k) }));
      try {
        ({ paths, reports } = await tracer.traceGrid(grid, row, rowEnd, { signal }, rows.end));
        map.stats.traceMs += performance.now() - tt;
        frames = linkFrames(
          channel.scene,
          paths.map((geometries, k) => ({ ...cells[k]!, geometries })),
          fieldOptions,
          builder,
        );
        const tf = performance.now();
        a = await backend.evaluate(
          frames.frames,
          materialTable(frames.frames, materials, channel.scene.name),
          signal,
        );
        map.stats.fieldMs += performance.now() - tf;
      } catch (e) {
        // a lost device or exhausted GPU memory: `auto` finishes the map on the CPU, saying so
        if (
          backend.kind !== 'webgpu' ||
          channel.choice !== 'auto' ||
          !(e instanceof GpuDeviceLostError || e instanceof GpuOutOfMemoryError)
        )
          throw e;
        tracer.destroy();
        backend = channel.backend('cpu');
        note = `${note}; ${(e as Error).message}: cells ${start}… computed on the CPU`;
        map.backendLabel = 'CPU (after a WebGPU error)';
        tracer = await backend.tracer(channel.scene, channel.bvh, tx, traceOptions, { signal });
        row -= rowsPerTile;
        continue;
      }
      const links = paths.map((geometries) => ({ geometries }));
      const stats = reduceLinks(linkRanges(frames.frames, frames.linkStart, links), a);
      for (let k = 0; k < end - start; k++) {
        const m = linkMetricsFromStats(stats, k);
        const i = start - first + k;
        map.pathGainDb[i] = m.pathGainDb;
        map.coherentGainDb[i] = m.coherentGainDb;
        map.rmsDelaySpreadS[i] = m.rmsDelaySpreadS;
        map.kFactorDb[i] = m.kFactorDb;
        map.kFactorReference[i] = REFERENCE_CODE[m.kFactorReference];
        map.angularSpreadDeg[i] = m.angularSpreadDeg;
        map.los[i] = m.los ? 1 : 0;
        map.pathCount[i] = m.pathCount;
        // the paths the link would report (a ≠ 0), as Channel.evaluate checks them
        const p0 = frames.linkStart[k]!;
        const carried = paths[k]!.filter((_, j) => a[2 * (p0 + j)] !== 0 || a[2 * (p0 + j) + 1] !== 0);
        map.nearField[i] = nearFieldCheck(tx, cells[k]!.rx, carried, channel.settings.frequencyHz).nearField
          ? 1
          : 0;
        map.stats.paths += m.pathCount;
        map.complete[i] = reports[k]!.complete ? 1 : 0;
        map.missRate = Math.max(map.missRate, reports[k]!.missRate);
      }
      if (options.onCellPaths)
        options.onCellPaths(
          start - first,
          paths.map((geometries, k) => {
            const p0 = frames.linkStart[k]!;
            const out: Path[] = [];
            geometries.forEach((g, j) => {
              const re = a[2 * (p0 + j)]!;
              const im = a[2 * (p0 + j) + 1]!;
              if (re !== 0 || im !== 0) out.push(pathOfFrame(frames.frames, p0 + j, g, re, im));
            });
            return out;
          }),
        );
      control.onMapProgress?.({
        done: end - first,
        total: n,
        backend: backend.kind,
        label: map.backendLabel,
      });
      // let the event loop breathe (abort signals, progress output) between tiles
      await yielder.maybe(signal);
    }
  } finally {
    tracer.destroy();
  }
  map.backend = backend.kind;
  map.backendNote = note;
  map.stats.totalMs = performance.now() - t0;
  return map;
}
