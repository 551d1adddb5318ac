import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from './args.ts';
import { checkFinite, NonFiniteResultError, prepareOutput, writeOutput } from './output.ts';

const dir = mkdtempSync(join(tmpdir(), 'rftwin-output-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the output writer', () => {
  it('writes a new file, creating its folder, and leaves no temporary file', async () => {
    const out = join(dir, 'new', 'a.json');
    await prepareOutput(out, false);
    await writeOutput(out, '{"a": 1}\n', false);
    expect(readFileSync(out, 'utf8')).toBe('{"a": 1}\n');
    expect(readdirSync(join(dir, 'new'))).toEqual(['a.json']);
  });

  it('refuses an existing file without --force, before and at writing; replaces it with --force', async () => {
    const out = join(dir, 'b.json');
    writeFileSync(out, 'old');
    await expect(prepareOutput(out, false)).rejects.toThrow(UsageError);
    await expect(prepareOutput(out, false)).rejects.toThrow(
      `--out ${out} exists; give --force to overwrite it`,
    );
    // a file that appeared after the check is not replaced either
    await expect(writeOutput(out, 'new', false)).rejects.toThrow(UsageError);
    expect(readFileSync(out, 'utf8')).toBe('old');
    await prepareOutput(out, true);
    await writeOutput(out, 'new', true);
    expect(readFileSync(out, 'utf8')).toBe('new');
  });

  it('refuses a folder, and names the path and reason when it cannot write', async () => {
    mkdirSync(join(dir, 'folder.json'));
    await expect(prepareOutput(join(dir, 'folder.json'), true)).rejects.toThrow(
      'is a folder; give a file name',
    );
    writeFileSync(join(dir, 'file'), 'x');
    await expect(writeOutput(join(dir, 'file', 'c.json'), 'x', true)).rejects.toThrow(
      /c\.json: cannot write it \(creating the folder .*: EEXIST/,
    );
  });
});

describe('results are checked before they are written', () => {
  it('NaN or ±Infinity anywhere names its place and the inputs', () => {
    expect(() => checkFinite({ links: [{ gain: 1, a: [0, null] }] }, 'result', 'x')).not.toThrow();
    expect(() =>
      checkFinite({ links: [{ gain: 1 }, { a: [0, Number.NaN] }] }, 'result', 'scene s.xml'),
    ).toThrow(
      new NonFiniteResultError(
        'result.links[1].a[1] is NaN: the result is not written. It was computed from scene s.xml; check their values (or report a bug)',
      ),
    );
    expect(() => checkFinite({ t: new Float64Array([1, Number.POSITIVE_INFINITY]) }, 'r', 'x')).toThrow(
      /r\.t\[1\] is Infinity/,
    );
  });
});
