/**
 * WebGPU field evaluation of propagation paths, and its exact material derivatives.
 *
 * API (same contracts as field/index.ts and field/gradient.ts; `gpu` from acquireGpu())
 * - evaluatePathsGpu(gpu, scene, tx, rx, geometries, materials, options) → Promise<Path[]>
 * - evaluateLinksGpu(gpu, scene, links: {tx, rx, geometries}[], materials, options, signal?)
 *     → {paths[link][path], stats}: many links in one dispatch (radio maps, calibration)
 * - evaluatePathsWithGradientGpu / evaluateLinksWithGradientGpu → gradients keyed
 *   `<material>:<parameter>` as evaluatePathsWithGradient
 * - evaluatePathsJacobianGpu / evaluateLinksJacobianGpu(…, keys) → dense rows as
 *   evaluatePathsJacobian
 * stats says how many paths ran on the GPU, how many on the CPU fallback, and where the time went.
 *
 * What runs where
 * - GPU (pathField.wgsl, one invocation per path, f32): the whole Jones chain of reflections,
 *   transmissions (slab and half-space models), diffuse scattering and UTD edge diffraction —
 *   local bases, Fresnel/slab coefficients, √(1−S²), scattering and XPD factors, Luebbers' face
 *   reflection coefficients in the diffraction coefficient, spreading (1/L, 1/(ri·rs),
 *   √(s′/(s(s+s′))) between edges), a = λ/(4π)·G·Uᴴ·E — and, on request, ∂a/∂θ for
 *   θ ∈ {ε'r, σ, S, d} in forward mode: dual numbers (value, ∂/∂η, ∂/∂d) through the
 *   coefficients (a is analytic in η; ∂/∂σ = ∂/∂η·(−j/(ε0ω))), and per interaction up to four
 *   tangent field vectors (∂/∂η, ∂/∂S, ∂/∂d of its material; ∂/∂η, ∂/∂d of a diffraction's
 *   n-face material) carried through the rest of the chain. Exact, no finite differences.
 * - Host, f64, per path: the segment lengths and unit directions, length and delay = length/c
 *   (summed as the CPU reference does: delays equal to the last bit), aod/aoa, the antenna field
 *   vectors at departure and arrival (antenna.ts; any pattern, polarization, orientation);
 *   per scattering interaction the pattern factor √(cos θi·A·f(k̂i, k̂s)) (any pattern of
 *   scattering.ts: Lambertian, directive, backscattering — a grazing exit f ∝ cos θs → 0 lost
 *   0.014 dB when computed in f32); per diffraction the edge geometry and the material-free UTD
 *   terms G, G0, GN with D = G + R0·G0 + Rn·GN (cotangents and Fresnel transition functions of
 *   diffraction.ts). Summing the per-interaction derivatives over the interactions of one
 *   material gives the gradient.
 * - CPU fallback (pathField.ts, counted in stats.cpuFallbackPaths): paths of more than 8
 *   interactions only.
 *
 * Layout (this file packs; pathField.wgsl documents each binding)
 * - paths: u32 [first interaction, count] + f32×16 [last segment direction, E0 (6), U (6), its length]
 * - interactions: u32×4 [type, material, n-face material (diffraction), diffraction record] +
 *   f32×8 [face normal, √(cos θi·A·f), incoming segment unit direction and length]
 * - diffraction records: f32×24 [β̂0′, φ̂′, β̂0, φ̂, G, G0, GN, cos θ on each face]
 * - materials: f32×8 [Re η, Im η, thickness, S, K_x, thickness/λ] (η in f64 on the host)
 * - uniforms: k0, λ/(4π), −1/(ε0ω), model, tile range, offset of the derivatives
 * - output: a per path (2 f32), then 16 f32 per interaction (ε'r, σ, S, d × re/im, two materials)
 * Many links go into one dispatch; tiles of ≤ 65 536 paths per dispatch.
 *
 * Precision choices (f32 on the GPU)
 * - Directions are uploaded as unit vectors normalised in f64, not as f32 points: the error of a
 *   direction from f32 points is ulp(coordinate)/segment length.
 * - √(η − sin²θ) without cancellation (the small part as Im/(2·large part)); complex division by
 *   Smith's method (no |b|² overflow for metals: |η| ≈ 6.4e6 at 28 GHz for σ = 1e7 S/m).
 * - Slab exponential e^{−jq}, q = k0·d·s: Im s ≤ 0, so e^{Im q} only underflows (thick metal:
 *   exactly 0, and cos/sin of the huge phase are skipped), never overflows; the phase is reduced
 *   in turns, (d/λ)·Re s − ⌊…⌋, with d/λ from the host in f64.
 *
 * Measured agreement (fieldGpu.test.ts, fieldGradientGpu.test.ts; Dawn + SwiftShader, 28 GHz,
 * 50 links per scene, all 6 Sionna scenes + the demo room, both material models)
 * - Specular chains (LoS, reflections, transmissions, depth 3) and UTD diffraction (depth 2):
 *   worst gain error 5.6e-3 dB (slab; ≤ 3e-4 dB half-space), phase ≤ 9e-4 rad, delay 0 ps.
 * - With Lambertian scattering (S = 0.3 everywhere): paths within 60 dB of their link's strongest
 *   ≤ 6.4e-3 dB; the worst of all, a weak cross-polarised scattered path at −157 dB, 0.014 dB.
 * - Metal (σ = 1e7 S/m, d = 1 µm … 1 cm): ≤ 2.1e-3 dB.
 * - Directive / backscattering patterns, tr38901 / dipole antennas, slants, orientations: ≤ 5.5e-3 dB.
 * - Derivatives vs evaluatePathsJacobian (float64 adjoint): worst relative error 2.8e-3 (slab),
 *   2.6e-4 (half-space) over ~90 000 nonzero entries incl. diffraction; vs central finite
 *   differences of the GPU's own values: ≤ 4.2e-3.
 * The slab model dominates the error: its denominator 1 − r′²e^{−2jq} amplifies f32 rounding.
 */
import { SPEED_OF_LIGHT, VACUUM_PERMITTIVITY } from '../../core/constants.ts';
import { cross, type Vec3 } from '../../core/vec3.ts';
import {
  bindBuffers,
  computePipeline,
  dispatchGrid,
  emptyBuffer,
  readBack,
  storageBuffer,
  uniformBuffer,
} from '../../gpu/buffers.ts';
import { checkDevice, type GpuContext, withGpuErrors } from '../../gpu/device.ts';
import type { RadioParameters } from '../../materials/radioMaterial.ts';
import type { Scene } from '../../scene/types.ts';
import type { Interaction, Path, PathGeometry } from '../../tracer/path.ts';
import { antennaFieldVector } from '../antenna.ts';
import { antennasOf, createFieldContext, type FieldOptions } from '../context.ts';
import {
  distanceParameter,
  orientWedge,
  utdCoefficients,
  wedgeAngle,
  wedgeGeometry,
} from '../diffraction.ts';
import {
  gradientFromSensitivities,
  MATERIAL_PARAMETERS,
  type PathGradient,
  parameterKey,
} from '../gradient.ts';
import type { FieldContext } from '../interactions.ts';
import { evaluatePathField } from '../pathField.ts';
import { scatteringPatternValue } from '../scattering.ts';
import kernelSource from './pathField.wgsl?raw';

/** One Tx–Rx link with its traced geometry. */
export interface FieldLink {
  tx: Vec3;
  rx: Vec3;
  geometries: readonly PathGeometry[];
}

export interface FieldGpuStats {
  /** paths evaluated by the WGSL kernel */
  gpuPaths: number;
  /** paths evaluated by the CPU reference (diffraction, > 8 interactions) */
  cpuFallbackPaths: number;
  dispatches: number;
  /** wall time (ms): host packing (f64 lengths, antennas, scattering factors, CPU fallbacks) */
  packMs: number;
  /** upload, dispatch, kernel and read-back */
  gpuMs: number;
  /** building the Path objects and gradients from the read-back */
  unpackMs: number;
}

/** Raw per-interaction derivatives of one path: for interaction j, 8 numbers at 8j (ε'r, σ, S, d; re, im). */
interface RawResult {
  paths: Path[][];
  /** per link, per path: material keys of the interactions and their derivatives, or the CPU gradient */
  grads?: (PathGradient | RawGradient)[][];
  stats: FieldGpuStats;
}

/** Per interaction j: material key(s) and 16 numbers at 16j (A: ε'r, σ, S, d; B: same; re, im). */
interface RawGradient {
  keysA: string[];
  /** n-face material of a diffraction, undefined otherwise */
  keysB: (string | undefined)[];
  d: Float32Array;
}

const NO_MATERIAL = 0xffffffff;
const DIFFRACTION_STRIDE = 24;
const ZERO_PAIR = { perp: { re: 0, im: 0 }, par: { re: 0, im: 0 } };

const MAX_INTERACTIONS = 8;
const TILE_PATHS = 65_536;

function kernel(withGrad: boolean): string {
  return `const WITH_GRAD: bool = ${withGrad};\n${kernelSource}`;
}

/**
 * Scattering amplitude factor √(cos θi·A·f) of interaction k (fastPathField.ts), from the f64
 * segment directions in seg (segment k arrives at interaction k, segment k+1 leaves it).
 */
function scatteringAmplitude(
  ctx: FieldContext,
  key: string,
  seg: Float64Array,
  k: number,
  normal: Vec3,
  area: number,
): number {
  const i = 3 * k;
  const kn = seg[i]! * normal[0] + seg[i + 1]! * normal[1] + seg[i + 2]! * normal[2];
  const sign = kn > 0 ? -1 : 1; // normal facing the incoming wave
  const cosT = Math.min(1, Math.abs(kn));
  const pattern = ctx.scatteringPattern(key);
  if (pattern.kind === 'lambertian') {
    const cosS = sign * (seg[i + 3]! * normal[0] + seg[i + 4]! * normal[1] + seg[i + 5]! * normal[2]);
    return cosS > 0 && cosT > 0 ? Math.sqrt((cosT * area * cosS) / Math.PI) : 0;
  }
  const ki: Vec3 = [seg[i]!, seg[i + 1]!, seg[i + 2]!];
  const ko: Vec3 = [seg[i + 3]!, seg[i + 4]!, seg[i + 5]!];
  const n: Vec3 = [sign * normal[0], sign * normal[1], sign * normal[2]];
  return Math.sqrt(cosT * area * scatteringPatternValue(pattern, ki, ko, n));
}

/**
 * Edge geometry and UTD terms of diffraction interaction k (diffraction.ts, interactions.ts
 * diffractionResponse) in f64, into rec[DIFFRACTION_STRIDE·r …]: the coefficient is linear in the
 * face reflection coefficients, D = G + R0·G0 + Rn·GN, so the host computes G, G0, GN (cotangents
 * and Fresnel transition functions) and the GPU adds the material part. A configuration the
 * reference rejects (observer inside the wedge, ray along the edge) gets zeros: a = 0, as on the CPU.
 * Returns the material index of the n-face.
 */
function diffractionRecord(
  ctx: FieldContext,
  it: Interaction,
  seg: Float64Array,
  k: number,
  sIn: number,
  sOut: number,
  rec: Float32Array,
  r: number,
  matOfObject: (objectIndex: number) => number,
): number {
  const edge = it.edge;
  if (!edge) throw new Error(`diffraction interaction on face ${it.faceIndex} has no edge`);
  const free = edge.otherFaceIndex < 0;
  const faceN = ctx.scene.faces[free ? it.faceIndex : edge.otherFaceIndex];
  if (!faceN)
    throw new Error(`diffraction edge references face ${edge.otherFaceIndex}, which does not exist`);
  const mN = matOfObject(free ? it.objectIndex : faceN.objectIndex);
  const o = DIFFRACTION_STRIDE * r;
  rec.fill(0, o, o + DIFFRACTION_STRIDE);
  const kIn: Vec3 = [seg[3 * k]!, seg[3 * k + 1]!, seg[3 * k + 2]!];
  const kOut: Vec3 = [seg[3 * k + 3]!, seg[3 * k + 4]!, seg[3 * k + 5]!];
  const geometry = wedgeGeometry(ctx.scene, it.faceIndex, edge.otherFaceIndex, edge.start, edge.end);
  if (!geometry) return mN;
  const back: Vec3 = [-kIn[0], -kIn[1], -kIn[2]];
  const frame = orientWedge(geometry, back);
  if (!frame) return mN;
  const phiIn = wedgeAngle(frame, back);
  const phiOut = wedgeAngle(frame, kOut);
  const wedgeTop = frame.n * Math.PI + 1e-9;
  if (phiIn > wedgeTop || phiOut > wedgeTop) return mN;
  const e = frame.e;
  const cosBeta = Math.max(-1, Math.min(1, kIn[0] * e[0] + kIn[1] * e[1] + kIn[2] * e[2]));
  const sinBeta0 = Math.sqrt(1 - cosBeta * cosBeta);
  if (sinBeta0 < 1e-12) return mN;
  const L = distanceParameter(sIn, sOut, sinBeta0);
  const utd = utdCoefficients(frame.n, phiIn, phiOut, sinBeta0, ctx.k0, L, ZERO_PAIR, ZERO_PAIR);
  const unit = (v: Vec3): Vec3 => {
    const l = Math.hypot(v[0], v[1], v[2]);
    return l > 0 ? [v[0] / l, v[1] / l, v[2] / l] : [0, 0, 0];
  };
  const phiHatIn = unit(cross(e, back));
  const phiHatOut = unit(cross(e, kOut));
  rec.set(cross(kIn, phiHatIn), o); // β̂0′ = ŝ′ × φ̂′
  rec.set(phiHatIn, o + 3);
  rec.set(cross(kOut, phiHatOut), o + 6); // β̂0 = ŝ × φ̂
  rec.set(phiHatOut, o + 9);
  rec[o + 12] = utd.soft.re; // R = 0: the incident-field terms G
  rec[o + 13] = utd.soft.im;
  rec[o + 14] = utd.dR0.re;
  rec[o + 15] = utd.dR0.im;
  rec[o + 16] = utd.dRn.re;
  rec[o + 17] = utd.dRn.im;
  rec[o + 18] = Math.min(1, sinBeta0 * Math.abs(Math.sin(phiIn)));
  rec[o + 19] = Math.min(1, sinBeta0 * Math.abs(Math.sin(frame.n * Math.PI - phiOut)));
  return mN;
}

function angles(x: number, y: number, z: number): Path['aod'] {
  // same expressions as fastPathField.ts (bit-identical angles)
  return {
    azimuthDeg: (Math.atan2(y, x) * 180) / Math.PI,
    elevationDeg: (Math.asin(Math.max(-1, Math.min(1, z))) * 180) / Math.PI,
  };
}

async function evaluateRaw(
  gpu: GpuContext,
  scene: Scene,
  links: readonly FieldLink[],
  materials: Record<string, RadioParameters>,
  options: FieldOptions,
  withGrad: boolean,
  signal?: AbortSignal,
): Promise<RawResult> {
  checkDevice(gpu);
  const ctx = createFieldContext(scene, materials, options);
  const ant = antennasOf(options);
  const slab = ctx.model === 'slab';
  const t0 = performance.now();
  const stats: FieldGpuStats = {
    gpuPaths: 0,
    cpuFallbackPaths: 0,
    dispatches: 0,
    packMs: 0,
    gpuMs: 0,
    unpackMs: 0,
  };
  // material table, and the material index of each object (resolved once per object)
  const matKeys: string[] = [];
  const matIndex = new Map<string, number>();
  const matData: number[] = [];
  const objectMaterial = new Int32Array(scene.objects.length).fill(-1);
  const matOfObject = (objectIndex: number): number => {
    const cached =
      objectIndex >= 0 && objectIndex < objectMaterial.length ? objectMaterial[objectIndex]! : -1;
    if (cached >= 0) return cached;
    const key = ctx.materialOf(objectIndex);
    let i = matIndex.get(key);
    if (i === undefined) {
      const m = ctx.material(key);
      i = matKeys.length;
      matKeys.push(key);
      matIndex.set(key, i);
      const d = m.params.thickness;
      matData.push(
        m.eta.re,
        m.eta.im,
        d,
        m.params.scatteringCoefficient,
        m.params.xpdCoefficient,
        d / ctx.wavelength,
        0,
        0,
      );
    }
    if (objectIndex >= 0 && objectIndex < objectMaterial.length) objectMaterial[objectIndex] = i;
    return i;
  };

  const paths: Path[][] = links.map((l) => new Array<Path>(l.geometries.length));
  const grads: RawResult['grads'] = withGrad ? links.map((l) => new Array(l.geometries.length)) : undefined;
  // count the GPU work; the rest goes to the CPU reference now
  let nJobs = 0;
  let nInteractions = 0;
  let nDiffractions = 0;
  for (let li = 0; li < links.length; li++) {
    const link = links[li]!;
    for (let pi = 0; pi < link.geometries.length; pi++) {
      const g = link.geometries[pi]!;
      const its = g.interactions;
      if (its.length <= MAX_INTERACTIONS) {
        nJobs++;
        nInteractions += its.length;
        for (let k = 0; k < its.length; k++) if (its[k]!.type === 'diffraction') nDiffractions++;
        continue;
      }
      const r = evaluatePathField(ctx, ant.tx, ant.rx, link.tx, link.rx, g, withGrad);
      paths[li]![pi] = r.path;
      if (grads) grads[li]![pi] = gradientFromSensitivities(r.sensitivities ?? [], options.frequencyHz);
      stats.cpuFallbackPaths++;
    }
  }
  stats.gpuPaths = nJobs;
  if (nJobs === 0) return { paths, grads, stats };

  // pack (host float64: segment directions normalised and lengths, unfolded length, angles,
  // antenna field vectors, scattering factors)
  const jobLink = new Uint32Array(nJobs);
  const jobPath = new Uint32Array(nJobs);
  const pathInts = new Uint32Array(2 * nJobs);
  const pathFloats = new Float32Array(16 * nJobs);
  const itInts = new Uint32Array(4 * Math.max(1, nInteractions));
  const diffData = new Float32Array(DIFFRACTION_STRIDE * Math.max(1, nDiffractions));
  let nextDiff = 0;
  const lens = new Float64Array(MAX_INTERACTIONS + 1);
  const itFloats = new Float32Array(8 * Math.max(1, nInteractions));
  const E = new Float64Array(6);
  const seg = new Float64Array(3 * (MAX_INTERACTIONS + 1));
  const dep: [number, number, number] = [0, 0, 0];
  const arr: [number, number, number] = [0, 0, 0];
  const zero = { azimuthDeg: 0, elevationDeg: 0 };
  let j = 0;
  let nextIt = 0;
  for (let li = 0; li < links.length; li++) {
    const link = links[li]!;
    const [tx0, tx1, tx2] = link.tx;
    for (let pi = 0; pi < link.geometries.length; pi++) {
      if (paths[li]![pi]) continue; // CPU fallback
      const g = link.geometries[pi]!;
      const its = g.interactions;
      const n = its.length;
      jobLink[j] = li;
      jobPath[j] = pi;
      pathInts[2 * j] = nextIt;
      pathInts[2 * j + 1] = n;
      let total = 0;
      let ax = tx0;
      let ay = tx1;
      let az = tx2;
      let ok = true;
      const o = 16 * j;
      for (let s = 0; s <= n; s++) {
        const b = s === n ? link.rx : its[s]!.point;
        const dx = b[0] - ax;
        const dy = b[1] - ay;
        const dz = b[2] - az;
        const l = Math.hypot(dx, dy, dz);
        lens[s] = l;
        total += l;
        if (!(l > 0)) ok = false;
        const ux = dx / l;
        const uy = dy / l;
        const uz = dz / l;
        seg[3 * s] = ux;
        seg[3 * s + 1] = uy;
        seg[3 * s + 2] = uz;
        if (s === n) {
          pathFloats[o] = ux;
          pathFloats[o + 1] = uy;
          pathFloats[o + 2] = uz;
          pathFloats[o + 15] = l;
          arr[0] = -ux;
          arr[1] = -uy;
          arr[2] = -uz;
        } else {
          const at = 8 * (nextIt + s) + 4;
          itFloats[at] = ux;
          itFloats[at + 1] = uy;
          itFloats[at + 2] = uz;
          itFloats[at + 3] = l;
        }
        if (s === 0) {
          dep[0] = ux;
          dep[1] = uy;
          dep[2] = uz;
        }
        ax = b[0];
        ay = b[1];
        az = b[2];
      }
      if (ok) {
        antennaFieldVector(ant.tx, dep, E);
        pathFloats.set(E, o + 3);
        antennaFieldVector(ant.rx, arr, E);
        pathFloats.set(E, o + 9);
      } else pathFloats[o + 15] = 0; // degenerate: the kernel returns a = 0, as the CPU does
      paths[li]![pi] = {
        kind: g.kind,
        interactions: g.interactions,
        length: total,
        a: { re: 0, im: 0 },
        delay: total / SPEED_OF_LIGHT,
        aod: ok ? angles(dep[0], dep[1], dep[2]) : zero,
        aoa: ok ? angles(arr[0], arr[1], arr[2]) : zero,
      };
      for (let k = 0; k < n; k++) {
        const it = its[k]!;
        const face = scene.faces[it.faceIndex];
        if (!face)
          throw new Error(
            `interaction references face ${it.faceIndex}, but the scene has ${scene.faces.length} faces`,
          );
        const q = nextIt + k;
        const mi = matOfObject(it.objectIndex);
        itInts[4 * q] =
          it.type === 'reflection' ? 0 : it.type === 'transmission' ? 1 : it.type === 'scattering' ? 2 : 3;
        itInts[4 * q + 1] = mi;
        itInts[4 * q + 2] = NO_MATERIAL;
        if (it.type === 'diffraction') {
          // s′: back to the source, the last scattering or diffraction; s: on to the next one or Rx
          let sIn = 0;
          for (let m = k; m >= 0; m--) {
            sIn += lens[m]!;
            if (m > 0 && (its[m - 1]!.type === 'scattering' || its[m - 1]!.type === 'diffraction')) break;
          }
          let sOut = 0;
          for (let m = k + 1; m <= n; m++) {
            sOut += lens[m]!;
            if (m < n && (its[m]!.type === 'scattering' || its[m]!.type === 'diffraction')) break;
          }
          itInts[4 * q + 2] = ok
            ? diffractionRecord(ctx, it, seg, k, sIn, sOut, diffData, nextDiff, matOfObject)
            : mi;
          itInts[4 * q + 3] = nextDiff++;
        }
        itFloats[8 * q] = face.normal[0];
        itFloats[8 * q + 1] = face.normal[1];
        itFloats[8 * q + 2] = face.normal[2];
        if (it.type === 'scattering') {
          if (it.area === undefined || !(it.area >= 0))
            throw new Error(
              `scattering interaction on face ${it.faceIndex} has no surface area (Interaction.area, m²)`,
            );
          // √(cos θi·A·f(k̂i, k̂s)) in f64: f of grazing scattering (Lambertian f ∝ cos θs → 0)
          // loses its relative precision in f32; any pattern of scattering.ts works this way
          itFloats[8 * q + 3] = ok ? scatteringAmplitude(ctx, matKeys[mi]!, seg, k, face.normal, it.area) : 0;
        }
      }
      nextIt += n;
      j++;
    }
  }

  const t1 = performance.now();
  stats.packMs = t1 - t0;
  const pipeline = computePipeline(
    gpu,
    kernel(withGrad),
    withGrad ? 'path field + derivatives' : 'path field',
  );
  const omega = 2 * Math.PI * options.frequencyHz;
  const buffers = await withGpuErrors(gpu, 'uploading path geometry for the field kernel', () => ({
    pathInts: storageBuffer(gpu, pathInts, 'field: path headers'),
    pathFloats: storageBuffer(gpu, pathFloats, 'field: path vectors'),
    itInts: storageBuffer(gpu, itInts, 'field: interaction codes'),
    diff: storageBuffer(gpu, diffData, 'field: diffraction records'),
    itFloats: storageBuffer(gpu, itFloats, 'field: interaction geometry'),
    mats: storageBuffer(gpu, new Float32Array(matData.length ? matData : [0]), 'field: materials'),
    out: emptyBuffer(
      gpu,
      4 * (2 * nJobs + (withGrad ? 16 * nInteractions : 0)),
      'field: a and derivatives',
      GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC,
    ),
  }));
  const uniforms: GPUBuffer[] = [];
  try {
    for (let start = 0; start < nJobs; start += TILE_PATHS) {
      signal?.throwIfAborted();
      const count = Math.min(TILE_PATHS, nJobs - start);
      const u = new ArrayBuffer(32);
      const f = new Float32Array(u);
      const w = new Uint32Array(u);
      f[0] = ctx.k0;
      f[1] = ctx.wavelength / (4 * Math.PI);
      f[2] = -1 / (VACUUM_PERMITTIVITY * omega);
      w[3] = slab ? 1 : 0;
      w[4] = count;
      w[5] = start;
      w[6] = 2 * nJobs;
      await withGpuErrors(gpu, 'evaluating path fields', () => {
        const ub = uniformBuffer(gpu, f, 'field: parameters');
        uniforms.push(ub);
        const bind: Record<number, GPUBuffer> = {
          0: ub,
          1: buffers.pathInts,
          2: buffers.pathFloats,
          3: buffers.itInts,
          4: buffers.itFloats,
          5: buffers.mats,
          6: buffers.out,
          7: buffers.diff,
        };
        const enc = gpu.device.createCommandEncoder();
        const pass = enc.beginComputePass();
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, bindBuffers(gpu, pipeline, bind));
        pass.dispatchWorkgroups(...dispatchGrid(count, 64));
        pass.end();
        gpu.device.queue.submit([enc.finish()]);
      });
      stats.dispatches++;
    }
    const all = new Float32Array(
      await readBack(gpu, buffers.out, 4 * (2 * nJobs + (withGrad ? 16 * nInteractions : 0))),
    );
    const a = all;
    const d = withGrad ? all.subarray(2 * nJobs) : undefined;
    const t2 = performance.now();
    stats.gpuMs = t2 - t1;
    for (let q = 0; q < nJobs; q++) {
      const p = paths[jobLink[q]!]![jobPath[q]!]!;
      p.a.re = a[2 * q]!;
      p.a.im = a[2 * q + 1]!;
      if (grads && d) {
        const first = pathInts[2 * q]!;
        const n = pathInts[2 * q + 1]!;
        const keysA: string[] = new Array(n);
        const keysB: (string | undefined)[] = new Array(n);
        for (let k = 0; k < n; k++) {
          keysA[k] = matKeys[itInts[4 * (first + k) + 1]!]!;
          const b = itInts[4 * (first + k) + 2]!;
          keysB[k] = b === NO_MATERIAL ? undefined : matKeys[b];
        }
        grads[jobLink[q]!]![jobPath[q]!] = { keysA, keysB, d: d.subarray(16 * first, 16 * (first + n)) };
      }
    }
    stats.unpackMs = performance.now() - t2;
  } finally {
    for (const b of Object.values(buffers)) b.destroy();
    for (const b of uniforms) b.destroy();
  }
  return { paths, grads, stats };
}

/** Fields of many links in one dispatch (radio maps, calibration): paths[link][path]. */
export async function evaluateLinksGpu(
  gpu: GpuContext,
  scene: Scene,
  links: readonly FieldLink[],
  materials: Record<string, RadioParameters>,
  options: FieldOptions,
  signal?: AbortSignal,
): Promise<{ paths: Path[][]; stats: FieldGpuStats }> {
  const r = await evaluateRaw(gpu, scene, links, materials, options, false, signal);
  return { paths: r.paths, stats: r.stats };
}

/** WebGPU twin of evaluatePaths (field/index.ts): same arguments after the GPU context, same output. */
export async function evaluatePathsGpu(
  gpu: GpuContext,
  scene: Scene,
  tx: Vec3,
  rx: Vec3,
  geometries: readonly PathGeometry[],
  materials: Record<string, RadioParameters>,
  options: FieldOptions,
): Promise<Path[]> {
  return (await evaluateLinksGpu(gpu, scene, [{ tx, rx, geometries }], materials, options)).paths[0]!;
}

/** Calls f(key, parameter index, re, im) for every derivative of a raw record. */
function forEachDerivative(
  g: RawGradient,
  f: (key: string, k: number, re: number, im: number) => void,
): void {
  for (let j = 0; j < g.keysA.length; j++) {
    for (let k = 0; k < 4; k++) f(g.keysA[j]!, k, g.d[16 * j + 2 * k]!, g.d[16 * j + 2 * k + 1]!);
    const b = g.keysB[j];
    if (b !== undefined)
      for (let k = 0; k < 4; k++) f(b, k, g.d[16 * j + 8 + 2 * k]!, g.d[16 * j + 9 + 2 * k]!);
  }
}

function gradientOf(g: PathGradient | RawGradient): PathGradient {
  if (g instanceof Map) return g;
  const out: PathGradient = new Map();
  forEachDerivative(g, (key, k, re, im) => {
    const name = parameterKey(key, MATERIAL_PARAMETERS[k]!);
    const old = out.get(name);
    if (old) {
      old.re += re;
      old.im += im;
    } else out.set(name, { re, im });
  });
  return out;
}

/** WebGPU twin of evaluatePathsWithGradient (gradient.ts), for many links: gradients[link][path]. */
export async function evaluateLinksWithGradientGpu(
  gpu: GpuContext,
  scene: Scene,
  links: readonly FieldLink[],
  materials: Record<string, RadioParameters>,
  options: FieldOptions,
  signal?: AbortSignal,
): Promise<{ paths: Path[][]; gradients: PathGradient[][]; stats: FieldGpuStats }> {
  const r = await evaluateRaw(gpu, scene, links, materials, options, true, signal);
  return { paths: r.paths, gradients: r.grads!.map((l) => l.map(gradientOf)), stats: r.stats };
}

/** WebGPU twin of evaluatePathsWithGradient for one link. */
export async function evaluatePathsWithGradientGpu(
  gpu: GpuContext,
  scene: Scene,
  tx: Vec3,
  rx: Vec3,
  geometries: readonly PathGeometry[],
  materials: Record<string, RadioParameters>,
  options: FieldOptions,
): Promise<{ paths: Path[]; gradients: PathGradient[] }> {
  const r = await evaluateLinksWithGradientGpu(gpu, scene, [{ tx, rx, geometries }], materials, options);
  return { paths: r.paths[0]!, gradients: r.gradients[0]! };
}

/**
 * WebGPU twin of evaluatePathsJacobian (gradient.ts) for many links: jacobian[link][path] =
 * Float64Array [Re ∂a/∂θ_0, Im ∂a/∂θ_0, …] over `keys` (parameterKey form; 0 where independent).
 */
export async function evaluateLinksJacobianGpu(
  gpu: GpuContext,
  scene: Scene,
  links: readonly FieldLink[],
  materials: Record<string, RadioParameters>,
  options: FieldOptions,
  keys: readonly string[],
  signal?: AbortSignal,
): Promise<{ paths: Path[][]; jacobian: Float64Array[][]; stats: FieldGpuStats }> {
  const r = await evaluateRaw(gpu, scene, links, materials, options, true, signal);
  const column = new Map(keys.map((k, i) => [k, i]));
  const jacobian = r.grads!.map((l) =>
    l.map((g) => {
      const row = new Float64Array(2 * keys.length);
      if (g instanceof Map) {
        for (const [k, v] of g) {
          const c = column.get(k);
          if (c !== undefined) {
            row[2 * c] += v.re;
            row[2 * c + 1] += v.im;
          }
        }
        return row;
      }
      forEachDerivative(g, (key, k, re, im) => {
        const c = column.get(parameterKey(key, MATERIAL_PARAMETERS[k]!));
        if (c !== undefined) {
          row[2 * c] += re;
          row[2 * c + 1] += im;
        }
      });
      return row;
    }),
  );
  return { paths: r.paths, jacobian, stats: r.stats };
}

/** WebGPU twin of evaluatePathsJacobian for one link. */
export async function evaluatePathsJacobianGpu(
  gpu: GpuContext,
  scene: Scene,
  tx: Vec3,
  rx: Vec3,
  geometries: readonly PathGeometry[],
  materials: Record<string, RadioParameters>,
  options: FieldOptions,
  keys: readonly string[],
): Promise<{ paths: Path[]; jacobian: Float64Array[] }> {
  const r = await evaluateLinksJacobianGpu(gpu, scene, [{ tx, rx, geometries }], materials, options, keys);
  return { paths: r.paths[0]!, jacobian: r.jacobian[0]! };
}
