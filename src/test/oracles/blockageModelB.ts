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

export function modelBLossDb(tx: P3, rx: P3, s: ScreenB, wavelengthM: number): number {
  // the link's line of sight where it crosses the screen plane
  const u = (s.x - tx[0]) / (rx[0] - tx[0]);
  const yLos = tx[1] + u * (rx[1] - tx[1]);
  const zLos = tx[2] + u * (rx[2] - tx[2]);
  const f = (d1: number, d2: number, r: number, shadowSide: boolean) =>
    Math.atan(
      (shadowSide ? 1 : -1) * (Math.PI / 2) * Math.sqrt((Math.PI / wavelengthM) * Math.max(0, d1 + d2 - r)),
    ) / Math.PI;
  // top view: points (x, y)
  const top = (ey: number) => {
    const d1 = Math.hypot(s.x - tx[0], ey - tx[1]);
    const d2 = Math.hypot(rx[0] - s.x, rx[1] - ey);
    return { d1, d2, r: Math.hypot(rx[0] - tx[0], rx[1] - tx[1]) };
  };
  // side view: points (distance along the link's horizontal projection, z)
  const horiz = Math.hypot(rx[0] - tx[0], rx[1] - tx[1]);
  const side = (ez: number) => {
    const a = u * horiz;
    const d1 = Math.hypot(a, ez - tx[2]);
    const d2 = Math.hypot(horiz - a, rx[2] - ez);
    return { d1, d2, r: Math.hypot(horiz, rx[2] - tx[2]) };
  };
  const w1 = top(s.y1);
  const w2 = top(s.y2);
  const h1 = side(s.z1);
  const h2 = side(s.z2);
  const Fw1 = f(w1.d1, w1.d2, w1.r, yLos >= s.y1);
  const Fw2 = f(w2.d1, w2.d2, w2.r, yLos <= s.y2);
  const Fh1 = f(h1.d1, h1.d2, h1.r, zLos >= s.z1);
  const Fh2 = f(h2.d1, h2.d2, h2.r, zLos <= s.z2);
  return -20 * Math.log10(Math.abs(1 - (Fh1 + Fh2) * (Fw1 + Fw2)));
}
