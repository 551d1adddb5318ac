import type { ChannelSettings, LinkEndpoints, LinkResult } from '../channel/index.ts';
import type { Vec3 } from '../core/vec3.ts';
import type { RadioParameters } from '../materials/radioMaterial.ts';
import type { RadioMap, RadioMapGrid, RowRange } from '../radiomap/index.ts';
import type { Scene } from '../scene/types.ts';
import type { SharedCandidates } from '../tracer/index.ts';

/**
 * Messages between a worker pool (pool.ts) and its workers (worker.ts): Node worker_threads in
 * the CLI, Web Workers in the studio. Plain data only (structured clone): the scene goes to each
 * worker once (`open`), then a transmitter's candidate set built once by the pool's thread
 * (`candidates`, typed arrays: sharedCandidates.ts), then tasks name only what differs — a block
 * of map rows, a chunk of links.
 */
export interface OpenMessage {
  type: 'open';
  scene: Scene;
  settings: ChannelSettings;
  materials: Record<string, RadioParameters>;
}

export type PoolTask =
  | { kind: 'map'; tx: Vec3; grid: RadioMapGrid; rows: RowRange; batch?: number }
  /** jobReceivers: the whole list's receivers when it has one transmitter (Channel.trace) */
  | { kind: 'links'; links: LinkEndpoints[]; jobReceivers?: number };

export type PoolResult = { kind: 'map'; map: RadioMap } | { kind: 'links'; links: LinkResult[] };

export type ToWorker =
  | OpenMessage
  | { type: 'candidates'; shared: SharedCandidates }
  | { type: 'task'; id: number; task: PoolTask };

export type FromWorker =
  | { type: 'opened' }
  | { type: 'progress'; id: number; done: number }
  | { type: 'done'; id: number; result: PoolResult }
  | { type: 'error'; id: number; name: string; message: string };

/** One worker as the pool sees it: a thread of Node or a Web Worker behind the same four calls. */
export interface PoolPort {
  post(message: ToWorker): void;
  onMessage(handler: (message: FromWorker) => void): void;
  /** the worker died (an uncaught error, out of memory, failed to load) */
  onError(handler: (error: Error) => void): void;
  terminate(): void;
}
