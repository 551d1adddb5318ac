import { SPEED_OF_LIGHT, wavelength } from '../core/constants.ts';
import { InputError } from '../core/errors.ts';
import { norm3 } from '../core/norm.ts';
import { cross, type Vec3 } from '../core/vec3.ts';
import { surfaceOwner } from '../scene/coincidentFaces.ts';
import { OFFSET_TOLERANCE } from '../scene/faces.ts';
import type { Scene } from '../scene/types.ts';
import type { PathGeometry } from '../tracer/path.ts';
import { type AntennaSpec, antennaFieldVector, DEFAULT_ANTENNA } from './antenna.ts';
import type { MaterialModel } from './coefficients.ts';
import {
  distanceParameter,
  luebbersFaces,
  orientWedge,
  utdCoefficients,
  wedgeAngle,
  wedgeGeometry,
} from './diffraction.ts';
import { LAMBERTIAN, type ScatteringPattern, scatteringPatternValue } from './scattering.ts';

/**
 * The material-free description of each path, in float64, computed once per traced path and
 * consumed by every field evaluation: the CPU chain (jonesChain.ts: values, radio maps, and exact
 * derivatives for calibration) and the WGSL kernel's packer (gpu/fieldKernel.ts). Geometry does not
 * depend on materials, so a calibration step only re-applies the material-dependent
 * coefficients to these frames.
 *
 * a = (λ/4π)·G·C_Rᴴ·M_n⋯M_1·C_T (docs/physics.md §5):
 * - per path: unfolded length and delay, departure/arrival angles, the antenna field vectors
 *   C_T (Tx, departure direction) and C_R (Rx, arrival direction), and amplitude = λ/(4π)·G with
 *   the spreading G (1/L; 1/(ri·rs) after a scattering point; √(s′/(s(s + s′))) after an edge);
 * - per interaction: its kind, the material(s) it reads, the incidence cosine(s), and the Jones
 *   map's local bases E_out = Σ C_kl·out_k·(in_l·E_in): e⊥ = k̂ᵢ×n̂/|…| with n̂ facing the incoming
 *   wave, e∥ = e⊥×k̂ (reflection, transmission, scattering), edge-fixed (β̂0, φ̂) for diffraction;
 *   for scattering the pattern factor √(cos θi·A·f(k̂i, k̂s)); for diffraction the material-free
 *   UTD terms of D = G + R0·G0 + Rn·GN (diffraction.ts), taken at cos θ0 and cos θn.
 * A path whose geometry the physics rejects (zero-length segment, observer inside a wedge, a ray
 * along an edge) gets amplitude 0: a = 0.
 */
export const REFLECTION = 0;
export const TRANSMISSION = 1;
export const SCATTERING = 2;
export const DIFFRACTION = 3;

/** Options of a field evaluation (what does not change during a calibration). */
export interface FieldOptions {
  frequencyHz: number;
  /** 'slab' (default, Sionna RT ≥ 1.0) or 'halfspace' */
  materialModel?: MaterialModel;
  /** default iso + V */
  txAntenna?: AntennaSpec;
  rxAntenna?: AntennaSpec;
  /** diffuse scattering pattern of every material (default Lambertian) … */
  scatteringPattern?: ScatteringPattern;
  /** … or per material key */
  scatteringPatterns?: Record<string, ScatteringPattern>;
  /**
   * Key into the materials for an object (default scene.objects[i].materialId). Per-object
   * calibration passes e.g. (i) => `object:${name}` with materials keyed that way.
   */
  materialOf?: (objectIndex: number) => string;
}

export function checkFrequency(f: number): void {
  if (!(f > 0) || !Number.isFinite(f))
    throw new RangeError(`frequency must be a positive number of Hz, got ${f}`);
}

/** Growable typed array (frames are built path by path). */
class Column<T extends Float64Array | Int32Array | Uint8Array> {
  data: T;
  constructor(
    private readonly make: (n: number) => T,
    readonly stride: number,
  ) {
    this.data = make(64 * stride);
  }
  ensure(count: number): void {
    if (count * this.stride <= this.data.length) return;
    const next = this.make(Math.max(count * this.stride, 2 * this.data.length));
    next.set(this.data as never);
    this.data = next;
  }
}

const f64 = (n: number) => new Float64Array(n);
const i32 = (n: number) => new Int32Array(n);
const u8 = (n: number) => new Uint8Array(n);

/**
 * Frames of many paths (of many links), struct-of-arrays. Material keys are indices into
 * `materialKeys`. Build with PathFrameBuilder.
 */
export interface PathFrames {
  readonly pathCount: number;
  readonly interactionCount: number;
  readonly frequencyHz: number;
  readonly materialModel: MaterialModel;
  /** material keys read by the interactions (index = material index) */
  readonly materialKeys: readonly string[];
  /** per path: first interaction, interaction count */
  readonly first: Int32Array;
  readonly count: Int32Array;
  /** per path: unfolded length (m) */
  readonly length: Float64Array;
  /** per path: λ/(4π)·G (0: the path carries no field) */
  readonly amplitude: Float64Array;
  /** per path: aod azimuth, elevation, aoa azimuth, elevation (degrees) */
  readonly angles: Float64Array;
  /** per path: C_T then C_R, complex 3-vectors [xr, xi, yr, yi, zr, zi] (12 numbers) */
  readonly antennas: Float64Array;
  /** per interaction: REFLECTION | TRANSMISSION | SCATTERING | DIFFRACTION */
  readonly kind: Uint8Array;
  /** per interaction: material index (the 0-face's for diffraction) and the n-face's (−1 otherwise) */
  readonly materialA: Int32Array;
  readonly materialB: Int32Array;
  /**
   * per interaction: cos of the angle the coefficients are taken at — the incidence angle (the
   * 0-face's for diffraction; the half-vector angle for scattering, §7) — and the n-face's
   */
  readonly cosA: Float64Array;
  readonly cosB: Float64Array;
  /** per interaction: in1, in2, out1, out2 (12 numbers) */
  readonly bases: Float64Array;
  /** per interaction: √(cos θi·A·f) (scattering) or the UTD terms G, G0, GN (6 numbers: diffraction) */
  readonly terms: Float64Array;
}

export const TERM_FLOATS = 6;

/** What the frames need besides the geometry: the scene, antennas, patterns, material keys. */
interface FrameSetup {
  scene: Scene;
  frequencyHz: number;
  k0: number;
  lambda: number;
  model: MaterialModel;
  tx: AntennaSpec;
  rx: AntennaSpec;
  materialOf: (objectIndex: number) => string;
  pattern: (key: string) => ScatteringPattern;
  /** distance within which a point lies on a face (the tolerance faces are built with) */
  surfaceTolerance: number;
}

export class PathFrameBuilder implements PathFrames {
  pathCount = 0;
  interactionCount = 0;
  readonly frequencyHz: number;
  readonly materialModel: MaterialModel;
  readonly materialKeys: string[] = [];
  private readonly keyIndex = new Map<string, number>();
  private readonly objectMaterial: Int32Array;
  private readonly setup: FrameSetup;
  /** paths and interactions every column has room for (checked once per add) */
  private pathCapacity = 0;
  private interactionCapacity = 0;
  private readonly cols = {
    first: new Column(i32, 1),
    count: new Column(i32, 1),
    length: new Column(f64, 1),
    amplitude: new Column(f64, 1),
    angles: new Column(f64, 4),
    antennas: new Column(f64, 12),
    kind: new Column(u8, 1),
    materialA: new Column(i32, 1),
    materialB: new Column(i32, 1),
    cosA: new Column(f64, 1),
    cosB: new Column(f64, 1),
    bases: new Column(f64, 12),
    terms: new Column(f64, TERM_FLOATS),
  };

  constructor(scene: Scene, options: FieldOptions) {
    checkFrequency(options.frequencyHz);
    const lambda = wavelength(options.frequencyHz);
    this.frequencyHz = options.frequencyHz;
    this.materialModel = options.materialModel ?? 'slab';
    this.objectMaterial = new Int32Array(scene.objects.length).fill(-1);
    const defaultPattern = options.scatteringPattern ?? LAMBERTIAN;
    this.setup = {
      scene,
      frequencyHz: options.frequencyHz,
      k0: (2 * Math.PI) / lambda,
      lambda,
      model: this.materialModel,
      tx: options.txAntenna ?? DEFAULT_ANTENNA,
      rx: options.rxAntenna ?? DEFAULT_ANTENNA,
      materialOf:
        options.materialOf ??
        ((i) => {
          const o = scene.objects[i];
          if (!o)
            throw new InputError(
              scene.name,
              `object ${i}`,
              `an interaction references object ${i}, but the scene has ${scene.objects.length} objects`,
            );
          return o.materialId;
        }),
      pattern: (key) => options.scatteringPatterns?.[key] ?? defaultPattern,
      surfaceTolerance:
        OFFSET_TOLERANCE *
        Math.max(
          1,
          norm3(
            scene.bbox.max[0] - scene.bbox.min[0],
            scene.bbox.max[1] - scene.bbox.min[1],
            scene.bbox.max[2] - scene.bbox.min[2],
          ),
        ),
    };
  }

  get first() {
    return this.cols.first.data;
  }
  get count() {
    return this.cols.count.data;
  }
  get length() {
    return this.cols.length.data;
  }
  get amplitude() {
    return this.cols.amplitude.data;
  }
  get angles() {
    return this.cols.angles.data;
  }
  get antennas() {
    return this.cols.antennas.data;
  }
  get kind() {
    return this.cols.kind.data;
  }
  get materialA() {
    return this.cols.materialA.data;
  }
  get materialB() {
    return this.cols.materialB.data;
  }
  get cosA() {
    return this.cols.cosA.data;
  }
  get cosB() {
    return this.cols.cosB.data;
  }
  get bases() {
    return this.cols.bases.data;
  }
  get terms() {
    return this.cols.terms.data;
  }

  /**
   * Forget the paths, keep the columns' capacity and the material keys: a radio map builds the
   * frames of one tile after another; growing ~100 MB of columns again for every 4,096-cell tile
   * was a large part of the garbage collection that took a fifth of a demo map's time.
   */
  reset(): void {
    this.pathCount = 0;
    this.interactionCount = 0;
  }

  /** Room for this many paths and interactions in all, so that adding them grows no column. */
  reserve(paths: number, interactions: number): void {
    if (paths > this.pathCapacity) this.growPaths(paths);
    if (interactions > this.interactionCapacity) this.growInteractions(interactions);
  }

  private growPaths(count: number): void {
    const c = this.cols;
    for (const col of [c.first, c.count, c.length, c.amplitude, c.angles, c.antennas]) col.ensure(count);
    this.pathCapacity = c.first.data.length;
  }

  private growInteractions(count: number): void {
    const c = this.cols;
    for (const col of [c.kind, c.materialA, c.materialB, c.cosA, c.cosB, c.bases, c.terms]) col.ensure(count);
    this.interactionCapacity = c.kind.data.length;
  }

  /** Material index of an object (resolved once per object). */
  private materialIndexOf(objectIndex: number): number {
    const cached = this.objectMaterial[objectIndex];
    if (cached !== undefined && cached >= 0) return cached;
    const key = this.setup.materialOf(objectIndex);
    let m = this.keyIndex.get(key);
    if (m === undefined) {
      m = this.materialKeys.length;
      this.materialKeys.push(key);
      this.keyIndex.set(key, m);
    }
    if (cached !== undefined) this.objectMaterial[objectIndex] = m;
    return m;
  }

  /**
   * The object whose material an interaction takes: its own, except on a face that coincides with
   * a face of another object taking precedence at that point (scene/coincidentFaces.ts, §4).
   */
  private materialObject(it: PathGeometry['interactions'][number]): number {
    const { scene } = this.setup;
    if (it.type === 'diffraction' || !scene.faces[it.faceIndex]?.overlappedBy) return it.objectIndex;
    const owner = surfaceOwner(
      scene.positions,
      scene.faces,
      it.faceIndex,
      it.point,
      this.setup.surfaceTolerance,
    );
    return owner === it.faceIndex ? it.objectIndex : scene.faces[owner]!.objectIndex;
  }

  /** Append the frame of one path from tx to rx; returns its index. */
  add(tx: Vec3, rx: Vec3, g: PathGeometry): number {
    const s = this.setup;
    const its = g.interactions;
    const n = its.length;
    const p = this.pathCount;
    const i0 = this.interactionCount;
    const c = this.cols;
    if (p + 1 > this.pathCapacity) this.growPaths(p + 1);
    if (i0 + n > this.interactionCapacity) this.growInteractions(i0 + n);
    this.pathCount = p + 1;
    this.interactionCount = i0 + n;
    c.first.data[p] = i0;
    c.count.data[p] = n;

    // segments: unit directions and lengths (segment k arrives at interaction k)
    const dirs = scratchDirs(n + 1);
    const lens = scratchLens(n + 1);
    let total = 0;
    let degenerate = false;
    let a: Vec3 = tx;
    for (let k = 0; k <= n; k++) {
      const b = k === n ? rx : its[k]!.point;
      const dx = b[0] - a[0];
      const dy = b[1] - a[1];
      const dz = b[2] - a[2];
      const l = norm3(dx, dy, dz);
      lens[k] = l;
      total += l;
      if (!(l > 0)) degenerate = true;
      dirs[3 * k] = l > 0 ? dx / l : 0;
      dirs[3 * k + 1] = l > 0 ? dy / l : 0;
      dirs[3 * k + 2] = l > 0 ? dz / l : 0;
      a = b;
    }
    c.length.data[p] = total;
    for (let k = 0; k < n; k++) {
      const q = i0 + k;
      c.kind.data[q] = kindCode(its[k]!.type);
      c.materialA.data[q] = this.materialIndexOf(this.materialObject(its[k]!));
      c.materialB.data[q] = -1;
      c.cosA.data[q] = 0;
      c.cosB.data[q] = 0;
      zero(c.bases.data, 12 * q, 12);
      zero(c.terms.data, TERM_FLOATS * q, TERM_FLOATS);
    }
    zero(c.antennas.data, 12 * p, 12);
    if (degenerate) {
      c.amplitude.data[p] = 0;
      zero(c.angles.data, 4 * p, 4);
      return p;
    }
    const last = 3 * n;
    const kDep = K_DEP;
    const kArr = K_ARR;
    kDep[0] = dirs[0]!;
    kDep[1] = dirs[1]!;
    kDep[2] = dirs[2]!;
    kArr[0] = -dirs[last]!;
    kArr[1] = -dirs[last + 1]!;
    kArr[2] = -dirs[last + 2]!;
    const ang = c.angles.data;
    ang[4 * p] = azimuthDeg(kDep);
    ang[4 * p + 1] = elevationDeg(kDep);
    ang[4 * p + 2] = azimuthDeg(kArr);
    ang[4 * p + 3] = elevationDeg(kArr);
    antennaFieldVector(s.tx, kDep, ANT);
    copy(ANT, c.antennas.data, 12 * p, 6);
    antennaFieldVector(s.rx, kArr, ANT);
    copy(ANT, c.antennas.data, 12 * p + 6, 6);

    // spreading: groups of unfolded length closed at every secondary source (scattering point,
    // edge): 1/r from a point source, √(s′/(r(r + s′))) after an edge of incident length s′
    let spread = 1;
    let acc = 0;
    let edgeSIn = -1;
    let alive = true;
    for (let k = 0; k < n; k++) {
      acc += lens[k]!;
      const it = its[k]!;
      const q = i0 + k;
      if (it.type === 'diffraction') {
        const kIn: Vec3 = [dirs[3 * k]!, dirs[3 * k + 1]!, dirs[3 * k + 2]!];
        const kOut: Vec3 = [dirs[3 * k + 3]!, dirs[3 * k + 4]!, dirs[3 * k + 5]!];
        let sOut = lens[k + 1]!;
        for (let j = k + 1; j < n && its[j]!.type !== 'scattering' && its[j]!.type !== 'diffraction'; j++)
          sOut += lens[j + 1]!;
        const sIn = acc;
        spread *= edgeSIn > 0 ? Math.sqrt(edgeSIn / (acc * (acc + edgeSIn))) : 1 / acc;
        acc = 0;
        edgeSIn = sIn;
        if (!this.diffraction(q, it, kIn, kOut, sIn, sOut)) alive = false;
        continue;
      }
      if (it.type === 'scattering') {
        spread *= edgeSIn > 0 ? Math.sqrt(edgeSIn / (acc * (acc + edgeSIn))) : 1 / acc;
        acc = 0;
        edgeSIn = -1;
      }
      this.surface(q, it, dirs, k);
    }
    acc += lens[n]!;
    spread *= edgeSIn > 0 ? Math.sqrt(edgeSIn / (acc * (acc + edgeSIn))) : 1 / acc;
    c.amplitude.data[p] = alive ? (s.lambda / (4 * Math.PI)) * spread : 0;
    return p;
  }

  /** Reflection, transmission or scattering on a face: incidence cosine, bases, pattern factor. */
  /**
   * A reflection, transmission or scattering at interaction q: the wave arrives along dirs[3k..]
   * and leaves along dirs[3k + 3..]. Specular interactions (nearly all) are done on scalars, with
   * no arrays per interaction: they were a fifth of a radio map's allocation.
   */
  private surface(q: number, it: PathGeometry['interactions'][number], dirs: Float64Array, k: number): void {
    const s = this.setup;
    const face = s.scene.faces[it.faceIndex];
    if (!face)
      throw new InputError(
        s.scene.name,
        `face ${it.faceIndex}`,
        `an interaction references face ${it.faceIndex}, but the scene has ${s.scene.faces.length} faces`,
      );
    const f = face.normal;
    const o = 3 * k;
    const kx = dirs[o]!,
      ky = dirs[o + 1]!,
      kz = dirs[o + 2]!;
    const kn = kx * f[0] + ky * f[1] + kz * f[2];
    const cosT = Math.min(1, Math.abs(kn));
    this.cols.cosA.data[q] = cosT;
    if (it.type !== 'scattering') {
      const nx = kn > 0 ? -f[0] : f[0],
        ny = kn > 0 ? -f[1] : f[1],
        nz = kn > 0 ? -f[2] : f[2];
      // e⊥ = k̂ × n̂ / |k̂ × n̂| (perpendicularBasis), the same both sides for a specular interaction
      let ex = ky * nz - kz * ny,
        ey = kz * nx - kx * nz,
        ez = kx * ny - ky * nx;
      const l = norm3(ex, ey, ez);
      if (l > 1e-12) {
        ex /= l;
        ey /= l;
        ez /= l;
      } else {
        [ex, ey, ez] = perpendicularBasis([kx, ky, kz], [nx, ny, nz]);
      }
      const b = this.cols.bases.data;
      const at = 12 * q;
      // e∥ = e⊥ × k̂ for the incident (k̂i) and the outgoing (k̂o) wave
      const ox = dirs[o + 3]!,
        oy = dirs[o + 4]!,
        oz = dirs[o + 5]!;
      b[at] = ex;
      b[at + 1] = ey;
      b[at + 2] = ez;
      b[at + 3] = ey * kz - ez * ky;
      b[at + 4] = ez * kx - ex * kz;
      b[at + 5] = ex * ky - ey * kx;
      b[at + 6] = ex;
      b[at + 7] = ey;
      b[at + 8] = ez;
      b[at + 9] = ey * oz - ez * oy;
      b[at + 10] = ez * ox - ex * oz;
      b[at + 11] = ex * oy - ey * ox;
      return;
    }
    const kIn: Vec3 = [kx, ky, kz];
    const kOut: Vec3 = [dirs[o + 3]!, dirs[o + 4]!, dirs[o + 5]!];
    const nrm: Vec3 = kn > 0 ? [-f[0], -f[1], -f[2]] : [f[0], f[1], f[2]];
    const ePerp = perpendicularBasis(kIn, nrm);
    // scattering: the scattered wave's own e⊥
    let ePerpOut = ePerp;
    const area = it.area;
    if (area === undefined || !(area >= 0))
      throw new Error(
        `scattering interaction on face ${it.faceIndex} has no surface area (Interaction.area, m²)`,
      );
    // e⊥ of the scattered wave; when k̂s ∥ n̂ keep the incident e⊥ (any ⊥ basis is valid)
    const cs = cross(kOut, nrm);
    const ls = norm3(cs[0], cs[1], cs[2]);
    if (ls > 1e-12) ePerpOut = [cs[0] / ls, cs[1] / ls, cs[2] / ls];
    const key = this.materialKeys[this.cols.materialA.data[q]!]!;
    const pattern = s.pattern(key);
    const cosS = kOut[0] * nrm[0] + kOut[1] * nrm[1] + kOut[2] * nrm[2];
    // the reflection coefficient of the diffuse field is taken at the half-vector angle, the
    // incidence angle of the facet that reflects k̂i into k̂s: cos θh = √((1 − k̂i·k̂s)/2), the same
    // for k̂i → k̂s and −k̂s → −k̂i (reciprocal), = cos θi in the specular direction (§7)
    const kk = kIn[0] * kOut[0] + kIn[1] * kOut[1] + kIn[2] * kOut[2];
    this.cols.cosA.data[q] = Math.min(1, Math.sqrt(Math.max(0, (1 - kk) / 2)));
    const value =
      pattern.kind === 'lambertian'
        ? cosS > 0 && cosT > 0
          ? cosS / Math.PI
          : 0
        : scatteringPatternValue(pattern, kIn, kOut, nrm);
    this.cols.terms.data[TERM_FLOATS * q] = Math.sqrt(cosT * area * value);
    setBases(this.cols.bases.data, q, ePerp, cross(ePerp, kIn), ePerpOut, cross(ePerpOut, kOut));
  }

  /** Edge geometry and material-free UTD terms; false when the physics rejects the configuration. */
  private diffraction(
    q: number,
    it: PathGeometry['interactions'][number],
    kIn: Vec3,
    kOut: Vec3,
    sIn: number,
    sOut: number,
  ): boolean {
    const s = this.setup;
    const edge = it.edge;
    if (!edge) throw new Error(`diffraction interaction on face ${it.faceIndex} has no edge`);
    // a free edge (otherFaceIndex = −1) is a half-plane: its n-face is the other side of face 0
    const free = edge.otherFaceIndex < 0;
    const faceN = s.scene.faces[free ? it.faceIndex : edge.otherFaceIndex];
    if (!faceN)
      throw new InputError(
        s.scene.name,
        `face ${edge.otherFaceIndex}`,
        'a diffraction edge references a face that does not exist',
      );
    this.cols.materialB.data[q] = free
      ? this.cols.materialA.data[q]!
      : this.materialIndexOf(faceN.objectIndex);
    const geometry = wedgeGeometry(s.scene, it.faceIndex, edge.otherFaceIndex, edge.start, edge.end);
    if (!geometry) return false;
    const back: Vec3 = [-kIn[0], -kIn[1], -kIn[2]];
    const frame = orientWedge(geometry, back);
    if (!frame) return false;
    const wedgeTop = frame.n * Math.PI + ANGLE_TOLERANCE;
    const towardsSource = wedgeAngle(frame, back);
    const towardsObserver = wedgeAngle(frame, kOut);
    if (towardsSource > wedgeTop || towardsObserver > wedgeTop) return false; // inside the wedge
    const faces = luebbersFaces(frame.n, towardsSource, towardsObserver);
    const { phiIn, phiOut } = faces;
    if (faces.swapped) {
      // the UTD 0-face is the interaction's other face (the n-face of the frame)
      const m = this.cols.materialA.data[q]!;
      this.cols.materialA.data[q] = this.cols.materialB.data[q]!;
      this.cols.materialB.data[q] = m;
    }
    const e = frame.e;
    const cosBeta = Math.max(-1, Math.min(1, kIn[0] * e[0] + kIn[1] * e[1] + kIn[2] * e[2]));
    const sinBeta0 = Math.sqrt(1 - cosBeta * cosBeta);
    if (sinBeta0 < 1e-12) return false;
    const L = distanceParameter(sIn, sOut, sinBeta0);
    const utd = utdCoefficients(frame.n, phiIn, phiOut, sinBeta0, s.k0, L);
    this.cols.cosA.data[q] = Math.min(1, sinBeta0 * Math.abs(Math.sin(phiIn)));
    this.cols.cosB.data[q] = Math.min(1, sinBeta0 * Math.abs(Math.sin(frame.n * Math.PI - phiOut)));
    const t = this.cols.terms.data;
    const o = TERM_FLOATS * q;
    t[o] = utd.incident.re;
    t[o + 1] = utd.incident.im;
    t[o + 2] = utd.dR0.re;
    t[o + 3] = utd.dR0.im;
    t[o + 4] = utd.dRn.re;
    t[o + 5] = utd.dRn.im;
    const phiHatIn = normalizeOrZero(cross(e, back));
    const phiHatOut = normalizeOrZero(cross(e, kOut));
    // β̂0′ = ŝ′ × φ̂′, φ̂′; β̂0 = ŝ × φ̂, φ̂
    setBases(this.cols.bases.data, q, cross(kIn, phiHatIn), phiHatIn, cross(kOut, phiHatOut), phiHatOut);
    return true;
  }
}

const ANGLE_TOLERANCE = 1e-9;
const ANT = new Float64Array(6);
/** departure and arrival directions of the path being added (reused: no arrays per path) */
const K_DEP: Vec3 = [0, 0, 0];
const K_ARR: Vec3 = [0, 0, 0];
let dirScratch = new Float64Array(48);
let lenScratch = new Float64Array(16);
function scratchDirs(n: number): Float64Array {
  if (dirScratch.length < 3 * n) dirScratch = new Float64Array(6 * n);
  return dirScratch;
}
function scratchLens(n: number): Float64Array {
  if (lenScratch.length < n) lenScratch = new Float64Array(2 * n);
  return lenScratch;
}

function kindCode(type: string): number {
  switch (type) {
    case 'reflection':
      return REFLECTION;
    case 'transmission':
      return TRANSMISSION;
    case 'scattering':
      return SCATTERING;
    default:
      return DIFFRACTION;
  }
}

function setBases(b: Float64Array, q: number, in1: Vec3, in2: Vec3, out1: Vec3, out2: Vec3): void {
  const o = 12 * q;
  copy(in1, b, o, 3);
  copy(in2, b, o + 3, 3);
  copy(out1, b, o + 6, 3);
  copy(out2, b, o + 9, 3);
}

const azimuthDeg = (d: Vec3) => (Math.atan2(d[1], d[0]) * 180) / Math.PI;
const elevationDeg = (d: Vec3) => (Math.asin(Math.max(-1, Math.min(1, d[2]))) * 180) / Math.PI;

/** e⊥ = k̂ × n̂ / |k̂ × n̂|; at normal incidence (k̂ ∥ n̂) any unit vector perpendicular to k̂. */
export function perpendicularBasis(k: Vec3, n: Vec3): Vec3 {
  const c = cross(k, n);
  const l = norm3(c[0], c[1], c[2]);
  if (l > 1e-12) return [c[0] / l, c[1] / l, c[2] / l];
  // degenerate: cross k̂ with the world axis least aligned with it
  const ax = Math.abs(k[0]);
  const ay = Math.abs(k[1]);
  const az = Math.abs(k[2]);
  const axis: Vec3 = ax <= ay && ax <= az ? [1, 0, 0] : ay <= az ? [0, 1, 0] : [0, 0, 1];
  const d = cross(k, axis);
  const m = norm3(d[0], d[1], d[2]);
  return [d[0] / m, d[1] / m, d[2] / m];
}

function normalizeOrZero(v: Vec3): Vec3 {
  const l = norm3(v[0], v[1], v[2]);
  return l > 0 ? [v[0] / l, v[1] / l, v[2] / l] : [0, 0, 0];
}

/** Delay (s) of a path of the frames. */
export const frameDelay = (f: PathFrames, p: number): number => f.length[p]! / SPEED_OF_LIGHT;

// a few numbers at a time: plain loops (a typed array's fill/set is a native call, slower for 3–12)
function zero(a: Float64Array, at: number, n: number): void {
  for (let i = 0; i < n; i++) a[at + i] = 0;
}

function copy(from: ArrayLike<number>, to: Float64Array, at: number, n: number): void {
  for (let i = 0; i < n; i++) to[at + i] = from[i]!;
}
