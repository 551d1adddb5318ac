import { describe, expect, it } from 'vitest';
import {
  type ChainMaterial,
  fresnelChainModel,
  randomChainLinks,
  simulateChain,
} from '../../test/oracles/fresnelChainModel.ts';
import { calibrate } from './calibrate.ts';
import type { TrainableParameter } from './parameters.ts';
import { predictLinks } from './predictions.ts';
import { synthesizeSoundings } from './synthesize.ts';

/**
 * Calibration with an awaited hook before every iteration (what lets the studio's worker pause,
 * resume and stop it between iterations): the same result as without the hook, one hook call per
 * iteration, and an interruption that returns the best estimate so far instead of failing.
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

async function setup(noiseDb = 0) {
  const geometry = randomChainLinks(IDS, 30, 7);
  const positions = Array.from({ length: 30 }, (_, i) => ({
    tx: [0, 0, i] as [number, number, number],
    rx: [1, 1, 1] as [number, number, number],
  }));
  const soundings = synthesizeSoundings(await simulateChain(geometry, TRUTH, F, positions), {
    frequencyHz: F,
    noiseDb,
    noiseNs: 0,
    seed: 3,
  });
  return { model: fresnelChainModel(geometry, NOMINAL, SIGMAS, F), soundings };
}

describe('calibration with an awaited hook between iterations', () => {
  it('gives the result of a run without the hook, the hook running once per iteration', async () => {
    const { model, soundings } = await setup();
    const options = {
      model,
      soundings,
      loss: { kind: 'smape' as const, frequencyHz: F },
      optimizer: 'lm' as const,
      initial: nominal,
    };
    const plain = await calibrate(options);
    let hooks = 0;
    let reported = 0;
    const hooked = await calibrate({
      ...options,
      onIteration: () => reported++,
      beforeIteration: async () => {
        hooks++;
      },
    });
    expect(Array.from(hooked.theta)).toEqual(Array.from(plain.theta));
    expect(hooked.iterations).toBe(plain.iterations);
    expect(reported).toBe(plain.iterations);
    // one call before each iteration, plus the last check that ends each optimiser run
    expect(hooks).toBeGreaterThanOrEqual(plain.iterations);
    expect(hooks).toBeLessThanOrEqual(plain.iterations + 1 + 3);
  });

  it('no iteration runs while the hook waits (paused); aborting there returns the best estimate so far', async () => {
    const { model, soundings } = await setup(1);
    const ac = new AbortController();
    const losses: number[] = [];
    let release: (() => void) | undefined;
    let held: () => void = () => {};
    const holding = new Promise<void>((r) => {
      held = r;
    });
    const run = calibrate({
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
      // pause before iteration 6: hold until released
      beforeIteration: () => {
        if (losses.length !== 5) return Promise.resolve();
        held();
        return new Promise<void>((r) => {
          release = r;
        });
      },
    });
    await holding;
    // the run is parked in the hook: many turns of the event loop move nothing
    for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 0));
    expect(losses).toHaveLength(5);
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
    const end = await setup(1);
    const lossAt = async (theta: Float64Array) =>
      (
        await calibrate({
          model: end.model,
          soundings: end.soundings,
          loss: { kind: 'smape', frequencyHz: F },
          optimizer: 'adam',
          initial: theta,
          maxIterations: 0,
        })
      ).lossHistory[0]!;
    expect(await lossAt(r.theta)).toBeCloseTo(best, 12);
    expect(best).toBeLessThan(r.lossHistory[0]!);
  });
});

describe('predictLinks', () => {
  it('gives each link its path gain (incoherent sum) and coherent gain, −∞ without paths', async () => {
    const geometry = randomChainLinks(IDS, 3, 7);
    geometry[2] = [];
    const one = [[geometry[0]![0]!]];
    const stats = await fresnelChainModel(geometry, NOMINAL, SIGMAS, F).evaluate(nominal);
    const [p, , none] = predictLinks(stats);
    const sim = await simulateChain(geometry.slice(0, 1), NOMINAL, F, [{ tx: [0, 0, 0], rx: [1, 1, 1] }]);
    const power = sim[0]!.paths.reduce((s, q) => s + q.a.re ** 2 + q.a.im ** 2, 0);
    expect(p!.pathGainDb).toBeCloseTo(10 * Math.log10(power), 10);
    expect(none!.pathGainDb).toBe(-Infinity);
    // one path: coherent and incoherent gains coincide, no delay spread
    const single = predictLinks(await fresnelChainModel(one, NOMINAL, SIGMAS, F).evaluate(nominal))[0]!;
    expect(single.coherentGainDb).toBeCloseTo(single.pathGainDb, 10);
    expect(single.rmsDelaySpreadNs).toBe(0);
  });
});
