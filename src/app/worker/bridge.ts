import type {
  EngineRequests,
  FromWorker,
  Progress,
  RequestMap,
  ToWorker,
  VisionRequests,
} from './protocol.ts';

export interface CallOptions {
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
  /** objects to transfer instead of copy (large typed arrays) */
  transfer?: Transferable[];
}

/** Error raised by the worker, keeping the engine's error name (InputError, FrequencyRangeError …). */
export class EngineError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  onProgress?: (p: Progress) => void;
}

/**
 * The page's side of a studio worker: typed request → promise, progress callbacks,
 * cancellation through an AbortSignal (the worker aborts the engine's own AbortSignal).
 */
export class WorkerBridge<M extends RequestMap<M>> {
  private nextId = 1;
  private pending = new Map<number, Pending>();

  constructor(
    private readonly worker: Worker,
    name: string,
  ) {
    worker.onmessage = (e: MessageEvent<FromWorker>) => {
      const msg = e.data;
      const p = this.pending.get(msg.id);
      if (!p) return;
      if (msg.type === 'progress') p.onProgress?.(msg.progress);
      else {
        this.pending.delete(msg.id);
        if (msg.type === 'result') p.resolve(msg.result);
        else p.reject(new EngineError(msg.error.name, msg.error.message));
      }
    };
    worker.onerror = (e) => {
      const err = new EngineError('WorkerError', `${name} worker failed: ${e.message}`);
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
  }

  call<K extends keyof M & string>(
    kind: K,
    request: M[K]['request'],
    options: CallOptions = {},
  ): Promise<M[K]['response']> {
    const id = this.nextId++;
    return new Promise<M[K]['response']>((resolve, reject) => {
      if (options.signal?.aborted) {
        reject(new EngineError('AbortError', 'cancelled'));
        return;
      }
      this.pending.set(id, {
        resolve: resolve as (v: unknown) => void,
        reject,
        onProgress: options.onProgress,
      });
      options.signal?.addEventListener('abort', () => this.post({ id, cancel: true }), { once: true });
      this.post({ id, kind, request }, options.transfer);
    });
  }

  /** Pause, resume or stop (keeping its result so far) a running request (calibration). */
  control(id: number, control: 'pause' | 'resume' | 'stop') {
    this.post({ id, control });
  }

  /** id the next call will get (so a caller can pause/resume it) */
  peekNextId() {
    return this.nextId;
  }

  private post(msg: ToWorker, transfer: Transferable[] = []) {
    this.worker.postMessage(msg, transfer);
  }
}

export type EngineBridge = WorkerBridge<EngineRequests>;

let bridge: EngineBridge | null = null;
/** The studio's engine worker (scenes, tracing, radio maps, calibration), started on first use. */
export function engine(): EngineBridge {
  if (!bridge) {
    bridge = new WorkerBridge(
      new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module' }),
      'engine',
    );
  }
  return bridge;
}

let visionBridge: WorkerBridge<VisionRequests> | null = null;
/**
 * The vision worker (CLIP priors, the translator on tfjs), started on first use: its own thread,
 * so that tracing runs while priors compute and each can be cancelled without the other.
 */
export function vision(): WorkerBridge<VisionRequests> {
  if (!visionBridge) {
    visionBridge = new WorkerBridge(
      new Worker(new URL('./vision.worker.ts', import.meta.url), { type: 'module' }),
      'vision',
    );
  }
  return visionBridge;
}
