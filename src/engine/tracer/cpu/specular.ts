import type { Vec3 } from '../../core/vec3.ts';
import type { Interaction, PathGeometry } from '../path.ts';
import { type CandidateTrie, REFLECTION } from './candidates.ts';
import { segmentOccluded } from './rayCast.ts';
import { insideFace, planeDistance, type TracerGeometry } from './tracerGeometry.ts';

/**
 * Exact specular paths (reflections and straight-through transmissions) by the image method.
 *
 * For a sequence of interactions (f₁,t₁)…(fₙ,tₙ) the transmitter images are
 * I₀ = Tx, Iₖ = mirror of Iₖ₋₁ in the plane of fₖ for a reflection, Iₖ = Iₖ₋₁ for a
 * transmission (no bending). They depend on the transmitter only, so they are computed once per
 * trie node. For a receiver, the points are found backwards: Pₙ₊₁ = Rx and
 * Pₖ = (line Iₖ → Pₖ₊₁) ∩ plane(fₖ), which must lie strictly between Iₖ and Pₖ₊₁.
 * The path is valid when every Pₖ lies inside its face (point-in-triangle with a small slack),
 * the neighbours Pₖ₋₁, Pₖ₊₁ are strictly on the same side of fₖ for a reflection and on
 * opposite sides for a transmission, and no segment PₖPₖ₊₁ is blocked (ignoring the faces it
 * starts and ends on). Cheap tests run first, visibility last.
 */
export class SpecularSolver {
  /** 3 per trie node: transmitter image */
  readonly images: Float64Array;
  private readonly pts: Float64Array;
  private readonly faces: Int32Array;
  private readonly types: Int32Array;

  constructor(
    private readonly g: TracerGeometry,
    private readonly tx: Vec3,
    private readonly trie: CandidateTrie,
    private readonly tol: number,
    private readonly occlusionEps: number,
  ) {
    const n = trie.size;
    const img = new Float64Array(3 * n);
    img[0] = tx[0];
    img[1] = tx[1];
    img[2] = tx[2];
    for (let i = 1; i < n; i++) {
      const p = trie.parent[i]!;
      const x = img[3 * p]!,
        y = img[3 * p + 1]!,
        z = img[3 * p + 2]!;
      if (trie.type[i] === REFLECTION) {
        const f = trie.face[i]!;
        const d = planeDistance(g, f, x, y, z);
        img[3 * i] = x - 2 * d * g.facePlane[4 * f]!;
        img[3 * i + 1] = y - 2 * d * g.facePlane[4 * f + 1]!;
        img[3 * i + 2] = z - 2 * d * g.facePlane[4 * f + 2]!;
      } else {
        img[3 * i] = x;
        img[3 * i + 1] = y;
        img[3 * i + 2] = z;
      }
    }
    this.images = img;
    let maxDepth = 0;
    for (const d of trie.depth) maxDepth = Math.max(maxDepth, d);
    this.pts = new Float64Array(3 * (maxDepth + 2));
    this.faces = new Int32Array(maxDepth + 2);
    this.types = new Int32Array(maxDepth + 2);
  }

  /** The path of trie node `node` (depth ≥ 1) to the receiver, or undefined when invalid. */
  solve(node: number, rx: Vec3): PathGeometry | undefined {
    const { g, trie, pts, faces, types, tol } = this;
    const img = this.images;
    const n = trie.depth[node]!;
    // chain: index k = 1..n, point k+1 = receiver, point 0 = transmitter. Walking up the trie
    // from the node visits the interactions last-first, which is the order the points are found
    // in, so a candidate that fails early costs one plane intersection.
    pts[0] = this.tx[0];
    pts[1] = this.tx[1];
    pts[2] = this.tx[2];
    pts[3 * (n + 1)] = rx[0];
    pts[3 * (n + 1) + 1] = rx[1];
    pts[3 * (n + 1) + 2] = rx[2];
    for (let k = n, v = node; k >= 1; k--, v = trie.parent[v]!) {
      const f = trie.face[v]!;
      faces[k] = f;
      types[k] = trie.type[v]!;
      const ix = img[3 * v]!,
        iy = img[3 * v + 1]!,
        iz = img[3 * v + 2]!;
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
      const skipA = k > 0 ? faces[k]! : -1;
      const skipB = k < n ? faces[k + 1]! : -1;
      if (segmentOccluded(g, ax, ay, az, bx, by, bz, skipA, skipB, this.occlusionEps)) return undefined;
      length += Math.hypot(bx - ax, by - ay, bz - az);
    }
    const interactions: Interaction[] = [];
    for (let k = 1; k <= n; k++) {
      const f = faces[k]!;
      interactions.push({
        type: types[k] === REFLECTION ? 'reflection' : 'transmission',
        objectIndex: g.faceObject[f]!,
        faceIndex: f,
        point: [pts[3 * k]!, pts[3 * k + 1]!, pts[3 * k + 2]!],
      });
    }
    return { kind: 'specular', interactions, length };
  }
}
