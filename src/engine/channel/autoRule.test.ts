import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../test/paths.ts';
import {
  autoBackend,
  autoMayUseWebGpu,
  type BackendTiming,
  type ChannelJob,
  crossoverFrom,
  SOFTWARE_ADAPTER_CROSSOVER,
} from './autoRule.ts';

/** Issue 12, acceptance 5: the `auto` rule is the committed benchmark's crossovers. */
const bench = JSON.parse(readFileSync(join(REPO_ROOT, 'bench/results/channel.json'), 'utf8')) as {
  timings: Record<ChannelJob['kind'], BackendTiming[]>;
  crossovers: Record<ChannelJob['kind'], number | null>;
};
const KINDS: ChannelJob['kind'][] = ['links', 'map', 'calibration'];

describe('the auto rule', () => {
  it('is the crossover of the committed benchmark (bench/results/channel.json) for every job kind', () => {
    for (const kind of KINDS) {
      const measured = bench.crossovers[kind] ?? Number.POSITIVE_INFINITY;
      expect(crossoverFrom(bench.timings[kind]), `${kind}: recomputed from the timings`).toBe(measured);
      expect(SOFTWARE_ADAPTER_CROSSOVER[kind], `${kind}: the table in autoRule.ts`).toBe(measured);
      expect(bench.timings[kind].length, kind).toBeGreaterThanOrEqual(3);
    }
  });

  it('crossoverFrom: the smallest size from which WebGPU stays faster', () => {
    const t = (size: number, cpuMs: number, webgpuMs: number) => ({ size, cpuMs, webgpuMs });
    expect(crossoverFrom([t(10, 1, 2), t(100, 10, 12)])).toBe(Number.POSITIVE_INFINITY);
    expect(crossoverFrom([t(100, 10, 5), t(10, 1, 2), t(1000, 100, 20)])).toBe(100);
    // faster only in the middle, slower again at the largest size: never trusted
    expect(crossoverFrom([t(10, 1, 2), t(100, 10, 5), t(1000, 100, 120)])).toBe(Number.POSITIVE_INFINITY);
    expect(crossoverFrom([])).toBe(Number.POSITIVE_INFINITY);
  });

  it('a hardware adapter runs WebGPU, none runs the CPU, a software adapter follows the table', () => {
    const job: ChannelJob = { kind: 'map', cells: 1 };
    expect(autoBackend({ available: false, software: false, problem: 'x' }, job).kind).toBe('cpu');
    expect(autoBackend({ available: true, software: false }, job).kind).toBe('webgpu');
    for (const kind of KINDS) {
      const from = SOFTWARE_ADAPTER_CROSSOVER[kind];
      const jobOf = (size: number): ChannelJob =>
        kind === 'links'
          ? { kind, links: size }
          : kind === 'map'
            ? { kind, cells: size }
            : { kind, paths: size };
      const software = { available: true, software: true };
      if (Number.isFinite(from)) {
        expect(autoBackend(software, jobOf(from)).kind).toBe('webgpu');
        expect(autoBackend(software, jobOf(from - 1)).kind).toBe('cpu');
      } else expect(autoBackend(software, jobOf(1e12)).kind).toBe('cpu');
      expect(autoBackend(software, jobOf(1)).reason).toMatch(/auto: software adapter/);
    }
  });

  it('needs no adapter start where every job of the kinds would run on the CPU anyway', () => {
    const software = { available: true, software: true };
    for (const kind of KINDS)
      expect(autoMayUseWebGpu(software, [kind]), kind).toBe(
        Number.isFinite(SOFTWARE_ADAPTER_CROSSOVER[kind]),
      );
    expect(autoMayUseWebGpu({ available: true, software: false }, ['links'])).toBe(true);
    expect(autoMayUseWebGpu({ available: false, software: false }, KINDS)).toBe(false);
    const remembered = autoBackend({ ...software, remembered: true }, { kind: 'links', links: 1 });
    expect(remembered.kind).toBe('cpu');
    expect(remembered.reason).toMatch(/earlier run on this machine/);
  });
});

/**
 * Issue 17, acceptance 2: on every map the committed benchmark measured (bench/results/auto.json:
 * the demo room and the city at 10², 10⁴ and 10⁶ cells and depth 1–3, but for the city's 10⁶
 * cells at depth 3, on this project's software adapter), the backend the rule picks for that
 * adapter took at most 10 % longer than the faster one.
 */
describe('auto against the faster backend (bench/results/auto.json)', () => {
  const auto = JSON.parse(readFileSync(join(REPO_ROOT, 'bench/results/auto.json'), 'utf8')) as {
    machine: { adapter: string };
    results: { scene: string; depth: number; cells: number; cpuMs: number; webgpuMs: number; auto: string }[];
  };
  const software = /SwiftShader|software/.test(auto.machine.adapter);

  it('covers the room at 10², 10⁴ and 10⁶ cells at depth 1–3, the city at the same but 10⁶ cells at depth 3', () => {
    const sizes = (scene: string, depth: number) =>
      auto.results.filter((r) => r.scene === scene && r.depth === depth).map((r) => r.cells);
    const all = [100, 10_000, 1_000_000];
    for (const depth of [1, 2, 3]) {
      expect(sizes('demo room', depth), `room, depth ${depth}`).toEqual(all);
      expect(sizes('city (13,500 triangles)', depth), `city, depth ${depth}`).toEqual(
        depth === 3 ? [100, 10_000] : all,
      );
    }
  });

  it('picks a backend within 10 % of the faster one on every measured map', () => {
    for (const r of auto.results) {
      const pick = autoBackend({ available: true, software }, { kind: 'map', cells: r.cells }).kind;
      expect(pick, `${r.scene} depth ${r.depth} ${r.cells} cells: the recorded pick is the rule's`).toBe(
        r.auto,
      );
      const picked = pick === 'cpu' ? r.cpuMs : r.webgpuMs;
      expect(picked, `${r.scene} depth ${r.depth} ${r.cells} cells`).toBeLessThanOrEqual(
        1.1 * Math.min(r.cpuMs, r.webgpuMs),
      );
    }
  });
});
