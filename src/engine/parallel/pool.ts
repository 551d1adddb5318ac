import type { ChannelSettings } from '../channel/index.ts';
import type { Vec3 } from '../core/vec3.ts';
import type { RadioParameters } from '../materials/radioMaterial.ts';
import type { Scene } from '../scene/types.ts';
import { type Bvh, buildBvh, shareCandidates, type TracePathsOptions } from '../tracer/index.ts';
import type { FromWorker, PoolPort, PoolResult, PoolTask } from './protocol.ts';

/**
 * A pool of workers (Node threads or Web Workers, behind PoolPort) that share one scene: it is
 * sent to each worker once, then tasks go to whichever worker is free, in order, until none is
 * left. A task's failure fails the run, naming the task; an abort ends every worker at once
 * (a worker deep in a trace cannot be interrupted otherwise) and the pool cannot be used again.
 */
export class PoolTaskError extends Error {
  constructor(
    readonly task: number,
    readonly failure: { name: string; message: string },
    what: string,
  ) {
    super(`${what}: ${failure.name === 'Error' ? '' : `${failure.name}: `}${failure.message}`);
    this.name = 'PoolTaskError';
  }
}

interface Running {
  resolve(r: PoolResult): void;
  reject(e: Error): void;
  onProgress?(done: number): void;
}

export class WorkerPool {
  private readonly running = new Map<number, Running>();
  private readonly idle: number[] = [];
  private readonly waiting: (() => void)[] = [];
  private nextId = 0;
  private dead: Error | undefined;
  /** what open() sent, and its BVH once a candidate set was built here */
  private opened:
    | { scene: Scene; settings: ChannelSettings; materials: Record<string, RadioParameters>; bvh?: Bvh }
    | undefined;

  constructor(private readonly ports: readonly PoolPort[]) {
    if (ports.length === 0) throw new RangeError('a worker pool needs at least one worker');
    ports.forEach((port, w) => {
      port.onMessage((m) => this.receive(w, m));
      port.onError((e) => this.fail(new Error(`worker ${w} stopped: ${e.message}`)));
    });
  }

  get size(): number {
    return this.ports.length;
  }

  /**
   * Send the scene, settings and materials to every worker; resolves when one has opened it
   * (rejects if none can). Each worker takes tasks as soon as it has opened the scene, so work
   * starts on the first one ready (a worker on this thread: at once) while threads still start.
   */
  open(scene: Scene, settings: ChannelSettings, materials: Record<string, RadioParameters>): Promise<void> {
    this.idle.length = 0;
    this.opened = { scene, settings, materials };
    const opened = this.ports.map(
      (_, w) =>
        new Promise<void>((resolve, reject) => {
          this.running.set(-1 - w, {
            resolve: () => {
              this.release(w);
              resolve();
            },
            reject,
          });
        }),
    );
    for (const port of this.ports) port.post({ type: 'open', scene, settings, materials });
    return Promise.any(opened).catch((e: AggregateError) => {
      throw e.errors[0];
    });
  }

  /** The scene, settings and materials the workers opened (undefined before open()). */
  get openedWith():
    | Readonly<{ scene: Scene; settings: ChannelSettings; materials: Record<string, RadioParameters> }>
    | undefined {
    return this.opened;
  }

  /**
   * Build the candidate set of `tx` for `options` here, once, and send it to every worker, so
   * that none builds it again (tasks sent after this find it). Nothing is sent for a set that
   * is not complete (sharedCandidates.ts): the workers then build their own, as before.
   */
  shareCandidates(tx: Vec3, options: TracePathsOptions): void {
    const o = this.opened;
    if (!o || this.dead) return;
    o.bvh ??= buildBvh(o.scene);
    const shared = shareCandidates(o.scene, o.bvh, tx, options);
    if (shared) for (const port of this.ports) port.post({ type: 'candidates', shared });
  }

  /**
   * Run every task; results in the order of the tasks. `nameOf(i)` names task i in errors
   * ("tile 3 (rows 12..15)"); `onProgress(i, done)` reports a task's own progress.
   */
  async run(
    tasks: readonly PoolTask[],
    options: {
      signal?: AbortSignal;
      describe?: (i: number) => string;
      onProgress?: (task: number, done: number) => void;
      onDone?: (task: number) => void;
    } = {},
  ): Promise<PoolResult[]> {
    const { signal, describe: nameOf = (i) => `task ${i}` } = options;
    signal?.throwIfAborted();
    const abort = () =>
      this.terminate(signal!.reason instanceof Error ? signal!.reason : new Error('aborted'));
    signal?.addEventListener('abort', abort, { once: true });
    try {
      return await Promise.all(
        tasks.map(async (task, i) => {
          const w = await this.acquire();
          try {
            const result = await this.send(w, task, (done) => options.onProgress?.(i, done));
            options.onDone?.(i);
            return result;
          } catch (e) {
            const err = e as Error;
            if (this.dead) throw this.dead;
            throw new PoolTaskError(i, { name: err.name, message: err.message }, nameOf(i));
          } finally {
            this.release(w);
          }
        }),
      );
    } finally {
      signal?.removeEventListener('abort', abort);
    }
  }

  /** End every worker now; pending and later calls fail with `reason`. */
  terminate(reason: Error = new Error('worker pool closed')): void {
    if (!this.dead) this.dead = reason;
    for (const port of this.ports) port.terminate();
    for (const r of this.running.values()) r.reject(reason);
    this.running.clear();
    for (const wake of this.waiting.splice(0)) wake();
  }

  private acquire(): Promise<number> {
    if (this.dead) return Promise.reject(this.dead);
    const w = this.idle.shift();
    if (w !== undefined) return Promise.resolve(w);
    return new Promise((resolve, reject) =>
      this.waiting.push(() => (this.dead ? reject(this.dead) : resolve(this.idle.shift()!))),
    );
  }

  private release(w: number): void {
    if (this.dead) return;
    this.idle.push(w);
    this.waiting.shift()?.();
  }

  private send(w: number, task: PoolTask, onProgress: (done: number) => void): Promise<PoolResult> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.running.set(id, { resolve, reject, onProgress });
      this.ports[w]!.post({ type: 'task', id, task });
    });
  }

  private receive(w: number, m: FromWorker): void {
    if (m.type === 'opened') {
      this.running.get(-1 - w)?.resolve(undefined as never);
      this.running.delete(-1 - w);
      return;
    }
    const r = this.running.get(m.id);
    if (!r) return;
    if (m.type === 'progress') {
      r.onProgress?.(m.done);
      return;
    }
    this.running.delete(m.id);
    if (m.type === 'done') r.resolve(m.result);
    else {
      const err = new Error(m.message);
      err.name = m.name;
      r.reject(err);
    }
  }

  private fail(error: Error): void {
    this.terminate(error);
  }
}
