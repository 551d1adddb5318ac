import type { Complex } from '../core/complex.ts';
import { cmul, cscale } from '../core/complex.ts';
import { cross, dot, type Vec3 } from '../core/vec3.ts';
import type { RadioParameters } from '../materials/radioMaterial.ts';
import type { Scene } from '../scene/types.ts';
import type { Interaction } from '../tracer/path.ts';
import { distanceParameter, orientWedge, utdCoefficients, wedgeAngle, wedgeGeometry } from './diffraction.ts';
import { type ScatteringPattern, scatteringPatternValue } from './scattering.ts';
import { type MaterialModel, surfaceReflection, surfaceTransmission } from './surfaceCoefficients.ts';

/**
 * The linear map of one interaction on the field (a Jones matrix between local bases):
 *   E_out = Σ_{k,l} C_kl · out_k · (in_l · E_in),   k, l ∈ {1, 2}
 * in_1 = e⊥, in_2 = e∥,in and out_1 = e⊥, out_2 = e∥,out for reflection / transmission /
 * scattering (docs/physics.md §5 bases: e⊥ = k̂ᵢ×n̂/|…| with n̂ facing the incoming wave, e∥ = e⊥×k̂);
 * the edge-fixed (β̂0, φ̂) bases for diffraction. Spreading factors are not part of C
 * (the path code multiplies them in), except the scattering footprint √(cosθi·dA·f).
 * With derivatives requested, each material the interaction depends on lists ∂C/∂η (complex
 * derivative), ∂C/∂d and ∂C/∂S, which the gradient code chains to ε'r, σ, S, d.
 */
export type Matrix2 = [Complex, Complex, Complex, Complex]; // C11, C12, C21, C22 (row = out, column = in)

export interface MaterialDerivative {
  materialKey: string;
  dEta: Matrix2;
  dThickness: Matrix2;
  dScattering: Matrix2;
}

export interface InteractionResponse {
  in1: Vec3;
  in2: Vec3;
  out1: Vec3;
  out2: Vec3;
  c: Matrix2;
  derivatives: MaterialDerivative[];
}

/** What the interaction code needs to know about the materials and the run. */
export interface FieldContext {
  scene: Scene;
  frequencyHz: number;
  wavelength: number;
  /** free-space wavenumber 2π/λ */
  k0: number;
  model: MaterialModel;
  /** material key of an object (default: scene.objects[i].materialId) */
  materialOf: (objectIndex: number) => string;
  /** radio parameters and η of a material key */
  material: (key: string) => { params: RadioParameters; eta: Complex };
  scatteringPattern: (key: string) => ScatteringPattern;
}

const Z: Complex = { re: 0, im: 0 };
const zero2 = (): Matrix2 => [Z, Z, Z, Z];
const diag = (a: Complex, b: Complex): Matrix2 => [a, Z, Z, b];

/** e⊥ = k̂ × n̂ / |k̂ × n̂|; at normal incidence (k̂ ∥ n̂) any unit vector perpendicular to k̂. */
export function perpendicularBasis(k: Vec3, n: Vec3): Vec3 {
  const c = cross(k, n);
  const l = Math.hypot(c[0], c[1], c[2]);
  if (l > 1e-12) return [c[0] / l, c[1] / l, c[2] / l];
  // Degenerate: cross k̂ with the world axis least aligned with it.
  const ax = Math.abs(k[0]);
  const ay = Math.abs(k[1]);
  const az = Math.abs(k[2]);
  const axis: Vec3 = ax <= ay && ax <= az ? [1, 0, 0] : ay <= az ? [0, 1, 0] : [0, 0, 1];
  const d = cross(k, axis);
  const m = Math.hypot(d[0], d[1], d[2]);
  return [d[0] / m, d[1] / m, d[2] / m];
}

/** Face normal oriented against the incoming propagation direction, and cos of the incidence angle. */
function facingNormal(scene: Scene, faceIndex: number, kIn: Vec3): { n: Vec3; cosTheta: number } {
  const face = scene.faces[faceIndex];
  if (!face)
    throw new Error(
      `interaction references face ${faceIndex}, but the scene has ${scene.faces.length} faces`,
    );
  const f = face.normal;
  const d = dot(kIn, f);
  const n: Vec3 = d > 0 ? [-f[0], -f[1], -f[2]] : [f[0], f[1], f[2]];
  return { n, cosTheta: Math.min(1, Math.abs(d)) };
}

/** Specular reflection, scaled by √(1 − S²) (the share of the field not diffusely scattered). */
export function reflectionResponse(
  ctx: FieldContext,
  it: Interaction,
  kIn: Vec3,
  kOut: Vec3,
  derivatives: boolean,
): InteractionResponse {
  const { n, cosTheta } = facingNormal(ctx.scene, it.faceIndex, kIn);
  const ePerp = perpendicularBasis(kIn, n);
  const key = ctx.materialOf(it.objectIndex);
  const { params, eta } = ctx.material(key);
  const coef = surfaceReflection(eta, cosTheta, params.thickness, ctx.k0, ctx.model, derivatives);
  const S = params.scatteringCoefficient;
  const sc = Math.sqrt(Math.max(0, 1 - S * S));
  const res: InteractionResponse = {
    in1: ePerp,
    in2: cross(ePerp, kIn),
    out1: ePerp,
    out2: cross(ePerp, kOut),
    c: diag(cscale(coef.value.perp, sc), cscale(coef.value.par, sc)),
    derivatives: [],
  };
  if (derivatives) {
    // ∂√(1−S²)/∂S = −S/√(1−S²) (unbounded at S = 1, where the specular part vanishes)
    const dsc = sc > 0 ? -S / sc : S > 0 ? -Infinity : 0;
    res.derivatives.push({
      materialKey: key,
      dEta: diag(cscale(coef.dEta.perp, sc), cscale(coef.dEta.par, sc)),
      dThickness: diag(cscale(coef.dThickness.perp, sc), cscale(coef.dThickness.par, sc)),
      dScattering: diag(cscale(coef.value.perp, dsc), cscale(coef.value.par, dsc)),
    });
  }
  return res;
}

/** Straight-through transmission (no refraction, as Sionna RT). */
export function transmissionResponse(
  ctx: FieldContext,
  it: Interaction,
  kIn: Vec3,
  kOut: Vec3,
  derivatives: boolean,
): InteractionResponse {
  const { n, cosTheta } = facingNormal(ctx.scene, it.faceIndex, kIn);
  const ePerp = perpendicularBasis(kIn, n);
  const key = ctx.materialOf(it.objectIndex);
  const { params, eta } = ctx.material(key);
  const coef = surfaceTransmission(eta, cosTheta, params.thickness, ctx.k0, ctx.model, derivatives);
  const res: InteractionResponse = {
    in1: ePerp,
    in2: cross(ePerp, kIn),
    out1: ePerp,
    out2: cross(ePerp, kOut),
    c: diag(coef.value.perp, coef.value.par),
    derivatives: [],
  };
  if (derivatives) {
    res.derivatives.push({
      materialKey: key,
      dEta: diag(coef.dEta.perp, coef.dEta.par),
      dThickness: diag(coef.dThickness.perp, coef.dThickness.par),
      dScattering: zero2(),
    });
  }
  return res;
}

/**
 * Diffuse scattering from a surface element dA (`it.area`) at the interaction point:
 *   C = S·√(cosθi·dA·f(k̂i, k̂s))·X·diag(r⊥, r∥),  X = [[√(1−Kx), j√Kx], [j√Kx, √(1−Kx)]]
 * The field of the scattering point is a = λ/(4π·ri·rs)·√(cosθi·dA·f)·S·(reflection coefficient),
 * the docs/physics.md far-field formula (ri, rs applied by the path code).
 * Choice, stated: Sionna RT multiplies by the magnitude Γ = √(|r⊥E⊥|² + |r∥E∥|²)/|E| and draws
 * random phases for the co- and cross-polarized parts; we keep the complex r⊥, r∥ (deterministic,
 * linear in the field, hence exactly differentiable) and mix co/cross polarization with the unitary
 * X (cross part in quadrature). |E_s|² = S²·cosθi·dA·f·(|r⊥E⊥|² + |r∥E∥|²): the same power as
 * Sionna's for every Kx. The reflection coefficient is that of the material model (slab R or r).
 */
export function scatteringResponse(
  ctx: FieldContext,
  it: Interaction,
  kIn: Vec3,
  kOut: Vec3,
  derivatives: boolean,
): InteractionResponse {
  const { n, cosTheta } = facingNormal(ctx.scene, it.faceIndex, kIn);
  const ePerpIn = perpendicularBasis(kIn, n);
  const key = ctx.materialOf(it.objectIndex);
  const { params, eta } = ctx.material(key);
  const area = it.area;
  if (area === undefined || !(area >= 0)) {
    throw new Error(
      `scattering interaction on face ${it.faceIndex} has no surface area (Interaction.area, m²)`,
    );
  }
  const f = scatteringPatternValue(ctx.scatteringPattern(key), kIn, kOut, n);
  // e⊥ of the scattered wave; when k̂s ∥ n̂ keep the incident e⊥ (any ⊥ basis is valid)
  const cs = cross(kOut, n);
  const ls = Math.hypot(cs[0], cs[1], cs[2]);
  const ePerpOut: Vec3 = ls > 1e-12 ? [cs[0] / ls, cs[1] / ls, cs[2] / ls] : ePerpIn;
  const res: InteractionResponse = {
    in1: ePerpIn,
    in2: cross(ePerpIn, kIn),
    out1: ePerpOut,
    out2: cross(ePerpOut, kOut),
    c: zero2(),
    derivatives: [],
  };
  const g = Math.sqrt(cosTheta * area * f);
  const S = params.scatteringCoefficient;
  const kx = params.xpdCoefficient;
  const co = Math.sqrt(1 - kx);
  const xp = Math.sqrt(kx);
  const coef = surfaceReflection(eta, cosTheta, params.thickness, ctx.k0, ctx.model, derivatives);
  // X·diag(r⊥, r∥) scaled by s: [[co·r⊥, j·xp·r∥], [j·xp·r⊥, co·r∥]]·s
  res.c = xpdMix(coef.value.perp, coef.value.par, co * S * g, xp * S * g);
  if (derivatives) {
    res.derivatives.push({
      materialKey: key,
      dEta: xpdMix(coef.dEta.perp, coef.dEta.par, co * S * g, xp * S * g),
      dThickness: xpdMix(coef.dThickness.perp, coef.dThickness.par, co * S * g, xp * S * g),
      dScattering: xpdMix(coef.value.perp, coef.value.par, co * g, xp * g),
    });
  }
  return res;
}

/** [[co·r⊥, j·xp·r∥], [j·xp·r⊥, co·r∥]]: XPD mixing of the scattered field (co, xp pre-scaled). */
function xpdMix(perp: Complex, par: Complex, co: number, xp: number): Matrix2 {
  return [
    cscale(perp, co),
    { re: -par.im * xp, im: par.re * xp },
    { re: -perp.im * xp, im: perp.re * xp },
    cscale(par, co),
  ];
}

/** −diag(dR·d⊥, dR·d∥): derivative of the diffraction matrix through one face's coefficients. */
function diffractionDerivative(dR: Complex, d: { perp: Complex; par: Complex }): Matrix2 {
  return diag(neg(cmul(dR, d.perp)), neg(cmul(dR, d.par)));
}

const ANGLE_TOLERANCE = 1e-9;

/**
 * UTD edge diffraction (diffraction.ts) at an edge point; sIn = s′ (unfolded distance from the
 * source), sOut = s (unfolded distance to the next source or the receiver).
 */
export function diffractionResponse(
  ctx: FieldContext,
  it: Interaction,
  kIn: Vec3,
  kOut: Vec3,
  sIn: number,
  sOut: number,
  derivatives: boolean,
): InteractionResponse | null {
  const edge = it.edge;
  if (!edge) throw new Error(`diffraction interaction on face ${it.faceIndex} has no edge`);
  const geometry = wedgeGeometry(ctx.scene, it.faceIndex, edge.otherFaceIndex, edge.start, edge.end);
  if (!geometry) return null;
  const back: Vec3 = [-kIn[0], -kIn[1], -kIn[2]];
  const frame = orientWedge(geometry, back);
  if (!frame) return null;
  const phiIn = wedgeAngle(frame, back);
  const phiOut = wedgeAngle(frame, kOut);
  const wedgeTop = frame.n * Math.PI + ANGLE_TOLERANCE;
  if (phiIn > wedgeTop || phiOut > wedgeTop) return null; // source or observer inside the wedge
  const e = frame.e;
  const cosBeta = Math.max(-1, Math.min(1, dot(kIn, e)));
  const sinBeta0 = Math.sqrt(1 - cosBeta * cosBeta);
  if (sinBeta0 < 1e-12) return null;
  const L = distanceParameter(sIn, sOut, sinBeta0);
  const key0 = ctx.materialOf(it.objectIndex);
  // a free edge (otherFaceIndex = −1) is a half-plane: its n-face is the other side of face 0
  const free = edge.otherFaceIndex < 0;
  const faceN = ctx.scene.faces[free ? it.faceIndex : edge.otherFaceIndex];
  if (!faceN)
    throw new Error(`diffraction edge references face ${edge.otherFaceIndex}, which does not exist`);
  const keyN = free ? key0 : ctx.materialOf(faceN.objectIndex);
  const m0 = ctx.material(key0);
  const mN = ctx.material(keyN);
  const cos0 = Math.min(1, sinBeta0 * Math.abs(Math.sin(phiIn)));
  const cosN = Math.min(1, sinBeta0 * Math.abs(Math.sin(frame.n * Math.PI - phiOut)));
  const r0 = surfaceReflection(m0.eta, cos0, m0.params.thickness, ctx.k0, ctx.model, derivatives);
  const rn = surfaceReflection(mN.eta, cosN, mN.params.thickness, ctx.k0, ctx.model, derivatives);
  const utd = utdCoefficients(frame.n, phiIn, phiOut, sinBeta0, ctx.k0, L, r0.value, rn.value);
  const phiHatIn = normalizeOrZero(cross(e, back));
  const phiHatOut = normalizeOrZero(cross(e, kOut));
  const res: InteractionResponse = {
    in1: cross(kIn, phiHatIn), // β̂0′ = ŝ′ × φ̂′
    in2: phiHatIn,
    out1: cross(kOut, phiHatOut), // β̂0 = ŝ × φ̂
    out2: phiHatOut,
    c: diag(neg(utd.soft), neg(utd.hard)),
    derivatives: [],
  };
  if (derivatives) {
    res.derivatives.push(
      {
        materialKey: key0,
        dEta: diffractionDerivative(utd.dR0, r0.dEta),
        dThickness: diffractionDerivative(utd.dR0, r0.dThickness),
        dScattering: zero2(),
      },
      {
        materialKey: keyN,
        dEta: diffractionDerivative(utd.dRn, rn.dEta),
        dThickness: diffractionDerivative(utd.dRn, rn.dThickness),
        dScattering: zero2(),
      },
    );
  }
  return res;
}

const neg = (a: Complex): Complex => ({ re: -a.re, im: -a.im });

function normalizeOrZero(v: Vec3): Vec3 {
  const l = Math.hypot(v[0], v[1], v[2]);
  return l > 0 ? [v[0] / l, v[1] / l, v[2] / l] : [0, 0, 0];
}
