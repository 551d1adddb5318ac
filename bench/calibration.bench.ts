/**
 * Calibration benchmarks on the demo twin (paper 003's room), issue 5 acceptance 2–5:
 *  A. 28 GHz, depth 3, conductivities of all 5 materials unknown, truth = ITU × (1 + δ), |δ| ≤ 0.5,
 *     5 Tx × 10 Rx noise-free, LM from ITU init: iterations, MRE, wall time (20 seeds), and the
 *     CLI end to end (rftwin calibrate, from loading the scene to the result file) vs paper 003's 703 s.
 *  B. 1 dB power + 1 ns delay-spread noise: share of parameters whose truth lies within ±3σ.
 *  C. planned (Bayesian D-optimal) vs random choice of 50 of 400 candidate links (5 Tx × 80 Rx):
 *     MRE under 1 dB / 1 ns noise, 20 seeds.
 *  D. table init (itu/uniform/random) × optimiser (lm/adam) × placement (planned/random).
 * Run by bench/run.ts (`npm run bench -- calibration`), which writes bench/results/calibration.json;
 * the table of D also goes to bench/results/calibration-table.md.
 * Env: CAL_SEEDS (default 20), CAL_TABLE_SEEDS (default 3), CAL_ONLY (comma list of A,B,C,D),
 * CAL_CANDIDATES (candidate Rx per Tx, default 80), CAL_PRIOR_SAMPLES (default 4).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CalibrationError, calibrate, meanRelativeError } from '../src/engine/calibrate/calibrate.ts';
import { type InitKind, initialValues } from '../src/engine/calibrate/initialization.ts';
import type { LossKind } from '../src/engine/calibrate/losses.ts';
import type { OptimizerKind } from '../src/engine/calibrate/optimizers.ts';
import type { TrainableParameter } from '../src/engine/calibrate/parameters.ts';
import { materialsInUse } from '../src/engine/calibrate/pipeline.ts';
import {
  planMeasurements,
  priorAveragedRows,
  priorSamples,
  randomSubset,
} from '../src/engine/calibrate/planning.ts';
import {
  calibrationScatteringObjects,
  sceneForwardModel,
  withMaterialValues,
} from '../src/engine/calibrate/sceneModel.ts';
import { synthesizeSoundings } from '../src/engine/calibrate/synthesize.ts';
import { Channel, type TracedLink } from '../src/engine/channel/channel.ts';
import { cpuBackend } from '../src/engine/channel/cpuBackend.ts';
import { channelSettings, describeSettings } from '../src/engine/channel/settings.ts';
import { seededRandom } from '../src/engine/core/random.ts';
import type { Vec3 } from '../src/engine/core/vec3.ts';
import { writeSoundingsCsv } from '../src/engine/io/soundings.ts';
import { resolveSceneMaterials } from '../src/engine/materials/radioMaterial.ts';
import { nodeFileSource } from '../src/engine/node/nodeFileSource.ts';
import { loadScene } from '../src/engine/scene/load.ts';

export default async function calibrationBench(
  log: (line: string) => void,
): Promise<Record<string, unknown>> {
  const F = 28e9;
  const SCENE = 'public/demo/room.xml';
  const PAPER_003_SECONDS = 703.07; // paper 003, Table 1 (ray-tracing depth 6 row): 703.07 s, 191 iterations
  const SEEDS = Number(process.env.CAL_SEEDS ?? 20);
  const TABLE_SEEDS = Number(process.env.CAL_TABLE_SEEDS ?? 3);
  const ONLY = new Set((process.env.CAL_ONLY ?? 'A,B,C,D').split(','));

  const scene = await loadScene(nodeFileSource, SCENE);
  // paper 003's setup: LoS, reflections and transmissions to depth 3 (no diffraction)
  const settings = channelSettings({ frequencyHz: F, maxDepth: 3, diffraction: false });
  const channel = await Channel.open(scene, settings, { backend: 'cpu' });
  const nominalMaterials = resolveSceneMaterials(scene.materials, F);
  const ids = materialsInUse(scene);
  const params: TrainableParameter[] = ids.map((owner) => ({ owner, name: 'conductivity' }));
  const nominal = Float64Array.from(ids, (id) => nominalMaterials[id]!.conductivity);
  const scatterers = calibrationScatteringObjects(scene, nominalMaterials, params);
  const traceLinks = (links: { tx: Vec3; rx: Vec3 }[]) =>
    channel.trace(links, nominalMaterials, {}, scatterers);

  const BOXES = [
    [-3.5, -2.5, 2, 4],
    [2.5, 3.5, -4, -2],
    [-3.5, -2.5, -4, -2],
    [2.5, 3.5, 2, 4],
  ];
  /** A random point in the room, 0.5 m from the walls and 0.2 m from the boxes. */
  function roomPoint(rnd: () => number, zLow: number, zHigh: number): Vec3 {
    for (;;) {
      const x = -4.5 + 9 * rnd();
      const y = -4.5 + 9 * rnd();
      if (BOXES.some(([a, b, c, d]) => x > a! - 0.2 && x < b! + 0.2 && y > c! - 0.2 && y < d! + 0.2))
        continue;
      return [x, y, zLow + (zHigh - zLow) * rnd()];
    }
  }

  function truthFor(seed: number): Float64Array {
    const rnd = seededRandom(1000 + seed);
    return Float64Array.from(nominal, (s) => s * (1 + (rnd() - 0.5))); // δ uniform in [−0.5, 0.5]
  }

  function linksFor(seed: number, txCount: number, rxPerTx: number): { tx: Vec3; rx: Vec3 }[] {
    const rnd = seededRandom(2000 + seed);
    const txs = Array.from({ length: txCount }, () => roomPoint(rnd, 1.5, 2.5));
    return txs.flatMap((tx) => Array.from({ length: rxPerTx }, () => ({ tx, rx: roomPoint(rnd, 0.5, 2) })));
  }

  async function soundingsFor(
    traced: TracedLink[],
    truth: Float64Array,
    noiseDb: number,
    noiseNs: number,
    seed: number,
  ) {
    const truthMats = withMaterialValues(
      nominalMaterials,
      Object.fromEntries(ids.map((id, k) => [id, { conductivity: truth[k]! }])),
      'truth',
    );
    return synthesizeSoundings(await channel.evaluate(traced, truthMats), {
      frequencyHz: F,
      noiseDb,
      noiseNs,
      seed,
    });
  }

  interface RunOutcome {
    iterations: number;
    mre: number;
    seconds: number;
    stoppedBecause: string;
    refused?: string;
    theta?: Float64Array;
    std?: number[];
  }

  async function runCalibration(
    traced: TracedLink[],
    soundings: ReturnType<typeof synthesizeSoundings>,
    truth: Float64Array,
    o: { optimizer: OptimizerKind; init: InitKind; loss: LossKind; seed: number; maxIterations?: number },
  ): Promise<RunOutcome> {
    const t = performance.now();
    const model = sceneForwardModel(channel, cpuBackend, traced, nominalMaterials, params);
    const { theta: initial } = initialValues(params, { kind: o.init, nominal, seed: o.seed });
    try {
      const r = await calibrate({
        model,
        soundings,
        loss: { kind: o.loss, frequencyHz: F },
        optimizer: o.optimizer,
        initial,
        maxIterations: o.maxIterations,
        prior: { center: nominal, std: 0.5 },
      });
      return {
        iterations: r.iterations,
        mre: meanRelativeError(r.theta, truth),
        seconds: (performance.now() - t) / 1000,
        stoppedBecause: r.stoppedBecause,
        theta: r.theta,
        std: r.uncertainty.parameters.map((u) => u.std),
      };
    } catch (e) {
      if (!(e instanceof CalibrationError)) throw e;
      // refused: the uninformed parameters stay at their initial values
      return {
        iterations: 0,
        mre: meanRelativeError(initial, truth),
        seconds: (performance.now() - t) / 1000,
        stoppedBecause: 'refused',
        refused: e.message,
      };
    }
  }

  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
  const results: Record<string, unknown> = {
    scene: SCENE,
    frequency_hz: F,
    channel: describeSettings(settings),
    parameters: params.map((p) => `${p.owner}.${p.name}`),
    machine: 'shared 2-core CPU (other engineers running concurrently)',
  };

  // A: noise-free LM from ITU init, 5 Tx × 10 Rx.
  if (ONLY.has('A')) {
    const runs: (RunOutcome & { seed: number; trace_s: number; paths: number })[] = [];
    for (let seed = 1; seed <= SEEDS; seed++) {
      const links = linksFor(seed, 5, 10);
      const t = performance.now();
      const traced = await traceLinks(links);
      const traceS = (performance.now() - t) / 1000;
      const truth = truthFor(seed);
      const soundings = await soundingsFor(traced, truth, 0, 0, seed);
      const r = await runCalibration(traced, soundings, truth, {
        optimizer: 'lm',
        init: 'itu',
        loss: 'nae',
        seed,
      });
      runs.push({
        ...r,
        seed,
        trace_s: traceS,
        paths: traced.reduce((s, l) => s + l.geometries.length, 0),
        theta: undefined,
        std: undefined,
      });
      log(
        `A seed ${seed}: ${r.iterations} it, MRE ${(r.mre * 100).toExponential(2)} %, ${r.seconds.toFixed(2)} s calibrate + ${traceS.toFixed(2)} s trace, ${r.stoppedBecause}`,
      );
    }
    // CLI end to end (fresh process: load scene → trace → calibrate → result file), seed 1.
    const dir = mkdtempSync(join(tmpdir(), 'rftwin-cal-'));
    const links = linksFor(1, 5, 10);
    const traced = await traceLinks(links);
    const truth = truthFor(1);
    writeFileSync(join(dir, 's.csv'), writeSoundingsCsv(await soundingsFor(traced, truth, 0, 0, 1)));
    writeFileSync(
      join(dir, 'truth.json'),
      JSON.stringify({ materials: Object.fromEntries(ids.map((id, k) => [id, { conductivity: truth[k] }])) }),
    );
    const t = performance.now();
    execFileSync(
      process.execPath,
      [
        'bin/rftwin.mjs',
        'calibrate',
        '--scene',
        SCENE,
        '--frequency',
        String(F),
        '--soundings',
        join(dir, 's.csv'),
        '--truth',
        join(dir, 'truth.json'),
        '--out',
        join(dir, 'r.json'),
        '--no-diffraction',
      ],
      { stdio: ['ignore', 'ignore', 'ignore'] },
    );
    const cliSeconds = (performance.now() - t) / 1000;
    const cli = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    results.A_noise_free_lm_itu = {
      setup:
        '5 Tx × 10 Rx random in the room, depth 3 (LoS + specular + transmission), NAE on coherent RSS, LM, ITU init',
      seeds: SEEDS,
      max_iterations: Math.max(...runs.map((r) => r.iterations)),
      mean_iterations: mean(runs.map((r) => r.iterations)),
      max_mre_percent: Math.max(...runs.map((r) => r.mre)) * 100,
      all_below_0_1_percent_in_30_iterations: runs.every((r) => r.mre < 1e-3 && r.iterations <= 30),
      mean_calibrate_s: mean(runs.map((r) => r.seconds)),
      mean_trace_s: mean(runs.map((r) => r.trace_s)),
      runs,
      cli_end_to_end: {
        command:
          'node bin/rftwin.mjs calibrate --scene public/demo/room.xml --frequency 28e9 --soundings s.csv --truth truth.json --out r.json --no-diffraction',
        process_wall_s: cliSeconds,
        reported_wall_time_s: cli.wall_time_s,
        iterations: cli.iterations,
        mre_percent: cli.mre * 100,
        paper_003_s: PAPER_003_SECONDS,
        speedup_vs_paper_003: PAPER_003_SECONDS / cliSeconds,
      },
    };
    log(
      `A CLI end to end: ${cliSeconds.toFixed(2)} s (paper 003: ${PAPER_003_SECONDS} s → ×${(PAPER_003_SECONDS / cliSeconds).toFixed(0)})`,
    );
  }

  // B: noise coverage.
  if (ONLY.has('B')) {
    const out: Record<string, unknown> = {};
    for (const loss of ['smape', 'nae'] as LossKind[]) {
      let inside = 0;
      let total = 0;
      const mres: number[] = [];
      const perParam = ids.map(() => 0);
      for (let seed = 1; seed <= SEEDS; seed++) {
        const traced = await traceLinks(linksFor(seed, 5, 10));
        const truth = truthFor(seed);
        const soundings = await soundingsFor(traced, truth, 1, 1, seed);
        const r = await runCalibration(traced, soundings, truth, {
          optimizer: 'lm',
          init: 'itu',
          loss,
          seed,
        });
        if (!r.theta) continue;
        mres.push(r.mre);
        r.theta.forEach((v, k) => {
          total++;
          if (Math.abs(v - truth[k]!) <= 3 * r.std![k]!) {
            inside++;
            perParam[k]!++;
          }
        });
        log(
          `B ${loss} seed ${seed}: MRE ${(r.mre * 100).toFixed(2)} %, z = ${Array.from(r.theta, (v, k) => ((v - truth[k]!) / r.std![k]!).toFixed(2)).join(' ')}`,
        );
      }
      out[loss] = {
        coverage_3sigma: inside / total,
        per_parameter_coverage: Object.fromEntries(
          ids.map((id, k) => [id, perParam[k]! / (total / ids.length)]),
        ),
        mean_mre_percent: mean(mres) * 100,
        runs: mres.length,
      };
    }
    results.B_noise_coverage = {
      setup: '1 dB noise on gains, 1 ns on delay spread, LM from ITU, 5 Tx × 10 Rx',
      seeds: SEEDS,
      ...out,
    };
  }

  // C and D share the candidate sets: 5 Tx × CANDIDATES_PER_TX candidate Rx, choose 50.
  const CANDIDATES_PER_TX = Number(process.env.CAL_CANDIDATES ?? 80);
  const PRIOR_SAMPLES = Number(process.env.CAL_PRIOR_SAMPLES ?? 4);
  async function placements(seed: number) {
    const links = linksFor(seed, 5, CANDIDATES_PER_TX);
    const traced = await traceLinks(links);
    const model = sceneForwardModel(channel, cpuBackend, traced, nominalMaterials, params);
    const rows = await priorAveragedRows(
      (t) => model.evaluate(t),
      params,
      priorSamples(params, nominal, PRIOR_SAMPLES, 0.5, 4000 + seed),
      { metrics: ['coherent_gain_db'], noiseDb: 1 },
    );
    const plan = planMeasurements(rows, params.length, { count: 50, seed });
    const random = randomSubset(traced.length, 50, seededRandom(3000 + seed));
    return { traced, planned: plan.chosen, random, plan };
  }

  if (ONLY.has('C')) {
    const planned: number[] = [];
    const random: number[] = [];
    const gains: { planned_bits: number; random_bits: number }[] = [];
    for (let seed = 1; seed <= SEEDS; seed++) {
      const { traced, planned: p, random: q, plan } = await placements(seed);
      const truth = truthFor(seed);
      const all = await soundingsFor(traced, truth, 1, 1, seed);
      for (const [set, sink] of [
        [p, planned],
        [q, random],
      ] as const) {
        const sub = set.map((i) => traced[i]!);
        const r = await runCalibration(
          sub,
          set.map((i) => all[i]!),
          truth,
          { optimizer: 'lm', init: 'itu', loss: 'nae', seed },
        );
        sink.push(r.mre);
      }
      gains.push({
        planned_bits: plan.informationGain / Math.LN2,
        random_bits: plan.randomInformationGain / Math.LN2,
      });
      log(
        `C seed ${seed}: planned MRE ${(planned.at(-1)! * 100).toFixed(2)} %, random ${(random.at(-1)! * 100).toFixed(2)} %`,
      );
    }
    results.C_planned_vs_random = {
      setup: `50 of ${5 * CANDIDATES_PER_TX} candidate links (5 Tx × ${CANDIDATES_PER_TX} Rx), 1 dB / 1 ns noise, NAE coherent, LM from ITU with prior; planned = greedy Bayesian D-optimal on coherent gain (1 dB), information averaged over ${PRIOR_SAMPLES} prior samples`,
      seeds: SEEDS,
      mean_mre_percent_planned: mean(planned) * 100,
      mean_mre_percent_random: mean(random) * 100,
      planned_better_on_average: mean(planned) < mean(random),
      seeds_where_planned_better: planned.filter((x, i) => x < random[i]!).length,
      mre_percent_planned: planned.map((x) => x * 100),
      mre_percent_random: random.map((x) => x * 100),
      information_gain: gains,
    };
  }

  if (ONLY.has('D')) {
    const rows: Record<string, string | number>[] = [];
    const cache = new Map<number, Awaited<ReturnType<typeof placements>>>();
    for (const init of ['itu', 'uniform', 'random'] as InitKind[]) {
      for (const optimizer of ['lm', 'adam'] as OptimizerKind[]) {
        for (const placement of ['planned', 'random'] as const) {
          const its: number[] = [];
          const secs: number[] = [];
          const mres: number[] = [];
          for (let seed = 1; seed <= TABLE_SEEDS; seed++) {
            if (!cache.has(seed)) cache.set(seed, await placements(seed));
            const pl = cache.get(seed)!;
            const set = placement === 'planned' ? pl.planned : pl.random;
            const truth = truthFor(seed);
            const sub = set.map((i) => pl.traced[i]!);
            const soundings = await soundingsFor(sub, truth, 0, 0, seed);
            const r = await runCalibration(sub, soundings, truth, {
              optimizer,
              init,
              loss: 'nae',
              seed,
              maxIterations: optimizer === 'adam' ? 300 : 100,
            });
            its.push(r.iterations);
            secs.push(r.seconds);
            mres.push(r.mre);
          }
          const row = {
            init,
            optimizer,
            placement,
            mean_iterations: mean(its),
            mean_wall_s: mean(secs),
            mean_mre_percent: mean(mres) * 100,
            max_mre_percent: Math.max(...mres) * 100,
          };
          rows.push(row);
          log(
            `D ${init}/${optimizer}/${placement}: ${row.mean_iterations.toFixed(1)} it, ${row.mean_wall_s.toFixed(2)} s, MRE ${row.mean_mre_percent.toExponential(2)} %`,
          );
        }
      }
    }
    results.D_table = {
      setup: `noise-free, 50 links (planned or random of 5 Tx × ${CANDIDATES_PER_TX} Rx), NAE coherent, Adam lr 0.05 max 300 it, LM max 100 it, ${TABLE_SEEDS} seeds; random init uniform 0.01–1 S/m`,
      rows,
    };
    const md = [
      '| init | optimiser | placement | iterations | wall time (s) | MRE mean (%) | MRE max (%) |',
      '|---|---|---|---|---|---|---|',
      ...rows.map(
        (r) =>
          `| ${r.init} | ${r.optimizer} | ${r.placement} | ${(r.mean_iterations as number).toFixed(1)} | ${(r.mean_wall_s as number).toFixed(2)} | ${(r.mean_mre_percent as number).toPrecision(3)} | ${(r.max_mre_percent as number).toPrecision(3)} |`,
      ),
    ].join('\n');
    writeFileSync('bench/results/calibration-table.md', `${md}\n`);
  }

  return results;
}
