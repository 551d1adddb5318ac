import { linkMetricsFromStats } from '../metrics/linkMetrics.ts';
import type { LinkStats } from '../metrics/linkStats.ts';

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

/** Predictions of the first `links` links of the statistics (the sounded ones). */
export function predictLinks(stats: LinkStats, links = stats.links): LinkPrediction[] {
  return Array.from({ length: links }, (_, l) => {
    if (stats.pathCount[l] === 0)
      return { pathGainDb: -Infinity, coherentGainDb: -Infinity, rmsDelaySpreadNs: Number.NaN };
    const m = linkMetricsFromStats(stats, l);
    return {
      pathGainDb: m.pathGainDb,
      coherentGainDb: m.coherentGainDb,
      rmsDelaySpreadNs: m.rmsDelaySpreadS * 1e9,
    };
  });
}
