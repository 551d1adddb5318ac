import {
  type LinkEndpoints,
  type LinkResult,
  scatteringObjectsOf,
  traceOptionsOf,
  txTraceOptions,
} from '../channel/index.ts';
import type { Vec3 } from '../core/vec3.ts';
import {
  assembleRadioMap,
  type RadioMap,
  type RadioMapOptions,
  type RadioMapProgress,
  type RowRange,
  rowBlocks,
  rowsOf,
} from '../radiomap/index.ts';
import type { WorkerPool } from './pool.ts';

/**
 * The channel jobs a worker pool runs: a radio map split into blocks of whole rows, a link list
 * split into chunks. Each block or chunk runs through the same engine calls as a single thread
 * and the parts are assembled in order, so the result equals the single-thread one bit for bit.
 */

/**
 * Blocks per worker: more blocks than workers so that a worker finishing early (rows far from
 * the transmitter are cheaper) takes another; each block builds the transmitter's candidates
 * again, so not too many.
 */
const BLOCKS_PER_WORKER = 4;

export async function computeRadioMapParallel(
  pool: WorkerPool,
  options: RadioMapOptions,
  control: {
    signal?: AbortSignal;
    onMapProgress?: (p: RadioMapProgress) => void;
  } = {},
): Promise<RadioMap> {
  const { grid } = options;
  const rows = rowsOf(grid, options.rows);
  const ny = rows.end - rows.start;
  const blocks = rowBlocks(ny, Math.min(ny, pool.size * BLOCKS_PER_WORKER)).map((b) => ({
    start: rows.start + b.start,
    end: rows.start + b.end,
  }));
  shareCandidatesOf(pool, options.tx, (o) => o);
  const total = grid.nx * ny;
  const doneOf = blocks.map(() => 0);
  const results = await pool.run(
    blocks.map((rows) => ({ kind: 'map', tx: options.tx, grid, rows, batch: options.tileSize })),
    {
      signal: control.signal,
      describe: (i) => `rows ${blocks[i]!.start}..${blocks[i]!.end - 1} of the map`,
      onProgress: (i, done) => {
        doneOf[i] = done;
        control.onMapProgress?.({
          done: doneOf.reduce((a, b) => a + b, 0),
          total,
          backend: 'cpu',
          label: `CPU × ${pool.size} threads`,
        });
      },
    },
  );
  const parts = results.map((r) => (r as { kind: 'map'; map: RadioMap }).map);
  if (!options.rows) return assembleRadioMap(parts);
  return joinRows(parts, rows);
}

/** Links in chunks, results in the order of the links. */
export async function traceLinksParallel(
  pool: WorkerPool,
  links: readonly LinkEndpoints[],
  control: { signal?: AbortSignal; onProgress?: (p: { done: number; total: number }) => void } = {},
): Promise<LinkResult[]> {
  const k = Math.max(1, Math.min(links.length, pool.size * BLOCKS_PER_WORKER));
  const chunks = Array.from({ length: k }, (_, i) =>
    links.slice(Math.floor((i * links.length) / k), Math.floor(((i + 1) * links.length) / k)),
  );
  // one transmitter (the usual link list): its set once, chosen for the whole list as one thread
  // would (a chunk's few receivers would pick a tree without last-level beams: slower per link)
  const tx = links[0]?.tx;
  const oneTx = tx && links.every((l) => l.tx.every((x, a) => x === tx[a]));
  if (oneTx) shareCandidatesOf(pool, tx, (o) => txTraceOptions(o, links.length));
  const jobReceivers = oneTx ? links.length : undefined;
  let done = 0;
  const results = await pool.run(
    chunks.map((c) => ({ kind: 'links', links: c, jobReceivers })),
    {
      signal: control.signal,
      describe: (i) =>
        `links ${Math.floor((i * links.length) / k)}..${Math.floor(((i + 1) * links.length) / k) - 1}`,
      onDone: (i) => {
        done += chunks[i]!.length;
        control.onProgress?.({ done, total: links.length });
      },
    },
  );
  return results.flatMap((r) => (r as { kind: 'links'; links: LinkResult[] }).links);
}

/**
 * Build the transmitter's candidate set on this thread with the trace options a worker's channel
 * derives from what the pool opened (`adjust`: the channel's choice for a job of that size), and
 * send it to every worker (pool.ts).
 */
function shareCandidatesOf(
  pool: WorkerPool,
  tx: Vec3,
  adjust: (o: ReturnType<typeof traceOptionsOf>) => ReturnType<typeof traceOptionsOf>,
): void {
  const opened = pool.openedWith;
  if (!opened) return;
  const { scene, settings, materials } = opened;
  pool.shareCandidates(tx, adjust(traceOptionsOf(settings, scatteringObjectsOf(scene, materials))));
}

/** Consecutive parts as one part of rows [rows.start, rows.end) (a tile computed by a pool). */
function joinRows(parts: readonly RadioMap[], rows: RowRange): RadioMap {
  const { grid } = parts[0]!;
  // a map of the tile's rows alone, assembled as a whole map, then given its place back
  const local = { ...grid, ny: rows.end - rows.start };
  const shifted = parts.map((p) => ({
    ...p,
    grid: local,
    rows: { start: p.rows!.start - rows.start, end: p.rows!.end - rows.start },
  }));
  return { ...assembleRadioMap(shifted), grid, rows };
}
