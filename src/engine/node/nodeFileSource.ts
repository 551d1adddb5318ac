import { constants, type Stats } from 'node:fs';
import { type FileHandle, open, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { FileAccessError } from '../core/errors.ts';
import { DEFAULT_LIMITS } from '../core/limits.ts';
import { type FileSource, tooLargeProblem } from '../scene/fileSource.ts';

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'is a folder, not a file';
  if (st.isFIFO()) return 'is a FIFO (named pipe), not a regular file';
  if (st.isCharacterDevice()) return 'is a character device, not a regular file';
  if (st.isBlockDevice()) return 'is a block device, not a regular file';
  if (st.isSocket()) return 'is a socket, not a regular file';
  return 'is not a regular file';
}

function accessProblem(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'was not found';
    case 'EACCES':
    case 'EPERM':
      return 'cannot be read (permission denied)';
    case 'EISDIR':
      return 'is a folder, not a file';
    case 'ELOOP':
      return 'cannot be read (a loop of symbolic links)';
    case 'ENAMETOOLONG':
      return 'cannot be read (the name is too long)';
    case 'ENOTDIR':
      return 'was not found (a part of the path is not a folder)';
    default:
      return `cannot be read (${code ?? (e as Error).message})`;
  }
}

/**
 * FileSource over the local file system (CLI, tests, benchmarks). Node only. Only regular files
 * are read: the file is opened non-blocking (a FIFO without a writer would block a plain open
 * forever) and checked with fstat before a byte is read; devices such as /dev/zero, folders,
 * FIFOs and sockets are refused. Reading stops at limits.fileBytes, also for a file that grows
 * while it is read.
 */
export const nodeFileSource: FileSource = {
  async read(path, request = {}) {
    const limits = request.limits ?? DEFAULT_LIMITS;
    let fh: FileHandle;
    try {
      fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (e) {
      throw new FileAccessError(path, accessProblem(e));
    }
    try {
      const st = await fh.stat();
      if (!st.isFile()) throw new FileAccessError(path, kindOf(st));
      if (request.within !== undefined) {
        // a symbolic link inside the folder may point outside it
        const [real, root] = await Promise.all([realpath(path), realpath(request.within)]);
        const rel = relative(root, real);
        if (rel.startsWith('..') || isAbsolute(rel))
          throw new FileAccessError(
            path,
            `is a link to ${real}, outside ${resolve(request.within)} (give --allow-outside to read it)`,
          );
      }
      if (st.size > limits.fileBytes) throw new FileAccessError(path, tooLargeProblem(st.size, limits));
      // one byte more than the size tells a file that grows while being read
      const buffer = new Uint8Array(Math.min(st.size, limits.fileBytes) + 1);
      let filled = 0;
      for (;;) {
        if (filled === buffer.length) {
          throw new FileAccessError(
            path,
            `grew while it was read (now more than ${st.size.toLocaleString('en-US')} bytes)`,
          );
        }
        const { bytesRead } = await fh.read(buffer, filled, buffer.length - filled, filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return buffer.subarray(0, filled);
    } catch (e) {
      if (e instanceof FileAccessError) throw e;
      throw new FileAccessError(path, accessProblem(e));
    } finally {
      await fh.close();
    }
  },
  async exists(path) {
    try {
      await stat(path);
      return true;
    } catch {
      return false;
    }
  },
};
