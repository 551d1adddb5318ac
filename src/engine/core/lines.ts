import { InputError } from './errors.ts';

/** Longest line a text loader accepts (a polygon of 2²⁰ indices is about 12 MiB of text). */
export const MAX_LINE_BYTES = 64 * 2 ** 20;
/** Bytes decoded into one string at a time: large files never become one giant string. */
const CHUNK_BYTES = 2 ** 20;

/**
 * Call `onLine(text, lineNumber)` for every line of UTF-8 `bytes` from `start` (line numbers
 * count from `firstLine`), decoding about 1 MiB at a time, so a 1 GiB file is read in linear
 * time and never held as one string (V8 strings stop at 2²⁹ characters). '\r\n' and '\n' end
 * lines. `onLine` returns false to stop early (anything else goes on).
 */
export function forEachLine(
  bytes: Uint8Array,
  file: string,
  onLine: (line: string, lineNumber: number) => unknown,
  start = 0,
  firstLine = 1,
): void {
  const decoder = new TextDecoder();
  let pos = start;
  let lineNo = firstLine;
  while (pos < bytes.length) {
    let end = pos + CHUNK_BYTES;
    if (end >= bytes.length) end = bytes.length;
    else {
      // cut after the last newline of the chunk; a longer line extends the chunk to its end
      const nl = bytes.lastIndexOf(10, end - 1);
      if (nl >= pos) end = nl + 1;
      else {
        const next = bytes.indexOf(10, end);
        end = next < 0 ? bytes.length : next + 1;
        if (end - pos > MAX_LINE_BYTES)
          throw new InputError(file, `line ${lineNo}`, `is longer than ${MAX_LINE_BYTES / 2 ** 20} MiB`);
      }
    }
    const text = decoder.decode(bytes.subarray(pos, end));
    const lines = text.split('\n');
    // a chunk ending in '\n' leaves an empty last piece that is not a line
    if (end < bytes.length || text.endsWith('\n')) lines.pop();
    for (const raw of lines) {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (onLine(line, lineNo) === false) return;
      lineNo++;
    }
    pos = end;
  }
}

/** The bytes of a text given either as bytes or as a string (tests and the studio pass strings). */
export const textBytes = (text: string | Uint8Array): Uint8Array =>
  typeof text === 'string' ? new TextEncoder().encode(text) : text;

/** Longest text decoded into one string (V8 strings stop at 2²⁹ − 24 characters). */
const MAX_TEXT_BYTES = 2 ** 29 - 24;

/** Decode a whole UTF-8 file into a string, or an InputError when it is too large to be one. */
export function decodeText(bytes: Uint8Array, file: string): string {
  if (bytes.length > MAX_TEXT_BYTES)
    throw new InputError(
      file,
      'file',
      `is ${bytes.length.toLocaleString('en-US')} bytes; a text file of this kind is read whole and may have at most ${MAX_TEXT_BYTES.toLocaleString('en-US')}`,
    );
  return new TextDecoder().decode(bytes);
}
