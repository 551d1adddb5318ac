/**
 * Early stop of paper 003 eq. 13: stop at the first iteration k where, for each of the last P
 * iterations, |L_k − L_{k−1}| ≤ ε_L and ‖θ_k − θ_{k−1}‖/‖θ_{k−1}‖ ≤ ε_θ (θ physical).
 * The paper's numeric tolerances did not survive in our copy of the text; the defaults here
 * are ours and are reported with the result.
 */
export interface EarlyStopOptions {
  lossTolerance: number;
  parameterTolerance: number;
  patience: number;
}

export class EarlyStop {
  private previousLoss: number | undefined;
  private previousTheta: Float64Array | undefined;
  private streak = 0;
  constructor(readonly options: EarlyStopOptions) {}

  /** Record iteration k; true when eq. 13 holds. */
  update(loss: number, theta: Float64Array): boolean {
    if (this.previousLoss !== undefined && this.previousTheta !== undefined) {
      let diff = 0;
      let norm = 0;
      for (let k = 0; k < theta.length; k++) {
        diff += (theta[k]! - this.previousTheta[k]!) ** 2;
        norm += this.previousTheta[k]! ** 2;
      }
      const small =
        Math.abs(loss - this.previousLoss) <= this.options.lossTolerance &&
        Math.sqrt(diff) <= this.options.parameterTolerance * Math.sqrt(norm);
      this.streak = small ? this.streak + 1 : 0;
    }
    this.previousLoss = loss;
    this.previousTheta = Float64Array.from(theta);
    return this.streak >= this.options.patience;
  }
}
