import type { LinkStats } from '../metrics/linkStats.ts';
import type { TrainableParameter } from './parameters.ts';

/**
 * What calibration needs from the physics: for fixed, already traced geometry, the statistics of
 * every sounded link (metrics/linkStats.ts) and their exact derivatives at given values of the
 * trainable parameters (physical units, in the order of `parameters`). "Trace once, calibrate
 * many": evaluate() must not trace. Links come first (link i = sounding i), then the single-path
 * taps a loss asked for.
 */
export interface ForwardModel {
  parameters: readonly TrainableParameter[];
  linkCount: number;
  /** single-path taps (link, path index among its traced paths), reduced after the links */
  taps: readonly { link: number; path: number }[];
  /** delays (s) of every sounded link's traced paths (geometry: what the paths loss matches) */
  tracedDelays: readonly (readonly number[])[];
  /** per parameter, how many traced paths interact with its owner (geometry) */
  pathsTouching: readonly number[];
  evaluate(theta: Float64Array): Promise<LinkStats>;
  /**
   * Switch to a more precise evaluation for the rest of the run (a float32 GPU model → the
   * float64 CPU chain on the same geometry); resolves true if it did. Optional.
   */
  refine?(): Promise<boolean>;
  /** relative precision of evaluate() (float32 kernels ≈ 1e-6; absent: float64) */
  precisionFloor?: number;
  /** paths the model's backend hands to the float64 host chain (too many interactions); absent: 0 */
  fallbackPaths?: number;
}
