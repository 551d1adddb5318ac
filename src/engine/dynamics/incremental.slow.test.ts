import { describe, expect, it } from 'vitest';
import { DEMO_ROOM_PATH } from '../../test/paths.ts';
import { channelSettings } from '../channel/settings.ts';
import type { Vec3 } from '../core/vec3.ts';
import { nodeFileSource } from '../node/nodeFileSource.ts';
import { loadScene } from '../scene/load.ts';
import type { Scene } from '../scene/types.ts';
import { pathSignature } from '../tracer/path.ts';
import { type TimelineMode, type TimelineStep, timeline } from './timeline.ts';
import { parseActorsFile } from './trajectory.ts';

/**
 * Acceptance 1: a person crossing a link of the demo room, 200 steps, every mechanism on (depth 3,
 * reflection, transmission, diffraction, diffuse scattering with S = 0.3 on every wall and box,
 * 2 000 scattering rays):
 * each step's incremental paths and metrics equal a full re-trace of that frame.
 */
const TX: Vec3 = [-3, 0, 1.2];
const RX: Vec3 = [1, 0, 1.2];

async function scatteringRoom(): Promise<Scene> {
  const s = await loadScene(nodeFileSource, DEMO_ROOM_PATH);
  const materials = Object.fromEntries(
    Object.entries(s.materials).map(([id, m]) => [
      id,
      m.spec.kind === 'itu' ? { ...m, spec: { ...m.spec, scatteringCoefficient: 0.3 } } : m,
    ]),
  );
  return { ...s, materials };
}

const db = (re: number, im: number) => 10 * Math.log10(re * re + im * im);
const key = (s: TimelineStep, i: number) => {
  const p = s.paths[i]!;
  return `${pathSignature(p)}@${p.interactions.map((x) => x.point.map((c) => c.toFixed(7)).join(',')).join(';')}`;
};

describe('incremental update = full re-trace', () => {
  it('200 steps of a person crossing a room link, all mechanisms on', { timeout: 3_000_000 }, async () => {
    const room = await scatteringRoom();
    const walk = parseActorsFile(
      '{"actor": "p1", "kind": "human"}\n{"t": 0, "id": "p1", "position": [-1, -2, 0]}\n{"t": 3.98, "id": "p1", "position": [-1, 2, 0], "yaw": 90}\n',
      'walk.jsonl',
    );
    // every mechanism at depth 3; 2 000 scattering rays (not 10 000) keep 400 steps within the tier's time
    const settings = channelSettings({ frequencyHz: 28e9, scatteringRays: 2000 });
    const run = async (mode: TimelineMode) => {
      const steps: TimelineStep[] = [];
      await timeline(room, walk, TX, RX, { settings, mode, dt: 0.02, backend: 'cpu' }).run((s) => {
        steps.push(s);
      });
      return steps;
    };
    const inc = await run('incremental');
    const full = await run('full');
    expect(inc.length).toBe(200);
    expect(inc.every((s) => s.traced === 'incremental')).toBe(true);
    let worstDb = 0;
    let paths = 0;
    let blocked = 0;
    let scattered = 0;
    for (let k = 0; k < inc.length; k++) {
      const a = inc[k]!;
      const b = full[k]!;
      if (!b.link.metrics.los) blocked++;
      const ka = a.paths.map((_, i) => key(a, i));
      const kb = b.paths.map((_, i) => key(b, i));
      expect(new Set(ka).size).toBe(ka.length);
      expect([...ka].sort()).toEqual([...kb].sort());
      const byKey = new Map(kb.map((x, i) => [x, b.paths[i]!]));
      a.paths.forEach((p, i) => {
        const q = byKey.get(ka[i]!)!;
        // a path through the body can carry |a|² below the smallest double: −∞ dB in both
        const ga = db(p.a.re, p.a.im);
        const gb = db(q.a.re, q.a.im);
        worstDb = Math.max(worstDb, ga === gb ? 0 : Math.abs(ga - gb));
        expect(Math.abs(p.delay - q.delay)).toBeLessThan(1e-15);
        if (p.kind === 'scattered') scattered++;
      });
      paths += a.paths.length;
      const ma = a.link.metrics;
      const mb = b.link.metrics;
      for (const m of ['pathGainDb', 'coherentGainDb', 'kFactorDb'] as const)
        expect(Math.abs(ma[m] - mb[m])).toBeLessThan(1e-6);
      expect(Math.abs(ma.rmsDelaySpreadS - mb.rmsDelaySpreadS)).toBeLessThan(
        1e-6 * mb.rmsDelaySpreadS + 1e-18,
      );
      expect(Math.abs(a.shadowLossDb - b.shadowLossDb)).toBeLessThan(1e-6);
      expect(Math.abs(a.dopplerSpreadHz - b.dopplerSpreadHz)).toBeLessThan(1e-6);
    }
    console.info(
      `incremental = full over ${inc.length} steps: ${paths} paths (${scattered} scattered), LoS blocked in ${blocked} steps, worst |Δgain| ${worstDb.toExponential(2)} dB`,
    );
    expect(worstDb).toBeLessThan(1e-6);
    expect(blocked).toBeGreaterThan(5);
  });
});
