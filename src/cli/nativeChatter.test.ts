import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createChatterFilter } from '../../bin/native-chatter.mjs';
import { REPO_ROOT, sionnaScenePath } from '../test/paths.ts';

/** What Dawn, the Vulkan loader and SwiftShader print while an adapter starts (seen on this machine). */
const CHATTER = [
  'error: XDG_RUNTIME_DIR is invalid or not set in the environment.',
  'Warning: Vulkan shaderUniform*ArrayDynamicIndexing required.',
  ' - While initializing adapter (backend=BackendType::Vulkan)',
  '    at InitializeImpl (/home/runner/work/node-webgpu/node-webgpu/third_party/dawn/src/dawn/native/vulkan/PhysicalDeviceVk.cpp:257)',
  '',
];

describe('native WebGPU chatter', () => {
  it('the filter drops it and keeps everything else, progress lines ended by \\r included', () => {
    const out: string[] = [];
    const f = createChatterFilter((t: string) => out.push(t));
    const text = [
      'radiomap: box, 10×10 = 100 cells',
      ...CHATTER,
      'radiomap: 50/100 cells\r',
      'warning: a real warning',
      'rftwin radiomap: x.json: bad',
    ].join('\n');
    // in awkward pieces, as a pipe delivers them
    for (let i = 0; i < text.length; i += 7) f.push(text.slice(i, i + 7));
    f.end();
    expect(out.join('')).toBe(
      'radiomap: box, 10×10 = 100 cells\nradiomap: 50/100 cells\r\nwarning: a real warning\nrftwin radiomap: x.json: bad',
    );
  });

  const dir = mkdtempSync(join(tmpdir(), 'rftwin-chatter-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const radiomap = (extra: string[]) =>
    spawnSync(
      process.execPath,
      [
        join(REPO_ROOT, 'bin', 'rftwin.mjs'),
        'radiomap',
        '--scene',
        sionnaScenePath('box'),
        '--frequency',
        '28e9',
        '--tx',
        '0,0,1',
        '--plane',
        'z=1',
        '--cell',
        '2',
        '--max-depth',
        '1',
        '--backend',
        'webgpu',
        '--out',
        join(dir, 'map.json'),
        '--force',
        ...extra,
      ],
      { encoding: 'utf8', env: { ...process.env, XDG_RUNTIME_DIR: '' } },
    );

  it('a WebGPU radio map prints only rftwin’s own lines; --verbose shows the native ones', () => {
    const quiet = radiomap([]);
    expect(quiet.status).toBe(0);
    const ranOnWebGpu = /^radiomap: 25\/25 cells \(100\.0 %\), .*, webgpu, /m;
    expect(quiet.stderr).toMatch(ranOnWebGpu);
    expect(quiet.stderr).not.toMatch(/XDG_RUNTIME_DIR|Warning: Vulkan|InitializeImpl|While initializing/);
    const verbose = radiomap(['--verbose']);
    expect(verbose.status).toBe(0);
    // what Dawn says depends on the machine's drivers; the run is the same
    expect(verbose.stderr).toMatch(ranOnWebGpu);
  });
});
