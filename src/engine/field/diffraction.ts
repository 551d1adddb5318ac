import { type Complex, cadd, cmul } from '../core/complex.ts';
import { norm3 } from '../core/norm.ts';
import { cross, dot, normalize, sub, type Vec3 } from '../core/vec3.ts';
import type { Scene } from '../scene/types.ts';
import { transitionFunction } from './fresnelIntegrals.ts';

/**
 * First-order edge diffraction: uniform theory of diffraction (Kouyoumjian & Pathak 1974) for a
 * wedge of exterior angle nπ, with Luebbers' (1984) heuristic for finite conductivity: the
 * reflection terms of the PEC coefficient (∓1) are replaced by the reflection coefficients of the
 * 0-face and n-face (⊥ for the soft coefficient D_s, ∥ for the hard D_h):
 *
 *   D = −e^{−jπ/4} / (2n·√(2πk)·sin β0) · [ cot((π + (φ−φ′))/2n)·F(kL·a⁺(φ−φ′))
 *                                          + cot((π − (φ−φ′))/2n)·F(kL·a⁻(φ−φ′))
 *                                          + R0·cot((π − (φ+φ′))/2n)·F(kL·a⁻(φ+φ′))
 *                                          + Rn·cot((π + (φ+φ′))/2n)·F(kL·a⁺(φ+φ′)) ]
 *   a^±(β) = 2cos²((2nπN^± − β)/2), N^± the integer nearest to (β ± π)/(2πn),
 *   L = s·s′·sin²β0/(s + s′) (spherical incidence, planar faces),
 * φ′, φ the angles of the source and observer from the 0-face about the edge, β0 the angle between
 * the incident ray and the edge. R0 is taken at the true incidence angle of the incident ray on the
 * 0-face (cos θ = sin β0·|sin φ′|) and Rn at that of the diffracted ray on the n-face
 * (cos θ = sin β0·|sin(nπ − φ)|), with the material model in use (slab R or half-space r), not
 * scaled by √(1 − S²).
 * The 0-face is the face the source illuminates: of the two faces bounding the region, the one the
 * source is nearer to in angle than the observer (φ′ ≤ φ; `luebbersFaces`). Swapping source and
 * observer then swaps the 0- and n-face, each face keeps its coefficient at the angle of the same
 * end, and the cot·F factors are the same read from either face, so D is reciprocal for any face
 * materials (docs/physics.md §8, §13). A free edge (otherFaceIndex = −1) is a half-plane, n = 2,
 * whose two faces are the two sides of one face: the same rule picks the side.
 *
 * The diffracted field in edge-fixed bases is [E_β0; E_φ] = −diag(D_s, D_h)·[E_β0′; E_φ′]·A(s′, s)
 * with A = √(s′/(s(s + s′))) applied to the field incident on the edge (the path code applies it).
 * Edge-fixed bases: φ̂′ = ê × (−ŝ′)/|…|, β̂0′ = ŝ′ × φ̂′, φ̂ = ê × ŝ/|…|, β̂0 = ŝ × φ̂, with
 * ê = t̂0 × n̂0 so that φ grows from the 0-face (t̂0 lies in it, pointing away from the edge)
 * towards its free-space normal n̂0.
 */
export interface WedgeFrame {
  /** unit edge direction ê = t̂0 × n̂0 */
  e: Vec3;
  /** in the 0-face, perpendicular to the edge, pointing away from it */
  t0: Vec3;
  /** unit normal of the 0-face on the side of the free-space region (ê × t̂0 … as oriented) */
  n0: Vec3;
  /** exterior (free-space) angle of the region divided by π */
  n: number;
  /** edge point */
  origin: Vec3;
}

/**
 * Orientation-free geometry of an edge: t̂0 in face 0, and the angle φN ∈ (0, 2π] of face n about
 * ê (start → end) measured from t̂0 towards ê × t̂0; φN = 2π for a free edge (a half-plane,
 * otherFaceIndex = −1). Face normals (winding) are not used: the region comes from the source.
 */
export interface WedgeGeometry {
  e: Vec3;
  t0: Vec3;
  phiN: number;
  origin: Vec3;
}

const geometryCache = new WeakMap<Scene, Map<string, WedgeGeometry | null>>();

/** Unit vector from the edge line towards the face's vertex farthest from it, perpendicular to the edge. */
function faceDirectionFromEdge(scene: Scene, faceIndex: number, origin: Vec3, e: Vec3): Vec3 | null {
  const face = scene.faces[faceIndex];
  if (!face) return null;
  let best: Vec3 | null = null;
  let bestDist = 0;
  for (const t of face.triangles) {
    for (let v = 0; v < 3; v++) {
      const o = 9 * t + 3 * v;
      const d: Vec3 = [
        scene.positions[o]! - origin[0],
        scene.positions[o + 1]! - origin[1],
        scene.positions[o + 2]! - origin[2],
      ];
      const along = dot(d, e);
      const perp: Vec3 = [d[0] - along * e[0], d[1] - along * e[1], d[2] - along * e[2]];
      const dist = norm3(perp[0], perp[1], perp[2]);
      if (dist > bestDist) {
        bestDist = dist;
        best = perp;
      }
    }
  }
  return best && bestDist > 1e-9 ? normalize(best) : null;
}

/** Edge geometry of the wedge face0 / faceN (faceN = −1: free edge); null when degenerate. */
export function wedgeGeometry(
  scene: Scene,
  face0: number,
  faceN: number,
  start: Vec3,
  end: Vec3,
): WedgeGeometry | null {
  let cache = geometryCache.get(scene);
  if (!cache) {
    cache = new Map();
    geometryCache.set(scene, cache);
  }
  const key = `${face0}|${faceN}|${start.join(',')}|${end.join(',')}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let g: WedgeGeometry | null = null;
  const e = normalize(sub(end, start));
  const t0 = e[0] === 0 && e[1] === 0 && e[2] === 0 ? null : faceDirectionFromEdge(scene, face0, start, e);
  if (t0) {
    if (faceN < 0) {
      g = { e, t0, phiN: 2 * Math.PI, origin: start };
    } else {
      const tn = faceDirectionFromEdge(scene, faceN, start, e);
      if (tn) {
        const phiN = angleAbout(e, t0, tn);
        if (phiN > 1e-9 && phiN < 2 * Math.PI - 1e-9 && Math.abs(phiN - Math.PI) > 1e-9)
          g = { e, t0, phiN, origin: start };
      }
    }
  }
  cache.set(key, g);
  return g;
}

function angleAbout(e: Vec3, t0: Vec3, d: Vec3): number {
  const n0 = cross(e, t0);
  const a = Math.atan2(dot(d, n0), dot(d, t0));
  return a < 0 ? a + 2 * Math.PI : a;
}

/**
 * UTD frame of the free-space region holding the source direction (unit vector from the edge
 * towards the source): φ grows from the 0-face towards that region; n = opening/π.
 * Returns null when the source lies on a face, or the region is not wider than π (a concave
 * corner: not diffracting, as in the tracer).
 */
export function orientWedge(g: WedgeGeometry, towardsSource: Vec3): WedgeFrame | null {
  const phiS = angleAbout(g.e, g.t0, towardsSource);
  const n0 = cross(g.e, g.t0);
  if (phiS > 0 && phiS < g.phiN) {
    const n = g.phiN / Math.PI;
    return n > 1 ? { e: g.e, t0: g.t0, n0, n, origin: g.origin } : null;
  }
  if (phiS > g.phiN) {
    const n = (2 * Math.PI - g.phiN) / Math.PI;
    return n > 1
      ? { e: [-g.e[0], -g.e[1], -g.e[2]], t0: g.t0, n0: [-n0[0], -n0[1], -n0[2]], n, origin: g.origin }
      : null;
  }
  return null;
}

/**
 * Luebbers' face roles for a source at φ′ and an observer at φ (both in [0, nπ], measured from the
 * frame's 0-face): the UTD 0-face is the face the source illuminates, i.e. the one the source is
 * nearer to than the observer. When that is the frame's n-face (φ′ > φ) the angles are measured
 * from it instead, φ′ → nπ − φ′ and φ → nπ − φ, and `swapped` says that the frame's faces trade
 * roles (the caller swaps their materials). Reading the cot·F terms from the other face gives the
 * same factors (the incident terms swap, the R0 and Rn terms exchange), so only the pairing of each
 * face's coefficient with an end changes — with this rule, the same pairing in both directions.
 */
export function luebbersFaces(
  n: number,
  phiIn: number,
  phiOut: number,
): { phiIn: number; phiOut: number; swapped: boolean } {
  if (phiIn <= phiOut) return { phiIn, phiOut, swapped: false };
  const top = n * Math.PI;
  return { phiIn: Math.max(0, top - phiIn), phiOut: Math.max(0, top - phiOut), swapped: true };
}

/** Angle in [0, 2π) of a direction d about the edge, measured from t̂0 towards n̂0. */
export function wedgeAngle(frame: WedgeFrame, d: Vec3): number {
  const a = Math.atan2(dot(d, frame.n0), dot(d, frame.t0));
  return a < 0 ? a + 2 * Math.PI : a;
}

/** cot(x)·F(kL·a(β)) where x = (π ± β)/(2n), with the Kouyoumjian–Pathak limit at the boundary. */
export function diffractionTerm(x: number, beta: number, sign: 1 | -1, n: number, kL: number): Complex {
  // a^±(β) = 2cos²((2nπN − β)/2), N nearest integer to (β ± π)/(2πn)
  const N = Math.round((beta + sign * Math.PI) / (2 * Math.PI * n));
  const c = Math.cos((2 * n * Math.PI * N - beta) / 2);
  const a = 2 * c * c;
  const m = Math.round(x / Math.PI);
  const eps = 2 * n * (x - m * Math.PI); // π ± β − 2πn·m: distance to the shadow/reflection boundary
  if (Math.abs(eps) < 1e-9) {
    // cot·F → n·[√(2πkL)·sgn ε − 2kL·ε·e^{jπ/4}]·e^{jπ/4}
    const sg = eps >= 0 ? 1 : -1;
    const r = Math.sqrt(2 * Math.PI * kL) * sg;
    const q = 2 * kL * eps;
    // [r − q·e^{jπ/4}]·e^{jπ/4} = r·e^{jπ/4} − q·j
    const h = Math.SQRT1_2;
    return { re: n * r * h, im: n * (r * h - q) };
  }
  const f = transitionFunction(kL * a);
  const cot = 1 / Math.tan(x);
  return { re: cot * f.re, im: cot * f.im };
}

/**
 * The material-free terms of the UTD coefficients: D = incident + R0·dR0 + Rn·dRn, the same
 * terms for the soft (D_s: ⊥ coefficients R0⊥, Rn⊥) and the hard (D_h: ∥) coefficient, units √m.
 */
export interface UtdTerms {
  incident: Complex;
  /** factor of R0 (and of Rn): ∂D/∂R0, ∂D/∂Rn */
  dR0: Complex;
  dRn: Complex;
}

/**
 * UTD wedge terms (see file comment). phiIn = φ′, phiOut = φ ∈ [0, nπ], k wavenumber, L distance
 * parameter; the faces' reflection coefficients are added by the field chain (jonesChain.ts).
 */
export function utdCoefficients(
  n: number,
  phiIn: number,
  phiOut: number,
  sinBeta0: number,
  k: number,
  L: number,
): UtdTerms {
  const kL = k * L;
  const bm = phiOut - phiIn;
  const bp = phiOut + phiIn;
  const t1 = diffractionTerm((Math.PI + bm) / (2 * n), bm, 1, n, kL);
  const t2 = diffractionTerm((Math.PI - bm) / (2 * n), bm, -1, n, kL);
  const t3 = diffractionTerm((Math.PI - bp) / (2 * n), bp, -1, n, kL);
  const t4 = diffractionTerm((Math.PI + bp) / (2 * n), bp, 1, n, kL);
  // K = −e^{−jπ/4}/(2n√(2πk) sinβ0)
  const kMag = -1 / (2 * n * Math.sqrt(2 * Math.PI * k) * sinBeta0);
  const K: Complex = { re: kMag * Math.SQRT1_2, im: -kMag * Math.SQRT1_2 };
  return { incident: cmul(K, cadd(t1, t2)), dR0: cmul(K, t3), dRn: cmul(K, t4) };
}

/** Distance parameter L = s·s′·sin²β0/(s + s′) for spherical-wave incidence. */
export function distanceParameter(sIn: number, sOut: number, sinBeta0: number): number {
  return (sIn * sOut * sinBeta0 * sinBeta0) / (sIn + sOut);
}
