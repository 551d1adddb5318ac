import type { Vec3 } from '../../core/vec3.ts';
import type { PathGeometry } from '../path.ts';
import { segmentOccluded } from './rayCast.ts';
import type { TracerGeometry } from './tracerGeometry.ts';
import { angleAbout, type Wedge } from './wedges.ts';

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
  for (const w of wedges) {
    const path = diffractedPath(g, w, tx, rx, occlusionEps);
    if (path) out.push(path);
  }
}

const ANGLE_EPS = 1e-9;

export function diffractedPath(
  g: TracerGeometry,
  w: Wedge,
  tx: Vec3,
  rx: Vec3,
  occlusionEps: number,
): PathGeometry | undefined {
  const a: Vec3 = [tx[0] - w.start[0], tx[1] - w.start[1], tx[2] - w.start[2]];
  const b: Vec3 = [rx[0] - w.start[0], rx[1] - w.start[1], rx[2] - w.start[2]];
  // both ends in the same region, of opening > π
  const phiT = angleAbout(w.e, w.uA, a);
  const phiR = angleAbout(w.e, w.uA, b);
  const twoPi = 2 * Math.PI;
  const inRegion1 = (phi: number) => phi > ANGLE_EPS && phi < w.phiB - ANGLE_EPS;
  const inRegion2 = (phi: number) => phi > w.phiB + ANGLE_EPS && phi < twoPi - ANGLE_EPS;
  // the interaction's face bounds the region at φ = 0 (face A for region 1, face B for region 2)
  let zeroFace = w.faceA;
  let nFace = w.faceB;
  if (inRegion1(phiT)) {
    if (!inRegion1(phiR) || w.phiB <= Math.PI + ANGLE_EPS) return undefined;
  } else if (inRegion2(phiT)) {
    if (!inRegion2(phiR) || twoPi - w.phiB <= Math.PI + ANGLE_EPS) return undefined;
    zeroFace = w.faceB;
    nFace = w.faceA;
  } else {
    return undefined;
  }
  const s1 = a[0] * w.e[0] + a[1] * w.e[1] + a[2] * w.e[2];
  const s2 = b[0] * w.e[0] + b[1] * w.e[1] + b[2] * w.e[2];
  const r1 = Math.sqrt(Math.max(0, a[0] * a[0] + a[1] * a[1] + a[2] * a[2] - s1 * s1));
  const r2 = Math.sqrt(Math.max(0, b[0] * b[0] + b[1] * b[1] + b[2] * b[2] - s2 * s2));
  if (r1 + r2 <= 0) return undefined;
  const s = s1 + ((s2 - s1) * r1) / (r1 + r2);
  if (s < 0 || s > w.length) return undefined;
  const q: Vec3 = [w.start[0] + s * w.e[0], w.start[1] + s * w.e[1], w.start[2] + s * w.e[2]];
  // the edge end lies on both faces of the wedge: their planes are ignored there
  if (segmentOccluded(g, tx[0], tx[1], tx[2], q[0], q[1], q[2], -1, w.faceA, occlusionEps, -1, w.faceB))
    return undefined;
  if (segmentOccluded(g, q[0], q[1], q[2], rx[0], rx[1], rx[2], w.faceA, -1, occlusionEps, w.faceB, -1))
    return undefined;
  const length =
    Math.hypot(q[0] - tx[0], q[1] - tx[1], q[2] - tx[2]) +
    Math.hypot(rx[0] - q[0], rx[1] - q[1], rx[2] - q[2]);
  return {
    kind: 'diffracted',
    interactions: [
      {
        type: 'diffraction',
        objectIndex: g.faceObject[zeroFace]!,
        faceIndex: zeroFace,
        point: q,
        edge: { start: [...w.start], end: [...w.end], otherFaceIndex: nFace },
      },
    ],
    length,
  };
}
