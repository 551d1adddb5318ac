import { type FromWorker, type PoolPort, WorkerPool } from '../../engine/parallel/index.ts';

/**
 * A pool of `n` Web Workers (pool.worker.ts), started by the engine worker. The scene goes to each
 * as a structured-clone copy (the page is not cross-origin isolated, so no SharedArrayBuffer);
 * the map rows come back as transferred buffers. Cancelling terminates the workers.
 */
export function webWorkerPool(n: number): WorkerPool {
  const ports: PoolPort[] = Array.from({ length: n }, (_, k) => {
    const worker = new Worker(new URL('./pool.worker.ts', import.meta.url), {
      type: 'module',
      name: `rftwin-pool-${k}`,
    });
    return {
      post: (message) => worker.postMessage(message),
      onMessage: (handler) => {
        worker.onmessage = (e: MessageEvent<FromWorker>) => handler(e.data);
      },
      onError: (handler) => {
        worker.onerror = (e) => handler(new Error(e.message || 'the worker failed to start'));
      },
      terminate: () => worker.terminate(),
    };
  });
  return new WorkerPool(ports);
}
