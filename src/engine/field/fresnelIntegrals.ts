import type { Complex } from '../core/complex.ts';

/**
 * Fresnel integrals C(x) = ∫0^x cos(πt²/2)dt, S(x) = ∫0^x sin(πt²/2)dt and the UTD transition
 * function, in float64. Method of Numerical Recipes `frenel`: power series for x ≤ 1.5, and for
 * larger x the continued fraction of the complementary error function (modified Lentz), which
 * also gives the tail ½ − C, ½ − S without cancellation.
 */
const EPS = 1e-16;
const MAX_ITERATIONS = 200;
const SERIES_LIMIT = 1.5;

/** Tail G(u) = ∫_u^∞ e^{−jπt²/2} dt = (½ − C(u)) − j(½ − S(u)), for u ≥ 0. */
export function fresnelTail(u: number): Complex {
  if (u <= SERIES_LIMIT) {
    const { c, s } = fresnelSeries(u);
    return { re: 0.5 - c, im: -(0.5 - s) };
  }
  // Continued fraction: C + jS = (1+j)/2·(1 − e^{jπu²/2}·h), h = (u − ju)·CF
  const pix2 = Math.PI * u * u;
  let bRe = 1;
  const bIm = -pix2;
  let ccRe = 1e300;
  let ccIm = 0;
  // d = h = 1/b
  let den = bRe * bRe + bIm * bIm;
  let dRe = bRe / den;
  let dIm = -bIm / den;
  let hRe = dRe;
  let hIm = dIm;
  let n = -1;
  for (let k = 2; k <= MAX_ITERATIONS; k++) {
    n += 2;
    const a = -n * (n + 1);
    bRe += 4;
    // d = 1/(a·d + b)
    const xRe = a * dRe + bRe;
    const xIm = a * dIm + bIm;
    den = xRe * xRe + xIm * xIm;
    dRe = xRe / den;
    dIm = -xIm / den;
    // cc = b + a/cc
    den = ccRe * ccRe + ccIm * ccIm;
    ccRe = bRe + (a * ccRe) / den;
    ccIm = bIm - (a * ccIm) / den;
    // del = cc·d ; h = h·del
    const delRe = ccRe * dRe - ccIm * dIm;
    const delIm = ccRe * dIm + ccIm * dRe;
    const nhRe = hRe * delRe - hIm * delIm;
    hIm = hRe * delIm + hIm * delRe;
    hRe = nhRe;
    if (Math.abs(delRe - 1) + Math.abs(delIm) < EPS) break;
  }
  // h ← (u − ju)·h
  const h2Re = u * hRe + u * hIm;
  const h2Im = -u * hRe + u * hIm;
  // w = (1+j)/2 · e^{jπu²/2} · h  = (½ − C) + j(½ − S)
  const cp = Math.cos(0.5 * pix2);
  const sp = Math.sin(0.5 * pix2);
  const eRe = cp * h2Re - sp * h2Im;
  const eIm = cp * h2Im + sp * h2Re;
  const wRe = 0.5 * (eRe - eIm);
  const wIm = 0.5 * (eRe + eIm);
  return { re: wRe, im: -wIm };
}

function fresnelSeries(x: number): { c: number; s: number } {
  if (x < 1e-150) return { c: x, s: 0 };
  let sum = 0;
  let sums = 0;
  let sumc = x;
  let sign = 1;
  const fact = (Math.PI / 2) * x * x;
  let odd = true;
  let term = x;
  let n = 3;
  for (let k = 1; k <= MAX_ITERATIONS; k++) {
    term *= fact / k;
    sum += (sign * term) / n;
    const test = Math.abs(sum) * EPS;
    if (odd) {
      sign = -sign;
      sums = sum;
      sum = sumc;
    } else {
      sumc = sum;
      sum = sums;
    }
    if (term < test) break;
    odd = !odd;
    n += 2;
  }
  return { c: sumc, s: sums };
}

/** C(x), S(x) for any real x (odd functions). */
export function fresnelIntegrals(x: number): { c: number; s: number } {
  const ax = Math.abs(x);
  const t = fresnelTail(ax);
  const c = 0.5 - t.re;
  const s = 0.5 + t.im;
  return x < 0 ? { c: -c, s: -s } : { c, s };
}

/**
 * UTD transition function (Kouyoumjian–Pathak) F(X) = 2j·√X·e^{jX}·∫_{√X}^∞ e^{−jτ²}dτ, X ≥ 0.
 * With τ = t·√(π/2): ∫_{√X}^∞ e^{−jτ²}dτ = √(π/2)·G(√(2X/π)). F → 1 for X → ∞, F(0) = 0.
 */
export function transitionFunction(X: number): Complex {
  if (X <= 0) return { re: 0, im: 0 };
  const g = fresnelTail(Math.sqrt((2 * X) / Math.PI));
  const m = 2 * Math.sqrt(X) * Math.sqrt(Math.PI / 2);
  // j·e^{jX} = (−sin X) + j cos X
  const pRe = -Math.sin(X);
  const pIm = Math.cos(X);
  return { re: m * (pRe * g.re - pIm * g.im), im: m * (pRe * g.im + pIm * g.re) };
}
