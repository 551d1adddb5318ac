import { type Complex, cadd, cdiv, cexp, cmul, complex, cscale, csqrt, csub } from '../core/complex.ts';

/**
 * Reflection and transmission coefficients of a material surface with their exact derivatives,
 * for the field chain and the calibration Jacobian.
 *
 * Every coefficient is an analytic function of the complex relative permittivity η (and of the
 * slab thickness d), so one complex derivative ∂/∂η serves both real parameters:
 *   ∂/∂ε'r = ∂/∂η,   ∂/∂σ = ∂/∂η · (−j/(ε0·ω))   (η = ε'r − j·σ/(ε0·ω)).
 *
 * Half-space (docs/physics.md), s = √(η − sin²θ), c = cos θ:
 *   r⊥ = (c − s)/(c + s),            ∂r⊥/∂η = −c / (s·(c + s)²)
 *   r∥ = (ηc − s)/(ηc + s),          ∂r∥/∂η = c·(2s² − η) / (s·(ηc + s)²)
 *   t⊥ = 2c/(c + s),                 ∂t⊥/∂η = −c / (s·(c + s)²)
 *   t∥ = 2√η·c/(ηc + s),             ∂t∥/∂η = (c/√η·(ηc+s) − 2√η·c·(c + 1/(2s))) / (ηc + s)²
 * Slab (ITU-R P.2040 eqs. 43–44), q = k0·d·s, E1 = e^{−jq}, E2 = E1², D = 1 − r′²E2:
 *   R = r′(1 − E2)/D,  T = (1 − r′²)·E1/D
 *   ∂q/∂η = k0·d/(2s), ∂q/∂d = k0·s, ∂E1 = −j·E1·∂q, ∂E2 = −2j·E2·∂q, ∂D = −2r′∂r′·E2 − r′²·∂E2
 *   ∂R = (∂r′(1 − E2) − r′∂E2 − R·∂D)/D,  ∂T = (−2r′∂r′·E1 + (1 − r′²)∂E1 − T·∂D)/D
 */
export type MaterialModel = 'slab' | 'halfspace';

export interface CoefficientPair {
  perp: Complex;
  par: Complex;
}

export interface SurfaceCoefficients {
  value: CoefficientPair;
  /** ∂/∂η (complex derivative); zero pair when derivatives were not requested */
  dEta: CoefficientPair;
  /** ∂/∂d (per metre); zero for the half-space model */
  dThickness: CoefficientPair;
}

const ZERO: Complex = { re: 0, im: 0 };
const ONE: Complex = { re: 1, im: 0 };
const zeroPair = (): CoefficientPair => ({ perp: ZERO, par: ZERO });

interface HalfSpaceTerms {
  s: Complex;
  /** ∂s/∂η = 1/(2s) */
  ds: Complex;
  r: CoefficientPair;
  dr: CoefficientPair;
}

function halfSpaceTerms(eta: Complex, cosTheta: number): HalfSpaceTerms {
  const c = cosTheta;
  const sin2 = 1 - c * c;
  const s = csqrt({ re: eta.re - sin2, im: eta.im });
  const ds = cdiv(ONE, cscale(s, 2));
  const cPlusS = cadd(complex(c), s);
  const rPerp = cdiv(csub(complex(c), s), cPlusS);
  const etaC = cscale(eta, c);
  const dPar = cadd(etaC, s);
  const rPar = cdiv(csub(etaC, s), dPar);
  // ∂r⊥/∂η = −c/(s(c+s)²)
  const drPerp = cdiv(complex(-c), cmul(s, cmul(cPlusS, cPlusS)));
  // ∂r∥/∂η = c(2s² − η)/(s(ηc+s)²)
  const drPar = cdiv(cscale(csub(cscale(cmul(s, s), 2), eta), c), cmul(s, cmul(dPar, dPar)));
  return { s, ds, r: { perp: rPerp, par: rPar }, dr: { perp: drPerp, par: drPar } };
}

const minusJ = (z: Complex): Complex => ({ re: z.im, im: -z.re }); // −j·z

/** ∂R, ∂T of the slab for ∂r′ = dr and ∂q = dq (one polarization). */
function slabDerivative(
  rp: Complex,
  r2: Complex,
  R: Complex,
  T: Complex,
  den: Complex,
  dr: Complex,
  e1: Complex,
  e2: Complex,
  dq: Complex,
): { dR: Complex; dT: Complex } {
  const dE1 = cmul(minusJ(e1), dq);
  const dE2 = cscale(cmul(minusJ(e2), dq), 2);
  const dDen = csub(cscale(cmul(cmul(rp, dr), e2), -2), cmul(r2, dE2));
  const dR = cdiv(csub(csub(cmul(dr, csub(ONE, e2)), cmul(rp, dE2)), cmul(R, dDen)), den);
  const dT = cdiv(
    csub(cadd(cscale(cmul(cmul(rp, dr), e1), -2), cmul(csub(ONE, r2), dE1)), cmul(T, dDen)),
    den,
  );
  return { dR, dT };
}

/** Slab R, T of one polarization and, on request, their derivatives. */
function slabOne(
  rp: Complex,
  drp: Complex,
  e1: Complex,
  e2: Complex,
  dqEta: Complex,
  dqD: Complex,
  derivatives: boolean,
): { R: Complex; T: Complex; dREta: Complex; dTEta: Complex; dRD: Complex; dTD: Complex } {
  const r2 = cmul(rp, rp);
  const den = csub(ONE, cmul(r2, e2));
  const R = cdiv(cmul(rp, csub(ONE, e2)), den);
  const T = cdiv(cmul(csub(ONE, r2), e1), den);
  if (!derivatives) return { R, T, dREta: ZERO, dTEta: ZERO, dRD: ZERO, dTD: ZERO };
  const a = slabDerivative(rp, r2, R, T, den, drp, e1, e2, dqEta);
  const b = slabDerivative(rp, r2, R, T, den, ZERO, e1, e2, dqD);
  return { R, T, dREta: a.dR, dTEta: a.dT, dRD: b.dR, dTD: b.dT };
}

function slabCoefficientsWithDerivatives(
  eta: Complex,
  cosTheta: number,
  thickness: number,
  k0: number,
  derivatives: boolean,
): { reflection: SurfaceCoefficients; transmission: SurfaceCoefficients } {
  const h = halfSpaceTerms(eta, cosTheta);
  const q = cscale(h.s, k0 * thickness);
  const e1 = cexp({ re: q.im, im: -q.re }); // e^{−jq}
  const e2 = cmul(e1, e1);
  const dqEta = cscale(h.ds, k0 * thickness);
  const dqD = cscale(h.s, k0);
  const p = slabOne(h.r.perp, h.dr.perp, e1, e2, dqEta, dqD, derivatives);
  const a = slabOne(h.r.par, h.dr.par, e1, e2, dqEta, dqD, derivatives);
  return {
    reflection: {
      value: { perp: p.R, par: a.R },
      dEta: { perp: p.dREta, par: a.dREta },
      dThickness: { perp: p.dRD, par: a.dRD },
    },
    transmission: {
      value: { perp: p.T, par: a.T },
      dEta: { perp: p.dTEta, par: a.dTEta },
      dThickness: { perp: p.dTD, par: a.dTD },
    },
  };
}

/**
 * Reflection coefficients (r⊥, r∥ or slab R⊥, R∥) at incidence cos θ, with ∂/∂η and ∂/∂d.
 * k0 = 2π/λ. PEC limit: r⊥ → −1, r∥ → +1 (docs/physics.md §5 basis convention).
 */
export function surfaceReflection(
  eta: Complex,
  cosTheta: number,
  thickness: number,
  k0: number,
  model: MaterialModel,
  derivatives = false,
): SurfaceCoefficients {
  if (model === 'slab')
    return slabCoefficientsWithDerivatives(eta, cosTheta, thickness, k0, derivatives).reflection;
  const h = halfSpaceTerms(eta, cosTheta);
  return { value: h.r, dEta: derivatives ? h.dr : zeroPair(), dThickness: zeroPair() };
}

/**
 * Straight-through transmission coefficients: slab T⊥, T∥ (default), or for the half-space model
 * the Fresnel t⊥, t∥ of the first interface (Sionna < 1.0 behaviour; no re-emergence, no
 * attenuation inside), with ∂/∂η (and ∂/∂d for the slab).
 */
export function surfaceTransmission(
  eta: Complex,
  cosTheta: number,
  thickness: number,
  k0: number,
  model: MaterialModel,
  derivatives = false,
): SurfaceCoefficients {
  if (model === 'slab')
    return slabCoefficientsWithDerivatives(eta, cosTheta, thickness, k0, derivatives).transmission;
  const c = cosTheta;
  const h = halfSpaceTerms(eta, c);
  const cPlusS = cadd(complex(c), h.s);
  const tPerp = cdiv(complex(2 * c), cPlusS);
  const sqrtEta = csqrt(eta);
  const dPar = cadd(cscale(eta, c), h.s);
  const nPar = cscale(sqrtEta, 2 * c);
  const tPar = cdiv(nPar, dPar);
  if (!derivatives) return { value: { perp: tPerp, par: tPar }, dEta: zeroPair(), dThickness: zeroPair() };
  // ∂t⊥/∂η = −2c·∂s/(c+s)² = −c/(s(c+s)²)
  const dtPerp = cdiv(complex(-c), cmul(h.s, cmul(cPlusS, cPlusS)));
  // ∂(2c√η) = c/√η ; ∂(ηc + s) = c + 1/(2s)
  const dN = cdiv(complex(c), sqrtEta);
  const dD = cadd(complex(c), h.ds);
  const dtPar = cdiv(csub(cmul(dN, dPar), cmul(nPar, dD)), cmul(dPar, dPar));
  return { value: { perp: tPerp, par: tPar }, dEta: { perp: dtPerp, par: dtPar }, dThickness: zeroPair() };
}
