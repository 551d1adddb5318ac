import { norm2 } from '../core/norm.ts';

/**
 * Reflection and transmission coefficients of a material surface, and their exact derivatives
 * (docs/physics.md §4). The one host implementation: the reference field, radio maps and
 * calibration all call it; field/gpu/pathField.wgsl is its f32 port (`coefficients`).
 *
 * Every coefficient is an analytic function of the complex relative permittivity η (and of the
 * slab thickness d), so one complex derivative ∂/∂η serves both real parameters:
 *   ∂/∂ε'r = ∂/∂η,   ∂/∂σ = ∂/∂η · (−j/(ε0·ω))   (η = ε'r − j·σ/(ε0·ω)).
 *
 * Half-space, s = √(η − sin²θ) (principal branch: Re s ≥ 0, Im s with the sign of Im η),
 * c = cos θ, ∂s/∂η = 1/(2s):
 *   r⊥ = (c − s)/(c + s)          r∥ = (ηc − s)/(ηc + s)
 *   t⊥ = 2c/(c + s)               t∥ = 2√η·c/(ηc + s)
 * (PEC limit with the bases of §5: r⊥ → −1, r∥ → +1.)
 * Single-layer slab (ITU-R P.2040 eqs. 43–44), q = k0·d·s, E1 = e^{−jq}, E2 = E1², D = 1 − r′²E2:
 *   R = r′(1 − E2)/D,   T = (1 − r′²)·E1/D     (r′ = r⊥ or r∥)
 * Transmission is 0 through a half-space (it has no far side: the channel refuses transmission
 * with that model, channel/settings.ts) and through a conductor (`isConductor`: σ/(ε0ω) ≥
 * CONDUCTOR_LOSS_TANGENT·ε'r), so no path ever goes through a metal object (docs/physics.md §4).
 * Derivatives by forward differentiation of these expressions (dual numbers value, ∂/∂η, ∂/∂d).
 *
 * Written in real arithmetic on number pairs so that the radio-map and calibration loops
 * allocate nothing.
 */
export type MaterialModel = 'slab' | 'halfspace';

/**
 * A material is a conductor ("metal") when its conduction current exceeds its displacement
 * current this many times: σ/(ε0ω) ≥ CONDUCTOR_LOSS_TANGENT·ε'r, i.e. −Im η ≥ that times Re η. Its
 * skin depth is then below λ/(2π)·√(2/1000) ≈ 0.007λ, so a sheet of it is opaque unless far
 * thinner than a wavelength; such foils are treated as opaque too. ITU metal is a conductor at
 * every frequency of its range (loss tangent 1.8·10⁶ at 100 GHz); the lossiest ITU dielectric,
 * plywood at 1 GHz, has 2.2. An integer, because the WGSL port receives it as a u32 constant.
 */
export const CONDUCTOR_LOSS_TANGENT = 1000;

/** Whether η = etaRe + j·etaIm is a conductor (see CONDUCTOR_LOSS_TANGENT). */
export const isConductor = (etaRe: number, etaIm: number): boolean =>
  -etaIm >= CONDUCTOR_LOSS_TANGENT * etaRe;

/**
 * Layout of `out`: [⊥re, ⊥im, ∥re, ∥im] values, then with derivatives [∂⊥/∂η, ∂∥/∂η] (re, im)
 * at 4…7 and [∂⊥/∂d, ∂∥/∂d] at 8…11.
 */
export const COEFFICIENT_FLOATS = 12;

// ---- complex arithmetic on number pairs: results in (Z[0], Z[1]) ----
// results of the pair arithmetic: a typed scratch, not module `let`s (a double stored in a module
// variable is boxed, and the calibration loop would allocate one per operation)
const Z = new Float64Array(2);
function mul(ar: number, ai: number, br: number, bi: number): void {
  const r = ar * br - ai * bi;
  Z[1] = ar * bi + ai * br;
  Z[0] = r;
}
/** Smith's division (no overflow of |b|² for metals, |η| ~ 1e7). */
function div(ar: number, ai: number, br: number, bi: number): void {
  if (Math.abs(br) >= Math.abs(bi)) {
    const r = bi / br;
    const d = br + bi * r;
    const re = (ar + ai * r) / d;
    Z[1] = (ai - ar * r) / d;
    Z[0] = re;
  } else {
    const r = br / bi;
    const d = br * r + bi;
    const re = (ar * r + ai) / d;
    Z[1] = (ai * r - ar) / d;
    Z[0] = re;
  }
}
/** Principal square root, without the cancellation of √((|z| − Re z)/2) for low-loss media. */
function sqrt(ar: number, ai: number): void {
  const m = norm2(ar, ai);
  if (m === 0) {
    Z[0] = 0;
    Z[1] = 0;
  } else if (ar >= 0) {
    const r = Math.sqrt((m + ar) / 2);
    Z[0] = r;
    Z[1] = ai / (2 * r);
  } else {
    let i = Math.sqrt((m - ar) / 2);
    if (ai < 0) i = -i;
    Z[0] = Math.abs(ai) / (2 * Math.abs(i));
    Z[1] = i;
  }
}

// A dual complex number (value, ∂/∂η, ∂/∂d) is 6 floats in a scratch array.
const E = 2;
const T = 4;
const DUAL = 6;
// registers: s, r⊥, r∥, E1, E2, the slab's scratch (5…9) and the coefficients' own (10…14)
const REG = new Float64Array(15 * DUAL);
const S_ = 0;
const RP = 1;
const RA = 2;
const E1 = 3;
const E2 = 4;
const TMP = 5;

function setDual(i: number, vr: number, vi: number, er: number, ei: number, tr: number, ti: number): void {
  const o = i * DUAL;
  REG[o] = vr;
  REG[o + 1] = vi;
  REG[o + 2] = er;
  REG[o + 3] = ei;
  REG[o + 4] = tr;
  REG[o + 5] = ti;
}

/** Whether the dual operations carry tangents (off for value-only evaluations: radio maps). */
let tangents = true;
/** Whether they carry the ∂/∂d tangent too (off when no thickness is calibrated). */
let thicknessTangent = true;

/** c = a·b (duals; product rule on both tangents). */
function dmul(c: number, a: number, b: number): void {
  const x = a * DUAL;
  const y = b * DUAL;
  const ar = REG[x]!;
  const ai = REG[x + 1]!;
  const br = REG[y]!;
  const bi = REG[y + 1]!;
  mul(ar, ai, br, bi);
  const vr = Z[0]!;
  const vi = Z[1]!;
  if (!tangents) {
    setDual(c, vr, vi, 0, 0, 0, 0);
    return;
  }
  mul(REG[x + E]!, REG[x + E + 1]!, br, bi);
  let er = Z[0]!;
  let ei = Z[1]!;
  mul(ar, ai, REG[y + E]!, REG[y + E + 1]!);
  er += Z[0]!;
  ei += Z[1]!;
  if (!thicknessTangent) {
    setDual(c, vr, vi, er, ei, 0, 0);
    return;
  }
  mul(REG[x + T]!, REG[x + T + 1]!, br, bi);
  let tr = Z[0]!;
  let ti = Z[1]!;
  mul(ar, ai, REG[y + T]!, REG[y + T + 1]!);
  tr += Z[0]!;
  ti += Z[1]!;
  setDual(c, vr, vi, er, ei, tr, ti);
}

/** c = a/b (duals: (a′ − (a/b)·b′)/b). */
function ddiv(c: number, a: number, b: number): void {
  const x = a * DUAL;
  const y = b * DUAL;
  const br = REG[y]!;
  const bi = REG[y + 1]!;
  div(REG[x]!, REG[x + 1]!, br, bi);
  const vr = Z[0]!;
  const vi = Z[1]!;
  if (!tangents) {
    setDual(c, vr, vi, 0, 0, 0, 0);
    return;
  }
  mul(vr, vi, REG[y + E]!, REG[y + E + 1]!);
  div(REG[x + E]! - Z[0]!, REG[x + E + 1]! - Z[1]!, br, bi);
  const er = Z[0]!;
  const ei = Z[1]!;
  if (!thicknessTangent) {
    setDual(c, vr, vi, er, ei, 0, 0);
    return;
  }
  mul(vr, vi, REG[y + T]!, REG[y + T + 1]!);
  div(REG[x + T]! - Z[0]!, REG[x + T + 1]! - Z[1]!, br, bi);
  setDual(c, vr, vi, er, ei, Z[0]!, Z[1]!);
}

/** c = a + sign·b (duals). */
function dadd(c: number, a: number, b: number, sign: 1 | -1): void {
  const x = a * DUAL;
  const y = b * DUAL;
  const o = c * DUAL;
  for (let k = 0; k < DUAL; k++) REG[o + k] = REG[x + k]! + sign * REG[y + k]!;
}

/** c = constant (zero tangents). */
function dconst(c: number, re: number, im: number): void {
  setDual(c, re, im, 0, 0, 0, 0);
}

/** Slab R (or T) of one polarisation from r′ in register `r` into register `out`. */
function slab(out: number, r: number, transmission: boolean): void {
  const ONE = TMP;
  const R2 = TMP + 1;
  const DEN = TMP + 2;
  const NUM = TMP + 3;
  const W = TMP + 4;
  dconst(ONE, 1, 0);
  dmul(R2, r, r);
  dmul(W, R2, E2);
  dadd(DEN, ONE, W, -1);
  if (transmission) {
    dadd(W, ONE, R2, -1);
    dmul(NUM, W, E1);
  } else {
    dadd(W, ONE, E2, -1);
    dmul(NUM, r, W);
  }
  ddiv(out, NUM, DEN);
}

/**
 * Which derivatives surfaceCoefficients computes: none, ∂/∂η only (∂/∂d written as 0: the
 * calibration of ε'r or σ without thickness skips its dual arithmetic), or both.
 */
export type CoefficientDerivatives = false | 'eta' | true;

/**
 * Coefficients (⊥, ∥) of reflection (`transmission` false) or straight-through transmission at
 * incidence cos θ, written to out[o…] (COEFFICIENT_FLOATS layout; derivatives only when asked).
 * k0 = 2π/λ; the thickness matters for the slab model only.
 */
export function surfaceCoefficients(
  etaRe: number,
  etaIm: number,
  cosTheta: number,
  thickness: number,
  k0: number,
  model: MaterialModel,
  transmission: boolean,
  derivatives: CoefficientDerivatives,
  out: Float64Array,
  o = 0,
): void {
  if (transmission && (model === 'halfspace' || isConductor(etaRe, etaIm))) {
    // nothing passes (value and derivatives 0): see the file comment
    out.fill(0, o, o + (derivatives ? COEFFICIENT_FLOATS : 4));
    return;
  }
  const c = cosTheta;
  tangents = derivatives !== false;
  thicknessTangent = derivatives === true;
  // s = √(η − sin²θ), ∂s/∂η = 1/(2s)
  sqrt(etaRe - (1 - c * c), etaIm);
  const sr = Z[0]!;
  const si = Z[1]!;
  let ser = 0;
  let sei = 0;
  if (sr !== 0 || si !== 0) {
    div(0.5, 0, sr, si);
    ser = Z[0]!;
    sei = Z[1]!;
  }
  setDual(S_, sr, si, ser, sei, 0, 0);
  const CPLUS = TMP + 5;
  const CMINUS = TMP + 6;
  const EC = TMP + 7;
  const N = TMP + 8;
  const D = TMP + 9;
  // r⊥ = (c − s)/(c + s), r∥ = (ηc − s)/(ηc + s)
  setDual(CMINUS, c - sr, -si, -ser, -sei, 0, 0);
  setDual(CPLUS, c + sr, si, ser, sei, 0, 0);
  ddiv(RP, CMINUS, CPLUS);
  setDual(EC, etaRe * c, etaIm * c, c, 0, 0, 0);
  dadd(N, EC, S_, -1);
  dadd(D, EC, S_, 1);
  ddiv(RA, N, D);
  if (model === 'halfspace') {
    writeOut(RP, RA, derivatives, out, o);
    return;
  }
  // q = k0·d·s; E1 = e^{−jq} = e^{Im q}(cos Re q − j sin Re q); ∂q/∂η = k0·d·∂s, ∂q/∂d = k0·s
  const kd = k0 * thickness;
  const m = Math.exp(kd * si);
  const e1r = m * Math.cos(kd * sr);
  const e1i = -m * Math.sin(kd * sr);
  // ∂E1 = −j·E1·∂q
  mul(e1i, -e1r, kd * ser, kd * sei);
  const de1r = Z[0]!;
  const de1i = Z[1]!;
  mul(e1i, -e1r, k0 * sr, k0 * si);
  setDual(E1, e1r, e1i, de1r, de1i, Z[0]!, Z[1]!);
  dmul(E2, E1, E1);
  // (the r′ inputs' own scratch registers are free again: reuse two of them for the results)
  slab(CPLUS, RP, transmission);
  slab(CMINUS, RA, transmission);
  writeOut(CPLUS, CMINUS, derivatives, out, o);
}

function writeOut(
  perp: number,
  par: number,
  derivatives: CoefficientDerivatives,
  out: Float64Array,
  o: number,
): void {
  const p = perp * DUAL;
  const a = par * DUAL;
  out[o] = REG[p]!;
  out[o + 1] = REG[p + 1]!;
  out[o + 2] = REG[a]!;
  out[o + 3] = REG[a + 1]!;
  if (!derivatives) return;
  out[o + 4] = REG[p + E]!;
  out[o + 5] = REG[p + E + 1]!;
  out[o + 6] = REG[a + E]!;
  out[o + 7] = REG[a + E + 1]!;
  out[o + 8] = REG[p + T]!;
  out[o + 9] = REG[p + T + 1]!;
  out[o + 10] = REG[a + T]!;
  out[o + 11] = REG[a + T + 1]!;
}
