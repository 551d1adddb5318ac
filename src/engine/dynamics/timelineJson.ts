import type { Scene } from '../scene/types.ts';
import type { TimelineStep } from './timeline.ts';

/**
 * One timeline step as a JSON line (`rftwin timeline` output and the studio's export; README
 * "Actors and timelines"): time, devices, metrics with the shadow loss and Doppler spread, and
 * the paths with their Doppler shifts. JSON has no ±Infinity/NaN: those become null.
 */
const num = (x: number): number | null => (Number.isFinite(x) ? x : null);

export function stepJson(s: TimelineStep, scene: Scene) {
  const m = s.link.metrics;
  return {
    t: s.t,
    tx: s.tx,
    rx: s.rx,
    traced: s.traced,
    metrics: {
      path_gain_db: num(m.pathGainDb),
      coherent_gain_db: num(m.coherentGainDb),
      shadow_loss_db: num(s.shadowLossDb),
      rms_delay_spread_s: num(m.rmsDelaySpreadS),
      k_factor_db: num(m.kFactorDb),
      k_factor_infinite: m.kFactorDb === Number.POSITIVE_INFINITY,
      doppler_mean_hz: s.dopplerMeanHz,
      doppler_spread_hz: s.dopplerSpreadHz,
      los: m.los,
      path_count: m.pathCount,
    },
    paths: s.paths.map((p) => ({
      kind: p.kind,
      interactions: p.interactions.map((i) => ({
        type: i.type,
        object: scene.objects[i.objectIndex]?.name ?? `actor ${i.objectIndex - scene.objects.length}`,
        point: i.point,
      })),
      delay_s: p.delay,
      gain_db: num(10 * Math.log10(p.a.re * p.a.re + p.a.im * p.a.im)),
      a: [p.a.re, p.a.im],
      doppler_hz: p.dopplerHz,
    })),
  };
}
