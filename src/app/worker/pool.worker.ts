/// <reference lib="webworker" />

import { poolWorker } from '../../engine/parallel/index.ts';

/**
 * One Web Worker of the studio's pool (webWorkerPool.ts): the engine's pool worker on this
 * worker's message port. Started by the engine worker for CPU radio maps with more than one
 * worker; it receives the scene once, then blocks of map rows.
 */
const handle = poolWorker((message, transfer) => postMessage(message, transfer));
self.onmessage = (e: MessageEvent) => handle(e.data);
