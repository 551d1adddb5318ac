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
import { wgslConstants } from '../../gpu/layout.ts';
import turnsSource from '../../gpu/turns.wgsl?raw';
import type { Path } from '../../tracer/path.ts';
import { directionOf, elementCount, elementPositions, worldToLocal } from '../array.ts';
import { type BeamLinkOptions, type BeamPair, tapOrder } from '../beamChannel.ts';
import { BeamResponder, type BeamSet } from '../codebook.ts';
import pairsSource from './beamPairs.wgsl?raw';
import responsesSource from './beamResponses.wgsl?raw';

/**
 * The exhaustive beam-pair search on WebGPU (issue 15): the WGSL port of BeamLink.exhaustive
 * (beamChannel.ts). The host orders each link's paths by tap and phases their coefficients with
 * the same tapOrder as the CPU; beamResponses.wgsl computes every array beam's response at each
 * path's departure and arrival (switched horns: their responses come from the host's
 * BeamResponder, one formula); beamPairs.wgsl evaluates all Nt·Nr pairs of a link in one
 * workgroup and keeps the best. Float32 on the GPU: gains agree with the CPU's float64 to about
 * 1e-6 of the link's best, so on a near-tie the GPU may choose the other pair of two whose gains
 * differ by less than that (tests check the gain it reaches, not the index).
 */
export interface GpuBeamSearchOptions extends BeamLinkOptions {
  /** also return every pair's gain per link (row-major t·Nr + r), for tests */
  gainMatrices?: boolean;
}

export interface GpuBeamSearchResult {
  best: BeamPair[];
  gains?: Float32Array[];
}

/** Links per dispatch: bounds the response buffers (paths × 64 beams × 8 bytes). */
const LINKS_PER_BATCH = 2048;

export async function exhaustiveGpu(
  ctx: GpuContext,
  links: readonly (readonly Path[])[],
  tx: BeamSet,
  rx: BeamSet,
  options: GpuBeamSearchOptions,
): Promise<GpuBeamSearchResult> {
  const best: BeamPair[] = [];
  const gains: Float32Array[] = [];
  for (let start = 0; start < links.length; start += LINKS_PER_BATCH) {
    const part = await searchBatch(ctx, links.slice(start, start + LINKS_PER_BATCH), tx, rx, options);
    best.push(...part.best);
    if (part.gains) gains.push(...part.gains);
  }
  return options.gainMatrices ? { best, gains } : { best };
}

async function searchBatch(
  ctx: GpuContext,
  links: readonly (readonly Path[])[],
  tx: BeamSet,
  rx: BeamSet,
  options: GpuBeamSearchOptions,
): Promise<GpuBeamSearchResult> {
  const nt = tx.beams.length;
  const nr = rx.beams.length;
  const ordered = links.map((paths) => tapOrder(paths, options));
  const total = ordered.reduce((s, o) => s + o.paths.length, 0);
  const coef = new Float32Array(2 * Math.max(1, total));
  const aod = new Float32Array(4 * Math.max(1, total));
  const aoa = new Float32Array(4 * Math.max(1, total));
  const linkWords = new Uint32Array(8 * Math.max(1, links.length));
  const taps: number[] = [];
  let at = 0;
  ordered.forEach((o, l) => {
    coef.set(o.c, 2 * at);
    o.paths.forEach((p, i) => {
      aod.set(directionOf(p.aod.azimuthDeg, p.aod.elevationDeg), 4 * (at + i));
      aoa.set(directionOf(p.aoa.azimuthDeg, p.aoa.elevationDeg), 4 * (at + i));
    });
    linkWords.set(
      [
        at,
        o.paths.length,
        taps.length,
        Math.max(0, o.tapStart.length - 1),
        at + o.diffuseStart,
        l * nt * nr,
        0,
        0,
      ],
      8 * l,
    );
    for (const s of o.tapStart) taps.push(at + s);
    at += o.paths.length;
  });
  return withGpuErrors(ctx, 'beam search', async () => {
    const buffers: GPUBuffer[] = [];
    const keep = <T extends GPUBuffer>(b: T) => {
      buffers.push(b);
      return b;
    };
    try {
      const txResp = keep(responsesOn(ctx, tx, aod, total, keep));
      const rxResp = keep(responsesOn(ctx, rx, aoa, total, keep));
      const pipeline = computePipeline(
        ctx,
        `${wgslConstants({ NT: nt, NR: nr })}${pairsSource}`,
        'beam pairs',
        { WRITE_ALL: options.gainMatrices ? 1 : 0 },
      );
      const out = keep(
        emptyBuffer(ctx, 8 * links.length, 'best pairs', GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC),
      );
      const all = keep(
        emptyBuffer(
          ctx,
          options.gainMatrices ? 4 * links.length * nt * nr : 16,
          'pair gains',
          GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC,
        ),
      );
      const bind = bindBuffers(ctx, pipeline, {
        0: keep(storageBuffer(ctx, linkWords, 'links')),
        1: keep(storageBuffer(ctx, Uint32Array.from(taps.length ? taps : [0]), 'tap bounds')),
        2: keep(storageBuffer(ctx, coef, 'coefficients')),
        3: txResp,
        4: rxResp,
        5: out,
        6: all,
      });
      const enc = ctx.device.createCommandEncoder();
      const pass = enc.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bind);
      const [gx, gy] = dispatchGrid(links.length, 1);
      pass.dispatchWorkgroups(gx, gy);
      pass.end();
      ctx.device.queue.submit([enc.finish()]);
      const raw = await readBack(ctx, out, 8 * links.length);
      const f = new Float32Array(raw);
      const u = new Uint32Array(raw);
      const best: BeamPair[] = links.map((_, l) => ({
        tx: Math.floor(u[2 * l + 1]! / nr),
        rx: u[2 * l + 1]! % nr,
        gain: f[2 * l]!,
        evaluations: nt * nr,
      }));
      if (!options.gainMatrices) return { best };
      const g = new Float32Array(await readBack(ctx, all, 4 * links.length * nt * nr));
      return { best, gains: links.map((_, l) => g.slice(l * nt * nr, (l + 1) * nt * nr)) };
    } finally {
      for (const b of buffers) b.destroy();
    }
  });
}

/** Every beam's response at every path direction (4 floats per path in `dirs`), [path·B + beam]. */
function responsesOn(
  ctx: GpuContext,
  set: BeamSet,
  dirs: Float32Array,
  paths: number,
  keep: (b: GPUBuffer) => GPUBuffer,
): GPUBuffer {
  const beams = set.beams.length;
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC;
  if (set.kind === 'horns') {
    // switched horns: their pattern is evaluated by the host's responder (one formula)
    const responder = new BeamResponder(set);
    const out = new Float64Array(2 * beams * Math.max(1, paths));
    for (let p = 0; p < paths; p++)
      responder.responses([dirs[4 * p]!, dirs[4 * p + 1]!, dirs[4 * p + 2]!], out, 2 * beams * p);
    return storageBuffer(ctx, Float32Array.from(out), 'horn responses');
  }
  const n = elementCount(set.array);
  const pos = elementPositions(set.array);
  const positions = new Float32Array(2 * n);
  for (let k = 0; k < n; k++) {
    positions[2 * k] = pos.y[k]!;
    positions[2 * k + 1] = pos.z[k]!;
  }
  const m = worldToLocal(set.array.element);
  const frame = new Float32Array([m[0]!, m[1]!, m[2]!, 0, m[3]!, m[4]!, m[5]!, 0, m[6]!, m[7]!, m[8]!, 0]);
  const pipeline = computePipeline(
    ctx,
    `${wgslConstants({ PATHS: Math.max(1, paths), BEAMS: beams, ELEMENTS: n })}${turnsSource}${responsesSource}`,
    'beam responses',
  );
  const out = emptyBuffer(ctx, 8 * beams * Math.max(1, paths), 'beam responses', usage);
  const bind = bindBuffers(ctx, pipeline, {
    0: keep(storageBuffer(ctx, dirs, 'path directions')),
    1: keep(storageBuffer(ctx, positions, 'element positions')),
    2: keep(storageBuffer(ctx, Float32Array.from(set.weights), 'beam weights')),
    3: keep(uniformBuffer(ctx, frame, 'array frame')),
    4: out,
  });
  const enc = ctx.device.createCommandEncoder();
  const pass = enc.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bind);
  const [gx, gy] = dispatchGrid(Math.max(1, paths) * beams, 64);
  pass.dispatchWorkgroups(gx, gy);
  pass.end();
  ctx.device.queue.submit([enc.finish()]);
  return out;
}
