import { describe, expect, it } from 'vitest';
import { channelSettings } from '../channel/settings.ts';
import { gaussian, seededRandom } from '../core/random.ts';
import type { Vec3 } from '../core/vec3.ts';
import { freeSpaceScene } from '../tracer/cpu/testScenes.ts';
import type { ActorSpec } from './actors.ts';
import { fitBlocker } from './blockerFit.ts';
import type { MeasuredTrace } from './measuredTrace.ts';
import { timeline } from './timeline.ts';
import type { ActorsFile } from './trajectory.ts';

/**
 * Issue 14, measured traces: a person crossing a 4 m, 60 GHz link; a "measured" trace is the
 * timeline of a proxy of known size and material plus a cable offset and seeded noise; the fit
 * must recover what the trace can identify (within 3 σ of its own reported uncertainty) and call
 * unidentifiable what it cannot.
 */
const F = 60e9;
const TX: Vec3 = [0, 0, 1];
const RX: Vec3 = [4, 0, 1];
const settings = channelSettings({
  frequencyHz: F,
  maxDepth: 1,
  scattering: false,
  transmission: false,
  txAntenna: { pattern: 'iso', polarization: 'V' },
  rxAntenna: { pattern: 'iso', polarization: 'V' },
});

/** a person walking across the link at x = 2 (yaw 90°: facing the walk, shoulders along the link) */
function walk(person: ActorSpec, x: number, y0: number, y1: number): ActorsFile {
  return {
    actors: [person],
    tracks: new Map([
      [
        person.id,
        {
          t: [0, Math.abs(y1 - y0)],
          position: [[x, y0, 0] as Vec3, [x, y1, 0] as Vec3],
          yaw: [Math.PI / 2, Math.PI / 2],
        },
      ],
    ]),
    devices: {},
    declaredAt: new Map([[person.id, 1]]),
    span: [0, Math.abs(y1 - y0)],
  };
}

async function measured(
  file: ActorsFile,
  times: number[],
  offsetDb: number,
  noiseDb: number,
): Promise<MeasuredTrace> {
  const random = seededRandom(7);
  const gainDb: number[] = [];
  await timeline(freeSpaceScene(), file, TX, RX, { settings, times }).run((s) => {
    gainDb.push(s.link.metrics.coherentGainDb + offsetDb + noiseDb * gaussian(random));
  });
  return { t: times, gainDb, column: 'path_gain_db', file: 'trace.csv' };
}

const times = Array.from({ length: 41 }, (_, k) => 0.04 * k);
const truth: ActorSpec = {
  id: 'p1',
  shape: { kind: 'human', width: 0.4, depth: 0.32, height: 1.75 },
  material: { kind: 'skin' },
};
const declared: ActorSpec = { ...truth, shape: { kind: 'human', width: 0.45, depth: 0.25, height: 1.75 } };

describe('fitting a blocker to a measured trace', () => {
  it('recovers the body depth across the link and the offset, within 3 σ; the material is chosen by residual', async () => {
    const trace = await measured(walk(truth, 2, -0.8, 0.8), times, -2, 0.3);
    const fit = await fitBlocker(freeSpaceScene(), walk(declared, 2, -0.8, 0.8), TX, RX, trace, {
      actorId: 'p1',
      materials: [{ kind: 'skin' }, { kind: 'itu', name: 'metal', thickness: 0.1 }],
      timeline: { settings },
    });
    console.info(JSON.stringify({ ...fit, predictedGainDb: undefined }));
    const depth = fit.dimensions.find((d) => d.name === 'depth')!;
    // the depth is the body's extent across the link: it sets the fade's width
    expect(depth.calibrated).toBe(true);
    expect(Math.abs(depth.value - 0.32)).toBeLessThan(3 * depth.std + 1e-3);
    expect(depth.std).toBeLessThan(0.05);
    expect(Math.abs(fit.offsetDb.value + 2)).toBeLessThan(3 * fit.offsetDb.std + 0.05);
    // the residual is the noise's size: the model explains the trace
    expect(fit.rmsDb).toBeLessThan(0.45);
    expect(fit.material.chosen).toBe('skin');
    const width = fit.dimensions.find((d) => d.name === 'width')!;
    if (width.calibrated) expect(Math.abs(width.value - 0.4)).toBeLessThan(3 * width.std);
    else expect(width.reason).toMatch(/not identifiable|bound/);
  });

  it('a trace in which nobody blocks the link identifies no dimension', async () => {
    // the person walks 30 m from the link: what the body reflects is far below the 0.3 dB noise
    // (nearer, its reflection alone identifies its size: a body 1.5 m beside the link does)
    const far = (a: ActorSpec) => walk(a, 2, 30, 31.6);
    const trace = await measured(far(truth), times, 0, 0.3);
    const fit = await fitBlocker(freeSpaceScene(), far(declared), TX, RX, trace, {
      actorId: 'p1',
      materials: [{ kind: 'skin' }],
      timeline: { settings },
    });
    for (const d of fit.dimensions) {
      expect(d.calibrated).toBe(false);
      expect(d.reason).toMatch(/not identifiable|bound/);
    }
    expect(fit.material.identified).toBe(false);
  });

  it('a model without diffraction has no path while the body blocks: refused with the reason, not fitted', async () => {
    const trace = await measured(walk(truth, 2, -0.8, 0.8), times, 0, 0.3);
    const noDiffraction = channelSettings({ ...settings, diffraction: false });
    await expect(
      fitBlocker(freeSpaceScene(), walk(declared, 2, -0.8, 0.8), TX, RX, trace, {
        actorId: 'p1',
        materials: [{ kind: 'skin' }],
        timeline: { settings: noDiffraction },
      }),
    ).rejects.toThrow(
      /^trace\.csv: the model has no path at \d+ of the trace's 41 samples .* is diffraction off\?/,
    );
  });
});
