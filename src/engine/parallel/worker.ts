import { Channel } from '../channel/index.ts';
import { reviveCloned } from '../core/cloned.ts';
import { computeRadioMap } from '../radiomap/index.ts';
import { adoptCandidates } from '../tracer/index.ts';
import type { FromWorker, PoolResult, PoolTask, ToWorker } from './protocol.ts';

/**
 * The worker's side of the pool: opens a CPU channel on the scene it is sent once, then runs
 * tasks one at a time through the same engine calls a single thread makes (computeRadioMap on a
 * block of rows, Channel.traceLinks on a chunk), so its results equal a single thread's bit for
 * bit. A candidate set the pool sends goes into this thread's candidate cache, where those
 * calls find it. `post` sends a message back with the buffers to transfer (not copy).
 */
export function poolWorker(
  post: (message: FromWorker, transfer: ArrayBuffer[]) => void,
  /** ends a running task between tiles or chunks (a worker on the pool's own thread: inlinePort.ts) */
  signal?: AbortSignal,
) {
  let state: { channel: Channel; materials: Parameters<Channel['traceLinks']>[1] } | undefined;
  let queue = Promise.resolve();
  async function run(id: number, task: PoolTask): Promise<PoolResult> {
    if (!state) throw new Error('pool worker: a task came before the scene');
    const { channel, materials } = state;
    if (task.kind === 'links')
      return {
        kind: 'links',
        links: await channel.traceLinks(task.links, materials, { signal, jobReceivers: task.jobReceivers }),
      };
    const map = await computeRadioMap(
      channel,
      { tx: task.tx, grid: task.grid, materials, rows: task.rows, tileSize: task.batch },
      { signal, onMapProgress: (p) => post({ type: 'progress', id, done: p.done }, []) },
    );
    return { kind: 'map', map };
  }
  return (received: ToWorker) => {
    // the scene, settings and points as this thread would have made them (core/cloned.ts: cloned
    // arrays made the tracer 1.3–1.4× slower here than on the calling thread)
    const message = reviveCloned(received);
    // messages are handled in order: a task waits for the channel to open
    queue = queue.then(async () => {
      if (message.type === 'open') {
        const channel = await Channel.open(message.scene, message.settings, { backend: 'cpu' });
        state = { channel, materials: message.materials };
        post({ type: 'opened' }, []);
        return;
      }
      if (message.type === 'candidates') {
        if (!state) return;
        try {
          adoptCandidates(state.channel.scene, state.channel.bvh, message.shared);
        } catch {
          // the worker then builds the set itself: the same set, only later
        }
        return;
      }
      const { id, task } = message;
      try {
        const result = await run(id, task);
        post({ type: 'done', id, result }, result.kind === 'map' ? buffersOf(result.map) : []);
      } catch (e) {
        const err = e instanceof Error ? e : new Error(String(e));
        post({ type: 'error', id, name: err.name, message: err.message }, []);
      }
    });
  };
}

function buffersOf(map: import('../radiomap/index.ts').RadioMap): ArrayBuffer[] {
  const arrays = [
    map.pathGainDb,
    map.coherentGainDb,
    map.rmsDelaySpreadS,
    map.kFactorDb,
    map.kFactorReference,
    map.angularSpreadDeg,
    map.los,
    map.pathCount,
    map.complete,
    map.nearField,
  ];
  return arrays.map((a) => a.buffer as ArrayBuffer);
}
