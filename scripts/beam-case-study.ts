/**
 * Beam-selection case study (issue 15; paper 000 §6.8 following SpaceBeam): how much a calibrated
 * twin is worth for choosing beams. Writes bench/results/beam-case-study.json and
 * bench/results/beam-case-study.md (the table in the README).
 *
 * Three twins of the demo room (public/demo/room.xml) at 28 GHz:
 * - measured: the "real" room — public/demo/survey-truth.json (conductivities ITU × (1 + δ),
 *   roughness S = 0.085–0.4) with diffuse scattering traced;
 * - uncalibrated: ITU-R P.2040 values, specular only (no diffuse scattering);
 * - calibrated: `rftwin calibrate` (conductivity and scattering coefficient of every material)
 *   from SOUNDINGS soundings of the measured twin (the demo's five sounder positions in turn,
 *   receivers at seeded random positions) made by `rftwin synth` (0.5 dB / 0.5 ns noise),
 *   then traced like the measured one; only estimates the calibration reports calibrated
 *   (identified, relative std within its bound) are used, the others stay at their ITU value.
 * An access point on the west wall (1.2 m) with an 8×8 DFT array, a receiver with a 4×4 DFT array
 * facing it, on a grid of positions 0.5 m high (the 1 m boxes shadow some). Each twin picks its best pair per position (exhaustive);
 * the pair is then used in the measured room: its throughput there, the loss against the
 * measured room's own best pair, and whether the pair is the same.
 * Every step is seeded: the script writes the same files every time.
 * Run: node bin/run-ts.mjs scripts/beam-case-study.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BeamLink, BeamResponder, dftCodebook, linkRate } from '../src/engine/beams/index.ts';
import type { LinkBudget } from '../src/engine/beams/mcs.ts';
import { withMaterialValues } from '../src/engine/calibrate/sceneModel.ts';
import { Channel, channelSettings } from '../src/engine/channel/index.ts';
import { seededRandom } from '../src/engine/core/random.ts';
import type { Vec3 } from '../src/engine/core/vec3.ts';
import { parseMaterialsJson } from '../src/engine/io/materialsJson.ts';
import { resolveSceneMaterials } from '../src/engine/materials/radioMaterial.ts';
import { nodeFileSource } from '../src/engine/node/nodeFileSource.ts';
import { loadScene } from '../src/engine/scene/load.ts';
import { buildBvh } from '../src/engine/tracer/bvh.ts';
import { objectContaining } from '../src/engine/tracer/insideSolid.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const demo = join(root, 'public', 'demo');
const scenePath = join(demo, 'room.xml');
const results = join(root, 'bench', 'results');

const FREQUENCY = 28e9;
const AP: Vec3 = [-4.5, 0, 1.2];
/** AP array 1.2 m high facing +x, tilted 5° down; receiver facing the AP (−x) */
const AP_ORIENTATION: [number, number, number] = [0, (5 * Math.PI) / 180, 0];
const RX_ORIENTATION: [number, number, number] = [Math.PI, 0, 0];
/** below the 1 m boxes: the boxes shadow the positions behind them (NLoS, as paper 000's lobby) */
const RX_HEIGHT = 0.5;
const GRID_STEP = 0.5;
const SOUNDINGS = 24;
const SCATTERING_RAYS = 2000;
/**
 * The link budget decides which positions sit near an MCS threshold, so the throughput figures are
 * given for a sweep of Tx powers (the trace and the picks do not depend on it): at the low end
 * only LoS positions are served, at the high end the shadowed (NLoS) positions are in the MCS range
 * too. +20 dBm with the 8×8 array (≈ 18 dBi) is an EIRP of ≈ 38 dBm, within 802.11ad's limits.
 */
const TX_POWERS_DBM = [-20, -10, 0, 10, 20];
const BUDGET: Omit<LinkBudget, 'txPowerDbm'> = { noiseFigureDb: 10, bandwidthHz: 2.16e9, macEfficiency: 0.7 };
/** Channel of every twin: depth 2, LoS + reflection + transmission, no diffraction. */
const COMMON = { frequencyHz: FREQUENCY, maxDepth: 2, diffraction: false, scatteringRays: SCATTERING_RAYS };
const CLI_CHANNEL = [
  '--frequency',
  '28e9',
  '--max-depth',
  '2',
  '--no-diffraction',
  '--scattering-rays',
  String(SCATTERING_RAYS),
  '--backend',
  'cpu',
];

const scene = await loadScene(nodeFileSource, scenePath);
const bvh = buildBvh(scene);
const itu = resolveSceneMaterials(scene.materials, FREQUENCY);
const truthFile = join(demo, 'survey-truth.json');
const measured = withMaterialValues(itu, parseMaterialsJson(readFileSync(truthFile), truthFile), truthFile);

// receivers: a grid at 0.5 m height, 0.5 m from the walls, not inside furniture, not at the AP
const outside = (p: Vec3) => objectContaining(scene, bvh, p) < 0;
const grid: Vec3[] = [];
for (let x = -4; x <= 4.5 + 1e-9; x += GRID_STEP)
  for (let y = -4.5; y <= 4.5 + 1e-9; y += GRID_STEP) {
    const p: Vec3 = [Number(x.toFixed(2)), Number(y.toFixed(2)), RX_HEIGHT];
    if (outside(p)) grid.push(p);
  }

// soundings of the measured twin at seeded random positions, then `rftwin calibrate`
const random = seededRandom(15);
const sounded: Vec3[] = [];
while (sounded.length < SOUNDINGS) {
  const p: Vec3 = [
    Number((-4 + 8.5 * random()).toFixed(2)),
    Number((-4.5 + 9 * random()).toFixed(2)),
    RX_HEIGHT,
  ];
  if (outside(p)) sounded.push(p);
}
// CASE_DIR keeps the soundings and the calibration for inspection
const dir = process.env.CASE_DIR ?? mkdtempSync(join(tmpdir(), 'rftwin-beam-case-'));
// sounded from the demo's five transmitter positions in turn (public/demo soundings campaign)
const SOUNDER_TX: Vec3[] = [
  [0, 0, 2.5],
  [-4, -4, 2.5],
  [4, 4, 2.5],
  [-4, 4, 2.5],
  [4, -4, 2.5],
];
writeFileSync(
  join(dir, 'links.csv'),
  `tx_x,tx_y,tx_z,rx_x,rx_y,rx_z\n${sounded.map((p, i) => [...SOUNDER_TX[i % SOUNDER_TX.length]!, ...p].join(',')).join('\n')}\n`,
);
const rftwin = (args: string[]) => {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'rftwin.mjs'), ...args], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
rftwin([
  'synth',
  '--scene',
  scenePath,
  ...CLI_CHANNEL,
  '--materials',
  truthFile,
  '--rx-file',
  join(dir, 'links.csv'),
  '--noise-db',
  '0.5',
  '--noise-ns',
  '0.5',
  '--seed',
  '1',
  '--out',
  join(dir, 'soundings.csv'),
]);
// start from ITU conductivities and S = 0.2 (the ITU S = 0 is the edge of S's range: no gradient moves it)
writeFileSync(
  join(dir, 'init.json'),
  JSON.stringify({
    materials: Object.fromEntries(
      Object.entries(itu).map(([id, m]) => [
        id,
        { conductivity: m.conductivity, scattering_coefficient: 0.2 },
      ]),
    ),
  }),
);
rftwin([
  'calibrate',
  '--scene',
  scenePath,
  ...CLI_CHANNEL,
  '--soundings',
  join(dir, 'soundings.csv'),
  '--params',
  'conductivity,scattering_coefficient',
  '--init',
  join(dir, 'init.json'),
  '--out',
  join(dir, 'calibrated.json'),
]);
const calibration = JSON.parse(readFileSync(join(dir, 'calibrated.json'), 'utf8')) as {
  materials: Record<string, Record<string, number | boolean>>;
};
// only what the calibration reports calibrated (identified and precise enough): the rest stays at ITU
const identified: Record<string, { conductivity?: number; scattering_coefficient?: number }> = {};
const estimates: Record<string, Record<string, number | boolean | null>> = {};
for (const [id, m] of Object.entries(calibration.materials)) {
  identified[id] = {};
  estimates[id] = {};
  for (const k of ['conductivity', 'scattering_coefficient'] as const) {
    const ok = m[`${k}_calibrated`] === true && typeof m[k] === 'number';
    estimates[id][k] = typeof m[k] === 'number' ? m[k] : null;
    estimates[id][`${k}_used`] = ok;
    if (ok) identified[id][k] = m[k] as number;
  }
}
const calibratedFile = join(dir, 'identified.json');
writeFileSync(calibratedFile, JSON.stringify({ materials: identified }));
const calibrated = withMaterialValues(
  itu,
  parseMaterialsJson(readFileSync(calibratedFile), calibratedFile),
  calibratedFile,
);

// the beams: AP 8×8 DFT, receiver 4×4 DFT, tr38901 elements
const txSet = dftCodebook({
  ny: 8,
  nz: 8,
  spacing: 0.5,
  element: { pattern: 'tr38901', polarization: 'V', orientation: AP_ORIENTATION },
});
const rxSet = dftCodebook({
  ny: 4,
  nz: 4,
  spacing: 0.5,
  element: { pattern: 'tr38901', polarization: 'V', orientation: RX_ORIENTATION },
});
const tx = new BeamResponder(txSet);
const rx = new BeamResponder(rxSet);
const antennas = { txAntenna: txSet.array.element, rxAntenna: rxSet.array.element };

async function beamLinks(
  materials: typeof itu,
  scattering: boolean,
): Promise<{ beams: BeamLink[]; los: boolean[] }> {
  const channel = await Channel.open(scene, channelSettings({ ...COMMON, ...antennas, scattering }), {
    backend: 'cpu',
  });
  const links = await channel.traceLinks(
    grid.map((p) => ({ tx: AP, rx: p })),
    materials,
  );
  return {
    beams: links.map(
      (l) => new BeamLink(l.paths, tx, rx, { frequencyHz: FREQUENCY, bandwidthHz: BUDGET.bandwidthHz }),
    ),
    los: links.map((l) => l.metrics.los),
  };
}
const t0 = performance.now();
const measuredLinks = await beamLinks(measured, true);
const twins = {
  measured: measuredLinks.beams,
  uncalibrated: (await beamLinks(itu, false)).beams,
  calibrated: (await beamLinks(calibrated, true)).beams,
};
/** positions without a LoS path in the measured room (the boxes shadow them) */
const nlos = measuredLinks.los.map((l) => !l);
const nlosCount = nlos.filter(Boolean).length;
const traceSeconds = (performance.now() - t0) / 1000;

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const mean = (v: number[]) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : 0);
const onNlos = <T>(v: T[]) => v.filter((_, i) => nlos[i]);

// each twin's pick per position and what that pair gives in the measured room (budget-free)
const truthBest = twins.measured.map((l) => l.exhaustive());
const picks = Object.entries(twins).map(([name, links]) => {
  const same: boolean[] = [];
  const real: number[] = [];
  const predictionErrorDb: number[] = [];
  links.forEach((l, i) => {
    const pick = l.exhaustive();
    const truth = truthBest[i]!;
    same.push(pick.tx === truth.tx && pick.rx === truth.rx);
    real.push(twins.measured[i]!.gain(pick.tx, pick.rx));
    predictionErrorDb.push(Math.abs(10 * Math.log10(pick.gain / real[i]!)));
  });
  const beamLossDb = real.map((g, i) => 10 * Math.log10(truthBest[i]!.gain / g));
  return { name, same, real, beamLossDb, predictionErrorDb };
});
const beamRows = picks.map((p) => ({
  twin: p.name,
  same_best_pair_percent: (100 * p.same.filter(Boolean).length) / p.same.length,
  same_best_pair_nlos_percent: nlosCount ? (100 * onNlos(p.same).filter(Boolean).length) / nlosCount : null,
  mean_beam_loss_db: mean(p.beamLossDb),
  mean_beam_loss_nlos_db: nlosCount ? mean(onNlos(p.beamLossDb)) : null,
  max_beam_loss_db: Math.max(...p.beamLossDb),
  median_prediction_error_db: median(p.predictionErrorDb),
}));

// throughput in the measured room with each twin's pick, for every Tx power
const throughputRows = TX_POWERS_DBM.flatMap((txPowerDbm) => {
  const mbps = (g: number) => linkRate(g, { ...BUDGET, txPowerDbm }).throughputBps / 1e6;
  const best = truthBest.map((b) => mbps(b.gain));
  return picks.map((p) => {
    const achieved = p.real.map(mbps);
    const loss = achieved.map((a, i) => best[i]! - a);
    const lost = loss.filter((x) => x > 0);
    return {
      tx_power_dbm: txPowerDbm,
      twin: p.name,
      median_throughput_mbps: median(achieved),
      median_throughput_nlos_mbps: nlosCount ? median(onNlos(achieved)) : null,
      mean_throughput_loss_mbps: mean(loss),
      mean_throughput_loss_nlos_mbps: nlosCount ? mean(onNlos(loss)) : null,
      median_throughput_loss_mbps: median(loss),
      positions_with_loss: lost.length,
      median_loss_where_lost_mbps: lost.length ? median(lost) : 0,
    };
  });
});
const lossRatios = TX_POWERS_DBM.map((txPowerDbm) => {
  const row = (twin: string) => throughputRows.find((r) => r.tx_power_dbm === txPowerDbm && r.twin === twin)!;
  const [u, c] = [row('uncalibrated'), row('calibrated')];
  const ratio = (a: number, b: number) => (b > 0 ? a / b : a > 0 ? Infinity : null);
  return {
    tx_power_dbm: txPowerDbm,
    mean: ratio(u.mean_throughput_loss_mbps, c.mean_throughput_loss_mbps),
    median: ratio(u.median_throughput_loss_mbps, c.median_throughput_loss_mbps),
  };
});

const out = {
  note: 'scripts/beam-case-study.ts; docs/physics.md §16; throughput = what the pair a twin chooses achieves in the measured room',
  scene: 'public/demo/room.xml',
  frequency_hz: FREQUENCY,
  ap: AP,
  positions: grid.length,
  nlos_positions: nlosCount,
  soundings: SOUNDINGS,
  tx_beams: 'AP 8×8 tr38901 UPA, DFT (64 beams), facing +x tilted 5° down',
  rx_beams: 'receiver 4×4 tr38901 UPA, DFT (16 beams), facing −x',
  link_budget: { ...BUDGET, tx_powers_dbm: TX_POWERS_DBM },
  channel:
    'depth 2, LoS + specular + transmission, no diffraction; measured and calibrated with diffuse scattering (2000 rays), uncalibrated specular only',
  calibration: estimates,
  trace_seconds: traceSeconds,
  beam_rows: beamRows,
  throughput_rows: throughputRows,
  loss_ratio_uncalibrated_over_calibrated: lossRatios,
};
writeFileSync(join(results, 'beam-case-study.json'), `${JSON.stringify(out, null, 2)}\n`);
const f = (x: number | null, d = 0) => (x === null ? '–' : x === Infinity ? '∞' : x.toFixed(d));
const md = [
  '| twin | same best pair as measured | same best pair, NLoS positions | mean / max beam gain lost (dB) | mean beam gain lost, NLoS (dB) | median error of its predicted gain (dB) |',
  '|---|---|---|---|---|---|',
  ...beamRows.map(
    (r) =>
      `| ${r.twin} | ${f(r.same_best_pair_percent, 1)} % | ${f(r.same_best_pair_nlos_percent, 1)} % of ${nlosCount} | ${f(r.mean_beam_loss_db, 2)} / ${f(r.max_beam_loss_db, 1)} | ${f(r.mean_beam_loss_nlos_db, 2)} | ${f(r.median_prediction_error_db, 2)} |`,
  ),
  '',
  '| Tx power (dBm) | twin | median throughput, all / NLoS (Mb/s) | mean throughput loss, all / NLoS (Mb/s) | median throughput loss (Mb/s) | positions with a loss | median loss where lost (Mb/s) |',
  '|---|---|---|---|---|---|---|',
  ...throughputRows
    .filter((r) => r.twin !== 'measured')
    .map(
      (r) =>
        `| ${r.tx_power_dbm} | ${r.twin} | ${f(r.median_throughput_mbps)} / ${f(r.median_throughput_nlos_mbps)} | ${f(r.mean_throughput_loss_mbps, 1)} / ${f(r.mean_throughput_loss_nlos_mbps, 1)} | ${f(r.median_throughput_loss_mbps, 1)} | ${r.positions_with_loss}/${grid.length} | ${f(r.median_loss_where_lost_mbps)} |`,
    ),
  '',
  `Mean-loss ratio uncalibrated / calibrated: ${lossRatios.map((r) => `${r.tx_power_dbm} dBm ${f(r.mean, 1)}`).join(', ')}.`,
].join('\n');
writeFileSync(join(results, 'beam-case-study.md'), `${md}\n`);
console.error(md);
