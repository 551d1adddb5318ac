import { access, readFile } from 'node:fs/promises';
import type { FileSource } from '../scene/fileSource.ts';

/** FileSource over the local file system (CLI, tests, benchmarks). Node only. */
export const nodeFileSource: FileSource = {
  async read(path) {
    return new Uint8Array(await readFile(path));
  },
  async exists(path) {
    try {
      await access(path);
      return true;
    } catch {
      return false;
    }
  },
};
