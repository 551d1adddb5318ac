import { describe, expect, it } from 'vitest';
import { calibrate, calibrateSteps } from './calibrate.ts';
import { type ChainMaterial, fresnelChainModel, randomChainLinks } from './fresnelChainModel.ts';
import { runWithHook } from './optimizers.ts';
import type { TrainableParameter } from './parameters.ts';
import { predictLinks } from './predictions.ts';
import { synthesizeSoundings } from './synthesize.ts';

/**
 * Calibration as steps (what lets the studio's worker pause, resume and stop it between
 * iterations): the same result as the synchronous run, one hook call per iteration, and an
 * interruption that returns the best estimate so far instead of failing.
 */
const F = 28e9;
const NOMINAL: Record<string, ChainMaterial> = {
  brick: { relativePermittivity: 3.91, conductivity: 0.0406, scatteringCoefficient: 0 },
  wood: { relativePermittivity: 1.99, conductivity: 0.1672, scatteringCoefficient: 0 },
  concrete: { relativePermittivity: 5.24, conductivity: 0.626, scatteringCoefficient: 0 },
};
const IDS = Object.keys(NOMINAL);
const SIGMAS: TrainableParameter[] = IDS.map((owner) => ({ owner, name: 'conductivity' }));
const nominal = Float64Array.from(IDS, (id) => NOMINAL[id]!.conductivity);
const TRUTH: Record<string, ChainMaterial> = Object.fromEntries(
  IDS.map((id, k) => [
    id,
    { ...NOMINAL[id]!, conductivity: NOMINAL[id]!.conductivity * [1.3, 0.75, 1.4][k]! },
  ]),
);
const truthSigma = Float64Array.from(IDS, (id) => TRUTH[id]!.conductivity);

function setup(noiseDb = 0) {
  const geometry = randomChainLinks(IDS, 30, 7);
  const truthModel = fresnelChainModel(geometry, TRUTH, SIGMAS, F);
  const soundings = synthesizeSoundings(
    truthModel.evaluate(truthSigma),
    Array.from({ length: 30 }, (_, i) => ({
      tx: [0, 0, i] as [number, number, number],
      rx: [1, 1, 1] as [number, number, number],
    })),
    { frequencyHz: F, noiseDb, noiseNs: 0, seed: 3 },
  );
  return { model: fresnelChainModel(geometry, NOMINAL, SIGMAS, F), soundings };
}

describe('calibrateSteps', () => {
  it('driven with an awaited hook gives the synchronous result, the hook running once per iteration', async () => {
    const { model, soundings } = setup();
    const options = {
      model,
      soundings,
      loss: { kind: 'smape' as const, frequencyHz: F },
      optimizer: 'lm' as const,
      initial: nominal,
    };
    const sync = calibrate(options);
    let hooks = 0;
    let reported = 0;
    const stepped = await runWithHook(
      calibrateSteps({ ...options, onIteration: () => reported++ }),
      async () => {
        hooks++;
      },
    );
    expect(Array.from(stepped.theta)).toEqual(Array.from(sync.theta));
    expect(stepped.iterations).toBe(sync.iterations);
    expect(reported).toBe(sync.iterations);
    // one yield before each iteration, plus the last check that ends each optimiser run
    expect(hooks).toBeGreaterThanOrEqual(sync.iterations);
    expect(hooks).toBeLessThanOrEqual(sync.iterations + 1 + 3);
  });

  it('no iteration runs while the hook waits (paused); aborting there returns the best estimate so far', async () => {
    const { model, soundings } = setup(1);
    const ac = new AbortController();
    const losses: number[] = [];
    let release: (() => void) | undefined;
    const run = runWithHook(
      calibrateSteps({
        model,
        soundings,
        loss: { kind: 'smape', frequencyHz: F },
        optimizer: 'adam',
        initial: nominal,
        maxIterations: 200,
        // a large step makes Adam overshoot, so the last iterate is not the best one
        learningRate: 1.5,
        signal: ac.signal,
        onIteration: (it) => losses.push(it.loss),
      }),
      // pause before iteration 6: wait until released
      () => (losses.length === 5 ? new Promise<void>((r) => (release = r)) : Promise.resolve()),
    );
    // event-based, no fixed delay: wait until the hook holds the run, then let the event loop
    // turn many times; a paused run cannot move, however long or short those turns take
    const turn = () => new Promise((r) => setImmediate(r));
    while (release === undefined) await turn();
    for (let k = 0; k < 20; k++) await turn();
    expect(losses).toHaveLength(5); // paused: nothing moved
    ac.abort(); // Stop while paused
    release!();
    const r = await run;
    expect(r.stoppedBecause).toBe('aborted');
    expect(r.iterations).toBe(5);
    // Adam's loss is not monotone: the result is the best of the iterates, not the last
    const best = Math.min(...r.lossHistory);
    expect(r.lossHistory).toHaveLength(6);
    expect(r.lossHistory.at(-1)!, 'precondition: the last iterate is worse than the best').toBeGreaterThan(
      best,
    );
    const end = setup(1);
    const lossAt = (theta: Float64Array) =>
      calibrate({
        model: end.model,
        soundings: end.soundings,
        loss: { kind: 'smape', frequencyHz: F },
        optimizer: 'adam',
        initial: theta,
        maxIterations: 0,
      }).lossHistory[0]!;
    expect(lossAt(r.theta)).toBeCloseTo(best, 12);
    expect(best).toBeLessThan(r.lossHistory[0]!);
  });
});

describe('predictLinks', () => {
  it('gives each link its path gain (incoherent sum) and coherent gain, −∞ without paths', () => {
    const { model } = setup();
    const links = model.evaluate(nominal);
    const [p] = predictLinks([links[0]!], F);
    const power = links[0]!.reduce((s, q) => s + q.a.re ** 2 + q.a.im ** 2, 0);
    expect(p!.pathGainDb).toBeCloseTo(10 * Math.log10(power), 10);
    // one path: coherent and incoherent gains coincide
    const single = predictLinks([[links[0]![0]!]], F)[0]!;
    expect(single.coherentGainDb).toBeCloseTo(single.pathGainDb, 10);
    expect(single.rmsDelaySpreadNs).toBe(0);
    expect(predictLinks([[]], F)[0]!.pathGainDb).toBe(-Infinity);
  });
});
