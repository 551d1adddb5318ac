import { execFileSync } from 'node:child_process';
import {
  closeSync,
  ftruncateSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileAccessError } from '../core/errors.ts';
import { withDefaultLimits } from '../core/limits.ts';
import { nodeFileSource } from './nodeFileSource.ts';

/** Only regular files are read, within the size limit and, when asked, within a folder. */
const dir = mkdtempSync(join(tmpdir(), 'rftwin-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const refusal = async (path: string, request = {}) => {
  const e = await nodeFileSource.read(path, request).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(FileAccessError);
  return (e as FileAccessError).problem;
};

describe('nodeFileSource', () => {
  it('reads a regular file whole', async () => {
    writeFileSync(join(dir, 'a.txt'), 'hello');
    expect(new TextDecoder().decode(await nodeFileSource.read(join(dir, 'a.txt')))).toBe('hello');
  });

  it('refuses a FIFO without blocking (no writer ever comes)', async () => {
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    expect(await refusal(join(dir, 'pipe'))).toBe('is a FIFO (named pipe), not a regular file');
  });

  it('refuses devices and folders without reading them', async () => {
    expect(await refusal('/dev/zero')).toBe('is a character device, not a regular file');
    expect(await refusal(dir)).toBe('is a folder, not a file');
    expect(await refusal(join(dir, 'missing'))).toBe('was not found');
  });

  it('refuses a file over the size limit before reading it (a sparse 3 GiB file)', async () => {
    const fd = openSync(join(dir, 'huge.bin'), 'w');
    ftruncateSync(fd, 3 * 2 ** 30);
    closeSync(fd);
    expect(await refusal(join(dir, 'huge.bin'))).toMatch(
      /^is 3,221,225,472 bytes, more than the file size limit/,
    );
    writeFileSync(join(dir, 'b.txt'), 'x'.repeat(11));
    expect(await refusal(join(dir, 'b.txt'), { limits: withDefaultLimits({ fileBytes: 10 }) })).toMatch(
      /^is 11 bytes, more than the file size limit \(the limit is 10 bytes; raise it with --limit file-bytes=N\)$/,
    );
  });

  it('with `within`, a link that leads out of the folder is refused', async () => {
    mkdirSync(join(dir, 'scene'));
    writeFileSync(join(dir, 'secret.txt'), 'secret');
    symlinkSync(join(dir, 'secret.txt'), join(dir, 'scene', 'mesh.ply'));
    expect(await refusal(join(dir, 'scene', 'mesh.ply'), { within: join(dir, 'scene') })).toMatch(
      /^is a link to .*secret\.txt, outside/,
    );
    // without `within` (--allow-outside) it is read
    expect((await nodeFileSource.read(join(dir, 'scene', 'mesh.ply'))).length).toBe(6);
  });
});
