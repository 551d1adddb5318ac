import type { Vec3 } from '../core/vec3.ts';
import { linkFrames, pathOfFrame } from '../field/evaluate.ts';
import { materialTable } from '../field/jonesChain.ts';
import {
  acquireGpu,
  describeAdapter,
  type GpuContext,
  rememberAdapter,
  rememberedAdapter,
} from '../gpu/device.ts';
import { GpuUnavailableError } from '../gpu/errors.ts';
import type { RadioParameters } from '../materials/radioMaterial.ts';
import { type LinkMetrics, linkMetricsFromStats } from '../metrics/linkMetrics.ts';
import { linkRanges, reduceLinks } from '../metrics/linkStatsModel.ts';
import type { Scene } from '../scene/types.ts';
import { type Bvh, buildBvh } from '../tracer/bvh.ts';
import type {
  SearchReport,
  TraceControl,
  TracePathsOptions,
  TraceProgress,
} from '../tracer/cpu/tracePaths.ts';
import type { Path, PathGeometry } from '../tracer/path.ts';
import {
  type AdapterFacts,
  autoBackend,
  autoMayUseWebGpu,
  type BackendDecision,
  type ChannelJob,
} from './autoRule.ts';
import type { BackendKind, ChannelBackend } from './backend.ts';
import { cpuBackend } from './cpuBackend.ts';
import { gpuBackend, isSoftwareAdapter } from './gpuBackend.ts';
import { type NearFieldCheck, nearFieldCheck } from './nearField.ts';
import { type ChannelSettings, fieldOptionsOf, traceOptionsOf } from './settings.ts';

/**
 * The one channel pipeline: scene → paths (tracer) → fields (field) → statistics → metrics, with
 * one ChannelSettings value, on the CPU or WebGPU backend. The CLI's trace / radiomap / synth /
 * calibrate / plan and the studio worker's jobs all go through it, so the same scene, devices,
 * materials and settings give the same paths and numbers everywhere.
 *
 * - Channel.open(scene, settings, {backend}) resolves the adapter once; `auto` then picks per job
 *   (autoRule.ts) and says why.
 * - trace(links, materials) → geometry of each Tx–Rx link (links sharing a Tx are traced together;
 *   geometry does not depend on materials, except which objects scatter: those with S > 0, or
 *   `scatteringObjects`).
 * - evaluate(traced, materials) → per link the paths that carry a field (a ≠ 0), the metrics, and
 *   whether the link is too short for ray optics (nearField.ts).
 */
export type BackendChoice = 'cpu' | 'webgpu' | 'auto';
export const BACKEND_CHOICES: readonly BackendChoice[] = ['cpu', 'webgpu', 'auto'];

/**
 * Receivers per transmitter up to which links trace with the cheaper tree (no beams on its last
 * level, tracer/cpu/beamTree.ts): each receiver then solves that level's candidates, which costs
 * less than their beams up to about this many receivers. At depth ≤ 3 (the default) the lean
 * tree was 1.6–2.1× faster still at 64 receivers on the demo room, a street canyon, the canyon
 * with cars and the city block, and about even at 100–200 (bench/results/links.json). Deeper,
 * its larger last level can overrun the tree's budget and be rebuilt with beams: 16 there (at
 * depth 5 and 64 receivers it was 1.2–1.5× slower on the canyon with cars and the city block).
 */
export const FEW_RECEIVERS = { shallow: 64, deep: 16 } as const;

/** The trace options for one transmitter with `receivers` receivers. */
export function txTraceOptions(options: TracePathsOptions, receivers: number): TracePathsOptions {
  // a few receivers: the tree's last level without beams (same paths, faster set-up)
  const few = (options.maxDepth ?? 3) <= 3 ? FEW_RECEIVERS.shallow : FEW_RECEIVERS.deep;
  return receivers <= few ? { ...options, lastLevelBeams: false } : options;
}

export interface LinkEndpoints {
  tx: Vec3;
  rx: Vec3;
}

export interface TracedLink extends LinkEndpoints {
  geometries: PathGeometry[];
  /**
   * how completely the path search covered this link (docs/physics.md §9): complete, or the
   * estimated miss rate of the shot rays beyond the exhaustive depth
   */
  search: SearchReport;
}

export interface LinkResult extends LinkEndpoints {
  /** paths with a ≠ 0, sorted by delay */
  paths: Path[];
  metrics: LinkMetrics;
  search: SearchReport;
  /** whether the link is too short for ray optics (nearField.ts): its metrics are then marked */
  nearField: NearFieldCheck;
}

export interface ChannelControl extends TraceControl {
  /** which backend ran a job, and why (the CLI prints it on stderr, the studio in its status line) */
  onBackend?: (decision: BackendUsed) => void;
  /**
   * Receivers per transmitter in the whole job when these links are one part of it (a worker
   * pool's chunk, parallel/jobs.ts): the transmitter's tree is then chosen as for the whole list
   * (txTraceOptions), which is the set the pool built once and shared.
   */
  jobReceivers?: number;
}

/** A backend decision as reported: its label, why, and the adapter when it is WebGPU. */
export interface BackendUsed extends BackendDecision {
  label: string;
  /** "google / swiftshader / … (software) via Dawn (…)" when the job runs on WebGPU */
  adapter?: string;
}

/** Objects that scatter: those whose material has S > 0 (S = 0 gives zero diffuse field). */
export function scatteringObjectsOf(scene: Scene, materials: Record<string, RadioParameters>): number[] {
  const out: number[] = [];
  scene.objects.forEach((o, i) => {
    if ((materials[o.materialId]?.scatteringCoefficient ?? 0) > 0) out.push(i);
  });
  return out;
}

export class Channel {
  private constructor(
    readonly scene: Scene,
    readonly bvh: Bvh,
    readonly settings: ChannelSettings,
    readonly choice: BackendChoice,
    private readonly gpu: GpuContext | undefined,
    private readonly adapter: AdapterFacts,
  ) {}

  /**
   * A channel on a scene. `webgpu` fails without an adapter (GpuUnavailableError); `auto` and
   * `cpu` never do.
   */
  static async open(
    scene: Scene,
    settings: ChannelSettings,
    options: {
      backend?: BackendChoice;
      bvh?: Bvh;
      /**
       * the kinds of job this channel will run: with them, `auto` on a machine whose adapter an
       * earlier run found to be absent or too slow for all of them does not start the adapter
       */
      jobs?: readonly ChannelJob['kind'][];
    } = {},
  ): Promise<Channel> {
    const choice = options.backend ?? 'auto';
    let gpu: GpuContext | undefined;
    let adapter: AdapterFacts = { available: false, software: false, problem: 'not requested' };
    const known = choice === 'auto' && options.jobs ? rememberedAdapter() : undefined;
    if (known && options.jobs && !autoMayUseWebGpu(known, options.jobs)) {
      adapter = { ...known, remembered: true };
    } else if (choice !== 'cpu') {
      try {
        gpu = await acquireGpu();
        adapter = { available: true, software: isSoftwareAdapter(gpu) };
      } catch (e) {
        if (choice === 'webgpu' || !(e instanceof GpuUnavailableError)) throw e;
        adapter = { available: false, software: false, problem: (e as Error).message };
      }
      rememberAdapter(adapter);
    }
    return new Channel(scene, options.bvh ?? buildBvh(scene), settings, choice, gpu, adapter);
  }

  /** The backend that runs a job, and why. */
  backendFor(job: ChannelJob): { backend: ChannelBackend; decision: BackendDecision } {
    let decision: BackendDecision;
    if (this.choice === 'cpu') decision = { kind: 'cpu', reason: 'CPU requested' };
    else if (this.choice === 'webgpu') decision = { kind: 'webgpu', reason: 'WebGPU requested' };
    else decision = autoBackend(this.adapter, job);
    return { backend: this.backend(decision.kind), decision };
  }

  backend(kind: BackendKind): ChannelBackend {
    if (kind === 'cpu') return cpuBackend;
    if (!this.gpu) throw new GpuUnavailableError('no WebGPU adapter');
    return gpuBackend(this.gpu);
  }

  /** The report of a decision for onBackend. */
  used(decision: BackendDecision, backend: ChannelBackend): BackendUsed {
    return {
      ...decision,
      label: backend.label,
      adapter: decision.kind === 'webgpu' && this.gpu ? describeAdapter(this.gpu.adapter) : undefined,
    };
  }

  private announce(job: ChannelJob, control: ChannelControl): ChannelBackend {
    const { backend, decision } = this.backendFor(job);
    control.onBackend?.(this.used(decision, backend));
    return backend;
  }

  /**
   * Geometry of every link; links sharing a transmitter are traced together (one candidate set).
   * Progress counts receivers over all transmitters.
   */
  async trace(
    links: readonly LinkEndpoints[],
    materials: Record<string, RadioParameters>,
    control: ChannelControl = {},
    scatteringObjects: readonly number[] = scatteringObjectsOf(this.scene, materials),
  ): Promise<TracedLink[]> {
    const backend = this.announce({ kind: 'links', links: links.length }, control);
    const options = traceOptionsOf(this.settings, [...scatteringObjects]);
    const groups = new Map<string, number[]>();
    links.forEach((l, i) => {
      const key = l.tx.join(',');
      const g = groups.get(key);
      if (g) g.push(i);
      else groups.set(key, [i]);
    });
    const out: TracedLink[] = new Array(links.length);
    let done = 0;
    for (const indices of groups.values()) {
      const tx = links[indices[0]!]!.tx;
      const offset = done;
      const progress = (p: TraceProgress) =>
        control.onProgress?.(
          p.phase === 'receivers' ? { phase: 'receivers', done: offset + p.done, total: links.length } : p,
        );
      const txOptions = txTraceOptions(options, Math.max(indices.length, control.jobReceivers ?? 0));
      const tracer = await backend.tracer(this.scene, this.bvh, tx, txOptions, {
        signal: control.signal,
        onProgress: progress,
      });
      try {
        const traced = await tracer.trace(
          indices.map((i) => links[i]!.rx),
          { signal: control.signal, onProgress: progress },
        );
        indices.forEach((i, j) => {
          out[i] = {
            tx: [...tx],
            rx: [...links[i]!.rx],
            geometries: traced.paths[j]!,
            search: traced.reports[j]!,
          };
        });
      } finally {
        tracer.destroy();
      }
      done += indices.length;
    }
    return out;
  }

  /**
   * Fields and metrics of traced links with these materials: per link the paths that carry a
   * field (a ≠ 0; e.g. a zero of an antenna pattern leaves none) and the metrics of linkMetrics.ts.
   */
  async evaluate(
    traced: readonly TracedLink[],
    materials: Record<string, RadioParameters>,
    control: ChannelControl = {},
  ): Promise<LinkResult[]> {
    const backend = this.announce({ kind: 'links', links: traced.length }, control);
    const { frames, linkStart } = linkFrames(this.scene, traced, fieldOptionsOf(this.settings));
    const a = await backend.evaluate(
      frames,
      materialTable(frames, materials, this.scene.name),
      control.signal,
    );
    const stats = reduceLinks(linkRanges(frames, linkStart, traced), a);
    return traced.map((l, i) => {
      const out: Path[] = [];
      l.geometries.forEach((g, k) => {
        const p = linkStart[i]! + k;
        if (a[2 * p] !== 0 || a[2 * p + 1] !== 0)
          out.push(pathOfFrame(frames, p, g, a[2 * p]!, a[2 * p + 1]!));
      });
      return {
        tx: l.tx,
        rx: l.rx,
        paths: out,
        metrics: linkMetricsFromStats(stats, i),
        search: l.search,
        nearField: nearFieldCheck(l.tx, l.rx, out, this.settings.frequencyHz),
      };
    });
  }

  /** trace then evaluate: the paths and metrics of every link. */
  async traceLinks(
    links: readonly LinkEndpoints[],
    materials: Record<string, RadioParameters>,
    control: ChannelControl = {},
  ): Promise<LinkResult[]> {
    return this.evaluate(await this.trace(links, materials, control), materials, control);
  }
}
