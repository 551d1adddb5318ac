import { norm3 } from '../../core/norm.ts';
import type { Vec3 } from '../../core/vec3.ts';
import type { PathGeometry } from '../path.ts';
import { CLEAR, classifyOnEdge, type EdgeShadow, edgeHidden, edgeShadow, UNDECIDED } from './edgeShadows.ts';
import { segmentOccluded, segmentOccludedMemo } from './rayCast.ts';
import type { TracerGeometry } from './tracerGeometry.ts';
import type { Wedge } from './wedges.ts';

/**
 * First-order edge-diffracted paths Tx → Q → Rx.
 *
 * The diffraction point Q on the edge minimises |Tx−Q| + |Q−Rx| (Fermat), which is the Keller
 * cone condition: the two legs make equal angles with the edge. With s the coordinate along
 * the edge and r the distance to the edge line, unfolding the two half-planes around the edge
 * gives Q at s = s₁ + (s₂ − s₁)·r₁/(r₁ + r₂). Q must lie on the edge segment, Tx and Rx must lie
 * in the same diffracting region of the wedge (see wedges.ts), and both legs must be
 * unobstructed (ignoring the wedge's faces).
 * The interaction's `faceIndex` is the face bounding the region holding Tx and Rx at φ = 0 and
 * `edge.otherFaceIndex` the other face (−1 for a free edge); see wedges.ts `wedgeFrame`. The record
 * does not depend on the direction of travel; the field picks the UTD 0-face from it
 * (field/diffraction.ts `luebbersFaces`: the face the source illuminates).
 */
export function diffractedPaths(
  g: TracerGeometry,
  wedges: readonly Wedge[],
  tx: Vec3,
  rx: Vec3,
  occlusionEps: number,
  out: PathGeometry[],
): void {
  new EdgeDiffraction(g, wedges, tx, occlusionEps).paths(rx, out);
}

const ANGLE_EPS = 1e-9;
const TWO_PI = 2 * Math.PI;
/**
 * Exact tests of a wedge's first leg before its shadows (edgeShadows.ts) are worked out: working
 * them out costs some tens of exact tests, and pays only for an edge many receivers reach.
 */
const TESTS_BEFORE_SHADOWS = 8;
/**
 * Receivers after which every remaining wedge's shadows are worked out: an edge costs each
 * receiver its angle test (≈ 0.2 µs) and its shadows once (≈ 50 µs on the city fixture), and
 * most edges of a city turn out hidden and leave the loop.
 */
const RECEIVERS_BEFORE_ALL_SHADOWS = 256;

/**
 * The diffraction search from one transmitter: what depends on the transmitter alone (which
 * region of each wedge holds it, its coordinates along and off the edge) is computed once, so a
 * receiver costs its own angle and the two occlusion tests of the wedges that can serve it.
 */
export class EdgeDiffraction {
  /** per wedge: the region holding the transmitter (1, 2), or 0 when it cannot diffract */
  private readonly region: Uint8Array;
  /** per wedge: s₁ (along the edge), r₁ (off the edge line) */
  private readonly s1: Float64Array;
  private readonly r1: Float64Array;
  /** per wedge: e × uA (angles about the edge) */
  private readonly y: Float64Array;
  /** the wedges that may serve a receiver, in wedge order (region ≠ 0; hidden ones dropped lazily) */
  private active: Int32Array;
  private dropped = 0;
  private receivers = 0;
  /** per wedge: exact tests of its first leg so far, and its shadows once worked out */
  private readonly tests: Uint8Array;
  private readonly shadows: (EdgeShadow | undefined)[];
  /** per wedge: the triangle that blocked its last receiver's leg (−1: none), tried first */
  private readonly rxMemo: Int32Array;

  constructor(
    private readonly g: TracerGeometry,
    private readonly wedges: readonly Wedge[],
    private readonly tx: Vec3,
    private readonly occlusionEps: number,
  ) {
    const n = wedges.length;
    this.region = new Uint8Array(n);
    this.s1 = new Float64Array(n);
    this.r1 = new Float64Array(n);
    this.y = new Float64Array(3 * n);
    for (let i = 0; i < n; i++) {
      const w = wedges[i]!;
      const e = w.e;
      const u = w.uA;
      const yx = e[1] * u[2] - e[2] * u[1],
        yy = e[2] * u[0] - e[0] * u[2],
        yz = e[0] * u[1] - e[1] * u[0];
      this.y[3 * i] = yx;
      this.y[3 * i + 1] = yy;
      this.y[3 * i + 2] = yz;
      const ax = tx[0] - w.start[0],
        ay = tx[1] - w.start[1],
        az = tx[2] - w.start[2];
      const phiT = angleOf(ax, ay, az, u, yx, yy, yz);
      // both ends in the same region, of opening > π
      if (inRegion1(w, phiT)) this.region[i] = w.phiB <= Math.PI + ANGLE_EPS ? 0 : 1;
      else if (inRegion2(w, phiT)) this.region[i] = TWO_PI - w.phiB <= Math.PI + ANGLE_EPS ? 0 : 2;
      const s1 = ax * e[0] + ay * e[1] + az * e[2];
      this.s1[i] = s1;
      this.r1[i] = Math.sqrt(Math.max(0, ax * ax + ay * ay + az * az - s1 * s1));
    }
    this.active = Int32Array.from(this.region.keys()).filter((i) => this.region[i] !== 0);
    this.tests = new Uint8Array(n);
    this.shadows = new Array(n);
    this.rxMemo = new Int32Array(n).fill(-1);
  }

  /** The first-order diffracted paths to `rx`, in wedge order, into `out`. */
  paths(rx: Vec3, out: PathGeometry[]): void {
    const { g, wedges, region, tx, occlusionEps } = this;
    if (++this.receivers === RECEIVERS_BEFORE_ALL_SHADOWS) for (const i of this.active) this.shadowsOf(i);
    if (8 * this.dropped > this.active.length) {
      this.active = this.active.filter((i) => region[i] !== 0);
      this.dropped = 0;
    }
    const active = this.active;
    for (let k = 0; k < active.length; k++) {
      const i = active[k]!;
      const reg = region[i]!;
      if (reg === 0) continue;
      const w = wedges[i]!;
      const e = w.e;
      const bx = rx[0] - w.start[0],
        by = rx[1] - w.start[1],
        bz = rx[2] - w.start[2];
      const phiR = angleOf(bx, by, bz, w.uA, this.y[3 * i]!, this.y[3 * i + 1]!, this.y[3 * i + 2]!);
      if (reg === 1 ? !inRegion1(w, phiR) : !inRegion2(w, phiR)) continue;
      // the interaction's face bounds the region at φ = 0 (face A for region 1, face B for region 2)
      const zeroFace = reg === 1 ? w.faceA : w.faceB;
      const nFace = reg === 1 ? w.faceB : w.faceA;
      const s1 = this.s1[i]!;
      const r1 = this.r1[i]!;
      const s2 = bx * e[0] + by * e[1] + bz * e[2];
      const r2 = Math.sqrt(Math.max(0, bx * bx + by * by + bz * bz - s2 * s2));
      if (r1 + r2 <= 0) continue;
      const s = s1 + ((s2 - s1) * r1) / (r1 + r2);
      if (s < 0 || s > w.length) continue;
      const qx = w.start[0] + s * e[0],
        qy = w.start[1] + s * e[1],
        qz = w.start[2] + s * e[2];
      if (!this.txSees(i, s, qx, qy, qz)) continue;
      // the leg to the receiver: first against the wall that hid this edge's last receiver
      if (
        segmentOccludedMemo(
          g,
          qx,
          qy,
          qz,
          rx[0],
          rx[1],
          rx[2],
          w.faceA,
          -1,
          occlusionEps,
          w.faceB,
          -1,
          this.rxMemo,
          i,
        )
      )
        continue;
      const length = norm3(qx - tx[0], qy - tx[1], qz - tx[2]) + norm3(rx[0] - qx, rx[1] - qy, rx[2] - qz);
      out.push({
        kind: 'diffracted',
        interactions: [
          {
            type: 'diffraction',
            objectIndex: g.faceObject[zeroFace]!,
            faceIndex: zeroFace,
            point: [qx, qy, qz],
            edge: { start: [...w.start], end: [...w.end], otherFaceIndex: nFace },
          },
        ],
        length,
      });
    }
  }

  /** Wedge i's shadows, worked out now if they were not; a wedge wholly hidden leaves the loop. */
  private shadowsOf(i: number): EdgeShadow {
    const w = this.wedges[i]!;
    let shadow = this.shadows[i];
    if (shadow === undefined) {
      shadow = edgeShadow(this.g, w, this.tx, this.occlusionEps);
      this.shadows[i] = shadow;
      if (edgeHidden(shadow, w.length)) {
        this.region[i] = 0;
        this.dropped++;
      }
    }
    return shadow;
  }

  /** Whether the transmitter sees Q = (qx, qy, qz), at s along wedge i's edge. */
  private txSees(i: number, s: number, qx: number, qy: number, qz: number): boolean {
    const { g, tx, occlusionEps } = this;
    const w = this.wedges[i]!;
    let shadow = this.shadows[i];
    if (shadow === undefined && ++this.tests[i]! > TESTS_BEFORE_SHADOWS) {
      shadow = this.shadowsOf(i);
      if (this.region[i] === 0) return false;
    }
    if (shadow) {
      const c = classifyOnEdge(shadow, s);
      if (c !== UNDECIDED) return c === CLEAR;
    }
    // the edge end lies on both faces of the wedge: their planes are ignored there
    return !segmentOccluded(g, tx[0], tx[1], tx[2], qx, qy, qz, -1, w.faceA, occlusionEps, -1, w.faceB);
  }
}

/** Angle of (x, y, z) about the edge from u, with ey = e × u (wedges.ts angleAbout), in [0, 2π). */
function angleOf(x: number, y: number, z: number, u: Vec3, ex: number, ey: number, ez: number): number {
  const a = Math.atan2(x * ex + y * ey + z * ez, x * u[0] + y * u[1] + z * u[2]);
  return a < 0 ? a + TWO_PI : a;
}

const inRegion1 = (w: Wedge, phi: number) => phi > ANGLE_EPS && phi < w.phiB - ANGLE_EPS;
const inRegion2 = (w: Wedge, phi: number) => phi > w.phiB + ANGLE_EPS && phi < TWO_PI - ANGLE_EPS;
