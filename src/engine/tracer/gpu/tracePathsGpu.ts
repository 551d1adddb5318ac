import { norm3 } from '../../core/norm.ts';
import type { Vec3 } from '../../core/vec3.ts';
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
import type { Bvh } from '../bvh.ts';
import { beamContains, type CandidateBeams, footprintRow } from '../cpu/beams.ts';
import { buildCandidates, losPath, tracerTolerances } from '../cpu/candidateSet.ts';
import { type CandidateTrie, type HitRecords, REFLECTION } from '../cpu/candidates.ts';
import { EdgeDiffraction } from '../cpu/diffraction.ts';
import { BeyondTree, type SearchReport } from '../cpu/receiverSearch.ts';
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
import { gridCells, type ReceiverGrid } from '../gridCells.ts';
import type { Interaction, PathGeometry } from '../path.ts';
import { BeamShadows, markConeBits, markShadowedCells } from './beamShadows.ts';
import bvhTraversal from './bvhTraversal.wgsl?raw';
import imageCommon from './imageCommon.wgsl?raw';
import imagePathsKernel from './imagePaths.wgsl?raw';
import pairFilterKernel from './pairFilter.wgsl?raw';
import { kernelSource, type SceneOnGpu, uploadScene } from './sceneBuffers.ts';

/**
 * WebGPU path search with the CPU reference's algorithm and output (tracePaths in
 * cpu/tracePaths.ts), so both give the same path set:
 * 1. Candidate tree per transmitter on the host, by the reference's own code (the beam tree,
 *    cpu/beamTree.ts, within its budget), once per transmitter; what lies beyond the tree's
 *    depth (receiver trees met in the middle, shot rays) is solved on the host per receiver by
 *    the reference's cpu/receiverSearch.ts.
 * 2. Culling on the host, in float64 with a margin, so that no path of the reference is lost:
 *    - beams (cpu/beams.ts, built with the tree): the cone each candidate's reflections and
 *      transmissions can send energy into; only receivers inside it are listed (radio maps:
 *      its footprint per grid row);
 *    - shadows (beamShadows.ts, per candidate with many receivers): where a triangle certainly
 *      blocks one of its segments, those pairs are dropped; where no triangle can touch a
 *      segment, that segment is proven clear and the GPU skips its visibility test.
 * 3. On the GPU, the listed pairs in dispatches of bounded size: pairFilter.wgsl (image-method
 *    points, in-face and side tests, all in registers) accepts the pairs whose geometry is
 *    certain and whose segments were all proven clear, and passes the others that may be paths
 *    to imagePaths.wgsl (the same tests and BVH visibility of the segments not proven clear;
 *    LoS is node 0).
 *    Pairs f32 cannot decide (within its rounding error of a boundary) come back as
 *    "undecided" and are solved on the host in float64 by the reference's SpecularSolver.
 * 4. The GPU decides which pairs are paths; the points of each accepted path are recomputed in
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
  /** pairs inside a beam but in one of its shadows (blocked for certain: not dispatched) */
  shadowed: number;
  /** pairs that passed the last-point filter (pass 1) */
  survivors: number;
  /** pairs the GPU accepted */
  gpuValid: number;
  /** of those, accepted by pass 1 alone (certain geometry, every segment proven clear on the host) */
  accepted: number;
  /** pairs the GPU could not decide in f32, solved on the host */
  undecided: number;
  dispatches: number;
  /** wall time of the phases (ms) */
  candidatesMs: number;
  /** beam culling: beams (once per transmitter, counted in the first call) + listing the pairs */
  cullingMs: number;
  gpuMs: number;
  /** of gpuMs: pass 1 (pairFilter: upload, dispatch, survivor count back) and pass 2 (imagePaths) */
  filterMs: number;
  solveMs: number;
  hostMs: number;
}

export interface GpuTraceResult {
  paths: PathGeometry[][];
  /** per receiver: how completely its specular paths were searched (as the CPU reference) */
  reports: SearchReport[];
  stats: GpuTraceStats;
}

/** Upper bound on (candidate, receiver) pairs per dispatch (keeps buffers and watchdogs small). */
const MAX_PAIRS_PER_DISPATCH = 1 << 21;
/** Receivers of one trace() / traceGrid() pass: a node's pairs then fit one dispatch. */
const MAX_RECEIVERS_PER_CALL = MAX_PAIRS_PER_DISPATCH >> 1;

/** Sum of two calls' statistics (the candidate count is the tracer's, not summed). */
function addStats(a: GpuTraceStats, b: GpuTraceStats): GpuTraceStats {
  const out = { ...a };
  for (const k of Object.keys(b) as (keyof GpuTraceStats)[]) if (k !== 'candidates') out[k] += b[k];
  return out;
}

/**
 * Receivers in a candidate's beam from which trace() computes the candidate's shadows: a node's
 * shadows cost ~0.3 ms on the host, a pair on SwiftShader ~20 µs, so links (a few receivers per
 * beam) go to the GPU whole.
 */
const SHADOWS_FROM = 64;
/** Cells of a tile in a candidate's footprint from which traceGrid() uses its shadows. */
const SHADOWS_FROM_CELLS = 24;
/** Path records one dispatch holds at first (a record is 16 bytes per interaction + 16). */
const MAX_RECORDS = 1 << 18;

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

/** Trie nodes [0, n) as the kernel reads them: 2 vec4 per node (image, parent), (face, type, depth). */
function packCandidates(trie: CandidateTrie, images: Float64Array, n: number): Float32Array {
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
    private readonly beams: CandidateBeams,
    /** time spent building the beams (ms), reported once in the first call's cullingMs */
    private beamsMs: number,
    /** the search beyond the transmitter's tree, on the host (as the CPU reference) */
    private readonly beyond: BeyondTree,
  ) {}

  /** The diffraction search from this transmitter, kept across calls (it learns which edges are hidden). */
  private edges: EdgeDiffraction | undefined;

  /** Shadows and clear-segment masks for receivers in `box` (kept while the box is the same). */
  private shadows: BeamShadows | undefined;
  private shadowsFor(box: number[]): BeamShadows {
    const s = this.shadows;
    if (s?.receivers.every((x, i) => x === box[i])) return s;
    this.shadows = new BeamShadows(this.g, this.trie, this.solver.images, this.beams, box);
    return this.shadows;
  }

  static create(
    ctx: GpuContext,
    scene: Scene,
    bvh: Bvh,
    tx: Vec3,
    options: TracePathsOptions = {},
    signal?: AbortSignal,
  ): GpuPathTracer {
    checkPoint(tx, 'transmitter position');
    // the kernel culls by every node's beam and shadows: the tree always gets its last level's
    const o = resolveTraceOptions({ ...options, lastLevelBeams: true });
    const t0 = performance.now();
    const g = tracerGeometry(scene, bvh);
    // the reference's tolerances, so undecided pairs are settled the same way
    const { tol, occlusionEps } = tracerTolerances(g);
    signal?.throwIfAborted();
    // the reference's own candidates (the same function), so both give the same path set; the
    // GPU solves the transmitter's tree, the host what lies beyond it (receiverSearch.ts)
    const c = buildCandidates(g, tx, o, { signal });
    const { records, scatterFace, specularOn, wedges } = c;
    const trie = c.tree.trie;
    const gpuNodes = c.tree.completeSize;
    let maxDepth = 0;
    for (let i = 0; i < gpuNodes; i++) maxDepth = Math.max(maxDepth, trie.depth[i]!);
    if (maxDepth > 12)
      throw new RangeError(`the WebGPU tracer supports up to 12 interactions, got ${maxDepth}`);
    const solver = new SpecularSolver(g, tx, trie, c.tree.images, tol, occlusionEps);
    const beyond = new BeyondTree(g, tx, o, c, solver);
    const candidatesMs = performance.now() - t0;
    const tb = performance.now();
    const beams = c.tree.beams;
    const beamsMs = performance.now() - tb;
    const candidates = storageBuffer(ctx, packCandidates(trie, c.tree.images, gpuNodes), 'candidates');
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
      gpuNodes - 1,
      candidatesMs,
      maxDepth,
      beams,
      beamsMs,
      beyond,
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
    const cullingMs = this.beamsMs;
    this.beamsMs = 0;
    return {
      cullingMs,
      candidates: this.candidateCount,
      pairs: 0,
      shadowed: 0,
      survivors: 0,
      gpuValid: 0,
      accepted: 0,
      undecided: 0,
      dispatches: 0,
      candidatesMs: this.candidatesMs,
      gpuMs: 0,
      filterMs: 0,
      solveMs: 0,
      hostMs: 0,
    };
  }

  /**
   * One dispatch of the listed (node, receiver) pairs (2 numbers per pair): records sized by a
   * guess first (valid pairs are few), run again with the exact size on overflow; the records
   * become paths in result.
   */
  private async solvePairs(
    k: GpuKernels,
    rxBuf: GPUBuffer,
    rxCount: number,
    pairList: Uint32Array,
    rxList: readonly Vec3[],
    result: PathGeometry[][],
    stats: GpuTraceStats,
  ): Promise<void> {
    if (!this.candidates) throw new Error('GpuPathTracer used after destroy()');
    const { ctx, g, trie, solver, tx, tol, occlusionEps } = this;
    const pairCount = pairList.length / 3;
    if (pairCount === 0) return;
    stats.pairs += pairCount;
    // records are few next to survivors; on overflow the dispatch runs again with room for all
    let capacity = MAX_RECORDS;
    for (;;) {
      const tg = performance.now();
      const out = await runImagePaths(ctx, k, this.candidates, rxBuf, pairList, {
        tx,
        rxCount,
        stride: k.stride,
        capacity,
        tol,
        posErr: k.posErr,
        eps: occlusionEps,
      });
      stats.dispatches++;
      stats.gpuMs += performance.now() - tg;
      stats.filterMs += out.filterMs;
      stats.solveMs += performance.now() - tg - out.filterMs;
      stats.survivors += out.survivors;
      if (out.count > capacity || out.acceptedCount > out.accepted.length / 2) {
        capacity = out.count;
        continue;
      }
      const th = performance.now();
      collect(out, rxList, trie, g, solver, tx, k.stride, occlusionEps, result, stats);
      collectAccepted(out.accepted, rxList, trie, g, solver, tx, result, stats);
      stats.hostMs += performance.now() - th;
      return;
    }
  }

  destroy(): void {
    this.candidates?.destroy();
    this.candidates = undefined;
  }

  /** Trie nodes the GPU solves: 0 (LoS) when wanted, then the tree's candidates when specular is on. */
  private nodeRange(): [number, number] {
    return [this.o.los ? 0 : 1, this.specularOn ? this.candidateCount + 1 : 1];
  }

  /**
   * Solve the pairs `list(emit, n0)` lists, node-major, in dispatches of at most
   * MAX_PAIRS_PER_DISPATCH pairs (the list is never held whole: memory stays bounded); each
   * pair comes with the bits of the segments whose visibility the GPU must test.
   */
  private async solveListed(
    rxList: readonly Vec3[],
    result: PathGeometry[][],
    stats: GpuTraceStats,
    list: (emit: (node: number, rx: number, segments: number) => void, n0: number) => number,
    control: TraceControl,
  ): Promise<void> {
    const { ctx } = this;
    const [firstNode, lastNode] = this.nodeRange();
    if (lastNode <= firstNode || rxList.length === 0) return;
    const kernels = this.kernels();
    const rxData = new Float32Array(4 * rxList.length);
    for (let i = 0; i < rxList.length; i++) rxData.set(rxList[i]!, 4 * i);
    const rxBuf = storageBuffer(ctx, rxData, 'receivers');
    const buf = new Uint32Array(3 * MAX_PAIRS_PER_DISPATCH);
    let n = 0;
    const emit = (node: number, rx: number, segments: number) => {
      buf[3 * n] = node;
      buf[3 * n + 1] = rx;
      buf[3 * n + 2] = segments;
      n++;
    };
    try {
      // `list` emits the pairs of nodes n0 … (its return value) − 1; it stops after a node once
      // the buffer could overflow with the next one (a node has at most rxList.length pairs)
      let n0 = firstNode;
      while (n0 < lastNode) {
        control.signal?.throwIfAborted();
        const tc = performance.now();
        n0 = list(emit, n0);
        stats.cullingMs += performance.now() - tc;
        if (n > 0)
          await this.solvePairs(kernels, rxBuf, rxList.length, buf.subarray(0, 3 * n), rxList, result, stats);
        n = 0;
      }
    } finally {
      rxBuf.destroy();
    }
  }

  /** Paths to every receiver, as the reference's tracePaths; progress per dispatch. */
  async trace(rxList: readonly Vec3[], control: TraceControl = {}): Promise<GpuTraceResult> {
    rxList.forEach((p, i) => {
      checkPoint(p, `receiver ${i} position`);
    });
    if (!this.candidates) throw new Error('GpuPathTracer used after destroy()');
    const report = control.onProgress ?? (() => {});
    // a node's pairs must fit one dispatch: more receivers are traced in chunks
    if (rxList.length > MAX_RECEIVERS_PER_CALL) {
      const paths: PathGeometry[][] = [];
      const reports: SearchReport[] = [];
      let stats: GpuTraceStats | undefined;
      for (let i = 0; i < rxList.length; i += MAX_RECEIVERS_PER_CALL) {
        const part = await this.trace(rxList.slice(i, i + MAX_RECEIVERS_PER_CALL), {
          signal: control.signal,
          onProgress: (p) => report({ ...p, done: i + p.done, total: rxList.length }),
        });
        for (const p of part.paths) paths.push(p);
        for (const r of part.reports) reports.push(r);
        stats = stats ? addStats(stats, part.stats) : part.stats;
      }
      return { paths, stats: stats!, reports };
    }
    const stats = this.newStats();
    const result: PathGeometry[][] = rxList.map(() => []);
    const { beams } = this;
    const [firstNode, lastNode] = this.nodeRange();
    const room = MAX_PAIRS_PER_DISPATCH - rxList.length;
    const box = [Infinity, Infinity, Infinity, -Infinity, -Infinity, -Infinity];
    for (const p of rxList) {
      for (let a = 0; a < 3; a++) {
        box[a] = Math.min(box[a]!, p[a]!);
        box[3 + a] = Math.max(box[3 + a]!, p[a]!);
      }
    }
    const shadows = this.shadowsFor(box);
    const { trie } = this;
    const inBeam: number[] = [];
    await this.solveListed(
      rxList,
      result,
      stats,
      (emit, n0) => {
        let pairs = 0;
        let v = n0;
        // each receiver is tested against the node's beam (a few plane tests)
        for (; v < lastNode && (v === n0 || pairs <= room); v++) {
          inBeam.length = 0;
          for (let r = 0; r < rxList.length; r++) {
            const p = rxList[r]!;
            if (beamContains(beams, v, p[0], p[1], p[2])) inBeam.push(r);
          }
          // shadows pay off only when they can spare the GPU many pairs; otherwise every
          // segment of the pair is tested on the GPU
          if (inBeam.length < SHADOWS_FROM) {
            const all = (2 << trie.depth[v]!) - 1;
            for (const r of inBeam) emit(v, r, all);
            pairs += inBeam.length;
            continue;
          }
          for (const r of inBeam) {
            const p = rxList[r]!;
            if (shadows.blocked(v, p[0], p[1], p[2])) {
              stats.shadowed++;
              continue;
            }
            emit(v, r, shadows.segmentsToTest(v, p[0], p[1], p[2]));
            pairs++;
          }
        }
        report({
          phase: 'receivers',
          done: Math.floor((rxList.length * (v - firstNode)) / (lastNode - firstNode)),
          total: rxList.length,
        });
        return v;
      },
      control,
    );
    const reports = this.finish(rxList, result, stats, control);
    report({ phase: 'receivers', done: rxList.length, total: rxList.length });
    return { paths: result, stats, reports };
  }

  /**
   * Host-side additions (the search beyond the transmitter's tree, scattering, diffraction: not
   * ported to WGSL) and the reference's dedupe + order; the receivers' reports.
   */
  private finish(
    rxList: readonly Vec3[],
    result: PathGeometry[][],
    stats: GpuTraceStats,
    control: TraceControl,
  ): SearchReport[] {
    const { o, g, tx, tol, occlusionEps, scatterFace } = this;
    const th = performance.now();
    const reports: SearchReport[] = [];
    if (this.wedges.length > 0) this.edges ??= new EdgeDiffraction(g, this.wedges, tx, occlusionEps);
    const edges = this.edges;
    // beyond the transmitter's tree: the receivers met in the middle all at once, as on the CPU
    const joined = this.beyond.treeComplete ? undefined : this.beyond.join(rxList, control);
    for (let r = 0; r < rxList.length; r++) {
      const rx = rxList[r]!;
      const paths = result[r]!;
      reports.push(this.beyond.paths(rx, paths, control, joined?.[r]));
      if (this.records && scatterFace)
        scatteredPaths(g, this.records, rx, scatterFace, o.maxDepth, tol, occlusionEps, paths);
      edges?.paths(rx, paths);
      result[r] = dedupeAndSort(paths);
    }
    stats.hostMs += performance.now() - th;
    return reports;
  }

  /**
   * Paths to the receivers at the centres of grid rows [rowStart, rowEnd) (radio maps). Same
   * result as trace() on those receivers, but each candidate's pairs are its beam's footprint on
   * the grid plane, found row by row as intervals (no per-cell test).
   */
  async traceGrid(
    grid: ReceiverGrid,
    rowStart: number,
    rowEnd: number,
    control: TraceControl = {},
  ): Promise<GpuTraceResult> {
    if (!this.candidates) throw new Error('GpuPathTracer used after destroy()');
    const rows = rowEnd - rowStart;
    if (!(rows > 0) || rowStart < 0 || rowEnd > grid.ny) {
      throw new RangeError(`grid rows ${rowStart}…${rowEnd} outside 0…${grid.ny}`);
    }
    if (grid.nx > MAX_RECEIVERS_PER_CALL) {
      throw new RangeError(`grid rows of ${grid.nx} cells: at most ${MAX_RECEIVERS_PER_CALL} per row`);
    }
    // a node's pairs must fit one dispatch: larger tiles are traced in parts
    if (rows * grid.nx > MAX_RECEIVERS_PER_CALL) {
      const step = Math.floor(MAX_RECEIVERS_PER_CALL / grid.nx);
      const paths: PathGeometry[][] = [];
      const reports: SearchReport[] = [];
      let stats: GpuTraceStats | undefined;
      for (let r = rowStart; r < rowEnd; r += step) {
        const part = await this.traceGrid(grid, r, Math.min(rowEnd, r + step), control);
        for (const p of part.paths) paths.push(p);
        for (const x of part.reports) reports.push(x);
        stats = stats ? addStats(stats, part.stats) : part.stats;
      }
      return { paths, stats: stats!, reports };
    }
    const rxList = gridCells(grid, rowStart * grid.nx, rowEnd * grid.nx);
    const stats = this.newStats();
    const result: PathGeometry[][] = rxList.map(() => []);
    const { beams } = this;
    const [, lastNode] = this.nodeRange();
    const room = MAX_PAIRS_PER_DISPATCH - rxList.length;
    const span = new Int32Array(2);
    const mark = new Uint8Array(grid.nx);
    const bits = new Uint32Array(grid.nx);
    const spans = new Int32Array(2 * rows);
    // the whole grid's box, so that every tile shares the shadows
    const c = grid.cellSize;
    const shadows = this.shadowsFor([
      grid.xmin + c / 2,
      grid.ymin + c / 2,
      grid.z,
      grid.xmin + (grid.nx - 0.5) * c,
      grid.ymin + (grid.ny - 0.5) * c,
      grid.z,
    ]);
    await this.solveListed(
      rxList,
      result,
      stats,
      (emit, n0) => {
        let pairs = 0;
        let v = n0;
        for (; v < lastNode && (v === n0 || pairs <= room); v++) {
          // the node's cells, row by row
          let cells = 0;
          for (let iy = rowStart; iy < rowEnd; iy++) {
            footprintRow(beams, v, grid, iy, span);
            spans[2 * (iy - rowStart)] = span[0]!;
            spans[2 * (iy - rowStart) + 1] = span[1]!;
            if (span[1]! >= span[0]!) cells += span[1]! - span[0]! + 1;
          }
          if (cells === 0) continue;
          // shadows cost ~0.3 ms per node: for a few cells the GPU tests every segment instead
          const nv = cells >= SHADOWS_FROM_CELLS ? shadows.of(v) : undefined;
          const all = (2 << this.trie.depth[v]!) - 1;
          for (let iy = rowStart; iy < rowEnd; iy++) {
            const ix0 = spans[2 * (iy - rowStart)]!;
            const ix1 = spans[2 * (iy - rowStart) + 1]!;
            if (ix1 < ix0) continue;
            const base = (iy - rowStart) * grid.nx;
            if (!nv) {
              for (let ix = ix0; ix <= ix1; ix++) emit(v, base + ix, all);
              pairs += ix1 - ix0 + 1;
              continue;
            }
            if (nv.shadows) stats.shadowed += markShadowedCells(nv.shadows, grid, iy, ix0, ix1, mark);
            if (nv.cones) markConeBits(nv.cones, grid, iy, ix0, ix1, bits);
            for (let ix = ix0; ix <= ix1; ix++) {
              const b = bits[ix]!;
              bits[ix] = 0;
              if (mark[ix]) {
                mark[ix] = 0;
                continue;
              }
              emit(v, base + ix, b | nv.always);
              pairs++;
            }
          }
        }
        return v;
      },
      control,
    );
    const reports = this.finish(rxList, result, stats, control);
    return { paths: result, stats, reports };
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
  /** (node, receiver) of the pairs pass 1 accepted (certain geometry, segments proven clear) */
  accepted: Uint32Array;
  acceptedCount: number;
  /** time of pass 1 until its survivor count was back (ms) */
  filterMs: number;
}

interface ImagePathsParams {
  tx: Vec3;
  rxCount: number;
  stride: number;
  capacity: number;
  tol: number;
  posErr: number;
  eps: number;
}

function paramsBlock(p: ImagePathsParams, pairCount: number): Float32Array {
  const f = new Float32Array(16);
  const u = new Uint32Array(f.buffer);
  f.set(p.tx, 0);
  u[4] = pairCount;
  u[5] = p.rxCount;
  u[6] = p.stride;
  u[7] = p.capacity;
  f[8] = p.tol;
  f[9] = p.posErr;
  f[10] = p.eps;
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
 * Two passes over the listed pairs: pairFilter.wgsl keeps the pairs whose points can lie in
 * their faces, then imagePaths.wgsl solves those; returns the records (capacity permitting)
 * and their count.
 */
async function runImagePaths(
  ctx: GpuContext,
  k: GpuKernels,
  candidates: GPUBuffer,
  rxBuf: GPUBuffer,
  pairList: Uint32Array,
  p: ImagePathsParams,
): Promise<ImagePathsOutput> {
  const t0 = performance.now();
  const threads = pairList.length / 3;
  const pass1 = await withGpuErrors(ctx, 'tracing paths (pairFilter kernel)', () => {
    const paramBuf = uniformBuffer(ctx, paramsBlock(p, threads), 'pairFilter params');
    const counter = storageBuffer(ctx, new Uint32Array(4), 'survivor counter', GPUBufferUsage.COPY_SRC);
    const survivors = emptyBuffer(ctx, 12 * threads, 'survivors', GPUBufferUsage.STORAGE);
    const accepted = emptyBuffer(
      ctx,
      8 * threads,
      'accepted pairs',
      GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC,
    );
    const work = storageBuffer(ctx, pairList, 'pairs');
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
        10: accepted,
      },
      threads,
    );
    return { paramBuf, counter, survivors, accepted, work };
  });
  try {
    const counts = new Uint32Array(await readBack(ctx, pass1.counter, 8));
    const survivorCount = Math.min(threads, counts[0]!);
    const acceptedCount = Math.min(threads, counts[1]!);
    const accepted =
      acceptedCount > 0
        ? new Uint32Array(await readBack(ctx, pass1.accepted, 8 * acceptedCount))
        : new Uint32Array(0);
    const filterMs = performance.now() - t0;
    if (survivorCount === 0)
      return { count: 0, records: new Float32Array(0), survivors: 0, accepted, acceptedCount, filterMs };
    // records are written for survivors only: no more than survivorCount are needed
    const capacity = Math.min(p.capacity, survivorCount);
    const recordBytes = 16 * p.stride * capacity;
    const bufs = await withGpuErrors(ctx, 'tracing paths (imagePaths kernel)', () => {
      const paramBuf = uniformBuffer(
        ctx,
        paramsBlock({ ...p, capacity }, survivorCount),
        'imagePaths params',
      );
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
      const n = Math.min(count, capacity);
      const records =
        n > 0 ? new Float32Array(await readBack(ctx, bufs.records, 16 * p.stride * n)) : new Float32Array(0);
      return { count, records, survivors: survivorCount, accepted, acceptedCount, filterMs };
    } finally {
      for (const b of Object.values(bufs)) b.destroy();
    }
  } finally {
    for (const b of Object.values(pass1)) b.destroy();
  }
}

/** Receivers on a horizontal grid (the fields of radiomap's RadioMapGrid the tracer needs). */
/** Turn kernel records into paths; undecided pairs are solved by the reference in float64. */
function collect(
  out: ImagePathsOutput,
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
    const r = ints[base + 1]!;
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
    const p = acceptedPath(g, solver.images, trie, node, tx, rx, out.records, base);
    if (p) paths.push(p);
  }
}

/**
 * The path of a pair the GPU accepted: the points again in float64 from the exact transmitter
 * images, O(depth), no visibility work (f32 points, error ~1e-5 m, would tilt short segments
 * between two bounces enough to move a gain by 0.02 dB); lengths summed in float64.
 * `records` (the GPU's f32 points) only stand in where the float64 intersection degenerates;
 * without them such a pair gives undefined.
 */
function acceptedPath(
  g: TracerGeometry,
  images: Float64Array,
  trie: CandidateTrie,
  node: number,
  tx: Vec3,
  rx: Vec3,
  records: Float32Array | null,
  base: number,
): PathGeometry | undefined {
  const depth = trie.depth[node]!;
  const faces: number[] = new Array(depth);
  const types: number[] = new Array(depth);
  for (let k = depth - 1, v = node; k >= 0; k--, v = trie.parent[v]!) {
    faces[k] = trie.face[v]!;
    types[k] = trie.type[v]!;
  }
  const points = refinePoints(g, images, trie, node, rx, depth, records, base);
  if (!points) return undefined;
  const interactions: Interaction[] = [];
  let prev: Vec3 = tx;
  let length = 0;
  for (let k = 0; k < depth; k++) {
    const point = points[k]!;
    length += norm3(point[0] - prev[0], point[1] - prev[1], point[2] - prev[2]);
    prev = point;
    interactions.push({
      type: types[k] === REFLECTION ? 'reflection' : 'transmission',
      objectIndex: g.faceObject[faces[k]!]!,
      faceIndex: faces[k]!,
      point,
    });
  }
  length += norm3(rx[0] - prev[0], rx[1] - prev[1], rx[2] - prev[2]);
  return { kind: depth === 0 ? 'los' : 'specular', interactions, length };
}

/** Paths of the pairs pass 1 accepted: points in float64 from the images, as for records. */
function collectAccepted(
  accepted: Uint32Array,
  rxList: readonly Vec3[],
  trie: CandidateTrie,
  g: TracerGeometry,
  solver: SpecularSolver,
  tx: Vec3,
  result: PathGeometry[][],
  stats: GpuTraceStats,
): void {
  for (let i = 0; i < accepted.length; i += 2) {
    const node = accepted[i]!;
    const r = accepted[i + 1]!;
    stats.gpuValid++;
    stats.accepted++;
    // (a degenerate intersection cannot happen where pass 1 found the geometry certain; if it
    // did, the reference decides)
    const path =
      acceptedPath(g, solver.images, trie, node, tx, rxList[r]!, null, 0) ?? solver.solve(node, rxList[r]!);
    if (path) result[r]!.push(path);
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
  records: Float32Array | null,
  base: number,
): Vec3[] | undefined {
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
      if (!records) return undefined;
      points[k] = [records[o]!, records[o + 1]!, records[o + 2]!];
    } else {
      const s = dI / (dI - dQ);
      points[k] = [ix + s * (q[0] - ix), iy + s * (q[1] - iy), iz + s * (q[2] - iz)];
    }
    q = points[k]!;
  }
  return points;
}
