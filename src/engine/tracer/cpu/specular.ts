import { norm3 } from '../../core/norm.ts';
import type { Vec3 } from '../../core/vec3.ts';
import type { Interaction, PathGeometry } from '../path.ts';
import { type CandidateTrie, REFLECTION } from './candidates.ts';
import { segmentOccluded } from './rayCast.ts';
import { insideFace, planeDistance, type TracerGeometry } from './tracerGeometry.ts';
import { pointOnSurface } from './wedges.ts';

/**
 * Exact specular paths (reflections and straight-through transmissions) by the image method.
 *
 * For a sequence of interactions (f₁,t₁)…(fₙ,tₙ) the transmitter images are
 * I₀ = Tx, Iₖ = mirror of Iₖ₋₁ in the plane of fₖ for a reflection, Iₖ = Iₖ₋₁ for a
 * transmission (no bending). They depend on the transmitter only, so they are computed once per
 * trie node (candidates.ts extendImages). For a receiver, the points are found backwards: Pₙ₊₁ = Rx and
 * Pₖ = (line Iₖ → Pₖ₊₁) ∩ plane(fₖ), which must lie strictly between Iₖ and Pₖ₊₁.
 * The path is valid when every Pₖ lies inside its face (insideFace: at least tol inside the
 * face's open edges), the neighbours Pₖ₋₁, Pₖ₊₁ are strictly on the same side of fₖ for a
 * reflection and on opposite sides for a transmission, no segment PₖPₖ₊₁ is blocked (ignoring
 * the planes it starts and ends on, segmentOccluded), and no Pₖ lies on another surface.
 * Cheap tests run first. These are the watertight rules of docs/physics.md §9.
 */
export class SpecularSolver {
  private readonly pts: Float64Array;
  private readonly faces: Int32Array;
  private readonly types: Int32Array;
  /** 3 per interaction: the source image before it (I_k) */
  private readonly imgs: Float64Array;

  /**
   * `images`: the transmitter image per trie node (candidates.ts extendImages; read at solve
   * time, so a trie that grows later is fine as long as `images` is the current array).
   */
  constructor(
    private readonly g: TracerGeometry,
    private readonly tx: Vec3,
    private readonly trie: CandidateTrie,
    public images: Float64Array,
    private readonly tol: number,
    private readonly occlusionEps: number,
  ) {
    const n = MAX_INTERACTIONS + 2;
    this.pts = new Float64Array(3 * n);
    this.faces = new Int32Array(n);
    this.types = new Int32Array(n);
    this.imgs = new Float64Array(3 * n);
  }

  /** The path of trie node `node` (depth ≥ 1) to the receiver, or undefined when invalid. */
  solve(node: number, rx: Vec3): PathGeometry | undefined {
    const { trie, faces, types, imgs, images } = this;
    const n = trie.depth[node]!;
    for (let k = n, v = node; k >= 1; k--, v = trie.parent[v]!) {
      faces[k] = trie.face[v]!;
      types[k] = trie.type[v]!;
      imgs[3 * k] = images[3 * v]!;
      imgs[3 * k + 1] = images[3 * v + 1]!;
      imgs[3 * k + 2] = images[3 * v + 2]!;
    }
    return this.solveChain(n, rx);
  }

  /**
   * The path of trie node `prefix` followed by `suffix` (face, type per interaction, in path
   * order), or undefined when invalid: the meet-in-the-middle candidates of receiverSearch.ts.
   */
  solveJoined(prefix: number, suffixFaces: readonly number[], suffixTypes: readonly number[], rx: Vec3) {
    const { g, trie, faces, types, imgs, images } = this;
    const a = trie.depth[prefix]!;
    const n = a + suffixFaces.length;
    for (let k = a, v = prefix; k >= 1; k--, v = trie.parent[v]!) {
      faces[k] = trie.face[v]!;
      types[k] = trie.type[v]!;
      imgs[3 * k] = images[3 * v]!;
      imgs[3 * k + 1] = images[3 * v + 1]!;
      imgs[3 * k + 2] = images[3 * v + 2]!;
    }
    let x = images[3 * prefix]!,
      y = images[3 * prefix + 1]!,
      z = images[3 * prefix + 2]!;
    for (let j = 0; j < suffixFaces.length; j++) {
      const k = a + 1 + j;
      const f = suffixFaces[j]!;
      faces[k] = f;
      types[k] = suffixTypes[j]!;
      if (types[k] === REFLECTION) {
        const d = planeDistance(g, f, x, y, z);
        x -= 2 * d * g.facePlane[4 * f]!;
        y -= 2 * d * g.facePlane[4 * f + 1]!;
        z -= 2 * d * g.facePlane[4 * f + 2]!;
      }
      imgs[3 * k] = x;
      imgs[3 * k + 1] = y;
      imgs[3 * k + 2] = z;
    }
    return this.solveChain(n, rx);
  }

  /** Solve and validate the chain in faces/types/imgs [1..n]. */
  private solveChain(n: number, rx: Vec3): PathGeometry | undefined {
    const { g, pts, faces, types, imgs, tol } = this;
    // chain: index k = 1..n, point k+1 = receiver, point 0 = transmitter. The points are found
    // last-first, so a candidate that fails early costs one plane intersection.
    pts[0] = this.tx[0];
    pts[1] = this.tx[1];
    pts[2] = this.tx[2];
    pts[3 * (n + 1)] = rx[0];
    pts[3 * (n + 1) + 1] = rx[1];
    pts[3 * (n + 1) + 2] = rx[2];
    for (let k = n; k >= 1; k--) {
      const f = faces[k]!;
      const ix = imgs[3 * k]!,
        iy = imgs[3 * k + 1]!,
        iz = imgs[3 * k + 2]!;
      const qx = pts[3 * (k + 1)]!,
        qy = pts[3 * (k + 1) + 1]!,
        qz = pts[3 * (k + 1) + 2]!;
      const dx = qx - ix,
        dy = qy - iy,
        dz = qz - iz;
      const nx = g.facePlane[4 * f]!,
        ny = g.facePlane[4 * f + 1]!,
        nz = g.facePlane[4 * f + 2]!;
      const den = nx * dx + ny * dy + nz * dz;
      if (den === 0) return undefined;
      const s = -planeDistance(g, f, ix, iy, iz) / den;
      if (!(s > 0 && s < 1)) return undefined;
      const px = ix + s * dx,
        py = iy + s * dy,
        pz = iz + s * dz;
      if (!insideFace(g, f, px, py, pz, tol)) return undefined;
      pts[3 * k] = px;
      pts[3 * k + 1] = py;
      pts[3 * k + 2] = pz;
    }
    for (let k = 1; k <= n; k++) {
      const f = faces[k]!;
      const a = planeDistance(g, f, pts[3 * (k - 1)]!, pts[3 * (k - 1) + 1]!, pts[3 * (k - 1) + 2]!);
      const b = planeDistance(g, f, pts[3 * (k + 1)]!, pts[3 * (k + 1) + 1]!, pts[3 * (k + 1) + 2]!);
      if (Math.abs(a) <= tol || Math.abs(b) <= tol) return undefined;
      if (types[k] === REFLECTION ? a * b < 0 : a * b > 0) return undefined;
    }
    let length = 0;
    for (let k = 0; k <= n; k++) {
      const ax = pts[3 * k]!,
        ay = pts[3 * k + 1]!,
        az = pts[3 * k + 2]!;
      const bx = pts[3 * k + 3]!,
        by = pts[3 * k + 4]!,
        bz = pts[3 * k + 5]!;
      const endA = k > 0 ? faces[k]! : -1;
      const endB = k < n ? faces[k + 1]! : -1;
      if (segmentOccluded(g, ax, ay, az, bx, by, bz, endA, endB, this.occlusionEps)) return undefined;
      length += norm3(bx - ax, by - ay, bz - az);
    }
    // an interaction point on another surface (a junction: a wall's foot on a floor) belongs to
    // neither: the watertight rule resolves it as no specular point at all
    for (let k = 1; k <= n; k++) {
      if (pointOnSurface(g, pts[3 * k]!, pts[3 * k + 1]!, pts[3 * k + 2]!, tol, faces[k]!, false))
        return undefined;
    }
    // sized once (a pushed-to array starts with room for 17)
    const interactions = new Array<Interaction>(n);
    for (let k = 1; k <= n; k++) {
      const f = faces[k]!;
      interactions[k - 1] = {
        type: types[k] === REFLECTION ? 'reflection' : 'transmission',
        objectIndex: g.faceObject[f]!,
        faceIndex: f,
        point: [pts[3 * k]!, pts[3 * k + 1]!, pts[3 * k + 2]!],
      };
    }
    return { kind: 'specular', interactions, length };
  }
}

/** Longest interaction chain the solver holds (the depth limit of the settings). */
export const MAX_INTERACTIONS = 12;
