import { type Complex, cdiv, cexp, cmul, complex, csub } from '../../engine/core/complex.ts';
import { wavelength } from '../../engine/core/constants.ts';
import { halfSpaceReflection, type PolarizedCoefficients, refractedCosineTerm } from './fresnel.ts';

/**
 * Single-layer slab of thickness d (ITU-R P.2040 eqs. 43–44, Sionna RT ≥ 1.0 default):
 * q = (2πd/λ)·√(η − sin²θ), R = r′(1−e^{−j2q})/(1 − r′²e^{−j2q}), T = (1−r′²)e^{−jq}/(1 − r′²e^{−j2q}).
 */
export function slabCoefficients(
  eta: Complex,
  cosTheta: number,
  thickness: number,
  frequencyHz: number,
): { reflection: PolarizedCoefficients; transmission: PolarizedCoefficients } {
  const r = halfSpaceReflection(eta, cosTheta);
  const root = refractedCosineTerm(eta, cosTheta);
  const k = (2 * Math.PI * thickness) / wavelength(frequencyHz);
  const q = { re: k * root.re, im: k * root.im };
  const e1 = cexp({ re: q.im, im: -q.re }); // e^{−jq}
  const e2 = cmul(e1, e1); // e^{−j2q}
  const one = complex(1);
  const reflect = (rp: Complex): Complex => {
    const r2 = cmul(rp, rp);
    return cdiv(cmul(rp, csub(one, e2)), csub(one, cmul(r2, e2)));
  };
  const transmit = (rp: Complex): Complex => {
    const r2 = cmul(rp, rp);
    return cdiv(cmul(csub(one, r2), e1), csub(one, cmul(r2, e2)));
  };
  return {
    reflection: { perp: reflect(r.perp), par: reflect(r.par) },
    transmission: { perp: transmit(r.perp), par: transmit(r.par) },
  };
}
