import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { runCli } from '../../test/cli.ts';
import { DEMO_ROOM_PATH } from '../../test/paths.ts';
import { main } from '../main.ts';

const dir = mkdtempSync(join(tmpdir(), 'rftwin-beams-'));
writeFileSync(join(dir, 'rx.csv'), 'rx_x,rx_y,rx_z\n3,1,1.3\n-3,2,1.3\n2,-3.5,1.3\n');

let stderr: MockInstance;
let messages: string[];
beforeEach(() => {
  messages = [];
  stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    messages.push(String(chunk));
    return true;
  });
});
afterEach(() => stderr.mockRestore());

const base = (out: string, ...extra: string[]) => [
  'beams',
  '--scene',
  DEMO_ROOM_PATH,
  '--frequency',
  '28e9',
  '--tx',
  '0,0,2.5',
  '--rx-file',
  join(dir, 'rx.csv'),
  '--max-depth',
  '2',
  '--backend',
  'cpu',
  '--out',
  out,
  ...extra,
];

interface BeamsJson {
  link_budget: { noise_power_dbm: number; mac_efficiency: number };
  tx_beams: { beams: unknown[] };
  links: {
    best_tx_beam: number;
    best_rx_beam: number;
    gain_db: number;
    snr_db: number;
    mcs: number | null;
    phy_rate_mbps: number;
    throughput_mbps: number;
    evaluations: number;
    gain_matrix_db?: number[][];
  }[];
}

describe('rftwin beams (issue 15)', () => {
  it('writes per link the best pair of the gain matrix, its SNR, MCS and throughput', async () => {
    const out = join(dir, 'beams.json');
    const code = await main(
      base(
        out,
        '--tx-array',
        '8x8',
        '--rx-array',
        '4x4',
        '--codebook',
        'dft',
        '--tx-orientation',
        '0,60,0',
        '--matrix',
        '--mac-efficiency',
        '0.6',
      ),
    );
    expect(code, messages.join('')).toBe(0);
    const json = JSON.parse(readFileSync(out, 'utf8')) as BeamsJson;
    expect(json.tx_beams.beams).toHaveLength(64);
    expect(json.link_budget.noise_power_dbm).toBeCloseTo(-174 + 10 * Math.log10(2.16e9) + 10, 9);
    expect(json.links).toHaveLength(3);
    for (const l of json.links) {
      const m = l.gain_matrix_db!;
      expect(m).toHaveLength(64);
      expect(m[0]).toHaveLength(16);
      const flat = m.flat();
      expect(Math.max(...flat)).toBe(l.gain_db);
      expect(m[l.best_tx_beam]![l.best_rx_beam]).toBe(l.gain_db);
      expect(l.snr_db).toBeCloseTo(l.gain_db - json.link_budget.noise_power_dbm, 9);
      expect(l.throughput_mbps).toBeCloseTo(l.phy_rate_mbps * 0.6, 9);
      expect(l.evaluations).toBe(1024);
    }
  });

  it('--backend webgpu: the exhaustive search runs in WGSL and picks what the CPU picks', () => {
    const run = (backend: string) => {
      const out = join(dir, `beams-${backend}.json`);
      const args = base(out, '--tx-array', '8x8', '--rx-array', '4x4', '--codebook', 'dft', '--force');
      args[args.indexOf('--backend') + 1] = backend;
      const r = runCli(args);
      expect(r.status, r.stderr).toBe(0);
      return { json: JSON.parse(readFileSync(out, 'utf8')) as BeamsJson, stderr: r.stderr };
    };
    const cpu = run('cpu');
    const gpu = run('webgpu');
    expect(gpu.stderr).toMatch(/beam search on WebGPU/);
    expect(cpu.stderr).not.toMatch(/on WebGPU/);
    gpu.json.links.forEach((l, i) => {
      const c = cpu.json.links[i]!;
      // float32 fields and search: the same pair, the gain within 1e-3 dB
      expect([l.best_tx_beam, l.best_rx_beam]).toEqual([c.best_tx_beam, c.best_rx_beam]);
      expect(Math.abs(l.gain_db - c.gain_db)).toBeLessThan(1e-3);
      expect(l.mcs).toBe(c.mcs);
    });
  });

  it('hierarchical search evaluates Nt + Nr pairs and never beats the exhaustive one', async () => {
    const ex = join(dir, 'ex.json');
    const hi = join(dir, 'hi.json');
    const flags = [
      '--tx-array',
      '8',
      '--rx-array',
      '1',
      '--codebook',
      'sectors:12',
      '--rx-codebook',
      'horns:8',
    ];
    expect(await main(base(ex, ...flags))).toBe(0);
    expect(await main(base(hi, ...flags, '--search', 'hierarchical'))).toBe(0);
    const e = JSON.parse(readFileSync(ex, 'utf8')) as BeamsJson;
    const h = JSON.parse(readFileSync(hi, 'utf8')) as BeamsJson;
    h.links.forEach((l, i) => {
      expect(l.evaluations).toBe(12 + 8);
      expect(l.gain_db).toBeLessThanOrEqual(e.links[i]!.gain_db + 1e-12);
    });
  });

  it('a codebook file with a bad beam: one line naming the file, beam and element; nothing written', async () => {
    const book = join(dir, 'book.json');
    const w = Array.from({ length: 4 }, () => [0.5, 0]);
    writeFileSync(
      book,
      JSON.stringify({ beams: [{ label: 'ok', weights: w }, { weights: [...w.slice(0, 3), [0.5, 'x']] }] }),
    );
    const out = join(dir, 'bad.json');
    const code = await main(base(out, '--tx-array', '4', '--rx-array', '2x2', '--codebook', book));
    expect(code).toBe(1);
    const text = messages.join('');
    expect(text).toMatch(/book\.json: beam 1, element 3: expected \[re, im\] of two finite numbers/);
    expect(existsSync(out)).toBe(false);
    // unnormalised weights are refused, not rescaled
    writeFileSync(book, JSON.stringify({ beams: [{ weights: w.map(([a]) => [2 * a!, 0]) }] }));
    messages.length = 0;
    expect(await main(base(out, '--tx-array', '4', '--rx-array', '2x2', '--codebook', book))).toBe(1);
    expect(messages.join('')).toMatch(/beam 0: the weights' power Σ\|w\|² is 4\.00000; expected 1/);
  });

  it('bad flags are usage errors (exit 2) in one line', async () => {
    const out = join(dir, 'x.json');
    for (const [flags, pattern] of [
      [['--tx-array', '8x', '--codebook', 'dft'], /--tx-array: array size must be NY or NYxNZ/],
      [['--codebook', 'fft'], /codebook must be dft \| sectors:K/],
      [['--codebook', 'dft', '--mac-efficiency', '1.5'], /MAC efficiency must be within \(0, 1\]/],
      [['--codebook', 'dft', '--search', 'greedy'], /--search must be one of exhaustive, hierarchical/],
      [['--tx-array', '100x100', '--codebook', 'dft'], /above the limit of 4096/],
    ] as const) {
      messages.length = 0;
      expect(await main(base(out, ...flags))).toBe(2);
      const text = messages.join('');
      expect(text).toMatch(pattern);
      expect(text.trim().split('\n')).toHaveLength(1);
    }
    expect(existsSync(out)).toBe(false);
  });

  it('radiomap --metric snr: every cell has the best pair and SNR rftwin beams gives at its centre', async () => {
    const flags = [
      '--tx-array',
      '4x4',
      '--rx-array',
      '2x2',
      '--codebook',
      'dft',
      '--max-depth',
      '2',
      '--backend',
      'cpu',
    ];
    const mapOut = join(dir, 'map.json');
    const code = await main([
      'radiomap',
      '--scene',
      DEMO_ROOM_PATH,
      '--frequency',
      '28e9',
      '--tx',
      '0,0,2.5',
      '--plane',
      'z=1.3',
      '--bounds',
      '1,1,3,2',
      '--cell',
      '1',
      '--metric',
      'snr',
      ...flags,
      '--out',
      mapOut,
    ]);
    expect(code, messages.join('')).toBe(0);
    const map = JSON.parse(readFileSync(mapOut, 'utf8')) as {
      nx: number;
      best_tx_beam: number[];
      best_rx_beam: number[];
      snr_db: number[];
      metric_shown: string;
    };
    expect(map.metric_shown).toBe('snr');
    expect(map.snr_db).toHaveLength(2);
    writeFileSync(join(dir, 'cells.csv'), 'rx_x,rx_y,rx_z\n1.5,1.5,1.3\n2.5,1.5,1.3\n');
    const out = join(dir, 'cells.json');
    const code2 = await main([
      'beams',
      '--scene',
      DEMO_ROOM_PATH,
      '--frequency',
      '28e9',
      '--tx',
      '0,0,2.5',
      '--rx-file',
      join(dir, 'cells.csv'),
      ...flags,
      '--out',
      out,
    ]);
    expect(code2, messages.join('')).toBe(0);
    const links = (JSON.parse(readFileSync(out, 'utf8')) as BeamsJson).links;
    links.forEach((l, i) => {
      expect(map.best_tx_beam[i]).toBe(l.best_tx_beam);
      expect(map.best_rx_beam[i]).toBe(l.best_rx_beam);
      expect(Math.abs(map.snr_db[i]! - l.snr_db)).toBeLessThan(1e-3);
    });
  });
});
