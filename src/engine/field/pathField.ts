import type { Complex } from '../core/complex.ts';
import { SPEED_OF_LIGHT } from '../core/constants.ts';
import type { Vec3 } from '../core/vec3.ts';
import type { Path, PathGeometry } from '../tracer/path.ts';
import { type AntennaSpec, antennaFieldVector } from './antenna.ts';
import { evaluatePathValue } from './fastPathField.ts';
import {
  diffractionResponse,
  type FieldContext,
  type InteractionResponse,
  type Matrix2,
  reflectionResponse,
  scatteringResponse,
  transmissionResponse,
} from './interactions.ts';

/**
 * Field of one propagation path (docs/physics.md):
 *   a = (λ/4π) · G · C_Rᴴ · M_n ⋯ M_1 · C_T
 * C_T: transmit antenna field vector (C_θθ̂ + C_φφ̂) in the departure direction; M_i: the Jones map
 * of each interaction (interactions.ts); C_R: receive antenna field vector in the arrival direction
 * as seen from the receiver (pointing back along the last segment); G: spreading.
 *
 * Spreading G. The path is cut into groups at every secondary source (scattering point, edge);
 * a group's unfolded length r closes with 1/r (spherical wave from the Tx or a scattering point),
 * or with √(s′/(r(r + s′))) after an edge whose incident group had length s′ (UTD). Hence
 *   LoS / reflections / transmissions: G = 1/L (L unfolded length)
 *   scattering: G = 1/(ri·rs);  diffraction: G = 1/√(s′·s·(s′ + s)).
 * a excludes the propagation phase e^{−jkL} (Sionna convention): H(f) = Σ aᵢ e^{−j2πfτᵢ}, τ = L/c.
 */

/** Per-path partial derivatives of a with respect to each interaction's Jones entries, by material. */
export interface PathMaterialSensitivity {
  materialKey: string;
  /** ∂a/∂η (complex derivative; a is analytic in η) */
  dEta: Complex;
  /** ∂a/∂d (per metre) */
  dThickness: Complex;
  /** ∂a/∂S */
  dScattering: Complex;
}

export interface PathFieldResult {
  path: Path;
  /** present when derivatives were requested; one entry per (interaction, material) touched */
  sensitivities?: PathMaterialSensitivity[];
}

function anglesDeg(d: Vec3): { azimuthDeg: number; elevationDeg: number } {
  const z = Math.max(-1, Math.min(1, d[2]));
  return {
    azimuthDeg: (Math.atan2(d[1], d[0]) * 180) / Math.PI,
    elevationDeg: (Math.asin(z) * 180) / Math.PI,
  };
}

/** u·E for a real 3-vector u and a complex 3-vector E stored [xr, xi, yr, yi, zr, zi]. */
function dotRC(u: Vec3, e: Float64Array): Complex {
  return { re: u[0] * e[0]! + u[1] * e[2]! + u[2] * e[4]!, im: u[0] * e[1]! + u[1] * e[3]! + u[2] * e[5]! };
}

/** Apply the Jones map of one interaction to E in place; returns the input projections (in_l · E). */
function applyResponse(r: InteractionResponse, e: Float64Array): [Complex, Complex] {
  const p1 = dotRC(r.in1, e);
  const p2 = dotRC(r.in2, e);
  const c = r.c;
  // q_k = Σ_l C_kl p_l
  const q1re = c[0].re * p1.re - c[0].im * p1.im + c[1].re * p2.re - c[1].im * p2.im;
  const q1im = c[0].re * p1.im + c[0].im * p1.re + c[1].re * p2.im + c[1].im * p2.re;
  const q2re = c[2].re * p1.re - c[2].im * p1.im + c[3].re * p2.re - c[3].im * p2.im;
  const q2im = c[2].re * p1.im + c[2].im * p1.re + c[3].re * p2.im + c[3].im * p2.re;
  for (let k = 0; k < 3; k++) {
    e[2 * k] = r.out1[k]! * q1re + r.out2[k]! * q2re;
    e[2 * k + 1] = r.out1[k]! * q1im + r.out2[k]! * q2im;
  }
  return [p1, p2];
}

/** Σ_kl S_kl·M_kl for the sensitivity matrix S and a derivative matrix M. */
function contract(s: Matrix2, m: Matrix2): Complex {
  let re = 0;
  let im = 0;
  for (let i = 0; i < 4; i++) {
    re += s[i]!.re * m[i]!.re - s[i]!.im * m[i]!.im;
    im += s[i]!.re * m[i]!.im + s[i]!.im * m[i]!.re;
  }
  return { re, im };
}

function scaledProduct(a: Complex, b: Complex, s: number): Complex {
  return { re: s * (a.re * b.re - a.im * b.im), im: s * (a.re * b.im + a.im * b.re) };
}

// Scratch buffers (the evaluation is synchronous and not re-entrant).
let scratchLens = new Float64Array(16);
const scratchE = new Float64Array(6);
const scratchU = new Float64Array(6);
const scratchV = new Float64Array(6);
const NO_RESPONSES: InteractionResponse[] = [];
const NO_PROJECTIONS: [Complex, Complex][] = [];

const ZERO_PATH_ANGLES = { azimuthDeg: 0, elevationDeg: 0 };

/** One object shape for every path (keeps the hot loop monomorphic). */
function makePath(
  g: PathGeometry,
  length: number,
  re: number,
  im: number,
  aod: Path['aod'],
  aoa: Path['aoa'],
): Path {
  return {
    kind: g.kind,
    interactions: g.interactions,
    length,
    a: { re, im },
    delay: length / SPEED_OF_LIGHT,
    aod,
    aoa,
  };
}

/** Tests switch the value path to the reference (Complex-based) evaluation to compare the two. */
export const REFERENCE_VALUES = { on: false };

/** Evaluate the field of one path; with `derivatives`, also ∂a/∂(η, d, S) per touched material. */
export function evaluatePathField(
  ctx: FieldContext,
  txAntenna: AntennaSpec,
  rxAntenna: AntennaSpec,
  tx: Vec3,
  rx: Vec3,
  geometry: PathGeometry,
  derivatives: boolean,
): PathFieldResult {
  if (!derivatives && !REFERENCE_VALUES.on)
    return { path: evaluatePathValue(ctx, txAntenna, rxAntenna, tx, rx, geometry) };
  const its = geometry.interactions;
  const nInt = its.length;
  const nSeg = nInt + 1;
  const dirs: Vec3[] = new Array(nSeg);
  if (scratchLens.length < nSeg) scratchLens = new Float64Array(2 * nSeg);
  const lens = scratchLens;
  let total = 0;
  let degenerate = false;
  for (let s = 0; s < nSeg; s++) {
    const a = s === 0 ? tx : its[s - 1]!.point;
    const b = s === nInt ? rx : its[s]!.point;
    const dx = b[0] - a[0];
    const dy = b[1] - a[1];
    const dz = b[2] - a[2];
    const l = Math.hypot(dx, dy, dz);
    lens[s] = l;
    total += l;
    if (!(l > 0)) degenerate = true;
    dirs[s] = l > 0 ? [dx / l, dy / l, dz / l] : [0, 0, 0];
  }
  if (degenerate) {
    return {
      path: makePath(geometry, total, 0, 0, ZERO_PATH_ANGLES, ZERO_PATH_ANGLES),
      sensitivities: derivatives ? [] : undefined,
    };
  }
  const kDep = dirs[0]!;
  const kLast = dirs[nSeg - 1]!;
  const kArr: Vec3 = [-kLast[0], -kLast[1], -kLast[2]];
  const aod = anglesDeg(kDep);
  const aoa = anglesDeg(kArr);

  const e = scratchE;
  antennaFieldVector(txAntenna, kDep, e);
  // kept only for the adjoint pass
  const responses: InteractionResponse[] = derivatives ? [] : NO_RESPONSES;
  const projections: [Complex, Complex][] = derivatives ? [] : NO_PROJECTIONS;
  let spread = 1;
  let acc = 0; // unfolded length since the last source
  let edgeSIn = -1; // s′ of the last edge when the last source is an edge
  let dead = false;
  for (let i = 0; i < nInt; i++) {
    acc += lens[i]!;
    const it = its[i]!;
    const kIn = dirs[i]!;
    const kOut = dirs[i + 1]!;
    let r: InteractionResponse | null;
    switch (it.type) {
      case 'reflection':
        r = reflectionResponse(ctx, it, kIn, kOut, derivatives);
        break;
      case 'transmission':
        r = transmissionResponse(ctx, it, kIn, kOut, derivatives);
        break;
      case 'scattering':
        spread *= edgeSIn > 0 ? Math.sqrt(edgeSIn / (acc * (acc + edgeSIn))) : 1 / acc;
        acc = 0;
        edgeSIn = -1;
        r = scatteringResponse(ctx, it, kIn, kOut, derivatives);
        break;
      case 'diffraction': {
        // s = unfolded length from the edge to the next secondary source or the receiver
        let sOut = lens[i + 1]!;
        for (
          let j = i + 1;
          j < nInt && its[j]!.type !== 'scattering' && its[j]!.type !== 'diffraction';
          j++
        ) {
          sOut += lens[j + 1]!;
        }
        const sIn = acc;
        spread *= edgeSIn > 0 ? Math.sqrt(edgeSIn / (acc * (acc + edgeSIn))) : 1 / acc;
        acc = 0;
        edgeSIn = sIn;
        r = diffractionResponse(ctx, it, kIn, kOut, sIn, sOut, derivatives);
        break;
      }
    }
    if (!r) {
      dead = true;
      break;
    }
    const p = applyResponse(r, e);
    if (derivatives) {
      responses.push(r);
      projections.push(p);
    }
  }
  acc += lens[nSeg - 1]!;
  spread *= edgeSIn > 0 ? Math.sqrt(edgeSIn / (acc * (acc + edgeSIn))) : 1 / acc;
  if (dead) {
    return { path: makePath(geometry, total, 0, 0, aod, aoa), sensitivities: derivatives ? [] : undefined };
  }

  // Receive antenna vector C_R in the arrival direction; a = scale · (C_R* · E)
  const u = scratchU;
  antennaFieldVector(rxAntenna, kArr, u);
  // v = conj(C_R) as the linear functional on E (v·E without further conjugation)
  const v = scratchV;
  for (let k = 0; k < 3; k++) {
    v[2 * k] = u[2 * k]!;
    v[2 * k + 1] = -u[2 * k + 1]!;
  }
  const scale = (ctx.wavelength / (4 * Math.PI)) * spread;
  let aRe = 0;
  let aIm = 0;
  for (let k = 0; k < 3; k++) {
    aRe += v[2 * k]! * e[2 * k]! - v[2 * k + 1]! * e[2 * k + 1]!;
    aIm += v[2 * k]! * e[2 * k + 1]! + v[2 * k + 1]! * e[2 * k]!;
  }
  const path = makePath(geometry, total, scale * aRe, scale * aIm, aod, aoa);
  if (!derivatives) return { path };

  // Adjoint pass: v_{i−1} = M_iᵀ v_i; ∂a/∂C_kl(i) = scale · (out_k · v_i) · (in_l · E_{i−1}).
  const sensitivities: PathMaterialSensitivity[] = [];
  for (let i = responses.length - 1; i >= 0; i--) {
    const r = responses[i]!;
    const [p1, p2] = projections[i]!;
    const o1 = dotRC(r.out1, v);
    const o2 = dotRC(r.out2, v);
    const sens: Matrix2 = [
      scaledProduct(o1, p1, scale),
      scaledProduct(o1, p2, scale),
      scaledProduct(o2, p1, scale),
      scaledProduct(o2, p2, scale),
    ];
    for (const d of r.derivatives) {
      sensitivities.push({
        materialKey: d.materialKey,
        dEta: contract(sens, d.dEta),
        dThickness: contract(sens, d.dThickness),
        dScattering: contract(sens, d.dScattering),
      });
    }
    // v ← Σ_l in_l · (Σ_k C_kl · o_k)
    const c = r.c;
    const w1re = c[0].re * o1.re - c[0].im * o1.im + c[2].re * o2.re - c[2].im * o2.im;
    const w1im = c[0].re * o1.im + c[0].im * o1.re + c[2].re * o2.im + c[2].im * o2.re;
    const w2re = c[1].re * o1.re - c[1].im * o1.im + c[3].re * o2.re - c[3].im * o2.im;
    const w2im = c[1].re * o1.im + c[1].im * o1.re + c[3].re * o2.im + c[3].im * o2.re;
    for (let k = 0; k < 3; k++) {
      v[2 * k] = r.in1[k]! * w1re + r.in2[k]! * w2re;
      v[2 * k + 1] = r.in1[k]! * w1im + r.in2[k]! * w2im;
    }
  }
  return { path, sensitivities };
}
