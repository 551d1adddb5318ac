import { describe, expect, it } from 'vitest';
import { cabs } from '../core/complex.ts';
import { seededRandom } from '../core/random.ts';
import { channelTaps } from './impulseResponse.ts';
import { inhOfficeMedianDelaySpreadS, inhOfficePathLossDb } from './inhOffice.ts';
import { linkMetrics, type MultipathComponent } from './linkMetrics.ts';

const mpc = (
  gainDb: number,
  delay: number,
  azimuthDeg = 0,
  kind = 'specular',
  phase = 0,
): MultipathComponent => {
  const amp = 10 ** (gainDb / 20);
  return { a: { re: amp * Math.cos(phase), im: amp * Math.sin(phase) }, delay, aoa: { azimuthDeg }, kind };
};

describe('channel metrics (docs/physics.md)', () => {
  it('toy case: 0 dB at 10 ns + −10 dB at 30 ns → τrms 5.750 ns, K 10 dB', () => {
    const m = linkMetrics([mpc(0, 10e-9, 0, 'los'), mpc(-10, 30e-9)], 28e9);
    expect(m.rmsDelaySpreadS * 1e9).toBeCloseTo(5.75, 3);
    expect(m.kFactorDb).toBeCloseTo(10, 10);
    expect(m.kFactorReference).toBe('los');
    expect(m.los).toBe(true);
    expect(m.pathGainDb).toBeCloseTo(10 * Math.log10(1.1), 12);
  });

  it('K-factor without LoS uses the strongest path and says so', () => {
    const m = linkMetrics([mpc(-3, 10e-9), mpc(-13, 30e-9)], 28e9);
    expect(m.kFactorReference).toBe('strongest');
    expect(m.kFactorDb).toBeCloseTo(10, 10);
    expect(m.los).toBe(false);
  });

  it('K-factor reference: never a diffuse path, even the strongest one (docs/physics.md §10)', () => {
    // NLoS: a scattered path 6 dB above the specular one; the reference is the specular path
    const paths = [mpc(0, 12e-9, 0, 'scattered'), mpc(-6, 10e-9), mpc(-16, 20e-9, 0, 'diffracted')];
    const m = linkMetrics(paths, 28e9);
    expect(m.kFactorReference).toBe('strongest');
    const p = (db: number) => 10 ** (db / 10);
    expect(m.kFactorDb).toBeCloseTo(10 * Math.log10(p(-6) / (p(0) + p(-16))), 10);
    // LoS present: LoS is the reference even below a stronger scattered path
    const withLos = linkMetrics([mpc(0, 12e-9, 0, 'scattered'), mpc(-3, 8e-9, 0, 'los')], 28e9);
    expect(withLos.kFactorReference).toBe('los');
    expect(withLos.kFactorDb).toBeCloseTo(-3, 10);
  });

  it('K-factor: ∞ for a single deterministic path, undefined (NaN, reference none) for only diffuse paths', () => {
    const single = linkMetrics([mpc(-7, 10e-9, 0, 'los')], 28e9);
    expect(single.kFactorDb).toBe(Number.POSITIVE_INFINITY);
    expect(single.kFactorReference).toBe('los');
    const diffuse = linkMetrics([mpc(-7, 10e-9, 0, 'scattered'), mpc(-9, 11e-9, 10, 'scattered')], 28e9);
    expect(diffuse.kFactorReference).toBe('none');
    expect(Number.isNaN(diffuse.kFactorDb)).toBe(true);
    expect(diffuse.pathGainDb).toBeCloseTo(10 * Math.log10(10 ** -0.7 + 10 ** -0.9), 12);
  });

  it('angular spread by hand: equal powers at 0° and 90° → √(−2 ln(√2/2)) rad = 47.70°', () => {
    // |Σpe^{jφ}|/Σp = |1 + j|/2 = 0.70711; −2·ln 0.70711 = 0.693147; √ = 0.832555 rad = 47.7019°
    const m = linkMetrics([mpc(0, 1e-9, 0), mpc(0, 2e-9, 90)], 28e9);
    expect(m.angularSpreadDeg).toBeCloseTo(47.7019, 3);
    expect(linkMetrics([mpc(0, 1e-9, 40), mpc(-5, 2e-9, 40)], 28e9).angularSpreadDeg).toBeCloseTo(0, 6);
  });

  it('coherent gain adds amplitudes with the carrier phase e^{−j2πf_cτ}', () => {
    const f = 28e9;
    // second path delayed by half a carrier period: opposite phase, equal amplitude → cancels
    const m = linkMetrics([mpc(0, 1e-9), mpc(0, 1e-9 + 0.5 / f)], f);
    expect(m.coherentGainDb).toBeLessThan(-200);
    const n = linkMetrics([mpc(0, 1e-9), mpc(0, 1e-9 + 1 / f)], f);
    expect(n.coherentGainDb).toBeCloseTo(10 * Math.log10(4), 6);
    expect(n.pathGainDb).toBeCloseTo(10 * Math.log10(2), 12);
  });

  it('diffuse scattering is one aggregated component: coherent gain = |Σ_det a·e^{−j2πfτ}|² + Σ_diffuse p (§10)', () => {
    const f = 28e9;
    const det = [mpc(-3, 20e-9, 10), mpc(-9, 20e-9 + 1 / f, 30, 'diffracted')];
    // 400 diffuse samples of −40 dB each (total −13.98 dB), phases drawn at random
    const rnd = seededRandom(3);
    const diffuse = (phases: () => number) =>
      Array.from({ length: 400 }, (_, i) => mpc(-40, 25e-9 + i * 1e-11, 0, 'scattered', phases()));
    const one = linkMetrics([...det, ...diffuse(() => 2 * Math.PI * rnd())], f);
    // closed form: the two deterministic paths one carrier period apart add in phase, (a₁ + a₂)²,
    // the diffuse samples as their power 400·10⁻⁴ = 0.04
    const a1 = 10 ** (-3 / 20);
    const a2 = 10 ** (-9 / 20);
    const coherent = (a1 + a2) ** 2 + 0.04;
    expect(one.coherentGainDb).toBeCloseTo(10 * Math.log10(coherent), 10);
    expect(one.pathGainDb).toBeCloseTo(10 * Math.log10(a1 * a1 + a2 * a2 + 0.04), 10);
    // another draw of the diffuse samples' phases, or all of them 0: the same coherent gain
    for (const phases of [() => 2 * Math.PI * rnd(), () => 0])
      expect(linkMetrics([...det, ...diffuse(phases)], f).coherentGainDb).toBeCloseTo(one.coherentGainDb, 10);
    // K: the strongest deterministic path over everything else, the diffuse power aggregated
    expect(one.kFactorReference).toBe('strongest');
    expect(one.kFactorDb).toBeCloseTo(10 * Math.log10((a1 * a1) / (a2 * a2 + 0.04)), 10);
    // splitting the same diffuse power over 10× the samples (10× the rays) changes nothing
    const finer = Array.from({ length: 4000 }, (_, i) => mpc(-50, 25e-9 + i * 1e-12, 0, 'scattered', 7 * i));
    const m = linkMetrics([...det, ...finer], f);
    expect(m.coherentGainDb).toBeCloseTo(one.coherentGainDb, 9);
    expect(m.kFactorDb).toBeCloseTo(one.kFactorDb, 9);
  });

  it('no paths: gains are −∞ and K is undefined (NaN), reference none', () => {
    const m = linkMetrics([], 28e9);
    expect(m.pathGainDb).toBe(-Infinity);
    expect(m.kFactorReference).toBe('none');
    expect(m.pathCount).toBe(0);
  });

  it('taps: a path on a sample instant lands in one tap with its carrier phase', () => {
    const W = 100e6;
    const tau = 3 / W;
    const { l, taps } = channelTaps([mpc(-6, tau)], 28e9, W, 0, 10);
    const k = l.indexOf(3);
    expect(cabs(taps[k]!)).toBeCloseTo(10 ** (-6 / 20), 12);
    for (let i = 0; i < l.length; i++) if (i !== k) expect(cabs(taps[i]!)).toBeLessThan(1e-12);
  });
});

describe('3GPP TR 38.901 InH-Office baseline (docs/physics.md check values)', () => {
  it('LoS 61.34 / 73.44 / 78.64 dB at 1 / 5 / 10 m, NLoS 80.10 / 91.63 dB at 5 / 10 m (28 GHz)', () => {
    expect(inhOfficePathLossDb(1, 28, true)).toBeCloseTo(61.34, 2);
    expect(inhOfficePathLossDb(5, 28, true)).toBeCloseTo(73.44, 2);
    expect(inhOfficePathLossDb(10, 28, true)).toBeCloseTo(78.64, 2);
    expect(inhOfficePathLossDb(5, 28, false)).toBeCloseTo(80.1, 2);
    expect(inhOfficePathLossDb(10, 28, false)).toBeCloseTo(91.63, 2);
  });
  it('median delay spread follows lgDS', () => {
    expect(Math.log10(inhOfficeMedianDelaySpreadS(28, true))).toBeCloseTo(-0.01 * Math.log10(29) - 7.692, 12);
  });
});
