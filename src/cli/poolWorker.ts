import { parentPort } from 'node:worker_threads';
import { poolWorker } from '../engine/parallel/index.ts';

/**
 * Entry of a CLI worker thread (built as dist-cli/…/poolWorker.js next to main.js): the engine's
 * pool worker on Node's message port.
 */
if (!parentPort) throw new Error('poolWorker.ts runs as a worker thread (src/cli/workerPool.ts)');
const port = parentPort;
const handle = poolWorker((message, transfer) => port.postMessage(message, transfer));
port.on('message', handle);
