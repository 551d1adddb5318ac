/**
 * Writes the demo twin's synthetic soundings (public/demo/soundings.csv) and the truth they
 * were made from (public/demo/truth.json): paper 003's experiment — conductivities
 * σ = ITU(28 GHz) × (1 + δ) with |δ| ≤ 0.5, 5 Tx × 10 Rx, 1 dB power and 1 ns delay-spread noise.
 * Run: node bin/run-ts.mjs scripts/make-demo-soundings.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ituParameters } from '../src/engine/materials/itu.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const demo = join(root, 'public', 'demo');
const delta: Record<string, number> = {
  brick: 0.3,
  wood: -0.25,
  concrete: 0.4,
  marble: -0.35,
  chipboard: 0.2,
};
const truth = {
  note: 'conductivity = ITU-R P.2040 value at 28 GHz × (1 + δ); δ per material below',
  delta,
  materials: Object.fromEntries(
    Object.entries(delta).map(([m, d]) => [
      `itu_${m}`,
      { conductivity: ituParameters(m, 28e9).conductivity * (1 + d) },
    ]),
  ),
};
writeFileSync(join(demo, 'truth.json'), `${JSON.stringify(truth, null, 2)}\n`);
const rx = [
  [-4, 0.5, 1.5],
  [-1.5, 3.2, 1.2],
  [0.5, 4.3, 1.6],
  [4.2, 0.8, 1.3],
  [1.8, -3.5, 1.5],
  [-2.2, -4.4, 1.1],
  [-0.8, -1.6, 1.4],
  [2.2, 1.6, 1.5],
  [-4.3, 4.2, 1.2],
  [4.4, -4.1, 1.0],
];
const dir = mkdtempSync(join(tmpdir(), 'rftwin-demo-'));
writeFileSync(join(dir, 'rx.csv'), `rx_x,rx_y,rx_z\n${rx.map((p) => p.join(',')).join('\n')}\n`);
const tx = ['0,0,2.5', '-4,-4,2.5', '4,4,2.5', '-4,4,2.5', '4,-4,2.5'];
const r = spawnSync(
  process.execPath,
  [
    join(root, 'bin', 'rftwin.mjs'),
    'synth',
    '--scene',
    join(demo, 'room.xml'),
    '--frequency',
    '28e9',
    '--materials',
    join(demo, 'truth.json'),
    ...tx.flatMap((t) => ['--tx', t]),
    '--rx-file',
    join(dir, 'rx.csv'),
    '--noise-db',
    '1',
    '--noise-ns',
    '1',
    '--seed',
    '1',
    '--out',
    join(demo, 'soundings.csv'),
  ],
  { stdio: 'inherit' },
);
process.exit(r.status ?? 1);
