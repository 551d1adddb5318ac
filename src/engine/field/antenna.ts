import type { Complex } from '../core/complex.ts';
import type { Vec3 } from '../core/vec3.ts';

/**
 * Antenna patterns and polarizations (docs/physics.md §5–6, Sionna RT's
 * `antenna_pattern`). An antenna's far field in a direction (zenith θ, azimuth φ) is the complex
 * 2-vector (C_θ, C_φ) in the spherical basis (θ̂, φ̂) of that direction; |C|² is the gain.
 * Patterns are given in the antenna frame (z up, tr38901 boresight +x); an orientation
 * R = Rz(α)·Ry(β)·Rx(γ) turns that frame into the world (`rotationMatrix`, `antennaFieldVector` below).
 */
export type PatternName = 'iso' | 'dipole' | 'hw_dipole' | 'tr38901';
/** V (along θ̂), H (along φ̂) or slanted ±45° (Sionna's polarization model 2). */
export type Polarization = 'V' | 'H' | '+45' | '-45';

export interface AntennaSpec {
  pattern: PatternName;
  polarization: Polarization;
  /**
   * Orientation (α, β, γ) in radians, as Sionna RT: the antenna frame is rotated by
   * R = Rz(α)·Ry(β)·Rx(γ) (yaw about z, then pitch about y, then roll about x, applied to the
   * antenna). Default (0, 0, 0): z up, tr38901 boresight +x.
   */
  orientation?: readonly [number, number, number];
}

export const DEFAULT_ANTENNA: AntennaSpec = { pattern: 'iso', polarization: 'V' };
export const PATTERN_NAMES: readonly PatternName[] = ['iso', 'dipole', 'hw_dipole', 'tr38901'];
export const POLARIZATIONS: readonly Polarization[] = ['V', 'H', '+45', '-45'];

/** Slant angle ζ of the polarization: C_θ = g·cos ζ, C_φ = g·sin ζ (Sionna polarization model 2). */
export function slantAngle(p: Polarization): number {
  switch (p) {
    case 'V':
      return 0;
    case 'H':
      return Math.PI / 2;
    case '+45':
      return Math.PI / 4;
    case '-45':
      return -Math.PI / 4;
  }
}

// 3GPP TR 38.901 table 7.3-1 element: θ3dB = φ3dB = 65°, SLA_V = A_max = 30 dB, G_E,max = 8 dBi.
const TR38901_BEAMWIDTH = (65 * Math.PI) / 180;
const TR38901_SLA_DB = 30;
const TR38901_GMAX_DBI = 8;

/**
 * Real amplitude g(θ, φ) = √gain of the pattern (θ zenith, φ azimuth, radians):
 * iso 1; dipole √1.5·|sin θ|; half-wave dipole √1.643·|cos(π/2·cos θ)/sin θ|; tr38901 element.
 */
export function patternAmplitude(pattern: PatternName, theta: number, phi: number): number {
  switch (pattern) {
    case 'iso':
      return 1;
    case 'dipole':
      return Math.sqrt(1.5) * Math.abs(Math.sin(theta));
    case 'hw_dipole': {
      const s = Math.sin(theta);
      // limit at θ → 0, π is 0 (cos(π/2·cosθ) ~ (π/4)·sin²θ)
      if (Math.abs(s) < 1e-12) return 0;
      return Math.sqrt(1.643) * Math.abs(Math.cos((Math.PI / 2) * Math.cos(theta)) / s);
    }
    case 'tr38901':
      return Math.sqrt(
        10 ** ((parabolicPatternDb(theta, phi, TR38901_BEAMWIDTH, TR38901_SLA_DB) + TR38901_GMAX_DBI) / 10),
      );
  }
}

/**
 * The 3GPP TR 38.901 Table 7.3-1 pattern shape relative to its peak, in dB, for a 3 dB beamwidth
 * (radians, the same in azimuth and elevation) and side-lobe floor: boresight +x,
 * A = −min(−(A_V + A_H), SLA). The tr38901 element uses 65° and 30 dB; switched horn sectors
 * (beams/horns.ts) use their own beamwidth.
 */
export function parabolicPatternDb(theta: number, phi: number, beamwidth: number, slaDb: number): number {
  // φ wrapped to (−π, π] so that the horizontal cut is symmetric about boresight +x
  const phiW = Math.atan2(Math.sin(phi), Math.cos(phi));
  const av = -Math.min(12 * ((theta - Math.PI / 2) / beamwidth) ** 2, slaDb);
  const ah = -Math.min(12 * (phiW / beamwidth) ** 2, slaDb);
  return -Math.min(-(av + ah), slaDb);
}

/** Far-field pattern (C_θ, C_φ) of an antenna in direction (θ, φ). */
export function antennaField(
  spec: AntennaSpec,
  theta: number,
  phi: number,
): { theta: Complex; phi: Complex } {
  const g = patternAmplitude(spec.pattern, theta, phi);
  const z = slantAngle(spec.polarization);
  return { theta: { re: g * Math.cos(z), im: 0 }, phi: { re: g * Math.sin(z), im: 0 } };
}

/** Gain (linear) of an antenna in direction (θ, φ): |C_θ|² + |C_φ|². */
export function antennaGain(spec: AntennaSpec, theta: number, phi: number): number {
  return patternAmplitude(spec.pattern, theta, phi) ** 2;
}

/** Zenith θ ∈ [0, π] and azimuth φ ∈ (−π, π] of a unit direction. */
export function directionAngles(d: Readonly<Vec3>): { theta: number; phi: number } {
  const z = Math.max(-1, Math.min(1, d[2]));
  return { theta: Math.acos(z), phi: Math.atan2(d[1], d[0]) };
}

/** θ̂ = (cosθcosφ, cosθsinφ, −sinθ), φ̂ = (−sinφ, cosφ, 0). */
export function sphericalBasis(theta: number, phi: number): { thetaHat: Vec3; phiHat: Vec3 } {
  const ct = Math.cos(theta);
  const st = Math.sin(theta);
  const cp = Math.cos(phi);
  const sp = Math.sin(phi);
  return { thetaHat: [ct * cp, ct * sp, -st], phiHat: [-sp, cp, 0] };
}

/** Rotation matrix R = Rz(α)·Ry(β)·Rx(γ), row-major 3×3. */
export function rotationMatrix(alpha: number, beta: number, gamma: number): number[] {
  const ca = Math.cos(alpha);
  const sa = Math.sin(alpha);
  const cb = Math.cos(beta);
  const sb = Math.sin(beta);
  const cg = Math.cos(gamma);
  const sg = Math.sin(gamma);
  return [
    ca * cb,
    ca * sb * sg - sa * cg,
    ca * sb * cg + sa * sg,
    sa * cb,
    sa * sb * sg + ca * cg,
    sa * sb * cg - ca * sg,
    -sb,
    cb * sg,
    cb * cg,
  ];
}

/**
 * World-space complex field vector C_θ·θ̂ + C_φ·φ̂ of the antenna in unit direction d, written into
 * out as [xr, xi, yr, yi, zr, zi]. With an orientation R the pattern is evaluated at the local
 * direction Rᵀd and its local field vector is rotated back by R.
 */
export function antennaFieldVector(spec: AntennaSpec, d: Readonly<Vec3>, out: Float64Array): void {
  const o = spec.orientation;
  if (o && (o[0] !== 0 || o[1] !== 0 || o[2] !== 0)) {
    const r = rotationMatrix(o[0], o[1], o[2]);
    // local direction Rᵀ·d
    const local: Vec3 = [
      r[0]! * d[0] + r[3]! * d[1] + r[6]! * d[2],
      r[1]! * d[0] + r[4]! * d[1] + r[7]! * d[2],
      r[2]! * d[0] + r[5]! * d[1] + r[8]! * d[2],
    ];
    localFieldVector(spec, local, out);
    // the field is real here (real patterns and slants): rotate the real parts, keep zero imaginary
    const x = out[0]!;
    const y = out[2]!;
    const z = out[4]!;
    out[0] = r[0]! * x + r[1]! * y + r[2]! * z;
    out[2] = r[3]! * x + r[4]! * y + r[5]! * z;
    out[4] = r[6]! * x + r[7]! * y + r[8]! * z;
    return;
  }
  localFieldVector(spec, d, out);
}

function localFieldVector(spec: AntennaSpec, d: Readonly<Vec3>, out: Float64Array): void {
  const { theta, phi } = directionAngles(d);
  const g = patternAmplitude(spec.pattern, theta, phi);
  const z = slantAngle(spec.polarization);
  const ct = g * Math.cos(z);
  const cph = g * Math.sin(z);
  const cth = Math.cos(theta);
  const sth = Math.sin(theta);
  const cp = Math.cos(phi);
  const sp = Math.sin(phi);
  out[0] = ct * cth * cp - cph * sp;
  out[1] = 0;
  out[2] = ct * cth * sp + cph * cp;
  out[3] = 0;
  out[4] = -ct * sth;
  out[5] = 0;
}
