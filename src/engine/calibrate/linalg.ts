/**
 * Dense linear algebra for the small normal-equation systems of calibration (n ≲ 50
 * parameters): row-major Float64Array matrices, Cholesky factorisation, solves, inverse.
 */

/** JᵀJ (n×n) and Jᵀr (n) for J m×n row-major, with optional per-row weights. */
export function normalEquations(
  J: Float64Array,
  r: Float64Array,
  m: number,
  n: number,
  weights?: Float64Array,
): { JtJ: Float64Array; Jtr: Float64Array } {
  const JtJ = new Float64Array(n * n);
  const Jtr = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    const w = weights ? weights[i]! : 1;
    if (w === 0) continue;
    const row = i * n;
    for (let a = 0; a < n; a++) {
      const ja = J[row + a]! * w;
      if (ja === 0) continue;
      Jtr[a]! += ja * r[i]!;
      for (let b = a; b < n; b++) JtJ[a * n + b]! += ja * J[row + b]!;
    }
  }
  for (let a = 0; a < n; a++) for (let b = 0; b < a; b++) JtJ[a * n + b] = JtJ[b * n + a]!;
  return { JtJ, Jtr };
}

/** Lower-triangular Cholesky factor L (A = LLᵀ), or undefined when A is not positive definite. */
export function cholesky(A: Float64Array, n: number): Float64Array | undefined {
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = A[j * n + j]!;
    for (let k = 0; k < j; k++) d -= L[j * n + k]! ** 2;
    if (!(d > 0) || !Number.isFinite(d)) return undefined;
    const ljj = Math.sqrt(d);
    L[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = A[i * n + j]!;
      for (let k = 0; k < j; k++) s -= L[i * n + k]! * L[j * n + k]!;
      L[i * n + j] = s / ljj;
    }
  }
  return L;
}

/** Solve LLᵀx = b. */
export function choleskySolve(L: Float64Array, n: number, b: Float64Array): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= L[i * n + k]! * y[k]!;
    y[i] = s / L[i * n + i]!;
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < n; k++) s -= L[k * n + i]! * x[k]!;
    x[i] = s / L[i * n + i]!;
  }
  return x;
}

/** A⁻¹ of a symmetric positive-definite matrix, or undefined when it is singular. */
export function spdInverse(A: Float64Array, n: number): Float64Array | undefined {
  const L = cholesky(A, n);
  if (!L) return undefined;
  const inv = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const e = new Float64Array(n);
    e[j] = 1;
    const col = choleskySolve(L, n, e);
    for (let i = 0; i < n; i++) inv[i * n + j] = col[i]!;
  }
  return inv;
}

/** log det of a symmetric positive-definite matrix (−Infinity when singular). */
export function logDetSpd(A: Float64Array, n: number): number {
  const L = cholesky(A, n);
  if (!L) return Number.NEGATIVE_INFINITY;
  let s = 0;
  for (let i = 0; i < n; i++) s += 2 * Math.log(L[i * n + i]!);
  return s;
}
