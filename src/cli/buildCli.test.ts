import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { currentBuild } from '../../scripts/build-cli.mjs';

/** bin/rftwin.mjs runs the bundle only while it is fresh: every source older than the build. */
describe('the CLI bundle is used only while it is fresh', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rftwin-bundle-'));
  const source = join(dir, 'source.ts');
  writeFileSync(source, 'export {};');
  writeFileSync(join(dir, 'main.js'), '');
  const pointer = join(dir, 'current.json');
  const point = (builtAtMs: number, inputs = [source]) =>
    writeFileSync(pointer, JSON.stringify({ dir, builtAtMs, inputs }));

  it('fresh when every source is older than the build', () => {
    utimesSync(source, 1000, 1000); // 1970: older than any build
    point(Date.now());
    expect(currentBuild(pointer)).toBe(dir);
  });

  it('stale when a source changed after the build, or is gone, or there is no build', () => {
    point(Date.now() - 60_000);
    utimesSync(source, new Date(), new Date());
    expect(currentBuild(pointer)).toBeUndefined();
    point(Date.now() + 60_000, [join(dir, 'deleted.ts')]);
    expect(currentBuild(pointer)).toBeUndefined();
    expect(currentBuild(join(dir, 'none.json'))).toBeUndefined();
  });
});
