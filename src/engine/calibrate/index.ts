/**
 * Differentiable calibration of radio materials from a few soundings.
 *
 * - calibrateScene(options) → SceneCalibrationResult (pipeline.ts): trace the sounded links once
 *   through the channel (its settings and backend), then optimise the trainable parameters (per
 *   material id, or per object with scope 'object') with LM or Adam on the smape / nae / paths
 *   loss; returns estimates, Gauss–Newton std and identifiability per parameter, loss history,
 *   stop reason, warnings, the backend used. Throws CalibrationError (with the reason per
 *   parameter) when no sounding informs a requested parameter. `beforeIteration` (awaited) lets a
 *   host pause between iterations; an aborted signal returns the best estimate so far;
 *   `predictions` holds each sounded link's predicted gains before and after.
 * - calibrate(options) (calibrate.ts): the same on any ForwardModel (forwardModel.ts): the scene
 *   model (sceneModel.ts: CPU chain or WGSL kernels) or the closed-form Fresnel-chain oracle of
 *   the tests.
 * - planMeasurements(rows, n, options) + candidateRows / priorAveragedRows (planning.ts): greedy
 *   (Bayesian) D-optimal choice of N candidate links, with the random-choice baseline.
 * - synthesizeSoundings (synthesize.ts): synthetic soundings with seeded noise.
 * - estimateTrust (trust.ts): whether an estimate may replace the twin's value (identifiable and
 *   within a relative-uncertainty threshold), and soundingPositionWarnings (soundingChecks.ts):
 *   soundings outside the scene or inside its objects, listed before a run.
 * Losses and planning read link statistics and metric gradients from metrics/.
 */
export * from './calibrate.ts';
export * from './earlyStop.ts';
export type { ForwardModel } from './forwardModel.ts';
export * from './initialization.ts';
export * from './losses.ts';
export * from './optimizers.ts';
export * from './parameters.ts';
export * from './pipeline.ts';
export * from './planning.ts';
export * from './predictions.ts';
export * from './sceneModel.ts';
export * from './soundingChecks.ts';
export * from './synthesize.ts';
export * from './trust.ts';
export * from './uncertainty.ts';
