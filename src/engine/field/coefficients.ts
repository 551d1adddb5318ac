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

// ---- complex arithmetic on number pairs held in one scratch array ----
// Every operation takes offsets into R, never numbers: a call that V8 does not inline boxes each
// number argument on the heap, and these run per interaction of every radio-map cell (they
// allocated ~700 bytes per coefficient pair when they took numbers). A double kept in a module
// `let` would be boxed too.

// A dual complex number (value, ∂/∂η, ∂/∂d) is 6 floats.
const E = 2;
const T = 4;
const DUAL = 6;
// registers: s, r⊥, r∥, E1, E2, the slab's scratch (5…9) and the coefficients' own (10…14),
// then plain pairs: the inputs (IN), the pair operations' operands and results (PA…PD)
const REGISTERS = 15;
const R = new Float64Array(REGISTERS * DUAL + 16);
const S_ = 0;
const RP = 1;
const RA = 2;
const E1 = 3;
const E2 = 4;
const TMP = 5;
/** surfaceCoefficients' numbers: η (re, im), cos θ, thickness, k0 */
const IN = REGISTERS * DUAL;
const PA = IN + 6;
const PB = PA + 2;
const PC = PB + 2;
const PD = PC + 2;

/** R[d] = R[a]·R[b] (pairs). */
function mul(d: number, a: number, b: number): void {
  const ar = R[a]!,
    ai = R[a + 1]!,
    br = R[b]!,
    bi = R[b + 1]!;
  R[d] = ar * br - ai * bi;
  R[d + 1] = ar * bi + ai * br;
}
/** R[d] = R[a]/R[b] (pairs), Smith's division (no overflow of |b|² for metals, |η| ~ 1e7). */
function div(d: number, a: number, b: number): void {
  const ar = R[a]!,
    ai = R[a + 1]!,
    br = R[b]!,
    bi = R[b + 1]!;
  if (Math.abs(br) >= Math.abs(bi)) {
    const r = bi / br;
    const den = br + bi * r;
    R[d] = (ar + ai * r) / den;
    R[d + 1] = (ai - ar * r) / den;
  } else {
    const r = br / bi;
    const den = br * r + bi;
    R[d] = (ar * r + ai) / den;
    R[d + 1] = (ai * r - ar) / den;
  }
}
/** R[d] = √R[a], principal root, without the cancellation of √((|z| − Re z)/2) for low-loss media. */
function sqrt(d: number, a: number): void {
  const ar = R[a]!,
    ai = R[a + 1]!;
  const m = norm2(ar, ai);
  if (m === 0) {
    R[d] = 0;
    R[d + 1] = 0;
  } else if (ar >= 0) {
    const r = Math.sqrt((m + ar) / 2);
    R[d] = r;
    R[d + 1] = ai / (2 * r);
  } else {
    let i = Math.sqrt((m - ar) / 2);
    if (ai < 0) i = -i;
    R[d] = Math.abs(ai) / (2 * Math.abs(i));
    R[d + 1] = i;
  }
}

/** Whether the dual operations carry tangents (off for value-only evaluations: radio maps). */
let tangents = true;
/** Whether they carry the ∂/∂d tangent too (off when no thickness is calibrated). */
let thicknessTangent = true;

/** Dual register c's tangents from the pairs at offsets e and t (or zeros when not carried). */
function setTangents(c: number, e: number, t: number): void {
  const o = c * DUAL;
  R[o + 2] = e < 0 ? 0 : R[e]!;
  R[o + 3] = e < 0 ? 0 : R[e + 1]!;
  R[o + 4] = t < 0 ? 0 : R[t]!;
  R[o + 5] = t < 0 ? 0 : R[t + 1]!;
}

/** c = a·b (duals; product rule on both tangents). */
function dmul(c: number, a: number, b: number): void {
  const x = a * DUAL;
  const y = b * DUAL;
  mul(PA, x, y);
  if (tangents) {
    mul(PB, x + E, y);
    mul(PC, x, y + E);
    R[PB] += R[PC]!;
    R[PB + 1] += R[PC + 1]!;
  }
  if (thicknessTangent) {
    mul(PC, x + T, y);
    mul(PD, x, y + T);
    R[PC] += R[PD]!;
    R[PC + 1] += R[PD + 1]!;
  }
  setValue(c, PA, tangents ? PB : -1, thicknessTangent ? PC : -1);
}

/** Dual register c = (value pair v, tangent pairs e and t; −1: zero). */
function setValue(c: number, v: number, e: number, t: number): void {
  const o = c * DUAL;
  const vr = R[v]!;
  R[o + 1] = R[v + 1]!;
  R[o] = vr;
  setTangents(c, e, t);
}

/** c = a/b (duals: (a′ − (a/b)·b′)/b). */
function ddiv(c: number, a: number, b: number): void {
  const x = a * DUAL;
  const y = b * DUAL;
  div(PA, x, y);
  if (tangents) {
    mul(PB, PA, y + E);
    R[PB] = R[x + E]! - R[PB]!;
    R[PB + 1] = R[x + E + 1]! - R[PB + 1]!;
    div(PB, PB, y);
  }
  if (thicknessTangent) {
    mul(PC, PA, y + T);
    R[PC] = R[x + T]! - R[PC]!;
    R[PC + 1] = R[x + T + 1]! - R[PC + 1]!;
    div(PC, PC, y);
  }
  setValue(c, PA, tangents ? PB : -1, thicknessTangent ? PC : -1);
}

/** c = a + sign·b (duals). */
function dadd(c: number, a: number, b: number, sign: 1 | -1): void {
  const x = a * DUAL;
  const y = b * DUAL;
  const o = c * DUAL;
  for (let k = 0; k < DUAL; k++) R[o + k] = R[x + k]! + sign * R[y + k]!;
}

/** c = 1 (zero tangents). */
function setOne(c: number): void {
  const o = c * DUAL;
  R[o] = 1;
  for (let k = 1; k < DUAL; k++) R[o + k] = 0;
}

/** Slab R (or T) of one polarisation from r′ in register `r` into register `out`. */
function slab(out: number, r: number, transmission: boolean): void {
  const ONE = TMP;
  const R2 = TMP + 1;
  const DEN = TMP + 2;
  const NUM = TMP + 3;
  const W = TMP + 4;
  setOne(ONE);
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
  // small enough to be inlined where it is called: the numbers reach the arithmetic through R
  R[IN] = etaRe;
  R[IN + 1] = etaIm;
  R[IN + 2] = cosTheta;
  R[IN + 3] = thickness;
  R[IN + 4] = k0;
  coefficientsOfInput(model, transmission, derivatives, out, o);
}

/** surfaceCoefficients on the numbers in R[IN…]. */
function coefficientsOfInput(
  model: MaterialModel,
  transmission: boolean,
  derivatives: CoefficientDerivatives,
  out: Float64Array,
  o: number,
): void {
  const etaRe = R[IN]!;
  const etaIm = R[IN + 1]!;
  const c = R[IN + 2]!;
  const thickness = R[IN + 3]!;
  const k0 = R[IN + 4]!;
  if (transmission && (model === 'halfspace' || isConductor(etaRe, etaIm))) {
    // nothing passes (value and derivatives 0): see the file comment
    out.fill(0, o, o + (derivatives ? COEFFICIENT_FLOATS : 4));
    return;
  }
  tangents = derivatives !== false;
  thicknessTangent = derivatives === true;
  // s = √(η − sin²θ), ∂s/∂η = 1/(2s)
  R[PA] = etaRe - (1 - c * c);
  R[PA + 1] = etaIm;
  const s = S_ * DUAL;
  sqrt(s, PA);
  const sr = R[s]!;
  const si = R[s + 1]!;
  R[s + 2] = 0;
  R[s + 3] = 0;
  if (sr !== 0 || si !== 0) {
    R[PA] = 0.5;
    R[PA + 1] = 0;
    div(s + E, PA, s);
  }
  R[s + 4] = 0;
  R[s + 5] = 0;
  const ser = R[s + 2]!;
  const sei = R[s + 3]!;
  const CPLUS = TMP + 5;
  const CMINUS = TMP + 6;
  const EC = TMP + 7;
  const N = TMP + 8;
  const D = TMP + 9;
  // r⊥ = (c − s)/(c + s), r∥ = (ηc − s)/(ηc + s)
  // (registers written in place: a helper taking these numbers would box them)
  const cm = CMINUS * DUAL;
  const cp = CPLUS * DUAL;
  const ec = EC * DUAL;
  R[cm] = c - sr;
  R[cm + 1] = -si;
  R[cm + 2] = -ser;
  R[cm + 3] = -sei;
  R[cp] = c + sr;
  R[cp + 1] = si;
  R[cp + 2] = ser;
  R[cp + 3] = sei;
  R[ec] = etaRe * c;
  R[ec + 1] = etaIm * c;
  R[ec + 2] = c;
  R[ec + 3] = 0;
  for (let k = 4; k < DUAL; k++) {
    R[cm + k] = 0;
    R[cp + k] = 0;
    R[ec + k] = 0;
  }
  ddiv(RP, CMINUS, CPLUS);
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
  const e1 = E1 * DUAL;
  R[e1] = m * Math.cos(kd * sr);
  R[e1 + 1] = -m * Math.sin(kd * sr);
  // ∂E1 = −j·E1·∂q: (Im E1, −Re E1)·∂q
  R[PA] = R[e1 + 1]!;
  R[PA + 1] = -R[e1]!;
  R[PB] = kd * ser;
  R[PB + 1] = kd * sei;
  mul(e1 + E, PA, PB);
  R[PB] = k0 * sr;
  R[PB + 1] = k0 * si;
  mul(e1 + T, PA, PB);
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
  out[o] = R[p]!;
  out[o + 1] = R[p + 1]!;
  out[o + 2] = R[a]!;
  out[o + 3] = R[a + 1]!;
  if (!derivatives) return;
  out[o + 4] = R[p + E]!;
  out[o + 5] = R[p + E + 1]!;
  out[o + 6] = R[a + E]!;
  out[o + 7] = R[a + E + 1]!;
  out[o + 8] = R[p + T]!;
  out[o + 9] = R[p + T + 1]!;
  out[o + 10] = R[a + T]!;
  out[o + 11] = R[a + T + 1]!;
}
