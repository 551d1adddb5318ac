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
import type { Scene } from '../../scene/types.ts';
import type { Vec3 } from '../../vec3.ts';
import type { Bvh } from '../bvh.ts';
import { buildCandidates, losPath, tracerTolerances } from '../cpu/candidateSet.ts';
import { type CandidateTrie, type HitRecords, REFLECTION } from '../cpu/candidates.ts';
import { diffractedPaths } from '../cpu/diffraction.ts';
import { scatteredPaths } from '../cpu/scattering.ts';
import { SpecularSolver } from '../cpu/specular.ts';
import {
  checkPoint,
  dedupeAndSort,
  type ResolvedTraceOptions,
  resolveTraceOptions,
  type TraceControl,
  type TracePathsOptions,
} from '../cpu/tracePaths.ts';
import { type TracerGeometry, tracerGeometry } from '../cpu/tracerGeometry.ts';
import type { Wedge } from '../cpu/wedges.ts';
import type { Interaction, PathGeometry } from '../path.ts';
import bvhTraversal from './bvhTraversal.wgsl?raw';
import imageCommon from './imageCommon.wgsl?raw';
import imagePathsKernel from './imagePaths.wgsl?raw';
import pairFilterKernel from './pairFilter.wgsl?raw';
import { kernelSource, type SceneOnGpu, uploadScene } from './sceneBuffers.ts';

/**
 * WebGPU path search with the CPU reference's algorithm and output (tracePaths in
 * cpu/tracePaths.ts), so both give the same path set:
 * 1. Candidate trie per transmitter on the host, by the reference's own code (exhaustive
 *    enumeration + rays shot on the Fibonacci sphere): cheap, once per transmitter.
 * 2. On the GPU (imagePaths.wgsl), every (candidate, receiver) pair in one dispatch per tile:
 *    image-method points, in-face and side tests, BVH visibility of every segment, LoS (node 0).
 *    Pairs f32 cannot decide (within its rounding error of a boundary) come back as
 *    "undecided" and are solved on the host in float64 by the reference's SpecularSolver.
 * 3. The GPU decides which pairs are paths; the points of each accepted path are recomputed in
 *    float64 on the host from the exact transmitter images (O(depth) per path, no ray casting),
 *    and lengths (delays) summed in float64 from them. The kernel's own f32 points agree within
 *    ~4e-5 m (0.14 ps) on simple_street_canyon, but on a 1 cm segment between two bounces that
 *    error tilts the directions enough to move a gain by ~0.02 dB.
 * Diffuse scattering and diffraction, when enabled, are added on the host by the reference code
 * (they are not ported to WGSL); the GPU does LoS, reflections and transmissions.
 */
export interface GpuTraceStats {
  candidates: number;
  pairs: number;
  /** pairs that passed the last-point filter (pass 1) */
  survivors: number;
  /** pairs the GPU accepted */
  gpuValid: number;
  /** pairs the GPU could not decide in f32, solved on the host */
  undecided: number;
  dispatches: number;
  /** wall time of the phases (ms) */
  candidatesMs: number;
  gpuMs: number;
  hostMs: number;
}

export interface GpuTraceResult {
  paths: PathGeometry[][];
  stats: GpuTraceStats;
}

/** Upper bound on (candidate × receiver) pairs per dispatch (keeps buffers and watchdogs small). */
const MAX_PAIRS_PER_DISPATCH = 1 << 21;

const scenes = new WeakMap<GPUDevice, WeakMap<Bvh, SceneOnGpu>>();

/** The scene's buffers on this device (uploaded once per device and BVH). */
export function sceneOnGpu(ctx: GpuContext, scene: Scene, bvh: Bvh): SceneOnGpu {
  let m = scenes.get(ctx.device);
  if (!m) {
    m = new WeakMap();
    scenes.set(ctx.device, m);
  }
  let s = m.get(bvh);
  if (!s) {
    s = uploadScene(ctx, scene, bvh);
    m.set(bvh, s);
  }
  return s;
}

/** The trie as the kernel reads it: 2 vec4 per node (image, parent), (face, type, depth). */
function packCandidates(trie: CandidateTrie, images: Float64Array): Float32Array {
  const n = trie.size;
  const out = new Float32Array(8 * n);
  const ints = new Int32Array(out.buffer);
  for (let i = 0; i < n; i++) {
    out[8 * i] = images[3 * i]!;
    out[8 * i + 1] = images[3 * i + 1]!;
    out[8 * i + 2] = images[3 * i + 2]!;
    ints[8 * i + 3] = Math.max(0, trie.parent[i]!);
    ints[8 * i + 4] = Math.max(0, trie.face[i]!);
    ints[8 * i + 5] = Math.max(0, trie.type[i]!);
    ints[8 * i + 6] = trie.depth[i]!;
  }
  return out;
}

/**
 * A transmitter prepared for the GPU: candidate trie (built once), its upload, and the host-side
 * pieces (scattering records, wedges). `trace` can then be called for any number of receiver
 * tiles (radio maps) without rebuilding candidates.
 */
export class GpuPathTracer {
  private constructor(
    private readonly ctx: GpuContext,
    private readonly scene: Scene,
    private readonly bvh: Bvh,
    private readonly tx: Vec3,
    private readonly o: ResolvedTraceOptions,
    private readonly g: TracerGeometry,
    private readonly trie: CandidateTrie,
    private readonly solver: SpecularSolver,
    private readonly records: HitRecords | null,
    private readonly scatterFace: Uint8Array | null,
    private readonly specularOn: boolean,
    private readonly wedges: Wedge[],
    private readonly tol: number,
    private readonly occlusionEps: number,
    private candidates: GPUBuffer | undefined,
    /** candidate sequences (trie nodes without the LoS root) */
    readonly candidateCount: number,
    /** time spent building candidates (ms) */
    readonly candidatesMs: number,
    /** longest candidate (interactions) */
    private readonly maxDepth: number,
  ) {}

  static create(
    ctx: GpuContext,
    scene: Scene,
    bvh: Bvh,
    tx: Vec3,
    options: TracePathsOptions = {},
    signal?: AbortSignal,
  ): GpuPathTracer {
    checkPoint(tx, 'transmitter position');
    const o = resolveTraceOptions(options);
    const t0 = performance.now();
    const g = tracerGeometry(scene, bvh);
    // the reference's tolerances, so undecided pairs are settled the same way
    const { tol, occlusionEps } = tracerTolerances(g);
    signal?.throwIfAborted();
    // the reference's own candidates (the same function), so both give the same path set
    const { trie, records, scatterFace, specularOn, wedges } = buildCandidates(g, tx, o, { signal });
    let maxDepth = 0;
    for (let i = 0; i < trie.size; i++) maxDepth = Math.max(maxDepth, trie.depth[i]!);
    if (maxDepth > 12)
      throw new RangeError(`the WebGPU tracer supports up to 12 interactions, got ${maxDepth}`);
    const solver = new SpecularSolver(g, tx, trie, tol, occlusionEps);
    const candidates = storageBuffer(ctx, packCandidates(trie, solver.images), 'candidates');
    return new GpuPathTracer(
      ctx,
      scene,
      bvh,
      tx,
      o,
      g,
      trie,
      solver,
      records,
      scatterFace,
      specularOn,
      wedges,
      tol,
      occlusionEps,
      candidates,
      trie.size - 1,
      performance.now() - t0,
      maxDepth,
    );
  }

  /** The scene on the device and both kernels, specialised for this tracer's deepest candidate. */
  private kernels(): GpuKernels {
    const gpuScene = sceneOnGpu(this.ctx, this.scene, this.bvh);
    const lib = `${bvhTraversal}\n${imageCommon}`;
    return {
      scene: gpuScene,
      filter: computePipeline(
        this.ctx,
        kernelSource(`${lib}\n${pairFilterKernel}`, gpuScene.packed, this.maxDepth),
        'pairFilter',
      ),
      solve: computePipeline(
        this.ctx,
        kernelSource(`${lib}\n${imagePathsKernel}`, gpuScene.packed, this.maxDepth),
        'imagePaths',
      ),
      // f32 rounding of a position, with margin
      posErr: 4 * 2 ** -23 * gpuScene.packed.maxCoordinate,
      // record: header + one vec4 per interaction
      stride: 1 + Math.max(1, this.maxDepth),
    };
  }

  private newStats(): GpuTraceStats {
    return {
      candidates: this.candidateCount,
      pairs: 0,
      survivors: 0,
      gpuValid: 0,
      undecided: 0,
      dispatches: 0,
      candidatesMs: this.candidatesMs,
      gpuMs: 0,
      hostMs: 0,
    };
  }

  /**
   * One dispatch of (candidate, receiver) pairs whose receivers are rxList[r0 …]: records sized
   * by a guess first (valid pairs are few), run again with the exact size on overflow; the
   * records become paths in result.
   */
  private async solvePairs(
    k: GpuKernels,
    rxBuf: GPUBuffer,
    pairs: Pick<ImagePathsParams, 'nodeOffset' | 'nodeCount' | 'rxCount' | 'grid'>,
    pairCount: number,
    r0: number,
    rxList: readonly Vec3[],
    result: PathGeometry[][],
    stats: GpuTraceStats,
  ): Promise<void> {
    if (!this.candidates) throw new Error('GpuPathTracer used after destroy()');
    const { ctx, g, trie, solver, tx, tol, occlusionEps } = this;
    stats.pairs += pairCount;
    let capacity = Math.min(pairCount, Math.max(4096, pairs.rxCount * 64));
    for (;;) {
      const tg = performance.now();
      const out = await runImagePaths(ctx, k, this.candidates, rxBuf, {
        ...pairs,
        tx,
        stride: k.stride,
        capacity,
        tol,
        posErr: k.posErr,
        eps: occlusionEps,
      });
      stats.dispatches++;
      stats.gpuMs += performance.now() - tg;
      stats.survivors += out.survivors;
      if (out.count > capacity) {
        capacity = out.count;
        continue;
      }
      const th = performance.now();
      collect(out, r0, rxList, trie, g, solver, tx, k.stride, occlusionEps, result, stats);
      stats.hostMs += performance.now() - th;
      return;
    }
  }

  destroy(): void {
    this.candidates?.destroy();
    this.candidates = undefined;
  }

  /** Paths to every receiver, as the reference's tracePaths; progress per receiver tile. */
  async trace(rxList: readonly Vec3[], control: TraceControl = {}): Promise<GpuTraceResult> {
    rxList.forEach((p, i) => {
      checkPoint(p, `receiver ${i} position`);
    });
    if (!this.candidates) throw new Error('GpuPathTracer used after destroy()');
    const { ctx, o, trie } = this;
    const signal = control.signal;
    const report = control.onProgress ?? (() => {});
    const stats = this.newStats();
    // nodes the GPU solves: 0 (LoS) when wanted, then every candidate when specular is on
    const firstNode = o.los ? 0 : 1;
    const lastNode = this.specularOn ? trie.size : 1;
    const nodeCount = Math.max(0, lastNode - firstNode);
    const result: PathGeometry[][] = rxList.map(() => []);

    if (nodeCount > 0 && rxList.length > 0) {
      const kernels = this.kernels();
      // tiles: receivers × node ranges so that one dispatch stays under MAX_PAIRS_PER_DISPATCH
      const rxPerTile = Math.max(
        1,
        Math.min(
          rxList.length,
          Math.floor(MAX_PAIRS_PER_DISPATCH / Math.min(nodeCount, MAX_PAIRS_PER_DISPATCH)),
        ),
      );
      const nodesPerDispatch = Math.max(
        1,
        Math.min(nodeCount, Math.floor(MAX_PAIRS_PER_DISPATCH / rxPerTile)),
      );
      for (let r0 = 0; r0 < rxList.length; r0 += rxPerTile) {
        signal?.throwIfAborted();
        const rxCount = Math.min(rxPerTile, rxList.length - r0);
        const rxData = new Float32Array(4 * rxCount);
        for (let i = 0; i < rxCount; i++) rxData.set(rxList[r0 + i]!, 4 * i);
        const rxBuf = storageBuffer(ctx, rxData, 'receivers');
        try {
          for (let n0 = firstNode; n0 < lastNode; n0 += nodesPerDispatch) {
            const nCount = Math.min(nodesPerDispatch, lastNode - n0);
            await this.solvePairs(
              kernels,
              rxBuf,
              { nodeOffset: n0, nodeCount: nCount, rxCount },
              nCount * rxCount,
              r0,
              rxList,
              result,
              stats,
            );
          }
        } finally {
          rxBuf.destroy();
        }
        report({ phase: 'receivers', done: r0 + rxCount, total: rxList.length });
      }
    }
    this.finish(rxList, result, stats);
    return { paths: result, stats };
  }

  /** Host-side additions (not ported to WGSL) and the reference's dedupe + order. */
  private finish(rxList: readonly Vec3[], result: PathGeometry[][], stats: GpuTraceStats): void {
    const { o, g, tx, tol, occlusionEps, scatterFace } = this;
    const th = performance.now();
    for (let r = 0; r < rxList.length; r++) {
      const rx = rxList[r]!;
      const paths = result[r]!;
      if (this.records && scatterFace)
        scatteredPaths(g, this.records, rx, scatterFace, o.maxDepth, tol, occlusionEps, paths);
      if (this.wedges.length > 0) diffractedPaths(g, this.wedges, tx, rx, occlusionEps, paths);
      result[r] = dedupeAndSort(paths);
    }
    stats.hostMs += performance.now() - th;
  }

  /**
   * Paths to the receivers at the centres of grid rows [rowStart, rowEnd) (radio maps). Same
   * result as trace() on those receivers, but each candidate is only solved for the rectangle of
   * cells its last face can reach: the face seen from the candidate's transmitter image,
   * projected onto the receiver plane (bounding box plus a cell of margin). That skips most pairs.
   */
  async traceGrid(
    grid: ReceiverGrid,
    rowStart: number,
    rowEnd: number,
    control: TraceControl = {},
  ): Promise<GpuTraceResult> {
    if (!this.candidates) throw new Error('GpuPathTracer used after destroy()');
    const { ctx, o, g, trie, solver, tol } = this;
    const rows = rowEnd - rowStart;
    if (!(rows > 0) || rowStart < 0 || rowEnd > grid.ny || grid.nx > 65535 || rows > 65535) {
      throw new RangeError(
        `grid rows ${rowStart}…${rowEnd} outside 0…${grid.ny} (or a grid wider than 65535 cells)`,
      );
    }
    const rxList: Vec3[] = [];
    for (let iy = rowStart; iy < rowEnd; iy++) {
      for (let ix = 0; ix < grid.nx; ix++)
        rxList.push([grid.xmin + (ix + 0.5) * grid.cellSize, grid.ymin + (iy + 0.5) * grid.cellSize, grid.z]);
    }
    const stats = this.newStats();
    const result: PathGeometry[][] = rxList.map(() => []);
    const firstNode = o.los ? 0 : 1;
    const lastNode = this.specularOn ? trie.size : 1;
    const th0 = performance.now();
    // margin: the reference's tolerance plus rounding, far below a cell
    const work = reachableRectangles(
      g,
      trie,
      solver.images,
      grid,
      rowStart,
      rowEnd,
      firstNode,
      lastNode,
      tol + 1e-9 * g.size,
    );
    stats.hostMs += performance.now() - th0;
    const kernels = this.kernels();
    const rxData = new Float32Array(4 * rxList.length);
    for (let i = 0; i < rxList.length; i++) rxData.set(rxList[i]!, 4 * i);
    const rxBuf = storageBuffer(ctx, rxData, 'grid receivers');
    try {
      let e0 = 0;
      while (e0 < work.count) {
        control.signal?.throwIfAborted();
        // entries of one dispatch: up to MAX_PAIRS_PER_DISPATCH pairs
        let e1 = e0;
        let pairs = 0;
        while (e1 < work.count && (e1 === e0 || pairs + work.pairs[e1]! <= MAX_PAIRS_PER_DISPATCH))
          pairs += work.pairs[e1++]!;
        const entries = new Uint32Array(4 * (e1 - e0));
        for (let e = e0; e < e1; e++) {
          const k = 4 * (e - e0);
          entries[k] = work.node[e]!;
          entries[k + 1] = work.ix0[e]! | ((work.iy0[e]! - rowStart) << 16);
          entries[k + 2] = work.width[e]!;
          entries[k + 3] = work.pairs[e]! / work.width[e]!;
        }
        await this.solvePairs(
          kernels,
          rxBuf,
          {
            nodeOffset: 0,
            nodeCount: 0,
            rxCount: rxList.length,
            grid: { nx: grid.nx, work: entries, pairs },
          },
          pairs,
          0,
          rxList,
          result,
          stats,
        );
        e0 = e1;
      }
    } finally {
      rxBuf.destroy();
    }
    this.finish(rxList, result, stats);
    return { paths: result, stats };
  }
}

/**
 * Trace paths from `tx` to every receiver on the GPU; same options and same result as the CPU
 * reference `tracePaths`, plus statistics.
 */
export async function tracePathsGpu(
  ctx: GpuContext,
  scene: Scene,
  bvh: Bvh,
  tx: Vec3,
  rxList: readonly Vec3[],
  options: TracePathsOptions = {},
  control: TraceControl = {},
): Promise<GpuTraceResult> {
  const tracer = GpuPathTracer.create(ctx, scene, bvh, tx, options, control.signal);
  try {
    return await tracer.trace(rxList, control);
  } finally {
    tracer.destroy();
  }
}

/** The scene on the device, both kernels, and the constants that go with them. */
interface GpuKernels {
  scene: SceneOnGpu;
  filter: GPUComputePipeline;
  solve: GPUComputePipeline;
  posErr: number;
  /** vec4s per record */
  stride: number;
}

interface ImagePathsOutput {
  count: number;
  records: Float32Array;
  /** pairs that passed the last-point filter */
  survivors: number;
}

interface ImagePathsParams {
  tx: Vec3;
  nodeOffset: number;
  nodeCount: number;
  rxCount: number;
  stride: number;
  capacity: number;
  tol: number;
  posErr: number;
  eps: number;
  /** grid mode: cells per row, work entries, their total pairs */
  grid?: { nx: number; work: Uint32Array; pairs: number };
}

function paramsBlock(p: ImagePathsParams, pairCount: number): Float32Array {
  const f = new Float32Array(16);
  const u = new Uint32Array(f.buffer);
  f.set(p.tx, 0);
  u[4] = p.nodeCount;
  u[5] = p.rxCount;
  u[6] = p.stride;
  u[7] = p.capacity;
  f[8] = p.tol;
  f[9] = p.posErr;
  f[10] = p.eps;
  u[11] = p.nodeOffset;
  u[12] = p.grid ? 1 : 0;
  u[13] = p.grid?.nx ?? 0;
  u[14] = p.grid ? p.grid.work.length / 4 : 0;
  u[15] = pairCount;
  return f;
}

function dispatch(
  ctx: GpuContext,
  pipeline: GPUComputePipeline,
  buffers: Record<number, GPUBuffer>,
  threads: number,
): void {
  const enc = ctx.device.createCommandEncoder();
  const pass = enc.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindBuffers(ctx, pipeline, buffers));
  pass.dispatchWorkgroups(...dispatchGrid(threads, 64));
  pass.end();
  ctx.device.queue.submit([enc.finish()]);
}

/**
 * Two passes: pairFilter.wgsl keeps the pairs whose last point can lie in its face, then
 * imagePaths.wgsl solves those; returns the records (capacity permitting) and their count.
 */
async function runImagePaths(
  ctx: GpuContext,
  k: GpuKernels,
  candidates: GPUBuffer,
  rxBuf: GPUBuffer,
  p: ImagePathsParams,
): Promise<ImagePathsOutput> {
  // grid mode: one workgroup of 64 lanes per work entry (a block of ≤ 8×8 cells)
  const threads = p.grid ? 16 * p.grid.work.length : p.nodeCount * p.rxCount;
  const pass1 = await withGpuErrors(ctx, 'tracing paths (pairFilter kernel)', () => {
    const paramBuf = uniformBuffer(ctx, paramsBlock(p, p.grid?.pairs ?? 0), 'pairFilter params');
    const counter = storageBuffer(ctx, new Uint32Array(4), 'survivor counter', GPUBufferUsage.COPY_SRC);
    const survivors = emptyBuffer(ctx, 8 * threads, 'survivors', GPUBufferUsage.STORAGE);
    const work = storageBuffer(ctx, p.grid ? p.grid.work : new Uint32Array(4), 'grid work');
    dispatch(
      ctx,
      k.filter,
      {
        2: k.scene.faces,
        3: k.scene.faceEdges,
        4: paramBuf,
        5: candidates,
        6: rxBuf,
        7: counter,
        8: survivors,
        9: work,
      },
      threads,
    );
    return { paramBuf, counter, survivors, work };
  });
  try {
    const survivorCount = Math.min(threads, new Uint32Array(await readBack(ctx, pass1.counter, 4))[0]!);
    if (survivorCount === 0) return { count: 0, records: new Float32Array(0), survivors: 0 };
    const recordBytes = 16 * p.stride * p.capacity;
    const bufs = await withGpuErrors(ctx, 'tracing paths (imagePaths kernel)', () => {
      const paramBuf = uniformBuffer(ctx, paramsBlock(p, survivorCount), 'imagePaths params');
      const counter = storageBuffer(ctx, new Uint32Array(4), 'record counter', GPUBufferUsage.COPY_SRC);
      const records = emptyBuffer(
        ctx,
        recordBytes,
        'path records',
        GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC,
      );
      dispatch(
        ctx,
        k.solve,
        {
          0: k.scene.nodes,
          1: k.scene.triangles,
          2: k.scene.faces,
          3: k.scene.faceEdges,
          4: paramBuf,
          5: candidates,
          6: rxBuf,
          7: counter,
          8: records,
          9: pass1.survivors,
        },
        survivorCount,
      );
      return { paramBuf, counter, records };
    });
    try {
      const count = new Uint32Array(await readBack(ctx, bufs.counter, 4))[0]!;
      const n = Math.min(count, p.capacity);
      const records =
        n > 0 ? new Float32Array(await readBack(ctx, bufs.records, 16 * p.stride * n)) : new Float32Array(0);
      return { count, records, survivors: survivorCount };
    } finally {
      for (const b of Object.values(bufs)) b.destroy();
    }
  } finally {
    for (const b of Object.values(pass1)) b.destroy();
  }
}

/** Receivers on a horizontal grid (the fields of radiomap's RadioMapGrid the tracer needs). */
export interface ReceiverGrid {
  xmin: number;
  ymin: number;
  cellSize: number;
  nx: number;
  ny: number;
  z: number;
}

/** Growable Uint32 column. */
class U32List {
  data = new Uint32Array(1024);
  length = 0;
  push(x: number): void {
    if (this.length === this.data.length) {
      const d = new Uint32Array(2 * this.data.length);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length++] = x;
  }
}

/** Receiver blocks are BLOCK × BLOCK cells: one culling test on the host stands for 64 pairs. */
const BLOCK = 8;

/**
 * Work entries (node, rectangle of cells) for grid rows rowStart…rowEnd−1: each candidate node
 * is kept only for the blocks of cells where its last interaction can exist. The last point is
 * where the line from the node's transmitter image I to the receiver crosses the plane of the
 * last face, strictly between them. For a block (a horizontal rectangle at height z):
 * - if every corner is on I's side of that plane (beyond the tolerance), no receiver of the
 *   block has a crossing: skip;
 * - if every corner is on the other side, the crossings of the block's receivers fill the
 *   central projection of the block from I onto the plane, the convex hull of the projected
 *   corners; if its bounding box misses the face's bounding box (plus margin): skip;
 * - otherwise (corners on both sides) keep the block.
 * Conservative by construction: no pair the reference would accept is skipped. The whole tile
 * is tested first, so nodes that cannot reach it cost one test.
 */
function reachableRectangles(
  g: TracerGeometry,
  trie: CandidateTrie,
  images: Float64Array,
  grid: ReceiverGrid,
  rowStart: number,
  rowEnd: number,
  firstNode: number,
  lastNode: number,
  margin: number,
) {
  const node = new U32List();
  const ix0 = new U32List();
  const iy0 = new U32List();
  const width = new U32List();
  const pairs = new U32List();
  const c = grid.cellSize;
  const z = grid.z;
  const push = (v: number, xa: number, xb: number, ya: number, yb: number) => {
    node.push(v);
    ix0.push(xa);
    iy0.push(ya);
    width.push(xb - xa + 1);
    pairs.push((xb - xa + 1) * (yb - ya + 1));
  };
  const fp = g.facePlane;
  const fb = g.faceBounds;
  // whether receivers with centres in [x0,x1]×[y0,y1] at height z can have a last point on face f
  const reachable = (
    f: number,
    ix: number,
    iy: number,
    iz: number,
    x0: number,
    x1: number,
    y0: number,
    y1: number,
  ): boolean => {
    const nx = fp[4 * f]!,
      ny = fp[4 * f + 1]!,
      nz = fp[4 * f + 2]!,
      off = fp[4 * f + 3]!;
    const dI = nx * ix + ny * iy + nz * iz - off;
    if (Math.abs(dI) <= margin) return true;
    let same = 0;
    let lo0 = Infinity,
      lo1 = Infinity,
      lo2 = Infinity,
      hi0 = -Infinity,
      hi1 = -Infinity,
      hi2 = -Infinity;
    for (let k = 0; k < 4; k++) {
      const x = k & 1 ? x1 : x0;
      const y = k & 2 ? y1 : y0;
      const d = nx * x + ny * y + nz * z - off;
      if (d * dI > 0 && Math.abs(d) > margin) {
        same++;
        continue;
      }
      if (Math.abs(d) <= margin || Math.abs(dI - d) <= margin) return true;
      const s = dI / (dI - d);
      const px = ix + s * (x - ix),
        py = iy + s * (y - iy),
        pz = iz + s * (z - iz);
      lo0 = Math.min(lo0, px);
      hi0 = Math.max(hi0, px);
      lo1 = Math.min(lo1, py);
      hi1 = Math.max(hi1, py);
      lo2 = Math.min(lo2, pz);
      hi2 = Math.max(hi2, pz);
    }
    if (same === 4) return false;
    if (same > 0) return true;
    const b = 6 * f;
    return !(
      hi0 < fb[b]! - margin ||
      hi1 < fb[b + 1]! - margin ||
      hi2 < fb[b + 2]! - margin ||
      lo0 > fb[b + 3]! + margin ||
      lo1 > fb[b + 4]! + margin ||
      lo2 > fb[b + 5]! + margin
    );
  };
  // receiver centres span [xmin + c/2, xmin + (nx − ½)c]; blocks likewise
  const cx = (i: number) => grid.xmin + (i + 0.5) * c;
  const cy = (i: number) => grid.ymin + (i + 0.5) * c;
  for (let v = firstNode; v < lastNode; v++) {
    const f = v === 0 ? -1 : trie.face[v]!;
    const ix = images[3 * v]!,
      iy = images[3 * v + 1]!,
      iz = images[3 * v + 2]!;
    // the LoS node (v = 0) reaches every cell; it is split into blocks like the others
    if (v > 0 && !reachable(f, ix, iy, iz, cx(0), cx(grid.nx - 1), cy(rowStart), cy(rowEnd - 1))) continue;
    for (let by = rowStart; by < rowEnd; by += BLOCK) {
      const ye = Math.min(rowEnd, by + BLOCK) - 1;
      for (let bx = 0; bx < grid.nx; bx += BLOCK) {
        const xe = Math.min(grid.nx, bx + BLOCK) - 1;
        if (v === 0 || reachable(f, ix, iy, iz, cx(bx), cx(xe), cy(by), cy(ye))) push(v, bx, xe, by, ye);
      }
    }
  }
  return {
    count: node.length,
    node: node.data,
    ix0: ix0.data,
    iy0: iy0.data,
    width: width.data,
    pairs: pairs.data,
  };
}

/** Turn kernel records into paths; undecided pairs are solved by the reference in float64. */
function collect(
  out: ImagePathsOutput,
  r0: number,
  rxList: readonly Vec3[],
  trie: CandidateTrie,
  g: TracerGeometry,
  solver: SpecularSolver,
  tx: Vec3,
  stride: number,
  occlusionEps: number,
  result: PathGeometry[][],
  stats: GpuTraceStats,
): void {
  const ints = new Uint32Array(out.records.buffer, out.records.byteOffset, out.records.length);
  const n = out.records.length / (4 * stride);
  for (let i = 0; i < n; i++) {
    const base = 4 * stride * i;
    const node = ints[base]!;
    const r = r0 + ints[base + 1]!;
    const status = ints[base + 2]!;
    const rx = rxList[r]!;
    const paths = result[r]!;
    if (status === 2) {
      stats.undecided++;
      if (node === 0) {
        const los = losPath(g, tx, rx, occlusionEps);
        if (los) paths.push(los);
      } else {
        const p = solver.solve(node, rx);
        if (p) paths.push(p);
      }
      continue;
    }
    stats.gpuValid++;
    const depth = trie.depth[node]!;
    const faces: number[] = new Array(depth);
    const types: number[] = new Array(depth);
    for (let k = depth - 1, v = node; k >= 0; k--, v = trie.parent[v]!) {
      faces[k] = trie.face[v]!;
      types[k] = trie.type[v]!;
    }
    // the accepted path's points again in float64 from the exact transmitter images: O(depth),
    // no visibility work; f32 points (error ~1e-5 m) would tilt short segments between two
    // bounces enough to move a gain by 0.02 dB
    const points = refinePoints(g, solver.images, trie, node, rx, depth, out.records, base);
    const interactions: Interaction[] = [];
    let prev: Vec3 = tx;
    let length = 0;
    for (let k = 0; k < depth; k++) {
      const point = points[k]!;
      length += Math.hypot(point[0] - prev[0], point[1] - prev[1], point[2] - prev[2]);
      prev = point;
      interactions.push({
        type: types[k] === REFLECTION ? 'reflection' : 'transmission',
        objectIndex: g.faceObject[faces[k]!]!,
        faceIndex: faces[k]!,
        point,
      });
    }
    length += Math.hypot(rx[0] - prev[0], rx[1] - prev[1], rx[2] - prev[2]);
    paths.push({ kind: depth === 0 ? 'los' : 'specular', interactions, length });
  }
}

/**
 * Interaction points of an accepted candidate in float64: Pₖ = (line Iₖ → Pₖ₊₁) ∩ plane(fₖ)
 * backwards from the receiver, as SpecularSolver. Falls back to the GPU's point if the f64
 * intersection degenerates (it cannot for a path the GPU accepted away from boundaries).
 */
function refinePoints(
  g: TracerGeometry,
  images: Float64Array,
  trie: CandidateTrie,
  node: number,
  rx: Vec3,
  depth: number,
  records: Float32Array,
  base: number,
): Vec3[] {
  const points: Vec3[] = new Array(depth);
  let q: Vec3 = rx;
  for (let k = depth - 1, v = node; k >= 0; k--, v = trie.parent[v]!) {
    const f = trie.face[v]!;
    const nx = g.facePlane[4 * f]!,
      ny = g.facePlane[4 * f + 1]!,
      nz = g.facePlane[4 * f + 2]!,
      off = g.facePlane[4 * f + 3]!;
    const ix = images[3 * v]!,
      iy = images[3 * v + 1]!,
      iz = images[3 * v + 2]!;
    const dI = nx * ix + ny * iy + nz * iz - off;
    const dQ = nx * q[0] + ny * q[1] + nz * q[2] - off;
    const o = base + 4 * (k + 1);
    if (dI === dQ) {
      points[k] = [records[o]!, records[o + 1]!, records[o + 2]!];
    } else {
      const s = dI / (dI - dQ);
      points[k] = [ix + s * (q[0] - ix), iy + s * (q[1] - iy), iz + s * (q[2] - iz)];
    }
    q = points[k]!;
  }
  return points;
}
