/**
 * Worker pools: the channel layer's jobs (radio maps by blocks of rows, link lists by chunks)
 * on many threads — Node worker_threads in the CLI, Web Workers in the studio — with results
 * identical to one thread.
 */

export * from './inlinePort.ts';
export * from './jobs.ts';
export * from './pool.ts';
export * from './protocol.ts';
export * from './worker.ts';
