import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { REPO_ROOT } from '../src/test/paths.ts';

/**
 * Issue 20, acceptance 1: the CPU radio map and a 200-link trace with `--threads N` against
 * `--threads 1`, as a person runs them (`rftwin` processes, wall time from spawn to exit, worker
 * start-up and each worker's own candidate set included), interleaved rounds, medians; and the
 * outputs compared (identical but for the timings). Threads from 1 up to 16 where the machine
 * has the cores (RFTWIN_BENCH_THREADS=1,2,4,8,16 to choose). The load average before and after
 * is recorded: on a shared machine other work takes cores from the threads, so the CPU time of
 * each process (user + system, all its threads; Linux only) is recorded too: its ratio to one
 * thread's is what the threads cost in work, whatever the load. What the machine gives N threads
 * at all is measured beside: plain kernels, and N whole copies of the map at once.
 */
const ROUNDS = Number(process.env.RFTWIN_BENCH_ROUNDS ?? 3);
const DEMO = join(REPO_ROOT, 'public/demo/room.xml');
const COMMON = ['--scene', DEMO, '--frequency', '28e9', '--tx', '0.3,0.2,2.5', '--backend', 'cpu'];
/** 125 × 125 = 15 625 cells over the demo room */
const MAP = ['radiomap', ...COMMON, '--plane', 'z=1.5', '--cell', '0.08'];
/** 250 × 250 = 62 500 cells: the threads' start-up and their own JIT warm-up weigh less */
const MAP_LARGE = ['radiomap', ...COMMON, '--plane', 'z=1.5', '--cell', '0.04'];

function threadCounts(): number[] {
  const env = process.env.RFTWIN_BENCH_THREADS;
  if (env) return env.split(',').map(Number);
  const cores = availableParallelism();
  return [1, 2, 4, 8, 16].filter((t) => t === 1 || t <= cores);
}

/**
 * CPU time (ms) of this process's children that have ended, from /proc/self/stat (cutime +
 * cstime, in clock ticks of 10 ms); undefined where there is no /proc.
 */
function childrenCpuMs(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // fields after the command name (which may hold spaces) in parentheses; cutime, cstime: 16, 17
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return undefined;
  }
}

function once(args: string[]): { ms: number; cpuMs: number | undefined } {
  const t = performance.now();
  const cpu0 = childrenCpuMs();
  const r = spawnSync(process.execPath, ['bin/rftwin.mjs', ...args, '--force'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`rftwin ${args.join(' ')} exited ${r.status}: ${r.stderr.trim()}`);
  const cpu1 = childrenCpuMs();
  return {
    ms: performance.now() - t,
    cpuMs: cpu0 === undefined || cpu1 === undefined ? undefined : cpu1 - cpu0,
  };
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The output without its timings (stats of a map; a trace has none). */
function withoutTimings(path: string): string {
  const v = JSON.parse(readFileSync(path, 'utf8'));
  delete v.stats;
  return JSON.stringify(v);
}

/**
 * What the machine gives N threads at all, whatever our code does: N copies of a kernel at once
 * against one, throughput scaling = N·T₁/T_N (N would be perfect). An arithmetic loop (registers
 * only), random reads and writes over 8 MiB per thread (about a radio-map tile's working set:
 * frames, beams, trie, BVH, young generation), and small objects made and read back as the
 * tracer makes its paths. Where these kernels do not scale, the tracer, which spends its time
 * reading such structures and making paths, cannot either.
 */
const KERNELS = {
  arithmetic: `let x = 0; for (let i = 0; i < 2e8; i++) x = x * 0.999 + i * 1e-9; x`,
  memory: `const b = new Float64Array(1 << 20); let x = 0;
    for (let r = 0; r < 300; r++) for (let i = 0; i < b.length; i += 8) { b[i] += r; x += b[(i * 7919) & (b.length - 1)]; } x`,
  // small objects made and read back as a map tile makes its paths (~5 000 paths, each an object
  // with an array of interactions holding points): allocation, young-generation GC, pointer reads
  objects: `let x = 0;
    for (let r = 0; r < 400; r++) {
      const tile = [];
      for (let i = 0; i < 5000; i++) {
        const its = [];
        for (let k = 0; k < 3; k++) its.push({ type: 'reflection', faceIndex: k, point: [i * 1e-3, k, r] });
        tile.push({ kind: 'specular', interactions: its, length: i + r });
      }
      for (const p of tile) for (const it of p.interactions) x += it.point[0] + it.point[2] + p.length;
    } x`,
};

async function kernelMs(code: string, n: number): Promise<number> {
  const t0 = performance.now();
  await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<void>((resolve, reject) => {
          const w = new Worker(code, { eval: true });
          w.on('error', reject);
          w.on('exit', () => resolve());
        }),
    ),
  );
  return performance.now() - t0;
}

async function machineScaling(threads: number[]): Promise<Record<string, Record<number, number>>> {
  const out: Record<string, Record<number, number>> = {};
  for (const [name, code] of Object.entries(KERNELS)) {
    const ms: Record<number, number[]> = {};
    for (let r = 0; r < 3; r++) {
      for (const t of threads) {
        const list = ms[t] ?? [];
        list.push(await kernelMs(code, t));
        ms[t] = list;
      }
    }
    const one = median(ms[1]!);
    out[name] = Object.fromEntries(threads.map((t) => [t, Number(((t * one) / median(ms[t]!)).toFixed(2))]));
  }
  return out;
}

/**
 * The ceiling for this very job on this machine: N copies of the one-thread map run at once as N
 * processes (nothing split, nothing shared) against one alone, N·T1/TN. A map split over N
 * threads cannot beat it: it adds the serial parts (start-up, the candidate set) and each
 * thread's own warm-up.
 */
async function copiesScaling(
  threads: number[],
  args: string[],
  dir: string,
): Promise<Record<number, number>> {
  const run = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const p = spawn(
        process.execPath,
        ['bin/rftwin.mjs', ...args, '--threads', '1', '--out', join(dir, `copy-${i}.json`), '--force'],
        { cwd: REPO_ROOT, stdio: 'ignore' },
      );
      p.on('error', reject);
      p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`copy ${i} exited ${code}`))));
    });
  const ms: Record<number, number[]> = {};
  for (let r = 0; r < ROUNDS; r++) {
    for (const t of threads) {
      const t0 = performance.now();
      await Promise.all(Array.from({ length: t }, (_, i) => run(i)));
      ms[t] = [...(ms[t] ?? []), performance.now() - t0];
    }
  }
  const one = median(ms[1]!);
  return Object.fromEntries(threads.map((t) => [t, Number(((t * one) / median(ms[t]!)).toFixed(2))]));
}

export default async function parallel(log: (line: string) => void) {
  const dir = mkdtempSync(join(tmpdir(), 'rftwin-bench-parallel-'));
  try {
    const rx = join(dir, 'rx200.csv');
    // 200 receivers on a spiral through the room at 1.5 m
    const points = Array.from({ length: 200 }, (_, i) => {
      const r = 0.4 + (4 * i) / 200;
      const a = 0.7 * i;
      return `${(r * Math.cos(a)).toFixed(4)},${(r * Math.sin(a)).toFixed(4)},1.5`;
    });
    writeFileSync(rx, `x,y,z\n${points.join('\n')}\n`);
    const TRACE = ['trace', ...COMMON, '--rx-file', rx];
    const threads = threadCounts();
    const jobs = { radioMap: MAP, radioMapLarge: MAP_LARGE, trace200: TRACE };
    once([...MAP, '--cell', '1', '--threads', '1', '--out', join(dir, 'warm.json')]); // builds the bundle if stale
    const runs: Record<string, Record<number, number[]>> = {};
    const cpu: Record<string, Record<number, number[]>> = {};
    const loadBefore = loadavg()[0]!;
    for (let r = 0; r < ROUNDS; r++) {
      for (const [name, args] of Object.entries(jobs)) {
        runs[name] ??= {};
        for (const t of threads) {
          const { ms, cpuMs } = once([
            ...args,
            '--threads',
            String(t),
            '--out',
            join(dir, `${name}-${t}.json`),
          ]);
          runs[name]![t] = [...(runs[name]![t] ?? []), ms];
          cpu[name] ??= {};
          if (cpuMs !== undefined) cpu[name]![t] = [...(cpu[name]![t] ?? []), cpuMs];
          log(
            `round ${r + 1}/${ROUNDS}: ${name} --threads ${t}: ${(ms / 1000).toFixed(2)} s, CPU ${((cpuMs ?? Number.NaN) / 1000).toFixed(2)} s (load ${loadavg()[0]!.toFixed(2)})`,
          );
        }
      }
    }
    const machine = await machineScaling(threads);
    log(`machine: throughput scaling of plain kernels ${JSON.stringify(machine)}`);
    const copies = await copiesScaling(threads, MAP, dir);
    log(`machine: N one-thread copies of the radioMap job at once ${JSON.stringify(copies)}`);
    const identical = Object.fromEntries(
      Object.keys(jobs).map((name) => {
        const one = withoutTimings(join(dir, `${name}-1.json`));
        return [name, threads.every((t) => withoutTimings(join(dir, `${name}-${t}.json`)) === one)];
      }),
    );
    const medianMs = Object.fromEntries(
      Object.entries(runs).map(([name, byT]) => [
        name,
        Object.fromEntries(Object.entries(byT).map(([t, v]) => [t, Math.round(median(v))])),
      ]),
    );
    const speedup = Object.fromEntries(
      Object.entries(medianMs).map(([name, byT]) => [
        name,
        Object.fromEntries(Object.entries(byT).map(([t, ms]) => [t, Number((byT[1]! / ms).toFixed(2))])),
      ]),
    );
    const cpuMedianMs = Object.fromEntries(
      Object.entries(cpu).map(([name, byT]) => [
        name,
        Object.fromEntries(Object.entries(byT).map(([t, v]) => [t, Math.round(median(v))])),
      ]),
    );
    // CPU time of N threads over one thread's: 1 would be free parallelism
    const cpuRatio = Object.fromEntries(
      Object.entries(cpuMedianMs).map(([name, byT]) => [
        name,
        Object.fromEntries(Object.entries(byT).map(([t, ms]) => [t, Number((ms / byT[1]!).toFixed(2))])),
      ]),
    );
    return {
      what: 'wall time of `rftwin` processes (spawn to exit) per --threads, median of interleaved rounds; speedup = threads 1 / threads N',
      jobs: {
        radioMap:
          '15 625 cells (125 × 125, 0.08 m) of the demo room, default settings (depth 3, every mechanism), CPU',
        radioMapLarge: '62 500 cells (250 × 250, 0.04 m), the same otherwise',
        trace200: '200 links of the demo room, default settings, CPU',
      },
      cores: availableParallelism(),
      cpu: cpus()[0]?.model,
      rounds: ROUNDS,
      loadAverage1MinBefore: Number(loadBefore.toFixed(2)),
      loadAverage1MinAfter: Number(loadavg()[0]!.toFixed(2)),
      medianMs,
      speedup,
      cpuMedianMs,
      cpuRatio,
      identicalOutputs: identical,
      target: { speedupAt2Threads: 1.7 },
      machineScaling: {
        what: 'N copies of a plain kernel on N worker threads at once against one: N·T1/TN (N is perfect)',
        ...machine,
      },
      copiesScaling: {
        what: 'N one-thread `rftwin` processes of the radioMap job at once against one alone: N·T1/TN, the ceiling for that job split over N threads here',
        radioMap: copies,
      },
      runsMs: Object.fromEntries(
        Object.entries(runs).map(([name, byT]) => [
          name,
          Object.fromEntries(Object.entries(byT).map(([t, v]) => [t, v.map((x) => Math.round(x))])),
        ]),
      ),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
