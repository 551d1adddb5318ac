/**
 * Allocation-free float64 versions of the surface coefficients of surfaceCoefficients.ts (values
 * only), for the value path of the field (radio maps). Same formulas, written out in real
 * arithmetic; the WGSL port can follow this file line by line. Tested against the Complex-based
 * reference to 1e-13.
 *
 * out receives [⊥re, ⊥im, ∥re, ∥im].
 */
export function surfaceCoefficientsInto(
  etaRe: number,
  etaIm: number,
  cosTheta: number,
  thickness: number,
  k0: number,
  slab: boolean,
  transmission: boolean,
  out: Float64Array,
): void {
  const c = cosTheta;
  // s = √(η − sin²θ), principal branch (Re ≥ 0, Im with the sign of Im η)
  const ar = etaRe - (1 - c * c);
  const ai = etaIm;
  const mod = Math.hypot(ar, ai);
  let sr = 0;
  let si = 0;
  if (mod > 0) {
    sr = Math.sqrt((mod + ar) / 2);
    si = Math.sqrt(Math.max(0, (mod - ar) / 2));
    if (ai < 0) si = -si;
  }
  if (!slab && transmission) {
    // t⊥ = 2c/(c + s)
    let dr = c + sr;
    let di = si;
    let den = dr * dr + di * di;
    out[0] = (2 * c * dr) / den;
    out[1] = (-2 * c * di) / den;
    // t∥ = 2c·√η/(ηc + s)
    const em = Math.hypot(etaRe, etaIm);
    let qr = 0;
    let qi = 0;
    if (em > 0) {
      qr = Math.sqrt((em + etaRe) / 2);
      qi = Math.sqrt(Math.max(0, (em - etaRe) / 2));
      if (etaIm < 0) qi = -qi;
    }
    dr = etaRe * c + sr;
    di = etaIm * c + si;
    den = dr * dr + di * di;
    const nr = 2 * c * qr;
    const ni = 2 * c * qi;
    out[2] = (nr * dr + ni * di) / den;
    out[3] = (ni * dr - nr * di) / den;
    return;
  }
  // r⊥ = (c − s)/(c + s)
  let nr = c - sr;
  let ni = -si;
  let dr = c + sr;
  let di = si;
  let den = dr * dr + di * di;
  const pRe = (nr * dr + ni * di) / den;
  const pIm = (ni * dr - nr * di) / den;
  // r∥ = (ηc − s)/(ηc + s)
  const ecr = etaRe * c;
  const eci = etaIm * c;
  nr = ecr - sr;
  ni = eci - si;
  dr = ecr + sr;
  di = eci + si;
  den = dr * dr + di * di;
  const aRe = (nr * dr + ni * di) / den;
  const aIm = (ni * dr - nr * di) / den;
  if (!slab) {
    out[0] = pRe;
    out[1] = pIm;
    out[2] = aRe;
    out[3] = aIm;
    return;
  }
  // slab: q = k0·d·s, E1 = e^{−jq} = e^{Im q}(cos Re q − j sin Re q), E2 = E1²
  const qr = k0 * thickness * sr;
  const qi = k0 * thickness * si;
  const m = Math.exp(qi);
  const e1r = m * Math.cos(qr);
  const e1i = -m * Math.sin(qr);
  const e2r = e1r * e1r - e1i * e1i;
  const e2i = 2 * e1r * e1i;
  slabInto(pRe, pIm, e1r, e1i, e2r, e2i, transmission, out, 0);
  slabInto(aRe, aIm, e1r, e1i, e2r, e2i, transmission, out, 2);
}

/** R = r′(1 − E2)/(1 − r′²E2) or T = (1 − r′²)E1/(1 − r′²E2) into out[o], out[o+1]. */
function slabInto(
  rr: number,
  ri: number,
  e1r: number,
  e1i: number,
  e2r: number,
  e2i: number,
  transmission: boolean,
  out: Float64Array,
  o: number,
): void {
  const r2r = rr * rr - ri * ri;
  const r2i = 2 * rr * ri;
  const denr = 1 - (r2r * e2r - r2i * e2i);
  const deni = -(r2r * e2i + r2i * e2r);
  let nr: number;
  let ni: number;
  if (transmission) {
    const ar = 1 - r2r;
    const ai = -r2i;
    nr = ar * e1r - ai * e1i;
    ni = ar * e1i + ai * e1r;
  } else {
    const ar = 1 - e2r;
    const ai = -e2i;
    nr = rr * ar - ri * ai;
    ni = rr * ai + ri * ar;
  }
  const d = denr * denr + deni * deni;
  out[o] = (nr * denr + ni * deni) / d;
  out[o + 1] = (ni * denr - nr * deni) / d;
}
