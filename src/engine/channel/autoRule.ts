import type { BackendKind } from './backend.ts';

/**
 * How `auto` picks a backend for a job: a hardware adapter runs everything on WebGPU; without an
 * adapter everything runs on the CPU; on a software adapter (SwiftShader: Vulkan emulated on the
 * same CPU cores) WebGPU only pays where the committed benchmark measured it faster, for jobs of
 * at least the sizes below. These numbers are the crossovers `npm run bench -- channel` measured
 * (bench/results/channel.json, `crossovers`); src/engine/channel/autoRule.test.ts fails when the
 * committed benchmark and this table disagree.
 */
export type ChannelJob =
  | { kind: 'links'; links: number }
  | { kind: 'map'; cells: number }
  | { kind: 'calibration'; paths: number };

/** Smallest job (links, cells, traced paths) at which WebGPU on SwiftShader beat the CPU; Infinity: never. */
export const SOFTWARE_ADAPTER_CROSSOVER: Record<ChannelJob['kind'], number> = {
  links: Number.POSITIVE_INFINITY,
  map: Number.POSITIVE_INFINITY,
  calibration: Number.POSITIVE_INFINITY,
};

/** One benchmark measurement: a job size and the time each backend took for it. */
export interface BackendTiming {
  size: number;
  cpuMs: number;
  webgpuMs: number;
}

/**
 * The crossover a benchmark's measurements imply: the smallest measured size from which WebGPU
 * was faster at that size and every larger one measured; Infinity when it never was (at the
 * largest size at least). Sizes between measurements follow the next smaller one.
 */
export function crossoverFrom(timings: readonly BackendTiming[]): number {
  const sorted = [...timings].sort((a, b) => a.size - b.size);
  let from = Number.POSITIVE_INFINITY;
  for (let i = sorted.length - 1; i >= 0 && sorted[i]!.webgpuMs < sorted[i]!.cpuMs; i--)
    from = sorted[i]!.size;
  return from;
}

export interface AdapterFacts {
  /** a WebGPU adapter was found */
  available: boolean;
  software: boolean;
  /** why there is none, when there is none */
  problem?: string;
  /** the facts come from an earlier run on this machine (no adapter was started this time) */
  remembered?: boolean;
}

/**
 * Whether `auto` could pick WebGPU for any job of these kinds on this adapter: false when there is
 * no adapter, or a software one whose benchmark found the CPU faster at every size of each kind.
 * Then the adapter need not even be started.
 */
export function autoMayUseWebGpu(adapter: AdapterFacts, kinds: readonly ChannelJob['kind'][]): boolean {
  if (!adapter.available) return false;
  return !adapter.software || kinds.some((k) => Number.isFinite(SOFTWARE_ADAPTER_CROSSOVER[k]));
}

export interface BackendDecision {
  kind: BackendKind;
  /** one line for the status bar and stderr */
  reason: string;
}

const jobSize = (job: ChannelJob) =>
  job.kind === 'links' ? job.links : job.kind === 'map' ? job.cells : job.paths;
const unit = (job: ChannelJob) =>
  job.kind === 'links' ? 'links' : job.kind === 'map' ? 'cells' : 'traced paths';

export function autoBackend(adapter: AdapterFacts, job: ChannelJob): BackendDecision {
  const decision = autoDecision(adapter, job);
  if (adapter.remembered) decision.reason += '; adapter as found by an earlier run on this machine';
  return decision;
}

function autoDecision(adapter: AdapterFacts, job: ChannelJob): BackendDecision {
  if (!adapter.available)
    return { kind: 'cpu', reason: `auto: no WebGPU adapter (${adapter.problem ?? 'none found'})` };
  if (!adapter.software) return { kind: 'webgpu', reason: 'auto: hardware WebGPU adapter' };
  const size = jobSize(job);
  const from = SOFTWARE_ADAPTER_CROSSOVER[job.kind];
  if (size >= from)
    return {
      kind: 'webgpu',
      reason: `auto: software adapter, ${size} ${unit(job)} ≥ ${from} where the benchmark found WebGPU faster`,
    };
  return {
    kind: 'cpu',
    reason: Number.isFinite(from)
      ? `auto: software adapter, ${size} ${unit(job)} < ${from}: the CPU is faster there (bench/results/channel.json)`
      : `auto: software adapter: the CPU was faster for ${job.kind} jobs of every size measured (bench/results/channel.json)`,
  };
}
