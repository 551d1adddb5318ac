import { gaussian, seededRandom } from '../core/random.ts';
import type { Vec3 } from '../core/vec3.ts';
import type { MeasuredPath, Sounding } from '../io/soundings.ts';
import type { LinkMetrics } from '../metrics/linkMetrics.ts';
import type { Path } from '../tracer/path.ts';

/** A simulated link: its paths and metrics (channel/channel.ts LinkResult). */
export interface SimulatedLink {
  tx: Vec3;
  rx: Vec3;
  paths: readonly Path[];
  metrics: LinkMetrics;
}

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

export function synthesizeSoundings(links: readonly SimulatedLink[], options: SynthesisOptions): Sounding[] {
  const rnd = seededRandom(options.seed ?? 1);
  const noiseDb = options.noiseDb ?? 0;
  const noiseNs = options.noiseNs ?? 0;
  return links.map((link, i) => {
    const metrics: Sounding['metrics'] = {};
    const m = link.metrics;
    if (m.pathCount > 0) {
      metrics.path_gain_db = m.pathGainDb + noiseDb * gaussian(rnd);
      metrics.coherent_gain_db = m.coherentGainDb + noiseDb * gaussian(rnd);
      // a spread cannot be negative: noise that would make it so is clipped at 0
      metrics.rms_delay_spread_ns = Math.max(0, m.rmsDelaySpreadS * 1e9 + noiseNs * gaussian(rnd));
      // K is infinite when every path but the reference carries zero power (a single path, a
      // perfect absorber): no sounder reports that, so the column is left empty, not Infinity.
      if (Number.isFinite(m.kFactorDb)) metrics.k_factor_db = m.kFactorDb + noiseDb * gaussian(rnd);
      metrics.angular_spread_deg = m.angularSpreadDeg;
    }
    const s: Sounding = { tx: link.tx, rx: link.rx, metrics, origin: `synthetic link ${i + 1}` };
    if (options.withPaths) {
      s.paths = link.paths.map(
        (p): MeasuredPath => ({
          delayS: Math.max(0, p.delay + noiseNs * 1e-9 * 0.1 * gaussian(rnd)),
          gainDb: 10 * Math.log10(p.a.re * p.a.re + p.a.im * p.a.im) + noiseDb * gaussian(rnd),
          aoaAzimuthDeg: p.aoa.azimuthDeg,
        }),
      );
    }
    return s;
  });
}
