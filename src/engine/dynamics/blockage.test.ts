import { describe, expect, it } from 'vitest';
import { fresnelKirchhoffLossDb, modelBLossDb } from '../../test/oracles/blockageModelB.ts';
import { channelSettings } from '../channel/settings.ts';
import { wavelength } from '../core/constants.ts';
import type { Vec3 } from '../core/vec3.ts';
import { freeSpaceScene } from '../tracer/cpu/testScenes.ts';
import { type ActorSpec, humanShape } from './actors.ts';
import { type TimelineStep, timeline } from './timeline.ts';
import type { ActorsFile } from './trajectory.ts';

/**
 * Acceptance 2: a thin absorbing screen (3GPP TR 38.901 §7.6.4.2 blockage model B geometry,
 * w = 0.3 m, h = 1.7 m; the `absorber` actor material, absorber.ts) crosses a 4 m, 60 GHz
 * line-of-sight link at its middle; the timeline's shadow loss (LoS + UTD diffraction at the
 * screen's four free edges) against two closed forms of the double knife-edge
 * (src/test/oracles/blockageModelB.ts): its exact Fresnel–Kirchhoff form, and model B's
 * arctangent/power approximation of it.
 */
const F = 60e9;
const TX: Vec3 = [0, 0, 1];
const RX: Vec3 = [4, 0, 1];
const W = 0.3;
const H = 1.7;

function crossing(actor: ActorSpec, y0: number, y1: number, speed: number): ActorsFile {
  const t1 = Math.abs(y1 - y0) / speed;
  return {
    actors: [actor],
    tracks: new Map([
      [actor.id, { t: [0, t1], position: [[2, y0, 0] as Vec3, [2, y1, 0] as Vec3], yaw: [0, 0] }],
    ]),
    devices: {},
    declaredAt: new Map([[actor.id, 1]]),
    span: [0, t1],
  };
}

async function run(
  file: ActorsFile,
  dt: number,
  depth = 1,
  polarization: 'V' | 'H' = 'V',
): Promise<TimelineStep[]> {
  const antenna = { pattern: 'iso', polarization } as const;
  const settings = channelSettings({
    frequencyHz: F,
    maxDepth: depth,
    scattering: false,
    transmission: false,
    txAntenna: antenna,
    rxAntenna: antenna,
  });
  const tl = timeline(freeSpaceScene(), file, TX, RX, { settings, dt, backend: 'cpu' });
  const steps: TimelineStep[] = [];
  await tl.run((s) => {
    steps.push(s);
  });
  return steps;
}

describe('shadow loss against 3GPP 38.901 blockage model B', () => {
  it.each(['V', 'H'] as const)(
    'a w × h absorbing screen crossing a 4 m, 60 GHz link, %s polarization: UTD against the double knife-edge',
    async (pol) => {
      const screen: ActorSpec = {
        id: 'screen',
        // the screen in the actor's frame: the plane x = 0, y ∈ [−w/2, w/2], z ∈ [0, h]
        shape: {
          kind: 'mesh',
          vertices: [0, -W / 2, 0, 0, W / 2, 0, 0, W / 2, H, 0, -W / 2, H],
          indices: [0, 1, 2, 0, 2, 3],
          file: '<screen>',
        },
        material: { kind: 'absorber' },
      };
      const steps = await run(crossing(screen, -0.6, 0.6, 1), 0.01, 1, pol);
      const lambda = wavelength(F);
      const rows = steps.map((s) => {
        const y = -0.6 + s.t;
        const screenAt = { x: 2, y1: y - W / 2, y2: y + W / 2, z1: 0, z2: H };
        return {
          y,
          utd: s.shadowLossDb,
          modelB: modelBLossDb(TX, RX, screenAt, lambda),
          kirchhoff: fresnelKirchhoffLossDb(TX, RX, screenAt, lambda),
        };
      });
      const deepest = Math.max(...rows.map((r) => r.modelB));
      const iDeep = rows.findIndex((r) => r.modelB === deepest);
      // the transition: from 3 dB of (model B) loss to 3 dB short of its deepest, both edges
      const transition = rows
        .map((r, i) => ({ ...r, i }))
        .filter((r) => r.modelB >= 3 && r.modelB <= deepest - 3);
      // Fresnel–Kirchhoff keeps the two vertical edges' interference (fringes a few cm apart), as
      // the UTD does: compared point by point.
      const kTransition = Math.max(...transition.map((r) => Math.abs(r.utd - r.kirchhoff)));
      const kDeep = rows[iDeep]!.utd - rows[iDeep]!.kirchhoff;
      // Model B adds the edges' terms without their phases (no fringes): against it the UTD is
      // averaged over 5 cm (±2 steps, in power), and so is the exact form, to show what part of
      // the difference is model B's own approximation.
      const smooth = (v: number[]) =>
        v.map((_, i) => {
          const win = v.slice(Math.max(0, i - 2), i + 3);
          return -10 * Math.log10(win.reduce((a, x) => a + 10 ** (-x / 10), 0) / win.length);
        });
      const utdSmooth = smooth(rows.map((r) => r.utd));
      const kSmooth = smooth(rows.map((r) => r.kirchhoff));
      const bTransition = Math.max(...transition.map((r) => Math.abs(utdSmooth[r.i]! - r.modelB)));
      const bOwn = Math.max(...transition.map((r) => Math.abs(kSmooth[r.i]! - r.modelB)));
      const bDeep = rows[iDeep]!.utd - deepest;
      console.info(
        `${pol}: against the exact double knife-edge (Fresnel–Kirchhoff): transition (${transition.length} steps) worst |ΔSL| ${kTransition.toFixed(2)} dB, deepest point Δ ${kDeep.toFixed(2)} dB; ` +
          `against model B: transition ${bTransition.toFixed(2)} dB (5 cm average; the exact form itself is ${bOwn.toFixed(2)} dB from model B there), ` +
          `deepest (y = ${rows[iDeep]!.y.toFixed(2)} m, model B ${deepest.toFixed(2)} dB) Δ ${bDeep.toFixed(2)} dB`,
      );
      expect(transition.length).toBeGreaterThan(10);
      expect(deepest).toBeGreaterThan(10);
      // acceptance: 2 dB in the transition, 3 dB at the deepest point. Against the exact double
      // knife-edge the UTD of a black screen is far closer (0.10 / 0.14 dB measured, both
      // polarisations): the test holds it to 0.5 dB.
      expect(kTransition).toBeLessThan(0.5);
      expect(Math.abs(kDeep)).toBeLessThan(0.5);
      // against model B's approximation: the deepest point within 3 dB; in the transition the UTD
      // is no farther from model B than the exact form is, + 0.5 dB (both ≈ 2.1 dB measured)
      expect(Math.abs(bDeep)).toBeLessThan(3);
      expect(bTransition).toBeLessThan(bOwn + 0.5);
      // far from the screen the link is unobstructed: the shadow loss is the LoS ripple only
      expect(Math.abs(rows[0]!.utd)).toBeLessThan(1.5);
    },
  );

  it('the double knife-edge oracle: a half-plane edge on the line of sight loses 6.02 dB (ν = 0), −1.2 dB overshoot lit', () => {
    const lambda = wavelength(F);
    // a screen of 100 × 50 m whose top edge is at height z2: one knife edge, ν = ±2√(Δ/λ)
    const at = (z2: number) => fresnelKirchhoffLossDb(TX, RX, { x: 2, y1: -50, y2: 50, z1: -50, z2 }, lambda);
    // (0.05 dB: the far edges 50 m away still ripple the field by ~0.1 %)
    expect(Math.abs(at(1) - 20 * Math.log10(2))).toBeLessThan(0.05);
    // the lit side's first maximum: |E/E₀| = 1.17 at ν ≈ −1.22 (ITU-R P.526 Fig. 7), h = ν·√(λ·d1·d2/(2(d1+d2)))
    const h = 1.2172 * Math.sqrt((lambda * 2 * 2) / (2 * 4));
    expect(at(1 - h)).toBeCloseTo(-20 * Math.log10(1.17), 1);
  });

  it('the human proxy crossing the same link fades at full blockage; depth and width reported', async () => {
    const person: ActorSpec = { id: 'p1', shape: humanShape(), material: { kind: 'skin' } };
    const steps = await run(crossing(person, -1, 1, 1), 0.02, 2);
    const sl = steps.map((s) => s.shadowLossDb);
    const depth = Math.max(...sl);
    const at = steps[sl.indexOf(depth)]!.t - 1;
    // width: the span of body positions over which the loss exceeds 6 dB
    const over = steps.filter((s) => s.shadowLossDb > 6).map((s) => s.t - 1);
    const width = over.length ? Math.max(...over) - Math.min(...over) : 0;
    console.info(
      `human crossing a 4 m 60 GHz link: deepest fade ${depth.toFixed(1)} dB at y = ${at.toFixed(2)} m, >6 dB over ${width.toFixed(2)} m of walk`,
    );
    expect(Math.abs(at)).toBeLessThan(0.1);
    expect(depth).toBeGreaterThan(10);
    expect(Math.abs(sl[0]!)).toBeLessThan(1.5);
  });
});
