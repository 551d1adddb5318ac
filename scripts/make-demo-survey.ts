/**
 * Writes public/demo/survey.csv: a dense, planned survey of the demo twin from which calibration
 * identifies every material's conductivity (the demo's soundings.csv, paper 003's 50 links at
 * 1 dB, identify only the brick): the 100 Tx–Rx links `rftwin plan` chooses for the five
 * conductivities among the 5 demo transmitters × a 0.5 m receiver grid at 1.3 m, synthesised by
 * `rftwin synth` with 0.05 dB and 0.05 ns noise (seed 1) from public/demo/survey-truth.json:
 * truth.json's conductivities and the roughness the surfaces are rendered with (classTextures.ts
 * CLASS_ROUGHNESS: brick and concrete rough, wood and chipboard slightly rough, marble smooth),
 * as S at its Table 2 range centre. Channel: LoS, reflection and transmission to depth 2; no
 * diffraction and no diffuse paths, the specular reflections carrying the √(1 − S²) the
 * roughness leaves them (scattered paths multiply the calibration's cost by ~100 on this room,
 * and σ is what the translator learns). Calibrate with the same settings (studio: Paths depth 2,
 * diffr. and scatter off). A translator is fitted on the demo twin calibrated from it
 * (e2e/13-translator.spec.ts).
 * Run: node bin/run-ts.mjs scripts/make-demo-survey.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLASS_ROUGHNESS } from '../src/engine/vision/classTextures.ts';
import { ROUGHNESS_CLASSES } from '../src/engine/vision/vocabulary.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const demo = join(root, 'public', 'demo');
const dir = mkdtempSync(join(tmpdir(), 'rftwin-survey-'));
const truth = JSON.parse(readFileSync(join(demo, 'truth.json'), 'utf8')) as {
  materials: Record<string, { conductivity: number }>;
};
const roughS = (cls: string) => {
  const [lo, hi] = ROUGHNESS_CLASSES.find((c) => c.label === CLASS_ROUGHNESS[cls])!.scatteringRange;
  return Number(((lo + hi) / 2).toFixed(4));
};
const surveyTruth = {
  note: 'conductivity: public/demo/truth.json; scattering_coefficient: Table 2 range centre of the roughness each surface is rendered with (scripts/make-demo-survey.ts)',
  materials: Object.fromEntries(
    Object.entries(truth.materials).map(([id, m]) => [
      id,
      { conductivity: m.conductivity, scattering_coefficient: roughS(id.replace(/^itu_/, '')) },
    ]),
  ),
};
writeFileSync(join(demo, 'survey-truth.json'), `${JSON.stringify(surveyTruth, null, 2)}\n`);
const grid: string[] = [];
for (let i = 0; i < 19; i++)
  for (let j = 0; j < 19; j++) grid.push(`${-4.5 + 0.5 * i},${-4.5 + 0.5 * j},1.3`);
writeFileSync(join(dir, 'candidates.csv'), `rx_x,rx_y,rx_z\n${grid.join('\n')}\n`);
const tx = ['0,0,2.5', '-4,-4,2.5', '4,4,2.5', '-4,4,2.5', '4,-4,2.5'].flatMap((t) => ['--tx', t]);
const rftwin = (args: string[]) => {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'rftwin.mjs'), ...args], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
const scene = [
  '--scene',
  join(demo, 'room.xml'),
  '--frequency',
  '28e9',
  '--max-depth',
  '2',
  '--no-diffraction',
  '--no-scattering',
];
rftwin([
  'plan',
  ...scene,
  ...tx,
  '--candidates',
  join(dir, 'candidates.csv'),
  '--count',
  '100',
  '--noise-db',
  '0.05',
  '--out',
  join(dir, 'chosen.csv'),
]);
rftwin([
  'synth',
  '--force',
  ...scene,
  '--materials',
  join(demo, 'survey-truth.json'),
  '--rx-file',
  join(dir, 'chosen.csv'),
  '--noise-db',
  '0.05',
  '--noise-ns',
  '0.05',
  '--seed',
  '1',
  '--out',
  join(demo, 'survey.csv'),
]);
