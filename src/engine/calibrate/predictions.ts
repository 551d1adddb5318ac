import {
  coherentGainDbGradient,
  type DifferentiablePath,
  pathGainDbGradient,
  rmsDelaySpreadNsGradient,
} from './metricGradients.ts';

/**
 * What the model predicts for one sounded link at given material values, in the soundings'
 * units, to compare with the measurements (before/after plots). A link without any traced path
 * predicts no power: gains are −Infinity and the delay spread NaN.
 */
export interface LinkPrediction {
  /** incoherent path gain 10·log10 Σ|aᵢ|² (dB) */
  pathGainDb: number;
  /** narrowband coherent gain at the carrier (dB) */
  coherentGainDb: number;
  rmsDelaySpreadNs: number;
}

export function predictLinks(links: readonly DifferentiablePath[][], frequencyHz: number): LinkPrediction[] {
  return links.map((paths) => {
    if (paths.length === 0)
      return { pathGainDb: -Infinity, coherentGainDb: -Infinity, rmsDelaySpreadNs: Number.NaN };
    // n = 0: the values only, without derivatives
    return {
      pathGainDb: pathGainDbGradient(paths, 0).value,
      coherentGainDb: coherentGainDbGradient(paths, 0, frequencyHz).value,
      rmsDelaySpreadNs: rmsDelaySpreadNsGradient(paths, 0).value,
    };
  });
}
