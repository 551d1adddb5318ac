import type { Vec3 } from '../core/vec3.ts';
import type { Sounding } from '../io/soundings.ts';
import type { Scene } from '../scene/types.ts';
import { type Bvh, objectContaining } from '../tracer/index.ts';

/**
 * Soundings whose transmitter or receiver lies where the twin cannot predict them: outside the
 * scene's volume (its bounding box: soundings of another room, or in other units) or inside one
 * of its solid objects. Calibrating on them fits the materials to links the twin does not hold,
 * so they are listed before a run (`rftwin calibrate` warns on stderr and in its result; the
 * studio lists them under the soundings). One warning per distinct position and problem.
 */
export interface SoundingWarning {
  end: 'tx' | 'rx';
  position: Vec3;
  problem: 'outside' | 'inside';
  /** the object enclosing the point (problem 'inside') */
  object?: string;
  /** the soundings at that position, by origin ("soundings.csv line 7") */
  origins: string[];
  /** one line naming the position, the problem and the soundings */
  message: string;
}

/** Points within this distance of the bounding box count as inside it (float rounding of files). */
const TOLERANCE_M = 1e-6;

export function soundingPositionWarnings(
  scene: Scene,
  bvh: Bvh,
  soundings: readonly Sounding[],
): SoundingWarning[] {
  const { min, max } = scene.bbox;
  const found = new Map<string, Omit<SoundingWarning, 'message'>>();
  const verdicts = new Map<string, { problem: 'outside' | 'inside'; object?: string } | null>();
  const fmt = (p: Vec3) => `(${p.map((v) => Number(v.toPrecision(6))).join(', ')})`;
  for (const s of soundings) {
    for (const end of ['tx', 'rx'] as const) {
      const p = s[end];
      const key = `${end}:${p.join(',')}`;
      let verdict = verdicts.get(key);
      if (verdict === undefined) {
        const outside = [0, 1, 2].some((k) => p[k]! < min[k]! - TOLERANCE_M || p[k]! > max[k]! + TOLERANCE_M);
        const inside = outside ? -1 : objectContaining(scene, bvh, p);
        verdict = outside
          ? { problem: 'outside' }
          : inside >= 0
            ? { problem: 'inside', object: scene.objects[inside]!.name }
            : null;
        verdicts.set(key, verdict);
      }
      if (!verdict) continue;
      const w = found.get(key);
      if (w) w.origins.push(s.origin);
      else found.set(key, { end, position: [...p] as Vec3, ...verdict, origins: [s.origin] });
    }
  }
  const box = `${fmt(min)}–${fmt(max)} m`;
  return [...found.values()].map((w) => {
    const what = w.problem === 'outside' ? `outside the scene volume ${box}` : `inside object '${w.object}'`;
    const shown = w.origins.slice(0, 3).join(', ');
    const more = w.origins.length > 3 ? ` and ${w.origins.length - 3} more` : '';
    return {
      ...w,
      message: `${w.end === 'tx' ? 'Tx' : 'Rx'} at ${fmt(w.position)} m is ${what} (${w.origins.length} sounding${w.origins.length === 1 ? '' : 's'}: ${shown}${more}); the twin cannot predict ${w.origins.length === 1 ? 'it' : 'them'}`,
    };
  });
}
