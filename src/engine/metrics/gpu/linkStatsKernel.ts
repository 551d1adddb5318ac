import { VACUUM_PERMITTIVITY } from '../../core/constants.ts';
import { FieldKernel, INTERACTION_RECORD, PATH_RECORD } from '../../field/gpu/fieldKernel.ts';
import { evaluateFramesWithDerivatives } from '../../field/jonesChain.ts';
import {
  bindBuffers,
  computePipeline,
  dispatchGrid,
  emptyBuffer,
  readBack,
  storageBuffer,
  uniformBuffer,
} from '../../gpu/buffers.ts';
import { type GpuContext, withGpuErrors } from '../../gpu/device.ts';
import { defineStruct, packedArray, wgslConstants } from '../../gpu/layout.ts';
import {
  accumulateLinkStats,
  emptyLinkStats,
  type LinkStats,
  STAT_COUNT,
  STAT_DIFFUSE,
} from '../linkStats.ts';
import type { LinkRanges, StatsEvaluator } from '../linkStatsModel.ts';
import kernelSource from './linkStats.wgsl?raw';

/**
 * Link statistics on the GPU for a calibration: the geometry (frames) is uploaded once with the
 * field kernel; each evaluation uploads the material table, runs the field kernel with
 * derivatives and linkStats.wgsl, and reads back only links × STAT_COUNT × (n + 1) numbers.
 * Paths the field kernel cannot hold (more than its MAX_INTERACTIONS) are evaluated by the host
 * chain and their links reduced on the host (`hostLinks` in the stats: stated in the result).
 */
export const LINK_RANGE = defineStruct('LinkRange', [
  ['first', 'u32', 'first path'],
  ['count', 'u32'],
] as const);

export const PATH_INFO = defineStruct('PathInfo', [
  ['carrier', 'vec2f', 'e^{−j2πfτ}'],
  ['arrival', 'vec2f', '(cos, sin) of the arrival azimuth'],
  ['delayNs', 'f32', 'τ − τ0 of its link (ns)'],
  ['kind', 'u32', '0 LoS, 1 deterministic, 2 diffuse'],
] as const);

const WORKGROUP = 64;

export class GpuStatsEvaluator implements StatsEvaluator {
  private readonly field: FieldKernel;
  private readonly buffers: GPUBuffer[] = [];
  private readonly linksBuffer: GPUBuffer;
  private readonly infoBuffer: GPUBuffer;
  private readonly columnsBuffer: GPUBuffer;
  private readonly statsBuffer: GPUBuffer;
  private readonly metaBuffer: GPUBuffer;
  private readonly uniform: GPUBuffer;
  /** links reduced on the host because they hold a path the field kernel cannot */
  readonly hostLinks: number[];
  readonly stats: { gpuMs: number; hostMs: number; evaluations: number; hostPaths: number };

  get fallbackPaths(): number {
    return this.field.hostPaths.length;
  }

  constructor(
    private readonly gpu: GpuContext,
    private readonly r: LinkRanges,
    private readonly columns: Int32Array,
    private readonly n: number,
  ) {
    const f = r.frames;
    this.field = new FieldKernel(gpu, f, true);
    const L = LINK_RANGE;
    const la = packedArray(L, r.count);
    for (let l = 0; l < r.count; l++) {
      la.u32[L.stride * l + L.offset.first] = r.first[l]!;
      la.u32[L.stride * l + L.offset.count] = r.length[l]!;
    }
    const I = PATH_INFO;
    const ia = packedArray(I, f.pathCount);
    const w = -2 * Math.PI * f.frequencyHz;
    for (let p = 0; p < f.pathCount; p++) {
      const o = I.stride * p;
      const d = r.delayS[p]!;
      ia.f32[o + I.offset.carrier] = Math.cos(w * d);
      ia.f32[o + I.offset.carrier + 1] = Math.sin(w * d);
      const az = (r.aoaAzimuthDeg[p]! * Math.PI) / 180;
      ia.f32[o + I.offset.arrival] = Math.cos(az);
      ia.f32[o + I.offset.arrival + 1] = Math.sin(az);
      ia.f32[o + I.offset.delayNs] = (d - r.pathReferenceDelayS[p]!) * 1e9;
      ia.u32[o + I.offset.kind] = r.kind[p]!;
    }
    const host = new Set(this.field.hostPaths);
    this.hostLinks = [];
    for (let l = 0; l < r.count; l++) {
      for (let p = r.first[l]!; p < r.first[l]! + r.length[l]!; p++)
        if (host.has(p)) {
          this.hostLinks.push(l);
          break;
        }
    }
    this.linksBuffer = storageBuffer(gpu, la.u32, 'stats: link ranges');
    this.infoBuffer = storageBuffer(gpu, ia.f32, 'stats: path info');
    this.columnsBuffer = storageBuffer(
      gpu,
      columns.length > 0 ? columns : new Int32Array(4).fill(-1),
      'stats: columns',
    );
    const width = n + 1;
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC;
    this.statsBuffer = emptyBuffer(
      gpu,
      4 * r.count * STAT_COUNT * width,
      'stats: values and derivatives',
      usage,
    );
    this.metaBuffer = emptyBuffer(gpu, 8 * r.count, 'stats: link meta', usage);
    const u = new ArrayBuffer(16);
    new Uint32Array(u)[0] = r.count;
    new Uint32Array(u)[1] = n;
    new Float32Array(u)[2] = -1 / (VACUUM_PERMITTIVITY * 2 * Math.PI * f.frequencyHz);
    this.uniform = uniformBuffer(gpu, new Uint8Array(u), 'stats: parameters');
    this.buffers.push(
      this.linksBuffer,
      this.infoBuffer,
      this.columnsBuffer,
      this.statsBuffer,
      this.metaBuffer,
      this.uniform,
    );
    this.stats = { gpuMs: 0, hostMs: 0, evaluations: 0, hostPaths: this.field.hostPaths.length };
  }

  async evaluate(table: Float64Array, signal?: AbortSignal): Promise<LinkStats> {
    const { gpu, r, n, field } = this;
    const t0 = performance.now();
    await field.dispatch(table, signal);
    const code = [
      PATH_RECORD.wgsl,
      INTERACTION_RECORD.wgsl,
      LINK_RANGE.wgsl,
      PATH_INFO.wgsl,
      wgslConstants({ STAT_COUNT, STAT_DIFFUSE }),
      kernelSource,
    ].join('\n');
    const pipeline = computePipeline(gpu, code, 'link statistics');
    const width = n + 1;
    await withGpuErrors(gpu, 'reducing link statistics', () => {
      const enc = gpu.device.createCommandEncoder();
      const pass = enc.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(
        0,
        bindBuffers(gpu, pipeline, {
          0: this.uniform,
          1: this.linksBuffer,
          2: this.infoBuffer,
          3: field.paths,
          4: field.interactions,
          5: field.outA,
          6: field.outD,
          7: this.columnsBuffer,
          8: this.statsBuffer,
          9: this.metaBuffer,
        }),
      );
      pass.dispatchWorkgroups(...dispatchGrid(r.count * width, WORKGROUP));
      pass.end();
      gpu.device.queue.submit([enc.finish()]);
    });
    const raw = new Float32Array(await readBack(gpu, this.statsBuffer, 4 * r.count * STAT_COUNT * width));
    const meta = new Uint32Array(await readBack(gpu, this.metaBuffer, 8 * r.count));
    signal?.throwIfAborted();
    const out = emptyLinkStats(r.count, n);
    for (let l = 0; l < r.count; l++) {
      for (let s = 0; s < STAT_COUNT; s++) {
        const o = (l * STAT_COUNT + s) * width;
        out.values[l * STAT_COUNT + s] = raw[o]!;
        for (let k = 0; k < n; k++) out.derivatives[(l * STAT_COUNT + s) * n + k] = raw[o + 1 + k]!;
      }
      out.pathCount[l] = meta[2 * l]!;
      out.reference[l] = meta[2 * l + 1]!;
      out.los[l] = meta[2 * l + 1] === 0 ? 1 : 0;
      out.referenceDelayS[l] = r.referenceDelayS[l]!;
    }
    this.stats.gpuMs += performance.now() - t0;
    if (this.hostLinks.length > 0) {
      // links holding a path the kernel cannot: the host chain for their paths, then the host reduction
      const th = performance.now();
      const f = r.frames;
      const a = new Float64Array(2 * f.pathCount);
      const da = new Float64Array(2 * n * f.pathCount);
      for (const l of this.hostLinks) {
        const first = r.first[l]!;
        evaluateFramesWithDerivatives(f, table, this.columns, n, a, da, first, first + r.length[l]!);
        accumulateLinkStats(out, l, f.frequencyHz, {
          count: r.length[l]!,
          a,
          da,
          offset: first,
          delayS: r.delayS,
          aoaAzimuthDeg: r.aoaAzimuthDeg,
          kind: r.kind,
          referenceDelayS: r.referenceDelayS[l]!,
        });
      }
      this.stats.hostMs += performance.now() - th;
    }
    this.stats.evaluations++;
    return out;
  }

  dispose(): void {
    this.field.destroy();
    for (const b of this.buffers) b.destroy();
  }
}
