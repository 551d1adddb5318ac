import { SPEED_OF_LIGHT } from '../core/constants.ts';
import type { Vec3 } from '../core/vec3.ts';
import type { Path, PathGeometry } from '../tracer/path.ts';
import { type AntennaSpec, antennaFieldVector } from './antenna.ts';
import { surfaceCoefficientsInto } from './fastCoefficients.ts';
import {
  diffractionResponse,
  type FieldContext,
  type InteractionResponse,
  perpendicularBasis,
} from './interactions.ts';
import { scatteringPatternValue } from './scattering.ts';

/**
 * Value-only field of a path (no derivatives), written for speed: the same chain as
 * pathField.ts (see there for the physics) with the reflection, transmission and scattering maps
 * applied in place in real arithmetic, no per-interaction objects. Diffraction (rare) uses the
 * reference response. pathField.test.ts checks this against the reference evaluation.
 */
let dirs = new Float64Array(48);
let lens = new Float64Array(16);
const E = new Float64Array(6);
const U = new Float64Array(6);
const COEF = new Float64Array(4);
const ZERO_ANGLES = { azimuthDeg: 0, elevationDeg: 0 };

function angles(x: number, y: number, z: number): { azimuthDeg: number; elevationDeg: number } {
  // same expressions as pathField.ts anglesDeg (bit-identical angles)
  return {
    azimuthDeg: (Math.atan2(y, x) * 180) / Math.PI,
    elevationDeg: (Math.asin(Math.max(-1, Math.min(1, z))) * 180) / Math.PI,
  };
}

function pathOf(
  g: PathGeometry,
  length: number,
  re: number,
  im: number,
  aod: Path['aod'],
  aoa: Path['aoa'],
): Path {
  return {
    kind: g.kind,
    interactions: g.interactions,
    length,
    a: { re, im },
    delay: length / SPEED_OF_LIGHT,
    aod,
    aoa,
  };
}

/** E ← Σ C_kl out_k (in_l·E) for a response object (diffraction). */
function applyResponseInPlace(r: InteractionResponse): void {
  const p1r = r.in1[0] * E[0]! + r.in1[1] * E[2]! + r.in1[2] * E[4]!;
  const p1i = r.in1[0] * E[1]! + r.in1[1] * E[3]! + r.in1[2] * E[5]!;
  const p2r = r.in2[0] * E[0]! + r.in2[1] * E[2]! + r.in2[2] * E[4]!;
  const p2i = r.in2[0] * E[1]! + r.in2[1] * E[3]! + r.in2[2] * E[5]!;
  const c = r.c;
  const q1r = c[0].re * p1r - c[0].im * p1i + c[1].re * p2r - c[1].im * p2i;
  const q1i = c[0].re * p1i + c[0].im * p1r + c[1].re * p2i + c[1].im * p2r;
  const q2r = c[2].re * p1r - c[2].im * p1i + c[3].re * p2r - c[3].im * p2i;
  const q2i = c[2].re * p1i + c[2].im * p1r + c[3].re * p2i + c[3].im * p2r;
  for (let k = 0; k < 3; k++) {
    E[2 * k] = r.out1[k]! * q1r + r.out2[k]! * q2r;
    E[2 * k + 1] = r.out1[k]! * q1i + r.out2[k]! * q2i;
  }
}

export function evaluatePathValue(
  ctx: FieldContext,
  txAntenna: AntennaSpec,
  rxAntenna: AntennaSpec,
  tx: Vec3,
  rx: Vec3,
  geometry: PathGeometry,
): Path {
  const its = geometry.interactions;
  const nInt = its.length;
  const nSeg = nInt + 1;
  if (lens.length < nSeg) {
    lens = new Float64Array(2 * nSeg);
    dirs = new Float64Array(6 * nSeg);
  }
  let total = 0;
  let degenerate = false;
  let ax = tx[0];
  let ay = tx[1];
  let az = tx[2];
  for (let s = 0; s < nSeg; s++) {
    const b = s === nInt ? rx : its[s]!.point;
    const dx = b[0] - ax;
    const dy = b[1] - ay;
    const dz = b[2] - az;
    const l = Math.hypot(dx, dy, dz);
    lens[s] = l;
    total += l;
    if (!(l > 0)) {
      degenerate = true;
      break;
    }
    dirs[3 * s] = dx / l;
    dirs[3 * s + 1] = dy / l;
    dirs[3 * s + 2] = dz / l;
    ax = b[0];
    ay = b[1];
    az = b[2];
  }
  if (degenerate) return pathOf(geometry, total, 0, 0, ZERO_ANGLES, ZERO_ANGLES);
  const last = 3 * (nSeg - 1);
  const kDep: Vec3 = [dirs[0]!, dirs[1]!, dirs[2]!];
  const kArr: Vec3 = [-dirs[last]!, -dirs[last + 1]!, -dirs[last + 2]!];
  const aod = angles(kDep[0], kDep[1], kDep[2]);
  const aoa = angles(kArr[0], kArr[1], kArr[2]);
  antennaFieldVector(txAntenna, kDep, E);

  const slab = ctx.model === 'slab';
  let spread = 1;
  let acc = 0;
  let edgeSIn = -1;
  for (let i = 0; i < nInt; i++) {
    acc += lens[i]!;
    const it = its[i]!;
    const o = 3 * i;
    const kix = dirs[o]!;
    const kiy = dirs[o + 1]!;
    const kiz = dirs[o + 2]!;
    const kox = dirs[o + 3]!;
    const koy = dirs[o + 4]!;
    const koz = dirs[o + 5]!;
    if (it.type === 'diffraction') {
      let sOut = lens[i + 1]!;
      for (let j = i + 1; j < nInt && its[j]!.type !== 'scattering' && its[j]!.type !== 'diffraction'; j++) {
        sOut += lens[j + 1]!;
      }
      const sIn = acc;
      spread *= edgeSIn > 0 ? Math.sqrt(edgeSIn / (acc * (acc + edgeSIn))) : 1 / acc;
      acc = 0;
      edgeSIn = sIn;
      const r = diffractionResponse(ctx, it, [kix, kiy, kiz], [kox, koy, koz], sIn, sOut, false);
      if (!r) return pathOf(geometry, total, 0, 0, aod, aoa);
      applyResponseInPlace(r);
      continue;
    }
    const scattering = it.type === 'scattering';
    if (scattering) {
      spread *= edgeSIn > 0 ? Math.sqrt(edgeSIn / (acc * (acc + edgeSIn))) : 1 / acc;
      acc = 0;
      edgeSIn = -1;
    }
    const face = ctx.scene.faces[it.faceIndex];
    if (!face)
      throw new Error(
        `interaction references face ${it.faceIndex}, but the scene has ${ctx.scene.faces.length} faces`,
      );
    // normal facing the incoming wave, cos of the incidence angle
    let nx = face.normal[0];
    let ny = face.normal[1];
    let nz = face.normal[2];
    const kn = kix * nx + kiy * ny + kiz * nz;
    if (kn > 0) {
      nx = -nx;
      ny = -ny;
      nz = -nz;
    }
    const cosT = Math.min(1, Math.abs(kn));
    // e⊥ = k̂i × n̂ / |…|
    let px = kiy * nz - kiz * ny;
    let py = kiz * nx - kix * nz;
    let pz = kix * ny - kiy * nx;
    let pl = Math.hypot(px, py, pz);
    if (pl > 1e-12) {
      px /= pl;
      py /= pl;
      pz /= pl;
    } else {
      const b = perpendicularBasis([kix, kiy, kiz], [nx, ny, nz]);
      px = b[0];
      py = b[1];
      pz = b[2];
    }
    // projections p1 = e⊥·E, p2 = e∥,in·E with e∥,in = e⊥ × k̂i
    const qx = py * kiz - pz * kiy;
    const qy = pz * kix - px * kiz;
    const qz = px * kiy - py * kix;
    const p1r = px * E[0]! + py * E[2]! + pz * E[4]!;
    const p1i = px * E[1]! + py * E[3]! + pz * E[5]!;
    const p2r = qx * E[0]! + qy * E[2]! + qz * E[4]!;
    const p2i = qx * E[1]! + qy * E[3]! + qz * E[5]!;
    const key = ctx.materialOf(it.objectIndex);
    const m = ctx.material(key);
    const params = m.params;
    surfaceCoefficientsInto(
      m.eta.re,
      m.eta.im,
      cosT,
      params.thickness,
      ctx.k0,
      slab,
      it.type === 'transmission',
      COEF,
    );
    let q1r: number;
    let q1i: number;
    let q2r: number;
    let q2i: number;
    if (!scattering) {
      const sc = it.type === 'reflection' ? Math.sqrt(Math.max(0, 1 - params.scatteringCoefficient ** 2)) : 1;
      q1r = sc * (COEF[0]! * p1r - COEF[1]! * p1i);
      q1i = sc * (COEF[0]! * p1i + COEF[1]! * p1r);
      q2r = sc * (COEF[2]! * p2r - COEF[3]! * p2i);
      q2i = sc * (COEF[2]! * p2i + COEF[3]! * p2r);
    } else {
      const area = it.area;
      if (area === undefined || !(area >= 0)) {
        throw new Error(
          `scattering interaction on face ${it.faceIndex} has no surface area (Interaction.area, m²)`,
        );
      }
      const pattern = ctx.scatteringPattern(key);
      const cosS = kox * nx + koy * ny + koz * nz;
      const f =
        pattern.kind === 'lambertian'
          ? cosS > 0 && cosT > 0
            ? cosS / Math.PI
            : 0
          : scatteringPatternValue(pattern, [kix, kiy, kiz], [kox, koy, koz], [nx, ny, nz]);
      const g = params.scatteringCoefficient * Math.sqrt(cosT * area * f);
      const co = g * Math.sqrt(1 - params.xpdCoefficient);
      const xp = g * Math.sqrt(params.xpdCoefficient);
      // A = r⊥p1, B = r∥p2; ⊥s: co·A + j·xp·B, ∥s: j·xp·A + co·B
      const Ar = COEF[0]! * p1r - COEF[1]! * p1i;
      const Ai = COEF[0]! * p1i + COEF[1]! * p1r;
      const Br = COEF[2]! * p2r - COEF[3]! * p2i;
      const Bi = COEF[2]! * p2i + COEF[3]! * p2r;
      q1r = co * Ar - xp * Bi;
      q1i = co * Ai + xp * Br;
      q2r = co * Br - xp * Ai;
      q2i = co * Bi + xp * Ar;
      // e⊥ of the scattered wave: k̂s × n̂ / |…| (the incident one when k̂s ∥ n̂)
      const sx = koy * nz - koz * ny;
      const sy = koz * nx - kox * nz;
      const sz = kox * ny - koy * nx;
      pl = Math.hypot(sx, sy, sz);
      if (pl > 1e-12) {
        px = sx / pl;
        py = sy / pl;
        pz = sz / pl;
      }
    }
    // e∥,out = e⊥ × k̂o ; E ← e⊥·q1 + e∥,out·q2
    const rx_ = py * koz - pz * koy;
    const ry = pz * kox - px * koz;
    const rz = px * koy - py * kox;
    E[0] = px * q1r + rx_ * q2r;
    E[1] = px * q1i + rx_ * q2i;
    E[2] = py * q1r + ry * q2r;
    E[3] = py * q1i + ry * q2i;
    E[4] = pz * q1r + rz * q2r;
    E[5] = pz * q1i + rz * q2i;
  }
  acc += lens[nSeg - 1]!;
  spread *= edgeSIn > 0 ? Math.sqrt(edgeSIn / (acc * (acc + edgeSIn))) : 1 / acc;
  antennaFieldVector(rxAntenna, kArr, U);
  const scale = (ctx.wavelength / (4 * Math.PI)) * spread;
  let aRe = 0;
  let aIm = 0;
  for (let k = 0; k < 3; k++) {
    // conj(U)·E
    aRe += U[2 * k]! * E[2 * k]! + U[2 * k + 1]! * E[2 * k + 1]!;
    aIm += U[2 * k]! * E[2 * k + 1]! - U[2 * k + 1]! * E[2 * k]!;
  }
  return pathOf(geometry, total, scale * aRe, scale * aIm, aod, aoa);
}
