import type { Vec3 } from '../core/vec3.ts';
import type { Scene } from '../scene/types.ts';
import {
  BEAM_ALL,
  BEAM_EMPTY,
  beamContains,
  beamMargin,
  boxInsideBeam,
  boxOutsideBeam,
  type CandidateBeams,
  triangleOutsideBeam,
} from '../tracer/cpu/beams.ts';
import { BeamTree } from '../tracer/cpu/beamTree.ts';
import { losPath } from '../tracer/cpu/candidateSet.ts';
import {
  fibonacciDirection,
  HitRecords,
  REFLECTION,
  shootRays,
  TRANSMISSION,
} from '../tracer/cpu/candidates.ts';
import { diffractedPaths } from '../tracer/cpu/diffraction.ts';
import { rayHitsTriangles } from '../tracer/cpu/rayCast.ts';
import { scatteredPathAt, scatteredPaths } from '../tracer/cpu/scattering.ts';
import { SpecularSolver } from '../tracer/cpu/specular.ts';
import {
  CpuPathTracer,
  dedupeAndSort,
  pathRanks,
  type ResolvedTraceOptions,
  resolveTraceOptions,
  type TracePathsOptions,
} from '../tracer/cpu/tracePaths.ts';
import {
  coplanarFaces,
  planeDistance,
  type TracerGeometry,
  tracerGeometry,
  tracerTolerances,
} from '../tracer/cpu/tracerGeometry.ts';
import { sceneWedges } from '../tracer/cpu/wedges.ts';
import type { PathGeometry } from '../tracer/path.ts';
import { CastGrid } from './castGrid.ts';
import { actorBounds, type FrameScene } from './frameScene.ts';

/**
 * Incremental path search for frames that differ from a static twin only by moving actors
 * (docs/physics.md §15). The result is, by construction, the path set the CPU reference tracer
 * (tracer/cpu/tracePaths.ts) finds on the frame's whole scene, when that search is exhaustive
 * (its candidate tree complete to maxDepth); otherwise `frame` returns null and the caller
 * re-traces the frame in full. The parts of the reference search, and what is reused:
 *
 * - LoS: one segment test on the frame (cheap, recomputed).
 * - Specular chains (reflections/transmissions) on static faces only, and diffraction on static
 *   wedges: traced once on the static scene; a frame keeps those whose segments meet no actor
 *   triangle (a path valid in the static scene is valid in the frame iff no actor blocks it).
 * - Chains with at least one actor face (reflection off, or transmission through, an actor): the
 *   reference's beam tree (beamTree.ts) grown on the frame with only the branches that can still
 *   meet an actor face before maxDepth. Its static prefixes are the static tree's nodes whose beam
 *   (or a descendant's) meets an actor's box, with the static tree's beams copied (BeamReuse: no
 *   aperture or occlusion work); only the actor nodes and their descendants get beams built.
 *   Every candidate is solved by the reference's image-method solver and validated on the frame,
 *   and the beams only ever hold the reference's, so the valid chains are the reference's.
 * - Diffraction on the actors' wedges and free edges: the reference's diffractedPaths on them.
 * - Diffuse scattering: the hit records of the shot rays, ray by ray; a ray none of whose casts
 *   comes near an actor's bounding box has the same hits in the frame (its records and their
 *   scattered paths are kept, the last leg re-checked against the actors); the other rays are
 *   shot again on the frame and their records connected to the receiver as the reference does.
 * Static work is cached per transmitter (candidates, shot-ray casts) and per link (paths).
 */
export interface IncrementalStats {
  /** shot rays re-cast on the frame (they came near an actor) */
  reshotRays: number;
  /** nodes of the actor tree (branches that can meet an actor face) */
  actorTreeNodes: number;
  /** static paths kept / dropped (blocked by an actor) this frame */
  kept: number;
  dropped: number;
}

interface TxCache {
  key: string;
  tracer: CpuPathTracer;
  staticNodes: number;
  records: HitRecords | null;
  /** records of ray i: [rayStart[i], rayStart[i + 1]) */
  rayStart: Int32Array;
  /** 7 per cast: origin xyz, unit direction xyz, tmax (Infinity: the cast left the scene) */
  casts: Float64Array;
  castStart: Int32Array;
  /**
   * Per cast, its box (min xyz, max xyz; unbounded where it leaves the scene): most casts of the
   * grid's candidate rays are cleared by it, without a division.
   */
  castBoxes: Float64Array;
  /** the rays by the cells of the static twin their casts cross (null without scattering) */
  grid: CastGrid | null;
}

interface LinkCache {
  key: string;
  /** static specular and diffracted paths (LoS and scattered excluded) */
  base: PathGeometry[];
  /** the scattered path of each static record to the receiver, or null */
  recPath: (PathGeometry | null)[];
  /** per record, its scattered path's last interaction point (3 each; NaN without a path) */
  recLast: Float64Array;
  /**
   * The static paths' ranks in the reference's order (dedupeAndSort), base paths first, then
   * records: kept ones are merged with each frame's new paths rather than sorted again.
   */
  ranks: ReturnType<typeof pathRanks>;
}

export class IncrementalTracer {
  private readonly o: ResolvedTraceOptions;
  private readonly gs: TracerGeometry;
  private txc: TxCache | null = null;
  private link: LinkCache | null = null;
  private readonly scatterStatic: Uint8Array;
  lastStats: IncrementalStats = { reshotRays: 0, actorTreeNodes: 0, kept: 0, dropped: 0 };

  /**
   * `staticScene`: the twin rebuilt as frames are built (frameScene.ts with no actors), so that
   * its faces are the frames' first faces. `scatteringObjects`: the frames' scattering objects
   * (static ones and actors whose material has S > 0), as the reference is given them.
   */
  constructor(
    readonly staticScene: Scene,
    private readonly options: TracePathsOptions,
    private readonly scatteringObjects: readonly number[],
  ) {
    this.o = resolveTraceOptions({ ...options, scatteringObjects });
    this.gs = tracerGeometry(staticScene);
    this.scatterStatic = new Uint8Array(this.gs.faceCount);
    const set = new Set(scatteringObjects);
    for (let f = 0; f < this.gs.faceCount; f++)
      this.scatterStatic[f] = set.has(this.gs.faceObject[f]!) ? 1 : 0;
  }

  private get scatteringOn(): boolean {
    const o = this.o;
    return o.scattering && o.maxDepth >= 1 && this.scatteringObjects.length > 0;
  }

  private async txCache(tx: Vec3): Promise<TxCache> {
    const key = tx.join(',');
    if (this.txc?.key === key) return this.txc;
    const staticObjects = this.scatteringObjects.filter((i) => i < this.staticScene.objects.length);
    const tracer = await CpuPathTracer.create(this.staticScene, this.gs.bvh, tx, {
      ...this.options,
      scatteringObjects: staticObjects,
    });
    const o = this.o;
    const { occlusionEps } = tracerTolerances(this.gs);
    const n = o.scatteringRays;
    const rayStart = new Int32Array(n + 1);
    const castList: number[] = [];
    const castStart = new Int32Array(n + 1);
    let records: HitRecords | null = null;
    if (this.scatteringOn) {
      records = new HitRecords();
      const shoot = {
        rays: n,
        maxDepth: o.maxDepth,
        reflection: o.specular,
        transmission: o.transmission,
        minT: occlusionEps,
      };
      const dir = new Float64Array(3);
      for (let i = 0; i < n; i++) {
        rayStart[i] = records.size;
        castStart[i] = castList.length / 7;
        shootRays(this.gs, tx, shoot, null, records, undefined, i, i + 1);
        fibonacciDirection(i, n, dir);
        raycasts(this.gs, records, rayStart[i]!, records.size, tx, [dir[0]!, dir[1]!, dir[2]!], o, castList);
      }
      rayStart[n] = records.size;
      castStart[n] = castList.length / 7;
    }
    const casts = Float64Array.from(castList);
    this.txc = {
      key,
      tracer,
      staticNodes: tracer.tree.nodes,
      records,
      rayStart,
      casts,
      castStart,
      castBoxes: castBoxes(casts),
      grid: records ? new CastGrid(casts, castStart, n, sceneBox(this.staticScene)) : null,
    };
    this.link = null;
    return this.txc;
  }

  private async linkCache(c: TxCache, tx: Vec3, rx: Vec3): Promise<LinkCache> {
    const key = `${c.key}|${rx.join(',')}`;
    if (this.link?.key === key) return this.link;
    const [paths] = await c.tracer.trace([rx]);
    const base = paths!.filter((p) => p.kind !== 'los' && p.kind !== 'scattered');
    const recPath: (PathGeometry | null)[] = [];
    if (c.records) {
      const { tol, occlusionEps } = tracerTolerances(this.gs);
      for (let r = 0; r < c.records.size; r++)
        recPath.push(
          scatteredPathAt(this.gs, c.records, r, rx, this.scatterStatic, this.o.maxDepth, tol, occlusionEps),
        );
    }
    void tx;
    // flat, so that a frame's pass over the records does not chase each path's objects
    const recLast = new Float64Array(3 * recPath.length).fill(NaN);
    recPath.forEach((p, r) => {
      if (p) recLast.set(p.interactions[p.interactions.length - 1]!.point, 3 * r);
    });
    this.link = { key, base, recPath, recLast, ranks: pathRanks([...base, ...recPath]) };
    return this.link;
  }

  /**
   * The paths of one frame (sorted as the reference sorts them), or null when the reference's
   * search on this frame would not be exhaustive (the caller re-traces it in full).
   */
  async frame(frame: FrameScene, tx: Vec3, rx: Vec3): Promise<PathGeometry[] | null> {
    const o = this.o;
    const c = await this.txCache(tx);
    if (c.tracer.tree.completeDepth < Math.min(o.maxDepth, o.treeMaxDepth) || o.treeMaxDepth < o.maxDepth)
      return null;
    const link = await this.linkCache(c, tx, rx);
    const gc = tracerGeometry(frame.scene, frame.bvh);
    const tolC = tracerTolerances(gc);
    const tolS = tracerTolerances(this.gs);
    // the actors reach beyond the twin's bounds: the frame's tolerances differ from the cache's
    if (
      tolC.tol !== tolS.tol ||
      tolC.occlusionEps !== tolS.occlusionEps ||
      beamMargin(gc) !== beamMargin(this.gs)
    )
      return null;
    const { tol, occlusionEps } = tolC;
    const actors = new ActorTriangles(frame, occlusionEps);
    const isActorFace = (f: number) => f >= frame.staticFaces;
    const stats: IncrementalStats = { reshotRays: 0, actorTreeNodes: 0, kept: 0, dropped: 0 };
    const out: PathGeometry[] = [];
    // per path of out: its static rank (LinkCache.ranks), −1 for a path new to this frame
    const known: number[] = [];
    const newPaths = () => {
      while (known.length < out.length) known.push(-1);
    };
    if (o.los) {
      const los = losPath(gc, tx, rx, occlusionEps);
      if (los) out.push(los);
    }
    newPaths();
    link.base.forEach((p, i) => {
      if (actors.blocksPath(p, tx, rx)) stats.dropped++;
      else {
        out.push(p);
        known.push(link.ranks.rank[i]!);
        stats.kept++;
      }
    });
    if ((o.specular || o.transmission) && o.maxDepth >= 1) {
      const found = this.actorChains(
        gc,
        frame,
        c.tracer.beamTree,
        tx,
        rx,
        tol,
        occlusionEps,
        c.staticNodes,
        stats,
      );
      if (!found) return null;
      out.push(...found);
    }
    if (o.diffraction && o.maxDepth >= 1) {
      const w = sceneWedges(gc);
      const all = o.freeEdges ? [...w.wedges, ...w.freeEdges] : w.wedges;
      const mine = all.filter((e) => isActorFace(e.faceA) || (e.faceB >= 0 && isActorFace(e.faceB)));
      diffractedPaths(gc, mine, tx, rx, occlusionEps, out);
    }
    newPaths();
    if (c.records) {
      const scatterFace = new Uint8Array(gc.faceCount);
      const set = new Set(this.scatteringObjects);
      for (let f = 0; f < gc.faceCount; f++) scatterFace[f] = set.has(gc.faceObject[f]!) ? 1 : 0;
      const fresh = new HitRecords();
      const shoot = {
        rays: o.scatteringRays,
        maxDepth: o.maxDepth,
        reflection: o.specular,
        transmission: o.transmission,
        minT: occlusionEps,
      };
      const recRank = link.base.length;
      // the rays that may come near an actor: from the grid's cells under the actors' boxes
      const near = new Uint8Array(o.scatteringRays);
      let everyRay = false;
      for (let a = 0; a < actors.boxes.length; a += 6)
        if (!c.grid!.markNear(actors.boxes, a, near)) everyRay = true;
      for (let i = 0; i < o.scatteringRays; i++) {
        if (
          (everyRay || near[i] === 1) &&
          actors.nearCasts(c.casts, c.castBoxes, c.castStart[i]!, c.castStart[i + 1]!)
        ) {
          shootRays(gc, tx, shoot, null, fresh, undefined, i, i + 1);
          stats.reshotRays++;
          continue;
        }
        const L = link.recLast;
        for (let r = c.rayStart[i]!; r < c.rayStart[i + 1]!; r++) {
          if (Number.isNaN(L[3 * r]!)) continue;
          if (actors.blocksSegmentFrom(L, 3 * r, rx, 0, occlusionEps)) stats.dropped++;
          else {
            out.push(link.recPath[r]!);
            known.push(link.ranks.rank[recRank + r]!);
          }
        }
      }
      scatteredPaths(gc, fresh, rx, scatterFace, o.maxDepth, tol, occlusionEps, out);
      newPaths();
    }
    this.lastStats = stats;
    return dedupeAndSort(out, { ...link.ranks, rank: known });
  }

  /**
   * Specular chains with at least one actor face. Levels 1 … maxDepth − 1: the reference's beam
   * tree grown on the frame with only the branches that can still meet an actor face (BeamTree
   * reuse); its actor nodes whose beam holds the receiver are solved, as the reference solves
   * them. A static prefix is grown only when the static tree's node for it, or a static
   * descendant of that node above maxDepth, has a beam that meets an actor's bounding box
   * (actorPrefixes): a valid chain's static prefix is a valid partial path of the static scene
   * (the frame minus the actors), so its point on the actor lies in that node's static beam, which
   * holds the frame's. The last level is not grown: each candidate child (a face in its parent's
   * beam, the reference's plane and coplanarity rules) is solved directly, since the beam and
   * occlusion culling the reference applies first only drop sequences no receiver completes
   * (beamTree.ts), which the solver's validation rejects as well. Null when the reference's tree
   * would not be complete (its budget).
   */
  private actorChains(
    gc: TracerGeometry,
    frame: FrameScene,
    staticTree: BeamTree,
    tx: Vec3,
    rx: Vec3,
    tol: number,
    occlusionEps: number,
    staticNodes: number,
    stats: IncrementalStats,
  ): PathGeometry[] | null {
    const o = this.o;
    const last = o.maxDepth - 1;
    const isActorFace = (f: number) => f >= frame.staticFaces;
    const need = actorPrefixes(staticTree, actorBounds(frame), last);
    const st = staticTree.trie;
    // per static node: the faces of its needed children (ascending: the tree grows them so)
    const neededFaces = new Map<number, number[]>();
    for (let u = 1; u < need.length; u++) {
      if (need[u] !== 1) continue;
      const p = st.parent[u]!;
      const list = neededFaces.get(p) ?? [];
      if (list[list.length - 1] !== st.face[u]) list.push(st.face[u]!);
      neededFaces.set(p, list);
    }
    // the deepest grown level (last) without occlusion culling: rebuilt every frame, that culling
    // cost more than the few extra candidates it removes, which the solver rejects
    const tree = new BeamTree(gc, tx, o.specular, o.transmission, tol, last - 1);
    const trie = tree.trie;
    // per frame node: 1 when its sequence has an actor face
    const has: number[] = [0];
    const hasActor = (v: number): number => {
      for (let u = has.length; u <= v; u++)
        has.push(has[trie.parent[u]!]! || (isActorFace(trie.face[u]!) ? 1 : 0));
      return has[v]!;
    };
    // Static prefixes take the static tree's beams (BeamReuse), and as candidates their needed
    // static children and the actor faces in their beam (actor faces come after static ones);
    // actor nodes take every face in their beam. So every static node of the frame's tree is
    // a needed one (a copy), and no further filter (BeamTree keep) is wanted.
    const actorFaces: number[] = [];
    const scene = gc.scene;
    // per face: the last node that listed it (facesInBeamFrom)
    const seen = new Int32Array(gc.faceCount).fill(-1);
    const boxes = objectBoxes(scene);
    const reuse = {
      tree: staticTree,
      faces: (v: number, s: number, out: number[]) => {
        out.length = 0;
        for (const f of neededFaces.get(s) ?? []) out.push(f);
        facesInBeamFrom(gc, tree.beams, v, frame.staticObjects, boxes, seen, actorFaces);
        for (const f of actorFaces) out.push(f);
      },
    };
    for (const _ of tree.grow(last, o.candidateBudget, 1 << 30, reuse));
    if (tree.completeDepth < last) return null;
    const out: PathGeometry[] = [];
    const solver = new SpecularSolver(gc, tx, trie, tree.images, tol, occlusionEps);
    let actorNodes = 0;
    const grown = tree.completeSize;
    for (let v = 1; v < grown; v++) {
      if (hasActor(v) === 0) continue;
      actorNodes++;
      if (!beamContains(tree.beams, v, rx[0], rx[1], rx[2])) continue;
      const p = solver.solve(v, rx);
      if (p) out.push(p);
    }
    const types: number[] = [];
    if (o.specular) types.push(REFLECTION);
    if (o.transmission) types.push(TRANSMISSION);
    const faces: number[] = [];
    const suffixFace = [0];
    const suffixType = [0];
    const images = tree.images;
    const margin = tree.beams.margin;
    let leaves = 0;
    for (let v = tree.levelStart[last]!; v < tree.levelStart[last + 1]!; v++) {
      const vf = trie.face[v]!;
      // a parent without an actor face can only be completed by one: test the actors' triangles alone
      facesInBeamFrom(gc, tree.beams, v, hasActor(v) === 1 ? 0 : frame.staticObjects, boxes, seen, faces);
      for (const f of faces) {
        if (v === 0) {
          if (Math.abs(planeDistance(gc, f, tx[0], tx[1], tx[2])) <= tol) continue;
        } else if (f === vf || coplanarFaces(gc, vf, f, tol)) continue;
        // the child (v, f, type) solved without adding it to the trie (the same image arithmetic);
        // one whose image (v's, mirrored by a reflection) lies clearly on the receiver's side of
        // f's plane is skipped: its last leg cannot cross the plane, the solver rejects it
        suffixFace[0] = f;
        const dI = planeDistance(gc, f, images[3 * v]!, images[3 * v + 1]!, images[3 * v + 2]!);
        const dR = planeDistance(gc, f, rx[0], rx[1], rx[2]);
        const clear = Math.abs(dI) > margin && Math.abs(dR) > margin;
        for (const type of types) {
          // counted before the skip: the reference's tree holds such a node (the budget check)
          actorNodes++;
          leaves++;
          if (clear && (type === REFLECTION ? -dI : dI) * dR > 0) continue;
          suffixType[0] = type;
          const p = solver.solveJoined(v, suffixFace, suffixType, rx);
          if (p) out.push(p);
        }
      }
    }
    // the reference's tree holds at most the static tree's nodes plus the actor ones: within its
    // budget, it is complete to maxDepth as well
    if (staticNodes + actorNodes > o.candidateBudget) return null;
    stats.actorTreeNodes = trie.size - 1 + leaves;
    return out;
  }
}

/**
 * Per node of the static tree: 1 for the nodes of depth 1 … last whose beam meets an actor's box
 * (min xyz, max xyz, 6 per actor), and for their ancestors; 0 elsewhere. Only these static
 * sequences can be continued by an actor face before depth last + 1.
 */
function actorPrefixes(tree: BeamTree, boxes: Float64Array, last: number): Uint8Array {
  const { trie, beams, levelStart } = tree;
  const need = new Uint8Array(trie.size);
  const end = levelStart[Math.min(last, tree.completeDepth) + 1]!;
  const pl = beams.planes;
  for (let v = 1; v < end; v++) {
    if (need[v] === 1) continue;
    const kind = beams.kind[v]!;
    if (kind === BEAM_EMPTY) continue;
    let meets = kind === BEAM_ALL;
    for (let a = 0; a < boxes.length && !meets; a += 6)
      meets = !boxOutsideBeam(pl, beams.start[v]!, beams.start[v + 1]!, boxes, a);
    if (!meets) continue;
    for (let u = v; u > 0 && need[u] === 0; u = trie.parent[u]!) need[u] = 1;
  }
  return need;
}

/**
 * The faces of objects from `firstObject` on with a triangle that may lie in node v's beam,
 * ascending: facesInBeam's test (a triangle wholly outside one of the beam's half-spaces is
 * out), without its BVH: the same set for the triangles given. The actors come last in a frame,
 * so `firstObject` = the first actor lists the actor faces alone; 0 lists every face, which for
 * a scene of a few hundred triangles costs less than the traversal (the last level's parents).
 * An object whose box (`boxes`, 6 per object) is wholly outside one half-space is skipped
 * whole (beams.ts boxOutsideBeam), and one wholly inside every half-space is listed whole
 * (boxInsideBeam): the triangle test was a sixth of a timeline step when every triangle was tested.
 */
function facesInBeamFrom(
  g: TracerGeometry,
  beams: CandidateBeams,
  v: number,
  firstObject: number,
  boxes: ObjectBoxes,
  stamp: Int32Array,
  out: number[],
): void {
  out.length = 0;
  const kind = beams.kind[v]!;
  if (kind === BEAM_EMPTY) return;
  const scene = g.scene;
  const pos = scene.positions;
  const pl = beams.planes;
  const p0 = beams.start[v]!;
  const p1 = beams.start[v + 1]!;
  const B = boxes.box;
  let ascending = true;
  for (let ob = firstObject; ob < scene.objects.length; ob++) {
    for (let c = boxes.clusterStart[ob]!; c < boxes.clusterStart[ob + 1]!; c++) {
      // a cluster wholly inside the beam has every triangle in it: no triangle test
      let test = kind !== BEAM_ALL;
      if (test && boxOutsideBeam(pl, p0, p1, B, 6 * c)) {
        // the object's first box holds all of it: its other clusters are out too
        if (c === boxes.clusterStart[ob]!) break;
        continue;
      }
      if (test && c > boxes.clusterStart[ob]! && boxInsideBeam(pl, p0, p1, B, 6 * c)) test = false;
      if (c === boxes.clusterStart[ob]!) continue; // the object's box: its clusters follow
      for (let t = boxes.triangleStart[c]!; t < boxes.triangleStart[c + 1]!; t++) {
        const f = scene.triangleFace[t]!;
        if (stamp[f] === v || (test && triangleOutsideBeam(pl, p0, p1, pos, t))) continue;
        stamp[f] = v;
        if (out.length > 0 && f < out[out.length - 1]!) ascending = false;
        out.push(f);
      }
    }
  }
  // sorted only when the triangles did not list their faces in ascending order
  if (!ascending) out.sort((a, b) => a - b);
}

/**
 * Per object of a scene, boxes (min xyz, max xyz): first the object's own, then one per run of
 * at most CLUSTER consecutive triangles (a mesh lists neighbouring triangles together, so runs
 * are compact); triangles of box c: [triangleStart[c], triangleStart[c + 1]), empty for an
 * object's own box.
 */
interface ObjectBoxes {
  box: Float64Array;
  /** the boxes of object ob: [clusterStart[ob], clusterStart[ob + 1]) */
  clusterStart: Int32Array;
  triangleStart: Int32Array;
}

const CLUSTER = 8;

function objectBoxes(scene: Scene): ObjectBoxes {
  const pos = scene.positions;
  const clusterStart = new Int32Array(scene.objects.length + 1);
  const starts: number[] = [];
  const box: number[] = [];
  const grow = (o: number, t0: number, t1: number) => {
    for (let a = 0; a < 3; a++) {
      box[o + a] = Infinity;
      box[o + 3 + a] = -Infinity;
    }
    for (let j = 9 * t0; j < 9 * t1; j += 3) {
      for (let a = 0; a < 3; a++) {
        if (pos[j + a]! < box[o + a]!) box[o + a] = pos[j + a]!;
        if (pos[j + a]! > box[o + 3 + a]!) box[o + 3 + a] = pos[j + a]!;
      }
    }
  };
  scene.objects.forEach((ob, i) => {
    clusterStart[i] = starts.length;
    const end = ob.triangleOffset + ob.triangleCount;
    starts.push(ob.triangleOffset);
    grow(box.length, ob.triangleOffset, end);
    for (let t = ob.triangleOffset; t < end; t += CLUSTER) {
      starts.push(t);
      grow(box.length, t, Math.min(end, t + CLUSTER));
    }
  });
  clusterStart[scene.objects.length] = starts.length;
  // triangleStart[c + 1] ends box c: the next box's start, the object's own box starting where
  // its first cluster does (so that it holds no triangle)
  const triangleStart = new Int32Array(starts.length + 1);
  for (let c = 0; c < starts.length; c++) triangleStart[c] = starts[c]!;
  triangleStart[starts.length] = scene.triangleObject.length;
  return { box: Float64Array.from(box), clusterStart, triangleStart };
}

/**
 * The boxes of the casts (7 numbers each, raycasts; 6 each: min xyz, max xyz): a cast that left
 * the scene is unbounded along the axes its direction has a component on.
 */
function castBoxes(casts: Float64Array): Float64Array {
  const n = casts.length / 7;
  const cb = new Float64Array(6 * n);
  for (let c = 0; c < n; c++) {
    const q = 7 * c;
    const tmax = casts[q + 6]!;
    for (let a = 0; a < 3; a++) {
      const from = casts[q + a]!;
      const d = casts[q + 3 + a]!;
      // an unbounded cast: ±Infinity on the axes it moves along (0 · Infinity would be NaN)
      const to = d === 0 ? from : tmax === Infinity ? d * Infinity : from + tmax * d;
      cb[6 * c + a] = Math.min(from, to);
      cb[6 * c + 3 + a] = Math.max(from, to);
    }
  }
  return cb;
}

/**
 * The casts of one shot ray (records [s, e) of one ray), 7 numbers each, from its hit records:
 * the first cast from the transmitter, then at every hit of depth < maxDepth the reflected and
 * transmitted continuations shootRays follows; a continuation without a child record left the
 * scene (tmax = Infinity).
 */
function raycasts(
  g: TracerGeometry,
  rec: HitRecords,
  s: number,
  e: number,
  tx: Vec3,
  dir0: Vec3,
  o: ResolvedTraceOptions,
  out: number[],
): void {
  const child = new Map<number, number>();
  let first = -1;
  for (let r = s; r < e; r++) {
    const p = rec.parent[r]!;
    if (p < 0) first = r;
    else child.set(2 * p + rec.via[r]!, r);
  }
  out.push(tx[0], tx[1], tx[2], dir0[0], dir0[1], dir0[2], first < 0 ? Infinity : rec.length[first]!);
  const pts = rec.points;
  for (let r = s; r < e; r++) {
    if (rec.depth[r]! >= o.maxDepth) continue;
    const p = rec.parent[r]!;
    const ox = p < 0 ? tx[0] : pts[3 * p]!;
    const oy = p < 0 ? tx[1] : pts[3 * p + 1]!;
    const oz = p < 0 ? tx[2] : pts[3 * p + 2]!;
    let dx = pts[3 * r]! - ox;
    let dy = pts[3 * r + 1]! - oy;
    let dz = pts[3 * r + 2]! - oz;
    const l = Math.hypot(dx, dy, dz);
    dx /= l;
    dy /= l;
    dz /= l;
    const cast = (type: number, x: number, y: number, z: number) => {
      const c = child.get(2 * r + type);
      out.push(
        pts[3 * r]!,
        pts[3 * r + 1]!,
        pts[3 * r + 2]!,
        x,
        y,
        z,
        c === undefined ? Infinity : rec.length[c]! - rec.length[r]!,
      );
    };
    if (o.transmission) cast(TRANSMISSION, dx, dy, dz);
    if (o.specular) {
      const f = rec.face[r]!;
      const nx = g.facePlane[4 * f]!;
      const ny = g.facePlane[4 * f + 1]!;
      const nz = g.facePlane[4 * f + 2]!;
      const c = dx * nx + dy * ny + dz * nz;
      cast(REFLECTION, dx - 2 * c * nx, dy - 2 * c * ny, dz - 2 * c * nz);
    }
  }
}

/** The box of a scene's triangles (min xyz, max xyz). */
function sceneBox(scene: Scene): Float64Array {
  const b = new Float64Array([Infinity, Infinity, Infinity, -Infinity, -Infinity, -Infinity]);
  const pos = scene.positions;
  for (let j = 0; j < pos.length; j += 3) {
    for (let a = 0; a < 3; a++) {
      if (pos[j + a]! < b[a]!) b[a] = pos[j + a]!;
      if (pos[j + a]! > b[3 + a]!) b[3 + a] = pos[j + a]!;
    }
  }
  return b;
}

/** The actors' triangles in a frame: box and exact tests of segments and casts against them. */
class ActorTriangles {
  private readonly box: Float64Array;
  private readonly pos: Float64Array;
  /** triangles of actor a (the scene's indices): [start[a], start[a + 1]) */
  private readonly start: number[];
  private readonly seg = new Float64Array(13);

  constructor(
    frame: FrameScene,
    private readonly eps: number,
  ) {
    const b = actorBounds(frame);
    // the boxes grow by a margin that covers rounding of directions rebuilt from hit points
    const m = 1e-6 + 10 * eps;
    for (let i = 0; i < b.length; i += 6) {
      for (let k = 0; k < 3; k++) {
        b[i + k] = b[i + k]! - m;
        b[i + 3 + k] = b[i + 3 + k]! + m;
      }
    }
    this.box = b;
    const s = frame.scene;
    const first = s.objects[frame.staticObjects]?.triangleOffset ?? s.triangleObject.length;
    this.pos = s.positions;
    this.start = [first];
    for (const o of s.objects.slice(frame.staticObjects))
      this.start.push(this.start[this.start.length - 1]! + o.triangleCount);
  }

  /**
   * Whether the ray R[q…q+7) (origin xyz, unit direction xyz, tmax), o + t·d for t ∈ [0, tmax],
   * meets actor box a (slab test). Read from an array: numbers passed to a call are boxed.
   */
  private rayBox(a: number, R: Float64Array, q: number): boolean {
    const b = this.box;
    let t0 = 0;
    let t1 = R[q + 6]!;
    // slab by slab, without a closure per call (hot: every cast of every shot ray, per frame)
    for (let k = 0; k < 3; k++) {
      const o = R[q + k]!;
      const d = R[q + 3 + k]!;
      const lo = b[6 * a + k]!;
      const hi = b[6 * a + 3 + k]!;
      if (d === 0) {
        if (o < lo || o > hi) return false;
        continue;
      }
      const ta = (lo - o) / d;
      const tb = (hi - o) / d;
      t0 = Math.max(t0, Math.min(ta, tb));
      t1 = Math.min(t1, Math.max(ta, tb));
      if (t0 > t1) return false;
    }
    return true;
  }

  /** The actors' boxes, grown (6 per actor). */
  get boxes(): Float64Array {
    return this.box;
  }

  /** Whether box `b` at offset o (min xyz, max xyz) overlaps an actor's (grown) box. */
  meetsBox(b: Float64Array, o: number): boolean {
    const A = this.box;
    for (let a = 0; a < A.length; a += 6) {
      if (
        b[o]! <= A[a + 3]! &&
        b[o + 3]! >= A[a]! &&
        b[o + 1]! <= A[a + 4]! &&
        b[o + 4]! >= A[a + 1]! &&
        b[o + 2]! <= A[a + 5]! &&
        b[o + 5]! >= A[a + 2]!
      )
        return true;
    }
    return false;
  }

  /** Whether any cast [c0, c1) comes within an actor's (grown) box. */
  nearCasts(casts: Float64Array, boxes: Float64Array, c0: number, c1: number): boolean {
    const n = this.start.length - 1;
    for (let c = c0; c < c1; c++) {
      if (!this.meetsBox(boxes, 6 * c)) continue;
      const q = 7 * c;
      for (let a = 0; a < n; a++) {
        if (this.rayBox(a, casts, q)) return true;
      }
    }
    return false;
  }

  /**
   * Whether segment p → q meets an actor triangle at t ∈ (tMin, len − tEnd) (metres), as
   * segmentOccluded bounds it: `eps` clearance at an antenna end, none at an interaction point.
   */
  blocksSegment(p: Vec3, q: Vec3, tMin: number, tEnd: number): boolean {
    this.seg.set(p, 0);
    this.seg.set(q, 3);
    return this.blocks(tMin, tEnd);
  }

  /** blocksSegment from the point at offset o of a flat array. */
  blocksSegmentFrom(P: Float64Array, o: number, q: Vec3, tMin: number, tEnd: number): boolean {
    const S = this.seg;
    S[0] = P[o]!;
    S[1] = P[o + 1]!;
    S[2] = P[o + 2]!;
    S[3] = q[0];
    S[4] = q[1];
    S[5] = q[2];
    return this.blocks(tMin, tEnd);
  }

  /** The test of segment seg[0..2] → seg[3..5] (in an array: numbers passed to a call are boxed). */
  private blocks(tMin: number, tEnd: number): boolean {
    const S = this.seg;
    const ax = S[0]!;
    const ay = S[1]!;
    const az = S[2]!;
    const bx = S[3]!;
    const by = S[4]!;
    const bz = S[5]!;
    // most segments (a frame's static paths) pass far from every actor: their box tells
    const A = this.box;
    let near = false;
    for (let a = 0; a < A.length && !near; a += 6)
      near =
        Math.min(ax, bx) <= A[a + 3]! &&
        Math.max(ax, bx) >= A[a]! &&
        Math.min(ay, by) <= A[a + 4]! &&
        Math.max(ay, by) >= A[a + 1]! &&
        Math.min(az, bz) <= A[a + 5]! &&
        Math.max(az, bz) >= A[a + 2]!;
    if (!near) return false;
    let dx = bx - ax;
    let dy = by - ay;
    let dz = bz - az;
    const len = Math.sqrt(dx * dx + dy * dy + dz * dz);
    if (!(len > 0)) return false;
    dx /= len;
    dy /= len;
    dz /= len;
    // the ray for rayBox at S[6…13)
    S[6] = ax;
    S[7] = ay;
    S[8] = az;
    S[9] = dx;
    S[10] = dy;
    S[11] = dz;
    S[12] = len;
    const tMax = len - tEnd;
    const n = this.start.length - 1;
    for (let a = 0; a < n; a++) {
      if (!this.rayBox(a, S, 6)) continue;
      // the reference's triangle test (rayCast.ts), on this actor's triangles alone
      if (rayHitsTriangles(this.pos, this.start[a]!, this.start[a + 1]!, S, 6, tMin, tMax)) return true;
    }
    return false;
  }

  /** Whether an actor blocks any leg of a static path (tx → interactions → rx). */
  blocksPath(path: PathGeometry, tx: Vec3, rx: Vec3): boolean {
    const pts = [tx, ...path.interactions.map((i) => i.point), rx];
    for (let k = 0; k + 1 < pts.length; k++) {
      const tMin = k === 0 ? this.eps : 0;
      const tEnd = k + 2 === pts.length ? this.eps : 0;
      if (this.blocksSegment(pts[k]!, pts[k + 1]!, tMin, tEnd)) return true;
    }
    return false;
  }
}
