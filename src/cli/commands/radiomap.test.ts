import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { unzlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../engine/core/image.ts';

/**
 * `rftwin radiomap` run as a person runs it (bin/rftwin.mjs: tsx + the *.wgsl?raw loader hook),
 * in a child process so that the adapter detection starts from a clean environment.
 */
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'rftwin-radiomap-'));
const ARGS = ['radiomap', '--scene', 'public/demo/room.xml', '--frequency', '28e9', '--tx', '0.3,0.2,2.5'];
const ARGS2 = ['--plane', 'z=1.5', '--bounds', '-2,-2,2,2', '--cell', '0.5', '--max-depth', '1'];

async function rftwin(args: string[], env: Record<string, string> = {}) {
  try {
    const r = await run('node', ['bin/rftwin.mjs', ...args], {
      env: { ...process.env, ...env },
      timeout: 600_000,
    });
    return { code: 0, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stderr: string };
    return { code: err.code, stderr: err.stderr };
  }
}

/** Decode the PNG chunks (checking CRCs) and return IHDR size and the inflated image data. */
function readPng(bytes: Uint8Array) {
  expect(Array.from(bytes.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  let o = 8;
  let width = 0;
  let height = 0;
  const idat: Uint8Array[] = [];
  while (o < bytes.length) {
    const len = view.getUint32(o);
    const type = String.fromCharCode(...bytes.subarray(o + 4, o + 8));
    expect(view.getUint32(o + 8 + len)).toBe(crc32(bytes.subarray(o + 4, o + 8 + len)));
    if (type === 'IHDR') {
      width = view.getUint32(o + 8);
      height = view.getUint32(o + 12);
    }
    if (type === 'IDAT') idat.push(bytes.subarray(o + 8, o + 8 + len));
    o += 12 + len;
  }
  const raw = unzlibSync(idat.length === 1 ? idat[0]! : Uint8Array.from(idat.flatMap((c) => Array.from(c))));
  return { width, height, raw };
}

describe('rftwin radiomap', () => {
  it('webgpu: writes the map JSON and a PNG with a colour bar, reports the adapter and progress', async () => {
    const out = join(dir, 'map.json');
    const png = join(dir, 'map.png');
    const r = await rftwin([...ARGS, ...ARGS2, '--backend', 'webgpu', '--out', out, '--png', png]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/radiomap: 64\/64 cells \(100\.0 %\)/);
    expect(r.stderr).toMatch(/radiomap: backend WebGPU \(.*\) \(WebGPU requested\) on .* via Dawn/);
    const map = JSON.parse(readFileSync(out, 'utf8'));
    expect([map.nx, map.ny]).toEqual([8, 8]);
    expect(map.backend).toBe('webgpu');
    expect(map.path_gain_db).toHaveLength(64);
    // every cell sees the transmitter (no obstacle between z = 1.5 m cells and a 2.5 m Tx)
    expect(map.los.every((v: number) => v === 1)).toBe(true);
    const { width, height, raw } = readPng(readFileSync(png));
    expect(raw.length).toBe((4 * width + 1) * height);
    expect(width).toBeGreaterThan(height); // map plus colour bar and labels on the right
  });

  it('no adapter: --backend webgpu fails clearly, --backend auto falls back to the CPU and says so', async () => {
    const env = {
      VK_ICD_FILENAMES: '/nonexistent/icd.json',
      RFTWIN_SWIFTSHADER_ICD: '/nonexistent/icd.json',
    };
    const out = join(dir, 'auto.json');
    const gpu = await rftwin([...ARGS, ...ARGS2, '--backend', 'webgpu', '--out', out], env);
    expect(gpu.code).toBe(1);
    expect(gpu.stderr).toMatch(/no WebGPU adapter/);
    const auto = await rftwin([...ARGS, ...ARGS2, '--backend', 'auto', '--out', out], env);
    expect(auto.code).toBe(0);
    expect(auto.stderr).toMatch(/radiomap: backend CPU \(auto: no WebGPU adapter/);
    expect(JSON.parse(readFileSync(out, 'utf8')).backend).toBe('cpu');
  });

  it('near field: a cell 1 cm from the Tx is listed in near_field_cells and warned about', async () => {
    // 3 × 3 cells of 0.5 m in the Tx's plane; the centre cell's centre is (0.31, 0.2, 2.5)
    const out = join(dir, 'near.json');
    const r = await rftwin([
      ...ARGS,
      ...['--plane', 'z=2.5', '--bounds', '-0.44,-0.55,1.06,0.95', '--cell', '0.5', '--max-depth', '1'],
      ...['--backend', 'cpu', '--out', out],
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/radiomap: warning: 1 cell\(s\) within 3 wavelengths .* not valid/);
    expect(JSON.parse(readFileSync(out, 'utf8')).near_field_cells).toEqual([4]);
  });

  it('bad input: a plane that is not horizontal is a usage error', async () => {
    const r = await rftwin([...ARGS, '--plane', 'x=1', '--cell', '0.5', '--out', join(dir, 'x.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--plane must be z=HEIGHT/);
  });
});
