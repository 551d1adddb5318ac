import { gaussian, seededRandom } from '../core/random.ts';
import type { Vec3 } from '../core/vec3.ts';
import type { MeasuredPath, Sounding } from '../io/soundings.ts';
import {
  angularSpreadDegGradient,
  coherentGainDbGradient,
  type DifferentiablePath,
  kFactorDbGradient,
  pathGainDbGradient,
  rmsDelaySpreadNsGradient,
} from './metricGradients.ts';

/**
 * Synthetic soundings from simulated links: every metric of each link, plus seeded Gaussian
 * noise of σ dB on the gains and σ ns on the delay spread (and on each path's gain / delay in
 * the multipath lists). Used by `rftwin synth`, the tests and the benchmarks.
 */
export interface SynthesisOptions {
  frequencyHz: number;
  noiseDb?: number;
  noiseNs?: number;
  seed?: number;
  /** include per-link multipath lists */
  withPaths?: boolean;
}

export function synthesizeSoundings(
  links: readonly DifferentiablePath[][],
  positions: readonly { tx: Vec3; rx: Vec3 }[],
  options: SynthesisOptions,
): Sounding[] {
  const rnd = seededRandom(options.seed ?? 1);
  const noiseDb = options.noiseDb ?? 0;
  const noiseNs = options.noiseNs ?? 0;
  return links.map((paths, i) => {
    const metrics: Sounding['metrics'] = {};
    if (paths.length > 0) {
      metrics.path_gain_db = pathGainDbGradient(paths, 0).value + noiseDb * gaussian(rnd);
      metrics.coherent_gain_db =
        coherentGainDbGradient(paths, 0, options.frequencyHz).value + noiseDb * gaussian(rnd);
      // a spread cannot be negative: noise that would make it so is clipped at 0
      metrics.rms_delay_spread_ns = Math.max(
        0,
        rmsDelaySpreadNsGradient(paths, 0).value + noiseNs * gaussian(rnd),
      );
      // K is infinite when every path but the LoS carries zero power (e.g. a perfect absorber):
      // no sounder reports that, so the column is left empty rather than written as Infinity.
      const k = paths.length > 1 ? kFactorDbGradient(paths, 0).value : Number.NaN;
      if (Number.isFinite(k)) metrics.k_factor_db = k + noiseDb * gaussian(rnd);
      metrics.angular_spread_deg = angularSpreadDegGradient(paths, 0).value;
    }
    const s: Sounding = {
      tx: positions[i]!.tx,
      rx: positions[i]!.rx,
      metrics,
      origin: `synthetic link ${i + 1}`,
    };
    if (options.withPaths) {
      s.paths = paths.map(
        (p): MeasuredPath => ({
          delayS: Math.max(0, p.delay + noiseNs * 1e-9 * 0.1 * gaussian(rnd)),
          gainDb: 10 * Math.log10(p.a.re * p.a.re + p.a.im * p.a.im) + noiseDb * gaussian(rnd),
          aoaAzimuthDeg: p.aoaAzimuthDeg,
        }),
      );
    }
    return s;
  });
}
