import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type FromWorker, inlinePoolPort, type PoolPort, WorkerPool } from '../engine/parallel/index.ts';
import { flag, type ParsedArgs, UsageError } from './args.ts';

/** `--threads N`: how many threads a CPU job may use, this one included (default: every core, for jobs large enough). */
export { THREADS_USAGE } from './usage.ts';

/**
 * Jobs smaller than this (cells of a map, links of a list) run on one thread unless `--threads`
 * asks otherwise: starting the threads (each loads the engine and compiles it again) and
 * building the transmitter's candidate set before them (on this thread, once: the workers take
 * it, engine/tracer/cpu/sharedCandidates.ts) cost more than such a job's own work
 * (bench/parallel.bench.ts).
 */
export const MIN_PARALLEL_WORK = { cells: 4096, links: 2000 } as const;

export function threadsFromArgs(args: ParsedArgs): number | undefined {
  const text = flag(args, 'threads');
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 1024)
    throw new UsageError(`--threads must be a whole number of threads from 1 to 1024, got '${text}'`);
  return n;
}

/**
 * Worker threads for a job of `units` cells or links split into at most `parts`: `--threads N`
 * as given; without it every core for a job of at least `minUnits`, else one.
 */
export function workersFor(
  threads: number | undefined,
  units: number,
  minUnits: number,
  parts: number,
): number {
  const n = threads ?? (units >= minUnits ? availableParallelism() : 1);
  return Math.max(1, Math.min(n, parts));
}

/**
 * A pool of `n` threads: this one and n − 1 Node worker threads running src/cli/poolWorker.ts,
 * from the CLI bundle its built poolWorker.js beside this chunk, from the TypeScript sources
 * (tests, benches) through tsx.
 */
export function nodeWorkerPool(n: number): WorkerPool {
  const fromSources = import.meta.url.endsWith('.ts');
  // this thread is one of the n (inlinePort.ts says why), the others are worker threads
  const threads: PoolPort[] = Array.from({ length: n - 1 }, () => {
    // from the sources: bin/run-ts.mjs (tsx and the *.wgsl?raw loader) runs poolWorker.ts
    const worker = fromSources
      ? new Worker(new URL('../../bin/run-ts.mjs', import.meta.url), {
          argv: [fileURLToPath(new URL('./poolWorker.ts', import.meta.url))],
        })
      : new Worker(new URL('./poolWorker.js', import.meta.url));
    // a worker must not keep the process alive once the command is done with it
    worker.unref();
    return {
      post: (message) => worker.postMessage(message),
      onMessage: (handler) => worker.on('message', (m: FromWorker) => handler(m)),
      onError: (handler) => {
        worker.on('error', handler);
        worker.on('exit', (code) => {
          if (code !== 0) handler(new Error(`exited with code ${code}`));
        });
      },
      terminate: () => void worker.terminate(),
    };
  });
  return new WorkerPool([inlinePoolPort(), ...threads]);
}
