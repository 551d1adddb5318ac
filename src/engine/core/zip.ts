import { InputError } from './errors.ts';
import { inflateCapped } from './inflate.ts';
import { checkLimit, DEFAULT_LIMITS, type InputLimits } from './limits.ts';

/**
 * The files of a zip archive (a twin the studio exported, a zipped Sionna scene), read from the
 * central directory: stored and DEFLATE entries, each inflated to at most its declared size and
 * all together to at most limits.decompressedBytes (a zip bomb stops there), at most
 * limits.objects entries. Folders are skipped; encrypted, ZIP64 and other methods are errors.
 */
export function unzipCapped(
  data: Uint8Array,
  file: string,
  limits: InputLimits = DEFAULT_LIMITS,
): { path: string; data: Uint8Array }[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const u16 = (o: number) => view.getUint16(o, true);
  const u32 = (o: number) => view.getUint32(o, true);
  const fail = (element: string, problem: string): never => {
    throw new InputError(file, element, problem);
  };
  // the end-of-central-directory record: in the last 22 + 65535 bytes
  let eocd = -1;
  for (let o = data.length - 22; o >= Math.max(0, data.length - 22 - 65535); o--) {
    if (u32(o) === 0x06054b50) {
      eocd = o;
      break;
    }
  }
  if (eocd < 0) fail('end of archive', 'not a zip archive (no end-of-central-directory record)');
  const count = u16(eocd + 10);
  const dirSize = u32(eocd + 12);
  const dirOffset = u32(eocd + 16);
  if (count === 0xffff || dirOffset === 0xffffffff)
    fail('end of archive', 'ZIP64 archives are not supported');
  if (dirOffset + dirSize > eocd) fail('central directory', 'lies outside the archive (truncated?)');
  checkLimit(limits, 'objects', count, file, 'central directory', `has ${count} entries`);
  const out: { path: string; data: Uint8Array }[] = [];
  let total = 0;
  let o = dirOffset;
  for (let k = 0; k < count; k++) {
    const where = `entry ${k}`;
    if (o + 46 > eocd || u32(o) !== 0x02014b50) fail(where, 'central directory entry is damaged');
    const flags = u16(o + 8);
    const method = u16(o + 10);
    const compressed = u32(o + 20);
    const size = u32(o + 24);
    const nameLength = u16(o + 28);
    const next = o + 46 + nameLength + u16(o + 30) + u16(o + 32);
    const local = u32(o + 42);
    if (next > eocd) fail(where, 'central directory entry is damaged');
    const name = new TextDecoder().decode(data.subarray(o + 46, o + 46 + nameLength));
    o = next;
    if (name.endsWith('/')) continue;
    const named = `entry ${k} (${name})`;
    if (flags & 1) fail(named, 'is encrypted');
    if (local + 30 > data.length || u32(local) !== 0x04034b50) fail(named, 'local header is damaged');
    const start = local + 30 + u16(local + 26) + u16(local + 28);
    if (start + compressed > data.length) fail(named, 'data lies past the end of the archive (truncated?)');
    total += size;
    if (total > limits.decompressedBytes)
      fail(
        named,
        `the entries inflate to more than ${limits.decompressedBytes.toLocaleString('en-US')} bytes (raise --limit decompressed-bytes)`,
      );
    const raw = data.subarray(start, start + compressed);
    let bytes: Uint8Array;
    if (method === 0) bytes = raw.slice();
    else if (method === 8) bytes = inflateCapped(raw, size, file, named, 'deflate', `(its declared size)`);
    else return fail(named, `compression method ${method} is not supported (stored or DEFLATE)`);
    if (bytes.length !== size) fail(named, `inflates to ${bytes.length} bytes, its header says ${size}`);
    out.push({ path: name, data: bytes });
  }
  return out;
}
