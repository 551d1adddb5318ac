import { gaussLegendre } from './gaussLegendre.ts';
/**
 * 3GPP TR 38.901 v17 §7.6.4.2, blockage model B: a blocker is a rectangular screen; its loss is
 * the double knife-edge form
 *
 *   L_dB = −20·log10(1 − (F_h1 + F_h2)(F_w1 + F_w2)),
 *   F = (1/π)·atan(±(π/2)·√((π/λ)(D1 + D2 − r))),
 *
 * with D1, D2 the projected distances from Tx and Rx to an edge and r the projected Tx–Rx
 * distance: in the top view (horizontal plane) for the vertical edges w1, w2, in the side view
 * (the vertical plane through the link) for the horizontal edges h1, h2. The sign is + when the
 * line of sight passes on the screen's side of that edge, − when it passes on the open side.
 * Written from the standard's text, independently of the engine (only tests use it).
 */
export interface ScreenB {
  /** along-link coordinate of the screen plane (the link runs along +x from xTx to xRx) */
  x: number;
  /** the screen spans y ∈ [y1, y2] and z ∈ [z1, z2] */
  y1: number;
  y2: number;
  z1: number;
  z2: number;
}

type P3 = [number, number, number];

/** Per edge of the screen: its excess path D1 + D2 − r and whether the LoS passes on the screen's side. */
function screenEdges(tx: P3, rx: P3, s: ScreenB) {
  // the link's line of sight where it crosses the screen plane
  const u = (s.x - tx[0]) / (rx[0] - tx[0]);
  const yLos = tx[1] + u * (rx[1] - tx[1]);
  const zLos = tx[2] + u * (rx[2] - tx[2]);
  // top view: points (x, y)
  const top = (ey: number) => {
    const d1 = Math.hypot(s.x - tx[0], ey - tx[1]);
    const d2 = Math.hypot(rx[0] - s.x, rx[1] - ey);
    return d1 + d2 - Math.hypot(rx[0] - tx[0], rx[1] - tx[1]);
  };
  // side view: points (distance along the link's horizontal projection, z)
  const horiz = Math.hypot(rx[0] - tx[0], rx[1] - tx[1]);
  const side = (ez: number) => {
    const a = u * horiz;
    const d1 = Math.hypot(a, ez - tx[2]);
    const d2 = Math.hypot(horiz - a, rx[2] - ez);
    return d1 + d2 - Math.hypot(horiz, rx[2] - tx[2]);
  };
  return {
    w1: { excess: top(s.y1), shadowSide: yLos >= s.y1 },
    w2: { excess: top(s.y2), shadowSide: yLos <= s.y2 },
    h1: { excess: side(s.z1), shadowSide: zLos >= s.z1 },
    h2: { excess: side(s.z2), shadowSide: zLos <= s.z2 },
  };
}

export function modelBLossDb(tx: P3, rx: P3, s: ScreenB, wavelengthM: number): number {
  const f = (e: { excess: number; shadowSide: boolean }) =>
    Math.atan(
      (e.shadowSide ? 1 : -1) * (Math.PI / 2) * Math.sqrt((Math.PI / wavelengthM) * Math.max(0, e.excess)),
    ) / Math.PI;
  const { w1, w2, h1, h2 } = screenEdges(tx, rx, s);
  return -20 * Math.log10(Math.abs(1 - (f(h1) + f(h2)) * (f(w1) + f(w2))));
}

/**
 * The double knife-edge in its exact Fresnel–Kirchhoff form (the one model B's arctangents
 * approximate): by Babinet, the field behind an opaque rectangle is the free field less the field
 * through a rectangular aperture of the same size, and in the Fresnel approximation that field
 * separates into one Fresnel integral per direction:
 *
 *   E/E₀ = 1 − [F(ν_w2) − F(ν_w1)]·[F(ν_h2) − F(ν_h1)] / (2j),   F(ν) = ∫₀^ν e^{jπt²/2} dt,
 *
 * with each edge's Fresnel parameter ν = ±2·√((D1 + D2 − r)/λ) (+ on the far side of the line of
 * sight, as the edge's coordinate) — the knife-edge ν = h·√(2(d1 + d2)/(λ·d1·d2)) with the exact
 * excess path. It keeps the interference of the edges (fringes) that model B's power form drops.
 * J. W. Goodman, Introduction to Fourier Optics, §4.5 (Fresnel diffraction by a rectangular
 * aperture); ITU-R P.526 §4.1 for ν.
 */
export function fresnelKirchhoffLossDb(tx: P3, rx: P3, s: ScreenB, wavelengthM: number): number {
  const { w1, w2, h1, h2 } = screenEdges(tx, rx, s);
  // ν signed along the axis: the lower edge is at −|ν| when the LoS passes above it (on the screen)
  const nu = (e: { excess: number; shadowSide: boolean }, lower: boolean) =>
    (lower === e.shadowSide ? -1 : 1) * 2 * Math.sqrt(Math.max(0, e.excess) / wavelengthM);
  const [ay, by] = fresnelIntegral(nu(w2, false));
  const [cy, dy] = fresnelIntegral(nu(w1, true));
  const [az, bz] = fresnelIntegral(nu(h2, false));
  const [cz, dz] = fresnelIntegral(nu(h1, true));
  const yr = ay - cy;
  const yi = by - dy;
  const zr = az - cz;
  const zi = bz - dz;
  // product / (2j) = (pr + j·pi)·(−j/2) = (pi − j·pr)/2
  const pr = yr * zr - yi * zi;
  const pi = yr * zi + yi * zr;
  return -20 * Math.log10(Math.hypot(1 - pi / 2, pr / 2));
}

/**
 * F(ν) = ∫₀^ν e^{jπt²/2} dt = C(ν) + j·S(ν): Gauss–Legendre on panels of 0.02 for |ν| ≤ 10 (the
 * phase turns < 0.7 rad per panel), beyond it the asymptotic tail (two integrations by parts,
 * error < 3/(π³ν⁵) < 1e-6): F(ν) = sgn ν·[(1 + j)/2 − e^{jπν²/2}·(j/(π|ν|) + 1/(π²|ν|³))].
 */
const GL10 = gaussLegendre(10);
function fresnelIntegral(v: number): [number, number] {
  const a = Math.abs(v);
  if (a > 10) {
    const ph = (Math.PI / 2) * a * a;
    const [cr, ci] = [1 / (Math.PI * Math.PI * a * a * a), 1 / (Math.PI * a)];
    // e^{jφ}·(cr + j·ci)
    const tr = Math.cos(ph) * cr - Math.sin(ph) * ci;
    const ti = Math.sin(ph) * cr + Math.cos(ph) * ci;
    return [Math.sign(v) * (0.5 - tr), Math.sign(v) * (0.5 - ti)];
  }
  const { x, w } = GL10;
  const panels = Math.max(1, Math.ceil(a / 0.02));
  const h = v / panels;
  let c = 0;
  let sn = 0;
  for (let p = 0; p < panels; p++)
    for (let i = 0; i < x.length; i++) {
      const t = (p + (x[i]! + 1) / 2) * h;
      const ph = (Math.PI / 2) * t * t;
      c += (w[i]! * h * Math.cos(ph)) / 2;
      sn += (w[i]! * h * Math.sin(ph)) / 2;
    }
  return [c, sn];
}
