import type { FromWorker, PoolPort, ToWorker } from './protocol.ts';
import { poolWorker } from './worker.ts';

/**
 * A pool worker on the calling thread, behind the same PoolPort as a thread. A CLI pool of N
 * threads is this one and N − 1 worker threads: with N workers beside an idle calling thread,
 * N + 1 threads (and their garbage collectors) shared N cores, and the first task waited for a
 * worker to start (load and compile the engine: ≈ 0.3 s), where the calling thread starts at once.
 * Messages go both ways through the task queue (never synchronously), as between threads; the
 * work itself yields between tiles and chunks, so the other workers' messages are still heard.
 */
export function inlinePoolPort(): PoolPort {
  let handler: ((m: FromWorker) => void) | undefined;
  let ended = false;
  const stop = new AbortController();
  const handle = poolWorker((message) => {
    setTimeout(() => {
      if (!ended) handler?.(message);
    }, 0);
  }, stop.signal);
  return {
    post: (message: ToWorker) => {
      setTimeout(() => {
        if (!ended) handle(message);
      }, 0);
    },
    onMessage: (h) => {
      handler = h;
    },
    onError: () => {},
    terminate: () => {
      // a running task stops at its next tile or chunk; nothing it sends is heard
      ended = true;
      stop.abort(new Error('worker pool closed'));
    },
  };
}
