import { DEFAULT_LIMITS, FileAccessError, limitHint } from '../../engine/core/index.ts';
import type { InputFile } from '../worker/protocol.ts';

/**
 * The studio reads dropped files under the same limits as the CLI's defaults: a file larger
 * than the limit is refused before its bytes are read.
 */
export const LIMITS = DEFAULT_LIMITS;

/** Read browser File objects, keeping folder paths when the browser provides them. */
export async function readBrowserFiles(files: Iterable<File>): Promise<InputFile[]> {
  const out: InputFile[] = [];
  for (const f of files) {
    const path = (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name;
    if (f.size > LIMITS.fileBytes)
      throw new FileAccessError(
        path,
        `is ${f.size.toLocaleString('en-US')} bytes, more than the file size limit (${limitHint('fileBytes', LIMITS)})`,
      );
    out.push({ path, data: new Uint8Array(await f.arrayBuffer()) });
  }
  return out;
}
