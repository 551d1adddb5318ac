import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rememberedNodeAdapter, rememberNodeAdapter } from './adapterMemory.ts';

describe('the remembered WebGPU adapter (Node)', () => {
  let dir: string;
  let file: string;
  const saved = process.env.RFTWIN_ADAPTER_MEMORY;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rftwin-adapter-'));
    file = join(dir, 'adapter.json');
    process.env.RFTWIN_ADAPTER_MEMORY = file;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.RFTWIN_ADAPTER_MEMORY;
    else process.env.RFTWIN_ADAPTER_MEMORY = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives back what was remembered on this machine, within a day', () => {
    expect(rememberedNodeAdapter()).toBeUndefined();
    rememberNodeAdapter({ available: true, software: true }, 1_000);
    expect(rememberedNodeAdapter(1_000 + 3600e3)).toEqual({ available: true, software: true });
    rememberNodeAdapter({ available: false, software: false, problem: 'no adapter' }, 1_000);
    expect(rememberedNodeAdapter(2_000)).toEqual({
      available: false,
      software: false,
      problem: 'no adapter',
    });
    // a day later the adapter is asked again (a new driver or GPU is seen)
    expect(rememberedNodeAdapter(1_000 + 24 * 3600e3)).toBeUndefined();
  });

  it('forgets it for another machine, a corrupt file or a wrong shape; `off` keeps nothing', () => {
    rememberNodeAdapter({ available: true, software: false }, 0);
    const m = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...m, key: m.key.replace('"host":', '"host":"other-') }));
    expect(rememberedNodeAdapter(0)).toBeUndefined();
    writeFileSync(file, '{"key":');
    expect(rememberedNodeAdapter(0)).toBeUndefined();
    writeFileSync(file, JSON.stringify({ ...m, facts: { available: 'yes', software: false } }));
    expect(rememberedNodeAdapter(0)).toBeUndefined();
    process.env.RFTWIN_ADAPTER_MEMORY = 'off';
    rememberNodeAdapter({ available: true, software: false }, 0);
    expect(rememberedNodeAdapter(0)).toBeUndefined();
  });
});
