import type { DifferentiablePath } from './metricGradients.ts';
import type { TrainableParameter } from './parameters.ts';

/**
 * What calibration needs from the physics: for fixed, already traced geometry, the paths of
 * every link with their coefficients and exact derivatives, at given values of the trainable
 * parameters (physical units, in the order of `parameters`). "Trace once, calibrate many":
 * evaluate() must not trace.
 */
export interface ForwardModel {
  parameters: readonly TrainableParameter[];
  linkCount: number;
  evaluate(theta: Float64Array): DifferentiablePath[][];
}
