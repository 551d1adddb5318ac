import { SPEED_OF_LIGHT, VACUUM_PERMITTIVITY } from '../core/constants.ts';
import { InputError } from '../core/errors.ts';
import { complexRelativePermittivity } from '../materials/permittivity.ts';
import type { RadioParameters } from '../materials/radioMaterial.ts';
import { COEFFICIENT_FLOATS, type CoefficientDerivatives, surfaceCoefficients } from './coefficients.ts';
import {
  DIFFRACTION,
  type PathFrames,
  REFLECTION,
  SCATTERING,
  TERM_FLOATS,
  TRANSMISSION,
} from './pathFrames.ts';

/**
 * The Jones chain of each path on its frame (pathFrames.ts): a = (λ/4π)·G·C_Rᴴ·M_n⋯M_1·C_T, each
 * M_i the 2×2 map of interaction i between its local bases with the material's coefficients
 * (coefficients.ts), docs/physics.md §5:
 *   reflection    C = √(1 − S²)·diag(r⊥, r∥)
 *   transmission  C = diag(t⊥, t∥)
 *   scattering    C = S·√(cos θi·A·f)·[[√(1−Kx)·r⊥, j√Kx·r∥], [j√Kx·r⊥, √(1−Kx)·r∥]]
 *   diffraction   C = −diag(D_s, D_h),  D = G + R0·G0 + Rn·GN (⊥ for D_s, ∥ for D_h)
 * The field is tracked as a complex world 3-vector [xr, xi, yr, yi, zr, zi].
 *
 * Exact derivatives in forward mode: interaction i seeds one tangent field per parameter of its
 * material(s) it depends on (∂/∂η, ∂/∂S, ∂/∂d; for an edge also the n-face's ∂/∂η, ∂/∂d),
 * T = (∂M_i/∂θ)·E_{i−1}, and every later interaction maps it like the field. Then
 * ∂a/∂θ = (λ/4π)·G·C_Rᴴ·T, summed over the interactions that read the same material, with
 * ∂/∂ε'r = ∂/∂η and ∂/∂σ = ∂/∂η·(−j/(ε0ω)). The WGSL kernel (gpu/pathField.wgsl) runs the same
 * algorithm in f32.
 */

/** Radio parameters per material index of the frames: Re η, Im η, thickness, S, Kx. */
export const MATERIAL_FLOATS = 5;

export function materialTable(
  frames: PathFrames,
  materials: Record<string, RadioParameters>,
  sceneName: string,
  out: Float64Array = new Float64Array(MATERIAL_FLOATS * frames.materialKeys.length),
): Float64Array {
  frames.materialKeys.forEach((key, m) => {
    const p = Object.hasOwn(materials, key) ? materials[key] : undefined;
    if (!p)
      throw new InputError(sceneName, `material '${key}'`, 'no radio parameters given for this material');
    setMaterial(out, m, p, frames.frequencyHz);
  });
  return out;
}

export function setMaterial(table: Float64Array, m: number, p: RadioParameters, frequencyHz: number): void {
  const eta = complexRelativePermittivity(p.relativePermittivity, p.conductivity, frequencyHz);
  const o = MATERIAL_FLOATS * m;
  table[o] = eta.re;
  table[o + 1] = eta.im;
  table[o + 2] = p.thickness;
  table[o + 3] = p.scatteringCoefficient;
  table[o + 4] = p.xpdCoefficient;
}

/** Parameter slots of a material, in column order: ε'r, σ, S, d. */
export const PARAMETER_SLOTS = 4;

// scratch
const E = new Float64Array(6);
const NEXT = new Float64Array(6);
const COEF_A = new Float64Array(COEFFICIENT_FLOATS);
const COEF_B = new Float64Array(COEFFICIENT_FLOATS);
const C = new Float64Array(8);
/** tangents: 6 numbers each, with their material index and slot (0 η, 1 S, 2 d) */
let tangents = new Float64Array(6 * 64);
let tangentMaterial = new Int32Array(64);
let tangentSlot = new Uint8Array(64);

const SLOT_ETA = 0;
const SLOT_S = 1;
const SLOT_D = 2;

/**
 * dst = Σ C_kl·out_k·(in_l·src) with C [c11, c12, c21, c22] (re, im each) and the bases of
 * interaction q. src and dst may be the same array at the same offset.
 */
function applyMap(
  src: Float64Array,
  so: number,
  dst: Float64Array,
  dO: number,
  b: Float64Array,
  q: number,
): void {
  const o = 12 * q;
  const x1 = b[o]!;
  const y1 = b[o + 1]!;
  const z1 = b[o + 2]!;
  const x2 = b[o + 3]!;
  const y2 = b[o + 4]!;
  const z2 = b[o + 5]!;
  const p1r = x1 * src[so]! + y1 * src[so + 2]! + z1 * src[so + 4]!;
  const p1i = x1 * src[so + 1]! + y1 * src[so + 3]! + z1 * src[so + 5]!;
  const p2r = x2 * src[so]! + y2 * src[so + 2]! + z2 * src[so + 4]!;
  const p2i = x2 * src[so + 1]! + y2 * src[so + 3]! + z2 * src[so + 5]!;
  const q1r = C[0]! * p1r - C[1]! * p1i + C[2]! * p2r - C[3]! * p2i;
  const q1i = C[0]! * p1i + C[1]! * p1r + C[2]! * p2i + C[3]! * p2r;
  const q2r = C[4]! * p1r - C[5]! * p1i + C[6]! * p2r - C[7]! * p2i;
  const q2i = C[4]! * p1i + C[5]! * p1r + C[6]! * p2i + C[7]! * p2r;
  for (let k = 0; k < 3; k++) {
    const u = b[o + 6 + k]!;
    const v = b[o + 9 + k]!;
    dst[dO + 2 * k] = u * q1r + v * q2r;
    dst[dO + 2 * k + 1] = u * q1i + v * q2i;
  }
}

const setDiag = (pr: number, pi: number, ar: number, ai: number) => {
  C[0] = pr;
  C[1] = pi;
  C[2] = 0;
  C[3] = 0;
  C[4] = 0;
  C[5] = 0;
  C[6] = ar;
  C[7] = ai;
};

/** [[co·⊥, j·xp·∥], [j·xp·⊥, co·∥]] from a coefficient pair at coef[o…o+3]. */
function setXpd(coef: Float64Array, o: number, co: number, xp: number): void {
  const pr = coef[o]!;
  const pi = coef[o + 1]!;
  const ar = coef[o + 2]!;
  const ai = coef[o + 3]!;
  C[0] = co * pr;
  C[1] = co * pi;
  C[2] = -xp * ai;
  C[3] = xp * ar;
  C[4] = -xp * pi;
  C[5] = xp * pr;
  C[6] = co * ar;
  C[7] = co * ai;
}

/** −diag(x⊥·g, x∥·g) for a diffraction term g and a coefficient pair x at coef[o…]. */
function setEdge(coef: Float64Array, o: number, gr: number, gi: number): void {
  setDiag(
    -(coef[o]! * gr - coef[o + 1]! * gi),
    -(coef[o]! * gi + coef[o + 1]! * gr),
    -(coef[o + 2]! * gr - coef[o + 3]! * gi),
    -(coef[o + 2]! * gi + coef[o + 3]! * gr),
  );
}

/**
 * Set C to interaction q's map (tangent = −1) or to its derivative for one seed (the tangent's
 * slot and whether it belongs to the n-face). Coefficients must be in COEF_A (and COEF_B).
 */
function setInteractionMap(
  f: PathFrames,
  table: Float64Array,
  q: number,
  kind: number,
  slot: number,
  nFace: boolean,
): void {
  const mA = MATERIAL_FLOATS * f.materialA[q]!;
  // value: coefficient offset 0; ∂/∂η: 4; ∂/∂d: 8
  const off = slot === SLOT_ETA ? 4 : slot === SLOT_D ? 8 : 0;
  if (kind === DIFFRACTION) {
    const t = TERM_FLOATS * q;
    const g = f.terms;
    if (slot < 0) {
      // D = G + R0·G0 + Rn·GN
      edgeTerm(g, t, COEF_A, 0, COEF_B, 0);
      const dsr = Z[0]!;
      const dsi = Z[1]!;
      edgeTerm(g, t, COEF_A, 2, COEF_B, 2);
      setDiag(-dsr, -dsi, -Z[0]!, -Z[1]!);
      return;
    }
    if (nFace) setEdge(COEF_B, off, g[t + 4]!, g[t + 5]!);
    else setEdge(COEF_A, off, g[t + 2]!, g[t + 3]!);
    return;
  }
  if (kind === TRANSMISSION) {
    setDiag(COEF_A[off]!, COEF_A[off + 1]!, COEF_A[off + 2]!, COEF_A[off + 3]!);
    return;
  }
  const S = table[mA + 3]!;
  if (kind === REFLECTION) {
    const sc = Math.sqrt(Math.max(0, 1 - S * S));
    // ∂√(1−S²)/∂S = −S/√(1−S²) (unbounded at S = 1, where the specular part vanishes)
    const k = slot === SLOT_S ? (sc > 0 ? -S / sc : S > 0 ? -Infinity : 0) : sc;
    setDiag(k * COEF_A[off]!, k * COEF_A[off + 1]!, k * COEF_A[off + 2]!, k * COEF_A[off + 3]!);
    return;
  }
  // scattering: S·g·X·diag(r⊥, r∥), ∂/∂S drops the S
  const kx = table[mA + 4]!;
  const g = f.terms[TERM_FLOATS * q]!;
  const s = slot === SLOT_S ? g : S * g;
  setXpd(COEF_A, off, s * Math.sqrt(1 - kx), s * Math.sqrt(kx));
}

// (re, im) results of project and edgeTerm: a typed scratch, like coefficients.ts
const Z = new Float64Array(2);
/** (Z[0], Z[1]) = G + a·G0 + b·GN for the pairs' component at offset o (0: ⊥, 2: ∥). */
function edgeTerm(
  g: Float64Array,
  t: number,
  a: Float64Array,
  oa: number,
  b: Float64Array,
  ob: number,
): void {
  Z[0] = g[t]! + a[oa]! * g[t + 2]! - a[oa + 1]! * g[t + 3]! + b[ob]! * g[t + 4]! - b[ob + 1]! * g[t + 5]!;
  Z[1] =
    g[t + 1]! + a[oa]! * g[t + 3]! + a[oa + 1]! * g[t + 2]! + b[ob]! * g[t + 5]! + b[ob + 1]! * g[t + 4]!;
}

/** Coefficients of interaction q into COEF_A (and COEF_B for an edge's n-face). */
function coefficientsOf(
  f: PathFrames,
  table: Float64Array,
  k0: number,
  q: number,
  kind: number,
  derivativesA: CoefficientDerivatives,
  derivativesB: CoefficientDerivatives = derivativesA,
): void {
  const mA = MATERIAL_FLOATS * f.materialA[q]!;
  const model = f.materialModel;
  surfaceCoefficients(
    table[mA]!,
    table[mA + 1]!,
    f.cosA[q]!,
    table[mA + 2]!,
    k0,
    model,
    kind === TRANSMISSION,
    derivativesA,
    COEF_A,
  );
  if (kind === DIFFRACTION) {
    const mB = MATERIAL_FLOATS * f.materialB[q]!;
    surfaceCoefficients(
      table[mB]!,
      table[mB + 1]!,
      f.cosB[q]!,
      table[mB + 2]!,
      k0,
      model,
      false,
      derivativesB,
      COEF_B,
    );
  }
}

/** E = path p's transmit vector (copied element-wise: a subarray view per path would allocate). */
function transmitField(f: PathFrames, p: number): void {
  const o = 12 * p;
  for (let k = 0; k < 6; k++) E[k] = f.antennas[o + k]!;
}

const k0Of = (f: PathFrames) => (2 * Math.PI * f.frequencyHz) / SPEED_OF_LIGHT;

/** a of paths [from, to) into a[2p], a[2p + 1]. */
export function evaluateFrames(
  f: PathFrames,
  table: Float64Array,
  a: Float64Array,
  from = 0,
  to = f.pathCount,
): void {
  const k0 = k0Of(f);
  for (let p = from; p < to; p++) {
    const amp = f.amplitude[p]!;
    if (amp === 0) {
      a[2 * p] = 0;
      a[2 * p + 1] = 0;
      continue;
    }
    transmitField(f, p);
    const first = f.first[p]!;
    const n = f.count[p]!;
    for (let q = first; q < first + n; q++) {
      const kind = f.kind[q]!;
      coefficientsOf(f, table, k0, q, kind, false);
      setInteractionMap(f, table, q, kind, -1, false);
      applyMap(E, 0, E, 0, f.bases, q);
    }
    project(f.antennas, 12 * p + 6, E, 0, amp);
    a[2 * p] = Z[0]!;
    a[2 * p + 1] = Z[1]!;
  }
}

/** (Z[0], Z[1]) = amp·conj(U)·X for the receive vector U at u[uo…] and a field X at x[xo…]. */
function project(u: Float64Array, uo: number, x: Float64Array, xo: number, amp: number): void {
  let re = 0;
  let im = 0;
  for (let k = 0; k < 3; k++) {
    const ur = u[uo + 2 * k]!;
    const ui = u[uo + 2 * k + 1]!;
    const xr = x[xo + 2 * k]!;
    const xi = x[xo + 2 * k + 1]!;
    re += ur * xr + ui * xi;
    im += ur * xi - ui * xr;
  }
  Z[0] = amp * re;
  Z[1] = amp * im;
}

// which tangents of a material reach a requested column: bit flags per material
const WANT_ETA = 1;
const WANT_S = 2;
const WANT_D = 4;

/** Per material, the WANT_* flags of its requested columns (η serves both ε'r and σ). */
function wantedSlots(columns: Int32Array, materials: number): Uint8Array {
  const out = new Uint8Array(materials);
  for (let m = 0; m < materials; m++) {
    const c = PARAMETER_SLOTS * m;
    if (columns[c]! >= 0 || columns[c + 1]! >= 0) out[m]! |= WANT_ETA;
    if (columns[c + 2]! >= 0) out[m]! |= WANT_S;
    if (columns[c + 3]! >= 0) out[m]! |= WANT_D;
  }
  return out;
}

/** The coefficient derivatives a material's wanted tangents read (S needs only the values). */
const derivativesFor = (want: number): CoefficientDerivatives =>
  want & WANT_D ? true : want & WANT_ETA ? 'eta' : false;

let nt = 0;
/** A tangent seeded by interaction q for one parameter slot: T = (∂M_q/∂θ)·E (E before q). */
function seed(
  f: PathFrames,
  table: Float64Array,
  q: number,
  kind: number,
  slot: number,
  nFace: boolean,
  material: number,
): void {
  setInteractionMap(f, table, q, kind, slot, nFace);
  applyMap(E, 0, tangents, 6 * nt, f.bases, q);
  tangentMaterial[nt] = material;
  tangentSlot[nt] = slot;
  nt++;
}

/**
 * a and ∂a/∂θ of paths [from, to): columns[4m + slot] is the column of material m's ε'r, σ, S, d
 * (−1: not wanted); da[2·nColumns·p + 2c] += Re/Im ∂a_p/∂θ_c (da is zeroed here for those paths).
 */
export function evaluateFramesWithDerivatives(
  f: PathFrames,
  table: Float64Array,
  columns: Int32Array,
  nColumns: number,
  a: Float64Array,
  da: Float64Array,
  from = 0,
  to = f.pathCount,
): void {
  const k0 = k0Of(f);
  const wanted = wantedSlots(columns, f.materialKeys.length);
  // ∂η/∂σ = j·dEtaDSigma
  const dEtaDSigma = -1 / (VACUUM_PERMITTIVITY * 2 * Math.PI * f.frequencyHz);
  for (let p = from; p < to; p++) {
    const row = 2 * nColumns * p;
    da.fill(0, row, row + 2 * nColumns);
    const amp = f.amplitude[p]!;
    if (amp === 0) {
      a[2 * p] = 0;
      a[2 * p + 1] = 0;
      continue;
    }
    transmitField(f, p);
    const first = f.first[p]!;
    const n = f.count[p]!;
    if (tangentMaterial.length < 5 * n) {
      tangents = new Float64Array(6 * 10 * n);
      tangentMaterial = new Int32Array(10 * n);
      tangentSlot = new Uint8Array(10 * n);
    }
    nt = 0;
    for (let q = first; q < first + n; q++) {
      const kind = f.kind[q]!;
      const mA = f.materialA[q]!;
      const wantA = wanted[mA]!;
      const mB = kind === DIFFRACTION ? f.materialB[q]! : -1;
      const wantB = mB >= 0 ? wanted[mB]! : 0;
      coefficientsOf(f, table, k0, q, kind, derivativesFor(wantA), derivativesFor(wantB));
      // earlier tangents go through this interaction's map like the field
      setInteractionMap(f, table, q, kind, -1, false);
      const before = nt;
      for (let t = 0; t < before; t++) applyMap(tangents, 6 * t, tangents, 6 * t, f.bases, q);
      // the field's own map last (the seeds need the field before this interaction)
      NEXT.set(E);
      applyMap(NEXT, 0, NEXT, 0, f.bases, q);
      // seeds of this interaction, from the field before it: T = (∂M/∂θ)·E; only those that
      // reach a requested column (a tangent without one would be summed into nothing)
      if (wantA & WANT_ETA) seed(f, table, q, kind, SLOT_ETA, false, mA);
      if (wantA & WANT_D) seed(f, table, q, kind, SLOT_D, false, mA);
      if (wantA & WANT_S && (kind === REFLECTION || kind === SCATTERING))
        seed(f, table, q, kind, SLOT_S, false, mA);
      if (mB >= 0) {
        if (wantB & WANT_ETA) seed(f, table, q, kind, SLOT_ETA, true, mB);
        if (wantB & WANT_D) seed(f, table, q, kind, SLOT_D, true, mB);
      }
      E.set(NEXT);
    }
    project(f.antennas, 12 * p + 6, E, 0, amp);
    a[2 * p] = Z[0]!;
    a[2 * p + 1] = Z[1]!;
    for (let t = 0; t < nt; t++) {
      project(f.antennas, 12 * p + 6, tangents, 6 * t, amp);
      const m = tangentMaterial[t]!;
      const slot = tangentSlot[t]!;
      if (slot === SLOT_ETA) {
        const ce = columns[PARAMETER_SLOTS * m]!;
        if (ce >= 0) {
          da[row + 2 * ce] += Z[0]!;
          da[row + 2 * ce + 1] += Z[1]!;
        }
        const cs = columns[PARAMETER_SLOTS * m + 1]!;
        if (cs >= 0) {
          // (x + jy)·(j·c) = −c·y + j·c·x
          da[row + 2 * cs] += -dEtaDSigma * Z[1]!;
          da[row + 2 * cs + 1] += dEtaDSigma * Z[0]!;
        }
      } else {
        const c = columns[PARAMETER_SLOTS * m + (slot === SLOT_S ? 2 : 3)]!;
        if (c >= 0) {
          da[row + 2 * c] += Z[0]!;
          da[row + 2 * c + 1] += Z[1]!;
        }
      }
    }
  }
}
