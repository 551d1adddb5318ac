import { InputError } from '../engine/core/index.ts';
import { jobDifference, type RadioMapJob } from '../engine/radiomap/index.ts';

/**
 * Chunks of a long link list (`rftwin trace --rx-file rx.csv --chunk i/K --out part.json`): each
 * is the trace JSON of its receivers plus `job` (scene hash, settings, materials, Tx, and the
 * receiver file's count and fingerprint) and `chunk` (index, count, receiver range). `rftwin
 * merge` checks that the chunks are all K of one job and writes the trace JSON of the whole list,
 * as one `rftwin trace --rx-file rx.csv` writes it.
 */
export const TRACE_CHUNK_FORMAT = 'rftwin-trace-chunk';

interface Chunk {
  job: Record<string, unknown>;
  index: number;
  count: number;
  start: number;
  end: number;
  links: unknown[];
  body: Record<string, unknown>;
}

function chunkOf(value: Record<string, unknown>, file: string): Chunk {
  const c = value.chunk as Record<string, number> | undefined;
  const job = value.job as Record<string, unknown> | undefined;
  if (!c || typeof c !== 'object' || !job || typeof job !== 'object' || !Array.isArray(value.links))
    throw new InputError(
      file,
      'chunk',
      'expected the job, chunk and links a chunk of rftwin trace --chunk i/K has',
    );
  const { index, count, rx_start: start, rx_end: end } = c;
  const n = Number(job.receivers);
  const ok =
    Number.isInteger(count) &&
    Number.isInteger(index) &&
    index! >= 0 &&
    index! < count! &&
    start === Math.floor((index! * n) / count!) &&
    end === Math.floor(((index! + 1) * n) / count!) &&
    value.links.length === end! - start!;
  if (!ok)
    throw new InputError(
      file,
      'chunk',
      `chunk ${index} of ${count} (receivers ${start}..${end}) does not fit a list of ${n} receivers with ${value.links.length} links`,
    );
  return { job, index: index!, count: count!, start: start!, end: end!, links: value.links, body: value };
}

/** The whole trace from all K chunks of one job, in any order; refuses a missing, repeated or foreign chunk. */
export function mergeTraceChunks(
  values: readonly Record<string, unknown>[],
  names: readonly string[],
): Record<string, unknown> {
  const chunks = values.map((v, k) => chunkOf(v, names[k]!));
  const first = chunks[0]!;
  const seen = new Map<number, number>();
  for (const [k, c] of chunks.entries()) {
    const diff = jobDifference(first.job as unknown as RadioMapJob, c.job as unknown as RadioMapJob);
    if (diff) throw new InputError(names[k]!, 'job', `not the job of ${names[0]}: ${diff}`);
    if (c.count !== first.count)
      throw new InputError(
        names[k]!,
        'chunk',
        `chunk ${c.index} of ${c.count}, but ${names[0]} is a chunk of ${first.count}`,
      );
    const twice = seen.get(c.index);
    if (twice !== undefined)
      throw new InputError(
        names[k]!,
        'chunk',
        `chunk ${c.index} of ${c.count} is given twice (also ${names[twice]})`,
      );
    seen.set(c.index, k);
  }
  const missing = Array.from({ length: first.count }, (_, i) => i).filter((i) => !seen.has(i));
  if (missing.length > 0)
    throw new InputError(
      'chunks',
      `chunk${missing.length > 1 ? 's' : ''} ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''} of ${first.count}`,
      `missing (${chunks.length} of ${first.count} given); compute ${missing.length > 1 ? 'them' : 'it'} with rftwin trace … --chunk ${missing[0]}/${first.count}`,
    );
  const ordered = [...chunks].sort((a, b) => a.index - b.index);
  const { job: _job, chunk: _chunk, format: _format, links: _links, ...rest } = first.body;
  return { ...rest, links: ordered.flatMap((c) => c.links) };
}
