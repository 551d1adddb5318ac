import { type Complex, cadd, cdiv, cmul, complex, csqrt, csub } from '../../engine/core/complex.ts';

/** Reflection/transmission coefficients for the two polarizations: ⊥ (TE) and ∥ (TM). */
export interface PolarizedCoefficients {
  perp: Complex;
  par: Complex;
}

/** √(η − sin²θ), the normal component of the refracted wave number (relative). */
export function refractedCosineTerm(eta: Complex, cosTheta: number): Complex {
  const sin2 = 1 - cosTheta * cosTheta;
  return csqrt({ re: eta.re - sin2, im: eta.im });
}

/** Fresnel reflection coefficients of a half-space (docs/physics.md), θ from the normal. */
export function halfSpaceReflection(eta: Complex, cosTheta: number): PolarizedCoefficients {
  const root = refractedCosineTerm(eta, cosTheta);
  const c = complex(cosTheta);
  const etaCos = cmul(eta, c);
  return {
    perp: cdiv(csub(c, root), cadd(c, root)),
    par: cdiv(csub(etaCos, root), cadd(etaCos, root)),
  };
}

/** Fresnel transmission coefficients of a half-space (docs/physics.md). */
export function halfSpaceTransmission(eta: Complex, cosTheta: number): PolarizedCoefficients {
  const root = refractedCosineTerm(eta, cosTheta);
  const c = complex(cosTheta);
  const etaCos = cmul(eta, c);
  return {
    perp: cdiv(complex(2 * cosTheta), cadd(c, root)),
    par: cdiv(cmul(csqrt(eta), complex(2 * cosTheta)), cadd(etaCos, root)),
  };
}
