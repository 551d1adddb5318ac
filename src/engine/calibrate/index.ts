/**
 * Differentiable calibration of radio materials from a few soundings.
 *
 * API
 * - calibrateScene(options) → SceneCalibrationResult (pipeline.ts): trace the sounded links once
 *   (tracePaths, LoS + specular + transmission, depth 3 by default), then optimise the trainable
 *   parameters (per material id, or per object with scope 'object') with LM or Adam on the
 *   smape / nae / paths loss; returns estimates, Gauss–Newton std and identifiability per
 *   parameter, loss history, stop reason, warnings. Throws CalibrationError (with the reason per
 *   parameter) when no sounding informs a requested parameter.
 *   With `beforeIteration` (an awaited hook) the optimiser yields between iterations, so a host
 *   can pause it or let a stop request in (the signal then returns the best estimate so far);
 *   `predictions` holds each sounded link's predicted gains before and after (predictions.ts).
 * - calibrate(options) (calibrate.ts): the same on any ForwardModel (forwardModel.ts), e.g. the
 *   scene model (sceneModel.ts) or the closed-form Fresnel-chain model used by the tests;
 *   calibrateSteps(options) is it as a generator (runToEnd / runWithHook in optimizers.ts).
 * - planMeasurements(rows, n, options) + candidateRows / priorAveragedRows (planning.ts): greedy
 *   (Bayesian) D-optimal choice of N candidate links, with the random-choice baseline.
 * - synthesizeSoundings (synthesize.ts): synthetic soundings with seeded noise.
 * - metric gradients (metricGradients.ts): path gain, coherent gain, RMS delay spread, K-factor,
 *   angular spread with exact ∂/∂θ from the paths' ∂a/∂θ.
 */
export * from './calibrate.ts';
export * from './earlyStop.ts';
export type { ForwardModel } from './forwardModel.ts';
export * from './initialization.ts';
export * from './losses.ts';
export * from './metricGradients.ts';
export * from './optimizers.ts';
export * from './parameters.ts';
export * from './pipeline.ts';
export * from './planning.ts';
export * from './predictions.ts';
export * from './sceneModel.ts';
export * from './synthesize.ts';
export * from './uncertainty.ts';
