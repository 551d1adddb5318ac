import type { Vec3 } from '../core/vec3.ts';
import { evaluateFrames } from '../field/jonesChain.ts';
import type { PathFrames } from '../field/pathFrames.ts';
import { CpuStatsEvaluator, type LinkRanges } from '../metrics/linkStatsModel.ts';
import type { Scene } from '../scene/types.ts';
import type { Bvh } from '../tracer/bvh.ts';
import {
  CpuPathTracer,
  type SearchReport,
  type TraceControl,
  type TracePathsOptions,
} from '../tracer/cpu/tracePaths.ts';
import type { ChannelBackend, TxTracer } from './backend.ts';

/** The CPU reference backend (float64 everywhere). */
export const cpuBackend: ChannelBackend = {
  kind: 'cpu',
  label: 'CPU',
  async tracer(
    scene: Scene,
    bvh: Bvh,
    tx: Vec3,
    options: TracePathsOptions,
    control: TraceControl = {},
  ): Promise<TxTracer> {
    const t = await CpuPathTracer.create(scene, bvh, tx, options, control);
    const trace = async (rx: readonly Vec3[], c?: TraceControl) => {
      const reports: SearchReport[] = [];
      return { paths: await t.trace(rx, c, reports), reports };
    };
    return {
      trace,
      async traceGrid(grid, rowStart, rowEnd, c, rowLimit) {
        const reports: SearchReport[] = [];
        return { paths: await t.traceGrid(grid, rowStart, rowEnd, c, reports, rowLimit), reports };
      },
      destroy() {},
    };
  },
  async evaluate(frames: PathFrames, table: Float64Array): Promise<Float64Array> {
    const a = new Float64Array(2 * frames.pathCount);
    evaluateFrames(frames, table, a);
    return a;
  },
  statsEvaluator(ranges: LinkRanges, columns: Int32Array, parameters: number) {
    return new CpuStatsEvaluator(ranges, columns, parameters);
  },
};
