import { numberProblem, parseDecimal } from '../engine/core/index.ts';
import { FrequencyRangeError, ituParameters, type MaterialSpec } from '../engine/materials/index.ts';
import type { Scene } from '../engine/scene/index.ts';

/**
 * The rules every number typed into the studio is checked against before it changes anything.
 * Each check returns the reason a value is refused (one line for next to the field) or
 * undefined. Text goes through the engine's number grammar (core/numbers.ts), as in files and
 * CLI options: "1e400", "0x10" and "" are refused with the reason, never read as something else.
 */
export type Check = (value: number) => string | undefined;

/** A typed text as a number, or why it is not one. */
export function readNumber(text: string): { value: number } | { problem: string } {
  const v = parseDecimal(text.trim());
  if (v !== undefined) return { value: v };
  return { problem: text.trim() === '' ? 'a number is required' : numberProblem(text) };
}

/** Every check in turn; the first reason wins. */
export const allOf =
  (...checks: (Check | undefined)[]): Check =>
  (v) => {
    for (const c of checks) {
      const problem = c?.(v);
      if (problem) return problem;
    }
    return undefined;
  };

const fmt = (v: number) =>
  Math.abs(v) >= 1e6 || (v !== 0 && Math.abs(v) < 1e-3)
    ? v.toExponential(3)
    : String(Number(v.toPrecision(6)));

export const between =
  (min: number, max: number, unit: string, what: string): Check =>
  (v) =>
    v >= min && v <= max
      ? undefined
      : `${what} must be from ${fmt(min)} to ${fmt(max)}${unit}, got ${fmt(v)}${unit}`;

export const above =
  (min: number, unit: string, what: string): Check =>
  (v) =>
    v > min ? undefined : `${what} must be above ${fmt(min)}${unit}, got ${fmt(v)}${unit}`;

export const integerBetween =
  (min: number, max: number, what: string): Check =>
  (v) =>
    Number.isInteger(v) && v >= min && v <= max
      ? undefined
      : `${what} must be a whole number from ${min} to ${max}, got ${fmt(v)}`;

/**
 * How far outside the scene's bounding box a typed position may lie: 10 % of its largest extent,
 * at least 1 m (room for a transmitter on a mast above the roofs, or just outside a wall).
 */
export function sceneMargin(scene: Scene): number {
  const { min, max } = scene.bbox;
  return Math.max(1, 0.1 * Math.max(max[0] - min[0], max[1] - min[1], max[2] - min[2]));
}

const AXIS = ['x', 'y', 'z'] as const;

/** A coordinate along `axis` within the scene's bounds plus the margin. */
export function positionCheck(scene: Scene, axis: 0 | 1 | 2, what: string = AXIS[axis]): Check {
  const margin = sceneMargin(scene);
  const lo = scene.bbox.min[axis] - margin;
  const hi = scene.bbox.max[axis] + margin;
  return (v) =>
    v >= lo && v <= hi
      ? undefined
      : `${what} = ${fmt(v)} m is outside the scene (${fmt(scene.bbox.min[axis])} … ${fmt(scene.bbox.max[axis])} m, ±${fmt(margin)} m margin)`;
}

/** Frequencies beyond which not even extrapolation is offered: ray optics on building-scale geometry and P.2040's fits say nothing there. */
export const FREQUENCY_LIMITS_GHZ = [0.1, 1000] as const;

/**
 * A carrier frequency (GHz) the twin's materials are defined at: within ITU-R P.2040's validity
 * range of every ITU material in use (the engine's rule, itu.ts), unless the person opted into
 * extrapolation; then anything from 0.1 GHz to 1 THz.
 */
export function frequencyCheck(materials: readonly MaterialSpec[], allowExtrapolation: boolean): Check {
  return (ghz) => {
    if (!(ghz > 0)) return `the frequency must be above 0 GHz, got ${fmt(ghz)} GHz`;
    const [lo, hi] = FREQUENCY_LIMITS_GHZ;
    if (ghz < lo || ghz > hi)
      return `${fmt(ghz)} GHz is outside ${lo} GHz … ${hi} GHz, where neither ITU-R P.2040 nor ray optics on this scene apply`;
    if (allowExtrapolation) return undefined;
    for (const spec of materials) {
      if (spec.kind !== 'itu') continue;
      try {
        ituParameters(spec.ituName, ghz * 1e9);
      } catch (e) {
        // an unknown ITU name is the material's problem, reported where materials are resolved
        if (!(e instanceof FrequencyRangeError)) continue;
        return `${fmt(ghz)} GHz: ITU-R P.2040 defines ${spec.ituName} only for ${e.ranges} GHz (tick "extrapolate" to use the nearest band)`;
      }
    }
    return undefined;
  };
}
