import { randomBytes } from 'node:crypto';
import { link, mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../engine/core/index.ts';
import { UsageError } from './args.ts';

/**
 * The one way `rftwin` commands write files. An output is written to a temporary file in the
 * same folder, flushed to disk and then renamed over the target, so that a kill, a full disk or
 * an I/O error at any moment leaves either the previous file or the complete new one, never a
 * truncated one (a killed run may leave a hidden `.NAME.PID.tmp` beside it). An existing file is
 * replaced only with --force; without it, the check runs before any work starts.
 */

const errnoText = (e: unknown) => {
  const err = e as NodeJS.ErrnoException;
  const what: Record<string, string> = {
    ENOSPC: 'no space left on the device',
    EDQUOT: 'disk quota exceeded',
    EFBIG: 'file too large for the file system or the file size limit',
    EIO: 'input/output error',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EROFS: 'read-only file system',
    ENOENT: 'no such folder',
    ENOTDIR: 'a part of the path is not a folder',
    EISDIR: 'is a folder',
  };
  return err.code ? `${err.code}: ${what[err.code] ?? err.message}` : err.message;
};

/**
 * Check an output path before the work that produces it: refuse a folder, and an existing file
 * unless `force`. `option` names the flag in the message (--out, --png).
 */
export async function prepareOutput(path: string, force: boolean, option = '--out'): Promise<void> {
  let st: Awaited<ReturnType<typeof stat>> | undefined;
  try {
    st = await stat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new InputError(path, undefined, `cannot use it as ${option} (${errnoText(e)})`);
  }
  if (st?.isDirectory()) throw new UsageError(`${option} ${path} is a folder; give a file name`);
  if (st && !force)
    throw new UsageError(`${option} ${path} exists; give --force to overwrite it, or another file name`);
}

/**
 * Write `data` to `path` atomically (see above). With `force` false, a file that appeared since
 * prepareOutput is not replaced. Errors name the path and the reason; the previous file, if any,
 * is left as it was.
 */
export async function writeOutput(
  path: string,
  data: string | Uint8Array,
  force: boolean,
  option = '--out',
): Promise<void> {
  const dir = dirname(path) || '.';
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fail = (e: unknown, step: string): never => {
    throw new InputError(
      path,
      undefined,
      `cannot write it (${step}: ${errnoText(e)}); any previous file is unchanged`,
    );
  };
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    fail(e, `creating the folder ${dir}`);
  }
  try {
    const fh = await open(tmp, 'wx');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    if (force) await rename(tmp, path);
    else {
      // link fails if the target exists: no file is replaced without --force, even in a race
      try {
        await link(tmp, path);
        await unlink(tmp);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') throw e;
        await rename(tmp, path); // a file system without hard links
      }
    }
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    if ((e as NodeJS.ErrnoException).code === 'EEXIST' && !force)
      throw new UsageError(`${option} ${path} exists; give --force to overwrite it, or another file name`);
    fail(e, 'writing');
  }
}

/** Thrown when a result holds NaN or ±Infinity: it is not written. */
export class NonFiniteResultError extends Error {
  override name = 'NonFiniteResultError';
}

/**
 * Check a result before it is written: every number finite. `inputs` says what it was computed
 * from (the scene, materials, positions), so the message points at what to check. Nulls are
 * allowed (commands write null on purpose where a value does not exist, such as no path).
 */
export function checkFinite(value: unknown, what: string, inputs: string): void {
  const stack: { v: unknown; path: string }[] = [{ v: value, path: what }];
  while (stack.length > 0) {
    const { v, path } = stack.pop()!;
    if (typeof v === 'number') {
      if (!Number.isFinite(v))
        throw new NonFiniteResultError(
          `${path} is ${v}: the result is not written. It was computed from ${inputs}; check their values (or report a bug)`,
        );
    } else if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      const a = v as unknown as ArrayLike<number>;
      for (let i = 0; i < a.length; i++)
        if (typeof a[i] === 'number' && !Number.isFinite(a[i]))
          stack.push({ v: a[i], path: `${path}[${i}]` });
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: `${path}[${i}]` });
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v).reverse()) stack.push({ v: x, path: `${path}.${k}` });
    }
  }
}
