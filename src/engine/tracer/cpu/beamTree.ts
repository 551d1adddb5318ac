import type { Vec3 } from '../../core/vec3.ts';
import {
  BEAM_ALL,
  BEAM_EMPTY,
  beamContains,
  boxOutsideBeam,
  CandidateBeams,
  triangleOutsideBeam,
} from './beams.ts';
import { CandidateTrie, extendImages, REFLECTION, TRANSMISSION } from './candidates.ts';
import { OcclusionCuller } from './occlusion.ts';
import { coplanarFaces, planeDistance, type TracerGeometry } from './tracerGeometry.ts';

/**
 * The image method's candidate tree from one source (the transmitter, or a receiver for the
 * meet-in-the-middle of receiverSearch.ts), enumerated exhaustively and pruned by exact beam
 * culling (beams.ts): a sequence (f₁ … fₖ) is extended by face f (reflection and/or
 * transmission) only when f's hull meets the beam of (f₁ … fₖ) and f is not coplanar with fₖ.
 * Since a valid path's k-th point lies in the k-th aperture (beams.ts), this drops only
 * sequences that no receiver can complete: every specular path of depth ≤ completeDepth, to any
 * receiver, is a node of the tree.
 *
 * Levels are built breadth first (parent before child, as the trie and the beams require), so the
 * tree is complete to the last whole level: a level whose nodes would take the tree past `budget`
 * nodes is dropped entirely and the tree stops at the level before (completeDepth).
 *
 * With `lastLevelBeams` false the deepest level (maxDepth of grow) is not built: grow lists, per
 * node of the level above, the faces in its beam (lazyFaces), and each receiver then takes only
 * the extensions (v, f) that can reach it (lastLevelFor: the receiver beyond f's plane and, seen
 * through f — mirrored for a reflection — in v's beam, beams.ts BEAM_LEAN), created in the trie
 * when first needed. That level holds most of the candidates and most of the set-up time; for a
 * few receivers a few plane tests per candidate cost far less than building the level (apertures,
 * occlusion culling, side planes). Same paths either way (the tests are necessary conditions of a
 * path, and the solver validates every candidate exactly).
 */
/**
 * Another tree whose beams a growing tree copies (dynamics/incremental.ts: the static scene's
 * tree reused by a frame's). Its scene must be this tree's with some faces removed (the same face
 * ids for the others) and the same beam margin: removing faces only removes occlusion, so its
 * beam of a sequence holds this tree's, and copying it drops no sequence a receiver completes.
 */
export interface BeamReuse {
  tree: BeamTree;
  /**
   * The candidate faces (ascending) of node v, whose sequence is node s of the reused tree: a
   * set that holds every face facesInBeam would give which the caller wants grown.
   */
  faces(v: number, s: number, out: number[]): void;
}

export class BeamTree {
  /** replaced only by adopt() */
  trie = new CandidateTrie();
  images: Float64Array = new Float64Array(3 * 1024);
  readonly beams: CandidateBeams;
  /** first node of each depth: depth d is [levelStart[d], levelStart[d + 1]) */
  readonly levelStart: number[] = [0, 1];
  /** every sequence up to this depth is in the tree */
  completeDepth = 0;
  /** the tree stopped because the next level did not fit the budget (not because of maxDepth) */
  overBudget = false;
  /**
   * The last level when not built (lastLevelBeams false): for node levelStart[depth − 1] + i of
   * the level above, the faces faces[start[i]] … faces[start[i + 1] − 1], ascending; null when the
   * tree is built whole.
   */
  lazyFaces: { depth: number; start: Int32Array; faces: Int32Array } | null = null;

  constructor(
    private readonly g: TracerGeometry,
    readonly source: Vec3,
    private readonly reflection: boolean,
    private readonly transmission: boolean,
    private readonly tol: number,
    /**
     * cull the beams of depth ≤ this by occlusion too (occlusion.ts). Deeper beams stay wider:
     * more candidates, which the solver rejects, for less work per beam — the incremental
     * tracer's deepest grown level, built anew for every frame (0: off, to measure what it saves)
     */
    private readonly occludedDepth = Infinity,
    /** beams (side planes, occlusion culling) for the deepest level too; false: see above */
    readonly lastLevelBeams = true,
  ) {
    this.beams = new CandidateBeams(g);
    this.beams.root(source);
    this.images = extendImages(g, source, this.trie, this.images, 0);
  }

  /**
   * Take over a tree grown elsewhere (another thread: sharedCandidates.ts): its trie, images,
   * beams and levels, as copies.
   */
  adopt(parts: {
    trie: CandidateTrie;
    images: Float64Array;
    beams: {
      kind: Uint8Array;
      start: Int32Array;
      planes: Float64Array;
      aperture: Float64Array;
      size: number;
    };
    levelStart: readonly number[];
    completeDepth: number;
    overBudget: boolean;
  }): void {
    this.trie = parts.trie;
    this.images = parts.images.slice();
    const b = parts.beams;
    this.beams.adopt(b.kind, b.start, b.planes, b.aperture, b.size);
    this.levelStart.splice(0, this.levelStart.length, ...parts.levelStart);
    this.completeDepth = parts.completeDepth;
    this.overBudget = parts.overBudget;
  }

  /** Nodes of the complete levels, the LoS root included. */
  get completeSize(): number {
    return this.levelStart[this.completeDepth + 1]!;
  }

  /**
   * Grow level by level up to `maxDepth`, keeping at most `budget` nodes (the root excluded);
   * yields every `chunk` expanded nodes (progress, cancellation).
   * With `reuse` (dynamics/incremental.ts: a frame's tree grown only along the sequences that can
   * still meet a moving object), a child whose sequence the reused tree holds gets that tree's
   * beam (no aperture or occlusion work), and a node whose sequence it holds takes its candidates
   * from reuse.faces: faces left out there neither become children nor occlude the others. Every
   * node of the plain tree whose faces reuse.faces lists is then in the tree, with its beam or a
   * wider one (less occlusion culling); the extra sequences are rejected by the solver's
   * validation, as is any sequence no receiver completes.
   */
  *grow(maxDepth: number, budget: number, chunk = 256, reuse?: BeamReuse): Generator<number, void> {
    const { g, trie, beams, tol } = this;
    const types: number[] = [];
    if (this.reflection) types.push(REFLECTION);
    if (this.transmission) types.push(TRANSMISSION);
    if (types.length === 0) return;
    const stamp = new Int32Array(g.faceCount).fill(-1);
    const culler = this.occludedDepth > 0 ? new OcclusionCuller(g, beams.margin) : null;
    const faces: number[] = [];
    const src = this.source;
    // per node: its node in the reused tree, or −1
    const reused: number[] = [reuse ? 0 : -1];
    const rt = reuse?.tree.trie;
    while (this.completeDepth < maxDepth && !this.overBudget) {
      const d = this.completeDepth;
      const lo = this.levelStart[d]!;
      const hi = this.levelStart[d + 1]!;
      let expanded = 0;
      if (!this.lastLevelBeams && d + 1 === maxDepth) {
        // a listed level takes its faces from this tree's beams, never from `reuse`
        if (!(yield* this.listLastLevel(lo, hi, types.length, budget, stamp, chunk))) return;
        continue;
      }
      for (let v = lo; v < hi; v++) {
        const vf = trie.face[v]!;
        const s = reused[v] ?? -1;
        if (s >= 0) reuse!.faces(v, s, faces);
        else facesInBeam(g, beams, v, stamp, v, faces);
        const occluded = culler !== null && d < this.occludedDepth;
        if (occluded) culler.prepare(this.images, 3 * v, v === 0 ? -1 : vf, faces);
        for (const f of faces) {
          if (v === 0) {
            // a face whose plane holds the source cannot be met by a path from it
            if (Math.abs(planeDistance(g, f, src[0], src[1], src[2])) <= tol) continue;
          } else if (f === vf || coplanarFaces(g, vf, f, tol)) continue;
          let poly: ArrayLike<number> | null | undefined;
          for (const type of types) {
            const u = s >= 0 && rt ? rt.find(s, f, type) : -1;
            if (u < 0 && poly === undefined) {
              poly = beams.apertureOn(v, f);
              if (poly && occluded) poly = culler.visible(f, poly);
            }
            if (u < 0 && !poly) continue;
            const child = trie.child(v, f, type);
            this.images = extendImages(g, src, trie, this.images, child);
            reused[child] = u;
            if (u >= 0) beams.copy(reuse!.tree.beams, u);
            else beams.push(f, this.images, 3 * child, poly!);
          }
        }
        if (trie.size - 1 > budget) {
          // the level does not fit: drop it whole, the tree stays complete to depth d
          trie.truncate(hi);
          beams.truncate(hi);
          this.overBudget = true;
          return;
        }
        if (++expanded % chunk === 0) yield trie.size;
      }
      this.levelStart.push(trie.size);
      this.completeDepth = d + 1;
      yield trie.size;
      if (trie.size === hi) {
        // no node at this depth: none deeper either
        while (this.completeDepth < maxDepth) {
          this.levelStart.push(trie.size);
          this.completeDepth++;
        }
      }
    }
  }

  /**
   * The last level, listed instead of built: per node v of [lo, hi) the faces in its beam that
   * could extend it (as grow filters them), in lazyFaces. False when its candidates would take
   * the tree past `budget` (overBudget; nothing listed).
   */
  private *listLastLevel(
    lo: number,
    hi: number,
    typeCount: number,
    budget: number,
    stamp: Int32Array,
    chunk: number,
  ): Generator<number, boolean> {
    const { g, trie, beams, tol } = this;
    const src = this.source;
    const start = new Int32Array(hi - lo + 1);
    let list = new Int32Array(1024);
    let n = 0;
    const faces: number[] = [];
    for (let v = lo; v < hi; v++) {
      const vf = trie.face[v]!;
      facesInBeam(g, beams, v, stamp, v, faces);
      for (const f of faces) {
        if (v === 0) {
          if (Math.abs(planeDistance(g, f, src[0], src[1], src[2])) <= tol) continue;
        } else if (f === vf || coplanarFaces(g, vf, f, tol)) continue;
        if (n === list.length) {
          const grown = new Int32Array(2 * n);
          grown.set(list);
          list = grown;
        }
        list[n++] = f;
      }
      start[v - lo + 1] = n;
      if (trie.size - 1 + n * typeCount > budget) {
        this.overBudget = true;
        return false;
      }
      if ((v - lo + 1) % chunk === 0) yield trie.size;
    }
    this.lazyFaces = { depth: this.completeDepth + 1, start, faces: list.subarray(0, n) };
    this.levelStart.push(trie.size);
    this.completeDepth++;
    return true;
  }

  /**
   * The nodes of the listed last level (lazyFaces) that can reach a receiver at `rx`, in the
   * order the built level would have them (parent, face, type ascending), each created (trie,
   * image, BEAM_LEAN beam) when first needed; `visit(node)` for each.
   */
  lastLevelFor(rx: Vec3, visit: (node: number) => void): void {
    const lazy = this.lazyFaces;
    if (!lazy) return;
    const { g, beams } = this;
    const margin = beams.margin;
    const lo = this.levelStart[lazy.depth - 1]!;
    const { start, faces } = lazy;
    const fp = g.facePlane;
    const [x, y, z] = rx;
    // per face: the receiver's signed distance to its plane
    const dR = this.scratch(g.faceCount);
    for (let f = 0; f < g.faceCount; f++)
      dR[f] = fp[4 * f]! * x + fp[4 * f + 1]! * y + fp[4 * f + 2]! * z - fp[4 * f + 3]!;
    for (let i = 0; i + 1 < start.length; i++) {
      const v = lo + i;
      if (beams.kind[v] === BEAM_EMPTY) continue;
      const ix = this.images[3 * v]!,
        iy = this.images[3 * v + 1]!,
        iz = this.images[3 * v + 2]!;
      // a transmission sees the receiver itself: one test of v's beam for all of them
      const direct = this.transmission && beamContains(beams, v, x, y, z);
      for (let k = start[i]!; k < start[i + 1]!; k++) {
        const f = faces[k]!;
        const nx = fp[4 * f]!,
          ny = fp[4 * f + 1]!,
          nz = fp[4 * f + 2]!;
        const dI = nx * ix + ny * iy + nz * iz - fp[4 * f + 3]!;
        const d = dR[f]!;
        // the receiver beyond f's plane seen from the child's image (beams.ts push: same slack,
        // no such bound for a grazing image); a reflection mirrors v's image to the other side
        // of the plane, a transmission keeps it
        const grazing = dI > -margin && dI < margin;
        if (
          this.reflection &&
          (grazing || (dI < 0 ? -d : d) + margin >= 0) &&
          beamContains(beams, v, x - 2 * d * nx, y - 2 * d * ny, z - 2 * d * nz)
        )
          visit(this.lazyChild(v, f, REFLECTION));
        if (direct && (grazing || (dI > 0 ? -d : d) + margin >= 0)) visit(this.lazyChild(v, f, TRANSMISSION));
      }
    }
  }

  /** Node (v, f, type) of the listed last level, created (trie, image, beam) when missing. */
  private lazyChild(v: number, f: number, type: number): number {
    const { trie, beams } = this;
    let child = trie.find(v, f, type);
    if (child < 0) {
      child = trie.child(v, f, type);
      this.images = extendImages(this.g, this.source, trie, this.images, child);
      beams.push(f, this.images, 3 * child, beams.hull(f), v, type === REFLECTION);
    }
    return child;
  }

  private scratchBuffer = new Float64Array(0);

  private scratch(n: number): Float64Array {
    if (this.scratchBuffer.length < n) this.scratchBuffer = new Float64Array(n);
    return this.scratchBuffer;
  }
}

/**
 * Faces with a triangle that may lie in node v's beam (a BVH traversal that drops boxes wholly
 * outside one of its half-spaces), ascending, in `out`; every face for an unbounded beam.
 * `stamp`/`mark` avoid listing a face twice.
 */
export function facesInBeam(
  g: TracerGeometry,
  beams: CandidateBeams,
  v: number,
  stamp: Int32Array,
  mark: number,
  out: number[],
): void {
  out.length = 0;
  const kind = beams.kind[v]!;
  if (kind === BEAM_EMPTY) return;
  if (kind === BEAM_ALL) {
    for (let f = 0; f < g.faceCount; f++) out.push(f);
    return;
  }
  const { bounds, nodes, triangleOrder } = g.bvh;
  const pos = g.scene.positions;
  const triFace = g.scene.triangleFace;
  const pl = beams.planes;
  const p0 = beams.start[v]!;
  const p1 = beams.start[v + 1]!;
  const stack = bvhStack;
  let sp = 0;
  stack[sp++] = 0;
  while (sp > 0) {
    const node = stack[--sp]!;
    if (boxOutsideBeam(pl, p0, p1, bounds, 6 * node)) continue;
    const a = nodes[2 * node]!;
    const b = nodes[2 * node + 1]!;
    if (b > 0) {
      if (sp + 2 > stack.length) throw new Error('BVH deeper than the traversal stack');
      stack[sp++] = a;
      stack[sp++] = b;
      continue;
    }
    for (let i = a; i < a - b; i++) {
      const t = triangleOrder[i]!;
      const f = triFace[t]!;
      if (stamp[f] === mark || triangleOutsideBeam(pl, p0, p1, pos, t)) continue;
      stamp[f] = mark;
      out.push(f);
    }
  }
  out.sort((x, y) => x - y);
}

const bvhStack = new Int32Array(512);
