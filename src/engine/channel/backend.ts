import type { Vec3 } from '../core/vec3.ts';
import type { PathFrames } from '../field/pathFrames.ts';
import type { LinkRanges, StatsEvaluator } from '../metrics/linkStatsModel.ts';
import type { Scene } from '../scene/types.ts';
import type { Bvh } from '../tracer/bvh.ts';
import type { SearchReport, TraceControl, TracePathsOptions } from '../tracer/cpu/tracePaths.ts';
import type { ReceiverGrid } from '../tracer/gridCells.ts';
import type { PathGeometry } from '../tracer/path.ts';

/**
 * What a channel backend (CPU reference, WebGPU) does; everything above it — which paths are
 * traced with which settings, fields → statistics → metrics, radio maps, calibration — is the
 * channel layer's one code path. Both backends find the same paths (the WebGPU tracer reuses the
 * reference's candidates and settles undecidable f32 cases in float64) and evaluate the same
 * frames (field/pathFrames.ts) with the same chain (jonesChain.ts, its WGSL port).
 */
export type BackendKind = 'cpu' | 'webgpu';

/** Paths per receiver, and how completely each receiver's paths were searched. */
export interface TracedPaths {
  paths: PathGeometry[][];
  reports: SearchReport[];
}

/** A transmitter prepared for the path search: candidates built once, then receiver sets. */
export interface TxTracer {
  trace(rx: readonly Vec3[], control?: TraceControl): Promise<TracedPaths>;
  /**
   * receivers at the cell centres of grid rows [rowStart, rowEnd); `rowLimit`: the rows the
   * caller will ask for next end there (a radio map's tiles), so work shared by tiles is not
   * done past it
   */
  traceGrid(
    grid: ReceiverGrid,
    rowStart: number,
    rowEnd: number,
    control?: TraceControl,
    rowLimit?: number,
  ): Promise<TracedPaths>;
  destroy(): void;
}

export interface ChannelBackend {
  readonly kind: BackendKind;
  /** for status lines: "CPU", "WebGPU (SwiftShader)" */
  readonly label: string;
  tracer(
    scene: Scene,
    bvh: Bvh,
    tx: Vec3,
    options: TracePathsOptions,
    control?: TraceControl,
  ): Promise<TxTracer>;
  /** a of every path of the frames (2 per path) for a material table (jonesChain.ts layout) */
  evaluate(frames: PathFrames, table: Float64Array, signal?: AbortSignal): Promise<Float64Array>;
  /** link statistics with derivatives over fixed frames, for calibration */
  statsEvaluator(ranges: LinkRanges, columns: Int32Array, parameters: number): StatsEvaluator;
}
