import { wavelength } from '../../core/constants.ts';
import { norm2 } from '../../core/norm.ts';
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
import { defineStruct, packedArray, wgslConstants } from '../../gpu/layout.ts';
import turnsSource from '../../gpu/turns.wgsl?raw';
import { CONDUCTOR_LOSS_TANGENT } from '../coefficients.ts';
import { MATERIAL_FLOATS } from '../jonesChain.ts';
import { type PathFrames, TERM_FLOATS } from '../pathFrames.ts';
import kernelSource from './pathField.wgsl?raw';

/**
 * The WGSL field kernel (pathField.wgsl) on a set of path frames: pack (frames → the structs
 * below, once), dispatch (per material values, as often as needed: a calibration uploads the
 * geometry once and only the material table per iteration), unpack (a, and ∂a per interaction
 * seed). Paths of more than MAX_INTERACTIONS interactions are left to the host (`hostPaths`).
 */
export const MAX_INTERACTIONS = 8;
/** ∂a seeds per interaction: ∂/∂η, ∂/∂S, ∂/∂d of its material, ∂/∂η, ∂/∂d of an edge's n-face */
export const SEEDS = 5;

export const PATH_RECORD = defineStruct('PathRecord', [
  ['first', 'u32', 'first interaction'],
  ['count', 'u32', 'interactions'],
  ['amplitude', 'f32', 'λ/(4π)·G; 0: no field'],
  ['pad', 'u32'],
  ['tx0', 'vec2f', 'C_T: x, y, z (complex)'],
  ['tx1', 'vec2f'],
  ['tx2', 'vec2f'],
  ['rx0', 'vec2f', 'C_R'],
  ['rx1', 'vec2f'],
  ['rx2', 'vec2f'],
] as const);

export const INTERACTION_RECORD = defineStruct('InteractionRecord', [
  ['kind', 'u32', '0 reflection, 1 transmission, 2 scattering, 3 diffraction'],
  ['materialA', 'u32'],
  ['materialB', 'u32', "an edge's n-face material"],
  ['pad', 'u32'],
  [
    'cosA',
    'f32',
    'cos of the angle the coefficients take: incidence (0-face for an edge), half-vector (scattering)',
  ],
  ['cosB', 'f32', "an edge's n-face"],
  ['term0', 'vec2f', 'scattering: (√(cos θi·A·f), 0); edge: G'],
  ['term1', 'vec2f', 'edge: G0'],
  ['term2', 'vec2f', 'edge: GN'],
  ['sRefA', 'vec2f', 's₀ = √(η_ref − sin²θ) of material A (f64 → f32), the slab phase reference'],
  ['sRefB', 'vec2f', "the same for an edge's n-face"],
  ['turnsRefA', 'f32', 'frac((d_ref/λ)·Re s₀) of material A, from f64'],
  ['turnsRefB', 'f32'],
  ['in1', 'vec4f', 'Jones bases (xyz)'],
  ['in2', 'vec4f'],
  ['out1', 'vec4f'],
  ['out2', 'vec4f'],
] as const);

export const MATERIAL_RECORD = defineStruct('MaterialRecord', [
  ['eta', 'vec2f', 'complex relative permittivity'],
  ['etaChange', 'vec2f', 'η − η_ref, from f64'],
  ['thickness', 'f32'],
  ['S', 'f32'],
  ['kx', 'f32'],
  ['dOverLambda', 'f32', 'thickness/λ from f64'],
  ['thicknessChangeOverLambda', 'f32', '(d − d_ref)/λ from f64'],
] as const);

const WORKGROUP = 64;

/** Principal √(re + j·im) in f64 (Re ≥ 0), as coefficients.ts. */
function principalSqrt(re: number, im: number): [number, number] {
  const m = norm2(re, im);
  if (m === 0) return [0, 0];
  if (re >= 0) {
    const r = Math.sqrt((m + re) / 2);
    return [r, im / (2 * r)];
  }
  let i = Math.sqrt((m - re) / 2);
  if (im < 0) i = -i;
  return [Math.abs(im) / (2 * Math.abs(i)), i];
}
const TILE_PATHS = 65_536;

export interface FieldKernelStats {
  gpuPaths: number;
  /** paths the kernel cannot hold (more than MAX_INTERACTIONS interactions): evaluated on the host */
  hostPaths: number;
  dispatches: number;
  packMs: number;
  gpuMs: number;
}

/** Frames on the device; dispatch evaluates them for a material table. */
export class FieldKernel {
  readonly stats: FieldKernelStats;
  /** indices of the paths evaluated by the host */
  readonly hostPaths: Int32Array;
  readonly paths: GPUBuffer;
  readonly interactions: GPUBuffer;
  readonly materials: GPUBuffer;
  readonly outA: GPUBuffer;
  readonly outD: GPUBuffer;
  private readonly uniforms: GPUBuffer[] = [];
  private readonly maxInteractions: number;
  /** the packed interactions (the slab phase references are filled in at the first dispatch) */
  private readonly interactionData: ArrayBuffer;
  /** η and d per material at the first dispatch: the slab phase is computed as a change from them */
  private reference: Float64Array | undefined;

  constructor(
    readonly gpu: GpuContext,
    readonly frames: PathFrames,
    readonly withGrad: boolean,
  ) {
    checkDevice(gpu);
    const t0 = performance.now();
    const f = frames;
    const np = f.pathCount;
    const ni = f.interactionCount;
    const P = PATH_RECORD;
    const I = INTERACTION_RECORD;
    const pa = packedArray(P, np);
    const ia = packedArray(I, ni);
    const host: number[] = [];
    let longest = 1;
    for (let p = 0; p < np; p++) {
      const o = P.stride * p;
      const n = f.count[p]!;
      pa.u32[o + P.offset.first] = f.first[p]!;
      pa.u32[o + P.offset.count] = n;
      pa.f32[o + P.offset.amplitude] = f.amplitude[p]!;
      pa.f32.set(f.antennas.subarray(12 * p, 12 * p + 6), o + P.offset.tx0);
      pa.f32.set(f.antennas.subarray(12 * p + 6, 12 * p + 12), o + P.offset.rx0);
      if (n > MAX_INTERACTIONS && f.amplitude[p]! !== 0) host.push(p);
      else longest = Math.max(longest, n);
    }
    for (let q = 0; q < ni; q++) {
      const o = I.stride * q;
      ia.u32[o + I.offset.kind] = f.kind[q]!;
      ia.u32[o + I.offset.materialA] = f.materialA[q]!;
      ia.u32[o + I.offset.materialB] = Math.max(0, f.materialB[q]!);
      ia.f32[o + I.offset.cosA] = f.cosA[q]!;
      ia.f32[o + I.offset.cosB] = f.cosB[q]!;
      ia.f32.set(f.terms.subarray(TERM_FLOATS * q, TERM_FLOATS * q + TERM_FLOATS), o + I.offset.term0);
      const b = 12 * q;
      for (let k = 0; k < 3; k++) {
        ia.f32[o + I.offset.in1 + k] = f.bases[b + k]!;
        ia.f32[o + I.offset.in2 + k] = f.bases[b + 3 + k]!;
        ia.f32[o + I.offset.out1 + k] = f.bases[b + 6 + k]!;
        ia.f32[o + I.offset.out2 + k] = f.bases[b + 9 + k]!;
      }
    }
    this.interactionData = ia.buffer;
    this.hostPaths = Int32Array.from(host);
    this.maxInteractions = Math.min(MAX_INTERACTIONS, longest);
    this.paths = storageBuffer(gpu, pa.f32, 'field: paths');
    this.interactions = storageBuffer(gpu, ia.f32, 'field: interactions');
    this.materials = emptyBuffer(
      gpu,
      4 * MATERIAL_RECORD.stride * Math.max(1, f.materialKeys.length),
      'field: materials',
      GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
    );
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC;
    this.outA = emptyBuffer(gpu, 8 * np, 'field: a', usage);
    // the value pipeline still declares the binding (an override constant only disables its use)
    this.outD = emptyBuffer(gpu, withGrad ? 8 * SEEDS * ni : 16, 'field: ∂a per seed', usage);
    this.stats = {
      gpuPaths: np - host.length,
      hostPaths: host.length,
      dispatches: 0,
      packMs: performance.now() - t0,
      gpuMs: 0,
    };
  }

  /** The WGSL source with its structs and array sizes (compiled once per device and size). */
  private pipeline(): GPUComputePipeline {
    const code = [
      PATH_RECORD.wgsl,
      INTERACTION_RECORD.wgsl,
      MATERIAL_RECORD.wgsl,
      wgslConstants({ MAX_INTERACTIONS: this.maxInteractions, CONDUCTOR_LOSS_TANGENT }),
      turnsSource,
      kernelSource,
    ].join('\n');
    return computePipeline(this.gpu, code, this.withGrad ? 'path field + derivatives' : 'path field', {
      WITH_GRAD: this.withGrad ? 1 : 0,
    });
  }

  /**
   * Evaluate every path for the material table (jonesChain.ts layout: Re η, Im η, d, S, Kx per
   * material). Results stay on the device (outA, outD) until read.
   */
  async dispatch(table: Float64Array, signal?: AbortSignal): Promise<void> {
    const t0 = performance.now();
    const f = this.frames;
    const M = MATERIAL_RECORD;
    const ma = packedArray(M, f.materialKeys.length);
    const lambda = wavelength(f.frequencyHz);
    const firstDispatch = !this.reference;
    if (!this.reference) this.setReference(table, lambda);
    const ref = this.reference!;
    for (let m = 0; m < f.materialKeys.length; m++) {
      const o = M.stride * m;
      const t = MATERIAL_FLOATS * m;
      ma.f32[o + M.offset.eta] = table[t]!;
      ma.f32[o + M.offset.eta + 1] = table[t + 1]!;
      ma.f32[o + M.offset.etaChange] = table[t]! - ref[t]!;
      ma.f32[o + M.offset.etaChange + 1] = table[t + 1]! - ref[t + 1]!;
      ma.f32[o + M.offset.thickness] = table[t + 2]!;
      ma.f32[o + M.offset.S] = table[t + 3]!;
      ma.f32[o + M.offset.kx] = table[t + 4]!;
      ma.f32[o + M.offset.dOverLambda] = table[t + 2]! / lambda;
      ma.f32[o + M.offset.thicknessChangeOverLambda] = (table[t + 2]! - ref[t + 2]!) / lambda;
    }
    const { gpu } = this;
    const pipeline = this.pipeline();
    const np = f.pathCount;
    await withGpuErrors(gpu, 'evaluating path fields', () => {
      if (firstDispatch) gpu.device.queue.writeBuffer(this.interactions, 0, this.interactionData);
      gpu.device.queue.writeBuffer(this.materials, 0, ma.buffer);
      const enc = gpu.device.createCommandEncoder();
      for (let start = 0; start < np; start += TILE_PATHS) {
        const count = Math.min(TILE_PATHS, np - start);
        const u = new ArrayBuffer(16);
        const w = new Uint32Array(u);
        w[0] = count;
        w[1] = start;
        new Float32Array(u)[2] = (2 * Math.PI) / lambda;
        w[3] = f.materialModel === 'slab' ? 1 : 0;
        const ub = this.uniform(start / TILE_PATHS, u);
        const bind: Record<number, GPUBuffer> = {
          0: ub,
          1: this.paths,
          2: this.interactions,
          3: this.materials,
          4: this.outA,
          5: this.outD,
        };
        const pass = enc.beginComputePass();
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, bindBuffers(gpu, pipeline, bind));
        pass.dispatchWorkgroups(...dispatchGrid(count, WORKGROUP));
        pass.end();
        this.stats.dispatches++;
      }
      gpu.device.queue.submit([enc.finish()]);
    });
    signal?.throwIfAborted();
    this.stats.gpuMs += performance.now() - t0;
  }

  /**
   * The slab phase q = k0·d·s reaches hundreds of radians; in f32 its rounding (~1e-5 rad) put a
   * floor of ~1e-5 on slab coefficients. So the host computes, in f64 at the first dispatch, each
   * interaction's s₀ = √(η_ref − sin²θ) and the fractional turns (d_ref/λ)·Re s₀, and the kernel
   * adds only the change: (d/λ)·Re(s − s₀) + ((d − d_ref)/λ)·Re s₀, with s − s₀ = (η − η_ref)/(s + s₀)
   * (no cancellation: η − η_ref comes from f64).
   */
  private setReference(table: Float64Array, lambda: number): void {
    this.reference = Float64Array.from(table);
    const f = this.frames;
    const I = INTERACTION_RECORD;
    const f32 = new Float32Array(this.interactionData);
    const put = (q: number, m: number, c: number, sAt: number, turnsAt: number) => {
      const t = MATERIAL_FLOATS * m;
      const s0 = principalSqrt(table[t]! - (1 - c * c), table[t + 1]!);
      const turns = (table[t + 2]! / lambda) * s0[0];
      f32[I.stride * q + sAt] = s0[0];
      f32[I.stride * q + sAt + 1] = s0[1];
      f32[I.stride * q + turnsAt] = turns - Math.floor(turns);
    };
    for (let q = 0; q < f.interactionCount; q++) {
      put(q, f.materialA[q]!, f.cosA[q]!, I.offset.sRefA, I.offset.turnsRefA);
      if (f.materialB[q]! >= 0) put(q, f.materialB[q]!, f.cosB[q]!, I.offset.sRefB, I.offset.turnsRefB);
    }
  }

  /** One uniform buffer per tile, reused across dispatches. */
  private uniform(tile: number, data: ArrayBuffer): GPUBuffer {
    let ub = this.uniforms[tile];
    if (!ub) {
      ub = uniformBuffer(this.gpu, new Uint8Array(data), 'field: parameters');
      this.uniforms[tile] = ub;
    } else this.gpu.device.queue.writeBuffer(ub, 0, data);
    return ub;
  }

  /** a of every path (2 per path; host paths are zero here). */
  async readA(): Promise<Float32Array> {
    const t0 = performance.now();
    const a = new Float32Array(await readBack(this.gpu, this.outA, 8 * this.frames.pathCount));
    this.stats.gpuMs += performance.now() - t0;
    return a;
  }

  /** ∂a per interaction seed (2·SEEDS per interaction). */
  async readSeeds(): Promise<Float32Array> {
    if (!this.withGrad) throw new Error('the field kernel was built without derivatives');
    const t0 = performance.now();
    const d = new Float32Array(await readBack(this.gpu, this.outD, 8 * SEEDS * this.frames.interactionCount));
    this.stats.gpuMs += performance.now() - t0;
    return d;
  }

  destroy(): void {
    for (const b of [this.paths, this.interactions, this.materials, this.outA, this.outD, ...this.uniforms])
      b?.destroy();
  }
}
