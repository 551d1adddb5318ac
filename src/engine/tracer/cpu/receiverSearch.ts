import type { Vec3 } from '../../core/vec3.ts';
import type { PathGeometry } from '../path.ts';
import { BEAM_ALL, BEAM_EMPTY, BEAM_LEAN, beamContains } from './beams.ts';
import { BeamTree } from './beamTree.ts';
import type { CandidateSet } from './candidateSet.ts';
import { extendImages, shootRays } from './candidates.ts';
import { PointIndex } from './pointIndex.ts';
import type { SpecularSolver } from './specular.ts';
import type { ResolvedTraceOptions, TraceControl } from './tracePaths.ts';

/** Shot rays per chunk of work between yields (progress, cancellation). */
const RAY_CHUNK = 2048;

/** Receiver sequences joined at once (joinSteps), and transmitter nodes between yields. */
const JOIN_POINTS = 1 << 16;
const JOIN_CHUNK = 4096;

function runSteps<T>(it: Generator<void, T>): T {
  for (;;) {
    const step = it.next();
    if (step.done) return step.value;
  }
}

/** One receiver's part of a block join: its joined paths and its tree's complete depth. */
export interface Joined {
  paths: PathGeometry[];
  rxDepth: number;
}

import { coplanarFaces, type TracerGeometry, tracerTolerances } from './tracerGeometry.ts';

/**
 * How completely the specular search covered one receiver (docs/physics.md §9).
 * `complete`: every LoS, reflected and transmitted path up to maxDepth was enumerated
 * exhaustively (exact beam culling only); then `missRate` is 0. Otherwise the paths deeper
 * than `exhaustiveDepth` come from `rays` shot rays, and `missRate` is the estimated probability
 * that such a ray search misses a sequence (see rayPlan).
 */
export interface SearchReport {
  complete: boolean;
  exhaustiveDepth: number;
  rays: number;
  missRate: number;
}

/** The report of a search that needed nothing beyond the transmitter's tree. */
export const COMPLETE = (maxDepth: number): SearchReport => ({
  complete: true,
  exhaustiveDepth: maxDepth,
  rays: 0,
  missRate: 0,
});

/**
 * Shot rays for a miss probability p: a sequence whose ray tube subtends a solid angle Ω is
 * missed by N rays spread evenly over the sphere with probability about exp(−N·Ω/4π), so
 * N = ⌈4π·ln(1/p)/Ω_min⌉ with Ω_min = a_min/D²: the smallest relevant face (area a_min, faces
 * smaller than 10⁻⁶·D² are left out as slivers) seen face-on from the scene's diagonal D.
 * `maxRays` caps N; the miss rate is then exp(−N·Ω_min/4π), larger than p.
 */
export function rayPlan(
  g: TracerGeometry,
  missProbability: number,
  maxRays: number,
  rays?: number,
): { rays: number; missRate: number } {
  const D = g.size;
  let aMin = Infinity;
  for (const f of g.scene.faces) if (f.area >= 1e-6 * D * D) aMin = Math.min(aMin, f.area);
  if (!Number.isFinite(aMin)) aMin = D * D;
  const omega = aMin / (D * D);
  const n = rays ?? Math.min(maxRays, Math.ceil((4 * Math.PI * Math.log(1 / missProbability)) / omega));
  return { rays: n, missRate: Math.exp((-n * omega) / (4 * Math.PI)) };
}

/**
 * The specular search beyond the transmitter's candidate tree, per receiver: when the tree is
 * complete only to depth d_T < maxDepth, the receiver grows its own tree (the same beam tree,
 * from the receiver) to depth d_R ≤ maxDepth − d_T within `receiverBudget` nodes, and the two
 * meet in the middle: a path of depth d_T + b is a transmitter sequence p of depth d_T followed
 * by a receiver sequence q of depth b, reversed. Its middle segment lies on the line from p's
 * image I_p to q's image J_q (I_p, P_{d_T}, P_{d_T+1}, J_q in that order), so J_q lies in p's
 * beam and I_p in q's: the join lists, for every q, the I_p inside q's beam (PointIndex) and
 * keeps those whose beam holds J_q; the solver validates each exactly. With both trees complete
 * this is exhaustive to d_T + d_R. Deeper than that, the transmitter's rays (rayPlan, shot once
 * per transmitter when a receiver first needs them) supply candidates, and the receiver's report
 * says so.
 * Both backends call this for every receiver, so they find the same paths.
 */
export class BeyondTree {
  private index: PointIndex | undefined;
  private raysShot = -1;
  /** trie size before the shot rays (−1 until a shot starts) */
  private shotFrom = -1;
  private rayNodes = 0;
  private readonly plan: { rays: number; missRate: number };
  private readonly tol: number;

  constructor(
    private readonly g: TracerGeometry,
    private readonly tx: Vec3,
    private readonly o: ResolvedTraceOptions,
    private readonly c: CandidateSet,
    private readonly solver: SpecularSolver,
  ) {
    this.tol = tracerTolerances(g).tol;
    this.plan = rayPlan(g, o.missProbability, o.maxRays, o.rays);
  }

  /** Whether every receiver is complete with the transmitter's tree alone. */
  get treeComplete(): boolean {
    return !this.c.specularOn || this.c.tree.completeDepth >= this.o.maxDepth;
  }

  /**
   * Paths of depth > d_T to `rx` into `out`; the receiver's report (synchronously). `joined`:
   * its part of joinSteps; without it the receiver is joined on its own.
   */
  paths(rx: Vec3, out: PathGeometry[], control: TraceControl = {}, joined?: Joined): SearchReport {
    return runSteps(this.pathsSteps(rx, out, control, joined));
  }

  /** joinSteps, synchronously. */
  join(rxList: readonly Vec3[], control: TraceControl = {}): Joined[] {
    return runSteps(this.joinSteps(rxList, 0, rxList.length, control));
  }

  /**
   * Paths of depth > d_T to `rx` into `out`, as a generator that yields between chunks of the
   * shot rays (the first receiver that needs them pays for them: progress as 'candidates',
   * `control.signal` checked); the receiver's report. `joined`: this receiver's part of
   * joinSteps, when the caller joined a block of receivers at once.
   */
  *pathsSteps(
    rx: Vec3,
    out: PathGeometry[],
    control: TraceControl = {},
    joined?: Joined,
  ): Generator<void, SearchReport> {
    const { o, c } = this;
    if (this.treeComplete) return COMPLETE(o.maxDepth);
    const dT = c.tree.completeDepth;
    let rxDepth: number;
    if (joined) {
      for (const p of joined.paths) out.push(p);
      rxDepth = joined.rxDepth;
    } else {
      const rxTree = this.receiverTree(rx);
      this.joinOne(rxTree, rx, out);
      rxDepth = rxTree.completeDepth;
    }
    const reach = dT + rxDepth;
    if (reach >= o.maxDepth) return COMPLETE(o.maxDepth);
    yield* this.shoot(control);
    const { trie, beams } = c.tree;
    for (let v = this.rayNodes; v < trie.size; v++) {
      if (trie.depth[v]! <= reach || !beamContains(beams, v, rx[0], rx[1], rx[2])) continue;
      const p = this.solver.solve(v, rx);
      if (p) out.push(p);
    }
    return { complete: false, exhaustiveDepth: reach, rays: this.plan.rays, missRate: this.plan.missRate };
  }

  /** The receiver's own beam tree, to depth maxDepth − d_T within the receiver budget. */
  private receiverTree(rx: Vec3): BeamTree {
    const { o, c } = this;
    const rxTree = new BeamTree(this.g, rx, o.specular, o.transmission, this.tol);
    if (o.receiverTrees) for (const _ of rxTree.grow(o.maxDepth - c.tree.completeDepth, o.receiverBudget));
    return rxTree;
  }

  /**
   * The join of `pathsSteps` for receivers [r0, r1) at once, the other way round: a point index
   * over every receiver sequence's image J_q (all the block's receivers), queried with each
   * transmitter beam of depth d_T, then I_p checked against q's beam. The same pairs are solved
   * as by the per-receiver join (a pair needs J_q in p's beam and I_p in q's), but a transmitter
   * beam of depth d_T is narrow and a receiver beam of depth 1 wide: querying the wide beams
   * visited about a third of the transmitter's images per receiver sequence (0.3 s a receiver
   * on the demo room at depth 5 when the tree stops at 4), the narrow ones find few points.
   * Receivers are taken in groups of at most JOIN_POINTS sequences (their trees are kept while
   * the group is joined). A generator: yields every JOIN_CHUNK transmitter nodes.
   */
  *joinSteps(
    rxList: readonly Vec3[],
    r0: number,
    r1: number,
    control: TraceControl = {},
  ): Generator<void, Joined[]> {
    const out: Joined[] = [];
    if (this.treeComplete) return out;
    for (let a = r0; a < r1; ) {
      const trees: BeamTree[] = [];
      let points = 0;
      let b = a;
      while (b < r1 && (b === a || points < JOIN_POINTS)) {
        const t = this.receiverTree(rxList[b]!);
        trees.push(t);
        points += t.completeSize;
        b++;
      }
      const joined = trees.map((t) => ({ paths: [] as PathGeometry[], rxDepth: t.completeDepth }));
      yield* this.joinGroup(trees, rxList, a, joined, control);
      out.push(...joined);
      a = b;
    }
    return out;
  }

  private *joinGroup(
    trees: BeamTree[],
    rxList: readonly Vec3[],
    r0: number,
    joined: Joined[],
    control: TraceControl,
  ): Generator<void, void> {
    const { g, c, tol } = this;
    const tree = c.tree;
    const dT = tree.completeDepth;
    // every receiver sequence q of every receiver: its image J_q, owner (receiver, node)
    let n = 0;
    for (const t of trees) n += t.completeSize;
    const pts = new Float64Array(3 * n);
    const ids = new Int32Array(n);
    const owner = new Int32Array(2 * n);
    let k = 0;
    trees.forEach((t, r) => {
      for (let q = 1; q < t.completeSize; q++) {
        if (t.beams.kind[q] === BEAM_EMPTY) continue;
        pts[3 * k] = t.images[3 * q]!;
        pts[3 * k + 1] = t.images[3 * q + 1]!;
        pts[3 * k + 2] = t.images[3 * q + 2]!;
        ids[k] = k;
        owner[2 * k] = r;
        owner[2 * k + 1] = q;
        k++;
      }
    });
    const index = new PointIndex(pts.subarray(0, 3 * k), ids.subarray(0, k));
    const faces: number[] = [];
    const types: number[] = [];
    const beams = tree.beams;
    const images = tree.images;
    let p = 0;
    const visit = (id: number) => {
      const r = owner[2 * id]!;
      const q = owner[2 * id + 1]!;
      const t = trees[r]!;
      const rt = t.trie;
      const fq = rt.face[q]!;
      if (dT > 0) {
        const fp = tree.trie.face[p]!;
        if (fp === fq || coplanarFaces(g, fp, fq, tol)) return;
      }
      // the index tested p's planes; a lean beam has one more test
      if (
        beams.kind[p] === BEAM_LEAN &&
        !beamContains(beams, p, pts[3 * id]!, pts[3 * id + 1]!, pts[3 * id + 2]!)
      )
        return;
      if (!beamContains(t.beams, q, images[3 * p]!, images[3 * p + 1]!, images[3 * p + 2]!)) return;
      // the suffix in path order: q's sequence from the receiver, reversed
      faces.length = 0;
      types.length = 0;
      for (let v = q; v > 0; v = rt.parent[v]!) {
        faces.push(rt.face[v]!);
        types.push(rt.type[v]!);
      }
      const path = this.solver.solveJoined(p, faces, types, rxList[r0 + r]!);
      if (path) joined[r]!.paths.push(path);
    };
    const lo = tree.levelStart[dT]!;
    const hi = tree.levelStart[dT + 1]!;
    for (p = lo; p < hi; p++) {
      const kind = beams.kind[p]!;
      if (kind === BEAM_EMPTY) continue;
      if (kind === BEAM_ALL) index.all(visit);
      else index.query(beams.planes, beams.start[p]!, beams.start[p + 1]!, visit);
      if ((p - lo) % JOIN_CHUNK === JOIN_CHUNK - 1) {
        yield;
        control.signal?.throwIfAborted();
      }
    }
  }

  /**
   * Meet in the middle for one receiver: transmitter sequences of depth d_T × the receiver's
   * tree, the transmitter images queried with each receiver beam (the reference joinSteps is
   * tested against; a lone receiver's join).
   */
  private joinOne(rxTree: BeamTree, rx: Vec3, out: PathGeometry[]): void {
    const { g, c, tol } = this;
    const tree = c.tree;
    const dT = tree.completeDepth;
    const index = this.joinIndex();
    const rb = rxTree.beams;
    const rt = rxTree.trie;
    const ri = rxTree.images;
    const faces: number[] = [];
    const types: number[] = [];
    for (let q = 1; q < rxTree.completeSize; q++) {
      const kind = rb.kind[q]!;
      if (kind === BEAM_EMPTY) continue;
      const jx = ri[3 * q]!,
        jy = ri[3 * q + 1]!,
        jz = ri[3 * q + 2]!;
      const fq = rt.face[q]!;
      // the suffix in path order: q's sequence from the receiver, reversed
      faces.length = 0;
      types.length = 0;
      for (let v = q; v > 0; v = rt.parent[v]!) {
        faces.push(rt.face[v]!);
        types.push(rt.type[v]!);
      }
      const visit = (p: number) => {
        if (dT > 0) {
          const fp = tree.trie.face[p]!;
          if (fp === fq || coplanarFaces(g, fp, fq, tol)) return;
        }
        if (!beamContains(tree.beams, p, jx, jy, jz)) return;
        const path = this.solver.solveJoined(p, faces, types, rx);
        if (path) out.push(path);
      };
      if (kind === BEAM_ALL) index.all(visit);
      else index.query(rb.planes, rb.start[q]!, rb.start[q + 1]!, visit);
    }
  }

  /** The images of the transmitter's sequences of depth d_T (built once). */
  private joinIndex(): PointIndex {
    if (this.index) return this.index;
    const tree = this.c.tree;
    const d = tree.completeDepth;
    const lo = tree.levelStart[d]!;
    const hi = tree.levelStart[d + 1]!;
    const points = tree.images.slice(3 * lo, 3 * hi);
    const ids = new Int32Array(hi - lo);
    for (let i = 0; i < ids.length; i++) ids[i] = lo + i;
    this.index = new PointIndex(points, ids);
    return this.index;
  }

  /**
   * Shoot the transmitter's rays once, RAY_CHUNK at a time (yielding, reporting progress and
   * checking the signal between chunks); their new sequences get images and beams. A shot left
   * unfinished (the trace cancelled, by the signal here or by its runner while suspended at a
   * yield) is started over by the next call: the trie is first cut back to where it was.
   */
  private *shoot(control: TraceControl): Generator<void, void> {
    if (this.raysShot >= 0) return;
    const { g, o, tx } = this;
    const tree = this.c.tree;
    if (this.shotFrom >= 0) tree.trie.truncate(this.shotFrom);
    else this.shotFrom = tree.trie.size;
    const before = this.shotFrom;
    const { occlusionEps } = tracerTolerances(g);
    const opts = {
      rays: this.plan.rays,
      maxDepth: o.maxDepth,
      reflection: o.specular,
      transmission: o.transmission,
      minT: occlusionEps,
    };
    const n = opts.rays;
    const report = control.onProgress ?? (() => {});
    for (let i = 0; i < n; i += RAY_CHUNK) {
      control.signal?.throwIfAborted();
      shootRays(g, tx, opts, tree.trie, null, undefined, i, Math.min(n, i + RAY_CHUNK));
      report({ phase: 'candidates', done: Math.min(n, i + RAY_CHUNK), total: n });
      yield;
    }
    control.signal?.throwIfAborted();
    this.rayNodes = before;
    tree.images = extendImages(g, tx, tree.trie, tree.images, this.rayNodes);
    tree.beams.extend(tree.trie, tree.images);
    this.solver.images = tree.images;
    this.raysShot = this.plan.rays;
  }
}
