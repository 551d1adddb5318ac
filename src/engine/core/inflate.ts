import { Inflate, Unzlib } from 'fflate';
import { InputError } from './errors.ts';

/** Compressed bytes pushed at a time: one push inflates to at most ~1032× this (DEFLATE's limit). */
const PUSH_BYTES = 16 * 1024;

/**
 * Inflate zlib (`format: 'zlib'`, PNG image data) or raw DEFLATE (zip entries), refusing as
 * soon as the output passes `maxBytes`: a 1.5 MB file that inflates to 1.5 GiB is stopped after
 * at most maxBytes + 16 MiB of work and memory, not decoded. Corrupt data is an InputError too.
 */
export function inflateCapped(
  data: Uint8Array,
  maxBytes: number,
  file: string,
  element: string,
  format: 'zlib' | 'deflate' = 'zlib',
  why = '(raise --limit decompressed-bytes if the data is genuine)',
): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  let over = false;
  const onData = (chunk: Uint8Array) => {
    total += chunk.length;
    if (total > maxBytes) over = true;
    else parts.push(chunk.slice());
  };
  const stream = format === 'zlib' ? new Unzlib(onData) : new Inflate(onData);
  try {
    for (let i = 0; i < data.length && !over; i += PUSH_BYTES) {
      const end = Math.min(data.length, i + PUSH_BYTES);
      stream.push(data.subarray(i, end), end === data.length);
    }
    if (data.length === 0) stream.push(data, true);
  } catch (e) {
    throw new InputError(file, element, `corrupt compressed data (${(e as Error).message})`);
  }
  if (over)
    throw new InputError(
      file,
      element,
      `inflates to more than ${maxBytes.toLocaleString('en-US')} bytes ${why}`,
    );
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
