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
    // the path search is exhaustive here (docs/physics.md §9)
    expect([map.complete, map.incomplete_cells, map.estimated_miss_rate]).toEqual([true, 0, 0]);
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

  it('--best-server: each cell takes the Tx of highest path gain among the single-Tx maps; CSV has the same cells', async () => {
    const base = [
      'radiomap',
      '--scene',
      'public/demo/room.xml',
      '--frequency',
      '28e9',
      ...ARGS2,
      '--backend',
      'cpu',
    ];
    const [a, b] = ['-1.5,-1.5,2.5', '1.5,1.5,2.5'];
    const single = async (tx: string, name: string) => {
      const out = join(dir, name);
      expect((await rftwin([...base, '--tx', tx, '--out', out])).code).toBe(0);
      return JSON.parse(readFileSync(out, 'utf8'));
    };
    const [ma, mb] = [await single(a, 'a.json'), await single(b, 'b.json')];
    const out = join(dir, 'best.json');
    const csv = join(dir, 'best.csv');
    const r = await rftwin([...base, '--tx', a, '--tx', b, '--best-server', '--csv', csv, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('best server of 2 Tx');
    const best = JSON.parse(readFileSync(out, 'utf8'));
    expect(best.best_server).toBe(true);
    expect(best.txs).toEqual([
      [-1.5, -1.5, 2.5],
      [1.5, 1.5, 2.5],
    ]);
    const rows = readFileSync(csv, 'utf8').trimEnd().split('\n');
    const head = rows[0]!.split(',');
    expect(rows).toHaveLength(65);
    for (let i = 0; i < 64; i++) {
      // the files hold rounded gains: on a rounded tie either Tx may serve (the engine compares exact ones)
      const k =
        mb.path_gain_db[i] === ma.path_gain_db[i]
          ? best.serving_tx[i]
          : mb.path_gain_db[i] > ma.path_gain_db[i]
            ? 1
            : 0;
      expect(best.serving_tx[i]).toBe(k);
      expect(best.path_gain_db[i]).toBe((k ? mb : ma).path_gain_db[i]);
      expect(best.rms_delay_spread_ns[i]).toBe((k ? mb : ma).rms_delay_spread_ns[i]);
      const row = rows[i + 1]!.split(',');
      expect(Number(row[head.indexOf('path_gain_db')])).toBe(best.path_gain_db[i]);
      expect(Number(row[head.indexOf('serving_tx')])).toBe(k);
    }
    expect(new Set(best.serving_tx)).toEqual(new Set([0, 1]));
  });

  it('bad input: several --tx without --best-server, serving-tx of one Tx, a reversed --range', async () => {
    const out = join(dir, 'bad.json');
    const two = await rftwin([...ARGS, '--tx', '1,1,2', ...ARGS2, '--out', out]);
    expect(two.code).toBe(2);
    expect(two.stderr).toMatch(/2 --tx given.*--best-server/);
    const serving = await rftwin([...ARGS, ...ARGS2, '--metric', 'serving-tx', '--out', out]);
    expect(serving.code).toBe(2);
    expect(serving.stderr).toMatch(/serving-tx needs --best-server/);
    const range = await rftwin([...ARGS, ...ARGS2, '--range', '-40,-90', '--out', out]);
    expect(range.code).toBe(2);
    expect(range.stderr).toMatch(/--range: .*min < max/);
  });
});
